"""The seed papers' splits, as the papers state them: by their sizes, not their members [P]."""

from __future__ import annotations

from collections.abc import Mapping

from tumorbench.api import PaperSplit

PAPER_SPLITS: Mapping[str, PaperSplit] = {
    s.name: s
    for s in (
        PaperSplit(
            name="shen2017-brats",
            summary="Shen & Anderson 2017: 178 training / 44 evaluation BraTS 2017 cases [P]",
            train=178,
            evaluation=44,
        ),
        PaperSplit(
            name="shen2017-rembrandt",
            summary="Shen & Anderson 2017: 46 training / 10 validation Rembrandt cases (of 57) [P]",
            train=46,
            evaluation=10,
        ),
        PaperSplit(
            name="vu2019-brats19",
            summary="Vu et al. 2019: five-fold cross-validation on the 335 BraTS 2019 training cases [P]",
            folds=5,
        ),
    )
}
