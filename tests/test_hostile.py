"""Hostile notes, end to end (issue 7).

The real notes plus the hostile corpus (tests/fixtures/hostile/ and what
tests/fixtures/make_hostile.py generates: binaries, a multi-megabyte note, a note that
repeats one sentence tens of thousands of times, a duplicate, symlinks out of notes/) go
into a temporary notes/ folder. ``llmkb build`` runs twice as a subprocess (with
different hash seeds, in parallel), then ``mkdocs build`` with the repository's real
mkdocs.yml. The tests check what a user would: the build survives and says what it
skipped, every readable sentence arrives decoded, nothing from a note can run in the
browser, nothing outside notes/ is read, duplicates collapse, provenance covers every
line, and the output is deterministic.

The run time is the pipeline's own on ~3 MB of notes (two builds side by side, then MkDocs);
LLMKB_HOSTILE_QUICK=1 shrinks the two big notes while working on this file.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import lxml.html
import pytest

from fixtures import make_hostile as mh
from llmkb.dedup import sentence_key
from llmkb.diagnostics import Diagnostic, Reporter
from llmkb.pipeline import Settings, build_kb
from llmkb.render import render_site
from site_helpers import llmkb_command

ROOT = Path(__file__).resolve().parent.parent
BUILD_TIMEOUT_S = 600
FIXTURES = {fx.name: fx for fx in mh.TEXT_FIXTURES}
UNREADABLE_FIXTURES = {name for name, fx in FIXTURES.items() if not fx.text.strip()}
WARNING_LINE = re.compile(
    r"^(?P<file>notes/.+?)(?::(?P<line>\d+))?: warning: (?P<message>.+) \[(?P<code>[a-z0-9-]+)\]$")
SUMMARY_LINE = re.compile(r"^llmkb: \d+ notes → \d+ pages in ")
# The terminal's warning summary: a head line, a line per class, one line per kind.
WARNING_SUMMARY = re.compile(
    r"^llmkb: [\d,]+ warnings? of \d+ kinds?; every one is listed in docs/report\.md$"
    r"|^  (?:lost or broken content|expected) \(.*\):$"
    r"|^ +[\d,]+ × [a-z0-9-]+ +notes/\S.*: .+$")
CITE_MD = re.compile(r"\s*\[\\\[\d+\\\]\]\([^\s)]*(?:\s+\"[^\"]*\")?\)\{\.cite\}")
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
# Payload markers: in paragraphs, quotes, HTML blocks (博客粘贴_含脚本.md) and in headings,
# table cells and reference lists (博客粘贴_标题与表格.md).
XSS_MARKERS = ("llmkb-xss-", "llmkb-xss2-")


# --------------------------------------------------------------------------- the build


@dataclass
class HostileRun:
    project: Path
    notes: Path
    docs: Path
    docs2: Path
    site: Path | None
    returncodes: tuple[int, int]
    output: str  # stdout + stderr of the first build
    stderr: str
    warnings: list[dict]  # every warning of the first build (its --report JSON)
    output2: str
    mkdocs_log: str
    generated: mh.Generated
    seconds: float

    def readable_notes(self) -> list[str]:
        """Names (relative to notes/) of every note the pipeline can and must read."""
        skipped = UNREADABLE_FIXTURES | set(self.generated.unreadable) | set(self.generated.outside)
        names = []
        for path in sorted(self.notes.rglob("*")):
            rel = path.relative_to(self.notes).as_posix()
            if path.is_file() and not path.is_symlink() and path.suffix in (".md", ".txt") \
                    and rel not in skipped and not any(rel.startswith(o + "/") for o in
                                                       self.generated.outside):
                names.append(rel)
        return names



def _copy_site_shell(project: Path) -> bool:
    """The real MkDocs config and hand-written theme files, if the repository has them."""
    config = ROOT / "mkdocs.yml"
    if not config.is_file():
        return False
    shutil.copy2(config, project / "mkdocs.yml")
    if (ROOT / "overrides").is_dir():
        shutil.copytree(ROOT / "overrides", project / "overrides")
    for sub in ("stylesheets", "javascripts", "vendor"):
        src = ROOT / "docs" / "assets" / sub
        if src.is_dir():
            shutil.copytree(src, project / "docs" / "assets" / sub)
            shutil.copytree(src, project / "docs2" / "assets" / sub)
    return True


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> HostileRun:
    base = tmp_path_factory.mktemp("hostile")
    project, outside = base / "project", base / "outside"
    notes = project / "notes"
    shutil.copytree(ROOT / "notes", notes)
    for fx in mh.TEXT_FIXTURES:
        shutil.copy2(mh.HOSTILE_DIR / fx.name, notes / fx.name)
    # LLMKB_HOSTILE_QUICK=1 shrinks the two big notes while working on this file.
    quick = os.environ.get("LLMKB_HOSTILE_QUICK") == "1"
    generated = mh.write_generated(notes, outside, **(
        {"long_bytes": 100_000, "repeats": 2_000} if quick else {}))
    has_site = _copy_site_shell(project)

    started = time.perf_counter()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUTF8="1")
    # Two builds at once, with different hash seeds; output to files (no pipe can fill up).
    procs, logs = [], []
    for docs, seed in (("docs", "1"), ("docs2", "2")):
        out = open(base / f"{docs}.out", "w+", encoding="utf-8")  # noqa: SIM115
        err = open(base / f"{docs}.err", "w+", encoding="utf-8")  # noqa: SIM115
        logs.append((out, err))
        report = ["--report", str(base / "report.json")] if docs == "docs" else []
        procs.append(subprocess.Popen([*llmkb_command(), "build", "--notes", "notes", "--docs", docs, *report],
                                      cwd=project, env=dict(env, PYTHONHASHSEED=seed),
                                      stdout=out, stderr=err, text=True))
    results = []
    for proc, (out, err) in zip(procs, logs, strict=True):
        proc.wait(timeout=BUILD_TIMEOUT_S)
        with out, err:
            out.seek(0)
            err.seek(0)
            results.append((out.read(), err.read()))
    mkdocs_log = ""
    site = None
    if has_site:
        mk = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", "mkdocs.yml",
                             "-d", "site"], cwd=project, env=env, capture_output=True, text=True,
                            timeout=BUILD_TIMEOUT_S, check=False)
        mkdocs_log = mk.stdout + mk.stderr
        assert mk.returncode == 0, mkdocs_log[-3000:]
        site = project / "site"
    return HostileRun(
        project=project, notes=notes, docs=project / "docs", docs2=project / "docs2", site=site,
        returncodes=(procs[0].returncode, procs[1].returncode),
        output=results[0][0] + results[0][1], stderr=results[0][1],
        warnings=json.loads((base / "report.json").read_text(encoding="utf-8"))["warnings"]
        if (base / "report.json").is_file() else [],
        output2=results[1][0] + results[1][1], mkdocs_log=mkdocs_log, generated=generated,
        seconds=time.perf_counter() - started,
    )


# --------------------------------------------------------------------------- helpers


def note_text(run: HostileRun, name: str) -> str:
    """What a readable note says, decoded independently of the pipeline."""
    fx = FIXTURES.get(name)
    if fx is not None:
        return fx.text
    return (run.notes / name).read_bytes().decode("utf-8")


def expected_text(run: HostileRun, name: str) -> str:
    fx = FIXTURES.get(name)
    return fx.expected_text or fx.text if fx else note_text(run, name)


_SKIP_LINE = re.compile(r"^\s*(#{1,6}\s|```|~~~|\|[\s:|-]+\|?\s*$|!\[[^\]]*\]\([^)]*\)\s*$|"
                        r"\[[^\]]+\]:\s)")
_REFERENCES = re.compile(r"^\s*[【\[]?(参考(文献|内容|资料)|References?)")
_DROP = re.compile(r"<(script|style|iframe|object|svg|form)\b.*?</\1\s*>|<[^<>]*>|\{:[^}]*\}",
                   re.I | re.S)
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)、])\s+")
_SENTENCE_END = re.compile(r"(?<=[。！？；])|(?<=[.!?])\s+(?=[A-Z])")


def prose_sentences(text: str) -> list[str]:
    """The sentences of a note's paragraphs, list items, table rows and code lines.

    Headings are left out (titles are rewritten), as are markup-only lines and what
    follows a reference-list label (it goes to the sources page). HTML tags and
    script/style content are removed the way a reader would never see them.
    """
    out: list[str] = []
    for line in _DROP.sub("", text).split("\n"):
        if _REFERENCES.match(line):
            break
        if _SKIP_LINE.match(line):
            continue
        line = _LIST_MARKER.sub("", line)
        if not re.search(r"[。！？；.!?]", line) and len(line.strip()) < 20:
            continue
        for sentence in _SENTENCE_END.split(line):
            if len(sentence_key(sentence)) >= 8:
                out.append(sentence.strip())
    return out


# Generated pages that describe the knowledge base rather than hold note text.
META_PAGES = {"index.md", "sources.md", "coverage.md", "tags.md", "glossary.md", "timeline.md"}


def topic_pages(files: Iterable[str]) -> set[str]:
    """The pages of the topic tree among generated files (docs-relative paths)."""
    return {f for f in files if f.endswith(".md") and f not in META_PAGES and not f.startswith("includes/")}


def docs_pages(docs: Path) -> set[str]:
    return topic_pages(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))


def markdown_page_text(markdown: str) -> str:
    """Visible text of a generated page's Markdown (no front matter, no citations)."""
    return CITE_MD.sub("", FRONT_MATTER.sub("", markdown))


