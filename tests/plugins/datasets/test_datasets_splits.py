"""Seeded k-fold splits, JSON split manifests and the seed papers' splits."""

from __future__ import annotations

import json

import pytest
from helpers.datasets import tree

from tumorbench.errors import BenchError
from tumorbench.models.splits import (
    fold_assignment,
    kfold,
    kfold_manifest,
    manifest_fold,
    paper_manifest,
    read_manifest,
    write_manifest,
)
from tumorbench_plugins.datasets.paper_splits import PAPER_SPLITS

IDS = [f"case_{i:03d}" for i in range(23)]


def test_kfold_partitions_every_id_once():
    vals = []
    for fold in range(5):
        train, val = kfold(IDS, 5, fold, seed=7)
        assert set(train).isdisjoint(val) and set(train) | set(val) == set(IDS)
        assert train == sorted(train) and val == sorted(val)
        vals.append(val)
    assert sorted(i for v in vals for i in v) == IDS
    assert sorted(len(v) for v in vals) == [4, 4, 5, 5, 5]  # 23 = 5 + 5 + 5 + 4 + 4


def test_kfold_is_order_independent_and_seeded():
    assert kfold(IDS[::-1], 4, 1, seed=3) == kfold(IDS, 4, 1, seed=3)
    assert kfold(IDS, 4, 1, seed=3) != kfold(IDS, 4, 1, seed=4)


@pytest.mark.parametrize(
    ("folds", "fold", "ids", "message"),
    [
        (1, 0, IDS, "--folds must be at least 2, got 1"),
        (5, 5, IDS, "--fold must be in 0..4, got 5"),
        (5, 0, IDS[:3], "3 cases cannot be split into 5 folds (use --folds 3 or fewer)"),
        (2, 0, ["a", "b", "a"], "case ids listed more than once: a"),
    ],
)
def test_kfold_errors(folds, fold, ids, message):
    with pytest.raises(BenchError) as info:
        kfold(ids, folds, fold)
    assert str(info.value) == message


def test_manifest_round_trip_matches_kfold(tmp_path):
    manifest = kfold_manifest(IDS, 5, seed=11, dataset="brats19")
    path = write_manifest(tmp_path / "splits" / "brats19.json", manifest)
    assert tree(tmp_path) == ["splits", "splits/brats19.json"]  # no temporary left behind
    again = read_manifest(path)
    assert again == manifest and again.case_ids == IDS
    for fold in range(5):
        assert manifest_fold(again, fold, available=IDS) == kfold(IDS, 5, fold, seed=11)
    blob = json.loads(path.read_text(encoding="utf-8"))
    assert blob["kind"] == "kfold" and blob["seed"] == 11 and len(blob["folds"]) == 5
    assert fold_assignment(IDS, 5, 11)[blob["folds"][2]["validation"][0]] == 2


def test_manifest_errors_name_the_file(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(BenchError, match=rf"^{path}: not a split manifest \(JSONDecodeError"):
        read_manifest(path)
    with pytest.raises(BenchError, match=rf"^{tmp_path / 'none.json'}: split manifest not found$"):
        read_manifest(tmp_path / "none.json")
    overlap = {"kind": "kfold", "folds": [{"train": ["a", "b"], "validation": ["b"]}]}
    path.write_text(json.dumps(overlap), encoding="utf-8")
    with pytest.raises(BenchError, match=rf"^{path}: fold 0 has ids in both train and validation: b$"):
        read_manifest(path)
    manifest = kfold_manifest(IDS, 3)
    with pytest.raises(BenchError, match=r"^m.json: 23 case\(s\) not in the dataset: case_000, case_001, case_002 and 20 more$"):
        manifest_fold(manifest, 0, available=["x"], source="m.json")
    with pytest.raises(BenchError, match=r"^m.json: fold must be in 0..2, got 3$"):
        manifest_fold(manifest, 3, source="m.json")


def test_shen_brats_split_sizes():
    ids = [f"Brats17_{i:03d}" for i in range(285)]
    manifest = paper_manifest("shen2017-brats", ids, seed=0)
    (train,), (evaluation,) = manifest.train, manifest.folds
    assert (len(train), len(evaluation), len(manifest.unused)) == (178, 44, 63)
    assert set(train).isdisjoint(evaluation) and set(train) | set(evaluation) | set(manifest.unused) == set(ids)
    assert paper_manifest("shen2017-brats", ids[::-1], seed=0) == manifest


def test_shen_rembrandt_split_sizes(tmp_path):
    ids = [f"HF{i:04d}" for i in range(57)]
    manifest = paper_manifest("shen2017-rembrandt", ids, seed=1, dataset="rembrandt")
    assert (len(manifest.train[0]), len(manifest.folds[0]), len(manifest.unused)) == (46, 10, 1)
    assert read_manifest(write_manifest(tmp_path / "r.json", manifest)) == manifest
    with pytest.raises(BenchError, match=r"^split shen2017-rembrandt needs 56 cases \(46 \+ 10\), found 20$"):
        paper_manifest("shen2017-rembrandt", ids[:20])


def test_vu_five_fold_and_unknown():
    ids = [f"BraTS19_{i:03d}" for i in range(335)]
    manifest = paper_manifest("vu2019-brats19", ids)
    assert [len(v) for v in manifest.folds] == [67] * 5
    assert manifest.source == PAPER_SPLITS["vu2019-brats19"].summary
    with pytest.raises(BenchError, match=r"^unknown paper split 'x'; known: shen2017-brats"):
        paper_manifest("x", ids)
