"""Tests for randcheck.calendars: plan deadline, publicity periods, validity windows."""

from __future__ import annotations

import sys
import types
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from randcheck.calendars import (
    ChineseHolidayCalendar,
    DayCounting,
    ExplicitCalendar,
    OptionalDependencyError,
    ValidityWindow,
    WorkingDayCalendar,
    chinese_holiday_calendar,
    days_in_period,
    earliest_feedback,
    plan_deadline,
    plan_submitted_on_time,
    publicity_end,
    publicity_long_enough,
    validity_window,
)
from randcheck.errors import CalendarDataMissing, RandcheckError, ValidationError

CAL = DayCounting.CALENDAR
WORK = DayCounting.WORKING

# Spring Festival 2026 as announced by the State Council: 15–23 February off,
# Saturdays 14 and 28 February worked in exchange (调休).
SPRING_2026 = frozenset(date(2026, 2, 15) + timedelta(days=i) for i in range(9))
ADJUSTED_2026 = frozenset({date(2026, 2, 14), date(2026, 2, 28)})
CN_2026 = ExplicitCalendar(years=[2026], holidays=SPRING_2026, working_days=ADJUSTED_2026)


class _AlwaysRest:
    def is_working_day(self, d: date, /) -> bool:
        return False


class _AlwaysWork:
    def is_working_day(self, d: date, /) -> bool:
        return True


# --- Art. 8: plan deadline -------------------------------------------------------------------


def test_plan_for_2027_is_due_on_30_november_2026() -> None:
    assert plan_deadline(2027) == date(2026, 11, 30)


def test_plan_deadline_day_is_on_time_and_next_day_is_late() -> None:
    assert plan_submitted_on_time(2027, date(2026, 11, 30)) is True
    assert plan_submitted_on_time(2027, date(2026, 12, 1)) is False
    assert plan_submitted_on_time(2027, date(2026, 1, 5)) is True


def test_plan_deadline_can_be_moved_by_profile() -> None:
    assert plan_deadline(2027, month=12, day=31) == date(2026, 12, 31)
    assert plan_submitted_on_time(2027, date(2026, 12, 1), month=12, day=31) is True


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"year": 1}, "year"),
        ({"year": 10001}, "year"),
        ({"year": True}, "year"),
        ({"year": 2027, "month": 0}, "month"),
        ({"year": 2027, "month": 13}, "month"),
        ({"year": 2027, "day": 0}, "day"),
        ({"year": 2027, "month": 11, "day": 31}, "day"),
        ({"year": 2027, "month": 2, "day": 29}, "day"),
    ],
)
def test_plan_deadline_rejects_bad_input(kwargs: dict[str, int], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        plan_deadline(**kwargs)
    assert info.value.field == field


def test_plan_submitted_rejects_datetime() -> None:
    with pytest.raises(ValidationError) as info:
        plan_submitted_on_time(2027, datetime(2026, 11, 30, 12))
    assert info.value.field == "submitted"


# --- Art. 14: publicity, calendar days -------------------------------------------------------


def test_seven_days_from_12_march_end_on_18_march() -> None:
    start = date(2026, 3, 12)
    assert publicity_end(start, 7) == date(2026, 3, 18)
    assert earliest_feedback(start, 7) == date(2026, 3, 19)
    assert publicity_long_enough(start, date(2026, 3, 18), 7) is True
    assert publicity_long_enough(start, date(2026, 3, 17), 7) is False
    assert days_in_period(start, date(2026, 3, 18)) == 7


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 1, 28), date(2026, 2, 3)),
        (date(2026, 2, 25), date(2026, 3, 3)),  # common year: February has 28 days
        (date(2028, 2, 25), date(2028, 3, 2)),  # leap year: 29 February counts
        (date(2026, 12, 28), date(2027, 1, 3)),  # year boundary
        (date(2026, 4, 30), date(2026, 5, 6)),
    ],
)
def test_seven_calendar_days_across_boundaries(start: date, end: date) -> None:
    assert publicity_end(start, 7) == end
    assert earliest_feedback(start, 7) == end + timedelta(days=1)
    assert days_in_period(start, end) == 7


