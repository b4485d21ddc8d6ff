"""The glossary (术语表): terms a note defines, each with a clean name, its English name and
abbreviation, the sentence that defines it and the section that explains it. Abbreviations
also become site-wide hover tooltips (render).

A term enters the glossary on two kinds of evidence, each from named rules:

Naming rules (``NAMING``) find a term and its other names in a sentence:

- ``bracket``       中文（English，ABBR）, 中文（ABBR）, “中文”（English）: the Chinese name must
                    start where the writer marked it (bold, quotes, a heading, the start of a
                    sentence or list label, after "：") or be a word of the domain vocabulary or
                    written clean elsewhere; "…首次展示了用较低精度（bfloat16）" names nothing;
                    a step set in bold ("**训练奖励模型（RM）**") names what it works on (奖励模型);
                    ABBR（English，中文） gives all three;
- ``latin-first``   ABBR（中文）, English（中文）: the bracket holds the whole Chinese name;
- ``is-defined``    "X 是指…", "X，是指…", "所谓 X，…": X opens the sentence;
- ``latin-defined`` "WordPiece 是一种…": a Latin name the sentence opens by defining;
- ``heading-question`` "什么是 X", "X 是什么？": a heading that asks what X is;
- ``label-restated`` "X：X 通过…", "X：是指…": an entry of a definition list;
- ``named-as``      "…，这被称为 **X**", "这个过程也被称为 X。": what a sentence describes and then
                    names (X marked, or the whole rest of its clause);
- ``titled-defined`` a section titled by a bare name X whose text opens "X 是…" (needs the
                    sentences around it: ``_titled_and_defined``, run after the others).

Defining rules (``DEFINING``) find the sentence that says what the term is: a sentence whose
subject is the term followed by 是指 / 指的是 / 是一种 / 称为 / 定义为 (``defines``), by 是 or
"：" (``is``), or the opening sentence of a section titled by the term (``titled``). A
Chinese term with no such sentence is left out ("X 是…" is the bar); an abbreviation spelt
out in brackets (RAG（检索增强生成）) is its own definition, unless the sentence is an item
about a label of its own ("缺点：…，Context Length（上下文长度）容易超标").

Every sentence is read once: term forms are looked up at the start of each sentence through
one index, not searched for term by term.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from ..models import Evidence, Layout, Place, Sentence, Term
from ..names import acronym, spells_out
from ..segment import Segmenter
from ..text import is_sentence_piece, repeated_names, slugify
from .corpus import placed_items
from .patterns import CONNECTIVE, NUMBER_FORMAT
from .registry import Registry

_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_BRACKET = re.compile(r"[（(]([^（）()]{1,80})[）)]")
_ABBR = re.compile(r"[A-Za-z]*[A-Z][A-Za-z]*[A-Z][A-Za-z0-9]*|[A-Z]{2,}[0-9]*")
def _is_abbr(word: str) -> bool:
    """RoPE, CoT, ZeRO, SFT — not WordPiece or GreedySearch (capitals inside a word)."""
    letters = [c for c in word if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return bool(_ABBR.fullmatch(word)) and upper >= 2 and 2 * upper >= len(letters)


# An English name; its words may be joined by + or & ("Reasoning + Acting").
_ENGLISH = re.compile(r"[A-Za-z][A-Za-z0-9'\-]*(?:(?:\s+|\s*[+&]\s*)[A-Za-z0-9][A-Za-z0-9'\-]*)*")
# What introduces another name of a term ("也叫激活重计算").
_ALSO = r"又称|也称|也叫做?|或叫|(?:也|又)译(?:作|为)"
_INNER_PREFIX = re.compile(rf"^(?:英文名?|缩写|(?:以下|下文)?简称|{_ALSO}|即)\s*[：:]?\s*")
_ALSO_CALLED = re.compile(rf"(?:{_ALSO}|或称)\s*[：:]?\s*[\u4e00-\u9fff]")
_HARD = re.compile(r"[，。、；：！？,.;:!?（）()《》“”‘’「」\x00+=/|\-–—…]")
# Verbs that give what was described a name: the term starts right after them.
_NAMING_WORDS = frozenset(("称为", "叫做", "叫作", "称作", "称之为", "命名为"))
# "叫" names too, but only a bracketed term ("…的办法，叫多查询注意力（…）"): alone it also calls
# code by its name ("另一个参数叫 num_skips").
_CALLED = "叫"
# The naming words as alternatives of a pattern, longest first (称之为 before 称为).
_NAMING = "|".join(sorted(_NAMING_WORDS, key=len, reverse=True))
# Words that end the phrase before a term: "LLM 大部分采用了｜旋转位置编码（…）". Matched as
# whole jieba tokens, so 训练 does not cut 预训练.
_CUT = frozenset((
    "了", "是", "为", "的", "地", "采用", "使用", "通过", "利用", "基于", *_NAMING_WORDS,
    "即", "如", "例如", "比如", "包括", "进行", "用于", "提出", "训练", "对于", "关于", "引入",
    "接替", "开始", "成为", "作为", "具有", "拥有", "支持", "实现", "包含", "提供", "需要", "出现",
    "具备", "和", "以及", "或者", "或", "让", "把", "将", "被", "从", "向", "对",
    "在", "到", "思考", "重新", "主要", "通常", "往往", "一般", "大多", "而", "且", "并", "则", "但",
    "所谓", "名为", "视为", _CALLED, "取决于", "依赖于", "配合", "搭配",
))
# Verbs that open a step of a procedure ("训练奖励模型（RM）", "减少批量大小"), not a term.
_STEP_VERBS = frozenset(("训练", "微调", "收集", "构建", "构造", "使用", "采用", "进行", "引入", "计算", "部署",
                         "标注", "减少", "增加", "降低", "提高", "调整"))
# A step verb and the count it takes before what it works on: "训练一个奖励模型".
_STEP = re.compile(rf"(?:{'|'.join(sorted(_STEP_VERBS))})(?:一个|一种|这个|该)?")
_OPENING = "\x00“‘「《"
_CLOSING = "\x00”’」》"
_LEAD = re.compile(r"^(?:\s|\x00|[-*+>]\s|\d{1,2}[.)）、．]\s*|[（(]\d{1,2}[)）]\s*|具体而言[，,]?|具体来说[，,]?|"
                   r"所谓的?|(?:简单|一般|通常)(?:来说|而言)[，,]?|通常[，,]|(?:概念|定义)\x00?[:：]\x00?)*")
# The verb that introduces a term inside a sentence: "…的依据是分布式假设（…），即…", "叫…".
_INTRODUCES = re.compile(rf"(?:是|{_CALLED}|{_NAMING}|名为)\s*")
# Where a clause starts inside a sentence: after a colon or a semicolon (and marks or spaces).
_CLAUSE_START = re.compile(r"[：:；;][\s\x00“‘「]*")
# An adverb between a term and the verb that defines it ("小模型通常指…"): no part of the term.
_ADVERB = r"通常|一般|主要|往往|常常|也|则|就|不仅仅|不仅"
# Words that say the definition is put simply ("所谓内存墙简单点说就是…").
_PLAINLY = r"简单(?:点|来|地)?说|说白了"
# 指 as the verb that says what a term is, not the first character of 指出, 指导, 指定 …
_MEANS_VERB = r"指(?![出导定令标数向针明示南代望挥点引])"
# What follows a term that its sentence defines, strongest first.
# Where a definition says it holds ("智能体（Agent）在这里指…"): no part of the term.
_HERE = r"在这里|在此|在本(?:文|章|节|书|篇)中?"
_DEFINES = re.compile(r"\x00?\s*(?:[（(][^（）()]*[）)])?\s*\x00?\s*[”’」]?\s*[，,]?\s*(?:也称[^，。]*[，,]\s*)?"
                      rf"(?:{_HERE})?\s*(?:其实|实际上|本质上|{_PLAINLY}|也就|{_ADVERB})?\s*"
                      r"(?P<v>是指|指的是|可以定义为|被定义为|定义为|是一种|是一个|是一类|是用来|称为|被称为|"
                      r"就是|即|指(?![令标出定向导望挥点引])|是(?!否|不是)|[：:])")
_STRONG_VERBS = {"是指", "指的是", "可以定义为", "被定义为", "定义为", "是一种", "是一个", "是一类", "是用来",
                 "称为", "被称为", "指"}
_TITLE_TERM = re.compile(r"^(?:什么是|何为|何谓)?\s*(?P<t>.+?)\s*(?:是什么|的定义|的概念|简介|介绍|概述)?[？?]?$")


@dataclass
class Candidate:
    term: str
    english: str
    abbr: str
    evidence: Evidence
    clean: bool  # the term's edges are marked in the source (bold, quotes, a sentence start)
    alias: str = ""  # "指令微调”（也叫做有监督微调，…）": the outer name
    rule: str = ""


# --------------------------------------------------------------------------- naming rules


_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_FOOTNOTE_REF = re.compile(r"\[\^[^\]]+\]")
_SPACES = re.compile(r"\s+")


# Both passes over the sentences (candidates, then finding the terms) mark each one: once.
@lru_cache(maxsize=131_072)
def _marked(raw: str) -> str:
    """Visible text in which emphasis and code edges are kept as \\x00 boundaries."""
    t = _IMAGE.sub("", raw)
    t = _LINK.sub(r"\1", t)
    t = _FOOTNOTE_REF.sub("", t)
    t = t.replace("**", "\x00").replace("__", "\x00").replace("`", "\x00")
    return _SPACES.sub(" ", t).strip()


def outer_term(before: str, segmenter: Segmenter, closed: bool = True) -> tuple[str, str]:
    """The Chinese term written right before a bracket, and how its start is marked:
    ``marked`` (bold, code or quotes around it, or a naming word before it), ``start`` (it opens the
    sentence, a clause after "；", a "：" label or 是: marked only if the sentence goes on to define it),
    or ``""`` (the rest of a clause:
    "…，我们可以将训练过程分成预训练与对齐（alignment）").

    ``closed`` says whether a bold or quote mark closes at the bracket ("“对话即平台（…）”",
    "**模型裁剪（Model Pruning）：**"): one that goes on marks a phrase, which gives the term only
    when it starts with it ("**动量（Momentum）的技术**", not "ZeRO **仅对优化器状态（OS）进行分片**")."""
    stripped = before.rstrip(" \x00”’」")
    if len(stripped) < len(before.rstrip(" ")):  # closed by bold, code or a quote
        start = max(stripped.rfind(c) for c in "\x00“‘「") + 1
        term = stripped[start:].strip()
        if re.search(f"[{_CJK}]", term) and 2 <= len(term) <= 16 and not _HARD.search(term):
            return term, "marked"
    pieces = re.split(_HARD, before)
    run = pieces[-1]
    boundary = before[len(before) - len(run) - 1] if len(pieces) > 1 else ""
    opened = bool(boundary) and boundary in _OPENING
    # An item of an enumeration ("预训练（…）、监督微调（…），强化学习与人类反馈（…）") is marked by
    # its 、, or by the comma right after the previous bracketed item.
    at = len(before) - len(run) - 1
    listed = boundary == "、" or (boundary in "，," and at > 0 and before[at - 1] in "）)")
    # "2）曝光偏差（…）": an item's number opens the sentence as well.
    numbered = boundary in ")）" and _NUMBERING.fullmatch(before[: len(before) - len(run)]) is not None
    how = "marked" if opened or listed else "start" if boundary in "：:；;" or not boundary or numbered else ""
    if opened and closed:
        # "**训练奖励模型（RM）**", a step of a procedure set in bold: the term is what the step
        # works on, when that is a word of the domain (not "训练后量化", whose 后量化 is none).
        toks = segmenter.cut(run)
        rest = "".join(toks[1:])
        if len(toks) > 1 and toks[0] in _STEP_VERBS and rest in segmenter.vocabulary:
            run = rest
    else:  # a quote or bold mark around the term: "“对话即平台（…）”" keeps 即
        toks = segmenter.cut(run)
        cuts = [i for i, t in enumerate(toks) if t.strip() in _CUT]
        if cuts and opened:
            return "", ""  # "**利用较小的模型（smaller models）来评估…**": a phrase set in bold
        if cuts:
            run = "".join(toks[cuts[-1] + 1 :])
            # "这种方法叫作集束搜索（beam search）", "所谓数据污染（…）": a naming word marks where
            # the term starts.
            cut = toks[cuts[-1]].strip()
            # "重排模型一般是交叉编码器（Cross-Encoder）：…": after 是 the term starts a clause of
            # its own, a definition when the sentence goes on to give one.
            how = "marked" if cut in _NAMING_WORDS | {"所谓", _CALLED} else "start" if cut == "是" else ""
    term = re.sub(rf"^[^{_CJK}A-Za-z]+", "", run).strip()
    if re.search(f"^[{_CJK}]", term) and 2 <= len(term) <= 12:
        return term, how
    return "", ""


# A Chinese name with one Latin word inside ("首 token 延迟", "多头 attention"): Chinese first and last.
_MIXED_NAME = re.compile(f"[{_CJK}]{{1,6}} ?[A-Za-z][A-Za-z0-9\\-]{{0,11}} ?[{_CJK}]{{1,6}}")


def _parts(inner: str) -> tuple[list[str], list[str], list[str]] | None:
    english, abbr, chinese = [], [], []
    inner = _INNER_PREFIX.sub("", inner.replace("\x00", "").strip())
    if "、" in inner:  # a list of examples ("工具套件（计算器、API、搜索引擎）"), not other names
        return None
    for part in re.split(r"\s*[，,;；]\s*", inner):
        if english and _ALSO_CALLED.match(part):
            # "梯度检查点（Gradient Checkpointing，也叫激活重计算）": after the English name, what it is
            # also called is another name of the term before the bracket, not its name.
            continue
        # "（Carbon intensity:）": a colon meant for the label, typed inside the bracket
        part = _INNER_PREFIX.sub("", part).strip().rstrip(":：").strip()
        if not part:
            continue
        if NUMBER_FORMAT.fullmatch(part):
            continue  # "模型参数（FP16）：2Φ bytes": the number format it is kept in, no name of it
        if _is_abbr(part) and len(part) <= 8:
            abbr.append(part)
        elif _ENGLISH.fullmatch(part) and len(part) >= 3:
            english.append(part)
        elif re.fullmatch(f"[{_CJK}]{{2,10}}", part) or _MIXED_NAME.fullmatch(part):
            chinese.append(part)
        else:
            return None
    if len(english) >= 3:  # "数据（weights，keys，values，activations）": examples, not its names
        return None
    return english, abbr, chinese


# Words of a remark on a name in brackets ("FFN（可选）"), not another name of it.
_REMARKS = frozenset(("可选", "必选", "必需", "必须", "推荐", "默认", "常用", "主流", "少用", "弃用", "已弃用",
                      "实验性", "新增", "重要", "核心", "关键"))


def _explains(gloss: str, segmenter: Segmenter) -> bool:
    """Whether a Chinese gloss after a Latin name is a remark on it ("FFN（可选）") or a clause
    that explains it ("LLM-as-a-judge（让另一个大模型打分）": it opens with a verb or a function
    word that never opens a term), not its Chinese name."""
    if gloss in _REMARKS:
        return True
    words = segmenter.cut(gloss)
    return bool(words) and words[0] in _CUT


def _bracket_names(s: Sentence, registry: Registry, segmenter: Segmenter) -> list[Candidate]:
    out: list[Candidate] = []
    text = _marked(s.raw)
    for m in _BRACKET.finditer(text):
        parts = _parts(m.group(1))
        if parts is None:
            continue
        english, abbr, chinese = parts
        en, ab = (english or [""])[0], (abbr or [""])[0]
        before = text[: m.start()]
        latin = re.search(r"(?<![\w\-])([A-Za-z][A-Za-z0-9\- ]*?)\s*\x00?\s*$", before)
        ev = Evidence(s, 0, len(s.text))
        defining = _DEFINES.match(text, m.end()) is not None
        if chinese and ab and not en and latin is None and m.group(1).find(ab) < m.group(1).find(chinese[0]):
            # "旋转位置编码（RoPE，主流）", "…直到看完整局（MC，准确）": Chinese after the abbreviation
            # that shares nothing with the term before the bracket is a remark, not a name
            # ("（多个程序多份数据，MPMD）" names it first).
            outer, _how = outer_term(before, segmenter)
            if not (outer and _akin(chinese[0], outer)):
                chinese = []
        if chinese and en and not ab and latin and " " not in en and en.lower() != latin.group(1).strip().lower():
            # "Luotuo（骆驼，Chinese）": the Chinese glosses the name before the bracket; a single
            # other English word beside it is a remark (its language), no name of the term.
            en = ""
        if chinese and not (en or ab) and latin and len(chinese) == 1:
            word = latin.group(1).strip()
            if registry.names_a_thing(word) or not re.search(r"[A-Za-z]{2}", word) or re.search(r"\d", word) \
                    or registry.orgs.is_org(chinese[0]) or _explains(chinese[0], segmenter):
                # Qwen（通义千问） names a model, SST-2（单句分类） a data set; "Switch Transformer
                # （谷歌）" says who made it
                continue
            if _is_abbr(word) and len(word) <= 8:
                out.append(Candidate(chinese[0], "", word, ev, True, rule="latin-first"))
            elif _ENGLISH.fullmatch(word):
                # A technical name of several words ("Causal LM（因果语言模型）") is spelt out; one
                # word is often only a gloss ("Kelly（个人）", "Input（输入）").
                rule = "latin-first" if " " in word or "-" in word else "latin-gloss"
                out.append(Candidate(chinese[0], word, "", ev, True, rule=rule))
        elif chinese and registry.names_a_thing(en or ab):
            continue  # "Megatron-LM（威震天）": a thing's Chinese name, no term
        elif chinese and (en or ab):
            alias, _ = outer_term(before, segmenter)
            if not en and latin and spells_out(latin.group(1).strip(), ab):
                # "Reward Model（奖励模型，简称 RM）": the English before the bracket, spelt out by RM
                en = latin.group(1).strip()
            elif not ab and en and latin and spells_out(en, latin.group(1).strip()):
                # "PPO（Proximal Policy Optimization，近端策略优化）": the abbreviation before the
                # bracket, spelt out by the English in it
                ab = latin.group(1).strip()
            out.append(Candidate(chinese[0], en, ab, ev, True, alias, rule="bracket"))
        elif (en or ab) and not chinese:
            # The mark may close inside the bracket ("**专家容量（Expert Capacity**）").
            closed = text[m.end() - 2] in _CLOSING or text[m.end():].lstrip(" ：:")[:1] in _CLOSING
            term, how = outer_term(before, segmenter, closed)
            word = latin.group(1).strip() if latin else ""
            if not term and word and ((en and not ab and spells_out(en, word))
                                      or (ab and not en and defining and spells_out(word, ab))):
                # "MMLU（Massive Multitask Language Understanding）", "Parameter-Efficient
                # Fine-Tuning（PEFT）是…": an abbreviation spelt out by the English words it is
                # made of is a term, named by the abbreviation until a note gives it a Chinese
                # name (spelt out before it, only where the sentence defines it: an abbreviation
                # in brackets is often only a reminder); a model or a tool so spelt out belongs
                # elsewhere.
                abbr, english = (word, en) if en else (ab, word)
                if not (registry.names_a_thing(abbr) or registry.names_a_thing(english)):
                    out.append(Candidate(abbr, english, abbr, ev, True, rule="spelt-out"))
                continue
            clean = how == "marked" or (how == "start" and defining) or \
                (s.heading and term == before.strip(" \x00"))
            if registry.names_a_thing(en or ab):
                # "张量并行（Megatron-LM）": where it is done, not the term's English name; the
                # term stands on its own when the writer marked it.
                if term and clean:
                    out.append(Candidate(term, "", "", ev, True, rule="bracket"))
                continue
            # A word of the vocabulary is a term before an English name, not before a bare
            # abbreviation (进程（GPU）, 计算器（API） pair a word with a name it is not).
            if term and (clean or en):
                out.append(Candidate(term, en, ab, ev, clean, rule="bracket"))
    return out


_TERM_IS = re.compile(rf"^(?:具体而言|具体来说|(?P<so>所谓的?))?[，,]?\s*"
                      # "KL 惩罚": a Latin word may open the term
                      rf"(?P<t>(?:[A-Za-z][A-Za-z0-9\-]{{0,9}}\s?)?[{_CJK}]{{2,8}}?)\s*[，,]?\s*"
                      rf"(?:{_ADVERB})?\s*"
                      rf"(?:是指|指的是|可以定义为|被定义为|{_MEANS_VERB}"
                      # "所谓 X，就是…"
                      rf"|(?(so)(?:{_PLAINLY}|其实)?\s*就是|(?!)))")


def _is_defined(s: Sentence, registry: Registry, segmenter: Segmenter) -> list[Candidate]:
    d = _TERM_IS.match(s.text) if not s.heading else None
    return [Candidate(d.group("t"), "", "", Evidence(s, 0, len(s.text)), True, rule="is-defined")] if d else []


_LATIN_IS = re.compile(r"^(?P<t>[A-Za-z][A-Za-z0-9\-@]+(?: [A-Za-z][A-Za-z0-9\-]*){0,3})\s*"
                       r"(?:[（(][^（）()]*[）)])?\s*[，,]?\s*(?:是指|指的是|是一种|是一个|是一类|可以定义为|被定义为)")


def _latin_defined(s: Sentence, registry: Registry, segmenter: Segmenter) -> list[Candidate]:
    """"WordPiece 是一种基于统计的子词切分算法", "Post Norm 是指…": a Latin name the sentence
    opens by defining (a model so defined belongs to the catalog instead)."""
    d = _LATIN_IS.match(s.text) if not s.heading else None
    if d is None or registry.is_model_name(d.group("t")):
        return []
    # "NF4 是一种…数据类型": an abbreviation so defined is a term too, under the Chinese name
    # a note spells it out with, if one does.
    abbr = d.group("t") if _is_abbr(d.group("t")) else ""
    return [Candidate(d.group("t"), "", abbr, Evidence(s, 0, len(s.text)), True, rule="latin-defined")]


_ABBR_IS = re.compile(rf"^(?P<a>[A-Za-z][A-Za-z0-9\-]{{1,9}})\s*[，,]?\s*(?:是|即|就是|也就是|指)\s*"
                      rf"(?P<t>[{_CJK}]{{2,10}})"
                      r"(?:的(?:缩写|简称|英文缩写))?\s*(?:[，,。；;]|$)")


def _abbr_named(s: Sentence, registry: Registry, segmenter: Segmenter) -> list[Candidate]:
    """"MRR 是平均倒数排名，…", "Seq2Seq，即序列到序列，…": an abbreviation the sentence opens by
    naming in Chinese (not "GPT 是一种模型", not a model's name)."""
    d = _ABBR_IS.match(s.text) if not s.heading else None
    if d is None or not _is_abbr(d.group("a")) or registry.names_a_thing(d.group("a")):
        return []
    term = d.group("t")
    # "PP 是按层拆分模型": what it does (按/把/将 … opens a verb phrase), not its name
    if not _term_shaped(term) or "的" in term or re.match(r"[一这那该其某每各按把将对用让使给在从向为以被通]", term):
        return []
    return [Candidate(term, "", d.group("a"), Evidence(s, 0, len(s.text)), True, rule="abbr-named")]


_ASKED = re.compile(rf"^(?:什么是|何为|何谓)\s*(?P<a>[{_CJK}A-Za-z][{_CJK}A-Za-z0-9 \-]{{1,15}}?)[？?]?$"
                    rf"|^(?P<b>[{_CJK}A-Za-z][{_CJK}A-Za-z0-9 \-]{{1,15}}?)\s*(?:是什么|的定义|的概念)[？?]?$")


def _heading_question(s: Sentence, registry: Registry, segmenter: Segmenter) -> list[Candidate]:
    """A heading that asks what a term is ("什么是注意力机制", "RLHF 是什么？") names it; its
    section says what it is."""
    m = _ASKED.match(s.text) if s.heading else None
    if m is None:
        return []
    name = (m.group("a") or m.group("b")).strip()
    if registry.is_model_name(name):
        return []
    abbr = name if _is_abbr(name) else ""
    return [Candidate(name, "", abbr, Evidence(s, 0, len(s.text)), True, rule="heading-question")]


# An item's number before its text: "1）", "2.", "（3）".
_NUMBERING = re.compile(r"\s*(?:\d{1,2}[.)）、．]|[（(]\d{1,2}[)）])?\s*")
_LABEL = re.compile(rf"(?P<t>[{_CJK}][{_CJK}A-Za-z0-9]{{1,11}})\s*[：:]\s*(?P<rest>.+)$")
# "忠实性幻觉：指…"; also "蕴含率：该指标定义为…": what the label names, defined through a word
# that points back at it (not "…：这也是一个惯常优化方法", which only classes it).
_LABEL_DEFINES = re.compile(rf"^(?:是指|指的是|是一种|是一个|是一类|可以定义为|被定义为"
                            rf"|{_MEANS_VERB}"
                            rf"|(?:(?:该|此)[{_CJK}]{{1,3}}?|它|其)(?:被?定义为|是指|指的是))")
_RESTATED_VERB = re.compile(r"\s*(?:是|指|即|通过|就是|表示|代表|描述)")


def _label_restated(s: Sentence, registry: Registry, segmenter: Segmenter) -> list[Candidate]:
    """"抽取式摘要：抽取式摘要通过直接从原文中选取…": a label whose text opens by saying what it
    is (it again, then 是 / 指 / 通过 …; or straight 是指 / 是一种) — an entry of a definition list.
    A label of advice ("数据增强：在预训练过程中，可以采用数据增强的技术") names a step, no term."""
    m = _LABEL.match(s.text, _NUMBERING.match(s.text).end()) if not s.heading else None
    if m is None:
        return []
    term, rest = m.group("t"), m.group("rest")
    restated = rest.startswith(term) and _RESTATED_VERB.match(rest, len(term)) is not None
    # "模型的大小：模型的大小是…" says something of a phrase, not of a term.
    if not (restated or _LABEL_DEFINES.match(rest)) or "的" in term or registry.is_model_name(term):
        return []
    return [Candidate(term, "", "", Evidence(s, 0, len(s.text)), True, rule="label-restated")]


# "HNSW：分层可导航小世界图，…", "BitFit：只训练各层的 bias 项": an abbreviation as the label of an
# entry of a list that says what it is.
_ABBR_LABEL = re.compile(r"(?P<a>[A-Za-z][A-Za-z0-9\-]{1,11})\s*[：:]\s*(?P<rest>.+)$")


def _abbr_labelled(s: Sentence, registry: Registry, segmenter: Segmenter) -> list[Candidate]:
    m = _ABBR_LABEL.match(s.text, _NUMBERING.match(s.text).end()) if not s.heading else None
    if m is None or not _is_abbr(m.group("a")) or registry.names_a_thing(m.group("a")):
        return []
    rest = m.group("rest")
    if len(re.findall(f"[{_CJK}]", rest)) < 6 or _asks(rest):
        return []
    return [Candidate(m.group("a"), "", m.group("a"), Evidence(s, 0, len(s.text)), True, rule="abbr-label")]


# "这被作者称为**tokens 危机**", "这个过程也被称为 Uptraining。", "（称为香农游戏）": the name a naming
# verb gives, marked or running to the end of its clause.
# "…只和它前面的 n−1 个词有关，这就是马尔可夫假设。": what was described, named at the end.
_THAT_IS = "这就是|这便是"
_NAMED_AS = re.compile(rf"(?<!名)(?:{_NAMING}|{_THAT_IS})\s*"
                       rf"(?:\x00(?P<m>[^\x00]{{2,16}})\x00|[“「‘](?P<q>[^”」’]{{2,16}})[”」’]"
                       rf"|(?P<p>[{_CJK}A-Za-z][{_CJK}A-Za-z0-9 \-]{{1,15}}?))\s*(?=[。，,；;！!）)]|$)")
# A plain name ends at its clause; "称为 A 和 B", "称为预训练的阶段" name no one term.
_NOT_ONE_NAME = re.compile(r"的|和|与|或|及|等|^[一这那该其某每各是它他她]")


def _named_as(s: Sentence, registry: Registry, segmenter: Segmenter) -> list[Candidate]:
    """A sentence that describes something and then names it ("…，这被作者称为**tokens 危机**")
    gives a term: the name after the naming verb, when it is a name (marked by bold or quotes,
    or the whole rest of its clause) and the sentence says what it names."""
    if s.heading or _asks(s.text):
        return []
    text = _marked(s.raw)
    out = []
    for m in _NAMED_AS.finditer(text):
        term = (m.group("m") or m.group("q") or m.group("p")).strip()
        plain = m.group("p") is not None
        said = _SAYS_MORE.sub("", _BRACKET.sub("", text[: m.start()] + text[m.end():]))
        # A plain word of two characters is mostly a word of the language ("也可以叫做算法").
        if not _term_shaped(term) or _HARD.search(term) or (plain and _NOT_ONE_NAME.search(term)) \
                or (plain and len(term) < 3 and _HAN.search(term)) \
                or registry.names_a_thing(term) or registry.is_model_name(term) \
                or len(re.findall(f"[{_CJK}]", said)) < _NAMING_CONTENT:
            continue
        out.append(Candidate(term, "", "", Evidence(s, 0, len(s.text)), True, rule="named-as"))
    return out


NamingRule = Callable[[Sentence, Registry, Segmenter], list[Candidate]]
NAMING: dict[str, NamingRule] = {"bracket": _bracket_names, "is-defined": _is_defined,
                                 "latin-defined": _latin_defined, "abbr-named": _abbr_named,
                                 "heading-question": _heading_question,
                                 "label-restated": _label_restated, "named-as": _named_as,
                                 "abbr-label": _abbr_labelled}


# A heading that is a bare name: letters, digits, spaces and hyphens.
_BARE_NAME = re.compile(rf"[{_CJK}A-Za-z][{_CJK}A-Za-z0-9 \-]*")


def _titled_and_defined(sentences: list[Sentence], registry: Registry) -> list[Candidate]:
    """A section titled by a bare name whose text opens by saying what it is ("朴素流水线并行"
    over "朴素流水线并行是实现流水线并行训练的最直接的方法。") names a term: the title says it is
    a subject, the opening that it is defined (rule titled-defined)."""
    opening: dict[Place, Sentence] = {}
    for s in sentences:
        if not s.heading:
            opening.setdefault(s.place, s)
    out: list[Candidate] = []
    for s in sentences:
        name = s.text.strip()
        first = opening.get(s.place) if s.heading else None
        if first is None or not (_BARE_NAME.fullmatch(name) and _term_shaped(name)) or "的" in name \
                or _asks(first.text) \
                or registry.is_model_name(name) or registry.names_a_thing(name):
            continue
        text = _marked(first.raw)
        lead = _LEAD.match(text)
        start = lead.end() if lead else 0
        if not text[start:].lower().startswith(name.lower()):
            continue
        d = _DEFINES.match(text, start + len(name))
        # A Latin name is often a model, a tool or a company ("Clearview AI 是一家…公司",
        # "spanBERT 是提出…"): only a sentence that says what kind of thing it is defines it.
        verbs = _STRONG_VERBS if name[0].isascii() else None
        if d is not None and d.group("v") not in "：:" and (verbs is None or d.group("v") in verbs) \
                and _says_what(text, name, d):
            out.append(Candidate(name, "", "", Evidence(first, 0, len(first.text)), True, rule="titled-defined"))
    return out


def candidates(sentences: list[Sentence], registry: Registry, segmenter: Segmenter) -> list[Candidate]:
    """Every naming rule over every sentence, in reading order; then the titled sections."""
    return [c for s in sentences for rule in NAMING.values() for c in rule(s, registry, segmenter)] + \
        _titled_and_defined(sentences, registry)


def _term_shaped(term: str, latin: int = 24) -> bool:
    """A name of at most 12 characters, or ``latin`` when it has no Chinese ("LLM-as-a-Judge")."""
    return bool(term) and not is_sentence_piece(term) and len(term) <= (12 if _HAN.search(term) else latin)


def _trusted(cands: list[Candidate], known: Iterable[str]) -> list[Candidate]:
    """Candidates whose Chinese name can be trusted: marked by the writer, a word of the domain
    vocabulary, or written marked somewhere else; never a piece of a sentence."""
    marked = {c.term for c in cands if c.clean and c.rule != "latin-gloss"}
    vocab = set(known) | marked
    # A gloss ("Kelly（个人）", "Input（输入）") names a term only one that is written as a
    # term elsewhere.
    return [c for c in cands if _term_shaped(c.term) and (c.clean or c.term in vocab)
            and (c.rule != "latin-gloss" or c.term in marked)]


# --------------------------------------------------------------------------- grouping and names


def _norm_en(english: str) -> str:
    """An English name as a key: lower case, letters and digits, a plural's s dropped
    (Large Language Models = Large Language Model)."""
    return re.sub(r"[^a-z0-9]", "", re.sub(r"(?<=[a-z]{3})s\b", "", english.lower()))


def _group(cands: list[Candidate]) -> list[list[Candidate]]:
    """Candidates naming one term: the same Chinese name or English name; an abbreviation joins
    only candidates that give no English name (PLM is two different terms in two notes)."""
    cands = _without_loose_glosses(cands)
    parent = list(range(len(cands)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # An acronym names one term: names given with two different ones ("语言模型（LM）" and
    # "LLM（语言模型）") are not joined into one term by what else they share.
    acronyms = [{acronym(c.abbr or c.term)} - {""} for c in cands]

    def join(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b and not (acronyms[a] and acronyms[b] and not acronyms[a] & acronyms[b]):
            parent[a] = b
            acronyms[b] |= acronyms[a]

    index: dict[str, int] = {}
    terms = {c.term for c in cands}
    for i, c in enumerate(cands):
        base = c.term[:-2] if c.term.endswith("能力") and c.term[:-2] in terms else c.term
        english = c.english or ("" if re.search(f"[{_CJK}]", c.term) else c.term)  # "Causal LM 是…"
        keys = [f"t:{base}", f"e:{_norm_en(english)}" if english else ""]
        if c.abbr:
            keys.append(f"a:{c.abbr}" if not c.english else f"ae:{c.abbr}:{_norm_en(c.english)}")
            if not c.english:
                keys.append(f"a:{c.abbr}")
        for key in keys:
            if key:
                join(i, index.setdefault(key, i))
    _join_bare_abbreviations(cands, find, parent)
    _join_unspelled_abbreviations(cands, find, parent)
    _join_spelt_out_abbreviations(cands, find, parent)
    groups: dict[int, list[Candidate]] = {}
    for i, c in enumerate(cands):
        groups.setdefault(find(i), []).append(c)
    return list(groups.values())


def _without_loose_glosses(cands: list[Candidate]) -> list[Candidate]:
    """An acronym glossed with the Chinese name the notes spell out for another acronym
    ("LLM（语言模型）" where "语言模型（Language Model，LM）") is a loose gloss: it names neither."""
    spelled: dict[str, set[str]] = {}
    # acronym → the Chinese names given with its English name; LLM, the subject of every note,
    # is spelt out as 大语言模型 whether or not a note says so ("Agent = LLM（大脑）+ 规划").
    names: dict[str, set[str]] = {"LLM": {"大语言模型"}}
    for c in cands:
        if c.english and acronym(c.abbr):
            spelled.setdefault(c.term, set()).add(acronym(c.abbr))
            if _HAN.search(c.term):
                names.setdefault(acronym(c.abbr), set()).add(c.term)
    return [c for c in cands if (c.english or not acronym(c.abbr)
            or not spelled.get(c.term, {acronym(c.abbr)}) - {acronym(c.abbr)}) and not _figure_of_speech(c, names)]


def _figure_of_speech(c: Candidate, names: dict[str, set[str]]) -> bool:
    """"LLM（大脑）和 Tools（手脚）": a gloss that shares no word with the name the notes spell the
    acronym out as (大型语言模型（Large Language Models，LLMs）) is a figure of speech, no name."""
    known = names.get(acronym(c.abbr), set()) if c.rule == "latin-first" else set()
    return bool(known) and not any(_bigrams(c.term) & _bigrams(name) for name in known)


def _bigrams(name: str) -> set[str]:
    han = "".join(_HAN.findall(name))
    return {han[i : i + 2] for i in range(len(han) - 1)}


def _join_bare_abbreviations(cands: list[Candidate], find: Callable[[int], int], parent: list[int]) -> None:
    """A term that is nothing but its abbreviation ("LLM 是一个快速发展的领域") is the term the
    notes spell that abbreviation out as (大语言模型（Large Language Model，LLM）), when they
    spell it out one way only; two spellings (PLM) leave it alone."""
    spelled: dict[str, set[int]] = {}
    for i, c in enumerate(cands):
        if c.abbr and (c.english or re.search(f"[{_CJK}]", c.term)):
            spelled.setdefault(c.abbr.upper(), set()).add(find(i))  # COT is CoT
    for i, c in enumerate(cands):
        bare = not c.english and not re.search(f"[{_CJK}]", c.term) and c.term == (c.abbr or c.term)
        roots = spelled.get(c.term.upper(), set())
        if bare and len({find(r) for r in roots}) == 1:
            parent[find(i)] = find(next(iter(roots)))


def _join_spelt_out_abbreviations(cands: list[Candidate], find: Callable[[int], int], parent: list[int]) -> None:
    """An abbreviation spelt out in English only ("MRR（Mean Reciprocal Rank）") is the term a
    note gives that abbreviation a Chinese name for ("MRR 是平均倒数排名"), when one term does
    and it spells the abbreviation out the same way or not at all."""
    named: dict[str, set[int]] = {}
    for i, c in enumerate(cands):
        if c.abbr and re.search(f"[{_CJK}]", c.term):
            named.setdefault(c.abbr, set()).add(i)
    for i, c in enumerate(cands):
        if c.rule != "spelt-out":
            continue
        roots = {find(j) for j in named.get(c.abbr, ())}
        if len(roots) != 1:
            continue
        root = next(iter(roots))
        spellings = {_norm_en(cands[j].english) for j in named[c.abbr] if cands[j].english}
        if not spellings or _norm_en(c.english) in spellings:
            parent[find(i)] = root


def _join_unspelled_abbreviations(cands: list[Candidate], find: Callable[[int], int], parent: list[int]) -> None:
    """A Chinese name given with its abbreviation only ("基于人类反馈的强化学习（RLHF）") is the
    term the notes spell that abbreviation out in English for (强化学习与人类反馈（Reinforcement
    Learning with Human Feedback，RLHF）), when one term does and the two names are made of the
    same characters or start alike; "置换语言模型（PLM）" is not "预训练语言模型（…，PLM）"."""
    spelled: dict[str, list[int]] = {}
    for i, c in enumerate(cands):
        if c.abbr and c.english and re.search(f"[{_CJK}]", c.term):
            spelled.setdefault(c.abbr, []).append(i)
    for i, c in enumerate(cands):
        others = spelled.get(c.abbr, []) if c.abbr and not c.english else []
        if not others or len({find(j) for j in others}) != 1:
            continue
        mine = _content_chars(c.term)
        if mine and any(mine <= _content_chars(cands[j].term) or _content_chars(cands[j].term) <= mine
                        or _same_start(c.term, cands[j].term) for j in others):
            parent[find(i)] = find(others[0])


def _same_start(a: str, b: str) -> bool:
    """Two Chinese names that start with the same three characters or more ("掩码语言建模" and
    "掩码语言模型" for MLM): one name written two ways."""
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n] and _HAN.match(a[n]):
        n += 1
    return n >= 3


def _content_chars(name: str) -> set[str]:
    """The Chinese characters of a name other than the particles that join its words."""
    return _han_chars(name) - set("的与和及之")


def _han_chars(name: str) -> set[str]:
    return set(_HAN.findall(name))


_HAN = re.compile(f"[{_CJK}]")


def _name(group: list[Candidate]) -> Term:
    """The term's Chinese name (the one the notes use most), English name, abbreviation."""
    bracketed = [c for c in group if c.english or c.abbr]
    pool = bracketed or group
    # A Chinese name when the notes give one (大语言模型, not the bare LLM that joined it).
    named = [c for c in pool if re.search(f"[{_CJK}]", c.term)] or pool
    counts = Counter(c.term for c in named)
    # Names used equally often: the one the sentence that best introduces the term uses.
    provisional = min(counts, key=lambda t: (-counts[t], len(t), t))
    best_intro = min(named, key=lambda c: _intro_rank(c.evidence, provisional))
    term = min(counts, key=lambda t: (-counts[t], t != best_intro.term,
                                      not any(c.clean and c.term == t for c in pool), len(t), t))
    english = _pick([c.english for c in group if c.english])
    # The abbreviation as a name spelt out writes it (CoT), not as a bare question did (COT 是什么).
    abbr = _pick([c.abbr for c in group if c.abbr and c.term != c.abbr] or [c.abbr for c in group if c.abbr])
    others = Counter(c.term for c in group if c.clean and c.term.lower() not in
                     {n.lower() for n in (term, term + "能力", abbr, english)} and _akin(c.term, term))
    aliases = sorted(set(repeated_names(others)) |
                     {c.alias for c in group if c.alias and c.alias != term and _term_shaped(c.alias, latin=12)})
    aliases = [a for a in aliases if not _acts_on(a, {term, *aliases}) and not _head_word(a, term)]
    forms = [term, *aliases] + ([abbr] if abbr else []) + ([english] if english else [])
    # A name given with its Chinese name introduces the term better than one spelt out in
    # English only ("使用 MLM（Masked Language Modeling）作为预训练目标").
    intro = min(pool, key=lambda c: (c.rule == "spelt-out", _intro_rank(c.evidence, term))).evidence
    spelled = any(c.rule == "latin-first" or (c.abbr and c.rule == "bracket") for c in group)
    return Term(term, english, abbr, aliases, intro, None, intro.sentence.place, forms=forms,
                intros=[c.evidence for c in pool], spelled_out=spelled)


def _acts_on(name: str, names: set[str]) -> bool:
    """Whether a name is a step that works on the term ("微调大型语言模型 (LLM) 是提高其性能的…
    方法" gives LLM the name 微调大型语言模型, "训练一个奖励模型（RM）" RM that of a step,
    "减少批量大小（batch size）" 批次大小 that of an advice): a step verb, then what shares two
    characters or more with another name of the term. No name of it."""
    step = _STEP.match(name)
    rest = _content_chars(name[step.end():]) if step else set()
    return len(rest) >= 2 and any(n != name and len(rest & _content_chars(n)) >= 2 for n in names)


def _head_word(name: str, term: str) -> bool:
    """Whether a name is only the last word of the term (模型 of 语言模型, 微调 of 有监督微调):
    the broader kind it is, no other name of it ("束搜索" of 集束搜索 is one)."""
    return len(name) <= 2 and len(term) >= len(name) + 2 and term.endswith(name)


def _akin(other: str, term: str) -> bool:
    """Whether another Chinese name of the same English term can be its alias: it shares a word
    (two characters running) with the name ("知识蒸馏" for "蒸馏"), or a character when one of the
    two is a word of two ("行动" for "动作"). A gloss that shares none names something else
    ("zero-shot（绿色）" under a figure is its colour, not 零样本学习; the step "强化学习微调 (PPO)"
    is no name of 近端策略优化, however both end in 化); so does one that joins two things with
    和 or 与 when the name does not ("偏好采样和奖励学习 (RM)", a step, is no name of 奖励模型)."""
    mine, theirs = _han_chars(other), _han_chars(term)
    if not mine or not theirs:
        return True
    if _JOINS_TWO.search(other) and not _JOINS_TWO.search(term):
        return False
    if min(len(mine), len(theirs)) <= 2:
        return bool(mine & theirs)
    return bool(_bigrams(other) & _bigrams(term))


# A conjunction between two words of a name: "偏好采样和奖励学习" names two things.
_JOINS_TWO = re.compile(f"[{_CJK}]{{2}}(?:和|与|及|以及)[{_CJK}]{{2}}")


def _own_aliases(terms: list[Term]) -> list[Term]:
    """A name is one term's: an alias that is another term's name ("LLM（语言模型）" makes
    语言模型 an alias of 大语言模型, and 语言模型 is an entry of its own) is dropped."""
    names = {t.term for t in terms}
    for t in terms:
        taken = {a for a in t.aliases if a in names}
        if taken:
            t.forms = [f for f in t.forms if f not in taken]
            t.aliases = [a for a in t.aliases if a not in taken]
    return terms


def _intro_rank(e: Evidence, term: str) -> tuple:
    """Prefer a sentence that introduces this term alone over a list item that is only the
    term (预训练语言模型（PLM）) or a sentence that brackets three terms at once."""
    text = e.sentence.text
    bare = len(re.sub(r"[（(][^）)]*[）)]", "", text)) <= len(term) + 2
    brackets = len(re.findall(r"[（(][^）)]*[A-Za-z][^）)]*[）)]", text))
    return (e.sentence.heading, bare, brackets, e.sentence.order)


def _pick(values: list[str]) -> str:
    if not values:
        return ""
    counts = Counter(values)
    by_norm = Counter(_norm_en(v) for v in values)
    best_norm = max(by_norm, key=lambda n: (by_norm[n], len(n), n))  # a tie: the fuller name
    same = [v for v in counts if _norm_en(v) == best_norm]
    return max(same, key=lambda v: (sum(ch.isupper() for ch in v), counts[v], v))


# --------------------------------------------------------------------------- defining rules


@dataclass
class _Definitions:
    """Each term's best defining sentence, found in one pass over the sentences: a term form
    is looked up where a sentence (or its label) starts, through one index of every form."""

    terms: list[Term]
    sentences: list[Sentence]
    best: dict[int, tuple[int, int, Evidence]] = field(default_factory=dict)  # term → (score, -order, ev)

    def find(self) -> None:
        owners: dict[str, list[int]] = {}
        for i, t in enumerate(self.terms):
            for f in (t.term, t.abbr, t.english):  # an alias ("微调" for SFT) may be another term
                if f:
                    owners.setdefault(f.lower(), []).append(i)
        if not owners:
            return
        forms = sorted(owners, key=lambda f: (-len(f), f))
        # A Latin form must end at a word boundary (PPO is not the start of PPO-penalty).
        pattern = re.compile("|".join(re.escape(f) + (r"(?![A-Za-z0-9\-])" if re.search(r"[A-Za-z0-9]$", f) else "")
                                      for f in forms), re.IGNORECASE)
        # Each sentence's text with its marks, read once for both kinds of definition.
        texts = [_marked(s.raw) if not s.heading else "" for s in self.sentences]
        for n, s in enumerate(self.sentences):
            if s.heading:
                continue
            text = texts[n]
            lead = _LEAD.match(text)
            start = lead.end() if lead else 0
            if _SOURCE_LINE.match(text[start:]):
                continue
            if self._defines_at(n, text, start, pattern, owners):
                continue
            # "…用的是另一组概念：内在幻觉（intrinsic hallucination）是…；外在幻觉（…）是…": a clause
            # after a colon or semicolon that opens with a glossed term and says what it is, more
            # weakly than a sentence that opens with it.
            for clause in _CLAUSE_START.finditer(text, start):
                self._defines_at(n, text, clause.end(), pattern, owners, clause=True)
            # "这里有个概念叫算术强度（arithmetic intensity），指…", "重排模型一般是交叉编码器（…）：把…":
            # a term glossed right after the verb that introduces it, then said what it is.
            for verb in _INTRODUCES.finditer(text, start):
                self._defines_at(n, text, verb.end(), pattern, owners, glossed=True)
        self._named_after(pattern, owners, texts)

    def _defines_at(self, n: int, text: str, start: int, pattern: re.Pattern[str], owners: dict[str, list[int]],
                    clause: bool = False, glossed: bool = False) -> bool:
        """Offer the definition a sentence gives at ``start`` ("X 是…", "X（English）：…"), if any;
        ``glossed``: a term introduced inside the sentence, which counts only with its gloss."""
        m = pattern.match(text, start)
        if m is None:
            return False
        d = _DEFINES.match(text, m.end())
        if glossed:
            if d is None or not _BRACKET.match(text, m.end()) or not _says_what(text, m.group(0), d):
                return False
            for i in owners[m.group(0).lower()]:
                self._offer(i, 1, Evidence(self.sentences[n], 0, len(self.sentences[n].text)))
            return True
        # In a clause, a verb says what the term is ("源内幻觉（…）是…"); a label's colon there is
        # a list's ("优点：处理未登录词（…）：…").
        if d is None or (clause and (d.group("v") in "：:" or not (d.group("v") in _STRONG_VERBS
                                                                   or _BRACKET.match(text, m.end())))):
            return False
        score = (3 if d.group("v") in _STRONG_VERBS else 2) - clause
        said = self.sentences[n]
        if not _says_what(text, m.group(0), d):
            if clause:
                return False
            # "多 Agent 系统（Multi-Agent Systems）：" opens a record whose "特点：…" line
            # says what it is.
            said, score = self._described_next(n, text, d), 1  # weaker than any "X 是…"
            if said is None:
                return False
        for i in owners[m.group(0).lower()]:
            self._offer(i, score, Evidence(said, 0, len(said.text)))
        return True

    def _named_after(self, pattern: re.Pattern[str], owners: dict[str, list[int]], texts: list[str]) -> None:
        """"我们把这种方法叫作贪心搜索（greedy search），因为它只往后看一个单词": a sentence that
        gives what it describes a name defines that term, more weakly than any "X 是…" (score
        0), and only when it says something besides the name."""
        for s, text in zip(self.sentences, texts, strict=True):
            if s.heading or _asks(s.text):
                continue
            for verb in _NAMES_IT.finditer(text):
                m = pattern.match(text, verb.end())
                if m is None or not (_BRACKETED.match(text, m.end()) or _CLAUSE_ENDS.match(text, m.end())):
                    continue
                rest = text[: verb.start()] + text[m.end():]
                said = _SAYS_MORE.sub("", _BRACKET.sub("", rest))
                if len(re.findall(f"[{_CJK}]", said)) < _NAMING_CONTENT:
                    continue
                for i in owners[m.group(0).lower()]:
                    self._offer(i, 0, Evidence(s, 0, len(s.text)))

    def _described_next(self, n: int, text: str, d: re.Match[str]) -> Sentence | None:
        """The sentence after a bare label ("X（English）："), when it describes X ("特点：…")."""
        if d.group("v") not in "：:" or text[d.end():].strip(" \x00*") or n + 1 >= len(self.sentences):
            return None
        following = self.sentences[n + 1]
        if following.heading or following.place != self.sentences[n].place:
            return None
        return following if _DESCRIBES.match(_LEAD.sub("", _marked(following.raw))) else None

    def _offer(self, i: int, score: int, ev: Evidence) -> None:
        if _names_only(ev.sentence.text, self.terms[i]):
            return  # "CoT: Chain-of-Thought" gives names, not what it is
        key = (score, -ev.sentence.order)
        if i not in self.best or key > self.best[i][:2]:
            self.best[i] = (score, -ev.sentence.order, ev)


# A verb that gives a name to what the sentence describes ("这种方法叫作…", "也被称为…").
_NAMES_IT = re.compile(rf"被?(?:{_NAMING}|{_THAT_IS})\s*\x00?\s*")
# The name given carries its English name or abbreviation in a bracket: "叫作贪心搜索（greedy
# search）" names a term ...
_BRACKETED = re.compile(r"\x00?\s*[（(][^（）()]*[A-Za-z][^（）()]*[）)]")
# ... or end its clause there: "这个过程也被称为 Uptraining。" (_named_as gave that term).
_CLAUSE_ENDS = re.compile(r"\x00?[”」’]?\s*(?:[。，,；;！!）)]|$)")
# Words that say nothing of the term: a pointer at what was described, the naming itself.
_SAYS_MORE = re.compile(r"我们|这种|这个|这类|上面|上述|以上|方法|做法|策略|技术|也|被|把|将|就|它|因此|所以")
_NAMING_CONTENT = 8  # Chinese characters a naming sentence must say besides the name


# Labels of a list of pros, cons or reasons ("优势：实现简单…"): what follows them judges
# something, it does not say what the label word is.
_EVALUATIVE = frozenset(("优势", "劣势", "优点", "缺点", "不足", "局限", "局限性", "好处", "坏处", "特点", "挑战",
                         "问题", "原因", "作用", "目的", "意义", "结果", "结论", "总结", "效果", "区别",
                         # ... or of an example ("示例：我 爱 吃 [MASK] 果"): an instance, not a definition
                         "示例", "例子", "举例", "样例", "案例", "例如", "比如"))


_URL = re.compile(r"https?://\S+")
# What a prompt says to the model ("zero-shot：请你判断这句话的情感…"): a label followed by one
# shows the technique at work, it does not say what the technique is.
_PROMPT = re.compile(r"^[“\"'‘「]?(?:请你|请帮我|请根据|请一步步|你是一[个名位]|你需要|你现在是|假设你是|帮我"
                     r"|让我们一步步)")


# Labels that say a definition of the subject follows ("定义：", "概念：").
_DEFINITION_LABELS = "定义|含义|概念|简介|描述|说明"
# The line of a record that says what its subject is ("- 特点：由多个…协同工作").
_DESCRIBES = re.compile(rf"^\x00?(?:特点|{_DEFINITION_LABELS})\x00?\s*[：:]\s*\S")


def _described_after(line: Sentence, by_order: dict[int, Sentence], t: Term) -> Evidence | None:
    """The sentence right after a line of a term's names, in the same place, when it names the
    term and says what it does ("统计语言模型使用马尔可夫假设…")."""
    following = by_order.get(line.order + 1)
    if following is None or following.heading or following.place != line.place or _asks(following.text):
        return None
    text = following.text.lower()
    named = any(re.search(rf"(?<![a-z0-9]){re.escape(f.lower())}(?![a-z0-9])", text)
                for f in (t.term, t.abbr, t.english) if f)
    # Another line of names ("playing（动词的现在分词，Verb，VBG）") says no more without its brackets.
    if not named or _names_only(_BRACKET.sub("", following.text), t):
        return None
    return Evidence(following, 0, len(following.text))


def _spelt_out_definition(t: Term, by_order: dict[int, Sentence]) -> Evidence | None:
    """An abbreviation spelt out (RAG（检索增强生成）) defines itself. Of the sentences that spell
    it out, one that opens with the term's names is about it and comes first; a sentence that
    glosses it on the way to something else ("神经语言模型使用神经网络…，如循环神经网络（Recurrent
    Neural Networks，RNN）") is shown only when no such one exists. A sentence that says more
    than the names is shown; a line of names alone ("- 统计语言模型（Statistical Language Model,
    SLM）") is described by the next sentence of its place that names the term."""
    usable = [e for e in [*t.intros, t.intro] if not (e.sentence.heading or _asks(e.sentence.text))]
    opening = sorted((e for e in usable if _opens_with(e.sentence, t)), key=lambda e: e.sentence.order)
    for ev in dict.fromkeys([*opening, t.intro]):
        if ev not in opening and _OTHER_LABEL.match(_marked(ev.sentence.raw)):
            # "缺点：数据清洗难度大，Context Length（上下文长度）容易超标": an item about its label,
            # which only mentions the term.
            continue
        if ev in usable:
            found = ev if not _names_only(ev.sentence.text, t) else _described_after(ev.sentence, by_order, t)
            if found is not None:
                return found
    return None


def _named_on_the_way(s: Sentence, t: Term) -> bool:
    """Whether a sentence spells the term out as an example or one item of a list on the way to
    something else: "…统计方法，如最大熵模型（MEM）、条件随机场（Conditional Random Field，CRF）
    或…", "用主成分分析、奇异值分解（SVD）等办法…", "通过预训练（…）、监督微调（…），强化学习与
    人类反馈（…，RLHF）三阶段…". It gives the term's names, not what the term is."""
    text = s.text
    found = [(at, name) for name in (t.term, t.abbr, t.english) if name and (at := text.find(name)) >= 0]
    if not found:
        return False
    start, name = min(found)
    end = start + len(name)
    while (gloss := _BRACKET.match(text, end)) is not None:  # "RAG（检索增强生成）", "X（…）（或者 Y）"
        end = gloss.end()
    before = text[:start].rstrip()
    after = text[end:].lstrip()
    clause = _clause_before(before)
    listed = before.endswith("、") or after.startswith(("、", "等")) or "、" in clause
    # "…的生成，如循环神经网络（RNN）。" ends on the example; "如门控循环单元（GRU），用门控制信息流"
    # goes on about it.
    example = bool(_EXAMPLE_OPENER.match(clause)) and (not after.strip("。.！!；; ") or after.startswith(_MORE_ITEMS))
    # "预训练（…）、监督微调（…），强化学习与人类反馈（…）": the list goes on after a comma.
    next_item = not clause and re.search(r"[）)]\s*[，,]$", before) is not None
    return listed or example or next_item or _embedded(clause, after)


def _embedded(clause: str, after: str) -> bool:
    """Whether the term is a part of its clause about something else, not the clause's subject:
    the object its clause ends on ("再提出新的预训练任务——掩码语言模型（…，MLM）"), a modifier
    ("是通用人工智能（…，AGI）的有力竞争者") or a place ("出现在领域特定语言（DSL）中"). A clause
    that goes on about the term ("采用思维链（…）推理策略，先写出…") is not; nor is one that only
    names it ("一种名为思维图（…）的方法", "即检索增强生成（RAG）") or points at it ("这就是…的思路")."""
    subject = CONNECTIVE.sub("", _EXAMPLE_OPENER.sub("", clause.strip(" \x00-*+>#—–"))).strip(" \x00，,")
    if not subject or _NAMES_OR_POINTS.search(subject):
        return False
    return not after or after[0] in "，,。；;：:！!？?的中里上"


# The end of a clause that names the term or points at it: what follows is about the term.
_NAMES_OR_POINTS = re.compile(rf"(?:{_NAMING}|{_CALLED}|名为|即|也就是|"
                              r"又称|也称|^(?:这|那|它)(?:就|也|便)?(?:是|即))$")


# Words that open an example or a list of them ("如", "例如", "包括"), and that add another item.
_EXAMPLE_OPENER = re.compile(r"^(?:例如|比如|譬如|诸如|如|包括)")
_MORE_ITEMS = ("、", "等", "或", "和", "及", "以及", "与")


def _clause_before(before: str) -> str:
    """The part of a clause that comes before a position (what follows its last comma, colon
    or full stop outside brackets)."""
    depth = 0
    for i in range(len(before) - 1, -1, -1):
        ch = before[i]
        if ch in "）)":
            depth += 1
        elif ch in "（(":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in "，,；;：:。！？":
            return before[i + 1:].strip()
    return before.strip()


# A label that opens a sentence ("缺点：", "**设计理念**：", "学习目标："): what the sentence is about;
# not one that says a definition follows ("定义：", "概念：").
_OTHER_LABEL = re.compile(rf"^\W{{0,3}}+(?!(?:{_DEFINITION_LABELS})\x00?\s*[：:])[^\s：:，。,]{{1,8}}\x00?\s*[：:]")


def _opens_with(s: Sentence, t: Term) -> bool:
    """Whether a sentence starts (after a list mark or "所谓") with one of the term's names."""
    text = _marked(s.raw)
    rest = text[_LEAD.match(text).end():].lstrip(_OPENING + " ").lower()
    return any(rest.startswith(f) for f in _names_of(t))


def _names_of(t: Term) -> set[str]:
    """Every name of a term, lower case (its forms, and the names a term built by hand gives)."""
    return {f.lower() for f in (t.term, t.english, t.abbr, *t.aliases, *t.forms) if f}


def _names_only(text: str, t: Term) -> bool:
    """Whether a sentence says nothing but the term's names ("CoT: Chain-of-Thought",
    "Repetition Penalty（重复惩罚）：", "top_p: Top Cumulative Probability（最高累加概率）")."""
    rest = text.lower()
    for form in sorted(_names_of(t), key=len, reverse=True):
        rest = rest.replace(form, " ")
    han = len(re.findall(f"[{_CJK}]", rest))
    latin = len(re.findall(r"[a-z]{2,}", rest))
    return han + 2 * latin < _SAYS_SOMETHING


_SAYS_SOMETHING = 4  # Chinese characters (a Latin word counts two) a definition says besides names


def _asks(text: str) -> bool:
    """A question defines nothing."""
    return text.rstrip().endswith(("？", "?"))


def _says_what(text: str, form: str, d: re.Match[str]) -> bool:
    """Whether a sentence that opens with a term and a defining verb says what the term is:
    not a question ("适应：我们如何…？"), not a bare label whose text follows in a list or
    formula ("计算功耗（kWh）："), not a label of pros and cons ("优势：…")."""
    if _asks(text):
        return False
    if d.group("v") in "：:":
        rest = text[d.end():].strip(" \x00*")
        return bool(rest) and form not in _EVALUATIVE and not _PROMPT.match(rest) and \
            bool(_URL.sub("", rest).strip(" 。.<>")) and \
            not _LEADS_INTO.fullmatch(rest) and \
            not re.match(r"[~～≈约]?\s*\d", rest)  # "RLHF：https://…" points; "权重衰减：0.01" sets a value
    return True


# A label's text that only leads into what follows ("模型状态（Model States）：包含：").
_LEADS_INTO = re.compile(r".{0,6}[：:]\s*")


def _titled_sections(layout: Layout) -> dict[str, Place]:
    """Sections named after a term ("上下文学习（In-Context Learning，ICL）", "什么是注意力机制"):
    every name the title gives → the first such section."""
    out: dict[str, Place] = {}
    for _page, item, place in placed_items(layout):
        title = item.title
        core = re.sub(r"[（(].*?[）)]", "", title).strip()
        m = _TITLE_TERM.match(core)
        names = {core, m.group("t") if m else core}
        names |= {p.strip() for part in re.findall(r"[（(]([^）)]*)[）)]", title) for p in re.split(r"[，,]", part)}
        for n in names:
            key = re.sub(r"\s+", "", n).lower()
            if key:
                out.setdefault(key, place)
    return out


_SOURCE_LINE = re.compile(r"^\W*(?:文章来源|来源|原文|出处|参考|论文|代码|链接|地址|项目地址|文章\s*[：:])")
# An example ("例如，在多轮对话中，用户的下一条输入…") shows a use of the term, not what it is.
_EXAMPLE = re.compile(r"^(?:例如|比如|譬如|举例来说|举个例子|打个比方)")


def _opening(place: Place, by_place: dict[Place, list[Sentence]], t: Term) -> Evidence | None:
    """In the section titled by a term, the first sentence whose subject is the term, else the
    first that names it (never a source line or a link to a paper, a question, a lead-in or an
    example)."""
    # A question or a lead-in ("RoPE 的代码实现如下所示：") says nothing of what the term is.
    sentences = [s for s in by_place.get(place, []) if not (_SOURCE_LINE.match(s.text) or _asks(s.text)
                                                           or s.text.rstrip().endswith(("：", ":"))
                                                           or _EXAMPLE.match(_LEAD.sub("", s.text)))]
    forms = [f.lower() for f in (t.term, t.abbr, t.english) if f]
    # A sentence that names it under a label of its own ("学习目标：理解 Scaling Laws 原理") is
    # about that label.
    for test in (lambda s: any(_LEAD.sub("", s.text).lower().startswith(f) for f in forms),
                 lambda s: any(f in s.text.lower() for f in forms) and not _OTHER_LABEL.match(_marked(s.raw))):
        s = next((s for s in sentences[:6] if test(s)), None)
        if s is not None:
            return Evidence(s, 0, len(s.text))
    return None


# --------------------------------------------------------------------------- the glossary


def build_glossary(sentences: list[Sentence], layout: Layout, registry: Registry,
                   segmenter: Segmenter) -> list[Term]:
    cands = _trusted(candidates(sentences, registry, segmenter), segmenter.words)
    named = _own_aliases([_name(g) for g in _group(cands)])
    defs = _Definitions(named, sentences)
    defs.find()
    titled = _titled_sections(layout)
    by_order = {s.order: s for s in sentences}
    first_of: dict[Place, list[Sentence]] = {}
    for s in sentences:
        if not s.heading:
            first_of.setdefault(s.place, []).append(s)
    out: list[Term] = []
    for i, t in enumerate(named):
        found = defs.best.get(i)
        section = next((titled[k] for f in t.forms if (k := re.sub(r"\s+", "", f).lower()) in titled), None)
        definition = found[2] if found else None
        if definition is None and section is not None:
            definition = _opening(section, first_of, t)
        spelt = definition is None and t.spelled_out
        if spelt:
            definition = _spelt_out_definition(t, by_order)
        if definition is None:
            continue  # named, never defined: not a glossary entry
        # A sentence that spells the term out on the way to something else gives its names (an
        # entry, a tooltip) and where it is used, no definition.
        on_the_way = spelt and not _opens_with(definition.sentence, t) and _named_on_the_way(definition.sentence, t)
        t.definition = None if on_the_way else definition
        t.link = section or definition.sentence.place
        out.append(t)
    out = _another_name_of(out)
    out.sort(key=lambda t: ((t.abbr or t.english or "\uffff" + t.term).lower(), t.term))
    used: set[str] = set()
    for t in out:
        base = "term-" + slugify(t.abbr or t.english or t.term)
        anchor, n = base, 2
        while anchor in used:
            anchor, n = f"{base}-{n}", n + 1
        used.add(anchor)
        t.anchor = anchor
    return out


# "大模型一般指大语言模型（LLM）": what follows a term whose definition only gives another name.
_SAME_LEAD = re.compile(r"^\W{0,3}(?:所谓\s*)?")
_SAME_AS = re.compile(rf"\s*[，,]?\s*(?:{_ADVERB}|也就是|其实)?\s*(?:是指|指的是|指|即|就是)\s*"
                      r"(?P<other>[^（(，,。；;：:\s]{2,16})\s*(?:[（(，,。；;]|$)")


def _another_name_of(terms: list[Term]) -> list[Term]:
    """A term whose definition says it is another term, and no more than that name ("大模型一般
    指大语言模型（LLM），即…", "SFT 即有监督微调。"), is another name of that term: an alias of
    its entry, not an entry of its own. Not "X 是指 Y 的一种变体" (the name goes on)."""
    by_name = {n: t for t in terms for n in (t.term, *t.aliases) if n}
    gone: set[int] = set()
    for t in terms:
        if t.definition is None:
            continue
        # One pattern for every term (a pattern per term would be compiled anew each build).
        text = _SAME_LEAD.sub("", t.definition.sentence.text, count=1)
        m = _SAME_AS.match(text, len(t.term)) if text.startswith(t.term) else None
        other = by_name.get(m.group("other")) if m else None
        if other is None or other is t or id(other) in gone:
            continue
        gone.add(id(t))
        for name in (t.term, *t.aliases):
            if name not in other.aliases and name != other.term:
                other.aliases.append(name)
                other.forms.append(name)
    return [t for t in terms if id(t) not in gone]


def abbreviations(terms: list[Term]) -> dict[str, str]:
    """Each abbreviation's tooltip: its term's name (and English name). Of two terms with one
    abbreviation the one it is spelt out for in English says what it stands for ("强化学习优化
    （PPO）", a step of RLHF, and "近端策略优化（Proximal Policy Optimization，PPO）")."""
    out: dict[str, str] = {}
    for t in sorted(terms, key=lambda t: not t.english):  # stable: else the glossary's order
        if t.abbr and t.abbr not in out:
            out[t.abbr] = f"{t.term}（{t.english}）" if t.english else t.term
    return out


def glossary_terms(terms: list[Term]) -> list[str]:
    return sorted({w for t in terms for w in (t.term, t.english, t.abbr, *t.aliases) if w})
