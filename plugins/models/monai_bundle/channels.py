"""Names of input and output channels, as bundles write them, mapped to tumorbench's words.

Input channels are modalities (``T1c`` -> ``t1ce``); output channels are regions (``Tumor core``
-> ``TC``) for a sigmoid output, or tissue classes (``Edema``) for a softmax output. A class
stands for the regions it lies in: necrosis in WT and TC, edema in WT, enhancing tumour in all
three. Pure Python.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tumorbench.api import BenchError

REGIONS: tuple[str, ...] = ("WT", "TC", "ET")
"""The BraTS regions a bundle's outputs may stand for (its metadata names them)."""

MODALITIES: tuple[str, ...] = ("flair", "t1", "t1ce", "t2")

_MODALITY_WORDS: Mapping[str, tuple[str, ...]] = {
    "flair": ("flair", "t2flair", "t2f", "fluidattenuatedinversionrecovery"),
    "t1": ("t1", "t1w", "t1n", "t1native", "nativet1", "t1pre", "t1precontrast"),
    "t1ce": ("t1ce", "t1c", "t1gd", "t1+c", "t1+gd", "t1wce", "t1contrast", "t1postcontrast", "t1post", "t1wgd"),
    "t2": ("t2", "t2w"),
}

# output channel meanings: a region, a tissue class, or the background (skipped)
_OUTPUT_WORDS: Mapping[str, tuple[str, ...]] = {
    "WT": ("wt", "wholetumor", "wholetumour", "whole", "completetumor", "completetumour", "tumor", "tumour"),
    "TC": ("tc", "tumorcore", "tumourcore", "core"),
    "ET": ("et", "enhancingtumor", "enhancingtumour", "enhancing", "gdenhancingtumor", "gdenhancingtumour"),
    "NCR": ("ncr", "net", "ncrnet", "necrosis", "necrotic", "necroticcore", "necrotictumorcore",
            "necrotictumourcore", "nonenhancing", "nonenhancingtumor", "nonenhancingtumour",
            "necroticandnonenhancingtumorcore", "necroticnonenhancingtumorcore"),
    "ED": ("ed", "edema", "oedema", "peritumoraledema", "peritumoraloedema", "snfh",
           "surroundingnonenhancingflairhyperintensity"),
    "BG": ("background", "bg", "-", "none", "ignore"),
}

CLASS_REGIONS: Mapping[str, frozenset[str]] = {
    "WT": frozenset({"WT"}),
    "TC": frozenset({"WT", "TC"}),
    "ET": frozenset({"WT", "TC", "ET"}),
    "NCR": frozenset({"WT", "TC"}),
    "ED": frozenset({"WT"}),
    "BG": frozenset(),
}
"""The regions a voxel of each class belongs to (a softmax channel adds to each of them)."""


def _key(name: str) -> str:
    text = str(name).strip().lower()
    return text if text == "-" else re.sub(r"[\s_\-/().,]+", "", text)


def _lookup(table: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    return {word: meaning for meaning, words in table.items() for word in words}


_MODALITY = _lookup(_MODALITY_WORDS)
_OUTPUT = _lookup(_OUTPUT_WORDS)


def modality(name: str) -> str | None:
    """``T1c`` -> ``t1ce``; None for a name that is not one of :data:`MODALITIES`."""
    return _MODALITY.get(_key(name))


def meaning(name: str) -> str | None:
    """``Tumor core`` -> ``TC``, ``Edema`` -> ``ED``, ``background`` -> ``BG``; None if unknown."""
    return _OUTPUT.get(_key(name))


def modalities_of(names: Sequence[str], source: str, hint: str) -> tuple[str, ...]:
    """Input channel names as modalities, in order; an unknown or repeated one is one line."""
    out: list[str] = []
    for i, name in enumerate(names):
        found = modality(name)
        if found is None:
            raise BenchError(f"{source}: input channel {i} is {name!r}, not a modality tumorbench reads "
                             f"({', '.join(MODALITIES)}){hint}")
        if found in out:
            raise BenchError(f"{source}: input channels {out.index(found)} and {i} are both {found}")
        out.append(found)
    if not out:
        raise BenchError(f"{source}: no input channels{hint}")
    return tuple(out)


@dataclass(frozen=True)
class OutputMap:
    """What each output channel of the network is, and how regions are read from them.

    ``meanings[i]`` is a region (``WT``, ``TC``, ``ET``), a class (``NCR``, ``ED``) or ``BG``;
    with ``softmax`` a region's probability is the sum of the channels whose class lies in it,
    with ``sigmoid`` it is its own channel.
    """

    meanings: tuple[str, ...]
    activation: str

    @property
    def regions(self) -> tuple[str, ...]:
        if self.activation == "sigmoid":
            found = set(self.meanings)
        else:
            found = set().union(*(CLASS_REGIONS[m] for m in self.meanings))
        return tuple(r for r in REGIONS if r in found)

    def channels_of(self, region: str) -> tuple[int, ...]:
        """The output channels a region's probability is made of."""
        if self.activation == "sigmoid":
            return tuple(i for i, m in enumerate(self.meanings) if m == region)
        return tuple(i for i, m in enumerate(self.meanings) if region in CLASS_REGIONS[m])


def output_map(names: Sequence[str], activation: str, source: str, hint: str) -> OutputMap:
    """Output channel names read as regions (sigmoid) or classes (softmax); one line if they cannot be."""
    meanings: list[str] = []
    for i, name in enumerate(names):
        found = meaning(name)
        if found is None:
            raise BenchError(f"{source}: output channel {i} is {name!r}, which tumorbench cannot read as a "
                             f"region (WT, TC, ET), a class (necrosis, edema, enhancing) or background{hint}")
        if activation == "sigmoid" and found in ("NCR", "ED"):
            raise BenchError(f"{source}: output channel {i} is {name!r}, a tissue class, but a sigmoid output "
                             f"gives one region (WT, TC, ET) per channel; use activation=softmax for classes")
        if found != "BG" and found in meanings:
            raise BenchError(f"{source}: output channels {meanings.index(found)} and {i} are both {found}")
        meanings.append(found)
    mapping = OutputMap(tuple(meanings), activation)
    if not mapping.regions:
        raise BenchError(f"{source}: no output channel is a tumour region or class{hint}")
    return mapping
