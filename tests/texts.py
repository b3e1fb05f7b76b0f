"""Short articles written for the tests (nothing here is copied from elsewhere)."""

from __future__ import annotations

from typing import Any

from unspin._article import ArticleMeta, Document

ARTICLES: list[dict[str, str]] = [
    {
        "id": "ferry",
        "outlet": "Harbour Gazette",
        "published": "2024-02-05",
        "title": "Ferry timetable cut again",
        "text": "The island ferry will run four times a day from March, down from six, the "
        'operator said on Monday.\n\nCouncillor Ann Price called the decision "a disgrace '
        'that abandons every family on the island". The operator said fuel costs had doubled.',
    },
    {
        "id": "library",
        "outlet": "Harbour Gazette",
        "published": "2024-02-07",
        "title": "Library hours",
        "text": "The central library will open on Sundays from April. The council said the "
        "change costs 40,000 pounds a year and is paid for by closing a storage depot.",
    },
    {
        "id": "bridge",
        "outlet": "The Rampart",
        "published": "2024-02-06",
        "title": "Stop the bridge scandal now",
        "text": "Make no mistake: this bridge is the most shameful waste of money in our "
        "history. Only traitors to this town could support it. Either you stand with the "
        "people or you stand with the greedy developers who are bleeding us dry.\n\n"
        "Enough is enough. Stop the bridge!",
    },
    {
        "id": "school",
        "outlet": "The Rampart",
        "published": "2024-02-14",
        "title": "They want to ruin our schools",
        "text": "The so-called reformers in the education office want to destroy everything "
        "our teachers have built. If this plan passes, our children will grow up unable to "
        "read, and crime will explode on every street. Every true patriot must say no.",
    },
    {
        "id": "market",
        "outlet": "Harbour Gazette",
        "published": "2024-02-15",
        "title": "Market stalls return",
        "text": "Twenty stalls will return to the harbour market on Saturdays, the market "
        "trust said. Rents stay at last year's level.",
    },
    {
        "id": "tax",
        "outlet": "The Rampart",
        "published": "2024-02-20",
        "title": "The tax grab",
        "text": "Is anyone surprised that the minister, a career liar, now wants another "
        "tax? Everyone knows where this money goes. This monstrous tax grab is the final "
        "nail in the coffin of the small shopkeeper. Our great nation deserves better.",
    },
]


def doc(
    text: str, external_id: str | None = None, source: str | None = None, **meta: Any
) -> Document:
    """An article to store, as ``Document(id, text, source, ArticleMeta(**meta))``."""
    return Document(external_id, text, source, ArticleMeta(**meta))
