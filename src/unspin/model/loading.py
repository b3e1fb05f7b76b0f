"""Building an ``UnspinNet`` from a pretrained encoder and the fine-tuned weights of a model."""

from __future__ import annotations

import json
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import torch
from safetensors.torch import load_file, save_file
from tokenizers import Tokenizer
from torch import nn

from unspin._errors import ModelError
from unspin.model.decoding import Decoding
from unspin.model.encoder import EncoderConfig
from unspin.model.net import UnspinNet

ADAPTER_FILE = "adapter.safetensors"
_DELTA = ".delta_int8"
_SCALE = ".delta_scale"
CARD_FILE = "model.json"


@dataclass(slots=True)
class ModelCard:
    """What a trained model needs besides its tensors, and how it was made and scored."""

    name: str
    version: str
    techniques: list[str]
    lora_rank: int  # 0: the encoder layers were fully fine-tuned
    lora_alpha: float
    max_tokens: int
    threshold: float
    low_threshold: float | None = None
    merge_gap: int = 0
    span_hygiene: bool = False  # unspin.model.hygiene after decoding (models from 0.3 on)
    calibration: list[float] | None = None  # Platt [a, b] for span confidences (0.3 on)
    # A pair (unspin.model.pair): [{"model": name, "si_weight": w, "tc_weight": w}, second]
    # with the first model's shares; its own tensors are its members'.
    members: list[dict[str, Any]] = field(default_factory=list)
    training: dict[str, Any] = field(default_factory=dict)
    validation: dict[str, Any] = field(default_factory=dict)

    def save(self, folder: Path) -> None:
        (folder / CARD_FILE).write_text(json.dumps(asdict(self), indent=2) + "\n")

    @property
    def decoding(self) -> Decoding:
        return Decoding(self.threshold, self.low_threshold, self.merge_gap, self.span_hygiene)

    def held_out(self) -> list[str]:
        """The PTC train articles this model's training held out for validation, sorted; a
        pair's are its members' (which must be the same)."""
        if not self.members:
            return sorted(self.training["validation_ids"])
        from unspin.model.registry import get_spec

        ids = [ModelCard.load(get_spec(m["model"]).weights_dir).held_out() for m in self.members]
        if ids[0] != ids[1]:
            raise ModelError(f"{self.name}: its two models held out different articles")
        return ids[0]

    @classmethod
    def load(cls, folder: Path) -> ModelCard:
        path = folder / CARD_FILE
        try:
            return cls(**json.loads(path.read_text()))
        except (OSError, ValueError, TypeError) as exc:
            raise ModelError(f"{path}: cannot read the model card ({exc})") from exc


