"""Cross-validation by article: K seeded, deterministic folds of the training articles."""

from __future__ import annotations

import random
from collections.abc import Iterable


def fold_split(
    article_ids: Iterable[str], folds: int, fold: int, seed: int
) -> tuple[list[str], list[str]]:
    """(training ids, held-out ids) for fold ``fold`` of ``folds``.

    The ids are sorted, shuffled with ``seed`` and dealt round-robin into the folds, so every
    article is held out by exactly one fold and the folds differ in size by at most one.
    """
    if folds < 2 or not 0 <= fold < folds:
        raise ValueError(f"fold {fold} of {folds}: need at least 2 folds and 0 <= fold < folds")
    ids = sorted(set(article_ids))
    random.Random(seed).shuffle(ids)
    held = set(ids[fold::folds])
    return sorted(set(ids) - held), sorted(held)
