"""Small text helpers shared by several stages (CJK detection, sentence splitting)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

# A link's or image's text as Python-Markdown, which renders the site, reads it: escapes and
# one level of balanced brackets ("[see [1]](x.md)", "[\\](<a b.md>) ![a]b](y.gif)"). The
# notes' links are cleaned (structure) and the site's checked (render) by the same reading.
LINK_TEXT = r"(?:\\.|[^\[\]\\\n]|\[(?:\\.|[^\[\]\\\n])*\])*"

CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK = re.compile(f"[{CJK_CHARS}]")
FULLWIDTH_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】「」『』…—～·"
# Sentence ends: full stop, question/exclamation marks, semicolons; closing quotes stay
# with their sentence. The "!" of an image ("![alt](src)") ends nothing.
_SENTENCE = re.compile(r"(?:[^。！？!?；;\n]|!(?=\[))*(?:(?:[。！？?；;]|!(?!\[))+[”’」』）)]*|\n|$)")
# Spans in which punctuation is part of something else: code, inline math, link targets, URLs.
# A link's text is one unit with its target: "[大模型为何偏爱解码器？](https://…)" is
# no question followed by a stray "](…)".
_UNSPLITTABLE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)|!?\[[^\[\]\n]*\]\([^)\n]*\)|\]\([^)\n]*\)|<https?://[^>\s]+>"
                           r"|https?://[^\s<>()（）\[\]，。；！？、“”]+")


# Shapes that classify and extract both read.
# A model name with a version or size in it (GPT-4, Phi-3-mini, Llama 3, Qwen2-7B).
VERSIONED_NAME = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z.\-]*[A-Za-z](?:[\-\s]?\d[\w.\-]*)")
# A paragraph that opens by describing a release without naming what was released, under a
# heading that names it: "微软（Microsoft）2024 年 4 月开源的小模型，3.8B 参数".
ANON_RELEASE = re.compile(r"^\W{0,3}[^，。；,;]{0,24}?(?:19|20)\d{2}\s*年[^，。；,;]{0,8}?"
                          r"(?:发布|推出|开源|研发|开发)的[^，。；,;]{0,16}?(?:模型|LLM)")


# Words that point at a place on the page (a figure, its colours, the text above) rather than
# name anything: a bracket holding them glosses no term ("Transformer（上图的灰色区域）").
_POINTS_AT_PAGE = re.compile(r"[上下左右本该此]图|如图|图中|图\s?\d|上文|(?<!上)下文|前文|上面|下面|上述|此处|这里"
                            r"|[红绿蓝黄灰黑白紫橙]色")

# Words no term contains: a "term" holding them is a piece of a sentence (这就是困惑度, 因为 GLU, 那就剪裁).
_NOT_IN_TERM = re.compile(r"这|那|就是|因为|所以|如果|可以|我们|它们|以及|或者|并且|首先|然后|例如|比如|"
                          r"需要|进行|通过|使用|采用|^带|用较|得到|将会|不是|^和|^与|^及|^如|^在|^是|^由|^被|^把|的$|"
                          r"理解为|理解成|意思是|意味着|"  # an explanation: "KL（可简单理解为差异）"
                          r"取决于|依赖于|等于|属于|^用(?!户|例)|"  # a relation, a means: "用 BERT 初始化"
                          r"了|一种|第[一二三四五六七八九十\d]|"  # 提出了用微分方程, 对数据并行的一种增强, 回传第三步
                          # a preposition or a verb of doing opens a phrase, not a name ("关于大西洋…",
                          # "创建摘要节点（IndexNode）")
                          r"^(?:关于|对于|至于|有关|创建|调用|加载|获取|编写|配置|导入|初始化|不要|不能|不会|没有|"
                          # … or a pronoun, a word of degree or a verb of what something is for or
                          # holds ("它通常指…", "极其吃内存（RAM）", "right padding（用于训练）")
                          r"它|其|该|此|前者|后者|极其|非常|十分|特别|用于|包含|包括)")


def is_sentence_piece(zh: str) -> bool:
    """Whether a would-be term (the Chinese before or in a bracket) holds words no term holds,
    or points at the page: a piece of a sentence, not a name (glossary terms, search aliases)."""
    return bool(_NOT_IN_TERM.search(zh) or _POINTS_AT_PAGE.search(zh))


# Names the notes give one thing from which on only the repeated ones name it (repeated_names).
MANY_NAMES = 3


def repeated_names(names: Counter[str]) -> list[str]:
    """Of the names the notes give one thing (with how often), those that name it: all when
    they are few; when many (token glossed 词元, 占位符, 每个单词 …; LLM named 利用大型语言模型,
    微调大型语言模型 …, the words of each sentence around a bracket), the ones they repeat."""
    return [name for name, n in names.items() if len(names) < MANY_NAMES or n >= 2]


_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)


# Words that ask for an answer: "X 的优缺点是什么。", "简单介绍一下 X" (with a question mark or not).
ASKS = re.compile(r"什么|为什么|如何|怎么|怎样|哪些|是否|讲一下|介绍一下|说一下|说说|谈谈|简述|简要介绍|描述一下")


def asks(title: str) -> bool:
    """A heading or line that asks a question or for an explanation."""
    return bool(re.search(r"[？?]\s*$", title) or ASKS.search(title))


def outside_code_spans(text: str, rewrite: Callable[[str, int], str]) -> str:
    """``rewrite(piece, offset)`` applied to the text between Markdown code spans only."""
    out: list[str] = []
    pos = 0
    for m in _CODE_SPAN.finditer(text):
        out.append(rewrite(text[pos : m.start()], pos))
        out.append(m.group(0))
        pos = m.end()
    out.append(rewrite(text[pos:], pos))
    return "".join(out)


# Inline formulas, recognised by the rules of pymdownx.arithmatex (generic mode, smart_dollar,
# ``$`` syntax only), the extension that typesets them on the site: an opening ``$`` not after a
# backslash and not before whitespace, a closing ``$`` not after whitespace, no unescaped ``$``
# between. Its first alternative is an even run of backslashes before a ``$`` (escaped
# backslashes: the ``$`` after them may still open). Python-Markdown matches this after code
# spans, never across one, so neither does ``math_spans``.
_MATH_INLINE = re.compile(r"(?<!\\)((?:\\{2})+)(?=\$)|(?<!\\)\$(?!\s)((?:\\.|[^\\$])+?)(?<!\s)\$", re.S)
# "$5到$10": a price range, not a formula (arithmatex would typeset "5到"; the pipeline escapes
# both dollars instead, so the site shows the prices).
_PRICE_PAIR = re.compile(r"\$\d[^$]*\$(?=\d)")
_DOLLAR = re.compile(r"(?<!\\)((?:\\{2})*)\$")
_AUTOLINK = re.compile(r"<[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\s]*>")
# A formula stands in for itself as U+E000 and one private-use character numbering it.
_SHIELD = "\ue000"
_SHIELD_BASE = 0xE100
_SHIELD_MAX = 0xF8FF - _SHIELD_BASE
_SHIELDED = re.compile(f"{_SHIELD}([\ue100-\uf8ff])")


# A backtick that may open a code span, or escaped backslashes before backticks
# (pymdownx.inlinehilite's BACKTICK_CODE_RE, which the site's Markdown uses).
_BACKTICK = re.compile(r"(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`")


def _code_span_at(begin: int, text: str) -> tuple[int, int | None]:
    """pymdownx.inlinehilite's find_code_spans: (content start, content end or None)."""
    last, start, ticks = len(text), begin, 0
    while start < last and text[start] == "`":
        ticks += 1
        start += 1
    longest, end, i = 0, 0, start
    while i < last:
        run = 0
        while i < last and text[i] == "`":
            run += 1
            i += 1
        if not run:
            i += 1
            continue
        if run == ticks:
            return start, i - run
        if run > longest:
            longest, end = run, i
    if 0 < longest < ticks:
        return start - (ticks - longest), end - longest
    return start + ticks, None


