"""Who a source is: a name for it (``he`` -> ``Donald Trump``) and what kind of speaker.

Rules, not a model: they run in well under a millisecond per article and need no extra
dependency. A named source is expanded to the fullest form of the name in the article
(``Clinton`` -> ``Hillary Clinton``); a pronoun or a role noun (``the senator``, ``the
campaign``) takes the nearest named speaker before it whose kind fits (person or
organisation; for ``she``/``he`` also the gender evidence of titles and first names).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

from unspin.attribution._types import SpeakerKind

SPEAKER_REACH = 600  # characters back to the last speaker a pronoun may continue with
_PERSON_PRONOUNS = {"he", "she", "i", "him", "her", "you"}
_GROUP_PRONOUNS = {"we", "they", "us", "them", "it", "who", "which", "that", "this"}
_FEMALE = {"she", "her"}
_ANONYMOUS = re.compile(
    r"\b(officials?|sources?|aides?|people|insiders?|advisers?|advisors?|someone|some|many|"
    r"others?|critics|observers|experts|analysts|supporters|voters|republicans|democrats|"
    r"strategists|operatives|staffers|allies|members|residents|americans|those|friends|"
    r"associates|lawmakers|economists|historians|scholars|leaders|activists)\b",
    re.IGNORECASE,
)
_DOCUMENT = re.compile(
    r"\b(report|reports|poll|polls|polling|survey|study|studies|statement|memo|letter|e-?mails?|"
    r"documents?|filings?|book|article|ad|ads|advertisement|tweets?|posts?|records?|data|"
    r"analysis|transcript|video|website|release|platform|indictment|lawsuit|complaint|"
    r"ruling|order|bill|law|plan|proposal|speech|interview|op-ed|editorial|figures|numbers|"
    r"results|research|findings|estimates?|forecast|model|index|page|message|note|footage)\b",
    re.IGNORECASE,
)
_ORG_WORDS = re.compile(
    r"\b(campaign|committee|party|department|agency|bureau|administration|government|"
    r"congress|senate|house|court|commission|council|association|foundation|institute|"
    r"university|college|company|corporation|corp|inc|group|organization|organisation|"
    r"network|times|post|news|journal|press|magazine|media|cnn|fox|nbc|abc|cbs|msnbc|reuters|"
    r"bloomberg|politico|breitbart|ap|fbi|cia|gop|rnc|dnc|pac|union|coalition|office|"
    r"staff|team|white house|pentagon|state department|police|service|center|centre|"
    r"council|board|ministry|embassy|kremlin|legislature|club)\b",
    re.IGNORECASE,
)
_ROLE_NOUNS = re.compile(
    r"\b(senator|sen|governor|gov|president|candidate|nominee|secretary|spokesman|"
    r"spokeswoman|spokesperson|chairman|chairwoman|chair|director|mayor|congressman|"
    r"congresswoman|representative|rep|leader|speaker|businessman|billionaire|mogul|"
    r"manager|adviser|advisor|aide|official|attorney|lawyer|judge|justice|general|"
    r"man|woman|father|mother|wife|husband|daughter|son|host|author|reporter|pollster|"
    r"strategist|founder|ceo|executive|democrat|republican|challenger|incumbent|"
    r"lawmaker|politician|star|veteran|former)\b",
    re.IGNORECASE,
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_FEMALE_NAMES = _words(
    "hillary chelsea melania ivanka kellyanne huma donna nancy elizabeth michelle kamala "
    "sarah hope katrina kayleigh jennifer maria mary susan patricia linda barbara margaret "
    "lisa karen betsy nikki jill debbie amy kirsten tammy claire jeanne kelly ann anne "
    "laura julie jane diane dianne carly megyn sheryl janet condoleezza madeleine"
)
_MALE_NAMES = _words(
    "donald mitt barack bill mike tim john paul ted marco jeb chris bernie joe george ronald "
    "gary rudy newt ben jim james robert david michael kevin steve eric jeff rick scott tom "
    "mark reince corey roger jason sean josh harry mitch charles richard william thomas "
    "daniel matthew anthony andrew peter frank larry jerry dennis patrick brian gregory "
    "vladimir rand rex jared stephen steven martin bob dick al howard lindsey evan"
)
_WORD = r"(?:[A-Z]\.|(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Jr|St)\.|[A-Z][\w'’-]*(?:\.(?=\w))?)"
_FIRST_NAMES = _FEMALE_NAMES | _MALE_NAMES
_CAPITALISED = re.compile(
    rf"(?:{_WORD}|(?:de|van|von|al|bin|la|le)(?= [A-Z]))"
    rf"(?: (?:{_WORD}|(?:de|van|von|al|bin|la|le)(?= [A-Z])))*"
)
_NOT_NAMES = _words(
    "The A An He She It They We I This That These Those His Her Their Our But And Or So "
    "In On At For With By From As If When While After Before Mr. Mrs. Ms. Dr. Sen. Rep. "
    "Gov. President Former Secretary Republican Democratic Democrat Republicans Democrats "
    "According Asked Still Yet Now Then Also Even However Meanwhile Monday Tuesday Wednesday "
    "Thursday Friday Saturday Sunday January February March April May June July August "
    "September October November December What Who Why How Where Which There Here "
    "Not No Yes Like Just Only Every Some Many Most All Both Each Last Next First One Two "
    "Sources Officials Secretary Homeland Security Chief Justice General Attorney"
)


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str | None
    kind: SpeakerKind


@dataclass(frozen=True, slots=True)
class _Named:
    name: str
    kind: SpeakerKind
    female: bool | None
    at: int
    speaker: bool = False  # the source of an attribution, not just a mention


def proper_name(source: str) -> str | None:
    """The longest capitalised run in the source that looks like a name, if any."""
    best = None
    for m in _CAPITALISED.finditer(source):
        run = re.split(r"['’]s?\b", m.group())[0]  # "Trump's RT" -> "Trump"
        words = [w for w in run.split() if w.strip(".") and w not in _NOT_NAMES]
        words = [w for w in words if w.lower() not in {"mr.", "mrs.", "ms.", "dr."}]
        words = [w for w in words if not _common_noun(w)]
        while words and words[0].islower():
            words = words[1:]
        if words:
            name = " ".join(words).strip(".,'’")
            if best is None or len(name) > len(best):
                best = name
    return best


def _common_noun(word: str) -> bool:
    """A capitalised word that is no name (``Officials said``, ``Senator Warren``)."""
    low = word.lower().strip(".,'’")
    return any(p.fullmatch(low) for p in (_ANONYMOUS, _DOCUMENT, _ROLE_NOUNS))


def _kind_of_text(source: str, name: str | None) -> SpeakerKind:
    low = source.lower().strip()
    words = low.split()
    if not words:
        return "unknown"
    if name is None:
        if _DOCUMENT.search(low) and not _ROLE_NOUNS.search(low):
            return "document"
        if _ANONYMOUS.search(low) and not _ROLE_NOUNS.search(words[-1]):
            return "anonymous"
        if words[0] in ("a", "an", "one") and not _ORG_WORDS.search(low):
            return "anonymous"
    if _DOCUMENT.search(words[-1]):
        return "document"
    if _ORG_WORDS.search(low) or (name is not None and name.isupper() and len(name) <= 6):
        return "organisation"
    if name is not None or low in _PERSON_PRONOUNS or _ROLE_NOUNS.search(low):
        return "person"
    return "unknown"


_Runs = list[tuple[int, int, str | None]]


def _capitalised_runs(text: str) -> _Runs:
    return [(m.start(), m.end(), proper_name(m.group())) for m in _CAPITALISED.finditer(text)]


def _full_name(name: str, text: str, before: int, runs: _Runs) -> str:
    """The nearest capitalised run before ``before`` that ends with ``name`` (or its last
    word), so that ``Clinton`` becomes ``Hillary Clinton``."""
    last = name.split()[-1]
    best = name
    for start, end, found in runs:
        if start >= before:
            break
        if end > before:  # the run the mention itself ends: only its part before
            m = _CAPITALISED.match(text, start, before)
            found = proper_name(m.group()) if m else None
        words = found.split() if found else []
        if last not in words:
            continue
        words = words[: words.index(last) + 1][-3:]
        # "New Jersey Gov. Chris Christie": keep from the first name on where one is known
        known = [i for i, w in enumerate(words) if w.lower() in _FIRST_NAMES]
        if known:
            words = words[known[0] :]
        elif len(words) == 3:
            words = words[1:]
        while words and words[0].islower():
            words = words[1:]
        candidate = " ".join(words)
        if candidate.endswith(name) and len(words) > 1:
            best = candidate  # the nearest full form before the mention
    return best


def _org_name(source: str) -> str:
    """``The Clinton campaign`` -> ``Clinton campaign``: the source less its article."""
    return re.sub(r"^(?:the|a|an)\s+", "", source.strip(), flags=re.IGNORECASE)


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _boundary(text: str, at: int) -> bool:
    """Whether ``\\b`` matches at ``at``."""
    before = at > 0 and _is_word(text[at - 1])
    after = at < len(text) and _is_word(text[at])
    return before != after


def _ends_word_at(text: str, word: str, at: int) -> bool:
    """``word\\b`` matches at ``at``."""
    return text.startswith(word, at) and _boundary(text, at + len(word))


_TITLE = re.compile(r"\b(Mrs|Ms|Miss|Mr)\.? ")
_MIDDLE = re.compile(r"[A-Z]\w* ")


class _Titles:
    """Where ``Mrs.``/``Ms.``/``Miss`` and ``Mr.`` stand in a text, found once per text (the
    per-name regular expressions this replaces cost more than the tagger's decoding)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.after = [(m.group(1) != "Mr", m.end()) for m in _TITLE.finditer(text)]

    def titled(self, last: str, female: bool) -> bool:
        """``Mrs. [First ]Last`` (or ``Mr.`` when not ``female``) somewhere in the text."""
        text = self.text
        for is_female, at in self.after:
            if is_female != female:
                continue
            middle = _MIDDLE.match(text, at)
            if middle and _ends_word_at(text, last, middle.end()):
                return True
            if _ends_word_at(text, last, at):
                return True
        return False

    def alone(self, word: str) -> bool:
        """``word`` somewhere not right after another word and not before a capitalised
        one: a surname used on its own (``Clinton said``), not a part of a longer name."""
        text = self.text
        at = text.find(word)
        while at >= 0:
            end = at + len(word)
            after_word = (
                at >= 2
                and text[at - 1] == " "
                and (_is_word(text[at - 2]) or text[at - 2] in "’'-")
            )
            before_capital = text[end : end + 1] == " " and "A" <= text[end + 1 : end + 2] <= "Z"
            if (
                _boundary(text, at)
                and _ends_word_at(text, word, at)
                and not after_word
                and not before_capital
            ):
                return True
            at = text.find(word, at + 1)
        return False


def _is_female(name: str, titles: _Titles) -> bool | None:
    first = name.split()[0].lower()
    if first in _FEMALE_NAMES:
        return True
    if first in _MALE_NAMES:
        return False
    last = name.split()[-1]
    if titles.titled(last, female=True):
        return True
    if titles.titled(last, female=False):
        return False
    return None


def _mentions(titles: _Titles, runs: _Runs) -> list[_Named]:
    """Names in the text that can be referred back to: runs of two or three capitalised
    words (``Hillary Clinton``, ``Clinton Foundation``) and later one-word mentions of their
    last word (``Clinton``)."""
    found: list[_Named] = []
    known: dict[str, _Named] = {}
    seen: dict[str, tuple[str, SpeakerKind, bool | None] | None] = {}  # per distinct run
    for at, _, name in runs:
        if name is None:
            continue
        words = name.split()
        if len(words) == 1 and words[0] in known:
            first = known[words[0]]
            found.append(_Named(first.name, first.kind, first.female, at))
        elif 2 <= len(words) <= 3:
            if name not in seen:
                seen[name] = _mention(name, titles)
            entry = seen[name]
            if entry is not None:
                found.append(_Named(entry[0], entry[1], entry[2], at))
                known[entry[0].split()[-1]] = found[-1]  # the nearest full form is likeliest
    return found


def _mention(name: str, titles: _Titles) -> tuple[str, SpeakerKind, bool | None] | None:
    """A run of capitalised words as a referent (name, kind, female), or None."""
    words = name.split()
    kind = _kind_of_text(name, name)
    first_name = words[0].lower() in _FIRST_NAMES
    if len(words) == 3 and not first_name and kind == "person" and len(words[1]) > 2:
        words = words[1:]
        name = " ".join(words)
    female = _is_female(name, titles)
    # A person is named again by the surname alone ("Clinton"), or has a known first name
    # or title; "Pell Grants" and "Black Lives Matter" have none of these.
    if kind == "person" and female is None and not titles.alone(words[-1]):
        return None
    return name, kind, female


def resolve_speakers(text: str, sources: Sequence[tuple[int, int] | None]) -> list[Speaker]:
    """A speaker for each source (given as character extents, in any order)."""
    order = sorted(range(len(sources)), key=lambda i: sources[i] or (len(text), len(text)))
    runs = _capitalised_runs(text)
    titles = _Titles(text)
    named: list[_Named] = _mentions(titles, runs)
    out: list[Speaker] = [Speaker(None, "unknown")] * len(sources)
    for i in order:
        extent = sources[i]
        if extent is None:
            continue
        start, end = extent
        source = text[start:end]
        name = proper_name(source)
        kind = _kind_of_text(source, name)
        if name is not None and kind in ("person", "organisation"):
            full = _full_name(name, text, end, runs) if kind == "person" else _org_name(source)
            named.append(_Named(full, kind, _is_female(full, titles), start, speaker=True))
            out[i] = Speaker(full, kind)
            continue
        if name is None and kind in ("person", "organisation", "unknown"):
            low = source.lower().strip()
            wanted: SpeakerKind = "person"
            if low in _GROUP_PRONOUNS or _ORG_WORDS.search(low):
                wanted = "organisation"
            referent = _referent(named, low, wanted, text, start)
            if referent is not None:
                out[i] = Speaker(referent.name, referent.kind)
                named.append(dataclasses.replace(referent, at=start, speaker=True))
                continue
        out[i] = Speaker(name, kind)
    return out


def _starts_sentence(text: str, at: int) -> bool:
    head = text[max(0, at - 40) : at].rstrip(" \t")
    head = re.sub(
        r"(?:[Tt]he |[A-Z][a-z]+ )*(?:nominee|candidate|senator|president|"
        r"governor|Republican|Democrat|Sen\.|Rep\.|Gov\.)?\s*$",
        "",
        head,
    )
    return not head or head[-1] in '.!?\n”"—:'


def _referent(
    named: Sequence[_Named], low: str, wanted: SpeakerKind, text: str, start: int
) -> _Named | None:
    """The nearest earlier named speaker that fits a pronoun or role noun."""
    female = True if low in _FEMALE else False if low in ("he", "him") else None
    if low in ("i", "we", "me", "us") or (low in _GROUP_PRONOUNS and low not in ("they", "it")):
        return None  # "I" and "we": the author, or the speaker of a quotation
    word = _ROLE_NOUNS.search(low) or _ORG_WORDS.search(low)
    before = sorted((n for n in named if n.at < start), key=lambda n: -n.at)
    subjects = [n for n in before if start - n.at < 300 and _starts_sentence(text, n.at)]
    # "he said" most often goes on with the person last quoted, not the last one mentioned
    # (or with a new subject named since)
    if low in _PERSON_PRONOUNS:
        speakers = [n for n in before if n.speaker and start - n.at < SPEAKER_REACH]
        subjects = sorted(speakers + subjects, key=lambda n: -n.at)
    for cand in [*subjects, *before]:
        if cand.kind != wanted and not (low in ("they", "we") and cand.kind == "person"):
            continue
        if low in ("they", "we") and cand.kind == "person":
            continue
        if female is not None and cand.female is not None and cand.female != female:
            continue
        # ``the campaign`` -> an earlier ``Clinton campaign``; an unrelated org is no help
        near = text[max(0, cand.at - 80) : cand.at + 80]
        if (
            word is not None
            and wanted == "organisation"
            and word.group().lower() not in cand.name.lower()
            and not re.search(re.escape(word.group()), near, re.IGNORECASE)
        ):
            continue
        return cand
    return None
