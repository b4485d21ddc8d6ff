"""The glossary (术语表): terms the notes define as 中文（English，ABBR）, 中文（ABBR）, ABBR（中文）,
“中文”（English） or "X 是指…", each with the sentence that defines it and the section that
explains it. Abbreviations also become site-wide hover tooltips (render)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..models import Evidence, Layout, Place, Sentence, Term
from ..segment import Segmenter
from ..text import slugify
from .corpus import placed_items
from .registry import Registry

_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_BRACKET = re.compile(r"[（(]([^（）()]{1,80})[）)]")
_ABBR = re.compile(r"[A-Za-z]*[A-Z][A-Za-z]*[A-Z][A-Za-z0-9]*|[A-Z]{2,}[0-9]*")
_ENGLISH = re.compile(r"[A-Za-z][A-Za-z0-9'\-]*(?:\s+[A-Za-z0-9][A-Za-z0-9'\-]*)*")
_INNER_PREFIX = re.compile(r"^(?:英文名?|缩写|简称|又称|也称|也叫做?|或叫|即)\s*[：:]?\s*")
_HARD = re.compile(r"[，。、；：！？,.;:!?（）()《》“”‘’「」\x00+=/|]")
# Words that end the phrase before a term: "LLM 大部分采用了｜旋转位置编码（…）". Matched as
# whole jieba tokens, so 训练 does not cut 预训练.
_CUT = frozenset((
    "了", "是", "为", "的", "地", "采用", "使用", "通过", "利用", "基于", "称为", "叫做",
    "即", "如", "例如", "比如", "包括", "进行", "用于", "提出", "训练", "对于", "关于", "引入",
    "接替", "开始", "成为", "作为", "具有", "拥有", "支持", "实现", "包含", "提供", "需要", "出现",
    "具备", "和", "以及", "或者", "或", "让", "把", "将", "被", "从", "向", "对",
    "在", "到", "思考", "重新", "主要", "通常", "往往", "一般", "大多",
))
_OPENING = "\x00“‘「《"
_DEFINES = r"(?:是指|指的是|指(?![令标出定向导])|是一种|是一个|可以定义为|即为)"
_TERM_IS = re.compile(rf"^(?:具体而言|具体来说|所谓)?[，,]?\s*(?P<t>[{_CJK}]{{2,8}})\s*[，,]?\s*"
                      r"(?:是指|指的是|可以定义为)")


@dataclass
class Candidate:
    term: str
    english: str
    abbr: str
    evidence: Evidence
    clean: bool  # the term's edges are marked in the source (bold, quotes, punctuation)
    alias: str = ""  # "指令微调”（也叫做有监督微调，…）": the outer name


def _marked(raw: str) -> str:
    """Visible text in which emphasis and code edges are kept as \\x00 boundaries."""
    t = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", raw)
    t = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", t)
    t = re.sub(r"\[\^[^\]]+\]", "", t)
    t = t.replace("**", "\x00").replace("__", "\x00").replace("`", "\x00")
    return re.sub(r"\s+", " ", t).strip()


def outer_term(before: str, segmenter: Segmenter) -> tuple[str, bool]:
    """The Chinese term written right before a bracket, and whether its start is marked."""
    stripped = before.rstrip(" \x00”’」")
    if len(stripped) < len(before.rstrip(" ")):  # closed by bold, code or a quote
        start = max(stripped.rfind(c) for c in "\x00“‘「") + 1
        term = stripped[start:].strip()
        if re.search(f"[{_CJK}]", term) and 2 <= len(term) <= 16 and not _HARD.search(term):
            return term, True
    pieces = re.split(_HARD, before)
    run = pieces[-1]
    opened = len(pieces) > 1 and before[len(before) - len(run) - 1] in _OPENING
    clean = opened or len(pieces) > 1
    if not opened:  # a quote or bold mark opens the term: "“对话即平台（…）”" keeps 即
        toks = segmenter.cut(run)
        cuts = [i for i, t in enumerate(toks) if t.strip() in _CUT]
        if cuts:
            run = "".join(toks[cuts[-1] + 1 :])
            clean = False
    term = re.sub(rf"^[^{_CJK}A-Za-z]+", "", run).strip()
    if re.search(f"^[{_CJK}]", term) and 2 <= len(term) <= 12:
        return term, clean
    return "", False


def _parts(inner: str) -> tuple[list[str], list[str], list[str]] | None:
    english, abbr, chinese = [], [], []
    for part in re.split(r"\s*[，,、;；]\s*", _INNER_PREFIX.sub("", inner.replace("\x00", "").strip())):
        part = _INNER_PREFIX.sub("", part).strip()
        if not part:
            continue
        if _ABBR.fullmatch(part) and len(part) <= 8:
            abbr.append(part)
        elif _ENGLISH.fullmatch(part) and len(part) >= 3:
            english.append(part)
        elif re.fullmatch(f"[{_CJK}]{{2,10}}", part):
            chinese.append(part)
        else:
            return None
    return english, abbr, chinese


def candidates(sentences: list[Sentence], registry: Registry, segmenter: Segmenter) -> list[Candidate]:
    out: list[Candidate] = []
    for s in sentences:
        text = _marked(s.raw)
        for m in _BRACKET.finditer(text):
            parts = _parts(m.group(1))
            if parts is None:
                continue
            english, abbr, chinese = parts
            en, ab = (english or [""])[0], (abbr or [""])[0]
            before = text[: m.start()]
            latin = re.search(r"([A-Za-z][A-Za-z0-9\- ]*?)\s*\x00?\s*$", before)
            ev = Evidence(s, 0, len(s.text))
            if chinese and not (en or ab) and latin and len(chinese) == 1:
                word = latin.group(1).strip()
                if registry.is_model_name(word) or not re.search(r"[A-Za-z]{2}", word):
                    continue  # Qwen（通义千问） names a model
                if _ABBR.fullmatch(word) and len(word) <= 8:
                    out.append(Candidate(chinese[0], "", word, ev, True))
                elif _ENGLISH.fullmatch(word):
                    out.append(Candidate(chinese[0], word, "", ev, True))
            elif chinese and (en or ab):
                alias, _ = outer_term(before, segmenter)
                out.append(Candidate(chinese[0], en, ab, ev, True, alias))
            elif (en or ab) and not chinese:
                term, clean = outer_term(before, segmenter)
                clean = clean or (s.heading and term == before.strip(" \x00"))
                if term and not registry.is_model_name(en or ab):
                    out.append(Candidate(term, en, ab, ev, clean))
        if not s.heading:
            d = _TERM_IS.match(s.text)
            if d:
                out.append(Candidate(d.group("t"), "", "", Evidence(s, 0, len(s.text)), True))
    return out


def _norm_en(english: str) -> str:
    return re.sub(r"[^a-z0-9]", "", english.lower())


def build_glossary(sentences: list[Sentence], layout: Layout, registry: Registry,
                   segmenter: Segmenter) -> list[Term]:
    cands = candidates(sentences, registry, segmenter)
    parent = list(range(len(cands)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    index: dict[str, int] = {}
    terms = {c.term for c in cands}
    for i, c in enumerate(cands):
        base = c.term[:-2] if c.term.endswith("能力") and c.term[:-2] in terms else c.term
        for key in (f"a:{c.abbr}" if c.abbr else "", f"e:{_norm_en(c.english)}" if c.english else "",
                    f"t:{base}" if c.clean or not (c.abbr or c.english) else ""):
            if key:
                j = index.setdefault(key, i)
                parent[find(i)] = find(j)
    groups: dict[int, list[Candidate]] = {}
    for i, c in enumerate(cands):
        groups.setdefault(find(i), []).append(c)
    named = [_name(g) for g in groups.values()]
    every = {f for t in named for f in t.forms}
    out = [t for t in named if _explain(t, sentences, layout, every)]
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


def _name(group: list[Candidate]) -> Term:
    """The term's Chinese name (the one the notes use most), English name, abbreviation."""
    bracketed = [c for c in group if c.english or c.abbr]
    known = {c.term for c in group if c.clean}
    for c in group:  # "区分大语言模型" read too far back: the group also says 大语言模型
        if not c.clean:
            shorter = [k for k in known if c.term.endswith(k) and k != c.term]
            if shorter:
                c.term = max(shorter, key=lambda k: (len(k), k))
    pool = bracketed or group
    counts = Counter(c.term for c in pool)
    term = min(counts, key=lambda t: (-counts[t], not any(c.clean and c.term == t for c in pool),
                                      len(t), t))
    english = _pick([c.english for c in group if c.english])
    abbr = _pick([c.abbr for c in group if c.abbr])
    aliases = sorted({c.term for c in group if c.clean and c.term not in (term, term + "能力")} |
                     {c.alias for c in group if c.alias and c.alias != term})
    forms = [term, *aliases] + ([abbr] if abbr else []) + ([english] if english else [])

    intro = min((c.evidence for c in pool), key=lambda e: _intro_rank(e, term))
    return Term(term, english, abbr, aliases, intro, None, intro.sentence.place, forms=forms,
                intros=[c.evidence for c in pool])


