"""Run the official BraTS 2024 scorer on label maps and print its results as JSON.

Run by ``bench_brats2024.py --official-python PY --official-repo DIR`` with an interpreter that has
the scorer's own requirements (numpy, scipy, pandas < 2, connected-components-3d, nibabel) and a
checkout of rachitsaluja/BraTS-2024-Metrics (the scorer is imported from there, not copied).
Input: an ``.npz`` with ``<name>_pred``, ``<name>_ref`` (uint8 label maps), ``<name>_conv`` (a
tumorbench convention name) and ``<name>_spacing``. Output on stdout:
``{name: {"seconds": s, "regions": {region: {metric: value}}}}`` with tumorbench's metric names.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import tempfile
import time
import warnings

import nibabel as nib
import numpy as np
import pandas as pd


def pandas_13_replace() -> None:
    """Give a newer pandas the ``DataFrame.replace`` of pandas 1.3.4, the scorer's pin (which does
    not install on Python 3.11+): where comparing a column with the value gives one scalar (an
    object column of arrays, under numpy < 1.25), nothing in that column matches. pandas 1.5
    raises there instead, failing every case in which one lesion matches two predicted lesions."""
    from pandas.core import missing

    if getattr(missing.mask_missing, "_shimmed", False) or pd.__version__.startswith("1.3."):
        return
    original = missing.mask_missing

    def mask_missing(arr, values_to_mask):
        try:
            return original(arr, values_to_mask)
        except (AttributeError, ValueError):
            if getattr(getattr(arr, "dtype", None), "kind", "") == "O":
                return np.zeros(arr.shape, dtype=bool)
            raise

    mask_missing._shimmed = True
    missing.mask_missing = mask_missing


SCRIPTS = {
    "brats-2024-gli": ("metrics_GLI", "BraTS-GLI"),
    "brats-2024-ped": ("metrics_PED", "BraTS-PED"),
    "brats-2024-met": ("metrics_MET", "BraTS-MET"),
    "brats-2024-ssa": ("metrics_SSA", "BraTS-SSA"),
    "brats-2024-men-rt": ("metrics_MEN_RT", "BraTS-MEN-RT"),
}
COLUMNS = {
    "LesionWise_Score_Dice": "lesion_dice", "LesionWise_Score_HD95": "lesion_hd95", "Legacy_Dice": "dice",
    "Legacy_HD95": "hd95", "Sensitivity": "sensitivity", "Specificity": "specificity",
}


def score(convention: str, pred: np.ndarray, ref: np.ndarray, spacing: tuple[float, ...]) -> dict[str, dict[str, float]]:
    """The scorer's table for one case, run in a temporary folder (it writes files beside it)."""
    module_name, challenge = SCRIPTS[convention]
    pandas_13_replace()
    module = importlib.import_module(module_name)
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            affine = np.diag([*spacing, 1.0])
            pred_file, ref_file = os.path.join(tmp, "case-pred.nii.gz"), os.path.join(tmp, "case-seg.nii.gz")
            nib.save(nib.Nifti1Image(pred.astype(np.uint8), affine), pred_file)
            nib.save(nib.Nifti1Image(ref.astype(np.uint8), affine), ref_file)
            table, _ = module.get_LesionWiseResults(pred_file, ref_file, challenge)
        finally:
            os.chdir(here)
    return {row["Labels"]: {ours: float(row[theirs]) for theirs, ours in COLUMNS.items()} for _, row in table.iterrows()}


def main() -> None:
    repo, cases = sys.argv[1], np.load(sys.argv[2])
    sys.path.insert(0, repo)
    warnings.filterwarnings("ignore")
    out = {}
    for key in cases.files:
        if key.endswith("_pred"):
            name = key[: -len("_pred")]
            spacing = tuple(float(s) for s in cases[f"{name}_spacing"])
            start = time.process_time()
            regions = score(str(cases[f"{name}_conv"]), cases[f"{name}_pred"], cases[f"{name}_ref"], spacing)
            out[name] = {"seconds": time.process_time() - start, "regions": regions}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
