"""The catalog and glossary tables in Chromium at 1280 and 390 px: sorted by a click on a header
(or the 排序 menu), filtered with a count, grouped under group headers, the dates on one line
on a wide screen, cards and no sideways overflow on a phone; offline, from file://.

The seed notes (notes/) are built with ``llmkb build`` into a project with the repository's
mkdocs.yml and hand-written assets (so the test does not depend on the committed docs/) and
then with ``mkdocs build --strict``; pages are opened from disk with every non-file request
blocked.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from site_helpers import REPO_ROOT, build_site, offline_chromium, run_llmkb, site_project

pytestmark = pytest.mark.browser

WIDE, NARROW = 1280, 390

ROWS = "[...document.querySelectorAll('.llmkb-table tbody tr:not(.llmkb-group-row)')]"
VISIBLE = ROWS + ".filter(tr => !tr.hidden)"
GROUPS = "[...document.querySelectorAll('.llmkb-table tr.llmkb-group-row')].map(tr => tr.dataset.group)"


@dataclass
class TablesSite:
    root: Path
    catalog: list[dict]
    glossary: list[dict]



@pytest.fixture(scope="module")
def tables_site(tmp_path_factory: pytest.TempPathFactory) -> TablesSite:
    project = tmp_path_factory.mktemp("tables-site")
    site_project(project, REPO_ROOT / "notes")
    proc = run_llmkb(project, "build", "--notes", "notes", "--docs", "docs")
    assert proc.returncode == 0, proc.stderr[-3000:]
    site = build_site(project / "mkdocs.yml", project / "site")
    assert site.returncode == 0, site.log[-3000:]
    data = project / "docs" / "assets" / "data"
    catalog = json.loads((data / "catalog.json").read_text(encoding="utf-8"))["rows"]
    glossary = json.loads((data / "glossary.json").read_text(encoding="utf-8"))["terms"]
    assert len(catalog) >= 20 and len(glossary) >= 10
    return TablesSite(site.root, catalog, glossary)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with offline_chromium() as b:
        yield b
        assert b.blocked == [], f"network requests attempted: {b.blocked}"


def _open(browser, site: TablesSite, page_name: str, width: int, fragment: str = "", scripts: bool = True):
    page = browser.context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    if not scripts:
        page.route("**/tables.js", lambda route: route.abort())
    page.goto((site.root / f"{page_name}.html").as_uri() + fragment, wait_until="load")
    if scripts:
        page.wait_for_selector(".llmkb-table--enhanced")
    page.errors = errors  # type: ignore[attr-defined]
    return page


def _names(page) -> list[str]:
    return page.evaluate(VISIBLE + ".map(tr => tr.cells[0].querySelector('.model-name, strong').textContent.trim())")


def _count(page) -> str:
    return page.locator(".llmkb-table__count").inner_text()


def _no_sideways_overflow(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate("document.body.scrollWidth") <= width


def _params(site: TablesSite) -> dict[str, float]:
    return {r["name"]: max(r["params"]) for r in site.catalog
            if r["params"] and all(isinstance(v, int | float) for v in r["params"])}


# --------------------------------------------------------------------------- catalog


@pytest.mark.parametrize("width", [WIDE, NARROW])
def test_catalog_sorts_by_params(browser, tables_site: TablesSite, width: int) -> None:
    page = _open(browser, tables_site, "models", width)
    before = _names(page)
    assert before == [r["name"] for r in tables_site.catalog]
    if width == WIDE:
        page.locator("th button.llmkb-sort", has_text="参数规模").click()
        assert page.locator("th[aria-sort=ascending]").inner_text().startswith("参数规模")
        page.locator("th button.llmkb-sort", has_text="参数规模").click()
        assert page.locator("th[aria-sort=descending]").inner_text().startswith("参数规模")
    else:
        assert not page.locator("thead").is_visible()  # cards: the menu sorts
        page.select_option(".llmkb-table__sort", "params:desc")
    after = _names(page)
    params = _params(tables_site)
    sized = [n for n in after if n in params]
    assert set(sized) == set(params) and len(params) >= 5
    assert [params[n] for n in sized] == sorted(params.values(), reverse=True)
    assert after[: len(sized)] == sized  # rows without a size come last
    assert after != before and sorted(after) == sorted(before)
    assert page.errors == []  # type: ignore[attr-defined]


def test_catalog_sorts_by_date_earliest_first(browser, tables_site: TablesSite) -> None:
    page = _open(browser, tables_site, "models", WIDE)
    page.locator("th button.llmkb-sort", has_text="发布时间").click()
    dates = {r["name"]: min(r["released"]) for r in tables_site.catalog if r["released"]}
    shown = [n for n in _names(page) if n in dates]
    assert [dates[n] for n in shown] == sorted(dates.values())
    assert _names(page)[: len(shown)] == shown


@pytest.mark.parametrize("width", [WIDE, NARROW])
def test_catalog_filter_narrows_rows_and_counts_them(browser, tables_site: TablesSite, width: int) -> None:
    page = _open(browser, tables_site, "models", width)
    total = len(tables_site.catalog)
    assert _count(page) == f"共 {total} 个模型"
    page.fill(".llmkb-table__filter", "gpt4")  # spaces, hyphens and case do not matter
    names = _names(page)
    assert "GPT-4" in names and all("gpt4" in n.lower().replace("-", "").replace(" ", "") for n in names)
    assert _count(page) == f"显示 {len(names)} / {total} 个模型"
    page.fill(".llmkb-table__filter", "Anthropic")  # an organization
    names = _names(page)
    expected = [r["name"] for r in tables_site.catalog if "Anthropic" in r["organization"]]
    assert expected and set(expected) <= set(names) and len(names) < total
    assert _count(page) == f"显示 {len(names)} / {total} 个模型"
    assert page.evaluate(ROWS + ".filter(tr => tr.hidden).every(tr => tr.getClientRects().length === 0)")
    page.fill(".llmkb-table__filter", "")
    assert len(_names(page)) == total
    _no_sideways_overflow(page, width)


@pytest.mark.parametrize("width", [WIDE, NARROW])
def test_catalog_groups_by_organization_and_license(browser, tables_site: TablesSite, width: int) -> None:
    page = _open(browser, tables_site, "models", width)
    page.select_option(".llmkb-table__group", "org")
    headers = page.evaluate(GROUPS)
    orgs = {r["organization"][0] for r in tables_site.catalog if r["organization"]}
    assert set(headers) == orgs | ({"未注明机构"} if any(not r["organization"] for r in tables_site.catalog)
                                   else set())
    assert page.locator("tr.llmkb-group-row").first.is_visible()
    # Each group holds exactly its organization's rows, and every row is in one group.
    grouped = page.evaluate("""() => {
        const out = {}; let current = null;
        for (const tr of document.querySelectorAll('.llmkb-table tbody tr')) {
            if (tr.dataset.group) { current = tr.dataset.group; out[current] = []; }
            else if (!tr.hidden) { out[current].push(tr.querySelector('.model-name').textContent.trim()); }
        }
        return out;
    }""")
    assert sum(len(v) for v in grouped.values()) == len(tables_site.catalog)
    for row in tables_site.catalog:
        assert row["name"] in grouped[row["organization"][0] if row["organization"] else "未注明机构"]
    page.select_option(".llmkb-table__group", "license")
    headers = page.evaluate(GROUPS)
    assert headers[:2] == ["开源", "闭源"]
    page.select_option(".llmkb-table__group", "")
    assert page.evaluate(GROUPS) == []
    _no_sideways_overflow(page, width)


def test_catalog_at_1280_dates_on_one_line_and_nothing_squeezed(browser, tables_site: TablesSite) -> None:
    page = _open(browser, tables_site, "models", WIDE)
    lines = page.evaluate("""() => [...document.querySelectorAll('.llmkb-table td[data-col=date] a')]
        .map(a => [a.textContent, a.getClientRects().length])""")
    assert len(lines) >= 10
    assert [text for text, rects in lines if rects != 1] == []
    # Every header on one line; the table fits the page without scrolling sideways.
    headers = page.evaluate("[...document.querySelectorAll('.llmkb-table th button')]"
                            ".map(b => b.getClientRects().length)")
    assert headers and set(headers) == {1}
    fits = page.evaluate("""() => { const t = document.querySelector('.llmkb-table table');
        const box = t.parentElement; return [t.scrollWidth, box.clientWidth]; }""")
    assert fits[0] <= fits[1] + 1, fits
    _no_sideways_overflow(page, WIDE)


def test_catalog_at_390_is_cards_inside_the_screen(browser, tables_site: TablesSite) -> None:
    page = _open(browser, tables_site, "models", NARROW)
    _no_sideways_overflow(page, NARROW)
    boxes = page.evaluate(VISIBLE + ".slice(0, 20).map(tr => tr.getBoundingClientRect())"
                                    ".map(r => [r.left, r.right])")
    assert boxes and all(left >= 0 and right <= NARROW for left, right in boxes)
    label = page.evaluate("getComputedStyle(document.querySelector('.llmkb-table td[data-col=org]'), '::before')"
                          ".content")
    assert "机构" in label
    for control in (".llmkb-table__filter", ".llmkb-table__sort", ".llmkb-table__group"):
        box = page.locator(control).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= NARROW


def test_a_link_to_a_filtered_out_row_shows_it(browser, tables_site: TablesSite) -> None:
    page = _open(browser, tables_site, "models", WIDE)
    page.fill(".llmkb-table__filter", "Claude")
    assert "GPT-4" not in _names(page)
    page.evaluate("location.hash = '#model-gpt-4'")
    page.wait_for_function("!document.getElementById('model-gpt-4').closest('tr').hidden")
    assert page.locator(".llmkb-table__filter").input_value() == ""
    assert page.locator("#model-gpt-4").is_visible()
    # Scrolled to the row: the tool bar stays on screen, under the header, above the row.
    page.wait_for_timeout(100)
    tools = page.locator(".llmkb-table__tools").bounding_box()
    row = page.locator("#model-gpt-4").bounding_box()
    assert tools is not None and row is not None
    assert 0 < tools["y"] < 100 and tools["y"] + tools["height"] <= row["y"] + 1


def test_without_the_script_the_table_scrolls_with_a_hint(browser, tables_site: TablesSite) -> None:
    page = _open(browser, tables_site, "models", NARROW, scripts=False)
    assert page.locator(".llmkb-table__tools").count() == 0
    hint = page.evaluate("getComputedStyle(document.querySelector('.llmkb-table'), '::before').content")
    assert "左右滑动" in hint
    _no_sideways_overflow(page, NARROW)
    assert len(_names(page)) == len(tables_site.catalog)  # every row, in the plain table


# --------------------------------------------------------------------------- glossary


def _terms(page) -> list[str]:
    return page.evaluate(VISIBLE + ".map(tr => tr.cells[0].querySelector('strong').textContent.trim())")


@pytest.mark.parametrize("width", [WIDE, NARROW])
def test_glossary_sorts_filters_and_groups(browser, tables_site: TablesSite, width: int) -> None:
    page = _open(browser, tables_site, "glossary", width)
    total = len(tables_site.glossary)
    before = _terms(page)
    assert before == [t["term"] for t in tables_site.glossary]
    assert _count(page) == f"共 {total} 个术语"
    # Sort by the English name: terms without one last, the others in order.
    if width == WIDE:
        page.locator("th button.llmkb-sort", has_text="英文").click()
    else:
        page.select_option(".llmkb-table__sort", "english:asc")
    english = {t["term"]: t["english"] for t in tables_site.glossary}
    shown = [english[t] for t in _terms(page) if english[t]]
    assert shown == sorted(shown, key=str.lower) and _terms(page)[: len(shown)] == [
        t for t in _terms(page) if english[t]]
    # Filter by an abbreviation.
    page.fill(".llmkb-table__filter", "cot")
    terms = _terms(page)
    assert "思维链" in terms and len(terms) < total
    assert _count(page) == f"显示 {len(terms)} / {total} 个术语"
    page.fill(".llmkb-table__filter", "")
    # Group by initial (A–Z by pinyin or Latin letter) and by topic.
    page.select_option(".llmkb-table__group", "initial")
    headers = page.evaluate(GROUPS)
    assert len(headers) >= 3 and headers == sorted(headers)
    assert all(len(h) == 1 and "A" <= h <= "Z" for h in headers if h != "#")
    page.select_option(".llmkb-table__group", "topic")
    assert len(page.evaluate(GROUPS)) >= 2
    assert page.locator("tr.llmkb-group-row").first.is_visible()
    _no_sideways_overflow(page, width)
    assert page.errors == []  # type: ignore[attr-defined]


def test_glossary_initials_follow_pinyin(browser, tables_site: TablesSite) -> None:
    page = _open(browser, tables_site, "glossary", WIDE)
    page.select_option(".llmkb-table__group", "initial")
    grouped = page.evaluate("""() => {
        const out = {}; let current = null;
        for (const tr of document.querySelectorAll('.llmkb-table tbody tr')) {
            if (tr.dataset.group) { current = tr.dataset.group; }
            else { out[tr.querySelector('strong').textContent.trim()] = current; }
        }
        return out;
    }""")
    expected = {"通用人工智能": "T", "思维链": "S", "涌现能力": "Y", "少数示例提示语": "S", "基座模型": "J",
                "上下文学习": "S", "指令遵循": "Z", "大语言模型": "D", "神经语言模型": "S", "预训练语言模型": "Y",
                "检索增强生成": "J", "强化学习与人类反馈": "Q", "循环神经网络": "X", "旋转位置编码": "X",
                "有监督微调": "Y", "统计语言模型": "T", "逐步推理": "Z", "幻觉": "H"}
    known = {term: grouped[term] for term in expected if term in grouped}
    assert len(known) >= 10
    assert known == {term: expected[term] for term in known}


def test_glossary_at_1280_fits_and_at_390_is_cards(browser, tables_site: TablesSite) -> None:
    page = _open(browser, tables_site, "glossary", WIDE)
    fits = page.evaluate("""() => { const t = document.querySelector('.llmkb-table table');
        return [t.scrollWidth, t.parentElement.clientWidth]; }""")
    assert fits[0] <= fits[1] + 1, fits
    page = _open(browser, tables_site, "glossary", NARROW)
    _no_sideways_overflow(page, NARROW)
    assert not page.locator("thead").is_visible()
    boxes = page.evaluate(VISIBLE + ".map(tr => tr.getBoundingClientRect().right)")
    assert boxes and max(boxes) <= NARROW
