#!/usr/bin/env python3
"""Scale benchmark (issue 7): how preprocessing grows with the number of notes.

Generates synthetic corpora of N notes by recombining and perturbing the seed notes'
sections — so they are full of realistic near-duplicates: punctuation width swapped,
spacing changed, small wording edits, sections shuffled and re-headed, numbers changed —
and for each size runs the preprocessing (build_kb + render_site + writing docs/) in a
fresh subprocess, then prints a table: notes, MB in, seconds, peak memory, pages and
paragraphs out, duplicate sentences merged, and how the time grows per doubling of the
input.

Targets: 1,000 notes (~10 MB) in ≤ 60 s and ≤ 1 GB peak memory; doubling the input costs
≤ 2.2× the time. Peak memory is PSS summed over the build and its worker processes,
sampled every 50 ms (never less than the main process's peak RSS).

    python scripts/bench_scale.py                      # 100, 1,000 and 5,000 notes
    python scripts/bench_scale.py --sizes 100,1000 --seed 7
    python scripts/bench_scale.py --sizes 1000 --profile   # cProfile of the child
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import MemorySampler

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "notes"
TARGET_SECONDS_1000 = 60.0
TARGET_MEMORY_MB = 1024.0
TARGET_DOUBLING = 2.2

console = Console(stderr=True, highlight=False)

# --------------------------------------------------------------------------- corpus


@dataclass
class Section:
    heading: str  # heading text without markup/numbering
    body: list[str]  # paragraphs (list items and code kept as written)


_ATX = re.compile(r"^#{1,6}\s+(.*)$")
_NUMBERED = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[（(]\d+[)）]|[一二三四五六七八九十]+、)\s*(\S.{0,40})$")
_BOLD = re.compile(r"^\*\*([^*]{1,40})\*\*$")


def seed_sections() -> list[Section]:
    """The seeds cut into sections (heading + paragraphs)."""
    sections: list[Section] = []
    for path in sorted(SEEDS.glob("*")):
        current = Section("", [])
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        for para in re.split(r"\n\s*\n", text):
            para = para.strip("\n")
            if not para.strip():
                continue
            first = para.strip().split("\n")[0]
            m = _ATX.match(first) or _NUMBERED.match(first) or _BOLD.match(first)
            if m and len(para.strip().split("\n")) == 1:
                if current.body:
                    sections.append(current)
                title = re.sub(r"^[\d.\s]+|^[（(]\d+[)）]\s*|^[一二三四五六七八九十]+、", "",
                               m.group(1)).strip("* ")
                current = Section(title or first, [])
            else:
                current.body.append(para)
        if current.body:
            sections.append(current)
    return [s for s in sections if sum(len(p) for p in s.body) > 40]


SYNONYMS = [("大语言模型", "大型语言模型"), ("能够", "可以"), ("通过", "借助"), ("非常", "十分"),
            ("但是", "不过"), ("例如", "比如"), ("研究人员", "研究者"), ("显著", "明显"),
            ("目前", "当前"), ("进行", "开展"), ("一般来说", "通常来说"), ("模型", "模型")]
WIDTH = [("，", ","), ("：", ":"), ("；", ";"), ("（", "("), ("）", ")"), ("！", "!"), ("？", "?")]


def perturb(text: str, rng: random.Random) -> str:
    """One paragraph, re-typed the way another author would (never the code inside it)."""
    if text.lstrip().startswith(("```", "    ", "\t")):
        return text
    if rng.random() < 0.5:  # punctuation width
        a, b = rng.choice(WIDTH)
        text = text.replace(a, b) if rng.random() < 0.5 else text.replace(b, a)
    if rng.random() < 0.4:  # spacing between Chinese and Latin/digits
        if rng.random() < 0.5:
            text = re.sub(r"(?<=[\u4e00-\u9fff]) (?=[A-Za-z0-9])|(?<=[A-Za-z0-9]) (?=[\u4e00-\u9fff])",
                          "", text)
        else:
            text = re.sub(r"(?<=[\u4e00-\u9fff])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?=[\u4e00-\u9fff])",
                          " ", text)
    if rng.random() < 0.5:  # small wording edit
        a, b = rng.choice(SYNONYMS)
        text = text.replace(a, b, 1) if rng.random() < 0.5 else text.replace(b, a, 1)
    if rng.random() < 0.3:  # new numbers: a different fact
        text = re.sub(r"\d+", lambda m: str(int(m.group(0)) + rng.randint(1, 9))
                      if rng.random() < 0.3 else m.group(0), text)
    if rng.random() < 0.15:  # drop the last clause of the paragraph
        cut = max(text.rfind("，"), text.rfind(","))
        if cut > len(text) // 2:
            text = text[:cut] + "。"
    return text


def heading_line(title: str, level: int, index: int, rng: random.Random) -> str:
    title = title or "概述"
    style = rng.choice(["atx", "atx", "dotted", "paren", "cjk", "bold"])
    cn = "一二三四五六七八九十"[index % 10]
    if style == "atx":
        return "#" * (level + 1) + " " + title
    if style == "dotted":
        return "#" * (level + 1) + f" {level}.{index + 1} {title}"
    if style == "paren":
        return f"（{index + 1}）{title}"
    if style == "cjk":
        return f"{cn}、{title}"
    return f"**{title}**"


def make_note(sections: list[Section], rng: random.Random, target_bytes: int) -> str:
    out = [f"# {rng.choice(['学习笔记', 'LLM 笔记', '大模型整理', '读书笔记'])} {rng.randint(1, 9999)}",
           ""]
    size = 0
    index = 0
    while size < target_bytes:
        section = rng.choice(sections)
        out += [heading_line(section.heading, 1 + (index % 2), index, rng), ""]
        body = list(section.body)
        if len(body) > 2 and rng.random() < 0.3:
            rng.shuffle(body)
        for para in body:
            if rng.random() < 0.1:
                continue  # this author skipped a paragraph
            para = perturb(para, rng)
            out += [para, ""]
            size += len(para.encode("utf-8"))
        index += 1
    return "\n".join(out) + "\n"


def write_corpus(dest: Path, n: int, seed: int, mean_bytes: int = 10_000) -> int:
    """n notes of ~mean_bytes each; returns the total size in bytes."""
    rng = random.Random(seed * 1_000_003 + n)
    sections = seed_sections()
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    total = 0
    with _progress(f"生成 {n} 篇笔记") as (progress, task):
        for i in range(n):
            text = make_note(sections, rng, int(rng.uniform(0.5, 1.5) * mean_bytes))
            data = text.encode("utf-8")
            (dest / f"note_{i:05d}.md").write_bytes(data)
            total += len(data)
            if progress:
                progress.update(task, advance=1)
    return total


class _progress:
    """A rich progress bar on a terminal, nothing in CI logs."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.progress: Progress | None = None

    def __enter__(self):
        if not console.is_terminal:
            return None, None
        self.progress = Progress(TextColumn(self.label), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=console, transient=True)
        self.progress.start()
        return self.progress, self.progress.add_task(self.label, total=None)

    def __exit__(self, *exc) -> None:
        if self.progress:
            self.progress.stop()


