"""``intensity-baseline``: a training-free classical baseline (NumPy/SciPy).

Each modality is z-scored over brain voxels; a region's probability is a logistic function of how
far its contrast exceeds a threshold, so the prediction has real, graded uncertainty:

- WT: FLAIR hyperintensity, ``p = sigmoid((z_flair - t_wt) / s)``, restricted to its largest
  connected component;
- TC: the enhancing rim plus the (necrotic) centre it encloses;
- ET: inside WT, T1ce hyperintensity ``z_t1ce > t_et``.

It is the floor every learned model should beat, and it makes the demo need no weights.
``intensity-fitted`` is the same model with its thresholds fitted on a training split by
``bench train`` and stored in the model store as ``checkpoint.json``: each training case is read
and z-scored once, its whole-tumour component found once per WT threshold, and every ET threshold
tried on that component's box only (:func:`grid_dice`), instead of predicting the whole case for
each of the 49 grid points.
Options (``--model-opt``): ``wt``, ``et``, ``scale`` (thresholds in sd units and the logistic width).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tumorbench.api import (
    BenchError,
    Case,
    Field,
    ModelContext,
    ModelSpec,
    Prediction,
    TrainingLoop,
    TrainingStep,
    TrainRequest,
    brain_mask,
    check,
    find,
    fold_dir,
    hookimpl,
    read_json_object,
    split_record,
    write_metadata,
    write_text_atomic,
    zscore,
)

MODALITIES = ("flair", "t1", "t1ce", "t2")
REGIONS = ("WT", "TC", "ET")


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return (1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))).astype(np.float32)


def _largest_component(mask: np.ndarray) -> np.ndarray:
    from scipy import ndimage

    labels, n = ndimage.label(mask)
    if n <= 1:
        return mask
    sizes = np.bincount(labels.ravel())[1:]
    return labels == (int(np.argmax(sizes)) + 1)


def _fill_slices(mask: np.ndarray) -> np.ndarray:
    """Holes filled in every axial slice (a rim open at its poles still encloses its centre)."""
    from scipy import ndimage

    out = np.zeros_like(mask)
    for k in range(mask.shape[2]):
        if mask[:, :, k].any():
            out[:, :, k] = ndimage.binary_fill_holes(mask[:, :, k])
    return out


@dataclass(frozen=True)
class IntensityBaseline:
    """Thresholds in standard deviations of each modality's brain intensities."""

    wt: float = 1.0
    et: float = 1.5
    scale: float = 0.25

    def predict(self, case: Case) -> Prediction:
        x = case.stack(MODALITIES)
        brain = brain_mask(x)
        z = dict(zip(MODALITIES, zscore(x, brain)))
        p_wt = _sigmoid((z["flair"] - self.wt) / self.scale) * brain
        wt = _largest_component(p_wt >= 0.5)
        p_wt = np.where(wt | (p_wt < 0.5), p_wt, np.float32(0.49)).astype(np.float32)
        p_et = _sigmoid((z["t1ce"] - self.et) / self.scale) * p_wt
        # core = the enhancing rim plus the (necrotic) centre it encloses, slice by slice and in 3D
        from scipy import ndimage

        rim = p_et >= 0.5
        enclosed = ndimage.binary_fill_holes(rim) | _fill_slices(rim)
        p_tc = np.maximum(p_et, np.where(enclosed, np.maximum(p_wt, 0.5), 0.0).astype(np.float32))
        return Prediction(
            regions=REGIONS,
            probabilities={"WT": p_wt, "TC": p_tc.astype(np.float32), "ET": p_et.astype(np.float32)},
        )


def load(context: ModelContext) -> IntensityBaseline:
    """The thresholds as ``--model-opt wt=,et=,scale=`` give them (parsed by the harness, then
    checked: finite numbers, a positive scale)."""
    if isinstance(context.options, IntensityBaseline):
        params = {"wt": context.options.wt, "et": context.options.et, "scale": context.options.scale}
    else:
        params = {}
        for key in ("wt", "et", "scale"):
            if key in context.params:
                try:
                    params[key] = float(context.params[key])
                except (TypeError, ValueError):
                    raise BenchError(f"--model-opt {key}={context.params[key]}: not a number") from None
    optional = {k: Field(f.kind, minimum=f.minimum, exclusive=f.exclusive) for k, f in FITTED_SCHEMA.items()}
    return IntensityBaseline(**check(params, optional, "--model-opt"))


