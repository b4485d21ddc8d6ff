"""Take the README screenshots with headless Chromium: the home page and a Chinese search.

Usage: .venv/bin/python scripts/screenshots.py [--site site] [--out .github/screenshots]
Needs Debian's chromium and a CJK font (fonts-noto-cjk) so the text renders.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--site", type=Path, default=Path("site"))
    parser.add_argument("--out", type=Path, default=Path(".github/screenshots"))
    parser.add_argument("--query", default="涌现能力")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    index = (args.site / "index.html").resolve().as_uri()
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        context = p.chromium.launch_persistent_context(
            profile, executable_path="/usr/bin/chromium", headless=True, args=ARGS,
            viewport={"width": 1280, "height": 860}, locale="zh-CN")
        # The site is offline: refuse anything that is not a local file.
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                      else route.abort())
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
        context.close()
    print(f"wrote {args.out / 'home.png'} and {args.out / 'search.png'}")


if __name__ == "__main__":
    main()
