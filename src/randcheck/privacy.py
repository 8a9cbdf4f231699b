"""Personal data in text meant for publication: detection and masking (R-PUBLIC).

Resident identity numbers and mobile numbers are found inside arbitrary text and masked; a
certificate number, being public under the enforcement-publicity rules, is kept.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

from randcheck.ids._normalise import ascii_digits
from randcheck.ids.resident_id import (
    _PROVINCE_PREFIXES,
    mask_resident_id,
    resident_id_check_character,
)
from randcheck.ids.uscc import is_valid_uscc

__all__ = [
    "find_unmasked_personal_data",
    "looks_like_phone",
    "looks_like_resident_id",
    "mask_inspector_key",
    "mask_personal_data",
    "mask_phone",
    "mask_resident_id",
]

_MOBILE_RE: Final = re.compile(r"(?:0086|86)?(1[3-9][0-9]{9})")
_PHONE_SEPARATORS: Final = frozenset(
    " -+().\u3000\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\ufe63\uff0e\u00b7＋"
)


def mask_phone(value: str) -> str:
    """Mask a phone number for publication; never fails.

    A mainland mobile number (11 digits starting ``13``-``19``, optionally with country code
    ``86``/``+86`` and separators) keeps its first 3 digits (the carrier segment) and its last
    4, in a compact form: ``+86 138-0013-8000`` → ``138****8000``.

    Anything else keeps its non-digit characters and masks every digit except the last 4;
    with fewer than 8 digits, all digits are masked, so a short number is never shown
    whole: ``022-2345 6789`` → ``***-**** 6789``. No more than 4 digits are ever shown.
    """
    digits = "".join(ascii_digits(c) for c in value if c.isdecimal())
    others = {c for c in value if not c.isdecimal()}
    mobile = _MOBILE_RE.fullmatch(digits)
    if mobile is not None and others <= _PHONE_SEPARATORS:
        number = mobile.group(1)
        return f"{number[:3]}****{number[-4:]}"
    keep = 4 if len(digits) >= 8 else 0
    masked_until = len(digits) - keep
    out = []
    seen = 0
    for c in value:
        if c.isdecimal():
            out.append("*" if seen < masked_until else c)
            seen += 1
        else:
            out.append(c)
    return "".join(out)


# Separators people type inside numbers: space, hyphen, full-width hyphen (an input method's
# "－"), the dashes a word processor substitutes, dots (138.1234.5678) and ideographic space.
_SEP: Final = "[ \\-\u2010-\u2015\u2212\uff0d\ufe63.\uff0e\u00b7\u3000]"
_ID18_RE: Final = re.compile(
    rf"(?<![\dA-Za-z])\d(?:{_SEP}?\d){{16}}{_SEP}?[\dXxＸｘ](?![\dA-Za-z])"
)
_ID15_RE: Final = re.compile(rf"(?<![\dA-Za-z])\d(?:{_SEP}?\d){{14}}(?![\dA-Za-z])")
_PHONE_CANDIDATE_RE: Final = re.compile(
    rf"(?<![\dA-Za-z+＋])(?:(?:\+|＋|00|００)?(?:86|８６){_SEP}?)?[1１][3-9３-９]\d(?:{_SEP}?\d){{8}}"
    r"(?![\dA-Za-z])"
)
# A USCC: 18 characters of its alphabet (digits and capital letters but I, O, Z, S, V).
_USCC_CANDIDATE_RE: Final = re.compile(r"(?<![0-9A-Za-z])[0-9A-HJ-NPQRTUWXY]{18}(?![0-9A-Za-z])")
_EARLIEST_BIRTH: Final = date(1900, 1, 1)


def _plausible_birth(year: int, month: int, day: int) -> bool:
    try:
        born = date(year, month, day)
    except ValueError:
        return False
    return _EARLIEST_BIRTH <= born <= date.today()


def _is_unmasked_resident_id(candidate: str) -> bool:
    """18 characters: a province code, a plausible birth date, the MOD 11-2 check character."""
    code = ascii_digits(_strip_separators(candidate))
    if len(code) != 18 or code[:2] not in _PROVINCE_PREFIXES:
        return False
    if not _plausible_birth(int(code[6:10]), int(code[10:12]), int(code[12:14])):
        return False
    return resident_id_check_character(code[:17]) == code[17]


def _is_old_resident_id(candidate: str) -> bool:
    """15 digits (GB 11643-1989): a province code and a plausible birth date 19YYMMDD."""
    code = ascii_digits(_strip_separators(candidate))
    if len(code) != 15 or code[:2] not in _PROVINCE_PREFIXES:
        return False
    return _plausible_birth(1900 + int(code[6:8]), int(code[8:10]), int(code[10:12]))


_STRIP: Final = re.compile(_SEP)


def _strip_separators(text: str) -> str:
    return _STRIP.sub("", text)


def _uscc_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _USCC_CANDIDATE_RE.finditer(text) if is_valid_uscc(m.group())]


def _resident_id_spans(text: str) -> list[tuple[int, int]]:
    found = [m.span() for m in _ID18_RE.finditer(text) if _is_unmasked_resident_id(m.group())]
    found += [m.span() for m in _ID15_RE.finditer(text) if _is_old_resident_id(m.group())]
    return found


def _outside(spans: list[tuple[int, int]], taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans of ``spans`` that overlap none of ``taken``, in one sweep over both sorted."""
    spans, taken = sorted(spans), sorted(taken)
    kept: list[tuple[int, int]] = []
    k = 0
    for start, end in spans:
        while k < len(taken) and taken[k][1] <= start:
            k += 1
        if k < len(taken) and taken[k][0] < end:
            continue
        kept.append((start, end))
    return kept


