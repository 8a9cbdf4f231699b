"""Canonical JSON and the cattrs converter: stable text, strict structuring, every type."""

from __future__ import annotations

import enum
import functools
import hashlib
import json
import pickle
from datetime import UTC, date, datetime, timedelta, timezone
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from _builders import resident_id, uscc
from randcheck import canonical, domain
from randcheck import strategies as randcheck_strategies
from randcheck.calendars import DayCounting
from randcheck.canonical import (
    SCHEMA_VERSION,
    canonical_bytes,
    canonical_json,
    digest,
    envelope_errors,
    from_document,
    structure,
    structuring_errors,
    to_document,
    unstructure,
)
from randcheck.domain import (
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
from randcheck.errors import (
    InputFileError,
    InvalidIdentifier,
    Location,
    RandcheckError,
    ValidationError,
)
from randcheck.profiles import TIANJIN_HRSS, Profile, Severity, Source, get_profile, profile_names

U1 = uscc("91120101MA05AAAA1")
U2 = uscc("91120116MA05BBBB2")
R1 = resident_id("12010119900101123")

BASIS = LegalBasis(
    title="劳动保障监察条例",
    article="第十一条",
    rank=LegalRank.ADMINISTRATIVE_REGULATION,
    effective=date(2004, 12, 1),
    repealed=date(2030, 1, 1),
)
ITEM = CheckItem(
    code="LI-01",
    line=Line.LABOUR_INSPECTION,
    content="劳动合同签订情况",
    inspecting_body="市劳动保障监察总队",
    target_type="用人单位",
    bases=(BASIS,),
)
INSPECTOR = Inspector(
    name="张三",
    department="劳动保障监察处",
    post="科员",
    certificate_no="JZ-001",
    resident_id=R1,
    phone="13800138000",
    district="和平区",
    section="一科",
    lines=frozenset({Line.SOCIAL_INSURANCE_AUDIT, Line.LABOUR_INSPECTION}),
    certificate_valid_from=date(2024, 1, 1),
    certificate_valid_until=date(2026, 12, 31),
    former_employers=(U2, U1),
    relatives_employers=(U1,),
    shareholdings=(U2,),
)

# One instance of every public value type, with every optional part filled in.
SAMPLES: list[Any] = [
    RiskFlags(complaints_12m=4, abnormal_operations=True, serious_violation=True, key_area=True),
    Enterprise(
        uscc=U1,
        name="天津甲公司",
        district="和平区",
        industry="制造业",
        grade=Grade.C,
        risk=RiskFlags(complaints_12m=1, key_area=True),
    ),
    INSPECTOR,
    INSPECTOR.public(),
    Conflict(inspector="JZ-001", enterprise=U1, ground=ConflictGround.OTHER, note="同学"),
    BASIS,
    ITEM,
    CheckItemList(
        version="2025-1",
        line=Line.LABOUR_INSPECTION,
        effective=date(2025, 1, 1),
        published=date(2024, 12, 20),
        items=(ITEM,),
    ),
    Scope(
        description="全市用人单位",
        districts=frozenset({"河东区", "和平区"}),
        industries=frozenset({"制造业"}),
        grades=frozenset({Grade.C, Grade.B}),
    ),
    TimeWindow(start=date(2025, 3, 1), end=date(2025, 5, 31)),
    CrossDistrictBounds(minimum=Fraction(1, 4), maximum=Fraction(3, 4)),
    Plan(
        code="TJ-2025-LI",
        year=2025,
        line=Line.LABOUR_INSPECTION,
        items=("LI-01",),
        scope=Scope(districts=frozenset({"和平区"})),
        inspector_requirements="持有效执法证",
        ratio=Fraction(1, 20),
        stratum_ratios=(("和平区", Fraction(1, 10)), ("河东区", Fraction(3, 40))),
        rounds=2,
        windows=(TimeWindow(start=date(2025, 3, 1), end=date(2025, 5, 31)),),
        procedure="随机抽取、检查、公示",
        team_size=3,
        cross_district=CrossDistrictBounds(maximum=Fraction(1, 2)),
        load_cap=5,
        distinct_sections=True,
        strata=("district", "grade"),
        min_one_per_stratum=True,
        submitted=date(2024, 11, 20),
        published=date(2024, 11, 25),
    ),
    Source(title="细则", reference="津人社", articles="Art. 1"),
    attrs.evolve(
        TIANJIN_HRSS,
        issued=date(2024, 6, 1),
        cap=attrs.evolve(TIANJIN_HRSS.cap, severity=Severity.VIOLATION),
    ),
]


def roundtrip(value: Any) -> Any:
    text = canonical_json(unstructure(value))
    return structure(json.loads(text), type(value))


# --- every type ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", SAMPLES, ids=lambda v: type(v).__name__)
def test_every_sample_survives_the_json_round_trip(value: Any) -> None:
    assert roundtrip(value) == value


def test_the_samples_cover_every_public_attrs_class_of_domain_and_profiles() -> None:
    public = {getattr(domain, name) for name in domain.__all__}
    classes = {cls for cls in public if isinstance(cls, type) and attrs.has(cls)}
    classes |= {Profile, Source}
    assert classes <= {type(value) for value in SAMPLES}


@pytest.mark.parametrize("name", profile_names())
def test_every_registered_profile_round_trips(name: str) -> None:
    profile = get_profile(name)
    assert roundtrip(profile) == profile


def test_tuples_of_tuples_become_lists_of_lists() -> None:
    data = unstructure(TIANJIN_HRSS)
    assert data["risk_factors"][0]["tiers"] == [[1, "3/2"], [3, "2/1"]]
    assert data["publicity"]["counting"] == "calendar"


def test_sets_are_sorted_lists_whatever_the_insertion_order() -> None:
    a = Scope(districts=frozenset(["河西区", "和平区", "河东区"]), grades=frozenset(Grade))
    b = Scope(districts=frozenset(["河东区", "河西区", "和平区"]), grades=frozenset(Grade))
    data = unstructure(a)
    assert data["districts"] == sorted(["河西区", "和平区", "河东区"])
    assert data["grades"] == ["A", "B", "C", "unrated"]
    assert canonical_json(unstructure(a)) == canonical_json(unstructure(b))
    assert unstructure(frozenset({3, 1, 2})) == [1, 2, 3]


def test_optional_sets_stay_null() -> None:
    assert unstructure(Scope())["districts"] is None
    assert structure(unstructure(Scope()), Scope) == Scope()


def test_datetimes_round_trip_with_their_offset() -> None:
    moment = datetime(2025, 1, 2, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    assert unstructure(moment) == "2025-01-02T09:30:00+08:00"
    assert structure("2025-01-02T09:30:00+08:00", datetime) == moment


# --- hypothesis: the main types --------------------------------------------------------------

_ALPHABET = st.characters(
    codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="\u2028\u2029\x85"
)
_texts = st.text(_ALPHABET, max_size=12).map(str.strip)
_nonempty = _texts.filter(bool)
_usccs = st.text("0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=2, max_size=2).flatmap(
    lambda head: st.text("0123456789", min_size=6, max_size=6).flatmap(
        lambda region: st.text("0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=9, max_size=9).map(
            lambda tail: uscc(head + region + tail)
        )
    )
)
_dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
_resident_ids = st.tuples(
    st.sampled_from(["120101", "120116", "110105"]),
    st.dates(min_value=date(1950, 1, 1), max_value=date(2005, 12, 31)),
    st.integers(0, 999),
).map(lambda t: resident_id(f"{t[0]}{t[1]:%Y%m%d}{t[2]:03d}"))
_ratios = st.fractions(min_value=0, max_value=1, max_denominator=1000).filter(lambda f: f > 0)

enterprises = st.builds(
    Enterprise,
    uscc=_usccs,
    name=_nonempty,
    district=_nonempty,
    industry=_texts,
    grade=st.sampled_from(Grade),
    risk=st.builds(
        RiskFlags,
        complaints_12m=st.integers(0, 10**6),
        abnormal_operations=st.booleans(),
        serious_violation=st.booleans(),
        key_area=st.booleans(),
    ),
)


@st.composite
def inspectors(draw: st.DrawFn) -> Inspector:
    certificate = draw(st.none() | _nonempty)
    rid = draw(_resident_ids) if certificate is None else draw(st.none() | _resident_ids)
    start = draw(st.none() | _dates)
    end = draw(st.none() | _dates)
    if start is not None and end is not None and end < start:
        start, end = end, start
    return Inspector(
        name=draw(_texts),
        department=draw(_texts),
        post=draw(_texts),
        certificate_no=certificate,
        resident_id=rid,
        phone=draw(st.sampled_from(["", "13800138000", "022-23456789"])),
        district=draw(_texts),
        section=draw(_texts),
        lines=draw(st.frozensets(st.sampled_from(Line))),
        certificate_valid_from=start,
        certificate_valid_until=end,
        former_employers=draw(st.lists(_usccs, max_size=3)),
        relatives_employers=draw(st.lists(_usccs, max_size=3)),
        shareholdings=draw(st.lists(_usccs, max_size=3)),
    )


plans = st.builds(
    Plan,
    code=_nonempty,
    year=st.integers(2000, 2100),
    line=st.sampled_from(Line),
    items=st.lists(_nonempty, max_size=3).map(tuple),
    scope=st.builds(
        Scope,
        description=_texts,
        districts=st.none() | st.frozensets(_nonempty, max_size=3),
        industries=st.none() | st.frozensets(_nonempty, max_size=3),
        grades=st.none() | st.frozensets(st.sampled_from(Grade)),
    ),
    ratio=st.none() | _ratios,
    stratum_ratios=st.dictionaries(_nonempty, _ratios, max_size=3),
    rounds=st.none() | st.integers(1, 12),
    team_size=st.integers(1, 5),
    strata=st.permutations(["district", "grade", "industry"]).flatmap(
        lambda keys: st.integers(0, 3).map(lambda n: tuple(keys[:n]))
    ),
    submitted=st.none() | _dates,
)

profiles = randcheck_strategies.profiles()


@given(st.one_of(enterprises, inspectors(), plans, profiles))
def test_generated_values_round_trip_and_hold_no_float(value: Any) -> None:
    data = unstructure(value)
    text = canonical_json(data)
    assert json.loads(text) == data
    assert "." not in "".join(_numbers(data))
    assert structure(json.loads(text), type(value)) == value
    assert canonical_json(unstructure(roundtrip(value))) == text


def _numbers(data: Any) -> list[str]:
    if isinstance(data, dict):
        return [n for value in data.values() for n in _numbers(value)]
    if isinstance(data, list):
        return [n for value in data for n in _numbers(value)]
    return [repr(data)] if isinstance(data, int | float) and not isinstance(data, bool) else []


@given(st.lists(enterprises, max_size=4))
def test_lists_round_trip_as_generic_aliases(values: list[Enterprise]) -> None:
    assert structure(unstructure(values), list[Enterprise]) == values


# --- canonical text --------------------------------------------------------------------------


def test_canonical_json_sorts_keys_and_is_compact() -> None:
    assert canonical_json({"b": 1, "a": [1, {"d": None, "c": True}]}) == (
        '{"a":[1,{"c":true,"d":null}],"b":1}'
    )


def test_canonical_json_keeps_non_ascii_text_as_is() -> None:
    text = canonical_json({"name": "和平区"})
    assert text == '{"name":"和平区"}'
    assert canonical_bytes({"name": "和平区"}) == text.encode("utf-8")


def test_canonical_json_is_independent_of_dict_order() -> None:
    assert canonical_json({"x": 1, "y": 2}) == canonical_json({"y": 2, "x": 1})


@pytest.mark.parametrize(
    ("data", "path"),
    [
        (1.5, "$"),
        ({"a": [1, 2.0]}, "$.a[1]"),
        ((0.1,), "$[0]"),
        ({"ratio": float("nan")}, "$.ratio"),
    ],
)
def test_canonical_json_rejects_floats_with_their_path(data: Any, path: str) -> None:
    with pytest.raises(ValidationError, match="no floats") as info:
        canonical_json(data)
    assert info.value.field == path
    assert info.value.expected == "no float"


def test_canonical_json_rejects_non_string_keys_and_unconverted_values() -> None:
    with pytest.raises(ValidationError, match="keys are strings") as info:
        canonical_json({1: "a"})
    assert info.value.got == 1
    with pytest.raises(ValidationError, match="unstructure it first") as info:
        canonical_json({"ratio": Fraction(1, 3)})
    assert info.value.field == "$.ratio"
    assert info.value.got == "Fraction"


def test_digest_is_sha256_of_the_canonical_bytes() -> None:
    data = {"b": "乙", "a": 1}
    expected = hashlib.sha256('{"a":1,"b":"乙"}'.encode()).hexdigest()
    assert digest(data) == f"sha256:{expected}"


def test_digest_of_a_value_is_stable() -> None:
    enterprise = SAMPLES[1]
    assert digest(unstructure(enterprise)) == digest(unstructure(roundtrip(enterprise)))
    assert digest(unstructure(enterprise)) != digest(
        unstructure(attrs.evolve(enterprise, name="天津乙公司"))
    )


# --- strict structuring ----------------------------------------------------------------------


def _errors(data: Any, cls: Any, **kwargs: Any) -> list[ValidationError]:
    with pytest.raises(InputFileError) as info:
        structure(data, cls, **kwargs)
    errors = [error for error in info.value.errors if isinstance(error, ValidationError)]
    assert len(errors) == len(info.value.errors)
    return errors


def _enterprise_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = unstructure(SAMPLES[1])
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "path", "expected"),
    [
        ({"name": 5}, "$.name", "a string"),
        ({"grade": ""}, "$.grade", "a non-empty string id"),
        (
            {"risk": {**unstructure(RiskFlags()), "complaints_12m": "3"}},
            "$.risk.complaints_12m",
            "an integer",
        ),
        (
            {"risk": {**unstructure(RiskFlags()), "complaints_12m": True}},
            "$.risk.complaints_12m",
            "an integer",
        ),
        (
            {"risk": {**unstructure(RiskFlags()), "complaints_12m": 2.0}},
            "$.risk.complaints_12m",
            "an integer",
        ),
        ({"risk": {**unstructure(RiskFlags()), "key_area": 1}}, "$.risk.key_area", "true or false"),
        (
            {"risk": {**unstructure(RiskFlags()), "key_area": "false"}},
            "$.risk.key_area",
            "true or false",
        ),
        ({"risk": [1]}, "$.risk", "a JSON object (RiskFlags)"),
    ],
)
def test_structuring_refuses_loose_types(changes: dict[str, Any], path: str, expected: str) -> None:
    [error] = _errors(_enterprise_data(**changes), Enterprise)
    assert error.field == path
    assert error.expected == expected
    assert str(error).endswith(f"@ {path}")


