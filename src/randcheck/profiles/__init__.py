"""Jurisdictions as data: the profile schema, loading profile files, and the registry.

A profile is everything a jurisdiction's random-inspection rules fix or leave to policy — lines
and departments, districts, classification schemes and weights, risk factors, periods and how
their days are counted, the plan deadline, the yearly cap, the team rule, the open lists of
targeted grounds and dispositions, and the article and verbatim quotation each rule rests on.
Profiles are TOML files (``docs/profiles.md``); the shipped ones live in
``randcheck/profiles/data``:

* ``cn-tj-hrss`` (:data:`TIANJIN_HRSS`) — 天津市人力资源社会保障领域“双随机一公开”工作细则（试行）,
  the Tianjin HR & social-security rules;
* ``cn-samr-joint`` (:data:`SAMR_JOINT`) — the national market-regulation joint “双随机、一公开”
  supervision (国发〔2019〕5号) with enterprise credit-risk classes A–D (国市监信发〔2022〕6号),
  team and recusal from 行政处罚法 Art. 42–43, publication under 企业信息公示暂行条例; rules the
  texts read make no provision for are "not applicable", and its limitations name every policy
  default and every rule resting on secondary sources.
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
    RecusalPairs,
    RiskFactor,
    RuleCitation,
    Severity,
    Source,
    TeamRule,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "FIXED_STRATUM_KEYS",
    "SAMR_JOINT",
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
    "RecusalPairs",
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

SAMR_JOINT: Profile = shipped_profile("cn-samr-joint")
"""The national market-regulation profile with credit-risk classes A–D (``cn-samr-joint``)."""

register_profile(TIANJIN_HRSS)
register_profile(SAMR_JOINT)
