"""The split search index (src/llmkb/render/search_index.py, issue 16).

The worker decides from these files which sections can hold a word before it loads their
text, so a gram the Python side leaves out is a search result lost. These tests pin the
port of the worker's text model (normalise), the grams, the packed text, and the files
written for a small index: every section, gram and text is where the worker looks.
The browser half (the worker reading the files, lazily and from file://) is in
tests/test_search_browser.py.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from llmkb.render.search_assets import META_WEIGHT
from llmkb.render.search_index import (
    FOLDER,
    INDEX,
    PACKED_ZW,
    SENTINEL,
    chunk_ranges,
    gram_file,
    grams,
    normalise,
    pack,
    plain_text,
    read_script,
    read_search_data,
    read_search_index,
    section_parents,
    shard_search_index,
    squash,
    without_asides,
)

S = SENTINEL

# (plain text, the worker's normalise(plain).s)
NORMALISE_CASES = [
    ("Self-Attention 机制", "selfattention机制"),
    ("大语言模型（LLM）是", f"大语言模型{S}llm{S}是"),
    ("（开头的括号", "开头的括号"),  # nothing before the first letter: no mark
    ("ＧＰＴ－４", "gpt4"),  # NFKC: full-width letters and hyphen (a soft separator)
    ("上下文\u200b学习", "上下文学习"),
    ("a, b; c!!", f"a{S}b{S}c{S}"),
    ("x\u00a0y\u3000z", "xyz"),
    ("7B 参数", "7b参数"),
    ("ﬁne-tuning", "finetuning"),  # a ligature folds to two letters
    ("温度 T=0.7", f"温度t{S}07"),
]


@pytest.mark.parametrize(("plain", "expected"), NORMALISE_CASES)
def test_normalise_is_the_workers(plain: str, expected: str) -> None:
    assert normalise(plain) == expected


def test_plain_text_strips_tags_and_decodes_the_workers_entities() -> None:
    assert plain_text("<p>A&amp;B</p>") == " A&B "
    assert plain_text("&#x4e2d;&#25991;&lt;&copy;") == "中文<&copy;"  # &copy; is no entity the worker knows


def test_squash_drops_punctuation_of_a_query_word() -> None:
    assert squash("GPT-3.5") == "gpt35"
    assert squash("上下文学习") == "上下文学习"


def test_grams_are_characters_pairs_and_ascii_triples_within_words() -> None:
    assert grams("lora") == {"l", "o", "r", "a", "lo", "or", "ra", "lor", "ora"}
    assert grams("大模型") == {"大", "模", "型", "大模", "模型"}  # no Han triples
    assert grams(f"ab{S}cd") == {"a", "b", "c", "d", "ab", "cd"}  # nothing across a mark


@pytest.mark.parametrize(("plain", "bare"), [
    ("训练\u200b奖励\u200b（\u200b偏好\u200b）\u200b模型", "训练奖励模型"),  # jieba's U+200B around the aside
    ("训练(SFT)数据", "训练数据"),
    ("奖励（偏好，2022）模型", "奖励（偏好，2022）模型"),  # punctuation inside: no aside
    ("大语言模型（LLM）。", "大语言模型（LLM）。"),  # at the end of a word, not inside one
])
def test_an_aside_inside_a_chinese_word_is_left_out(plain: str, bare: str) -> None:
    assert without_asides(plain) == bare


def test_a_word_with_an_aside_inside_is_indexed_by_its_pairs(tmp_path: Path) -> None:
    """The worker finds 奖励模型 in "训练奖励（偏好）模型": the pair 励模 must lead it there."""
    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    docs = [{"location": "rm.html", "title": "训练\u200b奖励\u200b（\u200b偏好\u200b）\u200b模型",
             "text": "<p>先收集人类对回答的排序。</p>"}]
    (site / INDEX).write_text(json.dumps({"config": {}, "docs": docs}, ensure_ascii=False), encoding="utf-8")
    assert shard_search_index(site, {}) is not None
    stub = json.loads((site / INDEX).read_text(encoding="utf-8"))
    meta = read_script(site / FOLDER / stub["config"]["llmkb"]["meta"])
    part = read_script(site / FOLDER / meta["gramFiles"][gram_file("励模")])
    assert _postings(part["励模"]) == [0]


def test_gram_file_is_stable() -> None:
    # The worker computes the same (Math.imul(h, 31) + code point) >>> 0 modulo the files.
    assert gram_file("a") == ord("a") % 1024
    assert gram_file("ab") == (ord("a") * 31 + ord("b")) % 1024
    assert 0 <= gram_file("模型") < 1024


def test_pack_keeps_word_boundaries_in_one_byte() -> None:
    text = "ChatGPT \u200b的\u200b突破\u200b，\u200b各   行业\u200b。"
    packed = pack(text)
    assert packed == f"ChatGPT 的{PACKED_ZW}突破，各 行业。"
    assert normalise(packed.replace(PACKED_ZW, "\u200b")) == normalise(text)
    assert pack("a\x7fb") == "ab", "a DEL of the text itself never reads as a boundary"
    assert pack("标题  两格", collapse_spaces=False) == "标题  两格"


def test_chunk_ranges_fill_files_up_to_the_limit() -> None:
    assert chunk_ranges([5, 5, 5], 10) == [(0, 2), (2, 3)]
    assert chunk_ranges([50, 1, 1], 10) == [(0, 1), (1, 3)], "a long section is a file of its own"
    assert chunk_ranges([], 10) == []


# --------------------------------------------------------------------------- a small site

REPO = Path(__file__).resolve().parent.parent

DOCS = [
    {"location": "", "title": "首页", "text": "<p>知识库</p>"},
    {"location": "#topics", "title": "主题", "text": "<p>见各页</p>"},
    {"location": "abilities.html", "title": "能力", "text": "", "tags": ["能力"]},
    {"location": "abilities.html#icl", "title": "上下文\u200b学习（ICL）",
     "text": "<p>上下文\u200b学习\u200b是 In-Context Learning &amp; LoRA 无关</p>"},
    {"location": "abilities.html#cot", "title": "思维链", "text": "<p>思维链\u200b提示</p>" * 400},
    {"location": "glossary.html", "title": "术语表", "text": "<p>LoRA：低秩适配</p>", "boost": 0.5},
]
DESCRIPTIONS = {"abilities": "大模型展现的各种能力"}


def _site(root: Path) -> Path:
    (root / "search").mkdir(parents=True)
    config = {"lang": ["zh"], "separator": "[\\s]+"}
    (root / INDEX).write_text(json.dumps({"config": config, "docs": DOCS}, ensure_ascii=False), encoding="utf-8")
    data = root / "assets/search/search-data.js"
    data.parent.mkdir(parents=True)
    data.write_text("/* generated */\nself.llmkbSearchData = " + json.dumps({"descriptions": DESCRIPTIONS},
                                                                            ensure_ascii=False) + ";\n",
                    encoding="utf-8")
    return root


def test_the_split_index_reads_back_as_the_whole_one(split) -> None:
    site, _ = split
    docs = read_search_index(site)["docs"]
    assert [d["location"] for d in docs] == [d["location"] for d in DOCS]
    assert [d["title"] for d in docs] == [d["title"] for d in DOCS]
    for got, doc in zip(docs, DOCS, strict=True):
        assert normalise(plain_text(got["text"])) == normalise(plain_text(doc["text"]))
    assert docs[2]["tags"] == ["能力"] and docs[5]["boost"] == 0.5


def _postings(encoded: str) -> list[int]:
    out, at = [], 0
    for gap in encoded.split(","):
        at += int(gap, 36)
        out.append(at)
    return out


@pytest.fixture
def split(tmp_path: Path) -> tuple[Path, dict]:
    site = _site(tmp_path / "site")
    summary = shard_search_index(site, read_search_data(site, "assets/search/search-data.js"))
    assert summary is not None and summary.docs == len(DOCS)
    stub = json.loads((site / INDEX).read_text(encoding="utf-8"))
    meta = read_script(site / FOLDER / stub["config"]["llmkb"]["meta"])
    return site, {"stub": stub, "meta": meta}


def test_the_themes_index_becomes_a_stub_naming_the_meta_file(split) -> None:
    site, got = split
    stub = got["stub"]
    assert stub["docs"] == [], "the theme would download every text on every page load"
    assert stub["config"]["lang"] == ["zh"], "the theme's own settings stay"
    assert stub["config"]["llmkb"]["folder"] == FOLDER + "/"
    assert shard_search_index(site, {}) is None, "an index already split is left alone"


def test_meta_gives_back_every_location_title_tag_and_boost(split) -> None:
    _, got = split
    page, locations = "", []
    for entry in got["meta"]["docs"]:
        if "a" in entry:
            locations.append(page + entry["a"])
        else:
            locations.append(entry["l"])
            page = entry["l"].split("#")[0]
    assert locations == [d["location"] for d in DOCS]
    entries = got["meta"]["docs"]
    assert [e["t"].replace(PACKED_ZW, "\u200b") for e in entries] == [d["title"] for d in DOCS]
    assert entries[2]["g"] == ["能力"] and entries[5]["b"] == 0.5
    assert entries[2].get("e") == 1, "a page without text of its own is marked"
    assert "e" not in entries[0]


def test_a_heading_without_text_over_its_subsections_is_marked(tmp_path: Path) -> None:
    """A section whose heading has no text of the notes ("贪婪解码" over its 原理说明) answers
    through its subsections, as a page without an introduction does."""
    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    docs = [{"location": "decoding.html", "title": "解码策略", "text": "<p>逐个生成</p>"},
            {"location": "decoding.html#greedy", "title": "贪婪解码", "text": ""},
            {"location": "decoding.html#how", "title": "原理说明", "text": "<p>每步选概率最大的词</p>"}]
    (site / INDEX).write_text(json.dumps({"config": {}, "docs": docs}, ensure_ascii=False), encoding="utf-8")
    assert shard_search_index(site, {}) is not None
    stub = json.loads((site / INDEX).read_text(encoding="utf-8"))
    entries = read_script(site / FOLDER / stub["config"]["llmkb"]["meta"])["docs"]
    assert [e.get("e") for e in entries] == [None, 1, None]


def test_every_gram_of_every_section_points_back_to_it(split) -> None:
    site, got = split
    meta = got["meta"]
    table: dict[str, list[int]] = {}
    for k, name in enumerate(meta["gramFiles"]):
        part = read_script(site / FOLDER / name)
        for gram, encoded in part.items():
            assert gram_file(gram) == k, f"{gram!r} in the wrong file"
            table[gram] = _postings(encoded)
    for i, doc in enumerate(DOCS):
        expected = grams(normalise(plain_text(doc["title"]))) | grams(normalise(plain_text(doc["text"])))
        for gram in expected:
            assert i in table[gram], f"section {i} missing under {gram!r}"
    # The page's description is read as part of its introduction.
    assert 2 in table["各种"]
    assert set(table["lor"]) == set(table["ora"]) == {3, 5}


def test_texts_come_back_in_order_packed(split) -> None:
    site, got = split
    texts: list[str] = []
    for name, first, size in got["meta"]["chunks"]:
        assert first == len(texts)
        assert (site / FOLDER / name).stat().st_size == size
        texts += read_script(site / FOLDER / name)
    assert len(texts) == len(DOCS)
    for text, doc in zip(texts, DOCS, strict=True):
        assert "<" not in text
        assert normalise(plain_text(text.replace(PACKED_ZW, "\u200b"))) == normalise(plain_text(doc["text"]))
    assert len(got["meta"]["chunks"]) >= 2, "the long section makes a second file"


def test_words_are_the_index_words(split) -> None:
    site, got = split
    words = got["meta"]["words"]
    assert "上下文" in words["han"] and "学习" in words["han"]
    assert "思维链" in words["heading"]
    latin = read_script(site / FOLDER / got["meta"]["latinFile"])
    assert {"lora", "learning", "in-context"} <= set(latin)


def test_line_separators_are_escaped_for_javascript(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    docs = [{"location": "", "title": "首页\u2028目录\u2029", "text": "一行\u2028另一行"}]
    (site / INDEX).write_text(json.dumps({"config": {}, "docs": docs}), encoding="utf-8")
    shard_search_index(site, {})
    scripts = "".join(p.read_text(encoding="utf-8") for p in (site / FOLDER).rglob("*.js"))
    assert "\u2028" not in scripts and "\u2029" not in scripts
    assert read_search_index(site)["docs"][0]["title"] == docs[0]["title"]


def test_same_index_same_files(tmp_path: Path) -> None:
    a, b = _site(tmp_path / "a"), _site(tmp_path / "b")
    for site in (a, b):
        shard_search_index(site, read_search_data(site, "assets/search/search-data.js"))
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files_a == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    for rel in files_a:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_no_index_no_files(tmp_path: Path) -> None:
    assert shard_search_index(tmp_path, {}) is None
    (tmp_path / "search").mkdir()
    (tmp_path / INDEX).write_text("{not json", encoding="utf-8")
    assert shard_search_index(tmp_path, {}) is None
    assert not (tmp_path / FOLDER).exists()
    shutil.rmtree(tmp_path / "search")


# A page with a section under another (h3 under h2), as MkDocs builds it.
_FRAMEWORKS_HTML = ('<h1 id="frameworks">推理框架</h1><h2 id="vllm">vLLM</h2>'
                    '<h3 id="缺点">缺点</h3><h2 id="tgi">TGI</h2>')


def _frameworks_site(tmp_path: Path, texts: list[str], extra: list[dict] | None = None) -> Path:
    """A built site of that page (its four sections with these texts, plus ``extra`` pages),
    its index split."""
    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    (site / "frameworks.html").write_text(_FRAMEWORKS_HTML, encoding="utf-8")
    docs = [{"location": f"frameworks.html{anchor}", "title": title, "text": f"<p>{text}</p>"}
            for (anchor, title), text in zip((("", "推理框架"), ("#vllm", "vLLM"), ("#缺点", "缺点"), ("#tgi", "TGI")),
                                             texts, strict=True)]
    (site / INDEX).write_text(json.dumps({"config": {"lang": ["zh"]}, "docs": docs + (extra or [])},
                                         ensure_ascii=False), encoding="utf-8")
    assert shard_search_index(site, {}) is not None
    return site


def test_a_section_knows_the_section_it_is_under(tmp_path: Path) -> None:
    """From the built page's heading levels: "缺点" (h3) is under "vLLM" (h2); the next h2 is
    under none (the worker reads every section under its page's title anyway)."""
    locations = ["frameworks.html", "frameworks.html#vllm", "frameworks.html#缺点", "frameworks.html#tgi"]
    site = _frameworks_site(tmp_path, ["常见框架", "vLLM 用分页管理缓存", "显存占用高", "HuggingFace 的服务框架"])
    assert section_parents(site, locations) == {2: 1}
    stub = json.loads((site / INDEX).read_text(encoding="utf-8"))
    entries = read_script(site / FOLDER / stub["config"]["llmkb"]["meta"])["docs"]
    assert [e.get("u") for e in entries] == [None, None, 1, None]


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node to run the worker")
def test_a_subsection_that_names_what_is_asked_comes_before_its_section(tmp_path: Path) -> None:
    """"vLLM 有什么缺点": the subsection "缺点" under "vLLM" (its text names vLLM too) answers,
    not the section "vLLM" whose heading is only the subject (the worker run in Node)."""
    # 缺点 is a common word of the site, vLLM a rare one.
    others = [{"location": f"other{i}.html", "title": f"方法{i}", "text": f"<p>方法{i}的缺点是慢，优点是准</p>"}
              for i in range(12)]
    site = _frameworks_site(tmp_path, ["常见的推理框架", "vLLM 用分页管理缓存，吞吐很高", "vLLM 不支持部分模型结构",
                                       "HuggingFace 的服务框架"], others)
    [links] = _ask_worker(site, ["vLLM 有什么缺点"])
    assert links[0] == "frameworks.html#缺点", links


def _ask_worker(site: Path, queries: list[str], aliases: dict[str, list[str]] | None = None,
                names: dict[str, list[str]] | None = None, weights: dict[str, float] | None = None,
                contexts: dict[str, dict[str, str]] | None = None) -> list[list[str]]:
    """The result links the project's worker gives for each query on a built site (in Node),
    with these aliases, names, page weights and sections' note contexts in the site's search data."""
    data = {"t2s": {"from": "", "to": "", "phrases": {}}, "aliases": aliases or {}, "names": names or {},
            "weights": weights or {}, "contexts": contexts or {}}
    (site / "assets/search").mkdir(parents=True)
    (site / "assets/search/search-data.js").write_text(
        f"self.llmkbSearchData = {json.dumps(data, ensure_ascii=False)};\n", encoding="utf-8")
    (site / "assets/javascripts").mkdir(parents=True)
    shutil.copy(REPO / "docs/assets/javascripts/search-worker.js", site / "assets/javascripts/search-worker.js")
    proc = subprocess.run(["node", str(REPO / "scripts/search_node.js"), str(site)],
                          input=json.dumps(queries, ensure_ascii=False),
                          capture_output=True, text=True, check=True, timeout=60)
    return [result["links"] for result in json.loads(proc.stdout)]


def _site_of(tmp_path: Path, docs: list[dict], common: str) -> Path:
    """A built site of these sections and twelve more pages that all say ``common`` (an everyday
    word of the site), its index split."""
    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    docs = docs + [{"location": f"other{i}.html", "title": f"方法{i}", "text": f"<p>方法{i}的{common}很长</p>"}
                   for i in range(12)]
    (site / INDEX).write_text(json.dumps({"config": {"lang": ["zh"]}, "docs": docs}, ensure_ascii=False),
                              encoding="utf-8")
    assert shard_search_index(site, {}) is not None
    return site


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node to run the worker")
def test_a_page_title_found_by_an_alias_covers_only_sections_that_hold_what_is_asked(tmp_path: Path) -> None:
    """"RoBERTa 做了哪些改进" on a page 预训练语言模型 (RoBERTa's topic, by an alias): the
    section "RoBERTa" answers, not "Word2Vec 到 BERT 改进了什么", which says the everyday
    word 改进 in its heading and never names RoBERTa (the page's title is no RoBERTa there)."""
    docs = [{"location": "plm.html", "title": "预训练语言模型", "text": "<p>先预训练再微调的模型。</p>"},
            {"location": "plm.html#roberta", "title": "RoBERTa",
             "text": "<p>RoBERTa 去掉了下一句预测任务，用更多数据训练更久，效果有明显改进。</p>"},
            # Titles as the search plugin writes them: jieba's words between U+200B.
            {"location": "plm.html#w2v", "title": "Word2Vec 到 BERT 改进\u200b了\u200b什么",
             "text": "<p>从静态词向量到上下文相关的表示，是最大的改进。</p>"}]
    site = _site_of(tmp_path, docs, "改进")  # 改进 an everyday word of the site, RoBERTa a rare one
    [links] = _ask_worker(site, ["RoBERTa 做了哪些改进"], aliases={"roberta": ["预训练语言模型"]})
    assert links[0] == "plm.html#roberta", links


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node to run the worker")
def test_a_section_is_read_under_the_heading_its_note_wrote_it_under(tmp_path: Path) -> None:
    """"Heron 怎么微调": the catalog's section "微调方法", written under "Heron" in its note
    (the page shows no Heron above it), answers; not a section that names Heron and says
    nothing of fine-tuning, nor one on fine-tuning in general."""
    docs = [{"location": "models.html", "title": "模型目录", "text": "<p>各家的模型。</p>"},
            {"location": "models.html#heron", "title": "Heron",
             "text": "<p>Heron 是鹭科技发布的对话模型，有 7B 和 13B 两个版本。</p>"},
            {"location": "models.html#微调方法", "title": "微调\u200b方法",
             "text": "<p>先用种子任务生成五万条指令，再在基座模型上做全参数微调，训练三轮。</p>"},
            {"location": "sft.html#how", "title": "微调的步骤",
             "text": "<p>准备指令数据，选基座模型，设定学习率，然后微调。</p>"}]
    site = _site_of(tmp_path, docs, "模型")
    asked = ["Heron 怎么微调"]
    [links] = _ask_worker(site, asked, contexts={"models": {"微调方法": "Heron 系列 › Heron"}})
    assert links[0] == "models.html#微调方法", links
    shutil.rmtree(site / "assets")
    [unread] = _ask_worker(site, asked)
    assert unread[0] != "models.html#微调方法", unread


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node to run the worker")
def test_a_word_is_found_with_an_aside_inside_it(tmp_path: Path) -> None:
    """"奖励模型" finds the heading "训练奖励（偏好）模型" (a gloss inside the word), ahead of a section
    that only mentions the word in passing."""
    docs = [{"location": "rm.html#train", "title": "训练\u200b奖励\u200b（\u200b偏好\u200b）\u200b模型",
             "text": "<p>先收集人类对同一问题几个回答的排序，再训练一个给回答打分的网络。</p>"},
            {"location": "ppo.html#four", "title": "PPO 的四个角色",
             "text": "<p>" + "策略和参考策略来自同一个起点，价值网络估计回报。" * 4
                     + "打分\u200b的\u200b是\u200b奖励模型\u200b。</p>"}]  # jieba's words, as indexed
    site = _site_of(tmp_path, docs, "方法")
    [links] = _ask_worker(site, ["奖励模型"])
    assert links[0] == "rm.html#train", links


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node to run the worker")
def test_a_chinese_query_finds_a_heading_written_with_the_terms_abbreviation(tmp_path: Path) -> None:
    """"检索增强生成的流程": the section "RAG 的流程" answers (RAG is the term's name, from the
    search data's ``names``), not a section that only says 流程."""
    docs = [{"location": "rag.html", "title": "应用", "text": "<p>几种应用。</p>"},
            {"location": "rag.html#flow", "title": "RAG 的流程",
             "text": "<p>先检索相关文档，再把它们和问题一起交给模型生成回答。检索增强生成减少了幻觉。</p>"},
            {"location": "rag.html#train", "title": "训练的流程",
             "text": "<p>预训练、微调、对齐，检索增强生成不在其中。</p>"}]
    site = _site_of(tmp_path, docs, "流程")
    [links] = _ask_worker(site, ["检索增强生成的流程"], aliases={"rag": ["检索增强生成"]},
                          names={"检索增强生成": ["rag"]})
    assert links[0] == "rag.html#flow", links


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node to run the worker")
def test_a_listing_page_covers_only_what_one_of_its_entries_holds(tmp_path: Path) -> None:
    """"温度调高为什么更随机": the glossary (a listing page: weighed as a whole in the search
    data) says 温度, 调高 and 随机, but in three entries far apart; the section that says 温度
    and 随机 in one sentence answers. Without the weight the glossary is one long section that
    covers every word asked, and comes first."""
    filler = "".join(f"术语{i}：一个与本问题无关的概念，在这里只占一个条目的位置而已。" for i in range(8))
    glossary = {"location": "glossary.html", "title": "术语表",
                "text": (f"<p>温度：控制输出分布的参数。{filler}学习率调高：训练更快但不稳。{filler}"
                         "随机采样：按概率抽词。</p>")}
    section = {"location": "decoding.html#sampling", "title": "采样",
               "text": "<p>温度越高，输出的分布越平，采样的结果越随机。</p>"}
    site = _site_of(tmp_path, [glossary, section], "概念")
    [listed] = _ask_worker(site, ["温度调高为什么更随机"], weights={"glossary": 0.6})
    assert listed[0] == "decoding.html#sampling", listed
    shutil.rmtree(site / "assets")
    [whole] = _ask_worker(site, ["温度调高为什么更随机"])
    assert whole[0] == "glossary.html", whole


# The sources page points at the notes' text; a section that says the word asked comes first,
# the sources page after it by its score: (sources entry, section, query, the sources page's weight).
_SOURCES_CASES = {
    # "vLLM 显存": the sources page lists a note titled "vLLM 显存优化笔记" (both words in one entry),
    # yet the section "vLLM", which says only vLLM, comes first.
    "a listing page never comes first by covering more than any section": (
        {"location": "sources.html", "title": "来源", "text": "<p>vLLM 显存优化笔记 notes/a.md</p>"},
        {"location": "inference.html#vllm", "title": "vLLM", "text": "<p>vLLM 用分页的方式管理缓存，吞吐很高。</p>"},
        "vLLM 显存", 0.3),
    # "Heron-R1": the sources page heads a note's entry with its title ("[1] Heron-R1：用强化学习激励
    # 推理"), the word asked at the start of a heading; with the pipeline's weights the section that
    # says something about Heron-R1 still comes first.
    "a note title on the sources page comes after a section that says the name": (
        {"location": "sources.html#src-a", "title": "[1] Heron-R1：用强化学习激励推理",
         "text": "<p>notes/a.md，第 1–80 行</p>"},
        {"location": "models.html#eval", "title": "评测与对比",
         "text": "<p>Heron-R1 在数学题上的准确率超过同规模的模型，代码题略低。</p>"},
        "Heron-R1", META_WEIGHT),
}


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node to run the worker")
@pytest.mark.parametrize("case", list(_SOURCES_CASES))
def test_the_sources_page_comes_after_a_section_that_says_the_words(tmp_path: Path, case: str) -> None:
    sources, section, query, weight = _SOURCES_CASES[case]
    site = _site_of(tmp_path, [sources, section], "概念")
    [links] = _ask_worker(site, [query], weights={"sources": weight})
    assert links[0] == section["location"] and sources["location"] in links, links


# Rankings of the worker on small sites, each case shaped like a miss seen on real notes:
# (sections, query, aliases, names, the section that must come first).
_FIRST_CASES = {
    # "coder" inside Encoder and Decoder is no Coder: the section that names Heron Coder answers,
    # not one that says Heron, 架构, Encoder and Decoder (which would cover every word asked if a
    # word could be found inside another).
    "a Latin word inside a longer one is not the word asked": (
        [{"location": "arch.html#heron", "title": "Heron 的架构",
          "text": "<p>Heron 的模型有 Encoder 和 Decoder 两部分，Encoder 读入，Decoder 生成。</p>"},
         {"location": "models.html#heron-coder", "title": "Heron Coder",
          "text": "<p>Heron Coder 是鹭科技发布的写代码的模型，用了 32 层。</p>"}],
        "Heron Coder 的架构", None, None, "models.html#heron-coder"),
    # The taxonomy lists 思维树 among the aliases of 思维链提示 (a section about it belongs there),
    # but it is not another name of it: where a section says 思维树 itself, that section answers.
    # (An alias that is no name of its Chinese term and shares no word with it is taken as
    # broader: 大模型幻觉 → 幻觉 and an English name of the term itself count in full.)
    "a term found itself outranks the broader topic its alias names": (
        [{"location": "cot.html#use", "title": "思维链提示\u200b适用场景",  # jieba's words, as indexed
          "text": "<p>思维链提示适合数学题。思维链提示也适合常识推理，思维链提示让模型先写步骤。</p>"},
         {"location": "tot.html#tot", "title": "思维树 Tree of Thoughts（TOT）：一种用树结构解决复杂问题的方法",
          "text": "<p>思维树把一条推理路径拓展为多条路径，再综合多条路径的结果，是一种树形的搜索方法。</p>"}],
        "思维树", {"思维树": ["思维链提示"]}, {"思维链提示": ["cot", "chain of thought"]}, "tot.html#tot"),
    # The same for an English name the taxonomy lists under a broader Chinese term (MLM → 训练目标):
    # the long section that explains MLM answers, not a short one headed by the broader term.
    "an English name found itself outranks the broader topic its alias names": (
        [{"location": "pre.html", "title": "预训练", "text": "<p>预训练让模型从无标注的文本里学习。</p>"},
         {"location": "bert.html", "title": "BERT", "text": "<p>BERT 是只有编码器的模型。</p>"},
         {"location": "pre.html#objective", "title": "训练目标",
          "text": "<p>BERT 的训练目标如下，稍后再谈训练的细节。</p>"},
         {"location": "bert.html#mlm", "title": "预训练任务——MLM + NSP",
          "text": "<p>BERT 提出了两个预训练任务：MLM 和 NSP。" + "预训练的语料来自网页、书籍和百科，规模越大，"
                  "模型学到的语言知识越多。" * 8 + "MLM 随机遮住一成多的词元，让模型根据两边的上下文猜出它们。"
                  + "预训练的语料来自网页、书籍和百科，规模越大，模型学到的语言知识越多。" * 8
                  + "MLM 让模型同时看到左右两边。MLM 的遮盖比例是一成五，MLM 里遮住的词有时换成随机词，"
                  "MLM 的损失只算被遮住的位置，MLM 之外还有 NSP，MLM 是 BERT 的关键。</p>"}],
        "MLM", {"mlm": ["训练目标"]}, {"训练目标": ["objective"]}, "bert.html#mlm"),
    # 为 ("to", "as") is a function word like 的 and 在: a section that says 为 and 0 but nothing of
    # initialising (a list of sizes) does not cover more of the question than the one that says
    # how B is initialised.
    "the function word 为 is not a word asked": (
        [{"location": "sizes.html#b", "title": "矩阵大小",
          "text": "<p>A 为 r×d，B 为 d×r，r 为秩，常取 8；偏置为 0。</p>"},
         {"location": "lora.html#init", "title": "B 的初始化",
          "text": "<p>B 矩阵初始化成零，训练开始时旁路的输出也是零，模型和原来一样。</p>"}],
        "B 为什么初始化为 0", None, None, "lora.html#init"),
    # A count in Chinese numerals is the same count in digits: "一张显卡" asks what "1 张显卡" says,
    # not what a section about several cards says.
    "a count in Chinese numerals matches it in digits": (
        [{"location": "dp.html#many", "title": "多卡\u200b微调",  # jieba's words, as indexed
          "text": "<p>微调\u200b时\u200b用\u200b多\u200b张\u200b显卡，"
                  "每\u200b张\u200b显卡\u200b放\u200b一\u200b部分\u200b数据。</p>"},
         {"location": "gpu.html#one", "title": "只用 1 张\u200b显卡\u200b微调",
          "text": "<p>显存\u200b要\u200b够\u200b大：7B 模型\u200b微调\u200b最好\u200b准备 20GB 显存。</p>"}],
        "一张显卡怎么微调", None, None, "gpu.html#one"),
    # A query that is a page's title asks for the page: its top comes first, before a section
    # of the page that has the same words as its heading (a page does not give way to it as it
    # does to sections that answer a part of what its title is about).
    "a page whose title is the query comes before its own section of that title": (
        [{"location": "dp.html", "title": "数据并行（Data Parallelism）",
          "text": "<p>数据并行把一批数据分到多张卡上，每张卡放一份完整的模型。</p>"},
         {"location": "dp.html#torch", "title": "数据并行（PyTorch 的 DP）",
          "text": "<p>PyTorch 的 DP 用一个进程管理多张卡，数据并行的梯度汇总到第一张卡。</p>"},
         {"location": "dp.html#ddp", "title": "分布式数据并行",
          "text": "<p>每张卡一个进程，数据并行的梯度用 all-reduce 汇总。</p>"}],
        "数据并行", None, None, "dp.html"),
    # Where a term is introduced answers more than where it is only used: "X 是一种…" says what it
    # is (the glossary's defining verbs), as "X（English name）" does.
    "a passage that says what the term is comes before one that only uses it": (
        [{"location": "a.html#use", "title": "用法", "text": "<p>调用 Heron 之前先装好依赖和配置文件。</p>"},
         {"location": "b.html#what", "title": "概览", "text": "<p>Heron 是一种调用工具完成任务的系统。</p>"}],
        "Heron", None, None, "b.html#what"),
}


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node to run the worker")
@pytest.mark.parametrize("case", list(_FIRST_CASES))
def test_the_worker_ranks_the_answer_first(tmp_path: Path, case: str) -> None:
    docs, query, aliases, names, first = _FIRST_CASES[case]
    site = _site_of(tmp_path, docs, "方法")
    [links] = _ask_worker(site, [query], aliases=aliases, names=names)
    assert links[0] == first, links
