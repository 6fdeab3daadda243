"""The shape of the package: stages import one way, no cycles, small modules, one markdown importer."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "generator"
# What each stage may import besides itself (and the top-level `generator` package for __version__).
# diagnostics (the shape of a problem), packaged (where the packaged theme and guides are) and
# console (plural forms, colour) are leaves that every stage may use.
BASE = {"diagnostics", "packaged", "console"}
ALLOWED = {
    "diagnostics": set(),
    "packaged": set(),
    "console": set(),
    "content": BASE,
    "model": BASE | {"content"},
    "pipeline": BASE | {"content", "model"},
    "site": BASE | {"content", "model"},
    "output": BASE | {"content", "model", "pipeline", "site"},
    "build": BASE | {"content", "model", "pipeline", "site", "output"},
    "preview": BASE | {"content", "model", "pipeline", "site", "output", "build"},
    "editors": BASE | {"content", "model", "site"},
    "importer": BASE | {"content", "model", "site"},
    "completion": set(),
    "cli": BASE | {"content", "model", "pipeline", "site", "output", "build", "preview", "editors", "importer", "completion"},
    "__main__": {"cli"},
}


def _modules() -> dict[str, Path]:
    return {".".join(p.relative_to(REPO).with_suffix("").parts): p for p in PACKAGE.rglob("*.py")}


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_stages_import_one_way() -> None:
    modules = _modules()
    wrong = []
    for module, path in modules.items():
        stage = _stage(module)
        for target in _imports(path):
            if target in modules and _stage(target) not in (stage, "__init__") and _stage(target) not in ALLOWED.get(stage, set()):
                wrong.append(f"{module} imports {target}")
    assert wrong == []


def test_no_import_cycles() -> None:
    modules = _modules()
    graph = defaultdict(set)
    for module, path in modules.items():
        graph[module] = {t for t in _imports(path) if t in modules and t != module and not t.endswith("__init__")}
    state: dict[str, int] = {}
    cycles: list[str] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*trail[trail.index(nxt) :], nxt]) if nxt in trail else f"{node} -> {nxt}")
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_markdown_it_is_imported_in_one_module_only() -> None:
    users = sorted(m for m, p in _modules().items() if any(t == "markdown_it" or t.startswith("markdown_it.") for t in _imports(p)))
    assert users == ["generator.content.markdown"]
    native = sorted(m for m, p in _modules().items() if any(t.startswith("markdown_it_pyrs") for t in _imports(p)))
    assert native == ["generator.content.markdown"]


def test_pages_exist_only_through_the_registry_in_plan() -> None:
    """No planner registers itself on import: site/plan.py lists them, and nothing imports a module for its side effects."""
    for module, path in _modules().items():
        text = path.read_text(encoding="utf-8")
        assert "@planner" not in text and "@report_planner" not in text and "@template_globals" not in text, module
        assert "noqa: F401" not in text, module
    plan = (PACKAGE / "site/plan.py").read_text(encoding="utf-8")
    for name in ("REPORT_PLANNERS", "SITE_PLANNERS", "LATE_PLANNERS", "FILE_SET_PLANNERS", "GLOBALS"):
        assert f"\n{name}: " in plan


def test_modules_stay_small() -> None:
    """A module over 400 lines does more than one thing: split it."""
    sizes = {module: len(path.read_text(encoding="utf-8").splitlines()) for module, path in _modules().items()}
    assert {module: n for module, n in sizes.items() if n > 400} == {}
