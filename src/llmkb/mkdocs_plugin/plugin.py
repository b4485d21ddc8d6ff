"""llmkb inside MkDocs: ``mkdocs build``, ``serve`` and ``gh-deploy`` run the pipeline themselves.

One MkDocs event per job, each delegating to ``llmkb.pipeline`` — the code ``llmkb build``
runs, with the same build cache:

- ``on_config`` (before every build, ``serve``'s rebuilds included; ahead of the search
  plugin, which reads the jieba dictionary the pipeline writes): notes/ → docs/, skipped when
  docs/ is already what these notes, code and rules make; then the nav from docs/.nav.yml.
- ``on_post_build`` (after the search plugin writes ``search/search_index.json``, before
  the offline plugin copies it for ``file://``): split the search index so that a query
  fetches only what it needs (render/search_index.py).
- ``on_serve``: watch the notes folder and the data files; docs/ itself is watched only
  where people write (its folders without generated files), since the pipeline writes the
  rest during the build — watching it would rebuild once more after every change.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority

from ..datafile import ConfigError
from ..diagnostics import DEFAULT_WARNINGS, Reporter, check_acceptable, load_accepted, summary_lines
from ..extract.datafiles import DEFAULT_OVERRIDES, DEFAULT_TERMS
from ..ingest.boilerplate import DEFAULT_RULES
from ..output import MANIFEST, OutputError
from ..pipeline import NotesError, Settings, build, up_to_date
from ..render.report import REPORT_PAGE
from ..render.search_assets import SEARCH_DATA
from ..render.search_index import read_search_data, shard_search_index
from ..taxonomy import DEFAULT_TAXONOMY
from .config import LlmkbConfig

log = logging.getLogger("mkdocs.plugins.llmkb")
NAV_FILE = ".nav.yml"


class LlmkbPlugin(BasePlugin[LlmkbConfig]):
    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.accepted: frozenset[str] = frozenset()
        self.warnings_path: Path = DEFAULT_WARNINGS

    # Before the search plugin's on_config: it loads docs/assets/search/jieba_user_dict.txt.
    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        try:
            self.settings, self.accepted = self._settings(config)
            self._build(self.settings)
        except (ConfigError, NotesError, OutputError) as exc:
            raise PluginError(f"llmkb: {exc}") from None
        except OSError as exc:  # a note's image vanished mid-build, and the like
            raise PluginError(f"llmkb: {exc.filename}: error: {exc.strerror or exc}") from None
        # mkdocs.yml names no nav: the pipeline's page order is the site's.
        nav = Path(config.docs_dir) / NAV_FILE
        if config.nav is None and nav.is_file():
            config.nav = (yaml.safe_load(nav.read_text(encoding="utf-8")) or {}).get("nav")
        return config

    # After the search plugin (0) wrote the index, before the offline plugin (-100) copies it.
    @event_priority(-50)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled or not self.config.split_search:
            return
        site = Path(config.site_dir)
        summary = shard_search_index(site, read_search_data(site, SEARCH_DATA))
        if summary:
            log.info(f"llmkb: search index of {summary.docs} sections split: meta {summary.meta_bytes / 1e3:.0f} kB, "
                     f"{summary.gram_files} gram files {summary.gram_bytes / 1e3:.0f} kB, "
                     f"{summary.chunk_files} text files {summary.chunk_bytes / 1e3:.0f} kB")

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder) -> LiveReloadServer | None:
        if not self.config.enabled or self.settings is None:
            return server
        settings = self.settings
        # A note added, edited or removed rebuilds the site; so does a changed data file.
        server.watch(str(settings.notes_dir))
        data_files = [settings.rules_path, settings.taxonomy_path, settings.terms_path, settings.overrides_path,
                      self.warnings_path]
        for path in dict.fromkeys(data_files):
            if Path(path).exists():
                server.watch(str(path))
        # The pipeline writes docs/ during the build: watch only the folders people write.
        docs = Path(config.docs_dir)
        server.unwatch(str(docs))
        for folder in hand_written_folders(docs):
            server.watch(str(folder))
        return server

    # -- the pipeline --------------------------------------------------------------------

    def _settings(self, config: MkDocsConfig) -> tuple[Settings, frozenset[str]]:
        base = Path(config.config_file_path or ".").resolve().parent

        def path(value: str | None, default: Path) -> Path:
            return default if value is None else base / value

        self.warnings_path = path(self.config.warnings, DEFAULT_WARNINGS)
        accepted = frozenset([*load_accepted(self.warnings_path),
                              *(check_acceptable(k, "mkdocs.yml: plugins: llmkb: accept") for k in self.config.accept)])
        settings = Settings(
            notes_dir=base / self.config.notes, docs_dir=Path(config.docs_dir), project_root=base,
            rules_path=path(self.config.rules, DEFAULT_RULES),
            taxonomy_path=path(self.config.taxonomy, DEFAULT_TAXONOMY),
            terms_path=path(self.config.terms, DEFAULT_TERMS),
            overrides_path=path(self.config.overrides, DEFAULT_OVERRIDES),
            simplify=not self.config.keep_traditional, jobs=self.config.jobs,
            cache_dir=base / self.config.cache_dir if self.config.cache else None)
        return settings, accepted

    def _build(self, settings: Settings) -> None:
        # `llmkb build` (or the previous serve rebuild) may have made docs/ from these very inputs.
        if up_to_date(settings, self.accepted):
            log.info(f"llmkb: {settings.docs_dir.name}/ is up to date with {settings.notes_dir.name}/")
            return
        reporter = Reporter()
        built = build(settings, reporter, None, self.accepted)
        for line in summary_lines(reporter.items, self.accepted, report=str(settings.docs_dir / REPORT_PAGE)):
            log.info(line)
        timings = built.timings
        log.info(f"llmkb: {len(built.kb.docs)} notes → {len(built.changed)} changed file(s) in "
                 f"{settings.docs_dir.name}/ in {sum(timings.values()):.1f}s")
        content = reporter.content()
        if self.config.strict and content:
            kinds = ", ".join(sorted({d.code for d in content}))
            raise PluginError(f"llmkb: strict: {len(content)} warning(s) mean lost or broken content ({kinds})")


def hand_written_folders(docs: Path) -> list[Path]:
    """The largest folders of docs/ that hold no file the pipeline wrote (assets/javascripts, …)."""
    try:
        generated = set(json.loads((docs / MANIFEST).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return []
    holding = {Path(rel).parent for rel in generated}
    holding |= {p for rel in holding for p in rel.parents}  # every ancestor holds them too
    out = []

    def visit(folder: Path) -> None:
        rel = folder.relative_to(docs)
        if rel not in holding:
            out.append(folder)
            return
        for child in sorted(folder.iterdir()):
            if child.is_dir() and not child.is_symlink() and not child.name.startswith("."):
                visit(child)

    if docs.is_dir():
        for child in sorted(docs.iterdir()):
            if child.is_dir() and not child.is_symlink() and not child.name.startswith("."):
                visit(child)
    return out
