"""The attribution stage: tags, constrained decoding, linking, speakers, voice, and the
shipped model end to end."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from tokenizers import Tokenizer

from unspin.attribution import Attribution, AttributionModel, Piece, voice_of
from unspin.attribution._types import kind_of
from unspin.attribution.linking import link
from unspin.attribution.speakers import _Titles, resolve_speakers
from unspin.attribution.tags import I_CON, I_CUE, TAGS, O, gold_tags, viterbi
from unspin.eval.polnear import GoldAttribution
from unspin.model.install import encoder_folder, is_installed
from unspin.model.loading import load_tokenizer
from unspin.model.registry import get_spec
from unspin.model.windows import tokenize

TEXT = '"We will win," Trump said, "because we are right." Officials said the plan failed.'
GOLD = [
    GoldAttribution(((15, 20),), ((21, 25),), ((0, 14), (27, 50))),
    GoldAttribution(((51, 60),), ((61, 65),), ((66, 82),)),
]


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    spec = get_spec("unspin-small-v1")
    if not is_installed(spec):
        pytest.skip("run `unspin models download unspin-small-v1` (the tokenizer ships with it)")
    return load_tokenizer(encoder_folder(spec, verify=False))


def test_gold_tags_decode_and_link_back_to_the_gold(tokenizer: Tokenizer) -> None:
    tokens = tokenize(tokenizer, TEXT)
    tags = gold_tags(tokens.offsets, GOLD)
    log_probs = np.log(np.full((len(tags), len(TAGS)), 1e-4))
    log_probs[np.arange(len(tags)), tags] = 0.0
    assert viterbi(log_probs) == tags
    linked = link(TEXT, tags, tokens.offsets)
    got = [(x.source, x.cue, x.content) for x in linked]
    assert got == [((15, 20), (21, 25), (0, 50)), ((51, 60), (61, 65), (66, 82))]
    assert linked[0].content_pieces == ((0, 14), (27, 50))


def test_viterbi_never_starts_a_span_inside() -> None:
    # The raw argmax would be O, I-CON, I-CUE: two invalid inside tags.
    probs = np.array([[0.9] + [0.1 / 7] * 7, [0.05] * 8, [0.05] * 8])
    probs[1, I_CON], probs[2, I_CUE] = 0.6, 0.6
    path = viterbi(np.log(probs / probs.sum(1, keepdims=True)))
    assert path[0] == O
    assert path[1] != I_CON  # the argmax, invalid after O
    for prev, cur in itertools.pairwise(path):
        if TAGS[cur].startswith("I-"):
            assert TAGS[prev][2:] == TAGS[cur][2:]


def test_speakers_name_pronouns_and_role_nouns() -> None:
    text = (
        "Donald Trump spoke in Ohio. Trump said taxes were too high. He said more. "
        "Hillary Clinton answered. She said no. The Clinton campaign said later that it "
        "disagreed. The campaign added more. Officials said nothing. The report found fraud."
    )

    def at(word: str, nth: int = 0) -> tuple[int, int]:
        start = -1
        for _ in range(nth + 1):
            start = text.index(word, start + 1)
        return start, start + len(word)

    sources = [at("Trump", 1), at("He"), at("She"), at("The Clinton campaign"),
               at("The campaign"), at("Officials"), at("The report"), None]  # fmt: skip
    got = [(s.name, s.kind) for s in resolve_speakers(text, sources)]
    assert got == [
        ("Donald Trump", "person"),
        ("Donald Trump", "person"),
        ("Hillary Clinton", "person"),
        ("Clinton campaign", "organisation"),
        ("Clinton campaign", "organisation"),
        (None, "anonymous"),
        (None, "document"),
        (None, "unknown"),
    ]


def test_a_pronoun_goes_on_with_the_last_speaker_not_the_last_name() -> None:
    """``... Trump says he wants a promise from Obama. "...?" he asks.``: the ``he`` is the
    speaker of the sentence before (Trump), although Obama is the nearer name; a new subject
    named after the speaker takes over."""
    text = (
        "Barack Obama was in Hawaii. At a rally in Ohio, Donald Trump says he wants a promise "
        'from Barack Obama. "Will you promise?" he asks. Obama spoke later. He said nothing.'
    )
    trump = text.index("Donald Trump")
    asks = text.index("he asks")
    said = text.index("He said")
    sources = [(trump, trump + 12), (asks, asks + 2), (said, said + 2)]
    got = [s.name for s in resolve_speakers(text, sources)]
    assert got == ["Donald Trump", "Donald Trump", "Barack Obama"]


def _att(start: int, end: int) -> Attribution:
    return Attribution(None, None, Piece.of(TEXT, start, end), None, "unknown", "direct", 1.0)


_PIECES = [
    "Mrs. ",
    "Ms ",
    "Mr. ",
    "Mr ",
    "Miss ",
    "Jane ",
    "Doe",
    "O'Doe",
    "Doe-",
    " ",
    "x",
    "A",
    "_",
    "'",
    "’",
    "-",
    ".",
    "said",
]


@given(st.lists(st.sampled_from(_PIECES), max_size=12), st.sampled_from(["Doe", "O'Doe", "x"]))
@example(["x", "’", " ", "Doe"], "Doe")
@example(["Mrs. ", "Jane ", "Doe", " ", "A"], "Doe")
@settings(max_examples=300)
def test_title_and_surname_checks_match_the_regular_expressions(
    pieces: list[str], last: str
) -> None:
    """The per-text ``_Titles`` lookups say what the per-name regular expressions they
    replaced (compiled anew for every name) said."""
    text = "".join(pieces)
    titles = _Titles(text)
    escaped = re.escape(last)
    female = re.search(r"\b(?:Mrs|Ms|Miss)\.? (?:[A-Z]\w* )?" + escaped + r"\b", text)
    male = re.search(r"\bMr\.? (?:[A-Z]\w* )?" + escaped + r"\b", text)
    alone = re.search(r"(?<![\w’'-] )\b" + escaped + r"\b(?! [A-Z])", text)
    assert titles.titled(last, female=True) == bool(female)
    assert titles.titled(last, female=False) == bool(male)
    assert titles.alone(last) == bool(alone)


def test_voice_of_a_span() -> None:
    atts = [_att(0, 50), _att(66, 82)]
    assert voice_of(4, 12, atts) == ("quoted", 0)
    assert voice_of(70, 80, atts) == ("quoted", 1)
    assert voice_of(52, 66, atts) == ("author", None)
    assert voice_of(45, 60, atts) == ("author", None)  # mostly outside any content
    assert voice_of(3, 3, []) == ("author", None)


def test_kind_of_content() -> None:
    assert kind_of('"We will win," "because we are right."') == "direct"
    assert kind_of("the plan failed") == "indirect"
    assert kind_of("the plan was “a disaster”") == "mixed"


@pytest.fixture(scope="module")
def model(tokenizer: Tokenizer) -> AttributionModel:
    return AttributionModel.load()


def test_shipped_model_finds_who_says_what(model: AttributionModel) -> None:
    text = (
        "The senator spoke on Tuesday. “We will not back down,” Warren said at the rally. "
        "Officials said the plan had failed."
    )
    atts = model.attribute(text)
    assert atts, "no attribution found"
    for a in atts:
        for piece in (a.source, a.cue, a.content):
            assert piece is None or text[piece.start : piece.end] == piece.text
        assert 0.0 <= a.confidence <= 1.0
    quote = next(a for a in atts if "back down" in a.content.text)
    assert quote.kind == "direct"
    assert quote.cue is not None and quote.cue.text == "said"
    assert quote.source is not None and quote.source.text == "Warren"
    assert quote.speaker == "Warren" and quote.speaker_kind == "person"
    d = quote.to_dict()
    assert set(d) == {"source", "cue", "content", "speaker", "speaker_kind", "kind", "confidence"}
    officials = next(a for a in atts if a.source is not None and a.source.text == "Officials")
    assert officials.kind == "indirect" and officials.speaker_kind == "anonymous"
    assert voice_of(text.index("back"), text.index("down"), atts)[0] == "quoted"
    assert voice_of(0, 11, atts) == ("author", None)
    assert model.attribute("") == []


def test_a_quotation_signed_with_a_dash_is_an_attribution() -> None:
    from unspin.attribution.linking import dash_quotes

    text = "Voters told us.\n\n“He scares me.” ― Krystal Correa\n“Not me.”\u00a0— Esther Tapia.\n"
    got = []
    for a in dash_quotes(text):
        assert a.cue is not None and a.source is not None
        got.append((text[slice(*a.content)], text[slice(*a.cue)], text[slice(*a.source)]))
    assert got == [("“He scares me.”", "―", "Krystal Correa"), ("“Not me.”", "—", "Esther Tapia")]
    assert dash_quotes("He said “no” ― and left the room, as Trump did.") == []
