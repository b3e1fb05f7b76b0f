"""The ``unspin`` Typer application and its error handling."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.text import Text

from unspin import __version__
from unspin._errors import UnspinError
from unspin.cli import (
    analyze,
    corpus,
    db,
    evaluate,
    export,
    models,
    outlets,
    reference,
    serve,
    train,
)
from unspin.cli._common import err

app = typer.Typer(
    name="unspin",
    help="Show how a news article persuades: which propaganda and persuasion techniques it "
    "uses, exactly where, and how sure the model is.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.command("analyze")(analyze.analyze)
app.command("evaluate")(evaluate.evaluate)
app.command("train")(train.train)
app.command("techniques")(reference.techniques)
app.command("settings")(reference.show_settings)
app.command("import")(corpus.import_)
app.command("batch")(corpus.batch)
app.command("export")(export.export)
app.command("serve")(serve.serve)
app.add_typer(models.app, name="models")
app.add_typer(db.db_app, name="db")
app.add_typer(outlets.app, name="outlets")

_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"unspin {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show full tracebacks for errors.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    _state["debug"] = debug


def main() -> None:
    """Console entry point: run the app, turning unspin errors into one line and an exit code."""
    try:
        code = app(standalone_mode=False)
    except UnspinError as exc:
        if _state["debug"]:
            raise
        err.print(Text("error: ", style="red") + Text(exc.message), soft_wrap=True)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("aborted")
        sys.exit(130)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except Exception as exc:
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if _state["debug"]:
            raise
        err.print(Text(f"internal error: {exc!r} (run with --debug for the traceback)"))
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
