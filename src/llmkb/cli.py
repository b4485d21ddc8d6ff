"""Command line: ``llmkb build`` (notes/ → docs/) and ``llmkb inspect`` (section trees)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.tree import Tree

from .datafile import ConfigError
from .diagnostics import Reporter
from .ingest.boilerplate import DEFAULT_RULES
from .models import KnowledgeBase, NoteDoc, Placement, Section
from .pipeline import Settings, build_kb, place_notes, write_docs
from .render import render_site
from .taxonomy import DEFAULT_TAXONOMY

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Turn a folder of Chinese LLM notes into a deduplicated MkDocs knowledge base.")
err = Console(stderr=True, highlight=False, soft_wrap=True)

NotesOpt = Annotated[Path, typer.Option("--notes", help="Folder of notes (.md/.markdown/.txt).")]
RulesOpt = Annotated[Path, typer.Option("--rules", help="Boilerplate rule file (YAML).")]
TaxOpt = Annotated[Path, typer.Option("--taxonomy", help="Topic taxonomy file (YAML).")]


def _progress_for(console: Console):
    """A progress bar on a terminal; nothing in CI logs or pipes."""
    if not console.is_terminal:
        return None, None
    progress = Progress(TextColumn("读取笔记"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                        TimeElapsedColumn(), console=console, transient=True)
    task = progress.add_task("notes", total=None)

    def update(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    return progress, update


@app.command()
def build(
    notes: NotesOpt = Path("notes"),
    docs: Annotated[Path, typer.Option("--docs", help="Output folder for the Markdown.")] = Path("docs"),
    rules: RulesOpt = DEFAULT_RULES,
    taxonomy: TaxOpt = DEFAULT_TAXONOMY,
    strict: Annotated[bool, typer.Option("--strict", help="Exit non-zero on any warning.")] = False,
    traditional: Annotated[bool, typer.Option(
        "--keep-traditional", help="Do not convert traditional Chinese to simplified.")] = False,
    jobs: Annotated[int, typer.Option(
        "--jobs", "-j", min=0, help="Worker processes for the per-note stages (0: all cores for "
        "large inputs, 1: none).")] = 0,
    report: Annotated[Path | None, typer.Option(
        "--report", help="Also write a JSON report here: seconds per stage, counts, every warning.")] = None,
) -> None:
    """Run the pipeline: notes → docs (topic pages, sources, provenance, search assets)."""
    if not notes.is_dir():
        err.print(f"{notes}: error: notes folder does not exist")
        raise typer.Exit(2)
    settings = Settings(notes_dir=notes, docs_dir=docs, rules_path=rules, taxonomy_path=taxonomy,
                        simplify=not traditional, jobs=jobs)
    reporter = Reporter(stream=sys.stderr)
    started = time.perf_counter()
    progress, update = _progress_for(err)
    try:
        if progress:
            with progress:
                kb = build_kb(settings, reporter, update)
        else:
            kb = build_kb(settings, reporter)
        render_started = time.perf_counter()
        files = render_site(kb, settings.notes_dir)
    except ConfigError as exc:
        err.print(f"{exc}", markup=False)
        raise typer.Exit(2) from None
    render_seconds = time.perf_counter() - render_started
    changed = write_docs(files, docs)
    elapsed = time.perf_counter() - started
    if report is not None:
        _write_report(report, kb, reporter, {**kb.timings, "render": render_seconds, "total": elapsed})
    err.print(
        f"llmkb: {len(kb.docs)} notes → {sum(1 for f in files if f.endswith('.md'))} pages in {docs}/ "
        f"({len(changed)} changed, {len(reporter)} warnings, "
        f"{kb.stats.merged} duplicate sentences merged) in {elapsed:.1f}s",
        markup=False,
    )
    if strict and len(reporter):
        err.print(f"llmkb: --strict: {len(reporter)} warning(s)", markup=False)
        raise typer.Exit(1)


def _write_report(path: Path, kb: KnowledgeBase, reporter: Reporter, timings: dict[str, float]) -> None:
    """What a benchmark reads back: seconds per stage, what came out, every warning."""
    extraction = kb.extraction
    payload = {
        "timings": {k: round(v, 3) for k, v in timings.items()},
        "counts": {"notes": len(kb.docs), "catalog_rows": len(extraction.catalog.rows),
                   "glossary_terms": len(extraction.glossary), "timeline_events": len(extraction.timeline),
                   "duplicate_sentences_merged": kb.stats.merged},
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
    except ConfigError as exc:
        err.print(f"{exc}", markup=False)
        raise typer.Exit(2) from None
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
