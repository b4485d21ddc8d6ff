"""Structure: section trees with line ranges, heading styles, sanitizing, attribution."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import NOTES, ROOT
from llmkb.diagnostics import Reporter
from llmkb.ingest.boilerplate import find_boilerplate, load_rules
from llmkb.ingest.decode import decode_note
from llmkb.models import NoteDoc, NoteText
from llmkb.structure import build_note
from llmkb.structure.headings import clean_title


@pytest.fixture(scope="module")
def notes(real_docs, real_reporter) -> tuple[dict[str, NoteDoc], Reporter]:
    return real_docs, real_reporter


def tree(section) -> list:
    return [(c.title, tree(c)) if c.children else c.title for c in section.children]


def build_text(tmp_path: Path, text: str, name: str = "n.md") -> tuple[NoteDoc, Reporter]:
    notes = tmp_path / "notes"
    notes.mkdir(exist_ok=True)
    path = notes / name
    path.write_text(text, encoding="utf-8")
    decoded = decode_note(path.read_bytes())
    lines = decoded.text.split("\n")
    nonblank = frozenset(i + 1 for i, line in enumerate(lines) if line.strip())
    for hit in find_boilerplate(lines, load_rules()).hits:
        for i in range(hit.start - 1, hit.end):
            lines[i] = ""
    note = NoteText(f"notes/{name}", name, lines, nonblank, decoded.encoding)
    reporter = Reporter()
    return build_note(note, path, notes, reporter), reporter


def test_plain_text_note_has_numbered_line_headings(notes) -> None:
    doc = notes[0]["004"]
    assert tree(doc.root) == [
        "LLM 的定义",
        ("LLM 的能力", ["涌现能力（Emergent Abilities）", "上下文学习（In-context Learning）",
                     "指令遵循（Instruction Following）", "逐步推理（Step by Step Reasoning）"]),
        ("LLM 的特点", ["多语言支持", "长文本处理", "拓展多模态", "挥之不去的幻觉"]),
    ]
    emergent = doc.root.children[1].children[0]
    assert emergent.heading.english == "Emergent Abilities"
    assert emergent.heading.style == "numbered:paren-arabic"
    assert emergent.level == 2


def test_bold_lines_become_sections(notes) -> None:
    doc = notes[0]["003"]
    paradigm = doc.root.children[0]
    assert paradigm.title == "NLP 研究范式的转换"
    first, second = paradigm.children[0], paradigm.children[1]
    assert [c.title for c in first.children] == ["中间任务的消亡", "不同研究方向技术路线的统一"]
    assert all(c.heading.style == "bold" for c in first.children)
    assert "让 LLM 适配人的新型交互接口" in [c.title for c in second.children]


def test_levels_follow_the_notes_own_nesting(notes) -> None:
    doc = notes[0]["001"]  # starts with "##", then "####" and "#####"
    assert doc.attribution.title == "LLM 基本概念"  # the single opening heading is the title
    assert [c.level for c in doc.root.children] == [1, 1, 1, 1]
    assert {g.level for c in doc.root.children for g in c.children} == {2}


def test_numbering_is_stripped_from_every_title(notes) -> None:
    numbering = re.compile(r"^(\d+(\.\d+)*[.、]?\s|[（(]\s*\d+\s*[)）]|[一二三四五六七八九十]+、|第.+[章节部分])")
    for doc in notes[0].values():
        for section in doc.sections():
            assert not numbering.match(section.title), (doc.path, section.title)


def test_empty_sections_are_recorded_as_empty(notes) -> None:
    doc = notes[0]["001"]
    empty = [s.title for s in doc.sections() if s.is_empty()]
    assert empty == ["高效预训练", "大规模预训练"]
    doc3 = notes[0]["003"]
    assert [s.title for s in doc3.sections() if s.is_empty()] == [
        "人机接口：从 In Context Learning 到 Instruct 理解", "未来之路：LLM 研究趋势及值得研究的重点方向"]


def test_every_nonblank_line_is_accounted_for(notes) -> None:
    for doc in notes[0].values():
        missing = uncovered(doc)
        assert not missing, f"{doc.path}: lines {missing} not accounted for"


def test_missing_images_are_dropped_with_file_and_line(notes) -> None:
    reporter = notes[1]
    missing = reporter.by_code("image-missing")
    assert [(d.file, d.line) for d in missing] == [("notes/001_55b4b44bb7d27eaa.txt", 4)]
    outside = reporter.by_code("image-outside-notes")
    assert len(outside) == 12 and all(d.file.endswith("002_7fb1dea7c0ac1773.txt") for d in outside)
    for doc in notes[0].values():
        for section in doc.root.walk():
            assert not any("![" in b.text for b in section.blocks)


def test_dangling_figure_and_table_references_are_dropped(notes) -> None:
    text = " ".join(b.text for d in notes[0].values() for s in d.root.walk() for b in s.blocks)
    assert "如下图所示" not in text and "下表列举了" not in text
    assert "以下是讯飞星火的使用界面" not in text and "该图来源于" not in text
    assert "截止 2023 年 6 月，国内外有超过百种大模型相继发布" in text  # the rest of the paragraph


def test_attribution_title_origin_and_references(notes) -> None:
    docs = notes[0]
    assert docs["003"].attribution.origin_url == "https://zhuanlan.zhihu.com/p/597586623"
    assert docs["002"].attribution.title == "LLM 理论简介"
    assert len(docs["002"].attribution.references) == 2
    assert "arxiv.org/abs/2303.18223" in docs["002"].attribution.references[0]
    assert docs["004"].attribution.references == ["《Happy-LLM从零开始的大语言模型原理与实践教程》"]
    assert docs["004"].attribution.origin_url == "http://www.pswp.cn/bicheng/86968.shtml"


@pytest.mark.parametrize(
    ("raw", "title", "english", "abbr"),
    [
        ("## 4.1.1 LLM的定义", "LLM的定义", "", ""),
        ("#### 一、语言模型的发展历程", "语言模型的发展历程", "", ""),
        ("##### 1.3.1.1.3 PaLM 系列", "PaLM 系列", "", ""),
        ("### （4) 逐步推理（Step by Step Reasoning）", "逐步推理（Step by Step Reasoning）",
         "Step by Step Reasoning", ""),
        ("第二部分 训练方法", "训练方法", "", ""),
        ("III. 局限性", "局限性", "", ""),
        ("**影响一：中间任务的消亡**", "中间任务的消亡", "", ""),
        ("上下文学习（In-Context Learning，ICL）", "上下文学习（In-Context Learning，ICL）",
         "In-Context Learning", "ICL"),
        ("1.5B 模型的部署", "1.5B 模型的部署", "", ""),
        ("3 种常见方法", "3 种常见方法", "", ""),
        # hex numbering, a glyph before the title, course numbering, formal numerals
        ("## 0x01 为什么需要位置编码", "为什么需要位置编码", "", ""),
        ("0x1F：小结", "小结", "", ""),
        ("▌Lecture 6  第一阶段：自我学习，累积实力（预训练）", "第一阶段：自我学习，累积实力（预训练）", "", ""),
        ("■ 课后小结", "课后小结", "", ""),
        ("Week 3 评测方法", "评测方法", "", ""),
        ("第三周 人类对齐", "人类对齐", "", ""),
        ("貳、訓練資料與架構", "訓練資料與架構", "", ""),
        ("参、越狱（Jailbreak）", "越狱（Jailbreak）", "Jailbreak", ""),
        ("第壹章 总论", "总论", "", ""),
        ("超参：学习率", "超参：学习率", "", ""),  # 参 numbers only as "参、", not in a label
        # exercise-book numbering and labels that only say a question follows
        ("## 2-1 QA：请问马尔可夫过程是什么？", "请问马尔可夫过程是什么？", "", ""),
        ("Q3: 什么是 KV Cache", "什么是 KV Cache", "", ""),
        ("问：LoRA 为什么省显存", "LoRA 为什么省显存", "", ""),
        ("QLoRA：量化加低秩", "QLoRA：量化加低秩", "", ""),
        ("2-3 天的训练", "2-3 天的训练", "", ""),
        ("## 🚀 1. What is RAG?", "What is RAG?", "", ""),  # emoji decorate, numbering follows
        ("📚✨ 参考资料", "参考资料", "", ""),
        # an attribute list for the site that published the note, inline HTML for layout
        ("## 二階段訓練方法 {#two-stages-training-approach}", "二階段訓練方法", "", ""),
        ("## 注意事项 {: .warning }", "注意事项", "", ""),
        ("## 缩放定律 {#scaling .note data-level=2}", "缩放定律", "", ""),
        ("集合 {x, y} 的大小", "集合 {x, y} 的大小", "", ""),
        ("**运行结果：<br>**", "运行结果", "", ""),
        ("<font color=red>重点</font>回顾", "重点回顾", "", ""),
    ],
)
def test_clean_title(raw: str, title: str, english: str, abbr: str) -> None:
    cleaned = clean_title(raw.lstrip("# "))
    assert (cleaned.title, cleaned.english, cleaned.abbr) == (title, english, abbr)


def test_unseen_heading_styles(tmp_path: Path) -> None:
    text = ("第一部分 模型概述\n\n大模型是参数很多的语言模型。\n\n一、训练\n\n训练分为两个阶段。\n\n"
            "（一）预训练\n\n在海量文本上学习。\n\n（二）微调\n\n在指令数据上学习。\n\n"
            "第二部分 局限\n\nI. 幻觉\n\n模型会编造事实。\n\nII. 时效性\n\n知识有截止日期。\n")
    doc, _ = build_text(tmp_path, text)
    assert tree(doc.root) == [
        ("模型概述", [("训练", ["预训练", "微调"])]),
        ("局限", ["幻觉", "时效性"]),
    ]


def uncovered(doc: NoteDoc) -> list[int]:
    """Non-blank source lines that no heading, block, removal or reference accounts for."""
    covered: set[int] = set()
    for r in doc.removals:
        covered.update(r.span.lines())
    for span in doc.reference_spans:
        covered.update(span.lines())
    for section in doc.root.walk():
        if section.heading:
            covered.update(section.heading.span.lines())
        for block in section.blocks:
            covered.update(block.span.lines())
    return sorted(doc.nonblank_lines - covered)


@pytest.mark.parametrize("quote", [
    "> 甲是第一段。\n>\n> 乙是第二段。",  # ">" between a quote's paragraphs
    "> 甲是第一段。\n> >\n> > 乙是引用里的引用。",
    ">",  # a quote with nothing in it
    "> -",  # an empty list item in a quote (found by hypothesis)
    "> 1.\n> - 有内容的项目。",
])
def test_quote_markup_lines_are_accounted_for(tmp_path: Path, quote: str) -> None:
    doc, _ = build_text(tmp_path, f"# 标题\n\n正文一句。\n\n{quote}\n\n后文一句。\n")
    assert uncovered(doc) == []
    kept = " ".join(b.text for s in doc.root.walk() for b in s.blocks)
    for words in re.findall(r"[\u4e00-\u9fff]{3,}", quote):
        assert words in kept
    assert {r.rule for r in doc.removals} <= {"empty-quote-line", "empty-item"}


def test_reference_entries_written_as_a_paragraph_are_references(tmp_path: Path) -> None:
    text = ("# 笔记\n\n正文一句。\n\n## 参考文献\n\n"
            "[1] Kaplan J, et al. Scaling Laws for Neural Language Models. 2020.\n"
            "[2] Wei J, et al. Emergent Abilities of Large Language Models. 2022.\n\n"
            "## 下一节\n\n[1] 这一行不在参考文献下，是正文。\n")
    doc, _ = build_text(tmp_path, text)
    assert [r.split(".")[0] for r in doc.attribution.references] == ["[1] Kaplan J, et al", "[2] Wei J, et al"]
    assert "Kaplan" not in _texts(doc) and "这一行不在参考文献下" in _texts(doc)
    assert not uncovered(doc)


def test_a_quote_under_a_list_item_is_read_and_its_bare_markers_removed(tmp_path: Path) -> None:
    """A quote indented under an item ("  > 第一段" / "  >" / "  > 第二段"): its text is read, the
    bare ">" line between its paragraphs is markup (it was accounted for by no rule)."""
    text = ("# 笔记\n\n- 2023.02 某论文\n  > 第一段引文说的是同时期的工作。\n  >\n  > 第二段引文说的是分布式推理。\n"
            "\n正文。\n")
    doc, _ = build_text(tmp_path, text)
    assert not uncovered(doc) and "empty-quote-line" in {r.rule for r in doc.removals}
    assert "第二段引文说的是分布式推理。" in _texts(doc)


def test_the_articles_a_note_thanks_are_its_references(tmp_path: Path) -> None:
    """"## 致谢" over a list of the articles the note drew on credits its sources: they are the
    note's references (the sources page), not a section of text with no topic."""
    text = ("# 笔记\n\n正文一句。\n\n## 致谢\n\n- 某专栏文章 https://example.com/p/1\n"
            "- DPO 论文：https://arxiv.org/pdf/2305.18290.pdf\n")
    doc, _ = build_text(tmp_path, text)
    assert doc.attribution.references == ["某专栏文章 https://example.com/p/1",
                                          "DPO 论文：https://arxiv.org/pdf/2305.18290.pdf"]
    assert "某专栏文章" not in _texts(doc) and not uncovered(doc)


