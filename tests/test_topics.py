"""Topic pages end to end on the real notes: placement, coverage, no duplicates, nothing lost,
junk nowhere, determinism, and docs/ in sync with notes/."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from conftest import NOTES, ROOT
from llmkb.diagnostics import Reporter
from llmkb.models import BlockKind
from llmkb.pipeline import MANIFEST, Settings

# --- placement -------------------------------------------------------------------------------


def _placed(kb) -> dict[tuple[str, str], str]:
    return {(Path(p.unit.note).name[:3], p.unit.title): p.node for p in kb.placements}


@pytest.mark.parametrize(
    ("note", "title", "node"),
    [
        ("000", "涌现能力", "emergent-abilities"),
        ("004", "涌现能力（Emergent Abilities）", "emergent-abilities"),
        ("002", "涌现能力（emergent abilities）", "emergent-abilities"),
        ("004", "多语言支持", "multilingual"),  # under "3. LLM 的特点"
        ("000", "挥之不去的幻觉", "hallucination"),
        ("004", "LLM 的定义", "definition"),
        ("002", "LLM 的发展历程", "history"),
        ("001", "数据工程", "pretraining-data"),
        ("001", "人类对齐", "alignment"),
        ("002", "GPT-4", "models"),
        ("002", "文心一言", "models"),
        ("003", "中间任务的消亡", "paradigm"),
        ("003", "记忆之地：LLM 如何存取知识", "knowledge"),
        ("002", "LLM 的应用与影响", "applications"),
    ],
)
def test_sections_land_on_their_node(real_kb, note, title, node) -> None:
    assert _placed(real_kb)[(note, title)] == node


def test_heading_evidence_prefers_the_specific_alias(tmp_path: Path) -> None:
    """Longest alias wins (上下文 inside 上下文学习 is no evidence for the context window), and a
    weak alias (上下文) places a heading only when nothing more specific, own or a parent's, does."""
    placed = _place(tmp_path, {"n.md": "# 上下文学习实战：示例怎么写\n\n示例要覆盖各类标签。\n\n"
                                       "## 上下文中的示例顺序\n\n把最像问题的示例放在最后。\n\n"
                                       "# 能处理多长的上下文\n\n窗口决定了一次能读多少内容。\n\n"
                                       "# 推理成本\n\n输入越长，调用越贵。\n\n"
                                       "# 为什么模型会复读\n\n温度过低时容易陷入循环。\n"})
    assert placed == {
        "上下文学习实战：示例怎么写": "in-context-learning",
        "上下文中的示例顺序": "in-context-learning",  # its parent's subject, not the context window
        "能处理多长的上下文": "long-context",
        "推理成本": "cost",
        "为什么模型会复读": "repetition",
    }


def test_the_stages_a_subject_went_through_are_its_history(tmp_path: Path) -> None:
    """"NLP 的几个发展阶段" names its history as 发展历程 does: with a text of decades and
    releases it goes to the history page, not to the subject the note follows."""
    placed = _place(tmp_path, {"n.md": "# 自然语言处理复习提纲\n\n## 第一章 绪论\n\n### 1.1 自然语言处理的任务\n\n"
                                       "分词、句法分析、机器翻译。\n\n### 1.2 NLP 的几个发展阶段\n\n"
                                       "1. 规则方法：20 世纪 50 年代起，专家手写规则\n"
                                       "2. 统计方法：90 年代，隐马尔可夫模型和 n-gram\n"
                                       "3. 深度学习：2013 年词向量之后，循环神经网络做特征抽取\n"
                                       "4. 预训练加微调：2018 年 ELMo、GPT、BERT 相继出现\n"
                                       "5. 大模型加提示：2020 年 GPT-3 之后，2022 年底 ChatGPT 走红\n"})
    assert placed["NLP 的几个发展阶段"] == "history"


@pytest.mark.parametrize(("note", "heading", "node"), [
    # CLIP is the multimodal model, not PPO's clipping (which the taxonomy names PPO-Clip)
    ("# 多模态大模型笔记\n\n## 1 背景\n\n大模型只能读文字，看不了图。\n\n## 2 视觉-语言对比预训练\n\n"
     "### 2.1 CLIP 的做法\n\n图像编码器和文本编码器分别编码，匹配的图文对相似度高，不匹配的低。\n",
     "CLIP 的做法", "multimodality"),
    # a loss spike is a matter of optimization and training stability, whatever the note is about
    ("# 分布式训练手记\n\n## 数据并行\n\n每张卡一份模型，梯度做 all-reduce。\n\n"
     "## Loss spike 怎么办\n\n先降低学习率，再跳过出问题的 batch，从上一个 checkpoint 重启。\n",
     "Loss spike 怎么办", "optimization"),
    # "LoRA 家族与 Prefix / P-Tuning": a word for LoRA's group, then the other subject's variants
    # listed before its name — side by side all the same: the note is about PEFT, which holds both
    ("# 论文笔记：LoRA 家族与 Prefix / P-Tuning\n\n## 读前说明\n\n都是读论文时顺手记的，每篇记动机、方法和实验。\n",
     "读前说明", "peft"),
    # "习题" closes a chapter as "本章小结" does: about all of it, even when most questions are on PPO
    ("# 第八章 对齐\n\n## 有监督微调\n\n用指令数据教模型遵循指令。\n\n## 奖励模型与 PPO\n\n"
     "PPO 用裁剪目标和 KL 惩罚保证训练稳定。\n\n## 直接偏好优化\n\nDPO 绕开了奖励模型。\n\n## 习题\n\n"
     "1. PPO 中如果去掉裁剪项、只保留 KL 惩罚，会怎样？\n2. PPO 的价值函数和优势估计各起什么作用？\n"
     "3. PPO 训练中为什么要同时维护策略模型和参考模型？\n",
     "习题", "alignment"),
    # continuous (in-flight) batching is how inference servers keep the GPU busy: the page on
    # inference frameworks, not the deployment how-to its note is filed under
    ("# 大模型推理部署笔记\n\n## 本地部署\n\n用 Ollama 在笔记本上跑一个 7B 模型。\n\n"
     "## Continuous Batching（连续批处理）\n\n请求不必等整批结束，每生成一步就把完成的请求换成新的请求。\n",
     "Continuous Batching（连续批处理）", "inference-frameworks"),
])
def test_headings_of_unseen_notes_land_on_their_node(tmp_path: Path, note: str, heading: str, node: str) -> None:
    assert _place(tmp_path, {"n.md": note})[heading] == node


def _place(tmp_path: Path, notes: dict[str, str]) -> dict[str, str]:
    """Title → node of every section of a knowledge base built from these notes."""
    from llmkb.pipeline import build_kb

    folder = tmp_path / "notes"
    folder.mkdir(parents=True)
    for name, text in notes.items():
        (folder / name).write_text(text, encoding="utf-8")
    kb = build_kb(Settings(notes_dir=folder, project_root=tmp_path), Reporter())
    return {p.unit.title: p.node for p in kb.placements}


def test_a_heading_about_an_aspect_of_another_subject_goes_to_that_subject(tmp_path: Path) -> None:
    """In a note that goes through one aspect (data formats), "奖励模型的数据格式" is about the
    reward model: its head word repeats the note's subject, its modifier is what is new. The
    reverse ("DPO 的目标函数" in a note about DPO) stays, and so does a modifier naming two."""
    placed = _place(tmp_path, {
        "formats.md": "# 训练数据格式\n\n各阶段的数据各有格式。\n\n"
                      "## 1. SFT 的训练数据格式\n\n每条是一问一答。\n\n"
                      "## 2. 奖励模型的训练数据格式\n\n每条是一个问题和两个排好序的回答。\n\n"
                      "## 3. 用于人类对齐语言模型的训练数据格式\n\n偏好对的集合。\n\n"
                      "## 4. 大模型的训练数据格式\n\n大模型各阶段的数据都是文本。\n\n"
                      "## 5. 奖励模型里的训练数据格式\n\n问题与排序的回答。\n",
        "dpo.md": "# DPO\n\nDPO 直接用偏好数据优化策略。\n\n"
                  "## DPO 的目标函数\n\n它把奖励写成策略与参考策略的对数比。\n",
    })
    assert placed["奖励模型的训练数据格式"] == "reward-model"
    assert placed["SFT 的训练数据格式"] == "sft"
    assert placed["用于人类对齐语言模型的训练数据格式"] == placed["训练数据格式"], "two modifiers: unclear"
    assert placed["大模型的训练数据格式"] == placed["训练数据格式"], "LLMs in general are no other subject"
    assert placed["奖励模型里的训练数据格式"] == placed["训练数据格式"], "a place, not an owner"
    assert placed["DPO 的目标函数"] == "dpo"


def test_a_broad_word_of_the_llm_pages_qualified_by_another_name_is_about_that_name(tmp_path: Path) -> None:
    """定义 / 特点 on their own (or of LLMs) mean the pages about LLMs; "IR 定义" or "HMM 的缺点"
    is an aspect of another subject the taxonomy may not know: the text decides, as it does
    for a heading with no topic word."""
    placed = _place(tmp_path, {"nlp.md": "# 课程笔记\n\n一门自然语言处理课的笔记。\n\n"
                                         "## IR 定义\n\n给定查询，向量检索系统从文档库里召回相关文档，再重排。\n\n"
                                         "## HMM 的缺点\n\n隐马尔可夫模型分词时，新词要靠 jieba 的词典与切分规则。\n\n"
                                         "## 定义\n\n一般认为，大语言模型指包含数百亿参数的语言模型。\n\n"
                                         "## LLM 的缺点\n\n大模型会编造事实，也难以处理过时的知识。\n"})
    assert placed["IR 定义"] == "retrieval"
    assert placed["HMM 的缺点"] == "tokenization"
    assert placed["定义"] == "definition"
    assert placed["LLM 的缺点"] == "characteristics"


def test_one_shared_word_does_not_take_a_section_away_from_its_notes_subject(tmp_path: Path) -> None:
    """A short section of a note about jieba whose only topic word is 流水线 stays with the
    note: one word of another node's vocabulary is no clear evidence."""
    placed = _place(tmp_path, {"jieba.md": "# jieba 分词\n\njieba 是一个中文分词工具，按词典把句子切成词。\n\n"
                                           "## 流水线\n\n先加载词典，再逐句处理。\n"})
    assert placed["流水线"] == "tokenization"


