"""scripts/bench_real.py's scoring of the hand-written labels against a build's provenance."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import bench_real


def _record(start: int, end: int, node: str | None, page: str = "topic.md") -> dict:
    record = {"file": "notes/a.md", "start": start, "end": end, "status": "kept", "page": page}
    if node:
        record["node"] = node
    return record


RECORDS = [
    _record(1, 1, None, "sources.md"),  # the note's title, shown on the sources page
    _record(3, 4, "lora"),
    _record(6, 6, "lora"),
    _record(8, 9, "rlhf"),
]


@pytest.mark.parametrize(("line", "accept", "right"), [
    (3, ["lora"], True),
    (8, ["lora"], False),
    # A title line is judged where its section's first placed line went, not by the sources page.
    (1, ["lora"], True),
    (1, ["rlhf"], False),
])
def test_placement_label_is_judged_by_where_its_line_went(line: int, accept: list[str], right: bool) -> None:
    label = {"file": "a.md", "line": line, "heading": "h", "accept": accept, "part": "tuned"}
    score = bench_real.placement_scores([label], RECORDS)["tuned"]
    assert (score.right, score.wrong) == ((1, 0) if right else (0, 1))


@pytest.mark.parametrize("opening", [
    [],  # line 1 blank: no record covers it
    [{"file": "notes/a.md", "start": 1, "end": 2, "status": "removed", "rule": "front-matter"}],
])
def test_a_label_on_a_notes_opening_is_judged_by_its_first_text(opening: list[dict]) -> None:
    """A label on line 1 (the note's opening) that is blank or front matter: where the opening's
    first placed line went."""
    records = opening + RECORDS[1:]
    for accept, right in ((["lora"], 1), (["rlhf"], 0)):
        label = {"file": "a.md", "line": 1, "heading": "(start)", "accept": accept, "part": "tuned"}
        assert bench_real.placement_scores([label], records)["tuned"].right == right


def test_a_line_no_record_covers_is_missing() -> None:
    label = {"file": "a.md", "line": 20, "heading": "h", "accept": ["lora"], "part": "held_out"}
    assert bench_real.placement_scores([label], RECORDS)["held_out"].missing == 1


# A family's row: its sizes, two of them given for a named variant.
FAMILY = {"name": "Kestrel", "aliases": [], "variants": ["Kestrel-base", "Kestrel-large"],
          "params": [0.11, 0.34, 7.0],
          "sources": {"params": [{"variant": "Kestrel-base", "values": [0.11]},
                                 {"variant": "Kestrel-large", "values": [0.34]}, {}]}}


def test_a_variant_label_is_judged_by_the_size_its_name_says() -> None:
    """LLaMA-13B on a family row whose cell lists 7/13/33/65: the data's variant_params says 13."""
    row = {**FAMILY, "variants": ["Kestrel-13B"], "params": [7.0, 13.0], "sources": {"params": [{}]},
           "variant_params": {"Kestrel-13B": [13.0]}}
    for answer, right in ((13, 1), (7, 0)):
        labels = {"models": [], "values": [{"model": "Kestrel-13B", "field": "params", "answer": answer,
                                            "part": "tuned"}]}
        assert bench_real.catalog_scores(labels, [row])["tuned"]["values"].right == right


@pytest.mark.parametrize(("model", "answer", "right"), [
    ("Kestrel-large", 0.34, True),   # judged by the size shown for that variant
    ("Kestrel-base", 0.34, False),
    ("Kestrel", 0.34, False),        # the family: every size shown counts
    ("Kestrel", [0.11, 0.34, 7.0], True),
])
def test_a_variant_label_is_judged_by_the_sizes_shown_for_it(model: str, answer, right: bool) -> None:
    labels = {"models": [], "values": [{"model": model, "field": "params", "answer": answer, "part": "tuned"}]}
    score = bench_real.catalog_scores(labels, [FAMILY])["tuned"]["values"]
    assert (score.right == 1) is right
