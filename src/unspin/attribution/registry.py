"""Named, versioned attribution models; a released name never changes behaviour."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from unspin._errors import ModelError, UnknownModelError
from unspin.model.registry import MINILM, MODELS, EncoderPackage, ModelSpec

CARD_FILE = "model.json"
DEFAULT_ATTRIBUTION_MODEL = "unspin-attribution-v2"


@dataclass(frozen=True, slots=True)
class AttributionSpec:
    name: str
    version: str
    summary: str
    encoder: EncoderPackage
    num_layers: int = 3  # encoder layers kept (and trained) from the pretrained encoder

    @property
    def weights_dir(self) -> Path:
        return Path(str(resources.files("unspin") / "weights" / self.name))

    @property
    def model_spec(self) -> ModelSpec:
        """A registered propaganda model with the same encoder: ``encoder_folder`` checks the
        encoder through it, and its name is what ``unspin models download`` installs."""
        for spec in MODELS.values():
            if spec.encoder == self.encoder:
                return spec
        return ModelSpec(self.name, self.version, self.summary, self.encoder)


@dataclass(slots=True)
class AttributionCard:
    """What the tagger needs besides its tensors, and how it was made and scored."""

    name: str
    version: str
    num_layers: int
    max_tokens: int
    tags: list[str]
    # Decoding chosen on PolNeAR dev: transition_weight, o_bias, content_bias, and the
    # LinkConfig fields (share, no_cue, join, merge_quotes).
    decoding: dict[str, Any] = field(default_factory=dict)
    transitions: list[list[float]] = field(default_factory=list)  # log P(tag | previous tag)
    training: dict[str, Any] = field(default_factory=dict)
    dev: dict[str, Any] = field(default_factory=dict)

    def save(self, folder: Path) -> None:
        (folder / CARD_FILE).write_text(json.dumps(asdict(self), indent=2) + "\n")

    @classmethod
    def load(cls, folder: Path) -> AttributionCard:
        path = folder / CARD_FILE
        try:
            return cls(**json.loads(path.read_text()))
        except (OSError, ValueError, TypeError) as exc:
            raise ModelError(f"{path}: cannot read the attribution model card ({exc})") from exc


ATTRIBUTION_MODELS: dict[str, AttributionSpec] = {
    spec.name: spec
    for spec in (
        AttributionSpec(
            name="unspin-attribution-v1",
            version="1.0.0",
            summary="The first 3 layers of MiniLM-L6 fine-tuned on PolNeAR train as an 8-tag "
            "source/cue/content tagger; Viterbi decoding, nearest-cue linking, speaker rules.",
            encoder=MINILM,
        ),
        AttributionSpec(
            name="unspin-attribution-v2",
            version="1.0.0",
            summary="All 6 layers of MiniLM-L6 fine-tuned on PolNeAR train as an 8-tag "
            "source/cue/content tagger; Viterbi decoding, nearest-cue linking, speaker rules.",
            encoder=MINILM,
            num_layers=6,
        ),
    )
}


def get_attribution_spec(name: str | None = None) -> AttributionSpec:
    try:
        return ATTRIBUTION_MODELS[name or DEFAULT_ATTRIBUTION_MODEL]
    except KeyError:
        known = ", ".join(sorted(ATTRIBUTION_MODELS))
        raise UnknownModelError(f"no attribution model named {name!r}; known: {known}") from None
