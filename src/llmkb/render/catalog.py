"""The model catalog's table, and links from the first mention of a model on a page to its row."""

from __future__ import annotations

import posixpath
import re

from ..models import CATALOG_COLUMNS, Catalog, MentionIndex, Row
from ..names import LATIN_NAME, name_key, paren_before, split_name
from ..text import math_spans
from .data import plain_values
from .markdown import href, link_title, md_link, md_text, table_wrapper
from .memo import digest


def catalog_table(catalog: Catalog) -> str:
    """The table at the top of the catalog page: one row per model, every value sourced.

    A cell shows what its sentence says, links to the section where that sentence is
    published and quotes it in the tooltip; a cell the notes do not support shows "—";
    a human correction (data/models_override.yaml) is marked ✎."""
    head = "| 模型 | " + " | ".join(title for _, title in CATALOG_COLUMNS) + " |"
    lines = [head, "| " + " | ".join(["---"] * (len(CATALOG_COLUMNS) + 1)) + " |"]
    for row in catalog.rows:
        cells = [_name_cell(row, catalog.page)] + [_cell(row, c, catalog.page) for c, _ in CATALOG_COLUMNS]
        lines.append("| " + " | ".join(cells) + " |")
    intro = (f"笔记中介绍或提到的 {len(catalog.rows)} 个模型。每个值都摘自笔记原句：悬停可看原句，"
             "点击跳到它所在的段落；“（推测）”表示笔记说明这是猜测的数字；机构后的“（X 系列）”表示"
             "笔记没有写这个模型的机构，沿用它所属系列的；“—”表示笔记没有提供。"
             "点击表头排序，表格上方可筛选和分组。")
    columns = ["name", *(c for c, _ in CATALOG_COLUMNS)]
    return intro + "\n\n" + table_wrapper("catalog", columns, "\n".join(lines)) + "\n"


def _sort_data(row: Row) -> str:
    """The row's plain values for the browser's sorting, grouping and filtering
    (assets/javascripts/tables.js), as attributes of the name: the earliest date, the largest
    size and context, the first organization and license, every alias."""
    data: dict[str, str] = {}
    dates = sorted(v for v in plain_values(row, "date") if isinstance(v, str) and v[:1].isdigit())
    if dates:
        data["date"] = dates[0]
    for column in ("params", "context"):
        numbers = [v for v in plain_values(row, column) if isinstance(v, int | float)]
        if numbers:
            data[column] = f"{max(numbers):g}"
    orgs = [str(v) for v in plain_values(row, "org") if str(v).strip()]
    if orgs:
        data["org"] = orgs[0]
    licenses = [str(v) for v in plain_values(row, "license")]
    if licenses:
        data["license"] = {"开源": "open", "闭源": "closed"}.get(licenses[0], licenses[0])
    if row.aliases:
        data["aliases"] = "、".join(row.aliases)
    return "".join(f' data-{k}="{_attr_value(v)}"' for k, v in data.items())


def _attr_value(text: str) -> str:
    # Inside an attr_list in a table row: a quote would end the value; a brace, pipe, `$`,
    # emphasis, code or link marker is escaped as in text (attr_list unescapes it), so it
    # neither ends the attribute list or the cell nor becomes markup.
    return re.sub(r"([\\`*_\[\]|{}$])", r"\\\1", re.sub(r"\s+", " ", text.replace('"', "'")))


def _name_cell(row: Row, page: str) -> str:
    label = row.name
    other = [a for a in row.aliases if bool(re.search(r"[\u4e00-\u9fff]", a)) !=
             bool(re.search(r"[\u4e00-\u9fff]", row.name))]
    tip = "；又称 " + "、".join(row.aliases) if row.aliases else ""
    attrs = f"#{row.anchor} .model-name{_sort_data(row)}"
    if row.section:
        title = f"{row.section.page_title} · {row.section.section_title}{tip}"
        link = f'[{md_text(label)}]({href(row.section, page)} "{link_title(title)}"){{{attrs}}}'
    elif row.first:
        link = md_link(label, row.first, page, attrs)
    else:
        link = f"**{md_text(label)}**{{{attrs}}}"
    return link + (f"（{md_text('、'.join(other[:2]))}）" if other else "")


def _cell(row: Row, column: str, page: str) -> str:
    cell = row.cells[column]
    if cell.override:
        return f'{md_text(cell.override)} [✎](#{row.anchor} "{link_title("人工修订：" + cell.reason)}")'
    if not cell.facts:
        return "—"
    parts = []
    for f in cell.facts:
        part = md_link(f.text, f.evidence, page)
        if f.named and f.how != "name":  # the size of one variant of the row: BERT-large 3.4 亿
            part = f"{md_text(f.named)} {part}"
        if f.hedged:
            part += "（推测）"
        parts.append(part)
    if cell.inherited_from:
        return "、".join(parts) + f"（{md_text(cell.inherited_from)} 系列）"
    return "、".join(parts)


# --------------------------------------------------------------------------- mention links

