"""Throughput of ``unspin batch`` on this machine: the local engine by corpus size, Ray by workers.

    python benchmarks/batch_scaling.py [--sizes 100,1000,10000] [--ray-workers 1,2]
        [--ray-size 1000] [--chunk 8] [--seed 0] [--json results.json] [--quick]

Every run gets a fresh SQLite database in a temporary folder. It imports synthetic articles
(``benchmarks/synthetic.py``, seeded) through the same reader as ``unspin import``, starts the
engine (loads the model, or starts Ray and its model replicas), and then times ``run_batch``
alone, as ``unspin batch`` runs it. Import, start-up and analysis are reported separately.
The local engine uses torch's default threads (all cores); each of N Ray workers gets
``cores // N`` CPUs and as many torch threads. On a machine with a GPU, Ray places replicas on
it while the local engine here stays on CPU: this benchmark is meant for CPU machines.

Ray and local runs must store the same results for the same articles: the spans (technique,
offsets, stored confidence) of every Ray article are compared with those of a local run that
analysed the same text. A difference is printed and makes the script exit with status 1.
``--quick`` (50 articles everywhere) checks that everything works in a few minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import torch

# A sibling script: run as `python benchmarks/batch_scaling.py`, its folder is on sys.path.
from synthetic import generate, write_jsonl
from unspin import Document, Failure, settings
from unspin.analyzer import Analyzer
from unspin.corpus.batch import Engine, LocalEngine, RayEngine, run_batch
from unspin.corpus.store import Store
from unspin.corpus.store.queries import CorpusFilter, iter_articles
from unspin.io.records import read_inputs

# What an article's stored result is compared by: its status and its spans.
Stored = tuple[str | None, tuple[tuple[str, int, int, float], ...]]


@dataclass
class Run:
    engine: str
    workers: int
    threads: int  # torch threads per worker
    articles: int
    chars: int
    words: int
    import_s: float
    startup_s: float
    analysis_s: float
    done: int
    failed: int
    spans: int
    spans_per_1000_words: dict[str, float] = field(default_factory=dict)  # by outlet

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.analysis_s

    @property
    def chars_per_s(self) -> float:
        return self.chars / self.analysis_s

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["articles_per_s"] = round(self.articles_per_s, 2)
        data["chars_per_s"] = round(self.chars_per_s)
        return data


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def import_articles(store: Store, path: Path) -> float:
    """Import a JSONL file as ``unspin import`` does; returns the seconds it took."""
    started = time.perf_counter()
    failures: list[Failure] = []

    def articles() -> Iterator[Document]:
        for item in read_inputs([str(path)], max_bytes=settings.get_int("max_bytes")):
            if isinstance(item, Document):
                yield item
            else:
                failures.append(item)

    added = store.add_articles(articles())
    seconds = time.perf_counter() - started
    if failures or added.existing:
        sys.exit(f"import of {path} went wrong: {failures[:3]}, {added.existing} repeated texts")
    return seconds


def stored_results(store: Store, engine: Engine) -> tuple[dict[str, Stored], dict[str, float]]:
    """Each article's result by content hash (read as ``unspin export`` reads it), and spans
    per 1,000 words by outlet."""
    results: dict[str, Stored] = {}
    spans: dict[str, int] = defaultdict(int)
    words: dict[str, int] = defaultdict(int)
    for item in iter_articles(store, CorpusFilter(engine.model)):
        found = item.article.spans if item.article else ()
        results[item.content_hash] = (
            item.status,
            tuple((s.technique, s.start, s.end, s.confidence) for s in found),
        )
        spans[item.outlet or "?"] += len(found)
        words[item.outlet or "?"] += item.words
    rates = {outlet: round(1000 * spans[outlet] / words[outlet], 2) for outlet in sorted(words)}
    return results, rates


def measure(
    data: Path, size: int, workers: int | None, args: argparse.Namespace, folder: Path
) -> tuple[Run, dict[str, Stored]]:
    """One run: fresh database, import, start the engine, analyse; ``workers`` None is local."""
    label = "local" if workers is None else f"ray x{workers}"
    print(f"{label}, {size} articles: importing...", file=sys.stderr, flush=True)
    records = folder / f"articles-{size}.jsonl"
    if not records.exists():
        with data.open(encoding="utf-8") as source, records.open("w", encoding="utf-8") as out:
            for _, line in zip(range(size), source, strict=False):
                out.write(line)
    database = folder / f"run-{label.replace(' ', '')}-{size}.db"
    with Store.open(str(database)) as store:
        import_s = import_articles(store, records)
        started = time.perf_counter()
        engine: Engine
        if workers is None:
            engine = LocalEngine(Analyzer.load(args.model, device="cpu"))
            threads = torch.get_num_threads()
        else:
            threads = max(1, cores() // workers)
            engine = RayEngine(args.model, workers=workers, cpus_per_worker=threads)
        startup_s = time.perf_counter() - started
        print(f"  started in {startup_s:.1f} s; analysing...", file=sys.stderr, flush=True)
        finished = 0
        step = max(1, size // 10)

        def progress(count: int) -> None:
            nonlocal finished
            before, finished = finished, finished + count
            if finished // step > before // step and finished < size:
                print(f"  {finished}/{size}", file=sys.stderr, flush=True)

        try:
            summary = run_batch(store, engine, chunk=args.chunk, progress=progress)
        finally:
            engine.close()
        results, rates = stored_results(store, engine)
    with records.open(encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for line in lines]
    run = Run(
        engine="local" if workers is None else "ray",
        workers=workers or 1,
        threads=threads,
        articles=summary.done + summary.failed,
        chars=sum(len(text) for text in texts),
        words=sum(len(text.split()) for text in texts),
        import_s=round(import_s, 2),
        startup_s=round(startup_s, 2),
        analysis_s=round(summary.seconds, 2),
        done=summary.done,
        failed=summary.failed,
        spans=sum(len(spans) for _, spans in results.values()),
        spans_per_1000_words=rates,
    )
    print(f"  {run.articles_per_s:.2f} articles/s", file=sys.stderr, flush=True)
    return run, results


def compare(local: dict[str, Stored], ray: dict[str, Stored]) -> list[str]:
    """Where the Ray run's stored results differ from the local run's, one line each."""
    problems = []
    for key, result in ray.items():
        expected = local.get(key)
        if expected is None:
            problems.append(f"{key[:12]}: analysed by Ray but not in the local run")
        elif expected != result:
            only_local = sorted(set(expected[1]) - set(result[1]))[:3]
            only_ray = sorted(set(result[1]) - set(expected[1]))[:3]
            problems.append(
                f"{key[:12]}: local {expected[0]} with {len(expected[1])} spans, ray {result[0]} "
                f"with {len(result[1])}; only local {only_local}, only ray {only_ray}"
            )
    return problems


def table(runs: list[Run]) -> str:
    lines = [
        "| engine | workers × threads | articles | chars | analysis s | articles/s | chars/s "
        "| start-up s | import s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        lines.append(
            f"| {r.engine} | {r.workers} × {r.threads} | {r.articles:,} | {r.chars:,} "
            f"| {r.analysis_s:.1f} | **{r.articles_per_s:.2f}** | {r.chars_per_s:,.0f} "
            f"| {r.startup_s:.1f} | {r.import_s:.1f} |"
        )
    return "\n".join(lines)


def _ints(text: str) -> list[int]:
    values = [int(part) for part in text.split(",") if part.strip()]
    if any(value < 1 for value in values):
        raise argparse.ArgumentTypeError(f"{text!r}: give positive whole numbers")
    return values


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes",
        type=_ints,
        default=[100, 1000, 10000],
        help="local-engine corpus sizes, comma-separated ('' for none)",
    )
    parser.add_argument(
        "--ray-workers",
        type=_ints,
        default=[1, 2],
        help="Ray worker counts, comma-separated ('' for no Ray runs)",
    )
    parser.add_argument("--ray-size", type=int, default=1000, help="articles for each Ray run")
    parser.add_argument("--chunk", type=int, default=8, help="as `unspin batch --chunk`")
    parser.add_argument("--seed", type=int, default=0, help="of the synthetic articles")
    parser.add_argument("--model", default=settings.get("model"))
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="50 articles for the local engine and for Ray (a smoke run)",
    )
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.ray_size = [50], 50
    if any(workers > cores() for workers in args.ray_workers):
        # Each worker needs at least one CPU; Ray would wait for CPUs that never come.
        parser.error(f"--ray-workers: at most {cores()} workers on this machine's {cores()} cores")
    sizes = sorted(set(args.sizes))
    # Ray results are checked against a local run over the same articles; the synthetic set
    # of a smaller size is a prefix of a larger one, so any local run at least as large will do.
    if args.ray_workers and not any(size >= args.ray_size for size in sizes):
        sizes.append(args.ray_size)
    largest = max([*sizes, args.ray_size if args.ray_workers else 0])

    runs: list[Run] = []
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="unspin-bench-") as tmp:
        folder = Path(tmp)
        data = folder / "articles.jsonl"
        started = time.perf_counter()
        write_jsonl(generate(largest, args.seed), data)
        generate_s = time.perf_counter() - started
        reference: dict[str, Stored] = {}
        for size in sizes:
            run, results = measure(data, size, None, args, folder)
            runs.append(run)
            if not reference and size >= args.ray_size:
                reference = results
        for workers in args.ray_workers:
            run, results = measure(data, args.ray_size, workers, args, folder)
            runs.append(run)
            found = compare(reference, results)
            problems += [f"ray x{workers}: {line}" for line in found]

    print(table(runs))
    if args.ray_workers:
        if problems:
            print(
                f"\n!!! MISMATCH: Ray and local runs stored different results for "
                f"{len(problems)} article(s):",
                file=sys.stderr,
            )
            for line in problems[:20]:
                print(f"!!! {line}", file=sys.stderr)
        else:
            print(
                f"\nRay and local results identical for all {args.ray_size} articles "
                "(status, spans, offsets and stored confidences)."
            )
    local = [run for run in runs if run.engine == "local"]
    if local:
        print(
            f"\nSpans per 1,000 words by outlet (local, {local[-1].articles} articles): "
            + ", ".join(f"{k} {v}" for k, v in local[-1].spans_per_1000_words.items())
        )
    failed = sum(run.failed for run in runs)
    if failed:
        print(f"!!! {failed} article(s) failed analysis", file=sys.stderr)

    report = {
        "command": " ".join(["python", "benchmarks/batch_scaling.py", *sys.argv[1:]]),
        "date": datetime.now(UTC).date().isoformat(),
        "machine": {
            "cpu": _cpu_name(),
            "cores": cores(),
            "python": platform.python_version(),
            "torch": torch.__version__,
            "ray": _version("ray"),
            "cpu_dtype": settings.get("cpu_dtype"),
        },
        "model": args.model,
        "seed": args.seed,
        "chunk": args.chunk,
        "generate_seconds": round(generate_s, 2),
        "runs": [run.as_json() for run in runs],
        "ray_matches_local": not problems if args.ray_workers else None,
        "mismatches": problems,
    }
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"\nresults written to {args.json}", file=sys.stderr)
    return 1 if problems or failed else 0


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(package: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None


if __name__ == "__main__":
    sys.exit(main())
