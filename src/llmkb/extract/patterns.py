"""Recognizers shared by the extractors: dates, parameter sizes, context lengths, names.

Everything here works on one sentence of *visible* text (Markdown markup removed, the
pipeline's normalization applied: full-width punctuation, a space between Chinese and
Latin letters or digits). Each recognizer returns the surface text it matched and its
offsets, so a value shown in the knowledge base can always be found in its sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..models.extracted import DateValue

CJK_RUN = r"[\u3400-\u4dbf\u4e00-\u9fff]"

# --------------------------------------------------------------------------- clauses

_CLAUSE_SEP = re.compile(r"[，,；;：:]")


def clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) of the comma/semicolon/colon-separated clauses of a sentence."""
    return list(_clauses(text))  # a fresh list: callers may change theirs


# The extractors ask for the clauses of each sentence about five times: once per process.
@lru_cache(maxsize=131_072)
def _clauses(text: str) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    start = 0
    for m in _CLAUSE_SEP.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return tuple(out)


def clause_at(spans: list[tuple[int, int]], pos: int) -> int:
    for i, (s, e) in enumerate(spans):
        if s <= pos <= e:
            return i
    return len(spans) - 1


# --------------------------------------------------------------------------- columns

# Header words of each column, any language a note may use; the longest match wins
# ("模型大小" is a size, "模型" a name).
COLUMN_WORDS: dict[str, tuple[str, ...]] = {
    "name": ("模型名称", "模型名", "模型", "名称", "大模型", "model", "name"),
    "org": ("研发机构", "发布机构", "研发单位", "机构", "公司", "厂商", "发布方", "开发者", "开发方", "研发方",
            "出品方", "团队", "组织", "所有者", "作者", "organization", "organisation", "developer", "company",
            "vendor", "owner", "org"),
    "date": ("发布时间", "发布日期", "推出时间", "发布年份", "时间", "日期", "年份", "release", "date", "year"),
    "params": ("参数量", "参数规模", "参数数量", "参数", "模型大小", "模型规模", "规模", "size", "params",
               "parameters"),
    "license": ("是否开源", "开源/闭源", "开源情况", "开源与否", "开源", "闭源", "许可证", "许可", "license"),
    "context": ("上下文长度", "上下文窗口", "最大上下文", "上下文", "窗口长度", "窗口", "context"),
    # The model a row's model was built on: only a table of models has one (no fact of the row's).
    "base": ("基座模型", "基座", "基础模型", "底座模型", "底座", "backbone", "base model"),
    # Free text about the row's model ("开源且可商用", "号称 100B 参数"): read as prose (notes_facts).
    "notes": ("说明", "备注", "描述", "简介", "介绍", "notes", "note", "description", "remarks", "comments"),
}


# --------------------------------------------------------------------------- dates


@dataclass(frozen=True)
class DateMatch:
    value: DateValue
    start: int
    end: int
    surface: str


_DATE = re.compile(
    r"(?<![\d.])(?P<y>(?:19|20)\d{2})\s*年"
    r"(?:\s*(?P<m>1[0-2]|0?[1-9])\s*月(?:\s*(?P<d>3[01]|[12]\d|0?[1-9])\s*[日号])?"
    r"|(?P<part>初|底|末|上半年|下半年))?"
    r"(?P<approx>\s*(?:左右|前后))?"
)
_DECADE = re.compile(r"(?P<c>\d{2})\s*世纪\s*(?P<d>\d)0\s*年代(?P<approx>\s*(?:左右|前后))?")
# 2023-03-15, 2023-03; written with dots or slashes too (2024.02, 2023/08/01): a year and a month
# of two digits is a date, not a decimal number.
_ISO = re.compile(
    r"(?<![\d\-./])(?P<y>(?:19|20)\d{2})(?P<sep>[-./])(?P<m>0[1-9]|1[0-2])(?:(?P=sep)(?P<d>0[1-9]|[12]\d|3[01]))?"
    r"(?![\d\-./]?\d)"
)
# "2018.2：…发布 ELMo", "2023/3": a month of one digit after a year, where no unit follows (a
# decimal number of 亿, 元 or % is no date).
_SHORT_MONTH = re.compile(r"(?<![\d\-./])(?P<y>(?:19|20)\d{2})[./](?P<m>[1-9])(?![\d.]|\s*[万亿千百元倍%个度])")
_VERSION_BEFORE = re.compile(r"(?:版本号?|[Vv]ersion|\b[Vv])\s*$")
# "19年2月", "23 年 11 月 6 日": a year of two digits, in this century, before a month.
_SHORT_YEAR = re.compile(r"(?<![\d.])(?P<y>[0-2]\d)\s*年\s*(?P<m>1[0-2]|0?[1-9])\s*月"
                         r"(?:\s*(?P<d>3[01]|[12]\d|0?[1-9])\s*[日号])?")
