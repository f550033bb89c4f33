"""Label conventions against the table in docs/datasets.md."""

from __future__ import annotations

import numpy as np
import pytest

from tumorbench.api import get_convention
from tumorbench.errors import BenchError

# docs/datasets.md label conventions, written out independently of the code
TABLE = {
    "brats-2017": ({1, 2, 4}, {1, 4}, {4}),
    "brats-2023": ({1, 2, 3}, {1, 3}, {3}),
    "msd": ({1, 2, 3}, {2, 3}, {3}),
    "brats-2015": ({1, 2, 3, 4}, {1, 3, 4}, {4}),
}


@pytest.mark.parametrize("name", sorted(TABLE))
def test_regions_follow_metrics_md(name: str) -> None:
    convention = get_convention(name)
    labels = np.array(sorted(convention.labels))
    masks = convention.to_regions(labels)
    for region, expected in zip(("WT", "TC", "ET"), TABLE[name]):
        assert set(labels[masks[region]].tolist()) == expected


@pytest.mark.parametrize("name", sorted(TABLE))
def test_from_regions_round_trips_region_masks(name: str) -> None:
    convention = get_convention(name)
    rng = np.random.default_rng(0)
    labels = rng.choice(sorted(convention.labels), size=(6, 7, 8))
    masks = convention.to_regions(labels)
    again = convention.to_regions(convention.from_regions(masks))
    for region in masks:
        np.testing.assert_array_equal(again[region], masks[region])


def test_brats2017_assembly_is_tunet_rule() -> None:
    convention = get_convention("brats-2017")
    wt = np.array([1, 1, 1, 0], bool)
    tc = np.array([1, 1, 0, 0], bool)
    et = np.array([1, 0, 0, 0], bool)
    assert convention.from_regions({"WT": wt, "TC": tc, "ET": et}).tolist() == [4, 1, 2, 0]


def test_unknown_label_names_file_and_value() -> None:
    with pytest.raises(BenchError) as info:
        get_convention("brats-2017").validate(np.array([0, 1, 3]), "case_seg.nii.gz")
    assert str(info.value) == "case_seg.nii.gz: label value(s) [3] not in convention brats-2017 (knows 0,1,2,4)"


def test_alias_and_unknown_convention() -> None:
    assert get_convention("brats-legacy") is get_convention("brats-2017")
    with pytest.raises(BenchError, match="unknown label convention 'nope'"):
        get_convention("nope")
