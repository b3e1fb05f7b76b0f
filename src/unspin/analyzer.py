"""The library's entry point: ``Analyzer.load(name)`` and ``analyzer.analyze(text)``.

The CLI, and later the web app, the store and batch runs, are thin layers over this class.
Heavy imports (torch) happen in ``load``, so ``import unspin`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from unspin import settings
from unspin._article import Article, ModelInfo, Span
from unspin._errors import InputError, ModelError
from unspin.decoding import decode
from unspin.inputs import Document
from unspin.registry import ModelSpec, get_spec

if TYPE_CHECKING:
    from unspin.inference import Encoded, Predictor
    from unspin.loading import ModelCard


class Analyzer:
    """A loaded model that finds persuasion techniques in texts.

    >>> analyzer = Analyzer.load("unspin-small-v1")
    >>> article = analyzer.analyze("They are traitors, all of them.")
    >>> [(article.span_text(s), s.technique) for s in article.spans]  # doctest: +SKIP
    """

    def __init__(
        self,
        spec: ModelSpec,
        card: ModelCard,
        predictor: Predictor,
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

    @classmethod
    def load(cls, name: str | None = None, *, device: str = "auto", threads: int = 0) -> Analyzer:
        """Load a registered model (default: the ``model`` setting) for analysis.

        ``device`` is ``"cpu"``, ``"cuda"`` or ``"auto"`` (a GPU when there is one).
        ``threads`` (CPU threads) 0 means the ``threads`` setting, itself 0 for a count
        chosen from the idle CPUs (``settings.auto_threads``). Raises
        ``UnknownModelError`` or ``ModelNotInstalledError`` with the command that fixes it.
        """
        import torch

        from unspin.inference import Predictor
        from unspin.install import encoder_folder
        from unspin.loading import ModelCard, cpu_dtype, load_for_inference, load_tokenizer

        spec = get_spec(name or settings.get("model"))
        if not (spec.weights_dir / "model.json").is_file():
            raise ModelError(
                f"model {spec.name} has no fine-tuned weights in this version of unspin yet; "
                f"train them with `unspin train -m {spec.name} --out {spec.weights_dir}`"
            )
        torch.set_num_threads(threads or settings.threads())
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        encoder_dir = encoder_folder(spec)
        card = ModelCard.load(spec.weights_dir)
        dtype = cpu_dtype(settings.get("cpu_dtype")) if device == "cpu" else "fp16"
        net = load_for_inference(encoder_dir, spec.weights_dir, card, device, dtype)
        batch_size = 32 if device == "cpu" else 256
        predictor = Predictor(
            net,
            load_tokenizer(encoder_dir),
            card.techniques,
            max_tokens=card.max_tokens,
            batch_size=batch_size,
            device=device,
            # On CPU a batch never mixes articles, so an article's result depends on its text
            # alone, whichever articles it is analysed with: int8 scales activations per batch,
            # and bf16 kernels round differently for other batch shapes (seen: 0.6066 vs
            # 0.6045). Batch runs, the web app and `analyze` then store the same numbers; on 40
            # PTC articles the cost in speed was within the noise. A GPU needs big batches to
            # be fast, so there windows of many articles share a batch.
            per_article=device == "cpu",
        )
        return cls(spec, card, predictor, encoder_dir, dtype)

    def analyze(self, text: str, *, id: str = "text", source: str = "<text>") -> Article:
        """Find the techniques in one text."""
        return next(self.analyze_many([Document(id, text, source)]))

    def analyze_many(
        self,
        texts: Iterable[Document],
        *,
        chunk: int = 32,
        progress: Callable[[int], None] | None = None,
    ) -> Iterator[Article]:
        """Analyse many texts, batching across them; yields articles in input order.

        ``progress`` is called with the number of texts finished after every chunk.
        """
        pending: list[Document] = []
        for item in texts:
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
        encoded = self.predictor.encode([item.text for item in items])
        for item, enc in zip(items, encoded, strict=True):
            yield Article(
                id=item.id,
                text=item.text,
                spans=self._spans(enc),
                model=self.model,
                source=item.source,
            )
        if progress is not None:
            progress(len(items))

    def _spans(self, enc: Encoded) -> tuple[Span, ...]:
        raw = decode(enc, self.decoding)
        probs = self.predictor.classify(enc, [(s.start, s.end) for s in raw])
        spans = []
        for s, p in zip(raw, probs, strict=True):
            best = int(p.argmax())
            spans.append(
                Span(s.start, s.end, self.predictor.techniques[best], s.confidence * float(p[best]))
            )
        return tuple(sorted(spans, key=lambda s: (s.start, s.end, s.technique)))
