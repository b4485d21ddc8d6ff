"""Model catalog (模型目录): extracted from the real notes, every cell grounded in a sentence.

Also: the recognizers on small strings (dates, sizes, context lengths, names,
organizations), the override file, first-mention linking, fixture notes about models no
note mentions (tests/fixtures/unseen_model/: Mistral 7B, and OLMo written in other words),
which must add complete catalog rows, and small notes that phrase facts the ways unseen
notes do (an organization introduced by what it is, a release date in "是 Y 在…开源的…模型",
a fact in a sentence that names no model) — with the look-alikes that must not count.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import extract_again, kb_of_notes, note_keys, notes_with, text_files
from llmkb.datafile import ConfigError
from llmkb.dedup import sentence_key
from llmkb.diagnostics import Reporter
from llmkb.extract.catalog import COLUMNS
from llmkb.extract.facts import FACT_RULES
from llmkb.extract.orgs import Orgs, clean_orgs
from llmkb.extract.patterns import (
    RELEASE_RE,
    clauses,
    find_contexts,
    find_dates,
    find_sizes,
    size_values,
    year_of,
)
from llmkb.extract.registry import Registry
from llmkb.models import Extraction, KnowledgeBase, Place, Sentence
from llmkb.names import name_key, split_name
from llmkb.pipeline import Settings, build_kb
from llmkb.render import render_site
from llmkb.render.catalog import MentionLinker, catalog_table

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "unseen_model"


Built = tuple[KnowledgeBase, Extraction, dict[str, str], dict[str, str]]


def build(notes_dir: Path) -> Built:
    settings = Settings(notes_dir=notes_dir, docs_dir=notes_dir.parent / "docs", project_root=notes_dir.parent)
    kb = build_kb(settings, Reporter())
    return kb, kb.extraction, text_files(render_site(kb, notes_dir)), note_keys(kb.docs)


def one_note(tmp_path: Path, text: str) -> Extraction:
    """What the knowledge base of one note (m.md) extracts."""
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "m.md").write_text(text, encoding="utf-8")
    return build(notes)[1]


@pytest.fixture(scope="module")
def real(real_kb, real_files, real_note_keys) -> Built:
    return real_kb, real_kb.extraction, text_files(real_files), real_note_keys


@pytest.fixture(scope="module")
def with_fixture(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(notes_with(tmp_path_factory.mktemp("unseen"), FIXTURE))


def grounded(sentence, notes: dict[str, str]) -> bool:
    """The cited sentence is in one of the notes it cites (after the pipeline's normalization)."""
    key = sentence_key(sentence.raw)
    return bool(key) and any(key in notes.get(span.file, "") for span in sentence.spans)


def cell(result: Extraction, model: str, column: str) -> str:
    row = result.catalog.row(model)
    assert row is not None, f"no catalog row for {model}"
    return row.value(column)


# --------------------------------------------------------------------------- the catalog


def test_at_least_15_rows_each_with_a_sourced_value(real) -> None:
    _, result, _, _ = real
    rows = result.catalog.rows
    assert len(rows) >= 15
    for row in rows:
        assert row.section or any(row.cells[c].facts for c, _ in COLUMNS), row.name
    names = {name_key(r.name) for r in rows}
    for expected in ("GPT-3", "ChatGPT", "GPT-4", "GPT-4 Turbo", "Claude", "Claude 2", "PaLM",
                     "PaLM 2", "LLaMA", "ChatGLM", "Baichuan2-192K", "BERT", "T5", "Yi"):
        assert name_key(expected) in names or result.catalog.row(expected), expected


def test_every_cell_is_found_in_the_sentence_it_cites(real) -> None:
    _, result, _, notes = real
    checked = 0
    for row in result.catalog.rows:
        for column, _ in COLUMNS:
            for fact in row.cells[column].facts:
                sentence = fact.evidence.sentence
                # (a 要点 cell drops the spaces markup left between Chinese characters)
                gap = re.compile(r"(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff])")
                assert gap.sub("", fact.text.rstrip("…")) in gap.sub("", sentence.text), (row.name, column, fact.text)
                assert grounded(sentence, notes), (row.name, column, sentence.text)
                checked += 1
    assert checked > 60


def test_known_facts(real) -> None:
    _, result, _, _ = real
    assert cell(result, "ChatGLM", "params") == "62 亿"
    assert cell(result, "ChatGLM", "context") == "2048"
    assert "540B" in cell(result, "PaLM", "params")
    assert cell(result, "PaLM", "org") == "Google"
    assert cell(result, "GPT-3", "params").startswith("1750 亿")
    gpt4 = result.catalog.row("GPT-4").cells["params"].facts
    assert [f.text for f in gpt4] == ["1.8 万亿"] and gpt4[0].hedged  # 有相关人员猜测
    assert cell(result, "GPT-4", "date") == "2023 年 3 月"
    assert cell(result, "Baichuan2-192K", "context") in ("192K", "192 K")
    assert cell(result, "Baichuan2-192K", "date") == "2023 年 10 月 30 日"
    assert cell(result, "Baichuan2-192K", "org") == "百川智能"
    assert cell(result, "GPT-4 Turbo", "context") == "128k"
    assert cell(result, "ChatGPT", "date") == "2022 年 11 月"
    assert cell(result, "ChatGPT", "org") == "OpenAI"
    assert cell(result, "Claude", "date") == "2023 年 3 月 15 日"
    assert cell(result, "Claude", "org") == "Anthropic"
    assert cell(result, "Claude 2", "context").startswith("200K")
    assert cell(result, "LLaMA", "params") == "从 7B 到 70B"
    assert cell(result, "LLaMA", "org") == "Meta"
    assert cell(result, "通义千问", "org").startswith("阿里巴巴")
    assert result.catalog.row("Qwen") is result.catalog.row("通义千问")
    assert "70 亿（7B）和 140 亿（14B）" in cell(result, "Qwen", "params")
    assert cell(result, "ChatGLM 2", "context") == "3.2 万字符"
    assert cell(result, "BERT", "context") == cell(result, "T5", "context") == "512"
    assert cell(result, "Yi", "org") == "零一万物"
    assert cell(result, "BERT", "org") == "谷歌"
    assert cell(result, "GPT-3", "date") == "2020 年 5 月左右"  # GPT 3.0 出现之前（2020 年 5 月左右）


def test_open_and_closed_come_from_the_text_or_the_notes_grouping(real) -> None:
    _, result, _, _ = real
    for model in ("Claude", "GPT-4", "PaLM", "文心一言"):
        assert cell(result, model, "license") == "闭源", model
    for model in ("LLaMA", "GLM", "通义千问", "Baichuan", "Yi"):
        assert cell(result, model, "license") == "开源", model
    closed = result.catalog.row("GPT-4").cells["license"].facts[0]
    assert closed.how == "group" and "闭源" in closed.evidence.sentence.text
    assert cell(result, "Chinchilla", "license") == ""  # named inside 开源 LLM, not said to be open


def test_cells_the_notes_do_not_support_stay_empty(real) -> None:
    _, result, _, _ = real
    table = catalog_table(result.catalog)
    assert cell(result, "LLaMA", "date") == ""  # the notes give no date for LLaMA
    # nor say who made GPT-3: only its series' organization is shown, marked as such
    gpt3 = result.catalog.row("GPT-3")
    assert gpt3 is not None and gpt3.cells["org"].inherited_from == "GPT"
    assert all(f.model != gpt3.group for f in gpt3.cells["org"].facts)
    assert re.search(r"\| \[OpenAI\]\([^)]*\)（GPT 系列） \|", next(
        line for line in table.splitlines() if "{#model-gpt-3 " in line))
    assert cell(result, "ChatGPT", "context") == ""  # "支持最长达 32,000 个字符" is not about context
    row_line = next(line for line in table.splitlines() if "{#model-llama " in line)
    assert "| — |" in row_line


def test_table_links_point_at_existing_anchors(real) -> None:
    _, result, files, _ = real
    models = files["models.md"]
    table = catalog_table(result.catalog)
    assert models.index(table.splitlines()[-1]) < models.index("## ")
    targets = re.findall(r"\]\(([\w\-]+\.md)#([^)\s\"]+)", table)
    assert len(targets) > 100
    for page, anchor in targets:
        ids = set(re.findall(r"\{[^}\n]*#([^\s}]+)", files[page]))
        assert anchor in ids, (page, anchor)
    names = re.findall(r"\{#(model-[^\s}]+)", table)
    assert len(names) == len(set(names)) == len(result.catalog.rows)


def test_mentions_on_other_pages_link_to_the_catalog(real) -> None:
    _, result, files, _ = real
    linked = re.findall(r'\]\(models\.md#(model-[^\s)]+) "模型目录', files["history.md"])
    assert linked and len(linked) == len(set(linked))  # first mention only
    assert "模型目录：" not in files["models.md"].split("\n## ", 1)[1]  # not on the catalog itself
    link = MentionLinker(result.catalog)
    page = ("---\ntitle: \"GPT-4\"\n---\n\n# GPT-4 {#gpt-4}\n\n"
            "`GPT-4` 之后，GPT-4 又比 GPT-4 强。[ChatGPT](x.md) 与 ChatGPT。\n\n```\nGPT-3\n```\n")
    out = link(page, "sub/page.md")
    assert out.startswith("---\ntitle: \"GPT-4\"\n---\n\n# GPT-4 {#gpt-4}\n\n`GPT-4` 之后，[GPT-4](../models.md#")
    assert out.count("../models.md#model-gpt-4 ") == 1
    assert "[ChatGPT](x.md) 与 [ChatGPT](../models.md#model-chatgpt" in out
    assert out.endswith("```\nGPT-3\n```\n")
    assert link(page, "models.md") == page


def test_mention_links_never_go_inside_formulas(real) -> None:
    _, result, _, _ = real
    link = MentionLinker(result.catalog)
    page = ("# 公式 {#f}\n\n设 $f(GPT-4) = x$ 为 [$ChatGPT \\cdot y$](x.md) 的得分。\n\n"
            "$$\nS = GPT-4 + ChatGPT\n$$\n\n随后 GPT-4 与 ChatGPT 都更强。\n")
    out = link(page, "sub/page.md")
    assert out.startswith("# 公式 {#f}\n\n设 $f(GPT-4) = x$ 为 [$ChatGPT \\cdot y$](x.md) 的得分。\n\n"
                          "$$\nS = GPT-4 + ChatGPT\n$$\n\n随后 [GPT-4](../models.md#")
    assert "[ChatGPT](../models.md#model-chatgpt" in out


def test_terms_include_model_names(real) -> None:
    _, result, _, _ = real
    for word in ("ChatGLM", "通义千问", "Qwen", "Baichuan2-192K", "百川智能", "GPT-4"):
        assert word in result.terms


# --------------------------------------------------------------------------- unseen model


def test_a_note_about_an_unseen_model_adds_a_row(real, with_fixture) -> None:
    _, before, _, _ = real
    _, result, _, notes = with_fixture
    assert before.catalog.row("Mistral 7B") is None
    row = result.catalog.row("Mistral 7B")
    assert row is not None
    assert row.value("org") == "Mistral AI"
    assert row.value("date") == "2023 年 9 月 27 日"
    assert row.value("params").startswith("73 亿")
    assert row.value("license") == "开源"
    assert row.value("context") == "8K"
    assert len(result.catalog.rows) > len(before.catalog.rows)
    for column, _ in COLUMNS:
        for fact in row.cells[column].facts:
            assert grounded(fact.evidence.sentence, notes)
    mixtral = result.catalog.row("Mixtral")
    assert mixtral is not None and mixtral.value("context") == "32K"
    assert mixtral.value("date") == "2023 年 12 月"
    assert "Mistral" in result.terms


# --------------------------------------------------------------------------- overrides


def test_override_corrects_and_hides_rows(real, tmp_path: Path) -> None:
    kb, _, _, _ = real
    path = tmp_path / "override.yaml"
    path.write_text("overrides:\n"
                    "  - model: GPT-3\n    reason: 测试修订\n    organization: OpenAI\n"
                    "  - model: Grok\n    reason: 测试隐藏\n    hide: true\n"
                    "  - model: NoSuchModel\n    reason: 不存在\n    hide: true\n", encoding="utf-8")
    reporter = Reporter()
    result = extract_again(kb, reporter, overrides_path=path)
    assert result.catalog.row("GPT-3").value("org") == "OpenAI"
    assert "OpenAI [✎](#model-gpt-3 \"人工修订：测试修订\")" in catalog_table(result.catalog)
    assert result.catalog.row("Grok") is None
    [warning] = reporter.by_code("override-unknown-model")
    assert warning.line == 8 and "NoSuchModel" in warning.message


def test_shipped_override_file_is_valid_and_not_needed(real) -> None:
    from llmkb.extract.datafiles import DEFAULT_OVERRIDES, load_overrides

    assert load_overrides(DEFAULT_OVERRIDES) == []


@pytest.mark.parametrize("text, line, message", [
    ("overrides:\n  - model: GPT-3\n    colour: red\n    reason: x\n", 2, "unknown key"),
    ("overrides:\n  - model: GPT-3\n    organization: OpenAI\n", 2, "missing key"),
    ("overrides:\n  - model: GPT-3\n    reason: x\n", 2, "sets nothing"),
    ("overrides:\n  - model: GPT-3\n    reason: x\n    hide: maybe\n", 2, "true or false"),
    ("overrides: [\n", 2, "invalid YAML"),
])
def test_invalid_override_file_names_file_and_line(tmp_path: Path, text: str, line: int,
                                                   message: str) -> None:
    from llmkb.extract.datafiles import load_overrides

    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_overrides(path)
    assert str(err.value).startswith(f"{path}:{line}:")
    assert message in str(err.value)


def test_terms_file_lists_one_organizations_names_together(tmp_path: Path) -> None:
    from llmkb.extract.datafiles import load_terms

    path = tmp_path / "terms.yaml"
    path.write_text("organizations:\n  - OpenAI\n  - [Google, 谷歌]\n", encoding="utf-8")
    terms = load_terms(path)
    assert terms.organizations == ["OpenAI", "Google", "谷歌"]
    assert terms.same_organizations == [["Google", "谷歌"]]
    path.write_text("organizations:\n  - OpenAI\n  - [Google, 3]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_terms(path)
    assert str(err.value).startswith(f"{path}:3:")
    assert "one organization's names" in str(err.value)


ONE_ORG_TWO_NAMES_NOTE = """# 模型笔记

## Kestrel-9

Kestrel-9 是谷歌在 2024 年 2 月发布的开源大语言模型。

Kestrel-9 由 Google 开发，上下文长度为 8K。

## Plover-3

Plover-3 是白鹭智能在 2023 年 8 月发布的对话大模型。

Plover-3 由 Egret AI 开发，支持 32K 上下文。

白鹭智能（Egret AI）是一家做大模型的初创公司。
"""


def test_an_organization_named_in_two_scripts_is_shown_once(tmp_path: Path) -> None:
    """谷歌 and Google are one organization (the terms file lists them together); so are
    白鹭智能 and Egret AI, which a note writes as "白鹭智能（Egret AI）". Each row shows its
    organization once, as the first sentence about it writes it."""
    extraction = one_note(tmp_path, ONE_ORG_TWO_NAMES_NOTE)
    kestrel, plover = extraction.catalog.row("Kestrel-9"), extraction.catalog.row("Plover-3")
    assert kestrel is not None and plover is not None
    assert kestrel.value("org") == "谷歌"
    assert plover.value("org") == "白鹭智能"


# --------------------------------------------------------------------------- recognizers


@pytest.mark.parametrize("text, surfaces", [
    ("GPT-3（1750 亿参数）是 LLM 的开端", ["1750 亿"]),
    ("前 PaLM 共有 8B、62B、540B 三个不同参数量的模型版本", ["8B、62B、540B"]),
    ("一组参数规模 从 7B 到 70B 的基础语言模型", ["从 7B 到 70B"]),
    ("当前开源模型的参数规模为 70 亿（7B）和 140 亿（14B）。", ["70 亿（7B）和 140 亿（14B）"]),
    ("星火大模型包含超过 1700 亿个参数", ["超过 1700 亿"]),
    ("ChatGLM 是具有 62 亿参数量的语言大模型", ["62 亿"]),
    ("有相关人员猜测，GPT-4 总共包含了 1.8 万亿参数", ["1.8 万亿"]),
    # negatives: a year, a data size, a threshold, a number without 参数 or B
    ("该模型于 2023 年 5 月首次发布，共 12 层", []),
    ("训练数据总量达 780B 个字符", []),
    ("在大约 1.2 万亿字符上训练", []),
    ("具有在 10B 以下的基础模型中最强的性能", []),
    ("模型训练速度达到优化前的 3 倍，处理约 35 万个汉字", []),
    ("支持 2048 的上下文长度", []),
    # a later factor of a calculation (2 bytes a value), not "8 × 7B" nor "7B × 2 字节"
    ("KV Cache = 2 × 40 × 128 × 2 B ≈ 20 KB", []),
    ("Mixtral 8 × 7B 共有 46.7B 参数", ["7B", "46.7B"]),
    ("7B × 2 字节 = 14 GB 显存", ["7B"]),
    # millions of parameters, only in a clause about parameters
    ("Heron-base 的参数量为 110M", ["110M"]),
    ("预训练使用了 800M 的书籍语料，参数量 340M", ["340M"]),
    ("支持 1M 的上下文，参数量 7B", ["7B"]),
    # trillions written as T, likewise: a count of parameters, not of tokens or of data
    ("Lumen 的总参数量有 1.2T，每个 token 只激活 96B", ["1.2T", "96B"]),
    ("训练数据 1.4T token", []),
    ("在 1.4T 的语料上训练了 65B 参数的模型", ["65B"]),
    # sizes of training data in a sentence that also gives the parameters
    ("它由 7000 亿语料库训练，参数为 500 亿左右", ["500 亿"]),
    # users and money are counted in 亿 too
    ("参数规模 7B/13B/70B，可商用，月活超 7 亿需另行申请", ["7B/13B/70B"]),
    ("公司估值 20 亿美元，模型有 70 亿参数", ["70 亿"]),
    ("基于 LLaMA，权重下载 7B 和 13B 两个参数版本", ["7B 和 13B"]),
    ("一半来自 3630 亿金融数据，另一半是公共的数据集 3450 亿，参数为 500 亿", ["500 亿"]),
    # an MoE's total with what a token activates: the list goes on after it
    ("参数量：1B / 8B / 30B-A3B / 70B", ["1B / 8B / 30B-A3B / 70B"]),
])
def test_parameter_sizes(text: str, surfaces: list[str]) -> None:
    assert [s.surface for s in find_sizes(text)] == surfaces


def test_size_values_and_hedge() -> None:
    [size] = find_sizes("但有相关人员猜测，GPT-4 在 120 层中总共包含了 1.8 万亿参数")
    assert size.values == (1800.0,) and size.hedged
    [size] = find_sizes("70 亿（7B）和 140 亿（14B）参数")
    assert size.values == (7.0, 14.0) and not size.hedged
    [size] = find_sizes("参数量：1B / 8B / 30B-A3B / 70B")
    assert size.values == (1.0, 8.0, 30.0, 70.0)  # 3B is what one token activates


@pytest.mark.parametrize("text, tokens", [
    ("ChatGLM 是具有 62 亿参数量的语言大模型，支持 2048 的上下文长度。", [2048]),
    ("最大 4096 的上下文窗口长度", [4096]),
    # a window of a power of two K is that many times 1024 tokens (128k = 131072); other K are
    # thousands (192 K, 100K, 9K)
    ("它将上下文长度扩展到 128k，相当于 300 页文本", [131072]),
    ("LLaMA-2 的上下文长度为 4K", [4096]),
    ("上下文窗口长度高达 192 K，发布时是全球最长的", [192000]),
    ("Claude 的上下文窗口从 9K token 扩展到了 100K token", [9000, 100000]),
    ("两个模型的上下文窗口都是 9000 个 token（约 5000 个单词，或 15 页）", [9000]),
    ("支持的长下文长度达到了 3.2 万字符", [32000]),
    # Chinese products state their window in characters: 万字 / 万汉字 (not 万字节)
    ("无损上下文长度提升到了 200 万字，可以读完一整本书", [2000000]),
    ("上下文窗口可直接处理 40 万汉字的输入", [400000]),
    ("上下文缓存占用 2 万字节", []),
    # negatives: no context in the sentence, or the number is far from the cue
    ("可以生成最多 4000 个 token 的连贯文档，相当于大约 3000 个单词。", []),
    ("现在的 ChatGPT 支持最长达 32,000 个字符，知识截止日期是 2021 年 9 月", []),
    ("2023 年 10 月 30 日，百川智能发布，上下文窗口很长", []),
    # a vocabulary is counted in K too: its size is no context length
    ("上下文 8K，15T token 预训练，词表从 32K 扩到 128K", [8192]),
    ("词表 32K 的模型，上下文窗口是 4K", [4096]),
])
def test_context_lengths(text: str, tokens: list[int]) -> None:
    assert [c.tokens for c in find_contexts(text)] == tokens


@pytest.mark.parametrize("text, labels", [
    ("最早的 Claude 于 2023 年 3 月 15 日发布", ["2023 年 3 月 15 日"]),
    ("2022 年 11 月，OpenAI 发布了 ChatGPT", ["2022 年 11 月"]),
    ("该模型于2023年5月首次发布", ["2023 年 5 月"]),
    ("大约在 2018年左右，研究人员引入了", ["2018 年左右"]),
    ("随着 2022 年底 ChatGPT 再一次刷新", ["2022 年底"]),
    ("语言建模的研究始于 20世纪90年代", ["20 世纪 90 年代"]),
    ("发布日期 2023-03-15", ["2023 年 3 月 15 日"]),
    ("2024.02", ["2024 年 2 月"]),  # under a heading "时间" of a model's record
    ("发布于 2023/08/01", ["2023 年 8 月 1 日"]),
    ("版本号 2023.1", []),  # a version is no date
    ("2018.2：研究所发布 ELMo", ["2018 年 2 月"]),  # a chronicle's month of one digit
    ("营收 2023.5 亿元，增长 2019.5%", []),  # decimal numbers
    ("19年2月：OpenAI 公布 GPT-2", ["2019 年 2 月"]),  # a year of two digits before a month
    ("ChatGLM3-6B 发布于 23 年 10 月", ["2023 年 10 月"]),
    ("精度从 2019.125 提到 2019.75", []),
    ("在 2023 中国计算机大会上，不到 2 年时间里", []),
])
def test_dates(text: str, labels: list[str]) -> None:
    assert [d.value.label() for d in find_dates(text)] == labels


@pytest.mark.parametrize("text, labels", [
    ("Google 于 2 月 21 日发布开放权重模型", ["2024 年 2 月 21 日"]),
    ("3月14日，OpenAI 发布 GPT-4", ["2024 年 3 月 14 日"]),
    ("去年 11 月 30 日 ChatGPT 上线", []),  # a word puts it in another year
    ("2023 年 5 月 6 日发布", ["2023 年 5 月 6 日"]),  # a year of its own: found once
    ("每 3 个月更新一次，第 2 号补丁", []),
    ("12 月，DeepMind 发布 Gopher", ["2024 年 12 月"]),  # a month that opens a dated item
    ("5 月 Meta 发布 OPT-175B", ["2024 年 5 月"]),
    ("对比 3 月的版本，这一版更好", []),  # a month inside a sentence may be any year's
    ("3 月的版本更好", []),
])
def test_a_month_and_day_take_the_sections_year(text: str, labels: list[str]) -> None:
    assert [d.value.label() for d in find_dates(text, 2024)] == labels
    assert all(d.surface != "2 月 21 日" for d in find_dates(text))  # no year known: no date


@pytest.mark.parametrize("heading, year", [
    ("第 12 期 2024.02.19–02.25", 2024), ("2023", 2023), ("2023 年大事记", 2023),
    ("2022 年与 2023 年对比", 0), ("模型发布", 0), ("20 世纪 90 年代", 0),
])
def test_the_year_a_heading_is_about(heading: str, year: int) -> None:
    assert year_of(heading) == year


def test_dates_sort_year_before_its_months() -> None:
    [year] = find_dates("在 2021 年")
    [month] = find_dates("2021 年 1 月")
    assert year.value.key < month.value.key


def test_release_verbs_make_a_date_an_event() -> None:
    from llmkb.extract.facts import event_verb

    def verb(text: str) -> str | None:
        [d] = find_dates(text)
        m = event_verb(text, clauses(text), d, RELEASE_RE)
        return m.group(0) if m else None

    assert verb("2023 年 11 月 7 日，OpenAI 召开了首个开发者大会，会上推出了 GPT-4 Turbo") == "推出"
    assert verb("通义千问由阿里巴巴研发，于 2023 年 4 月正式发布。") == "发布"
    assert verb("到 GPT 3.0 出现之前（2020 年 5 月左右）") == "出现"
    assert verb("知识截止日期是 2021 年 9 月，它可以执行各种任务") is None
    assert verb("并且训练知识更新到 2023 年 4 月") is None


@pytest.mark.parametrize("name, base, sizes, context", [
    ("Qwen-7B-Chat", "Qwen", ("7B",), ""),
    ("LLaMA 13B", "LLaMA", ("13B",), ""),
    ("ChatGLM3-6B-Base", "ChatGLM3", ("6B",), ""),
    ("Baichuan2-192K", "Baichuan2-192K", (), "192K"),
    ("GPT-4 Turbo", "GPT-4 Turbo", (), ""),
    ("PaLM-E", "PaLM-E", (), ""),
    ("Claude-v1", "Claude", (), ""),
    ("DeepSeek-V2", "DeepSeek-V2", (), ""),
    ("DeepSeek V3", "DeepSeek V3", (), ""),
    ("Mistral-7B-Instruct", "Mistral", ("7B",), ""),
    ("BERT-large", "BERT", (), ""),  # a size word makes a variant
    ("T5-XXL", "T5", (), ""),
    ("Llama-2 Chat", "Llama-2", (), ""),  # a role word after a space, as in a name of two words
    # a mixture of experts sized by its experts: a variant, no parameter count
    ("Mixtral 8x7B", "Mixtral", (), ""),
    ("Mixtral-8x22B-Instruct", "Mixtral", (), ""),
    ("Zephyr-7B-β", "Zephyr", ("7B",), ""),  # a Greek letter's revision
    ("Claude 3 Opus", "Claude 3 Opus", (), ""),  # a tier of the line is a model of its own
    ("Gemini 1.5 Flash", "Gemini 1.5 Flash", (), ""),
])
def test_name_variants(name: str, base: str, sizes: tuple[str, ...], context: str) -> None:
    parts = split_name(name)
    assert (parts.base, parts.sizes, parts.context) == (base, sizes, context)


def test_name_keys_ignore_spelling() -> None:
    assert name_key("GPT-3") == name_key("GPT3") == name_key("GPT 3.0") == name_key("gpt3.0")
    assert name_key("Claude 2") == name_key("Claude-2") == name_key("Claude2")
    assert name_key("GPT-3.5") != name_key("GPT-3")
    assert name_key("DeepSeek V2") == name_key("DeepSeek-V2") != name_key("DeepSeek")
    assert name_key("Grōk") == name_key("Grok")  # diacritics ignored
    assert name_key("紫东・太初") == "紫东・太初"


def test_a_latin_name_with_diacritics_is_one_word() -> None:
    from llmkb.names import LATIN_NAME
    assert [m.group(0) for m in LATIN_NAME.finditer("公司：xAI；大模型：Grōk 与 Pokémon-7B")] == \
        ["xAI", "Grōk", "Pokémon-7B"]


def test_a_latin_name_runs_over_its_experts_tier_and_revision() -> None:
    from llmkb.names import LATIN_NAME
    text = "Mixtral 8x7B 和 Claude 3.5 Sonnet、Zephyr-7B-β 都比 GPT-4 Turbo 便宜。"
    assert [m.group(0) for m in LATIN_NAME.finditer(text)] == \
        ["Mixtral 8x7B", "Claude 3.5 Sonnet", "Zephyr-7B-β", "GPT-4 Turbo"]


@pytest.mark.parametrize("text, orgs", [
    ("OpenAI 离职人员创建的 Anthropic 公司", ["Anthropic"]),
    ("清华大学和智谱 AI 等", ["清华大学", "智谱 AI"]),
    ("阿里巴巴基于“通义”大模型", ["阿里巴巴"]),
    ("法国初创公司 Mistral AI", ["Mistral AI"]),
    ("但不久后就被零一万物", ["零一万物"]),
    ("研究人员", []),
    ("基于 GLM 结构", []),
    ("法国初创公司 Mistral AI 在 2023 年 9 月", ["Mistral AI"]),
    ("深度求索（DeepSeek）在 2024 年 5 月", ["深度求索"]),
    ("艾伦人工智能研究所（Allen Institute for AI，AI2）于 2024 年 2 月", ["艾伦人工智能研究所"]),
    ("谷歌旗下的 AI 实验室 DeepMind", ["DeepMind"]),
    ("上海人工智能实验室", ["上海人工智能实验室"]),
    ("科大讯飞股份有限公司", ["科大讯飞"]),
    ("Meta 的研究团队", ["Meta"]),
    ("团队成员", []),
    ("研究团队", []),
    ("公司", []),
    # an organization is a name, never a fragment of the sentence around it
    ("OpenAI 团队", ["OpenAI"]),
    ("并且 Google", ["Google"]),
    ("为了解决这个问题而", []),
    ("拿着一个", []),
    ("GLM 中", []),
    ("针对于 NLU 任务", []),
    ("公开", []),
    ("之江实验室", ["之江实验室"]),
    # partners one after the other: each with its own descriptor
    ("由鹭湖实验室联合星河科技等", ["鹭湖实验室", "星河科技"]),
    ("由北岸大学联手云图公司", ["北岸大学", "云图"]),
    # when it happened is not who did it ("最近刚发布的 Alpaca")
    ("最近刚", []), ("刚刚", []), ("前不久又", []), ("首次公开", []), ("此前正式", []),
])
def test_organization_phrases(text: str, orgs: list[str]) -> None:
    assert clean_orgs(text) == orgs


@pytest.mark.parametrize("text, orgs", [
    # <X> 公司/初创公司/团队/实验室 <Name>, in "是 … 在 <date> 发布的" and on its own
    ("Mistral 7B 是法国初创公司 Mistral AI 在 2023 年 9 月发布的开源大语言模型", {"Mistral AI"}),
    ("2023 年 12 月，AI 实验室 DeepMind 又发布了 Gemini", {"DeepMind"}),
    ("初创公司月之暗面于 2023 年 10 月发布了 Kimi", {"月之暗面"}),
    # an organization with its other name in brackets
    ("DeepSeek-V2 是深度求索（DeepSeek）在 2024 年 5 月开源的混合专家语言模型", {"深度求索"}),
    # 由 <Org> (于 <date>) 开发/推出/发布/开源
    ("OLMo 由艾伦人工智能研究所（Allen Institute for AI，AI2）于 2024 年 2 月推出", {"艾伦人工智能研究所"}),
    ("Falcon 由阿联酋技术创新研究院开源", {"阿联酋技术创新研究院"}),
    ("Foo 由 Meta 的研究团队开发", {"Meta"}),
    # look-alikes: people, generic descriptors, adverbs
    ("这是由团队成员开发的插件", set()),
    ("由研究团队开发", set()),
    ("公司内部开发的工具", set()),
    ("公司正在开发新模型", set()),
    ("该团队在 2023 年发布了 Foo", set()),
    ("用户在 2023 年 9 月发现模型会编造引用", set()),
    # a news item led by its maker: 【Y】X 发布（…）; not a blog title's tag ("【LLM】…训练框架")
    ("【鹭鸶实验室】Egret Large 发布（2 月 12 日）：上下文 32K", {"鹭鸶实验室"}),
    ("【LLM】Heron 分布式训练框架_某某的博客", set()),
    # a record of an awesome list: "X：Y，2031 年 8 月开源"; not a description of X ("…推出的 AI 对话应用")
    ("Egret-7B：鹭鸶科技，2031 年 8 月开源，70 亿参数", {"鹭鸶科技"}),
    ("鹈鹕助手：鹈鹕科技推出的 AI 对话应用，2031 年 8 月上线", set()),
])
def test_organizations_are_learned_from_how_notes_introduce_them(text: str, orgs: set[str]) -> None:
    learned = Orgs([])
    learned.learn([text])
    assert learned.names == orgs


def test_a_bracketed_alias_belongs_to_the_organization() -> None:
    orgs = Orgs(["深度求索"])
    text = "DeepSeek-V2 是深度求索（DeepSeek）在 2024 年 5 月开源的模型"
    assert orgs.alias_bracket(text, text.index("DeepSeek）"))
    assert not orgs.alias_bracket(text, 0)
    assert not orgs.alias_bracket("Qwen（通义千问）", 5)
    assert orgs.trailing("法国初创公司 深度求索") == "深度求索"
    assert orgs.trailing("使用 深度求索") == ""


def test_class_of_models_is_not_the_model(real) -> None:
    """'BERT 类模型（0.5B 参数）' is about BERT-like models: BERT keeps 3.3 亿."""
    _, result, _, _ = real
    assert cell(result, "BERT", "params") == "3.3 亿"


# --------------------------------------------------------------------------- unseen phrasings

# Small notes about made-up models, each phrased the way a pasted note might be. They are
# built together with no organization seeds (an empty terms file): everything must come
# from the wording.
PHRASINGS = {
    # "<Name> 是 <X 初创公司 Org> 在 <date> 发布的…模型"; an anonymous sentence in another
    # section belongs to the note's model (the title names another model only as the one it
    # beats); "用户在…发现" and "…公开的网页快照" are no releases; "LLM 是指…" defines a term.
    "aurora.md": """# Aurora-7B 技术报告笔记：70 亿参数凭什么打败 Zeta-13B

## 简介

Aurora-7B 是北欧初创公司 Nordlys AI 在 2024 年 3 月发布的开源大语言模型，参数量约为 70 亿。

它在多项基准上超过了参数量将近两倍的 Zeta-13B。

一般来说，LLM 是指包含数百亿甚至更多参数的语言模型。

## 训练细节

模型训练时的上下文长度为 16K。

训练数据还用到了 2023 年 12 月公开的网页快照。

用户在 2024 年 6 月发现它在长文本上容易遗漏细节。

社区里还有一个由团队成员开发的插件，可以把它接入编辑器。
""",
    # "<Name> 由 <Org（alias）> 于 <date> 推出，是…模型"; sizes and context without a name.
    "borealis.md": """# Borealis 模型介绍

Borealis 由冰原实验室（Icefield Lab）于 2023 年 11 月推出，是一个面向代码的开源语言模型。

提供 3B 和 15B 两个版本，最长支持 100K 上下文。
""",
    # "<Name> 是 <Org>（<alias>）在 <date> 开源的…模型"; active parameters are no size; the
    # precise date of the same release wins
    "cirrus.md": """# Cirrus-2 阅读笔记

Cirrus-2 是云杉智能（Spruce）在 2024 年 1 月开源的混合专家语言模型，总参数量 1200 亿，每个 token 激活约 150 亿参数。

Cirrus-2 的权重于 2024 年 1 月 15 日正式开源。
""",
    # "…发布的…模型" describes the model only after 是: here it is another model's date
    "quail.md": """# Quail-7B 简介

Quail-7B 蒸馏自 2023 年 8 月发布的一个教师模型。
""",
    # a release verb other than 发布: 上线
    "osprey.md": """# 客服模型 Osprey

Osprey 在 2024 年 4 月上线，是一个面向客服场景的对话模型。
""",
    # "…发布的开源模型系列"; a later version of the model is a model of its own ("发布于" takes
    # the date as its object); a sentence that opens with another name is about that name
    "heron.md": """# Heron 学习笔记

## 概述

Heron 是大河科技于 2024 年 2 月发布的开源模型系列。

上下文窗口为 8192 个 token。

## 后续

Heron 2 发布于 2024 年 6 月，提供 9B 和 27B 两个尺寸。

MQA 的滑动窗口为 16384。
""",
    # an assistant an organization released is its model; the model behind it says closed;
    # a window in characters
    "nova.md": """# Nova 体验笔记

Nova 是星河智能在 2024 年 5 月推出的对话助手，背后是他们自研的闭源大模型，上下文窗口最长支持 50 万字。

Quill 是一个写作助手。
""",
    # "<Name> 由 <Org> 于 <date> 推出，是一个聊天机器人": released by someone, so a model
    "wren.md": """# Wren 上手

Wren 由鹪鹩实验室于 2024 年 8 月推出，是一个聊天机器人。
""",
    # open weights read as open
    "pika.md": """# Pika 简介

Pika 是 Brightlab 在 2024 年 7 月发布的开放权重模型，提供 2B 和 9B 两个尺寸。
""",
    # a note about two models: the shared sentence belongs to neither
    "echo-fjord.md": """# Echo-7B 和 Fjord-13B 学习笔记

## Echo-7B

Echo-7B 是一个开源语言模型。

## Fjord-13B

Fjord-13B 是一个闭源语言模型。

## 共同点

两者训练时的上下文长度都是 8K。
""",
    # no title, two model sections: the same
    "gale-hail.md": """## Gale-7B

Gale-7B 是一个开源语言模型。

## Hail-13B

Hail-13B 是一个开源语言模型。

## 共同点

训练时的上下文长度都是 4K。
""",
    # a section about another model: its heading decides, not the title
    "ivy.md": """# Ivy-7B 学习笔记

## 简介

Ivy-7B 是一个开源语言模型。

## Juniper-34B

Juniper-34B 是同一团队的另一个模型。

训练时的上下文长度为 32K。
""",
    # a paragraph that talks about another model: its next sentence is not the note's model's
    "kestrel.md": """# Kestrel-7B 笔记

## 简介

Kestrel-7B 是一个开源语言模型。

## 预训练数据

Lark-70B 的预训练数据更多。训练时的上下文长度为 64K。
""",
    # the model is what the note does something to (微调 Rook-2): the note is not about it, but
    # the section whose heading names it and whose text describes its release is
    "rook.md": """# 用 LoRA 微调 Rook-2 实战

## 为什么要微调

全量微调显存要 100 GB 以上，训练时的上下文长度为 4K。

## 基座选 Rook-2

乌鸦实验室 2024 年 3 月开源的语言模型，参数量 70 亿，上下文长度为 16K。
""",
    # the weights' license in a sentence that names no model
    # an organization is given to the model it made, even in a paragraph about another; 开源社区
    # is no license
    "harrier.md": """# Harrier-7B 笔记

## 简介

Harrier-7B 是鹞实验室发布的语言模型。同类工作还有很多，例如由雁阵实验室发布的 Plover-2 模型。

开源社区即将迎来 Harrier-7B 级的大模型。

鹞实验室并未直接开源 Kite-70B，只提供了接口。

Merlin 是鹞实验室发布的语言模型。鹞实验室并未直接开源 Merlin，而是开源了其轻量级版本 Merlin-9B 模型，上下文长度为 8K。

Lapwing-1 和 Lapwing-2 都是鹞实验室发布的语言模型。

于是半年后 Lapwing-2 来了，参数量从 Lapwing-1 的 120M 增加到了 1.4B。对于 90B 参数量的 Lapwing-1 模型，显存占用会很大。

更长的上下文：将上下文长度由 Lapwing-1 的 2K 扩展到了 16K，并在对话阶段使用 4K 的上下文长度训练。

2023 年 7 月，鹬实验室发布 Dunlin-2，有 7B、13B 两个版本，上下文长度从 2048 提到 4096，并且允许商用。
""",
    "swift.md": """# Swift-3 简介

## Swift-3 是什么

Swift-3 是雨燕实验室在 2024 年 9 月发布的推理模型。

模型权重以 Apache 2.0 协议开放下载，可以商用。
""",
    # a heading that compares: no subject below it
    "maple.md": """# Maple-7B 笔记

## 简介

Maple-7B 是一个开源语言模型。

## 与 Nimbus-13B 的对比

上下文长度为 48K。
""",
}


@pytest.fixture(scope="module")
def phrasings(tmp_path_factory: pytest.TempPathFactory) -> Extraction:
    root = tmp_path_factory.mktemp("phrasings")
    notes = root / "notes"
    notes.mkdir()
    for name, text in PHRASINGS.items():
        (notes / name).write_text(text, encoding="utf-8")
    (root / "terms.yaml").write_text("organizations: []\n", encoding="utf-8")
    settings = Settings(notes_dir=notes, docs_dir=root / "docs", project_root=root)
    return build_kb(replace(settings, terms_path=root / "terms.yaml"), Reporter()).extraction


def facts_about(result: Extraction, model: str, column: str) -> list[str]:
    """Every fact read about the model, not only the one the catalog shows."""
    row = result.catalog.row(model)
    if row is None:  # a model named only in a heading has no row
        assert model in ("Nimbus-13B",), f"no catalog row for {model}"
        return [f.text for f in result.facts if f.field == column
                and result.catalog.index.latin.get(name_key(split_name(model).base)) == f.model]
    return [f.text for f in result.facts if f.model == row.group and f.field == column]


@pytest.mark.parametrize("model, expected", [
    ("Aurora-7B", {"org": "Nordlys AI", "date": "2024 年 3 月", "params": "70 亿", "license": "开源",
                   "context": "16K"}),
    ("Borealis", {"org": "冰原实验室", "date": "2023 年 11 月", "params": "3B 和 15B",
                  "license": "开源", "context": "100K"}),
    ("Cirrus-2", {"org": "云杉智能", "date": "2024 年 1 月 15 日", "params": "1200 亿", "license": "开源"}),
    ("Osprey", {"date": "2024 年 4 月"}),
    ("Heron", {"org": "大河科技", "date": "2024 年 2 月", "params": "", "license": "开源",
               "context": "8192 个 token"}),
    ("Heron 2", {"date": "2024 年 6 月", "params": "9B 和 27B"}),
    ("Nova", {"org": "星河智能", "date": "2024 年 5 月", "params": "", "license": "闭源",
              "context": "50 万字"}),
    ("Wren", {"org": "鹪鹩实验室", "date": "2024 年 8 月"}),
    ("Pika", {"org": "Brightlab", "date": "2024 年 7 月", "params": "2B 和 9B", "license": "开放权重"}),
    ("Rook-2", {"date": "2024 年 3 月", "params": "70 亿", "license": "开源", "context": "16K"}),
    ("Swift-3", {"date": "2024 年 9 月", "license": "Apache 2.0 协议"}),
])
def test_unseen_phrasings_fill_the_row(phrasings: Extraction, model: str,
                                       expected: dict[str, str]) -> None:
    row = phrasings.catalog.row(model)
    assert row is not None, [r.name for r in phrasings.catalog.rows]
    assert {c: row.value(c) for c in expected} == expected


def test_look_alikes_are_not_facts(phrasings: Extraction) -> None:
    # "用户在 2024 年 6 月发现…", "…2023 年 12 月公开的网页快照" are no release dates
    assert facts_about(phrasings, "Aurora-7B", "date") == ["2024 年 3 月"]
    assert [e.surface for e in phrasings.timeline if "发现" in e.evidence.sentence.text] == []
    # "由团队成员开发的插件": no organization
    assert facts_about(phrasings, "Aurora-7B", "org") == ["Nordlys AI"]
    # the organization's bracketed other name is not a model
    assert phrasings.catalog.row("Spruce") is None and phrasings.catalog.row("Icefield Lab") is None
    assert facts_about(phrasings, "Cirrus-2", "date") == ["2024 年 1 月", "2024 年 1 月 15 日"]
    # "蒸馏自 2023 年 8 月发布的一个教师模型" is not Quail's release
    assert facts_about(phrasings, "Quail-7B", "date") == []
    # "LLM 是指…的语言模型" defines a term; a section titled 简介 or 共同点 is no model
    names = {row.name for row in phrasings.catalog.rows}
    assert not names & {"LLM", "简介", "训练细节", "共同点", "预训练数据"}, names
    # an assistant nobody is said to have released is no model
    assert phrasings.catalog.row("Quill") is None
    # open weights are open
    [pika] = phrasings.catalog.row("Pika").cells["license"].facts
    assert pika.value == "开源"


@pytest.mark.parametrize("model", ["Echo-7B", "Fjord-13B", "Gale-7B", "Hail-13B", "Ivy-7B",
                                   "Kestrel-7B", "Maple-7B", "Nimbus-13B"])
def test_a_sentence_without_a_name_is_not_guessed_across_models(phrasings: Extraction,
                                                                 model: str) -> None:
    """A note (or section) about two models, a paragraph about another model, a heading
    that compares: the sentence that names no model gives its context length to none."""
    assert facts_about(phrasings, model, "context") == []


def test_a_section_about_another_model_gives_it_the_facts(phrasings: Extraction) -> None:
    assert facts_about(phrasings, "Juniper-34B", "context") == ["32K"]


def test_a_model_a_note_works_on_is_not_the_subject_of_the_whole_note(phrasings: Extraction) -> None:
    """"用 LoRA 微调 Rook-2 实战": the 4K of 为什么要微调 is not Rook-2's; its own section's is."""
    assert facts_about(phrasings, "Rook-2", "context") == ["16K"]
    row = phrasings.catalog.row("Rook-2")
    assert row is not None and row.name == "Rook-2"  # not the section title 基座选 Rook-2


def test_unseen_model_fixture_row_is_complete_without_seeds(with_fixture, tmp_path: Path) -> None:
    """tests/fixtures/unseen_model/901_olmo_zhihu.md: "OLMo 由艾伦人工智能研究所（…）于 2024 年
    2 月推出，是…", sizes and context in a sentence that names no model, 开源 at a clause's end."""
    kb, seeded, _, notes = with_fixture
    (tmp_path / "terms.yaml").write_text("organizations: []\n", encoding="utf-8")
    unseeded = extract_again(kb, Reporter(), terms_path=tmp_path / "terms.yaml")
    for result in (seeded, unseeded):
        row = result.catalog.row("OLMo")
        assert row is not None
        assert {c: row.value(c) for c, _ in COLUMNS} == {
            "org": "艾伦人工智能研究所", "date": "2024 年 2 月", "params": "1B 和 7B", "license": "开源",
            "context": "2048 个 token", "summary": "从预训练数据到训练代码全部公开的语言模型"}
        for column, _ in COLUMNS:
            for fact in row.cells[column].facts:
                assert fact.text in fact.evidence.sentence.text
                assert grounded(fact.evidence.sentence, notes)
        assert result.catalog.row("AI2") is None and result.catalog.row("Dolma") is None
        # "社区用户在 2024 年 3 月发现…" is no release; Llama 2 7B is compared with, not described
        assert [f.text for f in result.facts if f.model == row.group and f.field == "date"] \
            == ["2024 年 2 月"]


def catalog_sentences(sections: list[tuple[str, list[str]]]) -> list[Sentence]:
    """Sentences of a catalog page (models.md) with the given sections."""
    out: list[Sentence] = []
    for title, texts in sections:
        place = Place("models.md", f"s{len(out)}", "模型", title)
        out.append(Sentence(title, title, (), place, "models", len(out), len(out), 0, heading=True))
        out += [Sentence(t, t, (), place, "models", len(out), len(out), 0) for t in texts]
    return out


def test_a_chinese_catalog_heading_is_a_model_only_when_its_text_names_it() -> None:
    registry = Registry(catalog_sentences([
        ("文心一言", ["文心一言是百度的知识增强语言大模型。"]),
        ("模型简介", ["Foo-7B 是一个开源语言模型。"]),
        ("总结", ["Foo-7B 证明了小模型同样可以很能打。"]),
    ]), Orgs([]))
    assert registry.is_model_name("文心一言")
    assert not registry.is_model_name("模型简介") and not registry.is_model_name("总结")


def test_an_organization_goes_to_the_model_it_made(phrasings: Extraction) -> None:
    """"例如由雁阵实验室发布的 Plover-2 模型" under Harrier-7B's heading: Plover-2's maker."""
    assert facts_about(phrasings, "Harrier-7B", "org") == ["鹞实验室"]
    assert facts_about(phrasings, "Plover-2", "org") == ["雁阵实验室"]
    assert facts_about(phrasings, "Harrier-7B", "license") == []
    assert facts_about(phrasings, "Kite-70B", "license") == []  # 并未直接开源
    # what the sentence says of the variant it names after its family is not the family's
    assert facts_about(phrasings, "Merlin", "license") == []
    assert facts_about(phrasings, "Merlin", "context") == []


def test_summaries_read_as_text(real_extraction: Extraction) -> None:
    """要点 cells are plain text: no space left between two Chinese characters by markup
    (典型的 `生成式预训练语言模型` 之一 → 典型的生成式预训练语言模型之一)."""
    summaries = [r.value("summary") for r in real_extraction.catalog.rows if r.value("summary")]
    assert len(summaries) >= 10
    for text in summaries:
        assert not re.search(r"[\u4e00-\u9fff] +[\u4e00-\u9fff]", text), text


def test_a_summary_says_what_the_model_is(tmp_path: Path) -> None:
    """要点 is a phrase that says what the model is: not a modifier left open (…搞的), a question
    (怎么…), a version number (3.5 版), a clause that leans on what came before (是其两倍) or a
    quote it does not close."""
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "m.md").write_text(
        "# 模型目录\n\n## Puffin\n\nPuffin 是鹱科实验室搞的。Puffin 是 2023 年发布的开源语言模型。\n\n"
        "## Auk\n\nAuk 是怎么设计评测指标的。Auk 是 1.5 版。Auk 是 2024 年发布的开源语言模型。\n\n"
        "## Gannet\n\nGannet 是面向代码生成的开源语言模型，2023 年发布。\n\n"
        "## Shag\n\nShag 是鸬鹚实验室基于 Gannet 模型开发的，2024 年发布。\n\n"
        "## Petrel\n\nPetrel 是鹱科实验室 2024 年发布的开源模型。"
        "Petrel 支持正常的多轮对话的同时，还能调用工具。\n\n"
        "## Fulmar\n\nFulmar 支持多轮对话的同时，原生支持工具调用。\n\n"
        "## Skua\n\nPetrel 在 9 万亿个词元上预训练，而 Skua 使用的数据量几乎是其两倍。\n\n"
        "## Tern\n\n这意味着 Tern 是“对外公开了方法论，但没有公开数据细账”。\n", encoding="utf-8")
    catalog = build(notes)[1].catalog
    names = ("Puffin", "Auk", "Gannet", "Shag", "Petrel")
    summaries = {name: catalog.row(name).value("summary") for name in names}
    assert summaries == {"Puffin": "2023 年发布的开源语言模型", "Auk": "2024 年发布的开源语言模型",
                         "Gannet": "面向代码生成的开源语言模型", "Shag": "鸬鹚实验室基于 Gannet 模型开发",
                         "Petrel": "鹱科实验室 2024 年发布的开源模型"}, summaries
    # a clause that leads into the sentence's point ("…的同时") says nothing on its own
    fulmar = catalog.row("Fulmar")
    assert fulmar is None or not fulmar.value("summary")
    # a clause that leans on what came before ("是其两倍") or opens a quote it does not close
    for name in ("Tern", "Skua"):
        row = catalog.row(name)
        assert row is None or not row.value("summary"), (name, row.value("summary"))


def test_a_change_gives_the_new_size_to_the_new_model(phrasings: Extraction) -> None:
    """"参数量从 Lapwing-1 的 120M 增加到了 1.4B": 120M is Lapwing-1's, 1.4B Lapwing-2's; a size
    the clause only supposes ("对于 90B 参数量的 Lapwing-1 模型") is nobody's; "上下文长度从 2048
    提到 4096": 4096 is the model's."""
    assert facts_about(phrasings, "Lapwing-1", "params") == ["120M"]
    assert facts_about(phrasings, "Lapwing-2", "params") == ["1.4B"]
    # the model a change starts from is not the subject of the rest of the sentence
    assert facts_about(phrasings, "Lapwing-1", "context") == ["2K"]
    # a value a change starts from is an earlier model's; the value it changes to is a context
    # length too, though its cue (上下文长度) stands further away
    assert facts_about(phrasings, "Dunlin-2", "context") == ["4096"]


@pytest.mark.parametrize("surface, values", [
    ("1 亿（110M）", (0.11,)),  # one size written twice: the precise one stands
    ("70 亿（7B）和 140 亿（14B）", (7.0, 14.0)),
    ("8B、62B、540B", (8.0, 62.0, 540.0)),
    ("110M", (0.11,)),
])
def test_size_values(surface: str, values: tuple[float, ...]) -> None:
    assert size_values(surface) == values


def test_a_size_after_a_name_is_that_names() -> None:
    """"略优于 Mistral 7B 和 Gemma 7B": those sizes belong to the names, not to the sentence."""
    text = "小型模型具有 8B 参数，其性能略优于 Mistral 7B 和 Gemma 7B"
    assert [s.surface for s in find_sizes(text)] == ["8B"]


# --------------------------------------------------------------------------- attachment rules

# One note, one section per way a note ties a value to a model; each row: the model, the
# field, the value as written and the rule (Fact.how) that must tie it. Section titles are
# ordinary words ("发布", "参数的"): a catalog section title is a model only when its text
# speaks of it as its subject.
RULES_NOTE = """# 模型事实规则

## 名字

Quill-7B 是羽毛实验室发布的语言模型。

Quill-7B 的上下文长度为 4K。

## 括号

Sable（700 亿参数）是黑貂科技发布的语言模型。

## 参数的

Marten 是黑貂科技发布的语言模型。具有 130 亿参数的 Marten 支持中文。

## 从句

Otter 是水獭实验室发布的语言模型，Otter 的上下文长度为 32K。

## 代词

Badger 是獾实验室发布的语言模型。它的参数量为 340 亿。

## 发布

2024 年 6 月，獾实验室发布了 Ferret。Ferret 是一个开源的语言模型。

## 放出

2024 年 2 月，貂实验室放出了 Ermine。Ermine 是一个开源的语言模型。

## 由谁

Weasel 是由鼬科技开发的语言模型，于 2023 年 11 月发布。

## 它

Stoat 是鼬科技发布的语言模型。

医疗领域的 Ferret 来了：鼬科技展示了 Stoat，它由 900 亿语料库训练，一半是公开的数据集 400 亿，参数为 130 亿左右。

## 对比

Mink 是貂实验室发布的语言模型。在多数测试中，8B 模型超越了 Mink 7B，70B 模型则战胜了 Otter。

Mink 仅用一半的计算量即可匹配 60B Dense 模型的性能。Mink 团队还整理了 FurPile（300B）。

## 类

鼬科技于 2024 年 3 月推出了类 Badger 的聊天产品。

## 专家

Lynx 是猞猁实验室发布的混合专家语言模型，总参数 80B，但每个 token 实际只用到 20B，速度和一个 25B 的稠密模型差不多。
部署 Lynx 要按 80B 准备显存，而不是 20B。不过 300B 的模型想在本地跑起来就难了。
"""


@pytest.fixture(scope="module")
def rules_facts(tmp_path_factory: pytest.TempPathFactory) -> Extraction:
    root = tmp_path_factory.mktemp("rules")
    (root / "notes").mkdir()
    (root / "notes" / "rules.md").write_text(RULES_NOTE, encoding="utf-8")
    settings = Settings(notes_dir=root / "notes", docs_dir=root / "docs", project_root=root)
    return build_kb(settings, Reporter()).extraction


@pytest.mark.parametrize("model, field, text, how", [
    ("Quill-7B", "params", "7B", "name"),
    ("Quill-7B", "context", "4K", "clause"),
    ("Sable", "params", "700 亿", "bracket"),
    ("Marten", "params", "130 亿", "sized"),
    ("Otter", "context", "32K", "clause"),
    ("Badger", "params", "340 亿", "pronoun"),
    ("Ferret", "date", "2024 年 6 月", "object"),
    ("Ferret", "org", "獾实验室", "release"),
    ("Ferret", "license", "开源", "definition"),
    ("Ermine", "date", "2024 年 2 月", "object"),  # 放出 (released, said plainly)
    ("Weasel", "org", "鼬科技", "by"),
    ("Weasel", "date", "2023 年 11 月", "sentence"),
    ("Stoat", "params", "130 亿", "pronoun"),  # the model 它 follows, not the sentence's first
])
def test_each_attachment_rule(rules_facts: Extraction, model: str, field: str, text: str, how: str) -> None:
    row = rules_facts.catalog.row(model)
    assert row is not None, model
    found = [(f.text, f.how) for f in rules_facts.facts if f.model == row.group and f.field == field]
    assert (text, how) in found, found


def test_sizes_of_data_or_of_an_unnamed_model_are_no_ones_parameters(rules_facts: Extraction) -> None:
    """"它由 900 亿语料库训练" measures data; "70B 模型则…" after "Mink 7B" and "60B Dense 模型"
    that Mink is compared with are other models; "FurPile（300B）" is not Mink's."""
    sizes = {(f.model, f.text) for f in rules_facts.facts if f.field == "params"}
    ferret, mink = rules_facts.catalog.row("Ferret"), rules_facts.catalog.row("Mink")
    assert ferret is not None and mink is not None
    assert not {t for m, t in sizes if m == ferret.group}, sizes
    assert {t for m, t in sizes if m == mink.group} == {"7B"}, sizes
    # a mixture of experts: what each token uses is not its size, nor the dense model it is as fast as;
    # nor a size the sentence denies ("而不是 20B") or that of an unnamed model ("不过 300B 的模型")
    lynx = rules_facts.catalog.row("Lynx")
    assert lynx is not None and {t for m, t in sizes if m == lynx.group} == {"80B"}, sizes


def test_something_like_a_model_is_not_the_model(rules_facts: Extraction) -> None:
    """"推出了类 Badger 的聊天产品": the date is not Badger's release."""
    badger = rules_facts.catalog.row("Badger")
    assert badger is not None
    dates = [f.text for f in rules_facts.facts if f.model == badger.group and f.field == "date"]
    assert "2024 年 3 月" not in dates, dates


def test_section_titles_that_are_words_are_no_models(rules_facts: Extraction) -> None:
    names = {r.name for r in rules_facts.catalog.rows}
    assert not names & {"名字", "括号", "参数的", "从句", "代词", "发布", "由谁", "它", "对比", "类"}, names


def test_fact_rules_are_registered_in_order() -> None:
    assert list(FACT_RULES) == ["name", "params", "context", "date", "org", "license",
                                "anonymous-release", "weights-license", "summary"]


def test_what_is_no_model_gets_no_row() -> None:
    """A part of the note (第一部分), a range of versions (GPT1-3), a data set its definition ends
    on (…的数据集) and a word of an English phrase (Funtion Calling) are no models."""
    registry = Registry(catalog_sentences([
        ("第一部分", ["第一部分是一个开源语言模型的介绍。"]),
        ("模型", ["Wren-7B 是一个开源语言模型。", "Heron-2 是一个开源语言模型。",
                 "GPT1-3 的参数量从 1.17 亿增加到 1750 亿。",
                 "Toxi 是一个用于评估语言模型产生有害内容倾向的数据集。",
                 "OpenAI 发布了 Funtion Calling 功能。"]),
    ]), Orgs([]), not_models={"llm"})
    assert registry.is_model_name("Wren-7B") and registry.is_model_name("Heron-2")
    for name in ("第一部分", "GPT1-3", "Toxi", "Funtion"):
        assert not registry.is_model_name(name), name


def test_a_spelt_out_model_name_and_a_count_said_of_it_make_a_row(tmp_path: Path) -> None:
    """Outside the catalog, a heading that spells a name out as a model ("Sparse Mixture Language
    Model (Lumen)") and a parameter count said of it ("Lumen 的总参数量有 1.2T") outweigh a mention
    of its structure; a spelt-out technique said to do something is no model."""
    result = one_note(tmp_path, "# 稀疏专家模型\n\n## Sparse Mixture Language Model (Lumen)\n\n"
                                "Lumen 的总参数量有 1.2T，每个 token 只激活 96B。下图展示了 Lumen 的结构。\n\n"
                                "## Low-Rank Gating (LRG)\n\nLRG 的做法是只更新门控的低秩部分。\n")
    rows = {r.name: r for r in result.catalog.rows}
    assert "Lumen" in rows and cell(result, "Lumen", "params").startswith("1.2T")
    assert "LRG" not in rows


NEWSLETTER = """# 大模型周报合集

## 第 3 期（2031.02.10–02.16）

### 模型发布

- 【鹭鸶实验室】Egret Large 发布（2 月 12 日）：鹭鸶目前最强的旗舰模型，上下文 32K，闭源，只提供 API。
- 【翠鸟科技】Halcyon-2 开源（2 月 14 日）：70 亿参数，Apache 2.0 开源，上下文 8K。
- 【鹈鹕智能】鹈鹕大模型发布（2 月 15 日）：闭源，通过 API 提供。
- 【隼科技】Falco-1 开源（2 月 16 日）：314B 参数的 MoE 模型，上下文 8K。

### 行业动态

- 【Nvidia】新一代加速卡 B900 发布（2 月 11 日）：显存 288GB。
- 【PyTorch】PyTorch 2.9 发布（2 月 13 日）：编译器又有改进。
- 【MMLU 团队】MMLU-Pro 发布：题目更难，选项从 4 个增加到 10 个。
"""


def test_a_newsletter_of_release_headlines_gives_each_release_its_row(tmp_path: Path) -> None:
    """"【Y】X 发布（2 月 12 日）：…，闭源，…": a headline says X was released (a name of two words
    too, and a Chinese one), by Y, on that day of the issue's year; its bare 开源/闭源 clause and
    what it goes on to describe ("314B 参数的 MoE 模型") are X's. What else a headline releases is
    no model: a card named after its kind, a version of a framework or an edition of a benchmark
    the vocabulary hints list, a license; and the section "模型发布" is no model because an item
    says "…大模型发布"."""
    result = one_note(tmp_path, NEWSLETTER)
    rows = {r.name: r for r in result.catalog.rows}
    assert set(rows) == {"Egret Large", "Halcyon-2", "鹈鹕大模型", "Falco-1"}, set(rows)
    assert [cell(result, "Egret Large", c) for c in ("org", "date", "license", "context")] == \
        ["鹭鸶实验室", "2 月 12 日", "闭源", "32K"]
    assert rows["Egret Large"].cells["date"].facts[0].value.year == 2031
    assert [cell(result, "Halcyon-2", c) for c in ("org", "params", "license")] == ["翠鸟科技", "70 亿", "开源"]
    assert [cell(result, "鹈鹕大模型", c) for c in ("org", "license")] == ["鹈鹕智能", "闭源"]
    # what the headline goes on to describe is X, in a clause that names no model
    assert cell(result, "Falco-1", "params") == "314B"
    assert cell(result, "Falco-1", "license") == "开源"  # its headline's verb


def test_a_record_of_an_awesome_list_gives_its_name_its_maker_release_and_license(tmp_path: Path) -> None:
    """"- **X**：Y，2031 年 8 月开源，70 亿参数，上下文 8K": a record of one release whose label is
    X, a Chinese name too ("**翠鸣**：翠鸟大学，2031 年 3 月发布，闭源"); its maker, date and license
    are X's, and a sized variant's date is that variant's. A record that describes an app ("…推出的
    AI 对话应用，2031 年 8 月上线") makes no row."""
    result = one_note(tmp_path, "# 国产大模型导航\n\n## 通用模型\n\n- **鹭鸶科技**\n"
                                "  - **Egret-7B**：鹭鸶科技，2031 年 8 月开源，70 亿参数，上下文 8K\n"
                                "  - **Egret-14B**：鹭鸶科技，2031 年 9 月开源，140 亿参数\n"
                                "- **翠鸟大学**\n  - **翠鸣**：翠鸟大学，2031 年 3 月发布，闭源\n"
                                "  - **Osprey**：翠鸟大学，2031 年 5 月开源，上下文 8K\n"
                                "  - **Harrier LLM 67B**：翠鸟大学，2031 年 11 月开源，670 亿参数\n\n"
                                "## 应用\n\n- **鹈鹕助手**：鹈鹕科技推出的 AI 对话应用，2031 年 8 月上线\n")
    rows = {r.name for r in result.catalog.rows}
    assert rows == {"Egret", "翠鸣", "Osprey", "Harrier LLM"}, rows
    # a label of two words and a size is one name, the size its variant's
    assert "Harrier LLM 67B" in result.catalog.row("Harrier LLM").surfaces
    assert cell(result, "Harrier LLM", "org") == "翠鸟大学"
    assert [cell(result, "翠鸣", c) for c in ("org", "date", "license")] == ["翠鸟大学", "2031 年 3 月", "闭源"]
    assert [cell(result, "Egret", c) for c in ("org", "license")] == ["鹭鸶科技", "开源"]
    # each sized variant's record dates that variant
    dates = [(f.named, f.text) for f in result.catalog.row("Egret").cells["date"].facts]
    assert dates == [("Egret-7B", "2031 年 8 月"), ("Egret-14B", "2031 年 9 月")], dates


def test_a_release_said_after_the_name_and_a_count_it_has_make_a_row(tmp_path: Path) -> None:
    """"X（…）由 Y 于 2031 年 10 月发布" says X was released, as "Y 发布了 X" does; "X-Base 有 1.1
    亿参数" gives a size; a method a lab proposed (提出) is no release."""
    result = one_note(tmp_path, "# 预训练语言模型\n\n## 编码器模型\n\n"
                                "Pelican（Pelican Encoder Representations）由鹈鹕科技于 2031 年 10 月发布，"
                                "只用编码器。\n\n"
                                "## 规模\n\nHeron-Base 有 1.1 亿参数，Heron-Large 有 3.4 亿参数。\n\n"
                                "## 训练方法\n\nToucan 由鹈鹕实验室于 2030 年提出，把掩码换成了替换检测。\n")
    rows = {r.name for r in result.catalog.rows}
    assert rows == {"Pelican", "Heron"}, rows
    assert [cell(result, "Pelican", c) for c in ("org", "date")] == ["鹈鹕科技", "2031 年 10 月"]
    assert cell(result, "Heron", "params")


def test_what_the_notes_call_a_toolkit_a_framework_or_an_objective_gets_no_row() -> None:
    """What a definition ends on is what a name is ("…大模型训练工具包", "…类模型的主要训练目标"),
    and so is the kind of product written right before it ("评测框架 Judgy") or set after it
    ("Blendr，一个创新的集成框架"), even when a catalog section is titled by it. A section of a report
    on one model titled by English words that no sentence names ("Cross-References") is no model;
    a model the notes name in their text ("Wren-7B") still is."""
    registry = Registry(catalog_sentences([
        ("模型", ["Wren-7B 是一个开源语言模型。",
                 "Tern 是一个高效的大模型训练工具包，专注于训练百亿参数规模的大模型。",
                 "MLMX 是 BERT 和其他编码器类模型的主要训练目标。"]),
        ("Judgy", ["某实验室开源首个 AI 应用评测框架 Judgy，支持多种评测方式。"]),
        ("Blendr", ["Blendr，一个创新的集成框架，利用多个开源大模型各自的优势。"]),
        ("Cross-References", ["- 参见 Wren-7B 的评测结果。"]),
    ]), Orgs([]), not_models={"llm"})
    assert registry.is_model_name("Wren-7B")
    for name in ("Tern", "Judgy", "MLMX", "Blendr", "Cross-References"):
        assert not registry.is_model_name(name), name


# --------------------------------------------------------------------------- names of two words

TWO_WORD_NOTE = """# 模型目录

## Quokka

Quokka 是袋鼠实验室于 2023 年 2 月发布的开源大语言模型，有 7B 和 65B 两个版本。

## Code Quokka

Code Quokka（340 亿参数）是袋鼠实验室在 Quokka 基础上继续训练的代码模型。Code Quokka 支持 100K 的上下文。

## 对比

Quokka 擅长对话，Code Quokka 擅长写代码；Fast Tokenizer 是一个分词工具，Fast Tokenizer 很快。
"""


def test_a_name_of_two_words_is_one_model_and_keeps_its_facts(tmp_path: Path) -> None:
    """"Code Quokka" recurs and a size is bound to it: one row of its own, and its size and
    context are not the family's; a pair no size or model noun is bound to (Fast Tokenizer)
    stays two words."""
    extraction = one_note(tmp_path, TWO_WORD_NOTE)
    catalog = extraction.catalog
    code, family = catalog.row("Code Quokka"), catalog.row("Quokka")
    assert code is not None and family is not None and code is not family
    assert code.name == "Code Quokka"
    assert "340" in code.value("params") and "340" not in family.value("params")
    assert "100K" in code.value("context") and not family.value("context")
    assert catalog.row("Fast Tokenizer") is None


TWO_WORD_QUOTED_NOTE = """# 稀疏模型

## 路由

2022 年，鸣禽实验室发布了 MoE 大模型 Sparrow Router（1200 亿参数）。

Sparrow Router 每次只把 token 路由到 1 个专家。Sparrow Router 的训练比稠密模型快。

论文的原话是 the Sparrow Router encoder uses sparse layers。

Sparrow Router 在相同算力下效果更好。

## 解码

模型 Heron Decoder 很小。原文：the Heron Decoder layer is shared，the Heron Decoder cache is small。
"""


def test_a_name_of_two_words_quoted_once_in_english_is_still_one_name(tmp_path: Path) -> None:
    """"Sparrow Router" is bound to a model noun and recurs; that one quote runs it on into
    English ("the Sparrow Router encoder uses…") does not split it. A pair the notes use in
    English as often as not (Heron Decoder) stays two words."""
    extraction = one_note(tmp_path, TWO_WORD_QUOTED_NOTE)
    row = extraction.catalog.row("Sparrow Router")
    assert row is not None and row.name == "Sparrow Router"
    assert "120" in row.value("params")
    assert extraction.catalog.row("Heron Decoder") is None


CHRONICLE_NOTE = """# 大模型年表

## 2021

- 1 月，鸣禽实验室发布 **Swift Router**，1.6 万亿参数，第一个万亿级稀疏模型
- 10 月，白鹭智能和海鸟大学联合发布 Egret-Heron NLG，5300 亿参数
- 12 月，鸣禽实验室发布了 Sparrow Guard，基于 Sparrow 7B 做的安全分类模型

## 2024

- 2024/7/18，白鹭智能发布 Egret-4o mini
- 5 月，白鹭智能推出了 Tool Calling，把外部调用内化到模型中
- 6 月，白鹭智能开源 LLM Egret-7B，成为很多人的起点
"""


def test_a_released_name_of_two_words_is_one_model_once_and_dated_by_its_year(tmp_path: Path) -> None:
    """A chronicle names most releases once: a pair that is all a release's object, in a
    sentence with a size or a model noun, is one name (one row) the first time, and a month
    that opens an item is dated in the year of its heading. A lower-case edition after a
    version ("4o mini") belongs to the name. A feature released with no size or model noun
    (Tool Calling) and a word before a name of its own (LLM Egret-7B) stay apart."""
    extraction = one_note(tmp_path, CHRONICLE_NOTE)
    catalog = extraction.catalog
    for name, released in [("Swift Router", (2021, 1)), ("Egret-Heron NLG", (2021, 10)),
                           ("Sparrow Guard", (2021, 12)), ("Egret-4o mini", (2024, 7))]:
        row = catalog.row(name)
        assert row is not None and row.name == name, name
        assert [(f.value.year, f.value.month) for f in row.cells["date"].facts] == [released], name
    assert "1.6 万亿" in catalog.row("Swift Router").value("params")
    assert catalog.row("Tool Calling") is None and catalog.row("LLM Egret") is None


CHINESE_RELEASES_NOTE = """# 国产大模型年表

## 2021

- 2021.04，华为发布玄鸟 β（XuanNiao-β），2000 亿参数中文模型
- 6 月 1 日，百度发布“青鸾 2.0”，参数 1.75 万亿
- 8 月，鹭湖研究院发布“百模计划”，邀请高校参与
"""


def test_a_released_chinese_name_set_off_by_quotes_or_its_latin_name_is_a_model(tmp_path: Path) -> None:
    """A Chinese name that is all a release's object, set off by quotes or by its Latin name in
    brackets, in a sentence with a size, is a model the first time it is named, and whoever
    released it is its organization, also one whose name has a character of running text
    (华为: 为). A quoted plan with no size is no model."""
    extraction = one_note(tmp_path, CHINESE_RELEASES_NOTE)
    catalog = extraction.catalog
    xuanniao, qingluan = catalog.row("玄鸟 β"), catalog.row("青鸾 2.0")
    assert xuanniao is not None and qingluan is not None
    assert xuanniao.value("org") == "华为" and xuanniao.value("params").startswith("2000 亿")
    assert qingluan.value("org") == "百度" and "1.75 万亿" in qingluan.value("params")
    assert catalog.row("百模计划") is None


QUOTED_NAME_NOTE = """# 模型对比

## 模型目录

| Model | Org | Date | Params | Context | License | Notes |
|---|---|---|---|---|---|---|
| Heron-4 | 白鹭智能 | 2023-03 | 未公开 | 8K | Closed | 第一代 |
| Wren 3 | 鹪鹩实验室 | 2024-04 | 8B/70B | 8K | Open | 15T token 预训练，词表 128K |

### Heron-4o（白鹭智能）

""" + ("Heron-4o 于 2024 年 5 月 13 日发布。和之前“语音转文字 → Heron-4 → 文字转语音”的流水线不同，"
       "Heron-4o 是一个端到端处理文本和语音的模型。上下文 128K，闭源。\n")


def test_a_name_in_a_quoted_phrase_is_not_what_the_text_goes_on_about(tmp_path: Path) -> None:
    """A name inside a quoted phrase ("“… → Heron-4 → …”的流水线") is a word of the quote: the
    next sentence's context length is the section's model's, not the quoted one's. A table's
    notes cell that gives a vocabulary in K ("词表 128K") gives no context length."""
    extraction = one_note(tmp_path, QUOTED_NAME_NOTE)
    catalog = extraction.catalog
    assert catalog.row("Heron-4").value("context") == "8K"
    assert catalog.row("Heron-4o").value("context") == "128K"
    assert catalog.row("Wren 3").value("context") == "8K"


# --------------------------------------------------------------------------- lists of resources

AWESOME_NOTE = """# 中文大模型资源

## 开源模型

- [Skua2](https://example.com/skua) - 贼鸥实验室开源的大语言模型系列，参数规模从 0.5B 到 72B。
- [Tern](https://example.com/tern) - 燕鸥科技和海鸟大学联合发布的对话预训练模型。
- **Petrel**：鹱科智能推出的新一代开源大语言模型，上下文长度支持 200K。

## 解码参数

- **Temperature**：控制模型输出的随机性，越高越发散。
- [FlockBench](https://example.com/bench) - 评测中文大模型能力的基准，覆盖 12 个任务。
"""


def test_an_entry_of_a_resource_list_defines_its_name(tmp_path: Path) -> None:
    """"[X](…) - 描述" and "**X**：描述" say what X is, as "X 是…" does: a model when that first
    clause is a model, with who released it; a setting or a benchmark described in the same
    way is no model."""
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "awesome.md").write_text(AWESOME_NOTE, encoding="utf-8")
    catalog = build(notes)[1].catalog
    assert sorted(r.name for r in catalog.rows) == ["Petrel", "Skua2", "Tern"]
    assert catalog.row("Skua2").value("org") == "贼鸥实验室"
    assert catalog.row("Tern").value("org") == "燕鸥科技、海鸟大学"
    assert catalog.row("Petrel").value("org") == "鹱科智能" and "200K" in catalog.row("Petrel").value("context")
    assert catalog.row("Skua2").value("summary") == "贼鸥实验室开源的大语言模型系列"


