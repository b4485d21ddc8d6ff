"""Shared fixtures: the seed notes (notes/), built once per test session.

``real_build`` runs every stage once (build_kb: ingest … extract) and renders the site;
the other fixtures expose its parts, so no test builds the seed knowledge base again.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from llmkb.dedup import sentence_key
from llmkb.diagnostics import Reporter
from llmkb.extract import extract_all
from llmkb.extract.datafiles import DEFAULT_OVERRIDES, DEFAULT_TERMS, load_overrides, load_terms
from llmkb.models import Extraction, KnowledgeBase, NoteDoc
from llmkb.pipeline import Settings, build_kb
from llmkb.render import render_site

ROOT = Path(__file__).resolve().parent.parent
NOTES = ROOT / "notes"


def notes_with(project: Path, *fixture_dirs: Path) -> Path:
    """project/notes holding the real notes plus every file of the fixture folders."""
    notes = project / "notes"
    shutil.copytree(NOTES, notes)
    for folder in fixture_dirs:
        for path in folder.iterdir():
            shutil.copy2(path, notes / path.name)
    return notes


def kb_of_notes(project: Path, **notes: str) -> KnowledgeBase:
    """The knowledge base of these notes (file stem → Markdown text), in project/notes."""
    folder = project / "notes"
    folder.mkdir()
    for stem, text in notes.items():
        (folder / f"{stem}.md").write_text(text, encoding="utf-8")
    return build_kb(Settings(notes_dir=folder, docs_dir=project / "docs", project_root=project), Reporter())


def note_path(prefix: str) -> Path:
    """The real note whose file name starts with prefix (e.g. "004")."""
    return next(NOTES.glob(f"{prefix}_*"))


def note_keys(docs: list[NoteDoc]) -> dict[str, str]:
    """Each note's headings and blocks as one comparison key (sentence_key), before dedup:
    a sentence a page cites is grounded when its key is inside the key of a note it cites."""
    out = {}
    for doc in docs:
        parts = [s.heading.title for s in doc.root.walk() if s.heading]
        parts += [b.text for s in doc.root.walk() for b in s.blocks]
        out[doc.path] = sentence_key("".join(parts))
    return out


def text_files(files: dict[str, str | bytes]) -> dict[str, str]:
    return {k: v for k, v in files.items() if isinstance(v, str)}


@pytest.fixture(scope="session")
def real_settings() -> Settings:
    return Settings(notes_dir=NOTES, docs_dir=ROOT / "docs", project_root=ROOT)


@pytest.fixture(scope="session")
def real_build(real_settings) -> tuple[KnowledgeBase, dict[str, str | bytes], Reporter]:
    reporter = Reporter()
    kb = build_kb(real_settings, reporter)
    files = render_site(kb, real_settings.notes_dir, reporter)
    return kb, files, reporter


@pytest.fixture(scope="session")
def real_kb(real_build) -> KnowledgeBase:
    return real_build[0]


@pytest.fixture(scope="session")
def real_files(real_build) -> dict[str, str | bytes]:
    return real_build[1]


@pytest.fixture(scope="session")
def real_reporter(real_build) -> Reporter:
    return real_build[2]


@pytest.fixture(scope="session")
def real_extraction(real_kb) -> Extraction:
    return real_kb.extraction


@pytest.fixture(scope="session")
def real_docs(real_kb) -> dict[str, NoteDoc]:
    return {Path(d.path).name[:3]: d for d in real_kb.docs}


@pytest.fixture(scope="session")
def real_note_keys(real_kb) -> dict[str, str]:
    return note_keys(real_kb.docs)


def extract_again(kb: KnowledgeBase, reporter: Reporter, *, terms_path: Path = DEFAULT_TERMS,
                  overrides_path: Path = DEFAULT_OVERRIDES) -> Extraction:
    """Extraction rerun on a built knowledge base with other data files."""
    return extract_all(kb.layout, kb.docs, kb.segmenter, reporter, load_terms(terms_path),
                       load_overrides(overrides_path))
