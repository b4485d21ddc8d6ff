"""Formulas: recognised in structure, carried through every stage as the note wrote them.

Display formulas (``$$ … $$``) are blocks of their own (BlockKind.MATH); inline formulas
(``$…$``, by pymdownx.arithmatex's rules) are left alone by sanitizing, normalization and
sentence splitting, while the prose around them is normalized. A lone ``$`` is a dollar.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from llmkb.diagnostics import Reporter
from llmkb.models import Block, BlockKind, KnowledgeBase
from llmkb.normalize import normalize_doc
from llmkb.pipeline import Settings, build_kb
from test_structure import build_text

DISPLAY = "\\hat{y}_i = \\frac{a}{b} \\sum_{j=1}^{n} w_j x_j, \\quad x_i, y_i"
ALIGNED = ("\\begin{aligned}\n"
           "L(\\theta) & = -\\sum_{t=1}^{T} \\log p(x_t \\mid x_{<t}) \\\\\n"
           "& = -\\log p(x_{1:T}) * 1\n"
           "\\end{aligned}")
NOTE = f"""# 损失函数

## 交叉熵

语言模型的训练目标是最小化交叉熵,公式如下所示:
$$
{DISPLAY}
$$

其中$\\alpha_t$是第t步的学习率,一般取值为0.001;而 $x_{{1:T}}$ 表示长度为T的序列。

$$
{ALIGNED}
$$

- 对比项 $p(y|x)$ 的含义:给定输入的条件概率
- 一次 API 调用大约 $5,十次约 $50

    $$
    z = w^\\top h + b
    $$

代码里的 `$x_i$` 与下面的代码块都不是公式:

```python
cost = "$5" + "$x$"
```

