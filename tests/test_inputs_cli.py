"""The command line with inputs gone wrong: exit statuses, output files that cannot be
written, evaluate folders, output suffixes, technique names, and the small things of issue 12.
The fixture model stands in where the findings do not matter."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from unspin import Analyzer, Article, ModelInfo, Span
from unspin._errors import OutputError
from unspin.cli._common import output_stream
from unspin.formats import terminal
from unspin.techniques import TECHNIQUES, find_technique

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "sample-article.txt"
FIXTURE = ("-m", "unspin-fixture-v1")
ENGLISH = "Our glorious leaders are heroes and their foes are vermin, said the council today."


def _unspin(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80"}
    return subprocess.run(
        [sys.executable, "-m", "unspin", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def _clean_exit(result: subprocess.CompletedProcess[str], code: int) -> None:
    assert result.returncode == code, result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


# -- exit statuses ---------------------------------------------------------------------------


def test_import_and_batch_exit_3_when_some_inputs_are_unreadable(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(ENGLISH)
    (tmp_path / "empty.txt").write_text("")
    db = str(tmp_path / "news.db")
    _clean_exit(_unspin("import", str(good), "--db", db), 0)
    some = _unspin("import", str(good), str(tmp_path / "empty.txt"), "--db", db)
    _clean_exit(some, 3)
    assert "0 already stored" not in some.stderr and "1 unreadable" in some.stderr
    none = _unspin("import", str(tmp_path / "empty.txt"), str(tmp_path / "nope.txt"), "--db", db)
    _clean_exit(none, 2)
    batch = _unspin("batch", str(good), str(tmp_path / "empty.txt"), "--db", db, *FIXTURE)
    _clean_exit(batch, 3)
    assert "analysed 1, failed 0" in batch.stderr  # the readable input was still analysed


def test_analyze_exits_3_when_some_inputs_are_unreadable(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(ENGLISH)
    (tmp_path / "empty.txt").write_text("")
    out = tmp_path / "out.jsonl"
    _clean_exit(_unspin("analyze", str(tmp_path), "-o", str(out), *FIXTURE), 3)
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["good"]
    _clean_exit(_unspin("analyze", str(tmp_path / "empty.txt"), *FIXTURE), 2)


def test_help_documents_the_exit_statuses() -> None:
    for command in ("import", "batch", "analyze"):
        result = _unspin(command, "--help")
        assert "Exit status:" in result.stdout and "3 some inputs could not" in result.stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "3 some inputs could not be read (`analyze`, `import`" in readme


# -- outputs that cannot be written ---------------------------------------------------------


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_a_full_disk_is_one_message(tmp_path: Path) -> None:
    analysed = _unspin("analyze", str(SAMPLE), "-f", "json", "-o", "/dev/full", *FIXTURE)
    _clean_exit(analysed, 2)
    assert "/dev/full: cannot be written (No space left on device)" in analysed.stderr
    assert Path("/dev/full").is_char_device()  # written to, never replaced by a file
    with open("/dev/full", "w") as full:
        piped = subprocess.run(
            [sys.executable, "-m", "unspin", "analyze", str(SAMPLE), "-f", "json", *FIXTURE],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=300,
        )
    _clean_exit(piped, 2)
    assert "standard output: cannot be written (No space left on device)" in piped.stderr
    assert "Exception ignored" not in piped.stderr

    db = str(tmp_path / "news.db")
    _clean_exit(_unspin("batch", str(SAMPLE), "--db", db, *FIXTURE), 0)
    exported = _unspin("export", "--db", db, "-f", "csv", "-o", "/dev/full")
    _clean_exit(exported, 2)
    assert "/dev/full: cannot be written" in exported.stderr


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    with pytest.raises(OutputError) as caught, output_stream(target) as stream:
        stream.write("half a file")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert caught.value.message == (
        f"{target}: cannot be written (No space left on device); nothing was written"
    )
    assert list(tmp_path.iterdir()) == []


# -- evaluate --------------------------------------------------------------------------------


def test_evaluate_with_odd_article_folders(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "article1.txt").write_text("Some text here.")
    (articles / "article2.txt").mkdir()
    labels = tmp_path / "labels.txt"
    labels.write_text("1\t0\t4\n")
    folder = _unspin("evaluate", str(articles), str(labels), "--task", "si", *FIXTURE)
    _clean_exit(folder, 2)
    assert "article2.txt: is a folder, not an article file" in folder.stderr
    (articles / "article2.txt").rmdir()
    (articles / "article3.txt").symlink_to(tmp_path / "gone.txt")
    dangling = _unspin("evaluate", str(articles), str(labels), "--task", "si", *FIXTURE)
    _clean_exit(dangling, 2)
    assert "article3.txt: cannot be read (No such file or directory)" in dangling.stderr


# -- output formats --------------------------------------------------------------------------


def test_analyze_picks_the_format_from_the_suffix_or_refuses(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    _clean_exit(_unspin("analyze", str(SAMPLE), "-o", str(out), *FIXTURE), 0)
    header = next(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert header[:2] == ["store_id", "article_id"]
    pdf = tmp_path / "out.pdf"
    refused = _unspin("analyze", str(SAMPLE), "-o", str(pdf), *FIXTURE)
    _clean_exit(refused, 2)
    assert "unknown output suffix '.pdf'" in refused.stderr
    assert ".csv (csv)" in refused.stderr and ".html (html)" in refused.stderr
    assert not pdf.exists()
    _clean_exit(_unspin("analyze", str(SAMPLE), "-o", str(pdf), "-f", "json", *FIXTURE), 0)
    assert json.loads(pdf.read_text())["id"] == "sample-article"  # --format decides


def _pty_run(args: list[str], stdout_path: Path) -> int:
    """Run unspin with stderr on a terminal and stdout into a file, as `cmd > file` does."""
    master, slave = pty.openpty()
    env = {**os.environ, "COLUMNS": "80", "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    with stdout_path.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "unspin", *args], stdin=slave, stdout=out, stderr=slave, env=env
        )
        os.close(slave)
        while select.select([master], [], [], 120)[0]:
            try:
                if not os.read(master, 65536):
                    break
            except OSError:
                break
        os.close(master)
        return process.wait(timeout=120)


def test_redirected_output_goes_to_the_file_while_a_bar_is_shown(tmp_path: Path) -> None:
    # 0.2.0: the progress bar's console took over stdout and wrote the report to the terminal,
    # so `unspin analyze story.txt -f json > out.jsonl` left out.jsonl empty.
    out = tmp_path / "out.jsonl"
    assert _pty_run(["analyze", str(SAMPLE), "-f", "json", *FIXTURE], out) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["id"] == "sample-article"


def test_without_colour_the_report_shows_where_spans_end(monkeypatch: pytest.MonkeyPatch) -> None:
    # As test_formats sets it: Rich keeps what it rendered for a style, whatever the colours.
    monkeypatch.setenv("COLORTERM", "truecolor")
    text = "The corrupt cowards betrayed us all. Shameful!"
    article = Article(
        "x",
        text,
        (Span(4, 19, "Name_Calling,Labeling", 0.9), Span(12, 28, "Loaded_Language", 0.5)),
        ModelInfo("m", "1"),
    )
    plain = io.StringIO()
    terminal.write([article], plain, color=False)
    assert "The [1]corrupt [2]cowards[/1] betrayed[/2] us all." in plain.getvalue()
    coloured = io.StringIO()
    terminal.write([article], coloured, color=True)
    assert "[/1]" not in coloured.getvalue()  # the highlight shows the end


# -- the library -----------------------------------------------------------------------------


def test_an_article_equals_its_json_form() -> None:
    article = Article(
        "a",
        "Some text",
        (Span(0, 4, "Doubt", 0.123456789), Span(5, 9, "Slogans", 2 / 3)),
        ModelInfo("m", "1"),
    )
    assert article.spans[0].confidence == 0.1235
    assert Article.from_dict(article.to_dict()) == article
    assert Article.from_dict(json.loads(json.dumps(article.to_dict()))) == article


def test_analyze_many_takes_plain_strings(fixture_analyzer: Analyzer) -> None:
    first, second = fixture_analyzer.analyze_many(["some text", ENGLISH])
    assert (first.id, first.text, second.id) == ("1", "some text", "2")
    from unspin._errors import InputError

    (repaired,) = fixture_analyzer.analyze_many(["bad \ud800 text\x01"])
    assert repaired.text == "bad \ufffd text\x01"  # the tokenizer refused the surrogate
    with pytest.raises(InputError, match="expected a str or a Document, got int"):
        list(fixture_analyzer.analyze_many([3]))  # type: ignore[list-item]


@pytest.mark.parametrize(
    "given", ["Name calling / labelling", "name_calling", "Name_Calling,Labeling", "LABELLING"]
)
def test_technique_names_in_any_shown_form(given: str) -> None:
    found = find_technique(given)
    assert found is not None and found.name == "Name_Calling,Labeling"


def test_every_technique_is_found_by_its_title_and_label() -> None:
    for technique in TECHNIQUES:
        assert find_technique(technique.title) == technique
        assert find_technique(technique.name) == technique
        assert find_technique(technique.name.lower().replace("-", "_")) == technique
    assert find_technique("propaganda") is None


def test_export_takes_technique_titles(tmp_path: Path) -> None:
    db = str(tmp_path / "news.db")
    _clean_exit(_unspin("batch", str(SAMPLE), "--db", db, *FIXTURE), 0)
    for form in ("Loaded language", "loaded_language"):
        exported = _unspin("export", "--db", db, "--technique", form, "-f", "csv")
        _clean_exit(exported, 0)
    unknown = _unspin("export", "--db", db, "--technique", "spin")
    _clean_exit(unknown, 2)
    assert "not a technique; choose one of: Appeal to authority;" in unknown.stderr
