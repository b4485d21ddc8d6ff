"""Parallel per-note stages: same results, same order, same warnings as one process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import ROOT, notes_with
from llmkb.diagnostics import Reporter
from llmkb.pipeline import Settings, build_kb
from llmkb.render import render_site
from llmkb.workers import AUTO_MIN_ITEMS, Background, ordered_map, resolve_jobs

UNSEEN = ROOT / "tests" / "fixtures" / "unseen"


def test_ordered_map_keeps_input_order_across_processes() -> None:
    offset = 7  # a closure: workers inherit the job instead of pickling it

    def job(n: int) -> tuple[int, int]:
        return n + offset, os.getpid()

    results = list(ordered_map(job, list(range(200)), jobs=2))
    assert [r[0] for r in results] == [n + 7 for n in range(200)]
    assert {r[1] for r in results} - {os.getpid()}, "no item ran in a worker process"


def test_ordered_map_runs_small_inputs_in_process() -> None:
    assert resolve_jobs(0, AUTO_MIN_ITEMS - 1) == 1
    assert resolve_jobs(3, 1) == 3
    pids = {pid for _, pid in ordered_map(lambda n: (n, os.getpid()), [1, 2, 3])}
    assert pids == {os.getpid()}


def test_worker_errors_reach_the_caller() -> None:
    def job(n: int) -> int:
        if n == 5:
            raise ValueError("five")
        return n

    with pytest.raises(ValueError, match="five"):
        list(ordered_map(job, list(range(10)), jobs=2))


def test_background_job_runs_in_a_worker_while_the_caller_goes_on() -> None:
    state = {"n": 1}
    job = Background(lambda: (state["n"], os.getpid()), jobs=2)
    state["n"] = 2  # the worker was forked before: it sees the state the job started from
    value, pid = job.result()
    assert value == 1
    assert pid != os.getpid()
    assert job.result() == (1, pid)  # asked again: the same result, no second run


def test_background_job_runs_at_once_in_process_for_small_inputs() -> None:
    state = {"n": 1}
    job = Background(lambda: (state["n"], os.getpid()), n_items=AUTO_MIN_ITEMS - 1)
    state["n"] = 2
    assert job.result() == (1, os.getpid())


def test_background_job_errors_reach_the_caller() -> None:
    def job() -> int:
        raise ValueError("background")

    with pytest.raises(ValueError, match="background"):
        Background(job, jobs=2).result()


def _build(notes: Path, jobs: int) -> tuple[dict[str, str | bytes], list]:
    settings = Settings(notes_dir=notes, docs_dir=notes.parent / "docs", project_root=notes.parent,
                        jobs=jobs)
    reporter = Reporter()
    kb = build_kb(settings, reporter)
    return render_site(kb, settings.notes_dir), reporter.items


def test_parallel_build_is_identical_to_serial(tmp_path: Path) -> None:
    notes = notes_with(tmp_path, UNSEEN)
    serial_files, serial_warnings = _build(notes, jobs=1)
    parallel_files, parallel_warnings = _build(notes, jobs=2)
    assert sorted(parallel_files) == sorted(serial_files)
    changed = [p for p in serial_files if parallel_files[p] != serial_files[p]]
    assert not changed
    assert parallel_warnings == serial_warnings
    assert serial_warnings, "the fixture notes should produce some warnings to compare"
