"""Facts from comparison tables: one model per row, one fact per column.

Notes often compare models in a Markdown table (| 模型 | 机构 | 发布时间 | 参数量 | 是否开源 |).
A column is recognised by its header's words; a table counts when one column names the
models (header 模型/名称/model, else the first column) and another column holds a fact.
Each row becomes a pseudo-sentence "模型：GPT-4；机构：OpenAI；…" published where the table
is, so a catalog cell links to the table's section and its tooltip quotes the row. The
values are read with the same patterns as prose (dates, sizes, context lengths), each only
inside its own column's cell. A free-text column (说明, 备注) is read as prose about the row's
model ("开源且可商用", "号称 100B 参数"; notes_facts), where the row names one model.

A release timeline (| 时间 | 开源 LLM | 闭源 LLM |) is read the other way round: each row is a
date, each other cell lists that date's models ("Meta-LLaMA；复旦-MOSS"), and every model it
lists becomes a row of its own ("开源 LLM：LLaMA；机构：Meta；时间：2023.02；开源 LLM：开源").

A table of terms (| 术语 | 英文 | 解释 |) is read by the glossary: each row becomes the bold
definition it stands for ("**词元**（Token）：模型处理文本的最小单位…"), published where the table is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..models import Block, BlockKind, DateValue, Evidence, Fact, Layout, PageItem, Place, Sentence
from ..text import split_sentences
from .corpus import placed_items, visible_text
from .facts import FactReader
from .orgs import cell_orgs
from .patterns import (
    COLUMN_WORDS,
    LICENSE_WORD,
    OPEN_LICENSE_NAMES,
    find_contexts,
    find_dates,
    find_sizes,
    license_value,
    size_values,
)
from .registry import Registry

_NOTHING = re.compile(r"^\s*(?:[—–\-/?？]+|n/?a|none|未知|未公开|不详|暂无|无|待定|unknown)?\s*$", re.I)
_YES = re.compile(r"^\s*(?:是|有|支持|yes|y|true|✓|✔|√|☑)\s*$", re.I)
_NO = re.compile(r"^\s*(?:否|无|不|不支持|no|n|false|✗|✘|×|☐)\s*$", re.I)
# A license a model's weights are released under, named in a license column (| 许可 | Apache 2.0 |,
# | 许可 | 非商用 |): the model is open, whatever its terms of use.
_NAMED_LICENSE = re.compile(rf"(?<![A-Za-z])(?:{OPEN_LICENSE_NAMES}|Llama\s*\d*\s*"
                            r"(?:Community\s+)?License)(?![A-Za-z])|商用|仅限?研究|研究用途|学术用途", re.I)
# Columns only a table of models has: a table of techniques (| 名称 | 提出时间 | 机构 |) is not one.
_MODEL_ONLY = {"params", "context", "license", "base"}
_DOTTED_DATE = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?:\s*[./]\s*(1[0-2]|0?[1-9]))?(?![\d.])")
_BARE_TOKENS = re.compile(r"^\s*(\d{1,3}(?:,\d{3})+|\d{3,7})\s*$")
_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")


@dataclass
class TableRow:
    sentence: Sentence  # "模型：X；机构：Y；…" on the table's page section
    cells: dict[str, tuple[int, int]]  # column field → span of its value in sentence.text
    header: dict[str, str]  # column field → header text as written

    def value(self, field_: str) -> str:
        start, end = self.cells[field_]
        return self.sentence.text[start:end]


# A column of example models ("典型模型", "代表模型") lists models of what the row is about
# (a tokenization method, a stage): the row's facts are not theirs.
_EXAMPLES = re.compile(r"典型|代表|示例|例子|举例|例如|相关|examples?|representative|typical", re.I)


# A first column's header that says its rows are no models (techniques, tools, data sets,
# abilities, concepts …).
_NOT_MODELS = re.compile(r"方法|技术|算法|策略|方案|框架|工具|库|数据集|基准|任务|指标|阶段|步骤|能力|特性|概念|术语|"
                         r"method|technique|algorithm|approach|strateg|framework|tool|librar|dataset|"
                         r"benchmark|task|metric|stage|step|abilit|capabilit|feature|concept|term", re.I)


def column_field(header: str) -> str | None:
    """Which fact a column holds, by its header ("参数量（B）" → params)."""
    h = header.strip().lower()
    if _EXAMPLES.search(h):
        return None
    best: tuple[int, str] | None = None
    for field_, words in COLUMN_WORDS.items():
        for word in words:
            if word in h and (best is None or len(word) > best[0]):
                best = (len(word), field_)
    return best[1] if best else None


def split_row(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", line)]


def _tables(layout: Layout) -> Iterator[tuple[PageItem, Place, Block, list[str], list[str]]]:
    """Every Markdown table on the topic pages, in reading order: where it is, its block, its
    headers (as a reader sees them) and the lines of its rows."""
    for _page, item, place in placed_items(layout):
        for block in item.entry.blocks:
            if block.kind is not BlockKind.TABLE:
                continue
            lines = [ln for ln in block.text.split("\n") if ln.strip()]
            if len(lines) >= 3 and _DELIMITER.match(lines[1]):
                yield item, place, block, [visible_text(h) for h in split_row(lines[0])], lines


def read_table_rows(layout: Layout, first_order: int) -> list[TableRow]:
    """Every row of every model-comparison table on the topic pages, in reading order."""
    rows: list[TableRow] = []
    for item, place, block, headers, lines in _tables(layout):
        fields = [column_field(h) for h in headers]
        if _is_listing(headers, fields):
            entries = [(line, _entries(line, fields)) for line in lines[2:]]
            org_first = _org_first([e for _, es in entries for _, e in es])
            for line, es in entries:
                rows.extend(_listing_rows(line, es, headers, fields, block, place, item.node,
                                          item.entry.key == "", first_order, len(rows), org_first))
            continue
        if "name" not in fields and fields and fields[0] is None:
            if _NOT_MODELS.search(headers[0]):
                continue  # | 技术方法 | 可训练参数量 |: techniques compared by their sizes
            fields[0] = "name"  # | | 机构 | 参数 |: the first column names the rows
        facts = {f for f in fields if f and f not in ("name", "notes")}
        if "name" not in fields or not facts:
            continue
        name_header = headers[fields.index("name")].lower()
        if "模型" not in name_header and "model" not in name_header and not facts & _MODEL_ONLY:
            continue
        for line in lines[2:]:
            row = _row(line, headers, fields, block, place, item.node, item.entry.key == "",
                       first_order + len(rows), -(len(rows) + 1))
            if row is not None:
                rows.append(row)
    return rows


def _row(line, headers, fields, block, place, node, intro, order, block_no) -> TableRow | None:
    parts: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for h, f, raw in zip(headers, fields, split_row(line), strict=False):
        value = visible_text(raw)
        if f and f not in seen and not _NOTHING.match(value):
            seen.add(f)
            parts.append((f, h, value))
    if "name" not in seen or len(parts) < 2:
        return None
    return _table_row(line, parts, block, place, node, intro, order, block_no)


def _table_row(line, parts: list[tuple[str, str, str]], block, place, node, intro, order, block_no) -> TableRow:
    """The row as a pseudo-sentence "模型：X；机构：Y；…" of its (field, header, value) parts
    (empty values left out), with where each field's value lies in it."""
    text = ""
    cells: dict[str, tuple[int, int]] = {}
    header: dict[str, str] = {}
    for field_, head, value in parts:
        if not value:
            continue
        text += ("；" if text else "") + f"{head}："
        cells[field_] = (len(text), len(text) + len(value))
        header[field_] = head
        text += value
    sentence = Sentence(line.strip(), text, tuple(block.sources), place, node, order, block_no, 0, intro=intro)
    return TableRow(sentence, cells, header)


