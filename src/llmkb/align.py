"""Align: group placed sections into topic pages and merged entries.

Sections about the same subject from different notes (涌现能力 in three notes)
become one entry under one canonical title: the subtopic's title when the
taxonomy names the subject, otherwise the fullest heading the notes use, with the
English name and abbreviation if any note gives them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from .classify import core
from .models import OTHER_TOPIC, Entry, Placement, Section, Taxonomy, Topic, TopicPage
from .normalize import normalize_inline
from .text import slugify, visible


def _size(p: Placement) -> int:
    return sum(len(visible(b.text)) for b in p.unit.blocks)


def align(placements: list[Placement], taxonomy: Taxonomy) -> list[TopicPage]:
    topics = list(taxonomy.topics)
    if any(p.topic == OTHER_TOPIC for p in placements):
        topics.append(Topic(OTHER_TOPIC, "其他", "other", "尚未归入任何主题的笔记内容。", (), ()))
    pages = {t.id: TopicPage(t, Entry(t.id, "", t.title, t.slug)) for t in topics}
    index = {t.id: _Index() for t in topics}
    by_section: dict[int, Entry] = {}
    for p in placements:
        page = pages[p.topic]
        if p.is_intro or p.unit.is_preamble or (p.unit.section.heading is None
                                                   and p.subtopic is None):
            page.intro.placements.append(p)
            by_section[id(p.unit.section)] = page.intro
            continue
        entry = _find_or_add(page, index[p.topic], p, by_section)
        entry.placements.append(p)
        by_section[id(p.unit.section)] = entry
    for page in pages.values():
        _finish(page)
    return [pages[t.id] for t in topics]


@dataclass
class _Index:
    """A page's non-subtopic entries by subject key and by English name / abbreviation."""

    by_key: dict[str, Entry] = field(default_factory=dict)
    by_name: dict[str, Entry] = field(default_factory=dict)


def _find_or_add(page: TopicPage, index: _Index, p: Placement, by_section: dict[int, Entry]) -> Entry:
    if p.subtopic:
        for entry in page.entries:
            if entry.subtopic == p.subtopic:
                return entry
        sub = page.topic.subtopic(p.subtopic)
        assert sub is not None
        entry = Entry(page.topic.id, f"sub:{sub.id}", sub.title, sub.id, sub.id)
        page.entries.append(entry)
        return entry
    heading = p.unit.section.heading
    assert heading is not None
    key = core(heading.title)
    # Exact subject first through the page's index; the fuzzy scan only when that misses.
    found = index.by_key.get(key) or index.by_name.get(heading.english.lower() or "\0") \
        or index.by_name.get(heading.abbr or "\0")
    if found is None and len(key) >= 4 and index.by_key:
        best = process.extractOne(key, list(index.by_key), scorer=fuzz.ratio, score_cutoff=90)
        found = index.by_key[best[0]] if best else None
    if found is None:
        found = Entry(page.topic.id, key, heading.title, "")
        parent = _parent_entry(p, by_section, page)
        (parent.children if parent else page.entries).append(found)
    index.by_key.setdefault(key, found)
    for name in (heading.english.lower(), heading.abbr):
        if name:
            index.by_name.setdefault(name, found)
    return found


def _parent_entry(p: Placement, by_section: dict[int, Entry], page: TopicPage) -> Entry | None:
    """The entry of the nearest ancestor section placed on the same page (not the intro)."""
    for ancestor in reversed(p.unit.path):
        entry = by_section.get(id(ancestor))
        if entry is not None:
            if entry is page.intro or entry.subtopic is not None:
                return None
            return entry if entry in page.entries else None
    return None


def _finish(page: TopicPage) -> None:
    # Subtopic entries follow the taxonomy's order; the rest keep first-appearance order.
    order = {s.id: i for i, s in enumerate(page.topic.subtopics)}
    page.entries.sort(key=lambda e: (0, order[e.subtopic]) if e.subtopic else (1, 0))
    used = {page.topic.slug}
    for entry in page.all_entries():
        entry.placements.sort(key=lambda p: (-_size(p), p.unit.note, _line(p.unit.section)))
        if entry is page.intro:
            continue
        if entry.subtopic is None:
            entry.title = _canonical_title(entry)
            entry.anchor = slugify(entry.title)
        else:
            entry.title = _subtopic_title(entry, page.topic)
        base, n = entry.anchor, 2
        while entry.anchor in used:
            entry.anchor = f"{base}-{n}"
            n += 1
        used.add(entry.anchor)


def _line(section: Section) -> int:
    if section.heading:
        return section.heading.span.start
    return section.blocks[0].span.start if section.blocks else 0


def _subtopic_title(entry: Entry, topic: Topic) -> str:
    """The notes' own heading when two or more notes agree on it, else the taxonomy's.

    Either way the English name / abbreviation from the taxonomy title is kept.
    """
    sub = topic.subtopic(entry.subtopic or "")
    assert sub is not None
    notes_by_core: dict[str, set[str]] = {}
    shown: dict[str, str] = {}
    for p in entry.placements:
        h = p.unit.section.heading
        if h is None:
            continue
        c = core(h.title)
        notes_by_core.setdefault(c, set()).add(p.unit.note)
        shown.setdefault(c, re.sub(r"[（(][^（）()]*[)）]", "", h.title).strip())
    agreed = [c for c, notes in notes_by_core.items() if len(notes) >= 2]
    if not agreed:
        return sub.title
    best = max(agreed, key=lambda c: (len(notes_by_core[c]), len(c), c))
    gloss = re.search(r"（[^（）]*）", sub.title)
    return normalize_inline(shown[best] + (gloss.group(0) if gloss else ""))


def _canonical_title(entry: Entry) -> str:
    """The fullest heading used for this subject, with English name / abbreviation added."""
    headings = [p.unit.section.heading for p in entry.placements if p.unit.section.heading]
    titles = sorted({h.title for h in headings}, key=lambda t: (-len(core(t)), t))
    title = titles[0] if titles else entry.title
    english = next((h.english for h in headings if h.english), "")
    abbr = next((h.abbr for h in headings if h.abbr), "")
    if english and english.lower() not in title.lower():
        title = f"{title}（{english}{'，' + abbr if abbr else ''}）"
    elif abbr and abbr not in title:
        title = f"{title}（{abbr}）"
    return normalize_inline(title)
