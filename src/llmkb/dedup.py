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
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import chain

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from .classify import core
from .collector import cycle_collection_paused
from .models import (
    Block,
    BlockKind,
    Deduplicated,
    DedupStats,
    Entry,
    MergeRecord,
    NodeContent,
    Placement,
    SentenceMerge,
    Span,
)
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
    return bool(same_fact(a, b, segmenter))


def same_fact(a: str, b: str, segmenter: Segmenter) -> str:
    """The check by which two sentences (raw Markdown) state the same thing, or "" when they
    do not: same-words, near-identical, contained (one is part of the other) or reworded."""
    ka, kb = sentence_key(a), sentence_key(b)
    if ka == kb:
        return "same-words" if ka else ""
    short, long_ = (ka, kb) if len(ka) <= len(kb) else (kb, ka)
    if len(short) < MIN_FUZZY_CHARS:
        return ""
    fa, fb = _facts(a), _facts(b)
    if not (fa <= fb or fb <= fa):
        return ""
    # Most candidate pairs share a few runs of characters and little else. How many characters
    # the keys share in order (one fast bit-parallel pass) bounds both scores below, and a pair
    # whose bound is under the score needed is answered without computing it (rapidfuzz would
    # return 0 there: its cutoff). The bounds hold in exact integers; a score at the threshold is
    # always computed.
    common = LCSseq.similarity(ka, kb)
    # Below 70 a ratio decides nothing (see _paraphrase): the cutoff lets rapidfuzz stop early.
    ratio = fuzz.ratio(ka, kb, score_cutoff=70) if _may_reach_ratio(common, len(ka), len(kb), 70) else 0.0
    if ratio >= 85:
        return "near-identical"
    if len(short) >= 0.4 * len(long_) and _may_reach_partial_ratio(common, len(short), 88) \
            and fuzz.partial_ratio(short, long_, score_cutoff=88) >= 88:
        return "contained"
    return "reworded" if _paraphrase(a, b, ratio, len(short) / len(long_), len(short), segmenter) else ""


def _may_reach_ratio(common: int, la: int, lb: int, score: int) -> bool:
    """Whether fuzz.ratio of two strings sharing ``common`` characters in order (their longest
    common subsequence) can be ``score`` or more: it is exactly 200 · common / (la + lb)."""
    return 200 * common >= score * (la + lb)


def _may_reach_partial_ratio(common: int, short: int, score: int) -> bool:
    """Whether fuzz.partial_ratio of a string of length ``short`` against a longer one sharing
    ``common`` characters in order with it can be ``score`` or more. partial_ratio is the best
    ratio of the shorter against a part of the longer (of any length m, edges included); that
    part shares at most min(common, m) characters with it, so every such ratio is at most
    200 · common / (short + common)."""
    return 200 * common >= score * (short + common)


# --------------------------------------------------------------------------- restatements

# Clauses: a sentence's parts between commas, semicolons and colons (brackets kept whole).
_CLAUSE = re.compile(r"(?:[（(][^）)]*[）)]|[^，,；;：:（(])+[，,；;：:]?")
_NEGATION = re.compile(r"不(?!过|同|仅|断|少|管|久|但|论|如|满|足|外)|没|无(?!论|数|限)|非(?!常)|未(?!来)|别|勿")
_LLM_WORDS = re.compile(r"大型语言模型|大语言模型|大规模语言模型|大模型|llms?")
CLAUSE_RATIO = 75  # two clauses with keys this close say the same (above the seeds' unrelated pairs)
HEAD_RATIO = 80
WEAK_CLAUSE_RATIO = 70  # a clause this close to one of the other sentence's is a rewording of it
MIN_CLAUSE = 5  # shorter clauses (一般来说, 通常, 因此) are connectives, not content


@dataclass(frozen=True)
class _Clause:
    raw: str
    key: str
    negations: int = 0  # how many negations its raw text holds (_NEGATION)
    facts: frozenset[str] = frozenset()  # its numbers and versioned names (_facts)


def clauses(sentence: str) -> list[_Clause]:
    return list(_clauses(sentence))


@lru_cache(maxsize=131_072)
def _clauses(sentence: str) -> tuple[_Clause, ...]:
    # Every kept sentence is compared with many later ones: its clauses are read once.
    out = []
    for m in _CLAUSE.finditer(sentence):
        key = _LLM_WORDS.sub("llm", sentence_key(m.group(0)))
        if key:
            out.append(_Clause(m.group(0), key, len(_NEGATION.findall(m.group(0))), _facts(m.group(0))))
    return tuple(out)


