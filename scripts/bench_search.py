#!/usr/bin/env python3
"""Benchmark site search in a real browser: this site vs. plain Material vs. Pagefind.

Runs every query of tests/search_queries.yaml in headless Debian Chromium against

  (a) llmkb     this site as `mkdocs build` makes it (domain jieba dictionary, the
                project's search worker wired in through overrides/main.html);
  (b) material  the same pages built with Material's own search worker and jieba's
                default dictionary (a temporary copy of mkdocs.yml without
                `custom_dir` and without `jieba_dict_user`);
  (c) pagefind  Pagefind (pagefind-bin-extended, `--force-language zh`, content area
                only: `--root-selector article`) over the HTML of (a), searched
                through its default UI (sub-results shown, no debounce) on a page
                of that site.

Each site is served on 127.0.0.1 (a free port). Queries are put into the search box
and the result links are read in the order a reader sees them (links folded away in
Material's "more results on this page" boxes are not shown, so they don't count;
repeated links count once). Metrics, per system, for all queries and the held-out
ones (tuned: false):

  hit@1, hit@5  the first / one of the first five links goes to the target's page
  MRR           mean reciprocal rank of the first link to the target's page (@10)
  sec hit@1     the first link goes to the target section itself (or a heading
                inside it; for a page's introduction, the top of the page)
  sec MRR@5     the same, as mean reciprocal rank over the first five links: results
                that point at the right section, not just the right page
  zero          queries without any result
  1st ms        time to the first results after the page is open: search opened,
                index loaded, first query answered (the warm-up query)
  p50, p95      time from the query to its results on screen, in ms, after the
                index is loaded (one warm-up query first, not counted); every query
                is asked --repeat times and its median time is used

Cold start (--cold): in a fresh browser profile (a new context, empty cache), open the
home page and the search box, type a query and measure the bytes fetched from the start
of typing to the first results and the milliseconds from the last key to the first
results (over http and from file://; there the bytes are the sizes of the files read),
for a few queries. --cold-only measures only that, for any notes folder (four copies of
a collection: does what one query fetches grow with the notes?).

Real notes (issue 16): --notes DIR builds the site from another notes folder (in
.bench/notes-<name>/, with the repository's mkdocs.yml, overrides and hand-written
assets); --queries tests/labels/search_queries_real.yaml takes the labelled real query
set, whose targets are note sections: each is mapped to the places of the site where its
lines went (docs/provenance.json and the section tree of `llmkb inspect`, see
tests/search_helpers.load_real_queries). Its parts are reported as tuned and held-out.

--engine node ranks with the worker in Node (scripts/search_node.js) instead of the
browser, for llmkb only: same ranking, no UI, no page load (fast runs while tuning).

Usage:  .venv/bin/python scripts/bench_search.py [--systems llmkb,material,pagefind]
        [--notes DIR] [--queries FILE] [--cold] [--engine browser|node]
        [--json results.json] [--verbose]
Builds go to .bench/ (git-ignored); the real mkdocs.yml is never modified.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from search_helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    MATERIAL_JS,
    REPO_ROOT,
    Query,
    SiteTargets,
    dedupe,
    load_queries,
    load_real_queries,
    serve,
    site_link,
)

WORK = REPO_ROOT / ".bench"
QUERY_TIMEOUT_MS = 5_000
# Links are read once the result list has not changed for this long (a split index's first
# answer comes while it loads the rest); the time is until the list first changed.
SETTLED_MS = 500
SYSTEMS = ("llmkb", "material", "pagefind")
LABELS = {
    "llmkb": "(a) llmkb worker",
    "material": "(b) Material + jieba",
    "pagefind": "(c) Pagefind",
}

PAGEFIND_PAGE = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>Pagefind</title>
<link href="pagefind/pagefind-ui.css" rel="stylesheet">
<script src="pagefind/pagefind-ui.js"></script></head>
<body><div id="search"></div>
<script>
  window.pagefindUI = new PagefindUI({element: "#search", showSubResults: true, debounceTimeoutMs: 0,
                                      showImages: false});
</script></body></html>
"""

