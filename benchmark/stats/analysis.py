"""One comparison table's numbers: the paired case set, both rankings, the pairwise tests and
the bootstrap, from a long-form DataFrame of per-case metric rows.

Input columns: ``row`` (a model row's identity), ``case_id``, ``metric``, ``region``, ``value``
and ``failed`` (the prediction failed). Only the cases every row has are compared, and the
outcome says how many.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from tumorbench.stats.bootstrap import SAMPLES, Bootstrap, bootstrap
from tumorbench.stats.paired_tests import PERMUTATIONS, holm, permutation_p, significance, wilcoxon_p
from tumorbench.stats.ranking import Ranking, aggregate_then_rank, rank_then_aggregate


@dataclass(frozen=True)
class Paired:
    """Per-case values of ``M`` rows on the ``C`` cases they all have, for ``K`` keys."""

    rows: tuple[str, ...]
    cases: tuple[str, ...]
    keys: tuple[tuple[str, str], ...]  # (metric, region)
    higher: np.ndarray  # (K,)
    values: np.ndarray  # (M, C, K)
    failed: np.ndarray  # (M, C)
    cases_per_row: tuple[int, ...]  # before pairing


def paired(frame, rows: Sequence[str], keys: Sequence[tuple[str, str]], higher: Sequence[bool]) -> Paired:
    """The cube of values on the cases every row in ``rows`` has (sorted case ids)."""
    sub = frame[frame.row.isin(list(rows))]
    per_row = {r: set(sub.case_id[sub.row == r]) for r in rows}
    common = sorted(set.intersection(*per_row.values())) if per_row else []
    values = np.full((len(rows), len(common), len(keys)), np.nan)
    failed = np.zeros((len(rows), len(common)), dtype=bool)
    if common:
        row_index = {r: i for i, r in enumerate(rows)}
        case_index = {c: i for i, c in enumerate(common)}
        key_index = {k: i for i, k in enumerate(keys)}
        part = sub[sub.case_id.isin(common)]
        for r, c, m, g, v, f in zip(part.row, part.case_id, part.metric, part.region, part.value, part.failed):
            k = key_index.get((m, g))
            if k is not None:
                values[row_index[r], case_index[c], k] = np.nan if v is None else v
            if f:
                failed[row_index[r], case_index[c]] = True
    return Paired(
        rows=tuple(rows), cases=tuple(common), keys=tuple(keys), higher=np.asarray(higher, dtype=bool),
        values=values, failed=failed, cases_per_row=tuple(len(per_row[r]) for r in rows),
    )


@dataclass(frozen=True)
class Analysis:
    """Rankings, tests and bootstrap of one :class:`Paired` table.

    ``pairs`` has one row per pair of models and key: ``a``, ``b`` (indices), ``metric``,
    ``region``, ``difference`` (mean of a - b, in the metric's units), ``wilcoxon_p``,
    ``wilcoxon_holm``, ``permutation_p`` (of the per-case rank difference), ``permutation_holm``.
    ``overall`` has one row per pair: ``a``, ``b``, ``rank_difference`` (mean per-case rank of a
    minus b), ``permutation_p``, ``permutation_holm``. ``better[i, j]``: row ``i`` is
    significantly better than ``j`` (overall permutation test, Holm over pairs, 5 %).
    """

    data: Paired
    rank_then_aggregate: Ranking
    aggregate_then_rank: Ranking
    bootstrap: Bootstrap
    pairs: object  # DataFrame
    overall: object  # DataFrame
    better: np.ndarray
    permutations: int
    samples: int
    seed: int


def analyse(data: Paired, *, permutations: int = PERMUTATIONS, samples: int = SAMPLES, seed: int = 0) -> Analysis:
    """Both rankings, every pairwise test (Holm within the table) and the bootstrap."""
    import pandas as pd

    rta = rank_then_aggregate(data.values, data.higher, data.failed)
    atr = aggregate_then_rank(data.values, data.higher)
    m, c, k = data.values.shape
    pairs = list(combinations(range(m), 2))
    per_key = rta.per_key  # (M, C, K)
    assert rta.per_case is not None
    if pairs and c:
        a_idx = np.array([a for a, _ in pairs])
        b_idx = np.array([b for _, b in pairs])
        key_diffs = (per_key[a_idx] - per_key[b_idx]).transpose(1, 0, 2).reshape(c, -1)  # (C, pairs*K)
        case_diffs = (rta.per_case[a_idx] - rta.per_case[b_idx]).T  # (C, pairs)
        p_all = permutation_p(np.concatenate([key_diffs, case_diffs], axis=1), permutations, seed)
        p_keys = p_all[: key_diffs.shape[1]].reshape(len(pairs), k)
        p_overall = p_all[key_diffs.shape[1]:]
    else:
        p_keys = np.full((len(pairs), k), np.nan)
        p_overall = np.full(len(pairs), np.nan)
    records = []
    for index, (a, b) in enumerate(pairs):
        for key, (metric, region) in enumerate(data.keys):
            x, y = data.values[a, :, key], data.values[b, :, key]
            records.append({
                "a": a, "b": b, "metric": metric, "region": region, "n": c,
                "difference": float(np.nanmean(x - y)) if c else np.nan,
                "wilcoxon_p": wilcoxon_p(x, y) if c else np.nan,
                "permutation_p": float(p_keys[index, key]),
            })
    table = pd.DataFrame.from_records(records, columns=["a", "b", "metric", "region", "n", "difference", "wilcoxon_p", "permutation_p"])
    table["wilcoxon_holm"] = holm(table.wilcoxon_p.to_numpy())
    table["permutation_holm"] = holm(table.permutation_p.to_numpy())
    overall = pd.DataFrame({
        "a": [a for a, _ in pairs], "b": [b for _, b in pairs], "n": c,
        "rank_difference": [float(np.mean(rta.per_case[a] - rta.per_case[b])) if c else np.nan for a, b in pairs],
        "permutation_p": p_overall,
    })
    overall["permutation_holm"] = holm(overall.permutation_p.to_numpy())
    p_matrix = np.ones((m, m))
    advantage = np.zeros((m, m))  # positive: the row model has the better (lower) mean rank
    for row in overall.itertuples():
        p_matrix[row.a, row.b] = p_matrix[row.b, row.a] = row.permutation_holm
        advantage[row.a, row.b], advantage[row.b, row.a] = -row.rank_difference, row.rank_difference
    boot = bootstrap(rta.per_case, data.values, samples, seed) if c else Bootstrap(np.full((1, m), np.nan), np.full((1, m, k), np.nan))
    return Analysis(
        data=data, rank_then_aggregate=rta, aggregate_then_rank=atr, bootstrap=boot, pairs=table, overall=overall,
        better=significance(p_matrix, advantage), permutations=permutations, samples=samples, seed=seed,
    )
