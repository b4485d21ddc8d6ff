"""Organizations: learned from how the notes phrase authorship, plus an optional seed list.

Learned from: 由 Y (于 2024 年 2 月)开发/研发/推出/开源…, 是 Y (在 2023 年 9 月)开发/开源/发布…的,
Y 公司, Y 的首款…模型——X, and a name introduced by what it is: 法国初创公司 Mistral AI 在…发布,
AI 实验室 DeepMind 推出, 【Y】X 发布 (a news item led by its maker), X：Y，2023 年 8 月开源 (a record
of an awesome list).
A bracketed alias belongs to the name before it: 深度求索（DeepSeek）
is 深度求索, and the DeepSeek in its bracket is not a model.
The seed list (data/terms.yaml) only helps with a name the notes use in passing
(基于百度文心大模型); every organization shown in the catalog is still read from a
sentence that names it.
"""

from __future__ import annotations

import re

from ..names import paren_before
from .patterns import CONNECTIVE, HEADLINE_RELEASE

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
# The text an authorship pattern captures: anything but a clause break, where a bracket
# (an alias, which may hold a comma) counts as one piece.
_ORG_TEXT = r"(?:[^，。；（(]|[（(][^）)]{0,40}[）)])"
DATE_WORDS = r"(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*[日号])?(?:初|底|末|左右)?"
BY = re.compile(rf"由(?!于)\s*(?P<org>{_ORG_TEXT}{{1,40}}?)\s*(?:等\s*)?(?:合作|联合|共同)?\s*"
                r"(?:开发|研发|推出|发布|开源|打造|训练)")
IS_BY = re.compile(rf"是\s*(?P<org>(?:(?!是){_ORG_TEXT}){{1,40}}?)\s*(?:等\s*)?(?:合作|联合|共同)?\s*"
                   r"(?:开发|研发|开源|发布|推出|提出|打造|放出来?)的")
_COMPANY = re.compile(r"(?<![A-Za-z])(?P<org>[A-Z][A-Za-z0-9]+(?: [A-Z][A-Za-z0-9]+)?)\s*公司")
FIRST_MODEL = re.compile(rf"(?P<org>[{_CJK}A-Za-z][{_CJK}A-Za-z ]{{1,9}}?)的(?:首款|首个|第一款|第一个|"
                          rf"最新|新一代|旗舰)[^，。；]{{0,12}}?模型\s*(?:——|—)\s*[A-Za-z{_CJK}]")
# What an organization is called before its name: 法国初创公司 Mistral AI, AI 实验室 DeepMind.
DESCRIPTOR = r"(?:初创公司|创业公司|科技公司|公司|初创团队|创业团队|团队|实验室|研究院|研究所|研究机构)"
_DEV = r"(?:开发|研发|推出|发布|开源|提出|打造|训练|上线)"
_ADV = r"(?:又|也|还|已经?|正式|先后|相继|率先|首次|再次|同时)"
# A name after a descriptor, when it is the subject of a release: "初创公司 Mistral AI 在 2023 年
# 9 月发布", "实验室 DeepMind 推出了", "初创公司月之暗面于 2023 年 10 月发布".
DESCRIBED = re.compile(
    rf"{DESCRIPTOR}\s*(?P<org>[A-Z][A-Za-z0-9]*(?:[ \-.&][A-Z0-9][A-Za-z0-9]*)*|[{_CJK}]{{2,8}}?)"
    rf"(?=\s*(?:[（(][^）)]{{0,40}}[）)])?\s*{_ADV}?\s*(?:(?:在|于)\s*{DATE_WORDS}\s*)?{_ADV}?\s*{_DEV})")
# A news item led by its maker in black brackets: "【Mistral AI】Mistral Large 发布（2 月 26 日）：…".
MAKER_LEADS = re.compile(rf"^[\s\-*+>]*【(?P<org>[^【】\s][^【】]{{0,19}})】"
                         rf"(?=[^，。；：:【】]{{1,40}}?{HEADLINE_RELEASE})")
# A record of an awesome list: "名称：机构，2023 年 8 月开源，…" — its maker (a name, not a description
# of the thing: "字节跳动推出的 AI 对话应用"), then when it was released.
RECORD_MAKER = re.compile(rf"^(?P<label>[^：:，,。；]{{1,40}})[：:]\s*(?P<org>[^，,。；：:（(的]{{2,24}}?)\s*[，,]\s*"
                          rf"(?:于|在)?\s*{DATE_WORDS}\s*(?:正式|首次)?\s*{_DEV}")
