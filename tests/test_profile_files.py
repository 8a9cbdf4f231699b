"""Profiles as files: a user's TOML profile runs the pipeline and its findings cite its own
articles; a broken file lists every problem with its path."""

from __future__ import annotations

from datetime import UTC, date, datetime
from fractions import Fraction
from pathlib import Path

import attrs
import pytest

import randcheck.profiles
from randcheck.domain import Enterprise, Plan, RiskFlags, Scope
from randcheck.errors import InputFileError, ValidationError
from randcheck.ids import uscc_check_character
from randcheck.ledger import Inspection, Ledger
from randcheck.profiles import CapScope, RecusalPairs, get_profile, load_profile
from randcheck.sampling import Seed, build_frame, commit, draw, verify
from randcheck.testing import assert_conforms, profile_problems
from randcheck.validators import Outcome, audit

FIXTURES = Path(__file__).parent / "fixtures"
TIANJIN_HRSS_FILE = Path(randcheck.profiles.__file__).parent / "data" / "cn-tj-hrss.toml"
USER = FIXTURES / "user-profile.toml"


def _uscc(area: str, n: int) -> str:
    body = f"91{area}{n:08d}M"
    return body + uscc_check_character(body)


def _directory() -> list[Enterprise]:
    classes = ["A", "B", "C", "D", "unrated"]
    return [
        Enterprise(
            uscc=_uscc("110101" if n % 2 else "110102", n),
            name=f"样本企业{n}",
            district="东城区" if n % 2 else "西城区",
            grade=classes[n % 5],
            risk=RiskFlags(abnormal_operations=n % 7 == 0),
        )
        for n in range(1, 201)
    ]


def _plan(**changes: object) -> Plan:
    fields: dict[str, object] = {
        "code": "SC-2027",
        "year": 2027,
        "line": "market-regulation",
        "scope": Scope(description="本市登记的企业"),
        "ratio": Fraction(1, 10),
        "strata": ("district", "credit-risk"),
        "submitted": date(2026, 3, 31),
    }
    fields.update(changes)
    return Plan(**fields)  # type: ignore[arg-type]


def test_user_profile_loads_with_its_own_numbers() -> None:
    p = load_profile(USER)
    assert p.name == "xx-sample-market"
    assert [line.id for line in p.lines] == ["market-regulation", "tax"]
    assert p.grading.codes == ("A", "B", "C", "D", "unrated")
    assert (p.plan_deadline_month, p.plan_deadline_day) == (3, 31)
    assert p.publicity.counting == "working"
    assert p.citation("R-PLAN-DEADLINE").article.en == "Art. 108"
    assert p.citation("R-PLAN-DEADLINE").article.zh == "第一百零八条"
    assert get_profile(str(USER)) == p
    assert profile_problems(p) == []
    assert_conforms(p)


def test_user_profile_weights_credit_risk_classes() -> None:
    p = load_profile(USER)
    d = _directory()
    by_class = {e.grade: p.weight(e) for e in d if not e.risk.abnormal_operations}
    assert by_class == {
        "A": Fraction(1, 2),
        "B": Fraction(1),
        "C": Fraction(2),
        "D": Fraction(4),
        "unrated": Fraction(1),
    }


def test_user_profile_runs_frame_commit_draw_and_verify() -> None:
    p = load_profile(USER)
    directory = _directory()
    plan = _plan()
    frame = build_frame(directory, plan, p)
    assert {s.name.split("|")[1] for s in frame.strata} == {"A", "B", "C", "D", "unrated"}
    commitment = commit(frame, published=datetime(2026, 12, 1, tzinfo=UTC))
    record = draw(
        frame,
        commitment,
        Seed(value="03 11 27", source="lottery", fixed=datetime(2026, 12, 2, tzinfo=UTC)),
    )
    assert 0 < len(record.selected_ids()) < len(directory)
    assert verify(record, directory, plan=plan, profile=p).ok


def test_user_profile_refuses_a_line_or_stratum_it_does_not_know() -> None:
    p = load_profile(USER)
    with pytest.raises(ValidationError) as exc:
        build_frame(_directory(), _plan(line="labour-inspection"), p)
    assert exc.value.field == "line"
    with pytest.raises(ValidationError) as exc:
        build_frame(_directory(), _plan(strata=("grade",)), p)
    assert exc.value.field == "strata"


def test_findings_cite_the_profile_articles_and_deadline() -> None:
    p = load_profile(USER)
    late = _plan(submitted=date(2026, 4, 1))
    report = audit(Ledger(year=2027, plans=(late,)), p, rules=["R-PLAN-DEADLINE"])
    [found] = [f for f in report.findings if f.outcome is Outcome.VIOLATION]
    assert found.article == "Art. 108"
    assert "每年3月31日前" in found.message_zh
    on_time = audit(Ledger(year=2027, plans=(_plan(),)), p, rules=["R-PLAN-DEADLINE"])
    assert not [f for f in on_time.findings if f.outcome is Outcome.VIOLATION]


