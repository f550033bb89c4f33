"""docs/plugins.md documents every hook and every public name, and its examples run: each hook's
example is executed as a plugin module, registered, and put through the contract checks."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import numpy as np
import pytest

import tumorbench.api
from tumorbench.api import DatasetOptions, Prediction, save_volume
from tumorbench.contract import hookspecs
from tumorbench.loading.manager import get_plugin_manager
from tumorbench.loading.registry import Registry
from tumorbench.testing import (
    check_combiner,
    check_dataset,
    check_label_convention,
    check_metric_convention,
    check_model,
    check_postprocessor,
)

REPO = Path(__file__).resolve().parents[1]
DOC = (REPO / "docs" / "plugins.md").read_text(encoding="utf-8")
HOOKS = sorted(name for name in dir(hookspecs) if name.startswith("tumorbench_"))


def section(hook: str) -> str:
    start = DOC.index(f"\n## `{hook}`\n")
    end = DOC.find("\n## ", start + 1)
    return DOC[start: end if end > 0 else None]


def example(hook: str, file: Path | None = None) -> types.ModuleType:
    """The first python block of the hook's section, executed as a plugin module (``file``: its ``__file__``)."""
    code = section(hook).split("```python\n", 1)[1].split("```", 1)[0]
    module = types.ModuleType(f"docs_example_{hook}")
    if file is not None:
        module.__file__ = str(file)
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(code, f"docs/plugins.md ({hook})", "exec"), module.__dict__)  # noqa: S102
    return module


def registry_with(module: types.ModuleType) -> Registry:
    return Registry(get_plugin_manager(entry_points=False, extra=[module]))


def test_every_hook_has_a_section_with_an_example() -> None:
    assert len(HOOKS) == 9
    for hook in HOOKS:
        assert "```python\n" in section(hook), hook


def test_every_public_name_is_documented() -> None:
    documented = set(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", DOC))
    missing = [name for name in tumorbench.api.__all__ if name not in documented]
    assert not missing, f"not in docs/plugins.md: {missing}"
    assert len(set(tumorbench.api.__all__)) == len(tumorbench.api.__all__)
    for name in tumorbench.api.__all__:
        assert hasattr(tumorbench.api, name), name


def test_the_dataset_example(tumorbench_source, tmp_path: Path) -> None:
    for case_id in tumorbench_source.case_ids()[:2]:
        case = tumorbench_source.load(case_id)
        for m, image in case.images.items():
            save_volume(tmp_path / f"{case_id}_{m}.nii.gz", image.data, image.affine)
        save_volume(tmp_path / f"{case_id}_seg.nii.gz", case.label.data, case.label.affine)
    spec = registry_with(example("tumorbench_datasets")).datasets.get("flat")
    assert len(check_dataset(spec, DatasetOptions(root=tmp_path)).case_ids()) == 2


def test_the_model_example(tumorbench_case, tumorbench_source, tumorbench_store: Path) -> None:
    spec = registry_with(example("tumorbench_models")).models.get("flair-cut")
    out = check_model(spec, tumorbench_case, tumorbench_store, source=tumorbench_source, params={"cut": "1.5"})
    assert out.regions == ("WT",)
    assert '"cut": 1.5' in next(tumorbench_store.glob("flair-cut/*/fold-0/config.json")).read_text()


def test_the_ensemble_example() -> None:
    registry = registry_with(example("tumorbench_ensembles"))
    assert registry.ensembles.get("baseline-pair").method in registry.combiners


def _members(case) -> list[Prediction]:
    wt = case.convention.region_mask(case.label.data, "WT").astype(np.float32)
    return [Prediction(regions=("WT",), probabilities={"WT": np.roll(wt, s, axis=0) * 0.8}) for s in (0, 1, 2)]


def test_the_combiner_example(tumorbench_case) -> None:
    spec = registry_with(example("tumorbench_combiners")).combiners.get("median")
    members = _members(tumorbench_case)
    out = check_combiner(spec, members, {"floor": "0.1"})
    np.testing.assert_allclose(out.probabilities["WT"], np.median([m.probabilities["WT"] for m in members], axis=0))


def test_the_postprocessor_example(tumorbench_case) -> None:
    spec = registry_with(example("tumorbench_postprocessors")).postprocessors.get("min-size")
    kept = check_postprocessor(spec, _members(tumorbench_case)[0], tumorbench_case)
    assert kept.labels.any()
    emptied = check_postprocessor(spec, _members(tumorbench_case)[0], tumorbench_case, {"voxels": str(10**6)})
    assert not emptied.labels.any()


def test_the_metric_example() -> None:
    registry = registry_with(example("tumorbench_metric_conventions"))
    values = check_metric_convention(registry.metrics.get("my-volume-similarity"), registry=registry)
    assert values["perfect"]["volume_similarity"] == 1.0
    names = [m.name for m in registry.convention("brats-legacy").metrics]
    assert names[names.index("hd95") + 1] == "volume_similarity"


def test_the_label_convention_example(tumorbench_case) -> None:
    registry = registry_with(example("tumorbench_label_conventions"))
    convention = registry.label_convention("my-post-treatment")
    counts = check_label_convention(convention)
    assert convention.region_names == ("WT", "TC", "ET", "RC")
    labels = np.array([0, 1, 2, 3, 4])
    masks = convention.to_regions(labels)  # by hand: WT = 1,2,3; TC = 1,3; ET = 3; RC = 4 (outside WT)
    assert [masks[r].tolist() for r in ("WT", "TC", "ET", "RC")] == [
        [False, True, True, True, False], [False, True, False, True, False],
        [False, False, False, True, False], [False, False, False, False, True]]
    assert convention.uncertainty_suffix("RC") == "cavity" and convention.region_title("TC") == "TC"
    assert sum(counts.values()) > 0


def test_the_reported_results_example(tmp_path: Path) -> None:
    from tumorbench.report.reported import load_reported

    csv = tmp_path / "my-paper-2024.csv"
    csv.write_text("paper,table,dataset,split,cases,metric_convention,units,model,region,metric,value,sd,published,note\n"
                   "My 2024,Table 2,brats18,5-fold,285,brats-legacy,mm,my-net,WT,dice,0.91,,0.91,\n", encoding="utf-8")
    registry = registry_with(example("tumorbench_reported_results", file=tmp_path / "plugin.py"))
    spec = registry.reported.get("my-paper-2024")
    assert spec.path == csv
    rows = load_reported(registry=registry, built_in=True)
    mine = rows[rows.source == str(csv)]
    assert mine.value.tolist() == [0.91] and mine.model.tolist() == ["my-net"]


def test_the_command_example() -> None:
    from typer.testing import CliRunner

    app = registry_with(example("tumorbench_commands")).commands.get("mine").app
    result = CliRunner().invoke(app, ["hello", "world"])
    assert result.exit_code == 0 and result.output.strip() == "hello world"


def test_the_readme_points_to_the_plugin_guide() -> None:
    assert "docs/plugins.md" in (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("phrase", ["load: ", "predict: ", "train: ", "postprocess NAME: "])
def test_the_failure_table_names_each_phase(phrase: str) -> None:
    assert phrase in DOC
