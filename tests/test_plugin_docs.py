"""docs/plugins.md documents every hook and every public name, and its examples run: each hook's
example is executed as a plugin module, registered, and put through the contract checks."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import numpy as np
import pytest
from helpers.shared_data import REPO

import tumorbench.api
from tumorbench.api import DatasetOptions, Prediction, hookimpl, save_volume
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


# ---------------------------------------------------------------------------------------------- plugin author's guide
def block(heading: str, file: Path | None = None) -> types.ModuleType:
    """The first python block under the ``### heading`` of docs/plugins.md, executed as a module."""
    start = DOC.index(f"\n### {heading}\n")
    code = DOC[start:].split("```python\n", 1)[1].split("```", 1)[0]
    module = types.ModuleType("docs_block_" + re.sub(r"\W+", "_", heading))
    if file is not None:
        module.__file__ = str(file)
    sys.modules[module.__name__] = module
    exec(compile(code, f"docs/plugins.md ({heading})", "exec"), module.__dict__)  # noqa: S102
    return module


def test_the_guide_leads_with_every_kinds_entry_point_group() -> None:
    from tumorbench.contract.kinds import KINDS

    head = DOC[: DOC.index("\n## ")]
    rows = [[c.strip().strip("`") for c in line.strip("|").split("|")] for line in head.splitlines()
            if line.startswith("| ") and not line.startswith(("| kind", "| ---"))]
    assert rows == [[k.name, k.group, k.hook, k.spec.__name__] for k in KINDS]
    assert "Metric conventions (and metrics added to one) go in `tumorbench.metrics`" in head


def test_a_case_in_another_convention_than_its_spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from helpers.rendering import run_and_render

    from tumorbench.results.results_store import open_store
    from tumorbench.run.options import RunOptions
    from tumorbench.testing import ContractError

    registry = registry_with(block("A case's label convention"))
    spec = registry.datasets.get("relabelled")
    with pytest.raises(ContractError, match="convention brats-2023, spec says brats-2017"):
        check_dataset(spec, DatasetOptions(root=tmp_path / "cases"))
    options = RunOptions(models=("intensity-baseline",), datasets=("relabelled",), out=tmp_path / "run",
                         data_roots={"relabelled": tmp_path / "cases"}, metric_conventions=("brats-legacy",))
    assert run_and_render(options, registry).ok == 2  # the case's own convention: its labels 1, 2, 3 are known
    store = open_store(tmp_path / "run", create=False)
    try:
        records, metrics = store.predictions(), store.metrics()
    finally:
        store.close()
    assert {r.label_convention for r in records} == {"brats-2023"}
    et = metrics[(metrics.metric == "dice") & (metrics.region == "ET")]
    assert len(et) == 2 and (et.value > 0).all()  # the enhancing tumour is read as brats-2023's 3
    from dataclasses import replace as change

    override = run_and_render(change(options, out=tmp_path / "override", label_convention="brats-2017"), registry)
    assert override.failed == 2  # --label-convention wins: label 3 is unknown in brats-2017
    assert all("label value(s) [3] not in convention brats-2017" in reason for *_, reason in override.failures)


def test_an_option_value_is_refused_before_any_case(tmp_path: Path, synthetic_root: Path) -> None:
    from helpers.rendering import run_and_render

    from tumorbench.api import BenchError, ModelSpec, parse_options
    from tumorbench.run.options import RunOptions
    from tumorbench.testing import check_model_spec

    options = block("Refusing a bad option value before any case").NetOptions
    assert parse_options(options, {"width": "2"}, owner="my-net", flag="--model-opt").width == 2.0
    with pytest.raises(BenchError, match=r"^--model-opt width=-1: width must be positive, got -1$"):
        parse_options(options, {"width": "-1"}, owner="my-net", flag="--model-opt")
    with pytest.raises(BenchError, match=r"^--model-opt patch=96,96,96: patch \(96, 96, 96\) is larger than crop"):
        parse_options(options, {"patch": "96,96,96"}, owner="my-net", flag="--model-opt")

    class Plugin:
        @hookimpl
        def tumorbench_models(self):
            return [ModelSpec(name="my-net", summary="predicts nothing", regions=("WT",), options=options,
                              load=lambda context: pytest.fail("loaded although its options were refused"))]

    registry = Registry(get_plugin_manager(entry_points=False, extra=[Plugin()]))
    check_model_spec(registry.models.get("my-net"))  # the defaults pass their own check
    run = RunOptions(models=("my-net",), datasets=("brats18",), out=tmp_path / "run", data_roots={"brats18": synthetic_root},
                     model_params={"width": "-1"})
    with pytest.raises(BenchError, match=r"^--model-opt width=-1: width must be positive, got -1$"):
        run_and_render(run, registry)
    assert not (tmp_path / "run" / "results.sqlite").exists()


