"""The attribution tagger: the first layers of the pretrained encoder and one tag head.

Only the first ``num_layers`` encoder layers are kept (3 of MiniLM's 6 by default): the
attribution stage runs beside the propaganda model, so it must cost half a MiniLM pass or
less per article.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import torch
from safetensors.torch import load_file
from torch import nn

from unspin.attribution.tags import TAGS
from unspin.model.encoder import Encoder, EncoderConfig


class AttributionNet(nn.Module):
    def __init__(self, cfg: EncoderConfig, dropout: float = 0.1) -> None:
        super().__init__()
        self.encoder = Encoder(cfg)
        self.head = nn.Sequential(nn.Dropout(dropout), nn.Linear(cfg.hidden_size, len(TAGS)))

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Tag logits ``[B, N, len(TAGS)]``."""
        out: torch.Tensor = self.head(self.encoder(ids, mask))
        return out


def pretrained_state(encoder_dir: Path, num_layers: int) -> dict[str, torch.Tensor]:
    """The pretrained encoder tensors of the first ``num_layers`` layers."""
    state = load_file(str(encoder_dir / "model.safetensors"))
    keep = {}
    for key, value in state.items():
        if key.startswith("pooler.") or "position_ids" in key:
            continue
        if key.startswith("encoder.layer.") and int(key.split(".")[2]) >= num_layers:
            continue
        keep[key] = value
    return keep


def base_net(encoder_dir: Path, num_layers: int) -> AttributionNet:
    """A tagger with the pretrained weights of the encoder's first layers and a fresh head."""
    config = json.loads((encoder_dir / "config.json").read_text())
    cfg = replace(EncoderConfig.from_hf(config), num_layers=num_layers)
    net = AttributionNet(cfg)
    net.encoder.load_state_dict(pretrained_state(encoder_dir, num_layers), strict=True)
    return net
