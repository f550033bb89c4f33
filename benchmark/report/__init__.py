"""Pages from results stores: leaderboards, their sections, tables across axes, pictures, overlays,
provenance, reported rows, published folders that check themselves."""