_DESCRIPTOR_RE = re.compile(DESCRIPTOR)
_ALIAS = re.compile(r"\s*[（(][^）)]*[）)]")
_CUT = re.compile(r"基于|使用|通过|利用|借助|在|以|于|将")
# Words that stand where an organization would but are none: people, generic descriptors,
# adverbs of time ("由团队成员开发", "公司内部开发", "该团队推出").
_GENERIC = re.compile(r"^(?:研究|开发|技术|核心|原|整个|AI|人工智能)?\s*" + DESCRIPTOR + r"$")
_NOT_ORG = re.compile(r"人员|成员|员工|学术界|研究界|业界|我们|他们|用户|人们|大家|作者|社区|官方|模型|"
                      r"开发者|研究者|研究人员|工程师|爱好者|网友|"
                      r"^(?:会上|本次|此次|这次|当前|目前|现在|随后|后来|同时|此外|然后|最近|今年|去年|"
                      r"近日|近期|内部|自己|自行|正在|计划|宣布|公开|正式|首次|最早|最先|率先|共同|联合|"
                      r"刚刚|刚|日前|此前|之前|之后|今天|昨天|前不久|不久前)+"  # "首次公开发布的"
                      r"(?:刚刚|刚|又|也|已经?|才|还)?$|"
                      r"^它|^其|^该|^这|^那|^一|^第|^正在|^将|^已|^(?:针对|面向|为了|专门|用于|对于)|"
                      # a place in a text ("…的报告中发布的"), not who published it
                      r"(?:报告|论文|文章|博客|书|文档|会议|大会|项目|仓库|页面)[中里内上]?$")


def clean_orgs(text: str) -> list[str]:
    """Organization names in the text a pattern captured: "OpenAI 离职人员创建的 Anthropic 公司"
    → Anthropic; "清华大学和智谱 AI 等" → 清华大学, 智谱 AI; "阿里巴巴基于…" → 阿里巴巴;
    "法国初创公司 Mistral AI 在 2023 年 9 月" → Mistral AI; "深度求索（DeepSeek）" → 深度求索."""
    t = re.sub(r"^\s*由", "", text)
    t = _ALIAS.sub("", t)
    t = _CUT.split(t)[0]
    parts = t.split("的")
    t = parts[-1]
    if len(parts) > 1 and _GENERIC.match(t.strip()):
        t = parts[-2]  # Meta 的研究团队 → Meta
    t = re.split(r"被|由|把|让|给", t)[-1]
    # "上海人工智能实验室联合商汤科技": partners one after the other, each with its descriptor.
    t = "和".join(_without_descriptor(p) for p in re.split(r"(?<=.)(?:联合(?!国)|携手|联手)", t))
    t = re.sub(r"\s*等\s*$", "", t).strip()
    out = []
    for part in re.split(r"\s*(?:和|与|、|及|以及|，)\s*", t):
        part = _TEAM.sub("", CONNECTIVE.sub("", part.strip())).strip()
        if 2 <= len(part) <= 20 and re.search(f"[A-Za-z{_CJK}]", part) and \
                not part[0].isdigit() and not _NOT_ORG.search(part) and \
                not _GENERIC.match(part) and org_shaped(part):
            out.append(part)
    return out


def _without_descriptor(t: str) -> str:
    descriptors = list(_DESCRIPTOR_RE.finditer(t))
    if descriptors:
        last = descriptors[-1]
        if t[last.end() :].strip():
            return t[last.end() :]  # 法国初创公司 Mistral AI
        if last.group(0) == "公司":
            return re.sub(r"(?:股份)?(?:有限)?$", "", t[: last.start()])  # Anthropic 公司
        # else the descriptor ends the name: 上海人工智能实验室
    return t


def cell_orgs(cell: str) -> list[str]:
    """Organization names in a table's organization column. The header says what the cell
    holds, so a short name is taken as written (网易有道, 360, 福建医科大学孟超肝胆医院) and a
    list by its marks gives each (晓多科技+国家超算成都中心); a cell that reads as a sentence
    ("由 Google 于 2023 年发布") is read like one."""
    if len(cell) > 40 or re.search(r"[。！？!?：:（）()]|的|由|了|于", cell):
        return clean_orgs(cell)
    parts = [p.strip() for p in re.split(r"[、,，/&＆+＋；;]", cell)]
    return [p for p in parts if 2 <= len(p) <= 24 and not _GENERIC.match(p) and not _NOT_ORG.search(p)] \
        or clean_orgs(cell)


# Who inside the organization did it: "OpenAI 团队" is OpenAI.
_TEAM = re.compile(r"\s*(?:的)?(?:研究团队|研发团队|团队|研究人员)$")
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9.&'-]*(?: [A-Z0-9][A-Za-z0-9.&'-]*){0,3}")
# Characters of running text that a Chinese organization's name does not contain.
_PROSE_CHARS = re.compile(r"[的了而着这那们吗呢吧就都也还为把被让给该此个是在有要会能]")
_NAME_END = re.compile(rf"(?:{DESCRIPTOR}|大学|学院|集团|科技|智能|中心|研究中心|银行|证券|网络|基金会)$")


