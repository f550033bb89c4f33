"""Loading speed on the real cases against the floor of decompressing the same gzip bytes.

For every case of a BraTS-style folder this times, in one run and on the same files:

* ``load``    ``FolderDataset.load(case)``: all five files read, grids compared, labels validated;
* ``volumes`` :func:`tumorbench.io.nifti.load_volume` on the five files alone;
* ``fdata``   ``nibabel.load(f).get_fdata()`` on the five files (the common float64 way);
* ``floor``   decompressing the five files' gzip bytes already in memory with zlib (the standard
  library's gzip), and with ISA-L (what ``load_volume`` uses).

Each number is the median over ``--repeat`` rounds (the first round warms the page cache and is
not counted). Usage::

    python benchmarks/bench_loading.py [DATA_FOLDER] [--dataset brats18] [--repeat 3]

DATA_FOLDER defaults to ``$BENCH_TEST_DATA/MICCAI_BraTS_2018_Data_Training`` (or
``../shared/data/...`` next to the repository).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import zlib
from pathlib import Path

from bench_data import brats2018_root


def _time(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", type=Path, default=brats2018_root())
    parser.add_argument("--dataset", default=None, help="layout name (default: detect)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import nibabel as nib
    from isal import isal_zlib

    from tumorbench.io.nifti import GZIP_BACKEND, load_volume
    from tumorbench_plugins.datasets.common import FolderDataset
    from tumorbench_plugins.datasets.layouts import detect, get_layout

    layout = get_layout(args.dataset) if args.dataset else detect(args.root)[0]
    source = FolderDataset(layout, args.root)
    files = source.files()
    rows = []
    for case_id, case in files.items():
        paths = [*dict.fromkeys(case.images.values()), *([case.label] if case.label else [])]
        blobs = [p.read_bytes() for p in paths]
        timers = {
            "load": lambda c=case_id: source.load(c),
            "volumes": lambda ps=paths: [load_volume(p, expect_3d=False) for p in ps],
            "fdata": lambda ps=paths: [nib.load(str(p)).get_fdata() for p in ps],
            "floor_zlib": lambda bs=blobs: [zlib.decompress(b, 31) for b in bs],
            "floor_isal": lambda bs=blobs: [isal_zlib.decompress(b, 31) for b in bs],
        }
        for fn in timers.values():  # warm-up round, not counted
            fn()
        times = {name: statistics.median(_time(fn) for _ in range(args.repeat)) for name, fn in timers.items()}
        times["mb"] = sum(len(b) for b in blobs) / 1e6
        rows.append((case_id, times))

    print(f"{len(rows)} cases of {layout.name} in {args.root}; gzip backend {GZIP_BACKEND}; "
          f"median of {args.repeat} rounds; {os.cpu_count()} CPUs")
    header = f"{'case':28s} {'MB':>6s} {'load':>7s} {'volumes':>8s} {'fdata':>7s} {'zlib':>7s} {'isal':>7s} {'load/zlib':>9s}"
    print(header)
    for case_id, t in rows:
        print(f"{case_id:28s} {t['mb']:6.1f} {t['load']:7.3f} {t['volumes']:8.3f} {t['fdata']:7.3f} "
              f"{t['floor_zlib']:7.3f} {t['floor_isal']:7.3f} {t['load'] / t['floor_zlib']:9.2f}")
    mean = {k: statistics.mean(t[k] for _, t in rows) for k in rows[0][1]}
    print(f"{'mean per case':28s} {mean['mb']:6.1f} {mean['load']:7.3f} {mean['volumes']:8.3f} {mean['fdata']:7.3f} "
          f"{mean['floor_zlib']:7.3f} {mean['floor_isal']:7.3f} {mean['load'] / mean['floor_zlib']:9.2f}")
    print(f"load per case vs zlib floor: {mean['load'] / mean['floor_zlib']:.2f}x; "
          f"vs ISA-L floor: {mean['load'] / mean['floor_isal']:.2f}x; "
          f"get_fdata vs zlib floor: {mean['fdata'] / mean['floor_zlib']:.2f}x; "
          f"load is {mean['fdata'] / mean['load']:.1f}x faster than get_fdata")


if __name__ == "__main__":
    main()
