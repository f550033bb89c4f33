"""The numbers the paper reports ("reported, not measured here"), shown beside measured rows."""

from __future__ import annotations

from pathlib import Path

from tumorbench.api import ReportedSpec, hookimpl

CSV = Path(__file__).resolve().with_name("vu-2019.csv")


@hookimpl
def tumorbench_reported_results() -> list[ReportedSpec]:
    return [ReportedSpec(name="vu-2019", summary="Vu et al. 2019: the reported TuNet results (Tables 1-3)", path=CSV)]
