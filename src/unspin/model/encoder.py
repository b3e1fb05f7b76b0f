"""A BERT encoder in plain PyTorch, parameter-compatible with the pretrained MiniLM weights.

Written here rather than imported from ``transformers`` so that loading stays fast (cold start
under 5 s) and so that LoRA adapters and int8 quantisation see plain ``nn.Linear`` layers.
Parameter names follow the upstream checkpoint, so its state dict loads unchanged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, cast

import torch
import torch.nn.functional as F
from torch import nn


@dataclass(frozen=True, slots=True)
class EncoderConfig:
    vocab_size: int = 30522
    hidden_size: int = 384
    num_layers: int = 6
    num_heads: int = 12
    intermediate_size: int = 1536
    max_positions: int = 512
    type_vocab_size: int = 2
    layer_norm_eps: float = 1e-12
    arch: str = "bert"  # or "mpnet" (see unspin.model.mpnet)
    pad_id: int = 0
    relative_buckets: int = 0  # MPNet's relative position buckets

    @classmethod
    def from_hf(cls, config: dict[str, Any]) -> EncoderConfig:
        return cls(
            vocab_size=config["vocab_size"],
            hidden_size=config["hidden_size"],
            num_layers=config["num_hidden_layers"],
            num_heads=config["num_attention_heads"],
            intermediate_size=config["intermediate_size"],
            max_positions=config["max_position_embeddings"],
            type_vocab_size=config.get("type_vocab_size", 0),
            layer_norm_eps=config["layer_norm_eps"],
            arch=config.get("model_type", "bert"),
            pad_id=config.get("pad_token_id", 0),
            relative_buckets=config.get("relative_attention_num_buckets", 0),
        )


class LoRALinear(nn.Module):
    """``base(x) + scale * B(A(x))``: a frozen linear layer plus a trainable low-rank update."""

    def __init__(self, base: nn.Linear, rank: int, alpha: float, dropout: float) -> None:
        super().__init__()
        self.base = base
        self.lora_a = nn.Parameter(torch.empty(rank, base.in_features))
        self.lora_b = nn.Parameter(torch.zeros(base.out_features, rank))
        nn.init.kaiming_uniform_(self.lora_a, a=math.sqrt(5))
        self.scale = alpha / rank
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        update = (self.dropout(x) @ self.lora_a.t()) @ self.lora_b.t()
        out: torch.Tensor = self.base(x) + self.scale * update
        return out

    def merged(self) -> nn.Linear:
        """A plain linear layer with the update folded into its weight."""
        layer = nn.Linear(self.base.in_features, self.base.out_features)
        with torch.no_grad():
            layer.weight.copy_(self.base.weight + self.scale * (self.lora_b @ self.lora_a))
            layer.bias.copy_(self.base.bias)
        return layer


class _SelfAttention(nn.Module):
    def __init__(self, cfg: EncoderConfig) -> None:
        super().__init__()
        self.num_heads = cfg.num_heads
        self.query = nn.Linear(cfg.hidden_size, cfg.hidden_size)
        self.key = nn.Linear(cfg.hidden_size, cfg.hidden_size)
        self.value = nn.Linear(cfg.hidden_size, cfg.hidden_size)


class _AttentionOutput(nn.Module):
    def __init__(self, cfg: EncoderConfig) -> None:
        super().__init__()
        self.dense = nn.Linear(cfg.hidden_size, cfg.hidden_size)
        self.LayerNorm = nn.LayerNorm(cfg.hidden_size, eps=cfg.layer_norm_eps)


class _Attention(nn.Module):
    def __init__(self, cfg: EncoderConfig) -> None:
        super().__init__()
        self.self = _SelfAttention(cfg)
        self.output = _AttentionOutput(cfg)


class _Dense(nn.Module):
    def __init__(self, n_in: int, n_out: int) -> None:
        super().__init__()
        self.dense = nn.Linear(n_in, n_out)


class _Output(nn.Module):
    def __init__(self, cfg: EncoderConfig) -> None:
        super().__init__()
        self.dense = nn.Linear(cfg.intermediate_size, cfg.hidden_size)
        self.LayerNorm = nn.LayerNorm(cfg.hidden_size, eps=cfg.layer_norm_eps)


class _Layer(nn.Module):
    def __init__(self, cfg: EncoderConfig) -> None:
        super().__init__()
        self.attention = _Attention(cfg)
        self.intermediate = _Dense(cfg.hidden_size, cfg.intermediate_size)
        self.output = _Output(cfg)
        self.dropout = nn.Dropout(0.1)

    def forward(self, h: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        sa = self.attention.self
        b, n, d = h.shape
        heads = sa.num_heads

        def split(x: torch.Tensor) -> torch.Tensor:
            return x.view(b, n, heads, d // heads).transpose(1, 2)

        q, k, v = split(sa.query(h)), split(sa.key(h)), split(sa.value(h))
        drop = 0.1 if self.training else 0.0
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=drop)
        ctx = ctx.transpose(1, 2).reshape(b, n, d)
        out = self.attention.output
        h = out.LayerNorm(h + self.dropout(out.dense(ctx)))
        inner = F.gelu(self.intermediate.dense(h))
        result: torch.Tensor = self.output.LayerNorm(h + self.dropout(self.output.dense(inner)))
        return result


class _Embeddings(nn.Module):
    def __init__(self, cfg: EncoderConfig) -> None:
        super().__init__()
        self.word_embeddings = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
        self.position_embeddings = nn.Embedding(cfg.max_positions, cfg.hidden_size)
        self.token_type_embeddings = nn.Embedding(cfg.type_vocab_size, cfg.hidden_size)
        self.LayerNorm = nn.LayerNorm(cfg.hidden_size, eps=cfg.layer_norm_eps)
        self.dropout = nn.Dropout(0.1)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(ids.shape[1], device=ids.device)
        x = (
            self.word_embeddings(ids)
            + self.position_embeddings(positions)[None]
            + self.token_type_embeddings.weight[0]
        )
        out: torch.Tensor = self.dropout(self.LayerNorm(x))
        return out


class _Stack(nn.Module):
    def __init__(self, cfg: EncoderConfig) -> None:
        super().__init__()
        self.layer = nn.ModuleList(_Layer(cfg) for _ in range(cfg.num_layers))


class LoRAHost(nn.Module):
    """An encoder whose linear layers (``lora_layers``) can take LoRA adapters."""

    def lora_layers(self) -> list[tuple[nn.Module, str]]:
        raise NotImplementedError

    def add_lora(self, rank: int, alpha: float, dropout: float) -> None:
        """Freeze the pretrained weights and wrap each linear layer with a LoRA adapter."""
        for p in self.parameters():
            p.requires_grad_(False)
        for parent, attr in self.lora_layers():
            setattr(parent, attr, LoRALinear(getattr(parent, attr), rank, alpha, dropout))

    def merge_lora(self) -> None:
        """Fold every adapter into its base weight (for fast inference)."""
        for parent, attr in self.lora_layers():
            layer = getattr(parent, attr)
            if isinstance(layer, LoRALinear):
                setattr(parent, attr, layer.merged())


class Encoder(LoRAHost):
    """Token ids and an attention mask in, one hidden vector per token out."""

    def __init__(self, cfg: EncoderConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.embeddings = _Embeddings(cfg)
        self.encoder = _Stack(cfg)

    def forward(self, ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        h: torch.Tensor = self.embeddings(ids)
        # Boolean mask broadcast over heads and query positions: True where a key may be read.
        mask = attention_mask.bool()[:, None, None, :]
        for layer in self.layers():
            h = layer(h, mask)
        return h

    def layers(self) -> list[_Layer]:
        return [cast(_Layer, layer) for layer in self.encoder.layer]

    def lora_layers(self) -> list[tuple[nn.Module, str]]:
        """The (parent, attribute) pairs of every linear layer that gets a LoRA adapter."""
        found: list[tuple[nn.Module, str]] = []
        for layer in self.layers():
            sa = layer.attention.self
            found += [(sa, "query"), (sa, "key"), (sa, "value")]
            found += [(layer.attention.output, "dense"), (layer.intermediate, "dense")]
            found += [(layer.output, "dense")]
        return found
