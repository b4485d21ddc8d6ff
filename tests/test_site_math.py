"""Formulas on the site: typeset by the vendored KaTeX, from file://, with no network at all.

A project with the repository's mkdocs.yml and hand-written assets and one note full of TeX
(tests/fixtures/math) is built with ``llmkb build`` and ``mkdocs build --strict``; its page
is opened from disk in Chromium with every non-file request blocked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from site_helpers import (
    HAND_WRITTEN_ASSETS,
    REPO_ROOT,
    BuiltSite,
    build_site,
    offline_chromium,
    run_llmkb,
    site_project,
)

pytestmark = pytest.mark.browser

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "math"
KATEX = Path("assets/vendor/katex")
DISPLAY_FORMULAS = 3
INLINE_FORMULAS = 7


@dataclass
class MathSite:
    project: Path
    site: BuiltSite
    page: Path  # the built page holding the formulas



@pytest.fixture(scope="module")
def math_site(tmp_path_factory: pytest.TempPathFactory) -> MathSite:
    project = tmp_path_factory.mktemp("math-site")
    site_project(project, FIXTURES)
    for _ in range(2):  # the second build reads the first one's manifest
        proc = run_llmkb(project, "build", "--notes", "notes", "--docs", "docs")
        assert proc.returncode == 0, proc.stderr[-3000:]
    site = build_site(project / "mkdocs.yml", project / "site")
    assert site.returncode == 0, site.log[-3000:]
    assert site.warnings == []
    pages = [p for p in (project / "docs").glob("*.md") if "$$" in p.read_text(encoding="utf-8")]
    assert len(pages) == 1, pages
    return MathSite(project, site, site.root / pages[0].with_suffix(".html").name)


def test_llmkb_build_keeps_the_vendored_files(math_site: MathSite) -> None:
    for sub in HAND_WRITTEN_ASSETS:
        shipped = sorted(p.relative_to(REPO_ROOT / "docs").as_posix()
                         for p in (REPO_ROOT / "docs" / "assets" / sub).rglob("*") if p.is_file())
        for rel in shipped:
            assert (math_site.project / "docs" / rel).is_file(), rel
            assert (math_site.site.root / rel).is_file(), rel
    assert (math_site.site.root / KATEX / "LICENSE").is_file()


def test_the_page_marks_exactly_the_formulas(math_site: MathSite) -> None:
    html = math_site.page.read_text(encoding="utf-8")
    assert html.count('<div class="arithmatex">') == DISPLAY_FORMULAS
    assert html.count('<span class="arithmatex">') == INLINE_FORMULAS
    assert f'src="{KATEX.as_posix()}/katex.min.js"' in html
    assert f'href="{KATEX.as_posix()}/katex.min.css"' in html


def test_formulas_are_typeset_offline_from_file_url(math_site: MathSite) -> None:
    with offline_chromium() as browser:
        page = browser.context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(math_site.page.as_uri(), wait_until="load")
        page.wait_for_function("document.fonts.status === 'loaded'")
        article = page.locator("article")
        marked = article.locator(".arithmatex")
        assert marked.count() == DISPLAY_FORMULAS + INLINE_FORMULAS
        # Every marked formula is now KaTeX output, none failed to parse.
        assert article.locator(".arithmatex .katex").count() == DISPLAY_FORMULAS + INLINE_FORMULAS
        assert article.locator(".arithmatex .katex-display").count() == DISPLAY_FORMULAS
        assert article.locator(".katex-error").count() == 0
        assert article.locator("[data-llmkb-math=done]").count() == DISPLAY_FORMULAS + INLINE_FORMULAS
        # No TeX delimiters are left for a reader to see; prices and code stay text.
        visible = page.evaluate("""() => {
            const copy = document.querySelector('article').cloneNode(true);
            copy.querySelectorAll('.katex-mathml').forEach(el => el.remove());
            return copy.textContent;
        }""")
        for raw in ("$$", "\\(", "\\[", "\\frac", "\\operatorname"):
            assert raw not in visible, raw
        assert "$5" in visible and "$50000" in visible
        assert article.locator("code", has_text="$d_k$").count() >= 2
        # KaTeX's own fonts came from the site itself.
        families = page.evaluate(
            "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
        assert "KaTeX_Main" in families and "KaTeX_Math" in families
        assert browser.blocked == [], f"network requests attempted: {browser.blocked}"
        assert errors == []
