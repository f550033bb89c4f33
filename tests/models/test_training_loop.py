"""tumorbench.api.TrainingLoop: steps under a budget and Ctrl-C, a resumable state committed by one
atomic rename, progress, and per-step seeds, so a training stopped anywhere and resumed ends with
the very weights of an uninterrupted one; intensity-fitted's trainer on it fits what it fitted before."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tumorbench.api import BenchError, DatasetOptions, TrainControl, TrainingLoop, TrainingStep, TrainRequest
from tumorbench.loading.registry import Registry

X = np.random.default_rng(0).normal(size=(64, 3))
Y = X @ np.array([1.5, -2.0, 0.5]) + 0.3


class Linear:
    """A least-squares line trained by minibatch SGD: everything a step depends on is ``w``."""

    def __init__(self) -> None:
        self.w = np.zeros(4)

    def step(self, at: TrainingStep) -> float:
        rows = at.rng().choice(len(X), size=8, replace=False)  # this step's own draw
        xb = np.c_[X[rows], np.ones(8)]
        error = xb @ self.w - Y[rows]
        self.w = self.w - 0.3 * xb.T @ error / 8
        return float(np.mean(error**2))

    def save(self, path: Path) -> None:
        np.save(path, self.w)

    def load(self, path: Path) -> None:
        self.w = np.load(path)


def loop_for(model: Linear, folder: Path, **kw) -> TrainingLoop:  # noqa: ANN003
    return TrainingLoop(folder, epochs=3, steps=10, save=model.save, load=model.load, seed=7, suffix=".npy", **kw)


def stop_after(control: TrainControl, steps: int):  # noqa: ANN201
    """A progress callback that presses Ctrl-C (asks to stop) once ``steps`` steps are done."""
    seen = []

    def progress(values) -> None:  # noqa: ANN001
        seen.append(dict(values))
        if "step" in values and (values["epoch"] - 1) * values["steps"] + values["step"] == steps:
            control.stop_requested = True

    return progress, seen


def test_an_uninterrupted_training_reports_progress_and_learns(tmp_path: Path) -> None:
    model, seen = Linear(), []
    result = loop_for(model, tmp_path / "a", progress=seen.append).run(model.step)
    assert result.finished and result.epochs_done == 3 and result.stopped is None
    np.testing.assert_allclose(model.w, [1.5, -2.0, 0.5, 0.3], atol=0.1)  # least squares, by hand: Y's own weights
    steps = [v for v in seen if "step" in v]
    assert len(steps) == 30 and steps[0]["epoch"] == 1 and steps[-1] == {**steps[-1], "epoch": 3, "step": 10, "steps": 10}
    epochs = [v for v in seen if "step" not in v]
    assert [v["epoch"] for v in epochs] == [1, 2, 3] and epochs[0]["loss"] > epochs[-1]["loss"]
    assert [h["epoch"] for h in result.history] == [1, 2, 3]


@pytest.mark.parametrize("stop_at", [1, 10, 17])
def test_a_stopped_and_resumed_training_ends_with_the_uninterrupted_weights(tmp_path: Path, stop_at: int) -> None:
    full = Linear()
    loop_for(full, tmp_path / "full").run(full.step)
    control = TrainControl()
    progress, _ = stop_after(control, stop_at)
    first = Linear()
    stopped = loop_for(first, tmp_path / "b", control=control, progress=progress).run(first.step)
    assert not stopped.finished and stopped.stopped == "interrupted"
    done, within = divmod(stop_at, 10)
    assert (stopped.epochs_done, stopped.steps_done) == (done, within)
    expected = f"{done} epoch(s)" + (f" and {within} of 10 steps of epoch {done + 1}" if within else "")
    assert control.stopped == "interrupted" and control.kept == stopped.kept == expected
    state = json.loads((tmp_path / "b" / "train_state.json").read_text(encoding="utf-8"))
    assert (state["epoch"], state["step"], state["file"]) == (done, within, f"train_state-{done}-{within}.npy")
    again, calls = Linear(), []
    resumed = loop_for(again, tmp_path / "b").run(lambda at: calls.append(at.number) or again.step(at))
    assert resumed.finished and calls == list(range(stop_at, 30))  # the steps not yet taken, each once
    np.testing.assert_array_equal(again.w, full.w)
    assert [h["epoch"] for h in resumed.history] == [1, 2, 3]
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == ["train_state-3-0.npy", "train_state.json"]


def test_a_budget_spent_before_the_first_step_keeps_nothing(tmp_path: Path) -> None:
    control = TrainControl(budget=1e-9, started=0.0)
    model = Linear()
    result = loop_for(model, tmp_path / "c", control=control).run(model.step)
    assert (result.finished, result.stopped, result.kept) == (False, "time budget", "nothing new")
    assert control.kept == "nothing new" and not (tmp_path / "c" / "train_state.json").exists()


def test_a_save_killed_midway_leaves_the_previous_state(tmp_path: Path) -> None:
    full = Linear()
    loop_for(full, tmp_path / "full").run(full.step)
    model, saves = Linear(), []

    def dying_save(path: Path) -> None:
        saves.append(path)
        if len(saves) == 2:
            path.write_bytes(b"half a file")
            raise KeyboardInterrupt  # killed while writing the second epoch's state
        model.save(path)

    with pytest.raises(KeyboardInterrupt):
        TrainingLoop(tmp_path / "d", epochs=3, steps=10, save=dying_save, load=model.load, seed=7, suffix=".npy").run(model.step)
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == ["train_state-1-0.npy", "train_state.json"]
    again = Linear()
    assert loop_for(again, tmp_path / "d").run(again.step).finished
    np.testing.assert_array_equal(again.w, full.w)


def test_a_changed_state_or_other_settings_are_refused_in_one_line(tmp_path: Path) -> None:
    control = TrainControl()
    progress, _ = stop_after(control, 5)
    model = Linear()
    loop_for(model, tmp_path / "e", control=control, progress=progress).run(model.step)
    with pytest.raises(BenchError, match=r"saved with seed 7 and 10 steps per epoch, not 8 and 10; .*--fresh"):
        TrainingLoop(tmp_path / "e", epochs=3, steps=10, save=model.save, load=model.load, seed=8, suffix=".npy").run(model.step)
    np.save(tmp_path / "e" / "train_state-0-5.npy", np.ones(4))
    with pytest.raises(BenchError, match=r"train_state-0-5.npy: training state missing or changed since it was saved"):
        loop_for(Linear(), tmp_path / "e").run(Linear().step)
    fresh = Linear()
    assert loop_for(fresh, tmp_path / "e", resume=False).run(fresh.step).finished  # --fresh starts over


# ---------------------------------------------------------------------------------------------- intensity-fitted
def _request(synthetic_root: Path, store: Path, control: TrainControl | None = None, progress=None,  # noqa: ANN001
             source=None) -> TrainRequest:  # noqa: ANN001
    from tumorbench.api import kfold

    source = source or Registry().datasets.get("brats18").open(DatasetOptions(root=synthetic_root))
    train_ids, val_ids = kfold(source.case_ids(), 2, 0, 0)
    return TrainRequest(model="intensity-fitted", dataset="brats18", source=source, train_ids=tuple(train_ids),
                        val_ids=tuple(val_ids), fold=0, folds=2, store=store, output=store / "fold-0", control=control,
                        progress=progress)


class Counting:
    def __init__(self, source) -> None:  # noqa: ANN001
        self.source, self.loads = source, []

    def case_ids(self) -> list[str]:
        return self.source.case_ids()

    def load(self, case_id: str):  # noqa: ANN201
        self.loads.append(case_id)
        return self.source.load(case_id)


def test_intensity_fitted_on_the_loop_fits_what_it_fitted_before(synthetic_root: Path, tmp_path: Path) -> None:
    from tumorbench_plugins.models.baseline import GRID, grid_dice, grid_scores, train

    request = _request(synthetic_root, tmp_path / "a")
    train(request)
    saved = json.loads((tmp_path / "a" / "fold-0" / "checkpoint.json").read_text(encoding="utf-8"))
    # the fit as the trainer did it before the loop: every training case's grid, then the best point
    per_case = [grid_dice(c) for c in (request.source.load(i) for i in request.train_ids) if c.label is not None]
    i, j = np.unravel_index(int(np.argmax(grid_scores(per_case))), (len(GRID), len(GRID)))
    assert (saved["wt"], saved["et"]) == (GRID[i], GRID[j])
    assert sorted(p.name for p in (tmp_path / "a" / "fold-0").iterdir()) == ["checkpoint.json", "config.json", "split.json"]

    control = TrainControl()
    progress, _ = stop_after(control, 1)
    counting = Counting(request.source)
    train(_request(synthetic_root, tmp_path / "b", control=control, progress=progress, source=counting))
    assert control.kept == "0 epoch(s) and 1 of 2 steps of epoch 1" and counting.loads == [request.train_ids[0]]
    assert not (tmp_path / "b" / "fold-0" / "checkpoint.json").exists()
    counting.loads.clear()
    train(_request(synthetic_root, tmp_path / "b", source=counting))  # resumed: the first case is not read again
    assert counting.loads == [request.train_ids[1], *request.val_ids]
    for name in ("checkpoint.json", "config.json", "split.json"):
        assert (tmp_path / "b" / "fold-0" / name).read_text(encoding="utf-8") == (tmp_path / "a" / "fold-0" / name).read_text(encoding="utf-8")
