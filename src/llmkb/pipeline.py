"""The pipeline: notes/ → docs/, one stage after another.

ingest → structure → normalize → classify → align → dedup → extract → render.
Each stage is its own module; this one only wires them and writes the files.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .align import TopicPage, align
from .classify import Placement, classify_notes
from .dedup import DedupStats, dedup_pages
from .diagnostics import Diagnostic, Reporter
from .ingest import discover_notes, read_note
from .ingest.boilerplate import DEFAULT_RULES, BoilerplateRule, load_rules
from .models import BlockKind, NoteDoc, Section
from .normalize import normalize_inline, normalize_table
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
    simplify: bool = True  # traditional → simplified Chinese
    jobs: int = 0  # worker processes for the per-note stages; 0: all cores for large inputs


@dataclass
class KnowledgeBase:
    """Everything the renderers need, after dedup."""

    docs: list[NoteDoc]
    pages: list[TopicPage]
    placements: list[Placement]
    stats: DedupStats
    merge_records: list = field(default_factory=list)


def load_notes(settings: Settings, reporter: Reporter,
               progress: Callable[[int, int], None] | None = None) -> list[NoteDoc]:
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
        doc = build_note(note, path.absolute(), settings.notes_dir, reporter, origin)
        normalize_doc(doc)
    except (RecursionError, ValueError, IndexError, KeyError, TypeError) as exc:
        # A note no rule foresaw must cost only itself, never the whole build.
        reporter.warn(note.path, 0, "internal-error",
                      f"could not be processed ({type(exc).__name__}: {exc}); skipped")
        return None
    return doc


def normalize_doc(doc: NoteDoc) -> None:
    for section in doc.root.walk():
        if section.heading is not None:
            section.heading.title = normalize_inline(section.heading.title)
        for block in section.blocks:
            if block.kind is BlockKind.TABLE:
                block.text = normalize_table(block.text)
            elif block.kind is not BlockKind.CODE:
                block.text = normalize_inline(block.text)
    doc.attribution.title = normalize_inline(doc.attribution.title)


def build_kb(settings: Settings, reporter: Reporter,
             progress: Callable[[int, int], None] | None = None) -> KnowledgeBase:
    taxonomy = load_taxonomy(settings.taxonomy_path)
    docs = load_notes(settings, reporter, progress)
    placements = classify_notes(docs, taxonomy, reporter, settings.jobs)
    pages = align(placements, taxonomy)
    stats, merges = dedup_pages(pages)
    return KnowledgeBase(docs, pages, placements, stats, merges)


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


def section_walk(doc: NoteDoc):
    """(section, ancestors) pairs of a note, root first."""

    def walk(section: Section, path: tuple[Section, ...]):
        yield section, path
        for child in section.children:
            yield from walk(child, (*path, section))

    yield from walk(doc.root, ())
