"""Batch runs: analyse every article in the store that a model has not analysed yet.

The driver reads pending articles from the store in id order, hands chunks of them to an
engine, and saves each chunk's results in one transaction as it comes back. An article is
pending until its result is committed, so a run killed at any point (even with SIGKILL) and
started again analyses exactly the articles that have no result, once each. Engines:

- ``LocalEngine``: the model in this process.
- ``RayEngine``: model replicas as Ray actors on a cluster (a local one by default), GPU
  replicas where the cluster has GPUs; results come back to this process and its store.

On CPU both give the same stored results for the same input: an article's spans depend on its
text alone (see ``Analyzer.load``), not on which articles share its batch or which process ran
it. GPUs batch across articles for speed, which can move confidences in the fourth decimal.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from unspin._article import Article, ModelInfo
from unspin._errors import InputError, UnspinError
from unspin.corpus.store import claims
from unspin.io.documents import Document

if TYPE_CHECKING:
    from unspin.analyzer import Analyzer
    from unspin.corpus.store import Store

Chunk = list[tuple[int, str]]
Results = list[tuple[int, Article | str]]


class Engine(Protocol):
    """Turns chunks of ``(article id, text)`` into ``(article id, Article or failure reason)``.

    Results may come back in any order and chunk by chunk; ``close`` frees the workers.
    """

    model: ModelInfo

    def run(self, chunks: Iterator[Chunk]) -> Iterator[Results]: ...

    def describe(self) -> str:
        """Its workers, for people: ``2 cpu worker(s)``."""
        ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class BatchSummary:
    done: int
    failed: int
    seconds: float

    @property
    def rate(self) -> float:
        total = self.done + self.failed
        return total / self.seconds if self.seconds > 0 else 0.0


def analyze_chunk(analyzer: Analyzer, chunk: Chunk) -> Results:
    """Analyse a chunk; if that fails, each article alone, so one bad article fails alone."""
    documents = [Document(str(i), text, f"article {i}") for i, text in chunk]
    try:
        return [
            (article_id, article)
            for (article_id, _), article in zip(
                chunk, analyzer.analyze_many(documents, chunk=len(documents)), strict=True
            )
        ]
    except Exception:
        if len(chunk) == 1:
            raise
    results: Results = []
    for (article_id, _), document in zip(chunk, documents, strict=True):
        try:
            results.append((article_id, next(analyzer.analyze_many([document]))))
        except UnspinError as error:
            results.append((article_id, error.message))
        except Exception as error:  # recorded with its reason; the run goes on
            results.append((article_id, f"analysis failed: {error!r}"))
    return results


class LocalEngine:
    """The model in this process."""

    def __init__(self, analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        self.model = analyzer.model

    def run(self, chunks: Iterator[Chunk]) -> Iterator[Results]:
        for chunk in chunks:
            yield _guarded(self.analyzer, chunk)

    def describe(self) -> str:
        return "1 local worker"

    def close(self) -> None:
        pass


def _guarded(analyzer: Analyzer, chunk: Chunk) -> Results:
    try:
        return analyze_chunk(analyzer, chunk)
    except UnspinError as error:
        return [(article_id, error.message) for article_id, _ in chunk]
    except Exception as error:
        return [(article_id, f"analysis failed: {error!r}") for article_id, _ in chunk]


class _Replica:
    """A model replica inside a Ray actor (wrapped by ``ray.remote`` in ``RayEngine``)."""

    def __init__(self, model: str, device: str, threads: int) -> None:
        from unspin.analyzer import Analyzer

        self.analyzer = Analyzer.load(model, device=device, threads=threads)

    def model_info(self) -> ModelInfo:
        return self.analyzer.model

    def analyze(self, chunk: Chunk) -> Results:
        return _guarded(self.analyzer, chunk)


class RayEngine:
    """Model replicas as Ray actors; ``address`` None starts a local Ray instance."""

    def __init__(
        self,
        model: str,
        *,
        address: str | None = None,
        workers: int | None = None,
        cpus_per_worker: int | None = None,
    ) -> None:
        import logging

        try:
            import ray
        except ImportError:
            raise UnspinError("the Ray engine needs Ray: pip install 'unspin[ray]'") from None
        self._ray: Any = ray
        self._started = not ray.is_initialized()
        if self._started:
            try:
                ray.init(
                    address=address,
                    include_dashboard=False,
                    log_to_driver=False,
                    logging_level=logging.WARNING,
                    configure_logging=False,
                )
            except ConnectionError as error:
                raise UnspinError(
                    f"cannot connect to the Ray cluster at {address}: {error}"
                ) from None
        resources = self._ray.cluster_resources()
        gpus = int(resources.get("GPU", 0))
        cpus = int(resources.get("CPU", 1))
        if gpus:
            count = workers or gpus
            options: dict[str, Any] = {"num_gpus": 1, "num_cpus": 1}
            device, threads = "cuda", 0
        else:
            # Without a worker count, one single-threaded replica per CPU; with one, the CPUs
            # shared out among the replicas.
            per = cpus_per_worker or (max(1, cpus // workers) if workers else 1)
            count = workers or max(1, cpus // per)
            if count * per > cpus:
                self.close_ray()
                raise InputError(
                    f"{count} workers need {count * per} CPUs and the Ray cluster has "
                    f"{cpus}; ask for fewer workers"
                )
            options = {"num_cpus": per}
            device, threads = "cpu", per
        replica: Any = ray.remote(_Replica)
        self.actors: list[Any] = [
            replica.options(**options).remote(model, device, threads) for _ in range(count)
        ]
        try:
            infos = ray.get([actor.model_info.remote() for actor in self.actors])
        except Exception as error:
            self.close()
            cause = _unspin_error(error)
            message = cause.message if cause else f"{type(error).__name__}: {error}"
            raise UnspinError(f"the Ray workers could not load the model: {message}") from None
        self.model: ModelInfo = infos[0]
        self.workers = count
        self.device = device

    def run(self, chunks: Iterator[Chunk]) -> Iterator[Results]:
        ray = self._ray
        running: dict[Any, Any] = {}

        def submit(actor: Any) -> None:
            chunk = next(chunks, None)
            if chunk is not None:
                running[actor.analyze.remote(chunk)] = actor

        # Two chunks queued per replica, so that none waits while its last results travel
        # back and the next chunk is read from the store.
        for _ in range(2):
            for actor in self.actors:
                submit(actor)
        while running:
            ready, _ = ray.wait(list(running), num_returns=1)
            for ref in ready:
                actor = running.pop(ref)
                submit(actor)
                yield ray.get(ref)

    def describe(self) -> str:
        return f"{self.workers} {self.device} worker(s)"

    def close(self) -> None:
        for actor in self.actors:
            self._ray.kill(actor)
        self.close_ray()

    def close_ray(self) -> None:
        """Stop the local Ray instance if this engine started it."""
        if self._started:
            self._ray.shutdown()


def _unspin_error(error: BaseException, depth: int = 0) -> UnspinError | None:
    """The unspin error inside Ray's wrappers (a task error inside an actor-died error)."""
    if isinstance(error, UnspinError):
        return error
    if depth > 4:
        return None
    inner = [getattr(error, "cause", None), *getattr(error, "args", ())]
    for candidate in inner:
        if isinstance(candidate, BaseException):
            found = _unspin_error(candidate, depth + 1)
            if found is not None:
                return found
    return None


