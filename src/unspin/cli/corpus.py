"""Corpus commands, thin shells over ``unspin.Corpus``: ``import``, ``batch``, ``export``
and ``db``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from unspin._errors import SOME_INPUTS_UNREADABLE, InputError
from unspin.cli._common import err, progress_bar
from unspin.cli.options import (
    DateColumn,
    DbOption,
    DeviceOption,
    IdColumn,
    LanguageColumn,
    LanguageDefault,
    MaxBytes,
    ModelOption,
    OutletColumn,
    OutletDefault,
    TextColumn,
    TitleColumn,
    UrlColumn,
    columns,
)

if TYPE_CHECKING:
    from unspin.corpus.core import Corpus
    from unspin.io.records import Columns

UrlsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--urls",
        help="A file listing web pages to fetch and import, one URL a line (# comments); "
        "repeat for several. Files ending in .urls, and URLs given as inputs, are fetched too.",
        show_default=False,
    ),
]
AnyLanguage = Annotated[
    bool,
    typer.Option(
        "--any-language",
        help="Import texts in any language. By default a text detected as not English is "
        "skipped (and listed as unreadable), since the model reads English.",
    ),
]
_EXIT_HELP = (
    "Exit status: 0 all inputs read; 3 some inputs could not be used (they are listed, and "
    "recorded as unreadable); 2 none could; 4 the database cannot be used."
)


def _import(
    corpus: Corpus,
    paths: list[str],
    cols: Columns,
    outlet: str | None,
    language: str | None,
    max_bytes: int | None,
    urls: list[Path] | None = None,
    any_language: bool = False,
) -> int:
    """Read the inputs into the corpus, reporting what was added and what could not be read;
    the exit status the command should end with (exit 2 here when nothing could be read)."""
    from unspin.io.records import Defaults, UrlList

    inputs = [*paths, *(UrlList(str(path)) for path in urls or ())]
    if not inputs:
        raise InputError("nothing to import: give files, folders, URLs or --urls FILE")
    if "-" in inputs and sys.stdin.isatty():
        raise InputError("-: standard input is a terminal; pipe an article in, or give a file")
    with progress_bar() as bar:
        task = bar.add_task("Importing", total=None)
        report = corpus.import_paths(
            inputs,
            columns=cols,
            defaults=Defaults(outlet, language, any_language=any_language),
            max_bytes=max_bytes,
            progress=lambda n: bar.advance(task, n),
        )
    for warning in report.warnings[:20]:
        err.print(Text("warning: ", style="yellow") + Text(warning), soft_wrap=True)
    if len(report.warnings) > 20:
        err.print(f"... and {len(report.warnings) - 20} more warnings")
    failures = report.failures
    for failure in failures[:20]:
        err.print(Text("error: ", style="red") + Text(failure.message), soft_wrap=True)
    if len(failures) > 20:
        err.print(f"... and {len(failures) - 20} more unreadable inputs (see `unspin db info`)")
    if not any_language and any("not English" in f.reason for f in failures):
        err.print("texts in other languages were skipped: --any-language imports them too")
    err.print(
        f"{corpus.name}: added {report.added} article{'s' * (report.added != 1)}, "
        f"{report.existing} already stored, {len(failures)} unreadable",
        soft_wrap=True,
    )
    if failures and not (report.added or report.existing):
        raise typer.Exit(InputError.exit_code)
    return SOME_INPUTS_UNREADABLE if failures else 0


def import_(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Text/HTML files or folders of them, .jsonl/.ndjson or .csv/.tsv files, "
            ".urls lists, web addresses (http:// or https://), or - for one document on "
            "standard input.",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    text_column: TextColumn = "text",
    id_column: IdColumn = "id",
    title_column: TitleColumn = "title",
    outlet_column: OutletColumn = "outlet",
    url_column: UrlColumn = "url",
    date_column: DateColumn = "published",
    language_column: LanguageColumn = "language",
    outlet: OutletDefault = None,
    language: LanguageDefault = None,
    max_bytes: MaxBytes = None,
    urls: UrlsOption = None,
    any_language: AnyLanguage = False,
) -> None:
    """Store articles without analysing them (each text once, by content hash).

    JSONL and CSV fields other than the mapped ones are kept as metadata. HTML pages give their
    title, site name, URL, date and language where they state them; a page given by URL has
    its domain as the outlet unless it names its site. The language of every text is detected
    and stored where the input names none. An input that cannot be read is recorded as
    unreadable, with its reason, and the others go on.

    Examples:

      unspin import articles/ --outlet "The Daily Example"

      unspin import feed.jsonl --text-column body --date-column pub_date --db corpus.db

      unspin import https://example.org/story --urls reading-list.txt
    """
    from unspin.corpus.core import Corpus

    cols = columns(
        text_column, id_column, title_column, outlet_column, url_column, date_column,
        language_column,
    )  # fmt: skip
    with Corpus.open(db) as corpus:
        status = _import(corpus, paths or [], cols, outlet, language, max_bytes, urls, any_language)
    if status:
        raise typer.Exit(status)


def batch(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Inputs to import first (as for `unspin import`); without any, only the "
            "articles already stored are analysed.",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    model: ModelOption = None,
    engine: Annotated[
        str, typer.Option("--engine", help="local (this process) or ray (a Ray cluster).")
    ] = "local",
    address: Annotated[
        str | None,
        typer.Option(
            "--address",
            help="Ray cluster to use with --engine ray (for example auto, or "
            "ray://head:10001) [default: start a local one].",
            show_default=False,
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Model replicas for --engine ray [default: one per GPU, else one per CPU].",
            show_default=False,
        ),
    ] = None,
    chunk: Annotated[
        int, typer.Option("--chunk", min=1, help="Articles per unit of work and per commit.")
    ] = 8,
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="Analyse again the articles that failed.")
    ] = False,
    device: DeviceOption = "auto",
    text_column: TextColumn = "text",
    id_column: IdColumn = "id",
    title_column: TitleColumn = "title",
    outlet_column: OutletColumn = "outlet",
    url_column: UrlColumn = "url",
    date_column: DateColumn = "published",
    language_column: LanguageColumn = "language",
    outlet: OutletDefault = None,
    language: LanguageDefault = None,
    max_bytes: MaxBytes = None,
    urls: UrlsOption = None,
    any_language: AnyLanguage = False,
) -> None:
    """Analyse a corpus into the store: every stored article this model has not analysed.

    Safe to stop and start again: results are committed a chunk at a time, each chunk in one
    transaction, so a run that is interrupted (even killed) and run again analyses each
    article exactly once. An
    article that cannot be analysed is recorded as failed with its reason, and the run goes on.

    Examples:

      unspin batch articles/ --db corpus.db

      unspin batch --db postgresql://unspin@db.example.org/news --engine ray --address auto
    """
    from unspin.corpus.core import Corpus

    if engine not in ("local", "ray"):
        raise InputError(f"--engine {engine!r}: choose local or ray")
    status = 0
    with Corpus.open(db, model) as corpus:
        if paths or urls:
            cols = columns(
                text_column, id_column, title_column, outlet_column, url_column, date_column,
                language_column,
            )  # fmt: skip
            status = _import(
                corpus, paths or [], cols, outlet, language, max_bytes, urls, any_language
            )
        if engine == "ray":
            err.print("starting Ray workers...")
        runner = corpus.engine(engine, device=device, address=address, workers=workers)
        try:
            if engine == "ray":
                err.print(f"{runner.describe()} ready")
            total = corpus.pending(runner.model, retry_failed=retry_failed)
            with progress_bar() as bar:
                task = bar.add_task(f"Analysing with {runner.model.name}", total=total)
                summary = corpus.analyse(
                    runner,
                    chunk=chunk,
                    retry_failed=retry_failed,
                    progress=lambda n: bar.advance(task, n),
                )
        finally:
            runner.close()
        counts = corpus.counts()
    err.print(
        f"{corpus.name}: analysed {summary.done}, failed {summary.failed} in "
        f"{summary.seconds:.1f} s ({summary.rate:.2f} articles/s); the store now has "
        f"{counts['articles']} articles, {counts['done']} results, {counts['failed']} failed",
        soft_wrap=True,
    )
    if status:
        raise typer.Exit(status)


# The exit statuses are part of the help of the commands that read many inputs.
import_.__doc__ = f"{import_.__doc__}\n    {_EXIT_HELP}\n"
batch.__doc__ = f"{batch.__doc__}\n    {_EXIT_HELP}\n"
