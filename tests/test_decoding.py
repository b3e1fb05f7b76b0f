"""Windows and span decoding, on hand-made token probabilities (no model needed)."""

from __future__ import annotations

import itertools

import pytest
from tokenizers import Tokenizer

from unspin.model.decoding import Decoding, decode
from unspin.model.inference import Encoded
from unspin.model.install import encoder_folder
from unspin.model.loading import load_tokenizer
from unspin.model.registry import get_spec
from unspin.model.windows import covering_tokens, make_windows, tokenize


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return load_tokenizer(encoder_folder(get_spec("unspin-small-v1"), verify=False))


def encoded(tokenizer: Tokenizer, text: str, inside: dict[str, float], begin: set[str]) -> Encoded:
    """Token probabilities: tokens inside a listed word get its probability, others 0.05;
    the first token of a word in ``begin`` is marked as likely B."""
    tokens = tokenize(tokenizer, text)
    p_in, p_b = [], []
    for a, _ in tokens.offsets:
        word = _word_at(text, a)
        p = inside.get(word, 0.05)
        p_in.append(p)
        p_b.append(p * 0.9 if word in begin and a == text.index(word) else p * 0.1)
    return Encoded(text, tokens, [], [], p_in, p_b)


def _word_at(text: str, i: int) -> str:
    if not text[i].isalnum():
        return text[i]
    start = i
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    end = i
    while end < len(text) and text[end].isalnum():
        end += 1
    return text[start:end]


def test_spans_cover_whole_words_and_trim_punctuation(tokenizer: Tokenizer) -> None:
    text = "They are unbelievably treacherous, said Zoë."
    enc = encoded(tokenizer, text, {"unbelievably": 0.9, "treacherous": 0.8}, set())
    (span,) = decode(enc, Decoding(0.5))
    assert text[span.start : span.end] == "unbelievably treacherous"
    assert span.confidence == pytest.approx(0.85, abs=0.06)


def test_threshold_decides(tokenizer: Tokenizer) -> None:
    text = "A disgraceful and cowardly act."
    enc = encoded(tokenizer, text, {"disgraceful": 0.7, "and": 0.4, "cowardly": 0.7}, set())
    assert [text[s.start : s.end] for s in decode(enc, Decoding(0.5))] == [
        "disgraceful",
        "cowardly",
    ]
    assert [text[s.start : s.end] for s in decode(enc, Decoding(0.3))] == [
        "disgraceful and cowardly"
    ]
    assert decode(enc, Decoding(0.95)) == []


def test_a_likely_begin_splits_a_run(tokenizer: Tokenizer) -> None:
    text = "Traitors everywhere liars"
    probs = {"Traitors": 0.9, "everywhere": 0.9, "liars": 0.9}
    enc = encoded(tokenizer, text, probs, {"liars"})
    assert [text[s.start : s.end] for s in decode(enc, Decoding(0.5))] == [
        "Traitors everywhere",
        "liars",
    ]


def test_offsets_are_code_points(tokenizer: Tokenizer) -> None:
    text = "😀 “Zoë” said: shameful!"
    enc = encoded(tokenizer, text, {"shameful": 0.9}, set())
    (span,) = decode(enc, Decoding(0.5))
    assert text[span.start : span.end] == "shameful"


def test_windows_cut_at_sentences_and_cover_every_token(tokenizer: Tokenizer) -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(60))
    tokens = tokenize(tokenizer, text)
    windows = make_windows(text, tokens, 0, max_tokens=50)
    assert windows[0].first == 0 and windows[-1].last == len(tokens.ids)
    for w, nxt in itertools.pairwise(windows):
        assert w.last == nxt.first and 0 < len(w) <= 50
        assert text[tokens.offsets[nxt.first][0] :].startswith("Sentence")


def test_a_sentence_longer_than_a_window_is_cut_anyway(tokenizer: Tokenizer) -> None:
    text = "word " * 300
    tokens = tokenize(tokenizer, text)
    windows = make_windows(text, tokens, 0, max_tokens=100)
    assert [len(w) for w in windows] == [100, 100, 100]


def test_covering_tokens() -> None:
    offsets = [(0, 3), (4, 9), (9, 10), (11, 15)]
    assert covering_tokens(offsets, 4, 10) == (1, 2)
    assert covering_tokens(offsets, 2, 5) == (0, 1)
    assert covering_tokens(offsets, 10, 11) is None  # only the space between tokens
    assert covering_tokens(offsets, 0, 15) == (0, 3)


def test_hysteresis_pulls_in_weaker_neighbours(tokenizer: Tokenizer) -> None:
    text = "a truly disgraceful betrayal today"
    probs = {"truly": 0.3, "disgraceful": 0.8, "betrayal": 0.35, "today": 0.1}
    enc = encoded(tokenizer, text, probs, set())
    assert [text[s.start : s.end] for s in decode(enc, Decoding(0.5))] == ["disgraceful"]
    spans = decode(enc, Decoding(0.5, low=0.25))
    assert [text[s.start : s.end] for s in spans] == ["truly disgraceful betrayal"]
    # Without a token above the high threshold nothing starts a span.
    assert decode(enc, Decoding(0.9, low=0.25)) == []


def test_gap_merges_near_spans_on_one_line_only(tokenizer: Tokenizer) -> None:
    text = "vile and wicked\nrotten"
    enc = encoded(tokenizer, text, {"vile": 0.9, "wicked": 0.9, "rotten": 0.9}, set())
    assert [text[s.start : s.end] for s in decode(enc, Decoding(0.5))] == [
        "vile",
        "wicked",
        "rotten",
    ]
    spans = decode(enc, Decoding(0.5, gap=5))
    assert [text[s.start : s.end] for s in spans] == ["vile and wicked", "rotten"]
    # The merged span's confidence is the mean over its tokens, "and" included.
    assert spans[0].confidence == pytest.approx((0.9 + 0.05 + 0.9) / 3)


def test_a_span_never_starts_on_closing_punctuation(tokenizer: Tokenizer) -> None:
    text = "Really? Nobody believes them!"
    enc = encoded(tokenizer, text, {"?": 0.9, "Nobody": 0.9, "believes": 0.9, "them": 0.9}, set())
    (span,) = decode(enc, Decoding(0.5))
    assert text[span.start : span.end] == "Nobody believes them"
