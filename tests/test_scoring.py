"""SI and TC scores on small cases worked out by hand (definitions: PTC README)."""

from __future__ import annotations

import json

import pytest

from unspin._errors import InputError
from unspin.eval.ptc import Label
from unspin.eval.scoring import Score, TCScore, pooled_f1, si_score, tc_score

# ---------------------------------------------------------------------------------------------
# SI: P = (1/|S|) sum |s∩t|/|s|,  R = (1/|T|) sum |s∩t|/|t|,  F1 = 2PR/(P+R)
# ---------------------------------------------------------------------------------------------


def test_pooled_f1_is_the_score_of_the_articles_together() -> None:
    """Cross-validation pools folds scored apart: the result must be the score of all."""
    pred = {"a": [(0, 10)], "b": [(0, 4), (20, 30)], "c": [(5, 9)]}
    gold = {"a": [(5, 15)], "b": [(0, 8)], "c": [(40, 50)]}
    apart = [si_score({k: pred[k]}, {k: gold[k]}) for k in ("a", "b", "c")]
    together = si_score(pred, gold).f1
    assert 0 < together < 1 and pooled_f1(apart) == pytest.approx(together)
    assert pooled_f1(apart) != pytest.approx(sum(s.f1 for s in apart) / 3)  # not the mean
    assert pooled_f1([]) == 0.0


def test_si_perfect_match_in_any_order() -> None:
    gold = {"1": [(0, 10), (20, 30)]}
    pred = {"1": [(20, 30), (0, 10)]}  # unsorted on purpose
    assert si_score(pred, gold) == Score(1.0, 1.0, 1.0, n_pred=2, n_gold=2)


def test_si_partial_overlap() -> None:
    # pred [0,10) has 10 chars; gold [6,26) has 20; they share [6,10) = 4 chars.
    # P = 4/10 = 0.4, R = 4/20 = 0.2, F1 = 2*0.4*0.2 / 0.6 = 0.16/0.6 = 4/15
    score = si_score({"1": [(0, 10)]}, {"1": [(6, 26)]})
    assert score.precision == pytest.approx(0.4)
    assert score.recall == pytest.approx(0.2)
    assert score.f1 == pytest.approx(4 / 15)
    assert (score.n_pred, score.n_gold) == (1, 1)


def test_si_disjoint_spans_score_zero() -> None:
    # [0,10) and [10,20) share no character (end is exclusive).
    assert si_score({"1": [(0, 10)]}, {"1": [(10, 20)]}) == Score(0.0, 0.0, 0.0, 1, 1)


def test_si_overlapping_gold_spans_are_merged() -> None:
    # gold [0,10) and [5,20) merge into [0,20): |T| = 1.
    # pred [0,10): P = 10/10 = 1, R = 10/20 = 0.5, F1 = 2*0.5/1.5 = 2/3.
    # (Unmerged, R would be (10/10 + 5/15)/2 = 2/3 with |T| = 2.)
    score = si_score({"1": [(0, 10)]}, {"1": [(0, 10), (5, 20)]})
    assert score.precision == pytest.approx(1.0)
    assert score.recall == pytest.approx(0.5)
    assert score.f1 == pytest.approx(2 / 3)
    assert score.n_gold == 1


def test_si_touching_gold_spans_stay_apart() -> None:
    # [0,5) and [5,10) share no index, so |T| = 2. pred [0,10):
    # P = (5/10 + 5/10)/1 = 1, R = (5/5 + 5/5)/2 = 1.
    assert si_score({"1": [(0, 10)]}, {"1": [(0, 5), (5, 10)]}) == Score(1.0, 1.0, 1.0, 1, 2)


def test_si_overlapping_predictions_are_merged() -> None:
    # pred [0,8) and [4,12) merge into [0,12) = gold: P = R = 1, |S| = 1.
    # (Unmerged, R would be (8/12 + 8/12)/1 = 4/3.)
    score = si_score({"1": [(0, 8), (4, 12)]}, {"1": [(0, 12)]})
    assert score == Score(1.0, 1.0, 1.0, n_pred=1, n_gold=1)


def test_si_one_prediction_across_two_gold_spans_and_a_second_article() -> None:
    # Article A: gold [0,10), [20,30); pred [5,25) (20 chars) shares 5 chars with each.
    #   P part: 5/20 + 5/20 = 0.5      R part: 5/10 + 5/10 = 1.0
    # Article B: gold [0,4) = pred [0,4):  P part 1, R part 1.
    # |S| = 2, |T| = 3: P = 1.5/2 = 0.75, R = 2/3,
    # F1 = 2*0.75*(2/3) / (0.75 + 2/3) = 1 / (17/12) = 12/17.
    pred = {"A": [(5, 25)], "B": [(0, 4)]}
    gold = {"A": [(0, 10), (20, 30)], "B": [(0, 4)]}
    score = si_score(pred, gold)
    assert score.precision == pytest.approx(0.75)
    assert score.recall == pytest.approx(2 / 3)
    assert score.f1 == pytest.approx(12 / 17)
    assert (score.n_pred, score.n_gold) == (2, 3)


