"""``unspin serve``: the web app and JSON API over a results store."""

from __future__ import annotations

from typing import Annotated

import typer

from unspin._errors import UnspinError
from unspin.cli._common import err
from unspin.cli.options import DbOption, MaxBytes, ModelOption


def serve(
    db: DbOption = None,
    model: ModelOption = None,
    host: Annotated[
        str,
        typer.Option(
            "--host", help="Address to listen on; 0.0.0.0 makes it reachable from other machines."
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")
    ] = 8000,
    max_bytes: MaxBytes = None,
) -> None:
    """Serve the web app and JSON API: analyse texts in the browser, browse the corpus, see its
    dashboard and compare outlets; every analysed text is stored with its result.

    Pages and charts are drawn on the server and load nothing from elsewhere. The JSON API
    lives under /api/ (listed at /api, described at /openapi.json). There is no login: keep
    the default address (this machine only) unless a proxy in front of it controls access.

    Examples:

      unspin serve --db corpus.db

      unspin serve --db postgresql://unspin@db.example.org/news --host 0.0.0.0 --port 8080
    """
    try:
        import fastapi  # noqa: F401
        import uvicorn
    except ImportError:
        raise UnspinError("unspin serve needs the web extra: pip install 'unspin[web]'") from None
    from unspin.web.app import create_app

    _few_malloc_arenas()
    app = create_app(db, model, max_bytes=max_bytes)
    shown = f"[{host}]" if ":" in host else host
    err.print(
        f"unspin: serving {app.state.unspin.corpus.name} at http://{shown}:{port}/ "
        "(press Ctrl+C to stop)",
        soft_wrap=True,
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _few_malloc_arenas(arenas: int = 2) -> None:
    """Cap glibc's malloc arenas, as ``MALLOC_ARENA_MAX=2`` does, before threads start.

    The server analyses in a thread pool, and glibc gives each thread an arena of its own:
    under 20 clients the real model's server grew from 85 to 974 MiB in 3 minutes and kept
    growing; with two arenas it levelled off at about 620 MiB at the same speed (BENCHMARKS).
    A no-op where the C library is not glibc, or when ``MALLOC_ARENA_MAX`` is set already.
    """
    import ctypes
    import ctypes.util
    import os

    if os.environ.get("MALLOC_ARENA_MAX"):
        return
    name = ctypes.util.find_library("c")
    if not name:
        return
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return
    m_arena_max = -8  # from glibc's malloc.h
    mallopt(ctypes.c_int(m_arena_max), ctypes.c_int(arenas))
