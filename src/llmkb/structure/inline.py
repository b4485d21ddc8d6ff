"""Cleaning one block's inline Markdown: images, links and raw HTML.

markdown-it has already parsed the block; these functions only remove or rewrite
what must not reach the site: images that do not exist or live outside notes/,
links with executable or local targets, and raw HTML beyond a harmless few tags.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import nh3

from ..diagnostics import Reporter
from ..models import ASSET_SCHEME
from ..text import LINK_TEXT, escape_lone_dollars, outside_code_spans, shield_math, unshield
from .obsidian import rewrite_inline
from .platform_links import BARE as PLATFORM_BARE
from .platform_links import rewrite as platform_link

# Literal spans of inline constructs inside an inline string markdown-it already parsed.
# A destination is "<anything but angle brackets>" or a bare one with balanced parentheses;
# a title is "…", '…' or (…). A bare destination may hold spaces: CommonMark (markdown-it)
# reads "![a](x y.png)" as text, but Python-Markdown, which renders the site, as an image of
# "x y.png", so it is judged like any other image or link.
_DEST = (r"(?:<(?P<{0}_angle>[^<>\n]*)>"
         r"|(?P<{0}>(?:(?:[^()\s<>]|\([^()\s]*\))(?:[^()<>\n]|\([^()\n]*\))*?)?))")
_TITLE = r"""(?:\s+(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)))?"""
_IMAGE = re.compile(r"!\[(?P<alt>" + LINK_TEXT + r")\]\(\s*" + _DEST.format("src") + _TITLE + r"\s*\)")
_LINK = re.compile(r"(?<!!)\[(?P<text>" + LINK_TEXT + r")\]\(\s*" + _DEST.format("href") + _TITLE + r"\s*\)")


def _target(m: re.Match[str], name: str) -> str:
    angle = m.group(f"{name}_angle")
    return angle if angle is not None else m.group(name)


_URL_UNSAFE = re.compile(r"[\s()<>#?%\"'\\\[\]`{}|^]")


def _url_path(rel: str) -> str:
    """A file path as a link destination: what would end or confuse it percent-encoded."""
    return _URL_UNSAFE.sub(lambda c: quote(c.group(0), safe=""), rel)


_AUTOLINK = re.compile(r"<(?P<href>[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\s]*)>")
_DANGEROUS_CONTENT = re.compile(r"<(script|style|iframe|object|embed|template)\b[^>]*>.*?</\1\s*>",
                                re.I | re.S)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9\-]*(?:\s[^<>]*)?/?>")
_SAFE_SCHEMES = {"http", "https", "mailto"}
INLINE_TAGS = {"br", "sup", "sub", "kbd", "mark", "u", "del", "s"}
_HTML_IMAGE = re.compile(r"<img\b(?:[^>]*?\ssrc\s*=\s*[\"']?(?P<src>[^\"'\s>]*))?", re.I)
_UNESCAPED_BRACE = re.compile(r"(?<!\\)\{")
_RISKY_ATTR_LIST = re.compile(r"\{[^{}\n]*(?:\bon[a-z]+\s*=|javascript:|<)[^{}\n]*\}", re.I)
_RISKY = re.compile(r"<\s*(script|iframe|object|embed|style|form|meta|link|base)\b|\bon[a-z]+\s*="
                    r"|javascript:|vbscript:|data:text/html", re.I)


@dataclass
class InlineContext:
    note: str  # label, e.g. "notes/x.md"
    note_dir: Path  # absolute directory of the note
    notes_root: Path  # absolute notes/ directory
    reporter: Reporter
    images: list[str] = field(default_factory=list)  # kept images, relative to notes_root
    # Link reference definitions markdown-it collected ("[id]: url"), by normalized label.
    references: dict[str, str] = field(default_factory=dict)


@dataclass
class InlineResult:
    text: str
    dropped_images: int = 0
    kept_images: int = 0


def _line_at(text: str, pos: int, first_line: int) -> int:
    return first_line + text.count("\n", 0, pos)


def _resolve_local(ctx: InlineContext, target: str) -> Path | None:
    """Absolute path of a local link target if it stays inside notes/, else None."""
    path = unquote(urlsplit(target).path)
    if not path:
        return None
    candidate = (Path(path) if path.startswith("/") else ctx.note_dir / path).resolve()
    return candidate if candidate.is_relative_to(ctx.notes_root) else None


_REFERENCE_LINK = re.compile(r"(?<![\]!\\])\[(?P<text>[^\[\]]+)\](?:\[(?P<label>[^\[\]]*)\])?(?![(:\[])")


def _inline_references(text: str, ctx: InlineContext) -> str:
    """"[文本][id]" becomes "[文本](url)": the definition lines are not published."""

    def replace(m: re.Match[str]) -> str:
        label = m.group("label") or m.group("text")
        href = ctx.references.get(" ".join(label.split()).upper())
        return f"[{m.group('text')}]({href})" if href else m.group(0)

    return _REFERENCE_LINK.sub(replace, text)


def clean_inline(text: str, ctx: InlineContext, first_line: int) -> InlineResult:
    """Images, links and raw HTML of one block cleaned; its formulas ($…$) left exactly as written.

    Every other ``$`` is escaped, so that the site typesets the formulas found here and
    nothing else."""
    text, formulas = shield_math(text)
    result = _clean_prose(text, ctx, first_line)
    result.text = escape_lone_dollars(unshield(result.text, formulas))
    return result


def _clean_prose(text: str, ctx: InlineContext, first_line: int) -> InlineResult:
    missing: list[tuple[int, str]] = []
    rewritten = rewrite_inline(text, missing)
    for pos, target in missing:  # "![[note]]": an embed the site cannot show
        ctx.reporter.warn(ctx.note, _line_at(text, pos, first_line), "image-missing",
                          f"embed {target} cannot be shown; dropped")
    text = rewritten
    if ctx.references and "[" in text:
        text = _inline_references(text, ctx)
    result = InlineResult(text, dropped_images=len(missing))
    result.text = _clean_html(result.text, ctx, first_line)
    result.text = _clean_images(result, ctx, first_line)
    result.text = _clean_links(result.text, ctx, first_line)
    result.text = _escape_attribute_lists(result.text, ctx, first_line)
    return result


def _escape_attribute_lists(text: str, ctx: InlineContext, first_line: int) -> str:
    """``{`` outside code spans becomes ``\\{``; attribute lists that run code go.

    The site's Markdown has attr_list enabled, which would turn ``{: onclick="…"}``
    written in a note into an attribute of the element before it. Escaped, a brace in
    a note is just a brace.
    """
    if "{" not in text:
        return text
    risky = _RISKY_ATTR_LIST.search(text)
    if risky:
        ctx.reporter.warn(ctx.note, _line_at(text, risky.start(), first_line), "unsafe-html",
                          "attribute list with event handlers or scripts removed")
        text = _RISKY_ATTR_LIST.sub("", text)
    return outside_code_spans(text, lambda piece, _offset: _UNESCAPED_BRACE.sub(r"\\{", piece))


def _clean_images(result: InlineResult, ctx: InlineContext, first_line: int) -> str:
    text = result.text

    def replace(m: re.Match[str]) -> str:
        src = _target(m, "src")
        line = _line_at(text, m.start(), first_line)
        scheme = urlsplit(src).scheme.lower()
        if scheme in ("http", "https") or src.startswith("//"):
            ctx.reporter.warn(ctx.note, line, "image-remote",
                              f"image {src} is remote and the site is offline; dropped")
        elif scheme:
            ctx.reporter.warn(ctx.note, line, "image-unsafe",
                              f"image with {scheme}: source dropped")
        else:
            local = _resolve_local(ctx, src)
            if local is None:
                ctx.reporter.warn(ctx.note, line, "image-outside-notes",
                                  f"image {src} points outside notes/; dropped")
            elif not local.is_file():
                ctx.reporter.warn(ctx.note, line, "image-missing",
                                  f"image {src} does not exist; dropped")
            else:
                rel = local.relative_to(ctx.notes_root).as_posix()
                ctx.images.append(rel)
                result.kept_images += 1
                return f"![{m.group('alt')}]({ASSET_SCHEME}{_url_path(rel)})"
        result.dropped_images += 1
        return ""

    return _IMAGE.sub(replace, text)


def _clean_links(text: str, ctx: InlineContext, first_line: int) -> str:
    def check(href: str, pos: int) -> bool:
        scheme = urlsplit(href).scheme.lower()
        if scheme in _SAFE_SCHEMES:
            return True
        line = _line_at(text, pos, first_line)
        if scheme:
            ctx.reporter.warn(ctx.note, line, "unsafe-link",
                              f"link with {scheme}: target removed (text kept)")
        elif href.startswith("#") or not href:
            pass  # in-note anchors mean nothing once sections are merged; keep the text
        elif _resolve_local(ctx, href) is None:
            ctx.reporter.warn(ctx.note, line, "link-outside-notes",
                              f"link {href} points outside notes/; target removed (text kept)")
        else:
            ctx.reporter.warn(ctx.note, line, "link-local",
                              f"link {href} points to a local file that is not published; "
                              "target removed (text kept)")
        return False

    def replace(m: re.Match[str]) -> str:
        href = _target(m, "href")
        # A stray quote before a web address ("[text]("https://…)") is a typo, not a local file.
        stripped = href.strip("\"'“”‘’")
        if stripped != href and re.match(r"https?://", stripped, re.I):
            return f"[{m.group('text')}]({stripped})"
        target, rule = platform_link(href)
        if rule:  # a platform's redirect or search link: where it leads, or only its words
            return m.group("text") if target is None else f"[{m.group('text')}]({target})"
        return m.group(0) if check(href, m.start()) else m.group("text")

    def replace_auto(m: re.Match[str]) -> str:
        target, rule = platform_link(m.group("href"))
        if rule:
            return "" if target is None else f"<{target}>"
        return m.group(0) if check(m.group("href"), m.start()) else ""

    def replace_bare(m: re.Match[str]) -> str:
        target, rule = platform_link(m.group(0))
        return m.group(0) if not rule else target or ""

    text = _LINK.sub(replace, text)
    text = _AUTOLINK.sub(replace_auto, text)
    if "://" not in text:
        return text
    return outside_code_spans(text, lambda piece, _offset: PLATFORM_BARE.sub(replace_bare, piece))


def has_html_image(raw: str) -> bool:
    """Whether raw HTML holds an ``<img>`` (never published: a figure the page loses)."""
    return bool(_HTML_IMAGE.search(raw))


def _warn_html_images(raw: str, ctx: InlineContext, first_line: int) -> None:
    for m in _HTML_IMAGE.finditer(raw):
        ctx.reporter.warn(ctx.note, _line_at(raw, m.start(), first_line), "image-html",
                          f"HTML image {m.group('src') or '(no src)'} dropped; "
                          "write it as a Markdown image to publish it")


def _clean_html(text: str, ctx: InlineContext, first_line: int) -> str:
    if "<" not in text:
        return text
    for line in sorted({_line_at(text, m.start(), first_line) for m in _RISKY.finditer(text)}):
        ctx.reporter.warn(ctx.note, line, "unsafe-html",
                          "raw HTML with scripts, styles, frames or event handlers removed")
    _warn_html_images(text, ctx, first_line)
    text = _DANGEROUS_CONTENT.sub("", text)

    def replace(m: re.Match[str]) -> str:
        tag = m.group(0)
        if _AUTOLINK.fullmatch(tag) or text[max(0, m.start() - 2) : m.start()] == "](":
            return tag  # an autolink, or a link's <destination>: the link rules judge it
        return nh3.clean(tag, tags=INLINE_TAGS, attributes={})

    return _TAG.sub(replace, text)


def warn_html_block(raw: str, ctx: InlineContext, line: int, what: str = "block",
                    images: bool = True) -> None:
    """Warnings for what a raw HTML block loses: scripts and the like, HTML images (unless
    the caller keeps them as Markdown images)."""
    if _RISKY.search(raw):
        ctx.reporter.warn(ctx.note, line, "unsafe-html",
                          f"raw HTML {what} with scripts, styles, frames or event handlers; "
                          "kept its text only")
    if images:
        _warn_html_images(raw, ctx, line)


def html_block_text(raw: str, ctx: InlineContext, line: int) -> str:
    """Text content of a raw HTML block; markup (and anything executable) removed."""
    warn_html_block(raw, ctx, line)
    cleaned = nh3.clean(
        raw, tags=set(), attributes={},
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template",
                            "textarea", "noscript"},
    )
    # Entities become characters, but <, > and & stay escaped so that no text from
    # the note can turn into markup when the Markdown is rendered.
    text = html.unescape(cleaned).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # Markdown inside the block (an HTML block runs on to the next blank line) is checked
    # like any other: images and links that leave notes/ or run code go.
    text, formulas = shield_math("\n".join(" ".join(part.split()) for part in text.split("\n")))
    result = InlineResult(text)
    result.text = _clean_images(result, ctx, line)
    result.text = _clean_links(result.text, ctx, line)
    text = "\n".join(p for p in result.text.split("\n") if p.strip())
    return escape_lone_dollars(unshield(_escape_attribute_lists(text, ctx, line), formulas))
