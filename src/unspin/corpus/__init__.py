"""Many articles: the results store (``store``), batch runs (``batch``) and the ``Corpus``
object that the CLI's corpus commands and the web app stand on.

The public surface is re-exported here; ``store/`` is the only place that knows SQL.
"""

from unspin.corpus.compare import CompareRow, Comparison
from unspin.corpus.core import Analysed, Corpus, ImportReport
from unspin.corpus.store.queries import ArticleSummary, CorpusFilter, StoredArticle
from unspin.corpus.store.stats import PhraseRow, RateRow, WeekRow
from unspin.corpus.store.voices import SourceRow, SpeakerRow, VoiceRow

__all__ = [
    "Analysed",
    "ArticleSummary",
    "CompareRow",
    "Comparison",
    "Corpus",
    "CorpusFilter",
    "ImportReport",
    "PhraseRow",
    "RateRow",
    "SourceRow",
    "SpeakerRow",
    "StoredArticle",
    "VoiceRow",
    "WeekRow",
]
