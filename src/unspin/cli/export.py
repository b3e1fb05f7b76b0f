"""``unspin export``: write a corpus's stored results in any output format."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from unspin._errors import InputError, StoreError
from unspin.cli._common import err, output_stream
from unspin.cli.options import DbOption


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
    """Write the stored results in any format of `analyze`: JSONL (one article per line, as
    `analyze --format json` writes it, with its metadata and score), CSV (one row per span,
    with voice and speaker), PTC labels, an HTML report or terminal text.

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
