"""Cross-validated figures of two models' probabilities mixed, and the shares of a pair.

    python benchmarks/ensemble_cv.py --a runs/small-fold0 ... --b runs/base-fold0 ... \\
        [--data DIR] [--json out.json] [--card FOLDER --name NAME --members A B]

The runs of ``--a`` and ``--b`` are folds of the same K-fold split (``unspin train --folds K
--fold I``), matched by fold index, so neither model of a pair trained on the articles the pair
is scored on. For each weight ``w`` in 0, 0.25, ..., 1 the pair's output is ``w`` times A's plus
``1 - w`` times B's:

- SI: each of A's word pieces gets the mean of B's P(inside) and P(begin) over B's pieces that
  overlap its characters, averaged with its own and decoded with A's tokens;
- TC: the two technique distributions of each gold span, averaged.

Every choice is nested as in ``cv_heldout.py``: the SI decoding of fold I (and, for the last
row, the weight) is the one with the best SI F1 over the other folds' held-out articles, and
the TC weight of fold I the one best over the other folds. ``w = 1`` is A alone and ``w = 0``
is B alone, decoded on A's tokens.

``--card FOLDER`` writes a pair's model.json there (``unspin-pair-*``; members A and B, the
registered models of these recipes), with the weights best over all the held-out articles;
``cv_heldout.py A+B ... --mix SI,TC --card FOLDER`` then adds its decoding and calibration.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch

from unspin import Analyzer, settings
from unspin.eval.evaluation import decoding_grid, gold_si, predict_si
from unspin.eval.ptc import Label, PtcCorpus
from unspin.eval.scoring import pooled_f1, si_score, tc_score
from unspin.model.inference import Encoded, SpanModel
from unspin.model.loading import ModelCard
from unspin.model.pair import project

WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)


def load(run: Path) -> tuple[int, list[str], SpanModel]:
    card = ModelCard.load(run)
    analyzer = Analyzer.load(card.name, device="cpu", attribution="none", weights_dir=run)
    return card.training["fold"], sorted(card.training["validation_ids"]), analyzer.predictor


def tc_probs(
    predictor: SpanModel, encoded: dict[str, Encoded], template: Sequence[Label]
) -> dict[tuple[str, int, int], torch.Tensor]:
    groups: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for label in template:
        if (label.start, label.end) not in groups[label.article_id]:
            groups[label.article_id].append((label.start, label.end))
    out = {}
    for article_id, spans in groups.items():
        for (s, e), p in zip(spans, predictor.classify(encoded[article_id], spans), strict=True):
            out[(article_id, s, e)] = p
    return out


def tc_labels(
    probs: dict[tuple[str, int, int], torch.Tensor],
    template: Sequence[Label],
    techniques: Sequence[str],
) -> list[Label]:
    count: dict[tuple[str, int, int], int] = defaultdict(int)
    for label in template:
        count[(label.article_id, label.start, label.end)] += 1
    out = []
    for key, k in count.items():
        for i in probs[key].argsort(descending=True)[:k].tolist():
            out.append(Label(key[0], key[1], key[2], techniques[i]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--a", nargs="+", type=Path, required=True)
    parser.add_argument("--b", nargs="+", type=Path, required=True)
    parser.add_argument("--data", type=Path, default=settings.get_path("ptc_dir"))
    parser.add_argument("--json", type=Path)
    parser.add_argument("--card", type=Path, help="write a pair's model.json into this folder")
    parser.add_argument("--name", help="the pair's registered name (with --card)")
    parser.add_argument("--members", nargs=2, help="the registered models A and B (with --card)")
    args = parser.parse_args()
    if args.card and not (args.name and args.members):
        parser.error("--card needs --name and --members")

    corpus = PtcCorpus.load(args.data)
    gold = gold_si(corpus.si)
    grid = decoding_grid(tidy=True)
    b_runs = {}
    for run in args.b:
        b_runs[ModelCard.load(run).training["fold"]] = run

    # Per fold and weight: combined encodings (SI) and TC predictions.
    si_enc: dict[int, dict[float, dict[str, Encoded]]] = {}
    tc_pred: dict[int, dict[float, list[Label]]] = {}
    tc_gold: dict[int, list[Label]] = {}
    for run in args.a:
        fold, ids, pa = load(run)
        _, ids_b, pb = load(b_runs[fold])
        if ids != ids_b or pa.techniques != pb.techniques:
            sys.exit(f"{run} and {b_runs[fold]}: not the same fold or techniques")
        texts = [corpus.articles[i] for i in ids]
        template = [x for x in corpus.tc if x.article_id in set(ids)]
        tc_gold[fold] = template
        enc_a = dict(zip(ids, pa.encode(texts), strict=True))
        probs_a = tc_probs(pa, enc_a, template)
        enc_b = dict(zip(ids, pb.encode(texts), strict=True))
        probs_b = tc_probs(pb, enc_b, template)
        proj = {i: project(enc_a[i], enc_b[i]) for i in ids}
        del enc_b
        si_enc[fold], tc_pred[fold] = {}, {}
        for w in WEIGHTS:
            si_enc[fold][w] = {
                i: Encoded(
                    e.text, e.tokens, [], [],
                    [w * x + (1 - w) * y for x, y in zip(e.p_inside, proj[i][0], strict=True)],
                    [w * x + (1 - w) * y for x, y in zip(e.p_begin, proj[i][1], strict=True)],
                )
                for i, e in enc_a.items()
            }  # fmt: skip
            mixed = {k: w * probs_a[k] + (1 - w) * probs_b[k] for k in probs_a}
            tc_pred[fold][w] = tc_labels(mixed, template, pa.techniques)
        del enc_a
        print(f"fold {fold}: {len(ids)} articles", file=sys.stderr, flush=True)

    folds = sorted(si_enc)
    gold_of = {f: {i: gold.get(i, []) for i in si_enc[f][1.0]} for f in folds}
    by = {
        (w, d): {f: si_score(predict_si(si_enc[f][w], d), gold_of[f]) for f in folds}
        for w in WEIGHTS
        for d in grid
    }
    rows: dict[str, Any] = {}
    for w in WEIGHTS:
        # SI: decoding nested over folds, this weight fixed.
        per_fold = []
        for f in folds:
            d = max(grid, key=lambda d: pooled_f1([by[(w, d)][g] for g in folds if g != f]))
            per_fold.append(by[(w, d)][f])
        all_gold = [x for f in folds for x in tc_gold[f]]
        tc = tc_score([x for f in folds for x in tc_pred[f][w]], all_gold)
        rows[str(w)] = {"si_f1": pooled_f1(per_fold), "fold_si": [round(s.f1, 4) for s in per_fold],
                        "tc": tc.f1}  # fmt: skip
    # Weight and decoding both nested.
    si_nested, tc_nested = [], []
    for f in folds:
        others = [g for g in folds if g != f]
        w, d = max(by, key=lambda k: pooled_f1([by[k][g] for g in others]))
        si_nested.append(by[(w, d)][f])
        w_tc = max(
            WEIGHTS,
            key=lambda w: (
                tc_score(
                    [x for g in others for x in tc_pred[g][w]],
                    [x for g in others for x in tc_gold[g]],
                ).f1
            ),
        )
        tc_nested += tc_pred[f][w_tc]
        print(f"fold {f}: SI weight {w}, TC weight {w_tc}", file=sys.stderr)
    rows["nested"] = {
        "si_f1": pooled_f1(si_nested),
        "tc": tc_score(tc_nested, [x for f in folds for x in tc_gold[f]]).f1,
    }
    print(f"{'w (of A)':>10} {'SI F1':>7} {'TC F1':>7}")
    for key, row in rows.items():
        print(f"{key:>10} {row['si_f1']:7.4f} {row['tc']:7.4f}")
    # For a model of this recipe: the weights best over all the held-out articles.
    si_w, _ = max(by, key=lambda k: pooled_f1(list(by[k].values())))
    tc_w = max(WEIGHTS, key=lambda w: rows[str(w)]["tc"])
    rows["for_a_model_of_this_recipe"] = {"si_weight": si_w, "tc_weight": tc_w}
    print(f"weights best over all folds: SI {si_w}, TC {tc_w} (A's shares)")
    if args.json:
        args.json.write_text(json.dumps({"folds": folds, "rows": rows}, indent=2) + "\n")
    if args.card:
        first = ModelCard.load(args.a[0])
        card = ModelCard(
            name=args.name, version="1.0.0", techniques=first.techniques,
            lora_rank=0, lora_alpha=0.0, max_tokens=0,  # a pair's members have their own
            threshold=0.5, span_hygiene=True,  # until cv_heldout.py --card chooses them
            members=[{"model": args.members[0], "si_weight": si_w, "tc_weight": tc_w},
                     {"model": args.members[1], "si_weight": 1 - si_w, "tc_weight": 1 - tc_w}],
            training={"cpu_bf16": True, "weights": (
                f"the first model's shares, best over {sum(len(gold_of[f]) for f in folds)}"
                f" held-out articles of {len(folds)} folds (benchmarks/ensemble_cv.py): "
                f"{' '.join(r.name for r in args.a)} with {' '.join(r.name for r in args.b)}"
            )},
        )  # fmt: skip
        args.card.mkdir(parents=True, exist_ok=True)
        card.save(args.card)
        print(f"wrote {args.card / 'model.json'}")


if __name__ == "__main__":
    main()