def test_a_heading_that_only_names_a_facet_stays_with_the_subject_it_follows(tmp_path: Path) -> None:
    """"模型架构" under Adapter Tuning is the adapter's architecture, "数据格式" in a note on DPO
    the format of DPO's data (taxonomy facet_words); in a note on LLMs in general the same
    heading names its node."""
    placed = _place(tmp_path / "method", {
        "peft.md": "# 参数高效微调\n\n只训练少量参数。\n\n## Adapter Tuning\n\n在层间插入小模块。\n\n"
                   "### 模型架构\n\n每个 Transformer 层的前馈网络之后插入两层全连接，先降维再升维，"
                   "中间加非线性激活与残差连接。\n",
        "dpo.md": "# DPO\n\nDPO 直接用偏好数据优化策略。\n\n## 数据格式\n\n每条数据有一个提示、"
                  "一个被选中的回答和一个被拒绝的回答，保存为 JSON。\n",
        "lora.md": "# LoRA 调参经验\n\n## LoRA 超参数\n\n低秩矩阵的秩 r 常取 8 到 64。\n\n### 学习率\n\n"
                   "通常比全量训练大一个量级，比如 1e-4，配合余弦衰减和少量预热。\n",
    })
    assert placed["模型架构"] == "adapter"
    assert placed["数据格式"] == "dpo"
    assert placed["学习率"] == "lora"
    general = _place(tmp_path / "general", {
        "llm.md": "# 大语言模型概览\n\n大语言模型在海量文本上训练。\n\n## 模型架构\n\n"
                  "主流模型都由多层 Transformer 解码器堆叠而成，每层有自注意力与前馈网络。\n"})
    assert general["模型架构"] == "architecture"


def test_a_heading_that_names_only_llms_over_what_they_are_is_their_definition(tmp_path: Path) -> None:
    """In a note of term entries, "大语言模型（Large Language Model，LLM）" over one line on what
    it is names no node (every page is about LLMs), yet the 定义 page is where a reader looks."""
    placed = _place(tmp_path, {"terms.md": "# 术语\n\n常见词条。\n\n## 模型\n\n"
                                          "### 大语言模型（Large Language Model，LLM）\n\n"
                                          "参数很多、读过海量文字的模型。\n\n"
                                          "### 过拟合（Overfitting）\n\n在训练集上很好，在新数据上变差。\n"})
    assert placed["大语言模型（Large Language Model，LLM）"] == "definition"
    assert placed["过拟合（Overfitting）"] == "neural-networks"
    # A note's title names what the whole note is about, not the definition.
    (tmp_path / "titled").mkdir()
    titled = _place(tmp_path / "titled", {"llm.md": "# 大型语言模型（LLM）\n\n"
                                                  "- LLM 从海量数据中学到了什么知识？又是如何存取这些知识的？\n"
                                                  "- 规模增大以后，模型记住的知识会更多吗？\n\n"
                                                  "## 知识的存取\n\n预训练把知识存进前馈层的参数里。\n"})
    assert titled["大型语言模型（LLM）"] != "definition"


def test_two_shared_words_are_a_mention_not_a_topic_that_takes_a_section_away(tmp_path: Path) -> None:
    """In a note on an attention kernel, a section that names two number formats in passing
    (FP16、BF16) is still about the kernel; one that keeps talking about precision (半精度, 溢出,
    损失缩放 …) goes to mixed precision although its text is only somewhat about it."""
    placed = _place(tmp_path, {
        "kernel.md": "# FlashAttention 的改进\n\nFlashAttention 把注意力的计算切成小块放在片上完成。\n\n"
                     "## 少做无用功\n\n显卡算 FP16 与 BF16 的乘法比别的操作快得多，所以新版尽量少做除法，"
                     "把每一块的结果留到最后统一缩放，省下大量时间。\n\n"
                     "## 数值稳定\n\n训练时用半精度存权重与梯度，容易溢出，要做损失缩放；"
                     "主权重保留一份 FP32，累加时也用单精度。\n",
    })
    assert placed["少做无用功"] == "attention"
    assert placed["数值稳定"] == "mixed-precision"


def test_textbook_nlp_task_names_are_in_the_taxonomy(tmp_path: Path) -> None:
    """A course's chapters on information retrieval and reading comprehension, and their
    sections by inheritance, go to 检索 and NLP 任务, not to the catch-all."""
    placed = _place(tmp_path, {"course.md": "# 课程第六讲\n\n本讲的内容。\n\n"
                                            "## 信息检索\n\n从大量文档中找出和查询相关的部分。\n\n"
                                            "### 传统做法\n\n按词频与逆文档频率给文档打分。\n\n"
                                            "### IR 评价指标\n\n看排在前面的结果里有多少是相关的。\n\n"
                                            "## 机器阅读理解\n\n读一段文章，回答关于它的问题。\n\n"
                                            "### 常见形式\n\n完形填空、多项选择和抽取式。\n\n"
                                            "## 开放式 QA\n\n不给文章，只给问题。\n\n"
                                            "### CuckooQA\n\n先在网上找资料，再写出答案。\n"})
    assert placed["信息检索"] == placed["传统做法"] == placed["IR 评价指标"] == "retrieval"
    assert placed["机器阅读理解"] == placed["常见形式"] == "nlp-tasks"
    assert placed["开放式 QA"] == placed["CuckooQA"] == "nlp-tasks"  # QA: question answering


def test_a_question_heading_is_placed_by_what_it_asks_about(tmp_path: Path) -> None:
    """Under a broad FAQ heading, a question that names a subject goes to that subject even
    when its short answer shares no vocabulary with it; the same name in a heading that asks
    nothing still needs the text's support."""
    placed = _place(tmp_path, {"faq.md": "# Transformer 面试题\n\nTransformer 面试中常被问到的问题。\n\n"
                                         "## 简单说说 BatchNorm 技术，它有哪些优缺点？\n\n"
                                         "它在一个批次内对每个特征做标准化，批次小时估计不稳。\n\n"
                                         "## BatchNorm 的实现\n\n对一个批次内的特征做标准化。\n"})
    assert placed["简单说说 BatchNorm 技术，它有哪些优缺点？"] == "normalization"
    assert placed["BatchNorm 的实现"] == "transformer"


def test_a_heading_without_text_names_its_childrens_subject_as_a_heading_over_text_does(tmp_path: Path) -> None:
    """A heading with nothing of its own passes on what it names most specifically, within the
    note's subject first: "用 DeepSpeed 加速 LoRA 微调" in a note on DeepSpeed is about DeepSpeed,
    not the broad 微调 its strongest word names; "LoRA 微调实践" is about LoRA, inside 微调."""
    body = ("### 用 DeepSpeed 加速 LoRA 微调\n\n#### 配置文件\n\n```json\n{\"train_batch_size\": 8}\n```\n\n"
            "#### 启动命令\n\n```bash\nrun train.py\n```\n")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    placed = _place(tmp_path / "a", {"ds.md": "# DeepSpeed 入门\n\nDeepSpeed 是一个训练加速库。\n\n" + body})
    assert placed["配置文件"] == placed["启动命令"] == "zero"
    placed = _place(tmp_path / "b", {"misc.md": "# 杂记\n\n一些零散的记录。\n\n"
                                                + body.replace("用 DeepSpeed 加速 LoRA 微调", "LoRA 微调实践")})
    assert placed["配置文件"] == placed["启动命令"] == "lora"


def test_a_heading_naming_a_model_the_text_says_was_released_goes_to_the_catalog(tmp_path: Path) -> None:
    """"Orca-2 系列" over "2023年7月，Meta 发布了 Orca-2，…" describes that model, even in a
    chapter on pretrained language models; a name the text does not say was released stays."""
    placed = _place(tmp_path, {"plm.md": "# 预训练语言模型\n\n预训练语言模型在大规模语料上训练。\n\n"
                                         "## Decoder-only PLM\n\n只用解码器的预训练语言模型。\n\n"
                                         "### Orca-2 系列\n\n- 2023年7月，Meta发布了Orca-2，包含7B和13B两个参数量，"
                                         "都已开源。\n- 语料扩充到了2T token。\n\n"
                                         "### Orca-3 系列\n\n- 语料扩充到了15T token。\n"})
    assert placed["Orca-2 系列"] == "models"
    assert placed["Orca-3 系列"] == placed["Decoder-only PLM"] != "models"


def test_a_part_about_something_else_is_not_narrowed_to_the_notes_main_topic(tmp_path: Path) -> None:
    """A chapter on new architectures that is mostly about MoE: sections that only inherited
    the chapter's subject go to MoE, unless the part of the chapter they are in is, by its own
    sections, about something else (a retriever)."""
    moe = "混合专家模型把前馈层换成多个专家，门控网络为每个词元选择少数专家，专家并行把专家放在不同的卡上。" * 3
    placed = _place(tmp_path, {"ch4.md": "# 第4章 新的模型架构\n\n本章介绍两类新的模型架构。\n\n"
                                         "## 4.1 混合专家模型\n\n" + moe + "\n\n### 4.1.1 门控\n\n" + moe + "\n\n"
                                         "### 4.1.2 负载均衡\n\n" + moe + "\n\n"
                                         "## 4.2 另一类模型\n\n这一类模型在生成时查阅外部的文档。\n\n"
                                         "### 4.2.1 检索器\n\n检索器用向量检索从文档库中召回相关的文档，"
                                         "再按相关性重排。\n\n"
                                         "### 4.2.2 讨论\n\n这类模型的效果取决于文档库的质量。\n"})
    assert placed["门控"] == placed["负载均衡"] == "mixture-of-experts"
    assert placed["检索器"] == "retrieval"
    assert placed["另一类模型"] != "mixture-of-experts" and placed["讨论"] != "mixture-of-experts"


def test_a_bracketed_chinese_gloss_names_the_heading_subject(real_kb) -> None:
    """"第一阶段：自我学习，累积实力（预训练）": the gloss counts as an English name does; a
    bracket that is no alias ("（上）", "（个人看法）") is no evidence."""
    from llmkb.classify import Classifier
    from llmkb.taxonomy import load_taxonomy

    clf = Classifier(load_taxonomy(), real_kb.segmenter)
    found = {m.node for m in clf.headings.matches("第一阶段：自我学习，累积实力（预训练）")}
    assert "pretraining" in found
    assert clf.headings.matches("第一阶段：自我学习，累积实力（上）") == []
    assert clf.headings.matches("心得（个人看法）") == []
    # a gloss in a later sentence of a question heading is an aside
    question = "Temperature 参数的原理是什么？为什么调高它，模型就更有创造力（胡说八道）？"
    asked = {m.node for m in clf.headings.matches(question)}
    assert asked == {"decoding"}, asked


def test_words_that_only_say_what_kind_of_text_follows_name_no_topic(real_kb) -> None:
    """"X 的影响", "X 的原因" are about X: 影响 is no evidence for 应用与影响."""
    from llmkb.classify import Classifier
    from llmkb.taxonomy import load_taxonomy

    clf = Classifier(load_taxonomy(), real_kb.segmenter)
    assert clf.headings.matches("参数数量和训练轮数在重复训练上的影响") == []
    assert "applications" not in {m.node for m in clf.headings.matches("正则化可以降低多轮训练的影响吗")}
    found = clf.headings.matches("幻觉的原因")
    assert [m.node for m in found] == ["hallucination"]
    assert [m.node for m in clf.headings.matches("大模型的应用与影响")][:1] == ["applications"]