def test_a_size_said_of_one_variant_is_shown_with_its_name(tmp_path: Path) -> None:
    """"Kestrel-base 有 1.1 亿参数，Kestrel-large 有 3.4 亿参数": one row (a family), each size
    shown with the variant it belongs to; a size the family's own name has stays bare."""
    result = kb_of_notes(tmp_path, k="# Kestrel 笔记\n\n## Kestrel\n\nKestrel 是鹰隼实验室在 2024 年 2 月发布的"
                         "语言模型。\n\nKestrel-base 有 1.1 亿参数，而 Kestrel-large 有 3.4 亿参数。\n\n"
                         "后来的 Kestrel 拥有 70 亿参数。\n").extraction
    row = result.catalog.row("Kestrel")
    assert row is not None and result.catalog.row("Kestrel-large") is row
    named = {f.text: f.named for f in row.cells["params"].facts}
    assert named == {"1.1 亿": "Kestrel-base", "3.4 亿": "Kestrel-large", "70 亿": ""}, named
    table = catalog_table(result.catalog)
    assert "Kestrel-large [3.4 亿]" in table


def test_a_size_written_into_a_variants_name_is_that_variants(tmp_path: Path) -> None:
    """"Kestrel-7B" and "Kestrel-13B" on the row Kestrel: each size read from a name is recorded
    as that name's (the catalog data says which variant is how large); the table shows it bare,
    the name already says it."""
    result = kb_of_notes(tmp_path, k="# Kestrel 笔记\n\n## Kestrel\n\nKestrel 是鹰隼实验室在 2024 年 2 月发布的"
                         "语言模型。\n\nKestrel-7B 在单卡上就能运行，Kestrel-13B 的效果更好。\n").extraction
    row = result.catalog.row("Kestrel")
    assert row is not None and result.catalog.row("Kestrel-13B") is row
    named = {f.text: f.named for f in row.cells["params"].facts}
    assert named == {"7B": "Kestrel-7B", "13B": "Kestrel-13B"}, named
    table = catalog_table(result.catalog)
    assert "Kestrel-13B [13B]" not in table and "[13B]" in table


