"""The library API with the real model: spans, offsets, batching and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from tests.texts import ARTICLES
from unspin import Analyzer, Article, InputError, UnknownModelError
from unspin.io.documents import Document
from unspin.model.loading import base_net
from unspin.techniques import TECHNIQUE_NAMES

WORD = str.isalnum


def check_spans(article: Article) -> None:
    """Every span indexes the text, covers whole words, and none overlaps the next."""
    previous_end = 0
    for span in article.spans:
        assert 0 <= span.start < span.end <= len(article.text)
        covered = article.span_text(span)
        assert covered == covered.strip() and covered
        assert span.technique in TECHNIQUE_NAMES
        assert 0.0 < span.confidence <= 1.0
        if span.start > 0:
            assert not (WORD(article.text[span.start - 1]) and WORD(article.text[span.start]))
        if span.end < len(article.text):
            assert not (WORD(article.text[span.end - 1]) and WORD(article.text[span.end]))
        assert span.start >= previous_end
        previous_end = span.end


def test_sample_article_has_several_techniques(analyzer: Analyzer, sample_text: str) -> None:
    article = analyzer.analyze(sample_text, id="sample")
    assert article.text == sample_text
    assert len(article.spans) >= 2
    assert any("shameless" in article.span_text(s) for s in article.spans)
    assert article.model.name == "unspin-small-v1"
    check_spans(article)


def test_loaded_words_are_found(analyzer: Analyzer) -> None:
    text = (
        "The corrupt, cowardly traitors in the council have betrayed our great town again. "
        "Their disgraceful scheme is an outrage."
    )
    article = analyzer.analyze(text)
    covered = " ".join(article.span_text(s) for s in article.spans).lower()
    assert any(word in covered for word in ("corrupt", "cowardly", "traitors", "disgraceful"))


def test_offsets_are_code_points_in_non_ascii_text(analyzer: Analyzer) -> None:
    text = (
        "Zoë’s café 😀 “report” — naïve façade.\n\n"
        "These shameless, lying crooks have wrecked our beautiful town, the traitors!"
    )
    article = analyzer.analyze(text)
    assert article.spans, "expected spans in the second sentence"
    check_spans(article)
    # The JSON form indexes the same code points after a round trip.
    again = Article.from_dict(json.loads(json.dumps(article.to_dict(), ensure_ascii=False)))
    assert [again.span_text(s) for s in again.spans] == [
        article.span_text(s) for s in article.spans
    ]


def test_batching_gives_the_same_spans(analyzer: Analyzer, sample_text: str) -> None:
    texts = [
        sample_text,
        "They are traitors and cowards, every last one of them.",
        sample_text[:900],
    ]
    alone = [analyzer.analyze(t, id=str(i)) for i, t in enumerate(texts)]
    together = list(analyzer.analyze_many(Document(str(i), t, "x") for i, t in enumerate(texts)))
    for a, b in zip(alone, together, strict=True):
        assert [(s.start, s.end, s.technique) for s in a.spans] == [
            (s.start, s.end, s.technique) for s in b.spans
        ]
        for s, t in zip(a.spans, b.spans, strict=True):
            assert s.confidence == pytest.approx(t.confidence, abs=0.02)


def test_min_confidence_filters(analyzer: Analyzer, sample_text: str) -> None:
    article = analyzer.analyze(sample_text)
    cut = sorted(s.confidence for s in article.spans)[len(article.spans) // 2]
    kept = article.filtered(cut)
    assert 0 < len(kept.spans) < len(article.spans)
    assert all(s.confidence >= cut for s in kept.spans)


def test_long_article_spans_every_window(analyzer: Analyzer, sample_text: str) -> None:
    text = "\n\n".join([sample_text] * 4)  # about 3,000 words: many encoder windows
    article = analyzer.analyze(text)
    check_spans(article)
    quarter = len(text) // 4
    assert any(s.start > 3 * quarter for s in article.spans)


def test_empty_text_is_refused(analyzer: Analyzer) -> None:
    with pytest.raises(InputError, match="empty"):
        analyzer.analyze("   \n")


def test_unknown_model_names_the_known_ones() -> None:
    with pytest.raises(UnknownModelError, match="unspin-small-v1"):
        Analyzer.load("no-such-model")


def test_encoder_matches_the_reference_implementation(analyzer: Analyzer) -> None:
    """Mean hidden state of the pretrained MiniLM for one sentence, as computed by the
    reference implementation (transformers' BertModel) when the encoder was written."""
    folder = analyzer.encoder_dir
    net = base_net(folder, len(TECHNIQUE_NAMES)).eval()
    ids = analyzer.predictor.tokenizer.encode(
        "The reckless scheme was rammed through by a shameless committee."
    ).ids
    with torch.no_grad():
        h = net.encoder(torch.tensor([ids]), torch.ones((1, len(ids)), dtype=torch.long))
    expected = [0.14449, 0.42694, -0.27302, 0.11188, 0.24343, -0.00128]
    assert h[0].mean(0)[:6].tolist() == pytest.approx(expected, abs=2e-4)


def test_shipped_weights_are_small() -> None:
    folder = Path(__file__).resolve().parent.parent / "src" / "unspin" / "weights"
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert files
    assert all(p.stat().st_size < 20 * 1024 * 1024 for p in files)


def test_missing_encoder_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from unspin import ModelNotInstalledError
    from unspin.model.registry import MODELS

    spec = MODELS["unspin-small-v1"]
    missing = replace(
        spec, name="unspin-test-v0", encoder=replace(spec.encoder, module="no_such_x")
    )
    monkeypatch.setitem(MODELS, missing.name, missing)
    with pytest.raises(ModelNotInstalledError, match="unspin models download unspin-test-v0"):
        Analyzer.load(missing.name)


def test_cpu_dtype_choice_and_errors() -> None:
    from unspin import ModelError
    from unspin.model.loading import cpu_dtype

    assert cpu_dtype("int8") == "int8" and cpu_dtype("fp32") == "fp32"
    assert cpu_dtype("auto") in ("bf16", "int8")
    with pytest.raises(ModelError, match="auto, bf16, int8 or fp32"):
        cpu_dtype("fp8")


def test_models_that_int8_does_not_serve_never_run_in_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """base-v1 in int8 found 0.08 of the gold spans on its validation articles (bf16: 0.56):
    without native bf16 it runs in fp32, and asking for int8 is refused with what to set."""
    from unspin import ModelError
    from unspin.model.loading import cpu_dtype
    from unspin.model.registry import get_spec

    assert not get_spec("unspin-base-v1").int8 and get_spec("unspin-small-v2").int8
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: False)
    monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: False)
    assert cpu_dtype("auto") == "int8"
    assert cpu_dtype("auto", int8=False) == "fp32"
    assert cpu_dtype("int8", int8=False) == "int8"  # asked for: Analyzer.load refuses it
    monkeypatch.setenv("UNSPIN_CPU_DTYPE", "int8")
    monkeypatch.setattr("unspin.model.install.encoder_folder", lambda spec, verify=True: Path())
    with pytest.raises(ModelError, match="unspin-base-v1 loses most of its spans in int8"):
        Analyzer.load("unspin-base-v1", device="cpu", attribution="none")


