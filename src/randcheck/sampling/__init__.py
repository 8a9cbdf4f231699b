"""The verifiable, weighted, stratified draw of inspection targets (Art. 2, 9, 10, 12).

The pieces, in the order they are used:

* :class:`PlanParameters` — what of the plan the draw depends on, including how the sample is
  divided among strata (:class:`SampleAllocation`: per stratum, or proportional to the
  strata's total weights);
* :func:`build_frame` — eligible enterprises by stratum with their weights, and exclusions with
  their reasons (scope, yearly cap), as a :class:`Frame`;
* :func:`commit` — the :class:`Commitment` to publish before the seed is fixed (the frame's
  digest and counts);
* :func:`draw` — Pareto order sampling with SHA-256 numbers under a public :class:`Seed`,
  giving a :class:`DrawRecord`;
* :func:`verify` and :func:`explain` — re-run a record and say what differs
  (:class:`DrawVerification` of :class:`Difference` values); tell one enterprise why it was or
  was not drawn (:class:`Explanation`, :class:`DrawOutcome`); :func:`frame_differences` names
  the enterprises two frames place differently.

:class:`Frame`, :class:`Commitment` and :class:`DrawRecord` are
:class:`~randcheck.canonical.Record` values: ``to_document()``, ``from_document()`` and
``digest()``. The algorithm's own steps (allocation, hash numbers, keys, selection) are in
:mod:`randcheck.sampling.algorithm`; ``docs/algorithm.md`` specifies every byte and every
rounding so that the draw can be re-implemented elsewhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from randcheck import _deprecation
from randcheck.domain import SampleAllocation
from randcheck.errors import CommitmentMismatch
from randcheck.sampling import algorithm
from randcheck.sampling._common import ALGORITHM, DRAW_ALGORITHM_VERSION, DRAW_ALGORITHM_VERSIONS
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
    build_frame,
    random_checks_in_year,
)
from randcheck.sampling._frame_diff import frame_differences
from randcheck.sampling._probabilities import (
    GradePreferenceCancelledWarning,
    expected_drawn,
    inclusion_probabilities,
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
)
from randcheck.sampling._verify import DrawOutcome, Explanation, explain, verify
from randcheck.verification import Difference, DrawVerification, Verification

__all__ = [
    "ALGORITHM",
    "COMMITMENT_KIND",
    "DRAW_ALGORITHM_VERSION",
    "DRAW_ALGORITHM_VERSIONS",
    "FRAME_KIND",
    "RECORD_KIND",
    "CappedUnit",
    "Commitment",
    "CommitmentMismatch",
    "Difference",
    "DrawOutcome",
    "DrawRecord",
    "DrawVerification",
    "Exclusion",
    "ExclusionReason",
    "Explanation",
    "Frame",
    "FrameStratum",
    "FrameUnit",
    "GradePreferenceCancelledWarning",
    "History",
    "PastInspection",
    "PlanParameters",
    "SampleAllocation",
    "Seed",
    "SelectedUnit",
    "StratumResult",
    "Verification",
    "build_frame",
    "commit",
    "draw",
    "expected_drawn",
    "explain",
    "frame_differences",
    "inclusion_probabilities",
    "random_checks_in_year",
    "verify",
]

# Deprecated names still import, with a warning; type checkers are not shown them.
if not TYPE_CHECKING:
    __getattr__ = _deprecation.module_getattr(
        __name__,
        {
            **{name: f"randcheck.sampling.algorithm.{name}" for name in algorithm.__all__},
            "ALGORITHM_VERSION": "randcheck.sampling.DRAW_ALGORITHM_VERSION",
            "Outcome": "randcheck.sampling.DrawOutcome",
            "VerificationResult": "randcheck.sampling.DrawVerification",
        },
    )
