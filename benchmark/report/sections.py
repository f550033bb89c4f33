"""The parts of a leaderboard group below its metric tables, each from one :class:`Analysis`
and the leaderboard's context: the ranking table, the paired tests and significance matrix, the
pictures, the provenance, the reported rows and the overlays.
"""

from __future__ import annotations

import numpy as np

from tumorbench.errors import BenchError
from tumorbench.report.context import ROW_SEPARATOR
from tumorbench.report.escape import md
from tumorbench.report.pages import fmt_p as _p
from tumorbench.report.pages import fmt_value as _fmt


def ranking_table(context, page, analysis, rows, order, part_evals, dataset, name, ranking_defs, regions) -> None:
    labels = context.labels
    rta, atr, boot = analysis.rank_then_aggregate, analysis.aggregate_then_rank, analysis.bootstrap
    interval = boot.rank_interval()
    means = boot.mean_interval()
    index = {r: i for i, r in enumerate(rows)}
    n_cases = len(analysis.data.cases)
    header = ["Rank", "Model", "Cases", "Failed", "Mean rank", "Rank 95% CI", "Aggregate-then-rank", "Better than"]
    table = []
    for row in order:
        i = index[row]
        ev = part_evals[part_evals.row == row]
        cases = int((ev.status != "predicted").sum())
        failed = int((ev.status == "failed").sum())
        table.append([
            int(rta.rank[i]), labels[row], cases, failed, f"{rta.score[i]:.3f}",
            f"{int(interval[i, 0])}-{int(interval[i, 1])}", int(atr.rank[i]),
            f"{int(analysis.better[i].sum())} of {len(rows) - 1}",
        ])
    page.table(header, table, csv_name=f"{name}-{'-'.join(regions)}-ranking")
    keys = ", ".join(f"{m.name} ({'higher' if m.higher_is_better else 'lower'} is better)" for m in ranking_defs)
    not_paired = [labels[r] for r, n in zip(rows, analysis.data.cases_per_row) if n != n_cases]
    page.add(
        f"Ranked on the {n_cases} cases every model in this table has"
        + (f" ({', '.join(md(x) for x in not_paired)} have more)" if not_paired else "")
        + f". Rank then aggregate (BraTS): per case, region ({md(', '.join(regions))}) and ranking metric "
        f"({md(keys)}) the models are ranked, ties take the smallest rank and a failed case ranks last; "
        "Mean rank is the mean over a case's ranking metrics, then over cases. Aggregate-then-rank ranks the "
        "per-metric means instead. Rank 95% CI: percentile interval over "
        f"{analysis.samples} bootstrap samples of the cases (seed {analysis.seed}). Better than: significantly "
        f"better than k of the other models (paired permutation test of the per-case mean rank, {analysis.permutations} "
        "sign flips, Holm-corrected over this table's pairs, 5 %).",
        "",
    )
    header = ["Rank", "Model", *[f"{m} {r} mean [95% CI]" for m, r in analysis.data.keys]]
    table = []
    for row in order:
        i = index[row]
        cells = [int(rta.rank[i]), labels[row]]
        for k in range(len(analysis.data.keys)):
            mean = float(np.nanmean(analysis.data.values[i, :, k]))
            cells.append(f"{_fmt(mean)} [{_fmt(means[i, k, 0])}, {_fmt(means[i, k, 1])}]")
        table.append(cells)
    page.add(f"Ranking metrics on the {n_cases} paired cases, with bootstrap 95 % intervals of the mean:", "")
    page.table(header, table, csv_name=f"{name}-{'-'.join(regions)}-ranking-means")


