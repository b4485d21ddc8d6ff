"""Align: group the sections placed on each node into the node's own text and its subjects.

A section whose heading names the node itself ("涌现能力" on 涌现能力), a note's preamble, and a
section whose heading only says what kind of text follows ("简介", "总结") directly under the
node's subject are the node's own text; a heading that is a Latin name of something the node
holds ("ReLU" on 激活函数) is a subject of its own, with its sections under it. Other sections
are subjects under the node (GeLU under 激活函数); sections about the same subject from several
notes (GeLU in two notes) become one entry under one canonical title — the fullest heading
the notes use, with the English name and abbreviation if any note gives them. A section under
a subject's section in the same note becomes a sub-entry of it ("GeLU › 函数及导数"), or part
of it when its heading says nothing more ("GeLU › 介绍").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from .classify import STRONG, HeadingMatcher, core
from .models import (
    CATALOG_TOPIC,
    OTHER_TOPIC,
    BlockKind,
    Entry,
    Heading,
    Node,
    NodeContent,
    Placement,
    Section,
    Taxonomy,
)
from .names import spells_out, titled_model
from .normalize import normalize_inline
from .text import slugify, visible

OTHER_NODE = Node(OTHER_TOPIC, "其他", "尚未归入任何主题的笔记内容。")


def _size(p: Placement) -> int:
    return sum(len(visible(b.text)) for b in p.unit.blocks)


@dataclass
class _Index:
    """A node's entries by subject key and by English name / abbreviation."""

    by_key: dict[str, Entry] = field(default_factory=dict)
    by_name: dict[str, Entry] = field(default_factory=dict)
    parent: dict[int, Entry] = field(default_factory=dict)  # id(sub-entry) → the entry it is under
    under: dict[tuple[int, str], Entry] = field(default_factory=dict)  # (id(entry), key) → its sub-entry


def align(placements: list[Placement], taxonomy: Taxonomy) -> list[NodeContent]:
    nodes = list(taxonomy.nodes())
    if any(p.node == OTHER_TOPIC for p in placements):
        nodes.append(OTHER_NODE)
    matcher = HeadingMatcher(taxonomy)
    contents = {n.id: NodeContent(n, Entry(n.id, "", n.title, n.id)) for n in nodes}
    index = {n.id: _Index() for n in nodes}
    by_section: dict[int, Entry] = {}
    for p in placements:
        content = contents[p.node]
        _title_untexted_parents(p, content, index[p.node], by_section, matcher, taxonomy)
        heading = p.unit.section.heading
        subject = matcher.strip_generic(core(heading.title)) if heading is not None else ""
        if p.unit.is_preamble or heading is None or (p.is_intro and _names_node(heading, content.node)):
            entry = content.intro
        elif not subject:
            # "简介", "总结": part of what its parent section (or the node) is about.
            entry = _ancestor_entry(p, by_section, content) or content.intro
        else:
            entry = _find_or_add(content, index[p.node], p, subject, by_section)
        entry.placements.append(p)
        by_section[id(p.unit.section)] = entry
    for content in contents.values():
        _finish(content, matcher)
    return [contents[n.id] for n in nodes]


def _names_node(heading: Heading, node: Node) -> bool:
    """Whether a heading that names the node is its own text ("LLM 的定义", "涌现能力（Emergent
    Abilities）", "常见的 LLM 模型") or a subject under it: a Latin name, or an English name in
    brackets, that the node's title does not give is something in it ("ReLU" on 激活函数, "BERT"
    on 预训练语言模型, "Flash Attention" on 注意力, "贪婪解码（Greedy Decoding）" on 解码策略), and
    keeps its heading and its sections under it."""
    names = {core(n) for n in (node.short_title, *bracketed_names(node.title))}
    if heading.english and core(heading.english) not in names:
        return False
    key = core(heading.title)
    return bool(re.search(r"[\u4e00-\u9fff]", key)) or key in names


def _names_a_part(heading: Heading, node: Node) -> bool:
    """Whether a heading names the node by one of its aliases, not by its title: "反向传播" over
    计算图, 单个结点 and 示例 on 神经网络基础 is a part of the node, and the title of what it is
    over (an example under it is its example, not the page's opening text)."""
    key = core(heading.title)
    own = {core(node.short_title), *(core(n) for n in bracketed_names(node.title))}
    aliases = {core(a) for a in node.aliases}
    if key in own or key not in aliases:
        return False
    # A form of the node's own name ("混合专家模型" of 混合专家, "Transformer 结构", "自然语言处理"
    # beside the alias 自然语言处理基础) holds or is held by another of its names.
    return not any(key in n or n in key for n in (own | aliases) - {key} if n)


