"""``bench store check`` and ``--repair``: is a run folder's results store sound, and rebuilding
what can be read when it is not.

The check opens the store, runs SQLite's integrity check, reads its schema version, and looks
for written prediction files that are missing and for temporary files a killed write left
behind. Repair moves a damaged ``results.sqlite`` aside (``results.damaged-<time>.sqlite``) and
copies every row that can still be read into a new store; what cannot be read is lost, and the
next ``bench run`` into the folder predicts those cases again.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from tumorbench.errors import BenchError, StoreTooNewError, folded
from tumorbench.results.results_store import RESULTS_FILE, SCHEMA_VERSION, ResultsStore

TABLES = ("runs", "predictions", "scores", "metrics", "file_hashes")


@dataclass
class StoreReport:
    """What ``bench store check`` found."""

    path: Path
    readable: bool = True
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _integrity(path: Path) -> list[str]:
    """SQLite's own check of the file (empty when sound); raises sqlite3.DatabaseError when unreadable."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        rows = [r[0] for r in db.execute("PRAGMA integrity_check").fetchall()]
    return [] if rows == ["ok"] else rows


def stale_temporary_files(run_dir: Path) -> list[Path]:
    """Temporary files of interrupted atomic writes (``.<name>.<random><suffix>``) in the run folder."""
    return sorted(p for p in Path(run_dir).rglob(".*") if p.is_file() and p.name.count(".") >= 2)


def check(run_dir: Path) -> StoreReport:
    path = Path(run_dir) / RESULTS_FILE
    report = StoreReport(path)
    if not path.is_file():
        raise BenchError(f"{path}: no results store")
    try:
        problems = _integrity(path)
    except sqlite3.DatabaseError as exc:
        report.readable = False
        report.problems.append(f"{path}: not a readable SQLite file ({folded(exc)})")
        return report
    if problems:
        report.readable = False
        report.problems += [f"{path}: {p}" for p in problems[:10]]
        return report
    try:
        store = ResultsStore(path, create=False)
    except StoreTooNewError:
        raise  # written by a newer tumorbench: not damaged, and not ours to rebuild
    except BenchError as exc:
        report.readable = False
        report.problems.append(str(exc))
        return report
    try:
        if store.migrated_from is not None:
            report.notes.append(f"{path}: migrated from schema {store.migrated_from} to {SCHEMA_VERSION}")
        records = store.predictions()
        missing = [
            (r, f) for r in records for f in r.files if r.status == "ok" and not store.resolve(f).is_file()
        ]
        for record, f in missing[:10]:
            report.problems.append(f"{store.resolve(f)}: prediction file of {record.model} / {record.case_id} is missing")
        if len(missing) > 10:
            report.problems.append(f"... and {len(missing) - 10} more missing prediction files")
        report.notes.append(
            f"{path}: schema {SCHEMA_VERSION}, {len(store.runs())} runs, {len(records)} predictions "
            f"({sum(r.status == 'failed' for r in records)} failed)"
        )
    finally:
        store.close()
    for tmp in stale_temporary_files(run_dir):
        report.notes.append(f"{tmp}: temporary file of an interrupted write (removed by the next run)")
    return report


def _salvage(damaged: Path, target: ResultsStore) -> dict[str, int | None]:
    """Rows copied per table (None: the table could not be read at all)."""
    copied: dict[str, int | None] = {}
    try:
        source = sqlite3.connect(f"file:{damaged}?mode=ro", uri=True)
        source.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError:
        return {t: None for t in TABLES}
    db = target._db  # the new store: schema made by ResultsStore
    for table in TABLES:
        columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
        try:
            have = [r[1] for r in source.execute(f"PRAGMA table_info({table})")]
        except sqlite3.DatabaseError:
            copied[table] = None
            continue
        if have != columns:
            copied[table] = None
            continue
        rows = _readable_rows(source, table)
        if rows is None:
            copied[table] = None
            continue
        marks = ",".join("?" * len(columns))
        with target.transaction():
            before = db.total_changes
            db.executemany(f"INSERT OR IGNORE INTO {table} VALUES ({marks})", rows)
            copied[table] = db.total_changes - before
    source.close()
    return copied


def _readable_rows(source: sqlite3.Connection, table: str) -> list[tuple] | None:
    """Every row of ``table`` that can be read: the whole table, else row by row, walking the rows
    that exist (never every possible row id: one row with id 2**62 must not mean 2**62 queries).
    Where the walk itself meets a damaged page, it searches for the first row id past it."""
    try:
        return source.execute(f"SELECT * FROM {table}").fetchall()
    except sqlite3.DatabaseError:
        pass
    rows: list[tuple] = []
    last = -(2**63)
    while True:
        try:
            found = _next_rowid(source, table, last)
        except sqlite3.DatabaseError:
            resume = _past_damage(source, table, last)
            if resume is None:
                break
            last = resume
            continue
        if found is None:
            break
        last = found
        try:
            rows += source.execute(f"SELECT * FROM {table} WHERE rowid = ?", (last,)).fetchall()
        except sqlite3.DatabaseError:
            continue
    return rows


def _next_rowid(source: sqlite3.Connection, table: str, after: int) -> int | None:
    found = source.execute(f"SELECT rowid FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT 1", (after,)).fetchone()
    return None if found is None else int(found[0])


def _past_damage(source: sqlite3.Connection, table: str, bad: int) -> int | None:
    """The smallest row id above ``bad`` from which the walk reads again (None: nothing past it):
    doubling steps to a point that reads, then bisection back to the damaged pages' end (about
    128 queries at most, whatever the row ids)."""
    top = 2**63 - 1

    def reads(x: int) -> bool:
        try:
            _next_rowid(source, table, x)
            return True
        except sqlite3.DatabaseError:
            return False

    step, probe = 1, bad
    while True:
        probe = min(bad + step, top)
        if reads(probe):
            break
        if probe == top:
            return None
        step *= 2
    low, high = bad, probe  # reads(low) fails, reads(high) succeeds
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if reads(middle) else (middle, high)
    return high


def refuse_newer(path: Path) -> None:
    """A store written by a newer tumorbench is never moved aside or rebuilt: one line, exit 7."""
    try:
        with sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True) as db:
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError:
        return  # not readable at all: that is what repair is for
    if version > SCHEMA_VERSION:
        raise StoreTooNewError(
            f"{path}: written by a newer tumorbench (results store schema {version}, this one reads {SCHEMA_VERSION} "
            "and older); upgrade tumorbench; the store is neither damaged nor rebuilt"
        )


def repair(run_dir: Path) -> tuple[Path, dict[str, int | None]]:
    """Move the damaged store aside and rebuild what can be read; returns (where it went, rows per table)."""
    path = Path(run_dir) / RESULTS_FILE
    refuse_newer(path)
    aside = path.with_name(f"results.damaged-{time.strftime('%Y%m%d-%H%M%S')}.sqlite")
    path.rename(aside)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(aside.with_name(aside.name + suffix))
    store = ResultsStore(path)
    try:
        copied = _salvage(aside, store)
    finally:
        store.close()
    return aside, copied
