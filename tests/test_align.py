"""align.py: one entry per subject, and the reading order of its notes (a definition first)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import kb_of_notes
from llmkb.align import definition_pattern
from llmkb.models import KnowledgeBase


@pytest.mark.parametrize(("text", "defines"), [
    ("LoRA 是一种参数高效微调方法。", True),
    ("所谓 LoRA，就是用低秩矩阵模拟权重的改变量。", True),
    ("LoRA（Low-Rank Adaptation）指的是冻结原权重、只训练低秩矩阵的方法。", True),
    ("LoRA（论文：LoRA: Low-Rank Adaptation of Large Language Models），该方法的核心思想就是通过低秩分解"
     "来模拟参数的改变量。", True),
    # a framing word first, another name on the way
    ("一般来说，LoRA 指冻结原权重、只训练低秩矩阵的方法。", True),
    ("LoRA（Low-Rank Adaptation），也称低秩适配，是一种参数高效微调方法。", True),
    ("LoRA 的显存占用比全量微调小得多。", False),
    ("一般来说，LoRA 的显存占用比全量微调小得多。", False),
    ("神经网络包含很多全连接层，LoRA 利用了权重的低秩性。", False),
])
def test_what_says_what_the_subject_is(text: str, defines: bool) -> None:
    pattern = definition_pattern(["LoRA"])
    assert pattern is not None and bool(pattern.search(text)) is defines


def _kb(tmp_path: Path, **notes: str) -> KnowledgeBase:
    """The knowledge base of these notes (file stem → text)."""
    return kb_of_notes(tmp_path, **notes)


def _notes_of(kb: KnowledgeBase, title: str) -> list[str]:
    """The notes of the entry that holds the sections titled so, in reading order."""
    entry = next(e for c in kb.contents for e in c.all_entries() if any(
        p.unit.title == title for p in e.placements))
    return [Path(p.unit.note).name for p in entry.placements]


# (subject, a note that never defines it, the note that defines it: it must lead)
DEFINED_SOONEST = [
    # the defining note opens with the definition
    ("LoRA",
     "# 微调笔记\n\n## LoRA\n\n神经网络包含很多全连接层，这些层的权重矩阵往往是满秩的。\n\n"
     "微调之后，权重的改变量其实具有很低的本征秩，这就是低秩适配的出发点。\n\n"
     "因此只训练两个小矩阵就够了，显存和存储都省了很多。\n",
     "# 总结\n\n## LoRA\n\nLoRA（论文：Low-Rank Adaptation），该方法的核心思想就是"
     "通过低秩分解来模拟参数的改变量。\n"),
    # a term's label and what it is, as a paragraph ("思维链（…）：通过让模型…"); the fuller note
    # names it only as one item of a list
    ("思维链",
     "# 提示笔记\n\n## 思维链\n\n- 思维链：适合推理题；\n- 少样本：适合格式固定的任务。\n\n"
     "推理题里，中间步骤写得越清楚，答案越稳。\n\n复杂问题要多给几个例子，让模型照着写出步骤。\n",
     "# 思维链\n\n## 思维链\n\n思维链（Chain-of-Thought，CoT）：让模型先写出一步步的推理过程，再给出答案。\n"),
    # no note opens with one: the one that gives it soonest (its second paragraph) leads
    ("张量并行",
     "# 并行笔记\n\n## 张量并行\n\n一张卡放不下整个模型时，就得想办法把它拆开。\n\n"
     "比如一个矩阵乘法，可以按列切成两半分给两张卡。\n\n两张卡各算一半，最后再把结果拼起来。\n\n"
     "拼接时要做一次通信，这部分开销不能忽略。\n\n层数越多，这样的通信就越频繁。\n",
     "# 另一篇\n\n## 张量并行\n\n和流水线并行相似，它也是把模型拆到多张卡上。\n\n"
     "张量并行是把一层内部的参数矩阵切分到不同设备上计算的方法。\n"),
]


@pytest.mark.parametrize(("title", "fuller", "defining"), DEFINED_SOONEST)
def test_the_note_that_defines_the_subject_soonest_opens_its_entry(tmp_path: Path, title: str, fuller: str,
                                                                   defining: str) -> None:
    assert _notes_of(_kb(tmp_path, a=fuller, b=defining), title) == ["b.md", "a.md"]


def test_a_kind_of_the_subject_keeps_its_heading(tmp_path: Path) -> None:
    """QLoRA and AdaLoRA are aliases of the LoRA node, but kinds of LoRA: each is an entry of the
    LoRA page with its own heading, not more of the page's opening text."""
    kb = _kb(tmp_path, peft="# 参数高效微调\n\n## LoRA\n\n该方法通过低秩分解来模拟参数的改变量。\n\n"
                            "## AdaLoRA\n\n对 LoRA 的一种改进，按重要性分配秩。\n\n"
                            "## QLoRA\n\n先把模型量化为 4 bit，再加低秩适配器。\n")
    lora = next(c for c in kb.contents if c.node.id == "lora")
    assert [p.unit.title for p in lora.intro.placements] == ["LoRA"]
    assert [e.title for e in lora.entries] == ["AdaLoRA", "QLoRA"]


