"""Classify: place every section with content on one node of the topic tree, and say why.

A note is read the way a person reads it, top down. Its title says what the note is about
(the note's subject); a section whose own heading names a node goes there; a section whose
heading names nothing ("1.1 简介", "总结", "Q3：为什么？") stays with what its parent section
is about, down to the note's subject. The text refines that: within the inherited subject
it may pick a more specific node ("参数高效微调" → LoRA), and a section whose text clearly
belongs elsewhere goes there.

Clue is found by named rules (``RULES``), each returning a node, a score and why:

- ``heading``     the section's own heading names a node (taxonomy aliases; Latin names and
                  abbreviations as whole words, so ICL never matches inside ICLR; words that
                  only say what kind of text follows — 介绍, 总结, 面试题 — carry no topic);
- ``model``       the heading names a model that the text describes (released by, parameters);
- ``inherit``     nothing of its own: what its parent section, or the note, is about;
- ``text``        the text's words against each node's vocabulary (jieba tokens, TF-IDF;
                  code blocks do not count: a section with code is placed by its prose).
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from .diagnostics import Reporter
from .models import (
    CATALOG_TOPIC,
    DEFINITION_TOPIC,
    HISTORY_TOPIC,
    OTHER_TOPIC,
    REQUIRED_TOPICS,
    BlockKind,
    Node,
    NoteDoc,
    Placement,
    Section,
    Taxonomy,
    Unit,
)
from .names import reported_model, titled_model
from .segment import Segmenter
from .text import ANON_RELEASE, CJK_CHARS, VERSIONED_NAME, asks, visible
from .workers import ordered_map

_PARENS = re.compile(r"[（(][^（）()]*[)）]")
_SENTENCE_END = re.compile(r"[。？?！!；;]")
# A heading that asks why something is so (its sections give the reasons) and a heading that
# is a label with its detail after a colon ("1. 训练效率：…").
_ASKS_WHY = re.compile(r"为什么|为何|凭什么|原因|优势|好处")
_LABELLED = re.compile(r"^\s*(?:\d{1,2}[.、．)]\s*)?[^：:]{2,12}[：:]\s*\S")
# A span of years a heading names ("（2014–2018）", "2014-18", "2000 年以前"): a period, an era
# of a history.
_PERIOD = re.compile(r"(?P<start>(?:19|20)\d{2})\s*年?\s*[-–—~～至到]\s*(?P<end>(?:19|20)?\d{2}(?!\d)|今)"
                     r"(?P<date>\s*(?:月|[-/.]\d))?"
                     r"|(?:19|20)\d{2}\s*年(?:以前|之前|以后|之后)")


# A heading that is only a year ("2017", "2023 年", "📅 2024"): a chronicle's entry for that year.
_A_YEAR = re.compile(r"\W*(?:19|20)\d{2}\s*年?\W*")


def names_period(title: str) -> bool:
    """Whether a heading names a span of years. A date is no span: "2024-03-01 周五" (a diary's
    entry) names a day — its "2024-03" would run backwards, and a day or 月 follows it."""
    for m in _PERIOD.finditer(title):
        start, end = m.group("start"), m.group("end")
        if start is None:  # "2000 年以前"
            return True
        if m.group("date"):
            continue
        if end == "今" or int(end if len(end) == 4 else start[:2] + end) > int(start):
            return True
    return False


# A heading that only says a summary follows ("总结", "2.3 小结", "本章小结", in heading_key form),
# or the exercises on all of what it closes ("习题", "思考题").
_SUMMARY = re.compile(r"^[0-9一二三四五六七八九十]*(?:本章|本节|本文|全文|本篇|本讲)?"
                      r"(?:总结|小结|结语|回顾|习题|练习题?|思考题|复习题|课后(?:习|练习)题)(?:与展望|和展望)?$")
# A summary goes with the node that holds this share of the sections it sums up.
SUMMED_UP = 2 / 3
REASONS = "reasons"  # the rule of a subject whose heading asks why: its sections are its reasons
# "LLM", "大模型", "大型语言模型" name the knowledge base's general subject; they read as one word.
_LLM = re.compile(r"大型语言模型|大语言模型|大规模语言模型|大模型|large\s+language\s+models?|llms?(?![a-z])", re.I)
# A heading that names a family of models ("LLaMA 系列", "ChatGLM 系列模型", "Llama-2 家族"),
# also with a word of what kind of text follows ("GPT 系列模型的发展", "Qwen 家族概览").
_FAMILY = re.compile(r"^(?:\d+(?:\.\d+)*\.?\s*)?(?P<name>[A-Za-z][A-Za-z0-9.\-]*(?:\s?[A-Za-z0-9.\-]+)?)\s*"
                     r"(?:系列|家族)(?:模型)?(?:的?(?:发展|演进|演变|发展历程|发展史|介绍|简介|概述|概览|总结))?$")
# A parameter count in a name: "Mistral 7B", "Mixtral 8x7B".
_PARAMETER_SIZE = re.compile(r"(?<![A-Za-z0-9.])(?:\d+\s*[x×]\s*)?\d+(?:\.\d+)?\s*[BbMm](?![A-Za-z0-9])")
# The rule of a heading that names a family of models ("LLaMA 系列").
FAMILY = "family"
# A section whose list items are reports on models ("**Qwen2.5 Technical Report**", "**OLMoE:
# Open Mixture-of-Experts Language Models**"): an awesome list's catalog of models.
REPORTS = "reports"
MIN_REPORTS = 3
_NAME_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9.\-]*(?:\s?[A-Za-z0-9.\-]+)?\s?(?:系列)?$|系列$|大模型$")
# What a text says of a model it describes: who released it, that it is a model, its size.
_RELEASE_WORDS = re.compile(r"(?:发布|推出|开源|闭源|研发|开发)(?:了|的)?[^，。；]{0,20}?(?:模型|LLM|版本)"
                            r"|(?:模型|LLM)[^，。；]{0,6}(?:由|是)[^，。；]{0,20}?(?:发布|推出|开源|研发|开发)"
                            r"|\d+(?:\.\d+)?\s*(?:亿|万亿|[BM])\s*(?:个)?参数|参数量?(?:为|达到?|是)?\s*\d")
# "Meta 发布 Llama 3", "补记：阿里开源 Qwen2": a headline that something named was released.
_RELEASE_HEADLINE = re.compile(r"(?:发布|推出|开源|上线)了?\s*(?P<name>[A-Za-z][\w.\-]*(?:\s[\w.\-]+)?)\s*$")
# "Mistral 7B 是法国初创公司 Mistral AI 在 2023 年 9 月发布的开源大语言模型" — a sentence that
# introduces a model by who released it: the section is about that model. (预训练 is no
# release: "…的一般范式是预训练-微调：选一个合适的预训练模型" introduces no model.)
_MODEL_INTRO = re.compile(
    r"^\W{0,3}[A-Za-z\u4e00-\u9fff][\w.\- ]{0,30}?(系列模型|系列)?\s*(?:[（(][^（）()]{0,20}[）)])?\W{0,3}\s*(是|为|由)"
    r".{0,50}?(发布|推出|开源|研发|开发|(?<!预)训练)的?.{0,24}?(模型|LLM)"
)
# What an introduction says something is when it is no model.
_OTHER_THING = re.compile(r"编译器|框架|库|工具|系统|平台|引擎|服务|数据集|基准|芯片")
_LATIN = re.compile(r"[A-Za-z]")
_HAN_CHARS = re.compile(f"[{CJK_CHARS}]")
# Heading evidence at least this strong places a section by its own heading.
STRONG = 5.0
EXACT = 9.0
# Text evidence (cosine of TF-IDF vectors, 0–1): below REFINE it never overrides a heading's
# subject; a node outside the inherited subject needs CLEAR and twice the subject's best.
REFINE = 0.25
CLEAR = 0.45
# Text that shares less than this with the inherited subject says nothing about it.
NO_SUPPORT = 0.05
# Text only somewhat about a node (REFINE..CLEAR) leads a section away from the subject it follows
# when it shares at least FEW_WORDS distinct words with that node: two ("FP16、BF16" in a note on
# an attention kernel) are a mention, not a topic.
FEW_WORDS = 3
# A broad heading word (架构) with this much text support below its node outweighs inheritance.
WEAK_SUPPORT = 0.2
# A heading naming a node outside its note's subject needs at least this much text there.
MIN_SUPPORT = 0.1
# A section no rule places with at least this score fits no node.
MIN_SCORE = 0.6


def heading_key(title: str) -> str:
    """A heading reduced for comparison: NFKC, lower case, LLM words as "llm", no brackets,
    spaces or separators."""
    text = unicodedata.normalize("NFKC", title)
    text = _PARENS.sub("", text) or text
    text = _LLM.sub("llm", text)
    return re.sub(r"[\s\-_·:：,，、.。？?！!/／+＋]+", "", text).lower()


def core(title: str) -> str:
    """A heading's key with the general subject removed ("LLM 的定义" → 定义): what align and
    dedup compare."""
    return re.sub(r"^llm(?:的|之)?", "", heading_key(title)) or heading_key(title)


@dataclass(frozen=True)
class Clue:
    node: str
    score: float
    why: str
    rule: str
    exact: bool = False  # the heading is the node's name itself (its intro, not a sub-subject)
    surface: str = ""  # the alias the heading matched, as the taxonomy writes it
    head: bool = False  # the alias ends the heading's noun phrase ("RM 的数据格式": 数据格式)
    span: tuple[int, int] = (-1, -1)  # where in heading_key(title) the alias stands, if it does


@dataclass(frozen=True)
class _Alias:
    node: str
    text: str
    key: str
    weak: bool
    pattern: re.Pattern[str] | None  # whole-word pattern for Latin aliases
    variant: bool = False  # a kind of the node (QLoRA of LoRA): names it, never as its intro


def _variant_names(names: list[str]) -> set[str]:
    """Latin names of a node that are another of its names with letters glued on (QLoRA,
    AdaLoRA, LoRA+ of LoRA): kinds of the subject, each a sub-subject of its own."""
    latin = [n for n in names if _LATIN.search(n)]

    def kind_of(name: str, other: str) -> bool:
        at = name.lower().find(other.lower())
        if at < 0 or name.lower() == other.lower():
            return False
        prefix, suffix = name[:at], name[at + len(other) :]
        if not re.fullmatch(r"[A-Za-z0-9+]*", prefix + suffix):
            return False
        # A word's own ending is the same name (Agents, Layer Normalization of Layer Norm).
        return bool(prefix) or suffix[:1].isupper() or suffix[:1] in ("+", *"0123456789")

    return {n for n in latin if any(kind_of(n, o) for o in latin)}


def _plain_word_compound(alias: str, written: str, m: re.Match[str]) -> bool:
    """An acronym spelt in mixed case (ZeRO, MoE) met as an ordinary word that starts a
    hyphenated English compound ("Zero-Shot"): the word, not the acronym."""
    if not re.search(r"[a-z][A-Z]|[A-Z]{2}[a-z]", alias):
        return False
    seen = written[m.start() : m.end()]
    return seen in (seen.lower(), seen.capitalize()) and re.match(r"-[A-Z]?[a-z]", written[m.end() :]) is not None


# Endings of an English word's regular forms (rewrite, rewrites, rewriting; not rewritten).
_ENGLISH_ENDING = re.compile(r"(?:ings|ing|es|ed|s|e)$")


def _latin_pattern(alias: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in re.split(r"[\s\-_]+", unicodedata.normalize("NFKC", alias).lower()) if w]
    if len(words) >= 2:
        # An English phrase's last word in any of its forms: Query Rewriting ~ Query Rewrite,
        # Text Embedding ~ Text Embeddings, Tree of Thoughts ~ Tree of Thought.
        stem = _ENGLISH_ENDING.sub("", words[-1])
        if len(stem) >= 4 and stem.isalpha():
            words[-1] = stem + r"(?:e|es|s|ed|ing|ings)?"
    return re.compile(r"(?<![a-z0-9])" + r"[\s\-_]*".join(words) + r"(?![a-z])")


# The required pages about LLMs themselves: their broad words (定义, 特点, 能力, 历史) are
# aspects of the general subject.
_ASPECTS = frozenset(REQUIRED_TOPICS) - {CATALOG_TOPIC}
# A subject's name in what a heading says besides a broad word: an English name or abbreviation.
_NAMED = re.compile(r"[a-z]{2,}")


class HeadingMatcher:
    """Which nodes a heading names, and how strongly (memoized: headings repeat)."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self._generic = [heading_key(w) for w in taxonomy.generic_words if heading_key(w)]
        self._meta = {heading_key(w) for w in taxonomy.meta_words if heading_key(w)}
        self.facets = frozenset(heading_key(w) for w in taxonomy.facet_words if heading_key(w))
        self._aliases: list[_Alias] = []
        for node in taxonomy.nodes():
            names = [(node.short_title, node.short_title in node.weak_aliases), *((a, False) for a in node.aliases),
                     *((a, True) for a in node.weak_aliases)]
            variants = _variant_names([text for text, _ in names])
            for text, weak in names:
                key = heading_key(text)
                if not key or key == "llm":  # the general subject names no node
                    continue
                pattern = _latin_pattern(text) if _LATIN.search(text) else None
                self._aliases.append(_Alias(node.id, text, key, weak, pattern, text in variants))
        self._cache: dict[tuple[str, str, str], list[Clue]] = {}
        # The words of each node's English names (its Latin aliases, the English of its title).
        self._english: dict[str, set[str]] = {}
        for node in taxonomy.nodes():
            for text in (node.title, node.short_title, *node.aliases, *node.weak_aliases):
                for part in re.findall(r"[A-Za-z][A-Za-z \-]+[A-Za-z]", text):
                    self._english.setdefault(node.id, set()).update(_english_words(part))

    def _glossed_otherwise(self, alias: _Alias, title: str) -> bool:
        """"分块（Tiling）": the writer's English for the word is none of the node's English names
        (分块 is Chunking on the retrieval page): the same Chinese word for another thing. A name
        of four characters or more (损失函数, 向量数据库) is too specific to be one; its gloss is a
        translation."""
        known = self._english.get(alias.node)
        if not known or len(_HAN_CHARS.findall(alias.text)) >= 4:
            return False
        m = re.search(re.escape(alias.text) + r"\s*[（(]\s*([A-Za-z][A-Za-z \-]{2,40}?)\s*[）)]", title)
        # A gloss sharing a word with an English name is the same thing said another way
        # (Speculative Sampling, AutoRegressive LM).
        return m is not None and not (_english_words(m.group(1)) & known)

    def latin_names_in(self, text: str) -> set[str]:
        """Nodes a text names by a Latin alias of three letters or more, as a whole word."""
        written = unicodedata.normalize("NFKC", visible(text))
        lowered = written.lower()
        found = set()
        for a in self._aliases:
            if a.pattern is None or a.weak or len(a.key) < 3 or a.node in found:
                continue
            if any(not _plain_word_compound(a.text, written, m) for m in a.pattern.finditer(lowered)):
                found.add(a.node)
        return found

    def is_meta(self, title: str) -> bool:
        """A heading about the book or course itself ("阅读建议", "1.4 课程架构"), also one
        that holds a generic word ("写作背景": 背景); a generic word alone (前言: an article's
        opening) is not."""
        key = heading_key(title)
        subject = self.strip_generic(key)
        return subject in self._meta or (key in self._meta and bool(subject))

    def strip_generic(self, key: str) -> str:
        for word in self._generic:
            key = key.replace(word, "")
        return key

    def matches(self, title: str, english: str = "", abbr: str = "") -> list[Clue]:
        k = (title, english, abbr)
        if k not in self._cache:
            self._cache[k] = self._matches(title, english, abbr)
        return self._cache[k]

    def _matches(self, title: str, english: str, abbr: str) -> list[Clue]:
        title = visible(title)  # what a reader sees: "text\_generation" is text_generation
        key = heading_key(title)
        if not key:
            return []
        subject = self.strip_generic(key)
        # "LLM 的特点": a broad word about the general subject names its node as surely as a
        # specific one ("特点" alone, in a note about LoRA, is about LoRA).
        # Generic words stay when they are part of the name ("LLM 的应用与影响").
        general = {re.sub(r"^llm(?:的|之)?", "", k) for k in (subject, key) if k.startswith("llm")} - {""}
        # Latin aliases are looked for in the whole title (brackets too: "自注意力（Self-Attention）").
        written = unicodedata.normalize("NFKC", f"{title} {english} {abbr}")
        latin_text = written.lower()
        # A bracketed Chinese gloss names the subject as an English name does: "第一阶段：
        # 自我学习（预训练）" is about 预训练.
        # Only in the heading's first sentence: a gloss on a word of a later one ("…的原理是什么？
        # 为什么调高 Temperature 模型就更具创造力（胡说八道）？") is an aside, not what it is about.
        first_sentence = _SENTENCE_END.split(_PARENS.sub(lambda m: "\0" * len(m.group(0)), title), maxsplit=1)[0]
        glosses = {heading_key(m.group(0)[1:-1]) for m in _PARENS.finditer(title[: len(first_sentence)])
                   if re.search(r"[\u4e00-\u9fff]", m.group(0))}
        found: list[tuple[_Alias, float, int, int]] = []
        for alias in self._aliases:
            if alias.pattern is not None:
                m = alias.pattern.search(latin_text)
                if not m or _plain_word_compound(alias.text, written, m):
                    continue
                where = key.find(alias.key)
                span = (where, where + len(alias.key)) if where >= 0 else (-1, -1)
            else:
                where = key.find(alias.key)
                if where < 0 and alias.key not in glosses:
                    continue
                if self._glossed_otherwise(alias, title):
                    continue
                span = (where, where + len(alias.key)) if where >= 0 else (-1, -1)
            exact = not alias.variant and (alias.key == subject or alias.key == key or alias.key in glosses)
            # The head of a Chinese noun phrase is its last word, once the words that only say
            # what kind of text follows are gone ("PPO 原理与源码解读" is about PPO).
            head = subject.endswith(alias.key) or (bool(subject) and subject.rstrip("与和及的").endswith(alias.key))
            found.append((alias, 0.0 if not exact else EXACT, *span, head))
        shadowed = _shadowed(found)
        # Where each node is named in the key (a bracketed gloss is not in it: "RM（奖励模型）"
        # stands where RM does).
        placed: dict[str, tuple[int, int]] = {}
        for alias, _exact, start, end, _head in found:
            if start >= 0 and (alias.key, start) not in shadowed:
                placed.setdefault(alias.node, (start, end))
        best: dict[str, Clue] = {}
        for alias, exact_score, start, _end, head in found:
            if (alias.key, start) in shadowed:
                continue
            if (exact_score and not alias.weak) or alias.key in general:
                score, exact = EXACT, True
            elif alias.weak:
                # A broad word (特点, 数据) names the node only when nothing else is named.
                rest = self.strip_generic(subject.replace(alias.key, ""))
                if alias.node in _ASPECTS and _NAMED.search(rest.replace("llm", "")) and \
                        not any(a.node != alias.node for a, *_ in found):
                    # "IR 定义", "RNN 的缺点": an aspect of another subject, one the taxonomy
                    # does not know, not of LLMs; the text decides.
                    continue
                score, exact = (3.0, exact_score > 0) if not rest else (1.0, False)
            else:
                # Longer aliases are stronger evidence, and in a Chinese noun phrase the last
                # word is the head ("训练数据中的偏见" is about 偏见).
                score = 5.0 + min(len(alias.key), 6) / 3 + (1.5 if head else 0.0)
                exact = False
            why = f"heading names {self.taxonomy.node(alias.node).short_title} («{alias.text}»)"
            if alias.node not in best or score > best[alias.node].score:
                best[alias.node] = Clue(alias.node, score, why, "heading", exact, alias.text, head,
                                        placed.get(alias.node, (-1, -1)))
        return sorted(best.values(), key=lambda e: (-e.score, e.node))


