"""The README's first two commands, CI and the command list stay in step with the code."""

from __future__ import annotations

from helpers.shared_data import REPO
from typer.testing import CliRunner

from tumorbench.cli import build_app


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("```bash\n", 1)[1].split("```", 1)[0]
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]


def test_readme_starts_with_the_demo_and_the_tests() -> None:
    demo, tests = readme_commands()[:2]
    assert demo.endswith("bench demo")
    assert "pytest" in tests


def test_ci_runs_the_readme_test_command() -> None:
    test_command = readme_commands()[1].split("&&")[-1].strip()
    assert test_command in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    app = build_app(mount_plugins=False)
    names = [c.name for c in app.registered_commands] + [g.name for g in app.registered_groups]
    assert names
    for name in names:
        assert f"bench {name}" in readme, name
    assert CliRunner().invoke(app, ["--help"]).exit_code == 0


def cited_tests(text: str) -> list[tuple[str, str]]:
    """Every ``tests/<path>.py::<name>`` a page cites."""
    import re

    return re.findall(r"(tests/[\w/]+\.py)::(\w+)", text)


def defined_tests(path) -> set[str]:
    """The test functions and classes a file defines, methods of classes included."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}


def test_every_test_a_page_cites_exists() -> None:
    pages = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    cited = [(page.name, *c) for page in pages for c in cited_tests(page.read_text(encoding="utf-8"))]
    assert len([c for c in cited if c[0] == "guarantees.md"]) >= 50
    missing = [f"{page}: {path}::{name}" for page, path, name in cited
               if not (REPO / path).is_file() or name not in defined_tests(REPO / path)]
    assert not missing, "cited but not found: " + "; ".join(missing)


def test_the_guarantees_page_is_linked_from_the_readme() -> None:
    assert "(docs/guarantees.md)" in (REPO / "README.md").read_text(encoding="utf-8")
