"""docs/api.md is what scripts/api_reference.py writes from the code now, and every public name of
tumorbench.api has a signature there and an example that runs."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from helpers.shared_data import REPO

import tumorbench.api


def _script():  # noqa: ANN202 - the module scripts/api_reference.py
    spec = importlib.util.spec_from_file_location("api_reference", REPO / "scripts" / "api_reference.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["api_reference"] = module
    spec.loader.exec_module(module)
    return module


SCRIPT = _script()


def test_docs_api_md_is_up_to_date() -> None:
    assert (REPO / "docs" / "api.md").read_text(encoding="utf-8") == SCRIPT.render(), (
        "docs/api.md is out of date: run python scripts/api_reference.py")


def test_every_public_name_has_a_section_and_an_example() -> None:
    names = [n for _, group in SCRIPT.groups() for n in group]
    assert names == list(tumorbench.api.__all__)
    assert set(SCRIPT.EXAMPLES) == set(names)
    text = (REPO / "docs" / "api.md").read_text(encoding="utf-8")
    for name in names:
        assert f"\n### `{name}`\n\n```python\n" in text, name
        assert ">>> " in SCRIPT.EXAMPLES[name], name


@pytest.mark.parametrize("name", list(tumorbench.api.__all__))
def test_the_example_runs(name: str, tmp_path: Path) -> None:
    result = SCRIPT.run_example(name, tmp_path)
    assert result.attempted > 0 and result.failed == 0, f"the example of {name} failed (see the output above)"


def test_the_reference_names_the_members_authors_asked_about() -> None:
    text = (REPO / "docs" / "api.md").read_text(encoding="utf-8")
    for member in ("`stop_reason(reserve: 'float' = 0.0)", "`record_stop(reason: 'str', kept: 'str')", "`left()", "`elapsed()",
                   "`stack(modalities: 'Sequence[str]'", "`checkpoint(suffix: 'str')", "`run(step:", "`rng()"):
        assert member in text, member