def test_si_one_gold_span_across_two_predictions() -> None:
    # gold [0,30); pred [0,10) and [20,30): P = (1 + 1)/2 = 1, R = (10/30 + 10/30)/1 = 2/3,
    # F1 = 2*(2/3) / (5/3) = 0.8.
    score = si_score({"1": [(0, 10), (20, 30)]}, {"1": [(0, 30)]})
    assert score.precision == pytest.approx(1.0)
    assert score.recall == pytest.approx(2 / 3)
    assert score.f1 == pytest.approx(0.8)


@pytest.mark.parametrize("pred", [{"1": [(0, 10)]}, {"1": [(0, 10)], "2": []}])
def test_si_gold_article_without_prediction_counts_in_recall(
    pred: dict[str, list[tuple[int, int]]],
) -> None:
    # Article 2's gold span is missed: |T| = 2. P = 1/1, R = 1/2, F1 = 2*0.5/1.5 = 2/3.
    score = si_score(pred, {"1": [(0, 10)], "2": [(0, 10)]})
    assert score.precision == pytest.approx(1.0)
    assert score.recall == pytest.approx(0.5)
    assert score.f1 == pytest.approx(2 / 3)
    assert (score.n_pred, score.n_gold) == (1, 2)


def test_si_predicted_article_without_gold_counts_in_precision() -> None:
    # Article 3 has no gold: |S| = 2. P = (1 + 0)/2 = 0.5, R = 1/1, F1 = 2*0.5/1.5 = 2/3.
    score = si_score({"1": [(0, 10)], "3": [(0, 5)]}, {"1": [(0, 10)]})
    assert score.precision == pytest.approx(0.5)
    assert score.recall == pytest.approx(1.0)
    assert score.f1 == pytest.approx(2 / 3)
    assert (score.n_pred, score.n_gold) == (2, 1)


def test_si_spans_only_match_within_the_same_article() -> None:
    assert si_score({"1": [(0, 10)]}, {"2": [(0, 10)]}) == Score(0.0, 0.0, 0.0, 1, 1)


@pytest.mark.parametrize("pred, gold", [({}, {}), ({"1": []}, {"1": [], "2": []})])
def test_si_both_empty_is_f1_one(
    pred: dict[str, list[tuple[int, int]]], gold: dict[str, list[tuple[int, int]]]
) -> None:
    assert si_score(pred, gold) == Score(0.0, 0.0, 1.0, 0, 0)


def test_si_no_prediction_against_gold_is_zero() -> None:
    assert si_score({}, {"1": [(0, 10)]}) == Score(0.0, 0.0, 0.0, 0, 1)


@pytest.mark.parametrize("span", [(5, 5), (7, 3), (-1, 4)])
def test_si_rejects_empty_or_negative_spans(span: tuple[int, int]) -> None:
    with pytest.raises(InputError, match=r"article 9: predicted span"):
        si_score({"9": [span]}, {"9": [(0, 10)]})


def test_score_to_dict_is_json_ready() -> None:
    score = si_score({"1": [(0, 10)]}, {"1": [(6, 26)]})
    assert json.loads(json.dumps(score.to_dict())) == {
        "precision": pytest.approx(0.4),
        "recall": pytest.approx(0.2),
        "f1": pytest.approx(4 / 15),
        "n_pred": 1,
        "n_gold": 1,
    }


# ---------------------------------------------------------------------------------------------
# TC: lines grouped by (article, start, end); a group scores |pred techniques ∩ gold techniques|
# as multisets (the official scorer's best ordering). P = correct/|pred|, R = correct/|gold|.
# ---------------------------------------------------------------------------------------------

LOADED = "Loaded_Language"
NAME = "Name_Calling,Labeling"
DOUBT = "Doubt"


def test_tc_two_techniques_on_one_span_in_opposite_order_score_two_of_two() -> None:
    gold = [Label("1", 0, 10, LOADED), Label("1", 0, 10, NAME)]
    pred = [Label("1", 0, 10, NAME), Label("1", 0, 10, LOADED)]
    score = tc_score(pred, gold)
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)
    assert (score.n_pred, score.n_gold) == (2, 2)


