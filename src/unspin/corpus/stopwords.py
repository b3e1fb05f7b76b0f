"""English function words: a flagged phrase made only of these (``if``, ``how``, ``the``, ``of
the``) or of punctuation says nothing about an outlet, so the top phrases leave it out."""

from __future__ import annotations

import re

_LIST = """
    a about above after again against all almost also although am among an and another any
    anybody anyone anything are aren't as at be because been before being below between both
    but by can can't cannot could couldn't did didn't do does doesn't doing don't down during
    each either else enough even ever every few for from further had hadn't has hasn't have
    haven't having he he'd he'll he's her here here's hers herself him himself his how how's
    however i i'd i'll i'm i've if in into is isn't it it's its itself just least less let's
    like many may me might mine more most much must mustn't my myself neither no nor not now
    of off on once one only onto or other others ought our ours ourselves out over own per
    perhaps rather same shall shan't she she'd she'll she's should shouldn't since so some
    somebody someone something such than that that's the their theirs them themselves then
    there there's these they they'd they'll they're they've this those though through thus
    to too toward towards under until up upon us very was wasn't we we'd we'll we're we've
    were weren't what what's whatever when when's whenever where where's whether which while
    who who's whoever whom whose why why's will with within without won't would wouldn't yes
    yet you you'd you'll you're you've your yours yourself yourselves
    """
STOP_WORDS = frozenset(_LIST.split())

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def is_function_only(phrase: str) -> bool:
    """True when ``phrase`` has no word outside ``STOP_WORDS`` (punctuation alone counts as
    none): ``"if"``, ``"of the"``, ``"..."``, ``"what?"``."""
    words = [w.lower().replace("’", "'") for w in _WORD.findall(phrase)]
    return all(w in STOP_WORDS for w in words)