def _english_words(name: str) -> set[str]:
    """The words of an English name (lower case, a plural's s dropped) and, for a name of
    several words, its initials: "Language Models" → language, model, lm."""
    words = [re.sub(r"(?<=[a-z]{3})s$", "", w) for w in re.findall(r"[a-z]+", name.lower())]
    return set(words) | ({"".join(w[0] for w in words)} if len(words) > 1 else set())


def _shadowed(found: list[tuple[_Alias, float, int, int, bool]]) -> set[tuple[str, int]]:
    """Alias matches that lie inside a longer alias match: longest match wins, so in
    "上下文学习实战" the heading names 上下文学习, not 上下文; in "数据并行" it names 数据并行, not 数据."""
    spans = [(a.key, s, e) for a, _, s, e, _ in found if s >= 0]
    out: set[tuple[str, int]] = set()
    for key, s, e in spans:
        if any(s2 <= s and e <= e2 and (e2 - s2) > (e - s) for _, s2, e2 in spans):
            out.add((key, s))
    return out


class TextScorer:
    """Cosine of a text's TF-IDF vector with each node's vocabulary (only shared words count)."""

    def __init__(self, taxonomy: Taxonomy, segmenter: Segmenter) -> None:
        self.segmenter = segmenter
        bags = {n.id: Counter(self.words(_node_text(n))) for n in taxonomy.nodes()}
        df: Counter[str] = Counter()
        for bag in bags.values():
            df.update(bag.keys())
        self._idf = {w: math.log((1 + len(bags)) / (1 + c)) + 1 for w, c in df.items()}
        self._nodes_of_word: dict[str, list[tuple[str, float]]] = {}
        for nid, bag in bags.items():
            for w, weight in self._weigh(bag).items():
                self._nodes_of_word.setdefault(w, []).append((nid, weight))

    def _weigh(self, bag: Counter[str]) -> dict[str, float]:
        vec = {w: (1 + math.log(c)) * self._idf.get(w, 0.0) for w, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {w: v / norm for w, v in vec.items()}

    def words(self, text: str) -> list[str]:
        """Content words of two characters or more (a single 加 or 的 is no evidence)."""
        return [w for w in self.segmenter.tokens(text) if len(w) >= 2]

    def scores(self, text: str) -> dict[str, float]:
        return self.scores_and_words(text)[0]

    def scores_and_words(self, text: str) -> tuple[dict[str, float], Counter[str]]:
        """The cosines, and how many distinct words of the text each node shares."""
        out: dict[str, float] = {}
        shared: Counter[str] = Counter()
        for w, v in self._weigh(Counter(self.words(text))).items():
            for nid, weight in self._nodes_of_word.get(w, ()):
                out[nid] = out.get(nid, 0.0) + v * weight
                shared[nid] += 1
        return out, shared


def _top(scores: dict[str, float], n: int = 8) -> tuple[tuple[str, float], ...]:
    return tuple(sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:n])


