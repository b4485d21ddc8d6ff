#!/usr/bin/env python3
"""The real-notes yardstick: build a folder of real notes and say what came out.

    python scripts/bench_real.py ../shared/real-notes
    python scripts/bench_real.py ../shared/real-notes --labels tests/labels --json out.json

Copies the notes into a temporary project, runs ``llmkb build`` and ``mkdocs build --strict``
there, and a plain ``mkdocs build`` (Material + search, lang zh) of the same raw notes in the
same run, then ``llmkb build`` again with nothing changed and after one note changed (the build
cache at work), and ``mkdocs build`` with the llmkb plugin after one more change; ``--repeat N``
runs the whole round N times and shows medians. Then prints one table:

- seconds for each build, peak memory (PSS of the process tree), the ratio to plain MkDocs;
  full, unchanged and one-note-changed build times and the share of a full build the last takes;
- content pages, the largest one in characters of text, the share of placed lines on the
  catch-all page;
- URLs and numbers with units of kept or merged note lines that are missing from the page
  the provenance names;
- lines removed by no named rule (``unaccounted``);
- warning lines printed, by kind; whether the strict build passed;
- catalog rows, glossary terms, timeline events;
- with ``--labels``: accuracy against hand-written labels (tests/labels/*.yaml), the tuned
  and the held-out part reported separately.

Nothing of the notes is written anywhere but the temporary folder (``--keep DIR`` keeps it).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import Run, timed_run
from llmkb.structure import platform_links

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# Pages that describe the knowledge base rather than hold its content.
META_PAGES = {"index", "sources", "coverage", "tags", "glossary", "timeline", "report"}
CATCH_ALL = "other"
REPORT = "build-report.json"
_WARNING = re.compile(r": warning: .* \[(?P<code>[\w.-]+)\]\s*$")
_SUMMARY = re.compile(r"^\s*(?P<count>\d[\d,]*)\s*×\s*(?P<code>[\w.-]+)\b")
_URL = re.compile(r"https?://[^\s)\]>\"'<，。；、）》]+")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|<img\b[^>]*>", re.I)
# A number with the unit that makes it a fact: sizes, counts, money, shares, lengths.
_NUMBER_UNIT = re.compile(
    r"(?<![\w.])(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![.\d])\s*(?:万亿|亿|万|千万|百万|[KMBTkmbt](?![A-Za-z0-9])|GB|MB|TB|%|"
    r"倍|层|维|个参数|"
    r"tokens?|词元|卡|张|台|小时|天)"
)


# --------------------------------------------------------------------------- builds


def make_project(notes: Path, work: Path) -> Path:
    """A copy of this project's site skeleton with the notes in notes/."""
    project = work / "llmkb"
    project.mkdir()
    shutil.copytree(notes, project / "notes")
    for name in ("mkdocs.yml", "overrides"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, project / name)
    for hand_written in ("assets/javascripts", "assets/stylesheets", "assets/vendor"):
        src = ROOT / "docs" / hand_written
        if src.is_dir():
            shutil.copytree(src, project / "docs" / hand_written)
    return project


def make_plain_project(notes: Path, work: Path) -> Path:
    """The raw notes as a plain MkDocs Material site with its own (jieba) search."""
    project = work / "plain"
    shutil.copytree(notes, project / "docs")
    (project / "mkdocs.yml").write_text(
        "site_name: notes\ntheme:\n  name: material\n  language: zh\n"
        "plugins:\n  - search:\n      lang: zh\n", encoding="utf-8")
    return project


def _llmkb(*args: str) -> list[str]:
    script = BIN / "llmkb"
    return [str(script) if script.exists() else sys.executable, *([] if script.exists() else ["-m", "llmkb.cli"]),
            *args]


def _mkdocs(*args: str) -> list[str]:
    return [sys.executable, "-m", "mkdocs", *args]


