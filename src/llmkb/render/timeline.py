"""The timeline page (发展时间线): dated events in chronological order, grouped by year."""

from __future__ import annotations

import posixpath

from ..models import Catalog, DateValue, Event
from .markdown import front_matter, heading, href, link_title, md_text, place_label
from .sources import SourceIndex

TIMELINE_PAGE = "timeline.md"


def _group_label(d: DateValue) -> tuple[str, str]:
    if d.decade:
        return d.label().replace("左右", ""), f"y{d.year}s"
    return f"{d.year} 年", f"y{d.year}"


def render_timeline(events: list[Event], catalog: Catalog, sources: SourceIndex,
                    page: str = TIMELINE_PAGE) -> str:
    rows = {r.group: r for r in catalog.rows}
    parts = [front_matter("发展时间线", "笔记中提到的大语言模型发展事件，按时间排列。", ["发展时间线"]),
             heading(1, "发展时间线", "timeline"),
             f"笔记中带日期的 {len(events)} 个事件，按时间先后排列：只有年份的事件排在该年各月之前，"
             "“左右”表示笔记给出的是大致时间。每条事件后面是它所在的段落和来源笔记的编号。"]
    current = ""
    items: list[str] = []
    row_page = posixpath.relpath(catalog.page, posixpath.dirname(page) or ".")
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
            tip = link_title("模型目录：" + row.name)
            who = f'[{md_text(row.name)}]({row_page}#{row.anchor} "{tip}")：'
        place = e.evidence.sentence.place
        where = f"[{md_text(place_label(place))}]({href(place, page)})"
        items.append(f"- **{md_text(e.date.label())}** · {who}{md_text(e.description)}"
                     f"（{where}）{sources.cite(list(e.evidence.sentence.spans))}")
    if items:
        parts.append("\n".join(items))
    return "\n\n".join(parts) + "\n"