def _node_text(node: Node) -> str:
    return " ".join([node.short_title, node.description, *node.aliases, *node.weak_aliases, *node.keywords])


# --------------------------------------------------------------------------- evidence of a unit


@dataclass(frozen=True)
class UnitEvidence:
    """What one section says about itself: its heading's and its text's evidence."""

    heading: tuple[Clue, ...]  # the own heading's matches, strongest first
    text: tuple[tuple[str, float], ...]  # (node, cosine), strongest first, the top few
    meta: bool = False  # the heading is about the notes themselves (前言, 阅读建议)
    one_word: frozenset[str] = frozenset()  # nodes of ``text`` that share a single word with it
    few_words: frozenset[str] = frozenset()  # nodes of ``text`` that share fewer than FEW_WORDS words


class Classifier:
    """Reads each section's own evidence (in worker processes: the heavy part) and places the
    sections of a note top down (in the parent: it needs the whole note)."""

    def __init__(self, taxonomy: Taxonomy, segmenter: Segmenter, not_models: Iterable[str] = ()) -> None:
        self.taxonomy = taxonomy
        # Names the vocabulary hints say are no model (terms.yaml): "Assistant" over a turn of a
        # chat transcript names a speaker, whatever its text says was released.
        self.not_models = frozenset(n.lower() for n in not_models)
        self.headings = HeadingMatcher(taxonomy)
        self.text = TextScorer(taxonomy, segmenter)
        self.order = {n.id: i for i, n in enumerate(taxonomy.nodes())}  # site order breaks ties

    def evidence(self, unit: Unit) -> UnitEvidence:
        heading = unit.section.heading
        found: list[Clue] = []
        if heading is not None:
            # What a heading says its subject does without, or what is not one ("DPO 为什么不需要奖励
            # 模型", "非 Transformer 路线"), is none of its subjects.
            key = heading_key(heading.title)
            found = [c for c in self.headings.matches(heading.title, heading.english, heading.abbr)
                     if not (c.span[0] > 0 and _WITHOUT.search(key[: c.span[0]]))]
            model = self._model_evidence(unit)
            # "GPT 系列模型的发展": its 系列模型 names the catalog as the family rule does, but only
            # the rule says which family the text lists, whatever subject the section follows.
            if model is not None and not any(e.score >= STRONG and e.node != CATALOG_TOPIC for e in found):
                found.insert(0, model)
        meta = heading is not None and self.headings.is_meta(heading.title)
        scores, shared = self.text.scores_and_words(content_text(unit))
        top = _top(scores)
        return UnitEvidence(tuple(found), top, meta, frozenset(n for n, _ in top if shared[n] == 1),
                            frozenset(n for n, _ in top if shared[n] < FEW_WORDS))

    def _model_evidence(self, unit: Unit) -> Clue | None:
        """A heading that names a model the text describes ("LLaMA 2" over who released it)."""
        if not self.taxonomy.has_catalog or not unit.blocks:
            return None
        title = unit.section.title.strip()
        if visible(title).strip().lower() in self.not_models:
            return None
        opening = visible(unit.blocks[0].text)[:160]
        text = " ".join(visible(b.text) for b in unit.blocks)
        family = _FAMILY.match(visible(title).strip())
        if family and re.search(rf"(?<![A-Za-z]){re.escape(family.group('name'))}", text, re.IGNORECASE):
            # "Qwen 系列" over "Qwen2 Technical Report", "Qwen2.5 …": a family of models, in the
            # catalog (a family the taxonomy knows, "LoRA 系列", is placed by that node's
            # stronger clue); not when its text never names it ("Orca-3 系列" over "语料扩充到了…").
            return Clue(CATALOG_TOPIC, 6.0, f"heading «{title}» names a family of models its text lists", FAMILY)
        reports = self._reported_models(unit)
        if reports:
            return Clue(CATALOG_TOPIC, 6.0, f"its list items are reports on models ({', '.join(reports[:3])} …)",
                        REPORTS)
        if _NAME_LIKE.search(title) and (_RELEASE_WORDS.search(text) or _released(title, text)):
            return Clue(CATALOG_TOPIC, 6.0, f"heading «{title}» names a model that the text describes",
                            "model")
        # "Meta 发布 Llama 3", "智谱开源 GLM-4-9B": a news headline of a versioned name's release,
        # which the text reports too.
        headline = _RELEASE_HEADLINE.search(visible(title))
        if headline and VERSIONED_NAME.fullmatch(headline.group("name")) and \
                headline.group("name").lower() not in self.not_models and _released(headline.group("name"), text):
            return Clue(CATALOG_TOPIC, 6.0, f"heading «{title}» reports the release of a model, as its text does",
                        "model")
        intro = _MODEL_INTRO.search(opening)
        if intro and _OTHER_THING.search(intro.group(0)):
            intro = None  # "FlexFlow Serve 是一个开源编译器和分布式系统，用于…LLM 服务": no model
        if intro and intro.group(2) == "为" and re.search(r"以(?![下上前后来])", opening[: intro.start(2)]):
            intro = None  # "对以英文为主训练的模型，…": 以…为 takes one thing as another, no model's intro
        if intro or (ANON_RELEASE.search(opening) and VERSIONED_NAME.search(title)):
            return Clue(CATALOG_TOPIC, 6.0, "text opens by introducing a model (who released it, when)",
                            "model")
        return None

    def _reported_models(self, unit: Unit) -> list[str]:
        """The models a section's list items are reports on, when at least MIN_REPORTS of them
        and half its items are; a name the taxonomy knows (a framework's paper, "Megatron-LM:
        Training …") or the hints say is no model does not count."""
        items = [b.text for b in unit.blocks if b.kind is BlockKind.ITEM]
        named = [n for n in map(reported_model, items) if n and n.lower() not in self.not_models
                 and not self._names_a_node(n)]
        return named if len(named) >= MIN_REPORTS and 2 * len(named) >= len(items) else []

    def _names_a_node(self, name: str) -> bool:
        """Whether the taxonomy knows a name as one of its nodes' (FlashAttention-2, Megatron-LM):
        a technique's or a tool's, not a model's."""
        return any(e.score >= STRONG for e in self.headings.matches(name))

    def _parts_named(self, clues: Sequence[Clue], subject: str) -> list[Clue]:
        """The clues of words that head a heading and name a part of ``subject`` ("开源数据集" in a
        list on pretraining: its 数据)."""
        return [e for e in clues if e.head and e.node != subject and self.taxonomy.is_within(e.node, subject)]

    # -- a note, top down ------------------------------------------------------------------

    def note_subject(self, doc: NoteDoc, units: list[Unit]) -> Clue | None:
        """The node a note is about: what its title names (a node that can be a subject), or
        the catalog when the title names a model that the note opens by introducing."""
        titles = note_titles(doc)
        named = titled_model(titles[0]) if self.taxonomy.has_catalog and doc.root.heading is not None else ""
        if named and not self._names_a_node(named):
            # "The Llama 3 Herd of Models", "GLM-4", "DeepSeek-R1: Incentivizing Reasoning…": a
            # report on one model, whatever its subtitle names (a name the taxonomy knows, such
            # as "FlashAttention-2", is a technique's).
            return Clue(CATALOG_TOPIC, STRONG, f"note title «{titles[0]}» is the name of the model {named}", "note")
        for n, title in enumerate(titles):
            strong = self._title_names(title)
            shared = self._common_subject(strong, title)
            if shared is not None:
                # "RLHF / DPO / PPO 对比": a note about what they have in common
                return Clue(shared, STRONG, f"note title «{title}» names {self.taxonomy.node(shared).short_title}'s "
                            "subjects side by side", "note")
            if self._lists_apart(strong, title):
                # "面试八股：LoRA、DPO 与 KV Cache": subjects of different branches side by side,
                # none of them the note's (nor of the file name that repeats them); each section
                # says its own.
                break
            if strong:
                # A file's path names its folders before the file ("transformer_Sinusoidal位置编码
                # 追根溯源"): the last subject it names is the note's own.
                best = max(strong, key=lambda e: e.span[1]) if n == len(titles) - 1 else strong[0]
                return replace(best, why=f"note title «{title}» {best.why.removeprefix('heading ')}", rule="note")
        if self.taxonomy.has_catalog and titles:
            name = _introduced_model(titles[0], units)
            if name:
                return Clue(CATALOG_TOPIC, STRONG, f"note title «{titles[0]}» names the model {name} that the "
                            "note introduces", "note")
        # "2010-2014：深度学习的兴起", "2015-2019：…", "2020-2024：…": a note told as periods is a history.
        headed = [s.title for s in doc.root.children if s.heading is not None]
        periods = [t for t in headed if names_period(t)]
        if len(periods) >= 2 and 2 * len(periods) >= len(headed):
            return Clue(HISTORY_TOPIC, STRONG, f"its sections are periods («{periods[0]}», «{periods[1]}» …)", "note")
        return None

    def _title_names(self, title: str) -> list[Clue]:
        """The subjects a note title names strongly enough to be what the note is about."""
        return self._most_specific([e for e in self.headings.matches(title) if e.score >= STRONG
                                    and self.taxonomy.node(e.node).subject], title)

    def title_leaning(self, doc: NoteDoc) -> str | None:
        """The node a note's title names only with a broad word ("评估与基准测试": 评估), where no
        name is strong enough to make it the note's subject: what the note is about when nothing
        else places a section."""
        for title in note_titles(doc):
            named = [e for e in self.headings.matches(title) if self.taxonomy.node(e.node).subject]
            if named:
                return max(named, key=lambda e: (e.score, -self.order[e.node])).node
        return None

    def place_note(self, doc: NoteDoc, units: list[Unit], evidence: list[UnitEvidence]) -> list[Placement]:
        by_section = {id(u.section): (u, e) for u, e in zip(units, evidence, strict=True)}
        subject = self.note_subject(doc, units)
        root_choice = (subject.node, subject.why, "note") if subject else None
        placements: list[Placement] = []

        def visit(section: Section, inherited: tuple[str, str, str] | None) -> None:
            own = by_section.get(id(section))
            choice = inherited
            if own is not None:
                unit, ev = own
                placement = self._decide(unit, ev, inherited)
                placements.append(placement)
                # A note's preamble is no parent of its sections: they inherit the title's subject.
                if placement.node != OTHER_TOPIC and section is not doc.root:
                    choice = (placement.node, placement.reason, placement.rule)
            elif section.heading is not None and section is not doc.root:
                # A heading with no text of its own still says what its children are about.
                named = self._heading_subject(section, choice)
                # A broader word ("分布式并行技术组合" in a note on hybrid parallelism) does not
                # widen the subject the section already has.
                if named and not (choice is not None and self._broader(named.node, choice[0])):
                    # "Decoder-Only 为什么赢了": what follows are the reasons, each about the subject.
                    rule = REASONS if _ASKS_WHY.search(section.title) else "inherit"
                    choice = (named.node, f"parent heading «{section.title}»: {named.why}", rule)
            for child in section.children:
                visit(child, choice)

        visit(doc.root, root_choice)
        order = {id(u.section): i for i, u in enumerate(units)}
        placements.sort(key=lambda p: order[id(p.unit.section)])
        if subject is not None:
            placements = self._between_subjects(placements, self._title_subjects(doc), by_section)
        placements = self._aspect_words_follow_their_part(self._narrow(placements, doc.root), doc.root, by_section)
        return _preamble_leads_in(self._summaries_follow_what_they_sum_up(placements, doc.root))

    def _summaries_follow_what_they_sum_up(self, placements: list[Placement], root: Section) -> list[Placement]:
        """A summary sums up what the other sections under its parent are about: a note on PEFT
        methods filed under SFT ends with a "总结" of PEFT. Where most of them lie on one node (and
        below it), other than the summary's subject or a broader one, it goes there. (Most of the
        sections, not half of the text: a summary of 能力, 应用 and 风险 is no more about the
        longest of them.)"""
        out = []
        for p in placements:
            if p.rule == "inherit" and _SUMMARY.match(heading_key(p.unit.title)):
                parent = p.unit.path[-1] if p.unit.path else root
                others = [q for q in placements if q is not p and not q.unit.is_preamble
                          and (parent is root or any(s is parent for s in q.unit.path))]
                main = _main_node(self.taxonomy, others, SUMMED_UP, by_sections=True)
                if main is not None and not self.taxonomy.is_within(p.node, main):
                    p = replace(p, node=main, reason=f"{p.reason}; what it sums up is mostly about "
                                f"{self.taxonomy.node(main).short_title}")
            out.append(p)
        return out

    def _aspect_words_follow_their_part(self, placements: list[Placement], root: Section,
                                        by_section: dict[int, tuple[Unit, UnitEvidence]]) -> list[Placement]:
        """A heading that is only a broad aspect's weak word (缺点, 优势, 特点) says what kind of
        text follows about whatever its part of the note is about ("采样解码 › 优缺点分析 › 缺点",
        the drawbacks of sampling): where the part's other sections show one subject by their own
        headings or text, the section goes there, not to 特点."""
        taxonomy = self.taxonomy
        part_of = [id(_part_of(p.unit, root)) for p in placements]
        out = []
        for i, p in enumerate(placements):
            if p.rule == "heading" and p.node in _ASPECTS and part_of[i] != id(p.unit.section):
                _unit, ev = by_section[id(p.unit.section)]
                word = next((e for e in ev.heading if e.node == p.node), None)
                if word is not None and word.exact and all(e.score < STRONG for e in ev.heading):
                    others = [q for j, q in enumerate(placements)
                              if j != i and part_of[j] == part_of[i] and q.rule not in ("inherit", "note-main")]
                    main = _main_node(taxonomy, others)
                    if main is not None and not taxonomy.is_within(main, p.node):
                        p = replace(p, node=main, rule="inherit",
                                    reason=f"heading «{p.unit.title}» only says what kind of text follows; its part "
                                           f"of the note is about {taxonomy.node(main).short_title}")
            out.append(p)
        return out

    def _title_subjects(self, doc: NoteDoc) -> list[str]:
        """The subjects a note's title names side by side that share no subject ("模型评估与幻觉
        治理"), if it names several."""
        for title in note_titles(doc):
            strong = self._title_names(title)
            if strong:
                nodes = list(dict.fromkeys(e.node for e in strong))
                together = len(nodes) >= 2 and _named_together(strong, title) and not self._common_path(nodes)
                return nodes if together else []
        return []

    def _between_subjects(self, placements: list[Placement], subjects: list[str],
                          by_section: dict[int, tuple[Unit, UnitEvidence]]) -> list[Placement]:
        """In a note about two subjects, a section that only follows the note's title goes to the
        one its text is about ("为什么模型不愿说「不知道」？" in "模型评估与幻觉治理": 幻觉)."""
        if len(subjects) < 2:
            return placements
        out = []
        for p in placements:
            if p.rule == "inherit" and p.node in subjects and p.reason.startswith("follows its note's subject"):
                _unit, ev = by_section[id(p.unit.section)]
                support = {n: max((c for m, c in ev.text if self.taxonomy.is_within(m, n)), default=0.0)
                           for n in subjects}
                best = max(subjects, key=lambda n: (support[n], -self.order[n]))
                if best != p.node and support[best] >= NO_SUPPORT and support[best] > 2 * support[p.node]:
                    p = replace(p, node=best, reason=f"follows its note's subjects ({', '.join(subjects)}): "
                                f"its text is about {self.taxonomy.node(best).short_title} ({support[best]:.2f})")
            out.append(p)
        return out

    def _heading_subject(self, section: Section, inherited: tuple[str, str, str] | None) -> Clue | None:
        """What a heading with no text of its own names for its children, read as a heading over
        text is ("deepspeed 加速 LoRA 微调" in a note on DeepSpeed): the most specific names,
        those within the inherited subject first, the strongest of them."""
        heading = section.heading
        assert heading is not None
        found = self.headings.matches(heading.title, heading.english, heading.abbr)
        own = self._most_specific([e for e in found if e.score >= STRONG], heading.title)
        if not own and self.taxonomy.has_catalog and _FAMILY.match(visible(heading.title).strip()):
            # "LLaMA 系列" over its versions and techniques: a family of models, in the catalog.
            return Clue(CATALOG_TOPIC, STRONG, f"heading «{heading.title}» names a family of models", FAMILY)
        named = titled_model(heading.title) if not own and self.taxonomy.has_catalog else ""
        if named and _PARAMETER_SIZE.search(named) and not self._names_a_node(named):
            # "# Mistral 7B" over 时间, 参数量, 模型结构: one model's record, in the catalog. Its size
            # tells a model from a method's or a format's name (BM25, NF4).
            return Clue(CATALOG_TOPIC, STRONG, f"heading «{heading.title}» is the name of the model {named}", "model")
        if inherited is not None:
            own = [e for e in own if self.taxonomy.is_within(e.node, inherited[0])] or own
            if not own:
                # A broad word that heads the heading and names a part of the inherited subject
                # ("开源数据集" in a list on pretraining: its 数据) narrows it for the sections below.
                own = self._parts_named(found, inherited[0])
        return max(own, key=lambda e: (e.score, -self.order[e.node]), default=None)

    def _narrow(self, placements: list[Placement], root: Section) -> list[Placement]:
        """Sections that only inherited a broad subject ("LLM 推理常见参数" → 推理与部署) go where
        the note's other sections show it is really about (解码策略), when that lies below it."""
        taxonomy = self.taxonomy
        main = _main_node(taxonomy, placements)
        if main is None:
            return placements
        part_of = [id(_part_of(p.unit, root)) for p in placements]
        parts: dict[int, list[Placement]] = {}
        for key, p in zip(part_of, placements, strict=True):
            parts.setdefault(key, []).append(p)
        # What the sections of each part of the note (a top-level section and what lies below it)
        # are placed on by their own evidence (their headings or text, not what they inherited).
        part_main = {key: _main_node(taxonomy, [p for p in ps if p.rule != "inherit"]) for key, ps in parts.items()}
        out = []
        for key, p in zip(part_of, placements, strict=True):
            here = part_main[key]
            # "检索方法" under "基于检索的模型" in a chapter on new architectures that is mostly
            # about MoE: its part's own sections are about something else; it stays.
            elsewhere = here is not None and not taxonomy.is_within(here, main)
            if p.rule == "inherit" and p.node != main and taxonomy.is_within(main, p.node) and not elsewhere:
                p = replace(p, node=main, rule="note-main",
                            reason=f"its note's sections are mostly about {taxonomy.node(main).short_title}, "
                                   f"below the subject it inherited ({p.node})")
            out.append(p)
        return out

    def _decide(self, unit: Unit, ev: UnitEvidence, inherited: tuple[str, str, str] | None) -> Placement:
        if ev.meta:
            return Placement(unit, OTHER_TOPIC, False, f"heading «{unit.title}» is about the notes themselves", "meta")
        text = dict(ev.text)
        facet = False  # the heading only names a facet of the subject it follows
        strong = [e for e in ev.heading if e.score >= STRONG]
        own = self._most_specific(strong, unit.title)
        shared = self._shared(own, inherited, unit.title, {e.node for e in strong})
        if shared is not None:
            return Placement(unit, shared, False, "its heading names several subjects side by side "
                             f"(«{unit.title}»): what they share", "heading")
        heading = ev.heading
        if self._lists_apart(own, unit.title):
            # "面试八股：LoRA、DPO 与 KV Cache": subjects of different branches side by side, none
            # of them the heading's; the text may still say which one the section is about.
            own, heading = [], ()
        if inherited is not None and inherited[2] == REASONS and _LABELLED.match(visible(unit.title)) \
                and not any(e.exact for e in own):
            # "1. 训练效率：Next Token Prediction 的暴力美学" under "Decoder-Only 为什么赢了": one reason
            # why the subject wins, whatever it names or its text leans to; only a heading that is
            # another node's name itself leaves.
            return Placement(unit, inherited[0], False, f"one of the reasons its parent gives: {inherited[1]}",
                             "inherit")
        if own and inherited is not None and names_period(unit.title):
            # "6. 超大规模与 Few-shot 能力（2020–2023）" in a history: an era of the subject it
            # follows, named by what marked it; only what lies within that subject takes it.
            within = [e for e in own if self.taxonomy.is_within(e.node, inherited[0])]
            if not within:
                refined = self._refine(inherited[0], text)  # a part of the subject the text is about
                if refined is not None:
                    return Placement(unit, refined[0], False, refined[1], "text")
                return Placement(unit, inherited[0], False, f"a period of the subject it follows: {inherited[1]}",
                                 "inherit")
            own = within
        # A subject the parent section took from its text alone is no heading's word: the
        # section's own heading outweighs it ("ChatYuan" under "自主模型篇").
        if own and inherited is not None and inherited[2] != "text":
            subject = inherited[0]
            entity = self._entity_of_aspect(own, subject, unit.title)
            if entity is not None:
                return Placement(unit, entity.node, False, f"own heading: {entity.why}, an aspect of which is the "
                                 "subject it follows", "heading")
            # What the heading names within the inherited subject comes first ("DPO 目标函数" in a
            # note about DPO); a node elsewhere needs the text's support, or the section stays.
            # A question names what it asks about ("说说 BatchNorm 的优缺点" under "架构面试题"):
            # taken at its word like a heading the text supports.
            asking = asks(unit.title)
            inside = [e for e in own if self.taxonomy.is_within(e.node, subject)]
            if not inside and not asking and self._only_facets(own, subject):
                # "模型架构" under "Prompt Tuning": that method's architecture; the text may still
                # show it is about something else (below).
                own = []
                facet = True
            ends = next((e for e in ev.heading if e.head and e.node == subject), None)
            if not inside and ends is not None and "的" not in unit.title:
                # "数学能力评估" under 评测: the word that ends the heading, even a broad one (评估),
                # names the subject it follows; what stands before it only says what is measured.
                return Placement(unit, subject, False, f"own heading ends with {ends.why}, the subject it "
                                 "follows", "heading")
            # A family of models ("Qwen 系列") or a list of reports on models is the catalog's,
            # whatever subject the note follows.
            own = inside or [e for e in own if self.taxonomy.is_within(subject, e.node)
                             or self._supported(e, subject, text) or asking or e.rule in (FAMILY, REPORTS)]
        if own:
            # Subjects named side by side that share no node ("（三）推理与应用", "大模型安全与对齐"): the
            # first is what the heading is mainly about, unless the text leans to another.
            first = self._first_of_pair(own, unit.title)
            best = max(own, key=lambda e: (e.score + 3 * text.get(e.node, 0.0) + (_FIRST_NAMED if e is first else 0),
                                           -self.order[e.node]))
            return Placement(unit, best.node, best.exact and best.rule == "heading", f"own heading: {best.why}",
                             best.rule)
        if inherited is not None and inherited[2] != "text" and not facet and \
                self._only_aspect_word(ev.heading, inherited[0]):
            # "优势" under "RAG 的工作原理": RAG's advantages, whatever broad aspect of LLMs the
            # word also names; only the text may show it is about something else. (Not under a
            # subject its parent took from its text alone: "能力" there may be LLMs' abilities.)
            facet = True
        if inherited is not None:
            node, why, inherited_rule = inherited
            narrower = self._parts_named(ev.heading, node)
            if narrower:
                # A broad word that heads the heading and names a part of the subject it follows
                # ("开源数据集" in a list on pretraining: its 数据) narrows it; one that only qualifies
                # another word ("解码阶段" of inference: a phase, not decoding strategies) does not.
                best = max(narrower, key=lambda e: (e.score, -self.order[e.node]))
                return Placement(unit, best.node, False, f"own heading: {best.why}, a part of the subject it "
                                 "follows", "heading")
            # A summary ("总结", "2.3 小结") sums up all of what it follows: the part its text
            # names most is no more its subject than the others (unless that subject came from
            # the parent's text alone).
            summary = inherited_rule != "text" and _SUMMARY.match(heading_key(unit.title)) is not None
            # A year of a chronicle ("## 2017" in a 大事记) is a part of the history it follows,
            # whatever one event of that year is about; only a part of that subject takes it.
            year = inherited_rule != "text" and _A_YEAR.fullmatch(visible(unit.title)) is not None
            if not summary:
                refined = self._refine(node, text)
                if refined is not None:
                    return Placement(unit, refined[0], False, refined[1], "text")
                # A facet word names no other subject; only the text can show one.
                outside = None if year else \
                    self._clearly_elsewhere(node, text, replace(ev, heading=()) if facet else ev)
                if outside is not None:
                    return Placement(unit, outside[0], False, outside[1], "text")
            where = "its note's subject" if _is_note_reason(why) else "its parent section's subject"
            if summary:
                where = f"{where}, which it sums up"
            if facet:
                where = f"{where}, whose facet its heading «{unit.title}» names"
            return Placement(unit, node, False, f"follows {where}: {why}", "inherit")
        if heading_key(unit.title) == "llm" and unit.section.level > 1 and all(cos < CLEAR for cos in text.values()):
            # "大语言模型（Large Language Model，LLM）" over what it is (an entry of a glossary): a
            # heading inside a note that names only the general subject says what LLMs are, unless
            # its text is clearly about one thing (a note's title names what the whole note is about).
            return Placement(unit, DEFINITION_TOPIC, False, f"heading «{unit.title}» names only LLMs themselves",
                             "general")
        candidates: dict[str, tuple[float, str]] = {}
        for e in heading:  # weak heading words (特点, 数据) when nothing else is named, if the text agrees
            weight = 1.0 if text.get(e.node, 0.0) >= NO_SUPPORT else 0.2
            candidates[e.node] = (e.score * weight, f"own heading: {e.why}")
        for node, cos in text.items():
            score = candidates.get(node, (0.0, ""))[0] + 3 * cos
            candidates[node] = (score, candidates.get(node, (0, ""))[1] or f"text matches its vocabulary ({cos:.2f})")
        node = max(candidates, key=lambda n: (candidates[n][0], -self.order[n])) if candidates else None
        if node is None or candidates[node][0] < MIN_SCORE:
            return self._named_in_text(unit) or Placement(unit, OTHER_TOPIC, False, _UNPLACED, "unplaced")
        rule = "heading" if any(e.node == node for e in ev.heading) else "text"
        return Placement(unit, node, False, candidates[node][1], rule)

    def _entity_of_aspect(self, own: list[Clue], subject: str, title: str) -> Clue | None:
        """A heading "X 的 Y" whose head Y names the subject it follows and whose modifier X
        names one other subject ("奖励模型的训练数据格式" in a note about data formats) is
        about X: the subject is the aspect the note goes through, X what this section adds.
        Not the reverse ("DPO 的目标函数" in a note about DPO), not a place ("训练数据里的刻板
        印象" is about bias), not LLMs in general ("LLM 的数据格式"), not a list."""
        key = heading_key(title)
        cut = key.rfind("的")
        if cut <= 0 or _LIST_WORDS.search(visible(title)):
            return None
        if not any(e.node == subject and e.head and e.span[0] > cut for e in own):
            return None
        modifiers = [e for e in own if not e.head and e.span[0] >= 0 and e.span[1] <= cut]
        if len(modifiers) != 1:
            return None
        entity = modifiers[0]
        taxonomy = self.taxonomy
        if (entity.span[1] != cut or key.startswith("llm") or taxonomy.is_within(entity.node, subject)
                or taxonomy.is_within(subject, entity.node)):
            return None
        return entity

    def _named_in_text(self, unit: Unit) -> Placement | None:
        """A short section that nothing else places, whose text names one node by an English
        name or abbreviation, as a whole word ("ALiBi 给注意力分数加上线性偏置")."""
        if unit.is_preamble:
            return None  # a note's opening text leads into its first section (_preamble_leads_in)
        # A name in an aside ("（后面理解 LoRA 的低秩分解要用）") is not what the text is about; one
        # in a gloss ("给注意力分数加上线性偏置（ALiBi）") is.
        nodes = self.headings.latin_names_in(_ASIDE.sub("", content_text(unit)))
        if len(nodes) != 1:
            return None
        node = next(iter(nodes))
        return Placement(unit, node, False, f"its text names {self.taxonomy.node(node).short_title} "
                         "by its English name", "text-name")

    def _broader(self, node: str, than: str) -> bool:
        return node != than and self.taxonomy.is_within(than, node)

    def _most_specific(self, own: list[Clue], title: str) -> list[Clue]:
        """A heading naming a subject and something inside it ("LLM 推理框架", "Transformer 的
        注意力") is about the inner one: clues with a named descendant give way to it; not when
        the heading puts them side by side ("Prompt Tuning & Delta Tuning" is about the
        broader Delta Tuning). What the heading names as a means ("通过强化学习进行偏好对齐") or as
        what came before ("微调后的模型为什么会重复输出") is no subject beside another one."""
        key = heading_key(title)
        means = [e for e in own if (e.span[0] > 0 and (_MEANS.search(key[: e.span[0]]) or (
            _USING.search(key[: e.span[0]]) and _TO_DO.search(key[e.span[1] :])))) or _AFTER.match(key[e.span[1] :])]
        if len(means) < len(own):
            own = [e for e in own if e not in means]
        # A heading of several questions asks first what it is about ("做 DPO 的时候，chosen 和
        # rejected 的 prompt 为什么必须一致？如果给了不同的 system prompt 会怎样？"): DPO. (A
        # statement before the question only sets the scene: "在 Agent 执行 Tools 阶段…。你有哪些…？")
        first = len(heading_key(re.split(r"[？?]", title, maxsplit=1)[0]))
        if 0 < first < len(key) and any(0 <= e.span[1] <= first for e in own):
            own = [e for e in own if e.span[0] < first]
        # What something acts on ("专家的数量对预训练有何影响"): not what the heading is about.
        own = [e for e in own if not (e.span[0] > 0 and _ACTS_ON.search(key[: e.span[0]])
                                      and _EFFECT.match(key[e.span[1] :]))]
        out = []
        for e in own:
            gives_way = False
            for other in own:
                if self._broader(e.node, other.node):  # e holds other: e gives way unless joined
                    gives_way = gives_way or not _side_by_side(title, e.surface, other.surface)
                elif self._broader(other.node, e.node):  # other holds e: e gives way if joined
                    gives_way = gives_way or _side_by_side(title, e.surface, other.surface)
            if not gives_way:
                out.append(e)
        return out

    def _common_subject(self, clues: list[Clue], title: str) -> str | None:
        """The node a note title's subjects named side by side have in common ("RLHF / DPO /
        PPO 对比" → 对齐), a top-level one too: the title chose them together."""
        taxonomy = self.taxonomy
        nodes = list(dict.fromkeys(e.node for e in clues))
        if len(nodes) < 2 or not _named_together(clues, title):
            return None
        common = self._common_path(nodes)
        return common[-1] if common and taxonomy.node(common[-1]).subject else None

    def _common_path(self, nodes: list[str]) -> list[str]:
        """The path from the root that every one of these nodes lies under."""
        paths = [self.taxonomy.path(n) for n in nodes]
        return [a for a, *rest in zip(*paths, strict=False) if all(a == b for b in rest)]

    def _shared(self, own: list[Clue], inherited: tuple[str, str, str] | None, title: str,
                named: set[str] = frozenset()) -> str | None:
        """A heading that names two subjects side by side ("DP + PP", "LoRA 与 Adapter 的区别") or
        compares them ("RLHF 一定比 DPO 更先进") is about what they have in common: their nearest
        common node when the heading names it too (``named``: "Adapter、Prefix Tuning 等其他 PEFT
        方法"), else the inherited subject when it holds them both, else their nearest common node
        (never a top-level branch that holds them by chance). Not one named inside the other's
        ("PPO 在 RLHF 中")."""
        taxonomy = self.taxonomy
        distinct = self._together(own, title)
        if not distinct:
            return None
        common = self._common_path(distinct)
        if len(common) >= 2 and common[-1] in named:
            return common[-1]
        if inherited is not None and all(taxonomy.is_within(n, inherited[0]) for n in distinct):
            return inherited[0]
        if common and inherited is not None and taxonomy.is_within(inherited[0], common[-1]):
            # "DP + PP" in a note on hybrid parallelism: the note's subject combines them.
            return inherited[0]
        return common[-1] if len(common) >= 2 else None

    def _together(self, own: list[Clue], title: str) -> list[str]:
        """The subjects a heading names side by side (none within another), if two or more."""
        nodes = {e.node for e in own if e.score >= STRONG}
        distinct = [n for n in nodes if not any(m != n and self.taxonomy.is_within(m, n) for m in nodes)]
        if len(distinct) < 2 or not _named_together([e for e in own if e.node in distinct], title):
            return []
        return distinct

    def _first_of_pair(self, own: list[Clue], title: str) -> Clue | None:
        """The first of two subjects a heading joins by a conjunction ("推理与应用") that share
        no node: what the heading is mainly about."""
        pair = sorted(own, key=lambda e: e.span[0])
        if len(pair) == 2 and len(self._together(own, title)) == 2 \
                and len(self._common_path([e.node for e in pair])) < 2 \
                and _side_by_side(title, pair[0].surface, pair[1].surface):
            return pair[0]
        return None

    def _lists_apart(self, own: list[Clue], title: str) -> bool:
        """Whether the heading names three subjects or more side by side that share no node below
        the top of the tree (two may be a pair the notes compare: "LoRA 与 Adapter")."""
        distinct = self._together(own, title)
        return len(distinct) >= 3 and len(self._common_path(distinct)) < 2

    def _only_facets(self, own: list[Clue], subject: str) -> bool:
        """Whether the heading is only a facet word (模型架构, 数据格式) and the subject it follows
        is one thing a facet can belong to."""
        return bool(own) and self._one_thing(subject) and all(
            e.exact and heading_key(e.surface) in self.headings.facets for e in own)

    def _only_aspect_word(self, clues: Sequence[Clue], subject: str) -> bool:
        """Whether the heading is only a weak word of a broad aspect of LLMs (优势, 缺点, 特点) and
        the subject it follows is one thing such a word can be said of."""
        return bool(clues) and self._one_thing(subject) and all(
            e.exact and e.score < STRONG and e.node in _ASPECTS for e in clues)

    def _one_thing(self, subject: str) -> bool:
        """Whether a subject is one thing (a method, a model), not a broad aspect of LLMs."""
        return self.taxonomy.node(subject).subject and subject not in _ASPECTS

    def _supported(self, clue: Clue, subject: str, text: dict[str, float]) -> bool:
        """A heading that names a node outside its note's (or parent's) subject is taken at its
        word when the text leans there at least as much ("KV Cache" in a note on attention),
        not when the name is only part of another subject ("Hierarchical Softmax" in Word2Vec)."""
        taxonomy = self.taxonomy
        there = max((s for n, s in text.items() if taxonomy.is_within(n, clue.node)), default=0.0)
        here = max((s for n, s in text.items() if taxonomy.is_within(n, subject)), default=0.0)
        return there >= MIN_SUPPORT and there >= (0.5 if clue.exact else 1.0) * here

    def _refine(self, node: str, text: dict[str, float]) -> tuple[str, str] | None:
        """A more specific node below the inherited one that the text is clearly about."""
        below = [(n, s) for n, s in text.items() if n != node and self.taxonomy.is_within(n, node)]
        if not below:
            return None
        best, score = max(below, key=lambda kv: (kv[1], -self.order[kv[0]]))
        if score >= REFINE and score >= text.get(node, 0.0):
            return best, (f"below its parent's subject ({self.taxonomy.node(node).short_title}), the text is "
                          f"about {self.taxonomy.node(best).short_title} ({score:.2f})")
        return None

    def _clearly_elsewhere(self, node: str, text: dict[str, float], ev: UnitEvidence) -> tuple[str, str] | None:
        """A node outside the inherited subject that the section clearly belongs to: its text is
        strongly about it, or about it and not at all about the subject; or a broad word of its
        heading names it (训练资料与架构 → 架构) and the text leans there more than to the subject.
        One shared word is no such evidence ("常见形式" is not about the catalog for its 常见)."""
        taxonomy = self.taxonomy
        heading = ev.heading
        inside = max((s for n, s in text.items() if taxonomy.is_within(n, node)), default=0.0)
        for clue in heading:
            if taxonomy.is_within(clue.node, node) or taxonomy.is_within(node, clue.node):
                continue
            below = [(n, s) for n, s in text.items() if taxonomy.is_within(n, clue.node)]
            support = max((s for _, s in below), default=0.0)
            if support >= WEAK_SUPPORT and support > 2 * inside:
                return clue.node, (f"its heading names {taxonomy.node(clue.node).short_title} and the text "
                                   f"leans there ({support:.2f})")
        outside = [(n, s) for n, s in text.items() if not taxonomy.is_within(n, node)
                   and not taxonomy.is_within(node, n)]
        if not outside:
            return None
        best, score = max(outside, key=lambda kv: (kv[1], -self.order[kv[0]]))
        if best in ev.one_word:
            return None
        if (score >= CLEAR and score >= 2 * inside) or (
                score >= REFINE and inside < NO_SUPPORT and best not in ev.few_words):
            return best, f"the text is clearly about {taxonomy.node(best).short_title} ({score:.2f})"
        return None


