"""Valid identifiers for tests: a code body completed with its check character."""

from __future__ import annotations

from randcheck.ids import resident_id_check_character, uscc_check_character


def uscc(body: str) -> str:
    """The unified social credit code whose first 17 characters are ``body``."""
    return body + uscc_check_character(body)


def resident_id(body: str) -> str:
    """The resident identity number whose first 17 digits are ``body``."""
    return body + resident_id_check_character(body)
