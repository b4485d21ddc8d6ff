"""Topic pages, the sources and coverage pages, the home page and the nav."""

from __future__ import annotations

import json
from collections import Counter, defaultdict

from ..models import Entry, NoteDoc, Span, TopicPage
from .markdown import front_matter, heading, render_blocks
from .provenance import LineStatus
from .sources import SOURCES_PAGE, SourceIndex

COVERAGE_PAGE = "coverage.md"
TAGS_PAGE = "tags.md"
ASSET_DIR = "assets/notes/"


def render_topic_page(page: TopicPage, sources: SourceIndex, lead: str = "") -> str:
    topic = page.topic
    tags = [topic.title]
    parts = [front_matter(topic.title, topic.description, tags),
             heading(1, topic.title, topic.slug), lead]
    intro = render_blocks(page.intro.blocks, sources.cite, ASSET_DIR)
    parts.append(intro or f"*{topic.description}*")
    for entry in page.entries:
        parts.extend(_render_entry(entry, 2, sources))
    return "\n\n".join(p for p in parts if p) + "\n"


def entry_has_content(entry: Entry) -> bool:
    return bool(entry.blocks) or any(entry_has_content(c) for c in entry.children)


def _render_entry(entry: Entry, level: int, sources: SourceIndex) -> list[str]:
    if not entry_has_content(entry):
        return []
    out = [heading(min(level, 4), entry.title, entry.anchor)]
    body = render_blocks(entry.blocks, sources.cite, ASSET_DIR)
    if body:
        out.append(body)
    for child in entry.children:
        out.extend(_render_entry(child, level + 1, sources))
    return out


def block_locations(pages: list[TopicPage]) -> dict[Span, tuple[str, str]]:
    """Span of each block that is on a page → (page file, heading anchor)."""
    where: dict[Span, tuple[str, str]] = {}
    for page in pages:
        for entry in page.all_entries():
            anchor = entry.anchor if entry is not page.intro else page.topic.slug
            for block in entry.blocks:
                where[block.span] = (page.topic.page, anchor)
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
    return "\n\n".join(parts) + "\n"


def render_index(pages: list[TopicPage], docs: list[NoteDoc], extra_pages: list[tuple[str, str, str]]
                 ) -> str:
    parts = [front_matter("大语言模型知识库", "中文大语言模型（LLM）笔记整理而成的离线知识库。", [],
                          hide=("navigation", "toc")),
             heading(1, "大语言模型知识库", "home"),
             f"这里把 {len(docs)} 篇关于大语言模型（LLM）的中文笔记整理成一个去重、分主题、可离线浏览的知识库："
             "每个事实只出现一次，采用最完整的表述，并标注出自哪篇笔记。",
             heading(2, "主题", "topics"),
             "| 主题 | 内容 |\n| --- | --- |\n" + "\n".join(
                 f"| [{p.topic.title}]({p.topic.page}) | {p.topic.description} |"
                 for p in pages
             ) + "\n" + "\n".join(f"| [{title}]({page}) | {desc} |"
                                  for title, page, desc in extra_pages),
             # The example queries below must not compete with the sections they find.
             heading(2, "如何搜索", "how-to-search data-search-exclude"),
             "按 ++slash++ 或点击右上角的搜索框，直接输入中文词语或问题，例如“涌现能力”“上下文学习”“如何减轻幻觉”；"
             "英文名和缩写同样可以，如 In-Context Learning、ICL、CoT、RLHF。"
             "搜索完全在本地运行，断网或直接双击打开 `site/index.html` 也能使用。",
             heading(2, "来源与可追溯性", "provenance"),
             "每段文字末尾的编号（如 [1]）指向[来源](sources.md)页上的笔记；"
             f"[覆盖率]({COVERAGE_PAGE})页统计每篇笔记的每一行是保留、合并还是按规则移除。"]
    return "\n\n".join(parts) + "\n"


def page_has_content(page: TopicPage) -> bool:
    return bool(page.intro.blocks) or any(entry_has_content(e) for e in page.entries)


def topics_fed(pages: list[TopicPage]) -> dict[str, list[tuple[str, str]]]:
    fed: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for page in pages:
        notes: set[str] = set()
        for entry in page.all_entries():
            for block in entry.blocks:
                notes.update(s.file for s in block.sources)
        for note in sorted(notes):
            fed[note].append((page.topic.title, page.topic.page))
    return fed


def nav_yaml(pages: list[TopicPage], extra: list[tuple[str, str]]) -> str:
    lines = ["# Generated by llmkb from the topic taxonomy; do not edit.", "nav:",
             "  - 首页: index.md"]
    for p in pages:
        lines.append(f"  - {json.dumps(p.topic.title, ensure_ascii=False)}: {p.topic.page}")
    for title, page in extra:
        lines.append(f"  - {json.dumps(title, ensure_ascii=False)}: {page}")
    return "\n".join(lines) + "\n"
