"""What ``bench`` does about plugin code that would end or hold its process.

- ``os._exit`` called in bench's own process (a plugin's import, ``predict``, a hook) skips every
  ``finally``: the run's store is left marked as running and no page is written. It used to end
  ``bench`` with whatever code the plugin gave, 0 included, so a run that did nothing looked like a
  success. While :func:`guarded` is active, that call prints one ``error:`` line naming the calling
  module and ends the process with exit code 8 instead. Child processes (Dask workers, forked
  helpers) keep the real ``os._exit``.
- A plugin thread that is not a daemon and never ends would keep ``bench`` from exiting after its
  work is done. Such threads are given :data:`EXIT_GRACE_ENV` seconds (default 10), then named in
  one ``warning:`` line and left behind.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Iterator

from tumorbench.results.failures import PLUGIN_EXIT_CODE

EXIT_GRACE_ENV = "TUMORBENCH_EXIT_GRACE"


@contextlib.contextmanager
def guarded() -> Iterator[None]:
    """Within the block, ``os._exit`` in this process exits with :data:`PLUGIN_EXIT_CODE` after one line."""
    real = os._exit
    own_pid = os.getpid()

    def plugin_exit(code: int = 0) -> None:
        if os.getpid() != own_pid:  # a forked child ends as it asked
            real(code)
        caller = sys._getframe(1).f_globals.get("__name__", "?")
        _flush()
        with contextlib.suppress(Exception):
            sys.stderr.write(f"error: {caller} called os._exit({code}) inside bench: the command was cut short "
                             f"(a run's store keeps the cases done and shows the run as cut short)\n")
            sys.stderr.flush()
        real(PLUGIN_EXIT_CODE)

    os._exit = plugin_exit  # type: ignore[assignment]
    try:
        yield
    finally:
        os._exit = real


def stray_threads() -> list[threading.Thread]:
    """Threads that would keep the interpreter from exiting: alive, not daemons, not this one."""
    me = threading.current_thread()
    return [t for t in threading.enumerate() if t is not me and t is not threading.main_thread() and not t.daemon
            and t.is_alive()]


def exit_without_waiting_for_strays(code: int) -> None:
    """Return when no stray thread outlives the grace period; else warn and end the process with ``code``."""
    threads = stray_threads()
    if not threads:
        return
    try:
        grace = float(os.environ.get(EXIT_GRACE_ENV) or 10)
    except ValueError:
        grace = 10.0
    deadline = time.monotonic() + max(grace, 0.0)
    for thread in threads:
        thread.join(max(deadline - time.monotonic(), 0.0))
    left = [t for t in threads if t.is_alive()]
    if not left:
        return
    names = ", ".join(sorted(t.name for t in left))
    _flush()
    with contextlib.suppress(Exception):
        sys.stderr.write(f"warning: {len(left)} thread(s) started by a plugin still running after {grace:g} s "
                         f"({names}); exiting without them ({EXIT_GRACE_ENV} sets the wait)\n")
    _flush()
    os._exit(code)


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
