"""Shapes of names, shared by extract (which names are models) and render (linking them).

A Latin model name (GPT-4, Qwen-7B-Chat, LLaMA 13B), its identity key, and the model a
sized or role variant belongs to.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .text import VERSIONED_NAME


def paren_before(text: str, pos: int) -> int | None:
    """Index of the unclosed "（" or "(" that encloses ``pos``, if any."""
    depth = 0
    for i in range(pos - 1, -1, -1):
        ch = text[i]
        if ch in "）)":
            depth += 1
        elif ch in "（(":
            if depth == 0:
                return i
            depth -= 1
    return None


# A Latin model name: a word with a capital letter, then hyphenated parts (-3, -3.5, -E,
# -PaLM, -7B, -Chat, -192K), then space-separated version numbers, sizes or edition words
# (GPT 3.0, Claude 2, LLaMA 13B, GPT-4 Turbo).
# The tiers a line of models is sold in (Claude 3 Opus, Claude 3.5 Sonnet, Gemini 1.5 Flash) are editions too.
EDITION_WORDS = ("Turbo", "Instant", "Pro", "Ultra", "Plus", "Max", "Mini", "Lite", "Nano", "Opus", "Sonnet", "Haiku",
                 "Flash")
# Letters with diacritics belong to the word they are in (Grōk, not Gr).
_ACCENTED = "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_WORD = rf"[A-Za-z][A-Za-z0-9{_ACCENTED}]*(?:\.\d+)*"
# A mixture of experts is sized by its experts (Mixtral 8x7B, Mixtral-8x22B); a revision may be a Greek
# letter (Zephyr-7B-β).
_EXPERTS = r"\d+x\d+(?:\.\d+)?[Bb]"
_HYPHEN_PART = rf"-(?:{_EXPERTS}|[A-Za-z][A-Za-z0-9]*|\d+(?:\.\d+)*[A-Za-z]*|[\u03b1-\u03c9])"
# "Command R+": a capital letter with a plus after a name is a version of it, not a word of prose.
# After a version ("GPT-4o mini", "o1 pro") an edition may be written in lower case.
_SPACE_PART = (rf" (?:{_EXPERTS}|\d+(?:\.\d+)*[Bb]?|V\d+(?:\.\d+)*|[A-Z]\+|{'|'.join(EDITION_WORDS)}"
               rf"|(?:(?<=\d )|(?<=\d[a-z] ))(?:{'|'.join(w.lower() for w in EDITION_WORDS)}))(?![A-Za-z0-9_%.])")
LATIN_NAME = re.compile(
    rf"(?<![A-Za-z0-9_.\-{_ACCENTED}]){_WORD}(?:{_HYPHEN_PART})*(?:{_SPACE_PART}(?:{_HYPHEN_PART})*)*"
    rf"(?![A-Za-z0-9_{_ACCENTED}])"
)
_SIZE_SUFFIX = re.compile(r"[- ](\d+(?:\.\d+)?[Bb])$")
# A role (-Chat) or a lowercase revision (Claude-v1) is a variant; an uppercase version
# (DeepSeek-V2, DeepSeek V3) names a model of its own.
# A size word (BERT-large, T5-XXL) is a variant too.
_ROLE_SUFFIX = re.compile(r"-(?:(?i:Base|Chat|Instruct|SFT|Large|Small|Tiny|XL|XXL)|v\d+|[\u03b1-\u03c9])$"
                          r"| (?:Base|Chat|Instruct)$")
# The experts of a mixture (Mixtral 8x7B) make a variant, and say nothing of its parameter count.
_EXPERTS_SUFFIX = re.compile(rf"[- ]{_EXPERTS}$")
_INNER_SIZE = re.compile(r"(?<=[- ])(\d+(?:\.\d+)?[Bb])(?=[- ]|$)")
_CTX_SUFFIX = re.compile(r"-(\d+)[Kk]$")


def looks_like_name(token: str) -> bool:
    """A Latin token that could name a model: two or more characters with a capital letter
    (GPT-4, iFlyCode), not a version mark (V3.0)."""
    return len(token) >= 2 and bool(re.search(r"[A-Z]", token)) and \
        not re.fullmatch(r"[Vv]\d+(?:\.\d+)*", token)


# Extract and render ask for the key and the parts of the same few thousand names tens of
# thousands of times: pure functions of the name, worked out once per process.
@lru_cache(maxsize=65_536)
def name_key(name: str) -> str:
    """Identity of a name: case, spaces, hyphens and diacritics ignored, "3.0" ≡ "3" (GPT 3.0 ≡
    GPT-3, Grōk ≡ Grok)."""
    key = re.sub(r"[\s\-_]+", "", name.strip().lower())
    if not key.isascii():
        key = "".join(c for c in unicodedata.normalize("NFD", key) if not unicodedata.combining(c))
    return re.sub(r"(\d+)\.0(?!\d)", r"\1", key)


@dataclass(frozen=True)
class NameParts:
    base: str  # the model a variant belongs to: Qwen-7B-Chat → Qwen, LLaMA 13B → LLaMA
    sizes: tuple[str, ...]  # sizes written into the name (7B)
    context: str = ""  # a context length written into the name (Baichuan2-192K → 192K)


@lru_cache(maxsize=65_536)
def split_name(name: str) -> NameParts:
    """Size and role suffixes make a variant of the same model; an edition word, a version
    number or a context suffix (-192K) makes a different model."""
    base = name.strip()
    sizes: list[str] = [m.group(1) for m in _INNER_SIZE.finditer(base)]
    while True:
        m = _SIZE_SUFFIX.search(base) or _ROLE_SUFFIX.search(base) or _EXPERTS_SUFFIX.search(base)
        if not m or m.start() == 0 or not re.search(r"[A-Za-z]", base[: m.start()]):
            break
        base = base[: m.start()].rstrip()
    ctx = _CTX_SUFFIX.search(base)
    return NameParts(base, tuple(dict.fromkeys(sizes)), ctx.group(1) + "K" if ctx else "")


# A title that is a versioned name and nothing more than what a report on it is called, or
# a paper title whose subject before the colon is one ("Llama 2: Open Foundation and …").
_MODEL_TITLE = re.compile(
    rf"^(?:the\s+)?(?P<name>{VERSIONED_NAME.pattern})\s*"
    r"(?::\s*[A-Za-z][^\u4e00-\u9fff]*|(?:herd\s+of\s+models|models?|technical\s+report|report|技术报告|报告|论文|解读"
    r"|详解|精读|笔记|模型|系列))?$",
    re.I)
# A tag a title opens with ("【论文精读】", "[Paper]"): what kind of note it is.
_TAG = re.compile(r"^(?:【[^】]{1,12}】|\[[^\]]{1,12}\])\s*")
# "Task 7：LLM", "Phase 0", "Lecture 6", "Step1": a course's numbering, not a versioned name.
_NUMBERING_WORD = re.compile(r"(?:part|chapter|section|step|lecture|lesson|unit|week|day|session|task|phase|stage"
                             r"|level|round|module|lab|homework|exercise|version|appendix|figure|table|fig)(?![a-z])",
                             re.I)


def titled_model(title: str) -> str:
    """The model a note's title is the name of ("The Llama 3 Herd of Models" → Llama 3), or ""."""
    m = _MODEL_TITLE.match(_TAG.sub("", " ".join(title.split())))
    if m is None or _NUMBERING_WORD.match(m.group("name")):
        return ""
    return re.split(r"[\u4e00-\u9fff]", m.group("name"), maxsplit=1)[0].strip()


