"""The "Training data:" lines under a leaderboard: excluded cases, scored training cases,
unknown training data, from each run folder's ``eligibility.json``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

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
