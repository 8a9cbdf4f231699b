"""How an enterprise's sampling weight is built: one factor per class scheme and risk factor.

:meth:`Profile.weight <randcheck.profiles.Profile.weight>` multiplies the weight of the
enterprise's class in each classification scheme by the multiplier of each risk factor
(Art. 9 and 12, R-RISK-WEIGHT). :func:`weight_factors` lists those factors, so that a person
can be shown how a weight came about (``randcheck explain``); their product is the weight.
"""

from __future__ import annotations

from fractions import Fraction

import attrs

from randcheck.domain import Enterprise
from randcheck.profiles.schema import Profile
from randcheck.text import Text

__all__ = ["WeightFactor", "weight_factors"]


@attrs.frozen(kw_only=True)
class WeightFactor:
    """One factor of a weight: what it is, the enterprise's value for it, and its multiplier.

    ``kind`` is ``"class"`` (a classification scheme; ``value`` the class code) or ``"risk"``
    (a risk factor; ``value`` the enterprise's count or 1/0 for a flag).
    """

    kind: str
    id: str
    name: Text
    value: str
    multiplier: Fraction


def weight_factors(profile: Profile, enterprise: Enterprise) -> tuple[WeightFactor, ...]:
    """The factors of ``profile.weight(enterprise)``, schemes first, in the profile's order.

    Every scheme and every risk factor is listed, a multiplier of 1 included, so that the
    list shows what was considered as well as what changed the weight.

    Raises:
        ValidationError: a class the profile's schemes do not know (as ``weight`` does).
    """
    factors = [
        WeightFactor(
            kind="class",
            id=scheme.id,
            name=scheme.name,
            value=(code := profile.class_of(enterprise, scheme)),
            multiplier=profile.class_weight(scheme, code),
        )
        for scheme in profile.classification
    ]
    for factor in profile.risk_factors:
        value = enterprise.risk.value(factor.id)
        factors.append(
            WeightFactor(
                kind="risk",
                id=factor.id,
                name=factor.name,
                value=str(value),
                multiplier=factor.multiplier(value),
            )
        )
    return tuple(factors)