def html_page_text(path: Path) -> str:
    doc = lxml.html.parse(str(path)).getroot()
    article = doc.find(".//article")
    assert article is not None, path
    for junk in article.xpath(".//a[contains(@class,'cite') or contains(@class,'headerlink')]"):
        junk.drop_tree()
    return article.text_content()


def html_page_for(site: Path, page: str) -> Path:
    stem = page.removesuffix(".md")
    for candidate in (site / f"{stem}.html", site / stem / "index.html"):
        if candidate.is_file():
            return candidate
    raise AssertionError(f"no HTML page for {page} in {site}")


def page_keys(run: HostileRun, level: str) -> str:
    """sentence_key of all topic pages' text, joined (one string to search in)."""
    texts = []
    for page in sorted(docs_pages(run.docs)):
        md = run.docs / page
        if not md.is_file():
            continue
        if level == "markdown":
            texts.append(markdown_page_text(md.read_text(encoding="utf-8")))
        else:
            assert run.site is not None
            texts.append(html_page_text(html_page_for(run.site, page)))
    return "\n".join(sentence_key(t) for t in texts)


def text_files(root: Path) -> list[Path]:
    return [p for p in sorted(root.rglob("*")) if p.is_file()
            and p.suffix in (".md", ".html", ".json", ".js", ".txt", ".xml", ".yml", ".css")]


