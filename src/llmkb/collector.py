"""Python's cycle collector, paused while a stage builds many long-lived objects.

The later stages (dedup, layout, extraction, render) each keep hundreds of thousands of
objects alive to their end — clauses, sentences, mentions, memo entries — and make no
reference cycles worth collecting. Each of the collector's full passes walks all of them and
frees nothing: on the real notes about a sixth of dedup's time and a fifth of extraction's.
A stage runs with it paused; it runs again as it was afterwards (also inside ``mkdocs serve``,
which outlives many builds).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """The cycle collector off for the ``with`` block, then as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
