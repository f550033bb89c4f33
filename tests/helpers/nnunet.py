"""Tiny, valid nnU-Net v2 folders made at test time: a raw dataset of real NIfTI phantoms and a
results folder whose plans are small and whose weights are random, built with nnU-Net's own
network code (nothing downloaded)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import nibabel as nib
import numpy as np

CHANNELS_137 = {"0": "T1", "1": "T1ce", "2": "T2", "3": "Flair"}
"""nnU-Net's own BraTS conversion (Dataset137_BraTS21) names the channels so."""
MSD_LABELS = {"background": 0, "edema": 1, "non_enhancing_and_necrosis": 2, "enhancing_tumor": 3}
REGION_LABELS = {"background": 0, "whole tumor": [1, 2, 3], "tumor core": [2, 3], "enhancing tumor": [3]}
"""Dataset137_BraTS21's region-based labels (with regions_class_order 1, 2, 3)."""
MODALITY_OF = {"0": "t1", "1": "t1ce", "2": "t2", "3": "flair"}

SHAPE = (26, 22, 18)
SPACING = (1.0, 1.25, 1.5)
AFFINE = np.array([[-1.0, 0, 0, 30.0], [0, 1.25, 0, -12.0], [0, 0, 1.5, 4.0], [0, 0, 0, 1]])


def phantom(seed: int, shape: Sequence[int] = SHAPE) -> tuple[np.ndarray, np.ndarray]:
    """Four channels (T1, T1ce, T2, FLAIR order) and an msd label map (1 edema, 2 core, 3
    enhancing) of a tumour in an ellipsoid brain, zero outside the brain."""
    rng = np.random.default_rng(seed)
    grid = np.indices(shape).astype(np.float32)
    centre = np.array(shape, dtype=np.float32)[:, None, None, None] / 2
    brain = (((grid - centre) / (centre * 0.85)) ** 2).sum(0) <= 1
    at = centre + rng.uniform(-2, 2, (3, 1, 1, 1)).astype(np.float32)
    r = np.sqrt(((grid - at) ** 2).sum(0))
    label = np.zeros(shape, np.uint8)
    label[(r <= 6) & brain] = 1
    label[(r <= 4) & brain] = 3
    label[(r <= 2) & brain] = 2
    base = rng.normal(100, 8, (4, *shape)).astype(np.float32)
    boost = {0: (0, -20, -30), 1: (10, 15, 60), 2: (40, 30, 20), 3: (60, 35, 25)}  # per channel: edema, core, enh
    for c, (ed, core, enh) in boost.items():
        base[c] += ed * (label == 1) + core * (label == 2) + enh * (label == 3)
    base[:, ~brain] = 0
    return base, label