def test_pretraining_is_no_model_introduction() -> None:
    from llmkb.classify import _MODEL_INTRO

    assert _MODEL_INTRO.search("Mistral 7B 是法国初创公司 Mistral AI 在 2023 年 9 月发布的开源大语言模型")
    assert _MODEL_INTRO.search("Alpaca 是斯坦福用 5.2 万条指令训练的模型")
    assert not _MODEL_INTRO.search("传统 PLM 时代解决 NLP 下游任务的一般范式是预训练-微调：选一个合适的预训练模型")


def test_every_section_with_content_has_a_home_and_a_reason(real_kb, real_reporter) -> None:
    reporter = real_reporter
    assert not reporter.by_code("unplaced-section")
    assert all(p.reason for p in real_kb.placements)
    placed = {id(p.unit.section) for p in real_kb.placements}
    for doc in real_kb.docs:
        for section in doc.root.walk():
            if section.blocks:
                assert id(section) in placed, (doc.path, section.title)


def test_same_subject_from_several_notes_is_one_entry(real_kb) -> None:
    contents = {c.node.id: c for c in real_kb.contents}
    emergent = contents["emergent-abilities"]
    assert not emergent.entries  # every note's 涌现能力 section is the node's own text
    assert {Path(p.unit.note).name[:3] for p in emergent.intro.placements} == {"000", "002", "004"}
    assert contents["in-context-learning"].intro.title == "上下文学习（In-Context Learning，ICL）"
    models = contents["models"]
    gpt4 = [e for e in models.entries if e.title == "GPT-4"]
    assert len(gpt4) == 1


def test_a_section_that_fits_no_topic_is_a_warning_not_a_drop(tmp_path: Path) -> None:
    from llmkb.pipeline import build_kb

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "cook.md").write_text("# 红烧肉做法\n\n五花肉切块，焯水后加冰糖炒色，再加酱油和八角炖一小时。\n",
                                   encoding="utf-8")
    reporter = Reporter()
    kb = build_kb(Settings(notes_dir=notes, project_root=tmp_path), reporter)
    assert [d.code for d in reporter.items] == ["unplaced-section"]
    assert reporter.items[0].file == "notes/cook.md" and reporter.items[0].line == 1
    other = next(c for c in kb.contents if c.node.id == "other")
    assert any("五花肉" in b.text for e in other.all_entries() for b in e.blocks)


@pytest.mark.parametrize(("second", "node"), [
    ("## 复读\n\n温度太低时模型会一遍遍重复同一句话，停不下来。\n", "characteristics"),
    ("## 涌现能力\n\n模型规模超过某个阈值后，一些能力会突然出现，小模型上几乎看不到。\n\n"
     "## 预训练\n\n先在海量无标注文本上做下一个词预测，学到语言和世界知识。\n", None),
])
def test_a_section_that_fits_no_topic_follows_its_notes_main_topic(tmp_path: Path, second: str,
                                                                   node: str | None) -> None:
    """"背景" alone says nothing; in a note whose other sections are about 特点 (幻觉, 复读) it is
    too. When no node holds more than half of the note's placed text, it stays on 其他 with a
    warning."""
    from llmkb.pipeline import build_kb

    notes = tmp_path / "notes"
    notes.mkdir()
    text = ("# 读书笔记\n\n## 背景\n\n最近读了几篇文章，记下来以后翻。\n\n"
            "## 幻觉\n\n模型会一本正经地编造不存在的论文和链接，回答看起来很可信。\n\n" + second)
    (notes / "n.md").write_text(text, encoding="utf-8")
    reporter = Reporter()
    kb = build_kb(Settings(notes_dir=notes, project_root=tmp_path), reporter)
    [background] = [p for p in kb.placements if p.unit.title == "背景"]
    if node:
        assert kb.taxonomy.is_within(background.node, node) and "main topic" in background.reason
        assert not reporter.by_code("unplaced-section")
    else:
        assert background.node == "other"
        assert [d.line for d in reporter.by_code("unplaced-section")] == [3]


# --- independent sentence view of the generated pages -----------------------------------------

_CITE = re.compile(r"\s*\[\\\[\d+\\\]\]\([^)]*\)\{\.cite\}")


def _page_text(markdown: str) -> str:
    body = markdown.split("\n---\n", 1)[1] if markdown.startswith("---") else markdown
    body = _CITE.sub("", body)
    lines = [line for line in body.split("\n") if not line.startswith(("#", "|", "!!!", "```"))]
    return "\n".join(lines)


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[\W_]+", "", text).lower()


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。！？!?；])|\n", text) if len(_norm(s)) >= 8]


@pytest.fixture(scope="module")
def topic_sentences(real_kb, real_files) -> list[tuple[str, str]]:
    pages = {p.path for p in real_kb.layout.pages}
    out = []
    for name in sorted(pages & real_files.keys()):
        for s in _sentences(_page_text(real_files[name])):
            out.append((name, _norm(s)))
    return out


def test_no_two_sentences_on_topic_pages_are_near_duplicates(topic_sentences) -> None:
    keys = [k for _page, k in topic_sentences]
    assert len(keys) > 200
    exact = [k for k in set(keys) if keys.count(k) > 1]
    assert not exact
    near = [(a, b) for a, b in itertools.combinations(keys, 2) if fuzz.ratio(a, b) >= 90]
    assert not near, near[:3]


def test_nothing_a_note_says_is_lost(topic_sentences, real_kb) -> None:
    """Every sentence of every note is on a topic page, verbatim or as a fuller variant."""
    docs = real_kb.docs  # as the notes read before dedup
    page_keys = [k for _p, k in topic_sentences]
    page_blob = "\n".join(page_keys)
    lost = []
    total = verbatim = 0
    for doc in docs:
        for section in doc.root.walk():
            for block in section.blocks:
                if block.kind in (BlockKind.CODE, BlockKind.TABLE):
                    continue
                for s in _sentences(block.text):
                    total += 1
                    key = _norm(s)
                    if key in page_blob:
                        verbatim += 1
                    elif max(fuzz.partial_ratio(key, k) for k in page_keys) < 85 \
                            and max(_bigram_containment(key, k) for k in page_keys) < 0.8:
                        lost.append((doc.path, block.span.start, s))
    assert total > 300
    assert not lost, lost[:5]
    assert verbatim / total > 0.9


def _bigram_containment(sentence: str, other: str) -> float:
    """Share of the sentence's character bigrams found in another sentence (its information)."""
    grams = {sentence[i : i + 2] for i in range(len(sentence) - 1)}
    return len(grams & {other[i : i + 2] for i in range(len(other) - 1)}) / max(1, len(grams))


def test_junk_appears_nowhere(real_files) -> None:
    junk = ["本文来自互联网用户投稿", "如若转载", "809451989@qq.com", "相关文章", "STM32",
            "ToDesk", "WordPress", "Debezium", "matplotlib", "pswp.cn/bicheng/86968.shtml\n\n如若"]
    for name, content in real_files.items():
        # The coverage page describes the rules that remove junk ("文末“相关文章”…"); it holds
        # no text of the notes.
        if name.endswith(".md") and isinstance(content, str) and name != "coverage.md":
            for word in junk:
                assert word not in content, (name, word)


def test_no_page_reprints_a_raw_note(real_files) -> None:
    """Pages are topics, not notes: each note's text is spread over the topics it covers."""
    records = json.loads(real_files["provenance.json"])["blocks"]
    for note in sorted(NOTES.iterdir()):
        pages = {r["page"] for r in records if r["file"] == f"notes/{note.name}"
                 and r["status"] == "kept" and r["page"] != "sources.md"}
        assert len(pages) >= 2, (note.name, pages)
        assert not any(Path(name).stem in note.stem for name in real_files)


# --- provenance ---------------------------------------------------------------------------------


def _anchors(markdown: str) -> set[str]:
    return set(re.findall(r"\{#([^}\s]+)\}", markdown))


def test_provenance_accounts_for_every_nonblank_line(real_files) -> None:
    records = json.loads(real_files["provenance.json"])["blocks"]
    for note in sorted(NOTES.iterdir()):
        rel = f"notes/{note.name}"
        lines = note.read_text(encoding="utf-8").split("\n")
        covered: dict[int, str] = {}
        for r in records:
            if r["file"] == rel:
                for line in range(r["start"], r["end"] + 1):
                    assert line not in covered, (rel, line)
                    covered[line] = r["status"]
        nonblank = {i + 1 for i, line in enumerate(lines) if line.strip()}
        assert nonblank <= covered.keys(), (rel, sorted(nonblank - covered.keys())[:5])
    statuses = {r["status"] for r in records}
    assert statuses == {"kept", "merged", "removed", "empty"}
    assert not [r for r in records if r.get("rule") == "unaccounted"]


def test_provenance_pages_and_anchors_exist(real_files) -> None:
    records = json.loads(real_files["provenance.json"])["blocks"]
    for r in records:
        if r["status"] in ("kept", "merged"):
            page = real_files.get(r["page"])
            assert isinstance(page, str), r
            assert r["anchor"] in _anchors(page), r
        elif r["status"] == "removed":
            assert r["rule"]


def test_the_repost_footer_is_removed_by_name(real_files) -> None:
    records = json.loads(real_files["provenance.json"])["blocks"]
    rules = {(r["start"], r["end"], r.get("rule")) for r in records
             if r["file"].endswith("004_8f5de8f61926b290.txt") and r["status"] == "removed"}
    assert (54, 59, "repost-disclaimer") in rules
    assert (61, 141, "related-articles-trailer") in rules


def test_sources_page_never_republishes_removed_text(real_files) -> None:
    sources = real_files["sources.md"]
    assert "相关文章" not in sources and "本站立场" not in sources
    assert "`related-articles-trailer`：第 61–141 行" in sources
    assert "https://zhuanlan.zhihu.com/p/597586623" in sources


# --- determinism and staleness -------------------------------------------------------------------


def test_docs_are_in_sync_with_notes(real_files) -> None:
    """Fails when docs/ is stale: run `make docs` (llmkb build) and commit."""
    docs = ROOT / "docs"
    manifest = json.loads((docs / MANIFEST).read_text(encoding="utf-8"))
    assert sorted(manifest) == sorted(real_files), "set of generated files changed"
    for name, content in real_files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        assert (docs / name).read_bytes() == data, f"docs/{name} is stale"


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    outputs = []
    for run in ("a", "b"):
        out = tmp_path / run
        subprocess.run([sys.executable, "-m", "llmkb.cli", "build", "--notes", str(NOTES),
                        "--docs", str(out)], check=True, capture_output=True, timeout=300, cwd=ROOT)
        outputs.append({p.relative_to(out).as_posix(): p.read_bytes()
                        for p in sorted(out.rglob("*")) if p.is_file()})
    assert outputs[0].keys() == outputs[1].keys()
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("title", ["课程架构", "阅读建议", "写作背景", "贡献", "Contributing", "Star History",
                                   "License", "写在最后", "联系我们", "协议", "引用", "参考", "参考资料", "参考文献",
                                   "References", "读后感"])
