"""Facts about models, read sentence by sentence and tied to the model they describe.

A value is tied to a model by the closest rule that applies: a value written into the
name (Qwen-7B), a bracket right after the name (GPT-3（1750 亿参数）), "N 参数的 X" /
"X 的 N 参数", the release verb's object or subject for a date (Google 发布了 PaLM 2;
最早的 Claude 于…发布), the nearest model named before it in its clause, a pronoun
(它/其/该模型) meaning the model the paragraph is about, the sentence's subject, and — for a
sentence that names no model at all — the model its note or section is about (subjects.py:
"模型训练时的上下文长度为 8K" in a note titled "Mistral 7B 论文解读"). A name in 基于 X,
在 X 的基础上, 比 X, X 的 N 倍 is never the one a loose value belongs to.

A date is a release date when a release verb governs it: "X 于 2023 年 4 月发布",
"Y 在 2023 年 12 月发布了 X", "X 是 Y 在 2024 年 5 月开源的…模型" (the relative clause
describes X itself); "用户在 2023 年 9 月发现…" is no release.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..models import CATALOG_TOPIC, Evidence, Fact, Sentence
from ..names import paren_before
from ..text import ANON_RELEASE
from .orgs import BY, DATE_WORDS, FIRST_MODEL, IS_BY, MAKER_LEADS, RECORD_MAKER, Orgs, clean_orgs
from .patterns import (
    CHANGE_VERBS,
    COLUMN_WORDS,
    CONNECTIVE,
    DATE_OBJECT_VERB,
    DEV_RE,
    LICENSE_IN_TEXT,
    MAKER_AND_DATE,
    NOT_A_LICENSE,
    OPEN_LICENSE_NAMES,
    OPEN_WEIGHTS,
    PRODUCT_NOUN,
    PRONOUN,
    PRONOUN_START,
    RELEASE_RE,
    DateMatch,
    clause_at,
    clauses,
    find_contexts,
    find_dates,
    find_sizes,
    k_tokens,
    license_value,
    size_values,
)
from .registry import (
    _BETWEEN_VERB,
    _LABEL_END,
    _RELEASED_AFTER,
    _TAIL_NOT_MODEL,
    Mention,
    Registry,
    defined_after,
    definitions,
    enumeration_groups,
    later_definition,
)
from .subjects import NoteSubjects, NoteYears

_MASK = "\ue000"
_LEAD_ADVERBIAL = re.compile(
    r"^\s*(?:其中|并且?|而|随后|同时|此外|另外)?\s*(?:大约|大致|约)?\s*(?:在|于|自|从|截止|截至|到了?)?\s*$")
_ADVERBS = re.compile(r"(?:也|还|进一步|首先|同时|联合|迅速|正式|率先|已经|再次|又|都|共同|先后|相继)+\s*$")
_DATE_PREFIX = re.compile(r"^\s*(?:自|在|于|从)?\s*(?:(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?)?\s*")
_CLEAN_SUBJECT = re.compile(r"^[A-Za-z\u4e00-\u9fff][A-Za-z\u4e00-\u9fff ]{1,11}$")
# A mixture of experts' active parameters: "激活的参数", "每个 token 实际只用到 12.9B".
# "而不是 13B", "并非 56B": what follows is denied.
_DENIED = re.compile(r"(?:不是|并非|而非)\s*(?:约|大约)?\s*$")
_ACTIVE = re.compile(r"激活(?!函数)|每个\s*(?:token|词元)", re.I)
# A version still being trained or not yet out ("400B 的版本仍在训练中"): its size is no released
# model's.
_UNRELEASED = re.compile(r"(?:仍|还|正|尚)在训练|尚未(?:发布|开放|公开)|还未(?:发布|开放|公开)|即将(?:发布|开放)")
_BUT_IT = re.compile(r"^\s*(?:但|不过|然而|只是)")
_IT = re.compile(r"^\s*(?:其|它的?|该模型的?)")
_OPEN_VERB = re.compile(rf"开源了?(?!代码|地址|数据|模型|项目|序列|可商用|协议|许可|{NOT_A_LICENSE})")
_NEGATED = re.compile(r"(?:未|不|没有?|并非|无法)\s*(?:直接|完全|全部|正式|立即|马上|再|会|能)?\s*$")
_OPEN_LINK = re.compile(r"^\s*(?:开源地址|开源项目|已开源)")
# "X 的模型权重、训练代码和训练数据全部开源": the clause about X ends by saying it is open.
_OPEN_TAIL = re.compile(r"^[^，。；]{0,30}?(?:全部|完全|均|都|已经?|也|正式)?(?<![未不非没])(开源|闭源)了?\s*$")
_OPEN_APPOS = re.compile(rf"(?<![未不非])(开源|闭源|{OPEN_WEIGHTS})[^，。；]{{0,8}}模型\s*(?:——|—)?\s*$")
_SUMMARY_VERB = re.compile(r"^\s*(?:采用了?|使用了?|支持|拥有|具有|能够|可以|注重|将|引入了?|实现了?)")
_NEXT_VERB = re.compile(r"^\s*(?:它\s*)?(?:采用了?|使用了?|支持|拥有|具有|能够|可以|将|在[^，。；]{0,6}上)")
_SUMMARY_LEAD = re.compile(r"^(?:一个|一种|一组|一款|一系列)")
_SUBORDINATE = re.compile(r"(?:的同时|同时|之时|的时候|之后|以后|之前|以前)$")
_VERSION_OBJECT = re.compile(r"^(?:了|的)?\s*(?:[\dVv][\d.]*\s*版(?:本)?)?\s*$")
# "X 是 Y 在 2024 年 5 月开源的混合专家语言模型": what was released is what X is.
_MODEL_OBJECT = re.compile(rf"^的[^，。；]{{0,24}}?(?:模型|LLM|版本|{PRODUCT_NOUN})(?:系列|家族)?$")
_COPULA = re.compile(r"是(?!否|指)")
# What may stand before the date of a sentence that names no model for the date to be the
# note's model's release: nothing, an adverbial, the model itself, its makers.
_ANON_HEAD = re.compile(r"^\s*(?:其中|并且?|而|随后|同时|此外|另外|最终|最后|最早)?\s*"
                        r"(?:(?:该|本|这个|此)?模型|官方|团队|公司|它|其)?\s*"
                        r"(?:大约|大致|约)?\s*(?:在|于|自|从)?\s*$")
SUMMARY_MAX = 48
# A sentence about a table or figure of the note: its dates are the table's range, no event.
_POINTS_AT = re.compile(r"^\W{0,3}(?:如|见)?(?:下|上)(?:表|图|面的表格)")
# A size that names an unnamed model of its own ("70B 模型则战胜了…", "…即可匹配 67B Dense 模型
# 的性能"), at the start of its clause or as what something is compared with.
# "…胜过 175B 原始模型": a size before a model noun, with at most a short word between.
_ANONYMOUS = re.compile(r"\s*(?:参数)?\s*的?\s*(?:[A-Za-z]+\s*|稠密|密集|原始|原版|基础|基座|同等规模的?|同规模的?)?"
                        r"(?:模型|版本|LLMs?(?![A-Za-z]))")
_COMPARING = r"匹配|比肩|相当于|接近|逼近|追平|优于|超过了?|媲美|对标|击败了?|超越了?|胜过|打败了?"
_COMPARED = re.compile(rf"(?:{_COMPARING}|(?:和|跟|与|同)\s*(?:一个|一款)?)\s*$")  # "…和一个 13B 的稠密模型差不多"
# How well something works, then a comparison: "效果又接近 70B", "性能比肩 70B": the size is
# that of the models it is compared with.
_PERFORMANCE_COMPARED = re.compile(rf"(?:效果|性能|表现|水平|成绩|得分)[^，。；,;]{{0,6}}?(?:{_COMPARING})\s*$")
# A clause of a table row's 说明 cell that only says open or closed ("开源且可商用"), not of a
# model it goes on to name ("开源 7B 模型…").
# A clause of a record of one release that only says open or closed, or names the open license
# it is released under ("2023 年 8 月开源", "Apache 2.0 开源", "Apache 2.0 协议开源权重").
_RECORD_LICENSE = re.compile(rf"\s*(?:{DATE_WORDS}\s*)?(?:(?:{OPEN_LICENSE_NAMES})[^，,；;。]{{0,12}}?)?"
                             r"(?:已经?|完全|全部|均)?\s*(开源|闭源)(?![^，,；;。]*模型)")
_BARE_LICENSE = re.compile(r"\s*(?:已经?|完全|全部|均)?\s*(开源|闭源)(?![^，,；;。]*模型)")
# A clause of such a cell that only names an open license ("Apache 2.0，滑动窗口注意力").
_BARE_LICENSE_NAME = re.compile(rf"\s*((?:{OPEN_LICENSE_NAMES})(?:[- ]?v?\d+(?:\.\d+)?)?"
                                r"(?:[- ][A-Za-z]+)?(?:\s*(?:协议|许可证?|[Ll]icense))?)\s*[，,；;。]?\s*$")
# A size, then 模型 and a Latin name: the name is what has that size.
_SIZE_THEN_NAME = re.compile(r"\s*(?:参数)?\s*的?\s*[\u4e00-\u9fff]{0,4}?(?:模型|版本)\s*(?=[A-Za-z])")
# A Latin name right after "<size> 的": what the size is of, whether it has a row or not; not a
# role of the clause's own model ("7B、13B 的 Base 和 Chat 版本").
_OTHER_NAME_AFTER = re.compile(r"(?!(?i:base|chat|instruct|sft|large|small|tiny|xl|xxl)(?![A-Za-z0-9]))"
                               r"[A-Za-z][A-Za-z0-9.\-]*")
# A Latin name right before a bracket: what the bracket's size is of, when it is no model.
_OTHER_NAME = re.compile(r"[A-Za-z][A-Za-z0-9.\-]*\s*$")
# A value the clause supposes, and a change from one value to another.
_SUPPOSED = re.compile(r"对于|假设|假如|如果|若是?|比如|例如")
# "用该项目训练 650 亿参数量的大模型", "在 7B 规模大小的旧模型上微调": the size of an unnamed model
# the clause works on (trains, tunes, uses), not of the clause's subject; "X 是 120 亿参数的语言
# 模型" and "X 发布了 70 亿参数的模型" say the subject's.
# "例如，一个 130 亿参数的类 ChatGPT 模型…" is about some model too.
_SOME_MODEL_AFTER = re.compile(r"[^，。；]{0,8}?(?:参数量?|规模(?:大小)?)\s*的\s*[^，。；的]{0,12}?模型")
_DESCRIBES_SUBJECT = re.compile(r"是(?!否)|(?:具有|拥有|包含)\s*$")  # "X 是基于 GLM 开发的具有 62 亿参数量的…"
_WORKS_ON = re.compile(r"(?:训练|微调|在|用|使用|基于|对)(?:(?!是|为|发布|推出|开源|发表)[^，。；]){0,16}$"
                       r"|(?:^|[^是为])\s*(?:一个|一款|某个|某款)\s*$")
_CHANGES = rf"{CHANGE_VERBS}到"
# A bracket right after a name, and the organizations it may list ("（清华、智谱）").
_MAKER_BRACKET = re.compile(r"\s*[（(]([^（）()]{1,30})[）)]")
_ORG_LIST = re.compile(r"\s*(?:[，,、/&＆]|和|与)\s*")
# "上下文长度从 2048 提到 4096": the value a change starts from (the earlier model's).
_CHANGED_FROM = re.compile(r"(?:从|由)\s*$")
_CHANGE_FOLLOWS = re.compile(rf"[^，。；]{{0,12}}?(?:{_CHANGES}|到)")
_CHANGE_VERB = re.compile(_CHANGES)
_CHANGE = re.compile(rf"(?:从|由)[^，。；]{{0,30}}?{_CHANGES}了?\s*(?:约|近|超过)?\s*$")
# What a 要点 cannot be: a modifier with nothing after it (…驱动的), a question.
_NO_SUMMARY = re.compile(r"的$|怎么|什么|如何|为什么|哪些|[吗呢]$")
# A pronoun that points back at something said before the clause ("是其两倍", "比它更快").
_LEANS_ON = re.compile(r"其(?![中他它余实次间后前])|[它其](?:的|们)?(?:两|三|几|一半|更|还)")
# What a release verb's object is when the note's own model is what was released: nothing,
# the date, or the model itself ("于 2024 年 6 月发布", "推出了该模型的第二版").
_ANON_OBJECT = re.compile(r"^\s*(?:了|的|于|在|时|之后|以来)?\s*(?:[\d年月日号\s]*)?(?:该|这个|这款|此|其)?\s*"
                          r"(?:[\u4e00-\u9fff]{0,8}?(?:模型|版本|系列)|第[一二三四五六七八九十\d]+版)?\s*[。！!]?\s*$")
# What a release verb's object is when it names something (no catalogued model): a Latin
# name, a title in 《》 or quotes.
_NAMED_OBJECT = re.compile(r"^\s*(?:了|的|出了?)?\s*(?:一款|一个|一篇)?\s*(?:论文|文章)?\s*"
                           r"(?:[《“「\"]|(?!(?i:api|sdk|demo)(?![A-Za-z]))[A-Za-z])"  # 公开了 API: the model's
                           r"|^[^，。；;]*?(?:论文|文章|报告|算法)")
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff]) +(?=[\u3400-\u9fff])")
# A sentence about the model's weights or code being released, or its open license.
_WEIGHTS_RELEASED = re.compile(
    r"^\W{0,3}(?:该?模型的?|它的?|其)?\s*(?:模型)?(?:权重|代码和权重|权重和代码)[^，。；]{0,16}?"
    r"(?:(?P<verb>开源|闭源)|(?P<license>(?:MIT|Apache[- ]?2\.0|BSD|GPL)\s*(?:协议|许可证?|授权|license))"
    r"(?:.{0,4}?(?P<then>开源|闭源))?)", re.I)
# A name that says it is an organization (…实验室, …公司, …研究院), at most a few words.
_ORG_NAMED = re.compile(r"[\w\u4e00-\u9fff ]{1,12}(?:公司|实验室|研究院|研究所|研究中心|团队|大学|集团|科技|智能)")


# A size that describes what the clause is about: "314B 参数的 MoE 模型".
_DESCRIBED_AS = re.compile(r"\s*(?:个)?\s*参数量?\s*的\s*[^，。；]{0,12}?模型")
# The rules that tie a value to a name by the words around it (Qwen-7B, X（70 亿参数）, 7B 模型 X,
# 开源的 X), not by where the name stands in its sentence or note.
_BOUND = frozenset(("name", "bracket", "sized", "of", "apposition", "definition", "predicate"))


# The heading of a model's record that names its release date ("时间", "发布时间"), as a table's column.
_DATE_FIELD = re.compile("|".join(map(re.escape, COLUMN_WORDS["date"])), re.I)


@dataclass
class _Ctx:
    s: Sentence
    ms: list[Mention]
    spans: list[tuple[int, int]]
    focus: str | None
    note: str | None = None  # the note's model, for a sentence that names none
    subject: str | None = None
    subject_at: int = -1
    label: str = ""  # the heading of the section whose text the sentence is ("时间" in a model's record)
    facts: list[Fact] = field(default_factory=list)
    record: Mention | None = None  # the model a record of one release is about (FactReader._record_subject)
    record_read: bool = False

    @property
    def text(self) -> str:
        return self.s.text


def _variant_named(ctx: _Ctx, model: str, at: int) -> str:
    """The variant of the row a size at ``at`` is said of ("BERT-large 有 16 个注意头，总共 355M
    个参数" on BERT's row): the row's closest mention before the value (else after it), when it
    is written with a role suffix (-base, -large, -Chat) and no size of its own."""
    near = [m for m in ctx.ms if m.group == model]
    if not near:
        return ""
    return min(near, key=lambda m: (m.start > at, abs(at - m.start))).variant


class FactReader:
    def __init__(self, registry: Registry, orgs: Orgs, subjects: NoteSubjects | None = None,
                 years: NoteYears | None = None) -> None:
        self.reg = registry
        self.orgs = orgs
        self.subjects = subjects
        self.years = years  # the year each sentence's section is about (dates "2 月 21 日")
        # (sentence order, date start) → model the dated event is about (timeline subjects)
        self.event_subject: dict[tuple[int, int], str] = {}

    def read(self, sentences: list[Sentence]) -> list[Fact]:
        facts: list[Fact] = []
        block, focus = -1, None
        labels: dict[object, str] = {}  # section → its heading
        for s in sentences:
            if s.heading:
                labels[s.place] = s.text
                if s.node == CATALOG_TOPIC and not s.intro:
                    # A model's heading that says who made it ("Mistral Large（Mistral AI）").
                    ctx = _Ctx(s, self.reg.mentions(s.text), clauses(s.text), None)
                    self._orgs(ctx)
                    facts.extend(ctx.facts)
                continue
            if s.block != block:
                block, focus = s.block, self.entry_subject(s)
            ctx = _Ctx(s, self.reg.mentions(s.text), clauses(s.text), focus, label=labels.get(s.place, ""))
            self._subject(ctx)
            if self.subjects is not None and not ctx.ms and not self.reg.opens_with_a_name(s.text):
                note = self.subjects.of(s)
                if note and focus in (None, note):  # the paragraph is not about another model
                    ctx.note = note
            if not (ctx.ms or ctx.note or ctx.focus):
                continue  # no model it could say anything of (most sentences): no rule can attach
            for rule in FACT_RULES.values():
                rule(self, ctx)
            facts.extend(ctx.facts)
            if ctx.subject:
                focus = ctx.subject
        return facts

    def read_cell(self, s: Sentence, start: int, end: int, model: str) -> list[Fact]:
        """What the free text of a table row (``s.text[start:end]``, its 说明 cell) says of the
        row's model: the row is about it, so a clause that names no other model as what it
        is about says it of that model ("基于 Qwen-7B，开源"). Its own facts, and what the cell
        ties to another model it names by the words around that name ("开源多模态 7B 模型 X")."""
        ctx = _Ctx(s, self.reg.mentions(s.text), clauses(s.text), model, note=model)
        self._subject(ctx)
        for name in CELL_RULES:
            FACT_RULES[name](self, ctx)
        # "2023 年 11 月": a cell that is a date and nothing more dates the row's model, as a
        # date column would.
        dates = find_dates(s.text[start:end])
        if len(dates) == 1 and not s.text[start:end].replace(dates[0].surface, "").strip(" ，,。.（）()"):
            d = dates[0]
            self._add(ctx, model, "date", d.surface, start + d.start, start + d.end, d.value, how="cell")
        # "开源且可商用", "已开源": a clause with no subject of its own is the row model's.
        for cs, ce in ctx.spans:
            cs = max(cs, start)
            bare = (_BARE_LICENSE.match(ctx.text, cs, ce) or _BARE_LICENSE_NAME.match(ctx.text, cs, min(ce, end))) \
                if cs < min(ce, end) else None
            if bare and not any(cs <= m.start < ce and m.eligible and not m.skip for m in ctx.ms):
                self._add(ctx, model, "license", bare.group(1), bare.start(1), bare.end(1),
                          license_value(bare.group(1)), how="cell")
        named = {m.group for m in ctx.ms if start <= m.start < end}
        return [f for f in ctx.facts if start <= f.evidence.start < end
                and (f.model == model or (f.model in named and f.how in _BOUND))]

    def entry_subject(self, s: Sentence) -> str | None:
        if s.node != CATALOG_TOPIC:
            return None
        return self.reg.title_group(s.place.section_title)

    # ------------------------------------------------------------------ helpers

    def _subject(self, ctx: _Ctx) -> None:
        if PRONOUN_START.match(ctx.text) and ctx.focus:
            ctx.subject, ctx.subject_at = ctx.focus, 0
            return
        for m in ctx.ms:
            if m.eligible and not m.skip and not self._changed_from(ctx, m):
                ctx.subject, ctx.subject_at = m.group, m.start
                return

    @staticmethod
    def _changed_from(ctx: _Ctx, m: Mention) -> bool:
        """"由 ChatGLM-6B 的 2K 扩展到了 32K": the model a change starts from is not what the
        sentence goes on about."""
        cs, ce = ctx.spans[clause_at(ctx.spans, m.start)]
        return bool(re.search(r"(?:从|由)\s*$", ctx.text[cs : m.start])) and \
            bool(_CHANGE_VERB.search(ctx.text, m.end, ce))

    def _add(self, ctx: _Ctx, model: str, field_: str, text: str, start: int, end: int,
             value: object = None, hedged: bool = False, rank: int = 0, how: str = "", named: str = "") -> None:
        if field_ == "params" and how != "name":
            named = _variant_named(ctx, model, start)
        elif field_ == "date" and not named:
            # "- **Qwen-14B**：阿里云，2023 年 9 月开源": a record of one sized variant dates that variant.
            head = self._record_subject(ctx)
            named = head.surface.strip() if head is not None and head.group == model and head.sizes else ""
        ctx.facts.append(Fact(model, field_, text, Evidence(ctx.s, start, end), value, hedged,
                              rank, how, named))

    @staticmethod
    def _variant_apart(ctx: _Ctx, m: Mention) -> bool:
        """A sized variant named beside its family ("并未直接开源 GLM-4，而是开源了其轻量级版本
        GLM-4-9B"): what the sentence says of the variant is not the family row's."""
        return bool(m.sizes) and any(o.group == m.group and not o.sizes and o.start < m.start for o in ctx.ms)

    def _masked(self, ctx: _Ctx) -> str:
        chars = list(ctx.text)
        for m in ctx.ms:
            chars[m.start : m.end] = _MASK * (m.end - m.start)
        return "".join(chars)

    def _loose(self, ctx: _Ctx, start: int, end: int) -> tuple[list[str], str]:
        """The model(s) a value at [start, end) belongs to, by the rules in the module doc."""
        text, ms = ctx.text, ctx.ms
        p = paren_before(text, start)
        if p is not None:
            m = next((m for m in ms if text[m.end : p].strip(" *") == "" and m.end <= p), None)
            if m and not m.skip:
                return [m.group], "bracket"
            if m is None and _OTHER_NAME.search(text[:p]) and not any(p < o.start < start for o in ms):
                return [], "bracket"  # "开源的 SkyPile（150B）": a data set's, not a model's
        # "X 开源（3 月 17 日）：314B 参数的 MoE 模型": what a record of one release goes on to
        # describe, in a clause that names no model, is X.
        head = self._record_subject(ctx) if _DESCRIBED_AS.match(text, end) else None
        if head is not None:
            cs, ce = ctx.spans[clause_at(ctx.spans, start)]
            if head.end <= cs and not any(cs <= m.start < ce and m.eligible and not m.skip for m in ms):
                return [head.group], "record"
        # "具有 175B 参数的 GPT-3", "175B 的 GPT-3": the size of the name after 的.
        sized = re.match(r"\s*(?:个)?\s*(?:参数量?)?\s*的\s*", text[end:])
        if sized:
            m = next((m for m in ms if m.start == end + sized.end()), None)
            if m:
                cs, _ce = ctx.spans[clause_at(ctx.spans, start)]
                if _SUPPOSED.search(text[cs:start]):
                    return [], "supposed"  # "对于 100B 参数量的 GPT 模型": a model supposed
                return [m.group], "sized"
            if _OTHER_NAME_AFTER.match(text, end + sized.end()):
                return [], "sized"  # "超过 175B 的 GPT-3" where GPT-3 has no row: its size, not ours
        # "开源多模态 7B 模型 BuboGPT": the size of the name after 模型, model or not.
        named = _SIZE_THEN_NAME.match(text, end)
        if named:
            m = next((m for m in ms if m.start == named.end()), None)
            return ([m.group], "sized") if m and not m.skip else ([], "named-after")
        of = re.search(r"的\s*$", text[:start])
        if of:
            m = next((m for m in ms if m.end <= of.start() and text[m.end : of.start()].strip() == ""), None)
            if m and not m.skip:
                return [m.group], "of"
        cs, ce = ctx.spans[clause_at(ctx.spans, start)]
        if _CHANGED_FROM.search(text[cs:start]) and _CHANGE_FOLLOWS.match(text, end, ce):
            return [], "changed-from"
        change = _CHANGE.search(text[cs:start])
        if change:
            # "参数量从 GPT 的 110M 增加到了 1.5B": the new size is not the old model's; it is
            # the sentence's subject's when that is named before the change ("GPT-2 来了").
            start_of_change = cs + change.start()
            if ctx.subject and ctx.subject_at < start_of_change and \
                    not any(start_of_change <= m.start < start and m.group == ctx.subject for m in ms):
                return [ctx.subject], "change"
            return [], "change"
        if _ANONYMOUS.match(text, end) and _COMPARED.search(text[cs:start]):
            return [], "anonymous"  # "X 即可匹配 67B Dense 模型的性能": what X is compared with
        if _SOME_MODEL_AFTER.match(text, end) and _WORKS_ON.search(text[cs:start]) and \
                not _DESCRIBES_SUBJECT.search(text[cs:start]):
            return [], "worked-on"
        before = [m for m in ms if cs <= m.start and m.end <= start and m.eligible and not m.skip]
        if before and self._variant_apart(ctx, before[-1]):
            return [], "variant"
        if before:
            if re.search(r"均|都", text[before[-1].end : start]):
                group = next(g for g in enumeration_groups(text, ms) if before[-1] in g)
                return list(dict.fromkeys(m.group for m in group if not m.skip)), "each"
            return [before[-1].group], "clause"
        if any(m.end <= start and self._variant_apart(ctx, m) for m in ms):
            return [], "variant"  # "…开源了其轻量级版本 X-9B，上下文长度为 8K": the variant's
        if _ANONYMOUS.match(text, end) and not CONNECTIVE.sub("", text[cs:start].strip()).strip():
            return [], "anonymous"  # "…超越了 Gemma 7B，70B 模型则…": a model of its own
        referent = self._referent(ctx, cs)
        if referent:
            return [referent], "pronoun"
        if PRONOUN.search(text[cs:start]) and ctx.focus:
            return [ctx.focus], "pronoun"
        if ctx.subject and ctx.subject_at < start:
            return [ctx.subject], "subject"
        if ctx.focus and ctx.s.node == CATALOG_TOPIC and not any(m.eligible and not m.skip
                                                                  for m in ms):
            return [ctx.focus], "focus"
        if ctx.note:
            return [ctx.note], "note"
        return [], ""

    def _referent(self, ctx: _Ctx, cs: int) -> str | None:
        """"…展示了 BloombergGPT，它由…训练，参数为 500 亿": from a clause that opens with 它 on,
        the sentence is about the model named just before that clause, not about its subject."""
        for ps, _pe in reversed(ctx.spans[: clause_at(ctx.spans, cs) + 1]):
            if ps <= ctx.subject_at:
                return None
            if PRONOUN_START.match(ctx.text[ps:]):
                prior = [m for m in ctx.ms if m.end <= ps and m.eligible and not m.skip]
                return prior[-1].group if prior and prior[-1].group != ctx.subject else None
        return None

    # ------------------------------------------------------------------ fields

    def _names(self, ctx: _Ctx) -> None:
        for m in ctx.ms:
            if m.sizes:
                surface = "、".join(m.sizes)
                offset = ctx.text.find(m.sizes[0], m.start)
                # The size is that of the name's variant (LLaMA-13B on LLaMA's row), not the family's.
                self._add(ctx, m.group, "params", surface, offset, offset + len(m.sizes[0]),
                          size_values(" ".join(m.sizes)), rank=1, how="name", named=m.surface.strip())
            if m.context and self.reg.find(m.key) == m.group:
                offset = ctx.text.find(m.context[:-1], m.start)
                self._add(ctx, m.group, "context", m.context, offset, m.end,
                          k_tokens(float(m.context[:-1])), how="name")

    @staticmethod
    def _unreleased(ctx: _Ctx, at: int) -> bool:
        """Whether the clause at ``at`` says its version is still being trained or not out yet —
        itself ("400B 的版本仍在训练中"), the clause after it that turns to it ("…400B 个参数，但该
        模型仍在训练中") or the one before that it refers back to ("仍在训练中，其参数超过 400B")."""
        i = clause_at(ctx.spans, at)
        cs, ce = ctx.spans[i]
        if _UNRELEASED.search(ctx.text[cs:ce]):
            return True
        if i + 1 < len(ctx.spans):
            ns, ne = ctx.spans[i + 1]
            if _BUT_IT.match(ctx.text[ns:ne]) and _UNRELEASED.search(ctx.text[ns:ne]):
                return True
        if i > 0 and _IT.match(ctx.text[cs:ce]):
            ps, pe = ctx.spans[i - 1]
            return _UNRELEASED.search(ctx.text[ps:pe]) is not None
        return False

    def _sizes(self, ctx: _Ctx) -> None:
        for size in find_sizes(self._masked(ctx)):
            cs, _ = ctx.spans[clause_at(ctx.spans, size.start)]
            if _ACTIVE.search(ctx.text[cs : size.start]):
                continue  # "每个 token 实际激活的参数约 210 亿": not the model's size
            if _DENIED.search(ctx.text[cs : size.start]):
                continue  # "要按 47B 准备显存，而不是 13B": a size the sentence denies
            if self._unreleased(ctx, size.start):
                continue  # "更大的 400B 版本仍在训练中": no released model's size
            hedge = re.match(r"\D*", size.surface).group()  # 接近 's 近, read as "about"
            if _PERFORMANCE_COMPARED.search(ctx.text[cs : size.start] + hedge):
                continue  # "效果又接近 70B": the size of what it is compared with
            models, how = self._loose(ctx, size.start, size.end)
            surface = ctx.text[size.start : size.end]
            for model in models:
                self._add(ctx, model, "params", surface, size.start, size.end, size.values,
                          size.hedged, how=how)

    def _contexts(self, ctx: _Ctx) -> None:
        for c in find_contexts(self._masked(ctx), ctx.spans):
            models, how = self._loose(ctx, c.start, c.end)
            for model in models:
                self._add(ctx, model, "context", ctx.text[c.start : c.end], c.start, c.end,
                          c.tokens, how=how)

    def year_of(self, s: Sentence) -> int:
        return self.years.of(s) if self.years is not None else 0

    def _dates(self, ctx: _Ctx) -> None:
        text, ms, spans = ctx.text, ctx.ms, ctx.spans
        for d in find_dates(text, self.year_of(ctx.s)):
            verb = event_verb(text, spans, d, RELEASE_RE)
            record = ctx.focus or ctx.note
            if verb is None and record and _DATE_FIELD.fullmatch(ctx.label.strip()) \
                    and not text[: d.start].strip() and not text[d.end :].strip(" 。.；;"):
                # A model's record: "时间" over "2024.02" under "Qwen 1.5", as a table's 发布时间 cell.
                self._add(ctx, record, "date", d.surface, d.start, d.end, d.value, how="field")
                continue
            if verb is None:
                continue
            vs, ve = spans[clause_at(spans, verb.start())]
            objects = [m for m in ms if verb.end() <= m.start < ve and m.eligible and not m.skip]
            model, how, named = None, "", -1
            ds, _ = spans[clause_at(spans, d.start)]
            if objects:
                model, how = objects[0].group, "object"
            elif _NAMED_OBJECT.match(text[verb.end() : ve]):
                pass  # "2011 年，苹果公司推出了 Siri", "发表的《Attention is All You Need》": not the note's model
            else:
                prior = [m for m in ms if (ds <= m.start < d.start or vs <= m.start < verb.start())
                         and m.eligible and not m.skip]
                if prior:
                    model, how, named = prior[-1].group, "subject", prior[-1].end
                elif PRONOUN.search(text[ds : d.start] + text[vs : verb.start()]) and ctx.focus:
                    model, how = ctx.focus, "pronoun"
                elif ctx.subject and ctx.subject_at < verb.start():
                    model, how = ctx.subject, "sentence"
                elif ctx.note and _ANON_HEAD.match(self._date_head(text[ds : d.start])) \
                        and _ANON_OBJECT.match(text[verb.end() : ve]):
                    model, how = ctx.note, "note"
            if model is None:
                continue
            self.event_subject[(ctx.s.order, d.start)] = model
            obj = text[verb.end() : ve]
            if verb.end() <= d.start < ve:  # 发布于 2024 年 6 月: the date is the object
                obj = text[verb.end() : d.start].replace("于", "", 1) + text[d.end : ve]
            obj = re.sub(r"[（(][^）)]*[）)]", "", obj)  # the date itself
            obj = re.sub(r"^\s*(?:之前|之后|以后|以前|时)", "", obj).strip(" 。！？!?.；;")
            described = named >= 0 and _MODEL_OBJECT.match(obj) and \
                _COPULA.search(text[named : d.start])
            # "微软 2024 年 4 月开源的小模型，…" under the model's heading: a fragment that
            # describes the note's model by its release.
            fragment = how == "note" and bool(ANON_RELEASE.match(text)) and _MODEL_OBJECT.match(obj)
            if not objects and obj and not _VERSION_OBJECT.match(obj) and not described and not fragment:
                continue  # 公开了 API: a release of something else
            self._add(ctx, model, "date", d.surface, d.start, d.end, d.value, how=how)

    def _date_head(self, head: str) -> str:
        """What a clause says before its date, its organization left out: "Meta 于" → "于",
        "法国初创公司 Mistral AI 在" → "在"."""
        lead = self.orgs.leading(head)
        if lead:  # and its other name in brackets: 微软（Microsoft）
            return re.sub(r"^\s*[（(][^）)]{1,30}[）)]", "", head.lstrip()[len(lead) :])
        m = re.search(r"\s*(?:大约|大致|约)?\s*(?:在|于|自|从)?\s*$", head)
        rest = head[: m.start()] if m else head
        org = self.orgs.trailing(rest) if rest.strip() else ""
        if not org and _ORG_NAMED.fullmatch(rest.strip()):
            org = rest.strip()  # an organization no note introduced: "乌鸦实验室 2024 年…"
        return head[m.start() :] if org and m else head

    def _orgs(self, ctx: _Ctx) -> None:
        text, ms, spans = ctx.text, ctx.ms, ctx.spans
        names = {m.surface for m in ms}

        def add(model: str | None, org_text: str, at: int, how: str) -> None:
            if not model:
                return
            # A known organization is one whatever its characters ("华为": 为 is a word of prose too).
            known = org_text.strip() if self.orgs.is_org(org_text.strip()) else ""
            for org in [known] if known else clean_orgs(org_text):
                if org in names or self.reg.is_model_name(org):
                    continue
                pos = text.find(org, at)
                self._add(ctx, model, "org", org, pos, pos + len(org), org, how=how)

        def before(pos: int) -> str | None:
            cs, _ = spans[clause_at(spans, pos)]
            prior = [m for m in ms if cs <= m.start < pos and m.eligible and not m.skip]
            if prior:
                return prior[-1].group
            if PRONOUN.search(text[cs:pos]) and ctx.focus:
                return ctx.focus
            if ctx.subject and ctx.subject_at < pos:
                return ctx.subject
            return ctx.focus or ctx.note

        def maker_of(m: re.Match[str]) -> str | None:
            """Whose organization "由 ORG 发布" names: the model the clause named before it
            (GPT 是由 OpenAI 发布的…), else the one after its 的 (例如由 Google 发布的 T5 模型,
            即是同样由 Facebook 发布的 RoBERTa), else the sentence's or paragraph's model."""
            cs, ce = spans[clause_at(spans, m.start())]
            if any(cs <= x.start < m.start() and x.eligible and not x.skip for x in ms):
                return before(m.start())
            if text[m.end() - 1 : m.end() + 1].find("的") >= 0:
                made = next((x for x in ms if m.end() <= x.start < ce and x.eligible and not x.skip), None)
                if made:
                    return made.group
            return before(m.start())

        for m in BY.finditer(text):
            add(maker_of(m), m.group("org"), m.start("org"), "by")
        for m in IS_BY.finditer(text):
            add(maker_of(m), m.group("org"), m.start("org"), "is-by")
        record = RECORD_MAKER.match(text)
        head = self._record_subject(ctx) if record else None
        if head is not None:  # "X：Y，2023 年 8 月开源": the record's maker
            add(head.group, record.group("org"), record.start("org"), "record")
        lead = MAKER_LEADS.match(text)
        if lead:  # "【Y】X 发布": the first model the item names after its maker
            first_clause_end = spans[0][1]
            made = next((x for x in ms if lead.end() <= x.start < first_clause_end and x.eligible and not x.skip), None)
            if made:
                add(made.group, lead.group("org"), lead.start("org"), "maker-leads")
        for m in ms:
            # "[Yi](…) - 零一万物发布的开源模型": the entry's dash says 是.
            d = defined_after(text, m)
            lead = IS_BY.match("是" + text[m.end + d.end() :]) if d and "是" not in d.group(0) else None
            if d and lead:
                add(m.group, lead.group("org"), m.end + d.end(), "is-by")
        for m in FIRST_MODEL.finditer(text):
            target = next((x for x in ms if x.start >= m.end() - 1), None)
            if target:
                add(target.group, m.group("org"), m.start("org"), "first-model")
        org_end = self.orgs.ending()
        for m in ms:
            lead = org_end.search(text[: m.start]) if org_end else None
            if lead and lead.group(0).strip():
                add(m.group, lead.group(0), lead.start(), "prefix")
            based = re.match(r"\s*(?:[（(][^）)]*[）)])?\s*是基于\s*", text[m.end :])
            if based and self.orgs.leading(text[m.end + based.end() :]):
                org = self.orgs.leading(text[m.end + based.end() :])
                add(m.group, org, m.end + based.end(), "based-on")
            # "**Claude 2**（Anthropic）：…", "Switch Transformer（谷歌）": a bracket that only names
            # who made it.
            maker = _MAKER_BRACKET.match(text, m.end)
            if maker and all(self.orgs.is_org(p) for p in _ORG_LIST.split(maker.group(1)) if p.strip()):
                add(m.group, maker.group(1), maker.start(1), "bracket")
            elif (dated := MAKER_AND_DATE.match(text, m.end)) and self.orgs.is_org(dated.group("org").strip()):
                add(m.group, dated.group("org").strip(), dated.start("org"), "bracket")  # "（Google，2 月 15 日）"
        for verb in DEV_RE.finditer(text):
            self._release_org(ctx, verb, add)

    def _release_org(self, ctx: _Ctx, verb: re.Match[str], add) -> None:
        """ORG 发布了 X / ORG 在 2018 年提出的 X / …，会上推出了 X (ORG from an earlier clause)."""
        text, spans = ctx.text, ctx.spans
        ci = clause_at(spans, verb.start())
        cs, ce = spans[ci]
        objects = [m for m in ctx.ms if verb.end() <= m.start < min(ce, verb.end() + 24)
                   and m.eligible and not m.skip
                   and not _BETWEEN_VERB.search(text[verb.end() : m.start])
                   and not _TAIL_NOT_MODEL.match(text[m.end : ce])]
        if not re.match(r"了|的|出|\s|[A-Za-z“「]", text[verb.end() : verb.end() + 1]) and \
                (not objects or objects[0].start != verb.end()):
            return
        if not objects:
            return
        head = _DATE_PREFIX.sub("", text[cs : verb.start()])
        head = re.sub(r"公司\s*(?:在\s*(?:19|20)\d{2}\s*年\S*)?\s*$", "", head)
        head = _ADVERBS.sub("", head).strip()
        org = self.orgs.leading(head) or self.orgs.trailing(head)
        # An unknown subject counts when it reads like one: "阿里云开源了 Qwen".
        named = clean_orgs(head)
        if not org and _CLEAN_SUBJECT.match(head) and len(named) == 1 and head.endswith(named[0]) \
                and verb.group(0) in ("发布", "推出", "开源", "提出") \
                and text[verb.end() : verb.end() + 1] == "了" \
                and not any(cs <= m.start < verb.start() for m in ctx.ms):
            org = named[0]
        if not org and not head.strip(" 会上并且随后此外同时"):
            for ps, _pe in reversed(spans[:ci]):
                org = self.orgs.leading(_DATE_PREFIX.sub("", text[ps:_pe]))
                if org:
                    break
        if org:
            add(objects[0].group, org, cs if org in text[cs:] else 0, "release")

    def _licenses(self, ctx: _Ctx) -> None:
        text, ms, spans = ctx.text, ctx.ms, ctx.spans
        firsts = set()
        seen_clauses: set[int] = set()
        for m in ms:
            c = clause_at(spans, m.start)
            if c not in seen_clauses and not self.orgs.is_org(m.surface):
                seen_clauses.add(c)
                firsts.add(id(m))
        for m in ms:
            if m.skip or self._variant_apart(ctx, m):
                continue
            cs, ce = spans[clause_at(spans, m.start)]
            if id(m) in firsts and m.eligible:
                o = next((o for start, end in definitions(text, m, spans, ms)
                          if (o := LICENSE_IN_TEXT.search(text, start, end))), None)
                if o:
                    self._add(ctx, m.group, "license", o.group(1), o.start(), o.end(),
                              license_value(o.group(1)), how="definition")
                    continue
            tail = _OPEN_TAIL.match(text[m.end : ce])
            if tail and id(m) in firsts and m.eligible and not text[cs : m.start].strip(" *"):
                pos = m.end + tail.start(1)
                self._add(ctx, m.group, "license", tail.group(1), pos, pos + 2, tail.group(1),
                          how="predicate")
                continue
            if _OPEN_LINK.match(text[m.end :]):
                pos = text.index("开源", m.end)
                self._add(ctx, m.group, "license", "开源", pos, pos + 2, "开源", how="link")
                continue
            appos = _OPEN_APPOS.search(text[cs : m.start])
            if appos:
                self._add(ctx, m.group, "license", appos.group(1), cs + appos.start(1),
                          cs + appos.end(1), license_value(appos.group(1)), how="apposition")
                continue
            for verb in _OPEN_VERB.finditer(text, cs, m.start):
                if _NEGATED.search(text[cs : verb.start()]):
                    continue  # "智谱并未直接开源 GLM-4"
                if m.eligible and not _BETWEEN_VERB.search(text[verb.end() : m.start]) \
                        and not _TAIL_NOT_MODEL.match(text[m.end : ce]):
                    self._add(ctx, m.group, "license", "开源", verb.start(), verb.start() + 2,
                              "开源", how="verb")
                    break
        self._record_license(ctx)

    def _record_license(self, ctx: _Ctx) -> None:
        """"【机构】X 发布（2 月 26 日）：旗舰模型，上下文 32K，闭源，…", "X：Y，2023 年 3 月发布，闭源":
        a record of one release is X's, as a table row is; a later clause that only says open or
        closed (or names the open license: "Apache 2.0 开源") and names no model says it of X."""
        text, ms, spans = ctx.text, ctx.ms, ctx.spans
        head = self._record_subject(ctx)
        if head is None:
            return
        verb = _RELEASED_AFTER.match(text, head.end)
        said = re.search(r"开源|闭源", verb.group(0)) if verb else None
        if said:  # "Grok-1 开源（3 月 17 日）：…"
            pos = verb.start() + said.start()
            self._add(ctx, head.group, "license", said.group(0), pos, pos + 2, license_value(said.group(0)),
                      how="record")
            return
        for cs, ce in spans[clause_at(spans, head.start) + 1 :]:
            bare = _RECORD_LICENSE.match(text, cs, ce)
            if bare and not any(cs <= m.start < ce for m in ms):
                self._add(ctx, head.group, "license", bare.group(1), bare.start(1), bare.end(1),
                          license_value(bare.group(1)), how="record")
                return

    def _record_subject(self, ctx: _Ctx) -> Mention | None:
        """The model a record of one release is about: a headline's name (after its maker in black
        brackets) with a release verb and no object ("【Y】X 发布（2 月 26 日）：…"), or the label of
        an awesome list's record that gives its maker and release ("X：Y，2023 年 8 月开源，…").
        Read once per sentence: the date, size, organization and license rules all ask."""
        if not ctx.record_read:
            ctx.record, ctx.record_read = self._read_record_subject(ctx), True
        return ctx.record

    def _read_record_subject(self, ctx: _Ctx) -> Mention | None:
        text = ctx.text
        lead = MAKER_LEADS.match(text)
        head = next((m for m in ctx.ms if m.eligible and not m.skip and not self.orgs.is_org(m.surface)), None)
        if head is None or text[lead.end() if lead else 0 : head.start].strip(" *"):
            return None
        released = _RELEASED_AFTER.match(text, head.end)
        return head if released or (RECORD_MAKER.match(text) and _LABEL_END.match(text, head.end)) else None

    def _anonymous_release(self, ctx: _Ctx) -> None:
        """Who released the note's model and whether openly, from a fragment that names no
        model: "微软（Microsoft）2024 年 4 月开源的小模型" → 微软, 开源."""
        m = ANON_RELEASE.match(ctx.text) if ctx.note and not ctx.ms else None
        if not m:
            return
        org = self.orgs.leading(ctx.text)
        if org:
            pos = ctx.text.find(org)
            self._add(ctx, ctx.note, "org", org, pos, pos + len(org), org, how="note")
        verb = re.search(r"开源|闭源", m.group(0))
        if verb:
            self._add(ctx, ctx.note, "license", verb.group(0), verb.start(), verb.end(),
                      license_value(verb.group(0)), how="note")

    def _weights_license(self, ctx: _Ctx) -> None:
        """"模型权重以 MIT 授权开源": the note's model's weights, released openly. The cell shows
        the sentence's own word: 开源 (or the open license's name when no verb follows)."""
        if not ctx.note or ctx.ms or ANON_RELEASE.match(ctx.text):  # that one is _anonymous_release's
            return
        w = _WEIGHTS_RELEASED.match(ctx.text)
        if not w:
            return
        word = next(g for g in ("verb", "then", "license") if w.group(g))
        self._add(ctx, ctx.note, "license", w.group(word), w.start(word), w.end(word),
                  license_value(w.group(word)), how="note")

    def _summaries(self, ctx: _Ctx) -> None:
        text, ms, spans = ctx.text, ctx.ms, ctx.spans
        done: set[str] = set()
        for i, m in enumerate(ms):
            if m.skip or not m.eligible or m.group in done:
                continue
            ci = clause_at(spans, m.start)
            cs, ce = spans[ci]
            first = not any(x.start >= cs and x.start < m.start and not self.orgs.is_org(x.surface)
                            for x in ms[:i])
            d = defined_after(text, m)
            later = later_definition(text, m, spans, ms) if first and not d else None
            if (d or later is not None) and first:
                start = m.end + d.end() if d else later
                end = spans[clause_at(spans, start)][1]
                if self._summary(ctx, m, start, end, 0):
                    done.add(m.group)
                continue
            v = _SUMMARY_VERB.match(text[m.end : ce])
            if v and first and self._summary(ctx, m, m.end + v.start(), ce, 1):
                done.add(m.group)
                continue
            tail = text[m.end : ce].strip(" *")
            if ci + 1 < len(spans) and re.fullmatch(r"(?:系列)?(?:模型)?", tail):
                ns, ne = spans[ci + 1]
                nv = _NEXT_VERB.match(text[ns:ne])
                if nv:
                    start = (text.index("它", ns) + 1 if text[ns:ne].lstrip().startswith("它")
                             else ns + nv.start())
                    if self._summary(ctx, m, start, ne, 2):
                        done.add(m.group)

    def _summary(self, ctx: _Ctx, m: Mention, start: int, end: int, rank: int) -> bool:
        text = ctx.text
        while start < end and text[start] in " 　":
            start += 1
        lead = _SUMMARY_LEAD.match(text[start:end])
        if lead and rank == 0:
            start += lead.end()
        clause = text[start:end].strip().rstrip("。；;！!")
        if text[end : end + 1] in ("：", ":"):
            return False  # "注重提高以下能力：" introduces a list
        if not len(clause) >= 4 or clause.startswith(("否", "不是")) or "？" in clause:
            return False
        if rank and re.search(r"\d", clause):
            return False
        if clause.endswith("的") and len(re.findall(r"[\u4e00-\u9fff]", clause[:-1])) >= 7:
            clause = clause[:-1]  # "是基于 GPT 模型开发的": 是…的 only stresses what it says
        if _SUBORDINATE.search(clause):
            return False  # "支持多轮对话的同时": a clause that leads into the sentence's point
        if _NO_SUMMARY.search(clause) or len(re.findall(r"[\u4e00-\u9fff]", clause)) < 3:
            return False  # "微软搞的", "怎么设计衡量指标的", "3.5 版": no phrase that says what it is
        if _LEANS_ON.search(clause) or clause.count("“") != clause.count("”"):
            return False  # "使用的数据量几乎是其两倍", "“对外公开了方法论": not a phrase on its own
        if len(clause) > SUMMARY_MAX:
            clause = clause[: SUMMARY_MAX - 1] + "…"
        span_end = start + len(clause.rstrip("…"))
        # A space between two Chinese characters is left from markup (典型的 `生成式…` 之一).
        clause = _CJK_GAP.sub("", clause)
        self._add(ctx, m.group, "summary", clause, start, span_end,
                  rank=rank, how=("definition", "verb", "next-clause")[rank])
        return True


def event_verb(text: str, spans: list[tuple[int, int]], d: DateMatch, verbs: re.Pattern[str]
               ) -> re.Match[str] | None:
    """The verb that makes a date an event: 出现之前（2020 年 5 月左右）, 始于 20 世纪 90 年代,
    于 2023 年 4 月正式发布, or — when the date's clause is only a time phrase
    ("2023 年 11 月 7 日，…") — the first such verb in the next two clauses. A sentence that
    says what a table or figure lists ("下表列举了自 2022 年 11 月至…发布的部分大模型") has none."""
    if _POINTS_AT.match(text):
        return None
    p = paren_before(text, d.start)
    if p is not None:
        ps, _ = spans[clause_at(spans, p)]
        found = list(verbs.finditer(text, ps, p))
        last = found[-1] if found else None
        if last and re.fullmatch(r"\s*(?:之前|之后|以后|以前|后|前|时)?\s*", text[last.end() : p]):
            return last
    obj = DATE_OBJECT_VERB.search(text[: d.start])
    if obj:
        return verbs.search(text, obj.start(), obj.end()) or obj
    ci = clause_at(spans, d.start)
    cs, ce = spans[ci]
    m = verbs.search(text, d.end, ce)
    if m:
        return m
    if not _LEAD_ADVERBIAL.match(text[cs : d.start]):
        return None
    for j in range(ci + 1, min(ci + 3, len(spans))):
        m = verbs.search(text, *spans[j])
        if m:
            return m
    return None


# The fact readers, in the order they run on each sentence: each reads one kind of value and
# ties it to a model by the attachment rules of ``FactReader._loose`` (a fact's ``how`` names
# the rule that tied it). A new kind of statement is a new reader and one line here.
FACT_RULES: dict[str, Callable[[FactReader, _Ctx], None]] = {
    "name": FactReader._names,  # sizes and context written into a name (Qwen-7B, Baichuan2-192K)
    "params": FactReader._sizes,  # parameter counts (1750 亿, 8B、62B、540B, 110M)
    "context": FactReader._contexts,  # context lengths (32K, 2048 个 token)
    "date": FactReader._dates,  # release dates a release verb governs
    "org": FactReader._orgs,  # who made it (由 Y 开发, Y 发布了 X, Y 公司的 X)
    "license": FactReader._licenses,  # 开源/闭源 said of the model
    "anonymous-release": FactReader._anonymous_release,  # "微软 2024 年 4 月开源的小模型" under its heading
    "weights-license": FactReader._weights_license,  # "模型权重以 Apache 2.0 协议开放"
    "summary": FactReader._summaries,  # 要点: what the definition says it is
}
# The rules a table row's free-text cell is read with: its values, not a summary.
CELL_RULES = ("name", "params", "context", "date", "org", "license", "weights-license")
