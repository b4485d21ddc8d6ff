"""Render: citations after a paragraph stay readable however many notes repeat it."""

from __future__ import annotations

import re
from pathlib import Path

import opencc
import pytest

from conftest import kb_of_notes
from llmkb.models import Attribution, NoteDoc, Section, Span
from llmkb.render.search_assets import _aliases_in, convert_each, section_contexts
from llmkb.render.sources import MAX_CITED_NOTES, SOURCES_PAGE, SourceIndex

MARK = re.compile(r"\[\\\[(\+?\d+)\\\]\]\(([^\s)]*)")


def _doc(n: int) -> NoteDoc:
    return NoteDoc(path=f"notes/n{n:04d}.md", name=f"n{n:04d}.md", encoding="utf-8",
                   root=Section(heading=None, level=0), attribution=Attribution(title=f"笔记 {n}"),
                   removals=[], nonblank_lines=frozenset())


def _marks(citation: str) -> list[tuple[str, str]]:
    return MARK.findall(citation)


def test_each_note_is_cited_once_with_its_merged_line_ranges() -> None:
    index = SourceIndex([_doc(n) for n in range(3)])
    citation = index.cite([Span("notes/n0002.md", 5, 6), Span("notes/n0000.md", 1, 1),
                           Span("notes/n0002.md", 7, 9), Span("notes/elsewhere.md", 1, 1)])
    assert [m[0] for m in _marks(citation)] == ["1", "3"]
    assert "n0002.md 第 5–9 行" in citation


def test_a_sentence_repeated_by_many_notes_gets_a_bounded_citation() -> None:
    docs = [_doc(n) for n in range(2000)]
    index = SourceIndex(docs)
    spans = [Span(d.path, 3, 4) for d in reversed(docs)]
    marks = _marks(index.cite(spans))
    assert len(marks) == MAX_CITED_NOTES
    assert [m[0] for m in marks[:-1]] == [str(n) for n in range(1, MAX_CITED_NOTES)]
    assert marks[-1] == (f"+{2000 - MAX_CITED_NOTES + 1}", SOURCES_PAGE)


def test_up_to_the_limit_every_note_has_its_own_mark() -> None:
    docs = [_doc(n) for n in range(MAX_CITED_NOTES)]
    marks = _marks(SourceIndex(docs).cite([Span(d.path, 1, 1) for d in docs]))
    assert [m[0] for m in marks] == [str(n) for n in range(1, MAX_CITED_NOTES + 1)]


def test_converting_texts_one_to_a_line_is_converting_each_alone() -> None:
    """search_assets converts tens of thousands of characters and words in one OpenCC call."""
    chars = [chr(cp) for cp in range(0x4E00, 0xA000)]
    words = ["进程", "内存", "软件", "信息", "鼠标", "么", "著名", "发", "头发", "后来", "干", "里面", "线程"]
    for name in ("t2s", "tw2s", "hk2s", "s2t", "s2twp"):
        converter = opencc.OpenCC(name)
        for texts in (chars, words, ["两行\n文本", "一行"]):
            assert convert_each(converter, texts) == [converter.convert(t) for t in texts]


@pytest.mark.parametrize(("text", "pairs"), [
    ("旋转位置编码（Rotary Position Embedding，RoPE）是一种位置编码。",
     {("Rotary Position Embedding", "旋转位置编码"), ("RoPE", "旋转位置编码")}),
    ("ICL（上下文学习）不更新参数。", {("ICL", "上下文学习")}),
    # a bracket that points at a figure names nothing: no alias for a query to be widened by
    ("模型里每层 Transformer（上图的灰色区域）都一样。", set()),
    ("柱状图里 zero-shot（绿色）的柱子最矮。", set()),
    # nor does a piece of a sentence before a bracket
    ("比率太大那就截断（clip），第三项前面也有个截断（clip）。", set()),
])
def test_text_aliases_are_definitions_not_figure_references(text: str, pairs: set, real_kb) -> None:
    assert set(_aliases_in(text, frozenset(), real_kb.segmenter)) == pairs


