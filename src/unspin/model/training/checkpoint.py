"""End-of-epoch checkpoints for ``unspin train --resume``: written atomically, read back whole.

A checkpoint holds everything the loop needs to continue as if it had never stopped: the
trainable tensors, the optimiser and scheduler states, the random states (python's, the
batch-order generator's and torch's), the step, the history and the configuration.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import torch

from unspin._errors import ModelError

CHECKPOINT_FILE = "checkpoint.pt"


def save_checkpoint(folder: Path, state: dict[str, Any]) -> None:
    """Write ``folder/checkpoint.pt`` so that a crash leaves the previous one intact."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / CHECKPOINT_FILE
    tmp = path.with_suffix(".pt.tmp")
    with tmp.open("wb") as handle:
        torch.save(state, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def load_checkpoint(folder: Path) -> dict[str, Any]:
    path = folder / CHECKPOINT_FILE
    if not path.is_file():
        raise ModelError(f"{folder} has no {CHECKPOINT_FILE}: there is no run to resume there")
    try:
        state: dict[str, Any] = torch.load(path, map_location="cpu", weights_only=True)
    except (OSError, RuntimeError, ValueError) as exc:
        raise ModelError(f"{path}: cannot read the checkpoint ({exc})") from exc
    return state