def pending_chunks(
    store: Store,
    model: ModelInfo,
    chunk: int,
    *,
    run: str,
    lease: float,
    retry_failed: bool = False,
    wait: float = 0.5,
) -> Iterator[Chunk]:
    """Pending articles in id order, ``chunk`` at a time, each chunk claimed for ``run``.

    Articles another run has claimed are skipped; when nothing else is left, this waits for
    their results, or for their claims to expire (a run that died), and takes them over.
    """
    after = 0
    while True:
        page = claims.claim(
            store, model, run, after=after, limit=chunk, lease=lease, retry_failed=retry_failed
        )
        if page:
            after = page[-1][0]
            yield page
            continue
        if store.count_pending(model, retry_failed=retry_failed, except_run=run) == 0:
            return
        if after:
            after = 0  # look again from the start: skipped articles may be free now
            continue
        time.sleep(wait)


def run_batch(
    store: Store,
    engine: Engine,
    *,
    chunk: int = 8,
    retry_failed: bool = False,
    progress: Callable[[int], None] | None = None,
    lease: float | None = None,
) -> BatchSummary:
    """Analyse every pending article into the store; ``progress`` gets counts as they finish.

    Runs on one store split the work: each claims the chunks it analyses for ``lease``
    seconds (the ``claim_lease`` setting), renewed as its results come in.
    """
    from unspin import settings

    run = uuid.uuid4().hex
    seconds = lease if lease is not None else float(settings.get_int("claim_lease"))
    started = time.perf_counter()
    done = failed = 0
    chunks = pending_chunks(
        store, engine.model, chunk, run=run, lease=seconds, retry_failed=retry_failed
    )
    try:
        for results in engine.run(chunks):
            store.save_results(engine.model, results)
            claims.renew(store, run, seconds)
            bad = sum(1 for _, result in results if isinstance(result, str))
            failed += bad
            done += len(results) - bad
            if progress is not None:
                progress(len(results))
    finally:
        claims.release(store, run)
    return BatchSummary(done, failed, time.perf_counter() - started)
