"""text.py: inline formulas are found by the rules of the extension that typesets them."""

from __future__ import annotations

import html
import re

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmkb.text import escape_lone_dollars, math_spans, shield_math, split_sentences, unshield, visible

# The site's inline Markdown as mkdocs.yml configures it (the parts that touch "$" and "`").
_SITE_MD = markdown.Markdown(
    extensions=["pymdownx.arithmatex", "pymdownx.inlinehilite", "pymdownx.superfences"],
    extension_configs={"pymdownx.arithmatex": {"generic": True, "inline_syntax": ["dollar"],
                                               "block_syntax": ["dollar"]}},
)
_TYPESET = re.compile(r'<span class="arithmatex">\\\((.*?)\\\)</span>', re.S)


def typeset(text: str) -> list[str]:
    """The TeX of every inline formula the site's Markdown typesets in text."""
    _SITE_MD.reset()
    return [html.unescape(tex) for tex in _TYPESET.findall(_SITE_MD.convert(text))]


def formulas(text: str) -> list[str]:
    return [text[a + 1 : b - 1] for a, b in math_spans(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("其中 $\\alpha_t$ 是学习率", ["\\alpha_t"]),
    ("$a$和$b$", ["a", "b"]),
    ("价格 $5 和 $10 之间", []),  # spaces inside the closing "$": no formula
    ("从$5到$10不等", []),  # a price range
    ("数据\\$500 + 机器\\$100", []),  # escaped
    ("`$x$` 是代码，$y$ 不是", ["y"]),
    ("`a $b` c$ d", []),  # never across a code span
    ("$10^{-2} $的值 $y$", ["y"]),
    ("\\\\$x$", ["x"]),  # an escaped backslash, then a formula
    ("$$x$$", ["x"]),  # inline "$$": the site typesets the inner "$x$"
])
def test_math_spans(text: str, expected: list[str]) -> None:
    assert formulas(text) == expected
    assert typeset(escape_lone_dollars(text)) == expected


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet="$\\ a中`1x\n,{}_*", min_size=1, max_size=20))
def test_the_site_typesets_exactly_what_the_pipeline_protects(s: str) -> None:
    text = "甲" + re.sub(r"\n\s*", "\n", s) + "乙"  # one paragraph's inline text
    escaped = escape_lone_dollars(text)
    assert formulas(escaped) == formulas(text)
    assert escape_lone_dollars(escaped) == escaped
    assert typeset(escaped) == formulas(text)


def test_lone_dollars_are_escaped_and_read_as_dollars() -> None:
    text = escape_lone_dollars("一次调用 $5，公式 $x_i$，`$code`")
    assert text == "一次调用 \\$5，公式 $x_i$，`$code`"
    assert visible(text) == "一次调用 $5，公式 $x_i$，$code"


def test_shielding_round_trips() -> None:
    text = "前 $a;b$ 中 $c。$ 后"
    shielded, pieces = shield_math(text)
    assert "$" not in shielded and pieces == ["$a;b$", "$c。$"]
    assert unshield(shielded, pieces) == text


def test_sentences_never_split_a_formula() -> None:
    text = "由 $p(x;\\theta)$ 给出！其中 $n! = 1 \\cdot 2 \\cdots n$。下一句。"
    assert split_sentences(text) == ["由 $p(x;\\theta)$ 给出！", "其中 $n! = 1 \\cdot 2 \\cdots n$。", "下一句。"]


def test_sentences_never_split_a_link_or_an_image_text() -> None:
    """A link titled by a question ("[大模型为何偏爱解码器？](…)") is one sentence with
    its target, not a question and a stray "](…)"; an image's "!" ends no sentence either."""
    text = "参考（[大模型为何偏爱解码器？](https://example.com/why-decoder)）。见 ![图一。](a.png) 完。好！"
    assert split_sentences(text) == ["参考（[大模型为何偏爱解码器？](https://example.com/why-decoder)）。",
                                     "见 ![图一。](a.png) 完。", "好！"]
