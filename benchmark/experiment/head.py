"""What an experiment's pages say before the tables: its profile and budgets, the note, each
model against the baseline, the models' notes."""

from __future__ import annotations

from pathlib import Path

from tumorbench.experiment.definition import Experiment
from tumorbench.experiment.rows import row_labels
from tumorbench.loading.registry import Registry

ALPHA = 0.05


def verdict_lines(exp: Experiment, registry: Registry, frame) -> list[str]:
    """Each row against the baseline on the cases and regions both were scored on, in the first
    convention's first ranking metric and its direction; computed from the stored results. "Beats"
    (or "is worse than") only where the paired test says so: the Wilcoxon signed-rank test of the
    per-case means (over the shared regions), Holm-corrected over the rows, at 5 %; otherwise the
    row is "not distinguishable from the baseline on N cases"."""
    if not exp.baseline or frame.empty:
        return []
    defaults = registry.default_conventions([d.name for d in exp.datasets])
    convention = registry.metric_convention(exp.conventions[0] if exp.conventions else defaults[0])
    metric = convention.ranking()[0]
    frame = frame[(frame.metric_convention == convention.name) & (frame.metric == metric.name) & (frame.units == exp.units)]
    baseline_rows = [label for label, entry in row_labels(exp, registry) if entry.label == exp.baseline]
    if not baseline_rows:
        return []
    base = frame[frame.model == baseline_rows[0]].set_index(["dataset", "case_id", "region"]).value
    scope = f", the held-out fold {exp.held_out[1]} of {exp.held_out[0]}" if exp.held_out else ""
    from tumorbench.report.escape import md

    lines = [f"Each model against {md(baseline_rows[0])} in mean {md(metric.name)} ({'higher' if metric.higher_is_better else 'lower'} is better) "
             f"over the cases and regions both were scored on ({convention.name}{scope}); \"beats\" only where the Wilcoxon "
             f"signed-rank test of the per-case means, Holm-corrected over the rows, is significant at {ALPHA:.0%}:", ""]
    compared = _compared(exp, registry, frame, base, baseline_rows[0])
    adjusted = _holm([c["p"] for c in compared if c.get("p") is not None])
    it = iter(adjusted)
    for c in compared:
        label, entry = c["label"], c["entry"]
        if "p" not in c:
            lines.append(f"- {md(label)}: no case in common with the baseline (not scored, or every case failed)")
            continue
        p_holm = next(it)
        better = c["ours"] > c["theirs"] if metric.higher_is_better else c["ours"] < c["theirs"]
        if p_holm < ALPHA:
            verdict = "beats the baseline" if better else "is worse than the baseline"
        else:
            verdict = f"is not distinguishable from the baseline on {c['cases']} cases"
        why = "" if (p_holm < ALPHA and better) or not entry.note else f" {'Why' if entry.train is not None else 'Note'}: {md(entry.note)}."
        lines.append(
            f"- **{md(label)}** {verdict}: {c['ours']:.3f} vs {c['theirs']:.3f} ({c['regions']}; {c['cases']} cases; "
            f"Wilcoxon p = {_p(c['p'])}, Holm {_p(p_holm)}).{why}"
        )
    return [*lines, ""]


def _compared(exp: Experiment, registry: Registry, frame, base, baseline: str) -> list[dict]:
    """Per row: its mean and the baseline's over the shared (case, region) values, and the
    Wilcoxon p-value of the paired per-case means."""
    from tumorbench.stats.paired_tests import wilcoxon_p

    out = []
    for label, entry in row_labels(exp, registry):
        if label == baseline:
            continue
        mine = frame[frame.model == label].set_index(["dataset", "case_id", "region"]).value
        common = mine.index.intersection(base.index)
        if common.empty:
            out.append({"label": label, "entry": entry})
            continue
        per_case = mine[common].groupby(level=["dataset", "case_id"]).mean()
        theirs = base[common].groupby(level=["dataset", "case_id"]).mean().reindex(per_case.index)
        out.append({
            "label": label, "entry": entry, "ours": float(mine[common].mean()), "theirs": float(base[common].mean()),
            "regions": ",".join(sorted(set(common.get_level_values("region")))), "cases": len(per_case),
            "p": wilcoxon_p(per_case.to_numpy(float), theirs.to_numpy(float)),
        })
    return out


def _holm(p: list[float]) -> list[float]:
    from tumorbench.stats.paired_tests import holm

    return [float(v) for v in holm(p)] if p else []


def _p(value: float) -> str:
    return "<0.001" if value < 0.001 else f"{value:.3f}"


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
