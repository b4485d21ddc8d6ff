"""Command line: ``llmkb build`` (notes/ → docs/), ``llmkb inspect`` (section trees), ``llmkb serve``."""

from __future__ import annotations

import errno
import functools
import http.server
import json
import os
import signal
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.tree import Tree

from .cache import DEFAULT_CACHE_DIR
from .datafile import ConfigError
from .diagnostics import DEFAULT_WARNINGS, Reporter, check_acceptable, load_accepted, summary_lines
from .ingest.boilerplate import DEFAULT_RULES
from .models import MERGE_CHECKS, NoteDoc, Placement, Section, SentenceMerge, Span
from .output import OutputError
from .pipeline import STAGES, NotesError, Settings, build_summary, dedup_notes, last_build, place_notes
from .pipeline import build as build_site
from .render.report import REPORT_PAGE
from .taxonomy import DEFAULT_TAXONOMY

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Turn a folder of Chinese LLM notes into a deduplicated MkDocs knowledge base.")
err = Console(stderr=True, highlight=False, soft_wrap=True)

NotesOpt = Annotated[Path, typer.Option("--notes", help="Folder of notes (.md/.markdown/.txt).")]
RulesOpt = Annotated[Path, typer.Option("--rules", help="Boilerplate rule file (YAML).")]
TaxOpt = Annotated[Path, typer.Option("--taxonomy", help="Topic taxonomy file (YAML).")]

# A build shorter than this shows no progress bar at all (LLMKB_PROGRESS_DELAY overrides it).
try:
    PROGRESS_DELAY_S = float(os.environ.get("LLMKB_PROGRESS_DELAY", "2"))
except ValueError:
    PROGRESS_DELAY_S = 2.0


class StageProgress:
    """A progress bar on a terminal: which stage of the build runs (k of n, by name), notes read.

    It appears only once a build has run for ``delay`` seconds, so a quick build prints
    nothing but its result, and it is gone (transient) when the build ends."""

    def __init__(self, console: Console, stages: tuple[str, ...] = STAGES, delay: float = PROGRESS_DELAY_S):
        self.stages = stages
        self.progress = Progress(
            TextColumn("[{task.fields[step]}/{task.fields[steps]}] {task.description}"), BarColumn(),
            TextColumn("{task.fields[count]}"), TimeElapsedColumn(), console=console, transient=True)
        self.task = self.progress.add_task("", total=len(stages), step=0, steps=len(stages), count="")
        self._lock = threading.Lock()
        self._timer = threading.Timer(delay, self._show)
        self._timer.daemon = True
        self._shown = self._closed = False
        self._index = 0

    def __enter__(self) -> StageProgress:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        with self._lock:
            self._closed = True
            if self._shown:
                self.progress.stop()

    def _show(self) -> None:
        with self._lock:
            if not self._closed:
                self.progress.start()
                self._shown = True

    def stage(self, name: str) -> None:
        self._index = self.stages.index(name) if name in self.stages else self._index
        self.progress.update(self.task, description=name, completed=self._index, step=self._index + 1,
                             count="")
        if self._shown:
            self.progress.refresh()  # every stage is shown, however short

    def advance(self, done: int, total: int) -> None:
        self.progress.update(self.task, completed=self._index + (done / total if total else 0),
                             count=f"{done}/{total} notes")


def _error(message: str, code: int = 2) -> typer.Exit:
    """One line on stderr, no traceback; the exit to raise."""
    err.print(message, markup=False)
    return typer.Exit(code)


def _on_sigterm(signum: int, frame: object) -> None:
    # A terminated build unwinds like an interrupted one: the half-written new docs/ goes.
    if os.getpid() != _MAIN_PID:
        os._exit(128 + signum)
    raise KeyboardInterrupt


_MAIN_PID = os.getpid()


