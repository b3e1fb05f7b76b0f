"""Synthetic news articles for batch benchmarks: seeded, news-like, from five invented outlets.

    python benchmarks/synthetic.py N [--seed S] [-o out.jsonl]

Writes N JSON Lines records that ``unspin import`` reads (id, title, outlet, published, url,
language, text). Article ``i`` depends only on the seed and ``i``, so the first 1,000 articles
of a 10,000-article set are the 1,000-article set. Lengths follow a log-normal distribution
(median about 640 words, mean about 680, most between 400 and 1,200). Outlets range from a
neutral wire service to a partisan site, so the model finds techniques at different rates.
All vocabulary and templates are invented here; places, people and outlets are fictional.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any


def _words(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split("|"))


# -- the world the articles describe ----------------------------------------------------------

PLACES = _words(
    "Port Calder|Marrowfield|Eastbrook|Linden Falls|Stavemoor|Greywater|Ashby Cross|New Tallis|"
    "Corvin Bay|Redhollow|Millbrook Junction|Westmarch|Oldhaven|Brackenridge|Silverton Vale|"
    "Kettering Mills|Hollin Ford|Saltmarsh|Upper Denby|Fairlow|Gannet Point|Thornbury Heath"
)
REGIONS = _words("the northern province|the coastal region|the eastern valley|the capital district")
FIRST = _words(
    "Anna|Tomas|Helen|Marek|Ruth|Daniel|Priya|Oskar|Leila|Victor|Ingrid|Samuel|Nadia|Felix|"
    "Clara|Jonah|Esther|Rafael|Miriam|Pavel|Greta|Idris|Lucia|Aaron|Maren|Kofi|Yvonne|Stefan|"
    "Beatrix|Emil|Sofia|Hamid|Agnes|Tobias|Irene|Malik|Lotte|Ciaran|Dalia|Bruno"
)
LAST = _words(
    "Kessler|Marsh|Okafor|Lindqvist|Dunmore|Varga|Ashcombe|Petrov|Halloran|Brenner|Castell|"
    "Moreau|Whitlock|Nakamura|Fenwick|Osei|Delacroix|Harrow|Szabo|Quinlan|Ferreira|Albright|"
    "Novak|Tremaine|Eriksen|Mbeki|Calloway|Rosen|Ibarra|Kowalczyk|Stroud|Lambert|Haddad|"
    "Fairbairn|Vance|Ortega|Blackwood|Janssen|Pryce|Aldana|Winslow|Sorensen|Achterberg|Doyle"
)
GOV_TITLES = _words(
    "Mayor|Deputy Mayor|Councillor|Senator|Finance Minister|Transport Minister|Health Minister|"
    "Regional Governor|Treasury Secretary|Interior Minister"
)
ROLES = _words(
    "a spokesperson for {body}|a press officer at {body}|the head of {body}|an economist at the "
    "University of {place}|a senior analyst at Harlow Research|chair of the {place} residents' "
    "association|a director at the Institute for Public Policy|a lawyer representing {people}|"
    "leader of the opposition group on {place} council|a former adviser to {body}|"
    "a professor of public finance at {place} Polytechnic|the union's regional secretary"
)
PARTIES = _words("the Unity Party|the Civic Front|the Reform League|the People's Alliance")
WEEKDAYS = _words("Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday")
MONTHS = _words(
    "January|February|March|April|May|June|July|August|September|October|November|December"
)

TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "transport": {
        "subject": _words("the rail link|the tram extension|the ring road project|bus services"),
        "body": _words("the Transport Ministry|the regional transit authority|Calder Rail"),
        "issue": _words("delays|fare rises|a maintenance backlog|signal failures|cancellations"),
        "people": _words("commuters|passengers|drivers|cyclists"),
        "measure": _words("a new timetable|a fare freeze|an emergency repair fund|extra trains"),
    },
    "housing": {
        "subject": _words("the housing plan|new homes|the Riverside development|social housing"),
        "body": _words("the Housing Agency|the planning board|the Ministry of Works"),
        "issue": _words("rising rents|a shortage of homes|evictions|damp and mould"),
        "people": _words("tenants|first-time buyers|landlords|families on waiting lists"),
        "measure": _words("a rent cap|a building programme|planning reforms|a tenant grant"),
    },
    "health": {
        "subject": _words("the hospital merger|emergency care|the clinic closures|GP services"),
        "body": _words("the Health Ministry|the regional health board|St Aldric's Hospital"),
        "issue": _words("waiting lists|staff shortages|ambulance delays|ward closures"),
        "people": _words("patients|nurses|doctors|carers"),
        "measure": _words("a recruitment drive|extra funding|a new walk-in centre|longer hours"),
    },
    "energy": {
        "subject": _words("the wind farm|energy prices|the grid upgrade|the gas contract"),
        "body": _words("the energy regulator|the Ministry of Energy|Northline Power"),
        "issue": _words("higher bills|power cuts|supply shortfalls|rising costs"),
        "people": _words("households|small businesses|pensioners|factory owners"),
        "measure": _words("a price cap|an insulation scheme|a subsidy package|new pylons"),
    },
    "schools": {
        "subject": _words("the school reforms|exam results|the new curriculum|school meals"),
        "body": _words("the Education Ministry|the schools inspectorate|the teachers' union"),
        "issue": _words("teacher shortages|crumbling buildings|larger classes|budget cuts"),
        "people": _words("parents|teachers|pupils|head teachers"),
        "measure": _words("a building fund|smaller classes|free breakfasts|a pay offer"),
    },
    "budget": {
        "subject": _words(
            "the spending plan|the spending review|tax changes|the council's accounts"
        ),
        "body": _words("the Treasury|the finance committee|the audit office"),
        "issue": _words("a funding gap|rising debt|missed targets|overspending"),
        "people": _words("taxpayers|public servants|pensioners|local firms"),
        "measure": _words("a spending freeze|a tax cut|new borrowing|an efficiency review"),
    },
    "water": {
        "subject": _words("the flood defences|the reservoir plan|water quality|the sewer works"),
        "body": _words("the Environment Agency|Greywater Utilities|the river authority"),
        "issue": _words("flooding|sewage spills|a hosepipe ban|leaking pipes"),
        "people": _words("residents|farmers|anglers|homeowners"),
        "measure": _words("a new barrier|higher fines|pipe repairs|a clean-up fund"),
    },
    "crime": {
        "subject": _words("the policing plan|the new prison|street crime|the court backlog"),
        "body": _words("the police service|the Interior Ministry|the courts service"),
        "issue": _words("burglaries|knife crime|slow response times|a backlog of cases"),
        "people": _words("victims|shopkeepers|officers|local residents"),
        "measure": _words("more patrols|a new unit|longer sentences|extra judges"),
    },
}

# -- sentences ----------------------------------------------------------------------------------
# Slots: {home} the article's town, {place} any town, {subject} {body} {issue} {people}
# {measure} from the topic, {num} {big} {pct} {money} {day} {date} {year} {months} numbers and
# dates, {party} {rival} parties, {lead} the main official's surname, {name} a new full name.

FACTS = _words(
    "{body} said the cost of {subject} had risen to {money}, up {pct} percent on last year.|"
    "About {big} {people} in {home} are affected, according to figures published on {day}.|"
    "The plan would take effect on {date} if it is approved by the council.|"
    "Officials in {place} reported {num} complaints about {issue} in the past {months}.|"
    "The proposal includes {measure} and a review of {subject} by {date}.|"
    "A report by {body} found that {issue} had doubled since {year}.|"
    "Work on {subject} began in {year} and was due to finish this spring.|"
    "The council voted {votes} in favour of {measure} on {day}.|"
    "{body} has set aside {money} for the first phase of the work.|"
    "Figures released on {day} showed {pct} percent of {people} in {home} were worried about "
    "{issue}.|"
    "The scheme covers {home}, {place} and {num} smaller villages nearby.|"
    "Similar measures were introduced in {place} in {year}, with mixed results.|"
    "A public consultation on {subject} closes on {date}.|"
    "Some {big} people have signed a petition calling for {measure}.|"
    "The cost is expected to be shared between {body} and the {home} council.|"
    "Around {pct} percent of the money set aside for {subject} has already been spent.|"
    "The matter will return to the finance committee on {date}.|"
    "Turnout at the meeting in {home} town hall was higher than usual, with about {num} people.|"
    "{body} said it had received {big} responses to its survey.|"
    "Since {year}, the number of {people} in the area has grown by {pct} percent.|"
    "The first contracts for {subject} are expected to be signed by {date}.|"
    "Inspectors visited {num} sites in {place} and {home} last month.|"
    "An independent review of {issue} is due to report in {months}.|"
    "Officials said the figures for {place} were not yet complete.|"
    "The budget for {measure} is {money} over {small} years.|"
    "Both main parties have promised to address {issue} before the next election.|"
    "Local businesses in {home} said trade had fallen by about {pct} percent.|"
    "The minister is expected to visit {home} on {day} to meet {people}."
)
LEDES = _words(
    "Officials in {home} announced plans on {day} to tackle {issue}, promising {measure} "
    "within {months}.|"
    "{people_cap} in {home} face months of uncertainty over {subject} after {body} delayed a "
    "decision until {date}.|"
    "{body} will spend {money} on {subject} in {home}, it said on {day}, in a bid to reduce "
    "{issue}.|"
    "A row over {subject} deepened on {day} as {people} in {home} called for {measure}.|"
    "{title} {lead_full} on {day} defended the handling of {subject}, saying {measure} would "
    "ease {issue} in {home}."
)
CLOSERS = _words(
    "A decision is expected on {date}.|"
    "{body} did not respond to a request for comment.|"
    "The council will meet again on {date} to discuss the plans.|"
    "Further details are due to be published in {months}.|"
    "Opposition members said they would table an amendment before {date}."
)
NEUTRAL_QUOTES = _words(
    "We expect the first results by {date}, and we will publish them in full|"
    "This is a difficult decision, but the numbers leave us little choice|"
    "We have listened to {people} and changed the plan in several places|"
    "There is still work to do on {subject}, and we are not pretending otherwise|"
    "Our priority is to keep costs down while reducing {issue}|"
    "The funding is welcome, but it will not cover everything that is needed|"
    "We will look closely at the report before we comment on it|"
    "It is too early to say whether {measure} will work|"
    "We want to see a clear timetable and regular updates|"
    "The figures show some progress, though it has been slower than we hoped|"
    "We have asked {body} to explain how the money will be spent|"
    "{people_cap} deserve a clear answer, and we intend to give them one|"
    "The plan is a reasonable starting point, and we will work with the council on it|"
    "We share the concerns about {issue} and we are talking to everyone involved"
)
INDIRECT = _words(
    "the plan had been costed carefully|talks with {body} would continue next week|"
    "{measure} was under consideration|the delay was caused by a dispute over contracts|"
    "the figures would be checked by the audit office|{people} would be consulted before "
    "{date}|the project remained on budget|more staff would be hired by {date}"
)

# Techniques the model was trained to find, written for outlets that use them.
TECHNIQUES: dict[str, tuple[str, ...]] = {
    "loaded": _words(
        "The {rival}'s reckless handling of {subject} has been nothing short of a scandal.|"
        "{people_cap} have been betrayed by a shameless and arrogant {body}.|"
        "This disgraceful plan is a slap in the face for every family in {home}.|"
        "The so-called reforms are a cynical land grab dressed up as progress.|"
        "Yet another shambolic announcement left {people} fuming and humiliated.|"
        "The bloated, wasteful bureaucracy at {body} is strangling {home}."
    ),
    "name_calling": _words(
        "The clueless bureaucrats at {body} have learned nothing.|"
        "{rival_cap} career politicians and their cronies are laughing at {people}.|"
        "The out-of-touch elites in {place} have never set foot in {home}.|"
        "{lead_full}, the puppet of the {rival}, will say anything to cling on.|"
        "These pen-pushing parasites treat {people} like cash machines.|"
        "The so-called experts who designed this fiasco should hang their heads in shame."
    ),
    "slogans": _words(
        "Put {home} first!|Our town, our choice!|Not one penny more!|Enough is enough!|"
        "Take back control of {subject}!|Stand up, speak out, vote them out!"
    ),
    "fear": _words(
        "If this plan goes ahead, {issue} will spread to every street in {home}.|"
        "Experts warn that families could lose everything within {months}.|"
        "Make no mistake: our children will pay the price for this for decades.|"
        "Unless something is done now, {home} faces a catastrophe of {issue}.|"
        "Imagine waking up to find that {subject} has been sold off overnight.|"
        "Every day of delay puts more lives at risk."
    ),
    "flag_waving": _words(
        "Real patriots know that this nation was not built by handing power to {body}.|"
        "Our proud country deserves leaders who stand up for it.|"
        "Generations of hard-working people in {home} built this nation with their own hands.|"
        "This is about who we are as a people, and we will not be told to be ashamed of it.|"
        "No true patriot could stand by while {subject} is handed to foreign investors.|"
        "Our flag, our heritage and our values are not for sale."
    ),
    "doubt": _words(
        "Can we really trust {body} to tell the truth about {subject}?|"
        "Questions remain about who really benefits from {measure}.|"
        "The figures, conveniently released on a {day} evening, raise more questions than "
        "they answer.|"
        "Is it a coincidence that {lead_full}'s old friends won the contract?|"
        "Nobody has explained where the missing {money} went.|"
        "Critics ask whether the report was written to order."
    ),
    "black_white": _words(
        "Either we stop this plan now, or we lose {home} for good.|"
        "You are either with the people of {home} or with the bureaucrats.|"
        "There are only two choices: {measure} or ruin.|"
        "There is no middle ground on {subject}: it is them or us.|"
        "Anyone who votes for this plan has chosen to abandon {people}."
    ),
    "exaggeration": _words(
        "This is the worst betrayal of {people} in living memory.|"
        "The entire town has been brought to its knees by {issue}.|"
        "Not a single promise on {subject} has been kept, not one.|"
        "Millions have been poured down the drain with nothing to show for it.|"
        "It is the greatest scandal this country has ever seen."
    ),
    "causal": _words(
        "The reason for {issue} is simple: the {rival} took power.|"
        "Ever since {body} moved to {place}, everything has gone wrong.|"
        "{issue_cap} began the day {measure} was announced, and that is no accident.|"
        "Cut the waste at {body} and {issue} will disappear overnight."
    ),
    "whatabout": _words(
        "And where were these critics when the {rival} left {subject} in ruins in {year}?|"
        "The same people complaining now said nothing about {issue} in {place}.|"
        "Before lecturing {home}, the {rival} should explain its own record on {subject}."
    ),
    "cliche": _words(
        "It is what it is.|At the end of the day, the people have spoken.|"
        "Enough said.|The facts speak for themselves.|That is all anyone needs to know."
    ),
}
HEADLINES = {
    "neutral": _words(
        "{home} council approves {measure}|{body} sets out plans for {subject}|"
        "{people_cap} in {home} await decision on {subject}|"
        "Cost of {subject} rises to {money}|Review ordered into {issue} in {home}|"
        "{title} {lead} defends {subject}|{home} to get {measure} by {year2}|"
        "Report finds {issue} rising in {place}|Talks on {subject} to resume on {day}"
    ),
    "loaded": _words(
        "{subject_cap} SHAMBLES: {people} left furious|Fury as {body} betrays {home}|"
        "Scandal of {issue}: who will pay?|{lead} caught out again over {subject}|"
        "Out-of-touch {body} slammed over {issue}|Enough is enough, say {people} of {home}|"
        "Patriots rally against {subject} sell-off|The {subject} disaster they tried to hide"
    ),
}


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    domain: str
    share: float  # of all articles
    opinion: float  # chance that a paragraph argues rather than reports
    techniques: tuple[str, ...]  # which ones it uses, most used first
    loaded_headlines: float
    dateline: bool = False  # wire-style "PLACE, Month D (Outlet) -" opening


# fmt: off
OUTLETS = (
    Outlet("Meridian Wire", "meridianwire.example", 0.30, 0.0, (), 0.0, dateline=True),
    Outlet("The Calder Courier", "caldercourier.example", 0.20, 0.05, _words("doubt|loaded"), 0.05),
    Outlet("Northgate Ledger", "northgateledger.example", 0.15, 0.08,
           _words("doubt|exaggeration|causal|loaded"), 0.1),
    Outlet("The Daily Klaxon", "dailyklaxon.example", 0.20, 0.30,
           _words("loaded|exaggeration|fear|name_calling|doubt|cliche"), 0.6),
    Outlet("Patriot Bugle", "patriotbugle.example", 0.15, 0.45, _words(
        "flag_waving|slogans|name_calling|black_white|fear|loaded|whatabout|causal"), 0.8),
)
# fmt: on
START = date(2025, 1, 1)  # publication dates: the 365 days from here


class _Slots(dict[str, str]):
    """Fixed slots of one article; any other slot is drawn afresh each time it is used."""

    def __init__(self, rng: random.Random, topic: dict[str, tuple[str, ...]], published: date):
        super().__init__()
        self.rng, self.topic, self.published = rng, topic, published
        self.decks: dict[int, list[str]] = {}

    def __missing__(self, key: str) -> str:
        rng = self.rng
        if key.endswith("_cap"):
            value = self[key[:-4]]
            return value[0].upper() + value[1:]
        if key in self.topic:
            return rng.choice(self.topic[key])
        if key == "place":
            return rng.choice(PLACES)
        if key == "name":
            return f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if key == "num":
            return str(rng.randint(12, 480))
        if key == "small":
            return str(rng.randint(2, 9))
        if key == "votes":
            seats = rng.randint(21, 61)
            yes = rng.randint(seats // 2 + 1, seats)
            return f"{yes} to {seats - yes}"
        if key == "big":
            return f"{rng.randint(3, 95) * 100 + rng.randint(0, 9) * 10:,}"
        if key == "pct":
            return str(rng.randint(3, 48))
        if key == "money":
            unit = rng.choice(("million", "million", "billion"))
            return f"${rng.randint(1, 98)}.{rng.randint(1, 9)} {unit}"
        if key == "day":
            return rng.choice(WEEKDAYS)
        if key == "date":
            when = self.published + timedelta(days=rng.randint(-40, 120))
            return f"{when.day} {MONTHS[when.month - 1]}"
        if key == "year":
            return str(rng.randint(2008, self.published.year - 1))
        if key == "year2":
            return str(self.published.year + rng.randint(1, 4))
        if key == "months":
            return f"{rng.randint(2, 18)} months"
        if key == "region":
            return rng.choice(REGIONS)
        raise KeyError(key)

    def fill(self, template: str) -> str:
        return template.format_map(self)

    def pick(self, pool: tuple[str, ...]) -> str:
        """A template from ``pool``, filled; each is used once before any is used again."""
        deck = self.decks.get(id(pool))
        if not deck:
            deck = self.decks[id(pool)] = list(pool)
            self.rng.shuffle(deck)
        return self.fill(deck.pop())

    def sentence(self, pool: tuple[str, ...]) -> str:
        text = self.pick(pool)
        return text[0].upper() + text[1:]


def _target_words(rng: random.Random) -> int:
    # Log-normal: median 640, mean about 680; clipped to what a news article can be.
    return max(280, min(1800, round(math.exp(rng.gauss(math.log(640), 0.35)))))


def _article(i: int, seed: int) -> dict[str, Any]:
    rng = random.Random(f"unspin-synthetic:{seed}:{i}")
    outlet = rng.choices(OUTLETS, weights=[o.share for o in OUTLETS])[0]
    topic_name = rng.choice(sorted(TOPICS))
    published = START + timedelta(days=rng.randrange(365))
    slots = _Slots(rng, TOPICS[topic_name], published)
    party, rival = rng.sample(PARTIES, 2)
    lead_first, lead_last = rng.choice(FIRST), rng.choice(LAST)
    slots.update(
        home=rng.choice(PLACES),
        subject=rng.choice(TOPICS[topic_name]["subject"]),
        party=party.removeprefix("the "),
        rival=rival.removeprefix("the "),
        lead=lead_last,
        lead_full=f"{lead_first} {lead_last}",
        title=rng.choice(GOV_TITLES),
    )
    loud = rng.random() < outlet.loaded_headlines
    title = slots.sentence(HEADLINES["loaded" if loud else "neutral"])

    speakers: list[str] = []  # surnames of people already introduced

    def speaker() -> tuple[str, str]:
        """Who speaks: a name, and ", their role" the first time they speak."""
        if speakers and rng.random() < 0.4:
            return rng.choice(speakers), ""
        if slots["lead"] not in speakers and (not speakers or rng.random() < 0.3):
            speakers.append(slots["lead"])
            return f"{slots['title']} {slots['lead_full']}", ""
        first, last = rng.choice(FIRST), rng.choice(LAST)
        speakers.append(last)
        return f"{first} {last}", f", {slots.fill(rng.choice(ROLES))}"

    def quote(text: str) -> str:
        (who, role), when = speaker(), rng.choice(("", "", f" on {slots['day']}"))
        # A role between name and verb is set off by commas: "Name, role, said".
        subject = f"{who}{role}," if role else who
        shape = rng.random()
        if text.endswith(("!", "?")):
            return f'"{text}" {subject} said{when}.'
        if shape < 0.55:
            return f'"{text}," {subject} said{when}.'
        if shape < 0.8:
            return f'"{text}," said {who}{role}.'
        return f'{subject} said{when}: "{text}."'

    def reported() -> str:
        who, role = speaker()
        return f"{who}{role + ',' if role else ''} said {slots.pick(INDIRECT)}."

    def opinion() -> str:
        # Earlier techniques in an outlet's list are its favourites.
        weights = [1 / (rank + 1) for rank in range(len(outlet.techniques))]
        kind = rng.choices(outlet.techniques, weights=weights)[0]
        if kind == "slogans" and rng.random() < 0.5:  # the article's own slogan, repeated
            return slogan
        text = slots.sentence(TECHNIQUES[kind])
        return quote(text.rstrip(".")) if rng.random() < 0.35 else text

    slogan = slots.sentence(TECHNIQUES["slogans"])
    paragraphs = [slots.sentence(LEDES)]
    if outlet.dateline:
        stamp = f"{published.day} {MONTHS[published.month - 1]}"
        paragraphs[0] = f"{slots['home'].upper()}, {stamp} ({outlet.name}) - {paragraphs[0]}"
    target = _target_words(rng)
    words = len(paragraphs[0].split())
    while words < target:
        roll = rng.random()
        if roll < outlet.opinion:
            sentences = [opinion() for _ in range(rng.randint(1, 3))]
        elif roll < outlet.opinion + 0.3:
            sentences = [quote(slots.sentence(NEUTRAL_QUOTES))]
            if rng.random() < 0.4:
                sentences.append(reported())
        else:
            sentences = [slots.sentence(FACTS) for _ in range(rng.randint(1, 3))]
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        words += len(paragraph.split())
    paragraphs.append(slots.sentence(CLOSERS))
    slug = "-".join("".join(c for c in title.lower() if c.isalnum() or c == " ").split()[:8])
    return {
        "id": f"syn-{seed}-{i:06d}",
        "title": title,
        "outlet": outlet.name,
        "published": published.isoformat(),
        "url": f"https://{outlet.domain}/{published:%Y/%m/%d}/{slug}-{i}",
        "language": "en",
        "text": "\n\n".join(paragraphs) + "\n",
    }


def generate(n: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    """``n`` synthetic articles as JSONL-ready records, each text distinct.

    The same seed gives the same articles, and a shorter run is a prefix of a longer one.
    """
    seen: set[bytes] = set()
    for i in range(n):
        record = _article(i, seed)
        salt = 0
        # The store keys articles by text; a repeat (very unlikely) is drawn again.
        while (key := hashlib.sha256(record["text"].encode()).digest()) in seen:
            salt += 1
            record = {**_article(i, seed * 1_000_003 + salt), "id": record["id"]}
        seen.add(key)
        yield record


def write_jsonl(records: Iterator[dict[str, Any]], path: Path | None) -> int:
    """Write records as JSON Lines to ``path`` (standard output for None); returns the count."""
    out = sys.stdout if path is None else path.open("w", encoding="utf-8")
    count = 0
    try:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    finally:
        if path is not None:
            out.close()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="how many articles")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", type=Path, help="JSONL file [default: stdout]")
    args = parser.parse_args()
    if args.n < 0:
        parser.error("N must be 0 or more")
    count = write_jsonl(generate(args.n, args.seed), args.output)
    if args.output is not None:
        print(f"{args.output}: {count} articles", file=sys.stderr)


if __name__ == "__main__":
    main()
