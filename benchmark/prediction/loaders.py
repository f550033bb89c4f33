"""Models loaded on first use, each once. A load that fails is remembered and raised again for
every case that needs that model, so a broken checkpoint fails each of its cases with its reason
without being loaded again and again."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Lazy(Generic[T]):
    """``make()`` called on the first :meth:`get`; its value, or its error, kept for every later one."""

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._value: T | None = None
        self._error: BaseException | None = None
        self._made = False

    def get(self) -> T:
        if self._error is not None:
            raise self._error
        if not self._made:
            try:
                self._value = self._make()
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # noqa: BLE001 - a plugin's SystemExit too: remembered, raised again
                self._error = exc
                raise
            self._made = True
        return self._value  # type: ignore[return-value]


class LoadOnce(Generic[T]):
    """``load(*key)`` for each key once, lazily (:class:`Lazy` per key)."""

    def __init__(self, load: Callable[..., T]) -> None:
        self._load = load
        self._lazy: dict[tuple[Hashable, ...], Lazy[T]] = {}

    def __call__(self, *key: Hashable) -> T:
        if key not in self._lazy:
            self._lazy[key] = Lazy(lambda: self._load(*key))
        return self._lazy[key].get()
