"""The deduplicated knowledge base as a stream of sentences, each with its place on the site.

Extractors read sentences, never raw notes: a value they find keeps the sentence (its
place on the site and the note lines it came from), so render can show it with a link
to that section and a tooltip quoting it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from ..models import BlockKind, Entry, Heading, Layout, Page, PageItem, Place, Sentence
from ..text import split_sentences, visible

_TEXT_KINDS = {BlockKind.PARAGRAPH, BlockKind.ITEM, BlockKind.QUOTE, BlockKind.ADMONITION}


def visible_text(raw: str) -> str:
    return re.sub(r"\s+", " ", visible(raw)).strip()


def placed_items(layout: Layout) -> Iterator[tuple[Page, PageItem, Place]]:
    """Every heading of every page with its place, in reading order."""
    for page in layout.pages:
        for item in page.items:
            yield page, item, Place(page.path, item.anchor, page.title, item.title)


def _entry_headings(entry: Entry) -> list[Heading]:
    """The headings an entry's text stands under: its sections' own, and first the heading with
    no text of its own that titles the entry on the page ("采样解码（Sampling Decoding）" over the
    sections 原理说明, 优缺点 …, align's untexted parent), which a reader sees as its heading."""
    own = [p.unit.section.heading for p in entry.placements if p.unit.section.heading is not None]
    if any(h.title == entry.title for h in own):
        return own
    # An entry with no text of its own ("Qwen 1.5" over 时间, 参数量) is titled by the heading its
    # sub-entries' sections stand under.
    for p in entry.placements or [p for sub in entry.walk() for p in sub.placements]:
        for ancestor in reversed(p.unit.path):
            if ancestor.heading is not None and not ancestor.blocks and ancestor.heading.title == entry.title:
                return [ancestor.heading, *own]
    return own


def read_sentences(layout: Layout) -> list[Sentence]:
    """Every heading and prose sentence of the pages, in reading order."""
    out: list[Sentence] = []
    block_no = 0
    for _page, item, place in placed_items(layout):
        entry = item.entry
        intro = entry.key == ""
        for heading in _entry_headings(entry):
            block_no += 1
            out.append(Sentence(heading.title, visible_text(heading.title), (heading.span,),
                                place, item.node, len(out), block_no, 0, heading=True, intro=intro))
        for block in entry.blocks:
            if block.kind not in _TEXT_KINDS:
                continue
            block_no += 1
            for i, piece in enumerate(split_sentences(block.text)):
                text = visible_text(piece)
                if not text:
                    continue
                out.append(Sentence(piece.strip(), text, tuple(block.sources), place,
                                    item.node, len(out), block_no, i, intro=intro))
    return out


# A record's label line ("ChatGLM：", "Moss") and its line that describes the name ("简介：…").
_RECORD_LABEL = re.compile(r"^\s*(?P<label>[^\s：:，。；,]{2,40})\s*[：:]?\s*$")
_RECORD_DESCRIBES = re.compile(r"^\s*(?:简介|介绍|描述|说明|概述|Description|Intro)\s*[：:]\s*(?P<d>\S.*)$", re.I)


def records_as_units(sentences: list[Sentence]) -> list[Sentence]:
    """The sentences, each record of an awesome list read as one unit: a label line ("ChatGLM：")
    followed within its record by "简介：中文领域…的开源对话模型" makes that line read "ChatGLM：中文
    领域…的开源对话模型", so that what the record says is said of its name (order unchanged)."""
    out = list(sentences)
    for i, s in enumerate(sentences):
        label = _RECORD_LABEL.match(s.text) if not s.heading else None
        if label is None:
            continue
        for j in range(i + 1, min(i + 4, len(sentences))):
            nxt = sentences[j]
            if nxt.heading or nxt.place != s.place or _RECORD_LABEL.match(nxt.text):
                break
            d = _RECORD_DESCRIBES.match(nxt.text)
            if d:
                out[j] = replace(nxt, text=f"{label.group('label')}：{d.group('d')}")
                break
    return out
