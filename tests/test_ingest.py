"""Ingest: bytes → text (encodings, line endings, traditional → simplified), boilerplate rules."""

from __future__ import annotations

import codecs
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, note_path
from llmkb.datafile import ConfigError
from llmkb.diagnostics import Reporter
from llmkb.ingest import discover_notes, read_note
from llmkb.ingest.boilerplate import find_boilerplate, load_rules
from llmkb.ingest.decode import UnreadableNote, decode_bytes, decode_note, to_simplified

SENTENCE = "大语言模型通过海量语料的预训练获得了涌现能力，这是它区别于小模型的显著特征。\n"


@pytest.mark.parametrize(
    ("data", "expected_encoding"),
    [
        (SENTENCE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SENTENCE.encode("utf-8"), "utf-8 with BOM"),
        (SENTENCE.encode("utf-16"), "utf-16 with BOM"),
        (codecs.BOM_UTF16_BE + SENTENCE.encode("utf-16-be"), "utf-16 with BOM"),
        (codecs.BOM_UTF16_LE + SENTENCE.encode("utf-16-le"), "utf-16 with BOM"),
        ((SENTENCE * 3).encode("gbk"), None),
        ((SENTENCE + "㐀㐁䶵 是扩展区汉字。\n").encode("gb18030"), None),
    ],
)
def test_decodes_common_encodings(data: bytes, expected_encoding: str | None) -> None:
    decoded = decode_note(data)
    assert SENTENCE.strip() in decoded.text
    assert "\ufffd" not in decoded.text and "\ufeff" not in decoded.text
    if expected_encoding:
        assert decoded.encoding == expected_encoding
    else:
        assert decoded.encoding.lower().replace("_", "") in {"gb18030", "gbk", "gb2312", "cp936"}


def test_short_gbk_text_is_not_mistaken_for_a_single_byte_encoding() -> None:
    decoded = decode_note("涌现能力\n".encode("gbk"))
    assert decoded.text.strip() == "涌现能力"


def test_traditional_chinese_becomes_simplified_unless_disabled() -> None:
    data = "湧現能力是大型語言模型的特徵。".encode("big5")
    assert decode_note(data).text == "涌现能力是大型语言模型的特征。"
    assert decode_note(data, simplify=False).text == "湧現能力是大型語言模型的特徵。"


def test_radicals_copied_from_a_pdf_read_as_the_ideographs_they_look_like() -> None:
    # Kangxi radicals (⼊ U+2F0A, ⼀ U+2F00, ⽂ U+2F42) and supplement radicals (⻓ U+2ED3,
    # ⻬ U+2EEC) stand for 入, 一, 文, 长, 齐: search and anchors must see the real characters.
    text = decode_note("模型的输\u2f0a是\u2f00段更\u2ed3的上下\u2f42，各家百花\u2eec放。".encode()).text
    assert text == "模型的输入是一段更长的上下文，各家百花齐放。"


def test_line_endings_are_normalized() -> None:
    assert decode_note("甲\r\n乙\r丙\n".encode()).text == "甲\n乙\n丙\n"


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG"),
        (b"PK\x03\x04" + b"\x00" * 40, "ZIP"),
        (b"abc\x00\x01\x02\x00\xff\xfe\x00", "binary"),
    ],
)
def test_binary_files_are_refused_with_a_reason(data: bytes, why: str) -> None:
    with pytest.raises(UnreadableNote, match=why):
        decode_bytes(data)


# --- boilerplate ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def test_repost_footer_and_related_articles_of_the_real_note_are_removed(rules) -> None:
    lines = note_path("004").read_text(encoding="utf-8").split("\n")
    result = find_boilerplate(lines, rules)
    removed = {(h.start, h.end, h.rule) for h in result.hits}
    assert (54, 59, "repost-disclaimer") in removed
    trailer = next(h for h in result.hits if h.rule == "related-articles-trailer")
    assert trailer.start == 61 and trailer.end == len(lines) - (lines[-1] == "")
    assert result.origin_url == "http://www.pswp.cn/bicheng/86968.shtml"
    # The reference line and the content before the footer stay.
    assert not any(h.start <= 52 for h in result.hits)