_APPROX_BEFORE = re.compile(r"(?:大约|大致|约|大概)\s*(?:在|于)?\s*$")


# "2 月 21 日" with no year: a date of the year its section is about (``find_dates``'s ``year``),
# unless a word puts it in another year (去年 11 月 30 日).
_MONTH_DAY = re.compile(r"(?<![\d年./\-])(?P<m>1[0-2]|0?[1-9])\s*月\s*(?P<d>3[01]|[12]\d|0?[1-9])\s*[日号]")
# A month that opens an item of a dated list ("12 月，DeepMind 发布 Gopher"): its date, in the
# year of the list's heading. Elsewhere a bare month ("3 月的版本") may be any year's.
_MONTH_OPENS = re.compile(r"^(?P<m>1[0-2]|0?[1-9])\s*月份?(?:初|中旬|下旬|上旬|底|末)?(?=\s*[，,：:]|\s+[^\d\s])")
_OTHER_YEAR = re.compile(r"(?:去年|前年|明年|后年|次年|翌年|上一年|下一年|当年|同年)\s*(?:的)?\s*$")


def find_dates(text: str, year: int = 0) -> list[DateMatch]:
    """Calendar dates in a sentence: 2023 年 3 月 15 日, 2022 年 11 月, 2018 年左右, 2022 年底,
    20 世纪 90 年代, 2023-03-15, 2024.02, 2018.2, 19 年 2 月. A bare number (2023 中国计算机大会) is
    not a date. ``year``: the year the sentence's section is about (a heading above it says
    it: "## 第 12 期 2024.02.19–02.25", "## 2023"), which dates a month and day without one,
    and a month that opens the sentence ("12 月，DeepMind 发布 Gopher")."""
    found: list[DateMatch] = []
    for m in _DATE.finditer(text):
        approx = bool(m.group("approx")) or bool(_APPROX_BEFORE.search(text[: m.start()]))
        value = DateValue(int(m.group("y")), int(m.group("m") or 0), int(m.group("d") or 0),
                          m.group("part") or "", approx)
        found.append(DateMatch(value, m.start(), m.end(), m.group(0).strip()))
    for m in _DECADE.finditer(text):
        year = (int(m.group("c")) - 1) * 100 + int(m.group("d")) * 10
        found.append(DateMatch(DateValue(year, approx=bool(m.group("approx")), decade=True),
                               m.start(), m.end(),
                               m.group(0).strip()))
    for m in _ISO.finditer(text):
        value = DateValue(int(m.group("y")), int(m.group("m")), int(m.group("d") or 0))
        found.append(DateMatch(value, m.start(), m.end(), m.group(0)))
    for m in _SHORT_MONTH.finditer(text):
        if _VERSION_BEFORE.search(text, 0, m.start()):
            continue  # "版本号 2023.1": a version
        found.append(DateMatch(DateValue(int(m.group("y")), int(m.group("m"))), m.start(), m.end(), m.group(0)))
    for m in _SHORT_YEAR.finditer(text):
        value = DateValue(2000 + int(m.group("y")), int(m.group("m")), int(m.group("d") or 0))
        found.append(DateMatch(value, m.start(), m.end(), m.group(0).strip()))
    if year:
        for m in _MONTH_DAY.finditer(text):
            if not any(d.start <= m.start() < d.end for d in found) and not _OTHER_YEAR.search(text, 0, m.start()):
                found.append(DateMatch(DateValue(year, int(m.group("m")), int(m.group("d"))), m.start(), m.end(),
                                       m.group(0)))
        m = _MONTH_OPENS.match(text)
        if m and not any(d.start == 0 for d in found):
            found.append(DateMatch(DateValue(year, int(m.group("m"))), m.start(), m.end(), m.group(0)))
    return sorted(found, key=lambda d: d.start)


