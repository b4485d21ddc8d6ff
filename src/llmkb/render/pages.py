"""Topic pages, the sources and coverage pages, the home page and the nav."""

from __future__ import annotations

import json
import posixpath
from collections import Counter, defaultdict

from ..models import CODE_RULES, Entry, Layout, NoteDoc, Page, Span
from .markdown import front_matter, heading, md_text, render_blocks
from .provenance import LineStatus
from .sources import SOURCES_PAGE, SourceIndex

COVERAGE_PAGE = "coverage.md"
TAGS_PAGE = "tags.md"
ASSET_DIR = "assets/notes/"


def rel(from_page: str, target: str) -> str:
    """A link from one generated page to another docs-relative file."""
    return posixpath.relpath(target, posixpath.dirname(from_page) or ".")


def render_page(page: Page, layout: Layout, sources: SourceIndex, tags: list[str], lead: str = "",
                hide: tuple[str, ...] = ()) -> str:
    """One page of the topic tree: its title and text, what lies below it, its sections
    (``hide``: Material's sidebars left out, for a page whose lead is a wide table)."""
    up = rel(page.path, ".") + "/" if "/" in page.path else ""

    def cite(spans: list[Span]) -> str:
        return sources.cite(spans, up)

    head = page.items[0]
    parts = [front_matter(page.title, page.description, tags, hide), heading(1, page.title, head.anchor), lead]
    intro = render_blocks(head.entry.blocks, cite, up + ASSET_DIR)
    listing = _listing(page, layout)
    shown: set[str] = set()
    parts.append(_heading_links(head.entry, shown))
    parts.append(intro or ("" if listing or len(page.items) > 1 else f"*{page.description}*"))
    parts.append(listing)
    for item in page.items[1:]:
        parts.append(heading(item.level, item.title, item.anchor))
        parts.append(_heading_links(item.entry, shown))
        parts.append(render_blocks(item.entry.blocks, cite, up + ASSET_DIR))
    return "\n\n".join(p for p in parts if p) + "\n"


def _heading_links(entry: Entry, shown: set[str]) -> str:
    """Links the notes wrote into these sections' headings ("### [Sega 诉 Accolade](https://…)"),
    and into the headings of empty sections above them, each once per page."""
    links = []
    for p in entry.placements:
        headings = [s.heading for s in p.unit.path if s.heading is not None and not s.blocks and s.level > 0]
        if not p.unit.is_preamble:
            headings.append(p.unit.section.heading)
        for h in headings:
            if h is not None and h.origin_url:
                link = f"[{md_text(h.title)}]({h.origin_url})"
                if link not in shown:
                    shown.add(link)
                    links.append(link)
    return ("链接：" + "、".join(links)) if links else ""


def _listing(page: Page, layout: Layout) -> str:
    """What lies below a page: its pages (one line each) and its small nodes' sections."""
    lines = []
    for child in page.children:
        target = layout.page(child)
        description = f"：{target.description}" if target.description else ""
        lines.append(f"- [{md_text(target.title)}]({rel(page.path, child)}){description}")
    if not lines:
        return ""
    return "本节包含：\n\n" + "\n".join(lines)


def entry_has_content(entry: Entry) -> bool:
    return bool(entry.blocks) or any(entry_has_content(c) for c in entry.children)


def block_locations(layout: Layout) -> dict[Span, tuple[str, str, str]]:
    """Span of each block that is on a page → (page file, heading anchor, node)."""
    where: dict[Span, tuple[str, str, str]] = {}
    for page in layout.pages:
        for item in page.items:
            for block in item.entry.blocks:
                where[block.span] = (page.path, item.anchor, item.node)
    return where


