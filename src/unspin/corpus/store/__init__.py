"""The results store: articles, analyses and spans in SQLite or PostgreSQL (SQLAlchemy)."""

from unspin.corpus.store.db import AddResult, NewArticle, Store, content_hash, database_url

__all__ = ["AddResult", "NewArticle", "Store", "content_hash", "database_url"]
