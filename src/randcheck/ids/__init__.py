"""Identifier standards, one module each, in the manner of python-stdnum
(``compact`` / ``validate`` / ``is_valid``):

* :mod:`randcheck.ids.uscc` — unified social credit code (统一社会信用代码, GB 32100-2015);
* :mod:`randcheck.ids.resident_id` — resident identity number (公民身份号码, GB 11643-1999).

:func:`compact_identifier` is the spelling-blind form of any identifier (full-width characters,
dashes, spaces, case), in which two records naming one person by the same number agree.

Masking and detection of personal data in text live in :mod:`randcheck.privacy`; their names
are re-exported here for code written against earlier releases. The districts of Tianjin are
jurisdiction data: :attr:`randcheck.profiles.TIANJIN_HRSS.districts` (``TIANJIN_DISTRICTS``
here is deprecated).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from randcheck._deprecation import warn_deprecated
from randcheck.ids._normalise import compact_identifier
from randcheck.ids.resident_id import (
    compact_resident_id,
    is_valid_resident_id,
    mask_resident_id,
    resident_id_birth_date,
    resident_id_check_character,
    validate_resident_id,
)
from randcheck.ids.uscc import (
    USCC_ALPHABET,
    compact_uscc,
    has_valid_organisation_code,
    is_valid_uscc,
    organisation_code_check_character,
    uscc_check_character,
    validate_uscc,
)
from randcheck.privacy import (
    find_unmasked_personal_data,
    looks_like_phone,
    looks_like_resident_id,
    mask_inspector_key,
    mask_personal_data,
    mask_phone,
)

__all__ = [
    "USCC_ALPHABET",
    "compact_identifier",
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


def _tianjin_districts() -> tuple[tuple[str, str, str], ...]:
    # Imported here, not above: the profiles import the domain, which imports this package.
    from randcheck.profiles import TIANJIN_HRSS

    return tuple((d.code, d.name, d.en) for d in TIANJIN_HRSS.districts)


# Deprecated names still import, with a warning; type checkers are not shown them.
if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        """``TIANJIN_DISTRICTS``: the districts of ``cn-tj-hrss`` as ``(code, name, pinyin)``,
        deprecated for :attr:`randcheck.profiles.TIANJIN_HRSS.districts`."""
        if name != "TIANJIN_DISTRICTS":
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        warn_deprecated(
            f"{__name__}.TIANJIN_DISTRICTS", "randcheck.profiles.TIANJIN_HRSS.districts"
        )
        return _tianjin_districts()