def render_sources_page(docs: list[NoteDoc], sources: SourceIndex,
                        statuses: dict[str, list[LineStatus]],
                        topics_by_note: dict[str, list[tuple[str, str]]]) -> str:
    parts = [front_matter("来源", "本知识库所依据的笔记：出处、参考文献、供稿的主题与被移除的内容。",
                          ["来源"]),
             heading(1, "来源", "sources"),
             "知识库中的每段文字都标注了来源笔记的编号（如 [1]），点击即可来到这里。"
             "被规则移除的内容只列出行号与规则名，不再转载原文。"]
    for doc in docs:
        n = sources.number[doc.path]
        parts.append(heading(2, f"[{n}] {sources.title[doc.path]}", sources.anchor[doc.path]))
        rows = [f"- 文件：`{doc.path}`（{doc.encoding}）"]
        if doc.attribution.origin_url:
            rows.append(f"- 出处：<{doc.attribution.origin_url}>")
        fed = topics_by_note.get(doc.path, [])
        if fed:
            rows.append("- 供稿主题：" + "、".join(f"[{title}]({page})" for title, page in fed))
        parts.append("\n".join(rows))
        if doc.attribution.references:
            parts.append("**参考文献**\n\n" + "\n".join(
                f"{i}. {ref}" for i, ref in enumerate(doc.attribution.references, 1)))
        removed = [s for s in statuses[doc.path] if s.status in ("removed", "empty")]
        if removed:
            by_rule: dict[str, list[str]] = defaultdict(list)
            for s in removed:
                rule = s.rule if s.status == "removed" else "empty-section"
                by_rule[rule].append(s.lines_label())
            parts.append("**移除的内容**（仅列行号）\n\n" + "\n".join(
                f"- `{rule}`：第 {', '.join(lines)} 行" for rule, lines in sorted(by_rule.items())))
    return "\n\n".join(parts) + "\n"


