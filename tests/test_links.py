"""Links valid by construction: titles that cannot break link syntax, destinations with spaces,
anchors checked against the headings the pages define."""

from __future__ import annotations

import html
import re
from pathlib import Path

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from llmkb.diagnostics import Reporter
from llmkb.pipeline import Settings, build_kb
from llmkb.render import render_site
from llmkb.render.links import anchors_of, check_links
from llmkb.render.markdown import link_title, md_text
from llmkb.text import split_sentences

MD = markdown.Markdown(extensions=["attr_list", "tables", "abbr", "md_in_html", "toc", "footnotes"])
_CHARS = [*"ab ()[]{}<>|`*_#&;:!\\-=+.,'\"~", "“", "”", "中"]
LABEL = st.text(alphabet=st.sampled_from(_CHARS), min_size=1, max_size=30)  # one-line names
ODD = st.text(alphabet=st.sampled_from([*_CHARS, "\n", "\t"]), min_size=1, max_size=30)


@settings(max_examples=300, deadline=None)
@given(LABEL, ODD)
def test_a_title_never_breaks_the_link_it_is_in(label: str, title: str) -> None:
    """Python-Markdown (what MkDocs renders with) reads the href and title we meant, in a table too."""
    source = f'| [{md_text(label)}](page.md#anchor "{link_title(title)}"){{#x .c}} | b |\n| --- | --- |\n| 1 | 2 |'
    MD.reset()
    out = MD.convert(source)
    m = re.search(r'<a class="c" href="([^"]*)" id="x" title="([^"]*)">', out)
    assert m, out
    assert m.group(1) == "page.md#anchor"
    assert html.unescape(m.group(2)) == " ".join(title.split()).replace('"', "”").replace("'", "’") \
        .replace("`", "｀").replace("\\", "＼").replace("|", "｜").replace("[", "［").replace("]", "］")


def test_anchors_are_the_ids_of_attribute_lists_outside_code() -> None:
    page = ("# 标题 {#top}\n\n**术语**{#term-x} 与 [a](b.md){#model-a .model-name}\n\n"
            "```\n## 不是标题 {#in-code}\n```\n\n`{#in-span}` 文字 {: #colon-style }\n")
    assert anchors_of(page) == {"top", "term-x", "model-a", "colon-style"}


def test_check_links_repairs_what_does_not_resolve() -> None:
    files: dict[str, str | bytes] = {
        "a.md": "# A {#a}\n\n## 小节 {#sec}\n",
        "dir/b.md": ("# B {#b}\n\n[好](../a.md#sec \"提示\") [缺锚点](../a.md#nowhere \"提示\"){.cite} "
                     "[缺页面](../missing.md) ![缺图](<img/x y.png>) [外链](https://e.com/#x) [本页](#b) "
                     "[无锚](#gone) `[代码](nowhere.md)`\n\n```\n[代码块](nowhere.md)\n```\n"),
        "provenance.json": "{}",
    }
    reporter = Reporter()
    fixed = check_links(files, reporter)
    assert set(fixed) == {"dir/b.md"}
    body = fixed["dir/b.md"]
    assert '[好](../a.md#sec "提示")' in body
    assert '[缺锚点](../a.md "提示"){.cite}' in body
    assert "缺页面 " in body and "missing.md" not in body.split("`")[0]
    assert "img/x y.png" not in body
    assert "[外链](https://e.com/#x)" in body and "[本页](#b)" in body and "[无锚]()" in body
    assert "`[代码](nowhere.md)`" in body and "[代码块](nowhere.md)" in body
    warned = [(d.file, d.line, d.code) for d in reporter.items]
    assert warned == [("dir/b.md", 3, "broken-link")] * 4


def test_an_image_opening_a_paragraph_stays_an_image() -> None:
    # "!" ends English sentences, but not the one of "![alt](src)".
    assert split_sentences("![图](a.png)后文。") == ["![图](a.png)后文。"]
    assert split_sentences("好!![图](a.png)") == ["好!", "![图](a.png)"]
    assert split_sentences("Wow! Yes.") == ["Wow!", " Yes."]


def _build(tmp_path: Path, text: str, files: dict[str, bytes] | None = None) -> tuple[dict, Reporter]:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "n.md").write_text(text, encoding="utf-8")
    for name, data in (files or {}).items():
        (notes / name).parent.mkdir(parents=True, exist_ok=True)
        (notes / name).write_bytes(data)
    reporter = Reporter()
    settings_ = Settings(notes_dir=notes, docs_dir=tmp_path / "docs", project_root=tmp_path)
    kb = build_kb(settings_, reporter)
    return render_site(kb, notes, reporter), reporter


def test_angle_bracket_images_and_links_are_judged_like_any_other(tmp_path: Path) -> None:
    text = ("# 推理参数\n\n温度越高，输出越随机，这是采样时最常调的参数。\n\n![](<image/640 (1)_x.gif>)\n\n"
            "![结构图](<figs/real one (v2).png> \"结构\")\n\n另见[别的笔记](<other note.md>)与"
            "![无尖括号](figs/real one (v2).png)。\n")
    files, reporter = _build(tmp_path, text, {"figs/real one (v2).png": b"\x89PNG\r\n\x1a\n"})
    page = next(v for k, v in files.items() if k.endswith(".md") and isinstance(v, str) and "温度越高" in v)
    assert "640 (1)" not in page
    assert "![结构图](assets/notes/figs/real%20one%20%28v2%29.png)" in page
    assert "![无尖括号](assets/notes/figs/real%20one%20%28v2%29.png)" in page
    assert "另见别的笔记与" in page
    assert files["assets/notes/figs/real one (v2).png"] == b"\x89PNG\r\n\x1a\n"
    codes = sorted((d.line, d.code) for d in reporter.items)
    assert codes == [(5, "image-missing"), (9, "link-local")]
    assert not reporter.by_code("broken-link")


def test_a_link_whose_text_holds_brackets_is_cleaned_where_the_note_is_read(tmp_path: Path) -> None:
    """Python-Markdown reads "[见 [1] 的图](local.md)" and "[\\](<a b.md>) ![a]b](x.gif)" as links;
    the notes' link cleaning reads them the same way, so their local targets go with a
    warning on the note, and nothing is left for the final link check to repair."""
    text = ("# 推理参数\n\n温度越高，输出越随机，详见 [见 [1] 的图](local.md)。\n\n"
            "| 参数 | 说明 |\n| --- | --- |\n| 温度 | [\\](<a b.md>) ![a]b](image/640 (1)_x.gif) 越高越随机 |\n")
    files, reporter = _build(tmp_path, text)
    pages = "".join(v for k, v in files.items() if k.endswith(".md") and k != "report.md" and isinstance(v, str))
    assert "](local.md)" not in pages and "640 (1)" not in pages
    assert not reporter.by_code("broken-link"), reporter.by_code("broken-link")
    assert len(reporter.by_code("link-local")) == 2
