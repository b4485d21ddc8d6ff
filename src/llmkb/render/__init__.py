"""Render: the knowledge base → Markdown pages, provenance map and search assets for docs/.

Render reads a `KnowledgeBase` and writes nothing but text: it never runs a stage.
"""

from .memo import RenderMemo
from .site import render_site

__all__ = ["RenderMemo", "render_site"]