@pytest.mark.parametrize(
    ("value", "cls", "expected"),
    [
        ("20250101", date, "an ISO date string YYYY-MM-DD"),
        ("2025-W01-1", date, "an ISO date string YYYY-MM-DD"),
        ("2025-02-30", date, "an ISO date string YYYY-MM-DD"),
        (20250101, date, "an ISO date string YYYY-MM-DD"),
        ("2025-01-02T09:30:00", datetime, "an ISO 8601 timestamp with offset"),
        ("yesterday", datetime, "an ISO 8601 timestamp with offset"),
        (3, datetime, "an ISO 8601 timestamp with offset"),
        ("1/0", Fraction, "a 'p/q' string in lowest terms"),
        ("one half", Fraction, "a 'p/q' string in lowest terms"),
        (0.5, Fraction, "a 'p/q' string in lowest terms"),
        (True, Fraction, "a 'p/q' string in lowest terms"),
        ("often", DayCounting, "one of 'calendar', 'working'"),
    ],
)
def test_leaf_values_are_checked(value: Any, cls: Any, expected: str) -> None:
    # Twice: a text is parsed once and remembered, and a refusal must not be remembered as
    # a value.
    for _ in range(2):
        [error] = _errors(value, cls)
        assert error.field == "$"
        assert error.expected == expected
        assert error.got == value


