"""Structure: a note's text → a section tree whose blocks and headings keep their line ranges.

markdown-it-py parses the Markdown; this module walks its top-level tokens, turns
each construct into heading or block events, recognizes the lines that act as
headings (numbered lines, bold-only lines, lines behind a glyph like ▌) and nests sections by the note's own
heading styles rather than by counting ``#``.
"""

from __future__ import annotations

import bisect
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.footnote import footnote_plugin

from ..diagnostics import Reporter
from ..models import (
    ASSET_SCHEME,
    Attribution,
    Block,
    BlockKind,
    Heading,
    NoteDoc,
    NoteText,
    Removal,
    Section,
    Span,
)
from ..text import CJK, split_sentences, visible
from .figures import CAPTION_RULE, Around, DroppedFigure, caption_kind, is_credit, judge, next_shown
from .headings import (
    ANSWER_LABEL,
    URL_ONLY,
    LineContext,
    clean_title,
    numbering_style,
    plain_line,
    recognize_line_heading,
    strip_markup,
)
from .inline import InlineContext, clean_inline, has_html_image, html_block_text, warn_html_block
from .math import TOKEN as MATH_TOKEN
from .math import display_tex, tex_delimiters_as_dollars, use_math
from .obsidian import CALLOUT, CALLOUT_TYPES, TASK_BOX, TASK_LINE, TODO_HEADING, find_metadata
from .tables import HtmlTable, Segment, cell_markdown, has_text, html_table, pipe_table, split_html_tables

# Python-Markdown's admonition line: !!! (or ??? / ???+) type words, an optional quoted title.
_ADMONITION_LINE = re.compile(r'^(?:!!!|\?\?\?\+?)[ \t]+[A-Za-z][\w-]*(?:[ \t]+[A-Za-z][\w-]*)*'
                              r'(?:[ \t]+"[^"\n]*")?[ \t]*$')


