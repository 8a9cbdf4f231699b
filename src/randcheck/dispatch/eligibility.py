"""Who may inspect whom: qualification for a round and recusal (R-INSPECTOR-RECORD, R-RECUSAL).

An inspector is *qualified* for a round when :func:`randcheck.rules.qualification_problem`
finds nothing:

* the inspector is authorised for the plan's line (``Inspector.lines``),
* the enforcement certificate is valid on the inspection date
  (:func:`randcheck.rules.certificate_valid_on`; open ends count as valid), and
* the Art. 7 record is complete: name, department, post, certificate number or resident
  identity number, and phone (:func:`randcheck.rules.missing_record_fields`).

A qualified inspector is *eligible* for an enterprise unless they must recuse from it
(R-RECUSAL, :class:`randcheck.rules.RecusalIndex`), because of

* a declared :class:`~randcheck.domain.Conflict` row naming the inspector — by key,
  certificate number or resident identity number, in any spelling the loaders accept — and
  the enterprise; this is how ``same-person`` and ``other`` grounds arrive; or
* the inspector's own record (:meth:`~randcheck.domain.Inspector.interests`): former
  employers, relatives' employers and shareholdings.

The step guard ``randcheck.guards.may_add_to_team`` and the audit's R-RECUSAL decide with the
same functions, so they reach the same verdicts.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

from randcheck.canonical import digest, unstructure
from randcheck.domain import Conflict, ConflictGround, Inspector
from randcheck.errors import ValidationError
from randcheck.rules import (
    RecusalIndex,
    UnresolvedConflictWarning,
    describe_unresolved,
    missing_record_fields,
    qualification_problem,
)

__all__ = [
    "check_unique_keys",
    "conflicts_digest",
    "directory_digest",
    "missing_record_fields",
    "qualification_problem",
    "recusal_grounds",
]


def recusal_grounds(
    inspectors: Iterable[Inspector],
    conflicts: Iterable[Conflict],
    enterprises: Iterable[str],
) -> dict[str, dict[str, tuple[ConflictGround, ...]]]:
    """Every recusal between ``inspectors`` and the enterprises ``enterprises`` (USCCs).

    Returns ``{uscc: {inspector key: grounds}}`` with grounds unique and sorted by value;
    enterprises and inspectors without a recusal are absent
    (:meth:`randcheck.rules.RecusalIndex.among`). A conflict row may name the inspector by any
    of their identifiers; rows naming nobody in ``inspectors`` or an enterprise outside
    ``enterprises`` do not appear here (:attr:`randcheck.rules.RecusalIndex.unresolved` lists
    the former).
    """
    return RecusalIndex.build(inspectors, conflicts).among(enterprises)


def warn_unresolved(index: RecusalIndex) -> None:
    """Issue an :class:`~randcheck.rules.UnresolvedConflictWarning` for the rows of ``index``
    that name no inspector of the directory, if there are any."""
    if index.unresolved:
        warnings.warn(
            str(describe_unresolved(index.unresolved)), UnresolvedConflictWarning, stacklevel=3
        )


def check_unique_keys(inspectors: Iterable[Inspector]) -> dict[str, Inspector]:
    """``{key: inspector}``; a key used twice makes the directory ambiguous and is refused."""
    by_key: dict[str, Inspector] = {}
    for inspector in inspectors:
        if inspector.key in by_key:
            raise ValidationError(
                f"执法人员名录中证件号 {inspector.key} 重复 / inspector key {inspector.key} "
                "appears twice in the directory",
                field="inspectors",
                expected="unique inspector keys",
                got=inspector.key,
            )
        by_key[inspector.key] = inspector
    return by_key


def directory_digest(inspectors: Iterable[Inspector]) -> str:
    """``"sha256:<hex>"`` of the inspector directory, independent of its order.

    The canonical JSON of the list of inspectors (as :func:`randcheck.canonical.unstructure`
    gives them) sorted by key.
    """
    staff = sorted(inspectors, key=lambda inspector: inspector.key)
    return digest([unstructure(inspector) for inspector in staff])


def conflicts_digest(conflicts: Iterable[Conflict]) -> str:
    """``"sha256:<hex>"`` of a set of declared conflicts, independent of order and repetition.

    The canonical JSON of the list of distinct rows, each
    ``{"enterprise", "ground", "inspector", "note"}`` as :func:`randcheck.canonical.unstructure`
    gives it, sorted by (inspector, enterprise, ground, note).
    """
    rows = sorted({(c.inspector, c.enterprise, c.ground.value, c.note) for c in conflicts})
    return digest(
        [
            {"enterprise": enterprise, "ground": ground, "inspector": inspector, "note": note}
            for inspector, enterprise, ground, note in rows
        ]
    )