def test_a_reference_label_with_only_an_address_is_one_reference(tmp_path: Path) -> None:
    """"[参考视频：https://…](https://…)" alone on its line, however long: a reference of the note,
    not the text a page opens with; the list after it is still text."""
    text = ("# 解码\n\n[参考视频：https://www.example.com/video/BV1taSFBNEG4abcdef](https://www.example.com/video/"
            "BV1taSFBNEG4abcdef)\n\n- 贪心解码每步取概率最大的词。\n- 束搜索每步保留 k 个候选。\n")
    doc, _ = build_text(tmp_path, text)
    assert doc.attribution.references == ["https://www.example.com/video/BV1taSFBNEG4abcdef"]
    assert "贪心解码每步取概率最大的词。" in _texts(doc) and not uncovered(doc)


def test_a_reference_label_with_its_entries_in_one_paragraph_keeps_them(tmp_path: Path) -> None:
    """"参考内容：" and its entries on the lines right below it (one paragraph): every entry is a
    reference of the note, none is lost."""
    text = ("# 笔记\n\n正文一句。\n\n参考内容：\n[1] arXiv:2303.18223 https://arxiv.org/abs/2303.18223\n"
            "[2] 某书，https://example.com/book, 2023.\n")
    doc, _ = build_text(tmp_path, text)
    assert doc.attribution.references == ["[1] arXiv:2303.18223 https://arxiv.org/abs/2303.18223",
                                          "[2] 某书，https://example.com/book, 2023."]
    assert not uncovered(doc)


