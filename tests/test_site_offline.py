"""The built site works from file:// with the network blocked, search included."""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from llmkb.render.search_index import read_search_index
from site_helpers import BuiltSite, built_site, offline_chromium

pytestmark = pytest.mark.browser

PREFERRED_QUERIES = ["涌现能力", "大语言模型", "上下文学习"]
MAX_PAGES_VISITED = 80
SEARCH_TIMEOUT_MS = 30_000


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return built_site(tmp_path_factory)


def pick_query(site: BuiltSite) -> str:
    index = read_search_index(site.root)
    text = "".join(d.get("title", "") + d.get("text", "") for d in index["docs"]).replace("\u200b", "")
    for query in PREFERRED_QUERIES:
        if query in text:
            return query
    words = re.findall(r"[\u4e00-\u9fff]{2,4}", text)
    assert words, "no Chinese text to search for"
    return words[len(words) // 2]


def file_in_site(site: BuiltSite, href: str) -> Path | None:
    parts = urlsplit(href)
    if parts.scheme != "file":
        return None
    path = Path(unquote(parts.path)).resolve()
    return path if path.is_file() and path.is_relative_to(site.root.resolve()) else None


def deepest_page(site: BuiltSite) -> Path:
    pages = [p for p in site.html_files() if p.name != "404.html"]
    return max(pages, key=lambda p: (len(p.relative_to(site.root).parts), str(p)))


@pytest.mark.parametrize("start", ["home", "deepest"])
def test_search_works_from_file_url_without_network(site: BuiltSite, start: str) -> None:
    """The polyfill URL is page-relative: search must work at every directory depth."""
    query = pick_query(site)
    start_page = site.root / "index.html" if start == "home" else deepest_page(site)
    with offline_chromium(timeout_ms=SEARCH_TIMEOUT_MS) as browser:
        page = browser.context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(start_page.as_uri())

        assert page.evaluate("window.Worker.llmkbFileWorker === true"), "shim not active"
        started = time.monotonic()
        box = page.locator("input[data-md-component='search-query']")
        if not box.is_visible():  # narrow layouts hide the box behind a button
            page.locator("label[for='__search']").first.click()
        box.click()
        box.press_sequentially(query, delay=30)
        # Characters off the US layout arrive as text input without key events, but
        # Material reads the box on keyup (an IME commit is a key press): send one.
        box.press("End")

        results = page.locator(".md-search-result__item a[href]")
        results.first.wait_for(state="attached", timeout=SEARCH_TIMEOUT_MS)
        elapsed = time.monotonic() - started
        hrefs = [a.get_attribute("href") or "" for a in results.all()]
        meta = page.locator(".md-search-result__meta").inner_text()

        targets = [t for t in (file_in_site(site, h) for h in hrefs) if t]
        assert targets, f"no result for {query!r} links into the site: {hrefs[:10]} ({meta})"
        assert browser.blocked == [], f"network requests attempted: {browser.blocked}"
        assert errors == []
        print(f"{query!r}: {meta} in {elapsed:.2f}s; first result {hrefs[0]}")


def test_pages_load_without_network_requests(site: BuiltSite) -> None:
    pages = site.html_files()[:MAX_PAGES_VISITED]
    with offline_chromium() as browser:
        page = browser.context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda err: errors.append(f"{page.url}: {err}"))
        for path in pages:
            page.goto(path.as_uri(), wait_until="load")
        page.wait_for_timeout(500)
        assert browser.blocked == [], f"network requests attempted: {browser.blocked}"
        assert errors == []
