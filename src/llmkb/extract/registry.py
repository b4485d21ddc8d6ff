"""Which names in the notes are models, and which names mean the same model.

A Latin name (GPT-4, ChatGLM3-6B, Qwen-7B-Chat) is a candidate; it becomes a model on
evidence the notes give: it names a section of the catalog page, a size is written into
it or bound to it (GPT-3（1750 亿参数）, BERT 的 3.3 亿参数), it is what someone released
(Google 发布了 PaLM 2), it is defined as a model (ELMo 是…预训练语言模型; a later clause may
go on defining it: "Kimi 是…推出的智能助手，背后是…自研的闭源大模型"), it is an assistant or
chatbot someone released (X 是 Y 在 2023 年 10 月推出的智能助手), or a noun says so
(Google T5 模型, 预训练语言模型 BERT, 开源大模型——Yi). An architecture (Transformer 架构) or
a data set, product or technique is not a model. A Chinese product name is a model when
it names a catalog section whose text names it too, is defined in bold at a section
start (**讯飞星火认知大模型**是…), or follows its organization (百度文心大模型).

Size and role suffixes fold into one model (Qwen-7B-Chat → Qwen); an explicit bracket
(Qwen（通义千问）), a section's own subject and a shortened Chinese name (讯飞星火) make
aliases.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..models import CATALOG_TOPIC, Place, Sentence
from ..names import LATIN_NAME, looks_like_name, name_key, paren_before, split_name
from ..text import ANON_RELEASE
from ..workers import ordered_map
from .orgs import BY, IS_BY, MAKER_LEADS, RECORD_MAKER, Orgs
from .patterns import (
    HEADLINE_RELEASE,
    MAKER_AND_DATE,
    NUMBER_FORMAT,
    OPEN_LICENSE_NAMES,
    PRODUCT_NOUN,
    RELEASE_RE,
    clause_at,
    clauses,
    find_sizes,
)

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
_HEAD_AFTER = re.compile(
    r"^\s*(?:[（(][^）)]{0,40}[）)])?\s*(?:等|这两个|这三个|两种|两个|两款|三个)?\s*(?:系列)?\s*"
    r"(?:预训练|生成式)?\s*(?:语言)?\s*(?:大)?(?:语言)?模型|^\s*系列")
# "模型 X", and in English the name a model's spelt-out name abbreviates: "… Language Model (X)".
_HEAD_BEFORE = re.compile(r"(?:模型|大模型)\s*(?:——|—)?\s*$|\b[Mm]odel\s*[（(]\s*$")
_ARCH_AFTER = re.compile(r"^\s*的?\s*(?:架构|结构|解码器|编码器|子层|层|特征抽取器)")
_OTHER_AFTER = re.compile(
    r"^\s*(?:等\s*)?(?:\d+\s*个)?\s*[^\s，。、；]{0,4}?(?:数据集|基准|产品|项目|技术|框架|系统|算法|格式|"
    r"激活函数|位置编码|量化|接口|平台|工具|应用|芯片|显卡|处理器|加速卡|(?i:[CGTN]PU)s?(?![A-Za-z]))")
_CLASS_AFTER = re.compile(r"^\s*(?:类|之类|式|风格)")
# "LLaVA-Instruct-150K，该数据集是…", "LAION-2B 的 10M 样本": a name said to be data.
_DATA_AFTER = re.compile(r"^\s*[，,]\s*(?:该|这个|这一|此)\s*(?:数据集|数据|语料库?|基准|评测集)"
                         r"|^\s*的\s*\d+(?:\.\d+)?\s*[KkMB万亿]?\s*(?:条|个)?\s*(?:样本|图文对|数据)")
# "谷歌语言大模型 PaLM": words that say what kind of model it is, no name of one.
_KIND_OF_MODEL = re.compile(r"(?:语言|多模态|通用|中文|英文|开源|闭源|对话|预训练|视觉|图像|代码|医疗|金融|行业|"
                            r"基础|基座|千亿|万亿|百亿|超大|大型|最新|新一代|自研|首个|首款|生成式)*大?(?:语言)?模型")
# "ChatGPT 平替", "GPT-4 的开源复刻": another model that stands in for the one named.
_STANDIN_AFTER = re.compile(r"^\s*的?\s*(?:平替|平价替代|替代品|替代者|复刻|克隆|竞品|同款|开源版|开源复现|复现版)")
_AUTHOR_AFTER = re.compile(r"^,\s*[A-Z]\.")
_ENUM_GAP = re.compile(r"^\s*(?:、|和|与|及|或|/|,|以及)\s*$")
_SIZE_PAREN = re.compile(r"^\s*[（(][^）)]*?\d+(?:\.\d+)?\s*(?:万亿|亿|[Bb])")
_SIZE_OF = re.compile(r"^\s*的\s*\d+(?:\.\d+)?\s*(?:万亿|亿|[Bb])\s*(?:个)?\s*参数")
_SIZE_HAS = re.compile(r"^\s*(?:(?:拥有|包含|具有)了?\s*(?:超过)?\s*\d+(?:\.\d+)?\s*(?:万亿|亿|[Bb])"
                       r"|有\s*(?:超过|约)?\s*\d+(?:\.\d+)?\s*(?:万亿|亿|[BbT])\s*(?:个)?\s*参数)")
# "X 的总参数量有 1.2T", "X 的参数量为 70 亿": a parameter count said of the name.
_SIZE_SAID = re.compile(r"^\s*的\s*总?参数(?:量|规模|数量?)?\s*(?:有|为|是|达到?|高达|约为?|超过|仅为?|只有)?\s*"
                        r"(?:约|超过)?\s*\d+(?:\.\d+)?\s*(?:万亿|亿|[BbT](?![A-Za-z]))")
_SIZED = re.compile(r"\d+(?:\.\d+)?\s*(?:万亿|亿|[Bb])\s*(?:个)?\s*参数量?\s*的\s*$")
# "GPT-2（15 亿参数）": a parameter count in the bracket after the name, as plain as "15 亿参数的 GPT-2".
_SIZE_PAREN_COUNTED = re.compile(_SIZE_PAREN.pattern + r"\s*(?:个)?\s*参数")
# "X 是…": a definition of X ("X 是指…" defines a term, not a model).
_DEF_AFTER = re.compile(r"^\s*(?:[（(][^）)]*[）)])?\s*(?:系列)?\s*(?:模型|大模型)?\s*[，,]?\s*"
                        r"(?:都|均|也)?是(?!否|指)")
# "[Qwen2](…) - 阿里云开源的大语言模型系列", "**Yi**：零一万物发布的开源模型": a record that opens
# with a name says what it is after a dash or colon, as "X 是…" does.
_DEF_LEAD = re.compile(r"^\s*(?:[（(][^）)]*[）)])?\s*(?:[-–—]{1,2}|[：:])\s*(?=\S)")
_MODEL_HEAD = re.compile(r"(?:模型|LLM)(?:系列|家族)?$")
_NAMED_MODEL_BEFORE = re.compile(r"(?:模型|LLM)\s*(?:——|—|--)\s*[*`]*\s*$")
# An entry that asks ("Q35：BLIP-2 为何…模型？") defines nothing.
_ASKS = re.compile(r"为何|为什么|如何|怎么|怎样|是否|吗[？?]?$|[？?]")
_DEF_OBJECT = re.compile(r"模型|版本|LLM")
# "Medusa：不要单独的草稿模型，…": a definition that says what it is not.
_NEGATED = re.compile(r"\s*(?:不要|不需要|不用|无需|无须|没有|并非|并不是|不是)")
_PRODUCT = re.compile(PRODUCT_NOUN)
# "X 由 Y 于 2024 年 2 月推出，是一个…语言模型", "X 是…推出的智能助手，背后是…自研的闭源大模型":
# a later clause that defines the sentence's subject (or what it runs on).
# "X 是由 Y 开发和发布的，自称第一个…对话大模型": what it calls itself defines it too.
_DEF_LATER = re.compile(r"^\s*(?:它|其)?\s*(?:的)?\s*(?:背后|底层|底座|内核)?\s*(?:也|还|则|同样)?\s*"
                        r"(?:是(?!否|指)|自称|号称|堪称)")
_BASED_ON = re.compile(r"基于[^的，。；]*$")
_BEFORE_CMP = re.compile(r"(?:比|超过了?|优于|不如|相比于?|相较于?|对标|打败了?|击败了?|战胜了?|超越了?|胜过|"
                         r"赶超)\s*(?:其|它的|它)?\s*(?:前身|前代|前作|上一代|老版本)?\s*$")
_AFTER_CMP = re.compile(
    r"^\s*(?:[（(][^）)]*[）)])?\s*(?:大致|大体|基本|几乎)?\s*(?:的\s*\d+(?:\.\d+)?\s*倍|相媲美|相比|相当|"
    r"对标|相同|不同|相似|类似|一样|相近|接近|持平|为代表|的基础上|的升级版|的改进版|的[^，。；]{0,6}版本)")
# "推出了类 ChatGPT 的巴德", "仿 GPT 的模型": something like the model, not the model.
_LIKE = re.compile(r"(?:(?<![这那此该各一某几两三同])类(?:似于?)?|仿照?)\s*$")
_BETWEEN_VERB = re.compile(r"使用|(?<!预)训练|采用|通过|利用")
# What a release verb released when it comes between the verb and the name: a paper (the name
# is in its title), a library, a data set …, or a copula that starts saying something else
# ("开源了 Qwen1.5，是一个 decoder-only 的模型").
_BETWEEN_OBJECT = re.compile(r"论文|文章|报告|博客|书|教程|课程|库|框架|工具|数据集|平台|《|(?<!于)是(?!否)")
_TAIL_NOT_MODEL = re.compile(r"^[^，。；]*?(?:产品|版本|接口|插件|服务|工具|API|APP)")
_BOLD_DEF = re.compile(rf"^\s*\*\*(?P<x>[{_CJK}A-Za-z0-9 ]{{2,16}})\*\*\s*是")
# "**文心一言**（百度）：2023 年 3 月发布，…": a record of a list, a name in bold, who made it, its release.
_BOLD_RECORD = re.compile(rf"^\s*\*\*(?P<x>[{_CJK}·・]{{2,12}})\*\*\s*[（(](?P<org>[^（）()]{{1,20}})[）)]\s*[：:]"
                          r"(?P<said>[^，。；;]*)")
_SERIES = re.compile(r"\s*系列\s*$")
# The verbs whose object is a model put out as such (提出 proposes methods as often).
_RELEASE_VERBS = r"发布|推出|开源"
_RELEASED_BY = rf"(?:{_RELEASE_VERBS})了?"
# "北京智源研究院发布“悟道 2.0”，参数 1.75 万亿", "华为发布盘古 α（PanGu-α），2000 亿参数": a Chinese
# name that is all a release's object, set off by quotes or by its Latin name in brackets.
_RELEASED_CJK = re.compile(rf"{_RELEASED_BY}\s*(?:[“「]\s*(?P<q>[{_CJK}][{_CJK}\w .·\-]{{1,11}}?)\s*[”」]"
                           rf"|(?![了的])(?P<b>[{_CJK}][{_CJK}\w .·\-]{{1,10}}?)\s*[（(](?=[A-Za-z]))")


def _bare_title(title: str) -> str:
    """A catalog heading without its brackets and a closing 系列: "Qwen 系列（阿里）" → Qwen."""
    return _SERIES.sub("", re.sub(r"[（(].*?[）)]", "", title)).strip()


_MODEL_RELEASE = re.compile(rf"{_RELEASED_BY}(?![和与、]|大?模型|代码|地址|可商用|序列|项目)")
# "【机构】X 发布（2 月 26 日）：…", "X 开源：…", "X 发布后": a name, then a release verb with no
# object of its own — a headline's way of saying X was released.
_RELEASED_AFTER = re.compile(rf"\s*(?:系列)?\s*{HEADLINE_RELEASE}")
# A Chinese name that is all a headline's subject: "【机构】豆包大模型发布（5 月 15 日）：…".
_HEADLINE_CJK = re.compile(rf"\s*(?P<n>[{_CJK}][{_CJK}·]{{1,11}}?){_RELEASED_AFTER.pattern}")
_TRAINED = re.compile(r"^\s*的训练")
# The end of a record's label: the name, maybe its other name in brackets, then "：".
_LABEL_END = re.compile(r"\s*(?:[（(][^（）()]{0,30}[）)])?\s*[：:]")
# A size right after a name of two words: "DeepSeek LLM 67B".
_SIZE_AFTER = re.compile(r" ?\d+(?:\.\d+)?[BbMT](?![A-Za-z0-9])")
_SIZED_LABEL_END = re.compile(rf"(?:{_SIZE_AFTER.pattern})?{_LABEL_END.pattern}")
_BY_AFTER = re.compile(rf"\s*(?:[（(][^（）()]{{0,60}}[）)])?\s*(?:则|也|最早)?\s*{BY.pattern}")
_RELEASE_VERB_END = re.compile(rf"(?:{_RELEASE_VERBS})$")


@dataclass
class _Cues:
    """What one mention's sentence says of it (see Candidate)."""

    sized: int = 0
    counted: int = 0
    released: int = 0
    defined: int = 0
    defined_other: int = 0
    cue: int = 0
    arch: int = 0
    other: int = 0


