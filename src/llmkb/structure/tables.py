"""HTML tables in a note's raw HTML block: a table on the page, never one line of text.

A simple table (no cell spanning rows or columns, no table inside a cell, no caption) becomes
a Markdown pipe table whose cells are Markdown: links, emphasis, code and images written in
HTML are rewritten as Markdown and then cleaned like any prose (``clean_inline``). Any other
table stays HTML, rebuilt from what was parsed (cell text only) and sanitized by nh3 with a
table-only allowlist. Broken markup is read as browsers read it: a new row or cell closes the
open one, the end of the block closes everything.

``split_html_tables`` finds the tables of a block and the text around them, with the lines
each one occupies, so that every line of the note stays accounted for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3

# The tags and attributes a table kept as HTML may have.
TABLE_TAGS = {"table", "caption", "thead", "tbody", "tr", "th", "td"}
TABLE_ATTRIBUTES = {"th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"}}
# Content that is never text (scripts, styles, frames); the block's warning names it.
DROPPED_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "textarea", "noscript"}
_HAS_TABLE = re.compile(r"<table\b", re.I)


@dataclass
class HtmlCell:
    header: bool  # a <th>
    start: int  # offsets of the cell's inner HTML in the block
    end: int = -1
    colspan: int = 1
    rowspan: int = 1
    nested: bool = False  # holds a table of its own


@dataclass
class HtmlRow:
    head: bool  # inside <thead>
    cells: list[HtmlCell] = field(default_factory=list)


@dataclass
class HtmlTable:
    start: int  # offsets of <table …> … </table> in the block
    end: int = -1
    rows: list[HtmlRow] = field(default_factory=list)
    loose: list[tuple[int, int]] = field(default_factory=list)  # text outside any cell (captions)

    @property
    def simple(self) -> bool:
        """Fits a pipe table: no spans, no nested tables, no caption, one header row at most."""
        cells = [c for r in self.rows for c in r.cells]
        return (all(c.colspan == 1 and c.rowspan == 1 and not c.nested for c in cells)
                and not self.loose and sum(r.head for r in self.rows) <= 1)


class _Scanner(HTMLParser):
    """Top-level tables of a block with their rows and cells, as offsets into the raw text."""

    def __init__(self, raw: str) -> None:
        super().__init__(convert_charrefs=False)
        self.raw = raw
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", raw)]
        self.tables: list[HtmlTable] = []
        self.depth = 0  # table nesting
        self.head = False
        self.row: HtmlRow | None = None
        self.cell: HtmlCell | None = None

    def _at(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _close_cell(self, at: int) -> None:
        if self.cell is not None:
            self.cell.end = at
            self.cell = None

    def _close_row(self, at: int) -> None:
        self._close_cell(at)
        self.row = None

    def _tag_end(self, at: int) -> int:
        end = self.raw.find(">", at)
        return len(self.raw) if end < 0 else end + 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        at = self._at()
        after = at + len(self.get_starttag_text() or "")
        if tag == "table":
            if self.depth == 0:
                self.tables.append(HtmlTable(at))
                self.head = False
            elif self.cell is not None and self.depth == 1:
                self.cell.nested = True
            self.depth += 1
            return
        if self.depth != 1:
            return
        if tag == "thead":
            self._close_row(at)
            self.head = True
        elif tag in ("tbody", "tfoot"):
            self._close_row(at)
            self.head = False
        elif tag == "tr":
            self._close_row(at)
            self.row = HtmlRow(self.head)
            self.tables[-1].rows.append(self.row)
        elif tag in ("td", "th"):
            self._close_cell(at)
            if self.row is None:
                self.row = HtmlRow(self.head)
                self.tables[-1].rows.append(self.row)
            values = dict(attrs)
            self.cell = HtmlCell(tag == "th", after, colspan=_span(values.get("colspan")),
                             rowspan=_span(values.get("rowspan")))
            self.row.cells.append(self.cell)

    def handle_data(self, data: str) -> None:
        # Text in the table but in no cell (a caption, stray words) is kept as its caption.
        if self.depth == 1 and self.cell is None and data.strip():
            at = self._at()
            self.tables[-1].loose.append((at, at + len(data)))

    def handle_endtag(self, tag: str) -> None:
        at = self._at()
        if tag == "table" and self.depth:
            self.depth -= 1
            if self.depth == 0:
                self._close_row(at)
                self.tables[-1].end = self._tag_end(at)
            return
        if self.depth != 1:
            return
        if tag in ("td", "th"):
            self._close_cell(at)
        elif tag == "tr":
            self._close_row(at)
        elif tag == "thead":
            self._close_row(at)
            self.head = False

    def finish(self) -> list[HtmlTable]:
        self.close()
        if self.depth:  # never closed: the table runs to the end of the block
            self._close_row(len(self.raw))
            self.tables[-1].end = len(self.raw)
        return self.tables


def _span(value: str | None) -> int:
    """A colspan/rowspan value (browsers read anything but a positive number as 1)."""
    value = (value or "").strip()
    return max(1, min(int(value), 1000)) if value.isdigit() else 1


@dataclass
class Segment:
    """A piece of a raw HTML block: a table, or the markup and text around tables."""

    start: int
    end: int
    table: HtmlTable | None = None


def split_html_tables(raw: str) -> list[Segment]:
    """The block cut into tables and what lies between them, in order (no tables: [])."""
    if not _HAS_TABLE.search(raw):
        return []
    tables = _Scanner(raw)
    tables.feed(raw)
    found = tables.finish()
    out: list[Segment] = []
    pos = 0
    for table in found:
        if table.start > pos:
            out.append(Segment(pos, table.start))
        out.append(Segment(table.start, table.end, table))
        pos = table.end
    if pos < len(raw):
        out.append(Segment(pos, len(raw)))
    return out


# --------------------------------------------------------------------------- cells as Markdown

_EMPHASIS = {"b": "**", "strong": "**", "i": "*", "em": "*"}
_KEPT_INLINE = {"sup", "sub", "del", "s", "mark", "kbd", "u"}
_BLOCKS = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
           "blockquote", "pre", "section", "article", "header", "footer", "figure", "figcaption", "hr"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|$])")


def _text(data: str) -> str:
    """Literal text: nothing in it may turn into Markdown, HTML or a formula."""
    data = data.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", data)


@dataclass
class _Frame:
    tag: str
    attrs: dict[str, str | None]
    parts: list[str] = field(default_factory=list)
    code: bool = False


class _CellMarkdown(HTMLParser):
    """One cell's inner HTML → one line of inline Markdown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack = [_Frame("", {})]
        self.skip = 0  # inside content that is never text

    @property
    def in_code(self) -> bool:
        return any(f.code for f in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROPPED_CONTENT:
            self.skip += 1
        elif self.skip:
            return
        elif tag == "br" or tag == "hr":
            self.stack[-1].parts.append(" <br> ")
        elif tag == "img":
            values = dict(attrs)
            alt = _text(values.get("alt") or "").replace("\n", " ")
            src = (values.get("src") or "").strip()
            if src:
                self.stack[-1].parts.append(f"![{alt}]({_url(src)})")
        else:
            self.stack.append(_Frame(tag, dict(attrs), code=tag in ("code", "kbd", "tt")))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROPPED_CONTENT:
            return
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "hr", "img"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in DROPPED_CONTENT:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip or not any(f.tag == tag for f in self.stack[1:]):
            return
        while True:  # unclosed tags inside close with it
            frame = self.stack.pop()
            self.stack[-1].parts.append(_render(frame))
            if frame.tag == tag:
                return

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.stack[-1].parts.append(data if self.in_code else _text(data))

    def markdown(self) -> str:
        self.close()
        while len(self.stack) > 1:
            frame = self.stack.pop()
            self.stack[-1].parts.append(_render(frame))
        return _squash("".join(self.stack[0].parts))


def _squash(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"(?:\s*<br>\s*)+", " <br> ", text)
    return re.sub(r"^(?:\s*<br>\s*)+|(?:\s*<br>\s*)+$", "", text).strip()


def _url(href: str) -> str:
    return href.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("|", "%7C")


def _render(frame: _Frame) -> str:
    inner = "".join(frame.parts)
    if frame.code:
        code = " ".join(inner.split())
        if not code:
            return ""
        ticks = "`" * (max((len(m) for m in re.findall(r"`+", code)), default=0) + 1)
        pad = " " if code.startswith("`") or code.endswith("`") else ""
        return f"{ticks}{pad}{code}{pad}{ticks}"
    if frame.tag in _EMPHASIS:
        body = _squash(inner)
        marker = _EMPHASIS[frame.tag]
        return f" {marker}{body}{marker} " if body else ""
    if frame.tag == "a":
        body = _squash(inner)
        href = (frame.attrs.get("href") or "").strip()
        return f"[{body}]({_url(href)})" if body and href else body
    if frame.tag in _KEPT_INLINE:
        body = _squash(inner)
        return f"<{frame.tag}>{body}</{frame.tag}>" if body else ""
    if frame.tag in _BLOCKS:
        return f" <br> {inner} <br> "
    return inner


def cell_markdown(inner_html: str) -> str:
    parser = _CellMarkdown()
    parser.feed(inner_html)
    return parser.markdown()


def pipe_table(header: list[str] | None, body: list[list[str]]) -> str:
    """A Markdown pipe table; without a header row the header cells are empty."""
    width = max([len(header or []), *(len(r) for r in body)])

    def line(cells: list[str]) -> str:
        cells = [*cells, *[""] * (width - len(cells))]
        return "| " + " | ".join(cells) + " |"

    return "\n".join([line(header or []), "| " + " | ".join(["---"] * width) + " |", *map(line, body)])


# --------------------------------------------------------------------------- tables kept as HTML


def has_text(raw: str) -> bool:
    """Whether a piece of HTML shows any text."""
    return bool(nh3.clean(raw, tags=set(), attributes={}, clean_content_tags=DROPPED_CONTENT).strip())


def cell_text(inner_html: str) -> str:
    """A cell's text, HTML-escaped, on one line (markup and dropped content gone)."""
    spaced = re.sub(r"<\s*(br|/?(?:p|div|li|tr|h\d))\b[^>]*>", " ", inner_html, flags=re.I)
    text = nh3.clean(spaced, tags=set(), attributes={}, clean_content_tags=DROPPED_CONTENT)
    return " ".join(text.split())


def html_table(table: HtmlTable, raw: str) -> str:
    """The table rebuilt as sanitized HTML: rows one per line, cells' text only."""
    lines = ["<table>"]
    caption = " ".join(cell_text(raw[a:b]) for a, b in table.loose).strip()
    if caption:
        lines.append(f"<caption>{caption}</caption>")
    section = ""
    for row in table.rows:
        want = "thead" if row.head else "tbody"
        if want != section:
            if section:
                lines.append(f"</{section}>")
            lines.append(f"<{want}>")
            section = want
        cells = []
        for cell in row.cells:
            tag = "th" if cell.header else "td"
            attrs = "".join(f' {name}="{value}"' for name, value in
                            (("colspan", cell.colspan), ("rowspan", cell.rowspan)) if value > 1)
            cells.append(f"<{tag}{attrs}>{cell_text(raw[cell.start:cell.end])}</{tag}>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    if section:
        lines.append(f"</{section}>")
    lines.append("</table>")
    return nh3.clean("\n".join(lines), tags=TABLE_TAGS, attributes=TABLE_ATTRIBUTES,
                     clean_content_tags=DROPPED_CONTENT)
