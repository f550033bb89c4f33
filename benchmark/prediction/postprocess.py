"""``--postprocess NAME`` or ``NAME:key=value,key=value``: a post-processor with its options parsed.

Values that hold commas (``sizes=1,2``) may be separated by ``;`` instead:
``NAME:sizes=1,2;mode=fill``. The text as given is the step's identity in results.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tumorbench.contract.options import parse_options
from tumorbench.contract.specs import PostprocessorSpec
from tumorbench.contract.values import Case, Prediction
from tumorbench.errors import BenchError

if TYPE_CHECKING:
    from tumorbench.loading.registry import Registry


def split_postprocess(text: str) -> tuple[str, dict[str, str]]:
    """``tunet-postprocess:et_min=300`` -> ("tunet-postprocess", {"et_min": "300"})."""
    name, sep, rest = text.partition(":")
    params: dict[str, str] = {}
    if sep and rest:
        separator = ";" if ";" in rest else ","
        items = rest.split(separator)
        if separator == ",":  # a comma inside a value (1,2) joins the previous item
            merged: list[str] = []
            for item in items:
                if "=" in item or not merged:
                    merged.append(item)
                else:
                    merged[-1] += "," + item
            items = merged
        for item in items:
            key, eq, value = item.partition("=")
            if not eq or not key.strip():
                raise BenchError(f"--postprocess {text}: {item!r} is not key=value")
            params[key.strip()] = value.strip()
    return name.strip(), params


@dataclass(frozen=True)
class PostStep:
    """One post-processor of a run with its parsed options."""

    text: str
    spec: PostprocessorSpec
    options: Any

    @property
    def name(self) -> str:
        return self.spec.name

    def apply(self, prediction: Prediction, case: Case) -> Prediction:
        if self.spec.options is None:
            return self.spec.apply(prediction, case)
        return self.spec.apply(prediction, case, self.options)


def resolve_postprocessors(registry: Registry, texts: Sequence[str]) -> list[PostStep]:
    """Every ``--postprocess`` value as a step; unknown names and bad options fail here."""
    steps = []
    for text in texts:
        name, params = split_postprocess(text)
        spec = registry.postprocessors.get(name)
        options = parse_options(spec.options, params, owner=f"post-processor {name}", flag=f"--postprocess {name}")
        steps.append(PostStep(text, spec, options))
    return steps


def postprocessor_name(text: str) -> str:
    """The plugin name of a ``--postprocess`` value (its options stripped)."""
    return split_postprocess(text)[0]
