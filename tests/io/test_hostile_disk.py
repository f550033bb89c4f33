"""Atomic writes after a SIGKILL and under a umask: stale temporary files are removed at the next
write into their folder (a live writer's are kept), and outputs get umask permissions."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from tumorbench.io.atomic import atomic_path, current_umask, remove_stale_temporaries, write_text_atomic
from tumorbench.io.nifti import save_volume

WRITER = """
import os, sys, time
from pathlib import Path
from tumorbench.io.atomic import atomic_path
with atomic_path(Path(sys.argv[1])) as tmp:
    tmp.write_bytes(b"half")
    print(tmp, flush=True)
    if sys.argv[2] == "kill":
        os.kill(os.getpid(), 9)
    time.sleep(600)
"""


def _writer(target: Path, mode: str) -> tuple[subprocess.Popen, Path]:
    """A process inside ``atomic_path(target)``: killed by SIGKILL, or sleeping there."""
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target), mode], stdout=subprocess.PIPE, text=True)
    tmp = Path(proc.stdout.readline().strip())  # type: ignore[union-attr]
    if mode == "kill":
        proc.wait(timeout=60)
    return proc, tmp


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp." in p.name)


def test_sigkill_leftover_is_removed_at_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "preds" / "case.nii.gz"
    proc, tmp = _writer(target, "kill")
    assert proc.returncode == -signal.SIGKILL
    assert tmp.exists() and not target.exists()  # what the kill leaves
    save_volume(tmp_path / "preds" / "other.nii.gz", np.ones((2, 2, 2), np.uint8), np.eye(4))
    assert _temporaries(tmp_path / "preds") == []
    assert sorted(p.name for p in (tmp_path / "preds").iterdir()) == ["other.nii.gz"]


def test_a_live_writers_temporary_is_kept(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    proc, tmp = _writer(folder / "a.json", "sleep")
    try:
        write_text_atomic(folder / "b.json", "{}")
        assert remove_stale_temporaries(folder) == []
        assert tmp.exists()  # the other run is still writing it
    finally:
        proc.kill()
        proc.wait(timeout=60)
    assert (folder / "b.json").read_text() == "{}"


def test_a_failed_block_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), atomic_path(tmp_path / "x.csv") as tmp:
        tmp.write_text("partial")
        raise RuntimeError("disk trouble")
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    saved = os.umask(0o022)
    os.umask(saved)

    def set_mask(mask: int) -> None:
        os.umask(mask)

    yield set_mask
    os.umask(saved)


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o002])
def test_outputs_follow_the_umask(tmp_path: Path, umask, mask: int) -> None:  # noqa: ANN001
    umask(mask)
    assert current_umask() == mask
    text = write_text_atomic(tmp_path / "metrics.csv", "a,b\n")
    volume = save_volume(tmp_path / "case.nii.gz", np.zeros((2, 2, 2), np.uint8), np.eye(4))
    plain = tmp_path / "plain.txt"
    plain.write_text("x")  # what an ordinary open gives: the reference
    for path in (text, volume):
        assert stat.S_IMODE(path.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode) == 0o666 & ~mask


def test_synthetic_folder_follows_the_umask(tmp_path: Path, umask) -> None:  # noqa: ANN001
    from tumorbench_plugins.datasets.synthetic import generate

    umask(0o022)
    root = generate(tmp_path / "phantoms", {"cases": 1, "size": (8, 8, 8)})
    reference = tmp_path / "made-by-mkdir"
    reference.mkdir()
    assert stat.S_IMODE(root.stat().st_mode) == stat.S_IMODE(reference.stat().st_mode) == 0o755


def test_a_killed_generation_leaves_no_staging_folder(tmp_path: Path) -> None:
    from tumorbench_plugins.datasets.synthetic import generate

    code = ("import os, sys, tempfile; from tumorbench.io.atomic import temporary_prefix; "
            "d = tempfile.mkdtemp(dir=sys.argv[1], prefix=temporary_prefix('phantoms')); "
            "open(os.path.join(d, 'half.nii.gz'), 'wb').close(); os.kill(os.getpid(), 9)")
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path)], timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert len(_temporaries(tmp_path)) == 1
    generate(tmp_path / "phantoms", {"cases": 1, "size": (8, 8, 8)})
    assert _temporaries(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["phantoms"]