def _strict_admonitions(md: MarkdownIt) -> None:
    """mdit-py-plugins' admonitions, only where Python-Markdown would see one: "???为什么" or
    "!!!重要" in a Chinese note is prose."""
    md.use(admon_plugin)
    ruler = md.block.ruler
    rule = ruler.__rules__[ruler.__find__("admonition")]
    loose = rule.fn

    def strict(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        begin = state.bMarks[start] + state.tShift[start]
        if not _ADMONITION_LINE.match(state.src[begin : state.eMarks[start]]):
            return False
        return loose(state, start, end, silent)

    ruler.at("admonition", strict, {"alt": list(rule.alt)})


# MkDocs-style admonitions (!!! note "标题") and footnotes ([^1]) are parsed as such, not as
# paragraphs that run into each other.
_MD = use_math(MarkdownIt("commonmark", {"html": True, "maxNesting": 200}).enable(["table", "strikethrough"])
               .use(_strict_admonitions).use(footnote_plugin, inline=False, move_to_end=False))
# A heading that asks: it ends in a question mark.
_ASKS = re.compile(r"[？?]\s*$")
_FOOTNOTE_REF = re.compile(r"\[\^(?P<label>[^\]\s]+)\]")

_ADDRESS_ONLY = re.compile(r"<?https?://\S+?>?[。.]?")
_REFERENCE_ENTRY = re.compile(r"^\s*(?:\[\d{1,3}\]|［\d{1,3}］|【\d{1,3}】|\d{1,3}[.、)）])\s*\S")
_REFERENCE_LABEL = re.compile(
    r"^[【\[]?\s*(参考(内容|文献|资料|链接|文章|来源|视频|博客|论文|代码|教程)|参考(?=\s*[】\]]?\s*(?:[:：]|$))|引用(文献|来源)?|资料来源|"
    # "## 致谢" over the articles a note drew on: its sources, credited
    r"致谢|鸣谢|References?|Bibliography|Acknowledge?ments?)"
    r"\s*[】\]]?\s*[:：]?\s*(?P<rest>.*)$",
    re.I,
)
_ADMONITION = re.compile(r"^\s*(?P<label>注意|注|提示|警告|重要|Note|Warning|Tip)\s*[:：]\s*", re.I)
_ADMONITION_TYPE = {"注意": "note", "注": "note", "提示": "tip", "警告": "warning",
                    "重要": "important", "note": "note", "warning": "warning", "tip": "tip"}
_WORDS = re.compile(r"\w")
_ADMONITION_TITLE = re.compile(r"(?i)(|注意|注|提示|警告|重要|说明|备注|小结|总结|Note|Warning|Tip|Info|"
                               r"Important|Caution|Danger)[:：]?")


@dataclass
class _HeadingEvent:
    raw: str
    style: str
    span: Span


@dataclass
class _Builder:
    note: NoteText
    ctx: InlineContext
    reporter: Reporter
    events: list[_HeadingEvent | Block] = field(default_factory=list)
    removals: list[Removal] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    reference_spans: list[Span] = field(default_factory=list)
    list_counter: int = 0
    in_references: bool = False
    footnotes: dict[str, str] = field(default_factory=dict)  # label → its text, read inline
    footnotes_used: set[str] = field(default_factory=set)
    # Heading lines of the note's top level and running non-blank counts (_section_share).
    section_bounds: tuple[list[int], list[int]] | None = None

    def next_list_id(self) -> str:
        self.list_counter += 1
        return f"{self.note.path}#list{self.list_counter}"

    def span(self, start0: int, end0: int) -> Span:
        """Span from markdown-it's 0-based half-open map, trimmed to non-blank lines."""
        lines = self.note.lines
        start, end = start0, max(start0 + 1, end0)
        while start < end - 1 and not lines[start].strip():
            start += 1
        while end - 1 > start and not lines[end - 1].strip():
            end -= 1
        return Span(self.note.path, start + 1, end)

    def remove(self, span: Span, rule: str, detail: str = "") -> None:
        self.removals.append(Removal(span, rule, detail))

    def line_context(self, text: str, line0: int) -> LineContext:
        """The line at 0-based index line0 (as text), with its nearest non-blank neighbours."""
        lines = self.note.lines
        before = next((lines[j].strip() for j in range(line0 - 1, -1, -1) if lines[j].strip()), "")
        after = next((lines[j].strip() for j in range(line0 + 1, len(lines)) if lines[j].strip()), "")
        return LineContext(text, in_list=False, neighbours=(before, after))


def build_note(note: NoteText, note_abs: Path, notes_root: Path, reporter: Reporter,
               origin_url: str = "") -> NoteDoc:
    ctx = InlineContext(note.path, note_abs.parent.resolve(), notes_root.resolve(), reporter)
    note, metadata, front_title = _blank_metadata(note)
    builder = _Builder(note, ctx, reporter, removals=metadata)
    env: dict = {}
    tokens = _MD.parse(note.text, env)
    ctx.references = {label: ref["href"] for label, ref in env.get("references", {}).items()}
    builder.footnotes = _footnote_texts(tokens)
    # Cited anywhere in prose (before or after the footnote itself): read there.
    builder.footnotes_used = {m.group("label") for i, t in enumerate(tokens)
                              if t.type == "inline" and i and tokens[i - 1].type == "paragraph_open"
                              for m in _FOOTNOTE_REF.finditer(t.content)} & set(builder.footnotes)
    _walk_top_level(builder, tokens)
    _account_reference_definitions(builder, tokens)
    root = _nest(builder)
    _drop_todo_sections(builder, root)
    _drop_dangling_references(builder, root)
    attribution = _attribution(builder, root, origin_url, front_title)
    _assign_levels(root, 0)
    for section in root.walk():
        section.note = note.path
    doc = NoteDoc(
        path=note.path,
        name=note.name,
        encoding=note.encoding,
        root=root,
        attribution=attribution,
        removals=sorted([*note.removals, *builder.removals], key=lambda r: r.span),
        nonblank_lines=note.original_nonblank,
        reference_spans=builder.reference_spans,
        images=sorted(set(ctx.images)),
    )
    return doc


def _blank_metadata(note: NoteText) -> tuple[NoteText, list[Removal], str]:
    """Front matter, tag lines and %%comment%% lines blanked before parsing (with their rules).

    Lines ingest already blanked are not recorded twice: each removal covers one run of
    lines that still had text."""
    meta = find_metadata(note.lines)
    if not meta.removals:
        return note, [], meta.title
    lines = list(note.lines)
    removals: list[Removal] = []
    for found in meta.removals:
        run: list[int] = []
        for n in [*range(found.start, found.end + 1), 0]:  # 0 ends the last run
            if n and lines[n - 1].strip():
                run.append(n)
                continue
            if run:
                removals.append(Removal(Span(note.path, run[0], run[-1]), found.rule))
                run = []
        for n in range(found.start, found.end + 1):
            lines[n - 1] = ""
    return replace(note, lines=lines), removals, meta.title


# --- token walking -------------------------------------------------------------------------


def _close_index(tokens: list[Token], i: int) -> int:
    """Index of the token closing the one at i (same level, nesting -1)."""
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


_TITLE_LINE_MAX = 60
_TITLE_LINE_END = re.compile(r"[。！？!?；;，,：:]$")


def _is_title_line(b: _Builder, tokens: list[Token], i: int) -> bool:
    """A plain-text note's opening line that is its title (pasted from a blog page).

    The first block of the note, a single short line without closing punctuation,
    followed by a blank line, while the note goes on with more content; not a link address
    (where the note was found, no title).
    """
    if i != 0 or tokens[0].type != "paragraph_open" or not tokens[0].map:
        return False
    start0, end0 = tokens[0].map
    text = b.note.lines[start0].strip()
    return (end0 - start0 == 1 and 0 < len(text) <= _TITLE_LINE_MAX
            and not _TITLE_LINE_END.search(text) and len(tokens) > 3 and not URL_ONLY.fullmatch(text)
            and recognize_line_heading(b.line_context(text, start0)) is None)


def _walk_top_level(b: _Builder, tokens: list[Token]) -> None:
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        end = _close_index(tokens, i) if tok.nesting == 1 else i
        if _is_title_line(b, tokens, i):
            b.events.append(_HeadingEvent(tokens[1].content, "title-line", b.span(*tok.map)))
        elif tok.type == "heading_open":
            inline = tokens[i + 1]
            span = b.span(*tok.map)
            level = int(tok.tag[1])
            if strip_markup(inline.content):
                b.events.append(_HeadingEvent(inline.content, f"atx:{level}", span))
                b.in_references = bool(_REFERENCE_LABEL.match(strip_markup(inline.content)))
            else:
                b.remove(span, "empty-heading")
        elif tok.type == "paragraph_open":
            _paragraph(b, tokens[i + 1], tok.map)
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            _list(b, tokens[i : end + 1], partial(_section_share, b, tokens, i, end))
        elif tok.type == "blockquote_open":
            _blockquote(b, tokens[i : end + 1])
        elif tok.type == "admonition_open":
            _admonition(b, tokens[i : end + 1])
        elif tok.type == "footnote_reference_open":
            _footnote_definition(b, tokens[i : end + 1])
        elif tok.type == "fence":
            b.events.append(_code_block(b, tok))
        elif tok.type == "code_block":
            _indented_code(b, tok)
        elif tok.type == MATH_TOKEN:
            b.events.append(Block(BlockKind.MATH, tok.content, b.span(*tok.map)))
        elif tok.type == "table_open":
            b.events.append(_table(b, tok))
        elif tok.type == "html_block":
            _html_block(b, tok, BlockKind.PARAGRAPH)
        elif tok.type == "hr":
            b.remove(b.span(*tok.map), "thematic-break")
        i = end + 1


def _section_share(b: _Builder, tokens: list[Token], i: int, end: int) -> float:
    """The part of its section's non-blank lines that the top-level block tokens[i..end] fills.

    The section runs from the heading before the block to the heading after it: Markdown
    headings, a note's title line and paragraphs whose first line is a heading line. The
    note's heading lines and non-blank counts are found once (a note may hold many lists).
    """
    if b.section_bounds is None:
        heads: list[int] = []
        for j, tok in enumerate(tokens):
            if tok.level != 0 or not tok.map:
                continue
            if tok.type == "heading_open" or _is_title_line(b, tokens, j) or (
                    tok.type == "paragraph_open" and recognize_line_heading(
                        b.line_context(tokens[j + 1].content.split("\n")[0], tok.map[0])) is not None):
                heads.append(tok.map[0])
        counts = [0]  # counts[k]: non-blank lines before line k
        for line in b.note.lines:
            counts.append(counts[-1] + bool(line.strip()))
        b.section_bounds = (heads, counts)
    heads, counts = b.section_bounds
    start0, end0 = tokens[i].map or (0, 0)
    k = bisect.bisect_left(heads, start0)
    before = heads[k - 1] if k else -1
    after = heads[k] if k < len(heads) else len(b.note.lines)
    total = counts[after] - counts[before + 1]
    return (counts[end0] - counts[start0]) / total if total > 0 else 0.0


def _paragraph(b: _Builder, inline: Token, map_: list[int], kind: BlockKind = BlockKind.PARAGRAPH,
               *, depth: int = 0, list_id: str = "", ordered: bool = False,
               headings: bool = True) -> None:
    start0, end0 = map_
    lines = inline.content.split("\n")
    # A heading-like first line (numbered or bold) starts a section even without a blank
    # line after it, as plain-text notes often have.
    if kind is BlockKind.PARAGRAPH and headings:
        found = recognize_line_heading(b.line_context(lines[0], start0))
        if found and len(lines) > 1 and found.style.startswith("numbered:") and \
                numbering_style(lines[1]) == found.style.removeprefix("numbered:"):
            found = None  # "一、MoE 是什么\n二、路由机制\n…": a contents list written as lines
        if found and not b.in_references:
            b.events.append(_HeadingEvent(found.raw_title, found.style, b.span(start0, start0 + 1)))
            # "**参考：**" on a line of its own heads the references, as "## 参考" does.
            b.in_references = bool(_REFERENCE_LABEL.match(strip_markup(found.raw_title)))
            if len(lines) == 1:
                return
            lines, start0 = lines[1:], start0 + 1
    # Under a question heading (a question line, or any heading that asks: "### Q1：什么是
    # LoRA？"), the answer's "答："/"**答：**"/"A：" label only marks the answer: drop it.
    if kind is BlockKind.PARAGRAPH and b.events and isinstance(b.events[-1], _HeadingEvent) \
            and (b.events[-1].style == "question" or _ASKS.search(strip_markup(b.events[-1].raw))):
        lines = [ANSWER_LABEL.sub("", lines[0], count=1), *lines[1:]]
    span = b.span(start0, end0)
    text = _inline_footnotes(b, "\n".join(lines))
    tex = display_tex(text) if kind is not BlockKind.ITEM else None
    if tex is not None:  # "\[ … \]" alone: a display formula
        b.events.append(Block(BlockKind.MATH, tex, span, depth=depth, list_id=list_id))
        return
    text = tex_delimiters_as_dollars(text)
    label = _REFERENCE_LABEL.match(strip_markup(lines[0])) if kind is BlockKind.PARAGRAPH else None
    if label and len(lines) == 1 and _ADDRESS_ONLY.fullmatch(label.group("rest").strip()):
        # "参考视频：https://…" alone: one reference however long its address, and no list label.
        b.references.append(clean_inline(label.group("rest").strip(), b.ctx, span.start).text)
        b.reference_spans.append(span)
        return
    if label and len(strip_markup(lines[0])) < 40:
        b.in_references = True
        rest = label.group("rest").strip()
        if rest:
            b.references.append(clean_inline(rest, b.ctx, span.start).text)
        # "参考内容：" with its entries on the lines right below it, in the same paragraph.
        b.references.extend(" ".join(clean_inline(ln, b.ctx, span.start + i).text.split())
                            for i, ln in enumerate(lines[1:], 1) if ln.strip())
        b.reference_spans.append(span)
        return
    if b.in_references and kind is BlockKind.PARAGRAPH and all(_REFERENCE_ENTRY.match(ln) for ln in lines):
        # "[1] Kaplan J, … 2020." lines under 参考文献, written as a paragraph, not a list.
        b.references.extend(" ".join(clean_inline(ln, b.ctx, span.start).text.split()) for ln in lines)
        b.reference_spans.append(span)
        return
    if b.in_references and kind is BlockKind.ITEM:
        b.references.append(" ".join(clean_inline(text, b.ctx, span.start).text.split()))
        b.reference_spans.append(span)
        return
    b.in_references = False
    if kind is BlockKind.ITEM:
        text = TASK_BOX.sub("", text)  # "- [ ] …": a task item reads as a list item
    callout = CALLOUT.match(text) if kind is BlockKind.QUOTE else None
    if callout:
        # "> [!warning] 标题": an admonition; a title that only names its type goes.
        title = callout.group("title").strip()
        rest = text[callout.end() :]
        if _ADMONITION_TITLE.fullmatch(title) or not rest.strip():
            text = rest if rest.strip() else title
        else:
            text = f"{title}\n{rest}"
    cleaned = clean_inline(text, b.ctx, span.start)
    text = cleaned.text.strip()
    if not strip_markup(text).strip() and not cleaned.kept_images:  # "![](x.png)" shows x.png
        b.remove(span, "image-dropped" if cleaned.dropped_images else "empty-block")
        if cleaned.dropped_images:
            b.events.append(DroppedFigure(span))
        return
    if cleaned.dropped_images and kind is BlockKind.PARAGRAPH and (caption_kind(text) == "figure" or is_credit(text)):
        # "![](x.png)" and its caption in one paragraph: with the figure gone, so is the caption.
        b.remove(span, CAPTION_RULE)
        b.events.append(DroppedFigure(span))
        return
    if not _WORDS.search(strip_markup(text)) and f"]({ASSET_SCHEME}" not in text:
        # Only punctuation or symbols ("……", "——"): nothing a reader could use.
        b.remove(span, "no-text")
        return
    admonition = _ADMONITION.match(text) if kind is not BlockKind.ITEM else None
    if callout:
        kind = BlockKind.ADMONITION
        info = CALLOUT_TYPES.get(callout.group("type").lower(), "note")
    elif admonition and text[admonition.end() :].strip():
        kind = BlockKind.ADMONITION
        info = _ADMONITION_TYPE[admonition.group("label").lower()]
        text = text[admonition.end() :]
    else:
        info = ""
    b.events.append(Block(kind, text, span, depth=depth, list_id=list_id, ordered=ordered,
                          info=info))


def _list(b: _Builder, tokens: list[Token], share: Callable[[], float]) -> None:
    """A list; share() tells the part of its section's lines it makes up (for outline notes)."""
    items = [t for t in tokens if t.type == "list_item_open"]
    if tokens[0].type == "ordered_list_open" and not b.in_references \
            and _numbered_sections(b, tokens, len(items)):
        return
    if not b.in_references and _outline_sections(b, tokens, share):
        return
    _list_blocks(b, tokens, b.next_list_id())


def _list_blocks(b: _Builder, tokens: list[Token], list_id: str) -> None:
    """Items of a list, each with its nesting depth.

    tokens may also be the inside of one list item (an outline section's body): its own
    paragraphs then sit at depth -1 and stay paragraphs; its nested lists start at depth 0.
    """
    ordered: list[bool] = []  # per nesting level
    depth = -1
    item_start: int | None = None
    for i, tok in enumerate(tokens):
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
            ordered.append(tok.type == "ordered_list_open")
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            ordered.pop()
        elif tok.type == "list_item_open":
            item_start = tok.map[0] if tok.map else None
            close = _close_index(tokens, i)
            if tok.map and not any(t.type == "inline" for t in tokens[i:close]):
                # "-" or "2." alone on a line: a marker with nothing in it.
                b.remove(b.span(tok.map[0], tok.map[0] + 1), "empty-item")
        elif tok.type == "inline" and i and tokens[i - 1].type in ("paragraph_open", "heading_open") \
                and tokens[i - 1].map:
            # A heading inside a list item ("2. # 标题") is that item's text.
            para_map = tokens[i - 1].map
            if depth < 0:
                _paragraph(b, tok, para_map, BlockKind.PARAGRAPH, headings=False)
                continue
            start = item_start if item_start is not None else para_map[0]
            item_start = None
            _paragraph(b, tok, [start, para_map[1]], BlockKind.ITEM, depth=depth,
                       list_id=list_id, ordered=ordered[-1])
        elif tok.type in ("fence", "code_block") and tok.map:
            # Code inside a list item, fenced or indented under it, belongs to the item.
            b.events.append(_code_block(b, tok, depth=depth + 1, list_id=list_id))
        elif tok.type == MATH_TOKEN and tok.map:
            b.events.append(Block(BlockKind.MATH, tok.content, b.span(*tok.map), depth=depth + 1,
                                  list_id=list_id))
        elif tok.type == "table_open" and tok.map:
            b.events.append(_table(b, tok))  # a table under an item: a table of its own
        elif tok.type == "blockquote_open" and tok.map:
            _empty_quote_lines(b, tok)  # its text is read as the item's; a bare ">" is markup
        elif tok.type == "html_block" and tok.map:
            _html_block(b, tok, BlockKind.PARAGRAPH)  # "<details><summary>例子</summary>" under an item


# An outline note: its section's body is (mostly) one list whose top-level items are short
# labels with nested items under them, like "- LoRA 原理" over "  - 出处：…".
_OUTLINE_SHARE = 2 / 3
_OUTLINE_LABEL_MAX = 30
_OUTLINE_LABEL_PUNCT = re.compile(r"[。！？!?；;，,：:…]")
_OUTLINE_STYLE = "outline"


def _outline_label(text: str) -> bool:
    """A short label ("LoRA 原理", "基座选 Phi-3-mini"), not a statement ("出处：Hu et al.")."""
    visible_text = plain_line(text)
    bare = re.sub(r"[（(][^（）()]*[)）]", "", visible_text)
    return (0 < len(visible_text) <= _OUTLINE_LABEL_MAX and not _OUTLINE_LABEL_PUNCT.search(bare)
            and bool(CJK.search(bare) or re.search(r"[A-Za-z]{2,}", bare)))


@dataclass
class _TopItem:
    open: int  # index of list_item_open
    close: int  # index of list_item_close
    label: Token | None  # inline token of the item's first paragraph
    has_children: bool


def _top_items(tokens: list[Token]) -> list[_TopItem]:
    items: list[_TopItem] = []
    i = 1
    while i < len(tokens) - 1:
        if tokens[i].type != "list_item_open":
            i += 1
            continue
        close = _close_index(tokens, i)
        label = tokens[i + 2] if tokens[i + 1].type == "paragraph_open" and tokens[i + 1].map else None
        nested = any(t.type in ("bullet_list_open", "ordered_list_open") for t in tokens[i:close])
        items.append(_TopItem(i, close, label, nested))
        i = close + 1
    return items


def _outline_sections(b: _Builder, tokens: list[Token], share: Callable[[], float]) -> bool:
    """Top-level items of an outline list become section headings over their nested items.

    A list of ordinary items stays a list: most top-level items must be labels (short,
    no sentence punctuation) that have nested items. Each label item's nested items become
    its section's content, one level shallower; other top-level items stay list items
    outside the outline's sections.
    """
    items = _top_items(tokens)

    def is_label(item: _TopItem) -> bool:
        return item.label is not None and _outline_label(item.label.content.split("\n")[0])

    if len(items) < 2 or 2 * sum(is_label(it) and it.has_children for it in items) <= len(items):
        return False
    if share() < _OUTLINE_SHARE:  # the list is not the section's body (computed last: it scans)
        return False
    list_id = b.next_list_id()
    for item in items:
        if not is_label(item):
            # Not a label: a list item of the enclosing section, after the outline's sections.
            b.events.append(_CloseSection(_OUTLINE_STYLE))
            b.in_references = False
            _list_blocks(b, [tokens[0], *tokens[item.open : item.close + 1], tokens[-1]], list_id)
            continue
        assert item.label is not None
        para_open = tokens[item.open + 1]
        start0, end0 = para_open.map  # type: ignore[misc]
        label, *rest = item.label.content.split("\n")
        b.events.append(_HeadingEvent(label, _OUTLINE_STYLE, b.span(start0, start0 + 1)))
        b.in_references = bool(_REFERENCE_LABEL.match(strip_markup(label)))
        if rest:  # lines continuing the label's paragraph are text of the section
            body = Token("inline", "", 0, content="\n".join(rest))
            _paragraph(b, body, [start0 + 1, end0], headings=False)
        # Skip the label's paragraph (open, inline, close); the rest is the section's body.
        _list_blocks(b, tokens[item.open + 4 : item.close], b.next_list_id())
    b.events.append(_CloseSection(_OUTLINE_STYLE))
    b.in_references = False
    return True


@dataclass
class _CloseSection:
    """Ends the open sections of a style: what follows belongs to the enclosing section."""

    style: str


def _numbered_sections(b: _Builder, tokens: list[Token], n_items: int) -> bool:
    """An ordered "list" that is really numbered headings, each followed by its text.

    "1. LLM 的定义" alone, or "1. 分组查询注意力（GQA）" with its paragraph on the next
    line (Markdown reads that as a lazy continuation), item after item. A list of short
    phrases ("1. 预训练 2. 微调") stays a list: every item must be a lone heading line or a
    heading line with text under it, and a multi-item list needs text under each.
    """
    items: list[tuple[Token, Token]] = []  # (paragraph_open, inline) of each top-level item
    depth = 0
    for i, tok in enumerate(tokens):
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif tok.type == "inline" and depth == 1 and tokens[i - 1].type == "paragraph_open":
            items.append((tokens[i - 1], tok))
        elif depth > 1 or tok.type in ("fence", "code_block", "html_block", MATH_TOKEN):
            return False
    if len(items) != n_items:
        return False
    found = []
    for paragraph, inline in items:
        if not paragraph.map:
            return False
        start0 = paragraph.map[0]
        heading = recognize_line_heading(b.line_context(b.note.lines[start0].strip(), start0))
        has_body = "\n" in inline.content
        if heading is None or (n_items > 1 and not has_body):
            return False
        found.append((heading, paragraph, inline))
    for heading, paragraph, inline in found:
        start0, end0 = paragraph.map
        b.events.append(_HeadingEvent(heading.raw_title, heading.style, b.span(start0, start0 + 1)))
        rest = inline.content.split("\n")[1:]
        if rest:
            body = Token("inline", "", 0, content="\n".join(rest))
            _paragraph(b, body, [start0 + 1, end0])
    return True


_QUOTE_MARKERS_ONLY = re.compile(r"^\s*(?:>\s*)+$")
_QUOTE_MARKERS = re.compile(r"^\s*(?:>\s?)+")


def _table(b: _Builder, tok: Token, quoted: bool = False) -> Block:
    """A table's block; one written inside a quote ("> | a | b |") without its quote markers."""
    span = b.span(*tok.map)
    lines = b.note.lines[span.start - 1 : span.end]
    # Indented under a list item or quoted: the table's own lines without what holds them.
    raw = textwrap.dedent("\n".join(_QUOTE_MARKERS.sub("", line) for line in lines) if quoted else "\n".join(lines))
    # Cells get the same treatment as prose: no local links, images or raw HTML.
    return Block(BlockKind.TABLE, clean_inline(raw, b.ctx, span.start).text, span)


def _empty_quote_lines(b: _Builder, tok: Token) -> None:
    """">" lines between a quote's paragraphs (or a quote with nothing in it) are markup."""
    assert tok.map is not None
    start0, end0 = tok.map
    for line0 in range(start0, end0):
        if _QUOTE_MARKERS_ONLY.match(b.note.lines[line0]):
            b.remove(b.span(line0, line0 + 1), "empty-quote-line")


def _blockquote(b: _Builder, tokens: list[Token]) -> None:
    if tokens and tokens[0].map:
        _empty_quote_lines(b, tokens[0])
    for i, tok in enumerate(tokens):
        if tok.type == "inline" and tokens[i - 1].type in ("paragraph_open", "heading_open") \
                and tokens[i - 1].map:
            _paragraph(b, tok, tokens[i - 1].map, BlockKind.QUOTE)
        elif tok.type in ("fence", "code_block") and tok.map:
            b.events.append(_code_block(b, tok))
        elif tok.type == MATH_TOKEN and tok.map:
            b.events.append(Block(BlockKind.MATH, tok.content, b.span(*tok.map)))
        elif tok.type == "html_block" and tok.map:
            _html_block(b, tok, BlockKind.QUOTE)
        elif tok.type == "table_open" and tok.map:
            b.events.append(_table(b, tok, quoted=True))
        elif tok.type == "hr" and tok.map:
            b.remove(b.span(*tok.map), "thematic-break")
        elif tok.type == "list_item_open" and tok.map and \
                not any(t.type == "inline" for t in tokens[i : _close_index(tokens, i)]):
            b.remove(b.span(tok.map[0], tok.map[0] + 1), "empty-item")  # "> -": nothing in it
    # "> 注意：…" quotes become admonitions: done in _paragraph for plain paragraphs; quotes too.
    for i in range(len(b.events) - 1, -1, -1):
        event = b.events[i]
        if isinstance(event, Block) and event.kind is BlockKind.QUOTE:
            m = _ADMONITION.match(event.text)
            if m and event.text[m.end() :].strip():
                b.events[i] = replace(event, kind=BlockKind.ADMONITION, text=event.text[m.end() :],
                                      info=_ADMONITION_TYPE[m.group("label").lower()])
            break


def _code_block(b: _Builder, tok: Token, **where: Any) -> Block:
    """A fenced (or indented) code token as a code block, its language from the fence."""
    return Block(BlockKind.CODE, tok.content.rstrip("\n"), b.span(*tok.map), info=tok.info.strip().split(" ")[0],
                 **where)


def _admonition(b: _Builder, tokens: list[Token]) -> None:
    """``!!! note "标题"`` and its indented text: each paragraph an admonition of that type, the
    first with the title (unless it only names the type), as a "> [!note] 标题" callout is."""
    kind = tokens[0].meta.get("tag", "note").lower()
    title = next((t.content for t in tokens[1:3] if t.type == "inline"), "")
    start0 = tokens[0].map[0] if tokens[0].map else 0
    first = True

    def title_line() -> None:
        """The ``!!!`` line alone (no paragraph follows it): its title, or nothing to keep."""
        if _ADMONITION_TITLE.fullmatch(title.strip()):
            b.remove(b.span(start0, start0 + 1), "admonition-marker")
        else:
            _paragraph(b, Token("inline", "", 0, content=f"[!{kind}] {title}"), [start0, start0 + 1],
                       BlockKind.QUOTE)

    for i, tok in enumerate(tokens[3:], start=3):  # after the title's three tokens
        if tok.type == "inline" and tokens[i - 1].type == "paragraph_open" and tokens[i - 1].map:
            para0, end0 = tokens[i - 1].map
            marker = f"[!{kind}] {title if first else ''}".rstrip()
            callout = Token("inline", "", 0, content=f"{marker}\n{tok.content}")
            _paragraph(b, callout, [start0 if first else para0, end0], BlockKind.QUOTE)
            first = False
        elif tok.type in ("fence", "code_block", MATH_TOKEN) and tok.map:
            if first:
                title_line()
                first = False
            if tok.type == MATH_TOKEN:
                b.events.append(Block(BlockKind.MATH, tok.content, b.span(*tok.map)))
            else:
                b.events.append(_code_block(b, tok))
    if first and tokens[0].map:
        title_line()


def _footnote_texts(tokens: list[Token]) -> dict[str, str]:
    """Each footnote's text by its label ([^1]: …), its paragraphs joined."""
    out: dict[str, list[str]] = {}
    label = None
    for tok in tokens:
        if tok.type == "footnote_reference_open":
            label = str(tok.meta.get("label", ""))
            out[label] = []
        elif tok.type == "footnote_reference_close":
            label = None
        elif tok.type == "inline" and label is not None:
            out[label].append(" ".join(x.strip() for x in tok.content.split("\n")))
    return {k: " ".join(v).strip() for k, v in out.items() if " ".join(v).strip()}


def _inline_footnotes(b: _Builder, text: str) -> str:
    """A footnote is read where it is cited ("…缓存起来（参考 vLLM 论文）"): pages mix the
    sections of many notes, so a note's list of footnotes at its end would lose its anchors."""
    if not b.footnotes or "[^" not in text:
        return text

    def inline(m: re.Match[str]) -> str:
        note = b.footnotes.get(m.group("label"))
        if note is None or m.group("label") not in b.footnotes_used:
            return m.group(0)
        return f"（{note.rstrip('。.')}）"

    return _FOOTNOTE_REF.sub(inline, text)


def _footnote_definition(b: _Builder, tokens: list[Token]) -> None:
    """A footnote's own lines: read where it is cited, so removed here by name; one that
    nothing cites stays a paragraph of its own."""
    label = str(tokens[0].meta.get("label", ""))
    for i, tok in enumerate(tokens):
        if tok.type == "inline" and tokens[i - 1].type == "paragraph_open" and tokens[i - 1].map:
            if label in b.footnotes_used:
                b.remove(b.span(*tokens[i - 1].map), "footnote-inlined")
            else:
                _paragraph(b, tok, tokens[i - 1].map, headings=False)


# Indented lines that are code or a template even when they are Chinese: a Markdown or code
# marker opening a line, an escape sequence written out (\n), a template's braces.
_CODE_LIKE = re.compile(r"^\s*(?:#{1,6}\s|[{}<\[`$>|=]|//|/\*|(?:def|class|import|from|return)\s)"
                        r"|\\[ntr](?![A-Za-z])|\{\{|\}\}", re.M)


def _indented_code(b: _Builder, tok: Token) -> None:
    """Indented "code" that is really indented prose (a tab before a sentence) stays prose; a
    prompt template ("### Instruction:\\n将下列文本翻译成英文") stays code."""
    span = b.span(*tok.map)
    content = tok.content.strip("\n")
    if CJK.search(content) and len(CJK.findall(content)) > 0.3 * len(content.replace(" ", "")) \
            and not _CODE_LIKE.search(content):
        # Each run of lines between blank ones is a paragraph of its own, as it would be unindented.
        run: list[int] = []
        for line0 in [*range(span.start - 1, span.end), -1]:
            if line0 >= 0 and b.note.lines[line0].strip():
                run.append(line0)
                continue
            if run:
                fake = Token("inline", "", 0, content="\n".join(b.note.lines[i].strip() for i in run))
                _paragraph(b, fake, [run[0], run[-1] + 1])
                run = []
    else:
        b.events.append(Block(BlockKind.CODE, content, span))


_DETAILS_ONLY = re.compile(r"(?:\s|</?details[^>]*>|<summary[^>]*>.*?</summary>)*", re.S | re.I)


def _html_block(b: _Builder, tok: Token, kind: BlockKind) -> None:
    """A raw HTML block: its tables become tables (see structure/tables.py), the rest its text
    as a block of ``kind``; lines with nothing left on them are removed as markup."""
    assert tok.map is not None
    span = b.span(*tok.map)
    if _DETAILS_ONLY.fullmatch(tok.content):
        # "<details><summary>点击查看例子</summary>": a fold's handle; what it folds is kept.
        b.remove(span, "details-markup")
        return
    if not _html_tables(b, tok, kind):
        text = html_block_text(tok.content, b.ctx, span.start)
        figure = has_html_image(tok.content)
        if figure:
            b.events.append(DroppedFigure(span))  # an <img> is never published
        if figure and not re.search(r"\w", text):
            b.remove(span, "image-dropped")
        elif figure and (caption_kind(text) == "figure" or is_credit(text)):
            # <div align="center"><img …><p>图2.1 全连接神经网络</p></div>: the caption of it
            b.remove(span, CAPTION_RULE)
        elif re.search(r"\w", text):  # markup only ("<br>" and a "***" it swallowed) is no text
            b.events.append(Block(kind, text, span))
        else:
            b.remove(span, "html-markup")


def _html_tables(b: _Builder, tok: Token, kind: BlockKind) -> bool:
    """The pieces of an HTML block holding tables, each on lines of its own; False when the
    block has no table, or when text shares its only lines with a table (the block is then
    read as text, as before: no line may be accounted for twice)."""
    assert tok.map is not None
    raw, first = tok.content, tok.map[0] + 1  # note line of the block's first line
    segments = split_html_tables(raw)
    if not segments:
        return False
    placed: list[tuple[int, int, Segment]] = []  # note lines of each non-blank segment
    for seg in segments:
        lines = _segment_lines(raw, seg)
        if lines is not None:
            placed.append((first + lines[0], first + lines[1], seg))
    table_lines = {n for lo, hi, seg in placed if seg.table for n in range(lo, hi + 1)}
    texts: list[tuple[int, int, Segment]] = []
    for lo, hi, seg in placed:
        if seg.table is None and has_text(raw[seg.start : seg.end]):
            own = [n for n in range(lo, hi + 1) if n not in table_lines]
            if not own:
                return False
            texts.append((own[0], own[-1], seg))
    covered: set[int] = set()
    for lo, hi, seg in placed:
        span = Span(b.note.path, lo, hi)
        if seg.table is not None:
            block = _table_block(b, seg.table, raw, span, first)
        else:
            own = next(((a, z) for a, z, s in texts if s is seg), None)
            if own is None:
                continue
            span = Span(b.note.path, *own)
            text = html_block_text(raw[seg.start : seg.end], b.ctx, span.start)
            block = Block(kind, text, span) if text else None
        if block is not None:
            b.events.append(block)
            covered.update(span.lines())
    run: list[int] = []  # what is left: markup only
    for n in [*range(first, tok.map[1] + 1), 0]:
        if n and n <= tok.map[1] and n not in covered and b.note.lines[n - 1].strip():
            run.append(n)
        elif run:
            b.remove(Span(b.note.path, run[0], run[-1]), "html-markup")
            run = []
    return True


def _segment_lines(raw: str, seg: Segment) -> tuple[int, int] | None:
    """0-based first and last line of the block that a segment has non-blank text on."""
    piece = raw[seg.start : seg.end]
    if not piece.strip():
        return None
    start = seg.start + len(piece) - len(piece.lstrip())
    end = seg.start + len(piece.rstrip()) - 1
    return raw.count("\n", 0, start), raw.count("\n", 0, end)


def _table_block(b: _Builder, table: HtmlTable, raw: str, span: Span, first: int) -> Block | None:
    """A simple table as a pipe table (cells cleaned like prose), any other as sanitized HTML;
    None when no cell holds anything. ``first``: the note line of raw's first line."""
    region = raw[table.start : table.end]
    warn_html_block(region, b.ctx, span.start, "table", images=not table.simple)
    rows = [row for row in table.rows if row.cells]
    if not table.simple:
        html = html_table(table, raw)
        return Block(BlockKind.HTML, html, span) if has_text(html) else None

    def cell(c) -> str:
        markdown = cell_markdown(raw[c.start : c.end])
        line = first + raw.count("\n", 0, c.start)
        return " ".join(clean_inline(markdown, b.ctx, line).text.split())

    header = None
    if rows and (rows[0].head or all(c.header for c in rows[0].cells)):
        header = [cell(c) for c in rows[0].cells]
        rows = rows[1:]
    body = [[cell(c) for c in row.cells] for row in rows]
    if not any(text for row in [header or [], *body] for text in row):
        return None
    return Block(BlockKind.TABLE, pipe_table(header, body), span)


_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S")


def _account_reference_definitions(b: _Builder, tokens: list[Token]) -> None:
    """"[id]: url" lines produce no token; their targets were inlined into the links."""
    covered: set[int] = set()
    for tok in tokens:
        if tok.map:
            covered.update(range(tok.map[0], tok.map[1]))
    for i, line in enumerate(b.note.lines):
        if i not in covered and _REFERENCE_DEFINITION.match(line):
            b.remove(Span(b.note.path, i + 1, i + 1), "link-reference-definition")


# --- nesting -------------------------------------------------------------------------------


def _nest(b: _Builder) -> Section:
    root = Section(heading=None, level=0)
    # (style, ATX level or None for other styles, section); a title line ranks above "#".
    stack: list[tuple[str, float | None, Section]] = []
    for event in b.events:
        if isinstance(event, _HeadingEvent):
            # Titles get the prose treatment too: no local links, images or raw HTML.
            event.raw = clean_inline(event.raw, b.ctx, event.span.start).text
            title = clean_title(event.raw)
            origin = ""
            link = re.search(r"\]\((https?://[^)\s]+)\)", event.raw)
            if link:
                origin = link.group(1)
            heading = Heading(title.title, event.span, event.style, title.english, title.abbr,
                              origin)
            section = Section(heading=heading, level=0)
            if event.style.startswith("atx:") or event.style == "title-line":
                level = 0.5 if event.style == "title-line" else float(event.style[4:])
                while stack and (stack[-1][1] is None or stack[-1][1] >= level):
                    stack.pop()
                stack.append((event.style, level, section))
            else:
                styles = [s for s, _, _ in stack]
                if event.style in styles:
                    while stack:
                        popped = stack.pop()
                        if popped[0] == event.style:
                            break
                stack.append((event.style, None, section))
            parent = stack[-2][2] if len(stack) > 1 else root
            parent.children.append(section)
        else:
            if isinstance(event, _CloseSection):
                if any(style == event.style for style, _, _ in stack):
                    while stack and stack.pop()[0] != event.style:
                        pass
                continue
            target = stack[-1][2] if stack else root
            target.blocks.append(event)  # type: ignore[arg-type]
    _promote_title(root)
    return root


def _promote_title(root: Section) -> None:
    """A single top heading that opens the note is the note's title, not a section."""
    if len(root.children) != 1 or root.blocks:
        return
    only = root.children[0]
    if not only.children:
        return
    root.heading = only.heading
    root.blocks = only.blocks
    root.children = only.children


def _drop_todo_sections(b: _Builder, root: Section) -> None:
    """A "TODO"/"待办" section holding only a task list is the author's to-do, not knowledge."""
    for section in list(root.walk()):
        kept = []
        for child in section.children:
            blocks = [blk for blk in child.blocks if isinstance(blk, Block)]
            if child.heading is not None and not child.children and blocks \
                    and TODO_HEADING.match(child.heading.title) \
                    and all(blk.kind is BlockKind.ITEM
                            and TASK_LINE.match(b.note.lines[blk.span.start - 1])
                            for blk in blocks):
                b.remove(child.heading.span, "todo-list")
                for blk in blocks:
                    b.remove(blk.span, "todo-list")
                continue
            kept.append(child)
        section.children = kept


def _assign_levels(section: Section, level: int) -> None:
    section.level = level
    for child in section.children:
        _assign_levels(child, level + 1)


# --- dangling references ---------------------------------------------------------------------


def _drop_dangling_references(b: _Builder, root: Section) -> None:
    """Captions of figures that are not on the page and sentences that only point at them
    (the rules of structure/figures.py), then sentences that point at the book's chapters."""
    for section in root.walk():
        kept: list[Block] = []
        events = section.blocks
        for i, block in enumerate(events):
            if isinstance(block, DroppedFigure):
                continue
            around = Around(events[i - 1] if i else None, next_shown(events[i + 1 :]))
            verdict = judge(block, around)
            if verdict is not None:
                if verdict.what:
                    gone = "sentence" if verdict.block is None else "pointer"
                    b.reporter.warn(block.span.file, block.span.end, verdict.rule,
                                    f"{gone} refers to a {verdict.what} that is not in the note; dropped")
                if verdict.block is None:
                    b.remove(block.span, verdict.rule)
                    continue
                block = verdict.block
            if block.kind is BlockKind.PARAGRAPH:
                trimmed = _drop_chapter_pointers(b, block)
                if trimmed is None:
                    continue
                block = trimmed
            kept.append(block)
        section.blocks = kept


# A sentence that only says where the book or course goes or has been ("在上一节，我们详细介绍了
# Transformer 的核心。", "在本章中，我们将依次介绍…"): a knowledge page has no chapters.
_POINTER = (r"^\W{0,2}(?:因此|接下来|那么|下面|首先|最后)?[，,]?\s*(?:在|于)?\s*"
            r"(?:本章节?|本节|本小节|本部分|本篇|本文|上一[节章篇部分]|下一[节章篇部分]|上[文节章]|前[文面]几?节?|后文|下文)"
            r"(?:中|里|内)?[，,]?\s*")
_NAVIGATE = r"(?:介绍|讲解|讲述|讨论|分析|学习|探讨|剖析|论述|了解|梳理|回顾|展示|实践|动手|搭建|实现|聚焦|结合|解析)"
_CHAPTER_POINTER = re.compile(
    _POINTER + r"(?:(?:我们|笔者|作者)?\s*(?:将|会|已经?|还|也|先|再)?\s*(?:为大家|带大家|和大家一起)?\s*"
    r"(?:详细|深入|依次|进一步|主要|重点|简要|简单|一起|系统地|逐步|完整地?)*\s*" + _NAVIGATE +
    r"|(?:我们|笔者|作者)\s*(?:将|会|已经?)[^。！？；]{0,80}?" + _NAVIGATE + ")")


def _drop_chapter_pointers(b: _Builder, block: Block) -> Block | None:
    """Sentences of a paragraph that only point at the book's other chapters go (rule
    ``chapter-pointer``); a paragraph of nothing else is removed."""
    sentences = split_sentences(block.text)
    kept = [s for s in sentences if not _CHAPTER_POINTER.search(visible(s).strip())]
    if len(kept) == len(sentences):
        return block
    if not "".join(kept).strip():
        b.remove(block.span, "chapter-pointer")
        return None
    return replace(block, text="".join(kept).strip())


# --- attribution ----------------------------------------------------------------------------


def _attribution(b: _Builder, root: Section, origin_url: str, front_title: str = ""
                 ) -> Attribution:
    title = ""
    if front_title:  # the title the note's front matter gives
        title = front_title
        if root.heading is not None:
            origin_url = origin_url or root.heading.origin_url
    elif root.heading is not None:
        title = root.heading.title
        origin_url = origin_url or root.heading.origin_url
    elif root.children:
        title = "、".join(c.title for c in root.children[:4])
    else:
        first = next((blk for blk in root.blocks), None)
        title = visible(first.text)[:30] if first else b.note.name
    return Attribution(title=title, origin_url=origin_url, references=b.references)
