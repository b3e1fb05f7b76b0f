"""``AttributionModel``: who says what in a text.

>>> model = AttributionModel.load()  # doctest: +SKIP
>>> [(a.source and a.source.text, a.cue and a.cue.text, a.kind)
...  for a in model.attribute('"We will win," Trump said.')]  # doctest: +SKIP
[('Trump', 'said', 'direct')]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from unspin import settings
from unspin.attribution._types import Attribution, Piece, kind_of
from unspin.attribution.linking import LinkConfig, Linked, link
from unspin.attribution.registry import AttributionCard, AttributionSpec, get_attribution_spec
from unspin.attribution.speakers import resolve_speakers
from unspin.attribution.tags import CONTENT_TAGS, O, viterbi

if TYPE_CHECKING:
    from tokenizers import Tokenizer

    from unspin.attribution.net import AttributionNet


class AttributionModel:
    """A loaded attribution tagger with its decoding, linking and speaker rules."""

    def __init__(
        self,
        spec: AttributionSpec,
        card: AttributionCard,
        net: AttributionNet,
        tokenizer: Tokenizer,
    ) -> None:
        self.spec = spec
        self.card = card
        self.net = net
        self.tokenizer = tokenizer
        decoding = dict(card.decoding)
        self.transition_weight = float(decoding.pop("transition_weight", 0.0))
        self.o_bias = float(decoding.pop("o_bias", 0.0))
        self.content_bias = float(decoding.pop("content_bias", 0.0))
        self.link_config = LinkConfig(**decoding)
        self.transitions = np.array(card.transitions) if card.transitions else None
        from unspin.model.windows import bracket_ids

        self.brackets = bracket_ids(tokenizer)

    @classmethod
    def load(
        cls, name: str | None = None, *, dtype: str = "auto", weights_dir: Path | None = None
    ) -> AttributionModel:
        """Load a registered attribution model (default ``unspin-attribution-v2``) on CPU.

        ``dtype``: auto (the ``cpu_dtype`` setting, but fp32 where that says int8), fp32,
        bf16 or int8. ``weights_dir``
        replaces the shipped weights (for checking a freshly trained model).
        """
        import torch

        from unspin.attribution.weights import load_net
        from unspin.model.install import encoder_folder
        from unspin.model.loading import cpu_dtype, load_tokenizer

        spec = get_attribution_spec(name)
        threads = settings.get_int("threads")
        if threads > 0:
            torch.set_num_threads(threads)
        folder = weights_dir or spec.weights_dir
        card = AttributionCard.load(folder)
        encoder_dir = encoder_folder(spec.model_spec)
        chosen = cpu_dtype(settings.get("cpu_dtype") if dtype == "auto" else dtype)
        if dtype == "auto" and chosen == "int8":
            # int8 costs the tagger too much (PolNeAR dev, epoch-3 weights: content exact F1
            # 0.541 in bf16, 0.499 in int8), so the setting's int8 means fp32 here; ask for
            # dtype="int8" to have it anyway.
            chosen = "fp32"
        net = load_net(encoder_dir, folder, card, chosen)
        return cls(spec, card, net, load_tokenizer(encoder_dir))

    def attribute(self, text: str) -> list[Attribution]:
        """The attributions in ``text``, in text order."""
        return self.attribute_many([text])[0]

    def attribute_many(self, texts: Iterable[str]) -> list[list[Attribution]]:
        return [self.decode(text, *self.tag_probs(text)) for text in texts]

    def tag_probs(self, text: str) -> tuple[list[tuple[int, int]], np.ndarray]:
        """Token offsets and per-token tag log probabilities ``[N, T]`` of one text."""
        import torch

        from unspin.attribution.training import TagExample, collate
        from unspin.model.windows import make_windows, tokenize

        tokens = tokenize(self.tokenizer, text)
        cls_id, sep_id = self.brackets
        windows = make_windows(text, tokens, 0, self.card.max_tokens)
        examples = [
            TagExample([cls_id, *tokens.ids[w.first : w.last], sep_id], []) for w in windows
        ]
        parts: list[np.ndarray] = []
        for k in range(0, len(examples), 16):
            batch = examples[k : k + 16]
            ids, mask, _ = collate(batch)
            with torch.inference_mode():
                logits = self.net(ids, mask).float().log_softmax(-1).numpy()
            parts += [logits[row, 1 : len(e.ids) - 1] for row, e in enumerate(batch)]
        width = logits.shape[-1] if parts else 8
        log_probs = np.concatenate(parts) if parts else np.zeros((0, width), dtype=np.float32)
        return tokens.offsets, log_probs

    def decode(
        self, text: str, offsets: Sequence[tuple[int, int]], log_probs: np.ndarray
    ) -> list[Attribution]:
        """The attributions that ``tag_probs``'s output gives under this model's decoding
        (kept apart so that decodings can be compared on one tagging pass)."""
        biased = log_probs.copy()
        biased[:, O] += self.o_bias
        biased[:, CONTENT_TAGS] += self.content_bias
        tags = viterbi(biased, self.transitions, self.transition_weight)
        linked = link(text, tags, offsets, self.link_config)
        return build_attributions(text, linked, tags, log_probs)


def build_attributions(
    text: str, linked: Sequence[Linked], tags: Sequence[int], log_probs: np.ndarray | None
) -> list[Attribution]:
    """Attributions with speakers, kinds and confidences (the mean probability of the chosen
    tags over the attribution's tokens; 1.0 without probabilities)."""
    speakers = resolve_speakers(text, [item.source for item in linked])
    out = []
    for item, speaker in zip(linked, speakers, strict=True):
        confidence = 1.0
        if log_probs is not None and item.tokens:
            idx = np.array(item.tokens)
            chosen = log_probs[idx, np.array(tags)[idx]]
            confidence = float(np.exp(chosen).mean())
        content = Piece.of(text, *item.content)
        out.append(
            Attribution(
                source=Piece.of(text, *item.source) if item.source else None,
                cue=Piece.of(text, *item.cue) if item.cue else None,
                content=content,
                speaker=speaker.name,
                speaker_kind=speaker.kind,
                kind=kind_of(content.text),
                confidence=confidence,
            )
        )
    return sorted(out, key=lambda a: (a.content.start, a.content.end))
