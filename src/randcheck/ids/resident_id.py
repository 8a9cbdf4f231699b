"""Resident identity number (公民身份号码, GB 11643-1999).

6-digit region code, 8-digit birth date ``YYYYMMDD``, 3-digit sequence code, and an ISO 7064
MOD 11-2 check character (a digit or ``X``).

Verdicts follow ``stdnum.cn.ric`` on every checksum question. stdnum looks the region code up in
its table of counties as they existed in the birth year; here only the province prefix is checked
(a number keeps the code of the place where it was first issued, and county tables change).
stdnum accepts birth dates in the future; here they are rejected.
"""

from __future__ import annotations

import datetime
from typing import Final

from randcheck.errors import InvalidIdentifier
from randcheck.ids._normalise import compact, is_ascii_digits

__all__ = [
    "compact_resident_id",
    "is_valid_resident_id",
    "mask_resident_id",
    "resident_id_birth_date",
    "resident_id_check_character",
    "validate_resident_id",
]

# Province-level prefixes of GB/T 2260, plus 81/82/83, which GB 11643-format residence
# permits for Hong Kong, Macao and Taiwan residents carry.
_PROVINCE_PREFIXES: Final = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37"}
    | {"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54"}
    | {"61", "62", "63", "64", "65", "71", "81", "82", "83"}
)


def _resident_id_error(value: str, expected: str) -> InvalidIdentifier:
    # The message shows only a masked form so that logs of errors do not spread the number;
    # ``got`` still carries the value for the caller.
    shown = mask_resident_id(value)
    return InvalidIdentifier(
        f"公民身份号码无效：应为 {expected}；"
        f"invalid resident identity number: expected {expected}, got {shown!r}",
        field="resident_id",
        expected=expected,
        got=value,
    )


def compact_resident_id(value: str) -> str:
    """Return ``value`` without spaces and hyphens, upper-cased (a final ``x`` becomes ``X``)."""
    return compact(value)


def resident_id_check_character(first17: str) -> str:
    """Return the ISO 7064 MOD 11-2 check character (``0-9`` or ``X``) for 17 digits.

    Raises:
        InvalidIdentifier: ``first17`` is not 17 ASCII digits.
    """
    body = compact_resident_id(first17)
    if len(body) != 17 or not is_ascii_digits(body):
        raise _resident_id_error(first17, "17 digits")
    # MOD 11-2: weight of position i (from the left, 0-based) is 2**(17 - i) mod 11.
    total = sum(int(c) * pow(2, 17 - i, 11) for i, c in enumerate(body))
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


def birth_date(code: str) -> datetime.date | None:
    try:
        return datetime.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        return None


def validate_resident_id(value: str, *, today: datetime.date | None = None) -> str:
    """Check a resident identity number and return its compact form.

    Checks, in order: length 18; 17 digits then a digit or ``X``; the check character;
    a known province prefix of the region code; a birth date that exists and is not after
    ``today`` (default: the current date).

    Raises:
        InvalidIdentifier: with ``field="resident_id"``, ``expected`` saying what failed and
            ``got=value``. The message shows the number masked.
    """
    code = compact_resident_id(value)
    if len(code) != 18:
        raise _resident_id_error(value, "18 characters")
    if not is_ascii_digits(code[:17]) or code[17] not in "0123456789X":
        raise _resident_id_error(value, "17 digits followed by a digit or 'X'")
    check = resident_id_check_character(code[:17])
    if code[17] != check:
        raise _resident_id_error(value, f"check character {check!r}")
    if code[:2] not in _PROVINCE_PREFIXES:
        raise _resident_id_error(value, "a region code starting with a province code")
    born = birth_date(code)
    if born is None:
        raise _resident_id_error(value, "an existing birth date YYYYMMDD at positions 7-14")
    limit = datetime.date.today() if today is None else today
    if born > limit:
        raise _resident_id_error(value, f"a birth date not after {limit.isoformat()}")
    return code


def is_valid_resident_id(value: str, *, today: datetime.date | None = None) -> bool:
    """Return whether :func:`validate_resident_id` accepts ``value``."""
    try:
        validate_resident_id(value, today=today)
    except InvalidIdentifier:
        return False
    return True


def resident_id_birth_date(value: str) -> datetime.date:
    """Return the birth date in positions 7-14 of a resident identity number.

    Only the date is read; the rest of the number is not checked.

    Raises:
        InvalidIdentifier: positions 7-14 are not an existing date ``YYYYMMDD``.
    """
    code = compact_resident_id(value)
    born = birth_date(code) if is_ascii_digits(code[6:14]) and len(code) >= 14 else None
    if born is None:
        raise _resident_id_error(value, "an existing birth date YYYYMMDD at positions 7-14")
    return born


def mask_resident_id(value: str) -> str:
    """Mask a resident identity number for publication; never fails.

    An 18-character number keeps its first 4 characters (province and city) and its last 4
    (sequence code and check character): ``120101199001011234`` → ``1201**********1234``.
    The birth date is always hidden. A 15-character number in the pre-1999 format keeps the
    first 4 and the last 3 (``120101900101123`` → ``1201********123``). Anything else is
    masked completely, since where its birth date sits is unknown. Spaces and hyphens are
    dropped first.
    """
    code = compact_resident_id(value)
    if len(code) == 18:
        return code[:4] + "*" * 10 + code[-4:]
    if len(code) == 15:
        return code[:4] + "*" * 8 + code[-3:]
    return "*" * len(code)