@lru_cache(maxsize=131_072)
def _content_clauses(sentence: str) -> tuple[_Clause, ...]:
    """The clauses that carry content (connectives such as 一般来说 left out)."""
    return tuple(c for c in _clauses(sentence) if len(c.key) >= MIN_CLAUSE)


def _clause_matrix(rows: tuple[_Clause, ...], columns: tuple[_Clause, ...]) -> list[list[bool]]:
    """Whether each row clause says the same as each column clause: close keys (the shorter the
    clause, the closer: "幻觉是 LLM 的固有缺陷" and "偏见是 LLM 的固有缺陷" differ in what they are
    about), the same negations, no number one of them lacks. The check is symmetric, so one
    matrix serves both directions; its cheap conditions come before any ratio (a ratio is at
    most 200 · shortest / (la + lb): every extra character is an edit)."""
    out = []
    for a in rows:
        la, neg, facts = len(a.key), a.negations, a.facts
        row = []
        for b in columns:
            if b.negations != neg or not (facts <= b.facts or b.facts <= facts):
                row.append(False)
                continue
            lb = len(b.key)
            shortest = la if la < lb else lb
            needed = CLAUSE_RATIO if shortest >= 16 else 88 if shortest >= 10 else 100
            row.append(200 * shortest >= needed * (la + lb)
                       and fuzz.ratio(a.key, b.key, score_cutoff=needed) >= needed)
        out.append(row)
    return out


def _restated(mine: tuple[_Clause, ...], matched: list[bool], other: tuple[_Clause, ...]) -> bool:
    """Most of a sentence's text is in clauses the other says too, and its remaining clauses are
    rewordings of clauses there (nothing in it is new)."""
    total = sum(len(c.key) for c in mine)
    said = sum(len(c.key) for c, m in zip(mine, matched, strict=True) if m)
    if total < 12 or 2 * said < total:
        return False
    return all(m or any(fuzz.ratio(c.key, o.key, score_cutoff=WEAK_CLAUSE_RATIO) >= WEAK_CLAUSE_RATIO
                        for o in other)
               for c, m in zip(mine, matched, strict=True))


@lru_cache(maxsize=131_072)
def _asks(text: str) -> bool:
    """A question: its last sentence ends with a question mark (markup and quotes aside)."""
    return bool(re.search("[？?][\\s*_`'\"”’」』)）\\]]*$", text))


def restatement(old: str, new: str) -> tuple[str, str]:
    """Whether one sentence restates the other clause by clause ("LLM 天生具有多语言、跨语言能力，
    只是…" inside a fuller sentence that says the same with other connectives): ("inside-old" |
    "inside-new" | "extends", extended old text) or ("", "") when not.

    "extends": both open with the same defining clause ("LLM 指包含数百亿参数的语言模型，…") and
    go on with different details; the old sentence takes the new one's other clauses."""
    if _asks(old) != _asks(new):
        return "", ""  # "什么是 ICL？" asks; "CoT 本质上也属于 ICL" says something about it
    co, cn = _content_clauses(old), _content_clauses(new)
    if not co or not cn:
        return "", ""
    same = _clause_matrix(cn, co)
    new_matched = [any(row) for row in same]
    if not any(new_matched):
        return "", ""  # every outcome below needs a clause both say
    old_matched = [any(row[j] for row in same) for j in range(len(co))]
    if _restated(cn, new_matched, co):
        return "inside-old", ""
    if _restated(co, old_matched, cn):
        return "inside-new", ""
    head_o, head_n = co[0], cn[0]
    if len(head_n.key) >= 12 and fuzz.ratio(head_o.key, head_n.key) >= HEAD_RATIO and same[0][0] \
            and re.search(r"是|指|即|称", head_n.key):
        extra = [c.raw for c, matched in zip(cn, new_matched, strict=True) if not matched]
        if extra:
            body = old.rstrip()
            ending = re.search(r"[。！？!?]+$", body)
            stop = ending.group(0) if ending else "。"
            body = body[: ending.start()] if ending else body
            tail = "".join(extra).strip().rstrip("，,；;：:。") + stop
            return "extends", f"{body}；{tail}"
    return "", ""


