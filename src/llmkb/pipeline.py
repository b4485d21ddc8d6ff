"""The pipeline: notes/ → one `KnowledgeBase` → docs/.

ingest → structure → normalize → classify → align → dedup → layout → extract, then render.
Each stage is its own module and meets the next only through the plain data of
``llmkb.models``; this module wires them, times them, tells a progress display which stage
runs, and writes docs/ all or nothing (``llmkb.output``).
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .align import align
from .cache import NoteCache, NoteEntry, code_version, folder_listing, note_key, stamped_summary, write_stamp
from .classify import classify_notes, classify_with_evidence
from .collector import cycle_collection_paused
from .dedup import PairMemo, dedup_contents
from .diagnostics import Diagnostic, Reporter
from .extract import ScanMemo, extract_all
from .extract.datafiles import DEFAULT_OVERRIDES, DEFAULT_TERMS, load_overrides, load_terms
from .ingest import MAX_NOTE_BYTES, NOTE_SUFFIXES, discover_notes, read_note
from .ingest.boilerplate import DEFAULT_RULES, BoilerplateRule, load_rules
from .layout import layout
from .lead import open_with_definitions
from .models import Deduplicated, KnowledgeBase, NoteDoc, Placement, Taxonomy
from .normalize import normalize_doc
from .output import MANIFEST, write_docs
from .render import RenderMemo, render_site
from .segment import Segmenter
from .structure import build_note
from .taxonomy import DEFAULT_TAXONOMY, load_taxonomy
from .workers import ordered_map

__all__ = ["MANIFEST", "STAGES", "Built", "NotesError", "ProgressSink", "Settings", "build", "build_kb",
           "build_summary", "check_notes_dir", "dedup_notes", "inputs_fingerprint", "last_build", "load_notes",
           "open_cache", "place_notes", "up_to_date", "write_docs"]

# The stages a build runs, in order (a progress display shows them by these names).
STAGES = ("load data files", "ingest+structure+normalize", "classify", "align", "dedup", "layout",
          "extract", "render", "write docs")


class NotesError(Exception):
    """There are no notes to build from. str() is one line naming the path."""


class ProgressSink(Protocol):
    """What a build tells a progress display: the stage it starts, and notes read so far."""

    def stage(self, name: str) -> None: ...

    def advance(self, done: int, total: int) -> None: ...


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
    jobs: int = 0  # worker processes for the per-note stages and the per-sentence scans; 0: all cores for large inputs
    cache_dir: Path | None = None  # per-note results kept between builds (llmkb.cache); None: none


def open_cache(settings: Settings) -> NoteCache:
    """The build cache for these settings (one that keeps nothing when cache_dir is None)."""
    if settings.cache_dir is None:
        return NoteCache(None)
    version = code_version(
        [settings.rules_path, settings.taxonomy_path, settings.terms_path, settings.overrides_path],
        [f"simplify={settings.simplify}"])
    return NoteCache(Path(settings.cache_dir), version)


class _Timer:
    """Seconds per stage, in the order the stages ran; each start is told to the progress display."""

    def __init__(self, progress: ProgressSink | None = None) -> None:
        self.seconds: dict[str, float] = {}
        self.progress = progress

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        if self.progress is not None:
            self.progress.stage(name)
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started


def load_notes(settings: Settings, reporter: Reporter,
               progress: Callable[[int, int], None] | None = None) -> list[NoteDoc]:
    """ingest → structure → normalize for every note (in worker processes for many notes)."""
    return _load_notes(settings, reporter, progress, NoteCache(None))[0]


def _load_notes(settings: Settings, reporter: Reporter, progress: Callable[[int, int], None] | None,
                cache: NoteCache) -> tuple[list[NoteDoc], list[str | None], list[NoteEntry | None]]:
    """The notes' docs, with each doc's cache key and its cached entry (None when built now)."""
    rules = load_rules(settings.rules_path)
    root = settings.project_root.resolve()
    paths = discover_notes(settings.notes_dir, reporter, label_root=root)
    context = ""
    if cache.enabled:
        context = "\0".join((str(settings.notes_dir.absolute()), str(root), folder_listing(settings.notes_dir)))
    keys = [_cache_key(path, context) if cache.enabled else None for path in paths]
    entries = [cache.get(key) if key is not None else None for key in keys]
    todo = [path for path, entry in zip(paths, entries, strict=True) if entry is None]

    def prepare(path: Path) -> tuple[NoteDoc | None, list[Diagnostic]]:
        # Runs in a worker: problems are collected and replayed by the parent, in order.
        local = Reporter()
        return _prepare_note(path, settings, rules, root, local), local.items

    made = ordered_map(prepare, todo, settings.jobs)
    docs: list[NoteDoc] = []
    doc_keys: list[str | None] = []
    doc_entries: list[NoteEntry | None] = []
    for n, (key, entry) in enumerate(zip(keys, entries, strict=True), 1):
        if entry is None:
            doc, diagnostics = next(made)
            if key is not None and doc is None:
                cache.put(key, NoteEntry(None, tuple(diagnostics)))
            cached = None
        else:
            doc, diagnostics, cached = entry.doc, list(entry.diagnostics), entry
        for d in diagnostics:
            reporter.warn(d.file, d.line, d.code, d.message)
        if doc is not None:
            docs.append(doc)
            doc_keys.append(key)
            doc_entries.append(cached if cached is not None else
                               NoteEntry(doc, tuple(diagnostics)) if key is not None else None)
        if progress:
            progress(n, len(paths))
    return docs, doc_keys, doc_entries


def _cache_key(path: Path, context: str) -> str | None:
    """The note's cache key; None (not cached) when it cannot be read or is too large."""
    try:
        if path.stat().st_size > MAX_NOTE_BYTES:
            return None
        return note_key(path, path.read_bytes(), context)
    except OSError:
        return None


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
    """ingest → structure → normalize → classify: each note's sections and where they go.

    Raises NotesError, like ``build``, when the folder is missing or holds no readable note."""
    docs, placements, _taxonomy, _segmenter = _placed(settings, reporter)
    return docs, placements


