"""The Analyse page, the article page and the API page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from unspin._article import Article, ArticleMeta, Document
from unspin._errors import InputError
from unspin.corpus import StoredArticle
from unspin.web.analysis import analyse, from_text, from_upload
from unspin.web.filters import parse_confidence, parse_date, state_of
from unspin.web.highlight import highlight
from unspin.web.render import page
from unspin.web.state import WebState

router = APIRouter(include_in_schema=False)
_FIELDS = ("text", "title", "outlet", "url", "published")


@router.get("/", name="analyse")
def analyse_form(request: Request) -> Response:
    return page(request, "analyse", {"form": {}, "error": None}, here="analyse")


@router.post("/analyze", name="analyse_submit")
async def analyse_submit(request: Request) -> Response:
    """Analyse the pasted text or uploaded file, store it, and show the result."""
    state = state_of(request)
    form = await request.form(max_files=1, max_fields=20, max_part_size=state.body_limit)
    values = {name: str(form.get(name) or "") for name in _FIELDS if name != "file"}
    upload = form.get("file")
    try:
        details = ArticleMeta(
            title=values["title"].strip() or None,
            outlet=values["outlet"].strip() or None,
            url=values["url"].strip() or None,
            published=parse_date(values["published"], "published"),
        )
        document = await _document(state, values["text"], upload)
        result = await run_in_threadpool(analyse, state, document, details, store=True)
    except InputError as error:
        context = {"form": values, "error": error.message}
        return page(request, "analyse", context, status=400, here="analyse")
    stored = await run_in_threadpool(state.corpus.get, result.store_id or 0)
    if stored is None:
        raise HTTPException(404, "the analysed article is no longer stored")
    return _article_page(request, stored, result.article, 0.0, fresh=True)


async def _document(state: WebState, text: str, upload: Any) -> Document:
    has_file = isinstance(upload, UploadFile) and bool(upload.filename)
    if has_file and text.strip():
        raise InputError("paste a text or choose a file, not both")
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(state.max_bytes + 1)
        return await run_in_threadpool(from_upload, state, upload.filename, data)
    if not text.strip():
        raise InputError("paste the text of an article, or choose a .txt or .html file")
    return from_text(state, text)


@router.get("/articles/{article_id}", name="article")
def article_page(
    request: Request,
    article_id: int,
    min_confidence: Annotated[str | None, Query()] = None,
) -> Response:
    """A stored article with its highlights; ``min_confidence`` hides less confident spans."""
    threshold = parse_confidence(min_confidence)
    stored = state_of(request).corpus.get(article_id)
    if stored is None:
        raise HTTPException(404, f"no article with id {article_id} in this store")
    return _article_page(request, stored, stored.article, threshold, fresh=False)


def _article_page(
    request: Request,
    stored: StoredArticle,
    article: Article | None,
    threshold: float,
    *,
    fresh: bool,
) -> Response:
    corpus = state_of(request).corpus
    context = {
        "stored": stored,
        "article": article,
        "score": corpus.article_score(stored.id, article.model) if article else None,
        "hl": highlight(article, threshold) if article else None,
        "threshold": threshold,
        "fresh": fresh,
    }
    return page(request, "article", context, here="analyse" if fresh else "corpus")


@router.get("/api", name="api_page")
def api_page(request: Request) -> Response:
    """The API's endpoints as the OpenAPI schema lists them (no Swagger UI: it needs a CDN)."""
    schema = request.app.openapi()
    endpoints = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            params = [p["name"] for p in operation.get("parameters", [])]
            body = operation.get("requestBody", {}).get("content", {})
            endpoints.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "params": params,
                    "body": _body_fields(schema, body),
                }
            )
    return page(request, "api", {"endpoints": endpoints}, here="api")


def _body_fields(schema: dict[str, Any], content: dict[str, Any]) -> list[str]:
    ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
    if not ref:
        return []
    model = schema.get("components", {}).get("schemas", {}).get(ref.rsplit("/", 1)[-1], {})
    required = set(model.get("required", []))
    return [name if name in required else f"{name}?" for name in model.get("properties", {})]