@app.command()
def build(
    notes: NotesOpt = Path("notes"),
    docs: Annotated[Path, typer.Option("--docs", help="Output folder for the Markdown.")] = Path("docs"),
    rules: RulesOpt = DEFAULT_RULES,
    taxonomy: TaxOpt = DEFAULT_TAXONOMY,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Exit 1 when a warning means lost or broken content (expected kinds never "
        "fail the build).")] = False,
    accept: Annotated[list[str] | None, typer.Option(
        "--accept", metavar="KIND", help="Accept an expected kind of warning (e.g. image-missing): "
        "one summary line instead of its own. Repeatable; adds to the warnings file.")] = None,
    warnings_file: Annotated[Path, typer.Option(
        "--warnings", help="Warnings file (YAML): the expected kinds to accept.")] = DEFAULT_WARNINGS,
    traditional: Annotated[bool, typer.Option(
        "--keep-traditional", help="Do not convert traditional Chinese to simplified.")] = False,
    jobs: Annotated[int, typer.Option(
        "--jobs", "-j", min=0, help="Worker processes for the per-note stages (0: all cores for "
        "large inputs, 1: none).")] = 0,
    report: Annotated[Path | None, typer.Option(
        "--report", help="Also write a JSON report here: seconds per stage, counts, every warning.")] = None,
    cache_dir: Annotated[Path, typer.Option(
        "--cache-dir", help="Keep each note's per-note results here between builds (safe to delete).")
    ] = DEFAULT_CACHE_DIR,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Build every note afresh; keep no cache.")] = False,
) -> None:
    """Run the pipeline: notes → docs (topic pages, sources, provenance, build report, search assets).

    docs/ is replaced all at once at the end: a failed or interrupted build leaves it as it was."""
    global _MAIN_PID
    _MAIN_PID = os.getpid()
    settings = Settings(notes_dir=notes, docs_dir=docs, rules_path=rules, taxonomy_path=taxonomy,
                        simplify=not traditional, jobs=jobs, cache_dir=None if no_cache else cache_dir)
    reporter = Reporter()
    started = time.perf_counter()
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        accepted = frozenset([*load_accepted(warnings_file), *(check_acceptable(k) for k in accept or [])])
        # Nothing changed since the last build (the cache's stamp says so): say what it said.
        last = last_build(settings, accepted)
        if last is not None:
            _unchanged(last, settings, reporter, accepted, strict, report, time.perf_counter() - started)
            return
        if err.is_terminal:
            with StageProgress(err) as progress:
                built = build_site(settings, reporter, progress, accepted)
        else:
            built = build_site(settings, reporter, None, accepted)
    except (ConfigError, NotesError, OutputError) as exc:
        raise _error(str(exc)) from None
    except OSError as exc:  # a note's image vanished mid-build, and the like
        raise _error(f"{exc.filename or notes}: error: {exc.strerror or exc}; {docs}/ left as it was") from None
    except KeyboardInterrupt:
        raise _error(f"llmkb: interrupted; {docs}/ left as it was", 130) from None
    finally:
        signal.signal(signal.SIGTERM, previous)
    elapsed = time.perf_counter() - started
    summary = build_summary(built.kb, built.files, reporter)
    if report is not None:
        timings = {k: v for k, v in built.timings.items() if k != "write docs"}
        _write_report(report, summary, reporter, {**timings, "total": elapsed})
    _finish(summary, settings, reporter, accepted, strict, f"{len(built.changed)} changed", elapsed)


def _unchanged(summary: dict, settings: Settings, reporter: Reporter, accepted: frozenset[str], strict: bool,
               report: Path | None, elapsed: float) -> None:
    """The last build's warnings and counts again, docs/ untouched."""
    for file, line, code, message in summary["warnings"]:
        reporter.warn(file, line, code, message)
    if report is not None:
        _write_report(report, summary, reporter, {"total": elapsed})
    _finish(summary, settings, reporter, accepted, strict, "up to date: nothing changed since the last build",
            elapsed)


def _finish(summary: dict, settings: Settings, reporter: Reporter, accepted: frozenset[str], strict: bool,
            changed: str, elapsed: float) -> None:
    docs = settings.docs_dir
    for line in summary_lines(reporter.items, accepted, report=str(docs / REPORT_PAGE)):
        err.print(line, markup=False, highlight=False)
    err.print(
        f"llmkb: {summary['notes']} notes → {summary['pages']} pages in {docs}/ "
        f"({changed}, {len(reporter)} warnings, "
        f"{summary['duplicate_sentences_merged']} duplicate sentences merged) in {elapsed:.1f}s",
        markup=False,
    )
    content = reporter.content()
    if strict and content:
        kinds = ", ".join(sorted({d.code for d in content}))
        err.print(f"llmkb: --strict: {len(content)} warning(s) mean lost or broken content ({kinds})",
                  markup=False)
        raise typer.Exit(1)


