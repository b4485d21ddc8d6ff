"""The package's shape: stages meet only through plain data, one way.

Walks src/llmkb with ``ast``: no module imports one of the package's own modules inside a
function (the usual way to dodge a cycle), the import graph has no cycle, extract never
imports render and render never imports extract, every stage-crossing type lives in
``llmkb.models``, and no module edits jieba's global dictionary.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from llmkb.models import CODE_RULES

SRC = Path(__file__).resolve().parent.parent / "src" / "llmkb"


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def resolve(module: str, node: ast.ImportFrom | ast.Import) -> list[str]:
    """The package modules an import statement imports (a package's submodules included)."""
    is_package = MODULES[module].name == "__init__.py"
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.split(".")[0] == "llmkb"]
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    if target.split(".")[0] != "llmkb":
        return []
    found = [target] if target in MODULES else []
    found += [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in MODULES]
    return found or [target]


def imports(module: str) -> list[tuple[str, int, bool]]:
    """(imported module, line, at module level?) for each import of the package's own modules."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    top = {id(n) for n in tree.body}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            out += [(target, node.lineno, id(node) in top) for target in resolve(module, node)]
    return out


GRAPH = {m: sorted({t for t, _, _ in imports(m) if t in MODULES and t != m}) for m in MODULES}


def test_the_walk_sees_the_stages() -> None:
    for stage in ("llmkb.ingest", "llmkb.structure", "llmkb.normalize", "llmkb.classify", "llmkb.align",
                  "llmkb.dedup", "llmkb.extract", "llmkb.render", "llmkb.models", "llmkb.pipeline"):
        assert stage in MODULES, stage
    assert "llmkb.models" in GRAPH["llmkb.classify"]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_function_level_imports_of_own_modules(module: str) -> None:
    inner = [(target, line) for target, line, top in imports(module) if not top]
    assert not inner, f"{module} imports its own package inside a function: {inner}"


def test_no_import_cycles() -> None:
    state: dict[str, int] = {}  # 1 = on the path, 2 = done
    path: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        path.append(m)
        for t in GRAPH[m]:
            if state.get(t) == 1:
                return [*path[path.index(t):], t]
            if t not in state and (cycle := visit(t)):
                return cycle
        path.pop()
        state[m] = 2
        return None

    for m in sorted(GRAPH):
        if m not in state and (cycle := visit(m)):
            pytest.fail("import cycle: " + " → ".join(cycle))


def _in(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


@pytest.mark.parametrize(("importer", "forbidden"), [
    ("llmkb.extract", "llmkb.render"),
    ("llmkb.render", "llmkb.extract"),
    ("llmkb.models", "llmkb.pipeline"),
])
def test_stage_boundaries(importer: str, forbidden: str) -> None:
    bad = [(m, t) for m in MODULES if _in(m, importer) for t in GRAPH[m] if _in(t, forbidden)]
    assert not bad, bad


def test_stage_crossing_types_live_in_models() -> None:
    """The types the stages hand each other are defined in llmkb.models and nowhere else."""
    crossing = {"Span", "Block", "Section", "NoteDoc", "NoteText", "Placement", "Unit", "Entry", "NodeContent",
                "MergeRecord", "DedupStats", "Deduplicated", "KnowledgeBase", "Sentence", "Place", "Evidence",
                "Fact", "Row", "Cell", "Catalog", "Term", "Event", "Extraction", "Node", "Taxonomy", "Layout", "Page",
                "PageItem"}
    defined: dict[str, list[str]] = {}
    for module, path in MODULES.items():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and node.name in crossing:
                defined.setdefault(node.name, []).append(module)
    assert set(defined) == crossing
    assert {n: ms for n, ms in defined.items() if any(not _in(m, "llmkb.models") for m in ms)} == {}


def test_nothing_edits_jiebas_global_dictionary() -> None:
    calls = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "jieba" \
                    and node.attr in ("add_word", "load_userdict", "del_word", "suggest_freq", "lcut", "cut",
                                      "get_FREQ", "initialize"):
                calls.append(f"{module}:{node.lineno} jieba.{node.attr}")
    assert calls == []


def _removal_rule_names() -> set[str]:
    """Rule names the code removes lines with: string arguments of ``remove(…)``,
    ``Removal(…)``, ``LineRemoval(…)``, ``RuleHit(…)`` and constants named ``…_RULE``."""
    names: set[str] = set()
    for path in MODULES.values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if called in ("remove", "Removal", "LineRemoval", "RuleHit"):
                    names.update(a.value for a in node.args if isinstance(a, ast.Constant)
                                 and isinstance(a.value, str) and re.fullmatch(r"[a-z]+(-[a-z]+)+", a.value))
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) \
                    and isinstance(node.value.value, str) \
                    and any(isinstance(t, ast.Name) and t.id.endswith("_RULE") for t in node.targets):
                names.add(node.value.value)
    return names


def test_every_removal_rule_in_code_is_registered() -> None:
    # The coverage page describes each rule that removed a line: the code's own rules are
    # registered in models.CODE_RULES (the rule file's describe themselves).
    found = _removal_rule_names()
    assert {"figure-caption", "self-toc", "image-dropped", "dangling-figure-ref"} <= found
    assert found - set(CODE_RULES) == set()
