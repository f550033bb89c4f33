"""Full disk, corrupt store, lock timeout: real failures (``/dev/full``, a garbage SQLite file, a
held exclusive lock) become one line and a distinct exit code."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tumorbench.errors import DiskFullError, OutputError
from tumorbench.results.failures import (
    EXIT_CODES,
    CorruptStoreError,
    LockTimeoutError,
    classified,
    classify,
    exit_code,
)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_full_disk_is_exit_code_5() -> None:
    with pytest.raises(DiskFullError) as info, classified("/dev/full"), open("/dev/full", "wb") as device:
        device.write(b"x" * 10)
    assert str(info.value).startswith("/dev/full: no space left on the device (or over the file-size limit)")
    assert exit_code(info.value) == 5


def test_a_corrupt_store_is_exit_code_3(tmp_path: Path) -> None:
    path = tmp_path / "results.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(CorruptStoreError) as info, classified(path):
        with sqlite3.connect(path) as db:
            db.execute("SELECT * FROM runs")
    assert str(info.value) == (
        f"{path}: not a readable results store (file is not a database); `bench store check --repair {tmp_path}` "
        "moves it aside and rebuilds what can be read"
    )
    assert exit_code(info.value) == 3


def test_a_lock_held_past_the_timeout_is_exit_code_4(tmp_path: Path) -> None:
    path = tmp_path / "results.sqlite"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(LockTimeoutError) as info, classified(path):
            with sqlite3.connect(path, timeout=0.05) as db:
                db.execute("INSERT INTO t VALUES (1)")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert str(info.value).startswith(f"{path}: locked by another process for more than")
    assert exit_code(info.value) == 4


def test_an_unwritable_output_is_exit_code_6(tmp_path: Path) -> None:
    """Permission denied and a read-only file system (as the kernel reports them: root, who runs CI,
    may write into a read-only folder, so the errors are raised as the kernel would raise them)."""
    import errno

    for code, text in ((errno.EACCES, "Permission denied"), (errno.EROFS, "Read-only file system")):
        with pytest.raises(OutputError) as info, classified():
            raise OSError(code, text, str(tmp_path / "x"))
        assert str(info.value) == f"{tmp_path / 'x'}: cannot write ({text})"
        assert exit_code(info.value) == 6


def test_other_errors_are_left_alone() -> None:
    assert classify(ValueError("x")) is None
    assert classify(FileNotFoundError(2, "No such file")) is None
    with pytest.raises(KeyError), classified():
        raise KeyError("x")
    assert sorted(EXIT_CODES) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 130]


def test_the_cli_reports_a_corrupt_store_in_one_line(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "results.sqlite").write_bytes(b"garbage" * 1000)
    result = subprocess.run([sys.executable, "-m", "tumorbench", "leaderboard", str(run_dir)], capture_output=True,
                            text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 3, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: ") and "not a readable results store (file is not a database)" in line


def test_out_of_a_folder_that_is_not_a_run_folder_is_refused_and_nothing_is_written(tmp_path: Path, synthetic_root: Path) -> None:
    from typer.testing import CliRunner

    from tumorbench.cli import build_app

    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "metrics.csv").write_text("my own numbers\n", encoding="utf-8")
    (mine / "eligibility.json").write_text("{\"mine\": 1}\n", encoding="utf-8")
    result = CliRunner().invoke(build_app(), ["run", "-m", "intensity-baseline", "-d", "brats18", "--data-root",
                                              str(synthetic_root), "--out", str(mine)])
    assert result.exit_code == 2, result.output
    assert f"{mine}: not a run folder (it holds files but no results.sqlite)" in result.output
    assert "Traceback" not in result.output
    assert (mine / "metrics.csv").read_text(encoding="utf-8") == "my own numbers\n"
    assert sorted(p.name for p in mine.iterdir()) == ["eligibility.json", "metrics.csv"]


def test_publishing_into_a_folder_of_ones_own_is_refused(tmp_path: Path, synthetic_root: Path) -> None:
    from typer.testing import CliRunner

    from tumorbench.cli import build_app

    app = build_app()
    run = tmp_path / "run"
    assert CliRunner().invoke(app, ["run", "-m", "intensity-baseline", "-d", "brats18", "--data-root", str(synthetic_root),
                                    "--out", str(run)]).exit_code == 0
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "index.md").write_text("my page\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["leaderboard", str(run), "--publish", str(pages)])
    assert result.exit_code == 2 and "not a published folder (it holds files but no manifest.json)" in result.output
    assert (pages / "index.md").read_text(encoding="utf-8") == "my page\n"
    fresh = tmp_path / "fresh"
    assert CliRunner().invoke(app, ["leaderboard", str(run), "--publish", str(fresh)]).exit_code == 0
    again = CliRunner().invoke(app, ["leaderboard", str(run), "--publish", str(fresh)])  # a folder published before
    assert again.exit_code == 0, again.output


def test_training_data_lines_escape_names_and_a_misshapen_record_is_one_line(tmp_path: Path, synthetic_root: Path) -> None:
    import json

    from typer.testing import CliRunner

    from tumorbench.cli import build_app

    app = build_app()
    run = tmp_path / "run"
    assert CliRunner().invoke(app, ["run", "-m", "intensity-baseline", "-d", "brats18", "--data-root", str(synthetic_root),
                                    "--out", str(run)]).exit_code == 0
    hostile = "<script>alert(1)</script>|x\n## injected heading"
    (run / "eligibility.json").write_text(json.dumps({hostile: {"brats18": {"c": "training-data-unknown"}}}), encoding="utf-8")
    shown = CliRunner().invoke(app, ["leaderboard", str(run)]).output
    assert "\n## injected heading" not in shown  # the terminal shows the name as text, inside its line
    from tumorbench.report.training_notes import eligibility_lines

    page = "\n".join(eligibility_lines([run]))  # the lines a run folder's leaderboard.md ends with
    assert "<script>" not in page and "\n## injected heading" not in page
    line = next(line for line in page.splitlines() if "training data unknown for 1 case(s)" in line)
    assert "&lt;script&gt;" in line and "\\|" in line
    (run / "eligibility.json").write_text(json.dumps({"m": ["not", "a", "table"]}), encoding="utf-8")
    result = CliRunner().invoke(app, ["leaderboard", str(run)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"{run / 'eligibility.json'}: not an eligibility record" in result.output


@pytest.mark.parametrize(("flag", "value"), [("--permutations", "10000000000"), ("--bootstrap", "1000000000"), ("--bootstrap", "0")])
def test_statistics_sizes_are_bounded_before_anything_is_allocated(tmp_path: Path, synthetic_root: Path, flag: str, value: str) -> None:
    from typer.testing import CliRunner

    from tumorbench.cli import build_app

    app = build_app()
    run = tmp_path / "run"
    assert CliRunner().invoke(app, ["run", "-m", "intensity-baseline", "-d", "brats18", "--data-root", str(synthetic_root),
                                    "--out", str(run)]).exit_code == 0
    result = CliRunner().invoke(app, ["leaderboard", str(run), flag, value])
    assert result.exit_code == 2 and f"error: {flag} must be a whole number from 1 to" in result.output
