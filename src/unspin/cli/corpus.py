"""Corpus commands over the results store: ``import``, ``batch``, ``export`` and ``db``."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from unspin import settings
from unspin._errors import InputError
from unspin.cli._common import MODEL_HELP, err, output_stream, progress_bar
from unspin.io.documents import Failure

if TYPE_CHECKING:
    from collections.abc import Iterator

    from unspin.corpus.store import NewArticle
    from unspin.io.records import Columns

DB_HELP = (
    "Results database: a SQLite file path or a postgresql://user:password@host/name URL "
    "[default: UNSPIN_DB, else ~/.local/share/unspin/unspin.db]."
)
DbOption = Annotated[str | None, typer.Option("--db", help=DB_HELP, show_default=False)]
InputsArgument = Annotated[
    list[str],
    typer.Argument(
        help="Text/HTML files or folders of them, .jsonl/.ndjson or .csv/.tsv files, or - for "
        "one document on standard input.",
        show_default=False,
    ),
]
_COLUMN = "Field (JSONL) or column (CSV) that holds the article's {}."
TextColumn = Annotated[str, typer.Option("--text-column", help=_COLUMN.format("text"))]
IdColumn = Annotated[str, typer.Option("--id-column", help=_COLUMN.format("id"))]
TitleColumn = Annotated[str, typer.Option("--title-column", help=_COLUMN.format("title"))]
OutletColumn = Annotated[str, typer.Option("--outlet-column", help=_COLUMN.format("outlet"))]
UrlColumn = Annotated[str, typer.Option("--url-column", help=_COLUMN.format("URL"))]
DateColumn = Annotated[
    str, typer.Option("--date-column", help=_COLUMN.format("publication date (ISO 8601)"))
]
LanguageColumn = Annotated[str, typer.Option("--language-column", help=_COLUMN.format("language"))]
OutletDefault = Annotated[
    str | None,
    typer.Option(
        "--outlet", help="Outlet for articles whose input names none.", show_default=False
    ),
]
LanguageDefault = Annotated[
    str | None,
    typer.Option(
        "--language", help="Language for articles whose input names none.", show_default=False
    ),
]
MaxBytes = Annotated[
    int | None,
    typer.Option(
        "--max-bytes",
        min=1,
        help="Refuse articles larger than this [default: 1000000, or UNSPIN_MAX_BYTES].",
        show_default=False,
    ),
]


def _import(
    paths: list[str],
    db: str | None,
    columns: Columns,
    outlet: str | None,
    language: str | None,
    max_bytes: int | None,
) -> None:
    """Read the inputs into the store, reporting what was added and what could not be read."""
    from unspin.corpus.store import Store
    from unspin.io.records import Defaults, read_inputs

    if "-" in paths and sys.stdin.isatty():
        raise InputError("-: standard input is a terminal; pipe an article in, or give a file")
    limit = max_bytes or settings.get_int("max_bytes")
    with Store.open(db) as store, progress_bar() as bar:
        failures: list[Failure] = []
        task = bar.add_task("Importing", total=None)

        def articles() -> Iterator[NewArticle]:
            for item in read_inputs(
                paths, max_bytes=limit, columns=columns, defaults=Defaults(outlet, language)
            ):
                bar.advance(task)
                if isinstance(item, Failure):
                    failures.append(item)
                    store.add_failure(item.source, item.message)
                else:
                    yield item

        result = store.add_articles(articles())
    for failure in failures[:20]:
        err.print(Text("error: ", style="red") + Text(failure.message), soft_wrap=True)
    if len(failures) > 20:
        err.print(f"... and {len(failures) - 20} more unreadable inputs (see `unspin db info`)")
    err.print(
        f"{store.name}: added {result.added} article{'s' * (result.added != 1)}, "
        f"{result.existing} already stored, {len(failures)} unreadable",
        soft_wrap=True,
    )
    if failures and not (result.added or result.existing):
        raise typer.Exit(InputError.exit_code)


def import_(
    paths: InputsArgument,
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
) -> None:
    """Store articles without analysing them (each text once, by content hash).

    JSONL and CSV fields other than the mapped ones are kept as metadata. HTML pages give their
    title, site name, URL, date and language where they state them. An input that cannot be
    read is recorded as unreadable, with its reason, and the others go on.

    Examples:

      unspin import articles/ --outlet "The Daily Example"

      unspin import feed.jsonl --text-column body --date-column pub_date --db corpus.db
    """
    from unspin.io.records import Columns

    columns = Columns(
        text_column,
        id_column,
        title_column,
        outlet_column,
        url_column,
        date_column,
        language_column,
    )
    _import(paths, db, columns, outlet, language, max_bytes)


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
    model: Annotated[
        str | None, typer.Option("--model", "-m", help=MODEL_HELP, show_default=False)
    ] = None,
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
    device: Annotated[
        str, typer.Option("--device", help="auto, cpu or cuda (local engine).")
    ] = "auto",
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
    from unspin.corpus.batch import Engine, LocalEngine, RayEngine, run_batch
    from unspin.corpus.store import Store

    if engine not in ("local", "ray"):
        raise InputError(f"--engine {engine!r}: choose local or ray")
    if paths:
        from unspin.io.records import Columns

        columns = Columns(
            text_column,
            id_column,
            title_column,
            outlet_column,
            url_column,
            date_column,
            language_column,
        )
        _import(paths, db, columns, outlet, language, max_bytes)
    with Store.open(db) as store:
        runner: Engine
        if engine == "ray":
            err.print("starting Ray workers...")
            runner = RayEngine(model or settings.get("model"), address=address, workers=workers)
            err.print(f"{runner.workers} {runner.device} worker(s) ready")
        else:
            from unspin.analyzer import Analyzer

            runner = LocalEngine(Analyzer.load(model, device=device))
        try:
            total = store.count_pending(runner.model, retry_failed=retry_failed)
            with progress_bar() as bar:
                task = bar.add_task(f"Analysing with {runner.model.name}", total=total)
                summary = run_batch(
                    store,
                    runner,
                    chunk=chunk,
                    retry_failed=retry_failed,
                    progress=lambda n: bar.advance(task, n),
                )
        finally:
            runner.close()
        counts = store.counts()
    err.print(
        f"{store.name}: analysed {summary.done}, failed {summary.failed} in "
        f"{summary.seconds:.1f} s ({summary.rate:.2f} articles/s); the store now has "
        f"{counts['articles']} articles, {counts['done']} results, {counts['failed']} failed",
        soft_wrap=True,
    )


def export(
    db: DbOption = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="jsonl, csv (one row per span) or ptc.")
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
        typer.Option("--technique", help="Only this technique (see `unspin techniques`)."),
    ] = None,
    min_confidence: Annotated[
        float,
        typer.Option("--min-confidence", min=0.0, max=1.0, help="Only spans this confident."),
    ] = 0.0,
) -> None:
    """Write the stored results: JSONL (one article per line, as `analyze --format json`
    writes it, with its metadata), CSV (one row per span) or PTC labels.

    Only analysed articles are written. The file appears only when it is complete.

    Examples:

      unspin export --db corpus.db -o results.jsonl

      unspin export --db corpus.db -f csv --outlet "The Daily Example" --since 2024-01-01
    """
    from unspin.corpus.store import Store
    from unspin.corpus.store.queries import CorpusFilter, iter_articles, pick_model
    from unspin.formats.export import EXPORTERS

    if fmt not in EXPORTERS:
        raise InputError(f"--format {fmt!r}: choose one of {', '.join(EXPORTERS)}")
    if technique is not None:
        _check_technique(technique)
    first, last = _day(since, "--since"), _day(until, "--until")
    with Store.open(db, create=False) as store:
        chosen = pick_model(store, model)
        corpus = CorpusFilter(
            model=chosen,
            outlets=tuple(outlet or ()),
            since=first,
            until=last,
            technique=technique,
            min_confidence=min_confidence,
        )
        with output_stream(output) as stream:
            written = EXPORTERS[fmt](
                (a for a in iter_articles(store, corpus) if a.article is not None), stream
            )
    err.print(
        f"exported {written} article{'s' * (written != 1)} analysed by {chosen.name} "
        f"{chosen.version}" + (f" into {output}" if output else ""),
        soft_wrap=True,
    )


db_app = typer.Typer(
    help="Look after the results database.", no_args_is_help=True, rich_markup_mode=None
)


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create the database, or bring its tables up to date after upgrading unspin."""
    from unspin.corpus.store import Store

    with Store.open(db) as store:
        store.upgrade()
    err.print(f"{store.name}: up to date")


@db_app.command("info")
def db_info(db: DbOption = None) -> None:
    """Where the database is and what it holds: articles, results by model, failures."""
    from unspin.corpus.store import Store

    with Store.open(db, create=False) as store:
        counts = store.counts()
        models = store.models()
        failures = store.failures(limit=10)
    typer.echo(f"database:   {store.name}")
    typer.echo(f"articles:   {counts['articles']}")
    typer.echo(f"results:    {counts['done']} done, {counts['failed']} failed")
    typer.echo(f"spans:      {counts['spans']}")
    typer.echo(f"unreadable: {counts['unreadable']}")
    for info, n in models:
        typer.echo(f"model:      {info.name} {info.version} ({n} articles)")
    for source, reason in failures:
        typer.echo(f"failed:     {reason if reason.startswith(source) else source + ': ' + reason}")


def _day(value: str | None, flag: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{flag} {value!r}: give a date as YYYY-MM-DD") from None


def _check_technique(name: str) -> None:
    from unspin.techniques import TECHNIQUES

    names = [t.name for t in TECHNIQUES]
    if name not in names:
        raise InputError(f"--technique {name!r}: not a technique; choose one of {', '.join(names)}")
