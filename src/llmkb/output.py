"""Writing docs/ so that a failed or interrupted build never leaves it half old, half new.

The new docs/ is put together in a folder next to it (``.docs.llmkb-new``): first what
the pipeline did not write last time and must keep (hand-written assets such as
``assets/javascripts``, ``assets/stylesheets``, ``assets/vendor``; anything a person put
there), then every generated file, then the manifest that lists the generated files. Only
when all of it is on disk is the folder swapped in for docs/: one ``renameat2(RENAME_EXCHANGE)``
on Linux, two renames elsewhere (with the old folder kept as ``.docs.llmkb-old`` until the
new one is in place, and put back by the next build should the process die in between).
An error or an interruption before the swap removes the new folder and leaves docs/ as
it was.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import json
import os
import shutil
from pathlib import Path

MANIFEST = ".llmkb-manifest.json"
_NEW = ".{}.llmkb-new"
_OLD = ".{}.llmkb-old"


class OutputError(Exception):
    """docs/ could not be written. str() is one line naming the path and the cause."""


def write_docs(files: dict[str, str | bytes], docs_dir: Path) -> list[str]:
    """Replace docs_dir with the generated files plus what the pipeline did not write.

    Returns the docs-relative paths that changed (written, changed or removed). Only files
    listed in the previous manifest are ever dropped, so hand-written files in docs/ stay.
    Raises OutputError (docs/ untouched) when anything cannot be written.
    """
    docs_dir = Path(docs_dir)
    if docs_dir.is_symlink():  # write where the link points; the link stays
        docs_dir = docs_dir.resolve()
    new = docs_dir.parent / _NEW.format(docs_dir.name)
    old = docs_dir.parent / _OLD.format(docs_dir.name)
    try:
        _recover(docs_dir, old)
        if docs_dir.exists() and not docs_dir.is_dir():
            raise OutputError(f"{docs_dir}: error: is not a folder; docs/ must be a folder (or not exist yet)")
        previous = _manifest(docs_dir)
        if _unchanged(files, docs_dir, previous):
            return []  # nothing to write: docs/ is left alone (no watcher sees a thing)
        if new.exists() or new.is_symlink():
            _remove(new)
        try:
            new.mkdir(parents=True)
            if docs_dir.is_dir():
                shutil.copystat(docs_dir, new)
                _keep_unwritten(docs_dir, new, set(previous) | {MANIFEST}, set(files))
            changed = _write_generated(files, docs_dir, new, previous)
            manifest = _manifest_bytes(files)
            if previous_bytes(docs_dir / MANIFEST) == manifest:
                _copy_file(docs_dir / MANIFEST, new / MANIFEST)
            else:
                _write_file(new / MANIFEST, manifest)
            _swap(new, docs_dir, old)
        except BaseException:
            _remove(new)
            raise
    except OSError as exc:
        raise OutputError(_describe(exc, docs_dir)) from None
    if old.exists():
        _remove(old)
    return changed


def _write_file(path: Path, data: bytes) -> None:
    """Every file of the new docs/ is written here (tests make it fail on the k-th call)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)


def _unchanged(files: dict[str, str | bytes], docs_dir: Path, previous: list[str]) -> bool:
    """docs/ already holds exactly these generated files and this manifest."""
    if not docs_dir.is_dir() or set(previous) != set(files):
        return False
    if previous_bytes(docs_dir / MANIFEST) != _manifest_bytes(files):
        return False
    return all(previous_bytes(docs_dir / rel) == (c.encode("utf-8") if isinstance(c, str) else c)
               for rel, c in files.items())


def _manifest_bytes(files: dict[str, str | bytes]) -> bytes:
    return (json.dumps(sorted(files), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def previous_bytes(path: Path) -> bytes | None:
    """A file's bytes, or None when it cannot be read."""
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None


def _copy_file(src: Path, dst: Path) -> None:
    """A file the pipeline did not write, carried over into the new docs/."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    if src.is_symlink():
        os.symlink(os.readlink(src), dst)
        return
    try:
        os.link(src, dst)  # the old folder goes away: sharing the file is safe and fast
    except OSError:
        shutil.copy2(src, dst)


def _manifest(docs_dir: Path) -> list[str]:
    path = docs_dir / MANIFEST
    if not path.is_file():
        return []
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [p for p in old if isinstance(p, str)] if isinstance(old, list) else []


def _keep_unwritten(docs_dir: Path, new: Path, pipeline_wrote: set[str], generated: set[str]) -> None:
    """Copy every file of docs/ that the pipeline did not write (and will not write now)."""
    for dirpath, dirnames, filenames in os.walk(docs_dir):
        here = Path(dirpath)
        rel_dir = here.relative_to(docs_dir)
        (new / rel_dir).mkdir(parents=True, exist_ok=True)
        for name in dirnames:
            if (here / name).is_symlink():  # os.walk does not descend into it: keep the link
                rel = (rel_dir / name).as_posix()
                _copy_file(here / name, new / rel)
        for name in filenames:
            rel = (rel_dir / name).as_posix()
            if rel in pipeline_wrote or rel in generated:
                continue
            _copy_file(here / name, new / rel)


def _write_generated(files: dict[str, str | bytes], docs_dir: Path, new: Path,
                     previous: list[str]) -> list[str]:
    changed = sorted(set(previous) - set(files))
    for rel, content in sorted(files.items()):
        data = content.encode("utf-8") if isinstance(content, str) else content
        before = docs_dir / rel
        try:
            same = before.is_file() and before.stat().st_size == len(data) and before.read_bytes() == data
        except OSError:
            same = False
        if same:
            # The very file (same inode and time) goes on: a watcher of docs/ sees no change.
            _copy_file(before, new / rel)
        else:
            changed.append(rel)
            _write_file(new / rel, data)
    return sorted(changed)


# --------------------------------------------------------------------------- the swap


def _swap(new: Path, docs_dir: Path, old: Path) -> None:
    """new becomes docs_dir; the previous docs_dir (if any) ends up at old."""
    if not docs_dir.exists():
        os.rename(new, docs_dir)
        return
    if _exchange(new, docs_dir):
        os.rename(new, old)  # new now holds the previous docs/
        return
    os.rename(docs_dir, old)
    try:
        os.rename(new, docs_dir)
    except BaseException:
        os.rename(old, docs_dir)
        raise


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where that is not available."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    try:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _recover(docs_dir: Path, old: Path) -> None:
    """A build that died between the two renames left docs/ at old: put it back."""
    if old.exists() and not docs_dir.exists():
        os.rename(old, docs_dir)
    elif old.exists() or old.is_symlink():
        _remove(old)  # what an earlier build could not delete


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)


def _describe(exc: OSError, docs_dir: Path) -> str:
    where = Path(os.fsdecode(exc.filename)) if isinstance(exc.filename, str | bytes) else docs_dir
    new = docs_dir.parent / _NEW.format(docs_dir.name)
    if where.is_relative_to(new):  # name the file as it would have been in docs/
        where = docs_dir / where.relative_to(new)
    reason = exc.strerror or str(exc)
    return f"{where}: error: cannot write the site's Markdown ({reason}); {docs_dir}/ left as it was"
