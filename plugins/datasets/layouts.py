"""Every known folder layout, by dataset name, and detection of which one a folder is."""

from __future__ import annotations

from pathlib import Path

from tumorbench.api import BenchError

from .common import Layout
from .plugin_layouts import SpecLayout, plugin_layouts


def all_layouts() -> dict[str, Layout]:
    """Dataset name -> layout, in the order ``bench data check`` tries them."""
    from . import brats, brats23, brats24, msd, rembrandt
    from .synthetic_layout import LEGACY_LAYOUT

    layouts: list[Layout] = [*brats.LAYOUTS, *brats24.DETECTED_FIRST, brats23.LAYOUT, *brats24.AFTER_BRATS23,
                             msd.MsdLayout("all"), rembrandt.RembrandtLayout(), LEGACY_LAYOUT]
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


def readable(layout: Layout | SpecLayout, root: Path) -> tuple[int, int]:
    """``(cases it can load, cases it finds)`` of ``layout`` in ``root``: a case the scan already
    knows is broken (a missing modality) is found but not loadable; (0, 0) when the scan fails."""
    try:
        found = layout.scan(root)
    except Exception:  # noqa: BLE001 - a layout (or a plugin's) that cannot read the folder loads nothing of it
        return 0, 0
    broken = sum(1 for files in found.values() if getattr(files, "problems", ()))
    return len(found) - broken, len(found)


def detect(root: Path) -> tuple[Layout | SpecLayout, int] | None:
    """The layout that can load the most cases of ``root`` and the number of cases its ``detect``
    counts (training and test cases alike), or None when no layout finds any. A layout's own ``detect`` only says whether it is worth asking
    (it may count files); the layouts it names are scored by what their scan can read (ties: more
    cases found, then the more specific, listed first; built-in layouts before plugins')."""
    root = Path(root)
    if not root.is_dir():
        raise BenchError(f"{root}: folder not found")
    best: tuple[Layout | SpecLayout, tuple[int, int], int] | None = None
    for layout in every_layout().values():
        count = layout.detect(root)
        if not count:
            continue
        score = readable(layout, root)
        if score[1] and (best is None or score > best[1]):
            best = (layout, score, count)
    return (best[0], best[2]) if best is not None else None
