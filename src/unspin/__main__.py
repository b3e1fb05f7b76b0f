"""``python -m unspin`` runs the command line."""

from unspin.cli import main

main()
