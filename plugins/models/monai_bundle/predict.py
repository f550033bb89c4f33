"""One case through the bundle: its images stacked in the bundle's channel order as a MONAI
``MetaTensor`` on the case's grid, the bundle's preprocessing (its image loader left out), the
bundle's inferer, the activation, MONAI's ``Invertd`` back onto the case's grid, and the output
channels read as region probabilities.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from tumorbench.api import BenchError, Case, Prediction, describe_exception

from .bundle import BundlePlan
from .network import LoadedBundle


def case_tensor(case: Case, channels: tuple[str, ...]) -> Any:
    """The case's images in ``channels`` order, (C, X, Y, Z) float32, with the metadata MONAI's
    ``LoadImaged`` gives a stack of NIfTI files (affine, original affine, spatial shape, channel
    dimension 0), so that the bundle's transforms see what they would see reading the files."""
    from monai.data import MetaTensor

    reference = case.images[channels[0]]
    stack = np.stack([np.asarray(case.images[m].data, dtype=np.float32) for m in channels])
    affine = np.asarray(reference.affine, dtype=np.float64)
    meta = {
        "original_affine": affine.copy(),
        "spatial_shape": np.asarray(stack.shape[1:]),
        "original_channel_dim": 0,
        "filename_or_obj": str(reference.path) if reference.path else case.case_id,
    }
    return MetaTensor(torch.from_numpy(stack), affine=torch.from_numpy(affine), meta=meta)


def _activate(logits: torch.Tensor, activation: str) -> torch.Tensor:
    logits = logits.float()
    return torch.sigmoid(logits) if activation == "sigmoid" else torch.softmax(logits, dim=1)


@dataclass
class BundlePredictor:
    """A loaded bundle; ``predict`` gives region probabilities on the case's grid."""

    plan: BundlePlan
    loaded: LoadedBundle

    def channel_probabilities(self, case: Case) -> np.ndarray:
        """The activated output (K, X, Y, Z) on the case's grid."""
        plan, loaded = self.plan, self.loaded
        key = plan.image_key
        source = plan.files.configs[-1]
        data: dict[str, Any] = {key: case_tensor(case, plan.channels)}
        if loaded.preprocessing is not None:
            try:
                data = loaded.preprocessing(data)
            except Exception as exc:  # a transform of the bundle failed on this case
                raise BenchError(f"{source}: preprocessing failed on {case.case_id} ({describe_exception(exc)})") from None
            if not isinstance(data, dict) or key not in data:
                raise BenchError(f"{source}: preprocessing did not return a dict holding {key!r} (--model-opt image_key)")
        image = data[key]
        amp = plan.options.amp and loaded.device.type == "cuda"
        with torch.no_grad():
            batch = image.unsqueeze(0).to(loaded.device)
            with torch.autocast("cuda", dtype=torch.float16) if amp else nullcontext():
                try:
                    logits = loaded.inferer(batch, loaded.network)
                except Exception as exc:  # wrong channel count, a size the network cannot take, ...
                    raise BenchError(f"{source}: the network failed on {case.case_id} "
                                     f"({describe_exception(exc)})") from None
            probs = _activate(logits, plan.outputs.activation)[0].cpu()
            expected = len(plan.outputs.meanings)
            if probs.shape[0] != expected:
                raise BenchError(f"{source}: the network gives {probs.shape[0]} output channels, but {expected} are "
                                 f"named ({', '.join(plan.outputs.meanings)}; --model-opt outputs)")
            if getattr(image, "applied_operations", None):  # spatial transforms to undo
                probs = self._invert(probs, data, case)
        out = np.asarray(probs.detach().cpu().numpy() if isinstance(probs, torch.Tensor) else probs, dtype=np.float32)
        if out.shape[1:] != tuple(case.shape):
            raise BenchError(f"{source}: the output has shape {out.shape[1:]} after undoing the preprocessing, "
                             f"case {case.case_id} has {tuple(case.shape)}")
        return out

    def _invert(self, probs: torch.Tensor, data: dict[str, Any], case: Case) -> Any:
        """MONAI's ``Invertd``: the preprocessing's spatial transforms undone on the output."""
        from monai.data import MetaTensor
        from monai.transforms import Invertd

        key = self.plan.image_key
        pred_key = "tumorbench_pred" if key != "tumorbench_pred" else "tumorbench_pred_"
        invert = Invertd(keys=pred_key, transform=self.loaded.preprocessing, orig_keys=key, nearest_interp=False,
                         to_tensor=True)
        pred = MetaTensor(probs.as_tensor() if isinstance(probs, MetaTensor) else probs)  # Invertd skips a plain tensor
        try:
            return invert({key: data[key], pred_key: pred})[pred_key]
        except Exception as exc:  # a transform MONAI cannot invert
            raise BenchError(f"{self.plan.files.configs[-1]}: undoing the preprocessing failed on {case.case_id} "
                             f"({describe_exception(exc)})") from None

    def predict(self, case: Case) -> Prediction:
        probs = self.channel_probabilities(case)
        outputs = self.plan.outputs
        maps = {}
        for region in outputs.regions:
            total = np.sum(probs[list(outputs.channels_of(region))], axis=0)
            maps[region] = np.clip(total, 0.0, 1.0).astype(np.float32)
        return Prediction(regions=outputs.regions, probabilities=maps)
