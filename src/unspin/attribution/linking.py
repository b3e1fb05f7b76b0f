"""From token tags to attributions: pieces, then contents linked to cues and sources.

A content is a ``B-CON`` piece and the ``C-CON`` pieces after it. Each content takes the
cue nearest to it (one inside the content's extent, between its pieces, is nearest of all),
one to one, closest pairs first; each attribution then takes the source nearest its cue.
Crossing a paragraph break costs as much as a long distance, so links stay within a
paragraph unless nothing else is there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from unspin.attribution.tags import B_CON, B_CUE, B_SRC, C_CON, I_CON, I_CUE, I_SRC

_PARAGRAPH = 400  # characters a paragraph break counts as
MAX_LINK = 600  # no link over a longer (penalised) distance
SHARE = 200  # an attribution left without a source takes one this near, even if taken
# A content that finds no cue: "keep" it, "drop" it, or "merge" it into the content before it
# when only white space and quotation marks lie between (a quotation over several paragraphs).
NO_CUE = "keep"

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
MERGE_QUOTES = True


def _merge_quotes(text: str, runs: list[tuple[str, list[_Run]]]) -> list[tuple[str, list[_Run]]]:
    """``"We will win," Trump said, "because ..."``: a quotation that the tagger began anew
    after its cue (B instead of C) is one content with the quotation before the cue."""
    out: list[tuple[str, list[_Run]]] = []
    for role, pieces in runs:
        if role == "content" and MERGE_QUOTES:
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


def _match(text: str, wants: list[Extent], offers: list[Extent], share: bool) -> list[int | None]:
    """For each ``want``, the index of its ``offer``: one to one by increasing distance; with
    ``share``, wants left over then take their nearest offer even if it is taken."""
    pairs = sorted(
        (_distance(text, w, o), i, j) for i, w in enumerate(wants) for j, o in enumerate(offers)
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
            if dist <= SHARE and chosen[i] is None:
                chosen[i] = j
    return chosen


def link(text: str, tags: Sequence[int], offsets: Sequence[tuple[int, int]]) -> list[Linked]:
    runs = _merge_quotes(text, _runs(tags, offsets))
    contents = [pieces for role, pieces in runs if role == "content"]
    cues = [pieces[0] for role, pieces in runs if role == "cue"]
    sources = [pieces[0] for role, pieces in runs if role == "source"]
    extents = [(p[0].start, p[-1].end) for p in contents]
    cue_of = _match(text, extents, [(c.start, c.end) for c in cues], share=False)
    anchors = [
        (cues[j].start, cues[j].end) if j is not None else extents[i] for i, j in enumerate(cue_of)
    ]
    source_of = _match(text, anchors, [(s.start, s.end) for s in sources], share=True)
    linked: list[Linked] = []
    for i, pieces in enumerate(contents):
        if cue_of[i] is None and NO_CUE != "keep":
            gap = text[linked[-1].content[1] : pieces[0].start] if linked else "x"
            if NO_CUE == "merge" and not gap.strip(" \n\t\"“”'‘’"):
                last = linked[-1]
                extra = tuple(t for p in pieces for t in range(p.first, p.last + 1))
                linked[-1] = Linked(
                    last.source,
                    last.cue,
                    (last.content[0], pieces[-1].end),
                    last.content_pieces + tuple((p.start, p.end) for p in pieces),
                    last.tokens + extra,
                )
                continue
            if NO_CUE in ("drop", "merge"):
                continue
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
    return linked
