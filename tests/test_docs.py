"""The README's first two commands, CI, the command list and the tests the pages cite stay in step with the code."""

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


CITATION = r"(tests/[\w/]+\.py)::(\w+)(?:::(\w+))?"


def cited_tests(text: str) -> list[tuple[str, str, str]]:
    """Every ``tests/<path>.py::<name>`` (or ``::<Class>::<method>``) a page cites."""
    import re

    return re.findall(CITATION, text)


def defined_tests(path) -> set[str]:
    """What pytest would collect by name: ``test_*`` functions, ``Test*`` classes and, as
    ``Class::method``, their ``test_*`` methods. Helpers and fixtures do not count."""
    import ast

    found: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            found.add(node.name)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            found.add(node.name)
            found.update(f"{node.name}::{m.name}" for m in node.body
                         if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)) and m.name.startswith("test"))
    return found


def missing_citations(pages) -> list[str]:
    missing = []
    for page in pages:
        for path, name, method in cited_tests(page.read_text(encoding="utf-8")):
            target = f"{name}::{method}" if method else name
            if not (REPO / path).is_file() or target not in defined_tests(REPO / path):
                missing.append(f"{page.name}: {path}::{target}")
    return missing


def test_every_test_a_page_cites_exists() -> None:
    pages = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    assert len(cited_tests((REPO / "docs" / "guarantees.md").read_text(encoding="utf-8"))) >= 100
    missing = missing_citations(pages)
    assert not missing, "cited but not found: " + "; ".join(missing)


def test_a_wrong_citation_is_found(tmp_path) -> None:
    """The check itself: a misspelt test, a helper that is no test, a missing file and a missing
    method are each reported; a real test function and a real test method are not."""
    page = tmp_path / "page.md"
    page.write_text(
        "`tests/test_docs.py::test_every_test_a_page_cites_exists` "
        "`tests/test_docs.py::test_every_test_a_page_cites_exist` "
        "`tests/test_docs.py::readme_commands` "
        "`tests/nowhere/test_x.py::test_y` "
        "`tests/test_docs.py::TestNothing::test_z`\n", encoding="utf-8")
    assert missing_citations([page]) == [
        "page.md: tests/test_docs.py::test_every_test_a_page_cites_exist",
        "page.md: tests/test_docs.py::readme_commands",
        "page.md: tests/nowhere/test_x.py::test_y",
        "page.md: tests/test_docs.py::TestNothing::test_z",
    ]
    cls = tmp_path / "test_cls.py"
    cls.write_text("class TestA:\n    def test_b(self):\n        pass\n\n    def helper(self):\n        pass\n", encoding="utf-8")
    assert defined_tests(cls) == {"TestA", "TestA::test_b"}


def test_the_guarantees_page_is_linked_from_the_readme() -> None:
    assert "(docs/guarantees.md)" in (REPO / "README.md").read_text(encoding="utf-8")
