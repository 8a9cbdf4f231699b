"""Tests for randcheck.domain: every validator, every method, the Chinese names."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from randcheck import strategies as rs
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
    Scope,
    TimeWindow,
)
from randcheck.errors import InvalidIdentifier, ValidationError
from randcheck.ids import mask_resident_id

# Codes computed with the GB 32100 / GB 11643 check characters.
USCC = "91120116MA05EFEJ32"
USCC_2 = "911201168780153156"
BAD_USCC = "91120116MA05EFEJ3A"
RESIDENT_ID = "120101199001011239"
BAD_RESIDENT_ID = "120101199001011230"


def inspector(**changes: Any) -> Inspector:
    fields: dict[str, Any] = {
        "name": "王伟",
        "department": "和平区人力资源和社会保障局",
        "post": "科长",
        "certificate_no": "TJ-LS-120101-0001",
        "phone": "13800138000",
        "district": "和平区",
        "lines": [Line.LABOUR_INSPECTION],
    }
    fields.update(changes)
    return Inspector(**fields)


def enterprise(**changes: Any) -> Enterprise:
    fields: dict[str, Any] = {"uscc": USCC, "name": "天津信诚科技有限公司", "district": "和平区"}
    fields.update(changes)
    return Enterprise(**fields)


def basis(**changes: Any) -> LegalBasis:
    fields: dict[str, Any] = {
        "title": "中华人民共和国劳动合同法",
        "article": "第十条",
        "rank": LegalRank.LAW,
        "effective": date(2008, 1, 1),
    }
    fields.update(changes)
    return LegalBasis(**fields)


def plan(**changes: Any) -> Plan:
    fields: dict[str, Any] = {"code": "TJ-LS-2027", "year": 2027, "line": Line.LABOUR_INSPECTION}
    fields.update(changes)
    return Plan(**fields)


def assert_error(exc: pytest.ExceptionInfo[ValidationError], field: str, got: Any) -> None:
    assert exc.value.field == field
    assert exc.value.expected
    assert exc.value.got == got


# --- enumerations ---------------------------------------------------------------------------


def test_line_zh_names_are_the_lead_agencies_of_art_4() -> None:
    assert Line.LABOUR_INSPECTION.zh == "劳动保障监察"
    assert Line.SOCIAL_INSURANCE_AUDIT.zh == "社会保险稽查"
    assert Line.MEDICAL_INSURANCE_SUPERVISION.zh == "医疗保险监督检查"


def test_grade_zh_names() -> None:
    assert [g.zh for g in Grade] == ["守法诚信", "基本守法诚信", "不守法诚信", "未评级"]


def test_rank_zh_names_and_sufficiency() -> None:
    assert [r.zh for r in LegalRank] == ["法律", "行政法规", "地方性法规", "规章", "规范性文件"]
    # Art. 6: law, regulation or rule may ground an inspection; a normative document may not.
    assert [r for r in LegalRank if not r.sufficient] == [LegalRank.NORMATIVE_DOCUMENT]


def test_enum_values_are_stable_strings() -> None:
    assert Grade("unrated") == Grade.UNRATED
    assert ConflictGround("former-employment") is ConflictGround.FORMER_EMPLOYMENT
    assert Line("social-insurance-audit") == Line.SOCIAL_INSURANCE_AUDIT


# --- enterprises ----------------------------------------------------------------------------


def test_risk_flags_defaults_and_negative_complaints() -> None:
    assert RiskFlags() == RiskFlags(
        complaints_12m=0, abnormal_operations=False, serious_violation=False, key_area=False
    )
    with pytest.raises(ValidationError) as exc:
        RiskFlags(complaints_12m=-1)
    assert_error(exc, "complaints_12m", -1)


def test_enterprise_normalises_code_and_strips_text() -> None:
    e = enterprise(uscc="9112 0116-ma05efej32", name="  天津信诚科技有限公司 ", district=" 和平区")
    assert e.uscc == USCC
    assert e.name == "天津信诚科技有限公司"
    assert e.district == "和平区"
    assert e.industry == ""
    assert e.grade == Grade.UNRATED
    assert e.risk == RiskFlags()


def test_enterprise_rejects_a_bad_check_character() -> None:
    with pytest.raises(InvalidIdentifier) as exc:
        enterprise(uscc=BAD_USCC)
    assert exc.value.field == "uscc"
    assert exc.value.got == BAD_USCC


@pytest.mark.parametrize("field", ["name", "district"])
def test_enterprise_requires_name_and_district(field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        enterprise(**{field: "   "})
    assert_error(exc, field, "")


# --- inspectors -----------------------------------------------------------------------------


def test_inspector_key_is_certificate_else_identity_number() -> None:
    assert inspector().key == "TJ-LS-120101-0001"
    by_id = inspector(certificate_no="  ", resident_id=RESIDENT_ID)
    assert by_id.certificate_no is None
    assert by_id.key == RESIDENT_ID


def test_inspector_needs_a_certificate_or_an_identity_number() -> None:
    with pytest.raises(ValidationError) as exc:
        inspector(certificate_no=None, resident_id="")
    assert_error(exc, "certificate_no", None)


def test_inspector_normalises_and_checks_the_identity_number() -> None:
    assert inspector(resident_id="120101 19900101 1239").resident_id == RESIDENT_ID
    assert inspector(resident_id=None).resident_id is None
    with pytest.raises(InvalidIdentifier) as exc:
        inspector(resident_id=BAD_RESIDENT_ID)
    assert exc.value.field == "resident_id"


def test_inspector_accepts_incomplete_art_7_content() -> None:
    # Missing content is reported by R-INSPECTOR-RECORD, not refused here.
    incomplete = inspector(department="", post="", phone="")
    assert (incomplete.department, incomplete.post, incomplete.phone) == ("", "", "")


def test_inspector_certificate_dates_in_order() -> None:
    same_day = inspector(
        certificate_valid_from=date(2027, 1, 1), certificate_valid_until=date(2027, 1, 1)
    )
    assert same_day.certificate_valid_on(date(2027, 1, 1))
    with pytest.raises(ValidationError) as exc:
        inspector(certificate_valid_from=date(2027, 1, 2), certificate_valid_until=date(2027, 1, 1))
    assert_error(exc, "certificate_valid_until", "2027-01-01")


def test_certificate_valid_on_edges() -> None:
    i = inspector(
        certificate_valid_from=date(2026, 3, 1), certificate_valid_until=date(2027, 2, 28)
    )
    assert not i.certificate_valid_on(date(2026, 2, 28))
    assert i.certificate_valid_on(date(2026, 3, 1))
    assert i.certificate_valid_on(date(2027, 2, 28))
    assert not i.certificate_valid_on(date(2027, 3, 1))


def test_certificate_open_ends_are_valid() -> None:
    assert inspector().certificate_valid_on(date(1900, 1, 1))
    assert inspector(certificate_valid_from=date(2026, 1, 1)).certificate_valid_on(date(2099, 1, 1))
    only_end = inspector(certificate_valid_until=date(2026, 1, 1))
    assert only_end.certificate_valid_on(date(1999, 1, 1))
    assert not only_end.certificate_valid_on(date(2026, 1, 2))


def test_inspector_interests_name_the_ground() -> None:
    i = inspector(
        former_employers=[USCC], relatives_employers=[USCC_2], shareholdings=[USCC, USCC_2]
    )
    assert list(i.interests()) == [
        (USCC, ConflictGround.FORMER_EMPLOYMENT),
        (USCC_2, ConflictGround.RELATIVE),
        (USCC, ConflictGround.SHAREHOLDING),
        (USCC_2, ConflictGround.SHAREHOLDING),
    ]
    assert list(inspector().interests()) == []


@pytest.mark.parametrize("field", ["former_employers", "relatives_employers", "shareholdings"])
def test_inspector_interest_codes_are_checked(field: str) -> None:
    with pytest.raises(InvalidIdentifier):
        inspector(**{field: [USCC, BAD_USCC]})


def test_inspector_lines_become_a_frozenset() -> None:
    i = inspector(lines=[Line.LABOUR_INSPECTION, Line.LABOUR_INSPECTION])
    assert i.lines == frozenset({Line.LABOUR_INSPECTION})


def test_public_view_masks_identity_and_phone() -> None:
    i = inspector(resident_id=RESIDENT_ID, phone="+86 138-0013-8000")
    view = i.public()
    assert isinstance(view, PublicInspector)
    assert view.resident_id == "1201**********1239"
    assert view.phone == "138****8000"
    assert (view.name, view.department, view.post, view.district) == (
        i.name,
        i.department,
        i.post,
        i.district,
    )
    assert view.certificate_no == i.certificate_no


def test_public_view_without_identity_number_or_phone() -> None:
    view = inspector(phone="").public()
    assert view.resident_id is None
    assert view.phone == ""


@given(rs.inspectors())
def test_public_view_never_shows_a_whole_personal_number(i: Inspector) -> None:
    view = i.public()
    if i.resident_id is not None:
        assert view.resident_id == mask_resident_id(i.resident_id)
        assert i.resident_id[6:14] not in str(view)
    if i.phone:
        assert i.phone not in str(view)


# --- conflicts ------------------------------------------------------------------------------


def test_conflict_strips_and_normalises() -> None:
    c = Conflict(
        inspector=" TJ-LS-120101-0001 ",
        enterprise=USCC.lower(),
        ground=ConflictGround.RELATIVE,
        note=" 配偶在该企业任职 ",
    )
    assert (c.inspector, c.enterprise, c.note) == ("TJ-LS-120101-0001", USCC, "配偶在该企业任职")


def test_conflict_needs_an_inspector_and_a_valid_code() -> None:
    with pytest.raises(ValidationError) as exc:
        Conflict(inspector=" ", enterprise=USCC, ground=ConflictGround.RELATIVE)
    assert_error(exc, "inspector", "")
    with pytest.raises(InvalidIdentifier):
        Conflict(inspector="TJ-LS-1", enterprise=BAD_USCC, ground=ConflictGround.RELATIVE)


def test_conflict_other_needs_a_description() -> None:
    with pytest.raises(ValidationError) as exc:
        Conflict(inspector="TJ-LS-1", enterprise=USCC, ground=ConflictGround.OTHER, note=" ")
    assert_error(exc, "note", "")
    described = Conflict(
        inspector="TJ-LS-1", enterprise=USCC, ground=ConflictGround.OTHER, note="曾代理该企业案件"
    )
    assert described.note == "曾代理该企业案件"
    # Only "other" needs the text.
    assert (
        Conflict(inspector="TJ-LS-1", enterprise=USCC, ground=ConflictGround.SAME_PERSON).note == ""
    )


# --- legal bases and check items ------------------------------------------------------------


def test_legal_basis_needs_a_title() -> None:
    with pytest.raises(ValidationError) as exc:
        basis(title="")
    assert_error(exc, "title", "")


@pytest.mark.parametrize("repealed", [date(2008, 1, 1), date(2007, 12, 31)])
def test_legal_basis_repeal_after_effective(repealed: date) -> None:
    with pytest.raises(ValidationError) as exc:
        basis(repealed=repealed)
    assert_error(exc, "repealed", repealed.isoformat())


def test_in_force_on_the_effective_day_not_on_the_repeal_day() -> None:
    b = basis(effective=date(2008, 1, 1), repealed=date(2030, 7, 1))
    assert not b.in_force_on(date(2007, 12, 31))
    assert b.in_force_on(date(2008, 1, 1))
    assert b.in_force_on(date(2030, 6, 30))
    assert not b.in_force_on(date(2030, 7, 1))
    assert basis().in_force_on(date(2099, 12, 31))


def test_check_item_needs_a_code_and_keeps_incomplete_content() -> None:
    with pytest.raises(ValidationError) as exc:
        CheckItem(code=" ", line=Line.LABOUR_INSPECTION)
    assert_error(exc, "code", "")
    bare = CheckItem(code="LS-01", line=Line.LABOUR_INSPECTION, bases=[basis()])
    assert bare.bases == (basis(),)
    assert (bare.content, bare.inspecting_body, bare.target_type) == ("", "", "")


def _item(code: str, line: Line = Line.LABOUR_INSPECTION) -> CheckItem:
    return CheckItem(code=code, line=line, content="c", bases=[basis()])


def test_check_item_list_lookup() -> None:
    items = CheckItemList(
        version="v1",
        line=Line.LABOUR_INSPECTION,
        effective=date(2026, 1, 1),
        items=[_item("LS-01"), _item("LS-02")],
    )
    assert items.item("LS-02") == _item("LS-02")
    assert items.item("LS-03") is None
    assert items.published is None


def test_check_item_list_needs_a_version() -> None:
    with pytest.raises(ValidationError) as exc:
        CheckItemList(version="", line=Line.LABOUR_INSPECTION, effective=date(2026, 1, 1))
    assert_error(exc, "version", "")


def test_check_item_list_codes_are_unique() -> None:
    with pytest.raises(ValidationError) as exc:
        CheckItemList(
            version="v1",
            line=Line.LABOUR_INSPECTION,
            effective=date(2026, 1, 1),
            items=[_item("LS-01"), _item("LS-01")],
        )
    assert_error(exc, "items", "LS-01")


def test_check_item_list_items_belong_to_its_line() -> None:
    with pytest.raises(ValidationError) as exc:
        CheckItemList(
            version="v1",
            line=Line.LABOUR_INSPECTION,
            effective=date(2026, 1, 1),
            items=[_item("SB-01", Line.SOCIAL_INSURANCE_AUDIT)],
        )
    assert_error(exc, "items", "SB-01 of line social-insurance-audit")


# --- scopes, windows, bounds ----------------------------------------------------------------


def test_scope_without_filters_contains_everything() -> None:
    assert Scope().contains(enterprise())
    assert Scope().districts is None


def test_scope_filters() -> None:
    e = enterprise(industry="制造业", grade=Grade.B)
    assert Scope(districts=["和平区", "河西区"]).contains(e)
    assert not Scope(districts=["河西区"]).contains(e)
    assert Scope(industries={"制造业"}).contains(e)
    assert not Scope(industries={"建筑业"}).contains(e)
    assert Scope(grades=[Grade.B, Grade.C]).contains(e)
    assert not Scope(grades=[Grade.A]).contains(e)
    assert not Scope(districts=["和平区"], grades=[Grade.A]).contains(e)
    assert Scope(districts=["和平区"]).districts == frozenset({"和平区"})


def test_time_window_edges() -> None:
    window = TimeWindow(start=date(2027, 4, 1), end=date(2027, 6, 30))
    assert not window.contains(date(2027, 3, 31))
    assert window.contains(date(2027, 4, 1))
    assert window.contains(date(2027, 6, 30))
    assert not window.contains(date(2027, 7, 1))
    assert TimeWindow(start=date(2027, 4, 1), end=date(2027, 4, 1)).contains(date(2027, 4, 1))


def test_time_window_end_not_before_start() -> None:
    with pytest.raises(ValidationError) as exc:
        TimeWindow(start=date(2027, 4, 2), end=date(2027, 4, 1))
    assert_error(exc, "end", "2027-04-01")


def test_cross_district_bounds_convert_and_allow_inclusively() -> None:
    bounds = CrossDistrictBounds(minimum="1/4", maximum=Fraction(1, 2))
    assert bounds.minimum == Fraction(1, 4)
    assert not bounds.allows(0, 4)
    assert bounds.allows(1, 4)
    assert bounds.allows(2, 4)
    assert not bounds.allows(3, 4)
    default = CrossDistrictBounds()
    assert default.allows(0, 2)
    assert default.allows(1, 2)
    # "部分从其他区": never the whole team, whatever the bounds.
    assert not default.allows(2, 2)


@pytest.mark.parametrize(
    ("minimum", "maximum", "bound"),
    [
        (Fraction(1, 2), Fraction(1, 3), "minimum"),
        (Fraction(-1, 2), 1, "minimum"),
        (0, Fraction(3, 2), "maximum"),
    ],
)
def test_cross_district_bounds_out_of_order_name_the_bound_to_change(
    minimum: Any, maximum: Any, bound: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        CrossDistrictBounds(minimum=minimum, maximum=maximum)
    assert exc.value.field == bound
    assert exc.value.got == f"{Fraction(minimum)}..{Fraction(maximum)}"


@pytest.mark.parametrize("value", [0.5, True, None, [1, 2], "half", "1/0"])
def test_fractions_refuse_floats_and_garbage(value: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        CrossDistrictBounds(minimum=value)
    assert_error(exc, "ratio", value)


# --- plans ----------------------------------------------------------------------------------


def test_plan_defaults_are_an_incomplete_plan() -> None:
    p = plan()
    assert p.ratio is None
    assert p.rounds is None
    assert p.windows == ()
    assert p.items == ()
    assert p.scope == Scope()
    assert p.strata == ("district",)
    assert p.team_size == 2
    assert p.cross_district == CrossDistrictBounds()


def test_plan_needs_a_code() -> None:
    with pytest.raises(ValidationError) as exc:
        plan(code="")
    assert_error(exc, "code", "")


@pytest.mark.parametrize(("value", "expected"), [("3/100", Fraction(3, 100)), (1, Fraction(1))])
def test_plan_ratio_converts(value: Any, expected: Fraction) -> None:
    assert plan(ratio=value).ratio == expected


@pytest.mark.parametrize("value", [0, "0/5", "101/100", -1])
def test_plan_ratio_in_zero_one(value: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        plan(ratio=value)
    assert_error(exc, "ratio", str(Fraction(value)))


def test_plan_ratio_refuses_floats() -> None:
    with pytest.raises(ValidationError) as exc:
        plan(ratio=0.03)
    assert_error(exc, "ratio", 0.03)


def test_stratum_ratios_from_a_mapping_or_pairs_are_sorted() -> None:
    from_map = plan(stratum_ratios={"河西区": "1/10", "和平区": Fraction(1, 20)})
    from_pairs = plan(stratum_ratios=[("河西区", "1/10"), ("和平区", "1/20")])
    assert from_map.stratum_ratios == from_pairs.stratum_ratios
    assert from_map.stratum_ratios == (("和平区", Fraction(1, 20)), ("河西区", Fraction(1, 10)))


@pytest.mark.parametrize("value", ["0", "3/2"])
def test_stratum_ratio_in_zero_one(value: str) -> None:
    with pytest.raises(ValidationError) as exc:
        plan(stratum_ratios={"和平区": value})
    assert_error(exc, "stratum_ratios[和平区]", str(Fraction(value)))


def test_ratio_for_a_named_stratum_else_the_overall_ratio() -> None:
    p = plan(ratio="3/100", stratum_ratios={"和平区|C": "1/10"})
    assert p.ratio_for("和平区|C") == Fraction(1, 10)
    assert p.ratio_for("和平区|A") == Fraction(3, 100)
    assert plan().ratio_for("和平区") is None


@pytest.mark.parametrize("field", ["rounds", "load_cap"])
def test_rounds_and_load_cap_positive(field: str) -> None:
    assert getattr(plan(**{field: 1}), field) == 1
    with pytest.raises(ValidationError) as exc:
        plan(**{field: 0})
    assert_error(exc, field, 0)


def test_team_size_positive() -> None:
    assert plan(team_size=1).team_size == 1
    with pytest.raises(ValidationError) as exc:
        plan(team_size=0)
    assert_error(exc, "team_size", 0)


@pytest.mark.parametrize("year", [2, 2027, 9998])
def test_a_plan_is_for_a_year_whose_deadline_and_days_can_be_counted(year: int) -> None:
    assert plan(year=year).year == year


@pytest.mark.parametrize("year", [-2027, 0, 1, 9999, True, "2027"])
def test_a_year_without_a_deadline_the_year_before_is_refused(year: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        plan(year=year)
    assert_error(exc, "year", year)


def test_windows_from_1_january_to_31_december_are_the_plans_year() -> None:
    windows = [TimeWindow(start=date(2027, 1, 1), end=date(2027, 12, 31))]
    assert plan(windows=windows).windows == tuple(windows)


@pytest.mark.parametrize(
    ("start", "end"),
    [(date(2026, 12, 31), date(2027, 1, 31)), (date(2027, 12, 1), date(2028, 1, 1))],
)
def test_a_window_one_day_outside_the_plans_year_is_refused(start: date, end: date) -> None:
    inside = TimeWindow(start=date(2027, 4, 1), end=date(2027, 6, 30))
    with pytest.raises(ValidationError) as exc:
        plan(windows=[inside, TimeWindow(start=start, end=end)])
    assert_error(exc, "windows[1]", f"{start}/{end}")
    assert "2027-01-01 to 2027-12-31" in str(exc.value.expected)


def test_windows_of_another_year_are_named_together_with_the_plans_year() -> None:
    # A year typed wrong (1899 for 2027) puts every window outside it: one error says so.
    windows = [
        TimeWindow(start=date(2027, 4, 1), end=date(2027, 6, 30)),
        TimeWindow(start=date(2027, 9, 1), end=date(2027, 11, 30)),
    ]
    with pytest.raises(ValidationError) as exc:
        plan(year=1899, windows=windows)
    assert_error(exc, "windows", "2027-04-01/2027-06-30, 2027-09-01/2027-11-30")
    assert "1899" in str(exc.value.expected)


def test_a_plan_naming_no_check_items_is_the_default() -> None:
    assert plan(items=[]) == plan()


@pytest.mark.parametrize(
    ("items", "got"),
    [(["LS-01", "LS-01"], ["LS-01"]), (["LS-01", " "], [" "]), (["", "A", "A"], ["", "A"])],
)
def test_a_blank_or_repeated_check_item_code_is_refused(items: list[str], got: list[str]) -> None:
    with pytest.raises(ValidationError) as exc:
        plan(items=items)
    assert_error(exc, "items", got)


def test_strata_keys() -> None:
    assert plan(strata=list(STRATUM_KEYS)).strata == STRATUM_KEYS
    assert plan(strata=()).strata == ()
    with pytest.raises(ValidationError) as exc:
        plan(strata=["district", "district"])
    assert_error(exc, "strata", ("district", "district"))
    with pytest.raises(ValidationError) as exc:
        plan(strata=["grade", "grade"])
    assert_error(exc, "strata", ("grade", "grade"))


# --- every generated value rebuilds to itself -----------------------------------------------


@given(
    st.one_of(
        rs.enterprises(),
        rs.inspectors(complete=False),
        rs.conflicts(),
        rs.check_item_lists(complete=False),
        rs.plans(complete=False),
    )
)
def test_values_rebuild_from_their_fields(value: Any) -> None:
    assert attrs.evolve(value) == value
    assert type(value)(**attrs.asdict(value, recurse=False)) == value
