"""Claims: the articles a batch run is analysing now, so that runs on one store split the
work. A claim is a row under a unique constraint (article, model), so two runs that ask at
once never get the same article; it lasts ``lease`` seconds, renewed as the run's results come
in, and a run that dies leaves its claims to expire and be taken over.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, exists, select, update

from unspin._article import ModelInfo
from unspin.corpus.store.db import _analysed, _insert_ignore, _now
from unspin.corpus.store.schema import ArticleRow, ClaimRow

if TYPE_CHECKING:
    from unspin.corpus.store.db import Store

_KEY = ["article_id", "model_name", "model_version"]


def claim(
    store: Store,
    model: ModelInfo,
    run: str,
    *,
    after: int = 0,
    limit: int = 100,
    lease: float = 120.0,
    retry_failed: bool = False,
) -> list[tuple[int, str]]:
    """Claim up to ``limit`` pending articles (by id after ``after``) that no other run has a
    live claim on, for ``lease`` seconds; returns ``(id, text)`` of those claimed."""

    now = _now()
    with store.session("write") as session:
        live = exists().where(
            ClaimRow.article_id == ArticleRow.id,
            ClaimRow.model_name == model.name,
            ClaimRow.model_version == model.version,
            ClaimRow.expires > now,
        )
        ids = list(
            session.scalars(
                select(ArticleRow.id)
                .where(ArticleRow.id > after, ~_analysed(model, retry_failed), ~live)
                .order_by(ArticleRow.id)
                .limit(limit)
            )
        )
        if not ids:
            return []
        mine = [
            ClaimRow.article_id.in_(ids),
            ClaimRow.model_name == model.name,
            ClaimRow.model_version == model.version,
        ]
        session.execute(delete(ClaimRow).where(*mine, ClaimRow.expires <= now))
        expires = now + timedelta(seconds=lease)
        rows = [
            {
                "article_id": i,
                "model_name": model.name,
                "model_version": model.version,
                "run": run,
                "expires": expires,
            }
            for i in ids
        ]
        session.execute(_insert_ignore(store.engine, ClaimRow, _KEY), rows)
        # Read again now that this transaction writes: another run may have stored some
        # of these articles since the first read (SQLite reads outside a transaction).
        got = session.execute(
            select(ArticleRow.id, ArticleRow.text)
            .join(ClaimRow, ClaimRow.article_id == ArticleRow.id)
            .where(*mine, ClaimRow.run == run, ~_analysed(model, retry_failed))
            .order_by(ArticleRow.id)
        ).all()
        kept = [int(row.id) for row in got]
        session.execute(
            delete(ClaimRow).where(*mine, ClaimRow.run == run, ClaimRow.article_id.not_in(kept))
        )
    return [(int(row.id), row.text) for row in got]


def renew(store: Store, run: str, lease: float = 120.0) -> None:
    """Keep this run's claims alive for another ``lease`` seconds."""
    with store.session("write") as session:
        session.execute(
            update(ClaimRow)
            .where(ClaimRow.run == run)
            .values(expires=_now() + timedelta(seconds=lease))
        )


def release(store: Store, run: str) -> None:
    """Give up this run's claims (it is ending)."""
    with store.session("write") as session:
        session.execute(delete(ClaimRow).where(ClaimRow.run == run))