# A release timeline (| 时间 | 开源 LLM | 闭源 LLM |): each row a date, every other column a list of
# the models of that date, "机构-模型" entries ("Meta-LLaMA；复旦-MOSS", "斯坦福-Alpaca、Vicuna").
_MODEL_WORD = re.compile(r"模型|llm|model", re.I)
_ENTRIES = re.compile(r"\s*[;；]\s*")
_MODELS_OF_ENTRY = re.compile(r"\s*[、,，/]\s*")


def _is_listing(headers: list[str], fields: list[str | None]) -> bool:
    """A date column, and every other column's header says it lists models (no column of
    organizations: they are written in the entries)."""
    others = [h for h, f in zip(headers, fields, strict=True) if f != "date"]
    return fields.count("date") == 1 and bool(others) and "org" not in fields \
        and all(_MODEL_WORD.search(h) for h in others)


def _entries(line: str, fields: list[str | None]) -> list[tuple[int, str]]:
    """(column, entry) of a listing row's model columns."""
    cells = split_row(line)
    return [(i, entry) for i, (f, raw) in enumerate(zip(fields, cells, strict=False)) if f != "date"
            for entry in _ENTRIES.split(visible_text(raw)) if entry and not _NOTHING.match(entry)]


def _org_first(entries: list[str]) -> bool:
    """Whether the table writes its entries "机构-模型": most of them hold a hyphen (a model name
    with one, GPT-4, is rarer than that)."""
    return bool(entries) and 2 * sum("-" in e for e in entries) > len(entries)


