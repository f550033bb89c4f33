"""Parallel and distributed runs on Dask: the same results as one process, a worker killed
mid-run, the driver killed and resumed, a hanging case stopped by --case-timeout, the SLURM setup."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("distributed")

import dask  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402
from helpers.parallel_plugin import install  # noqa: E402
from helpers.rendering import run_and_render, score_and_render  # noqa: E402

from tumorbench.errors import BenchError  # noqa: E402
from tumorbench.loading.registry import Registry  # noqa: E402
from tumorbench.results.results_store import open_store  # noqa: E402
from tumorbench.run.executors import ExecutorOptions  # noqa: E402
from tumorbench.run.options import RunOptions  # noqa: E402

MODEL = "intensity-baseline"
KEYS = ["model", "dataset", "case", "metric_convention", "units", "region", "metric"]


def _sorted_csv(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "metrics.csv").sort_values(KEYS).reset_index(drop=True)


def _options(out: Path, root: Path, model: str = MODEL, **kw) -> RunOptions:
    return RunOptions(models=(model,), datasets=("brats18",), out=out, data_roots={"brats18": root}, **kw)


@pytest.fixture(scope="module")
def plugin_path(tmp_path_factory: pytest.TempPathFactory):
    """The sleepy test plugin on PYTHONPATH (and sys.path) of this process and of every worker."""
    folder = install(tmp_path_factory.mktemp("plugin"))
    saved_env, saved_path = os.environ.get("PYTHONPATH"), list(sys.path)
    os.environ["PYTHONPATH"] = os.pathsep.join([str(folder), *([saved_env] if saved_env else [])])
    sys.path.insert(0, str(folder))
    yield folder
    sys.path[:] = saved_path
    if saved_env is None:
        os.environ.pop("PYTHONPATH", None)
    else:
        os.environ["PYTHONPATH"] = saved_env


@pytest.fixture(scope="module")
def cluster(plugin_path: Path):
    """One 2-worker LocalCluster shared by the tests that reach it through --scheduler."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as local:
        yield local


def test_two_workers_give_the_results_of_one_process(tmp_path: Path, synthetic_root: Path, cluster: LocalCluster) -> None:
    serial = run_and_render(_options(tmp_path / "serial", synthetic_root))
    parallel = run_and_render(_options(tmp_path / "dask", synthetic_root), executor=ExecutorOptions(workers=2))
    assert (serial.ok, parallel.ok, parallel.failed) == (4, 4, 0)
    assert parallel.executor == "LocalCluster, 2 worker(s)" and serial.executor == "serial"
    assert parallel.dashboard and parallel.dashboard.startswith("http")
    pd.testing.assert_frame_equal(_sorted_csv(tmp_path / "serial"), _sorted_csv(tmp_path / "dask"))
    # the same prediction files, byte for byte, and the same records
    a, b = open_store(tmp_path / "serial"), open_store(tmp_path / "dask")
    assert [(p.case_id, p.prediction_sha256, p.reference_sha256, p.files) for p in a.predictions()] == [
        (p.case_id, p.prediction_sha256, p.reference_sha256, p.files) for p in b.predictions()
    ]
    a.close(), b.close()
    # scoring the stored predictions again on workers equals doing it here
    score_and_render(tmp_path / "serial", conventions=["brats-2023"], units="voxel", data_roots={})
    on_cluster = ExecutorOptions(scheduler=cluster.scheduler_address)
    again = score_and_render(tmp_path / "dask", conventions=["brats-2023"], units="voxel", data_roots={}, executor=on_cluster)
    assert (again.rescored, again.failed) == (4, 0)
    pd.testing.assert_frame_equal(_sorted_csv(tmp_path / "serial"), _sorted_csv(tmp_path / "dask"))
    # the driver cached the hashes the workers computed: a rerun reads no file again and skips all
    assert run_and_render(_options(tmp_path / "dask", synthetic_root), executor=on_cluster).skipped == 4


def test_a_worker_loads_a_model_once_for_its_cases(tmp_path: Path, synthetic_root: Path, cluster: LocalCluster) -> None:
    from tumorbench.run.worker import model_loads

    with Client(cluster) as client:
        before = client.run(model_loads)
    summary = run_and_render(_options(tmp_path / "run", synthetic_root), executor=ExecutorOptions(scheduler=cluster.scheduler_address))
    assert summary.ok == 4
    with Client(cluster) as client:
        after = client.run(model_loads)
    new = {w: after[w][len(before.get(w, [])):] for w in after}
    assert 1 <= sum(len(v) for v in new.values()) <= 2  # one load per worker that ran cases, not one per case
    assert all(len(v) <= 1 for v in new.values())


