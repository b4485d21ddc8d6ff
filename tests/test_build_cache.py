"""The build cache changes how fast a build is, never what it makes.

Builds of tests/fixtures/cache/ without a cache, with a cold and a warm cache, after one note
changed, after an image a note links appeared, and with a damaged cache entry: every docs/
tree is compared byte for byte with a clean build of the same notes, warnings included.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import llmkb.pipeline as pipeline
from llmkb.cli import app
from llmkb.diagnostics import Diagnostic, Reporter
from llmkb.extract.orgs import Orgs
from llmkb.extract.registry import Registry, ScanMemo
from llmkb.output import MANIFEST
from llmkb.pipeline import Settings, build, open_cache, up_to_date
from llmkb.render import RenderMemo
from llmkb.render.catalog import MentionLinker

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cache"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(root: Path, docs: str, cache: Path | None) -> tuple[dict[str, bytes], list[Diagnostic]]:
    reporter = Reporter()
    settings = Settings(notes_dir=root / "notes", docs_dir=root / docs, project_root=root, cache_dir=cache, jobs=1)
    build(settings, reporter)
    return tree(root / docs), reporter.items


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES, tmp_path / "notes")
    return tmp_path


def test_cached_builds_are_byte_identical_to_clean_builds(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = project / ".llmkb-cache"
    clean = run(project, "clean", None)
    assert run(project, "cold", cache) == clean
    # A warm build reads no note again: every note comes from the cache.
    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("a note was built again although the cache holds it")

    with monkeypatch.context() as m:
        m.setattr(pipeline, "_prepare_note", no_reading)
        assert run(project, "warm", cache) == clean

    note = project / "notes" / "b_发展.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n## 上下文长度\n\nGPT-4 Turbo 的上下文窗口为 128K 词元，"
                    "可以一次读入一本书。\n", encoding="utf-8")
    changed = run(project, "changed", cache)
    assert changed == run(project, "changed-clean", None)
    assert changed != clean
    assert any("128K" in data.decode("utf-8", "replace") for data in changed[0].values())


def test_an_image_that_appears_rebuilds_the_note_that_links_it(project: Path) -> None:
    cache = project / ".llmkb-cache"
    before = run(project, "before", cache)
    assert any(d.code == "image-missing" for d in before[1])
    shutil.copy2(Path(__file__).resolve().parent.parent / "docs" / "assets" / "vendor" / "katex" / "LICENSE",
                 project / "notes" / "figure.png")  # any file: the note only needs it to exist
    after = run(project, "after", cache)
    assert after == run(project, "after-clean", None)
    assert not any(d.code == "image-missing" for d in after[1])


def test_a_damaged_or_deleted_cache_is_a_full_build(project: Path) -> None:
    cache = project / ".llmkb-cache"
    clean = run(project, "clean", None)
    run(project, "first", cache)
    entries = sorted(cache.rglob("*.pickle"))
    assert len(entries) == 3  # one per note
    entries[0].write_bytes(b"not a pickle")
    assert run(project, "damaged", cache) == clean
    shutil.rmtree(cache)
    assert run(project, "deleted", cache) == clean


def test_docs_is_up_to_date_only_while_nothing_it_is_made_from_changes(project: Path) -> None:
    settings = Settings(notes_dir=project / "notes", docs_dir=project / "docs", project_root=project,
                        cache_dir=project / ".llmkb-cache", jobs=1)
    assert not up_to_date(settings)
    build(settings, Reporter())
    assert up_to_date(settings)
    assert not up_to_date(settings, frozenset({"image-missing"}))  # other accepted warnings: other pages
    (project / "docs" / "index.md").write_text("edited by hand\n", encoding="utf-8")
    assert not up_to_date(settings)
    build(settings, Reporter())
    assert up_to_date(settings)
    note = project / "notes" / "a_定义.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    assert not up_to_date(settings)
    assert open_cache(settings).version == open_cache(settings).version  # the version is stable


def test_a_rebuild_with_nothing_changed_leaves_every_file_of_docs_alone(project: Path) -> None:
    settings = Settings(notes_dir=project / "notes", docs_dir=project / "docs", project_root=project, jobs=1)
    build(settings, Reporter())
    before = {p: p.stat().st_ino for p in (project / "docs").rglob("*") if p.is_file()}
    assert build(settings, Reporter()).changed == []
    assert {p: p.stat().st_ino for p in (project / "docs").rglob("*") if p.is_file()} == before


def test_llmkb_build_with_nothing_changed_says_what_the_last_build_said(project: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    runner = CliRunner()
    first = runner.invoke(app, ["build", "--jobs", "1", "--report", "first.json"])
    assert first.exit_code == 0, first.output
    docs = tree(project / "docs")
    again = runner.invoke(app, ["build", "--jobs", "1", "--report", "again.json"])
    assert again.exit_code == 0, again.output
    assert "up to date: nothing changed since the last build" in again.output
    assert tree(project / "docs") == docs
    reports = [json.loads((project / name).read_text(encoding="utf-8")) for name in ("first.json", "again.json")]
    assert reports[0]["counts"] == reports[1]["counts"]
    assert reports[0]["warnings"] == reports[1]["warnings"] != []
    # A generated file edited or removed by hand is put back by the next build.
    (project / "docs" / MANIFEST).unlink()
    (project / "docs" / "index.md").write_text("edited\n", encoding="utf-8")
    fixed = runner.invoke(app, ["build", "--jobs", "1"])
    assert "up to date" not in fixed.output
    assert tree(project / "docs") == docs


def test_a_rebuild_scans_only_new_sentences_for_model_names(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The registry's findings per sentence come from the cache while the organizations the notes
    name stay the same; a note that names a new organization makes every sentence scanned again."""
    cache = project / ".llmkb-cache"
    run(project, "first", cache)
    scanned: list[str] = []
    real = Registry._scan_sentence

    def counting(self: Registry, text: str, titled: bool, anonymous: bool) -> object:
        scanned.append(text)
        return real(self, text, titled, anonymous)

    monkeypatch.setattr(Registry, "_scan_sentence", counting)
    note = project / "notes" / "b_发展.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n## Qwen\n\nQwen-7B 的上下文长度为 8K 词元。\n",
                    encoding="utf-8")
    changed = run(project, "changed", cache)
    assert scanned and all("Qwen" in text for text in scanned)  # only the new heading and sentence
    scanned.clear()
    assert changed == run(project, "changed-clean", None)
    every = len(scanned)  # a build without a cache scans every sentence
    scanned.clear()
    note.write_text(note.read_text(encoding="utf-8") + "\n## Badger\n\nBadger-7B 由獾实验室于 2024 年 3 月发布，"
                    "是一个开源大模型。\n", encoding="utf-8")
    assert run(project, "new-org", cache) == run(project, "new-org-clean", None)
    assert len(scanned) == 2 * (every + 2)  # a new organization: nothing cached stands


