"""The last step of rendering: every internal link of the generated pages resolves.

Links are made from the layout (each heading's anchor), the catalog's rows, the glossary's
terms and the sources page's notes, so they resolve by construction; this pass checks that
against what the generated Markdown actually defines — each page's ``{#anchor}`` ids — and
repairs what does not: a link whose anchor is missing goes to the top of its page, a link
(or image) whose file is not generated keeps only its text. Each repair is a ``broken-link``
warning (a content warning: it means llmkb made a wrong link). ``mkdocs build --strict``
then never meets a link it cannot follow.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from urllib.parse import unquote

from ..diagnostics import Reporter
from ..text import LINK_TEXT

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_ANCHOR = re.compile(r"\{:?\s*#([^\s}]+)[^}\n]*\}")
_TITLE = r"""(?:\s+(?:"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|\((?:\\.|[^()\\\n])*\)))?"""
_LINK = re.compile(
    # A bare destination may hold spaces: Python-Markdown reads "[a](x y.md)" as a link to "x y.md".
    rf"(?P<bang>!?)\[(?P<text>{LINK_TEXT})\]\(\s*(?:<(?P<angle>[^<>\n]*)>"
    r"|(?P<bare>(?:(?:[^()\s\\]|\\.|\([^()\n]*\))(?:[^()\\\n]|\\.|\([^()\n]*\))*?)?))"
    rf"(?P<title>{_TITLE})\s*\)(?P<attrs>\{{[^{{}}\n]*\}})?"
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def anchors_of(markdown: str) -> set[str]:
    """The ids a page defines with attribute lists (``{#id}``, ``{#id .class}``), outside code."""
    found: set[str] = set()
    for line in _outside_fences(markdown):
        if line is not None:
            found.update(_ANCHOR.findall(_CODE_SPAN.sub("", line)))
    return found


def _outside_fences(markdown: str) -> list[str | None]:
    """The page's lines, None for each line inside (or opening/closing) a fenced code block."""
    out: list[str | None] = []
    fence = ""
    for line in markdown.split("\n"):
        m = _FENCE.match(line)
        if fence:
            out.append(None)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) \
                    and not line.strip()[len(m.group(1)):].strip():
                fence = ""
            continue
        if m:
            fence = m.group(1)
            out.append(None)
            continue
        out.append(line)
    return out


def check_links(files: dict[str, str | bytes], reporter: Reporter | None = None) -> dict[str, str]:
    """Every generated page whose links needed repairing, repaired (page path → Markdown)."""
    pages = {name: text for name, text in files.items() if name.endswith(".md") and isinstance(text, str)}
    anchors = {name: anchors_of(text) for name, text in pages.items()}
    repaired: dict[str, str] = {}
    for name, text in pages.items():
        fixed = _check_page(name, text, files, anchors, reporter)
        if fixed != text:
            repaired[name] = fixed
    return repaired


def _check_page(name: str, text: str, files: dict[str, str | bytes], anchors: dict[str, set[str]],
                reporter: Reporter | None) -> str:
    lines = text.split("\n")
    for i, line in enumerate(_outside_fences(text)):
        if line is None or "](" not in line:
            continue

        def warn(message: str, i: int = i) -> None:
            if reporter is not None:
                reporter.warn(name, i + 1, "broken-link", message)

        lines[i] = _outside_code(line, lambda piece: _LINK.sub(
            lambda m: _repair(m, name, files, anchors, warn), piece))
    return "\n".join(lines)


def _outside_code(line: str, rewrite: Callable[[str], str]) -> str:
    out, pos = [], 0
    for m in _CODE_SPAN.finditer(line):
        out.append(rewrite(line[pos : m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(rewrite(line[pos:]))
    return "".join(out)


def _repair(m: re.Match[str], page: str, files: dict[str, str | bytes], anchors: dict[str, set[str]],
            warn: Callable[[str], None]) -> str:
    dest = m.group("angle") if m.group("angle") is not None else m.group("bare")
    if _SCHEME.match(dest) or dest.startswith("//"):
        return m.group(0)
    path, _, fragment = dest.partition("#")
    path = unquote(path.replace("\\", ""))
    target = page if not path else posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if target not in files:
        warn(f"link to {dest} from a generated page: no such file; link removed (text kept)")
        return "" if m.group("bang") else m.group("text")
    if fragment and target in anchors and unquote(fragment) not in anchors[target]:
        warn(f"link to {dest}: {target} has no anchor #{fragment}; the link goes to the page instead")
        start, end = m.span("angle") if m.group("angle") is not None else m.span("bare")
        cut = dest.index("#")
        offset = m.start()
        whole = m.group(0)
        return whole[: start - offset + cut] + whole[end - offset :]
    return m.group(0)