def dedup_notes(settings: Settings, reporter: Reporter) -> tuple[list[NoteDoc], Deduplicated]:
    """ingest … dedup: what ``llmkb audit`` shows (every merge, what went and what stayed)."""
    docs, placements, taxonomy, segmenter = _placed(settings, reporter)
    return docs, dedup_contents(align(placements, taxonomy), segmenter)


def _placed(settings: Settings, reporter: Reporter
            ) -> tuple[list[NoteDoc], list[Placement], Taxonomy, Segmenter]:
    check_notes_dir(settings.notes_dir)
    taxonomy = load_taxonomy(settings.taxonomy_path)
    hints = load_terms(settings.terms_path)
    docs = load_notes(settings, reporter)
    require_notes(settings.notes_dir, docs, reporter)
    segmenter = Segmenter([*taxonomy.vocabulary(), *hints.terms])
    placements = classify_notes(docs, taxonomy, segmenter, reporter, settings.jobs, hints.never_models())
    return docs, placements, taxonomy, segmenter


def check_notes_dir(notes_dir: Path) -> None:
    """NotesError unless notes_dir is a folder (what build and inspect read)."""
    if notes_dir.is_file():
        raise NotesError(f"{notes_dir}: error: is a file, not a folder of notes "
                         "(--notes takes the folder that holds the .md/.markdown/.txt notes)")
    if not notes_dir.exists():
        raise NotesError(f"{notes_dir}: error: notes folder does not exist")
    if not notes_dir.is_dir():
        raise NotesError(f"{notes_dir}: error: is not a folder of notes")


def require_notes(notes_dir: Path, docs: list[NoteDoc], reporter: Reporter) -> None:
    """NotesError when not one note could be read: nothing to build, docs/ must stay as it is."""
    if docs:
        return
    skipped = Counter(d.code for d in reporter.items if d.line == 0 and d.code in _SKIPPING)
    if not skipped:
        raise NotesError(f"{notes_dir}: error: no notes found (notes are "
                         f"{', '.join(NOTE_SUFFIXES)} files)")
    reasons = ", ".join(f"{code} {n}" for code, n in sorted(skipped.items()))
    raise NotesError(f"{notes_dir}: error: no readable notes: {sum(skipped.values())} file(s) "
                     f"skipped ({reasons})")


