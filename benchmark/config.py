"""Where data and models live: command line, then environment, then a TOML config file.

Config file (first found): ``$TUMORBENCH_CONFIG``, ``./tumorbench.toml``,
``~/.config/tumorbench/config.toml``::

    store = "/data/tumorbench-models"

    [data_roots]
    brats18 = "/data/MICCAI_BraTS_2018_Data_Training"
    brats19 = "/data/MICCAI_BraTS_2019_Data_Training"

Environment: ``TUMORBENCH_DATA_ROOT`` (a path for every dataset, or ``name=path,name=path``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tumorbench.errors import BenchError

CONFIG_ENV = "TUMORBENCH_CONFIG"
DATA_ROOT_ENV = "TUMORBENCH_DATA_ROOT"


def config_path() -> Path | None:
    candidates = [os.environ.get(CONFIG_ENV), "tumorbench.toml", Path.home() / ".config" / "tumorbench" / "config.toml"]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def load_config() -> dict[str, Any]:
    path = config_path()
    if path is None:
        return {}
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except Exception as exc:
        raise BenchError(f"{path}: invalid TOML ({exc})") from exc


def parse_pairs(values: Sequence[str], what: str) -> dict[str, str]:
    """``["a=1", "b=2"]`` -> ``{"a": "1", "b": "2"}``; a value without ``=`` is an error."""
    out: dict[str, str] = {}
    for value in values:
        key, sep, rest = value.partition("=")
        if not sep or not key:
            raise BenchError(f"{what}: expected key=value, got {value!r}")
        out[key.strip()] = rest.strip()
    return out


def split_roots(values: Sequence[str]) -> tuple[str | None, dict[str, str]]:
    """A bare path applies to every dataset; ``name=path`` to one."""
    default: str | None = None
    named: dict[str, str] = {}
    for value in values:
        key, sep, rest = value.partition("=")
        if sep and key and "/" not in key and os.sep not in key:
            named[key] = rest
        else:
            default = value
    return default, named


def data_root(dataset: str, cli_values: Sequence[str] = (), config: Mapping[str, Any] | None = None) -> Path | None:
    """The data root for ``dataset``: ``--data-root``, then the environment, then the config file."""
    default, named = split_roots(cli_values)
    if dataset in named:
        return Path(named[dataset])
    if default:
        return Path(default)
    env = os.environ.get(DATA_ROOT_ENV, "")
    if env:
        env_default, env_named = split_roots([v for v in env.split(",") if v])
        if dataset in env_named:
            return Path(env_named[dataset])
        if env_default:
            return Path(env_default)
    config = load_config() if config is None else config
    roots = config.get("data_roots", {})
    if dataset in roots:
        return Path(roots[dataset])
    return None


def model_store(cli_value: Path | None, config: Mapping[str, Any] | None = None) -> Path:
    """``--store``, then ``$TUMORBENCH_STORE``, then the config's ``store``, then ``./models``."""
    if cli_value is not None:
        return Path(cli_value)
    if os.environ.get("TUMORBENCH_STORE"):
        return Path(os.environ["TUMORBENCH_STORE"])
    config = load_config() if config is None else config
    return Path(config.get("store", "models"))