def test_one_day_publicity_ends_on_the_posting_day() -> None:
    assert publicity_end(date(2026, 3, 12), 1) == date(2026, 3, 12)
    assert days_in_period(date(2026, 3, 12), date(2026, 3, 12)) == 1


def test_counting_accepts_plain_string_and_ignores_calendar_for_calendar_days() -> None:
    start = date(2026, 2, 12)
    assert publicity_end(start, 7, counting="calendar", calendar=CN_2026) == date(2026, 2, 18)  # type: ignore[arg-type]
    assert publicity_end(start, 7, counting="working", calendar=CN_2026) == date(2026, 2, 27)  # type: ignore[arg-type]


# --- Art. 14: publicity, working days --------------------------------------------------------


def test_working_days_across_spring_festival_with_adjusted_saturday() -> None:
    # Thu 12, Fri 13, Sat 14 (worked), then 15–23 off, then Tue 24 .. Fri 27.
    start = date(2026, 2, 12)
    assert publicity_end(start, 7, counting=WORK, calendar=CN_2026) == date(2026, 2, 27)
    # The eighth working day is the adjusted Saturday 28 February.
    assert publicity_end(start, 8, counting=WORK, calendar=CN_2026) == date(2026, 2, 28)
    # Feedback may come on the next calendar day, even a Sunday.
    assert earliest_feedback(start, 8, counting=WORK, calendar=CN_2026) == date(2026, 3, 1)
    assert days_in_period(start, date(2026, 2, 27), counting=WORK, calendar=CN_2026) == 7
    assert days_in_period(start, date(2026, 2, 27)) == 16


def test_working_days_start_on_a_rest_day_does_not_count() -> None:
    # Posted on Sunday 15 February (holiday): counting begins on Tuesday 24 February.
    start = date(2026, 2, 15)
    assert publicity_end(start, 1, counting=WORK, calendar=CN_2026) == date(2026, 2, 24)
    assert publicity_end(start, 7, counting=WORK, calendar=CN_2026) == date(2026, 3, 3)


def test_working_days_long_enough_checks_only_needed_days() -> None:
    start = date(2026, 2, 12)
    assert publicity_long_enough(start, date(2026, 2, 27), 7, counting=WORK, calendar=CN_2026)
    assert not publicity_long_enough(start, date(2026, 2, 26), 7, counting=WORK, calendar=CN_2026)
    # Ends in 2027, for which there is no data; the seventh working day comes first.
    assert publicity_long_enough(start, date(2027, 6, 1), 7, counting=WORK, calendar=CN_2026)


def test_working_days_into_a_year_without_data_raises() -> None:
    with pytest.raises(CalendarDataMissing) as info:
        publicity_end(date(2026, 12, 28), 7, counting=WORK, calendar=CN_2026)
    assert info.value.field == "year"
    assert info.value.got == 2027
    assert info.value.expected == "a year with calendar data"
    with pytest.raises(CalendarDataMissing):
        days_in_period(date(2026, 12, 28), date(2027, 1, 4), counting=WORK, calendar=CN_2026)
    with pytest.raises(CalendarDataMissing):
        publicity_long_enough(
            date(2026, 12, 28), date(2027, 1, 10), 7, counting=WORK, calendar=CN_2026
        )


def test_working_counting_requires_a_calendar() -> None:
    with pytest.raises(ValidationError) as info:
        publicity_end(date(2026, 3, 12), 7, counting=WORK)
    assert info.value.field == "calendar"
    assert "工作日历" in info.value.message


def test_calendar_with_no_working_days_is_rejected_not_looped() -> None:
    with pytest.raises(ValidationError) as info:
        publicity_end(date(2026, 3, 12), 1, counting=WORK, calendar=_AlwaysRest())
    assert info.value.field == "calendar"


