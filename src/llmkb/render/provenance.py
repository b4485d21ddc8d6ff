"""The provenance map: for every line of every note, where it went and why.

Statuses: ``kept`` (on a page, under a heading anchor), ``merged`` (said by another
block; page/anchor of that block), ``removed`` (by a named rule) and ``empty`` (a
heading with nothing under it). Consecutive lines with the same fate form one record.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import KnowledgeBase, NoteDoc, Section, Span


@dataclass
class LineStatus:
    file: str
    start: int
    end: int
    status: str
    page: str = ""
    anchor: str = ""
    node: str = ""  # the topic-tree node of the section the lines are in (where they are now)
    rule: str = ""
    nonblank: int = 0  # non-blank source lines in the range
    # Kept lines some of whose sentences merged into text elsewhere: those places (page#anchor).
    also: tuple[str, ...] = ()

    def as_json(self) -> dict:
        out: dict = {"file": self.file, "start": self.start, "end": self.end,
                     "status": self.status}
        if self.status in ("kept", "merged"):
            out["page"] = self.page
            out["anchor"] = self.anchor
            if self.node:
                out["node"] = self.node
            if self.also:
                out["also"] = list(self.also)
        if self.status == "removed":
            out["rule"] = self.rule
        return out

    def lines_label(self) -> str:
        return str(self.start) if self.start == self.end else f"{self.start}–{self.end}"


Fate = tuple[str, str, str, str, str, tuple[str, ...]]  # status, page, anchor, node, rule, also
Location = tuple[str, str, str]  # page, anchor, node


def build_provenance(kb: KnowledgeBase, locations: dict[Span, Location], *,
                     sources_anchor: dict[str, str], sources_page: str) -> dict[str, list[LineStatus]]:
    merge_target: dict[Span, Location] = {}
    into = {record.span: record.into for record in kb.merges}
    for record in kb.merges:
        target = _located(record.span, into, locations)
        if target is not None:
            merge_target[record.span] = target
    section_loc = _section_locations(kb, locations, merge_target)
    also = _partly_merged(kb, locations, into)
    out: dict[str, list[LineStatus]] = {}
    for doc in kb.docs:
        fate: dict[int, Fate] = {}

        def claim(start: int, end: int, f: Fate, fate=fate) -> None:
            for line in range(start, end + 1):
                fate.setdefault(line, f)

        for removal in doc.removals:
            claim(removal.span.start, removal.span.end, ("removed", "", "", "", removal.rule, ()))
        for span in doc.reference_spans:
            claim(span.start, span.end, ("kept", sources_page, sources_anchor[doc.path], "", "", ()))
        for section in doc.root.walk():
            for block in section.blocks:
                loc = locations.get(block.span)
                if loc:
                    claim(block.span.start, block.span.end, ("kept", *loc, "", also.get(block.span, ())))
                else:
                    target = merge_target.get(block.span)
                    if target:
                        claim(block.span.start, block.span.end, ("merged", *target, "", ()))
            if section.heading is not None:
                h = section.heading.span
                if section is doc.root:
                    claim(h.start, h.end, ("kept", sources_page, sources_anchor[doc.path], "", "", ()))
                elif section.is_empty():
                    claim(h.start, h.end, ("empty", "", "", "", "", ()))
                else:
                    loc = section_loc.get(id(section))
                    if loc:
                        claim(h.start, h.end, (*loc, "", ()))
        for line in sorted(doc.nonblank_lines):
            fate.setdefault(line, ("removed", "", "", "", "unaccounted", ()))
        out[doc.path] = _ranges(doc, fate)
    return out


def _partly_merged(kb: KnowledgeBase, locations: dict[Span, Location],
                   into: dict[Span, tuple[Span, ...]]) -> dict[Span, tuple[str, ...]]:
    """Kept blocks some of whose sentences now live in another block on another page: those
    places, so that a reader (and a check) finds every sentence of a kept line."""
    places: dict[Span, set[str]] = {}
    for merge in kb.audit:
        if merge.source == merge.target or merge.source not in locations:
            continue
        target = locations.get(merge.target) or _located(merge.target, into, locations)
        if target is not None and target[:2] != locations[merge.source][:2]:
            places.setdefault(merge.source, set()).add(f"{target[0]}#{target[1]}")
    return {span: tuple(sorted(p)) for span, p in places.items()}


def _located(span: Span, into: dict[Span, tuple[Span, ...]], locations: dict[Span, Location]) -> Location | None:
    """Where the text of a merged block is now: the first block it merged into that is on a
    page, following merges of merges (breadth first, each span once)."""
    queue, seen = list(into.get(span, ())), {span}
    while queue:
        current = queue.pop(0)
        if current in seen:
            continue
        seen.add(current)
        if current in locations:
            return locations[current]
        queue.extend(into.get(current, ()))
    return None


def _section_locations(kb: KnowledgeBase, locations: dict[Span, Location],
                       merge_target: dict[Span, Location]) -> dict[int, tuple[str, str, str, str]]:
    """Where a section's heading went: where its first block (or descendant's) went; a placed
    section's heading keeps the node it was placed on."""
    result: dict[int, tuple[str, str, str, str]] = {}

    def first_fate(section: Section) -> tuple[str, str, str, str] | None:
        for block in section.blocks:
            loc = locations.get(block.span)
            if loc:
                return ("kept", *loc)
        for block in section.blocks:
            target = merge_target.get(block.span)
            if target:
                return ("merged", *target)
        for child in section.children:
            got = first_fate(child)
            if got:
                return got
        return None

    # A heading is where its own text is; placed sections use their entry's anchor.
    for placement in kb.placements:
        section = placement.unit.section
        got = first_fate(section)
        if got:
            result[id(section)] = (*got[:3], placement.node)
    for doc in kb.docs:
        for section in doc.root.walk():
            if id(section) not in result:
                got = first_fate(section)
                if got:
                    result[id(section)] = got
    return result


def _ranges(doc: NoteDoc, fate: dict[int, Fate]) -> list[LineStatus]:
    records: list[LineStatus] = []
    for line in sorted(fate):
        status, page, anchor, node, rule, also = fate[line]
        nonblank = 1 if line in doc.nonblank_lines else 0
        last = records[-1] if records else None
        if last and last.end == line - 1 and (last.status, last.page, last.anchor, last.node, last.rule,
                                              last.also) == (status, page, anchor, node, rule, also):
            last.end = line
            last.nonblank += nonblank
            continue
        records.append(LineStatus(doc.path, line, line, status, page, anchor, node, rule, nonblank, also))
    return records
