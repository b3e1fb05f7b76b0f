"""Running a loaded network over texts: windows, batching, and technique labels for spans.

Turning the per-token probabilities into spans is ``unspin.model.decoding``.

Shared by ``Analyzer`` (analyse), ``unspin evaluate`` and the training loop's validation, so
that the numbers reported for a model come from the code that serves it.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import torch
from tokenizers import Tokenizer

from unspin.model.net import UnspinNet, span_features
from unspin.model.windows import (
    Tokens,
    Window,
    bracket_ids,
    covering_tokens,
    make_windows,
    tokenize,
)


@dataclass(slots=True)
class Encoded:
    """One article after the encoder: per-token SI probabilities and per-window states."""

    text: str
    tokens: Tokens
    windows: list[Window]
    states: list[torch.Tensor]  # per window: [len + 2, H], [CLS] first
    p_inside: list[float]  # per token: P(B) + P(I)
    p_begin: list[float]  # per token: P(B)
    partner: Encoded | None = None  # a pair's second model's encoding (unspin.model.pair)


class SpanModel(Protocol):
    """What decoding and labelling need of a network: a ``Predictor``, or a ``PairPredictor``
    (``unspin.model.pair``) of two."""

    techniques: tuple[str, ...]

    def encode(self, texts: Sequence[str]) -> list[Encoded]: ...

    def classify(self, enc: Encoded, spans: Sequence[tuple[int, int]]) -> torch.Tensor: ...


class Predictor:
    """Runs an ``UnspinNet``: encodes texts in batches and labels spans with techniques."""

    def __init__(
        self,
        net: UnspinNet,
        tokenizer: Tokenizer,
        techniques: Sequence[str],
        *,
        max_tokens: int = 254,
        batch_size: int = 16,
        device: str = "cpu",
        per_article: bool = True,
    ) -> None:
        self.net = net
        self.tokenizer = tokenizer
        self.techniques = tuple(techniques)
        self.max_tokens = max_tokens
        self.batch_size = batch_size
        self.device = device
        self.per_article = per_article
        self.cls_id, self.sep_id = bracket_ids(tokenizer)

    def encode(self, texts: Sequence[str]) -> list[Encoded]:
        """Encode many texts (see ``_batches`` for how windows are grouped)."""
        tokens = [tokenize(self.tokenizer, text) for text in texts]
        windows = [
            make_windows(text, tok, i, self.max_tokens)
            for i, (text, tok) in enumerate(zip(texts, tokens, strict=True))
        ]
        flat = [w for ws in windows for w in ws]
        states: dict[int, torch.Tensor] = {}
        probs: dict[int, torch.Tensor] = {}
        with torch.inference_mode():
            for rows in self._batches(flat):
                batch = [flat[i] for i in rows]
                ids, mask = self._pad(batch, tokens)
                h, logits = self.net(ids, mask)
                p = logits.float().softmax(-1).cpu()
                h = h.float().cpu()
                for row, (j, w) in enumerate(zip(rows, batch, strict=True)):
                    states[j] = h[row, : len(w) + 2].clone()
                    probs[j] = p[row, 1 : len(w) + 1]
        out: list[Encoded] = []
        k = 0
        for text, tok, ws in zip(texts, tokens, windows, strict=True):
            p_article = (
                torch.cat([probs[k + i] for i in range(len(ws))]) if ws else torch.zeros((0, 3))
            )
            out.append(
                Encoded(
                    text,
                    tok,
                    ws,
                    [states[k + i] for i in range(len(ws))],
                    (p_article[:, 1] + p_article[:, 2]).tolist(),
                    p_article[:, 1].tolist(),
                )
            )
            k += len(ws)
        return out

    def _batches(self, flat: list[Window]) -> list[list[int]]:
        """Batches of window indices.

        With ``per_article`` a batch never mixes articles: int8 dynamic quantisation scales
        activations per batch, so this keeps an article's result a function of its text
        alone. Otherwise windows of similar length are batched together across articles,
        which keeps padding small and matrices large.
        """
        if self.per_article:
            batches: list[list[int]] = []
            for i, w in enumerate(flat):
                if (
                    batches
                    and flat[batches[-1][0]].article == w.article
                    and len(batches[-1]) < self.batch_size
                ):
                    batches[-1].append(i)
                else:
                    batches.append([i])
            return batches
        order = sorted(range(len(flat)), key=lambda i: len(flat[i]))
        return [order[b : b + self.batch_size] for b in range(0, len(order), self.batch_size)]

    def _pad(self, batch: list[Window], tokens: list[Tokens]) -> tuple[torch.Tensor, torch.Tensor]:
        width = max(len(w) for w in batch) + 2
        ids = torch.zeros((len(batch), width), dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        for row, w in enumerate(batch):
            piece = [self.cls_id, *tokens[w.article].ids[w.first : w.last], self.sep_id]
            ids[row, : len(piece)] = torch.tensor(piece)
            mask[row, : len(piece)] = 1
        return ids.to(self.device), mask.to(self.device)

    def classify(self, enc: Encoded, spans: Sequence[tuple[int, int]]) -> torch.Tensor:
        """Technique probabilities ``[len(spans), T]`` for character spans of one article."""
        if not spans:
            return torch.zeros((0, len(self.techniques)))
        offsets = enc.tokens.offsets
        lowered = enc.text.lower()
        by_window: dict[int, list[tuple[int, int, int, list[float]]]] = {}
        for k, (start, end) in enumerate(spans):
            toks = covering_tokens(offsets, start, end)
            if toks is None:  # only spaces or characters the tokenizer drops: take the next token
                nearest = min(
                    bisect.bisect_left(offsets, start, key=lambda o: o[0]), len(offsets) - 1
                )
                toks = (nearest, nearest)
            first_tok, last_tok = toks
            w = next(j for j, win in enumerate(enc.windows) if win.first <= first_tok < win.last)
            win = enc.windows[w]
            last_tok = min(last_tok, win.last - 1)
            feats = span_features(enc.text, lowered, start, end, last_tok - first_tok + 1)
            by_window.setdefault(w, []).append(
                (k, first_tok - win.first + 1, last_tok - win.first + 1, feats)
            )
        result = torch.zeros((len(spans), len(self.techniques)))
        dtype = next(self.net.tc_head.parameters()).dtype
        with torch.inference_mode():
            for w, items in by_window.items():
                h = enc.states[w][None].to(self.device, dtype)
                rows = torch.tensor([[0, a, b] for _, a, b, _ in items], device=self.device)
                feats_t = torch.tensor([f for *_, f in items], device=self.device, dtype=dtype)
                probs = self.net.classify(h, rows, feats_t).float().softmax(-1).cpu()
                for (k, *_), p in zip(items, probs, strict=True):
                    result[k] = p
        return result
