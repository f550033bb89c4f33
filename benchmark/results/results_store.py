"""The results store: one SQLite file per run directory (``results.sqlite``), schema version 2.

Predictions and scores are separate records, so the same predictions can be scored under
another metric convention or distance unit without running a model again, and a prediction
file, ground truth or checkpoint that changed on disk is noticed:

    runs         one row per invocation, with its provenance (JSON), start, end and counts
    predictions  one row per (model, dataset, case): ok or failed (with the reason), the
                 prediction files and their SHA-256, the ground truth's SHA-256, and the
                 model's identity (plugin versions, options, checkpoint hashes) and its hash
    scores       one row per (prediction, metric convention, units): ok, or case-failed
                 (the prediction failed: worst-case values), and the hashes it was scored from
    metrics      one row per (score, region, metric): the value, ok or failed with the reason
    file_hashes  SHA-256 of files by (path, size, mtime, inode, ctime), so that unchanged checkpoints and
                 predictions are not read again on every rerun

A case's rows are written in one transaction; an interrupted run loses at most the case in
flight. The version is ``PRAGMA user_version``; a store written by tumorbench 0.1 (version 0:
one ``evaluations`` table keyed by convention) is migrated when opened, after a copy of the old
file is kept beside it. WAL journaling and a busy timeout let a leaderboard read while a run
writes.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import sqlite3
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tumorbench.errors import (
    BenchError,
    DiskFullError,
    StoreCorruptError,
    StoreLockedError,
    StoreTooNewError,
    disk_full,
    folded,
)
from tumorbench.io.hashing import FileHasher
from tumorbench.scoring.evaluation import MetricRow

SCHEMA_VERSION = 3
RESULTS_FILE = "results.sqlite"
LOCK_TIMEOUT_ENV = "TUMORBENCH_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT_S = 30.0


def lock_timeout() -> float:
    """Seconds a command waits for another one's write lock (``$TUMORBENCH_LOCK_TIMEOUT``, default 30)."""
    raw = os.environ.get(LOCK_TIMEOUT_ENV, "")
    try:
        return float(raw) if raw else DEFAULT_LOCK_TIMEOUT_S
    except ValueError as exc:
        raise BenchError(f"{LOCK_TIMEOUT_ENV}={raw!r}: not a number of seconds") from exc


def translate(exc: BaseException, path: Path) -> BaseException:
    """An SQLite or OS error as the one-line error the CLI reports with its own exit code."""
    if not isinstance(exc, sqlite3.Error) and isinstance(exc.__cause__, sqlite3.Error):
        exc = exc.__cause__  # pandas wraps SQLite's errors
    if isinstance(exc, BenchError):
        return exc
    full = disk_full(exc)
    if full is not None:
        return full
    text = folded(exc)
    if isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text):
        return StoreLockedError(
            f"{path}: locked by another process for more than {lock_timeout():.0f} s (another bench command "
            f"writing this run folder?); rerun when it ends, or raise {LOCK_TIMEOUT_ENV}"
        )
    name = getattr(exc, "sqlite_errorname", "") or ""
    if isinstance(exc, sqlite3.DatabaseError) and (name == "SQLITE_FULL" or "full" in text):
        return disk_full(OSError(28, "No space left on device", str(path))) or exc
    if isinstance(exc, sqlite3.DatabaseError) and (name.startswith("SQLITE_IOERR") or "disk I/O error" in text):
        return DiskFullError(
            f"{path}: cannot write (disk I/O error: the disk is full, over the file-size limit, or failing); free "
            "some space and rerun: finished cases are kept"
        )
    if isinstance(exc, sqlite3.DatabaseError):
        return StoreCorruptError(
            f"{path}: not a readable results store ({text}); `bench store check --repair {path.parent}` moves it "
            "aside and rebuilds what can be read"
        )
    return exc