def diagnostics(run: HostileRun) -> list[re.Match[str]]:
    """Every warning of the build as its one-line form ("file:line: warning: … [code]")."""
    lines = [str(Diagnostic(w["file"], w["line"], w["code"], w["message"])) for w in run.warnings]
    return [m for line in lines if (m := WARNING_LINE.match(line))]


def needs_site(run: HostileRun) -> Path:
    if run.site is None:
        pytest.skip("mkdocs.yml is not in the repository yet")
    return run.site


# --------------------------------------------------------------------------- fixtures


def test_committed_fixtures_are_what_the_generator_writes() -> None:
    on_disk = {p.name for p in mh.HOSTILE_DIR.iterdir()}
    assert on_disk == set(FIXTURES), "run: python tests/fixtures/make_hostile.py"
    for fx in mh.TEXT_FIXTURES:
        assert (mh.HOSTILE_DIR / fx.name).read_bytes() == fx.data(), fx.name
    # The encodings really are what their names say (a UTF-8 fixture would prove nothing).
    raw = {fx.name: (mh.HOSTILE_DIR / fx.name).read_bytes() for fx in mh.TEXT_FIXTURES}
    for name, data in raw.items():
        fx = FIXTURES[name]
        if fx.codec in ("gbk", "gb18030", "big5", "latin-1"):
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
    assert raw["utf16le_混合专家.md"].startswith(b"\xff\xfe")
    assert raw["utf16be_检索增强.md"].startswith(b"\xfe\xff")
    assert raw["utf8bom_分词器.md"].startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw["crlf_提示工程.txt"]
    assert b"\r" in raw["cr_知识蒸馏.md"] and b"\n" not in raw["cr_知识蒸馏.md"]
    with pytest.raises(UnicodeEncodeError):
        mh.GB18030_KV.encode("gbk")  # needs GB18030's four-byte sequences


