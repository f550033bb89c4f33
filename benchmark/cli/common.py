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
    """A rich progress bar for the whole matrix: cases done, failures, skipped, time left, and
    under it what each Dask worker is doing; notes (the dashboard address) print above it."""

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
        from rich.text import Text

        class _Progress(Progress):
            lines: list[str] = []

            def get_renderables(self):  # noqa: ANN202 - rich's own signature
                yield self.make_tasks_table(self.tasks)
                if self.lines:
                    yield Text("\n".join(self.lines), style="dim")

        self.failed = 0
        self.skipped = 0
        self._console = Console(stderr=True)
        self._progress = _Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("failed {task.fields[failed]} skipped {task.fields[skipped]}"),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=self._console,
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

    def note(self, text: str) -> None:
        """A line above the bar (shown also when stderr is not a terminal)."""
        if self._progress.disable:
            typer.echo(text, err=True)
        else:
            self._console.print(text, highlight=False)

    def activity(self, lines: dict[str, str]) -> None:
        """What each worker is doing now, one line per worker under the bar."""
        self._progress.lines = [f"{who}: {what}" for who, what in sorted(lines.items())]
        self._progress.refresh()

    def stop(self) -> None:
        self._progress.stop()
