"""Dedup: each fact once, in its fullest wording, nothing unique lost.

Works sentence by sentence over the whole knowledge base in reading order (pages in
taxonomy order; within an entry the fullest note's section first). A sentence that
an earlier one already says — identical or near-identical after normalization
(punctuation width, spacing, small wording changes) — is dropped, and when it is
the fuller wording it replaces the earlier text in place. Sentences only one
variant has stay where they are, so paragraphs keep reading as prose.

Near-duplicate candidates come from winnowing fingerprints of character 4-grams
(Schleimer, Wilkerson & Aiken 2003, the method behind MOSS): any two sentences that
share a run of ``K + W - 1`` (7) characters are guaranteed to share a fingerprint, which
catches both near-identical wordings and a short wording contained in a fuller one.
Fingerprints shared by very many sentences are ignored for candidate generation, so
no all-pairs comparison is made; each candidate is then checked with rapidfuzz, and
sentences whose numbers or versioned names disagree are never merged (GPT-3 vs GPT-4,
70 亿 vs 130 亿 are different facts).
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache

from rapidfuzz import fuzz

from .classify import core
from .models import Block, BlockKind, Deduplicated, DedupStats, Entry, MergeRecord, NodeContent, Span
from .segment import Segmenter
from .text import math_spans, shield_math, shielded_parts, split_sentences, visible

MIN_FUZZY_CHARS = 8
GRAM = 4  # K: characters per shingle
WINDOW = 4  # W: shingles per winnowing window → shared runs of ≥ 7 characters are found
COMMON_FINGERPRINT = 256  # postings above this make a fingerprint too common to be evidence
MAX_CANDIDATES = 32
_NON_WORD = re.compile(r"[^\w]+")
# Tokens that carry a fact: numbers and names with digits (GPT-3, 7B, Qwen-14B). Plain words
# such as NLP or Prompt do not make two wordings different facts.
_FACT_TOKEN = re.compile(r"[a-z]*\d+(?:\.\d+)?[a-z]*")
# A number and the unit after it are one token however they are spaced ("3 H" = "3H", "7 B" =
# "7B", "48 GB" = "48GB"); a word after a number ("8192 tokens", "GPT-3 is") stays a word.
_SPACED_UNIT = re.compile(r"(\d)\s+([a-z]|[kmgt]b)(?![a-z])")
_DEDUP_KINDS = {BlockKind.PARAGRAPH, BlockKind.ITEM, BlockKind.QUOTE, BlockKind.ADMONITION}


_LATIN_GLOSS = re.compile(r"[（(][A-Za-z][A-Za-z\s\-,，.]*[)）]")
_KEY_LABEL = re.compile(r"^\s*\*\*[^*]{1,24}\*\*\s*[：:]")


@lru_cache(maxsize=262_144)
def sentence_key(sentence: str) -> str:
    """What two sentences must share to be 'the same': visible word characters, lowercase.

    A lead label ("**逐步推理**：") names the subject of a list item; it is not part of the
    fact, so it is left out of the comparison.
    """
    sentence, formulas = shield_math(_KEY_LABEL.sub("", sentence))
    # An English gloss "（Chain-of-Thought，CoT）" is a translation, not a different fact.
    sentence = _LATIN_GLOSS.sub("", visible(sentence))
    # A formula keeps its symbols ($z>0$ and $z<0$ differ); only its spacing does not count.
    return "".join("".join(part.split()) if formula else _NON_WORD.sub("", part.lower()).replace("_", "")
                   for part, formula in shielded_parts(sentence, formulas))


@lru_cache(maxsize=262_144)
def _facts(key_source: str) -> frozenset[str]:
    text = _SPACED_UNIT.sub(r"\1\2", visible(key_source).lower().replace("-", ""))
    # A formula is a fact of its own: two wordings with different formulas say different things.
    formulas = {"".join(key_source[a:b].split()) for a, b in math_spans(key_source)}
    return frozenset(_FACT_TOKEN.findall(text)) | formulas


def near_duplicate(a: str, b: str, segmenter: Segmenter) -> bool:
    """Whether two sentences (raw Markdown) state the same thing."""
    ka, kb = sentence_key(a), sentence_key(b)
    if ka == kb:
        return bool(ka)
    short, long_ = sorted((ka, kb), key=len)
    if len(short) < MIN_FUZZY_CHARS:
        return False
    fa, fb = _facts(a), _facts(b)
    if not (fa <= fb or fb <= fa):
        return False
    ratio = fuzz.ratio(ka, kb)
    if ratio >= 85:
        return True
    if len(short) >= 0.4 * len(long_) and fuzz.partial_ratio(short, long_) >= 88:
        return True
    return _paraphrase(a, b, ratio, len(short) / len(long_), len(short), segmenter)


PARAPHRASE_MIN_CHARS = 24


def _paraphrase(a: str, b: str, ratio: float, length_ratio: float, shortest: int, segmenter: Segmenter) -> bool:
    """A long sentence restated with a few words swapped (是指→指的是, 多个→若干).

    Characters alone under-rate such rewordings, so the content words (jieba) must mostly
    agree too. Short sentences are excluded: "幻觉是 LLM 的固有缺陷" and "偏见是 LLM 的固有缺陷"
    share most words and are different facts.
    """
    if shortest < PARAPHRASE_MIN_CHARS or ratio < 70 or length_ratio < 0.6:
        return False
    ta, tb = _content_words(a, segmenter), _content_words(b, segmenter)
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) >= 0.45


def _content_words(sentence: str, segmenter: Segmenter) -> frozenset[str]:
    return frozenset(segmenter.fine_tokens(_LATIN_GLOSS.sub("", visible(_KEY_LABEL.sub("", sentence)))))


@dataclass
class _Kept:
    """A block being deduplicated: its sentences so far and the spans merged into it."""

    block: Block
    parts: list[str] = field(default_factory=list)
    merged: list[Span] = field(default_factory=list)
    # Spans already in merged: a sentence every note repeats makes that list thousands
    # long, too long to search on each merge.
    merged_set: set[Span] = field(default_factory=set)
    literal: bool = False  # a display formula: its text is never rewritten

    def result(self) -> Block:
        text = self.block.text if self.literal else _join(self.parts)
        return replace(self.block, text=text, merged=tuple(self.merged))


@dataclass
class _Sentence:
    """A kept sentence: where it lives now, and its current (fullest) wording."""

    owner: _Kept
    index: int  # position in the block's sentence list
    text: str


class Deduplicator:
    def __init__(self, segmenter: Segmenter) -> None:
        self.segmenter = segmenter
        self._exact: dict[str, int] = {}
        self._postings: dict[int, list[int]] = {}  # fingerprint → kept sentence ids
        self._kept: list[_Sentence] = []
        self.blocks: dict[Span, _Kept] = {}  # block span → its state
        self.stats = DedupStats()
        self.merged_blocks: list[MergeRecord] = []
        self._formulas: dict[str, _Kept] = {}  # display formula without whitespace → first one

    def _find(self, sentence: str, key: str) -> tuple[_Sentence | None, set[int]]:
        """The kept sentence that already says this one, and this one's fingerprints."""
        hit = self._exact.get(key)
        if hit is not None:
            # Most repeats are exact; they need no fingerprints (a fuller wording is never
            # an exact repeat, so these are never registered).
            return self._kept[hit], set()
        prints = fingerprints(key) if len(key) >= MIN_FUZZY_CHARS else set()
        return self._find_near(sentence, prints), prints

    def _find_near(self, sentence: str, prints: set[int]) -> _Sentence | None:
        if not prints:
            return None
        shared: Counter[int] = Counter()
        for fp in prints:
            posting = self._postings.get(fp)
            if posting and len(posting) <= COMMON_FINGERPRINT:
                shared.update(posting)
        best = sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CANDIDATES]
        for cand, _count in best:
            kept = self._kept[cand]
            if near_duplicate(kept.text, sentence, self.segmenter):
                return kept
        return None

    def _register(self, kept: _Sentence, key: str, prints: set[int]) -> int:
        idx = len(self._kept)
        self._kept.append(kept)
        self._exact.setdefault(key, idx)
        for fp in prints:
            posting = self._postings.setdefault(fp, [])
            if len(posting) <= COMMON_FINGERPRINT:
                posting.append(idx)
        return idx

    def process_block(self, block: Block) -> bool:
        """Dedup one block against everything before it. False when nothing is left."""
        if block.kind is BlockKind.MATH:
            return self._formula(block)
        if block.kind not in _DEDUP_KINDS:
            return True
        state = self.blocks[block.span] = _Kept(block)
        parts = state.parts
        absorbed_into: list[Span] = []
        pending_label = ""
        for sentence in split_sentences(block.text):
            key = sentence_key(sentence)
            if not key:
                if parts:
                    parts[-1] += sentence
                continue
            self.stats.sentences_in += 1
            earlier, prints = self._find(sentence, key)
            if earlier is None:
                if pending_label and not parts and not _KEY_LABEL.match(sentence):
                    # The item keeps its subject label even when its first sentence merged.
                    sentence = pending_label + sentence.lstrip()
                pending_label = ""
                parts.append(sentence)
                self._register(_Sentence(state, len(parts) - 1, sentence), key, prints)
                continue
            self.stats.merged += 1
            label = _KEY_LABEL.match(sentence)
            if label and not parts:
                pending_label = label.group(0)
            if len(sentence_key(sentence)) > len(sentence_key(earlier.text)) * 1.1:
                # Fuller wording wins; it takes the earlier sentence's place.
                self._replace(earlier, sentence)
                self._register(earlier, key, prints)
            owner = earlier.owner
            if owner is not state:
                if block.span not in owner.merged_set:
                    owner.merged_set.add(block.span)
                    owner.merged.append(block.span)
                if owner.block.span not in absorbed_into:
                    absorbed_into.append(owner.block.span)
        if not parts:
            self.merged_blocks.append(MergeRecord(block.span, tuple(absorbed_into)))
            return False
        return True

    def _formula(self, block: Block) -> bool:
        """A display formula another note already gave, symbol for symbol, is merged into it;
        formulas are never compared fuzzily (one changed index is another formula)."""
        key = "".join(block.text.split())
        earlier = self._formulas.get(key)
        if earlier is None:
            self._formulas[key] = self.blocks[block.span] = _Kept(block, literal=True)
            return True
        if block.span not in earlier.merged_set:
            earlier.merged_set.add(block.span)
            earlier.merged.append(block.span)
        self.merged_blocks.append(MergeRecord(block.span, (earlier.block.span,)))
        return False

    def _replace(self, earlier: _Sentence, sentence: str) -> None:
        ending = earlier.text[len(earlier.text.rstrip()) :]
        new = sentence.strip() + ending
        earlier.text = new
        self.stats.replaced_by_fuller += 1
        if earlier.index < len(earlier.owner.parts):
            earlier.owner.parts[earlier.index] = new

    def restore(self, block: Block) -> None:
        """Keep a block dedup had merged away, as the note wrote it."""
        self.blocks[block.span] = _Kept(block, split_sentences(block.text))
        self.merged_blocks = [r for r in self.merged_blocks if r.span != block.span]

    def result(self, block: Block) -> Block:
        """The block as it reads after dedup (blocks dedup does not touch are returned as is)."""
        state = self.blocks.get(block.span)
        return state.result() if state is not None else block


