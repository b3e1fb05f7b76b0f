"""One exception tree for unspin.

    UnspinError                 exit 1, HTTP 500: an internal failure
    ├── InputError              exit 2, HTTP 400: the input cannot be used (empty, binary, ...)
    │   ├── LabelFileError      exit 2, HTTP 400: a PTC label file is malformed
    │   └── OutputError         exit 2, HTTP 400: an output file cannot be written (disk full)
    ├── CorpusError             exit 2, HTTP 400: a corpus folder is missing or incomplete
    ├── ModelError              exit 1, HTTP 500: a model cannot be loaded
    │   ├── UnknownModelError   exit 2, HTTP 404: no model has that name
    │   └── ModelNotInstalledError  exit 5, HTTP 503: the model exists but is not installed
    └── StoreError              exit 4, HTTP 503: the database cannot be opened, read or written

Every error carries a one-line message that says what was wrong and how to fix it; the CLI
prints that line (tracebacks only with ``--debug``) and exits with ``exit_code``.

A command that reads many inputs and could use only some of them is not an error: it does
its work, lists the inputs it could not use and exits with ``SOME_INPUTS_UNREADABLE`` (3).
"""

from __future__ import annotations


class UnspinError(Exception):
    """Base class of every error unspin raises on purpose."""

    exit_code = 1
    http_status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(UnspinError):
    """An input text or file cannot be analysed."""

    exit_code = 2
    http_status = 400


SOME_INPUTS_UNREADABLE = 3
"""Exit status of ``analyze``, ``import`` and ``batch`` when some inputs could not be used
and the others were (when none could, the status is ``InputError.exit_code``, 2)."""


class LabelFileError(InputError):
    """A PTC label file does not have the documented format."""


class OutputError(InputError):
    """An output file (``--output``) or standard output cannot be written: a full disk, a
    read-only folder. Nothing partial is left behind."""


class CorpusError(UnspinError):
    """A corpus folder is missing or does not have the PTC layout."""

    exit_code = 2
    http_status = 400


class ModelError(UnspinError):
    """A model cannot be loaded or used."""


class UnknownModelError(ModelError):
    """No model is registered under that name."""

    exit_code = 2
    http_status = 404


class ModelNotInstalledError(ModelError):
    """The model is registered but its pretrained encoder is not installed (exit 5: 3 is
    ``SOME_INPUTS_UNREADABLE``, and a script must be able to tell the two apart)."""

    exit_code = 5
    http_status = 503


class StoreError(UnspinError):
    """The results database cannot be opened, read or written (missing, locked, too new)."""

    exit_code = 4
    http_status = 503
