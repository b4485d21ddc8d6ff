"""lead.py: a subject's text opens with the best definition the notes give (rule definition-first)."""

from __future__ import annotations

from pathlib import Path

from conftest import kb_of_notes
from llmkb.models import KnowledgeBase


def _opening(kb: KnowledgeBase, node: str, chars: int = 4) -> list[str]:
    """The first characters of each block of a node's own text, in reading order."""
    content = next(c for c in kb.contents if c.node.id == node)
    return [b.text[:chars] for b in content.intro.blocks]


# A chapter that recaps before it says what its subject is; a list item that defines it.
CHAPTER = ("# 第四章 大语言模型\n\n## 4.1 什么是 LLM\n\n"
           "前面几章，我们讲过了词向量和循环网络。\n\n"
           "随着 ChatGPT 的发布，研究的重心转向了更大的模型。\n\n"
           "一般来说，LLM 指参数规模很大、在海量文本上预训练的语言模型。\n\n"
           "本节接着讨论它和传统模型的差异。\n")


def test_the_node_text_opens_with_the_definition_of_what_the_node_is_about(tmp_path: Path) -> None:
    """定义 is about LLMs: its aliases ("什么是 LLM") name the subject without the question words."""
    kb = kb_of_notes(tmp_path, ch4=CHAPTER)
    assert _opening(kb, "definition") == ["一般来说", "前面几章", "随着 C", "本节接着"]


def test_a_subject_entry_opens_with_its_definition_and_a_lead_in_stays_with_its_list(tmp_path: Path) -> None:
    """"LoRA 的做法如下：" introduces its list, and a list item is part of its list: neither moves;
    the paragraph that says what LoRA is does, and the rest keeps its order."""
    note = ("# 参数高效微调\n\n## LoRA\n\n神经网络的权重矩阵往往是满秩的。\n\n"
            "LoRA 的做法如下：\n\n- LoRA 是冻结原权重的做法；\n- 只训练两个小矩阵。\n\n"
            "LoRA（Low-Rank Adaptation）是一种用低秩矩阵模拟权重改变量的微调方法。\n\n"
            "它的显存占用因此小得多。\n")
    kb = kb_of_notes(tmp_path, peft=note)
    assert _opening(kb, "lora", 7) == [
        "LoRA（Lo", "神经网络的权重", "LoRA 的做", "LoRA 是冻", "只训练两个小矩", "它的显存占用因"]


def test_text_that_opens_with_a_definition_or_has_none_keeps_its_order(tmp_path: Path) -> None:
    opens = ("# 注意\n\n## 注意力机制\n\n注意力机制是按相关性给输入加权的方法。\n\n"
             "注意力机制又称注意力，常用于翻译。\n\n它最早用于机器翻译。\n")
    none = "# 注意\n\n## 注意力机制\n\n先看一个翻译的例子。\n\n注意力机制的计算分三步。\n"
    assert _opening(kb_of_notes(_dir(tmp_path, "a"), a=opens), "attention") == ["注意力机", "注意力机", "它最早用"]
    assert _opening(kb_of_notes(_dir(tmp_path, "b"), b=none), "attention") == ["先看一个", "注意力机"]


def _dir(tmp_path: Path, name: str) -> Path:
    (tmp_path / name).mkdir()
    return tmp_path / name


def test_a_definition_of_a_kind_of_the_subject_does_not_open_its_text(tmp_path: Path) -> None:
    """自注意力 and 多头注意力 are aliases of 注意力机制 (sections about them belong there), but kinds
    of it: "多头注意力是…" does not open the node's text; "注意力机制是…" does."""
    kinds = ("# 注意力\n\n## 注意力机制\n\n先从翻译说起：译一个词时，要看原句的哪些词？\n\n"
             "多头注意力是把注意力拆成几组分别计算再拼接的做法。\n\n最后拼接的结果再过一次线性层。\n")
    own = kinds.replace("最后拼接的结果再过一次线性层。", "注意力机制是按相关性给输入加权求和的方法。")
    assert _opening(kb_of_notes(_dir(tmp_path, "a"), a=kinds), "attention") == ["先从翻译", "多头注意", "最后拼接"]
    assert _opening(kb_of_notes(_dir(tmp_path, "b"), b=own), "attention") == ["注意力机", "先从翻译", "多头注意"]
