"""The default thread count follows what the CPUs are doing now, not a minute ago."""

from __future__ import annotations

import os

import pytest

from unspin import settings


def test_busy_cpus_from_two_readings_of_proc_stat() -> None:
    # 2 CPUs, 200 ticks went by, 100 of them idle: one CPU's worth was busy
    assert settings.busy_between((1000, 500), (1200, 600), 2) == pytest.approx(1.0)
    # all idle; all busy; our own 0.05 s of CPU in a 0.1 s window is not the others'
    assert settings.busy_between((0, 0), (200, 200), 2) == pytest.approx(0.0)
    assert settings.busy_between((0, 0), (200, 0), 2) == pytest.approx(2.0)
    assert settings.busy_between((0, 0), (200, 0), 2, own_seconds=0.05) == pytest.approx(1.5)
    assert settings.busy_between((0, 0), (0, 0), 2) is None  # no tick went by


def test_niced_work_leaves_the_cpus_to_us() -> None:
    stat = (
        "cpu  300 500 0 200 0 0 0 0 0 0\n"
        "cpu0 100 400 0 100 0 0 0 0 0 0\n"  # user 100, nice 400, idle 100
        "cpu1 200 100 0 100 0 0 0 0 0 0\n"
        "intr 1 2 3\n"
    )
    assert settings.cpu_ticks(stat, [0], niced_is_free=True) == (600, 500)
    assert settings.cpu_ticks(stat, [0], niced_is_free=False) == (600, 100)
    assert settings.cpu_ticks(stat, [0, 1], niced_is_free=True) == (1000, 700)
    assert settings.cpu_ticks(stat, [0, 2], niced_is_free=True) is None  # no cpu2 line


def test_auto_threads_takes_the_idle_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    cpus = len(os.sched_getaffinity(0))
    monkeypatch.setattr(settings, "busy_cpus", lambda allowed, seconds=0.1: 0.0)
    monkeypatch.setattr(os, "getloadavg", lambda: (9.0, 9.0, 9.0))  # a stale load is ignored
    assert settings.auto_threads() == cpus
    monkeypatch.setattr(settings, "busy_cpus", lambda allowed, seconds=0.1: float(cpus))
    assert settings.auto_threads() == 1
    # without /proc/stat, the load average stands in
    monkeypatch.setattr(settings, "busy_cpus", lambda allowed, seconds=0.1: None)
    assert settings.auto_threads() == 1
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert settings.auto_threads() == cpus


def test_proc_stat_is_read_where_there_is_one() -> None:
    if not os.path.exists("/proc/stat"):
        pytest.skip("no /proc/stat on this system")
    busy = settings.busy_cpus(sorted(os.sched_getaffinity(0)), seconds=0.05)
    assert busy is not None
    assert 0.0 <= busy <= len(os.sched_getaffinity(0))