def test_a_word_glossed_many_ways_keeps_only_the_glosses_repeated(real_kb) -> None:
    """"token" glossed 词元 twice and 占位符, 每个单词 once each is glossed for the sentence at hand:
    only 词元 is its name; a word glossed once (RoPE) keeps its gloss."""
    from llmkb.render.search_assets import _Aliases, text_aliases

    texts = ["词元（token）都有编号。", "词元（token）是计费的单位。", "占位符（token）不参与计算。",
             "单词（token）先查表。", "旋转位置编码（RoPE）是一种位置编码。"]
    aliases = _Aliases()
    text_aliases(texts, aliases, frozenset(), real_kb.segmenter)
    strong, _weak = aliases.as_json()
    assert strong["token"] == ["词元"]
    assert strong["rope"] == ["旋转位置编码"]


def test_a_term_knows_its_own_names_not_what_lies_within_it(real_kb) -> None:
    """The search data's ``names`` (term → its English names and abbreviations) for a Chinese
    query to find headings written with the abbreviation: from a node's title and a note's
    gloss; not from a node's aliases (members: RoBERTa is no name of 预训练语言模型), nor from a
    gloss that names two terms."""
    from llmkb.render.search_assets import _Aliases, text_aliases

    aliases = _Aliases()
    aliases.add("Retrieval Augmented Generation", "检索增强生成", name="given")
    aliases.add("RAG", "检索增强生成", name="given")
    aliases.add("RoBERTa", "预训练语言模型")  # a node alias
    text_aliases(["混合专家（Mixture of Experts，MoE）把前馈层换成多个专家。",
                  "思维链（CoT）让模型一步步写出推理。", "思维链（CoT）很有用。",
                  "提示链（CoT）不是一个常见说法。", "提示链（CoT）也有人这么叫。"],
                 aliases, frozenset(), real_kb.segmenter)
    names = aliases.names_json()
    assert names["检索增强生成"] == ["rag", "retrieval augmented generation"]
    assert names["混合专家"] == ["mixture of experts", "moe"]
    assert "预训练语言模型" not in names
    assert aliases.as_json()[0]["cot"] == ["思维链", "提示链"]
    assert "思维链" not in names and "提示链" not in names  # "cot" names two terms


def test_a_section_placed_away_from_its_note_keeps_the_notes_heading_for_search(tmp_path: Path) -> None:
    """A LoRA note's section on mixed precision goes to the page on distributed training; the
    worker reads it under the note's title (search "LoRA 混合精度" finds it). The note's other
    section stays under LoRA, whose heading the page shows: it needs no context."""
    kb = kb_of_notes(
        tmp_path,
        lora="# 低秩适配（LoRA）\n\nLoRA 冻结预训练模型的权重，在旁边加两个低秩矩阵 A 和 B，只训练它们。\n\n"
             "## 原理\n\nLoRA 认为微调时权重的变化是低秩的，所以用两个小矩阵的乘积表示这个变化。\n\n"
             "## 混合精度训练\n\n训练 LoRA 时常用 FP16 或 BF16 混合精度，FP32 保存主权重，损失缩放防止下溢。\n",
        precision="# 混合精度训练\n\n混合精度训练用 FP16 做前向和反向计算，用 FP32 保存一份主权重。\n")
    contexts = section_contexts(kb)
    where = {item.title: (page.path[:-3], item.anchor) for page in kb.layout.pages for item in page.items}
    precision = next(place for title, place in where.items() if title.startswith("混合精度训练"))
    lora = next(place for title, place in where.items() if title.startswith("LoRA"))
    assert precision[0] != lora[0], where
    assert contexts[precision[0]][precision[1]] == "低秩适配（LoRA）"
    assert lora[1] not in contexts.get(lora[0], {}), contexts