# What a sentence must not lose when it merges into another: URLs (link targets included),
# code spans, numbers with their units, and Latin-letter names and versions.
_DETAIL_URL = re.compile(r"https?://[^\s)\]>\"'<，。；]+")
_DETAIL_CODE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_DETAIL_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*\s*(?:万亿|亿|万|千万|百万|[kmbt](?![a-z])|gb|mb|tb|%|倍|层|维"
                            r"|tokens?|词元|卡|张|台|小时|天|年|月|日|个)|(?<![\w.])(?:\d+[.,]\d+|\d{2,})(?![\w.])")
_DETAIL_NAME = re.compile(r"[a-z][a-z0-9.+\-]*[a-z0-9+]")


@lru_cache(maxsize=262_144)
def details(sentence: str) -> frozenset[str]:
    """The URLs, code spans, numbers with units and Latin names a sentence (raw Markdown) holds."""
    out = {u.rstrip(".,;:!?").lower() for u in _DETAIL_URL.findall(sentence)}
    out |= {"`" + m.group(2).strip().lower() for m in _DETAIL_CODE.finditer(sentence)}
    text = unicodedata.normalize("NFKC", visible(_DETAIL_URL.sub(" ", sentence))).lower()
    out |= {re.sub(r"\s+", "", m.group(0)) for m in _DETAIL_NUMBER.finditer(text)}
    out |= set(_DETAIL_NAME.findall(text))
    return frozenset(out)


def covers(kept: str, dropped: str) -> bool:
    """Every detail of ``dropped`` is in ``kept``: among its details, or in its text (a code
    span `思维链` is covered by the words 思维链)."""
    missing = details(dropped) - details(kept)
    if not missing:
        return True
    # The text may say a missing detail in other markup (a code span `思维链` by the words 思维链,
    # 2022 inside 2022 年), but only whole: …/sparrow-align is not in …/sparrow-align-v2, nor
    # 7b in 17b.
    raw = kept.lower()
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", visible(kept)).lower())
    for d in missing:
        if d.startswith("`"):
            found = d.lstrip("`").replace(" ", "") in text
        elif _DETAIL_URL.match(d):
            found = re.search(re.escape(d) + r"(?![^\s)\]>\"'<，。；.,;:!?])", raw) is not None
        else:
            word = re.escape(d.replace(" ", ""))
            found = re.search(rf"(?<![0-9a-z.]){word}(?![0-9a-z])", text) is not None
        if not found:
            return False
    return True


def survivor(new: str, old: str) -> str:
    """Which of two sentences that state the same fact stays: "old" (the new one merges into
    it), "new" (it takes the old one's place) or "" (both stay: each holds a detail — a URL, a
    number, a name — the other lacks, so neither may go)."""
    new_in_old, old_in_new = covers(old, new), covers(new, old)
    fuller = len(sentence_key(new)) > len(sentence_key(old)) * 1.1
    if new_in_old and not (fuller and old_in_new):
        return "old"
    if old_in_new:
        return "new"
    return ""


# "License：MIT", "地址：https://…": a key-value line describes the entity its record is about.
_KEY_VALUE = re.compile(r"^\s*(?:\*\*)?(?P<key>[^：:*，。]{1,12})(?:\*\*)?\s*[：:]\s*(?P<value>\S.*?)[。；;]?\s*$")


def key_value(sentence: str) -> bool:
    """A record's field: a short key and a short value (a name, a number, a link)."""
    m = _KEY_VALUE.match(sentence)
    return m is not None and (len(visible(m.group("value"))) <= 30 or bool(_DETAIL_URL.fullmatch(
        visible(m.group("value")).strip())) or m.group("value").startswith("["))


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
    entity: str = ""  # the record it belongs to (a list item's parent, else its section)
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