def test_the_catalog_data_gives_each_sized_variant_its_size(tmp_path: Path) -> None:
    """"Kestrel 有 7B、13B 两个版本" gives the family's sizes; "Kestrel-13B" named later is the
    13B one: the catalog data says so even though the family's sentence gives the cell."""
    import json

    from llmkb.render.data import catalog_json
    result = kb_of_notes(tmp_path, k="# Kestrel 笔记\n\n## Kestrel\n\nKestrel 是鹰隼实验室在 2024 年 2 月发布的"
                         "语言模型，有 7B、13B 两个参数量版本。\n\nKestrel-13B 的效果更好。\n").extraction
    row = json.loads(catalog_json(result.catalog))["rows"][0]
    assert row["name"] == "Kestrel" and row["params"] == [7.0, 13.0], row
    assert row["variant_params"] == {"Kestrel-13B": [13.0]}, row


@pytest.mark.parametrize("name, base, inherits", [
    ("GPT-3", "GPT", True), ("GPT4", "GPT", True), ("PaLM 2", "PaLM", True), ("Qwen-Chat", "Qwen", True),
    ("ChatGPT", "GPT", True), ("Code Llama", "Llama", True), ("ChatGLM 2", "GLM", True),
    ("文心大模型", "文心一言", True),
    # a name that only contains a series' name may be another organization's model
    ("HuggingGPT", "GPT", False), ("GPT-NeoX", "GPT", False), ("BioGPT", "GPT", False), ("GPT", "GPT", False),
])
def test_which_names_inherit_a_series_organization(name: str, base: str, inherits: bool) -> None:
    from llmkb.extract.catalog import _version_of
    assert _version_of(name, base) is inherits