# Every candidate above holds eleven digits in a row with at most one separator between two
# of them: a text without such a run holds none, and is passed over in one scan (most texts
# an audit or a publication checks hold no long number at all).
_LONG_NUMBER: Final = re.compile(rf"\d(?:{_SEP}?\d){{10}}")
# The candidates' own patterns are tried at every digit, which costs more than these: an
# identity number holds fifteen such digits, a mobile number "1[3-9]" and a digit in a row.
_LONG_RUN: Final = re.compile(rf"\d(?:{_SEP}?\d){{14}}")
_MOBILE_START: Final = re.compile(r"[1１][3-9３-９]\d")


def _personal_spans(text: str) -> list[tuple[str, int, int]]:
    """``(kind, start, end)`` of every unmasked identity ("id") or mobile ("phone") number,
    in order, none inside a valid USCC; linear in ``len(text)``."""
    if _LONG_NUMBER.search(text) is None:
        return []
    ids = _resident_id_spans(text) if _LONG_RUN.search(text) else []
    phones = (
        [m.span() for m in _PHONE_CANDIDATE_RE.finditer(text)] if _MOBILE_START.search(text) else []
    )
    if not ids and not phones:
        # A USCC only ever excludes a candidate: with none, there is nothing to look for.
        return []
    usccs = _uscc_spans(text)
    ids = _outside(ids, usccs)
    phones = _outside(phones, [*usccs, *ids])
    found = [("id", a, b) for a, b in ids] + [("phone", a, b) for a, b in phones]
    return sorted(found, key=lambda x: x[1])


def looks_like_resident_id(text: str) -> bool:
    """Return whether ``text`` contains an unmasked resident identity number.

    A candidate is 18 characters (17 digits and a digit or ``X``) or an old 15-digit number,
    written with or without separators between the digits (space, hyphen, full-width hyphen,
    dot: 6-8-4, 6-4-4-4, ...), not inside a longer run of digits or letters. It needs a
    province code, a birth date that exists and is not before 1900 nor in the future, and —
    18 characters — a correct MOD 11-2 check character. A valid USCC is never one, whatever
    its digits. Full-width digits count. Masked forms such as ``1201**********1234`` do not.
    """
    return any(kind == "id" for kind, _, _ in _personal_spans(text))


def looks_like_phone(text: str) -> bool:
    """Return whether ``text`` contains an unmasked mainland mobile number.

    A candidate is 11 digits starting ``13``-``19``, optionally after ``86``, ``+86`` or
    ``0086``, with or without separators (space, hyphen, full-width hyphen, dot), not inside
    a longer run of digits nor inside a valid USCC. Landlines are not flagged: agencies
    publish their own landlines for complaints and objections.
    """
    return any(kind == "phone" for kind, _, _ in _personal_spans(text))


def find_unmasked_personal_data(text: str) -> list[str]:
    """Return the unmasked resident identity numbers and mobile numbers in ``text``.

    Substrings come in order of appearance, as written in ``text``; a mobile-number match
    lying inside an identity-number match is not reported twice, and nothing inside a valid
    USCC is reported. The criteria are those of :func:`looks_like_resident_id` and
    :func:`looks_like_phone`. Linear in the length of ``text``.
    """
    return [text[start:end] for _, start, end in _personal_spans(text)]


def mask_personal_data(text: str) -> str:
    """``text`` with every unmasked resident identity number and mobile number masked; a USCC
    is never touched. Linear in the length of ``text``.

    >>> mask_personal_data("联系人 13812345678")
    '联系人 138****5678'
    """
    out: list[str] = []
    at = 0
    for kind, start, end in _personal_spans(text):
        found = text[start:end]
        out.append(text[at:start])
        out.append(mask_resident_id(found) if kind == "id" else mask_phone(found))
        at = end
    out.append(text[at:])
    return "".join(out)


def mask_inspector_key(key: str) -> str:
    """An inspector key for publication: an identity number masked, a certificate number kept.

    >>> mask_inspector_key("TJ-LS-120101-0001")
    'TJ-LS-120101-0001'
    """
    if looks_like_resident_id(key):
        return mask_resident_id(key)
    return mask_personal_data(key)
