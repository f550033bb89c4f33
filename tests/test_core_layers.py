"""The core's floor plan: one sub-package per stage of the data flow, each importing only the
packages below it, and no import circle anywhere (imports inside functions included)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from helpers.import_graph import circles
from helpers.shared_data import REPO

CORE = REPO / "benchmark"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "progress", "config"),
    ("stats",),
    ("contract",),
    ("io",),
    ("loading",),
    ("models",),
    ("prediction",),
    ("scoring",),
    ("results",),
    ("run",),
    ("report",),
    ("experiment",),
    ("cli",),
    ("api", "testing", "__init__", "__main__"),
)
"""Lowest first: the order of the data flow (dataset -> case -> model -> ensemble ->
post-processor -> metrics -> store -> leaderboard), with what every stage shares below it."""
RANK = {unit: i for i, units in enumerate(LAYERS) for unit in units}


def _module(path: Path, core: Path = CORE) -> str:
    parts = [p for p in path.relative_to(core).with_suffix("").parts if p != "__init__"]
    return ".".join(["tumorbench", *parts])


def _unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path, core: Path = CORE) -> list[tuple[int, str]]:
    """(line, module) of every tumorbench import in the file, inside functions too."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "tumorbench" or node.module.startswith("tumorbench."):
                for alias in node.names:  # ``from tumorbench.run import runner`` imports a module
                    sub = f"{node.module}.{alias.name}"
                    is_module = (core / Path(*sub.split(".")[1:])).with_suffix(".py").is_file() or (
                        core / Path(*sub.split(".")[1:])).is_dir()
                    out.append((node.lineno, sub if is_module else node.module))
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name == "tumorbench" or a.name.startswith("tumorbench.")]
        elif isinstance(node, ast.ImportFrom) and node.level:
            out.append((node.lineno, "." * node.level + (node.module or "")))
    return out


def _files(core: Path = CORE) -> list[Path]:
    return sorted(core.rglob("*.py"))


def upward_imports(core: Path = CORE) -> list[str]:
    """Every import of a package above the importing one, as ``file:line: ...``."""
    bad = []
    for path in _files(core):
        me = _unit(_module(path, core))
        for line, target in _imports(path, core):
            if target == "tumorbench":
                continue
            other = _unit(target)
            if RANK[other] > RANK[me]:
                bad.append(f"{path.relative_to(core)}:{line}: {me} imports {target} ({other} is above it)")
    return bad


def import_circles(core: Path = CORE) -> list[list[str]]:
    """The strongly connected components of the module import graph with more than one module."""
    graph: dict[str, set[str]] = {}
    for path in _files(core):
        graph.setdefault(_module(path, core), set()).update(t for _, t in _imports(path, core) if t != "tumorbench")
    return circles(graph)


def test_every_package_is_in_a_layer() -> None:
    units = {_unit(_module(p)) for p in _files()}
    assert units <= set(RANK), f"not placed in LAYERS: {sorted(units - set(RANK))}"
    top_modules = sorted(p.stem for p in CORE.glob("*.py") if p.stem not in ("__init__", "__main__"))
    assert len(top_modules) <= 8, top_modules


def test_no_relative_imports() -> None:
    relative = [f"{p.relative_to(CORE)}:{line}" for p in _files() for line, m in _imports(p) if m.startswith(".")]
    assert not relative, relative


def test_lower_stages_never_import_higher_ones() -> None:
    bad = upward_imports()
    assert not bad, "\n".join(bad)


def test_no_import_circle() -> None:
    assert not import_circles()


def test_the_fence_sees_an_upward_import_and_a_circle(tmp_path: Path) -> None:
    """The same checks on a small tree of their own: a run module importing report (upward), and
    the two importing each other (inside a function), are both found."""
    core = tmp_path / "benchmark"
    for package in ("run", "report"):
        (core / package).mkdir(parents=True)
        (core / package / "__init__.py").write_text("")
    (core / "run" / "runner.py").write_text("def f():\n    from tumorbench.report.pages import Page\n")
    (core / "report" / "pages.py").write_text("from tumorbench.run.runner import f\n")
    assert upward_imports(core) == ["run/runner.py:2: run imports tumorbench.report.pages (report is above it)"]
    assert import_circles(core) == [["tumorbench.report.pages", "tumorbench.run.runner"]]


def test_the_public_api_imports_without_typer_rich_torch_or_tensorflow() -> None:
    code = ("import sys; import tumorbench.api; "
            "print(sorted(m for m in ('typer', 'rich', 'click', 'torch', 'tensorflow', 'keras') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_test_folders_mirror_the_packages() -> None:
    tests = REPO / "tests"
    folders = sorted({p.parent.relative_to(tests) for p in tests.rglob("test_*.py")} - {Path(".")})
    assert folders, "no test folder found"
    for folder in folders:
        package = REPO / folder if folder.parts[0] == "plugins" else CORE / folder
        assert (package / "__init__.py").is_file(), f"tests/{folder} mirrors no package ({package} is not one)"
    names = [p.name for p in tests.rglob("test_*.py")]
    assert len(names) == len(set(names)), "two test files share a basename (pytest imports them by basename)"


def test_no_core_function_is_longer_than_80_lines() -> None:
    long = []
    for path in sorted(CORE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno + 1 > 80:
                long.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)")
    assert not long, "split these: " + "; ".join(long)
