"""Which linear layers int8 dynamic quantisation can serve, for one model.

    python benchmarks/int8_layers.py [--model unspin-base-v1] [--articles 6] \\
        [--keep output.dense] [--keep output.dense,intermediate] ...

Runs the model in fp32 over the first ``--articles`` of its validation articles, then with
every linear layer of the encoder quantised to int8 except those whose names contain one of
the comma-separated parts of each ``--keep`` (none: all quantised). Prints, for each, the
share of word pieces with P(inside) above 0.4 and the largest difference from fp32.
"""

from __future__ import annotations

import argparse
import copy
import warnings
from pathlib import Path

import torch

from unspin import settings
from unspin.eval.ptc import PtcCorpus
from unspin.model.inference import Predictor
from unspin.model.install import encoder_folder
from unspin.model.loading import ModelCard, load_for_inference, load_tokenizer
from unspin.model.net import UnspinNet
from unspin.model.registry import get_spec


def quantised(net: UnspinNet, keep: list[str]) -> UnspinNet:
    out = copy.deepcopy(net)
    names = [
        name
        for name, module in out.encoder.named_modules()
        if isinstance(module, torch.nn.Linear) and not any(k in name for k in keep)
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # eager dynamic quantisation is deprecated
        for name in names:
            parent_name, _, attr = name.rpartition(".")
            parent = out.encoder.get_submodule(parent_name)
            wrapped = torch.nn.Sequential(getattr(parent, attr))
            q = torch.ao.quantization.quantize_dynamic(  # type: ignore[no-untyped-call]
                wrapped, {torch.nn.Linear}, dtype=torch.qint8
            )
            setattr(parent, attr, q[0])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="unspin-base-v1")
    parser.add_argument("--articles", type=int, default=6)
    parser.add_argument("--keep", action="append", default=[], help="layers left in fp32")
    parser.add_argument("--data", type=Path, default=settings.get_path("ptc_dir"))
    args = parser.parse_args()

    spec = get_spec(args.model)
    folder = encoder_folder(spec)
    card = ModelCard.load(spec.weights_dir)
    net = load_for_inference(folder, spec.weights_dir, card, "cpu", "fp32")
    tokenizer = load_tokenizer(folder)
    corpus = PtcCorpus.load(args.data)
    texts = [corpus.articles[i] for i in card.held_out()[: args.articles]]

    def p_inside(n: UnspinNet) -> torch.Tensor:
        predictor = Predictor(n, tokenizer, card.techniques, max_tokens=card.max_tokens)
        return torch.tensor([p for enc in predictor.encode(texts) for p in enc.p_inside])

    reference = p_inside(net)
    print(f"fp32: {100 * (reference > 0.4).float().mean():.2f}% of pieces above 0.4")
    for keep in [[], *(k.split(",") for k in args.keep)]:
        p = p_inside(quantised(net, keep))
        print(
            f"int8 but {keep or 'nothing'} in fp32: {100 * (p > 0.4).float().mean():.2f}% above "
            f"0.4, largest difference {(p - reference).abs().max():.2f}"
        )


if __name__ == "__main__":
    main()