def fingerprints(key: str) -> set[int]:
    """Winnowing: the smallest 4-gram hash of every window of 4 consecutive 4-grams."""
    if len(key) <= GRAM:
        return {zlib.crc32(key.encode())}
    hashes = [zlib.crc32(key[i : i + GRAM].encode()) for i in range(len(key) - GRAM + 1)]
    if len(hashes) <= WINDOW:
        return {min(hashes)}
    return {min(hashes[i : i + WINDOW]) for i in range(len(hashes) - WINDOW + 1)}


def _join(parts: list[str]) -> str:
    text = "".join(parts).strip()
    # A sentence removed from the end may leave a dangling comma or colon-less clause.
    return re.sub(r"[，,]\s*$", "。", text)


def dedup_contents(contents: list[NodeContent], segmenter: Segmenter) -> Deduplicated:
    """The node contents again, every entry with its deduplicated ``blocks`` in reading order.

    Decisions are made in phases so that a fact said in several places survives in its
    most specific home: first what lies under the tree's deeper nodes (涌现能力, LoRA, …),
    then blocks there that are really about another node (a "**上下文学习**：…" item inside
    涌现能力), then the top-level nodes' text. Pages keep their reading order.
    """
    dd = Deduplicator(segmenter)
    labels = _node_labels(contents)
    phases: tuple[list[Block], ...] = ([], [], [])
    for content in contents:
        for entry in content.all_entries():
            for placement in entry.placements:
                for block in placement.unit.blocks:
                    if content.node.depth == 0:
                        phases[2].append(block)
                    elif _about_other_node(block, content.node.id, labels):
                        phases[1].append(block)
                    else:
                        phases[0].append(block)
    kept: set[Span] = set()
    for phase in phases:
        for block in phase:
            if dd.process_block(block):
                kept.add(block.span)
    _keep_lead_ins(contents, dd, kept)

    def with_blocks(entry: Entry) -> Entry:
        blocks = [dd.result(b) for p in entry.placements for b in p.unit.blocks if b.span in kept]
        return replace(entry, blocks=blocks, placements=list(entry.placements),
                       children=[with_blocks(c) for c in entry.children])

    out = [NodeContent(c.node, with_blocks(c.intro), [with_blocks(e) for e in c.entries]) for c in contents]
    dd.stats.sentences_out = dd.stats.sentences_in - dd.stats.merged
    return Deduplicated(out, dd.merged_blocks, dd.stats)


