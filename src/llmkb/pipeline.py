"""The pipeline: notes/ → one `KnowledgeBase` → docs/.

ingest → structure → normalize → classify → align → dedup → layout → extract, then render.
Each stage is its own module and meets the next only through the plain data of
``llmkb.models``; this module wires them, times them and writes the files.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .align import align
from .classify import classify_notes
from .dedup import dedup_contents
from .diagnostics import Diagnostic, Reporter
from .extract import extract_all
from .extract.datafiles import DEFAULT_OVERRIDES, DEFAULT_TERMS, load_overrides, load_terms
from .ingest import discover_notes, read_note
from .ingest.boilerplate import DEFAULT_RULES, BoilerplateRule, load_rules
from .layout import layout
from .models import KnowledgeBase, NoteDoc, Placement
from .normalize import normalize_doc
from .segment import Segmenter
from .structure import build_note
from .taxonomy import DEFAULT_TAXONOMY, load_taxonomy
from .workers import ordered_map

MANIFEST = ".llmkb-manifest.json"


@dataclass
class Settings:
    notes_dir: Path = Path("notes")
    docs_dir: Path = Path("docs")
    project_root: Path = Path(".")
    rules_path: Path = DEFAULT_RULES
    taxonomy_path: Path = DEFAULT_TAXONOMY
    terms_path: Path = DEFAULT_TERMS
    overrides_path: Path = DEFAULT_OVERRIDES
    simplify: bool = True  # traditional → simplified Chinese
    jobs: int = 0  # worker processes for the per-note stages; 0: all cores for large inputs


class _Timer:
    """Seconds per stage, in the order the stages ran."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started


def load_notes(settings: Settings, reporter: Reporter,
               progress: Callable[[int, int], None] | None = None) -> list[NoteDoc]:
    """ingest → structure → normalize for every note (in worker processes for many notes)."""
    rules = load_rules(settings.rules_path)
    root = settings.project_root.resolve()
    paths = discover_notes(settings.notes_dir, reporter, label_root=root)

    def prepare(path: Path) -> tuple[NoteDoc | None, list[Diagnostic]]:
        # Runs in a worker: problems are collected and replayed by the parent, in order.
        local = Reporter()
        return _prepare_note(path, settings, rules, root, local), local.items

    docs: list[NoteDoc] = []
    for n, (doc, diagnostics) in enumerate(ordered_map(prepare, paths, settings.jobs), 1):
        for d in diagnostics:
            reporter.warn(d.file, d.line, d.code, d.message)
        if doc is not None:
            docs.append(doc)
        if progress:
            progress(n, len(paths))
    return docs


def _prepare_note(path: Path, settings: Settings, rules: list[BoilerplateRule], root: Path,
                  reporter: Reporter) -> NoteDoc | None:
    """One note through ingest → structure → normalize, or None when it cannot be read."""
    read = read_note(path.absolute(), reporter, rules, label_root=root, simplify=settings.simplify)
    if read is None:
        return None
    note, origin = read
    try:
        return normalize_doc(build_note(note, path.absolute(), settings.notes_dir, reporter, origin))
    except (RecursionError, ValueError, IndexError, KeyError, TypeError) as exc:
        # A note no rule foresaw must cost only itself, never the whole build.
        reporter.warn(note.path, 0, "internal-error",
                      f"could not be processed ({type(exc).__name__}: {exc}); skipped")
        return None


def place_notes(settings: Settings, reporter: Reporter) -> tuple[list[NoteDoc], list[Placement]]:
    """ingest → structure → normalize → classify: each note's sections and where they go."""
    taxonomy = load_taxonomy(settings.taxonomy_path)
    hints = load_terms(settings.terms_path)
    docs = load_notes(settings, reporter)
    segmenter = Segmenter([*taxonomy.vocabulary(), *hints.terms])
    return docs, classify_notes(docs, taxonomy, segmenter, reporter, settings.jobs)


def build_kb(settings: Settings, reporter: Reporter,
             progress: Callable[[int, int], None] | None = None) -> KnowledgeBase:
    """Every stage from the notes to extraction: the knowledge base render turns into docs/."""
    timer = _Timer()
    with timer.stage("load data files"):
        taxonomy = load_taxonomy(settings.taxonomy_path)
        hints = load_terms(settings.terms_path)
        overrides = load_overrides(settings.overrides_path)
        segmenter = Segmenter([*taxonomy.vocabulary(), *hints.terms])
    with timer.stage("ingest+structure+normalize"):
        docs = load_notes(settings, reporter, progress)
    with timer.stage("classify"):
        placements = classify_notes(docs, taxonomy, segmenter, reporter, settings.jobs)
    with timer.stage("align"):
        aligned = align(placements, taxonomy)
    with timer.stage("dedup"):
        deduped = dedup_contents(aligned, segmenter)
    with timer.stage("layout"):
        pages = layout(deduped.contents)
    with timer.stage("extract"):
        extraction = extract_all(pages, docs, segmenter, reporter, hints, overrides)
    return KnowledgeBase(taxonomy, docs, placements, deduped.contents, pages, deduped.merges, deduped.stats,
                         deduped.audit, extraction, segmenter, timer.seconds)


def write_docs(files: dict[str, str | bytes], docs_dir: Path) -> list[str]:
    """Write generated files; remove files this pipeline wrote before and no longer makes.

    Returns the paths that changed. Only files listed in the manifest are ever removed,
    so hand-written files in docs/ are safe.
    """
    docs_dir.mkdir(parents=True, exist_ok=True)
    manifest_path = docs_dir / MANIFEST
    old: list[str] = []
    if manifest_path.is_file():
        try:
            old = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = []
    changed: list[str] = []
    for rel in sorted(set(old) - set(files)):
        target = docs_dir / rel
        if target.is_file():
            target.unlink()
            changed.append(rel)
    for rel, content in sorted(files.items()):
        target = docs_dir / rel
        data = content.encode("utf-8") if isinstance(content, str) else content
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        changed.append(rel)
    manifest = json.dumps(sorted(files), ensure_ascii=False, indent=1) + "\n"
    if not manifest_path.is_file() or manifest_path.read_text(encoding="utf-8") != manifest:
        manifest_path.write_text(manifest, encoding="utf-8")
    return changed
