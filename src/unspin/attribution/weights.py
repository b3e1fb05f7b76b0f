"""Saving the tagger small enough to ship, and loading it back.

The kept encoder matrices are stored as int8 differences from the pretrained weights with
one scale per row (about 5 MB for 3 layers); the head, biases and layer norms as they are.
"""

from __future__ import annotations

from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from unspin._errors import ModelError
from unspin.attribution.net import AttributionNet, base_net, pretrained_state
from unspin.attribution.registry import AttributionCard
from unspin.model.loading import expand_deltas, in_cpu_format, int8_delta

WEIGHTS_FILE = "tagger.safetensors"


def save_net(net: AttributionNet, folder: Path, encoder_dir: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    base = pretrained_state(encoder_dir, len(net.encoder.layers()))
    out: dict[str, torch.Tensor] = {}
    for name, tensor in net.state_dict().items():
        key = name.removeprefix("encoder.")
        tensor = tensor.detach().float().cpu()
        if name.startswith("encoder.") and key in base and torch.equal(tensor, base[key].float()):
            continue  # unchanged (the frozen embeddings): the pretrained package has it
        if name.startswith("encoder.") and tensor.dim() == 2 and key in base:
            out.update(int8_delta(name, tensor, base[key]))
        else:
            out[name] = tensor.contiguous()
    save_file(out, str(folder / WEIGHTS_FILE))


def load_net(
    encoder_dir: Path, folder: Path, card: AttributionCard, dtype: str = "fp32"
) -> AttributionNet:
    """The tagger in eval mode, in ``dtype`` (fp32, bf16, or int8 dynamic quantisation)."""
    net = base_net(encoder_dir, card.num_layers)
    path = folder / WEIGHTS_FILE
    try:
        stored = load_file(str(path))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: cannot read the attribution weights ({exc})") from exc
    state = expand_deltas(stored, net)
    missing, unexpected = net.load_state_dict(state, strict=False)
    if unexpected or any(name.startswith("head.") for name in missing):
        raise ModelError(f"{path}: the weights do not fit attribution model {card.name}")
    net.eval()
    return in_cpu_format(net, dtype)
