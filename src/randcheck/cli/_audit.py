"""``randcheck audit LEDGER``: check a year's ledger against every rule.

``--profile`` takes a registered name or the path of a profile file (default ``cn-tj-hrss``).
Exit codes: 0 no violation (warnings and unknowns may remain), 1 at least one violation, 2 bad
input (unreadable ledger, unknown profile or bad profile file, bad option).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

import attrs

from randcheck.calendars import (
    WorkingDayCalendar,
    chinese_holiday_calendar,
    load_calendar,
)
from randcheck.cli._output import deliver, warn_if_calendar_lacks
from randcheck.cli._profile import PROFILE_DEFAULT, add_profile_option
from randcheck.errors import InputFileError, RandcheckError
from randcheck.ledger import load_ledger
from randcheck.profiles import get_profile
from randcheck.validators import audit, report_json

__all__ = ["register", "run"]


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def register(subparsers: Any) -> None:
    """Add the ``audit`` subcommand."""
    parser = subparsers.add_parser(
        "audit",
        help="audit a year's ledger against the rules (exit 1 on any violation)",
        description=(
            "合规审计：逐条规则检查台账 / check a year's ledger rule by rule. "
            "Exit 0: no violation; 1: violations; 2: bad input."
        ),
    )
    parser.add_argument(
        "ledger", metavar="LEDGER", help="the ledger: a JSON document, or JSON Lines (.jsonl)"
    )
    add_profile_option(parser, PROFILE_DEFAULT)
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default text)"
    )
    parser.add_argument(
        "--issued",
        type=_day,
        default=None,
        metavar="YYYY-MM-DD",
        help="issue date of the rules, where the profile has none (checks R-RULES-VALID)",
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--holidays",
        choices=("china",),
        default=None,
        help=(
            "holiday data for counting periods: 'china' reads the optional chinesecalendar "
            "package (pip install randcheck[holidays]); without it, a profile that rolls a "
            "last day over holidays (cn-tj-hrss, 民法典 Art. 203) leaves R-PUBLICITY 'unknown'"
        ),
    )
    which.add_argument(
        "--calendar",
        metavar="CALENDAR.json",
        default=None,
        help="a working-day calendar file instead: the years it covers, their rest days and "
        "the weekend days worked (kind working-day-calendar, docs/audit.md); "
        "randcheck demo writes its own as calendar.json",
    )
    parser.add_argument(
        "--include-passes",
        action="store_true",
        help="with --format json, list the passing records too",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Load the ledger, audit it and print the report; returns the exit code."""
    profile = get_profile(args.profile)
    if args.issued is not None:
        profile = attrs.evolve(profile, issued=args.issued)
    try:
        ledger = load_ledger(args.ledger)
    except InputFileError as exc:
        # Every problem in the file, not only the first, so it can be fixed in one go.
        reason = f"randcheck: error: {exc}"
        return deliver(2, lambda: print(reason, file=sys.stderr))
    calendar: WorkingDayCalendar | None = None
    try:
        if args.holidays == "china":
            calendar = chinese_holiday_calendar()
        elif args.calendar is not None:
            calendar = load_calendar(args.calendar)
    except RandcheckError as exc:
        reason = f"randcheck: error: {exc}"
        return deliver(2, lambda: print(reason, file=sys.stderr))
    warn_if_calendar_lacks(calendar, ledger.year)
    report = audit(ledger, profile, calendar=calendar, include_passes=args.include_passes)
    text = report_json(report) + "\n" if args.format == "json" else report.to_text()
    return deliver(0 if report.ok else 1, lambda: print(text, end=""))
