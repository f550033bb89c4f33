"""A Markdown page under construction with the CSV and PNG files that sit beside it.

Every table cell is escaped (:func:`~tumorbench.report.escape.md`); every table can get a CSV
file of its unescaped cells, linked from the page by relative path; pictures are linked the
same way. Files are written only by :func:`publish`, only inside its folder.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tumorbench.report.escape import inside, md, safe_stem


def fmt_value(value: float | None) -> str:
    """A value as shown in cells: 3 decimals, 1 from 100 up, ``-`` when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if abs(value) >= 100:
        return f"{value:.1f}"
    return f"{value:.3f}"


def fmt_p(value: float) -> str:
    """A p-value as shown in cells."""
    if value != value:
        return "-"
    return "<0.001" if value < 0.001 else f"{value:.3f}"


@dataclass
class Page:
    """One page: its file stem, its Markdown lines and its files (name -> bytes)."""

    stem: str
    lines: list[str] = field(default_factory=list)
    assets: dict[str, bytes] = field(default_factory=dict)
    with_files: bool = False

    @property
    def text(self) -> str:
        return "\n".join(self.lines).rstrip("\n") + "\n"

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def _name(self, label: str, suffix: str) -> str:
        base = f"{self.stem}-{safe_stem(label)}"
        name, n = f"{base}{suffix}", 2
        while name in self.assets:
            name, n = f"{base}-{n}{suffix}", n + 1
        return name

    def table(self, header: Sequence[object], rows: Sequence[Sequence[object]], *, csv_name: str | None = None) -> None:
        """A GitHub table of escaped cells, and (with files) a CSV of the raw cells linked below it."""
        from tabulate import tabulate

        cells = [[md(c) for c in row] for row in rows]
        self.add(tabulate(cells, headers=[md(h) for h in header], tablefmt="github", disable_numparse=True), "")
        if self.with_files and csv_name:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow([str(h) for h in header])
            writer.writerows([["" if c is None else str(c) for c in row] for row in rows])
            name = self._name(csv_name, ".csv")
            self.assets[name] = buffer.getvalue().encode("utf-8")
            self.add(f"Table as CSV: [{md(name)}]({name})", "")

    def picture(self, label: str, picture, alt: str) -> str:  # noqa: ANN001 - a plots.Picture, or PNG bytes
        """The PNG shown on the page, with its SVG (a figure for a paper) linked beside it."""
        name = self._name(label, ".png")
        if isinstance(picture, bytes):
            self.assets[name] = picture
            self.add(f"![{md(alt)}]({name})", "")
            return name
        svg = name[: -len(".png")] + ".svg"
        self.assets[name], self.assets[svg] = picture.png, picture.svg
        self.add(f"![{md(alt)}]({name})", f"Vector version: [{md(svg)}]({svg})", "")
        return name


def unique_stems(names: Sequence[str]) -> dict[str, str]:
    """A distinct safe file stem for each name (``a/b`` and ``a_b`` do not share a file)."""
    out: dict[str, str] = {}
    used: set[str] = {"index", "manifest"}
    for name in names:
        stem, n = safe_stem(name), 2
        while stem in used:
            stem, n = f"{safe_stem(name)}-{n}", n + 1
        used.add(stem)
        out[name] = stem
    return out


def publish(pages: Sequence[Page], directory: Path) -> list[Path]:
    """Write every page as ``<stem>.md`` and its files beside it, all inside ``directory``."""
    from tumorbench.io.atomic import atomic_path, write_text_atomic

    targets = []
    for page in pages:
        targets.append((inside(directory, f"{page.stem}.md"), page.text.encode("utf-8")))
        targets += [(inside(directory, name), data) for name, data in page.assets.items()]
    Path(directory).mkdir(parents=True, exist_ok=True)
    written = []
    for path, data in targets:
        if path.suffix == ".md":
            written.append(write_text_atomic(path, data.decode("utf-8")))
        else:
            with atomic_path(path) as tmp:
                Path(tmp).write_bytes(data)
            written.append(path)
    return written
