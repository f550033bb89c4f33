"""The bundle's network, preprocessing and inferer, built by MONAI's own ``ConfigParser``, and its
weights read with ``torch.load(..., weights_only=True)``.

Only ``network_def``, ``preprocessing`` and ``inferer`` (and what they refer to) are resolved:
the bundle's data loaders, evaluator and handlers are never built, so pytorch-ignite is not needed.
``bundle_root`` is set to the bundle folder and ``device`` (when the config has one) to the
device tumorbench runs on, as ``monai.bundle run`` overrides them.
"""

from __future__ import annotations

import copy
import logging
import pickle
import re
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from tumorbench.api import BenchError, check_finite, configure_torch_threads, describe_exception

from .bundle import BundlePlan

NESTED_KEYS: tuple[str, ...] = ("model", "state_dict", "network")
"""Where a nested checkpoint (``{"model": state_dict, "optimizer": ...}``) keeps the weights."""


QUIET: tuple[str, ...] = (
    r"NvImgCodecPydicomReader: .*",  # MONAI's DICOM reader without a GPU codec (LoadImage builds every reader)
    r".*Current default value of argument .*",  # MONAI telling bundle authors a default will change
    r"Detected deprecated name .*",  # MONAI telling bundle authors a metadata key was renamed
)


@contextmanager
def quiet_monai() -> Iterator[None]:
    """MONAI's notices to bundle authors and GPU-codec users kept out of a benchmark's output."""
    log = logging.getLogger("monai.data.nvimgcodec_pydicom_plugin")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            for pattern in QUIET:
                warnings.filterwarnings("ignore", message=pattern)
            yield
    finally:
        log.setLevel(level)


def import_monai() -> Any:
    """The ``monai`` module, or one line naming the extra that provides it."""
    try:
        import monai
        from monai.bundle import ConfigParser  # noqa: F401
    except ImportError as exc:
        raise BenchError(f"model monai-bundle needs MONAI: pip install 'tumorbench[monai]' ({describe_exception(exc)})") from None
    return monai


def resolve_device(name: str) -> torch.device:
    """``auto`` -> cuda when available, else cpu; an unavailable cuda is one line."""
    configure_torch_threads(torch)
    if name in ("", "auto"):
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise BenchError(f"--device {name}: no CUDA device available (use --device cpu or auto)")
    try:
        return torch.device(name)
    except RuntimeError:
        raise BenchError(f"--device {name}: not a device (use auto, cpu or cuda[:N])") from None


@dataclass
class LoadedBundle:
    """What a prediction runs: the network with its weights, the preprocessing without its image
    loader (None when the bundle has none), and the inferer."""

    network: torch.nn.Module
    preprocessing: Any
    inferer: Callable[..., Any]
    device: torch.device


def _parsed(parser: Any, key: str, source: Path) -> Any:
    try:
        return parser.get_parsed_content(key)
    except Exception as exc:  # MONAI raises many types for a bad component
        raise BenchError(f"{source}: {key} does not load ({describe_exception(exc)})") from None


def _without_loader(preprocessing: Any, source: Path) -> Any:
    """The preprocessing Compose less its ``LoadImage``/``LoadImaged`` (the case is loaded already)."""
    from monai.transforms import Compose, LoadImage, LoadImaged

    if isinstance(preprocessing, (list, tuple)):
        preprocessing = Compose(list(preprocessing))
    elif not isinstance(preprocessing, Compose):
        if not callable(preprocessing):
            raise BenchError(f"{source}: preprocessing is a {type(preprocessing).__name__}, not a transform")
        preprocessing = Compose([preprocessing])
    kept = [t for t in preprocessing.transforms if not isinstance(t, (LoadImage, LoadImaged))]
    out = copy.copy(preprocessing)  # keeps the Compose's settings (lazy, map_items, ...)
    out.transforms = tuple(kept)
    return out


def _first_line_of_refusal(exc: Exception) -> str:
    found = re.search(r"Unsupported global: GLOBAL [\w.]+", str(exc))
    return found.group(0) if found else describe_exception(exc).split(". ")[0]