def _listing_rows(line, entries, headers, fields, block, place, node, intro, first_order, count,
                  org_first) -> list[TableRow]:
    """One row per model a listing row names (``entries``: its (column, entry) pairs): its date,
    its organization, the column's license."""
    cells = split_row(line)
    date_at = fields.index("date")
    date = visible_text(cells[date_at]) if date_at < len(cells) else ""
    if _NOTHING.match(date):
        return []
    out: list[TableRow] = []
    for column, entry in entries:
        org, _, models = entry.partition("-") if org_first and "-" in entry else ("", "", entry)
        license_word = LICENSE_WORD.search(headers[column])
        for model in _MODELS_OF_ENTRY.split(models.strip()):
            if not model:
                continue
            parts = [("name", headers[column], model), ("org", "机构", org.strip()),
                     ("date", headers[date_at], date)]
            if license_word:
                parts.append(("license", headers[column], license_word.group(0)))
            n = count + len(out)
            out.append(_table_row(line, parts, block, place, node, intro, first_order + n, -(n + 1)))
    return out


_ACTIVE_AFTER = re.compile(r"\s*(?:个)?\s*(?:参数)?\s*(?:激活|activ)", re.I)
_ACTIVE_BEFORE = re.compile(r"(?:激活|activ[a-z]*)\s*(?:参数量?)?\s*[:：]?\s*$", re.I)  # "46.7B（激活 12.9B）"
# Several models in one name cell: "盘古,盘古气象,盘古-Σ", "XVERSE-7B, XVERSE-13B".
_NAME_LIST = re.compile(r"\s*[,，、/;；]\s*")


def cell_names(cell: str, start: int = 0) -> list[tuple[str, int]]:
    """The names a name cell lists, each with where it starts (brackets and a description after
    a colon left out: "TigerBot: A multi-language multi-task LLM", "本草[原名：华驼]: 基于…")."""
    main = re.sub(r"[（(][^）)]*[）)]|\[[^\]]*\]", lambda m: " " * len(m.group(0)), cell)
    colon = re.search(r"\s*[:：]\s", main) or re.search(r"\s*[:：]", main)
    if colon and colon.start() > 0:
        main = main[: colon.start()]
    out, at = [], 0
    for piece in _NAME_LIST.split(main):
        at = main.index(piece, at)
        if piece.strip():
            out.append((piece.strip(), start + at + len(piece) - len(piece.lstrip())))
        at += len(piece)
    return out


