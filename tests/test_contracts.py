"""Contracts: the public API, the documented settings, and CI running the README's command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import unspin
from unspin import settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start_blocks() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", section, flags=re.S)


def test_public_api_is_small() -> None:
    assert set(unspin.__all__) == {
        "TECHNIQUES", "Analyzer", "Article", "ArticleMeta", "Corpus", "CorpusError",
        "CorpusFilter", "Document", "Failure", "InputError", "LabelFileError", "ModelError",
        "ModelInfo", "ModelNotInstalledError", "Span", "StoreError", "Technique",
        "UnknownModelError", "UnspinError", "__version__",
    }  # fmt: skip
    assert unspin.__all__ == sorted(unspin.__all__, key=lambda n: (not n.isupper(), n))
    for name in unspin.__all__:
        assert getattr(unspin, name) is not None


def test_every_setting_is_documented() -> None:
    for s in settings.SETTINGS:
        assert f"| `{s.name}` | `{s.env}` | `{s.default}` | {s.help} |" in README


def test_quick_start_has_exactly_two_blocks() -> None:
    install, test = quick_start_blocks()
    assert "unspin models download unspin-small-v3" in install
    assert "unspin analyze examples/sample-article.txt" in install
    assert "pytest" in test


def test_ci_runs_the_readme_test_command() -> None:
    _, test = quick_start_blocks()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    marker = "# The README's test command:\n"
    assert ci.count(marker) == 1
    commands = [line for line in ci.split(marker, 1)[1].splitlines() if line]
    assert commands == test.strip().splitlines()


def test_import_does_not_load_torch() -> None:
    import subprocess
    import sys

    code = "import sys, unspin; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_package_and_module_versions_agree() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == unspin.__version__


def test_the_readme_corpus_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's Python corpus example, run as written (with the fixture model, in a copy
    of the examples folder), does what its comments say."""
    import shutil

    block = README.split("<!-- corpus-example -->", 1)[1]
    code = re.findall(r"```python\n(.*?)```", block, flags=re.S)[0]
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("UNSPIN_MODEL", "unspin-fixture-v1")
    exec(compile(code, "README.md", "exec"), {})
    rows = (tmp_path / "spans.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("store_id,article_id,title,outlet")
    from unspin import Corpus

    with Corpus.open(str(tmp_path / "news.db")) as corpus:
        assert corpus.counts()["articles"] == 2 and corpus.counts()["done"] == 2
