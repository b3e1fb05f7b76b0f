"""The PTC reader and writer, on small files written here (never corpus text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from unspin import settings
from unspin._errors import CorpusError, LabelFileError
from unspin.eval.ptc import Label, PtcCorpus, format_labels, load_articles, merge_spans, read_labels

# Two short articles of our own; offsets below index these strings.
ARTICLES = {
    "101": "A title\n\nThe plan is a total disaster.\n",  # 39 characters
    "202": "Another title\n\nIt is what it is.\n",
}


def _write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


@pytest.fixture
def articles_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "train-articles"
    folder.mkdir()
    for article_id, text in ARTICLES.items():
        _write(folder / f"article{article_id}.txt", text)
    return folder


# --- read_labels --------------------------------------------------------------------------------


def test_read_labels_three_columns(tmp_path: Path) -> None:
    path = _write(tmp_path / "si.labels", "101\t23\t37\n\n202\t15\t31\n")
    assert read_labels(path, ARTICLES) == [Label("101", 23, 37), Label("202", 15, 31)]
    assert ARTICLES["101"][23:37] == "total disaster"


def test_read_labels_four_columns_and_template(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "tc.labels",
        "101\tLoaded_Language\t23\t37\r\n202\tThought-terminating_Cliches\t15\t31\r\n",
    )
    assert read_labels(path, ARTICLES) == [
        Label("101", 23, 37, "Loaded_Language"),
        Label("202", 15, 31, "Thought-terminating_Cliches"),
    ]
    template = _write(tmp_path / "template.labels", "101\t?\t23\t37\n101\t?\t23\t37\n")
    assert read_labels(template) == [Label("101", 23, 37, "?")] * 2


@pytest.mark.parametrize(
    "content, line, problem",
    [
        ("101\t24\n", 1, "found 2"),
        ("101\tDoubt\t23\t37\textra\n", 1, "found 5"),
        ("101\t23\t37\n101\tDoubt\t23\t37\n", 2, "4 columns, but earlier lines have 3"),
        ("101\t23\t37\n\n101\tx\t38\n", 3, "must be integers"),
        ("101\t2.5\t38\n", 1, "must be integers"),
        ("101\t38\t38\n", 1, "span 38-38 is empty or negative"),
        ("101\t38\t24\n", 1, "span 38-24 is empty or negative"),
        ("abc\t23\t37\n", 1, "article id 'abc' is not a number"),
        ("101\tPropaganda\t23\t37\n", 1, "unknown technique 'Propaganda'"),
        ("999\t23\t37\n", 1, "no article999.txt"),
        ("101\t24\t40\n", 1, "runs past the end of article101.txt (39 characters)"),
    ],
)
def test_read_labels_errors_name_file_and_line(
    tmp_path: Path, content: str, line: int, problem: str
) -> None:
    path = _write(tmp_path / "bad.labels", content)
    with pytest.raises(LabelFileError) as info:
        read_labels(path, ARTICLES)
    assert info.value.message.startswith(f"{path}:{line}: ")
    assert problem in info.value.message


def test_read_labels_span_at_the_very_end_is_fine(tmp_path: Path) -> None:
    path = _write(tmp_path / "end.labels", "101\t38\t39\n")
    assert read_labels(path, ARTICLES) == [Label("101", 38, 39)]


@pytest.mark.parametrize("content", [b"", b"\n  \n"])
def test_read_labels_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.labels"
    path.write_bytes(content)
    with pytest.raises(LabelFileError, match="has no labels") as info:
        read_labels(path)
    assert str(path) in info.value.message


def test_read_labels_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.labels"
    path.write_bytes("101\tDoubt\t23\t37 \xe9\n".encode("latin-1"))
    with pytest.raises(LabelFileError, match="not a UTF-8 text file") as info:
        read_labels(path)
    assert info.value.message.startswith(f"{path}: ")


def test_read_labels_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.labels"
    with pytest.raises(LabelFileError, match="cannot read the label file") as info:
        read_labels(path)
    assert str(path) in info.value.message


# --- format_labels ------------------------------------------------------------------------------


def test_format_labels_round_trip(tmp_path: Path) -> None:
    labels = [
        Label("101", 23, 37, "Loaded_Language"),
        Label("101", 23, 37, "Name_Calling,Labeling"),
        Label("202", 0, 13, "?"),
    ]
    text = format_labels(labels)
    assert text == (
        "101\tLoaded_Language\t23\t37\n101\tName_Calling,Labeling\t23\t37\n202\t?\t0\t13\n"
    )
    assert read_labels(_write(tmp_path / "tc.labels", text), ARTICLES) == labels

    si = [Label("202", 15, 31), Label("101", 2, 7)]
    si_text = format_labels(si)
    assert si_text == "202\t15\t31\n101\t2\t7\n"
    assert read_labels(_write(tmp_path / "si.labels", si_text), ARTICLES) == si


# --- merge_spans --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spans, merged",
    [
        ([], []),
        ([(5, 9)], [(5, 9)]),
        ([(10, 20), (0, 5)], [(0, 5), (10, 20)]),  # sorted
        ([(0, 10), (5, 20)], [(0, 20)]),  # overlap
        ([(0, 30), (5, 10), (12, 20)], [(0, 30)]),  # nested
        ([(0, 10), (8, 12), (11, 15)], [(0, 15)]),  # chain
        ([(0, 5), (5, 10)], [(0, 5), (5, 10)]),  # touching: no shared character
        ([(3, 7), (3, 7)], [(3, 7)]),  # duplicate
    ],
)
def test_merge_spans(spans: list[tuple[int, int]], merged: list[tuple[int, int]]) -> None:
    assert merge_spans(spans) == merged


# --- load_articles ------------------------------------------------------------------------------


def test_load_articles_reads_only_article_files(articles_dir: Path) -> None:
    _write(articles_dir / "notes.txt", "not an article")
    _write(articles_dir / "article303.txt.bak", "a backup")
    _write(articles_dir / "article.txt", "no id")
    (articles_dir / "article404.txt.d").mkdir()
    assert load_articles(articles_dir) == ARTICLES


def test_load_articles_keeps_newlines_as_they_are(tmp_path: Path) -> None:
    # Offsets count raw code points, so "\r\n" must not be turned into "\n".
    _write(tmp_path / "article5.txt", "Title\r\n\r\nOne line.\r\n")
    assert load_articles(tmp_path) == {"5": "Title\r\n\r\nOne line.\r\n"}


def test_load_articles_empty_folder(tmp_path: Path) -> None:
    _write(tmp_path / "readme.txt", "no articles here")
    with pytest.raises(CorpusError, match=r"no articleNNN\.txt files") as info:
        load_articles(tmp_path)
    assert str(tmp_path) in info.value.message


def test_load_articles_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no such folder"):
        load_articles(tmp_path / "nowhere")


def test_load_articles_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "article7.txt").write_bytes("caf\xe9".encode("latin-1"))
    with pytest.raises(CorpusError, match=r"article7\.txt: not UTF-8"):
        load_articles(tmp_path)


# --- Corpus -------------------------------------------------------------------------------------


def test_corpus_load(tmp_path: Path, articles_dir: Path) -> None:
    _write(tmp_path / "train-task1-SI.labels", "101\t23\t37\n")
    _write(tmp_path / "train-task2-TC.labels", "101\tLoaded_Language\t23\t37\n")
    corpus = PtcCorpus.load(tmp_path)
    assert corpus.articles == ARTICLES
    assert corpus.si == [Label("101", 23, 37)]
    assert corpus.tc == [Label("101", 23, 37, "Loaded_Language")]


def test_corpus_load_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="UNSPIN_PTC_DIR"):
        PtcCorpus.load(tmp_path / "nowhere")


def test_corpus_split_is_seeded_and_disjoint() -> None:
    ids = [str(100 + i) for i in range(40)]
    corpus = PtcCorpus(dict.fromkeys(ids, "x"), [], [])
    train, val = corpus.split(seed=13, fraction=0.1)
    assert corpus.split(seed=13, fraction=0.1) == (train, val)
    assert len(val) == 4 and len(train) == 36
    assert not set(train) & set(val)
    assert sorted(train + val) == ids
    assert train == sorted(train) and val == sorted(val)
    assert corpus.split(seed=14, fraction=0.1)[1] != val


# --- the real corpus ----------------------------------------------------------------------------


@pytest.mark.corpus
def test_real_corpus_counts_and_clean_spans() -> None:
    root = settings.get_path("ptc_dir")
    if not root.is_dir():
        pytest.skip(f"PTC corpus not found at {root}; set UNSPIN_PTC_DIR")
    corpus = PtcCorpus.load(root)
    assert len(corpus.articles) == 371
    assert len(corpus.tc) == 6129
    assert len(corpus.si) == 5468
    assert all(label.technique is not None for label in corpus.tc)
    assert all(label.technique is None for label in corpus.si)
    for label in corpus.tc:
        text = corpus.articles[label.article_id][label.start : label.end]
        assert text == text.strip(), f"{label}: span {text!r} has surrounding whitespace"