def test_periods_past_the_last_representable_day_are_rejected() -> None:
    last = date.max
    with pytest.raises(ValidationError) as info:
        publicity_end(last, 2)
    assert info.value.field == "min_days"
    with pytest.raises(ValidationError) as info:
        earliest_feedback(last, 1)
    assert info.value.field == "min_days"
    with pytest.raises(ValidationError) as info:
        publicity_end(last, 2, counting=WORK, calendar=_AlwaysWork())
    assert info.value.field == "start"


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: publicity_end(date(2026, 3, 12), 0), "min_days"),
        (lambda: publicity_end(date(2026, 3, 12), True), "min_days"),
        (lambda: publicity_end(date(2026, 3, 12), "7"), "min_days"),  # type: ignore[arg-type]
        (lambda: publicity_end(datetime(2026, 3, 12), 7), "start"),
        (lambda: publicity_end("2026-03-12", 7), "start"),  # type: ignore[arg-type]
        (lambda: publicity_end(date(2026, 3, 12), 7, counting="weekly"), "counting"),  # type: ignore[arg-type]
        (lambda: publicity_end(date(2026, 3, 12), 7, counting=7), "counting"),  # type: ignore[arg-type]
        (lambda: publicity_end(date(2026, 3, 12), 7, calendar=object()), "calendar"),  # type: ignore[arg-type]
        (lambda: days_in_period(date(2026, 3, 12), date(2026, 3, 11)), "end"),
        (lambda: days_in_period(date(2026, 3, 12), "2026-03-18"), "end"),  # type: ignore[arg-type]
        (lambda: publicity_long_enough(date(2026, 3, 12), date(2026, 3, 11), 7), "end"),
        (lambda: publicity_long_enough(date(2026, 3, 12), date(2026, 3, 18), 0), "min_days"),
    ],
)
def test_publicity_functions_reject_bad_input(call: object, field: str) -> None:
    assert callable(call)
    with pytest.raises(ValidationError) as info:
        call()
    assert info.value.field == field
    assert info.value.expected


# --- working-day calendars -------------------------------------------------------------------


def test_explicit_calendar_rules() -> None:
    assert CN_2026.is_working_day(date(2026, 2, 13)) is True  # Friday
    assert CN_2026.is_working_day(date(2026, 2, 14)) is True  # adjusted Saturday
    assert CN_2026.is_working_day(date(2026, 2, 16)) is False  # holiday Monday
    assert CN_2026.is_working_day(date(2026, 2, 15)) is False  # Sunday in the holiday
    assert CN_2026.is_working_day(date(2026, 3, 7)) is False  # ordinary Saturday
    assert CN_2026.covers(2026) is True
    assert CN_2026.covers(2027) is False
    assert isinstance(CN_2026, WorkingDayCalendar)


