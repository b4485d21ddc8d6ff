"""What classify, align and dedup make of the notes, and the knowledge base as a whole."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..segment import Segmenter
from .extracted import Extraction
from .notes import Block, NoteDoc, Section, Span
from .taxonomy import Taxonomy, Topic


@dataclass(frozen=True)
class Unit:
    """Something to place: a section with blocks of its own, or a note's preamble."""

    note: str
    section: Section
    path: tuple[Section, ...]  # ancestors from the top, excluding the section itself
    is_preamble: bool = False

    @property
    def blocks(self) -> list[Block]:
        return self.section.blocks

    @property
    def title(self) -> str:
        return self.section.title


@dataclass(frozen=True)
class Placement:
    """Where classify put a unit, and why."""

    unit: Unit
    topic: str
    subtopic: str | None
    is_intro: bool  # the heading names the topic itself ("LLM 的定义"): page-level text
    reason: str


@dataclass
class Entry:
    """One subject on a topic page: the sections about it from every note (align), and the
    deduplicated blocks that say it (dedup)."""

    topic: str
    key: str
    title: str
    anchor: str
    subtopic: str | None = None
    placements: list[Placement] = field(default_factory=list)
    children: list[Entry] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)  # in reading order; empty before dedup

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class TopicPage:
    topic: Topic
    intro: Entry  # page-level text (anchor = the page's H1)
    entries: list[Entry] = field(default_factory=list)

    def all_entries(self):
        yield self.intro
        for entry in self.entries:
            yield from entry.walk()


@dataclass
class DedupStats:
    sentences_in: int = 0
    sentences_out: int = 0
    merged: int = 0
    replaced_by_fuller: int = 0


@dataclass(frozen=True)
class MergeRecord:
    """A source block that is entirely said elsewhere, and the spans of the blocks that say it."""

    span: Span
    into: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Deduplicated:
    """Dedup's result: the pages with their blocks, what merged away, and counts."""

    pages: list[TopicPage]
    merges: list[MergeRecord]
    stats: DedupStats


@dataclass
class KnowledgeBase:
    """Every stage's output, from the notes to extraction: all that render needs."""

    taxonomy: Taxonomy
    docs: list[NoteDoc]
    placements: list[Placement]
    pages: list[TopicPage]  # deduplicated, in taxonomy order
    merges: list[MergeRecord]
    stats: DedupStats
    extraction: Extraction
    segmenter: Segmenter  # jieba with the domain words, built once for the whole build
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
