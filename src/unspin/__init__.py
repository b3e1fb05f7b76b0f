"""unspin: show how a news article persuades.

>>> from unspin import Analyzer
>>> analyzer = Analyzer.load()                       # the default model, unspin-small-v1
>>> article = analyzer.analyze(open("article.txt").read())
>>> for span in article.spans:
...     print(span.technique, round(span.confidence, 2), article.span_text(span))
"""

from unspin._article import Article, ModelInfo, Span
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
from unspin.io.documents import Document
from unspin.techniques import TECHNIQUES, Technique

__version__ = "0.2.0"

__all__ = [
    "TECHNIQUES",
    "Analyzer",
    "Article",
    "CorpusError",
    "Document",
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
