"""Deadlines and periods: the plan deadline, the publicity period, the validity of the rules.

Every "by 30 November" and "at least 7 days" in randcheck is computed here, so the counting
convention lives in one place.

Counting convention
-------------------
A period is a run of whole days, and both its first and its last day are inclusive.

*Calendar days* (:attr:`DayCounting.CALENDAR`). Publicity posted on day ``S`` counts ``S`` as
day 1. A minimum period of ``n`` days therefore ends at the end of day ``S + n - 1``, and the
earliest lawful feedback date is the next day, ``S + n``. Art. 14 (公示期不少于七天) with
publicity posted on 2026-03-12::

    day 1 = 2026-03-12, ..., day 7 = 2026-03-18   -> publicity_end = 2026-03-18
    earliest_feedback = 2026-03-19

so feedback dated 2026-03-18 is too early and feedback dated 2026-03-19 is on time.

*Working days* (:attr:`DayCounting.WORKING`). Only days that a :class:`WorkingDayCalendar`
says are working days count. The posting day counts as day 1 if it is itself a working day;
otherwise counting starts at the next working day. The period ends on the ``n``-th working day,
and feedback may be given from the next *calendar* day on, even if that is a rest day: Art. 14
only requires the publicity to have run its minimum length, and nothing in the rules limits
the day on which the result is communicated. With posting on Friday 2026-03-13 and ``n = 7``
(no holidays), the working days are 13, 16, 17, 18, 19, 20 and 23 March, so the period ends on
2026-03-23 and the earliest feedback date is 2026-03-24.

Working-day counting never guesses: a calendar raises :class:`~randcheck.errors.CalendarDataMissing`
for a year it has no data for, rather than assuming Monday to Friday.

Plan deadline (Art. 8, 于每年11月底前): the plan for year ``Y`` is due on or before
30 November of ``Y - 1``.

Validity (Art. 16, 有效期两年): rules issued on day ``I`` apply from ``I``; their years are
counted from the next day (民法典 Art. 201) and end on the corresponding day (Art. 202), so they
are valid up to and including the same date ``years`` years later. A 29 February issue date has
no same date in a common year; the period then ends on the month's last day, 28 February
(issued 2024-02-29, two years: valid through 2026-02-28).
"""

from __future__ import annotations

import enum
import importlib
import os
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any, Final, Protocol, runtime_checkable

import attrs
from dateutil.relativedelta import relativedelta

from randcheck.errors import (
    CalendarDataMissing,
    InputFileError,
    Location,
    RandcheckError,
    ValidationError,
)

__all__ = [
    "CALENDAR_KIND",
    "ChineseHolidayCalendar",
    "DayCounting",
    "ExplicitCalendar",
    "OptionalDependencyError",
    "ValidityWindow",
    "WorkingDayCalendar",
    "chinese_holiday_calendar",
    "days_in_period",
    "earliest_feedback",
    "load_calendar",
    "plan_deadline",
    "plan_submitted_on_time",
    "publicity_end",
    "publicity_long_enough",
    "save_calendar",
    "validity_window",
]

CALENDAR_KIND: Final = "working-day-calendar"
"""The kind of a JSON document holding an :class:`ExplicitCalendar` (:func:`load_calendar`)."""

_ONE_DAY = timedelta(days=1)
# A calendar with no working day in a whole year is broken data, not a long holiday; stop
# walking instead of looping until date.max.
_MAX_REST_RUN = 366


class DayCounting(enum.StrEnum):
    """How the days of a period are counted."""

    CALENDAR = "calendar"
    WORKING = "working"


_COUNTING_VALUES = frozenset(member.value for member in DayCounting)


class OptionalDependencyError(RandcheckError, ImportError):
    """An optional package needed for a feature is not installed."""


@runtime_checkable
class WorkingDayCalendar(Protocol):
    """Tells working days from rest days, for the years it has data for."""

    def is_working_day(self, d: date, /) -> bool:
        """Return whether ``d`` is a working day.

        Raises:
            CalendarDataMissing: the calendar has no data for ``d.year``. Implementations
                must never fall back to Monday to Friday.
        """
        ...  # pragma: no cover


