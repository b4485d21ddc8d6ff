"""Small text helpers shared by several stages (CJK detection, sentence splitting)."""

from __future__ import annotations

import re
from collections.abc import Callable

CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK = re.compile(f"[{CJK_CHARS}]")
FULLWIDTH_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】「」『』…—～·"
# Sentence ends: full stop, question/exclamation marks, semicolons; closing quotes stay
# with their sentence. The "!" of an image ("![alt](src)") ends nothing.
_SENTENCE = re.compile(r"(?:[^。！？!?；;\n]|!(?=\[))*(?:(?:[。！？?；;]|!(?!\[))+[”’」』）)]*|\n|$)")
# Spans in which punctuation is part of something else: code, inline math, link targets, URLs.
_UNSPLITTABLE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)|\$[^$\n]+\$|\]\([^)\n]*\)|<https?://[^>\s]+>"
                           r"|https?://[^\s<>()（）\[\]，。；！？、“”]+")


# Shapes that classify and extract both read.
# A model name with a version or size in it (GPT-4, Phi-3-mini, Llama 3, Qwen2-7B).
VERSIONED_NAME = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z.\-]*[A-Za-z](?:[\-\s]?\d[\w.\-]*)")
# A paragraph that opens by describing a release without naming what was released, under a
# heading that names it: "微软（Microsoft）2024 年 4 月开源的小模型，3.8B 参数".
ANON_RELEASE = re.compile(r"^\W{0,3}[^，。；,;]{0,24}?(?:19|20)\d{2}\s*年[^，。；,;]{0,8}?"
                          r"(?:发布|推出|开源|研发|开发)的[^，。；,;]{0,16}?(?:模型|LLM)")


_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)


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
    """
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


def visible(text: str) -> str:
    """Text with Markdown inline markup reduced to what a reader sees."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[\^[^\]]+\]", "", text)
    text = text.replace("**", "").replace("__", "").replace("`", "")
    return text
