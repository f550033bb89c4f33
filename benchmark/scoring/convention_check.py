"""Whether ``--pred-convention`` reads a folder of predictions as they were written.

Label maps whose values fit two conventions (BraTS 2023's 1, 2, 3 and MSD's 1, 2, 3 name other
tissues) are read without complaint under the wrong one; only the scores say so. Before a
``bench evaluate`` with ``--pred-convention``, :func:`collapsed_regions` compares, on a few cases,
each region's Dice under that mapping with its Dice when the files are read in the dataset's own
convention, and names the regions that collapse only under the mapping.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tumorbench.contract.labels import LabelConvention
from tumorbench.errors import BenchError

CASES = 3
"""Cases looked at (the first ones, by id, that have a prediction file and a label)."""


def _dice(a: np.ndarray, b: np.ndarray) -> float:
    total = int(a.sum()) + int(b.sum())
    return 1.0 if total == 0 else 2.0 * int(np.logical_and(a, b).sum()) / total


def collapsed_regions(
    source, pred_dir: Path, mapping: LabelConvention, own: LabelConvention, case_ids: Sequence[str], cases: int = CASES,
) -> list[str]:
    """One warning line per region whose mean Dice under ``mapping`` is at most half of what it is
    when the files are read in the dataset's convention ``own`` (which must reach 0.5). Cases whose
    files fit only one of the two are left out: there the labels themselves decide."""
    from tumorbench.io.nifti import load_volume

    mapped: dict[str, list[float]] = {}
    as_is: dict[str, list[float]] = {}
    looked = 0
    for case_id in case_ids:
        if looked >= cases:
            break
        path = next((p for p in (pred_dir / f"{case_id}.nii.gz", pred_dir / f"{case_id}.nii") if p.is_file()), None)
        if path is None:
            continue
        try:
            case = source.load(case_id)
            if case.label is None:
                continue
            labels = np.asarray(load_volume(path).data)
            mapping.validate(labels, str(path))
            own.validate(labels, str(path))
        except BenchError:
            continue
        looked += 1
        truth = own.to_regions(np.asarray(case.label.data))
        relabelled = own.to_regions(own.from_regions(mapping.to_regions(labels)))
        plain = own.to_regions(labels)
        for region in own.region_names:
            mapped.setdefault(region, []).append(_dice(relabelled[region], truth[region]))
            as_is.setdefault(region, []).append(_dice(plain[region], truth[region]))
    lines = []
    for region in own.region_names:
        if region not in mapped:
            continue
        under, without = float(np.mean(mapped[region])), float(np.mean(as_is[region]))
        if without >= 0.5 and under <= without / 2:
            lines.append(
                f"{region} Dice {under:.2f} with the files read as {mapping.name} labels (--pred-convention), "
                f"{without:.2f} read as {own.name}: is --pred-convention right? (mean of {len(mapped[region])} case(s))"
            )
    return lines
