"""The pages of a run folder, rendered from its results store: ``metrics.csv`` (every metric row
in long form) and ``leaderboard.md``. The runner only writes the store; the commands render these
once, after a run (or an experiment's whole matrix) ends, whether it finished or was cut short."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tumorbench.errors import DiskFullError, disk_full
from tumorbench.io.atomic import atomic_path, write_text_atomic
from tumorbench.loading.registry import Registry
from tumorbench.report.frames import collect
from tumorbench.report.leaderboard import render_leaderboard
from tumorbench.report.training_notes import eligibility_lines
from tumorbench.results.results_store import RESULTS_FILE, ResultsStore, open_store

CSV_COLUMNS = ["model", "dataset", "case", "metric_convention", "units", "region", "metric", "value", "status"]
PAGES = ("metrics.csv", "leaderboard.md")


def write_run_folder(
    out: Path, *, units: str = "mm", registry: Registry | None = None, head: Sequence[str] = (),
    reported: Sequence[Path] = (),
) -> str:
    """Write ``metrics.csv`` and ``leaderboard.md`` of the run folder ``out``; returns the page.

    ``head``: Markdown lines that replace the page's title (an experiment's name, profile and
    verdict); ``reported``: reported-rows CSV files shown under the tables. A full disk is
    reported as :class:`tumorbench.errors.DiskFullError`.
    """
    store = open_store(out, create=False)
    try:
        write_metrics_csv(store, Path(out) / "metrics.csv")
        text = render_leaderboard([store], units=units, registry=registry, reported=tuple(reported))
        if head:
            text = "\n".join(head) + (text.split("\n", 1)[1] if text.startswith("# ") else text)
        text += "\n".join(eligibility_lines([Path(out)]))
        write_text_atomic(Path(out) / "leaderboard.md", text)
        return text
    except OSError as exc:
        full = disk_full(exc, out)
        if full is None:
            raise
        raise full from exc
    finally:
        store.close()


@dataclass
class RenderedPage:
    """The page :func:`pages_rendered` wrote (its text is set when the block ends well)."""

    text: str = ""


@contextmanager
def pages_rendered(out: Path, **page_options) -> Iterator[RenderedPage]:  # noqa: ANN003 - write_run_folder's keywords
    """Render the run folder's pages once the block (a run, a re-scoring) ends, however it ends::

        with pages_rendered(options.out, units=options.units) as page:
            summary = run(options)
        print(page.text)

    A block that raises (Ctrl-C, a full disk, a bug) still leaves pages that say the run was cut
    short, or none (:func:`rewrite_or_remove`), and its error goes on."""
    page = RenderedPage()
    try:
        yield page
    except BaseException:
        rewrite_or_remove(out, **page_options)
        raise
    page.text = write_run_folder(out, **page_options)


def rewrite_or_remove(out: Path, **page_options) -> None:  # noqa: ANN003 - write_run_folder's keywords
    """After a run that did not end well: its pages rendered again where they can be (they say the
    run was cut short). Where the disk is full they are removed instead, so that no page of an
    earlier run stands for this one. Any other failure to render is left to the run's own error."""
    if not (Path(out) / RESULTS_FILE).is_file():
        return
    try:
        write_run_folder(out, **page_options)
    except DiskFullError:
        for name in PAGES:
            (Path(out) / name).unlink(missing_ok=True)
    except Exception:  # noqa: BLE001, S110 - the run's own error is the one to report
        pass


def write_metrics_csv(store: ResultsStore, path: Path) -> Path:
    """Every stored metric row in long form (atomic write), sorted so that reruns compare equal."""
    import pandas as pd

    frame = collect([store])
    if frame.empty:
        frame = pd.DataFrame(columns=CSV_COLUMNS)
    else:
        frame = frame.assign(status=frame.metric_status).rename(columns={"case_id": "case"})[CSV_COLUMNS]
        frame = frame.sort_values(CSV_COLUMNS[:7], kind="stable")
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False)
    return path
