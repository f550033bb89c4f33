"""Pictures for the leaderboard pages, as PNG and SVG bytes of a fixed size (matplotlib, Agg).

Every function takes plain arrays and labels and returns a :class:`Picture`; matplotlib is
imported on first use, so importing this module costs nothing. Figures are built with
:class:`matplotlib.figure.Figure` (no pyplot, no global state), laid out by matplotlib's
constrained layout (so that full model names fit), and saved without the software stamp or a
date, with a fixed SVG id salt: the same input gives the same bytes.

As figures a paper can use: every axis says what it shows and in which unit (distances in the
run's units, mm or voxel), counts are integers, models are shown in the order given (the page
passes its rank order) under their full names, a handful of cases is shown as points (no box
drawn from two values), and a bounded metric's axis is never magnified into a spread it does not
have (0.999 to 1.000 is shown on at least a fifth of the 0-1 range).
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

DPI = 100
# correct, missed and false-positive voxels (the colours of Shen & Anderson's Fig. 6 and 9)
OVERLAY_COLOURS = {"correct": (0.12, 0.47, 0.95), "missed": (0.92, 0.16, 0.16), "false positive": (0.20, 0.80, 0.25)}
STRIP_BELOW = 5
"""Models with fewer cases than this are drawn as points only: a box of 2-4 values says nothing."""
MIN_SPAN = 0.2
"""The least span of a 0-1 metric's axis (a fifth of its range)."""


@dataclass(frozen=True)
class Picture:
    """One figure as PNG and SVG bytes, and its pixel size."""

    png: bytes
    svg: bytes
    size: tuple[int, int]


def _figure(width: int, height: int):
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as exc:
        from tumorbench.errors import BenchError

        raise BenchError("the leaderboard's pictures need matplotlib: pip install 'tumorbench[plots]'") from exc

    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _render(fig) -> Picture:
    import matplotlib
    from matplotlib.text import Text

    for text in fig.findobj(Text):  # a name holding "$" is text, not mathtext ("a$b$" would lose its "$")
        text.set_parse_math(False)
    png, svg = io.BytesIO(), io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "tumorbench", "svg.fonttype": "none"}):  # text stays text: editable, searchable
        fig.savefig(png, format="png", dpi=DPI, metadata={"Software": None})
        fig.savefig(svg, format="svg", dpi=DPI, metadata={"Date": None, "Creator": None})
    width, height = (int(round(v)) for v in fig.get_size_inches() * DPI)
    return Picture(png.getvalue(), svg.getvalue(), (width, height))


def axis_label(metric: str, unit: str, units: str = "mm") -> str:
    """``hd95 (mm)`` for a distance in the run's units; the metric's name for a ratio."""
    return f"{metric} ({units})" if unit == "distance" else metric


def _wrap(label: str, width: int = 22) -> str:
    """A long name on several lines, never cut."""
    return "\n".join(textwrap.wrap(label, width, break_on_hyphens=True, break_long_words=True)) or label


