"""The Outlets page: every outlet as shown, with the names merged into it, and forms to merge
names (``cbsnews.com`` and ``CBS News``) or undo a merge, as ``unspin outlets`` does."""

from __future__ import annotations

import math
from typing import Annotated
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from unspin._errors import InputError
from unspin.web.filters import state_of
from unspin.web.render import page

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50


def _same_origin(request: Request) -> None:
    """Refuse a form posted from another site: there is no login, so this is what stops a
    page elsewhere from merging outlets through a visitor's browser."""
    origin = request.headers.get("origin")
    if origin and urlsplit(origin).netloc != request.url.netloc:
        raise HTTPException(403, "this form can only be sent from the unspin pages themselves")


@router.get("/outlets", name="outlets")
def outlets_page(
    request: Request,
    find: Annotated[str, Query(description="Outlets whose names contain this.")] = "",
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
    merged: str = "",
    unmerged: str = "",
) -> Response:
    corpus = state_of(request).corpus
    everything = corpus.outlet_names()
    needle = find.strip().casefold()
    found = [
        o
        for o in everything
        if not needle
        or needle in o.name.casefold()
        or any(needle in m.casefold() for m in o.merged)
    ]
    pages = max(1, math.ceil(len(found) / PAGE_SIZE))
    start = (page_number - 1) * PAGE_SIZE
    context = {
        "find": find.strip(),
        "rows": found[start : start + PAGE_SIZE],
        "total": len(found),
        "all": len(everything),
        "page": page_number,
        "pages": pages,
        "merged": merged,
        "unmerged": unmerged,
        "link": lambda **params: "/outlets?" + urlencode({k: v for k, v in params.items() if v}),
    }
    return page(request, "outlets", context, here="outlets")


@router.post("/outlets/merge", name="outlets_merge")
async def merge(request: Request) -> Response:
    """Merge the ticked or typed names into ``into``."""
    _same_origin(request)
    form = await request.form(max_fields=10_000)
    names = [str(v) for v in form.getlist("name") if str(v).strip()]
    names += [n.strip() for n in str(form.get("names") or "").split("\n") if n.strip()]
    into = str(form.get("into") or "").strip()
    if not into:
        raise InputError("give the name to merge the outlets into")
    state_of(request).corpus.merge_outlets(names, into)
    return RedirectResponse("/outlets?" + urlencode({"merged": into}), status_code=303)


@router.post("/outlets/unmerge", name="outlets_unmerge")
async def unmerge(request: Request) -> Response:
    """Show a merged name (``unmerge``) as itself again."""
    _same_origin(request)
    form = await request.form(max_fields=10_000)
    name = str(form.get("unmerge") or "").strip()
    if not name:
        raise InputError("give the outlet name to unmerge")
    removed = state_of(request).corpus.unmerge_outlets([name])
    if not removed:
        raise InputError(f"{name!r} is not merged with any other outlet name")
    return RedirectResponse("/outlets?" + urlencode({"unmerged": name}), status_code=303)
