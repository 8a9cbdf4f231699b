"""The weight class of an enterprise: what its sampling weight depends on (R-GRADE-WEIGHT,
R-RISK-WEIGHT).

Art. 9 "可优化随机抽查频次" and Art. 12 "要加大随机抽查力度" make a weight a function of an
enterprise's classes and its risk factors, and of nothing else. Two enterprises with the same
:func:`risk_key` and the same class compare as the rules compare them: the grade rule looks at
classes under one risk key, the risk rule at risk keys within one class. The sampling frame, the
audit and the demo's planting all group enterprises by these keys.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from operator import attrgetter
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from randcheck.domain import Enterprise, RiskFlags

__all__ = ["NO_RISK", "RISK_ATTRIBUTES", "RiskKey", "WeightClassKey", "risk_key", "weight_classes"]

RISK_ATTRIBUTES: Final = (
    "complaints_12m",
    "abnormal_operations",
    "serious_violation",
    "key_area",
    "factors",
)
"""The attributes of :class:`~randcheck.domain.RiskFlags` a weight can depend on, in key order."""

RiskKey = tuple[Hashable, ...]
WeightClassKey = tuple[RiskKey, str]
"""``(risk key, class in the primary scheme)`` of one enterprise."""

NO_RISK: Final[RiskKey] = (0, False, False, False, ())
"""The risk key of an enterprise with no risk factor."""


def risk_key(risk: RiskFlags) -> RiskKey:
    """The risk factors of ``risk`` as a hashable key (:data:`RISK_ATTRIBUTES` in order)."""
    return _RISK_KEY(risk)


# One attrgetter of several names returns their values as a tuple, without a Python loop:
# the audit takes the key of every enterprise of the directory.
_RISK_KEY: Final = attrgetter(*RISK_ATTRIBUTES)


def weight_classes(enterprises: Iterable[Enterprise]) -> dict[str, WeightClassKey]:
    """USCC → (risk key, class) for every enterprise."""
    return {e.uscc: (risk_key(e.risk), e.grade) for e in enterprises}