def test_a_name_a_note_calls_a_version_of_the_series_inherits_its_organization() -> None:
    from llmkb.extract.catalog import _said_version
    assert _said_version("PaLM-E", "PaLM", ["PaLM-E 是 PaLM 的多模态版本，能控制机器人。"])
    assert not _said_version("GPT-J", "GPT", ["GPT-J 是 EleutherAI 开源的模型，结构与 GPT-3 相近。"])


def test_what_is_no_model_in_notes_of_another_kind(tmp_path: Path) -> None:
    """Shapes met in notes outside the development set: an interview note's numbered questions
    ("Q59：…的模型，…需要多大？") and steps ("Step 1：构建…模型"), an entry that asks ("Merlin：为什么…
    模型？"), an abbreviation defined once by what it
    does ("PP 是按层拆分模型"), a benchmark whose definition ends on 基准, a name in the title of a
    paper someone released, an author of a citation, a term after a copula that follows a release
    ("开源了 X，是一个 decoder-only 的模型"), and a table of techniques compared by their sizes:
    none is a model. The models beside them still are."""
    note = ("# 面试题\n\n"
            "Q59：如果要在一个非推理型模型的基础上训练出一个错误率低于 1% 的模型，基座模型至少需要多大？\n\n"
            "Step 1：构建基础表示模型，再用 Kestrel 标注数据。\n\n"
            "Merlin：为什么说它比别的开源模型更适合做问答模型？\n\n"
            "PP 是按层拆分模型，因此每张卡只放几层。\n\n"
            "FalconBench（Falcon Text Benchmark）是一个由鹰隼实验室维护的、全面的文本嵌入模型评测基准。\n\n"
            "2022 年，鹰隼实验室发布的论文《Plover-of-Thought Prompting Elicits Reasoning》引起关注。"
            "Plover-of-Thought 让模型先写出推理步骤。\n\n"
            "2021 年，鹰隼大学的研究者提出了 Swift Tuning。\n\n"
            "鹰隼公司开源的 flyers 库（[Harrier, T., Merlin, L.](https://example.com)）很常用。\n\n"
            "鹰隼实验室于 2024 年 2 月开源了 Kestrel（Kestrel2 的测试版）是一个 plover-Only 的模型。\n\n"
            "Kestrel 发布时是最长的上下文窗口（但不久后就被鸥科技的首款开源大模型——Skua 超过）。\n\n"
            "| 技术方法 | 可训练参数量 |\n|---|---|\n| 全部调整 | 100% |\n| Swift Tuning | 0.1% |\n")
    rows = {r.name for r in kb_of_notes(tmp_path, faq=note).extraction.catalog.rows}
    assert {"Kestrel", "Skua"} <= rows  # "首款开源大模型——Skua" names a model
    assert not rows & {"Q59", "Step 1", "Merlin", "PP", "FalconBench", "Plover-of-Thought", "Harrier", "plover-Only",
                       "全部调整", "Swift", "Swift Tuning"}, rows


