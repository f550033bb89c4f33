"""The results store under stress: a corrupt file, a lock held by another process, a full disk,
a reader beside a writer. Each ends in one line and its own exit code; `bench store check
--repair` rebuilds what can be read."""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.rendering import run_and_render
from typer.testing import CliRunner

from tumorbench.cli import build_app
from tumorbench.errors import DiskFullError, StoreCorruptError, StoreLockedError
from tumorbench.run.options import RunOptions

MODEL = "intensity-baseline"


def bench(*args: str):
    return CliRunner().invoke(build_app(), [str(a) for a in args])


def _run(out: Path, root: Path) -> None:
    run_and_render(RunOptions(models=(MODEL,), datasets=("brats18",), out=out, data_roots={"brats18": root}))


def _one_error_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1, output
    assert "Traceback" not in output
    return lines[0]


def test_a_corrupt_store_is_one_line_exit_3_and_repair_rebuilds(tmp_path: Path, synthetic_root: Path) -> None:
    out = tmp_path / "run"
    out.mkdir()
    (out / "results.sqlite").write_bytes(b"this is not a database" * 100)
    result = bench("leaderboard", out)
    assert result.exit_code == StoreCorruptError.exit_code == 3
    line = _one_error_line(result.output)
    assert line.startswith(f"error: {out / 'results.sqlite'}: not a readable results store (file is not a database)")
    assert f"bench store check --repair {out}" in line
    assert bench("store", "check", out).exit_code == 3
    repaired = bench("store", "check", out, "--repair")
    assert repaired.exit_code == 3, repaired.output  # nothing could be read
    assert "nothing could be read; a new empty store is in place" in repaired.output
    assert len(list(out.glob("results.damaged-*.sqlite"))) == 1
    _run(out, synthetic_root)  # the folder works again
    assert bench("store", "check", out).exit_code == 0


def test_repair_recovers_the_readable_rows_of_a_damaged_store(tmp_path: Path, synthetic_root: Path) -> None:
    out = tmp_path / "run"
    _run(out, synthetic_root)
    path = out / "results.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = {name: page for name, page in db.execute("SELECT name, rootpage FROM sqlite_master WHERE type = 'table'")}
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        metrics_rows = db.execute("SELECT count(*) FROM metrics").fetchone()[0]
    data = bytearray(path.read_bytes())
    start = (pages["file_hashes"] - 1) * page_size  # smash one table's root page
    data[start : start + page_size] = b"\xff" * page_size
    path.write_bytes(bytes(data))
    checked = bench("store", "check", out)
    assert checked.exit_code == 3, checked.output
    repaired = bench("store", "check", out, "--repair")
    assert repaired.exit_code == 0, repaired.output
    assert f"metrics: {metrics_rows} rows recovered" in repaired.output
    assert "file_hashes: unreadable" in repaired.output or "file_hashes: 0 rows recovered" in repaired.output
    assert bench("leaderboard", out).exit_code == 0
    again = run_and_render(RunOptions(models=(MODEL,), datasets=("brats18",), out=out, data_roots={"brats18": synthetic_root}))
    assert again.skipped == 4  # predictions and scores survived; file hashes are recomputed


