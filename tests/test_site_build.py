"""The built site: strict build, no network loads, no broken links, segmented search index."""

from __future__ import annotations

import re
import statistics
from pathlib import Path

import lxml.html
import pytest

from llmkb.render.search_index import read_search_index
from site_helpers import BuiltSite, built_site, is_external, resolve_internal


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return built_site(tmp_path_factory)


def rel(site: BuiltSite, path: Path) -> str:
    return path.relative_to(site.root).as_posix()


def test_strict_build_has_no_warnings(site: BuiltSite) -> None:
    assert site.warnings == []
    assert (site.root / "index.html").is_file()
    assert (site.root / "404.html").is_file()


# --------------------------------------------------------------------------- offline

# <link rel=…> values that make the browser fetch something.
FETCHING_RELS = {
    "stylesheet", "icon", "shortcut", "apple-touch-icon", "apple-touch-icon-precomposed",
    "mask-icon", "manifest", "preload", "modulepreload", "prefetch", "preconnect",
    "dns-prefetch", "prerender",
}  # fmt: skip
# (tag, attribute) pairs whose URL the browser loads on its own.
FETCHING_ATTRS = [
    ("script", "src"), ("img", "src"), ("img", "srcset"), ("source", "src"),
    ("source", "srcset"), ("video", "src"), ("video", "poster"), ("audio", "src"),
    ("track", "src"), ("iframe", "src"), ("embed", "src"), ("object", "data"),
    ("input", "src"), ("image", "href"), ("use", "href"),
]  # fmt: skip
REMOTE = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
CSS_REMOTE = re.compile(
    r"""url\(\s*['"]?\s*(?:https?:)?//|@import\s+(?:url\(\s*)?['"]?\s*(?:https?:)?//""",
    re.IGNORECASE,
)
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def remote_loads_in_html(path: Path) -> list[str]:
    doc = lxml.html.parse(str(path)).getroot()
    found: list[str] = []
    for link in doc.iter("link"):
        rels = set((link.get("rel") or "").lower().split())
        href = link.get("href") or ""
        if rels & FETCHING_RELS and REMOTE.match(href):
            found.append(f"<link rel={link.get('rel')!r} href={href!r}>")
    for tag, attr in FETCHING_ATTRS:
        for el in doc.iter(tag):
            for name in (attr, XLINK_HREF) if attr == "href" else (attr,):
                value = el.get(name) or ""
                urls = [part.split()[0] for part in value.split(",") if part.strip()]
                if "srcset" not in attr:
                    urls = [value]
                found += [f"<{tag} {attr}={u!r}>" for u in urls if REMOTE.match(u)]
    for el in doc.iter("style"):
        if CSS_REMOTE.search(el.text or ""):
            found.append("<style> with remote url()/@import")
    for el in doc.xpath("//*[@style]"):
        if CSS_REMOTE.search(el.get("style")):
            found.append(f"<{el.tag} style=…> with remote url()")
    # Material loads mermaid.js from a CDN when a page has a mermaid diagram.
    if doc.xpath("//*[contains(concat(' ', normalize-space(@class), ' '), ' mermaid ')]"):
        found.append("mermaid diagram (Material would fetch mermaid from unpkg)")
    return found


def test_no_resource_is_loaded_from_the_network(site: BuiltSite) -> None:
    problems: dict[str, list[str]] = {}
    for path in site.html_files():
        if found := remote_loads_in_html(path):
            problems[rel(site, path)] = found
    for path in site.css_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        if m := CSS_REMOTE.search(text):
            problems[rel(site, path)] = [text[m.start() : m.start() + 120]]
    assert problems == {}


def test_offline_polyfill_is_ours(site: BuiltSite) -> None:
    index = (site.root / "index.html").read_text(encoding="utf-8")
    assert "unpkg.com" not in index
    assert 'src="assets/javascripts/iframe-worker-shim.js"' in index
    assert (site.root / "assets/javascripts/iframe-worker-shim.js").is_file()
    assert (site.root / "search/search_index.js").is_file()  # written by the offline plugin


# --------------------------------------------------------------------------- links

LINK_ATTRS = [("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"),
              ("source", "src"), ("iframe", "src"), ("area", "href")]  # fmt: skip


