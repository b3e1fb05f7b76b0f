"""Cross-validated figures, every article scored by the fold model that did not train on it.

    python benchmarks/cv_heldout.py runs/small-fold0 ... runs/small-fold4 \\
        [--data DIR] [--tool ../shared/tools/span_hygiene.py] [--json out.json] [--card RUN]

Each run is one fold of ``unspin train --folds K --fold I`` (all of one K); all K together hold
out every article of the PTC train split once, and fewer give figures on their folds. A run
``A+B`` is a pair (``unspin.model.pair``) of two runs of the same fold, mixed with ``--mix
SI,TC`` (the first model's shares; ``benchmarks/ensemble_cv.py`` chooses them). For each
fold this loads its weights, encodes its held-out articles (ids in its model.json) with the code
``unspin analyze`` uses, and keeps what the figures need. Choices are nested, so that no figure
is measured on the articles a choice was made on:

- the SI decoding of fold I (threshold, low threshold, gap) is the grid point of ``unspin
  train`` with the best SI F1 pooled over the other folds' held-out articles;
- the Platt scaling of span confidences for fold I is fitted on the other folds' spans.

It prints SI precision/recall/F1 and TC micro-F1 pooled over all held-out articles (and their
mean and spread over the folds), TC precision/recall/F1 per technique, the ECE of span
confidences raw and Platt-scaled (pooled and per fold) with a reliability table, and, from the
reference span-hygiene tool (``--tool``), the shares of one-function-word spans, dangling edges
and cuts inside words for the gold spans and for the predictions without and with span hygiene.
``--card RUN`` writes into RUN's model.json (a model trained by the same recipe) the decoding
best over all the held-out articles, the Platt scaling fitted on all their spans, and these
figures.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import torch

from unspin import Analyzer, settings
from unspin.eval.evaluation import decoding_grid, gold_si, predict_si, predict_tc
from unspin.eval.ptc import PtcCorpus
from unspin.eval.scoring import Score, pooled_f1, si_score, tc_score
from unspin.model.calibration import Pair, calibrate, ece, fit_platt, reliability, span_pairs
from unspin.model.decoding import Decoding, decode
from unspin.model.inference import Encoded, Predictor, SpanModel
from unspin.model.loading import ModelCard
from unspin.model.pair import PairPredictor


@dataclasses.dataclass
class Fold:
    index: int
    ids: list[str]
    encoded: dict[str, Encoded]
    tc_pred: list[Any]


def load_fold(run: Path, mix: tuple[float, float]) -> tuple[ModelCard, SpanModel]:
    """The card and predictor of a fold's run, loaded as ``unspin analyze`` loads a model; a
    pair ``A+B`` of two runs of the same fold mixed as ``unspin.model.pair`` does."""
    if "+" not in str(run):
        card = ModelCard.load(run)
        analyzer = Analyzer.load(card.name, device="cpu", attribution="none", weights_dir=run)
        return card, analyzer.predictor
    loaded = []
    for part in str(run).split("+"):
        folder = Path(part)
        card = ModelCard.load(folder)
        analyzer = Analyzer.load(card.name, device="cpu", attribution="none", weights_dir=folder)
        assert isinstance(analyzer.predictor, Predictor)
        loaded.append((card, analyzer.predictor))
    (first_card, first), (second_card, second) = loaded
    if first_card.training["validation_ids"] != second_card.training["validation_ids"]:
        sys.exit(f"{run}: the two runs hold out different articles")
    return first_card, PairPredictor(first, second, si_weight=mix[0], tc_weight=mix[1])


def fold_si(fold: Fold, decoding: Decoding, gold: dict[str, list[tuple[int, int]]]) -> Score:
    pred = predict_si(fold.encoded, decoding)
    return si_score(pred, {i: gold.get(i, []) for i in pred})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", type=Path)
    parser.add_argument("--data", type=Path, default=settings.get_path("ptc_dir"))
    parser.add_argument("--tool", type=Path, default=Path("../shared/tools/span_hygiene.py"))
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--card",
        type=Path,
        help="a trained model's folder: write into its model.json the decoding that is best "
        "over all the held-out articles and the Platt scaling fitted on all their spans",
    )
    parser.add_argument(
        "--mix",
        type=lambda s: tuple(float(x) for x in s.split(",")),
        default=(0.5, 0.5),
        help="for pairs A+B: the first model's shares of the SI and TC probabilities "
        "(default 0.5,0.5)",
    )
    parser.add_argument(
        "--tidy",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="choose decodings among those with span hygiene (default)",
    )
    args = parser.parse_args()

    corpus = PtcCorpus.load(args.data)
    gold = gold_si(corpus.si)
    grid = decoding_grid(tidy=args.tidy)
    folds: list[Fold] = []
    predictors: dict[int, SpanModel] = {}
    seen: set[str] = set()
    of: set[int] = set()  # K of the K-fold split: the same for every run
    for run in args.runs:
        card, predictor = load_fold(run, args.mix)
        index = card.training["fold"]
        of.add(card.training["folds"])
        ids = sorted(card.training["validation_ids"])
        if seen & set(ids):
            sys.exit(f"{run}: its held-out articles overlap another run's")
        seen |= set(ids)
        texts = [corpus.articles[i] for i in ids]
        encoded = dict(zip(ids, predictor.encode(texts), strict=True))
        wanted = set(ids)
        tc_labels = [x for x in corpus.tc if x.article_id in wanted]
        tc_pred = predict_tc(predictor, encoded, tc_labels)
        print(f"fold {index}: {len(ids)} articles encoded", file=sys.stderr, flush=True)
        folds.append(Fold(index, ids, encoded, tc_pred))
        predictors[index] = predictor

    if len(of) != 1:
        sys.exit("the runs are folds of different K-fold splits")
    n_folds = of.pop()

    # Nested SI decoding: for each fold, the best grid point on the other folds.
    by_point = {d: [fold_si(f, d, gold) for f in folds] for d in grid}

    chosen: dict[int, Decoding] = {}
    for k, fold in enumerate(folds):
        others = [j for j in range(len(folds)) if j != k]
        chosen[fold.index] = max(grid, key=lambda d: pooled_f1([by_point[d][j] for j in others]))
    per_fold = [by_point[chosen[f.index]][k] for k, f in enumerate(folds)]
    pooled_best = max(grid, key=lambda d: pooled_f1(by_point[d]))
    si_pred: dict[str, list[tuple[int, int]]] = {}
    for fold in folds:
        si_pred.update(predict_si(fold.encoded, chosen[fold.index]))
    si = si_score(si_pred, {i: gold.get(i, []) for i in si_pred})

    # TC on the gold spans, pooled, and per technique.
    tc_all = [x for f in folds for x in f.tc_pred]
    tc_gold = [x for x in corpus.tc if x.article_id in seen]
    tc = tc_score(tc_all, tc_gold)
    tc_folds = [
        tc_score(f.tc_pred, [x for x in corpus.tc if x.article_id in set(f.ids)]).f1 for f in folds
    ]

    # Span confidences with each fold's chosen decoding; Platt fitted on the other folds.
    pairs: dict[int, list[Pair]] = {}
    for fold in folds:
        wanted = set(fold.ids)
        labels = [x for x in corpus.tc if x.article_id in wanted]
        by_article = span_pairs(predictors[fold.index], fold.encoded, chosen[fold.index], labels)
        pairs[fold.index] = [p for ps in by_article.values() for p in ps]
    raw = [p for ps in pairs.values() for p in ps]
    mapped: list[Pair] = []
    fold_ece: list[tuple[float, float]] = []  # each fold's (raw, Platt from the other folds)
    for fold in folds:
        platt = fit_platt([p for j, ps in pairs.items() if j != fold.index for p in ps])
        these = [(calibrate(c, platt), y) for c, y in pairs[fold.index]]
        fold_ece.append((round(ece(pairs[fold.index]), 4), round(ece(these), 4)))
        mapped += these

    figures: dict[str, Any] = {
        "runs": [str(r) for r in args.runs],
        "articles": len(seen),
        "folds": sorted(f.index for f in folds),
        "of": n_folds,
        **({"mix": list(args.mix)} if any("+" in str(r) for r in args.runs) else {}),
        "decodings": {f.index: dataclasses.asdict(chosen[f.index]) for f in folds},
        "si": {"precision": si.precision, "recall": si.recall, "f1": si.f1,
               "fold_f1": [round(s.f1, 4) for s in per_fold]},
        "tc": {"micro_f1": tc.f1, "fold_f1": [round(x, 4) for x in tc_folds],
               "per_technique": {t: dataclasses.asdict(s) for t, s in tc.per_technique.items()}},
        "ece": {"spans": len(raw), "raw": ece(raw), "platt_nested": ece(mapped),
                "fold_raw_platt": fold_ece,
                "reliability_platt_nested": [
                    dict(zip(("bin", "spans", "confidence", "correct"), row, strict=True))
                    for row in reliability(mapped)
                ]},
        "for_a_model_of_this_recipe": {
            "decoding": dataclasses.asdict(pooled_best),
            "si_f1_pooled": pooled_f1(by_point[pooled_best]),
            "platt": fit_platt(raw),
        },
    }  # fmt: skip

    # Span hygiene by the reference tool, on analyze-style JSON Lines of the held-out spans.
    if args.tool.is_file():
        figures["hygiene"] = hygiene(args, corpus, folds, chosen, seen)
    else:
        print(f"no span-hygiene tool at {args.tool}: shares left out", file=sys.stderr)

    report(figures, per_fold, tc_folds)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    if args.card:
        write_card(args.card, figures)


def write_card(folder: Path, figures: dict[str, Any]) -> None:
    """The decoding and calibration chosen on the folds, into a model trained by the same
    recipe (its own choices, made on its 37 validation articles, are replaced)."""
    card = ModelCard.load(folder)
    if card.members and [card.members[0][k] for k in ("si_weight", "tc_weight")] != figures.get(
        "mix"
    ):
        sys.exit(f"{folder}: its pair's weights are not the --mix of these runs")
    chosen = figures["for_a_model_of_this_recipe"]
    d = chosen["decoding"]
    card.threshold, card.low_threshold, card.merge_gap = d["threshold"], d["low"], d["gap"]
    card.span_hygiene = d["tidy"]
    card.calibration = chosen["platt"]
    card.training["decoding_and_calibration"] = (
        f"chosen on {figures['articles']}-article cross-validation of the same recipe "
        f"({len(figures['folds'])} of {figures['of']} folds) "
        f"(benchmarks/cv_heldout.py --card): decoding best on all held-out articles "
        f"(SI F1 {chosen['si_f1_pooled']:.4f} there), Platt scaling fitted on their "
        f"{figures['ece']['spans']} spans (ECE {figures['ece']['raw']:.4f} raw, "
        f"{figures['ece']['platt_nested']:.4f} with scaling fitted on the other folds)"
    )
    card.training["cross_validation"] = {
        **{k: figures[k] for k in ("articles", "folds", "of")},
        "si": {k: figures["si"][k] for k in ("precision", "recall", "f1", "fold_f1")},
        "tc": {k: figures["tc"][k] for k in ("micro_f1", "fold_f1")},
        "tc_per_technique": figures["tc"]["per_technique"],
        "ece": figures["ece"],
        "hygiene": figures.get("hygiene", {}),
    }
    card.save(folder)
    print(f"wrote the decoding {d} and Platt {chosen['platt']} into {folder / 'model.json'}")


def hygiene(
    args: argparse.Namespace,
    corpus: PtcCorpus,
    folds: list[Fold],
    chosen: dict[int, Decoding],
    seen: set[str],
) -> dict[str, str]:
    out: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        labels = Path(tmp) / "gold.labels"
        labels.write_text("".join(f"{x.article_id}\t{x.technique}\t{x.start}\t{x.end}\n"
                                  for x in corpus.tc if x.article_id in seen))  # fmt: skip
        runs = {"gold (TC lines)": ["gold", str(args.data / "train-articles"), str(labels)]}
        for name, tidy in (("predicted, hygiene off", False), ("predicted, hygiene on", True)):
            path = Path(tmp) / f"{tidy}.jsonl"
            with path.open("w") as handle:
                for fold in folds:
                    params = dataclasses.replace(chosen[fold.index], tidy=tidy)
                    for i, enc in fold.encoded.items():
                        spans = [{"start": s.start, "end": s.end, "text": enc.text[s.start : s.end],
                                  "technique": "x", "confidence": s.confidence}
                                 for s in decode(enc, params)]  # fmt: skip
                        handle.write(json.dumps({"id": i, "text": enc.text, "spans": spans}) + "\n")
            runs[name] = ["pred", str(path)]
        for name, argv in runs.items():
            done = subprocess.run([sys.executable, str(args.tool), *argv],
                                  capture_output=True, text=True, check=True)  # fmt: skip
            out[name] = done.stdout.strip()
    return out


def report(figures: dict[str, Any], per_fold: list[Score], tc_folds: list[float]) -> None:
    si, tc = figures["si"], figures["tc"]

    def spread(xs: list[float]) -> str:
        if len(xs) < 2:
            return ""
        return f"mean {statistics.fmean(xs):.4f}, sd {statistics.stdev(xs):.4f}"

    print(f"{figures['articles']} held-out articles, runs: {' '.join(figures['runs'])}")
    print(
        f"SI (decoding chosen on the other folds): P {si['precision']:.4f} R {si['recall']:.4f} "
        f"F1 {si['f1']:.4f}; per fold {si['fold_f1']} ({spread([s.f1 for s in per_fold])})"
    )
    print(f"TC micro-F1 {tc['micro_f1']:.4f}; per fold {tc['fold_f1']} ({spread(tc_folds)})")
    print(f"{'technique':<40} {'P':>6} {'R':>6} {'F1':>6}")
    for name, s in sorted(tc["per_technique"].items(), key=lambda kv: -kv[1]["f1"]):
        print(f"{name:<40} {s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f}")
    e = figures["ece"]
    print(f"span ECE ({e['spans']} spans): raw {e['raw']:.4f}, Platt fitted on the other folds "
          f"{e['platt_nested']:.4f}; per fold (raw, Platt) {e['fold_raw_platt']}")  # fmt: skip
    print("reliability, Platt fitted on the other folds (confidence bin: spans, mean "
          "confidence, share correct):")  # fmt: skip
    for row in e["reliability_platt_nested"]:
        print(f"  {row['bin']}: {row['spans']}, {row['confidence']:.3f}, {row['correct']:.3f}")
    for name, text in figures.get("hygiene", {}).items():
        print(f"--- span hygiene, {name}\n{text}")
    print("decodings chosen:", json.dumps(figures["decodings"]))


if __name__ == "__main__":
    torch.set_num_threads(settings.threads())
    main()