def read_weights(path: Path, key: str = "") -> dict[str, torch.Tensor]:
    """The state dict in ``path``, read weights-only (a pickle of anything else is refused)."""
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        raise BenchError(f"{path}: not a weights-only checkpoint, refused by torch.load(weights_only=True) "
                         f"({_first_line_of_refusal(exc)}); tumorbench does not unpickle code") from None
    except Exception as exc:  # a truncated or foreign file
        raise BenchError(f"{path}: unreadable checkpoint ({describe_exception(exc)})") from None
    if not isinstance(obj, Mapping):
        raise BenchError(f"{path}: holds a {type(obj).__name__}, not a state dict")
    if key:
        if key not in obj:
            raise BenchError(f"{path}: no entry {key!r} (--model-opt checkpoint_key); it has {', '.join(map(str, obj))}")
        obj = obj[key]
    elif not all(isinstance(v, torch.Tensor) for v in obj.values()):
        nested = [k for k in NESTED_KEYS if isinstance(obj.get(k), Mapping)]
        if not nested:
            raise BenchError(f"{path}: holds no state dict of tensors (entries: {', '.join(map(str, obj))}); "
                             f"name the one holding the weights with --model-opt checkpoint_key=...")
        obj = obj[nested[0]]
    if not isinstance(obj, Mapping) or not all(isinstance(v, torch.Tensor) for v in obj.values()):
        raise BenchError(f"{path}: the weights are not a mapping of names to tensors")
    state = {str(k): v for k, v in obj.items()}
    check_finite(((k, v.detach().float().numpy()) for k, v in state.items() if v.is_floating_point()), path)
    return state


def load_weights(network: torch.nn.Module, state: Mapping[str, torch.Tensor], path: Path, config: Path) -> None:
    """``state`` into ``network``, every tensor accounted for; a mismatch is one line."""
    own = network.state_dict()
    if own and state and all(k.startswith("module.") for k in state) and not any(k.startswith("module.") for k in own):
        state = {k[len("module."):]: v for k, v in state.items()}  # saved from DataParallel
    missing = [k for k in own if k not in state]
    unexpected = [k for k in state if k not in own]
    wrong = [k for k in own if k in state and tuple(own[k].shape) != tuple(state[k].shape)]
    if missing or unexpected or wrong:
        parts = []
        if missing:
            parts.append(f"{len(missing)} missing (first {missing[0]!r})")
        if unexpected:
            parts.append(f"{len(unexpected)} unexpected (first {unexpected[0]!r})")
        if wrong:
            k = wrong[0]
            parts.append(f"{len(wrong)} of another shape (first {k!r}: {tuple(state[k].shape)}, "
                         f"the network has {tuple(own[k].shape)})")
        raise BenchError(f"{path}: the weights do not fit network_def of {config}: {'; '.join(parts)}")
    network.load_state_dict(state, strict=True)


def load_bundle(plan: BundlePlan, device_name: str, seed: int) -> LoadedBundle:
    """Network (with weights, in evaluation mode, on the device), preprocessing and inferer."""
    import_monai()
    device = resolve_device(device_name)
    torch.manual_seed(seed)
    with quiet_monai():
        return _build(plan, device, seed)


def _build(plan: BundlePlan, device: torch.device, seed: int) -> LoadedBundle:
    from monai.bundle import ConfigParser
    from monai.inferers import SimpleInferer

    source = plan.files.configs[-1]
    parser = ConfigParser()
    try:
        parser.read_meta(str(plan.files.metadata))
        parser.read_config([str(p) for p in plan.files.configs])
    except Exception as exc:  # read already by tumorbench; MONAI's own reading may still differ
        raise BenchError(f"{source}: MONAI cannot read the config ({describe_exception(exc)})") from None
    parser["bundle_root"] = str(plan.files.root)
    if "device" in parser:
        parser["device"] = f"$torch.device({str(device)!r})"
    if "imports" in parser:
        _parsed(parser, "imports", source)  # `$import x` entries put x where the expressions see it
    if "network_def" not in parser:
        raise BenchError(f"{source}: no network_def (the network definition a bundle's inference config holds)")
    network = _parsed(parser, "network_def", source)
    if not isinstance(network, torch.nn.Module):
        raise BenchError(f"{source}: network_def builds a {type(network).__name__}, not a torch.nn.Module")
    load_weights(network, read_weights(plan.files.weights, plan.options.checkpoint_key), plan.files.weights, source)
    network.to(device).eval()
    preprocessing = None
    if "preprocessing" in parser:
        preprocessing = _without_loader(_parsed(parser, "preprocessing", source), source)
        if hasattr(preprocessing, "set_random_state"):
            preprocessing.set_random_state(seed=seed)
    inferer = _parsed(parser, "inferer", source) if "inferer" in parser else SimpleInferer()
    if not callable(inferer):
        raise BenchError(f"{source}: inferer is a {type(inferer).__name__}, not an inferer")
    return LoadedBundle(network=network, preprocessing=preprocessing, inferer=inferer, device=device)
