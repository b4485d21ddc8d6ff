"""Normalize: Chinese typography for block text and titles.

Rules run in a declared order (``RULES``) over a token list in which inline code,
inline formulas (``$…$``, found by ``text.math_spans``: what the site typesets), URLs,
link targets, images and HTML are protected and emphasis/link markers are
transparent: full-width punctuation inside Chinese sentences, one space between
Chinese and Latin letters or digits (pangu, applied to plain runs only, because it
would put spaces inside ``**…**``), no spaces next to full-width punctuation, and
emphasis markers moved off punctuation so they still parse. Normalizing twice
changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

import pangu

from .models import Block, BlockKind, NoteDoc, Section
from .text import CJK, CJK_CHARS, FULLWIDTH_PUNCT, is_cjk, math_spans, shield_math, unshield

_TOKEN = re.compile(
    r"(?P<code>(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`))"
    r"|(?P<image>!\[[^\]]*\]\([^)]*\))"
    r"|(?P<link_close>\]\([^)\s]*(?:\s+\"[^\"]*\")?\))"
    r"|(?P<footnote>\[\^[^\]]+\])"
    r"|(?P<link_open>\[)"
    r"|(?P<autolink><(?:https?|mailto):[^>\s]+>)"
    r"|(?P<url>https?://[^\s<>()（）\[\]，。；！？、“”]+)"
    r"|(?P<html></?[A-Za-z][^<>]*>|&[#A-Za-z0-9]+;)"
    r"|(?P<marker>\*{1,3}|_{2,3}|~~)"
    r"|(?P<escape>\\[\\`*_{}\[\]()#+\-.!|~<>$])"
)
_OPAQUE = {"code", "math", "image", "autolink", "url", "html", "footnote", "escape"}
_MARKERS = {"marker", "link_open", "link_close"}
_CLOSING_FW = "）】」』”’》〉"
_OPENING_FW = "（【「『“‘《〈"
_ALNUM = re.compile(r"[A-Za-z0-9]")


@dataclass
class Tok:
    kind: str  # "text", "marker", "link_open", "link_close", or an opaque kind
    s: str


def tokenize(text: str) -> list[Tok]:
    """Tokens of one block's text; its formulas first, each one opaque token."""
    toks: list[Tok] = []
    pos = 0
    for start, end in math_spans(text):
        toks.extend(_tokenize_prose(text[pos:start]))
        toks.append(Tok("math", text[start:end]))
        pos = end
    toks.extend(_tokenize_prose(text[pos:]))
    return toks


def _tokenize_prose(text: str) -> list[Tok]:
    toks: list[Tok] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() > pos:
            toks.append(Tok("text", text[pos : m.start()]))
        kind = next(k for k, v in m.groupdict().items() if v is not None and k != "ticks")
        toks.append(Tok(kind, m.group(0)))
        pos = m.end()
    if pos < len(text):
        toks.append(Tok("text", text[pos:]))
    return toks


def detokenize(toks: list[Tok]) -> str:
    return "".join(t.s for t in toks)


def _visible_char(tok: Tok, last: bool) -> str:
    """The character a reader sees at one end of a token ('a' stands for code/URLs)."""
    if tok.kind == "text":
        stripped = tok.s
        return (stripped[-1] if last else stripped[0]) if stripped else ""
    if tok.kind in _OPAQUE:
        return "a"
    return ""


def _neighbor(toks: list[Tok], i: int, step: int) -> str:
    j = i + step
    while 0 <= j < len(toks):
        ch = _visible_char(toks[j], last=step < 0)
        if ch:
            return ch
        j += step
    return ""


def _is_closer(toks: list[Tok], i: int) -> bool:
    """Whether the emphasis marker at i closes a span (even occurrence of the same run)."""
    tok = toks[i]
    if tok.kind == "link_close":
        return True
    if tok.kind != "marker":
        return False
    return sum(1 for t in toks[:i] if t.kind == "marker" and t.s == tok.s) % 2 == 1


# --- rules on the token list -----------------------------------------------------------------


def _chinese_context(ch: str) -> bool:
    return is_cjk(ch) or (bool(ch) and ch in FULLWIDTH_PUNCT)


_UNICODE_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f]")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff]")


def unicode_spaces(toks: list[Tok]) -> list[Tok]:
    """No-break and other Unicode spaces (pasted from web pages) become plain spaces."""
    for i, tok in enumerate(toks):
        if tok.kind == "text":
            toks[i] = Tok("text", _ZERO_WIDTH.sub("", _UNICODE_SPACES.sub(" ", tok.s)))
    return toks


