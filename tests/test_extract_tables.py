"""Model-comparison tables: each row gives its model a catalog row, each cell a fact.

The fixture (tests/fixtures/tables/) is a note that compares models the seeds never
mention in a Chinese table and an English one (other header words, dates written
2023-12 / 2024.3, 是/否 for open source, 1M context), next to a table of techniques
(| 名称 | 提出时间 | 机构 |) that must not turn techniques into models.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import notes_with
from llmkb.diagnostics import Reporter
from llmkb.extract.tables import column_field
from llmkb.models import Extraction
from llmkb.pipeline import Settings, build_kb
from llmkb.render.catalog import catalog_table

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "tables"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Extraction:
    root = tmp_path_factory.mktemp("tables")
    notes = notes_with(root, FIXTURE)
    return build_kb(Settings(notes_dir=notes, docs_dir=root / "docs", project_root=root), Reporter()).extraction


def _extract_table(tmp_path: Path, table: str) -> Extraction:
    """Extraction from one note holding the table (no seed notes)."""
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "table.md").write_text("# 模型一览\n\n" + table, encoding="utf-8")
    settings = Settings(notes_dir=notes, docs_dir=tmp_path / "docs", project_root=tmp_path)
    return build_kb(settings, Reporter()).extraction


@pytest.mark.parametrize(("header", "field"), [
    ("模型", "name"), ("模型名称", "name"), ("Model", "name"), ("研发机构", "org"), ("Developer", "org"),
    ("发布时间", "date"), ("Release Date", "date"), ("参数量（B）", "params"), ("模型大小", "params"),
    ("是否开源", "license"), ("开源/闭源", "license"), ("上下文窗口", "context"), ("Context", "context"),
    ("Owner", "org"), ("Backbone", "base"), ("基座模型", "base"),
    ("备注", "notes"), ("说明", "notes"), ("特点", None), ("典型模型", None), ("代表模型", None),
])
def test_columns_are_recognised_by_their_header(header: str, field: str | None) -> None:
    assert column_field(header) == field


# name → what its row must say (column → cell text as shown)
EXPECTED = {
    "Llama 2": {"org": "Meta", "date": "2023 年 7 月", "params": "7B/13B/70B", "context": "4K",
                "license": "开源"},
    "Mixtral": {"org": "Mistral AI", "date": "2023-12", "params": "467 亿", "context": "32K",
                "license": "开源"},
    # a tier of a line of models (Opus, Sonnet) names a model of its own, as GPT-4 Turbo does
    "Claude 3 Opus": {"org": "Anthropic", "date": "2024.3", "params": "", "context": "200K", "license": "闭源"},
    "Qwen2": {"org": "阿里云", "date": "2024 年 6 月", "params": "0.5B~72B", "context": "128K",
              "license": "开源"},
    "Gemini 1.5 Pro": {"org": "Google", "date": "2024-02", "params": "", "context": "1M",
                       "license": "closed"},
    "Phi-2": {"org": "Microsoft", "date": "2023-12", "params": "2.7B", "context": "2048",
              "license": "open weights"},
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_table_row_becomes_a_catalog_row(extracted: Extraction, name: str) -> None:
    assert extracted.catalog is not None
    row = extracted.catalog.row(name)
    assert row is not None, [r.name for r in extracted.catalog.rows]
    assert {c: row.value(c) for c in EXPECTED[name]} == EXPECTED[name]


def test_values_carry_their_meaning_and_cite_the_row(extracted: Extraction) -> None:
    assert extracted.catalog is not None
    llama = extracted.catalog.row("Llama 2")
    gemini = extracted.catalog.row("Gemini 1.5 Pro")
    claude = extracted.catalog.row("Claude 3 Opus")
    assert llama and gemini and claude
    assert llama.cells["params"].facts[0].value == (7.0, 13.0, 70.0)
    assert gemini.cells["context"].facts[0].value == 1_000_000
    assert gemini.cells["license"].facts[0].value == "闭源"
    assert (claude.cells["date"].facts[0].value.year, claude.cells["date"].facts[0].value.month) == (2024, 3)
    org = llama.cells["org"].facts[0].evidence
    assert org.sentence.text.startswith("模型：Llama 2；研发机构：Meta；")
    assert org.sentence.text[org.start : org.end] == "Meta"
    assert org.sentence.place.section_title == "开源与闭源模型一览"
    assert "研发机构：Meta" in catalog_table(extracted.catalog)


def test_a_table_of_techniques_makes_no_models(extracted: Extraction) -> None:
    assert extracted.catalog is not None
    assert extracted.catalog.row("Transformer") is None
    assert extracted.catalog.row("RLHF") is None


def test_a_versioned_chinese_name_is_a_model_of_its_own(extracted: Extraction) -> None:
    """通义千问2 is not folded into the seeds' 通义千问: it has its own date and sizes."""
    assert extracted.catalog is not None
    family, version = extracted.catalog.row("通义千问"), extracted.catalog.row("通义千问2")
    assert family is not None and version is not None and family is not version
    assert version.value("date") == "2024 年 6 月" and family.value("date") == "2023 年 4 月"