# What the one-note-changed builds append to the first note (a section of its own).
ADDED_SECTION = "\n\n## 基准测试追加的一节\n\n大语言模型的上下文窗口越来越长，这一句是基准测试追加的（第 {n} 次）。\n"


def run_builds(notes: Path, work: Path, repeat: int = 1) -> dict[str, Run]:
    """Each build ``repeat`` times in turn (same run, same load), the median of each kept:

    - ``llmkb``: ``llmkb build`` with no cache (a full build); ``mkdocs``: ``mkdocs build --strict``
      right after it (the llmkb plugin finds docs/ up to date and only MkDocs works);
    - ``plain``: plain MkDocs of the raw notes;
    - ``unchanged``: ``llmkb build`` again, nothing changed (the cache's stamp finds docs/ up to
      date: nothing is rebuilt);
    - ``one_changed``: ``llmkb build`` after a section was appended to one note (that note's
      per-note stages run; every stage across notes runs, with the cached pairs and cuts);
    - ``plugin_one_changed``: ``mkdocs build --strict`` after that note changed once more (what
      ``mkdocs serve`` does on each change: the pipeline with the cache, then MkDocs).

    The note is put back and docs/ rebuilt before the figures are read."""
    project = make_project(notes, work)
    plain = make_plain_project(notes, work)
    env = {"NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
    changed_note = sorted(p for p in (project / "notes").rglob("*") if p.suffix in (".md", ".txt"))[0]
    original = changed_note.read_bytes()
    every: dict[str, list[Run]] = {}

    def timed(name: str, cmd: list[str], cwd: Path) -> Run:
        run = timed_run(cmd, cwd, env)
        if run.returncode not in (0, 1):
            print(run.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"{name}: {' '.join(cmd)} failed ({run.returncode})")
        every.setdefault(name, []).append(run)
        return run

    build = _llmkb("build", "--notes", "notes", "--docs", "docs")
    for n in range(repeat):
        shutil.rmtree(project / ".llmkb-cache", ignore_errors=True)
        timed("llmkb", [*build, "--report", REPORT], project)
        timed("mkdocs", _mkdocs("build", "--strict"), project)
        timed("plain", _mkdocs("build"), plain)
        timed("unchanged", build, project)
        changed_note.write_bytes(original + ADDED_SECTION.format(n=f"{n}a").encode("utf-8"))
        timed("one_changed", build, project)
        changed_note.write_bytes(original + ADDED_SECTION.format(n=f"{n}b").encode("utf-8"))
        timed("plugin_one_changed", _mkdocs("build", "--strict"), project)
        changed_note.write_bytes(original)
    # Back to the notes as they are: docs/ and the strict build the figures are read from.
    timed("restore", build, project)
    every["mkdocs"].append(timed_run(_mkdocs("build", "--strict"), project, env))
    return {name: median_run(runs) for name, runs in every.items()}


def median_run(runs: list[Run]) -> Run:
    """The run with the median time (the lower middle one of an even count)."""
    return sorted(runs, key=lambda r: r.seconds)[(len(runs) - 1) // 2]


# --------------------------------------------------------------------------- measures


def norm(text: str) -> str:
    """For finding a value in a page: NFKC, lower case, no spaces, no Markdown escapes."""
    text = unicodedata.normalize("NFKC", text).lower().replace("\\", "")
    return re.sub(r"[\s,]+", "", text)


def text_chars(markdown: str) -> int:
    """Characters of text a reader sees on a generated page (markup, targets, citations out)."""
    text = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.S)
    text = re.sub(r"\[\\\[[^\]]*\\\]\]\([^)]*\)(?:\{[^}]*\})?", "", text)  # citation marks
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    text = re.sub(r"\{[#.][^}]*\}|<[^>]+>", "", text)  # attribute lists, HTML tags
    text = re.sub(r"[#*_`|>\[\]\-]", "", text)
    return len(re.sub(r"\s+", "", text))


@dataclass
class Lost:
    count: int = 0
    total: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, ok: bool, example: str) -> None:
        self.total += 1
        if not ok:
            self.count += 1
            if len(self.examples) < 3:
                self.examples.append(example)