def join_soft_breaks(toks: list[Tok]) -> list[Tok]:
    """Lines of one paragraph become one line; a line that ends a thought gets its 。.

    Notes written line by line often end a sentence at the line break without any
    punctuation; joining without it would glue two sentences together. A formula that
    spans lines keeps its line breaks.
    """
    text, formulas = shield_math(detokenize(toks))
    if "\n" not in text:
        return toks
    lines = [line.strip() for line in text.split("\n")]
    out = lines[0]
    for line in lines[1:]:
        if not line:
            continue
        last = re.sub(r"[*_`]+$", "", out)[-1:] if out else ""
        first = re.sub(r"^[*_`]+", "", line)[:1]
        if is_cjk(first) and (is_cjk(last) or (last.isalpha() and last.isascii())):
            out += "。" + line
        elif (is_cjk(last) and _ALNUM.match(first or " ")) or (
            _ALNUM.match(last or " ") and _ALNUM.match(first or " ")
        ):
            out += " " + line
        else:
            out += line
    return tokenize(unshield(out, formulas))


def fullwidth_parens(toks: list[Tok]) -> list[Tok]:
    """Parentheses around or beside Chinese text become full-width (as pairs)."""
    chars: list[tuple[int, int]] = []  # (token index, char index) of visible text chars
    for ti, tok in enumerate(toks):
        if tok.kind == "text":
            chars.extend((ti, ci) for ci in range(len(tok.s)))
    flat = "".join(toks[ti].s[ci] for ti, ci in chars)
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    for k, ch in enumerate(flat):
        if ch in "(（":
            stack.append(k)
        elif ch in ")）" and stack:
            pairs.append((stack.pop(), k))
    edits: dict[int, str] = {}
    for open_k, close_k in pairs:
        if flat[open_k] == "（" and flat[close_k] == "）":
            continue
        inner = flat[open_k + 1 : close_k]
        before = flat[:open_k].rstrip()[-1:]
        after = flat[close_k + 1 :].lstrip()[:1]
        if CJK.search(inner) or _chinese_context(before) or _chinese_context(after) \
                or flat[open_k] == "（" or flat[close_k] == "）":
            edits[open_k] = "（"
            edits[close_k] = "）"
    if not edits:
        return toks
    new = [list(t.s) if t.kind == "text" else None for t in toks]
    for k, repl in edits.items():
        ti, ci = chars[k]
        new[ti][ci] = repl  # type: ignore[index]
    for ti, chars_ in enumerate(new):
        if chars_ is not None:
            toks[ti] = Tok("text", "".join(chars_))
    return toks


_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", ".": "。"}


def fullwidth_punct(toks: list[Tok]) -> list[Tok]:
    """`, ; : ! ? .` inside Chinese sentences become `，；：！？。`."""
    has_cjk = any(t.kind == "text" and CJK.search(t.s) for t in toks)
    if not has_cjk:
        return toks
    for i, tok in enumerate(toks):
        if tok.kind != "text" or not any(c in tok.s for c in _HALF_TO_FULL):
            continue
        s = tok.s
        out: list[str] = []
        for k, ch in enumerate(s):
            if ch not in _HALF_TO_FULL:
                out.append(ch)
                continue
            prev = "".join(out).rstrip()[-1:] or _neighbor(toks, i, -1)
            rest = s[k + 1 :]
            nxt_raw = rest[:1] or _neighbor(toks, i, +1)
            nxt = rest.lstrip()[:1] or _neighbor(toks, i, +1)
            at_end = not rest.strip() and not _neighbor(toks, i, +1)
            out.append(_HALF_TO_FULL[ch] if _convert(ch, prev, nxt, nxt_raw, at_end) else ch)
        toks[i] = Tok("text", "".join(out))
    return toks


def _convert(ch: str, prev: str, nxt: str, nxt_raw: str, at_end: bool) -> bool:
    if prev.isdigit() and nxt_raw.isdigit():
        return False  # 1,000  3.5  12:30
    if ch == ":" and nxt_raw == "/":
        return False  # scheme of a URL left in text
    if ch == ".":
        # Only a sentence-ending period after Chinese: not decimals, abbreviations, "Eg."
        return (is_cjk(prev) or (bool(prev) and prev in _CLOSING_FW)) and (
            at_end or nxt_raw in (" ", "") or is_cjk(nxt)
        ) and nxt != "."
    if ch in "!?" and nxt_raw in "!?":
        return _chinese_context(prev)
    return _chinese_context(prev) or is_cjk(nxt) or (at_end and CJK.search(prev or "") is not None)


def fullwidth_paren_commas(toks: list[Tok]) -> list[Tok]:
    """Inside a full-width parenthetical, ``（Large Language Model, LLM）`` takes ``，``."""
    for i, tok in enumerate(toks):
        if tok.kind == "text" and "（" in tok.s and "," in tok.s:
            toks[i] = Tok("text", re.sub(
                r"（[^（）]*）", lambda m: re.sub(r"\s*,\s*", "，", m.group(0)), tok.s))
    return toks


