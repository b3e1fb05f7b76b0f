"""From token tags to attributions: pieces, then contents linked to cues and sources.

A content is a ``B-CON`` piece and the ``C-CON`` pieces after it. Each content takes the
cue nearest to it (one inside the content's extent, between its pieces, is nearest of all),
one to one, closest pairs first; each attribution then takes the source nearest its cue.
Crossing a paragraph break costs as much as a long distance, so links stay within a
paragraph unless nothing else is there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from unspin.attribution.tags import B_CON, B_CUE, B_SRC, C_CON, I_CON, I_CUE, I_SRC

_PARAGRAPH = 400  # characters a paragraph break counts as
MAX_LINK = 600  # no link over a longer (penalised) distance


@dataclass(frozen=True, slots=True)
class LinkConfig:
    """How pieces become attributions; chosen on PolNeAR dev, stored in the model card."""

    # An attribution left without a source takes one this near, even if another has it.
    share: int = 200
    # A content that finds no cue joins the nearest content with a cue within ``join``
    # characters (a paragraph break counts 400); otherwise it is kept ("keep_far") or
    # dropped ("drop"). "keep" keeps every content as it is.
    no_cue: str = "keep_far"
    join: int = 450
    merge_quotes: bool = True
    # A line that is a quotation followed by a dash and a name (``“...” ― Sonya Herridge``)
    # is an attribution whatever the tagger says: the tagger never saw one in training.
    dash_quotes: bool = True


Extent = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Linked:
    """An attribution as character extents, with the tokens it was read from."""

    source: Extent | None
    cue: Extent | None
    content: Extent
    content_pieces: tuple[Extent, ...]
    tokens: tuple[int, ...]  # token indices of all its parts


@dataclass(slots=True)
class _Run:
    role: str
    first: int
    last: int
    start: int
    end: int


def _runs(tags: Sequence[int], offsets: Sequence[tuple[int, int]]) -> list[tuple[str, list[_Run]]]:
    """Sources, cues and contents (each content a list of pieces), in text order."""
    out: list[tuple[str, list[_Run]]] = []
    role_of = {B_SRC: "source", B_CUE: "cue", B_CON: "content", C_CON: "content"}
    inside = {I_SRC: "source", I_CUE: "cue", I_CON: "content"}
    current: _Run | None = None
    for i, tag in enumerate(tags):
        if current is not None and inside.get(tag) == current.role:
            current.last, current.end = i, offsets[i][1]
            continue
        current = None
        if tag in role_of:
            current = _Run(role_of[tag], i, i, offsets[i][0], offsets[i][1])
            last_content = next((r for r in reversed(out) if r[0] == "content"), None)
            if tag == C_CON and last_content is not None:
                last_content[1].append(current)
            else:
                out.append((current.role, [current]))
    return out


_OPENING = "\"“'‘"
_CLOSING = "\"”'’"


def _merge_quotes(
    text: str, runs: list[tuple[str, list[_Run]]], on: bool
) -> list[tuple[str, list[_Run]]]:
    """``"We will win," Trump said, "because ..."``: a quotation that the tagger began anew
    after its cue (B instead of C) is one content with the quotation before the cue."""
    out: list[tuple[str, list[_Run]]] = []
    for role, pieces in runs:
        if role == "content" and on:
            k = len(out) - 1
            while k >= 0 and out[k][0] != "content":
                k -= 1
            if k >= 0 and len(out) - 1 - k <= 2:
                previous = out[k][1][-1]
                between = text[previous.end : pieces[0].start]
                ends_open = text[previous.start : previous.end].rstrip()[-2:-1] in ",:"
                if (
                    text[previous.end - 1 : previous.end] in _CLOSING
                    and ends_open
                    and text[pieces[0].start : pieces[0].start + 1] in _OPENING
                    and "\n" not in between
                    and len(between) < 80
                ):
                    out[k][1].extend(pieces)
                    continue
        out.append((role, pieces))
    return out


def _distance(text: str, a: Extent, b: Extent) -> int:
    if a[0] < b[1] and b[0] < a[1]:
        return 0
    lo, hi = (a[1], b[0]) if a[1] <= b[0] else (b[1], a[0])
    gap = text[lo:hi]
    return len(gap) + _PARAGRAPH * gap.count("\n")


def _inside(inner: Extent, outer: Extent) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def _match(text: str, wants: list[Extent], offers: list[Extent], share: int) -> list[int | None]:
    """For each ``want``, the index of its ``offer``: one to one by increasing distance; with
    ``share`` > 0, wants left over then take their nearest offer within ``share`` characters
    even if it is taken."""
    # The raw gap is a lower bound of the distance, so pairs further apart than either limit
    # are skipped before the text between them is read.
    limit = max(MAX_LINK, share)
    pairs = sorted(
        (_distance(text, w, o), i, j)
        for i, w in enumerate(wants)
        for j, o in enumerate(offers)
        if max(w[0], o[0]) - min(w[1], o[1]) <= limit
    )
    chosen: list[int | None] = [None] * len(wants)
    taken: set[int] = set()
    for dist, i, j in pairs:
        if dist > MAX_LINK:
            break
        if chosen[i] is None and j not in taken:
            chosen[i] = j
            taken.add(j)
    if share:
        for dist, i, j in pairs:
            if dist <= share and chosen[i] is None:
                chosen[i] = j
    return chosen


_DASH_QUOTE = re.compile(
    r"^[ \t\u00a0]*([“”\"][^\n]*?[”\"])[ \t\u00a0]*([―—])[ \t\u00a0]*"
    r"([A-Z][^\n]{0,60}?)[ \t\u00a0.]*$",
    re.MULTILINE,
)


def dash_quotes(text: str) -> list[Linked]:
    """``“Quotation.” ― Name`` lines, as attributions."""
    return [
        Linked(m.span(3), m.span(2), m.span(1), (m.span(1),), ())
        for m in _DASH_QUOTE.finditer(text)
    ]


def link(
    text: str,
    tags: Sequence[int],
    offsets: Sequence[tuple[int, int]],
    config: LinkConfig = LinkConfig(),  # frozen: one shared default is safe
) -> list[Linked]:
    runs = _merge_quotes(text, _runs(tags, offsets), config.merge_quotes)
    contents = [pieces for role, pieces in runs if role == "content"]
    cues = [pieces[0] for role, pieces in runs if role == "cue"]
    sources = [pieces[0] for role, pieces in runs if role == "source"]
    extents = [(p[0].start, p[-1].end) for p in contents]
    cue_of = _match(text, extents, [(c.start, c.end) for c in cues], share=0)
    contents, cue_of = _without_cue(text, contents, cue_of, config)
    extents = [(min(p.start for p in ps), max(p.end for p in ps)) for ps in contents]
    anchors = [
        (cues[j].start, cues[j].end) if j is not None else extents[i] for i, j in enumerate(cue_of)
    ]
    source_of = _match(text, anchors, [(s.start, s.end) for s in sources], share=config.share)
    linked: list[Linked] = []
    for i, pieces in enumerate(contents):
        cue = cues[cue_of[i]] if cue_of[i] is not None else None  # type: ignore[index]
        src = sources[source_of[i]] if source_of[i] is not None else None  # type: ignore[index]
        parts = [*pieces, *(r for r in (cue, src) if r is not None)]
        tokens = tuple(t for r in parts for t in range(r.first, r.last + 1))
        linked.append(
            Linked(
                source=(src.start, src.end) if src else None,
                cue=(cue.start, cue.end) if cue else None,
                content=extents[i],
                content_pieces=tuple((p.start, p.end) for p in pieces),
                tokens=tokens,
            )
        )
    if config.dash_quotes:
        found = dash_quotes(text)
        if found:
            taken = [f.content for f in found]
            linked = [
                item for item in linked
                if not any(item.content[0] < e and s < item.content[1] for s, e in taken)
            ]  # fmt: skip
            linked = sorted(linked + found, key=lambda item: item.content)
    return linked


def _without_cue(
    text: str, contents: list[list[_Run]], cue_of: list[int | None], config: LinkConfig
) -> tuple[list[list[_Run]], list[int | None]]:
    """Every annotated attribution has a cue, so a content the tagger left without one is
    most often a piece of a neighbouring content: it joins the nearest content that has a cue
    within ``config.join`` characters; otherwise ``config.no_cue`` says whether it is kept
    or dropped."""
    if config.no_cue == "keep":
        return contents, cue_of
    joined = [list(pieces) for pieces in contents]
    keep = [True] * len(contents)
    extent = [(p[0].start, p[-1].end) for p in contents]
    for i, pieces in enumerate(contents):
        if cue_of[i] is not None:
            continue
        near = [
            (_distance(text, extent[i], extent[j]), j)
            for j in range(len(contents))
            if cue_of[j] is not None
        ]
        if near and min(near)[0] <= config.join:
            joined[min(near)[1]] += pieces
            keep[i] = False
        elif config.no_cue == "drop":
            keep[i] = False
    out = [sorted(ps, key=lambda r: r.start) for ps, k in zip(joined, keep, strict=True) if k]
    return out, [c for c, k in zip(cue_of, keep, strict=True) if k]