# A heading that is only a year: "2023", "## 2023 年".
_YEAR_HEADING = re.compile(r"\W*((?:19|20)\d{2})\s*年?\W*")


def year_of(heading: str) -> int:
    """The one year a heading's dates are in ("第 12 期 2024.02.19–02.25", "2023 年大事记"), else 0."""
    alone = _YEAR_HEADING.fullmatch(heading)
    if alone:
        return int(alone.group(1))
    years = {d.value.year for d in find_dates(heading) if not d.value.decade}
    return years.pop() if len(years) == 1 else 0



# --------------------------------------------------------------------------- numbers

_NUM = r"\d+(?:\.\d+)?"
_CN_UNIT = {"T": 1000.0, "万亿": 1000.0, "千亿": 100.0, "百亿": 10.0, "亿": 0.1}
_SIZE_ONE = rf"{_NUM}\s*(?:万亿|千亿|百亿|亿|[Bb](?![A-Za-z])|[MT](?![A-Za-z]))"
_SIZE_ALT = rf"\s*[（(]\s*{_SIZE_ONE}\s*[）)]"
# An MoE's size written with what one token activates ("57B-A14B", "30B-A3B"): the total counts.
_ACTIVE = r"(?:-A\d+(?:\.\d+)?[Bb](?![A-Za-z]))?"
_LIST_SEP = r"\s*(?:、|和|与|及|或|以及|/)\s*"
_RANGE_SEP = r"\s*(?:到|至|~|～|—|-)\s*"
_SIZE = re.compile(
    rf"(?P<q>(?:超过|约|大约|近|逾|多达|高达|达到了?|达)\s*)?(?P<from>从\s*)?"
    rf"(?P<body>{_SIZE_ONE}{_ACTIVE}(?:{_SIZE_ALT})?"
    rf"(?:(?P<sep>{_LIST_SEP}|{_RANGE_SEP}){_SIZE_ONE}{_ACTIVE}(?:{_SIZE_ALT})?)*)"
)
_SIZE_ONE_RE = re.compile(rf"(?<![A-Za-z\d.])(?P<n>{_NUM})\s*(?P<u>万亿|千亿|百亿|亿|[Bb]|[MT](?![A-Za-z]))")
PARAM_CUE = re.compile(r"参数|parameters?|params", re.IGNORECASE)
# A number format (FP16, BF16, INT8, NF4): how numbers are kept, never a name of a model or a term.
NUMBER_FORMAT = re.compile(r"(?:FP|BF|TF|INT|UINT|NF|FLOAT)\d{1,2}", re.I)
# Units that make a number a data or output size, not a parameter count.
_NOT_PARAMS_AFTER = re.compile(
    r"^\s*(?:个\s*)?(?:字符|token|tokens|Tokens|词元|汉字|字|单词|词|页|张|条|样本|图片|次|人|用户|"
    r"元|美元|行|篇|小时|GB|G\b|以下|以上|以内|尺寸|级别)", re.IGNORECASE)
