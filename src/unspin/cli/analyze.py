"""``unspin analyze``: find the techniques in articles and write them in a chosen format."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from unspin import settings
from unspin._errors import SOME_INPUTS_UNREADABLE, InputError
from unspin.cli._common import err, output_stream, progress_bar
from unspin.cli.options import DeviceOption, ModelOption
from unspin.formats import FORMATS, get_format
from unspin.io.documents import Document, Failure, iter_documents

_FORMAT_HELP = (
    f"Output format: {', '.join(FORMATS)} (default: from the --output suffix, else terminal)."
)


# Output suffixes and the format each one means; ``.txt`` is the terminal report as text.
SUFFIXES: dict[str, str] = {
    **{f.suffix: f.name for f in FORMATS.values()},
    ".json": "json",
    ".htm": "html",
}


def _infer_format(output: Path | None) -> str:
    """The format an output file's suffix asks for; ``InputError`` for a suffix that names
    none (writing terminal text into ``report.pdf`` helps nobody)."""
    if output is None:
        return "terminal"
    suffix = output.suffix.lower()
    if suffix not in SUFFIXES:
        known = ", ".join(f"{s} ({name})" for s, name in SUFFIXES.items())
        raise InputError(
            f"{output}: unknown output suffix {suffix or '(none)'!r}; use one of {known}, "
            "or choose the format with --format"
        )
    return SUFFIXES[suffix]


def analyze(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Text or HTML files, folders of them (searched recursively), web addresses "
            "(http:// or https://, fetched once), or - for standard input.",
            show_default=False,
        ),
    ],
    model: ModelOption = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help=_FORMAT_HELP, show_default=False),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file instead of standard output.",
            show_default=False,
        ),
    ] = None,
    min_confidence: Annotated[
        float,
        typer.Option(
            "--min-confidence",
            min=0.0,
            max=1.0,
            help="Only report spans at least this confident (0 to 1).",
        ),
    ] = 0.0,
    max_bytes: Annotated[
        int | None,
        typer.Option(
            "--max-bytes",
            min=1,
            help="Refuse input files larger than this [default: 1000000, or UNSPIN_MAX_BYTES].",
            show_default=False,
        ),
    ] = None,
    device: DeviceOption = "auto",
) -> None:
    """Find persuasion techniques in articles and show or save them.

    Examples:

      unspin analyze examples/sample-article.txt

      unspin analyze articles/ --format json --output results.jsonl

      unspin analyze https://example.org/story --format html -o story.html

    Exit status: 0 every input analysed; 3 some inputs could not be read (they are listed,
    the others analysed); 2 none could be read, or a bad option; 5 the model is not
    installed.
    """
    out_format = get_format(fmt) if fmt else get_format(_infer_format(output))
    if "-" in paths and sys.stdin.isatty():
        raise InputError("-: standard input is a terminal; pipe an article in, or give a file")
    limit = max_bytes or settings.get_int("max_bytes")
    documents: list[Document] = []
    failures: list[Failure] = []
    for item in iter_documents(paths, limit):
        if isinstance(item, Document):
            documents.append(item)
        else:
            failures.append(item)
    for failure in failures:
        err.print(Text("error: ", style="red") + Text(failure.message), soft_wrap=True)
    for document in documents:
        for warning in (*document.warnings, *_language_warning(document)):
            err.print(Text("warning: ", style="yellow") + Text(warning), soft_wrap=True)
    if not documents:
        if len(failures) == 1:
            raise typer.Exit(InputError.exit_code)
        raise InputError(f"none of the {len(failures)} inputs could be read; nothing was written")

    from unspin.analyzer import Analyzer  # heavy: loads torch

    analyzer = Analyzer.load(model, device=device)
    # The report on a terminal shows the progress itself; a bar would be drawn across it.
    to_terminal = output is None and sys.stdout.isatty()
    with progress_bar(show=not to_terminal) as bar, output_stream(output) as stream:
        task = bar.add_task("Analysing", total=len(documents))
        articles = analyzer.analyze_many(documents, progress=lambda n: bar.advance(task, n))
        if min_confidence > 0:
            articles = (a.filtered(min_confidence) for a in articles)
        out_format.write(articles, stream)
    if output is not None or failures:
        done = f"analysed {len(documents)} article{'s' * (len(documents) != 1)}"
        where = f" into {output}" if output is not None else ""
        failed = (
            f"; {len(failures)} failed: " + ", ".join(f.source for f in failures)
            if failures
            else ""
        )
        err.print(Text(done + where + failed), soft_wrap=True)
    if failures:
        raise typer.Exit(SOME_INPUTS_UNREADABLE)


def _language_warning(document: Document) -> list[str]:
    from unspin.io.language import ENGLISH, detect

    detected = detect(document.text)
    if detected is None or detected.code == ENGLISH:
        return []
    return [
        f"{document.source}: the text looks like {detected.name}, not English; the model "
        "was trained on English news, so its findings here mean little"
    ]


# The help lists every registered format, so it cannot fall behind the registry.
analyze.__doc__ = (
    (analyze.__doc__ or "")
    + "\n    Formats:\n\n"
    + "\n\n".join(f"      {f.name}: {f.help}" for f in FORMATS.values())
)