def test_an_answer_label_under_a_question_heading_goes(tmp_path: Path) -> None:
    """"### Q1：什么是 LoRA？" then "**答：** …": the label only marks the answer; under a heading
    that asks nothing it is text."""
    text = ("# 面试题\n\n### Q1：什么是 LoRA？\n\n**答：** LoRA 冻结原权重。\n\n"
            "### Q2：秩怎么选？\n\n答：一般取 8。\n\n### 附录\n\n答：这一行不在问题下。\n")
    doc, _ = build_text(tmp_path, text)
    assert _blocks(doc, "text") == [("paragraph", "LoRA 冻结原权重。"), ("paragraph", "一般取 8。"),
                                    ("paragraph", "答：这一行不在问题下。")]


@pytest.mark.parametrize("label", ["## 参考", "**参考：**", "## References"])
def test_a_bare_reference_label_opens_the_references(tmp_path: Path, label: str) -> None:
    """"参考" alone (a heading, or a label line) opens a list of references; "参考这个方法" is prose."""
    text = (f"# 笔记\n\n参考这个方法，我们可以少走弯路。\n\n{label}\n\n"
            "[1] Efficient Memory Management for Large Language Model Serving with PagedAttention\n\n"
            "[2] https://example.com/p/630832593\n")
    doc, _ = build_text(tmp_path, text)
    assert len(doc.attribution.references) == 2 and "参考这个方法" in _texts(doc)
    assert "Efficient Memory" not in _texts(doc)


def test_formal_numeral_headings(tmp_path: Path) -> None:
    # 繁體 as pasted: ingest converts it to 简体 (參 → 参) before headings are recognized.
    text = ("壹、模型是什麼\n\nLlama 3 是一個開源模型。\n\n貳、訓練資料\n\n資料超過 15 兆個 token。\n\n"
            "參、越獄（Jailbreak）\n\n越獄是指繞過安全限制。\n\n肆、怎麼防禦\n\n分開系統提示詞。\n")
    doc, _ = build_text(tmp_path, text)
    assert tree(doc.root) == ["模型是什么", "训练资料", "越狱（Jailbreak）", "怎么防御"]
    assert {s.heading.style for s in doc.root.children} == {"numbered:cjk"}


def test_marker_glyph_headings_nest_by_first_seen_glyph(tmp_path: Path) -> None:
    text = ("第6~8讲 修炼史 —— 课程笔记\n课程：生成式AI导论\n\n三个阶段做的都是文字接龙。\n\n"
            "▌Lecture 6  第一阶段：自我学习，累积实力（预训练）\n模型在大量文本上做文字接龙。\n\n"
            "■ 资料清洗\n过滤有害内容、去掉 HTML 标签。\n\n"
            "▌Lecture 7  第二阶段：名师指点，发挥潜力（指令微调）\n人类老师准备标注资料。\n\n"
            "▌课后小结\n三个阶段的资料来源不同。\n")
    doc, _ = build_text(tmp_path, text, "n.txt")
    assert tree(doc.root) == [
        ("第一阶段：自我学习，累积实力（预训练）", ["资料清洗"]),
        "第二阶段：名师指点，发挥潜力（指令微调）",
        "课后小结",
    ]
    first = doc.root.children[0]
    assert first.heading.style == "marker:▌" and first.children[0].heading.style == "marker:■"
    assert (first.heading.span.start, first.heading.span.end) == (6, 6)
    assert [b.text for b in first.blocks] == ["模型在大量文本上做文字接龙。"]
    assert not uncovered(doc)


