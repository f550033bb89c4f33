"""Prediction through nnU-Net v2's own predictor (``nnunetv2.inference.predict_from_raw_data``).

Each case goes through ``nnUNetPredictor.predict_single_npy_array`` (nnU-Net's preprocessing,
sliding window with Gaussian weighting and mirroring, resampling back, its label handling), which
starts no process pool, so cases may run inside Dask workers. nnU-Net works in SimpleITK's array
order (z, y, x) with the spacing reversed; tumorbench's volumes are nibabel's (x, y, z), so the
channels are transposed in and the outputs transposed back (and, for a model trained with
``NibabelIOWithReorient``, reoriented to RAS and back).

Outputs are in the label space of the model's dataset.json and are mapped to the regions of its
label convention: a softmax model's region probability is the sum of its labels' probabilities
(WT = edema + core + enhancing), a region-based model's (sigmoid) outputs are its regions. The
labels are nnU-Net's own: a softmax model's argmax segmentation relabelled region by region
into the case's convention; a region-based model's regions where its sigmoid is > 0.5 (nnU-Net's
rule), painted in the case's convention (as ``regions_class_order`` paints them for nnU-Net's
BraTS datasets).
"""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from dataclasses import dataclass
from typing import Any

import numpy as np

from tumorbench.api import (
    BenchError,
    Case,
    LabelConvention,
    ModelContext,
    Prediction,
    configure_torch_threads,
    describe_exception,
    from_canonical_array,
    to_canonical_array,
)

from .options import options_of
from .results import ALL_FOLDS, ResultsFolder, open_results

INSTALL = "pip install 'tumorbench[nnunet]'"
READERS = ("SimpleITKIO", "NibabelIO", "NibabelIOWithReorient")
"""The image readers of plans.json whose array order tumorbench reproduces from NIfTI volumes."""


def require_nnunet() -> tuple[Any, Any]:
    """torch and ``nnUNetPredictor``, or one line naming the extra that provides them."""
    try:
        import torch
        from nnunetv2.inference.predict_from_raw_data import nnUNetPredictor
    except ImportError as exc:
        raise BenchError(f"model nnunet needs nnU-Net v2, which is not installed ({describe_exception(exc)}): "
                         f"{INSTALL}") from None
    return torch, nnUNetPredictor


def resolve_device(torch: Any, device: str) -> Any:
    """``auto`` -> cuda when available, else cpu; an unavailable cuda is one line."""
    configure_torch_threads(torch)
    if device in ("", "auto"):
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise BenchError(f"--device {device}: no CUDA device available (use --device cpu or auto)")
    return torch.device(device)


@dataclass(frozen=True)
class OutputMap:
    """How nnU-Net's output channels make the regions of the model's label convention.

    ``sums`` maps each region to the output channels whose probabilities add up to it (softmax:
    the channels of its labels; region-based: its one sigmoid channel).
    """

    convention: LabelConvention
    sums: dict[str, tuple[int, ...]]
    region_based: bool = False

    @property
    def regions(self) -> tuple[str, ...]:
        return tuple(r for r in self.convention.region_names if r in self.sums)


def output_map(label_manager: Any, convention: LabelConvention, source: str) -> OutputMap:
    """The regions nnU-Net's label manager's outputs make in ``convention``."""
    if label_manager.has_regions:
        wanted = {frozenset(v): r for r, v in convention.regions.items()}
        sums = {}
        for i, region in enumerate(label_manager.foreground_regions):
            values = frozenset(region if isinstance(region, tuple | list) else (region,))
            if values in wanted:
                sums[wanted[values]] = (i,)
    else:
        index = {int(v): i for i, v in enumerate(label_manager.all_labels)}
        sums = {r: tuple(index[v] for v in vals if v in index) for r, vals in convention.regions.items()}
        sums = {r: s for r, s in sums.items() if s}
    if not sums:
        raise BenchError(f"{source}: no output of this model is a region of label convention {convention.name}")
    return OutputMap(convention, sums, bool(label_manager.has_regions))


def relabel(seg: np.ndarray, own: LabelConvention, target: LabelConvention, regions: tuple[str, ...]) -> np.ndarray:
    """nnU-Net's label map (in ``own``) in the case's convention ``target``, region by region."""
    if own.name == target.name:
        return seg.astype(np.uint8)
    return target.from_regions({r: own.region_mask(seg, r) for r in regions if r in target.regions})


