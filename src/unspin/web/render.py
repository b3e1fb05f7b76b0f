"""Rendering pages and errors: the Jinja environment (autoescaping on) and JSON error bodies.

Article text, titles and outlet names are untrusted. Templates escape everything; the only
markup passed through unescaped is built by ``highlight`` and ``charts``, which escape each
piece themselves.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from unspin import __version__
from unspin.formats.segments import technique
from unspin.techniques import TECHNIQUES
from unspin.web.filters import pairs, query
from unspin.web.stats import interval

_HERE = Path(__file__).parent
STATIC = _HERE / "static"

NAV = (
    ("analyse", "Analyse", "/"),
    ("corpus", "Corpus", "/corpus"),
    ("dashboard", "Dashboard", "/dashboard"),
    ("compare", "Compare", "/compare"),
    ("voices", "Voices", "/voices"),
    ("outlets", "Outlets", "/outlets"),
    ("api", "API", "/api"),
)

_env = Environment(
    loader=FileSystemLoader(_HERE / "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.globals.update(
    nav=NAV,
    version=__version__,
    techniques=TECHNIQUES,
    title_of=lambda n: technique(n).title,
    query=query,
    pairs=pairs,
    interval=interval,
)
_env.filters["thousands"] = lambda n: f"{n:,}"
_env.filters["rate"] = lambda x: f"{x:.2f}"
_env.filters["web_url"] = lambda url: web_url(url)
_env.filters["inline_code"] = lambda text: inline_code(text)
templates = Jinja2Templates(env=_env)


_CODE = re.compile(r"`([^`\n]+)`")


def inline_code(text: str) -> Markup:
    """Text with Markdown-style `code` shown as ``<code>``: the text is escaped first, so
    only the ``<code>`` tags added here are markup."""
    return Markup(_CODE.sub(r"<code>\1</code>", str(escape(text))))


def web_url(url: str | None) -> str:
    """``url`` if it is an http(s) address, else ``""``: a stored URL is untrusted, and a
    ``javascript:`` link would run when clicked."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return ""


def page(
    request: Request, name: str, context: dict[str, Any], *, status: int = 200, here: str = ""
) -> Response:
    """Render ``templates/<name>.html``; ``here`` marks the current item of the navigation."""
    return templates.TemplateResponse(
        request, f"{name}.html", {"here": here, **context}, status_code=status
    )


def error_page(request: Request, status: int, message: str) -> Response:
    return page(request, "error", {"status": status, "message": message}, status=status)


def json_error(status: int, message: str) -> JSONResponse:
    """The body every error under ``/api/`` has: ``{"error": {"status": .., "message": ..}}``."""
    return JSONResponse({"error": {"status": status, "message": message}}, status_code=status)


def wants_json(request: Request) -> bool:
    """Errors are JSON under /api/ and for clients that ask for JSON first; else a page."""
    path = request.url.path
    if path.startswith("/api/") or path == "/openapi.json":
        return True
    return request.headers.get("accept", "").startswith("application/json")


def error(request: Request, status: int, message: str) -> Response:
    if wants_json(request):
        return json_error(status, message)
    return error_page(request, status, message)
