"""Token tags for attributions, and the constrained (Viterbi) decoding of tag scores.

Eight tags: ``O``; ``B``/``I`` for sources and cues; and for contents ``B-CON`` (the first
piece of a content), ``I-CON`` (inside a piece) and ``C-CON`` (the start of a *further* piece
of the content before it: ``"We will win," he said, "because ..."`` is one content in two
pieces). The C tag is what keeps a quotation interrupted by its cue in one attribution.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import numpy as np

from unspin.eval.polnear import GoldAttribution
from unspin.model.windows import covering_tokens

TAGS = ("O", "B-SRC", "I-SRC", "B-CUE", "I-CUE", "B-CON", "I-CON", "C-CON")
O, B_SRC, I_SRC, B_CUE, I_CUE, B_CON, I_CON, C_CON = range(len(TAGS))  # noqa: E741
CONTENT_TAGS = [B_CON, I_CON, C_CON]
_INSIDE_OF = {I_SRC: (B_SRC, I_SRC), I_CUE: (B_CUE, I_CUE), I_CON: (B_CON, I_CON, C_CON)}


def gold_tags(
    offsets: Sequence[tuple[int, int]], attributions: Sequence[GoldAttribution]
) -> list[int]:
    """One tag per token for the gold attributions of an article."""
    tags = [O] * len(offsets)

    def mark(pieces: Sequence[tuple[int, int]], first: int, later: int, inside: int) -> None:
        for k, (start, end) in enumerate(pieces):
            toks = covering_tokens(list(offsets), start, end)
            if toks is None:
                continue
            a, b = toks
            tags[a] = first if k == 0 else later
            tags[a + 1 : b + 1] = [inside] * (b - a)

    for att in attributions:
        mark(_joined(att.content), B_CON, C_CON, I_CON)
    for att in attributions:
        mark(_joined(att.cue), B_CUE, B_CUE, I_CUE)
        mark(_joined(att.source), B_SRC, B_SRC, I_SRC)
    return tags


def _joined(pieces: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pieces that touch or overlap are one piece."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(pieces):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def _allowed() -> np.ndarray:
    allowed = np.ones((len(TAGS), len(TAGS)), dtype=bool)  # [previous, current]
    for tag, previous in _INSIDE_OF.items():
        allowed[:, tag] = False
        allowed[list(previous), tag] = True
    return allowed


_ALLOWED = _allowed()
_START_OK = np.array([t not in _INSIDE_OF for t in range(len(TAGS))])


def viterbi(
    log_probs: np.ndarray, transitions: np.ndarray | None = None, weight: float = 0.0
) -> list[int]:
    """The best BIO-valid tag sequence for per-token log probabilities ``[N, len(TAGS)]``,
    with ``weight`` times the log tag-bigram probabilities ``transitions`` added (a prior
    learnt from the training tags: contents seldom stop and restart mid-sentence)."""
    n = log_probs.shape[0]
    if n == 0:
        return []
    penalty = np.where(_ALLOWED, 0.0, -1e9)
    if transitions is not None and weight:
        penalty = penalty + weight * transitions
    score = np.where(_START_OK, log_probs[0], -1e9)
    back = np.zeros((n, len(TAGS)), dtype=np.int64)
    for i in range(1, n):
        total = score[:, None] + penalty
        back[i] = total.argmax(axis=0)
        score = total.max(axis=0) + log_probs[i]
    path = [int(score.argmax())]
    for i in range(n - 1, 0, -1):
        path.append(int(back[i, path[-1]]))
    return path[::-1]


def transition_log_probs(tag_sequences: Iterable[Sequence[int]]) -> np.ndarray:
    """Log probabilities of each tag after each tag (add-one smoothed), from gold tags."""
    counts = np.ones((len(TAGS), len(TAGS)))
    for tags in tag_sequences:
        for previous, current in itertools.pairwise(tags):
            counts[previous, current] += 1
    out: np.ndarray = np.log(counts / counts.sum(axis=1, keepdims=True))
    return out
