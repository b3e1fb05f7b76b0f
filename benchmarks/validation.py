"""Validation scores of a shipped model, through the same code as ``unspin evaluate``.

    python benchmarks/validation.py [--model unspin-small-v1] [--data DIR] [--no-native-bf16]

The validation part is the fixed, seeded 10% of PTC train that the model's training held out
(its ids are in the model card; a pair's members hold out the same articles). Scores are
computed with the model as it ships (its CPU number format: bf16 where the CPU has it;
``--no-native-bf16`` makes torch report no bf16, so that ``auto`` chooses as it would on a
processor without it).
"""

from __future__ import annotations

import argparse
import json
import time

from unspin import Analyzer, settings
from unspin.eval.evaluation import run_evaluation
from unspin.eval.ptc import PtcCorpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=settings.get("model"))
    parser.add_argument("--data", default=str(settings.get_path("ptc_dir")))
    parser.add_argument("--no-native-bf16", action="store_true")
    args = parser.parse_args()
    if args.no_native_bf16:
        import torch

        torch.cpu._is_avx512_bf16_supported = lambda: False
        torch.cpu._is_amx_tile_supported = lambda: False

    from pathlib import Path

    corpus = PtcCorpus.load(Path(args.data))
    analyzer = Analyzer.load(args.model, device="cpu")
    val_ids = set(analyzer.card.held_out())
    articles = {i: t for i, t in corpus.articles.items() if i in val_ids}
    results = {}
    for task, labels in (("si", corpus.si), ("tc", corpus.tc)):
        started = time.perf_counter()
        wanted = [label for label in labels if label.article_id in val_ids]
        results[task] = run_evaluation(analyzer, articles, wanted, task)
        results[task]["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
