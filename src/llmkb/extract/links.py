"""Link the first mention of each catalogued model on a page to its catalog row.

Works on the generated Markdown of a page and leaves alone what must not change:
front matter, headings, fenced code, inline code, existing links and images, HTML,
attribute lists, admonition titles and abbreviation definitions.
"""

from __future__ import annotations

import posixpath
import re

from .catalog import Catalog, Row
from .patterns import LATIN_NAME, name_key, split_name

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


class MentionLinker:
    """``linker(markdown, page_file)`` → the page with first mentions linked."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.page = catalog.page
        self.by_group: dict[str, Row] = {row.group: row for row in catalog.rows}
        reg = catalog.registry
        cjk = sorted({s for row in catalog.rows for s in reg.all_surfaces(row.group)
                      if re.search(r"[\u4e00-\u9fff]", s)}, key=lambda s: (-len(s), s))
        self._cjk = re.compile("|".join(map(re.escape, cjk))) if cjk else None

    def row_for(self, token: str) -> Row | None:
        reg = self.catalog.registry
        if re.search(r"[\u4e00-\u9fff]", token):
            key = token if token in reg.keys else ""
        else:
            key = name_key(split_name(token).base)
        if key not in reg.keys:
            return None
        return self.by_group.get(reg.find(key))

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
                if f and f.group(1)[0] == fence[0] and len(f.group(1)) >= len(fence):
                    fence = ""
                continue
            if f:
                fence = f.group(1)
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
        for m in _PROTECTED.finditer(line):
            pieces.append(self._text(line[pos : m.start()], target, done))
            pieces.append(m.group(0))
            pos = m.end()
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
            if self.catalog.registry.in_org(text, start, end):
                continue
            row = self.row_for(token)
            if row is None or row.group in done or start < pos:
                continue
            done.add(row.group)
            out.append(text[pos:start])
            out.append(f'[{token}]({target}#{row.anchor} "模型目录：{row.name}")')
            pos = end
        out.append(text[pos:])
        return "".join(out)
