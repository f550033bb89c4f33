"""Speed of the comparison statistics: both rankings, every paired test (Wilcoxon and a 10,000
sign-flip permutation test, Holm) and a 1,000-sample case bootstrap for 10 models x 125 cases x
6 ranking metrics (Dice and HD95 of WT, TC, ET), on one core. Goal: under 5 s.

The reference, measured in the same run, is the same work written the plain way: scipy's
``rankdata`` per case and metric, a Python loop over permutations and over bootstrap samples
(timed on a tenth of the permutations and samples and scaled up, said so in the output).

    python benchmarks/bench_compare.py
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import time  # noqa: E402
from itertools import combinations  # noqa: E402

import numpy as np  # noqa: E402

MODELS, CASES = 10, 125
KEYS = [("dice", r) for r in ("WT", "TC", "ET")] + [("hd95", r) for r in ("WT", "TC", "ET")]
HIGHER = np.array([True, True, True, False, False, False])


def data(seed: int = 0):
    from tumorbench.stats.analysis import Paired

    rng = np.random.default_rng(seed)
    skill = np.linspace(0.0, 0.1, MODELS)[:, None, None]
    dice = np.clip(rng.normal(0.8, 0.1, (MODELS, CASES, 3)) + skill, 0, 1)
    hd95 = np.abs(rng.normal(6.0, 3.0, (MODELS, CASES, 3)) - 20 * skill)
    values = np.concatenate([dice, hd95], axis=2)
    values[0, :5] = [0, 0, 0, 373.13, 373.13, 373.13]  # five failed cases, worst-case values
    failed = np.zeros((MODELS, CASES), bool)
    failed[0, :5] = True
    return Paired(
        rows=tuple(f"model-{i}" for i in range(MODELS)), cases=tuple(f"case-{c:03d}" for c in range(CASES)),
        keys=tuple(KEYS), higher=HIGHER, values=values, failed=failed, cases_per_row=(CASES,) * MODELS,
    )


def plain(values, higher, failed, permutations: int, samples: int, seed: int = 0) -> None:
    """The same statistics, loop by loop."""
    from scipy.stats import rankdata, wilcoxon

    m, c, k = values.shape
    ranks = np.empty_like(values)
    for case in range(c):
        for key in range(k):
            bad = np.where(higher[key], -values[:, case, key], values[:, case, key])
            bad = np.where(failed[:, case], np.inf, bad)
            ranks[:, case, key] = rankdata(bad, method="min")
    per_case = ranks.mean(axis=2)
    rng = np.random.default_rng(seed)
    for a, b in combinations(range(m), 2):
        for key in range(k):
            wilcoxon(values[a, :, key] - values[b, :, key])
            d = ranks[a, :, key] - ranks[b, :, key]
            observed = abs(d.mean())
            hits = 0
            for _ in range(permutations):
                hits += abs((rng.choice([-1.0, 1.0], c) * d).mean()) >= observed
    for _ in range(samples):
        idx = rng.integers(0, c, c)
        rankdata(per_case[:, idx].mean(axis=1), method="min")
        values[:, idx, :].mean(axis=1)


def main() -> None:
    from tumorbench.stats.analysis import analyse

    paired = data()
    analyse(paired, permutations=100, samples=10)  # warm imports
    t0, c0 = time.perf_counter(), time.process_time()
    result = analyse(paired, permutations=10_000, samples=1_000, seed=0)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    pairs = len(result.overall)
    print(f"ours: {MODELS} models x {CASES} cases x {len(KEYS)} ranking metrics, {pairs} pairs, "
          f"{len(result.pairs)} per-metric tests + {pairs} overall, 10000 permutations, 1000 bootstrap samples")
    print(f"ours: {wall:.2f} s wall, {cpu:.2f} s CPU on one thread (goal < 5 s): {'met' if cpu < 5 else 'NOT met'}")

    fraction = 10
    t0 = time.process_time()
    plain(paired.values.copy(), paired.higher, paired.failed, 10_000 // fraction // 10, 1_000 // fraction)
    scale_cpu = time.process_time() - t0
    # permutations were timed at 1/100 and bootstrap at 1/10: scale each part separately
    t0 = time.process_time()
    plain(paired.values.copy(), paired.higher, paired.failed, 0, 0)
    fixed = time.process_time() - t0
    t0 = time.process_time()
    plain(paired.values.copy(), paired.higher, paired.failed, 0, 1_000 // fraction)
    boot_part = time.process_time() - t0 - fixed
    perm_part = scale_cpu - fixed - boot_part
    reference = fixed + perm_part * 100 + boot_part * fraction
    print(f"plain loops (permutations timed at 1/100, bootstrap at 1/10, scaled): {reference:.1f} s CPU")
    print(f"speed-up: {reference / cpu:.0f}x")
    print(f"top rank: {result.data.rows[int(np.argmin(result.rank_then_aggregate.score))]}; "
          f"significantly better than k of 9: {result.better.sum(axis=1).tolist()}")


if __name__ == "__main__":
    main()
