"""Ingest: find the notes, turn bytes into clean text, remove boilerplate by named rules."""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..diagnostics import Reporter
from ..models import NoteText, Removal, Span
from ..text import outside_code_spans
from .boilerplate import BoilerplateRule, find_boilerplate
from .decode import UnreadableNote, decode_note, to_simplified

NOTE_SUFFIXES = (".md", ".markdown", ".txt")
# Files a note may show (published when a note's image points at them), not notes to read.
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".avif", ".ico")
MAX_NOTE_BYTES = 64 * 1024 * 1024


def discover_notes(notes_dir: Path, reporter: Reporter, *, label_root: Path) -> list[Path]:
    """Every candidate note under notes_dir, sorted; skipped files are reported."""
    found: list[Path] = []
    root = notes_dir.resolve()
    for dirpath, dirnames, filenames in os.walk(notes_dir, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for dname in dirnames:
            link = Path(dirpath) / dname
            if link.is_symlink():  # os.walk does not follow it; say so
                inside = link.resolve().is_relative_to(root)
                reporter.warn(_label(link, label_root), 0,
                              "linked-folder" if inside else "outside-notes",
                              f"is a link to a folder {'inside' if inside else 'outside'} "
                              "notes/; skipped")
        for fname in sorted(filenames):
            if fname.startswith("."):
                continue  # editor swap files, .DS_Store, .gitkeep
            path = Path(dirpath) / fname
            label = _label(path, label_root)
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(root):
                    reporter.warn(label, 0, "outside-notes",
                                  "is a link to a file outside notes/; skipped")
                    continue
            if path.suffix.lower() in IMAGE_SUFFIXES:
                continue
            if path.suffix.lower() not in NOTE_SUFFIXES:
                reporter.warn(label, 0, "unsupported-type",
                              f"is not a note ({path.suffix or 'no extension'}; "
                              f"notes are {', '.join(NOTE_SUFFIXES)}); skipped")
                continue
            if not path.is_file():
                reporter.warn(label, 0, "unreadable", "is not a regular file; skipped")
                continue
            found.append(path)
    return sorted(found, key=lambda p: _label(p, label_root))


def _label(path: Path, label_root: Path) -> str:
    try:
        return path.relative_to(label_root).as_posix()
    except ValueError:
        return path.as_posix()


def read_note(
    path: Path,
    reporter: Reporter,
    rules: list[BoilerplateRule],
    *,
    label_root: Path,
    simplify: bool = True,
) -> tuple[NoteText, str] | None:
    """Read one note; None (with a warning) when it cannot be used. Returns text and origin URL."""
    label = _label(path, label_root)
    try:
        size = path.stat().st_size
        if size > MAX_NOTE_BYTES:
            reporter.warn(label, 0, "too-large",
                          f"is {size // (1024 * 1024)} MB, over the {MAX_NOTE_BYTES >> 20} MB "
                          "limit for one note; skipped")
            return None
        data = path.read_bytes()
    except OSError as exc:
        reporter.warn(label, 0, "unreadable", f"cannot be read ({exc.strerror}); skipped")
        return None
    if not data.strip():
        reporter.warn(label, 0, "empty", "is empty; skipped")
        return None
    try:
        decoded = decode_note(data, simplify=simplify)
    except UnreadableNote as exc:
        reporter.warn(label, 0, "unreadable", f"{exc}; skipped")
        return None
    if not decoded.text.strip():
        reporter.warn(label, 0, "empty", "has only whitespace; skipped")
        return None
    if decoded.stripped_controls:
        reporter.warn(label, 0, "control-chars",
                      f"had {decoded.stripped_controls} control character(s); removed")

    lines = _space_entities_as_spaces(decoded.text.split("\n"))
    nonblank = frozenset(i + 1 for i, line in enumerate(lines) if line.strip())
    unclosed = _unclosed_fence(lines)
    if unclosed:
        reporter.warn(label, unclosed, "unclosed-code-fence",
                      "code fence is never closed; the rest of the note is shown as code")
    # Rules are written in simplified script; a note kept traditional is matched in both.
    simplified = None if simplify else to_simplified(decoded.text).split("\n")
    result = find_boilerplate(lines, rules, simplified)
    removals: list[Removal] = []
    described = {rule.name: rule.description for rule in rules}
    for hit in result.hits:
        removals.append(Removal(Span(label, hit.start, hit.end), hit.rule, described.get(hit.rule, "")))
        for i in range(hit.start - 1, hit.end):
            lines[i] = ""
    note = NoteText(
        path=label,
        name=path.name,
        lines=lines,
        original_nonblank=nonblank,
        encoding=decoded.encoding,
        removals=removals,
    )
    return note, result.origin_url


_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


# Typora and Notion exports write spaces as character references: "&#x20;" closing a line (a
# hard break), "&nbsp;" for indentation. They are spaces; in a heading they showed as "&#x20".
_SPACE_ENTITY = re.compile(r"&(?:#x0*(?:20|a0)|#0*(?:32|160)|nbsp|ensp|emsp|thinsp);?", re.I)


def _space_entities_as_spaces(lines: list[str]) -> list[str]:
    """Space character references outside code (fences and code spans) become spaces."""
    fence = ""
    out = []
    for line in lines:
        m = _FENCE.match(line)
        if m and (not fence or (m.group("fence")[0] == fence[0] and len(m.group("fence")) >= len(fence))):
            fence = "" if fence else m.group("fence")
        elif not fence and "&" in line:
            line = outside_code_spans(line, lambda piece, _at: _SPACE_ENTITY.sub(" ", piece)).rstrip()
        out.append(line)
    return out


def _unclosed_fence(lines: list[str]) -> int:
    """1-based line of a top-level code fence that runs to the end of the note, else 0."""
    opened: tuple[int, str] | None = None
    for i, line in enumerate(lines, 1):
        m = _FENCE.match(line)
        if not m:
            continue
        fence = m.group("fence")
        if opened is None:
            if not (fence[0] == "`" and "`" in m.group("info")):
                opened = (i, fence)
        elif fence[0] == opened[1][0] and len(fence) >= len(opened[1]) \
                and not m.group("info").strip():
            opened = None
    return opened[0] if opened else 0
