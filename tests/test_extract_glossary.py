"""Glossary (术语表): terms the notes define as 中文（English，ABBR） and the like, each with a
definition sentence from the notes, a link to the section that explains it, and
abbreviation tooltips for every page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import text_files
from llmkb.dedup import sentence_key
from llmkb.extract.glossary import candidates, outer_term
from llmkb.extract.orgs import Orgs
from llmkb.models import Extraction, Place, Sentence, Span, Term
from llmkb.render.glossary import abbreviations_md, definition_text
from llmkb.render.site import EXTRACTED_PAGES

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def real(real_extraction, real_files, real_note_keys):
    return real_extraction, text_files(real_files), real_note_keys


def term(result: Extraction, name: str) -> Term:
    found = [t for t in result.glossary if name in (t.term, t.abbr, t.english, *t.aliases)]
    assert found, f"no glossary entry for {name}"
    return found[0]


def test_at_least_15_terms_with_english_or_abbreviation(real) -> None:
    result, _, _ = real
    assert len(result.glossary) >= 15
    assert sum(bool(t.english or t.abbr) for t in result.glossary) >= 15


@pytest.mark.parametrize("chinese, english, abbr", [
    ("大语言模型", "Large Language Model", "LLM"),
    ("预训练语言模型", "Pre-trained Language Model", "PLM"),
    ("有监督微调", "Supervised Fine-Tuning", "SFT"),  # the name of the sentence that introduces it
    ("强化学习与人类反馈", "Reinforcement Learning with Human Feedback", "RLHF"),
    ("上下文学习", "In-Context Learning", "ICL"),
    ("思维链", "Chain-of-Thought", "CoT"),
    ("旋转位置编码", "Rotary Positional Encoding", "RoPE"),
    ("检索增强生成", "", "RAG"),
    ("涌现能力", "Emergent Abilities", ""),
    ("指令遵循", "Instruction Following", ""),
    ("通用人工智能", "", "AGI"),
])
def test_terms_the_notes_define(real, chinese: str, english: str, abbr: str) -> None:
    result, _, _ = real
    t = term(result, chinese)
    assert (t.term, t.english, t.abbr) == (chinese, english, abbr)


def test_every_definition_is_a_sentence_of_the_notes(real) -> None:
    result, _, notes = real
    from llmkb.extract.glossary import _names_only, _opens_with
    for t in result.glossary:
        if t.definition is None:
            # only a term the notes spell out on the way to something else goes without one: never
            # one a sentence opens with and says more of
            assert t.spelled_out, t.term
            assert not any(_opens_with(e.sentence, t) and not _names_only(e.sentence.text, t)
                           for e in (t.intro, *t.intros)), t.term
            continue
        sentence = t.definition.sentence
        assert definition_text(t).rstrip("…") in sentence.text
        key = sentence_key(sentence.raw)
        assert any(key in notes[s.file] for s in sentence.spans), t.term
        # the term (or its abbreviation/English name) is what the intro sentence brackets
        assert any(f in t.intro.sentence.text for f in t.forms), t.term


def test_definitions_prefer_sentences_that_define(real) -> None:
    result, _, _ = real
    # Both seed notes define it; the one the ICL section opens with (its reading order) is shown.
    assert definition_text(term(result, "ICL")).startswith(("具体而言，上下文学习能力是指", "上下文学习是指"))
    assert definition_text(term(result, "涌现能力")).startswith("涌现能力")
    assert definition_text(term(result, "AGI")) == "AGI 是一种像人类一样思考和学习的人工智能。"
    assert "是指" in definition_text(term(result, "幻觉"))


def test_links_go_to_the_section_that_explains_the_term(real) -> None:
    result, files, _ = real
    assert (term(result, "ICL").link.page, term(result, "ICL").link.anchor) == \
        ("abilities.md", "in-context-learning")
    assert term(result, "涌现能力").link.anchor == "emergent-abilities"
    assert term(result, "SFT").link.page == "fine-tuning.md"
    page = files["glossary.md"]
    for target, anchor in re.findall(r"\]\(([\w\-]+\.md)#([^)\s\"]+)\)", page):
        if target == "sources.md":
            continue
        assert anchor in set(re.findall(r"\{[^}\n]*#([^\s}]+)", files[target])), (target, anchor)


def test_glossary_page(real) -> None:
    result, files, _ = real
    page = files["glossary.md"]
    assert page.startswith("---\ntitle: \"术语表\"")
    assert "# 术语表 {#glossary}" in page
    assert ("术语表", "glossary.md") in [(t, p) for t, p, _ in EXTRACTED_PAGES]
    assert "| **上下文学习**{#term-icl} | In-Context Learning | ICL |" in page
    assert "sources.md#src-" in page  # each definition cites its note
    anchors = re.findall(r"\{#(term-[^\s}]+)\}", page)
    assert len(anchors) == len(set(anchors)) == len(result.glossary)


def test_abbreviations_for_tooltips(real) -> None:
    result, _, _ = real
    abbr = result.abbreviations
    assert abbr["LLM"] == "大语言模型（Large Language Model）"
    assert abbr["ICL"] == "上下文学习（In-Context Learning）"
    assert abbr["RAG"] == "检索增强生成"
    assert {"PLM", "SFT", "RLHF", "CoT", "RoPE", "AGI"} <= abbr.keys()
    text = abbreviations_md(abbr)
    assert "*[CoT]: 思维链（Chain-of-Thought）" in text.splitlines()


def test_terms_feed_the_dictionary(real) -> None:
    result, _, _ = real
    for word in ("上下文学习", "In-Context Learning", "ICL", "思维链", "旋转位置编码", "RoPE"):
        assert word in result.terms


def test_models_are_not_glossary_terms(real) -> None:
    result, _, _ = real
    names = {w for t in result.glossary for w in (t.term, t.english, t.abbr)}
    assert not names & {"Qwen", "通义千问", "GPT", "Generative Pre-Training"}


# --------------------------------------------------------------------------- small strings


@pytest.mark.parametrize("before, expected", [
    ("同时，LLM 大部分采用了旋转位置编码", "旋转位置编码"),
    ("然而，LLM 通常采用思维链", "思维链"),
    ("提出使用大量的无标注数据训练双向 LSTM", "双向 LSTM"),
    ("开始接替传统的预训练语言模型", "预训练语言模型"),
    ("就推进“对话即平台", "对话即平台"),  # a quote opens the term: 即 is part of it
    ("被称为“\x00涌现能力\x00”", "涌现能力"),
    ("、监督微调", "监督微调"),
])
def test_term_before_a_bracket(before: str, expected: str, real_kb) -> None:
    assert outer_term(before, real_kb.segmenter)[0] == expected


class _NoModels:
    orgs = Orgs(["谷歌"])

    def is_model_name(self, name: str) -> bool:
        return name == "Qwen"

    def names_a_thing(self, name: str) -> bool:
        return self.is_model_name(name) or name in ("Megatron-LM", "Colossal-AI")


def _sentence(raw: str) -> Sentence:
    place = Place("p.md", "a", "页", "节")
    return Sentence(raw, re.sub(r"\*\*|`", "", raw), (Span("notes/x.txt", 1, 1),), place, "t", 0, 0, 0)


@pytest.mark.parametrize("raw, found", [
    ("**预训练语言模型**（Pre-trained Language Model, **PLM**）",
     [("预训练语言模型", "Pre-trained Language Model", "PLM")]),
    ("如 Prompt 里进行限制、通过 RAG（检索增强生成）来指导生成", [("检索增强生成", "", "RAG")]),
    ("即 Helpfulness（有用性）和 Honesty（诚实性）", [("有用性", "Helpfulness", ""), ("诚实性", "Honesty", "")]),
    # a sentence's first words are a term only when the sentence goes on to define them
    ("思维链（CoT，Chain of Thought）Prompting", []),
    ("思维链（CoT，Chain of Thought）是一种提示方法", [("思维链", "Chain of Thought", "CoT")]),
    ("“指令微调”（也叫做有监督微调，Supervised Fine-tuning, SFT）", [("有监督微调", "Supervised Fine-tuning", "SFT")]),
    ("阿里云开源了 Qwen（通义千问）系列工作", []),  # a model's other name, not a term
    ("Sparse Mixer（谷歌）只用了一个专家。", []),  # who made it, not its Chinese name
    ("**缓存**（queries，keys，values）占满了显存。", []),  # examples, not its English names
    ("GPT-3（1750 亿参数）是 LLM 的开端", []),
    ("幻觉，是指 LLM 根据 Prompt 杜撰生成虚假信息的表现。", [("幻觉", "", "")]),
    ("WordPiece 是一种基于统计的子词切分算法。", [("WordPiece", "", "")]),
    # an abbreviation so defined is a term too, joined with its Chinese name where a note gives one
    ("NF8 是一种按正态分位数放置量化点的 8 位数据类型。", [("NF8", "", "NF8")]),
    # an abbreviation as the label of a list entry that says what it is; not a model's name, not
    # a label of a few words or a question
    ("HNSW：分层可导航小世界图，召回高、速度快，但吃内存", [("HNSW", "", "HNSW")]),
    ("Qwen：阿里巴巴开源的一系列中文大模型", []),
    ("GPU：够用就行", []),
    ("KTO：为什么不需要成对的偏好数据呢？", []),
    ("Causal LM（因果语言模型）是一种语言模型。", [("因果语言模型", "Causal LM", ""), ("Causal LM", "", "")]),
    ("预训练（Pretraining）、监督微调（Supervised Fine-Tuning，SFT），强化学习与人类反馈（RLHF）三阶段",
     [("监督微调", "Supervised Fine-Tuning", "SFT"), ("强化学习与人类反馈", "", "RLHF")]),
    # an entry of a definition list says what its label is; a label of advice or a phrase does not
    ("回译增强：回译增强通过把句子译成外语再译回来得到新样本。", [("回译增强", "", "")]),
    ("教师信号：是指由较大模型给出的软标签。", [("教师信号", "", "")]),
    # … or defines it through a word that points back at it; a label only classed is not defined
    ("覆盖比：该指标定义为答案里能在资料中找到出处的句子所占的比例。", [("覆盖比", "", "")]),
    ("流水线重叠：这也是一个常见的优化办法。", []),
    ("梯度累积：在显存不够时，可以采用梯度累积的办法。", []),
    ("优点：速度快。", []),
    ("批的大小：批的大小是影响显存的主要因素。", []),
])
def test_definition_patterns(raw: str, found: list[tuple[str, str, str]], real_kb) -> None:
    got = [(c.term, c.english, c.abbr) for c in candidates([_sentence(raw)], _NoModels(), real_kb.segmenter)
           if c.clean]
    assert got == found


# Pieces of sentences that a bracket follows are no terms: the glossary never shows them.
@pytest.mark.parametrize("raw", [
    "并且首次展示了用较低精度（bfloat16）格式训练大型稀疏模型的可能性。",
    "但 ZeRO2 需要对梯度进行分块（chunk）。",
    "所有模型都在相同的硬件（TPUv3）上进行了相同数量的步骤训练。",
    "另一些则是由光学字符识别（OCR）自动生成的。",
    "可以利用工具套件（计算器、API、搜索引擎）来收集信息。",
    "我们可以将 LLM 的训练过程分成预训练与对齐（alignment）两个阶段。",
    "接下来用主成分分析算法（principal component analysis，PCA）进行特征降维。",
    "Kelly（个人）起诉 Arriba。",
    "ZeRO + Offload CPU 和 NVMe（可选的）。",
    "**提出了用微分方程**（ODE）描述网络的方法。",
    "**回传第三步**（max）取最大值。",
    "柱状图里 zero-shot（绿色）的柱子最矮。",
    "模型里每层 Transformer（上图的灰色区域）都一样。",
])
def test_sentence_pieces_name_no_term(raw: str, real_kb) -> None:
    from llmkb.extract.glossary import _trusted
    cands = candidates([_sentence(raw)], _NoModels(), real_kb.segmenter)
    assert _trusted(cands, ()) == []




def _named(raws: list[str], segmenter) -> list[tuple[str, str, str, list[str]]]:
    """The glossary's terms for these sentences ("# " opens a heading)."""
    from dataclasses import replace

    from llmkb.extract.glossary import _group, _name, _trusted
    sentences = [replace(_sentence(r.removeprefix("# ")), heading=r.startswith("# ")) for r in raws]
    cands = _trusted(candidates(sentences, _NoModels(), segmenter), segmenter.words)
    return sorted((t.term, t.english, t.abbr, t.aliases) for t in map(_name, _group(cands)))


