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
from rendering import run_and_render
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
