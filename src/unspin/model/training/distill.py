"""Teaching a model with another's predictions on articles nobody labelled (distillation).

A teacher (a trained model or a pair, ``SpanModel``) reads unlabelled news articles. For each
it keeps its per-piece P(inside) and P(begin), the spans its decoding finds and its technique
distribution for each span. That is a *transfer set*, saved as one JSON file (``save_transfer``)
so that every fold or seed of a student trains on the same one.

``unspin train --transfer FILE`` then adds these articles to the labelled ones: their windows
are tagged with the teacher's soft B/I/O distribution instead of gold tags (the teacher's
pieces are carried onto the student's by character overlap, as a pair does), and their spans
with the teacher's technique distribution.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tokenizers import Tokenizer

from unspin._errors import InputError
from unspin.model.decoding import Decoding, decode
from unspin.model.inference import SpanModel
from unspin.model.pair import project_offsets
from unspin.model.training.data import Example, SpanTarget, window_spans
from unspin.model.windows import bracket_ids, covering_tokens, make_windows, tokenize

FORMAT = "unspin-transfer-1"


@dataclass(frozen=True, slots=True)
class TaughtArticle:
    """One unlabelled article with what the teacher made of it."""

    id: str
    text: str
    offsets: list[tuple[int, int]]  # the teacher's word pieces
    p_inside: list[float]  # per piece
    p_begin: list[float]
    spans: list[tuple[int, int]]  # character spans the teacher's decoding found
    techniques: list[list[float]]  # per span: the teacher's technique distribution


def teach(
    teacher: SpanModel,
    decoding: Decoding,
    texts: Mapping[str, str],
    *,
    batch: int = 8,
    progress: Callable[[int], None] | None = None,
) -> list[TaughtArticle]:
    """The teacher's soft labels for every text (in the order of ``texts``)."""
    out: list[TaughtArticle] = []
    ids = list(texts)
    for k in range(0, len(ids), batch):
        chunk = ids[k : k + batch]
        for article_id, enc in zip(chunk, teacher.encode([texts[i] for i in chunk]), strict=True):
            spans = [(s.start, s.end) for s in decode(enc, decoding)]
            probs = teacher.classify(enc, spans)
            out.append(
                TaughtArticle(
                    article_id,
                    enc.text,
                    list(enc.tokens.offsets),
                    [round(p, 4) for p in enc.p_inside],
                    [round(p, 4) for p in enc.p_begin],
                    spans,
                    [[round(float(x), 4) for x in row] for row in probs],
                )
            )
        if progress is not None:
            progress(len(chunk))
    return out


def save_transfer(
    path: Path,
    articles: Sequence[TaughtArticle],
    techniques: Sequence[str],
    teacher: dict[str, Any],
) -> None:
    """Write a transfer set atomically (a crash leaves no half-written file)."""
    payload = {
        "format": FORMAT,
        "techniques": list(techniques),
        "teacher": teacher,
        "articles": [
            {
                "id": a.id,
                "text": a.text,
                "offsets": a.offsets,
                "p_inside": a.p_inside,
                "p_begin": a.p_begin,
                "spans": a.spans,
                "techniques": a.techniques,
            }
            for a in articles
        ],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        json.dump(payload, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def transfer_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_transfer(path: Path, techniques: Sequence[str]) -> list[TaughtArticle]:
    """Read a transfer set back, checking it is whole and labels ``techniques``."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such transfer set") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a transfer set ({exc})") from exc
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise InputError(f"{path}: not a transfer set (expected format {FORMAT!r})")
    if payload.get("techniques") != list(techniques):
        raise InputError(f"{path}: the teacher labels other techniques than this model")
    articles = []
    for n, item in enumerate(payload.get("articles") or []):
        try:
            article = TaughtArticle(
                str(item["id"]),
                str(item["text"]),
                [(int(s), int(e)) for s, e in item["offsets"]],
                [float(p) for p in item["p_inside"]],
                [float(p) for p in item["p_begin"]],
                [(int(s), int(e)) for s, e in item["spans"]],
                [[float(x) for x in row] for row in item["techniques"]],
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{path}: article {n} is malformed ({exc!r})") from exc
        pieces = {len(article.offsets), len(article.p_inside), len(article.p_begin)}
        rows_ok = all(len(row) == len(techniques) for row in article.techniques)
        if len(pieces) != 1 or len(article.spans) != len(article.techniques) or not rows_ok:
            raise InputError(f"{path}: article {article.id} has lists of unequal lengths")
        values = [*article.p_inside, *article.p_begin]
        if not all(math.isfinite(p) and 0.0 <= p <= 1.0 for p in values):
            raise InputError(f"{path}: article {article.id} has probabilities outside 0-1")
        articles.append(article)
    if not articles:
        raise InputError(f"{path}: the transfer set has no articles")
    return articles


def soft_tags(p_inside: float, p_begin: float) -> list[float]:
    """A piece's B/I/O distribution (O, B, I) from its P(inside) and P(begin)."""
    begin = min(max(p_begin, 0.0), 1.0)
    inside = min(max(p_inside, begin), 1.0)
    return [1.0 - inside, begin, inside - begin]


def build_taught_examples(
    articles: Sequence[TaughtArticle], tokenizer: Tokenizer, max_tokens: int
) -> list[Example]:
    """Training windows of the student's tokenizer, tagged with the teacher's soft labels."""
    cls_id, sep_id = bracket_ids(tokenizer)
    examples: list[Example] = []
    for article in articles:
        text = article.text
        tokens = tokenize(tokenizer, text)
        lowered = text.lower()
        inside, begin = project_offsets(
            tokens.offsets, article.offsets, article.p_inside, article.p_begin
        )
        dists = [soft_tags(i, b) for i, b in zip(inside, begin, strict=True)]
        taught = [
            SpanTarget(start, end, row, covering_tokens(tokens.offsets, start, end))
            for (start, end), row in zip(article.spans, article.techniques, strict=True)
        ]
        for w in make_windows(text, tokens, 0, max_tokens):
            spans, feats, targets = window_spans(text, lowered, w, taught)
            ids = [cls_id, *tokens.ids[w.first : w.last], sep_id]
            tags = [-100] * len(ids)  # no gold tag: the soft ones below count instead
            examples.append(Example(ids, tags, spans, feats, targets, soft=dists[w.first : w.last]))
    return examples
