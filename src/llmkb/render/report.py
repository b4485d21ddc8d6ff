"""The 构建报告 page: every warning of the build, grouped by kind, each with its file and line.

The terminal shows one line per kind; this page is the full list, kept with the site. It is
made from the warnings alone — no times, no dates — so the same notes give the same page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..diagnostics import CONTENT, Diagnostic, grouped
from .markdown import front_matter, heading, md_text

REPORT_PAGE = "report.md"
REPORT_TITLE = "构建报告"
REPORT_DESCRIPTION = "本次构建的全部警告：按种类分组，每条注明笔记文件与行号。"


def code_span(text: str) -> str:
    """``text`` as inline code, whatever backticks it holds."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def render_report(items: Iterable[Diagnostic], accepted: Iterable[str] = ()) -> str:
    accepted = set(accepted)
    groups = grouped(items)
    total = sum(len(ds) for _, ds in groups)
    content = sum(len(ds) for k, ds in groups if k.cls == CONTENT)
    # Excluded from search: the list repeats note names and messages, not knowledge.
    parts = [front_matter(REPORT_TITLE, REPORT_DESCRIPTION, ["来源"], search=False),
             heading(1, REPORT_TITLE, "report"),
             "构建时发现的问题分两类。**内容警告**表示笔记中的内容丢失、损坏或放错了位置，"
             "`llmkb build --strict` 遇到它们会失败；**预期警告**是笔记本身的情况，例如图片文件不在、"
             "远程图片、被移除的不安全 HTML，站点不因此缺少内容。终端只显示每类的条数与第一条，"
             "这里列出每一条。"]
    if not groups:
        parts.append("本次构建没有警告。")
        return "\n\n".join(parts) + "\n"
    parts.append(f"共 {total} 条警告，{len(groups)} 类；其中内容警告 {content} 条。")
    rows = ["| 种类 | 类别 | 条数 | 含义 |", "| --- | --- | ---: | --- |"]
    for kind, ds in groups:
        cls = "内容" if kind.cls == CONTENT else "预期" + ("（已接受）" if kind.code in accepted else "")
        rows.append(f"| [{md_text(kind.title)}](#{_anchor(kind.code)}) {code_span(kind.code)} | {cls} | "
                    f"{len(ds)} | {md_text(kind.why)} |")
    parts.append("\n".join(rows))
    for cls, title, anchor in ((CONTENT, "内容警告", "content-warnings"),
                               ("expected", "预期警告", "expected-warnings")):
        mine = [(k, ds) for k, ds in groups if k.cls == cls]
        if not mine:
            continue
        parts.append(heading(2, title, anchor))
        for kind, ds in mine:
            parts.append(heading(3, f"{kind.title}（{len(ds)}）", _anchor(kind.code)))
            parts.append(f"{code_span(kind.code)}：{md_text(kind.why)}")
            parts.append("\n".join(f"- {code_span(d.where)} {md_text(d.message)}" for d in ds))
    return "\n\n".join(parts) + "\n"


def _anchor(code: str) -> str:
    return "warn-" + re.sub(r"[^a-z0-9]+", "-", code.lower()).strip("-")
