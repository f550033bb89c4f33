"""Time ``bench evaluate`` and ``bench score`` end to end against what a case must cost at least.

For the real BraTS 2018 cases and the four kinds of wrong prediction ``bench_metrics.py`` makes
(here as label maps: shifted, eroded, a far spurious blob, the upper half missed), written as
NIfTI prediction folders, it measures in one process:

* start-up: building the plugin registry and opening the dataset, and each command's fixed cost
  (opening the store, writing metrics.csv and the page), both paid once per command;
* per case, ``bench evaluate`` (the runner with a ``folder:`` model) under brats-legacy;
* per case, ``bench score`` of that run under brats-legacy in voxel units (re-scoring stored
  predictions);
* (a) decompressing only the files a case must read (its label map and the prediction) with the
  fastest gzip available (ISA-L), and (b) the convention's metric computation alone on arrays
  already in memory (region masks made, then one ``compute`` per region);

and prints each command's per-case cost as a multiple of (a) + (b). Goals: evaluate <= 1.5x,
score <= 1.2x. Times are CPU seconds of this process (one thread: the numbers do not depend on
what else the machine runs), medians over the four kinds; per case is (all n cases - 1 case) / (n - 1),
so the fixed cost cancels; wall times are printed beside them.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from bench_data import brats2018_root  # noqa: E402
from scipy import ndimage  # noqa: E402

KINDS = ("shifted", "eroded", "blob", "missed")


def wrong_label_maps(seg: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """The four wrong predictions of bench_metrics.py, as label maps in the case's convention."""
    whole = seg > 0
    out = {"shifted": np.roll(seg, (3, -2, 1), axis=(0, 1, 2))}
    out["eroded"] = np.where(ndimage.binary_erosion(whole, iterations=1), seg, 0).astype(seg.dtype)
    centre = np.argwhere(whole).mean(axis=0)
    brain = np.argwhere(seg >= 0)[::99991]
    far = brain[np.argmax(np.linalg.norm(brain - centre, axis=1) + rng.random(len(brain)))]
    grid = np.ogrid[tuple(slice(0, s) for s in seg.shape)]
    ball = sum((ax - c) ** 2 for ax, c in zip(grid, far, strict=True)) <= 8**2
    blob = seg.copy()
    blob[ball & ~whole] = 2
    out["blob"] = blob
    missed = seg.copy()
    missed[:, :, int(round(centre[2])) :] = 0
    out["missed"] = missed
    return out


class Clock:
    """CPU and wall seconds of a block."""

    def __enter__(self):
        self.cpu, self.wall = time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.cpu = time.process_time() - self.cpu
        self.wall = time.perf_counter() - self.wall