def load_tokenizer(encoder_dir: Path) -> Tokenizer:
    tokenizer = Tokenizer.from_file(str(encoder_dir / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def base_net(encoder_dir: Path, n_techniques: int) -> UnspinNet:
    """A network with the pretrained encoder weights and freshly initialised heads."""
    config = json.loads((encoder_dir / "config.json").read_text())
    net = UnspinNet(EncoderConfig.from_hf(config), n_techniques)
    net.encoder.load_state_dict(_pretrained_state(encoder_dir), strict=True)
    return net


def trainable_state(net: UnspinNet) -> dict[str, torch.Tensor]:
    """The fine-tuned tensors: LoRA adapters and both heads (what ships in the repo)."""
    return {
        name: p.detach().cpu().contiguous() for name, p in net.named_parameters() if p.requires_grad
    }


def save_adapter(net: UnspinNet, folder: Path, encoder_dir: Path) -> None:
    """Save the fine-tuned tensors small enough to ship.

    LoRA adapters are stored in fp16, heads as they are. Fully fine-tuned encoder matrices are
    stored as int8 differences from the pretrained weights, with one scale per row: the
    differences are small, so this loses almost nothing and keeps the file near 13 MB.
    """
    folder.mkdir(parents=True, exist_ok=True)
    state = trainable_state(net)
    base = _pretrained_state(encoder_dir)
    out: dict[str, torch.Tensor] = {}
    for name, tensor in state.items():
        key = name.removeprefix("encoder.")
        if name.startswith("encoder.") and tensor.dim() == 2 and key in base:
            out.update(int8_delta(name, tensor, base[key]))
        elif ".lora_" in name:
            # fp16 keeps LoRA factors (small, evenly scaled values) to 3 significant digits
            # and halves the shipped file (unspin-base: about 5M trainable numbers).
            out[name] = tensor.half()
        else:
            out[name] = tensor
    save_file(out, str(folder / ADAPTER_FILE))


def _pretrained_state(encoder_dir: Path) -> dict[str, torch.Tensor]:
    state = load_file(str(encoder_dir / "model.safetensors"))
    return {
        k: v for k, v in state.items() if not k.startswith("pooler.") and "position_ids" not in k
    }


def int8_delta(name: str, tensor: torch.Tensor, base: torch.Tensor) -> dict[str, torch.Tensor]:
    """A fine-tuned matrix as int8 differences from its pretrained value, one scale per row:
    the differences are small, so this loses almost nothing at a quarter of the size."""
    delta = tensor.detach().float().cpu() - base.float()
    scale = delta.abs().amax(dim=1, keepdim=True).clamp_min(1e-12) / 127.0
    return {
        name + _DELTA: (delta / scale).round().to(torch.int8).contiguous(),
        name + _SCALE: scale.squeeze(1).contiguous(),
    }


def expand_deltas(stored: dict[str, torch.Tensor], net: nn.Module) -> dict[str, torch.Tensor]:
    """Turn int8 differences back into full matrices (pretrained weight + difference)."""
    current = net.state_dict()
    out: dict[str, torch.Tensor] = {}
    for name, tensor in stored.items():
        if name.endswith(_DELTA):
            key = name.removesuffix(_DELTA)
            scale = stored[key + _SCALE]
            out[key] = current[key] + tensor.float() * scale[:, None]
        elif not name.endswith(_SCALE):
            out[name] = tensor
    return out


def load_for_inference(
    encoder_dir: Path,
    weights_dir: Path,
    card: ModelCard,
    device: str = "cpu",
    dtype: str = "fp32",
) -> UnspinNet:
    """The trained network, adapters merged, in eval mode.

    On a GPU it runs in fp16; on CPU in ``dtype``: fp32, bf16, or int8 (dynamic quantisation
    of the encoder's linear layers). See ``cpu_dtype`` for the default choice.
    """
    net = base_net(encoder_dir, len(card.techniques))
    if card.lora_rank > 0:
        net.encoder.add_lora(card.lora_rank, card.lora_alpha, dropout=0.0)
    path = weights_dir / ADAPTER_FILE
    try:
        stored = load_file(str(path))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: cannot read the fine-tuned weights ({exc})") from exc
    state = expand_deltas(stored, net)
    missing, unexpected = net.load_state_dict(state, strict=False)
    heads = {name for name in net.state_dict() if not name.startswith("encoder.")}
    if unexpected or heads & set(missing):
        raise ModelError(f"{path}: the fine-tuned weights do not fit model {card.name}")
    net.encoder.merge_lora()
    net.eval()
    if device != "cpu":
        return net.to(device).half()
    return in_cpu_format(net, dtype)


N = TypeVar("N", bound=nn.Module)


def in_cpu_format(net: N, dtype: str) -> N:
    """The network in a CPU number format: fp32 as it is, bf16, or int8 (dynamic quantisation
    of the encoder's linear layers)."""
    if dtype == "bf16":
        return net.to(torch.bfloat16)
    if dtype == "int8":
        with warnings.catch_warnings():
            # Eager dynamic quantisation is deprecated in favour of torchao, which is not a
            # dependency here; it is still the fastest int8 path for this model on CPU.
            warnings.simplefilter("ignore")
            # Only the encoder: the heads are tiny, and the technique head's input mixes
            # hidden states with [0, 1] features, which one int8 scale per tensor serves badly.
            net.encoder = torch.ao.quantization.quantize_dynamic(  # type: ignore[no-untyped-call]
                net.encoder, {torch.nn.Linear}, dtype=torch.qint8
            )
    return net


def cpu_dtype(requested: str, *, int8: bool = True) -> str:
    """The CPU number format for inference: ``auto`` picks bf16 where the processor computes
    it natively (AVX-512 BF16 or AMX; as fast as int8 and as accurate as fp32), else int8,
    or fp32 for a model that int8 does not serve (``int8=False``)."""
    if requested not in ("auto", "bf16", "int8", "fp32"):
        raise ModelError(f"unknown CPU dtype {requested!r}; use auto, bf16, int8 or fp32")
    if requested != "auto":
        return requested
    native = torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported()
    return "bf16" if native else "int8" if int8 else "fp32"
