"""Every generated file of docs/: topic pages, catalog, glossary, timeline, sources, coverage,
provenance, nav and the search assets — made from the knowledge base alone."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from ..diagnostics import Reporter
from ..models import CATALOG_TOPIC, KnowledgeBase, Layout, Page
from .catalog import MentionLinker, catalog_table
from .data import CATALOG_JSON, GLOSSARY_JSON, catalog_json, glossary_json
from .glossary import ABBREVIATIONS, GLOSSARY_PAGE, abbreviations_md, render_glossary
from .links import check_links
from .markdown import front_matter, heading
from .memo import RenderMemo, digest
from .pages import (
    ASSET_DIR,
    COVERAGE_PAGE,
    TAGS_PAGE,
    block_locations,
    nav_yaml,
    render_coverage_page,
    render_index,
    render_page,
    render_sources_page,
    topics_fed,
)
from .provenance import LineStatus, build_provenance
from .report import REPORT_PAGE, REPORT_TITLE, render_report
from .search_assets import JIEBA_DICT, jieba_user_dict, search_assets
from .sources import SOURCES_PAGE, SourceIndex
from .timeline import TIMELINE_PAGE, render_timeline

# Pages made from extraction, in nav order: (title, page, description).
EXTRACTED_PAGES = [("术语表", GLOSSARY_PAGE, "笔记中定义的术语：中文名、英文名、缩写与释义。"),
                   ("发展时间线", TIMELINE_PAGE, "笔记中提到的发展事件，按时间先后排列。")]


def render_site(kb: KnowledgeBase, notes_dir: Path, reporter: Reporter | None = None,
                accepted: Iterable[str] = (), memo: RenderMemo | None = None) -> dict[str, str | bytes]:
    """Every generated file of docs/, as relative path → content.

    ``reporter`` holds the build's warnings: the 构建报告 page lists them (``accepted``: the
    expected kinds the build accepts), and a link this function could not resolve adds one.
    ``memo``: answers per page and per text from an earlier build (the build cache)."""
    reporter = reporter if reporter is not None else Reporter()
    memo = memo if memo is not None else RenderMemo()
    extraction = kb.extraction
    layout = kb.layout
    sources = SourceIndex(kb.docs)
    statuses = build_provenance(kb, block_locations(layout), sources_anchor=sources.anchor,
                                sources_page=SOURCES_PAGE)
    files: dict[str, str | bytes] = {}
    catalog_page = layout.node_page(CATALOG_TOPIC)
    leads = {catalog_page: catalog_table(extraction.catalog)} if catalog_page else {}
    # First mention of a model → its catalog row, only when there is a catalog to link to.
    link = MentionLinker(extraction.catalog) if catalog_page else None
    for page in layout.pages:
        # The catalog's seven columns need the width of the left sidebar (the tabs still lead
        # everywhere); its sections keep their table of contents.
        hide = ("navigation",) if page.path in leads else ()
        text = render_page(page, layout, sources, [_top(layout, page).title], leads.get(page.path, ""), hide)
        if link is not None:
            key = (link.signature, page.path, digest(text))
            text = memo.answer("linked", key, lambda link=link, text=text, path=page.path: link(text, path))
        files[page.path] = text
    files[GLOSSARY_PAGE] = render_glossary(extraction.glossary, sources)
    files[CATALOG_JSON] = catalog_json(extraction.catalog)
    files[GLOSSARY_JSON] = glossary_json(extraction.glossary, GLOSSARY_PAGE)
    files[TIMELINE_PAGE] = render_timeline(extraction.timeline, extraction.catalog, sources)
    extra_pages = [*EXTRACTED_PAGES,
                   ("来源", SOURCES_PAGE, "每篇笔记的出处、参考文献与被移除的内容。"),
                   ("覆盖率", COVERAGE_PAGE, "每篇笔记每一行的去向统计。"),
                   (REPORT_TITLE, REPORT_PAGE, "本次构建的全部警告，按种类分组。")]
    files[SOURCES_PAGE] = render_sources_page(kb.docs, sources, statuses, topics_fed(layout))
    files[COVERAGE_PAGE] = render_coverage_page(kb.docs, sources, statuses)
    files["index.md"] = render_index(layout, kb.docs, extra_pages)
    # Material's tags plugin lists every tag and its pages where this marker stands.
    files[TAGS_PAGE] = (front_matter("标签", "按标签浏览所有页面。", []) + "\n"
                        + heading(1, "标签", "tags") + "\n\n<!-- material/tags -->\n")
    files[".nav.yml"] = nav_yaml(layout, [*((t, p) for t, p, _ in extra_pages), ("标签", TAGS_PAGE)])
    files["provenance.json"] = provenance_json(statuses)
    for doc in kb.docs:
        for rel in doc.images:
            files[ASSET_DIR + rel] = (notes_dir / rel).read_bytes()
    files[JIEBA_DICT] = jieba_user_dict(kb)
    files[ABBREVIATIONS] = abbreviations_md(extraction.abbreviations)
    files[REPORT_PAGE] = ""  # a page other pages link to; written last, with every warning
    # Every link resolves before anything is written (a repair is itself a warning).
    files.update(check_links(files, reporter))
    files.update(search_assets(kb, [p for _, p, _ in EXTRACTED_PAGES], files, memo))
    files[REPORT_PAGE] = render_report(reporter.items, accepted)
    return files


def _top(layout: Layout, page: Page) -> Page:
    while page.parent is not None:
        page = layout.page(page.parent)
    return page


def provenance_json(statuses: dict[str, list[LineStatus]]) -> str:
    blocks = []
    for note in sorted(statuses):
        for s in statuses[note]:
            blocks.append(s.as_json())
    return json.dumps({"blocks": blocks}, ensure_ascii=False, indent=1) + "\n"
