"""``unspin evaluate``: score a model on any PTC-format split."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from unspin.cli._common import progress_bar
from unspin.cli.options import DeviceOption, ModelOption


class Task(StrEnum):
    si = "si"
    tc = "tc"


def evaluate(
    articles_dir: Annotated[
        Path, typer.Argument(help="Folder of articleNNN.txt files.", show_default=False)
    ],
    labels_file: Annotated[
        Path,
        typer.Argument(
            help="Gold labels: 3 columns (id start end) or 4 (id technique start end).",
            show_default=False,
        ),
    ],
    task: Annotated[
        Task,
        typer.Option(
            "--task",
            help="si: the model finds spans (official SI precision/recall/F1). tc: the model "
            "labels the gold spans (micro-F1, plus F1 per technique).",
        ),
    ],
    model: ModelOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of a table.")
    ] = False,
    device: DeviceOption = "auto",
) -> None:
    """Score a model on a PTC-format split (for example the SemEval-2020 Task 11 dev set).

    For si every article in the folder is analysed, so spans found in articles without gold
    labels count against precision. For tc only the articles named in the labels are used.
    """
    from unspin.analyzer import Analyzer
    from unspin.eval.evaluation import run_evaluation
    from unspin.eval.ptc import load_articles, read_labels

    articles = load_articles(articles_dir)
    labels = read_labels(labels_file, articles)
    analyzer = Analyzer.load(model, device=device)
    with progress_bar() as bar:
        task_id = bar.add_task("Scoring", total=None)
        result = run_evaluation(
            analyzer,
            articles,
            labels,
            task.value,
            progress=lambda n, total: bar.update(task_id, completed=n, total=total),
            source=str(labels_file),
        )
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
    else:
        _print_table(result)


def _print_table(result: dict[str, Any]) -> None:
    console = Console()
    title = (
        f"{result['task'].upper()} on {result['n_articles']} articles, "
        f"model {result['model']['name']} {result['model']['version']}"
    )
    table = Table(title=title, title_justify="left")
    for column in ("", "precision", "recall", "F1", "predicted", "gold"):
        table.add_column(column, justify="right" if column else "left")
    rows = [("all", result), *sorted(result.get("per_technique", {}).items())]
    for name, s in rows:
        table.add_row(
            name,
            f"{s['precision']:.3f}",
            f"{s['recall']:.3f}",
            f"{s['f1']:.3f}",
            str(s["n_pred"]),
            str(s["n_gold"]),
        )
    console.print(table)
