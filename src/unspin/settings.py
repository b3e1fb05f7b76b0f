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
    Setting("model", "UNSPIN_MODEL", "unspin-small-v3", "Model used when --model is not given."),
    Setting(
        "attribution",
        "UNSPIN_ATTRIBUTION",
        "unspin-attribution-v2",
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
        "supports it natively, else int8 (fp32 for unspin-base-v1, which int8 does not serve).",
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
        "process may use (os.sched_getaffinity) that other processes leave free, measured "
        "over 0.1 s from /proc/stat (niced background work counts as free; elsewhere the "
        "1-minute load average), at least 1.",
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
    """CPU threads for the model: the CPUs this process may use, less those busy right now.

    ``own``: how much of the load average is this process's own (a running computation
    counts its threads), so that a long run re-checking the load does not see itself.

    On a loaded machine, threads beyond the idle cores make PyTorch's worker threads wait
    on each other at every parallel step (50 articles took 80 s at load 5-7 on 2 cores
    against 12.6 s with one thread). What is busy is measured over a tenth of a second from
    ``/proc/stat`` (other processes' use of this process's CPUs, niced background work
    not counted); where that cannot be read,
    the 1-minute load average stands in. The load average alone lags: a run that ended a
    few seconds ago still counts, and halved the threads of the next ``analyze`` on an idle
    2-core machine (7.6 instead of 13.9 articles/s).
    """
    try:
        allowed = sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        allowed = list(range(os.cpu_count() or 1))
    cpus = len(allowed)
    busy = busy_cpus(allowed)
    if busy is None:
        try:
            busy = max(0.0, os.getloadavg()[0] - own)
        except (AttributeError, OSError):
            busy = 0.0
    return max(1, min(cpus, round(cpus - busy)))


def _cpu_times(cpus: list[int]) -> tuple[float, float] | None:
    """Total and free clock ticks of these CPUs since boot, from ``/proc/stat``."""
    try:
        with open("/proc/stat", encoding="ascii") as handle:
            return cpu_ticks(handle.read(), cpus, niced_is_free=os.nice(0) <= 0)
    except (OSError, ValueError):
        return None


def cpu_ticks(stat: str, cpus: list[int], niced_is_free: bool) -> tuple[float, float] | None:
    """Total and free ticks of ``cpus`` in the text of ``/proc/stat`` (None if one is missing).

    Free is idle and I/O wait and, with ``niced_is_free`` (this process is not niced
    itself), the time of niced processes: background work (``nice``) yields its CPU to a
    process of normal priority, so it leaves the cores to us.
    """
    wanted = {f"cpu{n}" for n in cpus}
    total = free = 0.0
    for line in stat.splitlines():
        fields = line.split()
        if fields and fields[0] in wanted:
            values = [float(x) for x in fields[1:9]]  # user nice system idle iowait .. steal
            total += sum(values)
            free += values[3] + values[4] + (values[1] if niced_is_free else 0.0)
            wanted.discard(fields[0])
    return None if wanted else (total, free)


def busy_cpus(cpus: list[int], seconds: float = 0.1) -> float | None:
    """How many of ``cpus`` other processes keep busy, measured over ``seconds``; None where
    ``/proc/stat`` does not say."""
    import time

    before, own_before = _cpu_times(cpus), time.process_time()
    if before is None:
        return None
    time.sleep(seconds)
    after, own_after = _cpu_times(cpus), time.process_time()
    if after is None:
        return None
    return busy_between(before, after, len(cpus), own_after - own_before, seconds)


def busy_between(
    before: tuple[float, float],
    after: tuple[float, float],
    cpus: int,
    own_seconds: float = 0.0,
    seconds: float = 0.1,
) -> float | None:
    """Busy CPUs from two ``(total, idle)`` tick counts, less this process's own CPU time."""
    total = after[0] - before[0]
    if total <= 0:
        return None
    busy = cpus * (1.0 - (after[1] - before[1]) / total)
    return max(0.0, busy - own_seconds / seconds)
