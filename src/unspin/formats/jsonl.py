"""JSON Lines: one ``Article.to_dict()`` object per line, written as each article arrives."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from unspin._article import Article


def write(articles: Iterable[Article], out: TextIO) -> None:
    for article in articles:
        out.write(json.dumps(article.to_dict(), ensure_ascii=False))
        out.write("\n")
        out.flush()
