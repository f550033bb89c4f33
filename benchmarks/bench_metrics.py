"""Speed and agreement of the metric plugins on the real BraTS cases; prints a table of ratios.

Every reference is measured in the same run on the same inputs:

* HD95 (brats-legacy) vs ``medpy.metric.binary.hd95`` -- values must be identical;
* a whole case (3 regions x dice, hd95, sensitivity, specificity through the metric specs);
* DAUC + RFTP + RFTN per region vs two per-threshold loops over the 41 thresholds: the official
  QU-BraTS arithmetic (float masks multiplied per threshold, on the float64 arrays ``get_fdata``
  gives; the issue quotes about 27 s per region for it) and a tight boolean loop (stricter).

Wrong predictions are made from each region's ground truth: ``shifted`` (rolled by 3, -2, 1
voxels), ``eroded`` (one erosion), ``blob`` (plus a spurious 8-voxel-radius ball in the brain far
from the tumour), ``missed`` (the upper half of the tumour along the last axis removed).
Uncertainty maps follow Vu et al. Eq. 2 (uint8) from a smoothed probability of the shifted
prediction: ``sparse`` as is (uncertain only near the boundary), ``dense`` with noise up to 0.03
added inside the brain first, so that most brain voxels have a non-zero uncertainty.

Every array is handed to the metrics in the reference's memory order, as ``score_case`` does
(nibabel gives Fortran order; ``np.roll`` and friends give C order; the harness copies once per
case so that no metric pays a reordering copy per region).

Runs on one core (thread pools pinned to 1). Usage::

    BENCH_TEST_DATA=/work/shared/data python benchmarks/bench_metrics.py [--cases 12] [--medpy-cases 2] [--loop-cases 2] [--official-cases 1]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from bench_data import brats2018_root  # noqa: E402
from scipy import ndimage  # noqa: E402

from tumorbench.api import REGIONS, get_convention  # noqa: E402
from tumorbench.contract.values import MetricInput  # noqa: E402
from tumorbench.prediction.finalize import uncertainty_from_probability  # noqa: E402
from tumorbench.scoring.evaluation import memory_order  # noqa: E402
from tumorbench_plugins.metrics import brats2023, legacy, uncertainty  # noqa: E402

EPS32 = float(np.finfo(np.float32).eps)


def load_case(folder: Path) -> tuple[np.ndarray, np.ndarray, tuple[float, float, float]]:
    import nibabel as nib

    seg_img = nib.load(folder / f"{folder.name}_seg.nii.gz")
    t1 = np.asarray(nib.load(folder / f"{folder.name}_t1.nii.gz").dataobj)
    spacing = tuple(float(s) for s in seg_img.header.get_zooms()[:3])
    return np.asarray(seg_img.dataobj), t1 > 0, spacing


def wrong_predictions(g: np.ndarray, brain: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    out = {"shifted": np.roll(g, (3, -2, 1), axis=(0, 1, 2))}
    out["eroded"] = ndimage.binary_erosion(g, iterations=1)
    centre = np.argwhere(g).mean(axis=0) if g.any() else np.array(g.shape) / 2
    candidates = np.argwhere(brain)[:: 997]
    far = candidates[np.argmax(np.linalg.norm(candidates - centre, axis=1) + rng.random(len(candidates)))]
    grid = np.ogrid[tuple(slice(0, s) for s in g.shape)]
    ball = sum((ax - c) ** 2 for ax, c in zip(grid, far, strict=True)) <= 8**2
    out["blob"] = g | ball
    missed = g.copy()
    missed[:, :, int(round(centre[2])) :] = False
    out["missed"] = missed
    return out


def uncertainty_map(pred: np.ndarray, brain: np.ndarray, rng: np.random.Generator, noise: float) -> np.ndarray:
    """Eq. 2 map (uint8) of a smoothed probability; ``noise`` > 0 makes most brain voxels non-zero."""
    prob = ndimage.gaussian_filter(pred.astype(np.float32), sigma=1.5)
    if noise:
        prob = np.clip(prob + brain * rng.uniform(0.0, noise, pred.shape).astype(np.float32), 0.0, 1.0)
    return uncertainty_from_probability(prob)


def timed(fn, repeat: int = 1):
    """Best CPU time (one thread, so CPU time = run time on an idle core) over ``repeat`` runs, and the value."""
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.process_time()
        value = fn()
        best = min(best, time.process_time() - start)
    return best, value


def loop_reference(p, g, u, brain, thresholds):
    """The per-threshold loop (what the official code does, written plainly)."""
    tp_all = np.sum(brain & g & p)
    tn_all = np.sum(brain & ~g & ~p)
    dice, ftp, ftn = [], [], []
    taus = sorted(thresholds)
    for tau in taus:
        keep = u <= tau
        pk, gk = p & keep, g & keep
        denom = pk.sum() + gk.sum()
        dice.append(1.0 if denom == 0 else 2.0 * np.sum(pk & gk) / denom)
        ftp.append((tp_all - np.sum(brain & g & p & keep)) / (tp_all + EPS32))
        ftn.append((tn_all - np.sum(brain & ~g & ~p & keep)) / (tn_all + EPS32))
    area = lambda y: float(np.trapezoid(y, taus) / 100.0)  # noqa: E731
    return area(dice), area(ftp), area(ftn)


def official_style_loop(pred, ref, unc, brain, thresholds):
    """The official QU-BraTS arithmetic per threshold: a float32 mask of the certain voxels, float
    products of the masks, sums; inputs are float64 arrays as ``get_fdata`` returns them."""
    dice, ftp, ftn = [], [], []
    taus = sorted(thresholds)
    tp = pred * ref * brain
    tn = (1.0 - pred) * (1.0 - ref) * brain
    for tau in taus:
        certain = np.ones(unc.shape, dtype=np.float32)
        certain[unc > tau] = 0.0
        p_kept = (pred * certain).astype(np.float32)
        g_kept = (ref * certain).astype(np.float32)
        overlap, size = np.sum(p_kept * g_kept), np.sum(p_kept) + np.sum(g_kept)
        dice.append(1.0 if overlap == 0 and size == 0 else 2.0 * overlap / size)
        ftp.append((tp.sum() - (tp * certain).sum()) / (tp.sum() + EPS32))
        ftn.append((tn.sum() - (tn * certain).sum()) / (tn.sum() + EPS32))
    area = lambda y: float(np.trapezoid(y, taus) / 100.0)  # noqa: E731
    return area(dice), area(ftp), area(ftn)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=12)
    parser.add_argument("--medpy-cases", type=int, default=2, help="cases on which medpy is timed (about 3 s per call)")
    parser.add_argument("--loop-cases", type=int, default=2, help="cases on which the boolean per-threshold loop is timed")
    parser.add_argument("--official-cases", type=int, default=1, help="cases on which the official arithmetic is timed (about 10-30 s per region)")
    args = parser.parse_args(argv)
    from medpy.metric import binary as mb
    from tabulate import tabulate

    root = brats2018_root()
    folders = sorted(p for grade in ("HGG", "LGG") for p in (root / grade).glob("*") if p.is_dir())[: args.cases]
    if not folders:
        print(f"no BraTS cases under {root}; set BENCH_TEST_DATA", file=sys.stderr)
        return 2
    convention = get_convention("brats-2017")
    rng = np.random.default_rng(0)
    qu_spec = next(s for s in uncertainty.tumorbench_metric_conventions() if s.name == "qu-brats")

    hd_ours, hd_medpy, hd_diff, hd_ratio = [], [], [], []
    case_legacy, case_2023, robust_hd, lesion_t = [], [], [], []
    qu = {kind: {"three": [], "loop": [], "ratio": [], "diff": [], "official": [], "official_ratio": [], "official_diff": []} for kind in ("sparse", "dense")}
    for ci, folder in enumerate(folders):
        seg, brain, spacing = load_case(folder)
        order = memory_order(seg)
        refs = {r: convention.region_mask(seg, r) for r in REGIONS}
        wrong = {
            r: {kind: np.asarray(m, order=order) for kind, m in wrong_predictions(refs[r], brain, rng).items()}
            for r in REGIONS
        }

        def whole_case(compute, kind, refs=refs, wrong=wrong, spacing=spacing):
            # one MetricInput and one compute per region, as score_case calls a convention
            return [
                compute(MetricInput(prediction=wrong[r][kind], reference=refs[r], spacing=spacing, region=r)) for r in REGIONS
            ]

        for kind in ("shifted", "eroded", "blob", "missed"):
            case_legacy.append(timed(lambda kind=kind: whole_case(legacy.compute, kind), 3)[0])
            case_2023.append(timed(lambda kind=kind: whole_case(brats2023.compute, kind), 1)[0])
            for r in REGIONS:
                p, g = wrong[r][kind], refs[r]
                t, ours = timed(lambda p=p, g=g, s=spacing: legacy.compute_hd95(p, g, spacing=s), 3)
                hd_ours.append(t)
                robust_hd.append(timed(lambda p=p, g=g, s=spacing: brats2023.compute_hd95(p, g, spacing=s), 3)[0])
                lesion_t.append(timed(lambda p=p, g=g, s=spacing: brats2023.lesion_wise(p, g, spacing=s), 1)[0])
                if ci < args.medpy_cases and p.any() and g.any():
                    tm, theirs = timed(lambda p=p, g=g, s=spacing: mb.hd95(p, g, voxelspacing=s), 1)
                    hd_medpy.append(tm)
                    hd_ratio.append(tm / t)
                    hd_diff.append(abs(ours - theirs))
        for r in REGIONS:
            p, g = wrong[r]["shifted"], refs[r]
            for kind, noise in (("sparse", 0.0), ("dense", 0.03)):
                u = np.asarray(uncertainty_map(p, brain, rng, noise), order=order)

                def three(p=p, g=g, u=u, r=r, b=brain, s=spacing):
                    m = MetricInput(prediction=p, reference=g, spacing=s, region=r, uncertainty=u, brain_mask=b)
                    values = qu_spec.compute(m)
                    return [values[n] for n in ("dauc", "rftp", "rftn")]

                t3, vals = timed(three, 3)
                qu[kind]["three"].append(t3)
                if ci < args.loop_cases:
                    tl, ref_vals = timed(lambda p=p, g=g, u=u, b=brain: loop_reference(p, g, u, b, uncertainty.THRESHOLDS_41), 1)
                    qu[kind]["loop"].append(tl)
                    qu[kind]["ratio"].append(tl / t3)
                    qu[kind]["diff"].append(max(abs(a - b) for a, b in zip(vals, ref_vals, strict=True)))
                if ci < args.official_cases:
                    as_float = [x.astype(np.float64) for x in (p, g, u, brain)]  # what get_fdata gives
                    to, official_vals = timed(lambda a=as_float: official_style_loop(*a, uncertainty.THRESHOLDS_41), 1)
                    qu[kind]["official"].append(to)
                    qu[kind]["official_ratio"].append(to / t3)
                    qu[kind]["official_diff"].append(max(abs(a - b) for a, b in zip(vals, official_vals, strict=True)))
        print(f"  {folder.name}: done", file=sys.stderr, flush=True)

    ms = lambda xs: f"{1e3 * statistics.median(xs):.1f}" if xs else "-"  # noqa: E731
    mx = lambda xs: f"{1e3 * max(xs):.1f}" if xs else "-"  # noqa: E731
    ratio = lambda xs: f"{statistics.median(xs):.0f}x (min {min(xs):.0f}x)" if xs else "-"  # noqa: E731
    rows = [
        ["HD95 brats-legacy (one region)", ms(hd_ours), mx(hd_ours), ms(hd_medpy), ratio(hd_ratio), f"{max(hd_diff):.1e}" if hd_diff else "-", "medpy hd95"],
        ["whole case brats-legacy (3 regions x 4 metrics)", ms(case_legacy), mx(case_legacy), "", "", "", "goal <= 80 ms"],
        ["HD95 brats-2023 robust (one region)", ms(robust_hd), mx(robust_hd), "", "", "", ""],
        ["lesion-wise Dice+HD95 (one region)", ms(lesion_t), mx(lesion_t), "", "", "", ""],
        ["whole case brats-2023 (3 regions x 6 metrics)", ms(case_2023), mx(case_2023), "", "", "", ""],
        *[
            [
                f"DAUC+RFTP+RFTN, one region, {kind} uncertainty, vs {name}",
                ms(qu[kind]["three"]),
                mx(qu[kind]["three"]),
                ms(qu[kind][key]),
                ratio(qu[kind][ratio_key]),
                f"{max(qu[kind][diff_key]):.1e}" if qu[kind][diff_key] else "-",
                "goal <= 100 ms, >= 200x",
            ]
            for kind in ("sparse", "dense")
            for name, key, ratio_key, diff_key in (
                ("official arithmetic", "official", "official_ratio", "official_diff"),
                ("boolean loop", "loop", "ratio", "diff"),
            )
        ],
    ]
    print(f"\n{len(folders)} cases x 4 wrong predictions x 3 regions; medpy on {min(args.medpy_cases, len(folders))} cases, "
          f"boolean loop on {min(args.loop_cases, len(folders))}, official arithmetic on {min(args.official_cases, len(folders))}; one core; times in ms (median, max)\n")
    over = sum(t > 0.080 for t in case_legacy)
    print(f"whole brats-legacy cases over 80 ms: {over} of {len(case_legacy)}; "
          f"HD95 speed-ups under 100x: {sum(r < 100 for r in hd_ratio)} of {len(hd_ratio)}\n")
    print(tabulate(rows, headers=["what", "ours median", "ours max", "reference median", "speed-up", "max |diff|", "reference / goal"], tablefmt="github"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