def test_headings_about_the_notes_or_their_repository_carry_no_topic(title: str, real_kb) -> None:
    """A course's or a repository's own parts (课程架构, Contributing, Star History) are about the
    notes themselves; "许可证与开源协议" in a note on model licenses is not."""
    from llmkb.classify import Classifier
    from llmkb.taxonomy import load_taxonomy

    clf = Classifier(load_taxonomy(), real_kb.segmenter)
    assert clf.headings.is_meta(title)
    assert not clf.headings.is_meta("大模型的开源协议")
    assert not clf.headings.is_meta("前言"), "an article's opening is about its subject"


@pytest.mark.parametrize(("text", "node"), [
    ("ALiBi 给注意力分数加上随距离线性增长的偏置。", "position-encoding"),
    ("今天的会开得很顺利。", "other"),
])
def test_a_section_nothing_else_places_goes_where_its_text_names_one_subject(tmp_path: Path, text: str,
                                                                              node: str) -> None:
    from llmkb.pipeline import build_kb

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "n.md").write_text(f"# 杂记\n\n{text}\n", encoding="utf-8")
    kb = build_kb(Settings(notes_dir=notes, project_root=tmp_path), Reporter())
    assert [p.node for p in kb.placements] == [node]


def test_english_names_in_a_text_are_whole_words(real_kb) -> None:
    """What _named_in_text reads: aliases of three letters or more as whole words (ICL is not
    in ICLR); a text naming two subjects names no single one."""
    from llmkb.classify import HeadingMatcher
    from llmkb.taxonomy import load_taxonomy

    matcher = HeadingMatcher(load_taxonomy())
    assert matcher.latin_names_in("ALiBi 给注意力分数加偏置。") == {"position-encoding"}
    assert matcher.latin_names_in("发表在 ICLR 上的论文。") == set()
    assert len(matcher.latin_names_in("今天试了 LoRA 和 ALiBi。")) == 2


def test_shapes_of_notes_outside_the_development_set(tmp_path: Path) -> None:
    """"Zero-Shot" is the word zero, not ZeRO; a title that names a means and a subject
    ("通过强化学习进行偏好对齐") is about the subject, and "使用 X 实现 Y" about Y; the
    reinforcement learning of reasoning models (GRPO, DAPO), retrieval metrics (Recall@K, MRR)
    and serving (并发, TTFT) have their nodes; "RLHF / DPO / PPO 对比" is about 对齐."""
    placed = _place(tmp_path, {
        "shots.md": "# 提示的几种方式\n\n几种给模型示例的做法。\n\n"
                    "## 什么是 Zero-Shot、One-Shot、Few-Shot\n\n不给示例、给一个示例、给几个示例。\n\n"
                    "## Zero-Knowledge 的比喻\n\n证明者不透露答案本身，也能让人相信他知道答案。\n",
        "align.md": "# 通过强化学习进行偏好对齐\n\n让模型的回答更符合人的偏好。\n\n"
                    "## 数据集构建\n\n每条数据是一个问题和两个回答，标出更好的一个。\n",
        "train.md": "# 训练笔记\n\n记录训练过程。\n\n"
                    "## 使用 DeepSpeed 实现分布式训练\n\n把优化器状态切到多张卡上。\n",
        "rl.md": "# 后训练笔记\n\n训练推理模型的几种算法。\n\n"
                 "## GRPO 基本对象\n\n对同一问题采样一组回答，用组内平均奖励作基线。\n\n"
                 "## DAPO 的改进\n\n去掉 KL 项，动态采样。\n",
        "cot.md": "# 思维链提示\n\n让模型先写推理步骤。\n\n## Chain-of-Thought（CoT）\n\n一步步推理。\n\n"
                  "## System Prompt 设计\n\n先写清角色和边界。\n\n## Prompt 注入攻击与防御\n\n用户输入里藏着指令。\n",
        "compare.md": "# RLHF / DPO / PPO 对比\n\n三种对齐做法。\n\n## 面试高频考点\n\n常被问到的几点。\n\n"
                      "## PPO 在 RLHF 中做什么\n\n它用奖励更新策略，同时限制新旧策略的差距。\n\n"
                      "## DPO vs RLHF\n\n一个直接用偏好对训练，一个先训练奖励模型。\n",
        "frameworks.md": "# 大模型推理框架\n\n几种推理框架。\n\n## KiteServe\n\n### 简介\n\n"
                         "KiteServe 是一个开源编译器和分布式系统，用于低延迟、高性能 LLM 服务。\n",
        "serving.md": "# 并发\n\n线上服务同时处理很多请求。\n\n## 重要指标\n\n衡量服务好坏的数字。\n\n"
                      "### TTFT（Time to First Token）\n\n从发出请求到看到第一个字的时间。\n",
        "rag-eval.md": "# RAG 面试题\n\n检索增强的面试问题。\n\n"
                       "## Precision@K、Recall@K 和 MRR 分别衡量什么？\n\n"
                       "前 K 个结果里相关的比例，以及第一个相关结果的名次。\n"})
    assert placed["什么是 Zero-Shot、One-Shot、Few-Shot"] == "prompting"
    assert placed["Zero-Knowledge 的比喻"] != "zero"
    assert placed["通过强化学习进行偏好对齐"] == placed["数据集构建"] == "alignment"
    assert placed["使用 DeepSpeed 实现分布式训练"] == "distributed-training"
    assert placed["GRPO 基本对象"] == placed["DAPO 的改进"] == "rlvr"
    assert placed["Precision@K、Recall@K 和 MRR 分别衡量什么？"] == "retrieval"
    assert placed["并发"] == placed["重要指标"] == placed["TTFT（Time to First Token）"] == "inference"
    assert placed["System Prompt 设计"] == "prompting" and placed["Prompt 注入攻击与防御"] == "attacks"
    # a note comparing three subjects is about what they share; one named inside another is not
    assert placed["面试高频考点"] == placed["DPO vs RLHF"] == "alignment"
    assert placed["PPO 在 RLHF 中做什么"] in ("ppo", "rlhf")
    # "X 是一个开源编译器和分布式系统，用于…LLM 服务" introduces no model
    assert placed["简介"] != "models"


def test_a_title_ending_in_a_word_for_a_part_of_a_book_is_about_its_last_name(tmp_path: Path) -> None:
    """"RLHF 平替算法 DPO 篇": 篇 only says it is one part of a series; the title's head is DPO,
    and the note's sections about DPO's loss stay with DPO."""
    placed = _place(tmp_path, {
        "dpo.md": "# RLHF 平替算法 DPO 篇\n\n## 介绍一下 DPO 的损失函数？\n\n它把奖励写成策略与参考策略的对数比。\n\n"
                  "## DPO 训练流程\n\n先做监督微调，再用偏好对训练。\n",
    })
    assert placed["介绍一下 DPO 的损失函数？"] == "dpo", placed


def test_a_title_that_names_a_range_is_about_what_the_range_spans(tmp_path: Path) -> None:
    """"部署提速笔记：从 KV Cache 到投机解码" names two parts of inference as the two ends of what it
    covers: the note is about inference (their common node), not about the last one named;
    "应用到 RAG" puts nothing side by side."""
    placed = _place(tmp_path, {
        "blog.md": "# 部署提速笔记：从 KV Cache 到投机解码\n\n## 为什么生成这么慢\n\n每生成一个词都要把全部权重"
                   "读一遍，显存带宽成了瓶颈。\n\n## 踩过的坑\n\n批量一大，延迟就上去了，要在吞吐和延迟之间取舍。\n",
    })
    assert placed["为什么生成这么慢"] == placed["踩过的坑"] == "inference", placed
    from llmkb.classify import _joined_near
    assert not _joined_near("把 lora 应用到 rag 里", "lora", "rag")


def test_a_name_in_an_aside_does_not_place_a_section(tmp_path: Path) -> None:
    """"特征值（以后读 LoRA 的论文时会用到）": a name in a bracketed aside is not what the section is
    about; a name glossing what the text says ("给注意力分数加上线性偏置（ALiBi）") is."""
    placed = _place(tmp_path, {
        "road.md": "# 入门路线\n\n## 阶段一：数学准备\n\n目标：读得懂公式，知道参数是怎么更新的。\n\n要学的：\n\n"
                   "- 线性代数：向量、矩阵乘法、特征值（以后读 LoRA 的论文时会用到）；\n"
                   "- 概率统计：条件概率、最大似然；\n- 微积分：偏导数、链式法则；\n"
                   "- 机器学习常识：训练集与测试集、正则化。\n\n## 阶段二：一个技巧\n\n"
                   "有的模型不加位置向量，而是直接给注意力分数加上与距离成正比的线性偏置（ALiBi）。\n",
    })
    assert placed["数学准备"] != "lora", placed
    assert placed["一个技巧"] == "position-encoding", placed


def test_a_note_on_running_models_with_the_transformers_library_is_about_deployment(tmp_path: Path) -> None:
    """"Hugging Face Transformers 入门" is about loading and running a model (部署与本地运行), not the
    Transformer architecture; its setup section follows it."""
    placed = _place(tmp_path, {
        "hf.md": "# Hugging Face Transformers 入门\n\n## 准备环境\n\n先建一个虚拟环境，再装好依赖，"
                 "最后确认显卡能被识别。\n\n```bash\npip install transformers accelerate\n```\n",
    })
    assert placed["准备环境"] == "deployment", placed


def test_a_heading_outweighs_a_subject_its_parent_took_from_its_text(tmp_path: Path) -> None:
    """"自主模型篇" names no node and goes where its text leans; "ChatYuan（元语AI）是由…开发和发布的，
    自称…对话大模型" under it introduces a model: the section's own heading wins."""
    placed = _place(tmp_path, {
        "list.md": "# 寻找那些平替们\n\n## 一、自主模型篇\n\n该类方法主要采用非 LLaMA 等微调方式，自主设计或者优化 "
                   "GPT、T5 模型，并实现从预训练、监督微调、强化学习等全周期过程。\n\n### ChatYuan\n\n"
                   "ChatYuan（元语AI）是由元语智能开发团队开发和发布的，自称第一个功能型对话大模型。\n",
    })
    assert placed["ChatYuan"] == "models", placed


def test_memory_optimisation_is_the_memory_page_not_zero(real_kb) -> None:
    """显存优化 is what the page 显存占用与优化 is about; ZeRO is one way of doing it."""
    from llmkb.classify import Classifier
    from llmkb.taxonomy import load_taxonomy

    clf = Classifier(load_taxonomy(), real_kb.segmenter)
    best = clf.headings.matches("轻量化微调技术原理与显存优化")[0]
    assert best.node == "gpu-memory", best
    # a kind of parallel training the notes name: the optimizer's states split (ZeRO)
    assert clf.headings.matches("优化器并行")[0].node == "zero"


