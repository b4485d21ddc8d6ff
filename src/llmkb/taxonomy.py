"""The topic taxonomy (``data/taxonomy.yaml``): loading and validation."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from .datafile import (
    ConfigError,
    LineDict,
    check_keys,
    line_of,
    load_yaml,
    require_list,
    require_mapping,
    require_str,
    str_list,
)
from .models.taxonomy import CATALOG_TOPIC, Subtopic, Taxonomy, Topic

DEFAULT_TAXONOMY = Path(str(resources.files("llmkb") / "data" / "taxonomy.yaml"))
_ID = re.compile(r"^[a-z0-9][a-z0-9\-]*$")
# Reserved for generated pages.
RESERVED_SLUGS = {"index", "sources", "coverage", "glossary", "timeline", "tags"}


def _check_id(path: Path | str, obj: LineDict, value: str, what: str) -> None:
    if not _ID.match(value):
        raise ConfigError(path, obj.line, f"{what}: id {value!r} must be lowercase letters, "
                          "digits and hyphens")


def load_taxonomy(path: str | Path = DEFAULT_TAXONOMY) -> Taxonomy:
    data = require_mapping(path, load_yaml(path), "taxonomy file")
    check_keys(path, data, "taxonomy file", {"topics"}, {"version"})
    topics: list[Topic] = []
    ids: set[str] = set()
    slugs: set[str] = set()
    for raw in require_list(path, data["topics"], "'topics'", data.line):
        raw = require_mapping(path, raw, "each topic", line_of(data["topics"]))
        check_keys(path, raw, "topic", {"id", "title", "slug", "description"},
                   {"aliases", "keywords", "subtopics"})
        tid = require_str(path, raw, "id", "topic")
        what = f"topic {tid!r}"
        _check_id(path, raw, tid, what)
        slug = require_str(path, raw, "slug", what)
        _check_id(path, raw, slug, what + " slug")
        if tid in ids:
            raise ConfigError(path, raw.line, f"{what}: duplicate topic id")
        if slug in slugs or slug in RESERVED_SLUGS:
            raise ConfigError(path, raw.line, f"{what}: slug {slug!r} is taken")
        ids.add(tid)
        slugs.add(slug)
        subs: list[Subtopic] = []
        sub_ids: set[str] = set()
        for sraw in require_list(path, raw.get("subtopics", []), f"{what} subtopics", raw.line):
            sraw = require_mapping(path, sraw, f"{what}: each subtopic", raw.line)
            check_keys(path, sraw, f"{what} subtopic", {"id", "title"},
                       {"aliases", "weak_aliases", "keywords"})
            sid = require_str(path, sraw, "id", f"{what} subtopic")
            _check_id(path, sraw, sid, f"{what} subtopic")
            if sid in sub_ids or sid == slug:
                raise ConfigError(path, sraw.line, f"{what}: duplicate subtopic id {sid!r}")
            sub_ids.add(sid)
            swhat = f"subtopic {sid!r}"
            subs.append(Subtopic(
                id=sid,
                title=require_str(path, sraw, "title", swhat),
                aliases=tuple(str_list(path, sraw, "aliases", swhat)),
                keywords=tuple(str_list(path, sraw, "keywords", swhat)),
                weak_aliases=tuple(str_list(path, sraw, "weak_aliases", swhat)),
            ))
        topics.append(Topic(
            id=tid,
            title=require_str(path, raw, "title", what),
            slug=slug,
            description=require_str(path, raw, "description", what),
            aliases=tuple(str_list(path, raw, "aliases", what)),
            keywords=tuple(str_list(path, raw, "keywords", what)),
            subtopics=tuple(subs),
        ))
    if not topics:
        raise ConfigError(path, data.line, "taxonomy needs at least one topic")
    for required in ("definition", "history", "abilities", "characteristics", CATALOG_TOPIC):
        if required not in ids:
            raise ConfigError(path, data.line, f"taxonomy must keep the {required!r} topic")
    return Taxonomy(tuple(topics))
