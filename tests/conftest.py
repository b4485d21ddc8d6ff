"""Shared fixtures: the real notes, built once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from llmkb.diagnostics import Reporter
from llmkb.pipeline import KnowledgeBase, Settings, build_kb
from llmkb.render.site import render_site

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


def note_path(prefix: str) -> Path:
    """The real note whose file name starts with prefix (e.g. "004")."""
    return next(NOTES.glob(f"{prefix}_*"))


@pytest.fixture(scope="session")
def real_settings() -> Settings:
    return Settings(notes_dir=NOTES, docs_dir=ROOT / "docs", project_root=ROOT)


@pytest.fixture(scope="session")
def real_build(real_settings) -> tuple[KnowledgeBase, dict[str, str | bytes], Reporter]:
    reporter = Reporter()
    kb = build_kb(real_settings, reporter)
    files = render_site(kb, real_settings, reporter)
    return kb, files, reporter


@pytest.fixture(scope="session")
def real_kb(real_build) -> KnowledgeBase:
    return real_build[0]


@pytest.fixture(scope="session")
def real_files(real_build) -> dict[str, str | bytes]:
    return real_build[1]


@pytest.fixture(scope="session")
def real_docs(real_kb):
    return {Path(d.path).name[:3]: d for d in real_kb.docs}
