"""One-line problem reports that name the file (and line) and what was done.

Stages never raise on bad input; they report here and carry on, so one bad
note costs nothing but itself.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TextIO


@dataclass(frozen=True, order=True)
class Diagnostic:
    file: str
    line: int  # 0 when the problem concerns the whole file
    code: str  # short rule-like name, e.g. "image-missing"
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: warning: {self.message} [{self.code}]"


@dataclass
class Reporter:
    """Collects diagnostics; optionally echoes each one as it arrives."""

    stream: TextIO | None = None
    items: list[Diagnostic] = field(default_factory=list)
    _seen: set[Diagnostic] = field(default_factory=set, repr=False)

    def warn(self, file: str, line: int, code: str, message: str) -> None:
        # Messages must stay one line whatever the note contained.
        message = " ".join(message.split())
        diag = Diagnostic(file, line, code, message)
        if diag in self._seen:
            return
        self._seen.add(diag)
        self.items.append(diag)
        if self.stream is not None:
            print(diag, file=self.stream)

    def by_code(self, code: str) -> list[Diagnostic]:
        return [d for d in self.items if d.code == code]

    def __len__(self) -> int:
        return len(self.items)


def stderr_reporter() -> Reporter:
    return Reporter(stream=sys.stderr)
