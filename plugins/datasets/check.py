"""``bench data check``: detect a folder's layout and list every problem, one line each."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tumorbench.api import BenchError, absent_reason, get_convention, is_link_trouble

from .common import Layout, inspect_case
from .layouts import detect, every_layout, get_layout
from .plugin_layouts import SpecLayout

if TYPE_CHECKING:
    from tumorbench.api import Progress


@dataclass
class CheckReport:
    """What ``bench data check`` found: the layout, the counts and every problem (``file: cause``)."""

    root: Path
    layout: Layout | SpecLayout | None = None
    cases: int = 0
    labelled: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        out: list[str] = []
        if self.layout is not None:
            convention = get_convention(self.layout.convention)
            out.append(f"layout: {self.layout.describe()}")
            inference = "" if self.labelled == self.cases else f"; {self.cases - self.labelled} inference only"
            out.append(f"cases: {self.cases} ({self.labelled} with labels{inference})")
            out.append(f"label convention: {convention.name} ({convention.summary})")
        out.extend(self.problems)
        if self.problems:
            out.append(f"{len(self.problems)} problem(s) found")
        else:
            out.append(f"{self.cases} cases checked, no problems")
        return out


def dangling_links(root: Path, depth: int = 2) -> list[str]:
    """Symbolic links within ``depth`` levels of ``root`` that lead nowhere (loops, broken links).

    A layout skips what is not a folder or file, so a case folder that is a symlink loop would
    otherwise vanish from the count without a word.
    """
    out: list[str] = []
    level = [root]
    for _ in range(depth):
        following: list[Path] = []
        for folder in level:
            try:
                children = sorted(folder.iterdir())
            except OSError:
                continue
            for child in children:
                if is_link_trouble(child):
                    out.append(f"{child}: {absent_reason(child)}")
                elif child.is_dir() and not child.name.startswith("."):
                    following.append(child)
        level = following
    return out


def _looks_like(root: Path, named: Layout | SpecLayout) -> str:
    """``; the folder looks like brats18 (...) with 2 cases`` when another layout reads it."""
    found = detect(root)
    if found is None or found[0].name == named.name:
        return ""
    return f"; the folder looks like {found[0].describe()} with {found[1]} cases"


def check_folder(root: Path | str, dataset: str | None = None, progress: Progress | None = None) -> CheckReport:
    """Check ``root`` as ``dataset`` (detected when None: the layout that loads the most of its
    cases; a named one is always taken); never raises for bad data.

    ``progress`` (the runner's protocol) hears of each case; a case with problems counts as failed.
    """
    root = Path(root)
    report = CheckReport(root=root)
    if not root.is_dir():
        report.problems.append(f"{root}: {absent_reason(root, 'folder')}")
        return report
    if dataset is not None:  # a named layout always wins; detection only explains a folder it cannot read
        try:
            layout = get_layout(dataset)
        except BenchError as exc:
            report.problems.append(str(exc))
            return report
    else:
        found = detect(root)
        if found is None:
            report.problems.append(f"{root}: no known dataset layout found (tried {', '.join(every_layout())})")
            return report
        layout = found[0]
    report.layout = layout
    if isinstance(layout, SpecLayout):
        return _check_with_spec(report, layout, progress, named=dataset is not None)
    try:
        files = layout.scan(root)
    except BenchError as exc:
        report.problems.append(str(exc) + (_looks_like(root, layout) if dataset is not None else ""))
        return report
    report.problems.extend(layout.root_problems(root))
    report.problems.extend(dangling_links(root))
    convention = get_convention(layout.convention)
    report.cases = len(files)
    report.labelled = sum(1 for f in files.values() if f.label is not None)
    partly_labelled = 0 < report.labelled < report.cases
    if progress is not None:
        progress.start(len(files))
    try:
        for case_id, case_files in files.items():
            _, problems = inspect_case(case_files, convention, layout.name)
            if partly_labelled and case_files.label is None and case_files.expected_label is not None:
                problems.append(
                    f"{case_files.expected_label}: missing label map ({report.labelled} of {report.cases} cases have one)"
                )
            report.problems.extend(problems)
            if progress is not None:
                progress.advance(failed=bool(problems), skipped=False, description=case_id)
    finally:
        if progress is not None:
            progress.stop()
    report.problems = list(dict.fromkeys(report.problems))  # a link found by the scan and by loading
    return report


def _check_with_spec(report: CheckReport, layout: SpecLayout, progress: Progress | None, *, named: bool = False) -> CheckReport:
    """A plugin's layout: open it, load every case and read every image; each failure one line."""
    try:
        source = layout.open(report.root)
        ids = source.case_ids()
    except BenchError as exc:
        report.problems.append(str(exc) + (_looks_like(report.root, layout) if named else ""))
        return report
    report.cases = len(ids)
    if progress is not None:
        progress.start(len(ids))
    try:
        for case_id in ids:
            problem = None
            try:
                case = source.load(case_id)
                for modality in case.images:
                    case.images[modality]  # noqa: B018  (a lazily loaded image is read here)
                if case.label is not None:
                    case.convention.validate(case.label.data, str(case.label.path or case_id))
                    report.labelled += 1
            except BenchError as exc:
                problem = str(exc)
            except Exception as exc:  # a plugin's bug is reported as the case's problem, not a crash
                problem = f"{case_id}: {type(exc).__name__}: {exc}"
            if problem:
                report.problems.append(problem)
            if progress is not None:
                progress.advance(failed=problem is not None, skipped=False, description=case_id)
    finally:
        if progress is not None:
            progress.stop()
    return report
