"""Validation during training: SI F1 at the best threshold and TC micro-F1 on held-out articles."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tokenizers import Tokenizer

from unspin.eval.evaluation import best_decoding, evaluate_tc
from unspin.eval.ptc import PtcCorpus
from unspin.model.calibration import cross_fitted_ece, ece, fit_platt, span_pairs
from unspin.model.inference import Predictor
from unspin.model.net import UnspinNet
from unspin.techniques import TECHNIQUE_NAMES


def validate(
    net: UnspinNet,
    tokenizer: Tokenizer,
    corpus: PtcCorpus,
    article_ids: Sequence[str],
    max_tokens: int,
    device: str,
    span_hygiene: bool = False,
) -> dict[str, Any]:
    net.eval()
    predictor = Predictor(net, tokenizer, TECHNIQUE_NAMES, max_tokens=max_tokens, device=device)
    wanted = set(article_ids)
    texts = [corpus.articles[i] for i in article_ids]
    encoded = dict(zip(article_ids, predictor.encode(texts), strict=True))
    si_labels = [label for label in corpus.si if label.article_id in wanted]
    tc_labels = [label for label in corpus.tc if label.article_id in wanted]
    decoding, si = best_decoding(encoded, si_labels, tidy=span_hygiene)
    tc = evaluate_tc(predictor, encoded, tc_labels)
    pairs = span_pairs(predictor, encoded, decoding, tc_labels)
    every = [p for ps in pairs.values() for p in ps]
    return {
        "threshold": decoding.threshold,
        "low_threshold": decoding.low,
        "merge_gap": decoding.gap,
        "si_precision": round(si.precision, 4),
        "si_recall": round(si.recall, 4),
        "si_f1": round(si.f1, 4),
        "tc_f1": round(tc.f1, 4),
        "tc_per_technique": {name: round(s.f1, 4) for name, s in tc.per_technique.items()},
        "articles": len(article_ids),
        # Span confidences: their ECE as decoded, the Platt scaling fitted on these
        # articles (saved in the card), and the ECE that scaling reaches when cross-fitted.
        "span_ece": round(ece(every), 4),
        "calibration": fit_platt(every),
        "span_ece_calibrated": round(cross_fitted_ece(pairs), 4),
    }
