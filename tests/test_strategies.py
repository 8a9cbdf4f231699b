"""Tests for randcheck.strategies: every generated value is valid, survives canonical JSON, and
``st.from_type`` finds a strategy for every type once randcheck is installed."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from typing import Any

import attrs
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from randcheck import strategies as rs
from randcheck.canonical import canonical_json, structure, unstructure
from randcheck.domain import (
    STRATUM_KEYS,
    CheckItem,
    CheckItemList,
    Conflict,
    ConflictGround,
    CrossDistrictBounds,
    Enterprise,
    Grade,
    Inspector,
    LegalBasis,
    LegalRank,
    Line,
    Plan,
    PublicInspector,
    RiskFlags,
    SampleAllocation,
    Scope,
    TimeWindow,
)
from randcheck.errors import ValidationError
from randcheck.ids import (
    find_unmasked_personal_data,
    has_valid_organisation_code,
    is_valid_resident_id,
    is_valid_uscc,
    resident_id_birth_date,
)
from randcheck.profiles import TIANJIN_HRSS, Profile, Source

CODE = {d.name: d.code for d in TIANJIN_HRSS.districts}

REGISTERED: list[type[Any]] = [
    RiskFlags,
    Enterprise,
    Inspector,
    PublicInspector,
    Conflict,
    LegalBasis,
    CheckItem,
    CheckItemList,
    Scope,
    TimeWindow,
    CrossDistrictBounds,
    Plan,
    Source,
    Profile,
]

EVERY_STRATEGY: list[st.SearchStrategy[Any]] = [
    rs.risk_flags(),
    rs.enterprises(),
    rs.inspectors(),
    rs.inspectors(complete=False),
    rs.public_inspectors(),
    rs.conflicts(),
    rs.legal_bases(),
    rs.check_items(),
    rs.check_items(complete=False),
    rs.check_item_lists(),
    rs.check_item_lists(complete=False),
    rs.scopes(),
    rs.time_windows(),
    rs.cross_district_bounds(),
    rs.plans(),
    rs.plans(complete=False),
    rs.sources(),
    rs.profiles(),
]


# --- every value is valid and round-trips ---------------------------------------------------


@given(st.one_of(EVERY_STRATEGY))
def test_generated_values_pass_validation(value: Any) -> None:
    """Rebuilding runs every converter and validator again; nothing changes, nothing raises."""
    assert attrs.evolve(value) == value
    assert type(value)(**attrs.asdict(value, recurse=False)) == value


@given(st.one_of(EVERY_STRATEGY))
def test_generated_values_survive_canonical_json(value: Any) -> None:
    data = unstructure(value)
    text = canonical_json(data)
    assert structure(data, type(value)) == value
    assert canonical_json(unstructure(structure(data, type(value)))) == text


@pytest.mark.parametrize("cls", REGISTERED, ids=lambda cls: cls.__name__)
def test_from_type_finds_a_valid_strategy(cls: type[Any]) -> None:
    @given(st.from_type(cls))
    def check(value: Any) -> None:
        assert isinstance(value, cls)
        assert attrs.evolve(value) == value

    check()


def test_setup_hook_registers_every_type(monkeypatch: pytest.MonkeyPatch) -> None:
    registered: list[type[Any]] = []
    monkeypatch.setattr(st, "register_type_strategy", lambda cls, _: registered.append(cls))
    rs._hypothesis_setup_hook()
    assert sorted(registered, key=repr) == sorted(REGISTERED, key=repr)


def _run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_entry_point_registers_strategies_in_a_fresh_interpreter() -> None:
    out = _run(
        "from hypothesis import strategies as st; from randcheck.domain import Enterprise; "
        "print(st.from_type(Enterprise).example())"
    )
    assert out.startswith("Enterprise(uscc=")


def test_strategies_imported_before_hypothesis_still_register() -> None:
    # Importing this module first makes Hypothesis run the entry point on a half-initialised
    # module; registration must still happen, at the end of the module.
    out = _run(
        "import randcheck.strategies; from hypothesis import strategies as st; "
        "from randcheck.domain import Plan; print(st.from_type(Plan).example().code)"
    )
    assert out.startswith("TJ-")


def test_setup_hook_is_a_no_op_on_a_half_initialised_module(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    registered: list[type[Any]] = []
    monkeypatch.setattr(st, "register_type_strategy", lambda cls, _: registered.append(cls))
    monkeypatch.delattr(rs, "_register_strategies")
    rs._hypothesis_setup_hook()
    assert registered == []


def test_importing_randcheck_does_not_import_hypothesis() -> None:
    out = _run(
        "import sys, randcheck, randcheck.domain, randcheck.profiles, randcheck.demo.synthetic; "
        "print('hypothesis' in sys.modules)"
    )
    assert out.strip() == "False"


# --- what each strategy promises ------------------------------------------------------------


@given(rs.usccs())
def test_usccs_are_valid_tianjin_codes(code: str) -> None:
    assert is_valid_uscc(code)
    assert has_valid_organisation_code(code)
    assert code[0] in "915Y"
    assert code[1] in "123"
    assert code[2:8] in CODE.values()


@given(st.sampled_from(sorted(CODE)).flatmap(lambda d: st.tuples(st.just(d), rs.usccs(district=d))))
def test_usccs_of_a_district(pair: tuple[str, str]) -> None:
    district, code = pair
    assert code[2:8] == CODE[district]


@given(st.data())
def test_unknown_district_is_refused(data: st.DataObject) -> None:
    with pytest.raises(ValidationError) as exc:
        data.draw(rs.usccs(district="朝阳区"))
    assert exc.value.field == "district"
    assert exc.value.got == "朝阳区"


@given(rs.resident_ids())
def test_resident_ids_are_valid_adults_by_default(number: str) -> None:
    assert is_valid_resident_id(number)
    assert number[:6] in CODE.values()
    assert resident_id_birth_date(number) < date(2006, 1, 1)


@given(rs.resident_ids(born_before=date(1980, 1, 1)))
def test_resident_ids_born_before(number: str) -> None:
    assert resident_id_birth_date(number) < date(1980, 1, 1)


@given(rs.phones())
def test_phones_are_mobile_or_tianjin_landline(phone: str) -> None:
    assert re.fullmatch(r"1[3-9]\d{9}|022-[2-9]\d{7}", phone)


@given(rs.phones(mobile_only=True))
def test_mobile_only(phone: str) -> None:
    assert re.fullmatch(r"1[3-9]\d{9}", phone)


@given(rs.person_names())
def test_person_names(name: str) -> None:
    assert 2 <= len(name) <= 3


@given(rs.enterprises(district="滨海新区", grade=Grade.C, industry="建筑业", risk=RiskFlags()))
def test_enterprise_options_fix_attributes(e: Enterprise) -> None:
    assert (e.district, e.grade, e.industry, e.risk) == ("滨海新区", Grade.C, "建筑业", RiskFlags())
    assert e.uscc[2:8] == "120116"


@given(rs.enterprises())
def test_enterprises_are_realistic(e: Enterprise) -> None:
    assert e.district in CODE
    assert e.uscc[2:8] == CODE[e.district]
    assert e.name.startswith("天津")


@given(rs.inspectors())
def test_complete_inspectors_have_every_art_7_field(i: Inspector) -> None:
    assert i.name
    assert i.department
    assert i.post
    assert i.certificate_no or i.resident_id
    assert i.phone
    assert i.lines
    assert i.district in CODE


@given(rs.inspectors(lines=[Line.SOCIAL_INSURANCE_AUDIT], district="河西区", interests=False))
def test_inspector_options(i: Inspector) -> None:
    assert i.lines == frozenset({Line.SOCIAL_INSURANCE_AUDIT})
    assert i.district == "河西区"
    assert list(i.interests()) == []
    if i.certificate_no is not None:
        assert i.certificate_no.startswith("TJ-SB-120103-")


@given(rs.inspectors(valid_on=date(2027, 6, 1)))
def test_inspectors_valid_on(i: Inspector) -> None:
    assert i.certificate_valid_on(date(2027, 6, 1))


@given(rs.inspectors(complete=False))
def test_incomplete_inspectors_still_have_a_key(i: Inspector) -> None:
    assert i.key


@given(rs.public_inspectors())
def test_public_inspectors_leak_nothing(view: PublicInspector) -> None:
    assert find_unmasked_personal_data(str(attrs.asdict(view))) == []


@given(rs.conflicts())
def test_conflict_other_has_a_note(c: Conflict) -> None:
    assert c.ground is not ConflictGround.OTHER or c.note


@given(
    rs.conflicts(
        inspector="TJ-LS-120101-0001", enterprise="91120116MA05EFEJ32", ground=ConflictGround.OTHER
    )
)
def test_conflict_options(c: Conflict) -> None:
    assert (c.inspector, c.enterprise, c.ground) == (
        "TJ-LS-120101-0001",
        "91120116MA05EFEJ32",
        ConflictGround.OTHER,
    )
    assert c.note


@given(rs.legal_bases(sufficient=True, in_force_on=date(2027, 1, 1)))
def test_legal_bases_in_force(b: LegalBasis) -> None:
    assert TIANJIN_HRSS.rank_sufficient(b.rank)
    assert b.in_force_on(date(2027, 1, 1))


@given(rs.legal_bases(sufficient=False))
def test_insufficient_legal_bases(b: LegalBasis) -> None:
    assert b.rank == LegalRank.NORMATIVE_DOCUMENT


@given(rs.legal_ranks(sufficient=True))
def test_sufficient_ranks(rank: LegalRank) -> None:
    assert rank.sufficient


@given(rs.check_items(line=Line.MEDICAL_INSURANCE_SUPERVISION, in_force_on=date(2027, 1, 1)))
def test_complete_check_items(item: CheckItem) -> None:
    assert item.line == Line.MEDICAL_INSURANCE_SUPERVISION
    assert item.code.startswith("YB-")
    assert item.content
    assert item.inspecting_body
    assert item.target_type
    assert item.bases
    assert all(
        TIANJIN_HRSS.rank_sufficient(b.rank) and b.in_force_on(date(2027, 1, 1)) for b in item.bases
    )


@given(rs.check_item_lists(line=Line.LABOUR_INSPECTION, min_size=2, max_size=4))
def test_check_item_lists(items: CheckItemList) -> None:
    assert items.line == Line.LABOUR_INSPECTION
    assert 2 <= len(items.items) <= 4
    assert items.published is not None
    assert items.published <= items.effective
    assert all(b.in_force_on(items.effective) for item in items.items for b in item.bases)


@given(rs.time_windows(year=2027))
def test_time_windows_in_a_year(window: TimeWindow) -> None:
    assert window.start.year == window.end.year == 2027


@given(rs.plans(year=2027, line=Line.SOCIAL_INSURANCE_AUDIT, items=["SB-01"]))
def test_complete_plans_are_lawful(plan: Plan) -> None:
    assert plan.year == 2027
    assert plan.line == Line.SOCIAL_INSURANCE_AUDIT
    assert plan.items == ("SB-01",)
    # The five contents of Art. 9.
    assert plan.scope.description
    assert plan.inspector_requirements
    assert plan.ratio is not None
    assert plan.rounds is not None
    assert plan.windows
    assert plan.procedure
    assert all(w.start.year == w.end.year == 2027 for w in plan.windows)
    assert plan.rounds == len(plan.windows)  # one window per round
    assert plan.team_size >= 2
    assert set(plan.strata) <= set(STRATUM_KEYS)
    # Art. 8: submitted by 30 November of the year before, published after submission.
    assert plan.submitted is not None
    assert plan.published is not None
    assert plan.submitted <= date(2026, 11, 30)
    assert plan.submitted <= plan.published < date(2027, 1, 1)


@given(rs.plans())
def test_plans_divide_by_weight_only_one_overall_ratio(plan: Plan) -> None:
    if plan.allocation is SampleAllocation.PROPORTIONAL_TO_WEIGHT:
        assert plan.ratio is not None
        assert not plan.stratum_ratios


@pytest.mark.parametrize("allocation", list(SampleAllocation))
def test_plans_come_with_either_allocation(allocation: SampleAllocation) -> None:
    # Generation only: a plan showing the allocation is all that is asked, not a minimal one.
    quick = settings(phases=[Phase.generate], database=None, max_examples=200)
    plan = find(rs.plans(year=2027), lambda p: p.allocation is allocation, settings=quick)
    assert plan.allocation is allocation


@given(rs.plans())
def test_named_stratum_ratios_match_the_strata(plan: Plan) -> None:
    if plan.stratum_ratios:
        assert plan.strata == ("district",)
        assert {name for name, _ in plan.stratum_ratios} <= set(CODE)