def test_glyph_lines_that_are_not_headings(tmp_path: Path) -> None:
    text = ("# 笔记\n\n"
            "● 模型会在这里继续说明，这是一个完整的句子。\n\n"  # a sentence
            "■ 注意：这里很重要。\n\n"  # ends like a sentence
            "◆ 下面几点：\n\n"  # introduces what follows
            "★ 预训练\n★ 指令微调\n★ 人类对齐\n\n"  # a list written with a glyph
            "○ 数据\n\n○ 算力\n\n○ 算法\n\n结尾一句。\n")  # the same, a blank line apart
    doc, _ = build_text(tmp_path, text)
    assert tree(doc.root) == ["笔记"]
    blocks = [b.text for b in doc.root.children[0].blocks]
    assert blocks[:3] == ["● 模型会在这里继续说明，这是一个完整的句子。", "■ 注意：这里很重要。", "◆ 下面几点："]
    assert "★ 预训练\n★ 指令微调\n★ 人类对齐" in blocks and "○ 算力" in blocks
    assert not uncovered(doc)


OUTLINE = """# QLoRA 学习笔记

- 为什么要 PEFT
  - 传统范式是预训练-微调：选一个预训练模型，再准备有监督数据来微调。
  - full fine-tuning 太贵
    - 每个参数大约要 16 bytes
- LoRA 原理
  - 出处：Hu et al., 2021
  - 核心假设：权重变化量是低秩的
    - ΔW = BA
      - A 用随机高斯初始化，B 初始化为 0
- 基座选 Phi-3-mini
  - 微软 2024 年 4 月开源的小模型，3.8B 参数
- 总之，这份笔记只记了要点。

最后一段不属于任何一条。
"""


def test_outline_note_top_level_labels_become_sections(tmp_path: Path) -> None:
    doc, _ = build_text(tmp_path, OUTLINE)
    assert doc.attribution.title == "QLoRA 学习笔记"
    assert tree(doc.root) == ["为什么要 PEFT", "LoRA 原理", "基座选 Phi-3-mini"]
    peft, lora, phi = doc.root.children
    assert peft.heading.style == "outline" and (peft.heading.span.start, peft.heading.span.end) == (3, 3)
    # Nested items are the section's content, one level shallower, as one list.
    assert [(b.kind.value, b.depth, b.span.start) for b in peft.blocks] == [
        ("item", 0, 4), ("item", 0, 5), ("item", 1, 6)]
    assert len({b.list_id for b in peft.blocks}) == 1
    assert [b.depth for b in lora.blocks] == [0, 0, 1, 2]
    assert [b.text for b in phi.blocks] == ["微软 2024 年 4 月开源的小模型，3.8B 参数"]
    # A top-level item that is a sentence, and the text after the list, are the note's own.
    assert [(b.kind.value, b.text) for b in doc.root.blocks] == [
        ("item", "总之，这份笔记只记了要点。"), ("paragraph", "最后一段不属于任何一条。")]
    assert not uncovered(doc)


def test_outline_reference_label_collects_references(tmp_path: Path) -> None:
    text = ("# 笔记\n\n- 原理\n  - 低秩分解\n  - 冻结原权重\n"
            "- 参考资料\n  - [LoRA 论文](https://arxiv.org/abs/2106.09685)\n  - QLoRA 论文\n")
    doc, _ = build_text(tmp_path, text)
    assert doc.attribution.references == ["[LoRA 论文](https://arxiv.org/abs/2106.09685)", "QLoRA 论文"]
    assert [b.text for b in doc.root.children[0].blocks] == ["低秩分解", "冻结原权重"]
    assert not uncovered(doc)


def test_ordered_outline_and_outline_under_a_heading(tmp_path: Path) -> None:
    text = ("# 笔记\n\n## 训练\n\n1. 预训练\n   - 在海量文本上学习\n2. 微调\n   - 在指令数据上学习\n\n"
            "## 局限\n\n幻觉是最常见的问题。\n")
    doc, _ = build_text(tmp_path, text)
    assert tree(doc.root) == [("训练", ["预训练", "微调"]), "局限"]
    assert not uncovered(doc)


@pytest.mark.parametrize("text", [
    # plain items, no nesting
    "# 阶段\n\n- 预训练\n- 指令微调\n- 人类对齐\n",
    # nested, but the top-level items are statements
    "# 阶段\n\n- 模型先在海量文本上预训练，学到语言知识。\n  - 细节一\n"
    "- 然后用指令数据微调，学会听懂指令。\n  - 细节二\n",
    # labels that introduce what follows ("优点：") are a sub-list, not sections
    "# Mistral 7B\n\n- 优点：\n  - 快\n  - 省显存\n- 缺点：\n  - 上下文短\n",
    # only one of three top-level items has nested items
    "# 阶段\n\n- 预训练\n  - 海量文本\n- 指令微调\n- 人类对齐\n",
    # a nested list that is a small part of a section full of prose
    "# 训练\n\n训练分为几个阶段，每个阶段的数据不同。\n\n第一段之后还有很多说明文字。\n\n"
    "这里继续解释训练的细节和注意事项。\n\n另外还有一些补充说明放在这里。\n\n"
    "- 预训练\n  - 海量文本\n- 微调\n  - 指令数据\n",
])
def test_ordinary_lists_stay_lists(tmp_path: Path, text: str) -> None:
    doc, _ = build_text(tmp_path, text)
    assert len(tree(doc.root)) == 1 and not doc.root.children[0].children
    assert any(b.kind.value == "item" for b in doc.root.children[0].blocks)
    assert not uncovered(doc)


def test_a_numbered_list_of_short_items_is_not_a_heading(tmp_path: Path) -> None:
    doc, _ = build_text(tmp_path, "# 阶段\n\n1. 预训练\n2. 指令微调\n3. 人类对齐\n")
    assert tree(doc.root) == ["阶段"]
    assert [b.text for b in doc.root.children[0].blocks] == ["预训练", "指令微调", "人类对齐"]