def test_tc_wrong_technique() -> None:
    # Span [0,10) right (Doubt), span [20,30) wrong (Repetition for Slogans): 1 of 2.
    gold = [Label("1", 0, 10, DOUBT), Label("1", 20, 30, "Slogans")]
    pred = [Label("1", 0, 10, DOUBT), Label("1", 20, 30, "Repetition")]
    score = tc_score(pred, gold)
    assert (score.precision, score.recall, score.f1) == pytest.approx((0.5, 0.5, 0.5))
    assert score.per_technique == {
        DOUBT: Score(1.0, 1.0, 1.0, n_pred=1, n_gold=1),
        # Never predicted: P has a zero denominator and is 0.0.
        "Slogans": Score(0.0, 0.0, 0.0, n_pred=0, n_gold=1),
        # Never in gold: R has a zero denominator and is 0.0.
        "Repetition": Score(0.0, 0.0, 0.0, n_pred=1, n_gold=0),
    }
    assert list(score.per_technique) == sorted(score.per_technique)


def test_tc_per_technique_values() -> None:
    # span A [0,10):  gold {LOADED, NAME}  pred {NAME, LOADED}  -> 2 correct
    # span B [20,30): gold {LOADED}        pred {NAME}          -> 0
    # span C [40,50): gold {DOUBT}         pred {LOADED}        -> 0
    # micro: P = 2/4, R = 2/4, F1 = 0.5
    # LOADED: pred 2 (A, C), gold 2 (A, B), correct 1 -> P 1/2, R 1/2, F1 1/2
    # NAME:   pred 2 (A, B), gold 1 (A),    correct 1 -> P 1/2, R 1,   F1 2*0.5/1.5 = 2/3
    # DOUBT:  pred 0,        gold 1,        correct 0 -> 0, 0, 0
    gold = [
        Label("7", 0, 10, LOADED),
        Label("7", 0, 10, NAME),
        Label("7", 20, 30, LOADED),
        Label("7", 40, 50, DOUBT),
    ]
    pred = [
        Label("7", 0, 10, NAME),
        Label("7", 0, 10, LOADED),
        Label("7", 20, 30, NAME),
        Label("7", 40, 50, LOADED),
    ]
    score = tc_score(pred, gold)
    assert (score.precision, score.recall, score.f1) == pytest.approx((0.5, 0.5, 0.5))
    per = score.per_technique
    assert set(per) == {LOADED, NAME, DOUBT}
    assert (per[LOADED].precision, per[LOADED].recall, per[LOADED].f1) == pytest.approx(
        (0.5, 0.5, 0.5)
    )
    assert (per[NAME].precision, per[NAME].recall, per[NAME].f1) == pytest.approx((0.5, 1.0, 2 / 3))
    assert (per[NAME].n_pred, per[NAME].n_gold) == (2, 1)
    assert per[DOUBT] == Score(0.0, 0.0, 0.0, n_pred=0, n_gold=1)


def test_tc_counts_repeated_techniques_as_a_multiset() -> None:
    # Gold has LOADED once on the span, pred twice: only min(2, 1) = 1 is correct.
    # P = 1/2, R = 1/1, F1 = 2*0.5/1.5 = 2/3.
    score = tc_score([Label("1", 0, 10, LOADED)] * 2, [Label("1", 0, 10, LOADED)])
    assert (score.precision, score.recall, score.f1) == pytest.approx((0.5, 1.0, 2 / 3))


@pytest.mark.parametrize("pred", [Label("1", 0, 9, DOUBT), Label("2", 0, 10, DOUBT)])
def test_tc_needs_the_same_article_and_offsets(pred: Label) -> None:
    score = tc_score([pred], [Label("1", 0, 10, DOUBT)])
    assert (score.precision, score.recall, score.f1) == (0.0, 0.0, 0.0)


def test_tc_empty_is_all_zero() -> None:
    assert tc_score([], []) == TCScore(0.0, 0.0, 0.0, 0, 0, {})


@pytest.mark.parametrize("technique", [None, "?"])
def test_tc_rejects_lines_without_a_technique(technique: str | None) -> None:
    with pytest.raises(InputError, match=r"article 1: predicted line 0-10 has no technique"):
        tc_score([Label("1", 0, 10, technique)], [Label("1", 0, 10, DOUBT)])


def test_tc_to_dict_nests_per_technique_scores() -> None:
    score = tc_score([Label("1", 0, 10, DOUBT)], [Label("1", 0, 10, DOUBT)])
    assert json.loads(json.dumps(score.to_dict())) == {
        "precision": 1.0,
        "recall": 1.0,
        "f1": 1.0,
        "n_pred": 1,
        "n_gold": 1,
        "per_technique": {
            DOUBT: {"precision": 1.0, "recall": 1.0, "f1": 1.0, "n_pred": 1, "n_gold": 1}
        },
    }
