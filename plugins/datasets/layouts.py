"""Every known folder layout, by dataset name, and detection of which one a folder is."""

from __future__ import annotations

from pathlib import Path

from tumorbench.api import BenchError

from .common import Layout
from .plugin_layouts import SpecLayout, plugin_layouts


def all_layouts() -> dict[str, Layout]:
    """Dataset name -> layout, in the order ``bench data check`` tries them."""
    from . import brats, brats23, brats24, msd, rembrandt, synthetic

    layouts: list[Layout] = [*brats.LAYOUTS, *brats24.DETECTED_FIRST, brats23.LAYOUT, *brats24.AFTER_BRATS23,
                             msd.MsdLayout("all"), rembrandt.RembrandtLayout(), synthetic.LEGACY_LAYOUT]
    return {lay.name: lay for lay in layouts}


def every_layout() -> dict[str, Layout | SpecLayout]:
    """The built-in layouts, then those other dataset plugins declare (``DatasetSpec.detect``)."""
    builtin: dict[str, Layout | SpecLayout] = dict(all_layouts())
    return {**builtin, **plugin_layouts(set(builtin))}


def get_layout(name: str) -> Layout | SpecLayout:
    layouts = every_layout()
    if name not in layouts:
        raise BenchError(f"unknown dataset layout {name!r}; known: {', '.join(layouts)}")
    return layouts[name]


def detect(root: Path) -> tuple[Layout | SpecLayout, int] | None:
    """The layout with the most recognised cases in ``root`` (ties: the more specific, listed
    first; built-in layouts before plugins'), or None when no layout recognises anything."""
    root = Path(root)
    if not root.is_dir():
        raise BenchError(f"{root}: folder not found")
    best: tuple[Layout | SpecLayout, int] | None = None
    for layout in every_layout().values():
        count = layout.detect(root)
        if count and (best is None or count > best[1]):
            best = (layout, count)
    return best
