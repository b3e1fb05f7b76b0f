"""`unspin train` end to end on a tiny corpus written here: it runs, it is reproducible from
its seed, and what it saves loads back as a working model."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from unspin._errors import ModelError
from unspin.eval.ptc import PtcCorpus
from unspin.model.inference import Predictor
from unspin.model.install import encoder_folder
from unspin.model.loading import ADAPTER_FILE, ModelCard, load_for_inference, load_tokenizer
from unspin.model.registry import get_spec
from unspin.model.training.folds import fold_split
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


@pytest.fixture(scope="module")
def other_seed(trained: tuple[PtcCorpus, Path, Path]) -> Path:
    corpus, a, _ = trained
    out = a.parent / "other-seed"
    config = TrainConfig(epochs=2, batch_size=4, val_fraction=0.34, lr=3e-3, seed=14)
    train(get_spec("unspin-small-v1"), corpus, out, config, "cpu", log=lambda _: None)
    return out


def _mismatches(first: dict[str, torch.Tensor], second: dict[str, torch.Tensor]) -> list[str]:
    """Tensors that differ by more than the float noise of multi-threaded CPU kernels.

    With more than one thread, summation order in some CPU kernels (MKL, oneDNN) varies from
    run to run, so two runs of one seed agree to about 1e-5 rather than bit for bit (with
    one thread they are bit-identical). A run with another seed differs by 1e-2 or more.
    """
    bad = []
    for key, a in first.items():
        b = second[key]
        if key.endswith(".delta_int8"):
            # One rounding step either way: a 1e-6 change can flip a value across x.5.
            close = bool((a.int() - b.int()).abs().max() <= 1)
        else:
            close = torch.allclose(a.float(), b.float(), rtol=1e-3, atol=1e-4)
        if not close:
            bad.append(key)
    return bad


def test_training_is_reproducible_from_its_seed(trained: tuple[PtcCorpus, Path, Path]) -> None:
    _, a, b = trained
    first, second = load_file(str(a / ADAPTER_FILE)), load_file(str(b / ADAPTER_FILE))
    assert first.keys() == second.keys()
    deltas = [k for k in first if k.endswith(".delta_int8")]
    assert len(deltas) == 6 * 6 and any("tc_head" in k for k in first)
    assert _mismatches(first, second) == []
    # Training moved every fine-tuned matrix away from the pretrained weights.
    assert all(first[k].abs().sum() > 0 for k in deltas)


def test_another_seed_gives_another_model(
    trained: tuple[PtcCorpus, Path, Path], other_seed: Path
) -> None:
    _, a, _ = trained
    first, other = load_file(str(a / ADAPTER_FILE)), load_file(str(other_seed / ADAPTER_FILE))
    # The comparison that lets float noise through still tells the seeds apart, everywhere.
    assert len(_mismatches(first, other)) > len(first) // 2


def test_saved_model_loads_and_runs(trained: tuple[PtcCorpus, Path, Path]) -> None:
    corpus, folder, _ = trained
    card = ModelCard.load(folder)
    assert card.validation["articles"] == 2
    assert len(card.training["validation_ids"]) == 2
    assert 0.0 < card.threshold < 1.0
    assert card.calibration is not None and len(card.calibration) == 2
    assert 0.0 <= card.validation["span_ece"] <= 1.0
    assert 0.0 <= card.validation["span_ece_calibrated"] <= 1.0
    spec = get_spec("unspin-small-v1")
    encoder_dir = encoder_folder(spec)
    net = load_for_inference(encoder_dir, folder, card)
    predictor = Predictor(net, load_tokenizer(encoder_dir), card.techniques)
    (enc,) = predictor.encode([next(iter(corpus.articles.values()))])
    probs = predictor.classify(enc, [(0, 5)])
    assert probs.shape == (1, 14)
    assert float(probs.sum()) == pytest.approx(1.0, abs=1e-4)


class _Stop(Exception):
    pass


def test_a_stopped_run_resumes_to_the_same_model(trained: tuple[PtcCorpus, Path, Path]) -> None:
    corpus, a, _ = trained
    out = a.parent / "stopped"
    config = TrainConfig(epochs=2, batch_size=4, val_fraction=0.34, lr=3e-3)

    def stop_in_second_epoch(step: int, total: int) -> None:
        if step > total // 2:
            raise _Stop

    spec = get_spec("unspin-small-v1")
    with pytest.raises(_Stop):
        train(spec, corpus, out, config, "cpu", log=lambda _: None, progress=stop_in_second_epoch)
    assert (out / "checkpoint.pt").is_file() and not (out / ADAPTER_FILE).exists()
    with pytest.raises(ModelError, match="other settings"):
        train(spec, corpus, out, replace(config, seed=14), "cpu", log=print, resume=True)
    card = train(spec, corpus, out, config, "cpu", log=lambda _: None, resume=True)
    assert [h["epoch"] for h in card.training["history"]] == [1, 2]
    resumed, straight = load_file(str(out / ADAPTER_FILE)), load_file(str(a / ADAPTER_FILE))
    assert _mismatches(resumed, straight) == []
    assert card.validation == ModelCard.load(a).validation


def test_folds_split_by_article_and_the_card_names_the_held_out_ones(tmp_path: Path) -> None:
    ids = [str(n) for n in range(103)]
    held = [fold_split(ids, 5, i, seed=2020)[1] for i in range(5)]
    assert sorted(x for h in held for x in h) == sorted(ids)  # every article held out once
    assert {len(h) for h in held} == {20, 21}
    train_ids, val_ids = fold_split(reversed(ids), 5, 2, seed=2020)
    assert val_ids == held[2] and not set(train_ids) & set(val_ids)
    assert fold_split(ids, 5, 2, seed=7)[1] != held[2]
    with pytest.raises(ValueError):
        fold_split(ids, 5, 5, seed=2020)

    write_corpus(tmp_path)
    corpus = PtcCorpus.load(tmp_path)
    # Also the CPU bf16 path (--bf16): it trains, validates and saves like fp32.
    config = TrainConfig(epochs=1, batch_size=4, lr=3e-3, folds=3, fold=1, cpu_bf16=True)
    out = tmp_path / "fold1"
    card = train(get_spec("unspin-small-v1"), corpus, out, config, "cpu", log=lambda _: None)
    expected = fold_split(corpus.articles, 3, 1, seed=config.split_seed)[1]
    assert card.training["validation_ids"] == expected and len(expected) == 2
    assert card.training["folds"] == 3 and card.training["fold"] == 1
    assert card.training["cpu_bf16"] is True and (out / ADAPTER_FILE).is_file()


def test_technique_weights_favour_rare_techniques() -> None:
    from unspin.model.training.data import Example
    from unspin.model.training.train import technique_weights
    from unspin.techniques import TECHNIQUE_NAMES

    n = len(TECHNIQUE_NAMES)
    one_hot = [[1.0 if i == k else 0.0 for i in range(n)] for k in range(n)]
    # technique 0: 4 spans, technique 1: 1 span, the others none
    examples = [Example([0], [0], [], [], [one_hot[0]] * 4 + [one_hot[1]])]
    assert technique_weights(examples, 0.0).tolist() == [1.0] * n
    weights = technique_weights(examples, 0.5).tolist()
    assert weights[0] == 1.0 and abs(weights[1] - 2.0) < 1e-6  # (4 / 1) ** 0.5
    assert weights[2:] == [1.0] * (n - 2)  # no span: no weight to give