# Footers written for this test the way other platforms append them (not from the seeds).
PLATFORM_FOOTERS = [
    ("版权声明：本文为博主原创文章，遵循 CC 4.0 BY-SA 版权协议，转载请附上原文出处链接和本声明。",
     "platform-copyright-footer"),
    ("原文链接：https://blog.example.net/u123/article/details/1314", "source-footer"),
    ("作者：张三", "source-footer"),
    ("链接：https://www.zhihu.com/question/1/answer/2", "source-footer"),
    ("来源：知乎", "source-footer"),
    # Rules apply in file order: "转载请注明出处" names it a repost disclaimer first.
    ("著作权归作者所有。商业转载请联系作者获得授权，非商业转载请注明出处。",
     "repost-disclaimer"),
    ("著作权归作者所有。", "platform-copyright-footer"),
    ("如需转载请注明出处，谢谢！", "repost-disclaimer"),
    ("本站部分内容来自网络，如有侵权请联系我们删除。", "repost-disclaimer"),
    ("欢迎关注我的公众号「AI小站」，获取更多大模型资料", "social-call-to-action"),
    ("觉得文章有用的话，请点赞、收藏、关注三连支持一下～", "social-call-to-action"),
    ("商务合作请联系邮箱：hello@example.com", "contact-line"),
    ("微信：llm_notes_2024", "contact-line"),
    # 收录/分享/参与活动 notices (腾讯云, 掘金, 公众号 wording)
    ("文章被收录于专栏：深度学习与大模型笔记", "platform-copyright-footer"),
    ("本文已被收录于合集《大模型入门》", "platform-copyright-footer"),
    ("收录于合集 #大模型 12个", "platform-copyright-footer"),
    ("本文分享自 作者个人站点/博客 前往查看", "repost-disclaimer"),
    ("本文分享自华为云社区《大模型位置编码》，作者：某某", "repost-disclaimer"),
    ("本文参与 腾讯云自媒体同步曝光计划，欢迎热爱写作的你一起参与！", "platform-campaign"),
    ("本文正在参加「金石计划」", "platform-campaign"),
    # button bars, view counts, series and timestamps (iThome and others)
    ("留言 追踪 检举", "platform-metadata"),
    ("分享 收藏 检举 回报", "platform-metadata"),
    ("‧ 215 浏览", "platform-metadata"),
    ("215 次浏览", "platform-metadata"),
    ("阅读 1.3K", "platform-metadata"),
    ("小蓝的 AI 学习日记 系列 第 12 篇", "platform-metadata"),
    ("小蓝的 AI 学习日记 共 30 篇", "platform-metadata"),
    ("订阅系列文", "platform-metadata"),
    ("38 人订阅", "platform-metadata"),
    ("2024-09-26 23:41:05", "platform-metadata"),
    ("2024年9月26日 23:41", "platform-metadata"),
    ("> 📅 **创建时间**：2026-02-08", "platform-metadata"),  # a post's header fields, quoted and bold
    ("> 🏷️ **标签**：#MoE #稀疏计算", "platform-metadata"),
    # comment boxes
    ("尚未有邦友留言", "comment-box"),
    ("立即登入留言", "comment-box"),
    ("登录后发表评论", "comment-box"),
    ("暂无评论，快来抢沙发吧", "comment-box"),
    ("0 条评论", "comment-box"),
    # a bare "上一篇"/"下一篇" near the end starts a trailer (nothing follows it here)
    ("下一篇", "adjacent-articles-trailer"),
]


@pytest.mark.parametrize(("line", "rule"), PLATFORM_FOOTERS)
def test_footers_from_other_platforms_are_removed(rules, line: str, rule: str) -> None:
    lines = ["# 标题", "正文第一段。", "正文第二段。", "正文第三段。", "", line]
    hits = find_boilerplate(lines, rules).hits
    assert [(h.start, h.rule) for h in hits] == [(6, rule)]


@pytest.mark.parametrize(
    "line",
    [
        "这些模型的参数量达到了 1750 亿，训练数据来源于网页、书籍和代码。",
        "作者在论文中指出，涌现能力与模型规模密切相关，并给出了多个任务上的实验结果与分析。",
        "用户可以通过 API 接口联系模型服务，获得文本生成、摘要、翻译等多种能力。",
        "推荐阅读原论文以了解更多细节，其中的实验设计非常严谨，值得反复推敲。",
        "评论区有读者问：上下文窗口越长越好吗？答案是否定的。",
        "专栏里的上一篇文章讲了位置编码，这里接着讲长度外推。",
        "上一篇我们讲了 RLHF，这一篇讲 DPO。",
        "GPT-4 于 2023-03-14 发布，同一天 Anthropic 也发布了 Claude。",
        "登录后参与评论的读者大多提到了幻觉问题",
        "还没有人评论过这个模型的推理能力",
        "这篇笔记会收录进我的专栏，后面还会补充 RLHF 的细节。",
        "阅读 3 篇论文之后，我发现位置编码的外推能力差别很大。",
        "作者：张三认为模型越大越好，但这并不总是成立。",
        "作者认为，涌现能力可能只是评价指标造成的错觉。",
    ],
)
def test_prose_that_mentions_similar_words_is_kept(rules, line: str) -> None:
    lines = ["# 标题", "第一段。", "第二段。", "第三段。", line, "结尾。"]
    assert find_boilerplate(lines, rules).hits == []