def cjk_quotes(toks: list[Tok]) -> list[Tok]:
    """Straight double quotes around Chinese text become “ ”."""
    for i, tok in enumerate(toks):
        if tok.kind == "text" and tok.s.count('"') >= 2:
            toks[i] = Tok("text", re.sub(r'"([^"\n]*[\u4e00-\u9fff][^"\n]*)"', r"“\1”", tok.s))
    return toks


def collapse_repeated_punct(toks: list[Tok]) -> list[Tok]:
    for i, tok in enumerate(toks):
        if tok.kind == "text":
            toks[i] = Tok("text", re.sub(r"([。，、；：])\1+", r"\1", tok.s))
    return toks


# A hyphen written between two characters joins them (盘古-Σ, 预训练-微调, 模型-A); pangu would
# space it like a minus sign, so it is hidden from pangu.
_JOINING_HYPHEN = re.compile(r"(?<=\S)-(?=\S)")
_HYPHEN_MARK = "\ue010"


def space_text(text: str) -> str:
    """pangu's spacing between Chinese and Latin letters or digits, hyphens kept as written."""
    return pangu.space_text(_JOINING_HYPHEN.sub(_HYPHEN_MARK, text)).replace(_HYPHEN_MARK, "-")


def cjk_spacing(toks: list[Tok]) -> list[Tok]:
    """One space between Chinese and Latin letters/digits, also across markup boundaries."""
    for i, tok in enumerate(toks):
        if tok.kind == "text" and tok.s.strip():
            lead = tok.s[: len(tok.s) - len(tok.s.lstrip())]
            trail = tok.s[len(tok.s.rstrip()) :]
            toks[i] = Tok("text", lead + space_text(tok.s.strip()) + trail)
    # Boundaries between visible tokens separated only by markers (or nothing).
    out: list[Tok] = []
    i = 0
    while i < len(toks):
        out.append(toks[i])
        if toks[i].kind in _MARKERS:
            i += 1
            continue
        left = _visible_char(toks[i], last=True)
        j = i + 1
        while j < len(toks) and toks[j].kind in _MARKERS:
            j += 1
        if j < len(toks) and left:
            right = _visible_char(toks[j], last=False)
            if right and _needs_space(left, right):
                between = list(range(i + 1, j))
                split = next((k for k in between if not _is_closer(toks, k)), j)
                out.extend(toks[i + 1 : split])
                out.append(Tok("text", " "))
                out.extend(toks[split:j])
                i = j
                continue
        i += 1
    return out


def _needs_space(left: str, right: str) -> bool:
    if left.isspace() or right.isspace():
        return False
    return (is_cjk(left) and _ALNUM.match(right) is not None) or (
        _ALNUM.match(left) is not None and is_cjk(right)
    )


_PROTECTED_FOR_SPACES = re.compile(
    rf"(`+).+?\1|https?://[^\s<>()（）\[\]{FULLWIDTH_PUNCT}]+"
)


def tidy_spaces(toks: list[Tok]) -> list[Tok]:
    """No spaces next to full-width punctuation; no runs of spaces (formulas untouched)."""
    text, formulas = shield_math(detokenize(toks))
    protected = [m.span() for m in re.finditer(_PROTECTED_FOR_SPACES, text)]

    def clean(seg: str) -> str:
        seg = re.sub(r"[ \t]+", " ", seg)
        # pangu spaces hyphens like operators; 预训练-微调 is one compound.
        seg = re.sub(rf"(?<=[{CJK_CHARS}]) - (?=[{CJK_CHARS}])", "-", seg)
        seg = re.sub(rf" +(?=[{FULLWIDTH_PUNCT}])", "", seg)
        return re.sub(rf"(?<=[{FULLWIDTH_PUNCT}]) +", "", seg)

    out, pos = [], 0
    for start, end in protected:
        out.append(clean(text[pos:start]))
        out.append(text[start:end])
        pos = end
    out.append(clean(text[pos:]))
    return tokenize(unshield("".join(out).strip(), formulas))