def tests_section(context, page, analysis, rows, name, region_text) -> None:
    labels = [context.labels[r] for r in rows]
    n = len(analysis.data.cases)
    page.add(f"#### Paired tests ({md(name)}, {md(region_text)}; {n} paired cases)", "")
    page.add(f"<details><summary>{len(analysis.pairs)} tests: every pair of models, ranking metric and region</summary>", "")
    header = ["Model A", "Model B", "Metric", "Region", "Cases", "Mean A - B", "Wilcoxon p", "Wilcoxon p (Holm)",
              "Permutation p", "Permutation p (Holm)"]
    table = [
        [labels[r.a], labels[r.b], r.metric, r.region, r.n, _fmt(r.difference), _p(r.wilcoxon_p), _p(r.wilcoxon_holm),
         _p(r.permutation_p), _p(r.permutation_holm)]
        for r in analysis.pairs.itertuples()
    ]
    page.table(header, table, csv_name=f"{name}-{region_text}-paired-tests")
    page.add("</details>", "")
    page.add(
        "Wilcoxon signed-rank test of the per-case values (scipy, two-sided, zero differences dropped); "
        f"permutation test of the per-case rank difference ({analysis.permutations} seeded sign flips, two-sided). "
        f"Holm's correction runs over the {len(table)} rows of this table, separately for each test.",
        "",
    )
    symbols = np.where(analysis.better, "▲", np.where(analysis.better.T, "▼", "·"))
    matrix = [[labels[i], *[("" if i == j else symbols[i, j]) for j in range(len(rows))]] for i in range(len(rows))]
    page.table(["Significance", *[str(j + 1) for j in range(len(rows))]], matrix, csv_name=f"{name}-{region_text}-significance")
    page.add(
        "Columns are the rows in the same order (1 = first row). ▲: the row model is significantly better than the "
        "column model, ▼: significantly worse, ·: no significant difference (permutation test of the per-case mean "
        "rank, Holm over the pairs of this table, 5 %).",
        "",
    )


def pictures(context, page, analysis, rows, order, part, convention, name, regions) -> None:
    """Box and strip plots, histograms, the heat map and rank stability, models in rank ``order``."""
    from tumorbench.report import plots

    units = context.options.units
    position = [rows.index(r) for r in order]
    labels = [context.labels[r] for r in order]
    region_text = "-".join(regions)
    page.add(f"#### Pictures ({md(name)}, {md(', '.join(regions))})", "")
    metrics = convention.metrics if convention is not None else []
    for metric in metrics:
        sel = part[part.metric == metric.name]
        if sel.empty:
            continue
        values = {r: {context.labels[row]: sel.value[(sel.row == row) & (sel.region == r)].to_numpy(dtype=float) for row in order}
                  for r in regions if (sel.region == r).any()}
        picture = plots.box_strip(values, metric=metric.name, higher_is_better=metric.higher_is_better, unit=metric.unit,
                                  units=units, seed=analysis.seed)
        page.picture(f"{name}-{region_text}-box-{metric.name}", picture, f"{metric.name} per case, models in rank order")
    first = next((m for m in analysis.data.keys if _unit_ratio(convention, m[0])), None)
    if first is not None:
        metric = first[0]
        for region in regions:
            sel = part[(part.metric == metric) & (part.region == region)]
            values = {context.labels[row]: sel.value[sel.row == row].to_numpy(dtype=float) for row in order}
            picture = plots.histograms(values, metric=f"{metric} {region}")
            page.picture(f"{name}-{region_text}-hist-{metric}-{region}", picture, f"{metric} {region} histogram per model")
    if len(rows) < 2:
        return  # one model: no ranks to picture
    rta = analysis.rank_then_aggregate
    picture = plots.heatmap(rta.per_case.T[:, position], analysis.data.cases, labels,
                            title="per-case mean rank over the ranking metrics", higher_is_better=False,
                            colour_label="mean rank (1 = best)")
    page.picture(f"{name}-{region_text}-heatmap", picture, "case x model heat map of the per-case mean rank")
    picture = plots.rank_stability(analysis.bootstrap.rank_frequencies()[position], labels, samples=analysis.samples)
    page.picture(f"{name}-{region_text}-rank-stability", picture, "rank stability over the bootstrap samples")


def _unit_ratio(convention, metric: str) -> bool:
    if convention is None:
        return False
    try:
        m = convention.metric(metric)
    except BenchError:
        return False
    return m.unit == "ratio" and m.higher_is_better


def training(context, page, dataset, rows) -> None:
    """Each row's ``trained: ...`` note (from its run's record of the model store) and the protocol."""
    from tumorbench.report.training_notes import training_lines

    items = [(*row.split(ROW_SEPARATOR, 1), context.labels[row]) for row in rows]
    page.add(*training_lines(context.runs, items, dataset))


