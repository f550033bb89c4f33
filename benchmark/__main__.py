"""``python -m tumorbench`` runs the ``bench`` CLI."""

from .cli import main

main()