def test_a_bare_abbreviation_is_the_term_it_is_spelt_out_as(real_kb) -> None:
    """"什么是 LLM" and "大语言模型（Large Language Model，LLM）" are one term under its Chinese
    name; an abbreviation spelt out two ways (PLM) stays apart from both."""
    seg = real_kb.segmenter
    assert _named(["大语言模型（Large Language Model，LLM）是一种语言模型。", "# 什么是 LLM"], seg) == [
        ("大语言模型", "Large Language Model", "LLM", [])]
    two = _named(["预训练语言模型（Pre-trained Language Model，PLM）是一种语言模型。",
                  "置换语言模型（Permuted Language Model，PLM）是一种训练目标。", "# 什么是 PLM"], seg)
    assert [t[0] for t in two] == ["PLM", "置换语言模型", "预训练语言模型"]


def test_a_bracket_that_names_a_thing_is_no_english_name(real_kb) -> None:
    """"张量并行（Megatron-LM）" says where it is done: no English name for the term; a marked
    term keeps its own entry; the framework's Chinese name makes no term."""
    seg = real_kb.segmenter
    assert _named(["Megatron 的**张量并行**（Megatron-LM）把矩阵切开。",
                   "序列并行（Colossal-AI）把序列切开。",
                   "Megatron-LM（威震天）训练得很快。"], seg) == [("张量并行", "", "", [])]


def test_names_used_equally_often_follow_the_sentence_that_introduces_the_term(real_kb) -> None:
    """Two Chinese names of one English term, each used once: the entry takes the one of the
    sentence that introduces it best (a definition on its own, not a list of three brackets)."""
    seg = real_kb.segmenter
    named = _named(["**交叉注意**（Cross Attention）、**前馈**（Feed Forward）和**残差**（Residual）是三个模块。",
                    "**交叉注意力机制**（Cross Attention）是指用编码器的输出作为键和值的注意力。"], seg)
    assert [t[0] for t in named if t[1] == "Cross Attention"] == ["交叉注意力机制"]


def test_a_gloss_sharing_no_character_with_the_name_is_no_alias(real_kb) -> None:
    """"zero-shot（绿色）" under a figure names the colour of its bars: no alias of 零样本学习;
    "知识蒸馏" shares the name's characters and is one."""
    seg = real_kb.segmenter
    named = _named(["零样本学习（Zero-shot）是指不给示例直接让模型完成任务。",
                    "**零样本学习**（Zero-shot）：提示里没有示例。",
                    "柱状图里 zero-shot（绿色）的柱子最矮。"], seg)
    assert [(t[0], t[3]) for t in named if t[1].lower() == "zero-shot"] == [("零样本学习", [])]
    named = _named(["蒸馏（Knowledge Distillation）是用大模型指导小模型训练的方法。",
                    "**知识蒸馏**（Knowledge Distillation）"], seg)
    assert [(t[0], t[3]) for t in named] == [("蒸馏", ["知识蒸馏"])]


@pytest.mark.parametrize("step", ["3. **强化学习微调**（PPO）：用奖励模型的打分继续更新策略。",
                                  "2. **偏好采样和策略学习**（PPO）：先采样回答，再学策略。"])
def test_a_step_glossed_with_an_abbreviation_is_no_alias(real_kb, step: str) -> None:
    """A step of a procedure labelled with the method it uses ("强化学习微调（PPO）") shares no
    word with the term's name (近端策略优化), only the character 化; one that joins two things
    ("偏好采样和策略学习") names two. Neither is an alias; a name written another way is."""
    named = _named(["近端策略优化（Proximal Policy Optimization，PPO）是一种策略梯度算法。",
                    "**近似策略优化**（Proximal Policy Optimization，PPO）限制每次更新的幅度。",
                    "**近端策略优化**（PPO）用裁剪代替 KL 惩罚。", step], real_kb.segmenter)
    assert [(t[0], t[3]) for t in named if t[2] == "PPO"] == [("近端策略优化", ["近似策略优化"])]


def test_a_name_with_only_an_abbreviation_joins_the_term_spelt_out_with_the_same_characters(real_kb) -> None:
    """"基于人类反馈的强化学习（RLHF）" is the RLHF another note spells out in English; a name of other
    characters with the same abbreviation ("置换语言模型（PLM）") keeps an entry of its own."""
    seg = real_kb.segmenter
    named = _named(["基于人类反馈的强化学习（RLHF）分三步做。",
                    "强化学习与人类反馈（Reinforcement Learning with Human Feedback，RLHF）是一种训练方法。"], seg)
    assert [(t[1], t[2]) for t in named] == [("Reinforcement Learning with Human Feedback", "RLHF")]
    named = _named(["置换语言模型（PLM）是一种训练目标。",
                    "预训练语言模型（Pre-trained Language Model，PLM）是一种语言模型。"], seg)
    assert sorted(t[0] for t in named) == sorted(["预训练语言模型", "置换语言模型"])


