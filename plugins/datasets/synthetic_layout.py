"""The folder layout of the synthetic phantoms (``HGG/Synth_000_1/Synth_000_1_{flair,...,seg}``), apart
from their generator so that the layout table needs no generator to list it."""

from __future__ import annotations

from .brats import BratsLayout, BratsScheme

LEGACY_LAYOUT = BratsLayout(
    BratsScheme(
        name="synthetic",
        summary="tumorbench synthetic phantoms (HGG/Synth_000_1/Synth_000_1_{flair,t1,t1ce,t2,seg})",
        convention="brats-2017",
        id_pattern=r"Synth_\d{3}_1",
        example="Synth_000_1",
    )
)
