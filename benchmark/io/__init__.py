"""Files: atomic writes, why a path cannot be used, NIfTI volumes, size caps, checked JSON, hashing."""