def test_the_sections_under_a_heading_that_asks_why_are_its_reasons(tmp_path: Path) -> None:
    """Under "Decoder-Only 为什么赢了", "1. 训练效率：Next Token Prediction 的暴力美学" and "推理效率：KV
    Cache 的天然适配" are reasons why Decoder-only wins: they stay with it; a heading that is
    another subject's name itself ("KV Cache") would leave."""
    placed = _place(tmp_path, {
        "why.md": "# 架构笔记\n\n## Decoder-Only 为什么赢了\n\n"
                  "### 1. 训练效率：Next Token Prediction 的暴力美学\n\n每个位置都在预测下一个词，训练信号最密。\n\n"
                  "### 2. 推理效率：KV Cache 的天然适配\n\n单向注意力让历史的键值可以缓存下来复用。\n\n"
                  "### KV Cache\n\n推理时把算过的键和值存起来，下一步直接用。\n",
    })
    assert placed["训练效率：Next Token Prediction 的暴力美学"] == "architecture-types", placed
    assert placed["推理效率：KV Cache 的天然适配"] == "architecture-types", placed
    assert placed["KV Cache"] == "kv-cache", placed


def test_a_heading_that_names_a_period_is_an_era_of_its_subject(tmp_path: Path) -> None:
    """In a history, "超大规模与 Few-shot 能力（2020–2023）" is an era named by what marked it: it
    stays in the history; "神经语言模型的兴起（2003–2013）" names a part of the history and goes
    there; without the years, "Few-shot 提示" is about prompting."""
    placed = _place(tmp_path, {
        "history.md": "# 大模型发展历程\n\n## 神经语言模型的兴起（2003–2013）\n\n"
                      "神经网络开始用来估计下一个词的概率。\n\n## 超大规模与 Few-shot 能力（2020–2023）\n\n"
                      "GPT-3 把参数推到 1750 亿，只给几个示例就能做新任务。\n\n"
                      "## Few-shot 提示\n\n在提示里放几个示例，模型照着格式回答。\n",
    })
    assert placed["超大规模与 Few-shot 能力（2020–2023）"] == "history", placed
    assert placed["神经语言模型的兴起（2003–2013）"] == "neural-language-model", placed
    assert placed["Few-shot 提示"] != "history", placed


def test_a_word_glossed_with_english_the_node_does_not_know_is_a_homonym(real_kb) -> None:
    """"分块（Tiling）" in a note on FlashAttention is the kernel's tiling, not the retrieval
    page's 分块 (Chunking); a gloss sharing a word with the node's English names is the same
    thing said another way (自回归语言模型（AutoRegressive LM）, 投机解码（Speculative Sampling））."""
    from llmkb.classify import Classifier
    from llmkb.taxonomy import load_taxonomy

    clf = Classifier(load_taxonomy(), real_kb.segmenter)
    nodes = lambda title: [c.node for c in clf.headings.matches(title)]  # noqa: E731
    assert "retrieval" not in nodes("解决方案 1：分块（Tiling）")
    assert nodes("文档分块（Chunking）")[0] == "retrieval"
    assert nodes("自回归语言模型（AutoRegressive LM）")[0] == "language-models"
    assert nodes("投机解码（Speculative Sampling）")[0] == "decoding"
    # A textbook word glossed with its usual English (an entry of an AI glossary) is that word.
    assert nodes("过拟合（Overfitting）")[:1] == ["neural-networks"]
    assert nodes("梯度消失（Vanishing Gradient）")[:1] == ["neural-networks"]
    # A name of four characters or more is specific enough that any English gloss translates it.
    assert nodes("向量数据库（Vector Database）")[:1] == ["retrieval"]
    assert nodes("损失函数（Loss Function）")[:1] == ["pretraining-objectives"]


def test_benchmarks_under_a_heading_of_evaluation_benchmarks_are_evaluation(tmp_path: Path) -> None:
    """"## 评估基准" says 评测基准 in other words: the benchmarks listed under it (by name only,
    under a heading of what they test) are about evaluation."""
    placed = _place(tmp_path, {
        "bench.md": "# 数据集与基准\n\n## 评估基准\n\n### 语言理解与知识\n\n#### 甲测\n\n覆盖 57 个学科的选择题。\n\n"
                    "#### 乙测\n\n判断模型的回答是否真实可信。\n\n"
                    "### 中文评估基准\n\n#### 丙测\n\n覆盖 52 个学科的中文选择题。\n",
    })
    assert placed["甲测"] == placed["乙测"] == placed["丙测"] == "evaluation", placed


def test_a_note_titled_by_a_model_it_introduces_after_a_label_is_about_that_model(tmp_path: Path) -> None:
    """"Heron3 经典解析" opens with "**一句话理解**：Heron3 是鹭科技最强开源模型系列…": the label is
    the note's own, the sentence after it introduces the model, so sections that name no topic
    of their own ("关键步骤", "核心参考") stay with the model in the catalog."""
    placed = _place(tmp_path, {"heron3.md": (
        "# Heron3 经典解析\n\n> [!TIP]\n> **一句话通俗理解**：同一个模型里动态切换深想与快答，兼顾速度与能力\n\n"
        "> **一句话理解**：Heron3 是鹭科技最强开源模型系列，首创“快慢模式”——在同一模型内动态切换“快思”"
        "（直接回答）与“慢思”（深度推理），兼顾效率与能力。\n\n---\n\n"
        "## 演进路线\n\n```text\nHeron → Heron2 → Heron3\n```\n\n---\n\n"
        "## 核心技术一：快慢切换\n\n**核心问题**：只会深想的模型费时，只会快答的模型想不深。\n\n"
        "**Heron3 的方案**：用一个开关决定想多久。\n\n"
        "## 关键步骤\n\n先判断问题难度，再决定想多久，最后给出回答。\n\n"
        "## 核心参考\n\n- 技术报告第三节。\n")})
    assert placed["关键步骤"] == placed["核心参考"] == "models", placed


def test_a_note_titled_by_a_model_s_name_is_about_that_model(tmp_path: Path) -> None:
    """A report titled by a model's versioned name ("The Heron 3 Herd of Models", or a paper title
    "Heron-R1: Incentivizing Reasoning via Reinforcement Learning") is about that model, whatever
    its subtitle names: its summary and limitations go to the catalog; sections that name a
    topic of their own go there."""
    placed = _place(tmp_path, {
        "herd.md": ("# The Heron 3 Herd of Models\n\n"
                    "## TL;DR\n\n- 这篇报告讲一个开源模型族怎样做到旗舰水平，最值得先读第三、四节。\n\n"
                    "## 局限与疑问\n\n- 报告没有公开完整的数据配比。\n\n"
                    "## 位置编码\n\n把旋转位置编码的基频调大，支持更长的上下文。\n"),
        "r1.md": ("# Heron-R1: Incentivizing Reasoning Capability via Reinforcement Learning\n\n"
                  "## 这篇报告解决什么问题\n\n- 不靠大量人工标注，能不能让模型学会长推理。\n"),
        "task.md": "# Task 7：LLM\n\n## 学习目标\n\n- 了解大模型的基本用法和提示词的写法。\n"})
    assert placed["TL;DR"] == placed["局限与疑问"] == placed["这篇报告解决什么问题"] == "models", placed
    assert placed["位置编码"] == "position-encoding" and placed["学习目标"] != "models", placed


@pytest.mark.parametrize(("title", "name"), [
    ("The Heron 3 Herd of Models", "Heron 3"),
    ("GLM-4", "GLM-4"),
    ("qwen3技术报告", "qwen3"),
    ("Heron-2 Technical Report", "Heron-2"),
    ("Heron-R1: Incentivizing Reasoning Capability in LLMs", "Heron-R1"),
    ("【论文精读】Heron-2: Open Foundation Models", "Heron-2"),  # a tag says what kind of note it is
    ("[Paper] Heron-2 技术报告", "Heron-2"),
    ("Task 7：LLM", ""),  # a course's numbering
    ("Phase 0：Attention 的计算模型", ""),
    ("Lecture 6", ""),
    ("Step1", ""),  # numbered without a space, as often
    ("GPT-3 的少样本能力", ""),  # a note about an ability, named by the model that showed it
    ("Transformer 模型", ""),  # no version: a name the title shares with an architecture
])
def test_the_model_a_title_is_the_name_of(title: str, name: str) -> None:
    from llmkb.names import titled_model
    assert titled_model(title) == name


@pytest.mark.parametrize(("item", "name"), [
    ("**Heron-3 Technical Report**. [[paper](https://example.org/1)]", "Heron-3"),
    ("**Kestrel 2: Open Bilingual Language Models**", "Kestrel 2"),
    ("**Step2**：先用 Kestrel 打分，再挑出分数最高的回答。", ""),  # a step, numbered
    ("Heron-3 Technical Report", ""),  # not in bold: no title
])
def test_the_model_a_list_item_is_a_report_on(item: str, name: str) -> None:
    from llmkb.names import reported_model
    assert reported_model(item) == name


def test_a_file_path_names_its_folders_before_the_note_s_own_subject(tmp_path: Path) -> None:
    """A note with no title heading, saved as "transformer_Sinusoidal位置编码推导.md" (its folder, then
    its name, flattened): the note is about 位置编码, the last subject its path names, not about
    the folder's Transformer; its "远程衰减" section stays with it."""
    placed = _place(tmp_path, {"transformer_Sinusoidal位置编码推导.md": (
        "## 简介\n\n本文推导正弦形式的编码为何能表示相对距离。\n\n"
        "### 远程衰减\n\n两个位置离得越远，它们编码的内积越小，这一性质叫远程衰减。\n")})
    assert placed["远程衰减"] == "position-encoding", placed


def test_what_a_heading_says_something_acts_on_is_not_its_subject(tmp_path: Path) -> None:
    """"专家的数量对预训练有何影响？" in a note about MoE asks about experts: 预训练 is what they act
    on, so the section stays with MoE; "思维链提示对推动语言模型推理研究有哪些启发和影响" is about
    思维链提示 (the actor), not 语言模型."""
    placed = _place(tmp_path, {
        "moe.md": "# 混合专家模型（MoE）\n\n## 专家的数量对预训练有何影响？\n\n专家越多，样本效率越高，但收益递减。\n",
        "cot.md": "# 提示方法笔记\n\n## 思维链提示对推动语言模型推理研究有哪些启发和影响？\n\n"
                  "它让研究者开始关注中间步骤。\n",
    })
    assert placed["专家的数量对预训练有何影响？"] == "mixture-of-experts", placed
    assert placed["思维链提示对推动语言模型推理研究有哪些启发和影响？"] == "chain-of-thought", placed