def _missing_year(year: int, source: str) -> CalendarDataMissing:
    return CalendarDataMissing(
        f"工作日历（{source}）没有 {year} 年的数据，不按周一至周五推测；"
        f"the working-day calendar ({source}) has no data for {year}; "
        "weekdays are not guessed.",
        field="year",
        expected="a year with calendar data",
        got=year,
    )


def _require_date(field: str, value: object) -> date:
    # datetime is a date subclass, but comparing it with a date raises TypeError later on.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationError(field=field, expected="a datetime.date", got=value)
    return value


def _require_int(field: str, value: object, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValidationError(field=field, expected=f"an integer >= {minimum}", got=value)
    return value


def _to_year_set(values: Iterable[int]) -> frozenset[int]:
    return frozenset(values)


def _to_date_set(values: Iterable[date]) -> frozenset[date]:
    return frozenset(values)


def _validate_years(instance: ExplicitCalendar, attribute: Any, value: frozenset[int]) -> None:
    for year in sorted(value, key=repr):
        _require_int("years", year, minimum=date.min.year)
        if year > date.max.year:
            raise ValidationError(field="years", expected=f"a year <= {date.max.year}", got=year)


def _validate_day_set(instance: ExplicitCalendar, attribute: Any, value: frozenset[date]) -> None:
    for day in sorted(value, key=repr):
        _require_date(attribute.name, day)
        if day.year not in instance.years:
            raise ValidationError(
                field=attribute.name,
                expected=f"a date in a covered year {sorted(instance.years)}",
                got=day,
            )


def _validate_working_days(
    instance: ExplicitCalendar, attribute: Any, value: frozenset[date]
) -> None:
    _validate_day_set(instance, attribute, value)
    for day in sorted(value):
        if day.weekday() < 5:
            raise ValidationError(
                field="working_days",
                expected="a Saturday or Sunday made a working day (调休上班日)",
                got=day,
            )
        if day in instance.holidays:
            raise ValidationError(
                field="working_days",
                expected="a date that is not also listed as a holiday",
                got=day,
            )


@attrs.frozen(kw_only=True)
class ExplicitCalendar:
    """A working-day calendar given by explicit data for the years it covers.

    In a covered year, Monday to Friday are working days unless listed in ``holidays``, and
    Saturday and Sunday are rest days unless listed in ``working_days`` (调休 weekend days
    worked in exchange for a longer holiday). For any other year :meth:`is_working_day`
    raises :class:`~randcheck.errors.CalendarDataMissing`.

    Attributes:
        years: the years the data covers.
        holidays: rest days that fall on a weekday (weekend dates may be listed too; they are
            rest days either way).
        working_days: weekend days that are working days.

    >>> cal = ExplicitCalendar(years=[2026], holidays=[date(2026, 10, 1)])
    >>> cal.is_working_day(date(2026, 10, 1)), cal.is_working_day(date(2026, 10, 9))
    (False, True)
    """

    years: frozenset[int] = attrs.field(converter=_to_year_set, validator=_validate_years)
    holidays: frozenset[date] = attrs.field(
        factory=frozenset, converter=_to_date_set, validator=_validate_day_set
    )
    working_days: frozenset[date] = attrs.field(
        factory=frozenset, converter=_to_date_set, validator=_validate_working_days
    )

    def covers(self, year: int) -> bool:
        """Return whether the calendar has data for ``year``."""
        return year in self.years

    def is_working_day(self, d: date, /) -> bool:
        """Return whether ``d`` is a working day; raise CalendarDataMissing outside ``years``."""
        _require_date("d", d)
        if d.year not in self.years:
            raise _missing_year(d.year, "ExplicitCalendar")
        if d.weekday() >= 5:
            return d in self.working_days
        return d not in self.holidays


_CALENDAR_FIELDS = ("years", "holidays", "working_days")


def _calendar_problems(data: object) -> list[tuple[str, str]]:
    """Every problem of a calendar document's ``data``, as (JSON path, what is wrong)."""
    if not isinstance(data, dict):
        return [("$.data", "expected an object with years, holidays and working_days")]
    problems: list[tuple[str, str]] = []
    unknown = sorted(set(data) - set(_CALENDAR_FIELDS))
    if unknown:
        problems.append(
            (
                "$.data",
                f"unknown fields {', '.join(unknown)}; expected only years, holidays, working_days",
            )
        )
    years: set[int] = set()
    if "years" not in data:
        problems.append(("$.data.years", "missing: the years the calendar covers"))
    elif not isinstance(data["years"], list):
        problems.append(("$.data.years", f"expected a list of years, got {data['years']!r}"))
    else:
        for i, year in enumerate(data["years"]):
            if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9999:
                problems.append((f"$.data.years[{i}]", f"expected a year, got {year!r}"))
            else:
                years.add(year)
    days: dict[str, list[date | None]] = {}
    for name in ("holidays", "working_days"):
        values = data.get(name, [])
        days[name] = []
        if not isinstance(values, list):
            problems.append((f"$.data.{name}", f"expected a list of dates, got {values!r}"))
            continue
        for i, value in enumerate(values):
            path = f"$.data.{name}[{i}]"
            try:
                if not isinstance(value, str) or len(value) != 10:
                    raise ValueError
                day: date | None = date.fromisoformat(value)
            except ValueError:
                problems.append((path, f"expected an ISO date YYYY-MM-DD, got {value!r}"))
                day = None
            days[name].append(day)
            if day is None:
                continue
            if day.year not in years:
                problems.append((path, f"{day} is not in a covered year {sorted(years)}"))
            if name == "working_days" and day.weekday() < 5:
                problems.append(
                    (path, f"{day} is a weekday: working_days lists weekend days worked (调休)")
                )
    holidays = set(days["holidays"])
    for i, day in enumerate(days["working_days"]):
        if day is not None and day in holidays:
            problems.append((f"$.data.working_days[{i}]", f"{day} is also listed as a holiday"))
    return problems


def load_calendar(path: str | os.PathLike[str]) -> ExplicitCalendar:
    """Read the :class:`ExplicitCalendar` of the JSON document at ``path``, of kind
    :data:`CALENDAR_KIND` (as :func:`save_calendar` writes)::

        {"schema": 1, "kind": "working-day-calendar",
         "data": {"years": [2027],
                  "holidays": ["2027-01-01", "2027-10-01", …],
                  "working_days": ["2027-09-26", …]}}

    ``years``: the years covered (no other year is guessed); ``holidays``: the rest days in
    them, weekend dates allowed; ``working_days``: the weekend days worked in exchange (调休).
    Each list may be left out when empty.

    Raises:
        InputFileError: the file cannot be read, is not such a document, or its data is
            wrong; ``errors`` lists every problem, each with its JSON path
            (``… @ $.data.holidays[3]``).
    """
    # Imported here: randcheck.io reaches the modules that use these calendars.
    from randcheck.io import load_json

    source = os.fspath(path)
    data = load_json(path, CALENDAR_KIND, dict[str, Any])
    problems = _calendar_problems(data)
    if problems:
        location = Location(file=source)
        raise InputFileError(
            f"工作日历有误 / the working-day calendar is wrong: {len(problems)} error(s)",
            errors=[
                ValidationError(f"{message} @ {where}", location=location)
                for where, message in problems
            ],
            location=location,
        )
    return ExplicitCalendar(
        years=data["years"],
        holidays=[date.fromisoformat(d) for d in data.get("holidays", [])],
        working_days=[date.fromisoformat(d) for d in data.get("working_days", [])],
    )


def save_calendar(path: str | os.PathLike[str], calendar: ExplicitCalendar) -> None:
    """Write ``calendar`` as the canonical JSON document :func:`load_calendar` reads (kind
    :data:`CALENDAR_KIND`; years and days in order)."""
    from randcheck.io import save_json

    save_json(path, CALENDAR_KIND, calendar)


@attrs.frozen(kw_only=True)
class ChineseHolidayCalendar:
    """Working days of mainland China from the ``chinese_calendar`` package.

    Build it with :func:`chinese_holiday_calendar`. Years outside the package's data raise
    :class:`~randcheck.errors.CalendarDataMissing`.
    """

    is_workday: Callable[[date], bool] = attrs.field(repr=False, eq=False)
    source: str = "chinese_calendar"

    def is_working_day(self, d: date, /) -> bool:
        """Return whether ``d`` is a working day; raise CalendarDataMissing outside the data."""
        _require_date("d", d)
        try:
            return bool(self.is_workday(d))
        except NotImplementedError as exc:
            # The package signals "no data for this year" with NotImplementedError.
            raise _missing_year(d.year, self.source) from exc


def covers_year(calendar: WorkingDayCalendar, year: int) -> bool:
    """Whether ``calendar`` has data for ``year`` (it answers for 1 January without raising
    :class:`~randcheck.errors.CalendarDataMissing`)."""
    try:
        calendar.is_working_day(date(year, 1, 1))
    except CalendarDataMissing:
        return False
    return True


def chinese_holiday_calendar() -> ChineseHolidayCalendar:
    """Return the mainland China working-day calendar of the ``chinese_calendar`` package.

    The package is optional: install it with ``pip install randcheck[holidays]``. Its data
    follows the State Council's yearly holiday notices, so a year is covered only once a
    release with that year's notice is installed.

    Raises:
        OptionalDependencyError: the package is not installed.
    """
    try:
        module = importlib.import_module("chinese_calendar")
    except ImportError as exc:
        raise OptionalDependencyError(
            "需要节假日数据包 chinesecalendar：pip install randcheck[holidays]；"
            "the Chinese holiday calendar needs the optional package 'chinesecalendar': "
            "pip install randcheck[holidays]",
            field="chinese_calendar",
            expected="the installed package chinesecalendar",
            got=None,
        ) from exc
    is_workday: Callable[[date], bool] = module.is_workday
    return ChineseHolidayCalendar(is_workday=is_workday)


def plan_deadline(year: int, *, month: int = 11, day: int = 30) -> date:
    """Return the last day on which the inspection plan for ``year`` may be submitted.

    Art. 8 (于每年11月底前): the plan for year ``Y`` is due on or before 30 November of
    ``Y - 1``; ``month`` and ``day`` let a profile move the date within the previous year.

    >>> plan_deadline(2027)
    datetime.date(2026, 11, 30)
    """
    _require_int("year", year, minimum=date.min.year + 1)
    if year > date.max.year + 1:
        raise ValidationError(field="year", expected=f"a year <= {date.max.year + 1}", got=year)
    _require_int("month", month, minimum=1)
    _require_int("day", day, minimum=1)
    if month > 12:
        raise ValidationError(field="month", expected="a month from 1 to 12", got=month)
    try:
        return date(year - 1, month, day)
    except ValueError:
        raise ValidationError(
            field="day", expected=f"a day that exists in {year - 1}-{month:02d}", got=day
        ) from None


def plan_submitted_on_time(year: int, submitted: date, *, month: int = 11, day: int = 30) -> bool:
    """Return whether a plan for ``year`` submitted on ``submitted`` meets the deadline.

    On time means on or before :func:`plan_deadline` (the deadline day itself is on time).

    >>> plan_submitted_on_time(2027, date(2026, 11, 30))
    True
    >>> plan_submitted_on_time(2027, date(2026, 12, 1))
    False
    """
    _require_date("submitted", submitted)
    return submitted <= plan_deadline(year, month=month, day=day)


def _counting(value: object) -> DayCounting:
    # Profiles loaded from JSON carry the plain string value.
    if isinstance(value, str) and value in _COUNTING_VALUES:
        return DayCounting(value)
    raise ValidationError(field="counting", expected="'calendar' or 'working'", got=value)


def _working_calendar(counting: DayCounting, calendar: object) -> WorkingDayCalendar | None:
    if calendar is not None and not isinstance(calendar, WorkingDayCalendar):
        raise ValidationError(
            field="calendar", expected="a WorkingDayCalendar or None", got=calendar
        )
    if counting is DayCounting.WORKING and calendar is None:
        raise ValidationError(
            "按工作日计算公示期需要工作日历；counting working days needs a working-day calendar",
            field="calendar",
            expected="a WorkingDayCalendar when counting working days",
            got=None,
        )
    return calendar


def _next_day(d: date, field: str) -> date:
    try:
        return d + _ONE_DAY
    except OverflowError:
        raise ValidationError(
            field=field, expected=f"a period ending on or before {date.max}", got=d
        ) from None


def _nth_working_day(
    start: date, n: int, calendar: WorkingDayCalendar, *, stop: date | None = None
) -> date | None:
    """Return the ``n``-th working day counting from ``start`` inclusive.

    Returns ``None`` if ``stop`` is given and passed before the ``n``-th working day; only
    the days up to that point are looked up, so missing data after ``stop`` does not matter.
    """
    count = 0
    rest_run = 0
    d = start
    while True:
        if stop is not None and d > stop:
            return None
        if calendar.is_working_day(d):
            count += 1
            rest_run = 0
            if count == n:
                return d
        else:
            rest_run += 1
            if rest_run > _MAX_REST_RUN:
                raise ValidationError(
                    field="calendar",
                    expected=f"a calendar with a working day in every {_MAX_REST_RUN} days",
                    got=calendar,
                )
        d = _next_day(d, "start")


def publicity_end(
    start: date,
    min_days: int,
    *,
    counting: DayCounting = DayCounting.CALENDAR,
    calendar: WorkingDayCalendar | None = None,
    start_day_counted: bool = True,
    holiday_rollover: bool = False,
) -> date:
    """Return the last day of a minimum publicity period of ``min_days`` starting on ``start``.

    With ``start_day_counted`` the posting day is day 1; without it the count starts the next
    day (民法典 Art. 201, "开始的当日不计入"). Calendar days: the period ends ``min_days - 1``
    days after its first counted day. Working days: the period ends on the ``min_days``-th
    working day from its first counted day; ``calendar`` is required. With
    ``holiday_rollover`` a last day that is not a working day moves to the next working day
    (民法典 Art. 203), which also needs ``calendar``.

    >>> publicity_end(date(2026, 3, 12), 7)
    datetime.date(2026, 3, 18)
    >>> publicity_end(date(2026, 3, 12), 7, start_day_counted=False)
    datetime.date(2026, 3, 19)

    Raises:
        ValidationError: a bad argument, or working-day counting or holiday roll-over without a
            calendar.
        CalendarDataMissing: the calendar has no data for a year the period reaches.
    """
    _require_date("start", start)
    _require_int("min_days", min_days, minimum=1)
    mode = _counting(counting)
    cal = _working_calendar(mode, calendar)
    if holiday_rollover and cal is None:
        raise ValidationError(
            "节假日顺延需要工作日历；rolling a last day over holidays needs a working-day calendar",
            field="calendar",
            expected="a WorkingDayCalendar when a last day on a holiday rolls over",
            got=None,
        )
    first = start if start_day_counted else _next_day(start, "start")
    if cal is None or mode is DayCounting.CALENDAR:
        try:
            end = first + timedelta(days=min_days - 1)
        except OverflowError:
            raise ValidationError(
                field="min_days", expected=f"a period ending on or before {date.max}", got=min_days
            ) from None
    else:
        found = _nth_working_day(first, min_days, cal)
        assert found is not None  # without a stop day the walk ends only by returning a date
        end = found
    if holiday_rollover:
        assert cal is not None
        end = _nth_working_day(end, 1, cal) or end
    return end


def earliest_feedback(
    start: date,
    min_days: int,
    *,
    counting: DayCounting = DayCounting.CALENDAR,
    calendar: WorkingDayCalendar | None = None,
    start_day_counted: bool = True,
    holiday_rollover: bool = False,
) -> date:
    """Return the first day on which feedback may be dated: the day after :func:`publicity_end`.

    This is the next calendar day even when counting working days: the rules require the
    publicity to have lasted, not that feedback be given on a working day.

    >>> earliest_feedback(date(2026, 3, 12), 7)
    datetime.date(2026, 3, 19)
    """
    end = publicity_end(
        start,
        min_days,
        counting=counting,
        calendar=calendar,
        start_day_counted=start_day_counted,
        holiday_rollover=holiday_rollover,
    )
    return _next_day(end, "min_days")


def _check_period(start: date, end: date) -> None:
    _require_date("start", start)
    _require_date("end", end)
    if end < start:
        raise ValidationError(field="end", expected=f"a date on or after start {start}", got=end)


def publicity_long_enough(
    start: date,
    end: date,
    min_days: int,
    *,
    counting: DayCounting = DayCounting.CALENDAR,
    calendar: WorkingDayCalendar | None = None,
    start_day_counted: bool = True,
    holiday_rollover: bool = False,
) -> bool:
    """Return whether publicity from ``start`` to ``end`` (both inclusive) lasts ``min_days``.

    Equivalent to ``end >= publicity_end(start, min_days, ...)`` with the same counting
    convention; with the posting day counted and no roll-over, only the days up to the
    ``min_days``-th counted day are looked up in the calendar.

    >>> publicity_long_enough(date(2026, 3, 12), date(2026, 3, 18), 7)
    True
    >>> publicity_long_enough(date(2026, 3, 12), date(2026, 3, 17), 7)
    False
    """
    _check_period(start, end)
    if not start_day_counted or holiday_rollover:
        required = publicity_end(
            start,
            min_days,
            counting=counting,
            calendar=calendar,
            start_day_counted=start_day_counted,
            holiday_rollover=holiday_rollover,
        )
        return end >= required
    _require_int("min_days", min_days, minimum=1)
    mode = _counting(counting)
    cal = _working_calendar(mode, calendar)
    if cal is None or mode is DayCounting.CALENDAR:
        return (end - start).days + 1 >= min_days
    return _nth_working_day(start, min_days, cal, stop=end) is not None


def days_in_period(
    start: date,
    end: date,
    *,
    counting: DayCounting = DayCounting.CALENDAR,
    calendar: WorkingDayCalendar | None = None,
) -> int:
    """Return the number of counted days from ``start`` to ``end``, both inclusive.

    >>> days_in_period(date(2026, 3, 12), date(2026, 3, 18))
    7
    """
    _check_period(start, end)
    mode = _counting(counting)
    cal = _working_calendar(mode, calendar)
    length = (end - start).days + 1
    if cal is None or mode is DayCounting.CALENDAR:
        return length
    return sum(1 for offset in range(length) if cal.is_working_day(start + timedelta(days=offset)))


def _validate_window(instance: ValidityWindow, attribute: Any, value: date) -> None:
    _require_date(attribute.name, value)
    if attribute.name == "end" and value < instance.start:
        raise ValidationError(
            field="end", expected=f"a date on or after start {instance.start}", got=value
        )


@attrs.frozen(kw_only=True)
class ValidityWindow:
    """The days on which rules are in force, ``start`` and ``end`` inclusive."""

    start: date = attrs.field(validator=_validate_window)
    end: date = attrs.field(validator=_validate_window)

    def contains(self, d: date) -> bool:
        """Return whether the rules are in force on ``d``."""
        _require_date("d", d)
        return self.start <= d <= self.end


def validity_window(issued: date | None, years: int) -> ValidityWindow | None:
    """Return the window in which rules issued on ``issued`` are valid for ``years`` years.

    The rules apply from the issue day ("自印发之日起执行"); their period of ``years`` years is
    counted as the civil code counts it (民法典 Art. 201: the issue day itself is not counted;
    Art. 202: a period in years ends on the corresponding day of the last year, or on the last
    day of that month where it has no such day). So the window runs from the issue day through
    the same date ``years`` years later; an issue date of 29 February ends on 28 February of a
    common year. Returns ``None`` when the issue date is unknown.

    >>> validity_window(date(2026, 3, 1), 2)
    ValidityWindow(start=datetime.date(2026, 3, 1), end=datetime.date(2028, 3, 1))
    >>> validity_window(date(2024, 2, 29), 2).end
    datetime.date(2026, 2, 28)
    """
    _require_int("years", years, minimum=1)
    if issued is None:
        return None
    _require_date("issued", issued)
    if issued.year + years > date.max.year:
        raise ValidationError(
            field="years", expected=f"a window ending on or before {date.max}", got=years
        )
    # relativedelta clamps 29 February to 28 February, as Art. 202 does.
    return ValidityWindow(start=issued, end=issued + relativedelta(years=years))