def test_cases_sharing_a_task_give_the_results_of_one_process(
    tmp_path: Path, synthetic_root: Path, cluster: LocalCluster
) -> None:
    """Short cases travel several to a Dask task; each is still planned, returned and recorded alone."""
    serial = run_and_render(_options(tmp_path / "serial", synthetic_root))
    batched = run_and_render(
        _options(tmp_path / "dask", synthetic_root), executor=ExecutorOptions(scheduler=cluster.scheduler_address, cases_per_task=3)
    )
    assert (serial.ok, batched.ok, batched.failed, batched.done) == (4, 4, 0, 4)
    pd.testing.assert_frame_equal(_sorted_csv(tmp_path / "serial"), _sorted_csv(tmp_path / "dask"))
    store = open_store(tmp_path / "dask")
    assert sorted(p.case_id for p in store.predictions()) == sorted(p.case_id for p in open_store(tmp_path / "serial").predictions())
    store.close()


def _store_fitted(store: Path, fold: int, train: list[str], wt: float, et: float) -> None:
    """A fold of intensity-fitted with chosen thresholds and a recorded split (no fitting needed)."""
    import json

    from tumorbench.models.model_store import fold_dir, write_metadata

    directory = fold_dir(store, "intensity-fitted", "brats18", fold)
    write_metadata(directory, {"model": "intensity-fitted"}, {"train": train, "val": [], "fold": fold, "folds": 3})
    (directory / "checkpoint.json").write_text(json.dumps({"wt": wt, "et": et, "scale": 0.25}))


def test_out_of_fold_cases_on_workers_are_predicted_by_the_folds_that_held_them_out(
    tmp_path: Path, synthetic_root: Path, synthetic_ids: list[str], cluster: LocalCluster
) -> None:
    from tumorbench.run.worker import model_loads

    a, b, c, d = synthetic_ids
    store = tmp_path / "store"
    trains = {0: [a, b], 1: [a, c], 2: [a, b, d]}  # a: trained on by every fold; b: held out by 1; c: 0, 2; d: 0, 1
    for k, (wt, et) in {0: (0.75, 1.0), 1: (1.5, 2.0), 2: (2.5, 2.5)}.items():
        _store_fitted(store, k, trains[k], wt, et)
    serial = run_and_render(_options(tmp_path / "serial", synthetic_root, "intensity-fitted", model_store=store))
    with Client(cluster) as client:
        before = client.run(model_loads)
    on_cluster = ExecutorOptions(scheduler=cluster.scheduler_address)
    parallel = run_and_render(_options(tmp_path / "dask", synthetic_root, "intensity-fitted", model_store=store), executor=on_cluster)
    with Client(cluster) as client:
        after = client.run(model_loads)
    assert (serial.ok, serial.excluded, serial.failed) == (parallel.ok, parallel.excluded, parallel.failed) == (3, 1, 0)
    csv = _sorted_csv(tmp_path / "dask")
    assert a not in set(csv.case)
    pd.testing.assert_frame_equal(_sorted_csv(tmp_path / "serial"), csv)
    for name in ("eligibility.json",):
        assert (tmp_path / "serial" / name).read_text() == (tmp_path / "dask" / name).read_text()
    # each worker loaded each fold it needed once (member, fold), whatever the number of its cases
    new = {w: [key[-2:] for key in after[w][len(before.get(w, [])):]] for w in after}
    assert all(len(loaded) == len(set(loaded)) for loaded in new.values()), new
    assert {fold for loaded in new.values() for _, fold in loaded} == {0, 1, 2}


class Recorder:
    """A progress display that keeps what the runner tells it."""

    def __init__(self) -> None:
        self.notes: list[str] = []
        self.activities: list[dict[str, str]] = []
        self.advanced = 0

    def start(self, total: int) -> None:
        self.total = total

    def advance(self, *, failed: bool, skipped: bool, description: str) -> None:
        self.advanced += 1

    def stop(self) -> None:
        pass

    def note(self, text: str) -> None:
        self.notes.append(text)

    def activity(self, lines: dict[str, str]) -> None:
        self.activities.append(dict(lines))


