"""The terminal shows a page as text, not as escaped Markdown (issue 24, item 8)."""

from __future__ import annotations

from tumorbench.report.escape import for_terminal, md


def test_the_terminal_shows_less_than_and_names_as_they_are() -> None:
    assert for_terminal(md("<0.001")) == "<0.001"
    assert for_terminal(md("lesion_dice & *x* [y] #1 a`b`")) == "lesion_dice & *x* [y] #1 a`b`"
    assert for_terminal("| " + md("a|b") + " |") == "| a\\|b |"  # a cell's own bar stays escaped: the table keeps its columns
