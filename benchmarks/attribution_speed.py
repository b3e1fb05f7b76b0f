"""Cost of the attribution stage per article, beside ``analyze`` on the same articles.

    python benchmarks/attribution_speed.py [--count 75] [--weights DIR] [--dtype auto]

The articles are those of ``benchmarks/speed.py`` (75 PTC train articles spread over the
length distribution, mean about 5,600 characters). In the same run, alternating, it times
``Analyzer.analyze_many`` (what ``analyze`` does today) and ``AttributionModel.attribute``
over all of them, and gives the articles/s of the two together, as ``analyze`` with
attributions on would run them one after the other.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

import torch

from unspin import Analyzer, settings
from unspin.attribution import AttributionModel
from unspin.io.documents import Document, iter_documents

sys.path.insert(0, str(Path(__file__).resolve().parent))
from speed import pick_articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path)
    parser.add_argument("--count", type=int, default=75)
    parser.add_argument("--weights", type=Path, default=None)
    parser.add_argument("--dtype", default="auto")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.articles
        if folder is None:
            folder = Path(tmp)
            pick_articles(settings.get_path("ptc_dir") / "train-articles", args.count, folder)
        docs = [d for d in iter_documents([str(folder)], 1_000_000) if isinstance(d, Document)]
        analyzer = Analyzer.load(device="cpu")
        model = AttributionModel.load(dtype=args.dtype, weights_dir=args.weights)
        analyzer.analyze("Warm-up text.")
        model.attribute("Warm-up text, he said.")
        spans_s, attr_s = [], []
        n_attributions = 0
        for _ in range(args.rounds):
            started = time.perf_counter()
            list(analyzer.analyze_many(docs))
            spans_s.append(time.perf_counter() - started)
            started = time.perf_counter()
            n_attributions = sum(len(model.attribute(d.text)) for d in docs)
            attr_s.append(time.perf_counter() - started)
    n = len(docs)
    best_spans, best_attr = min(spans_s), min(attr_s)
    print(json.dumps({
        "machine": f"{platform.machine()}, {torch.get_num_threads()} threads",
        "articles": n,
        "mean_chars": round(sum(len(d.text) for d in docs) / n),
        "analyze_articles_per_s": round(n / best_spans, 2),
        "attribution_s_per_article": round(best_attr / n, 4),
        "attributions_per_article": round(n_attributions / n, 1),
        "analyze_with_attributions_articles_per_s": round(n / (best_spans + best_attr), 2),
        "rounds_seconds": {"analyze": [round(s, 2) for s in spans_s],
                           "attribution": [round(s, 2) for s in attr_s]},
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
