"""Rendering blocks as Markdown for MkDocs (Python-Markdown + pymdown-extensions)."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable

from ..models import ASSET_SCHEME, Block, BlockKind, Evidence, Place, Span
from ..text import shield_math, shielded_parts, unshield

Cite = Callable[[list[Span]], str]
ADMONITION_TITLES = {"note": "注意", "tip": "提示", "warning": "警告", "important": "重要"}
# Blocks shown as the note wrote them, without a citation of their own.
_LITERAL = {BlockKind.CODE, BlockKind.MATH}


def front_matter(title: str, description: str, tags: list[str], hide: tuple[str, ...] = (),
                 search: bool = True) -> str:
    # JSON strings are valid YAML scalars, so any title or description stays one line.
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}",
             f"description: {json.dumps(description, ensure_ascii=False)}"]
    if not search:  # Material's search leaves the page out
        lines += ["search:", "  exclude: true"]
    if hide:
        lines.append("hide:")
        lines.extend(f"  - {h}" for h in hide)
    if tags:
        lines.append("tags:")
        lines.extend(f"  - {json.dumps(t, ensure_ascii=False)}" for t in tags)
    lines.append("---")
    return "\n".join(lines) + "\n"


def heading(level: int, title: str, anchor: str) -> str:
    return f"{'#' * level} {escape_heading(title)} {{#{anchor}}}"


def escape_heading(title: str) -> str:
    # A title ending in "#" or containing "{" would confuse ATX / attr_list parsing; a
    # formula's braces are TeX and stay.
    title, formulas = shield_math(title)
    title = title.replace("{", "\\{").replace("}", "\\}").rstrip("#").strip()
    return unshield(title, formulas)


def rewrite_assets(text: str, asset_prefix: str) -> str:
    return text.replace(f"]({ASSET_SCHEME}", f"]({asset_prefix}")


def render_blocks(blocks: list[Block], cite: Cite, asset_prefix: str = "assets/notes/") -> str:
    """Blocks in order; consecutive blocks of one list render as one list."""
    out: list[str] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.list_id:
            j = i
            while j < len(blocks) and blocks[j].list_id == block.list_id:
                j += 1
            out.append(_render_list(blocks[i:j], cite, asset_prefix))
            i = j
            continue
        out.append(render_block(block, cite, asset_prefix))
        i += 1
    return "\n\n".join(x for x in out if x.strip())


def _render_list(items: list[Block], cite: Cite, asset_prefix: str) -> str:
    lines: list[str] = []
    base = min(b.depth for b in items)
    prev = -1
    # One citation for the whole list when every item comes from the same notes.
    notes = {frozenset(s.file for s in b.sources) for b in items if b.kind not in _LITERAL}
    last_item = max((i for i, b in enumerate(items) if b.kind not in _LITERAL), default=-1)
    shared = len(notes) == 1
    for index, b in enumerate(items):
        # Dedup may have removed a parent item; never nest deeper than one level below the
        # previous item or Python-Markdown reads the line as code.
        depth = min(b.depth - base, prev + 1)
        indent = "    " * depth
        if b.kind in (BlockKind.CODE, BlockKind.MATH):
            # A block of its own inside the item before it (blank lines around it), indented as
            # that item's text: four more spaces would make the fence lines literal code.
            literal = _fence(b) if b.kind is BlockKind.CODE else formula(b.text)
            lines.append("\n" + _indent(literal, "    " * (prev + 1)) + "\n")
            continue
        prev = depth
        marker = "1." if b.ordered else "-"
        if not shared:
            citation = cite(b.sources)
        elif index == last_item:
            citation = cite([s for item in items for s in item.sources])
        else:
            citation = ""
        body = rewrite_assets(b.text, asset_prefix) + citation
        lines.append(f"{indent}{marker} " + body.replace("\n", "\n" + indent + "    "))
    return "\n".join(lines)


# A line of prose that would open a heading ("### Instruction:" of a prompt quoted in a
# paragraph): its "#" is escaped, the paragraph stays a paragraph.
_HEADING_START = re.compile(r"^( {0,3})(#{1,6})(?=\s|$)", re.M)


def render_block(block: Block, cite: Cite, asset_prefix: str = "assets/notes/") -> str:
    text = rewrite_assets(block.text, asset_prefix)
    if block.kind in (BlockKind.PARAGRAPH, BlockKind.QUOTE, BlockKind.ADMONITION):
        text = _HEADING_START.sub(r"\1\\\2", text)
    if block.kind is BlockKind.CODE:
        return _fence(block)
    if block.kind is BlockKind.MATH:
        return formula(block.text)
    if block.kind in (BlockKind.TABLE, BlockKind.HTML):  # HTML: a table kept as HTML
        return text + "\n\n" + cite(block.sources).strip()
    if block.kind is BlockKind.QUOTE:
        return "\n".join("> " + line for line in (text + cite(block.sources)).split("\n"))
    if block.kind is BlockKind.ADMONITION:
        kind = block.info or "note"
        body = _indent(text + cite(block.sources), "    ")
        return f'!!! {kind} "{ADMONITION_TITLES.get(kind, "注意")}"\n\n{body}'
    return text + cite(block.sources)


def _fence(block: Block) -> str:
    longest = max((len(m) for m in re.findall(r"`+", block.text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{block.info}\n{block.text}\n{fence}"


def formula(tex: str) -> str:
    """A display formula as pymdownx.arithmatex typesets it: a block of its own between ``$$``
    lines, no blank line inside (TeX ignores them; Markdown would end the block there)."""
    return "$$\n" + "\n".join(line for line in tex.split("\n") if line.strip()) + "\n$$"


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line.strip() else line for line in text.split("\n"))


# --------------------------------------------------------------------------- links to evidence


def href(place: Place, from_page: str) -> str:
    base = posixpath.dirname(from_page) or "."
    path = posixpath.relpath(place.page, base)
    return f"{path}#{place.anchor}"


def link_title(text: str) -> str:
    """Text made safe as a link's title (its tooltip): ``[x](url "title")``.

    Python-Markdown ends a title at a quote of either kind followed by ``)``, and reads code
    spans before links, so straight quotes and backticks become typographic ones; ``|`` would
    split a table cell, a backslash would escape what follows; square brackets would let a
    title that quotes a malformed link ("[a]b](x.png)") read as a link; whitespace becomes one
    space."""
    return (" ".join(text.split()).replace('"', "”").replace("'", "’").replace("`", "｀")
            .replace("\\", "＼").replace("|", "｜").replace("[", "［").replace("]", "］"))


def tooltip(ev: Evidence, limit: int = 110) -> str:
    text = ev.sentence.text
    if len(text) > limit:
        middle = (ev.start + ev.end) // 2
        lo = max(0, min(middle - limit // 2, len(text) - limit))
        text = ("…" if lo else "") + text[lo : lo + limit] + ("…" if lo + limit < len(text) else "")
    if ev.label:
        text = f"{ev.label}：{text}"
    return link_title(text)


def md_text(text: str) -> str:
    """Plain text made safe inside Markdown inline content and table cells (never a formula)."""
    return re.sub(r"([\\`*_\[\]|<>{}$])", r"\\\1", text)


def md_text_math(text: str) -> str:
    """Like md_text, but an inline formula ($\\gamma$) stays a formula (KaTeX typesets it);
    a bar inside it is escaped for the table cell it may sit in."""
    return "".join(piece.replace("|", "\\|") if formula else md_text(piece)
                   for piece, formula in shielded_parts(*shield_math(text)))


def md_link(label: str, ev: Evidence, from_page: str, attrs: str = "") -> str:
    link = f'[{md_text(label)}]({href(ev.sentence.place, from_page)} "{tooltip(ev)}")'
    return link + (f"{{{attrs}}}" if attrs else "")


def table_wrapper(kind: str, columns: list[str], table: str) -> str:
    """A generated table inside the block that assets/javascripts/tables.js makes sortable,
    filterable and groupable (``kind`` picks its settings; ``columns`` names each column, in
    order). Without JavaScript it is the plain table, scrolling sideways on a narrow screen."""
    return (f'<div class="llmkb-table" data-llmkb-table="{kind}" data-columns="{" ".join(columns)}" '
            f'markdown="1">\n\n{table}\n\n</div>')


def place_label(place: Place) -> str:
    if place.section_title == place.page_title:
        return place.page_title
    return f"{place.page_title} › {place.section_title}"
