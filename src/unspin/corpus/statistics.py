"""The statistics a ``Corpus`` answers: technique rates by outlet, outlet totals with
intervals, the timeline, article scores, top phrases, two outlets compared, and who speaks
(rates in the author's voice and in quotes, speakers, anonymous sources).

A mixin of ``Corpus`` (``corpus/core.py``), kept apart so that each file reads in one sitting;
results are cached while the store's data is unchanged.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any, TypeVar, cast

from unspin._article import ModelInfo
from unspin._errors import InputError
from unspin.corpus import timeline as timelines
from unspin.corpus.compare import Comparison, compare
from unspin.corpus.store import stats, voices
from unspin.corpus.store.db import Store
from unspin.corpus.store.queries import CorpusFilter
from unspin.corpus.store.stats import ArticleScore, OutletRow, PhraseRow, RateRow, ScoreTable
from unspin.corpus.store.voices import SourceRow, SpeakerRow, VoiceRow
from unspin.corpus.timeline import Timeline

T = TypeVar("T")
_CACHED = 64  # statistics kept (by query and filter) while the data is unchanged


class Statistics:
    """Corpus statistics over ``_store``, for filters that ``_resolved`` completes."""

    _store: Store
    _cache: OrderedDict[tuple[Any, ...], tuple[tuple[Any, ...], Any]]
    _caching: threading.Lock

    def _resolved(self, f: CorpusFilter | None) -> CorpusFilter:
        raise NotImplementedError

    def model_info(
        self,
        name: str | None = None,
        *,
        strict: bool = False,
        models: list[tuple[ModelInfo, int]] | None = None,
    ) -> ModelInfo | None:
        raise NotImplementedError

    def _cached(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """``compute()``, or its result from an earlier call with the same ``key`` while the
        store's data is unchanged (``Store.data_version``, asked every time, so that writes
        by other processes count too). A dashboard asks four statistics of the whole corpus;
        a busy server asks them again and again."""
        version = self._store.data_version()
        with self._caching:
            hit = self._cache.get(key)
            if hit is not None and hit[0] == version:
                self._cache.move_to_end(key)
                return cast(T, hit[1])
        value = compute()
        with self._caching:
            self._cache[key] = (version, value)
            while len(self._cache) > _CACHED:
                self._cache.popitem(last=False)
        return value

    def rates(self, f: CorpusFilter | None = None) -> list[RateRow]:
        """Spans per technique and outlet, with the words they are counted over."""
        chosen = self._resolved(f)
        return self._cached(("rates", chosen), lambda: stats.technique_rates(self._store, chosen))

    def outlet_totals(
        self, f: CorpusFilter | None = None, *, rates: list[RateRow] | None = None
    ) -> list[OutletRow]:
        """Per outlet: matching articles, their words and spans (each row has ``per_1000``
        and its 95 % ``interval``), by outlet name. ``rates``: ``rates(f)`` when the caller
        has it already (the spans are not counted again)."""
        chosen = self._resolved(f)
        return self._cached(
            ("outlets", chosen), lambda: stats.outlet_totals(self._store, chosen, rates)
        )

    def timeline(
        self, f: CorpusFilter | None = None, *, bucket: str = "auto", today: date | None = None
    ) -> Timeline:
        """Articles, words and spans by technique per period: ``bucket`` is ``day``,
        ``week``, ``month``, ``year`` or ``auto`` (the finest that needs at most 90 periods);
        dates far from the rest or after ``today`` are listed as outliers, not drawn."""
        chosen = self._resolved(f)
        days, undated = self._cached(
            ("days", chosen), lambda: stats.timeline_days(self._store, chosen)
        )
        return timelines.build(days, bucket=bucket, today=today, undated=undated)

    def article_score(self, article_id: int, model: ModelInfo | None = None) -> ArticleScore | None:
        """How loaded an article is: spans per 1,000 words (all of the model's spans) and the
        percentile of that rate among the articles the model analysed; ``None`` when the
        model (default: the corpus's) has no result for it. The rates of all articles are
        read in one query and kept while the data is unchanged, so scoring is a lookup."""
        chosen = model or self.model_info()
        if chosen is None:
            return None
        table = self._cached(("scores", chosen), lambda: ScoreTable(self._store, chosen))
        return table.score(article_id)

    def top_phrases(
        self, f: CorpusFilter | None = None, *, per_technique: int = 10
    ) -> list[PhraseRow]:
        """The most often flagged phrases of each technique."""
        chosen = self._resolved(f)
        return self._cached(
            ("phrases", chosen, per_technique),
            lambda: stats.top_phrases(self._store, chosen, per_technique=per_technique),
        )

    def compare(self, a: str, b: str, f: CorpusFilter | None = None) -> Comparison:
        """Outlets ``a`` and ``b`` side by side, technique by technique (``f``'s outlets are
        replaced by the two)."""
        if a == b:
            raise InputError(f"a and b are both {a!r}; choose two different outlets")
        both = replace(self._resolved(f), outlets=(a, b))
        rates = self.rates(both)
        return compare(rates, a, b, self.outlet_totals(both, rates=rates))

    def voice_rates(self, f: CorpusFilter | None = None) -> list[VoiceRow]:
        """Per outlet, spans in the author's voice and in quotes per 1,000 words (results
        made with attributions only), the author's voice ranking first."""
        return voices.voice_rates(self._store, self._resolved(f))

    def top_speakers(
        self, f: CorpusFilter | None = None, *, per_outlet: int = 10
    ) -> list[SpeakerRow]:
        """The named speakers each outlet quotes most, with counts."""
        return voices.top_speakers(self._store, self._resolved(f), per_outlet=per_outlet)

    def source_shares(self, f: CorpusFilter | None = None) -> list[SourceRow]:
        """Per outlet, its attributions and the share with an anonymous source."""
        return voices.source_shares(self._store, self._resolved(f))
