"""Uncertainty of a rate of spans per 1,000 words.

A count of spans over a number of words is treated as a Poisson count: the 95 % interval of
the count is Byar's approximation to the exact (Garwood) Poisson interval, within about 1 %
of the exact bounds from one span up and 0.6 % at zero, and it is scaled to 1,000 words. It
describes the uncertainty of counting only: articles of one outlet that differ a lot from each
other make the true uncertainty larger than this interval.
"""

from __future__ import annotations

import math

Z95 = 1.959963984540054
METHOD = "95 % Poisson interval on spans over words (Byar's approximation to the exact interval)"


def poisson_interval(count: int, z: float = Z95) -> tuple[float, float]:
    """The interval of the expected count for an observed ``count`` (Byar's approximation)."""
    if count < 0:
        raise ValueError("a count cannot be negative")
    low = 0.0
    if count > 0:
        low = count * (1 - 1 / (9 * count) - z / (3 * math.sqrt(count))) ** 3
    upper = count + 1
    high = upper * (1 - 1 / (9 * upper) + z / (3 * math.sqrt(upper))) ** 3
    return max(low, 0.0), high


def rate_interval(spans: int, words: int) -> tuple[float, float]:
    """The 95 % interval of spans per 1,000 words; ``(0, 0)`` without words."""
    if words <= 0:
        return 0.0, 0.0
    low, high = poisson_interval(spans)
    return 1000 * low / words, 1000 * high / words
