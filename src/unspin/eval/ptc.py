"""Reading and writing the PTC (SemEval-2020 Task 11) corpus layout.

A corpus folder holds ``*-articles/articleNNN.txt`` files and label files with tab-separated
columns: ``article_id start end`` (SI) or ``article_id technique start end`` (TC, where the
technique may be ``?`` in a template). Offsets are Unicode code points, ``end`` exclusive.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from unspin._errors import CorpusError, LabelFileError
from unspin.techniques import TECHNIQUE_NAMES

_ARTICLE_FILE = re.compile(r"^article(\d+)\.txt$")


@dataclass(frozen=True, slots=True)
class Label:
    """One line of a label file; ``technique`` is None for SI lines and ``"?"`` in templates."""

    article_id: str
    start: int
    end: int
    technique: str | None = None


def load_articles(folder: Path) -> dict[str, str]:
    """Every ``articleNNN.txt`` in ``folder``, by article id, read as UTF-8 with LF newlines."""
    if not folder.is_dir():
        raise CorpusError(f"{folder}: no such folder of articles")
    articles: dict[str, str] = {}
    for path in sorted(folder.iterdir()):
        match = _ARTICLE_FILE.match(path.name)
        if match is None:
            continue
        if path.is_dir():
            raise CorpusError(f"{path}: is a folder, not an article file; rename or move it")
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                articles[match.group(1)] = handle.read()
        except UnicodeDecodeError as exc:
            raise CorpusError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from exc
        except OSError as exc:
            raise CorpusError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if not articles:
        raise CorpusError(f"{folder}: no articleNNN.txt files in this folder")
    return articles


def read_labels(path: Path, articles: Mapping[str, str] | None = None) -> list[Label]:
    """Parse a label file with 3 columns (id, start, end) or 4 (id, technique, start, end).

    With ``articles``, every id must name a known article and every span must lie inside it.
    Raises ``LabelFileError`` naming the file, the line and the problem.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LabelFileError(f"{path}: cannot read the label file ({exc.strerror})") from exc
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LabelFileError(f"{path}: not a UTF-8 text file (byte {exc.start})") from exc
    labels: list[Label] = []
    width: int | None = None
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        cols = line.rstrip("\r").split("\t")
        if len(cols) not in (3, 4):
            raise LabelFileError(
                f"{where}: expected 3 tab-separated columns (id start end) or 4 "
                f"(id technique start end), found {len(cols)}"
            )
        if width is not None and len(cols) != width:
            raise LabelFileError(f"{where}: {len(cols)} columns, but earlier lines have {width}")
        width = len(cols)
        article_id, start_s, end_s = cols[0], cols[-2], cols[-1]
        technique = cols[1] if len(cols) == 4 else None
        if not article_id.isdigit():
            raise LabelFileError(f"{where}: article id {article_id!r} is not a number")
        try:
            start, end = int(start_s), int(end_s)
        except ValueError:
            raise LabelFileError(f"{where}: start and end must be integers") from None
        if not 0 <= start < end:
            raise LabelFileError(f"{where}: span {start}-{end} is empty or negative")
        if technique is not None and technique != "?" and technique not in TECHNIQUE_NAMES:
            raise LabelFileError(
                f"{where}: unknown technique {technique!r} (see `unspin techniques`)"
            )
        if articles is not None:
            if article_id not in articles:
                raise LabelFileError(f"{where}: no article{article_id}.txt in the articles folder")
            if end > len(articles[article_id]):
                raise LabelFileError(
                    f"{where}: span {start}-{end} runs past the end of article{article_id}.txt "
                    f"({len(articles[article_id])} characters)"
                )
        labels.append(Label(article_id, start, end, technique))
    if not labels:
        raise LabelFileError(f"{path}: the label file has no labels")
    return labels


def format_labels(labels: Iterable[Label]) -> str:
    """Label lines in the PTC layout (4 columns when a technique is set, else 3)."""
    lines = []
    for label in labels:
        cols = [label.article_id]
        if label.technique is not None:
            cols.append(label.technique)
        cols += [str(label.start), str(label.end)]
        lines.append("\t".join(cols) + "\n")
    return "".join(lines)


@dataclass(frozen=True, slots=True)
class PtcCorpus:
    """The PTC train split: texts, SI labels and TC labels."""

    articles: dict[str, str]
    si: list[Label]
    tc: list[Label]

    @classmethod
    def load(cls, root: Path) -> PtcCorpus:
        """Read ``train-articles/`` and the two train label files under ``root``."""
        if not root.is_dir():
            raise CorpusError(
                f"{root}: PTC corpus folder not found (give its folder, or set UNSPIN_PTC_DIR)"
            )
        articles = load_articles(root / "train-articles")
        si = read_labels(root / "train-task1-SI.labels", articles)
        tc = read_labels(root / "train-task2-TC.labels", articles)
        return cls(articles, si, tc)

    def split(self, seed: int, fraction: float) -> tuple[list[str], list[str]]:
        """A fixed, seeded (train ids, validation ids) split of the articles."""
        ids = sorted(self.articles)
        random.Random(seed).shuffle(ids)
        n_val = round(len(ids) * fraction)
        return sorted(ids[n_val:]), sorted(ids[:n_val])


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of overlapping (start, end) spans, sorted; touching spans stay apart."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
