"""One-line problem reports that name the file (and line) and what was done.

Stages never raise on bad input; they report here and carry on, so one bad
note costs nothing but itself.

Every kind of warning (its ``code``) is declared once, in ``KINDS``, with its class:

* ``content`` — something of the notes is lost, broken or misplaced in the site (a note
  that could not be read, a code fence that swallows the rest of a note, a section on the
  catch-all page, a generated link that lost its target). ``llmkb build --strict`` fails on
  these.
* ``expected`` — the site is whole without it: the notes themselves point at what the
  site cannot or must not show (an image file that is not there, a remote image, unsafe
  HTML removed, a sentence about a figure that is not in the note). Reported, never fatal;
  a kind can be *accepted* (``--accept KIND`` or ``data/warnings.yaml``), which folds it
  into one line on the terminal.

The terminal gets one line per kind (``summary_lines``); the site's 构建报告 page and
``--report FILE`` list every warning.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import yaml

from .datafile import ConfigError, check_keys, line_of, load_yaml, require_mapping

CONTENT = "content"
EXPECTED = "expected"


@dataclass(frozen=True)
class Kind:
    code: str
    cls: str  # CONTENT or EXPECTED
    title: str  # Chinese, for the build report page
    why: str  # what it means for the site (Chinese, one sentence)


def _content(code: str, title: str, why: str) -> Kind:
    return Kind(code, CONTENT, title, why)


def _expected(code: str, title: str, why: str) -> Kind:
    return Kind(code, EXPECTED, title, why)


# The one place that says which warnings mean lost content. Order: the report page's order.
KINDS: dict[str, Kind] = {k.code: k for k in [
    # --- content: lost, broken or misplaced
    _content("unreadable", "无法读取的笔记", "文件无法解码或读取，整篇笔记没有进入站点。"),
    _content("too-large", "过大的笔记", "笔记超过单篇大小上限，整篇被跳过。"),
    _content("internal-error", "处理出错的笔记",
              "没有规则预料到的内容使处理失败，整篇笔记被跳过（llmkb 的缺陷，请报告）。"),
    _content("unsupported-type", "不是笔记的文件", "notes/ 中的文件不是 .md/.markdown/.txt，其内容没有进入站点。"),
    _content("outside-notes", "指向 notes/ 之外的链接文件",
              "符号链接指向 notes/ 之外，出于安全没有读取，其内容没有进入站点。"),
    _content("unclosed-code-fence", "未闭合的代码块", "代码块没有结束标记，笔记其余部分都显示成了代码。"),
    _content("unplaced-section", "未归入主题的章节",
              "章节不属于任何主题，放在了“其他”页：在 taxonomy.yaml 中补充主题或别名。"),
    _content("override-unknown-model", "无效的人工修订", "models_override.yaml 中的修订找不到对应模型，没有生效。"),
    _content("broken-link", "失效的站内链接",
              "生成的链接指向不存在的页面或锚点，已改为指向页面或去掉链接（llmkb 的缺陷，请报告）。"),
    # --- expected: the notes point at what the site cannot or must not show
    _expected("empty", "空笔记", "文件为空或只有空白，没有内容可丢。"),
    _expected("linked-folder", "指向 notes/ 内的链接文件夹", "文件夹本身已被读取，链接不再重复读取。"),
    _expected("control-chars", "控制字符", "不可见的控制字符已删除，文字不受影响。"),
    _expected("image-missing", "不存在的图片",
               "笔记引用的图片文件不在 notes/ 中（常见于从网页或其他仓库复制的笔记），图片被去掉。"),
    _expected("image-remote", "远程图片", "站点离线可用，不加载网络图片，图片被去掉。"),
    _expected("image-outside-notes", "notes/ 之外的图片", "图片路径指向 notes/ 之外，出于安全不发布，图片被去掉。"),
    _expected("image-unsafe", "不安全的图片地址", "图片使用了 data:、javascript: 等地址，被去掉。"),
    _expected("image-html", "HTML 图片", "以 HTML 写的图片被去掉（改写为 Markdown 图片即可发布）。"),
    _expected("dangling-figure-ref", "指向缺失图片的句子",
              "所指的图不在笔记中：“如下图所示”被去掉，只说这一点的句子整句去掉。"),
    _expected("dangling-table-ref", "指向缺失表格的句子",
              "所指的表格不在笔记中：“如下表所示”被去掉，只说这一点的句子整句去掉。"),
    _expected("link-local", "指向本地文件的链接", "链接指向未发布的本地文件，链接去掉、文字保留。"),
    _expected("link-outside-notes", "指向 notes/ 之外的链接", "链接指向 notes/ 之外，链接去掉、文字保留。"),
    _expected("unsafe-link", "不安全的链接", "javascript: 等会执行代码的链接，链接去掉、文字保留。"),
    _expected("unsafe-html", "不安全的 HTML", "脚本、样式、框架或事件处理等 HTML 被删除，文字保留。"),
]}


def kind_of(code: str) -> Kind:
    """The declared kind; an undeclared code counts as lost content (never silently fine)."""
    return KINDS.get(code) or Kind(code, CONTENT, code, "未归类的警告。")


def is_content(code: str) -> bool:
    return kind_of(code).cls == CONTENT


@dataclass(frozen=True, order=True)
class Diagnostic:
    file: str
    line: int  # 0 when the problem concerns the whole file
    code: str  # short rule-like name, e.g. "image-missing"
    message: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def __str__(self) -> str:
        return f"{self.where}: warning: {self.message} [{self.code}]"


@dataclass
class Reporter:
    """Collects diagnostics; optionally echoes each one as it arrives."""

    stream: TextIO | None = None
    items: list[Diagnostic] = field(default_factory=list)
    _seen: set[Diagnostic] = field(default_factory=set, repr=False)

    def warn(self, file: str, line: int, code: str, message: str) -> None:
        # Messages must stay one line whatever the note contained.
        message = " ".join(message.split())
        diag = Diagnostic(file, line, code, message)
        if diag in self._seen:
            return
        self._seen.add(diag)
        self.items.append(diag)
        if self.stream is not None:
            print(diag, file=self.stream)

    def by_code(self, code: str) -> list[Diagnostic]:
        return [d for d in self.items if d.code == code]

    def content(self) -> list[Diagnostic]:
        """The warnings that mean lost or broken content (what --strict fails on)."""
        return [d for d in self.items if is_content(d.code)]

    def __len__(self) -> int:
        return len(self.items)


def stderr_reporter() -> Reporter:
    return Reporter(stream=sys.stderr)


# --------------------------------------------------------------------------- grouping


def grouped(items: Iterable[Diagnostic]) -> list[tuple[Kind, list[Diagnostic]]]:
    """Warnings by kind: content kinds first, then expected, each in declared order (undeclared
    codes after the declared ones of their class); within a kind by file, line, message."""
    by_code: dict[str, list[Diagnostic]] = {}
    for d in items:
        by_code.setdefault(d.code, []).append(d)
    order = {code: i for i, code in enumerate(KINDS)}

    def key(code: str) -> tuple[int, int, str]:
        return (0 if is_content(code) else 1, order.get(code, len(order)), code)

    return [(kind_of(code), sorted(by_code[code], key=_sort_key)) for code in sorted(by_code, key=key)]


def _sort_key(d: Diagnostic) -> tuple[str, int, str]:
    return (d.file, d.line, d.message)


def summary_lines(items: list[Diagnostic], accepted: Iterable[str] = (), report: str = "",
                  width: int = 160) -> list[str]:
    """What the terminal shows: one line per kind with its count and first example, accepted
    kinds folded into one line. ``report`` names where the full list is."""
    if not items:
        return []
    accepted = set(accepted)
    groups = grouped(items)
    kinds = len(groups)
    head = f"llmkb: {len(items):,} warning{'s' if len(items) != 1 else ''} of {kinds} kind{'s' if kinds != 1 else ''}"
    lines = [head + (f"; every one is listed in {report}" if report else "")]
    count_width = max(len(f"{len(ds):,}") for _, ds in groups)
    code_width = max(len(k.code) for k, _ in groups)
    sections = [(CONTENT, "lost or broken content (--strict fails on these):"),
                (EXPECTED, "expected (the site is whole without them):")]
    for cls, title in sections:
        shown = [(k, ds) for k, ds in groups if k.cls == cls and k.code not in accepted]
        if not shown:
            continue
        lines.append(f"  {title}")
        for kind, ds in shown:
            first = ds[0]
            line = (f"    {len(ds):>{count_width},} × {kind.code:<{code_width}}  "
                    f"{first.where}: {first.message}")
            lines.append(line if len(line) <= width else line[: width - 1] + "…")
    folded = [(k, ds) for k, ds in groups if k.code in accepted]
    if folded:
        total = sum(len(ds) for _, ds in folded)
        lines.append(f"  accepted: {total:,} warning{'s' if total != 1 else ''} ("
                     + ", ".join(f"{k.code} {len(ds):,}" for k, ds in folded) + ")")
    return lines


def count_by_code(items: Iterable[Diagnostic]) -> Counter[str]:
    return Counter(d.code for d in items)


# --------------------------------------------------------------------------- acceptance

DEFAULT_WARNINGS = Path(__file__).parent / "data" / "warnings.yaml"


def check_acceptable(code: str, where: str | Path = "--accept", line: int = 0) -> str:
    """``code`` if it is an expected kind that may be accepted; ConfigError otherwise."""
    if code not in KINDS:
        known = ", ".join(k for k, v in KINDS.items() if v.cls == EXPECTED)
        raise ConfigError(where, line, f"unknown warning kind {code!r} (expected kinds: {known})")
    if KINDS[code].cls == CONTENT:
        raise ConfigError(where, line, f"{code!r} means lost or broken content and cannot be accepted; "
                                       "fix the notes or the data files instead")
    return code


def load_accepted(path: str | Path) -> list[str]:
    """The expected kinds a warnings file accepts (``accept:`` list), validated."""
    data = load_yaml(path)
    if data is None:
        return []
    data = require_mapping(path, data, "warnings file")
    check_keys(path, data, "warnings file", set(), {"accept"})
    value = data.get("accept") or []
    if not isinstance(value, list):
        raise ConfigError(path, line_of(value, data.line), "'accept' must be a list of warning kinds")
    lines = _item_lines(path, "accept")
    out: list[str] = []
    for i, code in enumerate(value):
        line = lines[i] if i < len(lines) else line_of(value, data.line)
        if not isinstance(code, str):
            raise ConfigError(path, line, f"'accept' item {code!r} must be a warning kind (a string)")
        out.append(check_acceptable(code.strip(), path, line))
    return out


def _item_lines(path: str | Path, key: str) -> list[int]:
    """The line of each item of the top-level list ``key`` (load_yaml already validated the file)."""
    node = yaml.compose(Path(path).read_text(encoding="utf-8"))
    if not isinstance(node, yaml.MappingNode):
        return []
    for k, v in node.value:
        if getattr(k, "value", None) == key and isinstance(v, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in v.value]
    return []
