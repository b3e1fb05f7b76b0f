"""From per-token probabilities to character spans (span identification).

Three parameters, chosen on validation when a model is trained and stored in its card:

- ``threshold``: a span needs at least one token whose inside probability reaches it;
- ``low``: a span then grows over neighbouring tokens whose probability reaches this lower
  value (hysteresis: one confident word pulls in its weaker neighbours);
- ``gap``: spans this many characters apart or closer, on the same line, become one.

Spans are widened to whole words, trimmed of spaces and ``.,:;`` (and of ``?!)]}`` at the
start), never cross a line break and never overlap. Inside a run, a new span starts where B
is likelier than I at a word start. With ``tidy`` (models whose card asks for it), spans that
are one function word go and dangling function words are trimmed off the edges
(``unspin.model.hygiene``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from unspin.model.inference import Encoded

_TRIM = " \t\r\n.,:;"
_TRIM_START = _TRIM + "?!)]}"  # a span may end on ? or ! (a doubting question), never start


@dataclass(frozen=True, slots=True)
class Decoding:
    threshold: float
    low: float | None = None  # None: no hysteresis
    gap: int = 0
    tidy: bool = False  # span hygiene (unspin.model.hygiene) after decoding


@dataclass(frozen=True, slots=True)
class RawSpan:
    start: int
    end: int
    confidence: float


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch in "'’-"


def _kept(p: list[float], params: Decoding) -> list[bool]:
    keep = [x >= params.threshold for x in p]
    if params.low is not None:
        low = params.low
        for i in range(1, len(p)):
            if not keep[i] and keep[i - 1] and p[i] >= low:
                keep[i] = True
        for i in range(len(p) - 2, -1, -1):
            if not keep[i] and keep[i + 1] and p[i] >= low:
                keep[i] = True
    return keep


def _runs(enc: Encoded, keep: list[bool]) -> list[tuple[int, int]]:
    text, offsets = enc.text, enc.tokens.offsets
    runs: list[tuple[int, int]] = []
    first = -1
    for i, kept in enumerate(keep):
        if not kept:
            if first >= 0:
                runs.append((first, i - 1))
            first = -1
            continue
        starts_word = offsets[i][0] == 0 or not _is_word_char(text[offsets[i][0] - 1])
        p, b = enc.p_inside[i], enc.p_begin[i]
        new_line = i > 0 and "\n" in text[offsets[i - 1][1] : offsets[i][0]]
        if first >= 0 and (new_line or (starts_word and b > p - b)):
            runs.append((first, i - 1))
            first = i
        elif first < 0:
            first = i
    if first >= 0:
        runs.append((first, len(keep) - 1))
    return runs


def decode(enc: Encoded, params: Decoding) -> list[RawSpan]:
    """The spans of one encoded article, in text order.

    A span's confidence is the mean inside probability of its tokens (for merged spans, the
    tokens between the parts count too).
    """
    text, offsets, p = enc.text, enc.tokens.offsets, enc.p_inside
    found: list[tuple[int, int, int, int]] = []  # start, end, first token, last token
    for a, b in _runs(enc, _kept(p, params)):
        start, end = offsets[a][0], offsets[b][1]
        while start > 0 and _is_word_char(text[start - 1]) and _is_word_char(text[start]):
            start -= 1
        while end < len(text) and _is_word_char(text[end]) and _is_word_char(text[end - 1]):
            end += 1
        while start < end and text[start] in _TRIM_START:
            start += 1
        while end > start and text[end - 1] in _TRIM:
            end -= 1
        if end <= start:
            continue
        if found:
            p_start, p_end, p_a, _ = found[-1]
            near = start - p_end <= params.gap and "\n" not in text[p_end:start]
            if start < p_end or near:
                found[-1] = (p_start, max(end, p_end), p_a, b)
                continue
        found.append((start, end, a, b))
    spans = [RawSpan(start, end, sum(p[a : b + 1]) / (b - a + 1)) for start, end, a, b in found]
    if params.tidy:
        from unspin.model.hygiene import tidy_spans

        spans = tidy_spans(text, spans)
    return spans