def bracketed_names(title: str) -> list[str]:
    """The names a title gives in brackets: "上下文学习（In-Context Learning，ICL）" → both."""
    return [n.strip() for inner in re.findall(r"[（(](.*?)[）)]", title) for n in re.split(r"[，,]", inner)]


_LATIN_WORDS = re.compile(r"[a-z]+")


def _find_or_add(content: NodeContent, index: _Index, p: Placement, key: str,
                 by_section: dict[int, Entry]) -> Entry:
    heading = p.unit.section.heading
    assert heading is not None
    english, abbr = subject_names(heading)
    # Exact subject first through the node's index; the fuzzy scan only when that misses.
    found = index.by_key.get(key) or index.by_name.get(english.lower() or "\0") or index.by_name.get(abbr or "\0")
    if found is None and len(key) >= 4 and index.by_key:
        best = process.extractOne(key, list(index.by_key), scorer=fuzz.ratio, score_cutoff=90)
        # A spelling of the same heading, not another name ("Encoder-only" is not "Decoder-only").
        found = index.by_key[best[0]] if best and _LATIN_WORDS.findall(best[0]) == _LATIN_WORDS.findall(key) \
            else None
    parent = _ancestor_entry(p, by_section, content)
    under = parent if parent is not None and parent is not content.intro else None
    aspect = not (heading.english or heading.abbr or _LATIN_WORDS.search(key))
    if found is not None and aspect and under is not None and index.parent.get(id(found), under) is not under:
        # A heading in words only, under a subject, is a part of it: not the same part of another
        # subject ("时间" of Qwen 1.5 is not that of Qwen 1, "技术原理" of AdapterFusion not that
        # of Adapter Tuning). A name (Word2Vec, ZeRO-DP 通信量) is one subject wherever it stands.
        found = index.under.get((id(under), key))
    if found is None:
        found = Entry(content.node.id, key, heading.title, "")
        _attach(found, parent, content, index)
    index.by_key.setdefault(key, found)
    if under is not None:
        index.under.setdefault((id(under), key), found)
    for name in (english.lower(), abbr):
        if name:
            index.by_name.setdefault(name, found)
    return found


_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9.\-]*(?:\s+[A-Za-z0-9][A-Za-z0-9.\-]*)*")


def subject_names(heading: Heading) -> tuple[str, str]:
    """The English name and abbreviation a heading's brackets give its subject. A title in
    Chinese is named in English by its bracket ("混合专家（Mixture of Experts，MoE）"); a title
    with a Latin name of its own only by a bracket that holds that name ("Transformer 架构
    （Transformer Architecture）") or spells it out ("ReLU（Rectified Linear Unit）", "Mixture of
    Experts（MoE）"): any other ("Llama 3（Meta）", "GPT-4o（OpenAI）", "P-Tuning（Liu et al.）") says
    who made it or wrote about it, and two models of one maker are not one subject."""
    own = " ".join(_LATIN_RUN.findall(re.sub(r"[（(][^（）()]*[）)]", "", heading.title)))
    if not own:
        return heading.english, heading.abbr

    def names_it(bracket: str) -> bool:
        low, mine = bracket.lower(), own.lower()
        return bool(bracket) and (re.search(rf"(?<![a-z0-9]){re.escape(mine)}(?![a-z0-9])", low) is not None
                                  or bracket in own.split() or spells_out(bracket, own) or spells_out(own, bracket))

    return (heading.english if names_it(heading.english) else "", heading.abbr if names_it(heading.abbr) else "")


def _attach(entry: Entry, parent: Entry | None, content: NodeContent, index: _Index) -> None:
    """A new entry goes under the entry of its nearest ancestor on this node, at any depth
    (BERT under "Encoder-only PLM"), else it is a subject of the node."""
    if parent is not None and parent is not content.intro:
        parent.children.append(entry)
        index.parent[id(entry)] = parent
    else:
        content.entries.append(entry)