def test_rule_without_provision_is_not_applicable(tmp_path: Path) -> None:
    text = USER.read_text(encoding="utf-8")
    start = text.index("[rules.R-CAP]")
    end = text.index("[rules.", start + 1)
    entry = '[rules.R-CAP]\narticles = []\ntitle = { zh = "无规定", en = "no provision" }\n\n'
    path = tmp_path / "no-cap.toml"
    path.write_text(text[:start] + entry + text[end:], encoding="utf-8")
    p = load_profile(path)
    report = audit(Ledger(year=2027), p, rules=["R-CAP"], include_passes=True)
    assert [f.outcome for f in report.findings] == [Outcome.NOT_APPLICABLE]


def test_broken_profile_lists_every_problem_with_its_path() -> None:
    with pytest.raises(InputFileError) as exc:
        load_profile(FIXTURES / "bad-profile.toml")
    fields = [e.field for e in exc.value.errors]
    assert fields == [
        "$.colour",
        "$.schema",
        "$.name",
        "$.title.en",
        "$.lines[0].lead",
        "$.classification[0].classes[0].weight",
        "$.classification[0].unrated",
        "$.periods.publicity.days",
        "$.cap.severity",
    ]
    assert all(e.location is not None and e.location.file for e in exc.value.errors)


def test_not_toml_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text("name = = 1\n", encoding="utf-8")
    with pytest.raises(InputFileError) as exc:
        load_profile(path)
    assert "TOML" in str(exc.value)


def _random_inspection(id: str, line: str, day: date) -> Inspection:
    return Inspection(
        id=id,
        enterprise=_uscc("110101", 1),
        lines=(line,),
        items=("SC-1",),
        team=("K1", "K2"),
        unit="一组",
        started=day,
        finished=day,
    )


def test_cap_scope_per_line_counts_each_line_apart() -> None:
    """A profile whose cap counts per line (`scope = "line"`) lets one check per line stand,
    while a department-wide cap counts them together."""
    per_line = load_profile(USER)
    assert per_line.cap.scope is CapScope.LINE
    inspections = (
        _random_inspection("I1", "market-regulation", date(2027, 3, 1)),
        _random_inspection("I2", "tax", date(2027, 5, 1)),
    )
    ledger = Ledger(year=2027, inspections=inspections)
    findings = audit(ledger, per_line, rules=["R-CAP"]).findings
    assert not [f for f in findings if f.outcome is Outcome.VIOLATION]
    department = attrs.evolve(per_line, cap=attrs.evolve(per_line.cap, scope=CapScope.DEPARTMENT))
    [found] = audit(ledger, department, rules=["R-CAP"]).findings
    assert (found.outcome, found.subject) == (Outcome.VIOLATION, "inspections[1]")
    again = Ledger(
        year=2027,
        inspections=(*inspections, _random_inspection("I3", "tax", date(2027, 9, 1))),
    )
    [found] = audit(again, per_line, rules=["R-CAP"]).findings
    assert found.subject == "inspections[2]"
    assert "tax" in found.message_en


def test_frame_excludes_at_the_cap_of_the_plan_line_only() -> None:
    per_line = load_profile(USER)
    history = [_random_inspection("I1", "tax", date(2027, 3, 1))]
    frame = build_frame(_directory(), _plan(), per_line, history=history)
    assert not frame.cap_reached
    on_line = [_random_inspection("I1", "market-regulation", date(2027, 3, 1))]
    frame = build_frame(_directory(), _plan(), per_line, history=on_line)
    assert [unit.uscc for unit in frame.cap_reached] == [_uscc("110101", 1)]


def test_profile_publicity_follows_its_counting_convention() -> None:
    """The profile's period convention is applied in one place: calendar or working days,
    whether the posting day counts, and roll-over of a last day on a holiday."""
    from randcheck.calendars import ExplicitCalendar
    from randcheck.profiles import TIANJIN_HRSS, PeriodRule

    holidays = ExplicitCalendar(years=[2026], holidays=[date(2026, 10, d) for d in range(1, 8)])
    posted = date(2026, 9, 28)
    # cn-tj-hrss counts as the civil code does (民法典 Art. 201, 203).
    assert TIANJIN_HRSS.publicity_needs_calendar
    assert TIANJIN_HRSS.earliest_feedback(posted, holidays) == date(2026, 10, 9)
    assert TIANJIN_HRSS.publicity_long_enough(posted, date(2026, 10, 8), holidays)
    assert not TIANJIN_HRSS.publicity_long_enough(posted, date(2026, 10, 7), holidays)
    counted = attrs.evolve(
        TIANJIN_HRSS,
        publicity=PeriodRule(days=7, start_day_counted=True, holiday_rollover=False),
    )
    assert not counted.publicity_needs_calendar
    assert counted.earliest_feedback(posted) == date(2026, 10, 5)
    working = load_profile(USER)
    assert working.publicity_end(date(2026, 3, 9), holidays) == date(2026, 3, 13)


class _EntryPoint:
    def __init__(self, value: object) -> None:
        self.value = value

    def load(self) -> object:
        return self.value