def test_an_acronym_names_one_term_and_a_name_one_entry(real_kb) -> None:
    """"LLM（语言模型）" does not pull the LLM into 语言模型（LM）: two acronyms are two terms;
    a plural English name is the same name; the gloss 语言模型, an entry's own name, is no
    alias of the other entry."""
    seg = real_kb.segmenter
    named = _named(["语言模型（Language Model，LM）是对词序列概率的建模。",
                    "大语言模型（Large Language Model，LLM）是参数量巨大的语言模型。",
                    "**大型语言模型**（Large Language Models，LLM）能续写文本。",
                    "开源的 LLM（语言模型）越来越多。"], seg)
    assert sorted((t[2], {t[0], *t[3]}) for t in named) == [("LLM", {"大语言模型", "大型语言模型"}),
                                                            ("LM", {"语言模型"})]


def test_english_names_used_equally_often_give_the_fuller_one(real_kb) -> None:
    seg = real_kb.segmenter
    named = _named(["**残差连接**（ResNet）是把输入加到输出上的连接。",
                    "**残差连接**（Residual Connection）让梯度直接流过。"], seg)
    assert [(t[0], t[1]) for t in named] == [("残差连接", "Residual Connection")]


def test_the_english_before_a_bracket_that_its_abbreviation_spells_is_the_term_s_english(real_kb) -> None:
    """"Reward Model（奖励模型，简称 RM）是 RLHF 的裁判": the English before the bracket, spelt out
    by RM, is the term's English name; the short form in a list ("奖励模型（Reward）") is not."""
    seg = real_kb.segmenter
    named = _named(["传统 PPO 需要四个模型：策略模型（Policy）、奖励模型（Reward）和价值模型（Critic）。",
                    "Reward Model（奖励模型，简称 RM）是 RLHF 的裁判。"], seg)
    assert ("奖励模型", "Reward Model", "RM") in [t[:3] for t in named], named


def test_what_a_term_is_also_called_after_its_english_name_is_no_name_of_it(real_kb) -> None:
    """"**梯度检查点**（Gradient Checkpointing，也叫激活重计算）：…" and "自洽性（Self-Consistency，也译作
    自我一致性）是指…": the term is the one before the bracket, with its English name; what it is
    also called (or translated as) is no entry of its own."""
    seg = real_kb.segmenter
    named = _named(["**梯度检查点**（Gradient Checkpointing，也叫激活重计算）：前向传播时只保存少数检查点层的输出，"
                    "反向传播时再重新计算。"], seg)
    assert [t[:2] for t in named] == [("梯度检查点", "Gradient Checkpointing")], named
    named = _named(["自洽性（Self-Consistency，也译作自我一致性）是指对同一个问题采样多条推理，"
                    "再对答案做多数投票。"], seg)
    assert [t[:2] for t in named] == [("自洽性", "Self-Consistency")], named


def test_the_abbreviation_before_a_bracket_that_its_english_spells_is_the_term_s(real_kb) -> None:
    """"KD（Knowledge Distillation，知识蒸馏）由…提出": KD, which the English in the bracket spells
    out, is the term's abbreviation; its tooltip is that term's, not the one of a step of a list
    that only names KD in brackets ("**压缩学生模型（KD）**")."""
    from llmkb.extract.glossary import _group, _name, _trusted, abbreviations

    seg = real_kb.segmenter
    raws = ["1. **压缩学生模型（KD）**：用教师模型的输出训练一个小模型。",
            "KD（Knowledge Distillation，知识蒸馏）由 Hinton 等人在 2015 年提出。"]
    named = _named(raws, seg)
    assert ("知识蒸馏", "Knowledge Distillation", "KD") in [t[:3] for t in named], named
    sentences = [_sentence(r) for r in raws]
    terms = [_name(g) for g in _group(_trusted(candidates(sentences, _NoModels(), seg), seg.words))]
    assert abbreviations(terms)["KD"] == "知识蒸馏（Knowledge Distillation）"


def test_a_step_set_in_bold_names_what_it_works_on(real_kb) -> None:
    """"2. **训练奖励模型（RM）**" is a step of RLHF: its term is 奖励模型, a word of the domain.
    "**训练后量化（PTQ）**" is a term as it stands (后量化 is no word of the domain)."""
    seg = real_kb.segmenter
    named = _named(["2. **训练奖励模型（RM）**：对同一个提示采样几个回答，让标注员排序。",
                    "**训练后量化（PTQ）**：模型训练好以后再把权重量化，不需要重新训练。"], seg)
    assert [t[:3] for t in named] == [("奖励模型", "", "RM"), ("训练后量化", "", "PTQ")], named


def test_a_single_other_english_word_beside_a_gloss_is_a_remark(real_kb) -> None:
    """"**5，Kestrel（红隼，Chinese）**": 红隼 glosses the name before the bracket; "Chinese" says its
    language, it is no English name of 红隼. An English name that is the word before it stays."""
    seg = real_kb.segmenter
    named = _named(["**5，Kestrel（红隼，Chinese）**", "Transformer（变换器，Transformer）是一种网络结构。"], seg)
    assert ("红隼", "Chinese") not in [t[:2] for t in named], named
    assert ("变换器", "Transformer") in [t[:2] for t in named], named


def test_a_term_named_many_ways_keeps_the_names_the_notes_repeat(real_kb) -> None:
    """Names around a bracket that take in the sentence's verb (利用大型语言模型（LLM）) are
    many and said once each; the name the notes repeat (大型语言模型) is the alias."""
    seg = real_kb.segmenter
    named = _named(["大语言模型（Large Language Model，LLM）是参数量巨大的语言模型。",
                    "**大语言模型**（LLM）是一种语言模型。", "**大语言模型**（LLM）能写代码。",
                    "**大型语言模型**（LLM）是一种语言模型。", "**大型语言模型**（LLM）的训练目标是最大似然。",
                    "**利用大型语言模型**（LLM）是一种做法。", "**微调大型语言模型**（LLM）是一种方法。"], seg)
    assert [(t[0], t[3]) for t in named] == [("大语言模型", ["大型语言模型"])]


def test_a_step_that_works_on_a_name_of_the_term_is_no_alias(real_kb) -> None:
    """"微调大型语言模型 (LLM) 是让它适应新任务的…办法" opens with a step (微调) on a name of the term:
    it is no other name of LLM, when few names would otherwise all be kept."""
    seg = real_kb.segmenter
    named = _named(["大语言模型（Large Language Model，LLM）是参数量巨大的语言模型。",
                    "**大型语言模型**（LLM）是一种语言模型。",
                    "微调大型语言模型 (LLM) 是让它适应新任务的常用办法。",
                    "**奖励模型**（Reward Model，RM）给回答打分。", "训练一个奖励模型（RM）是第二步。",
                    "**批次大小**（Batch Size）是一次输入模型的样本数。",
                    "**减少批量大小**（Batch Size）是省显存的办法。"], seg)
    assert [(t[0], t[3]) for t in named] == [("大语言模型", ["大型语言模型"]), ("奖励模型", []),
                                            ("批次大小", [])], named


def test_the_last_word_of_a_name_alone_is_no_alias(real_kb) -> None:
    """"模型（LM）" beside "语言模型（Language Model，LM）" names the broader kind; "束搜索" is a
    shorter name of 集束搜索 and stays."""
    seg = real_kb.segmenter
    named = _named(["**语言模型**（Language Model，LM）是词序列的概率分布。", "**模型**（LM）是一种分布。",
                    "**集束搜索**（Beam Search）是一种解码方法。", "**束搜索**（Beam Search）每步保留 k 个候选。"],
                   seg)
    assert [(t[0], t[3]) for t in named] == [("语言模型", []), ("集束搜索", ["束搜索"])], named


def test_a_definition_may_open_with_a_framing_word(real_kb) -> None:
    """"一般来说，LLM 指…" defines LLM as "LLM 指…" would; a sentence that names it on the way
    to something else does not."""
    defined = _defined(["大语言模型（Large Language Model，LLM）开始接替预训练语言模型。",
                        "一般来说，LLM 指参数规模很大、在海量文本上预训练的语言模型。"], real_kb.segmenter)
    assert defined == {"大语言模型": "一般来说，LLM 指参数规模很大、在海量文本上预训练的语言模型。"}


def _defined(raws: list[str], segmenter) -> dict[str, str]:
    """Each term these sentences name → the sentence _Definitions finds for it (or "")."""
    from dataclasses import replace

    from llmkb.extract.glossary import _Definitions, _group, _name, _trusted
    sentences = [replace(_sentence(r), order=i) for i, r in enumerate(raws)]
    terms = [_name(g) for g in _group(_trusted(candidates(sentences, _NoModels(), segmenter), segmenter.words))]
    defs = _Definitions(terms, sentences)
    defs.find()
    return {t.term: (defs.best[i][2].sentence.raw if i in defs.best else "") for i, t in enumerate(terms)}