def test_number_formats_and_kinds_of_architecture_are_no_models(tmp_path: Path) -> None:
    """"一个 7B 参数的 FP16 模型" and "Dense 模型" name how a model is stored or built, not a model."""
    note = ("# 显存\n\n题目：一个 7B 参数的 FP16 模型，batch_size=4，估算推理显存需求？\n\n"
            "Dense 模型：总参 30B，每次前向全部激活。\n\n"
            "Kestrel 是鹰隼实验室发布的大语言模型，参数量 7B。\n")
    rows = {r.name for r in kb_of_notes(tmp_path, faq=note).extraction.catalog.rows}
    assert "Kestrel" in rows and not rows & {"FP16", "Dense"}, rows


def test_a_size_compared_with_a_predecessors_is_not_the_predecessors(tmp_path: Path) -> None:
    """"比其前身 Skua-3 的 1750 亿个参数更高，达到了 1 万亿个参数": 1 万亿 is not Skua-3's; and
    the headings of an awesome list ("Model", "Dataset") name no model."""
    note = ("# 模型\n\n## Skua-3\n\nSkua-3 是鸥科技 2020 年发布的语言模型。\n\n"
            "## Model\n\n- [Tern](https://example.com) - 燕鸥科技开源的大语言模型\n\n"
            "## Dataset\n\n- [TernCorpus](https://example.com) - 燕鸥科技整理的中文预训练语料\n")
    talk = ("# 大模型漫谈\n\n## 新的突破\n\n鸥科技推出了新的系列。"
            "这个突破性的大型语言模型比其前身 Skua-3 的 1750 亿个参数更高，达到了惊人的 1 万亿个参数。\n")
    catalog = kb_of_notes(tmp_path, models=note, talk=talk).extraction.catalog
    skua3 = catalog.row("Skua-3")
    assert skua3 is not None and [f.value for f in skua3.cells["params"].facts] == [(175.0,)]
    assert catalog.row("Model") is None and catalog.row("Dataset") is None