_LEAD_IN = re.compile(r"[：:]\s*$")


def _keep_lead_ins(contents: list[NodeContent], dd: Deduplicator, kept: set[Span]) -> None:
    """A sentence that introduces a list ("介绍三个典型的涌现能力：") stays with it: kept whole
    while any of its items is kept, merged with them when every item was said elsewhere."""
    merged_into = {r.span: r.into for r in dd.merged_blocks}
    for content in contents:
        for entry in content.all_entries():
            for placement in entry.placements:
                blocks = placement.unit.blocks
                for i, block in enumerate(blocks[:-1]):
                    items = _list_after(blocks, i)
                    if block.kind is not BlockKind.PARAGRAPH or not items or not _LEAD_IN.search(block.text):
                        continue
                    if any(item.span in kept for item in items):
                        if block.span not in kept:
                            dd.restore(block)
                            kept.add(block.span)
                    elif block.span in kept:
                        kept.discard(block.span)
                        into = tuple(dict.fromkeys(s for item in items for s in merged_into.get(item.span, ())))
                        dd.merged_blocks.append(MergeRecord(block.span, into))


def _list_after(blocks: list[Block], i: int) -> list[Block]:
    """The items of the list that directly follows block i, if one does."""
    nxt = blocks[i + 1]
    if nxt.kind is not BlockKind.ITEM:
        return []
    return [b for b in blocks[i + 1:] if b.list_id == nxt.list_id]


_LEAD_LABEL = re.compile(r"^\s*(?:\*\*(?P<bold>[^*]{1,24})\*\*\s*[：:]?|(?P<plain>[^，。：:]{1,12})[：:])")


def _node_labels(contents: list[NodeContent]) -> dict[str, str]:
    """Core of every deeper node's title and alias → node id."""
    labels: dict[str, str] = {}
    for content in contents:
        node = content.node
        if node.depth == 0:
            continue
        for name in (node.title, node.short_title, *node.aliases):
            labels.setdefault(core(name), node.id)
    return labels


def _about_other_node(block: Block, node: str, labels: dict[str, str]) -> bool:
    m = _LEAD_LABEL.match(block.text)
    if not m:
        return False
    other = labels.get(core(m.group("bold") or m.group("plain") or ""))
    return other is not None and other != node
