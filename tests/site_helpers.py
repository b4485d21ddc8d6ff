"""Shared helpers for the site tests: build the MkDocs site once, drive Chromium offline.

Import what you need from a test module (``from site_helpers import built_site``);
the build is cached per test session, so every test module shares one ``site/``.

Environment:
  LLMKB_SITE_CONFIG  path to an alternative mkdocs.yml (default: the repo's). The
                     build runs in that file's directory, like ``mkdocs build`` would.
  CI                 when set, a missing Chromium fails the browser tests instead
                     of skipping them.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BUILD_TIMEOUT_S = 600


@dataclass
class BuiltSite:
    """Result of ``mkdocs build --strict``."""

    config: Path
    root: Path  # the site directory
    returncode: int
    log: str
    warnings: list[str] = field(default_factory=list)
    base_path: str = "/"  # URL path of site_url: what root-relative links start with

    def html_files(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))

    def css_files(self) -> list[Path]:
        return sorted(self.root.rglob("*.css"))


_CACHE: dict[Path, BuiltSite] = {}


def site_config() -> Path:
    return Path(os.environ.get("LLMKB_SITE_CONFIG", REPO_ROOT / "mkdocs.yml")).absolute()


def build_site(config: Path, dest: Path) -> BuiltSite:
    """Run ``mkdocs build --strict`` for ``config`` into ``dest`` and capture its log."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUTF8="1")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(dest)],
        cwd=config.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    log = proc.stdout + proc.stderr
    warnings = [line for line in log.splitlines() if line.startswith(("WARNING", "ERROR"))]
    base_path = urlsplit(env.get("LLMKB_SITE_URL", "")).path.rstrip("/") + "/"
    return BuiltSite(config, dest, proc.returncode, log, warnings, base_path)


# The hand-written folders of docs/assets that a build keeps (JS, CSS, vendored KaTeX).
HAND_WRITTEN_ASSETS = ("javascripts", "stylesheets", "vendor")
BUILD_ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUTF8="1")


def llmkb_command() -> list[str]:
    """The llmkb CLI of the running interpreter (its console script, else ``-m llmkb.cli``)."""
    script = Path(sys.executable).parent / "llmkb"
    return [str(script)] if script.exists() else [sys.executable, "-m", "llmkb.cli"]


def site_project(project: Path, notes: Path) -> Path:
    """A project to build a site in: the notes, the repository's mkdocs.yml, theme overrides and
    hand-written assets."""
    shutil.copytree(notes, project / "notes")
    shutil.copy2(REPO_ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(REPO_ROOT / "overrides", project / "overrides")
    for sub in HAND_WRITTEN_ASSETS:
        shutil.copytree(REPO_ROOT / "docs" / "assets" / sub, project / "docs" / "assets" / sub)
    return project


def run_llmkb(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``llmkb build`` (or another command) run in a project, its output captured."""
    return subprocess.run([*llmkb_command(), *args], cwd=project, env=BUILD_ENV, capture_output=True,
                          text=True, timeout=600, check=False)


def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The session's strict build of the site (built on first use, then cached)."""
    config = site_config()
    if config not in _CACHE:
        dest = tmp_path_factory.mktemp("built") / "site"
        _CACHE[config] = build_site(config, dest)
    site = _CACHE[config]
    if site.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed ({site.returncode}):\n{site.log[-6000:]}")
    return site


# --------------------------------------------------------------------------- links

_EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")  # any URL scheme


def is_external(url: str) -> bool:
    return bool(_EXTERNAL.match(url)) or url.startswith("//")


def resolve_internal(site_root: Path, page: Path, url: str, base_path: str = "/") -> tuple[Path, str]:
    """Map an internal URL found on ``page`` to (file in site, decoded fragment).

    Root-relative URLs (404.html uses them) start with ``base_path``, the path of
    ``site_url``; anything outside it cannot be a file of this site.
    """
    parts = urlsplit(url)
    path = unquote(parts.path)
    if path.startswith("/"):
        if path.startswith(base_path) or path + "/" == base_path:
            target = site_root / path[len(base_path) :]
        else:
            target = site_root.parent / "outside-site_url"
    elif path:
        target = page.parent / path
    else:
        target = page
    target = Path(os.path.normpath(target))
    if target.is_dir() or path.endswith("/"):
        target = target / "index.html"
    return target, unquote(parts.fragment)


# --------------------------------------------------------------------------- browser


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing (apt-get install -y chromium; .ci/run does this)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class OfflineBrowser:
    context: object  # playwright BrowserContext
    blocked: list[str]  # non-file:// requests that were attempted (and aborted)


@contextlib.contextmanager
def offline_chromium(timeout_ms: int = 30_000) -> Iterator[OfflineBrowser]:
    """Headless Debian Chromium, fresh profile, every non-file:// request aborted and recorded."""
    from playwright.sync_api import sync_playwright

    require_chromium()
    with sync_playwright() as pw, tempfile.TemporaryDirectory(prefix="llmkb-chromium-") as profile:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            offline=True,
            service_workers="block",
        )
        blocked: list[str] = []

        def gate(route):
            url = route.request.url
            if url.startswith(("file:", "data:", "blob:", "about:")):
                route.continue_()
            else:
                blocked.append(url)
                route.abort()

        context.route("**/*", gate)
        context.set_default_timeout(timeout_ms)
        context.set_default_navigation_timeout(timeout_ms)
        try:
            yield OfflineBrowser(context, blocked)
        finally:
            context.close()
