"""Selection: Pareto order sampling with SHA-256 numbers, ordered in exact integer arithmetic.

For a unit with USCC ``c`` in stratum ``s`` under seed ``z``:

* its hash number ``h = SHA-256(enc(HASH_TAG, "draw", z, s, c))`` read big-endian, an integer in
  ``[0, 2^256)`` (``enc`` is :func:`randcheck.hashing.encode_fields`);
* its uniform number ``U = (h + 1/2) / 2^256``, strictly inside ``(0, 1)``;
* its Pareto key ``ξ = (U / (1 − U)) / (λ / (1 − λ))`` with ``λ = π`` its target inclusion
  probability (``0 < λ < 1``), i.e. exactly
  ``ξ = (2h + 1)(q − p) / ((2^257 − 2h − 1) p)`` for ``λ = p/q`` in lowest terms.

The stratum's ``n − k`` non-certainty units with the smallest keys are drawn; equal keys are
ordered by USCC. The cut-off is the next key (the ``(n − k + 1)``-th smallest).

No float is involved anywhere. Comparing two keys ``a/b`` and ``c/d`` needs only integers; to
let Python's C sort do it, each key is mapped to ``F = ⌊ξ · 2^E⌋`` with ``E = 2D + 1`` where
every key denominator is below ``2^D``. Two different keys differ by more than ``2^{-2D}``, so
their ``F`` differ by at least 2: ``F`` orders keys exactly, and equal ``F`` means equal keys.

Speed and memory: within one weight class the key grows with ``h``, so a unit can only beat
the current cut-off candidate ``ξ*`` if its digest is at most a per-class threshold computed
exactly from ``ξ*``. Each unit costs one SHA-256 and one comparison of 32-byte strings; only
units under the threshold are converted to integers and kept, and the kept set is pruned back
to ``n − k + 1`` whenever it doubles. Memory beyond the frame is ``O(n)`` per stratum.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from fractions import Fraction
from typing import Final

import attrs

from randcheck.hashing import encode_fields, hash_fields
from randcheck.sampling._allocation import Allocation
from randcheck.sampling._common import USCC_LENGTH, hash_prefix
from randcheck.sampling._frame import FrameStratum, WeightClass

__all__ = [
    "Drawn",
    "StratumSelection",
    "initial_bound",
    "pareto_key",
    "select_stratum",
    "unit_hash",
]

_TWO_256: Final = 1 << 256
_TWO_257: Final = 1 << 257
_ACCEPT_ALL: Final = b"\xff" * 32  # every 32-byte digest is <= this
_ACCEPT_NONE: Final = b""  # no 32-byte digest is <= this
_CHUNK: Final = 1 << 15
_STRIDE: Final = USCC_LENGTH + 3  # a class's codes are joined by '","'

Progress = Callable[[int], None]
"""Called with the number of units just processed."""


def unit_hash(
    seed: str, stratum: str, uscc: str, *, version: int = 1, frame_digest: str = ""
) -> int:
    """The hash number ``h`` of a unit (see the module docstring); for version 2 the digest of
    the frame the commitment publishes is a field of the hash input."""
    return hash_fields(*hash_prefix(version, frame_digest, seed), stratum, uscc)


def pareto_key(h: int, probability: Fraction) -> Fraction:
    """The exact Pareto key of a unit with hash number ``h`` and target probability ``λ``.

    Raises:
        ValueError: ``probability`` is not strictly between 0 and 1.
    """
    if not 0 < probability < 1:
        raise ValueError(f"a Pareto key needs 0 < λ < 1, got {probability}")
    p, q = probability.numerator, probability.denominator
    return Fraction((2 * h + 1) * (q - p), (_TWO_257 - 2 * h - 1) * p)


@attrs.frozen(kw_only=True)
class Drawn:
    """A unit that took part in the order sampling: its hash number and exact key."""

    uscc: str
    weight: Fraction
    probability: Fraction
    hash: int
    key: Fraction


@attrs.frozen(kw_only=True)
class StratumSelection:
    """The outcome of one stratum: certainty units, drawn units and the cut-off unit."""

    allocation: Allocation
    certain: tuple[tuple[str, Fraction], ...]
    drawn: tuple[Drawn, ...]
    cutoff: Drawn | None


def _prefix(fields: tuple[str, ...], stratum: str) -> hashlib._Hash:
    # Every USCC is 18 ASCII characters, so its length field is the same for all units and
    # belongs to the shared prefix: per unit only the 18 code bytes are hashed.
    return hashlib.sha256(encode_fields((*fields, stratum)) + USCC_LENGTH.to_bytes(4, "big"))


def _threshold(kn: int, kd: int, p: int, q: int) -> bytes:
    # Largest h with (2h+1)(q-p) / ((2^257-2h-1) p) <= kn/kd, as 32 big-endian bytes:
    # (2h+1)·A <= B·(2^257 - 2h - 1) with A = (q-p)·kd, B = kn·p, i.e. 2h+1 <= B·2^257/(A+B).
    a = (q - p) * kd
    b = kn * p
    t = (((b << 257) // (a + b)) - 1) // 2
    if t < 0:
        return _ACCEPT_NONE
    return min(t, _TWO_256 - 1).to_bytes(32, "big")


def initial_bound(keep: int) -> Fraction:
    """A first guess ``ξ₀`` at the cut-off key when ``keep = n − k + 1`` keys are wanted.

    ``P(ξ ≤ t) = tλ / (1 − λ + tλ)`` is λ at ``t = 1`` (Pareto keys), so about ``n − k`` keys
    fall below 1; ``ξ₀ = 1 + 5/⌊√keep⌋`` leaves a margin of about five standard deviations.
    Units whose key exceeds ``ξ₀`` are skipped without integer arithmetic; if fewer than
    ``keep`` keys fall below ``ξ₀`` the stratum is scanned again without the bound, so the
    bound never changes the result.
    """
    root = math.isqrt(keep)
    return Fraction(root + 5, root)


def _scan(
    classes: list[WeightClass],
    pq: list[tuple[int, int]],
    base: hashlib._Hash,
    keep: int,
    thresholds: list[bytes],
    progress: Progress | None,
) -> list[tuple[int, bytes, bytes, int]]:
    """The ``keep`` smallest keys under ``thresholds``, sorted, as (order, code, digest, class)."""
    # Every key denominator (2^257 - 2h - 1)·p is below 2^bits.
    bits = 257 + max(p.bit_length() for p, _ in pq)
    shift = 2 * bits + 1
    limit = 2 * keep
    candidates: list[tuple[int, bytes, bytes, int]] = []

    def prune() -> None:
        candidates.sort()
        del candidates[keep:]
        if len(candidates) < keep:
            return
        _, _, digest, index = candidates[-1]
        h = int.from_bytes(digest, "big")
        p, q = pq[index]
        kn = (2 * h + 1) * (q - p)
        kd = (_TWO_257 - 2 * h - 1) * p
        for j, (pj, qj) in enumerate(pq):
            thresholds[j] = min(thresholds[j], _threshold(kn, kd, pj, qj))

    step = _CHUNK * _STRIDE
    for index, weight_class in enumerate(classes):
        p, q = pq[index]
        copy = base.copy
        codes = weight_class.codes
        size = len(codes)
        for chunk in range(0, size, step):
            threshold = thresholds[index]
            # The chunk's codes as byte strings: a C-level split, memory bounded by the chunk.
            for code in codes[chunk : chunk + step - 3].split(b'","'):
                state = copy()
                state.update(code)
                digest = state.digest()
                if digest <= threshold:
                    h = int.from_bytes(digest, "big")
                    order = (((2 * h + 1) * (q - p)) << shift) // ((_TWO_257 - 2 * h - 1) * p)
                    candidates.append((order, code, digest, index))
                    if len(candidates) >= limit:
                        prune()
                        threshold = thresholds[index]
            if progress is not None:
                progress((min(step, size - chunk) + _STRIDE - 1) // _STRIDE)
    prune()
    return candidates


def select_stratum(
    stratum: FrameStratum,
    allocation: Allocation,
    seed: str,
    *,
    progress: Progress | None = None,
    version: int = 1,
    frame_digest: str = "",
) -> StratumSelection:
    """Draw ``stratum``: its certainty units, and its ``n − k`` smallest Pareto keys.

    ``version`` and ``frame_digest`` choose the hash input (:func:`unit_hash`)."""
    certain = tuple(
        (uscc, c.weight)
        for c in stratum.classes
        if allocation.is_certain(c.weight)
        for uscc in c.units
    )
    wanted = allocation.residual_size
    classes = [c for c in stratum.classes if not allocation.is_certain(c.weight)]
    if wanted == 0:
        if progress is not None:
            progress(stratum.population)
        return StratumSelection(allocation=allocation, certain=certain, drawn=(), cutoff=None)
    if progress is not None and certain:
        progress(len(certain))

    lambdas = [allocation.probability(c.weight) for c in classes]
    pq = [(lam.numerator, lam.denominator) for lam in lambdas]
    base = _prefix(hash_prefix(version, frame_digest, seed), stratum.name)
    keep = wanted + 1
    bound = initial_bound(keep)
    first = [_threshold(bound.numerator, bound.denominator, p, q) for p, q in pq]
    candidates = _scan(classes, pq, base, keep, first, progress)
    if len(candidates) < keep:
        # Fewer than n - k + 1 keys under the bound: scan again without it (rare; exact
        # either way, the bound only saves work).
        candidates = _scan(classes, pq, base, keep, [_ACCEPT_ALL] * len(pq), None)

    def drawn(entry: tuple[int, bytes, bytes, int]) -> Drawn:
        _, code, digest, index = entry
        h = int.from_bytes(digest, "big")
        p, q = pq[index]
        return Drawn(
            uscc=code.decode("ascii"),
            weight=classes[index].weight,
            probability=lambdas[index],
            hash=h,
            # pareto_key without its range check: 0 < λ < 1 holds for every class here.
            key=Fraction((2 * h + 1) * (q - p), (_TWO_257 - 2 * h - 1) * p),
        )

    return StratumSelection(
        allocation=allocation,
        certain=certain,
        drawn=tuple(drawn(entry) for entry in candidates[:wanted]),
        cutoff=drawn(candidates[wanted]),
    )
