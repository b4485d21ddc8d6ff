"""The model catalog (模型目录): one row per model the notes describe, every cell sourced.

Rows come from the registry (which names are models) and the fact reader (what the
notes say about each). Each cell keeps the facts it shows, each with the sentence it was
read from; a cell the notes do not support stays empty. Human corrections
(data/models_override.yaml) are kept with their reason.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from ..diagnostics import Reporter
from ..models import (
    CATALOG_COLUMNS,
    CATALOG_TOPIC,
    Catalog,
    Cell,
    DateValue,
    Evidence,
    Fact,
    Layout,
    MentionIndex,
    Place,
    Row,
    Section,
    Sentence,
)
from ..names import name_key, split_name
from ..text import slugify
from .corpus import placed_items
from .datafiles import Override
from .patterns import heading_license, license_value
from .registry import Registry

COLUMNS = CATALOG_COLUMNS
OVERRIDE_FIELD = {"organization": "org", "released": "date", "params": "params",
                  "license": "license", "context": "context", "summary": "summary"}
_ABOUT = re.compile(r"多|余|超过|逾|约|大约|近|左右|以上")
_RANGE = re.compile(r"到|至|~|～|—")
_CHARS = re.compile(r"字")
MAX_ORGS = 3


def build_catalog(layout: Layout, sentences: list[Sentence], registry: Registry,
                  facts: list[Fact], overrides: list[Override], reporter: Reporter,
                  reports: Sequence[str] = ()) -> Catalog:
    """The catalog's rows: models with a section of their own, with facts, or with a report
    the catalog lists (``reports``: names of models whose technical report is an item of it)."""
    page = layout.node_page(CATALOG_TOPIC) or "models.md"
    reported = {found[0].group for name in reports if (found := registry.mentions(name))}
    facts = facts + grouping_facts(layout, sentences, registry)
    by_model: dict[str, list[Fact]] = {}
    for f in facts:
        by_model.setdefault(f.model, []).append(f)
    sections = _sections(layout, registry)
    series = [g for g in sections]  # catalog-page order
    first: dict[str, Evidence] = {}  # first mention, on the catalog page if there is one
    for s in sorted(sentences, key=lambda s: (s.node != CATALOG_TOPIC, s.order)):
        for m in registry.mentions(s.text):
            first.setdefault(m.group, Evidence(s, m.start, m.end))
    rows: list[Row] = []
    used: set[str] = set()
    for group in registry.groups():
        mine = by_model.get(group, [])
        cells = {c: Cell(_choose(c, mine, group, registry)) for c, _ in COLUMNS}
        if group not in sections and group not in reported and not any(f.how != "group" for cell in cells.values()
                                                                        for f in cell.facts):
            continue  # named in passing, nothing said about it
        name, aliases = _names(group, registry, sections.get(group))
        anchor = _unique("model-" + slugify(name), used)
        row = Row(group, name, aliases, anchor, sections.get(group), first.get(group), cells,
                  tuple(registry.all_surfaces(group)))
        family = _family(group, series, registry)
        date = cells["date"].facts[0].value.key if cells["date"].facts else (9999, 0, 0)
        order = min((f.evidence.sentence.order for f in mine), default=10**9)
        row.sort_key = (series.index(family) if family else len(series), family != group, date,
                        order, name)
        rows.append(row)
    _inherit_orgs(rows, registry, [s.text for s in sentences])
    rows.sort(key=lambda r: r.sort_key)
    catalog = Catalog(rows, page, mention_index(rows, registry))
    apply_overrides(catalog, overrides, reporter)
    return catalog


def mention_index(rows: list[Row], registry: Registry) -> MentionIndex:
    """What render needs to link a mention of a catalogued model to its row."""
    cjk = {s: (registry.find(s) if s in registry.keys else "")
           for row in rows for s in row.surfaces if re.search(r"[\u4e00-\u9fff]", s)}
    org = registry.orgs.regex()
    return MentionIndex({k: registry.find(k) for k in sorted(registry.keys)}, dict(sorted(cjk.items())),
                        org.pattern if org is not None else "")


def _inherit_orgs(rows: list[Row], registry: Registry, texts: list[str]) -> None:
    """A version of a series the notes give no organization (GPT-3, PaLM 2, Llama-2-70b-hf)
    has its series' organization, shown as inherited: a series is one organization's line of
    models. The closest series that names one wins (ChatGLM3-6B-32K takes ChatGLM3's, not
    GLM's). A name that only contains the series' name (HuggingGPT, GPT-NeoX) is often another
    organization's model: it inherits only where a note says it is a version of the series
    ("PaLM-E 是 PaLM 的多模态版本")."""
    names = {r.group: list(r.surfaces) for r in rows}
    own = [r for r in rows if r.cells["org"].facts and not r.cells["org"].override]
    for row in rows:
        if row.cells["org"].facts or row.cells["org"].override:
            continue
        best: tuple[int, Row] | None = None
        for other in own:
            if other is row:
                continue
            length = max((len(base) for base in names[other.group] for n in names[row.group]
                          if _version_of(n, base) or (_member(n, base) and _said_version(n, base, texts))),
                         default=0)
            if length and (best is None or length > best[0]):
                best = (length, other)
        if best is not None:
            row.cells["org"] = Cell(list(best[1].cells["org"].facts), inherited_from=best[1].name)


def _home(f: Fact, registry: Registry) -> bool:
    s = f.evidence.sentence
    return s.node == CATALOG_TOPIC and registry.title_group(s.place.section_title) == f.model


def _choose(column: str, facts: list[Fact], group: str, registry: Registry) -> list[Fact]:
    mine = [f for f in facts if f.field == column]
    if not mine:
        return []

    def pref(f: Fact) -> tuple:
        return (not _home(f, registry), f.rank, f.evidence.sentence.order, f.evidence.start)

    mine.sort(key=pref)
    if column == "org":
        # An organization written before the name ("Meta GPT") is weak evidence: where a
        # sentence says who made the model, a name-prefix that disagrees is left out.
        said = [f for f in mine if f.how != "prefix"]
        if said:
            mine = [f for f in mine if f.how != "prefix" or any(f.text == s.text for s in said)]
        kept: list[Fact] = []
        for f in mine:
            # "清华" within "清华大学", "谷歌" beside "Google": one organization, shown once.
            if not any(f.text in k.text or k.text in f.text or registry.orgs.same(f.text, k.text) for k in kept):
                kept.append(f)
        return kept[:MAX_ORGS]
    if column == "date":
        first = min(mine, key=lambda f: (f.value.key, pref(f)))
        # "2023 年 9 月" and "2023 年 9 月 27 日" are one release: show the precise one.
        finer = [f for f in mine if _refines(f.value, first.value)]
        shown = min(finer, key=lambda f: (-_precision(f.value), f.value.key, pref(f))) if finer else first
        # Records of sized variants with dates of their own (Qwen-7B in August, Qwen-14B in
        # September): each variant's first date after the row's, with its name.
        by_variant: dict[str, Fact] = {}
        for f in sorted((f for f in mine if f.named), key=lambda f: (f.value.key, pref(f))):
            by_variant.setdefault(f.named, f)
        if len({f.value.key for f in by_variant.values()}) < 2:
            return [shown]
        variants = list(by_variant.values())
        # The row's own date leads only when it is earlier than every variant's.
        return ([shown] if not shown.named and shown.value.key < variants[0].value.key else []) + variants
    if column == "context":
        # Variants a table gives different lengths ("QingLuan-7B 4K", "QingLuan-14B 8K"): each
        # length once, with the first variant that has it.
        of_variants = [f for f in mine if f.named and f.how == "table"]
        if len({f.value for f in of_variants}) > 1:
            by_value: dict[object, Fact] = {}
            for f in of_variants:
                by_value.setdefault(f.value, f)
            return sorted(by_value.values(), key=lambda f: f.value)
        # A length in tokens first: a count of characters (20 万字) is another unit, shown
        # only when the notes give no token count.
        return [max(mine, key=lambda f: (not _CHARS.search(f.text), f.value,
                                         tuple(-x for x in pref(f)[1:3])))]
    if column == "license":
        text = [f for f in mine if f.how != "group"]
        return [(text or mine)[0]]
    if column == "summary":
        return [min(mine, key=lambda f: (f.rank, pref(f)))]
    # params: the most complete statement first, then values it does not cover
    # (a rough size, 1 亿多, only when no precise one is there)
    primary = min(mine, key=lambda f: (_rough(f), -len(f.value), f.rank, pref(f)))
    shown = [primary]
    # Fewer sizes first: a table's "0.5B / 7B / 57B" adds nothing once the prose's "0.5B、7B、
    # 72B" and its "57B-A14B" are shown; taken the other way round, 0.5B and 7B show twice.
    for f in sorted(mine, key=lambda f: (_rough(f), len(f.value))):
        given = {v for s in shown for v in s.value}
        repeated = f.how != "name" and not _rough(f) and set(f.value) <= given
        if not repeated and not any(_covers(s, f) for s in shown):
            shown.append(f)
    return shown


def _precision(d: DateValue) -> int:
    return (d.month > 0) + (d.day > 0) if not d.decade else -1


def _refines(fine: DateValue, coarse: DateValue) -> bool:
    """``fine`` says more about the same date: 2023 年 9 月 27 日 refines 2023 年 9 月."""
    if fine.decade or coarse.decade or fine.year != coarse.year or coarse.part or \
            _precision(fine) <= _precision(coarse):
        return False
    return not coarse.month or coarse.month == fine.month


def _rough(f: Fact) -> bool:
    """A size given roughly: 约 1750 亿, 超过 1700 亿, 1 亿多."""
    after = f.evidence.sentence.text[f.evidence.end : f.evidence.end + 1]
    return bool(_ABOUT.search(f.text)) or after in ("多", "余")


def _covers(a: Fact, b: Fact) -> bool:
    if b.how == "name":  # a size in a name is nominal: Mistral 7B has 73 亿 parameters
        return all(any(abs(v - w) <= 0.15 * w for w in a.value) for v in b.value) or \
            _covers(a, Fact(b.model, b.field, b.text, b.evidence, b.value))
    values = set(a.value)
    if _rough(b):
        # "1 亿多参数", "约 1750 亿": a rough size that a precise one says better (0.11, 0.34)
        return all(any(v * 0.85 <= w < v * 2 for w in a.value) for v in b.value)
    if _RANGE.search(a.text) and len(a.value) == 2:
        lo, hi = min(a.value), max(a.value)
        return all(lo <= v <= hi for v in b.value)
    return set(b.value) <= values


def _sections(layout: Layout, registry: Registry) -> dict[str, Place]:
    """The catalog node's sections named after a model: that model's own section."""
    out: dict[str, Place] = {}
    for _page, item, place in placed_items(layout):
        entry = item.entry
        if item.node != CATALOG_TOPIC or entry.key == "":
            continue
        group = registry.title_group(entry.title)
        if group and group not in out and (entry.blocks or entry.children):
            out[group] = place
    return out


def _names(group: str, registry: Registry, section: Place | None) -> tuple[str, list[str]]:
    surfaces = [s for s, _ in registry.surfaces(group)]
    if section:
        name = re.sub(r"[（(].*?[）)]", "", section.section_title)
        name = re.sub(r"\s*系列\s*$", "", name).strip()
        # A title that only contains the name ("基座选 Phi-3-mini") is not the name.
        inside = [x for x in surfaces if x != name and x in name]
        if inside and not any(name_key(x) == name_key(name) for x in surfaces):
            name = max(inside, key=len)
    elif surfaces:
        name = surfaces[0]
    else:
        name = split_name(registry.all_surfaces(group)[0]).base
    seen = {name_key(name)}
    aliases = []
    for s in surfaces:
        if name_key(s) not in seen:
            seen.add(name_key(s))
            aliases.append(s)
    return name, aliases


def _family(group: str, series: list[str], registry: Registry) -> str | None:
    names = registry.all_surfaces(group)
    for s in series:
        if s == group:
            continue
        if any(_member(n, base) for n in names for base in registry.all_surfaces(s)):
            return s
    return group if group in series else None


def _member(name: str, base: str) -> bool:
    """GPT-3, ChatGPT, InstructGPT belong to GPT; Med-PaLM to PaLM; 文心大模型 to 文心一言."""
    if re.search(r"[\u4e00-\u9fff]", base) or re.search(r"[\u4e00-\u9fff]", name):
        shared = next((i for i, (a, b) in enumerate(zip(name, base, strict=False)) if a != b),
                      min(len(name), len(base)))
        return name != base and shared >= 2
    if name == base or len(base) < 2 or base not in name:
        return False
    return bool(_member_re(base).search(name))


@lru_cache(maxsize=4096)
def _member_re(base: str) -> re.Pattern[str]:
    # Compiled once per series: the catalog asks about every pair of names.
    return re.compile(rf"(?:^|[-\s]|(?<=[a-z0-9])){re.escape(base)}(?=$|[-\s\d]|[A-Z])")


@lru_cache(maxsize=4096)
def _version_re(base: str) -> re.Pattern[str]:
    prefixes = "|".join(_LINE_PREFIXES)
    return re.compile(rf"(?:(?:{prefixes})[-\s]?)?{re.escape(base)}(?:[-\s]?\d|$)")


def _version_of(name: str, base: str) -> bool:
    """GPT-3, GPT4, PaLM 2, Qwen-Chat, ChatGLM2-6B, ChatGPT are versions or variants of GPT,
    PaLM, Qwen, ChatGLM: the series' name, then a number, a size or a role, or a word of the
    line before it; 文心大模型 is 文心一言's too."""
    if re.search(r"[\u4e00-\u9fff]", base) or re.search(r"[\u4e00-\u9fff]", name):
        return _member(name, base)
    if name == base or len(base) < 2 or base not in name:
        return False
    return split_name(name).base == base or bool(_version_re(base).match(name))


def _said_version(name: str, base: str, texts: list[str]) -> bool:
    """A sentence says the model is a version of the series ("PaLM-E 是 PaLM 的多模态版本")."""
    said = re.compile(rf"{re.escape(name)}\s*(?:是|为|即)\s*{re.escape(base)}\s*的[^，。；]{{0,8}}版")
    return any(said.search(t) for t in texts if name in t)


# Words that make a model of the same line from a series' name (ChatGPT, InstructGPT, Code
# Llama, Med-PaLM); any other word before it (HuggingGPT, MetaGPT, BioGPT) may be anyone's.
_LINE_PREFIXES = ("Chat", "Instruct", "Code", "Web", "Med")


def _unique(anchor: str, used: set[str]) -> str:
    base, n = anchor, 2
    while anchor in used:
        anchor, n = f"{base}-{n}", n + 1
    used.add(anchor)
    return anchor


def grouping_facts(layout: Layout, sentences: list[Sentence], registry: Registry) -> list[Fact]:
    """开源/闭源 from the notes' own grouping: a model section under "闭源 LLM（…）" or "开源 LLM",
    for the section's model and the models of its series named in it (Med-PaLM in PaLM 系列)."""
    named: dict[Place, set[str]] = {}
    for s in sentences:
        if s.node == CATALOG_TOPIC and not s.heading:
            named.setdefault(s.place, set()).update(
                m.group for m in registry.mentions(s.text) if not m.skip)
    out: list[Fact] = []
    for _page, item, place in placed_items(layout):
        entry = item.entry
        if item.node != CATALOG_TOPIC or entry.key == "":
            continue
        subject = registry.title_group(entry.title)
        if not subject:
            continue
        for p in entry.placements:
            chain: list[Section] = [s for s in (*p.unit.path, p.unit.section) if s.heading]
            mark = next(((s, heading_license(s.title)) for s in reversed(chain)
                         if heading_license(s.title)), None)
            if mark is None:
                continue
            section, m = mark
            assert section.heading is not None
            value = license_value(m.group(0))
            series = {subject} | {g for s in chain if (g := registry.title_group(s.title))}
            sentence = Sentence(section.title, section.title, (section.heading.span,), place,
                                item.node, -1, -1, 0, heading=True)
            ev = Evidence(sentence, m.start(), m.end(), label="笔记分组")
            for group in sorted(named.get(place, set()) | {subject}):
                if group in series or any(
                        _member(n, b) for n in registry.all_surfaces(group) for s in series
                        for b in registry.all_surfaces(s)):
                    out.append(Fact(group, "license", value, ev, value, rank=5, how="group"))
    return out


def apply_overrides(catalog: Catalog, overrides: list[Override], reporter: Reporter) -> None:
    for ov in overrides:
        row = catalog.row(ov.model)
        if row is None:
            reporter.warn(ov.path, ov.line, "override-unknown-model",
                          f"override for «{ov.model}» matches no model in the catalog; ignored")
            continue
        if ov.hide:
            catalog.rows.remove(row)
            continue
        for key, value in ov.values.items():
            cell = row.cells[OVERRIDE_FIELD[key]]
            cell.override, cell.reason = value, ov.reason
