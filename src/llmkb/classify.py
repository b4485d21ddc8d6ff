"""Classify: place every section with content into one topic (and maybe one subtopic).

Evidence, strongest first:
1. the section's own heading names a subtopic or topic (taxonomy aliases);
2. a parent heading names one (a "(1) 多语言支持" under "LLM 的特点");
3. the text itself: TF-IDF over jieba tokens against each topic's vocabulary.
Every placement records why it landed where it did.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace

from .diagnostics import Reporter
from .models import CATALOG_TOPIC, OTHER_TOPIC, NoteDoc, Placement, Section, Subtopic, Taxonomy, Topic, Unit
from .segment import Segmenter
from .text import ANON_RELEASE, VERSIONED_NAME, visible
from .workers import ordered_map

_UNPLACED = "fits no topic"
_PARENS = re.compile(r"[（(][^（）()]*[)）]")
_SUBJECT = re.compile(r"^(?:(?:大型|大)?语言模型|LLMs?|大模型)\s*(?:的|之)?\s*", re.I)
_NAME_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9.\-]*(?:\s?[A-Za-z0-9.\-]+)?\s?(?:系列)?$|系列$|大模型$")
_RELEASE_WORDS = re.compile(r"发布|推出|开源|闭源|参数|公司|版本|研发|开发的")
# "Mistral 7B 是法国初创公司 Mistral AI 在 2023 年 9 月发布的开源大语言模型" — a sentence that
# introduces a model by who released it: the section is about that model. (预训练 is no
# release: "…的一般范式是预训练-微调：选一个合适的预训练模型" introduces no model.)
_MODEL_INTRO = re.compile(
    r"^\W{0,3}[A-Za-z\u4e00-\u9fff][\w.\- ]{0,30}?(系列模型|系列)?\W{0,3}\s*(是|为|由)"
    r".{0,50}?(发布|推出|开源|研发|开发|(?<!预)训练)的?.{0,24}?(模型|LLM)"
)
# Weights of heading evidence by distance (own heading, parent, grandparent, ...).
_DISTANCE_WEIGHT = (1.0, 0.6, 0.4, 0.3, 0.2)


def core(title: str) -> str:
    """A heading reduced to its subject: no brackets, no 'LLM 的', no spaces, lowercase."""
    text = _PARENS.sub("", title)
    text = _SUBJECT.sub("", text.strip())
    return re.sub(r"[\s\-_·:：,，、]+", "", text).lower()


@dataclass(frozen=True)
class _Match:
    topic: str
    subtopic: str | None
    score: float
    why: str


class Classifier:
    def __init__(self, taxonomy: Taxonomy, segmenter: Segmenter) -> None:
        self.taxonomy = taxonomy
        self.segmenter = segmenter
        self._bags = {t.id: Counter(segmenter.tokens(_topic_text(t))) for t in taxonomy.topics}
        df: Counter[str] = Counter()
        for bag in self._bags.values():
            df.update(bag.keys())
        n = len(self._bags)
        self._idf = {w: math.log((1 + n) / (1 + c)) + 1 for w, c in df.items()}
        self._vectors = {tid: self._weigh(bag) for tid, bag in self._bags.items()}
        # Word → the topics whose vocabulary has it: a section's other words score nothing.
        self._topics_of_word: dict[str, list[tuple[str, float]]] = {}
        for tid, tvec in self._vectors.items():
            for w, weight in tvec.items():
                self._topics_of_word.setdefault(w, []).append((tid, weight))
        # Alias cores are computed once; headings repeat across notes, so matches are memoized.
        self._alias_cores: dict[tuple[str, str | None], tuple[tuple[str, str, bool], ...]] = {
            (t.id, sub.id if sub else None): tuple(
                (a, core(a), weak) for names, weak in groups for a in names)
            for t in taxonomy.topics
            for sub, groups in [(None, (((t.title, *t.aliases), False),)),
                                *((s, (((s.title, *s.aliases), False), (s.weak_aliases, True)))
                                  for s in t.subtopics)]
        }
        self._all_cores = frozenset(a for names in self._alias_cores.values() for _alias, a, _weak in names
                                    if len(a) >= 2)
        self._heading_cache: dict[tuple[str, str, str], list[_Match]] = {}
        # Model evidence only counts when the taxonomy has a models page to put it on.
        self._has_models = taxonomy.has_catalog

    def _weigh(self, bag: Counter[str]) -> dict[str, float]:
        vec = {w: (1 + math.log(c)) * self._idf.get(w, 0.0) for w, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {w: v / norm for w, v in vec.items()}

    # -- heading evidence ------------------------------------------------------------------

    def heading_matches(self, title: str, english: str = "", abbr: str = "") -> list[_Match]:
        key = (title, english, abbr)
        cached = self._heading_cache.get(key)
        if cached is None:
            cached = self._heading_cache[key] = self._heading_matches(title, english, abbr)
        return cached

    def _heading_matches(self, title: str, english: str, abbr: str) -> list[_Match]:
        c = core(title)
        if not c:
            return []
        extra = {x.lower() for x in (english, abbr) if x}
        # A bracketed Chinese gloss names the subject as an English name does: "第一阶段：
        # 自我学习（预训练）" is about 预训练 (core() drops brackets).
        extra |= {m.group(0)[1:-1].strip().lower() for m in _PARENS.finditer(title)
                  if re.search(r"[\u4e00-\u9fff]", m.group(0))}
        shadowed = _shadowed(c, {a for a in self._all_cores if a in c})
        found: list[_Match] = []
        for topic in self.taxonomy.topics:
            for sub in topic.subtopics:
                score = _alias_score(c, extra, self._alias_cores[(topic.id, sub.id)], shadowed)
                if score:
                    found.append(_Match(topic.id, sub.id, score + 1, f"heading names {sub.title}"))
            score = _alias_score(c, extra, self._alias_cores[(topic.id, None)], shadowed)
            if score:
                found.append(_Match(topic.id, None, score, f"heading names topic {topic.title}"))
        return found

    def content_scores(self, words: list[str]) -> dict[str, float]:
        """Cosine of the text's TF-IDF vector with each topic's (only shared words count)."""
        scores = dict.fromkeys(self._vectors, 0.0)
        for w, v in self._weigh(Counter(words)).items():
            for tid, weight in self._topics_of_word.get(w, ()):
                scores[tid] += v * weight
        return scores

    # -- placement -------------------------------------------------------------------------

    def place(self, unit: Unit) -> Placement | None:
        scores: dict[str, float] = {}
        reasons: dict[str, str] = {}
        own_sub: dict[str, tuple[str, float]] = {}
        intro_topics: set[str] = set()
        chain = [unit.section, *reversed(unit.path)]
        for distance, section in enumerate(chain):
            if section.heading is None:
                continue
            weight = _DISTANCE_WEIGHT[min(distance, len(_DISTANCE_WEIGHT) - 1)]
            h = section.heading
            for m in self.heading_matches(h.title, h.english, h.abbr):
                value = m.score * weight
                if value > scores.get(m.topic, 0.0):
                    scores[m.topic] = value
                    where = "own heading" if distance == 0 else f"parent heading «{h.title}»"
                    reasons[m.topic] = f"{where}: {m.why}"
                if distance == 0 and m.subtopic and m.score > own_sub.get(m.topic, ("", 0))[1]:
                    own_sub[m.topic] = (m.subtopic, m.score)
                if distance == 0 and m.subtopic is None and m.score >= 8:
                    intro_topics.add(m.topic)
            if distance == 0 and self._has_models \
                    and _NAME_LIKE.search(h.title.strip()) and _RELEASE_WORDS.search(
                        " ".join(visible(b.text) for b in unit.blocks)):
                value = 6.0
                if value > scores.get(CATALOG_TOPIC, 0.0):
                    scores[CATALOG_TOPIC] = value
                    reasons[CATALOG_TOPIC] = f"heading «{h.title}» names a model that the text describes"
        text = content_text(unit)
        opening = visible(unit.blocks[0].text)[:160] if unit.blocks else ""
        if unit.blocks and self._has_models and (
                _MODEL_INTRO.search(opening) or (unit.section.heading is not None and ANON_RELEASE.search(
                    opening) and VERSIONED_NAME.search(unit.section.heading.title))):
            value = scores.get(CATALOG_TOPIC, 0.0) + 6.0
            scores[CATALOG_TOPIC] = value
            reasons.setdefault(CATALOG_TOPIC, "text opens by introducing a model (who released it, when)")
        content = self.content_scores(self.segmenter.tokens(text))
        for tid, value in content.items():
            boosted = scores.get(tid, 0.0) + 3.0 * value
            if value > 0 and tid not in reasons:
                reasons[tid] = f"text matches the topic's vocabulary ({value:.2f})"
            scores[tid] = boosted
        if not scores:
            return None
        best = max(self.taxonomy.topics, key=lambda t: (scores.get(t.id, 0.0), -_order(self, t)))
        if scores.get(best.id, 0.0) < 0.6:
            return None
        subtopic = own_sub.get(best.id, (None, 0))[0]
        if subtopic is None and unit.section.heading is not None and best.id not in intro_topics:
            subtopic = self._subtopic_by_content(best, text)
        return Placement(unit, best.id, subtopic, best.id in intro_topics and subtopic is None,
                         reasons.get(best.id, "best overall score"))

    def _subtopic_by_content(self, topic: Topic, text: str) -> str | None:
        """A subtopic whose aliases the text itself uses repeatedly (never a guess)."""
        best: tuple[int, Subtopic] | None = None
        for sub in topic.subtopics:
            hits = sum(text.count(a) for a in sub.aliases if len(a) >= 2)
            if hits >= 2 and (best is None or hits > best[0]):
                best = (hits, sub)
        return best[1].id if best else None


def _order(clf: Classifier, topic: Topic) -> int:
    return clf.taxonomy.topics.index(topic)


# Generic asking/overview words ("简介", "是什么") name a topic only when nothing more specific
# stands beside them: "DeepSeek-V2 是什么" is about a model, not about what LLMs are.
_WEAK_ALIASES = {"简介", "介绍", "概述", "概念", "是什么", "什么是", "引言", "导言", "总结", "问题"}
_NAMED_SUBJECT = re.compile(r"[a-z][a-z0-9.\-]*\d|[a-z]{2,}[\-.]?v?\d")


def _shadowed(c: str, present: set[str]) -> frozenset[str]:
    """Alias cores found in heading core ``c`` only inside a longer alias found there.

    Longest match wins: in "上下文学习实战" the heading names 上下文学习, and the 上下文 inside it
    is no evidence for the context-window subtopic (nor 特点 inside 能力特点 for 特点).
    """
    out: set[str] = set()
    for a in present:
        longer = [b for b in present if len(b) > len(a) and a in b]
        if not longer:
            continue
        spans = [(m.start(), m.start() + len(b)) for b in longer for m in re.finditer(re.escape(b), c)]
        starts = [m.start() for m in re.finditer(re.escape(a), c)]
        if all(any(lo <= i and i + len(a) <= hi for lo, hi in spans) for i in starts):
            out.add(a)
    return frozenset(out)


def _alias_score(c: str, extra: set[str], aliases: tuple[tuple[str, str, bool], ...],
                 shadowed: frozenset[str] = frozenset()) -> float:
    """Best evidence that heading core ``c`` names one of the (alias, alias core, weak) triples."""
    best = 0.0
    for alias, a, weak in aliases:
        if not a:
            continue
        if a == c or alias.lower() in extra:
            score = 9.0
        elif len(a) >= 2 and a in c and a not in shadowed:
            # Longer aliases inside the heading are stronger evidence, and in a Chinese noun
            # phrase the last word is the head ("训练数据中的偏见" is about 偏见).
            score = 5.0 + min(len(a), 6) / 3 + (1.5 if c.endswith(a) else 0.0)
            if weak or a in _WEAK_ALIASES:
                # "模型简介" or "DeepSeek-V2 是什么": the other words say what it is about; a
                # broad word (上下文) outweighs no specific alias, own or a parent's.
                score = 1.0 if _NAMED_SUBJECT.search(c.replace(a, "")) else 3.0
        else:
            continue
        best = max(best, score)
    return best


def _topic_text(topic: Topic) -> str:
    parts = [topic.title, topic.description, *topic.aliases, *topic.keywords]
    for sub in topic.subtopics:
        parts.extend([sub.title, *sub.aliases, *sub.weak_aliases, *sub.keywords])
    return " ".join(parts)


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


_SUMMARY = re.compile(r"^(总结|小结|结语|结论|结束语|写在最后|最后|后记|总结与展望|小结与展望)$")


def _topic_weights(placements: list[Placement]) -> Counter[str]:
    """How much of a note's placed text each topic holds (summaries and 其他 not counted)."""
    weight: Counter[str] = Counter()
    for p in placements:
        if not _SUMMARY.match(core(p.unit.title) or "-") and p.topic != OTHER_TOPIC:
            weight[p.topic] += sum(len(visible(b.text)) for b in p.unit.blocks)
    return weight


