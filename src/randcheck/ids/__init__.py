"""Identifier standards, one module each, in the manner of python-stdnum
(``compact`` / ``validate`` / ``is_valid``):

* :mod:`randcheck.ids.uscc` — unified social credit code (统一社会信用代码, GB 32100-2015);
* :mod:`randcheck.ids.resident_id` — resident identity number (公民身份号码, GB 11643-1999).

:func:`compact_identifier` is the spelling-blind form of any identifier (full-width characters,
dashes, spaces, case), in which two records naming one person by the same number agree.

Masking and detection of personal data in text live in :mod:`randcheck.privacy`; their names
are re-exported here for code written against earlier releases.
"""

from __future__ import annotations

from typing import Final

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
    "TIANJIN_DISTRICTS",
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