# A later operand of a calculation written out ("2 × 32 × 4096 × 2 B = 2 GB"; "7B × 2 字节" is
# a model's size, "8 × 7B" an MoE's): after two spaced operators.
_OPERAND_BEFORE = re.compile(r"\d\s+[×*/÷]\s+[\d.]+\s+[×*/÷]\s+$")
# A size of training data, not of a model: "7000 亿语料库", "3630 亿金融数据", "数据集 3450 亿".
_DATA_AFTER = re.compile(r"^\s*(?:个\s*)?[^，。；,;\d\s]{0,4}?(?:语料|数据)")
_DATA_BEFORE = re.compile(r"(?:语料库?|数据集|数据量|训练数据)[^，。；,;\d]{0,6}$")
# What else is counted in 亿 right before the number: users, visits, money.
_COUNTED_BEFORE = re.compile(r"(?:月活|日活|用户数?|下载量|下载次数|访问量|人数|营收|收入|市值|估值|融资|投资)"
                             r"[^，。；,;\d]{0,4}$")
_CLAUSE_START = re.compile(r"[，。；,;：:！？!?]")
HEDGE = re.compile(r"猜测|推测|据说|据传|传闻|传言|爆料|未经证实|rumou?r", re.IGNORECASE)


@dataclass(frozen=True)
class SizeMatch:
    values: tuple[float, ...]  # in billions of parameters
    start: int
    end: int
    surface: str
    hedged: bool = False  # the sentence calls the number a guess (猜测/推测/据传 …)


def _billions(number: str, unit: str) -> float:
    if unit in ("B", "b"):
        return float(number)
    if unit == "M":  # 110M: millions of parameters
        return float(number) / 1000
    return float(number) * _CN_UNIT[unit]


def size_values(surface: str) -> tuple[float, ...]:
    """Sizes in billions. "1 亿（110M）" and "70 亿（7B）" are one size written twice: the
    bracket's value stands for the one before it (the more precise of the two)."""
    values: list[float] = []
    prev_end = -1
    for m in _SIZE_ONE_RE.finditer(surface):
        v = round(_billions(m.group("n"), m.group("u")), 6)
        restated = values and re.fullmatch(r"\s*[（(]\s*", surface[prev_end : m.start()]) \
            and abs(v - values[-1]) <= 0.15 * max(v, values[-1])
        prev_end = m.end()
        if restated:
            if len(m.group("n").replace(".", "")) > len(_digits(values[-1])):
                values[-1] = v
            continue
        if v not in values:
            values.append(v)
    return tuple(values)


def _digits(v: float) -> str:
    return f"{v:g}".replace(".", "").lstrip("0")


def _of_params(text: str, start: int, end: int) -> bool:
    """110M and 1.2T are sizes only in a clause about parameters (参数量从 GPT 的 110M…, 总参数量有
    1.2T), not a corpus ("800M 的 BooksCorpus 语料", "1.4T 的语料") or a context (1M 上下文)."""
    spans = clauses(text)
    cs, ce = spans[clause_at(spans, start)]
    return bool(PARAM_CUE.search(text[cs:ce])) and not _CORPUS_AFTER.match(text[end:]) \
        and not CONTEXT_CUE.search(text[cs:ce])


