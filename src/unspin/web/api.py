"""The JSON API under ``/api/``; ``/openapi.json`` describes it and ``/api`` lists it.

Articles come back as ``unspin analyze --format json`` writes them (``Article.to_dict()``), with
the id they are stored under (``store_id``) and the address of their page (``url``). Errors are
``{"error": {"status": ..., "message": ...}}`` (see ``app.py``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from unspin._article import ArticleMeta, ModelInfo
from unspin.corpus import StoredArticle
from unspin.techniques import TECHNIQUES
from unspin.web.analysis import analyse, from_text
from unspin.web.filters import ViewParams, parse_confidence, state_of
from unspin.web.stats import exact

router = APIRouter(prefix="/api", tags=["api"])
Json = dict[str, Any]


class AnalyzeRequest(BaseModel):
    """A text to analyse and what is known about it."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The article text (plain text; offsets index it).")
    title: str | None = Field(None, description="Headline.")
    outlet: str | None = Field(None, description="Publication, for corpus statistics.")
    url: str | None = Field(None, description="Where the article was published.")
    published: date | None = Field(None, description="Publication date, YYYY-MM-DD.")
    store: bool = Field(True, description="Keep the article and its result in the store.")


def _model(model: ModelInfo | None) -> Json | None:
    return model.to_dict() if model else None


def _page(request: Request, store_id: int) -> str:
    return str(request.url_for("article", article_id=store_id))


@router.post("/analyze", summary="Analyse a text")
def analyze(request: Request, body: AnalyzeRequest) -> Json:
    """Find the techniques in a text. With `store` (the default) the article and its result
    are stored, and `url` is its permanent page."""
    state = state_of(request)
    document = from_text(state, body.text, "<api>")
    details = ArticleMeta(body.title, body.outlet, body.url, body.published)
    result = analyse(state, document, details, store=body.store)
    data = result.article.to_dict()
    data["store_id"] = result.store_id
    data["url"] = _page(request, result.store_id) if result.store_id is not None else None
    return data


@router.get("/articles", summary="List stored articles")
def list_articles(
    request: Request,
    v: ViewParams,
    limit: Annotated[int, Query(ge=1, le=500, description="Articles per page.")] = 50,
    offset: Annotated[int, Query(ge=0, description="Articles to skip.")] = 0,
) -> Json:
    """Analysed articles matching the filters, newest first, with their span counts."""
    found, total = v.corpus.articles(v.f, limit=limit, offset=offset) if v.model else ([], 0)
    return {
        "model": _model(v.model),
        "total": total,
        "limit": limit,
        "offset": offset,
        "articles": [
            {
                "store_id": a.id,
                "title": a.title,
                "outlet": a.outlet,
                "published": a.published.isoformat() if a.published else None,
                "source_url": a.url,
                "words": a.words,
                "spans": a.spans,
                "url": _page(request, a.id),
            }
            for a in found
        ],
    }


@router.get("/articles/{store_id}", summary="One stored article with its result")
def get_one(
    request: Request,
    store_id: int,
    min_confidence: Annotated[
        str | None, Query(description="Only spans at least this confident (0 to 1).")
    ] = None,
) -> Json:
    """The article as `unspin analyze --format json` writes it, with its metadata; `status`
    is `done`, `failed` (with `error`) or null when no model has analysed it. `score`: the
    article's spans per 1,000 words (all its spans) and the percentile of that rate among the
    articles the same model analysed (null without a result)."""
    threshold = parse_confidence(min_confidence)
    stored = state_of(request).corpus.get(store_id)
    if stored is None:
        raise HTTPException(404, f"no article with id {store_id} in this store")
    return _stored(request, stored, threshold)


def _stored(request: Request, stored: StoredArticle, threshold: float) -> Json:
    data = stored.to_dict(threshold)
    data["url"] = _page(request, stored.id)
    article = stored.article
    score = state_of(request).corpus.article_score(stored.id, article.model) if article else None
    data["score"] = score.to_dict() if score else None
    return data


@router.get("/stats/rates", summary="Technique rates by outlet")
def rates(v: ViewParams) -> Json:
    """Spans per technique and outlet, and per 1,000 words of that outlet's articles. An
    outlet with no spans is listed once with technique `""`."""
    rows = v.corpus.rates(v.f) if v.model else []
    return {
        "model": _model(v.model),
        "rates": [
            {
                "outlet": r.outlet,
                "technique": r.technique,
                "spans": r.spans,
                "words": r.words,
                "per_1000": exact(r.per_1000),
                "interval_95": [exact(x) for x in r.interval],
            }
            for r in rows
        ],
    }


