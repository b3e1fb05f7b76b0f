"""Training the attribution tagger on PolNeAR train: full fine-tuning of the kept encoder
layers (embeddings frozen) and the tag head, one checkpoint per epoch, resumable.

Deterministic for a seed on CPU: same data order, same initialisation.
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
from tokenizers import Tokenizer

from unspin.attribution.net import AttributionNet, base_net
from unspin.attribution.tags import gold_tags
from unspin.eval.polnear import PolnearArticle
from unspin.model.windows import bracket_ids, make_windows, tokenize

Log = Callable[[str], None]
CHECKPOINT = "checkpoint.pt"


@dataclass(frozen=True, slots=True)
class AttributionTrainConfig:
    seed: int = 13
    epochs: int = 6
    num_layers: int = 3
    max_tokens: int = 254
    batch_size: int = 8
    lr: float = 1e-3  # the head
    encoder_lr: float = 1e-4
    weight_decay: float = 0.01
    warmup: float = 0.06
    bf16: bool = False  # CPU autocast: bf16 matrix products, fp32 weights and optimiser


@dataclass(frozen=True, slots=True)
class TagExample:
    ids: list[int]  # [CLS] ... [SEP]
    tags: list[int]  # -100 on [CLS] and [SEP]


def build_examples(
    articles: Sequence[PolnearArticle], tokenizer: Tokenizer, max_tokens: int
) -> list[TagExample]:
    cls_id, sep_id = bracket_ids(tokenizer)
    examples = []
    for article in articles:
        tokens = tokenize(tokenizer, article.text)
        tags = gold_tags(tokens.offsets, article.attributions)
        for w in make_windows(article.text, tokens, 0, max_tokens):
            ids = [cls_id, *tokens.ids[w.first : w.last], sep_id]
            examples.append(TagExample(ids, [-100, *tags[w.first : w.last], -100]))
    return examples


def _batches(examples: list[TagExample], size: int, rng: random.Random) -> list[list[TagExample]]:
    order = examples[:]
    rng.shuffle(order)
    batches = []
    for k in range(0, len(order), size * 32):
        pool = sorted(order[k : k + size * 32], key=lambda e: len(e.ids))
        batches += [pool[i : i + size] for i in range(0, len(pool), size)]
    rng.shuffle(batches)
    return batches


def collate(batch: Sequence[TagExample]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    width = max(len(e.ids) for e in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros_like(ids)
    tags = torch.full_like(ids, -100)
    for row, e in enumerate(batch):
        ids[row, : len(e.ids)] = torch.tensor(e.ids)
        mask[row, : len(e.ids)] = 1
        tags[row, : len(e.tags)] = torch.tensor(e.tags)
    return ids, mask, tags


def train_tagger(
    articles: Sequence[PolnearArticle],
    tokenizer: Tokenizer,
    encoder_dir: Path,
    out_dir: Path,
    config: AttributionTrainConfig,
    log: Log,
    on_epoch: Callable[[int, AttributionNet], None] | None = None,
) -> AttributionNet:
    """Train (or resume from ``out_dir/checkpoint.pt``) and return the tagger."""
    random.seed(config.seed)
    torch.manual_seed(config.seed)
    examples = build_examples(articles, tokenizer, config.max_tokens)
    net = base_net(encoder_dir, config.num_layers)
    net.encoder.embeddings.requires_grad_(False)
    groups: list[dict[str, Any]] = [
        {"params": [p for p in net.encoder.parameters() if p.requires_grad],
         "lr": config.encoder_lr},
        {"params": list(net.head.parameters()), "lr": config.lr},
    ]  # fmt: skip
    optimizer = torch.optim.AdamW(groups, weight_decay=config.weight_decay)
    steps_per_epoch = math.ceil(len(examples) / config.batch_size)
    total = steps_per_epoch * config.epochs
    warmup = max(1, int(total * config.warmup))

    def factor(step: int) -> float:
        return step / warmup if step < warmup else max(0.0, (total - step) / (total - warmup))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, factor)
    start_epoch = 0
    out_dir.mkdir(parents=True, exist_ok=True)
    checkpoint = out_dir / CHECKPOINT
    if checkpoint.is_file():
        saved = torch.load(checkpoint, weights_only=False)
        if saved["config"] != asdict(config):
            raise ValueError(f"{checkpoint} was made with another configuration")
        net.load_state_dict(saved["net"])
        optimizer.load_state_dict(saved["optimizer"])
        scheduler.load_state_dict(saved["scheduler"])
        start_epoch = saved["epoch"]
        log(f"resumed after epoch {start_epoch}")
    log(f"{len(examples)} windows, {steps_per_epoch} steps per epoch, {config.epochs} epochs")
    for epoch in range(start_epoch, config.epochs):
        net.train()
        rng = random.Random(config.seed * 1000 + epoch)
        torch.manual_seed(config.seed * 1000 + epoch)
        began, running = time.monotonic(), 0.0
        for step, batch in enumerate(_batches(examples, config.batch_size, rng), 1):
            ids, mask, tags = collate(batch)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=config.bf16):
                logits = net(ids, mask)
            loss = F.cross_entropy(logits.float().flatten(0, 1), tags.flatten(), ignore_index=-100)
            optimizer.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            running = 0.98 * running + 0.02 * loss.item() if step > 1 else loss.item()
            if step % 50 == 0:
                rate = step / (time.monotonic() - began)
                log(f"epoch {epoch + 1} step {step}/{steps_per_epoch} loss {running:.4f} "
                    f"({rate:.2f} steps/s)")  # fmt: skip
        state = {
            "config": asdict(config),
            "net": net.state_dict(),
            "optimizer": optimizer.state_dict(),
            "scheduler": scheduler.state_dict(),
            "epoch": epoch + 1,
        }
        torch.save(state, checkpoint)
        torch.save(net.state_dict(), out_dir / f"epoch{epoch + 1}.pt")
        log(f"epoch {epoch + 1} done in {time.monotonic() - began:.0f} s")
        if on_epoch is not None:
            on_epoch(epoch + 1, net)
    net.eval()
    return net


def export(
    net: AttributionNet,
    out_dir: Path,
    encoder_dir: Path,
    config: AttributionTrainConfig,
    name: str,
    version: str,
    command: str,
    transitions: list[list[float]],
    decoding: dict[str, Any],
) -> None:
    """Write the shippable weights and the model card (without dev scores yet)."""
    from unspin.attribution.registry import AttributionCard
    from unspin.attribution.tags import TAGS
    from unspin.attribution.weights import save_net

    save_net(net, out_dir, encoder_dir)
    card = AttributionCard(
        name=name,
        version=version,
        num_layers=config.num_layers,
        max_tokens=config.max_tokens,
        tags=list(TAGS),
        decoding=decoding,
        transitions=transitions,
        training={**asdict(config), "data": "PolNeAR v1.0.0 train (840 articles)",
                  "command": command},
    )  # fmt: skip
    card.save(out_dir)


DEFAULT_DECODING: dict[str, Any] = {
    # chosen on PolNeAR dev (see the model card)
    "transition_weight": 0.3,
    "o_bias": -0.5,
    "content_bias": -0.5,
    "share": 200,
    "no_cue": "keep_far",
    "join": 450,
    "merge_quotes": True,
    "dash_quotes": True,
}


def train_transitions(
    articles: Sequence[PolnearArticle], tokenizer: Tokenizer
) -> list[list[float]]:
    """The tag-bigram prior for decoding, from the gold tags of the training articles."""
    from unspin.attribution.tags import transition_log_probs

    sequences = (gold_tags(tokenize(tokenizer, a.text).offsets, a.attributions) for a in articles)
    return [[round(float(x), 5) for x in row] for row in transition_log_probs(sequences)]
