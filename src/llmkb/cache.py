"""The build cache: each note's per-note results, kept between builds.

A note's ingest → structure → normalize result (a ``NoteDoc``), the warnings those stages gave
for it, and its sections' classification evidence depend on nothing but

- the note's bytes and where it lies (its path, the notes folder, the project root),
- which other files lie in the notes folder (an image a note links either exists or not),
- the code and the rules: llmkb's own source and data files, the data files a build was
  given (boilerplate rules, taxonomy, terms, overrides), the settings that change a note's
  text (traditional → simplified), and the versions of the libraries those stages call.

The first three make a note's key, the last one the cache's *version*: a folder of its own
under the cache folder (``.llmkb-cache/<version>/``), so a change of code or rules never
meets an entry made by other code. Entries are pickles written whole (temporary file, then
rename); one that cannot be read is a miss. The folder is safe to delete at any time: the
next build is a full one and writes it again. A cache never changes what a build makes,
only how fast (a test builds with and without it and compares every byte).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import pickle
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .classify import UnitEvidence
from .diagnostics import Diagnostic
from .ingest import NOTE_SUFFIXES
from .models import NoteDoc

# Folder name a build uses by default, under the project root (git-ignored).
DEFAULT_CACHE_DIR = Path(".llmkb-cache")
# Bumped by hand when the entry layout changes in a way the source hash would not show.
_FORMAT = "1"
# Libraries whose behaviour the per-note stages' results depend on.
_LIBRARIES = ("jieba", "opencc", "markdown-it-py", "pangu", "nh3", "charset-normalizer", "rapidfuzz", "pyyaml")
_PACKAGE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class NoteEntry:
    """What the per-note stages made of one note."""

    doc: NoteDoc | None  # None: the note could not be used (its warnings say why)
    diagnostics: tuple[Diagnostic, ...]
    evidence: tuple[UnitEvidence, ...] | None = None  # its sections' classification evidence


class NoteCache:
    """Entries by note key, in the folder of one version; ``folder=None`` keeps nothing."""

    def __init__(self, folder: Path | None, version: str = "") -> None:
        self.version = version
        self.folder = folder / version[:24] if folder is not None else None
        self.hits = 0
        self.misses = 0
        self._used: set[str] = set()
        if folder is not None:
            _drop_other_versions(folder, version[:24])

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def get(self, key: str) -> NoteEntry | None:
        self._used.add(key)
        entry = None
        if self.folder is not None:
            try:
                with open(self.folder / f"{key}.pickle", "rb") as fh:
                    loaded = pickle.load(fh)
                entry = loaded if isinstance(loaded, NoteEntry) else None
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError,
                    ValueError, IndexError):
                entry = None  # missing or unreadable: build the note again
        if entry is None:
            self.misses += 1
        else:
            self.hits += 1
        return entry

    def put(self, key: str, entry: NoteEntry) -> None:
        self._used.add(key)
        self._write(f"{key}.pickle", entry)

    def load_memo(self, name: str) -> dict:
        """A memo this version kept (e.g. the segmenter's cuts); {} when there is none."""
        if self.folder is None:
            return {}
        try:
            with open(self.folder / f"{name}.memo", "rb") as fh:
                loaded = pickle.load(fh)
            return loaded if isinstance(loaded, dict) else {}
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError,
                ValueError, IndexError):
            return {}

    def save_memo(self, name: str, memo: dict) -> None:
        self._write(f"{name}.memo", memo)

    def _write(self, name: str, value: object) -> None:
        """Pickle ``value`` as the folder's file ``name``, whole or not at all (a temporary file
        moved into place)."""
        if self.folder is None:
            return
        path = self.folder / name
        tmp = path.with_name(f".{name}.{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except (OSError, pickle.PicklingError, RecursionError, TypeError, AttributeError):
            # A cache that cannot be written only makes the next build slower.
            tmp.unlink(missing_ok=True)

    def prune(self) -> None:
        """Drop the entries this build did not use (notes edited or gone)."""
        if self.folder is None or not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.suffix == ".pickle" and path.stem not in self._used:
                path.unlink(missing_ok=True)


def _drop_other_versions(folder: Path, keep: str) -> None:
    """Entries of other code or rules are never read again: remove them."""
    if not folder.is_dir():
        return
    for child in folder.iterdir():
        if child.name != keep and child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)


def code_version(data_files: Iterable[Path], settings: Iterable[str]) -> str:
    """A hash of llmkb's source and data files, the given data files, the settings that shape a
    note's result, the Python version and the versions of the libraries the stages call."""
    h = hashlib.sha256(f"llmkb-cache {_FORMAT} {sys.version}".encode())
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".yaml", ".yml", ".txt", ".json"):
            h.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for path in data_files:
        h.update(b"data\0" + str(path).encode() + b"\0")
        try:
            h.update(Path(path).read_bytes())
        except OSError:
            h.update(b"(unreadable)")
    for name in _LIBRARIES:
        try:
            h.update(f"{name}={importlib.metadata.version(name)}\0".encode())
        except importlib.metadata.PackageNotFoundError:
            h.update(f"{name}=-\0".encode())
    for value in settings:
        h.update(b"setting\0" + value.encode() + b"\0")
    return h.hexdigest()


def folder_listing(notes_dir: Path) -> str:
    """A hash of every file in the notes folder that is not a note, with where it leads: what
    a note's images resolve to. Adding an image can change any note's result; adding or
    editing another note cannot."""
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(notes_dir, followlinks=False):
        dirnames.sort()
        here = Path(dirpath)
        for name in sorted([*filenames, *(d for d in dirnames if (here / d).is_symlink())]):
            path = here / name
            if path.suffix.lower() in NOTE_SUFFIXES and not path.is_symlink():
                continue
            try:
                target = str(path.resolve())
                kind = "file" if path.is_file() else "dir" if path.is_dir() else "other"
            except OSError:
                target, kind = "", "error"
            h.update(f"{path.relative_to(notes_dir).as_posix()}\0{target}\0{kind}\n".encode())
    return h.hexdigest()


def note_key(path: Path, data: bytes, context: str) -> str:
    """A note's key: its bytes, its absolute path and the context (folders, listing)."""
    h = hashlib.sha256(context.encode() + b"\0" + str(path.absolute()).encode() + b"\0")
    h.update(data)
    return h.hexdigest()


# --------------------------------------------------------------------------- stamps of docs/


def write_stamp(path: Path, fingerprint: str, files: dict[str, str | bytes], summary: dict) -> None:
    """Record what a build wrote into docs/, from which inputs, and what it said (its counts and
    warnings, JSON data): see ``stamped_summary``."""
    hashes = {rel: hashlib.sha256(c.encode("utf-8") if isinstance(c, str) else c).hexdigest()
              for rel, c in sorted(files.items())}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps({"fingerprint": fingerprint, "files": hashes, "summary": summary},
                                  ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


def stamped_summary(path: Path, fingerprint: str, docs_dir: Path) -> dict | None:
    """The last build's summary when its stamp names these inputs and every file it lists is in
    docs_dir, byte for byte; None otherwise."""
    try:
        stamp = json.loads(path.read_text(encoding="utf-8"))
        if stamp.get("fingerprint") != fingerprint or not isinstance(stamp.get("files"), dict) \
                or not isinstance(stamp.get("summary"), dict):
            return None
        same = all(hashlib.sha256((docs_dir / rel).read_bytes()).hexdigest() == digest
                   for rel, digest in stamp["files"].items())
        return stamp["summary"] if same else None
    except (OSError, ValueError, AttributeError):
        return None
