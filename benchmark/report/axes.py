"""Tables across axes: models x datasets, each model with and without a post-processor, an
ensemble against each of its members, and folds. Each paired comparison uses the cases both
rows have and says how many; its Wilcoxon p-values are Holm-corrected within the table.
"""

from __future__ import annotations

import numpy as np

from tumorbench.report.escape import md
from tumorbench.stats.paired_tests import holm, wilcoxon_p


def _split(row: str) -> tuple[str, str]:
    from tumorbench.report.context import ROW_SEPARATOR

    run_dir, model = row.split(ROW_SEPARATOR, 1)
    return run_dir, model


def _ranking_keys(context, convention_name: str) -> list[tuple[str, bool]]:
    from tumorbench.errors import BenchError

    try:
        convention = context.registry.metric_convention(convention_name)
    except BenchError:
        return []
    known = {m.name for m in convention.metrics}
    rank_by = [n for n in context.options.rank_by if n in known]
    defs = [convention.metric(n) for n in rank_by] if context.options.rank_by else convention.ranking()
    return [(m.name, m.higher_is_better) for m in defs]


def _identity(context, row: str, dataset: str):
    run_dir, model = _split(row)
    for (d, m, ds, _c), record in context.records.items():
        if d == run_dir and m == model and ds == dataset and record.identity:
            return record.identity
    return None


def _pair_rows(context, frame, pairs, keys, title: str, page, what: str) -> None:
    """One table: per (A, B) pair and ranking key, cases, mean A, mean B, B - A and Wilcoxon p (Holm)."""
    records = []
    for dataset, convention, a, b in pairs:
        sub = frame[(frame.dataset == dataset) & (frame.metric_convention == convention)]
        for metric, higher in keys.get(convention, []):
            for region in sorted(set(sub.region[(sub.row == a) & (sub.metric == metric)])):
                x = sub[(sub.row == a) & (sub.metric == metric) & (sub.region == region)].set_index("case_id").value
                y = sub[(sub.row == b) & (sub.metric == metric) & (sub.region == region)].set_index("case_id").value
                common = sorted(set(x.index) & set(y.index))
                if not common:
                    continue
                xa, yb = x.loc[common].to_numpy(float), y.loc[common].to_numpy(float)
                records.append([dataset, convention, context.labels[a], context.labels[b], metric, region, len(common),
                                float(np.nanmean(xa)), float(np.nanmean(yb)), float(np.nanmean(yb - xa)),
                                "higher" if higher else "lower", wilcoxon_p(xa, yb)])
    if not records:
        return
    adjusted = holm(np.array([r[-1] for r in records]))
    from tumorbench.report.pages import fmt_p as _p
    from tumorbench.report.pages import fmt_value as _fmt

    page.add(f"### {md(title)}", "")
    header = ["Dataset", "Convention", "A", "B", "Metric", "Region", "Cases", "Mean A", "Mean B", "B - A", "Better",
              "Wilcoxon p", "Wilcoxon p (Holm)"]
    rows = [[*r[:7], _fmt(r[7]), _fmt(r[8]), _fmt(r[9]), r[10], _p(r[11]), _p(adj)] for r, adj in zip(records, adjusted)]
    page.table(header, rows, csv_name=title)
    page.add(f"{md(what)} Paired on the cases both rows have; Wilcoxon signed-rank test (two-sided), Holm over the "
             f"{len(rows)} rows of this table.", "")


