"""PolNeAR attribution annotations (brat standoff): a defensive reader.

The rules are those of the corpus README: one annotation per article (the annotator id that
sorts first), a span in several pieces counts by its extent, ``Content2`` widens the content,
``Discuss``/``Discard`` are the annotators' flags and are ignored, a line that is no ``T``,
``E`` or ``#`` line continues the covered text of the line before it. Everything skipped is
counted in ``notes`` so that a caller can report it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from unspin._errors import CorpusError

ROLES = ("source", "cue", "content")
_ROLE_OF = {"Source": "source", "Cue": "cue", "Content": "content"}
_ANCHORS = frozenset({"Attribution", "Attribution-no-source"})
_IGNORED = frozenset({"Discuss", "Discard"})
_T_START = re.compile(r"T\d+\t")
_NOTE = re.compile(r"#\d*\t")
_T_LINE = re.compile(r"(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)(?:\t(.*))?$")
_E_LINE = re.compile(r"E\d+\t(.*)$")

Extent = tuple[int, int]


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    """One annotated attribution: each role's pieces (sorted) and extent."""

    source: tuple[Extent, ...]
    cue: tuple[Extent, ...]
    content: tuple[Extent, ...]

    def extent(self, role: str) -> Extent | None:
        pieces: tuple[Extent, ...] = getattr(self, role)
        if not pieces:
            return None
        return min(s for s, _ in pieces), max(e for _, e in pieces)


@dataclass(frozen=True, slots=True)
class PolnearArticle:
    name: str  # file name stem, e.g. ``nyt_2016-10-01_...``
    text: str
    attributions: tuple[GoldAttribution, ...]


def read_text(path: Path) -> str:
    """The file's text exactly as stored (no newline translation: offsets index it)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def parse_ann(source: str, text: str, notes: Counter[str]) -> list[GoldAttribution]:
    """The attributions of one ``.ann`` file's contents, for the article ``text``."""
    spans: dict[str, tuple[str, list[Extent]]] = {}
    events: list[list[str]] = []
    last: str | None = None
    lines = source.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        notes["empty .ann file"] += 1
    for line in (raw.rstrip("\r") for raw in lines):
        if _T_START.match(line):
            last = None
            m = _T_LINE.match(line)
            frags = [] if m is None else [_pair(f) for f in m.group(3).split(";")]
            if m is None or any(not 0 <= s <= e <= len(text) for s, e in frags):
                notes["malformed T line or offsets outside the text (skipped)"] += 1
                continue
            if m.group(2) not in _ROLE_OF and m.group(2) not in _ANCHORS | _IGNORED:
                notes[f"unknown T type {m.group(2)!r} (ignored)"] += 1
            spans[m.group(1)] = (m.group(2), frags)
            last = m.group(1)
        elif (e := _E_LINE.match(line)) is not None:
            events.append(e.group(1).split())
            last = None
        elif _NOTE.match(line):
            notes["annotator note (ignored)"] += 1
            last = "#"
        elif last is None:
            notes["line that is no T/E/# and follows no T (skipped)"] += 1
        elif last != "#":
            notes["continuation line (covered text held a line break)"] += 1
    return _events(events, spans, notes)


def _pair(fragment: str) -> Extent:
    start, end = fragment.split()
    return int(start), int(end)


def _events(
    events: list[list[str]], spans: dict[str, tuple[str, list[Extent]]], notes: Counter[str]
) -> list[GoldAttribution]:
    found: list[GoldAttribution] = []
    seen: set[tuple[Extent | None, ...]] = set()
    for args in events:
        parts: dict[str, list[Extent]] = {r: [] for r in ROLES}
        for role, _, tid in (arg.partition(":") for arg in args):
            base = role.rstrip("0123456789")  # Content2 -> Content
            if base not in _ROLE_OF and base not in _ANCHORS:
                notes[f"unknown E role {role!r} (argument skipped)"] += 1
            elif tid not in spans:
                notes["E argument names a missing or skipped T (argument skipped)"] += 1
            elif spans[tid][0] in _IGNORED:
                notes["E argument is a Discuss/Discard span (argument skipped)"] += 1
            elif base in _ROLE_OF:
                parts[_ROLE_OF[base]] += spans[tid][1]
        if not parts["content"]:
            notes["E line without content (attribution skipped)"] += 1
            continue
        att = GoldAttribution(*(tuple(sorted(set(parts[r]))) for r in ROLES))
        key = tuple(att.extent(r) for r in ROLES)
        if key in seen:
            notes["duplicate attribution (dropped)"] += 1
            continue
        seen.add(key)
        found.append(att)
    return found


def load_polnear(text_dir: Path, ann_dir: Path, notes: Counter[str]) -> list[PolnearArticle]:
    """Every article of ``text_dir`` that has an annotation in ``ann_dir``, sorted by name."""
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise CorpusError(f"{text_dir} or {ann_dir} is not a folder: give TEXT_DIR and ANN_DIR")
    anns: dict[str, list[tuple[str, Path]]] = {}
    for path in ann_dir.glob("*.ann"):
        stem, _, annotator = path.stem.rpartition("_")
        anns.setdefault(stem, []).append((annotator, path))
    texts = {p.stem: p for p in text_dir.glob("*.txt")}
    notes[".ann without a .txt (ignored)"] += len(set(anns) - set(texts))
    articles = []
    for name in sorted(texts):
        if name not in anns:
            notes[".txt without an .ann (left out)"] += 1
            continue
        notes[".ann of a later-sorting annotator (not used)"] += len(anns[name]) - 1
        text = read_text(texts[name])
        chosen = min(anns[name])[1]
        attributions = parse_ann(read_text(chosen), text, notes)
        articles.append(PolnearArticle(name, text, tuple(attributions)))
    if not articles:
        raise CorpusError(f"no annotated articles in {text_dir} with {ann_dir}")
    return articles