@dataclass
class NnunetModel:
    """A loaded nnU-Net v2 predictor (one fold, several averaged by nnU-Net, or fold_all)."""

    predictor: Any
    results: ResultsFolder
    outputs: OutputMap
    reorient: bool

    @property
    def channels(self) -> tuple[str, ...]:
        return self.results.info.channels

    def _input(self, case: Case) -> tuple[np.ndarray, list[float], np.ndarray]:
        """(channels in nnU-Net's (c, z, y, x) order, its spacing, the affine of the case's grid)."""
        missing = [m for m in self.channels if m not in case.images]
        if missing:
            raise BenchError(f"case {case.case_id} has no {', '.join(missing)} image, which the nnU-Net model "
                             f"{self.results.path.name} reads (channels {', '.join(self.channels)})")
        first = case.images[self.channels[0]]
        affine = np.asarray(first.affine)
        arrays = [np.asarray(case.images[m].data, dtype=np.float32) for m in self.channels]
        spacing = [float(s) for s in first.spacing]
        if self.reorient:
            import nibabel as nib

            ornt = nib.orientations.io_orientation(affine)
            arrays = [to_canonical_array(a, affine) for a in arrays]
            canonical = [0.0, 0.0, 0.0]
            for axis, (target, _) in enumerate(ornt):
                canonical[int(target)] = spacing[axis]
            spacing = canonical
        stacked = np.stack([a.transpose(2, 1, 0) for a in arrays]).astype(np.float32, copy=False)
        return stacked, spacing[::-1], affine

    def raw(self, case: Case) -> tuple[np.ndarray, np.ndarray]:
        """nnU-Net's segmentation (x, y, z) and output probabilities (c, x, y, z) on the case's grid."""
        data, spacing, affine = self._input(case)
        seg, probs = self.predictor.predict_single_npy_array(data, {"spacing": spacing}, None, None, True)
        seg = np.asarray(seg).transpose(2, 1, 0)
        probs = np.asarray(probs, dtype=np.float32).transpose(0, 3, 2, 1)
        if self.reorient:
            seg = from_canonical_array(seg, affine)
            probs = from_canonical_array(probs, affine)
        return seg, probs

    def predict(self, case: Case) -> Prediction:
        seg, probs = self.raw(case)
        maps = {}
        for region in self.outputs.regions:
            total = np.zeros(probs.shape[1:], dtype=np.float32)
            for channel in self.outputs.sums[region]:
                total += probs[channel]
            maps[region] = np.clip(total, 0.0, 1.0)
        if self.outputs.region_based:  # nnU-Net's rule: each region where its sigmoid is > 0.5, painted
            masks = {r: p > 0.5 for r, p in maps.items() if r in case.convention.regions}
            labels = case.convention.from_regions(masks)
        else:
            labels = relabel(seg, self.outputs.convention, case.convention, self.outputs.regions)
        return Prediction(regions=self.outputs.regions, probabilities=maps, labels=labels)


def load_predictor(context: ModelContext) -> NnunetModel:
    """nnU-Net's predictor for the results folder of ``nnunet:PATH``: the fold ``context.fold``
    (``-1``: fold_all), or every fold chosen (nnU-Net averages their logits)."""
    torch, predictor_class = require_nnunet()
    results = open_results(context)
    options = options_of(context)
    folds = dict(results.checkpoints)
    if context.fold is not None:
        if context.fold not in folds:
            raise BenchError(f"{results.path / ('fold_' + results.fold_folder(context.fold))}: no "
                             f"{options.checkpoint} (folds here: {', '.join(results.fold_folder(k) for k in folds)})")
        folds = {context.fold: folds[context.fold]}
    device = resolve_device(torch, context.device)
    use_folds = tuple("all" if k == ALL_FOLDS else k for k in folds)
    with redirect_stdout(io.StringIO()):  # nnU-Net prints its settings while it loads (not while it predicts)
        predictor = predictor_class(
            tile_step_size=options.step, use_gaussian=options.gaussian, use_mirroring=options.mirroring,
            perform_everything_on_device=device.type == "cuda", device=device, verbose=False,
            allow_tqdm=False,
        )
        try:
            predictor.initialize_from_trained_model_folder(str(results.path), use_folds, options.checkpoint)
        except Exception as exc:  # nnU-Net raises many kinds for a bad checkpoint, plans or trainer
            fold_names = ", ".join(f"fold_{results.fold_folder(k)}" for k in folds)
            raise BenchError(f"{results.path}: nnU-Net could not load {fold_names}/{options.checkpoint} "
                             f"({describe_exception(exc)})") from None
    if predictor.configuration_manager.previous_stage_name is not None:
        raise BenchError(f"{results.path}: a cascade configuration (it needs the previous stage's segmentation); "
                         "use the 3d_fullres or 2d results folder")
    reader = str(predictor.plans_manager.plans.get("image_reader_writer", "SimpleITKIO"))
    if reader not in READERS:
        raise BenchError(f"{results.plans}: image_reader_writer {reader} is not one tumorbench feeds "
                         f"({', '.join(READERS)})")
    outputs = output_map(predictor.label_manager, results.convention, str(results.info.path))
    return NnunetModel(predictor, results, outputs, reorient=reader == "NibabelIOWithReorient")