def _title_untexted_parents(p: Placement, content: NodeContent, index: _Index, by_section: dict[int, Entry],
                            matcher: HeadingMatcher, taxonomy: Taxonomy) -> None:
    """A heading with no text of its own over sections placed here ("贪婪解码（Greedy Decoding）"
    over 原理说明, 优缺点分析 …) becomes their entry, so that they keep it as their title on the
    page; not when it names the node itself or something outside it (then they are the
    node's, as before). Not on the catalog page, whose sections the catalog reads as models'
    own (a family's heading over its versions would be one more row), except a model's name
    over sections that name no model ("Qwen 1.5" over 时间, 参数量): its record."""
    catalog = content.node.id == CATALOG_TOPIC
    if catalog and titled_model(p.unit.title):
        return
    for depth, ancestor in enumerate(p.unit.path):
        heading = ancestor.heading
        if ancestor.blocks or ancestor.level < 1 or heading is None or id(ancestor) in by_section:
            continue
        if catalog and not titled_model(heading.title):
            continue
        key = matcher.strip_generic(core(heading.title))
        clues = [c for c in matcher.matches(heading.title, heading.english, heading.abbr) if c.score >= STRONG]
        node = content.node.id
        if not key or any(not taxonomy.is_within(c.node, node) for c in clues) or \
                (any(c.node == node for c in clues) and _names_node(heading, content.node)
                 and not _names_a_part(heading, content.node)):
            continue
        entry = index.by_key.get(key)
        if entry is None:
            entry = Entry(node, key, heading.title, "")
            _attach(entry, _nearest_entry(p.unit.path[:depth], by_section, content), content, index)
            index.by_key[key] = entry
        by_section[id(ancestor)] = entry


def _ancestor_entry(p: Placement, by_section: dict[int, Entry], content: NodeContent) -> Entry | None:
    """The entry of the nearest ancestor section placed on the same node."""
    return _nearest_entry(p.unit.path, by_section, content)


def _nearest_entry(path: Sequence[Section], by_section: dict[int, Entry], content: NodeContent) -> Entry | None:
    for ancestor in reversed(path):
        entry = by_section.get(id(ancestor))
        if entry is not None:
            return entry if entry.node == content.node.id else None
    return None


def _finish(content: NodeContent, matcher: HeadingMatcher) -> None:
    used = {content.node.id}
    node = content.node
    for entry in content.all_entries():
        if entry is content.intro:
            entry.placements[:] = _reading_order(entry.placements, [node.short_title, *node.aliases])
            continue
        entry.title = _canonical_title(entry, matcher)
        names = [re.sub(r"[（(].*?[）)]", "", entry.title).strip()]
        names += [x for p in entry.placements if p.unit.section.heading
                  for x in (p.unit.section.heading.english, p.unit.section.heading.abbr) if x]
        entry.placements[:] = _reading_order(entry.placements, names)
        entry.anchor = slugify(entry.title)
        base, n = entry.anchor, 2
        while entry.anchor in used:
            entry.anchor = f"{base}-{n}"
            n += 1
        used.add(entry.anchor)


def _reading_order(placements: list[Placement], names: list[str]) -> list[Placement]:
    """The note that defines the subject soonest first (a page opens with a definition: the
    note's first paragraph, else one of its next EARLY_DEFINITION - 1), then the fullest
    notes; each note's sections in the order the note has them."""
    by_note: dict[str, list[Placement]] = defaultdict(list)
    for p in placements:
        by_note[p.unit.note].append(p)
    for note in by_note:
        by_note[note].sort(key=lambda p: _line(p.unit.section))
    if len(by_note) < 2:
        # One note has no order to find: building its definition pattern (a regex per entry)
        # would be most of align's time for nothing.
        return [p for n in by_note for p in by_note[n]]
    defines = definition_pattern(names)

    def definition_at(note: str) -> int:
        if defines is None:
            return EARLY_DEFINITION
        blocks = (b for p in by_note[note] for b in p.unit.blocks)
        for i, block in zip(range(EARLY_DEFINITION), blocks, strict=False):
            opening = defines.search(visible(block.text)[:200])
            # A label with a colon defines as a paragraph; as an item it is one of a list
            # ("vLLM：适用于大批量…" among the frameworks a page is about).
            if opening and not (opening[-1] in "：:" and block.kind is BlockKind.ITEM):
                return i
        return EARLY_DEFINITION

    notes = sorted(by_note, key=lambda n: (definition_at(n), -sum(_size(p) for p in by_note[n]), n))
    return [p for n in notes for p in by_note[n]]