def render_coverage_page(docs: list[NoteDoc], sources: SourceIndex,
                         statuses: dict[str, list[LineStatus]]) -> str:
    parts = [front_matter("覆盖率", "每篇笔记的每一个非空行去了哪里：保留、合并、按规则移除或是空章节。",
                          ["来源"]),
             heading(1, "覆盖率", "coverage"),
             "每篇笔记的每个非空行都有去处：**保留**（出现在某个主题页）、**合并**（同样的内容已由另一篇笔记给出）、"
             "**移除**（被某条命名规则删除，如转载声明）或**空章节**（只有标题没有内容）。"
             "完整的逐行记录见 [provenance.json](provenance.json)。",
             "| 笔记 | 非空行 | 保留 | 合并 | 移除 | 空章节 | 移除规则 |\n"
             "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    rows = []
    for doc in docs:
        counts: Counter[str] = Counter()
        rules: Counter[str] = Counter()
        for s in statuses[doc.path]:
            nonblank = s.nonblank
            counts[s.status] += nonblank
            if s.status == "removed":
                rules[s.rule] += nonblank
        total = sum(counts.values())
        rule_text = "、".join(f"`{r}` {c}" for r, c in sorted(rules.items())) or "—"
        rows.append(f"| [[{sources.number[doc.path]}]]({SOURCES_PAGE}#{sources.anchor[doc.path]}) "
                    f"`{doc.name}` | {total} | {counts['kept']} | {counts['merged']} | "
                    f"{counts['removed']} | {counts['empty']} | {rule_text} |")
    parts[-1] += "\n" + "\n".join(rows)
    parts.extend(_removal_rules(docs, statuses))
    return "\n\n".join(parts) + "\n"


def _removal_rules(docs: list[NoteDoc], statuses: dict[str, list[LineStatus]]) -> list[str]:
    """Each removal rule that removed something: what it removes, its non-blank lines and notes."""
    lines: Counter[str] = Counter()
    notes: dict[str, set[str]] = defaultdict(set)
    for path, records in statuses.items():
        for s in records:
            if s.status == "removed" and s.nonblank:
                lines[s.rule] += s.nonblank
                notes[s.rule].add(path)
    if not lines:
        return []
    described = {r.rule: r.detail for doc in docs for r in doc.removals if r.detail}
    rows = [f"| `{rule}` | {md_text(described.get(rule) or CODE_RULES.get(rule, ''))} | {count} | "
            f"{len(notes[rule])} |" for rule, count in sorted(lines.items(), key=lambda kv: (-kv[1], kv[0]))]
    return [heading(2, "移除规则", "removal-rules"),
            "每条命名规则移除的非空行数与涉及的笔记数。规则文件 `data/boilerplate.yaml` 中的规则可以调整；"
            "其余规则写在代码里，各有测试。",
            "| 规则 | 移除的内容 | 行 | 笔记 |\n| --- | --- | ---: | ---: |\n" + "\n".join(rows)]


def render_index(layout: Layout, docs: list[NoteDoc], extra_pages: list[tuple[str, str, str]]) -> str:
    parts = [front_matter("大语言模型知识库", "中文大语言模型（LLM）笔记整理而成的离线知识库。", [],
                          hide=("navigation", "toc")),
             heading(1, "大语言模型知识库", "home"),
             f"这里把 {len(docs)} 篇关于大语言模型（LLM）的中文笔记整理成一个去重、分主题、可离线浏览的知识库："
             "每个事实只出现一次，采用最完整的表述，并标注出自哪篇笔记。",
             heading(2, "主题", "topics"),
             "| 主题 | 内容 |\n| --- | --- |\n" + "\n".join(
                 f"| [{md_text(p.title)}]({p.path}) | {p.description} |" for p in layout.tops()
             ) + "\n" + "\n".join(f"| [{title}]({page}) | {desc} |" for title, page, desc in extra_pages),
             # The example queries below must not compete with the sections they find.
             heading(2, "如何搜索", "how-to-search data-search-exclude"),
             "按 ++slash++ 或点击右上角的搜索框，直接输入中文词语或问题，例如“涌现能力”“上下文学习”“如何减轻幻觉”；"
             "英文名和缩写同样可以，如 In-Context Learning、ICL、CoT、RLHF。"
             "搜索完全在本地运行，断网或直接双击打开 `site/index.html` 也能使用。",
             heading(2, "来源与可追溯性", "provenance"),
             "每段文字末尾的编号（如 [1]）指向[来源](sources.md)页上的笔记；"
             f"[覆盖率]({COVERAGE_PAGE})页统计每篇笔记的每一行是保留、合并还是按规则移除。"]
    return "\n\n".join(parts) + "\n"


def topics_fed(layout: Layout) -> dict[str, list[tuple[str, str]]]:
    """Note → the top-level pages (title, path) its text is on."""
    fed: dict[str, set[str]] = defaultdict(set)
    top_of: dict[str, Page] = {}
    for page in layout.pages:
        top = page
        while top.parent is not None:
            top = layout.page(top.parent)
        top_of[page.path] = top
        for item in page.items:
            for block in item.entry.blocks:
                for span in block.sources:
                    fed[span.file].add(top.path)
    order = {p.path: i for i, p in enumerate(layout.pages)}
    return {note: [(layout.page(p).title, p) for p in sorted(paths, key=order.__getitem__)]
            for note, paths in fed.items()}


def nav_yaml(layout: Layout, extra: list[tuple[str, str]]) -> str:
    """The nav, nested like the pages: a folder's index page first (navigation.indexes)."""
    lines = ["# Generated by llmkb from the topic tree; do not edit.", "nav:", "  - 首页: index.md"]

    def add(page: Page, indent: str) -> None:
        title = json.dumps(page.title, ensure_ascii=False)
        if not page.children:
            lines.append(f"{indent}- {title}: {page.path}")
            return
        lines.append(f"{indent}- {title}:")
        lines.append(f"{indent}    - {page.path}")
        for child in page.children:
            add(layout.page(child), indent + "    ")

    for top in layout.tops():
        add(top, "  ")
    for title, page in extra:
        lines.append(f"  - {json.dumps(title, ensure_ascii=False)}: {page}")
    return "\n".join(lines) + "\n"
