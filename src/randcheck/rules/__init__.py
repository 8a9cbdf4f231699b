"""The rules of the law as pure predicates, each written once, which every layer calls.

The sampling frame's cap exclusion, the dispatch's eligibility, the step guards
(:mod:`randcheck.guards`), the audit (:mod:`randcheck.validators`) and the demo's planted
violations all decide a rule through the same function here, so they cannot disagree about it:

* :mod:`randcheck.rules.recusal` — R-RECUSAL (Art. 10): :class:`RecusalIndex`.
* :mod:`randcheck.rules.qualification` — R-INSPECTOR-RECORD (Art. 7): :func:`certificate_valid_on`,
  :func:`missing_record_fields`, :func:`qualification_problem`.
* :mod:`randcheck.rules.cross_district` — R-CROSS-DISTRICT (Art. 10): :func:`team_composition`,
  :func:`allowed_outside`.
* :mod:`randcheck.rules.cap` — R-CAP (Art. 10, 11): :func:`random_visits`, :func:`visit_key`.
* :mod:`randcheck.rules.one_visit` — R-ONE-VISIT (Art. 11): :func:`visit_window`,
  :func:`windows_overlap`.
* :mod:`randcheck.rules.legal_basis` — R-LEGAL-BASIS (Art. 6): :func:`list_in_force`,
  :func:`basis_defect`.
* :mod:`randcheck.rules.weight_class` — R-GRADE-WEIGHT, R-RISK-WEIGHT: :func:`risk_key`,
  :func:`weight_classes`.
* :mod:`randcheck.rules.plan` — R-PLAN-FIELDS, R-PLAN-DEADLINE (Art. 8, 9):
  :func:`windows_outside_year`, :func:`plan_rounds`, :func:`rounds_without_window`,
  :func:`windows_without_round`, :func:`published_before_submitted`.
* :mod:`randcheck.rules.strings` — :func:`str_tuple`, the converter that never splits a string
  into characters.

The functions read the domain values (:mod:`randcheck.domain`) by their attributes and import
nothing above :mod:`randcheck.ids`, so the domain itself can use them.
"""

from __future__ import annotations

from randcheck.rules.cap import PastInspection, random_visits, visit_key
from randcheck.rules.cross_district import TeamComposition, allowed_outside, team_composition
from randcheck.rules.legal_basis import (
    BasisDefect,
    bases_defects,
    basis_defect,
    basis_in_force,
    list_in_force,
    national_rank_sufficient,
)
from randcheck.rules.one_visit import visit_window, windows_overlap
from randcheck.rules.plan import (
    plan_rounds,
    published_before_submitted,
    rounds_without_window,
    windows_outside_year,
    windows_without_round,
)
from randcheck.rules.qualification import (
    certificate_valid_on,
    holds_certificate_on,
    missing_record_fields,
    qualification_problem,
)
from randcheck.rules.recusal import (
    RecusalIndex,
    UnresolvedConflictWarning,
    describe_unresolved,
    inspector_identifiers,
)
from randcheck.rules.strings import str_tuple, strict_str_tuples
from randcheck.rules.weight_class import risk_key, weight_classes

__all__ = [
    "BasisDefect",
    "PastInspection",
    "RecusalIndex",
    "TeamComposition",
    "UnresolvedConflictWarning",
    "allowed_outside",
    "bases_defects",
    "basis_defect",
    "basis_in_force",
    "certificate_valid_on",
    "describe_unresolved",
    "holds_certificate_on",
    "inspector_identifiers",
    "list_in_force",
    "missing_record_fields",
    "national_rank_sufficient",
    "plan_rounds",
    "published_before_submitted",
    "qualification_problem",
    "random_visits",
    "risk_key",
    "rounds_without_window",
    "str_tuple",
    "strict_str_tuples",
    "team_composition",
    "visit_key",
    "visit_window",
    "weight_classes",
    "windows_outside_year",
    "windows_overlap",
    "windows_without_round",
]
