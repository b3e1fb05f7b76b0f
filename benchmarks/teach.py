"""Write a transfer set: a teacher's soft labels on unlabelled news articles (distillation).

    python benchmarks/teach.py TEACHER --out runs/transfer.json \\
        [--texts ../shared/data/polnear/train/text] [--count 160] [--seed 2026] \\
        [--mix 0.5,0.25] [--decoding 0.40,0.20,10]

TEACHER is a model name (``unspin-pair-v1``: the shipped pair), a training run's folder, or
``A+B``, a pair of two runs of the same fold mixed with ``--mix SI,TC`` as
``benchmarks/cv_heldout.py`` mixes them. For cross-validation each fold's student must learn
from that fold's teacher only (runs that never saw the fold's held-out articles).

The texts are ``--count`` ``.txt`` files drawn with ``--seed`` from ``--texts`` (by default
PolNeAR's training articles: political news of 2016, none of them in PTC). ``--decoding``
(threshold, low threshold, gap; span hygiene on) says which spans the teacher's technique
distributions are kept for: a model's card gives it by default; a training run needs it
given (its card's was chosen on its own held-out articles). ``unspin train --transfer FILE``
trains on the result (``unspin.model.training.distill``).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from rich.progress import Progress

from cv_heldout import load_fold
from unspin import Analyzer, settings
from unspin.io.documents import read_document
from unspin.model.decoding import Decoding
from unspin.model.inference import SpanModel
from unspin.model.training.distill import save_transfer, teach


def load_teacher(name: str, mix: tuple[float, float]) -> tuple[SpanModel, Decoding, str]:
    """The teacher's predictor, its card's decoding and a description of it."""
    if Path(name.split("+")[0]).is_dir():
        card, predictor = load_fold(Path(name), mix)
        described = f"{name} (mix {mix[0]},{mix[1]})" if "+" in name else name
    else:
        analyzer = Analyzer.load(name, device="cpu", attribution="none")
        card, predictor = analyzer.card, analyzer.predictor
        described = name
    return predictor, card.decoding, described


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("teacher", help="a model name, a run's folder, or A+B (two runs)")
    parser.add_argument("--out", type=Path, required=True, help="the transfer set to write")
    parser.add_argument(
        "--texts",
        type=Path,
        default=Path("../shared/data/polnear/train/text"),
        help="a folder of unlabelled .txt articles (default: PolNeAR train's texts)",
    )
    parser.add_argument("--count", type=int, default=160, help="articles to draw (default 160)")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the draw")
    parser.add_argument(
        "--mix",
        type=lambda s: tuple(float(x) for x in s.split(",")),
        default=(0.5, 0.25),
        help="for A+B: the first run's shares of SI and TC (default 0.5,0.25, unspin-pair-v1's)",
    )
    parser.add_argument(
        "--decoding",
        type=lambda s: [float(x) for x in s.split(",")],
        help="threshold,low,gap of the teacher's spans (span hygiene on); default: a model card's",
    )
    args = parser.parse_args()  # fmt: skip

    files = sorted(args.texts.glob("*.txt"))
    if len(files) < args.count:
        sys.exit(f"{args.texts}: {len(files)} .txt files, fewer than --count {args.count}")
    drawn = sorted(random.Random(args.seed).sample(files, args.count))
    max_bytes = settings.get_int("max_bytes")
    texts = {f.stem: read_document(f, max_bytes).text for f in drawn}
    if Path(args.teacher.split("+")[0]).is_dir() and not args.decoding:
        # A fold run's card holds the decoding chosen on its own held-out articles (and a
        # pair of runs has no card of its own): its spans must be decoded by a given rule.
        sys.exit(f"{args.teacher}: a training run teaches with an explicit --decoding")
    predictor, decoding, described = load_teacher(args.teacher, args.mix)
    if args.decoding:
        threshold, low, gap = args.decoding
        decoding = Decoding(threshold, low, int(gap), tidy=True)
    with Progress(transient=True) as bar:
        task = bar.add_task("Teaching", total=len(texts))
        taught = teach(predictor, decoding, texts, progress=lambda n: bar.advance(task, n))
    teacher = {
        "teacher": described,
        "decoding": [decoding.threshold, decoding.low, decoding.gap, decoding.tidy],
        "texts": str(args.texts),
        "count": args.count,
        "seed": args.seed,
    }
    save_transfer(args.out, taught, predictor.techniques, teacher)
    spans = sum(len(a.spans) for a in taught)
    print(f"{args.out}: {len(taught)} articles, {spans} teacher spans ({described})")


if __name__ == "__main__":
    main()