# Works on the generated Markdown of a page and leaves alone what must not change:
# front matter, headings, fenced code, formulas (display and inline), inline code, existing
# links and images, HTML, attribute lists, admonition titles and abbreviation definitions.
_PROTECTED = re.compile(
    r"`+[^`]*`+"  # inline code
    r"|!?\[(?:\\.|[^\]\\])*\]\((?:\\.|[^)\\])*\)(?:\{[^}]*\})?"  # links and images (+ attrs)
    r"|<[^>]+>"  # HTML tags and autolinks
    r"|\{[^}]*\}"  # attribute lists
    r"|\[\^[^\]]+\]"  # footnote references
    r"|https?://\S+"
)
_SKIP_LINE = re.compile(r"^\s{0,3}(?:#{1,6}\s|!!!|\?\?\?|\*\[[^\]]*\]:|\[[^\]]+\]:|<)")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_FORMULA_FENCE = "$$"  # render.markdown.formula writes display formulas between such lines


class MentionLinker:
    """``linker(markdown, page_file)`` → the page with the first mention of each catalogued
    model linked to its catalog row. The catalog page itself is returned unchanged."""

    def __init__(self, catalog: Catalog) -> None:
        self.page = catalog.page
        self.index: MentionIndex = catalog.index
        self.by_group: dict[str, Row] = {row.group: row for row in catalog.rows}
        cjk = sorted(self.index.cjk, key=lambda s: (-len(s), s))
        self._cjk = re.compile("|".join(map(re.escape, cjk))) if cjk else None
        self._orgs = re.compile(self.index.org_pattern) if self.index.org_pattern else None
        # Everything linking reads besides the page (a page's result is kept under it).
        self.signature = digest(self.page, repr(sorted(self.index.latin.items())),
                                repr(sorted(self.index.cjk.items())), self.index.org_pattern,
                                repr([(row.group, row.anchor, row.name) for row in catalog.rows]))
        # An organization right before a bracket (compiled once: the alternation is long).
        self._orgs_end = re.compile(rf"(?:{self.index.org_pattern})\s*$") if self.index.org_pattern else None

    def row_for(self, token: str) -> Row | None:
        if re.search(r"[\u4e00-\u9fff]", token):
            group = self.index.cjk.get(token, "")
        else:
            group = self.index.latin.get(name_key(split_name(token).base), "")
        return self.by_group.get(group) if group else None

    def in_org(self, text: str, start: int, end: int) -> bool:
        """Whether a name is part of an organization's name (Mistral in "Mistral AI") or its
        bracketed other name (DeepSeek in "深度求索（DeepSeek）")."""
        if self._orgs is None or self._orgs_end is None:
            return False
        opening = paren_before(text, start)
        if opening is not None and self._orgs_end.search(text[:opening]):
            return True
        return any(m.start() <= start and end <= m.end() and (m.start(), m.end()) != (start, end)
                   for m in self._orgs.finditer(text, max(0, start - 24), min(len(text), end + 24)))

    def __call__(self, markdown: str, page_file: str) -> str:
        if page_file == self.page:
            return markdown
        target = posixpath.relpath(self.page, posixpath.dirname(page_file) or ".")
        done: set[str] = set()
        out: list[str] = []
        lines = markdown.split("\n")
        fence = ""
        front = bool(lines) and lines[0].strip() == "---"
        for i, line in enumerate(lines):
            if front:
                out.append(line)
                if i > 0 and line.strip() == "---":
                    front = False
                continue
            f = _FENCE.match(line)
            if fence:
                out.append(line)
                if fence == _FORMULA_FENCE:
                    if line.strip() == _FORMULA_FENCE:
                        fence = ""
                elif f and f.group(1)[0] == fence[0] and len(f.group(1)) >= len(fence):
                    fence = ""
                continue
            if f:
                fence = f.group(1)
                out.append(line)
                continue
            if line.strip() == _FORMULA_FENCE:
                fence = _FORMULA_FENCE
                out.append(line)
                continue
            if _SKIP_LINE.match(line) or len(done) == len(self.by_group):
                out.append(line)
                continue
            out.append(self._line(line, target, done))
        return "\n".join(out)

    def _line(self, line: str, target: str, done: set[str]) -> str:
        pieces: list[str] = []
        pos = 0
        protected = sorted([*math_spans(line), *(m.span() for m in _PROTECTED.finditer(line))])
        for start, end in protected:
            if end <= pos:
                continue  # inside a region already kept (a formula in a link's text)
            start = max(start, pos)
            pieces.append(self._text(line[pos:start], target, done))
            pieces.append(line[start:end])
            pos = end
        pieces.append(self._text(line[pos:], target, done))
        return "".join(pieces)

    def _text(self, text: str, target: str, done: set[str]) -> str:
        if not text:
            return text
        found = [(m.start(), m.end(), m.group(0)) for m in LATIN_NAME.finditer(text)]
        if self._cjk:
            taken = [(s, e) for s, e, _ in found]
            found += [(m.start(), m.end(), m.group(0)) for m in self._cjk.finditer(text)
                      if not any(s < m.end() and m.start() < e for s, e in taken)]
        out, pos = [], 0
        for start, end, token in sorted(found):
            # The cheap lookups first: most tokens name no row, or one already linked.
            row = self.row_for(token)
            if row is None or row.group in done or start < pos or self.in_org(text, start, end):
                continue
            done.add(row.group)
            out.append(text[pos:start])
            out.append(f'[{token}]({target}#{row.anchor} "{link_title("模型目录：" + row.name)}")')
            pos = end
        out.append(text[pos:])
        return "".join(out)
