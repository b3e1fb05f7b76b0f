"""``unspin db``: look after the results database."""

from __future__ import annotations

import typer

from unspin.cli._common import err
from unspin.cli.options import DbOption

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
