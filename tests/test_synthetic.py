"""Tests for randcheck.demo.synthetic: determinism, validity, uniqueness and the stated mix.

Statistical checks use fixed seeds and N = 20 000 enterprises; a share p then has a standard
error of at most 0.36 percentage points, and every tolerance below is at least four of them.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from randcheck.calendars import plan_submitted_on_time
from randcheck.canonical import structure, unstructure
from randcheck.demo.synthetic import (
    INDUSTRIES,
    MAX_ENTERPRISES,
    conflicts,
    demo_check_item_list,
    demo_plan,
    enterprises,
    inspectors,
)
from randcheck.domain import (
    CheckItemList,
    ConflictGround,
    CrossDistrictBounds,
    Enterprise,
    Grade,
    Inspector,
    LegalRank,
    Line,
    Plan,
)
from randcheck.errors import ValidationError
from randcheck.ids import (
    has_valid_organisation_code,
    is_valid_resident_id,
    is_valid_uscc,
)
from randcheck.profiles import TIANJIN_HRSS

N = 20_000
CODE = {d.name: d.code for d in TIANJIN_HRSS.districts}
CENTRAL = {"和平区", "河东区", "河西区", "南开区", "河北区", "红桥区"}


@pytest.fixture(scope="module")
def directory() -> list[Enterprise]:
    return list(enterprises(N, seed="test"))


@pytest.fixture(scope="module")
def staff() -> list[Inspector]:
    return inspectors(seed="test")


def share(count: int, total: int) -> Fraction:
    return Fraction(count, total)


# --- enterprises ----------------------------------------------------------------------------


def test_same_seed_same_enterprises() -> None:
    assert list(enterprises(300, seed="s")) == list(enterprises(300, seed="s"))


def test_different_seed_different_enterprises() -> None:
    first = {e.uscc for e in enterprises(300, seed="s")}
    second = {e.uscc for e in enterprises(300, seed="t")}
    assert len(first & second) < 10


def test_default_seed_is_demo() -> None:
    assert list(enterprises(5)) == list(enterprises(5, seed="demo"))


def test_a_longer_stream_starts_with_the_shorter_one() -> None:
    assert list(enterprises(1000, seed="s"))[:100] == list(enterprises(100, seed="s"))


def test_stream_is_lazy() -> None:
    stream = enterprises(MAX_ENTERPRISES, seed="s")
    assert isinstance(next(stream), Enterprise)


@pytest.mark.parametrize("n", [-1, MAX_ENTERPRISES + 1, True, 2.0, "10"])
def test_enterprise_count_is_checked(n: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        enterprises(n)
    assert exc.value.field == "n"
    assert exc.value.got == n


def test_no_enterprises() -> None:
    assert list(enterprises(0)) == []


def test_codes_unique_valid_and_of_the_district(directory: list[Enterprise]) -> None:
    assert len({e.uscc for e in directory}) == N
    for e in directory:
        assert is_valid_uscc(e.uscc)
        assert has_valid_organisation_code(e.uscc)
        assert e.uscc[0] == "9"
        assert e.uscc[1] in "123"
        assert e.uscc[2:8] == CODE[e.district]


def test_both_organisation_code_styles(directory: list[Enterprise]) -> None:
    modern = sum(e.uscc[8:10] == "MA" for e in directory)
    assert abs(share(modern, N) - Fraction(1, 2)) < Fraction(2, 100)


def test_all_sixteen_districts_binhai_largest(directory: list[Enterprise]) -> None:
    counts = Counter(e.district for e in directory)
    assert set(counts) == set(CODE)
    assert counts.most_common(1)[0][0] == "滨海新区"
    # Stated share 28 % for 滨海新区, 2.5 % for the smallest districts.
    assert abs(share(counts["滨海新区"], N) - Fraction(28, 100)) < Fraction(15, 1000)
    assert min(counts.values()) > N * 2 // 100


def test_grade_mix(directory: list[Enterprise]) -> None:
    counts = Counter(e.grade for e in directory)
    stated = {
        Grade.A: Fraction(20, 100),
        Grade.B: Fraction(50, 100),
        Grade.C: Fraction(10, 100),
        Grade.UNRATED: Fraction(20, 100),
    }
    for grade, expected in stated.items():
        assert abs(share(counts[grade], N) - expected) < Fraction(15, 1000), grade


def test_risk_mix(directory: list[Enterprise]) -> None:
    complaints = Counter(e.risk.complaints_12m for e in directory)
    assert set(complaints) <= set(range(6))
    assert abs(share(complaints[0], N) - Fraction(90, 100)) < Fraction(15, 1000)
    assert all(complaints[k] > 0 for k in range(1, 6))
    abnormal = sum(e.risk.abnormal_operations for e in directory)
    assert abs(share(abnormal, N) - Fraction(3, 100)) < Fraction(6, 1000)
    serious = sum(e.risk.serious_violation for e in directory)
    assert abs(share(serious, N) - Fraction(1, 100)) < Fraction(4, 1000)
    serious_c = [e.risk.serious_violation for e in directory if e.grade == Grade.C]
    serious_a = [e.risk.serious_violation for e in directory if e.grade == Grade.A]
    assert share(sum(serious_c), len(serious_c)) > share(sum(serious_a), len(serious_a))


def test_key_area_is_one_whole_district_and_one_whole_industry(
    directory: list[Enterprise],
) -> None:
    def all_key(key: str) -> set[str]:
        groups: dict[str, list[bool]] = {}
        for e in directory:
            groups.setdefault(getattr(e, key), []).append(e.risk.key_area)
        return {name for name, flags in groups.items() if all(flags)}

    (district,) = all_key("district")
    (industry,) = all_key("industry")
    assert district != "滨海新区"
    assert industry in {"建筑业", "住宿和餐饮业"}
    for e in directory:
        assert e.risk.key_area == (e.district == district or e.industry == industry)


def test_names_and_industries(directory: list[Enterprise]) -> None:
    assert {e.industry for e in directory} == set(INDUSTRIES)
    kinds = Counter(e.uscc[1] for e in directory)
    assert kinds["1"] > N * 9 // 10
    assert kinds["2"] > 0
    assert kinds["3"] > 0
    for e in directory:
        if e.uscc[1] == "1":
            assert e.name.startswith("天津")
            assert e.name.endswith("公司")
            assert e.industry != "农业"
        elif e.uscc[1] == "2":
            assert e.name.startswith(e.district)
            assert e.industry in {"批发和零售业", "住宿和餐饮业"}
        else:
            assert e.name.endswith("专业合作社")
            assert e.industry == "农业"
            assert e.district not in CENTRAL


@settings(max_examples=20, deadline=None)
@given(st.text(max_size=12))
def test_any_seed_gives_valid_unique_enterprises(seed: str) -> None:
    batch = list(enterprises(200, seed=seed))
    assert len({e.uscc for e in batch}) == 200
    assert all(e.district in CODE for e in batch)


# --- inspectors -----------------------------------------------------------------------------

CERTIFICATE = re.compile(r"TJ-(LS|SB|YB)-1201\d\d-\d{4}")


def test_same_seed_same_inspectors() -> None:
    assert inspectors(50, seed="s") == inspectors(50, seed="s")
    assert inspectors(50, seed="s") != inspectors(50, seed="t")
    assert inspectors(5) == inspectors(5, seed="demo", year=2027)


def test_inspector_count() -> None:
    assert len(inspectors()) == 300
    assert inspectors(0) == []


@pytest.mark.parametrize("n", [-1, True, 1.5])
def test_inspector_count_is_checked(n: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        inspectors(n)
    assert exc.value.field == "n"
    assert exc.value.got == n


def test_inspector_records_are_complete(staff: list[Inspector]) -> None:
    assert len({i.key for i in staff}) == len(staff)
    for i in staff:
        assert i.name
        assert i.post
        assert i.section
        assert i.phone
        assert i.district in CODE
        assert i.department == f"{i.district}人力资源和社会保障局"
        assert re.fullmatch(r"1[3-9]\d{9}", i.phone)
        if i.certificate_no is not None:
            assert CERTIFICATE.fullmatch(i.certificate_no)
            assert i.certificate_no.split("-")[2] == CODE[i.district]
        else:
            assert i.resident_id is not None
            assert is_valid_resident_id(i.resident_id)
            assert i.resident_id[:6] == CODE[i.district]


def test_some_inspectors_recorded_by_identity_number(staff: list[Inspector]) -> None:
    by_id = sum(i.certificate_no is None for i in staff)
    assert 10 <= by_id <= 60  # about 10 % of 300


def test_every_district_has_two_inspectors_on_every_line(staff: list[Inspector]) -> None:
    for line in Line:
        counts = Counter(i.district for i in staff if line in i.lines)
        assert set(counts) == set(CODE), line
        assert min(counts.values()) >= 2, line
    per_line = Counter(line for i in staff for line in i.lines)
    assert per_line.most_common(1)[0][0] == Line.LABOUR_INSPECTION


@pytest.mark.parametrize("year", [2027, 2030])
def test_certificates_valid_through_the_year(year: int) -> None:
    for i in inspectors(100, seed="s", year=year):
        assert i.certificate_valid_on(date(year, 1, 1))
        assert i.certificate_valid_on(date(year, 12, 31))


def test_some_inspectors_used_to_work_for_early_enterprises() -> None:
    staff = inspectors(1000, seed="s")
    pool = {e.uscc: e for e in enterprises(200, seed="s")}
    former = [i for i in staff if i.former_employers]
    assert 10 <= len(former) <= 60  # about 3 % of 1000
    for i in former:
        (code,) = i.former_employers
        assert code in pool
        assert pool[code].district == i.district


# --- conflicts ------------------------------------------------------------------------------


def test_conflicts_are_deterministic_and_valid(
    staff: list[Inspector], directory: list[Enterprise]
) -> None:
    found = conflicts(staff, directory, seed="test")
    assert found == conflicts(staff, directory, seed="test")
    assert found != conflicts(staff, directory, seed="other")
    keys = {i.key: i for i in staff}
    districts = {e.uscc: e.district for e in directory}
    for c in found:
        assert c.inspector in keys
        assert keys[c.inspector].district == districts[c.enterprise]
        assert c.note
    assert {c.ground for c in found} == set(ConflictGround)
    # 10 per mille of 20 000 is 200; standard deviation about 14.
    assert 140 <= len(found) <= 260
    assert len({c.enterprise for c in found}) == len(found)


def test_conflicts_do_not_depend_on_position(
    staff: list[Inspector], directory: list[Enterprise]
) -> None:
    sample = directory[:3000]
    forward = conflicts(staff, sample, per_mille=50)
    backward = conflicts(staff, reversed(sample), per_mille=50)
    assert backward == list(reversed(forward))


def test_conflict_density_extremes(staff: list[Inspector]) -> None:
    sample = list(enterprises(100, seed="s"))
    assert conflicts(staff, sample, per_mille=0) == []
    assert len(conflicts(staff, sample, per_mille=1000)) == 100
    assert conflicts([], sample, per_mille=1000) == []


def test_conflicts_fall_back_to_any_inspector(staff: list[Inspector]) -> None:
    heping = [i for i in staff if i.district == "和平区"]
    elsewhere = [e for e in enterprises(200, seed="s") if e.district != "和平区"]
    found = conflicts(heping, elsewhere, per_mille=1000)
    assert len(found) == len(elsewhere)
    assert {c.inspector for c in found} <= {i.key for i in heping}


@pytest.mark.parametrize("per_mille", [-1, 1001, True, 0.5])
def test_conflict_density_is_checked(per_mille: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        conflicts([], [], per_mille=per_mille)
    assert exc.value.field == "per_mille"


# --- check items and plans ------------------------------------------------------------------


@pytest.mark.parametrize("line", list(Line))
def test_check_item_lists_are_complete_and_lawful(line: Line) -> None:
    items = demo_check_item_list(line)
    assert items.line == line
    assert items.effective == date(2026, 1, 1)
    assert items.published is not None
    assert items.published <= items.effective
    assert items.items
    for item in items.items:
        assert item.line == line
        assert item.content
        assert item.inspecting_body
        assert item.target_type
        assert item.bases
        for basis in item.bases:
            assert TIANJIN_HRSS.rank_sufficient(basis.rank)
            assert basis.in_force_on(items.effective)
            assert basis.in_force_on(date(2027, 12, 31))
            assert basis.article.startswith("第")


def test_labour_list_cites_laws_regulations_and_the_tianjin_regulation() -> None:
    bases = {(b.title, b.rank) for item in demo_check_item_list().items for b in item.bases}
    assert ("中华人民共和国劳动法", LegalRank.LAW) in bases
    assert ("中华人民共和国劳动合同法", LegalRank.LAW) in bases
    assert ("中华人民共和国社会保险法", LegalRank.LAW) in bases
    assert ("劳动保障监察条例", LegalRank.ADMINISTRATIVE_REGULATION) in bases
    assert ("天津市劳动和社会保障监察条例", LegalRank.LOCAL_REGULATION) in bases


def test_check_item_list_effective_date() -> None:
    items = demo_check_item_list(Line.SOCIAL_INSURANCE_AUDIT, effective=date(2027, 3, 1))
    assert items.effective == date(2027, 3, 1)
    assert "2027-03-01" in items.version
    assert all(item.code.startswith("SB-") for item in items.items)


def test_demo_plan_is_complete() -> None:
    plan = demo_plan()
    assert plan.year == 2027
    assert plan.line == Line.LABOUR_INSPECTION
    assert plan.items == tuple(item.code for item in demo_check_item_list().items)
    assert plan.scope.description
    assert plan.inspector_requirements
    assert plan.ratio == Fraction(3, 100)
    assert plan.rounds == 2
    assert len(plan.windows) == 2
    assert all(w.start.year == w.end.year == 2027 for w in plan.windows)
    assert plan.procedure
    assert plan.team_size == 2
    assert plan.cross_district == CrossDistrictBounds(minimum=0, maximum=Fraction(1, 2))
    assert plan.strata == ("district", "grade")
    assert plan.submitted == date(2026, 11, 20)
    assert plan.published == date(2026, 11, 25)
    assert plan_submitted_on_time(plan.year, plan.submitted)


def test_demo_plan_for_another_year_and_line() -> None:
    plan = demo_plan(2030, Line.MEDICAL_INSURANCE_SUPERVISION)
    assert plan.items == ("YB-01", "YB-02")
    assert plan.submitted == date(2029, 11, 20)
    assert all(w.start.year == 2030 for w in plan.windows)
    assert plan.code != demo_plan().code


def test_demo_plan_items_from_a_list_or_codes() -> None:
    items = demo_check_item_list(effective=date(2027, 1, 1))
    assert demo_plan(items=items).items == tuple(item.code for item in items.items)
    assert demo_plan(items=["LS-01", "LS-02"]).items == ("LS-01", "LS-02")


# --- everything survives canonical JSON -----------------------------------------------------


def test_synthetic_values_round_trip(staff: list[Inspector], directory: list[Enterprise]) -> None:
    values: list[tuple[Any, type[Any]]] = [
        *((e, Enterprise) for e in directory[:200]),
        *((i, Inspector) for i in staff),
        *((c, type(c)) for c in conflicts(staff, directory[:2000], per_mille=100)),
        *((demo_check_item_list(line), CheckItemList) for line in Line),
        *((demo_plan(line=line), Plan) for line in Line),
    ]
    for value, cls in values:
        assert structure(unstructure(value), cls) == value
