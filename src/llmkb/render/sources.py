"""The sources page's numbering, and the citation marks that point to it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..models import NoteDoc, Span
from ..text import slugify
from .markdown import link_title

SOURCES_PAGE = "sources.md"
MAX_CITED_NOTES = 8  # citation marks after one paragraph before the rest are only counted


@dataclass
class SourceIndex:
    """Numbers and anchors of the notes on the sources page."""

    docs: list[NoteDoc]

    def __post_init__(self) -> None:
        self.number = {d.path: i for i, d in enumerate(self.docs, 1)}
        used: set[str] = set()
        self.anchor: dict[str, str] = {}
        for d in self.docs:
            base = "src-" + slugify(Path(d.name).stem)
            anchor, n = base, 2
            while anchor in used:
                anchor, n = f"{base}-{n}", n + 1
            used.add(anchor)
            self.anchor[d.path] = anchor
        self.title = {d.path: d.attribution.title or d.name for d in self.docs}

    def cite(self, spans: list[Span], page_dir: str = "") -> str:
        # Grouped once: a sentence repeated across thousands of notes has thousands of spans.
        by_note: dict[str, list[tuple[int, int]]] = {}
        for s in spans:
            if s.file in self.number:
                by_note.setdefault(s.file, []).append((s.start, s.end))
        if not by_note:
            return ""
        cited = sorted(by_note, key=self.number.__getitem__)
        # A sentence that a thousand notes repeat is not followed by a thousand marks: the
        # first few are shown, the rest counted (provenance.json lists every one).
        shown = cited if len(cited) <= MAX_CITED_NOTES else cited[: MAX_CITED_NOTES - 1]
        marks = []
        for note in shown:
            lines = ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in _merge_ranges(by_note[note]))
            tip = link_title(f"{Path(note).name} 第 {lines} 行：{self.title[note]}")
            marks.append(f'[\\[{self.number[note]}\\]]({page_dir}{SOURCES_PAGE}#'
                         f'{self.anchor[note]} "{tip}"){{.cite}}')
        if len(shown) < len(cited):
            rest = len(cited) - len(shown)
            marks.append(f'[\\[+{rest}\\]]({page_dir}{SOURCES_PAGE} "另有 {rest} 篇笔记也这样写"){{.cite}}')
        return " " + "".join(marks)


def _merge_ranges(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