class PairMemo:
    """Answers of the pairwise checks (``same_fact``, ``restatement``) by the two texts, each
    sentence's key and each key's fingerprints.

    All are pure functions of their texts and the segmenter's dictionary, so answers from an
    earlier build of the same code and rules (the build cache) stand: a rebuild after one note
    changed asks mostly the same pairs and keys again. ``asked()`` is what this build asked."""

    def __init__(self, earlier: dict | None = None) -> None:
        earlier = earlier or {}
        self._same: dict[tuple[str, str], str] = earlier.get("same", {})
        self._restated: dict[tuple[str, str], tuple[str, str]] = earlier.get("restated", {})
        self._asked_same: dict[tuple[str, str], str] = {}
        self._asked_restated: dict[tuple[str, str], tuple[str, str]] = {}
        self._prints: dict[str, frozenset[int]] = earlier.get("prints", {})
        self._asked_prints: dict[str, frozenset[int]] = {}
        self._keys: dict[str, str] = earlier.get("keys", {})
        self._asked_keys: dict[str, str] = {}

    def sentence_key(self, sentence: str) -> str:
        got = self._keys.get(sentence)
        if got is None:
            got = sentence_key(sentence)
        self._asked_keys[sentence] = got
        return got

    def fingerprints(self, key: str) -> frozenset[int]:
        got = self._prints.get(key)
        if got is None:
            got = frozenset(fingerprints(key))
        self._asked_prints[key] = got
        return got

    def same_fact(self, a: str, b: str, segmenter: Segmenter) -> str:
        key = (a, b)
        got = self._same.get(key)
        if got is None:
            got = same_fact(a, b, segmenter)
        self._asked_same[key] = got
        return got

    def restatement(self, old: str, new: str) -> tuple[str, str]:
        key = (old, new)
        got = self._restated.get(key)
        if got is None:
            got = restatement(old, new)
        self._asked_restated[key] = got
        return got

    def asked(self) -> dict:
        return {"same": self._asked_same, "restated": self._asked_restated, "prints": self._asked_prints,
                "keys": self._asked_keys}


