"""The scenarios of the published draw test vectors, and the document of one vector.

Shared by the version-1 and version-2 vector tests (docs/test-vectors/ and its v2/ folder).
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import attrs

from randcheck.canonical import unstructure
from randcheck.demo.synthetic import enterprises as synthetic_enterprises
from randcheck.domain import Enterprise, Grade, Line, Plan, RiskFlags
from randcheck.sampling import Frame, Seed, commit, draw


def directory() -> list[Enterprise]:
    return list(synthetic_enterprises(40, seed="test-vectors"))


def scenarios() -> dict[str, tuple[str, list[Enterprise], Plan, str, dict[str, int]]]:
    pool = directory()
    base = Plan(code="VEC", year=2027, line=Line.LABOUR_INSPECTION, ratio=Fraction(1, 4))
    basic = [attrs.evolve(e, grade=Grade.B, risk=RiskFlags()) for e in pool[:8]]
    grades = [Grade.A, Grade.A, Grade.A, Grade.B, Grade.B, Grade.B, Grade.C, Grade.C]
    weighted = [
        attrs.evolve(e, district="和平区", grade=g, risk=RiskFlags())
        for e, g in zip(pool[8:16], grades, strict=True)
    ]
    weighted.append(
        attrs.evolve(pool[16], district="和平区", grade=Grade.C, risk=RiskFlags(key_area=True))
    )
    heavy = attrs.evolve(
        pool[17],
        district="河西区",
        grade=Grade.C,
        risk=RiskFlags(complaints_12m=4, abnormal_operations=True, serious_violation=True),
    )
    mixed = [heavy] + [
        attrs.evolve(e, district=d, grade=g)
        for e, (d, g) in zip(
            pool[18:36],
            [("河西区", Grade.C)] * 5
            + [("河东区", Grade.A)]
            + [("滨海新区", Grade.B)] * 6
            + [("滨海新区", Grade.UNRATED)] * 6,
            strict=True,
        )
    ]
    return {
        "basic": (
            "One stratum of eight enterprises of equal weight; ratio 1/4 gives n = 2.",
            basic,
            attrs.evolve(base, strata=()),
            "1 2 3 4 5 6",
            {},
        ),
        "weighted": (
            "One district, grades A (weight 1/2), B (1) and C (2), one C in a key supervision "
            "area (3); ratio 1/3 of 9 gives n = 3.",
            weighted,
            attrs.evolve(base, strata=("district",), ratio=Fraction(1, 3)),
            "双色球 2027025：03 07 12 19 26 31 + 14",
            {},
        ),
        "strata-certainty-cap": (
            "Strata district|grade, at least one per stratum, a certainty unit of weight 16 in "
            "河西区|C, half-up rounding, and one enterprise excluded at the yearly cap.",
            mixed,
            attrs.evolve(
                base,
                strata=("district", "grade"),
                ratio=Fraction(1, 4),
                min_one_per_stratum=True,
                stratum_ratios={"河西区|C": Fraction(1, 2)},
            ),
            "dice: 4 6 1 3 3 5 2 6",
            {pool[30].uscc: 2},
        ),
    }


def proportional_scenario() -> tuple[str, list[Enterprise], Plan, str, dict[str, int]]:
    """The scenario of the allocation proportional to weight (docs/algorithm.md § 4.2)."""
    pool = list(synthetic_enterprises(25, seed="test-vectors-allocation"))
    plain = RiskFlags()
    spec = (
        [("和平区", Grade.A, plain)] * 8
        + [("和平区", Grade.B, plain)] * 8
        + [("和平区", Grade.C, plain)] * 5
        + [("和平区", Grade.C, RiskFlags(complaints_12m=3, abnormal_operations=True))]
        + [("河西区", Grade.C, RiskFlags(key_area=True, serious_violation=True))]
        + [("河西区", Grade.C, RiskFlags(complaints_12m=3, abnormal_operations=True))]
        + [("河东区", Grade.A, plain)]
    )
    directory = [
        attrs.evolve(e, district=d, grade=g, risk=r)
        for e, (d, g, r) in zip(pool, spec, strict=True)
    ]
    plan = Plan(
        code="VEC",
        year=2027,
        line=Line.LABOUR_INSPECTION,
        ratio=Fraction(1, 3),
        strata=("district", "grade"),
        min_one_per_stratum=True,
        allocation="proportional-to-weight",
    )
    return (
        "Allocation proportional to weight: strata district|grade, ratio 1/3 of 25 gives "
        "n = 8; 河东区|A (one unit) is raised to its floor of one, 河西区|C (weights 6 and 8) "
        "gets its whole size, there is a certainty unit of weight 8 in 和平区|C, and the "
        "rest is divided by weight and rounded by largest remainder.",
        directory,
        plan,
        "dice: 2 5 5 1 6 3 4 4",
        {},
    )


def vector_document(name: str, description: str, seed: str, frame: Frame) -> dict[str, Any]:
    """The published document of one vector: its frame, and the draw under ``seed``."""
    record = draw(frame, commit(frame), Seed(value=seed, source="test vector"))
    return {
        "name": name,
        "description": description,
        "seed": seed,
        "frame_digest": frame.digest(),
        "frame": json.loads(frame.to_json()),
        "expected": {
            "strata": unstructure(record.strata),
            "selected": unstructure(record.selected),
        },
    }