# Warnings that mean a whole file was skipped.
_SKIPPING = {"empty", "unreadable", "too-large", "internal-error", "unsupported-type", "outside-notes"}


# The segmenter's memo in the build cache (what it cut, by text).
SEGMENTS_MEMO = "segments"
# Dedup's pairwise answers in the build cache (dedup.PairMemo).
PAIRS_MEMO = "dedup-pairs"
# Render's answers per page and per text in the build cache (render.RenderMemo).
RENDER_MEMO = "render"
# What the model registry found in each sentence, in the build cache (extract.registry.ScanMemo).
SCANS_MEMO = "extract-scans"


def build_kb(settings: Settings, reporter: Reporter,
             progress: ProgressSink | Callable[[int, int], None] | None = None,
             cache: NoteCache | None = None) -> KnowledgeBase:
    """Every stage from the notes to extraction: the knowledge base render turns into docs/.

    ``progress`` is a ProgressSink, or (older form) a function told how many notes are read."""
    if progress is not None and not hasattr(progress, "stage"):
        progress = _NotesOnly(progress)
    timer = _Timer(progress)
    with timer.stage("load data files"):
        taxonomy = load_taxonomy(settings.taxonomy_path)
        hints = load_terms(settings.terms_path)
        overrides = load_overrides(settings.overrides_path)
        segmenter = Segmenter([*taxonomy.vocabulary(), *hints.terms])
        cache = cache if cache is not None else open_cache(settings)
        # The cache's version covers the words the segmenter was built from.
        segmenter.remember(cache.load_memo(SEGMENTS_MEMO))
    with timer.stage("ingest+structure+normalize"):
        docs, keys, entries = _load_notes(settings, reporter, progress.advance if progress is not None else None,
                                          cache)
    with timer.stage("classify"):
        known = [e.evidence if e is not None else None for e in entries]
        placements, evidence = classify_with_evidence(docs, taxonomy, segmenter, reporter, settings.jobs, known,
                                                      hints.never_models())
        if cache.enabled:
            for key, entry, found in zip(keys, entries, evidence, strict=True):
                if key is not None and entry is not None and entry.evidence is None:
                    cache.put(key, NoteEntry(entry.doc, entry.diagnostics, found))
            cache.prune()
    with timer.stage("align"):
        aligned = align(placements, taxonomy)
    with timer.stage("dedup"):
        pairs = PairMemo(cache.load_memo(PAIRS_MEMO))
        deduped = dedup_contents(aligned, segmenter, pairs)
        if cache.enabled:
            cache.save_memo(PAIRS_MEMO, pairs.asked())
    with timer.stage("layout"), cycle_collection_paused():
        contents = open_with_definitions(deduped.contents, taxonomy)
        pages = layout(contents)
    with timer.stage("extract"), cycle_collection_paused():
        scans = ScanMemo(cache.load_memo(SCANS_MEMO))
        extraction = extract_all(pages, docs, segmenter, reporter, hints, overrides, scans, settings.jobs)
        if cache.enabled:
            cache.save_memo(SCANS_MEMO, scans.asked())
    return KnowledgeBase(taxonomy, docs, placements, contents, pages, deduped.merges, deduped.stats,
                         deduped.audit, extraction, segmenter, timer.seconds)


@dataclass
class _NotesOnly:
    advance: Callable[[int, int], None]

    def stage(self, name: str) -> None:
        pass


@dataclass
class Built:
    """What ``build`` made: the knowledge base, the files of docs/, those that changed."""

    kb: KnowledgeBase
    files: dict[str, str | bytes]
    changed: list[str]
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage, render included