def _kill_when_stalled(signal_dir: Path, case: str) -> threading.Thread:
    """Kill (SIGKILL) the worker process that runs ``case`` once it is stalled in it."""

    def killer() -> None:
        pid_file = signal_dir / f"{case}.pid"
        deadline = time.monotonic() + 60
        while not pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.1)
        (signal_dir / "released").write_text("")  # the retry runs through
        os.kill(int(pid_file.read_text()), signal.SIGKILL)

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    return thread


def test_a_worker_killed_mid_run_has_its_case_retried_on_another(
    tmp_path: Path, synthetic_root: Path, synthetic_ids: list[str], cluster: LocalCluster
) -> None:
    signal_dir = tmp_path / "signals"
    signal_dir.mkdir()
    stalled = synthetic_ids[1]
    params = {"stall": stalled, "signal_dir": str(signal_dir)}
    killer = _kill_when_stalled(signal_dir, stalled)
    summary = run_and_render(
        _options(tmp_path / "run", synthetic_root, "sleepy", model_params=params),
        executor=ExecutorOptions(scheduler=cluster.scheduler_address),
    )
    killer.join(5)
    assert (summary.ok, summary.failed) == (4, 0)
    csv = _sorted_csv(tmp_path / "run")
    assert set(csv[csv.metric == "dice"].value) == {1.0}  # the retried case was predicted in full


def _killed_once_without_retries(tmp_path: Path, root: Path, stalled: str, executor: ExecutorOptions):
    """Run the sleepy model with no retries allowed, SIGKILLing the worker once it stalls in
    ``stalled``; the summary and the model's parameters."""
    signal_dir = tmp_path / "signals"
    signal_dir.mkdir()
    params = {"stall": stalled, "signal_dir": str(signal_dir)}
    killer = _kill_when_stalled(signal_dir, stalled)
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        summary = run_and_render(_options(tmp_path / "run", root, "sleepy", model_params=params), executor=executor)
    killer.join(5)
    return summary, params


def test_a_worker_killed_past_allowed_failures_fails_its_case_with_the_reason(
    tmp_path: Path, synthetic_root: Path, synthetic_ids: list[str], plugin_path: Path
) -> None:
    stalled = synthetic_ids[0]
    summary, params = _killed_once_without_retries(tmp_path, synthetic_root, stalled, ExecutorOptions(workers=2))
    reasons = {case: reason for _, _, case, reason in summary.failures}
    assert reasons[stalled] == "KilledWorker: the worker running this case died (1 attempt(s), allowed-failures 0)"
    assert summary.ok + summary.failed == 4
    # every case is recorded, the killed one scored worst-case; the rerun redoes only the failed ones
    store = open_store(tmp_path / "run")
    assert {p.case_id: p.status for p in store.predictions()}[stalled] == "failed"
    store.close()
    again = run_and_render(_options(tmp_path / "run", synthetic_root, "sleepy", model_params=params))
    assert (again.ok, again.skipped, again.failed) == (summary.failed, summary.ok, 0)


def test_a_task_of_several_cases_whose_worker_died_runs_them_again_one_per_task(
    tmp_path: Path, synthetic_root: Path, synthetic_ids: list[str], plugin_path: Path
) -> None:
    """With no retries allowed, the task of 4 cases whose worker is killed does not fail its 4
    cases: they run again one per task (where, one task per case, the case would fail: above)."""
    stalled = synthetic_ids[0]
    summary, params = _killed_once_without_retries(
        tmp_path, synthetic_root, stalled, ExecutorOptions(workers=2, cases_per_task=4)
    )
    assert (Path(params["signal_dir"]) / f"{stalled}.pid").exists()  # the worker was killed under the case
    assert (summary.ok, summary.failed) == (4, 0), summary.failures
    csv = _sorted_csv(tmp_path / "run")
    assert set(csv[csv.metric == "dice"].value) == {1.0}


