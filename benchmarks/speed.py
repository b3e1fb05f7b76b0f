"""Speed of ``unspin analyze --format json`` on CPU, and cold-start time for one article.

    python benchmarks/speed.py [--articles DIR] [--count 75] [--model unspin-small-v1]
                               [--weights RUN]

Throughput: reads the articles, analyses them and writes JSON Lines exactly as
``unspin analyze DIR --format json`` does, in-process, with model loading excluded.
By default it uses 75 articles of the PTC train split (``UNSPIN_PTC_DIR``) spread evenly over
its length distribution (mean about 5,600 characters, as in the whole split).
Cold start: wall time of a fresh ``unspin analyze examples/sample-article.txt --format json``
process: Python start-up, imports, model loading and analysis. ``--weights RUN`` measures a
training run's weights (``unspin train --out RUN``) for ``--model`` instead of the shipped
ones; the CLI cannot load those, so there is no cold start then.
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

from unspin import Analyzer, settings
from unspin.formats import get_format
from unspin.io.documents import Document, iter_documents

ROOT = Path(__file__).resolve().parent.parent


def pick_articles(source: Path, count: int, target: Path) -> None:
    """``count`` articles spread evenly over the corpus's length distribution, so that their
    lengths are those of typical news articles, neither the shortest nor the longest."""
    files = sorted(source.glob("*.txt"), key=lambda p: (p.stat().st_size, p.name))
    step = len(files) / count
    for i in range(count):
        path = files[int(i * step + step / 2)]
        shutil.copy(path, target / path.name)


def throughput(analyzer: Analyzer, folder: Path) -> dict[str, float]:
    started = time.perf_counter()
    documents = [d for d in iter_documents([str(folder)], 1_000_000) if isinstance(d, Document)]
    sink = io.StringIO()
    get_format("json").write(analyzer.analyze_many(documents), sink)
    seconds = time.perf_counter() - started
    chars = sum(len(d.text) for d in documents)
    return {
        "articles": len(documents),
        "mean_chars": round(chars / len(documents)),
        "seconds": round(seconds, 2),
        "articles_per_s": round(len(documents) / seconds, 2),
        "spans": sink.getvalue().count('"technique"'),
    }


def cold_start(model: str) -> float:
    command = [
        sys.executable, "-m", "unspin", "analyze", str(ROOT / "examples" / "sample-article.txt"),
        "--format", "json", "--model", model, "--output", "/dev/null",
    ]  # fmt: skip
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        best = min(best, time.perf_counter() - started)
    return round(best, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, help="folder of articles to analyse")
    parser.add_argument("--count", type=int, default=75)
    parser.add_argument("--model", default=settings.get("model"))
    parser.add_argument("--weights", type=Path, help="a training run's folder (no cold start)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.articles
        if folder is None:
            folder = Path(tmp)
            source = settings.get_path("ptc_dir") / "train-articles"
            if not source.is_dir():
                sys.exit(f"no articles: pass --articles DIR or set UNSPIN_PTC_DIR ({source})")
            pick_articles(source, args.count, folder)
        started = time.perf_counter()
        analyzer = Analyzer.load(args.model, device="cpu", weights_dir=args.weights)
        load_seconds = time.perf_counter() - started
        analyzer.analyze("Warm-up text for the benchmark.")
        result = {
            "model": args.model + (f" (weights: {args.weights})" if args.weights else ""),
            "machine": f"{platform.machine()}, {torch.get_num_threads()} threads"
            + (" per stage, the two stages side by side" if analyzer._side_by_side else ""),
            "attribution": settings.get("attribution"),
            "torch": torch.__version__,
            "load_seconds": round(load_seconds, 2),
            **throughput(analyzer, folder),
            "cold_start_seconds": None if args.weights else cold_start(args.model),
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
