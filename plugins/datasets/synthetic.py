"""Seeded BraTS-like phantoms written as real NIfTI files in the BraTS training layout.

Each case is a head-shaped ellipsoidal brain (white matter, grey matter rim, ventricles) with one
glioma: FLAIR/T2-bright edema, a T1ce-bright enhancing rim and a dark necrotic centre, labelled
2, 4 and 1 (brats-2017). Intensities are int16 with a smooth bias field and Rician-like noise, so
models trained on them face contrast, not a lookup table. The files are generated once per
parameter set into a cache folder and then read back through the BraTS loader.

Parameters (``--dataset-opt key=value``): ``cases`` (default 8), ``size`` (``X,Y,Z``, default
``64,64,48``), ``seed`` (default 0), ``spacing`` (mm, default 1), ``layout`` (``synthetic``, the
default ``HGG/Synth_000_1`` folder, or any real layout: ``brats17`` ... ``brats21``, ``brats23``,
``brats24-gli`` ... ``brats24-men-rt``, ``msd-brain``, ``rembrandt``), ``split`` (``training`` with labels, or ``validation``: that year's
validation ids and no label files), ``orientation`` (``lps`` like BraTS, ``ras`` like MSD; the
default is the layout's own) and ``difficulty``: ``easy`` (the default above: smooth ellipsoidal
compartments with strong contrast, which a per-voxel intensity rule already segments well) or
``hard`` (irregular borders, a satellite lesion in half of the cases, tumour contrast halved,
tissue texture, partial-volume blur and twice the noise: a voxel's intensity alone no longer
decides its label). Labels are written in the layout's label convention (MEN-RT: the tumour core
as GTV; only the modalities the layout has are written).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tumorbench.api import (
    BenchError,
    DatasetOptions,
    DatasetSpec,
    get_convention,
    hookimpl,
    remove_stale_temporaries,
    save_volume,
    temporary_prefix,
    umask_mode,
)

from .brats import GRADES, BratsScheme
from .common import MODALITIES, FolderDataset
from .synthetic_layout import LEGACY_LAYOUT

CACHE_ENV = "TUMORBENCH_CACHE"
DEFAULTS: Mapping[str, Any] = {
    "cases": 8,
    "size": (64, 64, 48),
    "seed": 0,
    "spacing": 1.0,
    "layout": "synthetic",
    "split": "training",
    "orientation": "",
    "difficulty": "easy",
}
DIFFICULTIES: tuple[str, ...] = ("easy", "hard")
LAYOUT_NAMES: tuple[str, ...] = (
    "synthetic", "brats17", "brats18", "brats19", "brats20", "brats21", "brats23", "brats24-gli", "brats24-ped",
    "brats24-met", "brats24-ssa", "brats24-men", "brats24-men-rt", "msd-brain", "rembrandt",
)
SPLITS: tuple[str, ...] = ("training", "validation")

# mean intensity of each tissue per modality: background, CSF, grey, white, edema, enhancing, necrosis
_TISSUES = ("bg", "csf", "gm", "wm", "edema", "enh", "nec")
_CONTRAST = {
    "flair": (0, 250, 520, 450, 900, 720, 380),
    "t1": (0, 200, 520, 680, 420, 560, 240),
    "t1ce": (0, 220, 560, 700, 450, 1250, 230),
    "t2": (0, 1100, 700, 520, 1050, 760, 1200),
}


def cache_root() -> Path:
    """``$TUMORBENCH_CACHE``, else ``$XDG_CACHE_HOME/tumorbench``, else ``~/.cache/tumorbench``."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tumorbench"