def test_a_question_a_bare_label_or_a_list_of_pros_defines_nothing(real_kb) -> None:
    """"适配（Adaptation）：怎样…？" asks; "温度系数（Temperature）：" only opens a list or a
    formula; "优势：…" judges something else — none of them says what the term is. A bare label
    whose record goes on with "特点：…" is defined by that line, unless the notes say "X 是…"."""
    seg = real_kb.segmenter
    got = _defined(["适配（Adaptation）：怎样把一个任务交给语言模型来做？",
                    "温度系数（Temperature）：", "$$p_i = e^{z_i / T}$$",
                    "优势（Advantage）是一个动作比平均水平多得的回报。", "优势：实现简单，速度快。",
                    "多智能体协作（Multi-Agent Collaboration）：", "- 特点：几个角色不同的智能体一起完成一个目标。",
                    "张量切分（Tensor Slicing）：", "- 特点：把一层的矩阵按列切到几张卡上。",
                    "张量切分是把一层的权重矩阵分到多张卡上的做法。"], seg)
    assert got["适配"] == "" and got["温度系数"] == ""
    assert got["优势"].startswith("优势（Advantage）是")
    assert got["多智能体协作"] == "- 特点：几个角色不同的智能体一起完成一个目标。"
    assert got["张量切分"].startswith("张量切分是")


def test_a_label_that_leads_into_a_list_or_gives_only_names_defines_nothing(real_kb) -> None:
    """"模型状态（Model States）：包含：" leads into a list; "CoT: Chain-of-Thought" gives only the
    term's names: a later sentence that says what it is defines the term."""
    seg = real_kb.segmenter
    got = _defined(["模型状态（Model States）：包含：", "- 参数、梯度和优化器状态。",
                    "思维链（Chain-of-Thought，CoT）在提示里出现。", "CoT: Chain-of-Thought",
                    "CoT：通过让模型把问题拆成多个步骤，一步一步推出答案。"], seg)
    assert got["模型状态"] == ""
    assert got["思维链"].startswith("CoT：通过让模型")


def test_a_term_named_only_in_a_bare_label_is_no_entry(real_kb) -> None:
    """"Repetition Penalty（重复惩罚）：" spells the term out and says nothing of it: the glossary
    has no entry for it (there is nothing to show), while a term whose bracket sentence says
    something keeps that sentence."""
    from dataclasses import replace

    from llmkb.extract.glossary import build_glossary
    from llmkb.models import Layout
    seg = real_kb.segmenter
    raws = ["Repetition Penalty（重复惩罚）：", "Presence Penalty（存在惩罚）：对出现过的词一视同仁地扣分。"]
    sentences = [replace(_sentence(r), order=i) for i, r in enumerate(raws)]
    terms = {t.term for t in build_glossary(sentences, Layout([]), _NoModels(), seg)}
    assert "存在惩罚" in terms and "重复惩罚" not in terms


def test_a_line_of_names_is_described_by_the_next_sentence_that_names_the_term(real_kb) -> None:
    """"- 统计语言模型（Statistical Language Model, SLM）" gives names; the item under it ("统计语言模型
    使用马尔可夫假设…") says what it does and is shown. A tagged example ("in（介词，Preposition，IN）",
    then "the（限定词，Determiner，DT）") gives names line after line and no entry."""
    from dataclasses import replace

    from llmkb.extract.glossary import build_glossary
    from llmkb.models import Layout
    raws = ["统计语言模型（Statistical Language Model, SLM）",
            "统计语言模型使用马尔可夫假设，根据前几个词预测下一个词。",
            "in（介词，Preposition，IN）", "the（限定词，Determiner，DT）"]
    sentences = [replace(_sentence(r), order=i) for i, r in enumerate(raws)]
    got = {t.term: t.definition.sentence.raw for t in build_glossary(sentences, Layout([]), _NoModels(),
                                                                      real_kb.segmenter)}
    assert got.get("统计语言模型") == raws[1]
    assert "介词" not in got and "限定词" not in got


def test_a_sentence_that_opens_with_a_spelt_out_term_shows_it(real_kb) -> None:
    """Of the sentences that spell a term out, one that opens with it is about it ("**条件随机场**
    （CRF）在整句上…"); one that glosses it on the way to something else ("词性标注常用统计模型，如
    **条件随机场**（Conditional Random Field，CRF）…") is shown only when there is no other."""
    from dataclasses import replace

    from llmkb.extract.glossary import build_glossary
    from llmkb.models import Layout
    raws = ["词性标注常用统计模型，如**条件随机场**（Conditional Random Field，CRF）或者隐层更深的网络。",
            "- **条件随机场**（CRF）在整句上求概率最大的标注序列。",
            "早期的序列模型，如**门控循环单元**（Gated Recurrent Unit，GRU），用门控制信息流。"]
    sentences = [replace(_sentence(r), order=i) for i, r in enumerate(raws)]
    got = {t.term: t.definition.sentence.raw for t in build_glossary(sentences, Layout([]), _NoModels(),
                                                                      real_kb.segmenter)}
    assert got.get("条件随机场") == raws[1]
    assert got.get("门控循环单元") == raws[2]


@pytest.mark.parametrize("raw, defined", [
    ("文本标注常借助统计方法，如最大熵模型（MEM）、条件随机场（Conditional Random Field，CRF）或深层网络。", False),
    ("可以用主成分分析、奇异值分解（Singular Value Decomposition，SVD）等办法压缩词向量。", False),
    ("缓解遗忘的办法不少，例如回放旧数据、加入弹性权重巩固（Elastic Weight Consolidation，EWC）约束。", False),
    ("模型先经过预训练（Pretraining）、指令微调（Instruction Tuning），人类偏好对齐（Preference Alignment，"
     "PA）三步得到。", False),
    ("序列建模常借助神经网络，如循环神经网络（Recurrent Neural Network，RNN）。", False),
    ("早期的序列模型，如**门控循环单元**（Gated Recurrent Unit，GRU），用门控制信息流。", True),
    ("训练时模型常采用**思维链**（Chain-of-Thought，CoT）推理策略，先写出中间步骤。", True),
    # a part of a clause about something else: the object it ends on, a modifier, a place
    ("后来研究者又换了训练目标——**替换词检测**（Replaced Token Detection，RTD），效果更好。", False),
    ("这类模型被视为**通用人工智能**（Artificial General Intelligence，AGI）的重要一步。", False),
    ("这种写法常出现在**领域特定语言**（Domain Specific Language，DSL）中。", False),
    # a clause that names the term or points at it goes on about it
    ("一种名为**思维图**（Graph of Thoughts，GoT）的方法把推理组织成图。", True),
    ("这就是**思维树**（Tree of Thoughts，ToT）的核心思路：每一步展开多个候选。", True),
    ("而**检索增强生成**（Retrieval-Augmented Generation，RAG）先查资料再作答。", True),
])
def test_a_term_spelt_out_as_one_of_a_list_has_no_definition(real_kb, raw: str, defined: bool) -> None:
    """A term spelt out as an example or one item of a list on the way to something else keeps
    its entry (its names, where it is used) without a definition: the sentence says what the
    list is for, not what the term is. Spelt out alone, the sentence goes on about it and is
    shown."""
    from llmkb.extract.glossary import build_glossary
    from llmkb.models import Layout
    sentence = _sentence(raw)
    terms = build_glossary([sentence], Layout([]), _NoModels(), real_kb.segmenter)
    entry = next(t for t in terms if t.abbr in ("CRF", "SVD", "EWC", "PA", "RNN", "GRU", "CoT", "RTD", "AGI",
                                                "DSL", "GoT", "ToT", "RAG"))
    assert (entry.definition is not None) is defined, entry
    assert entry.link == sentence.place