# Chrome of note editors and repositories: a line of its own between the prose.
CHROME_LINES = [
    ("[toc]", "toc-marker"),
    ("[TOC]", "toc-marker"),
    ("\\[toc]&#x20;", "toc-marker"),  # as an exporter escapes it
    ("@[toc](目录)", "toc-marker"),
    ("[[_TOC_]]", "toc-marker"),
    ("**Star一下，举手之劳！**", "support-request"),
    ("如果觉得有帮助，欢迎给个 ⭐ 支持一下", "support-request"),
    ("If you find this repo useful, please give it a star!", "support-request"),
    ("请作者喝杯咖啡 ☕", "support-request"),
    ("Buy me a coffee", "support-request"),
    ("仓库上有原始的Markdown文件，完全开源，欢迎大家Star和Fork！", "support-request"),
    ("微信公众号：**走向未来**", "support-request"),
    ("欢迎关注我的公众号「AI小站」，获取更多大模型资料", "social-call-to-action"),
    ("[点击查看答案](https://example.com/paid/123)", "paid-answer-link"),
    ("答案见知识星球「大模型面试」", "paid-answer-link"),
    ("付费后查看完整答案", "paid-answer-link"),
    ("使用数据请注明来源：**微信公众号：走向未来** 和 **仓库：https://example.com/repo**",
     "repost-disclaimer"),
]


@pytest.mark.parametrize(("line", "rule"), CHROME_LINES)
def test_editor_and_repository_chrome_on_a_line_of_its_own_is_removed(rules, line: str, rule: str) -> None:
    lines = ["# 标题", "正文第一段说的是大语言模型的训练数据从哪里来。", line,
             "正文第二段说的是大语言模型的训练目标是什么样的。"]
    hits = find_boilerplate(lines, rules).hits
    assert [(h.start, h.rule) for h in hits] == [(3, rule)]


@pytest.mark.parametrize(
    "line",
    [
        "- 给个 ⭐ 吧",  # a list item between the prose is content, whatever it says
        "| Star 数 | 12k |",
        "> 答案见知识星球",
        "GitHub 上的 star 数并不能说明模型的质量，下载量与引用次数更可靠。",
        "StarCoder 是 BigCode 发布的代码模型，训练数据来自 The Stack。",
        "公众号文章的图片常常无法导出，这也是很多笔记缺图的原因。",
        "面试官最后问：LoRA 的秩怎么选？参考答案见下一节的实验。",
        "在 Typora 中输入 [toc] 就能生成目录，这与站点的目录不是一回事。",
        "很多开源项目靠捐赠维持，这在大模型时代依然如此。",
    ],
)
def test_content_that_mentions_chrome_words_is_kept(rules, line: str) -> None:
    lines = ["# 标题", "正文第一段说的是大语言模型的训练数据从哪里来。", line,
             "正文第二段说的是大语言模型的训练目标是什么样的。"]
    assert find_boilerplate(lines, rules).hits == []


def test_lines_of_a_display_formula_are_never_chrome(rules) -> None:
    lines = ["# 标题", "正文第一段说的是词向量为什么需要稠密表示。", "$$", "similarity(star, sun)=0 给个 star 一下",
             "$$", "正文第二段说的是大语言模型的训练目标是什么样的。"]
    assert find_boilerplate(lines, rules).hits == []


def test_a_promotion_section_at_the_end_goes_and_the_next_trailer_too(rules) -> None:
    lines = ["# 中国大模型列表", "正文一。", "正文二。", "正文三。", "", "# 微信公众号：走向未来", "",
             "欢迎扫码关注，分享大模型、知识图谱等内容。", "![](imgs/qr.jpeg)", "", "## 相关文章",
             "无关文章一", "无关文章二"]
    hits = find_boilerplate(lines, rules).hits
    assert [(h.start, h.end, h.rule) for h in hits] == [
        (6, 9, "promo-section-trailer"), (11, 13, "related-articles-trailer")]


def test_a_follow_me_section_at_the_end_goes(rules) -> None:
    """"## 欢迎关注我的GitHub和微信公众号[某某]，快上船！" heads a promotion, its repository link
    and "欢迎大家Star和Fork！" with it."""
    lines = ["# 量化", "正文一。", "正文二。", "正文三。", "", "## 欢迎关注我的GitHub和微信公众号[某某之船]，快上船！",
             "", "[GitHub: SomeRepo](https://github.com/someone/SomeRepo)", "",
             "仓库上有原始的Markdown文件，完全开源，欢迎大家Star和Fork！"]
    hits = find_boilerplate(lines, rules).hits
    assert [(h.start, h.end, h.rule) for h in hits] == [(6, 10, "promo-section-trailer")], hits


def test_a_long_section_under_a_promotion_word_is_kept(rules) -> None:
    lines = ["# 笔记", "正文一。", "正文二。", "正文三。", "## 赞助",
             *[f"第 {i} 段讲赞助商的模型。" for i in range(10)]]
    assert [h.rule for h in find_boilerplate(lines, rules).hits] == []