def test_a_remembered_leaf_text_gives_the_same_value_in_every_record() -> None:
    first = structure(["2025-01-31", "2025-01-31"], list[date])
    assert first == [date(2025, 1, 31)] * 2
    assert structure(["1/2", "1/2"], list[Fraction]) == [Fraction(1, 2)] * 2


def test_leaf_values_that_are_right_structure() -> None:
    assert structure("1/2", Fraction) == Fraction(1, 2)
    assert structure("2/1", Fraction) == Fraction(2)
    assert structure("0/1", Fraction) == Fraction(0)
    assert structure("-3/4", Fraction) == Fraction(-3, 4)
    assert structure("2025-01-31", date) == date(2025, 1, 31)
    assert structure("working", DayCounting) is DayCounting.WORKING
    assert structure("warning", Severity) is Severity.WARNING


class _Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


@attrs.frozen(kw_only=True)
class _Leveled:
    level: _Level
    count: int


def test_int_enums_structure_by_value_and_plain_ints_stay_ints() -> None:
    assert structure({"level": 2, "count": 2}, _Leveled) == _Leveled(level=_Level.HIGH, count=2)
    [error] = _errors({"level": 3, "count": 1}, _Leveled)
    assert error.field == "$.level"
    assert error.expected == "one of 1, 2"