@pytest.mark.parametrize("raw, names", [
    # an abbreviation in mixed case spelt out by its capitals
    ("RoPE（Rotary Position Embedding，旋转位置嵌入）是一种把位置写进旋转角度的编码方式。",
     ("旋转位置嵌入", "Rotary Position Embedding", "RoPE")),
    # "所谓" frames the term; it is no part of its name
    ("所谓数据泄漏（Data Leakage），就是测试集的内容混进了训练语料。", ("数据泄漏", "Data Leakage", "")),
    ("所谓 KV 压缩，就是把缓存的键值用更少的位数存下来。", ("KV 压缩", "", "")),
    ("所谓的模型切分，就是把一个模型的层分给几张卡。", ("模型切分", "", "")),
    ("所谓通信墙简单点说就是算得快、传得慢，算力在等数据。", ("通信墙", "", "")),
    # a Latin name longer than a Chinese one may be
    ("Self-Consistency 是指对同一问题采样多条推理路径再投票的方法。", ("Self-Consistency", "", "")),
    ("recall@k 是指前 k 个结果中命中相关文档的比例。", ("recall@k", "", "")),
    # an item's number before the term; a label whose text says 指…
    ("1）**事实性幻觉**：指输出与世界知识不符，比如编造不存在的论文。", ("事实性幻觉", "", "")),
    ("2）曝光偏差（Exposure Bias）是指训练时看到真实前文、推理时看到自己生成的前文。",
     ("曝光偏差", "Exposure Bias", "")),
    # a clause after a colon that opens with a glossed term and says what it is
    ("更早的说法分两类：源内幻觉（intrinsic hallucination）是与输入直接矛盾的内容。",
     ("源内幻觉", "intrinsic hallucination", "")),
    ("前一类与输入直接矛盾；源外幻觉（extrinsic hallucination）是无法从输入中验证的内容。",
     ("源外幻觉", "extrinsic hallucination", "")),
    # the bold closes before the English name's bracket
    ("- **梯度检查点**（Gradient Checkpointing）：只存一部分激活，反向时把其余的重算出来。",
     ("梯度检查点", "Gradient Checkpointing", "")),
    # a term introduced inside the sentence (after 是 or 叫), glossed, then said what it is
    ("重排一般交给交叉编码器，也就是说排序模型是双塔编码器（Bi-Encoder）：查询和文档各算各的向量。",
     ("双塔编码器", "Bi-Encoder", "")),
    ("这里有个概念叫访存比（memory ratio），指每做一次运算要读多少字节。", ("访存比", "memory ratio", "")),
    # a Chinese name with a Latin word inside
    ("- TPOT（Time Per Output Token，每 token 耗时）：生成阶段平均每吐出一个词元花的时间。",
     ("每 token 耗时", "Time Per Output Token", "TPOT")),
    # an English name whose words + or & joins
    ("ReAct（Reasoning + Acting）是一种让模型交替写出思考和行动的提示范式。",
     ("ReAct", "Reasoning + Acting", "ReAct")),
    ("**检索与重排**（Retrieval & Reranking）：先召回一批文档，再用更准的模型排序。",
     ("检索与重排", "Retrieval & Reranking", "")),
    # what was described, named at the end
    ("统计语言模型只看前几个词：假设一个词只和它前面的几个词有关，这就是马尔可夫假设。", ("马尔可夫假设", "", "")),
    ("讲这个之前先看依据，依据是分布假说（Distributional Hypothesis），即词义由上下文决定。",
     ("分布假说", "Distributional Hypothesis", "")),
])
def test_ways_notes_name_and_define_a_term(real_kb, raw: str, names: tuple[str, str, str]) -> None:
    from llmkb.extract.glossary import build_glossary
    from llmkb.models import Layout
    terms = build_glossary([_sentence(raw)], Layout([]), _NoModels(), real_kb.segmenter)
    assert [(t.term, t.english, t.abbr) for t in terms] == [names], [(t.term, t.english, t.abbr) for t in terms]
    assert terms[0].definition is not None and terms[0].definition.sentence.raw == raw


@pytest.mark.parametrize("raw", ["后者是指训练时没见过的输入分布，比如小语种。",
                                 "前者指的是模型在训练集上表现好、测试集上差。"])
def test_a_pronoun_is_no_term(real_kb, raw: str) -> None:
    """"后者是指…" says what the thing named before is; 后者 is no term of its own."""
    from llmkb.extract.glossary import build_glossary
    from llmkb.models import Layout
    assert build_glossary([_sentence(raw)], Layout([]), _NoModels(), real_kb.segmenter) == []


def test_a_bracket_that_says_how_the_note_will_call_it_names_no_alias(real_kb) -> None:
    """"Critic Model（以下简称 Cri 模型）": how the note shortens the name, no other name of it."""
    named = _named(["**评论家模型**（Critic Model）用来估计每一步的价值。",
                    "Critic Model（以下简称 Cri 模型）和策略模型一起训练。"], real_kb.segmenter)
    assert all("以下" not in a for t in named for a in t[3]), named


def test_the_verb_before_a_term_is_no_part_of_it(real_kb) -> None:
    """"再配合连续批处理（Continuous Batching）：…": 配合 joins what comes before; the term starts after."""
    named = _named(["再配合连续批处理（Continuous Batching）：一个请求结束就把空位让给排队的新请求。"],
                   real_kb.segmenter)
    assert not any("配合" in t[0] for t in named), named


def test_a_relation_is_no_part_of_a_term(real_kb) -> None:
    """"加速比取决于接受率（acceptance rate）": 取决于 relates two things; no term holds it."""
    named = _named(["加速比取决于接受率（acceptance rate），即草稿被接受的比例。"], real_kb.segmenter)
    assert not any("取决于" in t[0] for t in named), named


def test_a_name_given_by_jiao_starts_after_it(real_kb) -> None:
    """"…提了个办法，叫分组查询注意力（…，GQA）": 叫 gives the bracketed name and is no part of it."""
    named = _named(["于是有人提了个办法，叫分组查询注意力（Grouped-Query Attention，GQA）。"], real_kb.segmenter)
    assert [t[:3] for t in named] == [("分组查询注意力", "Grouped-Query Attention", "GQA")]


def test_a_label_inside_a_clause_defines_nothing(real_kb) -> None:
    """"优点：处理生僻词（Out-of-Vocabulary，OOV）：字粒度能覆盖任意字符串": a list's label after
    another label, not a term that the clause says what it is."""
    from llmkb.extract.glossary import build_glossary
    from llmkb.models import Layout
    raw = "优点：处理生僻词（Out-of-Vocabulary，OOV）：字粒度能覆盖任意字符串。"
    terms = build_glossary([_sentence(raw)], Layout([]), _NoModels(), real_kb.segmenter)
    assert all(t.definition is None for t in terms), [(t.term, t.definition) for t in terms]


def test_an_english_name_written_in_lower_case_is_no_alias(real_kb) -> None:
    """"beam search 是指…" beside "集束搜索（Beam Search）": one English name, no alias."""
    from dataclasses import replace

    from llmkb.extract.glossary import build_glossary
    from llmkb.models import Layout
    raws = ["**集束搜索**（Beam Search）每一步保留几条得分最高的候选。",
            "beam search 是指每一步只保留得分最高的几条候选序列的解码方法。",
            "beam search 是指一种折中于贪心和穷举之间的搜索。"]
    sentences = [replace(_sentence(r), order=i) for i, r in enumerate(raws)]
    terms = build_glossary(sentences, Layout([]), _NoModels(), real_kb.segmenter)
    entry = next(t for t in terms if t.english == "Beam Search")
    assert entry.aliases == [], entry.aliases


def test_a_definition_label_leads_into_the_term_it_defines(real_kb) -> None:
    """"**定义：** 方向性提示（DSP）是指…" and "概念：流水线切分是指…": the label only says a
    definition follows; the sentence defines the term after it, over a plainer "X 是…"."""
    seg = real_kb.segmenter
    got = _defined(["**定义：** 方向性提示（Directional Prompt，DSP）是指在输入里额外放一个关键词暗示。",
                    "流水线切分（Pipeline Slicing）是在各层之间切。",
                    "**概念**：流水线切分是指把模型的不同层分到不同的卡上依次计算。"], seg)
    assert got["方向性提示"].startswith("**定义：** 方向性提示")
    assert got["流水线切分"].startswith("**概念**：流水线切分是指")


def test_the_opening_of_a_section_titled_by_a_term_skips_questions_and_lead_ins() -> None:
    """In the section "旋转位置编码", "RoPE 的代码实现如下所示：" leads into code and "为什么用
    RoPE？" asks: the first sentence that says something of the term is shown."""
    from dataclasses import replace

    from llmkb.extract.glossary import _opening
    from llmkb.models import Evidence
    raws = ["RoPE 的代码实现如下所示：", "为什么用 RoPE？", "RoPE 用旋转矩阵给查询和键加上位置。"]
    sentences = [replace(_sentence(r), order=i) for i, r in enumerate(raws)]
    place = sentences[0].place
    term = Term("旋转位置编码", "", "RoPE", [], Evidence(sentences[0], 0, 1), None, place)
    found = _opening(place, {place: sentences}, term)
    assert found is not None and found.sentence.raw == raws[2]


def test_a_section_of_questions_and_an_example_defines_nothing() -> None:
    """Under "输入是什么？" a checklist asks questions, one with an example ("例如，在多轮对话中，用户的
    下一条输入…"): the example names 输入 but says nothing of what it is, so there is no opening."""
    from dataclasses import replace

    from llmkb.extract.glossary import _opening
    from llmkb.models import Evidence
    raws = ["提示词从何而来？", "输入是否需要适配模型？",
            "例如，在多轮对话中，用户的下一条输入依赖于模型的上一条回复。", "- 比如输入里有一张图片。"]
    sentences = [replace(_sentence(r), order=i) for i, r in enumerate(raws)]
    place = sentences[0].place
    term = Term("输入", "", "", [], Evidence(sentences[0], 0, 1), None, place)
    assert _opening(place, {place: sentences}, term) is None