@pytest.mark.parametrize("day", [date(2025, 12, 31), date(2027, 1, 4), date(1999, 6, 1)])
def test_explicit_calendar_never_guesses_weekdays(day: date) -> None:
    assert day.weekday() < 5
    with pytest.raises(CalendarDataMissing) as info:
        CN_2026.is_working_day(day)
    assert info.value.got == day.year
    assert isinstance(info.value, LookupError)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"years": [0]}, "years"),
        ({"years": [10000]}, "years"),
        ({"years": ["2026"]}, "years"),
        ({"years": [2026], "holidays": [date(2027, 1, 1)]}, "holidays"),
        ({"years": [2026], "holidays": ["2026-01-01"]}, "holidays"),
        ({"years": [2026], "working_days": [date(2026, 2, 16)]}, "working_days"),
        (
            {"years": [2026], "holidays": [date(2026, 2, 14)], "working_days": [date(2026, 2, 14)]},
            "working_days",
        ),
        ({"years": [2026], "working_days": [date(2027, 1, 2)]}, "working_days"),
    ],
)
def test_explicit_calendar_validation(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        ExplicitCalendar(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def test_explicit_calendar_is_frozen_value() -> None:
    same = ExplicitCalendar(years={2026}, holidays=list(SPRING_2026), working_days=ADJUSTED_2026)
    assert same == CN_2026
    assert hash(same) == hash(CN_2026)


def _fake_chinese_calendar(covered: int) -> types.ModuleType:
    module = types.ModuleType("chinese_calendar")

    def is_workday(d: date) -> bool:
        if d.year != covered:
            raise NotImplementedError(f"no available data for year {d.year}")
        return d.weekday() < 5

    module.is_workday = is_workday  # type: ignore[attr-defined]
    return module


def test_chinese_adapter_with_fake_module(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "chinese_calendar", _fake_chinese_calendar(2026))
    cal = chinese_holiday_calendar()
    assert isinstance(cal, ChineseHolidayCalendar)
    assert isinstance(cal, WorkingDayCalendar)
    assert cal.is_working_day(date(2026, 3, 13)) is True
    assert cal.is_working_day(date(2026, 3, 14)) is False
    with pytest.raises(CalendarDataMissing) as info:
        cal.is_working_day(date(2027, 3, 15))
    assert info.value.got == 2027
    assert isinstance(info.value.__cause__, NotImplementedError)
    with pytest.raises(ValidationError):
        cal.is_working_day(datetime(2026, 3, 13))


def test_chinese_adapter_missing_package(monkeypatch: pytest.MonkeyPatch) -> None:
    # A None entry in sys.modules makes the import fail as if the package were absent.
    monkeypatch.setitem(sys.modules, "chinese_calendar", None)
    with pytest.raises(OptionalDependencyError) as info:
        chinese_holiday_calendar()
    assert isinstance(info.value, ImportError)
    assert isinstance(info.value, RandcheckError)
    assert "pip install randcheck[holidays]" in str(info.value)


def test_chinese_adapter_with_real_package() -> None:
    pytest.importorskip("chinese_calendar")
    cal = chinese_holiday_calendar()
    for offset in range(28):
        day = date(2026, 2, 1) + timedelta(days=offset)
        assert cal.is_working_day(day) == CN_2026.is_working_day(day), day
    start = date(2026, 2, 12)
    assert publicity_end(start, 7, counting=WORK, calendar=cal) == date(2026, 2, 27)
    with pytest.raises(CalendarDataMissing):
        cal.is_working_day(date(2003, 6, 2))
    with pytest.raises(CalendarDataMissing):
        cal.is_working_day(date(2200, 6, 2))


# --- Art. 16: validity -----------------------------------------------------------------------


def test_validity_two_years_across_a_leap_day() -> None:
    window = validity_window(date(2026, 3, 1), 2)
    # 民法典 Art. 202: a period in years ends on the corresponding day.
    assert window == ValidityWindow(start=date(2026, 3, 1), end=date(2028, 3, 1))
    assert window.contains(date(2028, 3, 1))
    assert not window.contains(date(2028, 3, 2))
    assert not window.contains(date(2026, 2, 28))


def test_validity_issued_on_29_february() -> None:
    window = validity_window(date(2024, 2, 29), 2)
    assert window is not None
    assert window.end == date(2026, 2, 28)
    assert not window.contains(date(2026, 3, 1))
    # Four years on there is a 29 February again, the corresponding day.
    four = validity_window(date(2024, 2, 29), 4)
    assert four is not None
    assert four.end == date(2028, 2, 29)


def test_validity_ordinary_dates() -> None:
    window = validity_window(date(2026, 1, 15), 2)
    assert window is not None
    assert (window.start, window.end) == (date(2026, 1, 15), date(2028, 1, 15))
    assert validity_window(None, 2) is None


@pytest.mark.parametrize(
    ("issued", "years", "field"),
    [
        (date(2026, 3, 1), 0, "years"),
        (None, 0, "years"),
        (date(9998, 3, 1), 2, "years"),
        (datetime(2026, 3, 1), 2, "issued"),
    ],
)
def test_validity_window_rejects_bad_input(issued: date | None, years: int, field: str) -> None:
    with pytest.raises(ValidationError) as info:
        validity_window(issued, years)
    assert info.value.field == field


def test_validity_window_value_checks() -> None:
    with pytest.raises(ValidationError) as info:
        ValidityWindow(start=date(2026, 3, 1), end=date(2026, 2, 28))
    assert info.value.field == "end"
    with pytest.raises(ValidationError) as info:
        ValidityWindow(start="2026-03-01", end=date(2026, 3, 1))  # type: ignore[arg-type]
    assert info.value.field == "start"
    window = ValidityWindow(start=date(2026, 3, 1), end=date(2026, 3, 1))
    assert window.contains(date(2026, 3, 1))
    with pytest.raises(ValidationError):
        window.contains(datetime(2026, 3, 1))


# --- properties ------------------------------------------------------------------------------

_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(9000, 12, 31))
_n = st.integers(min_value=1, max_value=400)

_weekdays_2026 = [
    date(2026, 1, 1) + timedelta(days=i)
    for i in range(365)
    if (date(2026, 1, 1) + timedelta(days=i)).weekday() < 5
]
_weekends_2026 = [
    date(2026, 1, 1) + timedelta(days=i)
    for i in range(365)
    if (date(2026, 1, 1) + timedelta(days=i)).weekday() >= 5
]


@st.composite
def _calendars(draw: st.DrawFn) -> ExplicitCalendar:
    holidays = draw(st.frozensets(st.sampled_from(_weekdays_2026), max_size=40))
    working = draw(st.frozensets(st.sampled_from(_weekends_2026), max_size=10))
    return ExplicitCalendar(years=range(2025, 2029), holidays=holidays, working_days=working)


_starts_2026 = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31))
_work_n = st.integers(min_value=1, max_value=60)