BODY = ["## 1. 什么是 LLM", "大语言模型是参数量巨大的语言模型，通常在海量语料上预训练得到。",
        "## 2. 涌现能力", "模型规模超过某个阈值后，会出现小模型没有的能力，这被称为涌现能力。",
        "### 2.1 上下文学习", "给出几个示例，模型就能在不更新参数的情况下完成新任务。"]


@pytest.mark.parametrize(
    "toc",
    [
        ["目录", "", "- 什么是 LLM", "- 涌现能力", "  - 上下文学习"],
        ["## 文章目录", "1. 什么是LLM", "2. 涌现能力", "   2.1 上下文学习"],
        ["**Contents**", "* [1. 什么是 LLM](#1-什么是-llm)", "* [2. 涌现能力](#2-涌现能力)"],
        # No label: links to the note's own anchors.
        ["- [什么是 LLM](#什么是-llm)", "- [涌现能力](#涌现能力)", "- [上下文学习](#上下文学习)"],
        # Blog exports list the note's title first.
        ["文章目录", "- 大语言模型笔记", "  - 1. 什么是 LLM", "  - 2. 涌现能力"],
    ],
)
def test_a_table_of_contents_that_repeats_the_notes_headings_is_removed(rules, toc: list[str]) -> None:
    lines = ["# 大语言模型笔记", "", *toc, "", *BODY]
    hits = find_boilerplate(lines, rules).hits
    assert [(h.start, h.end, h.rule) for h in hits] == [(3, 2 + len(toc), "self-toc")]


@pytest.mark.parametrize(
    "lst",
    [
        # Under a "目录" label, but the items are not the note's headings: a list of chapters elsewhere.
        ["目录", "- 第一章 绪论", "- 第二章 数据", "- 第三章 训练"],
        # Items that repeat the headings, in the middle of the prose and without a label or links:
        # an overview the writer chose to give.
        ["大语言模型的讨论可以从两个问题开始，下面先列出它们，再一一展开说明。",
         "- 什么是 LLM", "- 涌现能力"],
        # Only one item of three repeats a heading.
        ["目录", "- 什么是 LLM", "- 模型的训练成本", "- 模型的推理成本"],
    ],
)
def test_lists_that_are_not_the_notes_own_contents_stay(rules, lst: list[str]) -> None:
    lines = ["# 大语言模型笔记", "正文第一段说的是大语言模型的训练数据从哪里来。", "", *lst, "", *BODY]
    assert [h.rule for h in find_boilerplate(lines, rules).hits] == []


@pytest.mark.parametrize("line", ["作者：张三", "主讲：王磊 ｜ 2024.03.15", "整理 / 审校：李四",
                                  "译者：Alex Wang · 2023-05-01"])
def test_bylines_are_metadata(rules, line: str) -> None:
    lines = ["# 标题", line, "正文第一段。", "正文第二段。"]
    hits = find_boilerplate(lines, rules).hits
    assert [h.start for h in hits] == [2] and hits[0].rule in {"source-footer", "platform-metadata"}


def test_trailer_runs_to_the_end_or_the_next_heading(rules) -> None:
    lines = ["# 笔记", "一。", "二。", "三。", "推荐阅读：", "无关文章一", "无关文章二", "",
             "## 下一节", "这一节是正文。"]
    hits = find_boilerplate(lines, rules).hits
    assert [(h.start, h.end, h.rule) for h in hits] == [(5, 7, "related-articles-trailer")]


# A chapter's own reading list (links to papers) and a blog's widget (links to its articles).
READING_LIST = ["## 延伸阅读", "",
                "- [一篇关于稀疏注意力的论文](https://arxiv.org/abs/2001.00001). 作者甲, 作者乙. 2020.",
                "- [另一篇会议论文](https://aclanthology.org/2021.acl-long.1.pdf)",
                "- [某课程讲义](https://example.edu/course/notes-07.pdf)",
                "- [框架文档](https://docs.example.org/parallel/intro.html)"]
WIDGET_LIST = ["## 推荐阅读", "",
               "- [用 Python 画饼图](https://blog.example.com/article/1001)",
               "- [寄存器入门](https://blog.example.com/article/1002)",
               "- [论文合集下载](https://blog.example.com/files/papers.pdf)"]


@pytest.mark.parametrize(("trailer", "removed"), [(READING_LIST, False), (WIDGET_LIST, True)])
def test_a_reading_list_of_papers_stays_and_a_widget_of_articles_goes(rules, trailer, removed) -> None:
    lines = ["# 第七章", "正文一。", "正文二。", "正文三。", *trailer]
    hits = find_boilerplate(lines, rules).hits
    assert [(h.start, h.rule) for h in hits] == ([(5, "related-articles-trailer")] if removed else [])


def test_a_trailer_word_at_the_top_of_a_note_is_not_a_trailer(rules) -> None:
    lines = ["相关文章", "大语言模型是一种语言模型。", "它有很多参数。"]
    assert find_boilerplate(lines, rules).hits == []


