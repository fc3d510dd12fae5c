"""The package's shape: the engine imports nothing above it, no module imports itself in a
loop, no module outgrows one idea (400 lines), and the engine needs NumPy alone."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "glassnet"


def _module_name(path):
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(name, path):
    """Every module ``name`` imports, at any depth (inside functions too), as absolute names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.append((sub if sub in MODULES else target, node.lineno))
    return found


def test_the_engine_imports_nothing_of_glassnet_outside_it():
    bad = []
    for name, path in MODULES.items():
        if name == "glassnet.nn" or name.startswith("glassnet.nn."):
            for target, line in _imports(name, path):
                inside = target == "glassnet.nn" or target.startswith("glassnet.nn.")
                if target.split(".")[0] == "glassnet" and not inside:
                    bad.append(f"{path.relative_to(SRC)}:{line} imports {target}")
    assert not bad, "\n".join(bad)


def _cycles(graph):
    """Strongly connected components of more than one module (Tarjan), or a self-import."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph.get(v, ()):
                result.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in graph:
        if v not in index:
            visit(v)
    return result


def test_no_import_cycles_anywhere_in_the_package():
    graph = {name: sorted({t for t, _ in _imports(name, path) if t in MODULES and t != name})
             for name, path in MODULES.items()}
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]}) == [["a", "b", "c"]]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_400_lines(name):
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= 400, f"{MODULES[name].relative_to(SRC)} has {lines} lines: two ideas?"


def test_the_engine_needs_numpy_alone():
    code = (
        "import sys, numpy as np, glassnet.nn as gn\n"
        "m = gn.mlp([3, 4, 1], 'relu', 'sigmoid', seed=0)\n"
        "m.fit(np.random.default_rng(0).normal(size=(20, 3)), np.arange(20) % 2, epochs=2,"
        " verbose=0)\n"
        "bad = [m for m in ('scipy', 'pandas', 'matplotlib', 'rich', 'sklearn', 'torch',"
        " 'optuna') if m in sys.modules]\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"glassnet.nn imported {out.stdout.strip()}"
