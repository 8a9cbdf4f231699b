"""Constants and small helpers shared by the parts of the draw."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction
from typing import Final

from randcheck.errors import ValidationError

ALGORITHM: Final = "randcheck-pareto-pps"
"""The draw's algorithm id: Pareto order sampling, probability proportional to weight."""

DRAW_ALGORITHM_VERSION: Final = 1
"""Version of the draw's algorithm; any change to what it computes gets a new version.

An integer, because it is written as the integer ``"version": 1`` in the frame document, whose
digest the commitment publishes (``docs/algorithm.md`` § 3); the dispatch's version is the text
tag :data:`randcheck.dispatch.DISPATCH_ALGORITHM_VERSION`.
"""

HASH_TAG: Final = "randcheck-draw-v1"
"""First field of every unit's hash input (the algorithm version tag)."""

DRAW_PURPOSE: Final = "draw"
"""Second field of every unit's hash input (the purpose tag)."""

USCC_LENGTH: Final = 18

STRATUM_SEPARATOR: Final = "|"


def fraction_text(value: Fraction) -> str:
    """``value`` as the canonical ``"p/q"`` string (``"1/1"`` for one)."""
    return f"{value.numerator}/{value.denominator}"


def require_aware(name: str, value: object) -> None:
    """Refuse a naive timestamp: the order of publication and seed must be comparable."""
    if value is not None and (not isinstance(value, datetime) or value.utcoffset() is None):
        raise ValidationError(
            field=name, expected="an aware datetime (with a UTC offset) or None", got=value
        )
