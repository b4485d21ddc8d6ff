"""Figures and tables a note shows or points at that are not on the page.

Notes lose their images (remote, missing, HTML ``<img>``): what is left is a caption
("图 2.7 Transformer 模型结构") and the sentence that led to the figure ("如图2.1所示：").
Each of the rules below looks at one block and what stands around it — is a figure or a
table really there? — and declines or says what goes; they are tried in the order of
``RULES`` (cf. markdown-it's ruler). Captions go whole (``figure-caption``); a pointer
goes as a clause, or as the whole sentence when the sentence says nothing else
(``dangling-figure-ref``, ``dangling-table-ref``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..models import ASSET_SCHEME, Block, BlockKind, Span
from ..text import split_sentences, visible

CAPTION_RULE = "figure-caption"
FIGURE_REF_RULE = "dangling-figure-ref"
TABLE_REF_RULE = "dangling-table-ref"
_WHAT = {FIGURE_REF_RULE: "figure", TABLE_REF_RULE: "table"}


@dataclass(frozen=True)
class DroppedFigure:
    """Where a figure was dropped (an image-only paragraph, an HTML block with an ``<img>``)."""

    span: Span


Event = Block | DroppedFigure


@dataclass(frozen=True)
class Around:
    """What stands next to a block in its section: is a figure or a table really there?"""

    before: Event | None
    after: Event | None

    @staticmethod
    def shows_figure(event: Event | None) -> bool:
        return isinstance(event, Block) and (event.kind is BlockKind.IMAGE or f"]({ASSET_SCHEME}" in event.text)

    @staticmethod
    def shows_table(event: Event | None) -> bool:
        return isinstance(event, Block) and event.kind in (BlockKind.TABLE, BlockKind.HTML)

    @property
    def figure_dropped_after(self) -> bool:
        return isinstance(self.after, DroppedFigure)

    @property
    def shown_after(self) -> bool:
        """What follows is something a lead-in can introduce: a figure, a table, a formula,
        code or a list."""
        return self.shows_figure(self.after) or self.shows_table(self.after) or (
            isinstance(self.after, Block) and self.after.kind in (BlockKind.MATH, BlockKind.CODE, BlockKind.ITEM))


@dataclass(frozen=True)
class Verdict:
    """What a rule decided for a block: the block as it stays (None: all of it goes)."""

    rule: str
    block: Block | None
    what: str = ""  # "figure" or "table", for the warning


def next_shown(events: list[Event]) -> Event | None:
    """What a pointer points at: the next event, past a numbered caption between the two
    ("下表是…。" then "**表 1：…**" then the table)."""
    for event in events[:2]:
        if isinstance(event, Block) and event.kind in _CAPTION_KINDS and caption_kind(event.text):
            continue
        return event
    return events[0] if events else None


# --- captions --------------------------------------------------------------------------------

_NUMBER = r"\s*[\d０-９]+(?:\s*[.\-－—–．]\s*[\d０-９]+)*"
# "图 2.7 Transformer 模型结构", "图1-1 图灵测试", "表2：不同精度效果对比", "Figure 3: …", "Fig. 2 …":
# the label and its number, then a space, a colon or nothing; "图3.15展示了…" is a sentence.
_NUMBERED_CAPTION = re.compile(
    r"^[（(]?\s*(?P<label>图|表|(?i:figure|fig\.?|table|tab\.))" + _NUMBER
    + r"(?![\d０-９]|\s*[.\-－—–．]\s*[\d０-９])\s*(?:[)）:：.．、，,]|\s|$)")
# Unnumbered captions and credits right under a figure: "（该图来源于参考内容 [1]）", "图源：…".
_CREDIT = re.compile(r"^[（(]?\s*(该图|此图|本图|图源|图片来源|图片来自|图片源自|图片出处|来源于参考"
                     r"|(?i:image source|source)\s*[:：])")
CAPTION_MAX_CHARS = 120
# A caption stands alone as a paragraph, or as a quote ("> 图3 Tensor并行化MLP和自注意力").
_CAPTION_KINDS = (BlockKind.PARAGRAPH, BlockKind.QUOTE)


def caption_kind(text: str) -> str:
    """"figure" or "table" when the text is a numbered caption, else ""."""
    shown = visible(text).strip()
    if len(shown) > CAPTION_MAX_CHARS or re.search(r"[。！？；]\s*\S", shown):
        return ""
    m = _NUMBERED_CAPTION.match(shown)
    if not m:
        return ""
    return "table" if m.group("label").lower().startswith(("表", "tab")) else "figure"


def is_credit(text: str) -> bool:
    shown = visible(text).strip()
    return len(shown) <= CAPTION_MAX_CHARS and bool(_CREDIT.match(shown))


def numbered_caption(block: Block, around: Around) -> Verdict | None:
    """A numbered figure caption with no figure beside it, or a table caption with no table."""
    if block.kind not in _CAPTION_KINDS:
        return None
    kind = caption_kind(block.text)
    if kind == "figure" and not (around.shows_figure(around.before) or around.shows_figure(around.after)):
        return Verdict(CAPTION_RULE, None)
    if kind == "table" and not (around.shows_table(around.before) or around.shows_table(around.after)):
        return Verdict(CAPTION_RULE, None)
    return None


def credit_line(block: Block, around: Around) -> Verdict | None:
    """"（该图来源于…）" right under a figure that was dropped."""
    if block.kind in _CAPTION_KINDS and isinstance(around.before, DroppedFigure) and is_credit(block.text):
        return Verdict(CAPTION_RULE, None)
    return None


# --- pointers --------------------------------------------------------------------------------

# A clause that only points: "如图2.1所示", "如下图所示", "见图 1-1", "如下表所示", "如下所示".
_POINTER = (r"(?:(?:正|就)?如(?:下|上|左|右)?(?P<a>图|表)(?:" + _NUMBER + r")?\s*(?:中)?(?:所示|所列)?"
            r"|(?:详|请)?(?:见|参见|参考)(?:下|上)?(?P<b>图|表)(?:" + _NUMBER + r")?"
            r"|如下(?:所示)?)")
_TRAILING_POINTER = re.compile(r"[，,]\s*" + _POINTER + r"\s*[:：。.；;]?\s*$")
_LEADING_POINTER = re.compile(r"^\s*" + _POINTER + r"\s*[，,]\s*")
_PAREN_POINTER = re.compile(r"\s*[（(]\s*" + _POINTER + r"\s*[)）]")
# A sentence whose subject is the figure or table: "下图展示了…", "表 3 列出了…".
_SUBJECT = re.compile(r"^\W{0,2}(?:(?:在|从)?(?:下|上|如下|以下|这张|该)(?P<a>图|表格?)|(?P<b>图|表)" + _NUMBER
                      + r"\s*|(?:以下|下面|下方|这个|这张)(?:的)?(?:窗口|界面|截图|示意图|图片|动图))"
                      r"(?:中|里)?\s*(?:展示|显示|给出|列出|列举|对比|比较|描述|说明|总结|汇总|呈现|表示|是|为)")
# A short lead-in that only announces what comes: "其图像如下所示：", "以下是讯飞星火的使用界面：".
_LEAD = re.compile(r"(如下|以下|下面|下图|下表|所示|如图|如表)[^。！？；]{0,20}[:：]\s*$")
LEAD_MAX_CHARS = 40
SUBJECT_MAX_CHARS = 90
FRAGMENT_MAX_WORDS = 8  # Chinese characters and Latin words
# Words that make a sentence point at a figure / a table ("一下表中" is not "下表").
_FIGURE_WORD = re.compile(r"下图|上图|如图|见图|图" + _NUMBER + r"\s*所示|示意图|截图")
_TABLE_WORD = re.compile(r"(?<!一)下表|如表|见表|表" + _NUMBER + r"\s*所示|以下表格|下面的表格")


def _kind(m: re.Match[str]) -> str:
    label = m.group("a") or m.group("b") or ""
    return "table" if label.startswith("表") else "figure" if label else ""


def _trim(sentence: str, what: str) -> tuple[str, bool]:
    """The sentence without its pointer clauses to a ``what`` ("figure"/"table"; "" = either,
    a bare "如下所示" too), and whether only a pointer or a short lead-in was left (drop it)."""
    shown = visible(sentence)
    if not re.search(r"\w", shown) or not (re.search(_POINTER, shown) or _LEAD.search(shown) or _SUBJECT.search(shown)
                                            or _FIGURE_WORD.search(shown) or _TABLE_WORD.search(shown)):
        return sentence, False  # nothing in it points anywhere
    subject = _SUBJECT.search(shown)
    unbracketed = re.sub(r"[（(][^（）()]*[)）]", "", shown)
    if subject and (not what or _kind(subject) in ("", what)) and (
            re.search(r"[:：]\s*$", shown)
            or (len(shown) <= SUBJECT_MAX_CHARS and not re.search(r"[，,]", unbracketed))):
        # "下图展示了…：" or one short clause about the figure; a sentence that goes on to
        # say something of its own ("下图给出了…，可以看到…") stays.
        return "", True

    def fits(m: re.Match[str]) -> bool:
        return not what or _kind(m) in ("", what)

    out = sentence
    for pattern in (_PAREN_POINTER, _TRAILING_POINTER, _LEADING_POINTER):
        m = pattern.search(out)
        if m and fits(m):
            tail = "。" if pattern is _TRAILING_POINTER else ""
            out = out[: m.start()] + tail + out[m.end() :]
    rest = visible(out).strip()
    if not re.search(r"\w", rest):
        return "", True
    if len(rest) <= LEAD_MAX_CHARS and _LEAD.search(rest):
        return "", True
    if out != sentence and len(re.findall(r"[\u4e00-\u9fff]|[A-Za-z0-9]+", rest)) <= FRAGMENT_MAX_WORDS:
        return "", True  # "Transformer 结构，如图2.5所示：" leaves a fragment, no sentence
    return out, False


def _pointer(block: Block, what: str, rule: str) -> Verdict | None:
    """Cut the pointer in the block's last sentence; the sentence goes when that is all it says."""
    sentences = split_sentences(block.text)
    if not sentences:
        return None
    last = sentences[-1]
    trimmed, drop = _trim(last, what)
    if not drop and trimmed == last:
        return None
    if drop:
        trimmed = ""
    text = ("".join(sentences[:-1]) + trimmed).strip()
    if not re.search(r"\w", visible(text)):
        return Verdict(rule, None, what or _WHAT[rule])
    # A clause that led into the figure ("…，如下图所示：") leaves a sentence to close.
    text = re.sub(r"[，,：:]\s*$", "。", text)
    return Verdict(rule, replace(block, text=text), what or _WHAT[rule])


