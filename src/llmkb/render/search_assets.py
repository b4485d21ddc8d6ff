"""Data for the site's own search worker (docs/assets/javascripts/search-worker.js).

One generated file, ``docs/assets/search/search-data.js``, that the worker loads with
``importScripts`` (a script, not JSON, so that it also loads from ``file://``, where the
worker runs inside an iframe and ``fetch`` is refused). It holds:

``aliases``   English names, abbreviations and synonyms → the Chinese terms the pages
              use: ``"icl" → ["上下文学习"]``, ``"emergent abilities" → ["涌现能力"]``.
              From the taxonomy (node titles' bracketed English names and
              abbreviations, node aliases), the glossary, and definitions written
              in the notes themselves (``旋转位置编码（Rotary Positional Encoding，RoPE）``,
              ``RAG（检索增强生成）``).
``names``     the other way round, a term → its own English names and abbreviations,
              where a title, the glossary or a note's definition gives them
              (``"检索增强生成" → ["rag", "retrieval augmented generation"]``), so a
              query in Chinese finds headings that use the abbreviation. Not a node's
              aliases: those also name what lies within the node (RoBERTa → 预训练语言模型).
``related``   weaker pointers: a node's keywords → its title
              (``"cot" → ["逐步推理"]``, ``"思维链" → ["逐步推理"]``).
``words``     the domain dictionary (the jieba user dictionary's words and the alias
              targets), so the worker segments queries the way the index was segmented.
``t2s``       traditional → simplified: a character table (OpenCC ``t2s``/``tw2s``/
              ``hk2s``) and phrases for the knowledge base's own words where Taiwan
              usage differs (``資料`` → ``数据``, from OpenCC ``s2twp``). Characters
              that simplified Chinese uses as they are (么, 著, 干) are left out, so a
              simplified query is never rewritten.
``descriptions`` each topic page's description (its front matter; shown on the home
              page and as the page's meta description), keyed like ``weights``: the
              worker searches it as part of the page's introduction, where the page
              does not already show it there.
``contexts``  per page (keyed like ``weights``) and section anchor: the headings of the
              notes that the section's text stands under and that the page does not show
              above it ("Alpaca" over 微调方法 on the catalog, a LoRA note's title over
              "为什么 B 初始化为 0" on another page): the worker reads a section under them.
``weights``   search weight of pages that repeat or list what the topic pages say:
              the home page, the sources, coverage and tags pages, the glossary and the
              timeline, and the introduction of the model catalog (its table). Keys
              are page paths without ``.md``; ``page#`` means the page's introduction.

Keys are normalised the way the worker normalises queries: NFKC, lower case, every
run of characters that is neither a letter nor a digit replaced by one space.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

import opencc

from ..models import CATALOG_COLUMNS, CATALOG_TOPIC, KnowledgeBase
from ..segment import Segmenter
from ..text import is_sentence_piece, repeated_names, visible
from .memo import RenderMemo, digest
from .pages import COVERAGE_PAGE, TAGS_PAGE, entry_has_content
from .sources import SOURCES_PAGE

SEARCH_DATA = "assets/search/search-data.js"
JIEBA_DICT = "assets/search/jieba_user_dict.txt"
# Search weights (see ``weights`` above): the topic pages hold the answers, these pages
# point to them.
HOME_WEIGHT = 0.5
META_WEIGHT = 0.15  # sources, coverage, tags: bibliography, statistics, lists of page titles
DERIVED_WEIGHT = 0.6  # glossary, timeline, the catalog table: excerpts of the topic pages
DATA_GLOBAL = "llmkbSearchData"

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RUN = re.compile(f"[{_HAN}]+")
_BRACKET = re.compile(r"（.*?）|\(.*?\)")
# 中文术语（English Name，ABBR） / 中文术语（ABBR）
_ZH_THEN_EN = re.compile(
    rf"(?P<zh>[{_HAN}]{{2,}})[”」』\"']?\s*[（(]\s*(?P<en>[A-Za-z][A-Za-z0-9 .+/'\-]*"
    r"(?:\s*[，,、;；]\s*[A-Za-z][A-Za-z0-9 .+/'\-]*)*)\s*[）)]"
)
# ABBR（中文术语）
_EN_THEN_ZH = re.compile(
    r"(?<![A-Za-z0-9])(?P<en>[A-Za-z][A-Za-z0-9\-]*(?: [A-Za-z][A-Za-z0-9\-]*){0,3})"
    rf"\s*[（(]\s*(?P<zh>[{_HAN}]{{2,12}})\s*[）)]"
)
_ASCII_PART = re.compile(r"^[A-Za-z][A-Za-z0-9 .+/'\-]*$")
# Words that end a term when reading leftwards from a bracket: "…采用了旋转位置编码（…）".
# Conjunctions (与, 和) and short prepositions (对, 在) are left alone: terms contain them
# (强化学习与人类反馈, 人类对齐).
_LEAD_FUNCTION = re.compile(
    r"^.*(?:的|了|是|通过|使用|采用|称为|称之为|叫做|也叫|又称|所谓|基于|一种|一个|例如|比如|如)"
)
_MAX_TERM = 10
# A term neither starts with a preposition, conjunction or verb of a sentence ("LoRA（在结构上
# 和公式上）", "abstractive summarization（和生成式摘要）", "accuracy（像准确率）") nor ends
# with a locative or particle.
_NOT_TERM_START = re.compile(r"^(?:[在和与及或像是的对用以从把被将给让如而并但]|需要|通过|使用|可以|进行)")
_NOT_TERM_END = re.compile(r"[上中下里的时等了着过]$")


def _term_shaped(zh: str) -> bool:
    return not (_NOT_TERM_START.search(zh) or _NOT_TERM_END.search(zh) or is_sentence_piece(zh))


def norm_key(text: str) -> str:
    """The worker's key normalisation: NFKC, lower case, non-alphanumerics → one space."""
    text = unicodedata.normalize("NFKC", text).lower()
    return " ".join(re.sub(r"[^\w]|_", " ", text).split())


