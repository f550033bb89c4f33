"""Seeded BraTS-like phantoms written as real NIfTI files in the BraTS training layout.

Each case is a head-shaped ellipsoidal brain (white matter, grey matter rim, ventricles) with one
glioma: FLAIR/T2-bright edema, a T1ce-bright enhancing rim and a dark necrotic centre, labelled
2, 4 and 1 (brats-2017). Intensities are int16 with a smooth bias field and Rician-like noise, so
models trained on them face contrast, not a lookup table. The files are generated once per
parameter set into a cache folder and then read back through the BraTS loader.

Parameters (``--dataset-opt key=value``): ``cases`` (default 8), ``size`` (``X,Y,Z``, default
``64,64,48``), ``seed`` (default 0), ``spacing`` (mm, default 1).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from tumorbench import hookimpl
from tumorbench.labels import get_convention
from tumorbench.nifti import save_volume
from tumorbench.types import DatasetOptions, DatasetSpec

from .brats import MODALITIES, BratsFolder

CACHE_ENV = "TUMORBENCH_CACHE"
DEFAULTS: Mapping[str, Any] = {"cases": 8, "size": (64, 64, 48), "seed": 0, "spacing": 1.0}

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
    return out


def _ellipsoid(grid: tuple[np.ndarray, ...], centre, radii) -> np.ndarray:
    return sum(((g - c) / r) ** 2 for g, c, r in zip(grid, centre, radii)) <= 1.0


def _smooth_noise(rng: np.random.Generator, shape: tuple[int, ...], scale: float) -> np.ndarray:
    from scipy import ndimage

    field = ndimage.gaussian_filter(rng.standard_normal(shape), sigma=max(shape) / 6)
    field /= np.abs(field).max() + 1e-9
    return 1.0 + scale * field


def make_phantom(size: tuple[int, int, int], rng: np.random.Generator) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """One phantom: modality arrays (int16) and the label map (uint8, brats-2017)."""
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
    lobes = _ellipsoid(grid, t_centre + rng.normal(scale=1.5, size=3), r_edema)
    lobes |= _ellipsoid(grid, t_centre + direction * r_core, r_edema * 0.8)
    edema = lobes & brain
    core = _ellipsoid(grid, t_centre, r_core) & brain
    necrosis = _ellipsoid(grid, t_centre, r_core * rng.uniform(0.45, 0.6)) & core
    label = np.zeros(shape, dtype=np.uint8)
    label[edema] = 2
    label[core] = 4
    label[necrosis] = 1

    tissue[edema] = 4
    tissue[core] = 5
    tissue[necrosis] = 6

    images: dict[str, np.ndarray] = {}
    for modality in MODALITIES:
        means = np.asarray(_CONTRAST[modality], dtype=np.float32)
        image = means[tissue] * rng.uniform(0.9, 1.1)
        image *= _smooth_noise(rng, shape, 0.12)
        noise = rng.normal(scale=0.04 * means.max(), size=shape)
        image = np.where(brain, np.abs(image + noise), 0.0)
        images[modality] = np.clip(np.rint(image), 0, 32767).astype(np.int16)
    return images, label


def _affine(spacing: float, shape: tuple[int, ...]) -> np.ndarray:
    """An LPS-style affine like BraTS's: x and y flipped."""
    affine = np.diag([-spacing, -spacing, spacing, 1.0])
    affine[:3, 3] = [0.0, (shape[1] - 1) * spacing, 0.0]
    return affine


def case_id(index: int) -> str:
    return f"Synth_{index:03d}_1"


def generate(root: Path, params: Mapping[str, Any]) -> Path:
    """Write every phantom case to ``root/HGG/<id>/`` (atomically, as a whole); returns ``root``."""
    p = parse_params(params)
    root = Path(root)
    marker = root / "synthetic.json"
    if marker.is_file() and json.loads(marker.read_text()) == {**p, "size": list(p["size"])}:
        return root
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=root.parent, prefix=f".{root.name}."))
    try:
        affine = _affine(p["spacing"], p["size"])
        for index in range(p["cases"]):
            rng = np.random.default_rng([p["seed"], index])
            images, label = make_phantom(p["size"], rng)
            folder = staging / "HGG" / case_id(index)
            for modality, data in images.items():
                save_volume(folder / f"{case_id(index)}_{modality}.nii.gz", data, affine)
            save_volume(folder / f"{case_id(index)}_seg.nii.gz", label, affine)
        (staging / "synthetic.json").write_text(json.dumps({**p, "size": list(p["size"])}))
        if root.exists():
            shutil.rmtree(root)
        os.replace(staging, root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return root


def params_key(params: Mapping[str, Any]) -> str:
    p = parse_params(params)
    blob = json.dumps({**p, "size": list(p["size"])}, sort_keys=True).encode()
    return hashlib.sha1(blob).hexdigest()[:12]


def open_synthetic(options: DatasetOptions) -> BratsFolder:
    root = Path(options.root) if options.root else cache_root() / "synthetic" / params_key(options.params)
    generate(root, options.params)
    return BratsFolder(name="synthetic", root=root, convention=get_convention("brats-2017"))


@hookimpl
def tumorbench_datasets() -> list[DatasetSpec]:
    return [
        DatasetSpec(
            name="synthetic",
            summary="seeded BraTS-like phantoms (NIfTI, BraTS layout, labels 1,2,4); the default",
            label_convention="brats-2017",
            open=open_synthetic,
            needs_root=False,
        )
    ]