def provenance(context, page, dataset, name, part, rows) -> None:
    from tumorbench.report.provenance import checkpoint_hashes, provenance_lines

    used = []
    for run_dir, group in part.groupby("run_dir"):
        pairs = {(int(s), int(p)) for s, p in zip(group.run_id, group.prediction_run_id)}
        for run_id in sorted({s for s, _ in pairs} | {p for _, p in pairs}):
            run = context.runs.get(run_dir, {}).get(run_id)
            if run is not None:
                used.append({
                    **run, "folder": run_dir,
                    "scored_predictions_of": sorted({p for s, p in pairs if s == run_id and p != run_id}),
                    "predictions_scored_by": sorted({s for s, p in pairs if p == run_id and s != run_id}),
                })
    checkpoints = {}
    for row in rows:
        run_dir, model = row.split(ROW_SEPARATOR, 1)
        identities = [
            rec.identity for (d, m, ds, _c), rec in context.records.items() if d == run_dir and m == model and ds == dataset
        ]
        checkpoints[context.labels[row]] = checkpoint_hashes(identities)
        if len({rec.identity_sha256 for (d, m, ds, _c), rec in context.records.items()
                if d == run_dir and m == model and ds == dataset and rec.identity_sha256}) > 1:
            page.add(f"Note: {md(context.labels[row])} mixes predictions of more than one model identity "
                     "(another checkpoint, option or plugin version); rerun it to make them one.", "")
    page.add(*provenance_lines(used, dataset=dataset, convention=name, units=context.options.units, checkpoints=checkpoints))


def reported_section(context, page, dataset, name, part) -> None:
    from tumorbench.report.reported import rows_for

    metrics = sorted(set(part.metric))
    rows = rows_for(context.reported, dataset=dataset, convention=name, metrics=metrics)
    if rows is None or rows.empty:
        return
    page.add(f"#### Reported (not measured here, never ranked) ({md(name)})", "")
    for (paper, table_name), group in rows.groupby(["paper", "table"], sort=True):
        keys = list(dict.fromkeys(zip(group.metric, group.region)))
        header = ["Model", "Dataset", "Split", "Cases", *[f"{m} {r}" for m, r in keys]]
        out = []
        for (model, ds, split, cases), g in group.groupby(["model", "dataset", "split", "cases"], sort=False, dropna=False):
            cells = [model, ds, "" if split != split else split, cases]
            for m, r in keys:
                v = g[(g.metric == m) & (g.region == r)]
                if v.empty:
                    cells.append("-")
                else:
                    sd = v.sd.iloc[0]
                    cells.append(_fmt(float(v.value.iloc[0])) + (f" ± {_fmt(float(sd))}" if sd == sd and sd is not None else ""))
            out.append(cells)
        page.add(f"{md(paper)}, {md(table_name)} ({md(group.source.iloc[0].rsplit('/', 1)[-1])}):", "")
        page.table(header, out, csv_name=f"{name}-reported-{paper}-{table_name}")
        measured = {context.labels[r] for r in set(part.row)}
        shared = sorted(measured & set(group.model))
        if shared:
            page.add(f"Measured here under a reported name: {md(', '.join(shared))}. The measured rows were trained as their "
                     "\"trained:\" notes above say, not as the paper reports; the names are the architectures, not the training.", "")
    notes = sorted(set(rows.note.dropna()))
    if notes:
        page.add("Notes: " + "; ".join(md(n) for n in notes) + ".", "")


def overlay_section(context, page, dataset, part, convention) -> None:
    from tumorbench.report.overlays import overlay_pictures

    page.add(f"#### Overlays ({md(dataset)})", "")
    first = next((m for m in convention.ranking() if m.unit == "ratio" and m.higher_is_better and (part.metric == m.name).any()), None)
    if first is None:
        page.add("No overlap metric to choose the best, median and worst cases by.", "")
        return
    for row in dict.fromkeys(part.row):
        lines, picture = overlay_pictures(context, dataset, row, part, first.name)
        page.add(*lines)
        if picture is not None:
            page.picture(f"overlay-{context.labels[row]}", picture, f"{context.labels[row]}: best, median and worst case")
