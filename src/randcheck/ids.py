"""Identifier checks: unified social credit codes and resident identity numbers.

One small group of functions per standard, in the manner of python-stdnum
(``compact`` / ``validate`` / ``is_valid``):

* **Unified social credit code** (统一社会信用代码, GB 32100-2015): 18 characters from
  ``0-9`` and ``A-Z`` without ``I O S V Z``. Position 1 is the registration-authority code,
  position 2 the entity-type code, positions 3-8 the administrative-division code (6 digits),
  positions 9-17 the organisation code (主体标识码) and position 18 the check character.
* **Resident identity number** (公民身份号码, GB 11643-1999): 6-digit region code,
  8-digit birth date ``YYYYMMDD``, 3-digit sequence code, and an ISO 7064 MOD 11-2 check
  character (a digit or ``X``).

Verdicts follow ``stdnum.cn.uscc`` and ``stdnum.cn.ric`` on every checksum question. Where
they differ, it is on purpose:

* USCC: stdnum requires digits in positions 1-2. GB 32100 draws those from the same
  alphabet as the rest, and letter codes are issued (``Y`` "other authorities", ``N`` for
  agricultural bodies, ``A`` for military units), so they are accepted here.
  Like stdnum, the GB 11714 check character of the embedded organisation code (position 17)
  is *not* part of :func:`validate_uscc`; :func:`has_valid_organisation_code` reports it
  separately.
* Resident identity number: stdnum looks the region code up in its table of counties as
  they existed in the birth year; here only the province prefix is checked (a number keeps
  the code of the place where it was first issued, and county tables change). stdnum accepts
  birth dates in the future; here they are rejected.

For publication (``R-PUBLIC``) the module masks identity and phone numbers and finds unmasked
ones inside arbitrary text.
"""

from __future__ import annotations

import datetime
import operator
import re
import unicodedata
from typing import Final

from randcheck.errors import InvalidIdentifier

__all__ = [
    "TIANJIN_DISTRICTS",
    "USCC_ALPHABET",
    "compact_resident_id",
    "compact_uscc",
    "find_unmasked_personal_data",
    "has_valid_organisation_code",
    "is_valid_resident_id",
    "is_valid_uscc",
    "looks_like_phone",
    "looks_like_resident_id",
    "mask_inspector_key",
    "mask_personal_data",
    "mask_phone",
    "mask_resident_id",
    "organisation_code_check_character",
    "resident_id_birth_date",
    "resident_id_check_character",
    "uscc_check_character",
    "validate_resident_id",
    "validate_uscc",
]

USCC_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 characters of GB 32100-2015, in check-value order (``'0'`` is 0, ``'Y'`` is 30)."""

_USCC_WEIGHTS: Final = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# Precomputed because validate_uscc runs once per enterprise of million-row directories.
_USCC_VALUES: Final = {c: i for i, c in enumerate(USCC_ALPHABET)}
_USCC_CHARS: Final = frozenset(_USCC_VALUES)
_ORG_CODE_WEIGHTS: Final = (3, 7, 9, 10, 5, 8, 4, 2)
_DIGITS: Final = frozenset("0123456789")
_SEPARATORS: Final = (" ", "-", "\u3000")

# Province-level prefixes of GB/T 2260, plus 81/82/83, which GB 11643-format residence
# permits for Hong Kong, Macao and Taiwan residents carry.
_PROVINCE_PREFIXES: Final = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37"}
    | {"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54"}
    | {"61", "62", "63", "64", "65", "71", "81", "82", "83"}
)

TIANJIN_DISTRICTS: Final[tuple[tuple[str, str, str], ...]] = (
    ("120101", "和平区", "Heping Qu"),
    ("120102", "河东区", "Hedong Qu"),
    ("120103", "河西区", "Hexi Qu"),
    ("120104", "南开区", "Nankai Qu"),
    ("120105", "河北区", "Hebei Qu"),
    ("120106", "红桥区", "Hongqiao Qu"),
    ("120110", "东丽区", "Dongli Qu"),
    ("120111", "西青区", "Xiqing Qu"),
    ("120112", "津南区", "Jinnan Qu"),
    ("120113", "北辰区", "Beichen Qu"),
    ("120114", "武清区", "Wuqing Qu"),
    ("120115", "宝坻区", "Baodi Qu"),
    ("120116", "滨海新区", "Binhai Xinqu"),
    ("120117", "宁河区", "Ninghe Qu"),
    ("120118", "静海区", "Jinghai Qu"),
    ("120119", "蓟州区", "Jizhou Qu"),
)
"""The 16 districts of Tianjin as ``(region_code, Chinese name, pinyin)``, in code order.