def test_a_name_cell_listing_several_models_gives_each_a_row(tmp_path: Path) -> None:
    """"盘古,盘古气象,盘古-Σ" or "XVERSE-7B, XVERSE-13B": every listed model gets the row's facts;
    a Latin word inside a Chinese name ("左医 GPT") is not another model's row."""
    result = _extract_table(tmp_path, """| 模型 | 机构 | 发布时间 |
|---|---|---|
| 云雀,云雀气象,云雀-Σ | 雀科技公司 | 2023 年 7 月 |
| Wren-7B, Wren-13B | 鹪鹩实验室 | 2024 年 1 月 |
| 左医 Finch | 左手医疗公司 | 2023 年 5 月 |
| Finch-2 | 燕雀实验室 | 2022 年 3 月 |
""")
    for name in ("云雀", "云雀气象", "云雀-Σ"):
        row = result.catalog.row(name)
        assert row is not None and row.value("org") == "雀科技公司", name
    wren = result.catalog.row("Wren")
    assert wren is not None and wren.value("org") == "鹪鹩实验室"
    finch = result.catalog.row("Finch-2") or result.catalog.row("Finch")
    assert finch is not None and "左手医疗公司" not in (finch.value("org") or "")
    # the Chinese name with the Latin word in it is a model of its own, with its row's facts
    doctor = next((r for r in result.catalog.rows if r.name.replace(" ", "") == "左医Finch"), None)
    assert doctor is not None and (doctor.value("org") or "").startswith("左手医疗"), doctor


def test_a_rows_free_text_column_is_read_as_prose_about_its_model(tmp_path: Path) -> None:
    """A 说明 cell says things of its row's model: "开源且可商用" (open), "号称 100B 参数" (its
    size), "基于 Wren-7B，开源" (open: the base model is not what the clause is about); a size
    and a license bound to another name ("开源多模态 7B 模型 Tinamou") are that name's, which a
    release verb alone does not give ("雁大学开源 Skimmer"); a row listing two names says of
    neither; and "X 是 A 实验室与 B 公司合作完成的" keeps X a model (a lab is no head noun)."""
    result = _extract_table(tmp_path, """| 序号 | 公司 | 大模型 | 说明 |
|---|---|---|---|
| 1 | 雀科技公司 | 云雀 | 开源且可商用 |
| 2 | 鹪鹩实验室 | 鹪鹩 | 鹪鹩号称 100B 参数，全模态 |
| 3 | 雨燕大学 | 雨燕 | 基于 Wren-7B，开源 |
| 4 | 画眉科技公司 | 画眉 | 开源多模态 7B 模型 Tinamou，画眉是它的聊天机器人 |
| 5 | 鹡鸰公司 | 鹡鸰,鹡鸰-Pro | 开源 |
| 6 | 翠湖实验室 | KingfisherGPT | KingfisherGPT是翠湖市心理健康重点实验室与渔翁科技公司合作完成 |
| 7 | 雁大学 | 雁鸣 | 基于 LLaMA，雁大学开源 Skimmer |
""")
    catalog = result.catalog
    assert catalog.row("云雀").value("license") == "开源"
    assert "100B" in (catalog.row("鹪鹩").value("params") or "")
    assert catalog.row("雨燕").value("license") == "开源"
    assert not catalog.row("画眉").value("params")
    assert catalog.row("Tinamou").value("params") == "7B" and catalog.row("Tinamou").value("license") == "开源"
    assert catalog.row("Skimmer") is None
    assert not catalog.row("鹡鸰").value("license") and not catalog.row("鹡鸰-Pro").value("license")
    assert catalog.row("KingfisherGPT") is not None and catalog.row("KingfisherGPT").value("org") == "翠湖实验室"


