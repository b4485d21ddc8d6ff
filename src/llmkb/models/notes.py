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


# Removal rules that live in code (the heuristics of ingest and structure; the rules users tune
# are in data/boilerplate.yaml, with their own descriptions): name → what it removes. Every
# removal names one of these or a rule of the rule file; the coverage page counts each.
CODE_RULES: dict[str, str] = {
    "boilerplate-residue": "夹在被移除的页眉页脚之间的零碎短行（作者名、计数）",
    "forum-signature": "论坛帖子的签名档（分隔线下的几行短文字）",
    "self-toc": "只重复笔记自身标题的目录列表（站点自带目录）",
    "front-matter": "笔记软件的 front matter 元数据",
    "tag-line": "只有 #标签 的行",
    "obsidian-comment": "笔记软件的 %%注释%%",
    "empty-heading": "没有文字的标题",
    "thematic-break": "分隔线",
    "image-dropped": "无法发布的图片（缺失、远程、在 notes/ 之外或 HTML <img>）",
    "figure-caption": "不在页面上的图片或表格的图注（如“图 2.7 Transformer 模型结构”）",
    "dangling-figure-ref": "只指向缺失图片的句子（如“如下图所示：”后没有图）",
    "dangling-table-ref": "只指向缺失表格的句子（如“下表列举了…”后没有表）",
    "chapter-pointer": "只说本书上一节、下一章讲什么的句子",
    "empty-block": "没有文字的段落",
    "no-text": "只有标点或符号的段落",
    "empty-item": "空的列表项",
    "empty-quote-line": "空的引用行",
    "html-markup": "只有 HTML 标记、没有文字的行",
    "details-markup": "折叠块的 HTML 标记与“点击查看”之类的展开标签（折叠的内容保留）",
    "link-reference-definition": "链接引用定义（目标已并入链接）",
    "footnote-inlined": "脚注（其文字已并入引用它的句子）",
    "admonition-marker": "只写了类型的提示框标记行（!!! note）",
    "todo-list": "作者自己的待办清单",
    "unaccounted": "没有任何规则认领的行（不应出现）",
}


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
