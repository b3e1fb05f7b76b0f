"""The results store: articles, analyses and spans in SQLite or PostgreSQL (SQLAlchemy)."""

from unspin.corpus.store.db import AddResult, Store, content_hash, database_url

__all__ = ["AddResult", "Store", "content_hash", "database_url"]
