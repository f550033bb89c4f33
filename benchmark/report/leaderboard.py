"""Leaderboards rendered from one or more results stores, and the long-form ``metrics.csv``.

A row is one model of one run folder: two runs of the same model, or two prediction folders
that share a name, are never merged (the run is shown when labels collide). Per dataset and
metric convention, models are grouped by the regions they predict and ranked only within their
group. Each group gets a ranking table (BraTS rank then aggregate, aggregate then rank, bootstrap
intervals, "significantly better than k of n"), the convention's metric tables in rank order,
the paired tests and a significance matrix, the reported rows of the papers, the pictures when
files are written, and the provenance. Nothing here names a convention or a metric: directions,
groups and ranking metrics come from the convention specs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from tumorbench.contract.metric_conventions import MetricConvention
from tumorbench.errors import BenchError
from tumorbench.report import sections
from tumorbench.report.context import ROW_SEPARATOR, BoardOptions, _Context, _row_labels
from tumorbench.report.escape import md
from tumorbench.report.frames import collect
from tumorbench.report.pages import Page, unique_stems
from tumorbench.report.pages import fmt_value as _fmt
from tumorbench.results.results_store import ResultsStore


# ---------------------------------------------------------------------------------------- cells
def _cell(values, failed: int) -> str:
    values = values.dropna()
    note = f" [{failed} failed]" if failed else ""
    if values.empty:
        return f"no value{note}"
    sd = float(values.std(ddof=1)) if len(values) > 1 else 0.0
    return f"{_fmt(float(values.mean()))} ± {_fmt(sd)} ({_fmt(float(values.median()))}){note}"


# ---------------------------------------------------------------------------------------- options


def _conventions_for(registry, names: Sequence[str]) -> dict[str, MetricConvention | None]:
    out: dict[str, MetricConvention | None] = {}
    for name in names:
        try:
            out[name] = registry.metric_convention(name)
        except BenchError:
            out[name] = None  # scored by a plugin that is not installed now
    return out


def _unknown_convention_groups(frame):
    """Tables for a convention whose plugin is not installed: one table, stored names, no order."""
    from tumorbench.contract.specs import MetricDef

    names = list(dict.fromkeys(frame.metric))
    defs = [MetricDef(name=n, summary="", higher_is_better=True, worst=lambda s: 0.0) for n in names]
    return [("Metrics (convention not installed: order and directions unknown)", defs)]


# ---------------------------------------------------------------------------------------- entry points
def render_leaderboard(
    stores: Sequence[ResultsStore],
    *,
    units: str = "mm",
    conventions: Iterable[str] | None = None,
    datasets: Iterable[str] | None = None,
    metrics: Iterable[str] | None = None,
    registry=None,
    **more,
) -> str:
    """The Markdown leaderboard of every dataset as one text (no files written beside it).

    ``more`` takes the other :class:`BoardOptions` fields (``rank_by``, ``reported``, ...).
    """
    options = BoardOptions(
        units=units, conventions=tuple(conventions) if conventions else None,
        datasets=tuple(datasets) if datasets else None, metrics=tuple(metrics) if metrics else None, **more,
    )
    pages = build_pages(stores, options, registry=registry, combined=True)
    return pages[0].text


def build_pages(stores: Sequence[ResultsStore], options: BoardOptions, *, registry=None, combined: bool = False) -> list[Page]:
    """One page per dataset (or one page with every dataset when ``combined``), plus, with more
    than one dataset or any variants, an ``index`` page of the tables across axes."""
    import pandas as pd

    from tumorbench.report.reported import load_reported

    if registry is None:
        from tumorbench.loading.registry import Registry

        registry = Registry()
    frame = collect(stores, options.units, options.conventions)
    evaluation_frames = []
    for store in stores:
        ev = store.evaluations()
        ev["run_dir"] = store.run_dir
        evaluation_frames.append(ev)
    evaluations = pd.concat(evaluation_frames, ignore_index=True) if evaluation_frames else pd.DataFrame()
    if not evaluations.empty:
        evaluations["row"] = evaluations.run_dir + ROW_SEPARATOR + evaluations.model
    if options.metrics and not frame.empty:
        frame = frame[frame.metric.isin(list(options.metrics))]
    rows = list(evaluations.row) if not evaluations.empty else []
    context = _Context(
        stores=stores, options=options, registry=registry, frame=frame, evaluations=evaluations,
        labels=_row_labels(rows), reported=load_reported(options.reported, built_in=options.built_in_reported, registry=registry),
    )
    for store in stores:
        run_dir = store.run_dir
        context.store_of[run_dir] = store
        context.runs[run_dir] = {r["id"]: r for r in store.runs()}
        for record in store.predictions():
            context.records[(run_dir, record.model, record.dataset, record.case_id)] = record

    names = set(evaluations.dataset) if not evaluations.empty else set()
    names |= {d for runs in context.runs.values() for run in runs.values() if run["interrupted"]
              for d in run["provenance"].get("datasets") or []}  # a run cut short before its first case
    names = sorted(names)
    if options.datasets:
        names = [n for n in names if n in set(options.datasets)]
    stems = unique_stems(names)
    title = ["# tumorbench leaderboard", ""]
    if options.preamble:
        title += [options.preamble.rstrip("\n"), ""]
    if not names:
        page = Page(stem="index", with_files=options.files)
        page.add(*title, f"No results in {options.units} units.", "")
        return [page]
    if combined:
        page = Page(stem="leaderboard", with_files=options.files)
        page.add(*title)
        if not options.files:
            page.add("Pictures (box plots, histograms, heat maps, rank stability, overlays) and a CSV beside every table: "
                     "`bench leaderboard RUN_DIR... --publish DIR`.", "")
        for name in names:
            _dataset_section(context, page, name)
        _axes_section(context, page, names)
        return [page]
    pages = []
    for name in names:
        page = Page(stem=stems[name], with_files=options.files)
        page.add(*title)
        _dataset_section(context, page, name)
        pages.append(page)
    index = Page(stem="index", with_files=options.files)
    index.add(*title, "Pages:", "")
    index.add(*[f"- [{md(n)}]({stems[n]}.md)" for n in names], "")
    _axes_section(context, index, names)
    return [*pages, index]


# ---------------------------------------------------------------------------------------- a dataset
def _interrupted_lines(context: _Context, dataset: str) -> list[str]:
    lines = []
    ev = context.evaluations
    for run_dir, runs in context.runs.items():
        used: set = set()
        if not ev.empty:
            mine = (ev.run_dir == run_dir) & (ev.dataset == dataset)
            used = set(ev.run_id[mine]) | set(ev.prediction_run_id[mine])  # runs that scored or predicted
        for run in runs.values():
            resumed = any(
                later["id"] > run["id"] and not later["interrupted"]
                and later["provenance"].get("command") == run["provenance"].get("command")
                for later in runs.values()
            )
            if run["interrupted"] and not resumed and (run["id"] in used or dataset in (run["provenance"].get("datasets") or [])):
                lines.append(
                    f"- {md(run_dir)}: run {run['id']} was cut short after {run['done'] or 0} of "
                    f"{run['planned'] or 0} planned cases (`{md(run['provenance'].get('command') or 'unknown command')}`)"
                )
    return lines


def _dataset_section(context: _Context, page: Page, dataset: str) -> None:
    options, frame, ev = context.options, context.frame, context.evaluations
    evals = ev[ev.dataset == dataset] if not ev.empty else ev
    sub = frame[frame.dataset == dataset] if not frame.empty else frame
    page.add(f"## {md(dataset)}", "")
    interrupted = _interrupted_lines(context, dataset)
    if interrupted:
        page.add("**Incomplete:** these runs did not finish; their tables hold only the cases done.", "", *interrupted, "")
    if evals.empty:
        page.add("No case was done.", "")
        return
    collisions = sorted({context.labels[r] for r in set(evals.row) if context.labels[r] != r.split(ROW_SEPARATOR, 1)[1]})
    if collisions:
        page.add("Rows from different run folders are kept apart; where two share a model name the row names its run.", "")
    if sub.empty:
        predicted = int((evals.drop_duplicates(["row", "case_id"]).status == "predicted").sum())
        if predicted:
            page.add(f"No metrics: {predicted} case predictions written (the set has no ground truth).", "")
        else:
            page.add(f"No metrics in {options.units} units.", "")
        return
    label_conventions = ", ".join(sorted(set(evals.label_convention)))
    present = list(dict.fromkeys(options.conventions or [])) or sorted(set(sub.metric_convention))
    specs = _conventions_for(context.registry, present)
    overlays_done = False
    for name in present:
        part = sub[sub.metric_convention == name]
        if part.empty:
            continue
        convention = specs[name]
        part, uncomputed = _computed_rows(part, convention)
        if uncomputed:
            page.add(f"Not ranked under {md(name)}: {', '.join(md(context.labels[r]) for r in uncomputed)}: no case could be "
                     "scored under it (every case failed, or the predictions have no uncertainty maps); their failed "
                     "cases are listed below.", "")
        if part.empty:
            continue
        part_evals = evals[(evals.metric_convention == name) & (evals.units == options.units)]
        order = region_order(context.registry, evals.label_convention, part.region)
        for regions, rows in _region_groups(part, order):
            _group_section(context, page, dataset, name, convention, part[part.row.isin(rows)],
                           part_evals[part_evals.row.isin(rows)], regions, label_conventions)
        sections.reported_section(context, page, dataset, name, part)
        if options.files and options.overlays and not overlays_done and convention is not None and not convention.needs_uncertainty:
            sections.overlay_section(context, page, dataset, part, convention)
            overlays_done = True
    page.add(
        "Cells: mean ± sd (median) over each row's own cases; `[k failed]`: metrics that failed on k cases, scored worst-case.",
        "Failed cases are scored worst-case (Dice 0, HD95 the convention's penalty) and never dropped.",
        "",
    )
    failed = evals[evals.status == "failed"].drop_duplicates(["row", "case_id"])
    if not failed.empty:
        page.add("Failed cases:", "")
        page.add(*[f"- {md(context.labels[r.row])} / {md(r.case_id)}: {md(r.reason)}" for r in failed.itertuples()], "")
    metric_failures = sub[sub.metric_status == "failed"]
    if not metric_failures.empty:
        page.add("Failed metrics:", "")
        page.add(*[
            f"- {md(context.labels[r.row])} / {md(r.case_id)} / {md(r.region)} / {md(r.metric_convention)} {md(r.metric)}: {md(r.metric_reason)}"
            for r in metric_failures.itertuples()
        ], "")


def _computed_rows(part, convention):  # noqa: ANN001, ANN202 - DataFrames
    """The rows of a convention that needs uncertainty maps (``part``) that it computed for at least
    one case, and the rows it never could: a model whose predictions have no maps gets worst-case
    rows only from its failed cases, and a table built from those alone would rank it as if scored."""
    if convention is None or not convention.needs_uncertainty:
        return part, []
    computed = set(part.row[part.status == "ok"])
    never = [r for r in dict.fromkeys(part.row) if r not in computed]
    return part[part.row.isin(computed)], never


def region_order(registry, label_conventions: Iterable[str], present: Iterable[str]) -> tuple[str, ...]:
    """The regions ``present``, in the order their label conventions give (a region no installed
    convention names follows in the order it was met)."""
    order: list[str] = []
    for name in sorted(set(label_conventions)):
        try:
            order += [r for r in registry.label_convention(name).region_names if r not in order]
        except BenchError:
            continue  # scored under a convention whose plugin is not installed now
    present = list(dict.fromkeys(present))
    return tuple([r for r in order if r in present] + [r for r in present if r not in order])


def _region_groups(part, order: Sequence[str]) -> list[tuple[tuple[str, ...], list[str]]]:
    """Rows grouped by the regions they have values for (in ``order``), most regions first."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for row, rows in part.groupby("row", sort=False):
        regions = tuple(r for r in order if r in set(rows.region))
        groups.setdefault(regions, []).append(row)
    return sorted(groups.items(), key=lambda item: (-len(item[0]), item[0]))


