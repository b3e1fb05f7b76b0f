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

    app = create_app(db, model, max_bytes=max_bytes)
    shown = f"[{host}]" if ":" in host else host
    err.print(
        f"unspin: serving {app.state.unspin.corpus.name} at http://{shown}:{port}/ "
        "(press Ctrl+C to stop)",
        soft_wrap=True,
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")
