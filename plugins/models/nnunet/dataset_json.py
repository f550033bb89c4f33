"""nnU-Net v2's ``dataset.json`` as tumorbench reads it: channels to modalities, labels to a label
convention. Pure Python (no torch, no nnunetv2): the raw dataset and the model share it.

``channel_names`` (``{"0": "T1", "1": "T1ce", ...}``) gives each input channel's MRI sequence;
each name is mapped to tumorbench's modality names (``flair``, ``t1``, ``t1ce``, ``t2``) by
:data:`CHANNEL_ALIASES`. ``labels`` is ``{name: value}`` for label-based training or ``{name:
[values]}`` for region-based training (with ``regions_class_order``); it is matched to an
installed label convention by its values and the meaning of its names (:func:`match_convention`),
or checked against one the user names. Anything that does not fit is one line naming the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tumorbench.api import BenchError, LabelConvention, Registry, get_convention, read_json_object

MODALITIES: tuple[str, ...] = ("flair", "t1", "t1ce", "t2")
"""The modality names every tumorbench model reads."""

CHANNEL_ALIASES: Mapping[str, str] = {
    "flair": "flair", "t2flair": "flair", "t2f": "flair", "t2wflair": "flair",
    "t1": "t1", "t1w": "t1", "t1n": "t1", "t1native": "t1", "t1pre": "t1", "t1precontrast": "t1",
    "t1ce": "t1ce", "t1c": "t1ce", "t1gd": "t1ce", "t1gad": "t1ce", "t1wce": "t1ce", "t1post": "t1ce",
    "t1postcontrast": "t1ce", "t1contrast": "t1ce", "t1km": "t1ce",
    "t2": "t2", "t2w": "t2",
}
"""Channel names (lower case, letters and digits only) -> modality. nnU-Net's own BraTS datasets
name them ``T1, T1ce, T2, Flair`` (Dataset137) and ``T1, T1C, T2W, T2F`` (Dataset226); the
Decathlon's ``FLAIR, T1w, t1gd, T2w``; BraTS 2023 files ``t1n, t1c, t2w, t2f``."""

NIFTI_ENDINGS: tuple[str, ...] = (".nii.gz", ".nii")

# meanings of label names: a name may carry several (``non_enhancing_and_necrosis``)
_MEANINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("background", ("background", "bg")),
    ("cavity", ("cavity", "resection", "rc")),
    ("core", ("nonenhanc", "necrosis", "necrotic", "necro", "ncr", "net", "netc", "ncrnet")),
    ("edema", ("edema", "oedema", "snfh", "ed", "peritumoral", "hyperintensity")),
    ("enhancing", ("enhancing", "enhance", "et", "enh")),
    ("cyst", ("cyst", "cystic", "cc")),
    ("gtv", ("gtv", "gross")),
)


@dataclass(frozen=True)
class LabelSpec:
    """``labels`` of a dataset.json.

    ``values`` maps every label value (0 included) to the names that use it; ``regions`` is None
    for label-based training, else each foreground region's values in the file's order (the order
    of a region-based network's outputs); ``class_order`` is ``regions_class_order``.
    """

    values: Mapping[int, tuple[str, ...]]
    regions: tuple[tuple[str, tuple[int, ...]], ...] | None = None
    class_order: tuple[int, ...] | None = None
    ignore: int | None = None

    @property
    def region_based(self) -> bool:
        return self.regions is not None


@dataclass(frozen=True)
class DatasetJson:
    """What tumorbench uses of a dataset.json: ``path``, the modality of each channel (in channel
    order), the labels, the file ending and the optional explicit ``dataset`` file list."""

    path: Path
    channels: tuple[str, ...]
    labels: LabelSpec
    file_ending: str
    files: Mapping[str, Any] | None = None


