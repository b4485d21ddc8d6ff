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

from .align import _definition_pattern
from .models import BlockKind, Entry, NodeContent, Taxonomy
from .text import visible

# The rule's name (docs, tests and the build's timings speak of it so).
RULE = "definition-first"
# How much of a paragraph the definition must open within (its first sentence or two).
_OPENING = 200


def open_with_definitions(contents: list[NodeContent], taxonomy: Taxonomy) -> int:
    """Move, in place, each entry's first defining paragraph to its top; how many moved."""
    generic = sorted(taxonomy.generic_words, key=len, reverse=True)
    moved = 0
    for content in contents:
        node = content.node
        for entry in content.all_entries():
            if entry is content.intro:
                names = [node.short_title, *node.aliases, *_bracketed(node.title)]
                names += [_without(generic, n) for n in names]
            else:
                names = [re.sub(r"[（(].*?[）)]", "", entry.title).strip(), *_bracketed(entry.title)]
            moved += _definition_first(entry, names)
    return moved


def _definition_first(entry: Entry, names: list[str]) -> int:
    blocks = entry.blocks
    if len(blocks) < 2:
        return 0
    names = [n for n in {n.lower() for n in names} if len(n) >= 2]
    openings = [visible(b.text).strip() if b.kind is BlockKind.PARAGRAPH else "" for b in blocks]
    # Only paragraphs that name the subject at all are read closely (one pattern per entry
    # would otherwise be most of this stage's time); a lead-in ("…的定义如下：") belongs with
    # what it introduces, and a list item with its list.
    named = [i for i, text in enumerate(openings) if text and not text.endswith(("：", ":"))
             and any(n in text[:_OPENING].lower() for n in names)]
    if not named or named == [0]:
        return 0
    defines = _definition_pattern(names)
    if defines is None:
        return 0
    found = next((i for i in named if defines.search(openings[i][:_OPENING])), None)
    if not found:  # none, or the entry opens with one already
        return 0
    blocks.insert(0, blocks.pop(found))
    return 1


def _bracketed(title: str) -> list[str]:
    """The names a title gives in brackets: "上下文学习（In-Context Learning，ICL）" → both."""
    return [n.strip() for inner in re.findall(r"[（(](.*?)[）)]", title) for n in re.split(r"[，,]", inner)]


def _without(words: list[str], name: str) -> str:
    for word in words:
        name = name.replace(word, "")
    return name.strip()