def site_code_spans(text: str, *, escapes: bool = False) -> list[tuple[int, int]]:
    """(start, end) of the code spans the site's Markdown finds in one block's inline text.

    With ``escapes``, also the runs of escaped backslashes before backticks, which the site
    replaces by placeholders as well: no formula runs across either."""
    spans: list[tuple[int, int]] = []
    if "`" not in text:
        return spans
    work, pos = text, 0
    while (m := _BACKTICK.search(work, pos)) is not None:
        if m.group(1):
            work = work[: m.start()] + "\x03" * len(m.group(1)) + work[m.end() :]
            pos = m.end()
            if escapes:
                spans.append(m.span())
            continue
        start, end = _code_span_at(m.start(), work)
        if end is None:
            pos = start  # no closing run: skip the backticks, as the site does
            continue
        spans.append((m.start(), end + (start - m.start())))
        pos = spans[-1][1]
    return spans


def _code_gaps(text: str) -> list[tuple[int, int]]:
    """(start, end) of the pieces of text between code spans."""
    gaps, pos = [], 0
    for start, end in site_code_spans(text, escapes=True):
        gaps.append((pos, start))
        pos = end
    gaps.append((pos, len(text)))
    return gaps


def math_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each inline formula ``$…$`` in Markdown text, delimiters included.

    Exactly what the site typesets (see ``_MATH_INLINE``), except price ranges; a lone
    ``$`` ("$5") is no formula.
    """
    if "$" not in text:
        return []
    out: list[tuple[int, int]] = []
    work = text
    for start, end in _code_gaps(text):
        pos = start
        while (m := _MATH_INLINE.search(work, pos, end)) is not None:
            if m.group(1):
                # Escaped backslashes: Python-Markdown puts a placeholder in their place, so a
                # "$" right after them is not after a backslash any more.
                work = work[: m.start()] + "\x03" * len(m.group(1)) + work[m.end() :]
                pos = m.end()
            elif _PRICE_PAIR.match(work, m.start(), min(end, m.end() + 1)):
                pos = m.start() + 1
            else:
                out.append((m.start(), m.end()))
                pos = m.end()
    return out


def escape_lone_dollars(text: str) -> str:
    """Every ``$`` that opens or closes no formula (outside code spans) becomes ``\\$``.

    The site's Markdown then typesets exactly the formulas ``math_spans`` found, whatever
    later stages do to the text around them. Already escaped dollars stay as they are.
    """
    if "$" not in text:
        return text
    spans = math_spans(text)
    keep = [*spans, *(m.span() for m in _AUTOLINK.finditer(text))]
    edits: list[int] = []
    for start, end in _code_gaps(text):
        for m in _DOLLAR.finditer(text, start, end):
            dollar = m.end() - 1
            if not any(a <= dollar < b for a, b in keep):
                edits.append(dollar)
    for pos in reversed(edits):
        text = text[:pos] + "\\" + text[pos:]
    return text


def shield_math(text: str) -> tuple[str, list[str]]:
    """Text with each inline formula replaced by a two-character stand-in, and the formulas.

    Rules that read or rewrite prose (sentence splitting, link and HTML cleaning) run on the
    shielded text and cannot touch a formula; ``unshield`` puts them back.
    """
    spans = math_spans(text)
    if not spans or _SHIELD in text or len(spans) > _SHIELD_MAX:
        return text, []
    out, pieces, pos = [], [], 0
    for start, end in spans:
        out.append(text[pos:start])
        out.append(_SHIELD + chr(_SHIELD_BASE + len(pieces)))
        pieces.append(text[start:end])
        pos = end
    out.append(text[pos:])
    return "".join(out), pieces


def unshield(text: str, pieces: list[str]) -> str:
    if not pieces:
        return text
    return _SHIELDED.sub(lambda m: pieces[ord(m.group(1)) - _SHIELD_BASE], text)


def shielded_parts(text: str, pieces: list[str]) -> list[tuple[str, bool]]:
    """A shielded text as (piece, is_formula) pairs, in order, formulas put back."""
    if not pieces:
        return [(text, False)]
    parts = _SHIELDED.split(text)
    return [(pieces[ord(part) - _SHIELD_BASE], True) if i % 2 else (part, False)
            for i, part in enumerate(parts) if i % 2 or part]


def slugify(text: str) -> str:
    """Heading id: lowercase words and CJK kept, everything else a hyphen."""
    text = re.sub(r"[（(][^（）()]*[)）]", "", text) or text
    slug = re.sub(r"[^\w\u4e00-\u9fff]+", "-", text.lower()).strip("-")
    return slug or "section"


def is_cjk(ch: str) -> bool:
    return bool(ch) and CJK.match(ch) is not None


def split_sentences(text: str) -> list[str]:
    """Split Chinese (or mixed) prose into sentences, keeping each one's punctuation.

    Markdown inline markup is left in place; joining the pieces gives back the text.
    A "." only ends a sentence when it is followed by a space and a capital (English prose).
    A formula ($…$) is never split, whatever punctuation its TeX holds.
    """
    return list(_split_sentences_once(text))  # a fresh list: callers may change theirs


# dedup, extract and render split the same blocks again and again (a build asks about twice
# per block): a pure function of the text, so each block is split once per process.
@lru_cache(maxsize=131_072)
def _split_sentences_once(text: str) -> tuple[str, ...]:
    text, formulas = shield_math(text)
    return tuple(unshield(piece, formulas) for piece in _split_sentences(text))


def _split_sentences(text: str) -> list[str]:
    # Punctuation inside code, a link's target or a URL ends no sentence ("?target=…"): the
    # boundaries are found on a copy with those spans masked, then cut from the text.
    masked = _UNSPLITTABLE.sub(lambda m: "x" * len(m.group(0)), text)
    out: list[str] = []
    for m in _SENTENCE.finditer(masked):
        if m.start() == m.end():
            continue
        start = m.start()
        for cut in re.finditer(r"(?<=[a-z\)]\.)\s+(?=[A-Z])", m.group(0)):
            out.append(text[start : m.start() + cut.start()] + cut.group(0))
            start = m.start() + cut.end()
        if start < m.end():
            out.append(text[start : m.end()])
    # Emphasis that spans a sentence boundary is closed before the boundary's punctuation
    # and reopened in the next sentence, so each sentence stands (and compares) alone:
    # "**甲。乙。**" → "**甲**。" + "**乙。**".
    balanced: list[str] = []
    carry = False
    for piece in out:
        if carry and piece.lstrip().startswith("**"):
            # The source's own closing marker: the previous sentence is already closed.
            piece = piece.lstrip()[2:]
            carry = False
            if not piece.strip():
                balanced[-1] += piece
                continue
        elif carry:
            lead = len(piece) - len(piece.lstrip())
            piece = piece[:lead] + "**" + piece[lead:]
        carry = piece.count("**") % 2 == 1
        if carry:
            body = piece.rstrip()
            trailing_ws = piece[len(body):]
            m = re.search(r"[。！？!?；;”’」』）)]+$", body)
            if m and m.start() > body.rfind("**") + 2:
                piece = body[: m.start()] + "**" + body[m.start():] + trailing_ws
            else:
                piece = body + "**" + trailing_ws
        balanced.append(piece)
    if carry and balanced:
        # Unclosed emphasis in the source: leave the text as it was.
        return out
    return balanced


_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")  # a Markdown backslash escape of ASCII punctuation


_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_FOOTNOTE_REF = re.compile(r"\[\^[^\]]+\]")


# Every stage reads the visible text of the same sentences (a build asks about three times
# per distinct text): a pure function of the text, so each is worked out once per process.
@lru_cache(maxsize=262_144)
def visible(text: str) -> str:
    """Text with Markdown inline markup reduced to what a reader sees."""
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _FOOTNOTE_REF.sub("", text)
    text = text.replace("**", "").replace("__", "").replace("`", "")
    return _ESCAPED.sub(r"\1", text)  # "text\_generation" reads text_generation, "\$" reads $


# --------------------------------------------------------------------------- front matter

_FENCE = {"---": re.compile(r"^(---|\.\.\.)\s*$"), "+++": re.compile(r"^\+\+\+\s*$")}
_FRONT_KEY = re.compile(r"^[A-Za-z_][\w\-]*\s*[:=](\s|$)")
_FRONT_OTHER = re.compile(r"^(\s+\S|-\s|-$|#)")  # list items, indented values, YAML comments
_FRONT_MAX_LINES = 80
_FRONT_TITLE = re.compile(r"^title\s*[:=]\s*(?P<title>.+?)\s*$", re.I)


def front_matter(lines: list[str], first: int) -> tuple[int, str] | None:
    """(0-based closing fence line, title) of a front matter block opening at line first.

    Only "key: value" lines (with list items and indented continuations) between the
    fences: a note that opens with a thematic break and prose is not front matter.
    """
    opening = lines[first].strip().lstrip("\ufeff")
    if opening not in _FENCE:
        return None
    close = _FENCE[opening]
    for j in range(first + 1, min(len(lines), first + _FRONT_MAX_LINES)):
        if close.match(lines[j]):
            break
    else:
        return None
    inner = [line for line in lines[first + 1 : j] if line.strip()]
    keys = sum(bool(_FRONT_KEY.match(line)) for line in inner)
    other = sum(bool(_FRONT_OTHER.match(line)) for line in inner)
    if not keys or not _FRONT_KEY.match(inner[0]) or keys + other < len(inner):
        return None
    title = next((m.group("title") for line in inner if (m := _FRONT_TITLE.match(line))), "")
    return j, title.strip("\"'")
