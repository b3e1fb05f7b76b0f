"""The ``unspin`` command line: a thin layer over the library (see ``unspin --help``)."""

from unspin.cli.app import app, main

__all__ = ["app", "main"]
