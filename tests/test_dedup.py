"""Dedup: which sentences count as the same fact, and how merging keeps the fullest wording."""

from __future__ import annotations

import pytest

from llmkb.dedup import Deduplicator, near_duplicate, restatement, sentence_key
from llmkb.models import Block, BlockKind, Span
from llmkb.segment import Segmenter

SEGMENTER = Segmenter()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("一般认为，GPT-3（1750 亿参数）是 LLM 的开端。", "一般认为,GPT-3(1750亿参数)是 LLM 的开端。"),
        ("涌现能力是指同样的模型架构与预训练任务下，某些能力在小型模型中不明显。",
         "涌现能力是指同样的模型架构与预训练任务下,某些能力在小型模型中不明显"),
        ("然而，LLM 通过采用 `思维链` 推理策略，可以利用包含中间推理步骤的提示机制来解决这些任务。",
         "然而，LLM 通过采用思维链（Chain-of-Thought，CoT）推理策略，"
         "可以利用包含中间推理步骤的提示机制来解决这些任务。"),
        ("**逐步推理**：小型语言模型通常难以解决涉及多个推理步骤的复杂任务，例如数学问题。",
         "传统的 NLP 模型通常难以解决涉及多个推理步骤的复杂任务，例如数学问题。"),
        # A number and its unit letter, spaced or not, are the same fact token.
        ("目前，比较具有代表性的对齐标准是“3 H 对齐标准”，即 Helpfulness（有用性）、Honesty（诚实性）"
         "和Harmlessness（无害性）。",
         "目前比较有代表性的对齐标准是「3H 对齐标准」，即 Helpfulness（有用性）、Honesty（诚实性）"
         "和 Harmlessness（无害性）。"),
        ("Gemma 7 B 的词表有 25.6 万个 token，比同级模型大得多。",
         "Gemma 7B 的词表约有 25.6 万个 token，比同级模型大得多。"),
    ],
)
def test_near_duplicates(a: str, b: str) -> None:
    assert near_duplicate(a, b, SEGMENTER) and near_duplicate(b, a, SEGMENTER)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("GPT-3 可以通过上下文学习解决少样本任务。", "GPT-4 可以通过上下文学习解决少样本任务。"),
        ("Baichuan-7B 是在大约 1.2 万亿字符上训练的 70 亿参数模型。",
         "Baichuan-13B 是在大约 1.4 万亿字符上训练的 130 亿参数模型。"),
        ("幻觉是指模型杜撰生成虚假信息的表现。", "涌现能力是指小模型没有而大模型才有的能力。"),
        ("对比：", "两个原因："),
        # Spacing never makes different numbers equal.
        ("目前比较有代表性的对齐标准是“3 H 对齐标准”，即有用性、诚实性和无害性。",
         "目前比较有代表性的对齐标准是「4H 对齐标准」，即有用性、诚实性和无害性。"),
        ("GPT-3 is a model with 175B parameters.", "GPT-3 的参数量为 175B。"),
        ("Llama 3 8 B 的上下文长度为 8K，词表扩大到 128K 个 token。",
         "Llama 3 70B 的上下文长度为 8K，词表扩大到 128K 个 token。"),
        ("单张 48 GB 的 GPU 就能微调 65B 的模型。", "单张 24GB 的 GPU 就能微调 65B 的模型。"),
        # Formulas that differ only in symbols are different facts.
        ("当 $z>0$ 时，ReLU 的输出等于输入本身，梯度恒为一。", "当 $z<0$ 时，ReLU 的输出等于输入本身，梯度恒为一。"),
        ("注意力的缩放因子是 $\\sqrt{d_k}$，用于防止点积过大导致梯度消失。",
         "注意力的缩放因子是 $\\sqrt{d_v}$，用于防止点积过大导致梯度消失。"),
    ],
)
def test_different_facts_are_not_merged(a: str, b: str) -> None:
    assert not near_duplicate(a, b, SEGMENTER)


def test_key_ignores_punctuation_width_spacing_and_markup() -> None:
    assert sentence_key("LLM 具备**涌现能力**，这是关键。") == sentence_key("LLM具备 涌现能力,这是关键.")


