"""unspin: show how a news article persuades.

>>> from unspin import Analyzer
>>> analyzer = Analyzer.load()                       # the default model, unspin-small-v3
>>> article = analyzer.analyze(open("article.txt").read())
>>> for span in article.spans:
...     print(span.technique, round(span.confidence, 2), article.span_text(span))

>>> from unspin import Corpus
>>> with Corpus.open("news.db") as corpus:          # many articles in a results database
...     corpus.import_paths(["articles/"])
...     corpus.analyse()
...     rates = corpus.rates()
"""

from typing import TYPE_CHECKING, Any

from unspin._article import Article, ArticleMeta, Document, Failure, ModelInfo, Span
from unspin._errors import (
    CorpusError,
    InputError,
    LabelFileError,
    ModelError,
    ModelNotInstalledError,
    StoreError,
    UnknownModelError,
    UnspinError,
)
from unspin.analyzer import Analyzer
from unspin.techniques import TECHNIQUES, Technique

if TYPE_CHECKING:
    from unspin.corpus import Corpus, CorpusFilter


def __getattr__(name: str) -> Any:
    # The corpus layer imports SQLAlchemy: load it on first use, so `import unspin` stays light.
    if name in ("Corpus", "CorpusFilter"):
        import unspin.corpus

        return getattr(unspin.corpus, name)
    raise AttributeError(f"module 'unspin' has no attribute {name!r}")


__version__ = "0.7.0"

__all__ = [
    "TECHNIQUES",
    "Analyzer",
    "Article",
    "ArticleMeta",
    "Corpus",
    "CorpusError",
    "CorpusFilter",
    "Document",
    "Failure",
    "InputError",
    "LabelFileError",
    "ModelError",
    "ModelInfo",
    "ModelNotInstalledError",
    "Span",
    "StoreError",
    "Technique",
    "UnknownModelError",
    "UnspinError",
    "__version__",
]
