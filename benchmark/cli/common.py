"""Shared CLI pieces: error handling, the progress bar, option parsing."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from ..errors import BenchError

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``error: message`` as one line on stderr and return the Exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def handles_errors(func: F) -> F:
    """Turn a BenchError into a one-line message and its exit code (2 for bad input; the codes of
    :mod:`tumorbench.failures` for the store and the disk); such failures raised raw are classified."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..failures import classify, exit_code

        try:
            return func(*args, **kwargs)
        except BenchError as exc:
            raise fail(str(exc), exit_code(exc)) from None
        except Exception as exc:
            failure = classify(exc)
            if failure is None:
                raise
            raise fail(str(failure), failure.exit_code) from None

    return wrapper  # type: ignore[return-value]


class RichProgress:
    """A rich progress bar: cases done, failures, skipped, time left."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.failed = 0
        self.skipped = 0
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("failed {task.fields[failed]} skipped {task.fields[skipped]}"),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
            disable=not sys.stderr.isatty(),
        )
        self._task = None

    def start(self, total: int) -> None:
        self._progress.start()
        self._task = self._progress.add_task("cases", total=total, failed=0, skipped=0)

    def advance(self, *, failed: bool, skipped: bool, description: str) -> None:
        self.failed += int(failed)
        self.skipped += int(skipped)
        self._progress.update(
            self._task, advance=1, description=description, failed=self.failed, skipped=self.skipped
        )

    def stop(self) -> None:
        self._progress.stop()
