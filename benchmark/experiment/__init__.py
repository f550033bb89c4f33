"""Experiment files: a matrix benchmark as TOML, planned, trained, run and published."""
