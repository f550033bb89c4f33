"""Shared CLI pieces: error handling and the one-line ``error:`` message with its exit code."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from tumorbench.errors import BenchError

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``error: message`` on stderr, one ``error:`` line per problem when the message lists
    several (an experiment file's every problem), and return the Exit to raise."""
    for line in str(message).splitlines() or [""]:
        typer.echo(f"error: {line}", err=True)
    return typer.Exit(code)


def handles_errors(func: F) -> F:
    """Turn a BenchError into a one-line message and its exit code (2 for bad input; the codes of
    :mod:`tumorbench.results.failures` for the store and the disk); such failures raised raw are classified."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from tumorbench.results.failures import classify, exit_code

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