# A report's title in bold at the head of a list item: "**Qwen2.5 Technical Report**. [[paper](…)]".
_REPORT_ITEM = re.compile(r"^\W{0,6}\*\*(?P<title>[^*]{3,160})\*\*")


def reported_model(item: str) -> str:
    """The model a list item is a report on, by its bold title ("**Qwen2.5 Technical Report**.
    [[paper](…)]" → Qwen2.5; ``titled_model``), or ""."""
    m = _REPORT_ITEM.match(item)
    return titled_model(m.group("title").strip().rstrip(".。")) if m else ""


# Small words an abbreviation leaves out ("Bidirectional Encoder Representations from Transformers").
_SMALL_WORDS = frozenset(("of", "for", "from", "the", "and", "with", "to", "in", "on", "by", "a", "an"))


def acronym(name: str) -> str:
    """An all-capital abbreviation (LLM, RLHF; a plural LLMs is LLM), else ""."""
    m = re.fullmatch(r"([A-Z][A-Z0-9]{1,7})s?", name)
    return m.group(1) if m else ""


def capitals(word: str) -> str:
    """The capitals of an abbreviation written in mixed case (LoRA → LRA, ZeRO → ZRO), else ""."""
    if re.fullmatch(r"[A-Z][A-Za-z]{1,7}", word) and sum(ch.isupper() for ch in word) >= 2:
        return "".join(ch for ch in word if ch.isupper())
    return ""


def spells_out(english: str, word: str) -> bool:
    """Whether ``word`` is an abbreviation made of the initials of ``english``'s words (MMLU ←
    Massive Multitask Language Understanding; by its capitals, LoRA ← Low-Rank Adaptation), small
    words left out or not."""
    abbr = acronym(word) or capitals(word)
    words = [w for w in re.split(r"[\s\-+&]+", english) if w]
    if abbr and len(words) >= 2:
        initials = "".join(w[0] for w in words).upper()
        content = "".join(w[0] for w in words if w.lower() not in _SMALL_WORDS).upper()
        if abbr in (initials, content):
            return True
    # "QLoRA（Quantized LoRA）", "TF32（TensorFloat32）": a word that is an abbreviation itself or
    # a number stands whole, a word in camel case gives the initials of its parts.
    def whole(part: str) -> bool:
        return bool(acronym(part) or capitals(part) or part.isdigit())

    parts = [p for w in words for p in ([w] if whole(w) else re.findall(r"[A-Z][a-z]+|[a-z]+|\d+", w))]
    spelt = "".join(p if whole(p) else p[0].upper() for p in parts)
    return len(parts) >= 2 and re.fullmatch(r"[A-Za-z][A-Za-z0-9]{1,9}", word) is not None and spelt == word
