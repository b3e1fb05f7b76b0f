"""Fixtures shared by the tests: the real model, the fixture model, the databases."""

from __future__ import annotations

from pathlib import Path

import pytest

from unspin import Analyzer
from unspin.model.install import is_installed
from unspin.model.registry import get_spec

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "sample-article.txt"


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    """The default model, loaded once. Its encoder must be installed: the README's test
    command runs `unspin models download unspin-small-v1` first."""
    spec = get_spec("unspin-small-v1")
    if not is_installed(spec):
        pytest.fail(
            "unspin-small-v1 is not installed: run `unspin models download unspin-small-v1`"
        )
    return Analyzer.load(spec.name, device="cpu")


@pytest.fixture(scope="session")
def fixture_analyzer() -> Analyzer:
    """The registered stand-in model (a fixed word list, no weights): for tests of the store,
    batch runs and the web app that are not about what the real model finds."""
    # With its attribution stage (a fixed quotation rule), whatever the attribution setting.
    return Analyzer.load("unspin-fixture-v1", attribution="unspin-attribution-v1")


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


# -- databases ------------------------------------------------------------------------------

POSTGRES_ENV = "UNSPIN_TEST_POSTGRES_URL"


def postgres_url() -> str:
    """The test PostgreSQL server, emptied; skips (or, in CI, fails) when there is none."""
    import os

    url = os.environ.get(POSTGRES_ENV)
    if not url:
        reason = (
            f"no PostgreSQL server for the tests: set {POSTGRES_ENV}=postgresql://user:pass@"
            "host/db (.ci/run starts one and sets it)"
        )
        if os.environ.get("UNSPIN_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from sqlalchemy import create_engine, text

    from unspin.corpus.store.connect import database_url

    engine = create_engine(database_url(url))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty results database: a SQLite file, then the test PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "unspin.db")
    return postgres_url()