GRID = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5)
CHECKPOINT = ".json"
FITTED_SCHEMA = {
    "wt": Field(float, required=True),
    "et": Field(float, required=True),
    "scale": Field(float, required=True, minimum=0, exclusive=True),
}
"""``checkpoint.json`` of ``intensity-fitted``: finite thresholds (sd units), a positive logistic width."""


def _mean_dice(model: IntensityBaseline, cases: list[Case]) -> float:
    from tumorbench.api import finalize

    scores = []
    for case in cases:
        pred = finalize(model.predict(case), case.convention)
        ref = case.convention.to_regions(case.label.data)  # type: ignore[union-attr]
        got = case.convention.to_regions(pred.labels)  # type: ignore[arg-type]
        for region in ("WT", "ET"):
            total = ref[region].sum() + got[region].sum()
            scores.append(1.0 if total == 0 else 2.0 * (ref[region] & got[region]).sum() / total)
    return float(np.mean(scores))


def _box(mask: np.ndarray, pad: int = 1) -> tuple[slice, ...]:
    """The bounding box of ``mask`` grown by ``pad`` voxels (clipped to the array)."""
    where = np.nonzero(mask)
    return tuple(slice(max(int(w.min()) - pad, 0), int(w.max()) + pad + 1) for w in where)


def grid_dice(case: Case, grid: tuple[float, ...] = GRID, scale: float = 0.25) -> np.ndarray:
    """``dice[0 | 1, i, j]``: WT and ET Dice of ``IntensityBaseline(grid[i], grid[j])`` on ``case``.

    The same voxels as :meth:`IntensityBaseline.predict` followed by finalize, from one z-scoring of
    the case: the whole-tumour component once per WT threshold, then each ET threshold on that
    component's bounding box only (the enhancing rim and the core it encloses lie inside it;
    hole filling on the rim's box grown by one voxel equals filling on the whole volume).
    """
    from scipy import ndimage

    x = case.stack(MODALITIES)
    brain = brain_mask(x)
    z = dict(zip(MODALITIES, zscore(x, brain)))
    truth = case.convention.to_regions(np.asarray(case.label.data))  # type: ignore[union-attr]
    sums = {r: int(truth[r].sum()) for r in ("WT", "ET")}
    dice = np.empty((2, len(grid), len(grid)))

    def score(got: np.ndarray, ref: np.ndarray, ref_sum: int) -> float:
        total = ref_sum + got.sum()
        return 1.0 if total == 0 else 2.0 * (ref & got).sum() / total

    for i, wt in enumerate(grid):
        p_wt = _sigmoid((z["flair"] - wt) / scale) * brain
        component = _largest_component(p_wt >= 0.5)
        if not component.any():  # nothing predicted at this threshold, whatever ET's
            dice[0, i, :] = score(component, truth["WT"], sums["WT"])
            dice[1, i, :] = score(component, truth["ET"], sums["ET"])
            continue
        box = _box(component)
        comp, p_box = component[box], p_wt[box]
        p_box = np.where(comp | (p_box < 0.5), p_box, np.float32(0.49)).astype(np.float32)
        t1ce, ref_wt, ref_et = z["t1ce"][box], truth["WT"][box], truth["ET"][box]
        for j, et in enumerate(grid):
            rim = (_sigmoid((t1ce - et) / scale) * p_box) >= 0.5
            enclosed = rim.copy()
            if rim.any():
                inner = _box(rim)
                enclosed[inner] = ndimage.binary_fill_holes(rim[inner]) | _fill_slices(rim[inner])
            dice[0, i, j] = score(comp | enclosed | rim, ref_wt, sums["WT"])
            dice[1, i, j] = score(rim, ref_et, sums["ET"])
    return dice


def grid_scores(per_case: list[np.ndarray]) -> np.ndarray:
    """``scores[i, j]``: mean Dice over cases and the two regions, in ``_mean_dice``'s order."""
    stacked = np.stack(per_case)  # (cases, 2, i, j)
    n = stacked.shape[2]
    scores = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            scores[i, j] = float(np.mean([float(v) for v in stacked[:, :, i, j].ravel()]))
    return scores


