"""SemEval-2020 Task 11 technique-classification labels: ``id<TAB>technique<TAB>start<TAB>end``.

This is the layout of the PTC ``*.task2-TC.labels`` files and of the task's submissions, so the
output can be fed to the official scorer. Confidence is not part of the layout and is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from unspin._article import Article


def write(articles: Iterable[Article], out: TextIO) -> None:
    for article in articles:
        for span in article.spans:
            out.write(f"{article.id}\t{span.technique}\t{span.start}\t{span.end}\n")
        out.flush()
