"""Extract: model catalog, glossary and timeline from the deduplicated knowledge base.

Every value is read from a sentence of the notes (as published on the topic pages) and
shown with a link to that sentence's section. Modules:

- ``patterns``  dates, parameter sizes, context lengths, model names (one sentence at a time)
- ``corpus``    the knowledge base as sentences with their place on the site
- ``orgs``, ``registry``, ``subjects``, ``facts``, ``catalog``  the model catalog (模型目录)
- ``tables``    facts from model-comparison tables (one model per row)
- ``links``     first mention of a catalogued model on a page → link to its row
- ``glossary``  术语表 and the abbreviation tooltips
- ``timeline``  发展时间线
- ``datafiles`` data/terms.yaml (vocabulary hints) and data/models_override.yaml
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Reporter
from .catalog import Catalog, build_catalog
from .corpus import read_sentences
from .datafiles import DEFAULT_OVERRIDES, DEFAULT_TERMS, load_overrides, load_terms
from .facts import Fact, FactReader
from .glossary import Term, abbreviations, build_glossary, glossary_terms, render_glossary
from .links import MentionLinker
from .orgs import Orgs
from .registry import Registry
from .subjects import NoteSubjects
from .tables import read_table_rows, table_facts, table_names
from .timeline import Event, build_timeline, render_timeline

GLOSSARY_PAGE = "glossary.md"
TIMELINE_PAGE = "timeline.md"


@dataclass
class ExtractResult:
    # Extra generated pages: docs-relative path -> Markdown; nav entries (title, path) in order.
    pages: dict[str, str] = field(default_factory=dict)
    nav: list[tuple[str, str, str]] = field(default_factory=list)  # (title, path, description)
    # Markdown inserted at the top of the model catalog page (the table), under its H1.
    catalog_table: str = ""
    abbreviations: dict[str, str] = field(default_factory=dict)  # ABBR -> 中文（English）
    terms: list[str] = field(default_factory=list)  # domain words for jieba
    # (page Markdown, page file) -> the page with the first mention of each catalogued
    # model linked to its catalog row. The catalog page itself is returned unchanged.
    link_mentions: Callable[[str, str], str] | None = None
    # The extracted structures, for tests and other renderers.
    catalog: Catalog | None = None
    facts: list[Fact] = field(default_factory=list)  # every fact read, before the catalog chose
    glossary: list[Term] = field(default_factory=list)
    timeline: list[Event] = field(default_factory=list)


def extract_all(kb, reporter: Reporter, terms_path: str | Path = DEFAULT_TERMS,
                overrides_path: str | Path = DEFAULT_OVERRIDES) -> ExtractResult:
    from ..render import SourceIndex

    sentences = read_sentences(kb.pages)
    hints = load_terms(terms_path)
    orgs = Orgs(hints.organizations)
    orgs.learn([s.text for s in sentences])
    rows = read_table_rows(kb.pages, first_order=len(sentences))
    row_sentences = [r.sentence for r in rows]
    registry = Registry(sentences + row_sentences, orgs, named=table_names(rows))
    reader = FactReader(registry, orgs, NoteSubjects(kb.docs, registry))
    facts = reader.read(sentences) + table_facts(rows, registry)
    catalog = build_catalog(kb.pages, sentences + row_sentences, registry, facts,
                            load_overrides(overrides_path), reporter)
    glossary = build_glossary(sentences, kb.pages, registry)
    timeline = build_timeline(sentences, reader)
    sources = SourceIndex(kb.docs)
    linker = MentionLinker(catalog)
    pages = {
        GLOSSARY_PAGE: render_glossary(glossary, GLOSSARY_PAGE, sources.cite),
        TIMELINE_PAGE: render_timeline(timeline, TIMELINE_PAGE, catalog, sources.cite),
    }
    words = set(catalog.terms()) | set(glossary_terms(glossary)) | set(hints.terms)
    return ExtractResult(
        pages=pages,
        nav=[("术语表", GLOSSARY_PAGE, "笔记中定义的术语：中文名、英文名、缩写与释义。"),
             ("发展时间线", TIMELINE_PAGE, "笔记中提到的发展事件，按时间先后排列。")],
        catalog_table=catalog.table(),
        abbreviations=abbreviations(glossary),
        terms=sorted(words),
        link_mentions=linker,
        catalog=catalog,
        facts=facts,
        glossary=glossary,
        timeline=timeline,
    )