def _intro_rank(e: Evidence, term: str) -> tuple:
    """Prefer a sentence that introduces this term alone over a list item that is only the
    term (预训练语言模型（PLM）) or a sentence that brackets three terms at once."""
    text = e.sentence.text
    bare = len(re.sub(r"[（(][^）)]*[）)]", "", text)) <= len(term) + 2
    brackets = len(re.findall(r"[（(][^）)]*[A-Za-z][^）)]*[）)]", text))
    return (e.sentence.heading, bare, brackets, e.sentence.order)


def _explain(t: Term, sentences: list[Sentence], layout: Layout, every: set[str]) -> bool:
    """Find the sentence that defines the term and the section that explains it."""
    definition, score = _definition(t.forms, sentences, every)
    if not (t.english or t.abbr) and score < 3:
        return False  # a "X 是指" term must really be defined
    titled = _titled(t.forms, layout)
    t.link = definition.sentence.place if definition and score >= 2 else titled or t.intro.sentence.place
    if definition is None:
        definition = t.intro if not t.intro.sentence.heading else _opening(t.link, sentences)
        if definition is not None and definition is t.intro and not titled:
            t.link = t.intro.sentence.place
    t.definition = definition
    return True


def _opening(place: Place, sentences: list[Sentence]) -> Evidence | None:
    """The first sentence of the section that explains a term only named in a heading."""
    for s in sentences:
        if s.place == place and not s.heading:
            return Evidence(s, 0, len(s.text))
    return None


