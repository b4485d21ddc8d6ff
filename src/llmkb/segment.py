"""One jieba segmenter with the knowledge base's domain words, built once per build.

The pipeline builds a `Segmenter` from the taxonomy's words and the user dictionary
(data/terms.yaml) before any stage segments, and passes it to the stages that do
(classify, dedup, extract, render's search assets). It never edits jieba's global
dictionary, so what a stage gets from it cannot depend on what another stage did
before in the same process; its caches belong to it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

import jieba

jieba.setLogLevel(logging.WARNING)

_WORD = re.compile(r"[\w\-.+]+")
_STOP = frozenset((
    "的", "了", "是", "在", "和", "与", "及", "或", "等", "也", "就", "都", "而", "从",
    "对", "为", "以", "将", "把", "被", "这", "那", "其", "之", "一个", "一种", "我们", "可以",
    "通过", "进行", "能够", "具有", "一些", "这些", "这种", "它们", "如果", "因为", "所以", "但是", "然而", "以及",
))
# Domain words get at least this frequency so that jieba keeps them whole.
DOMAIN_FREQ = 2000
_CACHE_LIMIT = 65536
_CUT_CACHE_LIMIT = 262144

# jieba's bundled dictionary (prefix frequencies and their total), read once per process:
# it is a file that never changes, so every segmenter starts from the same copy of it.
_base: tuple[dict[str, int], int] | None = None


def _base_dictionary() -> tuple[dict[str, int], int]:
    global _base
    if _base is None:
        loader = jieba.Tokenizer()
        loader.initialize()
        _base = (loader.FREQ, loader.total)
    return _base


def domain_words(words: Iterable[str]) -> tuple[str, ...]:
    """The words a segmenter can keep whole: two characters or more, no spaces."""
    return tuple(sorted({w.strip() for w in words if len(w.strip()) >= 2 and not re.search(r"\s", w.strip())}))


class Segmenter:
    """jieba plus domain words: ``cut``, content ``tokens``, search-mode ``fine_tokens``."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        freq, total = _base_dictionary()
        self._jieba = jieba.Tokenizer()
        self._jieba.FREQ = dict(freq)
        self._jieba.total = total
        self._jieba.initialized = True
        self.words = domain_words(words)
        self.vocabulary = frozenset(self.words)  # the domain words, to look one up
        for word in self.words:
            self._jieba.add_word(word, freq=max(DOMAIN_FREQ, self._jieba.FREQ.get(word) or 0))
        self._fine: dict[str, list[str]] = {}
        self._cut: dict[str, tuple[str, ...]] = {}
        self._asked: set[str] = set()  # texts cut in this build (what memo() keeps)

    def cut(self, text: str) -> list[str]:
        """jieba's tokens, every character kept."""
        got = self._cut.get(text)
        if got is None:
            got = tuple(self._jieba.lcut(text))
            if len(self._cut) < _CUT_CACHE_LIMIT:
                self._cut[text] = got
        self._asked.add(text)
        return list(got)

    def memo(self) -> dict[str, dict]:
        """What this segmenter was asked to cut, with the answers (for the build cache: the same
        dictionary cuts the same text the same way, so a later build may start from it)."""
        return {"cut": {t: v for t, v in self._cut.items() if t in self._asked},
                "fine": {t: v for t, v in self._fine.items() if t in self._asked}}

    def remember(self, memo: dict[str, dict]) -> None:
        """Start from an earlier segmenter's ``memo()`` — one built from the same words."""
        self._cut.update(memo.get("cut", {}))
        self._fine.update(memo.get("fine", {}))

    def freq(self, word: str) -> int:
        """How often jieba's dictionary (with the domain words) has the word; 0 if never."""
        return self._jieba.FREQ.get(word) or 0

    def tokens(self, text: str) -> list[str]:
        """Content words of a text: jieba tokens without punctuation and stop words."""
        return content_words(self._jieba.lcut(text))

    def fine_tokens(self, text: str) -> list[str]:
        """Content words including the sub-words of long domain words (jieba's search mode).

        For comparing wordings: "参数更新" and "更新参数" share 参数 and 更新 this way.
        """
        self._asked.add(text)
        got = self._fine.get(text)
        if got is None:
            got = content_words(self._jieba.lcut_for_search(text))
            if len(self._fine) < _CACHE_LIMIT:
                self._fine[text] = got
        return got


def content_words(pieces: list[str]) -> list[str]:
    """Lowercased word tokens of a segmentation, without punctuation and stop words."""
    out = []
    for tok in pieces:
        tok = tok.strip().lower()
        if tok and _WORD.fullmatch(tok) and tok not in _STOP:
            out.append(tok)
    return out
