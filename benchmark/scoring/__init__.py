"""Metrics: region masks from label maps, every metric convention per region, worst-case rows."""