def test_key_keeps_a_formulas_symbols_but_not_its_spacing() -> None:
    assert sentence_key("其中 $a + b$ 为和。") == sentence_key("其中$a+b$为和.")
    assert sentence_key("其中 $a + b$ 为和。") != sentence_key("其中 $a - b$ 为和。")


def test_a_formula_is_never_split_between_sentences() -> None:
    dd = Deduplicator(SEGMENTER)
    first = _block("阶乘 $n! = n \\cdot (n-1)!$ 递归定义。", 1)
    assert dd.process_block(first)
    assert dd.result(first).text == first.text


def _block(text: str, line: int, note: str = "notes/a.md") -> Block:
    return Block(BlockKind.PARAGRAPH, text, Span(note, line, line))


def test_fuller_wording_replaces_the_earlier_one_and_unique_sentences_stay() -> None:
    dd = Deduplicator(SEGMENTER)
    first = _block("幻觉问题是 LLM 的固有缺陷。目前有很多削弱幻觉的方法。", 1)
    second = _block("幻觉问题是 LLM 的固有缺陷，也是目前 LLM 研究及应用的巨大挑战。医学领域尤其需要注意。", 5,
                    "notes/b.md")
    assert dd.process_block(first)
    assert dd.process_block(second)
    first_out, second_out = dd.result(first), dd.result(second)
    assert first_out.text == "幻觉问题是 LLM 的固有缺陷，也是目前 LLM 研究及应用的巨大挑战。目前有很多削弱幻觉的方法。"
    assert second_out.text == "医学领域尤其需要注意。"
    assert Span("notes/b.md", 5, 5) in first_out.merged
    assert first.text == "幻觉问题是 LLM 的固有缺陷。目前有很多削弱幻觉的方法。"  # the input is left as it was


def test_a_block_said_entirely_elsewhere_is_merged() -> None:
    dd = Deduplicator(SEGMENTER)
    keep = _block("指令微调可以激发模型能力。它不注入新知识。", 1)
    dup = _block("指令微调可以激发模型能力，它不注入新知识。", 9, "notes/b.md")
    assert dd.process_block(keep)
    assert not dd.process_block(dup)
    assert dd.merged_blocks[-1].span == dup.span and dd.merged_blocks[-1].into == (keep.span,)


def test_a_sentence_repeated_thousands_of_times_appears_once() -> None:
    dd = Deduplicator(SEGMENTER)
    block = _block("大模型会产生幻觉。" * 5000 + "这是最后一句话。", 1)
    assert dd.process_block(block)
    assert dd.result(block).text == "大模型会产生幻觉。这是最后一句话。"


def test_code_and_tables_are_left_alone() -> None:
    dd = Deduplicator(SEGMENTER)
    code = Block(BlockKind.CODE, "print('x')", Span("notes/a.md", 1, 1))
    assert dd.process_block(code) and dd.process_block(code)


def test_a_display_formula_given_again_is_merged_only_when_identical() -> None:
    dd = Deduplicator(SEGMENTER)
    first = Block(BlockKind.MATH, "\\sigma(z)=\\frac{1}{1+e^{-z}},", Span("notes/a.md", 3, 5))
    again = Block(BlockKind.MATH, "\\sigma(z) = \\frac{1}{1 + e^{-z}},", Span("notes/b.md", 7, 9))
    other = Block(BlockKind.MATH, "\\sigma(z)=\\frac{1}{1+e^{z}},", Span("notes/c.md", 1, 3))
    assert dd.process_block(first)
    assert not dd.process_block(again)
    assert dd.process_block(other)
    assert dd.result(first).text == first.text  # never rewritten (the trailing comma stays)
    assert dd.result(first).merged == (again.span,)
    assert [(r.span, r.into) for r in dd.merged_blocks] == [(again.span, (first.span,))]


@pytest.mark.parametrize(("old", "new"), [
    # a question and a statement about its subject are not the same fact
    ("什么是 In Context Learning？",
     "思维链（CoT）这种推理技术，本质上也属于 In Context Learning，因为比较重要，所以单独讲一下。"),
    ("**大模型为什么会产生幻觉？**",
     "大模型会产生幻觉，因为训练数据里有错误，而且解码时会随机采样。"),
])
def test_a_question_is_not_a_restatement_of_a_statement(old: str, new: str) -> None:
    assert restatement(old, new) == ("", "")
    assert restatement(new, old) == ("", "")
