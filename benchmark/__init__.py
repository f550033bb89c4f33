"""tumorbench: a plugin-based evaluation harness for glioma segmentation in multimodal MRI."""

from __future__ import annotations

__version__ = "0.1.0"

from tumorbench.contract.hookspecs import hookimpl  # noqa: E402  (re-exported for plugin authors)

__all__ = ["__version__", "hookimpl"]
