"""Render's answers that depend on one text or one page, kept between builds.

What a page looks like once its first model mentions are linked depends on the page and the
catalog's names alone; which words and aliases the search assets take from a text depends on
that text (and the domain words known). A rebuild after one note changed asks mostly the
same questions again, so the build cache keeps the answers under its version (code, rules,
library versions): ``RenderMemo(earlier)`` answers from an earlier build's ``asked()``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class RenderMemo:
    """Answers by kind and key; ``asked()`` is what this build asked (the next build's memo)."""

    def __init__(self, earlier: dict | None = None) -> None:
        self._earlier: dict[str, dict[Hashable, Any]] = earlier or {}
        self._asked: dict[str, dict[Hashable, Any]] = {}

    def answer(self, kind: str, key: Hashable, make: Callable[[], T]) -> T:
        table = self._earlier.get(kind, {})
        got = table[key] if key in table else make()
        self._asked.setdefault(kind, {})[key] = got
        return got

    def asked(self) -> dict:
        return self._asked


def digest(*parts: str) -> str:
    """A short name for long texts (a page, a list of names) as part of a key."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") + b"\0")
    return h.hexdigest()