# What a definition calls something that is no model: "vLLM 是一个…推理框架", "C4 是一个数据集".
_DEF_OTHER = re.compile(r"框架|库|工具(?:包|箱|集)?|套件|算法|方法|技术|机制|函数|优化器|数据集|语料库?|基准|榜单|"
                        r"评测集|芯片|处理器|平台|公司|组织|实验室|协议|格式|接口|结构|架构|策略|范式|"
                        r"训练目标|目标函数|损失函数|任务|指标")


_ENDS_OTHER = re.compile(rf"的\s*(?:{_DEF_OTHER.pattern})\s*[。；;，,]?\s*$")
# What is said of a name as plainly as a definition: the kind of product right before it ("评测
# 框架 OpenJudge"; not in a bracket: "单点技术（GPT-3.5 + RLHF）" gives examples), or set after
# it ("LLM-BLENDER，一个创新的集成框架").
_KIND_BEFORE = re.compile(r"(?:框架|库|工具(?:包|箱|集)?|套件|平台|数据集|基准|评测集|榜单|芯片|处理器|显卡|加速卡|"
                          r"(?<![A-Za-z])[CGTN]PUs?)\s*[*`“\"]*\s*$")
# The kind word heads the phrase ("，一个面向 RAG 和工具调用场景优化的模型" is a model).
_KIND_AFTER = re.compile(rf"^\s*[*`”\"]*\s*[，,]\s*是?(?:一个|一种|一款|一套)[^，。；,;]{{0,12}}?"
                         rf"(?:{_DEF_OTHER.pattern})\s*(?:[，。；,;：:]|$)")
# What a definition is headed by: the noun it ends on ("…的推理框架", "一个开源库之一"), not a
# word on its way ("是某实验室与某公司合作完成的" is no company).
_HEAD_OTHER = re.compile(rf"(?:{_DEF_OTHER.pattern})(?:之一)?\s*[。；;，,]?\s*$")


# Two or more English words, each written as a word is ("Cross-References", "Data Engineering").
_ENGLISH_WORDS = re.compile(r"[A-Z]?[a-z]+(?:[\s\-][A-Z]?[a-z]+)+")


def _in_prose(text: str, m: Mention) -> int:
    """Whether a mention stands inside English words ("Language Models are …")."""
    before = text[max(0, m.start - 2) : m.start]
    after = text[m.end : m.end + 2]
    return int(bool(re.search(r"[A-Za-z]\s?$", before) or re.match(r"^\s?[A-Za-z]", after)))


