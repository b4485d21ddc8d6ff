"""Extract: model catalog, glossary and timeline from the deduplicated knowledge base.

(Interface only for now; the extractors are being written. ``extract_all`` returns the
extra pages and the terms/abbreviations that feed search and tooltips.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..diagnostics import Reporter


@dataclass
class ExtractResult:
    # Extra generated pages: docs-relative path -> Markdown; nav entries (title, path) in order.
    pages: dict[str, str] = field(default_factory=dict)
    nav: list[tuple[str, str, str]] = field(default_factory=list)  # (title, path, description)
    # Markdown inserted at the top of the model catalog page (the table), under its H1.
    catalog_table: str = ""
    abbreviations: dict[str, str] = field(default_factory=dict)  # ABBR -> 中文（English）
    terms: list[str] = field(default_factory=list)  # domain words for jieba


def extract_all(kb, reporter: Reporter) -> ExtractResult:
    return ExtractResult()