def value_limits(values: np.ndarray, unit: str) -> tuple[float, float] | None:
    """Axis limits that show the values as they are: a 0-1 ratio on at least :data:`MIN_SPAN` of
    its range, a distance from 0; None: matplotlib's own."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return None
    lo, hi = float(values.min()), float(values.max())
    if unit == "ratio" and lo >= 0.0 and hi <= 1.0:
        bottom = max(0.0, min(lo, hi - MIN_SPAN))
        top = min(1.0, max(hi, bottom + MIN_SPAN))
        pad = 0.03 * (top - bottom)
        return bottom - pad, top + pad
    if unit == "distance" and lo >= 0.0:
        top = max(hi, 1.0)
        return -0.03 * top, top * 1.05
    return None


def box_strip(
    values: Mapping[str, Mapping[str, np.ndarray]],
    *, metric: str, higher_is_better: bool, unit: str = "ratio", units: str = "mm", seed: int = 0,
) -> Picture:
    """One panel per region: every case as a point per model (in the order given), with a box
    where a model has :data:`STRIP_BELOW` cases or more, and its median as a bar.

    ``values[region][model]`` is that model's per-case values (failed cases included).
    """
    regions = list(values)
    models = list(dict.fromkeys(m for r in regions for m in values[r]))
    slot = 100  # pixels per model: its name wrapped to fit, never cut
    width = min(3000, max(520, 100 + len(regions) * (60 + slot * len(models))))
    slot = (width - 100) / max(1, len(regions)) / max(1, len(models)) - 8
    fig = _figure(width, 500)
    rng = np.random.default_rng(seed)
    axes = fig.subplots(1, max(1, len(regions)), squeeze=False, sharey=True)[0]
    everything = np.concatenate([np.asarray(values[r].get(m, []), dtype=float) for r in regions for m in models] or [np.zeros(0)])
    limits = value_limits(everything, unit)
    for index, (ax, region) in enumerate(zip(axes, regions)):
        data = [np.asarray(values[region].get(m, []), dtype=float) for m in models]
        data = [d[~np.isnan(d)] for d in data]
        boxed = [i for i, d in enumerate(data, start=1) if d.size >= STRIP_BELOW]
        if boxed:
            ax.boxplot([data[i - 1] for i in boxed], positions=boxed, showfliers=False, widths=0.6,
                       medianprops={"color": "black"})
        for i, d in enumerate(data, start=1):
            ax.scatter(i + rng.uniform(-0.15, 0.15, d.size), d, s=14, alpha=0.7, color="tab:blue", linewidths=0, zorder=3)
            if d.size and i not in boxed:
                ax.hlines(float(np.median(d)), i - 0.25, i + 0.25, color="black", linewidth=1.2, zorder=4)
        ax.set_title(region, fontsize=10)
        ax.set_xticks(range(1, len(models) + 1), [_wrap(m, max(8, int(slot // 6))) for m in models], fontsize=8)
        ax.set_xlim(0.4, len(models) + 0.6)
        if limits is not None:
            ax.set_ylim(*limits)
        if index == 0:
            ax.set_ylabel(axis_label(metric, unit, units))
        ax.grid(axis="y", alpha=0.3)
    direction = "higher" if higher_is_better else "lower"
    shown = "points: cases; boxes: quartiles where a model has 5 cases or more; bar: median"
    fig.suptitle(f"{axis_label(metric, unit, units)} per case, models in rank order ({direction} is better)\n{shown}",
                 fontsize=10)
    return _render(fig)


def histograms(values: Mapping[str, np.ndarray], *, metric: str, low: float = 0.0, high: float = 1.0, bins: int = 20) -> Picture:
    """One histogram per model (in the order given) of its per-case values (Dice: 20 bins of 0.05)."""
    from matplotlib.ticker import MaxNLocator

    models = list(values)
    columns = min(4, max(1, len(models)))
    rows = max(1, -(-len(models) // columns))
    fig = _figure(280 * columns + 40, 230 * rows + 70)
    axes = fig.subplots(rows, columns, squeeze=False, sharex=True)
    edges = np.linspace(low, high, bins + 1)
    for index, ax in enumerate(axes.ravel()):
        if index >= len(models):
            ax.set_axis_off()
            continue
        d = np.asarray(values[models[index]], dtype=float)
        d = np.clip(d[~np.isnan(d)], low, high)
        ax.hist(d, bins=edges, color="tab:blue", alpha=0.85)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
        ax.set_ylim(0, max(1, int(np.histogram(d, edges)[0].max()) if d.size else 1) + 0.5)
        mean = f"mean {d.mean():.3f}" if d.size else "no values"
        ax.set_title(f"{_wrap(models[index], 34)}\n{mean}, n={d.size}", fontsize=8)
        ax.tick_params(labelsize=7)
        if index % columns == 0:
            ax.set_ylabel("cases", fontsize=8)
        if index // columns == rows - 1 or index + columns >= len(models):
            ax.set_xlabel(metric, fontsize=8)
            ax.tick_params(labelbottom=True)
    fig.suptitle(f"{metric}: cases per bin of {(high - low) / bins:g}, models in rank order", fontsize=10)
    return _render(fig)


def heatmap(matrix: np.ndarray, cases: Sequence[str], models: Sequence[str], *, title: str, higher_is_better: bool,
            colour_label: str = "") -> Picture:
    """Cases (rows) x models (columns, in the order given) coloured by value; better is always
    the bright end."""
    matrix = np.asarray(matrix, dtype=float)
    width = min(2400, max(560, 300 + 80 * len(models)))
    height = min(4000, max(360, 220 + 14 * len(cases)))
    fig = _figure(width, height)
    ax = fig.add_subplot()
    image = ax.imshow(matrix, aspect="auto", cmap="viridis" if higher_is_better else "viridis_r", interpolation="nearest")
    ax.set_xticks(range(len(models)), [_wrap(m) for m in models], rotation=30, ha="right", rotation_mode="anchor", fontsize=8)
    step = max(1, len(cases) // 60)
    ax.set_yticks(range(0, len(cases), step), list(cases[::step]), fontsize=6)
    ax.set_xlabel("model (rank order)")
    ax.set_ylabel("case")
    ax.set_title(title, fontsize=10)
    bar = fig.colorbar(image, ax=ax, fraction=0.08)
    bar.set_label(colour_label or title)
    return _render(fig)


def rank_stability(frequencies: np.ndarray, models: Sequence[str], *, samples: int) -> Picture:
    """Bubbles: how often each model (rows, in the order given) took each rank over the bootstrap samples."""
    frequencies = np.asarray(frequencies, dtype=float)
    m = len(models)
    fig = _figure(max(560, 340 + 48 * m), max(320, 150 + 34 * m))
    ax = fig.add_subplot()
    ys, xs = np.nonzero(frequencies > 0)
    ax.scatter(xs + 1, ys, s=600 * frequencies[ys, xs], color="tab:blue", alpha=0.7)
    for y, x in zip(ys, xs):
        if frequencies[y, x] >= 0.1:
            ax.annotate(f"{frequencies[y, x]:.0%}", (x + 1, y), fontsize=7, ha="center", va="center")
    ax.set_yticks(range(m), [_wrap(s, 30) for s in models], fontsize=8)
    ax.set_xticks(range(1, m + 1))
    ax.set_xlim(0.5, m + 0.5)
    ax.set_ylim(m - 0.5, -0.5)
    ax.set_xlabel("rank (1 = best)")
    ax.set_ylabel("model (rank order)")
    fig.suptitle(f"rank over {samples} bootstrap samples of the cases\n(the share of samples in which a model takes a rank)",
                 fontsize=9)
    return _render(fig)


def overlay_rgb(image: np.ndarray, truth: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """An RGB slice: grey image, correct / missed / false-positive voxels in three colours."""
    image = np.asarray(image, dtype=float)
    finite = image[np.isfinite(image)]
    top = np.percentile(finite, 99.5) if finite.size else 1.0
    grey = np.clip(image / (top or 1.0), 0, 1)
    rgb = np.repeat(grey[..., None], 3, axis=-1)
    truth, predicted = np.asarray(truth, bool), np.asarray(predicted, bool)
    for mask, name in ((truth & predicted, "correct"), (truth & ~predicted, "missed"), (~truth & predicted, "false positive")):
        rgb[mask] = 0.35 * rgb[mask] + 0.65 * np.asarray(OVERLAY_COLOURS[name])
    return rgb


def overlays(panels: Sequence[Mapping[str, object]], *, title: str) -> Picture:
    """A column per panel: the overlay, and below it the uncertainty map (with its colour bar) when
    any panel has one.

    Each panel: ``image``, ``truth``, ``predicted`` (2-D slices), ``label`` (text) and optionally
    ``uncertainty`` (a 2-D slice, 0..100).
    """
    rows = 2 if any(p.get("uncertainty") is not None for p in panels) else 1
    columns = max(1, len(panels))
    fig = _figure(260 * columns + 120, 270 * rows + 90)
    axes = fig.subplots(rows, columns, squeeze=False)
    shown = None
    for column, panel in enumerate(panels):
        rgb = overlay_rgb(panel["image"], panel["truth"], panel["predicted"])  # type: ignore[arg-type]
        top = axes[0, column]
        top.imshow(np.transpose(rgb, (1, 0, 2)), origin="lower", interpolation="nearest")
        top.set_title(str(panel["label"]), fontsize=8)
        top.set_axis_off()
        if rows == 2:
            below = axes[1, column]
            unc = panel.get("uncertainty")
            if unc is None:
                below.text(0.5, 0.5, "no uncertainty map", ha="center", va="center", fontsize=8)
            else:
                shown = below.imshow(np.asarray(unc, dtype=float).T, origin="lower", cmap="magma", vmin=0, vmax=100)
                below.set_title("uncertainty", fontsize=8)
            below.set_axis_off()
    if shown is not None:
        bar = fig.colorbar(shown, ax=list(axes[1, :]), fraction=0.05, shrink=0.9)
        bar.set_label("uncertainty (0 = certain, 100 = undecided)", fontsize=8)
    handles = [_patch(colour, name) for name, colour in OVERLAY_COLOURS.items()]
    fig.suptitle(title, fontsize=9)
    fig.legend(handles=handles, loc="outside lower center", ncol=3, fontsize=8, frameon=False)
    return _render(fig)


def _patch(colour, name):
    from matplotlib.patches import Patch

    return Patch(color=colour, label=name)
