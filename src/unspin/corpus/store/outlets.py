"""Outlet names merged into another (``cbsnews.com`` and ``CBS News`` as ``CBS News``).

Articles keep the outlet they were stored with; the ``outlet_aliases`` table maps a name to
the name it is shown as. Every statistic, filter and list reads outlets through ``shown``
(an outer join) or ``condition`` (a filter), so a merge changes every page at once and
``unmerge`` undoes it. Aliases are flat: a name merged into a name that is itself merged
points at the final name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, delete, exists, func, or_, select, update
from sqlalchemy.orm import aliased

from unspin._errors import InputError
from unspin.corpus.store.db import Store
from unspin.corpus.store.schema import ArticleRow, OutletAliasRow

UNKNOWN_OUTLET = "(unknown)"
"""How articles without an outlet are grouped and shown."""

NAME_LENGTH = 200  # as the articles table stores outlet names


@dataclass(frozen=True, slots=True)
class OutletName:
    """An outlet as the pages show it: its name, its articles, and the stored names merged
    into it (besides its own)."""

    name: str
    articles: int
    merged: list[str] = field(default_factory=list)


def shown_name(value: str | None) -> str:
    return value if value else UNKNOWN_OUTLET


def shown(alias: Any) -> Any:
    """The outlet name as shown, for a query that outer-joins ``alias`` (an aliased
    ``OutletAliasRow``) with ``join_alias``."""
    return func.coalesce(alias.outlet, ArticleRow.outlet)


def join_alias(alias: Any) -> Any:
    return alias.alias == ArticleRow.outlet


def condition(names: Sequence[str]) -> Any:
    """``ArticleRow`` is shown under one of ``names``: stored under one of them and not
    merged elsewhere, or stored under a name merged into one of them."""
    named = [n for n in names if n != UNKNOWN_OUTLET]
    own, merged = aliased(OutletAliasRow), aliased(OutletAliasRow)
    either: list[Any] = []
    if named:
        either.append(
            and_(ArticleRow.outlet.in_(named), ~exists().where(own.alias == ArticleRow.outlet))
        )
        either.append(ArticleRow.outlet.in_(select(merged.alias).where(merged.outlet.in_(named))))
    if UNKNOWN_OUTLET in names:
        either.append(ArticleRow.outlet.is_(None))
    return or_(*either)


def outlets(store: Store) -> list[OutletName]:
    """Every outlet as shown, with its stored articles and merged names, most articles first."""
    alias = aliased(OutletAliasRow)
    name = shown(alias)
    with store.session() as session:
        counts = session.execute(
            select(name, func.count(ArticleRow.id))
            .select_from(ArticleRow)
            .outerjoin(alias, join_alias(alias))
            .group_by(name)
        ).all()
        pairs = session.execute(select(OutletAliasRow.alias, OutletAliasRow.outlet)).all()
    merged: dict[str, list[str]] = defaultdict(list)
    for source, target in pairs:
        merged[target].append(source)
    found = [OutletName(shown_name(n), int(k), sorted(merged.get(n, []))) for n, k in counts if k]
    # Databases sort NULL differently: put "(unknown)" last among equals everywhere.
    return sorted(found, key=lambda o: (-o.articles, o.name == UNKNOWN_OUTLET, o.name))


def aliases(store: Store) -> dict[str, str]:
    """Every merged name and the name it is shown as."""
    with store.session() as session:
        rows = session.execute(select(OutletAliasRow.alias, OutletAliasRow.outlet)).all()
    return {str(a): str(o) for a, o in rows}


def _check(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InputError("an outlet name cannot be empty")
    if cleaned == UNKNOWN_OUTLET:
        raise InputError(f"{UNKNOWN_OUTLET} means no outlet was given; it cannot be merged")
    if len(cleaned) > NAME_LENGTH:
        raise InputError(f"outlet name {cleaned[:40]!r}...: over {NAME_LENGTH} characters")
    return cleaned


def merge(store: Store, names: Sequence[str], into: str) -> list[str]:
    """Show the articles of every name in ``names`` under ``into`` (which may be new or one
    of them); returns the names now merged into ``into``, sorted."""
    target = _check(into)
    sources = {_check(name) for name in names} - {target}
    if not sources:
        raise InputError(f"nothing to merge: give at least one outlet name besides {target!r}")
    now = datetime.now(UTC).replace(tzinfo=None)
    with store.session("write") as session:
        # ``into`` becomes a shown name: if it was merged elsewhere, it no longer is.
        session.execute(delete(OutletAliasRow).where(OutletAliasRow.alias == target))
        # Names merged into a source follow it to the target, so aliases stay flat.
        session.execute(
            update(OutletAliasRow).where(OutletAliasRow.outlet.in_(sources)).values(outlet=target)
        )
        session.execute(delete(OutletAliasRow).where(OutletAliasRow.alias.in_(sources)))
        session.add_all(OutletAliasRow(alias=s, outlet=target, created=now) for s in sources)
        merged = session.scalars(
            select(OutletAliasRow.alias).where(OutletAliasRow.outlet == target)
        ).all()
    return sorted(merged)


def unmerge(store: Store, names: Sequence[str]) -> list[tuple[str, str]]:
    """Undo merges: a merged name is shown as itself again; a name others were merged into
    loses them all. Returns the ``(alias, outlet)`` pairs removed."""
    wanted = [" ".join(n.split()) for n in names]
    with store.session("write") as session:
        match = or_(OutletAliasRow.alias.in_(wanted), OutletAliasRow.outlet.in_(wanted))
        removed = session.execute(
            select(OutletAliasRow.alias, OutletAliasRow.outlet).where(match)
        ).all()
        session.execute(delete(OutletAliasRow).where(match))
    return sorted((str(a), str(o)) for a, o in removed)