class Deduplicator:
    def __init__(self, segmenter: Segmenter, memo: PairMemo | None = None) -> None:
        self.segmenter = segmenter
        self.memo = memo if memo is not None else PairMemo()
        self.audit: list[SentenceMerge] = []
        self._exact: dict[str, list[int]] = {}
        self._postings: dict[int, list[int]] = {}  # fingerprint → kept sentence ids
        self._kept: list[_Sentence] = []
        self.blocks: dict[Span, _Kept] = {}  # block span → its state
        self.stats = DedupStats()
        self.merged_blocks: list[MergeRecord] = []
        self._formulas: dict[str, _Kept] = {}  # display formula without whitespace → first one

    def _find(self, sentence: str, key: str, state: _Kept) -> tuple[_Sentence | None, frozenset[int], str, str]:
        """The kept sentence that already says this one, this one's fingerprints, the check that
        matched and which of the two stays."""
        for hit in self._exact.get(key, ()):
            # Most repeats are exact; they need no fingerprints (a fuller wording is never
            # an exact repeat, so these are never registered).
            kept = self._kept[hit]
            stays = self._may_merge(sentence, kept, state)
            if stays:
                return kept, frozenset(), "same-words", stays
        prints = self.memo.fingerprints(key) if len(key) >= MIN_FUZZY_CHARS else frozenset()
        found, check, stays = self._find_near(sentence, prints, state)
        return found, prints, check, stays

    def _may_merge(self, sentence: str, kept: _Sentence, state: _Kept) -> str:
        """Which one stays if the two may merge ("" if not): a key-value line of a record
        merges only within the same record, and no merge drops a detail."""
        if (key_value(sentence) or key_value(kept.text)) and state.entity != kept.owner.entity:
            return ""
        return survivor(sentence, kept.text)

    def _find_near(self, sentence: str, prints: frozenset[int], state: _Kept) -> tuple[_Sentence | None, str, str]:
        if not prints:
            return None, "", ""
        best = self._candidates(prints)
        for cand in best:
            kept = self._kept[cand]
            check = self.memo.same_fact(kept.text, sentence, self.segmenter)
            if check:
                stays = self._may_merge(sentence, kept, state)
                if stays:
                    return kept, check, stays
        for cand in best:
            kept = self._kept[cand]
            how, extended = self.memo.restatement(kept.text, sentence)
            if not how or ((key_value(sentence) or key_value(kept.text)) and state.entity != kept.owner.entity):
                continue
            if how == "inside-old" and covers(kept.text, sentence):
                return kept, "restated", "old"
            if how == "inside-new" and covers(sentence, kept.text):
                return kept, "restated", "new"
            if how == "extends" and covers(extended, sentence):
                self._replace(kept, extended, count=False)
                return kept, "restated", "old"
        return None, "", ""

    def _candidates(self, prints: frozenset[int]) -> list[int]:
        """The kept sentences that share most of these fingerprints (MAX_CANDIDATES at most):
        most shared first, then the earliest kept (ids are unique: a total order)."""
        postings = (self._postings.get(fp) for fp in prints)
        shared = Counter(chain.from_iterable(p for p in postings if p and len(p) <= COMMON_FINGERPRINT))
        # The hottest lines of dedup, both sorts in C: ids ascending, then by count, most first
        # (a reverse sort is still stable: equal counts keep their ids ascending).
        ranked = sorted(shared)
        ranked.sort(key=shared.__getitem__, reverse=True)
        return ranked[:MAX_CANDIDATES]

    def _register(self, kept: _Sentence, key: str, prints: frozenset[int]) -> int:
        idx = len(self._kept)
        self._kept.append(kept)
        self._exact.setdefault(key, []).append(idx)
        for fp in prints:
            posting = self._postings.setdefault(fp, [])
            if len(posting) <= COMMON_FINGERPRINT:
                posting.append(idx)
        return idx

    def process_block(self, block: Block, entity: str = "") -> bool:
        """Dedup one block against everything before it. False when nothing is left."""
        if block.kind is BlockKind.MATH:
            return self._formula(block)
        if block.kind not in _DEDUP_KINDS:
            return True
        state = self.blocks[block.span] = _Kept(block, entity=entity)
        parts = state.parts
        absorbed_into: list[Span] = []
        lead = ""  # text without words before the first kept sentence ("**效果**：")
        pending_label = ""
        for sentence in split_sentences(block.text):
            key = self.memo.sentence_key(sentence)
            if not key:
                if parts:
                    parts[-1] += sentence
                elif "![" in sentence:  # an image: nothing to compare, all to keep
                    parts.append(lead + sentence)
                    lead = ""
                else:
                    lead += sentence
                continue
            self.stats.sentences_in += 1
            earlier, prints, check, stays = self._find(sentence, key, state)
            if earlier is None:
                if pending_label and not parts and not _KEY_LABEL.match(sentence):
                    # The item keeps its subject label even when its first sentence merged.
                    sentence = pending_label + sentence.lstrip()
                if not parts and lead:
                    sentence = lead + sentence
                pending_label = ""
                parts.append(sentence)
                self._register(_Sentence(state, len(parts) - 1, sentence), key, prints)
                continue
            self.stats.merged += 1
            label = _KEY_LABEL.match(sentence)
            if label and not parts:
                pending_label = label.group(0)
            owner = earlier.owner
            if stays == "new":
                # Fuller wording (or the one with every detail) wins; it takes the earlier place.
                self.audit.append(SentenceMerge(earlier.text.strip(), sentence.strip(), block.span,
                                                owner.block.span, check))
                self._replace(earlier, sentence)
                self._register(earlier, key, prints)
            else:
                self.audit.append(SentenceMerge(sentence.strip(), earlier.text.strip(), block.span,
                                                owner.block.span, check))
            if owner is not state:
                if block.span not in owner.merged_set:
                    owner.merged_set.add(block.span)
                    owner.merged.append(block.span)
                if owner.block.span not in absorbed_into:
                    absorbed_into.append(owner.block.span)
        if not parts and not absorbed_into:
            parts.append(lead)  # nothing said here is said elsewhere: the block stays as it is
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

    def _replace(self, earlier: _Sentence, sentence: str, count: bool = True) -> None:
        ending = earlier.text[len(earlier.text.rstrip()) :]
        new = sentence.strip() + ending
        earlier.text = new
        self.stats.replaced_by_fuller += count
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


def dedup_contents(contents: list[NodeContent], segmenter: Segmenter, memo: PairMemo | None = None) -> Deduplicated:
    """The node contents again, every entry with its deduplicated ``blocks`` in reading order.

    Decisions are made in phases so that a fact said in several places survives in its
    most specific home: first what lies under the tree's deeper nodes (涌现能力, LoRA, …),
    then blocks there that are really about another node (a "**上下文学习**：…" item inside
    涌现能力), then the top-level nodes' text. Pages keep their reading order.
    """
    with cycle_collection_paused():
        return _dedup_contents(contents, segmenter, memo)


