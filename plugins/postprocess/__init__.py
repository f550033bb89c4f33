"""Built-in postprocess plugins."""
