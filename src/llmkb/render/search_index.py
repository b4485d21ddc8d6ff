"""The search index, split so that a query fetches only what it needs (issue 16).

Material's search plugin writes ``search/search_index.json``: every section's title and
text, jieba-segmented — the whole site, which the theme downloads on every page load
and hands to the worker before the first query. This module (run by the llmkb plugin
after the search plugin and before the offline plugin, which copies the file into
``search/search_index.js`` for ``file://``) replaces it with a stub that names a
*meta* file, and writes the index as scripts the worker loads with ``importScripts``
(works from ``file://`` too) when a query asks for them:

``search/llmkb/meta.<hash>.js``
    per section: location, title, tags, search boost, text chunk, "no text of its
    own", the section it is under (by its page's heading levels); the words of the index
    (for segmenting queries and fixing typos: Han tokens, heading words, Latin words); the
    average text length (BM25); file names below.
``search/llmkb/g/<k>.<hash>.js``
    which sections contain a character or a pair of characters (of the worker's
    normalised text), for the grams whose ``gram_file`` is k: the worker's prefilter, a
    section can contain a word only if it contains all its pairs.
``search/llmkb/t/<n>.<hash>.js``
    the texts of consecutive sections, about ``CHUNK_BYTES`` per file, HTML tags removed
    (the worker only ever reads text without them).

A query loads the gram files of its words, then the text chunks of the sections that
contain all of a word's pairs, rarest words and heading matches first, up to
a per-query budget (see ``TEXT_BUDGET`` in the worker). File names carry a hash of their
content, so a browser cache never mixes two builds. Deterministic: the same index gives
the same files.
"""

from __future__ import annotations

import hashlib
import html
import json
import operator
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

INDEX = "search/search_index.json"
FOLDER = "search/llmkb"
SHARD_GLOBAL = "llmkbShards"
CHUNK_BYTES = 6_000
GRAM_FILES = 1024

# The worker's text model (search-worker.js: stripTags, decodeEntities, normalise), ported
# exactly: which sections hold a character pair is decided here and read there.
_TAG = re.compile(r"<[^>]*>")
_ENTITY = re.compile(r"&(#x[0-9a-f]+|#[0-9]+|[a-z]+);", re.IGNORECASE)
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'", "nbsp": " ", "#39": "'"}
SOFT_SEPARATORS = frozenset(" \t\n\r\f\v\u00a0\u200b\u200c\u200d\u2060\ufeff\u3000-_./+·'’")
_ZERO_WIDTH_CHARS = frozenset("\u200b\u200c\u200d\ufeff")
_ASCII_SPACE = frozenset(" \t\n\r\x0b\x0c")
SENTINEL = "\u0001"  # hard punctuation in normalised text
_ALL_HAN = re.compile("^[\u4e00-\u9fff]*$")
_HAN_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f\u200b]+")
_LATIN_WORD = re.compile(r"[a-z][a-z0-9]*(?:[-.][a-z0-9]+)*")
_ZERO_WIDTH = re.compile("[\u200b-\u200d\ufeff]")


@dataclass(frozen=True)
class ShardSummary:
    """What ``shard_search_index`` wrote: for the build log and the benchmark."""

    docs: int
    meta_bytes: int
    gram_files: int
    gram_bytes: int
    chunk_files: int
    chunk_bytes: int


def strip_tags(markup: str) -> str:
    """The worker's ``stripTags`` without its entity decoding: tags become one space."""
    return _TAG.sub(" ", markup or "")


def decode_entities(text: str) -> str:
    """The worker's ``decodeEntities``: numeric references and a few names."""

    def one(match: re.Match[str]) -> str:
        name = match[1]
        if name[0] == "#":
            try:
                return chr(int(name[2:], 16) if name[1] in "xX" else int(name[1:]))
            except (ValueError, OverflowError):
                return match[0]
        return _ENTITIES.get(name.lower(), match[0])

    return _ENTITY.sub(one, text)


def plain_text(markup: str) -> str:
    return decode_entities(strip_tags(markup))


def _fold(ch: str) -> str:
    """What the worker's normalise makes of one character: "" (a soft separator, white space,
    a zero-width character), SENTINEL (punctuation), else the character folded."""
    code = ord(ch)
    if code < 0x80:
        if ch in SOFT_SEPARATORS or ch in _ASCII_SPACE:
            return ""
        return ch.lower() if ch.isalnum() else SENTINEL
    if 0x4E00 <= code <= 0x9FFF:
        return ch
    if ch in _ZERO_WIDTH_CHARS:
        return ""
    return "".join(c if c.isalnum() else SENTINEL for c in unicodedata.normalize("NFKC", ch).lower()
                   if not (c in SOFT_SEPARATORS or c.isspace()))


