"""Plugins import tumorbench only through its public API (``tumorbench.api``), and never each other."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from helpers.import_graph import circles
from helpers.shared_data import REPO

PLUGIN_FILES = sorted((REPO / "plugins").rglob("*.py")) + sorted((REPO / "examples").rglob("src/**/*.py"))
PUBLIC = {"tumorbench.api"}


def _resolved(node: ast.ImportFrom, package: str) -> str:
    """The absolute module a ``from ... import`` names, relative levels resolved against ``package``."""
    if not node.level:
        return node.module or ""
    base = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) of every import in ``path``; relative imports resolved."""
    return [(line, module) for line, module, _ in _imports(path)]


def _imports(path: Path) -> list[tuple[int, str, tuple[str, ...]]]:
    """(line, absolute module, names taken from it) of every import in ``path``; ``from tumorbench
    import api`` counts as an import of ``tumorbench.api``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = ".".join(_package_parts(path))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = _resolved(node, package)
            names = tuple(alias.name for alias in node.names)
            if module == "tumorbench":  # from tumorbench import api / hookimpl
                out += [(node.lineno, f"tumorbench.{name}", ()) for name in names]
            else:
                out.append((node.lineno, module, names))
    return out


def _package_parts(path: Path) -> list[str]:
    rel = path.relative_to(REPO)
    if rel.parts[0] == "plugins":
        return ["tumorbench_plugins", *rel.parts[1:-1]]
    src = rel.parts.index("src")
    return list(rel.parts[src + 1:-1])


def _family(module: str) -> str:
    """``tumorbench_plugins.models.shen.train`` -> ``tumorbench_plugins.models.shen``: one plugin
    family (a folder of modules that belong together) may import its own modules."""
    parts = module.split(".")
    return ".".join(parts[:3]) if parts[:2] == ["tumorbench_plugins", "models"] else ".".join(parts[:2])


@pytest.mark.parametrize("path", PLUGIN_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_plugins_import_only_the_public_api(path: Path) -> None:
    own = _family(".".join(_package_parts(path)) + ".x")
    bad = []
    for line, module in imported_modules(path):
        top = module.split(".")[0]
        if top == "tumorbench" and module not in PUBLIC:
            bad.append(f"{path.relative_to(REPO)}:{line}: imports {module} (use tumorbench.api)")
        if top == "tumorbench_plugins" and module != "tumorbench_plugins" and _family(module) != own:
            bad.append(f"{path.relative_to(REPO)}:{line}: imports another plugin, {module}")
    assert not bad, "\n".join(bad)


def test_the_scan_sees_every_plugin_file() -> None:
    assert len(PLUGIN_FILES) > 30
    assert any(p.name == "plugin.py" and "tumorbench_otsu" in str(p) for p in PLUGIN_FILES)


def _module_of(path: Path) -> str:
    parts = _package_parts(path)
    return ".".join(parts if path.stem == "__init__" else [*parts, path.stem])


def test_no_import_circle_among_plugin_modules() -> None:
    """Imports inside functions included: a circle is a hidden order of import."""
    modules = {_module_of(p): p for p in PLUGIN_FILES}
    graph = {}
    for name, path in modules.items():
        targets = set()
        for _, module, names in _imports(path):
            targets.add(module)
            targets.update(f"{module}.{n}" for n in names)  # ``from . import brats`` names a module
        graph[name] = {t for t in targets if t in modules and t != name}
    found = circles(graph)
    assert not found, "; ".join(" <-> ".join(c) for c in found)