def test_a_record_of_an_awesome_list_is_one_unit(tmp_path: Path) -> None:
    """"* Kittiwake：" with its nested "地址：…" and "简介：鸥科技发布的开源对话语言模型": the record
    says what its name is, and the name is a model with that 要点; a record whose 简介 is no
    model ("包括训练数据、训练代码") makes no row; "X 是在…的报告中发布的" names no organization."""
    note = ("# 中文大模型汇总\n\n## Model\n\n"
            "* Kittiwake：\n  * 地址：https://example.com/kittiwake\n"
            "  * 简介：鸥科技发布的一个支持中英双语的开源对话语言模型\n\n"
            "* Murrelet\n  * 地址：https://example.com/murrelet\n  * 简介：包括训练数据、训练代码和应用场景\n\n"
            "Kittiwake 是在一篇名为“Seabirds are few-shot learners”（海鸟是小样本学习器）的报告中发布的。\n")
    catalog = kb_of_notes(tmp_path, awesome=note).extraction.catalog
    row = catalog.row("Kittiwake")
    assert row is not None and row.value("summary") == "鸥科技发布的一个支持中英双语的开源对话语言模型"
    assert "报告" not in (row.value("org") or "")
    assert catalog.row("Murrelet") is None


def test_a_definition_that_says_what_a_name_is_not_makes_no_model(tmp_path: Path) -> None:
    """"Hydra：不要单独的草稿模型，在大模型上多加几个解码头": a method defined by the model it does
    without; "Sparrow-7B：鹬实验室开源的对话模型" is a model."""
    note = ("# 推理加速\n\n## 投机解码\n\n投机解码用一个小模型先猜几个词，再由大模型一次验证。\n\n"
            "- Lookahead：不需要额外的模型，靠 n-gram 池猜测后续词；\n"
            "- Hydra：不要单独的草稿模型，在大模型上多加几个解码头；\n"
            "- Sparrow-7B：鹬实验室开源的对话模型，可以当草稿模型用。\n")
    catalog = kb_of_notes(tmp_path, speed=note).extraction.catalog
    assert [r.name for r in catalog.rows] == ["Sparrow"], [r.name for r in catalog.rows]