def _ranking_defs(context: _Context, convention: MetricConvention | None, part):
    if convention is None:
        return []
    if context.options.rank_by:
        known = {m.name for m in convention.metrics}
        return [convention.metric(n) for n in context.options.rank_by if n in known]
    return list(convention.ranking())


def _group_section(context: _Context, page: Page, dataset: str, name: str, convention: MetricConvention | None,
                   part, part_evals, regions: tuple[str, ...], label_conventions: str) -> None:
    from tumorbench.stats.analysis import analyse, paired

    options = context.options
    rows = list(dict.fromkeys(part.row))
    region_text = ", ".join(regions)
    page.add(f"### {md(name)}: models predicting {md(region_text)}", "")
    ranking_defs = [m for m in _ranking_defs(context, convention, part) if (part.metric == m.name).any()]
    keys = [(m.name, r) for m in ranking_defs for r in regions]
    order = rows
    analysis = None
    data = part.assign(failed=part.status == "failed")
    if keys:
        analysis = analyse(paired(data, rows, keys, [m.higher_is_better for m in ranking_defs for _ in regions]),
                           permutations=options.permutations, samples=options.samples, seed=options.seed)
        if analysis.data.cases:
            order = [rows[i] for i in np.argsort(analysis.rank_then_aggregate.score, kind="stable")]
            sections.ranking_table(context, page, analysis, rows, order, part_evals, dataset, name, ranking_defs, regions)
        else:
            page.add("No case is shared by every model in this group: no ranking and no paired test.", "")
    elif convention is not None and options.rank_by:
        page.add(f"Not ranked: --rank-by names no metric of {md(name)} ({md(', '.join(options.rank_by))}).", "")
    elif convention is not None:
        page.add("Not ranked: the ranking metrics of this convention are not among the shown metrics.", "")
    groups = convention.groups() if convention is not None else _unknown_convention_groups(part)
    for title, defs in groups:
        shown = [m for m in defs if (part.metric == m.name).any()]
        if not shown:
            continue
        header, table_rows = _metric_table(context, part, part_evals, shown, order, regions)
        page.add(f"#### {md(title)} ({md(name)})", "")
        page.table(header, table_rows, csv_name=f"{name}-{region_text}-{title}")
        page.add(f"Metric convention: {md(name)}; distances in {md(options.units)}; label convention: {md(label_conventions)}. "
                 f"Rows in rank order (rank then aggregate)." if analysis is not None else
                 f"Metric convention: {md(name)}; distances in {md(options.units)}; label convention: {md(label_conventions)}.", "")
    sections.training(context, page, dataset, order)
    if analysis is not None and analysis.data.cases and len(rows) > 1:
        sections.tests_section(context, page, analysis, rows, name, region_text)
    if analysis is not None and analysis.data.cases and options.files:
        sections.pictures(context, page, analysis, rows, order, part, convention, name, regions)
    sections.provenance(context, page, dataset, name, part, rows)


def _metric_table(context, frame, evaluations, metrics, order, regions) -> tuple[list[str], list[list[str]]]:
    columns = [(m, r) for m in metrics for r in regions if ((frame.metric == m.name) & (frame.region == r)).any()]
    header = ["Model", "Cases", "Failed"] + [f"{m.name} {r}" for m, r in columns]
    out = []
    for row in order:
        group = frame[frame.row == row]
        evals = evaluations[evaluations.row == row]
        ok = group[group.status == "ok"]
        cells = [context.labels[row], str(int((evals.status != "predicted").sum())), str(int((evals.status == "failed").sum()))]
        for metric, region in columns:
            sel = group[(group.metric == metric.name) & (group.region == region)]
            # a metric no case produced (uncertainty of a label-only model) stays empty, but a
            # model whose every case failed shows its worst-case scores
            has_real = ok.empty or ((ok.metric == metric.name) & (ok.region == region)).any()
            failed = int((sel.metric_status == "failed").sum())
            cells.append(_cell(sel.value, failed) if has_real else "-")
        out.append(cells)
    return header, out


# ---------------------------------------------------------------------------------------- across axes
def _axes_section(context, page, names) -> None:
    from tumorbench.report.axes import axes_tables

    axes_tables(context, page, names)
