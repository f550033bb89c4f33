"""Tiny MONAI bundles written at test time: a 2-level UNet with 4 input and 3 output channels,
random weights, the metadata and inference config a model-zoo bundle has (written for these
tests, not copied from any bundle)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

INPUTS = {"0": "T1c", "1": "T1", "2": "T2", "3": "FLAIR"}  # the order of the model-zoo BraTS bundle
OUTPUTS = {"0": "Tumor core", "1": "Whole tumor", "2": "Enhancing tumor"}
NETWORK: Mapping[str, Any] = {"spatial_dims": 3, "in_channels": 4, "out_channels": 3, "channels": [8, 16],
                              "strides": [2], "num_res_units": 1}
ROI = [32, 32, 32]
SPACING = [1.5, 1.5, 1.5]


def metadata(inputs: Mapping[str, str] | None = None, outputs: Mapping[str, str] | None = None) -> dict[str, Any]:
    inputs = INPUTS if inputs is None else inputs
    outputs = OUTPUTS if outputs is None else outputs
    return {
        "version": "0.0.1",
        "monai_version": "1.6.1",
        "pytorch_version": "2.13.0",
        "numpy_version": "2.0",
        "name": "tiny test bundle",
        "task": "glioma sub-region segmentation (test fixture)",
        "description": "random weights; exercises the bundle format only",
        "authors": "tumorbench tests",
        "copyright": "none",
        "network_data_format": {
            "inputs": {"image": {"type": "image", "format": "magnitude", "modality": "MR",
                                 "num_channels": len(inputs), "channel_def": dict(inputs)}},
            "outputs": {"pred": {"type": "image", "format": "segmentation", "num_channels": len(outputs),
                                 "channel_def": dict(outputs)}},
        },
    }


def inference(activation: str = "sigmoid", spatial: bool = True, out_channels: int = 3) -> dict[str, Any]:
    """The network, a preprocessing that reorients to RAS, resamples to 1.5 mm and z-scores each
    channel over non-zero voxels (``spatial=False``: z-scoring only), a sliding-window inferer."""
    transforms: list[dict[str, Any]] = [{"_target_": "LoadImaged", "keys": "@image_key", "image_only": True}]
    if spatial:
        transforms += [{"_target_": "Orientationd", "keys": "@image_key", "axcodes": "RAS"},
                       {"_target_": "Spacingd", "keys": "@image_key", "pixdim": SPACING, "mode": "bilinear"}]
    transforms.append({"_target_": "NormalizeIntensityd", "keys": "@image_key", "nonzero": True, "channel_wise": True})
    return {
        "bundle_root": ".",
        "image_key": "image",
        "device": "$torch.device('cpu')",
        "network_def": {"_target_": "UNet", **NETWORK, "out_channels": out_channels},
        "network": "$@network_def.to(@device)",
        "preprocessing": {"_target_": "Compose", "transforms": transforms},
        "inferer": {"_target_": "SlidingWindowInferer", "roi_size": ROI, "sw_batch_size": 2, "overlap": 0.25},
        "postprocessing": {"_target_": "Compose", "transforms": [
            {"_target_": "Activationsd", "keys": "pred", activation: True},
            {"_target_": "AsDiscreted", "keys": "pred", "threshold": 0.5},
        ]},
    }


def network(seed: int = 0, out_channels: int = 3):
    """The network the bundle defines, built directly (the tests' independent reference)."""
    import torch
    from monai.networks.nets import UNet

    torch.manual_seed(seed)
    net = UNet(**{**NETWORK, "out_channels": out_channels})
    with torch.no_grad():  # decisive outputs: most voxels far from probability 0.5
        for p in net.parameters():
            p.mul_(3.0)
    return net.eval()


def write_bundle(root: Path, *, seed: int = 0, meta: Mapping[str, Any] | None = None,
                 config: Mapping[str, Any] | None = None, out_channels: int = 3) -> Path:
    """A complete bundle folder: LICENSE, configs/metadata.json, configs/inference.json, models/model.pt."""
    import torch

    (root / "configs").mkdir(parents=True, exist_ok=True)
    (root / "models").mkdir(exist_ok=True)
    (root / "LICENSE").write_text("test fixture, no licence\n", encoding="utf-8")
    (root / "configs" / "metadata.json").write_text(json.dumps(meta or metadata(), indent=2), encoding="utf-8")
    (root / "configs" / "inference.json").write_text(json.dumps(config or inference(), indent=2), encoding="utf-8")
    torch.save(network(seed, out_channels).state_dict(), root / "models" / "model.pt")
    return root
