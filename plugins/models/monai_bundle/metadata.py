"""``configs/metadata.json`` of a bundle: its name and version, and the ``channel_def`` of its
input and output (``network_data_format``), read into channel lists. Pure Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tumorbench.api import BenchError, read_json_object


@dataclass(frozen=True)
class Metadata:
    """What tumorbench reads from ``metadata.json``.

    ``inputs`` / ``outputs``: the channel names of the input and output, in channel order (None
    when the file does not give them); ``input_key``: the name of the input in
    ``network_data_format`` (``image``).
    """

    path: Path
    name: str
    version: str
    monai_version: str
    inputs: tuple[str, ...] | None
    outputs: tuple[str, ...] | None
    input_key: str | None


def _section(fmt: Mapping[str, Any], side: str, key: str | None, path: Path) -> tuple[str | None, Mapping[str, Any] | None]:
    """The one entry of ``network_data_format.<side>`` (or the one called ``key``)."""
    entries = fmt.get(side)
    if entries is None:
        return None, None
    if not isinstance(entries, Mapping) or not all(isinstance(v, Mapping) for v in entries.values()):
        raise BenchError(f"{path}: network_data_format.{side} is not an object of objects")
    if key and key in entries:
        return key, entries[key]
    if len(entries) == 1:
        only = next(iter(entries))
        return only, entries[only]
    if not entries:
        return None, None
    raise BenchError(f"{path}: network_data_format.{side} has {len(entries)} entries ({', '.join(entries)}); "
                     f"tumorbench reads bundles with one (name it with --model-opt image_key=...)")


def _channel_names(entry: Mapping[str, Any] | None, where: str, path: Path) -> tuple[str, ...] | None:
    """``channel_def`` {"0": "T1c", ...} in channel order; None when absent."""
    if entry is None or "channel_def" not in entry:
        return None
    channels = entry["channel_def"]
    if not isinstance(channels, Mapping) or not all(isinstance(v, str) for v in channels.values()):
        raise BenchError(f"{path}: {where}.channel_def is not an object of channel names")
    try:
        order = sorted((int(k), v) for k, v in channels.items())
    except ValueError:
        raise BenchError(f"{path}: {where}.channel_def has a key that is not a channel number") from None
    if [i for i, _ in order] != list(range(len(order))):
        raise BenchError(f"{path}: {where}.channel_def numbers its channels {[i for i, _ in order]}, not 0..{len(order) - 1}")
    count = entry.get("num_channels")
    if isinstance(count, int) and not isinstance(count, bool) and count != len(order):
        raise BenchError(f"{path}: {where}.num_channels is {count} but channel_def names {len(order)} channels")
    return tuple(v for _, v in order)


def read_metadata(path: Path, image_key: str | None = None) -> Metadata:
    """``metadata.json`` read and checked; a malformed field is one line naming the file."""
    data = read_json_object(path)
    fmt = data.get("network_data_format", {})
    if not isinstance(fmt, Mapping):
        raise BenchError(f"{path}: network_data_format is not an object")
    input_key, inputs = _section(fmt, "inputs", image_key, path)
    output_key, outputs = _section(fmt, "outputs", None, path)
    return Metadata(
        path=path,
        name=str(data.get("name", "")),
        version=str(data.get("version", "")),
        monai_version=str(data.get("monai_version", "")),
        inputs=_channel_names(inputs, f"network_data_format.inputs.{input_key}", path),
        outputs=_channel_names(outputs, f"network_data_format.outputs.{output_key}", path),
        input_key=input_key,
    )
