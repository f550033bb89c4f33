"""``python -m tumorbench`` runs the ``bench`` CLI."""

from tumorbench.cli import main

main()
