"""The terminal report: highlighted text, numbered span markers, a span list and a legend.

Colour is only a help: every span also gets a bracketed number where it starts (``[3]``),
listed under the text; without colour (``NO_COLOR``, a pipe) it also gets ``[/3]`` where it
ends, so the report shows the same extents as the highlights do.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from typing import TextIO

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.rule import Rule
from rich.style import Style
from rich.table import Table
from rich.text import Text

from unspin._article import Article
from unspin.formats.segments import (
    excerpt,
    percent,
    readable_on,
    segments,
    speaker_of,
    technique,
    voice_groups,
)

_PIPE_WIDTH = 80
# Prose is hard to read in very long lines, so a wide terminal still gets at most this.
_MAX_WIDTH = 100
# Control characters (other than newline and tab) could move the cursor or inject escape
# sequences from an article into the user's terminal; carriage returns are newlines here.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def write(
    articles: Iterable[Article],
    out: TextIO,
    *,
    color: bool | None = None,
    width: int | None = None,
) -> None:
    """Print each article as it arrives.

    ``color=None`` decides from the environment: no colour when ``NO_COLOR`` is set, colour
    when ``FORCE_COLOR`` is set, otherwise colour only when ``out`` is a terminal. ``width``
    defaults to the terminal's (at most 100 columns), or 80 when ``out`` is not a terminal.
    """
    console = make_console(out, color=color, width=width)
    for number, article in enumerate(articles):
        if number:
            console.print()
        console.print(render(article, ends=console.no_color))
        out.flush()


def make_console(out: TextIO, *, color: bool | None = None, width: int | None = None) -> Console:
    """A rich console writing to ``out`` that follows the colour and width rules of ``write``."""
    is_tty = _isatty(out)
    if color is None:
        if os.environ.get("NO_COLOR"):
            color = False
        elif os.environ.get("FORCE_COLOR"):
            color = True
        else:
            color = is_tty
    if width is None:
        width = min(_terminal_width(out), _MAX_WIDTH) if is_tty else _PIPE_WIDTH
    return Console(
        file=out,
        width=width,
        force_terminal=color,
        force_jupyter=False,
        force_interactive=False,
        color_system="auto" if color else None,
        no_color=not color,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
    )


def render(article: Article, *, ends: bool = False) -> Group:
    """Everything the terminal shows for one article; with ``ends``, each span's end is
    marked ``[/n]`` in the text (for reports without colour)."""
    count = len(article.spans)
    about = Text(style="dim")
    if article.source:
        about.append(f"{_clean(article.source)}  ·  ")
    about.append(f"model {article.model.name} {article.model.version}  ·  ")
    about.append(f"{count} span{'' if count == 1 else 's'}")
    if article.attributions is not None:
        quoted = sum(1 for span in article.spans if span.voice == "quoted")
        about.append(
            f" ({count - quoted} in the author's voice, {quoted} quoted)  ·  "
            f"{len(article.attributions)} attribution"
            f"{'' if len(article.attributions) == 1 else 's'}"
        )
    parts: list[Rule | Text | Table | Padding] = [
        Rule(Text(_clean(article.id), style="bold"), align="left"),
        about,
        Text(),
    ]
    if not article.spans:
        parts.append(Text("No persuasion techniques found in this article."))
        return Group(*parts)
    parts += [_highlighted(article, ends), Text()]
    for voice, indexes in voice_groups(article):
        parts += [_span_table(article, voice, indexes), Text()]
    parts.append(_legend(article))
    return Group(*parts)


def _highlighted(article: Article, ends: bool = False) -> Text:
    text = Text()
    for piece in segments(article):
        if piece.starting:
            text.append_text(_marker(article, piece.starting))
        style = Style()
        if piece.covering:
            colour = technique(article.spans[piece.covering[0]].technique).color
            style = Style(color=readable_on(colour), bgcolor=colour)
        text.append(_display(article.text, piece.start, piece.end), style)
        ending = sorted(i for i in piece.covering if article.spans[i].end <= piece.end)
        if ends and ending:
            text.append_text(_marker(article, tuple(ending), close=True))
    return text


def _display(full: str, start: int, end: int) -> str:
    """``full[start:end]`` made safe to print, with CRLF and CR line ends read as newlines."""
    piece = full[start:end]
    if "\r" in piece:
        if piece.endswith("\r") and full[end : end + 1] == "\n":
            piece = piece[:-1]  # the \n that completes this CRLF is in the next piece
        piece = piece.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", piece)


def _marker(article: Article, indexes: tuple[int, ...], *, close: bool = False) -> Text:
    """``[3]`` for each span starting here (``[/3]`` for each ending here, with ``close``),
    on the technique's colour when there is colour."""
    marker = Text()
    for index in indexes:
        colour = technique(article.spans[index].technique).color
        marker.append(f"[{'/' * close}{index + 1}]", style=_badge(colour))
    return marker


def _badge(colour: str) -> Style:
    # A coloured background rather than coloured text: light colours stay legible on a
    # light terminal and dark colours on a dark one.
    return Style(bold=True, color=readable_on(colour), bgcolor=colour)


_VOICE_TITLES = {"": "Spans", "author": "In the author's voice", "quoted": "Quoted"}


def _span_table(article: Article, voice: str, indexes: list[int]) -> Table:
    table = Table(
        title=_VOICE_TITLES[voice],
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        expand=False,
    )
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Technique", no_wrap=False)
    table.add_column("Conf.", justify="right", no_wrap=True)
    if voice == "quoted":
        table.add_column("Speaker", no_wrap=False)
    table.add_column("Text", overflow="fold")
    for index in indexes:
        span = article.spans[index]
        info = technique(span.technique)
        cells = [Text(f"[{index + 1}]", style=_badge(info.color)), Text(info.title)]
        cells.append(Text(percent(span)))
        if voice == "quoted":
            cells.append(Text(_clean(speaker_of(article, span))))
        cells.append(Text(f"“{_clean(excerpt(article.span_text(span)))}”"))
        table.add_row(*cells)
    return table


def _legend(article: Article) -> Table:
    table = Table(
        title="Techniques found",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        expand=False,
    )
    table.add_column("Technique")
    table.add_column("Spans", justify="right", no_wrap=True)
    for name, count in article.counts().items():
        info = technique(name)
        label = Text(
            f" {info.title} ", style=Style(color=readable_on(info.color), bgcolor=info.color)
        )
        table.add_row(label, Text(str(count)))
    return table


def _clean(text: str) -> str:
    """One line of text (an id, a path) made safe to print."""
    return _CONTROL.sub("", " ".join(text.split()))


def _isatty(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


def _terminal_width(out: TextIO) -> int:
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(out.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return _PIPE_WIDTH