def test_an_abbreviation_named_in_chinese_and_a_colon_inside_the_bracket(real_kb) -> None:
    """"MRR 是平均倒数排名，…" names the abbreviation's term; "**碳强度（Carbon intensity:）**：…"
    is the label form with the colon typed inside the bracket; "PPL 是一种…指标" defines the
    abbreviation itself (no note spells it out here). "GPT 是一种模型" and "XYZ 是这个指标"
    name no term."""
    seg = real_kb.segmenter
    got = _defined(["MRR 是平均倒数排名，它只看第一个相关结果排在第几。",
                    "**碳排放因子（Emission factor:）**：每千瓦时电力排放的二氧化碳量。",
                    "PPL 是一种评价语言模型的指标。", "XYZ 是这个指标的简称。",
                    "KV，即键值，是注意力里缓存下来的两组向量。"], seg)
    assert got == {"平均倒数排名": "MRR 是平均倒数排名，它只看第一个相关结果排在第几。",
                   "碳排放因子": "**碳排放因子（Emission factor:）**：每千瓦时电力排放的二氧化碳量。",
                   "PPL": "PPL 是一种评价语言模型的指标。",
                   "键值": "KV，即键值，是注意力里缓存下来的两组向量。"}, got


def test_a_term_followed_by_zhi_is_defined_but_not_by_zhichu(real_kb) -> None:
    """"分层切分指把网络切成几段…" defines its term as "…是指" does; "研究者指出…" points out,
    "不要在微调阶段指望…" advises, and
    "涌现能力是指…" is about 涌现能力, not "涌现能力是"."""
    got = _defined(["分层切分指把网络切成几段，每段放在一张卡上。", "研究者指出，数据越多越好。",
                    "不要在微调阶段指望补能力。",
                    "涌现能力是指小模型没有、大模型才有的能力。", "轻量模型通常指参数较少、层数较浅的模型。"],
                   real_kb.segmenter)
    assert got == {"分层切分": "分层切分指把网络切成几段，每段放在一张卡上。",
                   "涌现能力": "涌现能力是指小模型没有、大模型才有的能力。",
                   "轻量模型": "轻量模型通常指参数较少、层数较浅的模型。"}, got  # 通常 is no part of it


def test_shapes_of_other_notes_name_no_false_term(real_kb) -> None:
    """An example label ("示例：我 爱 吃 [MASK] 果") defines nothing; a conjunction before the term
    ("而分页（Paging）是…") is not part of it; "PP 是按层拆分模型" says what PP does, not its name; and
    an abbreviation asked about in capitals ("COT 是什么") is the term spelt out as CoT."""
    seg = real_kb.segmenter
    got = _defined(["示例：我 爱 吃 [MASK] 果", "示例（Exemplars）：我 爱 吃 [MASK] 果",
                    "而分段（Segmentation）是操作系统的一种内存管理技术。",
                    "PP 是按层拆分模型，因此每张卡只放几层。"], seg)
    assert got.get("示例", "") == "" and "而分段" not in got and "按层拆分模型" not in got, got
    # a preposition or a verb of doing opens a phrase, not a term
    got = _defined(["我们问：“关于北大西洋翻转环流（NAOC），人们担忧什么？”",
                    "创建摘要节点（SummaryNode）：对每个工作表都建一个节点。"], seg)
    assert not any(t.startswith(("关于", "创建")) for t in got), got
    named = _named(["思维链（Chain-of-Thought，CoT）是一种提示方法。", "# COT 是什么？"], seg)
    assert [t[:3] for t in named] == [("思维链", "Chain-of-Thought", "CoT")], named


def test_a_label_followed_by_a_prompt_shows_the_technique_and_defines_nothing(real_kb) -> None:
    """"Zero-shot：请你判断…" is what one types under that technique, not what it is: the
    sentence that says what it is defines it, and a term with only a prompt after its label
    has no definition."""
    got = _defined(["零样本（Zero-shot）：请你判断这句话的情感是正向还是负向。",
                    "零样本（Zero-shot）是不给任何示例、直接让模型完成任务的做法。",
                    "思维链提示（CoT prompting）：“让我们一步步思考。”"], real_kb.segmenter)
    assert got == {"零样本": "零样本（Zero-shot）是不给任何示例、直接让模型完成任务的做法。",
                   "思维链提示": ""}, got


def test_a_sentence_that_names_what_it_describes_defines_that_term(real_kb) -> None:
    """"我们把这种方法叫作贪心搜索（greedy search），因为它只往后看一个词": the naming verb marks
    where the term starts and the sentence defines it, more weakly than "X 是…"; a naming with
    nothing said besides the name ("这种做法称为权重绑定（weight tying）。") defines nothing."""
    seg = real_kb.segmenter
    got = _defined(["我们把这种方法叫作贪心搜索（greedy search），因为它每一步只挑概率最大的词。",
                    "上面这种方法称作集束搜索（beam search），简单来说就是每一步多看几个候选。",
                    "集束搜索是一种每一步保留 k 个候选序列的解码方法。",
                    "这种做法称为权重绑定（weight tying）。"], seg)
    assert got == {"贪心搜索": "我们把这种方法叫作贪心搜索（greedy search），因为它每一步只挑概率最大的词。",
                   "集束搜索": "集束搜索是一种每一步保留 k 个候选序列的解码方法。",
                   "权重绑定": ""}, got


def test_an_abbreviation_spelt_out_in_english_is_a_term(real_kb) -> None:
    """"MMLU（Massive Multitask Language Understanding）：…" is a term named by its abbreviation;
    "MRR（Mean Reciprocal Rank）" joins the term "MRR 是平均倒数排名" names. A bracket whose
    initials do not make the word (Adam（Adaptive Moment Estimation）, XYZ（Some Other Words））
    and a Chinese name before the abbreviation (连续词袋模型 CBOW（…）) are other cases."""
    seg = real_kb.segmenter
    named = _named(["MMLU（Massive Multitask Language Understanding）：一个覆盖 57 个学科的选择题评测集。",
                    "MRR（Mean Reciprocal Rank）", "MRR 是平均倒数排名，只看第一个相关结果的位置。",
                    "Adam（Adaptive Moment Estimation）是常用的优化器。", "XYZ（Some Other Words）很常见。",
                    "连续词袋模型 CBOW（Continuous Bag of Words）根据上下文预测中心词。"], seg)
    assert [t[:3] for t in named] == [
        ("MMLU", "Massive Multitask Language Understanding", "MMLU"),
        ("平均倒数排名", "Mean Reciprocal Rank", "MRR")], named  # no "CBOW" of its own
    got = _defined(["MMLU（Massive Multitask Language Understanding）：一个覆盖 57 个学科的选择题评测集。"], seg)
    assert got == {"MMLU": "MMLU（Massive Multitask Language Understanding）：一个覆盖 57 个学科的选择题评测集。"}


def test_an_abbreviation_spelt_out_with_an_abbreviation_or_in_camel_case_is_a_term(real_kb) -> None:
    """"QDoRA（Quantized DoRA）" keeps the abbreviation it is made from whole; "TF19（TensorFloat19）"
    is spelt by the parts of one word in camel case. "XQ（Other Thing）" is spelt by neither."""
    seg = real_kb.segmenter
    named = _named(["QDoRA（Quantized DoRA）是一种先把底座量化再训练适配器的方法。",
                    "TF19（TensorFloat19）是一种 19 位的浮点格式。",
                    "XQ（Other Thing）很常见。"], seg)
    assert [t[:3] for t in named] == [("QDoRA", "Quantized DoRA", "QDoRA"), ("TF19", "TensorFloat19", "TF19")], named


def test_english_that_its_bracketed_abbreviation_spells_is_a_term_where_the_sentence_defines_it(real_kb) -> None:
    """"Direct Preference Optimization（DPO）是一种…": the English before the bracket is spelt out
    by the abbreviation in it — a term named by the abbreviation, defined by the sentence. Only
    where the sentence defines it: an abbreviation in brackets after a name in passing is often
    a reminder of something else."""
    seg = real_kb.segmenter
    defining = "Direct Preference Optimization（DPO）是一种不需要单独奖励模型、直接用偏好数据优化策略的对齐方法。"
    assert [t[:3] for t in _named([defining], seg)] == [("DPO", "Direct Preference Optimization", "DPO")]
    assert _defined([defining], seg) == {"DPO": defining}
    passing = "论文里比较了 Direct Preference Optimization（DPO）和其他几种做法。"
    assert _named([passing], seg) == []


def test_remarks_pronouns_and_links_name_and_define_nothing(real_kb) -> None:
    """"旋转位置编码（RoPE，主流）" remarks on the term before the bracket; "它通常指…" opens with a
    pronoun, "极其吃内存（RAM）" with a word of degree, "right padding（用于训练）" says what it is
    for; "RLHF：https://…" points at a page and defines nothing."""
    seg = real_kb.segmenter
    named = _named(["旋转位置编码（RoPE，主流）：给查询和键乘上随位置旋转的矩阵。",
                    "它通常指的是把现象转换成数字。", "HNSW 的痛点是极其吃内存（RAM）。",
                    "训练时用 right padding（用于训练），推理时用 left padding。",
                    "人类反馈强化学习（RLHF）：https://example.com/rlhf",
                    "两者之间的 KL（可简单理解为差异）越大，分数越低。",
                    "既看一步，也看两步、三步……直到看完整局（MC，准确）。"], seg)
    assert [t[:3] for t in named] == [("人类反馈强化学习", "", "RLHF"), ("旋转位置编码", "", "RoPE")], named
    got = _defined(["人类反馈强化学习（RLHF）：https://example.com/rlhf", "权重衰减（Weight Decay）：0.01 到 0.1"], seg)
    assert got == {"人类反馈强化学习": "", "权重衰减": ""}, got  # a link, a value: no definition