@dataclass
class Mention:
    start: int
    end: int
    surface: str
    key: str  # key of the model it names (after folding variants)
    group: str = ""  # the catalog row it belongs to (after aliases)
    sizes: tuple[str, ...] = ()  # sizes written into the name
    context: str = ""  # context length written into the name
    eligible: bool = True  # may take a fact that is not tied to it explicitly
    skip: bool = False  # "BERT 类模型" is about a class of models, not about BERT

    @property
    def variant(self) -> str:
        """The name as written when it is a variant of its model by a role suffix (BERT-large,
        Qwen-Chat) and carries no size of its own (a size in the name is its value), else ""."""
        surface = self.surface.strip()
        return surface if not self.sizes and split_name(surface).base != surface else ""


@dataclass
class Candidate:
    key: str
    surfaces: Counter[str] = field(default_factory=Counter)
    cjk: bool = False
    title: str = ""  # the catalog-page section it names
    listed: int = 0  # rows of a model table whose name column gives it
    sized: int = 0  # a size written into it or bound to it: GPT-3（1750 亿参数）
    counted: int = 0  # a parameter count written into the name (Lark-70B) or said of it (13 亿参数的 X)
    released: int = 0  # what someone released: Google 发布了 PaLM 2
    defined: int = 0  # defined as a model: "ELMo 是…预训练语言模型", **讯飞星火认知大模型**是…
    defined_other: int = 0  # defined as something else: "vLLM 是一个…推理框架"
    cues: int = 0  # a noun says so: "T5 模型", "预训练语言模型 BERT"
    arch: int = 0  # "Transformer 架构", "X 的编码器"
    other: int = 0  # "C4 数据集", "LangChain 框架", "X 算法"
    prose: int = 0  # mentions inside English prose ("Language Models are Few-Shot Learners")
    first: int = 10**9

    @property
    def mentions(self) -> int:
        return sum(self.surfaces.values())

    @property
    def strong(self) -> int:
        return self.title_count + self.listed + self.released + self.defined

    @property
    def title_count(self) -> int:
        return int(bool(self.title))


# What one sentence adds to a candidate: its key, the surface, and the counts (sized,
# counted, released, defined, defined_other, cues, arch, other, prose) — or None: the name
# is the title of its catalog-page section. A sentence's findings: these, and its enumerations.
Update = tuple[str, str, tuple[int, ...] | None]
Scanned = tuple[tuple[Update, ...], tuple[tuple[str, ...], ...]]
# A Latin token that could name a model: (start, end, token, key, sizes, context).
LatinName = tuple[int, int, str, str, tuple[str, ...], str]


