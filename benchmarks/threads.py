"""Analysis speed by thread count, and the count ``threads=0`` picks, at the current load.

    python benchmarks/threads.py [--count 20] [--model unspin-small-v1]

Same articles and in-process analysis as ``benchmarks/speed.py`` (model loading excluded),
once per thread count: the automatic choice (``settings.auto_threads``), 1, and one per CPU.
Prints the 1-minute load average before each run, so that idle and loaded machines can be
compared.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from speed import pick_articles, throughput
from unspin import Analyzer, settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--model", default=settings.get("model"))
    args = parser.parse_args()
    cpus = len(os.sched_getaffinity(0))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pick_articles(settings.get_path("ptc_dir") / "train-articles", args.count, folder)
        for label in ("auto", "1", str(cpus)):
            load = os.getloadavg()[0]
            threads = settings.auto_threads() if label == "auto" else int(label)
            analyzer = Analyzer.load(args.model, device="cpu", threads=threads)
            result = throughput(analyzer, folder)
            rows.append({"threads": label, "used": torch.get_num_threads(), "load": load, **result})
            print(json.dumps(rows[-1]), flush=True)


if __name__ == "__main__":
    main()
