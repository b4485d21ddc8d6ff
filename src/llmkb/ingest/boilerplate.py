"""Boilerplate removal driven by the editable rule file (``data/boilerplate.yaml``).

Rules are tried in file order. A ``line`` rule removes each line it matches; a
``trailer`` rule removes from its matching line to the end of the note (or to the
next Markdown heading), which is how "相关文章" lists of unrelated articles look.

Rules are written in simplified Chinese. A note kept in traditional script
(``--keep-traditional``) is matched through a simplified copy of its lines as well, so
"瀏覽" meets the rule for "浏览" whether or not the note was converted.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from ..datafile import (
    ConfigError,
    check_keys,
    compile_pattern,
    line_of,
    load_yaml,
    require_list,
    require_mapping,
    require_str,
    str_list,
)
from ..text import front_matter

DEFAULT_RULES = Path(str(resources.files("llmkb") / "data" / "boilerplate.yaml"))
_URL = re.compile(r"https?://[^\s，。；）)」』】>\"'<]+")
_ATX = re.compile(r"^ {0,3}#{1,6}(\s|$)")


@dataclass(frozen=True)
class BoilerplateRule:
    name: str
    description: str
    scope: str  # "line" | "trailer"
    patterns: tuple[re.Pattern[str], ...]
    max_chars: int = 300
    origin: bool = False
    min_lines_before: int = 3
    max_lines: int = 0  # trailer: at most this many non-blank lines (0 = any number)
    list_only: bool = False  # trailer: only if no line it removes reads as prose
    # line rules: "edges" = only in the note's head or tail (before its first or after its
    # last paragraph of prose), where platforms put their chrome; "anywhere" = also between,
    # on a line of its own (never inside a list item, a table, a quote or an example)
    zone: str = "anywhere"
    # trailer: hosts of documents (papers); a trailer whose links mostly go to documents
    # (these hosts, or any .pdf) is a reading list the author chose, not a widget: kept
    keep_if_citing: tuple[str, ...] = ()

    def matches(self, line: str, simplified: str | None = None) -> bool:
        """Whether the line (or its simplified-script copy, when that differs) matches."""
        if self.scope == "line" and len(line.strip()) > self.max_chars:
            return False
        if any(p.search(line) for p in self.patterns):
            return True
        return simplified is not None and simplified != line \
            and any(p.search(simplified) for p in self.patterns)

    def fits(self, trailer: list[str]) -> bool:
        """Whether a trailer rule may remove these lines (the matching line and what follows).

        Words such as a bare "上一篇" also head navigation at the top of a note; there, what
        follows is the note itself, which is longer than a list of titles and has prose in it.
        """
        if self.keep_if_citing and cites_documents(trailer, self.keep_if_citing):
            return False
        if not (self.max_lines or self.list_only):
            return True
        count = 0
        for line in trailer:
            text = line.strip()
            if not text:
                continue
            count += 1
            if self.max_lines and count > self.max_lines:
                return False
            if self.list_only and (len(text) > self.max_chars or "。" in text):
                return False
        return True


def cites_documents(lines: list[str], hosts: tuple[str, ...]) -> bool:
    """Whether most of the links these lines hold (at least one) go to documents: a .pdf, or a
    page on one of ``hosts`` (arxiv.org also as export.arxiv.org)."""
    links = [urlsplit(url.rstrip(".,;:")) for line in lines for url in _URL.findall(line)]
    if not links:
        return False
    documents = sum(1 for link in links
                    if link.path.lower().endswith(".pdf")
                    or any(link.hostname == h or (link.hostname or "").endswith("." + h) for h in hosts))
    return 2 * documents >= len(links)


@dataclass(frozen=True)
class RuleHit:
    start: int  # 1-based, inclusive
    end: int
    rule: str


@dataclass(frozen=True)
class BoilerplateResult:
    hits: list[RuleHit]
    origin_url: str


def load_rules(path: str | Path = DEFAULT_RULES) -> list[BoilerplateRule]:
    data = require_mapping(path, load_yaml(path), "rule file")
    check_keys(path, data, "rule file", {"rules"}, {"version"})
    rules: list[BoilerplateRule] = []
    seen: set[str] = set()
    for raw in require_list(path, data["rules"], "'rules'", data.line):
        raw = require_mapping(path, raw, "each rule", line_of(data["rules"]))
        check_keys(
            path, raw, "rule", {"name", "description", "scope", "patterns"},
            {"max_chars", "origin", "min_lines_before", "max_lines", "list_only", "zone", "keep_if_citing"},
        )
        name = require_str(path, raw, "name", "rule")
        what = f"rule {name!r}"
        if name in seen:
            raise ConfigError(path, raw.line, f"{what}: duplicate rule name")
        seen.add(name)
        scope = raw["scope"]
        if scope not in ("line", "trailer"):
            raise ConfigError(path, raw.line, f"{what}: scope must be 'line' or 'trailer'")
        patterns = str_list(path, raw, "patterns", what)
        if not patterns:
            raise ConfigError(path, raw.line, f"{what}: needs at least one pattern")
        for key in ("max_chars", "min_lines_before", "max_lines"):
            if key in raw and (not isinstance(raw[key], int) or isinstance(raw[key], bool) or raw[key] < 0):
                raise ConfigError(path, raw.line, f"{what}: {key} must be a non-negative integer")
        for key in ("origin", "list_only"):
            if not isinstance(raw.get(key, False), bool):
                raise ConfigError(path, raw.line, f"{what}: {key} must be true or false")
        hosts = str_list(path, raw, "keep_if_citing", what)
        if any(not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", h) for h in hosts):
            raise ConfigError(path, raw.line, f"{what}: keep_if_citing must list host names (arxiv.org)")
        for key in ("max_lines", "list_only", "keep_if_citing"):
            if key in raw and scope != "trailer":
                raise ConfigError(path, raw.line, f"{what}: {key} applies to trailer rules only")
        zone = raw.get("zone", "anywhere")
        if zone not in ("anywhere", "edges") or ("zone" in raw and scope != "line"):
            raise ConfigError(path, raw.line, f"{what}: zone must be 'anywhere' or 'edges' (line rules only)")
        rules.append(
            BoilerplateRule(
                name=name,
                description=require_str(path, raw, "description", what),
                scope=scope,
                patterns=tuple(compile_pattern(path, raw.line, what, p) for p in patterns),
                max_chars=raw.get("max_chars", 300),
                origin=raw.get("origin", False),
                min_lines_before=raw.get("min_lines_before", 3),
                max_lines=raw.get("max_lines", 0),
                list_only=raw.get("list_only", False),
                zone=zone,
                keep_if_citing=tuple(hosts),
            )
        )
    return rules


def find_boilerplate(
    lines: list[str], rules: list[BoilerplateRule], simplified: list[str] | None = None,
) -> BoilerplateResult:
    """Return the line ranges the rules remove (first matching rule wins) and any origin URL.

    ``simplified``: the same lines in simplified script, for a note kept in traditional
    script; rules match either form.
    """
    view = simplified if simplified is not None and len(simplified) == len(lines) else lines
    hits: list[RuleHit] = []
    origin = ""
    taken: set[int] = set()
    trailer_rules = [r for r in rules if r.scope == "trailer"]
    line_rules = [r for r in rules if r.scope == "line"]

    # Trailers first: everything in them is off-topic, whatever it says. A trailer ends at
    # the next heading, so a note's tail may hold several ("推荐阅读" after "公众号").
    nonblank_before = 0
    in_fence = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        if in_fence or not line.strip():
            i += 1
            continue
        candidates = [r for r in trailer_rules
                      if nonblank_before >= r.min_lines_before and r.matches(line, view[i])]
        end = _trailer_end(lines, i) if candidates else i + 1
        rule = next((r for r in candidates if r.fits(lines[i:end])), None)
        if rule is not None:
            hits.append(RuleHit(i + 1, end, rule.name))
            taken.update(range(i, end))
            i = end
            continue
        nonblank_before += 1
        i += 1

    # The line rules each line matches, in rule order: asked once, by the edges and below.
    matching = [[r for r in line_rules if r.matches(line, view[i])] for i, line in enumerate(lines)]
    head, tail = _edges(lines, [i in taken or bool(matching[i]) for i in range(len(lines))])
    formulas = _display_math(lines)
    examples = _examples(lines)
    in_fence = False
    for i, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence or i in taken or i in formulas or not line.strip():
            continue
        at_edge = i < head or i >= tail
        if (not at_edge and _CONTENT_LINE.match(line)) or i in examples:
            continue  # a list item, table row, quote or example line between the prose is content
        for rule in matching[i]:
            if at_edge or rule.zone == "anywhere":
                hits.append(RuleHit(i + 1, i + 1, rule.name))
                if rule.origin and not origin:
                    url = _URL.search(line)
                    # A URL written in Markdown escapes its &, _ …: the link is without the backslashes.
                    origin = url.group(0).replace("\\", "") if url else ""
                break
    hits.extend(_self_toc(lines, {i for h in hits for i in range(h.start - 1, h.end)}, head))
    hits.extend(_signatures(lines, {i for h in hits for i in range(h.start - 1, h.end)}))
    hits.extend(_sandwiched_residue(lines, {i for h in hits for i in range(h.start - 1, h.end)},
                                    _code_lines(lines) | formulas))
    hits.sort(key=lambda h: h.start)
    return BoilerplateResult(hits=_merge_adjacent(hits, lines), origin_url=origin)


def _display_math(lines: list[str]) -> set[int]:
    """Lines of ``$$ … $$`` display formulas (outside code fences): TeX, never chrome
    ("similarity(star, sun)" is no star request)."""
    inside: set[int] = set()
    opened: int | None = None
    in_fence = False
    for i, line in enumerate(lines):
        text = line.strip()
        if text.startswith(("```", "~~~")) and opened is None:
            in_fence = not in_fence
            continue
        if in_fence or "$$" not in text:
            if opened is not None:
                inside.add(i)
            continue
        if opened is None and text.startswith("$$") and text.endswith("$$") and len(text) > 4:
            inside.add(i)  # "$$ x $$" on one line
        elif opened is None and text.startswith("$$"):
            opened = i
            inside.add(i)
        elif opened is not None:
            inside.add(i)
            if text.endswith("$$"):
                opened = None
    return inside if opened is None else inside - set(range(opened, len(lines)))


# Lines that are part of the content's structure: list items, table rows, quotes, indented
# example lines. Between the prose, chrome never sits there.
_CONTENT_LINE = re.compile(r"^(?:\s*(?:[-*+]|\d{1,3}[.)、])\s+|\s*\||\s*>|\t| {4})")
# A line of prose: a sentence of some length with Chinese (or English) sentence punctuation.
_PROSE = re.compile(r"[\u4e00-\u9fff].{18,}[。！？；]|[A-Za-z].{40,}[.!?]\s*$")


_WORDS = re.compile(r"[A-Za-z0-9\u4e00-\u9fff]")  # not a rule line (---) or a lone mark


def _edges(lines: list[str], chrome: list[bool]) -> tuple[int, int]:
    """(first, last + 1) index of the note's content: before the first and after the last line
    of prose (that no rule takes for chrome) lie the head and the tail, where platforms put
    theirs. A heading below the title whose section holds a line no rule takes starts content
    too (a model's entry of key-value lines under it is no page header; a section of list items
    after the last paragraph is no footer); a subtitle followed only by a byline does not."""
    # A front matter block ("description: 从零理解…") is the note's metadata, not its prose.
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    front = front_matter(lines, first) if first is not None else None
    after_front = front[0] + 1 if front is not None else 0
    prose = [i for i, line in enumerate(lines) if i >= after_front and _PROSE.search(line) and not chrome[i]
             and not line.lstrip().startswith(">")]
    if not prose:
        return len(lines), len(lines)  # no prose at all: every line is at an edge
    headings = [i for i, line in enumerate(lines) if _ATX.match(line) and not chrome[i]]
    # A heading whose section holds a line that no rule takes: content starts there.
    holding = [h for k, h in enumerate(headings)
               if any(_WORDS.search(lines[j]) and not chrome[j] and not lines[j].lstrip().startswith("<!--")
                      for j in range(h + 1, headings[k + 1] if k + 1 < len(headings) else len(lines)))]
    head = min([prose[0], *(h for h in holding if headings and h != headings[0])])
    last = max([prose[-1], *holding])
    return head, last + 1


def _examples(lines: list[str]) -> set[int]:
    """Lines of a quote, list or indented block that a lead-in introduces ("下面是一个示例回答：",
    "格式如下："): an example, whatever it says."""
    out: set[int] = set()
    lead = False
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if lead and _CONTENT_LINE.match(line):
            out.add(i)
            continue
        lead = bool(re.search(r"[：:]\s*$", line)) and not _CONTENT_LINE.match(line)
    return out


def _trailer_end(lines: list[str], i: int) -> int:
    """End (exclusive) of a trailer starting at line i: the next heading or the note's end."""
    end = len(lines)
    for j in range(i + 1, len(lines)):
        if _ATX.match(lines[j]):
            end = j
            break
    while end > i + 1 and not lines[end - 1].strip():
        end -= 1
    return end


