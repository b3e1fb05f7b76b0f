"""``unspin evaluate``: score a model on any PTC-format split, or an attribution model on
PolNeAR-style brat annotations."""

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
    attribution = "attribution"


def evaluate(
    articles_dir: Annotated[
        Path,
        typer.Argument(
            help="Folder of articleNNN.txt files (attribution: of NAME.txt files).",
            show_default=False,
        ),
    ],
    labels_file: Annotated[
        Path,
        typer.Argument(
            help="Gold labels: 3 columns (id start end) or 4 (id technique start end). For "
            "attribution: the folder of brat NAME_ANNOTATOR.ann files.",
            show_default=False,
        ),
    ],
    task: Annotated[
        Task,
        typer.Option(
            "--task",
            help="si: the model finds spans (official SI precision/recall/F1). tc: the model "
            "labels the gold spans (micro-F1, plus F1 per technique). attribution: the "
            "attribution model finds sources, cues and contents (PolNeAR scoring rules).",
        ),
    ],
    model: ModelOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of a table.")
    ] = False,
    device: DeviceOption = "auto",
    weights: Annotated[
        Path | None,
        typer.Option(
            "--weights",
            help="attribution: a folder of trained weights to score instead of the shipped ones.",
            show_default=False,
        ),
    ] = None,
    predictions: Annotated[
        Path | None,
        typer.Option(
            "--predictions",
            help="attribution: also write the predictions as JSON Lines (as `analyze --format "
            "json` writes articles), for other scorers.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Score a model on a PTC-format split (for example the SemEval-2020 Task 11 dev set).

    For si every article in the folder is analysed, so spans found in articles without gold
    labels count against precision. For tc only the articles named in the labels are used.
    For attribution: `unspin evaluate TEXT_DIR ANN_DIR --task attribution`, every article
    with an annotation (the first annotator by id where there are several).
    """
    if task is Task.attribution:
        _attribution(articles_dir, labels_file, model, weights, predictions, as_json)
        return
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


def _attribution(
    text_dir: Path,
    ann_dir: Path,
    model: str | None,
    weights: Path | None,
    predictions: Path | None,
    as_json: bool,
) -> None:
    from collections import Counter

    from unspin.attribution.model import AttributionModel
    from unspin.eval.attribution_eval import run_attribution_evaluation
    from unspin.eval.polnear import load_polnear

    notes: Counter[str] = Counter()
    articles = load_polnear(text_dir, ann_dir, notes)
    attribution_model = AttributionModel.load(model, weights_dir=weights)
    with progress_bar() as bar:
        task_id = bar.add_task("Scoring", total=len(articles))
        result = run_attribution_evaluation(
            attribution_model,
            articles,
            notes,
            predictions=predictions,
            text_dir=text_dir,
            progress=lambda n, total: bar.update(task_id, completed=n, total=total),
        )
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    console = Console()
    title = (
        f"ATTRIBUTION on {result['n_articles']} articles, model {result['model']['name']} "
        f"{result['model']['version']}"
    )
    table = Table(title=title, title_justify="left")
    for column in ("", "match", "precision", "recall", "F1", "predicted", "gold"):
        table.add_column(column, justify="right" if column else "left")
    rows = [(role, kind, result[role][kind]) for role in ("source", "cue", "content")
            for kind in ("exact", "overlap")]  # fmt: skip
    rows += [("attribution link", "", result["attribution"])]
    rows += [("voice (characters)", "", result["voice"])]
    for name, kind, s in rows:
        table.add_row(
            name, kind, f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}",
            str(s["n_pred"]), str(s["n_gold"]),
        )  # fmt: skip
    console.print(table)
    skipped = "; ".join(f"{k}: {v}" for k, v in result["parse_notes"].items())
    console.print(f"annotations read with notes: {skipped or 'none'}")


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