_UNPLACED = "fits no topic"
# A heading that compares what it names.
_COMPARES = re.compile(r"比|对比|区别|异同|vs|差异|不同")
# A bracketed aside: a clause of five Chinese characters or more, not a name's gloss.
_ASIDE = re.compile(r"[（(](?=(?:[^（）()]*?[\u4e00-\u9fff]){5})[^（）()]*[）)]")
# Words before what a heading names as the means to its subject: 通过 X 进行 Y, 借助 X 的 Y;
# 使用 X 只 with what it is used to do (使用 DeepSpeed 实现分布式训练), not "使用 BERT 时为什么…".
_MEANS = re.compile(r"(?:通过|利用|借助|依靠|凭借)$")
_USING = re.compile(r"(?:使用|采用|用)$")
# What being named first among two subjects side by side weighs (a heading word's score is 6–9).
_FIRST_NAMED = 2.0
# Words that deny what follows them: "DPO 为什么不需要奖励模型", "不用框架，自己写一个循环", "非
# Transformer 路线" (what is not a Transformer).
_WITHOUT = re.compile(r"(?:不需要|不用|无需|无须|不依赖|不借助|不靠|没有|并非|不是|(?<![是除莫])非)$")
_TO_DO = re.compile(r"进行|实现|来做|完成")
# After what a heading names as what came before its subject: "微调后的模型…", "RLHF 之后…".
_AFTER = re.compile(r"(?:之后|以后|后(?!端))")
# "X 对 Y (有何|的) 影响": Y is what X acts on (in heading_key form: no spaces).
_ACTS_ON = re.compile(r"对[^对]{0,4}$")
_EFFECT = re.compile(r"[^对]{0,8}?(?:影响|作用|启发)")
# Words that put two names side by side in a heading.
_CONJUNCTIONS = r"与|和|及|以及|vs\.?|and"
_JOINED = re.compile(rf"\s*(?:[&＆+＋、/／,，]|{_CONJUNCTIONS})\s*", re.I)
_GROUP_THEN_NAMES = re.compile(rf"\s*(?:家族|系列|一族|方法|类)?\s*(?:{_CONJUNCTIONS})\s*"
                               r"(?:[a-z][a-z0-9\-]*\s*[/／、,，]\s*){1,3}", re.I)