def test_an_english_awesome_lists_tables(tmp_path: Path) -> None:
    """| Model | Owner | Backbone | Repo |: Owner is who made it, a backbone column marks a table of
    models; a name cell's description after a colon is no part of the name ("Skylark: A …
    LLM"); sizes written into the names of a Size cell ("Skylark-7B, Skylark-70B") are the
    row's sizes; a dot between two Chinese words of a cell joins one name (鹭鸶.白鹭)."""
    result = _extract_table(tmp_path, """| Model | Owner | Backbone | Repo |
|---|---|---|---|
| Gannet | [Seabird Lab](https://example.com) | LLaMA | [Github](https://example.com/g) |
| Cormorant: 基于医学知识的微调模型 | 鸬鹚大学 | LLaMA | [Github](https://example.com/c) |

| Model | Size | Repo |
|---|---|---|
| Skylark: A multi-language multi-task LLM | Skylark-7B, Skylark-70B | [Github](https://example.com/s) |
| 鹭鸶.白鹭 | 13B | [Github](https://example.com/b) |
""")
    catalog = result.catalog
    assert catalog.row("Gannet").value("org") == "Seabird Lab"
    assert catalog.row("Cormorant").value("org") == "鸬鹚大学"
    skylark = catalog.row("Skylark")
    assert skylark is not None and [f.value for f in skylark.cells["params"].facts] == [(7.0,), (70.0,)]
    egret = next((r for r in catalog.rows if r.name.replace("・", "·") == "鹭鸶·白鹭"), None)
    assert egret is not None and egret.value("params") == "13B", [r.name for r in catalog.rows]


def test_the_active_parameters_of_a_mixture_of_experts_are_not_its_size(tmp_path: Path) -> None:
    """"671B（37B 激活）": the model has 671B parameters; 37B of them are active per token."""
    result = _extract_table(tmp_path, """| 模型 | 发布时间 | 参数 |
|---|---|---|
| Albatross-V3 | 2024.12 | 671B（37B 激活） |
| Albatross-Lite | 2025.01 | 456B (45.9B activated) |
| Albatross-Mini | 2025.02 | 46.7B（激活 12.9B） |
""")
    catalog = result.catalog
    assert [f.value for f in catalog.row("Albatross-V3").cells["params"].facts] == [(671.0,)]
    assert [f.value for f in catalog.row("Albatross-Lite").cells["params"].facts] == [(456.0,)]
    assert [f.value for f in catalog.row("Albatross-Mini").cells["params"].facts] == [(46.7,)]


def test_a_name_cell_of_two_latin_words_is_one_model(tmp_path: Path) -> None:
    """"| Kestrel Large | …": the cell names one model as a whole; its facts are not those of the
    Kestrel the same table lists in another row."""
    result = _extract_table(tmp_path, """| 模型 | 机构 | 发布时间 | 上下文 | 开源 |
|---|---|---|---|---|
| Kestrel 7B | 隼实验室 | 2023-09 | 8K | 开源 |
| Kestrel Large | 隼实验室 | 2024-02 | 32K | 闭源 |
""")
    large, small = result.catalog.row("Kestrel Large"), result.catalog.row("Kestrel")
    assert large is not None and small is not None, [r.name for r in result.catalog.rows]
    assert (large.value("date"), large.value("license")) == ("2024-02", "闭源")
    assert (small.value("date"), small.value("license")) == ("2023-09", "开源")


def test_a_name_of_two_words_joined_by_a_middle_dot_is_one_model(tmp_path: Path) -> None:
    """"紫东·太初" or "智海-录问" in a model table's name column is one model, with the row's facts."""
    result = _extract_table(tmp_path, """| 模型 | 机构 | 发布时间 |
|---|---|---|
| 青岚·远帆 | 青岚研究院 | 2023 年 6 月 |
| 白鹭 | 鹭科技公司 | 2023 年 8 月 |
| 澄湖-问渠 | 澄湖大学 | 2023 年 9 月 |
""")
    row = next((r for r in result.catalog.rows if r.name.replace("・", "·") == "青岚·远帆"), None)
    assert row is not None and row.value("org") == "青岚研究院", [r.name for r in result.catalog.rows]
    assert result.catalog.row("白鹭") is not None
    hyphened = result.catalog.row("澄湖-问渠")
    assert hyphened is not None and hyphened.value("org") == "澄湖大学"


