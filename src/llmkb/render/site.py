"""Every generated file of docs/: topic pages, catalog, glossary, timeline, sources, coverage,
provenance, nav and the search assets — made from the knowledge base alone."""

from __future__ import annotations

import json
from pathlib import Path

from ..models import CATALOG_TOPIC, KnowledgeBase
from .catalog import MentionLinker, catalog_table
from .glossary import ABBREVIATIONS, GLOSSARY_PAGE, abbreviations_md, render_glossary
from .markdown import front_matter, heading
from .pages import (
    ASSET_DIR,
    COVERAGE_PAGE,
    TAGS_PAGE,
    block_locations,
    nav_yaml,
    page_has_content,
    render_coverage_page,
    render_index,
    render_sources_page,
    render_topic_page,
    topics_fed,
)
from .provenance import LineStatus, build_provenance
from .search_assets import JIEBA_DICT, jieba_user_dict, search_assets
from .sources import SOURCES_PAGE, SourceIndex
from .timeline import TIMELINE_PAGE, render_timeline

# Pages made from extraction, in nav order: (title, page, description).
EXTRACTED_PAGES = [("术语表", GLOSSARY_PAGE, "笔记中定义的术语：中文名、英文名、缩写与释义。"),
                   ("发展时间线", TIMELINE_PAGE, "笔记中提到的发展事件，按时间先后排列。")]


def render_site(kb: KnowledgeBase, notes_dir: Path) -> dict[str, str | bytes]:
    """Every generated file of docs/, as relative path → content."""
    extraction = kb.extraction
    sources = SourceIndex(kb.docs)
    locations = block_locations(kb.pages)
    statuses = build_provenance(kb, locations, sources_anchor=sources.anchor, sources_page=SOURCES_PAGE)
    files: dict[str, str | bytes] = {}
    leads = {CATALOG_TOPIC: catalog_table(extraction.catalog)}
    shown = [p for p in kb.pages if page_has_content(p) or leads.get(p.topic.id)]
    # First mention of a model → its catalog row, only when there is a catalog to link to.
    link = MentionLinker(extraction.catalog) if any(p.topic.id == CATALOG_TOPIC for p in shown) else None
    for page in shown:
        text = render_topic_page(page, sources, leads.get(page.topic.id, ""))
        files[page.topic.page] = link(text, page.topic.page) if link else text
    files[GLOSSARY_PAGE] = render_glossary(extraction.glossary, sources)
    files[TIMELINE_PAGE] = render_timeline(extraction.timeline, extraction.catalog, sources)
    extra_pages = [*EXTRACTED_PAGES,
                   ("来源", SOURCES_PAGE, "每篇笔记的出处、参考文献与被移除的内容。"),
                   ("覆盖率", COVERAGE_PAGE, "每篇笔记每一行的去向统计。")]
    files[SOURCES_PAGE] = render_sources_page(kb.docs, sources, statuses, topics_fed(kb.pages))
    files[COVERAGE_PAGE] = render_coverage_page(kb.docs, sources, statuses)
    files["index.md"] = render_index(shown, kb.docs, extra_pages)
    # Material's tags plugin lists every tag and its pages where this marker stands.
    files[TAGS_PAGE] = (front_matter("标签", "按标签浏览所有页面。", []) + "\n"
                        + heading(1, "标签", "tags") + "\n\n<!-- material/tags -->\n")
    files[".nav.yml"] = nav_yaml(shown, [*((t, p) for t, p, _ in extra_pages), ("标签", TAGS_PAGE)])
    files["provenance.json"] = provenance_json(statuses)
    for doc in kb.docs:
        for rel in doc.images:
            files[ASSET_DIR + rel] = (notes_dir / rel).read_bytes()
    files[JIEBA_DICT] = jieba_user_dict(kb)
    files[ABBREVIATIONS] = abbreviations_md(extraction.abbreviations)
    files.update(search_assets(kb, [p for _, p, _ in EXTRACTED_PAGES], files))
    return files


def provenance_json(statuses: dict[str, list[LineStatus]]) -> str:
    blocks = []
    for note in sorted(statuses):
        for s in statuses[note]:
            blocks.append(s.as_json())
    return json.dumps({"blocks": blocks}, ensure_ascii=False, indent=1) + "\n"