# --------------------------------------------------------------------------- child


def child(notes: Path, docs: Path, profile: bool, jobs: int) -> None:
    """Run the preprocessing once and print its measurements as JSON on stdout."""
    from llmkb.diagnostics import Reporter
    from llmkb.pipeline import Settings, build_kb, write_docs
    from llmkb.render import render_site

    settings = Settings(notes_dir=notes, docs_dir=docs, project_root=notes.parent, jobs=jobs)
    reporter = Reporter()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    kb = build_kb(settings, reporter)
    stages = dict(kb.timings)
    render_started = time.perf_counter()
    files = render_site(kb, notes)
    stages["render"] = time.perf_counter() - render_started
    write_started = time.perf_counter()
    write_docs(files, docs)
    stages["write_docs"] = time.perf_counter() - write_started
    seconds = time.perf_counter() - started
    if profiler:
        import io
        import pstats

        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(25)
        print(out.getvalue(), file=sys.stderr)
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    worker_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    paragraphs = sum(len(e.blocks) for p in kb.pages for e in p.all_entries())
    print(json.dumps({
        "seconds": seconds,
        "rss_mb": rss_kb / 1024,
        "worker_rss_mb": worker_kb / 1024,
        "pages": sum(1 for f in files if f.endswith(".md")),
        "paragraphs": paragraphs,
        "merged": kb.stats.merged,
        "sentences_in": kb.stats.sentences_in,
        "notes_read": len(kb.docs),
        "warnings": len(reporter),
        "stages": stages,
    }))