def test_raw_html_is_sanitized_with_warnings(tmp_path: Path) -> None:
    text = ("# 安全\n\n正文<script>alert(1)</script>继续。\n\n"
            '<div onclick="steal()">块级<iframe src="https://evil.example"></iframe>文字</div>\n\n'
            "[点我](javascript:alert(1)) 和 <img src=x onerror=alert(1)> 以及 <b>粗体</b>。\n\n"
            "<style>body{display:none}</style>\n")
    doc, reporter = build_text(tmp_path, text)
    body = "\n".join(b.text for s in doc.root.walk() for b in s.blocks)
    for bad in ("<script", "alert(1)</", "onclick", "<iframe", "javascript:", "onerror", "<style",
                "display:none"):
        assert bad not in body, bad
    assert "正文" in body and "继续" in body and "块级" in body and "文字" in body
    assert "点我" in body
    codes = {d.code for d in reporter.items}
    assert {"unsafe-html", "unsafe-link"} <= codes
    assert all(d.file == "notes/n.md" and d.line > 0 for d in reporter.items)


def test_images_outside_notes_and_existing_images(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "fig.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    text = ("# 图\n\n![ok](fig.png)\n\n![etc](../../../../etc/passwd)\n\n![abs](/etc/passwd)\n\n"
            "![remote](https://example.com/a.png)\n\n正文。\n")
    doc, reporter = build_text(tmp_path, text)
    assert doc.images == ["fig.png"]
    assert {d.code for d in reporter.items} == {"image-outside-notes", "image-remote"}
    assert not any("passwd" in b.text for s in doc.root.walk() for b in s.blocks)


def test_notes_text_is_never_edited() -> None:
    seeds = ROOT.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("shared seeds not beside this checkout")
    for seed in sorted(seeds.iterdir()):
        assert (NOTES / seed.name).read_bytes() == seed.read_bytes()


