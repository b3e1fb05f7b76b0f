"""Fixtures shared by the tests that run the real model."""

from __future__ import annotations

from pathlib import Path

import pytest

from unspin import Analyzer
from unspin.install import is_installed
from unspin.registry import get_spec

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "sample-article.txt"


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    """The default model, loaded once. Its encoder must be installed: the README's test
    command runs `unspin models download unspin-small-v1` first."""
    spec = get_spec("unspin-small-v1")
    if not is_installed(spec):
        pytest.fail(
            "unspin-small-v1 is not installed: run `unspin models download unspin-small-v1`"
        )
    return Analyzer.load(spec.name, device="cpu")


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")