# Pagefind's UI: type into its box (an input event) and time until the first result
# link (or the "no results" message) appears, then wait for the list to settle.
PAGEFIND_JS = r"""
(() => {
  const root = () => document.querySelector("#search");
  const links = () => [...root().querySelectorAll("a.pagefind-ui__result-link[href]")].map(a => a.href);
  const answered = () => links().length > 0 ||
    /no results|没有|未找到/i.test((root().querySelector(".pagefind-ui__message") || {}).textContent || "");
  window.__llmkbBench = {
    links,
    async ask(q, timeoutMs) {
      const input = root().querySelector("input.pagefind-ui__search-input");
      input.focus();
      return await new Promise(resolve => {
        let first = null, quiet = null, done = false;
        const t0 = performance.now();
        const finish = (timedOut) => {
          if (done) return;
          done = true;
          observer.disconnect();
          resolve({ms: (first === null ? performance.now() : first) - t0, timedOut, links: links(), meta: ""});
        };
        const check = () => {
          if (first === null && answered()) first = performance.now();
          clearTimeout(quiet);
          if (first !== null) quiet = setTimeout(() => finish(false), 250);
        };
        const observer = new MutationObserver(check);
        observer.observe(root(), {childList: true, subtree: true, characterData: true, attributes: true});
        input.value = q;
        input.dispatchEvent(new Event("input", {bubbles: true}));
        if (!q) { setTimeout(() => finish(false), 300); return; }
        setTimeout(() => finish(true), timeoutMs);
      });
    }
  };
})();
"""


# --------------------------------------------------------------------------- builds


def run(cmd: list[str], cwd: Path, timeout: int = 900) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUTF8="1")
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{(proc.stdout + proc.stderr)[-4000:]}")


# Hand-written parts of docs/ a site needs besides what `llmkb build` writes.
HAND_WRITTEN = ("assets/javascripts", "assets/stylesheets", "assets/vendor")


def notes_project(notes: Path) -> Path:
    """A project folder for another notes folder: docs/ built from `notes` by llmkb (with
    the repository's hand-written assets), mkdocs.yml and overrides/ of the repository."""
    project = WORK / f"notes-{notes.resolve().name}"
    docs = project / "docs"
    if project.exists():
        shutil.rmtree(project)
    docs.mkdir(parents=True)
    for part in HAND_WRITTEN:
        if (REPO_ROOT / "docs" / part).is_dir():
            shutil.copytree(REPO_ROOT / "docs" / part, docs / part)
    # The llmkb plugin reads the notes from where they are (it finds docs/ up to date).
    config = (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"(?m)^(\s+notes:\s*)notes\s*$", lambda m: m.group(1) + json.dumps(str(notes.resolve())), config)
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(REPO_ROOT / "overrides", project / "overrides")
    llmkb = Path(sys.executable).with_name("llmkb")
    run([str(llmkb), "build", "--notes", str(notes.resolve()), "--docs", str(docs)], REPO_ROOT, timeout=1800)
    # The section tree of every note: where each labelled heading's section ends.
    env = dict(os.environ, PYTHONUTF8="1")
    tree = subprocess.run([str(llmkb), "inspect", str(notes.resolve()), "--json"], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, check=True, timeout=900).stdout
    (project / "inspect.json").write_text(tree, encoding="utf-8")
    return project


def build_llmkb(dest: Path, project: Path = REPO_ROOT) -> Path:
    # From the project folder: the jieba dictionary and snippet paths are relative to it.
    run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(dest)],
        project)
    return dest


def plain_config(text: str, project: Path = REPO_ROOT) -> str:
    """mkdocs.yml without the project's search changes: no custom_dir (so Material's
    own worker), no jieba user dictionary; paths made absolute for a copy elsewhere."""
    out = []
    in_llmkb = False
    for line in text.splitlines():
        stripped = line.strip()
        # No llmkb plugin either: this build only renders the docs/ llmkb wrote.
        if stripped == "- llmkb:":
            in_llmkb = True
            continue
        if in_llmkb and (line.startswith("      ") or not stripped):
            continue
        in_llmkb = False
        if stripped.startswith(("custom_dir:", "jieba_dict_user:")):
            continue
        if stripped.startswith("INHERIT:"):
            line = f"INHERIT: {(project / 'docs' / '.nav.yml').as_posix()}"
        elif re.match(r"^docs_dir:", line):
            line = f"docs_dir: {(project / 'docs').as_posix()}"
        out.append(line)
    if not any(re.match(r"^docs_dir:", line) for line in out):
        out.append(f"docs_dir: {(project / 'docs').as_posix()}")
    return "\n".join(out) + "\n"


