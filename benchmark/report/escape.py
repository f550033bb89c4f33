"""Text from results (model names, case ids, reasons) made safe for Markdown, and file names
made safe for a publishing folder.

A results store is data, not markup: a model called ``a | 9.999 | <img ...>`` must show as that
text in one table cell, and a case id holding a newline must not start a heading.
"""

from __future__ import annotations

import re
from pathlib import Path

from tumorbench.errors import BenchError
from tumorbench.io.paths import safe_file_stem

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]|#!~])")


def md(value: object) -> str:
    """``value`` as literal inline Markdown text: one line, no HTML, no table-cell breaks.

    Newlines and other control characters become spaces; ``&``, ``<`` and ``>`` become HTML
    entities; backslash, backtick, ``|``, ``*``, ``_``, brackets, ``#``, ``!`` and ``~`` are
    backslash-escaped.
    """
    text = "" if value is None else str(value)
    text = "".join(" " if (ord(c) < 32 or ord(c) == 127 or c in "\u2028\u2029\x85") else c for c in text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def code(value: object) -> str:
    """``value`` shown as inline code, safe whatever it holds (command lines, paths)."""
    text = md(value)
    return text if not text else f"<code>{text}</code>"


def safe_stem(name: str) -> str:
    """A file-name stem from any text (:func:`tumorbench.io.paths.safe_file_stem`)."""
    return safe_file_stem(name)


def inside(directory: Path, name: str) -> Path:
    """``directory / name``, refused with one line when it would lie outside ``directory``."""
    base = Path(directory).resolve()
    target = (base / name).resolve()
    if target != base and base not in target.parents:
        raise BenchError(f"{directory}: refusing to write {name!r}, which lies outside the publishing folder")
    return target


_TERMINAL_UNESCAPE = re.compile(r"\\([\\`*_\[\]#!~])")


def for_terminal(markdown: str) -> str:
    """A page as a terminal shows it: HTML entities and backslash escapes undone (``<0.001``, not
    ``&lt;0.001``; ``lesion_dice``, not ``lesion\\_dice``), except ``\\|``, which keeps a table's cells apart."""
    import html

    return html.unescape(_TERMINAL_UNESCAPE.sub(r"\1", markdown))
