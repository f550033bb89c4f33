"""The ``bench`` command line (placeholder until the CLI modules land)."""


def main() -> None:  # pragma: no cover
    raise SystemExit("bench: CLI not built yet")
