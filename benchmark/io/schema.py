"""Checking model-store files (``config.json``, checkpoint metadata, fitted parameters) on load.

A stored file is input like any other: a wrong type, an unknown choice or a NaN threshold must be
one line naming the file and the key, not a ``KeyError`` later or, worse, a model that runs with
it. Plugins describe what they expect with :class:`Field` and call :func:`check`::

    SCHEMA = {"wt": Field(float, required=True), "scale": Field(float, required=True, minimum=0, exclusive=True)}
    values = check(read_json_object(path), SCHEMA, path)

and :func:`check_finite` for arrays (weights, tensors converted with ``numpy()``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tumorbench.errors import BenchError

_TYPE_NAMES = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list",
               dict: "an object"}


@dataclass(frozen=True)
class Field:
    """What one key holds.

    Args:
        kind: ``bool``, ``int``, ``float`` (ints accepted), ``str``, ``list`` or ``dict``.
        required: the key must be present.
        choices: the allowed values (strings, ints).
        finite: numbers must be finite (default: parameters are never NaN or infinite).
        minimum / maximum: bounds on numbers; ``exclusive`` makes them strict.
        items: for lists, the kind of every item; ``item_choices`` their allowed values.
        length: for lists, the allowed lengths (e.g. ``(3,)``); ``unique`` forbids repeats.
        nullable: JSON ``null`` is allowed too.
    """

    kind: type
    required: bool = False
    choices: tuple[Any, ...] | None = None
    finite: bool = True
    minimum: float | None = None
    maximum: float | None = None
    exclusive: bool = False
    items: type | None = None
    item_choices: tuple[Any, ...] | None = None
    length: tuple[int, ...] | None = None
    unique: bool = False
    nullable: bool = False


def _is(value: Any, kind: type) -> bool:
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _shown(value: Any) -> str:
    text = json.dumps(value) if not isinstance(value, float) or math.isfinite(value) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _number_problem(shown: float, spec: Field) -> str | None:
    value = float(shown)
    if spec.finite and not math.isfinite(value):
        return f"is {value}: must be finite"
    low, high = spec.minimum, spec.maximum
    if low is not None and (value <= low if spec.exclusive else value < low):
        return f"is {_shown(shown)}: must be {'>' if spec.exclusive else '>='} {low:g}"
    if high is not None and (value >= high if spec.exclusive else value > high):
        return f"is {_shown(shown)}: must be {'<' if spec.exclusive else '<='} {high:g}"
    return None


def field_problem(value: Any, spec: Field) -> str | None:
    """Why ``value`` does not fit ``spec`` (``is "x": expected one of ...``), or None."""
    if value is None and spec.nullable:
        return None
    if not _is(value, spec.kind):
        return f"is {_shown(value)}: expected {_TYPE_NAMES.get(spec.kind, spec.kind.__name__)}"
    if spec.choices is not None and value not in spec.choices:
        return f"is {_shown(value)}: expected one of {', '.join(map(str, spec.choices))}"
    if spec.kind in (int, float):
        return _number_problem(value, spec)
    if spec.kind is list:
        if spec.length is not None and len(value) not in spec.length:
            return f"has {len(value)} items: expected {' or '.join(map(str, spec.length))}"
        for index, item in enumerate(value):
            if spec.items is not None:
                inner = field_problem(item, Field(spec.items, choices=spec.item_choices, finite=spec.finite,
                                                  minimum=spec.minimum, maximum=spec.maximum,
                                                  exclusive=spec.exclusive))
                if inner:
                    return f"item {index} {inner}"
        if spec.unique and len({json.dumps(v) for v in value}) < len(value):
            return f"is {_shown(value)}: items must not repeat"
    return None


def check(data: Any, schema: Mapping[str, Field], source: Path | str, *, where: str = "") -> dict[str, Any]:
    """``data`` as a dict if it fits ``schema``; unknown keys are kept (files may grow).

    Raises:
        BenchError: ``<source>: key 'arch' is "xyz": expected one of bcn, fcn, fifcn`` (one line).
    """
    prefix = f"{source}: " + (f"{where}: " if where else "")
    if not isinstance(data, Mapping):
        raise BenchError(f"{prefix}expected a JSON object, found {type(data).__name__}")
    for key, spec in schema.items():
        if key not in data:
            if spec.required:
                raise BenchError(f"{prefix}missing key {key!r}")
            continue
        problem = field_problem(data[key], spec)
        if problem:
            raise BenchError(f"{prefix}key {key!r} {problem}")
    return dict(data)


def read_json_object(path: Path | str) -> dict[str, Any]:
    """A JSON object from ``path``; unreadable, invalid or non-object files are one line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BenchError(f"{path}: cannot read ({type(exc).__name__}: {exc})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BenchError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    except RecursionError:
        raise BenchError(f"{path}: not valid JSON (nested too deeply)") from None
    if not isinstance(data, dict):
        raise BenchError(f"{path}: expected a JSON object, found {type(data).__name__}")
    return data


def check_finite(arrays: Iterable[tuple[str, Any]], source: Path | str, what: str = "tensor") -> None:
    """Raise naming ``source`` and the first array (by name) holding NaN or infinity.

    ``arrays`` yields ``(name, array-like)``; integer and boolean arrays are skipped.
    """
    for name, value in arrays:
        array = np.asarray(value)
        if array.dtype.kind not in "fc":
            continue
        bad = int(array.size - np.count_nonzero(np.isfinite(array)))
        if bad:
            raise BenchError(f"{source}: {what} {name!r} holds NaN or infinity ({bad} of {array.size} values)")