def _main_topic(weight: Counter[str]) -> str | None:
    return max(weight, key=lambda t: (weight[t], t)) if weight else None


def _follow_note_topic(placements: list[Placement]) -> list[Placement]:
    """A "总结" section is about whatever its note is about: its note's main topic."""
    main = _main_topic(_topic_weights(placements))
    if main is None:
        return placements
    return [replace(p, topic=main, subtopic=None, is_intro=False,
                    reason=f"summary section: follows its note's main topic ({main})")
            if p.unit.section.heading is not None and _SUMMARY.match(core(p.unit.title) or "-") else p
            for p in placements]


def _adopt_note_topic(doc: NoteDoc, placements: list[Placement], reporter: Reporter) -> list[Placement]:
    """A section nothing places by itself ("背景", "它跟聊天模型差在哪？") is about what its note
    is about when more than half of the note's placed text is on one topic; else it goes to 其他."""
    weight = _topic_weights(placements)
    placed = sum(1 for p in placements if p.topic != OTHER_TOPIC)
    main = _main_topic(weight)
    if main is not None and (placed < 2 or weight[main] <= 0.5 * sum(weight.values())):
        main = None
    out: list[Placement] = []
    for p in placements:
        if p.reason == _UNPLACED and main is not None:
            p = replace(p, topic=main, reason=f"fits no topic by itself; follows its note's main topic ({main})")
        elif p.reason == _UNPLACED:
            unit = p.unit
            line = unit.section.heading.span.start if unit.section.heading else unit.blocks[0].span.start
            reporter.warn(doc.path, line, "unplaced-section",
                          f"section «{unit.title or '(preamble)'}» fits no topic; placed on the 其他 page")
        out.append(p)
    return out


