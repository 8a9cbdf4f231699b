"""The draw's algorithm, step by step: allocation, hash numbers, keys and selection.

These are the pieces :func:`randcheck.sampling.draw` is built of, each specified in
``docs/algorithm.md``, for tests, benchmarks and anyone re-implementing the draw who wants to
compare intermediate values. Programs that draw, verify or explain need only
:mod:`randcheck.sampling`.

* allocation (§ 4): :func:`round_half_up`, :func:`sample_size`, :func:`allocate` giving an
  :class:`Allocation` (sample size, certainty units, inclusion probabilities);
  :func:`allocate_strata` for every stratum of a frame, dividing the plan's sample by weight
  under ``proportional-to-weight`` (:func:`allocation_scale`, :func:`stratum_quotas`,
  :func:`proportional_sizes`);
* hash numbers (§ 5): :func:`unit_hash` over :func:`hash_prefix` (the version's tag from
  :data:`HASH_TAGS`, :data:`DRAW_PURPOSE`, in version 2 the commitment digest, and the seed),
  the stratum (:func:`stratum_name`) and the code;
* keys (§ 6): :func:`pareto_key`;
* selection (§ 7): :func:`select_stratum` (with :func:`initial_bound`) giving a
  :class:`StratumSelection` of :class:`Drawn` units; :func:`draw_strata` for a whole frame;
* the frame's storage: one :class:`WeightClass` per stratum and weight; :func:`fraction_text`
  writes an exact fraction as ``"p/q"``.
"""

from __future__ import annotations

from randcheck.sampling._allocation import (
    Allocation,
    allocate,
    allocate_strata,
    allocation_scale,
    proportional_sizes,
    round_half_up,
    sample_size,
    stratum_quotas,
)
from randcheck.sampling._common import DRAW_PURPOSE, HASH_TAG, HASH_TAGS, fraction_text, hash_prefix
from randcheck.sampling._frame import WeightClass, stratum_name
from randcheck.sampling._record import draw_strata
from randcheck.sampling._selection import (
    Drawn,
    StratumSelection,
    initial_bound,
    pareto_key,
    select_stratum,
    unit_hash,
)

__all__ = [
    "DRAW_PURPOSE",
    "HASH_TAG",
    "HASH_TAGS",
    "Allocation",
    "Drawn",
    "StratumSelection",
    "WeightClass",
    "allocate",
    "allocate_strata",
    "allocation_scale",
    "draw_strata",
    "fraction_text",
    "hash_prefix",
    "initial_bound",
    "pareto_key",
    "proportional_sizes",
    "round_half_up",
    "sample_size",
    "select_stratum",
    "stratum_name",
    "stratum_quotas",
    "unit_hash",
]