def _guarded(method):
    """Report SQLite and disk errors of a store method as one-line errors naming the file."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (sqlite3.Error, OSError) as exc:
            raise translate(exc, self.path) from exc

    return wrapper


SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started REAL NOT NULL,
    finished REAL,
    provenance TEXT NOT NULL,
    planned INTEGER,
    done INTEGER,
    interrupted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS predictions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    model TEXT NOT NULL,
    dataset TEXT NOT NULL,
    case_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
    reason TEXT,
    label_convention TEXT NOT NULL,
    regions TEXT NOT NULL,
    shape TEXT,
    files TEXT NOT NULL,
    prediction_sha256 TEXT,
    reference_sha256 TEXT,
    has_reference INTEGER NOT NULL,
    identity TEXT,
    identity_sha256 TEXT,
    seconds REAL,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    UNIQUE (model, dataset, case_id)
);
CREATE TABLE IF NOT EXISTS scores (
    prediction_id INTEGER NOT NULL REFERENCES predictions(id) ON DELETE CASCADE,
    metric_convention TEXT NOT NULL,
    units TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'case-failed')),
    prediction_sha256 TEXT,
    reference_sha256 TEXT,
    seconds REAL,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    PRIMARY KEY (prediction_id, metric_convention, units)
);
CREATE TABLE IF NOT EXISTS metrics (
    prediction_id INTEGER NOT NULL,
    metric_convention TEXT NOT NULL,
    units TEXT NOT NULL,
    region TEXT NOT NULL,
    metric TEXT NOT NULL,
    value REAL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'case-failed')),
    reason TEXT,
    PRIMARY KEY (prediction_id, metric_convention, units, region, metric),
    FOREIGN KEY (prediction_id, metric_convention, units)
        REFERENCES scores(prediction_id, metric_convention, units) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS file_hashes (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL
);
"""


@dataclass(frozen=True, kw_only=True)
class PredictionRecord:
    """What the store knows about one (model, dataset, case) prediction."""

    model: str
    dataset: str
    case_id: str
    status: str
    label_convention: str
    regions: tuple[str, ...]
    files: tuple[str, ...] = ()
    shape: tuple[int, ...] | None = None
    reason: str | None = None
    prediction_sha256: str | None = None
    reference_sha256: str | None = None
    has_reference: bool = True
    identity: Mapping[str, Any] | None = None
    identity_sha256: str | None = None
    seconds: float | None = None
    run_id: int = 0
    id: int | None = None


@dataclass(frozen=True, kw_only=True)
class ScoreRecord:
    """The metrics of one prediction under one metric convention and distance unit."""

    convention: str
    units: str
    status: str
    rows: tuple[MetricRow, ...] = ()
    prediction_sha256: str | None = None
    reference_sha256: str | None = None
    seconds: float | None = None
    run_id: int = 0