def test_a_reading_list_keeps_its_heading_and_a_summary_joins_its_parent(tmp_path: Path) -> None:
    """"延伸阅读" says what follows (links to read, not more of the topic's text) and stays a
    heading of its own; "总结" is part of what its parent is about."""
    kb = _kb(tmp_path, ch="# 第五章 位置编码\n\n## 旋转位置编码\n\n旋转位置编码把位置信息写进向量的旋转角度里。\n\n"
                          "### 总结\n\n相对位置因此只取决于两个角度之差。\n\n"
                          "## 延伸阅读\n\n- [一篇位置编码论文](https://arxiv.org/abs/2104.00001)\n"
                          "- [另一篇外推论文](https://arxiv.org/abs/2306.00002)\n")
    titles = [e.title for c in kb.contents for e in c.all_entries() if e.placements]
    assert "延伸阅读" in titles and "总结" not in titles



def test_a_latin_name_the_node_holds_keeps_its_heading_and_its_sections(tmp_path: Path) -> None:
    """ReLU and GeLU are aliases of the 激活函数 node, named things in it: each is an entry of
    the page with its heading, its own sections under it; a heading in Chinese that names the
    node stays its opening text."""
    kb = _kb(tmp_path, act="# 激活函数\n\n激活函数给网络引入非线性。\n\n"
                           "## ReLU\n\nReLU 在正半轴上的梯度恒为 1，计算也便宜。\n\n"
                           "### 缺点\n\n负半轴上的神经元可能再也不会被激活。\n\n"
                           "## GeLU\n\nGeLU 用高斯分布的累积函数给输入加权。\n")
    act = next(c for c in kb.contents if c.node.id == "activation-functions")
    assert [p.unit.title for p in act.intro.placements] == ["激活函数"]
    assert [e.title for e in act.entries] == ["ReLU", "GeLU"]
    assert [c.title for c in act.entries[0].children] == ["缺点"]


def test_subjects_nest_as_deep_as_the_note_and_names_that_differ_stay_apart(tmp_path: Path) -> None:
    """A chapter's "Encoder-only PLM › BERT › 双向的好处" keeps its three levels on the page, and
    "Decoder-only PLM" (one letter-run from it) is another entry, not a spelling of it."""
    kb = _kb(tmp_path, plm="# 预训练语言模型\n\n预训练语言模型先在大量文本上训练，再迁移到下游任务。\n\n"
                           "## Encoder-only PLM\n\n只用编码器的模型。\n\n"
                           "### BERT\n\nBERT 用双向编码器建模上下文。\n\n"
                           "#### 双向的好处\n\n每个词都能同时看到左右两边的上下文。\n\n"
                           "## Decoder-only PLM\n\n只用解码器的模型。\n\n"
                           "### GPT\n\nGPT 从左到右预测下一个词。\n")
    plm = next(c for c in kb.contents if c.node.id == "pretrained-language-model")
    tree = {e.title: {c.title: [g.title for g in c.children] for c in e.children} for e in plm.entries}
    assert tree == {"Encoder-only PLM": {"BERT": ["双向的好处"]}, "Decoder-only PLM": {"GPT": []}}


