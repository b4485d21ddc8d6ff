"""Shared by tests/test_search_browser.py and scripts/bench_search.py: the query set,
where each query's answer is in a built site, serving a site, driving Chromium, and
scoring the result links a search UI shows.

Nothing here depends on pytest, so the benchmark can import it as a plain module.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import itertools
import re
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from llmkb.render.search_index import read_search_index

# One place says where Chromium is and how it must be launched here.
from site_helpers import CHROMIUM, CHROMIUM_ARGS, REPO_ROOT  # noqa: F401  (re-exported)

QUERIES = REPO_ROOT / "tests" / "search_queries.yaml"

# --------------------------------------------------------------------------- queries


@dataclass(frozen=True)
class Target:
    page: str  # Markdown page, e.g. "abilities.md"
    anchor: str  # heading id; "" = the page's introduction


@dataclass(frozen=True)
class Query:
    q: str
    target: Target
    phrase: str
    kind: str
    tuned: bool
    also: tuple[Target, ...] = ()

    @property
    def targets(self) -> tuple[Target, ...]:
        return (self.target, *self.also)


def load_queries(path: Path = QUERIES) -> list[Query]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for i, raw in enumerate(data["queries"], 1):
        missing = {"q", "page", "anchor", "phrase", "kind", "tuned"} - set(raw)
        if missing:
            raise ValueError(f"{path.name}: query {i} lacks {sorted(missing)}: {raw}")
        also = tuple(Target(a["page"], a.get("anchor", "")) for a in raw.get("also", []))
        out.append(Query(str(raw["q"]), Target(raw["page"], raw["anchor"] or ""), raw["phrase"],
                         raw["kind"], bool(raw["tuned"]), also))
    return out


# --------------------------------------------------------------------------- the built site


def _plain(html: str) -> str:
    text = re.sub(r"<[^>]+>", "", html).replace("\u200b", "")
    return re.sub(r"\s+", " ", text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))


def page_path(page: str, use_directory_urls: bool) -> str:
    """Site path of a Markdown page: abilities.md → abilities.html (or abilities/)."""
    stem = page[:-3] if page.endswith(".md") else page
    if not use_directory_urls:
        return f"{stem}.html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return f"{stem}/"


class _Headings(HTMLParser):
    """Ids and levels of the h1–h6 of a page's content, in order, and the ids of other
    elements of the content (level 7: a catalog row's link), where they stand among them."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[int, str]] = []
        self._content = False  # from the page's h1 to the end of its article

    def handle_starttag(self, tag, attrs):
        ident = dict(attrs).get("id")
        if re.fullmatch(r"h[1-6]", tag):
            self._content = self._content or tag == "h1"
            if ident:
                self.headings.append((int(tag[1]), ident))
        elif ident and self._content:
            self.headings.append((7, ident))

    def handle_endtag(self, tag):
        if tag == "article":
            self._content = False


@dataclass
class SiteTargets:
    """Where answers live in one built site (from its search index and HTML)."""

    root: Path
    use_directory_urls: bool
    index_text: dict[str, str]  # location → title + text
    h1: dict[str, str] = field(default_factory=dict)  # path → id of the page's h1
    inside: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # (path, anchor) → nested ids
    intro: dict[str, set[str]] = field(default_factory=dict)  # path → ids in its introduction

    @classmethod
    def load(cls, root: Path) -> SiteTargets:
        index = read_search_index(root)
        text = {d["location"]: _plain(d.get("title", "")) + " " + _plain(d.get("text", "")) for d in index["docs"]}
        paths = {loc.split("#")[0] for loc in text}
        directory = any(p.endswith("/") and p for p in paths) or not any(p.endswith(".html") for p in paths)
        site = cls(root, directory, text)
        for path in paths:
            html_file = root / (path + "index.html" if path.endswith("/") or not path else path)
            if not html_file.is_file():
                continue
            parser = _Headings()
            parser.feed(html_file.read_text(encoding="utf-8"))
            heads = parser.headings
            if heads and heads[0][0] == 1:
                site.h1[path] = heads[0][1]
                site.intro[path] = set(itertools.takewhile(lambda h: h[0] == 7, heads[1:]))
                site.intro[path] = {ident for _, ident in site.intro[path]}
            for i, (level, ident) in enumerate(heads):
                if level == 7:
                    continue
                nested = set()
                for lvl, sub in heads[i + 1:]:
                    if lvl <= level:
                        break
                    nested.add(sub)
                site.inside[(path, ident)] = nested
        return site

    def location(self, target: Target) -> str:
        path = page_path(target.page, self.use_directory_urls)
        return f"{path}#{target.anchor}" if target.anchor else path

    def check(self, query: Query) -> str | None:
        """None when the query's target exists and holds its phrase, else why not."""
        loc = self.location(query.target)
        if loc not in self.index_text:
            return f"target moved: {query.q!r} → {loc} is not a section of the built site"
        if query.phrase not in self.index_text[loc]:
            return f"target moved: {query.q!r} → {loc} no longer contains {query.phrase!r}"
        return None

    def is_hit(self, link: tuple[str, str], query: Query, section: bool) -> bool:
        """Does a result link (site path, fragment) answer the query?

        section=False: the link goes to the target's page (any place on it).
        section=True: it goes to the target section or a heading nested in it; for a
        page-introduction target, to the top of the page.
        """
        path, fragment = link
        for target in query.targets:
            want = page_path(target.page, self.use_directory_urls)
            if path != want:
                continue
            if not section:
                return True
            if not target.anchor:
                if fragment in ("", self.h1.get(path, "\0")) or fragment in self.intro.get(path, ()):
                    return True
            elif fragment == target.anchor or fragment in self.inside.get((path, target.anchor), ()):
                return True
        return False


def site_link(href: str, base: str) -> tuple[str, str] | None:
    """(site path, fragment) of a result href, or None for a link outside the site."""
    if not href.startswith(base):
        return None
    parts = urlsplit(href[len(base):])
    return unquote(parts.path).lstrip("/"), unquote(parts.fragment)


# --------------------------------------------------------------------------- serving


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    """A browser that closes its page mid-download is no error worth a traceback."""

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve `root` on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = _QuietServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    server.timeout = 5
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --------------------------------------------------------------------------- Material's search UI

# In-page helpers for Material's search UI: the result links a reader sees (links in
# collapsed "more results on this page" boxes are not shown, so they don't count), and a
# timed query: set the box, send the key-up Material listens to, and wait for the
# result list to be redrawn (the theme redraws it for every answer of the worker).
MATERIAL_JS = r"""
(() => {
  const box = () => document.querySelector("input[data-md-component='search-query']");
  const result = () => document.querySelector("[data-md-component='search-result']");
  const links = () => [...result().querySelectorAll(".md-search-result__list a[href]")]
    .filter(a => !a.closest("details:not([open])"))
    .map(a => a.href);
  const meta = () => (result().querySelector(".md-search-result__meta") || {}).textContent || "";
  // ask(q, timeout, quiet): ms = until the result list first changes (the first results a
  // reader sees: a split index shows a first answer while it loads the rest); links = the
  // list once it has not changed for `quiet` ms (the answer the reader is left with).
  window.__llmkbBench = {
    links, meta,
    async ask(q, timeoutMs, quietMs = 0) {
      const input = box();
      input.focus();
      return await new Promise(resolve => {
        let done = false;
        let first = null;
        let settle = null;
        const t0 = performance.now();
        const finish = (timedOut) => {
          if (done) return;
          done = true;
          observer.disconnect();
          clearTimeout(settle);
          resolve({ms: first === null ? performance.now() - t0 : first, timedOut, links: links(), meta: meta()});
        };
        const observer = new MutationObserver(() => {
          if (first === null) first = performance.now() - t0;
          clearTimeout(settle);
          settle = setTimeout(() => finish(false), quietMs);
        });
        observer.observe(result(), {childList: true, subtree: true, characterData: true});
        input.value = q;
        input.dispatchEvent(new KeyboardEvent("keyup", {key: "End", bubbles: true}));
        setTimeout(() => finish(first === null), timeoutMs);
      });
    }
  };
})();
"""


def open_material_search(page, url: str, timeout_ms: int = 30_000) -> None:
    """Load a page of a Material site and open its search (which starts the worker)."""
    page.goto(url, wait_until="load", timeout=timeout_ms)
    box = page.locator("input[data-md-component='search-query']")
    if not box.is_visible():
        page.locator("label[for='__search']").first.click()
    box.click()
    page.evaluate(MATERIAL_JS)


def wait_until_quiet(page, quiet_ms: int = 300, timeout_ms: int = 15_000) -> None:
    """Wait until Material's result list has not changed for `quiet_ms`."""
    page.evaluate(
        """([quiet, timeout]) => new Promise(resolve => {
            const el = document.querySelector("[data-md-component='search-result']");
            let timer = setTimeout(done, quiet);
            const stop = setTimeout(done, timeout);
            const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, quiet); });
            observer.observe(el, {childList: true, subtree: true, characterData: true});
            function done() { observer.disconnect(); clearTimeout(timer); clearTimeout(stop); resolve(); }
        })""",
        [quiet_ms, timeout_ms],
    )


def type_query(page, query: str, delay_ms: int = 25) -> None:
    """Type into Material's search box like a person: clear it, type, and press End.

    Characters off the US keyboard arrive as text input without key events, while the
    theme reads the box on key-up (an IME commit is a key press), hence the End key.
    """
    box = page.locator("input[data-md-component='search-query']")
    box.click()
    box.press("Control+A")
    box.press("Backspace")
    box.press_sequentially(query, delay=delay_ms)
    box.press("End")


def result_links(page) -> list[str]:
    return page.evaluate("window.__llmkbBench.links()")


def dedupe(links: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Result links in order, each place once (a group's head and its first section may
    point at the same place)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for link in links:
        if link not in seen:
            seen.add(link)
            out.append(link)
    return out


# --------------------------------------------------------------------------- real notes (issue 16)

# A labelled note section answers through the places its lines went (docs/provenance.json):
# the place of its heading line, and every place that holds at least this share of its
# kept or merged lines (a section split over pages is found on each big part).
REAL_PLACE_SHARE = 0.25


@dataclass(frozen=True)
class NoteSection:
    file: str  # note file name
    line: int  # 1-based line of the heading
    heading: str


def _note_spans(inspect_json: dict) -> dict[str, list[tuple[int, int]]]:
    """Per note file name: (heading line, level) of every section, in line order."""
    spans: dict[str, list[tuple[int, int]]] = {}

    def walk(sections, out):
        for s in sections:
            out.append((s["line"], s["level"]))
            walk(s.get("children", []), out)

    for note in inspect_json["notes"]:
        out: list[tuple[int, int]] = []
        walk(note.get("sections", []), out)
        spans[Path(note["path"]).name] = sorted(out)
    return spans


def section_lines(spans: list[tuple[int, int]], line: int) -> tuple[int, int]:
    """Lines [line, end] of the section whose heading is at `line` (with its subsections);
    a heading the structure stage did not recognise ends at the next heading."""
    level = next((lvl for ln, lvl in spans if ln == line), None)
    for ln, lvl in spans:
        if ln > line and (level is None or lvl <= level):
            return line, ln - 1
    return line, 10**9


def _h1_ids(docs: Path) -> dict[str, str]:
    out = {}
    for md in docs.rglob("*.md"):
        m = re.search(r"^# .*\{#([^}\s]+)", md.read_text(encoding="utf-8"), re.M)
        if m:
            out[md.relative_to(docs).as_posix()] = m.group(1)
    return out


def note_section_places(section: NoteSection, spans: dict[str, list[tuple[int, int]]],
                        blocks: list[dict], h1: dict[str, str]) -> list[Target]:
    """Where a note section's text lives in the built site (page + anchor; "" = intro)."""
    start, end = section_lines(spans.get(section.file, []), section.line)
    counts: dict[tuple[str, str], int] = {}
    heading_place = None
    total = 0
    for b in blocks:
        if Path(b["file"]).name != section.file or b.get("status") not in ("kept", "merged"):
            continue
        if b["end"] < start or b["start"] > end or "page" not in b:
            continue
        place = (b["page"], b.get("anchor", ""))
        n = min(b["end"], end) - max(b["start"], start) + 1
        counts[place] = counts.get(place, 0) + n
        total += n
        if b["start"] <= start <= b["end"]:
            heading_place = place
    keep = [p for p, n in counts.items() if p == heading_place or n >= REAL_PLACE_SHARE * total]
    out = []
    for page, anchor in sorted(keep, key=lambda p: -counts[p]):
        out.append(Target(page, "" if anchor == h1.get(page) else anchor))
    return out


def load_real_queries(path: Path, inspect_json: dict, provenance: dict, docs: Path) -> tuple[list[Query], list[str]]:
    """The real-notes query set (tests/labels/search_queries_real.yaml) as Queries whose
    targets are site places; and the queries none of whose sections reached the site."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    spans = _note_spans(inspect_json)
    h1 = _h1_ids(docs)
    blocks = provenance["blocks"]
    queries, lost = [], []
    for raw in data["queries"]:
        places: list[Target] = []
        for t in raw["targets"]:
            for place in note_section_places(NoteSection(t["file"], int(t["line"]), t["heading"]), spans, blocks, h1):
                if place not in places:
                    places.append(place)
        if not places:
            lost.append(str(raw["q"]))
            continue
        queries.append(Query(str(raw["q"]), places[0], "", raw.get("kind", ""), raw.get("part") == "tuned",
                             tuple(places[1:])))
    return queries, lost