# _fold of every character met so far, by code point (a str.translate table), and those characters.
_FOLDED: dict[int, str] = {}
_SEEN: set[str] = set()
_MARKS = re.compile(f"{SENTINEL}{{2,}}")


def normalise(plain: str) -> str:
    """The worker's ``normalise(plain).s``: folded (NFKC, lower case), soft separators
    and zero-width characters dropped, runs of other punctuation one SENTINEL (none first)."""
    new = set(plain) - _SEEN
    if new:
        _FOLDED.update((ord(ch), _fold(ch)) for ch in new)
        _SEEN.update(new)
    return _MARKS.sub(SENTINEL, plain.translate(_FOLDED)).lstrip(SENTINEL)


def squash(text: str) -> str:
    """The worker's ``squash``: a query word's normalised form, without punctuation."""
    return text if _ALL_HAN.match(text) else normalise(text).replace(SENTINEL, "")


_SPACE_RUN = re.compile("[ \t\n\r\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
# U+200B next to a space or punctuation marks no boundary the space or mark does not.
_MARK = ("\\s!-%'-/:-@\\[-`{-~\u3001-\u3003\u3008-\u3011\u3014-\u301f"
         "\uff01-\uff0f\uff1a-\uff20\u2018-\u201f")  # white space and punctuation, not "&"
_NEEDLESS_ZW = re.compile(f"\u200b+(?=[{_MARK}])|(?<=[{_MARK}])\u200b+")
PACKED_ZW = "\x7f"


def pack(text: str, collapse_spaces: bool = True) -> str:
    """Text as the split index stores it, a third smaller and read the same by the worker:
    runs of white space one space (the worker collapses them), U+200B only where it marks
    a word boundary, written as the one-byte U+007F (the worker's ``unpack``)."""
    text = text.replace(PACKED_ZW, "")
    if collapse_spaces:
        text = _SPACE_RUN.sub(" ", text)
    return _NEEDLESS_ZW.sub("", text).replace("\u200b", PACKED_ZW)


_ASCII_RUN = re.compile("[\x02-\x7f]{3,}")  # ASCII without SENTINEL (\x01): where triples are


def grams(s: str) -> set[str]:
    """Characters, character pairs and triples of ASCII characters of a normalised text
    (pairs of Latin letters are in most English texts; triples are not). Nothing across
    punctuation: a word the worker looks for never contains it."""
    out: set[str] = set()
    for part in s.split(SENTINEL):
        out.update(part)
        out.update(map(operator.add, part, part[1:]))
    for run in _ASCII_RUN.findall(s):
        out.update(map("".join, zip(run, run[1:], run[2:], strict=False)))
    return out


# An aside in brackets inside a Chinese word ("训练奖励（偏好）模型"): the worker also finds the
# word without it (search-worker.js: withoutAsides, ASIDE_CHARS), so its pairs are indexed too.
_ASIDE = re.compile(r"(?<=[\u4e00-\u9fff])[（(][^（）()\s\u3000-\u303f\uff01-\uff0f\uff1a-\uff20!-/:-@\[-`{-~]{1,8}"
                    r"[)）](?=[\u4e00-\u9fff])")


def without_asides(plain: str) -> str:
    """``plain`` without such asides (and without U+200B, which jieba's tokens put around them
    and the worker drops)."""
    return _asides_out(plain)[0]


def _asides_out(plain: str) -> tuple[str, int]:
    return _ASIDE.subn("", _ZERO_WIDTH.sub("", plain))


def gram_file(gram: str) -> int:
    """Which file holds a gram's sections: the worker's ``gramFile``."""
    h = 0
    for ch in gram:
        h = (h * 31 + ord(ch)) & 0xFFFFFFFF
    return h % GRAM_FILES


def index_words(docs: list[dict]) -> dict[str, list[str]]:
    """The words the worker segments queries with and corrects typos to, as it would
    collect them from the whole index: Han tokens (jieba's, between U+200B), the Han
    tokens of headings, and Latin words."""
    han: set[str] = set()
    heading: set[str] = set()
    latin: set[str] = set()
    for doc in docs:
        for field, is_title in ((doc.get("title", ""), True), (doc.get("text", ""), False)):
            plain = plain_text(field)
            for run in _HAN_RUN.findall(plain):
                for token in run.split("\u200b"):
                    if 2 <= len(token) <= 16:
                        han.add(token)
                        if is_title and len(token) >= 3:
                            heading.add(token)
            latin.update(w for w in _LATIN_WORD.findall(_ZERO_WIDTH.sub("", plain).lower()) if len(w) >= 3)
    return {"han": sorted(han), "heading": sorted(heading), "latin": sorted(latin)}


def page_description(descriptions: dict[str, str], path: str) -> str:
    """The worker's ``pageDescription``: a topic page's description by its path stem."""
    stem = re.sub(r"/$", "", re.sub(r"\.html$", "", path))
    for key in (stem or "index", stem + "/index", re.sub(r"/index$", "", stem)):
        if isinstance(descriptions.get(key), str):
            return descriptions[key]
    return ""


def _script(key: str, value: object) -> str:
    # U+2028/U+2029 end a line in older JavaScript, even inside a string: escaped.
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("\u2028", "\\u2028")
    body = body.replace("\u2029", "\\u2029")
    return f'(self.{SHARD_GLOBAL}=self.{SHARD_GLOBAL}||{{}})[{json.dumps(key)}]={body};\n'


def _write(folder: Path, stem: str, text: str) -> tuple[str, int]:
    """Write ``<stem>.<hash>.js`` under ``folder``; its name and size."""
    data = text.encode("utf-8")
    name = f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}.js"
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return name, len(data)


