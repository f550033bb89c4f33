"""Leaderboards rendered from one or more results stores, and the long-form ``metrics.csv``.

Per dataset and metric convention, one table per metric group the convention's specs declare,
columns in their declared order, one row per model: cases evaluated and failed, then for every
metric and region ``mean ± sd (median)`` over all cases, failed cases included at their
worst-case values. Rows are sorted by the convention's ranking metrics, each in its own
direction. Nothing here names a convention or a metric.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path

from .atomic import atomic_path, write_text_atomic
from .conventions import Convention
from .errors import BenchError
from .labels import REGIONS
from .store import ResultsStore

CSV_COLUMNS = ["model", "dataset", "case", "metric_convention", "units", "region", "metric", "value", "status"]


def collect(stores: Sequence[ResultsStore], units: str | None = None, conventions: Iterable[str] | None = None):
    """Metric rows of every store (a DataFrame), optionally for one unit and some conventions."""
    import pandas as pd

    frames = [s.metrics() for s in stores]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if frame.empty:
        return frame
    if units is not None:
        frame = frame[frame.units == units]
    if conventions is not None:
        frame = frame[frame.metric_convention.isin(list(conventions))]
    return frame


def write_metrics_csv(store: ResultsStore, path: Path) -> Path:
    """Every stored metric row in long form (atomic write), sorted so that reruns compare equal."""
    import pandas as pd

    frame = collect([store])
    if frame.empty:
        frame = pd.DataFrame(columns=CSV_COLUMNS)
    else:
        frame = frame.assign(status=frame.metric_status).rename(columns={"case_id": "case"})[CSV_COLUMNS]
        frame = frame.sort_values(CSV_COLUMNS[:7], kind="stable")
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False)
    return path


def _fmt(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if abs(value) >= 100:
        return f"{value:.1f}"
    return f"{value:.3f}"


def _cell(values, failed: int) -> str:
    values = values.dropna()
    note = f" [{failed} failed]" if failed else ""
    if values.empty:
        return f"no value{note}"
    sd = float(values.std(ddof=1)) if len(values) > 1 else 0.0
    return f"{_fmt(float(values.mean()))} ± {_fmt(sd)} ({_fmt(float(values.median()))}){note}"


def _sort_key(group, ranking) -> tuple[float, ...]:
    """Each ranking metric's mean over regions, signed so that smaller sorts first."""
    key = []
    for metric in ranking:
        mean = group[group.metric == metric.name].value.mean()
        if mean != mean:
            key.append(math.inf)
        else:
            key.append(-mean if metric.higher_is_better else mean)
    return tuple(key)


def convention_table(frame, evaluations, metrics, ranking) -> tuple[list[str], list[list[str]]]:
    """Header and rows (sorted by ``ranking``) of one dataset's table for ``metrics`` (MetricDefs)."""
    columns = [(m, r) for m in metrics for r in REGIONS if ((frame.metric == m.name) & (frame.region == r)).any()]
    header = ["Model", "Cases", "Failed"] + [f"{m.name} {r}" for m, r in columns]
    keyed = []
    for model, group in frame.groupby("model", sort=False):
        evals = evaluations[evaluations.model == model]
        ok = group[group.status == "ok"]
        row = [model, str(int((evals.status != "predicted").sum())), str(int((evals.status == "failed").sum()))]
        for metric, region in columns:
            sel = group[(group.metric == metric.name) & (group.region == region)]
            # a metric no case produced (uncertainty of a label-only model) stays empty, but a
            # model whose every case failed shows its worst-case scores
            has_real = ok.empty or ((ok.metric == metric.name) & (ok.region == region)).any()
            failed = int((sel.metric_status == "failed").sum())
            row.append(_cell(sel.value, failed) if has_real else "-")
        keyed.append((_sort_key(group, ranking), row))
    keyed.sort(key=lambda item: item[0])
    return header, [row for _, row in keyed]


def _sort_rule(convention: Convention) -> str:
    parts = [f"{m.name} ({'higher' if m.higher_is_better else 'lower'} first)" for m in convention.ranking()]
    return "Sorted by the mean over regions of " + ", then ".join(parts) + "."


def _conventions_for(registry, names: Sequence[str]) -> dict[str, Convention | None]:
    out: dict[str, Convention | None] = {}
    for name in names:
        try:
            out[name] = registry.convention(name)
        except BenchError:
            out[name] = None  # scored by a plugin that is not installed now
    return out


