"""Loading the user-editable YAML data files with errors that name file and line.

Each data file (boilerplate rules, topic taxonomy, term overrides) is validated by
its own module; this one only gives them mappings that remember their line so a
mistake is reported as ``path:line: what is wrong``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml


class ConfigError(Exception):
    """A data file is invalid. str() is one line naming the file and line."""

    def __init__(self, path: str | Path, line: int, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        super().__init__(f"{self.path}:{line}: {message}" if line else f"{self.path}: {message}")


class LineDict(dict):
    """A mapping from YAML that knows the 1-based line it started on."""

    line: int = 0


class LineList(list):
    line: int = 0


class _LineLoader(yaml.SafeLoader):
    pass


# libyaml's parser, when PyYAML has it: the data files load several times faster. It builds
# the same nodes with the same marks; its error messages differ, so a file it rejects is read
# again by the Python loader, whose message names the problem.
_FastLineLoader: type[yaml.SafeLoader] | None = getattr(yaml, "CSafeLoader", None)
if _FastLineLoader is not None:
    _FastLineLoader = type("_FastLineLoader", (_FastLineLoader,), {})


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise ConfigError(loader.name, key_node.start_mark.line + 1, f"duplicate key {key!r}")
        result[key] = loader.construct_object(value_node, deep=True)
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    return result


for _loader in (_LineLoader, _FastLineLoader):
    if _loader is not None:
        _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
        _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(path: str | Path) -> Any:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, 0, f"cannot read: {exc}") from None
    if _FastLineLoader is not None:
        fast = _FastLineLoader(text)
        fast.name = str(path)
        try:
            return fast.get_single_data()
        except yaml.YAMLError:
            pass  # the Python loader below says what is wrong
        finally:
            fast.dispose()
    loader = _LineLoader(text)
    loader.name = str(path)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise ConfigError(path, line, f"invalid YAML: {exc.problem or exc.context}") from None
    finally:
        loader.dispose()


def line_of(obj: Any, default: int = 0) -> int:
    return getattr(obj, "line", default)


def require_mapping(path: str | Path, obj: Any, what: str, parent_line: int = 0) -> LineDict:
    if not isinstance(obj, dict):
        raise ConfigError(path, line_of(obj, parent_line), f"{what} must be a mapping")
    return obj  # type: ignore[return-value]


def require_list(path: str | Path, obj: Any, what: str, parent_line: int = 0) -> list:
    if not isinstance(obj, list):
        raise ConfigError(path, line_of(obj, parent_line), f"{what} must be a list")
    return obj


def check_keys(
    path: str | Path, obj: LineDict, what: str, required: set[str], optional: set[str]
) -> None:
    missing = sorted(required - obj.keys())
    if missing:
        raise ConfigError(path, obj.line, f"{what}: missing key(s) {', '.join(missing)}")
    unknown = sorted(set(obj) - required - optional)
    if unknown:
        allowed = ", ".join(sorted(required | optional))
        raise ConfigError(
            path, obj.line, f"{what}: unknown key(s) {', '.join(map(str, unknown))} "
            f"(allowed: {allowed})"
        )


def require_str(path: str | Path, obj: LineDict, key: str, what: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(path, obj.line, f"{what}: {key!r} must be a non-empty string")
    return value


def str_list(path: str | Path, obj: LineDict, key: str, what: str) -> list[str]:
    value = obj.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(
            path, line_of(value, obj.line), f"{what}: {key!r} must be a list of strings"
        )
    return list(value)


def compile_pattern(path: str | Path, line: int, what: str, pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ConfigError(path, line, f"{what}: invalid regular expression {pattern!r}: {exc}")\
            from None