def test_an_organization_cell_is_taken_as_written(tmp_path: Path) -> None:
    """The header says the cell names organizations: "云帆有道" is no prose though 有 is a word of
    running text, "360" no number, and "甲大学&乙联盟" two organizations."""
    result = _extract_table(tmp_path, """| 公司 | 大模型 | 类别 |
|---|---|---|
| 云帆有道 | 子夜 | 教育 |
| 360 | 智瞳 | 通用 |
| 甲大学&乙联盟 | KnowOwl | 通用 |
| 由 Google 于 2023 年发布 | Sparrow-2 | 通用 |
""")
    orgs = {r.name: r.value("org") for r in result.catalog.rows}
    assert orgs.get("子夜") == "云帆有道" and orgs.get("智瞳") == "360", orgs
    assert orgs.get("KnowOwl") == "甲大学、乙联盟", orgs
    assert orgs.get("Sparrow-2") == "Google", orgs


def test_a_license_named_in_a_license_column_is_an_open_model(tmp_path: Path) -> None:
    """| 许可 | Apache 2.0 |, | 许可 | 仅研究 |: the weights are out under a license, whatever its
    terms: the model is open, shown as the note writes it. A cell that says 闭源 stays closed."""
    result = _extract_table(tmp_path, """| 模型 | 机构 | 参数量 | 许可 |
|---|---|---|---|
| Heron-7B | 甲实验室 | 7B | Apache 2.0 |
| Kestrel | 乙公司 | 13B | 仅研究使用 |
| Osprey | 丙公司 | 未公开 | 闭源商用 |
""")
    cells = {r.name: r.cells["license"] for r in result.catalog.rows}
    assert [f.value for f in cells["Heron"].facts] == ["开源"] and cells["Heron"].facts[0].text == "Apache 2.0"
    assert [f.value for f in cells["Kestrel"].facts] == ["开源"], cells["Kestrel"]
    assert [f.value for f in cells["Osprey"].facts] == ["闭源"], cells["Osprey"]


def test_a_size_column_gives_the_size_of_the_sized_name_its_row_gives(tmp_path: Path) -> None:
    """| Heron 7B | … | 73 亿 |: the size written into the name is nominal, the size column is
    that variant's own; the family's row shows it beside the variant's name."""
    result = _extract_table(tmp_path, """| 模型 | 机构 | 参数量 |
|---|---|---|
| Heron 7B | 甲实验室 | 73 亿 |
| Egret-6B | 乙公司 | 6.2B |
""")
    for family, variant, size in (("Heron", "Heron 7B", (7.3,)), ("Egret", "Egret-6B", (6.2,))):
        row = result.catalog.row(family)
        assert row is not None, [r.name for r in result.catalog.rows]
        table = [f for f in row.cells["params"].facts if f.how == "table"]
        assert [(f.named, f.value) for f in table] == [(variant, size)], row.cells["params"].facts


def test_variants_a_table_gives_different_context_lengths_keep_theirs(tmp_path: Path) -> None:
    """A family's table ("Heron-7B | 4K", "Heron-7B-Chat | 4K", "Heron-14B | 8K"): the row shows each
    length once, with a variant that has it, not only the largest."""
    result = _extract_table(tmp_path, """| 模型名称 | 参数量 | 上下文长度 |
|---|---|---|
| Heron-7B | 7B | 4K |
| Heron-7B-Chat | 7B | 4K |
| Heron-14B | 14B | 8K |
""")
    row = result.catalog.row("Heron")
    assert row is not None, [r.name for r in result.catalog.rows]
    assert [(f.named, f.value) for f in row.cells["context"].facts] == [("Heron-7B", 4096), ("Heron-14B", 8192)]


def test_a_column_of_example_models_is_not_the_rows_subject(tmp_path: Path) -> None:
    """| 分词方法 | 被提出的时间 | 典型模型 |: the dates are the methods', not the models'."""
    result = _extract_table(tmp_path, """| 分词方法 | 特点 | 被提出的时间 | 典型模型 |
|---|---|---|---|
| 甲分词 | 按字节合并 | 2016 年 | Heron-1、Egret-2 |
""")
    for name in ("Heron-1", "Egret-2"):
        row = result.catalog.row(name)
        assert row is None or not row.value("date"), name


