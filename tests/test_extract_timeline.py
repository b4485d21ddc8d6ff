"""Timeline (发展时间线): dated events from the notes, chronological, each linked to its
section and its source note, each found in the sentence it cites."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import text_files
from llmkb.dedup import sentence_key
from llmkb.extract.facts import event_verb
from llmkb.extract.patterns import EVENT_RE, clauses, find_dates
from llmkb.models import Extraction
from llmkb.render.site import EXTRACTED_PAGES

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def real(real_extraction, real_files, real_note_keys):
    return real_extraction, text_files(real_files), real_note_keys


def find(result: Extraction, iso: str, words: str):
    hits = [e for e in result.timeline if e.date.iso() == iso and words in e.evidence.sentence.text]
    assert hits, f"no event {iso} about {words}"
    return hits[0]


def test_at_least_10_dated_events_in_order(real) -> None:
    result, _, _ = real
    events = result.timeline
    assert len(events) >= 10
    keys = [e.date.key for e in events]
    assert keys == sorted(keys)


def test_known_events(real) -> None:
    result, _, _ = real
    assert find(result, "2003", "Bengio")
    assert find(result, "2018", "Transformer").date.approx  # 2018年左右
    assert find(result, "2018", "GPT")
    assert find(result, "2019", "文心大模型")
    assert find(result, "2021", "foundation model")
    assert find(result, "2022-11", "ChatGPT").subject == result.catalog.row("ChatGPT").group
    assert find(result, "2023-03", "GPT-4")
    assert find(result, "2023-03-15", "Claude")
    assert find(result, "2023-10-30", "Baichuan2-192K")
    assert find(result, "2023-11-07", "GPT-4 Turbo")
    assert result.timeline[0].date.decade  # 20 世纪 90 年代 comes first


def test_year_only_events_sort_before_months_of_that_year(real) -> None:
    result, _, _ = real
    by_year: dict[int, list] = {}
    for e in result.timeline:
        by_year.setdefault(e.date.year, []).append(e)
    assert any(len(v) > 1 for v in by_year.values())
    for events in by_year.values():
        months = [e.date.month for e in events]
        assert months == sorted(months)


def test_each_event_is_found_in_its_sentence(real) -> None:
    result, _, notes = real
    for e in result.timeline:
        sentence = e.evidence.sentence
        assert e.surface in sentence.text
        assert e.description.rstrip("…") in sentence.text
        [d] = [d for d in find_dates(sentence.text) if d.start == e.evidence.start]
        assert d.value == e.date
        key = sentence_key(sentence.raw)
        assert any(key in notes[s.file] for s in sentence.spans), sentence.text


def test_one_event_per_model_and_date(real) -> None:
    result, _, _ = real
    chatgpt = [e for e in result.timeline if e.date.iso() == "2022-11"]
    assert len(chatgpt) == 1  # said twice in the notes
    assert chatgpt[0].evidence.sentence.node == "models"  # the catalog's wording wins


def test_timeline_page(real) -> None:
    result, files, _ = real
    page = files["timeline.md"]
    assert page.startswith("---\ntitle: \"发展时间线\"")
    assert "# 发展时间线 {#timeline}" in page
    assert ("发展时间线", "timeline.md") in [(t, p) for t, p, _ in EXTRACTED_PAGES]
    assert "## 2023 年 {#y2023}" in page and "## 20 世纪 90 年代 {#y1990s}" in page
    items = [line for line in page.splitlines() if line.startswith("- **")]
    assert len(items) == len(result.timeline)
    assert all("sources.md#src-" in line for line in items)  # each event cites its note
    for target, anchor in re.findall(r"\]\(([\w\-]+\.md)#([^)\s\"]+)", page):
        if target == "sources.md":
            continue
        assert anchor in set(re.findall(r"\{[^}\n]*#([^\s}]+)", files[target])), (target, anchor)
    ids = re.findall(r"\{#([^\s}]+)\}", page)
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("text, verb", [
    ("语言建模的研究始于 20世纪90年代，最初采用了统计学习方法", "始于"),
    ("其中在 2003年，深度学习先驱 Bengio 在他的经典论文中，首次将深度学习的思想融入到语言模型中", "融入"),
    ("在 2021 年，斯坦福大学等多所高校的研究人员提出了基座模型的概念", "提出"),
    ("截止 2023 年 6 月，国内外有超过百种大模型相继发布。", "发布"),
    ("知识截止日期是 2021 年 9 月，它可以执行各种任务，包括代码编写", None),
    ("Claude 2 的训练数据包括 2022 年和 2023 年初更新的数据。", None),
    ("随着 2022 年底 ChatGPT 再一次刷新 NLP 的能力上限，大语言模型开始接替", None),
    ("下表列举了自 2022 年 11 月至 2023 年 11 月国内外发布的部分大模型：", None),  # a table's range
])
def test_what_makes_a_date_an_event(text: str, verb: str | None) -> None:
    d = find_dates(text)[0]
    m = event_verb(text, clauses(text), d, EVENT_RE)
    assert (m.group(0) if m else None) == verb


def test_an_event_is_about_the_notes_model_only_when_nothing_else_was_released(tmp_path: Path) -> None:
    """In a note about one model, a dated release that names another thing (a product, a
    paper in 《》 or “”, a Latin name) or releases something other than a model is not that
    model's; "2024 年 3 月开源的语言模型" under its heading is."""
    timeline = _timeline_of(tmp_path, (
        "# Rook-2 笔记\n\n## 基座选 Rook-2\n\n乌鸦实验室 2024 年 3 月开源的语言模型，参数量 70 亿。\n\n"
        "## 前史\n\n2011 年，苹果公司推出了 Siri。\n\n2017 年，Google 发布了一篇很重要的论文。\n\n"
        "1950 年，图灵发表论文《计算机器与智能》。\n"))
    subjects = {e.date.iso(): e.subject for e in timeline}
    assert subjects["2024-03"] and not subjects["2011"] and not subjects["2017"] and not subjects["1950"], subjects


