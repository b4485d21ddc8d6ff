"""The plugin's options, as written under ``plugins: - llmkb:`` in mkdocs.yml.

Paths are relative to the folder of mkdocs.yml; data files left out are llmkb's own
(src/llmkb/data/). They mean what ``llmkb build``'s options of the same names mean.
"""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class LlmkbConfig(Config):
    enabled = c.Type(bool, default=True)
    notes = c.Type(str, default="notes")  # the folder of notes
    rules = c.Optional(c.Type(str))  # boilerplate rules (YAML)
    taxonomy = c.Optional(c.Type(str))  # topics (YAML)
    terms = c.Optional(c.Type(str))  # domain words and kinds of names (YAML)
    overrides = c.Optional(c.Type(str))  # catalog overrides (YAML)
    warnings = c.Optional(c.Type(str))  # expected kinds of warning to accept (YAML)
    accept = c.ListOfItems(c.Type(str), default=[])  # more kinds to accept
    keep_traditional = c.Type(bool, default=False)
    jobs = c.Type(int, default=0)  # worker processes for the per-note stages (0: decide)
    cache_dir = c.Type(str, default=".llmkb-cache")  # per-note results between builds
    cache = c.Type(bool, default=True)
    strict = c.Type(bool, default=False)  # fail the build on warnings that mean lost content
    split_search = c.Type(bool, default=True)  # search index in files a query loads as needed
