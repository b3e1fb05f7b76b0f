"""A self-contained HTML report: one section per article, highlights with hover explanations.

Nothing is loaded from elsewhere (no fonts, scripts or stylesheets by URL), so the file can be
mailed, archived or opened offline. Every piece of article text, id and source goes through
``html.escape``: an article is untrusted input.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import TextIO

from unspin._article import Article, Span
from unspin.formats.segments import (
    Segment,
    excerpt,
    percent,
    quote_speaker,
    readable_on,
    segments,
    speaker_of,
    technique,
    voice_groups,
)

# The highlight is the technique colour at this opacity, so black text stays readable on it.
_TINT = "59"

_STYLE = """
:root { color-scheme: light; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1a1a1a; background: #fff; max-width: 50rem; margin: 2rem auto; padding: 0 1rem; }
header.report p, .meta, .none { color: #555; }
section.article { border-top: 3px solid #1a1a1a; margin-top: 2.5rem; padding-top: 0.5rem; }
section.article h2 { margin: 0.3rem 0; overflow-wrap: anywhere; }
.text { white-space: pre-wrap; overflow-wrap: break-word; font-family: Georgia, "Times New Roman",
  serif; font-size: 1.08rem; line-height: 1.9; border: 1px solid #ddd; border-radius: 4px;
  padding: 1rem 1.2rem; }
.text mark { color: inherit; border-radius: 2px; padding: 0.1em 0; }
.text .quote { text-decoration: underline dotted #555; text-underline-offset: 0.25em; }
.text .who::before { content: attr(data-who) ":"; font: bold 0.75em system-ui, sans-serif;
  color: #444; margin-right: 0.3em; }
.speaker { color: #555; font-style: italic; }
.text mark:hover { outline: 2px solid #1a1a1a; }
a.n { font: bold 0.7em/1 system-ui, sans-serif; vertical-align: super; text-decoration: none;
  margin: 0 0.15em; padding: 0.1em 0.3em; border-radius: 0.7em; }
/* The number is drawn by CSS so that copying the article text does not copy the markers. */
a.n::before { content: attr(data-n); }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; border-radius: 2px;
  vertical-align: -0.1em; margin-right: 0.4em; }
table.legend { border-collapse: collapse; margin: 0.5rem 0 1rem; }
table.legend th, table.legend td { text-align: left; padding: 0.3rem 0.6rem;
  border-bottom: 1px solid #eee; vertical-align: top; }
table.legend td.count { text-align: right; }
table.legend td.definition { color: #444; font-size: 0.9rem; }
ol.spans li { margin: 0.2rem 0; }
ol.spans li:target { background: #fff3b0; }
ol.spans q { font-family: Georgia, serif; }
""".strip()

_HEAD = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="unspin">
<title>unspin report</title>
<style>
{_STYLE}
</style>
</head>
<body>
<header class="report">
<h1>unspin report</h1>
<p>Highlighted text is where the model found a persuasion technique. Hover over it to see the
technique, what it means and how confident the model is. A number in brackets marks where each
span starts and links to the list under the text. The model can be wrong: treat every
highlight as a question to check, not a verdict.</p>
</header>
"""

_FOOT = "</body>\n</html>\n"


def write(articles: Iterable[Article], out: TextIO) -> None:
    """Write the report, one ``<section>`` per article as it arrives."""
    out.write(_HEAD)
    written = 0
    for written, article in enumerate(articles, start=1):
        out.write(render(article, f"a{written}"))
        out.flush()
    if not written:
        out.write('<p class="none">No articles were analysed.</p>\n')
    out.write(_FOOT)


def render(article: Article, anchor: str) -> str:
    """One article's ``<section>``; ``anchor`` prefixes its element ids and must be unique."""
    count = len(article.spans)
    meta = [f"model {escape(article.model.name)} {escape(article.model.version)}"]
    if article.source:
        meta.insert(0, escape(article.source))
    meta.append(f"{count} span{'' if count == 1 else 's'}")
    if article.attributions is not None:
        quoted = sum(1 for span in article.spans if span.voice == "quoted")
        meta.append(f"{count - quoted} in the author's voice, {quoted} quoted")
    parts = [
        f'<section class="article" id="{anchor}">',
        f"<h2>{escape(article.id)}</h2>",
        f'<p class="meta">{" · ".join(meta)}</p>',
    ]
    if not article.spans:
        parts.append('<p class="none">No persuasion techniques found in this article.</p>')
    parts.append(f'<div class="text">{_highlighted(article, anchor)}</div>')
    if article.spans:
        parts += [_legend(article), _span_list(article, anchor)]
    parts.append("</section>\n")
    return "\n".join(parts)


def _highlighted(article: Article, anchor: str) -> str:
    html: list[str] = []
    for piece in segments(article):
        if piece.quote_starts and piece.quote is not None:
            who = escape(quote_speaker(article, piece.quote))
            html.append(f'<span class="who" data-who="{who}"></span>')
        html.extend(_marker(article, anchor, index) for index in piece.starting)
        text = escape(article.text[piece.start : piece.end])
        text = _mark(article, piece, text) if piece.covering else text
        if piece.quote is not None:
            text = f'<span class="quote">{text}</span>'
        html.append(text)
    return "".join(html)


def _mark(article: Article, piece: Segment, text: str) -> str:
    covering = [article.spans[i] for i in piece.covering]
    style = f"background:{technique(covering[0].technique).color}{_TINT}"
    if len(covering) > 1:
        # A second technique under the first shows as an underline in its own colour.
        style += f";box-shadow:inset 0 -0.22em 0 {technique(covering[1].technique).color}"
    tip = "\n\n".join(
        _explain(article.spans[i], i, speaker_of(article, article.spans[i])) for i in piece.covering
    )
    return f'<mark style="{style}" title="{escape(tip)}">{text}</mark>'


def _marker(article: Article, anchor: str, index: int) -> str:
    span = article.spans[index]
    colour = technique(span.technique).color
    return (
        f'<a class="n" href="#{anchor}-s{index + 1}" data-n="{index + 1}" '
        f'style="background:{colour};color:{readable_on(colour)}" '
        f'title="{escape(_explain(span, index, speaker_of(article, span)))}"></a>'
    )


def _explain(span: Span, index: int, speaker: str = "") -> str:
    info = technique(span.technique)
    head = f"[{index + 1}] {info.title} ({percent(span)} confidence)"
    if speaker:
        head += f", quoted: {speaker}"
    return f"{head}\n{info.definition}" if info.definition else head


def _legend(article: Article) -> str:
    rows = []
    for name, count in article.counts().items():
        info = technique(name)
        rows.append(
            f'<tr><td><span class="swatch" style="background:{info.color}"></span>'
            f"{escape(info.title)}</td>"
            f'<td class="count">{count}</td>'
            f'<td class="definition">{escape(info.definition)}</td></tr>'
        )
    return (
        '<h3>Techniques found</h3>\n<table class="legend">\n'
        "<thead><tr><th>Technique</th><th>Spans</th><th>What it means</th></tr></thead>\n"
        f"<tbody>\n{chr(10).join(rows)}\n</tbody>\n</table>"
    )


_VOICE_TITLES = {"": "Spans", "author": "In the author's voice", "quoted": "Quoted"}


def _span_list(article: Article, anchor: str) -> str:
    lists = []
    for voice, indexes in voice_groups(article):
        items = []
        for index in indexes:
            span = article.spans[index]
            info = technique(span.technique)
            speaker = speaker_of(article, span)
            said = f' <span class="speaker">said by {escape(speaker)}</span>' if speaker else ""
            items.append(
                f'<li id="{anchor}-s{index + 1}" value="{index + 1}" '
                f'data-technique="{escape(span.technique)}">'
                f'<span class="swatch" style="background:{info.color}"></span>'
                f"<strong>{escape(info.title)}</strong> {percent(span)} "
                f"<q>{escape(excerpt(article.span_text(span), 120))}</q>{said} "
                f'<span class="meta">characters {span.start}&ndash;{span.end}</span></li>'
            )
        lists.append(
            f'<h3>{_VOICE_TITLES[voice]}</h3>\n<ol class="spans">\n' + "\n".join(items) + "\n</ol>"
        )
    return "\n".join(lists)
