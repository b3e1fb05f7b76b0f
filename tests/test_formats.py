"""Output formats: JSON Lines round trip, PTC labels, the HTML report and the terminal report."""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Iterator

import pytest
from rich.cells import cell_len

from unspin._article import Article, ModelInfo, Span
from unspin._errors import InputError
from unspin.formats import FORMATS, get_format
from unspin.formats.segments import segments
from unspin.techniques import get_technique

MODEL = ModelInfo("unspin-small-v1", "1.0.0")
TEXT = (
    "The café – “quoted” everywhere – calls it a reckless, shameful scheme.\n\n"
    "Either we stop it now or the town dies. <script>alert(1)</script> Enough said."
)


def span(phrase: str, technique: str, confidence: float, occurrence: int = 0) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(phrase, start + 1)
    return Span(start, start + len(phrase), technique, confidence)


def sample_article() -> Article:
    spans = [
        span("reckless, shameful scheme", "Exaggeration,Minimisation", 0.41),
        span("reckless", "Loaded_Language", 0.93),
        span("shameful", "Loaded_Language", 0.72),
        span("Either we stop it now or the town dies.", "Black-and-White_Fallacy", 0.88),
        span("Enough said.", "Thought-terminating_Cliches", 0.5),
        span("café – “quoted”", "Name_Calling,Labeling", 0.6125),
    ]
    return Article(
        id="café-1",
        text=TEXT,
        spans=tuple(sorted(spans, key=lambda s: (s.start, s.end, s.technique))),
        model=MODEL,
        source="inbox/café.txt",
        metadata={"title": "The café"},
    )


def quiet_article() -> Article:
    return Article(id="calm", text="The weather was mild.", spans=(), model=MODEL)


def render(name: str, *articles: Article) -> str:
    out = io.StringIO()
    get_format(name).write(articles, out)
    return out.getvalue()


# --- registry --------------------------------------------------------------------------------


def test_registry_has_the_five_formats() -> None:
    assert list(FORMATS) == ["terminal", "json", "csv", "ptc", "html"]
    for name, fmt in FORMATS.items():
        assert fmt.name == name
        assert fmt.help and "\n" not in fmt.help
        assert fmt.suffix.startswith(".")


def test_unknown_format_names_the_choices() -> None:
    with pytest.raises(InputError, match="terminal, json, csv, ptc, html"):
        get_format("xml")


# --- overlaps --------------------------------------------------------------------------------


def test_overlapping_spans_take_the_most_confident_colour() -> None:
    article = sample_article()
    reckless = TEXT.index("reckless")
    (piece,) = [p for p in segments(article) if p.start == reckless]
    assert TEXT[piece.start : piece.end] == "reckless"
    assert [article.spans[i].technique for i in piece.covering] == [
        "Loaded_Language",
        "Exaggeration,Minimisation",
    ]
    # Both spans start here, listed in article order (start, end, technique): shorter first.
    assert [article.spans[i].technique for i in piece.starting] == [
        "Loaded_Language",
        "Exaggeration,Minimisation",
    ]
    assert "".join(TEXT[p.start : p.end] for p in segments(article)) == TEXT


# --- json ------------------------------------------------------------------------------------


def test_json_lines_round_trip() -> None:
    article = sample_article()
    output = render("json", article, quiet_article())
    lines = output.splitlines()
    assert len(lines) == 2
    assert "café – “quoted”" in lines[0]  # not \u-escaped
    back = Article.from_dict(json.loads(lines[0]))
    assert back == article
    for original, parsed in zip(article.spans, back.spans, strict=True):
        assert back.text[parsed.start : parsed.end] == article.span_text(original)
    assert back.span_text(back.spans[0]) == "café – “quoted”"
    assert Article.from_dict(json.loads(lines[1])) == quiet_article()


def test_json_is_written_as_each_article_arrives() -> None:
    out = io.StringIO()
    seen_before_second: list[str] = []

    def articles() -> Iterator[Article]:
        yield sample_article()
        seen_before_second.append(out.getvalue())
        yield quiet_article()

    get_format("json").write(articles(), out)
    assert seen_before_second[0].count("\n") == 1


# --- ptc -------------------------------------------------------------------------------------


def test_ptc_labels_are_exact() -> None:
    article = Article(
        id="111111112",
        text="Stop the madness now, say the patriots.",
        spans=(
            Span(0, 20, "Slogans", 0.9),
            Span(9, 16, "Loaded_Language", 0.8),
            Span(30, 38, "Name_Calling,Labeling", 0.3),
        ),
        model=MODEL,
    )
    assert render("ptc", article, quiet_article()) == (
        "111111112\tSlogans\t0\t20\n"
        "111111112\tLoaded_Language\t9\t16\n"
        "111111112\tName_Calling,Labeling\t30\t38\n"
    )