def test_inspect_prints_trees_and_json() -> None:
    import json
    import subprocess
    import sys

    text = subprocess.run([sys.executable, "-m", "llmkb.cli", "inspect", "notes"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=True).stdout
    assert "中间任务的消亡" in text and "related-articles-trailer" in text and "(empty)" in text
    data = json.loads(subprocess.run(
        [sys.executable, "-m", "llmkb.cli", "inspect", "notes", "--json"], cwd=ROOT,
        capture_output=True, text=True, timeout=120, check=True).stdout)
    note = next(n for n in data["notes"] if n["path"].endswith("004_8f5de8f61926b290.txt"))
    assert [s["title"] for s in note["sections"]] == ["LLM 的定义", "LLM 的能力", "LLM 的特点"]
    assert [len(s["children"]) for s in note["sections"]] == [0, 4, 4]
    assert {"start": 61, "end": 141, "rule": "related-articles-trailer"} in note["removed"]
    assert any("image-missing" in w for w in data["warnings"])


def test_question_lines_head_their_answers(tmp_path: Path) -> None:
    text = ("DeepSeek-R1 整理成问答，有错请指正。\n\n"
            "问：DeepSeek-R1 是什么？\n答：深度求索发布的推理模型。\n它采用 MoE 架构。\n\n"
            "Q2: 它和聊天模型差在哪?\n\nA2: 先输出思考过程，再给答案。\n\n"
            "提问：自己的电脑跑得动吗\n回答：蒸馏出的小模型可以。\n\n"
            "Q: 两种半精度有什么区别？为什么训练偏爱后者？\nA: 后者的指数位更多。\n")
    doc, _ = build_text(tmp_path, text, "n.txt")
    assert tree(doc.root) == ["DeepSeek-R1 是什么？", "它和聊天模型差在哪?", "自己的电脑跑得动吗",
                              "两种半精度有什么区别？为什么训练偏爱后者？"]
    first, second, third, _fourth = doc.root.children
    assert first.heading.style == "question" and (first.heading.span.start, first.heading.span.end) == (3, 3)
    # The answer label goes; the answer's lines stay, in one paragraph or after a blank line.
    assert [b.text for b in first.blocks] == ["深度求索发布的推理模型。\n它采用 MoE 架构。"]
    assert [b.text for b in second.blocks] == ["先输出思考过程，再给答案。"]
    assert [b.text for b in third.blocks] == ["蒸馏出的小模型可以。"]
    assert not uncovered(doc)


def test_bold_questions_with_a_follow_up_head_their_answers(tmp_path: Path) -> None:
    """An interview note's bold question may ask a follow-up in the same line ("…是什么？为什么…？")
    or write a subscript with an underscore inside the emphasis ("√d_k"): each still heads its
    answer; a bold line of two statements does not."""
    text = ("# 面经\n\n## 一面\n\n**1. 点积注意力怎么算？为什么要除以 √d_k？**\n\n答：缩放后方差约为 1。\n\n"
            "**2. 缓存的是什么？为什么不缓存 Q？**\n\n答：只缓存 K 和 V。\n\n"
            "**先说结论。再看推导。**\n\n推导如下。\n")
    doc, _ = build_text(tmp_path, text)
    assert tree(doc.root) == [("一面", ["点积注意力怎么算？为什么要除以 √d_k？", "缓存的是什么？为什么不缓存 Q？"])]
    first = doc.root.children[0].children
    assert [c.heading.style for c in first] == ["bold:arabic", "bold:arabic"]
    assert "推导如下。" in [b.text for b in first[1].blocks]


def test_bold_questions_with_tags_requests_and_long_follow_ups_head_their_answers(tmp_path: Path) -> None:
    """A question marked as asked often ("⭐", "（高频）"), one that ends on a request ("举个例子。")
    and two long questions in one bold line each head their answer; a bold question answered
    in the same line does not."""
    text = ("# 面经\n\n## 结构篇\n\n**1. 讲一下多头注意力的计算过程？⭐**\n\n每个头各算一遍。\n\n"
            "**2. 分组查询注意力能省多少缓存？举个例子。**\n\n八组时省到八分之一。\n\n"
            "**3. 层归一化和批归一化的区别是什么？自然语言处理里为什么一般都用层归一化？（高频）**\n\n"
            "序列长度不一。\n\n**残差要不要缩放？要的。**\n\n深层时更稳。\n")
    doc, _ = build_text(tmp_path, text)
    assert tree(doc.root) == [("结构篇", ["讲一下多头注意力的计算过程？⭐", "分组查询注意力能省多少缓存？举个例子",
                                          "层归一化和批归一化的区别是什么？自然语言处理里为什么一般都用层归一化？（高频）"])]
    last = doc.root.children[0].children[-1]
    assert "深层时更稳。" in [b.text for b in last.blocks]


def test_bold_lines_numbered_two_ways_nest_and_a_contents_list_is_text(tmp_path: Path) -> None:
    """A copied answer numbers its bold headings 一、 and （一）: the second way nests under the
    first, as numbered lines do. Its contents, numbered lines with no blank line between them,
    are a list in the text, not headings."""
    text = ("# 如何看待 MoE 重新流行？\n\n篇幅比较长，先放目录：\n\n一、MoE 是什么\n二、路由机制\n三、总结\n\n---\n\n"
            "**一、MoE 是什么**\n\n混合专家把 FFN 换成多个专家。\n\n"
            "**（一）稠密与稀疏**\n\n总参数和激活参数要分开看。\n\n"
            "**二、路由机制**\n\n**（一）Top-k 门控**\n\n路由器给每个专家打分。\n\n**（二）容量因子**\n\n"
            "每个专家有容量上限。\n\n**三、总结**\n\n专家越多越难训。\n")
    doc, _ = build_text(tmp_path, text)
    assert tree(doc.root) == [("MoE 是什么", ["稠密与稀疏"]), ("路由机制", ["Top-k 门控", "容量因子"]), "总结"]
    assert any("二、路由机制" in b.text for b in doc.root.blocks)


def test_one_question_pair_under_a_markdown_heading(tmp_path: Path) -> None:
    text = "# 笔记\n\n正文一句。\n\n## 常见问题\n\n问：为什么会幻觉？\n答：训练数据有噪声。\n"
    doc, _ = build_text(tmp_path, text)
    assert tree(doc.root) == [("常见问题", ["为什么会幻觉？"])]
    faq = doc.root.children[0]
    assert faq.children[0].heading.style == "question"
    assert [b.text for b in faq.children[0].blocks] == ["训练数据有噪声。"]


def test_question_labels_that_are_not_headings(tmp_path: Path) -> None:
    text = ("# 笔记\n\n"
            "有人会问：为什么要做对齐？答案是安全。\n\n"  # no label at the start
            "问：为什么？因为模型会胡说。\n\n"  # the answer goes on in the same line
            "问：模型太大了。\n\n"  # no question and no answer label after it
            "这一段先讲背景。\n问：为什么不用 RNN？\n答：并行差。\n\n"  # inside a paragraph
            "- Q：显存不够怎么办？\n- A：量化。\n\n"  # an FAQ list
            "问题：显存不够？\n\n结尾一句。\n")  # a bare 问题 is prose's word
    doc, _ = build_text(tmp_path, text)
    assert tree(doc.root) == ["笔记"]
    assert "答：并行差。" in "\n".join(b.text for b in doc.root.children[0].blocks)
    assert not uncovered(doc)


# --- note-app metadata and syntax (Obsidian, Hugo, Jekyll, Marp) ---------------------------


def _texts(doc: NoteDoc) -> str:
    return "\n".join(b.text for s in doc.root.walk() for b in s.blocks)


def _rules(doc: NoteDoc) -> dict[int, str]:
    return {n: r.rule for r in doc.removals for n in range(r.span.start, r.span.end + 1)}


def _blocks(doc: NoteDoc, *fields: str) -> list[tuple[str, ...]]:
    """Each block of the note in order: its kind, then the given fields ("info", "text")."""
    return [(b.kind.value, *(getattr(b, f) for f in fields)) for s in doc.root.walk() for b in s.blocks]


def test_front_matter_is_removed_and_names_the_note(tmp_path: Path) -> None:
    text = ("\n---\ntitle: \"RAG 笔记\"\ntags:\n  - LLM\n  - RAG\ncreated: 2024-06-12\n---\n\n"
            "## 背景\n\n检索增强生成先查资料再作答。\n\n## 原理\n\n把文档切块编码成向量。\n")
    doc, _ = build_text(tmp_path, text)
    assert doc.attribution.title == "RAG 笔记"
    assert [c.title for c in doc.root.children] == ["背景", "原理"]
    assert all(_rules(doc)[n] == "front-matter" for n in range(2, 9))
    assert "title" not in _texts(doc) and "created" not in _texts(doc)


def test_toml_front_matter(tmp_path: Path) -> None:
    doc, _ = build_text(tmp_path, "+++\ntitle = \"Hugo 笔记\"\ndraft = false\n+++\n\n正文一句话。\n")
    assert doc.attribution.title == "Hugo 笔记"
    assert _rules(doc)[1] == _rules(doc)[4] == "front-matter"


def test_a_note_opening_with_a_thematic_break_and_prose_keeps_its_prose(tmp_path: Path) -> None:
    text = "---\n这一段是正文，不是元数据。\n---\n\n后面还有一段正文。\n"
    doc, _ = build_text(tmp_path, text)
    assert "这一段是正文" in "\n".join(
        [_texts(doc), *(s.title for s in doc.root.walk() if s.heading)])
    assert "front-matter" not in _rules(doc).values()


def test_tag_lines_go_but_headings_stay(tmp_path: Path) -> None:
    text = "#LLM #RAG #笔记\n\n# 标题\n\n## 小节\n\n正文。\n\n#1 不是标签行\n\n#LLM #RAG\n"
    doc, _ = build_text(tmp_path, text)
    rules = _rules(doc)
    assert rules[1] == rules[11] == "tag-line"
    assert 3 not in rules and doc.root.heading is not None and doc.root.heading.title == "标题"
    assert "#1 不是标签行" in _texts(doc)


def test_obsidian_inline_syntax(tmp_path: Path) -> None:
    text = ("# 笔记\n\n见 [[向量数据库|向量库]]、[[Transformer]] 和 [[注意力#多头]]。 ^abc123\n\n"
            "==重点==在这里 %%私下的话%%，代码 `[[x]]` 和 `a == b` 不动。\n\n"
            "![[图.png]]\n\n![[另一篇笔记]]\n\n%%\n多行注释\n%%\n\n结尾。\n")
    doc, reporter = build_text(tmp_path, text)
    body = _texts(doc)
    assert "见 向量库、Transformer 和 注意力。" in body
    assert "重点在这里 ，代码 `[[x]]` 和 `a == b` 不动。" in body
    assert "^abc123" not in body and "私下的话" not in body and "多行注释" not in body
    assert [(d.code, d.line) for d in reporter.items] == [("image-missing", 7), ("image-missing", 9)]
    assert {_rules(doc)[n] for n in (11, 12, 13)} == {"obsidian-comment"}


def test_wikilink_in_a_code_block_stays(tmp_path: Path) -> None:
    doc, _ = build_text(tmp_path, "# 代码\n\n```\nx = [[1, 2]]  # %%\n```\n\n正文。\n")
    assert any(b.text == "x = [[1, 2]]  # %%" for s in doc.root.walk() for b in s.blocks)


def test_callouts_become_admonitions(tmp_path: Path) -> None:
    text = ("# 笔记\n\n> [!warning]- 注意\n> 检索结果不可靠时模型更自信。\n\n"
            "> [!tip] 切块的经验\n> 每块 300 字。\n\n> [!faq] 常见问题都在这里。\n\n"
            "> [!unknown] 未知类型的提示。\n")
    doc, _ = build_text(tmp_path, text)
    assert _blocks(doc, "info", "text") == [("admonition", "warning", "检索结果不可靠时模型更自信。"),
                                            ("admonition", "tip", "切块的经验\n每块 300 字。"),
                                            ("admonition", "note", "常见问题都在这里。"),
                                            ("admonition", "note", "未知类型的提示。")]


def test_indented_chinese_is_prose_unless_it_reads_as_code(tmp_path: Path) -> None:
    """Four spaces before a Chinese sentence is indentation, not code; an indented prompt
    template (Markdown heading marks, \\n written out, {{…}}) is code even when Chinese."""
    text = ("# 笔记\n\n正文。\n\n    这一句只是缩进了四个空格的中文正文。\n\n模板是：\n\n"
            "    ### 指令：\\n将下列文本翻译成英文：今天天气真好\\n\n\n又一个：\n\n"
            "    请把{{内容}}翻译成英文\n")
    doc, _ = build_text(tmp_path, text)
    assert _blocks(doc, "text") == [
        ("paragraph", "正文。"), ("paragraph", "这一句只是缩进了四个空格的中文正文。"),
        ("paragraph", "模板是："), ("code", "### 指令：\\n将下列文本翻译成英文：今天天气真好\\n"),
        ("paragraph", "又一个："), ("code", "请把{{内容}}翻译成英文")]


def test_indented_paragraphs_stay_paragraphs_of_their_own(tmp_path: Path) -> None:
    """A note that indents every paragraph by eight spaces: the blank lines between them still
    part them (they were one run-on paragraph), each with its own lines."""
    text = ("# 笔记\n\n## 某模型\n\n        某模型是由某团队开发和发布的对话大模型。\n\n"
            "        https://github.com/someone/model\n\n        底层采用 7 亿参数规模的模型。\n")
    doc, _ = build_text(tmp_path, text)
    assert _blocks(doc, "text") == [("paragraph", "某模型是由某团队开发和发布的对话大模型。"),
                                    ("paragraph", "https://github.com/someone/model"),
                                    ("paragraph", "底层采用 7 亿参数规模的模型。")]
    assert [b.span.start for s in doc.root.walk() for b in s.blocks] == [5, 7, 9]
    assert uncovered(doc) == []


def test_mkdocs_admonitions_are_admonitions(tmp_path: Path) -> None:
    """``!!! type "标题"`` with indented text (MkDocs, Python-Markdown): each paragraph an
    admonition of that type, the first with the title unless it only names the type; its
    code stays code; every line is accounted for."""
    text = ('# 笔记\n\n!!! warning "显存"\n    量化前先估算显存。\n\n    第二段。\n\n'
            '??? tip\n    折叠的提示。\n\n!!! note "提示"\n    只是提示。\n\n'
            '!!! example "示例"\n    ```bash\n    pip install vllm\n    ```\n\n正文。\n')
    doc, _ = build_text(tmp_path, text)
    assert _blocks(doc, "info", "text") == [("admonition", "warning", "显存\n量化前先估算显存。"),
                                            ("admonition", "warning", "第二段。"),
                                            ("admonition", "tip", "折叠的提示。"),
                                            ("admonition", "note", "只是提示。"),
                                            ("admonition", "note", "示例"),
                                            ("code", "bash", "pip install vllm"),
                                            ("paragraph", "", "正文。")]
    assert not uncovered(doc)
    # Only Python-Markdown's syntax: Chinese prose that opens with ??? or !!! stays prose.
    doc, _ = build_text(tmp_path, "# 笔记\n\n???为什么会这样\n    缩进的下一行。\n\n!!! 重要：别忘了。\n")
    assert _blocks(doc) == [("paragraph",), ("paragraph",)]


def test_footnotes_are_read_where_they_are_cited(tmp_path: Path) -> None:
    """A page mixes the sections of many notes, so a footnote goes into the sentence that cites
    it and its own line goes by name; a footnote nothing cites stays a paragraph."""
    text = ("# 笔记\n\nKV Cache 把算过的 Key 和 Value 缓存起来[^kv]，显存随长度增长[^2]。\n\n"
            "## 小结\n\n够用了。\n\n[^kv]: 见 vLLM 论文。\n[^2]: 按层数和头数计算\n"
            "    的一个估计。\n[^x]: 没有被引用的脚注。\n")
    doc, _ = build_text(tmp_path, text)
    body = _texts(doc)
    assert "缓存起来（见 vLLM 论文），显存随长度增长（按层数和头数计算 的一个估计）。" in body
    assert "没有被引用的脚注。" in body and "[^" not in body
    rules = _rules(doc)
    assert rules[9] == rules[10] == rules[11] == "footnote-inlined" and 12 not in rules
    assert not uncovered(doc)
    # Written before the sentence that cites it: read there all the same, once.
    doc, _ = build_text(tmp_path, "# 笔记\n\n[^a]: 先写的脚注。\n\n正文引用[^a]。\n")
    assert _texts(doc) == "正文引用（先写的脚注）。" and _rules(doc)[3] == "footnote-inlined"


def test_a_todo_section_of_tasks_goes_other_tasks_lose_their_box(tmp_path: Path) -> None:
    text = ("# 笔记\n\n## 步骤\n\n- [x] 切块\n- [ ] 检索\n\n## ✅ TODO\n\n- [ ] 读论文\n- [x] 跑 demo\n\n"
            "## 待办\n\n说明一下这些事为什么要做。\n\n- [ ] 写总结\n")
    doc, _ = build_text(tmp_path, text)
    assert [c.title for c in doc.root.children] == ["步骤", "待办"]
    assert [b.text for b in doc.root.children[0].blocks] == ["切块", "检索"]
    assert {_rules(doc)[n] for n in (8, 10, 11)} == {"todo-list"}
    assert "读论文" not in _texts(doc) and "写总结" in _texts(doc)


@pytest.mark.parametrize(("href", "expected", "rule"), [
    ("https://link.zhihu.com/?target=https%3A//github.com/THUDM/GLM", "https://github.com/THUDM/GLM", "zhihu-redirect"),
    ("https://links.jianshu.com/go?to=https%3A%2F%2Farxiv.org%2Fabs%2F2303.18223", "https://arxiv.org/abs/2303.18223",
     "jianshu-redirect"),
    ("https://link.juejin.cn/?target=https%3A%2F%2Fexample.com%2Fa(b)", "https://example.com/a%28b%29",
     "juejin-redirect"),
    # an anchor written unescaped after the target is the target's
    ("https://link.zhihu.com/?target=https://github.com/a/b/x.py#L720", "https://github.com/a/b/x.py#L720",
     "zhihu-redirect"),
    ("https://zhida.zhihu.com/search?content_id=1&q=注意力&zhida_source=entity", None, "zhihu-search"),
    ("https://so.csdn.net/so/search?q=Transformer&spm=1001.2101.3001.7020", None, "csdn-search"),
    # a redirect to no web address, and any other link: as written
    ("https://link.zhihu.com/?target=javascript:alert(1)", "https://link.zhihu.com/?target=javascript:alert(1)", ""),
    ("https://www.zhihu.com/question/1", "https://www.zhihu.com/question/1", ""),
])
def test_platform_links_lead_where_they_point(href: str, expected: str | None, rule: str) -> None:
    from llmkb.structure.platform_links import rewrite
    assert rewrite(href) == (expected, rule)


def test_a_copied_blog_posts_platform_links_are_undone(tmp_path: Path) -> None:
    """知乎 and CSDN copies: a redirect link, autolink or bare address becomes its target; a word
    the platform linked to its search stays a word; inside code nothing changes."""
    text = ("# 笔记\n\n[自注意力](https://zhida.zhihu.com/search?q=自注意力&zhida_source=entity)让模型看见全句，"
            "[代码](https://link.zhihu.com/?target=https%3A//github.com/a/b)开源了。\n\n"
            "论文：https://link.zhihu.com/?target=https%3A//arxiv.org/abs/1706.03762\n\n"
            "见 <https://link.csdn.net/?target=https%3A%2F%2Fexample.com%2Fx>，"
            "[Transformer](https://so.csdn.net/so/search?q=Transformer) 很重要。\n\n"
            "`https://link.zhihu.com/?target=https%3A//keep.example` 原样。\n")
    doc, _ = build_text(tmp_path, text)
    body = _texts(doc)
    assert "自注意力让模型看见全句，[代码](https://github.com/a/b)开源了。" in body
    assert "论文：https://arxiv.org/abs/1706.03762" in body
    assert "见 <https://example.com/x>，Transformer 很重要。" in body
    assert "`https://link.zhihu.com/?target=https%3A//keep.example` 原样。" in body


def test_an_entry_of_a_numbered_list_of_sentences_is_not_a_heading(tmp_path: Path) -> None:
    """A short line between entries of a reference list ("[2] https://…" between "[1] Wang X, Li Y.
    …[J]. 2021." and "[3] …") is one entry more, not the heading of the entries after it; a line
    that is only a link address never titles a section."""
    text = ("# 稀疏专家\n\n[1] Wang X, Li Y. Sparse mixtures of experts[J]. arXiv preprint, 2021.\n\n"
            "[2] https://example.com/p/12345\n\n[3] Zhao Q, Sun L. Prompt search at scale[J]. ACL, 2022.\n\n"
            "# 提示搜索\n\n[1] https://example.org/a\n")
    doc, _ = build_text(tmp_path, text)
    assert tree(doc.root) == ["稀疏专家", "提示搜索"]
    blocks = [b.text for s in doc.root.walk() for b in s.blocks]
    assert "[2] https://example.com/p/12345" in blocks and "[1] https://example.org/a" in blocks


def test_an_opening_link_address_is_no_title(tmp_path: Path) -> None:
    """A plain note that opens with the address it was found at ("https://…/flash-attention-2/")
    and then its text: the address is no title and no heading; the note's title comes from its
    headings, and the text before them stays its preamble."""
    text = ("https://example.org/blog/flash-attention-2/\n\n"
            "FlashAttention 第一代已经比基线快两到四倍，但还不够快。\n\n"
            "## FlashAttention-2：更好的并行度\n\n它在序列长度维度上也做了并行。\n\n"
            "## 讨论\n\n还可以继续优化。\n")
    doc, _ = build_text(tmp_path, text)
    titles = [s.title for s in doc.root.walk() if s.heading is not None]
    assert not any(t.startswith("http") for t in titles), titles
    assert not doc.attribution.title.startswith("http"), doc.attribution.title
    assert "FlashAttention 第一代" in " ".join(b.text for b in doc.root.blocks)