def content_text(unit: Unit) -> str:
    """The text whose words are weighed against each topic's vocabulary."""
    text = " ".join(visible(b.text) for b in unit.blocks)
    return f"{unit.section.title} {text}" if unit.section.heading is not None else text


def classify_notes(docs: list[NoteDoc], taxonomy: Taxonomy, segmenter: Segmenter, reporter: Reporter,
                   jobs: int = 0) -> list[Placement]:
    clf = Classifier(taxonomy, segmenter)
    units = [units_of(doc) for doc in docs]
    flat = [u for us in units for u in us]

    def verdict(i: int) -> tuple[str, str | None, bool, str] | None:
        # Runs in a worker forked with the classifier and the units: only verdicts travel back.
        p = clf.place(flat[i])
        return None if p is None else (p.topic, p.subtopic, p.is_intro, p.reason)

    verdicts = iter(ordered_map(verdict, range(len(flat)), jobs))
    placements: list[Placement] = []
    for doc, doc_units in zip(docs, units, strict=True):
        mine = _follow_note_topic(_place_doc(doc_units, verdicts))
        placements.extend(_adopt_note_topic(doc, mine, reporter))
    return placements


def _place_doc(units: list[Unit], verdicts: Iterator[tuple | None]) -> list[Placement]:
    placements: list[Placement] = []
    for unit in units:
        found = next(verdicts)
        placement = Placement(unit, *found) if found else None
        if placement is None and unit.section.heading is not None \
                and _SUMMARY.match(core(unit.title) or "-"):
            # Placed with its note's main topic once the note's other sections are placed.
            placement = Placement(unit, OTHER_TOPIC, None, False, "summary section")
        if placement is None:
            placement = Placement(unit, OTHER_TOPIC, None, False, _UNPLACED)
        placements.append(placement)
    return placements