def build_material(work: Path, project: Path = REPO_ROOT) -> Path:
    work.mkdir(parents=True, exist_ok=True)
    config = work / "mkdocs.yml"
    config.write_text(plain_config((project / "mkdocs.yml").read_text(encoding="utf-8"), project), encoding="utf-8")
    dest = work / "site"
    # From the project folder, like the real build: snippet paths are relative to it.
    run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(dest)], project)
    html = (dest / "index.html").read_text(encoding="utf-8")
    if "search-worker.js" in html:
        sys.exit("plain build still uses the project's worker: check plain_config()")
    return dest


def build_pagefind(source: Path, dest: Path) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(source, dest)
    # The content area only (`article`), as data-pagefind-body would mark it: without
    # it Pagefind also indexes the navigation and the table of contents of every page.
    run([sys.executable, "-m", "pagefind_bin_extended", "--site", str(dest), "--force-language", "zh",
         "--root-selector", "article"], REPO_ROOT, timeout=300)
    (dest / "pagefind-bench.html").write_text(PAGEFIND_PAGE, encoding="utf-8")
    return dest


# --------------------------------------------------------------------------- running


@dataclass
class Outcome:
    query: Query
    links: list[tuple[str, str]]
    ms: float | None
    timed_out: bool = False
    meta: str = ""


@dataclass
class SystemRun:
    name: str
    site: Path
    outcomes: list[Outcome] = field(default_factory=list)
    load_ms: float = 0.0
    first_ms: float = 0.0


def drive(name: str, site: Path, queries: list[Query], repeat: int = 3) -> SystemRun:
    from playwright.sync_api import sync_playwright

    result = SystemRun(name, site)
    with serve(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context()
            context.set_default_timeout(30_000)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda err: errors.append(str(err)))
            started = time.monotonic()
            if name == "pagefind":
                page.goto(base + "pagefind-bench.html", wait_until="load")
                page.evaluate(PAGEFIND_JS)
            else:
                page.goto(base + "index.html", wait_until="load")
                box = page.locator("input[data-md-component='search-query']")
                if not box.is_visible():
                    page.locator("label[for='__search']").first.click()
                box.click()
                page.evaluate(MATERIAL_JS)
            # Warm-up: the first answer also waits for the index; not timed.
            warm = page.evaluate("([q, t]) => window.__llmkbBench.ask(q, t)", ["模型", 30_000])
            result.load_ms = (time.monotonic() - started) * 1000
            result.first_ms = warm["ms"]
            if warm["timedOut"]:
                sys.exit(f"{name}: search never answered (index not loaded?)")
            for query in queries:
                times = []
                for _ in range(max(1, repeat)):
                    page.evaluate("([q, t]) => window.__llmkbBench.ask(q, t)", ["", QUERY_TIMEOUT_MS])
                    answer = page.evaluate("([q, t, s]) => window.__llmkbBench.ask(q, t, s)",
                                           [query.q, QUERY_TIMEOUT_MS, SETTLED_MS])
                    if not answer["timedOut"]:
                        times.append(answer["ms"])
                links = dedupe([link for link in (site_link(h, base) for h in answer["links"]) if link])
                result.outcomes.append(Outcome(query, links, statistics.median(times) if times else None,
                                               not times, answer.get("meta", "")))
            if errors:
                print(f"{name}: page errors: {errors[:5]}", file=sys.stderr)
        finally:
            browser.close()
    return result


def drive_node(site: Path, queries: list[Query]) -> SystemRun:
    """Rank with the worker in Node (scripts/search_node.js): links in the theme's order."""
    result = SystemRun("llmkb", site)
    proc = subprocess.run(["node", str(REPO_ROOT / "scripts" / "search_node.js"), str(site)],
                          input=json.dumps([q.q for q in queries]), capture_output=True, text=True, check=True)
    for query, answer in zip(queries, json.loads(proc.stdout), strict=True):
        links = dedupe([(loc.split("#")[0], loc.split("#", 1)[1] if "#" in loc else "") for loc in answer["links"]])
        result.outcomes.append(Outcome(query, links, answer["ms"]))
    return result


