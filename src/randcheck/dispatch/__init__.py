"""The second random: dispatching inspection teams with recusal, verifiably (Art. 10-11).

For each drawn enterprise, one team (for all its items: one visit, Art. 11) of qualified
inspectors with no conflict of interest with it (R-RECUSAL), of the plan's size and at least
the profile's minimum, with a share of members from other districts within the plan's bounds
(R-CROSS-DISTRICT), no inspector above the round's load cap and, if the plan asks, no two
members from one section. Teams are drawn with SHA-256 from a public seed, so anyone can
re-run the dispatch (:func:`verify`, giving a :class:`Verification`); a lawful dispatch is found
whenever one exists, and otherwise :class:`~randcheck.errors.InfeasibleDispatch` names the
enterprises that block it and why. An inspector who must step aside later is replaced with
:func:`replace_member`, which appends to the record. The :class:`DispatchRecord` is a
:class:`~randcheck.canonical.Record`. The algorithm is specified in ``docs/dispatch.md``; its
steps are in :mod:`randcheck.dispatch.engine` (team size, cross-district range, the SHA-256
streams) and :mod:`randcheck.dispatch.eligibility` (who may serve on which team).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from randcheck import _deprecation
from randcheck.errors import InfeasibleDispatch
from randcheck.verification import Difference, Verification

from .eligibility import (
    conflicts_digest,
    directory_digest,
    missing_record_fields,
    qualification_problem,
    recusal_grounds,
)
from .engine import DrawLike, dispatch
from .pool import (
    POOL_DISPATCH_VERSION,
    POOL_KIND,
    SALT_KIND,
    PoolCommitment,
    PoolInspector,
    PoolSalt,
    RecusalPair,
    SaltedPair,
    commit_pool,
    dispatch_from_pool,
    replace_from_pool,
    salt_pool,
    verify_from_pool,
)
from .record import (
    DISPATCH_ALGORITHM_VERSION,
    DOCUMENT_KIND,
    DispatchRecord,
    LoadCapSource,
    Recusal,
    Replacement,
    ReplacementCategory,
    ReplacementScope,
    Team,
)
from .replacement import replace_member
from .summary import DispatchSummary, summarize
from .verification import verify

__all__ = [
    "DISPATCH_ALGORITHM_VERSION",
    "DOCUMENT_KIND",
    "POOL_DISPATCH_VERSION",
    "POOL_KIND",
    "SALT_KIND",
    "Difference",
    "DispatchRecord",
    "DispatchSummary",
    "DrawLike",
    "InfeasibleDispatch",
    "LoadCapSource",
    "PoolCommitment",
    "PoolInspector",
    "PoolSalt",
    "Recusal",
    "RecusalPair",
    "Replacement",
    "ReplacementCategory",
    "ReplacementScope",
    "SaltedPair",
    "Team",
    "Verification",
    "commit_pool",
    "conflicts_digest",
    "directory_digest",
    "dispatch",
    "dispatch_from_pool",
    "missing_record_fields",
    "qualification_problem",
    "recusal_grounds",
    "replace_from_pool",
    "replace_member",
    "salt_pool",
    "summarize",
    "verify",
    "verify_from_pool",
]

# Deprecated names still import, with a warning; type checkers are not shown them.
if not TYPE_CHECKING:
    __getattr__ = _deprecation.module_getattr(
        __name__,
        {
            "ALGORITHM_VERSION": "randcheck.dispatch.DISPATCH_ALGORITHM_VERSION",
            "DispatchVerification": "randcheck.verification.Verification",
            "format_fraction": "randcheck.dispatch.summary.format_fraction",
            "mask_inspector_key": "randcheck.privacy.mask_inspector_key",
            "outside_range": "randcheck.dispatch.engine.outside_range",
            "replace": "randcheck.dispatch.replace_member",
            "team_size": "randcheck.dispatch.engine.team_size",
        },
    )