def _dedup_contents(contents: list[NodeContent], segmenter: Segmenter, memo: PairMemo | None) -> Deduplicated:
    dd = Deduplicator(segmenter, memo)
    labels = _node_labels(contents)
    phases: tuple[list[tuple[Block, str]], ...] = ([], [], [])
    for content in contents:
        for entry in content.all_entries():
            for placement in entry.placements:
                for block, entity in zip(placement.unit.blocks, _entities(placement), strict=True):
                    if content.node.depth == 0:
                        phases[2].append((block, entity))
                    elif _about_other_node(block, content.node.id, labels):
                        phases[1].append((block, entity))
                    else:
                        phases[0].append((block, entity))
    kept: set[Span] = set()
    for phase in phases:
        for block, entity in phase:
            if dd.process_block(block, entity):
                kept.add(block.span)
    _keep_lead_ins(contents, dd, kept)

    def with_blocks(entry: Entry) -> Entry:
        blocks = [dd.result(b) for p in entry.placements for b in p.unit.blocks if b.span in kept]
        return replace(entry, blocks=blocks, placements=list(entry.placements),
                       children=[with_blocks(c) for c in entry.children])

    out = [NodeContent(c.node, with_blocks(c.intro), [with_blocks(e) for e in c.entries]) for c in contents]
    dd.stats.sentences_out = dd.stats.sentences_in - dd.stats.merged
    return Deduplicated(out, dd.merged_blocks, dd.stats, dd.audit)


def _entities(placement: Placement) -> list[str]:
    """The record each block of a section belongs to: a nested list item's parent item; a run
    of key-value items (名称：…, 地址：…, License：…) is one record, known by all its lines, so
    that its lines merge only with a record that says all of them; else the section (by its
    heading)."""
    section = "section:" + core(placement.unit.section.title)
    blocks = placement.unit.blocks
    out: list[str] = []
    items: list[Block] = []  # the open items of the current list, by depth
    for block in blocks:
        entity = section
        if block.kind is BlockKind.ITEM and block.list_id:
            items = [b for b in items if b.list_id == block.list_id and b.depth < block.depth]
            if items:
                first = split_sentences(items[-1].text)
                entity = "item:" + sentence_key(first[0] if first else items[-1].text)[:32]
            items.append(block)
        out.append(entity)
    for run in _records(blocks):
        identity = "record:" + sentence_key("\n".join(blocks[i].text for i in run))
        for i in run:
            out[i] = identity
    return out


def _records(blocks: list[Block]) -> list[list[int]]:
    """Runs of two or more key-value items of one list at one depth; a key seen again starts
    the next record (名称：A, 地址：…, 名称：B, 地址：…)."""
    runs: list[list[int]] = []
    run: list[int] = []
    keys: set[str] = set()
    for i, block in enumerate(blocks):
        m = _KEY_VALUE.match(block.text.strip()) if block.kind is BlockKind.ITEM and block.list_id else None
        key = core(m.group("key")) if m and key_value(block.text.strip()) else ""
        prev = blocks[run[-1]] if run else None
        same_list = prev is not None and prev.list_id == block.list_id and prev.depth == block.depth
        if not key or not same_list or key in keys:
            if len(run) >= 2:
                runs.append(run)
            run, keys = [], set()
        if key:
            run.append(i)
            keys.add(key)
    if len(run) >= 2:
        runs.append(run)
    return runs


_LEAD_IN = re.compile(r"[：:]\s*$")


def _keep_lead_ins(contents: list[NodeContent], dd: Deduplicator, kept: set[Span]) -> None:
    """A sentence that introduces a list ("介绍三个典型的涌现能力：") stays with the list, and a list
    that is mostly the note's own stays whole (its items said elsewhere too are kept as the note
    wrote them); a lead-in and list said elsewhere entirely merge."""
    for content in contents:
        for entry in content.all_entries():
            for placement in entry.placements:
                blocks = placement.unit.blocks
                for i, block in enumerate(blocks[:-1]):
                    items = _list_after(blocks, i)
                    if block.kind is not BlockKind.PARAGRAPH or not items or not _LEAD_IN.search(block.text):
                        continue
                    staying = sum(item.span in kept for item in items)
                    # A list that is mostly this note's own stays whole; one mostly said elsewhere
                    # keeps only what is new, and the lead-in stays with whatever is left.
                    group = [block, *items] if 2 * staying >= len(items) else [block]
                    if staying or block.span in kept:
                        for b in group:
                            if b.span not in kept:
                                dd.restore(b)
                                kept.add(b.span)


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
