"""Normalize: Chinese typography, idempotent, never touching code or URLs."""

from __future__ import annotations

import re

import pytest

from llmkb.models import BlockKind
from llmkb.normalize import normalize_inline, normalize_table

CASES = [
    ("上限,大语言模型(Large Language Model,LLM)开始接替",
     "上限，大语言模型（Large Language Model，LLM）开始接替"),
    ("具备**涌现能力**\n涌现能力是指", "具备**涌现能力**。涌现能力是指"),
    ("模式：**任务输入与执行结果均通过自然语言进行表达。**通过预训练",
     "模式：**任务输入与执行结果均通过自然语言进行表达**。通过预训练"),
    ("**巨大的规模：** LLM 通常具有", "**巨大的规模**：LLM 通常具有"),
    ("所谓的 `指令微调` ，LLM 被证明", "所谓的 `指令微调`，LLM 被证明"),
    ("它是 PaLM(540B) 的升级版,能够处理", "它是 PaLM（540B）的升级版，能够处理"),
    ("截止 2023 年\n6 月，国内外", "截止 2023 年 6 月，国内外"),
    ("见[使用地址](https://chat.openai.com)和GPT-4的**GPT-4**的",
     "见[使用地址](https://chat.openai.com)和 GPT-4 的 **GPT-4** 的"),
    ("什么是In Context Learning? 为什么", "什么是 In Context Learning？为什么"),
    ('提供了更强大的"大脑"来理解', "提供了更强大的“大脑”来理解"),
    ("显著提升。。Baichuan 2 在", "显著提升。Baichuan 2 在"),
    ("支持最长达 32,000 个字符,需要 10G 以上显存", "支持最长达 32,000 个字符，需要 10G 以上显存"),
    ("GPT3.5 拥有 1750亿 个参数,7B～70B", "GPT3.5 拥有 1750 亿 个参数，7B～70B"),
    ("人机接口:从In Context Learning到Instruct理解", "人机接口：从 In Context Learning 到 Instruct 理解"),
    ("范式是预训练-微调，即", "范式是预训练-微调，即"),
    # a hyphen joining a Chinese name and its Latin or Greek suffix is not a minus sign
    ("盘古-Σ和模型-A都发布了", "盘古-Σ 和模型-A 都发布了"),
    ("具备\u00a0涌现能力\u00a0。涌现", "具备 涌现能力。涌现"),
    ("`code,with:punct(1)` 和 https://a.b/c,d 不变", "`code,with:punct(1)` 和 https://a.b/c,d 不变"),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_typography(raw: str, expected: str) -> None:
    assert normalize_inline(raw) == expected


@pytest.mark.parametrize("raw", [c[0] for c in CASES])
def test_idempotent_on_cases(raw: str) -> None:
    once = normalize_inline(raw)
    assert normalize_inline(once) == once


def test_table_cells_are_normalized_and_delimiters_kept() -> None:
    table = "| 模型 | 参数 |\n| --- | ---: |\n| GPT-3 | 1750亿,175B |"
    assert normalize_table(table) == "| 模型 | 参数 |\n| --- | ---: |\n| GPT-3 | 1750 亿，175B |"


MATH_CASES = [
    # The sentence around a formula is normalized; the formula is not.
    ("其中$\\alpha_t$是第t步的学习率,取值为0.01", "其中 $\\alpha_t$ 是第 t 步的学习率，取值为 0.01"),
    ("向量$x_{1:L}=[x_1,...,x_L]$,长度为L", "向量 $x_{1:L}=[x_1,...,x_L]$，长度为 L"),
    ("**取幂$1/T$**,再归一化", "**取幂 $1/T$**，再归一化"),
    ("若 $a  ,  b$ (两者)", "若 $a  ,  b$（两者）"),
    ("输出 $\\text{\"是\"}: (1)$ 。", "输出 $\\text{\"是\"}: (1)$。"),
    # A formula over two lines keeps its line break; the lines of prose are joined.
    ("损失为 $L = \\sum_i\nl_i$ 之和\n下一句", "损失为 $L = \\sum_i\nl_i$ 之和。下一句"),
    # Escaped dollars (prices) stay escaped; code stays code.
    ("大约\\$5,约合人民币35元", "大约 \\$5，约合人民币 35 元"),
    ("`$x_i$,代码`和$y$", "`$x_i$,代码` 和 $y$"),
]


@pytest.mark.parametrize(("raw", "expected"), MATH_CASES)
def test_formulas_are_untouched(raw: str, expected: str) -> None:
    assert normalize_inline(raw) == expected
    assert normalize_inline(expected) == expected


def test_formulas_in_table_cells_are_untouched() -> None:
    table = "| 函数 | 公式 |\n| --- | --- |\n| 激活,函数 | $\\sigma(z)=1/(1+e^{-z}),z$ |"
    assert normalize_table(table) == ("| 函数 | 公式 |\n| --- | --- |\n"
                                      "| 激活，函数 | $\\sigma(z)=1/(1+e^{-z}),z$ |")


HALF_BETWEEN_CJK = re.compile(r"[\u4e00-\u9fff][,:;()][\u4e00-\u9fff]")
NO_SPACE_CJK_LATIN = re.compile(r"[\u4e00-\u9fff][A-Za-z]|[A-Za-z][\u4e00-\u9fff]")


def _prose(kb):
    for doc in kb.docs:
        for section in doc.root.walk():
            for block in section.blocks:
                if block.kind not in (BlockKind.CODE, BlockKind.TABLE, BlockKind.MATH):
                    yield doc.path, block.text


def test_real_notes_have_no_half_width_punctuation_between_chinese(real_kb) -> None:
    for path, text in _prose(real_kb):
        plain = re.sub(r"`[^`]*`|\]\([^)]*\)|https?://\S+", "", text)
        assert not HALF_BETWEEN_CJK.search(plain), (path, text[:80])
        assert not NO_SPACE_CJK_LATIN.search(plain.replace("**", "")), (path, text[:80])


def test_normalization_is_idempotent_on_real_notes(real_kb) -> None:
    for _path, text in _prose(real_kb):
        assert normalize_inline(text) == text
