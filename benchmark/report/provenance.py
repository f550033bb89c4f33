"""Where a table's numbers came from, and whether a published page still matches them.

- :func:`machine`: the CPU model, core count and GPU (if any) of this machine, recorded by runs.
- :func:`provenance_lines`: the Markdown list under a table (versions, conventions, units,
  commands, case lists, checkpoint hashes, machine), all text escaped.
- :func:`fingerprint`: one SHA-256 over what a results store holds (runs, predictions, metrics).
- :func:`write_manifest` / :func:`check_manifest`: a published folder's ``manifest.json``
  records its sources' fingerprints and every file's SHA-256; ``bench leaderboard --check``
  compares them with the stores and files as they are now.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tumorbench.report.escape import code, md


def machine_text(info: Mapping[str, Any] | None, fallback: str | None = None) -> str:
    if not info:
        return fallback or "not recorded"
    gpus = ", ".join(info.get("gpus") or []) or "no GPU"
    return f"{info.get('cpu')} ({info.get('cores')} cores), {gpus}; {info.get('os')}"


def _short(digest: str | None) -> str:
    return (digest or "none")[:12]


def checkpoint_hashes(identities: Iterable[Mapping[str, Any] | None]) -> list[str]:
    """``member: file sha256[:12]`` for every checkpoint named in the given model identities."""
    out: dict[str, None] = {}
    for identity in identities:
        for member, info in ((identity or {}).get("members") or {}).items():
            for path, digest in (info.get("checkpoints") or {}).items():
                out[f"{member}: {path} {_short(digest)}"] = None
    return list(out)


def _run_ids(ids: Sequence[int]) -> str:
    return ", ".join(f"#{i}" for i in ids)


def _role(run: Mapping[str, Any]) -> str:
    """What a run did for a table when it did not both predict and score its rows: `` (scored
    the stored predictions of run #1)``, `` (predicted; scored by run #2)``, or nothing."""
    scored_of, scored_by = run.get("scored_predictions_of") or (), run.get("predictions_scored_by") or ()
    parts = []
    if scored_of:
        parts.append(f"scored the stored predictions of run {_run_ids(scored_of)}")
    if scored_by:
        parts.append(f"its predictions scored by run {_run_ids(scored_by)}")
    return f" ({'; '.join(parts)})" if parts else ""


def provenance_lines(runs: Sequence[Mapping[str, Any]], *, dataset: str, convention: str, units: str,
                     checkpoints: Mapping[str, Sequence[str]]) -> list[str]:
    """The Markdown provenance list of one table: one item per contributing run (each run that
    predicted or scored its rows, with its command and plugin versions), then checkpoints."""
    lines = ["Provenance:", ""]
    for run in runs:
        p = run["provenance"]
        cases = (p.get("case_lists") or {}).get(dataset) or {}
        plugins = ", ".join(f"{k} {v}" for k, v in sorted((p.get("plugins") or {}).items()))
        lines.append(
            f"- run {md(run['folder'])} #{run['id']}{_role(run)}: tumorbench {md(p.get('tumorbench_version', '?'))}; "
            f"command {code(p.get('command') or 'unknown')}; label convention "
            f"{md((p.get('label_conventions') or {}).get(dataset, '?'))}; metric convention {md(convention)}; "
            f"distances in {md(units)}; case list {md(cases.get('n', '?'))} cases, sha256 {md(_short(cases.get('sha256')))}; "
            f"{md(run.get('done') or 0)} of {md(run.get('planned') or 0)} planned cases done"
            f"{' (interrupted)' if run.get('interrupted') else ''}; machine "
            f"{md(machine_text(p.get('machine'), p.get('platform')))}; device {md(p.get('device', '?'))}; plugins: {md(plugins)}"
            + "".join(f"; predictions of {md(m)} read as {md(c)} labels (--pred-convention)"
                      for m, c in sorted((p.get("prediction_conventions") or {}).items()))
        )
        lines += [f"- warning (run {md(run['folder'])} #{run['id']}): {md(note)}" for note in p.get("notes") or []]
    for row, items in checkpoints.items():
        if items:
            lines.append(f"- checkpoints of {md(row)}: " + "; ".join(md(i) for i in items))
    return [*lines, ""]
