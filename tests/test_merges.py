"""Merging and removal never lose or swap a fact (fixtures shaped like real notes, written here).

- chrome rules fire only where chrome lives: "关键词：" or "作者：" inside an example answer,
  a quote, a list item or a model's entry stays;
- code indented under a list item is kept (never removed as ``unaccounted``);
- a restatement of a fact across notes is merged into the fuller wording, while sentences
  whose numbers, names or negation differ both stay;
- every line of every note is accounted for in provenance.json, by a named rule when removed.
"""

from __future__ import annotations

import json
import re

import pytest

from llmkb.diagnostics import Reporter
from llmkb.pipeline import Settings, build_kb
from llmkb.render import render_site

# One fact, said by two notes: a shorter and a fuller wording.
SHORT = ("LLM 训练语料往往是多语言的，因此 LLM 天生具有多语言、跨语言能力，"
         "只是随着训练语料和指令微调的差异，在不同语言上有所差异。")
FULL = ("多语言、跨语言模型曾是一个重要方向，但 LLM 的训练语料本身就是多语言的，因此 LLM 天生即具有多语言、"
        "跨语言能力，只不过随着训练语料和指令微调的差异，在不同语言上的能力有所差异。")

NOTES = {
    "interview.md": """# 提示工程面试题

## 1. 如何写好一个提示词？

答：先说清角色和任务，再给出输出格式。下面是一个示例回答：

> 关键词：角色、任务、输出格式
> 作者：示例里的署名也是内容

- 示例提示词：
  - 关键词：检索增强、向量库、重排
  - 作者：请以面试官的口吻提问

## 2. 多轮对话的数据怎么组织？

1. 多轮对话样本的格式如下：

    ```json
    {"conversations": [{"from": "human", "value": "你好"}]}
    ```

2. 单轮样本只保留最后一轮：

        <s>问题</s>回答</s>

3. **通用评测集**：
""",
    "models.md": f"""# 模型笔记

## Wren-7B

- 名称：Wren-7B
- 作者：鹪鹩实验室的三位研究员
- License：Apache-2.0

{SHORT}

Wren-7B 在 2024 年 3 月发布，上下文长度为 8K。

Wren-7B 支持工具调用。
""",
    "survey.md": f"""# 大模型综述

## 多语言

{FULL}

## 模型

Wren-7B 在 2024 年 5 月发布，上下文长度为 8K。

Wren-7B 不支持工具调用。
""",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str, list]:
    root = tmp_path_factory.mktemp("merges")
    notes = root / "notes"
    notes.mkdir()
    for name, text in NOTES.items():
        (notes / name).write_text(text, encoding="utf-8")
    reporter = Reporter()
    settings = Settings(notes_dir=notes, docs_dir=root / "docs", project_root=root)
    kb = build_kb(settings, reporter)
    files = render_site(kb, notes, reporter)
    pages = "\n".join(v for k, v in files.items() if k.endswith(".md") and isinstance(v, str))
    provenance = json.loads(files["provenance.json"])
    return provenance, pages, kb.audit


def _records(provenance: dict, note: str) -> list[dict]:
    records = [r for r in provenance["blocks"] if r["file"].endswith(note)]
    assert records, note
    return records


@pytest.mark.parametrize("line", ["关键词：角色、任务、输出格式", "作者：示例里的署名也是内容",
                                  "关键词：检索增强、向量库、重排", "作者：请以面试官的口吻提问",
                                  "作者：鹪鹩实验室的三位研究员"])
def test_chrome_rules_do_not_fire_inside_content(built, line: str) -> None:
    _, pages, _ = built
    assert line in pages


def test_code_under_list_items_is_kept(built) -> None:
    _, pages, _ = built
    assert '"conversations"' in pages and "<s>问题</s>回答</s>" in pages
    assert "通用评测集" in pages


def test_every_line_is_accounted_for_by_a_named_rule(built) -> None:
    provenance, _, _ = built
    for note in NOTES:
        for record in _records(provenance, note):
            assert record["status"] in ("kept", "merged", "removed", "empty"), record
            if record["status"] == "removed":
                assert record["rule"] and record["rule"] != "unaccounted", (note, record)


def test_a_restatement_is_merged_into_the_fuller_wording(built) -> None:
    _, pages, audit = built
    assert "天生即具有多语言、跨语言能力，只不过随着训练语料和指令微调的差异" in pages
    assert "天生具有多语言、跨语言能力，只是随着训练语料" not in pages
    assert any("天生具有多语言" in m.dropped for m in audit)


@pytest.mark.parametrize("a, b", [
    ("Wren-7B 在 2024 年 3 月发布", "Wren-7B 在 2024 年 5 月发布"),  # a number differs
    ("Wren-7B 支持工具调用。", "Wren-7B 不支持工具调用。"),  # a negation differs
])
def test_near_misses_both_stay(built, a: str, b: str) -> None:
    _, pages, _ = built
    text = re.sub(r"\s+", " ", pages)
    assert a in text and b in text
