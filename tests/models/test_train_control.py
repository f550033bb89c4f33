"""``bench train`` as a user leaves it running: Ctrl-C, a time budget, a memory refusal, quiet logs.

Each test runs the real command in a subprocess on tiny models and tiny synthetic data.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
DATA = ["-d", "synthetic", "--dataset-opt", "cases=4", "--dataset-opt", "size=24,24,20", "--folds", "2"]
FCN = ["-m", "fcn", "--device", "cpu", "--model-opt", "width=0.25", "--model-opt", "batch=4",
       "--model-opt", "steps=20", "--model-opt", "val_cases=1"]
TUNET = ["--model-opt", "width=2", "--model-opt", "depth=2", "--model-opt", "grid=none",
         "--model-opt", "patch=16,16,16", "--model-opt", "batch=2"]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
           "TUMORBENCH_CACHE": str(tmp_path / "cache"), **extra}
    env.pop("TUMORBENCH_VERBOSE", None)
    return env


def _bench(tmp_path: Path, *args: str, timeout: float = 300, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "bench"), *args], capture_output=True, text=True, cwd=tmp_path,
                          env=_env(tmp_path, **env), timeout=timeout)


@pytest.mark.torch
def test_ctrl_c_keeps_a_resumable_state_and_prints_the_resume_command(tmp_path: Path) -> None:
    args = ["train", *FCN, *DATA, "--epochs", "100000", "--store", "store"]
    proc = subprocess.Popen([str(BIN / "bench"), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=tmp_path, env=_env(tmp_path))
    lines = []
    for line in proc.stderr:  # one plain line per epoch (stderr is not a terminal)
        lines.append(line)
        if line.startswith("epoch 2/"):
            break
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    err = "".join(lines) + err
    assert proc.returncode == 130, err
    assert re.search(r"interrupted: kept \d+ epoch\(s\)", err), err
    resume = err.split("resume with: ", 1)[1].strip().splitlines()[0]
    assert shlex.split(resume)[:2] == ["bench", "train"] and "--fresh" not in resume
    fold = tmp_path / "store" / "fcn" / "synthetic" / "fold-0"
    before = json.loads((fold / "config.json").read_text())
    assert (fold / "train_state.pt").is_file() and (fold / "checkpoint.pt").is_file()
    assert before["epochs_done"] >= 2

    # the printed command resumes (here with a last epoch count, so that it ends)
    target = before["epochs_done"] + 1
    done = subprocess.run(f"{resume} --epochs {target}", shell=True, capture_output=True, text=True, cwd=tmp_path,
                          env=_env(tmp_path), timeout=300)
    assert done.returncode == 0, done.stderr
    after = json.loads((fold / "config.json").read_text())
    assert after["epochs_done"] == target
    assert after["history"][: before["epochs_done"]] == before["history"]  # continued, not restarted


@pytest.mark.torch
def test_the_time_budget_covers_the_whole_call(tmp_path: Path) -> None:
    budget = 20
    started = time.monotonic()
    done = _bench(tmp_path, "train", *FCN, *DATA, "--epochs", "100000", "--store", "store",
                  "--time-budget", str(budget))
    wall = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert f"time budget of {budget} s reached: kept" in done.stdout
    fold = tmp_path / "store" / "fcn" / "synthetic" / "fold-0"
    assert (fold / "checkpoint.pt").is_file()
    assert json.loads((fold / "config.json").read_text())["epochs_done"] < 100000  # stopped by the budget
    import torch

    state = torch.load(fold / "train_state.pt", weights_only=True)
    assert state["epoch"] * 20 + state.get("step", 0) > 0  # steps were trained and kept (20 per epoch)
    # loading, validation and saving are inside the budget; what may pass it is one step and the exit
    assert wall < budget + 8, wall


@pytest.mark.tensorflow
def test_training_that_cannot_fit_in_memory_is_refused_naming_an_option_that_fits(tmp_path: Path) -> None:
    done = _bench(tmp_path, "train", "-m", "tunet-seb", *DATA, "--store", "store", "--device", "cpu",
                  TUMORBENCH_MEMORY_LIMIT="8G")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: train: tunet-seb: training needs about "), done.stderr
    fix = lines[0].split("; use ", 1)[1]
    assert fix == "--model-opt batch=1 --model-opt patch=40,48,32"
    assert not (tmp_path / "store" / "tunet-seb").exists()  # refused before anything was written

    from tumorbench_plugins.models.tunet import memory
    from tumorbench_plugins.models.tunet.backend import keras_module
    from tumorbench_plugins.models.tunet.options import parse_options

    fixed = parse_options("tunet-seb", dict(w.split("=") for w in shlex.split(fix) if w != "--model-opt"))
    estimate = memory.estimate(fixed, 4, keras_module("cpu"), 4 * 2**30)
    assert estimate.total <= 8 * 2**30  # the advised options fit the same memory


@pytest.mark.tensorflow
def test_tiny_tunet_train_and_run_print_no_tensorflow_messages(tmp_path: Path) -> None:
    trained = _bench(tmp_path, "train", "-m", "tunet-seb", *DATA, *TUNET, "--epochs", "2", "--store", "store",
                     "--device", "cpu")
    assert trained.returncode == 0, trained.stderr
    scored = _bench(tmp_path, "run", "-m", "tunet-seb", "-d", "synthetic", "--dataset-opt", "cases=4",
                    "--dataset-opt", "size=24,24,20", "--store", "store", "--device", "cpu", "--out", "run")
    assert scored.returncode == 0, scored.stderr
    lines = [line for line in (trained.stderr + scored.stderr).splitlines() if line.strip()]
    assert [line for line in lines if not line.startswith("epoch ")] == []
    assert [line.split(" | ")[0] for line in lines] == ["epoch 1/2", "epoch 2/2"]
    fields = [part.split(" ")[0] for part in lines[0].split(" | ")]
    assert fields == ["epoch", "steps", "ETA", "loss", "val"]


@pytest.mark.torch
@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs os.sched_setaffinity")
def test_thread_pools_follow_the_cores_given(tmp_path: Path) -> None:
    code = ("import torch; from tumorbench_plugins.models.shen.predict import resolve_device; "
            "resolve_device('cpu'); print(torch.get_num_threads())")
    one_core = sorted(os.sched_getaffinity(0))[:1]
    env = _env(tmp_path)
    env.pop("OMP_NUM_THREADS", None)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120,
                          preexec_fn=lambda: os.sched_setaffinity(0, one_core))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"


@pytest.mark.tensorflow
@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs os.sched_setaffinity")
def test_tensorflow_pools_follow_the_cores_given(tmp_path: Path) -> None:
    code = ("from tumorbench_plugins.models.tunet.backend import keras_module; keras_module('cpu'); "
            "import tensorflow as tf; print(tf.config.threading.get_intra_op_parallelism_threads(), "
            "tf.config.threading.get_inter_op_parallelism_threads())")
    one_core = sorted(os.sched_getaffinity(0))[:1]
    env = _env(tmp_path)
    env.pop("TF_NUM_INTRAOP_THREADS", None)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120,
                          preexec_fn=lambda: os.sched_setaffinity(0, one_core))
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "1"]  # left alone, TensorFlow reports 0: its own choice
