"""Typed --model-opt parsing shared by the model plugins."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tumorbench.contract.options import apply_options, parse_value
from tumorbench.errors import BenchError


@dataclass(frozen=True)
class Example:
    arch: str = "fcn"
    width: float = 1.0
    steps: int = 50
    augment: bool = True
    patch: tuple[int, int, int] = (80, 96, 64)
    channels: tuple[int, ...] = (0, 1)
    grid: tuple[int, int, int] | None = (160, 192, 128)


def test_strings_become_the_field_types():
    out = apply_options(
        Example(),
        {"width": "0.5", "steps": "12", "augment": "off", "patch": "32x32x16", "channels": "3", "grid": "none"},
        owner="example",
    )
    assert out == Example(width=0.5, steps=12, augment=False, patch=(32, 32, 16), channels=(3,), grid=None)
    assert apply_options(Example(), {"steps": "4.0", "augment": "YES", "grid": "8,8,8"}, owner="x") == Example(
        steps=4, augment=True, grid=(8, 8, 8)
    )
    assert apply_options(Example(), {"patch": [1, 2, 3], "augment": False}, owner="x").patch == (1, 2, 3)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("steps", "1.5", "--model-opt steps=1.5: expected an integer"),
        ("augment", "maybe", "--model-opt augment=maybe: expected true or false"),
        ("patch", "32,32", "--model-opt patch=32,32: expected three comma-separated integers like 32,32,32"),
        ("width", "wide", "--model-opt width=wide: expected a number"),
        ("grid", "a,b,c", "--model-opt grid=a,b,c: expected three comma-separated integers like 32,32,32 or none"),
    ],
)
def test_bad_values_give_one_line_naming_the_option(key, value, message):
    with pytest.raises(BenchError) as err:
        apply_options(Example(), {key: value}, owner="example")
    assert str(err.value) == message


def test_unknown_and_fixed_keys_list_the_known_ones_and_ignored_keys_are_dropped():
    with pytest.raises(BenchError) as err:
        apply_options(Example(), {"depth": "3"}, owner="fcn", fixed=("arch",))
    assert str(err.value) == "--model-opt depth: not a fcn option (known: width, steps, augment, patch, channels, grid)"
    with pytest.raises(BenchError):
        apply_options(Example(), {"arch": "bcn"}, owner="fcn", fixed=("arch",))
    assert apply_options(Example(), {"path": "/x"}, owner="fcn", ignored=("path",)) == Example()
    assert parse_value("k", "7", int) == 7


@pytest.mark.parametrize(("kind", "text"), [(float, "nan"), (float, "inf"), (float, "-inf"), (tuple[float, ...], "1,nan")])
def test_a_number_option_is_never_nan_or_infinite(kind, text):
    """A NaN budget used to pass and mean 'unlimited' (every comparison with it is false)."""
    with pytest.raises(BenchError, match=rf"^--model-opt time_budget={text}: must be finite \(NaN and infinity mean nothing here\)$"):
        parse_value("time_budget", text, kind)
