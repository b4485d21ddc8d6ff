"""Note-app metadata and syntax that CommonMark does not know (Obsidian, Logseq, Hugo, Jekyll…).

Line-level: YAML/TOML front matter at the top of a note, a line of only ``#tags`` at its
start or end, ``%%comments%%`` on lines of their own. These are found before markdown-it
parses the note (it would read front matter as a thematic break plus a setext heading)
and blanked with a named rule, so line numbers stay those of the file.

Inline: ``[[Page|Alias]]`` wikilinks, ``![[embed]]``, inline ``%%comments%%``, trailing
``^block-ids`` and ``==highlights==``, rewritten outside code spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from ..text import front_matter, outside_code_spans

# "#LLM #RAG #笔记": tags have no space after "#" (a heading has); not a bare number ("#1").
_TAG = r"#(?!\d+(?:\s|$))[^\s#]+"
_TAG_LINE = re.compile(rf"^\s*{_TAG}(?:\s+{_TAG})*\s*$")
_CODE_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")


@dataclass
class LineRemoval:
    start: int  # 1-based, inclusive
    end: int
    rule: str


@dataclass
class Metadata:
    removals: list[LineRemoval]
    title: str = ""  # the front matter's title:, if any


def find_metadata(lines: list[str]) -> Metadata:
    meta = Metadata([])
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return meta
    front = front_matter(lines, first)
    if front is not None:
        end0, meta.title = front
        meta.removals.append(LineRemoval(first + 1, end0 + 1, "front-matter"))
        first = next((i for i in range(end0 + 1, len(lines)) if lines[i].strip()), None)
        if first is None:
            return meta
    last = max(i for i, line in enumerate(lines) if line.strip())
    for i in sorted({first, last}):
        if _TAG_LINE.match(lines[i]):
            meta.removals.append(LineRemoval(i + 1, i + 1, "tag-line"))
    meta.removals.extend(_comment_lines(lines))
    return meta


def _comment_lines(lines: list[str]) -> list[LineRemoval]:
    """%%comment%% lines (one line, or a block from a "%%" line to one ending in "%%")."""
    found: list[LineRemoval] = []
    fence = ""
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        m = _CODE_FENCE.match(lines[i])
        if m and (not fence or m.group(1).startswith(fence)):
            fence = "" if fence else m.group(1)[:3]
        elif not fence and stripped.startswith("%%"):
            if len(stripped) >= 4 and stripped.endswith("%%") and stripped.count("%%") == 2:
                found.append(LineRemoval(i + 1, i + 1, "obsidian-comment"))
            elif stripped.count("%%") == 1:
                end = next((j for j in range(i + 1, len(lines)) if "%%" in lines[j]), None)
                if end is not None and lines[end].rstrip().endswith("%%"):
                    found.append(LineRemoval(i + 1, end + 1, "obsidian-comment"))
                    i = end
        i += 1
    return found


# --- inline ----------------------------------------------------------------------------------

_EMBED = re.compile(r"!\[\[(?P<target>[^\[\]|#^]+)(?:[#^][^\[\]|]*)?(?:\|(?P<alt>[^\[\]]*))?\]\]")
_WIKILINK = re.compile(r"\[\[(?P<target>[^\[\]|#^]*)(?:[#^][^\[\]|]*)?(?:\|(?P<alias>[^\[\]]*))?\]\]")
_COMMENT = re.compile(r"%%.*?%%", re.S)
_BLOCK_ID = re.compile(r"[ \t]+\^[A-Za-z0-9-]+[ \t]*$", re.M)
_HIGHLIGHT = re.compile(r"(?<![=\w])==(?=\S)(?P<text>[^=\n]+?)(?<=\S)==(?!=)")
_IMAGE_EXT = re.compile(r"\.(png|jpe?g|gif|svg|webp|bmp|avif)$", re.I)


def rewrite_inline(text: str, missing: list[tuple[int, str]]) -> str:
    """Obsidian inline syntax as plain Markdown, outside code spans.

    An image embed becomes a Markdown image (the image checks then keep or drop it);
    an embed of anything else (a note) cannot be shown: it is dropped and its position
    and target appended to missing.
    """
    if not any(mark in text for mark in ("[[", "%%", "^", "==")):
        return text
    return outside_code_spans(text, lambda piece, offset: _rewrite(piece, offset, missing))


def _rewrite(text: str, offset: int, missing: list[tuple[int, str]]) -> str:
    def embed(m: re.Match[str]) -> str:
        target = m.group("target").strip()
        if _IMAGE_EXT.search(target):
            return f"![{m.group('alt') or ''}]({quote(target)})"
        missing.append((offset + m.start(), target))
        return ""

    def link(m: re.Match[str]) -> str:
        # No page of the site is the linked note: only its text stays.
        return (m.group("alias") or m.group("target")).strip()

    text = _COMMENT.sub("", text)
    text = _EMBED.sub(embed, text)
    text = _WIKILINK.sub(link, text)
    text = _BLOCK_ID.sub("", text)
    # The site has no "mark" extension: "==…==" would show literally.
    return _HIGHLIGHT.sub(r"\g<text>", text)


# --- callouts and tasks --------------------------------------------------------------------

CALLOUT = re.compile(r"^\[!(?P<type>[A-Za-z-]+)\][-+]?[ \t]*(?P<title>[^\n]*)(?:\n|$)")
CALLOUT_TYPES = {"note": "note", "info": "note", "abstract": "note", "summary": "note",
                 "tldr": "note", "quote": "note", "cite": "note", "example": "note",
                 "todo": "note", "question": "note", "faq": "note", "help": "note",
                 "tip": "tip", "hint": "tip", "success": "tip", "check": "tip", "done": "tip",
                 "important": "important", "warning": "warning", "caution": "warning",
                 "attention": "warning", "danger": "warning", "error": "warning",
                 "bug": "warning", "failure": "warning", "fail": "warning", "missing": "warning"}
TASK_BOX = re.compile(r"^\[[ xX]\][ \t]+")
TASK_LINE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\[[ xX]\](?:\s|$)")
TODO_HEADING = re.compile(r"^\W*(TODO|To-?do|待办(事项)?|计划|待辦(事項)?)\W*$", re.I)