def test_a_hanging_case_is_stopped_by_case_timeout_and_the_run_goes_on(
    tmp_path: Path, synthetic_root: Path, synthetic_ids: list[str], plugin_path: Path
) -> None:
    """--workers 1 --case-timeout: the cases run on one worker, restarted after the hanging case."""
    hanging = synthetic_ids[1]
    progress = Recorder()
    summary = run_and_render(
        _options(tmp_path / "run", synthetic_root, "sleepy", model_params={"hang": hanging}),
        executor=ExecutorOptions(case_timeout=2), progress=progress,
    )
    assert (summary.ok, summary.failed) == (3, 1)
    # the bar's per-worker lines showed the hanging case on its worker while it ran
    assert any(what.startswith(f"sleepy | brats18 | {hanging} (") for lines in progress.activities for what in lines.values())
    assert progress.notes == [f"LocalCluster, 1 worker(s); started in {summary.startup_seconds:.1f} s; "
                              f"Dask dashboard: {summary.dashboard}"]
    assert progress.advanced == 4
    assert summary.failures[0][2:] == (hanging, "timed out after 2 s (--case-timeout); its worker was restarted")
    csv = _sorted_csv(tmp_path / "run")
    assert set(csv[(csv.case == hanging) & (csv.metric == "dice")].value) == {0.0}  # worst-case
    assert set(csv[(csv.case != hanging) & (csv.metric == "dice")].value) == {1.0}


def test_the_driver_killed_resumes_exactly(tmp_path: Path, synthetic_root: Path, plugin_path: Path) -> None:
    """The rerun of the same command (here without --workers: executors do not change results)
    keeps every recorded case and predicts the rest."""
    out = tmp_path / "run"
    bench = Path(sys.executable).with_name("bench")
    args = [str(bench), "run", "-m", "sleepy", "-d", "brats18", "--data-root", str(synthetic_root), "--out", str(out),
            "--model-opt", "sleep=1.5", "--workers", "2"]
    with open(tmp_path / "stderr.txt", "wb") as stderr:
        driver = subprocess.Popen(args, start_new_session=True, stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            time.sleep(0.2)
            try:
                with sqlite3.connect(out / "results.sqlite") as db:
                    if db.execute("SELECT count(*) FROM predictions").fetchone()[0]:
                        break
            except sqlite3.OperationalError:
                pass
    finally:
        os.killpg(driver.pid, signal.SIGKILL)
        driver.wait()
    with sqlite3.connect(out / "results.sqlite") as db:
        kept = db.execute("SELECT count(*) FROM predictions").fetchone()[0]
    assert 1 <= kept < 4
    # before it was killed, the driver said where its cluster's dashboard was
    assert re.search(r"LocalCluster, 2 worker\(s\); started in [0-9.]+ s; Dask dashboard: http://\S+/status",
                     (tmp_path / "stderr.txt").read_text())
    result = subprocess.run(args[:-2], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert f"{4 - kept} scored, 0 predicted without ground truth, 0 failed, {kept} already done" in result.stdout
    with sqlite3.connect(out / "results.sqlite") as db:
        assert db.execute("SELECT count(*), count(DISTINCT case_id) FROM predictions").fetchone() == (4, 4)
        assert [r[0] for r in db.execute("SELECT interrupted FROM runs ORDER BY id")] == [1, 0]
    csv = _sorted_csv(out)
    assert set(csv[csv.metric == "dice"].value) == {1.0} and len(set(csv.case)) == 4


def test_gpu_workers_pin_one_gpu_each(tmp_path: Path, synthetic_root: Path, plugin_path: Path) -> None:
    """--gpus-per-worker 1: the tasks of a torch model need GPU=1, and worker i sees GPU i only."""
    signal_dir = tmp_path / "signals"
    signal_dir.mkdir()
    summary = run_and_render(
        _options(tmp_path / "run", synthetic_root, "sleepy", model_params={"signal_dir": str(signal_dir)}),
        executor=ExecutorOptions(workers=2, gpus_per_worker=1),
    )
    assert summary.ok == 4
    seen = {p.read_text() for p in signal_dir.glob("*.gpu")}
    assert seen and seen <= {"0", "1"}


def test_slurm_cluster_job_script() -> None:
    pytest.importorskip("dask_jobqueue")
    from tumorbench.run.slurm import slurm_cluster

    cluster = slurm_cluster(
        workers=4, gpus_per_worker=1,
        options={"queue": "gpu", "account": "lab", "walltime": "02:00:00", "memory": "32GB", "prologue": "module load cuda; source .venv/bin/activate"},
    )
    try:
        script = cluster.job_script()
    finally:
        cluster.close()
    lines = script.splitlines()
    for line in ("#SBATCH -p gpu", "#SBATCH -A lab", "#SBATCH -t 02:00:00", "#SBATCH --gres=gpu:1", "#SBATCH --cpus-per-task=1",
                 "module load cuda", "source .venv/bin/activate"):
        assert line in lines, line
    worker = lines[-1]
    assert worker.startswith(f"{sys.executable} -m distributed.cli.dask_worker tcp://")
    assert "--nthreads 1" in worker and "--resources GPU=1" in worker and "--nanny" in worker
    with pytest.raises(BenchError, match="--cluster-opt partition: unknown for slurm"):
        slurm_cluster(workers=1, options={"partition": "x"})


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (ExecutorOptions(workers=0), "--workers must be at least 1, got 0"),
        (ExecutorOptions(workers=2, scheduler="tcp://127.0.0.1:1"), "--scheduler uses a running cluster"),
        (ExecutorOptions(case_timeout=-1), "--case-timeout must be a positive number of seconds"),
        (ExecutorOptions(cluster="pbs"), "--cluster must be one of local, slurm"),
        (ExecutorOptions(workers=2, cases_per_task=0), "cases per task must be at least 1, got 0"),
        (ExecutorOptions(case_timeout=5, cases_per_task=2), "--case-timeout stops the task of the case that runs too long"),
    ],
)
def test_bad_executor_options_are_refused_before_anything_is_written(tmp_path, synthetic_root, options, message) -> None:
    with pytest.raises(BenchError, match=message.replace("(", r"\(")):
        run_and_render(_options(tmp_path / "run", synthetic_root), executor=options)
    assert not (tmp_path / "run" / "results.sqlite").exists()