# Cold start: type into the search box of a freshly loaded page and wait for the first
# result link (not the "initialising" message).
COLD_JS = r"""
([q, timeoutMs, pagefind]) => new Promise(resolve => {
  const root = pagefind ? document.querySelector("#search")
                        : document.querySelector("[data-md-component='search-result']");
  const sel = pagefind ? "a.pagefind-ui__result-link[href]" : ".md-search-result__list a[href]";
  const input = pagefind ? root.querySelector("input.pagefind-ui__search-input")
                         : document.querySelector("input[data-md-component='search-query']");
  const t0 = performance.now();
  let done = false;
  const finish = (timedOut) => {
    if (done) return;
    done = true;
    observer.disconnect();
    resolve({ms: performance.now() - t0, timedOut, t0: performance.timeOrigin + t0});
  };
  const observer = new MutationObserver(() => { if (root.querySelector(sel)) finish(false); });
  observer.observe(root, {childList: true, subtree: true});
  input.focus();
  input.value = q;
  if (pagefind) input.dispatchEvent(new Event("input", {bubbles: true}));
  else input.dispatchEvent(new KeyboardEvent("keyup", {key: "End", bubbles: true}));
  setTimeout(() => finish(true), timeoutMs);
})
"""

SEARCH_PATHS = ("search/", "assets/search/", "assets/javascripts/search-worker.js", "pagefind/")


@dataclass
class Cold:
    query: str
    ms: float
    search_bytes: int  # search files fetched from page load to the first results
    typed_bytes: int  # of these, fetched after typing started
    timed_out: bool