def test_two_models_of_one_maker_are_two_entries(tmp_path: Path) -> None:
    """"Llama 2（Meta）" and "Llama 3（Meta）" in a digest of releases: the bracket says who made
    each, it is no English name of the subject — two entries, each with its own facts (one
    entry would put the later model's sizes under the earlier one's heading)."""
    kb = _kb(tmp_path, digest="# 模型发布速览\n\n## 开源模型\n\n"
                              "### Llama 2（Meta）\n\n- 发布：2023 年 7 月\n- 参数规模：7B、13B、70B\n\n"
                              "### Mistral Large（Mistral AI）\n\n- 发布：2024 年 2 月\n- 闭源，通过 API 提供\n\n"
                              "### Mistral 7B（Mistral AI）\n\n- 发布：2023 年 9 月\n- 参数约 7.3B\n\n"
                              "### Llama 3（Meta）\n\n- 发布：2024 年 4 月\n- 参数规模：8B、70B\n")
    titles = [e.title for c in kb.contents for e in c.all_entries() if e is not c.intro and e.placements]
    assert sorted(titles) == ["Llama 2（Meta）", "Llama 3（Meta）", "Mistral 7B（Mistral AI）",
                              "Mistral Large（Mistral AI）"], titles


@pytest.mark.parametrize(("title", "english", "abbr", "named"), [
    ("混合专家（Mixture of Experts，MoE）", "Mixture of Experts", "MoE", ("Mixture of Experts", "MoE")),
    ("Transformer 架构（Transformer Architecture）", "Transformer Architecture", "", ("Transformer Architecture", "")),
    ("ReLU（Rectified Linear Unit）", "Rectified Linear Unit", "", ("Rectified Linear Unit", "")),
    ("Mixture of Experts（MoE）", "", "MoE", ("", "MoE")),
    ("GPT-4o（OpenAI）", "", "OpenAI", ("", "")),
    ("P-Tuning（Liu et al.）", "Liu et al.", "", ("", "")),
])
def test_a_bracket_names_the_subject_when_the_title_is_chinese_or_it_holds_or_spells_the_name(
        title: str, english: str, abbr: str, named: tuple[str, str]) -> None:
    from llmkb.align import subject_names
    from llmkb.models import Heading, Span
    heading = Heading(title=title, span=Span("n.md", 1, 1), style="atx:3", english=english, abbr=abbr)
    assert subject_names(heading) == named


def test_a_heading_with_an_english_name_of_its_own_is_a_subject_of_the_node(tmp_path: Path) -> None:
    """"知识蒸馏（Knowledge Distillation）" names 模型压缩 by an alias, but its own English name
    says it is one thing in it: an entry with its heading, not more of the page's opening."""
    kb = _kb(tmp_path, mc="# 模型压缩\n\n模型压缩让大模型跑得更快、占得更少。\n\n"
                          "## 知识蒸馏（Knowledge Distillation）\n\n让小模型学习大模型输出的软标签。\n")
    mc = next(c for c in kb.contents if c.node.id == "model-compression")
    assert [p.unit.title for p in mc.intro.placements] == ["模型压缩"]
    assert [e.title for e in mc.entries] == ["知识蒸馏（Knowledge Distillation）"]


def test_a_heading_without_text_titles_the_sections_under_it(tmp_path: Path) -> None:
    """"贪婪解码（Greedy Decoding）" has no text of its own, only subsections: they stay under it
    on the page (优缺点分析 is greedy decoding's, not the page's), its generic part (原理说明)
    is its text, and it keeps its own title, not a subsection's; a heading without text that
    names something outside the node (分布式训练 over a ZeRO section) titles nothing there."""
    kb = _kb(tmp_path, gen="# 生成方式\n\n大模型逐个生成 token。\n\n"
                           "## 贪婪解码（Greedy Decoding）\n\n### 原理说明\n\n每一步都选概率最大的词。\n\n"
                           "### 优缺点分析\n\n简单快速，但容易重复。\n\n"
                           "## 分布式训练\n\n### ZeRO\n\nZeRO 把优化器状态切分到各张卡上。\n")
    dec = next(c for c in kb.contents if c.node.id == "decoding")
    assert [e.title for e in dec.entries] == ["贪婪解码（Greedy Decoding）"]
    greedy = dec.entries[0]
    assert [p.unit.title for p in greedy.placements] == ["原理说明"]
    assert [c.title for c in greedy.children] == ["优缺点分析"]
    zero = next(c for c in kb.contents if c.node.id == "zero")
    assert all(e.title != "分布式训练" for e in zero.all_entries())


