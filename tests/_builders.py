"""Identifiers for tests: a code body completed with its check character, and the spellings
a person may type an identifier in."""

from __future__ import annotations

from hypothesis import strategies as st

from randcheck.ids import resident_id_check_character, uscc_check_character


def uscc(body: str) -> str:
    """The unified social credit code whose first 17 characters are ``body``."""
    return body + uscc_check_character(body)


def resident_id(body: str) -> str:
    """The resident identity number whose first 17 digits are ``body``."""
    return body + resident_id_check_character(body)


_HYPHENS = ("-", "－", "—", "‐", "", " ")
_SPACES = (" ", "\u3000", "-", "－")


def full_width(text: str) -> str:
    """``text`` with its printable ASCII characters in their full-width forms (``Ａ１－``)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@st.composite
def spellings(draw: st.DrawFn, identifier: str) -> str:
    """``identifier`` as a person may type it and the directory loaders still read it: lower
    or upper case (a final lower-case ``x``), some characters full-width, each hyphen as a
    full-width hyphen, a dash, a space or nothing, and spaces or hyphens put in between."""
    case = draw(st.sampled_from((str.upper, str.lower, str)))
    out = []
    for c in case(identifier):
        if c == "-":
            c = draw(st.sampled_from(_HYPHENS))
        elif draw(st.booleans()):
            c = full_width(c)
        if draw(st.integers(min_value=0, max_value=5)) == 0:
            c += draw(st.sampled_from(_SPACES))
        out.append(c)
    return "".join(out)
