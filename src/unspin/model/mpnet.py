"""An MPNet encoder in plain PyTorch, parameter-compatible with all-mpnet-base-v2.

MPNet differs from BERT in three ways that matter here: no token type embeddings; absolute
positions count from ``pad_id + 1``; and every layer adds one relative position bias per head,
looked up from a table shared by all layers (32 buckets, log-spaced up to a distance of 128).
Parameter names follow the upstream checkpoint, so its state dict loads unchanged.
"""

from __future__ import annotations

import math
from typing import cast

import torch
import torch.nn.functional as F
from torch import nn

from unspin.model.encoder import EncoderConfig, LoRAHost, _Dense, _Output

_MAX_DISTANCE = 128


def relative_buckets(length: int, num_buckets: int, device: torch.device) -> torch.Tensor:
    """Bucket of each (query, key) offset: ``[length, length]``, as in the MPNet paper."""
    positions = torch.arange(length, device=device)
    n = -(positions[None, :] - positions[:, None])  # query minus key
    half = num_buckets // 2
    ret = (n < 0).long() * half
    n = n.abs()
    exact = half // 2
    large = (
        exact
        + (
            torch.log(n.float().clamp_min(1) / exact)
            / math.log(_MAX_DISTANCE / exact)
            * (half - exact)
        ).long()
    )
    large = large.clamp_max(half - 1)
    return ret + torch.where(n < exact, n, large)


class _SelfAttention(nn.Module):
    def __init__(self, cfg: EncoderConfig) -> None:
        super().__init__()
        self.num_heads = cfg.num_heads
        self.q = nn.Linear(cfg.hidden_size, cfg.hidden_size)
        self.k = nn.Linear(cfg.hidden_size, cfg.hidden_size)
        self.v = nn.Linear(cfg.hidden_size, cfg.hidden_size)
        self.o = nn.Linear(cfg.hidden_size, cfg.hidden_size)


class _Attention(nn.Module):
    def __init__(self, cfg: EncoderConfig) -> None:
        super().__init__()
        self.attn = _SelfAttention(cfg)
        self.LayerNorm = nn.LayerNorm(cfg.hidden_size, eps=cfg.layer_norm_eps)


class _Layer(nn.Module):
    def __init__(self, cfg: EncoderConfig) -> None:
        super().__init__()
        self.attention = _Attention(cfg)
        self.intermediate = _Dense(cfg.hidden_size, cfg.intermediate_size)
        self.output = _Output(cfg)
        self.dropout = nn.Dropout(0.1)

    def forward(self, h: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        sa = self.attention.attn
        b, n, d = h.shape
        heads = sa.num_heads

        def split(x: torch.Tensor) -> torch.Tensor:
            return x.view(b, n, heads, d // heads).transpose(1, 2)

        q, k, v = split(sa.q(h)), split(sa.k(h)), split(sa.v(h))
        drop = 0.1 if self.training else 0.0
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=bias, dropout_p=drop)
        ctx = sa.o(ctx.transpose(1, 2).reshape(b, n, d))
        h = self.attention.LayerNorm(h + self.dropout(ctx))
        inner = F.gelu(self.intermediate.dense(h))
        result: torch.Tensor = self.output.LayerNorm(h + self.dropout(self.output.dense(inner)))
        return result


class _Embeddings(nn.Module):
    def __init__(self, cfg: EncoderConfig) -> None:
        super().__init__()
        self.pad_id = cfg.pad_id
        self.word_embeddings = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
        self.position_embeddings = nn.Embedding(cfg.max_positions, cfg.hidden_size)
        self.LayerNorm = nn.LayerNorm(cfg.hidden_size, eps=cfg.layer_norm_eps)
        self.dropout = nn.Dropout(0.1)

    def forward(self, ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        # Real tokens count from pad_id + 1; padding sits at pad_id (as upstream, which
        # derives this from the pad token id; the mask says the same without relying on it).
        mask = attention_mask.long()
        positions = torch.cumsum(mask, dim=1) * mask + self.pad_id
        x = self.word_embeddings(ids) + self.position_embeddings(positions)
        out: torch.Tensor = self.dropout(self.LayerNorm(x))
        return out


class _Stack(nn.Module):
    def __init__(self, cfg: EncoderConfig) -> None:
        super().__init__()
        self.layer = nn.ModuleList(_Layer(cfg) for _ in range(cfg.num_layers))
        self.relative_attention_bias = nn.Embedding(cfg.relative_buckets, cfg.num_heads)


class MPNetEncoder(LoRAHost):
    """Token ids and an attention mask in, one hidden vector per token out."""

    def __init__(self, cfg: EncoderConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.embeddings = _Embeddings(cfg)
        self.encoder = _Stack(cfg)

    def forward(self, ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        h: torch.Tensor = self.embeddings(ids, attention_mask)
        n = ids.shape[1]
        buckets = relative_buckets(n, self.cfg.relative_buckets, ids.device)
        bias = self.encoder.relative_attention_bias(buckets).permute(2, 0, 1)[None]  # [1,H,N,N]
        blocked = ~attention_mask.bool()[:, None, None, :]
        bias = bias.to(h.dtype).masked_fill(blocked, torch.finfo(h.dtype).min)  # [B,H,N,N]
        for layer in self.layers():
            h = layer(h, bias)
        return h

    def layers(self) -> list[_Layer]:
        return [cast(_Layer, layer) for layer in self.encoder.layer]

    def lora_layers(self) -> list[tuple[nn.Module, str]]:
        """The (parent, attribute) pairs of every linear layer that gets a LoRA adapter."""
        found: list[tuple[nn.Module, str]] = []
        for layer in self.layers():
            sa = layer.attention.attn
            found += [(sa, "q"), (sa, "k"), (sa, "v"), (sa, "o")]
            found += [(layer.intermediate, "dense"), (layer.output, "dense")]
        return found
