"""The web app in a real browser (Debian's chromium, driven by Playwright) against a real server.

Skipped when /usr/bin/chromium is missing, unless UNSPIN_REQUIRE_BROWSER=1 (then it fails).
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

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


@contextlib.contextmanager
def serving(app: Any) -> Iterator[str]:
    """``app`` served by uvicorn on a free local port; yields its address."""
    import uvicorn

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
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        served.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, analyzer: Analyzer
) -> Iterator[tuple[str, dict[str, int]]]:
    """The app served by uvicorn on a free local port, over the hand-made corpus."""
    from unspin.web.app import create_app

    path = tmp_path_factory.mktemp("browser") / "corpus.db"
    ids = build_corpus(str(path))
    with serving(create_app(str(path), analyzer=analyzer)) as base:
        yield base, ids


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
    page.goto(base + "/dashboard?min_articles=1")
    bars = page.locator("svg.techniques g.bar")
    values = {
        bars.nth(i).get_attribute("data-label"): bars.nth(i).get_attribute("data-value")
        for i in range(bars.count())
    }
    # 1, 1 and 4 spans in the 650 words of all articles.
    assert values == {"Doubt": "1.54", "Flag-waving": "1.54", "Loaded language": "6.15"}
    widths = [
        float(w)
        for w in bars.locator("rect").evaluate_all("rs => rs.map(r => r.getAttribute('width'))")
    ]
    assert widths[0] / widths[2] == pytest.approx(1 / 4, rel=0.01)
    tooltip = bars.nth(2).locator("title").text_content() or ""
    assert tooltip.startswith("Loaded language: 6.15 (4 spans in 650 words; 95% interval 1.68–")
    assert bars.nth(2).locator("path.ci").count() == 1
    rows = page.locator("#outlets-table tbody tr").all_inner_texts()
    assert rows[0] == "1\tDaily A\t2\t400\t4\t10.00\t2.72–25.60"
    page.click("#outlets-table a >> text=Weekly B")
    page.wait_for_url("**/dashboard?outlet=Weekly+B")
    assert page.input_value("#f-outlet") == "Weekly B"
    href = page.get_attribute("#rates a.csv", "href")
    csv = page.request.get(base + href).text()
    assert csv.splitlines()[1].startswith("Weekly B,Flag-Waving,1,200,5.0,")


def test_api_analysed_script_stays_text(page: Any, server: tuple[str, dict[str, int]]) -> None:
    base, _ = server
    text = f"Only a fool would trust these crooks. {SCRIPT} Wake up, people!"
    response = page.request.post(base + "/api/analyze", data={"text": text, "title": SCRIPT})
    assert response.ok
    page.goto(response.json()["url"])
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert SCRIPT in page.inner_text("#article-text")
    assert page.inner_text("h1") == SCRIPT


HOSTILE_TEXT = (
    'Shameless traitors! <script>window.pwned=1</script> <img src=x onerror="window.pwned=2"> '
    "\u202eesrever\u202c zero\u200bwidth \u2067\u05e9\u05dc\u05d5\u05dd\u2069 end."
)
HOSTILE_OUTLET = "<img src=x onerror=window.pwned=3>" + "W" * 160 + "\u202e\u200b"


def test_hostile_text_and_metadata_stay_inert_on_every_page(
    page: Any, tmp_path: Path, fixture_analyzer: Analyzer
) -> None:
    """Script tags, event handlers, a javascript: URL, a very long outlet name and
    right-to-left and zero-width characters, in the text and every metadata field, on every
    page: nothing runs, no link runs script, and nothing stretches the page sideways."""
    from unspin.web.app import create_app

    db = str(tmp_path / "hostile.db")
    app = create_app(db, analyzer=fixture_analyzer)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with serving(app) as base:
        body = {
            "text": HOSTILE_TEXT,
            "title": SCRIPT + "\u202e" + "T" * 300,
            "outlet": HOSTILE_OUTLET,
            "url": "javascript:window.pwned=4",
        }
        stored = page.request.post(base + "/api/analyze", data=body).json()
        other = {**body, "text": HOSTILE_TEXT + " Again.", "outlet": "javascript:alert(1)"}
        assert page.request.post(base + "/api/analyze", data=other).ok
        outlet = quote(HOSTILE_OUTLET)
        paths = [
            "/",
            f"/articles/{stored['store_id']}",
            "/corpus",
            f"/corpus?q={quote(SCRIPT)}",
            "/dashboard?min_articles=1",
            f"/dashboard?min_articles=1&find={quote(SCRIPT)}",
            f"/dashboard?outlet={outlet}",
            f"/compare?a={outlet}&b=javascript%3Aalert(1)",
            "/outlets",
            "/api",
            f"/articles/999999?min_confidence={quote(SCRIPT)}",
        ]
        for path in paths:
            page.goto(base + path)
            assert page.evaluate("typeof window.pwned") == "undefined", path
            scripted = page.eval_on_selector_all(
                "a[href], [src], [action]",
                "els => els.filter(e => /^\\s*javascript:/i.test("
                "e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action')"
                ")).length",
            )
            assert scripted == 0, path
            handlers = page.eval_on_selector_all(
                "body *",
                "els => els.filter(e => [...e.attributes].some(a => a.name.startsWith('on')))"
                ".length",
            )
            assert handlers == 0, path
            wide = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert wide <= 1, f"{path} is {wide}px wider than the window"
        page.goto(base + f"/articles/{stored['store_id']}")
        assert SCRIPT in page.inner_text("h1")
        assert "<img src=x" in page.inner_text("main")
    assert dialogs == []


def test_the_dashboard_of_10000_articles_renders_quickly(
    page: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The generated corpus of test_dashboard_scale, served for real: the time from asking
    for the page to its load event, first with the statistics computed, then cached. The
    bound is generous for a busy CI machine; BENCHMARKS.md has the measured figures."""
    from tests.test_dashboard_scale import generate
    from unspin.web.app import create_app

    path = tmp_path_factory.mktemp("big-browser") / "big.db"
    generate(path)
    with serving(create_app(str(path))) as base:
        page.goto(base + "/dashboard?since=2023-01-01")  # warms the server up
        timings = []
        for _ in range(2):
            page.goto(base + "/dashboard", wait_until="load")
            timings.append(
                page.evaluate(
                    "(() => { const t = performance.getEntriesByType('navigation')[0];"
                    " return [t.responseStart, t.responseEnd, t.domContentLoadedEventEnd,"
                    " t.loadEventEnd]; })()"
                )
            )
        assert page.locator("#outlets-table tbody tr").count() == 20
    for label, (first_byte, body, ready, loaded) in zip(
        ("computed", "cached"), timings, strict=True
    ):
        print(
            f"\ndashboard, statistics {label}: first byte {first_byte:.0f} ms, "
            f"body {body:.0f} ms, DOM ready {ready:.0f} ms, load {loaded:.0f} ms"
        )
    assert timings[1][3] < 1000 * 5
    assert timings[0][3] < 1000 * 15