def test_previous_next_links_at_the_end_start_a_trailer(rules) -> None:
    lines = ["[Day 12] 标题", "正文一。", "正文二。", "正文三。", "", "留言", "上一篇",
             "[Day 11] 用 Ollama 在笔电上跑 Llama 3", "下一篇", "[Day 13] RAG 入门：让模型读懂你的文件",
             "系列文", "某某日记 共 30 篇", "尚未有邦友留言"]
    hits = find_boilerplate(lines, rules).hits
    assert [(h.start, h.end, h.rule) for h in hits] == [
        (6, 6, "platform-metadata"), (7, 13, "adjacent-articles-trailer")]


def test_previous_next_links_above_the_note_only_lose_their_own_line(rules) -> None:
    # Navigation at the top: what follows is the note itself (prose), not a list of titles.
    lines = ["[Day 12] 标题", "某作者", "2024-09-26 23:41:05", "‧ 215 浏览", "上一篇",
             "[Day 11] 用 Ollama 在笔电上跑 Llama 3", "", "正文第一段。", "正文第二段。"]
    hits = find_boilerplate(lines, rules).hits
    assert all(h.rule != "adjacent-articles-trailer" for h in hits)
    assert max(h.end for h in hits) == 5


def test_previous_link_above_a_long_list_is_not_a_trailer(rules) -> None:
    # A note of short bullets without "。" after a bare "上一篇": more lines than a trailer holds.
    lines = ["# 标题", "一。", "二。", "三。", "上一篇", *[f"- 要点 {i}" for i in range(30)]]
    hits = find_boilerplate(lines, rules).hits
    assert [(h.start, h.end, h.rule) for h in hits] == [(5, 5, "social-call-to-action")]


def test_header_scraps_under_the_title_are_removed(rules) -> None:
    lines = ["# 标题", "", "作者头像", "某作者", "发布于 2024-05-08 10:21:37", "阅读 1.3K", "",
             "正文一。"]
    hits = find_boilerplate(lines, rules).hits
    assert [(h.start, h.end, h.rule) for h in hits] == [
        (3, 4, "boilerplate-residue"), (5, 5, "source-footer"), (6, 6, "platform-metadata")]


@pytest.mark.parametrize(
    "lines",
    [
        # A first line that is prose is no title: the short line under it stays.
        ["大模型很强。", "短行", "发布于 2024-05-08 10:21:37", "正文一。"],
        # A heading is never a scrap.
        ["# 标题", "## 简介", "作者：张三", "正文一。"],
        ["# 标题", "大模型会产生幻觉。", "作者：张三", "正文一。"],
    ],
)
def test_content_under_the_title_stays(rules, lines: list[str]) -> None:
    hits = find_boilerplate(lines, rules).hits
    assert [h.rule for h in hits if h.start == 2] == []


@pytest.mark.parametrize(
    ("line", "rule"),
    [("留言 追蹤 檢舉", "platform-metadata"), ("‧ 215 瀏覽", "platform-metadata"),
     ("38 人訂閱", "platform-metadata"), ("登錄後發表評論", "comment-box"),
     ("暫無評論", "comment-box"), ("轉載請註明出處", "repost-disclaimer")],
)
def test_rules_match_a_note_kept_in_traditional_script(rules, line: str, rule: str) -> None:
    lines = ["# 標題", "正文第一段。", "正文第二段。", "正文第三段。", "", line]
    simplified = to_simplified("\n".join(lines)).split("\n")
    assert find_boilerplate(lines, rules).hits == []  # the words as written match no rule
    hits = find_boilerplate(lines, rules, simplified).hits
    assert [(h.start, h.rule) for h in hits] == [(6, rule)]


@pytest.mark.parametrize(
    "line",
    ["首页 › 论坛 › 大模型 › DeepSeek-R1 部署记录", "首页 » 技术区 » 帖子",
     "某某论坛 > 电脑讨论区 > AI 专区 > R1 懒人包：六个问题",
     "[心得分享] DeepSeek-R1 懒人包 [复制链接]", "本帖最后由 阿丹 于 2024-5-1 12:00 编辑",
     "原帖由 阿丹 于 2025-2-3 14:05 发表", "回复 引用 举报", "回复 引用 检举 使用道具",
     "分享到：Facebook Twitter QQ空间 微博", "返回列表 发新帖 回复", "上一主题 下一主题",
     "查看: 1234 | 回复: 56", "回复: 56 | 查看: 1234", "沙发", "板凳", "#1", "1楼", "楼主"],
)
def test_forum_chrome_is_removed(rules, line: str) -> None:
    lines = ["# 标题", "正文第一段。", "正文第二段。", "正文第三段。", "", line]
    hits = find_boilerplate(lines, rules).hits
    assert [h.start for h in hits] == [6]
    assert hits[0].rule in ("forum-chrome", "platform-metadata", "forum-quoted-reply-trailer")


