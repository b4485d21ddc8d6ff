"""Organizations: learned from how the notes phrase authorship, plus an optional seed list.

Learned from: 由 Y 开发/研发/推出…, 是 Y (合作)开发/开源/发布…的, Y 公司, Y 的首款…模型——X.
The seed list (data/terms.yaml) only helps with a name the notes use in passing
(基于百度文心大模型); every organization shown in the catalog is still read from a
sentence that names it.
"""

from __future__ import annotations

import re

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
BY = re.compile(r"由(?!于)\s*(?P<org>[^，。；]{1,30}?)\s*(?:等\s*)?(?:合作|联合|共同)?\s*"
                 r"(?:开发|研发|推出|发布|打造|训练)")
IS_BY = re.compile(r"是\s*(?P<org>[^，。；是]{1,24}?)\s*(?:等\s*)?(?:合作|联合|共同)?\s*"
                    r"(?:开发|研发|开源|发布|推出|提出|打造)的")
_COMPANY = re.compile(r"(?<![A-Za-z])(?P<org>[A-Z][A-Za-z0-9]+(?: [A-Z][A-Za-z0-9]+)?)\s*公司")
FIRST_MODEL = re.compile(rf"(?P<org>[{_CJK}A-Za-z][{_CJK}A-Za-z ]{{1,9}}?)的(?:首款|首个|第一款|第一个|"
                          rf"最新|新一代|旗舰)[^，。；]{{0,12}}?模型\s*(?:——|—)\s*[A-Za-z{_CJK}]")
_CUT = re.compile(r"基于|使用|通过|利用|借助|在|以|于|将")
_NOT_ORG = re.compile(r"人员|学术界|研究界|业界|我们|他们|用户|人们|大家|作者|社区|官方|模型|"
                      r"^(?:会上|本次|此次|这次|当前|目前|现在|随后|后来|同时|此外|然后|最近|今年|去年)$|"
                      r"^它|^其|^该|^这|^那|^一|^第")


def clean_orgs(text: str) -> list[str]:
    """Organization names in the text a pattern captured: "OpenAI 离职人员创建的 Anthropic 公司"
    → Anthropic; "清华大学和智谱 AI 等" → 清华大学, 智谱 AI; "阿里巴巴基于…" → 阿里巴巴."""
    t = re.sub(r"^\s*由", "", text)
    t = _CUT.split(t)[0]
    t = t.split("的")[-1]
    t = re.split(r"被|由|把|让|给", t)[-1]
    if "公司" in t:
        head, _, tail = t.partition("公司")
        t = tail if tail.strip() else head
    t = re.sub(r"\s*等\s*$", "", t).strip()
    out = []
    for part in re.split(r"\s*(?:和|与|、|及|以及|，)\s*", t):
        part = part.strip()
        if 2 <= len(part) <= 20 and re.search(f"[A-Za-z{_CJK}]", part) and \
                not part[0].isdigit() and not _NOT_ORG.search(part):
            out.append(part)
    return out


class Orgs:
    """The organizations known so far (seeds + learned), and a matcher for them."""

    def __init__(self, seeds: list[str] | None = None) -> None:
        self.names: set[str] = {s.strip() for s in seeds or [] if s.strip()}
        self._re: re.Pattern[str] | None = None

    def learn(self, texts: list[str]) -> None:
        for text in texts:
            for rx in (BY, IS_BY, _COMPANY, FIRST_MODEL):
                for m in rx.finditer(text):
                    self.names.update(clean_orgs(m.group("org")))
        self._re = None

    def regex(self) -> re.Pattern[str] | None:
        if self._re is None and self.names:
            alts = sorted(self.names, key=lambda n: (-len(n), n))
            self._re = re.compile("|".join(
                (r"(?<![A-Za-z])" + re.escape(n) + r"(?![A-Za-z])") if n[-1:].isascii()
                else re.escape(n) for n in alts))
        return self._re

    def is_org(self, text: str) -> bool:
        return text.strip() in self.names

    def leading(self, text: str) -> str:
        """The known organization a text starts with, if any ("OpenAI 召开了…" → OpenAI)."""
        rx = self.regex()
        m = rx.match(text.lstrip()) if rx else None
        return m.group(0) if m else ""
