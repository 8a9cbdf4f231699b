"""Personal data in text meant for publication: detection and masking (R-PUBLIC).

Resident identity numbers and mobile numbers are found inside arbitrary text and masked; a
certificate number, being public under the enforcement-publicity rules, is kept.
"""

from __future__ import annotations

import re
from typing import Final

from randcheck.ids._normalise import ascii_digits, compact
from randcheck.ids.resident_id import birth_date, mask_resident_id, resident_id_check_character

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


# ``\d`` also matches full-width digits, which are common in Chinese text.
_ID_CANDIDATE_RE: Final = re.compile(r"(?<!\d)\d{6}[ -]?\d{8}[ -]?\d{3}[\dXxＸｘ](?!\d)")
_PHONE_CANDIDATE_RE: Final = re.compile(
    r"(?<!\d)(?:\+?(?:86|８６)[ -]?)?[1１][3-9３-９]\d[ -]?\d{4}[ -]?\d{4}(?!\d)"
)


def _is_unmasked_resident_id(candidate: str) -> bool:
    code = ascii_digits(compact(candidate))
    return resident_id_check_character(code[:17]) == code[17] and birth_date(code) is not None


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