def test_a_definition_is_headed_by_what_it_calls_the_name(tmp_path: Path) -> None:
    """"LoopRunner 是框架里负责循环调用模型的运行器": a runner, whatever model it calls; "Heron-7B 是
    鹭实验室发布的对话模型" is a model, and so is what a definition only says someone released
    ("Osprey 是鹗实验室在 2022 年放出来的")."""
    note = ("# 智能体\n\n## 组装\n\nLoopRunner 是框架里负责“调用模型—执行工具”这个循环的运行器。\n\n"
            "Heron-7B 是鹭实验室发布的对话模型。Osprey 是鹗实验室在 2022 年放出来的，1760 亿参数。\n")
    catalog = kb_of_notes(tmp_path, agent=note).extraction.catalog
    assert sorted(r.name for r in catalog.rows) == ["Heron", "Osprey"], [r.name for r in catalog.rows]


def test_what_a_phrase_after_a_name_calls_it_is_its_head_word(tmp_path: Path) -> None:
    """"Egret，一个面向检索和工具调用优化的模型" is a model, whatever tools it is for; "Gannet，一个
    开源的检索工具" is a tool."""
    note = ("# 本周新闻\n\n鹭科技发布了 Egret，一个面向检索和工具调用优化的模型。\n\n"
            "鲣鸟实验室发布了 Gannet，一个开源的检索工具。\n")
    catalog = kb_of_notes(tmp_path, news=note).extraction.catalog
    assert [r.name for r in catalog.rows] == ["Egret"], [r.name for r in catalog.rows]


def test_an_architecture_named_in_a_release_is_not_what_was_released(tmp_path: Path) -> None:
    """"发布了新一代 Condor 架构的 C300 GPU": Condor is the chips' architecture and C300 a GPU; no model."""
    note = ("# 本周速览\n\n### 英伟达 GTC：Condor 来了\n\n3 月 18 日，大会开幕，黄仁勋发布了新一代 Condor 架构的 "
            "C300 GPU，以及把两颗 C300 和一颗 Kite CPU 拼在一起的超级芯片。\n")
    catalog = kb_of_notes(tmp_path, chips=note).extraction.catalog
    assert catalog.rows == [], [r.name for r in catalog.rows]


def test_a_bracket_of_who_and_when_after_a_name_is_a_release(tmp_path: Path) -> None:
    """"**Heron Pro**（Google，2 月 15 日）：…", as a weekly digest writes a release: a model of
    Google's; a bracket of a date alone, or of what is no organization, says no release."""
    note = ("# 本周速览\n\n- 📌 **Heron Pro**（Google，2 月 15 日）：采用 MoE 架构，标准上下文 128K。\n"
            "- 📌 **Gannet Kit**（工具箱，3 月 1 日）：一组评测脚本。\n")
    catalog = kb_of_notes(tmp_path, week=note).extraction.catalog
    assert [r.name for r in catalog.rows] == ["Heron Pro"], [r.name for r in catalog.rows]
    assert catalog.rows[0].value("org") == "Google"


def test_a_bold_record_of_who_released_a_chinese_name_is_a_model(tmp_path: Path) -> None:
    """"**听涛**（百度）：2023 年 3 月发布，…": a list's record names the model in bold, then who made
    it (its organization) and its release; one that says nothing of a release, or whose bracket
    names no organization, is no model."""
    note = ("# 国产大模型清单\n\n## 闭源模型\n\n- **听涛**（百度）：2023 年 3 月发布，基于文心系列。\n"
            "- **问路**（字节跳动）：一款面向出行的应用。\n- **行者**（张三）：2023 年发布的个人项目。\n")
    catalog = kb_of_notes(tmp_path, list=note).extraction.catalog
    assert [r.name for r in catalog.rows] == ["听涛"], [r.name for r in catalog.rows]
    # the bracket right after the name says who made it
    assert catalog.rows[0].value("date") == "2023 年 3 月" and catalog.rows[0].value("org") == "百度"


def test_a_parameter_count_said_of_a_name_makes_it_a_model(tmp_path: Path) -> None:
    """"13 亿参数的 Tern 胜过了 1750 亿参数的 Skua": a parameter count is said only of models;
    a size of something else ("Auklet 数据集有 50 亿 token") is not."""
    note = ("# 对齐笔记\n\n## 结果\n\n13 亿参数的 Tern 在人工评价中胜过了 1750 亿参数的 Skua。\n\n"
            "训练用的 Auklet 数据集有 50 亿 token。\n")
    catalog = kb_of_notes(tmp_path, align=note).extraction.catalog
    assert sorted(r.name for r in catalog.rows) == ["Skua", "Tern"], [r.name for r in catalog.rows]


def test_a_size_said_of_another_name_is_not_the_clauses_model(tmp_path: Path) -> None:
    """"13B 的 Tern 就能超过 175B 的 Gullwing-3": 175B is Gullwing-3's, though the notes give it
    no row; the clause's model does not take it. "3B、30B 的 Base 和 Chat 版本" are its own."""
    note = ("# Tern 笔记\n\n## 简介\n\nTern 是鸥实验室发布的一组语言模型，参数规模从 7B 到 65B。\n\n"
            "只用公开数据，13B 的 Tern 就能在多数基准上超过 175B 的 Gullwing-3。"
            "本次放出 3B、30B 的 Base 和 Chat 版本。\n")
    kb = kb_of_notes(tmp_path, tern=note)
    row = kb.extraction.catalog.row("Tern")
    assert row is not None
    sizes = {v for f in kb.extraction.facts if f.model == row.group and f.field == "params" for v in f.value}
    assert 175.0 not in sizes and {65.0, 30.0} <= sizes, sizes


def test_a_stand_in_for_a_model_is_another_model(tmp_path: Path) -> None:
    """"Kestrel 平替继续发酵，鹈鹕大学发布了对话模型 Pelican，参数达到 13B": the sentence is about a
    model that stands in for Kestrel, so Kestrel takes neither the size nor the organization."""
    result = kb_of_notes(tmp_path, k="# 模型笔记\n\n## Kestrel\n\nKestrel 是鹰隼实验室在 2024 年 2 月发布的"
                         "语言模型。\n\n## 平替\n\nKestrel 平替继续发酵，鹈鹕大学发布了一个对话模型 Pelican，"
                         "参数达到 13B。\n").extraction
    row = result.catalog.row("Kestrel")
    assert row is not None and row.value("params") == "" and row.value("org") == "鹰隼实验室", row.cells


def test_an_organization_before_a_kind_of_model_names_no_model(tmp_path: Path) -> None:
    """"谷歌语言大模型 PaLM": 语言大模型 says what kind of model PaLM is; "百度文心大模型" names one."""
    result = kb_of_notes(tmp_path, k="# 模型笔记\n\n## PaLM\n\nPaLM 是谷歌在 2022 年 4 月发布的语言模型。\n\n"
                         "基于谷歌语言大模型 PaLM 的应用越来越多。\n\n百度文心大模型在 2023 年 3 月发布。\n").extraction
    names = [r.name for r in result.catalog.rows]
    assert "语言大模型" not in names and "文心大模型" in names and "PaLM" in names, names