def find_sizes(text: str) -> list[SizeMatch]:
    """Parameter counts: 1750 亿, 540B, 8B、62B、540B, 从 7B 到 70B, 70 亿（7B）和 140 亿（14B），
    超过 1700 亿, 1.8 万亿. A number in 亿 needs 参数 in the sentence; a number followed by a
    data unit (780B 个字符, 1.4 万亿字符) or a threshold (10B 以下) is not a model size;
    a year is never a size (it has no unit)."""
    out: list[SizeMatch] = []
    has_cue = bool(PARAM_CUE.search(text))
    for m in _SIZE.finditer(text):
        if m.start("body") > 0 and re.match(r"[A-Za-z0-9.\-]", text[m.start("body") - 1]):
            continue  # part of a name such as Qwen-1.5B
        if re.search(r"[A-Z][A-Za-z0-9.\-]*[a-z][A-Za-z0-9.\-]* $", text[: m.start("body")]):
            continue  # the size of the name before it: Gemma 7B, Mistral 7B
        if _NOT_PARAMS_AFTER.match(text[m.end():]) or _data_size(text, m.start("body"), m.end()):
            continue
        if _COUNTED_BEFORE.search(text, 0, m.start("body")):
            continue  # "月活超 7 亿", "估值 20 亿": users or money, not parameters
        if _OPERAND_BEFORE.search(text[: m.start("body")]):
            continue  # a later factor of a calculation: "… × 4096 × 2 B = 2 GB" (2 bytes a value)
        body = m.group("body")
        if not has_cue and not re.search(r"\d\s*[Bb]", body):
            continue
        if re.search(r"\d[MT]", body.replace(" ", "")) and not _of_params(text, m.start(), m.end()):
            continue
        start = m.start("from") if m.group("from") else m.start("body")
        q = (m.group("q") or "").strip()
        if q and not q.startswith("达"):
            start = m.start("q")
        surface = text[start : m.end()].strip()
        hedged = bool(HEDGE.search(text[: m.start()]))
        out.append(SizeMatch(size_values(body), start, m.end(), surface, hedged))
    return out


def _data_size(text: str, start: int, end: int) -> bool:
    """A size its clause says is of data ("7000 亿语料库", "公共的数据集 3450 亿"), unless the
    clause speaks of parameters."""
    marks = list(_CLAUSE_START.finditer(text, 0, start))
    cs = marks[-1].end() if marks else 0
    after = _CLAUSE_START.search(text, end)
    clause = text[cs : after.start() if after else len(text)]
    if PARAM_CUE.search(clause):
        return False
    return bool(_DATA_AFTER.match(text[end:]) or _DATA_BEFORE.search(text[cs:start]))


# --------------------------------------------------------------------------- context length

CONTEXT_CUE = re.compile(r"上下文|下文长度|窗口|context", re.IGNORECASE)
# What else is counted in K: a vocabulary ("词表从 32K 扩到 128K", "vocab size 151K").
_VOCABULARY = re.compile(r"词表|词汇表|词汇量|vocab", re.IGNORECASE)
_CTX_K = re.compile(rf"(?<![\w.])(?P<n>{_NUM})\s*[Kk](?![A-Za-z])(?:\s*(?:个\s*)?(?:token|tokens|词元))?",
                    re.IGNORECASE)
_CTX_M = re.compile(rf"(?<![\w.])(?P<n>{_NUM})\s*M(?![A-Za-z])(?:\s*(?:个\s*)?(?:token|tokens|词元))?")
MAX_CONTEXT_M = 100
_CORPUS_AFTER = re.compile(r"\s*的?\s*[^，。；]{0,12}?(?:语料|数据|文本|tokens? 的|单词)")
_CTX_TOKENS = re.compile(r"(?<![\w.,])(?P<n>\d{1,3}(?:,\d{3})+|\d+)\s*(?:个\s*)?(?:token|tokens|词元)",
                         re.IGNORECASE)
# 3.2 万字符, 20 万字 / 20 万汉字 (how Chinese products state their window), 10 万 token
_CTX_WAN = re.compile(rf"(?<![\w.])(?P<n>{_NUM})\s*万\s*(?:个\s*)?"
                      r"(?:字符|token|tokens|词元|(?:汉|中文)?字(?![节典母幕数]))", re.IGNORECASE)
_CTX_BARE = re.compile(r"(?<![\w.,])(?P<n>\d{3,6})"
                       r"(?![\d.,]|\s*(?:年|月|日|亿|万|[A-Za-z]|个|倍|%|层|页|种|字|单词|岁))")
_BARE_WINDOW = 12


def k_tokens(n: float) -> int:
    """Tokens of a context length written in K: windows are sized in powers of two, so 4K,
    32K and 128K mean 4096, 32768 and 131072 tokens; 200K means 200000."""
    whole = int(n)
    if whole == n and whole > 0 and whole & (whole - 1) == 0:
        return whole * 1024
    return round(n * 1000)