def _unknown_convention_groups(frame):
    """Tables for a convention whose plugin is not installed: one table, stored names, no order."""
    from .types import MetricDef

    names = list(dict.fromkeys(frame.metric))
    defs = [MetricDef(name=n, summary="", higher_is_better=True, worst=lambda s: 0.0) for n in names]
    return [("Metrics (convention not installed: order and directions unknown)", defs)], []


def _interrupted_lines(stores: Sequence[ResultsStore]) -> list[str]:
    lines = []
    for store in stores:
        for run in store.runs():
            if run["interrupted"]:
                lines.append(
                    f"- {store.path.parent}: run {run['id']} was cut short after {run['done'] or 0} of "
                    f"{run['planned'] or 0} planned cases (`{run['provenance'].get('command') or 'unknown command'}`)"
                )
    return lines


def render_leaderboard(
    stores: Sequence[ResultsStore],
    *,
    units: str = "mm",
    conventions: Iterable[str] | None = None,
    datasets: Iterable[str] | None = None,
    metrics: Iterable[str] | None = None,
    registry=None,
) -> str:
    """The Markdown leaderboard: per dataset and convention, one table per metric group."""
    import pandas as pd
    from tabulate import tabulate

    if registry is None:
        from .registry import Registry

        registry = Registry()
    frame = collect(stores, units, conventions)
    evaluations = pd.concat([s.evaluations() for s in stores], ignore_index=True)
    wanted = set(datasets) if datasets else None
    if metrics:
        frame = frame[frame.metric.isin(list(metrics))]
    lines = ["# tumorbench leaderboard", ""]
    interrupted = _interrupted_lines(stores)
    if interrupted:
        lines += ["**Incomplete:** these runs did not finish; their tables hold only the cases done.", "", *interrupted, ""]
    names = sorted(set(evaluations.dataset)) if not evaluations.empty else []
    if not names:
        lines.append(f"No results in {units} units.")
        return "\n".join(lines) + "\n"
    for dataset in names:
        if wanted is not None and dataset not in wanted:
            continue
        evals = evaluations[evaluations.dataset == dataset]
        sub = frame[frame.dataset == dataset] if not frame.empty else frame
        lines += [f"## {dataset}", ""]
        if sub.empty:
            predicted = int((evals.drop_duplicates(["model", "case_id"]).status == "predicted").sum())
            if predicted:
                lines += [f"No metrics: {predicted} case predictions written (the set has no ground truth).", ""]
            else:
                lines += [f"No metrics in {units} units.", ""]
            continue
        label_conventions = ", ".join(sorted(set(evals.label_convention)))
        present = list(dict.fromkeys(conventions or [])) or sorted(set(sub.metric_convention))
        specs = _conventions_for(registry, present)
        for name in present:
            part = sub[sub.metric_convention == name]
            if part.empty:
                continue
            convention = specs[name]
            part_evals = evals[(evals.metric_convention == name) & (evals.units == units)]
            if convention is None:
                groups, ranking = _unknown_convention_groups(part)
                rule = "Not sorted."
            else:
                groups, ranking = convention.groups(), convention.ranking()
                rule = _sort_rule(convention)
            for title, defs in groups:
                shown = [m for m in defs if (part.metric == m.name).any()]
                if not shown:
                    continue
                header, rows = convention_table(part, part_evals, shown, ranking)
                lines += [
                    f"### {title} ({name})",
                    "",
                    tabulate(rows, headers=header, tablefmt="github", disable_numparse=True),
                    "",
                    f"Metric convention: {name}; distances in {units}; label convention: {label_conventions}. {rule}",
                    "",
                ]
        lines += [
            "Cells: mean ± sd (median) over cases; `[k failed]`: metrics that failed on k cases, scored worst-case.",
            "Failed cases are scored worst-case (Dice 0, HD95 the convention's penalty) and never dropped.",
            "",
        ]
        failed = evals[evals.status == "failed"].drop_duplicates(["model", "case_id"])
        if not failed.empty:
            lines += ["Failed cases:", ""]
            lines += [f"- {r.model} / {r.case_id}: {r.reason}" for r in failed.itertuples()]
            lines.append("")
        metric_failures = sub[sub.metric_status == "failed"]
        if not metric_failures.empty:
            lines += ["Failed metrics:", ""]
            lines += [
                f"- {r.model} / {r.case_id} / {r.region} / {r.metric_convention} {r.metric}: {r.metric_reason}"
                for r in metric_failures.itertuples()
            ]
            lines.append("")
    return "\n".join(lines)


def publish(text_by_dataset: dict[str, str], directory: Path) -> list[Path]:
    """Write ``<directory>/<dataset>.md`` files."""
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for dataset, text in text_by_dataset.items():
        out.append(write_text_atomic(directory / f"{dataset}.md", text))
    return out
