"""``tunet-ensemble``: the average (Eq. 1 of Vu et al.) of TuNet+SEB, TuNet+REB1+SEB, TuNet+REB2+SEB.

The runner loads each member with ``fold=None``, which averages every fold found in the model
store (the paper's 3 models x 5 folds); the members' means are then averaged again [A: members
weigh equally whatever their number of folds].
"""

from __future__ import annotations

from tumorbench.api import EnsembleSpec, hookimpl

MEMBERS: tuple[str, ...] = ("tunet-seb", "tunet-reb1-seb", "tunet-reb2-seb")


@hookimpl
def tumorbench_ensembles() -> list[EnsembleSpec]:
    return [
        EnsembleSpec(
            name="tunet-ensemble",
            summary="mean of tunet-seb, tunet-reb1-seb, tunet-reb2-seb over every stored fold (Vu et al. 2019)",
            members=MEMBERS,
            method="mean",
            all_folds=True,
        )
    ]
