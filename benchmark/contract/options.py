"""Typed options: strings from the command line parsed by a dataclass's field types.

A plugin keeps its options in a frozen dataclass (``ModelSpec.options``,
``PostprocessorSpec.options``, ``CombinerSpec.options``); :func:`apply_options` turns
``{"width": "0.5", "patch": "32,32,32", "augment": "off"}`` into a copy of it with typed values,
and every bad key or value into a one-line :class:`~tumorbench.errors.BenchError` naming the
flag it came from. :func:`option_fields` lists them for ``bench models show`` and ``bench plugins``.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Collection, Mapping
from typing import Any, TypeVar

from tumorbench.errors import BenchError

T = TypeVar("T")

FIXED: dict[str, bool] = {"tumorbench.fixed": True}
"""Field metadata of an option the plugin name fixes (``arch: str = field(default="bcn",
metadata=FIXED)``): listed nowhere, and refused when given."""

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off"})
NONE = frozenset({"none", "null", ""})


def _describe(kind: Any) -> str:
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            if args[0] is float:
                return "comma-separated numbers like 2,1,0.5"
            return "comma-separated integers like 24,24,24"
        count = {2: "two", 3: "three", 4: "four"}.get(len(args), str(len(args)))
        return f"{count} comma-separated integers like {','.join(['32'] * len(args))}"
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_describe(a) if a is not type(None) else "none" for a in args)
    return {bool: "true or false", int: "an integer", float: "a number", str: "a word"}.get(kind, str(kind))


class _NotFinite(Exception):
    """A number option given as NaN or infinity."""


def _finite(number: Any) -> Any:
    """A number that is not NaN or infinite (an option's NaN never means 'unlimited')."""
    if isinstance(number, float) and not math.isfinite(number):
        raise _NotFinite
    return number


def parse_value(key: str, value: Any, kind: Any, flag: str = "--model-opt") -> Any:
    """``value`` (a string, or an already typed value) as ``kind``: bool, int, float, str,
    ``tuple[int, ...]``, ``tuple[float, ...]``, ``tuple[int, int, int]`` or any of them ``| None``."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    text = value.strip() if isinstance(value, str) else value
    try:
        if origin in (typing.Union, types.UnionType):
            if value is None or (isinstance(text, str) and text.lower() in NONE):
                if type(None) in args:
                    return None
            inner = [a for a in args if a is not type(None)]
            try:
                return parse_value(key, value, inner[0], flag)
            except BenchError:
                raise ValueError from None  # reported below with the whole union's description
        if origin is tuple:
            parts = text if isinstance(text, (list, tuple)) else str(text).lower().replace("x", ",").split(",")
            item = float if args and args[0] is float else int
            out = tuple(_finite(item(p)) for p in parts)
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
            return _finite(float(text))
        if kind is str:
            return str(text)
    except _NotFinite:
        raise BenchError(f"{flag} {key}={value}: must be finite (NaN and infinity mean nothing here)") from None
    except (TypeError, ValueError):
        raise BenchError(f"{flag} {key}={value}: expected {_describe(kind)}") from None
    raise TypeError(f"option {key}: unsupported field type {kind!r}")


def apply_options(
    base: T,
    params: Mapping[str, Any] | None,
    *,
    owner: str,
    fixed: Collection[str] = (),
    ignored: Collection[str] = (),
    flag: str = "--model-opt",
) -> T:
    """A copy of the frozen dataclass ``base`` with ``params`` parsed by its field types.

    ``fixed`` names fields a user may not set (they come from the plugin name); ``ignored`` keys
    are dropped silently. An unknown key is an error that lists the known ones. A value the
    dataclass itself refuses (its ``__post_init__`` raising ``BenchError`` or ``ValueError``) is an
    error naming the flag and the values given: ``--model-opt width=-1: width must be positive``.
    """
    hints = typing.get_type_hints(type(base))
    fixed = set(fixed) | fixed_fields(base)
    settable = [f.name for f in dataclasses.fields(base) if f.name not in fixed]  # type: ignore[arg-type]
    changes: dict[str, Any] = {}
    for key, value in (params or {}).items():
        if key in ignored:
            continue
        if key not in settable:
            known = ", ".join(settable) or "none"
            raise BenchError(f"{flag} {key}: not a {owner} option (known: {known})")
        changes[key] = parse_value(key, value, hints[key], flag)
    try:
        return dataclasses.replace(base, **changes)  # type: ignore[type-var]
    except (BenchError, ValueError) as exc:  # the dataclass's own check (``__post_init__``) refused a value
        given = " ".join(f"{k}={params[k]}" for k in changes) if changes else "(defaults)"  # type: ignore[index]
        text = str(exc)
        raise BenchError(text if text.startswith(flag) else f"{flag} {given}: {text}") from None


def fixed_fields(options: Any) -> set[str]:
    """The fields marked with :data:`FIXED` metadata."""
    return {f.name for f in dataclasses.fields(options) if f.metadata.get("tumorbench.fixed")}


def option_defaults(options: Any) -> Any:
    """A spec's ``options`` as an instance: a dataclass class is built with its defaults."""
    if options is None:
        return None
    if isinstance(options, type):
        if not dataclasses.is_dataclass(options):
            raise TypeError(f"options {options!r}: not a dataclass")
        return options()
    if not dataclasses.is_dataclass(options):
        raise TypeError(f"options {options!r}: not a dataclass instance")
    return options


def parse_options(options: Any, params: Mapping[str, Any] | None, *, owner: str, flag: str, ignored: Collection[str] = ()) -> Any:
    """``params`` parsed into a spec's ``options`` (None when the spec declares none: then any
    key is refused, naming the flag and the owner)."""
    if options is None:
        keys = [k for k in (params or {}) if k not in ignored]
        if keys:
            raise BenchError(f"{flag} {keys[0]}: {owner} takes no options")
        return None
    return apply_options(option_defaults(options), params, owner=owner, ignored=ignored, flag=flag)


def check_dataset_options(spec: Any, params: Mapping[str, Any] | None) -> None:
    """Refuse a ``--dataset-opt`` key a dataset spec does not declare, or a value its field type
    cannot parse (one line naming the key and the known ones); a spec that declares no
    ``options`` takes its keys unchecked."""
    if getattr(spec, "options", None) is not None:
        apply_options(option_defaults(spec.options), params, owner=f"dataset {spec.name}", flag="--dataset-opt")


def option_fields(options: Any) -> list[tuple[str, str, str]]:
    """``(name, kind, default)`` of each option field, for listings; [] when there are none."""
    base = option_defaults(options)
    if base is None:
        return []
    hints = typing.get_type_hints(type(base))
    rows = []
    for f in dataclasses.fields(base):
        if f.metadata.get("tumorbench.fixed"):
            continue
        value = getattr(base, f.name)
        shown = ",".join(str(v) for v in value) if isinstance(value, tuple) else str(value)
        rows.append((f.name, _kind_name(hints.get(f.name, Any)), shown))
    return rows


def _kind_name(kind: Any) -> str:
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is tuple:
        return f"tuple[{', '.join('...' if a is Ellipsis else getattr(a, '__name__', str(a)) for a in args)}]"
    if origin in (typing.Union, types.UnionType):
        return " | ".join("None" if a is type(None) else _kind_name(a) for a in args)
    return getattr(kind, "__name__", str(kind))


def format_options(options: Any, *, defaults: bool = True) -> str:
    """``key=default (kind), ...`` (or just the keys) on one line; ``-`` when there are none."""
    rows = option_fields(options)
    if not defaults:
        return ", ".join(name for name, _, _ in rows) or "-"
    return ", ".join(f"{name}={default} ({kind})" for name, kind, default in rows) or "-"