def test_internal_links_and_anchors_resolve(site: BuiltSite, tmp_path: Path) -> None:
    ids: dict[Path, set[str]] = {}

    def ids_of(path: Path) -> set[str]:
        if path not in ids:
            doc = lxml.html.parse(str(path)).getroot()
            ids[path] = {el.get("id") for el in doc.iter() if el.get("id")} | {
                el.get("name") for el in doc.iter("a") if el.get("name")
            }
        return ids[path]

    broken: list[str] = []
    external: set[str] = set()
    checked = 0
    for page in site.html_files():
        doc = lxml.html.parse(str(page)).getroot()
        for tag, attr in LINK_ATTRS:
            for el in doc.iter(tag):
                url = (el.get(attr) or "").strip()
                if not url or url.startswith(("javascript:", "data:", "mailto:", "tel:")):
                    continue
                if is_external(url):
                    external.add(url)
                    continue
                checked += 1
                target, fragment = resolve_internal(site.root, page, url, site.base_path)
                where = f"{rel(site, page)}: <{tag} {attr}={url!r}>"
                if not target.is_file():
                    broken.append(f"{where} -> missing file")
                elif fragment and target.suffix == ".html" and fragment not in ids_of(target):
                    broken.append(f"{where} -> no id {fragment!r} on {rel(site, target)}")
    (tmp_path / "external-links.txt").write_text("\n".join(sorted(external)), encoding="utf-8")
    print(f"checked {checked} internal links; {len(external)} external links (not fetched):")
    print("\n".join(sorted(external)))
    assert checked > 0
    assert broken == []


# --------------------------------------------------------------------------- search index

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
TAG = re.compile(r"<[^>]+>")


@pytest.fixture(scope="session")
def search_index(site: BuiltSite) -> dict:
    path = site.root / "search" / "search_index.json"
    assert path.is_file(), "search plugin did not write search/search_index.json"
    return read_search_index(site.root)  # split by the llmkb plugin (render/search_index.py)


def han_tokens(index: dict) -> list[str]:
    sep = re.compile(index["config"]["separator"])
    tokens: list[str] = []
    for doc in index["docs"]:
        for value in (doc.get("title", ""), TAG.sub(" ", doc.get("text", ""))):
            tokens += [t for t in sep.split(value) if HAN.search(t)]
    return tokens


def test_search_config_is_chinese_with_zero_width_separator(search_index: dict) -> None:
    config = search_index["config"]
    assert config["lang"] == ["zh"]
    sep = re.compile(config["separator"])
    assert sep.split("大语言模型\u200b涌现能力") == ["大语言模型", "涌现能力"]
    parts = sep.split("上下文学习\u3000思维链、指令微调。")
    assert parts[:3] == ["上下文学习", "思维链", "指令微调"]


def test_search_index_chinese_text_is_jieba_segmented(search_index: dict) -> None:
    import jieba  # noqa: F401  -- a hard dependency; without it Material skips segmenting

    texts = [TAG.sub("", d.get("text", "")) for d in search_index["docs"]]
    han_text = "".join(t for t in texts if HAN.search(t))
    assert han_text, "no Chinese text in the search index"
    assert "\u200b" in han_text, "no U+200B in Chinese text: jieba did not segment the index"

    tokens = han_tokens(search_index)
    # Unsegmented Chinese splits only at punctuation: whole clauses become tokens.
    assert statistics.median(len(t) for t in tokens) <= 4, tokens[:20]


def user_dict_words(site: BuiltSite) -> list[str]:
    path = site.config.parent / "docs" / "assets" / "search" / "jieba_user_dict.txt"
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split()[0] for line in lines if line.strip() and not line.startswith("#")]


def test_words_inside_sentences_are_their_own_tokens(site: BuiltSite, search_index: dict) -> None:
    tokens = set(han_tokens(search_index))
    sep = re.compile(search_index["config"]["separator"])
    raw = "\n".join(
        sep.sub("", TAG.sub("", d.get("title", "") + "\n" + d.get("text", ""))) for d in search_index["docs"]
    )

    # A domain word that sits in the middle of a sentence (Chinese on both sides
    # in the unsegmented text) must still be a token of its own.
    words = [w for w in user_dict_words(site) if HAN.search(w)] or ["涌现能力", "大语言模型"]
    inside = [w for w in words if re.search(rf"[\u4e00-\u9fff]{re.escape(w)}[\u4e00-\u9fff]", raw)]
    assert inside, f"none of the domain words occurs mid-sentence: {words[:20]}"
    assert any(w in tokens for w in inside), f"mid-sentence words not tokens: {inside[:20]}"

    # And the dictionary is in effect: most domain words present in the text are tokens.
    longest = [w for w in words if w in raw and not any(w != o and w in o for o in words)]
    missing = [w for w in longest if w not in tokens]
    assert len(missing) <= 0.2 * len(longest), f"domain words never tokenized: {missing}"
