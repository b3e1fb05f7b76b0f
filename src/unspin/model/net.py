"""The unspin network: one encoder, a span-identification head and a technique head.

- SI head: a B/I/O tag for every token (is it inside a persuasive span, and does one start here).
- TC head: classifies a given span from its first, last and mean token vectors, the window's
  [CLS] vector and a few span features (length, how often the span's words recur in the article:
  repetition is invisible to a single window).
"""

from __future__ import annotations

import torch
from torch import nn

from unspin.model.encoder import Encoder, EncoderConfig
from unspin.model.mpnet import MPNetEncoder

N_SPAN_FEATURES = 3
TAGS = ("O", "B", "I")


def span_features(text: str, lowered: str, start: int, end: int, n_tokens: int) -> list[float]:
    """Features of a span that the encoder cannot see inside one window.

    ``lowered`` is ``text.lower()``, computed once per article by the caller.
    """
    needle = text[start:end].strip().lower()
    repeats = lowered.count(needle) - 1 if needle else 0
    return [min(repeats, 4) / 4.0, float(repeats > 0), min(n_tokens, 64) / 64.0]


class UnspinNet(nn.Module):
    def __init__(self, cfg: EncoderConfig, n_techniques: int, dropout: float = 0.1) -> None:
        super().__init__()
        hidden = cfg.hidden_size
        self.encoder: Encoder | MPNetEncoder = (
            MPNetEncoder(cfg) if cfg.arch == "mpnet" else Encoder(cfg)
        )
        self.si_head = nn.Sequential(nn.Dropout(dropout), nn.Linear(hidden, len(TAGS)))
        self.tc_head = nn.Sequential(
            nn.Dropout(dropout),
            nn.Linear(4 * hidden + N_SPAN_FEATURES, hidden),
            nn.GELU(),
            nn.Dropout(dropout),
            nn.Linear(hidden, n_techniques),
        )

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Hidden states ``[B, N, H]`` and SI tag logits ``[B, N, 3]``."""
        h = self.encoder(ids, mask)
        return h, self.si_head(h)

    def classify(
        self, h: torch.Tensor, spans: torch.Tensor, features: torch.Tensor
    ) -> torch.Tensor:
        """Technique logits ``[S, T]`` for spans given as rows (window, first, last) of
        token positions in ``h`` (inclusive), with their span features ``[S, F]``."""
        rows, first, last = spans[:, 0], spans[:, 1], spans[:, 2]
        hs = h[rows]  # [S, N, H]
        positions = torch.arange(h.shape[1], device=h.device)[None, :]
        inside = ((positions >= first[:, None]) & (positions <= last[:, None])).to(h.dtype)
        mean = (inside[:, :, None] * hs).sum(1) / inside.sum(1, keepdim=True)
        index = torch.arange(len(spans), device=h.device)
        rep = torch.cat([hs[index, first], hs[index, last], mean, hs[:, 0], features], dim=-1)
        return self.tc_head(rep)  # type: ignore[no-any-return]
