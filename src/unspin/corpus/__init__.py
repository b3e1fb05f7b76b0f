"""Many articles: the results store (``store``), batch runs (``batch``) and the ``Corpus``
object that the CLI's corpus commands and the web app stand on.

The public surface is re-exported here; ``store/`` is the only place that knows SQL.
"""

from unspin.corpus.compare import CompareRow, Comparison
from unspin.corpus.core import Analysed, Corpus, ImportReport
from unspin.corpus.store.outlets import OutletName
from unspin.corpus.store.queries import ArticleSummary, CorpusFilter, StoredArticle
from unspin.corpus.store.stats import ArticleScore, OutletRow, PhraseRow, RateRow
from unspin.corpus.store.voices import SourceRow, SpeakerRow, VoiceRow
from unspin.corpus.timeline import PeriodRow, Timeline

WeekRow = PeriodRow
"""The timeline's row under its 0.2 name (every period was a week then)."""

__all__ = [
    "Analysed",
    "ArticleScore",
    "ArticleSummary",
    "CompareRow",
    "Comparison",
    "Corpus",
    "CorpusFilter",
    "ImportReport",
    "OutletName",
    "OutletRow",
    "PeriodRow",
    "PhraseRow",
    "RateRow",
    "SourceRow",
    "SpeakerRow",
    "StoredArticle",
    "Timeline",
    "VoiceRow",
    "WeekRow",
]
