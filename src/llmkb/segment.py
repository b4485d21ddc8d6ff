"""jieba segmentation with the knowledge base's domain words.

One place loads jieba and teaches it the domain vocabulary (taxonomy terms, glossary
terms, model names), so classification and the search dictionary agree on words.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import lru_cache

import jieba

jieba.setLogLevel(logging.WARNING)

_WORD = re.compile(r"[\w\-.+]+")
_STOP = frozenset((
    "的", "了", "是", "在", "和", "与", "及", "或", "等", "也", "就", "都", "而", "从",
    "对", "为", "以", "将", "把", "被", "这", "那", "其", "之", "一个", "一种", "我们", "可以",
    "通过", "进行", "能够", "具有", "一些", "这些", "这种", "它们", "如果", "因为", "所以", "但是", "然而", "以及",
))
_added: set[str] = set()


@lru_cache(maxsize=1)
def _init() -> None:
    jieba.initialize()


def add_words(words: Iterable[str]) -> None:
    """Make each domain word a single jieba token (idempotent)."""
    _init()
    for word in words:
        word = word.strip()
        if len(word) >= 2 and word not in _added and not re.search(r"\s", word):
            jieba.add_word(word, freq=max(2000, jieba.get_FREQ(word) or 0))
            _added.add(word)


def tokens(text: str) -> list[str]:
    """Content words of a text: jieba tokens without punctuation and stop words."""
    _init()
    return _content_words(jieba.lcut(text))


def fine_tokens(text: str) -> list[str]:
    """Content words including the sub-words of long domain words (jieba's search mode).

    For comparing wordings: "参数更新" and "更新参数" share 参数 and 更新 this way.
    """
    _init()
    return _content_words(jieba.lcut_for_search(text))


def _content_words(pieces: list[str]) -> list[str]:
    """Lowercased word tokens of a segmentation, without punctuation and stop words."""
    out = []
    for tok in pieces:
        tok = tok.strip().lower()
        if tok and _WORD.fullmatch(tok) and tok not in _STOP:
            out.append(tok)
    return out