def provenance_records(docs: Path) -> list[dict]:
    path = docs / "provenance.json"
    return json.loads(path.read_text(encoding="utf-8"))["blocks"] if path.is_file() else []


def note_lines(project: Path, rel: str, cache: dict[str, list[str]]) -> list[str]:
    if rel not in cache:
        try:
            raw = (project / rel).read_bytes()
            cache[rel] = raw.decode("utf-8", errors="replace").replace("\r\n", "\n").split("\n")
        except OSError:
            cache[rel] = []
    return cache[rel]


def lost_facts(project: Path, records: list[dict]) -> tuple[Lost, Lost]:
    """URLs and numbers with units of kept/merged lines that the pages the provenance names for
    them (the line's page, and where its merged sentences went) do not show. Numbers in
    headings (their numbering is dropped by design) and in link targets are not counted."""
    docs = project / "docs"
    pages: dict[str, tuple[str, str]] = {}
    lines: dict[str, list[str]] = {}
    urls, numbers = Lost(), Lost()

    def page(name: str) -> tuple[str, str]:
        if name not in pages:
            path = docs / name
            raw = path.read_text(encoding="utf-8") if path.is_file() else ""
            pages[name] = (raw, norm(raw))
        return pages[name]

    for r in records:
        if r["status"] not in ("kept", "merged"):
            continue
        named = [page(r["page"]), *(page(p.split("#")[0]) for p in r.get("also", []))]
        raw_text = "\n".join(note_lines(project, r["file"], lines)[r["start"] - 1 : r["end"]])
        raw_text = _IMAGE.sub("", raw_text)
        where = f"{Path(r['file']).name}:{r['start']}"
        for url in _URL.findall(raw_text):
            # A platform's redirect is checked as the address it leads to; its search links
            # (a word it linked to its own search) keep only their words, by design.
            url, _rule = platform_links.rewrite(url.rstrip(".,;:!?"))
            if url is not None:
                urls.add(any(url in p[0] or norm(url) in p[1] for p in named), f"{where} {url}")
        prose = "\n".join(ln for ln in raw_text.split("\n") if not ln.lstrip().startswith("#"))
        prose = re.sub(r"\]\([^)]*\)", "]", prose)
        for m in _NUMBER_UNIT.finditer(prose):
            numbers.add(any(norm(m.group(0)) in p[1] for p in named), f"{where} {m.group(0)}")
    return urls, numbers


def page_sizes(docs: Path) -> tuple[int, str, int]:
    """(content pages, the largest, its characters of text)."""
    sizes = {}
    for path in docs.rglob("*.md"):
        rel = path.relative_to(docs).as_posix()
        if rel.startswith("includes/") or (path.stem in META_PAGES and "/" not in rel):
            continue
        sizes[rel] = text_chars(path.read_text(encoding="utf-8"))
    if not sizes:
        return 0, "", 0
    largest = max(sizes, key=sizes.__getitem__)
    return len(sizes), largest, sizes[largest]


def catch_all_share(records: list[dict]) -> float:
    placed = Counter()
    for r in records:
        if r["status"] in ("kept", "merged") and r.get("page", "").endswith(".md") \
                and r["page"] not in ("sources.md",):
            stem = Path(r["page"]).stem
            placed[stem == CATCH_ALL] += r["end"] - r["start"] + 1
    total = sum(placed.values())
    return placed[True] / total if total else 0.0


def warnings_by_kind(run: Run, report: dict) -> tuple[int, Counter]:
    printed = [ln for ln in run.stderr.splitlines() if ln.strip()]
    kinds: Counter = Counter()
    if report.get("warnings"):
        for w in report["warnings"]:
            kinds[w["code"]] += 1
    else:
        for ln in printed:
            m = _WARNING.search(ln)
            if m:
                kinds[m.group("code")] += 1
            elif (s := _SUMMARY.match(ln)):
                kinds[s.group("code")] += int(s.group("count").replace(",", ""))
    return len(printed), kinds


