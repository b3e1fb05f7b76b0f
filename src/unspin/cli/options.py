"""CLI options that several commands share, declared once. Their help text names the default
from the settings table (``unspin.settings``), so ``--help`` cannot drift from the code."""

from __future__ import annotations

from typing import Annotated

import typer

from unspin.io.records import Columns
from unspin.settings import SETTINGS


def setting_default(name: str) -> str:
    """``[default: VALUE, or ENV]`` for a setting, as option help shows it."""
    setting = next(s for s in SETTINGS if s.name == name)
    shown = setting.default or "see `unspin settings`"
    return f"[default: {shown}, or {setting.env}]"


MODEL_HELP = f"Model name (see `unspin models list`) {setting_default('model')}."
ModelOption = Annotated[
    str | None, typer.Option("--model", "-m", help=MODEL_HELP, show_default=False)
]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Results database: a SQLite file path or a postgresql://user:password@host/name "
        "URL [default: UNSPIN_DB, else ~/.local/share/unspin/unspin.db].",
        show_default=False,
    ),
]
MaxBytes = Annotated[
    int | None,
    typer.Option(
        "--max-bytes",
        min=1,
        help=f"Refuse inputs (files, records, texts) larger than this "
        f"{setting_default('max_bytes')}.",
        show_default=False,
    ),
]
DeviceOption = Annotated[str, typer.Option("--device", help="auto, cpu or cuda.")]
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


def columns(
    text: str, id: str, title: str, outlet: str, url: str, published: str, language: str
) -> Columns:
    """The column options as the one ``Columns`` value the library takes."""
    return Columns(
        text=text,
        id=id,
        title=title,
        outlet=outlet,
        url=url,
        published=published,
        language=language,
    )
