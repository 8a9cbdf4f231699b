"""Who may inspect whom: qualification for a round and recusal (R-INSPECTOR-RECORD, R-RECUSAL).

An inspector is *qualified* for a round when

* the inspector is authorised for the plan's line (``Inspector.lines``),
* the enforcement certificate is valid on the inspection date
  (``Inspector.certificate_valid_on``; open ends count as valid), and
* the Art. 7 record is complete: name, department, post, certificate number or resident
  identity number, and phone.

A qualified inspector is *eligible* for an enterprise unless they must recuse from it
(R-RECUSAL), because of

* a declared :class:`~randcheck.domain.Conflict` row naming the inspector (by key, or by
  resident identity number) and the enterprise — this is how ``same-person`` and ``other``
  grounds arrive; or
* the inspector's own record (:meth:`~randcheck.domain.Inspector.interests`): former
  employers, relatives' employers and shareholdings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from randcheck.canonical import digest, unstructure
from randcheck.domain import Conflict, ConflictGround, Inspector
from randcheck.errors import ValidationError

__all__ = [
    "check_unique_keys",
    "conflicts_digest",
    "directory_digest",
    "missing_record_fields",
    "qualification_problem",
    "recusal_grounds",
]


def missing_record_fields(inspector: Inspector) -> tuple[str, ...]:
    """The Art. 7 fields missing from ``inspector``'s record (empty when complete).

    Art. 7 requires name, department, post, enforcement certificate number (or resident
    identity number) and phone. The identity requirement is always met, because an
    :class:`~randcheck.domain.Inspector` cannot be built without one of the two numbers.
    """
    missing = [
        name
        for name, value in (
            ("name", inspector.name),
            ("department", inspector.department),
            ("post", inspector.post),
            ("phone", inspector.phone),
        )
        if not value
    ]
    if inspector.certificate_no is None and inspector.resident_id is None:  # pragma: no cover
        missing.append("certificate_no")
    return tuple(missing)


def qualification_problem(inspector: Inspector, line: str, on: date) -> str | None:
    """Why ``inspector`` may not be dispatched on ``line`` on ``on``, or ``None`` if they may.

    The reason is bilingual (Chinese first). The checks are, in order: authorisation for the
    line, certificate validity on the date (R-INSPECTOR-RECORD), completeness of the Art. 7
    record (R-INSPECTOR-RECORD).
    """
    if line not in inspector.lines:
        return f"未获 {line} 条线执法授权 / not authorised for the {line} line"
    if not inspector.certificate_valid_on(on):
        return (
            f"执法证件在 {on.isoformat()} 无效 / enforcement certificate not valid on "
            f"{on.isoformat()}"
        )
    missing = missing_record_fields(inspector)
    if missing:
        fields = ", ".join(missing)
        return f"名录信息不全（缺 {fields}）/ incomplete Art. 7 record (missing {fields})"
    return None


def recusal_grounds(
    inspectors: Iterable[Inspector],
    conflicts: Iterable[Conflict],
    enterprises: Iterable[str],
) -> dict[str, dict[str, tuple[ConflictGround, ...]]]:
    """Every recusal between ``inspectors`` and the enterprises ``enterprises`` (USCCs).

    Returns ``{uscc: {inspector key: grounds}}`` with grounds unique and sorted by value;
    enterprises and inspectors without a recusal are absent. A conflict row may name the
    inspector by key or by resident identity number; rows naming nobody in ``inspectors`` or
    an enterprise outside ``enterprises`` are ignored.
    """
    staff = list(inspectors)
    wanted = set(enterprises)
    alias = _aliases(staff)
    found: dict[str, dict[str, set[ConflictGround]]] = {}
    for row in conflicts:
        if row.enterprise not in wanted:
            continue
        key = alias.get(row.inspector)
        if key is not None:
            found.setdefault(row.enterprise, {}).setdefault(key, set()).add(row.ground)
    for inspector in staff:
        for code, ground in inspector.interests():
            if code in wanted:
                found.setdefault(code, {}).setdefault(inspector.key, set()).add(ground)
    return {
        code: {key: _sorted_grounds(grounds) for key, grounds in by_key.items()}
        for code, by_key in found.items()
    }


def _sorted_grounds(grounds: Iterable[ConflictGround]) -> tuple[ConflictGround, ...]:
    return tuple(sorted(set(grounds), key=lambda ground: ground.value))


def _aliases(staff: Sequence[Inspector]) -> dict[str, str]:
    """Map every name a conflict row may use for an inspector (key, identity number) to the key.

    Keys win over identity numbers, so a row always means the inspector whose key it names.
    """
    alias: dict[str, str] = {}
    for inspector in staff:
        if inspector.resident_id is not None:
            alias.setdefault(inspector.resident_id, inspector.key)
    for inspector in staff:
        alias[inspector.key] = inspector.key
    return alias


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
