"""Typed ``--model-opt`` values: strings from the command line parsed by a dataclass's field types.

A model plugin keeps its options in a frozen dataclass; :func:`apply_options` turns
``{"width": "0.5", "patch": "32,32,32", "augment": "off"}`` into a copy of it with typed values,
and every bad key or value into a one-line :class:`~tumorbench.errors.BenchError`.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Collection, Mapping
from typing import Any, TypeVar

from .errors import BenchError

T = TypeVar("T")

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off"})
NONE = frozenset({"none", "null", ""})


def _describe(kind: Any) -> str:
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return "comma-separated integers like 24,24,24"
        count = {2: "two", 3: "three", 4: "four"}.get(len(args), str(len(args)))
        return f"{count} comma-separated integers like {','.join(['32'] * len(args))}"
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_describe(a) if a is not type(None) else "none" for a in args)
    return {bool: "true or false", int: "an integer", float: "a number", str: "a word"}.get(kind, str(kind))


def parse_value(key: str, value: Any, kind: Any) -> Any:
    """``value`` (a string, or an already typed value) as ``kind``: bool, int, float, str,
    ``tuple[int, ...]``, ``tuple[int, int, int]`` or any of them ``| None``."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    text = value.strip() if isinstance(value, str) else value
    try:
        if origin in (typing.Union, types.UnionType):
            if value is None or (isinstance(text, str) and text.lower() in NONE):
                if type(None) in args:
                    return None
            inner = [a for a in args if a is not type(None)]
            try:
                return parse_value(key, value, inner[0])
            except BenchError:
                raise ValueError from None  # reported below with the whole union's description
        if origin is tuple:
            parts = text if isinstance(text, (list, tuple)) else str(text).lower().replace("x", ",").split(",")
            out = tuple(int(p) for p in parts)
            fixed = not (len(args) == 2 and args[1] is Ellipsis)
            if (fixed and len(out) != len(args)) or not out:
                raise ValueError
            return out
        if kind is bool:
            if isinstance(text, bool):
                return text
            lowered = str(text).lower()
            if lowered in TRUE or lowered in FALSE:
                return lowered in TRUE
            raise ValueError
        if kind is int:
            if isinstance(text, bool):
                raise ValueError
            number = float(text)
            if not number.is_integer():
                raise ValueError
            return int(number)
        if kind is float:
            return float(text)
        if kind is str:
            return str(text)
    except (TypeError, ValueError):
        raise BenchError(f"--model-opt {key}={value}: expected {_describe(kind)}") from None
    raise TypeError(f"option {key}: unsupported field type {kind!r}")


def apply_options(
    base: T,
    params: Mapping[str, Any] | None,
    *,
    owner: str,
    fixed: Collection[str] = (),
    ignored: Collection[str] = (),
) -> T:
    """A copy of the frozen dataclass ``base`` with ``params`` parsed by its field types.

    ``fixed`` names fields a user may not set (they come from the plugin name); ``ignored`` keys
    are dropped silently. An unknown key is an error that lists the known ones.
    """
    hints = typing.get_type_hints(type(base))
    settable = [f.name for f in dataclasses.fields(base) if f.name not in fixed]  # type: ignore[arg-type]
    changes: dict[str, Any] = {}
    for key, value in (params or {}).items():
        if key in ignored:
            continue
        if key not in settable:
            raise BenchError(f"--model-opt {key}: not a {owner} option (known: {', '.join(settable)})")
        changes[key] = parse_value(key, value, hints[key])
    return dataclasses.replace(base, **changes)  # type: ignore[type-var]