def parse_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Normalise user parameters (strings from the command line) to typed values."""
    out = dict(DEFAULTS)
    out.update({k: v for k, v in params.items() if k in DEFAULTS})
    size = out["size"]
    if isinstance(size, str):
        size = tuple(int(s) for s in size.replace("x", ",").split(","))
    out["size"] = tuple(int(s) for s in size)
    out["cases"] = int(out["cases"])
    out["seed"] = int(out["seed"])
    out["spacing"] = float(out["spacing"])
    out["layout"] = str(out["layout"])
    out["split"] = str(out["split"])
    out["difficulty"] = str(out["difficulty"]).lower()
    if out["difficulty"] not in DIFFICULTIES:
        raise BenchError(f"synthetic: difficulty must be easy or hard, got {out['difficulty']!r}")
    if out["layout"] not in LAYOUT_NAMES:
        raise BenchError(f"synthetic: layout must be one of {', '.join(LAYOUT_NAMES)}, got {out['layout']!r}")
    if out["split"] not in SPLITS:
        raise BenchError(f"synthetic: split must be training or validation, got {out['split']!r}")
    orientation = str(out["orientation"] or ("ras" if out["layout"] == "msd-brain" else "lps")).lower()
    if orientation not in ("lps", "ras"):
        raise BenchError(f"synthetic: orientation must be lps or ras, got {orientation!r}")
    out["orientation"] = orientation
    if len(out["size"]) != 3 or min(out["size"]) < 8:
        raise BenchError(f"synthetic: size must be three integers of at least 8, got {out['size']}")
    if out["cases"] < 1:
        raise BenchError(f"synthetic: cases must be at least 1, got {out['cases']}")
    return out


def _ellipsoid(
    grid: tuple[np.ndarray, ...], centre, radii, field: np.ndarray | None = None, roughness: float = 0.0
) -> np.ndarray:
    """An ellipsoid; with a smooth ``field`` in [-1, 1], its border pushed in and out by ``roughness``."""
    distance = sum(((g - c) / r) ** 2 for g, c, r in zip(grid, centre, radii, strict=True))
    return distance <= 1.0 if field is None else distance <= 1.0 + roughness * field


def _signed_field(rng: np.random.Generator, shape: tuple[int, ...], sigma: float) -> np.ndarray:
    """Gaussian-smoothed white noise scaled to [-1, 1]."""
    from scipy import ndimage

    field = ndimage.gaussian_filter(rng.standard_normal(shape), sigma=sigma)
    return field / (np.abs(field).max() + 1e-9)


def _smooth_noise(rng: np.random.Generator, shape: tuple[int, ...], scale: float) -> np.ndarray:
    """A bias field around 1 varying by at most ``scale``."""
    return 1.0 + scale * _signed_field(rng, shape, max(shape) / 6)


def make_phantom(
    size: tuple[int, int, int], rng: np.random.Generator, difficulty: str = "easy"
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """One phantom: modality arrays (int16) and the label map (uint8, brats-2017).

    ``easy`` draws exactly the random numbers it always did, so earlier phantoms are unchanged.
    """
    hard = difficulty == "hard"
    shape = tuple(size)
    grid = np.meshgrid(*[np.arange(s, dtype=np.float32) for s in shape], indexing="ij")
    centre = np.array(shape, dtype=np.float32) / 2 + rng.uniform(-1.5, 1.5, 3)
    radii = np.array(shape, dtype=np.float32) * np.array([0.40, 0.44, 0.42]) * rng.uniform(0.92, 1.0, 3)
    brain = _ellipsoid(grid, centre, radii)
    white = _ellipsoid(grid, centre, radii * 0.8)
    ventricles = _ellipsoid(grid, centre + [0, 0, radii[2] * 0.1], radii * np.array([0.12, 0.25, 0.15]))

    tissue = np.zeros(shape, dtype=np.uint8)
    tissue[brain] = 2  # grey matter rim
    tissue[white] = 3
    tissue[ventricles] = 1

    # tumour: placed in one hemisphere, inside the brain
    direction = rng.normal(size=3)
    direction /= np.linalg.norm(direction)
    t_centre = centre + direction * radii * rng.uniform(0.15, 0.35)
    r_core = np.array(shape, dtype=np.float32) * rng.uniform(0.07, 0.11) * rng.uniform(0.85, 1.15, 3)
    r_edema = r_core * rng.uniform(1.6, 2.1)
    lobe_shift = rng.normal(scale=1.5, size=3)
    edema_field = _signed_field(rng, shape, float(r_core.mean()) / 2) if hard else None
    core_field = _signed_field(rng, shape, float(r_core.mean()) / 3) if hard else None
    lobes = _ellipsoid(grid, t_centre + lobe_shift, r_edema, edema_field, 0.6)
    lobes |= _ellipsoid(grid, t_centre + direction * r_core, r_edema * 0.8, edema_field, 0.6)
    core = _ellipsoid(grid, t_centre, r_core, core_field, 0.5)
    necrosis_scale = rng.uniform(0.45, 0.6)
    necrosis = _ellipsoid(grid, t_centre, r_core * necrosis_scale, core_field, 0.5) & core
    if hard and rng.random() < 0.5:  # a satellite lesion elsewhere in the brain
        s_centre = centre - direction * radii * rng.uniform(0.2, 0.4)
        lobes |= _ellipsoid(grid, s_centre, r_core * 0.9, edema_field, 0.6)
        core |= _ellipsoid(grid, s_centre, r_core * 0.4, core_field, 0.5)
    edema = lobes & brain
    core &= brain
    necrosis &= core
    label = np.zeros(shape, dtype=np.uint8)
    label[edema] = 2
    label[core] = 4
    label[necrosis] = 1

    tissue[edema] = 4
    tissue[core] = 5
    tissue[necrosis] = 6

    texture = _signed_field(rng, shape, 1.5) if hard else None
    if hard:
        from scipy.ndimage import gaussian_filter
    images: dict[str, np.ndarray] = {}
    for modality in MODALITIES:
        means = np.asarray(_CONTRAST[modality], dtype=np.float32)
        if hard:  # tumour compartments half as far from white matter
            means = means.copy()
            means[4:] = means[3] + 0.5 * (means[4:] - means[3])
        image = means[tissue] * rng.uniform(0.9, 1.1)
        image *= _smooth_noise(rng, shape, 0.12)
        if hard:
            image *= 1.0 + 0.12 * texture
            image = gaussian_filter(image, sigma=0.8)  # partial volume
        noise = rng.normal(scale=(0.08 if hard else 0.04) * means.max(), size=shape)
        image = np.where(brain, np.abs(image + noise), 0.0)
        images[modality] = np.clip(np.rint(image), 0, 32767).astype(np.int16)
    return images, label


def _affine(spacing: float, shape: tuple[int, ...], orientation: str = "lps") -> np.ndarray:
    """LPS-style like BraTS (x and y flipped) or RAS like MSD; both put voxel (0,0,0) in a corner."""
    if orientation == "ras":
        affine = np.diag([spacing, spacing, spacing, 1.0])
        affine[:3, 3] = [-(shape[0] - 1) * spacing / 2, -(shape[1] - 1) * spacing / 2, 0.0]
        return affine
    affine = np.diag([-spacing, -spacing, spacing, 1.0])
    affine[:3, 3] = [0.0, (shape[1] - 1) * spacing, 0.0]
    return affine


def case_id(index: int, layout: str = "synthetic", split: str = "training") -> str:
    """The id case ``index`` gets in ``layout`` (each year's own id style)."""
    validation = split == "validation"
    cbica = "A" + chr(65 + (index // 26) % 26) + chr(65 + index % 26)
    ids = {
        "synthetic": f"Synth_{index:03d}_1",
        "brats17": f"Brats17_CBICA_{cbica}_1" if validation else f"Brats17_TCIA_{index:03d}_1",
        "brats18": f"Brats18_CBICA_{cbica}_1" if validation else f"Brats18_TCIA01_{index:03d}_1",
        "brats19": f"BraTS19_CBICA_{cbica}_1" if validation else f"BraTS19_TCIA01_{index:03d}_1",
        "brats20": f"BraTS20_{'Validation' if validation else 'Training'}_{index + 1:03d}",
        "brats21": f"BraTS2021_{index:05d}",
        "brats23": f"BraTS-GLI-{index:05d}-000",
        "brats24-gli": f"BraTS-GLI-{2000 + index:05d}-000",
        "brats24-ped": f"BraTS-PED-{index + 1:05d}-000",
        "brats24-met": f"BraTS-MET-{index + 1:05d}-000",
        "brats24-ssa": f"BraTS-SSA-{index + 2:05d}-000",
        "brats24-men": f"BraTS-MEN-{index + 4:05d}-000",
        "brats24-men-rt": f"BraTS-MEN-RT-{index + 1:04d}-1",
        "msd-brain": f"BRATS_{index + 1:03d}",
        "rembrandt": f"HF{1000 + index:04d}",
    }
    return ids[layout]


def _convention_of(layout: str) -> str:
    if layout.startswith("brats24-"):
        return _bratslike_scheme(layout).convention
    return {"brats23": "brats-2023", "msd-brain": "msd"}.get(layout, "brats-2017")


def _bratslike_scheme(layout: str) -> BratsScheme:
    if layout == "synthetic":
        return LEGACY_LAYOUT.scheme
    if layout == "brats23":
        from .brats23 import SCHEME

        return SCHEME
    if layout.startswith("brats24-"):
        from .brats24 import LAYOUTS

        return next(lay.scheme for lay in LAYOUTS if lay.name == layout)
    from .brats import layout as brats_layout

    return brats_layout(layout).scheme


def _write_case(
    staging: Path, p: Mapping[str, Any], index: int, images: Mapping[str, np.ndarray], label: np.ndarray | None,
    affine: np.ndarray, index_entries: dict[str, list],
) -> None:
    layout, split = p["layout"], p["split"]
    cid = case_id(index, layout, split)
    if layout == "msd-brain":
        from .msd import MSD_MODALITY_NAMES

        order = ["flair", "t1", "t1ce", "t2"]  # FLAIR, T1w, t1gd, T2w as MSD stores them
        assert len(order) == len(MSD_MODALITY_NAMES)
        stacked = np.stack([images[m].astype(np.float32) for m in order], axis=-1)
        sub = "imagesTs" if label is None else "imagesTr"
        save_volume(staging / sub / f"{cid}.nii.gz", stacked, affine)
        if label is None:
            index_entries["test"].append(f"./imagesTs/{cid}.nii.gz")
        else:
            save_volume(staging / "labelsTr" / f"{cid}.nii.gz", label, affine)
            index_entries["training"].append({"image": f"./imagesTr/{cid}.nii.gz", "label": f"./labelsTr/{cid}.nii.gz"})
        return
    if layout == "rembrandt":
        folder = staging / cid
        for modality, data in images.items():
            save_volume(folder / f"{modality}.nii.gz", data, affine)
        if label is not None:
            save_volume(folder / "seg.nii.gz", label, affine)
        return
    scheme = _bratslike_scheme(layout)
    graded = layout in ("synthetic", "brats17", "brats18", "brats19") and split == "training"
    grade = "HGG" if layout == "synthetic" or index % 4 != 3 else GRADES[1]
    folder = (staging / grade / cid) if graded else staging / cid
    for modality, data in images.items():
        if modality in scheme.suffixes:  # MEN-RT has T1c only
            save_volume(folder / f"{cid}{scheme.separator}{scheme.suffixes[modality]}.nii.gz", data, affine)
    if label is not None:
        save_volume(folder / f"{cid}{scheme.separator}{scheme.label_suffix}.nii.gz", label, affine)


def _marker(p: Mapping[str, Any]) -> dict[str, Any]:
    return {**p, "size": list(p["size"])}


def generate(root: Path, params: Mapping[str, Any]) -> Path:
    """Write every phantom case to ``root`` in the requested layout (atomically, as a whole)."""
    p = parse_params(params)
    root = Path(root)
    marker = root / "synthetic.json"
    if marker.is_file() and json.loads(marker.read_text(encoding="utf-8")) == _marker(p):
        return root
    root.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(root.parent)  # what a killed generation left
    staging = Path(tempfile.mkdtemp(dir=root.parent, prefix=temporary_prefix(root.name)))
    source = get_convention("brats-2017")
    target = get_convention(_convention_of(p["layout"]))
    try:
        affine = _affine(p["spacing"], p["size"], p["orientation"])
        entries: dict[str, list] = {"training": [], "test": []}
        for index in range(p["cases"]):
            rng = np.random.default_rng([p["seed"], index])
            images, label = make_phantom(p["size"], rng, p["difficulty"])
            if target is not source:
                regions = source.to_regions(label)
                if "GTV" in target.regions:  # MEN-RT: the tumour core stands for the GTV
                    regions = {"GTV": regions["TC"]}
                label = target.from_regions(regions)
            _write_case(staging, p, index, images, label if p["split"] == "training" else None, affine, entries)
        if p["layout"] == "msd-brain":
            _write_msd_index(staging, entries)
        (staging / "synthetic.json").write_text(json.dumps(_marker(p)), encoding="utf-8")
        os.chmod(staging, umask_mode(0o777))  # mkdtemp makes it 0700; a folder made by mkdir would not be
        if root.exists():
            shutil.rmtree(root)
        os.replace(staging, root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return root


def _write_msd_index(staging: Path, entries: Mapping[str, list]) -> None:
    from .msd import MSD_MODALITY_NAMES

    index = {
        "name": "BRATS",
        "description": "tumorbench synthetic phantoms in the MSD Task01 layout",
        "tensorImageSize": "4D",
        "modality": dict(MSD_MODALITY_NAMES),
        "labels": {"0": "background", "1": "edema", "2": "non-enhancing tumor", "3": "enhancing tumour"},
        "numTraining": len(entries["training"]),
        "numTest": len(entries["test"]),
        "training": list(entries["training"]),
        "test": list(entries["test"]),
    }
    (staging / "dataset.json").write_text(json.dumps(index, indent=1), encoding="utf-8")


def params_key(params: Mapping[str, Any]) -> str:
    blob = json.dumps(_marker(parse_params(params)), sort_keys=True).encode()
    return hashlib.sha1(blob).hexdigest()[:12]


@dataclass(frozen=True)
class SyntheticOptions:
    """``--dataset-opt`` keys of the phantoms (their defaults: :data:`DEFAULTS`)."""

    cases: int = 8
    size: tuple[int, int, int] = (64, 64, 48)
    seed: int = 0
    spacing: float = 1.0
    layout: str = "synthetic"
    split: str = "training"
    orientation: str = ""
    difficulty: str = "easy"


def open_synthetic(options: DatasetOptions) -> FolderDataset:
    """Generate (once, cached) and open the phantoms in the requested layout."""
    from .layouts import get_layout

    p = parse_params(options.params)
    root = Path(options.root) if options.root else cache_root() / "synthetic" / params_key(options.params)
    generate(root, options.params)
    layout = get_layout(p["layout"])
    if p["layout"] == "msd-brain":
        from .msd import MsdLayout

        layout = MsdLayout("train" if p["split"] == "training" else "test")
    return FolderDataset(layout, root, name="synthetic", convention=options.label_convention)


@hookimpl
def tumorbench_datasets() -> list[DatasetSpec]:
    return [
        DatasetSpec(
            name="synthetic",
            summary="seeded BraTS-like phantoms written as NIfTI in any layout (default HGG/Synth_*, labels 1,2,4)",
            label_convention="brats-2017",
            open=open_synthetic,
            modalities=("flair", "t1", "t1ce", "t2"),
            options=SyntheticOptions,
            needs_root=False,
        )
    ]