def train(request: TrainRequest) -> Path:
    """Grid-search the WT and ET thresholds that maximise mean Dice on the training cases (one read
    each). Each case is one step of a :class:`TrainingLoop`: a stopped fit keeps the cases it read
    (their grid of Dice values) and a rerun goes on from there."""
    directory = request.output or fold_dir(request.store, request.model, request.dataset, request.fold)
    fitted: dict[int, np.ndarray] = {}  # train_ids index -> grid_dice of that case (labelled ones)

    def step(at: TrainingStep) -> None:
        case = request.source.load(request.train_ids[at.index])
        if case.label is not None:
            fitted[at.index] = grid_dice(case)

    def save(path: Path) -> None:
        np.savez(path, **{str(i): d for i, d in fitted.items()})

    def load(path: Path) -> None:
        with np.load(path) as saved:
            fitted.update({int(k): saved[k] for k in saved.files})

    loop = TrainingLoop(directory, epochs=1, steps=max(1, len(request.train_ids)), save=save, load=load,
                        seed=request.seed, control=request.control, progress=request.progress, resume=request.resume,
                        suffix=".npz")
    result: dict[str, float] = {}

    def fit(_epochs_done: int = 1) -> dict[str, float]:
        """The thresholds of the best grid point, stored; the validation Dice for the epoch's record."""
        result.update(_store_fit(request, directory, [fitted[i] for i in sorted(fitted)]))
        return {"val_dice": result["val_dice"]}

    if request.train_ids and not loop.run(step, end_epoch=fit).finished:
        return directory  # stopped: the state keeps the cases read so far
    if not result:  # no training case, or a state saved after the last one (a stop before the thresholds were stored)
        fit()
    loop.clear()  # the thresholds are stored: nothing is left to resume
    return directory


def _store_fit(request: TrainRequest, directory: Path, per_case: list[np.ndarray]) -> dict[str, float]:
    """Pick the thresholds with the best mean training Dice, check them on the validation cases and
    write ``config.json``, ``split.json`` and the checkpoint; returns the validation Dice."""
    if not per_case:
        raise BenchError(f"dataset {request.dataset}: no labelled training cases")
    scores = grid_scores(per_case)
    i, j = np.unravel_index(int(np.argmax(scores)), scores.shape)  # ties: the first in grid order
    best = (float(scores[i, j]), IntensityBaseline(wt=GRID[i], et=GRID[j]))
    model = best[1]
    val = [c for c in (request.source.load(i) for i in request.val_ids) if c.label is not None]
    val_dice = _mean_dice(model, val) if val else float("nan")
    write_metadata(
        directory,
        {"model": request.model, "wt": model.wt, "et": model.et, "scale": model.scale, "val_dice": val_dice,
         "train_threshold_dice": best[0]},
        split_record(request),
    )
    write_text_atomic(directory / f"checkpoint{CHECKPOINT}", json.dumps({"wt": model.wt, "et": model.et, "scale": model.scale}))
    return {"val_dice": val_dice}


def load_fitted(context: ModelContext) -> IntensityBaseline:
    """The thresholds fitted by ``bench train`` (the first fold found, or the one asked for)."""
    stored = find(context.store, "intensity-fitted", context.dataset, suffix=CHECKPOINT, fold=context.fold)[0]
    path = stored.checkpoint(CHECKPOINT)
    values = check(read_json_object(path), FITTED_SCHEMA, path)
    return IntensityBaseline(**{k: float(values[k]) for k in ("wt", "et", "scale")})


@hookimpl
def tumorbench_models() -> list[ModelSpec]:
    return [
        ModelSpec(
            name="intensity-baseline",
            summary="training-free z-scored intensity thresholds (FLAIR for WT, T1ce for ET); a floor",
            load=load,
            framework="numpy",
            regions=REGIONS,
            modalities=MODALITIES,
            options=IntensityBaseline,
        ),
        ModelSpec(
            name="intensity-fitted",
            summary="the intensity baseline with thresholds fitted on a training split by `bench train`",
            load=load_fitted,
            train=train,
            framework="numpy",
            regions=REGIONS,
            modalities=MODALITIES,
        ),
    ]