def extracted_counts(docs: Path, report: dict) -> dict[str, int]:
    if "counts" in report:
        return {k: report["counts"].get(k, 0) for k in ("catalog_rows", "glossary_terms", "timeline_events")}
    # Older builds: count the rows of the generated pages.
    def read(name: str) -> str:
        path = docs / name
        return path.read_text(encoding="utf-8") if path.is_file() else ""

    return {"catalog_rows": len(re.findall(r"^\| \[", read("models.md"), re.M)),
            "glossary_terms": len(re.findall(r"^\| \*\*", read("glossary.md"), re.M)),
            "timeline_events": len(re.findall(r"^- \*\*", read("timeline.md"), re.M))}


# --------------------------------------------------------------------------- labels


def key(text: str) -> str:
    """Names and terms compared without case, spaces, hyphens or brackets' content."""
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\s\-_·.]+", "", text)


@dataclass
class Score:
    right: int = 0
    wrong: int = 0
    missing: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, outcome: str, example: str = "") -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)
        if outcome != "right" and example and len(self.misses) < 40:
            self.misses.append(example)

    @property
    def precision(self) -> float | None:
        judged = self.right + self.wrong
        return self.right / judged if judged else None

    @property
    def recall(self) -> float | None:
        total = self.right + self.wrong + self.missing
        return self.right / total if total else None


def load_labels(paths: list[Path]) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = defaultdict(list)
    files = [p for path in paths for p in (sorted(path.glob("*.yaml")) if path.is_dir() else [path])]
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for section in ("sections", "models", "values", "glossary"):
            found[section].extend(data.get(section) or [])
    return found


def placement_scores(labels: list[dict], records: list[dict]) -> dict[str, Score]:
    by_line: dict[tuple[str, int], dict] = {}
    placed: dict[str, list[dict]] = defaultdict(list)  # per file, the records on a topic, in line order
    for r in records:
        for line in range(r["start"], r["end"] + 1):
            by_line[(Path(r["file"]).name, line)] = r
        if r.get("node"):
            placed[Path(r["file"]).name].append(r)
    for file_records in placed.values():
        file_records.sort(key=lambda r: r["start"])
    scores: dict[str, Score] = defaultdict(Score)
    for label in labels:
        r = by_line.get((label["file"], label["line"]))
        # A note's title line is shown on the sources page, its section's text on a topic; a
        # note's opening line may be blank or open its front matter: either way the section is
        # judged where its first placed line went.
        title_line = r is not None and not r.get("node") and r["status"] == "kept"
        opening = label["line"] == 1 and (r is None or r["status"] == "empty" or r.get("rule") == "front-matter")
        if title_line or opening:
            r = next((q for q in placed[label["file"]] if q["start"] > label["line"]), r)
        where = f"{label['file']}:{label['line']} «{label['heading']}»"
        if r is None or r["status"] not in ("kept", "merged"):
            scores[label["part"]].add("missing", f"{where}: {r['status'] if r else 'no record'}")
            continue
        node = r.get("node") or node_of(r)
        ok = node in label["accept"]
        scores[label["part"]].add("right" if ok else "wrong",
                                  f"{where}: on {node}, accepted {label['accept']}")
    return scores


def node_of(record: dict) -> str:
    """Older builds record no node: the page's topic, or the subtopic its anchor names."""
    return record.get("anchor") or Path(record.get("page", "")).stem


