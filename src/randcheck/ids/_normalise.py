"""Normalisation shared by the identifier standards: separators, case, full-width characters."""

from __future__ import annotations

import unicodedata
from typing import Final

DIGITS: Final = frozenset("0123456789")
SEPARATORS: Final = (" ", "-", "\u3000")

# Hyphen-like characters a Chinese input method or a word processor puts where "-" was meant;
# NFKC maps the full-width forms (U+FF0D, U+FE63) to "-" but leaves these as they are.
_DASHES: Final = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))


def compact(value: str) -> str:
    for separator in SEPARATORS:
        value = value.replace(separator, "")
    return value.upper().strip()


def is_ascii_digits(text: str) -> bool:
    return bool(text) and all(c in DIGITS for c in text)


def ascii_digits(text: str) -> str:
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


def compact_identifier(value: str) -> str:
    """The form in which two spellings of one identifier compare equal.

    An identifier typed into a directory or a conflict list — a resident identity number, an
    enforcement certificate number — reads the same whatever the typist's input method did:
    full-width characters (``１２０１``, ``ＴＪ``) become ASCII (Unicode NFKC, as the CSV loaders
    read coded cells), hyphen-like dashes (``－``, ``—``, ``‐``) count as hyphens, spaces
    (ordinary, no-break and ideographic) and hyphens are dropped, and letters are upper-cased,
    so a final ``x`` of an identity number and a lower-case certificate number match their
    upper-case forms. Nothing is validated.

    >>> compact_identifier("ｔｊ－ｌｓ－０００１")
    'TJLS0001'
    >>> compact_identifier("120101 19900101 123x")
    '12010119900101123X'
    """
    return compact(unicodedata.normalize("NFKC", value).translate(_DASHES))