@pytest.mark.parametrize(
    ("line", "rule"),
    [("回覆 引用 檢舉", "platform-metadata"), ("本帖最後由 阿丹 於 2025-2-3 14:22 編輯", "forum-chrome"),
     ("[心得分享] R1 懶人包 [複製鏈接]", "forum-chrome"), ("返回列表 發新帖", "forum-chrome")],
)
def test_forum_chrome_matches_a_note_kept_in_traditional_script(rules, line: str, rule: str) -> None:
    lines = ["# 標題", "正文第一段。", "正文第二段。", "正文第三段。", "", line]
    simplified = to_simplified("\n".join(lines)).split("\n")
    hits = find_boilerplate(lines, rules, simplified).hits
    assert [(h.start, h.rule) for h in hits] == [(6, rule)]


@pytest.mark.parametrize(
    "line",
    ["效果排序大致是 GPT-4 > Claude > Llama，差距在推理题上最明显。",  # a ranking in a sentence
     "GPT-4 > Claude > Llama > Qwen",  # a ranking alone, no forum word, no › or »
     "A > B", "输入 → 编码器 → 解码器 → 输出",  # a pipeline
     "引用论文时要写清楚版本号。", "分享到群里之后，大家讨论了很久。",
     "我在本帖最后编辑了一下结论。", "编辑距离是衡量两个字符串差异的指标。",
     "沙发上的猫也会被这个模型识别出来。", "第1楼层的数据最多。"],
)
def test_prose_like_forum_chrome_is_kept(rules, line: str) -> None:
    lines = ["# 标题", "第一段。", "第二段。", "第三段。", line, "结尾。"]
    assert find_boilerplate(lines, rules).hits == []


def test_signature_and_a_quoted_thank_you_reply_end_a_forum_post(rules) -> None:
    lines = ["标题", "", "正文第一段。", "正文第二段。", "正文第三段。", "", "----------",
             "人生苦短，我用 Python", "我的博客：某某的 AI 杂记", "", "回复 引用 举报", "",
             "原帖由 楼主 于 2025-2-3 14:05 发表", "正文第一段。", "", "感谢整理，收藏了！", "",
             "回复 引用 举报", "返回列表 发新帖"]
    hits = find_boilerplate(lines, rules).hits
    assert [(h.start, h.end, h.rule) for h in hits] == [
        (7, 9, "forum-signature"), (11, 11, "platform-metadata"),
        (13, 19, "forum-quoted-reply-trailer")]


def test_a_rule_before_content_or_the_end_is_no_signature(rules) -> None:
    # "----" closing a note's text and a short reference list: nothing removed after it.
    lines = ["# 标题", "正文第一段。", "正文第二段。", "正文第三段。", "", "----", "参考：论文 A",
             "", "结尾一段正文，讲完了。"]
    assert find_boilerplate(lines, rules).hits == []
    assert find_boilerplate(lines[:7], rules).hits == []


def test_a_long_quoted_discussion_keeps_its_replies(rules) -> None:
    lines = ["# 标题", "正文第一段。", "正文第二段。", "正文第三段。", "",
             "原帖由 楼主 于 2025-2-3 14:05 发表", "正文第一段。", "",
             *[f"第 {i} 点补充：量化到 4-bit 之后效果下降了一些。" for i in range(10)]]
    hits = find_boilerplate(lines, rules).hits
    assert [(h.start, h.end, h.rule) for h in hits] == [(6, 6, "forum-chrome")]


# --- rule file validation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules:\n  - name: x\n    description: d\n    scope: line\n    patterns: ['(']\n",
         ":2: rule 'x': invalid regular expression"),
        ("rules:\n  - name: x\n    description: d\n    scope: sometimes\n    patterns: [a]\n",
         ":2: rule 'x': scope must be 'line' or 'trailer'"),
        ("rules:\n  - name: x\n    scope: line\n    patterns: [a]\n",
         ":2: rule: missing key(s) description"),
        ("rules:\n  - name: x\n    description: d\n    scope: line\n    patterns: [a]\n"
         "    colour: red\n", ":2: rule: unknown key(s) colour"),
        ("rules: [\n", "invalid YAML"),
        ("rules:\n  - name: x\n    description: d\n    scope: line\n    patterns: [a]\n"
         "    list_only: true\n", ":2: rule 'x': list_only applies to trailer rules only"),
        ("rules:\n  - name: x\n    description: d\n    scope: trailer\n    patterns: [a]\n"
         "    max_lines: -1\n", ":2: rule 'x': max_lines must be a non-negative integer"),
        ("rules:\n  - name: x\n    description: d\n    scope: trailer\n    patterns: [a]\n"
         "    list_only: 1\n", ":2: rule 'x': list_only must be true or false"),
        ("rules:\n  - name: x\n    description: d\n    scope: line\n    patterns: [a]\n"
         "    keep_if_citing: [arxiv.org]\n", ":2: rule 'x': keep_if_citing applies to trailer rules only"),
        ("rules:\n  - name: x\n    description: d\n    scope: trailer\n    patterns: [a]\n"
         "    keep_if_citing: ['https://arxiv.org/']\n", ":2: rule 'x': keep_if_citing must list host names"),
    ],
)
def test_rule_file_errors_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_rules(path)
    assert str(info.value).startswith(str(path))
    assert message in str(info.value)
    assert "\n" not in str(info.value)