def test_installed_packages_register_profiles_through_entry_points(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The group `randcheck.profiles`: an entry loads to a Profile or to a profile file."""
    from randcheck.profiles import TIANJIN_HRSS
    from randcheck.profiles import registry as reg

    by_value = attrs.evolve(TIANJIN_HRSS, name="xx-by-value")
    seen: list[str] = []

    def entry_points(*, group: str) -> list[_EntryPoint]:
        seen.append(group)
        return [_EntryPoint(by_value), _EntryPoint(USER)]

    monkeypatch.setattr(reg, "_REGISTRY", dict(reg._REGISTRY))
    monkeypatch.setattr(reg, "_entry_points_loaded", False)
    monkeypatch.setattr(reg.metadata, "entry_points", entry_points)
    assert get_profile("xx-by-value") is by_value
    assert get_profile("xx-sample-market").name == "xx-sample-market"
    assert {"xx-by-value", "xx-sample-market"} <= set(reg.profile_names())
    assert seen == [reg.ENTRY_POINT_GROUP]


def _edited(tmp_path: Path, old: str, new: str, *, source: Path = USER) -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "edited.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _problems(path: Path) -> list[tuple[str | None, object]]:
    with pytest.raises(InputFileError) as exc:
        load_profile(path)
    return [(e.field, e.got) for e in exc.value.errors]


def test_a_misspelt_rule_table_is_an_error_not_a_rule_switched_off(tmp_path: Path) -> None:
    problems = _problems(_edited(tmp_path, "[rules.R-CAP]", "[rules.R-CAPX]"))
    assert ("$.rules.R-CAP", None) in problems
    assert ("$.rules.R-CAPX", "R-CAPX") in problems


def test_quotations_are_checked_against_the_shipped_source_text(tmp_path: Path) -> None:
    shipped = Path(TIANJIN_HRSS_FILE)
    for name in ("cn-tj-hrss.zh.txt",):
        (tmp_path / name).write_text((shipped.parent / name).read_text(encoding="utf-8"))
    quote = 'text = "本细则自印发之日起执行，有效期两年。"'
    path = _edited(tmp_path, quote, quote.replace("两年", "三年"), source=shipped)
    changed = "本细则自印发之日起执行，有效期三年。"
    assert _problems(path) == [("$.rules.R-RULES-VALID.quotes[0].text", changed)]
    wrong_article = _edited(
        tmp_path, '{ article = 16, text = "本细则', '{ article = 15, text = "本细则', source=shipped
    )
    assert _problems(wrong_article) == [("$.rules.R-RULES-VALID.quotes[0].article", "Art. 15")]


def test_source_text_must_lie_beside_the_profile(tmp_path: Path) -> None:
    path = _edited(
        tmp_path,
        'jurisdiction = "Sample City"',
        'jurisdiction = "Sample City"\nsource_text = "../x.txt"',
    )
    assert _problems(path) == [("$.source_text", "../x.txt")]


def test_dates_and_bounds_of_a_profile_are_checked(tmp_path: Path) -> None:
    timed = _edited(
        tmp_path,
        'jurisdiction = "Sample City"',
        'jurisdiction = "Sample City"\nissued = 2026-03-01T10:00:00',
    )
    assert [field for field, _ in _problems(timed)] == ["$.issued"]
    huge = _edited(tmp_path, "days = 5", "days = 99999999999999999999")
    assert [field for field, _ in _problems(huge)] == ["$.periods.publicity.days"]


def test_a_file_may_not_reuse_a_registered_name_for_other_rules(tmp_path: Path) -> None:
    path = _edited(tmp_path, 'name = "xx-sample-market"', 'name = "cn-tj-hrss"')
    with pytest.raises(ValidationError) as exc:
        get_profile(str(path))
    assert exc.value.field == "name"
    assert get_profile(USER).name == "xx-sample-market"  # a Path works as well as a str


def test_variants_refuse_floats() -> None:
    from randcheck.profiles import TIANJIN_HRSS

    with pytest.raises(ValidationError):
        TIANJIN_HRSS.with_class_weights({"A": 0.1})  # type: ignore[dict-item]
    with pytest.raises(ValidationError):
        TIANJIN_HRSS.with_risk_tiers(key_area=((1, 1.5),))  # type: ignore[arg-type]


def test_recusal_pairs_are_public_unless_the_profile_salts_them(tmp_path: Path) -> None:
    assert load_profile(USER).team.recusal_pairs is RecusalPairs.PUBLIC
    assert get_profile("cn-tj-hrss").team.recusal_pairs is RecusalPairs.PUBLIC
    assert get_profile("cn-samr-joint").team.recusal_pairs is RecusalPairs.PUBLIC
    salted = _edited(tmp_path, "min_size = 2", 'min_size = 2\nrecusal_pairs = "salted"')
    assert load_profile(salted).team.recusal_pairs is RecusalPairs.SALTED
    wrong = _edited(tmp_path, "min_size = 2", 'min_size = 2\nrecusal_pairs = "secret"')
    assert _problems(wrong) == [("$.team.recusal_pairs", "secret")]
