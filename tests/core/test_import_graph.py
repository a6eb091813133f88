"""The package's imports point one way: no cycles, and only the CLI reaches into commands/.

Read from the source (every `import` and `from ... import`, top level or inside a function), so a
late import cannot hide a cycle.
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "scripts" / "sagespec"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, name: str, known: set[str]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                prefix = ".".join([*base, *([node.module] if node.module else [])])
            else:
                prefix = node.module or ""
            # `from . import x` names a module x when there is one, else an attribute of prefix
            found |= {f"{prefix}.{a.name}" if f"{prefix}.{a.name}" in known else prefix for a in node.names}
    return {m for m in found if m in known and m != name}


def import_graph() -> dict[str, set[str]]:
    """module -> the sagespec modules it imports."""
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: _imports(path, name, set(paths)) for name, path in paths.items()}


def test_the_reader_sees_real_edges() -> None:
    graph = import_graph()
    assert "sagespec.render.renderer" in graph["sagespec.pipeline"]
    assert "sagespec.deploy.plan" in graph["sagespec.commands.plan"]  # a late import counts


def test_a_cycle_is_found() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}}
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as exc:
        assert set(exc.args[1]) == {"a", "b", "c"}
    else:
        raise AssertionError("the cycle a -> b -> c -> a was not found")


def test_there_are_no_import_cycles() -> None:
    try:
        graphlib.TopologicalSorter(import_graph()).prepare()
    except graphlib.CycleError as exc:
        raise AssertionError(f"import cycle: {' -> '.join(exc.args[1])}") from None


def test_only_the_cli_imports_the_command_modules() -> None:
    importers = {
        source
        for source, targets in import_graph().items()
        for target in targets
        if target.startswith("sagespec.commands") and not source.startswith("sagespec.commands")
    }
    assert importers <= {"sagespec.cli"}, importers


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """First-level package (or top-level module) -> the others it imports: the layers."""

    def layer(module: str) -> str:
        return module.split(".")[1] if "." in module else module

    layers: dict[str, set[str]] = {}
    for source, targets in graph.items():
        layers.setdefault(layer(source), set()).update(layer(t) for t in targets if layer(t) != layer(source))
    return layers


def test_package_level_cycles_are_found() -> None:
    graph = {"sagespec.spec.a": {"sagespec.render.b"}, "sagespec.render.b": {"sagespec.spec.c"}}
    assert package_graph(graph) == {"spec": {"render"}, "render": {"spec"}}


def test_the_packages_form_layers() -> None:
    """No cycle between packages either: spec/ never reaches up into render/, review/ or ops/."""
    try:
        graphlib.TopologicalSorter(package_graph(import_graph())).prepare()
    except graphlib.CycleError as exc:
        raise AssertionError(f"package cycle: {' -> '.join(exc.args[1])}") from None


ARCHITECTURE = PACKAGE.parents[1] / "docs" / "architecture.md"


def drawn_layers(text: str) -> dict[str, int]:
    """Package -> its row in docs/architecture.md's layer picture (the first code block), top = 0.

    A row names its packages before the first double space (`catalog/ cost/    images, ...`);
    continuation rows start with the arrow `│`."""
    block = text.split("```\n", 2)[1]
    rows: dict[str, int] = {}
    for number, line in enumerate(block.splitlines()):
        names = line.strip().split("  ", 1)[0].split()
        if not names or names[0] == "│":
            continue
        for name in names:
            rows[name.removesuffix("*").removesuffix("/").removesuffix(".py")] = number
    return rows


def upward_imports(layers: dict[str, set[str]], rows: dict[str, int]) -> list[str]:
    return sorted(
        f"{source} (row {rows[source]}) imports {target} (row {rows[target]})"
        for source, targets in layers.items()
        for target in targets
        if source in rows and target in rows and rows[target] < rows[source]
    )


def test_imports_point_down_the_architecture_picture() -> None:
    layers = package_graph(import_graph())
    layers.pop("sagespec", None)  # the package's __init__.py
    rows = drawn_layers(ARCHITECTURE.read_text(encoding="utf-8"))
    assert sorted(set(layers) - set(rows)) == [], "packages missing from docs/architecture.md's picture"
    assert upward_imports(layers, rows) == []


def test_an_upward_import_is_found() -> None:
    rows = drawn_layers("intro\n```\n render/   pure\n   │        more\n spec/ x/   data\n```\n")
    assert rows == {"render": 0, "spec": 2, "x": 2}
    found = upward_imports({"spec": {"render"}, "render": {"spec"}}, rows)
    assert found == ["spec (row 2) imports render (row 0)"]