def test_a_number_format_or_a_figure_of_speech_in_a_bracket_names_nothing(real_kb) -> None:
    """"模型参数（FP16）" and "梯度（FP16）" give the format they are kept in, not a shared name (the
    two stay two terms); "LLM（大脑）" is a figure of speech where the notes spell LLM out as
    大型语言模型."""
    seg = real_kb.segmenter
    named = _named(["模型参数（Parameters）：模型本身的权重。", "梯度（Gradients）：反向传播算出的梯度。",
                    "模型参数（FP16）：每个参数 2 字节。", "梯度（FP16）：每个参数 2 字节。",
                    "大型语言模型（Large Language Models，LLMs）是一类语言模型。",
                    "它们都是为了连接 LLM（大脑）和 Tools（手脚）。"], seg)
    assert [t[:3] for t in named] == [("大型语言模型", "Large Language Models", "LLMs"),
                                      ("梯度", "Gradients", ""), ("模型参数", "Parameters", "")], named
    # LLM, the subject of every note, is spelt out as 大语言模型 even where no note says so.
    assert _named(["Agent = LLM（大脑）+ 规划 + 记忆 + 工具使用。"], seg) == []
    assert [t[:3] for t in _named(["LLM（大模型）是参数量很大的语言模型。"], seg)] == [("大模型", "", "LLM")]


def test_a_remark_or_an_explaining_clause_after_a_latin_name_names_nothing(real_kb) -> None:
    """"FFN（可选）" remarks on the layer and "LLM-as-a-judge（让另一个大模型打分）" explains the
    practice with a clause: neither bracket is a Chinese name; "Beam Search（集束搜索）" is one."""
    named = _named(["每一层由注意力和 FFN（可选）组成。", "评测时常用 LLM-as-a-judge（让另一个大模型打分）。",
                    "解码时可以用 Beam Search（集束搜索）保留多个候选。"], real_kb.segmenter)
    assert [t[:2] for t in named] == [("集束搜索", "Beam Search")], named


def test_a_bold_phrase_gives_a_term_only_when_it_starts_with_it(real_kb) -> None:
    """Bold around a term and its bracket marks the term ("**模型裁剪（Model Pruning）：**", also when
    the mark closes inside the bracket as "**剪枝（Pruning**）"); bold around a phrase gives the
    term it starts with ("称为**动量（Momentum）的技术**"), and none when the term is inside it
    ("ZeRO **仅对优化器状态（Optimizer States）进行分片**": not a term "仅对优化器状态")."""
    terms = [t[0] for t in _named([
        "**模型裁剪（Model Pruning）：**", "**剪枝（Pruning**）是指去掉不重要的权重。",
        "有研究者提出了一种称为**动量（Momentum）的技术**，用来加速收敛。",
        "在这一阶段，ZeRO **仅对优化器状态（Optimizer States）进行分片**，参数仍完整保存。"], real_kb.segmenter)]
    assert {"模型裁剪", "剪枝", "动量"} <= set(terms) and not any("仅对" in t for t in terms), terms


def test_two_chinese_names_that_start_alike_with_one_abbreviation_are_one_term(real_kb) -> None:
    """"掩码语言建模（MLM）" and "掩码语言模型（Masked Language Modeling，MLM）" are one term written two
    ways; "置换语言模型（PLM）" and "预训练语言模型（…，PLM）" share only their ending."""
    seg = real_kb.segmenter
    one = _named(["**掩码语言模型（Masked Language Modeling，MLM）**：随机遮住一些词，让模型预测。",
                  "**掩码语言建模（MLM）**：在输入中随机遮住一部分词。"], seg)
    assert [t[2] for t in one] == ["MLM"], one
    two = _named(["预训练语言模型（Pre-trained Language Model，PLM）是一种语言模型。",
                  "**置换语言模型（PLM）**：打乱词序来预测。"], seg)
    assert len(two) == 2, two


def test_a_link_to_the_paper_under_a_term_s_heading_is_no_definition() -> None:
    """In the section "涌现能力", "🔗 文章：Emergent Abilities of Large Language Models (arxiv.org)" only
    points at the paper: the first sentence that names the term is shown."""
    from dataclasses import replace

    from llmkb.extract.glossary import _opening
    from llmkb.models import Evidence
    raws = ["🔗 文章：Emergent Abilities of Large Language Models (2022.10) (arxiv.org)",
            "当模型规模跨过某个门槛，涌现能力就会突然出现。"]
    sentences = [replace(_sentence(r), order=i) for i, r in enumerate(raws)]
    place = sentences[0].place
    term = Term("涌现能力", "Emergent Abilities", "", [], Evidence(sentences[0], 0, 1), None, place)
    found = _opening(place, {place: sentences}, term)
    assert found is not None and found.sentence.raw == raws[1]


def test_a_single_letter_is_a_symbol_not_a_term(real_kb) -> None:
    """"W 指的是当前层的权重" explains a formula's symbol; "Dropout 指的是…" defines a term."""
    seg = real_kb.segmenter
    got = _defined(["W 指的是当前层的权重，形状为 [m, n]。", "Dropout 指的是训练时随机丢弃一部分神经元的做法。"], seg)
    assert "W" not in got and got.get("Dropout", "").startswith("Dropout 指的是"), got


def test_a_heading_with_no_text_of_its_own_that_titles_its_subsections_names_the_term(tmp_path: Path) -> None:
    """"## 采样解码（Sampling Decoding）" over "### 原理说明" and "### 优缺点": the page shows the
    subsections' text under the outer heading; that heading names the term, and the text under
    it defines it."""
    from conftest import kb_of_notes
    kb = kb_of_notes(tmp_path, d="# 解码策略\n\n## 贪心解码（Greedy Decoding）\n\n贪心解码每一步都选择概率最大的词。"
                     "\n\n## 采样解码（Sampling Decoding）\n\n### 原理说明\n\n采样解码不是选择概率最大的词，"
                     "而是按照模型的概率分布随机采样下一个词。\n\n### 优缺点\n\n生成的文本更多样，但也更不稳定。\n")
    terms = {t.term: t for t in kb.extraction.glossary}
    assert "采样解码" in terms, sorted(terms)
    assert terms["采样解码"].english == "Sampling Decoding"
    assert terms["采样解码"].definition.sentence.text.startswith("采样解码不是选择概率最大的词")


@pytest.mark.parametrize("raw, term", [
    # the name after the naming verb: marked, or the whole rest of its clause
    ("到那时我们很可能陷入缺少训练数据的地步，这被作者称为**数据危机**。", "数据危机"),
    ("从一个已有的检查点出发继续训练少量步数得到新结构的模型，这个过程也被称为 Uptraining。", "Uptraining"),
    ("新用户没有任何历史记录时系统不知道该推荐什么（一般被业界称为冷启动问题）。", "冷启动问题"),
    ("把模型的不同层放到不同的设备上以降低单卡显存，也被称为层间模型并行。", "层间模型并行"),
    # no name: a word of the language, two things, a phrase that goes on, a name of a field,
    # too little said besides the name, a question
    ("教师模型的知识要传给一个更小的模型（称为学生）。", ""),
    ("两路注意力在论文里分别被称为查询流和内容流。", ""),
    ("这种做法被称为预训练的第二阶段，用来补充知识。", ""),
    ("返回结果里表示距离的那一列的数据名称为 score。", ""),
    ("这也称为数据危机。", ""),
    ("为什么这种方法被称为知识蒸馏？", ""),
])
def test_a_sentence_that_names_what_it_describes_gives_the_name(raw: str, term: str, real_kb) -> None:
    """"…，这被作者称为**tokens 危机**": what a sentence describes and then names is a term, and
    the sentence defines it; a naming that gives no one name (or says nothing else) gives none."""
    got = _defined([raw], real_kb.segmenter)
    if term:
        assert got.get(term) == raw, got
    else:
        assert not any(v == raw for v in got.values()), got


