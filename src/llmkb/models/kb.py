"""What classify, align and dedup make of the notes, and the knowledge base as a whole."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..segment import Segmenter
from .extracted import Extraction
from .notes import Block, NoteDoc, Section, Span
from .taxonomy import Node, Taxonomy


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
    """Where classify put a unit (a node of the topic tree), and why."""

    unit: Unit
    node: str
    is_intro: bool  # the heading names the node itself ("LLM 的定义", "涌现能力"): the node's own text
    reason: str
    rule: str = ""  # the named rule that decided


@dataclass
class Entry:
    """One subject under a node: the sections about it from every note (align), and the
    deduplicated blocks that say it (dedup). A node's intro is an entry too (key "")."""

    node: str
    key: str
    title: str
    anchor: str
    placements: list[Placement] = field(default_factory=list)
    children: list[Entry] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)  # in reading order; empty before dedup

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class NodeContent:
    """What the notes say under one node of the topic tree."""

    node: Node
    intro: Entry  # text about the node itself
    entries: list[Entry] = field(default_factory=list)  # the subjects under it, each with sub-entries

    def all_entries(self):
        yield self.intro
        for entry in self.entries:
            yield from entry.walk()


@dataclass(frozen=True)
class PageItem:
    """One heading of a page and the text under it: a node's own text or one entry."""

    node: str
    entry: Entry  # the node's intro entry, or one of its entries
    level: int  # heading level on the page; 1 is the page's title
    title: str
    anchor: str


@dataclass
class Page:
    """One generated page: its file, the node it belongs to, its headings in reading order."""

    path: str  # docs-relative, e.g. "architecture/attention.md"
    node: str
    title: str
    description: str
    items: list[PageItem]
    children: list[str] = field(default_factory=list)  # paths of the pages below, in nav order
    parent: str | None = None  # path of the page above

    @property
    def is_index(self) -> bool:
        return self.path.endswith("/index.md")


@dataclass
class Layout:
    """Which node and entry is on which page, under which heading (the layout stage's output)."""

    pages: list[Page]  # in nav order: a page, then the pages below it
    catch_all: str = ""  # the path of the page for sections that fit no node, if there is one

    def __post_init__(self) -> None:
        self._by_path = {p.path: p for p in self.pages}
        self._where: dict[tuple[str, str], tuple[str, str]] = {}
        self._node_page: dict[str, str] = {}
        for page in self.pages:
            for item in page.items:
                self._where.setdefault((item.node, item.entry.key), (page.path, item.anchor))
                self._node_page.setdefault(item.node, page.path)

    def page(self, path: str) -> Page:
        return self._by_path[path]

    def where(self, entry: Entry) -> tuple[str, str]:
        """(page path, heading anchor) of an entry."""
        return self._where[(entry.node, entry.key)]

    def node_page(self, node: str) -> str | None:
        """The page that shows the node's own text (its heading), if it has any."""
        return self._node_page.get(node)

    def tops(self) -> list[Page]:
        return [p for p in self.pages if p.parent is None]


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


# The checks dedup may merge a sentence by, from the strictest: the same words; near-identical
# characters; contained in a fuller sentence; a rewording; a restatement of the same fact.
MERGE_CHECKS = ("same-words", "near-identical", "contained", "reworded", "restated")


@dataclass(frozen=True)
class SentenceMerge:
    """One sentence merged into another: what went, what stayed, and the check that allowed it.

    ``source`` is the block whose sentence was being read; its text is now in ``target``'s
    block (in ``kept``'s wording: the source's own when it was the fuller one)."""

    dropped: str
    kept: str
    source: Span
    target: Span
    check: str  # one of MERGE_CHECKS


@dataclass(frozen=True)
class Deduplicated:
    """Dedup's result: the node contents with their blocks, what merged away, and counts."""

    contents: list[NodeContent]
    merges: list[MergeRecord]
    stats: DedupStats
    audit: list[SentenceMerge] = field(default_factory=list)


@dataclass
class KnowledgeBase:
    """Every stage's output, from the notes to extraction: all that render needs."""

    taxonomy: Taxonomy
    docs: list[NoteDoc]
    placements: list[Placement]
    contents: list[NodeContent]  # deduplicated, in taxonomy order
    layout: Layout
    merges: list[MergeRecord]
    stats: DedupStats
    audit: list[SentenceMerge]
    extraction: Extraction
    segmenter: Segmenter  # jieba with the domain words, built once for the whole build
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