# A note whose definition of the subject comes within its first this many paragraphs goes first.
EARLY_DEFINITION = 3


# Words a definition may open with before its subject ("一般来说，LLM 指…", "通常，大语言模型是…").
_FRAMING = r"(?:(?:一般|通常|简单|广义|狭义|本质)(?:来说|而言|来讲|地说|上|上讲)?|简而言之|总的来说)[，,]?\s*"
# What may come before the subject's name: a list mark or quote, a framing word, "所谓".
_BEFORE_NAME = re.compile(rf"\W{{0,3}}(?:{_FRAMING})?(?:所谓\s*)?")
_LONGEST_BEFORE_NAME = 3 + 8 + 2 + 8  # characters, spaces after "，" and "所谓" included
# What follows the name in a sentence that says what it is.
_AFTER_NAME = re.compile(
    r"\s*(?:[（(][^）)]{0,80}[）)])?\s*[，,]?\s*"
    # "大语言模型（LLM），也称大型语言模型，是…": another name on the way
    r"(?:(?:也|又|亦|简)称[^，,。]{1,20}[，,]\s*)?"
    # "LoRA（论文：…），该方法的核心思想就是…": what the method is, said through its idea.
    r"(?:(?:该方法|这种方法|该技术|其|它)\s*的?\s*(?:核心|基本|主要)?\s*(?:思想|思路|原理)\s*)?"
    r"(?:也|又|就|其实|实际上)?\s*(?:是指|是|指的是|指|即|称为|被称为|可以定义为|"
    # "思维链（Chain-of-Thought，CoT）：通过让模型…": a term's label and what it is
    r"[：:](?!\s*$))", re.I)


@dataclass(frozen=True)
class DefinitionPattern:
    """"X 是…", "X（English）指…", "所谓 X，就是…", "X（English）：…": a sentence that says what X
    is, for X any of some names (upper or lower case). The parts around the name are compiled
    once: a regex per set of names cost most of align's and lead's time."""

    names: tuple[str, ...]  # lower case, longest first

    def search(self, text: str) -> str | None:
        """The sentence's opening up to its defining verb, or None when it defines none of them."""
        low = text.lower()
        if len(low) != len(text):  # a letter whose lower case is longer: compare as written
            low = text
        for start in range(min(len(text), _LONGEST_BEFORE_NAME), -1, -1):
            if not _BEFORE_NAME.fullmatch(text, 0, start):
                continue
            for name in self.names:
                if low.startswith(name, start):
                    verb = _AFTER_NAME.match(text, start + len(name))
                    if verb:
                        return text[: verb.end()]
        return None


def definition_pattern(names: list[str]) -> DefinitionPattern | None:
    """What says what one of the names is (see DefinitionPattern); None when no name has two
    characters or more."""
    kept = sorted({n.strip().lower() for n in names if len(n.strip()) >= 2}, key=lambda n: (-len(n), n))
    return DefinitionPattern(tuple(kept)) if kept else None


def _line(section: Section) -> int:
    if section.heading:
        return section.heading.span.start
    return section.blocks[0].span.start if section.blocks else 0


def _canonical_title(entry: Entry, matcher: HeadingMatcher) -> str:
    """The fullest heading used for this subject — one that names it rather than asks about it
    ("GeLU" over "介绍一下 GeLU 计算公式？") — with English name / abbreviation added; a heading
    that only says what kind of text follows ("代码实现" joined to its parent) titles nothing."""
    headings = [p.unit.section.heading for p in entry.placements
                if p.unit.section.heading and matcher.strip_generic(core(p.unit.section.heading.title))]

    def rank(title: str) -> tuple:
        key = core(title)
        return (matcher.strip_generic(key) != key or title.rstrip().endswith(("？", "?")), -len(key), title)

    titles = sorted({h.title for h in headings}, key=rank)
    title = titles[0] if titles else entry.title
    english = next((h.english for h in headings if h.english), "")
    abbr = next((h.abbr for h in headings if h.abbr), "")
    if english and english.lower() not in title.lower():
        title = f"{title}（{english}{'，' + abbr if abbr else ''}）"
    elif abbr and abbr not in title:
        title = f"{title}（{abbr}）"
    return normalize_inline(re.sub(r"\s+", " ", title).strip())
