"""Print a seeded sample of PolNeAR dev attributions whose gold source is a pronoun or a role
noun, with the speaker the rules give and the text before it, for checking by hand.

    python benchmarks/attribution_speaker_sample.py > sample.txt   (reads ../shared/data/polnear)

The sample is drawn with seed 7 from all such sources (456 on dev); the output holds corpus
text, so keep it out of the repository.
"""

import random
import sys
from collections import Counter
from pathlib import Path

from unspin.eval.polnear import load_polnear

ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/polnear") / "dev"
from unspin.attribution.speakers import _ORG_WORDS, _ROLE_NOUNS, proper_name, resolve_speakers

arts = load_polnear(ROOT / "text", ROOT / "attributions", Counter())
PRON = {"he", "she", "they", "we", "i", "it", "him", "her"}
items = []
for a in arts:
    srcs = [g.extent("source") for g in a.attributions]
    spk = resolve_speakers(a.text, srcs)
    for e, s in zip(srcs, spk):
        if e is None:
            continue
        src = a.text[e[0] : e[1]]
        low = src.lower().strip()
        if proper_name(src) is not None:
            continue
        if low in PRON or (
            (_ROLE_NOUNS.search(low) or _ORG_WORDS.search(low))
            and low.split()[0] in ("the", "his", "her", "their", "its", "our")
        ):
            items.append((a.name, e, src, s, a.text))
print(len(items), file=sys.stderr)
print(Counter(i[2].lower() for i in items).most_common(30), file=sys.stderr)
rng = random.Random(7)
sample = sorted(rng.sample(range(len(items)), min(120, len(items))))
for k in sample:
    name, e, src, s, text = items[k]
    ctx = text[max(0, e[0] - 350) : e[0]].replace("\n", " ¶ ")
    print(
        f"[{k}] {name} {e} SOURCE={src!r} -> {s.name!r} ({s.kind})\n    ...{ctx}【{src}】{text[e[1] : e[1] + 40]!r}\n"
    )