class ResultsStore:
    """A typed wrapper over a run directory's SQLite file (one connection per store object)."""

    def __init__(self, path: Path, *, create: bool = True, read_only: bool = False) -> None:
        """``read_only``: for commands that only read (leaderboard, export): nothing is written, not
        even a migration, and a store on read-only media is read as it is."""
        self.path = Path(path)
        self.read_only = read_only
        if (not create or read_only) and not self.path.is_file():
            raise BenchError(f"{self.path}: no results store")
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.migrated_from: int | None = None
        self.shown_as: str | None = None  # how pages name the run folder (a store rebuilt elsewhere keeps its name)
        self.files_at: Path | None = None  # where its recorded relative files are, when not beside it (a rebuilt store)
        self._db = self._connect()
        self._prepare()

    @property
    def run_dir(self) -> str:
        """The run folder as pages and exports name it."""
        return self.shown_as or str(self.path.parent)

    # ------------------------------------------------------------------ connection and schema
    @_guarded
    def _connect(self) -> sqlite3.Connection:
        timeout = lock_timeout()
        if self.read_only:
            return self._connect_read_only(timeout)
        db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA foreign_keys = ON")
        db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        db.execute("PRAGMA synchronous = NORMAL")  # with WAL: a killed process loses no commit
        return db

    def _connect_read_only(self, timeout: float) -> sqlite3.Connection:
        """``mode=ro``; where even that cannot open the file (a WAL store on read-only media has no
        room for its shared-memory file), ``immutable=1``, which no writer can be racing there."""
        uri = self.path.resolve().as_uri()
        db = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=timeout, isolation_level=None, check_same_thread=False)
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            db.close()
            db = sqlite3.connect(f"{uri}?immutable=1", uri=True, timeout=timeout, isolation_level=None,
                                 check_same_thread=False)
        db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        return db

    @_guarded
    def _prepare(self) -> None:
        version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        tables = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if version > SCHEMA_VERSION:
            raise StoreTooNewError(
                f"{self.path}: written by a newer tumorbench (results store schema {version}, this one reads "
                f"{SCHEMA_VERSION} and older); upgrade tumorbench to read it (the store is left as it is)"
            )
        if version < SCHEMA_VERSION and "evaluations" in tables:
            if self.read_only:
                raise BenchError(f"{self.path}: written by tumorbench 0.1; open it once with a command that writes "
                                 f"(bench store check {self.path.parent}) to migrate it, then read it")
            self._migrate_from_v0()
            return
        if version == SCHEMA_VERSION or (self.read_only and version == 2):
            return  # nothing to write: a reader never waits for a writer (WAL); schema 2 reads as 3
        if self.read_only:
            raise BenchError(f"{self.path}: not a results store (schema {version}, no tables)")
        if version == 2:  # schema 3 keys the file-hash cache by inode and ctime too: the cache starts empty
            with self.transaction():
                self._db.execute("DROP TABLE IF EXISTS file_hashes")
                for statement in _statements(SCHEMA):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self.migrated_from = 2
            return
        self._db.execute("PRAGMA journal_mode = WAL")  # persistent: set once, when the file is made
        with self.transaction():
            for statement in _statements(SCHEMA):
                self._db.execute(statement)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        self._db.close()

    def transaction(self):
        """A write transaction (BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on error)."""
        return _Transaction(self._db)

    # ------------------------------------------------------------------ migration
    @_guarded
    def _migrate_from_v0(self) -> None:
        """Rewrite a version-0 store (``evaluations`` + ``metrics`` keyed by convention) as version 2.

        The old file is kept as ``results.v0.sqlite``. Version 0 kept no file or model hashes, so
        the migrated predictions carry none: the next run predicts (or reads) them again before it
        trusts them, and says why. Their scores stay readable meanwhile.
        """
        self._db.close()
        backup = self.path.with_name(self.path.stem + ".v0" + self.path.suffix)
        shutil.copy2(self.path, backup)
        self._db = self._connect()
        old = self._db
        evaluations = old.execute(
            "SELECT model, dataset, case_id, metric_convention, units, label_convention, status, reason, seconds, "
            "prediction, run_id FROM evaluations ORDER BY run_id"
        ).fetchall()
        metrics = old.execute(
            "SELECT model, dataset, case_id, metric_convention, units, region, metric, convention, value FROM metrics"
        ).fetchall()
        runs = old.execute("SELECT id, started, finished, provenance FROM runs").fetchall()
        with self.transaction():
            for table in ("metrics", "evaluations", "runs"):
                old.execute(f"DROP TABLE IF EXISTS {table}")
            for statement in _statements(SCHEMA):
                old.execute(statement)
            old.executemany("INSERT INTO runs (id, started, finished, provenance) VALUES (?,?,?,?)", runs)
            by_case: dict[tuple[str, str, str], list[tuple]] = {}
            for m in metrics:
                by_case.setdefault(tuple(m[:3]), []).append(m)
            ids: dict[tuple[str, str, str], int] = {}
            statuses: dict[tuple[str, str, str, str], str] = {}  # (case key..., units) -> old status
            for model, dataset, case_id, _conv, units, label_conv, status, reason, seconds, pred, run_id in evaluations:
                key = (model, dataset, case_id)
                statuses[(*key, units)] = status
                if key in ids:
                    continue
                cursor = old.execute(
                    "INSERT INTO predictions (model, dataset, case_id, status, reason, label_convention, regions, files, "
                    "has_reference, seconds, run_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        model, dataset, case_id, "failed" if status == "failed" else "ok", reason, label_conv,
                        json.dumps(sorted({m[5] for m in by_case.get(key, [])})),
                        json.dumps([pred] if pred else []), int(status != "predicted"), seconds, run_id,
                    ),
                )
                ids[key] = int(cursor.lastrowid or 0)
            written: set[tuple[int, str, str]] = set()
            for key, rows in by_case.items():
                pid = ids[key]
                for _m, _d, _c, _conv, units, region, metric, convention, value in rows:
                    status = "case-failed" if statuses.get((*key, units)) == "failed" else "ok"
                    if (pid, convention, units) not in written:
                        written.add((pid, convention, units))
                        old.execute(
                            "INSERT INTO scores (prediction_id, metric_convention, units, status, run_id) "
                            "VALUES (?,?,?,?,(SELECT run_id FROM predictions WHERE id = ?))",
                            (pid, convention, units, status, pid),
                        )
                    old.execute(
                        "INSERT OR IGNORE INTO metrics VALUES (?,?,?,?,?,?,?,?)",
                        (pid, convention, units, region, metric, value, status, None),
                    )
            old.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self._db.execute("PRAGMA journal_mode = WAL")
        self.migrated_from = 0

    # ------------------------------------------------------------------ runs
    @_guarded
    def start_run(self, provenance: Mapping[str, Any], planned: int = 0) -> int:
        with self.transaction():
            cursor = self._db.execute(
                "INSERT INTO runs (started, provenance, planned, done, interrupted) VALUES (?, ?, ?, 0, 1)",
                (time.time(), json.dumps(provenance, sort_keys=True, default=str), planned),
            )
            return int(cursor.lastrowid or 0)

    @_guarded
    def finish_run(self, run_id: int, *, done: int, interrupted: bool = False) -> None:
        with self.transaction():
            self._db.execute(
                "UPDATE runs SET finished = ?, done = ?, interrupted = ? WHERE id = ?",
                (time.time(), done, int(interrupted), run_id),
            )

    @_guarded
    def runs(self) -> list[dict[str, Any]]:
        rows = self._db.execute(
            "SELECT id, started, finished, provenance, planned, done, interrupted FROM runs ORDER BY id"
        ).fetchall()
        return [
            {
                "id": r[0], "started": r[1], "finished": r[2], "provenance": json.loads(r[3]),
                "planned": r[4], "done": r[5], "interrupted": bool(r[6]),
            }
            for r in rows
        ]

    # ------------------------------------------------------------------ files
    @_guarded
    def file_hash(self, path: Path | str) -> str | None:
        """SHA-256 of a file, cached by (path, size, mtime); None when it does not exist."""
        hasher = FileHasher(self._cached_hash)
        digest = hasher.file(path)
        self.remember_hashes(hasher.computed)
        return digest

    def _cached_hash(self, key: str, stamp: tuple[int, int, int, int]) -> str | None:
        """The digest computed before for this file, when its (size, mtime, inode, ctime) are still
        what they were: mtime can be set back by anyone (``touch -d``), ctime and the inode cannot."""
        row = self._db.execute(
            "SELECT size, mtime_ns, inode, ctime_ns, sha256 FROM file_hashes WHERE path = ?", (key,)
        ).fetchone()
        return str(row[4]) if row is not None and tuple(row[:4]) == stamp else None

    @_guarded
    def remember_hashes(self, entries: Iterable[tuple[str, int, int, str]]) -> None:
        """Cache hashes computed elsewhere (by a case task, maybe on a worker): (resolved path, size,
        mtime_ns, inode, ctime_ns, sha256), so that the next run does not read those files again."""
        rows = list(entries)
        if rows:
            with self.transaction():
                self._db.executemany("INSERT OR REPLACE INTO file_hashes VALUES (?,?,?,?,?,?)", rows)

    def files_hash(self, paths: Sequence[Path | str]) -> str | None:
        """One SHA-256 over several files (names and contents); None when any is missing."""
        hasher = FileHasher(self._cached_hash)
        digest = hasher.files(paths, self.path.parent)
        self.remember_hashes(hasher.computed)
        return digest

    def resolve(self, path: Path | str) -> Path:
        """A recorded file path: relative ones are inside the run directory."""
        path = Path(path)
        return path if path.is_absolute() else (self.files_at or self.path.parent) / path

    # ------------------------------------------------------------------ predictions and scores
    @_guarded
    def prediction(self, model: str, dataset: str, case_id: str) -> PredictionRecord | None:
        row = self._db.execute(
            "SELECT * FROM predictions WHERE model=? AND dataset=? AND case_id=?", (model, dataset, case_id)
        ).fetchone()
        return None if row is None else _prediction_from_row(self._columns("predictions"), row)

    @_guarded
    def predictions(self, status: str | None = None) -> list[PredictionRecord]:
        query = "SELECT * FROM predictions" + (" WHERE status = ?" if status else "") + " ORDER BY model, dataset, case_id"
        rows = self._db.execute(query, (status,) if status else ()).fetchall()
        columns = self._columns("predictions")
        return [_prediction_from_row(columns, r) for r in rows]

    @_guarded
    def score(self, prediction_id: int, convention: str, units: str) -> ScoreRecord | None:
        row = self._db.execute(
            "SELECT status, prediction_sha256, reference_sha256, seconds, run_id FROM scores "
            "WHERE prediction_id=? AND metric_convention=? AND units=?",
            (prediction_id, convention, units),
        ).fetchone()
        if row is None:
            return None
        return ScoreRecord(
            convention=convention, units=units, status=row[0], prediction_sha256=row[1], reference_sha256=row[2],
            seconds=row[3], run_id=row[4],
        )

    @_guarded
    def forget(self, model: str, dataset: str, case_id: str) -> bool:
        """Delete a prediction and its scores (a case that may no longer be scored); True if one was there."""
        with self.transaction():
            cursor = self._db.execute(
                "DELETE FROM predictions WHERE model=? AND dataset=? AND case_id=?", (model, dataset, case_id)
            )
            return cursor.rowcount > 0

    @_guarded
    def record_case(
        self, prediction: PredictionRecord, scores: Iterable[ScoreRecord], *, replace: bool,
        hashes: Iterable[tuple[str, int, int, str]] = (),
    ) -> int:
        """Write a prediction (replacing the old one and its scores when ``replace``) and its
        scores, all in one transaction, with the file hashes its task computed (see
        :meth:`remember_hashes`). Returns the prediction's id."""
        with self.transaction():
            self.remember_hashes(hashes)
            pid = prediction.id
            if replace or pid is None:
                self._db.execute(
                    "DELETE FROM predictions WHERE model=? AND dataset=? AND case_id=?",
                    (prediction.model, prediction.dataset, prediction.case_id),
                )
                cursor = self._db.execute(
                    "INSERT INTO predictions (model, dataset, case_id, status, reason, label_convention, regions, shape, "
                    "files, prediction_sha256, reference_sha256, has_reference, identity, identity_sha256, seconds, run_id) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        prediction.model, prediction.dataset, prediction.case_id, prediction.status, prediction.reason,
                        prediction.label_convention, json.dumps(list(prediction.regions)),
                        json.dumps(list(prediction.shape)) if prediction.shape else None,
                        json.dumps(list(prediction.files)), prediction.prediction_sha256, prediction.reference_sha256,
                        int(prediction.has_reference),
                        json.dumps(prediction.identity, sort_keys=True, default=str) if prediction.identity is not None else None,
                        prediction.identity_sha256, prediction.seconds, prediction.run_id,
                    ),
                )
                pid = int(cursor.lastrowid or 0)
            elif prediction.reference_sha256 is not None:
                self._db.execute("UPDATE predictions SET reference_sha256 = ? WHERE id = ?", (prediction.reference_sha256, pid))
            for score in scores:
                self._write_score(pid, score)
            return pid

    def _write_score(self, pid: int, score: ScoreRecord) -> None:
        key = (pid, score.convention, score.units)
        self._db.execute("DELETE FROM scores WHERE prediction_id=? AND metric_convention=? AND units=?", key)
        self._db.execute(
            "INSERT INTO scores VALUES (?,?,?,?,?,?,?,?)",
            (*key, score.status, score.prediction_sha256, score.reference_sha256, score.seconds, score.run_id),
        )
        self._db.executemany(
            "INSERT INTO metrics VALUES (?,?,?,?,?,?,?,?)",
            [(*key, m.region, m.metric, _finite_or_none(m.value), m.status, m.reason) for m in score.rows],
        )

    # ------------------------------------------------------------------ reading for pages
    @_guarded
    def metrics(self):
        """Every metric row with its prediction's identity and status, as a pandas DataFrame.

        ``run_id`` is the run that computed the score (a re-scoring run for a score computed
        again from stored predictions), ``prediction_run_id`` the run that made the prediction."""
        import pandas as pd

        query = (
            "SELECT p.model, p.dataset, p.case_id, m.metric_convention, m.units, m.region, m.metric, m.value, "
            "m.status AS metric_status, m.reason AS metric_reason, p.status, p.label_convention, "
            "COALESCE(s.run_id, p.run_id) AS run_id, p.run_id AS prediction_run_id "
            "FROM metrics m JOIN predictions p ON p.id = m.prediction_id "
            "LEFT JOIN scores s ON s.prediction_id = m.prediction_id AND s.metric_convention = m.metric_convention "
            "AND s.units = m.units ORDER BY p.model, p.dataset, p.case_id"
        )
        return pd.read_sql_query(query, self._db)

    @_guarded
    def evaluations(self):
        """Every prediction with the conventions it was scored under (one row per score, and
        one per prediction without ground truth), as a pandas DataFrame; ``run_id``: the run that
        computed the score (else the prediction's), ``prediction_run_id``: the run that predicted."""
        import pandas as pd

        query = (
            "SELECT p.model, p.dataset, p.case_id, s.metric_convention, s.units, p.label_convention, "
            "CASE WHEN p.status = 'failed' THEN 'failed' WHEN p.has_reference = 0 THEN 'predicted' ELSE 'ok' END AS status, "
            "p.reason, p.seconds, p.files, COALESCE(s.run_id, p.run_id) AS run_id, p.run_id AS prediction_run_id "
            "FROM predictions p LEFT JOIN scores s ON s.prediction_id = p.id "
            "ORDER BY p.model, p.dataset, p.case_id"
        )
        return pd.read_sql_query(query, self._db)

    def _columns(self, table: str) -> list[str]:
        return [r[1] for r in self._db.execute(f"PRAGMA table_info({table})")]


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._outer = False

    def __enter__(self) -> sqlite3.Connection:
        self._outer = not self._db.in_transaction
        if self._outer:
            self._db.execute("BEGIN IMMEDIATE")
        return self._db

    def __exit__(self, kind, value, traceback) -> None:  # noqa: ANN001
        if not self._outer:
            return
        self._db.execute("ROLLBACK" if kind is not None else "COMMIT")


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _prediction_from_row(columns: list[str], row: Sequence[Any]) -> PredictionRecord:
    r = dict(zip(columns, row, strict=True))
    return PredictionRecord(
        id=r["id"], model=r["model"], dataset=r["dataset"], case_id=r["case_id"], status=r["status"], reason=r["reason"],
        label_convention=r["label_convention"], regions=tuple(json.loads(r["regions"])),
        shape=tuple(json.loads(r["shape"])) if r["shape"] else None, files=tuple(json.loads(r["files"])),
        prediction_sha256=r["prediction_sha256"], reference_sha256=r["reference_sha256"],
        has_reference=bool(r["has_reference"]), identity=json.loads(r["identity"]) if r["identity"] else None,
        identity_sha256=r["identity_sha256"], seconds=r["seconds"], run_id=r["run_id"],
    )


def _finite_or_none(value: float) -> float | None:
    value = float(value)
    return value if value == value else None  # NaN is stored as NULL


def refuse_foreign_folder(out: Path, *, model_store: Path | None = None) -> None:
    """A run writes only into a new folder, an empty one, or a run folder (one holding
    ``results.sqlite``): never over a folder of the user's own, whose ``metrics.csv`` or other
    files it would replace. The folder holding the run's own model store inside ``out`` (an
    experiment's ``store = "<out>/models"``, trained before the first row runs) is not the user's."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise BenchError(f"{out}: --out names a file, not a folder")
    if not out.is_dir() or (out / RESULTS_FILE).is_file():
        return
    store = Path(model_store).resolve() if model_store is not None else None
    foreign = [e for e in out.iterdir() if store is None or not store.is_relative_to(e.resolve())]
    if foreign:
        raise BenchError(f"{out}: not a run folder (it holds files but no {RESULTS_FILE}); give a new or empty folder to --out")


def open_store(run_dir: Path, *, create: bool = True, read_only: bool = False) -> ResultsStore:
    return ResultsStore(Path(run_dir) / RESULTS_FILE, create=create, read_only=read_only)
