"""Settings: one table of (name, environment variable, default, help).

The same table drives the CLI help, ``unspin settings`` and the README's settings section; a
test checks that every setting is documented there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("model", "UNSPIN_MODEL", "unspin-small-v1", "Model used when --model is not given."),
    Setting(
        "attribution",
        "UNSPIN_ATTRIBUTION",
        "unspin-attribution-v1",
        "Attribution model that finds who says what, and so each span's voice (the author's or "
        "quoted); none turns the stage off.",
    ),
    Setting(
        "ptc_dir",
        "UNSPIN_PTC_DIR",
        "../shared/data/ptc",
        "Folder of the PTC train split, used by `unspin train` and corpus checks.",
    ),
    Setting(
        "max_bytes",
        "UNSPIN_MAX_BYTES",
        "1000000",
        "Largest input file, record or web request text accepted, in bytes; larger ones are "
        "refused with an error.",
    ),
    Setting(
        "cpu_dtype",
        "UNSPIN_CPU_DTYPE",
        "auto",
        "Number format on CPU: bf16, int8 or fp32; auto picks bf16 where the processor "
        "supports it natively, else int8.",
    ),
    Setting(
        "db",
        "UNSPIN_DB",
        "",
        "Results database for import, batch, export and serve: a SQLite file path or a "
        "postgresql:// URL; empty means ~/.local/share/unspin/unspin.db.",
    ),
    Setting(
        "claim_lease",
        "UNSPIN_CLAIM_LEASE",
        "120",
        "Seconds a batch run holds the articles it is analysing (renewed as results come in); "
        "a run that dies leaves them to the next run after this long.",
    ),
    Setting(
        "threads",
        "UNSPIN_THREADS",
        "0",
        "CPU threads for the model; 0 picks them when the model loads: one per CPU this "
        "process may use (os.sched_getaffinity) that the 1-minute load average leaves idle, "
        "at least 1.",
    ),
    Setting(
        "min_articles",
        "UNSPIN_MIN_ARTICLES",
        "5",
        "Fewest matching articles an outlet needs to be ranked on the dashboard (the page can "
        "change it); outlets with fewer are still found by the outlet search.",
    ),
    Setting(
        "top_outlets",
        "UNSPIN_TOP_OUTLETS",
        "20",
        "Outlets shown per page of the dashboard's ranking and of an outlet search.",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    """The setting's value: its environment variable if set and non-empty, else its default."""
    setting = _BY_NAME[name]
    return os.environ.get(setting.env) or setting.default


def get_int(name: str) -> int:
    value = get(name)
    try:
        return int(value)
    except ValueError:
        from unspin._errors import InputError

        raise InputError(f"{_BY_NAME[name].env}={value!r} is not a whole number") from None


def get_path(name: str) -> Path:
    return Path(get(name)).expanduser()


def threads() -> int:
    """The ``threads`` setting, with 0 resolved by ``auto_threads``."""
    return get_int("threads") or auto_threads()


def auto_threads(own: float = 0.0) -> int:
    """CPU threads for the model: the CPUs this process may use, less those already busy.

    ``own``: how much of the load average is this process's own (a running computation
    counts its threads), so that a long run re-checking the load does not see itself.

    On a loaded machine, threads beyond the idle cores make PyTorch's worker threads wait
    on each other at every parallel step (50 articles took 80 s at load 5-7 on 2 cores
    against 12.6 s with one thread), so the 1-minute load average is subtracted.
    """
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cpus = os.cpu_count() or 1
    try:
        load = max(0.0, os.getloadavg()[0] - own)
    except (AttributeError, OSError):
        load = 0.0
    return max(1, min(cpus, round(cpus - load)))
