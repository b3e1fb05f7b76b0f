"""Print a seeded sample of PolNeAR dev attributions whose gold source is a pronoun or a role
noun, with the speaker the rules give and the text before it, for checking by hand.

    python benchmarks/attribution_speaker_sample.py [POLNEAR_DIR] --seed 11 --count 110 > s.txt

The sample of --count items (default 120) is drawn with --seed (default 7, the sample first
checked) from all such sources (456 on dev); use a new seed for a fresh, unbiased sample. The
output holds corpus text, so keep it out of the repository.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

from unspin.attribution.speakers import _ORG_WORDS, _ROLE_NOUNS, proper_name, resolve_speakers
from unspin.eval.polnear import load_polnear

PRONOUNS = {"he", "she", "they", "we", "i", "it", "him", "her"}
DETERMINERS = ("the", "his", "her", "their", "its", "our")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("polnear_dir", nargs="?", default="../shared/data/polnear")
    parser.add_argument("--seed", type=int, default=7, help="sampling seed (default 7)")
    parser.add_argument("--count", type=int, default=120, help="items to draw (default 120)")
    args = parser.parse_args()
    root = Path(args.polnear_dir) / "dev"
    articles = load_polnear(root / "text", root / "attributions", Counter())
    items = []
    for a in articles:
        sources = [g.extent("source") for g in a.attributions]
        for extent, speaker in zip(sources, resolve_speakers(a.text, sources), strict=True):
            if extent is None:
                continue
            src = a.text[extent[0] : extent[1]]
            low = src.lower().strip()
            if proper_name(src) is not None:
                continue
            role = _ROLE_NOUNS.search(low) or _ORG_WORDS.search(low)
            if low in PRONOUNS or (role and low.split()[0] in DETERMINERS):
                items.append((a.name, extent, src, speaker, a.text))
    print(len(items), file=sys.stderr)
    rng = random.Random(args.seed)
    for k in sorted(rng.sample(range(len(items)), min(args.count, len(items)))):
        name, (start, end), src, speaker, text = items[k]
        before = text[max(0, start - 350) : start].replace("\n", " ¶ ")
        print(f"[{k}] {name} ({start}, {end}) SOURCE={src!r} -> {speaker.name!r} ({speaker.kind})")
        print(f"    ...{before}【{src}】{text[end : end + 40]!r}\n")


if __name__ == "__main__":
    main()
