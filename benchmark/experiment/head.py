"""What an experiment's pages say before the tables: its profile and budgets, the note, each
model against the baseline, the models' notes."""

from __future__ import annotations

from pathlib import Path

from tumorbench.experiment.definition import Experiment
from tumorbench.experiment.rows import row_labels
from tumorbench.loading.registry import Registry


def verdict_lines(exp: Experiment, registry: Registry, frame) -> list[str]:
    """Each row against the baseline on the cases and regions both were scored on, in the first
    convention's first ranking metric and its direction; computed from the stored results."""
    if not exp.baseline or frame.empty:
        return []
    convention = registry.metric_convention(exp.conventions[0] if exp.conventions else registry.default_conventions()[0])
    metric = convention.ranking()[0]
    frame = frame[(frame.metric_convention == convention.name) & (frame.metric == metric.name) & (frame.units == exp.units)]
    baseline_rows = [label for label, entry in row_labels(exp, registry) if entry.label == exp.baseline]
    if not baseline_rows:
        return []
    base = frame[frame.model == baseline_rows[0]].set_index(["dataset", "case_id", "region"]).value
    scope = f", the held-out fold {exp.held_out[1]} of {exp.held_out[0]}" if exp.held_out else ""
    from tumorbench.report.escape import md

    lines = [f"Each model against {md(baseline_rows[0])} in mean {md(metric.name)} ({'higher' if metric.higher_is_better else 'lower'} is better) "
             f"over the cases and regions both were scored on ({convention.name}{scope}):", ""]
    for label, entry in row_labels(exp, registry):
        if label == baseline_rows[0]:
            continue
        mine = frame[frame.model == label].set_index(["dataset", "case_id", "region"]).value
        common = mine.index.intersection(base.index)
        if common.empty:
            lines.append(f"- {md(label)}: no case in common with the baseline (not scored, or every case failed)")
            continue
        ours, theirs = float(mine[common].mean()), float(base[common].mean())
        better = ours > theirs if metric.higher_is_better else ours < theirs
        regions = ",".join(sorted(set(common.get_level_values("region"))))
        verdict = "beats the baseline" if better else "does NOT beat the baseline"
        # a trained row's note gives its budget, the reason; another row's note only describes it
        why = "" if better or not entry.note else f" {'Why' if entry.train is not None else 'Note'}: {md(entry.note)}."
        lines.append(
            f"- **{md(label)}** {verdict}: {ours:.3f} vs {theirs:.3f} ({regions}; {len(set(common.droplevel('region')))} cases).{why}"
        )
    return [*lines, ""]


def experiment_head(exp: Experiment, registry: Registry, frame, *, level: int = 1) -> list[str]:
    """What an experiment's pages say before the tables: its name and summary, the profile and its
    budgets, the note, each model against the baseline (from the stored values), the models' notes,
    the experiment file. ``level``: the heading level of the name."""
    from tumorbench.report.escape import md

    head = [f"{'#' * level} Experiment {md(exp.name)}", ""]
    if exp.summary:
        head += [md(exp.summary), ""]
    if exp.profile:
        head += [f"Profile {md(exp.profile)}" + (f": {md(exp.profile_note)}" if exp.profile_note else "."), ""]
    if exp.note:
        head += [md(exp.note), ""]
    head += verdict_lines(exp, registry, frame)
    notes = [f"- {md(e.label)}: {md(e.note)}" for e in exp.models if e.note]
    if notes:
        head += ["Models:", "", *notes, ""]
    head += [f"Experiment file: {md(_shown_path(exp.path))}.", ""]
    return head


def _shown_path(path: Path) -> str:
    """A path as a page shows it: relative to the working directory when it lies below it."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)
