"""Distillation (``unspin.model.training.distill``): a teacher's soft labels on unlabelled
articles, saved as a transfer set, read back with checks, and trained on by ``unspin train
--transfer``."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from tests.test_training import write_corpus
from unspin._errors import InputError, ModelError
from unspin.eval.ptc import PtcCorpus
from unspin.model.decoding import Decoding
from unspin.model.inference import Predictor
from unspin.model.install import encoder_folder
from unspin.model.loading import ADAPTER_FILE, ModelCard, load_for_inference, load_tokenizer
from unspin.model.registry import get_spec
from unspin.model.training.data import Example
from unspin.model.training.distill import (
    TaughtArticle,
    build_taught_examples,
    load_transfer,
    save_transfer,
    soft_tags,
    teach,
    transfer_sha256,
)
from unspin.model.training.train import TrainConfig, _collate, _step_loss, train
from unspin.model.windows import tokenize
from unspin.techniques import TECHNIQUE_NAMES

SPEC = get_spec("unspin-small-v1")
TEXT = "The corrupt elites betrayed us all.\nThe weather was mild on Tuesday.\n"
PHRASE = "corrupt elites"


def _taught(article_id: str = "unlabelled-1") -> TaughtArticle:
    """An article whose teacher is sure of PHRASE and of nothing else, labelling it
    Name_Calling at 0.8."""
    tokens = tokenize(load_tokenizer(encoder_folder(SPEC)), TEXT)
    start = TEXT.index(PHRASE)
    end = start + len(PHRASE)
    inside = [0.9 if s < end and e > start else 0.02 for s, e in tokens.offsets]
    begin = [0.0] * len(inside)
    begin[inside.index(0.9)] = 0.85
    row = [0.2 / (len(TECHNIQUE_NAMES) - 1)] * len(TECHNIQUE_NAMES)
    row[TECHNIQUE_NAMES.index("Name_Calling,Labeling")] = 0.8
    return TaughtArticle(article_id, TEXT, tokens.offsets, inside, begin, [(start, end)], [row])


def test_soft_tags_are_a_distribution_even_from_inconsistent_probabilities() -> None:
    assert soft_tags(0.9, 0.6) == pytest.approx([0.1, 0.6, 0.3])
    # P(begin) above P(inside) (two models mixed, then rounded): begin wins, nothing negative
    o, b, i = soft_tags(0.4, 0.5)
    assert (o, b, i) == pytest.approx((0.5, 0.5, 0.0))
    assert min(soft_tags(1.2, -0.1)) >= 0.0 and sum(soft_tags(1.2, -0.1)) == pytest.approx(1.0)


def test_taught_windows_carry_the_teachers_distributions(tmp_path: Path) -> None:
    tokenizer = load_tokenizer(encoder_folder(SPEC))
    path = tmp_path / "transfer.json"
    save_transfer(path, [_taught()], TECHNIQUE_NAMES, {"teacher": "hand-made"})
    (article,) = load_transfer(path, TECHNIQUE_NAMES)
    (example,) = build_taught_examples([article], tokenizer, max_tokens=126)
    assert example.soft is not None and len(example.soft) == len(example.ids) - 2
    assert set(example.tags) == {-100}  # no gold tag anywhere
    tokens = tokenize(tokenizer, TEXT)
    start = TEXT.index(PHRASE)
    inside = [k for k, (s, e) in enumerate(tokens.offsets) if s < start + len(PHRASE) and e > start]
    first = inside[0]
    assert example.soft[first] == pytest.approx([0.1, 0.85, 0.05])
    assert example.soft[inside[-1]] == pytest.approx([0.1, 0.0, 0.9])
    assert example.soft[len(tokens.offsets) - 1] == pytest.approx([0.98, 0.0, 0.02])
    # The span, at its pieces' window positions ([CLS] is 0), with the teacher's distribution.
    assert example.spans == [(first + 1, inside[-1] + 1)]
    assert example.targets[0][TECHNIQUE_NAMES.index("Name_Calling,Labeling")] == 0.8


def test_a_broken_transfer_set_is_refused_with_its_reason(tmp_path: Path) -> None:
    path = tmp_path / "transfer.json"
    with pytest.raises(InputError, match="no such transfer set"):
        load_transfer(path, TECHNIQUE_NAMES)
    path.write_text("{not json")
    with pytest.raises(InputError, match="not a transfer set"):
        load_transfer(path, TECHNIQUE_NAMES)
    save_transfer(path, [_taught()], TECHNIQUE_NAMES, {})
    with pytest.raises(InputError, match="other techniques"):
        load_transfer(path, TECHNIQUE_NAMES[:-1])
    good = json.loads(path.read_text())

    def broken(change: dict[str, object]) -> None:
        payload = json.loads(json.dumps(good))
        payload["articles"][0].update(change)
        path.write_text(json.dumps(payload))

    broken({"p_inside": good["articles"][0]["p_inside"][:-1]})
    with pytest.raises(InputError, match="unequal lengths"):
        load_transfer(path, TECHNIQUE_NAMES)
    broken({"p_begin": [1.5] * len(good["articles"][0]["p_begin"])})
    with pytest.raises(InputError, match="outside 0-1"):
        load_transfer(path, TECHNIQUE_NAMES)
    broken({"spans": "nonsense"})
    with pytest.raises(InputError, match="malformed"):
        load_transfer(path, TECHNIQUE_NAMES)
    path.write_text(json.dumps({**good, "articles": []}))
    with pytest.raises(InputError, match="no articles"):
        load_transfer(path, TECHNIQUE_NAMES)


def test_soft_one_hot_tags_give_the_gold_tags_loss() -> None:
    """The soft-label loss is cross-entropy: one-hot distributions score as the gold tags."""
    torch.manual_seed(0)
    ids, tags = [101, 5, 6, 7, 102], [-100, 1, 2, 0, -100]
    hard = Example(ids, tags, [], [], [])
    one_hot = [[1.0 if k == t else 0.0 for k in range(3)] for t in tags[1:-1]]
    soft = Example(ids, [-100] * 5, [], [], [], soft=one_hot)
    logits = torch.randn(1, 5, 3)

    class Fixed(torch.nn.Module):
        def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, ...]:
            return torch.zeros(1, 5, 4), logits.expand(len(ids), -1, -1)

    net = Fixed()
    config = TrainConfig()
    as_gold = _step_loss(net, _collate([hard], "cpu"), config)  # type: ignore[arg-type]
    as_soft = _step_loss(net, _collate([soft], "cpu"), config)  # type: ignore[arg-type]
    mixed = _step_loss(net, _collate([hard, soft], "cpu"), config)  # type: ignore[arg-type]
    assert float(as_soft) == pytest.approx(float(as_gold), abs=1e-6)
    assert float(mixed) == pytest.approx(float(as_gold), abs=1e-6)
    flat = Example(ids, [-100] * 5, [], [], [], soft=[[1 / 3] * 3] * 3)
    assert float(_step_loss(net, _collate([flat], "cpu"), config)) != pytest.approx(  # type: ignore[arg-type]
        float(as_gold)
    )


class _Stop(Exception):
    pass


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> PtcCorpus:
    root = tmp_path_factory.mktemp("corpus")
    write_corpus(root)
    return PtcCorpus.load(root)


def test_training_with_a_transfer_set(corpus: PtcCorpus, tmp_path: Path) -> None:
    config = TrainConfig(epochs=1, batch_size=4, val_fraction=0.34, lr=3e-3)
    plain = train(SPEC, corpus, tmp_path / "plain", config, "cpu", log=lambda _: None)
    assert "transfer_articles" not in plain.training

    path = tmp_path / "transfer.json"
    save_transfer(path, [_taught("u1"), _taught("u2")], TECHNIQUE_NAMES, {"teacher": "hand"})
    taught_config = replace(config, transfer=str(path))
    card = train(SPEC, corpus, tmp_path / "taught", taught_config, "cpu", log=lambda _: None)
    assert card.training["transfer_articles"] == 2
    assert card.training["transfer_sha256"] == transfer_sha256(path)
    assert card.training["transfer"] == str(path)
    # The same seed and data order otherwise: the extra articles changed what was learnt.
    a = load_file(str(tmp_path / "plain" / ADAPTER_FILE))
    b = load_file(str(tmp_path / "taught" / ADAPTER_FILE))
    assert any(not torch.equal(a[k], b[k]) for k in a)

    # A stopped run resumes only with the transfer set it started with.
    def stop_in_second_epoch(step: int, total: int) -> None:
        if step > total // 2:
            raise _Stop

    two_epochs = replace(taught_config, epochs=2)
    stopped = tmp_path / "stopped"
    with pytest.raises(_Stop):
        train(SPEC, corpus, stopped, two_epochs, "cpu", print, progress=stop_in_second_epoch)
    save_transfer(path, [_taught("u1")], TECHNIQUE_NAMES, {"teacher": "another"})
    with pytest.raises(ModelError, match="has changed since the run started"):
        train(SPEC, corpus, stopped, two_epochs, "cpu", print, resume=True)
    save_transfer(path, [_taught("u1"), _taught("u2")], TECHNIQUE_NAMES, {"teacher": "hand"})
    resumed = train(SPEC, corpus, stopped, two_epochs, "cpu", lambda _: None, resume=True)
    assert [h["epoch"] for h in resumed.training["history"]] == [1, 2]

    # A transfer set may not smuggle in labelled articles.
    clash = tmp_path / "clash.json"
    save_transfer(clash, [_taught(next(iter(corpus.articles)))], TECHNIQUE_NAMES, {})
    with pytest.raises(InputError, match="are PTC articles"):
        train(SPEC, corpus, tmp_path / "c", replace(config, transfer=str(clash)), "cpu", print)


def test_a_trained_teacher_writes_a_transfer_set(corpus: PtcCorpus, tmp_path: Path) -> None:
    config = TrainConfig(epochs=1, batch_size=4, val_fraction=0.34, lr=3e-3)
    card = train(SPEC, corpus, tmp_path / "teacher", config, "cpu", log=lambda _: None)
    encoder_dir = encoder_folder(SPEC)
    net = load_for_inference(
        encoder_dir, tmp_path / "teacher", ModelCard.load(tmp_path / "teacher")
    )
    teacher = Predictor(net, load_tokenizer(encoder_dir), card.techniques, max_tokens=126)
    texts = {"u1": TEXT, "u2": "Our proud nation deserves better than these crooks!\n"}
    # A threshold of 0 keeps every word, so both articles have spans to label.
    taught = teach(teacher, Decoding(0.0), texts, batch=1)
    assert [a.id for a in taught] == ["u1", "u2"]
    for article, text in zip(taught, texts.values(), strict=True):
        assert article.text == text
        assert article.offsets == tokenize(load_tokenizer(encoder_dir), text).offsets
        assert all(
            0.0 <= b <= i + 1e-4 <= 1.0 + 1e-4
            for i, b in zip(article.p_inside, article.p_begin, strict=True)
        )
        assert article.spans and len(article.techniques) == len(article.spans)
        assert all(sum(row) == pytest.approx(1.0, abs=1e-2) for row in article.techniques)
    path = tmp_path / "transfer.json"
    save_transfer(path, taught, card.techniques, {"teacher": "test"})
    assert load_transfer(path, card.techniques) == taught
