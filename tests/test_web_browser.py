"""The web app in a real browser (Debian's chromium, driven by Playwright) against a real server.

Skipped when /usr/bin/chromium is missing, unless UNSPIN_REQUIRE_BROWSER=1 (then it fails).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_web import OPINION, SCRIPT, build_corpus
from unspin import Analyzer
from unspin.techniques import get_technique

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, analyzer: Analyzer
) -> Iterator[tuple[str, dict[str, int]]]:
    """The app served by uvicorn on a free local port, over the hand-made corpus."""
    import uvicorn

    from unspin.web.app import create_app

    path = tmp_path_factory.mktemp("browser") / "corpus.db"
    ids = build_corpus(str(path))
    app = create_app(str(path), analyzer=analyzer)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    served = uvicorn.Server(config)
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not served.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", ids
    served.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests"
        if os.environ.get("UNSPIN_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    yield context.new_page()
    context.close()


def test_analyse_hover_slider_and_permanent_link(
    page: Any, server: tuple[str, dict[str, int]]
) -> None:
    base, _ = server
    page.goto(base + "/")
    page.fill("#text", f"{OPINION} {SCRIPT}")
    page.fill("#outlet", "Browser Post")
    page.click("form.analyse button[type=submit]")
    page.wait_for_selector("#article-text")

    marks = page.locator("#article-text mark[data-technique]")
    highlighted = marks.count()
    assert highlighted > 0, "the model highlights this opinionated text"
    # The <script> in the pasted text is shown as text and never runs.
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert SCRIPT in page.inner_text("#article-text")
    confidences = [float(c) for c in page.eval_on_selector_all(
        "#spans tr[data-confidence]", "rows => rows.map(r => r.dataset.confidence)"
    )]  # fmt: skip
    assert confidences and max(confidences) < 1.0

    first = marks.first
    title = get_technique(first.get_attribute("data-technique") or "").title
    assert title in (first.get_attribute("title") or "")
    first.hover()
    tip = page.locator("#tip")
    tip.wait_for(state="visible")
    assert title in tip.inner_text() and "confidence" in tip.inner_text()

    page.locator("#min_confidence").fill("1")
    assert marks.count() == 0
    assert page.locator("#article-text mark.off").count() > 0
    counts = page.locator("#legend td.count").all_inner_texts()
    assert counts and set(counts) == {"0"}
    assert page.inner_text("#visible-count") == "0"
    assert "min_confidence=1" in page.url

    page.click("#permalink")
    page.wait_for_url("**/articles/*")
    assert page.locator("#article-text mark[data-technique]").count() == highlighted
    assert "Browser Post" in page.inner_text("main")
    assert page.evaluate("typeof window.pwned") == "undefined"


def test_dashboard_chart_matches_the_store(page: Any, server: tuple[str, dict[str, int]]) -> None:
    base, _ = server
    page.goto(base + "/dashboard")
    bars = page.locator('svg.rates g.bar[data-group="Daily A"]')
    values = {
        bars.nth(i).get_attribute("data-label"): bars.nth(i).get_attribute("data-value")
        for i in range(bars.count())
    }
    assert values == {"Doubt": "2.50", "Loaded language": "7.50"}  # 1 and 3 spans in 400 words
    widths = [
        float(w)
        for w in bars.locator("rect").evaluate_all("rs => rs.map(r => r.getAttribute('width'))")
    ]
    assert widths[0] / widths[1] == pytest.approx(2.5 / 7.5, rel=0.01)
    tooltip = bars.nth(1).locator("title").text_content()
    assert tooltip == "Daily A: Loaded language: 7.50 (3 spans in 400 words)"
    rows = page.locator("#rates-table tbody tr").all_inner_texts()
    assert "Daily A\tLoaded language\t3\t400\t7.50" in rows
    assert "Weekly B\tFlag-waving\t1\t200\t5.00" in rows
    href = page.get_attribute("#rates a.csv", "href")
    csv = page.request.get(base + href).text()
    assert "Daily A,Loaded_Language,3,400,7.5" in csv.splitlines()


def test_api_analysed_script_stays_text(page: Any, server: tuple[str, dict[str, int]]) -> None:
    base, _ = server
    text = f"Only a fool would trust these crooks. {SCRIPT} Wake up, people!"
    response = page.request.post(base + "/api/analyze", data={"text": text, "title": SCRIPT})
    assert response.ok
    page.goto(response.json()["url"])
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert SCRIPT in page.inner_text("#article-text")
    assert page.inner_text("h1") == SCRIPT