def test_the_training_loop_example(tumorbench_case, tumorbench_source, tumorbench_store: Path, tmp_path: Path) -> None:
    from tumorbench.api import TrainControl, TrainRequest, kfold

    module = block("A training loop: `TrainingLoop`")
    spec = registry_with(module).models.get("flair-line")
    out = check_model(spec, tumorbench_case, tumorbench_store, source=tumorbench_source)
    wt = tumorbench_case.convention.region_mask(tumorbench_case.label.data, "WT")
    p = out.probabilities["WT"] >= 0.5
    assert 2 * (p & wt).sum() / (p.sum() + wt.sum()) > 0.5  # it learnt the hyperintense lesion

    train_ids, val_ids = kfold(tumorbench_source.case_ids(), 2, 0)

    def request(folder: Path, control=None, progress=None) -> TrainRequest:  # noqa: ANN001
        return TrainRequest(model="flair-line", dataset="d", source=tumorbench_source, train_ids=tuple(train_ids),
                            val_ids=tuple(val_ids), fold=0, folds=2, store=tmp_path, output=folder, control=control,
                            progress=progress)

    module.train(request(tmp_path / "whole"))
    control = TrainControl()

    def ctrl_c_after_13(values) -> None:  # noqa: ANN001
        if values.get("step") and (values["epoch"] - 1) * values["steps"] + values["step"] == 13:
            control.stop_requested = True

    module.train(request(tmp_path / "resumed", control, ctrl_c_after_13))
    assert control.kept == "1 epoch(s) and 3 of 10 steps of epoch 2"
    assert not (tmp_path / "resumed" / "checkpoint.json").exists()
    module.train(request(tmp_path / "resumed"))
    assert (tmp_path / "resumed" / "checkpoint.json").read_text() == (tmp_path / "whole" / "checkpoint.json").read_text()


def test_what_the_harness_reads_of_a_post_processors_result(tumorbench_case, tmp_path: Path, synthetic_root: Path) -> None:
    from dataclasses import replace as change

    import nibabel as nib
    from helpers.rendering import run_and_render

    from tumorbench.api import PostprocessorSpec, finalize
    from tumorbench.run.options import RunOptions

    spec = registry_with(block("What the harness reads of the result")).postprocessors.get("certain-core")
    assert spec.needs_probabilities is False
    convention = tumorbench_case.convention
    labels = np.zeros(tumorbench_case.shape, np.uint8)
    labels[10:14, 10:14, 10:14] = 2
    labels[12, 12, 12] = 4  # one enhancing voxel: a core of 1 voxel
    given = finalize(Prediction(regions=("WT", "TC", "ET"), labels=labels,
                                uncertainty={r: np.zeros(labels.shape, np.uint8) for r in ("WT", "TC", "ET")}), convention)
    out = check_postprocessor(spec, given, tumorbench_case)
    assert out.labels[12, 12, 12] == 1 and out.uncertainty["ET"][12, 12, 12] == 100 and out.uncertainty["ET"].sum() == 100

    def seven(prediction, case):  # noqa: ANN001, ANN202
        return change(prediction, uncertainty={r: np.full(case.shape, 7, np.uint8) for r in prediction.uncertainty})

    class Plugin:
        @hookimpl
        def tumorbench_postprocessors(self):
            return [PostprocessorSpec(name="seven", summary="uncertainty 7", apply=seven, needs_probabilities=False)]

    registry = Registry(get_plugin_manager(entry_points=False, extra=[Plugin()]))
    run = RunOptions(models=("intensity-baseline",), datasets=("brats18",), out=tmp_path / "run",
                     data_roots={"brats18": synthetic_root}, postprocess=("seven",))
    assert run_and_render(run, registry).ok == 4
    written = sorted((tmp_path / "run" / "predictions" / "intensity-baseline+seven" / "brats18").glob("*_unc_*.nii.gz"))
    assert len(written) == 12 and all(set(np.unique(np.asarray(nib.load(str(f)).dataobj))) == {7} for f in written)


def test_distances_follow_the_units_and_a_convention_may_require_mm(tmp_path: Path, synthetic_root: Path) -> None:
    from helpers.rendering import run_and_render

    from tumorbench.api import BenchError, MetricInput
    from tumorbench.run.options import RunOptions

    module = block("Distances and tolerances follow `--units`")
    registry = registry_with(module)
    values = check_metric_convention(registry.metrics.get("my-within-2mm"), registry=registry)
    assert values["perfect"]["within_2mm"] == 1.0
    # by hand: a reference voxel at x=0; predicted voxels 1.5 and 3 mm away along x (spacing 1.5 mm)
    reference, prediction = np.zeros((5, 1, 1), bool), np.zeros((5, 1, 1), bool)
    reference[0], prediction[1], prediction[2] = True, True, True
    item = MetricInput(prediction=prediction, reference=reference, spacing=(1.5, 1.0, 1.0), region="WT")
    assert module.within(item) == {"within_2mm": 0.5}
    run = RunOptions(models=("intensity-baseline",), datasets=("brats18",), out=tmp_path / "run",
                     data_roots={"brats18": synthetic_root}, metric_conventions=("my-within-2mm",), units="voxel")
    with pytest.raises(BenchError, match=r"^--units voxel: metric convention my-within-2mm cannot be scored in voxel: "
                                         r"my-within-2mm \(local\) measures in mm only$"):
        run_and_render(run, registry)
    assert not (tmp_path / "run" / "results.sqlite").exists()
    from dataclasses import replace as change

    assert run_and_render(change(run, units="mm"), registry).ok == 4


def test_a_model_is_told_its_own_name(tmp_path: Path, synthetic_root: Path) -> None:
    from helpers.rendering import run_and_render

    from tumorbench.api import ModelSpec
    from tumorbench.run.options import RunOptions

    names = []

    class Truth:
        def predict(self, case):  # noqa: ANN001, ANN202
            return Prediction(regions=case.convention.region_names, labels=case.label.data)

    def load(context):  # noqa: ANN001, ANN202
        names.append(context.model)
        return Truth()

    class Plugin:
        @hookimpl
        def tumorbench_models(self):
            return [ModelSpec(name="named", summary="the ground truth", load=load)]

    registry = Registry(get_plugin_manager(entry_points=False, extra=[Plugin()]))
    run = RunOptions(models=("named", "mean(named,intensity-baseline)"), datasets=("brats18",), out=tmp_path / "run",
                     data_roots={"brats18": synthetic_root})
    assert run_and_render(run, registry).ok == 8
    assert set(names) == {"named"} and len(names) == 2  # alone, and as a member of the ensemble
