"""The timeline (发展时间线): dated events from the notes, in chronological order.

An event is a date in a sentence together with a verb that makes it one (发布, 推出,
提出, 开源, 出现, 引入, 始于, 召开 …); "知识截止日期是 2021 年 9 月" is a date but not an
event. Events with only a year sort before the months of that year; "2018 年左右" is kept
as an approximate date. Each event keeps its sentence (render links to its section and
cites the note it came from); its text is the clauses of the date and the verb, with whole
brackets and the label the sentence opens with ("**GQA（…）**：2023 年 Google 提出").
"""

from __future__ import annotations

import re

from ..dedup import sentence_key
from ..models import CATALOG_TOPIC, Event, Evidence, Sentence
from .facts import FactReader, event_verb
from .patterns import EVENT_RE, RELEASE_RE, clause_at, clauses, find_dates

DESC_MAX = 90


def build_timeline(sentences: list[Sentence], reader: FactReader) -> list[Event]:
    events: list[Event] = []
    for s in sentences:
        if s.heading:
            continue
        spans = clauses(s.text)
        for d in find_dates(s.text, reader.year_of(s)):
            verb = event_verb(s.text, spans, d, EVENT_RE)
            if verb is None:
                continue
            release = event_verb(s.text, spans, d, RELEASE_RE)
            idx = [clause_at(spans, d.start), clause_at(spans, verb.start())]
            if release is not None:
                idx.append(clause_at(spans, release.start()))
            first, last = _whole(s.text, spans, min(idx), max(idx))
            text = s.text[spans[first][0] : spans[last][1]]
            text = re.sub(r"^\s*(?:其中|随后|并且?|而|同时|此外)[，,]?\s*", "", text)
            text = text.strip().rstrip("，,；;：:。")
            if len(text) > DESC_MAX:
                text = text[: DESC_MAX - 1] + "…"
            subject = reader.event_subject.get((s.order, d.start), "")
            events.append(Event(d.value, d.surface, text, Evidence(s, d.start, d.end), subject))
    return _dedup(events)


# A label a sentence opens with ("**MQA（Multi-Query Attention）**：Shazeer 2019 年提出"): what the
# event is about.
LABEL_MAX = 30


def _whole(text: str, spans: list[tuple[int, int]], first: int, last: int) -> tuple[int, int]:
    """The clauses from first to last, widened so that no bracket is cut open ("PPO（Proximal
    Policy Optimization，近端策略优化）由 … 提出" is cut at the comma inside the bracket), and
    to the label the sentence opens with when the event's clause follows it."""
    def depth(a: int, b: int) -> int:
        part = text[spans[a][0] : spans[b][1]]
        return sum(part.count(c) for c in "（(") - sum(part.count(c) for c in "）)")

    while first > 0 and depth(first, last) < 0:
        first -= 1
    while last < len(spans) - 1 and depth(first, last) > 0:
        last += 1
    if first == 1 and text[spans[0][1] : spans[0][1] + 1] in "：:" \
            and len(text[spans[0][0] : spans[0][1]].strip()) <= LABEL_MAX:
        first = 0
    return first, last


def _dedup(events: list[Event]) -> list[Event]:
    """One event per model and date (and per model and year for approximate dates); the
    catalog page's wording wins over a passing mention elsewhere."""
    events.sort(key=lambda e: (e.evidence.sentence.node != CATALOG_TOPIC, e.evidence.sentence.order))
    seen: set[tuple] = set()
    kept: list[Event] = []
    for e in events:
        if e.subject:
            key: tuple = (e.subject, e.date.year) if e.date.approx else (e.subject, e.date.key)
        else:
            key = (e.date.key, sentence_key(e.description)[:24])
        if key in seen:
            continue
        seen.add(key)
        kept.append(e)
    return sorted(kept, key=lambda e: e.sort_key)