# Words that join two things in a heading ("知识截止、算不准数，还有偏见", "LoRA 与 Adapter").
_LIST_WORDS = re.compile(r"[、，,；;/&+]|和|与|及|还有|以及")


def _side_by_side(title: str, a: str, b: str) -> bool:
    """The two names stand joined by a conjunction in the title ("Prompt Tuning & Delta Tuning"),
    not one modifying the other ("LLM 推理框架", "安全性：越狱")."""
    text = unicodedata.normalize("NFKC", visible(title)).lower()
    i, j = text.find(unicodedata.normalize("NFKC", a).lower()), text.find(unicodedata.normalize("NFKC", b).lower())
    if i < 0 or j < 0 or not a or not b:
        return False
    (first, n1), (second, _n2) = sorted([(i, len(a)), (j, len(b))])
    return second >= first + n1 and _JOINED.fullmatch(text[first + n1 : second]) is not None


def _named_together(clues: list[Clue], title: str) -> bool:
    """The title compares what it names, or joins each name to the next (in title order)."""
    lowered = unicodedata.normalize("NFKC", visible(title)).lower()
    if _COMPARES.search(lowered):
        return True
    ordered = sorted(clues, key=lambda e: lowered.find(unicodedata.normalize("NFKC", e.surface).lower()))
    return all(_joined_near(lowered, a.surface, b.surface) for a, b in itertools.pairwise(ordered))


