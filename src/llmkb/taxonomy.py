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
from .models.taxonomy import OTHER_TOPIC, REQUIRED_TOPICS, Node, Taxonomy

DEFAULT_TAXONOMY = Path(str(resources.files("llmkb") / "data" / "taxonomy.yaml"))
_ID = re.compile(r"^[a-z0-9][a-z0-9\-]*$")
# Names of generated pages and folders: no node may take them.
RESERVED_IDS = {"index", "sources", "coverage", "glossary", "timeline", "tags", "assets", "includes",
                "report", OTHER_TOPIC}
_NODE_KEYS = {"aliases", "weak_aliases", "keywords", "children", "description", "subject"}


def _check_id(path: Path | str, obj: LineDict, value: str, what: str) -> None:
    if not _ID.match(value):
        raise ConfigError(path, obj.line, f"{what}: id {value!r} must be lowercase letters, "
                          "digits and hyphens")


def load_taxonomy(path: str | Path = DEFAULT_TAXONOMY) -> Taxonomy:
    """The topic tree of ``path``; a mistake is a ConfigError naming file and line."""
    data = require_mapping(path, load_yaml(path), "taxonomy file")
    check_keys(path, data, "taxonomy file", {"topics"}, {"version", "generic_words", "meta_words", "facet_words"})
    seen: set[str] = set()
    roots = tuple(_node(path, raw, None, 0, seen, line_of(data["topics"], data.line))
                  for raw in require_list(path, data["topics"], "'topics'", data.line))
    if not roots:
        raise ConfigError(path, data.line, "taxonomy needs at least one topic")
    top = {n.id for n in roots}
    for required in REQUIRED_TOPICS:
        if required not in top:
            raise ConfigError(path, data.line, f"taxonomy must keep the {required!r} topic at its top level")
    generic = tuple(sorted(str_list(path, data, "generic_words", "taxonomy file"), key=lambda w: (-len(w), w)))
    meta = tuple(str_list(path, data, "meta_words", "taxonomy file"))
    facets = tuple(str_list(path, data, "facet_words", "taxonomy file"))
    return Taxonomy(roots, generic, meta, facets)


def _node(path: str | Path, raw: object, parent: str | None, depth: int, seen: set[str],
          parent_line: int) -> Node:
    raw = require_mapping(path, raw, "each topic", parent_line)
    check_keys(path, raw, "topic", {"id", "title"} | ({"description"} if depth == 0 else set()), _NODE_KEYS)
    nid = require_str(path, raw, "id", "topic")
    what = f"topic {nid!r}"
    _check_id(path, raw, nid, what)
    if nid in seen:
        raise ConfigError(path, raw.line, f"{what}: duplicate id (ids are unique over the whole tree)")
    if nid in RESERVED_IDS:
        raise ConfigError(path, raw.line, f"{what}: the id {nid!r} is taken by a generated page")
    seen.add(nid)
    description = raw.get("description", "")
    if not isinstance(description, str):
        raise ConfigError(path, raw.line, f"{what}: 'description' must be a string")
    subject = raw.get("subject", True)
    if not isinstance(subject, bool):
        raise ConfigError(path, raw.line, f"{what}: 'subject' must be true or false")
    children = tuple(_node(path, c, nid, depth + 1, seen, raw.line)
                     for c in require_list(path, raw.get("children", []), f"{what} children", raw.line))
    return Node(
        id=nid,
        title=require_str(path, raw, "title", what),
        description=description.strip(),
        aliases=tuple(str_list(path, raw, "aliases", what)),
        weak_aliases=tuple(str_list(path, raw, "weak_aliases", what)),
        keywords=tuple(str_list(path, raw, "keywords", what)),
        children=children,
        parent=parent,
        depth=depth,
        subject=subject,
    )