def _pick(values: list[str]) -> str:
    if not values:
        return ""
    counts = Counter(values)
    by_norm = Counter(_norm_en(v) for v in values)
    best_norm = max(by_norm, key=lambda n: (by_norm[n], n))
    same = [v for v in counts if _norm_en(v) == best_norm]
    return max(same, key=lambda v: (sum(ch.isupper() for ch in v), counts[v], v))


def _definition(forms: list[str], sentences: list[Sentence], every: set[str]
                ) -> tuple[Evidence | None, int]:
    # 预训练 is not mentioned where the text says 预训练语言模型 (another term).
    longer = sorted({o[len(f):] for f in forms for o in every if o != f and o.startswith(f)},
                    key=len, reverse=True)
    guard = f"(?!{'|'.join(map(re.escape, longer))})" if longer else ""
    names = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    names = f"(?:{names}){guard}"
    strong = re.compile(rf"(?:^|[，,：:]\s*|具体而言，|具体来说，)(?:{names})(?:能力)?\s*"
                        rf"(?:[（(][^）)]*[）)])?\s*[，,]?\s*(?:也称[^，。]*[，,]\s*)?{_DEFINES}")
    subject = re.compile(rf"^(?:具体而言，|具体来说，)?(?:{names})\s*(?:[（(][^）)]*[）)])?\s*"
                         r"(?![的、，,和与及]|能力|问题)[\u4e00-\u9fff]")
    mention = re.compile(rf"(?<![A-Za-z])(?:{names})(?![A-Za-z])")
    best: tuple[int, int] | None = None
    found: Evidence | None = None
    for s in sentences:
        if s.heading or not mention.search(s.text):
            continue
        score = 3 if strong.search(s.text) else 2 if subject.match(s.text) else 1
        if best is None or (score, -s.order) > best:
            best, found = (score, -s.order), Evidence(s, 0, len(s.text))
    if best is None or best[0] < 2:
        return None, best[0] if best else 0
    return found, best[0]


def _titled(forms: list[str], layout: Layout) -> Place | None:
    """A section whose title names the term (上下文学习（In-Context Learning，ICL）)."""
    wanted = {re.sub(r"\s+", "", f).lower() for f in forms}
    for _page, item, place in placed_items(layout):
        title = item.title
        core = re.sub(r"[（(].*?[）)]", "", title).strip()
        inside = re.findall(r"[（(]([^）)]*)[）)]", title)
        names = {core} | {p.strip() for part in inside for p in re.split(r"[，,]", part)}
        if {re.sub(r"\s+", "", n).lower() for n in names} & wanted:
            return place
    return None


def abbreviations(terms: list[Term]) -> dict[str, str]:
    out: dict[str, str] = {}
    for t in terms:
        if t.abbr and t.abbr not in out:
            out[t.abbr] = f"{t.term}（{t.english}）" if t.english else t.term
    return out


def glossary_terms(terms: list[Term]) -> list[str]:
    return sorted({w for t in terms for w in (t.term, t.english, t.abbr, *t.aliases) if w})


