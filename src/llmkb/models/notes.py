"""What ingest, structure and normalize make of a note: its text, its section tree, its blocks.

Every block and heading carries its `Span` (note file + 1-based inclusive line
range), so provenance is a property of the data rather than bookkeeping added at
the end (cf. markdown-it's ``Token.map``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True, order=True)
class Span:
    """Where something came from: a note (path relative to the project root) and lines."""

    file: str
    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 1 or self.end < self.start:
            raise ValueError(f"bad span {self.file}:{self.start}-{self.end}")

    def lines(self) -> range:
        return range(self.start, self.end + 1)

    def __str__(self) -> str:
        if self.start == self.end:
            return f"{self.file}:{self.start}"
        return f"{self.file}:{self.start}-{self.end}"


@dataclass(frozen=True)
class Removal:
    """Source lines removed from the content, and the named rule that removed them."""

    span: Span
    rule: str
    detail: str = ""


class BlockKind(StrEnum):
    PARAGRAPH = "paragraph"
    ITEM = "item"  # one list item; consecutive items with the same list_id form a list
    QUOTE = "quote"
    ADMONITION = "admonition"
    CODE = "code"
    MATH = "math"  # a display formula: its TeX, without the $$ delimiters
    TABLE = "table"
    IMAGE = "image"
    HTML = "html"


# Local images a note links to are written as ``](llmkb-asset:path)``; render maps them to
# the copied asset folder.
ASSET_SCHEME = "llmkb-asset:"


@dataclass(frozen=True)
class Block:
    """One unit of content (Markdown inline text, or raw text for code/table)."""

    kind: BlockKind
    text: str
    span: Span
    depth: int = 0  # list nesting depth for items
    ordered: bool = False  # ordered list item
    list_id: str = ""  # groups items of one list
    info: str = ""  # code fence info string / admonition type
    # Set by dedup on the blocks it returns: other spans whose text was merged into this one.
    merged: tuple[Span, ...] = ()

    @property
    def sources(self) -> list[Span]:
        return [self.span, *self.merged]


@dataclass(frozen=True)
class Heading:
    """A recognized heading: its cleaned title and the recognizer that found it."""

    title: str
    span: Span
    style: str  # e.g. "atx:3", "numbered:paren-arabic", "bold"
    english: str = ""  # English name given in the title, if any
    abbr: str = ""  # abbreviation given in the title, if any
    origin_url: str = ""  # when the heading itself is a link


@dataclass
class Section:
    heading: Heading | None  # None for the note's preamble (content before any heading)
    level: int  # depth in the note's own tree: 1 = top
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    note: str = ""

    @property
    def title(self) -> str:
        return self.heading.title if self.heading else ""

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def is_empty(self) -> bool:
        return not self.blocks and all(c.is_empty() for c in self.children)


@dataclass
class NoteText:
    """Output of ingest: decoded, line-normalized, simplified text with junk blanked out.

    Removed lines are replaced by empty strings rather than deleted so that line
    numbers in every later stage still match the file on disk.
    """

    path: str  # relative to the project root, e.g. "notes/000_x.txt"
    name: str  # file name
    lines: list[str]
    original_nonblank: frozenset[int]  # 1-based numbers of non-blank lines as read
    encoding: str
    removals: list[Removal] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class Attribution:
    title: str = ""
    origin_url: str = ""
    references: list[str] = field(default_factory=list)  # Markdown, one per reference


@dataclass
class NoteDoc:
    """Output of structure: a note's section tree plus what was dropped from it."""

    path: str
    name: str
    encoding: str
    root: Section  # level 0 pseudo-section; its blocks are the preamble
    attribution: Attribution
    removals: list[Removal]
    nonblank_lines: frozenset[int]
    reference_spans: list[Span] = field(default_factory=list)  # shown on the sources page
    images: list[str] = field(default_factory=list)  # kept images, relative to notes/

    def sections(self):
        for child in self.root.children:
            yield from child.walk()