def _joined_near(lowered: str, a: str, b: str) -> bool:
    """A conjunction stands between the two names, close by ("ZeRO-DP + PP": + after the
    variant's suffix), not a phrase that puts one inside the other ("PPO 在 RLHF 中")."""
    i = lowered.find(unicodedata.normalize("NFKC", a).lower())
    j = lowered.find(unicodedata.normalize("NFKC", b).lower())
    if i < 0 or j < 0:
        return False
    between = lowered[min(i, j) + (len(a) if i < j else len(b)) : max(i, j)]
    if between.strip() in ("到", "至") and lowered[: min(i, j)].rstrip().endswith("从"):
        return True  # "从 KV Cache 到投机解码": a range, what lies between the two
    # "ZeRO-DP": one hyphenated name holding both
    if len(between) <= 8:
        return _JOINED.search(between) is not None or between.strip() in ("-", "")
    # "LoRA 家族与 Prefix / P-Tuning": a word for a group of the first, the conjunction, then the
    # other name's Latin variants listed before it.
    return _GROUP_THEN_NAMES.fullmatch(between) is not None


def _preamble_leads_in(placements: list[Placement]) -> list[Placement]:
    """A preamble that places nowhere by itself introduces what follows: it goes with the
    note's first placed section."""
    if not placements or not placements[0].unit.is_preamble or placements[0].node != OTHER_TOPIC:
        return placements
    first = next((p for p in placements[1:] if p.node != OTHER_TOPIC), None)
    if first is None:
        return placements
    lead = replace(placements[0], node=first.node, rule="lead-in",
                   reason=f"the note's opening text leads into its first section «{first.unit.title}»")
    return [lead, *placements[1:]]


