"""The second random: dispatching inspection teams with recusal, verifiably (Art. 10-11).

For each drawn enterprise, one team (for all its items: one visit, Art. 11) of qualified
inspectors with no conflict of interest with it (R-RECUSAL), of the plan's size and at least
the profile's minimum, with a share of members from other districts within the plan's bounds
(R-CROSS-DISTRICT), no inspector above the round's load cap and, if the plan asks, no two
members from one section. Teams are drawn with SHA-256 from a public seed, so anyone can
re-run the dispatch (:func:`verify`); a lawful dispatch is found whenever one exists, and
otherwise :class:`~randcheck.errors.InfeasibleDispatch` names the enterprises that block it
and why. The algorithm is specified in ``docs/dispatch.md``.
"""

from __future__ import annotations

from .eligibility import (
    conflicts_digest,
    directory_digest,
    missing_record_fields,
    qualification_problem,
    recusal_grounds,
)
from .engine import DrawLike, dispatch, outside_range, team_size
from .record import (
    ALGORITHM_VERSION,
    DOCUMENT_KIND,
    DispatchRecord,
    DispatchVerification,
    LoadCapSource,
    Recusal,
    Replacement,
    ReplacementScope,
    Team,
    mask_inspector_key,
)
from .replacement import replace
from .summary import DispatchSummary, format_fraction, summarize
from .verification import verify

__all__ = [
    "ALGORITHM_VERSION",
    "DOCUMENT_KIND",
    "DispatchRecord",
    "DispatchSummary",
    "DispatchVerification",
    "DrawLike",
    "LoadCapSource",
    "Recusal",
    "Replacement",
    "ReplacementScope",
    "Team",
    "conflicts_digest",
    "directory_digest",
    "dispatch",
    "format_fraction",
    "mask_inspector_key",
    "missing_record_fields",
    "outside_range",
    "qualification_problem",
    "recusal_grounds",
    "replace",
    "summarize",
    "team_size",
    "verify",
]
