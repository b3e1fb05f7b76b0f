"""Uncertainty of a rate of spans per 1,000 words.

A count of spans over a number of words is treated as a Poisson count, and its 95 % interval
is the exact (Garwood) interval: the expected counts for which the observed count is not in
either 2.5 % tail, found from the regularized incomplete gamma function (from 100 spans up,
Byar's approximation, within 0.003 % of it). It is scaled to 1,000 words. It describes the
uncertainty of counting only: when the articles of one outlet differ a lot from each other,
the true uncertainty is larger than this interval.
"""

from __future__ import annotations

import math
from functools import lru_cache

METHOD = "exact 95 % Poisson interval on spans over words"
_ALPHA = 0.05
_LARGE = 100  # from here Byar's approximation is within 0.003 % of the exact bounds
_Z95 = 1.959963984540054


def gamma_p(a: float, x: float) -> float:
    """The regularized lower incomplete gamma function P(a, x), for a > 0 and x >= 0 (a
    series below a + 1, a continued fraction above, as in Numerical Recipes)."""
    if x <= 0:
        return 0.0
    log_front = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1:
        term = total = 1.0 / a
        n = a
        for _ in range(10_000):
            n += 1
            term *= x / n
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return min(1.0, total * math.exp(log_front))
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        step = d * c
        h *= step
        if abs(step - 1) < 1e-15:
            break
    return max(0.0, 1.0 - math.exp(log_front) * h)


def _solve(a: float, target: float, high: float) -> float:
    """The x with P(a, x) = target (P rises with x), by bisection."""
    low = 0.0
    while gamma_p(a, high) < target:
        high *= 2
    for _ in range(200):
        middle = (low + high) / 2
        if gamma_p(a, middle) < target:
            low = middle
        else:
            high = middle
        if high - low <= 1e-10 * max(1.0, high):
            break
    return (low + high) / 2


@lru_cache(maxsize=4096)
def poisson_interval(count: int) -> tuple[float, float]:
    """The exact 95 % interval of the expected count for an observed ``count``."""
    if count < 0:
        raise ValueError("a count cannot be negative")
    if count >= _LARGE:
        return _byar(count)
    # P(X >= k | m) = P(k, m) and P(X <= k | m) = 1 - P(k + 1, m) for a Poisson X.
    low = 0.0 if count == 0 else _solve(count, _ALPHA / 2, count + 1.0)
    high = _solve(count + 1, 1 - _ALPHA / 2, count + 10.0)
    return low, high


def _byar(count: int) -> tuple[float, float]:
    low = count * (1 - 1 / (9 * count) - _Z95 / (3 * math.sqrt(count))) ** 3
    upper = count + 1
    return low, upper * (1 - 1 / (9 * upper) + _Z95 / (3 * math.sqrt(upper))) ** 3


def rate_interval(spans: int, words: int) -> tuple[float, float]:
    """The 95 % interval of spans per 1,000 words; ``(0, 0)`` without words."""
    if words <= 0:
        return 0.0, 0.0
    low, high = poisson_interval(spans)
    return 1000 * low / words, 1000 * high / words
