"""Warnings people read (issue: the build behaves like a tool people trust).

The terminal gets one line per kind of warning with its count and first example; the site's
构建报告 page (docs/report.md) lists every warning by kind with file and line; ``--strict``
fails only on warnings that mean lost or broken content; expected kinds can be accepted.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from llmkb.datafile import ConfigError
from llmkb.diagnostics import CONTENT, EXPECTED, KINDS, Diagnostic, Reporter, load_accepted, summary_lines
from llmkb.render.report import render_report

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "llmkb"


def llmkb(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "llmkb.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def noisy_notes(root: Path, images: int = 40) -> Path:
    """Notes with many warnings of a few expected kinds: missing images, remote ones, unsafe HTML."""
    notes = root / "notes"
    notes.mkdir()
    lines = ["# 涌现能力", "", "涌现能力是指模型规模变大后突然出现的能力，小模型没有这种能力。", ""]
    for i in range(images):
        lines += [f"第 {i} 张示意图：![示意图](figs/missing-{i}.png)", ""]
    lines += ["远程图片：![远程](https://example.org/a.png)", "",
              "<script>alert(1)</script>上下文学习不需要更新参数。", ""]
    (notes / "emergence.md").write_text("\n".join(lines), encoding="utf-8")
    (notes / "icl.md").write_text("# 上下文学习\n\n上下文学习（In-Context Learning）是指在提示中给出示例，"
                                  "模型就能完成新任务。\n\n![图](nowhere.png)\n", encoding="utf-8")
    return notes


# --------------------------------------------------------------------------- the declaration


def _warned_codes() -> set[str]:
    """Every literal warning code passed to ``….warn(file, line, code, message)`` in the package."""
    codes: set[str] = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "warn" \
                    and len(node.args) >= 3:
                codes |= {c.value for c in ast.walk(node.args[2])
                          if isinstance(c, ast.Constant) and isinstance(c.value, str)}
    return codes


def test_every_warning_the_package_emits_is_declared_with_a_class() -> None:
    codes = _warned_codes() | {"dangling-figure-ref", "dangling-table-ref"}  # passed on as `rule`
    assert len(codes) > 15, codes
    assert codes - set(KINDS) == set(), "declare these in llmkb.diagnostics.KINDS"
    assert {k.cls for k in KINDS.values()} == {CONTENT, EXPECTED}
    for kind in KINDS.values():
        assert kind.title and kind.why, kind


def test_the_classes_say_what_a_warning_means() -> None:
    # Lost, broken or misplaced content…
    for code in ("unreadable", "too-large", "internal-error", "unclosed-code-fence", "unplaced-section",
                 "unsupported-type", "broken-link", "override-unknown-model"):
        assert KINDS[code].cls == CONTENT, code
    # …and what the notes point at that the site cannot or must not show.
    for code in ("image-missing", "image-remote", "image-outside-notes", "image-html", "unsafe-html",
                 "unsafe-link", "link-local", "dangling-figure-ref", "dangling-table-ref", "empty"):
        assert KINDS[code].cls == EXPECTED, code


# --------------------------------------------------------------------------- the terminal


def test_summary_is_one_line_per_kind_with_count_and_first_example() -> None:
    items = [Diagnostic(f"notes/n{i % 3}.md", i + 1, "image-missing", f"image x{i}.png does not exist; dropped")
             for i in range(500)]
    items += [Diagnostic("notes/a.md", 7, "unplaced-section", "section «杂谈» fits no topic; placed on the 其他 page"),
              Diagnostic("notes/b.md", 3, "image-remote", "image https://x.org/a.png is remote; dropped")]
    lines = summary_lines(items, report="docs/report.md")
    assert len(lines) == 6, lines
    assert lines[0] == "llmkb: 502 warnings of 3 kinds; every one is listed in docs/report.md"
    assert lines[1].strip().startswith("lost or broken content")
    assert re.match(r"^\s+1 × unplaced-section\s+notes/a\.md:7: section «杂谈»", lines[2])
    # The first example is the first by file and line, not the first to arrive.
    assert re.match(r"^\s+500 × image-missing\s+notes/n0\.md:1: image x0\.png does not exist", lines[4]), lines[4]


def test_accepted_kinds_fold_into_one_line() -> None:
    items = [Diagnostic("notes/a.md", i, "image-missing", "m") for i in range(1, 30)]
    items += [Diagnostic("notes/a.md", 1, "image-remote", "r")]
    lines = summary_lines(items, accepted={"image-missing"})
    assert not any("× image-missing" in line for line in lines)
    assert lines[-1].strip() == "accepted: 29 warnings (image-missing 29)"
    assert any("× image-remote" in line for line in lines)


def test_a_build_prints_a_line_per_kind_and_the_report_page_lists_every_warning(tmp_path: Path) -> None:
    noisy_notes(tmp_path)
    result = llmkb("build", "--notes", "notes", "--docs", "docs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr
    assert len(lines) <= 8, result.stderr
    assert re.search(r"^\s+41 × image-missing\s+notes/emergence\.md:5: image figs/missing-0\.png does not exist",
                     result.stderr, re.M), result.stderr
    assert "every one is listed in docs/report.md" in lines[0]
    report = (tmp_path / "docs" / "report.md").read_text(encoding="utf-8")
    for i in range(40):
        assert f"`notes/emergence.md:{5 + 2 * i}` image figs/missing-{i}.png does not exist" in report
    assert "`notes/icl.md:5` image nowhere.png does not exist" in report
    assert "### 不存在的图片（41） {#warn-image-missing}" in report
    assert "### 远程图片（1） {#warn-image-remote}" in report
    assert "### 不安全的 HTML（1） {#warn-unsafe-html}" in report
    assert "search:\n  exclude: true" in report  # note names are not knowledge to search
    # In the nav right after 覆盖率, and on the home page.
    nav = (tmp_path / "docs" / ".nav.yml").read_text(encoding="utf-8").splitlines()
    titles = [line.strip() for line in nav if line.startswith("  - ")]
    assert titles[titles.index('- "覆盖率": coverage.md') + 1] == '- "构建报告": report.md'
    assert "[构建报告](report.md)" in (tmp_path / "docs" / "index.md").read_text(encoding="utf-8")


def test_the_report_page_is_the_same_for_the_same_notes(tmp_path: Path) -> None:
    noisy_notes(tmp_path)
    first = llmkb("build", "--notes", "notes", "--docs", "docs", "--jobs", "1", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    before = (tmp_path / "docs" / "report.md").read_bytes()
    again = llmkb("build", "--notes", "notes", "--docs", "docs2", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "docs2" / "report.md").read_bytes() == before
    text = before.decode("utf-8")
    assert not re.search(r"\d{4}-\d{2}-\d{2}|\d+(\.\d+)?\s*(s|秒)\b|\d{1,2}:\d{2}", text)


def test_report_page_without_warnings_says_so() -> None:
    page = render_report([])
    assert "本次构建没有警告。" in page and "# 构建报告 {#report}" in page


def test_report_page_quotes_odd_messages_safely() -> None:
    odd = Diagnostic("notes/a`b_[x].md", 3, "link-local", "link {#x} <b>*y*</b> | `z` points nowhere")
    page = render_report([odd])
    line = next(line for line in page.splitlines() if line.startswith("- "))
    assert line == r"- ``notes/a`b_[x].md:3`` link \{#x\} \<b\>\*y\*\</b\> \| \`z\` points nowhere"


# --------------------------------------------------------------------------- --strict and accepting


def test_strict_passes_on_expected_warnings_only(tmp_path: Path) -> None:
    noisy_notes(tmp_path)
    result = llmkb("build", "--strict", "--notes", "notes", "--docs", "docs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "--strict" not in result.stderr


@pytest.mark.parametrize(("name", "data", "code"), [
    ("slides.docx", b"PK\x03\x04 not a note", "unsupported-type"),
    ("code.md", "# 代码\n\n示例代码如下：\n\n```python\nprint('没有结束的代码块')\n".encode(), "unclosed-code-fence"),
])
def test_strict_fails_on_lost_or_broken_content(tmp_path: Path, name: str, data: bytes, code: str) -> None:
    notes = noisy_notes(tmp_path)
    (notes / name).write_bytes(data)
    lenient = llmkb("build", "--notes", "notes", "--docs", "docs", cwd=tmp_path)
    assert lenient.returncode == 0, lenient.stderr
    strict = llmkb("build", "--strict", "--notes", "notes", "--docs", "docs", cwd=tmp_path)
    assert strict.returncode == 1
    assert strict.stderr.strip().splitlines()[-1].startswith(
        f"llmkb: --strict: 1 warning(s) mean lost or broken content ({code})")
    assert "Traceback" not in strict.stderr


def test_accept_folds_an_expected_kind(tmp_path: Path) -> None:
    noisy_notes(tmp_path)
    result = llmkb("build", "--accept", "image-missing", "--notes", "notes", "--docs", "docs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "× image-missing" not in result.stderr
    assert "accepted: 41 warnings (image-missing 41)" in result.stderr
    report = (tmp_path / "docs" / "report.md").read_text(encoding="utf-8")
    assert "| 预期（已接受） | 41 |" in report


def test_a_warnings_file_accepts_kinds_and_is_validated(tmp_path: Path) -> None:
    noisy_notes(tmp_path)
    good = tmp_path / "warnings.yaml"
    good.write_text("# ours\naccept:\n  - image-remote\n  - unsafe-html\n", encoding="utf-8")
    assert load_accepted(good) == ["image-remote", "unsafe-html"]
    result = llmkb("build", "--warnings", str(good), "--notes", "notes", "--docs", "docs", cwd=tmp_path)
    assert "accepted: 2 warnings (image-remote 1, unsafe-html 1)" in result.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("accept:\n  - image-remote\n  # a comment between items\n  - unplaced-section\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.yaml:4: 'unplaced-section' means lost or broken content"):
        load_accepted(bad)
    typo = tmp_path / "typo.yaml"
    typo.write_text("accept:\n  - image-mising\n", encoding="utf-8")
    result = llmkb("build", "--warnings", str(typo), "--notes", "notes", "--docs", "docs3", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (f"{typo}:2: unknown warning kind 'image-mising' (expected kinds: "
                                     + ", ".join(k for k, v in KINDS.items() if v.cls == EXPECTED) + ")")
    assert not (tmp_path / "docs3").exists()
    other = tmp_path / "other.yaml"
    other.write_text("acept: []\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"other\.yaml:1: warnings file: unknown key\(s\) acept"):
        load_accepted(other)


def test_accepting_a_content_kind_is_refused(tmp_path: Path) -> None:
    noisy_notes(tmp_path)
    result = llmkb("build", "--accept", "unplaced-section", "--notes", "notes", "--docs", "docs", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == ("--accept: 'unplaced-section' means lost or broken content and cannot be "
                                     "accepted; fix the notes or the data files instead")


def test_the_shipped_warnings_file_loads() -> None:
    assert load_accepted(SRC / "data" / "warnings.yaml") == []


def test_the_seed_notes_pass_strict(tmp_path: Path) -> None:
    result = llmkb("build", "--strict", "--notes", str(ROOT / "notes"), "--docs", str(tmp_path / "docs"),
                   cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert len(result.stderr.strip().splitlines()) <= 8, result.stderr


def test_reporter_content_is_what_strict_fails_on() -> None:
    reporter = Reporter()
    reporter.warn("notes/a.md", 1, "image-missing", "x")
    reporter.warn("notes/a.md", 2, "unplaced-section", "y")
    reporter.warn("notes/a.md", 3, "a-code-nobody-declared", "z")  # undeclared: never silently fine
    assert [d.code for d in reporter.content()] == ["unplaced-section", "a-code-nobody-declared"]
