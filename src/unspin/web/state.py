"""What one web app holds: a ``Corpus`` (the store and its analyzer) and the size limits.

The analyzer loads on the first analysis (a second or two, and torch), not at start-up, so the
corpus pages of a server that never analyses anything stay light; ``Corpus`` loads it and runs
analyses under locks, because FastAPI runs endpoints in a thread pool.
"""

from __future__ import annotations

from dataclasses import dataclass

from unspin.corpus import Corpus


@dataclass(frozen=True, slots=True)
class WebState:
    """The corpus behind one app (``app.state.unspin``) and its limits."""

    corpus: Corpus
    max_bytes: int
    body_limit: int

    def close(self) -> None:
        self.corpus.close()