def test_the_size_of_a_model_the_clause_works_on_is_not_the_subjects(tmp_path: Path) -> None:
    """In a note about Kestrel, "用它训练 650 亿参数量的大模型", "在 6B 规模大小的旧模型上微调" and "一个
    130 亿参数的类 ChatGPT 模型" give sizes of unnamed models; "Kestrel 是基于 GLM 结构开发的具有 70 亿
    参数量的语言模型" is Kestrel's own."""
    result = kb_of_notes(tmp_path, k="# Kestrel\n\n## Kestrel\n\n"
                         "Kestrel 是基于 GLM 结构开发的具有 70 亿参数量的语言模型。\n\n"
                         "很多研究者正在尝试用该项目训练 650 亿甚至更高参数量的大模型。\n\n"
                         "大家在 6B 或者 7B 规模大小的旧模型上进行指令微调。\n\n"
                         "例如，一个 130 亿参数的类 ChatGPT 模型，只需 1.25 小时就能完成训练。\n").extraction
    row = result.catalog.row("Kestrel")
    assert row is not None and row.value("params") == "70 亿", row.cells["params"]


def test_names_said_to_be_data_or_speakers_are_no_models(tmp_path: Path) -> None:
    """"Heron-Instruct-150K，该数据集是…" and "Puffin-2B 的 10M 样本" name data; "Assistant：…" is a
    speaker of a chat transcript. "1.3B 对齐模型…胜过 175B 原始模型" and "超过了 280B 的 LLM": those sizes
    are the other models'."""
    result = kb_of_notes(tmp_path, k="# 笔记\n\n## Kestrel\n\nKestrel 是鹰隼实验室发布的多模态模型，用 "
                         "Heron-Instruct-150K 训练。\n\nHeron-Instruct-150K，该数据集是一份多模态指令数据。\n\n"
                         "它在 Puffin-2B 的 10M 样本上训练而来。\n\nKestrel 用 RLHF 对齐，1.3B 对齐模型的人类偏好"
                         "竟胜过 175B 原始模型。\n\nKestrel 的表现超过了 280B 的 LLM。\n\n"
                         "User：你是谁？\n\nAssistant：我是 AI 模型。\n\n"
                         "Actor（策略模型）：即被训练的语言模型。\n").extraction
    names = [r.name for r in result.catalog.rows]
    assert names == ["Kestrel"], names
    assert result.catalog.row("Kestrel").value("params") == "1.3B"


def test_a_name_that_qualifies_released_data_is_no_model(tmp_path: Path) -> None:
    """"收集开源 Isle 定理证明数据集", "使用贝壳开源的 Marten 数据集": what was released is the data set
    the name qualifies, not a model of that name."""
    result = kb_of_notes(tmp_path, k="# 笔记\n\n## 数学数据\n\n1. **Kestrel-Math 技术报告**\n   > 收集开源 Isle "
                         "定理证明数据集\n\n我们使用贝壳开源的 Marten 数据集进行有监督微调。\n\n"
                         "## Kestrel\n\nKestrel 是鹰隼实验室发布的语言模型。\n").extraction
    names = [r.name for r in result.catalog.rows]
    assert "Isle" not in names and "Marten" not in names, names


def test_what_a_name_calls_itself_defines_it(tmp_path: Path) -> None:
    """"Heron（鹭语）是由鹭语团队开发和发布的，自称第一个功能型对话大模型": a later clause that says
    what it calls itself (自称, 号称) defines it as "是…" does."""
    result = kb_of_notes(tmp_path, k="# 笔记\n\n## 模型\n\nHeron（鹭语）是由鹭语团队开发和发布的，自称第一个功能型"
                         "对话大模型，可以写文章。\n").extraction
    assert [r.name for r in result.catalog.rows] == ["Heron"]


@pytest.mark.parametrize("name", ["DPOTrainer", "AutoTokenizer", "LlamaForCausalLM", "GPT2LMHeadConfig"])
def test_a_class_of_a_librarys_code_is_no_model(tmp_path: Path, name: str) -> None:
    """"开源 DPOTrainer，支持任何 transformers 模型": a class of code, released as part of a library."""
    result = kb_of_notes(tmp_path, k=f"# 笔记\n\n## 工具\n\n- TRL（Hugging Face）：开源 {name}，封装损失函数，支持任何"
                         " transformers 模型，但在 70B 的模型上仍需更多显存。\n").extraction
    assert name not in [r.name for r in result.catalog.rows]


def test_a_report_titled_by_a_model_s_name_gives_that_model_a_row(tmp_path: Path) -> None:
    """"Heron-R1: Incentivizing Reasoning via Reinforcement Learning" is a report on Heron-R1: its
    sections go to the catalog (classify), and the name has a row there even though no sentence
    defines it, with the size its text gives; a course's "Task 7：LLM" gives none."""
    kb = kb_of_notes(tmp_path, r1=(
        "# Heron-R1: Incentivizing Reasoning Capability via Reinforcement Learning\n\n"
        "## 这篇报告解决什么问题\n\n- 不靠大量人工标注，能不能让模型自己学会长推理。\n\n"
        "## 局限与疑问\n\n- Heron-R1 总参数 671B，但报告没有公开完整的数据配比。\n"),
        task="# Task 7：LLM\n\n## 学习目标\n\n- 了解大模型的基本用法和提示词的写法。\n")
    row = kb.extraction.catalog.row("Heron-R1")
    assert row is not None and any("671B" in f.text for f in row.cells["params"].facts), row
    assert kb.extraction.catalog.row("Task 7") is None


def test_a_lower_case_name_with_a_parameter_count_is_a_name() -> None:
    """"wren-7B" (a repository's spelling) names a model as "Wren-7B" does; a single letter with a
    size ("x 220B") and a lower-case word with none ("wren 是…") do not."""
    registry = Registry(catalog_sentences([
        ("模型", ["wren-7B 是鹪鹩实验室发布的开源语言模型。", "x 220B 是一个开源语言模型。",
                 "heron 是一个开源语言模型。"]),
    ]), Orgs([]), not_models={"llm"})
    assert registry.is_model_name("wren-7B")
    assert not registry.is_model_name("x 220B") and not registry.is_model_name("heron")


def test_the_reports_an_awesome_list_gives_under_a_family_are_its_models(tmp_path: Path) -> None:
    """Under "### Heron 系列" (the catalog's), "**Heron2 Technical Report**" and "**Heron 3: Open
    Foundation Models**" are reports on those models: each is a row though the list says nothing
    else of it. A bold item that is no model's report ("**Awesome Resources**") is none."""
    result = kb_of_notes(tmp_path, k="# Awesome LLM 预训练\n\n预训练相关的论文与资源。\n\n## 技术报告\n\n"
                         "### Heron 系列\n\n1. **Heron Technical Report**. [[paper](https://arxiv.org/abs/1)]\n"
                         "2. **Heron2 Technical Report**. [[paper](https://arxiv.org/abs/2)]\n"
                         "3. **Heron 3: Open Foundation Models**. [[paper](https://arxiv.org/abs/3)]\n"
                         "4. **Awesome Resources**. [[code](https://github.com/x/y)]\n").extraction
    names = {n for r in result.catalog.rows for n in (r.name, *r.aliases)}
    assert {"Heron2", "Heron 3"} <= names, names
    assert "Awesome Resources" not in names, names


def test_a_catalog_heading_of_two_latin_words_with_its_maker_in_brackets_is_a_model(tmp_path: Path) -> None:
    """"### Kestrel Large（Google）" in a digest of releases, over text that never names it: the
    heading names one model as a whole, made by Google — a row of its own, not an edition of the
    Kestrel 7B the digest lists under another heading; a heading of two words without a maker
    ("### Release Notes") names nothing."""
    note = ("# 大模型发布月报\n\n## 海外大模型\n\n"
            "### Kestrel 7B（Google）\n\n2023 年 9 月发布的开源大模型，参数约 7.3B。\n\n"
            "### Kestrel Large（Google）\n\n2 月底发布，是第一个不开放权重的旗舰大模型。\n\n"
            "### Release Notes\n\n各家大模型的发布说明见官网。\n")
    catalog = kb_of_notes(tmp_path, digest=note).extraction.catalog
    names = sorted(r.name for r in catalog.rows)
    assert len(names) == 2 and names[0] in ("Kestrel", "Kestrel 7B") and names[1] == "Kestrel Large", names


def test_the_size_of_a_version_still_in_training_is_no_size_of_the_model(tmp_path: Path) -> None:
    """"首批开放 8B 和 70B 两个尺寸，更大的 400B 版本仍在训练中": the released sizes are 8B and 70B;
    so when a later clause turns to it ("…超过 400B 个参数，但该模型仍在训练中") or an earlier one
    said so ("最大的版本仍在训练中，其参数超过 400B")."""
    note = ("# 模型速览\n\n## Heron 3\n\n2024 年 4 月，鹭实验室发布了 Heron 3 模型。\n\n"
            "- Heron 3 首批开放 8B 和 70B 两个尺寸，更大的 400B 版本仍在训练中。\n"
            "- Heron 3 最大的模型有超过 405B 个参数，但该模型仍在训练中。\n"
            "- 鹭实验室表示，最大的 Heron 3 仍在训练中，其参数超过 410B。\n")
    assert _row_sizes(kb_of_notes(tmp_path, news=note).extraction.catalog, "Heron 3") == [8.0, 70.0]


def _row_sizes(catalog, name: str) -> list[float]:
    """Every size the catalog row of ``name`` shows (a statement's list once per statement)."""
    row = catalog.row(name)
    assert row is not None, [r.name for r in catalog.rows]
    return sorted(v for f in row.cells["params"].facts for v in f.value)


def test_a_catalog_heading_that_says_who_made_the_model_gives_its_organization(tmp_path: Path) -> None:
    """"### Kestrel Large（Google）" over text that never names the maker: the row's organization is
    the one the heading's bracket names."""
    note = ("# 大模型发布月报\n\n## 海外大模型\n\n"
            "### Kestrel Large（Google）\n\n2 月底发布，是第一个不开放权重的旗舰大模型。\n\n"
            "### Heron 2（Meta）\n\n7 月发布的开源大模型，参数规模 7B、13B、70B。\n")
    catalog = kb_of_notes(tmp_path, digest=note).extraction.catalog
    orgs = {r.name: r.value("org") for r in catalog.rows}
    assert orgs.get("Kestrel Large") == "Google" and orgs.get("Heron 2") == "Meta", orgs


def test_a_capital_letter_with_a_plus_after_a_name_is_part_of_it(tmp_path: Path) -> None:
    """"**Kestrel R+**：…发布的 104B 模型" names one model, Kestrel R+ — not Kestrel and a lone R — with
    its size; a lone capital in prose ("方案 A") stays apart."""
    note = ("# 大模型周报\n\n## 开源快讯\n\n"
            "- **Kestrel R+**：Google 于 2024 年 4 月发布的 104B 模型，面向检索增强和工具调用优化。\n"
            "- 对比实验里，Kestrel R+ 的回答比方案 A 更完整。\n")
    catalog = kb_of_notes(tmp_path, week=note).extraction.catalog
    row = catalog.row("Kestrel R+")
    assert row is not None and [r.name for r in catalog.rows] == ["Kestrel R+"], [r.name for r in catalog.rows]
    assert [v for f in row.cells["params"].facts for v in f.value] == [104.0]


def test_a_size_a_models_performance_is_compared_with_is_not_its_size(tmp_path: Path) -> None:
    """"Heron-34B … 效果又接近 70B": 70B is the size of the models Heron is as good as."""
    note = ("# 模型速览\n\n## Heron\n\n"
            "鹭实验室 2023 年 11 月发布了 Heron-6B 和 Heron-34B，34B 的尺寸单卡能跑，效果又接近 70B。\n\n"
            "## Kite\n\nKite 是鸢实验室发布的开源大模型，参数为 13B，性能逼近 65B。\n")
    catalog = kb_of_notes(tmp_path, news=note).extraction.catalog
    sizes = {r.name: sorted(v for f in r.cells["params"].facts for v in f.value) for r in catalog.rows}
    assert sizes.get("Heron") == [6.0, 34.0] and sizes.get("Kite") == [13.0], sizes


def test_sizes_other_statements_already_give_are_shown_once(tmp_path: Path) -> None:
    """Prose gives "0.5B、7B、72B" and "57B", a table row "0.5B / 7B / 57B-A14B": the row shows
    each size once, not the table's list again."""
    note = ("# 模型对比\n\n## 总表\n\n| 模型 | 机构 | 参数量 |\n| --- | --- | --- |\n"
            "| Heron2 | 鹭实验室 | 0.5B / 7B / 57B-A14B |\n\n"
            "## Heron2\n\nHeron2 由鹭实验室于 2024 年 6 月发布，包括 0.5B、7B、72B 三个稠密模型。"
            "Heron2 的 MoE 版本总参数为 57B。\n")
    assert _row_sizes(kb_of_notes(tmp_path, compare=note).extraction.catalog, "Heron2") == [0.5, 7.0, 57.0, 72.0]


def test_a_parameter_count_in_the_bracket_after_a_name_says_it_is_a_model(tmp_path: Path) -> None:
    """"鸢实验室公布 Kite-2（15 亿参数）" says Kite-2 has parameters as plainly as "15 亿参数的 Kite-2";
    a bracket with a size but no word of parameters ("Kite-Data（15B）") says less."""
    note = ("# 大事记\n\n## 2019\n\n- 2019 年 2 月：鸢实验室公布 Kite-2（15 亿参数），分阶段放出权重。\n"
            "- 同年整理了 Wren-Data（15B），供后续实验使用。\n")
    catalog = kb_of_notes(tmp_path, events=note).extraction.catalog
    names = [r.name for r in catalog.rows]
    assert "Kite-2" in names and "Wren-Data" not in names, names