def test_scan_memo_findings_stand_only_for_the_same_organizations() -> None:
    first = ScanMemo()
    first.start(Orgs(["Meta"]))
    first.put(("LLaMA 是 Meta 的模型。", False, False), ((("llama", "LLaMA", (0,) * 9),), ()))
    same, other = ScanMemo(first.asked()), ScanMemo(first.asked())
    same.start(Orgs(["Meta"]))
    other.start(Orgs(["Meta", "智谱"]))
    assert same.get(("LLaMA 是 Meta 的模型。", False, False)) is not None
    assert other.get(("LLaMA 是 Meta 的模型。", False, False)) is None


def test_scan_memo_names_stand_only_for_the_same_names_of_two_words() -> None:
    """"Code Quokka" made one name when the notes use it as one: a build whose notes do not
    reads the text's names afresh (and its findings too)."""
    text = "Code Quokka（340 亿参数）是代码模型。"
    first = ScanMemo()
    first.start(Orgs([]), frozenset({"Code Quokka"}))
    assert [n[2] for n in first.names_in(text, frozenset({"Code Quokka"}))] == ["Code Quokka"]
    first.put((text, False, False), ((("codequokka", "Code Quokka", (0,) * 9),), ()))
    same, other = ScanMemo(first.asked()), ScanMemo(first.asked())
    same.start(Orgs([]), frozenset({"Code Quokka"}))
    other.start(Orgs([]), frozenset())
    assert [n[2] for n in same.names_in(text, frozenset({"Code Quokka"}))] == ["Code Quokka"]
    assert [n[2] for n in other.names_in(text)] == ["Code", "Quokka"]
    assert same.get((text, False, False)) is not None and other.get((text, False, False)) is None


def test_a_rebuild_links_model_mentions_again_only_on_pages_that_changed(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = project / ".llmkb-cache"
    run(project, "first", cache)
    linked: list[str] = []
    real = MentionLinker.__call__

    def counting(self: MentionLinker, markdown: str, page_file: str) -> str:
        linked.append(page_file)
        return real(self, markdown, page_file)

    monkeypatch.setattr(MentionLinker, "__call__", counting)
    again = run(project, "again", cache)  # another docs/: the pipeline runs, with the cache
    assert linked == []  # nothing changed: every page's links come from the cache
    assert again == run(project, "again-clean", None)
    every = len(linked)
    linked.clear()
    note = project / "notes" / "a_定义.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n## 规模\n\n大语言模型的参数量可达千亿。\n", encoding="utf-8")
    changed = run(project, "changed", cache)
    assert 0 < len(linked) < every  # the changed page(s) only
    assert changed == run(project, "changed-clean", None)


def test_render_memo_answers_what_an_earlier_build_asked() -> None:
    first = RenderMemo()
    assert first.answer("linked", ("sig", "a.md", "x"), lambda: "made") == "made"
    again = RenderMemo(first.asked())
    assert again.answer("linked", ("sig", "a.md", "x"), lambda: "made again") == "made"
    assert again.answer("linked", ("other", "a.md", "x"), lambda: "new") == "new"
    assert set(again.asked()["linked"]) == {("sig", "a.md", "x"), ("other", "a.md", "x")}
