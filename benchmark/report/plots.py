"""Pictures for the leaderboard pages, as PNG bytes of a fixed pixel size (matplotlib, Agg).

Every function takes plain arrays and labels and returns ``(png_bytes, (width, height))``;
matplotlib is imported on first use, so importing this module costs nothing. Figures are
built with :class:`matplotlib.figure.Figure` (no pyplot, no global state) and saved without
the software stamp, so the same input gives the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import numpy as np

DPI = 100
# correct, missed and false-positive voxels (the colours of Shen & Anderson's Fig. 6 and 9)
OVERLAY_COLOURS = {"correct": (0.12, 0.47, 0.95), "missed": (0.92, 0.16, 0.16), "false positive": (0.20, 0.80, 0.25)}


def _figure(width: int, height: int):
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as exc:
        from tumorbench.errors import BenchError

        raise BenchError("the leaderboard's pictures need matplotlib: pip install 'tumorbench[plots]'") from exc

    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _png(fig) -> tuple[bytes, tuple[int, int]]:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    width, height = (int(round(v)) for v in fig.get_size_inches() * DPI)
    return buffer.getvalue(), (width, height)


def _short(label: str, n: int = 28) -> str:
    """``label`` cut in the middle to ``n`` characters, keeping both ends (run suffixes differ)."""
    if len(label) <= n:
        return label
    head = (n - 1) // 2
    return label[:head] + "…" + label[len(label) - (n - 1 - head):]


def box_strip(
    values: Mapping[str, Mapping[str, np.ndarray]],
    *, metric: str, higher_is_better: bool, seed: int = 0,
) -> tuple[bytes, tuple[int, int]]:
    """One panel per region: a box per model with every case as a jittered point.

    ``values[region][model]`` is that model's per-case values (failed cases included).
    """
    regions = list(values)
    models = list(dict.fromkeys(m for r in regions for m in values[r]))
    height = 460
    width = min(2400, max(480, 120 + len(regions) * (60 + 70 * len(models))))
    fig = _figure(width, height)
    rng = np.random.default_rng(seed)
    axes = fig.subplots(1, max(1, len(regions)), squeeze=False)[0]
    for ax, region in zip(axes, regions):
        data = [np.asarray(values[region].get(m, []), dtype=float) for m in models]
        data = [d[~np.isnan(d)] for d in data]
        ax.boxplot(data, showfliers=False, widths=0.6)
        for i, d in enumerate(data, start=1):
            ax.scatter(i + rng.uniform(-0.18, 0.18, d.size), d, s=9, alpha=0.6, color="tab:blue", linewidths=0)
        ax.set_title(f"{metric} {region}", fontsize=10)
        ax.set_xticks(range(1, len(models) + 1), [_short(m, 24) for m in models], rotation=35, ha="right", fontsize=7)
        ax.grid(axis="y", alpha=0.3)
    fig.suptitle(f"{metric} per case ({'higher' if higher_is_better else 'lower'} is better)", fontsize=11)
    fig.subplots_adjust(bottom=0.32, top=0.86, left=90 / width, right=1 - 15 / width, wspace=0.3)
    return _png(fig)


def histograms(values: Mapping[str, np.ndarray], *, metric: str, low: float = 0.0, high: float = 1.0, bins: int = 20):
    """One histogram per model of its per-case values (Dice: 20 bins from 0 to 1)."""
    models = list(values)
    columns = min(4, max(1, len(models)))
    rows = max(1, -(-len(models) // columns))
    width, height = 260 * columns + 40, 200 * rows + 80
    fig = _figure(width, height)
    axes = fig.subplots(rows, columns, squeeze=False)
    edges = np.linspace(low, high, bins + 1)
    for index, ax in enumerate(axes.ravel()):
        if index >= len(models):
            ax.set_axis_off()
            continue
        d = np.asarray(values[models[index]], dtype=float)
        d = np.clip(d[~np.isnan(d)], low, high)
        ax.hist(d, bins=edges, color="tab:blue", alpha=0.8)
        mean = f"mean {d.mean():.3f}" if d.size else "no values"
        ax.set_title(f"{_short(models[index])}\n{mean}, n={d.size}", fontsize=8)
        ax.tick_params(labelsize=7)
    fig.suptitle(f"{metric}: cases per bin", fontsize=10, y=1 - 6 / height, va="top")
    fig.subplots_adjust(hspace=0.75, wspace=0.3, top=1 - 65 / height, bottom=25 / height)
    return _png(fig)


def heatmap(matrix: np.ndarray, cases: Sequence[str], models: Sequence[str], *, title: str, higher_is_better: bool):
    """Cases (rows) x models (columns) coloured by value; better is always the bright end."""
    matrix = np.asarray(matrix, dtype=float)
    width = min(2400, max(420, 220 + 60 * len(models)))
    height = min(4000, max(320, 200 + 14 * len(cases)))
    fig = _figure(width, height)
    bottom, top = 95 / height, 30 / height
    ax = fig.add_axes((0.3, bottom, 0.5, 1 - bottom - top))
    image = ax.imshow(matrix, aspect="auto", cmap="viridis" if higher_is_better else "viridis_r", interpolation="nearest")
    ax.set_xticks(range(len(models)), [_short(m, 18) for m in models], rotation=40, ha="right", fontsize=7)
    step = max(1, len(cases) // 60)
    ax.set_yticks(range(0, len(cases), step), [_short(c, 24) for c in cases[::step]], fontsize=6)
    ax.set_title(title, fontsize=9)
    fig.colorbar(image, ax=ax, fraction=0.08)
    return _png(fig)


def rank_stability(frequencies: np.ndarray, models: Sequence[str], *, samples: int):
    """Bubbles: how often each model took each rank over the bootstrap samples."""
    frequencies = np.asarray(frequencies, dtype=float)
    m = len(models)
    width, height = max(420, 260 + 45 * m), max(260, 120 + 32 * m)
    fig = _figure(width, height)
    ax = fig.add_axes((0.38, 0.18, 0.58, 0.7))
    ys, xs = np.nonzero(frequencies > 0)
    ax.scatter(xs + 1, ys, s=600 * frequencies[ys, xs], color="tab:blue", alpha=0.7)
    for y, x in zip(ys, xs):
        if frequencies[y, x] >= 0.1:
            ax.annotate(f"{frequencies[y, x]:.0%}", (x + 1, y), fontsize=6, ha="center", va="center")
    ax.set_yticks(range(m), [_short(s) for s in models], fontsize=7)
    ax.set_xticks(range(1, m + 1))
    ax.set_xlim(0.5, m + 0.5)
    ax.set_ylim(m - 0.5, -0.5)
    ax.set_xlabel("rank")
    fig.suptitle(f"rank over {samples} bootstrap samples of the cases", fontsize=9)
    return _png(fig)


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


def overlays(panels: Sequence[Mapping[str, object]], *, title: str):
    """A column per panel: the overlay, and below it the uncertainty map when any panel has one.

    Each panel: ``image``, ``truth``, ``predicted`` (2-D slices), ``label`` (text) and optionally
    ``uncertainty`` (a 2-D slice, 0..100).
    """
    rows = 2 if any(p.get("uncertainty") is not None for p in panels) else 1
    columns = max(1, len(panels))
    width, height = 260 * columns + 40, 260 * rows + 80
    fig = _figure(width, height)
    axes = fig.subplots(rows, columns, squeeze=False)
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
                below.imshow(np.asarray(unc, dtype=float).T, origin="lower", cmap="magma", vmin=0, vmax=100)
                below.set_title("uncertainty (0-100)", fontsize=8)
            below.set_axis_off()
    handles = [_patch(colour, name) for name, colour in OVERLAY_COLOURS.items()]
    fig.suptitle(title, fontsize=9, y=1 - 4 / height, va="top")
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=8, frameon=False, bbox_to_anchor=(0.5, 2 / height))
    fig.subplots_adjust(top=1 - 52 / height, bottom=30 / height, left=0.02, right=0.98, hspace=0.25, wspace=0.08)
    return _png(fig)


def _patch(colour, name):
    from matplotlib.patches import Patch

    return Patch(color=colour, label=name)
