"""What the benchmark scripts share: running a command while sampling its memory."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path


class MemorySampler(threading.Thread):
    """Samples the summed PSS of a process and its descendants every 50 ms; keeps the peak.

    PSS, not RSS: forked workers share the main process's pages, which RSS would count twice.
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_mb = 0.0
        self._done = threading.Event()

    def stop(self) -> None:
        self._done.set()
        self.join()

    def run(self) -> None:
        while not self._done.wait(0.05):
            total_kb = sum(pss_kb(pid) for pid in process_tree(self.pid))
            self.peak_mb = max(self.peak_mb, total_kb / 1024)


def process_tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return out


def pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


@dataclass
class Run:
    returncode: int
    seconds: float
    peak_mb: float
    stdout: str
    stderr: str


def timed_run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run a command to completion: exit code, wall seconds, peak memory (PSS) and output."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})
    sampler = MemorySampler(proc.pid)
    sampler.start()
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - started
    sampler.stop()
    return Run(proc.returncode, seconds, sampler.peak_mb, stdout, stderr)