@given(_dates, _dates, _n)
def test_calendar_end_is_monotone_in_start(a: date, b: date, n: int) -> None:
    lo, hi = sorted((a, b))
    assert publicity_end(lo, n) <= publicity_end(hi, n)


@given(_dates, _n, _n)
def test_calendar_end_is_monotone_in_min_days(start: date, m: int, n: int) -> None:
    lo, hi = sorted((m, n))
    assert publicity_end(start, lo) <= publicity_end(start, hi)


@given(_dates, _n)
def test_calendar_round_trip_and_feedback_after_end(start: date, n: int) -> None:
    end = publicity_end(start, n)
    assert days_in_period(start, end) == n
    assert earliest_feedback(start, n) > end
    assert publicity_long_enough(start, end, n)
    if n > 1:
        assert not publicity_long_enough(start, end - timedelta(days=1), n)


@given(_calendars(), _starts_2026, _starts_2026, _work_n)
def test_working_end_is_monotone_in_start(cal: ExplicitCalendar, a: date, b: date, n: int) -> None:
    lo, hi = sorted((a, b))
    assert publicity_end(lo, n, counting=WORK, calendar=cal) <= publicity_end(
        hi, n, counting=WORK, calendar=cal
    )


@given(_calendars(), _starts_2026, _work_n, _work_n)
def test_working_end_is_monotone_in_min_days(
    cal: ExplicitCalendar, start: date, m: int, n: int
) -> None:
    lo, hi = sorted((m, n))
    assert publicity_end(start, lo, counting=WORK, calendar=cal) <= publicity_end(
        start, hi, counting=WORK, calendar=cal
    )


