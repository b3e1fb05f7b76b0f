"""`unspin train` end to end on a tiny corpus written here: it runs, it is reproducible from
its seed, and what it saves loads back as a working model."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from unspin.eval.ptc import PtcCorpus
from unspin.model.inference import Predictor
from unspin.model.install import encoder_folder
from unspin.model.loading import ADAPTER_FILE, ModelCard, load_for_inference, load_tokenizer
from unspin.model.registry import get_spec
from unspin.model.training.train import TrainConfig, train

SENTENCES = [
    ("The shameless mayor lied again about the budget.", "shameless", "Loaded_Language"),
    ("These crooks in the council must be stopped.", "crooks", "Name_Calling,Labeling"),
    ("Can we really trust a man like that?", "Can we really trust a man like that", "Doubt"),
    ("The bridge will open in May after repairs.", None, None),
    ("Our proud nation deserves better than this!", "Our proud nation", "Flag-Waving"),
    ("Every patriot will vote no, every single one.", "Every patriot", "Flag-Waving"),
]


def write_corpus(root: Path) -> None:
    folder = root / "train-articles"
    folder.mkdir(parents=True)
    si, tc = [], []
    for n in range(6):
        article_id = str(800000000 + n)
        lines = [SENTENCES[(n + k) % len(SENTENCES)] for k in range(4)]
        text = f"Title number {n}\n\n" + "\n".join(s for s, _, _ in lines) + "\n"
        (folder / f"article{article_id}.txt").write_text(text, encoding="utf-8")
        for sentence, phrase, technique in lines:
            if phrase is None:
                continue
            start = text.index(sentence) + sentence.index(phrase)
            si.append(f"{article_id}\t{start}\t{start + len(phrase)}\n")
            tc.append(f"{article_id}\t{technique}\t{start}\t{start + len(phrase)}\n")
    (root / "train-task1-SI.labels").write_text("".join(si))
    (root / "train-task2-TC.labels").write_text("".join(tc))


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[PtcCorpus, Path, Path]:
    root = tmp_path_factory.mktemp("corpus")
    write_corpus(root)
    corpus = PtcCorpus.load(root)
    config = TrainConfig(epochs=2, batch_size=4, val_fraction=0.34, lr=3e-3)
    outs = []
    for name in ("a", "b"):
        out = root / name
        train(get_spec("unspin-small-v1"), corpus, out, config, "cpu", log=lambda _: None)
        outs.append(out)
    return corpus, outs[0], outs[1]


def test_training_is_reproducible_from_its_seed(trained: tuple[PtcCorpus, Path, Path]) -> None:
    _, a, b = trained
    first, second = load_file(str(a / ADAPTER_FILE)), load_file(str(b / ADAPTER_FILE))
    assert first.keys() == second.keys()
    deltas = [k for k in first if k.endswith(".delta_int8")]
    assert len(deltas) == 6 * 6 and any("tc_head" in k for k in first)
    for key in first:
        assert torch.equal(first[key], second[key]), key
    # Training moved every fine-tuned matrix away from the pretrained weights.
    assert all(first[k].abs().sum() > 0 for k in deltas)


def test_saved_model_loads_and_runs(trained: tuple[PtcCorpus, Path, Path]) -> None:
    corpus, folder, _ = trained
    card = ModelCard.load(folder)
    assert card.validation["articles"] == 2
    assert len(card.training["validation_ids"]) == 2
    assert 0.0 < card.threshold < 1.0
    spec = get_spec("unspin-small-v1")
    encoder_dir = encoder_folder(spec)
    net = load_for_inference(encoder_dir, folder, card)
    predictor = Predictor(net, load_tokenizer(encoder_dir), card.techniques)
    (enc,) = predictor.encode([next(iter(corpus.articles.values()))])
    probs = predictor.classify(enc, [(0, 5)])
    assert probs.shape == (1, 14)
    assert float(probs.sum()) == pytest.approx(1.0, abs=1e-4)