$$\\text{{"他们，移动，而"}} \\Rightarrow 强大$$
"""


def blocks(doc) -> list[Block]:
    return [b for s in doc.root.walk() for b in s.blocks]


@pytest.fixture(scope="module")
def doc(tmp_path_factory: pytest.TempPathFactory):
    raw, reporter = build_text(tmp_path_factory.mktemp("math"), NOTE)
    return raw, normalize_doc(raw), reporter


def test_display_formulas_are_blocks_of_their_own(doc) -> None:
    raw, _, reporter = doc
    math = [b for b in blocks(raw) if b.kind is BlockKind.MATH]
    assert [b.text for b in math] == [DISPLAY, ALIGNED, "z = w^\\top h + b",
                                      '\\text{"他们，移动，而"} \\Rightarrow 强大']
    assert [(b.span.start, b.span.end) for b in math] == [(6, 8), (12, 17), (22, 24), (32, 32)]
    # The intro sentence points at a formula that is there: it stays, no warning.
    assert any(b.text.startswith("语言模型的训练目标") for b in blocks(raw))
    assert reporter.items == []


def test_formulas_survive_normalization_byte_for_byte(doc) -> None:
    raw, normalized, _ = doc
    before = [b.text for b in blocks(raw) if b.kind is BlockKind.MATH]
    assert [b.text for b in blocks(normalized) if b.kind is BlockKind.MATH] == before


def test_inline_formulas_untouched_while_the_sentence_is_normalized(doc) -> None:
    _, normalized, _ = doc
    texts = [b.text for b in blocks(normalized)]
    assert "语言模型的训练目标是最小化交叉熵，公式如下所示：" in texts
    assert ("其中 $\\alpha_t$ 是第 t 步的学习率，一般取值为 0.001；而 $x_{1:T}$ 表示长度为 T 的序列。"
            in texts)
    assert "对比项 $p(y|x)$ 的含义：给定输入的条件概率" in texts


def test_a_lone_dollar_is_a_price_not_a_formula(doc) -> None:
    _, normalized, _ = doc
    item = next(b for b in blocks(normalized) if "API" in b.text)
    # Escaped for the site's Markdown: shown as "$", never typeset.
    assert item.text == "一次 API 调用大约 \\$5，十次约 \\$50"


def test_tex_in_code_stays_code(doc) -> None:
    _, normalized, _ = doc
    code = next(b for b in blocks(normalized) if b.kind is BlockKind.CODE)
    assert code.text == 'cost = "$5" + "$x$"'
    assert "代码里的 `$x_i$` 与下面的代码块都不是公式：" in [b.text for b in blocks(normalized)]


def test_a_display_formula_inside_a_list_item_belongs_to_that_list(doc) -> None:
    raw, _, _ = doc
    items = [b for b in blocks(raw) if b.list_id]
    assert [b.kind for b in items] == [BlockKind.ITEM, BlockKind.ITEM, BlockKind.MATH]
    assert items[2].depth == 1


@pytest.mark.parametrize("text", [
    "$$\nx^2\n",  # never closed
    "$$x$$ 是一个公式。\n",  # text after the closing $$: inline, not a display block
    "$$\n$$\n",  # nothing in it
])
def test_what_is_not_a_display_formula(tmp_path: Path, text: str) -> None:
    doc, _ = build_text(tmp_path, "# 公式\n\n" + text)
    assert not any(b.kind is BlockKind.MATH for b in blocks(doc))


def test_a_formula_with_markdown_lookalikes_inside_stays_one_block(tmp_path: Path) -> None:
    tex = "a = b\n# not a heading\n- not an item\n\n| x | y |\n1. nor a list"
    doc, _ = build_text(tmp_path, f"# 公式\n\n$$\n{tex}\n$$\n\n后文。\n")
    assert [(b.kind, b.text) for b in blocks(doc)] == [(BlockKind.MATH, tex), (BlockKind.PARAGRAPH, "后文。")]
    assert [s.title for s in doc.sections()] == ["公式"]


def test_sanitizing_leaves_formulas_alone(tmp_path: Path) -> None:
    text = ("# 公式\n\n集合 $\\{x \\mid x<y\\}$ 与 $[[CLS], x_1](a)$ 中，括号都是 TeX，"
            "而 {a} 与 [[笔记]] 不是。\n")
    doc, _ = build_text(tmp_path, text)
    assert blocks(doc)[0].text == ("集合 $\\{x \\mid x<y\\}$ 与 $[[CLS], x_1](a)$ 中，括号都是 TeX，"
                                   "而 \\{a} 与 笔记 不是。")


# --- through every stage ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    root = tmp_path_factory.mktemp("kb")
    notes = root / "notes"
    notes.mkdir()
    (notes / "loss.md").write_text(NOTE, encoding="utf-8")
    # A second note repeats a sentence with a different formula: a different fact.
    (notes / "loss2.md").write_text(
        "# 交叉熵\n\n其中$\\beta_t$是第t步的学习率,一般取值为0.001;而 $x_{1:T}$ 表示长度为T的序列。\n\n"
        "语言模型的训练目标是最小化交叉熵,公式如下所示:\n\n$$\n" + DISPLAY + "\n$$\n",
        encoding="utf-8")
    return build_kb(Settings(notes_dir=notes, project_root=root), Reporter())


def _page_blocks(kb: KnowledgeBase) -> list[Block]:
    return [b for c in kb.contents for e in c.all_entries() for b in e.blocks]


def test_display_formulas_reach_the_pages_byte_for_byte(kb: KnowledgeBase) -> None:
    texts = [b.text for b in _page_blocks(kb) if b.kind is BlockKind.MATH]
    assert DISPLAY in texts and ALIGNED in texts


def test_dedup_never_splits_a_formula_and_keeps_different_formulas(kb: KnowledgeBase) -> None:
    prose = " ".join(b.text for b in _page_blocks(kb) if b.kind is not BlockKind.MATH)
    assert "$\\alpha_t$ 是第 t 步的学习率" in prose
    assert "$\\beta_t$ 是第 t 步的学习率" in prose
    assert "$p(y|x)$" in prose


def test_a_formula_right_under_a_list_items_lazy_line_ends_the_item(tmp_path: Path) -> None:
    text = ("# 适配\n\n5. **优化问题**:\n我们的目标是找到参数，可以表示为：\n"
            "$$\n\\gamma=\\operatorname{argmin}_{\\gamma} L\n$$\n\n后文。\n")
    doc, _ = build_text(tmp_path, text)
    assert [(b.kind, b.span.start, b.span.end) for b in blocks(doc)] == [
        (BlockKind.ITEM, 3, 4), (BlockKind.MATH, 5, 7), (BlockKind.PARAGRAPH, 9, 9)]


def test_a_formula_in_a_heading_keeps_its_stars_and_parentheses(tmp_path: Path) -> None:
    doc, _ = build_text(tmp_path, "# 价值\n\n## 3.2 为什么最佳价值函数 $V^*$ 与 $\\pi^{**}(A_t)$ 等价？\n\n"
                                  "因为二者同时取到最大值。\n")
    heading = next(s.heading for s in doc.sections() if s.heading and "等价" in s.heading.title)
    assert heading.title == "为什么最佳价值函数 $V^*$ 与 $\\pi^{**}(A_t)$ 等价？"
    assert heading.abbr == ""


def test_latex_delimiters_become_formulas_escaped_brackets_stay(tmp_path: Path) -> None:
    """Answers copied from chat assistants write \\( … \\) and \\[ … \\]: formulas the site
    typesets ($…$, a display block); an escaped bracket (\\[5\\], \\[深度学习\\]) or code stays."""
    text = ("# 公式\n\n缩放因子 \\(\\sqrt{d_k}\\) 防止点积过大，见 \\[5\\] 和 \\[深度学习\\]。\n\n"
            "\\[\n\\mathrm{softmax}(x_i)=\\frac{e^{x_i}}{\\sum_j e^{x_j}}\n\\]\n\n"
            "代码里写作 `\\(x\\)`。\n")
    doc, _ = build_text(tmp_path, text)
    blocks = [(b.kind, b.text) for s in doc.root.walk() for b in s.blocks]
    assert blocks == [
        (BlockKind.PARAGRAPH, "缩放因子 $\\sqrt{d_k}$ 防止点积过大，见 \\[5\\] 和 \\[深度学习\\]。"),
        (BlockKind.MATH, "\\mathrm{softmax}(x_i)=\\frac{e^{x_i}}{\\sum_j e^{x_j}}"),
        (BlockKind.PARAGRAPH, "代码里写作 `\\(x\\)`。"),
    ]