@given(_calendars(), _starts_2026, _work_n)
def test_working_round_trip_and_feedback_after_end(
    cal: ExplicitCalendar, start: date, n: int
) -> None:
    end = publicity_end(start, n, counting=WORK, calendar=cal)
    assert cal.is_working_day(end)
    # The count is n whether or not the posting day itself is a working day.
    assert days_in_period(start, end, counting=WORK, calendar=cal) == n
    if cal.is_working_day(start) and n == 1:
        assert end == start
    assert earliest_feedback(start, n, counting=WORK, calendar=cal) == end + timedelta(days=1)
    assert publicity_long_enough(start, end, n, counting=WORK, calendar=cal)
    if end > start:
        assert not publicity_long_enough(
            start, end - timedelta(days=1), n, counting=WORK, calendar=cal
        )


@given(_calendars(), _starts_2026, _starts_2026, _work_n)
def test_working_long_enough_matches_count(
    cal: ExplicitCalendar, start: date, other: date, n: int
) -> None:
    lo, hi = sorted((start, other))
    counted = days_in_period(lo, hi, counting=WORK, calendar=cal)
    assert publicity_long_enough(lo, hi, n, counting=WORK, calendar=cal) == (counted >= n)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9000, 12, 31)), st.integers(1, 50))
def test_validity_window_properties(issued: date, years: int) -> None:
    window = validity_window(issued, years)
    assert window is not None
    assert window.start == issued
    assert window.contains(issued)
    assert not window.contains(window.end + timedelta(days=1))
    # The issue day, then whole years counted from the day after it (民法典 Art. 201-202).
    length = (window.end - window.start).days
    assert 365 * years - 1 <= length <= 366 * years


# --- the civil-code counting convention (民法典 Art. 201, 203) -----------------------------

_NATIONAL_DAY = ExplicitCalendar(years=[2026], holidays=[date(2026, 10, d) for d in range(1, 8)])


def test_start_day_not_counted_moves_the_end_one_day() -> None:
    """Art. 201: "开始的当日不计入，自下一日开始计算"."""
    assert publicity_end(date(2026, 3, 12), 7) == date(2026, 3, 18)
    assert publicity_end(date(2026, 3, 12), 7, start_day_counted=False) == date(2026, 3, 19)
    assert earliest_feedback(date(2026, 3, 12), 7, start_day_counted=False) == date(2026, 3, 20)


def test_last_day_on_a_holiday_rolls_over_to_the_next_working_day() -> None:
    """Art. 203: a last day that is a statutory holiday moves to the day after the holiday.
    Posted 2026-09-28, seven days from the next day end on 5 October, inside the National Day
    holiday; the period ends on 8 October and feedback may be dated from 9 October."""
    posted = date(2026, 9, 28)
    civil = {"start_day_counted": False, "holiday_rollover": True}
    assert publicity_end(posted, 7, calendar=_NATIONAL_DAY, **civil) == date(2026, 10, 8)
    assert earliest_feedback(posted, 7, calendar=_NATIONAL_DAY, **civil) == date(2026, 10, 9)
    assert not publicity_long_enough(posted, date(2026, 10, 7), 7, calendar=_NATIONAL_DAY, **civil)
    assert publicity_long_enough(posted, date(2026, 10, 8), 7, calendar=_NATIONAL_DAY, **civil)


def test_roll_over_keeps_a_last_day_that_is_a_working_day() -> None:
    assert publicity_end(
        date(2026, 3, 9), 7, holiday_rollover=True, calendar=_NATIONAL_DAY
    ) == date(2026, 3, 16)  # Sunday 15 March rolls to Monday 16 March


def test_roll_over_needs_a_calendar_and_its_data() -> None:
    with pytest.raises(ValidationError) as exc:
        publicity_end(date(2026, 9, 28), 7, holiday_rollover=True)
    assert exc.value.field == "calendar"
    with pytest.raises(CalendarDataMissing):
        publicity_end(date(2027, 9, 28), 7, holiday_rollover=True, calendar=_NATIONAL_DAY)