def org_shaped(name: str) -> bool:
    """Whether a captured text reads as an organization's name, not a fragment of a sentence:
    a Latin name with a capital (Google, Mistral AI), a Chinese name ending in what it is
    (上海人工智能实验室), a short Chinese word without the small words of running text
    (百度, 零一万物 — not 为了解决这个问题而, 拿着一个), or the two side by side (智谱 AI)."""
    if _LATIN_NAME.fullmatch(name):
        return bool(re.search(r"[A-Z]", name))
    if _NAME_END.search(name):
        return True
    cjk = "".join(re.findall(f"[{_CJK}]+", name))
    latin = re.sub(f"[{_CJK}]+", " ", name).split()
    return 2 <= len(cjk) <= 8 and not _PROSE_CHARS.search(cjk) and \
        all(re.search(r"[A-Z]", w) for w in latin) and \
        bool(re.fullmatch(rf"[{_CJK}]+(?:\s?[A-Za-z][A-Za-z0-9]*)?|[A-Za-z][A-Za-z0-9]*\s?[{_CJK}]+", name))


# A bracket right after an organization's name holding another of its names: "谷歌（Google）".
_OTHER_NAME = re.compile(r"\s*[（(]\s*(?:原|又称|即|简称)?\s*([^（）()，,；;]{2,20}?)\s*[）)]")


class Orgs:
    """The organizations known so far (seeds + learned), and a matcher for them."""

    def __init__(self, seeds: list[str] | None = None, same: list[list[str]] | None = None) -> None:
        """``same``: groups of names of one organization (谷歌 and Google)."""
        self.names: set[str] = {s.strip() for s in seeds or [] if s.strip()}
        self._re: re.Pattern[str] | None = None
        self._ending: re.Pattern[str] | None = None
        self._one: dict[str, str] = {}  # name → the first name of its organization
        for group in same or []:
            for name in group[1:]:
                self._join(group[0], name)

    def learn(self, texts: list[str]) -> None:
        for text in texts:
            for rx in (BY, IS_BY, _COMPANY, FIRST_MODEL, DESCRIBED, MAKER_LEADS, RECORD_MAKER):
                for m in rx.finditer(text):
                    self.names.update(clean_orgs(m.group("org")))
        self._re = self._ending = None
        # "谷歌（Google）", "Meta（原 Facebook）": a known organization's other known name in a
        # bracket right after it is the same organization.
        for text in texts:
            if "（" not in text and "(" not in text:
                continue
            for m in _OTHER_NAME.finditer(text):
                if m.group(1) in self.names:  # rare: only then look for a name before it
                    before = self.trailing_name(text[: m.start()])
                    if before:
                        self._join(before, m.group(1))

    def _find(self, name: str) -> str:
        while name in self._one and self._one[name] != name:
            name = self._one[name]
        return name

    def _join(self, a: str, b: str) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra != rb:
            self._one[rb] = ra

    def same(self, a: str, b: str) -> bool:
        """Whether two names are one organization's (谷歌 and Google)."""
        return a == b or self._find(a) == self._find(b)

    def regex(self) -> re.Pattern[str] | None:
        if self._re is None and self.names:
            alts = sorted(self.names, key=lambda n: (-len(n), n))
            self._re = re.compile("|".join(
                (r"(?<![A-Za-z])" + re.escape(n) + r"(?![A-Za-z])") if n[-1:].isascii()
                else re.escape(n) for n in alts))
        return self._re

    def ending(self) -> re.Pattern[str] | None:
        """A known organization at the end of a text (compiled once: the alternation is
        thousands of characters, too long to rebuild and look up for every sentence)."""
        rx = self.regex()
        if self._ending is None and rx is not None:
            self._ending = re.compile(rf"(?:{rx.pattern})\s*$")
        return self._ending

    def is_org(self, text: str) -> bool:
        return text.strip() in self.names

    def trailing(self, text: str) -> str:
        """The known organization a text ends with, alone or after what it is
        ("法国初创公司 Mistral AI" → Mistral AI; "使用 Meta" → "")."""
        m = self._at_end(text)
        if not m:
            return ""
        head = text[: m.start()].strip()
        if head and not re.fullmatch(rf"[{_CJK}A-Za-z ]{{0,10}}?{DESCRIPTOR}", head):
            return ""
        return m.group(0).strip()

    def alias_bracket(self, text: str, start: int) -> bool:
        """Whether ``start`` is inside a bracket right after an organization's name:
        the DeepSeek of "深度求索（DeepSeek）" is the organization's other name."""
        rx = self.ending()
        opening = paren_before(text, start) if rx is not None else None
        return opening is not None and rx is not None and bool(rx.search(text[:opening]))

    def trailing_name(self, text: str) -> str:
        """The known organization a text ends with, right at its end ("…由谷歌" → 谷歌), or ""."""
        m = self._at_end(text)
        return m.group(0).strip() if m else ""

    def _at_end(self, text: str) -> re.Match[str] | None:
        rx = self.ending()
        return rx.search(text) if rx is not None else None

    def leading(self, text: str) -> str:
        """The known organization a text starts with, if any ("OpenAI 召开了…" → OpenAI)."""
        rx = self.regex()
        m = rx.match(text.lstrip()) if rx else None
        return m.group(0) if m else ""