def test_generated_fixtures_are_hostile_enough(hostile: HostileRun) -> None:
    if os.environ.get("LLMKB_HOSTILE_QUICK") != "1":
        long_note = hostile.notes / hostile.generated.long_name
        assert long_note.stat().st_size >= 2_000_000
        repeated = (hostile.notes / hostile.generated.repeated_name).read_text(encoding="utf-8")
        assert repeated.count(mh.REPEATED_SENTENCE) >= 10_000
        assert max(len(line) for line in repeated.split("\n")) > 10_000 * len(mh.REPEATED_SENTENCE)
    assert (hostile.notes / "外部链接.md").is_symlink()
    assert nested_depth(mh.NESTED_60) == 60


def nested_depth(text: str) -> int:
    return max(len(m.group(1)) // 2 + 1 for m in re.finditer(r"^( *)- ", text, re.M))


# --------------------------------------------------------------------------- the build survives


def test_build_exits_zero_without_traceback(hostile: HostileRun) -> None:
    assert hostile.returncodes == (0, 0), hostile.output[-3000:]
    assert "Traceback" not in hostile.output and "Traceback" not in hostile.output2
    assert "Traceback" not in hostile.mkdocs_log


def test_every_stderr_line_is_one_clear_warning_or_the_summary(hostile: HostileRun) -> None:
    lines = [line for line in hostile.stderr.splitlines() if line.strip()]
    odd = [line for line in lines if not (WARNING_SUMMARY.match(line) or SUMMARY_LINE.match(line))]
    assert odd == []
    assert sum(1 for line in lines if SUMMARY_LINE.match(line)) == 1
    # One line per kind of warning, however many warnings there are.
    kinds = {w["code"] for w in hostile.warnings}
    assert len(hostile.warnings) > len(kinds) + 10
    assert len(lines) <= len(kinds) + 4
    for m in diagnostics(hostile):  # every warning on its own would still be one clear line
        assert "\n" not in m.group(0)


def _problems(run: HostileRun) -> list[tuple[str, int | None, str]]:
    expected: list[tuple[str, int | None, str]] = []
    for fx in mh.TEXT_FIXTURES:
        expected += [(fx.name, line, code) for code, line in fx.problems]
    expected += [(name, None, code) for name, code in run.generated.unreadable.items()]
    expected += [(name, None, "outside-notes") for name in run.generated.outside]
    return expected


def test_each_problem_is_reported_naming_file_line_and_action(hostile: HostileRun) -> None:
    found = {(m["file"], int(m["line"]) if m["line"] else None, m["code"])
             for m in diagnostics(hostile)}
    missing = [p for p in _problems(hostile) if (f"notes/{p[0]}", p[1], p[2]) not in found]
    assert missing == []
    for m in diagnostics(hostile):
        # What was done is part of the message.
        assert re.search(r"skipped|dropped|removed|kept|placed|shown|neutralized", m["message"]), \
            m.group(0)


@pytest.mark.parametrize(("name", "text", "at_least"), [
    ("博客粘贴_含脚本.md", mh.XSS, 15), ("博客粘贴_标题与表格.md", mh.XSS_STRUCTURE, 7)])
def test_every_script_payload_line_is_reported(hostile: HostileRun, name: str, text: str,
                                               at_least: int) -> None:
    lines = {int(m["line"]) for m in diagnostics(hostile)
             if m["file"] == f"notes/{name}" and m["line"]}
    payload = [i for i, line in enumerate(text.split("\n"), 1)
               if any(marker in line for marker in XSS_MARKERS)]
    assert len(payload) >= at_least
    assert [i for i in payload if i not in lines] == []


# --------------------------------------------------------------------------- nothing lost


@pytest.mark.parametrize("level", ["markdown", "html"])
def test_every_readable_paragraph_survives_decoded(hostile: HostileRun, level: str) -> None:
    if level == "html":
        needs_site(hostile)
    keys = page_keys(hostile, level)
    missing: dict[str, list[str]] = {}
    checked = 0
    for name in hostile.readable_notes():
        original = hostile.generated.duplicates.get(name, name)
        if original not in FIXTURES:
            continue  # the seeds' own wording may be merged into a fuller one (issue 3)
        source = expected_text(hostile, original)
        for sentence in prose_sentences(source):
            checked += 1
            if sentence_key(sentence) not in keys:
                missing.setdefault(name, []).append(sentence)
    extra = [*hostile.generated.long_sample, mh.REPEAT_BEFORE, mh.REPEAT_AFTER,
             mh.REPEATED_SENTENCE]
    for sentence in extra:
        checked += 1
        if sentence_key(sentence) not in keys:
            missing.setdefault("(generated)", []).append(sentence)
    assert checked > 100
    assert missing == {}


def test_encodings_are_decoded_without_mojibake(hostile: HostileRun) -> None:
    sources = (hostile.docs / "sources.md").read_text(encoding="utf-8")
    for name, expected in [("gbk_模型量化.txt", "gb"), ("gb18030_长上下文.md", "gb18030"),
                           ("utf16le_混合专家.md", "utf-16"), ("utf16be_检索增强.md", "utf-16"),
                           ("utf8bom_分词器.md", "utf-8"), ("latin1_sampling.txt", "cp1252"),
                           ("big5_紅隊測試.txt", "big5")]:
        line = next(x for x in sources.splitlines() if f"`notes/{name}`" in x)
        assert expected in line.lower(), line
    pages = list(hostile.docs.glob("*.md")) + (_html_pages(hostile.site) if hostile.site else [])
    assert len(pages) > 10
    for path in pages:
        text = path.read_text(encoding="utf-8")
        # U+FFFD, and leftovers of GBK read as UTF-8 or UTF-8 read as Latin-1 / cp1250.
        for bad in ("\ufffd", "锟斤拷", "Ã©", "Ã¯", "naďve", "鈥", "\ufeff"):
            assert bad not in text, (path, bad)


def test_traditional_chinese_arrives_simplified(hostile: HostileRun) -> None:
    keys = page_keys(hostile, "markdown")
    for traditional in ("評測大型語言模型時", "資料污染", "紅隊測試會刻意設計"):
        assert sentence_key(traditional) not in keys


def test_headings_only_note_is_accounted_as_empty(hostile: HostileRun) -> None:
    records = [b for b in json.loads((hostile.docs / "provenance.json").read_text())["blocks"]
               if b["file"] == "notes/只有标题.md"]
    statuses = Counter(b["status"] for b in records)
    assert statuses["empty"] >= 1 and statuses.get("removed", 0) == 0


def test_unclosed_fence_keeps_the_rest_of_the_note_as_code(hostile: HostileRun) -> None:
    other = "".join((hostile.docs / p).read_text(encoding="utf-8") for p in sorted(docs_pages(hostile.docs)))
    assert "load_in_4bit=True" in other
    fence = re.search(r"```[^\n]*\n(?:(?!```).)*load_in_4bit=True", other, re.S)
    assert fence, "the text after an unclosed fence is code, and is rendered as code"


def test_sixty_level_list_renders_all_its_levels(hostile: HostileRun) -> None:
    site = needs_site(hostile)
    page = next(p for p in sorted(docs_pages(hostile.docs)) if
                "第 60 层展开" in (hostile.docs / p).read_text(encoding="utf-8"))
    doc = lxml.html.parse(str(html_page_for(site, page))).getroot()
    deepest = max(len(li.xpath("ancestor::ul | ancestor::ol")) for li in doc.iter("li")
                  if "第 60 层展开" in li.text_content())
    assert deepest >= 60


# --------------------------------------------------------------------------- nothing runs


_URL_ATTRS = ("href", "src", "action", "formaction", "data", "poster", "srcdoc", "xlink:href",
              "background")
_EXEC_TAGS = {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
              "form", "base", "meta", "link", "template", "svg", "math"}


def _executable(doc: lxml.html.HtmlElement) -> list[str]:
    """Everything in a page that could run code, as short descriptions."""
    found: list[str] = []
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for attr, value in el.attrib.items():
            squeezed = re.sub(r"[\s\x00-\x1f]+", "", value).lower()
            if attr.lower().startswith("on") or (attr.lower() in _URL_ATTRS and \
                    squeezed.startswith(("javascript:", "vbscript:", "data:text/html"))):
                found.append(_describe(el))
    article = doc.find(".//article")
    if article is not None:
        for el in article.iter():
            if isinstance(el.tag, str) and el.tag.lower() in _EXEC_TAGS:
                found.append(_describe(el))
    return found


def _describe(el: lxml.html.HtmlElement) -> str:
    """The element's start tag and text, enough to recognize the payload."""
    attrs = " ".join(f"{k}={v!r}" for k, v in el.attrib.items())
    return f"<{el.tag} {attrs}>{(el.text or '')[:80]}"


def _html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_nothing_executable_from_a_note_reaches_the_html(hostile: HostileRun) -> None:
    site = needs_site(hostile)
    problems = {}
    for page in _html_pages(site):
        found = _executable(lxml.html.parse(str(page)).getroot())
        if found:
            problems[page.name] = found
    assert problems == {}


def test_script_payloads_leave_no_trace_in_docs_or_site(hostile: HostileRun) -> None:
    roots = [hostile.docs] + ([hostile.site] if hostile.site else [])
    for root in roots:
        for path in text_files(root):
            text = path.read_text(encoding="utf-8")
            assert not [m for m in XSS_MARKERS if m in text], path


# --------------------------------------------------------------------------- nothing outside notes/


def test_no_file_outside_notes_is_read_or_linked(hostile: HostileRun) -> None:
    roots = [hostile.docs] + ([hostile.site] if hostile.site else [])
    for root in roots:
        for path in text_files(root):
            text = path.read_text(encoding="utf-8")
            if path.stem == "report":
                # The build report quotes what the notes pointed at, as text in its warnings.
                text = "\n".join(line for line in text.split("\n") if not line.startswith(("- `", "<li><code>")))
            for forbidden in mh.FORBIDDEN_STRINGS:
                assert forbidden not in text, (path, forbidden)
    # The one legitimate image is published, byte for byte; nothing else is copied.
    assets = hostile.docs / "assets" / "notes"
    published = sorted(p.relative_to(assets).as_posix() for p in assets.rglob("*") if p.is_file())
    assert published == [hostile.generated.image]
    assert (assets / hostile.generated.image).read_bytes() == \
        (hostile.notes / hostile.generated.image).read_bytes()


def test_html_links_and_images_stay_inside_the_site(hostile: HostileRun) -> None:
    site = needs_site(hostile)
    bad = []
    for page in _html_pages(site):
        article = lxml.html.parse(str(page)).getroot().find(".//article")
        if article is None:
            continue
        for el in article.iter("a", "img"):
            url = el.get("href") if el.tag == "a" else el.get("src")
            if not url or url.startswith(("#", "https://", "http://", "mailto:")):
                continue
            target = (page.parent / unquote(url.split("#")[0])).resolve()
            outside = url.startswith(("/", "file:")) or not target.is_relative_to(site.resolve())
            if outside or (el.tag == "img" and not target.is_file()):
                bad.append((page.name, url))
    assert bad == []


# --------------------------------------------------------------------------- duplicates


def test_repeated_sentence_appears_once(hostile: HostileRun) -> None:
    for level in ("markdown", "html") if hostile.site else ("markdown",):
        assert page_keys(hostile, level).count(sentence_key(mh.REPEATED_SENTENCE)) == 1


def test_duplicate_note_facts_appear_once(hostile: HostileRun) -> None:
    keys = page_keys(hostile, "markdown")
    sentences = prose_sentences(mh.GBK_QUANT)
    assert len(sentences) >= 6
    assert {s: keys.count(sentence_key(s)) for s in sentences} == {s: 1 for s in sentences}


def _topic_sentences(files: dict[str, str | bytes]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for page in topic_pages(files):
        text = files.get(page)
        if not isinstance(text, str):
            continue
        for line in markdown_page_text(text).splitlines():
            if line.lstrip().startswith("#"):
                continue
            for sentence in _SENTENCE_END.split(line):
                key = sentence_key(sentence)
                if len(key) >= 8:
                    counts[key] += 1
    return counts


def _build_in_process(notes: Path) -> dict[str, str | bytes]:
    settings = Settings(notes_dir=notes, docs_dir=notes.parent / "docs",
                        project_root=notes.parent)
    reporter = Reporter()
    kb = build_kb(settings, reporter)
    return render_site(kb, settings.notes_dir)


def test_duplicate_note_adds_nothing_new(tmp_path: Path) -> None:
    """The same sentences, each as often, with and without a note saved twice."""
    without = tmp_path / "without" / "notes"
    shutil.copytree(ROOT / "notes", without)
    gbk = FIXTURES["gbk_模型量化.txt"]
    (without / gbk.name).write_bytes(gbk.data())
    with_dup = tmp_path / "with" / "notes"
    shutil.copytree(without, with_dup)
    seed = sorted(with_dup.glob("000_*.txt"))[0]
    shutil.copy2(seed, with_dup / f"{seed.stem} - 副本{seed.suffix}")
    (with_dup / "模型量化（另存为）.md").write_text(gbk.text, encoding="utf-8")

    before = _topic_sentences(_build_in_process(without))
    after = _topic_sentences(_build_in_process(with_dup))
    assert len(before) > 100
    assert set(after) == set(before)
    assert after == before


# --------------------------------------------------------------------------- provenance


def _nonblank_lines(text: str) -> set[int]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return {i for i, line in enumerate(lines, 1) if line.strip()}


def _provenance(run: HostileRun) -> list[dict]:
    return json.loads((run.docs / "provenance.json").read_text(encoding="utf-8"))["blocks"]


def test_provenance_covers_every_line_of_every_readable_note(hostile: HostileRun) -> None:
    blocks = _provenance(hostile)
    readable = hostile.readable_notes()
    assert {b["file"] for b in blocks} == {f"notes/{n}" for n in readable}
    covered: dict[str, set[int]] = {}
    for b in blocks:
        assert b["status"] in ("kept", "merged", "removed", "empty"), b
        covered.setdefault(b["file"], set()).update(range(b["start"], b["end"] + 1))
    assert [b for b in blocks if b.get("rule") == "unaccounted"] == []
    for name in readable:
        missing = _nonblank_lines(note_text(hostile, name)) - covered[f"notes/{name}"]
        assert missing == set(), name
    if hostile.site is not None:
        assert (hostile.site / "provenance.json").read_bytes() == \
            (hostile.docs / "provenance.json").read_bytes()


def test_provenance_pages_and_anchors_exist(hostile: HostileRun) -> None:
    anchors: dict[str, set[str]] = {}
    for b in _provenance(hostile):
        if b["status"] not in ("kept", "merged"):
            continue
        page = b["page"]
        if page not in anchors:
            text = (hostile.docs / page).read_text(encoding="utf-8")
            anchors[page] = set(re.findall(r"\{#([^\s}]+)", text))
        assert b["anchor"] in anchors[page], b


# --------------------------------------------------------------------------- determinism


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(hostile: HostileRun) -> None:
    first, second = _tree(hostile.docs), _tree(hostile.docs2)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
