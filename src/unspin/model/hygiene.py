"""Span hygiene: no span that is one function word, no span hanging on a function word.

Token-level tagging leaves spans such as ``The`` or ``a`` (one function word, never a
persuasive span on its own) and ragged edges such as ``the insurgent peoples of`` (a
preposition left at the end). This post-process of decoding removes the first and trims the
second, whole words at a time, so that a span never ends or starts inside a word.

It changes what a model outputs, so a model card opts in (``span_hygiene``); models
released without it keep their behaviour.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from unspin.model.decoding import RawSpan

_WORD = re.compile(r"[\w'’-]+")


def _words(lines: str) -> list[str]:
    return lines.split()


# Closed-class words of English: articles, prepositions, conjunctions, auxiliaries, pronouns,
# determiners, wh-words, and clitic pieces. On their own they are never a persuasive span.
FUNCTION_WORDS = frozenset(
    _words(
        """
        a an the of to in on at by with from as into onto upon about over under after before
        between through during against among within without via per than and or but nor so yet
        for if whether because while although though unless until since that this these those
        there here is are was were be been being am do does did done have has had having will
        would shall should can could may might must i me my mine we us our ours you your yours
        he him his she her hers it its they them their theirs one what which who whom whose when
        where why how not no s t d ll re ve m
        """
    )
)

# Words a span should not end on (it would stop mid-phrase: "the peoples of")...
_NO_END = frozenset(
    _words(
        """
        a an the of to in on at by with from as into onto upon about over under after before
        between through during against among within without via per than and or but nor that
        which who whom whose if whether because while although unless until since my our your
        his its their this these those
        """
    )
)
# ... and words it should not start on (a preposition or conjunction left from the phrase
# before). Articles and determiners may open a span ("the shameless mayor").
_NO_START = frozenset(
    _words(
        """
        of to in on at by with from as into onto upon about over under after between through
        during against among within without via per than and or but nor so yet because while
        although though unless until since
        """
    )
)

_EDGE = " \t\r\n.,:;"


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def tidy(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span ``[start, end)`` with dangling function words trimmed off its edges, or None
    when what is left is no span (only punctuation, one function word, or a bare number)."""
    words = [(m.start() + start, m.end() + start) for m in _WORD.finditer(text[start:end])]
    first, last = 0, len(words) - 1
    while first < last and text[words[last][0] : words[last][1]].lower() in _NO_END:
        last -= 1
    while first < last and text[words[first][0] : words[first][1]].lower() in _NO_START:
        first += 1
    if first > last:
        return None
    if first == last:
        word = text[words[first][0] : words[first][1]].lower()
        if word in FUNCTION_WORDS or word.isdigit():
            return None
    # Keep what lay outside the trimmed words (a closing quote or "?"), except at a cut edge.
    new_start = words[first][0] if first > 0 else start
    new_end = words[last][1] if last < len(words) - 1 else end
    new_start, new_end = _strip(text, new_start, new_end)
    return (new_start, new_end) if new_end > new_start else None


def tidy_spans(text: str, spans: Sequence[RawSpan]) -> list[RawSpan]:
    """``tidy`` applied to decoded spans; dropped spans go, confidences stay."""
    from unspin.model.decoding import RawSpan

    out: list[RawSpan] = []
    for span in spans:
        kept = tidy(text, span.start, span.end)
        if kept is not None:
            out.append(RawSpan(kept[0], kept[1], span.confidence))
    return out
