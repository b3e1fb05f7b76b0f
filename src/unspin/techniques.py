"""The taxonomy: the 14 techniques of SemEval-2020 Task 11, explained in our own words."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Technique:
    """One persuasion technique: its PTC label, a readable title, a definition and an example."""

    name: str
    title: str
    definition: str
    example: str
    color: str  # a hex colour used by the terminal and HTML reports


TECHNIQUES: tuple[Technique, ...] = (
    Technique(
        "Appeal_to_Authority",
        "Appeal to authority",
        "Treats a claim as true because an expert, official or famous person said it, "
        "instead of giving evidence for it.",
        "Leading economists agree that the new tax will ruin every family in the county.",
        "#1f77b4",
    ),
    Technique(
        "Appeal_to_fear-prejudice",
        "Appeal to fear or prejudice",
        "Builds support for an idea by making readers afraid of the alternative, "
        "or by playing on prejudices they already hold.",
        "If the bridge plan is approved, our children will not be safe walking home.",
        "#d62728",
    ),
    Technique(
        "Bandwagon,Reductio_ad_hitlerum",
        "Bandwagon / Reductio ad Hitlerum",
        "Urges people to join in because everyone else already has, or rejects an idea "
        "because a hated group is said to support it.",
        "Every sensible town has already dropped the scheme; only cranks still defend it.",
        "#9467bd",
    ),
    Technique(
        "Black-and-White_Fallacy",
        "Black-and-white fallacy",
        "Presents two options as the only ones possible when more exist, often "
        "with one of them plainly unacceptable.",
        "Either the council closes the library or the town goes bankrupt.",
        "#7f7f7f",
    ),
    Technique(
        "Causal_Oversimplification",
        "Causal oversimplification",
        "Blames a complex outcome on a single cause, ignoring everything else that "
        "contributed to it.",
        "Prices went up the week the new mayor took office, so the mayor caused inflation.",
        "#8c564b",
    ),
    Technique(
        "Doubt",
        "Doubt",
        "Questions the credibility of a person or institution to undermine them, "
        "without showing that they are wrong.",
        "Can we really trust a minister who has never held a proper job?",
        "#bcbd22",
    ),
    Technique(
        "Exaggeration,Minimisation",
        "Exaggeration / minimisation",
        "Makes something look far larger, better or worse than it is, or plays down "
        "something serious as if it did not matter.",
        "The minor delay was the worst catastrophe in the history of public transport.",
        "#ff7f0e",
    ),
    Technique(
        "Flag-Waving",
        "Flag-waving",
        "Appeals to patriotism or to a group's identity to justify an action or idea.",
        "Any true patriot will stand behind the harbour expansion.",
        "#2ca02c",
    ),
    Technique(
        "Loaded_Language",
        "Loaded language",
        "Uses words with strong emotional connotations to sway the reader rather than to describe.",
        "The reckless scheme was rammed through by a shameless committee.",
        "#e377c2",
    ),
    Technique(
        "Name_Calling,Labeling",
        "Name calling / labelling",
        "Attaches an insulting or flattering label to a person or group so that the "
        "label, not their record, shapes the reader's view.",
        "The so-called experts at the planning office have failed again.",
        "#17becf",
    ),
    Technique(
        "Repetition",
        "Repetition",
        "Repeats the same word, phrase or message again and again so that it sticks "
        "and starts to feel true.",
        "The plan is unfair. Unfair to drivers, unfair to shops, unfair to all of us.",
        "#aec7e8",
    ),
    Technique(
        "Slogans",
        "Slogans",
        "Uses a short, catchy phrase that packs an argument into a memorable line, "
        "often with labelling or stereotypes.",
        "Our streets, our say!",
        "#ffbb78",
    ),
    Technique(
        "Thought-terminating_Cliches",
        "Thought-terminating cliché",
        "Ends a discussion with a stock phrase that discourages further thought, such "
        "as a truism or a proverb.",
        "It is what it is, and rules are rules.",
        "#98df8a",
    ),
    Technique(
        "Whataboutism,Straw_Men,Red_Herring",
        "Whataboutism / straw man / red herring",
        "Deflects criticism by pointing at someone else's faults, attacks a distorted "
        "version of the opponent's view, or changes the subject.",
        "Critics complain about the potholes, but what about the last council's parking fines?",
        "#c5b0d5",
    ),
)

TECHNIQUE_NAMES: tuple[str, ...] = tuple(t.name for t in TECHNIQUES)
_BY_NAME = {t.name: t for t in TECHNIQUES}


def get_technique(name: str) -> Technique:
    """The technique with this PTC label; raises ``KeyError`` for an unknown label."""
    return _BY_NAME[name]


def _key(text: str) -> str:
    return "".join(char for char in text.casefold() if char.isalnum())


def _forms(t: Technique) -> set[str]:
    """Every way a user may write a technique: its label, its title, and each of their parts
    (``Name_Calling``, ``labelling``), compared without case, spaces or punctuation."""
    parts = [t.name, t.title, *t.name.split(","), *t.title.split("/")]
    return {_key(part) for part in parts}


_BY_FORM: dict[str, Technique] = {}
for _technique in TECHNIQUES:
    for _form in _forms(_technique):
        _BY_FORM.setdefault(_form, _technique)


def find_technique(text: str) -> Technique | None:
    """The technique ``text`` names in any form that unspin shows or accepts: the PTC label
    (``Name_Calling,Labeling``), the title (``Name calling / labelling``), either part of
    them, in any case, with spaces, underscores or hyphens (``name_calling``); else ``None``."""
    return _BY_FORM.get(_key(text))
