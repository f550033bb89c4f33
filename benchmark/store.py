"""The results store: one SQLite file per run directory (``results.sqlite``).

Tables:
    runs         one row per invocation, with its provenance (JSON) and when it started/finished
    evaluations  one row per (model, dataset, case, metric convention, units): ok / failed /
                 predicted (no ground truth), the reason of a failure, seconds, prediction path
    metrics      one row per (evaluation, region, metric) with its value

A case's rows are written in one transaction, so an interrupted run loses at most the case in
flight, and a rerun skips every evaluation already stored as ok or predicted.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started REAL NOT NULL,
    finished REAL,
    provenance TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS evaluations (
    model TEXT NOT NULL,
    dataset TEXT NOT NULL,
    case_id TEXT NOT NULL,
    metric_convention TEXT NOT NULL,
    units TEXT NOT NULL,
    label_convention TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'predicted')),
    reason TEXT,
    seconds REAL,
    prediction TEXT,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    PRIMARY KEY (model, dataset, case_id, metric_convention, units)
);
CREATE TABLE IF NOT EXISTS metrics (
    model TEXT NOT NULL,
    dataset TEXT NOT NULL,
    case_id TEXT NOT NULL,
    metric_convention TEXT NOT NULL,
    units TEXT NOT NULL,
    region TEXT NOT NULL,
    metric TEXT NOT NULL,
    convention TEXT NOT NULL,
    value REAL,
    PRIMARY KEY (model, dataset, case_id, metric_convention, units, region, convention, metric)
);
"""

RESULTS_FILE = "results.sqlite"


@dataclass(frozen=True)
class MetricRow:
    """One metric value of one case and region."""

    region: str
    metric: str
    convention: str
    value: float


@dataclass(frozen=True)
class EvaluationKey:
    model: str
    dataset: str
    case_id: str
    metric_convention: str
    units: str


class ResultsStore:
    """A thin, typed wrapper over the run directory's SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        db.execute("PRAGMA foreign_keys = ON")
        return db

    # ------------------------------------------------------------------ runs
    def start_run(self, provenance: Mapping[str, Any]) -> int:
        with closing(self._connect()) as db, db:
            cursor = db.execute(
                "INSERT INTO runs (started, provenance) VALUES (?, ?)",
                (time.time(), json.dumps(provenance, sort_keys=True, default=str)),
            )
            return int(cursor.lastrowid or 0)

    def finish_run(self, run_id: int) -> None:
        with closing(self._connect()) as db, db:
            db.execute("UPDATE runs SET finished = ? WHERE id = ?", (time.time(), run_id))

    def runs(self) -> list[dict[str, Any]]:
        with closing(self._connect()) as db:
            rows = db.execute("SELECT id, started, finished, provenance FROM runs ORDER BY id").fetchall()
        return [{"id": r[0], "started": r[1], "finished": r[2], "provenance": json.loads(r[3])} for r in rows]

    # ------------------------------------------------------------------ evaluations
    def done(self, key: EvaluationKey) -> bool:
        """Whether ``key`` is stored as ok or predicted (failed evaluations are retried)."""
        with closing(self._connect()) as db:
            row = db.execute(
                "SELECT status FROM evaluations WHERE model=? AND dataset=? AND case_id=? "
                "AND metric_convention=? AND units=?",
                (key.model, key.dataset, key.case_id, key.metric_convention, key.units),
            ).fetchone()
        return row is not None and row[0] in ("ok", "predicted")

    def record(
        self,
        key: EvaluationKey,
        *,
        run_id: int,
        label_convention: str,
        status: str,
        metrics: Iterable[MetricRow],
        reason: str | None = None,
        seconds: float | None = None,
        prediction: str | None = None,
    ) -> None:
        """Replace ``key``'s evaluation and metric rows, all in one transaction."""
        ident = (key.model, key.dataset, key.case_id, key.metric_convention, key.units)
        where = "model=? AND dataset=? AND case_id=? AND metric_convention=? AND units=?"
        with closing(self._connect()) as db, db:
            db.execute(f"DELETE FROM metrics WHERE {where}", ident)
            db.execute(f"DELETE FROM evaluations WHERE {where}", ident)
            db.execute(
                "INSERT INTO evaluations VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (*ident, label_convention, status, reason, seconds, prediction, run_id),
            )
            db.executemany(
                "INSERT INTO metrics VALUES (?,?,?,?,?,?,?,?,?)",
                [(*ident, m.region, m.metric, m.convention, _finite_or_none(m.value)) for m in metrics],
            )

    def evaluations(self):
        """All evaluations as a pandas DataFrame."""
        import pandas as pd

        with closing(self._connect()) as db:
            return pd.read_sql_query("SELECT * FROM evaluations ORDER BY model, dataset, case_id", db)

    def metrics(self):
        """All metric rows joined with their evaluation's status, as a pandas DataFrame."""
        import pandas as pd

        query = (
            "SELECT m.*, e.status, e.label_convention FROM metrics m JOIN evaluations e USING "
            "(model, dataset, case_id, metric_convention, units) ORDER BY m.model, m.dataset, m.case_id"
        )
        with closing(self._connect()) as db:
            return pd.read_sql_query(query, db)


def _finite_or_none(value: float) -> float | None:
    value = float(value)
    return value if value == value else None  # NaN is stored as NULL


def open_store(run_dir: Path) -> ResultsStore:
    return ResultsStore(Path(run_dir) / RESULTS_FILE)
