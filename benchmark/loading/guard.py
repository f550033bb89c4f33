"""Running third-party plugin code (imports, hook calls) with a time limit, containing every exception.

The call runs in a daemon thread that the caller waits for at most ``TUMORBENCH_PLUGIN_TIMEOUT``
seconds (default :data:`DEFAULT_TIMEOUT`). Whatever the plugin raises, ``SystemExit`` and
``KeyboardInterrupt`` included, is caught in that thread and comes back as :class:`PluginFailure`.
A real Ctrl-C is delivered to the main thread, which is waiting in ``join``, so it still stops
the program. A call that does not return in time is reported as hung and left behind (the thread
is a daemon: it does not keep the process alive).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import TypeVar

from tumorbench.errors import BenchError, describe

T = TypeVar("T")

TIMEOUT_ENV = "TUMORBENCH_PLUGIN_TIMEOUT"
DEFAULT_TIMEOUT = 5.0
"""Seconds a plugin import or hook call may take before it is reported as hung."""


class PluginFailure(BenchError):
    """Plugin code raised (anything) or did not answer in time; the message is one line."""


def plugin_timeout() -> float:
    """The time limit from ``TUMORBENCH_PLUGIN_TIMEOUT`` (seconds), else the default."""
    text = os.environ.get(TIMEOUT_ENV, "").strip()
    if not text:
        return DEFAULT_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        raise BenchError(f"{TIMEOUT_ENV}={text!r}: not a number of seconds") from None
    if not value > 0:
        raise BenchError(f"{TIMEOUT_ENV}={text!r}: must be a positive number of seconds")
    return value


def call_plugin(func: Callable[[], T], timeout: float | None = None) -> T:
    """``func()`` in a daemon thread; its result, or :class:`PluginFailure` naming what went wrong."""
    limit = plugin_timeout() if timeout is None else timeout
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = func()
        except BaseException as exc:  # noqa: BLE001 - containment is the point
            box["error"] = exc

    thread = threading.Thread(target=target, name="tumorbench-plugin", daemon=True)
    thread.start()
    thread.join(limit)
    if thread.is_alive():
        raise PluginFailure(f"hung (no answer within {limit:g} s; {TIMEOUT_ENV} sets the limit)")
    if "error" in box:
        error = box["error"]
        assert isinstance(error, BaseException)
        raise PluginFailure(describe(error)) from error
    return box["value"]  # type: ignore[return-value]
