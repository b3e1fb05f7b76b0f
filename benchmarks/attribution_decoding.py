"""Choose an attribution model's epoch and decoding on PolNeAR dev, and write the chosen one.

    python benchmarks/attribution_decoding.py RUN_DIR [-m unspin-attribution-v2]
        [--epochs 4 5 6] [--data ../shared/data/polnear] [--write DIR]

``RUN_DIR`` is the ``--out`` folder of ``unspin train --task attribution``, which keeps the
tagger of every epoch (``epochN.pt``). For each epoch asked for, this tags the dev articles
once (bf16, as ``analyze`` runs on this machine) and scores a grid of decoding settings
(the O and content biases, the weight of the tag-bigram prior, and whether a content
without a cue joins a neighbour) with the code of ``unspin evaluate --task attribution``.

The choice: the highest voice F1 among the settings that meet every other target of the
attribution issue on dev (source exact >= 0.75, cue exact >= 0.72, content exact >= 0.55,
content overlap >= 0.85, attribution link >= 0.72); if none does, the highest voice F1.
With ``--write DIR`` the chosen epoch is saved there as a shippable model (weights and
card, with its dev scores). The held-out test split is never read.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shlex
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import torch

from unspin import settings
from unspin.attribution.model import AttributionModel
from unspin.attribution.net import base_net
from unspin.attribution.registry import AttributionCard, get_attribution_spec
from unspin.attribution.tags import TAGS
from unspin.attribution.training import (
    DEFAULT_DECODING,
    AttributionTrainConfig,
    export,
    train_transitions,
)
from unspin.eval.attribution_eval import score_predictions
from unspin.eval.polnear import load_polnear
from unspin.model.install import encoder_folder
from unspin.model.loading import in_cpu_format, load_tokenizer

TARGETS = {
    ("source", "exact"): 0.75,
    ("cue", "exact"): 0.72,
    ("content", "exact"): 0.55,
    ("content", "overlap"): 0.85,
}
LINK_TARGET = 0.72


def grid() -> list[dict[str, Any]]:
    out = []
    for o_bias, content_bias, weight, no_cue in itertools.product(
        (-1.0, -0.5, 0.0), (-0.5, 0.0, 0.5), (0.0, 0.3, 0.6), ("keep_far", "keep")
    ):
        out.append({**DEFAULT_DECODING, "o_bias": o_bias, "content_bias": content_bias,
                    "transition_weight": weight, "no_cue": no_cue})  # fmt: skip
    return out


def meets(result: dict[str, Any]) -> bool:
    ok = all(result[task][kind]["f1"] >= t for (task, kind), t in TARGETS.items())
    return ok and result["attribution"]["f1"] >= LINK_TARGET


def line(result: dict[str, Any]) -> str:
    return (
        f"voice {result['voice']['f1']:.4f} source {result['source']['exact']['f1']:.4f} "
        f"cue {result['cue']['exact']['f1']:.4f} content {result['content']['exact']['f1']:.4f}"
        f"/{result['content']['overlap']['f1']:.4f} link {result['attribution']['f1']:.4f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", type=Path)
    parser.add_argument("-m", "--model", default="unspin-attribution-v2")
    parser.add_argument("--epochs", type=int, nargs="+")
    parser.add_argument("--data", type=Path, default=Path("../shared/data/polnear"))
    parser.add_argument("--write", type=Path, help="save the chosen epoch and decoding here")
    args = parser.parse_args()

    spec = get_attribution_spec(args.model)
    encoder_dir = encoder_folder(spec.model_spec)
    tokenizer = load_tokenizer(encoder_dir)
    train = load_polnear(args.data / "train" / "text", args.data / "train" / "attributions",
                         Counter())  # fmt: skip
    dev = load_polnear(args.data / "dev" / "text", args.data / "dev" / "attributions", Counter())
    transitions = train_transitions(train, tokenizer)
    saved = torch.load(args.run / "checkpoint.pt", weights_only=False)["config"]
    config = AttributionTrainConfig(**saved)
    epochs = args.epochs or sorted(
        int(p.stem.removeprefix("epoch")) for p in args.run.glob("epoch*.pt")
    )
    best: tuple[bool, float, int, dict[str, Any], dict[str, Any]] | None = None
    for epoch in epochs:
        net = base_net(encoder_dir, spec.num_layers)
        net.load_state_dict(torch.load(args.run / f"epoch{epoch}.pt", weights_only=True))
        net.eval()
        card = AttributionCard(spec.name, spec.version, spec.num_layers, config.max_tokens,
                               list(TAGS), dict(DEFAULT_DECODING), transitions)  # fmt: skip
        model = AttributionModel(spec, card, in_cpu_format(net, "bf16"), tokenizer)
        tagged = [model.tag_probs(a.text) for a in dev]
        for decoding in grid():
            card.decoding = decoding
            model = AttributionModel(spec, card, model.net, tokenizer)
            predicted = [
                model.decode(a.text, offsets, log_probs)
                for a, (offsets, log_probs) in zip(dev, tagged, strict=True)
            ]
            result = score_predictions(dev, predicted)
            key = (meets(result), result["voice"]["f1"], epoch, decoding, result)
            if best is None or key[:2] > best[:2]:
                best = key
        assert best is not None
        print(f"epoch {epoch}: best so far epoch {best[2]} {line(best[4])} "
              f"targets met: {best[0]}", flush=True)  # fmt: skip
    assert best is not None
    _, _, epoch, decoding, result = best
    print(json.dumps({"epoch": epoch, "decoding": decoding}, indent=2))
    print(line(result))
    if args.write:
        net = base_net(encoder_dir, spec.num_layers)
        net.load_state_dict(torch.load(args.run / f"epoch{epoch}.pt", weights_only=True))
        command = (
            f"unspin train --task attribution -m {spec.name} --epochs {config.epochs} "
            f"--seed {config.seed}{' --bf16' if config.bf16 else ''}; then "
            "python benchmarks/attribution_decoding.py " + shlex.join(sys.argv[1:])
        )
        export(net, args.write, encoder_dir, config, spec.name, spec.version, command,
               transitions, decoding)  # fmt: skip
        card = AttributionCard.load(args.write)
        card.training["epoch_chosen"] = epoch
        card.dev = {k: result[k] for k in ("source", "cue", "content", "attribution", "voice")}
        card.dev["data"] = f"PolNeAR dev, {len(dev)} articles"
        card.save(args.write)
        check = AttributionModel.load(spec.name, dtype="bf16", weights_dir=args.write)
        again = score_predictions(dev, [check.attribute(a.text) for a in dev])
        print(f"written to {args.write}; reloaded from there: {line(again)}")


if __name__ == "__main__":
    torch.set_num_threads(settings.threads())
    main()