def test_all_problems_are_reported_with_their_paths() -> None:
    data = [
        _enterprise_data(uscc="91120101MA05AAAA1X"),
        _enterprise_data(name=""),
        5,
        _enterprise_data(industry=5, zz=1),
        {"name": "x", "district": "y"},
    ]
    errors = _errors(data, list[Enterprise], path="$.data")
    fields = [error.field for error in errors]
    assert fields == [
        "$.data[0].uscc",
        "$.data[1].name",
        "$.data[2]",
        "$.data[3].industry",
        "$.data[3]",
        "$.data[4].uscc",
    ]
    assert isinstance(errors[0], ValidationError)
    assert errors[0].expected == f"check character {U1[-1]!r}"
    assert errors[0].got == "91120101MA05AAAA1X"
    assert errors[2].expected == "a JSON object (Enterprise)"
    assert errors[2].got == "int"
    assert errors[3].got == 5
    assert errors[4].got == ["zz"]
    assert "unknown fields zz" in errors[4].message
    assert errors[5].message == "required field missing @ $.data[4].uscc"


def test_an_identifier_error_keeps_its_class_message_and_masking() -> None:
    data = unstructure(INSPECTOR)
    data["resident_id"] = R1[:-1] + ("0" if R1[-1] != "0" else "1")
    [error] = _errors(data, Inspector)
    assert error.field == "$.resident_id"
    assert "1201**********" in error.message
    assert data["resident_id"] not in error.message
    assert error.got == data["resident_id"]


