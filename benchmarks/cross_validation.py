"""Mean and spread of validation scores over the folds of a K-fold cross-validation.

    for i in 0 1 2 3 4; do
        unspin train -m unspin-small-v1 --folds 5 --fold $i --out runs/small-fold$i
    done
    python benchmarks/cross_validation.py runs/small-fold*  [--json]

Reads each run's model.json (written by ``unspin train --folds K --fold I``), checks that
the runs are distinct folds of one split, and prints SI precision/recall/F1, TC micro-F1 and
per-technique TC F1 as mean, standard deviation, min and max over the folds. Each fold's
scores are at its last epoch, with the decoding thresholds chosen on that fold.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from typing import Any

METRICS = ("si_precision", "si_recall", "si_f1", "tc_f1")


def summarise(cards: list[dict[str, Any]]) -> dict[str, Any]:
    folds = {c["training"]["folds"] for c in cards}
    seeds = {c["training"]["split_seed"] for c in cards}
    indices = [c["training"]["fold"] for c in cards]
    if len(folds) != 1 or 0 in folds or len(seeds) != 1 or len(set(indices)) != len(indices):
        raise SystemExit("the runs are not distinct folds of one K-fold split")

    def spread(values: list[float]) -> dict[str, float]:
        return {
            "mean": round(statistics.fmean(values), 4),
            "sd": round(statistics.stdev(values), 4) if len(values) > 1 else 0.0,
            "min": min(values),
            "max": max(values),
        }

    techniques = sorted({t for c in cards for t in c["validation"]["tc_per_technique"]})
    return {
        "model": sorted({c["name"] for c in cards}),
        "folds": folds.pop(),
        "folds_run": sorted(indices),
        "articles": sum(c["validation"]["articles"] for c in cards),
        **{m: spread([c["validation"][m] for c in cards]) for m in METRICS},
        "tc_per_technique": {
            t: spread([c["validation"]["tc_per_technique"].get(t, 0.0) for c in cards])
            for t in techniques
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", type=Path, help="folders with model.json")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    cards = [json.loads((run / "model.json").read_text()) for run in args.runs]
    summary = summarise(cards)
    if args.json:
        json.dump(summary, sys.stdout, indent=2)
        print()
        return
    print(
        f"{', '.join(summary['model'])}: folds {summary['folds_run']} of {summary['folds']}, "
        f"{summary['articles']} held-out articles in all"
    )
    print(f"{'metric':<40} {'mean':>7} {'sd':>7} {'min':>7} {'max':>7}")
    rows = [(m, summary[m]) for m in METRICS]
    rows += [(f"TC F1 {t}", s) for t, s in summary["tc_per_technique"].items()]
    for name, s in rows:
        print(f"{name:<40} {s['mean']:>7.4f} {s['sd']:>7.4f} {s['min']:>7.4f} {s['max']:>7.4f}")


if __name__ == "__main__":
    main()
