"""The rules of the library by id, in catalogue (article) order.

A profile cites every one of them (``[rules.R-…]`` in its file, with ``articles = []`` where its
texts make no provision); the audit checks every one of them.
"""

from __future__ import annotations

from typing import Final

__all__ = ["RULE_IDS"]

RULE_IDS: Final = (
    "R-RANDOM",
    "R-COMPLETION",
    "R-FEEDBACK-BY-INSPECTOR",
    "R-PUBLIC",
    "R-ITEM-FIELDS",
    "R-LEGAL-BASIS",
    "R-INSPECTOR-RECORD",
    "R-TEAM",
    "R-PLAN-DEADLINE",
    "R-PLAN-FIELDS",
    "R-GRADE-WEIGHT",
    "R-TARGETED",
    "R-COVERAGE",
    "R-RECUSAL",
    "R-CAP",
    "R-CROSS-DISTRICT",
    "R-ONE-VISIT",
    "R-RISK-WEIGHT",
    "R-DISPOSITION",
    "R-REPORT",
    "R-PUBLICITY",
    "R-RULES-VALID",
)
"""Every rule id, in catalogue order."""
