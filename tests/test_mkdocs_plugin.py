"""llmkb as an MkDocs plugin: the pipeline inside mkdocs build and serve.

The plugin is driven through MkDocs' own config and events (no entry point needed), on the
notes of tests/fixtures/cache/: it writes docs/ exactly as ``llmkb build`` does, gives MkDocs
the nav, leaves docs/ alone when nothing changed, rewrites only changed files after a note
changed, and has ``mkdocs serve`` watch the notes and data files but not what it writes.
The last test runs ``mkdocs build`` with the repository's mkdocs.yml (entry point required).
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from typer.testing import CliRunner

from llmkb.cli import app
from llmkb.diagnostics import Reporter
from llmkb.mkdocs_plugin.plugin import LlmkbPlugin, hand_written_folders
from llmkb.output import MANIFEST
from llmkb.pipeline import Settings, build
from llmkb.render.search_index import read_search_index

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "cache"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES, tmp_path / "notes")
    shutil.copytree(ROOT / "docs" / "assets" / "javascripts", tmp_path / "docs" / "assets" / "javascripts")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\ndocs_dir: docs\n", encoding="utf-8")
    return tmp_path


def configured(project: Path, **options: object) -> tuple[LlmkbPlugin, MkDocsConfig]:
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    plugin = LlmkbPlugin()
    errors, _warnings = plugin.load_config({"notes": "notes", **options}, str(project / "mkdocs.yml"))
    assert errors == []
    return plugin, config


def test_on_config_writes_docs_as_llmkb_build_does_and_sets_the_nav(project: Path, tmp_path_factory) -> None:
    plugin, config = configured(project)
    plugin.on_config(config)
    other = tmp_path_factory.mktemp("cli")
    shutil.copytree(FIXTURES, other / "notes")
    shutil.copytree(project / "docs" / "assets", other / "docs" / "assets", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("search", "data", "tags*"))
    build(Settings(notes_dir=other / "notes", docs_dir=other / "docs", project_root=other, jobs=1), Reporter())
    ours = {k: v for k, v in tree(project / "docs").items() if not k.startswith("assets/javascripts/")}
    theirs = {k: v for k, v in tree(other / "docs").items() if not k.startswith("assets/javascripts/")}
    assert ours == theirs
    nav = yaml.safe_load((project / "docs" / ".nav.yml").read_text(encoding="utf-8"))["nav"]
    assert config.nav == nav


def test_nothing_changed_leaves_docs_alone_and_one_note_rewrites_only_what_it_changes(project: Path) -> None:
    plugin, config = configured(project)
    plugin.on_config(config)
    first = inodes(project / "docs")
    plugin.on_config(configured(project)[1])
    assert inodes(project / "docs") == first
    note = project / "notes" / "c_模型.txt"
    note.write_text(note.read_text(encoding="utf-8").replace("支持中英双语问答", "支持中英双语问答和多轮对话"),
                    encoding="utf-8")
    plugin.on_config(configured(project)[1])
    after = inodes(project / "docs")
    assert after["assets/javascripts/search-worker.js"] == first["assets/javascripts/search-worker.js"]
    pages = [rel for rel in first if rel.endswith(".md")]
    rewritten = {rel for rel in pages if after.get(rel) != first[rel]}
    feeds = {rel for rel in pages if "多轮对话" in (project / "docs" / rel).read_text(encoding="utf-8")}
    # The page the note feeds (and the pages that cite line numbers) are written; the others stay.
    assert feeds
    assert feeds <= rewritten < set(pages)


class Watches:
    """What on_serve asks of the live-reload server."""

    def __init__(self, docs: Path) -> None:
        self.watched = [str(docs)]

    def watch(self, path: str) -> None:
        self.watched.append(path)

    def unwatch(self, path: str) -> None:
        self.watched.remove(path)


def test_serve_watches_notes_and_data_files_but_not_what_it_writes(project: Path) -> None:
    taxonomy = ROOT / "src" / "llmkb" / "data" / "taxonomy.yaml"
    shutil.copy2(taxonomy, project / "my-taxonomy.yaml")
    plugin, config = configured(project, taxonomy="my-taxonomy.yaml")
    plugin.on_config(config)
    server = Watches(project / "docs")
    plugin.on_serve(server, config=config, builder=lambda: None)
    assert str(project / "notes") in server.watched
    assert str(project / "my-taxonomy.yaml") in server.watched
    assert str(project / "docs") not in server.watched
    assert str(project / "docs" / "assets" / "javascripts") in server.watched
    assert not any(Path(p).is_relative_to(project / "docs" / "assets" / "search") for p in server.watched)


def test_hand_written_folders_are_those_without_a_generated_file(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    for rel in ("index.md", "topic/page.md", "assets/search/dict.txt", "assets/javascripts/a.js",
                "assets/vendor/katex/k.js", "extra/notes.md"):
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text("x", encoding="utf-8")
    (docs / MANIFEST).write_text('["index.md", "topic/page.md", "assets/search/dict.txt"]', encoding="utf-8")
    assert hand_written_folders(docs) == [docs / "assets" / "javascripts", docs / "assets" / "vendor",
                                          docs / "extra"]


def test_a_missing_notes_folder_is_one_plugin_error(project: Path) -> None:
    plugin, config = configured(project, notes="no-such-folder")
    with pytest.raises(PluginError, match=r"no-such-folder.*does not exist"):
        plugin.on_config(config)


def _entry_point_installed() -> bool:
    return bool(importlib.metadata.entry_points(group="mkdocs.plugins", name="llmkb"))


@pytest.mark.skipif(not _entry_point_installed(), reason="the llmkb entry point is not installed (pip install -e .)")
@pytest.mark.parametrize("split", [True, False])
def test_post_build_splits_the_search_index_unless_told_not_to(project: Path, split: bool) -> None:
    plugin, config = configured(project, split_search=split)
    index = project / "site" / "search" / "search_index.json"
    index.parent.mkdir(parents=True)
    whole = json.dumps({"config": {"lang": ["zh"]}, "docs": [{"location": "", "title": "首页", "text": "知识库"}]},
                       ensure_ascii=False)
    index.write_text(whole, encoding="utf-8")
    plugin.on_post_build(config=config)
    if split:
        assert json.loads(index.read_text(encoding="utf-8"))["docs"] == []
        assert read_search_index(project / "site")["docs"][0]["text"] == "知识库"
    else:
        assert index.read_text(encoding="utf-8") == whole
        assert not (project / "site" / "search" / "llmkb").exists()


def test_mkdocs_build_with_the_repositorys_config_runs_the_pipeline(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES, tmp_path / "notes")
    shutil.copy2(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", tmp_path / "overrides")
    for sub in ("javascripts", "stylesheets", "vendor"):
        shutil.copytree(ROOT / "docs" / "assets" / sub, tmp_path / "docs" / "assets" / sub)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUTF8="1")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "docs" / ".nav.yml").is_file()
    assert any("GPT-3" in d["text"] for d in read_search_index(tmp_path / "site")["docs"])
    assert (tmp_path / "site" / "search" / "search_index.json").stat().st_size < 2_000, "the index is split"
    assert "llmkb: 3 notes" in done.stderr


def test_after_llmkb_build_the_plugin_finds_docs_up_to_date(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.chdir(project)  # the CLI's paths are relative to where it runs, the plugin's to mkdocs.yml
    done = CliRunner().invoke(app, ["build", "--notes", "notes", "--docs", "docs", "--jobs", "1"])
    assert done.exit_code == 0, done.output
    before = inodes(project / "docs")
    plugin, config = configured(project)
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.llmkb"):
        plugin.on_config(config)
    assert "docs/ is up to date with notes/" in caplog.text
    assert inodes(project / "docs") == before
