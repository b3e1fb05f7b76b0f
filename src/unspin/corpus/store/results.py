"""Writing results: an analysis row per (article, model), its spans with their voices, and
its attributions, all in one transaction; claims on the articles are released with it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from unspin._article import Article, Attribution, ModelInfo
from unspin.corpus.store.db import _now, phrase_of
from unspin.corpus.store.schema import (
    SPEAKER_LENGTH,
    AnalysisRow,
    AttributionRow,
    ClaimRow,
    SpanRow,
)

if TYPE_CHECKING:
    from unspin.corpus.store.db import Store


def save(store: Store, model: ModelInfo, results: Sequence[tuple[int, Article | str]]) -> int:
    """Store results in one transaction (``Store.save_results`` says how)."""
    with store.session("write") as session:
        done = _statuses(session, model, [article_id for article_id, _ in results])
        failed = [i for i, status in done.items() if status == "failed"]
        if failed:
            session.execute(
                delete(AnalysisRow).where(
                    AnalysisRow.article_id.in_(failed),
                    AnalysisRow.model_name == model.name,
                    AnalysisRow.model_version == model.version,
                )
            )
        session.execute(
            delete(ClaimRow).where(
                ClaimRow.article_id.in_([article_id for article_id, _ in results]),
                ClaimRow.model_name == model.name,
                ClaimRow.model_version == model.version,
            )
        )
        now = _now()
        stored = 0
        for article_id, result in results:
            if done.get(article_id) == "done":
                continue
            done[article_id] = "done"
            ok = isinstance(result, Article)
            analysis = AnalysisRow(
                article_id=article_id,
                model_name=model.name,
                model_version=model.version,
                status="done" if ok else "failed",
                error=None if ok else str(result),
                created=now,
                with_attributions=isinstance(result, Article) and result.attributions is not None,
            )
            session.add(analysis)
            session.flush()
            if isinstance(result, Article):
                session.add_all(
                    SpanRow(
                        analysis_id=analysis.id,
                        article_id=article_id,
                        technique=span.technique,
                        start=span.start,
                        end=span.end,
                        # As `analyze --format json` writes it, so exports match.
                        confidence=round(span.confidence, 4),
                        phrase=phrase_of(result.span_text(span)),
                        voice=span.voice,
                        attribution=span.attribution,
                    )
                    for span in result.spans
                )
                session.add_all(
                    _attribution_row(analysis.id, article_id, position, found)
                    for position, found in enumerate(result.attributions or ())
                )
            stored += 1
    return stored


def _statuses(session: Session, model: ModelInfo, ids: list[int]) -> dict[int, str]:
    """The status of each of these articles' result from this model, where there is one."""
    rows = session.execute(
        select(AnalysisRow.article_id, AnalysisRow.status).where(
            AnalysisRow.article_id.in_(ids),
            AnalysisRow.model_name == model.name,
            AnalysisRow.model_version == model.version,
        )
    ).all()
    return {int(article_id): str(status) for article_id, status in rows}


def _attribution_row(
    analysis_id: int, article_id: int, position: int, found: Attribution
) -> AttributionRow:
    source, cue, content = found.source, found.cue, found.content
    return AttributionRow(
        analysis_id=analysis_id,
        article_id=article_id,
        position=position,
        source_start=source.start if source else None,
        source_end=source.end if source else None,
        cue_start=cue.start if cue else None,
        cue_end=cue.end if cue else None,
        content_start=content.start,
        content_end=content.end,
        speaker=found.speaker[:SPEAKER_LENGTH] if found.speaker else None,
        speaker_kind=found.speaker_kind,
        kind=found.kind,
        confidence=round(found.confidence, 4),
    )
