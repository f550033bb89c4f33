"""Built-in ensembles plugins."""
