"""Building an ``UnspinNet`` from a pretrained encoder and the fine-tuned weights of a model."""

from __future__ import annotations

import json
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file, save_file
from tokenizers import Tokenizer

from unspin._errors import ModelError
from unspin.nn.encoder import EncoderConfig
from unspin.nn.model import UnspinNet

ADAPTER_FILE = "adapter.safetensors"
CARD_FILE = "model.json"


@dataclass(slots=True)
class ModelCard:
    """What a trained model needs besides its tensors, and how it was made and scored."""

    name: str
    version: str
    techniques: list[str]
    lora_rank: int
    lora_alpha: float
    max_tokens: int
    threshold: float
    training: dict[str, Any] = field(default_factory=dict)
    validation: dict[str, Any] = field(default_factory=dict)

    def save(self, folder: Path) -> None:
        (folder / CARD_FILE).write_text(json.dumps(asdict(self), indent=2) + "\n")

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
    state = load_file(str(encoder_dir / "model.safetensors"))
    state = {
        k: v for k, v in state.items() if not k.startswith("pooler.") and "position_ids" not in k
    }
    net.encoder.load_state_dict(state, strict=True)
    return net


def trainable_state(net: UnspinNet) -> dict[str, torch.Tensor]:
    """The fine-tuned tensors: LoRA adapters and both heads (what ships in the repo)."""
    return {
        name: p.detach().cpu().contiguous() for name, p in net.named_parameters() if p.requires_grad
    }


def save_adapter(net: UnspinNet, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    save_file(trainable_state(net), str(folder / ADAPTER_FILE))


def load_for_inference(
    encoder_dir: Path, weights_dir: Path, card: ModelCard, device: str = "cpu"
) -> UnspinNet:
    """The trained network, adapters merged; on CPU its linear layers are quantised to int8."""
    net = base_net(encoder_dir, len(card.techniques))
    net.encoder.add_lora(card.lora_rank, card.lora_alpha, dropout=0.0)
    path = weights_dir / ADAPTER_FILE
    try:
        adapter = load_file(str(path))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: cannot read the fine-tuned weights ({exc})") from exc
    missing, unexpected = net.load_state_dict(adapter, strict=False)
    wanted = set(trainable_state(net))
    if unexpected or wanted - set(adapter):
        raise ModelError(f"{path}: the fine-tuned weights do not fit model {card.name}")
    del missing
    net.encoder.merge_lora()
    net.eval()
    if device == "cpu":
        with warnings.catch_warnings():
            # Eager dynamic quantisation is deprecated in favour of torchao, which is not a
            # dependency here; it is still the fastest int8 path for this model on CPU.
            warnings.simplefilter("ignore")
            net = torch.ao.quantization.quantize_dynamic(  # type: ignore[no-untyped-call]
                net, {torch.nn.Linear}, dtype=torch.qint8
            )
    else:
        net = net.to(device).half()
    return net