def test_a_heading_of_several_questions_is_about_what_its_first_one_asks(tmp_path: Path) -> None:
    """"做 DPO 的时候，chosen 和 rejected 的 prompt 为什么必须一致？如果两边给了不同的 system prompt
    会怎样？" asks about DPO first; the system prompt comes up only in the follow-up. A statement
    before a single question ("在 Agent 执行工具调用阶段…。你有哪些办法提升工具调用的稳定性？")
    only sets the scene: the question's own subject counts."""
    dpo = "做 DPO 的时候，chosen 和 rejected 的 prompt 为什么必须一致？如果两边给了不同的 system prompt 会怎样？"
    tools = "在 Agent 执行工具调用阶段，生成的参数常常格式错误。你有哪些办法提升工具调用的稳定性？"
    placed = _place(tmp_path, {
        "qa.md": f"# 面试问答\n\n## {dpo}\n\n两边只差回答，偏好信号才干净。\n\n## {tools}\n\n先校验参数，再重试。\n",
    })
    assert placed[dpo] == "dpo", placed
    assert placed[tools] == "tool-use", placed


def test_names_joined_by_a_plus_read_as_the_name_joined_by_a_hyphen(tmp_path: Path) -> None:
    """"预训练 + 微调" is the two-stage paradigm the taxonomy names 预训练-微调, not 微调 alone."""
    placed = _place(tmp_path, {
        "paradigm.md": "# 大模型背后的范式\n\n## 预训练 + 微调（Pretrain → Finetune）\n\n"
                       "先在大量无标签数据上训练，再用少量有标签数据适配下游任务。\n",
    })
    assert placed["预训练 + 微调（Pretrain → Finetune）"] == "pretrain-finetune", placed


def test_a_broad_word_at_the_end_of_a_heading_gives_way_to_the_subject_it_follows(tmp_path: Path) -> None:
    """"现代对齐范式" is about alignment: 范式 (a paradigm of something) is a broad word of the
    paradigm-shift topic, which "范式转换" names outright."""
    placed = _place(tmp_path, {
        "align.md": "# 研究笔记\n\n## 现代对齐范式（The Evolution）\n\n从 RLHF 到 DPO，偏好对齐越来越简单。\n\n"
                    "## 范式转换\n\n预训练模型改变了 NLP 的研究方式。\n",
    })
    assert placed["现代对齐范式（The Evolution）"] == "alignment", placed
    assert placed["范式转换"] == "paradigm", placed



def test_a_section_nothing_places_follows_the_broad_word_of_its_note_s_title(tmp_path: Path) -> None:
    """"评估与测试" names evaluation only with a broad word (评估), too weak to make it the note's
    subject, and its sections spread over several topics; "真实性" and "有效性" name no topic and
    their text leans nowhere, so they follow the title to evaluation rather than 其他."""
    placed = _place(tmp_path, {"eval.md": (
        "# 评估与测试\n\n"
        "## 指令遵循基准\n\n"
        "指令遵循基准考察模型能否按要求的格式和长度作答。\n\n"
        "## 智能体基准\n\n"
        "智能体基准让模型调用工具、浏览网页，完成多步任务。\n\n"
        "## 安全基准\n\n"
        "安全基准检查模型是否拒绝有害请求。\n\n"
        "## 真实性\n\n"
        "一个回答要和世界上发生过的事一致，这一点很难靠程序核对。\n\n"
        "## 有效性\n\n"
        "分数高是否意味着在真实场景里好用，还要看题目是否贴近真实用法。\n"
    )})
    assert placed["真实性"] == placed["有效性"] == "evaluation", placed
    assert placed["安全基准"] == "safety", placed


def test_benchmarks_and_metrics_are_evaluations_words(tmp_path: Path) -> None:
    """基准测试 (benchmark) and 评估指标 (metrics) name evaluation as 评测基准 and 评价指标 do: the
    bold labels of the answer to a question on them, which only say which ability is measured,
    follow it there."""
    placed = _place(tmp_path, {"interview.md": (
        "# 大模型面试题\n\n"
        "## 什么是 Transformer？\n\n"
        "Transformer 由自注意力层和前馈层堆叠而成。\n\n"
        "## 常用的评估指标和基准测试有哪些？\n\n"
        "**数学能力评估**：\n\n"
        "- 小学应用题集：看模型能否一步步算对答案\n\n"
        "**代码能力评估**：\n\n"
        "- 函数补全题集：运行单元测试看生成的函数对不对\n"
    )})
    assert placed["数学能力评估"] == placed["代码能力评估"] == "evaluation", placed


def test_a_list_of_reports_on_models_is_the_catalogs(tmp_path: Path) -> None:
    """An awesome list on pretraining whose section lists reports on models by their bold titles
    ("**Heron-3 Technical Report**", "**Kestrel 2: Open Bilingual Language Models**") is a list of
    models, in the catalog; its list of papers on training frameworks the taxonomy knows stays."""
    paper = "[[paper](https://example.org/{})]"
    placed = _place(tmp_path, {"awesome.md": (
        "# 大模型预训练资料\n\n"
        "预训练的论文和技术报告。\n\n"
        "## 1.1 稠密模型\n\n"
        f"1. **Heron-3 Technical Report**. {paper.format(1)}\n"
        f"2. **Kestrel 2: Open Bilingual Language Models**. {paper.format(2)}\n"
        f"3. **Osprey-7B: Small Models Trained Longer**. {paper.format(3)}\n\n"
        "## 1.2 训练框架\n\n"
        f"1. **Megatron-LM: Training Billion-Parameter Models Using Model Parallelism**. {paper.format(4)}\n"
        f"2. **ZeRO: Memory Optimizations Toward Training Trillion Parameter Models**. {paper.format(5)}\n"
        f"3. **DeepSpeed-Ulysses: System Optimizations for Training Long Sequences**. {paper.format(6)}\n"
    )})
    assert placed["稠密模型"] == "models", placed
    assert placed["训练框架"] != "models", placed


def test_a_heading_naming_a_family_of_models_puts_what_it_holds_in_the_catalog(tmp_path: Path) -> None:
    """"## 4. Heron 系列" in a note on pretrained models holds the family's versions and techniques:
    "Heron 关键技术" names no topic of its own and goes with the family to the catalog; "RMSNorm"
    names its own. A family heading that names a topic ("ReLU 系列") stays with that topic."""
    placed = _place(tmp_path, {"plm.md": (
        "# 预训练模型知识点详解\n\n## 1. 预训练目标\n\n自回归模型预测下一个词。\n\n"
        "## 4. Heron 系列\n\n### 4.1 Heron 关键技术\n\n| 技术 | 说明 |\n|---|---|\n| 门控 | 更快 |\n\n"
        "### 4.2 RMSNorm\n\n去掉均值中心化的层归一化。\n\n"
        "## 5. ReLU 系列\n\n### 5.1 Leaky ReLU\n\n负半轴保留一个小斜率。\n")})
    assert placed["Heron 关键技术"] == "models", placed
    assert placed["RMSNorm"] == "normalization", placed
    assert placed["Leaky ReLU"] == "activation-functions", placed


def test_a_family_heading_over_its_members_goes_to_the_catalog_in_a_note_on_another_subject(tmp_path: Path) -> None:
    """An awesome list titled by pretraining: "### Heron 系列" over "Heron Technical Report",
    "Heron 2: …" lists that family's models, whatever subject the note follows; a family
    heading whose text never names the family ("Kite 系列" over a corpus size) stays."""
    placed = _place(tmp_path, {"awesome.md": (
        "# Awesome LLM 预训练\n\n预训练相关的论文与资源。\n\n## 技术报告\n\n"
        "### Heron 系列\n\n1. **Heron Technical Report**. [paper](https://arxiv.org/abs/1)\n"
        "2. **Heron 2: Open Foundation Models**. [paper](https://arxiv.org/abs/2)\n\n"
        "### Kite 系列\n\n- 预训练语料扩充到了 15T token。\n\n"
        "### Wren 系列模型的发展\n\n1. **Wren Technical Report**. [paper](https://arxiv.org/abs/3)\n"
        "2. **Wren 2: Scaling Open Models**. [paper](https://arxiv.org/abs/4)\n")})
    assert placed["Heron 系列"] == "models", placed
    assert placed["Kite 系列"] != "models", placed
    assert placed["Wren 系列模型的发展"] == "models", placed  # what the text tells of it: still the family


def test_a_heading_that_is_a_model_s_sized_name_over_its_fields_goes_to_the_catalog(tmp_path: Path) -> None:
    """"## Kestrel 7B" with no text of its own over 时间, 参数量, 模型结构: one model's record, in the
    catalog; "## BM25" over its parts is a method's name (no parameter count), not a model."""
    placed = _place(tmp_path, {"models.md": (
        "# 检索增强生成笔记\n\n检索增强生成先检索文档，再让模型据此回答。\n\n## Kestrel 7B\n\n"
        "### 时间\n\n2023 年 9 月发布。\n\n### 参数量\n\n73 亿参数。\n\n"
        "## BM25\n\n### 原理\n\n按词频和逆文档频率给文档打分的检索方法。\n")})
    assert placed["时间"] == placed["参数量"] == "models", placed
    assert placed["原理"] != "models", placed


def test_a_speaker_of_a_chat_transcript_names_no_model(tmp_path: Path) -> None:
    """A saved chat: "## Assistant" over an answer that tells who released what is a speaker's
    turn (terms.yaml says Assistant is no model's name), not a model in the catalog."""
    placed = _place(tmp_path, {"chat.md": (
        "# Heron 数据集设计解析\n\n### 🧑‍💻 User\n\nHeron 数据集格式的设计理念是怎么样的？\n\n---\n\n"
        "### 🤖 Assistant\n\nStanford Heron 是斯坦福大学在 2023 年 3 月发布的指令微调模型，它的 52K 条指令数据"
        "格式简洁且高效，成为了后来许多数据集的模板。\n")})
    assert placed["Assistant"] != "models", placed


def test_a_note_told_as_periods_is_a_history(tmp_path: Path) -> None:
    """"2010-2014：深度学习的兴起", "2015-2019：…", "2020-2024：多模态 AI 的爆发": a note whose
    sections are periods tells a history, whatever each period is marked by (多模态)."""
    placed = _place(tmp_path, {"eras.md": (
        "# 人工智能的发展\n\n## 2010-2014：深度学习的兴起\n\n卷积网络在图像识别比赛中大幅领先。\n\n"
        "## 2015-2019：注意力与预训练\n\nTransformer 提出，BERT 和 GPT 相继出现。\n\n"
        "## 2020-2024：多模态 AI 的爆发\n\n多模态模型可以同时理解图像和文本，图文生成进入大众视野。\n")})
    assert set(placed.values()) == {"history"}, placed