def table_names(rows: list[TableRow]) -> list[tuple[str, int]]:
    """The names in the name column, each of a list of them, and the other name in brackets
    (通义千问（Qwen））."""
    out = []
    for row in rows:
        name = row.value("name")
        out.extend((main, row.sentence.order) for main, _ in cell_names(name))
        for other in re.findall(r"[（(]\s*([^）)]{2,24}?)\s*[）)]", name):
            out.append((other.strip(), row.sentence.order))
    return out


def row_models(row: TableRow, registry: Registry) -> dict[str, str]:
    """The models a row's name cell lists (each with its variant name, see _row_facts)."""
    s = row.sentence
    ns, ne = row.cells["name"]
    # Each name the cell lists, where it starts: not a name inside another ("左医 GPT").
    starts = {at for _, at in cell_names(s.text[ns:ne], ns)}
    named: dict[str, str] = {}
    for m in registry.mentions(s.text):
        if ns <= m.start < ne and m.start in starts:
            # A row of "Mistral 7B" whose size column says 73 亿: the size written into the name
            # is nominal, the column gives that variant's own.
            named.setdefault(m.group, m.variant or (m.surface.strip() if m.sizes else ""))
    return named


def table_facts(rows: list[TableRow], registry: Registry) -> list[Fact]:
    facts: list[Fact] = []
    for row in rows:
        for model, variant in row_models(row, registry).items():
            _row_facts(facts, row, model, registry, variant)
    return facts


def notes_facts(rows: list[TableRow], registry: Registry, reader: FactReader) -> list[Fact]:
    """What the free-text column of a model table (说明, 备注) says of its row's model, read
    like a sentence about it; only where the row names one model (a cell beside several
    names does not say which one it is about)."""
    facts: list[Fact] = []
    for row in rows:
        models = row_models(row, registry)
        if "notes" in row.cells and len(models) == 1:
            start, end = row.cells["notes"]
            facts.extend(reader.read_cell(row.sentence, start, end, next(iter(models))))
    return facts


# What a table row of a variant gives that variant rather than its family: its size and its
# context length ("QingLuan-7B | 7B | 4K" beside "QingLuan-14B-Chat-32K | 14B | 32K").
_VARIANTS_OWN = frozenset(("params", "context"))


