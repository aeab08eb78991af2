"""The package's layers, read from its import statements (every one, lazy ones included):
the model never reaches the workbook, openpyxl and xlwings stay in their one module each, and
no module imports itself through others."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import cmo_xl

PACKAGE = Path(cmo_xl.__file__).parent


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str) -> set[str]:
    """Every module ``name`` imports: ``from a.b import c`` counts as ``a.b.c`` when that is a
    module of the package, else as ``a.b``."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in MODULES else base)
    return found


GRAPH = {name: imports_of(name) for name in MODULES}


def importers_of(prefix: str) -> list[str]:
    return sorted(
        name
        for name, imported in GRAPH.items()
        if any(m == prefix or m.startswith(prefix + ".") for m in imported)
    )


def test_the_model_never_imports_the_workbook() -> None:
    model = [name for name in GRAPH if name.startswith("cmo_xl.model")]
    assert len(model) > 5
    offenders = {
        name: sorted(m for m in GRAPH[name] if m.startswith("cmo_xl.workbook")) for name in model
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_openpyxl_only_where_files_are_rendered_and_read() -> None:
    assert importers_of("openpyxl") == ["cmo_xl.roundtrip.book", "cmo_xl.workbook.render"]


def test_xlwings_only_in_the_udfs() -> None:
    assert importers_of("xlwings") == ["cmo_xl.udfs"]


def test_no_import_cycles() -> None:
    internal = {name: {m for m in GRAPH[name] if m in GRAPH and m != name} for name in GRAPH}
    cycles = []

    def visit(name: str, path: list[str]) -> None:
        for nxt in sorted(internal[name]):
            if nxt in path:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in done:
                visit(nxt, [*path, nxt])
        done.add(name)

    done: set[str] = set()
    for name in sorted(internal):
        if name not in done:
            visit(name, [name])
    assert cycles == []


def test_planning_loads_neither_openpyxl_nor_xlwings() -> None:
    """Not only the statements: a whole plan, --udfs included, runs without either library."""
    code = (
        "import json, sys\n"
        "from cmo_xl.model.templates import load_template\n"
        "from cmo_xl.workbook.plan import plan_workbook\n"
        "import cmo_xl.cli, cmo_xl.workbook.publish, cmo_xl.udf_args\n"
        "plan_workbook(load_template(), udfs=True)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('openpyxl', 'xlwings'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == []


def test_only_the_engine_the_resolver_and_the_udfs_use_the_growth_math() -> None:
    """Every other module looks the engine's numbers up instead of computing its own. The
    engine's ``outcomes`` computes each scenario, its ``sensitivity`` the what-ifs and its
    ``reconcile`` the model's number for each reported figure; the
    resolver's ``scenarios`` adds a shift to the value it shifts, its ``members`` takes a
    residual's share from its siblings', as a spreadsheet adds and subtracts, and ``members``
    and ``anchors`` derive a share, a CAGR or the base value from stated values."""
    assert importers_of("cmo_xl.model.growth") == [
        "cmo_xl.model.compute.engine",
        "cmo_xl.model.compute.outcomes",
        "cmo_xl.model.compute.reconcile",
        "cmo_xl.model.compute.sensitivity",
        "cmo_xl.model.resolution.anchors",
        "cmo_xl.model.resolution.members",
        "cmo_xl.model.resolution.resolve",
        "cmo_xl.model.resolution.scenarios",
        "cmo_xl.udfs",
    ]


#: The model's layers, in the order they may import: each reads only those before it (and the
#: growth math, a leaf). ``load``, ``templates`` and ``scenario_links``, at the package's top,
#: read them all.
LAYERS = ("spec", "resolution", "compute", "validation")


def test_the_model_reads_in_layers() -> None:
    def layer(name: str) -> int | None:
        parts = name.split(".")
        if parts[:2] != ["cmo_xl", "model"] or len(parts) < 4:
            return None
        return LAYERS.index(parts[2]) if parts[2] in LAYERS else None

    placed = {name: layer(name) for name in GRAPH}
    assert {LAYERS[k] for k in placed.values() if k is not None} == set(LAYERS)
    upward = {
        name: sorted(m for m in GRAPH[name] if (k := layer(m)) is not None and k > placed[name])
        for name in GRAPH
        if placed[name] is not None
    }
    assert {k: v for k, v in upward.items() if v} == {}
    # the top of the package is only the entry points and the growth math
    top = sorted(
        n.rpartition(".")[2] for n in GRAPH if n.count(".") == 2 and n.startswith("cmo_xl.model.")
    )
    assert top == sorted(["growth", "load", "scenario_links", "templates", *LAYERS])