def test_an_error_from_a_class_check_gets_the_field_in_its_path() -> None:
    data = unstructure(SAMPLES[11])
    data["windows"] = [{"start": "2025-05-01", "end": "2025-04-01"}]
    data["team_size"] = 2
    [error] = _errors(data, Plan)
    assert error.field == "$.windows[0].end"
    assert error.got == "2025-04-01"


def test_a_class_check_naming_the_object_itself_does_not_repeat_the_path() -> None:
    exc = ValidationError(field="cross_district", expected="0 <= minimum", got="1..0")
    [error] = structuring_errors(exc, "$.cross_district")
    assert error.field == "$.cross_district.cross_district"
    [error] = structuring_errors(
        ValidationError(expected="x", got=1), "$.cross_district", Location(file="f")
    )
    assert error.field == "$.cross_district"
    assert error.location == Location(file="f")


def test_wrong_tuple_lengths_are_reported() -> None:
    data = unstructure(SAMPLES[11])
    data["stratum_ratios"] = [["和平区", "1/2", "extra"], ["河东区"]]
    errors = _errors(data, Plan)
    assert [error.field for error in errors] == ["$.stratum_ratios[0]", "$.stratum_ratios[1]"]
    assert errors[0].expected == "a valid tuple[str, Fraction]"


def test_source_and_line_end_up_in_the_error() -> None:
    with pytest.raises(InputFileError) as info:
        structure({"uscc": U1}, Enterprise, source="year.jsonl", line=7)
    assert info.value.location == Location(file="year.jsonl", line=7)
    assert "year.jsonl" in info.value.message
    assert {error.location for error in info.value.errors} == {Location(file="year.jsonl", line=7)}
    assert [error.field for error in info.value.errors] == ["$.name", "$.district"]


def test_without_a_source_there_is_no_location() -> None:
    [error] = _errors("x", date)
    assert error.location is None


def test_the_error_names_the_target_type_readably() -> None:
    with pytest.raises(InputFileError, match=r"cannot read list\[Enterprise\] from data"):
        structure([1], list[Enterprise])


def test_the_error_of_a_failed_structure_pickles() -> None:
    with pytest.raises(InputFileError) as info:
        structure([1, {"uscc": "x"}], list[Enterprise], source="f.json")
    copy = pickle.loads(pickle.dumps(info.value))
    assert [e.field for e in copy.errors] == [e.field for e in info.value.errors]
    assert copy.location == info.value.location


def test_an_invalid_identifier_keeps_its_class() -> None:
    with pytest.raises(InputFileError) as info:
        structure(_enterprise_data(uscc="123"), Enterprise)
    assert isinstance(info.value.errors[0], InvalidIdentifier)