def pointer_to_dropped_figure(block: Block, around: Around) -> Verdict | None:
    """Right before a figure that was dropped: its pointer (any, "如下所示：" too) goes."""
    if block.kind not in (BlockKind.PARAGRAPH, BlockKind.ITEM) or not around.figure_dropped_after:
        return None
    last = visible((split_sentences(block.text) or [""])[-1])
    table = bool(_TABLE_WORD.search(last) or re.search(r"(?<!一)下表|上表|表" + _NUMBER, last)) \
        and not _FIGURE_WORD.search(last)
    # A table shown as a picture: the sentence points at a table.
    return _pointer(block, "", TABLE_REF_RULE if table else FIGURE_REF_RULE)


def pointer_to_absent_figure(block: Block, around: Around) -> Verdict | None:
    """A sentence naming a figure ("如下图所示：") where no figure, table, formula, code or list
    follows: the figure never made it into the note."""
    if block.kind not in (BlockKind.PARAGRAPH, BlockKind.ITEM) or around.shown_after:
        return None
    last = (split_sentences(block.text) or [""])[-1]
    if not _FIGURE_WORD.search(visible(last)) or not re.search(r"[:：]\s*$", visible(last)):
        return None
    return _pointer(block, "figure", FIGURE_REF_RULE)


def pointer_to_absent_table(block: Block, around: Around) -> Verdict | None:
    """A sentence naming a table ("下表列举了…") where no table follows."""
    if block.kind not in (BlockKind.PARAGRAPH, BlockKind.ITEM) or around.shows_table(around.after) \
            or around.shows_figure(around.after):
        return None
    last = (split_sentences(block.text) or [""])[-1]
    if not _TABLE_WORD.search(visible(last)):
        return None
    return _pointer(block, "table", TABLE_REF_RULE)


Rule = Callable[[Block, Around], Verdict | None]
# Tried in this order; the first that decides wins.
RULES: tuple[tuple[str, Rule], ...] = (
    ("numbered-caption", numbered_caption),
    ("credit-line", credit_line),
    ("pointer-to-dropped-figure", pointer_to_dropped_figure),
    ("pointer-to-absent-table", pointer_to_absent_table),
    ("pointer-to-absent-figure", pointer_to_absent_figure),
)


def judge(block: Block, around: Around) -> Verdict | None:
    for _name, rule in RULES:
        verdict = rule(block, around)
        if verdict is not None:
            return verdict
    return None