def axes_tables(context, page, datasets) -> None:
    frame = context.frame
    if frame is None or frame.empty:
        return
    frame = frame[frame.dataset.isin(list(datasets))]
    conventions = sorted(set(frame.metric_convention))
    keys = {c: _ranking_keys(context, c) for c in conventions}
    rows = list(dict.fromkeys(frame.row))
    _models_by_datasets(context, page, frame, datasets, conventions, keys)

    post, ensembles = [], []
    for dataset in datasets:
        sub = frame[frame.dataset == dataset]
        for convention in conventions:
            present = set(sub.row[sub.metric_convention == convention])
            for row in rows:
                if row not in present:
                    continue
                run_dir, model = _split(row)
                if "+" in model:
                    base = model.split("+", 1)[0]
                    candidates = [r for r in present if _split(r) == (run_dir, base)]
                    pp = model.split("+", 1)[1]
                    if candidates:
                        post.append((dataset, convention, candidates[0], row, pp))
                identity = _identity(context, row, dataset) or {}
                members = list(identity.get("members") or {})
                if len(members) > 1 and "+" not in model:
                    for member in members:
                        for r in present:
                            if _split(r) == (run_dir, member):
                                ensembles.append((dataset, convention, r, row))
    if post:
        _pair_rows(context, frame, [p[:4] for p in post], keys, "Post-processors: each model without (A) and with (B)", page,
                   "B is A followed by the post-processor named after its '+'.")
    if ensembles:
        _pair_rows(context, frame, ensembles, keys, "Ensembles against their members", page,
                   "A is a member model, B the ensemble it is part of (same run).")
    _folds(context, page, frame, datasets, conventions, keys)


def _models_by_datasets(context, page, frame, datasets, conventions, keys) -> None:
    if len(datasets) < 2:
        return
    from tumorbench.report.pages import fmt_value as _fmt

    for convention in conventions:
        metric = next(iter(keys.get(convention) or []), None)
        if metric is None:
            continue
        sub = frame[(frame.metric_convention == convention) & (frame.metric == metric[0])]
        models = list(dict.fromkeys(sub.model))
        header = ["Model", *datasets]
        table = []
        for model in models:
            cells = [model]
            for dataset in datasets:
                part = sub[(sub.model == model) & (sub.dataset == dataset)]
                if part.empty:
                    cells.append("-")
                    continue
                cells.append(" / ".join(f"{_fmt(float(g.value.mean()))} ({len(set(g.case_id))})"
                                        for _r, g in part.groupby("row", sort=True)))
            table.append(cells)
        page.add(f"### Models x datasets ({md(convention)}, mean {md(metric[0])} over regions and cases)", "")
        page.table(header, table, csv_name=f"models-x-datasets-{convention}")
        page.add("Cells: mean (cases) per row; two runs of one model show as two values separated by ' / '. "
                 "Datasets differ in cases and difficulty: compare down a column, not across.", "")


def _folds(context, page, frame, datasets, conventions, keys) -> None:
    from tumorbench.report.pages import fmt_value as _fmt

    entries = []
    for row in dict.fromkeys(frame.row):
        for dataset in datasets:
            identity = _identity(context, row, dataset)
            if identity and identity.get("fold") is not None:
                entries.append((row, dataset, identity["fold"]))
    by_model: dict[tuple[str, str], list] = {}
    for row, dataset, fold in entries:
        by_model.setdefault((_split(row)[1], dataset), []).append((fold, row))
    multi = {k: v for k, v in by_model.items() if len({f for f, _ in v}) > 1}
    if not multi:
        return
    page.add("### Folds", "")
    for convention in conventions:
        metric = next(iter(keys.get(convention) or []), None)
        if metric is None:
            continue
        table = []
        for (model, dataset), folds in sorted(multi.items()):
            means = []
            for fold, row in sorted(folds, key=lambda item: (item[0], item[1])):
                part = frame[(frame.row == row) & (frame.dataset == dataset) & (frame.metric_convention == convention)
                             & (frame.metric == metric[0])]
                if part.empty:
                    continue
                means.append(float(part.value.mean()))
                table.append([model, dataset, fold, _split(row)[0], len(set(part.case_id)), _fmt(means[-1])])
            if len(means) > 1:
                table.append([model, dataset, "all", "", "", f"{_fmt(float(np.mean(means)))} ± {_fmt(float(np.std(means, ddof=1)))}"])
        if table:
            page.table(["Model", "Dataset", "Fold", "Run", "Cases", f"mean {metric[0]}"], table, csv_name=f"folds-{convention}")
            page.add(f"Per fold: mean {md(metric[0])} over regions and cases ({md(convention)}); 'all': mean ± sd over folds.", "")
