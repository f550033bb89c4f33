"""The ``--model-opt`` keys of ``monai-bundle`` and the parsing of its comma lists.

Pure Python: imported at plugin registration, so it must not import torch or MONAI.
"""

from __future__ import annotations

from dataclasses import dataclass

from tumorbench.api import BenchError, parse_options

MODEL = "monai-bundle"
ACTIVATIONS: tuple[str, ...] = ("sigmoid", "softmax")


@dataclass(frozen=True)
class BundleOptions:
    """What ``monai-bundle`` reads from a bundle, where the bundle does not say it itself.

    Args:
        bundle: the bundle folder (the ``PATH`` of ``monai-bundle:PATH``; as an option it names
            the bundle of an ensemble member: ``--model-opt monai-bundle.bundle=PATH``).
        config: the network configuration, relative to the bundle (a comma list is merged in
            order, as MONAI merges several config files).
        weights: the weights file, relative to the bundle (a state dict, read weights-only).
        channels: the input channel order as modalities (``t1ce,t1,t2,flair``); default: the
            ``channel_def`` of the input in ``metadata.json``.
        outputs: what each output channel is (``TC,WT,ET``; ``-`` skips a channel); default:
            the ``channel_def`` of the output in ``metadata.json``.
        activation: ``sigmoid`` (one region per channel) or ``softmax`` (one class per
            channel); default: the ``Activations``/``Activationsd`` of the bundle's postprocessing.
        image_key: the key the preprocessing reads the image from; default: the config's
            ``image_key``, else the one input named in ``metadata.json``.
        checkpoint_key: the key of the state dict inside a nested checkpoint; default: the whole
            file, or its ``model`` entry when the file holds ``{"model": state_dict, ...}``.
        amp: float16 autocast on CUDA (the bundle's ``amp``); float32 when false (the default,
            so that CPU and GPU give the same numbers up to rounding).
    """

    bundle: str = ""
    config: str = "configs/inference.json"
    weights: str = "models/model.pt"
    channels: str = ""
    outputs: str = ""
    activation: str = ""
    image_key: str = ""
    checkpoint_key: str = ""
    amp: bool = False


def options_of(params: dict | None, options: BundleOptions | None = None) -> BundleOptions:
    """``options`` when the harness parsed them already, else ``params`` parsed here."""
    if options is not None:
        return options
    return parse_options(BundleOptions, params or {}, owner=MODEL, flag="--model-opt", ignored=("arg",))


def split_list(text: str) -> list[str]:
    """``a, b,c`` -> ``["a", "b", "c"]`` (empty items kept out)."""
    return [item.strip() for item in text.split(",") if item.strip()]


def check_activation(text: str, source: str) -> str:
    word = text.strip().lower()
    if word not in ACTIVATIONS:
        raise BenchError(f"{source}: activation {text!r} is not one of {', '.join(ACTIVATIONS)}")
    return word