def test_a_journal_dated_by_day_is_no_history(tmp_path: Path) -> None:
    """A study journal whose entries are headed by their dates ("2023-10-08 周日 …") tells no
    history: a day is no span of years ("2023-10" would run backwards). Each entry goes by what
    it is about, while "2014-18" and "2019–2023" still name periods."""
    from llmkb.classify import names_period

    placed = _place(tmp_path, {"journal.md": (
        "# 我的学习笔记（2023 秋）\n\n每天记一点。\n\n"
        "## 2023-10-08 周日 旋转位置编码\n\n旋转位置编码把位置信息写进向量的旋转角度里。\n\n"
        "## 2023-10-11 周三 知识蒸馏\n\n知识蒸馏让小的学生模型去学大的教师模型输出的软标签。\n\n"
        "## 2023-10-15 周日 量化\n\n量化把权重从 16 位浮点数压到 4 位整数，显存省下一大半。\n")})
    assert "history" not in placed.values(), placed
    assert placed["2023-10-08 周日 旋转位置编码"] == "position-encoding", placed
    assert [names_period(t) for t in ("2014-18 统计方法", "（2019–2023）", "2000 年以前", "2023-10-08",
                                      "2010-12-05 记", "2023-11 月报")] == [True, True, True, False, False, False]


def test_a_summary_sums_up_what_it_follows(tmp_path: Path) -> None:
    """A note's closing "总结" restates all of its parts: it stays with the note's subject, not
    with the part its text happens to name most (混合精度 here); a part's own section still
    goes to that part."""
    placed = _place(tmp_path, {"train.md": (
        "# 大模型训练的显存优化\n\n训练大模型时显存总是不够用，下面是几种省显存的办法。\n\n"
        "## 一、混合精度训练\n\n混合精度训练用 FP16 或 BF16 做前向和反向计算，用 FP32 保存主权重，"
        "再配合损失缩放防止梯度下溢，能省下近一半显存。\n\n"
        "## 二、激活重计算\n\n反向传播时重新计算前向的激活值，用时间换显存。\n\n"
        "## 总结\n\n先开混合精度：FP16 或 BF16 的混合精度训练几乎没有损失，再用损失缩放稳住 FP16 的梯度；"
        "显存还不够就加激活重计算。\n")})
    assert placed["混合精度训练"] == "mixed-precision", placed
    assert placed["总结"] == placed["大模型训练的显存优化"] != "mixed-precision", placed


def test_a_summary_follows_what_the_sections_it_sums_up_are_about(tmp_path: Path) -> None:
    """A note filed under SFT whose sections are PEFT methods ends with a "小结" of those
    methods: it goes to PEFT, what its siblings have in common, not to the note's title nor to
    LoRA, which its text names most."""
    placed = _place(tmp_path, {"sft.md": (
        "# 有监督微调学习笔记\n\n整理几种常见的微调方法。\n\n"
        "## 1. LoRA\n\nLoRA 冻结预训练权重，只在旁路训练两个低秩矩阵 A 和 B，推理时可以把 BA 合并回原权重。\n\n"
        "## 2. Adapter Tuning\n\nAdapter 在每个 Transformer 层里插入两个小的全连接层，只训练这些新加的参数。\n\n"
        "## 3. Prefix Tuning\n\nPrefix Tuning 在每一层的键和值前面拼上一段可训练的连续向量，模型本身不动。\n\n"
        "## 4. 小结\n\n这几种方法都只训练很少的参数：LoRA 训练低秩矩阵，Adapter 训练插入层，Prefix 训练前缀向量。"
        "其中 LoRA 最常用，LoRA 的低秩矩阵还能合并回权重，不增加推理延迟。\n")})
    assert placed["有监督微调学习笔记"] == "sft", placed
    assert placed["小结"] == "peft", placed


def test_what_came_before_the_subject_is_no_subject(tmp_path: Path) -> None:
    """"量化后的模型为什么更容易出现幻觉？" asks about hallucination; quantization is what came
    before it. A heading that names only the earlier step ("量化后端怎么选？", 后端 is no "after")
    stays with it."""
    placed = _place(tmp_path, {"q.md": (
        "# 量化面试题\n\n量化相关的常见问题。\n\n"
        "## 1. 量化后的模型为什么更容易出现幻觉？\n\n低比特权重丢掉了一部分知识，模型更容易一本正经地编造事实。\n\n"
        "## 2. 量化后端怎么选？\n\n看硬件：有 GPU 就用 GPTQ 或 AWQ 的内核。\n")})
    assert placed["量化后的模型为什么更容易出现幻觉？"] == "hallucination", placed
    assert placed["量化后端怎么选？"] == "quantization", placed


def test_a_text_that_takes_one_thing_as_another_introduces_no_model(tmp_path: Path) -> None:
    """"对以英文为主训练的模型，…" reads 以英文为主 (English above all), not "X 为 … 训练的模型":
    no model is introduced and the tip stays with prompting. "鹭鸶（以下简称 LS）为白鹭实验室 …
    发布的开源大模型" still introduces a model."""
    placed = _place(tmp_path, {"p.md": (
        "# 提示词技巧\n\n写提示词的经验。\n\n"
        "## 中文提示还是英文提示？\n\n对以英文为主训练的模型，复杂任务用英文写提示更稳；"
        "中文为主的模型用中文提示即可。\n\n"
        "## 鹭鸶\n\n鹭鸶（以下简称 LS）为白鹭实验室 2024 年发布的开源大模型，参数量 70 亿。\n")})
    assert placed["中文提示还是英文提示？"] == "prompting", placed
    assert placed["鹭鸶"] == "models", placed


def test_a_section_that_fits_nothing_follows_the_sections_beside_it(tmp_path: Path) -> None:
    """In an awesome list, "国产模型" (no node's name, a table of names) under "模型" beside
    "闭源模型" and "开源模型" is about models too, though the list as a whole is about no one
    thing."""
    placed = _place(tmp_path, {"a.md": (
        "# 资源汇总\n\n收集的资料。\n\n## 模型\n\n### 闭源模型\n\n- 甲：乙公司出品。\n\n"
        "### 开源模型\n\n- 丙：丁实验室出品。\n\n"
        "### 国产模型\n\n| 名称 | 出品方 | 年份 |\n|---|---|---|\n"
        "| 青鸾 | 戊公司 | 2024 |\n| 白泽 | 己大学 | 2023 |\n\n"
        "## 数据\n\n### 预训练语料\n\n网页、书籍和代码。\n\n## 评测\n\n### 基准\n\nMMLU 和 C-Eval。\n")})
    assert placed["国产模型"] == "models", placed
    assert placed["基准"] == "evaluation", placed


def test_a_broad_word_that_heads_a_heading_narrows_the_subject_it_follows(tmp_path: Path) -> None:
    """In a list on pretraining, "## 开源数据集" (headed by 数据集, a broad word of 训练数据) and the
    sections below it are about pretraining data; in a note on inference, "## 解码阶段" is a phase
    (阶段 heads it), not decoding strategies, and stays with its note."""
    placed = _place(tmp_path, {
        "pre.md": ("# Awesome 预训练\n\n预训练相关的资源整理。\n\n## 开源数据集\n\n我们从网页和代码两个方面讨论"
                   "现有的开源数据集。\n\n### 网页\n\n网页数据是核心语料。\n"),
        "infer.md": ("# 推理加速\n\n推理加速的常见做法。\n\n## 预填充阶段\n\n一次处理全部输入 token。\n\n"
                     "## 解码阶段\n\n每一步只生成一个 token，受限于显存带宽。\n")})
    assert placed["开源数据集"] == placed["网页"] == "pretraining-data", placed
    assert placed["解码阶段"] != "decoding", placed


def test_autoregressive_decoding_is_decoding_not_the_training_objective(tmp_path: Path) -> None:
    """"自回归解码的瓶颈" is about generating one token at a time (解码), not the autoregressive
    training objective that 自回归 alone names."""
    placed = _place(tmp_path, {"spec.md": (
        "# 推理加速笔记\n\n## 动机：自回归解码的瓶颈\n\n### 关键洞察\n\n"
        "每生成一个 token 都要把全部权重读一遍，算力大多在等显存。\n")})
    assert placed["关键洞察"] == "decoding", placed


@pytest.mark.parametrize(("heading", "node"), [
    ("常用的 Query Rewrite 工具", "retrieval"),   # alias: Query Rewriting
    ("Text Embeddings 的训练", "embeddings"),      # alias: Text Embedding
    ("Tree of Thought", "chain-of-thought"),       # alias: Tree of Thoughts
])
def test_an_english_phrase_matches_in_any_form_of_its_last_word(heading: str, node: str) -> None:
    from llmkb.classify import HeadingMatcher
    from llmkb.taxonomy import load_taxonomy

    assert node in [c.node for c in HeadingMatcher(load_taxonomy()).matches(heading) if c.score >= 5]


def test_an_english_word_is_not_matched_inside_another() -> None:
    """The last word's forms are its own endings only: "Tensor Parallelism" is still found,
    and "Text Embeddingsfoo" is no Text Embedding."""
    from llmkb.classify import HeadingMatcher
    from llmkb.taxonomy import load_taxonomy

    matcher = HeadingMatcher(load_taxonomy())
    assert "tensor-parallel" in [c.node for c in matcher.matches("Tensor Parallelism 的通信")]
    assert "embeddings" not in [c.node for c in matcher.matches("Text Embeddingsfoo")]


def test_a_section_of_a_note_about_two_subjects_goes_to_the_one_its_text_is_about(tmp_path: Path) -> None:
    """"模型评估与幻觉治理" names two subjects that share none: a section that names neither
    ("高频追问") goes to the one its text leans to (made-up facts: 幻觉), not always the first."""
    placed = _place(tmp_path, {"eval.md": (
        "# 模型评估与幻觉治理\n\n## 怎样打分\n\n用一组题目考模型，按答对的比例给分。\n\n"
        "## 高频追问\n\n模型为什么不愿意说不知道？训练时答错和不答都不得分，"
        "于是它宁可编造一个看似合理的答案，这就是虚构事实。\n")})
    assert placed["怎样打分"] == "evaluation", placed
    assert placed["高频追问"] == "hallucination", placed


@pytest.mark.parametrize("heading, node", [("RAG 与 LoRA 怎么选", "rag"), ("KV Cache 与 LoRA", "kv-cache"),
                                           ("量化与 RLHF", "quantization")])
def test_of_two_subjects_a_heading_joins_the_first_is_its_own(tmp_path: Path, heading: str, node: str) -> None:
    """Two subjects of different branches joined by 与 ("RAG 与 LoRA 怎么选"): the heading is mainly
    about the first, when the text leans to neither (not the one earlier in the tree)."""
    placed = _place(tmp_path, {"随手记.md": f"# 随手记\n\n## {heading}\n\n这两样东西面试时常被放在一起问。\n"})
    assert placed[heading] == node, placed


def test_what_a_heading_says_its_subject_does_without_is_no_subject_of_it(tmp_path: Path) -> None:
    """"DPO 为什么不需要奖励模型" is about DPO; the reward model is what it does without."""
    placed = _place(tmp_path, {"面试笔记.md": "# 面试笔记\n\n## DPO 为什么不需要奖励模型\n\n"
                                             "它把偏好直接写进损失函数里，省掉了单独训练的一步。\n"})
    assert placed["DPO 为什么不需要奖励模型"] == "dpo", placed