def test_a_table_of_abilities_by_the_size_they_emerge_at_lists_no_models(tmp_path: Path) -> None:
    """| 能力 | 涌现规模 |: each row an ability and the model size it appears at; no row is a model
    (the size column alone makes no table of models)."""
    result = _extract_table(tmp_path, """| 能力 | 涌现规模 |
|---|---|
| 多步算术 | ~100B |
| 程序合成 | ~10B |
""")
    assert not {r.name for r in result.catalog.rows} & {"多步算术", "程序合成"}, result.catalog.rows


def test_a_release_timeline_lists_models_by_date_with_their_organizations(tmp_path: Path) -> None:
    """| 时间 | 开源 LLM | 闭源 LLM |: each row a date, each other cell "机构-模型" entries; every model
    listed gets the row's date, its entry's organization and its column's license."""
    result = _extract_table(tmp_path, """时间     | 开源 LLM                      | 闭源 LLM
-------- | -----                         | --------
2022.11  | 无                            | 甲司-Alpha
2023.02  | 乙所-Beta；丙大-Gamma          | 无
2023.03  | 丁校-Delta、Epsilon；戊司-Zeta-2|甲司-Alpha2；己司-Eta
""")
    expected = {"Alpha": ("甲司", "2022.11", "闭源"), "Beta": ("乙所", "2023.02", "开源"),
                "Gamma": ("丙大", "2023.02", "开源"), "Delta": ("丁校", "2023.03", "开源"),
                "Epsilon": ("丁校", "2023.03", "开源"), "Zeta-2": ("戊司", "2023.03", "开源"),
                "Alpha2": ("甲司", "2023.03", "闭源"), "Eta": ("己司", "2023.03", "闭源")}
    shown = {r.name: (r.value("org"), r.value("date"), r.value("license")) for r in result.catalog.rows}
    assert shown == expected


def test_a_timeline_of_model_names_with_hyphens_keeps_the_names_whole(tmp_path: Path) -> None:
    """Entries are split into organization and model only where most of them are written so."""
    result = _extract_table(tmp_path, """| 年份 | 代表模型 |
|---|---|
| 2021 | Kestrel-X、Osprey |
| 2022 | Merlin |
""")
    assert {r.name: r.value("date") for r in result.catalog.rows} == {
        "Kestrel-X": "2021", "Osprey": "2021", "Merlin": "2022"}


def test_a_notes_cell_that_is_only_a_date_dates_the_row_s_model(tmp_path: Path) -> None:
    """"| Kestrel 2 | 隼实验室 | 200K | 2023 年 11 月 |" under 备注: the cell says nothing but when — the
    row's release date, as a date column would; a cell with more to say is read as prose."""
    result = _extract_table(tmp_path, """| 模型 | 机构 | 上下文长度 | 备注 |
|---|---|---|---|
| Kestrel 2 | 隼实验室 | 200K | 2023 年 11 月 |
| Osprey 3 | 鹗实验室 | 128K | 训练数据截止到 2023 年 4 月 |
""")
    kestrel, osprey = result.catalog.row("Kestrel 2"), result.catalog.row("Osprey 3")
    assert kestrel is not None and osprey is not None, [r.name for r in result.catalog.rows]
    dates = (kestrel.value("date"), osprey.value("date"))
    assert dates == ("2023 年 11 月", ""), dates


def test_a_notes_cell_clause_that_names_an_open_license_makes_the_row_open(tmp_path: Path) -> None:
    """"| … | 备注 |" holding "Apache 2.0，滑动窗口注意力" or "RAIL 许可": a clause that only names a
    license the weights are released under; a clause that says more about a license is prose."""
    result = _extract_table(tmp_path, """| 名称 | 开发者 | 规模 | 备注 |
|---|---|---|---|
| Kestrel 7B | 隼实验室 | 7.3B | Apache 2.0，滑动窗口注意力 |
| Osprey | 鹗实验室 | 176B | 46 种语言，RAIL 许可 |
| Merlin | 隼实验室 | 13B | 训练代码参考了 MIT 的课程 |
""")
    licenses = {r.name: r.value("license") for r in result.catalog.rows}
    assert licenses == {"Kestrel": "Apache 2.0", "Osprey": "RAIL 许可", "Merlin": ""}, licenses
