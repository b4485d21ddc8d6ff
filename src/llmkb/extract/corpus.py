"""The deduplicated knowledge base as a stream of sentences, each with its place on the site.

Extractors read sentences, never raw notes: a value they find is shown with a link to
the page section where its sentence is published and a tooltip quoting that sentence,
and the sentence's spans say which note lines it came from.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from ..align import Entry, TopicPage
from ..models import BlockKind, Span
from ..text import split_sentences, visible

CATALOG_TOPIC = "models"
_TEXT_KINDS = {BlockKind.PARAGRAPH, BlockKind.ITEM, BlockKind.QUOTE, BlockKind.ADMONITION}


@dataclass(frozen=True)
class Place:
    page: str  # docs-relative page file, e.g. "models.md"
    anchor: str  # id of the heading the sentence sits under
    page_title: str
    section_title: str


@dataclass(eq=False)
class Sentence:
    raw: str  # Markdown as published
    text: str  # what a reader sees: markup removed, whitespace collapsed
    spans: tuple[Span, ...]  # note lines it came from (merged duplicates included)
    place: Place
    topic: str
    entry: Entry
    order: int  # reading order over the whole knowledge base
    block: int  # sentences of one block share this number
    index: int  # position in its block
    heading: bool = False
    intro: bool = False  # in a page's introduction (before its first section)


def visible_text(raw: str) -> str:
    return re.sub(r"\s+", " ", visible(raw)).strip()


def entry_place(page: TopicPage, entry: Entry) -> Place:
    anchor = page.topic.slug if entry is page.intro else entry.anchor
    title = page.topic.title if entry is page.intro else entry.title
    return Place(page.topic.page, anchor, page.topic.title, title)


def read_sentences(pages: list[TopicPage]) -> list[Sentence]:
    """Every heading and prose sentence of the topic pages, in reading order."""
    out: list[Sentence] = []
    block_no = 0
    for page in pages:
        for entry in page.all_entries():
            place = entry_place(page, entry)
            for p in entry.placements:
                heading = p.unit.section.heading
                if heading is not None:
                    block_no += 1
                    out.append(Sentence(heading.title, visible_text(heading.title), (heading.span,),
                                        place, page.topic.id, entry, len(out), block_no, 0,
                                        heading=True, intro=entry is page.intro))
            for block in entry.blocks:
                if block.kind not in _TEXT_KINDS:
                    continue
                block_no += 1
                for i, piece in enumerate(split_sentences(block.text)):
                    text = visible_text(piece)
                    if not text:
                        continue
                    out.append(Sentence(piece.strip(), text, tuple(block.sources), place,
                                        page.topic.id, entry, len(out), block_no, i,
                                        intro=entry is page.intro))
    return out


# --------------------------------------------------------------------------- evidence links


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


def href(place: Place, from_page: str) -> str:
    base = posixpath.dirname(from_page) or "."
    path = posixpath.relpath(place.page, base)
    return f"{path}#{place.anchor}"


def tooltip(ev: Evidence, limit: int = 110) -> str:
    text = ev.sentence.text
    if len(text) > limit:
        middle = (ev.start + ev.end) // 2
        lo = max(0, min(middle - limit // 2, len(text) - limit))
        text = ("…" if lo else "") + text[lo : lo + limit] + ("…" if lo + limit < len(text) else "")
    if ev.label:
        text = f"{ev.label}：{text}"
    return text.replace('"', "'").replace("|", "｜").replace("\\", "＼").replace("\n", " ")


def md_text(text: str) -> str:
    """Plain text made safe inside Markdown inline content and table cells."""
    return re.sub(r"([\\`*_\[\]|<>])", r"\\\1", text)


def md_link(label: str, ev: Evidence, from_page: str, attrs: str = "") -> str:
    link = f'[{md_text(label)}]({href(ev.sentence.place, from_page)} "{tooltip(ev)}")'
    return link + (f"{{{attrs}}}" if attrs else "")
