"""Reaching a database: URLs from settings and paths, engines, and one-line explanations of
what went wrong (locked, missing, read-only, unreachable) for ``StoreError``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from unspin import settings

LOCK_TIMEOUT = 30.0
"""Seconds a SQLite writer waits for another one to finish before giving up."""


def default_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "unspin" / "unspin.db"


def database_url(given: str | None = None) -> str:
    """A SQLAlchemy URL from a database setting: a URL as it is, a plain path as a SQLite file.

    ``postgresql://`` URLs use the psycopg (version 3) driver. With nothing given, the ``db``
    setting decides, and its default is a file in the user's data folder.
    """
    value = given or settings.get("db") or str(default_path())
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser().resolve()}"
    if value.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    return value


def describe(url: str) -> str:
    """The URL as it may be shown to a person: a file path, or the URL without its password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    # As the person wrote it: postgresql://, not the driver's postgresql+psycopg://.
    return parsed.set(drivername=parsed.get_backend_name()).render_as_string(hide_password=True)


def make_engine(url: str, backend: str) -> Engine:
    if backend == "sqlite":
        # Wait for another writer instead of failing at once with "locked".
        engine = create_engine(url, connect_args={"timeout": LOCK_TIMEOUT})

        @event.listens_for(engine, "connect")
        def _pragmas(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def has_tables(connection: Any) -> bool:
    from sqlalchemy import inspect

    return bool(inspect(connection).get_table_names())


def explain(name: str, doing: str, error: SQLAlchemyError) -> str:
    detail = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    lowered = detail.lower()
    if "database is locked" in lowered:
        return (
            f"{name}: the database is locked by another program (waited {LOCK_TIMEOUT:g} s); "
            "try again when it has finished"
        )
    if "unable to open database file" in lowered:
        return f"{name}: cannot open the database file (check that it exists and can be written)"
    if "file is not a database" in lowered:
        return f"{name}: this file is not a SQLite database"
    if "readonly database" in lowered:
        return f"{name}: the database is read-only; cannot {doing}"
    if "no such table" in lowered or ("relation" in lowered and "does not exist" in lowered):
        return f"{name}: the database has no unspin tables (was it deleted or replaced?)"
    if isinstance(error, IntegrityError):
        return f"{name}: could not {doing}: {detail}"
    if "connection" in lowered or "could not connect" in lowered or "connect" in lowered:
        return f"{name}: cannot connect to the database ({detail})"
    return f"{name}: could not {doing} the database ({detail})"