Codes per GB/T 2260 as of 2016 onwards (蓟县 became 蓟州区 in 2016; 宁河 and 静海 became
districts in 2015; 塘沽, 汉沽 and 大港 merged into 滨海新区 in 2009).
"""


# --------------------------------------------------------------------------- helpers


def _compact(value: str) -> str:
    for separator in _SEPARATORS:
        value = value.replace(separator, "")
    return value.upper().strip()


def _is_ascii_digits(text: str) -> bool:
    return bool(text) and all(c in _DIGITS for c in text)


def _ascii(text: str) -> str:
    """Unicode decimal digits (e.g. full-width ``１``) to ASCII; full-width ``Ｘ`` to ``X``."""
    out = []
    for c in text:
        if c.isdecimal():
            out.append(str(unicodedata.decimal(c)))
        elif c in "xＸｘ":
            out.append("X")
        else:
            out.append(c)
    return "".join(out)


def _uscc_error(value: str, expected: str) -> InvalidIdentifier:
    return InvalidIdentifier(
        f"统一社会信用代码无效：应为 {expected}；"
        f"invalid unified social credit code: expected {expected}, got {value!r}",
        field="uscc",
        expected=expected,
        got=value,
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


# --------------------------------------------------------------------------- USCC


def compact_uscc(value: str) -> str:
    """Return ``value`` without spaces and hyphens, upper-cased (``"9 1-1..."`` → ``"911..."``)."""
    return _compact(value)


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


def validate_uscc(value: str) -> str:
    """Check a unified social credit code and return its compact form.

    Checks, in order: length 18; every character from :data:`USCC_ALPHABET`; positions 3-8
    digits; the check character.

    Raises:
        InvalidIdentifier: with ``field="uscc"``, ``expected`` saying what failed and
            ``got=value``.
    """
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
    if len(body) != 8 or not all(c in _DIGITS or "A" <= c <= "Z" for c in body):
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


# --------------------------------------------------------------------------- resident id


def compact_resident_id(value: str) -> str:
    """Return ``value`` without spaces and hyphens, upper-cased (a final ``x`` becomes ``X``)."""
    return _compact(value)


def resident_id_check_character(first17: str) -> str:
    """Return the ISO 7064 MOD 11-2 check character (``0-9`` or ``X``) for 17 digits.

    Raises:
        InvalidIdentifier: ``first17`` is not 17 ASCII digits.
    """
    body = compact_resident_id(first17)
    if len(body) != 17 or not _is_ascii_digits(body):
        raise _resident_id_error(first17, "17 digits")
    # MOD 11-2: weight of position i (from the left, 0-based) is 2**(17 - i) mod 11.
    total = sum(int(c) * pow(2, 17 - i, 11) for i, c in enumerate(body))
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


def _birth_date(code: str) -> datetime.date | None:
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
    if not _is_ascii_digits(code[:17]) or code[17] not in "0123456789X":
        raise _resident_id_error(value, "17 digits followed by a digit or 'X'")
    check = resident_id_check_character(code[:17])
    if code[17] != check:
        raise _resident_id_error(value, f"check character {check!r}")
    if code[:2] not in _PROVINCE_PREFIXES:
        raise _resident_id_error(value, "a region code starting with a province code")
    born = _birth_date(code)
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
    born = _birth_date(code) if _is_ascii_digits(code[6:14]) and len(code) >= 14 else None
    if born is None:
        raise _resident_id_error(value, "an existing birth date YYYYMMDD at positions 7-14")
    return born


# --------------------------------------------------------------------------- masking


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


_MOBILE_RE: Final = re.compile(r"(?:0086|86)?(1[3-9][0-9]{9})")
_PHONE_SEPARATORS: Final = frozenset(" -+().\u3000")


def mask_phone(value: str) -> str:
    """Mask a phone number for publication; never fails.

    A mainland mobile number (11 digits starting ``13``-``19``, optionally with country code
    ``86``/``+86`` and separators) keeps its first 3 digits (the carrier segment) and its last
    4, in a compact form: ``+86 138-0013-8000`` → ``138****8000``.

    Anything else keeps its non-digit characters and masks every digit except the last 4;
    with fewer than 8 digits, all digits are masked, so a short number is never shown
    whole: ``022-2345 6789`` → ``***-**** 6789``. No more than 4 digits are ever shown.
    """
    digits = "".join(_ascii(c) for c in value if c.isdecimal())
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


# --------------------------------------------------------------------------- detection

# ``\d`` also matches full-width digits, which are common in Chinese text.
_ID_CANDIDATE_RE: Final = re.compile(r"(?<!\d)\d{6}[ -]?\d{8}[ -]?\d{3}[\dXxＸｘ](?!\d)")
_PHONE_CANDIDATE_RE: Final = re.compile(
    r"(?<!\d)(?:\+?(?:86|８６)[ -]?)?[1１][3-9３-９]\d[ -]?\d{4}[ -]?\d{4}(?!\d)"
)


def _is_unmasked_resident_id(candidate: str) -> bool:
    code = _ascii(_compact(candidate))
    return resident_id_check_character(code[:17]) == code[17] and _birth_date(code) is not None


def _resident_id_spans(text: str) -> list[tuple[int, int]]:
    return [
        m.span() for m in _ID_CANDIDATE_RE.finditer(text) if _is_unmasked_resident_id(m.group())
    ]


def looks_like_resident_id(text: str) -> bool:
    """Return whether ``text`` contains an unmasked 18-character resident identity number.

    A candidate is 18 digits (the last may be ``X``), optionally grouped 6-8-4 by a space or
    hyphen, not inside a longer run of digits, with a correct check character and an existing
    birth date. Full-width digits count. Masked forms such as ``1201**********1234`` do not.
    """
    return bool(_resident_id_spans(text))


def looks_like_phone(text: str) -> bool:
    """Return whether ``text`` contains an unmasked mainland mobile number.

    A candidate is 11 digits starting ``13``-``19`` (optionally ``86``/``+86`` before it,
    optionally grouped 3-4-4 by a space or hyphen), not inside a longer run of digits.
    Landlines are not flagged: agencies publish their own landlines for complaints and
    objections, so a landline in a publication is usually meant to be there.
    """
    return _PHONE_CANDIDATE_RE.search(text) is not None


def find_unmasked_personal_data(text: str) -> list[str]:
    """Return the unmasked resident identity numbers and mobile numbers in ``text``.

    Substrings come in order of appearance, as written in ``text``; a mobile-number match
    lying inside an identity-number match is not reported twice. The criteria are those of
    :func:`looks_like_resident_id` and :func:`looks_like_phone`.
    """
    spans = _resident_id_spans(text)
    for match in _PHONE_CANDIDATE_RE.finditer(text):
        start, end = match.span()
        if not any(start < id_end and id_start < end for id_start, id_end in spans):
            spans.append((start, end))
    return [text[start:end] for start, end in sorted(spans)]


def mask_personal_data(text: str) -> str:
    """``text`` with every unmasked resident identity number and mobile number masked.

    >>> mask_personal_data("联系人 13812345678")
    '联系人 138****5678'
    """
    for found in find_unmasked_personal_data(text):
        masked = mask_resident_id(found) if looks_like_resident_id(found) else mask_phone(found)
        text = text.replace(found, masked)
    return text


def mask_inspector_key(key: str) -> str:
    """An inspector key for publication: an identity number masked, a certificate number kept.

    >>> mask_inspector_key("TJ-LS-120101-0001")
    'TJ-LS-120101-0001'
    """
    if looks_like_resident_id(key):
        return mask_resident_id(key)
    return mask_personal_data(key)