def test_a_lock_held_past_the_timeout_is_exit_4(tmp_path: Path, synthetic_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "run"
    _run(out, synthetic_root)
    holder = sqlite3.connect(out / "results.sqlite", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process writing
    try:
        monkeypatch.setenv("TUMORBENCH_LOCK_TIMEOUT", "0.3")
        # a reader is not blocked by the writer (WAL)
        assert bench("leaderboard", out).exit_code == 0
        result = bench("run", "-m", MODEL, "-d", "brats18", "--data-root", synthetic_root, "--out", out)
        assert result.exit_code == StoreLockedError.exit_code == 4, result.output
        line = _one_error_line(result.output)
        assert line == (
            f"error: {out / 'results.sqlite'}: locked by another process for more than 0 s (another bench command "
            "writing this run folder?); rerun when it ends, or raise TUMORBENCH_LOCK_TIMEOUT"
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()


LIMIT = 150_000


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def test_no_space_left_is_one_line_exit_5_and_keeps_finished_cases(tmp_path: Path, brats18_root: Path) -> None:
    out = tmp_path / "run"
    case = "Brats18_TCIA01_201_1"  # its prediction (240x240x155) is larger than the limit
    command = [sys.executable, "-m", "tumorbench", "run", "-m", MODEL, "-d", "brats18", "--data-root", str(brats18_root),
               "--case", case, "--out", str(out)]
    env = dict(os.environ, TUMORBENCH_CONFIG=str(tmp_path / "absent.toml"))
    done = subprocess.run(command, capture_output=True, text=True, preexec_fn=_limit_file_size, env=env, timeout=300)
    assert done.returncode == DiskFullError.exit_code == 5, done.stderr
    line = _one_error_line(done.stderr)
    assert line.startswith(f"error: {out}")  # names the file the write failed on
    assert "no space left on the device (or over the file-size limit)" in line or "disk I/O error" in line
    assert "finished cases are kept" in line
    # nothing half-written: no temporary file is left beside the predictions
    assert not [p for p in out.rglob(".*") if p.is_file()]


def test_no_space_left_on_a_dask_worker_is_the_same_one_line_exit_5(tmp_path: Path, brats18_root: Path) -> None:
    """The worker that writes the prediction meets the full disk (workers inherit the limit): the
    run stops as a serial run does, with one line and nothing half-written."""
    pytest.importorskip("distributed")
    out = tmp_path / "run"
    case = "Brats18_TCIA01_201_1"
    command = [sys.executable, "-m", "tumorbench", "run", "-m", MODEL, "-d", "brats18", "--data-root", str(brats18_root),
               "--case", case, "--out", str(out), "--workers", "2"]
    env = dict(os.environ, TUMORBENCH_CONFIG=str(tmp_path / "absent.toml"))
    done = subprocess.run(command, capture_output=True, text=True, preexec_fn=_limit_file_size, env=env, timeout=300)
    assert done.returncode == DiskFullError.exit_code == 5, done.stderr
    line = _one_error_line(done.stderr)
    assert line.startswith(f"error: {out}") and "finished cases are kept" in line
    assert "no space left on the device (or over the file-size limit)" in line or "disk I/O error" in line
    assert not [p for p in out.rglob(".*") if p.is_file()]


def test_repair_walks_the_rows_that_exist_whatever_their_ids(tmp_path: Path) -> None:
    """A table with a damaged leaf page and a row id of 2**62: salvaging used to ask for every
    possible row id below the largest (one query each: it never ended). Now every readable row is
    recovered in a bounded number of queries."""
    from tumorbench.results.check import _readable_rows

    path = tmp_path / "t.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (v TEXT)")
        db.executemany("INSERT INTO t (rowid, v) VALUES (?, ?)", [(i, "x" * 400) for i in range(1, 401)])
        db.execute("INSERT INTO t (rowid, v) VALUES (?, 'far')", (2**62,))
        leaves = [p for (p,) in db.execute("SELECT pageno FROM dbstat WHERE name = 't' AND pagetype = 'leaf' ORDER BY pageno")]
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        middle = leaves[len(leaves) // 2]
        every = db.execute("SELECT count(*) FROM t").fetchone()[0]
    data = bytearray(path.read_bytes())
    data[(middle - 1) * page_size: middle * page_size] = b"\xff" * page_size
    path.write_bytes(bytes(data))
    with sqlite3.connect(path) as source:
        with pytest.raises(sqlite3.DatabaseError):
            source.execute("SELECT * FROM t").fetchall()
        rows = _readable_rows(source, "t")
    assert ("far",) in rows  # the row past the damage, with id 2**62, is recovered
    assert every - 40 <= len(rows) < every  # only the damaged page's rows (a handful of the 401) are lost


def test_a_store_from_a_newer_tumorbench_is_refused_never_called_damaged_nor_rebuilt(tmp_path: Path, synthetic_root: Path) -> None:
    out = tmp_path / "run"
    _run(out, synthetic_root)
    path = out / "results.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    before = path.read_bytes()
    for args in (("store", "check", out), ("store", "check", out, "--repair"), ("leaderboard", out)):
        result = bench(*args)
        assert result.exit_code == 7, (args, result.output)
        line = _one_error_line(result.output)
        assert "written by a newer tumorbench (results store schema 99" in line and "damaged" not in line.replace("neither damaged", "")
    run = bench("run", "-m", MODEL, "-d", "brats18", "--data-root", synthetic_root, "--out", out)
    assert run.exit_code == 7, run.output
    assert path.read_bytes() == before and not list(out.glob("results.damaged-*"))


def test_a_schema_2_store_is_read_and_its_hash_cache_rebuilt(tmp_path: Path, synthetic_root: Path) -> None:
    """Schema 3 keys the file-hash cache by inode and ctime too; a schema 2 store keeps every
    record and starts its cache again (a leaderboard on read-only media reads schema 2 as it is)."""
    out = tmp_path / "run"
    _run(out, synthetic_root)
    path = out / "results.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE file_hashes")
        db.execute("CREATE TABLE file_hashes (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL)")
        db.execute("INSERT INTO file_hashes VALUES ('x', 1, 1, 'stale')")
        db.execute("PRAGMA user_version = 2")
    assert bench("leaderboard", out).exit_code == 0
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2  # reading changed nothing
    again = run_and_render(RunOptions(models=(MODEL,), datasets=("brats18",), out=out, data_roots={"brats18": synthetic_root}))
    assert again.skipped == 4
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 3
        columns = [r[1] for r in db.execute("PRAGMA table_info(file_hashes)")]
        assert columns == ["path", "size", "mtime_ns", "inode", "ctime_ns", "sha256"]
        assert db.execute("SELECT count(*) FROM file_hashes WHERE sha256 = 'stale'").fetchone()[0] == 0


def test_a_prediction_edited_in_place_with_its_size_and_mtime_restored_is_noticed(tmp_path: Path, synthetic_root: Path) -> None:
    out = tmp_path / "run"
    _run(out, synthetic_root)
    pred = sorted((out / "predictions" / MODEL / "brats18").glob("*_1.nii.gz"))[0]
    stat = pred.stat()
    data = bytearray(pred.read_bytes())
    other = sorted((out / "predictions" / MODEL / "brats18").glob("*_1.nii.gz"))[1].read_bytes()
    assert len(other) != len(data) or other != bytes(data)
    data[-8:] = bytes((b + 1) % 256 for b in data[-8:])  # a different file of the same size (a broken gzip tail)
    with open(pred, "r+b") as handle:  # in place: same inode
        handle.write(bytes(data))
    os.utime(pred, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # mtime set back, as a careful hand would
    assert pred.stat().st_size == stat.st_size and pred.stat().st_mtime_ns == stat.st_mtime_ns
    again = run_and_render(RunOptions(models=(MODEL,), datasets=("brats18",), out=out, data_roots={"brats18": synthetic_root}))
    assert again.redone["predicted again: prediction file changed"] == 1


def test_a_run_folder_on_read_only_media_is_read_by_the_leaderboard(tmp_path: Path, synthetic_root: Path) -> None:
    """Opening a WAL store read-write fails where nothing may be written; readers open it read-only
    (``mode=ro``, else ``immutable=1``). Run as an unprivileged user on an unwritable folder (root
    would be allowed to write; ``setpriv`` drops to ``nobody``)."""
    import shutil
    import stat
    import tempfile

    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: no unprivileged user to make the folder read-only for")
    out = tmp_path / "run"
    _run(out, synthetic_root)
    place = Path(tempfile.mkdtemp(dir="/tmp"))
    try:
        place.chmod(0o755)
        media = place / "run"
        shutil.copytree(out, media)
        for path in [media, *media.rglob("*")]:
            path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) | stat.S_IROTH
                       | (stat.S_IXOTH if path.is_dir() else 0))
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.geteuid() == 0 else []
        probe = subprocess.run([*prefix, sys.executable, "-c", "import tumorbench.cli"], capture_output=True, cwd="/tmp")
        if probe.returncode != 0:
            pytest.skip("the unprivileged user cannot read this checkout or its Python (a home folder of mode 700?)")
        result = subprocess.run([*prefix, sys.executable, "-m", "tumorbench", "leaderboard", str(media)],
                                capture_output=True, text=True, cwd="/tmp", timeout=120)
        assert result.returncode == 0, result.stderr
        assert "| intensity-baseline |" in result.stdout
        assert not (media / "results.sqlite-shm").exists() or os.geteuid() != 0
    finally:
        for path in [place, *place.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(place, ignore_errors=True)