def fix_emphasis(toks: list[Tok]) -> list[Tok]:
    """Move punctuation off the inside of ``**`` so the markers still parse.

    CommonMark will not close ``**表达。**通过`` (punctuation inside, a letter
    outside), so the reader would see the asterisks; ``**表达**。通过`` is the same
    text and parses.
    """
    for i, tok in enumerate(toks):
        if tok.kind != "marker" or i == 0 or i + 1 >= len(toks):
            continue
        before, after = toks[i - 1], toks[i + 1]
        if _is_closer(toks, i):
            if after.kind == "text" and after.s.startswith(" ") and before.kind == "text" \
                    and before.s[-1:] in tuple(FULLWIDTH_PUNCT):
                after = toks[i + 1] = Tok("text", after.s.lstrip(" "))
            if before.kind == "text" and before.s and before.s[-1] in FULLWIDTH_PUNCT \
                    and after.kind != "marker" and _visible_char(after, False) not in ("", " ") \
                    and _visible_char(after, False) not in FULLWIDTH_PUNCT:
                # Move the whole trailing run of punctuation out.
                run = re.search(rf"[{FULLWIDTH_PUNCT}]+$", before.s)
                assert run is not None
                if len(run.group(0)) < len(before.s):
                    toks[i - 1] = Tok("text", before.s[: run.start()])
                    toks[i + 1] = Tok(after.kind, run.group(0) + after.s) if after.kind == "text" \
                        else after
                    if after.kind != "text":
                        toks.insert(i + 1, Tok("text", run.group(0)))
        elif after.kind == "text" and after.s and after.s[0] in FULLWIDTH_PUNCT \
                and before.kind == "text" and before.s and before.s[-1] not in FULLWIDTH_PUNCT \
                and not before.s[-1].isspace():
            run = re.match(rf"[{FULLWIDTH_PUNCT}]+", after.s)
            assert run is not None
            if len(run.group(0)) < len(after.s) and run.group(0)[0] not in _OPENING_FW:
                toks[i + 1] = Tok("text", after.s[run.end() :])
                toks[i - 1] = Tok("text", before.s + run.group(0))
    return toks


Rule = Callable[[list[Tok]], list[Tok]]
RULES: tuple[tuple[str, Rule], ...] = (
    ("unicode-spaces", unicode_spaces),
    ("join-soft-breaks", join_soft_breaks),
    ("fullwidth-parens", fullwidth_parens),
    ("fullwidth-punct", fullwidth_punct),
    ("fullwidth-paren-commas", fullwidth_paren_commas),
    ("cjk-quotes", cjk_quotes),
    ("cjk-spacing", cjk_spacing),
    ("tidy-spaces", tidy_spaces),
    ("collapse-repeated-punct", collapse_repeated_punct),
    ("fix-emphasis", fix_emphasis),
)
MAX_PASSES = 4


@lru_cache(maxsize=200_000)
def normalize_inline(text: str) -> str:
    """Normalize one block's inline Markdown (paragraph, list item, quote, title).

    The rules interact (a quote converted late makes a comma beside it Chinese), so the
    chain runs until the text no longer changes; normalizing twice then changes nothing.
    """
    for _ in range(MAX_PASSES):
        toks = tokenize(text)
        for _name, rule in RULES:
            toks = rule(toks)
        new = detokenize(toks)
        if new == text:
            break
        text = new
    return text


# A dot between two Chinese words of a cell joins the parts of a name (鹏程.盘古 → 鹏程·盘古); a
# cell is no sentence for it to end.
_NAME_DOT = re.compile(r"(?<=[\u4e00-\u9fff])\.(?=[\u4e00-\u9fff])")


def normalize_table(raw: str) -> str:
    """Normalize the cells of a pipe table, leaving its delimiter row alone."""
    out = []
    for line in raw.split("\n"):
        if re.fullmatch(r"\s*\|?[\s:|\-]+\|?\s*", line):
            out.append(line.strip())
            continue
        cells = re.split(r"(?<!\\)\|", line.strip().strip("|"))
        out.append("| " + " | ".join(normalize_inline(_NAME_DOT.sub("·", c.strip())) for c in cells) + " |")
    return "\n".join(out)


_HTML_TAG = re.compile(r"(<[^<>]+>)")


def normalize_html_table(raw: str) -> str:
    """Normalize the cell text of a table kept as HTML, leaving its markup alone."""
    return "\n".join("".join(part if i % 2 or not part.strip() else normalize_inline(part)
                              for i, part in enumerate(_HTML_TAG.split(line)))
                      for line in raw.split("\n"))


# --------------------------------------------------------------------------- the stage


def normalize_doc(doc: NoteDoc) -> NoteDoc:
    """The note with every heading, prose block and table normalized (code and formulas untouched)."""
    return replace(doc, root=_normalize_section(doc.root),
                   attribution=replace(doc.attribution, title=normalize_inline(doc.attribution.title)))


def _normalize_section(section: Section) -> Section:
    heading = section.heading
    if heading is not None:
        heading = replace(heading, title=normalize_inline(heading.title))
    return replace(section, heading=heading, blocks=[_normalize_block(b) for b in section.blocks],
                   children=[_normalize_section(c) for c in section.children])


def _normalize_block(block: Block) -> Block:
    if block.kind is BlockKind.TABLE:
        return replace(block, text=normalize_table(block.text))
    if block.kind is BlockKind.HTML:
        return replace(block, text=normalize_html_table(block.text))
    if block.kind in (BlockKind.CODE, BlockKind.MATH):
        return block
    return replace(block, text=normalize_inline(block.text))