def _released(title: str, text: str) -> bool:
    """Whether the text says the model its heading names was released ("LLaMA-2 系列" over
    "2023年7月，Meta发布了LLaMA-2，…")."""
    name = re.sub(r"\s*系列$", "", title).strip()
    return bool(_LATIN.search(name)) and re.search(
        rf"(?:发布|推出|开源)(?:了|的)?\s*[「“]?{re.escape(name)}(?![\w.\-])", text, re.I) is not None


def _is_note_reason(why: str) -> bool:
    return why.startswith("note title")


_TITLE_NAME = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]{2,}(?:[\s\-]?[0-9][\w.]*)?(?:-[A-Za-z0-9]+)*")


_OPENING_LABEL = re.compile(r"^\W{0,3}[^\s：:，,。]{1,10}[：:]\s*")


def _introduced_model(title: str, units: list[Unit]) -> str:
    """A Latin name in the note's title that the note's first sections introduce as a model
    ("Gemma 上手笔记" over "Gemma 是 Google 在 2024 年 2 月发布的开放权重模型")."""
    names = [m.group(0) for m in _TITLE_NAME.finditer(title)]
    if not names:
        return ""
    for unit in units[:3]:
        for block in unit.blocks[:3]:
            # After a label of its own ("**一句话理解**：Qwen3 是阿里…开源模型系列"): the sentence.
            opening = _OPENING_LABEL.sub("", visible(block.text)[:160])
            for name in names:
                if opening.startswith(name) and _MODEL_INTRO.search(opening):
                    return name
    return ""


