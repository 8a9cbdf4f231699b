"""Enforcement qualification and the Art. 7 record (R-INSPECTOR-RECORD).

Art. 7: "执法检查人员名录库信息应包括姓名、部门、职务、执法证件号码（或居民身份号码）和联系电话";
an inspector may inspect only with an enforcement certificate valid on the day
(劳动保障监察条例 Art. 16). The dispatch draws only qualified inspectors, the step guard
refuses a certificate that is not valid, and the audit reports both incomplete records and
team members without a valid certificate — each through these functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from randcheck.domain import Inspector

__all__ = [
    "RECORD_FIELDS",
    "certificate_valid_on",
    "holds_certificate_on",
    "missing_record_fields",
    "qualification_problem",
]

RECORD_FIELDS: Final[Mapping[str, str]] = MappingProxyType(
    {"name": "姓名", "department": "部门", "post": "职务", "phone": "联系电话"}
)
"""The Art. 7 fields an inspector record may lack, by attribute name, with their Chinese names.

The fifth, the certificate number or resident identity number, cannot be missing: an
:class:`~randcheck.domain.Inspector` is not built without one of them.
"""


def missing_record_fields(inspector: Inspector) -> tuple[str, ...]:
    """The Art. 7 fields missing from ``inspector``'s record, in :data:`RECORD_FIELDS` order.

    Empty when the record is complete. A field counts as missing when it is empty (the
    constructor strips white space).
    """
    return tuple(name for name in RECORD_FIELDS if not getattr(inspector, name))


def certificate_valid_on(inspector: Inspector, day: date) -> bool:
    """Whether ``inspector``'s enforcement certificate is valid on ``day``.

    Both ends are inclusive: valid from ``certificate_valid_from`` up to and including
    ``certificate_valid_until``; an end that is not recorded does not limit validity.
    """
    start, end = inspector.certificate_valid_from, inspector.certificate_valid_until
    return (start is None or start <= day) and (end is None or day <= end)


def holds_certificate_on(inspector: Inspector, day: date) -> bool:
    """Whether ``inspector`` holds an enforcement certificate valid on ``day`` (R-TEAM).

    Art. 7's "执法证件号码（或居民身份号码）" only says what a directory entry may hold; to inspect,
    a person needs an enforcement qualification (行政处罚法 Art. 42 "具有行政执法资格的执法人员";
    劳动保障监察条例 Art. 16). An entry known only by its resident identity number holds none.
    """
    return inspector.certificate_no is not None and certificate_valid_on(inspector, day)


def qualification_problem(
    inspector: Inspector, line: str, on: date, *, line_name: str | None = None
) -> str | None:
    """Why ``inspector`` may not be dispatched on ``line`` on ``on``, or ``None`` if they may.

    The reason is bilingual (Chinese first); ``line_name`` is the line's Chinese name for the
    Chinese half (the profile's, ``Profile.line_name(line).zh``; default the id). The checks
    are, in order: authorisation for the line (``Inspector.lines``), an enforcement
    certificate at all (an entry with only a resident identity number is never dispatched,
    R-TEAM), its validity on the date (:func:`certificate_valid_on`), completeness of the
    Art. 7 record (:func:`missing_record_fields`).
    """
    if line not in inspector.lines:
        return f"未获{line_name or line}条线执法授权 / not authorised for the {line} line"
    if inspector.certificate_no is None:
        return (
            "仅有居民身份号码，没有执法证件 / holds no enforcement certificate (only a resident "
            "identity number)"
        )
    if not certificate_valid_on(inspector, on):
        return (
            f"执法证件在 {on.isoformat()} 无效 / enforcement certificate not valid on "
            f"{on.isoformat()}"
        )
    missing = missing_record_fields(inspector)
    if missing:
        fields = ", ".join(missing)
        return f"名录信息不全（缺 {fields}）/ incomplete Art. 7 record (missing {fields})"
    return None
