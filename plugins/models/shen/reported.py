"""The numbers the paper reports ("reported, not measured here"), shown beside measured rows."""

from __future__ import annotations

from pathlib import Path

from tumorbench.api import ReportedSpec, hookimpl

CSV = Path(__file__).resolve().with_name("shen-anderson-2017.csv")


@hookimpl
def tumorbench_reported_results() -> list[ReportedSpec]:
    return [ReportedSpec(name="shen-anderson-2017", summary="Shen & Anderson 2017: the reported BraTS 2017 and Rembrandt results (Tables 1 and 2)", path=CSV)]
