"""Jurisdictions as data: the profile schema, loading profile files, and the registry.

A profile is everything a jurisdiction's random-inspection rules fix or leave to policy — lines
and departments, districts, classification schemes and weights, risk factors, periods and how
their days are counted, the plan deadline, the yearly cap, the team rule, the open lists of
targeted grounds and dispositions, and the article and verbatim quotation each rule rests on.
Profiles are TOML files (``docs/profiles.md``); the shipped ones live in
``randcheck/profiles/data``:

* ``cn-tj-hrss`` — 天津市人力资源社会保障领域“双随机一公开”工作细则（试行）, the Tianjin
  HR & social-security rules;


"""

from __future__ import annotations

from randcheck.profiles.loading import SCHEMA_VERSION, load_profile, read_profile
from randcheck.profiles.registry import (
    ENTRY_POINT_GROUP,
    get_profile,
    profile_names,
    register_profile,
    shipped_profile,
)
from randcheck.profiles.schema import (
    FIXED_STRATUM_KEYS,
    ArticleRef,
    CapRule,
    CapScope,
    ClassDef,
    ClassScheme,
    District,
    LineDef,
    OpenChoice,
    PeriodRule,
    Profile,
    RankDef,
    RiskFactor,
    RuleCitation,
    Severity,
    Source,
    TeamRule,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "FIXED_STRATUM_KEYS",
    "SCHEMA_VERSION",
    "TIANJIN_HRSS",
    "ArticleRef",
    "CapRule",
    "CapScope",
    "ClassDef",
    "ClassScheme",
    "District",
    "LineDef",
    "OpenChoice",
    "PeriodRule",
    "Profile",
    "RankDef",
    "RiskFactor",
    "RuleCitation",
    "Severity",
    "Source",
    "TeamRule",
    "get_profile",
    "load_profile",
    "profile_names",
    "read_profile",
    "register_profile",
    "shipped_profile",
]

TIANJIN_HRSS: Profile = shipped_profile("cn-tj-hrss")
"""The Tianjin HR & social-security profile (``cn-tj-hrss``)."""

register_profile(TIANJIN_HRSS)