def test_what_a_heading_says_is_not_its_subject_is_no_subject_of_it(tmp_path: Path) -> None:
    """"非 Transformer 路线" in a list of long-context papers is about what is not a Transformer:
    the section follows its note's subject, not the Transformer page."""
    placed = _place(tmp_path, {"长上下文论文清单.md": (
        "# 长上下文论文清单\n\n收集扩展上下文窗口和长文本处理的论文。\n\n"
        "## 位置插值\n\n线性插值让模型在更长的上下文窗口上继续工作。\n\n"
        "## 非 Transformer 路线\n\n状态空间模型和线性循环结构处理长序列时开销随长度线性增长。\n")})
    assert placed["非 Transformer 路线"] != "transformer", placed
    assert placed["非 Transformer 路线"] == placed["位置插值"], placed


def test_subjects_listed_as_examples_of_a_kind_the_heading_names_are_about_that_kind(tmp_path: Path) -> None:
    """"Adapter、Prefix Tuning 等其他 PEFT 方法" in a note on fine-tuning lists two methods as
    examples of the kind it names (参数高效微调, which holds them both): the section is about that
    kind, not the note's broader subject (微调)."""
    placed = _place(tmp_path, {"微调实战.md": (
        "# 大模型微调实战\n\n从全参数微调讲到各种省显存的办法。\n\n"
        "## 全参数微调\n\n所有参数都参与训练，显存开销最大。\n\n"
        "## Adapter、Prefix Tuning 等其他 PEFT 方法\n\n它们都只训练少量新增参数，原模型保持冻结。\n")})
    assert placed["Adapter、Prefix Tuning 等其他 PEFT 方法"] == "peft", placed


def test_a_title_that_lists_subjects_of_different_branches_gives_the_note_no_subject(tmp_path: Path) -> None:
    """"面试题合集：LoRA、DPO 与 KV Cache" lists three subjects of three branches side by side: the
    note is about none of them (not the last one named), and its file name, which names them
    again, does not make it so. A section that names its own subject goes there; one that fits
    no node follows where most of the note went."""
    placed = _place(tmp_path, {"面试题合集_LoRA_DPO_KVCache.md": (
        "# 面试题合集：LoRA、DPO 与 KV Cache\n\n本篇按题目整理，每题先给结论。\n\n"
        "## DPO 为什么不需要奖励模型\n\n它把偏好直接写进损失函数里。\n\n"
        "## DPO 的 beta 怎么调\n\nbeta 越大，策略越贴近参考模型。\n\n"
        "## 面试官还爱问什么\n\n常会追问项目经历，要讲清楚自己负责的部分和结果。\n")})
    assert placed["DPO 为什么不需要奖励模型"] == "dpo", placed
    assert placed["面试官还爱问什么"] == "dpo", placed


def test_a_heading_that_only_names_an_aspect_follows_its_part_of_the_note(tmp_path: Path) -> None:
    """"缺点" under "随机抽词 › 优缺点" (a way of decoding no node names, whose other sections are
    about decoding) lists the drawbacks of that way, not of LLMs: it goes with its part to 解码策略.
    The same word heading a part of its own, in a note on LLMs, is about their drawbacks (特点)."""
    placed = _place(tmp_path / "gen", {"gen.md": (
        "# 随手记\n\n## 随机抽词（Random Picking）\n\n### 原理说明\n\n"
        "每一步按模型给出的概率分布抽一个 token，而不是总取概率最大的那个。\n\n"
        "### 关键参数\n\n#### Temperature（温度）\n\n温度越高，分布越平，抽到的词越随机。\n\n"
        "#### Top-k\n\n只在概率最高的 k 个 token 里抽。\n\n### 优缺点\n\n"
        "**优点**：\n\n- 每次的结果不同\n\n**缺点**：\n\n- 结果不确定，质量不稳定，有时前后不连贯\n")})
    assert placed["Temperature（温度）"] == placed["缺点"] == "decoding", placed
    placed = _place(tmp_path / "llm", {"llm.md": (
        "# 大语言模型\n\n大语言模型是参数很多的语言模型。\n\n## 缺点\n\n"
        "它会一本正经地编造事实，知识停在训练数据截止的那一天。\n")})
    assert placed["缺点"] == "characteristics", placed


def test_a_broad_aspect_word_under_a_subject_is_that_subjects_facet(tmp_path: Path) -> None:
    """"优势" under "说说检索增强生成（RAG）的工作流程" lists RAG's advantages (fewer made-up facts among
    them): it stays with RAG, though 优势 is also a word of 特点 and its text mentions 幻觉."""
    placed = _place(tmp_path, {"rag.md": (
        "# 面试题整理\n\n### 7. 说说检索增强生成（RAG）的工作流程\n\n"
        "1. **检索**：把问题向量化，在向量库里找最相近的文档片段。\n"
        "2. **生成**：把片段和问题一起放进提示，让模型作答。\n\n"
        "**优势**：\n- 减少幻觉，编造的事实更少\n- 检索的文档库随时可以更新，不受训练数据截止时间的限制\n"
        "- 答案可以追溯到检索到的来源\n")})
    assert placed["优势"] == "rag", placed


def test_the_formats_of_instruction_data_are_fine_tunings(tmp_path: Path) -> None:
    """ShareGPT and ChatML are formats of the conversations a model is fine-tuned on (有监督微调), not
    pretraining corpora, whatever a note's title says about data."""
    placed = _place(tmp_path, {"formats.md": (
        "# 数据集格式笔记\n\n## ShareGPT 格式\n\n每条样本是一段多轮对话，按 human 和 gpt 两个角色交替记录。\n\n"
        "## ChatML\n\n用 <|im_start|> 和 <|im_end|> 标出 system、user、assistant 各自说的话。\n")})
    assert placed["ShareGPT 格式"] == placed["ChatML"] == "sft", placed


def test_initialization_of_what_the_note_is_about_stays_with_it(tmp_path: Path) -> None:
    """"初始化" alone says only that something starts: under a tokenizer's workings it is loading its
    dictionary; "参数初始化" names how a network's weights start, an optimization matter."""
    placed = _place(tmp_path, {"seg.md": (
        "# 分词器原理\n\n## 分词器的工作流程\n\n分词器先加载词典，再按词频切分句子。\n\n"
        "### 初始化\n\n分词器启动时读入词典文件，每一行是一个词、它的词频和词性，建成前缀词典。\n"),
        "init.md": "# 训练技巧\n\n## 参数初始化\n\n权重按层的输入维度缩放后随机取值，训练才稳定。\n"})
    assert placed["初始化"] == "tokenization" and placed["参数初始化"] == "optimization", placed


def test_recall_of_what_a_model_knows_is_no_retrieval(tmp_path: Path) -> None:
    """"召回" alone is recalling, of documents or of what a model learned: among the sources of
    hallucination it is the latter; "多路召回" names retrieval."""
    placed = _place(tmp_path, {"hallu.md": (
        "# 幻觉成因笔记\n\n## 成因\n\n### 数据带来的幻觉\n\n#### 数据本身的毛病\n\n##### 知识盲区\n\n"
        "训练数据里缺少的事实，模型无从学起。\n\n#### 数据用得不好\n\n##### 召回走捷径\n\n"
        "模型偏爱在训练数据里常常一起出现的词，靠这种捷径作答，答案便张冠李戴。\n"),
        "rag.md": "# 检索增强\n\n## 多路召回\n\n同时用关键词和向量两路取回文档，再合并去重。\n"})
    assert placed["召回走捷径"] == "hallucination" and placed["多路召回"] == "retrieval", placed


def test_a_chronicle_keeps_its_years_in_the_history_and_chinese_ability_is_multilingual(tmp_path: Path) -> None:
    """A note titled as a chronicle ("大事记") is a history: its year headings name nothing and
    stay there, whatever single method a year's text mentions. "中文能力" in a comparison of
    models is about their language support."""
    placed = _place(tmp_path, {
        "events.md": "# 语言模型大事记\n\n按年份整理。\n\n## 2017\n\n- 6 月：Transformer 论文发表。\n"
                     "- 同年：有人提出用人类偏好训练奖励模型来指导强化学习。\n\n"
                     "## 2020\n\n- 5 月：GPT-3 发布，上下文学习受到关注。\n",
        "compare.md": "# 开源模型横评\n\n几款模型的对比。\n\n## 中文能力\n\n"
                      "国产模型在中文语料上训练得更多，中文问答和写作明显更好。\n",
    })
    assert placed["2017"] == "history" and placed["2020"] == "history", placed
    assert placed["中文能力"] == "multilingual"


def test_a_headline_that_a_model_was_released_is_the_catalogs(tmp_path: Path) -> None:
    """A digest's "鹭科技发布 Heron 3" over "鹭科技于 4 月 18 日发布 Heron 3，…用了分组查询注意力（GQA）"
    reports a model's release, whatever technique the text lists; "鹭科技开源 FlockKit" names no
    versioned name (a tool, say) and is placed by its text."""
    placed = _place(tmp_path, {"digest.md": (
        "# 周报\n\n## 第 20 期 2024.04.15–04.21\n\n### 1. 鹭科技发布 Heron 3\n\n"
        "鹭科技于 4 月 18 日发布 Heron 3，首批开放 8B 和 70B 两个规模。\n\n"
        "- 两个规模都用了分组查询注意力（GQA），KV 头数为 8\n- Attention 的计算换成了 FlashAttention\n\n"
        "### 2. 鹭科技开源 FlockKit\n\n鹭科技开源 FlockKit，一个把检索增强生成（RAG）流程串起来的工具库。\n")})
    assert placed["鹭科技发布 Heron 3"] == "models", placed
    assert placed["鹭科技开源 FlockKit"] != "models", placed


def test_constitutional_ai_is_feedback_learning_not_the_notes_majority(tmp_path: Path) -> None:
    """A paper log on alignment that is mostly about DPO and its kin still puts its Constitutional
    AI section (AI feedback in place of human feedback) with RLHF, which the taxonomy names it
    beside RLAIF."""
    placed = _place(tmp_path, {"papers.md": (
        "# 对齐论文记录\n\n## 1. Constitutional AI\n\n先让模型按一组原则自我批评和修改回答，再用 AI 给出的偏好"
        "训练偏好模型。\n\n### 方法\n\n监督阶段改写回答，强化阶段用 AI 反馈。\n\n"
        "## 2. DPO\n\n直接偏好优化把奖励模型消掉，直接在偏好对上优化策略。\n\n"
        "## 3. IPO\n\nIPO 修正了 DPO 在确定性偏好上的过拟合，也是直接偏好优化的一种。\n\n"
        "## 4. SimPO\n\nSimPO 是不需要参考模型的直接偏好优化。\n")})
    assert placed["Constitutional AI"] == placed["方法"] == "rlhf", placed