@router.get("/stats/timeline", summary="Spans over time")
def weeks(
    v: ViewParams,
    bucket: Annotated[
        str, Query(description="Period: auto (chosen from the dates), day, week, month, year.")
    ] = "auto",
) -> Json:
    """Periods (`bucket`: day, week starting Monday, month or year) with articles, words and
    spans by technique. Dates far from the rest or after today are `outliers`, not periods;
    `undated` articles are left out. `weeks` is `periods` under its 0.2 name."""
    if not v.model:
        return {"model": None, "bucket": None, "periods": [], "weeks": [], "outliers": []}
    timeline = v.corpus.timeline(v.f, bucket=bucket)
    periods = [
        {
            "start": p.start.isoformat(),
            "week": p.start.isoformat(),
            "articles": p.articles,
            "words": p.words,
            "spans": p.spans,
            "total": p.total,
            "per_1000": exact(p.per_1000),
        }
        for p in timeline.periods
    ]
    return {
        "model": _model(v.model),
        "bucket": timeline.bucket,
        "periods": periods,
        "weeks": periods,
        "outliers": [
            {"date": row.day.isoformat(), "articles": row.articles, "spans": row.total, "why": why}
            for row, why in timeline.outliers
        ],
        "undated": timeline.undated,
    }


@router.get("/stats/phrases", summary="Most flagged phrases")
def phrases(
    v: ViewParams,
    per_technique: Annotated[int, Query(ge=1, le=100, description="Phrases per technique.")] = 10,
) -> Json:
    """The most often flagged phrases (lower-cased span text) of each technique."""
    rows = v.corpus.top_phrases(v.f, per_technique=per_technique) if v.model else []
    return {
        "model": _model(v.model),
        "phrases": [
            {"technique": r.technique, "phrase": r.phrase, "spans": r.spans, "articles": r.articles}
            for r in rows
        ],
    }


@router.get("/stats/voices", summary="Rates in the author's voice and in quotes")
def voice_rates(v: ViewParams) -> Json:
    """Per outlet, spans in the author's voice and in quotes per 1,000 words, ranked by the
    author's voice; only results made with attributions count."""
    rows = v.corpus.voice_rates(v.f) if v.model else []
    return {
        "model": _model(v.model),
        "outlets": [
            {
                "outlet": r.outlet,
                "articles": r.articles,
                "words": r.words,
                "author_spans": r.author,
                "author_per_1000": exact(r.author_per_1000),
                "quoted_spans": r.quoted,
                "quoted_per_1000": exact(r.quoted_per_1000),
            }
            for r in rows
        ],
    }


@router.get("/stats/speakers", summary="Who each outlet quotes")
def speakers(
    v: ViewParams,
    per_outlet: Annotated[int, Query(ge=1, le=100, description="Speakers per outlet.")] = 10,
) -> Json:
    """The named speakers each outlet quotes most, with counts, and per outlet the share of
    its attributions with an anonymous source."""
    found = v.corpus.top_speakers(v.f, per_outlet=per_outlet) if v.model else []
    shares = v.corpus.source_shares(v.f) if v.model else []
    return {
        "model": _model(v.model),
        "speakers": [
            {
                "outlet": r.outlet,
                "speaker": r.speaker,
                "speaker_kind": r.speaker_kind,
                "attributions": r.attributions,
                "articles": r.articles,
            }
            for r in found
        ],
        "sources": [
            {
                "outlet": s.outlet,
                "attributions": s.attributions,
                "anonymous": s.anonymous,
                "anonymous_share": exact(s.anonymous_share),
            }
            for s in shares
        ],
    }


@router.get("/outlets", summary="Outlets in the store")
def list_outlets(request: Request) -> Json:
    """Every outlet with its number of stored articles, most first, and the stored names
    merged into it (`unspin outlets merge`)."""
    rows = state_of(request).corpus.outlet_names()
    return {"outlets": [{"name": o.name, "articles": o.articles, "merged": o.merged} for o in rows]}


@router.get("/models", summary="Models with results")
def list_models(v: ViewParams) -> Json:
    """The models with results in the store, how many articles each analysed, and the one
    whose results the corpus pages and statistics use."""
    return {
        "models": [{**m.to_dict(), "articles": n} for m, n in v.models],
        "corpus_model": _model(v.model),
    }


@router.get("/techniques", summary="The techniques")
def list_techniques() -> Json:
    """The 14 techniques the models find: label, title, definition, example and colour."""
    return {
        "techniques": [
            {
                "name": t.name,
                "title": t.title,
                "definition": t.definition,
                "example": t.example,
                "color": t.color,
            }
            for t in TECHNIQUES
        ]
    }
