"""unspin-pair-*: two models' probabilities mixed (``unspin.model.pair``)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from unspin import Analyzer, ModelNotInstalledError
from unspin.model import install
from unspin.model.inference import Encoded, Predictor
from unspin.model.pair import PairPredictor, project
from unspin.model.registry import MODELS, get_spec
from unspin.model.windows import Tokens

TEXT = "They are traitors and liars, all of them, and the cowards run the reckless council."


def _encoded(offsets: list[tuple[int, int]], p: list[float]) -> Encoded:
    return Encoded("Tyrants rule", Tokens(list(range(len(offsets))), offsets), [], [], p, p)


def test_projection_averages_the_overlapping_pieces_of_the_other_tokenizer() -> None:
    onto = _encoded([(0, 7), (8, 12)], [0.0, 0.0])
    other = _encoded([(0, 2), (2, 7), (8, 12)], [0.2, 0.4, 0.9])
    inside, begin = project(onto, other)
    assert inside == pytest.approx([0.3, 0.9])
    assert begin == pytest.approx([0.3, 0.9])
    # A piece the other tokenizer has nothing over takes the nearest piece's value.
    gap = _encoded([(0, 7), (7, 8), (8, 12)], [0.0, 0.0, 0.0])
    assert project(gap, _encoded([(0, 7), (8, 12)], [0.1, 0.7]))[0] == pytest.approx(
        [0.1, 0.7, 0.7]
    )


@pytest.fixture(scope="module")
def members() -> tuple[Predictor, Predictor]:
    """Two different models of one tokenizer (both small: in CI only MiniLM is installed)."""
    loaded = []
    for name in ("unspin-small-v1", "unspin-small-v2"):
        predictor = Analyzer.load(name, device="cpu", attribution="none").predictor
        assert isinstance(predictor, Predictor)
        loaded.append(predictor)
    return loaded[0], loaded[1]


def test_a_pair_mixes_its_members_by_their_shares(members: tuple[Predictor, Predictor]) -> None:
    first, second = members
    a, b = first.encode([TEXT])[0], second.encode([TEXT])[0]
    assert a.p_inside != pytest.approx(b.p_inside)  # different models: the mix is visible
    spans = [(9, 17), (22, 27), (51, 58)]
    for si, tc in ((1.0, 1.0), (0.0, 0.0), (0.5, 0.25)):
        pair = PairPredictor(first, second, si_weight=si, tc_weight=tc)
        enc = pair.encode([TEXT])[0]
        assert enc.p_inside == pytest.approx(
            [si * x + (1 - si) * y for x, y in zip(a.p_inside, b.p_inside, strict=True)]
        )
        assert enc.p_begin == pytest.approx(
            [si * x + (1 - si) * y for x, y in zip(a.p_begin, b.p_begin, strict=True)]
        )
        expected = tc * first.classify(a, spans) + (1 - tc) * second.classify(b, spans)
        assert torch.allclose(pair.classify(enc, spans), expected, atol=1e-6)


def test_a_pair_refuses_what_it_cannot_mix(members: tuple[Predictor, Predictor]) -> None:
    first, second = members
    with pytest.raises(ValueError, match="shares"):
        PairPredictor(first, second, si_weight=1.5, tc_weight=0.5)
    pair = PairPredictor(first, second, si_weight=0.5, tc_weight=0.5)
    with pytest.raises(ValueError, match="not encoded by the pair"):
        pair.classify(first.encode([TEXT])[0], [(9, 17)])


def test_a_pair_is_installed_only_with_both_encoders(monkeypatch: pytest.MonkeyPatch) -> None:
    pair = get_spec("unspin-pair-v1")
    assert pair.members == ("unspin-small-v2", "unspin-base-v1")
    real = install._installed_folder
    monkeypatch.setattr(
        install, "_installed_folder", lambda enc: None if enc.parts else real(enc)
    )  # MPNet (the base encoder) missing, MiniLM there
    assert install.is_installed(MODELS["unspin-small-v2"])
    assert not install.is_installed(pair)
    with pytest.raises(ModelNotInstalledError, match="unspin models download unspin-pair-v1"):
        Analyzer.load("unspin-pair-v1", attribution="none")


def test_downloading_a_pair_installs_both_members(monkeypatch: pytest.MonkeyPatch) -> None:
    installed: list[str] = []
    download = install.download
    monkeypatch.setattr(install, "download", lambda spec: installed.append(spec.name))
    monkeypatch.setattr(install, "encoder_folder", lambda spec, verify=True: Path("/enc"))
    assert download(get_spec("unspin-pair-v1")) == Path("/enc")
    assert installed == ["unspin-small-v2", "unspin-base-v1"]


def test_the_shipped_pair_finds_and_labels_spans(sample_text: str) -> None:
    if not install.is_installed(get_spec("unspin-pair-v1")):
        pytest.skip("unspin-base-v1's encoder is not installed (unspin models download "
                    "unspin-pair-v1); CI installs only small's")  # fmt: skip
    analyzer = Analyzer.load("unspin-pair-v1", device="cpu", attribution="none")
    assert isinstance(analyzer.predictor, PairPredictor)
    assert analyzer.card.members[0]["model"] == "unspin-small-v2"
    article = analyzer.analyze(sample_text)
    assert len({s.technique for s in article.spans}) >= 2
    assert all(0 < s.confidence < 1 for s in article.spans)
    # Neither member alone: the pair's spans are its own.
    base = Analyzer.load("unspin-base-v1", device="cpu", attribution="none")
    assert article.spans != base.analyze(sample_text).spans


def test_a_pair_holds_out_its_members_articles() -> None:
    from unspin.model.loading import ModelCard

    pair = ModelCard.load(get_spec("unspin-pair-v1").weights_dir)
    small = ModelCard.load(get_spec("unspin-small-v2").weights_dir)
    assert pair.held_out() == small.held_out() and len(small.held_out()) == 37


def test_a_pair_loads_and_analyses_as_a_model(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sample_text: str
) -> None:
    """The pair path of ``Analyzer.load`` (in CI, where base's encoder is absent): a stand-in
    pair of the two small models, its card in a folder as a training run's would be."""
    import json
    from dataclasses import replace

    from unspin import ModelError

    spec = replace(get_spec("unspin-pair-v1"), name="unspin-test-pair",
                   members=("unspin-small-v1", "unspin-small-v2"), encoder=get_spec(
                       "unspin-small-v2").encoder)  # fmt: skip
    monkeypatch.setitem(MODELS, spec.name, spec)
    card = json.loads((get_spec("unspin-pair-v1").weights_dir / "model.json").read_text())
    card["members"] = [
        {"model": "unspin-small-v1", "si_weight": 0.5, "tc_weight": 0.5},
        {"model": "unspin-small-v2", "si_weight": 0.5, "tc_weight": 0.5},
    ]
    (tmp_path / "model.json").write_text(json.dumps(card))
    analyzer = Analyzer.load(spec.name, device="cpu", attribution="none", weights_dir=tmp_path)
    assert isinstance(analyzer.predictor, PairPredictor)
    assert analyzer.predictor.si_weight == 0.5 and analyzer.decoding.threshold == 0.4
    article = analyzer.analyze(sample_text)
    assert article.spans and all(0 < s.confidence < 1 for s in article.spans)
    alone = Analyzer.load("unspin-small-v2", device="cpu", attribution="none")
    assert article.spans != alone.analyze(sample_text).spans

    card["members"][1]["model"] = "unspin-base-v1"  # not the registered members
    (tmp_path / "model.json").write_text(json.dumps(card))
    with pytest.raises(ModelError, match="names the models"):
        Analyzer.load(spec.name, device="cpu", attribution="none", weights_dir=tmp_path)
