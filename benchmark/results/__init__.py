"""The results store (one SQLite file per run folder), its check and repair, prediction files,
out-of-fold verdicts, export, and environment failures as exit codes."""
