"""What extract reads out of the knowledge base: the model catalog, the glossary, the timeline.

Every value keeps the sentence it was read from (``Evidence``), so render can show it
with a link to where that sentence is published and the notes it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..names import name_key
from .notes import Span


@dataclass(frozen=True)
class Place:
    """Where a sentence is published: a page and the heading it sits under."""

    page: str  # docs-relative page file, e.g. "models.md"
    anchor: str  # id of the heading the sentence sits under
    page_title: str
    section_title: str


@dataclass(eq=False)
class Sentence:
    """A heading or prose sentence of the deduplicated knowledge base, in reading order."""

    raw: str  # Markdown as published
    text: str  # what a reader sees: markup removed, whitespace collapsed
    spans: tuple[Span, ...]  # note lines it came from (merged duplicates included)
    place: Place  # its entry on a page (one Place per entry)
    node: str  # the node of the topic tree it is under
    order: int  # reading order over the whole knowledge base
    block: int  # sentences of one block share this number
    index: int  # position in its block
    heading: bool = False
    intro: bool = False  # in a node's own text (not under one of its subjects)


@dataclass(frozen=True)
class Evidence:
    """Where a value was read: a sentence and the value's offsets in its visible text."""

    sentence: Sentence
    start: int = 0
    end: int = 0
    label: str = ""  # shown before the quote in the tooltip, e.g. "笔记分组"

    @property
    def quote(self) -> str:
        return self.sentence.text


@dataclass(frozen=True)
class DateValue:
    year: int
    month: int = 0
    day: int = 0
    part: str = ""  # 初 / 底 / 末 / 上半年 / 下半年
    approx: bool = False
    decade: bool = False

    @property
    def key(self) -> tuple[int, int, int]:
        """Sort key: a year alone sorts before the months of that year."""
        return (self.year, self.month, self.day)

    def label(self) -> str:
        if self.decade:
            text = f"{self.year // 100 + 1} 世纪 {self.year % 100} 年代"
        else:
            text = f"{self.year} 年"
            if self.month:
                text += f" {self.month} 月"
                if self.day:
                    text += f" {self.day} 日"
            elif self.part:
                text += self.part
        return text + ("左右" if self.approx else "")

    def iso(self) -> str:
        if self.decade:
            return f"{self.year}s"
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
            if self.day:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)


@dataclass
class Fact:
    model: str  # the catalog row (registry group)
    field: str  # org | date | params | context | license | summary
    text: str  # what the cell shows, as the sentence writes it
    evidence: Evidence
    value: object = None  # DateValue, tuple of billions, token count, "开源"/"闭源", …
    hedged: bool = False
    rank: int = 0  # lower is preferred among facts of one field
    how: str = ""  # which rule tied it to the model
    named: str = ""  # the row's variant the sentence gives the value for (BERT-large), if any


@dataclass
class Cell:
    facts: list[Fact] = field(default_factory=list)
    override: str = ""
    reason: str = ""
    inherited_from: str = ""  # the series whose value this is (the model's own is unknown)


# Catalog columns: field → header.
CATALOG_COLUMNS = (("org", "机构"), ("date", "发布时间"), ("params", "参数规模"), ("license", "开源/闭源"),
                   ("context", "上下文长度"), ("summary", "要点"))


@dataclass
class Row:
    group: str
    name: str
    aliases: list[str]
    anchor: str
    section: Place | None  # the model's own section on the catalog page
    first: Evidence | None  # where the notes first name it
    cells: dict[str, Cell]
    surfaces: tuple[str, ...] = ()  # every written form the notes use, variants included
    sort_key: tuple = ()

    def value(self, column: str) -> str:
        cell = self.cells[column]
        if cell.override:
            return cell.override
        return "、".join(f.text for f in cell.facts)


@dataclass(frozen=True)
class MentionIndex:
    """How to recognise a catalogued model in text: Latin names by their key, Chinese names
    as written; a name inside an organization's name (Mistral in "Mistral AI") is none."""

    latin: dict[str, str]  # name key (names.name_key of the base name) → row group
    cjk: dict[str, str]  # Chinese surface → row group
    org_pattern: str = ""  # regular expression of the organizations' names


@dataclass
class Catalog:
    rows: list[Row]
    page: str  # the catalog page file, e.g. "models.md"
    index: MentionIndex = field(default_factory=lambda: MentionIndex({}, {}))

    def row(self, name: str) -> Row | None:
        key = name_key(name)
        for row in self.rows:
            if key in {name_key(n) for n in (row.name, *row.aliases, *row.surfaces)}:
                return row
        return None

    def terms(self) -> list[str]:
        words: set[str] = set()
        for row in self.rows:
            words.update([row.name, *row.aliases, *row.surfaces])
            words.update(f.text for f in row.cells["org"].facts)
        return sorted(w for w in words if w.strip())


@dataclass
class Term:
    term: str
    english: str
    abbr: str
    aliases: list[str]
    intro: Evidence
    definition: Evidence | None
    link: Place
    anchor: str = ""
    forms: list[str] = field(default_factory=list)
    intros: list[Evidence] = field(default_factory=list)  # every sentence that brackets it
    spelled_out: bool = False  # an abbreviation the notes spell out (RAG（检索增强生成）)


@dataclass
class Event:
    date: DateValue
    surface: str  # the date as the sentence writes it
    description: str  # clauses of the sentence that tell the event
    evidence: Evidence
    subject: str = ""  # catalog row (group) the event is about, if any

    @property
    def sort_key(self) -> tuple:
        return (self.date.key, self.date.approx, self.evidence.sentence.order)


@dataclass
class Extraction:
    catalog: Catalog
    glossary: list[Term] = field(default_factory=list)
    timeline: list[Event] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)  # every fact read, before the catalog chose
    abbreviations: dict[str, str] = field(default_factory=dict)  # ABBR -> 中文（English）
    terms: list[str] = field(default_factory=list)  # domain words for the search dictionary
