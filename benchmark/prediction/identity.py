"""A model's identity as a prediction record keeps it: which plugins, options and checkpoint files.

Two predictions of the same case are interchangeable only when their identities hash alike; a
retrained checkpoint, another option or another plugin version makes a stored prediction stale.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from tumorbench.contract.values import ModelContext
from tumorbench.loading.registry import Registry
from tumorbench.prediction.postprocess import postprocessor_name
from tumorbench.prediction.references import ModelRef, member_params

IGNORED_SUFFIXES = (".log", ".tmp")


def store_files(store: Path, model: str, dataset: str, fold: int | None) -> list[Path]:
    """Every file of a model in the model store (``<store>/<model>/<dataset>/[fold-<k>/]``),
    hidden, log and temporary files excepted."""
    base = Path(store) / model / dataset
    if fold is not None:
        base = base / f"fold-{fold}"
    if not base.is_dir():
        return []
    return sorted(
        p
        for p in base.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(base).parts) and p.suffix not in IGNORED_SUFFIXES
    )


def model_identity(
    registry: Registry,
    ref: ModelRef,
    base: ModelContext,
    model_params: Mapping[str, str],
    postprocess: Sequence[str],
    file_hash: Callable[[Path], str | None],
) -> dict[str, Any]:
    """Plugin packages and versions, options and checkpoint SHA-256 of every member, post-processors.

    An option or argument that names an existing file or folder is recorded as its resolved path,
    never as the text typed (``folder:preds`` run from two working directories is two models). A
    member of an ensemble named with such an argument and declaring no checkpoints (a folder of
    predictions) also records the SHA-256 of the files there: its files are what it predicts from,
    and an ensemble's own prediction is written by the run, so a changed member file is noticed here.
    """
    fold = None if ref.all_folds else base.fold
    members: dict[str, Any] = {}
    for part in ref.parts():
        spec = registry.models.get(part.plugin)
        provider = registry.provider("model", part.plugin)
        params = member_params(model_params, part.plugin)
        if part.arg is not None:
            params["arg"] = part.arg
        context = replace(base, params=params, fold=fold, model=part.plugin)
        files = list(spec.checkpoints(context)) if spec.checkpoints else store_files(base.store, part.plugin, base.dataset, fold)
        if ref.method is not None and spec.checkpoints is None and part.arg is not None:
            files += _files_at(part.arg)
        root = Path(base.store)
        members[part.key] = {
            "package": f"{provider.distribution} {provider.version}",
            "options": {k: _resolved(v) for k, v in sorted(params.items())},
            "checkpoints": {_shown(p, root): file_hash(p) for p in files},
        }
    post = {}
    for text in postprocess:
        provider = registry.provider("postprocessor", postprocessor_name(text))
        post[text] = f"{provider.distribution} {provider.version}"
    return {"model": ref.result_name, "method": ref.method, "fold": fold, "members": members, "postprocess": post}


def _resolved(value: Any) -> Any:
    """An option value as the identity keeps it: a path that exists, resolved; anything else as given."""
    if isinstance(value, str) and value:
        try:
            path = Path(value)
            if path.exists():
                return str(path.resolve())
        except (OSError, ValueError):
            pass
    return value


def _files_at(value: str) -> list[Path]:
    """The files a path argument names: the file, or every file below the folder (hidden ones aside)."""
    path = Path(value)
    if path.is_file():
        return [path.resolve()]
    if path.is_dir():
        return sorted(p.resolve() for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
    return []


def _shown(path: Path, root: Path) -> str:
    try:
        return str(Path(path).relative_to(root))
    except ValueError:
        return str(path)
