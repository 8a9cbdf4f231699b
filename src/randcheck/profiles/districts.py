"""Districts named the way people write them: finding a profile's district from a cell's text.

A bureau's export writes a district as the profile does (``和平区``), with the names of the
province or city before it (``天津市和平区``), in full-width forms, or by its
GB/T 2260 area code (``120101``). :func:`match_district` finds the profile's district for each
of these; :func:`uscc_area_code` reads the area code a unified social credit code carries
(GB 32100-2015: characters 3–8 are the registration authority's administrative division code),
which a directory row's district can be compared with.
"""

from __future__ import annotations

import re
import unicodedata

import attrs

from randcheck.profiles.schema import District, Profile

__all__ = ["DistrictMatch", "match_district", "uscc_area_code"]

# What may stand before a district's name: names of provinces, cities and prefectures, each
# ending in the word that says what it is, and GB/T 2260's 市辖区 (a city's districts).
_ADMIN_PREFIX = re.compile(r"(?:[^\s省市州盟]{1,12}?(?:省|市|自治区|自治州|地区|盟)|市辖区)+")


@attrs.frozen(kw_only=True)
class DistrictMatch:
    """A cell's district: the profile's district, and whether the cell spelled it otherwise.

    ``exact`` is true when the cell held the district's name as the profile writes it.
    """

    district: District
    exact: bool


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def match_district(profile: Profile, text: str) -> DistrictMatch | None:
    """The district of ``profile`` that ``text`` names, or ``None``.

    ``text`` matches a district when, after NFKC normalisation and with white space removed,
    it is the district's name (``和平区``), its area code (``120101``), its romanised name with
    or without the division word (``Heping Qu``, ``Heping``, ignoring case), or its name behind
    the names of the province or city (``天津市和平区``, ``河北省石家庄市长安区``).

    Returns ``None`` for a text that names no district, and when the profile lists no
    districts.
    """
    cleaned = _clean(text)
    if not cleaned:
        return None
    for district in profile.districts:
        if cleaned == district.name:
            return DistrictMatch(district=district, exact=cleaned == text)
    for district in profile.districts:
        if cleaned == district.code or cleaned.casefold() in _english(district):
            return DistrictMatch(district=district, exact=False)
    for district in profile.districts:
        if not cleaned.endswith(district.name):
            continue
        prefix = cleaned[: -len(district.name)]
        if _ADMIN_PREFIX.fullmatch(prefix):
            return DistrictMatch(district=district, exact=False)
    return None


def _english(district: District) -> tuple[str, ...]:
    # ``Heping Qu`` is also written ``HepingQu`` or ``Heping``: the pinyin name without the
    # word for what kind of division it is.
    words = district.en.split()
    if not words:
        return ()
    forms = ["".join(words).casefold()]
    if len(words) > 1:
        forms.append("".join(words[:-1]).casefold())
    return tuple(forms)


def uscc_area_code(uscc: str) -> str | None:
    """The administrative division code a unified social credit code carries, or ``None``.

    GB 32100-2015 §4: characters 3–8 (1-based) are the registering authority's GB/T 2260 code.
    ``None`` when those characters are not six digits (an organisation registered outside the
    division system).
    """
    code = uscc[2:8]
    return code if len(code) == 6 and code.isdigit() else None