@pytest.mark.parametrize("dtype", ["int8", "auto"])
def test_each_article_is_independent_of_its_batch(
    monkeypatch: pytest.MonkeyPatch, sample_text: str, dtype: str
) -> None:
    """Batches never mix articles (int8 scales activations per batch; bf16 kernels round
    differently for other batch shapes): an article analysed alone and among others gives
    exactly the same spans and confidences, so batch runs and `analyze` agree."""
    monkeypatch.setenv("UNSPIN_CPU_DTYPE", dtype)
    loaded = Analyzer.load("unspin-small-v1", device="cpu")
    assert loaded.predictor.per_article
    texts = [sample_text, *(a["text"] for a in ARTICLES)]
    alone = [loaded.analyze(text) for text in texts]
    mixed = list(loaded.analyze_many(Document(str(i), t, "x") for i, t in enumerate(texts)))
    assert [a.spans for a in alone] == [m.spans for m in mixed]
    check_spans(alone[0])


def test_stages_side_by_side_give_what_they_give_one_after_the_other(sample_text: str) -> None:
    """With several CPU threads the attribution stage runs beside the technique stage, each
    on half the threads; the articles are the same as with the stages one after the other."""
    texts = [sample_text, *(a["text"] for a in ARTICLES)]
    before = torch.get_num_threads()
    try:
        both = Analyzer.load("unspin-small-v1", device="cpu", threads=2)
        assert both._side_by_side is not None
        side = [a.to_dict() for a in both.analyze_many(texts)]
        one = Analyzer.load("unspin-small-v1", device="cpu", threads=1)
        assert one._side_by_side is None
        assert [a.to_dict() for a in one.analyze_many(texts)] == side
    finally:
        torch.set_num_threads(before)  # the thread count is the process's
    assert any(a["attributions"] for a in side)  # the stage ran


def test_only_stages_of_like_size_run_side_by_side() -> None:
    """MiniLM beside MiniLM (either attribution tagger) shares the threads; MPNet-base, eight
    times the work per token, takes all of them in turn with the tagger; one thread never
    splits."""
    from dataclasses import replace

    from unspin.analyzer import _work, side_by_side
    from unspin.model.encoder import EncoderConfig

    minilm = EncoderConfig()  # all-MiniLM-L6-v2's shape
    mpnet = EncoderConfig(hidden_size=768, num_layers=12, intermediate_size=3072, arch="mpnet")
    three_layers = replace(minilm, num_layers=3)  # unspin-attribution-v1
    assert side_by_side(2, _work(minilm), _work(minilm))
    assert side_by_side(2, _work(minilm), _work(three_layers))
    assert not side_by_side(2, _work(mpnet), _work(minilm))
    assert not side_by_side(1, _work(minilm), _work(minilm))


def test_cli_exit_status_for_a_model_not_installed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """5, not 3: a script must tell "install the model" from "some inputs were unreadable"."""
    import sys
    from dataclasses import replace

    from unspin.cli.app import main
    from unspin.model.registry import MODELS

    spec = MODELS["unspin-small-v1"]
    missing = replace(
        spec, name="unspin-test-v0", encoder=replace(spec.encoder, module="no_such_x")
    )
    monkeypatch.setitem(MODELS, missing.name, missing)
    article = tmp_path / "a.txt"
    article.write_text("The council met on Monday and approved the budget.")
    monkeypatch.setattr(sys, "argv", ["unspin", "analyze", str(article), "-m", missing.name])
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 5
    assert "unspin models download unspin-test-v0" in capsys.readouterr().err


def test_weights_dir_replaces_the_shipped_weights(tmp_path: Path) -> None:
    """A training run's folder is scored by loading it in place of the shipped weights."""
    import shutil

    from unspin.model.registry import get_spec

    run = tmp_path / "run"
    shutil.copytree(get_spec("unspin-small-v2").weights_dir, run)
    card = json.loads((run / "model.json").read_text())
    card["threshold"] = 0.99  # nothing reaches it: no span
    (run / "model.json").write_text(json.dumps(card))
    loaded = Analyzer.load("unspin-small-v2", device="cpu", attribution="none", weights_dir=run)
    assert loaded.decoding.threshold == 0.99
    assert loaded.analyze("They are traitors and liars, all of them, every one.").spans == ()
