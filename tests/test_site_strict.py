"""A note the way real notes come — formulas, an HTML table, captions of figures that are
missing, a [toc] marker, a 目录 list of its own headings, a star request, a paid-answer link,
a 公众号 section — builds strictly (``llmkb build --strict``, then ``mkdocs build --strict``);
the chrome is gone by named rules (provenance, coverage page), the content stays, and Chromium
with every non-file request blocked shows the formulas typeset (tests/fixtures/chrome).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from llmkb.ingest.boilerplate import load_rules
from llmkb.models import CODE_RULES
from site_helpers import REPO_ROOT, BuiltSite, build_site, offline_chromium, run_llmkb, site_project

pytestmark = pytest.mark.browser

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "chrome"
NOTE = "位置编码学习笔记.md"
DISPLAY_FORMULAS = 1
INLINE_FORMULAS = 4
# The note's lines (by how they start) and the rule that must remove each.
REMOVED = {
    "\\[toc]": "toc-marker",
    "**Star一下": "support-request",
    "目录": "self-toc",
    "- 为什么需要位置编码": "self-toc",
    "- 各方法对比": "self-toc",
    "![](img/position-encoding.png)": "image-dropped",
    '<p align="center">图1-1': "figure-caption",
    '<div align="center">': "figure-caption",
    "<p>图1-3": "figure-caption",
    "![](img/rope.png)": "image-dropped",
    "（该图来源于": "figure-caption",
    "[点击查看答案]": "paid-answer-link",
    "# 微信公众号": "promo-section-trailer",
    "欢迎扫码关注": "promo-section-trailer",
}
GONE = ["toc]", "Star", "点击查看答案", "图 1-1", "图1-1", "图 1-3", "图1-3", "该图来源", "如图 1-1 所示",
        "其结构如下图所示", "公众号", "扫码"]
KEPT = ["需要把位置信息加到词向量里。", "图 1-2 注意力热力图", "表 1 位置编码方法对比",
        "使两者的内积只依赖相对位置", "偶数维的公式如下所示"]


@dataclass
class ChromeSite:
    project: Path
    build_log: str  # what llmkb build --strict printed
    site: BuiltSite
    page: Path  # the built page holding the note's sections



@pytest.fixture(scope="module")
def chrome_site(tmp_path_factory: pytest.TempPathFactory) -> ChromeSite:
    project = tmp_path_factory.mktemp("chrome-site")
    site_project(project, FIXTURE)
    proc = run_llmkb(project, "build", "--strict", "--notes", "notes", "--docs", "docs")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    site = build_site(project / "mkdocs.yml", project / "site")
    assert site.returncode == 0, site.log[-3000:]
    assert site.warnings == []
    pages = [p for p in (project / "docs").rglob("*.md") if "PE_{(pos" in p.read_text(encoding="utf-8")]
    assert len(pages) == 1, pages
    rel = pages[0].relative_to(project / "docs").with_suffix(".html")
    return ChromeSite(project, proc.stdout + proc.stderr, site, site.root / rel)


def _line_of(start: str) -> int:
    lines = (FIXTURE / NOTE).read_text(encoding="utf-8").split("\n")
    found = [n for n, line in enumerate(lines, 1) if line.strip().startswith(start)]
    assert len(found) == 1, (start, found)
    return found[0]


def _records(project: Path) -> list[dict]:
    data = json.loads((project / "docs" / "provenance.json").read_text(encoding="utf-8"))
    return [r for r in data["blocks"] if r["file"] == f"notes/{NOTE}"]


def test_the_strict_build_warns_only_of_what_the_site_can_do_without(chrome_site: ChromeSite) -> None:
    kinds = set(re.findall(r"× (\S+)", chrome_site.build_log))
    assert kinds == {"image-missing", "image-html", "dangling-figure-ref"}, chrome_site.build_log


def test_every_chrome_line_is_removed_by_its_named_rule(chrome_site: ChromeSite) -> None:
    records = _records(chrome_site.project)
    fate = {n: (r["status"], r.get("rule", "")) for r in records for n in range(r["start"], r["end"] + 1)}
    for start, rule in REMOVED.items():
        assert fate[_line_of(start)] == ("removed", rule), start
    # Every non-blank line has a fate, and every rule that removed one is a registered rule.
    lines = (FIXTURE / NOTE).read_text(encoding="utf-8").split("\n")
    assert all(n in fate for n, line in enumerate(lines, 1) if line.strip())
    named = set(CODE_RULES) | {r.name for r in load_rules()}
    assert {rule for status, rule in fate.values() if status == "removed"} <= named - {"unaccounted"}
    # The captions of a figure or table that is there stay with it.
    for start in ("图1-2 注意力热力图", "表 1 位置编码方法对比", "![](img/heatmap.png)"):
        assert fate[_line_of(start)][0] == "kept", start


def test_the_coverage_page_counts_each_rule(chrome_site: ChromeSite) -> None:
    page = (chrome_site.project / "docs" / "coverage.md").read_text(encoding="utf-8")
    table = page[page.index("{#removal-rules}") :]
    shown = {m.group(1): int(m.group(2)) for m in re.finditer(r"^\| `([a-z-]+)` \| .* \| (\d+) \| \d+ \|$",
                                                                   table, re.M)}
    counted: dict[str, int] = {}
    notes = (chrome_site.project / "notes" / NOTE).read_text(encoding="utf-8").split("\n")
    for r in _records(chrome_site.project):
        if r["status"] == "removed":
            nonblank = sum(1 for n in range(r["start"], r["end"] + 1) if notes[n - 1].strip())
            counted[r["rule"]] = counted.get(r["rule"], 0) + nonblank
    assert shown == counted
    assert set(REMOVED.values()) <= set(shown)


def test_the_page_keeps_the_content_and_loses_the_chrome(chrome_site: ChromeSite) -> None:
    with offline_chromium() as browser:
        page = browser.context.new_page()
        page.goto(chrome_site.page.as_uri(), wait_until="load")
        text = page.locator("article").inner_text()
        for piece in GONE:
            assert piece not in text, piece
        for piece in KEPT:
            assert piece in text, piece
        # The HTML table is a table, the existing figure an image.
        rows = page.locator("article table tbody tr")
        assert rows.count() == 3 and "配合插值可以" in rows.nth(1).inner_text()
        assert page.locator("article img[src$='heatmap.png']").count() == 1
        assert browser.blocked == []


def test_the_formulas_are_typeset_offline_from_file_url(chrome_site: ChromeSite) -> None:
    with offline_chromium() as browser:
        page = browser.context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(chrome_site.page.as_uri(), wait_until="load")
        page.wait_for_function("document.fonts.status === 'loaded'")
        article = page.locator("article")
        total = DISPLAY_FORMULAS + INLINE_FORMULAS
        assert article.locator(".arithmatex").count() == total
        assert article.locator(".arithmatex .katex").count() == total
        assert article.locator(".arithmatex .katex-display").count() == DISPLAY_FORMULAS
        assert article.locator(".katex-error").count() == 0
        visible = page.evaluate("""() => {
            const copy = document.querySelector('article').cloneNode(true);
            copy.querySelectorAll('.katex-mathml').forEach(el => el.remove());
            return copy.textContent;
        }""")
        for raw in ("$$", "\\frac", "\\sin"):
            assert raw not in visible, raw
        assert browser.blocked == [], f"network requests attempted: {browser.blocked}"
        assert errors == []
