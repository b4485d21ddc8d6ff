"""The extractors' data files: vocabulary hints (terms.yaml) and catalog corrections
(models_override.yaml). Mistakes are reported as ``path:line: what is wrong``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..datafile import (
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

DATA = Path(__file__).resolve().parent.parent / "data"
DEFAULT_TERMS = DATA / "terms.yaml"
DEFAULT_OVERRIDES = DATA / "models_override.yaml"
OVERRIDE_FIELDS = ("organization", "released", "params", "license", "context", "summary")


NOT_MODEL_KINDS = ("techniques", "frameworks", "datasets", "benchmarks", "hardware", "products", "words")


@dataclass
class Terms:
    organizations: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    not_models: dict[str, list[str]] = field(default_factory=dict)  # kind → names that are never rows
    # Names of one organization in two scripts or spellings ([Google, 谷歌]): one value of a cell.
    same_organizations: list[list[str]] = field(default_factory=list)

    def never_models(self) -> list[str]:
        return [n for names in self.not_models.values() for n in names]

    def proper_names(self) -> list[str]:
        """Names of things (frameworks, data sets, benchmarks, hardware, products): unlike a
        technique's name, never the English name of a Chinese term."""
        return [n for kind, names in self.not_models.items() if kind not in ("techniques", "words") for n in names]


@dataclass
class Override:
    model: str
    reason: str
    values: dict[str, str] = field(default_factory=dict)  # field → the cell's new text
    hide: bool = False
    path: str = ""
    line: int = 0


def load_terms(path: str | Path = DEFAULT_TERMS) -> Terms:
    data = load_yaml(path)
    if data is None:
        return Terms()
    doc = require_mapping(path, data, "terms file")
    check_keys(path, doc, "terms file", set(), {"organizations", "terms", "not_models"})
    not_models: dict[str, list[str]] = {}
    if doc.get("not_models") is not None:
        kinds = require_mapping(path, doc["not_models"], "not_models")
        check_keys(path, kinds, "not_models", set(), set(NOT_MODEL_KINDS))
        not_models = {kind: str_list(path, kinds, kind, "not_models") for kind in kinds}
    organizations, same = _organizations(path, doc)
    return Terms(organizations, str_list(path, doc, "terms", "terms file"), not_models, same)


def _organizations(path: str | Path, doc: LineDict) -> tuple[list[str], list[list[str]]]:
    """The organizations list: a name, or a list of one organization's names ([Google, 谷歌])."""
    items = doc.get("organizations") or []
    if isinstance(items, str):
        items = [items]
    if not isinstance(items, list):
        raise ConfigError(path, line_of(items, doc.line), "terms file: 'organizations' must be a list")
    names: list[str] = []
    same: list[list[str]] = []
    for item in items:
        group = item if isinstance(item, list) else [item]
        if not group or not all(isinstance(n, str) and n.strip() for n in group):
            raise ConfigError(path, line_of(item, line_of(items, doc.line)), "terms file: each of 'organizations' "
                              "must be a name or a list of one organization's names")
        names.extend(n.strip() for n in group)
        if len(group) > 1:
            same.append([n.strip() for n in group])
    return names, same


def load_overrides(path: str | Path = DEFAULT_OVERRIDES) -> list[Override]:
    data = load_yaml(path)
    if data is None:
        return []
    doc = require_mapping(path, data, "override file")
    check_keys(path, doc, "override file", set(), {"overrides"})
    items = doc.get("overrides") or []
    out: list[Override] = []
    for n, item in enumerate(require_list(path, items, "overrides", doc.line), 1):
        what = f"override #{n}"
        entry = require_mapping(path, item, what, line_of(items, doc.line))
        check_keys(path, entry, what, {"model", "reason"}, {"hide", *OVERRIDE_FIELDS})
        model = require_str(path, entry, "model", what).strip()
        reason = require_str(path, entry, "reason", what).strip()
        hide = entry.get("hide", False)
        if not isinstance(hide, bool):
            raise ConfigError(path, entry.line, f"{what}: 'hide' must be true or false")
        values = {}
        for key in OVERRIDE_FIELDS:
            if key in entry:
                value = entry[key]
                if isinstance(value, int | float) and not isinstance(value, bool):
                    value = str(value)
                if not isinstance(value, str) or not value.strip():
                    raise ConfigError(path, entry.line, f"{what}: {key!r} must be a non-empty string")
                values[key] = value.strip()
        if not values and not hide:
            raise ConfigError(path, entry.line,
                              f"{what}: sets nothing (give hide: true or one of "
                              f"{', '.join(OVERRIDE_FIELDS)})")
        out.append(Override(model, reason, values, hide, str(path), entry.line))
    return out