def run_child(notes: Path, docs: Path, profile: bool, jobs: int) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(notes), str(docs),
           "--jobs", str(jobs)]
    if profile:
        cmd.append("--profile")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONHASHSEED="0"))
    sampler = MemorySampler(proc.pid)
    sampler.start()
    stdout, stderr = proc.communicate()
    sampler.stop()
    if proc.returncode != 0:
        console.print(stderr[-4000:], markup=False)
        raise SystemExit(f"preprocessing {notes} failed ({proc.returncode})")
    if profile:
        console.print(stderr, markup=False)
    measured = json.loads(stdout.strip().splitlines()[-1])
    # Memory the build takes from the machine: PSS summed over the build and its workers
    # (forked workers share the main process's pages; RSS would count those twice). Where
    # /proc has no smaps_rollup, the sum of the peak RSS of main + each worker (an upper bound).
    # Sampling can miss the very peak, so never less than the main process's own peak RSS.
    workers = max(1, jobs or os.cpu_count() or 1)
    measured["memory_mb"] = max(sampler.peak_mb, measured["rss_mb"]) if sampler.peak_mb else \
        measured["rss_mb"] + workers * measured["worker_rss_mb"]
    return measured


# --------------------------------------------------------------------------- main


def doubling_cost(prev: tuple[float, float] | None, mb: float, seconds: float) -> float | None:
    """Time factor per doubling of the input, from the previous size to this one."""
    if not prev or prev[0] <= 0 or prev[1] <= 0 or mb <= prev[0]:
        return None
    exponent = math.log(seconds / prev[1]) / math.log(mb / prev[0])
    return 2 ** exponent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,5000",
                        help="comma-separated numbers of notes (default: 100,1000,5000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the corpora")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where corpora and docs go (default: a temporary directory)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of each run")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--jobs", type=int, default=0,
                        help="worker processes for the per-note stages (default 0: all cores)")
    parser.add_argument("--child", nargs=2, metavar=("NOTES", "DOCS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]), args.profile, args.jobs)
        return 0

    sizes = sorted(int(s.replace("_", "").replace(",", "")) for s in args.sizes.split(",") if s)
    own_tmp = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="llmkb-bench-")) if own_tmp else args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    results = []
    prev = None
    try:
        for n in sizes:
            notes = workdir / f"corpus-{n}" / "notes"
            docs = workdir / f"corpus-{n}" / "docs"
            size = write_corpus(notes, n, args.seed)
            if docs.exists():
                shutil.rmtree(docs)
            console.print(f"{n} notes ({size / 1e6:.1f} MB): preprocessing…", markup=False)
            measured = run_child(notes, docs, args.profile, args.jobs)
            mb = size / 1e6
            row = {"notes": n, "mb": mb, **measured,
                   "doubling": doubling_cost(prev, mb, measured["seconds"])}
            prev = (mb, measured["seconds"])
            results.append(row)
    finally:
        if own_tmp:
            shutil.rmtree(workdir, ignore_errors=True)

    table = Table(title="llmkb preprocessing at scale (build_kb + render_site + write docs/)")
    for col in ("notes", "MB in", "seconds", "peak memory MB", "pages out", "paragraphs out",
                "dup. sentences merged", "time × per doubling"):
        table.add_column(col, justify="right")
    for r in results:
        table.add_row(f"{r['notes']:,}", f"{r['mb']:.1f}", f"{r['seconds']:.1f}",
                      f"{r['memory_mb']:.0f}", str(r["pages"]), f"{r['paragraphs']:,}",
                      f"{r['merged']:,}", "—" if r["doubling"] is None else f"{r['doubling']:.2f}")
    out = Console(highlight=False, width=max(Console().width, 120))
    out.print(table)
    labels = list(dict.fromkeys(label for r in results for label in r["stages"]))
    stages = Table(title="seconds per stage")
    stages.add_column("notes", justify="right")
    for label in labels:
        stages.add_column(label, justify="right")
    for r in results:
        stages.add_row(f"{r['notes']:,}", *(f"{r['stages'].get(label, 0):.1f}" for label in labels))
    out.print(stages)

    verdicts = []
    for r in results:
        if r["notes"] == 1000:
            verdicts.append(("1,000 notes ≤ 60 s", r["seconds"] <= TARGET_SECONDS_1000,
                             f"{r['seconds']:.1f} s"))
        verdicts.append((f"{r['notes']:,} notes ≤ 1 GB peak memory", r["memory_mb"] <= TARGET_MEMORY_MB,
                         f"{r['memory_mb']:.0f} MB (main process RSS {r['rss_mb']:.0f} MB)"))
        if r["doubling"] is not None:
            verdicts.append((f"doubling ≤ {TARGET_DOUBLING}× (→ {r['notes']:,})",
                             r["doubling"] <= TARGET_DOUBLING, f"{r['doubling']:.2f}×"))
    for what, ok, value in verdicts:
        print(f"{'PASS' if ok else 'FAIL'}  {what}: {value}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0 if all(ok for _, ok, _ in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
