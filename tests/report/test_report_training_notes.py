"""Pages say what was trained: every measured row carries a ``trained: ...`` note from its model
store (as its run recorded it), the protocol is stated, checkpoints trained the old way are marked,
and a measured row named like a reported one says its training is not the paper's (issue 24, item 2)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tumorbench.cli import build_app
from tumorbench.models.model_store import fold_dir, write_metadata
from tumorbench.report.training_notes import LEGACY_LINE, PROTOCOL_LINE, member_note, row_note


def bench(*args: object):
    result = CliRunner().invoke(build_app(), [str(a) for a in args])
    return result


def test_each_row_says_how_it_was_trained_and_the_page_states_the_protocol(tmp_path: Path, synthetic_root: Path) -> None:
    store = tmp_path / "store"
    trained = bench("train", "-m", "intensity-fitted", "-d", "brats18", "--data-root", synthetic_root, "--folds", "2",
                    "--fold", "0", "--store", store, "--time-budget", "900")
    assert trained.exit_code == 0, trained.output
    config = json.loads((fold_dir(store, "intensity-fitted", "brats18", 0) / "config.json").read_text())
    record = config["training"]
    # 4 cases, 2 folds: 2 held out; of the 2 others 1 trains (one step per case fitted) and 1 validates
    assert record["cases"] == {"trained": 1, "validation": 1, "held_out": 2}
    assert record["steps"] == 1 and record["time_budget"] == 900.0 and record["folds"] == 2
    reported = tmp_path / "reported.csv"
    reported.write_text(
        "paper,table,dataset,split,cases,metric_convention,units,model,region,metric,value,sd,published,note\n"
        "A paper,Table 9,brats18,5-fold,285,brats-legacy,mm,intensity-fitted,WT,dice,0.9,,90,\n", encoding="utf-8")
    out = tmp_path / "run"
    for model in ("intensity-fitted", "intensity-baseline"):
        done = bench("run", "-m", model, "-d", "brats18", "--data-root", synthetic_root, "--store", store, "--out", out)
        assert done.exit_code == 0, done.output
    board = bench("leaderboard", out, "--reported", reported, "--permutations", "100", "--bootstrap", "20")
    assert board.exit_code == 0, board.output
    page = board.output
    wall = record["wall_seconds"]
    assert (f"- intensity-fitted: trained: 1 of 2 folds (fold 0); 1 training + 1 validation cases, 2 held out; "
            f"default options; 1 epoch(s), 1 steps, {round(wall)} s (budget 900 s a fold)") in page
    assert "- intensity-baseline: trained: no training (training-free)" in page
    assert PROTOCOL_LINE in page and LEGACY_LINE not in page
    assert "Measured here under a reported name: intensity-fitted." in page


def test_checkpoints_trained_the_old_way_are_marked(tmp_path: Path, synthetic_root: Path, synthetic_ids: list[str]) -> None:
    """A fold written before tumorbench 0.2: ``split.json`` with ``train`` and ``val`` (the held-out
    fold itself), no training record in ``config.json``."""
    store = tmp_path / "store"
    for fold, held in ((0, synthetic_ids[:2]), (1, synthetic_ids[2:])):
        directory = fold_dir(store, "intensity-fitted", "brats18", fold)
        write_metadata(directory, {"model": "intensity-fitted", "wt": 1.0, "et": 1.5, "scale": 0.25},
                       {"train": [i for i in synthetic_ids if i not in held], "val": held, "fold": fold, "folds": 2, "seed": 0})
        (directory / "checkpoint.json").write_text(json.dumps({"wt": 1.0, "et": 1.5, "scale": 0.25}), encoding="utf-8")
    out = tmp_path / "run"
    done = bench("run", "-m", "intensity-fitted", "-d", "brats18", "--data-root", synthetic_root, "--store", store, "--out", out)
    assert done.exit_code == 0, done.output
    page = (out / "leaderboard.md").read_text(encoding="utf-8")
    assert ("- intensity-fitted: trained: 2 of 2 folds (fold 0,1); 2 training cases, held-out fold as validation "
            "(before tumorbench 0.2); options, steps and time not recorded (trained before tumorbench 0.2)") in page
    assert LEGACY_LINE in page


def test_member_notes_read_as_documented() -> None:
    fold = {"fold": 0, "folds": 4, "protocol": "inside", "trained": 5, "validation": 1, "held_out": 2, "recorded": True,
            "params": {"width": "4", "depth": "2"}, "time_budget": None, "steps": 1440, "epochs": 6, "wall_seconds": 185.0}
    assert member_note({"trainable": True, "folds": [fold]}) == (
        "1 of 4 folds (fold 0); 5 training + 1 validation cases, 2 held out; options width=4, depth=2; 6 epoch(s), "
        "1,440 steps, 3m05s")
    two = {"trainable": True, "folds": [fold, {**fold, "fold": 1, "steps": 1000, "wall_seconds": 100.0, "time_budget": 140}]}
    assert member_note(two).endswith("6 epoch(s), 2,440 steps, 4m45s in all (budget 140 s a fold)")
    assert member_note({"trainable": True, "folds": []}) == "no stored fold"
    assert member_note({"trainable": False, "folder": True, "folds": []}) == "not trained here (predictions read from a folder)"
    # an ensemble's members trained alike are named together, with the range of their wall times
    a, b = {"trainable": True, "folds": [fold]}, {"trainable": True, "folds": [{**fold, "wall_seconds": 172.0}]}
    assert row_note({"tunet-seb": a, "tunet-reb1-seb": b}) == (
        "trained: tunet-seb, tunet-reb1-seb each: 1 of 4 folds (fold 0); 5 training + 1 validation cases, 2 held out; "
        "options width=4, depth=2; 6 epoch(s), 1,440 steps, 2m52s-3m05s each")
    assert row_note(None) == "trained: not recorded (run before tumorbench 0.2)"
