"""Unified social credit code (统一社会信用代码, GB 32100-2015).

18 characters from ``0-9`` and ``A-Z`` without ``I O S V Z``. Position 1 is the
registration-authority code, position 2 the entity-type code, positions 3-8 the
administrative-division code (6 digits), positions 9-17 the organisation code (主体标识码) and
position 18 the check character.

Verdicts follow ``stdnum.cn.uscc`` on every checksum question, except that letters are accepted
in positions 1-2: GB 32100 draws those from the same alphabet as the rest, and letter codes are
issued (``Y`` "other authorities", ``N`` for agricultural bodies, ``A`` for military units).
Like stdnum, the GB 11714 check character of the embedded organisation code (position 17) is
*not* part of :func:`validate_uscc`; :func:`has_valid_organisation_code` reports it separately.
"""

from __future__ import annotations

import operator
import re
from typing import Final

from randcheck.errors import InvalidIdentifier
from randcheck.ids._normalise import DIGITS, compact

__all__ = [
    "USCC_ALPHABET",
    "compact_uscc",
    "has_valid_organisation_code",
    "is_valid_uscc",
    "organisation_code_check_character",
    "uscc_check_character",
    "validate_uscc",
]

USCC_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 characters of GB 32100-2015, in check-value order (``'0'`` is 0, ``'Y'`` is 30)."""

_USCC_WEIGHTS: Final = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# Precomputed because validate_uscc runs once per enterprise of million-row directories.
_USCC_VALUES: Final = {c: i for i, c in enumerate(USCC_ALPHABET)}
_USCC_CHARS: Final = frozenset(_USCC_VALUES)
_ORG_CODE_WEIGHTS: Final = (3, 7, 9, 10, 5, 8, 4, 2)
_COMPACT_FORM: Final = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}")
# Each USCC character as the base-34 digit of its value (0-30) in the code's alphabet.
_BASE_34: Final = str.maketrans(USCC_ALPHABET, "0123456789ABCDEFGHIJKLMNOPQRSTU")


def _uscc_error(value: object, expected: str) -> InvalidIdentifier:
    return InvalidIdentifier(
        f"统一社会信用代码无效：应为 {expected}；"
        f"invalid unified social credit code: expected {expected}, got {value!r}",
        field="uscc",
        expected=expected,
        got=value,
    )


def compact_uscc(value: str) -> str:
    """Return ``value`` without spaces and hyphens, upper-cased (``"9 1-1..."`` → ``"911..."``)."""
    return compact(value)


def uscc_check_character(first17: str) -> str:
    """Return the GB 32100 check character for the first 17 characters of a code.

    Raises:
        InvalidIdentifier: ``first17`` is not 17 characters of :data:`USCC_ALPHABET`.
    """
    body = compact_uscc(first17)
    if len(body) != 17 or not _USCC_CHARS.issuperset(body):
        raise _uscc_error(first17, "17 characters from 0-9 and A-Z except I, O, S, V, Z")
    return _uscc_check(body)


def _uscc_check(body: str) -> str:
    total = sum(map(operator.mul, map(_USCC_VALUES.__getitem__, body[:17]), _USCC_WEIGHTS))
    return USCC_ALPHABET[-total % 31]


def _is_compact_uscc(value: str) -> bool:
    """Whether ``validate_uscc(value)`` returns ``value`` itself: a valid code in compact form.

    The check character makes ``Σ v_i · 3^i + v_17 ≡ 0 (mod 31)`` over the first 17
    characters' values ``v_i`` (the standard's weights are ``3^i mod 31``); since
    ``34 ≡ 3 (mod 31)``, the sum is, mod 31, the 17 values read as one base-34 number, last
    character first — one C-level ``int()`` instead of a loop.
    """
    if _COMPACT_FORM.fullmatch(value) is None:
        return False
    digits = value.translate(_BASE_34)
    return (int(digits[16::-1], 34) + int(digits[17], 34)) % 31 == 0


def validate_uscc(value: str) -> str:
    """Check a unified social credit code and return its compact form.

    Checks, in order: length 18; every character from :data:`USCC_ALPHABET`; positions 3-8
    digits; the check character.

    Raises:
        InvalidIdentifier: with ``field="uscc"``, ``expected`` saying what failed and
            ``got=value``.
    """
    if isinstance(value, str) and _is_compact_uscc(value):
        return value
    if not isinstance(value, str):
        raise _uscc_error(value, "18 characters of text")
    code = compact_uscc(value)
    if len(code) != 18:
        raise _uscc_error(value, "18 characters")
    if not _USCC_CHARS.issuperset(code):
        raise _uscc_error(value, "characters from 0-9 and A-Z except I, O, S, V, Z")
    if not code[2:8].isdigit():
        raise _uscc_error(value, "a 6-digit administrative-division code at positions 3-8")
    check = _uscc_check(code)
    if code[17] != check:
        raise _uscc_error(value, f"check character {check!r}")
    return code


def is_valid_uscc(value: str) -> bool:
    """Return whether :func:`validate_uscc` accepts ``value``."""
    try:
        validate_uscc(value)
    except InvalidIdentifier:
        return False
    return True


def organisation_code_check_character(first8: str) -> str:
    """Return the GB 11714 check character for the first 8 characters of an organisation code.

    Raises:
        InvalidIdentifier: ``first8`` is not 8 characters from ``0-9`` and ``A-Z``.
    """
    body = compact_uscc(first8)
    if len(body) != 8 or not all(c in DIGITS or "A" <= c <= "Z" for c in body):
        raise InvalidIdentifier(
            field="organisation_code", expected="8 characters from 0-9 and A-Z", got=first8
        )
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def has_valid_organisation_code(value: str) -> bool:
    """Return whether positions 9-17 of a valid USCC carry a correct GB 11714 check character.

    This is a separate, advisory check: :func:`validate_uscc` (like ``stdnum.cn.uscc``)
    does not require it. An invalid USCC gives ``False``.
    """
    if not is_valid_uscc(value):
        return False
    code = compact_uscc(value)
    return organisation_code_check_character(code[8:16]) == code[16]
