"""Throwaway plugin distributions for tests: a module plus a ``*.dist-info`` with ``entry_points.txt``.

importlib.metadata finds such a folder on ``sys.path`` exactly as it finds a pip-installed
package, so the entry points are real ones. ``bench`` runs in a subprocess with ``PYTHONPATH``
pointing there.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path


def make_distribution(site: Path, dist: str, version: str, module: str, source: str,
                      entry_points: dict[str, str]) -> None:
    """Write ``module.py`` and ``<dist>-<version>.dist-info`` declaring ``entry_points``.

    Args:
        entry_points: group -> entry-point name, each pointing at ``module``.
    """
    site.mkdir(parents=True, exist_ok=True)
    (site / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    info = site / f"{dist.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8")
    text = "".join(f"[{group}]\n{name} = {module}\n\n" for group, name in entry_points.items())
    (info / "entry_points.txt").write_text(text, encoding="utf-8")


def bench(site: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """``python -m tumorbench ARGS`` seeing the distributions in ``site``.

    The timeout only keeps a regression from hanging the suite; nothing asserts on time.
    """
    full = {k: v for k, v in os.environ.items() if not k.startswith("TUMORBENCH_") or k in (
        "TUMORBENCH_CACHE", "TUMORBENCH_CONFIG")}
    full["PYTHONPATH"] = os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])
    full.update(env)
    return subprocess.run([sys.executable, "-m", "tumorbench", *args], env=full, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


MODEL = """
from tumorbench import hookimpl
from tumorbench.api import ModelSpec, Prediction


class Nothing:
    def predict(self, case):
        import numpy as np
        return Prediction(regions=("WT",), labels=np.zeros(case.shape, np.uint8))


@hookimpl
def tumorbench_models():
    return [ModelSpec(name={name!r}, summary={summary!r}, load=lambda ctx: Nothing(), regions=("WT",))]
"""


def model_source(name: str, summary: str = "predicts nothing", prelude: str = "") -> str:
    """A plugin module providing one model; ``prelude`` runs first, at import."""
    return textwrap.dedent(prelude) + MODEL.format(name=name, summary=summary)


COMMAND = """
import typer
from tumorbench import hookimpl
from tumorbench.api import CommandSpec

app = typer.Typer(help="says hello", no_args_is_help=False)


@app.callback(invoke_without_command=True)
def main() -> None:
    typer.echo({greeting!r})


@hookimpl
def tumorbench_commands():
    return [CommandSpec(name={name!r}, summary="says hello", app=app)]
"""


def command_source(name: str, greeting: str, prelude: str = "") -> str:
    return textwrap.dedent(prelude) + COMMAND.format(name=name, greeting=greeting)


def marker_prelude(marker: Path, then: str = "") -> str:
    """Import-time code that records the import in ``marker`` and then runs ``then``."""
    return f"from pathlib import Path as _P\n_P({str(marker)!r}).write_text('imported')\n{then}\n"
