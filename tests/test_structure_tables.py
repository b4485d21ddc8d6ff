"""HTML tables in notes become tables on the page, never one line of text.

Simple tables turn into pipe tables (BlockKind.TABLE) whose cells are cleaned like prose;
tables with row or column spans stay HTML (BlockKind.HTML), rebuilt from their text and
sanitized with a table-only allowlist. Every line of the note stays accounted for.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest

from llmkb.diagnostics import Reporter
from llmkb.models import Block, BlockKind
from llmkb.normalize import normalize_doc
from llmkb.pipeline import Settings, build_kb
from llmkb.render import render_site
from llmkb.structure.tables import TABLE_TAGS
from site_helpers import REPO_ROOT, build_site
from test_structure import build_text, uncovered

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "html_tables" / "数据集与模型对比.md"


def blocks(doc) -> list[Block]:
    return [b for s in doc.root.walk() for b in s.blocks]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    doc, reporter = build_text(tmp_path_factory.mktemp("tables"), FIXTURE.read_text(encoding="utf-8"))
    return normalize_doc(doc), reporter


def tables(doc) -> list[Block]:
    return [b for b in blocks(doc) if b.kind in (BlockKind.TABLE, BlockKind.HTML)]


def test_each_html_table_is_one_table_block_on_its_own_lines(built) -> None:
    doc, _ = built
    assert [(b.kind, b.span.start, b.span.end) for b in tables(doc)] == [
        (BlockKind.TABLE, 7, 27), (BlockKind.TABLE, 31, 35), (BlockKind.HTML, 39, 44),
        (BlockKind.TABLE, 48, 50)]
    assert uncovered(doc) == []


def test_a_simple_table_becomes_a_pipe_table(built) -> None:
    doc, _ = built
    assert tables(doc)[0].text == (
        "|  | question | answers |\n"
        "| --- | --- | --- |\n"
        "| 0 | What is a \\| pipe in Markdown? | 12 |\n"
        "| 1 | How large is the \\*vocab\\* of BERT... | 7 |")


def test_markup_and_links_in_cells_become_markdown_cleaned_like_prose(built) -> None:
    doc, reporter = built
    assert tables(doc)[1].text == (
        "| 模型 | 说明 |\n"
        "| --- | --- |\n"
        "| **BERT** | 双向编码器，详见[论文](https://arxiv.org/abs/1810.04805)；训练脚本为 `run_mlm.py` |\n"
        "| *GPT-2* | 自回归解码器 <br> 15 亿参数 |")
    # The image a cell points at does not exist: dropped with its file and line, like prose.
    assert [d.line for d in reporter.by_code("image-missing")] == [34]


def test_a_table_with_spans_stays_sanitized_html(built) -> None:
    doc, reporter = built
    html = tables(doc)[2].text
    assert html == (
        "<table>\n<tbody>\n"
        '<tr><th rowspan="2">方法</th><th colspan="2">准确率（%）</th></tr>\n'
        "<tr><th>验证集</th><th>测试集</th></tr>\n"
        "<tr><td>全参数微调</td><td>91.2</td><td>90.8</td></tr>\n"
        '<tr><td>LoRA</td><td colspan="2">与全参数微调持平</td></tr>\n'
        "</tbody>\n</table>")
    tags = set(re.findall(r"</?([a-z]+)", html))
    assert tags <= TABLE_TAGS
    assert [d.line for d in reporter.by_code("unsafe-html")] == [39]


def test_a_broken_table_neither_crashes_nor_loses_text(built) -> None:
    doc, _ = built
    assert tables(doc)[3].text == ("|  |  |\n| --- | --- |\n"
                                   "| 没有闭合的表格 | 第二格里的文字 |\n| 第二行只有一格 |  |")


@pytest.mark.parametrize("text", [
    "<table><tr><td>甲<td>乙</table>尾注文字\n",  # text on the table's only line
    "<table>\n<tr><td>甲</td></tr>\n</table>\n表后紧跟的说明\n",
    "<div align='center'>\n<table><tr><td>甲</td></tr></table>\n</div>\n",
    "<table></table>\n",
    "<TABLE><TR><TD>大写标签</TD></TR></TABLE>\n",
    "<table><tr><td><table><tr><td>嵌套</td></tr></table></td><td>外层</td></tr></table>\n",
    "<table>\n<caption>表 1 标题</caption>\n<tr><td>甲</td></tr>\n</table>\n",
])
def test_every_line_and_word_is_kept_whatever_the_shape(tmp_path: Path, text: str) -> None:
    doc, _ = build_text(tmp_path, "# 表\n\n" + text)
    assert uncovered(doc) == []
    spans = [b.span for b in blocks(doc)] + [r.span for r in doc.removals]
    lines = [n for s in spans for n in s.lines()]
    assert len(lines) == len(set(lines)), "a line accounted for twice"
    shown = " ".join(b.text for b in blocks(doc))
    for word in re.findall(r"[\u4e00-\u9fff]+(?:\s*\d+\s*[\u4e00-\u9fff]+)?", text):
        assert word in shown, word


# --- through the pipeline and MkDocs ----------------------------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tables-site")
    shutil.copytree(FIXTURE.parent, root / "notes")
    shutil.copy2(REPO_ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO_ROOT / "overrides", root / "overrides")
    for sub in ("javascripts", "stylesheets", "vendor"):
        shutil.copytree(REPO_ROOT / "docs" / "assets" / sub, root / "docs" / "assets" / sub)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUTF8="1")
    llmkb = Path(sys.executable).parent / "llmkb"
    subprocess.run([str(llmkb), "build"], cwd=root, env=env, check=True, capture_output=True, timeout=600)
    return root


def test_provenance_accounts_for_every_line_of_a_note_with_tables(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    shutil.copytree(FIXTURE.parent, notes)
    kb = build_kb(Settings(notes_dir=notes, project_root=tmp_path), Reporter())
    records = json.loads(render_site(kb, notes)["provenance.json"])["blocks"]
    covered: dict[int, str] = {}
    for r in records:
        for line in range(r["start"], r["end"] + 1):
            assert line not in covered, line
            covered[line] = r["status"]
    lines = FIXTURE.read_text(encoding="utf-8").split("\n")
    assert {i + 1 for i, line in enumerate(lines) if line.strip()} <= covered.keys()
    assert all(covered[n] == "kept" for n in range(7, 28))


def test_the_site_shows_every_table_as_a_table(project: Path) -> None:
    site = build_site(project / "mkdocs.yml", project / "site")
    assert site.returncode == 0 and site.warnings == [], site.log[-3000:]
    found = {}  # first words of each table on any page → the table
    for built in sorted((project / "site").rglob("*.html")):
        for table in lxml.html.parse(str(built)).getroot().xpath("//article//table"):
            found[" ".join(table.text_content().split())[:12]] = table
            assert not table.xpath(".//script") and "onmouseover" not in lxml.html.tostring(table, encoding=str)
    dataset, models, spans, broken = (next(t for k, t in found.items() if k.startswith(w))
                                      for w in ("question", "模型", "方法", "没有闭合"))
    cells = [[c.text_content().strip() for c in row.xpath("th|td")] for row in dataset.xpath(".//tr")]
    assert cells[1] == ["0", "What is a | pipe in Markdown?", "12"]
    assert models.xpath(".//a[@href='https://arxiv.org/abs/1810.04805']") and models.xpath(".//strong")
    assert spans.xpath(".//th[@colspan='2']") and spans.xpath(".//th[@rowspan='2']")
    assert "第二格里的文字" in broken.text_content()


def test_a_table_in_a_quote_or_under_an_item_and_a_fold_are_accounted_for(tmp_path: Path) -> None:
    """"> | a | b |" is a table written inside a quote, a table indented under a list item is a
    table too (neither was read before: its lines were lost); "<details><summary>点击查看例子
    </summary>" is a fold's handle, removed by its named rule while what it folds stays."""
    text = ("# 笔记\n\n## 三个阶段\n\n> | 内容 | 说明 |\n> | ---- | ---- |\n> | 数据 | 人写的问答对 |\n\n"
            "- 模型容量较小：常答错事实题。\n\n    | 题目 | 回答 |\n    | --- | --- |\n    | 一加一 | 三 |\n\n"
            "- 对话能力较弱。\n    <details><summary><b>点击查看例子</b></summary>\n\n"
            "    它说自己是另一个模型。\n\n    </details>\n")
    doc, _ = build_text(tmp_path, text)
    assert uncovered(doc) == []
    tables = [b.text for b in blocks(doc) if b.kind is BlockKind.TABLE]
    assert tables == ["| 内容 | 说明 |\n| ---- | ---- |\n| 数据 | 人写的问答对 |",
                      "| 题目 | 回答 |\n| --- | --- |\n| 一加一 | 三 |"], tables
    assert "details-markup" in {r.rule for r in doc.removals}
    assert not any("点击查看" in b.text for b in blocks(doc))
