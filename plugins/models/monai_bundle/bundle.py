"""A bundle folder read without torch: its files, and the channel order, output mapping and
input key that the metadata, the config and the options give together. Pure Python.

Options win over the bundle: ``channels`` over the input ``channel_def`` of ``metadata.json``,
``outputs`` over the output ``channel_def``, ``activation`` over the ``Activations(d)`` of the
config's ``postprocessing``, ``image_key`` over the config's ``image_key`` and the metadata's input name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tumorbench.api import BenchError, absent_reason, read_json_object

from .channels import MODALITIES, OutputMap, modalities_of, output_map
from .metadata import Metadata, read_metadata
from .options import BundleOptions, check_activation, split_list

METADATA = Path("configs") / "metadata.json"


@dataclass(frozen=True)
class BundleFiles:
    """The files a bundle is loaded from (their SHA-256 go into the model's identity)."""

    root: Path
    metadata: Path
    configs: tuple[Path, ...]
    weights: Path

    @property
    def all(self) -> tuple[Path, ...]:
        return (self.metadata, *self.configs, self.weights)


@dataclass(frozen=True)
class BundlePlan:
    """How tumorbench feeds the bundle's network and reads its output."""

    files: BundleFiles
    metadata: Metadata
    config: Mapping[str, Any]
    channels: tuple[str, ...]
    outputs: OutputMap
    image_key: str
    options: BundleOptions


def bundle_root(params: Mapping[str, Any], options: BundleOptions) -> Path:
    raw = params.get("arg") or options.bundle
    if not raw:
        raise BenchError("model monai-bundle needs a bundle folder: name it as monai-bundle:PATH "
                         "(in an ensemble: --model-opt monai-bundle.bundle=PATH)")
    return Path(str(raw)).expanduser()


def bundle_files(params: Mapping[str, Any], options: BundleOptions) -> BundleFiles:
    """The paths the options name (nothing is checked: :func:`require` does that)."""
    root = bundle_root(params, options)
    configs = tuple(root / name for name in split_list(options.config))
    if not configs:
        raise BenchError("--model-opt config: names no configuration file")
    return BundleFiles(root=root, metadata=root / METADATA, configs=configs, weights=root / options.weights)


def require(files: BundleFiles) -> None:
    """Every file is there; else one line naming the first one missing."""
    if not files.root.is_dir():
        raise BenchError(f"{files.root}: MONAI bundle {absent_reason(files.root, 'folder')}")
    for path in files.all:
        if not path.is_file():
            extra = ""
            if path == files.weights and (files.root / "models" / "model.ts").is_file():
                extra = " (the bundle holds only a TorchScript models/model.ts, which tumorbench does not run)"
            raise BenchError(f"{path}: {absent_reason(path)}; a MONAI bundle needs {METADATA.as_posix()}, "
                             f"its network config and its weights{extra}")


def read_config(path: Path) -> dict[str, Any]:
    """A config file (JSON, or YAML as MONAI allows) as a dict; one line when it cannot be read."""
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            import yaml
        except ImportError:
            raise BenchError(f"{path}: a YAML config needs PyYAML (pip install pyyaml)") from None
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise BenchError(f"{path}: not valid YAML ({' '.join(str(exc).split())})") from None
        if not isinstance(data, dict):
            raise BenchError(f"{path}: expected a mapping, found {type(data).__name__}")
        return data
    return read_json_object(path)


def merged_config(files: BundleFiles) -> dict[str, Any]:
    """The config files merged in order (a later file's top-level keys replace an earlier's)."""
    merged: dict[str, Any] = {}
    for path in files.configs:
        merged.update(read_config(path))
    return merged


def _target_name(item: Mapping[str, Any]) -> str:
    target = item.get("_target_")
    return str(target).replace("#", ".").rsplit(".", 1)[-1] if isinstance(target, str) else ""


def _activations(node: Any) -> list[str]:
    """Every literal ``sigmoid: true`` / ``softmax: true`` of an ``Activations(d)`` in a config tree."""
    found: list[str] = []
    if isinstance(node, Mapping):
        if _target_name(node) in ("Activations", "Activationsd"):
            found += [k for k in ("sigmoid", "softmax") if node.get(k) is True]
        for value in node.values():
            found += _activations(value)
    elif isinstance(node, list):
        for value in node:
            found += _activations(value)
    return found


def activation_of(config: Mapping[str, Any], options: BundleOptions, source: Path) -> str:
    """The option, else the one activation the bundle's ``postprocessing`` applies."""
    if options.activation:
        return check_activation(options.activation, "--model-opt activation")
    found = sorted(set(_activations(config.get("postprocessing"))))
    if len(found) == 1:
        return found[0]
    what = "no sigmoid or softmax" if not found else "both sigmoid and softmax"
    raise BenchError(f"{source}: the postprocessing names {what}; tell how the output is read with "
                     f"--model-opt activation=sigmoid (one region per channel) or softmax (one class per channel)")


def image_key_of(config: Mapping[str, Any], metadata: Metadata, options: BundleOptions) -> str:
    if options.image_key:
        return options.image_key
    key = config.get("image_key")
    if isinstance(key, str) and key and key[0] not in "$@%":
        return key
    return metadata.input_key or "image"


def read_bundle(params: Mapping[str, Any], options: BundleOptions) -> BundlePlan:
    """Every file checked and every channel named, before torch or MONAI is imported."""
    files = bundle_files(params, options)
    require(files)
    config = merged_config(files)
    metadata = read_metadata(files.metadata, options.image_key or None)
    if options.channels:
        channels = modalities_of(split_list(options.channels), "--model-opt channels", "")
    elif metadata.inputs is not None:
        channels = modalities_of(metadata.inputs, str(files.metadata),
                                 f"; give the order with --model-opt channels={','.join(MODALITIES)} (for example)")
    else:
        raise BenchError(f"{files.metadata}: network_data_format names no input channels; give their order "
                         f"with --model-opt channels=t1ce,t1,t2,flair (for example)")
    activation = activation_of(config, options, files.configs[-1])
    if options.outputs:
        names = [n if n.strip() else "-" for n in options.outputs.split(",")]
        outputs = output_map(names, activation, "--model-opt outputs", "")
    elif metadata.outputs is not None:
        outputs = output_map(metadata.outputs, activation, str(files.metadata),
                             "; name the channels with --model-opt outputs=TC,WT,ET (for example)")
    else:
        raise BenchError(f"{files.metadata}: network_data_format names no output channels; name them with "
                         f"--model-opt outputs=TC,WT,ET (for example)")
    return BundlePlan(files=files, metadata=metadata, config=config, channels=channels, outputs=outputs,
                      image_key=image_key_of(config, metadata, options), options=options)
