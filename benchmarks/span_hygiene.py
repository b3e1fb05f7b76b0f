"""Span hygiene of a model's spans, with and without ``unspin.model.hygiene``, on held-out articles.

    python benchmarks/span_hygiene.py [--model unspin-small-v1] [--data DIR]
        [--tool ../shared/tools/span_hygiene.py]

Analyses the validation articles named in the model card (the articles its training held
out) twice: with the card's decoding as it ships, and with span hygiene switched on (same
thresholds). Writes both as ``analyze --format json`` JSON Lines, scores SI on them with the
code of ``unspin evaluate``, and runs the span-hygiene tool on each and on the gold spans.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from unspin import Analyzer, Document, settings
from unspin.eval.evaluation import gold_si
from unspin.eval.ptc import PtcCorpus
from unspin.eval.scoring import si_score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=settings.get("model"))
    parser.add_argument("--data", default=str(settings.get_path("ptc_dir")))
    parser.add_argument("--tool", default="../shared/tools/span_hygiene.py")
    args = parser.parse_args()

    corpus = PtcCorpus.load(Path(args.data))
    analyzer = Analyzer.load(args.model, device="cpu")
    val_ids = analyzer.card.held_out()
    gold = gold_si([label for label in corpus.si if label.article_id in set(val_ids)])
    shipped = analyzer.decoding
    with tempfile.TemporaryDirectory() as tmp:
        labels = Path(tmp) / "gold-tc.labels"
        labels.write_text(
            "".join(
                f"{x.article_id}\t{x.technique}\t{x.start}\t{x.end}\n"
                for x in corpus.tc
                if x.article_id in set(val_ids)
            )
        )
        print(f"{args.model}, {len(val_ids)} held-out articles; gold (TC lines):", flush=True)
        subprocess.run([sys.executable, args.tool, "gold", str(Path(args.data) / "train-articles"),
                        str(labels)], check=True)  # fmt: skip
        for name, tidy in (("as shipped", shipped.tidy), ("span hygiene on", True)):
            analyzer.decoding = dataclasses.replace(shipped, tidy=tidy)
            docs = [Document(i, corpus.articles[i], i) for i in val_ids]
            articles = list(analyzer.analyze_many(docs))
            out = Path(tmp) / f"{name}.jsonl"
            out.write_text("".join(json.dumps(a.to_dict()) + "\n" for a in articles))
            pred = {a.id: [(s.start, s.end) for s in a.spans] for a in articles}
            score = si_score(pred, gold)
            print(f"{name}: SI P {score.precision:.4f} R {score.recall:.4f} F1 {score.f1:.4f}")
            subprocess.run([sys.executable, args.tool, "pred", str(out)], check=True)


if __name__ == "__main__":
    main()
