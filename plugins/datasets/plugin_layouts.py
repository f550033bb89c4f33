"""Dataset layouts that other plugins declare (``DatasetSpec.detect``), for ``bench data check``
and ``bench data split``: seen through their spec, checked by loading every case."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tumorbench.api import BenchError, DatasetOptions, DatasetSpec, Registry


@dataclass(frozen=True)
class SpecLayout:
    """A dataset plugin's folder layout, known only through its spec."""

    spec: DatasetSpec

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def summary(self) -> str:
        return self.spec.summary

    @property
    def convention(self) -> str:
        return self.spec.label_convention

    def describe(self) -> str:
        return f"{self.name} ({self.summary})"

    def detect(self, root: Path) -> int:
        if self.spec.detect is None:
            return 0
        try:
            return int(self.spec.detect(Path(root)))
        except (OSError, BenchError):
            return 0

    def scan(self, root: Path) -> dict[str, None]:
        """Case id -> None (the plugin knows its files; :meth:`open` loads them)."""
        return dict.fromkeys(self.open(root).case_ids())

    def open(self, root: Path):
        return self.spec.open(DatasetOptions(root=Path(root)))


def plugin_layouts(builtin: set[str]) -> dict[str, SpecLayout]:
    """Every dataset plugin not among the ``builtin`` layout names, by name (built-in dataset
    plugins are listed only when they declare ``detect``: the others' layouts are the built-in
    ones, or they have none)."""
    registry = Registry()
    out = {}
    for name in registry.datasets:
        spec = registry.datasets.get(name)
        if name in builtin or (registry.provider("dataset", name).distribution == "tumorbench" and spec.detect is None):
            continue
        out[name] = SpecLayout(spec)
    return out