# --- html ------------------------------------------------------------------------------------


def text_block(report: str) -> str:
    match = re.search(r'<div class="text">(.*?)</div>', report, re.DOTALL)
    assert match is not None
    return match.group(1)


def test_html_escapes_article_text_and_id() -> None:
    article = sample_article()
    hostile = Article(id='<img src=x onerror="alert(2)">', text=TEXT, spans=(), model=MODEL)
    report = render("html", article, hostile)
    assert "<script>alert(1)</script>" not in report
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report
    assert "<img" not in report
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in report
    assert "<script" not in report.lower()


def test_html_text_reads_back_as_the_article_text() -> None:
    article = sample_article()
    block = text_block(render("html", article))
    # Markers carry no text (CSS draws the numbers), so stripping tags gives the article back.
    assert html.unescape(re.sub(r"<[^>]+>", "", block)) == TEXT
    assert "\n\n" in block  # paragraph breaks kept, shown by white-space: pre-wrap


def test_html_shows_and_explains_every_span() -> None:
    article = sample_article()
    report = render("html", article)
    assert "white-space: pre-wrap" in report
    for number, s in enumerate(article.spans, start=1):
        info = get_technique(s.technique)
        assert f'href="#a1-s{number}" data-n="{number}"' in report  # marker in the text
        assert (
            f'<li id="a1-s{number}" value="{number}" data-technique="{html.escape(s.technique)}">'
        ) in report
        tip = f"[{number}] {info.title} ({s.confidence:.0%} confidence)\n{info.definition}"
        assert f'title="{html.escape(tip)}"' in report
    for name, count in article.counts().items():
        info = get_technique(name)
        row = f'{html.escape(info.title)}</td><td class="count">{count}</td>'
        assert row in report
    # "reckless" is under two spans: the more confident colour, the other as an underline.
    assert '<mark style="background:#e377c259;box-shadow:inset 0 -0.22em 0 #ff7f0e"' in text_block(
        report
    )


def test_html_is_self_contained() -> None:
    report = render("html", sample_article(), quiet_article())
    assert report.startswith("<!DOCTYPE html>")
    assert report.rstrip().endswith("</html>")
    for external in ("http:", "https:", "src=", "url(", "@import", "<link", "//"):
        assert external not in report
    assert "No persuasion techniques found in this article." in report


def test_html_with_no_articles_is_still_a_page() -> None:
    report = render("html")
    assert "No articles were analysed." in report
    assert report.rstrip().endswith("</html>")


# --- terminal --------------------------------------------------------------------------------


def test_terminal_without_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("FORCE_COLOR", "1")  # NO_COLOR wins
    article = sample_article()
    output = render("terminal", article, quiet_article())
    assert "\x1b" not in output
    lines = output.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    # Markers in the text, where each span starts (two spans start at "reckless").
    assert "[1]café – “quoted”" in output
    assert "[2][3]reckless" in output
    assert "[4]shameful" in output
    assert "[5]Either we stop it" in output
    # The numbered list under the text.
    for number, s in enumerate(article.spans, start=1):
        title = get_technique(s.technique).title
        assert re.search(rf"\[{number}\]\s+{re.escape(title)}\s+{s.confidence:.0%}", output)
    # The legend with counts.
    assert re.search(r"Loaded language\s+2\b", output)
    assert re.search(r"Black-and-white fallacy\s+1\b", output)
    assert "model unspin-small-v1 1.0.0" in output
    assert "No persuasion techniques found in this article." in output


def test_terminal_keeps_long_text_within_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    long_text = ("Unbelievably " * 30) + "x" * 200 + "\n" + "一二三四五六七八九十" * 12
    article = Article(
        "wide", long_text, (Span(0, len(long_text), "Repetition", 0.999),), MODEL, "a" * 150
    )
    output = render("terminal", article)
    assert max(cell_len(line) for line in output.splitlines()) <= 80
    assert "[1]Unbelievably" in output
    assert "100%" in output


def test_terminal_strips_control_sequences_from_the_article(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLORTERM", "truecolor")
    text = "Clear the screen\x1b[2J and set the title\x1b]0;pwned\x07 here."
    article = Article("esc", text, (Span(0, 5, "Loaded_Language", 0.9),), MODEL)
    output = render("terminal", article)
    assert "\x1b[2J" not in output
    assert "\x1b]0;" not in output
    assert "\x07" not in output
    # Forced colour does colour: the span has its technique's background (#e377c2).
    assert "48;2;227;119;194" in output


def test_terminal_has_no_colour_when_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    output = render("terminal", sample_article())
    assert "\x1b" not in output
    assert "[2][3]reckless" in output
