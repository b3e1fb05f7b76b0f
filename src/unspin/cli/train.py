"""``unspin train``: reproduce a shipped model from the PTC train split."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from unspin import settings
from unspin._errors import CorpusError, InputError
from unspin.cli._common import err, progress_bar


class TrainTask(StrEnum):
    propaganda = "propaganda"
    attribution = "attribution"


def train(
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            help="PTC folder with train-articles/ and the train label files "
            "[default: ../shared/data/ptc, or UNSPIN_PTC_DIR]. For --task attribution: the "
            "PolNeAR folder with train/ (and dev/, scored into model.json) "
            "[default: ../shared/data/polnear].",
            show_default=False,
        ),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            "-m",
            help="Which registered model to train (for --task attribution: an attribution "
            "model, default unspin-attribution-v2).",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder for adapter.safetensors and model.json [default: runs/MODEL]. Give "
            "src/unspin/weights/MODEL to replace the shipped weights.",
            show_default=False,
        ),
    ] = None,
    epochs: Annotated[int, typer.Option(min=1, help="Passes over the training articles.")] = 4,
    seed: Annotated[int, typer.Option(help="Seed for initialisation and data order.")] = 13,
    lora_rank: Annotated[
        int,
        typer.Option(
            min=0,
            help="0 fine-tunes the encoder layers fully; N > 0 trains LoRA "
            "adapters of rank N instead.",
        ),
    ] = 0,
    max_tokens: Annotated[
        int,
        typer.Option(
            min=16, max=510, help="Word pieces per encoder window (propaganda; attribution: 254)."
        ),
    ] = 126,
    lr: Annotated[
        float, typer.Option(min=0.0, help="Learning rate of the heads and LoRA adapters.")
    ] = 1e-3,
    lora_lr: Annotated[
        float,
        typer.Option(
            min=0.0,
            help="Learning rate of the LoRA adapters if not --lr (0). MPNet-base collapsed "
            "at 5e-4 (every token the same vector after one epoch).",
        ),
    ] = 0.0,
    folds: Annotated[
        int,
        typer.Option(
            min=0,
            help="K >= 2: cross-validation by article; train on the other folds and "
            "validate on --fold. 0 holds out a seeded 10% instead.",
        ),
    ] = 0,
    fold: Annotated[int, typer.Option(min=0, help="Which fold to hold out (0 to K-1).")] = 0,
    span_hygiene: Annotated[
        bool,
        typer.Option(
            help="Decode without one-function-word spans and dangling edges (the card "
            "records it; unspin-small-v1 was trained without).",
        ),
    ] = True,
    tc_balance: Annotated[
        float,
        typer.Option(
            min=0.0,
            help="Weigh each technique's spans in the TC loss by (spans of the commonest "
            "technique / its spans) ** this: 0 counts every span the same, 0.5 weighs rare "
            "techniques up by the square root.",
        ),
    ] = 0.0,
    transfer: Annotated[
        Path | None,
        typer.Option(
            "--transfer",
            help="Also train on unlabelled articles tagged with a teacher's soft labels: a "
            "transfer set written by benchmarks/teach.py (distillation; see BENCHMARKS.md).",
            show_default=False,
        ),
    ] = None,
    bf16: Annotated[
        bool,
        typer.Option(
            "--bf16",
            help="On CPU, train and validate with bf16 matrix products (weights and optimiser "
            "stay fp32): about twice as fast where the CPU has native bf16.",
        ),
    ] = False,
    resume: Annotated[
        Path | None,
        typer.Option(
            "--resume",
            help="Continue the run whose checkpoint is in this folder, from its last complete "
            "epoch, with the model and settings it was started with (other options ignored).",
            show_default=False,
        ),
    ] = None,
    device: Annotated[
        str, typer.Option(help="auto (a CUDA GPU if there is one), cpu or cuda.")
    ] = "auto",
    kind: Annotated[
        TrainTask,
        typer.Option(
            "--task",
            help="propaganda: the span and technique model. attribution: the "
            "source/cue/content tagger (see --model; CPU, resumable from --out).",
        ),
    ] = TrainTask.propaganda,
) -> None:
    """Reproduce a model's fine-tuned weights from the PTC train split.

    A fixed, seeded 10% of the articles (or, with --folds, one fold) is held out for
    validation, which picks the SI decoding thresholds; its scores and the held-out article
    ids are written to model.json. A checkpoint is saved at the end of every epoch (--resume).

    Measured on a 2-core CPU with --bf16: 11 minutes for a small model (4 epochs, 2 threads),
    50 for unspin-base-v1 (--lora-rank 16 --lr 1e-3 --lora-lr 2e-4 --epochs 3, the shipped
    recipe; 1 thread beside another run). Much faster on a CUDA GPU (bf16 autocast).
    """
    if kind is TrainTask.attribution:
        from unspin.cli.train_attribution import train_attribution

        train_attribution(data, out, epochs, seed, model, bf16)
        return
    import torch

    from unspin.eval.ptc import PtcCorpus
    from unspin.model.registry import get_spec
    from unspin.model.training.checkpoint import load_checkpoint
    from unspin.model.training.train import TrainConfig, pick_device
    from unspin.model.training.train import train as run_training

    if folds and fold >= folds:
        raise InputError(f"--fold {fold} is not one of the {folds} folds (0 to {folds - 1})")
    if folds == 1:
        raise InputError("--folds needs at least 2 folds (or 0 for a 10% hold-out)")
    if transfer is not None and not transfer.is_file():
        raise InputError(f"--transfer {transfer}: no such file (benchmarks/teach.py writes one)")
    if resume is not None:
        saved = load_checkpoint(resume)
        model, out = saved["model"], resume
        config = TrainConfig(**saved["config"])
    else:
        config = TrainConfig(
            epochs=epochs,
            seed=seed,
            lora_rank=lora_rank,
            max_tokens=max_tokens,
            lr=lr,
            folds=folds,
            fold=fold,
            span_hygiene=span_hygiene,
            cpu_bf16=bf16,
            lora_lr=lora_lr,
            tc_balance=tc_balance,
            transfer=str(transfer.resolve()) if transfer else "",
        )
    spec = get_spec(model or settings.get("model"))
    if spec.members:
        raise InputError(
            f"{spec.name} is a pair of trained models ({' and '.join(spec.members)}): train "
            "them, then choose its shares with benchmarks/ensemble_cv.py (see the README)"
        )
    try:
        corpus = PtcCorpus.load(data or settings.get_path("ptc_dir"))
    except CorpusError as error:
        raise CorpusError(error.message.replace("give its folder", "pass --data DIR")) from None
    fixed_threads = settings.get_int("threads")
    torch.set_num_threads(fixed_threads or settings.auto_threads())

    def on_step(step: int, total: int) -> None:
        bar.update(task, completed=step, total=total)
        # A run takes long and the machine's load changes meanwhile: with threads=0 the
        # count follows it (threads beyond the idle cores wait on each other; see settings).
        if not fixed_threads and step % 20 == 0:
            torch.set_num_threads(settings.auto_threads(own=torch.get_num_threads()))

    target = out or Path("runs") / spec.name
    with progress_bar("steps") as bar:
        task = bar.add_task("Training", total=None)
        card = run_training(
            spec,
            corpus,
            target,
            config,
            pick_device(device),
            log=lambda message: bar.console.print(message),
            progress=on_step,
            resume=resume is not None,
        )
    v = card.validation
    err.print(
        f"saved {spec.name} to {target}: validation SI F1 {v['si_f1']:.3f}, "
        f"TC micro-F1 {v['tc_f1']:.3f}"
    )
