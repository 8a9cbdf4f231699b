"""The verifiable, weighted, stratified draw of inspection targets (Art. 2, 9, 10, 12).

The pieces, in the order they are used:

* :func:`build_frame` — eligible enterprises by stratum with their weights, and exclusions with
  their reasons (scope, yearly cap);
* :func:`commit` — the frame's digest, published before the seed is fixed;
* :func:`draw` — Pareto order sampling with SHA-256 numbers under a public :class:`Seed`,
  giving a :class:`DrawRecord`;
* :func:`verify` and :func:`explain` — re-run a record and say what differs; tell one
  enterprise why it was or was not drawn.

``docs/algorithm.md`` specifies every byte and every rounding so that the draw can be
re-implemented elsewhere.
"""

from __future__ import annotations

from randcheck.sampling._allocation import Allocation, allocate, round_half_up, sample_size
from randcheck.sampling._common import (
    ALGORITHM,
    ALGORITHM_VERSION,
    DRAW_PURPOSE,
    HASH_TAG,
    fraction_text,
)
from randcheck.sampling._frame import (
    FRAME_KIND,
    CappedUnit,
    Exclusion,
    ExclusionReason,
    Frame,
    FrameStratum,
    FrameUnit,
    History,
    PastInspection,
    PlanParameters,
    WeightClass,
    build_frame,
    random_checks_in_year,
    stratum_name,
)
from randcheck.sampling._record import (
    COMMITMENT_KIND,
    RECORD_KIND,
    Commitment,
    DrawRecord,
    Seed,
    SelectedUnit,
    StratumResult,
    commit,
    draw,
    draw_strata,
)
from randcheck.sampling._selection import (
    Drawn,
    StratumSelection,
    initial_bound,
    pareto_key,
    select_stratum,
    unit_hash,
)
from randcheck.sampling._verify import (
    Difference,
    Explanation,
    Outcome,
    VerificationResult,
    explain,
    verify,
)

__all__ = [
    "ALGORITHM",
    "ALGORITHM_VERSION",
    "COMMITMENT_KIND",
    "DRAW_PURPOSE",
    "FRAME_KIND",
    "HASH_TAG",
    "RECORD_KIND",
    "Allocation",
    "CappedUnit",
    "Commitment",
    "Difference",
    "DrawRecord",
    "Drawn",
    "Exclusion",
    "ExclusionReason",
    "Explanation",
    "Frame",
    "FrameStratum",
    "FrameUnit",
    "History",
    "Outcome",
    "PastInspection",
    "PlanParameters",
    "Seed",
    "SelectedUnit",
    "StratumResult",
    "StratumSelection",
    "VerificationResult",
    "WeightClass",
    "allocate",
    "build_frame",
    "commit",
    "draw",
    "draw_strata",
    "explain",
    "fraction_text",
    "initial_bound",
    "pareto_key",
    "random_checks_in_year",
    "round_half_up",
    "sample_size",
    "select_stratum",
    "stratum_name",
    "unit_hash",
    "verify",
]
