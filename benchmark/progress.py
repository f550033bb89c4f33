"""What a long command reports while it works: the :class:`Progress` protocol, and
:class:`RichProgress`, the bar the CLI draws (rich is imported when one is made, never on import,
so that ``tumorbench.api`` imports without rich or typer)."""

from __future__ import annotations

import sys
from typing import Protocol


class Progress(Protocol):
    """What the runner reports while it works (the CLI draws a rich progress bar)."""

    def start(self, total: int) -> None: ...

    def advance(self, *, failed: bool, skipped: bool, description: str) -> None: ...

    def stop(self) -> None: ...

    # optional: ``note(text)`` (a line such as the dashboard address) and
    # ``activity({worker: what it is doing})`` (per-worker lines under the bar)


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
            print(text, file=sys.stderr, flush=True)
        else:
            self._console.print(text, highlight=False)

    def activity(self, lines: dict[str, str]) -> None:
        """What each worker is doing now, one line per worker under the bar."""
        self._progress.lines = [f"{who}: {what}" for who, what in sorted(lines.items())]
        self._progress.refresh()

    def stop(self) -> None:
        self._progress.stop()