# --- documents ---------------------------------------------------------------------------------


def test_documents_round_trip() -> None:
    document = to_document("enterprises", [SAMPLES[1]])
    assert document == {
        "schema": SCHEMA_VERSION,
        "kind": "enterprises",
        "data": [unstructure(SAMPLES[1])],
    }
    assert from_document(document, "enterprises", list[Enterprise]) == [SAMPLES[1]]


def test_a_document_with_bad_data_reports_paths_under_data() -> None:
    document = to_document("enterprises", [SAMPLES[1]])
    document["data"][0]["uscc"] = "bad"
    with pytest.raises(InputFileError) as info:
        from_document(document, "enterprises", list[Enterprise], source="e.json")
    [error] = info.value.errors
    assert error.field == "$.data[0].uscc"
    assert error.location == Location(file="e.json")


@pytest.mark.parametrize(
    ("document", "fields"),
    [
        ([], ["$"]),
        ({"schema": 1, "kind": "plan"}, ["$.data"]),
        ({"schema": 1, "kind": "plan", "data": {}, "extra": 1}, ["$"]),
        ({"schema": 2, "kind": "plan", "data": {}}, ["$.schema"]),
        ({"schema": True, "kind": "plan", "data": {}}, ["$.schema"]),
        ({"schema": "1", "kind": "plan", "data": {}}, ["$.schema"]),
        ({"schema": 1, "kind": "ledger", "data": {}}, ["$.kind"]),
        ({"schema": 0, "kind": "x", "zz": 1}, ["$.data", "$", "$.schema", "$.kind"]),
    ],
)
def test_bad_envelopes_are_reported_all_at_once(document: Any, fields: list[str]) -> None:
    with pytest.raises(InputFileError) as info:
        from_document(document, "plan", Plan)
    assert [error.field for error in info.value.errors] == fields
    assert info.value.location is None


def test_a_newer_schema_is_named_as_such() -> None:
    [error] = envelope_errors(
        {"schema": SCHEMA_VERSION + 1, "kind": "k"}, "k", keys=frozenset({"schema", "kind"})
    )
    assert "newer randcheck" in error.message
    assert error.expected == f"schema version {SCHEMA_VERSION}"
    [error] = envelope_errors({"schema": 0, "kind": "k"}, "k", keys=frozenset({"schema", "kind"}))
    assert "newer" not in error.message


def test_envelope_errors_is_empty_for_a_good_envelope() -> None:
    assert envelope_errors(to_document("k", 1), "k") == []


def test_the_converter_is_the_shared_one() -> None:
    assert canonical.converter.unstructure(Fraction(2, 4)) == "1/2"
    assert unstructure(datetime(2025, 1, 1, tzinfo=UTC)) == "2025-01-01T00:00:00+00:00"
    assert (
        structure(
            unstructure(
                PublicInspector(
                    name="a",
                    department="b",
                    post="c",
                    certificate_no=None,
                    resident_id=None,
                    phone="",
                    district="",
                )
            ),
            PublicInspector,
        ).certificate_no
        is None
    )


# --- the record protocol -----------------------------------------------------------------------


@functools.cache
def _records() -> dict[str, canonical.Record]:
    from randcheck.demo.simulation import simulate
    from randcheck.validators import audit

    year = simulate(seed="records", enterprises=600, inspectors=200)
    step = year.step("labour-2")
    return {
        "frame": step.frame,
        "commitment": step.commitment,
        "draw": step.record,
        "dispatch": step.dispatch,
        "pool": step.pool,
        "ledger": year.ledger,
        "report": audit(year.ledger, TIANJIN_HRSS),
    }


RECORD_NAMES = ["frame", "commitment", "draw", "dispatch", "pool", "ledger", "report"]


@pytest.mark.parametrize("name", RECORD_NAMES)
def test_every_record_follows_the_record_protocol(name: str) -> None:
    record = _records()[name]
    assert isinstance(record, canonical.Record)
    document = record.to_document()
    text = canonical_json(document)
    again = type(record).from_document(json.loads(text))
    assert again == record
    assert canonical_json(again.to_document()) == text
    # A version-1 dispatch record's digest has covered its data without the envelope since it
    # was first published; every other record's covers its whole document.
    data_only = getattr(record, "algorithm", None) == "randcheck-dispatch-v1"
    hashed = document["data"] if data_only else document
    assert record.digest() == "sha256:" + hashlib.sha256(canonical_bytes(hashed)).hexdigest()
    assert again.digest() == record.digest()


