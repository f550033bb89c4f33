"""Source of ``tb_sleepy``, a throwaway plugin for the parallel-run tests.

The tests write it, with a dist-info entry point, into a folder on PYTHONPATH, so that the Dask
worker processes find it as they find any installed plugin. Its model ``sleepy`` predicts the
ground truth (a perfect prediction), after sleeping as its options say:

    sleep=S        every case sleeps S seconds
    hang=CASE      that case sleeps ``hang_s`` seconds (default 600): a hanging case
    stall=CASE     that case writes its process id to ``signal_dir/CASE.pid`` and waits (up to
                   60 s) until ``signal_dir/released`` exists: a test kills it meanwhile
    signal_dir=D   where it writes, also ``D/<case>.gpu`` holding its CUDA_VISIBLE_DEVICES
"""

SOURCE = '''
import os
import time
from pathlib import Path

import numpy as np

from dataclasses import dataclass

from tumorbench import hookimpl
from tumorbench.api import ModelSpec, Prediction


@dataclass(frozen=True)
class SleepyOptions:
    """The keys it reads (a model takes only the --model-opt keys it declares)."""

    sleep: float = 0.0
    hang: str = ""
    hang_s: float = 600.0
    stall: str = ""
    signal_dir: str = ""


class Sleepy:
    def __init__(self, params):
        self.params = dict(params)

    def predict(self, case):
        p = self.params
        signal = Path(p["signal_dir"]) if "signal_dir" in p else None
        if signal is not None:
            (signal / f"{case.case_id}.gpu").write_text(os.environ.get("CUDA_VISIBLE_DEVICES", "-"))
        if case.case_id == p.get("hang"):
            time.sleep(float(p.get("hang_s", 600)))
        if case.case_id == p.get("stall") and signal is not None:
            (signal / f"{case.case_id}.pid").write_text(str(os.getpid()))
            deadline = time.monotonic() + 60
            while not (signal / "released").exists() and time.monotonic() < deadline:
                time.sleep(0.05)
        time.sleep(float(p.get("sleep", 0)))
        labels = np.asarray(case.label.data).astype(np.uint8)
        return Prediction(regions=("WT", "TC", "ET"), labels=labels)


class Extra:
    """Registered only by ``registry()``, never through the entry point."""

    @hookimpl
    def tumorbench_models(self):
        return [ModelSpec(name="sleepy-extra", summary="sleepy, by a registry factory", load=lambda ctx: Sleepy(ctx.params),
                          modalities=("flair",), options=SleepyOptions)]


def registry():
    """A registry with the built-ins and ``Extra``: a factory Dask workers can import by name."""
    from tumorbench.loading.manager import get_plugin_manager
    from tumorbench.loading.registry import Registry

    return Registry(get_plugin_manager(entry_points=False, extra=[Extra()]))


@hookimpl
def tumorbench_models():
    return [
        ModelSpec(name="sleepy", summary="the ground truth, after a nap", load=lambda ctx: Sleepy(ctx.params),
                  modalities=("flair",), framework="torch", options=SleepyOptions),
    ]
'''


def install(folder):
    """Write the module and its dist-info (entry point ``sleepy`` in group ``tumorbench``) into ``folder``."""
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tb_sleepy.py").write_text(SOURCE)
    info = folder / "tb_sleepy-0.1.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: tb-sleepy\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[tumorbench]\nsleepy = tb_sleepy\n")
    return folder
