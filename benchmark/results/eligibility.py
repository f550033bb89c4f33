"""``eligibility.json`` beside ``results.sqlite``: each case's out-of-fold verdict, as a run kept it."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from tumorbench.errors import BenchError
from tumorbench.io.atomic import write_text_atomic
from tumorbench.prediction.folds import EXCLUDED, TRAINING_CASE, CaseEligibility


def record_eligibility(run_dir: Path, verdicts: Mapping[tuple[str, str], Sequence[CaseEligibility]]) -> Path:
    """Merge ``{(model label, dataset): verdicts}`` into ``<run_dir>/eligibility.json`` (atomic).

    A case once scored as a training case stays marked as one: its scores remain in the store.
    """
    path = Path(run_dir) / ELIGIBILITY_FILE
    blob = read_eligibility(run_dir)
    for (label, dataset), items in verdicts.items():
        cases = blob.setdefault(label, {}).setdefault(dataset, {})
        for v in items:
            if v.status == EXCLUDED and cases.get(v.case_id) == TRAINING_CASE:
                continue
            cases[v.case_id] = v.status
    return write_text_atomic(path, json.dumps(blob, indent=1, sort_keys=True) + "\n")


def read_eligibility(run_dir: Path) -> dict[str, dict[str, dict[str, str]]]:
    """``{model: {dataset: {case: status}}}`` from ``eligibility.json`` ({} when absent)."""
    path = Path(run_dir) / ELIGIBILITY_FILE
    if not path.is_file():
        return {}
    try:
        blob = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, RecursionError) as exc:
        raise BenchError(f"{path}: not valid JSON ({exc})") from exc
    shaped = isinstance(blob, dict) and all(
        isinstance(by_dataset, dict) and all(
            isinstance(cases, dict) and all(isinstance(c, str) and isinstance(s, str) for c, s in cases.items())
            for cases in by_dataset.values()
        )
        for by_dataset in blob.values()
    )
    if not shaped:
        raise BenchError(f"{path}: not an eligibility record (expected {{model: {{dataset: {{case: status}}}}}}); "
                         "move it aside and rerun the run that wrote it")
    return blob


ELIGIBILITY_FILE = "eligibility.json"
