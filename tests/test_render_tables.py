"""The catalog and glossary tables as Markdown: inside the block assets/javascripts/tables.js
enhances, the catalog's sort values on each name, and the row still one row of the table
whatever the values hold (tests/test_site_tables.py drives them in Chromium)."""

from __future__ import annotations

import html
import re

import markdown

from llmkb.models import CATALOG_COLUMNS, Catalog, Cell, DateValue, Evidence, Fact, Place, Row, Sentence, Span
from llmkb.render.catalog import catalog_table

PLACE = Place("models.md", "gpt-4", "模型目录", "GPT-4")


def _fact(field: str, text: str, value: object) -> Fact:
    sentence = Sentence(raw=text, text=f"句子：{text}", spans=(Span("notes/a.md", 1, 1),), place=PLACE,
                        node="models", order=0, block=0, index=0)
    return Fact(model="x", field=field, text=text, evidence=Evidence(sentence), value=value)


def _row(name: str, anchor: str, facts: dict[str, list[Fact]], aliases: list[str] | None = None) -> Row:
    cells = {column: Cell(facts=facts.get(column, [])) for column, _ in CATALOG_COLUMNS}
    return Row(group=name, name=name, aliases=aliases or [], anchor=anchor, section=PLACE, first=None, cells=cells)


def _html(md: str) -> str:
    # The extensions of mkdocs.yml that could read markup inside an attribute list.
    return markdown.markdown(md, extensions=["tables", "attr_list", "md_in_html", "pymdownx.arithmatex",
                                             "pymdownx.inlinehilite"],
                             extension_configs={"pymdownx.arithmatex": {"generic": True}})


def test_catalog_rows_carry_plain_values_for_sorting_grouping_and_filtering() -> None:
    rows = [
        _row("Llama 2", "model-llama-2", {
            "org": [_fact("org", 'Meta "AI" | {FAIR} *x* `y` $z$ [w](v)', "Meta")],
            "date": [_fact("date", "2023 年 7 月", DateValue(2023, 7)),
                     _fact("date", "2023 年 2 月", DateValue(2023, 2))],
            "params": [_fact("params", "7B、13B 和 70B", (7.0, 13.0, 70.0))],
            "license": [_fact("license", "开源", "开源")],
            "context": [_fact("context", "4K", 4096)],
        }, aliases=["LLaMA-2", "羊驼 2"]),
        _row("无名模型", "model-nameless", {}),
    ]
    md = catalog_table(Catalog(rows, "models.md"))
    assert '<div class="llmkb-table" data-llmkb-table="catalog" ' \
           'data-columns="name org date params license context summary" markdown="1">' in md
    page = _html(md)
    link = re.search(r'<a [^>]*id="model-llama-2"[^>]*>', page)
    assert link is not None, page
    attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', link.group(0)))
    assert attrs["data-date"] == "2023-02"  # the earliest
    assert attrs["data-params"] == "70"  # the largest
    assert attrs["data-context"] == "4096"
    assert attrs["data-license"] == "open"
    assert html.unescape(attrs["data-org"]) == "Meta 'AI' | {FAIR} *x* `y` $z$ [w](v)"  # no markup, row intact
    assert attrs["data-aliases"] == "LLaMA-2、羊驼 2"
    # Each model is one row of seven cells inside the wrapper; a row without values has no data.
    table = page[page.index('<div class="llmkb-table"'):]
    assert table.index("<table>") < table.index("</div>")
    body = table[table.index("<tbody>"):table.index("</tbody>")]
    assert [r.count("<td") for r in body.split("</tr>")[:-1]] == [7, 7]
    nameless = re.search(r'<a [^>]*id="model-nameless"[^>]*>', page)
    assert nameless is not None and "data-" not in nameless.group(0)