def _postings(ids: list[int]) -> str:
    """Ascending section numbers as base-36 gaps: "0,3,1a" is 0, 3, 49."""
    out, last = [], 0
    for i in ids:
        out.append(_base36(i - last))
        last = i
    return ",".join(out)


_BASE36_SMALL = []  # filled below: most gaps between section numbers are small


def _base36(n: int) -> str:
    if n < len(_BASE36_SMALL):
        return _BASE36_SMALL[n]
    return _base36_slow(n)


def _base36_slow(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    s = ""
    while True:
        n, r = divmod(n, 36)
        s = digits[r] + s
        if not n:
            return s


_BASE36_SMALL.extend(_base36_slow(i) for i in range(4096))


def chunk_ranges(sizes: list[int], limit: int = CHUNK_BYTES) -> list[tuple[int, int]]:
    """Consecutive sections in files of about ``limit`` bytes: [start, end) pairs."""
    ranges, start, total = [], 0, 0
    for i, size in enumerate(sizes):
        if i > start and total + size > limit:
            ranges.append((start, i))
            start, total = i, 0
        total += size
    if sizes:
        ranges.append((start, len(sizes)))
    return ranges


def read_search_data(site_dir: Path, rel: str) -> dict:
    """The generated worker data (``self.llmkbSearchData = {…};``), {} when missing."""
    try:
        script = (site_dir / rel).read_text(encoding="utf-8")
        return json.loads(script[script.index("{", script.index("=")):].strip().rstrip(";"))
    except (OSError, ValueError):
        return {}


def shard_search_index(site_dir: Path, search_data: dict) -> ShardSummary | None:
    """Split ``site_dir/search/search_index.json`` (see the module docstring); None when
    there is no index or it is already split."""
    index_path = site_dir / INDEX
    try:
        index = json.loads(index_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    config = dict(index.get("config") or {})
    docs = index.get("docs") or []
    if "llmkb" in config:
        return None
    folder = site_dir / FOLDER
    descriptions = search_data.get("descriptions") or {}

    texts = [strip_tags(doc.get("text", "")) for doc in docs]
    parents = section_parents(site_dir, [str(doc.get("location", "")) for doc in docs])
    seen_paths: set[str] = set()
    by_gram: defaultdict[str, list[int]] = defaultdict(list)
    entries, total_length, last_full = [], 0, None
    for i, doc in enumerate(docs):
        location = str(doc.get("location", ""))
        path = location.split("#")[0]
        is_page = path not in seen_paths
        seen_paths.add(path)
        text = normalise(decode_entities(texts[i]))
        # A section of the page written last: only its "#…" ("a"; the worker adds the page).
        entry: dict[str, object] = {}
        if not is_page and path == last_full and location.startswith(path + "#"):
            entry["a"] = location[len(path):]
        else:
            entry["l"], last_full = location, path
        entry["t"] = pack(doc.get("title", ""), collapse_spaces=False)
        if not text.replace(SENTINEL, ""):
            # a page whose introduction, or a section whose heading, has no text of the notes
            # (a heading over its subsections, "贪婪解码（Greedy Decoding）"): it answers through them
            entry["e"] = 1
        # The worker reads a topic page's description as part of its introduction
        # (Engine.prototype.attachText), where the introduction does not already say it.
        description = page_description(descriptions, path) if is_page else ""
        if description and squash(description) not in text:
            text = normalise(plain_text(html.escape(description) + "\n" + texts[i]))
        total_length += len(text.encode("utf-16-le")) // 2  # the worker counts UTF-16 units
        title = plain_text(doc.get("title", ""))
        found = grams(normalise(title)) | grams(text)
        for plain in (title, texts[i]):
            bare, asides = _asides_out(plain)
            if asides:
                found |= grams(normalise(bare))
        for gram in found:
            by_gram[gram].append(i)
        if isinstance(doc.get("boost"), (int, float)):
            entry["b"] = doc["boost"]
        if doc.get("tags"):
            entry["g"] = doc["tags"]
        if i in parents:
            entry["u"] = parents[i]
        entries.append(entry)

    chunks, chunk_bytes = [], 0
    for n, (start, end) in enumerate(chunk_ranges([len(t.encode("utf-8")) for t in texts], CHUNK_BYTES)):
        name, size = _write(folder / "t", str(n), _script(f"t{n}", [pack(t) for t in texts[start:end]]))
        chunks.append([f"t/{name}", start, size])
        chunk_bytes += size
        for i in range(start, end):
            entries[i]["c"] = n

    files: list[dict[str, str]] = [{} for _ in range(GRAM_FILES)]
    for gram in sorted(by_gram):
        files[gram_file(gram)][gram] = _postings(by_gram[gram])
    gram_files, gram_bytes = [], 0
    for k, part in enumerate(files):
        name, size = _write(folder / "g", str(k), _script(f"g{k}", part))
        gram_files.append(f"g/{name}")
        gram_bytes += size

    words = index_words(docs)
    latin_name, _ = _write(folder, "latin", _script("latin", words.pop("latin")))
    meta = {
        "docs": entries,
        "words": words,
        "latinFile": latin_name,
        "avgLength": total_length / len(docs) if docs else 1,
        "chunks": chunks,
        "gramFiles": gram_files,
    }
    meta_name, meta_bytes = _write(folder, "meta", _script("meta", meta))
    # "bytes": what the theme would have downloaded (for the build log and the benchmark).
    config["llmkb"] = {"folder": FOLDER + "/", "meta": meta_name, "docs": len(docs), "bytes": index_path.stat().st_size}
    index_path.write_text(json.dumps({"config": config, "docs": []}, ensure_ascii=False), encoding="utf-8")
    return ShardSummary(len(docs), meta_bytes, len(gram_files), gram_bytes, len(chunks), chunk_bytes)


_HEADING = re.compile(r"<h([1-6])[^>]*?\bid=\"([^\"]+)\"")


def section_parents(site_dir: Path, locations: list[str]) -> dict[int, int]:
    """Index of each section → index of the section it is under on its page ("vLLM › 缺点"),
    by the levels of the page's headings in the built HTML; a section right under the page
    has none."""
    levels_of: dict[str, dict[str, int]] = {}
    out: dict[int, int] = {}
    stack: list[tuple[int, int]] = []  # (level, index) of the open sections of the current page
    page = None
    for i, location in enumerate(locations):
        path, _, anchor = location.partition("#")
        if path != page:
            page, stack = path, []
            continue  # the page itself
        if path not in levels_of:
            levels_of[path] = _heading_levels(site_dir, path)
        level = levels_of[path].get(html.unescape(anchor), 2)
        while stack and stack[-1][0] >= level:
            stack.pop()
        if stack:
            out[i] = stack[-1][1]
        stack.append((level, i))
    return out


def _heading_levels(site_dir: Path, path: str) -> dict[str, int]:
    file = site_dir / (path + "index.html" if path == "" or path.endswith("/") else path)
    try:
        markup = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    return {html.unescape(anchor): int(level) for level, anchor in _HEADING.findall(markup)}


def read_search_index(site_dir: Path) -> dict:
    """The theme's search index of a built site, also when it is split: ``{config, docs}``
    with every section's location, title and text (texts without their HTML tags).
    For tests and benchmarks that read what search knows."""
    index = json.loads((site_dir / INDEX).read_text(encoding="utf-8"))
    split = (index.get("config") or {}).get("llmkb")
    if not split:
        return index
    folder = site_dir / split["folder"]
    meta = read_script(folder / split["meta"])
    texts: list[str] = []
    for name, _first, _size in meta["chunks"]:
        texts += read_script(folder / name)
    docs, page = [], ""
    for entry, text in zip(meta["docs"], texts, strict=True):
        if "a" in entry:
            location = page + entry["a"]
        else:
            location = entry["l"]
            page = location.split("#")[0]
        doc = {"location": location, "title": _unpack(entry["t"]), "text": _unpack(text)}
        if "g" in entry:
            doc["tags"] = entry["g"]
        if "b" in entry:
            doc["boost"] = entry["b"]
        docs.append(doc)
    return {"config": index["config"], "docs": docs}


def read_script(path: Path) -> object:
    """The value a file of the split index assigns (``(self.…)["key"]=VALUE;``)."""
    script = path.read_text(encoding="utf-8")
    return json.loads(script[script.index("]=") + 2:].rstrip().rstrip(";"))


def _unpack(text: str) -> str:
    return text.replace(PACKED_ZW, "\u200b")
