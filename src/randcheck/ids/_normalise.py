"""Normalisation shared by the identifier standards: separators, case, full-width characters."""

from __future__ import annotations

import unicodedata
from typing import Final

DIGITS: Final = frozenset("0123456789")
SEPARATORS: Final = (" ", "-", "\u3000")


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
