"""Leaderboards rendered from one or more results stores, and the long-form ``metrics.csv``.

Per dataset, one row per model: cases evaluated and failed, then for every metric and region
``mean ± sd (median)`` over all cases, failed cases included at their worst-case values.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path

from .atomic import atomic_path, write_text_atomic
from .labels import REGIONS
from .store import ResultsStore

CSV_COLUMNS = ["model", "dataset", "case", "region", "metric", "value"]
METRIC_GROUPS: list[tuple[str, list[str]]] = [
    ("Overlap and distance", ["dice", "hd95"]),
    ("Sensitivity and specificity", ["sensitivity", "specificity"]),
    ("Lesion-wise", ["lesion_dice", "lesion_hd95"]),
    ("Uncertainty (QU-BraTS)", ["dauc", "rftp", "rftn", "qu-score"]),
]
SORT_RULE = (
    "Sorted by the mean Dice over the regions the model predicts (higher first), ties by the mean "
    "HD95 (lower first)."
)


def collect(stores: Sequence[ResultsStore], metric_convention: str, units: str):
    """Metric rows of every store for one metric convention and distance unit (a DataFrame)."""
    import pandas as pd

    frames = [s.metrics() for s in stores]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if frame.empty:
        return frame
    return frame[(frame.metric_convention == metric_convention) & (frame.units == units)]


def write_metrics_csv(store: ResultsStore, path: Path, metric_convention: str, units: str) -> Path:
    """``model,dataset,case,region,metric,value`` for every stored metric row (atomic write)."""
    frame = collect([store], metric_convention, units)
    if frame.empty:
        import pandas as pd

        frame = pd.DataFrame(columns=CSV_COLUMNS)
    else:
        frame = frame.rename(columns={"case_id": "case"})[CSV_COLUMNS]
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False)
    return path


def _fmt(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if abs(value) >= 100:
        return f"{value:.1f}"
    return f"{value:.3f}"


def _cell(values) -> str:
    values = values.dropna()
    if values.empty:
        return "-"
    sd = float(values.std(ddof=1)) if len(values) > 1 else 0.0
    return f"{_fmt(float(values.mean()))} ± {_fmt(sd)} ({_fmt(float(values.median()))})"


def metric_groups(names: Iterable[str]) -> list[tuple[str, list[str]]]:
    """The stored metric names grouped into tables; unknown names go to a last 'Other' table."""
    names = list(dict.fromkeys(names))
    known = {m for _, ms in METRIC_GROUPS for m in ms}
    groups = [(title, [m for m in ms if m in names]) for title, ms in METRIC_GROUPS]
    groups.append(("Other", sorted(m for m in names if m not in known)))
    return [(title, ms) for title, ms in groups if ms]


def dataset_table(frame, evaluations, metrics: Sequence[str]) -> tuple[list[str], list[list[str]]]:
    """Header and rows (sorted by the stated rule) of one dataset's table for ``metrics``."""
    columns = [(m, r) for m in metrics for r in REGIONS if ((frame.metric == m) & (frame.region == r)).any()]
    header = ["Model", "Cases", "Failed"] + [f"{m} {r}" for m, r in columns]
    keyed = []
    for model, group in frame.groupby("model", sort=False):
        evals = evaluations[evaluations.model == model]
        ok = group[group.status == "ok"]
        row = [model, str(int((evals.status != "predicted").sum())), str(int((evals.status == "failed").sum()))]
        for metric, region in columns:
            sel = (group.metric == metric) & (group.region == region)
            # a metric no case produced (uncertainty of a label-only model) stays empty, but a
            # model whose every case failed shows its worst-case scores
            has_real = ok.empty or ((ok.metric == metric) & (ok.region == region)).any()
            row.append(_cell(group[sel].value) if has_real else "-")
        dice = group[group.metric == "dice"].value.mean()
        hd = group[group.metric == "hd95"].value.mean()
        keyed.append(((-(dice if dice == dice else -1), hd if hd == hd else math.inf), row))
    keyed.sort(key=lambda item: item[0])
    return header, [row for _, row in keyed]


def render_leaderboard(
    stores: Sequence[ResultsStore],
    *,
    metric_convention: str = "brats-legacy",
    units: str = "mm",
    datasets: Iterable[str] | None = None,
    metrics: Iterable[str] | None = None,
) -> str:
    """The Markdown leaderboard: one table per dataset, with the conventions under each."""
    import pandas as pd
    from tabulate import tabulate

    frame = collect(stores, metric_convention, units)
    evaluations = pd.concat([s.evaluations() for s in stores], ignore_index=True)
    if not evaluations.empty:
        evaluations = evaluations[(evaluations.metric_convention == metric_convention) & (evaluations.units == units)]
    wanted = set(datasets) if datasets else None
    if metrics:
        frame = frame[frame.metric.isin(list(metrics))]
    lines = ["# tumorbench leaderboard", ""]
    names = sorted(set(evaluations.dataset)) if not evaluations.empty else []
    if not names:
        lines.append(f"No results for metric convention {metric_convention} in {units} units.")
        return "\n".join(lines) + "\n"
    for dataset in names:
        if wanted is not None and dataset not in wanted:
            continue
        sub_eval = evaluations[evaluations.dataset == dataset]
        sub = frame[frame.dataset == dataset] if not frame.empty else frame
        lines += [f"## {dataset}", ""]
        if sub.empty:
            predicted = int((sub_eval.status == "predicted").sum())
            lines += [f"No metrics: {predicted} case predictions written (the set has no ground truth).", ""]
            continue
        label_conventions = ", ".join(sorted(set(sub_eval.label_convention)))
        for title, names in metric_groups(sub.metric):
            header, rows = dataset_table(sub, sub_eval, names)
            conventions = ", ".join(sorted(set(sub[sub.metric.isin(names)].convention)))
            lines += [
                f"### {title}",
                "",
                tabulate(rows, headers=header, tablefmt="github", disable_numparse=True),
                "",
                f"Metric convention: {conventions}; distances in {units}; label convention: {label_conventions}.",
                "",
            ]
        lines += [
            f"Cells: mean ± sd (median) over cases. {SORT_RULE}",
            "Failed cases are scored worst-case (Dice 0, HD95 the convention's penalty) and never dropped.",
            "",
        ]
        failed = sub_eval[sub_eval.status == "failed"]
        if not failed.empty:
            lines += ["Failed cases:", ""]
            lines += [f"- {r.model} / {r.case_id}: {r.reason}" for r in failed.itertuples()]
            lines.append("")
    return "\n".join(lines)


def publish(text_by_dataset: dict[str, str], directory: Path) -> list[Path]:
    """Write ``<directory>/<dataset>.md`` files."""
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for dataset, text in text_by_dataset.items():
        out.append(write_text_atomic(directory / f"{dataset}.md", text))
    return out
