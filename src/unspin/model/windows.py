"""Cutting an article into encoder windows that keep track of character offsets.

The whole text is tokenised once; tokens are then packed greedily into windows of at most
``max_tokens`` (plus the encoder's opening and closing special tokens: [CLS] and [SEP] for
BERT, <s> and </s> for MPNet), cutting at sentence or line ends where possible so that
each window holds whole sentences.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from tokenizers import Tokenizer

_SENTENCE_END = frozenset(".!?")


@dataclass(frozen=True, slots=True)
class Tokens:
    """An article's word pieces: ids and (start, end) code point offsets into its text."""

    ids: list[int]
    offsets: list[tuple[int, int]]


@dataclass(frozen=True, slots=True)
class Window:
    """A run of tokens ``[first, last)`` of one article, as fed to the encoder."""

    article: int
    first: int
    last: int

    def __len__(self) -> int:
        return self.last - self.first


def tokenize(tokenizer: Tokenizer, text: str) -> Tokens:
    enc = tokenizer.encode(text, add_special_tokens=False)
    return Tokens(list(enc.ids), [tuple(o) for o in enc.offsets])  # type: ignore[misc]


def _starts_sentence(text: str, offsets: list[tuple[int, int]], i: int) -> bool:
    prev_end, start = offsets[i - 1][1], offsets[i][0]
    gap = text[prev_end:start]
    if "\n" in gap:
        return True
    return bool(gap) and text[prev_end - 1] in _SENTENCE_END


def make_windows(text: str, tokens: Tokens, article: int, max_tokens: int) -> list[Window]:
    """Pack the tokens into windows of at most ``max_tokens``, cutting at sentence starts."""
    n = len(tokens.ids)
    windows: list[Window] = []
    first = 0
    while first < n:
        limit = min(first + max_tokens, n)
        cut = limit
        if limit < n:
            for i in range(limit, first, -1):
                if _starts_sentence(text, tokens.offsets, i):
                    cut = i
                    break
        windows.append(Window(article, first, cut))
        first = cut
    return windows


def covering_tokens(offsets: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The first and last token (inclusive) overlapping characters ``[start, end)``, if any."""
    first = bisect.bisect_right(offsets, start, key=lambda o: o[1])
    last = bisect.bisect_left(offsets, end, key=lambda o: o[0]) - 1
    if first > last:
        return None
    return first, last


def bracket_ids(tokenizer: Tokenizer) -> tuple[int, int]:
    """The ids that open and close a window for this tokenizer's encoder.

    Taken from the tokenizer's own post-processor (what it adds around a text), so that a BERT
    tokenizer gives [CLS]/[SEP] and an MPNet one <s>/</s>, with nothing hard-coded.
    """
    enc = tokenizer.encode("", add_special_tokens=True)
    ids = [i for i, m in zip(enc.ids, enc.attention_mask, strict=True) if m]
    if len(ids) != 2:
        raise ValueError(f"the tokenizer wraps a text in {len(ids)} special tokens, not 2")
    return ids[0], ids[1]