# --- discovery and read_note -----------------------------------------------------------------


def test_unsupported_hidden_empty_and_outside_files(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "ok.md").write_text("# 标题\n\n正文。\n", encoding="utf-8")
    (notes / "doc.docx").write_bytes(b"PK\x03\x04")
    (notes / ".DS_Store").write_bytes(b"\x00\x01")
    (notes / "empty.txt").write_bytes(b"")
    (notes / "blank.md").write_text(" \n\t\n", encoding="utf-8")
    secret = tmp_path / "secret.md"
    secret.write_text("不应被读取的内容。\n", encoding="utf-8")
    (notes / "link.md").symlink_to(secret)
    reporter = Reporter()
    paths = discover_notes(notes, reporter, label_root=tmp_path)
    assert [p.name for p in paths] == ["blank.md", "empty.txt", "ok.md"]
    read = [read_note(p, reporter, load_rules(), label_root=tmp_path) for p in paths]
    assert [r is not None for r in read] == [False, False, True]
    codes = {(d.file, d.code) for d in reporter.items}
    assert codes == {
        ("notes/doc.docx", "unsupported-type"),
        ("notes/link.md", "outside-notes"),
        ("notes/empty.txt", "empty"),
        ("notes/blank.md", "empty"),
    }
    assert all("\n" not in str(d) and str(d).startswith("notes/") for d in reporter.items)


def test_removed_lines_keep_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "n.md"
    path.write_text("# 标题\n\n正文一。\n正文二。\n正文三。\n\n转载请注明出处\n最后一行正文。\n",
                    encoding="utf-8")
    note, _origin = read_note(path, Reporter(), load_rules(), label_root=tmp_path)
    assert note.lines[6] == "" and note.lines[7] == "最后一行正文。"
    assert [(r.span.start, r.rule) for r in note.removals] == [(7, "repost-disclaimer")]
    assert 7 in note.original_nonblank


def test_a_note_kept_traditional_loses_its_footer_and_keeps_its_script(tmp_path: Path) -> None:
    path = tmp_path / "n.md"
    path.write_text("# 標題\n\n正文一。\n正文二。\n正文三。\n\n轉載請註明出處\n", encoding="utf-8")
    note, _origin = read_note(path, Reporter(), load_rules(), label_root=tmp_path, simplify=False)
    assert note.lines[0] == "# 標題" and note.lines[6] == ""
    assert [(r.span.start, r.rule) for r in note.removals] == [(7, "repost-disclaimer")]


# --- the command line ----------------------------------------------------------------------------