def _word(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


def channel_modalities(names: Any, path: Path) -> tuple[str, ...]:
    """The modality of each channel of ``channel_names`` (keys ``"0"``..``"n-1"``), in order."""
    if not isinstance(names, Mapping) or not names:
        raise BenchError(f"{path}: 'channel_names' must be an object such as {{\"0\": \"T1\", \"1\": \"T1ce\"}}")
    try:
        keys = sorted(int(k) for k in names)
    except (TypeError, ValueError):
        raise BenchError(f"{path}: 'channel_names' keys must be channel numbers (\"0\", \"1\", ...)") from None
    if keys != list(range(len(keys))):
        raise BenchError(f"{path}: 'channel_names' keys must be 0..{len(keys) - 1}, found {keys}")
    out: list[str] = []
    for k in keys:
        name = names.get(str(k), names.get(k))  # type: ignore[call-overload]
        modality = CHANNEL_ALIASES.get(_word(name))
        if modality is None:
            raise BenchError(
                f"{path}: channel {k} {name!r} is not an MRI sequence tumorbench knows "
                f"(flair, t1, t1ce, t2; e.g. FLAIR, T1, T1ce, T2, T1C, T1Gd, T2W, T2F)"
            )
        if modality in out:
            raise BenchError(f"{path}: channels {out.index(modality)} and {k} are both {modality} ({name!r})")
        out.append(modality)
    return tuple(out)


def _as_values(name: str, value: Any, path: Path) -> tuple[int, ...]:
    items = value if isinstance(value, list | tuple) else [value]
    if not items or any(isinstance(v, bool) or not isinstance(v, int | float) or int(v) != v or v < 0 for v in items):
        raise BenchError(f"{path}: label {name!r} must be a non-negative integer or a list of them, found {value!r}")
    return tuple(int(v) for v in items)


def label_spec(index: Mapping[str, Any], path: Path) -> LabelSpec:
    """The ``labels`` (and ``regions_class_order``) of a dataset.json, checked."""
    labels = index.get("labels")
    if not isinstance(labels, Mapping) or not labels:
        raise BenchError(f"{path}: 'labels' must be an object such as {{\"background\": 0, \"edema\": 1}}")
    if "background" not in labels or _as_values("background", labels["background"], path) != (0,):
        raise BenchError(f"{path}: 'labels' must declare \"background\": 0")
    ignore = labels.get("ignore")
    parsed = {str(k): _as_values(str(k), v, path) for k, v in labels.items() if k != "ignore"}
    region_based = any(len(v) > 1 for v in parsed.values())
    values: dict[int, list[str]] = {}
    for name, vals in parsed.items():
        for v in vals:
            values.setdefault(v, []).append(name)
    regions = None
    order = None
    if region_based:
        regions = tuple((name, vals) for name, vals in parsed.items() if vals != (0,))
        raw_order = index.get("regions_class_order")
        if not isinstance(raw_order, list) or len(raw_order) != len(regions):
            raise BenchError(f"{path}: region-based 'labels' need 'regions_class_order' with one label per region "
                             f"({len(regions)})")
        order = _as_values("regions_class_order", raw_order, path)
    ignore_value = _as_values("ignore", ignore, path)[0] if ignore is not None else None
    return LabelSpec({v: tuple(n) for v, n in sorted(values.items())}, regions, order, ignore_value)


def read_dataset_json(path: Path) -> DatasetJson:
    """``dataset.json`` of an nnU-Net raw dataset or results folder, checked (one line naming it)."""
    path = Path(path)
    if not path.is_file():
        raise BenchError(f"{path}: file not found (an nnU-Net v2 dataset or results folder carries a dataset.json)")
    index = read_json_object(path)
    if "channel_names" not in index:
        hint = " (an nnU-Net v1 / Decathlon file: 'modality'; use --dataset msd-brain)" if "modality" in index else ""
        raise BenchError(f"{path}: no 'channel_names'{hint}")
    channels = channel_modalities(index["channel_names"], path)
    ending = index.get("file_ending", ".nii.gz")
    if not isinstance(ending, str) or ending not in NIFTI_ENDINGS:
        raise BenchError(f"{path}: file_ending {ending!r} is not NIfTI (tumorbench reads .nii.gz and .nii)")
    files = index.get("dataset")
    if files is not None and not isinstance(files, Mapping):
        raise BenchError(f"{path}: 'dataset' must be an object of case -> {{images, label}}")
    return DatasetJson(path, channels, label_spec(index, path), ending, files)


# ------------------------------------------------------------------ labels -> convention
def meanings(name: str) -> frozenset[str]:
    """What a label's name says it is (``edema``, ``core``, ``enhancing``, ``cavity``, ``background``)."""
    text = re.sub(r"non[\s_-]*enhanc", "nonenhanc", str(name).lower())
    words = set(re.findall(r"[a-z0-9]+", text))
    joined = _word(text)
    found = set()
    for meaning, keys in _MEANINGS:
        if any(k in words or (len(k) > 4 and k in joined) for k in keys):
            found.add(meaning)
    if "nonenhanc" in joined:
        found.discard("enhancing")  # "non-enhancing" is core, not enhancing
    return frozenset(found)


def installed_conventions() -> list[LabelConvention]:
    return list(Registry().label_conventions.specs())


def _label_fit(spec: LabelSpec, convention: LabelConvention) -> bool:
    """Label-based: the same values, each meaning what the convention's value means."""
    if set(spec.values) != set(convention.labels):
        return False
    for value, names in spec.values.items():
        if value == 0:
            continue
        ours = frozenset().union(*(meanings(n) for n in names))
        theirs = meanings(convention.labels[value])
        if not ours or not ours & theirs:
            return False
    return True


def region_map(spec: LabelSpec, convention: LabelConvention) -> dict[str, int]:
    """Region-based: convention region -> index of the network output that is that region."""
    wanted = {frozenset(v): r for r, v in convention.regions.items()}
    return {wanted[frozenset(vals)]: i for i, (_, vals) in enumerate(spec.regions or ()) if frozenset(vals) in wanted}


def _region_fit(spec: LabelSpec, convention: LabelConvention) -> bool:
    """Region-based: every value known, every region one of the convention's."""
    if not set(spec.values) <= set(convention.labels):
        return False
    return len(region_map(spec, convention)) == len(spec.regions or ())


def fits(spec: LabelSpec, convention: LabelConvention) -> bool:
    return _region_fit(spec, convention) if spec.region_based else _label_fit(spec, convention)


def _scheme(convention: LabelConvention) -> tuple:
    """What reading a label map depends on: the label values and the regions they make."""
    return tuple(sorted(convention.labels)), tuple(sorted((r, tuple(sorted(v))) for r, v in convention.regions.items()))


def _describe(spec: LabelSpec) -> str:
    if spec.region_based:
        return ", ".join(f"{n} {list(v)}" for n, v in spec.regions or ())
    return ", ".join(f"{v} {'/'.join(n)}" for v, n in spec.values.items() if v)


def match_convention(
    spec: LabelSpec, path: Path, name: str | None = None, conventions: Iterable[LabelConvention] | None = None,
    flag: str = "--dataset-opt",
) -> LabelConvention:
    """The installed convention ``spec`` fits, or the one ``name``d (its values checked); ``flag``
    is the option the messages tell the user to name one with.

    Of several that fit, those using no label value the dataset lacks are preferred; when those
    left share one scheme (label values and regions: brats-2023 and the 2024 MET, SSA and MEN
    conventions), the first installed is taken.

    Raises:
        BenchError: one line naming ``path``: values the named convention lacks, no convention
            that fits, or several that do.
    """
    if name:
        convention = get_convention(name)
        unknown = sorted(set(spec.values) - set(convention.labels))
        if unknown:
            known = ",".join(str(v) for v in sorted(convention.labels))
            raise BenchError(f"{path}: labels use value(s) {unknown} that label convention {convention.name} "
                             f"lacks (knows {known})")
        if spec.region_based and not _region_fit(spec, convention):
            raise BenchError(f"{path}: regions ({_describe(spec)}) are not regions of label convention "
                             f"{convention.name} ({', '.join(f'{r} {list(v)}' for r, v in convention.regions.items())})")
        return convention
    candidates = list(conventions) if conventions is not None else installed_conventions()
    found = [c for c in candidates if fits(spec, c)]
    found = [c for c in found if set(c.labels) == set(spec.values)] or found  # no unused label values first
    if len({_scheme(c) for c in found}) == 1:  # one scheme, maybe under several names: the first installed
        return found[0]
    names = ", ".join(c.name for c in candidates)
    if not found:
        raise BenchError(f"{path}: labels ({_describe(spec)}) fit no installed label convention ({names}); "
                         f"name one with {flag} label_convention=NAME")
    raise BenchError(f"{path}: labels ({_describe(spec)}) fit several label conventions "
                     f"({', '.join(c.name for c in found)}); name one with {flag} label_convention=NAME")