def catalog_scores(labels: dict[str, list[dict]], catalog: list[dict]) -> dict[str, dict[str, Score]]:
    rows: dict[str, dict] = {}
    for row in catalog:
        for name in (row["name"], *row.get("aliases", []), *row.get("variants", [])):
            rows.setdefault(key(name), row)
    out: dict[str, dict[str, Score]] = defaultdict(lambda: defaultdict(Score))
    for label in labels["models"]:
        found = key(str(label["name"])) in rows
        part = out[label["part"]]
        if label["model"]:
            part["rows"].add("right" if found else "missing", f"{label['name']}: no row")
        elif found:
            part["rows"].add("wrong", f"{label['name']}: a row, but {label.get('kind', 'not a model')}")
    for label in labels["values"]:
        row = rows.get(key(str(label["model"])))
        score = out[label["part"]]["values"]
        what = f"{label['model']}.{label['field']} = {label['answer']}"
        shown = (row or {}).get(label["field"]) or []
        if isinstance(shown, str):
            shown = [shown]
        # A size the page gives for this variant of the row ("BERT-large 3.4 亿" on BERT's).
        of_variant = [v for src in (row or {}).get("sources", {}).get(label["field"], [])
                      if key(str(src.get("variant", ""))) == key(str(label["model"]))
                      for v in (src["values"] if isinstance(src.get("values"), list) else [src.get("values")])]
        if label["field"] == "params" and not of_variant:  # the size its name says (LLaMA-13B)
            of_variant = next((v for name, v in (row or {}).get("variant_params", {}).items()
                               if key(name) == key(str(label["model"]))), [])
        if of_variant and key(str(label["model"])) != key(row["name"]):
            shown = of_variant
        if not shown:
            score.add("missing", f"{what}: not shown")
        elif value_matches(label["field"], label["answer"], shown):
            score.add("right")
        else:
            score.add("wrong", f"{what}: shows {shown}")
    return out


def value_matches(field_: str, answer, shown: list) -> bool:
    answers = answer if isinstance(answer, list) else [answer]
    if field_ == "params":
        def billions(v) -> float | None:
            try:
                return float(v)
            except (TypeError, ValueError):
                return None

        # A conflict lists the disagreeing notes' size lists: any of their sizes is accepted.
        sizes = [float(x) for a in answers for x in (a if isinstance(a, list) else [a])]
        values = [b for b in map(billions, shown) if b is not None]
        return bool(values) and all(any(abs(v - a) <= 0.01 * a for a in sizes) for v in values)
    if field_ == "released":
        return all(any(str(v).startswith(str(a)) or str(a).startswith(str(v)) for a in answers) for v in shown)
    if field_ == "context":
        return all(any(int(v) == int(a) for a in answers) for v in shown)
    if field_ == "license":
        return all(str(v) in map(str, answers) for v in shown)
    # organization: every name shown is one of the accepted names (or contains/is contained by one)
    return all(any(key(a) in key(str(v)) or key(str(v)) in key(a) for a in map(str, answers)) for v in shown)


def glossary_scores(labels: list[dict], entries: list[dict]) -> dict[str, dict[str, Score]]:
    """Per part: "terms" (labels of defined terms: shown under their clean name?) and
    "fragments" (labels of what is no term: left out?)."""
    by_name: dict[str, dict] = {}
    for e in entries:
        for name in (e.get("term", ""), e.get("english", ""), e.get("abbr", "")):
            if name:
                by_name.setdefault(key(name), e)
    scores: dict[str, Score] = defaultdict(Score)
    fragments: dict[str, Score] = defaultdict(Score)
    for label in labels:
        names = [label.get("term", ""), label.get("english", ""), label.get("abbr", "")]
        entry = next((by_name[key(n)] for n in names if n and key(n) in by_name), None)
        what = f"{label.get('term')}"
        if not label.get("define"):
            # A fragment (no term of its own): right when the glossary leaves it out.
            shown = entry is not None and key(entry.get("term", "")) == key(label["term"])
            fragments[label["part"]].add("wrong" if shown else "right", f"{what}: an entry, but a fragment")
            continue
        if entry is None:
            scores[label["part"]].add("missing", f"{what}: no entry")
            continue
        clean = key(entry.get("term", "")) in {key(n) for n in names if n}
        scores[label["part"]].add("right" if clean else "wrong", f"{what}: shown as «{entry.get('term')}»")
    parts = sorted(set(scores) | set(fragments))
    return {part: {k: v for k, v in (("terms", scores.get(part)), ("fragments", fragments.get(part))) if v}
            for part in parts}


