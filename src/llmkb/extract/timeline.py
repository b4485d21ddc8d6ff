"""The timeline (发展时间线): dated events from the notes, in chronological order.

An event is a date in a sentence together with a verb that makes it one (发布, 推出,
提出, 开源, 出现, 引入, 始于, 召开 …); "知识截止日期是 2021 年 9 月" is a date but not an
event. Events with only a year sort before the months of that year; "2018 年左右" is kept
as an approximate date. Each event links to the section its sentence is in and cites
the note it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..dedup import sentence_key
from .catalog import Catalog
from .corpus import CATALOG_TOPIC, Evidence, Sentence, href, md_text
from .facts import FactReader, event_verb
from .glossary import place_label
from .patterns import EVENT_RE, RELEASE_RE, DateValue, clause_at, clauses, find_dates

DESC_MAX = 90


@dataclass
class Event:
    date: DateValue
    surface: str  # the date as the sentence writes it
    description: str  # clauses of the sentence that tell the event
    evidence: Evidence
    subject: str = ""  # catalog row (group) the event is about, if any

    @property
    def sort_key(self) -> tuple:
        return (self.date.key, self.date.approx, self.evidence.sentence.order)


def build_timeline(sentences: list[Sentence], reader: FactReader) -> list[Event]:
    events: list[Event] = []
    for s in sentences:
        if s.heading:
            continue
        spans = clauses(s.text)
        for d in find_dates(s.text):
            verb = event_verb(s.text, spans, d, EVENT_RE)
            if verb is None:
                continue
            release = event_verb(s.text, spans, d, RELEASE_RE)
            idx = [clause_at(spans, d.start), clause_at(spans, verb.start())]
            if release is not None:
                idx.append(clause_at(spans, release.start()))
            first, last = min(idx), max(idx)
            text = s.text[spans[first][0] : spans[last][1]]
            text = re.sub(r"^\s*(?:其中|随后|并且?|而|同时|此外)[，,]?\s*", "", text)
            text = text.strip().rstrip("，,；;：:。")
            if len(text) > DESC_MAX:
                text = text[: DESC_MAX - 1] + "…"
            subject = reader.event_subject.get((s.order, d.start), "")
            events.append(Event(d.value, d.surface, text, Evidence(s, d.start, d.end), subject))
    return _dedup(events)


def _dedup(events: list[Event]) -> list[Event]:
    """One event per model and date (and per model and year for approximate dates); the
    catalog page's wording wins over a passing mention elsewhere."""
    events.sort(key=lambda e: (e.evidence.sentence.topic != CATALOG_TOPIC, e.evidence.sentence.order))
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


def _group_label(d: DateValue) -> tuple[str, str]:
    if d.decade:
        return d.label().replace("左右", ""), f"y{d.year}s"
    return f"{d.year} 年", f"y{d.year}"


def render_timeline(events: list[Event], page: str, catalog: Catalog, cite) -> str:
    from ..render.markdown import front_matter, heading

    rows = {r.group: r for r in catalog.rows}
    parts = [front_matter("发展时间线", "笔记中提到的大语言模型发展事件，按时间排列。", ["发展时间线"]),
             heading(1, "发展时间线", "timeline"),
             f"笔记中带日期的 {len(events)} 个事件，按时间先后排列：只有年份的事件排在该年各月之前，"
             "“左右”表示笔记给出的是大致时间。每条事件后面是它所在的段落和来源笔记的编号。"]
    current = ""
    items: list[str] = []
    for e in events:
        label, anchor = _group_label(e.date)
        if label != current:
            if items:
                parts.append("\n".join(items))
                items = []
            parts.append(heading(2, label, anchor))
            current = label
        who = ""
        row = rows.get(e.subject)
        if row is not None:
            who = f'[{md_text(row.name)}]({href_row(catalog.page, page)}#{row.anchor} "模型目录：{row.name}")：'
        place = e.evidence.sentence.place
        where = f"[{md_text(place_label(place))}]({href(place, page)})"
        items.append(f"- **{md_text(e.date.label())}** · {who}{md_text(e.description)}"
                     f"（{where}）{cite(list(e.evidence.sentence.spans))}")
    if items:
        parts.append("\n".join(items))
    return "\n\n".join(parts) + "\n"


def href_row(catalog_page: str, page: str) -> str:
    import posixpath

    return posixpath.relpath(catalog_page, posixpath.dirname(page) or ".")
