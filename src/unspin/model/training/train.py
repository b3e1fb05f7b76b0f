"""The training loop behind ``unspin train``: LoRA on the encoder, both heads, one seed.

Reproducible for a seed on CPU (same data order, same initialisation): bit for bit with one
thread, to about 1e-5 with several (some CPU kernels sum in a varying order); on a GPU,
kernels may differ in the last bits. The validation part of train is fixed by
``split_seed``: a seeded fraction of the articles, or with ``folds`` one fold of a K-fold
split by article. A checkpoint is written at the end of every epoch; ``resume`` continues
from the last one.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F

from unspin._errors import InputError, ModelError
from unspin.eval.ptc import PtcCorpus
from unspin.model.install import encoder_folder
from unspin.model.loading import ModelCard, base_net, load_tokenizer, save_adapter, trainable_state
from unspin.model.net import UnspinNet
from unspin.model.registry import ModelSpec
from unspin.model.training.checkpoint import load_checkpoint, save_checkpoint
from unspin.model.training.data import Example, build_examples
from unspin.model.training.distill import build_taught_examples, load_transfer, transfer_sha256
from unspin.model.training.folds import fold_split
from unspin.model.training.validate import validate
from unspin.techniques import TECHNIQUE_NAMES

Log = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class TrainConfig:
    seed: int = 13
    split_seed: int = 2020
    val_fraction: float = 0.1
    epochs: int = 4
    batch_size: int = 16
    lr: float = 1e-3
    weight_decay: float = 0.01
    warmup: float = 0.06
    encoder_lr: float = 1e-4
    lora_rank: int = 0  # 0: fine-tune the encoder layers fully (embeddings stay frozen)
    lora_alpha: float = 32.0
    lora_dropout: float = 0.05
    max_tokens: int = 126
    tc_weight: float = 0.5
    folds: int = 0  # 0: hold out val_fraction; K >= 2: hold out fold `fold` of K
    fold: int = 0
    span_hygiene: bool = False  # decode with unspin.model.hygiene (chosen and saved in the card)
    cpu_bf16: bool = False  # bf16 autocast on CPU too (on CUDA it is always on)
    lora_lr: float = 0.0  # learning rate of the LoRA adapters; 0: the same as lr
    # TC loss weight of technique c: (spans of the commonest / spans of c) ** tc_balance, so
    # that rare techniques count more (0: every span the same)
    tc_balance: float = 0.0
    # a transfer set (unspin.model.training.distill): unlabelled articles with a teacher's
    # soft labels, trained on beside the labelled ones ("": none)
    transfer: str = ""


def _batches(examples: list[Example], size: int, rng: random.Random) -> list[list[Example]]:
    """Shuffled batches of windows of similar length (less padding, same randomness)."""
    order = examples[:]
    rng.shuffle(order)
    pools = [order[i : i + size * 32] for i in range(0, len(order), size * 32)]
    batches = []
    for pool in pools:
        pool.sort(key=lambda e: len(e.ids))
        batches += [pool[i : i + size] for i in range(0, len(pool), size)]
    rng.shuffle(batches)
    return batches


def _collate(batch: list[Example], device: str) -> dict[str, torch.Tensor]:
    width = max(len(e.ids) for e in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros_like(ids)
    tags = torch.full_like(ids, -100)
    soft = torch.zeros((len(batch), width, 3)) if any(e.soft for e in batch) else None
    spans, feats, targets = [], [], []
    for row, e in enumerate(batch):
        ids[row, : len(e.ids)] = torch.tensor(e.ids)
        mask[row, : len(e.ids)] = 1
        tags[row, : len(e.tags)] = torch.tensor(e.tags)
        if soft is not None and e.soft:
            soft[row, 1 : len(e.soft) + 1] = torch.tensor(e.soft)
        spans += [(row, a, b) for a, b in e.spans]
        feats += e.features
        targets += e.targets
    out = {"ids": ids, "mask": mask, "tags": tags}
    if soft is not None:
        out["soft"] = soft
    if spans:
        out["spans"] = torch.tensor(spans)
        out["feats"] = torch.tensor(feats)
        out["targets"] = torch.tensor(targets)
    return {k: v.to(device) for k, v in out.items()}


def train(
    spec: ModelSpec,
    corpus: PtcCorpus,
    out_dir: Path,
    config: TrainConfig,
    device: str,
    log: Log,
    progress: Callable[[int, int], None] | None = None,
    resume: bool = False,
) -> ModelCard:
    """Train ``spec``'s fine-tuned weights, pick the SI threshold on validation, save both.

    With ``resume``, continue from the checkpoint in ``out_dir`` (same model and config).
    """
    checkpoint = load_checkpoint(out_dir) if resume else None
    if checkpoint is not None and (
        checkpoint["model"] != spec.name
        # Through TrainConfig: settings added since the checkpoint take their defaults.
        or asdict(TrainConfig(**checkpoint["config"])) != asdict(config)
    ):
        raise ModelError(
            f"{out_dir}: the checkpoint is of {checkpoint['model']} with other settings; "
            "resume it with the model and settings it was started with"
        )
    random.seed(config.seed)
    torch.manual_seed(config.seed)
    encoder_dir = encoder_folder(spec)
    tokenizer = load_tokenizer(encoder_dir)
    if config.folds:
        train_ids, val_ids = fold_split(
            corpus.articles, config.folds, config.fold, config.split_seed
        )
    else:
        train_ids, val_ids = corpus.split(config.split_seed, config.val_fraction)
    log(f"{len(train_ids)} training and {len(val_ids)} validation articles")
    examples = build_examples(corpus, train_ids, tokenizer, TECHNIQUE_NAMES, config.max_tokens)
    transfer: dict[str, Any] = {}
    if config.transfer:
        taught = load_transfer(Path(config.transfer), TECHNIQUE_NAMES)
        clash = {a.id for a in taught} & set(corpus.articles)
        if clash:
            raise InputError(
                f"{config.transfer}: {len(clash)} of its articles are PTC articles "
                f"(e.g. {sorted(clash)[0]}); a transfer set is of unlabelled articles"
            )
        examples += build_taught_examples(taught, tokenizer, config.max_tokens)
        transfer = {
            "transfer_articles": len(taught),
            "transfer_sha256": transfer_sha256(Path(config.transfer)),
        }
        log(f"{len(taught)} unlabelled articles with a teacher's soft labels")
    if checkpoint is not None and checkpoint.get("transfer_sha256") != transfer.get(
        "transfer_sha256"
    ):
        raise ModelError(
            f"{out_dir}: {config.transfer} has changed since the run started; resume it with "
            "the transfer set it was started with, or start a new run"
        )
    class_weights = (
        technique_weights(examples, config.tc_balance).to(device) if config.tc_balance else None
    )

    net = base_net(encoder_dir, len(TECHNIQUE_NAMES))
    if config.lora_rank > 0:
        net.encoder.add_lora(config.lora_rank, config.lora_alpha, config.lora_dropout)
        encoder_lr = config.lora_lr or config.lr
    else:
        net.encoder.embeddings.requires_grad_(False)
        encoder_lr = config.encoder_lr
    net.to(device)
    params = [p for p in net.parameters() if p.requires_grad]
    log(f"{sum(p.numel() for p in params):,} trainable parameters on {device}")
    groups: list[dict[str, Any]] = []
    for prefix, lr in (("encoder.", encoder_lr), ("si_head.", config.lr), ("tc_head.", config.lr)):
        chosen = [p for n, p in net.named_parameters() if p.requires_grad and n.startswith(prefix)]
        groups.append({"params": chosen, "lr": lr})
    optimizer = torch.optim.AdamW(groups, lr=config.lr, weight_decay=config.weight_decay)
    rng = random.Random(config.seed)
    steps_per_epoch = math.ceil(len(examples) / config.batch_size)
    total = steps_per_epoch * config.epochs
    warmup = max(1, int(total * config.warmup))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / max(1, total - warmup)))
    )
    # Mixed precision: bf16 matrix products, fp32 weights, optimiser and loss. On a CPU with
    # native bf16 a LoRA step of MPNet-base takes 3.2 s of CPU instead of 7.3-7.9 (measured).
    amp = "cuda" if device.startswith("cuda") else "cpu"
    autocast = amp == "cuda" or config.cpu_bf16
    history: list[dict[str, Any]] = []
    step = 0
    first_epoch = 1
    spent = 0.0  # seconds of training before this process (a resumed run)
    if checkpoint is not None:
        net.load_state_dict(checkpoint["net"], strict=False)
        optimizer.load_state_dict(checkpoint["optimizer"])
        scheduler.load_state_dict(checkpoint["scheduler"])
        random.setstate(checkpoint["python_rng"])
        rng.setstate(checkpoint["batch_rng"])
        torch.set_rng_state(checkpoint["torch_rng"])
        step, history, spent = checkpoint["step"], checkpoint["history"], checkpoint["seconds"]
        first_epoch = checkpoint["epoch"] + 1
        log(f"resuming after epoch {checkpoint['epoch']} (step {step} of {total})")
    started = time.perf_counter()
    first_step = step
    for epoch in range(first_epoch, config.epochs + 1):
        net.train()
        losses = []
        for batch in _batches(examples, config.batch_size, rng):
            with torch.autocast(amp, dtype=torch.bfloat16, enabled=autocast):
                loss = _step_loss(net, _collate(batch, device), config, class_weights)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()  # type: ignore[no-untyped-call]
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            scheduler.step()
            losses.append(loss.item())
            step += 1
            if progress is not None:
                progress(step, total)
            if step % 20 == 0:
                rate = (time.perf_counter() - started) / (step - first_step)
                log(
                    f"step {step}/{total}: {rate:.2f} s/step, loss {loss.item():.3f}, "
                    f"{torch.get_num_threads()} threads"
                )
        # Validated as it will run on this CPU: in bf16 when trained so.
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=amp == "cpu" and autocast):
            scores = validate(
                net, tokenizer, corpus, val_ids, config.max_tokens, device, config.span_hygiene
            )
        history.append({"epoch": epoch, "loss": sum(losses) / len(losses), **scores})
        log(
            f"epoch {epoch}: loss {history[-1]['loss']:.3f}, validation SI F1 "
            f"{scores['si_f1']:.3f} (thresholds {scores['threshold']:.2f}/"
            f"{scores['low_threshold']}, gap {scores['merge_gap']}), "
            f"TC micro-F1 {scores['tc_f1']:.3f}"
        )
        save_checkpoint(
            out_dir,
            {
                "model": spec.name,
                "config": asdict(config),
                "epoch": epoch,
                "step": step,
                "history": history,
                "seconds": spent + time.perf_counter() - started,
                "net": trainable_state(net),
                "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(),
                "python_rng": random.getstate(),
                "batch_rng": rng.getstate(),
                "torch_rng": torch.get_rng_state(),
                **({"transfer_sha256": transfer["transfer_sha256"]} if transfer else {}),
            },
        )
    elapsed = spent + time.perf_counter() - started
    final = history[-1]
    card = ModelCard(
        name=spec.name,
        version=spec.version,
        techniques=list(TECHNIQUE_NAMES),
        lora_rank=config.lora_rank,
        lora_alpha=config.lora_alpha,
        max_tokens=config.max_tokens,
        threshold=final["threshold"],
        low_threshold=final["low_threshold"],
        merge_gap=final["merge_gap"],
        span_hygiene=config.span_hygiene,
        calibration=final.get("calibration"),
        training={
            **asdict(config),
            "device": device,
            "seconds": round(elapsed),
            "train_articles": len(train_ids),
            **transfer,
            "validation_ids": val_ids,
            "history": history,
        },
        validation={k: v for k, v in final.items() if k not in ("epoch", "loss")},
    )
    net.to("cpu")
    save_adapter(net, out_dir, encoder_dir)
    card.save(out_dir)
    return card


def technique_weights(examples: Sequence[Example], balance: float) -> torch.Tensor:
    """Per-technique TC loss weights: ``(count of the commonest / count) ** balance`` over
    the training spans (all 1 with ``balance`` 0; a technique with no span gets weight 1)."""
    counts = torch.zeros(len(TECHNIQUE_NAMES), dtype=torch.float64)
    for example in examples:
        for target in example.targets:
            counts += torch.tensor(target, dtype=torch.float64)
    if balance == 0 or not counts.any():
        return torch.ones(len(TECHNIQUE_NAMES))
    weights = (counts.max() / counts.clamp(min=1e-9)) ** balance
    return torch.where(counts > 0, weights, torch.ones_like(weights)).float()


def _step_loss(
    net: UnspinNet,
    batch: dict[str, torch.Tensor],
    config: TrainConfig,
    class_weights: torch.Tensor | None = None,
) -> torch.Tensor:
    h, logits = net(batch["ids"], batch["mask"])
    flat = logits.flatten(0, 1).float()
    if "soft" not in batch:
        loss = F.cross_entropy(flat, batch["tags"].flatten())
    else:  # gold tags and a teacher's distributions: the mean over every tagged piece
        soft = batch["soft"].flatten(0, 1)
        gold = batch["tags"].flatten()
        hard_sum = F.cross_entropy(flat, gold, reduction="sum")
        soft_rows = soft.sum(-1) > 0
        soft_sum = -(soft[soft_rows] * flat[soft_rows].log_softmax(-1)).sum()
        count = (gold != -100).sum() + soft_rows.sum()
        loss = (hard_sum + soft_sum) / count.clamp(min=1)
    if "spans" in batch:
        tc_logits = net.classify(h, batch["spans"], batch["feats"]).float()
        targets = batch["targets"]
        if class_weights is None:
            tc_loss = -(targets * tc_logits.log_softmax(-1)).sum(-1).mean()
        else:  # weighted mean: each span by the weight of its techniques
            weighted = targets * class_weights
            tc_loss = -(weighted * tc_logits.log_softmax(-1)).sum() / weighted.sum()
        loss = loss + config.tc_weight * tc_loss
    return loss


def pick_device(requested: str) -> str:
    if requested != "auto":
        return requested
    return "cuda" if torch.cuda.is_available() else "cpu"