# --------------------------------------------------------------------------- report


def pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f} %"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("notes", type=Path)
    ap.add_argument("--labels", type=Path, action="append", default=[],
                    help="labels file or folder of them (tests/labels)")
    ap.add_argument("--json", type=Path, help="write every figure here")
    ap.add_argument("--keep", type=Path, help="build in this folder and keep it")
    ap.add_argument("--misses", action="store_true", help="list every wrong or missing label")
    ap.add_argument("--repeat", type=int, default=1, help="run every build this many times; medians are shown")
    args = ap.parse_args(argv)
    if not args.notes.is_dir():
        ap.error(f"{args.notes}: not a folder")

    work = args.keep or Path(tempfile.mkdtemp(prefix="llmkb-bench-real-"))
    if args.keep:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
    try:
        runs = run_builds(args.notes.resolve(), work, args.repeat)
        project = work / "llmkb"
        docs = project / "docs"
        report_path = project / REPORT
        report = json.loads(report_path.read_text(encoding="utf-8")) if report_path.is_file() else {}
        report.setdefault("timings", {})
        records = provenance_records(docs)
        urls, numbers = lost_facts(project, records)
        n_pages, largest, largest_chars = page_sizes(docs)
        printed, kinds = warnings_by_kind(runs["llmkb"], report)
        counts = extracted_counts(docs, report)
        unaccounted = sum(r["end"] - r["start"] + 1 for r in records
                          if r["status"] == "removed" and r.get("rule") == "unaccounted")
        both = runs["llmkb"].seconds + runs["mkdocs"].seconds
        figures: dict = {
            "llmkb_build_s": runs["llmkb"].seconds,
            "mkdocs_build_s": runs["mkdocs"].seconds,
            "plain_mkdocs_s": runs["plain"].seconds,
            "ratio_to_plain": both / runs["plain"].seconds if runs["plain"].seconds else None,
            "unchanged_build_s": runs["unchanged"].seconds,
            "one_changed_build_s": runs["one_changed"].seconds,
            "one_changed_share": runs["one_changed"].seconds / runs["llmkb"].seconds,
            "plugin_one_changed_s": runs["plugin_one_changed"].seconds,
            "repeat": args.repeat,
            "peak_mb": max(runs["llmkb"].peak_mb, runs["mkdocs"].peak_mb),
            "stage_seconds": report.get("timings", {}),
            "content_pages": n_pages,
            "largest_page": largest,
            "largest_page_chars": largest_chars,
            "catch_all_share": catch_all_share(records),
            "urls_lost": urls.count, "urls_checked": urls.total, "urls_lost_examples": urls.examples,
            "numbers_lost": numbers.count, "numbers_checked": numbers.total,
            "numbers_lost_examples": numbers.examples,
            "unaccounted_lines": unaccounted,
            "warning_lines_printed": printed,
            "warnings_by_kind": dict(kinds.most_common()),
            "strict_build_passed": runs["mkdocs"].returncode == 0,
            **counts,
        }
        if runs["mkdocs"].returncode != 0:
            figures["strict_build_errors"] = [ln for ln in runs["mkdocs"].stderr.splitlines()
                                              if "WARNING" in ln or "ERROR" in ln][:5]
        labels = load_labels(args.labels) if args.labels else {}
        label_rows: list[tuple[str, str, Score]] = []
        if labels.get("sections"):
            for part, score in sorted(placement_scores(labels["sections"], records).items()):
                label_rows.append(("placement", part, score))
        data_dir = docs / "assets" / "data"
        if labels.get("models") or labels.get("values"):
            catalog_path = data_dir / "catalog.json"
            catalog = json.loads(catalog_path.read_text(encoding="utf-8"))["rows"] if catalog_path.is_file() else []
            for part, scores in sorted(catalog_scores(labels, catalog).items()):
                for what, score in sorted(scores.items()):
                    label_rows.append((f"catalog {what}", part, score))
        if labels.get("glossary"):
            glossary_path = data_dir / "glossary.json"
            entries = json.loads(glossary_path.read_text(encoding="utf-8"))["terms"] \
                if glossary_path.is_file() else []
            for part, scores in sorted(glossary_scores(labels["glossary"], entries).items()):
                for what, score in sorted(scores.items(), reverse=True):
                    label_rows.append((f"glossary {what}", part, score))
        figures["labels"] = [{"what": w, "part": p, "right": s.right, "wrong": s.wrong, "missing": s.missing,
                              "precision": s.precision, "recall": s.recall, "misses": s.misses}
                             for w, p, s in label_rows]
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print(table(figures))
    if args.misses:
        for row in figures["labels"]:
            for miss in row["misses"]:
                print(f"  {row['what']} [{row['part']}] {miss}")
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