def _row_facts(facts: list[Fact], row: TableRow, model: str, registry: Registry, variant: str = "") -> None:
    """The facts of one table row, for one model its name cell lists (``variant``: the row's
    name when it is a variant of the model's, BERT-large; its size and context are that
    variant's)."""
    s = row.sentence
    def add(field_: str, text: str, start: int, end: int, value: object, hedged: bool = False,
            named: str | None = None) -> None:
        facts.append(Fact(model, field_, text, Evidence(s, start, end), value, hedged, 0, "table",
                          named if named is not None else variant if field_ in _VARIANTS_OWN else ""))

    for field_, (start, end) in row.cells.items():
        cell = s.text[start:end]
        if field_ in ("notes", "base"):
            continue  # notes: read as prose (notes_facts); base: another model's name
        if field_ == "org":
            for org in cell_orgs(cell):
                pos = s.text.find(org, start)
                add("org", org, pos, pos + len(org), org)
        elif field_ == "date":
            found = [d for d in find_dates(s.text) if start <= d.start < end]
            if found:
                add("date", found[0].surface, found[0].start, found[0].end, found[0].value)
            elif m := _DOTTED_DATE.search(cell):  # 2023.03, 2023/3, 2023 in a date column
                value = DateValue(int(m.group(1)), int(m.group(2) or 0))
                add("date", m.group(0), start + m.start(), start + m.end(), value)
        elif field_ == "params":
            # "456B（45.9B 激活）": the active parameters of a mixture of experts are not its size
            sizes = [size for size in find_sizes(s.text) if start <= size.start < end
                     and not _ACTIVE_AFTER.match(s.text, size.end)
                     and not _ACTIVE_BEFORE.search(s.text, start, size.start)]
            for size in sizes:
                add("params", s.text[size.start : size.end], size.start, size.end, size.values, size.hedged)
            if not sizes:  # "TigerBot-7B, TigerBot-180B": the sizes are written into the names
                for m in registry.mentions(s.text):
                    if start <= m.start < end and m.sizes and registry.find(m.key) == model:
                        add("params", "、".join(m.sizes), m.start, m.end, size_values(" ".join(m.sizes)),
                            named=m.surface.strip())
        elif field_ == "context":
            found = [c for c in find_contexts(s.text) if start <= c.start < end]
            if found:
                add("context", found[0].surface, found[0].start, found[0].end, found[0].tokens)
            elif m := _BARE_TOKENS.match(cell):  # a bare 2048 in a context column
                add("context", m.group(1), start + m.start(1), start + m.end(1),
                    int(m.group(1).replace(",", "")))
        elif field_ == "license":
            word = LICENSE_WORD.search(cell)
            if word:
                add("license", word.group(0), start + word.start(), start + word.end(),
                    license_value(word.group(0)))
            elif _NAMED_LICENSE.search(cell):
                add("license", cell.strip(), start, end, "开源")
            elif _YES.match(cell) or _NO.match(cell):
                # 是否开源：是 — the header asks, the cell answers.
                value = "开源" if _YES.match(cell) else "闭源"
                if "闭源" in row.header[field_] and "开源" not in row.header[field_]:
                    value = "闭源" if value == "开源" else "开源"
                add("license", value, start, end, value)


# --------------------------------------------------------------------------- tables of terms

# A table of terms (| 术语 | 英文 | 解释 |): one column names the terms, another says what each is;
# its English name and abbreviation may have columns of their own. Headers are matched whole
# (after markup): "名称" heads a term column only beside a column that explains.
_TERM_HEADER = re.compile(r"术语|名词|概念|名称|术语名称|中文名?|中文术语|关键词|词汇|term|concept|name", re.I)
_MEANING_HEADER = re.compile(r"解释|释义|含义|定义|说明|描述|意思|意义|简介|definition|meaning|description|"
                             r"explanation", re.I)
_ENGLISH_HEADER = re.compile(r"英文|英文名|英文全称|英文名称|全称|english|english\s+name|full\s+name", re.I)
_ABBR_HEADER = re.compile(r"缩写|简称|英文缩写|abbr\.?|abbreviation|acronym", re.I)


def term_table_sentences(layout: Layout, first_order: int) -> list[Sentence]:
    """Every row of every table of terms on the topic pages, as the sentence a glossary reads
    in prose: "**词元**（Token）：模型处理文本的最小单位…" — the term in bold, its English name and
    abbreviation in brackets, then what the row says it is — published where the table is."""
    out: list[Sentence] = []
    for item, place, block, headers, lines in _tables(layout):
        columns = _term_columns(headers)
        if columns is None:
            continue
        term_at, meaning_at, english_at, abbr_at = columns
        for line in lines[2:]:
            cells = [visible_text(c) for c in split_row(line)]
            if len(cells) <= max(term_at, meaning_at):
                continue
            term, meaning = cells[term_at], cells[meaning_at]
            names = [cells[i] for i in (english_at, abbr_at) if i is not None and i < len(cells)]
            names = [n for n in names if not _NOTHING.match(n)]  # an empty cell matches too
            if _NOTHING.match(term) or _NOTHING.match(meaning):
                continue
            raw = f"**{term}**" + (f"（{'，'.join(names)}）" if names else "") + f"：{meaning}"
            out.append(_table_sentence(raw, item, place, block, first_order + len(out), len(out)))
    return out


