"""Corpus commands, thin shells over ``unspin.Corpus``: ``import``, ``batch``, ``export``
and ``db``."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from unspin._errors import SOME_INPUTS_UNREADABLE, InputError, StoreError
from unspin.cli._common import err, output_stream, progress_bar
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


def export(
    db: DbOption = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="jsonl (also: json), csv (one row per span), ptc, html or terminal.",
        ),
    ] = "jsonl",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of standard output."),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            "-m",
            help="Whose results to export [default: the model with the most results].",
            show_default=False,
        ),
    ] = None,
    outlet: Annotated[
        list[str] | None,
        typer.Option("--outlet", help="Only this outlet (repeat for several).", show_default=False),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only articles published on or after YYYY-MM-DD."),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", help="Only articles published on or before YYYY-MM-DD."),
    ] = None,
    technique: Annotated[
        str | None,
        typer.Option(
            "--technique",
            help="Only this technique, by name or label in any case (`loaded language`, "
            "`Name_Calling,Labeling`, `name_calling`; see `unspin techniques`).",
        ),
    ] = None,
    min_confidence: Annotated[
        float,
        typer.Option("--min-confidence", min=0.0, max=1.0, help="Only spans this confident."),
    ] = 0.0,
    voice: Annotated[
        str | None,
        typer.Option(
            "--voice",
            help="Only spans in this voice: author (the outlet's own words) or quoted.",
            show_default=False,
        ),
    ] = None,
    speaker: Annotated[
        str | None,
        typer.Option(
            "--speaker",
            help="Only spans quoted from this speaker (as `analyze` names them).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write the stored results: JSONL (one article per line, as `analyze --format json`
    writes it, with its metadata), CSV (one row per span) or PTC labels.

    Only analysed articles are written. The file appears only when it is complete.

    Examples:

      unspin export --db corpus.db -o results.jsonl

      unspin export --db corpus.db -f csv --outlet "The Daily Example" --since 2024-01-01
    """
    from unspin.corpus.core import Corpus
    from unspin.formats import get_format

    chosen_format = get_format(fmt)
    if technique is not None:
        technique = _technique(technique)
    first, last = _day(since, "--since"), _day(until, "--until")
    with Corpus.open(db, create=False) as corpus:
        f = corpus.filter(
            model,
            outlets=tuple(outlet or ()),
            since=first,
            until=last,
            technique=technique,
            min_confidence=min_confidence,
            voice=_voice(voice),
            speaker=speaker or None,
        )
        if f.model is None:
            raise StoreError(f"{corpus.name}: no analysed articles yet; run `unspin batch` first")
        with output_stream(output) as stream:
            written = corpus.export(stream, chosen_format.name, f)
    err.print(
        f"exported {written} article{'s' * (written != 1)} analysed by {f.model.name} "
        f"{f.model.version}" + (f" into {output}" if output else ""),
        soft_wrap=True,
    )


# The exit statuses are part of the help of the commands that read many inputs.
import_.__doc__ = f"{import_.__doc__}\n    {_EXIT_HELP}\n"
batch.__doc__ = f"{batch.__doc__}\n    {_EXIT_HELP}\n"

db_app = typer.Typer(
    help="Look after the results database.", no_args_is_help=True, rich_markup_mode=None
)


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create the database, or bring its tables up to date after upgrading unspin."""
    from unspin.corpus.core import Corpus

    with Corpus.open(db) as corpus:
        corpus.upgrade()
    err.print(f"{corpus.name}: up to date", soft_wrap=True)


@db_app.command("info")
def db_info(db: DbOption = None) -> None:
    """Where the database is and what it holds: articles, results by model, failures."""
    from unspin.corpus.core import Corpus

    with Corpus.open(db, create=False) as corpus:
        counts = corpus.counts()
        models = corpus.models()
        failures = corpus.failures(limit=10)
    typer.echo(f"database:   {corpus.name}")
    typer.echo(f"articles:   {counts['articles']}")
    typer.echo(f"results:    {counts['done']} done, {counts['failed']} failed")
    typer.echo(f"spans:      {counts['spans']}")
    typer.echo(f"unreadable: {counts['unreadable']}")
    for info, n in models:
        typer.echo(f"model:      {info.name} {info.version} ({n} articles)")
    for failure in failures:
        typer.echo(f"failed:     {failure.message}")


def _day(value: str | None, flag: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{flag} {value!r}: give a date as YYYY-MM-DD") from None


def _voice(value: str | None) -> str | None:
    if value is not None and value not in ("author", "quoted"):
        raise InputError(f"--voice {value!r}: choose author or quoted")
    return value


def _technique(name: str) -> str:
    """The PTC label of the technique ``name`` names, in any of the forms unspin shows."""
    from unspin.techniques import TECHNIQUES, find_technique

    found = find_technique(name)
    if found is None:
        titles = "; ".join(t.title for t in TECHNIQUES)
        raise InputError(
            f"--technique {name!r}: not a technique; choose one of: {titles} "
            "(or their labels, as `unspin techniques` shows them)"
        )
    return found.name
