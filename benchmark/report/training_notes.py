"""The "Training data:" lines under a leaderboard: excluded cases, scored training cases,
unknown training data, from each run folder's ``eligibility.json``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tumorbench.prediction.folds import EXCLUDED, TRAINING_CASE, UNKNOWN
from tumorbench.report.escape import md
from tumorbench.results.eligibility import read_eligibility


def eligibility_lines(run_dirs: Sequence[Path], dataset: str | None = None) -> list[str]:
    """Markdown lines for the page: excluded cases, scored training cases, unknown training data."""
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for run_dir in run_dirs:
        for label, by_dataset in read_eligibility(run_dir).items():
            for name, cases in by_dataset.items():
                if dataset is not None and name != dataset:
                    continue
                tally = counts.setdefault((name, label), {})
                for status in cases.values():
                    tally[status] = tally.get(status, 0) + 1
    lines: list[str] = []
    for (name, label), tally in sorted(counts.items()):
        where = f"{md(label)} / {md(name)}"  # names from results: escaped, never Markdown or HTML
        if tally.get(EXCLUDED):
            lines.append(f"- {where}: {tally[EXCLUDED]} case(s) excluded: every stored fold trained on them (not scored, not failed)")
        if tally.get(TRAINING_CASE):
            lines.append(f"- {where}: {tally[TRAINING_CASE]} scored case(s) are TRAINING cases "
                         "(--allow-training-cases): not out-of-fold scores")
        if tally.get(UNKNOWN):
            lines.append(f"- {where}: training data unknown for {tally[UNKNOWN]} case(s) (no split.json: a training-free, third-party or folder: model)")
    return ["", "Training data:", "", *lines, ""] if lines else []


# ------------------------------------------------------------------ what each row's model was trained as
PROTOCOL_LINE = (
    "Protocol: a trained fold validates (early stopping, learning-rate schedule, checkpoint choice) on cases kept "
    "aside from its training folds; its held-out fold, the only cases it is scored on, is never given to the trainer "
    "(the protocol of nnU-Net and the seed papers)."
)
LEGACY_LINE = (
    "Rows marked \"held-out fold as validation\" come from checkpoints trained by tumorbench before 0.2, which "
    "validated on the held-out fold and then scored it: their scores are optimistic; retrain them to compare."
)


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = int(round(float(seconds)))
    if seconds < 60:
        return f"{seconds} s"
    hours, rest = divmod(seconds, 3600)
    return f"{hours}h{rest // 60:02d}m" if hours else f"{rest // 60}m{rest % 60:02d}s"


def member_note(summary: Mapping[str, Any], *, wall: bool = True) -> str:
    """How one model's stored folds were trained, in a few words (the model store's record);
    ``wall``: with the wall time of its training."""
    from tumorbench.models.trained import HELD_OUT_AS_VALIDATION, INSIDE

    if not summary.get("trainable"):
        return "not trained here (predictions read from a folder)" if summary.get("folder") else "no training (training-free)"
    folds = list(summary.get("folds") or [])
    if not folds:
        return "no stored fold"
    total = folds[0].get("folds")
    which = ",".join(str(f.get("fold")) for f in folds)
    parts = [f"{len(folds)} of {total} folds (fold {which})" if total else f"{len(folds)} fold(s) (fold {which})"]
    first = folds[0]
    if first.get("protocol") == INSIDE:
        parts.append(f"{first.get('trained')} training + {first.get('validation')} validation cases, {first.get('held_out')} held out")
    elif first.get("protocol") == HELD_OUT_AS_VALIDATION:
        parts.append(f"{first.get('trained')} training cases, held-out fold as validation (before tumorbench 0.2)")
    else:
        parts.append("training cases not recorded (no split.json)")
    recorded = [f for f in folds if f.get("recorded")]
    if recorded:
        params = recorded[0].get("params") or {}
        parts.append("options " + ", ".join(f"{k}={v}" for k, v in params.items()) if params else "default options")
        epochs = max((f.get("epochs") or 0 for f in recorded), default=0)
        steps = [f.get("steps") for f in recorded]
        counted = f"{sum(int(s) for s in steps if s is not None):,} steps" if any(s is not None for s in steps) else "steps not reported"
        each = " in all" if len(recorded) > 1 else ""
        budget = max((float(f.get("time_budget") or 0) for f in recorded), default=0.0)
        time = f", {_clock(wall_seconds(summary))}{each}" if wall else ""
        parts.append(f"{epochs} epoch(s), {counted}{time}" + (f" (budget {budget:g} s a fold)" if budget else ""))
    else:
        parts.append("options, steps and time not recorded (trained before tumorbench 0.2)")
    return "; ".join(parts)


def wall_seconds(summary: Mapping[str, Any]) -> float | None:
    """The wall time of a member's recorded trainings, over its folds (None: none recorded)."""
    recorded = [f for f in summary.get("folds") or [] if f.get("recorded")]
    return sum(float(f.get("wall_seconds") or 0) for f in recorded) if recorded else None


def row_note(members: Mapping[str, Any] | None) -> str:
    """``trained: ...`` for one row: its members' notes, members trained alike named together (with
    the range of their wall times)."""
    if members is None:
        return "trained: not recorded (run before tumorbench 0.2)"
    if len(members) == 1:
        return f"trained: {member_note(next(iter(members.values())))}"
    groups: dict[str, list[str]] = {}
    for member, summary in members.items():
        groups.setdefault(member_note(summary, wall=False), []).append(member)
    parts = []
    for note, names in groups.items():
        walls = [w for w in (wall_seconds(members[n]) for n in names) if w is not None]
        time = ""
        if walls:
            low, high = _clock(min(walls)), _clock(max(walls))
            time = f", {low} each" if low == high or len(names) == 1 else f", {low}-{high} each"
            time = time.replace(" each", "") if len(names) == 1 else time
        who = f"{', '.join(names)} each" if len(names) > 1 else names[0]
        parts.append(f"{who}: {note}{time}")
    return "trained: " + " | ".join(parts)


def row_training(runs: Mapping[int, Mapping[str, Any]], model: str, dataset: str) -> Mapping[str, Any] | None:
    """The training record of ``model`` (a row's name) on ``dataset`` from the latest run of its
    folder that recorded one (None: no run recorded it)."""
    for run in sorted(runs.values(), key=lambda r: -int(r["id"])):
        provenance = run.get("provenance") or {}
        name = (provenance.get("model_refs") or {}).get(model)
        entry = ((provenance.get("training") or {}).get(name) or {}).get(dataset) if name else None
        if entry is not None:
            return entry
    return None


def training_lines(runs_of: Mapping[str, Mapping[int, Mapping[str, Any]]], rows: Sequence[tuple[str, str, str]],
                   dataset: str) -> list[str]:
    """Markdown lines: ``label: trained: ...`` per row (``(run folder, model, label)``), the protocol."""
    from tumorbench.models.trained import HELD_OUT_AS_VALIDATION
    from tumorbench.report.escape import md

    lines, legacy = [], False
    for run_dir, model, label in rows:
        members = row_training(runs_of.get(run_dir, {}), model, dataset)
        legacy = legacy or any(f.get("protocol") == HELD_OUT_AS_VALIDATION
                               for m in (members or {}).values() for f in m.get("folds") or [])
        lines.append(f"- {md(label)}: {md(row_note(members))}")
    return ["Training (from each row's model store, as its run recorded it):", "", *lines, "", PROTOCOL_LINE,
            *([LEGACY_LINE] if legacy else []), ""]
