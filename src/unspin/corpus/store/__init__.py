"""The results store: articles, analyses and spans in SQLite or PostgreSQL (SQLAlchemy)."""

from unspin.corpus.store.connect import database_url
from unspin.corpus.store.db import AddResult, Store, content_hash

__all__ = ["AddResult", "Store", "content_hash", "database_url"]