def _llmkb(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "llmkb.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_build_is_lenient_by_default_and_strict_on_request(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("# 涌现能力\n\n涌现能力是大模型才有的能力。![图](missing.png)\n",
                                encoding="utf-8")
    (notes / "b.pdf").write_bytes(b"%PDF-1.4")
    (notes / "c.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # an image beside the notes is no warning
    lenient = _llmkb("build", "--notes", "notes", "--docs", "docs", cwd=tmp_path)
    assert lenient.returncode == 0, lenient.stderr
    assert re.search(r"^ +1 × image-missing +notes/a\.md:3: image missing\.png does not exist; dropped$",
                     lenient.stderr, re.M), lenient.stderr
    assert re.search(r"^ +1 × unsupported-type +notes/b\.pdf: is not a note", lenient.stderr, re.M)
    assert "c.png" not in lenient.stderr
    assert "Traceback" not in lenient.stderr
    strict = _llmkb("build", "--strict", "--notes", "notes", "--docs", "docs2", cwd=tmp_path)
    assert strict.returncode == 1
    assert "Traceback" not in strict.stderr


def test_bad_taxonomy_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.md").write_text("正文。\n", encoding="utf-8")
    bad = tmp_path / "taxonomy.yaml"
    bad.write_text("topics:\n  - id: Bad Id\n    title: x\n    slug: x\n    description: d\n",
                   encoding="utf-8")
    result = _llmkb("build", "--notes", "notes", "--taxonomy", str(bad), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert f"{bad}:2:" in result.stderr and "Traceback" not in result.stderr


def test_real_notes_decode_as_utf8() -> None:
    for path in sorted((ROOT / "notes").iterdir()):
        assert decode_note(path.read_bytes()).encoding == "utf-8"


def test_space_character_references_are_spaces_outside_code(tmp_path: Path, rules) -> None:
    """Typora/Notion exports: "&#x20;" closing a line, "&nbsp;" indenting; code keeps them."""
    note = tmp_path / "n.md"
    note.write_text("## 强化学习整体流程 &#x20;\n\n&nbsp;&nbsp;第一步&emsp;采样。&#x20\n\n"
                    "写作 `&nbsp;` 的实体。\n\n```html\n<p>&nbsp;</p>\n```\n", encoding="utf-8")
    text, _ = read_note(note, Reporter(), rules, label_root=tmp_path)
    assert text.lines[:3] == ["## 强化学习整体流程", "", "  第一步 采样。"]
    assert text.lines[4] == "写作 `&nbsp;` 的实体。" and text.lines[7] == "<p>&nbsp;</p>"


def test_notebook_prompts_go_their_code_and_prose_stay(rules) -> None:
    """A Jupyter export's "In [1]:" / "Out[2]:" lines are no content; the code under them and a
    sentence that mentions In [1] stay."""
    lines = ["# 跑通文本生成", "", "In [1]:", "", "```python", "print(1)", "```", "", "Out[2]:", "",
             "    1", "", "第一个单元格 In [1] 导入了库。", "In [ ]:"]
    hits = find_boilerplate(lines, rules).hits
    assert [(h.start, h.rule) for h in hits] == [(3, "notebook-prompt"), (9, "notebook-prompt"),
                                                 (14, "notebook-prompt")]


def test_notes_app_page_properties_above_the_text_go(rules) -> None:
    """Notion/Obsidian properties exported above the text ("Created: …", "Tags: …")."""
    lines = ["# KV Cache 学习笔记", "", "Created: 2024年3月1日 10:00", "Tags: LLM, 推理", "",
             "KV Cache 缓存已经算过的 Key 和 Value。", "生成时只算新 token。", "显存换时间。"]
    hits = find_boilerplate(lines, rules).hits
    assert [(h.start, h.end, h.rule) for h in hits] == [(3, 4, "platform-metadata")]


def test_a_documents_own_header_fields_go(rules) -> None:
    """"> 研究日期：…", "> 适用方向：…", "> 文档定位：…" above the text are the document's header,
    not knowledge; the same words further down, between paragraphs, stay."""
    lines = ["# 后训练笔记", "", "> 研究日期：2026-01-30（UTC）", "> 适用方向：后训练、对齐",
             "> 文档定位：题目设计底稿，不是固定题库。", "",
             "本文把后训练拆成一条可以连续追问、也可以在小规模实验里证伪的链路，先讲监督微调。",
             "然后讲偏好优化：为什么直接偏好优化不需要单独训练一个奖励模型，以及它的代价在哪里。", "",
             "适用对象：只有这一句在正文里。",
             "", "结尾一句：为什么可验证奖励适合数学和代码这类答案能自动检查的任务。"]
    hits = find_boilerplate(lines, rules).hits
    assert [(h.start, h.end, h.rule) for h in hits] == [(3, 5, "platform-metadata")]


def test_a_source_line_with_a_markdown_link_is_the_notes_origin(rules) -> None:
    """"> 文章来源：[标题 - 站点 (example.com)](url "标题")" under the title says where the note was
    copied from: removed by name, its link kept as the origin (Markdown escapes undone); the same
    words between paragraphs are content."""
    lines = ["# 笔记", "",
             '> 文章来源：[某篇长文 - 某站 (example.com)](https://example.com/s?a=1\\&b=2 '
             '"某篇长文 - 某站 (example.com)")',
             "", "第一段正文讲注意力的计算：先算查询和键的相似度，再对值加权求和。",
             "", "来源：[一篇论文](https://arxiv.org/abs/2001.00001)",
             "", "第二段正文讲多头：把表示切成几份，各自算注意力，最后拼接起来。"]
    result = find_boilerplate(lines, rules)
    assert [(h.start, h.rule) for h in result.hits] == [(3, "source-link")]
    assert result.origin_url == "https://example.com/s?a=1&b=2"


def test_a_front_matter_block_is_no_prose_that_ends_the_head(rules) -> None:
    """A post's front matter may hold a sentence ("description: 从零理解…。"); it is metadata, so the
    header fields quoted under the title ("> 📅 **创建时间**：…") still lie in the note's head."""
    lines = ["---", "title: 稀疏专家深度解析", "date: 2026-02-08 10:00:00",
             'description: "从零理解稀疏专家模型的核心思想，看懂路由、负载均衡和专家并行。"', "---", "",
             "# 稀疏专家深度解析", "", "> 📅 **创建时间**：2026-02-08", "> 🏷️ **标签**：#MoE #稀疏计算", "",
             "稀疏专家模型让每个词元只经过少数几个专家，在算力不变的情况下把参数量做大。"]
    hits = find_boilerplate(lines, rules).hits
    assert [(h.start, h.end, h.rule) for h in hits] == [(9, 10, "platform-metadata")]
