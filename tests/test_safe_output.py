"""Never destroy what cannot be replaced.

No readable notes is an error that leaves docs/ alone; docs/ is written next to itself and
swapped in at the end, so a failure at any file write leaves the previous docs/ whole; the
hand-written files in docs/ survive every build; I/O errors are one line, no traceback.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import llmkb.output as output
from llmkb.cli import app
from llmkb.diagnostics import Reporter
from llmkb.output import MANIFEST, OutputError, write_docs
from llmkb.pipeline import Settings, build_kb
from llmkb.render import render_site

ROOT = Path(__file__).resolve().parent.parent


def llmkb(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "llmkb.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every file (bytes) and symlink (its target) under folder; what 'docs/ as it was' means."""
    out: dict[str, bytes | str] = {}
    if not folder.exists():
        return out
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[rel] = "-> " + os.readlink(path)
        elif path.is_file():
            out[rel] = path.read_bytes()
    return out


def write_note(notes: Path, name: str, text: str) -> None:
    notes.mkdir(parents=True, exist_ok=True)
    (notes / name).write_text(text, encoding="utf-8")


NOTE_A = "# 涌现能力\n\n涌现能力是指模型规模变大以后才出现的能力，小模型上几乎看不到。\n"
NOTE_B = "# 思维链\n\n思维链提示让模型先写出推理步骤，再给出答案，多步推理题的正确率因此提高。\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project whose docs/ holds a previous build and hand-written files beside it."""
    write_note(tmp_path / "notes", "a.md", NOTE_A)
    result = llmkb("build", "--notes", "notes", "--docs", "docs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    docs = tmp_path / "docs"
    (docs / "assets" / "javascripts").mkdir(parents=True, exist_ok=True)
    (docs / "assets" / "javascripts" / "extra.js").write_text("// hand-written\n", encoding="utf-8")
    (docs / "assets" / "stylesheets").mkdir(parents=True, exist_ok=True)
    (docs / "assets" / "stylesheets" / "site.css").write_text("body{}\n", encoding="utf-8")
    (docs / "assets" / "vendor" / "lib").mkdir(parents=True)
    (docs / "assets" / "vendor" / "lib" / "a.min.js").write_bytes(b"\x00vendored\xff")
    (docs / "about-by-hand.md").write_text("# 关于\n\n手写的页面。\n", encoding="utf-8")
    (docs / "assets" / "logo-link.svg").symlink_to("vendor/lib/a.min.js")
    return tmp_path


# --------------------------------------------------------------------------- no notes


@pytest.mark.parametrize("case", ["missing", "a file", "empty folder", "only empty or binary files"])
def test_no_readable_notes_is_an_error_and_docs_stay(project: Path, case: str) -> None:
    before = snapshot(project / "docs")
    notes = project / "notes"
    shutil.rmtree(notes)
    if case == "a file":
        notes.write_text(NOTE_A, encoding="utf-8")
    elif case == "empty folder":
        notes.mkdir()
    elif case == "only empty or binary files":
        notes.mkdir()
        (notes / "empty.md").write_bytes(b"")
        (notes / "blank.txt").write_text("  \n\n", encoding="utf-8")
        (notes / "binary.md").write_bytes(bytes(range(256)) * 40)
    result = llmkb("build", "--notes", "notes", "--docs", "docs", cwd=project)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("notes: error: "), lines[0]
    expected = {"missing": "notes folder does not exist",
                "a file": "is a file, not a folder of notes",
                "empty folder": "no notes found (notes are .md, .markdown, .txt files)",
                "only empty or binary files": "no readable notes: 3 file(s) skipped (empty 2, unreadable 1)"}
    assert expected[case] in lines[0]
    assert snapshot(project / "docs") == before


def test_inspect_checks_its_path_like_build(tmp_path: Path) -> None:
    missing = llmkb("inspect", "nowhere", cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr.strip() == "nowhere: error: notes folder does not exist"
    write_note(tmp_path / "notes", "a.md", NOTE_A)
    a_file = llmkb("inspect", "notes/a.md", cwd=tmp_path)
    assert a_file.returncode == 2
    assert a_file.stderr.strip().startswith("notes/a.md: error: is a file, not a folder of notes")
    (tmp_path / "none").mkdir()
    empty = llmkb("inspect", "none", cwd=tmp_path)
    assert empty.returncode == 2 and "no notes found" in empty.stderr
    ok = llmkb("inspect", "notes", "--json", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert '"path": "notes/a.md"' in ok.stdout


# --------------------------------------------------------------------------- all or nothing


def test_hand_written_files_survive_and_stale_generated_ones_go(project: Path) -> None:
    docs = project / "docs"
    kept = {rel: data for rel, data in snapshot(docs).items()
            if rel.startswith(("assets/javascripts", "assets/stylesheets", "assets/vendor", "about-by-hand",
                               "assets/logo-link"))}
    assert len(kept) == 5
    (project / "notes" / "a.md").unlink()
    write_note(project / "notes", "b.md", NOTE_B)
    result = llmkb("build", "--notes", "notes", "--docs", "docs", cwd=project)
    assert result.returncode == 0, result.stderr
    after = snapshot(docs)
    assert {rel: after.get(rel) for rel in kept} == kept
    assert (docs / "assets" / "logo-link.svg").is_symlink()
    assert "涌现能力是指" not in "".join(v.decode("utf-8", "replace") for k, v in after.items()
                                   if k.endswith(".md") and isinstance(v, bytes))
    leftovers = [p.name for p in project.iterdir() if p.name.startswith(".docs.llmkb")]
    assert leftovers == []


def _new_files(project: Path) -> dict[str, str | bytes]:
    """What a build of notes/ would write, rendered in-process (no docs/ written)."""
    settings = Settings(notes_dir=project / "notes", docs_dir=project / "docs", project_root=project)
    reporter = Reporter()
    return render_site(build_kb(settings, reporter), settings.notes_dir, reporter)


@pytest.mark.parametrize("failure", ["disk full", "interrupted"])
def test_a_failure_at_any_write_leaves_docs_all_old(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                    failure: str) -> None:
    docs = project / "docs"
    old = snapshot(docs)
    write_note(project / "notes", "b.md", NOTE_B)
    files = _new_files(project)
    calls = {"n": 0, "fail_at": 0}
    real_write, real_copy = output._write_file, output._copy_file

    def counted(real):
        def wrapper(*args):
            calls["n"] += 1
            if calls["n"] == calls["fail_at"]:
                if failure == "interrupted":
                    raise KeyboardInterrupt
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(args[-1]))
            return real(*args)
        return wrapper

    monkeypatch.setattr(output, "_write_file", counted(real_write))
    monkeypatch.setattr(output, "_copy_file", counted(real_copy))
    # Count the writes of one whole build into a scratch copy.
    scratch = project / "scratch"
    shutil.copytree(docs, scratch, symlinks=True)
    write_docs(files, scratch)
    total = calls["n"]
    assert total > len(files)  # generated files, the manifest and the carried-over hand-written ones
    for k in range(1, total + 1):
        calls["n"], calls["fail_at"] = 0, k
        expected = KeyboardInterrupt if failure == "interrupted" else OutputError
        with pytest.raises(expected):
            write_docs(files, docs)
        assert snapshot(docs) == old, f"docs/ changed when write {k} of {total} failed"
        assert not (project / ".docs.llmkb-new").exists()
    calls["n"], calls["fail_at"] = 0, 0
    write_docs(files, docs)
    new = snapshot(docs)
    assert new == snapshot(scratch)
    assert new != old


def test_a_build_killed_between_the_two_renames_is_put_back(project: Path) -> None:
    docs = project / "docs"
    before = snapshot(docs)
    docs.rename(project / ".docs.llmkb-old")  # where the fallback swap leaves docs/ mid-way
    result = llmkb("build", "--notes", "notes", "--docs", "docs", cwd=project)
    assert result.returncode == 0, result.stderr
    assert snapshot(docs) == before
    assert not (project / ".docs.llmkb-old").exists()


def test_the_fallback_swap_without_renameat2(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    write_note(project / "notes", "b.md", NOTE_B)
    files = _new_files(project)
    write_docs(files, project / "docs")
    assert snapshot(project / "docs")["assets/javascripts/extra.js"] == b"// hand-written\n"
    assert (project / "docs" / MANIFEST).is_file()
    assert not (project / ".docs.llmkb-old").exists()


# --------------------------------------------------------------------------- I/O errors


def test_docs_that_is_a_file_is_one_line(tmp_path: Path) -> None:
    write_note(tmp_path / "notes", "a.md", NOTE_A)
    (tmp_path / "docs").write_text("not a folder\n", encoding="utf-8")
    result = llmkb("build", "--notes", "notes", "--docs", "docs", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "docs: error: is not a folder; docs/ must be a folder (or not exist yet)"
    assert (tmp_path / "docs").read_text(encoding="utf-8") == "not a folder\n"


def test_docs_under_a_file_is_one_line(tmp_path: Path) -> None:
    write_note(tmp_path / "notes", "a.md", NOTE_A)
    (tmp_path / "blocker").write_text("x", encoding="utf-8")
    result = llmkb("build", "--notes", "notes", "--docs", "blocker/docs", cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert "error: cannot write the site's Markdown (Not a directory); blocker/docs/ left as it was" in lines[0]


def test_disk_full_is_one_line_and_docs_stay(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(project / "docs")
    write_note(project / "notes", "b.md", NOTE_B)

    def full(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(output, "_write_file", full)
    monkeypatch.chdir(project)
    result = CliRunner().invoke(app, ["build", "--notes", "notes", "--docs", "docs", "--jobs", "1"])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("docs/") and lines[0].endswith(
        ": error: cannot write the site's Markdown (No space left on device); docs/ left as it was")
    assert snapshot(project / "docs") == before
    assert not (project / ".docs.llmkb-new").exists()