@dataclass(frozen=True)
class ContextMatch:
    tokens: int  # normalized: 4K = 4096, 200K = 200000, 1 万 = 10000 (see k_tokens)
    start: int
    end: int
    surface: str


def find_contexts(text: str, clause_spans: list[tuple[int, int]] | None = None
                  ) -> list[ContextMatch]:
    """Context lengths: 2048, 4096, 32K, 128k, 192 K, 1M, 100K token, 9000 个 token, 3.2 万字符.

    Only in a sentence that talks about context (上下文 / 窗口 / context); a bare number
    (2048) additionally needs the cue in its own clause, close by ("支持 2048 的上下文长度")."""
    if not CONTEXT_CUE.search(text):
        return []
    spans = clause_spans or clauses(text)
    out: list[ContextMatch] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], tokens: float) -> None:
        if any(s < m.end() and m.start() < e for s, e in taken):
            return
        before = text[spans[clause_at(spans, m.start())][0] : m.start()]
        if _VOCABULARY.search(before) and not CONTEXT_CUE.search(before):
            return  # "上下文 8K，词表 128K": the size of the vocabulary
        taken.append((m.start(), m.end()))
        out.append(ContextMatch(round(tokens), m.start(), m.end(), m.group(0).strip()))

    for m in _CTX_WAN.finditer(text):
        add(m, float(m.group("n")) * 10000)
    for m in _CTX_K.finditer(text):
        add(m, k_tokens(float(m.group("n"))))
    for m in _CTX_M.finditer(text):  # 1M: a million tokens
        # "2500M 的英文维基百科语料" is a corpus; no model reads that much at once.
        if float(m.group("n")) <= MAX_CONTEXT_M and not _CORPUS_AFTER.match(text[m.end():]):
            add(m, float(m.group("n")) * 1_000_000)
    for m in _CTX_TOKENS.finditer(text):
        add(m, float(m.group("n").replace(",", "")))
    far: list[re.Match[str]] = []
    for m in _CTX_BARE.finditer(text):
        s, e = spans[clause_at(spans, m.start())]
        window = text[max(s, m.start() - _BARE_WINDOW) : min(e, m.end() + _BARE_WINDOW)]
        if CONTEXT_CUE.search(window):
            add(m, float(m.group("n")))
        else:
            far.append(m)
    # "上下文长度从 2048 提到 4096": the length a context length changes to is one too.
    for m in far:
        if any(c.end <= m.start() and _CHANGED_TO.fullmatch(text, c.end, m.start()) for c in out):
            add(m, float(m.group("n")))
    return sorted(out, key=lambda c: c.start)


# Verbs of a change from one value to another ("从 2048 提到 4096", "由 2K 扩展到 32K").
CHANGE_VERBS = r"(?:增加|提升|扩大|增长|扩展|提高|上升|降低|减少|缩小|下降|提|涨|降)"
# What lies between the two values of a change ("2048 提到 4096", "4K 扩展到 8K", "2K 到 32K").
_CHANGED_TO = re.compile(rf"\s*(?:{CHANGE_VERBS}了?)?\s*(?:到|至)了?\s*")


# --------------------------------------------------------------------------- verbs

RELEASE_VERBS = ("发布", "推出", "提出", "开源", "问世", "面世", "亮相", "上线", "开放", "公开", "放出",
                 "邀测", "内测", "公测", "更新至", "升级至", "升级为", "出现", "诞生")
EVENT_VERBS = (*RELEASE_VERBS, "召开", "引入", "融入", "始于", "起源于", "发表", "进入")
DEV_VERBS = ("开发", "研发", "发布", "推出", "开源", "提出", "打造", "训练")
RELEASE_RE = re.compile("|".join(RELEASE_VERBS))
# A release verb with no object of its own, as a headline ends: "X 发布（2 月 26 日）", "X 开源：…",
# "X 发布后".
HEADLINE_RELEASE = (r"(?:正式|首次|再次|终于)?\s*(?:发布|开源|推出|上线|亮相|问世)了?"
                    r"(?=\s*(?:$|[（(：:，,。；;！!]|后|时|之后|以来))")
