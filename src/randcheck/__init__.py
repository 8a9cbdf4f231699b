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

import importlib
from typing import TYPE_CHECKING, Any

from randcheck import _deprecation
from randcheck._version import __version__

if TYPE_CHECKING:
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

# The names above, imported when first used: ``import randcheck`` (and so every command of the
# command line) does not load the modules a program never touches.
_LAZY: dict[str, tuple[str, str]] = {
    "Record": ("randcheck.canonical", "Record"),
    "DispatchRecord": ("randcheck.dispatch", "DispatchRecord"),
    "replace_member": ("randcheck.dispatch", "replace_member"),
    "dispatch_teams": ("randcheck.dispatch", "dispatch"),
    "verify_dispatch": ("randcheck.dispatch", "verify"),
    "CheckItem": ("randcheck.domain", "CheckItem"),
    "CheckItemList": ("randcheck.domain", "CheckItemList"),
    "Conflict": ("randcheck.domain", "Conflict"),
    "ConflictGround": ("randcheck.domain", "ConflictGround"),
    "CrossDistrictBounds": ("randcheck.domain", "CrossDistrictBounds"),
    "Enterprise": ("randcheck.domain", "Enterprise"),
    "Grade": ("randcheck.domain", "Grade"),
    "Inspector": ("randcheck.domain", "Inspector"),
    "LegalBasis": ("randcheck.domain", "LegalBasis"),
    "LegalRank": ("randcheck.domain", "LegalRank"),
    "Line": ("randcheck.domain", "Line"),
    "Plan": ("randcheck.domain", "Plan"),
    "RiskFlags": ("randcheck.domain", "RiskFlags"),
    "Scope": ("randcheck.domain", "Scope"),
    "TimeWindow": ("randcheck.domain", "TimeWindow"),
    "CalendarDataMissing": ("randcheck.errors", "CalendarDataMissing"),
    "CommitmentMismatch": ("randcheck.errors", "CommitmentMismatch"),
    "InfeasibleDispatch": ("randcheck.errors", "InfeasibleDispatch"),
    "InputFileError": ("randcheck.errors", "InputFileError"),
    "InvalidIdentifier": ("randcheck.errors", "InvalidIdentifier"),
    "Location": ("randcheck.errors", "Location"),
    "RandcheckError": ("randcheck.errors", "RandcheckError"),
    "UnknownProfile": ("randcheck.errors", "UnknownProfile"),
    "ValidationError": ("randcheck.errors", "ValidationError"),
    "load_conflicts": ("randcheck.io", "load_conflicts"),
    "load_enterprises": ("randcheck.io", "load_enterprises"),
    "load_inspectors": ("randcheck.io", "load_inspectors"),
    "load_json": ("randcheck.io", "load_json"),
    "save_json": ("randcheck.io", "save_json"),
    "Ledger": ("randcheck.ledger", "Ledger"),
    "load_ledger": ("randcheck.ledger", "load_ledger"),
    "save_ledger": ("randcheck.ledger", "save_ledger"),
    "Profile": ("randcheck.profiles", "Profile"),
    "get_profile": ("randcheck.profiles", "get_profile"),
    "profile_names": ("randcheck.profiles", "profile_names"),
    "register_profile": ("randcheck.profiles", "register_profile"),
    "Commitment": ("randcheck.sampling", "Commitment"),
    "DrawRecord": ("randcheck.sampling", "DrawRecord"),
    "Frame": ("randcheck.sampling", "Frame"),
    "Seed": ("randcheck.sampling", "Seed"),
    "build_frame": ("randcheck.sampling", "build_frame"),
    "commit": ("randcheck.sampling", "commit"),
    "draw": ("randcheck.sampling", "draw"),
    "explain": ("randcheck.sampling", "explain"),
    "verify_draw": ("randcheck.sampling", "verify"),
    "Finding": ("randcheck.validators", "Finding"),
    "Outcome": ("randcheck.validators", "Outcome"),
    "Report": ("randcheck.validators", "Report"),
    "RuleViolation": ("randcheck.validators", "RuleViolation"),
    "audit": ("randcheck.validators", "audit"),
    "Difference": ("randcheck.verification", "Difference"),
    "Verification": ("randcheck.verification", "Verification"),
}

# The submodules ``import randcheck`` used to load as a side effect, still reachable as
# attributes (``randcheck.sampling``) after a bare ``import randcheck``.
_SUBMODULES = frozenset(
    {
        "calendars",
        "canonical",
        "dispatch",
        "domain",
        "errors",
        "hashing",
        "ids",
        "io",
        "ledger",
        "privacy",
        "profiles",
        "rules",
        "sampling",
        "text",
        "validators",
        "verification",
    }
)

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

_deprecated = _deprecation.module_getattr(__name__, {"replace": "randcheck.replace_member"})


def _lazy(name: str) -> Any:
    found = _LAZY.get(name)
    if found is not None:
        value = getattr(importlib.import_module(found[0]), found[1])
    elif name in _SUBMODULES:
        value = importlib.import_module(f"{__name__}.{name}")
    else:
        # Deprecated names still import, with a warning.
        return _deprecated(name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


# Type checkers see the imports above, not this.
if not TYPE_CHECKING:
    __getattr__ = _lazy
