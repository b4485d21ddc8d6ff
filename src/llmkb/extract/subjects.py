"""The model a note, or a section of a note, is about: for sentences that name no model.

"模型训练时的上下文长度为 8K" names no model, but in a note titled "Mistral 7B 论文解读" it
is about Mistral 7B. A sentence's subject is read from the headings above it, nearest
first: its section's heading, the ancestors' headings, then the note's title. The first
of these that names a model decides:

- it names exactly one model (a model it compares with — 打败 Llama 2, 基于 LLaMA — does
  not count): that model;
- it names two or more, or compares (对比, vs, PK …): no subject — never guess across models.

A sentence merged from several notes has a subject only when every note it came from
gives the same one. Only sentences that name no model at all use this (see facts.py).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from typing import Generic, TypeVar

from ..models import NoteDoc, Section, Sentence
from .corpus import visible_text
from .patterns import year_of
from .registry import Registry

# A heading that sets models side by side is about the comparison, not about one of them.
_COMPARE = re.compile(r"对比|比较|相比|区别|差异|异同|之争|横评|PK|(?<![A-Za-z])[Vv][Ss]\.?(?![A-Za-z])")
_NONE = ""  # decided: no subject
# A name right after a verb of what is done with a model is its object, not the subject.
_DONE_TO = re.compile(r"(?:微调|精调|部署|量化|蒸馏|剪枝|训练|评测|测评|调用|运行|跑通?|用|使用|基于|在)\s*$")
_TITLE_LINE_MAX = 80
T = TypeVar("T")


class NoteSubjects:
    """Note line → the model its section is about (or none)."""

    def __init__(self, docs: list[NoteDoc], registry: Registry) -> None:
        self.reg = registry
        self._lines: SectionValues[str] = SectionValues(_NONE)
        for doc in docs:
            self._index(doc)

    # ------------------------------------------------------------------ building

    def decide(self, text: str) -> str | None:
        """What one heading says: a model (its group), _NONE (ambiguous), None (no model)."""
        text = visible_text(text)
        # "QLoRA 微调 Phi-3-mini 学习笔记" is about fine-tuning: the model is what it is done to.
        groups = {m.group for m in self.reg.mentions(text) if m.eligible and not m.skip
                  and not _DONE_TO.search(text[: m.start])}
        if not groups:
            return None
        if len(groups) > 1 or _COMPARE.search(text):
            return _NONE
        return next(iter(groups))

    def _title(self, doc: NoteDoc) -> str:
        """The note's title as the note gives it: its top heading (a title line or a single
        H1), else a first preamble line that reads like one (one short line, no closing
        punctuation). Not the attribution's title when the note has none: that is made
        from the section headings."""
        if doc.root.heading is not None:
            return doc.root.heading.title
        first = doc.root.blocks[0] if doc.root.blocks else None
        if first is not None and first.span.start == first.span.end and \
                len(first.text) <= _TITLE_LINE_MAX and \
                not re.search(r"[。！？.!?；;，,：:]\s*$", first.text):
            return first.text
        return ""

    def _index(self, doc: NoteDoc) -> None:
        title = self._title(doc)
        note = self.decide(title) if title else None
        self._lines.add(doc, section_rows(doc, note, lambda section: self.decide(section.heading.title)))

    # ------------------------------------------------------------------ lookup

    def of(self, sentence: Sentence) -> str | None:
        """The model the sentence's section is about, if every note it came from agrees."""
        return self._lines.agreed(sentence) or None


def section_rows(doc: NoteDoc, note: T | None, decide: Callable[[Section], T | None]) -> list[tuple[int, T | None]]:
    """(first line, value) of every section of a note, in line order: what ``decide`` reads
    from its heading, else what the nearest section above it has (the note's: ``note``)."""
    rows: list[tuple[int, T | None]] = []

    def walk(section: Section, inherited: T | None) -> None:
        own = None
        if section.heading is not None and section is not doc.root:
            own = decide(section)
        value = own if own is not None else inherited
        line = section.heading.span.start if section.heading is not None else \
            min((b.span.start for b in section.blocks), default=0)
        if section is doc.root:
            line = 0
        rows.append((line, value))
        for child in section.children:
            walk(child, value)

    walk(doc.root, note)
    rows.sort(key=lambda r: r[0])
    return rows


class SectionValues(Generic[T]):
    """File → its sections' start lines and a value for each (``section_rows``): the value at a
    line of a note; ``empty`` where there is none."""

    def __init__(self, empty: T) -> None:
        self.empty = empty
        self._starts: dict[str, list[int]] = {}
        self._values: dict[str, list[T]] = {}

    def add(self, doc: NoteDoc, rows: list[tuple[int, T | None]]) -> None:
        for file in note_files(doc):
            self._starts[file] = [r[0] for r in rows]
            self._values[file] = [r[1] or self.empty for r in rows]

    def at(self, file: str, line: int) -> T:
        starts = self._starts.get(file)
        i = bisect.bisect_right(starts, line) - 1 if starts else -1
        return self._values[file][i] if i >= 0 else self.empty

    def agreed(self, sentence: Sentence) -> T:
        """The value of the sentence's section, if every note it came from agrees; else empty."""
        found = {self.at(span.file, span.start) for span in sentence.spans}
        return found.pop() if len(found) == 1 else self.empty


def note_files(doc: NoteDoc) -> set[str]:
    """The files a note's lines are cited from (its own, and any it includes)."""
    files = {b.span.file for s in doc.root.walk() for b in s.blocks}
    if doc.root.heading is not None:
        files.add(doc.root.heading.span.file)
    files.add(doc.path)
    return files


class NoteYears:
    """Note line → the year its section is about, by the nearest heading above it that is in
    one year ("## 第 12 期 2024.02.19–02.25", "## 2023"): what dates "2 月 21 日" there."""

    def __init__(self, docs: list[NoteDoc]) -> None:
        self._lines: SectionValues[int] = SectionValues(0)
        for doc in docs:
            title = doc.root.heading.title if doc.root.heading is not None else ""
            self._lines.add(doc, section_rows(doc, year_of(title) or None,
                                              lambda section: year_of(section.heading.title) or None))

    def of(self, sentence: Sentence) -> int:
        """The year of the sentence's section, if every note it came from agrees; else 0."""
        return self._lines.agreed(sentence)