def cold_start(name: str, site: Path, queries: list[str], file_url: bool = False) -> list[Cold]:
    """Each query in a fresh browser context: load the home page, open search, type."""
    from playwright.sync_api import sync_playwright

    out = []
    with serve(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        root = site.resolve().as_uri() + "/" if file_url else base
        try:
            for q in queries:
                context = browser.new_context()
                fetched: list[tuple[float, str, int]] = []

                def done(request, fetched=fetched):
                    try:
                        size = request.sizes()["responseBodySize"]
                    except Exception:  # a request without a body
                        size = 0
                    if request.url.startswith("file:"):  # no sizes from file://: the file's
                        local = Path(unquote(urlsplit(request.url).path))
                        size = local.stat().st_size if local.is_file() else 0
                    fetched.append((time.time() * 1000, request.url, size))

                context.on("requestfinished", done)
                page = context.new_page()
                page.goto(root + ("pagefind-bench.html" if name == "pagefind" else "index.html"), wait_until="load")
                if name != "pagefind":
                    box = page.locator("input[data-md-component='search-query']")
                    if not box.is_visible():
                        page.locator("label[for='__search']").first.click()
                    box.click()
                r = page.evaluate(COLD_JS, [q, 30_000, name == "pagefind"])
                page.wait_for_timeout(200)
                search = [(t, u, n) for t, u, n in fetched if any(x in u for x in SEARCH_PATHS)]
                out.append(Cold(q, r["ms"], sum(n for _, _, n in search),
                                sum(n for t, _, n in search if t >= r["t0"] - 5), r["timedOut"]))
                context.close()
        finally:
            browser.close()
    return out


# --------------------------------------------------------------------------- metrics


def reciprocal_rank(links, query, targets: SiteTargets, section: bool, cutoff: int) -> float:
    for rank, link in enumerate(links[:cutoff], 1):
        if targets.is_hit(link, query, section):
            return 1.0 / rank
    return 0.0


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def metrics(outcomes: list[Outcome], targets: SiteTargets) -> dict[str, float]:
    n = len(outcomes) or 1
    times = [o.ms for o in outcomes if o.ms is not None]
    return {
        "queries": len(outcomes),
        "hit@1": sum(bool(o.links) and targets.is_hit(o.links[0], o.query, False) for o in outcomes) / n,
        "hit@5": sum(reciprocal_rank(o.links, o.query, targets, False, 5) > 0 for o in outcomes) / n,
        "MRR": sum(reciprocal_rank(o.links, o.query, targets, False, 10) for o in outcomes) / n,
        "sec hit@1": sum(bool(o.links) and targets.is_hit(o.links[0], o.query, True) for o in outcomes) / n,
        "sec MRR@5": sum(reciprocal_rank(o.links, o.query, targets, True, 5) for o in outcomes) / n,
        "zero": sum(not o.links for o in outcomes),
        "p50 ms": statistics.median(times) if times else float("nan"),
        "p95 ms": percentile(times, 95),
    }


COLUMNS = ["hit@1", "hit@5", "MRR", "sec hit@1", "sec MRR@5", "zero", "p50 ms", "p95 ms", "1st ms"]


def table(rows: list[tuple[str, str, dict[str, float]]]) -> str:
    head = "| system | queries | " + " | ".join(COLUMNS) + " |"
    sep = "|---|---:|" + "---:|" * len(COLUMNS)
    lines = [head, sep]
    for label, subset, m in rows:
        cells = []
        for col in COLUMNS:
            value = m[col]
            if col == "zero":
                cells.append(str(int(value)))
            elif col.endswith("ms"):
                cells.append(f"{value:.1f}")
            else:
                cells.append(f"{value:.3f}")
        lines.append(f"| {label} | {subset} ({m['queries']}) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def describe(o: Outcome, targets: SiteTargets) -> str:
    want = targets.location(o.query.target)
    got = ", ".join(f"{p}#{f}" if f else p for p, f in o.links[:3]) or "(nothing)"
    return f"  {o.query.q!r} → want {want}; got {got}"


# --------------------------------------------------------------------------- main


def rank_queries(args, systems: list[str], sites: dict[str, Path], llmkb_site: Path, project: Path):
    """Ask every query of args.queries on each system and print the table; (runs, targets)."""
    targets = SiteTargets.load(llmkb_site)
    real = "targets" in (yaml.safe_load(args.queries.read_text(encoding="utf-8"))["queries"] or [{}])[0]
    if real:
        queries, lost = load_real_queries(args.queries, json.loads((project / "inspect.json").read_text("utf-8")),
                                          json.loads((project / "docs" / "provenance.json").read_text("utf-8")),
                                          project / "docs")
        for q in lost:
            print(f"no place in the site for the sections that answer {q!r} (all removed?)", file=sys.stderr)
        missing = [q for q in queries if targets.check(q)]
        if missing:
            print(f"{len(missing)} queries point at places without a search entry:", file=sys.stderr)
            for q in missing:
                print("  " + str(targets.check(q)), file=sys.stderr)
    else:
        queries = load_queries(args.queries)
        moved = [why for why in (targets.check(q) for q in queries) if why]
        if moved:
            sys.exit("the query set no longer matches the site:\n" + "\n".join(moved))

    runs = []
    for name in systems:
        t1 = time.monotonic()
        if name == "llmkb" and args.engine == "node":
            runs.append(drive_node(sites[name], queries))
        else:
            runs.append(drive(name, sites[name], queries, args.repeat))
        print(f"{name}: {len(queries)} queries in {time.monotonic() - t1:.1f}s "
              f"(page + index load {runs[-1].load_ms:.0f} ms)", file=sys.stderr)

    rows = []
    subsets = (("all", lambda q: True), ("tuned", lambda q: q.tuned), ("held-out", lambda q: not q.tuned))
    for subset, keep in subsets if real else (subsets[0], subsets[2]):
        for r in runs:
            m = metrics([o for o in r.outcomes if keep(o.query)], targets)
            m["1st ms"] = r.first_ms
            rows.append((LABELS[r.name], subset, m))
    print(table(rows))
    if args.engine == "node":
        print("(llmkb ranked in Node: its times are the engine's alone, without the browser)")
    return runs, targets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated: " + ", ".join(SYSTEMS))
    parser.add_argument("--queries", type=Path, default=REPO_ROOT / "tests" / "search_queries.yaml")
    parser.add_argument("--json", type=Path, help="write per-query results here")
    parser.add_argument("--verbose", "-v", action="store_true", help="list the queries each system misses")
    parser.add_argument("--no-build", action="store_true", help="reuse the builds in .bench/")
    parser.add_argument("--repeat", type=int, default=3, help="times each query is asked (median time)")
    parser.add_argument("--notes", type=Path, help="build the site from this notes folder (default: the repository's)")
    parser.add_argument("--engine", choices=("browser", "node"), default="browser",
                        help="llmkb ranking in the browser (default) or in Node (no UI timings)")
    parser.add_argument("--cold", action="store_true", help="also measure cold start (fresh profile per query)")
    parser.add_argument("--cold-only", action="store_true",
                        help="only the cold start (any notes folder: no query set needed)")
    parser.add_argument("--cold-queries", default="LoRA,旋转位置编码,为什么现在的 LLM 大多是 decoder-only 架构,模型",
                        help="comma-separated queries for --cold")
    args = parser.parse_args(argv)

    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = set(systems) - set(SYSTEMS)
    if unknown:
        parser.error(f"unknown systems: {sorted(unknown)}")
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing: apt-get install -y chromium")

    WORK.mkdir(exist_ok=True)
    sites: dict[str, Path] = {}
    t0 = time.monotonic()
    project = REPO_ROOT
    prefix = ""
    if args.notes:
        prefix = f"notes-{args.notes.resolve().name}-"
        project = WORK / f"notes-{args.notes.resolve().name}"
        if not args.no_build or not (project / "docs").exists():
            project = notes_project(args.notes)
    llmkb_site = WORK / f"{prefix}llmkb"
    if not args.no_build or not llmkb_site.exists():
        build_llmkb(llmkb_site, project)
    if "llmkb" in systems:
        sites["llmkb"] = llmkb_site
    if "material" in systems:
        plain = WORK / f"{prefix}material" / "site"
        sites["material"] = (plain if args.no_build and plain.exists()
                             else build_material(WORK / f"{prefix}material", project))
    if "pagefind" in systems:
        try:
            import pagefind_bin_extended  # noqa: F401
        except ImportError:
            sys.exit("Pagefind is missing: .venv/bin/pip install -e '.[bench]' (pagefind-bin-extended)")
        pf = WORK / f"{prefix}pagefind"
        sites["pagefind"] = pf if args.no_build and pf.exists() else build_pagefind(llmkb_site, pf)
    print(f"builds ready in {time.monotonic() - t0:.1f}s", file=sys.stderr)

    if not args.cold_only:
        runs, targets = rank_queries(args, systems, sites, llmkb_site, project)
    else:
        runs, targets = [], None

    if args.cold or args.cold_only:
        cold_queries = [q.strip() for q in args.cold_queries.split(",") if q.strip()]
        split = llmkb_site / "search" / "llmkb"
        stub = json.loads((llmkb_site / "search" / "search_index.json").read_text(encoding="utf-8"))
        whole = stub["config"].get("llmkb", {}).get("bytes", 0)
        files = list(split.rglob("*.js")) if split.is_dir() else []
        print(f"\ncold start, fresh profile per query (the whole search index would be {whole / 1e6:.2f} MB; "
              f"split: {len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.2f} MB, of them the "
              f"meta file {sum(p.stat().st_size for p in split.glob('meta.*.js')) / 1e3:.0f} kB):")
        print("| system | from | query | search bytes fetched | of them after typing | ms typing → first results |")
        print("|---|---|---|---:|---:|---:|")
        for name in systems:
            for file_url in (False, True) if name != "pagefind" else (False,):
                for c in cold_start(name, sites[name], cold_queries, file_url):
                    size = f"{c.search_bytes / 1e6:.2f} MB"
                    typed = f"{c.typed_bytes / 1e6:.2f} MB"
                    ms = "timeout" if c.timed_out else f"{c.ms:.0f}"
                    where = "file://" if file_url else "http"
                    print(f"| {LABELS[name]} | {where} | {c.query} | {size} | {typed} | {ms} |")

    if args.verbose:
        for r in runs:
            misses = [o for o in r.outcomes if not (o.links and targets.is_hit(o.links[0], o.query, True))]
            print(f"\n{LABELS[r.name]}: first result not the target section for {len(misses)} queries")
            for o in misses:
                print(describe(o, targets))
    if args.json:
        args.json.write_text(json.dumps({
            r.name: [{"q": o.query.q, "tuned": o.query.tuned, "target": targets.location(o.query.target),
                      "ms": o.ms, "links": [f"{p}#{f}" if f else p for p, f in o.links[:10]]} for o in r.outcomes]
            for r in runs}, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
