"""``unspin techniques`` and ``unspin settings``: the taxonomy and the settings table."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from unspin import settings
from unspin.techniques import TECHNIQUES


def techniques(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """List the 14 techniques the models detect, with a definition and an example of each."""
    if as_json:
        rows = [
            {"name": t.name, "title": t.title, "definition": t.definition, "example": t.example}
            for t in TECHNIQUES
        ]
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    console = Console(highlight=False)
    for t in TECHNIQUES:
        console.print(
            Text(f"■ {t.title}", style=f"bold {t.color}") + Text(f"  ({t.name})", style="dim")
        )
        console.print(Text(f"  {t.definition}"))
        console.print(Text(f"  Example: {t.example}", style="italic"))
        console.print()


def show_settings() -> None:
    """Show every setting, its environment variable, default and current value."""
    console = Console(highlight=False)
    for s in settings.SETTINGS:
        console.print(Text(s.name, style="bold") + Text(f"  {s.env}", style="dim"))
        console.print(Text(f"  {s.help}"))
        console.print(Text(f"  default: {s.default}   current: {settings.get(s.name)}"))