@pytest.mark.parametrize("heading, opening, defined", [
    ("朴素流水线并行", "朴素流水线并行是实现流水线并行训练的最直接的方法。", True),
    ("文本分块", "文本分块是将长文本切分成小片段的过程，比如把文章切成段落。", True),
    ("GRPO", "GRPO 是一种不需要价值模型的策略优化算法。", True),
    # a Latin name said to be something without saying what kind: often a company, a model, a tool
    ("Clearview AI", "Clearview AI 是一家成立于 2017 年的公司。", False),
    ("spanBERT", "spanBERT 是对 BERT 做了几处简单修正后重新训练的版本。", False),
    # a phrase, a question, a model, an opening about something else
    ("模型的训练", "模型的训练是一个耗时很长的过程。", False),
    ("朴素流水线并行", "朴素流水线并行是不是最慢的一种流水线？", False),
    ("Qwen", "Qwen 是一种由阿里云训练的大语言模型。", False),
    ("文本分块", "切分长文本的方法有很多种。", False),
])
def test_a_section_titled_by_a_name_that_opens_by_saying_what_it_is_names_a_term(
        heading: str, opening: str, defined: bool, real_kb) -> None:
    """"## 朴素流水线并行" over "朴素流水线并行是实现…最直接的方法。": the title makes the name a subject,
    the opening defines it (rule titled-defined)."""
    from dataclasses import replace

    from llmkb.extract.glossary import _Definitions, _group, _name, _trusted
    sentences = [replace(_sentence(heading), heading=True, order=0), replace(_sentence(opening), order=1)]
    seg = real_kb.segmenter
    terms = [_name(g) for g in _group(_trusted(candidates(sentences, _NoModels(), seg), seg.words))]
    defs = _Definitions(terms, sentences)
    defs.find()
    got = {t.term: defs.best[i][2].sentence.raw for i, t in enumerate(terms) if i in defs.best}
    assert (got.get(heading) == opening) is defined, got


def test_an_item_about_its_label_that_mentions_a_term_defines_nothing(tmp_path: Path) -> None:
    """"缺点：数据清洗难度大，Context Length（上下文长度）容易超标" is an item about its label (缺点) that
    mentions the term on the way: no definition, so no entry; a sentence that glosses a term
    on the way without such a label still shows it when nothing better does."""
    from conftest import kb_of_notes
    kb = kb_of_notes(tmp_path, d="# 数据格式笔记\n\n## 多轮对话格式\n\n缺点：数据清洗难度大，"
                     "Context Length（上下文长度）容易超标。\n\n## 语言模型\n\n"
                     "神经语言模型使用神经网络建模文本，如循环神经网络（Recurrent Neural Networks，RNN）。\n")
    terms = {t.term for t in kb.extraction.glossary}
    assert "上下文长度" not in terms and "循环神经网络" in terms, terms


@pytest.mark.parametrize("raws, shown", [
    (["学习目标：理解涌现能力的原理，完成课后作业。", "当模型规模跨过某个门槛，涌现能力就会突然出现。"], 1),
    (["**定义**：在涌现能力出现之前，模型的表现接近随机。", "当模型规模跨过某个门槛，涌现能力就会突然出现。"], 0),
])
def test_a_sentence_under_a_label_of_its_own_does_not_open_a_term_s_section(raws: list[str], shown: int) -> None:
    """In the section titled 涌现能力, "学习目标：理解涌现能力的原理…" is about its label; a "定义：" label
    says a definition follows."""
    from dataclasses import replace

    from llmkb.extract.glossary import _opening
    from llmkb.models import Evidence
    sentences = [replace(_sentence(r), order=i) for i, r in enumerate(raws)]
    place = sentences[0].place
    term = Term("涌现能力", "Emergent Abilities", "", [], Evidence(sentences[0], 0, 1), None, place)
    found = _opening(place, {place: sentences}, term)
    assert found is not None and found.sentence.raw == raws[shown]


def test_a_term_defined_as_another_term_is_its_alias(tmp_path: Path) -> None:
    """"小模型一般指小语言模型（SLM），…" says 小模型 is 小语言模型: one entry with 小模型 among its
    names. "蒸馏模型是指小语言模型的一种…" says more than the name and stays an entry of its own."""
    from llmkb.diagnostics import Reporter
    from llmkb.pipeline import Settings, build_kb

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text(
        "# 小模型\n\n## 定义\n\n小语言模型（Small Language Model，SLM）是参数量在十亿以下、"
        "可以在手机上运行的语言模型。\n\n"
        "## 面试题\n\n所谓小模型，一般指小语言模型（SLM），参数少、推理快。\n\n"
        "**蒸馏模型**是指小语言模型的一种，它从大模型的输出里学习。\n", encoding="utf-8")
    glossary = build_kb(Settings(notes_dir=notes, project_root=tmp_path), Reporter()).extraction.glossary
    names = {t.term: t.aliases for t in glossary}
    assert "小模型" not in names and "小模型" in names.get("小语言模型", []), names
    assert "蒸馏模型" in names, names


def test_a_table_of_terms_defines_each_row_s_term(tmp_path: Path) -> None:
    """"| 术语 | 英文 | 解释 |": each row names a term, its English name (and abbreviation, in a
    column of its own) and says what it is — an entry, defined by its row. A table of labels
    and their meanings (| 标签 | 含义 |) and a table of models are no tables of terms."""
    from conftest import kb_of_notes

    note = ("# 术语速查\n\n## 基础概念\n\n"
            "| 术语 | 英文 | 缩写 | 解释 |\n|---|---|---|---|\n"
            "| 词元 | Token | — | 模型处理文本的最小单位，可以是一个字、一个词或一个子词片段 |\n"
            "| 困惑度 | Perplexity | PPL | 衡量语言模型预测能力的指标，越低越好 |\n"
            "| 基座模型 | Base Model | | 只经过预训练、没有经过指令微调的模型 |\n\n"
            "## 词性标注\n\n| 标签 | 含义 |\n|---|---|\n| n | 名词 |\n| v | 动词 |\n\n"
            "## 模型一览\n\n| 模型 | 说明 |\n|---|---|\n| 青鸟-7B | 一个开源的对话大模型 |\n")
    glossary = kb_of_notes(tmp_path, terms=note).extraction.glossary
    got = {t.term: (t.english, t.abbr, t.definition.sentence.text if t.definition else "") for t in glossary}
    assert got == {
        "词元": ("Token", "", "词元（Token）：模型处理文本的最小单位，可以是一个字、一个词或一个子词片段"),
        "困惑度": ("Perplexity", "PPL", "困惑度（Perplexity，PPL）：衡量语言模型预测能力的指标，越低越好"),
        "基座模型": ("Base Model", "", "基座模型（Base Model）：只经过预训练、没有经过指令微调的模型"),
    }, got


def test_a_table_of_questions_defines_what_it_asks_about(tmp_path: Path) -> None:
    """"| 问题 | 回答 |": the answer to "什么是 X？" or "X 是什么？" is read as the prose it is, and
    its first sentence defines X as a paragraph would, or as a row of a table of terms does when it
    does not name X itself ("| NestRAG 是什么？ | 鹭鸶实验室提出的方案：…|"); an answer to any other
    question ("重排用什么？") names no term, whatever it has in brackets."""
    from conftest import kb_of_notes

    note = ("# 检索增强问答\n\n## 检索\n\n| 问题 | 回答 |\n|---|---|\n"
            "| 什么是混合检索？ | 混合检索（Hybrid Search）指同时使用关键词检索和向量检索，再把两路结果融合。 |\n"
            "| 召回率是什么？ | 召回率（Recall）是相关文档中被检索出来的比例。越高越好。 |\n"
            "| NestRAG 是什么？ | 鹭鸶实验室提出的方案：先从文档中抽取实体和关系构建图谱，再按图检索。 |\n"
            "| 什么是 embedding 模型？ | 向量模型（Embedding Model）是把文本编码成稠密向量的模型。 |\n"
            "| 重排用什么？ | 常用 kestrel-reranker（鹭鸶智能）这类模型。 |\n")
    glossary = kb_of_notes(tmp_path, terms=note).extraction.glossary
    got = {t.term: (t.english, t.definition.sentence.text if t.definition else "") for t in glossary}
    assert got == {
        "混合检索": ("Hybrid Search", "混合检索（Hybrid Search）指同时使用关键词检索和向量检索，再把两路结果融合。"),
        "召回率": ("Recall", "召回率（Recall）是相关文档中被检索出来的比例。"),
        "NestRAG": ("", "NestRAG：鹭鸶实验室提出的方案：先从文档中抽取实体和关系构建图谱，再按图检索。"),
        "向量模型": ("Embedding Model", "向量模型（Embedding Model）是把文本编码成稠密向量的模型。"),
    }, got


def test_a_definition_may_say_where_it_holds(real_kb) -> None:
    """"智能体（Agent）在这里指以大模型为核心…的系统": a definition for the text at hand ("在这里",
    "在本文中") still defines the term; "智能体（Agent）在这里调用了搜索工具" says what it does."""
    seg = real_kb.segmenter
    defining = "智能体（Agent）在这里指以大模型为核心、能够自主规划任务并调用外部工具的系统。"
    assert [t[:2] for t in _named([defining], seg)] == [("智能体", "Agent")]
    assert _defined([defining], seg) == {"智能体": defining}
    assert not _defined(["智能体（Agent）在这里调用了搜索工具，再把结果交给模型。"], seg).get("智能体")
