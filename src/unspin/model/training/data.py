"""Training examples: encoder windows with B/I/O tags and the gold technique spans in them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from tokenizers import Tokenizer

from unspin.eval.ptc import PtcCorpus, merge_spans
from unspin.model.net import span_features
from unspin.model.windows import bracket_ids, covering_tokens, make_windows, tokenize


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
        gold = [
            (start, end, names, covering_tokens(offsets, start, end))
            for (start, end), names in tc[article_id].items()
        ]
        for w in make_windows(text, tokens, 0, max_tokens):
            spans, feats, targets = [], [], []
            for start, end, names, toks in gold:
                if toks is None or not w.first <= toks[0] < w.last:
                    continue
                first, last = toks[0], min(toks[1], w.last - 1)
                spans.append((first - w.first + 1, last - w.first + 1))
                feats.append(span_features(text, lowered, start, end, last - first + 1))
                target = [0.0] * len(techniques)
                for name in names:
                    target[index[name]] += 1.0 / len(names)
                targets.append(target)
            ids = [cls_id, *tokens.ids[w.first : w.last], sep_id]
            window_tags = [-100, *tags[w.first : w.last], -100]
            examples.append(Example(ids, window_tags, spans, feats, targets))
    return examples
