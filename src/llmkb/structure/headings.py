"""Heading recognizers and title cleaning.

Notes mark headings in several ways. Markdown ATX/setext headings come straight
from markdown-it; the rest are single-line blocks that *act* as headings. Each
recognizer below looks at one such line and either names its style or declines;
they are tried in the order of ``LINE_RECOGNIZERS`` (cf. markdown-it's ruler).
Adding the next note's quirk means adding a recognizer, not editing the others.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..text import ASKS, shield_math, unshield
from .figures import caption_kind

CJK_NUM = "一二三四五六七八九十百零〇两"
# Formal (financial) numerals, simplified and traditional (--keep-traditional leaves 貳參陸):
# "壹、貳、參、" number headings like "一、二、三、". Not in CJK_NUM, which also reads
# "方法二：" labels, where "超参：" or "人参：" would then lose their words.
FORMAL_NUM = "壹贰叁参肆伍陆柒捌玖拾佰仟貳參叄陸"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# Glyphs that plain-text notes put before a heading ("▌Lecture 6 …", "■ 小结"). Not "•"
# or "→", which start list items and follow-on sentences; not emoji ("📌 划重点：…").
MARKER_GLYPHS = "▌▍▎▋▊▐■□▪◼◾◆◇◈❖▶►▷▸➤➢➣✦✧✪●○◉◎★☆"


@dataclass(frozen=True)
class Numbering:
    """A numbering prefix: its style (which decides nesting) and its length in the line."""

    style: str
    length: int


# (style, pattern) — the first that matches names the numbering. Styles with a
# depth (dotted numbers) get it appended so 1.1 nests under 1.
_NUMBERING: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chapter", re.compile(rf"^第\s*[{CJK_NUM}{FORMAL_NUM}\d]+\s*[部分章节篇讲课回卷周]+\s*[、:：.．]?\s*")),
    ("paren-arabic", re.compile(r"^[（(]\s*\d{1,3}\s*[)）]\s*[、.．]?\s*")),
    ("paren-cjk", re.compile(rf"^[（(]\s*[{CJK_NUM}{FORMAL_NUM}]+\s*[)）]\s*[、.．]?\s*")),
    # "0x01 为什么需要位置编码": hex numbering, as security and systems posts write it.
    ("hex", re.compile(r"^0[xX][0-9A-Fa-f]{1,4}(?:\s*[.．、:：]\s*|\s+|(?=[\u4e00-\u9fff]))")),
    ("dotted", re.compile(r"^\d{1,3}(?:[.．]\d{1,3})+(?:[.．、]\s*|\s+|(?=[\u4e00-\u9fff]))")),
    # "2-1 QA：…", "8-4 请简述…": chapter-question numbering of exercise books.
    # Not a range with its unit ("2-3 天的训练", "7-13B 模型").
    ("dashed", re.compile(r"^\d{1,3}-\d{1,3}(?:[.．、:：]\s*|\s+)(?=\D)"
                          r"(?![天年月日周个位倍层次种条张块亿万千百小分秒%A-Za-z])|^\d{1,3}-\d{1,3}\s+(?=QA|Q\d)")),
    ("arabic", re.compile(r"^\d{1,3}\s*[.．、)）]\s*(?=\D|$)")),
    ("cjk", re.compile(rf"^[{CJK_NUM}{FORMAL_NUM}]+\s*[、.．]\s*")),
    ("circled", re.compile(rf"^[{CIRCLED}]\s*")),
    ("bracket", re.compile(rf"^[【〔\[]\s*(?:[{CJK_NUM}]+|\d{{1,3}})\s*[】〕\]]\s*")),
    ("roman", re.compile(r"^(?=[IVXLC])(?:X{0,3})(?:IX|IV|V?I{0,3})\s*[.、．:：]\s*")),
    # Course and series notes: "Lecture 6", "Lesson 2", "Week 3", "Day 12".
    ("part", re.compile(r"^(?i:part|chapter|section|step|lecture|lesson|unit|week|day|session)"
                        r"\s+[\dIVXivx]+\s*[.:：]?\s*")),
    ("letter", re.compile(r"^[A-Za-z]\s*[.)）、]\s+")),
)
# "QA：", "Q3:", "问：", "面试题 2：" — a label that only says a question follows.
_QUESTION_PREFIX = re.compile(r"^(?:QA|Q\s*\d{1,3}|Q|问题?\s*\d{0,3}|面试题\s*\d{0,3}|(?i:question)\s*\d{0,3})"
                             r"\s*[：:．.、]\s*(?=\S)")
# "影响一：", "方法二：", "步骤3：" — an ordinal label that numbers sibling headings.
_LABEL_ORDINAL = re.compile(rf"^[\u4e00-\u9fff]{{1,4}}(?:[{CJK_NUM}]+|\d{{1,2}})\s*[：:]\s*(?=\S)")
_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3})(.+?)\1")
_LINK = re.compile(r"!?\[([^\]]*)\]\(([^()\s]*(?:\([^()]*\))?[^()\s]*)(?:\s+\"[^\"]*\")?\)")
_CODE = re.compile(r"`+([^`]+)`+")
_SENTENCE_PUNCT = re.compile(r"[。！？；，,;!?]")
_TRAILING_PUNCT = re.compile(r"[\s:：;；,，。.、]+$")
_PAREN_GROUP = re.compile(r"[（(]([^（）()]*)[)）]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_MARKER = re.compile(rf"^\s*([{MARKER_GLYPHS}])\s*")
# Emoji that decorate a heading ("🚀 1. 什么是 RAG", "📚 参考资料"): not part of its title.
_EMOJI_LEAD = re.compile(r"^\s*(?:[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50\u2B55]\uFE0F?\s*)+")
_ABBR = re.compile(r"^[A-Z][A-Za-z0-9\-]{0,9}$")

MAX_TITLE_CHARS = 48
MAX_MARKER_TITLE_CHARS = 40


def marker_of(text: str) -> str:
    """The heading glyph a line starts with ("▌", "■"), or ""."""
    m = _MARKER.match(text)
    return m.group(1) if m else ""


def numbering_of(text: str) -> Numbering | None:
    for style, pattern in _NUMBERING:
        m = pattern.match(text)
        if m and m.end() < len(text):
            if style == "roman" and not m.group(0).strip(" .、．:："):
                continue
            if style == "dotted":
                depth = m.group(0).strip().rstrip(".．、").count(".") + m.group(0).count("．")
                style = f"dotted-{depth + 1}"
            return Numbering(style, m.end())
    return None


def strip_markup(text: str) -> str:
    """Visible text of an inline Markdown title: emphasis, code and link markup removed
    (a formula's ``*`` and ``_`` are TeX, not emphasis)."""
    text, formulas = shield_math(text)
    return unshield(_strip_markup(text), formulas)


def plain_line(text: str) -> str:
    """A line's visible text on one line: markup removed, runs of whitespace made one space."""
    return " ".join(strip_markup(text).split())


def numbering_style(line: str) -> str:
    """The style of a line's numbering ("cjk" for "一、…", "paren-cjk" for "（一）…"), or ""."""
    num = numbering_of(plain_line(line))
    return num.style if num else ""


def _strip_markup(text: str) -> str:
    text = _LINK.sub(lambda m: m.group(1), text)
    text = _CODE.sub(lambda m: m.group(1), text)
    prev = None
    while prev != text:
        prev = text
        text = _EMPHASIS.sub(lambda m: m.group(2), text)
    return text.replace("**", "").strip()


@dataclass(frozen=True)
class CleanTitle:
    title: str
    english: str
    abbr: str
    numbering: str  # style of the stripped numbering, "" if none


# An attribute list closing a heading ("## 二階段訓練方法 {#two-stages}", "{: .note }", "{#id .cls
# key=value}": Python-Markdown's attr_list, Pandoc, kramdown, Hugo): markup for the site that
# published the note, no words of its title.
_ATTRIBUTE = r"(?:[#.][\w\-:.]+|[\w\-]+=(?:\"[^\"]*\"|'[^']*'|[^\s{}]+))"
_ATTRIBUTE_LIST = re.compile(rf"\s*\\?\{{:?\s*{_ATTRIBUTE}(?:\s+{_ATTRIBUTE})*\s*\\?\}}\s*$")


# Inline HTML in a title ("**运行结果：<br>**", "<font color=red>…</font>"): layout, no words.
_HTML_TAG = re.compile(r"</?(?:br|p|span|font|a|b|i|u|strong|em|sup|sub|div|center|mark|small|big|del|s|ins|kbd|code)"
                       r"(?:\s[^<>]*)?/?>", re.IGNORECASE)


def clean_title(raw: str) -> CleanTitle:
    """Strip source numbering and markup; keep (and report) the English name and abbreviation.

    A formula in the title is kept as written (its parentheses name no English term)."""
    text, formulas = shield_math(raw)
    text = _HTML_TAG.sub(lambda m: " " if m.group(0)[1:3].lower() == "br" else "", text)
    text = _ATTRIBUTE_LIST.sub("", text) or text
    found = _clean_title(_strip_markup(text))
    return replace(found, title=unshield(found.title, formulas))


def _clean_title(text: str) -> CleanTitle:
    text = " ".join(text.split())
    numbering = ""
    emoji = None if _MARKER.match(text) else _EMOJI_LEAD.match(text)  # ★, ▌: marker styles
    if emoji and emoji.end() < len(text):
        text = text[emoji.end() :]
    marker = _MARKER.match(text)
    if marker and marker.end() < len(text):
        numbering = "marker"
        text = text[marker.end() :]
    num = numbering_of(text)
    if num:
        numbering = num.style if not numbering else f"{numbering}+{num.style}"
        text = text[num.length :].strip()
    question = _QUESTION_PREFIX.match(text)
    if question and len(text) > question.end():
        numbering = numbering or "question-label"
        text = text[question.end() :].strip()
    label = _LABEL_ORDINAL.match(text)
    if label and len(text) > label.end():
        numbering = numbering or "label-ordinal"
        text = text[label.end() :].strip()
    text = _TRAILING_PUNCT.sub("", text) or text
    english, abbr = "", ""
    for m in _PAREN_GROUP.finditer(text):
        inner = m.group(1).strip()
        if not inner or _CJK.search(inner):
            continue
        parts = [p.strip() for p in re.split(r"[,，、;；]", inner) if p.strip()]
        for part in parts:
            if _ABBR.match(part) and (part.isupper() or sum(c.isupper() for c in part) >= 2):
                abbr = abbr or part
            elif re.search(r"[A-Za-z]{2,}", part):
                english = english or part
    return CleanTitle(text, english, abbr, numbering)


@dataclass(frozen=True)
class LineContext:
    """One single-line block that might be a heading."""

    text: str  # inline Markdown of the line
    in_list: bool  # the line is the only item of a list (e.g. "1. 定义" parsed as a list)
    # The nearest non-blank source lines before and after ("" at either end of the note);
    # None where the caller does not know them.
    neighbours: tuple[str, str] | None = None


@dataclass(frozen=True)
class LineHeading:
    style: str
    raw_title: str


# A question, or a question and its follow-ups ("KV Cache 的原理是什么？为什么只缓存 K、V？"): one
# thing asked, which heads one answer.
_QUESTIONS = re.compile(r"(?:[^。！？!?；;]+[？?]){1,3}")


# What an interview note marks a question with after it asks it: "⭐", "🔥", "（高频）", "【字节】".
_QUESTION_TAGS = re.compile(r"(?<=[？?])(?:\s*(?:[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50\u2B55]\uFE0F?"
                            r"|[（(【\[][^（）()【】\[\]。？?]{1,8}[）)】\]]))+\s*$")
# A question may end on a short request for an example or a reason ("…能省多少？举个例子。"),
# not on its answer ("是吗？是的。").
_REQUEST_AFTER = re.compile(r"[^。！？!?；;]{0,6}(?:举个?例|例子|说明|解释|展开|推导|分析|比较|写出|列出|证明)"
                            r"[^。！？!?；;]{0,4}。")


def _asked(title: str) -> bool:
    """Whether a bold line asks for an answer: a question or a few ("KV Cache 的原理是什么？为什么
    只缓存 K、V？"), with the tags a note marks questions with and a short request after them,
    or one sentence that asks ("简答讲一下 BatchNorm 技术。")."""
    asked = _QUESTION_TAGS.sub("", title)
    questions = _QUESTIONS.match(asked)
    if questions and (questions.end() == len(asked) or _REQUEST_AFTER.fullmatch(asked, questions.end())):
        return True
    return bool(re.fullmatch(r"[^。！？!?；;]+。", title) and ASKS.search(title))


def recognize_bold_line(ctx: LineContext) -> LineHeading | None:
    """``**影响一：中间任务的消亡**`` — a line that is nothing but strong emphasis."""
    text = ctx.text.strip()
    # "1、**数据并行（Data Parallelism）：**": a number before the emphasis is the heading's own
    # ("5. **…**" is a Markdown list item, read as one).
    # An underscore inside ** ** is the text's own ("√d_k"), as an asterisk inside __ __ is.
    m = re.fullmatch(r"(?P<n>\d{1,2}、\s*)?(?:\*\*(?P<t>[^*\n]+?)\*\*|__(?P<u>[^_\n]+?)__)[:：]?", text)
    if not m or ctx.in_list:
        return None
    title = re.sub(r"[:：]$", "", (m.group("t") or m.group("u")).strip())
    if not title or len(title) > (2 if _asked(title) else 1) * MAX_TITLE_CHARS:
        return None  # a question and its follow-ups take more words than a topic's name
    if caption_kind(title):
        return None  # "**表 1：Switch Transformer 和 MoE 的效果对比**" captions its table
    title = (m.group("n") or "") + title
    # "**一、路由机制**" over "**（一）Top-k 门控**": bold lines numbered in two ways nest as
    # numbered lines do, the way first used outermost.
    numbering = numbering_style(title)
    style = f"bold:{numbering}" if numbering else "bold"
    # "**1.2 Attention 的计算步骤是什么？**", "**简答讲一下 BatchNorm 技术。**": a bold question
    # (or request for an answer) alone on its line heads its answer.
    answered = bool(ctx.neighbours and ctx.neighbours[1])
    if answered and _asked(title):
        return LineHeading(style, title)
    if _SENTENCE_PUNCT.search(title[-1]) or re.search(r"[。！？]", title):
        return None
    return LineHeading(style, title)


def recognize_numbered_line(ctx: LineContext) -> LineHeading | None:
    """``1. LLM 的定义``, ``2.LLM的能力``, ``(1)涌现能力(Emergent Abilities)``, ``一、…``."""
    text = plain_line(ctx.text)
    num = numbering_of(text)
    if num is None:
        return None
    rest = text[num.length :].strip()
    if not rest or len(rest) > MAX_TITLE_CHARS:
        return None
    # A heading names a topic; a sentence (or a list entry that explains) has punctuation.
    if _SENTENCE_PUNCT.search(re.sub(r"[（(][^（）()]*[)）]", "", rest)):
        return None
    if rest.endswith(("：", ":")) or not (_CJK.search(rest) or re.search(r"[A-Za-z]{2,}", rest)):
        return None
    if num.style == "letter" and not _CJK.search(rest):
        return None
    if URL_ONLY.fullmatch(rest):
        return None  # "[4] https://zhuanlan.zhihu.com/p/…": an entry of a reference list
    if ctx.neighbours and any(_entry_of_same_list(line, num.style) for line in ctx.neighbours):
        return None
    return LineHeading(f"numbered:{num.style}", ctx.text.strip())


# A title that is nothing but a link address names no topic.
URL_ONLY = re.compile(r"<?(?:https?://|www\.)\S+>?")


def _entry_of_same_list(line: str, style: str) -> bool:
    """Whether a neighbouring line is numbered the same way and is no heading itself ("[3] Li X
    L, Liang P. Prefix-tuning: …[J]. arXiv …, 2021."): the line between such entries of a
    reference list or a numbered list of sentences is one entry more, however short."""
    return numbering_style(line) == style and recognize_numbered_line(LineContext(line, in_list=False)) is None


def recognize_marker_line(ctx: LineContext) -> LineHeading | None:
    """``▌Lecture 6  第一阶段：自我学习，累积实力（预训练）``, ``■ 小结`` — a glyph before a short title.

    The glyph is strong evidence, so inner commas are allowed; a sentence is still no
    heading. Lines with the same glyph next to each other are a list, not headings.
    """
    text = plain_line(ctx.text)
    glyph = marker_of(text)
    if not glyph or ctx.in_list:
        return None
    rest = _MARKER.sub("", text, count=1)
    if not rest or len(rest) > MAX_MARKER_TITLE_CHARS:
        return None
    if not (_CJK.search(rest) or re.search(r"[A-Za-z]{2,}", rest)):
        return None
    if re.search(r"[。！？!?；;]", rest) or re.search(r"[，,、：:…]$", rest):
        return None
    if ctx.neighbours and any(marker_of(line) == glyph for line in ctx.neighbours):
        return None
    return LineHeading(f"marker:{glyph}", ctx.text.strip())


# "问：…？", "Q1: …?", "提问：…", "Question 2: …" — a question that opens a Q&A pair. Traditional
# 問 is listed for --keep-traditional. A bare "问题：" is not a label: prose writes "问题：显存不够。"
_QUESTION_LABEL = re.compile(
    r"^(?:问|問|提问|提問|(?:问题|問題)\s*\d{1,3}|Q\s*\d{0,3}|(?i:question)(?:\s*\d{1,3})?)"
    r"\s*[：:]\s*(?P<q>\S.*)$")
# "答：", "A1:", "回答：", "Answer:" — the label that opens the answer under a question heading.
ANSWER_LABEL = re.compile(  # "答：", "A1:", and bold "**答：**" / "**答**："
    r"^\s*(\*\*|__|)\s*(?:答|回答|解答|答案|A\s*\d{0,3}|(?i:answer)(?:\s*\d{1,3})?)\s*"
    r"(?:[：:]\s*\1|\1\s*[：:])\s*(?=\S)")
MAX_QUESTION_CHARS = 60


def recognize_question_line(ctx: LineContext) -> LineHeading | None:
    """``问：DeepSeek-R1 是什么？`` followed by ``答：…`` — a question that heads its answer.

    The question must read as one: it ends with "？"/"?", or the next line is an answer
    label ("答：", "A："). A list item ("- Q：…" in an FAQ list) stays a list item, and a line
    inside a paragraph is never looked at (only a block's first line can be a heading).
    """
    if ctx.in_list:
        return None
    text = plain_line(ctx.text)
    m = _QUESTION_LABEL.match(text)
    if not m or len(text) > MAX_QUESTION_CHARS:
        return None
    question = m.group("q").strip()
    asks = question.endswith(("？", "?"))
    answered = bool(ctx.neighbours and ANSWER_LABEL.match(ctx.neighbours[1]))
    # A sentence that goes on after its question mark ("问：为什么？因为……") is prose; a follow-up
    # question ("FP16 和 BF16 有什么区别？为什么偏爱 BF16？") is part of the one asked.
    if re.search(r"[。！；!;]", question) or (re.search(r"[？?]", question.rstrip("？?"))
                                           and not _QUESTIONS.fullmatch(question)):
        return None
    if not (asks or answered):
        return None
    return LineHeading("question", question)


LINE_RECOGNIZERS: tuple[tuple[str, Callable[[LineContext], LineHeading | None]], ...] = (
    ("bold-line", recognize_bold_line),
    ("numbered-line", recognize_numbered_line),
    ("marker-line", recognize_marker_line),
    ("question-line", recognize_question_line),
)


def recognize_line_heading(ctx: LineContext) -> LineHeading | None:
    for _name, recognizer in LINE_RECOGNIZERS:
        found = recognizer(ctx)
        if found is not None:
            return found
    return None