def build(settings: Settings, reporter: Reporter, progress: ProgressSink | None = None,
          accepted: frozenset[str] = frozenset()) -> Built:
    """notes/ → docs/: every stage, the rendering and the (all or nothing) writing of docs/.

    Raises NotesError when there is nothing to build from and OutputError when docs/ cannot
    be written; in both cases docs/ is as it was."""
    check_notes_dir(settings.notes_dir)
    # Taken before any note is read: a note edited during the build makes the next one rebuild.
    fingerprint = inputs_fingerprint(settings, accepted)
    cache = open_cache(settings)
    kb = build_kb(settings, reporter, progress, cache)
    require_notes(settings.notes_dir, kb.docs, reporter)
    timer = _Timer(progress)
    with timer.stage("render"), cycle_collection_paused():
        memo = RenderMemo(cache.load_memo(RENDER_MEMO))
        files = render_site(kb, settings.notes_dir, reporter, accepted, memo)
        if cache.enabled:
            cache.save_memo(RENDER_MEMO, memo.asked())
    with timer.stage("write docs"):
        changed = write_docs(files, settings.docs_dir)
    if fingerprint is not None:
        try:  # the manifest too: a later build must put it back if it goes
            manifest = (Path(settings.docs_dir) / MANIFEST).read_bytes()
            write_stamp(_stamp_path(settings), fingerprint, {**files, MANIFEST: manifest},
                        build_summary(kb, files, reporter))
        except OSError:
            pass  # no stamp: the next build builds
    if cache.enabled:
        cache.save_memo(SEGMENTS_MEMO, kb.segmenter.memo())
    return Built(kb, files, changed, {**kb.timings, **timer.seconds})


def inputs_fingerprint(settings: Settings, accepted: frozenset[str] = frozenset()) -> str | None:
    """A hash of everything docs/ is made from — code and rules version, every note's key, the
    accepted warnings, where docs/ goes — or None when the build keeps no cache."""
    cache = open_cache(settings)
    if not cache.enabled or not settings.notes_dir.is_dir():
        return None
    root = settings.project_root.resolve()
    context = "\0".join((str(settings.notes_dir.absolute()), str(root), folder_listing(settings.notes_dir)))
    h = hashlib.sha256("\0".join((cache.version, context, str(Path(settings.docs_dir).absolute()),
                                  ",".join(sorted(accepted)))).encode())
    for path in discover_notes(settings.notes_dir, Reporter(), label_root=root):
        h.update(f"{path.absolute()}\0{_cache_key(path, context)}\n".encode())
    return h.hexdigest()


def up_to_date(settings: Settings, accepted: frozenset[str] = frozenset()) -> bool:
    """Whether docs/ is exactly what a build of these notes, code and rules would write: the last
    build's stamp (in the cache) names the same inputs, and every file it wrote is unchanged."""
    return last_build(settings, accepted) is not None


def last_build(settings: Settings, accepted: frozenset[str] = frozenset()) -> dict | None:
    """What the last build said (``build_summary``) when docs/ is up to date (``up_to_date``)."""
    fingerprint = inputs_fingerprint(settings, accepted)
    if fingerprint is None:
        return None
    return stamped_summary(_stamp_path(settings), fingerprint, Path(settings.docs_dir))


def build_summary(kb: KnowledgeBase, files: dict[str, str | bytes], reporter: Reporter) -> dict:
    """What a build says about itself (JSON data): counts and every warning."""
    extraction = kb.extraction
    return {"notes": len(kb.docs), "pages": sum(1 for f in files if f.endswith(".md")),
            "catalog_rows": len(extraction.catalog.rows), "glossary_terms": len(extraction.glossary),
            "timeline_events": len(extraction.timeline), "duplicate_sentences_merged": kb.stats.merged,
            "warnings": [[d.file, d.line, d.code, d.message] for d in reporter.items]}


def _stamp_path(settings: Settings) -> Path:
    cache = open_cache(settings)
    assert cache.folder is not None
    where = hashlib.sha256(str(Path(settings.docs_dir).absolute()).encode()).hexdigest()[:16]
    return cache.folder / f"docs-{where}.json"
