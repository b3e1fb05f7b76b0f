"""Shared pieces of the CLI: consoles, progress bars and writing output files safely."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from unspin._errors import InputError, OutputError

err = Console(stderr=True, highlight=False)


class _RateColumn(ProgressColumn):
    """Items per second, as Rich measures it over the last few updates."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:.1f} {self.unit}/s")


def progress_bar(unit: str = "articles", *, show: bool = True) -> Progress:
    """A progress bar on stderr with count, rate and ETA, removed when done; silent when
    stderr is no terminal, or ``show`` is false.

    Standard output is left alone (Rich would route it through the bar's console, which
    writes to stderr: ``unspin analyze x > out.txt`` in a terminal left out.txt empty); so a
    command that writes its result to a terminal's stdout should not show the bar there.
    """
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(unit),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        redirect_stdout=False,
        redirect_stderr=False,
        disable=not (show and err.is_terminal),
    )


@contextlib.contextmanager
def output_stream(path: Path | None) -> Iterator[TextIO]:
    """Standard output, or a file that appears only once everything was written to it.

    Output goes to a temporary file beside ``path`` that is renamed into place on success and
    removed on any error, so a failed run never leaves a partial or corrupt file behind. A
    path that is not a regular file (``/dev/stdout``, a named pipe) is written directly, never
    replaced. A write that fails (a full disk) is an ``OutputError``.
    """
    if path is None:
        try:
            yield sys.stdout
            sys.stdout.flush()
        except OSError as error:
            _silence_stdout()
            raise OutputError(f"standard output: cannot be written ({_why(error)})") from None
        return
    if path.exists() and not path.resolve().is_file() and not path.is_dir():
        try:
            with path.open("w", encoding="utf-8", newline="") as device:
                yield device
        except OSError as error:
            raise OutputError(f"{path}: cannot be written ({_why(error)})") from None
        return
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{path}: the folder {folder} does not exist")
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name to write to")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise OutputError(f"{path}: cannot be written ({_why(error)})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        # mkstemp makes the file private; give it the permissions a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(
            f"{path}: cannot be written ({_why(error)}); nothing was written"
        ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _why(error: OSError) -> str:
    return error.strerror or str(error) or type(error).__name__


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that the interpreter's last flush of what could
    not be written does not fail again with a traceback."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