EVENT_RE = re.compile("|".join(EVENT_VERBS))
DEV_RE = re.compile("|".join(DEV_VERBS).replace("训练", "(?<!预)训练"))
# Verbs whose object is the date itself ("研究始于 20 世纪 90 年代").
DATE_OBJECT_VERB = re.compile(r"(?:始于|起源于|诞生于|出现于|发布于|推出于)\s*$")
# What a release may be called besides a model: an assistant or chatbot someone released
# ("Kimi 是月之暗面在 2023 年 10 月推出的智能助手") is that organization's model product.
PRODUCT_NOUN = r"助手|聊天机器人|对话机器人|(?i:chatbot)"
# Open weights are how most open models are released: 开放权重 reads as 开源.
OPEN_WEIGHTS = r"开放权重|权重开放|开源权重|权重开源|开放模型权重|(?i:open[- ]weights?)"


# Open or closed: every way the notes say it, in one place. In a table cell or a heading any
# of these words; in running text only 开源/闭源/open weights that are not negated and not an
# adjective of something else ("开源社区").
_CLOSED_WORDS = r"闭源|未开源|不开源|非开源|未公开源代码|专有|(?i:closed[- ]?source|proprietary|closed)"
_OPEN_WORDS = rf"开源|{OPEN_WEIGHTS}|(?i:open[- ]?source)"
CLOSED_WORD = re.compile(_CLOSED_WORDS)
OPEN_WORD = re.compile(_OPEN_WORDS)
LICENSE_WORD = re.compile(rf"{_CLOSED_WORDS}|{_OPEN_WORDS}")
NOT_A_LICENSE = "社区|界|生态|软件|世界|领域|运动|精神|爱好者|平台|框架|工具"
# Open licenses a note names (Apache 2.0, MIT, RAIL 许可): the weights are released under one.
OPEN_LICENSE_NAMES = r"Apache|MIT|BSD|GPL|LGPL|RAIL|OpenRAIL|CC[- ]BY"
LICENSE_IN_TEXT = re.compile(rf"(?<![未不非])(开源|闭源|{OPEN_WEIGHTS})(?!代码|数据|{NOT_A_LICENSE})")


def license_value(word: str) -> str:
    """开源 or 闭源 for a license word a note uses (开源, 闭源, 未开源, 专有, 开放权重, open weights)."""
    return "闭源" if CLOSED_WORD.search(word) else "开源"


def heading_license(title: str) -> re.Match[str] | None:
    """The license word of a heading (闭源模型, 开源 LLM), closed first (未开源 holds 开源)."""
    return CLOSED_WORD.search(title) or OPEN_WORD.search(title)


# What joins a clause to the one before and is no part of what the clause is about: "并且 Google
# 开源了", "而 IDF 是逆文档频率".
CONNECTIVE = re.compile(r"^(?:并且|而且|同时|此外|另外|其中|随后|之后|后来|首先|其次|最后|因此|所以|但是|"
                        r"不过|然而|可是|但|并|且|而|则)\s*")

# "Gemini 1.5 Pro（Google，2 月 15 日）": who released a name and when, in a bracket right after it.
MAKER_AND_DATE = re.compile(r"\s*[（(](?P<org>[^，,、（）()]{1,20})[，,、]\s*[^（）()]{0,12}?"
                            r"(?:\d{4}\s*年|\d{4}[-./]\d{1,2}|\d{1,2}\s*月)[^（）()]{0,12}[）)]")

# Words that refer back to the model last talked about.
PRONOUN = re.compile(r"它(?!们)|(?<![尤极])其(?![中他它实次余])|该模型|该系列|这个模型|此模型|这一模型")
PRONOUN_START = re.compile(r"^\s*(?:而|但|并且?|同时|此外)?\s*"
                           r"(?:它(?!们)|其(?![中他它实次余])|该模型|该系列|这个模型|此模型)")