def _canonical(title: str) -> str:
    return _BRACKET.sub("", title).strip()


def _bracket_pieces(title: str) -> list[str]:
    """The names a title's brackets give, one per comma: "（Low-Rank Adaptation，LoRA）" → both."""
    return [piece.strip() for inner in re.findall(r"（(.*?)）|\((.*?)\)", title)
            for piece in re.split(r"[，,、;；]", "".join(inner)) if piece.strip()]


def _bracket_parts(title: str) -> list[str]:
    return [piece for piece in _bracket_pieces(title) if _ASCII_PART.match(piece)]


class _Aliases:
    def __init__(self) -> None:
        self.strong: dict[str, set[str]] = defaultdict(set)
        self.weak: dict[str, set[str]] = defaultdict(set)
        # term → its own names (see ``names``): given by a title or the glossary, or glossed in a
        # note's text (kept only where the name glosses no other term).
        self.names: dict[str, set[str]] = defaultdict(set)
        self.glossed: dict[str, set[str]] = defaultdict(set)

    def add(self, key: str, target: str, weak: bool = False, name: str = "") -> None:
        """``key`` points to the term ``target``; ``name`` ("given" or "glossed"): it is the
        term's own name."""
        k = norm_key(key)
        t = target.strip()
        if not k or not t or k == norm_key(t) or len(k) > 60:
            return
        (self.weak if weak else self.strong)[k].add(t)
        if name and not weak:
            (self.names if name == "given" else self.glossed)[norm_key(t)].add(k)

    def names_json(self) -> dict[str, list[str]]:
        names: dict[str, set[str]] = defaultdict(set)
        for t, keys in self.names.items():
            names[t].update(keys)
        for t, keys in self.glossed.items():
            names[t].update(k for k in keys if len(self.strong[k]) == 1)
        return {t: sorted(keys) for t, keys in sorted(names.items()) if keys}

    def as_json(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        strong = {k: sorted(v) for k, v in sorted(self.strong.items())}
        weak = {k: sorted(v - self.strong.get(k, set())) for k, v in sorted(self.weak.items())}
        return strong, {k: v for k, v in weak.items() if v}


def _is_ascii_term(word: str) -> bool:
    return bool(re.search(r"[A-Za-z]", word)) and not _HAN_RUN.search(word)


def taxonomy_aliases(kb: KnowledgeBase, aliases: _Aliases) -> None:
    """Nodes' titles' English names/abbreviations and aliases → the node's term; deeper nodes'
    weak aliases and keywords (words whose presence points to the node) as related terms.

    Only nodes that have text on the site: an alias leads to the section its term heads;
    without one the term only turns up in passing (注意力 → 模型架构 would find
    "同样的模型架构与预训练任务" in a section about something else)."""
    present = {c.node.id for c in kb.contents
               if any(entry_has_content(e) for e in c.all_entries())}
    for node in kb.taxonomy.nodes():
        if node.id not in present:
            continue
        term = _canonical(node.title)
        for part in _bracket_parts(node.title):
            aliases.add(part, term, name="given")
        for alias in node.aliases:
            aliases.add(alias, term)
        # A topic's keywords are as broad as the topic; its aliases name it (人类对齐 → 对齐).
        if node.depth == 0:
            continue
        # Broad words (weak aliases) point here as loosely as keywords do.
        for keyword in (*node.weak_aliases, *node.keywords):
            aliases.add(keyword, term, weak=True)


def glossary_aliases(kb: KnowledgeBase, aliases: _Aliases) -> None:
    """The glossary's abbreviations (``ABBR → 中文（English）``), and its entries' English names,
    abbreviations and aliases."""
    for abbr, meaning in kb.extraction.abbreviations.items():
        term = _canonical(meaning)
        if not _HAN_RUN.search(term):
            continue
        aliases.add(abbr, term, name="given")
        for part in _bracket_parts(meaning):
            aliases.add(part, term, name="given")
    for entry in kb.extraction.glossary:
        if not _HAN_RUN.search(entry.term):
            continue
        term = _canonical(entry.term)
        for value in (entry.english, entry.abbr):
            if value.strip():
                aliases.add(value, term, name="given")
        for value in entry.aliases:
            aliases.add(value, term)


def _trim_term(run: str, known: frozenset[str], segmenter: Segmenter) -> str:
    """The term at the end of a run of Han characters that precedes a bracket.

    "…大部分采用了旋转位置编码（…）" → 旋转位置编码; "区分大语言模型（LLM）" → 大语言模型.
    """
    m = _LEAD_FUNCTION.match(run)
    if m and len(run) - m.end() >= 2:
        run = run[m.end():]
    if len(run) <= 6 or run in known:
        return run
    for start in range(1, len(run) - 2):
        tail = run[start:]
        if tail in known or segmenter.freq(tail) > 0:
            return tail
    return run if len(run) <= _MAX_TERM else ""


def text_aliases(texts: Iterable[str], aliases: _Aliases, known: frozenset[str], segmenter: Segmenter,
                 memo: RenderMemo | None = None) -> None:
    """Definitions in the text: ``中文（English，ABBR）`` and ``ABBR（中文）``."""
    memo = memo if memo is not None else RenderMemo()
    known_words = digest(*sorted(known))
    glossed: dict[str, Counter[str]] = defaultdict(Counter)
    for raw in texts:
        found = memo.answer("aliases", (known_words, raw), lambda raw=raw: _aliases_in(raw, known, segmenter))
        for key, target in found:
            glossed[norm_key(key)][target] += 1
    for key, targets in glossed.items():
        # A word the notes gloss many ways is glossed for the sentence at hand.
        for target in repeated_names(targets):
            aliases.add(key, target, name="glossed")


def _aliases_in(raw: str, known: frozenset[str], segmenter: Segmenter) -> tuple[tuple[str, str], ...]:
    """The (alias, term) pairs one text defines, in the order it defines them."""
    out: list[tuple[str, str]] = []
    text = visible(raw)
    for m in _ZH_THEN_EN.finditer(text):
        term = _trim_term(m.group("zh"), known, segmenter)
        if len(term) < 2 or not _term_shaped(term):
            continue
        for part in re.split(r"[，,、;；]", m.group("en")):
            part = part.strip(" .'-")
            if part and _ASCII_PART.match(part) and len(part) >= 2:
                out.append((part, term))
    for m in _EN_THEN_ZH.finditer(text):
        if _term_shaped(m.group("zh")):
            out.append((m.group("en"), m.group("zh")))
    return tuple(out)


def kb_texts(kb: KnowledgeBase, derived: list[str]) -> list[str]:
    """Every title and block of the topic pages, and the text of the derived pages."""
    texts: list[str] = []
    for page in kb.layout.pages:
        for item in page.items:
            texts.append(item.title)
            texts.extend(block.text for block in item.entry.blocks)
    texts.extend(derived)
    return texts


def jieba_user_dict(kb: KnowledgeBase) -> str:
    """Domain words as single jieba tokens, for the search index and the query side."""
    words: set[str] = set(kb.extraction.terms)
    for node in kb.taxonomy.nodes():
        words.update([node.short_title, *node.aliases, *node.weak_aliases, *node.keywords])
    clean = sorted(w.strip() for w in words if 2 <= len(w.strip()) <= 20 and " " not in w.strip())
    # Frequency high enough that jieba keeps each domain word whole; "n" = noun.
    return "".join(f"{w} 20000 n\n" for w in clean)


def user_dict_words(kb: KnowledgeBase) -> set[str]:
    """The words of the jieba user dictionary the index was segmented with."""
    return {line.split(" ")[0] for line in jieba_user_dict(kb).splitlines() if line.strip()}


def domain_words(dict_words: Iterable[str], aliases: dict[str, list[str]]) -> list[str]:
    words = set(dict_words)
    for targets in aliases.values():
        words.update(targets)
    words.update(k for k in aliases if _HAN_RUN.fullmatch(k.replace(" ", "")))
    return sorted(w for w in (norm_key(w).replace(" ", "") for w in words) if len(w) >= 2 and _HAN_RUN.search(w))


# --------------------------------------------------------------------------- t2s


@lru_cache(maxsize=1)
def _char_table() -> tuple[str, str]:
    """Every character OpenCC simplifies, except simplified characters themselves
    (OpenCC's t2s also maps 么 → 幺: 么 is simplified for 麼, but a variant of 幺 in
    traditional text)."""
    converters = [opencc.OpenCC(name) for name in ("t2s", "tw2s", "hk2s")]
    s2t = opencc.OpenCC("s2t")
    src: list[str] = []
    dst: list[str] = []
    ranges = (range(0x3400, 0x4DC0), range(0x4E00, 0xA000), range(0xF900, 0xFB00))
    chars = [chr(cp) for r in ranges for cp in r]
    traditional = convert_each(s2t, chars)
    outputs = [convert_each(conv, chars) for conv in converters]
    for i, ch in enumerate(chars):
        if traditional[i] != ch:
            continue
        for converted in outputs:
            out = converted[i]
            if out != ch and len(out) == 1:
                src.append(ch)
                dst.append(out)
                break
    return "".join(src), "".join(dst)


def convert_each(converter: opencc.OpenCC, texts: list[str]) -> list[str]:
    """``[converter.convert(t) for t in texts]`` in one call: tens of thousands of calls into
    OpenCC cost more than the conversion. A line break ends every phrase OpenCC knows, so texts
    one to a line convert as they would alone; texts with a line break are converted alone."""
    if any("\n" in t for t in texts):
        return [converter.convert(t) for t in texts]
    out = converter.convert("\n".join(texts)).split("\n")
    return out if len(out) == len(texts) else [converter.convert(t) for t in texts]


def t2s_tables(vocabulary: Iterable[str], corpus_chars: set[str] = frozenset()) -> dict[str, object]:
    """Character table and phrases; characters the knowledge base itself uses (so they
    are simplified Chinese as written, like 著 in 显著) map to themselves."""
    src_all, dst_all = _char_table()
    pairs = [(a, b) for a, b in zip(src_all, dst_all, strict=True) if a not in corpus_chars]
    src = "".join(a for a, _ in pairs)
    dst = "".join(b for _, b in pairs)
    table = str.maketrans(src, dst)
    words = [w for w in sorted(set(vocabulary)) if len(w) >= 2 and _HAN_RUN.fullmatch(w)]
    phrases: dict[str, str] = {}
    for word, tw in zip(words, convert_each(opencc.OpenCC("s2twp"), words), strict=True):
        # Only phrases written with traditional characters: "程序" (s2twp's form of
        # 进程) is also simplified Chinese and must not be rewritten.
        if tw != word and tw.translate(table) != tw and tw.translate(table) != word:
            phrases.setdefault(tw, word)
    return {"from": src, "to": dst, "phrases": dict(sorted(phrases.items()))}


def _corpus_chars(texts: Iterable[str]) -> set[str]:
    chars: set[str] = set()
    for text in texts:
        chars.update(text)
    return {c for c in chars if _HAN_RUN.match(c)}


def _vocabulary(texts: Iterable[str], words: Iterable[str], segmenter: Segmenter, memo: RenderMemo) -> set[str]:
    vocab = set(words)
    for text in texts:
        vocab.update(memo.answer("vocabulary", text, lambda text=text: _words_in(text, segmenter)))
    return vocab


def _words_in(text: str, segmenter: Segmenter) -> tuple[str, ...]:
    """The words of two or more characters of a text's Chinese runs (the segmenter's are fixed
    by the cache's version: the taxonomy and the vocabulary hints)."""
    return tuple(tok for run in _HAN_RUN.findall(text) for tok in segmenter.cut(run) if len(tok) >= 2)


# --------------------------------------------------------------------------- weights


def page_weights(kb: KnowledgeBase, derived_pages: list[str]) -> dict[str, float]:
    def stem(page: str) -> str:
        return page[:-3] if page.endswith(".md") else page

    weights = {"index": HOME_WEIGHT, stem(SOURCES_PAGE): META_WEIGHT, stem(COVERAGE_PAGE): META_WEIGHT,
               stem(TAGS_PAGE): META_WEIGHT}
    for page in derived_pages:
        weights[stem(page)] = DERIVED_WEIGHT
    catalog = kb.layout.node_page(CATALOG_TOPIC)
    if catalog:
        weights[stem(catalog) + "#"] = DERIVED_WEIGHT
    return dict(sorted(weights.items()))


def catalog_models(kb: KnowledgeBase) -> dict[str, object]:
    """The catalog for the worker: its page (path without ".md") and each row as [anchor,
    name, written forms as keys, the row's values as one line, the model's own section as
    [page without ".md", anchor] or null, {column: [page, anchor] of the sentence its first
    value was read from}]. A query that names a model and asks only for what the catalog says
    gets one result first, with the row's values: the sentence's section for the column asked
    about, else the model's section, else its row (search-worker.js: modelCard)."""
    catalog = kb.extraction.catalog
    rows = []
    for row in catalog.rows:
        forms = sorted({norm_key(n) for n in (row.name, *row.aliases, *row.surfaces)} - {""})
        values = [f"{title}：{row.value(column)}" for column, title in CATALOG_COLUMNS
                  if column != "summary" and (row.cells[column].override or row.cells[column].facts)]
        own = [row.section.page.removesuffix(".md"), row.section.anchor] if row.section else None
        read = {column: [f.evidence.sentence.place.page.removesuffix(".md"), f.evidence.sentence.place.anchor]
                for column, _title in CATALOG_COLUMNS if (f := next(iter(row.cells[column].facts), None))}
        rows.append([row.anchor, row.name, forms, "；".join(values), own, read])
    return {"page": catalog.page.removesuffix(".md"), "rows": rows}


def section_contexts(kb: KnowledgeBase) -> dict[str, dict[str, str]]:
    """``contexts`` above: a section placed away from the headings its note wrote it under
    (a note's subject, a model's name) keeps them for search, " › " between them: the note's
    first heading and the one right over the section, unless they name what a heading over
    it on the page names ("低秩适配（LoRA）" over a section of the page "LoRA（Low-Rank
    Adaptation）")."""
    out: dict[str, dict[str, str]] = {}
    for page in kb.layout.pages:
        above: list[tuple[int, frozenset[str]]] = [(1, _title_names(page.title))]  # the headings over an item
        for item in page.items:
            while above and above[-1][0] >= item.level:
                above.pop()
            own = _title_names(item.title)
            shown = own.union(*(names for _, names in above))
            above.append((item.level, own))
            if item.level < 2:
                continue
            titles: dict[frozenset[str], str] = {}
            for p in item.entry.placements:
                headed = [a.heading.title for a in p.unit.path if a.heading is not None]
                for title in dict.fromkeys(visible(t).strip() for t in headed[:1] + headed[-1:]):
                    names = _title_names(title)
                    if names and not names & shown:
                        titles.setdefault(names, title)
            if titles:
                out.setdefault(page.path[:-3], {})[item.anchor] = " › ".join(titles.values())
    return out


def _title_names(title: str) -> frozenset[str]:
    """What a heading names: its words outside brackets and each bracketed name, as keys."""
    return frozenset(key for name in (_canonical(title), *_bracket_pieces(title)) if (key := norm_key(name)))


def page_descriptions(kb: KnowledgeBase) -> dict[str, str]:
    return {page.path[:-3]: page.description for page in kb.layout.pages if page.description}


# --------------------------------------------------------------------------- entry point


def search_data(kb: KnowledgeBase, derived_pages: list[str], files: dict[str, str | bytes],
                memo: RenderMemo | None = None) -> dict[str, object]:
    memo = memo if memo is not None else RenderMemo()
    aliases = _Aliases()
    taxonomy_aliases(kb, aliases)
    glossary_aliases(kb, aliases)
    texts = kb_texts(kb, [str(files[p]) for p in derived_pages])
    dict_words = user_dict_words(kb)
    known = frozenset(domain_words(dict_words, aliases.as_json()[0]))
    text_aliases(texts, aliases, known, kb.segmenter, memo)
    strong, weak = aliases.as_json()
    words = domain_words(dict_words, strong)
    return {
        "version": 1,
        "aliases": strong,
        "names": aliases.names_json(),
        "related": weak,
        "words": words,
        "t2s": t2s_tables(_vocabulary(texts, words, kb.segmenter, memo), _corpus_chars(texts)),
        "weights": page_weights(kb, derived_pages),
        "descriptions": dict(sorted(page_descriptions(kb).items())),
        "contexts": section_contexts(kb),
        "catalog": catalog_models(kb),
    }


def search_assets(kb: KnowledgeBase, derived_pages: list[str], files: dict[str, str | bytes],
                  memo: RenderMemo | None = None) -> dict[str, str]:
    """Generated files for the search worker, as docs-relative path → content.

    ``derived_pages``: the pages made from extraction (glossary, timeline), already in ``files``;
    ``memo``: answers per text from an earlier build (the build cache)."""
    payload = json.dumps(search_data(kb, derived_pages, files, memo), ensure_ascii=False, sort_keys=True,
                         separators=(",", ":"))
    script = (
        "/* Generated by llmkb (src/llmkb/render/search_assets.py); do not edit.\n"
        "   Loaded by assets/javascripts/search-worker.js with importScripts(). */\n"
        f"self.{DATA_GLOBAL} = {payload};\n"
    )
    return {SEARCH_DATA: script}