# The columns of a table of questions and answers (| 问题 | 回答 |, | Q | A |).
_QUESTION_HEADER = re.compile(r"问题?|提问|常见问题|q|question", re.I)
_ANSWER_HEADER = re.compile(r"回答|答案?|解答|a|answer", re.I)
# A question that asks what something is: "什么是混合检索？", "HyDE 是什么？", "MRR 指什么".
_ASKS_WHAT = re.compile(r"\s*(?:什么是|何为|何谓)\s*(?P<a>\S.*?)\s*[？?]?\s*"
                        r"|(?P<b>.+?)\s*(?:是什么|指什么|是指什么|是啥)\s*[？?]?\s*")
# An answer that opens by naming a term of its own: "向量模型（Embedding Model）是…", "HyDE（…）让…".
_NAMES_ITS_TERM = re.compile(r"\s*[^\s，,。；;：:]{1,20}?\s*(?:[（(]|是|指)")


def answer_table_sentences(layout: Layout, first_order: int) -> list[Sentence]:
    """The first sentence of each answer to "what is X" in a table of questions and answers on
    the topic pages, read as the prose it is ("| 什么是混合检索？ | 混合检索（Hybrid Search）指…|"
    defines a term as a paragraph would), published where the table is."""
    out: list[Sentence] = []
    for item, place, block, headers, lines in _tables(layout):
        cleaned = [h.strip() for h in headers]
        asked = next((i for i, h in enumerate(cleaned) if _QUESTION_HEADER.fullmatch(h)), None)
        answered = next((i for i, h in enumerate(cleaned) if i != asked and _ANSWER_HEADER.fullmatch(h)), None)
        if asked is None or answered is None:
            continue
        for line in lines[2:]:
            cells = split_row(line)
            asks = _ASKS_WHAT.fullmatch(visible_text(cells[asked])) if len(cells) > max(asked, answered) else None
            said = split_sentences(cells[answered].strip()) if asks else []
            if not said:
                continue
            # An answer that does not name a term ("| GraphRAG 是什么？ | 微软 2024 年提出的方案：…|")
            # is read as a row of a table of terms: "**GraphRAG**：微软 2024 年提出的方案：…".
            term = (asks.group("a") or asks.group("b")).strip()
            own = visible_text(said[0]).startswith(term) or _NAMES_ITS_TERM.match(visible_text(said[0]))
            raw = said[0] if own else f"**{term}**：{said[0]}"
            out.append(_table_sentence(raw, item, place, block, first_order + len(out), len(out)))
    return out


def _table_sentence(raw: str, item: PageItem, place: Place, block: Block, order: int, n: int) -> Sentence:
    """A sentence read from a table's row, published where the table is (each in a block of its own)."""
    return Sentence(raw, visible_text(raw), tuple(block.sources), place, item.node, order, -(n + 1), 0,
                    intro=item.entry.key == "")


def _term_columns(headers: list[str]) -> tuple[int, int, int | None, int | None] | None:
    """Where a table of terms has its terms, what they mean, English names and abbreviations;
    None for any other table (a table of models has a model column: the catalog reads it)."""
    def first(pattern: re.Pattern[str], taken: set[int]) -> int | None:
        return next((i for i, h in enumerate(headers) if i not in taken and pattern.fullmatch(h.strip())), None)

    if any(column_field(h) == "name" and _MODEL_WORD.search(h) for h in headers):
        return None
    term_at = first(_TERM_HEADER, set())
    meaning_at = first(_MEANING_HEADER, {term_at} if term_at is not None else set())
    if term_at is None or meaning_at is None:
        return None
    english_at = first(_ENGLISH_HEADER, {term_at, meaning_at})
    abbr_at = first(_ABBR_HEADER, {i for i in (term_at, meaning_at, english_at) if i is not None})
    return term_at, meaning_at, english_at, abbr_at
