"""Training examples: encoder windows with B/I/O tags and the gold technique spans in them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from tokenizers import Tokenizer

from unspin.eval.ptc import PtcCorpus, merge_spans
from unspin.model.net import span_features
from unspin.model.windows import Window, bracket_ids, covering_tokens, make_windows, tokenize


@dataclass(frozen=True, slots=True)
class Example:
    ids: list[int]  # [CLS] ... [SEP]
    tags: list[int]  # one per id: 0 O, 1 B, 2 I, -100 for [CLS]/[SEP]
    spans: list[tuple[int, int]]  # (first, last) positions in ids, inclusive
    features: list[list[float]]
    targets: list[list[float]]  # per span: a distribution over techniques
    # per id between [CLS] and [SEP]: a teacher's (O, B, I) distribution, for articles
    # without gold tags (unspin.model.training.distill); None: the tags are gold
    soft: list[list[float]] | None = None


@dataclass(frozen=True, slots=True)
class SpanTarget:
    """A span to classify in training: characters, technique distribution, covering tokens."""

    start: int
    end: int
    target: list[float]
    tokens: tuple[int, int] | None  # first and last token (None: no token covers it)


def window_spans(
    text: str, lowered: str, w: Window, targets: Sequence[SpanTarget]
) -> tuple[list[tuple[int, int]], list[list[float]], list[list[float]]]:
    """The spans that start in window ``w``: their (first, last) positions in its ids ([CLS]
    is 0; a span running past the window is cut at its end), features and targets."""
    spans, feats, rows = [], [], []
    for t in targets:
        if t.tokens is None or not w.first <= t.tokens[0] < w.last:
            continue
        first, last = t.tokens[0], min(t.tokens[1], w.last - 1)
        spans.append((first - w.first + 1, last - w.first + 1))
        feats.append(span_features(text, lowered, t.start, t.end, last - first + 1))
        rows.append(t.target)
    return spans, feats, rows


def build_examples(
    corpus: PtcCorpus,
    article_ids: Sequence[str],
    tokenizer: Tokenizer,
    techniques: Sequence[str],
    max_tokens: int,
) -> list[Example]:
    index = {t: i for i, t in enumerate(techniques)}
    si: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for label in corpus.si:
        si[label.article_id].append((label.start, label.end))
    tc: dict[str, dict[tuple[int, int], list[str]]] = defaultdict(lambda: defaultdict(list))
    for label in corpus.tc:
        assert label.technique is not None
        tc[label.article_id][(label.start, label.end)].append(label.technique)
    cls_id, sep_id = bracket_ids(tokenizer)

    examples: list[Example] = []
    for article_id in article_ids:
        text = corpus.articles[article_id]
        tokens = tokenize(tokenizer, text)
        lowered = text.lower()
        offsets = tokens.offsets
        tags = [0] * len(offsets)
        for start, end in merge_spans(si[article_id]):
            toks = covering_tokens(offsets, start, end)
            if toks is not None:
                tags[toks[0]] = 1
                tags[toks[0] + 1 : toks[1] + 1] = [2] * (toks[1] - toks[0])
        gold = []
        for (start, end), names in tc[article_id].items():
            target = [0.0] * len(techniques)
            for name in names:
                target[index[name]] += 1.0 / len(names)
            gold.append(SpanTarget(start, end, target, covering_tokens(offsets, start, end)))
        for w in make_windows(text, tokens, 0, max_tokens):
            spans, feats, targets = window_spans(text, lowered, w, gold)
            ids = [cls_id, *tokens.ids[w.first : w.last], sep_id]
            window_tags = [-100, *tags[w.first : w.last], -100]
            examples.append(Example(ids, window_tags, spans, feats, targets))
    return examples
