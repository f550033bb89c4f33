"""Importing a third-party plugin once in a child process before it is imported here: a module
that ends its process when imported (``os._exit``, a crash in an extension) ends the child, not
``bench``, and is reported in one line. A plugin that imports cleanly is remembered by its
distribution, version, entry point and the module file's size and time, so the probe is paid once
per installed version, not once per command."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

PROBE_ENV = "TUMORBENCH_PROBE_PLUGINS"
"""``0`` turns the probe off (the plugin is imported here directly, under the time limit only)."""
SENTINEL = "tumorbench-probe-ok"
_STARTUP = 10.0
"""Seconds allowed for the child interpreter to start, on top of the import's own limit."""
_CODE = (
    "import importlib, os, sys\n"
    "module, _, attr = sys.argv[1].partition(':')\n"
    "try:\n"
    "    value = importlib.import_module(module)\n"
    "    value = getattr(value, attr) if attr else value\n"
    "except BaseException:\n"  # raising (even SystemExit) is the in-process guard's to report
    "    pass\n"
    f"print({SENTINEL!r}, flush=True)\n"
    "os._exit(0)\n"  # threads the plugin started keep no one waiting
)


def cache_file() -> Path:
    root = os.environ.get("TUMORBENCH_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "tumorbench")
    return Path(root) / "plugin-probes.json"


def _stamp(value: str) -> str:
    """The module file's size and mtime (a reinstall or an edit probes again)."""
    try:
        spec = importlib.util.find_spec(value.partition(":")[0])
    except (ImportError, ValueError):
        spec = None
    origin = getattr(spec, "origin", None)
    if not origin or not os.path.isfile(origin):
        return "?"
    stat = os.stat(origin)
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def probe(distribution: str, version: str, value: str, timeout: float) -> str | None:
    """None when importing ``value`` (``module`` or ``module:attr``) in a child process returns or
    raises (an exception is reported by the in-process import, with its own message); else why it
    cannot be imported here, one phrase: the import ended the child, or hung past ``timeout``.
    Imports that return are cached (:func:`cache_file`)."""
    if os.environ.get(PROBE_ENV, "1") == "0":
        return None
    key = f"{distribution}=={version} {value} {_stamp(value)} {sys.executable}"
    path = cache_file()
    try:
        known = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, ValueError):
        known = {}
    if known.get(key) == "ok":
        return None
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    try:
        done = subprocess.run([sys.executable, "-c", _CODE, value], capture_output=True, text=True,
                              timeout=timeout + _STARTUP, env=env, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return f"hung (no answer within {timeout:g} s; TUMORBENCH_PLUGIN_TIMEOUT sets the limit)"
    except OSError as exc:
        return f"could not be probed in a child process ({exc}; {PROBE_ENV}=0 skips the probe)"
    if SENTINEL not in done.stdout:
        return (f"its import ended the process (exit code {done.returncode}, as os._exit or a crash in an "
                "extension would)")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        known[key] = "ok"
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text(json.dumps(known, indent=0, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # an unwritable cache costs a probe next time, nothing more
    return None
