"""What one web app holds: the store, the model setting, limits and the analyzer.

The analyzer loads on the first analysis (a second or two, and torch), not at start-up, so the
corpus pages of a server that never analyses anything stay light. It is not thread-safe, and
FastAPI runs endpoints in a thread pool, so loading and every analysis happen under locks.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from unspin._article import Article, ModelInfo
from unspin._errors import InputError
from unspin.corpus.store.queries import StoredArticle, get_article, pick_model

if TYPE_CHECKING:
    from unspin.analyzer import Analyzer
    from unspin.corpus.store import Store


class WebState:
    """The store and analyzer behind one app (``app.state.unspin``)."""

    def __init__(
        self,
        store: Store,
        model: str | None,
        max_bytes: int,
        body_limit: int,
        analyzer: Analyzer | None = None,
    ) -> None:
        self.store = store
        self.model_name = model
        self.max_bytes = max_bytes
        self.body_limit = body_limit
        self._analyzer = analyzer
        self._loading = threading.Lock()
        self._running = threading.Lock()

    def analyzer(self) -> Analyzer:
        """The analyzer, loaded once (by the first request that needs it)."""
        with self._loading:
            if self._analyzer is None:
                from unspin.analyzer import Analyzer

                self._analyzer = Analyzer.load(self.model_name)
            return self._analyzer

    def analyze(self, text: str, *, id: str, source: str) -> Article:
        analyzer = self.analyzer()
        with self._running:
            return analyzer.analyze(text, id=id, source=source)

    def corpus_model(self) -> ModelInfo | None:
        """Whose results the corpus pages show (each page names it), or None while the store
        has none: the configured model's newest version, else the model with most results."""
        models = self.store.models()
        if not models:
            return None
        try:
            return pick_model(self.store, self.model_name)
        except InputError:
            return models[0][0]

    def stored(self, article_id: int) -> StoredArticle | None:
        """A stored article with a result: the corpus model's, else any model's, else none
        (the article was imported but not analysed, or its analysis failed)."""
        preferred = self.corpus_model()
        others = [m for m, _ in self.store.models() if m != preferred]
        first = None
        for model in [preferred, *others] if preferred else others:
            found = get_article(self.store, article_id, model)
            if found is None or found.article is not None:
                return found
            first = first or found
        # No model analysed it: any model name reads its text and metadata.
        return first or get_article(self.store, article_id, ModelInfo("", ""))

    def close(self) -> None:
        self.store.close()
