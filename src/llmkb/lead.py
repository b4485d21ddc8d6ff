"""Lead: a subject's text opens with the best definition of it that the notes give.

Align puts first the note that defines a subject soonest, and keeps each note's paragraphs in
their order. A note often opens its chapter with a lead-in ("在前三章，我们介绍了…") and says
what its subject is only a few paragraphs later; the reader of a topic page wants that
sentence first. After dedup (which may have kept a fuller wording of it), rule
``definition-first`` moves the first paragraph that says what the subject is to the top of
its entry, when the entry does not open with one already; everything else keeps its order.

The subject of a node's own text is what the node is about: its title and aliases, without
the words that only say what kind of text follows ("什么是大语言模型" → 大语言模型, "LLM 概念"
→ LLM). The subject of an entry is its title and the English name or abbreviation it gives.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .align import bracketed_names, definition_pattern
from .models import Block, BlockKind, Entry, NodeContent, Taxonomy
from .text import visible

# How much of a paragraph the definition must open within (its first sentence or two).
_OPENING = 200


def open_with_definitions(contents: list[NodeContent], taxonomy: Taxonomy) -> list[NodeContent]:
    """The node contents again, each entry's first defining paragraph moved to its top."""
    generic = sorted(taxonomy.generic_words, key=len, reverse=True)
    out: list[NodeContent] = []
    for content in contents:
        node = content.node
        names = [node.short_title, *node.aliases, *bracketed_names(node.title)]
        intro = replace(content.intro, blocks=_definition_first(
            content.intro.blocks, [*names, *(_without(generic, n) for n in names)]))
        out.append(NodeContent(node, intro, [_led(e) for e in content.entries]))
    return out


def _led(entry: Entry) -> Entry:
    names = [re.sub(r"[（(].*?[）)]", "", entry.title).strip(), *bracketed_names(entry.title)]
    return replace(entry, blocks=_definition_first(entry.blocks, names), children=[_led(c) for c in entry.children])


def _definition_first(blocks: list[Block], names: list[str]) -> list[Block]:
    if len(blocks) < 2:
        return blocks
    names = [n for n in {n.lower() for n in names} if len(n) >= 2]
    openings = [visible(b.text).strip() if b.kind is BlockKind.PARAGRAPH else "" for b in blocks]
    # Only paragraphs that name the subject at all are read closely (one pattern per entry
    # would otherwise be most of this stage's time); a lead-in ("…的定义如下：") belongs with
    # what it introduces, and a list item with its list.
    named = [i for i, text in enumerate(openings) if text and not text.endswith(("：", ":"))
             and any(n in text[:_OPENING].lower() for n in names)]
    if not named or named == [0]:
        return blocks
    defines = definition_pattern(names)
    if defines is None:
        return blocks
    found = next((i for i in named if defines.search(openings[i][:_OPENING])), None)
    if not found:  # none, or the entry opens with one already
        return blocks
    return [blocks[found], *blocks[:found], *blocks[found + 1:]]


def _without(words: list[str], name: str) -> str:
    for word in words:
        name = name.replace(word, "")
    return name.strip()
