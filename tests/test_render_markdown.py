"""render/markdown.py: blocks as the Markdown MkDocs reads (formulas, tables, lists)."""

from __future__ import annotations

from llmkb.models import Block, BlockKind, Span
from llmkb.render.markdown import md_text, md_text_math, render_blocks


def _cite(spans: list[Span]) -> str:
    return " [1]"


def test_a_display_formula_is_a_dollar_block_without_blank_lines_and_citation() -> None:
    block = Block(BlockKind.MATH, "a = b\n\n+ c", Span("notes/a.md", 3, 7))
    assert render_blocks([block], _cite) == "$$\na = b\n+ c\n$$"


def test_a_display_formula_in_a_list_is_a_block_inside_its_item() -> None:
    items = [Block(BlockKind.ITEM, "定义 $x$", Span("notes/a.md", 1, 1), list_id="l"),
             Block(BlockKind.MATH, "x = 1", Span("notes/a.md", 2, 4), depth=1, list_id="l"),
             Block(BlockKind.ITEM, "其次", Span("notes/a.md", 5, 5), list_id="l")]
    assert render_blocks(items, _cite) == "- 定义 $x$\n\n    $$\n    x = 1\n    $$\n\n- 其次 [1]"


def test_plain_text_never_becomes_a_formula() -> None:
    assert md_text("$5 和 $x$") == "\\$5 和 \\$x\\$"


def test_a_glossary_definition_keeps_its_formulas() -> None:
    """md_text_math: the text around a formula is escaped, the formula stays a formula (its bar
    escaped for a table cell)."""
    assert md_text_math("缩放因子 $\\gamma$ 与 $|x|$ 的 *乘积*") == "缩放因子 $\\gamma$ 与 $\\|x\\|$ 的 \\*乘积\\*"
    assert md_text_math("价格是 5 元") == "价格是 5 元"


def test_a_code_block_in_a_list_is_a_fenced_block_inside_its_item() -> None:
    """Fenced code under a list item stays a highlighted block of that item: its fence is
    indented as the item's text, never four spaces more (which would print the ``` lines)."""
    import markdown

    items = [Block(BlockKind.ITEM, "安装依赖：", Span("notes/a.md", 1, 1), list_id="l", ordered=True),
             Block(BlockKind.CODE, "pip install vllm", Span("notes/a.md", 2, 4), depth=1, list_id="l",
                   info="bash"),
             Block(BlockKind.ITEM, "启动服务", Span("notes/a.md", 5, 5), list_id="l", ordered=True)]
    text = render_blocks(items, _cite)
    assert text == "1. 安装依赖：\n\n    ```bash\n    pip install vllm\n    ```\n\n1. 启动服务 [1]"
    html = markdown.markdown(text, extensions=["pymdownx.superfences"])
    assert "```" not in html
    assert '<div class="highlight"><pre>' in html
    assert html.count("<li>") == 2 and html.index("vllm") < html.rindex("<li>")  # inside the first item


def test_a_paragraph_line_that_would_open_a_heading_stays_prose() -> None:
    block = Block(BlockKind.PARAGRAPH, "模板如下：\n### Instruction: 翻译\n#不是标题", Span("notes/a.md", 1, 3))
    assert render_blocks([block], _cite) == "模板如下：\n\\### Instruction: 翻译\n#不是标题 [1]"