@pytest.mark.parametrize("name", RECORD_NAMES)
def test_every_record_names_the_file_it_could_not_read(name: str) -> None:
    cls = type(_records()[name])
    with pytest.raises(RandcheckError) as info:
        cls.from_document({"schema": 1, "kind": "nothing", "data": {}}, source="x.json")
    assert info.value.location is not None
    assert info.value.location.file == "x.json"


def test_the_sampling_records_keep_their_canonical_text() -> None:
    records = _records()
    for name in ("frame", "commitment", "draw"):
        record: Any = records[name]
        assert record.to_json() == canonical_json(record.to_document())


def test_a_renamed_attribute_keeps_its_document_key_in_text_and_errors() -> None:
    commitment: Any = _records()["commitment"]
    document = commitment.to_document()
    assert document["data"]["digest"] == commitment.frame_digest
    assert "frame_digest" not in document["data"]
    del document["data"]["digest"]
    with pytest.raises(InputFileError) as info:
        type(commitment).from_document(document)
    assert [error.field for error in info.value.errors] == ["$.data.digest"]


def test_the_frame_digest_is_computed_once_and_is_the_commitment_digest() -> None:
    frame: Any = _records()["frame"]
    commitment: Any = _records()["commitment"]
    assert frame.digest() is frame.digest()
    assert frame.digest() == commitment.frame_digest
    assert attrs.evolve(frame).digest() == frame.digest()


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("frame", "from_json", "from_document"),
        ("commitment", "from_json", "from_document"),
        ("draw", "from_json", "from_document"),
    ],
)
def test_deprecated_readers_warn_and_still_read(name: str, old: str, new: str) -> None:
    record: Any = _records()[name]
    text = canonical_json(record.to_document())
    with pytest.warns(DeprecationWarning, match=new):
        assert getattr(type(record), old)(text) == record
    with pytest.warns(DeprecationWarning, match=new), pytest.raises(ValidationError):
        getattr(type(record), old)("not json")


def test_deprecated_writers_warn_and_still_write() -> None:
    from randcheck.validators import report_json

    dispatch: Any = _records()["dispatch"]
    with pytest.warns(DeprecationWarning, match=r'to_document\(\)\["data"\]'):
        assert dispatch.to_json_data() == dispatch.to_document()["data"]
    report: Any = _records()["report"]
    with pytest.warns(DeprecationWarning, match=r"to_document\(\)"):
        assert report.to_data() == report.to_document()
    with pytest.warns(DeprecationWarning, match="report_json"):
        assert report.to_json() == report_json(report)


@pytest.mark.parametrize(
    ("cls", "data", "path"),
    [
        (Plan, {"items": "LS-01"}, "$.items"),
        (Plan, {"strata": "grade"}, "$.strata"),
        (Plan, {"scope": {"districts": "和平区"}}, "$.scope.districts"),
        (Plan, {"windows": {"start": "2027-04-01", "end": "2027-04-30"}}, "$.windows"),
        (Plan, {"stratum_ratios": [["和平区", "1/2"], "河东区"]}, "$.stratum_ratios[1]"),
    ],
)
def test_a_string_or_object_is_never_taken_for_an_array(
    cls: type[Any], data: dict[str, Any], path: str
) -> None:
    """A JSON string is not split into characters, nor an object turned into its keys."""
    base = unstructure(SAMPLES[11])
    for key, value in data.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key] = {**base[key], **value}
        else:
            base[key] = value
    errors = _errors(base, cls)
    assert [error.field for error in errors] == [path]
    assert errors[0].expected in ("an array", "a valid tuple[str, Fraction]")


def test_ledger_and_records_refuse_a_string_for_a_list() -> None:
    from randcheck.ledger import Publicity

    with pytest.raises(InputFileError) as info:
        structure(
            {"id": "P1", "inspections": "TJ-LS-1", "start": "2027-03-01", "end": "2027-03-07"},
            Publicity,
        )
    assert [e.field for e in info.value.errors] == ["$.inspections"]


