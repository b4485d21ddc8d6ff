"""Extract: model catalog, glossary and timeline from the deduplicated knowledge base.

Every value is read from a sentence of the notes (as published on the topic pages) and
keeps that sentence as its evidence. This package returns plain data (``Extraction``);
render writes the pages. Modules:

- ``patterns``  dates, parameter sizes, context lengths (one sentence at a time)
- ``corpus``    the knowledge base as sentences with their place on the site
- ``orgs``, ``registry``, ``subjects``, ``facts``, ``catalog``  the model catalog (模型目录)
- ``tables``    facts from model-comparison tables (one model per row)
- ``glossary``  术语表 and the abbreviations
- ``timeline``  发展时间线
- ``datafiles`` data/terms.yaml (vocabulary hints) and data/models_override.yaml
"""

from __future__ import annotations

from ..diagnostics import Reporter
from ..models import CATALOG_TOPIC, Extraction, Layout, NoteDoc, Sentence
from ..names import reported_model, titled_model
from ..segment import Segmenter
from ..workers import Background
from .catalog import build_catalog
from .corpus import read_sentences, records_as_units
from .datafiles import Override, Terms
from .facts import FactReader
from .glossary import abbreviations, build_glossary, glossary_terms
from .orgs import Orgs
from .registry import Registry, ScanMemo
from .subjects import NoteSubjects, NoteYears
from .tables import (
    answer_table_sentences,
    notes_facts,
    read_table_rows,
    table_facts,
    table_names,
    term_table_sentences,
)
from .timeline import build_timeline


def extract_all(layout: Layout, docs: list[NoteDoc], segmenter: Segmenter, reporter: Reporter,
                hints: Terms, overrides: list[Override], scans: ScanMemo | None = None,
                jobs: int = 0) -> Extraction:
    """Catalog, glossary and timeline; ``scans``: the registry's findings by sentence from an
    earlier build (the build cache), filled with this build's; ``jobs``: processes for the
    per-sentence scans (0: as many as pay off)."""
    sentences = records_as_units(read_sentences(layout))
    orgs = Orgs(hints.organizations, hints.same_organizations)
    orgs.learn([s.text for s in sentences])
    rows = read_table_rows(layout, first_order=len(sentences))
    row_sentences = [r.sentence for r in rows]
    reports = titled_items(sentences)
    named = table_names(rows) + titled_notes(docs, sentences, first_order=len(sentences) + len(rows)) + reports
    registry = Registry(sentences + row_sentences, orgs, named=named, not_models=hints.never_models(),
                        proper_names=hints.proper_names(), scans=scans, jobs=jobs)
    # A table of terms is read as the bold definitions it stands for, after everything else.
    terms = term_table_sentences(layout, first_order=len(sentences) + len(rows) + len(docs) + len(reports))
    # And the answers of a table of questions and answers, as the prose they are.
    terms += answer_table_sentences(layout, first_order=len(sentences) + len(rows) + len(docs) + len(reports)
                                    + len(terms))
    # The glossary needs the sentences and the registry only: built beside the facts.
    glossary_job = Background(lambda: build_glossary(sentences + terms, layout, registry, segmenter),
                              jobs, len(sentences))
    reader = FactReader(registry, orgs, NoteSubjects(docs, registry), NoteYears(docs))
    facts = reader.read(sentences) + table_facts(rows, registry) + notes_facts(rows, registry, reader)
    catalog = build_catalog(layout, sentences + row_sentences, registry, facts, overrides, reporter,
                            [name for name, _ in reports])
    timeline = build_timeline(sentences, reader)
    glossary = glossary_job.result()
    words = set(catalog.terms()) | set(glossary_terms(glossary)) | set(hints.terms)
    return Extraction(catalog=catalog, glossary=glossary, timeline=timeline, facts=facts,
                      abbreviations=abbreviations(glossary), terms=sorted(words))


def titled_notes(docs: list[NoteDoc], sentences: list[Sentence], first_order: int) -> list[tuple[str, int]]:
    """The models that notes are reports on: a note titled by a model's versioned name ("The Llama
    3 Herd of Models", "DeepSeek-R1: Incentivizing …") whose text classify put in the catalog
    names that model as plainly as a row of a model table does."""
    in_catalog = {span.file for s in sentences if s.node == CATALOG_TOPIC for span in s.spans}
    out = []
    for n, doc in enumerate(docs):
        name = titled_model(doc.root.heading.title) if doc.root.heading is not None else ""
        if name and doc.path in in_catalog:
            out.append((name, first_order + n))
    return out


def titled_items(sentences: list[Sentence]) -> list[tuple[str, int]]:
    """The models that the catalog's list items are reports on: an item of an awesome list
    under "Qwen 系列" titled "**Qwen2.5 Technical Report**" or "**Baichuan 2: Open Large-scale
    Language Models**" names that model as a row of a model table does (``titled_model``:
    a versioned name and what a report on it is called)."""
    out = []
    for s in sentences:
        name = reported_model(s.raw) if s.node == CATALOG_TOPIC and not s.heading else ""
        if name:
            out.append((name, s.order))
    return out
