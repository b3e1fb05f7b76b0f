"""``unspin train --task attribution``: reproduce the attribution tagger from PolNeAR train."""

from __future__ import annotations

import shlex
import sys
from collections import Counter
from pathlib import Path

from unspin import settings
from unspin.cli._common import err


def train_attribution(
    data: Path | None,
    out: Path | None,
    epochs: int,
    seed: int,
    model_name: str | None = None,
    bf16: bool = False,
) -> None:
    import torch

    from unspin.attribution.model import AttributionModel
    from unspin.attribution.registry import AttributionCard, get_attribution_spec
    from unspin.attribution.training import (
        DEFAULT_DECODING,
        AttributionTrainConfig,
        export,
        train_tagger,
        train_transitions,
    )
    from unspin.eval.attribution_eval import run_attribution_evaluation
    from unspin.eval.attribution_scoring import summary
    from unspin.eval.polnear import load_polnear
    from unspin.model.install import encoder_folder
    from unspin.model.loading import load_tokenizer

    spec = get_attribution_spec(model_name)
    root = data or Path("../shared/data/polnear")
    notes: Counter[str] = Counter()
    articles = load_polnear(root / "train" / "text", root / "train" / "attributions", notes)
    # One thread trains faster than two on a shared 2-core machine (measured: 0.86 s against
    # 2.98 s per step); UNSPIN_THREADS overrides.
    torch.set_num_threads(settings.get_int("threads") or 1)
    target = out or Path("runs") / spec.name
    encoder_dir = encoder_folder(spec.model_spec)
    config = AttributionTrainConfig(seed=seed, epochs=epochs, num_layers=spec.num_layers, bf16=bf16)
    tokenizer = load_tokenizer(encoder_dir)
    net = train_tagger(articles, tokenizer, encoder_dir, target, config, err.print)
    command = "unspin " + shlex.join(sys.argv[1:])
    transitions = train_transitions(articles, tokenizer)
    export(
        net, target, encoder_dir, config, spec.name, spec.version, command, transitions,
        DEFAULT_DECODING,
    )  # fmt: skip
    dev = root / "dev"
    if not (dev / "text").is_dir():
        err.print(f"saved {spec.name} to {target} (no {dev} to score it on)")
        return
    dev_notes: Counter[str] = Counter()
    dev_articles = load_polnear(dev / "text", dev / "attributions", dev_notes)
    model = AttributionModel.load(spec.name, weights_dir=target)
    result = run_attribution_evaluation(model, dev_articles, dev_notes)
    card = AttributionCard.load(target)
    card.dev = {k: result[k] for k in ("source", "cue", "content", "attribution", "voice")}
    card.dev["command"] = (
        f"unspin evaluate {dev / 'text'} {dev / 'attributions'} "
        "--task attribution --weights " + str(target)
    )
    card.save(target)
    err.print(f"saved {spec.name} to {target}: PolNeAR dev {summary(result)}")
