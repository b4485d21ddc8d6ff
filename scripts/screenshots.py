"""Take the README screenshots with headless Chromium: the home page and a Chinese search,
or (--nav PAGE) the navigation of a site: its tabs and the tree of PAGE's branch.

Usage: .venv/bin/python scripts/screenshots.py [--site site] [--out .github/screenshots]
       .venv/bin/python scripts/screenshots.py --site /tmp/real/site --nav architecture/index.html \
           --name real-notes-nav.png
Needs Debian's chromium and a CJK font (fonts-wqy-zenhei or fonts-noto-cjk) so the text renders.
"""

from __future__ import annotations

import argparse
import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import BrowserContext, sync_playwright

NAV_WIDTH = 2300
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@contextlib.contextmanager
def offline_browser(height: int, width: int = 1280) -> Iterator[BrowserContext]:
    """Chromium (1280 px wide unless told) with a fresh profile; the site is offline, so
    anything that is not a local file is refused."""
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        context = p.chromium.launch_persistent_context(
            profile, executable_path="/usr/bin/chromium", headless=True, args=ARGS,
            viewport={"width": width, "height": height}, locale="zh-CN")
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                      else route.abort())
        try:
            yield context
        finally:
            context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--site", type=Path, default=Path("site"))
    parser.add_argument("--out", type=Path, default=Path(".github/screenshots"))
    parser.add_argument("--query", default="涌现能力")
    parser.add_argument("--nav", help="a page of the site: screenshot its tabs and its branch's tree")
    parser.add_argument("--name", default="nav.png", help="file name of the --nav screenshot")
    args = parser.parse_args()
    if args.nav:
        nav_screenshot(args.site, args.nav, args.out / args.name)
        return
    args.out.mkdir(parents=True, exist_ok=True)
    index = (args.site / "index.html").resolve().as_uri()
    with offline_browser(860) as context:
        page = context.new_page()
        page.goto(index)
        page.screenshot(path=str(args.out / "home.png"))
        page.click("label.md-search__icon, .md-search__input")
        box = page.locator("input.md-search__input")
        box.fill(args.query)
        box.press("End")  # the theme reads the box on keyup
        page.wait_for_selector(".md-search-result__item", timeout=20_000)
        page.wait_for_timeout(300)
        page.screenshot(path=str(args.out / "search.png"))
    print(f"wrote {args.out / 'home.png'} and {args.out / 'search.png'}")


def nav_screenshot(site: Path, page_path: str, out: Path) -> None:
    """The header with the tabs and the left sidebar's tree (every section of the branch open);
    the page's own text is hidden."""
    out.parent.mkdir(parents=True, exist_ok=True)
    # Wide enough for every tab of a big tree (the theme hides the tabs that do not fit).
    with offline_browser(900, NAV_WIDTH) as context:
        page = context.new_page()
        page.goto((site / page_path).resolve().as_uri())
        # Open every nested section of the sidebar, and let the sidebar grow with its content.
        page.evaluate("""() => {
            document.querySelectorAll('.md-nav__toggle').forEach(t => { t.checked = true; });
            // Only the navigation: the notes' text stays out of the picture (and the repository).
            document.querySelectorAll('.md-content, .md-sidebar--secondary, .md-footer')
                .forEach(e => { e.style.visibility = 'hidden'; });
            // The theme's grid is 61rem wide; let the tab bar use the whole window.
            document.querySelectorAll('.md-grid').forEach(e => { e.style.maxWidth = 'none'; });
            const side = document.querySelector('.md-sidebar--primary .md-sidebar__scrollwrap');
            if (side) { side.style.maxHeight = 'none'; side.style.overflow = 'visible'; }
        }""")
        height = page.evaluate("() => document.querySelector('.md-sidebar--primary .md-nav')"
                               ".getBoundingClientRect().bottom + 40")
        height = int(height)
        page.set_viewport_size({"width": NAV_WIDTH, "height": min(max(400, height), 4000)})
        page.screenshot(path=str(out), full_page=False)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