def table(f: dict) -> str:
    stages = ", ".join(f"{k} {v:.1f}" for k, v in f["stage_seconds"].items())
    kinds = ", ".join(f"{k} {v}" for k, v in list(f["warnings_by_kind"].items())[:8])
    rows = [
        ("llmkb build / mkdocs build --strict (s)", f"{f['llmkb_build_s']:.1f} / {f['mkdocs_build_s']:.1f}"),
        ("plain mkdocs build of the raw notes (s)", f"{f['plain_mkdocs_s']:.1f}"),
        ("ratio (llmkb + mkdocs) / plain", f"{f['ratio_to_plain']:.2f}×" if f["ratio_to_plain"] else "—"),
        ("llmkb build: full / unchanged / one note changed (s)",
         f"{f['llmkb_build_s']:.1f} / {f['unchanged_build_s']:.1f} / {f['one_changed_build_s']:.1f}"),
        ("one note changed / full build", f"{100 * f['one_changed_share']:.0f} %"),
        ("mkdocs build with the plugin after one note changed (s)", f"{f['plugin_one_changed_s']:.1f}"),
        ("runs per build (medians shown)", str(f["repeat"])),
        ("peak memory (MB, PSS)", f"{f['peak_mb']:.0f}"),
        ("seconds per stage", stages or "—"),
        ("content pages", str(f["content_pages"])),
        ("largest page (characters of text)", f"{f['largest_page_chars']:,} ({f['largest_page']})"),
        ("placed lines on the catch-all page", pct(f["catch_all_share"])),
        ("URLs of kept/merged lines missing from their page",
         f"{f['urls_lost']} of {f['urls_checked']}" + (f" (e.g. {f['urls_lost_examples'][0]})"
                                                      if f["urls_lost_examples"] else "")),
        ("numbers with units missing from their page",
         f"{f['numbers_lost']} of {f['numbers_checked']} ({pct(f['numbers_lost'] / f['numbers_checked'])})"
         if f["numbers_checked"] else "—"),
        ("lines removed by no named rule", str(f["unaccounted_lines"])),
        ("warning lines printed", str(f["warning_lines_printed"])),
        ("warnings by kind", kinds or "—"),
        ("strict build passed", "yes" if f["strict_build_passed"] else
         "no: " + "; ".join(f.get("strict_build_errors", []))[:200]),
        ("catalog rows / glossary terms / timeline events",
         f"{f['catalog_rows']} / {f['glossary_terms']} / {f['timeline_events']}"),
    ]
    for row in f["labels"]:
        rows.append((f"labels: {row['what']} ({row['part']})",
                     f"precision {pct(row['precision'])}, recall {pct(row['recall'])} "
                     f"({row['right']} right, {row['wrong']} wrong, {row['missing']} missing)"))
    width = max(len(r[0]) for r in rows)
    lines = [f"| {'measure'.ljust(width)} | value |", f"| {'-' * width} | --- |"]
    lines += [f"| {name.ljust(width)} | {value} |" for name, value in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