def floor_costs(folders: list[Path], preds: Path, kind: str) -> tuple[list[float], list[float]]:
    """Per case: (a) ISA-L decompression of the label map and the prediction, (b) the metrics alone."""
    from isal import igzip

    from tumorbench.api import REGIONS, get_convention
    from tumorbench.contract.values import MetricInput
    from tumorbench.io.nifti import load_volume
    from tumorbench_plugins.metrics import legacy

    convention = get_convention("brats-2017")
    decompress, metrics = [], []
    for folder in folders:
        files = [folder / f"{folder.name}_seg.nii.gz", preds / kind / f"{folder.name}.nii.gz"]
        with Clock() as a:
            for f in files:
                with igzip.open(f, "rb") as handle:
                    while handle.read(1 << 22):
                        pass
        decompress.append(a.cpu)
        seg, pred = (np.asarray(load_volume(f).data) for f in files)
        with Clock() as b:
            g, p = convention.to_regions(seg), convention.to_regions(pred)
            for r in REGIONS:
                legacy.compute(MetricInput(prediction=p[r], reference=g[r], spacing=(1.0, 1.0, 1.0), region=r))
        metrics.append(b.cpu)
    return decompress, metrics


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=12)
    args = parser.parse_args(argv)
    import nibabel as nib
    from tabulate import tabulate

    root = brats2018_root()
    folders = sorted(p for grade in ("HGG", "LGG") for p in (root / grade).glob("*") if p.is_dir())[: args.cases]
    if not folders:
        print(f"no BraTS cases under {root}; set BENCH_TEST_DATA", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="bench-evaluate-"))
    try:
        rng = np.random.default_rng(0)
        preds = work / "preds"
        for folder in folders:
            seg_img = nib.load(folder / f"{folder.name}_seg.nii.gz")
            seg = np.asarray(seg_img.dataobj)
            for kind, labels in wrong_label_maps(seg, rng).items():
                (preds / kind).mkdir(parents=True, exist_ok=True)
                nib.save(nib.Nifti1Image(labels.astype(np.uint8), seg_img.affine), str(preds / kind / f"{folder.name}.nii.gz"))
        print(f"{len(folders)} cases x {len(KINDS)} wrong predictions written under {preds}", file=sys.stderr)

        from tumorbench.contract.values import DatasetOptions
        from tumorbench.loading.registry import Registry
        from tumorbench.report.folder import pages_rendered
        from tumorbench.run.options import RunOptions
        from tumorbench.run.rescore import score_run
        from tumorbench.run.runner import run

        with Clock() as startup:
            registry = Registry()
            registry.datasets.get("brats18").open(DatasetOptions(root=root)).case_ids()  # a run's scan
        ids = [f.name for f in folders]

        def timed_commands(kind: str, cases: list[str], tag: str) -> tuple[Clock, Clock]:
            out = work / "runs" / f"{kind}-{tag}"
            options = RunOptions(
                models=(f"folder:{kind}",), datasets=("brats18",), out=out, data_roots={"brats18": root},
                model_params={"path": str(preds / kind), "name": kind}, metric_conventions=("brats-legacy",),
                cases=tuple(cases), write_predictions=False,
            )
            with Clock() as ev, pages_rendered(out, units="mm", registry=registry):  # the run, then its pages, as bench evaluate
                summary = run(options, registry=registry)
            assert summary.ok == len(cases), summary.failures
            with Clock() as sc, pages_rendered(out, units="voxel", registry=registry):
                rescored = score_run(out, conventions=["brats-legacy"], units="voxel", data_roots={}, registry=registry)
            assert rescored.ok == len(cases), rescored.failures
            return ev, sc

        timed_commands(KINDS[0], ids[:1], "warm-up")  # first-use imports (pandas, tabulate) out of the way
        evaluate_cpu, evaluate_wall, score_cpu, score_wall, fixed_cpu, a_all, b_all = [], [], [], [], [], [], []
        n = len(ids)
        for kind in KINDS:
            # per case = (all cases - one case) / (n - 1): the command's fixed cost (store, CSV, page) cancels
            ev1, sc1 = timed_commands(kind, ids[:1], "one")
            ev, sc = timed_commands(kind, ids, "all")
            evaluate_cpu.append((ev.cpu - ev1.cpu) / (n - 1))
            evaluate_wall.append((ev.wall - ev1.wall) / (n - 1))
            score_cpu.append((sc.cpu - sc1.cpu) / (n - 1))
            score_wall.append((sc.wall - sc1.wall) / (n - 1))
            fixed_cpu.append(ev1.cpu - evaluate_cpu[-1])
            a, b = floor_costs(folders, preds, kind)
            a_all += a
            b_all += b
            print(f"  {kind}: done", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    med = statistics.median
    floor = med(a_all) + med(b_all)
    ms = lambda x: f"{1e3 * x:.1f} ms"  # noqa: E731
    rows = [
        ["start-up (registry, dataset scan)", ms(startup.cpu), ms(startup.wall), "", "paid once per command"],
        ["fixed cost of a run (store, metrics.csv, page)", ms(med(fixed_cpu)), "", "", "paid once per command"],
        ["(a) decompress label map + prediction (ISA-L)", ms(med(a_all)), "", "", ""],
        ["(b) brats-legacy metrics on arrays in memory", ms(med(b_all)), "", "", ""],
        ["bench evaluate, per case", ms(med(evaluate_cpu)), ms(med(evaluate_wall)), f"{med(evaluate_cpu) / floor:.2f}x", "goal <= 1.5x"],
        ["bench score, per case", ms(med(score_cpu)), ms(med(score_wall)), f"{med(score_cpu) / floor:.2f}x", "goal <= 1.2x"],
    ]
    print(tabulate(rows, headers=["what", "CPU (median)", "wall (median)", "vs (a)+(b)", ""], tablefmt="github"))
    print(f"per-kind evaluate: {', '.join(f'{k} {ms(v)}' for k, v in zip(KINDS, evaluate_cpu, strict=True))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
