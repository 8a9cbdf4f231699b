"""``randcheck plan new``: write a valid plan document from options or a TOML file.

::

    randcheck plan new --year 2027 --line 劳动保障监察 --ratio 3% --rounds 1 \\
        --window 2027-04-01/2027-06-30 --out plan.json
    randcheck plan new --from plan.toml --out plan.json

The TOML file holds the keys of a plan's ``data`` (``docs/plans.md``; the JSON Schema is
``randcheck/schemas/plan.schema.json``), dates as TOML dates or ``"YYYY-MM-DD"`` strings;
options given win over the file's values. Lines may be named in Chinese and ratios written
``3%``, ``3/100`` or ``0.03``: the plan is written in canonical form (``labour-inspection``,
``3/100``) and each value read otherwise is said on stderr. ``--out`` is not written over
unless ``--force`` is given. Exit codes: 0 written; 2 bad input, every problem listed at once,
each by its TOML key (``team_size``, ``cross_district.minimum``) or the option that gave it.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from randcheck.canonical import to_document
from randcheck.cli._profile import PROFILE_DEFAULT, add_profile_option
from randcheck.domain import Plan
from randcheck.errors import InputFileError, Location, RandcheckError, ValidationError
from randcheck.io import save_json
from randcheck.io.plans import PLAN_KIND, normalise_plan_data, structure_plan
from randcheck.ledger import Ledger
from randcheck.profiles import get_profile
from randcheck.validators import Outcome, check_plan_deadline, check_plan_fields

__all__ = ["plan_from", "register", "run_new"]


def _pair(text: str) -> tuple[str, str]:
    name, sep, value = text.rpartition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected STRATUM=RATIO (和平区=5%%), got {text!r}")
    return name.strip(), value.strip()


def _window(text: str) -> dict[str, str]:
    start, sep, end = text.partition("/")
    if not sep:
        raise argparse.ArgumentTypeError(
            f"expected START/END, two dates YYYY-MM-DD (2027-04-01/2027-06-30), got {text!r}"
        )
    return {"start": start.strip(), "end": end.strip()}


def register(subparsers: Any) -> None:
    """Add the ``plan`` subcommand with its ``new`` action."""
    plan = subparsers.add_parser(
        "plan",
        help="write a sampling plan (随机抽查计划) from options or a TOML file",
        description="随机抽查计划 / sampling plans: `randcheck plan new` writes a valid one.",
    )
    actions = plan.add_subparsers(dest="plan_action", metavar="ACTION")
    p = actions.add_parser(
        "new",
        help="write a plan document in canonical form",
        description=(
            "生成随机抽查计划 / write a plan document: from options, or a TOML file with the "
            "plan's keys (options win); Chinese line names and ratios such as 3% are written "
            "in canonical form. See docs/plans.md."
        ),
    )
    p.add_argument("--from", dest="source", metavar="PLAN.toml", help="the plan's keys in TOML")
    p.add_argument("--code", help="the plan's code (default: YEAR-LINE)")
    p.add_argument("--year", type=int, help="the year the plan is for")
    p.add_argument("--line", help="the line: its id or Chinese name (劳动保障监察)")
    p.add_argument("--ratio", help="the sampling ratio: 3%%, 3/100 or 0.03")
    p.add_argument(
        "--stratum-ratio",
        type=_pair,
        action="append",
        metavar="STRATUM=RATIO",
        help="the ratio of one stratum (repeatable): 和平区=5%%",
    )
    p.add_argument("--rounds", type=int, help="draws in the year")
    p.add_argument(
        "--window",
        type=_window,
        action="append",
        metavar="START/END",
        help="when a round's checks take place (repeatable, round 1 first)",
    )
    p.add_argument("--item", action="append", metavar="CODE", help="a check item (repeatable)")
    p.add_argument("--scope", help="the target scope, in words")
    p.add_argument(
        "--scope-district", action="append", metavar="DISTRICT", help="only this district"
    )
    p.add_argument("--inspector-requirements", help="requirements on the inspectors")
    p.add_argument("--procedure", help="the procedure of the checks")
    p.add_argument("--team-size", type=int, help="inspectors per team (default 2)")
    p.add_argument("--strata", help="stratum keys, comma-separated (default: district)")
    p.add_argument(
        "--distinct-sections",
        action="store_true",
        default=None,
        help="a team's members come from different sections",
    )
    p.add_argument(
        "--min-one-per-stratum",
        action="store_true",
        default=None,
        help="take at least one enterprise from every stratum",
    )
    p.add_argument(
        "--allocation",
        choices=("per-stratum", "proportional-to-weight"),
        help="how the sample is divided among strata: per-stratum (default) or "
        "proportional-to-weight (chances proportional to weight across strata; docs/algorithm.md)",
    )
    p.add_argument("--cross-district-min", help="least share of a team from other districts")
    p.add_argument("--cross-district-max", help="largest share of a team from other districts")
    p.add_argument("--load-cap", type=int, help="most teams one inspector joins in a round")
    p.add_argument("--submitted", help="when the plan was submitted, YYYY-MM-DD")
    p.add_argument("--published", help="when the plan was published, YYYY-MM-DD")
    p.add_argument("--supplementary-ground", help="the ground of a supplementary plan")
    add_profile_option(p, PROFILE_DEFAULT)
    p.add_argument("--out", required=True, metavar="PLAN.json", help="the plan to write")
    p.add_argument("--force", action="store_true", help="write over --out if it exists")
    p.set_defaults(handler=run_new)
    plan.set_defaults(handler=_usage(plan))


def _usage(parser: argparse.ArgumentParser) -> Any:
    def handler(args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return 2

    return handler


def _toml_data(path: str) -> dict[str, Any]:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputFileError(
            f"无法打开文件 / cannot open {path}: {exc.strerror or exc}",
            location=Location(file=path),
        ) from exc
    try:
        document = tomllib.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        error = ValidationError(
            f"计划文件不是有效的 TOML / {path} is not UTF-8 TOML: {exc}",
            expected="a TOML document in UTF-8",
            got=str(exc),
            location=Location(file=path),
        )
        raise InputFileError(error.message, errors=[error], location=Location(file=path)) from None
    ready: dict[str, Any] = _json_ready(document)
    return ready


def _json_ready(value: Any) -> Any:
    # TOML has dates of its own; the plan's JSON form writes them as text.
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_ready(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


# The option that gives each key (or part of one) of a plan's data.
_OPTIONS = {
    "code": "--code",
    "year": "--year",
    "line": "--line",
    "ratio": "--ratio",
    "rounds": "--rounds",
    "inspector_requirements": "--inspector-requirements",
    "procedure": "--procedure",
    "team_size": "--team-size",
    "load_cap": "--load-cap",
    "distinct_sections": "--distinct-sections",
    "min_one_per_stratum": "--min-one-per-stratum",
    "allocation": "--allocation",
    "submitted": "--submitted",
    "published": "--published",
    "supplementary_ground": "--supplementary-ground",
    "items": "--item",
    "windows": "--window",
    "stratum_ratios": "--stratum-ratio",
    "strata": "--strata",
    "scope.description": "--scope",
    "scope.districts": "--scope-district",
    "cross_district.minimum": "--cross-district-min",
    "cross_district.maximum": "--cross-district-max",
}


def plan_from(args: argparse.Namespace) -> tuple[Plan, list[str]]:
    """The plan the options (and ``--from`` file) describe, and a note for each value read in
    another spelling than the canonical.

    Raises:
        InputFileError: every problem at once, each with its key: the TOML key
            (``cross_district.minimum``) for a value from the file, the option
            (``--team-size``) for one given on the command line.
    """
    source = args.source or "<options>"
    data: dict[str, Any] = _toml_data(args.source) if args.source else {}
    given = {
        "code": args.code,
        "year": args.year,
        "line": args.line,
        "ratio": args.ratio,
        "rounds": args.rounds,
        "inspector_requirements": args.inspector_requirements,
        "procedure": args.procedure,
        "team_size": args.team_size,
        "load_cap": args.load_cap,
        "distinct_sections": args.distinct_sections,
        "min_one_per_stratum": args.min_one_per_stratum,
        "allocation": args.allocation,
        "submitted": args.submitted,
        "published": args.published,
        "supplementary_ground": args.supplementary_ground,
        "items": args.item,
        "windows": args.window,
        "stratum_ratios": None
        if args.stratum_ratio is None
        else [list(p) for p in args.stratum_ratio],
        "strata": None if args.strata is None else [s.strip() for s in args.strata.split(",")],
        "scope.description": args.scope,
        "scope.districts": args.scope_district,
        "cross_district.minimum": args.cross_district_min,
        "cross_district.maximum": args.cross_district_max,
    }
    options = {key: _OPTIONS[key] for key, value in given.items() if value is not None}
    for key, value in given.items():
        if value is None:
            continue
        outer, _, inner = key.partition(".")
        if inner:
            part = data.get(outer)
            data[outer] = {**(part if isinstance(part, dict) else {}), inner: value}
        else:
            data[key] = value
    missing = [key for key in ("year", "line") if key not in data]
    if missing:
        errors: list[RandcheckError] = [
            ValidationError(
                f"缺少 / missing {key}: give --{key} or {key} = … in the TOML file",
                field=key,
                expected=f"the plan's {key}",
                got=None,
                location=Location(file=source),
            )
            for key in missing
        ]
        raise InputFileError(
            f"无法生成计划 / cannot write the plan: {len(errors)} error(s)",
            errors=errors,
            location=Location(file=source),
        )
    profile = get_profile(args.profile)
    written = data
    data, notes, problems = normalise_plan_data(data, profile, known_line=True)
    data.setdefault("code", f"{data['year']}-{data['line']}")
    try:
        plan = structure_plan(to_document(PLAN_KIND, data), problems, source, written=written)
    except InputFileError as exc:
        errors = [_by_key(error, source, options) for error in exc.errors]
        raise InputFileError(
            f"无法生成计划 / cannot write the plan: {len(errors)} error(s)",
            errors=errors,
            location=Location(file=source),
        ) from None
    return plan, notes


def _key_of(path: str, options: dict[str, str]) -> tuple[str, bool]:
    """The TOML key of a JSON path inside ``$.data`` (``cross_district.minimum``), or the
    option that gave it, and whether it was an option."""
    key = path.removeprefix("$.data").removeprefix(".")
    for part, option in options.items():
        if key == part or key.startswith((f"{part}.", f"{part}[")):
            return option, True
    return key, False


def _key_text(text: str, options: dict[str, str]) -> str:
    # The messages name their JSON path at the start or after " @ "; the file's reader
    # thinks in TOML keys and options instead.
    def replace(match: re.Match[str]) -> str:
        key, _ = _key_of(match[0], options)
        return key or "(top level)"

    return _DATA_PATH.sub(replace, text)


_DATA_PATH = re.compile(r"\$\.data(?:[.\[][^\s:;,@]*)?")


def _by_key(error: RandcheckError, source: str, options: dict[str, str]) -> RandcheckError:
    """``error`` (of the plan's JSON form) said by TOML key or option, at the file or at the
    command line."""
    if not isinstance(error, ValidationError):
        return error
    key, from_option = _key_of(str(error.field or "$.data"), options)
    return type(error)(
        _key_text(error.message, options),
        field=key or None,
        expected=error.expected,
        got=error.got,
        location=Location(file="<options>" if from_option else source),
    )


def run_new(args: argparse.Namespace) -> int:
    """``randcheck plan new``: write the plan; 0 when written."""
    if Path(args.out).exists() and not args.force:
        raise ValidationError(
            f"{args.out} 已存在 / {args.out} exists; pass --force to write over it",
            field="--out",
            expected="a new file",
            got=os.fspath(args.out),
        )
    plan, notes = plan_from(args)
    for note in notes:
        print(f"randcheck: note: 已规范 / written in canonical form: {note}", file=sys.stderr)
    save_json(args.out, PLAN_KIND, plan)
    # A plan may be written in steps; what Art. 8 and 9 still ask of it is said now, by the
    # audit's own rules, not only at the audit.
    profile = get_profile(args.profile)
    ledger = Ledger(year=plan.year, plans=[plan])
    for finding in (*check_plan_fields(ledger, profile), *check_plan_deadline(ledger, profile)):
        if finding.outcome in (Outcome.VIOLATION, Outcome.WARNING):
            level = "warning"
        elif finding.outcome is Outcome.UNKNOWN:
            level = "note"
        else:
            continue
        print(
            f"randcheck: {level}: {finding.rule} ({finding.article}): {finding.message}",
            file=sys.stderr,
        )
    ratio = "—" if plan.ratio is None else f"{plan.ratio.numerator}/{plan.ratio.denominator}"
    print(
        f"计划 / plan: {plan.code} ({plan.year}, {plan.line}); 比例 ratio {ratio}, "
        f"{len(plan.stratum_ratios)} stratum ratio(s); 轮次 rounds {plan.rounds or '—'}; "
        f"时间 windows {', '.join(f'{w.start}/{w.end}' for w in plan.windows) or '—'}"
    )
    print(f"已写入 / written: {args.out}")
    return 0