def _write_report(path: Path, summary: dict, reporter: Reporter, timings: dict[str, float]) -> None:
    """What a benchmark reads back: seconds per stage, what came out, every warning."""
    payload = {
        "timings": {k: round(v, 3) for k, v in timings.items()},
        "counts": {k: summary[k] for k in ("notes", "catalog_rows", "glossary_terms", "timeline_events",
                                           "duplicate_sentences_merged")},
        "warnings": [{"file": d.file, "line": d.line, "code": d.code, "message": d.message}
                     for d in reporter.items],
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


@app.command()
def inspect(
    notes: Annotated[Path, typer.Argument(help="Folder of notes.")] = Path("notes"),
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of trees.")] = False,
    rules: RulesOpt = DEFAULT_RULES,
    taxonomy: TaxOpt = DEFAULT_TAXONOMY,
) -> None:
    """Print each note's section tree with line ranges, where each section goes and why, and
    what was removed and why."""
    reporter = Reporter()
    try:
        docs, placements = place_notes(Settings(notes_dir=notes, rules_path=rules, taxonomy_path=taxonomy),
                                       reporter)
    except (ConfigError, NotesError) as exc:
        raise _error(str(exc)) from None
    placed = {id(p.unit.section): p for p in placements}
    if as_json:
        payload = {"notes": [_doc_json(d, placed) for d in docs],
                   "warnings": [str(w) for w in reporter.items]}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    out = Console(highlight=False)
    for doc in docs:
        tree = Tree(f"[bold]{doc.path}[/] ({doc.encoding}) — {doc.attribution.title}")
        if doc.root.blocks:
            tree.add(f"(导言) {len(doc.root.blocks)} blocks, lines "
                     f"{doc.root.blocks[0].span.start}–{doc.root.blocks[-1].span.end}"
                     + _where(placed.get(id(doc.root))))
        for child in doc.root.children:
            _tree(tree, child, placed)
        for removal in doc.removals:
            tree.add(f"[red]removed[/] lines {removal.span.start}–{removal.span.end} "
                     f"by rule [italic]{removal.rule}[/]")
        out.print(tree)
    for w in reporter.items:
        out.print(str(w), markup=False)


@app.command()
def audit(
    notes: Annotated[Path, typer.Argument(help="Folder of notes.")] = Path("notes"),
    check: Annotated[list[str] | None, typer.Option(
        "--check", help="Only merges allowed by this check (repeatable): " + ", ".join(MERGE_CHECKS) + ".")] = None,
    file: Annotated[str | None, typer.Option(
        "--file", help="Only merges whose dropped or kept sentence comes from notes whose path contains this.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
    rules: RulesOpt = DEFAULT_RULES,
    taxonomy: TaxOpt = DEFAULT_TAXONOMY,
) -> None:
    """List every merge: the sentence that was dropped, the one that stayed (and where each
    comes from) and the check that allowed it."""
    unknown = sorted(set(check or ()) - set(MERGE_CHECKS))
    if unknown:
        raise _error(f"llmkb audit: error: unknown check {', '.join(unknown)} "
                     f"(checks: {', '.join(MERGE_CHECKS)})")
    reporter = Reporter()
    try:
        _docs, deduped = dedup_notes(Settings(notes_dir=notes, rules_path=rules, taxonomy_path=taxonomy),
                                     reporter)
    except (ConfigError, NotesError) as exc:
        raise _error(str(exc)) from None
    merges = [m for m in deduped.audit if (not check or m.check in check)
              and (file is None or file in m.source.file or file in m.target.file)]
    if as_json:
        typer.echo(json.dumps({"merges": [_merge_json(m) for m in merges]}, ensure_ascii=False, indent=1))
        return
    out = Console(highlight=False, soft_wrap=True)  # one line per sentence, for grep
    for m in merges:
        out.print(f"[bold]{escape(_span_label(m.source))}[/] → {escape(_span_label(m.target))} "
                  f"[italic]{m.check}[/]")
        out.print(f"  [red]- {escape(m.dropped)}[/]")
        out.print(f"  [green]+ {escape(m.kept)}[/]")
    counts = Counter(m.check for m in merges)
    out.print(f"llmkb audit: {len(merges)} merged sentence(s)"
              + (f" ({', '.join(f'{c} {n}' for c, n in sorted(counts.items()))})" if counts else ""),
              markup=False)


def _span_label(span: Span) -> str:
    return f"{span.file}:{span.start}" + (f"-{span.end}" if span.end != span.start else "")


def _merge_json(m: SentenceMerge) -> dict:
    return {"check": m.check, "dropped": m.dropped, "kept": m.kept,
            "source": {"file": m.source.file, "start": m.source.start, "end": m.source.end},
            "target": {"file": m.target.file, "start": m.target.start, "end": m.target.end}}


@app.command()
def serve(
    site: Annotated[Path, typer.Option("--site", help="The built site (mkdocs build's output).")] = Path("site"),
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = 8000,
    check: Annotated[bool, typer.Option("--check", help="Only check that the port is free, then exit.")] = False,
) -> None:
    """Serve the built site over HTTP (what ``make serve`` runs); Ctrl+C stops."""
    if not check and not (site / "index.html").is_file():
        raise _error(f"{site}: error: no built site here (index.html is missing); run make site first")
    handler = functools.partial(_QuietHandler, directory=str(site))
    try:
        server = _Server((host, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise _error(f"llmkb serve: port {port} on {host} is busy (another program is listening there); "
                         f"stop it or choose another port: make serve PORT={port + 1 if port else 8001}") from None
        raise _error(f"llmkb serve: cannot listen on {host}:{port} ({exc.strerror or exc})") from None
    with server:
        if check:
            return
        shown = f"[{host}]" if ":" in host else host
        err.print(f"llmkb: serving {site}/ at http://{shown}:{server.server_address[1]}/ (Ctrl+C stops)",
                  markup=False)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            err.print("llmkb: stopped", markup=False)


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # A browser that closes a connection early is not worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Files of the site; only failed requests are logged (one line each)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if str(code).startswith(("4", "5")):
            super().log_request(code, size)


def _where(p: Placement | None) -> str:
    return f" [green]→ {p.node}[/] [dim]({p.rule}: {escape(p.reason)})[/]" if p is not None else ""


def _tree(parent: Tree, section: Section, placed: dict[int, Placement]) -> None:
    h = section.heading
    assert h is not None
    label = f"{escape(h.title)}  [dim]line {h.span.start}, {h.style}, {len(section.blocks)} blocks[/]"
    if section.is_empty():
        label += " [yellow](empty)[/]"
    label += _where(placed.get(id(section)))
    node = parent.add(label)
    for child in section.children:
        _tree(node, child, placed)


def _section_json(section: Section, placed: dict[int, Placement]) -> dict:
    h = section.heading
    p = placed.get(id(section))
    return {
        "title": h.title if h else "",
        "level": section.level,
        "style": h.style if h else "",
        "line": h.span.start if h else 0,
        "empty": section.is_empty(),
        "blocks": [{"kind": b.kind.value, "start": b.span.start, "end": b.span.end}
                   for b in section.blocks],
        "children": [_section_json(c, placed) for c in section.children],
        **({"placed": {"node": p.node, "rule": p.rule, "reason": p.reason, "intro": p.is_intro}} if p else {}),
    }


def _doc_json(doc: NoteDoc, placed: dict[int, Placement]) -> dict:
    return {
        "path": doc.path,
        "encoding": doc.encoding,
        "title": doc.attribution.title,
        "origin_url": doc.attribution.origin_url,
        "references": doc.attribution.references,
        "preamble": _section_json(doc.root, placed)["blocks"],
        **({"preamble_placed": _section_json(doc.root, placed)["placed"]} if id(doc.root) in placed else {}),
        "sections": [_section_json(c, placed) for c in doc.root.children],
        "removed": [{"start": r.span.start, "end": r.span.end, "rule": r.rule}
                    for r in doc.removals],
    }


def main() -> None:  # pragma: no cover - console script entry
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
