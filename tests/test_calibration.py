"""Calibrated span confidences: the ECE, Platt scaling, and that only cards that ask get it."""

from __future__ import annotations

import random

import pytest

from unspin import Analyzer
from unspin.model.calibration import calibrate, cross_fitted_ece, ece, fit_platt, reliability


def overconfident(n: int, seed: int) -> list[tuple[float, bool]]:
    """Confidences c whose spans are right with probability c / 2."""
    rng = random.Random(seed)
    return [(c, rng.random() < c / 2) for c in (rng.uniform(0.2, 0.9) for _ in range(n))]


def test_ece_is_the_weighted_gap_between_confidence_and_accuracy() -> None:
    assert ece([(0.95, True), (0.95, True)]) == pytest.approx(0.05)
    # Two bins: 0.25 vs 0.5 correct, and 0.75 vs 1.0 correct; each holds half the spans.
    pairs = [(0.25, True), (0.25, False), (0.75, True), (0.75, True)]
    assert ece(pairs) == pytest.approx(0.25)
    assert ece([]) == 0.0


def test_reliability_table_bins_spans_by_confidence() -> None:
    pairs = [(0.25, True), (0.15, False), (0.75, True), (0.95, True), (1.0, False)]
    rows = reliability(pairs)
    assert [r[0] for r in rows] == ["0.1-0.2", "0.2-0.3", "0.7-0.8", "0.9-1.0"]  # empty bins out
    assert rows[1] == ("0.2-0.3", 1, 0.25, 1.0)
    assert rows[-1] == ("0.9-1.0", 2, pytest.approx(0.975), 0.5)  # 1.0 falls in the last bin
    assert sum(r[1] for r in rows) == len(pairs)


def test_platt_scaling_fixes_overconfidence_on_unseen_articles() -> None:
    pairs = overconfident(4000, seed=1)
    platt = fit_platt(pairs)
    assert ece(pairs) > 0.2
    fresh = overconfident(4000, seed=2)
    assert ece([(calibrate(c, platt), y) for c, y in fresh]) < 0.03
    by_article = {str(i): overconfident(40, seed=10 + i) for i in range(100)}
    assert cross_fitted_ece(by_article) < 0.05
    assert fit_platt([(0.5, True)]) == [1.0, 0.0]  # nothing to fit: identity
    assert calibrate(0.3, [1.0, 0.0]) == pytest.approx(0.3)


def test_the_analyzer_calibrates_only_when_the_card_says_so() -> None:
    analyzer = Analyzer.load("unspin-small-v1", device="cpu")
    assert analyzer.card.calibration is None  # a released model keeps its confidences
    text = "These shameless crooks must be stopped before they destroy our proud nation!"
    before = analyzer.analyze(text).spans
    analyzer.card.calibration = [1.0, -1.0]
    after = analyzer.analyze(text).spans
    assert before and [(s.start, s.end, s.technique) for s in before] == [
        (s.start, s.end, s.technique) for s in after
    ]
    for b, a in zip(before, after, strict=True):
        # Confidences are stored to 4 decimals: allow the rounding on both sides.
        assert a.confidence == pytest.approx(calibrate(b.confidence, [1.0, -1.0]), abs=2e-4)
        assert a.confidence < b.confidence
