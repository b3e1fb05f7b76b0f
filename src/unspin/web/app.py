"""``create_app()``: the web app and JSON API over one store, as ``unspin serve`` runs it.

The app is the whole web layer: tests build it with a temporary store and an analyzer they
already loaded, the CLI builds it from its flags. It opens the store at once, so a database
that cannot be used is reported before anything is served.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from unspin import __version__, settings
from unspin._errors import StoreError, UnspinError
from unspin.corpus import Corpus
from unspin.web.api import router as api_router
from unspin.web.corpus_pages import router as corpus_router
from unspin.web.dashboard import router as dashboard_router
from unspin.web.outlets import router as outlets_router
from unspin.web.pages import router as pages_router
from unspin.web.render import STATIC, error, json_error, wants_json
from unspin.web.state import WebState
from unspin.web.voices import router as voices_router

if TYPE_CHECKING:
    from unspin.analyzer import Analyzer

log = logging.getLogger("unspin.web")

# Form encoding and JSON escapes can make a text up to about three times its size on the wire
# (\u00e9 for é); the other fields of a form or request are small.
_BODY_FACTOR = 4
_BODY_EXTRA = 64 * 1024

# Defence in depth: the pages load nothing from elsewhere and run only the app's own script, so
# even a highlight that escaping missed could not run a script or load anything.
_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        b"img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
        b"frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


def create_app(
    db: str | None = None,
    model: str | None = None,
    *,
    analyzer: Analyzer | None = None,
    max_bytes: int | None = None,
) -> FastAPI:
    """The app over the store at ``db`` (default: the ``db`` setting).

    ``model`` names the model that analyses new texts and whose results the corpus pages show
    (default: the ``model`` setting for analysis, the model with most results for the corpus).
    ``analyzer`` is used instead of loading one on the first analysis. ``max_bytes`` is the
    largest article accepted (default: the ``max_bytes`` setting); request bodies may be four
    times that plus 64 KiB, for form and JSON encoding.
    """
    limit = max_bytes or settings.get_int("max_bytes")
    corpus = Corpus.open(db, model, analyzer=analyzer)
    state = WebState(corpus, limit, limit * _BODY_FACTOR + _BODY_EXTRA)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        state.close()

    app = FastAPI(
        title="unspin",
        version=__version__,
        summary="Find propaganda and persuasion techniques in news articles.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.unspin = state
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api_router)
    app.include_router(pages_router)
    app.include_router(corpus_router)
    app.include_router(dashboard_router)
    app.include_router(outlets_router)
    app.include_router(voices_router)
    app.add_exception_handler(UnspinError, _unspin_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _internal_error)
    app.add_middleware(Guard, limit=state.body_limit)
    return app


async def _unspin_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, UnspinError)
    status = exc.http_status
    if status >= 500 and not isinstance(exc, StoreError):
        log.error("internal error on %s: %s", request.url.path, exc.message)
        return error(request, status, "internal error; the server log has the details")
    return error(request, status, exc.message)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return error(request, 422, validation_message(exc.errors()))


def validation_message(errors: Any) -> str:
    """One line from pydantic's error list: ``text: Field required; limit: ...``."""
    parts = []
    for item in errors:
        where = ".".join(str(p) for p in item.get("loc", ()) if p not in ("body", "query", "path"))
        message = str(item.get("msg", "invalid value"))
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts) or "the request is not valid"


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404 and exc.detail == "Not Found":
        message = f"no such page: {request.url.path}"
    else:
        message = str(exc.detail)
    response = error(request, exc.status_code, message)
    response.headers.update(exc.headers or {})
    return response


async def _internal_error(request: Request, exc: Exception) -> Response:
    log.exception("internal error on %s", request.url.path, exc_info=exc)
    return error(request, 500, "internal error; the server log has the details")


class Guard:
    """Refuses request bodies over ``limit`` bytes (413) and adds the security headers.

    A body is counted as it arrives, so a chunked upload without Content-Length is stopped
    at the limit too; only then is it handed on, in one piece.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *_HEADERS]
            await send(message)

        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, receive, send_with_headers)
            return
        chunks: list[bytes] = []
        size = 0
        more = scope["method"] not in ("GET", "HEAD", "OPTIONS") or declared is not None
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._refuse(scope, receive, send_with_headers)
                return
            chunks.append(chunk)
            more = bool(message.get("more_body"))
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed or not chunks:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}

        await self.app(scope, replay if chunks else receive, send_with_headers)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        mb = self.limit / 1_000_000
        message = (
            f"the request is over the {mb:.1f} MB limit; send a shorter article, or start "
            "the server with a larger --max-bytes"
        )
        request = Request(scope)
        response = json_error(413, message) if wants_json(request) else error(request, 413, message)
        response.headers["connection"] = "close"
        await response(scope, receive, send)