def test_a_part_in_words_of_one_subject_is_not_that_part_of_another(tmp_path: Path) -> None:
    """"优点" and "缺点" under Heron and under Kestrel (two activation functions of one note) are
    each one's own, not one entry under the first with both texts; a Latin name (GeLU) under
    two headings is one subject wherever it stands, its sections from both notes together."""
    kb = _kb(tmp_path, act="# 激活函数\n\n激活函数给网络引入非线性。\n\n"
                           "## ReLU\n\nReLU 在正半轴上的梯度恒为 1。\n\n"
                           "### 优点\n\n计算便宜，收敛快。\n\n### 缺点\n\n负半轴上的神经元可能不再激活。\n\n"
                           "## GeLU\n\nGeLU 用高斯分布的累积函数给输入加权。\n\n"
                           "### 优点\n\n曲线平滑，处处可导。\n\n### 缺点\n\n要算误差函数，比 ReLU 慢。\n",
             more="# 常见激活函数\n\n## 平滑的激活函数\n\n这一类函数处处可导。\n\n"
                  "### GeLU\n\nGeLU 在 BERT 和 GPT 里很常见。\n")
    act = next(c for c in kb.contents if c.node.id == "activation-functions")
    tree = {e.title: [c.title for c in e.children] for e in act.entries}
    assert tree["ReLU"] == ["优点", "缺点"] and tree["GeLU"] == ["优点", "缺点"], tree
    gelu = next(e for e in act.all_entries() if e.title == "GeLU")
    assert {Path(p.unit.note).stem for p in gelu.placements} == {"act", "more"}


def test_a_models_name_over_its_fields_is_its_record_in_the_catalog(tmp_path: Path) -> None:
    """"Heron 1" and "Heron 1.5" with no text of their own over 时间 and 参数量 are two models'
    records: each keeps its heading on the catalog page with its own fields under it (not one
    "参数量" with both models' sizes), and each is a row with the size and date its record gives."""
    kb = _kb(tmp_path, heron="# Heron 系列模型\n\n## Heron 1\n\n### 时间\n\n2023.08\n\n"
                             "### 参数量\n\n7B、14B\n\n## Heron 1.5\n\n### 时间\n\n2024.02\n\n"
                             "### 参数量\n\n32B\n")
    models = next(c for c in kb.contents if c.node.id == "models")
    tree = {e.title: [c.title for c in e.children] for e in models.entries}
    assert tree == {"Heron 1": ["时间", "参数量"], "Heron 1.5": ["时间", "参数量"]}, tree
    catalog = kb.extraction.catalog
    assert catalog.row("Heron 1.5") is not None and catalog.row("Heron 1.5").value("params") == "32B"
    assert "32B" not in catalog.row("Heron 1").value("params")
    # "时间" over a date is its release date, as a table's 发布时间 column is.
    assert catalog.row("Heron 1.5").value("date") == "2024.02"
    assert catalog.row("Heron 1").value("date") == "2023.08"


def test_a_heading_that_names_a_part_of_the_node_titles_what_it_is_over(tmp_path: Path) -> None:
    """"反向传播" is one of the things 神经网络基础 holds (an alias of the node, not its name): with no
    text of its own over "计算图" and "示例", it is their entry, and the example its text, not
    the page's opening text. "混合专家模型" is a form of its node's name (混合专家): what is under it
    stays the node's own text and its subjects."""
    kb = _kb(tmp_path, nn="# 神经网络基础\n\n## 神经元\n\n神经元把输入加权求和，再经过激活函数输出。\n\n"
                          "## 反向传播\n\n### 计算图\n\n计算图把函数拆成一个个结点，梯度沿着边往回传。\n\n"
                          "### 示例\n\n设 f 等于 x 加 y 再乘以 z，先算前向，再逐个结点求偏导。\n",
             moe="# 混合专家\n\n## 混合专家模型\n\n### 门控网络\n\n门控网络给每个专家打分，只激活分数最高的几个。\n")
    nn = next(c for c in kb.contents if c.node.id == "neural-networks")
    backprop = next(e for e in nn.entries if e.title == "反向传播")
    assert [c.title for c in backprop.children] == ["计算图"]
    assert [p.unit.title for p in backprop.placements] == ["示例"] and not nn.intro.placements
    moe = next(c for c in kb.contents if c.node.id == "mixture-of-experts")
    assert "混合专家模型" not in [e.title for e in moe.all_entries()] and moe.intro.placements
