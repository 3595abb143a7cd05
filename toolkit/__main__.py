"""``python -m toolkit`` runs the transdiff command."""

from toolkit.cli import main

main()
