"""``unspin outlets``: list outlet names and merge the ones that are one outlet
(``cbsnews.com`` and ``CBS News``), a thin shell over ``Corpus.merge_outlets``."""

from __future__ import annotations

from typing import Annotated

import typer

from unspin.cli._common import err
from unspin.cli.options import DbOption

app = typer.Typer(
    help="List outlet names, and merge names that are one outlet (every statistic, filter "
    "and page then uses the merged name).",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@app.command("list")
def list_outlets(
    db: DbOption = None,
    find: Annotated[
        str | None, typer.Option("--find", help="Only outlets whose name contains this.")
    ] = None,
) -> None:
    """Every outlet as shown, with its number of articles and the names merged into it."""
    from unspin.corpus.core import Corpus

    with Corpus.open(db, create=False) as corpus:
        rows = corpus.outlet_names()
    needle = (find or "").casefold()
    for row in rows:
        names = [row.name, *row.merged]
        if needle and not any(needle in name.casefold() for name in names):
            continue
        merged = f"\t(merged: {', '.join(row.merged)})" if row.merged else ""
        typer.echo(f"{row.articles}\t{row.name}{merged}")


@app.command("merge")
def merge(
    names: Annotated[list[str], typer.Argument(help="Outlet names as stored.", show_default=False)],
    into: Annotated[
        str | None, typer.Option("--as", help="The name to show them as [default: the first name].")
    ] = None,
    db: DbOption = None,
) -> None:
    """Show the articles of NAMES under one name.

    unspin outlets merge cbsnews.com "CBS News"            # shown as cbsnews.com
    unspin outlets merge cbsnews.com cbs.com --as "CBS News"
    """
    from unspin.corpus.core import Corpus

    target = into if into is not None else names[0]
    with Corpus.open(db, create=False) as corpus:
        merged = corpus.merge_outlets(names, target)
    err.print(f"{target}: now also shows {', '.join(merged)}", soft_wrap=True)


@app.command("unmerge")
def unmerge(
    names: Annotated[
        list[str], typer.Argument(help="Merged names, or names others were merged into.")
    ],
    db: DbOption = None,
) -> None:
    """Undo merges: a merged name is its own outlet again; a name others were merged into
    loses them all."""
    from unspin._errors import InputError
    from unspin.corpus.core import Corpus

    with Corpus.open(db, create=False) as corpus:
        removed = corpus.unmerge_outlets(names)
    if not removed:
        raise InputError(f"{', '.join(names)}: not merged with any other outlet name")
    for alias, outlet in removed:
        err.print(f"{alias}: no longer shown as {outlet}", soft_wrap=True)
