"""randcheck: rules, draws and checks for the 双随机一公开 (double random, one public) regime.

The names most programs need are re-exported here; each module holds the rest:
:mod:`randcheck.domain` (value objects), :mod:`randcheck.profiles` (policy profiles),
:mod:`randcheck.sampling` (the draw of targets), :mod:`randcheck.dispatch` (inspector teams),
:mod:`randcheck.ledger` and :mod:`randcheck.validators` (the year and its audit),
:mod:`randcheck.guards` (may I do this now?), :mod:`randcheck.io` (files),
:mod:`randcheck.ids`, :mod:`randcheck.calendars`, :mod:`randcheck.demo.synthetic` (sample data) and
:mod:`randcheck.strategies` (Hypothesis strategies, extra ``randcheck[hypothesis]``).

Where two steps share a verb, the top level names them apart: :func:`verify_draw` is
:func:`randcheck.sampling.verify`, :func:`verify_dispatch` is :func:`randcheck.dispatch.verify`,
and :func:`dispatch_teams` is :func:`randcheck.dispatch.dispatch` (so that ``randcheck.dispatch``
stays the module). Both verifications return a :class:`Verification` of :class:`Difference`
values (:mod:`randcheck.verification`); every published record — :class:`Frame`,
:class:`Commitment`, :class:`DrawRecord`, :class:`DispatchRecord`, :class:`Ledger`,
:class:`Report` — follows one protocol, :class:`Record` (:mod:`randcheck.canonical`).
Renamed names still work for one release, with a :class:`DeprecationWarning`
(``docs/changes.md``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from randcheck import _deprecation
from randcheck._version import __version__
from randcheck.canonical import Record
from randcheck.dispatch import DispatchRecord, replace_member
from randcheck.dispatch import dispatch as dispatch_teams
from randcheck.dispatch import verify as verify_dispatch
from randcheck.domain import (
    CheckItem,
    CheckItemList,
    Conflict,
    ConflictGround,
    CrossDistrictBounds,
    Enterprise,
    Grade,
    Inspector,
    LegalBasis,
    LegalRank,
    Line,
    Plan,
    RiskFlags,
    Scope,
    TimeWindow,
)
from randcheck.errors import (
    CalendarDataMissing,
    CommitmentMismatch,
    InfeasibleDispatch,
    InputFileError,
    InvalidIdentifier,
    Location,
    RandcheckError,
    UnknownProfile,
    ValidationError,
)
from randcheck.io import load_conflicts, load_enterprises, load_inspectors, load_json, save_json
from randcheck.ledger import Ledger, load_ledger, save_ledger
from randcheck.profiles import Profile, get_profile, profile_names, register_profile
from randcheck.sampling import (
    Commitment,
    DrawRecord,
    Frame,
    Seed,
    build_frame,
    commit,
    draw,
    explain,
)
from randcheck.sampling import verify as verify_draw
from randcheck.validators import Finding, Outcome, Report, RuleViolation, audit
from randcheck.verification import Difference, Verification

__all__ = [
    "CalendarDataMissing",
    "CheckItem",
    "CheckItemList",
    "Commitment",
    "CommitmentMismatch",
    "Conflict",
    "ConflictGround",
    "CrossDistrictBounds",
    "Difference",
    "DispatchRecord",
    "DrawRecord",
    "Enterprise",
    "Finding",
    "Frame",
    "Grade",
    "InfeasibleDispatch",
    "InputFileError",
    "Inspector",
    "InvalidIdentifier",
    "Ledger",
    "LegalBasis",
    "LegalRank",
    "Line",
    "Location",
    "Outcome",
    "Plan",
    "Profile",
    "RandcheckError",
    "Record",
    "Report",
    "RiskFlags",
    "RuleViolation",
    "Scope",
    "Seed",
    "TimeWindow",
    "UnknownProfile",
    "ValidationError",
    "Verification",
    "__version__",
    "audit",
    "build_frame",
    "commit",
    "dispatch_teams",
    "draw",
    "explain",
    "get_profile",
    "load_conflicts",
    "load_enterprises",
    "load_inspectors",
    "load_json",
    "load_ledger",
    "profile_names",
    "register_profile",
    "replace_member",
    "save_json",
    "save_ledger",
    "verify_dispatch",
    "verify_draw",
]

# Deprecated names still import, with a warning; type checkers are not shown them.
if not TYPE_CHECKING:
    __getattr__ = _deprecation.module_getattr(__name__, {"replace": "randcheck.replace_member"})