SELF_TOC_RULE = "self-toc"
SELF_TOC_MIN_ITEMS = 2
SELF_TOC_MIN_SHARE = 0.8
_TOC_LABEL = re.compile(r"^\s*(?:#{1,6}\s*)?[*_【\[]*\s*(?:文章|本文|笔记)?目\s*录\s*[*_】\]]*\s*[:：]?\s*$"
                        r"|^\s*(?:#{1,6}\s*)?[*_]*(?i:contents|table of contents)[*_]*\s*[:：]?\s*$")
_LIST_LINE = re.compile(r"^(?P<indent>\s*)(?:[-*+]|\d{1,3}(?:\.\d{1,3})*[.)、]?)\s+(?P<text>\S.*)$")
_ANCHOR_LINK = re.compile(r"^\[(?P<text>[^\]]+)\]\(#[^)]*\)\s*$")
_ENUMERATOR = re.compile(r"^(?:第[一二三四五六七八九十百\d]+[章节部分篇]|[\d.．]+|[一二三四五六七八九十]+[、.．]"
                         r"|[（(][\d一二三四五六七八九十]+[)）])\s*")


def _heading_key(text: str) -> str:
    """A heading or list item as a reader would compare them: no markup, numbering, spaces or
    punctuation ("1.1 **什么是 LLM**" and "## 1.1 什么是LLM" read the same)."""
    text = re.sub(r"^\s*#{1,6}\s*", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`~]", "", text).strip()
    text = _ENUMERATOR.sub("", text)
    return re.sub(r"[\W_]+", "", text).lower()


def _self_toc(lines: list[str], removed: set[int], head: int) -> list[RuleHit]:
    """A table of contents the note wrote itself: a list whose items repeat the note's own
    headings (lines of their own, its title included), under a "目录"/"Contents" label, or made of
    links to the note's anchors, or standing in the note's head. The site has its own table of
    contents; the list says nothing else. A list that only partly repeats them is content.
    """
    found: list[RuleHit] = []
    line_keys: list[str | None] = []  # each line's heading key (None: blank or a list item)
    i = 0
    while i < len(lines):
        if i in removed or not lines[i].strip():
            i += 1
            continue
        label = bool(_TOC_LABEL.match(lines[i]))
        start = i + 1 if label else i
        j, items = start, []
        while j < len(lines) and (not lines[j].strip() or _LIST_LINE.match(lines[j])) and j not in removed:
            if lines[j].strip():
                items.append(j)
            j += 1
        while j > start and not lines[j - 1].strip():
            j -= 1
        if len(items) < SELF_TOC_MIN_ITEMS:
            i = max(i + 1, j)
            continue
        texts = [_LIST_LINE.match(lines[k]).group("text") for k in items]  # type: ignore[union-attr]
        anchors = all(_ANCHOR_LINK.match(t.strip()) for t in texts)
        if not line_keys:  # once per note, not once per list: notes of many lists were quadratic
            line_keys = [_heading_key(line) if line.strip() and not _LIST_LINE.match(line) else None
                         for line in lines]
        # The note's lines of their own, further down or above (a TOC often lists the title too).
        later = {k for k in (*line_keys[:i], *line_keys[j:]) if k is not None}
        keys = [_heading_key(t) for t in texts]
        share = sum(1 for k in keys if k and k in later) / len(keys)
        if share >= SELF_TOC_MIN_SHARE and (label or anchors or items[0] < head):
            first = i if label else items[0]
            found.extend(RuleHit(k + 1, k + 1, SELF_TOC_RULE) for k in ([i] if label else []) + items)
            removed.update(range(first, j))
        i = max(i + 1, j)
    return found


SIGNATURE_RULE = "forum-signature"
SIGNATURE_MAX_LINES = 4
SIGNATURE_MAX_CHARS = 40
_RULE_LINE = re.compile(r"^\s*(-{4,}|—{2,}|_{4,}|={4,}|~{4,})\s*$")


def _signatures(lines: list[str], removed: set[int]) -> list[RuleHit]:
    """A 签名档: a rule line, then a few short lines, then a removed button bar.

    Forums print the poster's signature under a rule at the end of each post, just above
    the post's buttons ("回复 引用 举报"). A rule that closes a note's own text ("---" and a
    reference list) is followed by the note's end or by content, not by a removed line.
    The rule must stand after a blank line: right under text it underlines a heading.
    """
    found: list[RuleHit] = []
    for i, line in enumerate(lines):
        if i in removed or not _RULE_LINE.match(line) or (i and lines[i - 1].strip()):
            continue
        body: list[int] = []
        j = i + 1
        while j < len(lines) and (not lines[j].strip() or j not in removed):
            if lines[j].strip():
                body.append(j)
            j += 1
            if len(body) > SIGNATURE_MAX_LINES:
                break
        short = all(len(lines[k].strip()) <= SIGNATURE_MAX_CHARS and "。" not in lines[k]
                    and not _ATX.match(lines[k]) for k in body)
        if j < len(lines) and body and len(body) <= SIGNATURE_MAX_LINES and short:
            found.extend(RuleHit(k + 1, k + 1, SIGNATURE_RULE) for k in (i, *body))
    return found


RESIDUE_RULE = "boilerplate-residue"
RESIDUE_MAX_CHARS = 16
MAX_RESIDUE_RUN = 4
_SENTENCE_END = re.compile(r"[。！？!?；;]")


def _code_lines(lines: list[str]) -> set[int]:
    """Lines of fenced code (fences included) and indented code: never scraps of chrome."""
    out: set[int] = set()
    in_fence = False
    for i, line in enumerate(lines):
        fence = line.lstrip().startswith(("```", "~~~"))
        if fence or in_fence or line.startswith(("    ", "\t")):
            out.add(i)
        if fence:
            in_fence = not in_fence
    return out


def _sandwiched_residue(lines: list[str], removed: set[int], code: AbstractSet[int] = frozenset()) -> list[RuleHit]:
    """Short fragments wedged between removed boilerplate lines are boilerplate too.

    Platform headers and footers leave scraps no pattern can name without matching
    prose — an author name, a lone "版权", the "0 0" of a like counter. A run of at most
    four short lines without sentence punctuation, whose nearest non-blank neighbours on
    both sides were removed, is such a scrap. The note's title line counts as a removed
    neighbour above: a header ("作者头像", the author's name) sits between the title and
    the first metadata line. Markdown headings, code and formulas (``code``) are never scraps.
    """
    found: list[RuleHit] = []
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    # Lines a scrap may sit below: removed ones, and a title-like first line.
    above = set(removed)
    if nonblank and (_ATX.match(lines[nonblank[0]]) or not _SENTENCE_END.search(lines[nonblank[0]])):
        above.add(nonblank[0])

    def scrap(i: int) -> bool:
        text = lines[i].strip()
        return (i not in removed and i not in code and len(text) <= RESIDUE_MAX_CHARS
                and not _SENTENCE_END.search(text) and not _ATX.match(lines[i]))

    k = 1
    while k < len(nonblank) - 1:
        if not scrap(nonblank[k]) or (nonblank[k - 1] not in removed and nonblank[k - 1] not in above):
            k += 1
            continue
        end = k
        while end < len(nonblank) and scrap(nonblank[end]) and end - k < MAX_RESIDUE_RUN:
            end += 1
        if end < len(nonblank) and nonblank[end] in removed:
            for j in range(k, end):
                removed.add(nonblank[j])
                found.append(RuleHit(nonblank[j] + 1, nonblank[j] + 1, RESIDUE_RULE))
        k = end + 1
    return found


def _merge_adjacent(hits: list[RuleHit], lines: list[str]) -> list[RuleHit]:
    """Join hits of one rule separated only by blank lines, so the map reads as ranges."""
    merged: list[RuleHit] = []
    for hit in hits:
        if merged and merged[-1].rule == hit.rule:
            gap = lines[merged[-1].end : hit.start - 1]
            if all(not g.strip() for g in gap):
                merged[-1] = RuleHit(merged[-1].start, hit.end, hit.rule)
                continue
        merged.append(hit)
    return merged
