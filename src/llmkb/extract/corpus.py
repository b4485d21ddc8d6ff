"""The deduplicated knowledge base as a stream of sentences, each with its place on the site.

Extractors read sentences, never raw notes: a value they find keeps the sentence (its
place on the site and the note lines it came from), so render can show it with a link
to that section and a tooltip quoting it.
"""

from __future__ import annotations

import re

from ..models import BlockKind, Entry, Place, Sentence, TopicPage
from ..text import split_sentences, visible

_TEXT_KINDS = {BlockKind.PARAGRAPH, BlockKind.ITEM, BlockKind.QUOTE, BlockKind.ADMONITION}


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
                                        place, page.topic.id, len(out), block_no, 0,
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
                                        page.topic.id, len(out), block_no, i,
                                        intro=entry is page.intro))
    return out
