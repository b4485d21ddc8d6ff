"""Display formulas: a ``$$ … $$`` block is one token, never paragraphs, lists or headings.

A markdown-it block rule (cf. ``markdown_it/rules_block/fence.py``). A line that starts with
``$$`` opens a formula; the first ``$$`` after it closes it and must end its line. The
formula may start on the opening line (``$$\\begin{aligned}``) and end on the closing one,
or be all on one line (``$$x^2$$``). Without a closing ``$$`` there is no formula and the
lines stay prose. Like a fence, a formula may interrupt a paragraph: notes often write
"公式如下：" on the line right above it.

The token's ``content`` is the TeX between the delimiters, exactly as the note has it;
render writes it back between ``$$`` lines, the form pymdownx.arithmatex typesets.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from ..text import CJK, outside_code_spans

DELIMITER = "$$"
TOKEN = "math_block"


def _closing(line: str) -> int | None:
    """Index of the first unescaped ``$$`` in line, or None."""
    i = 0
    while i < len(line) - 1:
        if line[i] == "\\":
            i += 2
            continue
        if line.startswith(DELIMITER, i):
            return i
        i += 1
    return None


def math_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.is_code_block(start_line):
        return False
    pos = state.bMarks[start_line] + state.tShift[start_line]
    first = state.src[pos : state.eMarks[start_line]]
    if not first.startswith(DELIMITER):
        return False
    rest = first[len(DELIMITER) :]
    close = _closing(rest)
    if close is not None:  # "$$ … $$" on one line
        if rest[close + len(DELIMITER) :].strip() or not rest[:close].strip():
            return False
        tex, next_line = rest[:close], start_line + 1
    else:
        lines = [rest]
        next_line = start_line + 1
        # Asked whether it interrupts a list item's lazy paragraph from outside the item, the
        # formula ends that item and is read again at the outer level: the item's indent
        # does not apply to its lines.
        inside = state.sCount[start_line] >= state.blkIndent
        while True:
            if next_line >= end_line:
                return False  # never closed: not a formula
            line_start = state.bMarks[next_line] + state.tShift[next_line]
            if inside and line_start < state.eMarks[next_line] \
                    and state.sCount[next_line] < state.blkIndent:
                return False  # the container (list item, quote) ended first
            line = state.getLines(next_line, next_line + 1, state.blkIndent, False).rstrip("\n")
            close = _closing(line)
            next_line += 1
            if close is None:
                lines.append(line)
                continue
            if line[close + len(DELIMITER) :].strip():
                return False  # text after the closing "$$": not a display block
            lines.append(line[:close])
            break
        tex = "\n".join(lines)
    if not tex.strip():
        return False
    if silent:
        return True
    state.line = next_line
    token = state.push(TOKEN, "math", 0)
    token.block = True
    token.content = tex.strip()
    token.markup = DELIMITER
    token.map = [start_line, next_line]
    return True


def use_math(md: MarkdownIt) -> MarkdownIt:
    """Register the rule before fences, able to interrupt paragraphs, quotes and lists."""
    md.block.ruler.before("fence", TOKEN, math_block,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
    return md


# LaTeX's own delimiters, as answers copied from chat assistants write formulas: \( … \) inline,
# \[ … \] display. The site typesets dollars only; a Markdown escape would eat the backslash.
_TEX_INLINE = re.compile(r"\\\((?P<tex>.+?)\\\)|\\\[(?P<display>.+?)\\\]", re.S)
_TEX_DISPLAY = re.compile(r"^\s*\\\[(?P<tex>.+?)\\\]\s*$", re.S)


# What makes bracketed text TeX, not an escaped bracket ("\\[5\\]", "\\[深度学习\\]"): a command,
# a sub- or superscript, braces or an operator, and no Chinese outside \text{…}.
_TEX_SIGN = re.compile(r"\\[A-Za-z]+|[\^_{}=+<>]|\d\s*[-*/]\s*\d")
_TEXT_ARG = re.compile(r"\\(?:text|mathrm|textrm|mbox|operatorname)\{[^{}]*\}")


def looks_like_tex(tex: str) -> bool:
    return bool(_TEX_SIGN.search(tex)) and not CJK.search(_TEXT_ARG.sub("", tex))


def display_tex(text: str) -> str | None:
    """The TeX of a paragraph that is one ``\\[ … \\]`` formula, else None."""
    m = _TEX_DISPLAY.match(text)
    tex = m.group("tex").strip() if m else ""
    return tex if tex and looks_like_tex(tex) else None


def tex_delimiters_as_dollars(text: str) -> str:
    """``\\( x \\)`` and a ``\\[ x \\]`` inside a sentence become ``$x$``; code spans stay."""
    if "\\(" not in text and "\\[" not in text:
        return text
    return outside_code_spans(text, lambda piece, _at: _TEX_INLINE.sub(_as_dollars, piece))


def _as_dollars(m: re.Match[str]) -> str:
    tex = (m.group("tex") or m.group("display") or "").strip()
    return f"${tex}$" if tex and "$" not in tex and looks_like_tex(tex) else m.group(0)