def test_cli_refuses_bad_worker_counts_in_one_line(tmp_path) -> None:
    from typer.testing import CliRunner

    from tumorbench.cli import build_app

    result = CliRunner().invoke(build_app(), ["run", "-m", MODEL, "-d", "synthetic", "--workers", "0", "--out", str(tmp_path / "run")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == "error: --workers must be at least 1, got 0"


def test_an_experiment_file_refuses_workers_in_one_line(tmp_path) -> None:
    from typer.testing import CliRunner

    from tumorbench.cli import build_app

    result = CliRunner().invoke(build_app(), ["run", "-c", str(tmp_path / "exp.toml"), "--workers", "2"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1].startswith("error: --workers, --scheduler, --cluster, --gpus-per-worker")


def test_a_registry_built_in_process_is_not_sent_to_workers_silently(tmp_path, synthetic_root) -> None:
    with pytest.raises(BenchError, match="a registry built in this process cannot reach Dask workers"):
        run_and_render(_options(tmp_path / "run", synthetic_root), registry=Registry(), executor=ExecutorOptions(workers=2))


def test_workers_build_their_registry_with_the_factory_given(tmp_path, synthetic_root, cluster: LocalCluster) -> None:
    import tb_sleepy

    summary = run_and_render(
        _options(tmp_path / "run", synthetic_root, "sleepy-extra"), registry=tb_sleepy.registry(),
        executor=ExecutorOptions(scheduler=cluster.scheduler_address, registry_factory=tb_sleepy.registry),
    )
    assert (summary.ok, summary.failed) == (4, 0), summary.failures


@pytest.mark.parametrize("peer", ["silent", "garbage"])
def test_a_scheduler_address_that_is_no_scheduler_is_one_line(tmp_path: Path, synthetic_root: Path, monkeypatch, peer: str) -> None:
    """A listener that accepts and never answers used to hold the run past 600 s; one that sends
    garbage gave Dask's traceback (an allocation of exabytes). Both are one line, exit 2, no store."""
    import socket
    import threading

    from typer.testing import CliRunner

    from tumorbench.cli import build_app

    monkeypatch.setenv("TUMORBENCH_CONNECT_TIMEOUT", "3")
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    held = []

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            held.append(conn)
            if peer == "garbage":
                conn.sendall(b"\xff" * 8 + b"\x7f" * 64)

    threading.Thread(target=serve, daemon=True).start()
    try:
        result = CliRunner().invoke(build_app(), ["run", "-m", MODEL, "-d", "brats18", "--data-root", str(synthetic_root),
                                                  "--out", str(tmp_path / "run"), "--scheduler", f"tcp://127.0.0.1:{port}"])
    finally:
        server.close()
        for conn in held:
            conn.close()
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and errors[0].startswith(f"error: --scheduler tcp://127.0.0.1:{port}: ") and "Traceback" not in result.output
    assert not (tmp_path / "run" / "results.sqlite").exists()