@pytest.mark.parametrize(
    "text",
    [
        "2/4",
        "0.5",
        "5e-1",
        " 1/2",
        "1/2 ",
        "５/１０",
        "1/２",
        "+1/2",
        "01/2",
        "1/02",
        "-0/1",
        "0/2",
        "1",
        "2",
        "1 / 2",
        "1/-2",
        "½",
        "0x1/2",
        "1_0/3",
    ],
)
def test_fractions_load_only_in_their_canonical_text(text: str) -> None:
    [error] = _errors(text, Fraction)
    assert error.expected == "a 'p/q' string in lowest terms"
    assert error.got == text


@pytest.mark.parametrize("value", [2, 0, -1])
def test_a_bare_integer_is_not_the_canonical_text_of_a_fraction(value: int) -> None:
    [error] = _errors(value, Fraction)
    assert error.got == value
    assert canonical.converter.unstructure(Fraction(value)) == f"{value}/1"


@pytest.mark.parametrize(
    "text",
    [
        "2025-01-02T09:30:00Z",
        "2025-01-02 09:30:00+08:00",
        "2025-01-02T09:30+08:00",
        "2025-01-02T09:30:00+0800",
        "2025-01-02T09:30:00+08",
        "2025-01-02T09:30:00.000+08:00",
        "2025-01-02T09:30:00.5+08:00",
        "20250102T093000+08:00",
        "2025-01-02t09:30:00+08:00",
        "2025-01-02T09:30:00+08:00:00",
        "2025-01-02T09:30:00-00:00",
    ],
)
def test_timestamps_load_only_as_isoformat_writes_them(text: str) -> None:
    [error] = _errors(text, datetime)
    assert error.expected == "an ISO 8601 timestamp with offset"
    assert error.got == text


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2025, 1, 2, 9, 30, tzinfo=timezone(timedelta(hours=8))),
        datetime(2025, 1, 2, 9, 30, 1, 250000, tzinfo=timezone(timedelta(hours=8))),
        datetime(2025, 1, 2, 9, 30, tzinfo=UTC),
        datetime(2025, 1, 2, 9, 30, tzinfo=timezone(timedelta(hours=-3, minutes=-30))),
    ],
)
def test_canonical_timestamps_round_trip(moment: datetime) -> None:
    assert structure(unstructure(moment), datetime) == moment


def test_a_mapping_of_any_values_leaves_other_mappings_as_strict_as_before() -> None:
    from typing import Any

    from randcheck.canonical import structure

    assert structure({"a": [1]}, dict[str, Any]) == {"a": [1]}
    for not_an_object in ([1], "x", 1, None):
        with pytest.raises(InputFileError) as caught:
            structure(not_an_object, dict[str, int], path="$.data")
        assert "a JSON object" in str(caught.value.errors[0])


_WRITE_DOMAIN_VALUES = """
import json, sys
from fractions import Fraction
if sys.argv[1] == "ledger-first":
    import randcheck.ledger  # noqa: F401
from randcheck.canonical import unstructure
from randcheck.domain import Conflict, ConflictGround, Line, Plan
conflict = Conflict(
    inspector="TJ-1", enterprise="91120101MA05AAAA12", ground=ConflictGround.RELATIVE
)
plan = Plan(code="P", year=2027, line=Line.LABOUR_INSPECTION, ratio=Fraction(3, 100))
print(json.dumps([unstructure(conflict), unstructure(plan)], sort_keys=True))
"""


def test_a_domain_value_is_written_the_same_whichever_modules_were_imported_first() -> None:
    import subprocess
    import sys

    written = {
        order: subprocess.run(
            [sys.executable, "-c", _WRITE_DOMAIN_VALUES, order],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for order in ("ledger-first", "alone")
    }
    assert written["ledger-first"] == written["alone"]
    conflict, plan = json.loads(written["alone"])
    # A conflict is written whole (a dispatch record's declared conflicts document both).
    assert conflict["since"] is None
    assert conflict["until"] is None
    assert "supplementary_ground" not in plan


def test_a_ledger_writes_an_undated_conflict_without_since_and_until() -> None:
    from randcheck.domain import Conflict, ConflictGround
    from randcheck.ledger import Ledger

    conflict = Conflict(
        inspector="TJ-1", enterprise="91120101MA05AAAA12", ground=ConflictGround.RELATIVE
    )
    ledger = Ledger(year=2027, conflicts=[conflict])
    [written] = ledger.to_document()["data"]["conflicts"]
    assert "since" not in written
    assert "until" not in written
    assert [line["data"] for line in ledger.iter_lines()][-1] == written
    assert Ledger.from_document(ledger.to_document()) == ledger