def note_titles(doc: NoteDoc) -> list[str]:
    """What a note says it is about, strongest first: its title heading, an empty first
    section at its very top ("## 基于大模型的智能体(Agent)" over "# 简介"), its file name."""
    out: list[str] = []
    if doc.root.heading is not None:
        out.append(doc.root.heading.title)
    elif doc.root.children and not doc.root.blocks:
        first = doc.root.children[0]
        if first.heading is not None and not first.blocks and not first.children:
            out.append(first.heading.title)
    stem = re.sub(r"\.(md|markdown|txt)$", "", doc.name, flags=re.I)
    out.append(re.split(r"_{2,}", stem)[-1].replace("_", " "))
    return out


def units_of(doc: NoteDoc) -> list[Unit]:
    """The placeable units of a note, in document order."""
    out: list[Unit] = []
    if doc.root.blocks:
        out.append(Unit(doc.path, doc.root, (), is_preamble=True))

    def walk(section: Section, path: tuple[Section, ...]) -> None:
        if section.blocks:
            out.append(Unit(doc.path, section, path))
        for child in section.children:
            walk(child, (*path, section))

    for child in doc.root.children:
        walk(child, (doc.root,) if doc.root.heading else ())
    return out


def content_text(unit: Unit) -> str:
    """The text whose words are weighed against each node's vocabulary (code and display
    formulas do not count)."""
    text = " ".join(visible(re.sub(r"<[^<>]+>", " ", b.text) if b.kind is BlockKind.HTML else b.text)
                    for b in unit.blocks if b.kind not in (BlockKind.CODE, BlockKind.MATH))
    return f"{unit.section.title} {text}" if unit.section.heading is not None else text


def _part_of(unit: Unit, root: Section) -> Section:
    """The top-level section of a note that holds this unit (the unit's own, at the top)."""
    return next((s for s in (*unit.path, unit.section) if s is not root), unit.section)


def _main_node(taxonomy: Taxonomy, placements: list[Placement], share: float = 0.5,
               by_sections: bool = False) -> str | None:
    """The deepest node that, with what lies below it, holds more than ``share`` (half) of a
    note's placed text (幻觉 and 复读 sections make a note about 特点), or of its sections, if
    one does."""
    weight: Counter[str] = Counter()
    total = 0
    for p in placements:
        if p.node != OTHER_TOPIC:
            size = 1 if by_sections else sum(len(visible(b.text)) for b in p.unit.blocks)
            total += size
            for node in taxonomy.path(p.node):
                weight[node] += size
    held = [n for n in weight if weight[n] > share * total]
    return max(held, key=lambda n: (len(taxonomy.path(n)), weight[n], n)) if held else None


def _siblings_node(taxonomy: Taxonomy, p: Placement, placements: list[Placement], root: Section) -> str | None:
    """The node most (SUMMED_UP) of the placed sections beside this one went to, when they share
    a parent heading (the note's own top level is its main topic's business) and are two or more."""
    if not p.unit.path or p.unit.path[-1] is root:
        return None
    parent = p.unit.path[-1]
    beside = [q for q in placements if q is not p and q.unit.path and q.unit.path[-1] is parent
              and q.rule != "unplaced" and q.node != OTHER_TOPIC]
    return _main_node(taxonomy, beside, SUMMED_UP, by_sections=True) if len(beside) >= 2 else None


def _adopt_note_node(doc: NoteDoc, taxonomy: Taxonomy, placements: list[Placement],
                     reporter: Reporter, leaning: str | None = None) -> list[Placement]:
    """A section nothing places is about what its note is mostly about, else about what the
    note's title names with a broad word (``leaning``); else it goes to 其他. Before all that, a
    section under a heading whose other sections mostly went to one node goes there too ("中文模型"
    beside "闭源模型" and "开源模型" under "模型")."""
    main = _main_node(taxonomy, placements)
    out: list[Placement] = []
    for p in placements:
        siblings = _siblings_node(taxonomy, p, placements, doc.root) if p.rule == "unplaced" else None
        if siblings is not None:
            p = replace(p, node=siblings, rule="siblings",
                        reason=f"fits no node by itself; the sections beside it are about {siblings}")
        elif p.rule == "unplaced" and main is not None:
            p = replace(p, node=main, rule="note-main",
                        reason=f"fits no node by itself; follows its note's main topic ({main})")
        elif p.rule == "unplaced" and leaning is not None:
            p = replace(p, node=leaning, rule="note-main",
                        reason=f"fits no node by itself; its note's title leans to {leaning}")
        elif p.rule == "unplaced":
            unit = p.unit
            line = unit.section.heading.span.start if unit.section.heading else unit.blocks[0].span.start
            reporter.warn(doc.path, line, "unplaced-section",
                          f"section «{unit.title or '(preamble)'}» fits no topic; placed on the 其他 page")
        out.append(p)
    return out


def classify_notes(docs: list[NoteDoc], taxonomy: Taxonomy, segmenter: Segmenter, reporter: Reporter,
                   jobs: int = 0, not_models: Iterable[str] = ()) -> list[Placement]:
    return classify_with_evidence(docs, taxonomy, segmenter, reporter, jobs, not_models=not_models)[0]


def classify_with_evidence(docs: list[NoteDoc], taxonomy: Taxonomy, segmenter: Segmenter, reporter: Reporter,
                           jobs: int = 0, known: Sequence[tuple[UnitEvidence, ...] | None] = (),
                           not_models: Iterable[str] = ()) -> tuple[list[Placement], list[tuple[UnitEvidence, ...]]]:
    """The placements, and each note's units' evidence. ``known[i]``, when given, is note i's
    evidence from an earlier build of the same note and rules (the build cache): only the
    other notes' sections are read. ``not_models``: names the vocabulary hints say are no model."""
    clf = Classifier(taxonomy, segmenter, not_models)
    units = [units_of(doc) for doc in docs]
    given = [known[i] if i < len(known) else None for i in range(len(docs))]
    given = [g if g is not None and len(g) == len(us) else None for g, us in zip(given, units, strict=True)]
    flat = [u for us, g in zip(units, given, strict=True) if g is None for u in us]

    def read(i: int) -> UnitEvidence:
        # Runs in a worker forked with the classifier and the units: only evidence travels back.
        return clf.evidence(flat[i])

    evidence: Iterator[UnitEvidence] = iter(ordered_map(read, range(len(flat)), jobs))
    placements: list[Placement] = []
    per_note: list[tuple[UnitEvidence, ...]] = []
    for doc, doc_units, cached in zip(docs, units, given, strict=True):
        mine = list(cached) if cached is not None else [next(evidence) for _ in doc_units]
        per_note.append(tuple(mine))
        placements.extend(_adopt_note_node(doc, taxonomy, clf.place_note(doc, doc_units, mine), reporter,
                                           clf.title_leaning(doc)))
    return placements, per_note
