"""Lead: a subject's text opens with the best definition of it that the notes give.

Align puts first the note that defines a subject soonest, and keeps each note's paragraphs in
their order. A note often opens its chapter with a lead-in ("前面几章，我们讲过了…") and says
what its subject is only a few paragraphs later; the reader of a topic page wants that
sentence first. After dedup (which may have kept a fuller wording of it), rule
``definition-first`` moves the first paragraph that says what the subject is to the top of
its entry, when the entry does not open with one already; everything else keeps its order.

The subject of a node's own text is what the node is about: its name, the aliases that are
forms of it, and what its asking aliases name without the words that only say
what kind of text follows ("什么是大语言模型" → 大语言模型, "LLM 概念" → LLM); not an alias that
names a kind of it (掩码自注意力 of 注意力机制). The subject of an entry is its title and the
English name or abbreviation it gives.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .align import bracketed_names, definition_pattern
from .models import Block, BlockKind, Entry, Node, NodeContent, Taxonomy
from .text import visible

# How much of a paragraph the definition must open within (its first sentence or two).
_OPENING = 200


def open_with_definitions(contents: list[NodeContent], taxonomy: Taxonomy) -> list[NodeContent]:
    """The node contents again, each entry's first defining paragraph moved to its top."""
    generic = sorted(taxonomy.generic_words, key=len, reverse=True)
    out: list[NodeContent] = []
    for content in contents:
        intro = replace(content.intro, blocks=_definition_first(content.intro.blocks,
                                                                _subject_names(content.node, generic)))
        out.append(NodeContent(content.node, intro, [_led(e) for e in content.entries]))
    return out


def _subject_names(node: Node, generic: list[str]) -> list[str]:
    """What a node's own text is about: its name (title, bracketed names), the aliases that are
    forms of it ("注意力" of 注意力机制), and what the aliases that ask name ("什么是大语言模型" →
    大语言模型). Not an alias that names a kind or a part of it, or something broader: a
    definition of 掩码自注意力, Reflexion or 模型并行 does not open 注意力机制, 规划 or 张量并行."""
    own = [node.short_title, *bracketed_names(node.title)]
    names = list(own)
    for alias in node.aliases:
        bare = _without(generic, alias)
        if bare != alias:
            names.append(bare)
        elif any(alias.lower() in n.lower() or n.lower() in alias.lower() for n in own):
            names.append(alias)
    return names


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
