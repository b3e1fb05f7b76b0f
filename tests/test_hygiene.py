"""Span hygiene: one-function-word spans go, dangling edges are trimmed, words stay whole."""

from __future__ import annotations

import pytest

from unspin.model.decoding import Decoding, RawSpan, decode
from unspin.model.hygiene import tidy, tidy_spans
from unspin.model.inference import Encoded
from unspin.model.windows import Tokens


def cut(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def tidied(text: str, phrase: str) -> str | None:
    kept = tidy(text, *cut(text, phrase))
    return None if kept is None else text[kept[0] : kept[1]]


TEXT = (
    "The insurgent peoples of the East rose. We know how it ends: a disgrace, and a shame "
    'of the oppressed nations. If they win, "traitors" rule. The mayor\'s lies, 2020.'
)


@pytest.mark.parametrize("phrase", ["The", "We", "how", "a", "If", "2020", ", ", "."])
def test_one_function_word_or_only_punctuation_is_dropped(phrase: str) -> None:
    assert tidied(TEXT, phrase) is None


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("The insurgent peoples of", "The insurgent peoples"),  # ends on a preposition
        ("of the oppressed nations", "the oppressed nations"),  # starts on one
        ("and a shame of the", "a shame"),  # both edges, several words each
        ("a disgrace, and", "a disgrace"),  # the comma left at the new edge goes too
        ('"traitors" rule', '"traitors" rule'),  # a quote at an untouched edge stays
        ("The mayor's lies", "The mayor's lies"),  # an article may open a span
        ("disgrace", "disgrace"),
    ],
)
def test_dangling_function_words_are_trimmed(phrase: str, expected: str) -> None:
    assert tidied(TEXT, phrase) == expected


def test_tidy_never_cuts_inside_a_word_and_keeps_confidence() -> None:
    spans = [RawSpan(*cut(TEXT, "of the oppressed nations"), 0.7), RawSpan(0, 3, 0.9)]
    (kept,) = tidy_spans(TEXT, spans)
    assert kept.confidence == 0.7
    assert not TEXT[kept.start - 1].isalnum() and not TEXT[kept.end].isalnum()


def _encoded(text: str, inside: list[float]) -> Encoded:
    words = [(m, m + len(w)) for m, w in _word_offsets(text)]
    return Encoded(text, Tokens(list(range(len(words))), words), [], [], inside, [0.0] * len(words))


def _word_offsets(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for word in text.split(" "):
        out.append((pos, word))
        pos += len(word) + 1
    return out


def test_decoding_applies_hygiene_only_when_the_card_asks() -> None:
    text = "The crooks of the council lied"
    enc = _encoded(text, [0.9, 0.9, 0.9, 0.1, 0.1, 0.1])
    plain = decode(enc, Decoding(0.5))
    assert [text[s.start : s.end] for s in plain] == ["The crooks of"]
    tidy_ = decode(enc, Decoding(0.5, tidy=True))
    assert [text[s.start : s.end] for s in tidy_] == ["The crooks"]
    assert decode(_encoded(text, [0.9, 0.1, 0.1, 0.1, 0.1, 0.1]), Decoding(0.5, tidy=True)) == []