def test_an_event_keeps_its_brackets_whole_and_the_label_it_follows(tmp_path: Path) -> None:
    """"KD（Knowledge Distillation，知识蒸馏）由 Hinton 等人在 2015 年提出" is cut at the comma
    inside its bracket no more, and "**GQA（Grouped-Query Attention）**：2023 年 Google 提出" keeps
    the label that says what was proposed."""
    timeline = _timeline_of(tmp_path, (
        "# 压缩与注意力\n\n## 蒸馏\n\nKD（Knowledge Distillation，知识蒸馏）由 Hinton 等人在 2015 年提出，"
        "用大模型的软标签教小模型。\n\n## 注意力变体\n\n- **GQA（Grouped-Query Attention）**：2023 年 Google 提出，"
        "把查询头分组，每组共享一组 K 和 V。\n"))
    texts = {e.date.iso(): e.description for e in timeline}
    assert texts["2015"].startswith("KD（Knowledge Distillation，知识蒸馏）由 Hinton"), texts
    assert texts["2023"].startswith("GQA（Grouped-Query Attention）：2023 年 Google 提出"), texts


DIGEST_NOTE = """# 模型周报合集

## 第 3 期 2024.05.06–05.12

### 模型发布

- **Kestrel-9 发布**：白鹭智能于 5 月 8 日发布开源大语言模型 Kestrel-9，提供 9B 一个规模。

### 一句话

- 去年 11 月 30 日上线的对话产品本周又更新了。

## 2023

- 10 月 17 日：鹭鸟实验室发布 Plover-2 对话大模型。
"""


def test_a_month_and_day_take_the_year_of_the_heading_above(tmp_path: Path) -> None:
    """A digest dates its items by month and day under an issue's heading that gives the year
    ("第 3 期 2024.05.06–05.12"), a chronicle under a year's heading ("2023"): the catalog and
    the timeline read those as dates of that year; "去年 11 月 30 日" is in another year."""
    from llmkb.diagnostics import Reporter
    from llmkb.pipeline import Settings, build_kb

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "digest.md").write_text(DIGEST_NOTE, encoding="utf-8")
    extraction = build_kb(Settings(notes_dir=notes, project_root=tmp_path), Reporter()).extraction
    assert {e.date.iso() for e in extraction.timeline} == {"2024-05-08", "2023-10-17"}
    row = extraction.catalog.row("Kestrel-9")
    assert row is not None and row.value("date") == "5 月 8 日"
    assert [f.value.iso() for f in row.cells["date"].facts] == ["2024-05-08"]


def _timeline_of(tmp_path: Path, note: str) -> list:
    """The timeline of a knowledge base built from this one note."""
    from llmkb.diagnostics import Reporter
    from llmkb.pipeline import Settings, build_kb

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "m.md").write_text(note, encoding="utf-8")
    return build_kb(Settings(notes_dir=notes, project_root=tmp_path), Reporter()).extraction.timeline
