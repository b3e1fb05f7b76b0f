"""Saving the tagger small enough to ship, and loading it back.

The kept encoder matrices are stored as int8 differences from the pretrained weights with
one scale per row (about 5 MB for 3 layers); the head, biases and layer norms as they are.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from unspin._errors import ModelError
from unspin.attribution.net import AttributionNet, base_net, pretrained_state
from unspin.attribution.registry import AttributionCard

WEIGHTS_FILE = "tagger.safetensors"
_DELTA = ".delta_int8"
_SCALE = ".delta_scale"


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
            delta = tensor - base[key].float()
            scale = delta.abs().amax(dim=1, keepdim=True).clamp_min(1e-12) / 127.0
            out[name + _DELTA] = (delta / scale).round().to(torch.int8).contiguous()
            out[name + _SCALE] = scale.squeeze(1).contiguous()
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
    current = net.state_dict()
    state: dict[str, torch.Tensor] = {}
    for name, tensor in stored.items():
        if name.endswith(_DELTA):
            key = name.removesuffix(_DELTA)
            state[key] = current[key] + tensor.float() * stored[key + _SCALE][:, None]
        elif not name.endswith(_SCALE):
            state[name] = tensor
    missing, unexpected = net.load_state_dict(state, strict=False)
    if unexpected or any(name.startswith("head.") for name in missing):
        raise ModelError(f"{path}: the weights do not fit attribution model {card.name}")
    net.eval()
    if dtype == "bf16":
        return net.to(torch.bfloat16)
    if dtype == "int8":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            net.encoder = torch.ao.quantization.quantize_dynamic(  # type: ignore[no-untyped-call]
                net.encoder, {torch.nn.Linear}, dtype=torch.qint8
            )
    return net