def write_nifti(path: Path, data: np.ndarray, affine: np.ndarray = AFFINE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nib.save(nib.Nifti1Image(data, affine), str(path))
    return path


def make_raw_dataset(
    root: Path,
    *,
    name: str = "Dataset501_Tiny",
    cases: int = 4,
    test_cases: int = 1,
    channel_names: Mapping[str, str] = CHANNELS_137,
    labels: Mapping[str, Any] = MSD_LABELS,
    regions_class_order: Sequence[int] | None = None,
    label_map: Mapping[int, int] | None = None,
) -> Path:
    """``root/<name>/`` with dataset.json, imagesTr/<case>_000k.nii.gz, labelsTr/ and imagesTs/.

    ``label_map`` relabels the msd phantom's values (e.g. into another convention).
    """
    folder = root / name
    for i in range(cases + test_cases):
        images, label = phantom(seed=i)
        case = f"tiny_{i:03d}"
        sub = "imagesTr" if i < cases else "imagesTs"
        for k in range(len(channel_names)):
            write_nifti(folder / sub / f"{case}_{k:04d}.nii.gz", images[k])
        if i < cases:
            if label_map:
                label = np.vectorize(lambda v: label_map.get(int(v), int(v)), otypes=[np.uint8])(label)
            write_nifti(folder / "labelsTr" / f"{case}.nii.gz", label)
    index: dict[str, Any] = {"channel_names": dict(channel_names), "labels": dict(labels), "numTraining": cases,
                             "file_ending": ".nii.gz"}
    if regions_class_order is not None:
        index["regions_class_order"] = list(regions_class_order)
    (folder / "dataset.json").write_text(json.dumps(index, indent=1), encoding="utf-8")
    return folder


def tiny_plans(dataset_name: str = "Dataset501_Tiny", reader: str = "SimpleITKIO") -> dict[str, Any]:
    """A small plans.json: a two-stage PlainConvUNet (4 and 8 features), 16^3 patches at 1 mm."""
    resample = "resample_data_or_seg_to_shape"
    return {
        "dataset_name": dataset_name,
        "plans_name": "nnUNetPlans",
        "original_median_spacing_after_transp": [1.5, 1.25, 1.0],
        "original_median_shape_after_transp": [18, 22, 26],
        "image_reader_writer": reader,
        "transpose_forward": [0, 1, 2],
        "transpose_backward": [0, 1, 2],
        "configurations": {
            "3d_fullres": {
                "data_identifier": "nnUNetPlans_3d_fullres",
                "preprocessor_name": "DefaultPreprocessor",
                "batch_size": 2,
                "patch_size": [16, 16, 16],
                "median_image_size_in_voxels": [27.0, 27.0, 26.0],
                "spacing": [1.0, 1.0, 1.0],
                "normalization_schemes": ["ZScoreNormalization"] * 4,
                "use_mask_for_norm": [True] * 4,
                "resampling_fn_data": resample,
                "resampling_fn_seg": resample,
                "resampling_fn_data_kwargs": {"is_seg": False, "order": 3, "order_z": 0, "force_separate_z": None},
                "resampling_fn_seg_kwargs": {"is_seg": True, "order": 1, "order_z": 0, "force_separate_z": None},
                "resampling_fn_probabilities": resample,
                "resampling_fn_probabilities_kwargs": {"is_seg": False, "order": 1, "order_z": 0,
                                                       "force_separate_z": None},
                "architecture": {
                    "network_class_name": "dynamic_network_architectures.architectures.unet.PlainConvUNet",
                    "arch_kwargs": {
                        "n_stages": 2,
                        "features_per_stage": [4, 8],
                        "conv_op": "torch.nn.modules.conv.Conv3d",
                        "kernel_sizes": [[3, 3, 3], [3, 3, 3]],
                        "strides": [[1, 1, 1], [2, 2, 2]],
                        "n_conv_per_stage": [1, 1],
                        "n_conv_per_stage_decoder": [1],
                        "conv_bias": True,
                        "norm_op": "torch.nn.modules.instancenorm.InstanceNorm3d",
                        "norm_op_kwargs": {"eps": 1e-05, "affine": True},
                        "dropout_op": None,
                        "dropout_op_kwargs": None,
                        "nonlin": "torch.nn.LeakyReLU",
                        "nonlin_kwargs": {"inplace": True},
                    },
                    "_kw_requires_import": ["conv_op", "norm_op", "dropout_op", "nonlin"],
                },
                "batch_dice": False,
            }
        },
        "experiment_planner_used": "ExperimentPlanner",
        "label_manager": "LabelManager",
        "foreground_intensity_properties_per_channel": {  # used by CT normalisation only
            str(c): {"max": 300.0, "mean": 130.0, "median": 125.0, "min": 60.0, "percentile_00_5": 80.0,
                     "percentile_99_5": 250.0, "std": 30.0} for c in range(4)
        },
    }


def make_results_folder(
    root: Path,
    raw: Path,
    *,
    folds: Sequence[int | str] = (0, 1),
    splits: Sequence[tuple[Sequence[str], Sequence[str]]] | None = None,
    reader: str = "SimpleITKIO",
    seed: int = 0,
    mirror_axes: tuple[int, ...] = (0,),
) -> Path:
    """``root/<dataset>/nnUNetTrainer__nnUNetPlans__3d_fullres/`` for the raw dataset ``raw``:
    dataset.json, plans.json and ``fold_k/checkpoint_final.pth`` with random weights (nnU-Net's
    own network builder and checkpoint keys); ``splits`` is written as splits_final.json one level up.
    Test-time mirroring along ``mirror_axes`` (nnU-Net's default for 3D is all three; one keeps the
    tests' CPU time down while still mirroring)."""
    import torch
    from nnunetv2.training.nnUNetTrainer.nnUNetTrainer import nnUNetTrainer
    from nnunetv2.utilities.plans_handling.plans_handler import PlansManager

    dataset_json = json.loads((raw / "dataset.json").read_text(encoding="utf-8"))
    plans = tiny_plans(raw.name, reader)
    folder = root / raw.name / "nnUNetTrainer__nnUNetPlans__3d_fullres"
    folder.mkdir(parents=True)
    (folder / "dataset.json").write_text(json.dumps(dataset_json, indent=1), encoding="utf-8")
    (folder / "plans.json").write_text(json.dumps(plans, indent=1), encoding="utf-8")
    manager = PlansManager(plans)
    configuration = manager.get_configuration("3d_fullres")
    heads = manager.get_label_manager(dataset_json).num_segmentation_heads
    for k in folds:
        torch.manual_seed(seed + (k if isinstance(k, int) else 99))
        network = nnUNetTrainer.build_network_architecture(manager, configuration, len(dataset_json["channel_names"]),
                                                           heads, enable_deep_supervision=False)
        (folder / f"fold_{k}").mkdir()
        torch.save({"network_weights": network.state_dict(), "trainer_name": "nnUNetTrainer",
                    "init_args": {"plans": plans, "configuration": "3d_fullres", "fold": k, "dataset_json": dataset_json},
                    "inference_allowed_mirroring_axes": mirror_axes, "current_epoch": 1},
                   folder / f"fold_{k}" / "checkpoint_final.pth")
    if splits is not None:
        blob = [{"train": list(t), "val": list(v)} for t, v in splits]
        (folder.parent / "splits_final.json").write_text(json.dumps(blob, indent=1), encoding="utf-8")
    return folder


def nnunet_reference(results: Path, raw: Path, cases: Sequence[str], out: Path, folds: Sequence[int | str]) -> Path:
    """nnU-Net's own prediction of ``cases`` (read from imagesTr by nnU-Net's reader, written by
    its writer, probabilities saved as ``<case>.npz``), one process, no pool."""
    import torch
    from nnunetv2.inference.predict_from_raw_data import nnUNetPredictor

    predictor = nnUNetPredictor(tile_step_size=0.5, use_gaussian=True, use_mirroring=True,
                                perform_everything_on_device=False, device=torch.device("cpu"), allow_tqdm=False)
    predictor.initialize_from_trained_model_folder(str(results), tuple(folds), "checkpoint_final.pth")
    channels = len(json.loads((raw / "dataset.json").read_text(encoding="utf-8"))["channel_names"])
    files = [[str(raw / "imagesTr" / f"{c}_{k:04d}.nii.gz") for k in range(channels)] for c in cases]
    out.mkdir(parents=True, exist_ok=True)
    predictor.predict_from_files_sequential(files, [str(out / c) for c in cases], save_probabilities=True)
    return out