class ScanMemo:
    """What ``Registry`` found in each sentence, by the sentence's text and two flags, and each
    text's Latin names and organization names (which every extractor asks for).

    These depend on nothing else but the organizations the notes name (``Orgs``) and the
    names of two words they use (``compound_names``), so findings from an earlier build of the
    same code and rules (the build cache) stand while those are the same: a rebuild after one
    note changed scans only that note's sentences. ``asked()`` is what this build used."""

    def __init__(self, earlier: dict | None = None) -> None:
        self._earlier = earlier or {}
        self._found: dict[tuple[str, bool, bool], Scanned] = {}
        self._asked: dict[tuple[str, bool, bool], Scanned] = {}
        self._orgs = ""
        self._compounds: list[str] = []
        self._known_names: dict[str, list[LatinName]] = {}
        self._names: dict[str, list[LatinName]] = {}
        self._known_org_spans: dict[str, list[tuple[int, int]]] = {}
        self._org_spans: dict[str, list[tuple[int, int]]] = {}

    def start(self, orgs: Orgs, compounds: frozenset[str] = frozenset()) -> None:
        """Use the earlier findings only if they were made knowing the same organizations and
        names of two words (a text's Latin names depend on the latter alone)."""
        rx = orgs.regex()
        self._orgs = rx.pattern if rx is not None else ""
        self._compounds = sorted(compounds)
        same_names = self._earlier.get("compounds", []) == self._compounds
        same = same_names and self._earlier.get("orgs") == self._orgs
        self._known_names = self._earlier.get("names", {}) if same_names else {}
        self._found = self._earlier.get("scans", {}) if same else {}
        self._known_org_spans = self._earlier.get("org_spans", {}) if same else {}

    def names_in(self, text: str, compounds: frozenset[str] = frozenset()) -> list[LatinName]:
        """The Latin names of a text (``compounds``: the ones ``start`` was told)."""
        got = self._known_names.get(text)
        if got is None:
            got = _latin_names(text, compounds)
        self._names[text] = got
        return got

    def org_spans_in(self, text: str, rx: re.Pattern[str]) -> list[tuple[int, int]]:
        """Where the organizations (``rx``: the ones ``start`` was told) stand in a text."""
        got = self._known_org_spans.get(text)
        if got is None:
            got = [m.span() for m in rx.finditer(text)]
        self._org_spans[text] = got
        return got

    def names_learned(self, text: str, names: list[LatinName]) -> list[LatinName]:
        """``names_in`` as a worker process answered it."""
        self._names[text] = names
        return names

    def org_spans_learned(self, text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """``org_spans_in`` as a worker process answered it."""
        self._org_spans[text] = spans
        return spans

    def get(self, key: tuple[str, bool, bool]) -> Scanned | None:
        got = self._found.get(key)
        if got is not None:
            self._asked[key] = got
        return got

    def put(self, key: tuple[str, bool, bool], scanned: Scanned) -> Scanned:
        self._asked[key] = scanned
        return scanned

    def asked(self) -> dict:
        return {"orgs": self._orgs, "compounds": self._compounds, "scans": self._asked, "names": self._names,
                "org_spans": self._org_spans}


# What a note calls its own parts: 第一部分, 第三章, 第 2 节.
_PART_OF_TEXT = re.compile(r"第\s*[一二三四五六七八九十百\d]+\s*(?:部分|章|节|篇|讲|课|期|回|步|阶段)")
# What numbers an item of a note (Q35, A2, Step 1, Part 3), no name.
_LABEL_NAME = re.compile(r"[QA]\s?\d+|(?:step|part|chapter|section|case|example|task|day|week|stage|phase|round|"
                         r"problem|question|answer|tip|lesson|lecture|figure|table)\s\d+", re.I)
# A class of a library's code (DPOTrainer, AutoTokenizer, LlamaForCausalLM), no model's name.
_CODE_CLASS = re.compile(r"\w*(?:Trainer|Tokenizer|Config|Collator|Callback|Pipeline|Processor|Scheduler|Optimizer|"
                         r"Dataset|DataLoader|Embedding)|\w+For(?:CausalLM|MaskedLM|Seq2SeqLM|SequenceClassification|"
                         r"ConditionalGeneration|TokenClassification|QuestionAnswering)")


# A version or an edition after a name: "PyTorch 2.3", "vLLM v0.4", "MMLU-Pro".
_VERSION_TAIL = re.compile(r"[\s\-](?:v?\d+(?:\.\d+)*|Pro|Plus|Max|Lite|Mini|Turbo|Ultra|Next)$")
# A license's name: "Apache 2.0", "MIT", "CC-BY-NC".
_LICENSE_NAME = re.compile(rf"(?:{OPEN_LICENSE_NAMES})(?:[\s\-][A-Z]{{2,3}})*(?:[\s\-]?v?\d+(?:\.\d+)?)?")


# The words that may stand right before a name written with no space ("百度的文心一言是…").
_BEFORE_A_NAME = frozenset("的由与和及、是在将把被让从对")


def _names_subject(text: str, name: str) -> bool:
    """Whether a sentence speaks of ``name`` as its subject: it opens with it, or says what it
    is (文心一言是…, 盘古（Pangu）…, 星火由…) — not a word in passing ("獾实验室发布了 X" under a
    section titled 发布) and not the end of a longer word ("豆包大模型发布（5 月 15 日）" under a
    section titled 模型发布)."""
    at = text.find(name)
    while at >= 0:
        inside_a_word = at > 0 and re.match(f"[{_CJK}]", text[at - 1]) and text[at - 1] not in _BEFORE_A_NAME
        if not inside_a_word and (not text[:at].strip(" *“”\"'「」『』")
                                  or re.match(r"\s*(?:[（(]|是|由|：|:|，)", text[at + len(name):])):
            return True
        at = text.find(name, at + 1)
    return False


# A capitalised word after a name, that may make one name with it: "Code Llama",
# "Megatron-Turing NLG", "Claude 3 Sonnet".
_NEXT_WORD = re.compile(r" (?P<w>[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)(?![A-Za-z0-9_.\-])")


def _model_bound(before: str, after: str) -> bool:
    """The notes bind a model's size or a model noun to the name between ``before`` and
    ``after``: "X（700 亿参数）", "X 的 70 亿参数", "X 模型", "模型 X"."""
    return bool(_SIZE_PAREN.match(after) or _SIZE_OF.match(after) or _SIZE_HAS.match(after)
                or _HEAD_AFTER.match(after) or _HEAD_BEFORE.search(before))


def compound_names(sentences: Iterable[Sentence], named: Iterable[str] = ()) -> frozenset[str]:
    """Names of two words the notes use as one model's name: the pair recurs (twice or more),
    seldom runs on into English prose (a quote: at most one use in four; a phrase of English
    sentences does so more often), and at least once a size or a model noun is bound to the
    pair as a whole. Then "Code Llama" is one name, not a word before Llama. So is a pair
    that is what a sentence says someone released, once is enough. A model
    table's name cell (``named``) that is such a pair and nothing more names it as a whole
    ("| Mistral Large | Mistral AI |…", "| Command R | Cohere |…"), and so does a catalog-page
    heading that is such a pair besides what its brackets add ("### Mistral Large（Mistral AI）")."""
    sentences = list(sentences)
    titles = [_bare_title(s.text)
              for s in sentences if s.heading and s.node == CATALOG_TOPIC and not s.intro]
    cells = set()
    for name in [*named, *titles]:
        m = LATIN_NAME.match(name)
        nxt = _NEXT_WORD.match(name, m.end()) if m is not None and looks_like_name(m.group(0)) else None
        if nxt is not None and nxt.end() == len(name):
            cells.add(name)
    seen: Counter[str] = Counter()
    bound: set[str] = set()
    released: set[str] = set()
    prose: Counter[str] = Counter()
    for s in sentences:
        text = s.text
        for m in LATIN_NAME.finditer(text):
            nxt = _NEXT_WORD.match(text, m.end())
            if nxt is None or not looks_like_name(m.group(0)):
                continue
            pair = f"{m.group(0)} {nxt.group('w')}"
            seen[pair] += 1
            after = text[nxt.end():]
            if re.match(r"\s?[A-Za-z]", after) or re.search(r"[A-Za-z]\s?$", text[: m.start()]):
                prose[pair] += 1
            elif _model_bound(text[: m.start()], after):
                bound.add(pair)
            if _released_model(text[: m.start()], nxt.group("w"), after) or \
                    (m.start() == 0 and _SIZED_LABEL_END.match(after) and RECORD_MAKER.match(text)):
                released.add(pair)  # "…发布 Switch Transformer，…", "DeepSeek LLM 67B：深度求索，2023 年 11 月开源"
    return frozenset(p for p in bound if seen[p] >= 2 and 4 * prose[p] <= seen[p]) | cells | \
        frozenset(p for p in released if 4 * prose[p] <= seen[p])


_RELEASED_BEFORE = re.compile(rf"{_RELEASED_BY}\s*$")
_CLAUSE_END = re.compile(r"\s*(?:[，。,;；（(：:]|$)")
_MODEL_CLAUSE_END = re.compile(r"模型\s*(?:[，。,;；）)]|$)")


def _released_model(before: str, second: str, after: str) -> bool:
    """"Google 发布 Switch Transformer，1.6 万亿参数", "发布了 Llama Guard，…安全分类模型": a pair
    that is all a release's object, up to the clause's end (or a headline's subject: "X Y 发布
    （…）："), in a sentence that gives a size or ends a clause on a model noun, is one name however
    seldom the notes use it. A second word with a number is a name of its own ("开源 LLM
    ChatGLM-6B"); a feature released ("推出了 Function Calling，…") has no size and no model noun."""
    released = bool(_RELEASED_BEFORE.search(before) and _CLAUSE_END.match(after)) or \
        bool(_RELEASED_AFTER.match(after))  # "Mistral Large 发布（2 月 26 日）：…旗舰模型"
    return released and \
        not re.search(r"\d", second) and bool(find_sizes(after) or _MODEL_CLAUSE_END.search(after))


def _latin_names(text: str, compounds: frozenset[str] = frozenset()) -> list[LatinName]:
    """Latin tokens of a text that could name a model: (start, end, token, key, sizes, context);
    a pair of ``compounds`` is one token."""
    out = []
    taken = -1
    for m in LATIN_NAME.finditer(text):
        if m.start() < taken:
            continue  # the second word of a compound
        token, end = m.group(0), m.end()
        nxt = _NEXT_WORD.match(text, end) if compounds else None
        if nxt is not None and f"{token} {nxt.group('w')}" in compounds:
            token, end = f"{token} {nxt.group('w')}", nxt.end()
            size = _SIZE_AFTER.match(text, end)  # "DeepSeek LLM 67B": the compound's size
            if size:
                token, end = token + size.group(0), size.end()
            taken = end
        if not looks_like_name(token):
            continue
        parts = split_name(token)
        key = name_key(parts.base)
        if key and not key.isdigit():
            out.append((m.start(), end, token, key, parts.sizes, parts.context))
    return out


_LATIN_RUN = re.compile(r"[A-Za-z]")


class Registry:
    """Model keys, their aliases (groups) and how to find their mentions in a sentence."""

    def __init__(self, sentences: list[Sentence], orgs: Orgs,
                 named: list[tuple[str, int]] | None = None, not_models: Iterable[str] = (),
                 proper_names: Iterable[str] = (), scans: ScanMemo | None = None, jobs: int = 0) -> None:
        """``named``: (name, order) of names a model table's name column lists; ``not_models``:
        names the vocabulary hints list as techniques, frameworks, data sets … (never rows);
        ``scans``: what an earlier build found in each sentence (the build cache); ``jobs``:
        processes for scanning the sentences (0: as many as pay off)."""
        self.orgs = orgs
        self.not_models = {name_key(split_name(n).base) for n in not_models} - {""}
        self.proper_names = {name_key(n) for n in proper_names} - {""}
        self.cands: dict[str, Candidate] = {}
        self.parent: dict[str, str] = {}
        self._cjk_surfaces: dict[str, str] = {}  # surface → key
        self._enums: list[list[str]] = []
        self._groups: dict[str, list[str]] | None = None
        self._cjk_re: re.Pattern[str] | None = None
        self._latin_seen: dict[str, list[LatinName]] = {}
        self._org_seen: dict[str, list[tuple[int, int]]] = {}
        sentences = list(sentences)
        self.compounds = compound_names(sentences, [name for name, _ in named or ()])
        self._scans = scans if scans is not None else ScanMemo()
        self._scans.start(orgs, self.compounds)
        self._titles: tuple[int, dict[str, str]] | None = None  # see _title_keys
        self._find_cjk(sentences)
        self._scan(sentences, self._scans, jobs)
        self._listed(named or [])
        self.keys = self._decide()
        self._aliases(sentences)
        self._cjk_re = self._compile_cjk()

    # ------------------------------------------------------------------ candidates

    def _cand(self, key: str, surface: str, order: int, cjk: bool = False) -> Candidate:
        c = self.cands.get(key)
        if c is None:
            c = self.cands[key] = Candidate(key, cjk=cjk)
        c.surfaces[surface] += 1
        c.first = min(c.first, order)
        return c

    def _find_cjk(self, sentences: list[Sentence]) -> None:
        org_re = self.orgs.regex()
        # "百度文心大模型": an organization, then its model (compiled once, not per sentence).
        org_model = re.compile(rf"(?:{org_re.pattern})\s*(?P<n>(?:(?![的了是和与在为被])[{_CJK}]){{2,6}}大模型)") \
            if org_re is not None else None
        # A Chinese section title on the catalog page names a model its text names too
        # (文心一言: "文心一言是…"); "模型简介" or "总结" is a section about something else.
        bodies: dict[Place, list[str]] = {}
        for s in sentences:
            if s.node == CATALOG_TOPIC and not s.heading:
                bodies.setdefault(s.place, []).append(s.text)
        for s in sentences:
            if s.heading and s.node == CATALOG_TOPIC and not s.intro and \
                    re.search(f"[{_CJK}]", s.text) and not LATIN_NAME.search(s.text):
                name = _bare_title(s.place.section_title)
                if 2 <= len(name) <= 12 and not _KIND_OF_MODEL.fullmatch(name) and \
                        any(_names_subject(t, name) for t in bodies.get(s.place, [])):
                    self._add_cjk(name, s.order).title = s.place.section_title
            m = _BOLD_DEF.match(s.raw)
            if m and re.search(f"[{_CJK}]", m.group("x")) and not LATIN_NAME.search(m.group("x")):
                clause = s.text[: clauses(s.text)[0][1]]
                if "模型" in clause[len(m.group("x")):]:
                    self._add_cjk(m.group("x").strip(), s.order).defined += 1
            record = _BOLD_RECORD.match(s.raw)
            if record and self.orgs.is_org(record.group("org")) and RELEASE_RE.search(record.group("said")):
                self._add_cjk(record.group("x"), s.order).released += 1
            lead = MAKER_LEADS.match(s.text)
            headline = _HEADLINE_CJK.match(s.text, lead.end()) if lead else None
            if headline and not _KIND_OF_MODEL.fullmatch(headline.group("n")):
                self._add_cjk(headline.group("n"), s.order).released += 1  # "【百度】文心一言发布（…）"
            record = RECORD_MAKER.match(s.text)
            label = record.group("label").strip(" *") if record else ""
            if re.fullmatch(rf"[{_CJK}][{_CJK}·]{{1,11}}", label) and not _KIND_OF_MODEL.fullmatch(label) \
                    and not self.orgs.is_org(label):
                self._add_cjk(label, s.order).released += 1  # "文心一言：百度，2023 年 3 月发布，闭源"
            for rm in _RELEASED_CJK.finditer(s.text):
                name = (rm.group("q") or rm.group("b")).strip()
                after = s.text[rm.end():]
                # With a size or a clause that ends on a model noun, as for a pair of Latin words.
                if not _KIND_OF_MODEL.fullmatch(name) and \
                        (find_sizes(after) or _MODEL_CLAUSE_END.search(after)):
                    self._add_cjk(name, s.order).released += 1
            if org_model is not None and "大模型" in s.text:  # what the pattern ends on
                for om in org_model.finditer(s.text):
                    if not _KIND_OF_MODEL.fullmatch(om.group("n")):
                        self._add_cjk(om.group("n"), s.order).released += 1

    def _add_cjk(self, name: str, order: int) -> Candidate:
        self._cjk_surfaces[name] = name
        return self._cand(name, name, order, cjk=True)

    def _latin(self, text: str) -> list[Mention]:
        # Every stage reads the same sentences: the names of a text are found once (fresh
        # Mention objects each time, since callers mark them).
        found = self._latin_seen.get(text)
        if found is None:
            found = self._latin_seen[text] = self._scans.names_in(text, self.compounds)
        return [Mention(start, end, token, key, sizes=sizes, context=context)
                for start, end, token, key, sizes, context in found]

    def _scan(self, sentences: list[Sentence], memo: ScanMemo, jobs: int) -> None:
        openings: dict[Place, str] = {}  # catalog-page section → its first sentence
        for s in sentences:
            if s.node == CATALOG_TOPIC and not s.heading:
                openings.setdefault(s.place, s.text)
        keys = []
        for s in sentences:
            titled = s.heading and s.node == CATALOG_TOPIC and not s.intro
            # "基座选 Phi-3-mini" over "微软 2024 年 4 月开源的小模型…": the heading names
            # what the text describes the release of.
            anonymous = titled and bool(ANON_RELEASE.search(openings.get(s.place, "")))
            keys.append((s.text, titled, anonymous))
        found: dict[tuple[str, bool, bool], Scanned] = {}
        for key in keys:
            if key not in found and (earlier := memo.get(key)) is not None:
                found[key] = earlier
        # Each new text is scanned once, on all cores for a large collection (the scan is
        # a pure function of the text); what the workers learned of its names comes back.
        todo = [key for key in dict.fromkeys(keys) if key not in found]
        for key, (scanned, names, org_spans) in zip(todo, ordered_map(self._scan_job, todo, jobs), strict=True):
            found[key] = memo.put(key, scanned)
            self._latin_seen[key[0]] = memo.names_learned(key[0], names)
            if org_spans is not None:
                self._org_seen[key[0]] = memo.org_spans_learned(key[0], org_spans)
        for s, key in zip(sentences, keys, strict=True):
            self._apply(s, found[key])

    def _scan_job(self, key: tuple[str, bool, bool]
                  ) -> tuple[Scanned, list[LatinName], list[tuple[int, int]] | None]:
        text, titled, anonymous = key
        scanned = self._scan_sentence(text, titled, anonymous)
        return scanned, self._latin_seen[text], self._org_seen.get(text)

    def _scan_sentence(self, text: str, titled: bool, anonymous: bool) -> Scanned:
        """What one sentence says of the names in it (a pure function of its text, whether it is
        a catalog-page heading and whether that section opens on an anonymous release, and the
        organizations known): what ``_apply`` adds to the candidates."""
        found = [m for m in self._latin(text) if not self.in_org(text, m.start, m.end)]
        if not found:
            return (), ()  # no name: nothing to say of one (most sentences)
        updates: list[Update] = []
        enums: list[tuple[str, ...]] = []
        if titled:
            title = _bare_title(text)
            named = [m for m in found if m.surface == title or split_name(m.surface).base == title]
            if not named and len(found) == 1 and anonymous:
                named = found
            updates.extend((m.key, m.surface, None) for m in named)
            # "Mistral Large（Mistral AI）": a name titled with who made it is a release of theirs.
            makers = re.findall(r"[（(]([^（）()]+)[）)]\s*$", text)
            if makers and self.orgs.is_org(makers[0]):
                updates.extend((m.key, m.surface, (0, 0, 1, 0, 0, 0, 0, 0, False)) for m in named)
        spans = clauses(text)
        mark_eligibility(text, found, spans)
        groups = enumeration_groups(text, found)
        firsts = first_in_clause(found, spans, self.orgs)
        for group in groups:
            if len(group) > 1:
                enums.append(tuple(m.key for m in group))
            # "A 和 B 都是…模型": the list opens the clause, its last member says what they are.
            opens = id(group[0]) in firsts
            cues = [self._cues(text, m, spans, id(m) in firsts or (opens and m is group[-1]), found)
                    for m in group]
            last = cues[-1]
            for m, ev in zip(group, cues, strict=True):
                # "A、B 和 C 模型": the noun after the last member is said of them all.
                updates.append((m.key, m.surface, (
                    ev.sized, ev.counted, ev.released,
                    max(ev.defined, last.defined if opens else 0),
                    max(ev.defined_other, last.defined_other if opens else 0),
                    max(ev.cue, last.cue), max(ev.arch, last.arch), max(ev.other, last.other),
                    _in_prose(text, m))))
        return tuple(updates), tuple(enums)

    def _apply(self, s: Sentence, scanned: Scanned) -> None:
        """Add what a sentence says (``_scan_sentence``) to the candidates, in its order."""
        updates, enums = scanned
        self._enums.extend(list(keys) for keys in enums)
        for key, surface, counts in updates:
            c = self._cand(key, surface, s.order)
            if counts is None:  # the catalog-page section this name is the title of
                c.title = s.place.section_title
                continue
            sized, counted, released, defined, defined_other, cues, arch, other, prose = counts
            c.sized += sized
            c.counted += counted
            c.released += released
            c.defined += defined
            c.defined_other += defined_other
            c.cues += cues
            c.arch += arch
            c.other += other
            c.prose += prose

    def _listed(self, named: list[tuple[str, int]]) -> None:
        """A name in the name column of a table of models is a model."""
        for name, order in named:
            name = name.strip()
            # The name the cell starts with: "Mixtral 8x7B" is Mixtral's row.
            latin = next((m for m in self._latin(name) if m.start == 0), None)
            if latin is not None:
                self._cand(latin.key, latin.surface, order).listed += 1
            elif (re.fullmatch(rf"(?=[^·•・]{{2}})[{_CJK}]{{1,12}}(?:[·•・\-][{_CJK}]{{1,8}})?"
                               rf"(?:\s?\d+(?:\.\d+)?|-[\u0370-\u03ffA-Za-z0-9]{{1,4}})?", name)
                  or re.fullmatch(rf"[{_CJK}]{{2,8}}\s?[A-Za-z][A-Za-z0-9.\-]{{1,15}}", name)) \
                    and not self.orgs.is_org(name):
                # A name of two words joined by a middle dot or a hyphen is one name (紫东·太初,
                # 智海-录问), and so is a Chinese word with a Latin one (灵医Bot, 天工Skywork).
                self._add_cjk(name, order).listed += 1

    def _cues(self, text: str, m: Mention, spans: list[tuple[int, int]], first: bool,
              found: list[Mention]) -> _Cues:
        cs, ce = spans[clause_at(spans, m.start)]
        before, after = text[cs : m.start], text[m.end :]
        ev = _Cues(sized=int(bool(m.sizes or m.context or _SIZE_PAREN.match(after) or _SIZE_OF.match(after)
                                  or _SIZE_HAS.match(after) or _SIZE_SAID.match(after) or _SIZED.search(before))),
                   counted=int(bool(m.sizes or _SIZE_OF.match(after) or _SIZE_SAID.match(after)
                                    or _SIZE_PAREN_COUNTED.match(after)
                                    or _SIZED.search(before))))
        if m.eligible and not m.skip:
            verbs = list(_MODEL_RELEASE.finditer(before))
            verb = verbs[-1] if verbs else None
            # "收集开源 Lean 定理证明数据集": what was released is the data set the name qualifies.
            if verb and not _BETWEEN_VERB.search(before[verb.end():]) \
                    and not _BETWEEN_OBJECT.search(before[verb.end():]) \
                    and not _TAIL_NOT_MODEL.match(text[m.end : ce]) and not _OTHER_AFTER.match(after) \
                    and not _ARCH_AFTER.match(after):  # "发布了新一代 Blackwell 架构的 B200 GPU"
                ev.released = 1
            if _RELEASED_AFTER.match(text, m.end, ce) or (m.start == 0 and RECORD_MAKER.match(text)
                                                          and _LABEL_END.match(text, m.end)):
                ev.released = 1  # "X 发布（…）：…", "X：Y，2023 年 8 月开源"
            # "BERT（…）由 Google 于 2018 年 10 月发布": released by someone, said after the name.
            by = _BY_AFTER.match(after)
            if by and _RELEASE_VERB_END.search(by.group(0)):
                ev.released = 1
            maker = MAKER_AND_DATE.match(after)
            if maker and self.orgs.is_org(maker.group("org").strip()):
                ev.released = 1
            if first:
                spans_said = definitions(text, m, spans, found)
                said = [text[ds:de] for ds, de in spans_said]
                # "X 是一个评估语言模型…的数据集": what the definition ends on is what X is.
                if any(_ENDS_OTHER.search(d) or _HEAD_OTHER.search(d) for d in said):
                    ev.defined_other = 1
                elif any(_DEF_OBJECT.search(_head(d)) and not _NEGATED.match(d) for d in said) or any(
                        released_product(text, m, ds, de) for ds, de in spans_said):
                    ev.defined = 1
                elif any(not _head(d).strip() and IS_BY.search(text[m.end : de])
                         for d, (_ds, de) in zip(said, spans_said, strict=True)):
                    # "BLOOM 是 BigScience 在 2022 年放出来的": said to be what someone released
                    ev.released = 1
            # "零一万物的首款开源大模型——Yi": a noun naming a model, then the name, set off by a dash.
            if _NAMED_MODEL_BEFORE.search(text, 0, m.start):
                ev.defined = 1
        ev.cue = int(bool(_HEAD_AFTER.match(after) or _HEAD_BEFORE.search(text[:m.start])
                          or _TRAINED.match(after)))
        ev.arch = int(bool(_ARCH_AFTER.match(after)))
        ev.other = int(bool(_OTHER_AFTER.match(after)))
        if _DATA_AFTER.match(after) or _KIND_AFTER.match(after) or _KIND_BEFORE.search(before):
            ev.defined_other = 1  # said to be data, a framework … as plainly as "X 是一个数据集"
        return ev

    def _decide(self) -> set[str]:
        org_keys = {name_key(o) for o in self.orgs.names}
        keys: set[str] = set()
        for key, c in self.cands.items():
            if key in org_keys:
                continue
            # "X 模型" more often than "X 架构" / "X 数据集": a model, unless it is a short
            # all-caps word (NLP 大模型, LLM 模型) that needs stronger evidence.
            if self._is_model(key, c):
                keys.add(key)
        # A model's name with a version number is a model of that series (GPT-1, GPT-2 of the
        # GPT section; Gemma 2 of Gemma).
        series = {k for k in keys if not self.cands[k].cjk and len(k) >= 2 and not k[-1].isdigit()}
        for key in list(self.cands):
            if key not in keys and key not in org_keys and _versioned(key, series) and \
                    self._name_shaped(self.cands[key]):
                keys.add(key)
        # A name listed together with two models is one too (GPT-3、GPT-4、PaLM、Galactica …),
        # or with one when a noun calls it a model ("BERT、T5 等模型"), unless the notes also
        # speak of it as something else.
        for enum in self._enums:
            known = sum(k in keys for k in set(enum))
            if not known:
                continue
            keys.update(k for k in enum if k not in org_keys and not self._short_caps(k)
                        and (known >= 2 or self.cands[k].cues >= 1)
                        and not self._denied(k, self.cands[k]) and self._name_shaped(self.cands[k])
                        and not self.cands[k].arch and not self.cands[k].other)
        return keys

    def _denied(self, key: str, c: Candidate) -> bool:
        """What the notes (or the vocabulary hints) say is no model: a name the hints list as a
        technique, framework, data set, benchmark or hardware, or a version of one (PyTorch 2.3,
        MMLU-Pro);
        a license (Apache 2.0); defined as something else more often than as a model; or a word
        of English prose (Language, The) more than a name."""
        surface = c.surfaces.most_common(1)[0][0]
        return key in self.not_models or c.defined_other > c.defined or \
            name_key(_VERSION_TAIL.sub("", surface)) in self.not_models or _LICENSE_NAME.fullmatch(surface) or \
            (c.mentions >= 3 and 2 * c.prose > c.mentions and not (c.title or c.listed)) or \
            (c.prose == c.mentions and not (c.title or c.listed))

    def _name_shaped(self, c: Candidate) -> bool:
        """A model's name: Chinese (not a part of the note: 第一部分), or Latin with a capital
        (not "x 220B", not a range of versions: GPT1-3)."""
        surface = c.surfaces.most_common(1)[0][0]
        if c.cjk:
            return not _PART_OF_TEXT.fullmatch(surface)
        parts = split_name(surface)
        # "baichuan-7B" in lower case: a word of three letters or more with a parameter count.
        spelt = looks_like_name(parts.base) or (bool(parts.sizes) and bool(re.fullmatch(r"[a-z]{3,}", parts.base)))
        return spelt and not re.search(r"\d-\d+$", surface) \
            and not _LABEL_NAME.fullmatch(surface) and not _CODE_CLASS.fullmatch(surface) \
            and not NUMBER_FORMAT.fullmatch(surface)  # "一个 7B 参数的 FP16 模型"

    def _is_model(self, key: str, c: Candidate) -> bool:
        """A catalog section or a model table's row names a model; otherwise the notes must say
        so: it is released, or defined as a model, or a size is bound to what a noun calls a
        model — and they must not speak of it as a technique, framework or data set more."""
        if self._denied(key, c) or not self._name_shaped(c):
            return False
        surface = c.surfaces.most_common(1)[0][0]
        # "Cross-References", "Problem Setting": a section of a report on one model, titled by
        # English words that nothing but its heading (read as title and as sentence) names.
        if c.listed or (c.title and not (c.mentions <= 2 and _ENGLISH_WORDS.fullmatch(surface))):
            return True
        noun = c.arch + c.other  # "Transformer 架构", "C4 数据集", "LangChain 框架"
        said = c.released + c.defined
        if said and self._short_caps(key) and said + c.sized + c.cues < 2:
            return False  # PP, TP, RM: abbreviations of techniques, unless the notes say more
        if said:
            return noun <= 2 * (said + c.sized + c.cues)
        # A parameter count in the name (Lark-70B) or said of it ("13 亿参数的 X") is said only of models.
        return c.sized >= 1 and (c.cues >= 1 or c.sized >= 2 or c.counted >= 1) \
            and noun < c.sized + c.cues and not self._short_caps(key)

    def _short_caps(self, key: str) -> bool:
        surface = self.cands[key].surfaces.most_common(1)[0][0]
        return surface.isupper() and len(surface) <= 3 and not re.search(r"\d", surface)

    # ------------------------------------------------------------------ aliases

    def find(self, key: str) -> str:
        while self.parent.get(key, key) != key:
            key = self.parent[key]
        return key

    def _union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        # The root is the key with a catalog section, else the earlier-mentioned one.
        ca, cb = self.cands[ra], self.cands[rb]
        if (not ca.title, ca.first, ra) > (not cb.title, cb.first, rb):
            ra, rb = rb, ra
        self.parent[rb] = ra

    def _aliases(self, sentences: list[Sentence]) -> None:
        self._cjk_re = self._compile_cjk()  # the keys are decided: one matcher for every sentence
        for s in sentences:
            found = [m for m in self._latin(s.text) if m.key in self.keys]
            found += self._cjk_in(s.text)
            # Qwen（通义千问）: a name and its other-script name in brackets.
            for m in found:
                pm = re.match(rf"\s*[（(]\s*([{_CJK}A-Za-z0-9.\- ]{{2,12}})\s*[）)]", s.text[m.end:])
                if not pm:
                    continue
                inner = pm.group(1).strip()
                other = self._key_of(inner)
                if other and other != m.key and bool(re.search(f"[{_CJK}]", inner)) != \
                        bool(re.search(f"[{_CJK}]", m.surface)):
                    self._union(m.key, other)
        self._section_subjects(sentences)
        self._shortened_names(sentences)
        cjk = sorted((k for k in self.keys if self.cands[k].cjk), key=len)
        for i, a in enumerate(cjk):
            for b in cjk[i + 1 :]:
                # 讯飞星火 ≡ 讯飞星火认知大模型, but 通义千问2 is a version of its own.
                if len(a) >= 3 and a in b and not re.fullmatch(r"\s?\d+(?:\.\d+)?", b.replace(a, "", 1)):
                    self._union(a, b)

    def _key_of(self, name: str) -> str:
        if name in self._cjk_surfaces and name in self.keys:
            return name
        key = name_key(split_name(name).base)
        return key if key in self.keys and LATIN_NAME.fullmatch(name) else ""

    def _section_subjects(self, sentences: list[Sentence]) -> None:
        """A catalog section's first sentence names its subject: 星火大模型 ≡ 讯飞星火认知大模型."""
        seen: set[Place] = set()
        for s in sentences:
            if s.node != CATALOG_TOPIC or s.heading or s.index or s.place in seen:
                continue
            seen.add(s.place)
            title_keys = sorted(k for k in self.keys if self.cands[k].title == s.place.section_title)
            m = _BOLD_DEF.match(s.raw)
            if not title_keys or not m:
                continue
            subject = self._key_of(m.group("x").strip())
            title = title_keys[0]
            if subject and subject != title and _share(self.cands[subject], self.cands[title]):
                self._union(title, subject)

    def _shortened_names(self, sentences: list[Sentence]) -> None:
        """讯飞星火 in a list of models is the 讯飞星火认知大模型 of its section."""
        full = sorted(k for k in self.keys if self.cands[k].cjk)
        for s in sentences:
            for m in re.finditer(rf"(?<=[、，和与])\s*([{_CJK}]{{3,8}})\s*(?=[、等，。和与])", s.text):
                short = m.group(1)
                targets = [k for k in _starting_with(full, short) if k != short]
                if short not in self.keys and len(targets) == 1:
                    self._add_cjk(short, s.order)
                    self.keys.add(short)
                    self._union(targets[0], short)

    def _compile_cjk(self) -> re.Pattern[str] | None:
        names = sorted((n for n, k in self._cjk_surfaces.items() if k in self.keys),
                       key=lambda n: (-len(n), n))
        return re.compile("|".join(map(re.escape, names))) if names else None

    def _cjk_in(self, text: str) -> list[Mention]:
        rx = self._cjk_re or self._compile_cjk()  # names still being learned during __init__
        if rx is None:
            return []
        return [Mention(m.start(), m.end(), m.group(0), self._cjk_surfaces[m.group(0)])
                for m in rx.finditer(text)]

    # ------------------------------------------------------------------ public

    def in_org(self, text: str, start: int, end: int) -> bool:
        """Whether a name is part of an organization's name (Mistral in "Mistral AI") or its
        bracketed other name (DeepSeek in "深度求索（DeepSeek）")."""
        rx = self.orgs.regex()
        if rx is None:
            return False
        if self.orgs.alias_bracket(text, start):
            return True
        spans = self._org_seen.get(text)
        if spans is None:  # each sentence's organization names, found once
            spans = self._org_seen[text] = self._scans.org_spans_in(text, rx)
        return any(s <= start and end <= e and (s, e) != (start, end) for s, e in spans)

    def opens_with_a_name(self, text: str) -> bool:
        """Whether the sentence starts with a Latin name that is no organization ("Gemma 2
        发布于…", "MLA 把…"): it is about that, even when the name is no catalogued model."""
        first = next((m for m in self._latin(text) if not self.in_org(text, m.start, m.end)), None)
        return first is not None and not text[: first.start].strip(" *“”\"'「」『』（()")

    def mentions(self, text: str) -> list[Mention]:
        """Mentions of catalogued models in a sentence, left to right, with eligibility."""
        found = [m for m in self._latin(text) if m.key in self.keys
                 and not self.in_org(text, m.start, m.end)]
        for m in self._cjk_in(text):
            overlapping = [o for o in found if o.start < m.end and m.start < o.end]
            # A Chinese name with a Latin word in it (灵医Bot) is that name, not the word's model.
            if not overlapping or (_LATIN_RUN.search(m.surface) and all(
                    m.start <= o.start and o.end <= m.end and o.end - o.start < m.end - m.start
                    for o in overlapping)):
                found = [o for o in found if o not in overlapping] + [m]
        found.sort(key=lambda m: m.start)
        for m in found:
            m.group = self.find(m.key)
        mark_eligibility(text, found, clauses(text))
        return found

    def title_group(self, title: str) -> str | None:
        """The model a catalog-page section (by its title) is about."""
        want = re.sub(r"\s+", "", title)
        key = self._title_keys().get(want) if want else None
        return self.find(key) if key is not None else None

    def _title_keys(self) -> dict[str, str]:
        """Section title (without spaces) → the first key, in key order, that names it. Built
        once, not per question (facts and the catalog ask for every sentence); keys only
        grow, so their count says whether it is still right."""
        if self._titles is None or self._titles[0] != len(self.keys):
            index: dict[str, str] = {}
            for key in sorted(self.keys):
                index.setdefault(re.sub(r"\s+", "", self.cands[key].title), key)
            self._titles = (len(self.keys), index)
        return self._titles[1]

    def is_model_name(self, name: str) -> bool:
        return bool(self._key_of(name.strip()))

    def names_a_thing(self, name: str) -> bool:
        """A model, an organization, or a framework, data set, product … of the vocabulary
        hints: "序列并行（Colossal-AI）" names where, not what the term is called in English."""
        return self.is_model_name(name) or self.orgs.is_org(name) or name_key(name) in self.proper_names

    def surfaces(self, group: str) -> list[tuple[str, int]]:
        """Names the notes use for a model (variants excluded): a name that separates its
        version (PaLM 2, GPT-3) before a run-together one (PaLM2), then the most used."""
        counts: dict[str, int] = {}
        for key in self.groups().get(group, []):
            for surface, n in self.cands[key].surfaces.items():
                if self.cands[key].cjk or name_key(surface) == key:
                    counts[surface] = counts.get(surface, 0) + n

        def order(kv: tuple[str, int]) -> tuple:
            run_together = bool(re.search(r"[A-Za-z]\d", kv[0]))
            return (run_together, -kv[1], -len(kv[0]), kv[0])

        return sorted(counts.items(), key=order)

    def all_surfaces(self, group: str) -> list[str]:
        """Every written form of a model, variants included (Qwen-7B-Chat for Qwen)."""
        out: set[str] = set()
        for key in self.groups().get(group, []):
            out.update(self.cands[key].surfaces)
        return sorted(out)

    def groups(self) -> dict[str, list[str]]:
        """Catalog rows: group id → its keys. Fixed once the registry is built."""
        if self._groups is None:
            out: dict[str, list[str]] = {}
            for key in sorted(self.keys):
                out.setdefault(self.find(key), []).append(key)
            self._groups = out
        return self._groups


def _share(a: Candidate, b: Candidate) -> bool:
    if a.cjk and b.cjk:
        return len(set(a.key) & set(b.key) - set("大模型")) >= 2
    return a.key.startswith(b.key) or b.key.startswith(a.key)


_OPEN_QUOTE = re.compile(r"[“「『]([^“”「」『』]*)$")
_CLOSE_QUOTE = re.compile(r"([^“”「」『』]*)[”」』]")


def _quoted_within(before: str, after: str) -> bool:
    """"和之前“语音转文字 → GPT-4 → 文字转语音”的流水线不同": a name inside a quoted phrase is a
    word of what is quoted, not what the clause is about (a quote of the name alone is)."""
    opened, closed = _OPEN_QUOTE.search(before), _CLOSE_QUOTE.match(after)
    return bool(opened and closed and (opened.group(1).strip() or closed.group(1).strip()))


def mark_eligibility(text: str, found: list[Mention], spans: list[tuple[int, int]]) -> None:
    """A mention inside 基于 X…, 在 X 的基础上, 比 X, X 的 N 倍, 以 X 为代表, 类 X 的… is not what
    the clause is about; a mention followed by 类 is about a class of models, one followed by
    平替 about a model that stands in for it."""
    for m in found:
        cs, ce = spans[clause_at(spans, m.start)]
        before, after = text[cs : m.start], text[m.end : ce]
        # "BERT 类模型" is about a class; "Wolf, T., Debut, L." are a paper's authors.
        m.skip = bool(_CLASS_AFTER.match(after) or _STANDIN_AFTER.match(after) or _AUTHOR_AFTER.match(text[m.end :]))
        m.eligible = not (_BASED_ON.search(before) or _BEFORE_CMP.search(before) or _LIKE.search(before)
                          or _AFTER_CMP.match(after) or re.search(r"以\s*$", before)
                          or _quoted_within(before, after))
    # Members of an enumeration share the fate of its last member (A 和 B 相媲美).
    for group in enumeration_groups(text, found):
        if not group[-1].eligible:
            for m in group:
                m.eligible = False


def later_definition(text: str, m: Mention, spans: list[tuple[int, int]],
                     found: list[Mention]) -> int | None:
    """Where a later clause starts to define the sentence's subject: "OLMo 由 AI2 于 2024 年 2 月
    推出，是一个…的语言模型" → the offset after 是. Only for a name that opens the sentence,
    within three clauses, with no other name up to the end of that clause (a bracketed alias
    aside)."""
    if text[: m.start].strip(" *"):
        return None
    ci = clause_at(spans, m.start)
    for j in range(ci + 1, min(ci + 4, len(spans))):
        cs, ce = spans[j]
        d = _DEF_LATER.match(text[cs:ce])
        if any(x is not m and m.end <= x.start < (ce if d else cs) and
               paren_before(text, x.start) is None for x in found):
            return None  # "…，是 Claude2 的 14 倍" compares
        if d:
            return cs + d.end()
    return None


def defined_after(text: str, m: Mention) -> re.Match[str] | None:
    """What follows ``m`` when it says what ``m`` is: "是…", or a dash or colon after a name
    that opens the text (an entry of a list of resources)."""
    d = _DEF_AFTER.match(text[m.end :])
    if d is None and not text[: m.start].strip(" *"):
        lead = _DEF_LEAD.match(text[m.end :])
        # Only when the entry's first clause is a model ("…开源的大语言模型系列"): a list of
        # settings or benchmarks says "Temperature：控制模型输出的随机性".
        clause = re.split(r"[，,。；;！!？?]", text[m.end + lead.end() :], maxsplit=1)[0] if lead else ""
        if lead and _MODEL_HEAD.search(clause.strip()) and not _ASKS.search(text[m.end + lead.end() :]):
            d = lead
    return d


def definitions(text: str, m: Mention, spans: list[tuple[int, int]], found: list[Mention]
                ) -> list[tuple[int, int]]:
    """(start, end) of the clauses that define ``m``: the rest of "X 是…"'s clause, and, for a
    name that opens the sentence, a later clause that goes on defining it ("…，背后是…的闭源
    大模型") or is the only definition ("X 由 Y 于…推出，是一个…模型")."""
    out: list[tuple[int, int]] = []
    d = defined_after(text, m)
    if d:
        out.append((m.end + d.end(), spans[clause_at(spans, m.end + d.end())][1]))
    later = later_definition(text, m, spans, found)
    if later is not None:
        out.append((later, spans[clause_at(spans, later)][1]))
    return out


def _head(definition: str) -> str:
    """What a definition calls its subject: the words after its last 的 ("…调用模型…的运行器" is a
    runner, whatever model it calls; "…推出的大语言模型" a model)."""
    return re.split(r"的", re.sub(r"[（(][^）)]*[）)]", "", definition).rstrip(" 。；;，,"))[-1]


def released_product(text: str, m: Mention, start: int, end: int) -> bool:
    """Whether the definition at [start, end) calls ``m`` an assistant or chatbot that someone
    released: "Kimi 是月之暗面在 2023 年 10 月推出的智能助手", "X 由 Y 推出，是一个对话机器人"."""
    said = text[m.end : end]
    return bool(_PRODUCT.search(text, start, end) and (IS_BY.search(said) or BY.search(said)))


def enumeration_groups(text: str, found: list[Mention]) -> list[list[Mention]]:
    groups: list[list[Mention]] = []
    for m in found:
        if groups and _ENUM_GAP.match(text[groups[-1][-1].end : m.start]):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def first_in_clause(found: list[Mention], spans: list[tuple[int, int]], orgs: Orgs) -> set[int]:
    """ids of the mentions that are the first model-like name of their clause."""
    seen: set[int] = set()
    out: set[int] = set()
    for m in found:
        if orgs.is_org(m.surface):
            continue
        c = clause_at(spans, m.start)
        if c not in seen:
            seen.add(c)
            out.add(id(m))
    return out


def _versioned(key: str, series: set[str]) -> bool:
    """Whether key is a series' key followed by a version number (gpt + 3.5)."""
    for i in range(len(key) - 1, 0, -1):
        if not re.fullmatch(r"\d+(?:\.\d+)?", key[i:]):
            continue
        if key[:i] in series:
            return True
    return False


def _starting_with(ordered: list[str], prefix: str) -> list[str]:
    """The names of a sorted list that start with a prefix (they lie together from its place)."""
    out = []
    for name in ordered[bisect_left(ordered, prefix):]:
        if not name.startswith(prefix):
            break
        out.append(name)
    return out
