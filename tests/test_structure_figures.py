"""Structure: captions of figures that are not on the page and sentences that only point at
them or at a missing table go by named rules (structure/figures.py); the rest stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmkb.diagnostics import Reporter
from llmkb.ingest.decode import decode_note
from llmkb.models import NoteDoc, NoteText
from llmkb.structure import build_note
from llmkb.structure.figures import caption_kind

FIGURE = "![](img/missing.png)"  # the note's image is not there: dropped


def build(tmp_path: Path, text: str, *, image: bool = False) -> tuple[NoteDoc, Reporter]:
    notes = tmp_path / "notes"
    notes.mkdir(exist_ok=True)
    if image:
        (notes / "img").mkdir(exist_ok=True)
        (notes / "img" / "here.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    path = notes / "n.md"
    path.write_text(text, encoding="utf-8")
    lines = decode_note(path.read_bytes()).text.split("\n")
    nonblank = frozenset(i + 1 for i, line in enumerate(lines) if line.strip())
    reporter = Reporter()
    note = NoteText("notes/n.md", "n.md", lines, nonblank, "utf-8")
    return build_note(note, path, notes, reporter), reporter


def texts(doc: NoteDoc) -> list[str]:
    return [b.text for s in doc.root.walk() for b in s.blocks]


def removed(doc: NoteDoc) -> dict[int, str]:
    return {n: r.rule for r in doc.removals for n in r.span.lines()}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("图 2.7 Transformer 模型结构", "figure"),
        ("图1-1 图灵测试", "figure"),
        ("图1-4 RNN网络（参考自colah的博客文章“Understanding LSTM Networks”）", "figure"),
        ("（图 3）注意力权重的热力图", "figure"),
        ("表2：不同精度效果对比", "table"),
        ("图4，transformer层的tensor并行化和sequence并行化", "figure"),
        ("图1. clip函数", "figure"),
        ("Figure 3: The Transformer architecture", "figure"),
        ("Table 1. Results on GLUE", "table"),
        ("图3.15展示了 GLM 系列模型在基准集上的表现演进：", ""),  # a sentence about the figure
        ("图灵测试是评估机器智能的经典方法。", ""),
        ("图 2 中可以看到，损失在第 3 个 epoch 后不再下降。之后我们换了学习率。", ""),
        ("表示学习是深度学习的核心。", ""),
    ],
)
def test_numbered_captions_are_recognized(text: str, kind: str) -> None:
    assert caption_kind(text) == kind


# (note, lines removed → rule, text that must stay, text that must go)
CASES = [
    # A Markdown image that is missing, its HTML caption, and the clause that pointed at it.
    ("# 笔记\n\nGPT-1 走的是下游任务微调的套路，如图1-8所示。\n\n" + FIGURE
     + '\n\n<p align="center">图1-8 GPT-1 基本结构<p>\n\n后面的正文继续讲解码器。\n',
     {5: "image-dropped", 7: "figure-caption"}, ["GPT-1 走的是下游任务微调的套路。", "后面的正文继续讲解码器。"],
     ["如图1-8", "图1-8 GPT-1"]),
    # An HTML figure (<img> is never published) with its caption inside the same block.
    ("# 笔记\n\n- 前馈神经网络，每一层的神经元都和上下两层完全连接，如图2.1所示:\n\n"
     '<div align="center">\n  <img src="https://example.com/1-0.png" alt="图片描述" width="90%"/>\n'
     "  <p>图2.1 全连接神经网络</p>\n</div>\n\n卷积神经网络的参数量远小于全连接网络。\n",
     {5: "figure-caption", 6: "figure-caption", 7: "figure-caption", 8: "figure-caption"},
     ["前馈神经网络，每一层的神经元都和上下两层完全连接。", "卷积神经网络的参数量远小于全连接网络。"],
     ["图2.1", "如图"]),
    # A caption written as a quote under a missing image.
    ("# 笔记\n\n张量并行把每一层切成小块。\n\n" + FIGURE
     + "\n\n> 图3 Tensor并行化MLP和自注意力\n\n图 3a 显示了两层 MLP 的切分。\n",
     {5: "image-dropped", 7: "figure-caption"}, ["图 3a 显示了两层 MLP 的切分。"], ["Tensor并行化MLP"]),
    # A short lead-in before a dropped figure goes whole; a credit under it too.
    ("# 笔记\n\n激活函数有很多种。其图像如下所示：\n\n" + FIGURE + "\n\n（该图来源于参考内容 [1]）\n\n正文。\n",
     {5: "image-dropped", 7: "figure-caption"}, ["激活函数有很多种。"], ["其图像", "该图来源"]),
    # A sentence whose subject is the missing figure goes; the paragraph's first sentence stays.
    ("# 笔记\n\nMoE 的效果很好。下图展示了增大专家个数带来的性能提升：\n\n" + FIGURE + "\n\n正文。\n",
     {5: "image-dropped"}, ["MoE 的效果很好。"], ["下图展示"]),
    # What is left when the pointer clause goes is no sentence: it goes too.
    ("# 笔记\n\nDecoder 则用于解码过程。Transformer 结构，如图2.5所示：\n\n" + FIGURE + "\n",
     {5: "image-dropped"}, ["Decoder 则用于解码过程。"], ["Transformer 结构"]),
    # A bracketed aside does not make a description of the figure a sentence of its own.
    ("# 笔记\n\n然后分析结构的相似之处。下图展示了 Adapter 以及新变体（通过更换一些元素，设计了新的变体）的结构。\n\n"
     + FIGURE + "\n", {5: "image-dropped"}, ["然后分析结构的相似之处。"], ["新变体"]),
    # A numbered figure as the subject, before an HTML figure that is dropped.
    ("# 笔记\n\nGLM 有多个版本。图3.15展示了 GLM 系列模型在基准集上的表现演进：\n\n"
     '<div align="center">\n<img src="https://example.com/a.png">\n<p>图3.15 alt text</p>\n</div>\n',
     {5: "figure-caption", 8: "figure-caption"}, ["GLM 有多个版本。"], ["表现演进", "alt text"]),
    # A screenshot as the subject ("以下窗口是…"): the sentence only introduces it.
    ("# 笔记\n\nPaLM2 支持多种语言。\n\n以下窗口是 Google 基于 PaLM2 开发的对话应用 Bard:\n\n" + FIGURE + "\n",
     {5: "dangling-figure-ref", 7: "image-dropped"}, ["PaLM2 支持多种语言。"], ["以下窗口"]),
    # A pointer clause at the start of a long sentence: the clause goes, the sentence stays.
    ("# 笔记\n\n如下图所示，将输入对应的 embedding 输入解码器后，每个位置都会生成一个新的 embedding，以此类推：\n\n"
     + FIGURE + "\n",
     {5: "image-dropped"}, ["将输入对应的 embedding 输入解码器后，每个位置都会生成一个新的 embedding，以此类推。"],
     ["如下图所示"]),
    # "如图所示：" with no figure at all (the note never had it) goes.
    ("# 笔记\n\n训练分为三个阶段。整体流程如下图所示：\n\n## 下一节\n\n正文。\n",
     {}, ["训练分为三个阶段。"], ["如下图所示"]),
    # A table pointer with no table; "介绍一下表中" is no pointer.
    ("# 笔记\n\n模型很多。下表列举了 2023 年发布的部分大模型：\n\n正文一。\n\n"
     "下面分别介绍一下表中七个框架的关键点：\n\n- 框架一\n",
     {}, ["模型很多。", "下面分别介绍一下表中七个框架的关键点："], ["下表列举"]),
]


@pytest.mark.parametrize(("text", "rules", "kept", "gone"), CASES)
def test_captions_and_pointers_of_missing_figures_go(tmp_path: Path, text: str, rules: dict[int, str],
                                                      kept: list[str], gone: list[str]) -> None:
    doc, _ = build(tmp_path, text)
    shown = "\n".join(texts(doc))
    for piece in kept:
        assert piece in shown
    for piece in gone:
        assert piece not in shown
    assert {n: r for n, r in removed(doc).items() if n in rules} == rules


# Lead-ins whose figure, table, code or list is there: nothing goes.
KEPT = [
    # About the missing figure, but it goes on to say something of its own.
    "# 笔记\n\n下图给出了标准注意力的实现流程，可以看到对 HBM 的读写非常频繁，而 SRAM 利用率反而不高。\n\n"
    "![](img/missing.png)\n",
    "# 笔记\n\n结构如下图所示：\n\n![](img/here.png)\n\n图 1 模型结构\n",
    "# 笔记\n\n主要的原因如下所示：\n\n- 参数计算口径不一致\n- 缺乏模型大小的考虑\n",
    "# 笔记\n\nRLHF 一般分为以下三个步骤：\n\n1. 预训练语言模型\n2. 训练奖励模型\n",
    "# 笔记\n\nRoPE 的代码实现如下所示：\n\n```python\nx = 1\n```\n",
    "# 笔记\n\n公式如下所示：\n\n$$\na = b\n$$\n",
    "# 笔记\n\n表1-1 词袋模型\n\n| 词 | 次数 |\n| --- | --- |\n| 爱 | 3 |\n",
    "# 笔记\n\n各框架的特点如下表所示：\n\n| 框架 | 特点 |\n| --- | --- |\n| vLLM | 快 |\n",
    # The table's caption stands between the pointer and the table.
    "# 笔记\n\n下表是不同容量因子的效果对比。\n\n**表 1：不同容量因子的效果**\n\n"
    "| 因子 | 效果 |\n| --- | --- |\n| 1.0 | 好 |\n",
    "# 笔记\n\n上图给出了 PagedAttention 的一个示例：键和值向量分布在三个不相邻的块上。\n\n正文。\n",
]


@pytest.mark.parametrize("text", KEPT)
def test_lead_ins_whose_figure_table_code_or_list_is_there_stay(tmp_path: Path, text: str) -> None:
    doc, reporter = build(tmp_path, text, image=True)
    assert not [r for r in doc.removals if r.rule in ("figure-caption", "dangling-figure-ref",
                                                      "dangling-table-ref")]
    assert not reporter.by_code("dangling-figure-ref") and not reporter.by_code("dangling-table-ref")


def test_a_table_shown_as_a_picture_is_a_missing_table(tmp_path: Path) -> None:
    doc, reporter = build(tmp_path, "# 笔记\n\n正文。\n\n下表展示了各方法的参数量。\n\n" + FIGURE + "\n")
    assert removed(doc)[5] == "dangling-table-ref"
    assert not reporter.by_code("dangling-figure-ref")


def test_pointers_warn_and_whole_pointer_blocks_are_recorded(tmp_path: Path) -> None:
    doc, reporter = build(tmp_path, "# 笔记\n\n正文。\n\n如图所示：\n\n" + FIGURE + "\n")
    assert removed(doc)[5] == "dangling-figure-ref"
    assert [d.line for d in reporter.by_code("dangling-figure-ref")] == [5]
