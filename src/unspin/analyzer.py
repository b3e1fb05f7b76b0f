"""The library's entry point: ``Analyzer.load(name)`` and ``analyzer.analyze(text)``.

The CLI, and later the web app, the store and batch runs, are thin layers over this class.
Heavy imports (torch) happen in ``load``, so ``import unspin`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from unspin import settings
from unspin._article import (
    Article,
    Attribution,
    ModelInfo,
    Span,
    with_headline_marks,
    with_voices,
)
from unspin._errors import InputError, ModelError
from unspin.io import clean
from unspin.io.documents import Document
from unspin.model.calibration import calibrate
from unspin.model.decoding import decode
from unspin.model.registry import ModelSpec, get_spec

if TYPE_CHECKING:
    from unspin.model.encoder import EncoderConfig
    from unspin.model.inference import Encoded, SpanModel
    from unspin.model.loading import ModelCard


def side_by_side(threads: int, technique_work: int, attribution_work: int) -> bool:
    """Whether the two stages should run side by side on CPU, each on half the threads.

    With two stages of similar size (MiniLM both), side by side beats one after the other on
    all threads: small matrices parallelise better across stages than across threads (75
    articles, 2 cores: 6.4-6.6 against 5.8 articles/s). A technique network several times the
    attribution tagger's size (MPNet-base) would wait on half the threads while the tagger's
    half sat idle, so then the stages take turns on all of them. The work of a stage is that
    of its encoder per token (``_work``).
    """
    return threads >= 2 and technique_work <= 2 * attribution_work


def _work(cfg: EncoderConfig) -> int:
    """Multiply-adds per token of an encoder's layers (from its shape: a quantised network
    hides its weights from ``parameters()``)."""
    h = cfg.hidden_size
    return cfg.num_layers * (4 * h * h + 2 * h * cfg.intermediate_size)


class Analyzer:
    """A loaded model that finds persuasion techniques in texts.

    >>> analyzer = Analyzer.load("unspin-small-v3")
    >>> article = analyzer.analyze("They are traitors, all of them.")
    >>> [(article.span_text(s), s.technique) for s in article.spans]  # doctest: +SKIP
    """

    def __init__(
        self,
        spec: ModelSpec,
        card: ModelCard,
        predictor: SpanModel,
        encoder_dir: Path,
        dtype: str,
    ) -> None:
        self.spec = spec
        self.dtype = dtype
        self.encoder_dir = encoder_dir
        self.card = card
        self.predictor = predictor
        self.model = ModelInfo(spec.name, spec.version)
        self.decoding = card.decoding
        self.attributor: Attributor | None = None
        # With the attribution stage on a CPU of several threads, the two stages run side by
        # side, each on half the threads (see ``load``); None runs them one after the other.
        self._side_by_side: ThreadPoolExecutor | None = None

    @classmethod
    def load(
        cls,
        name: str | None = None,
        *,
        device: str = "auto",
        attribution: str | None = None,
        threads: int = 0,
        weights_dir: Path | None = None,
    ) -> Analyzer:
        """Load a registered model (default: the ``model`` setting) for analysis, with the
        attribution stage ``attribution`` (default: the ``attribution`` setting; ``"none"``
        leaves it out, and results then have no voices).

        ``device`` is ``"cpu"``, ``"cuda"`` or ``"auto"`` (a GPU when there is one).
        ``threads`` (CPU threads) 0 means the ``threads`` setting, itself 0 for a count
        chosen from the idle CPUs (``settings.auto_threads``). ``weights_dir`` replaces the
        shipped fine-tuned weights (a training run's ``--out`` folder, to score it). Raises
        ``UnknownModelError`` or ``ModelNotInstalledError`` with the command that fixes it.
        """
        spec = get_spec(name or settings.get("model"))
        stage = attribution or settings.get("attribution")
        if spec.fixture:
            return FixtureAnalyzer(spec, attributions=stage != "none")

        import torch

        from unspin.model.inference import Predictor
        from unspin.model.install import encoder_folder
        from unspin.model.loading import ModelCard, cpu_dtype, load_for_inference, load_tokenizer

        # First: an encoder not installed says how to fix it. A pair's members check theirs.
        encoder_dir = encoder_folder(spec, verify=not spec.members)
        weights = weights_dir or spec.weights_dir
        if weights_dir is None and not (weights / "model.json").is_file():
            raise ModelError(
                f"model {spec.name} has no fine-tuned weights in this version of unspin yet; "
                f"train them with `unspin train -m {spec.name} --out {spec.weights_dir}`"
            )
        threads = threads or settings.threads()
        torch.set_num_threads(threads)
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        card = ModelCard.load(weights)
        predictor: SpanModel
        if spec.members:
            predictor, work, dtype = _pair(spec, card, device, threads)
        else:
            dtype = (
                cpu_dtype(settings.get("cpu_dtype"), int8=spec.int8) if device == "cpu" else "fp16"
            )
            if dtype == "int8" and not spec.int8:
                raise ModelError(
                    f"model {spec.name} loses most of its spans in int8 (BENCHMARKS.md); set "
                    "cpu_dtype to auto, bf16 or fp32 (UNSPIN_CPU_DTYPE)"
                )
            net = load_for_inference(encoder_dir, weights, card, device, dtype)
            work = _work(net.encoder.cfg)
            predictor = Predictor(
                net,
                load_tokenizer(encoder_dir),
                card.techniques,
                max_tokens=card.max_tokens,
                batch_size=32 if device == "cpu" else 256,
                device=device,
                # On CPU a batch never mixes articles, so an article's result depends on its
                # text alone, whichever articles it is analysed with: int8 scales activations
                # per batch, and bf16 kernels round differently for other batch shapes (seen:
                # 0.6066 vs 0.6045). Batch runs, the web app and `analyze` then store the same
                # numbers; on 40 PTC articles the cost in speed was within the noise. A GPU
                # needs big batches to be fast, so there windows of many articles share a
                # batch.
                per_article=device == "cpu",
            )
        analyzer = cls(spec, card, predictor, encoder_dir, dtype)
        if stage != "none":
            from unspin.attribution import AttributionModel

            attributor = AttributionModel.load(stage)
            analyzer.attributor = attributor
            if device == "cpu" and side_by_side(threads, work, _work(attributor.net.encoder.cfg)):
                torch.set_num_threads(threads // 2)
                analyzer._side_by_side = ThreadPoolExecutor(1, "unspin-attribution")
            else:
                torch.set_num_threads(threads)
        return analyzer

    def analyze(self, text: str, *, id: str = "text", source: str = "<text>") -> Article:
        """Find the techniques in one text."""
        return next(self.analyze_many([Document(id, text, source)]))

    def analyze_many(
        self,
        texts: Iterable[Document | str],
        *,
        chunk: int = 32,
        progress: Callable[[int], None] | None = None,
    ) -> Iterator[Article]:
        """Analyse many texts, batching across them; yields articles in input order.

        Each text is a ``Document`` or a plain string (whose article id is its position,
        from 1). ``progress`` is called with the number of texts finished after every chunk.
        """
        pending: list[Document] = []
        for number, given in enumerate(texts, start=1):
            item = _as_document(given, number)
            if not item.text.strip():
                raise InputError(f"{item.source}: the text is empty")
            pending.append(item)
            if len(pending) == chunk:
                yield from self._run(pending, progress)
                pending = []
        if pending:
            yield from self._run(pending, progress)

    def _run(
        self, items: Sequence[Document], progress: Callable[[int], None] | None
    ) -> Iterator[Article]:
        texts = [i.text for i in items]
        found: list[list[Attribution]] | None
        if self.attributor is not None and self._side_by_side is not None:
            pending = self._side_by_side.submit(self.attributor.attribute_many, texts)
            detected = self._detect(texts)
            found = pending.result()
        else:
            found = self.attributor.attribute_many(texts) if self.attributor else None
            detected = self._detect(texts)
        for n, (item, spans) in enumerate(zip(items, detected, strict=True)):
            article = Article(
                id=item.id if item.id is not None else "text",
                text=item.text,
                spans=spans,
                model=self.model,
                source=item.source,
            )
            article = with_headline_marks(article, item.meta.title)
            yield article if found is None else with_voices(article, tuple(found[n]))
        if progress is not None:
            progress(len(items))

    def _detect(self, texts: list[str]) -> list[tuple[Span, ...]]:
        """The spans of each text: the network, windows, decoding and technique labels."""
        return [self._spans(enc) for enc in self.predictor.encode(texts)]

    def _spans(self, enc: Encoded) -> tuple[Span, ...]:
        raw = decode(enc, self.decoding)
        probs = self.predictor.classify(enc, [(s.start, s.end) for s in raw])
        spans = []
        platt = self.card.calibration
        for s, p in zip(raw, probs, strict=True):
            best = int(p.argmax())
            confidence = s.confidence * float(p[best])
            if platt is not None:  # models from 0.3 on; older ones keep their confidences
                confidence = calibrate(confidence, platt)
            spans.append(Span(s.start, s.end, self.predictor.techniques[best], confidence))
        return tuple(sorted(spans, key=lambda s: (s.start, s.end, s.technique)))


def _pair(
    spec: ModelSpec, card: ModelCard, device: str, threads: int
) -> tuple[SpanModel, int, str]:
    """A pair's predictor (``unspin.model.pair``) from its two members, loaded as themselves,
    with the work per token of both encoders and the members' number formats (``int8+fp32``
    where they differ: base-v1 never runs in int8)."""
    from unspin.model.inference import Predictor
    from unspin.model.pair import PairPredictor

    names = tuple(m.get("model") for m in card.members)
    if names != spec.members:
        raise ModelError(f"the card of {spec.name} names the models {names}, not {spec.members}")
    first, second = (
        Analyzer.load(name, device=device, attribution="none", threads=threads)
        for name in spec.members
    )
    assert isinstance(first.predictor, Predictor) and isinstance(second.predictor, Predictor)
    mix = card.members[0]
    predictor = PairPredictor(
        first.predictor, second.predictor, si_weight=mix["si_weight"], tc_weight=mix["tc_weight"]
    )
    work = _work(first.predictor.net.encoder.cfg) + _work(second.predictor.net.encoder.cfg)
    dtype = first.dtype if first.dtype == second.dtype else f"{first.dtype}+{second.dtype}"
    return predictor, work, dtype


class FixtureAnalyzer(Analyzer):
    """``unspin-fixture-v1``: the ``Analyzer`` interface over a fixed word list, no network
    (``unspin.model.fixture``), so that tests of the store, batch runs and the web app need no
    encoder. Loaded by name like any model: ``Analyzer.load("unspin-fixture-v1")``."""

    def __init__(self, spec: ModelSpec, *, attributions: bool = True) -> None:
        # No card, predictor or encoder.
        self.spec = spec
        self.dtype = "none"
        self.model = ModelInfo(spec.name, spec.version)
        self.attributor = _FixtureAttributor() if attributions else None
        self._side_by_side = None

    def _detect(self, texts: list[str]) -> list[tuple[Span, ...]]:
        from unspin.model.fixture import detect

        return [detect(text) for text in texts]


class Attributor(Protocol):
    """The attribution stage: who says what in each text."""

    def attribute_many(self, texts: Iterable[str]) -> list[list[Attribution]]: ...


class _FixtureAttributor:
    def attribute_many(self, texts: Iterable[str]) -> list[list[Attribution]]:
        from unspin.model.fixture import attribute

        return [attribute(text) for text in texts]


def _as_document(given: Document | str, number: int) -> Document:
    # A lone surrogate (a JSON "\ud800") would stop the tokenizer; each becomes U+FFFD, so
    # every offset stays valid. Nothing else changes: a file's text is analysed as it is.
    if isinstance(given, Document):
        repaired = clean.valid_unicode(given.text)
        return given if repaired == given.text else replace(given, text=repaired)
    if isinstance(given, str):
        return Document(str(number), clean.valid_unicode(given), f"<text {number}>")
    raise InputError(f"text {number}: expected a str or a Document, got {type(given).__name__}")
