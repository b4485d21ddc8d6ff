"""A tool's manners: a progress bar that names the stages, a set-up that says what it does,
``make serve`` that installs only what serving needs, says its address and says in one line
when its port is busy."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from rich.console import Console

from llmkb.cli import StageProgress
from llmkb.pipeline import STAGES

ROOT = Path(__file__).resolve().parent.parent
LLMKB = [sys.executable, "-m", "llmkb.cli"]


# --------------------------------------------------------------------------- progress


def _console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=True, width=100, color_system=None), out


def test_the_progress_bar_names_each_stage() -> None:
    console, out = _console()
    with StageProgress(console, delay=0) as progress:
        time.sleep(0.1)  # the bar appears from its timer
        for name in STAGES:
            progress.stage(name)
            if name == "ingest+structure+normalize":
                for done in range(1, 4):
                    progress.advance(done, 3)
            progress.progress.refresh()
    shown = out.getvalue()
    for i, name in enumerate(STAGES, 1):
        assert f"[{i}/{len(STAGES)}] {name}" in shown, name
    assert "3/3 notes" in shown


def test_a_quick_run_shows_no_progress_bar() -> None:
    console, out = _console()
    with StageProgress(console, delay=5) as progress:
        for name in STAGES:
            progress.stage(name)
    assert out.getvalue() == ""


def test_a_build_on_a_terminal_shows_its_stages(tmp_path: Path) -> None:
    """Through a pseudo-terminal, as a person sees it (the delay set to nothing)."""
    shutil.copytree(ROOT / "notes", tmp_path / "notes")
    main, secondary = pty.openpty()
    env = dict(os.environ, LLMKB_PROGRESS_DELAY="0", COLUMNS="120", TERM="xterm")
    proc = subprocess.Popen([*LLMKB, "build", "--notes", "notes", "--docs", "docs"], cwd=tmp_path, env=env,
                            stdin=secondary, stdout=secondary, stderr=secondary, close_fds=True)
    os.close(secondary)
    seen = b""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 1)
        if ready:
            try:
                chunk = os.read(main, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    proc.wait(timeout=60)
    os.close(main)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", seen.decode("utf-8", "replace"))
    assert proc.returncode == 0, text[-2000:]
    for name in ("ingest+structure+normalize", "classify", "dedup", "extract", "render", "write docs"):
        assert name in text, name
    assert "llmkb: 5 notes → " in text


# --------------------------------------------------------------------------- serving


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_says_its_address_and_serves(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>大语言模型知识库</p>\n", encoding="utf-8")
    port = _free_port()
    proc = subprocess.Popen([*LLMKB, "serve", "--site", str(site), "--port", str(port)], stderr=subprocess.PIPE,
                            text=True)
    try:
        line = proc.stderr.readline()
        assert line.strip() == f"llmkb: serving {site}/ at http://127.0.0.1:{port}/ (Ctrl+C stops)"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert "大语言模型知识库" in response.read().decode("utf-8")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_busy_port_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("x", encoding="utf-8")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        for args in (["--check"], ["--site", str(tmp_path / "site")]):
            result = subprocess.run([*LLMKB, "serve", "--port", str(port), *args], capture_output=True, text=True,
                                    timeout=30)
            assert result.returncode == 2
            assert result.stderr.strip() == (
                f"llmkb serve: port {port} on 127.0.0.1 is busy (another program is listening there); "
                f"stop it or choose another port: make serve PORT={port + 1}")


def test_serve_without_a_site_says_so(tmp_path: Path) -> None:
    result = subprocess.run([*LLMKB, "serve", "--site", str(tmp_path / "site"), "--port", str(_free_port())],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr.strip() == f"{tmp_path / 'site'}: error: no built site here (index.html is missing); " \
                                    "run make site first"


# --------------------------------------------------------------------------- the Makefile

needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _dry_run(target: str, tmp_path: Path, *extra: str) -> str:
    """What ``make TARGET`` would run on a machine without the virtual environment."""
    result = subprocess.run(["make", "-n", target, f"VENV={tmp_path / 'venv'}", *extra], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


@needs_make
def test_make_serve_installs_only_what_serving_needs(tmp_path: Path) -> None:
    for target in ("serve", "site"):
        commands = _dry_run(target, tmp_path)
        installs = [line for line in commands.splitlines() if "pip install" in line and not line.startswith("echo")]
        assert installs and all(line.rstrip().endswith(" -e .") for line in installs), installs
        assert "[test]" not in "\n".join(installs)
    commands = _dry_run("test", tmp_path)
    assert re.search(r"pip install .* -e '\.\[test\]'", commands)


@needs_make
def test_make_says_what_it_is_doing_and_serve_takes_a_port(tmp_path: Path) -> None:
    commands = _dry_run("serve", tmp_path, "PORT=8123")
    for said in ("creating the virtual environment", "installing llmkb", "notes/ -> docs/ -> http://127.0.0.1:8123/"):
        assert said in commands, said
    assert "llmkb serve --check --host 127.0.0.1 --port 8123" in commands
    # mkdocs serve runs the pipeline through the llmkb plugin and rebuilds when a note changes
    assert "mkdocs serve --dev-addr 127.0.0.1:8123" in commands
    assert commands.index("serve --check") < commands.index("mkdocs serve")


@needs_make
def test_make_serve_on_a_busy_port_stops_before_building(tmp_path: Path) -> None:
    stamp = ROOT / ".venv" / ".llmkb-installed"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        # -o: take the installed virtual environment as it is (no pip run in a test).
        result = subprocess.run(["make", "--no-print-directory", "-o", str(stamp.relative_to(ROOT)), "serve",
                                 f"PORT={port}", f"BIN={Path(sys.executable).parent}"],
                                cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    ours = [line for line in result.stderr.splitlines() if not re.match(r"make(\[\d+\])?: ", line)]
    assert ours == [f"llmkb serve: port {port} on 127.0.0.1 is busy (another program is listening there); "
                    f"stop it or choose another port: make serve PORT={port + 1}"]
    assert "notes/ -> docs/" not in result.stdout
