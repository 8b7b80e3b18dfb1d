"""The package's layers, read from the imports (ast; nothing is imported).

The lower layers (the records, the data they are read from, their checks and the figures
computed from them) never import the higher ones (pages, the site, the build, the commands),
so that each can be read, tested and reused without what comes after it; and no module imports
itself through others, at the top of a file or inside a function (a cycle only a late import
keeps apart is still one).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "generator"

# generator.<part>: the records and what reads, checks and computes them
LOWER = {
    "defaults", "diagnostics", "fields", "gitrun", "kinds", "messages", "models", "project",
    "texts", "values", "markdown_safe", "load", "validate", "compute",
}  # fmt: skip
HIGHER = {"render", "publish", "build", "cli", "pipeline"}


def module_name(path: Path) -> str:
    parts = ("generator", *path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported(path: Path) -> set[str]:
    """The generator modules a file imports, anywhere in it (type-checking imports too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "generator"}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] != "generator":
                continue
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names} & MODULES.keys()
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}: a relative import (the package imports by name)")
    return found


# "from generator import fields" reads generator.fields, not the package (its __init__ is a docstring)
GRAPH = {
    name: imported(path) & MODULES.keys() - {name, "generator"} for name, path in MODULES.items()
}


def part(module: str) -> str:
    return module.split(".")[1] if "." in module else ""


APPLICATIONS = {"brief", "entry", "form", "library", "report", "__main__"}  # beside the build


def test_every_module_is_in_a_layer_and_its_imports_are_read():
    unplaced = {part(m) for m in MODULES} - {""} - LOWER - HIGHER - APPLICATIONS
    assert not unplaced, f"generator.{unplaced.pop()}: put it in a layer (tests/test_layers.py)"
    # imports at the top, inside functions and under TYPE_CHECKING are all read
    assert "generator.build.checked" in GRAPH["generator.pipeline"]
    assert "generator.publish.site" in GRAPH["generator.pipeline"]  # imported when needed
    assert "generator.project" in GRAPH["generator.report.importing"]  # for a type only


@pytest.mark.parametrize("module", sorted(m for m in MODULES if part(m) in LOWER))
def test_lower_layers_do_not_import_higher_ones(module):
    higher = sorted(m for m in GRAPH[module] if part(m) not in LOWER)
    assert not higher, f"{module} imports {', '.join(higher)}"


def test_no_module_imports_itself_through_others():
    cycles = []
    for start in sorted(GRAPH):
        path = _path_back(start)
        if path and min(path) == start:  # each cycle once, from its first module
            cycles.append(" -> ".join([*path, start]))
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def _path_back(start: str) -> list[str] | None:
    """A chain of imports from ``start`` back to it, if any (depth first)."""
    seen: set[str] = set()
    trail: list[str] = []

    def walk(module: str) -> bool:
        trail.append(module)
        for nxt in sorted(GRAPH[module]):
            if nxt == start or (nxt not in seen and (seen.add(nxt) or walk(nxt))):
                return True
        trail.pop()
        return False

    return trail if walk(start) else None
