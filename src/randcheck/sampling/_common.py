"""Constants and small helpers shared by the parts of the draw."""

from __future__ import annotations

import os
from datetime import datetime
from fractions import Fraction
from typing import Any, Final

from randcheck.errors import ValidationError

ALGORITHM: Final = "randcheck-pareto-pps"
"""The draw's algorithm id: Pareto order sampling, probability proportional to weight."""

DRAW_ALGORITHM_VERSION: Final = 2
"""Version of the draw's algorithm that new frames get; any change to what it computes gets a
new version.

An integer, because it is written as the integer ``"version": 2`` in the frame document, whose
digest the commitment publishes (``docs/algorithm.md`` § 3); the dispatch's version is the text
tag :data:`randcheck.dispatch.DISPATCH_ALGORITHM_VERSION`. Version 2 binds each unit's hash
number to the commitment it is drawn under (§ 5); version 1 records stay verifiable.
"""

DRAW_ALGORITHM_VERSIONS: Final = (1, 2)
"""Every version a frame, commitment or draw record may carry; each is drawn and verified by
the rules of its own version."""

HASH_TAG: Final = "randcheck-draw-v1"
"""First field of every unit's hash input in version 1 (the algorithm version tag)."""

HASH_TAGS: Final = {1: HASH_TAG, 2: "randcheck-draw-v2"}
"""The version tag of each version: the first field of every unit's hash input."""

DRAW_PURPOSE: Final = "draw"
"""Second field of every unit's hash input (the purpose tag)."""

USCC_LENGTH: Final = 18


def hash_prefix(version: int, frame_digest: str, seed: str) -> tuple[str, ...]:
    """The fields of a unit's hash input before the stratum and the code (``docs/algorithm.md``
    § 5): version 1 ``(tag, "draw", seed)``; version 2 ``(tag, "draw", frame digest, seed)``,
    so that one seed text gives independent numbers under different commitments (rounds,
    plans, frames)."""
    if version == 1:
        return (HASH_TAGS[1], DRAW_PURPOSE, seed)
    return (HASH_TAGS[version], DRAW_PURPOSE, frame_digest, seed)


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


def _described(value: object) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 60 else text[:57] + '...'}"


def require_argument(
    function: str,
    name: str,
    value: object,
    expected: type[Any] | tuple[type[Any], ...],
    what: str,
    hint: str = "",
) -> None:
    """Refuse an argument of a public function that is not of the ``expected`` type, before
    it fails deep inside as an ``AttributeError`` naming some attribute of it.

    Raises:
        TypeError: naming ``function``, the argument ``name``, what it expects (``what``) and
            the type and value that came, with ``hint`` (how to get the right value) if given.
    """
    if not isinstance(value, expected):
        raise TypeError(
            f"{function}(): {name} must be {what}, got {_described(value)}"
            + (f" ({hint})" if hint else "")
        )


def refuse_path(function: str, name: str, value: object, what: str, hint: str) -> None:
    """Refuse a path (or a string) given where an iterable of values is expected: iterating it
    would go character by character and fail far from here.

    Raises:
        TypeError: as :func:`require_argument`.
    """
    if isinstance(value, (str, bytes, os.PathLike)):
        raise TypeError(f"{function}(): {name} must be {what}, got {_described(value)} ({hint})")
