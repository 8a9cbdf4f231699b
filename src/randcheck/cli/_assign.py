"""``randcheck assign``: dispatch inspection teams for a draw, or replace an inspector.

Dispatch::

    randcheck assign --draw draw.json --enterprises enterprises.csv \\
        --inspectors inspectors.csv --conflicts conflicts.csv --plan plan.json \\
        --seed "2027-04-01 福彩3D 123" --out dispatch.json [--public dispatch-public.json]

Replace (the old record is kept inside the new one)::

    randcheck assign --record dispatch.json --replace TJ-LS-120101-0001 --reason 病假 \\
        --on 2027-03-25 --inspectors inspectors.csv --conflicts conflicts.csv --out dispatch-2.json

A dispatch the public can re-run (algorithm version 2, docs/dispatch.md): first the pool
commitment, published before the dispatch seed (salted, with its opening in ``--salt-out``,
when the profile says ``[team] recusal_pairs = "salted"``)::

    randcheck assign --draw draw.json --plan plan.json --inspectors inspectors.csv \\
        --conflicts conflicts.csv --pool-out pool.json [--salt-out salt.json] [--published T]

then the dispatch from it, and replacements in it, with ``--pool`` (and ``--salt``)::

    randcheck assign --draw draw.json --plan plan.json --enterprises enterprises.csv \\
        --pool pool.json --seed "…" --seed-fixed T --out dispatch.json
    randcheck assign --record dispatch.json --pool pool.json --replace TJ-LS-120101-0001 \\
        --reason 病假 --on 2027-03-25 [--declared declared.csv] --out dispatch-2.json

``--profile`` takes a registered name or the path of a profile file (default ``cn-tj-hrss``);
the directories are read with its classes and lines. Exit codes: 0 ok; 2 bad input, or no
lawful dispatch (the reason names the blocking enterprises). :func:`verify_dispatch_file` is
what ``randcheck verify`` runs for a document of kind ``dispatch-record``.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import IO, Any, TypeVar

from randcheck.cli._options import add_directory_options, directory_options, timestamp
from randcheck.cli._output import (
    load_together,
    print_verification,
    require_text,
    save_record,
    warn_unrecorded,
)
from randcheck.cli._profile import PROFILE_DEFAULT, add_profile_option
from randcheck.dispatch import (
    DOCUMENT_KIND,
    POOL_KIND,
    SALT_KIND,
    DispatchRecord,
    PoolCommitment,
    PoolSalt,
    RecusalPair,
    commit_pool,
    dispatch,
    dispatch_from_pool,
    replace_from_pool,
    replace_member,
    salt_pool,
    summarize,
    verify,
)
from randcheck.domain import Conflict, Enterprise, Inspector, Plan
from randcheck.errors import InputFileError, Location, RandcheckError, ValidationError
from randcheck.io import (
    Extra,
    load_conflicts,
    load_enterprises,
    load_inspectors,
    load_json,
)
from randcheck.io.cells import _escape_formula
from randcheck.io.files import _atomic_write
from randcheck.io.plans import load_plan, require_draw_plan
from randcheck.privacy import mask_inspector_key
from randcheck.profiles import Profile, RecusalPairs, get_profile
from randcheck.rules import (
    RecusalIndex,
    UnresolvedConflictWarning,
    describe_unresolved,
    qualification_problem,
)
from randcheck.sampling import RECORD_KIND, DrawRecord

__all__ = [
    "PLAN_KIND",
    "PUBLIC_KIND",
    "add_verify_arguments",
    "excluded_rows",
    "inspection_date",
    "register",
    "run",
    "team_rows",
    "verify_dispatch_file",
]

PLAN_KIND = "plan"
"""The ``kind`` of a plan's JSON document read by ``--plan``."""

PUBLIC_KIND = "dispatch-record-public"
"""The ``kind`` of the publication view written by ``--public``."""

PathLike = str | os.PathLike[str]


T = TypeVar("T")


def _showing_unresolved(
    step: Callable[[], T], inspectors: Iterable[Inspector], conflicts: Iterable[Conflict]
) -> T:
    """Run ``step`` with the conflict rows that name no inspector shown as one warning line on
    stderr, instead of as a Python warning."""
    unresolved = RecusalIndex.build(inspectors, conflicts).unresolved
    if unresolved:
        print(f"randcheck: 警告 / warning: {describe_unresolved(unresolved)}", file=sys.stderr)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnresolvedConflictWarning)
        return step()


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def add_verify_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the inputs a dispatch record is verified against (``--draw``, ``--plan``, …)."""
    parser.add_argument("--draw", metavar="DRAW.json", help="the draw record (draw-record)")
    parser.add_argument("--enterprises", metavar="CSV", help="the target directory")
    parser.add_argument("--inspectors", metavar="CSV", help="the inspector directory")
    parser.add_argument(
        "--conflicts", metavar="CSV", help="declared conflicts of interest (default: none)"
    )
    parser.add_argument("--plan", metavar="PLAN.json", help=f"the plan ({PLAN_KIND} document)")
    add_profile_option(
        parser,
        None,
        otherwise=f"default: the draw record's (with --replace: {PROFILE_DEFAULT})",
    )
    add_directory_options(parser)


def register(subparsers: Any) -> None:
    """Add the ``assign`` subcommand."""
    parser = subparsers.add_parser(
        "assign",
        help="dispatch inspection teams for a draw at random, with recusal (or replace one)",
        description=(
            "随机选派执法检查人员 / dispatch inspection teams for a draw: random, lawful "
            "(recusal, team size, cross-district share, load cap) and verifiable. With "
            "--record and --replace, an inspector steps aside and a substitute is drawn."
        ),
    )
    add_verify_arguments(parser)
    parser.add_argument("--seed", help="the public seed of the dispatch")
    parser.add_argument("--seed-source", default="", help="where the seed came from")
    parser.add_argument(
        "--date",
        type=_day,
        metavar="YYYY-MM-DD",
        help="inspection date (default: start of the plan's window for the draw's round)",
    )
    parser.add_argument(
        "--out", metavar="OUT.json", help="record to write (required but with --pool-out)"
    )
    parser.add_argument(
        "--public", metavar="PUBLIC.json", help="also write the publication view (R-PUBLIC)"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace --out, --public, --pool-out or --salt-out even if they hold other "
        "content (never a dispatch of the same draw under another seed)",
    )
    parser.add_argument(
        "--teams-out",
        metavar="TEAMS.csv",
        help="also write the team table (enterprise, members by name and certificate number)",
    )
    parser.add_argument(
        "--excluded-out",
        metavar="EXCLUDED.csv",
        help="also write the inspectors left out of the draw, and every recusal, with why",
    )
    parser.add_argument("--record", metavar="DISPATCH.json", help="replace in this record")
    parser.add_argument("--replace", metavar="KEY", help="the inspector who steps aside")
    parser.add_argument("--reason", help="why (mandatory with --replace)")
    parser.add_argument("--on", type=_day, metavar="YYYY-MM-DD", help="date of the replacement")
    parser.add_argument(
        "--enterprise",
        metavar="USCC",
        help="leave this team only (default: every team of the round)",
    )
    parser.add_argument("--declared", metavar="CSV", help="conflicts declared since the dispatch")
    parser.add_argument(
        "--pool-out",
        metavar="POOL.json",
        help="write the pool commitment (version 2) of --draw, --plan, --inspectors and "
        "--conflicts, to publish before the dispatch seed; no dispatch",
    )
    parser.add_argument(
        "--salt-out",
        metavar="SALT.json",
        help="with --pool-out and salted recusal pairs: write the opening (not published)",
    )
    parser.add_argument(
        "--published", type=timestamp, metavar="TIME", help="with --pool-out: when it is published"
    )
    parser.add_argument(
        "--pool", metavar="POOL.json", help="dispatch (or replace) from this pool commitment"
    )
    parser.add_argument(
        "--salt", metavar="SALT.json", help="with --pool: the opening of its salted pairs"
    )
    parser.add_argument(
        "--seed-fixed", type=timestamp, metavar="TIME", help="with --pool: when the seed was fixed"
    )
    parser.set_defaults(handler=run)


def _require(args: argparse.Namespace, *names: str) -> None:
    missing = [f"--{name.replace('_', '-')}" for name in names if getattr(args, name) is None]
    if missing:
        raise ValidationError(
            f"缺少参数 / missing option(s): {', '.join(missing)}",
            field=missing[0],
            expected="a value",
            got=None,
        )


def _conflicts(
    path: PathLike | None,
    options: Mapping[str, Any],
    profile: Profile,
    inspectors: Iterable[Inspector] | None = None,
) -> list[Conflict]:
    """The conflict rows of ``path``; a row that names no inspector of ``inspectors``, however
    its identifier is spelled (R-RECUSAL: the same normalisation as the directory's), is an
    input error listed with its CSV line (the header is line 1). Without ``inspectors`` the
    rows are not checked against a directory.

    Raises:
        InputFileError: every row that names nobody.
    """
    if path is None:
        return []
    rows = load_conflicts(path, profile=profile, **options)
    if inspectors is None:
        return rows
    return _named(path, rows, inspectors)


def _named(
    path: PathLike | None, rows: list[Conflict], inspectors: Iterable[Inspector]
) -> list[Conflict]:
    """``rows`` of the conflicts file ``path``, each naming an inspector of ``inspectors``.

    Raises:
        InputFileError: every row that names nobody (:func:`_conflicts`).
    """
    if path is None or not rows:
        return rows
    unresolved = {id(row) for row in RecusalIndex.build(inspectors, rows).unresolved}
    errors: list[RandcheckError] = [
        ValidationError(
            f"{describe_unresolved([row])} @ line {k + 2}",
            field="inspector",
            expected="a certificate or resident identity number of the inspector directory",
            got=mask_inspector_key(row.inspector),
            location=Location(file=str(path), line=k + 2, column="inspector"),
        )
        for k, row in enumerate(rows)
        if id(row) in unresolved
    ]
    if errors:
        raise InputFileError(
            f"利害关系申报中有 {len(errors)} 行未对应任何执法检查人员 / {len(errors)} conflict "
            f"row(s) in {path} name no inspector of the directory",
            errors=errors,
            location=Location(file=str(path)),
        )
    return rows


def inspection_date(plan: Plan, draw: object) -> date:
    """The default inspection date: the start of the plan's window for the draw's round.

    The draw's round (``round``, 1-based) picks the window; a draw without one uses the
    first window.

    Raises:
        ValidationError: the plan has no window for that round.
    """
    round_number = getattr(draw, "round", 1)
    if isinstance(round_number, int) and 1 <= round_number <= len(plan.windows):
        return plan.windows[round_number - 1].start
    raise ValidationError(
        f"计划没有第 {round_number} 轮的实施时间，请用 --date 指定检查日期 / the plan has no "
        f"window for round {round_number}; give the inspection date with --date",
        field="date",
        expected="a plan window for the round, or --date",
        got=round_number,
    )


def _draw_plan(path: PathLike, profile: Profile, draw: DrawRecord) -> Plan:
    """The plan at ``path``, which must be the one ``draw`` was made under.

    Raises:
        InputFileError: no valid plan at ``path``.
        ValidationError: another plan (both codes named) or other sampling parameters (the
            first that differs named) than the draw record's.
    """
    plan = load_plan(path, profile=profile)
    require_draw_plan(plan, draw)
    return plan


def run(args: argparse.Namespace) -> int:
    """Dispatch (or replace) and write the record; returns the exit code."""
    if args.pool_out is not None:
        return _run_pool_out(args)
    _require(args, "out")
    if args.pool is not None:
        if args.replace is not None or args.record is not None:
            return _run_replace_from_pool(args)
        return _run_from_pool(args)
    if args.replace is not None or args.record is not None:
        return _run_replace(args)
    _require(args, "draw", "enterprises", "inspectors", "plan", "seed")
    require_text(args, "seed")
    # A profile given is resolved first: a bad one is reported before any other input.
    given = get_profile(args.profile) if args.profile else None
    draw = load_json(args.draw, RECORD_KIND, DrawRecord)
    profile = given if given is not None else get_profile(draw.profile)
    plan = _draw_plan(args.plan, profile, draw)
    # Every file read even after one fails, so that all their errors are shown at once.
    enterprises, inspectors, rows = load_together(
        lambda: load_enterprises(
            args.enterprises, profile=profile, **directory_options(args, "enterprises")
        ),
        lambda: load_inspectors(
            args.inspectors, profile=profile, **directory_options(args, "inspectors")
        ),
        lambda: _conflicts(args.conflicts, directory_options(args, "conflicts"), profile),
    )
    conflicts = _named(args.conflicts, rows, inspectors)
    on = args.date if args.date is not None else inspection_date(plan, draw)
    _refuse_redispatch(args.out, draw, args.seed)
    record = _showing_unresolved(
        lambda: dispatch(
            draw,
            enterprises,
            inspectors,
            conflicts,
            plan,
            profile,
            seed=args.seed,
            on=on,
            seed_source=args.seed_source,
        ),
        inspectors,
        conflicts,
    )
    _write(record, args.out, args.public, inspectors, force=args.force)
    _print_summary(record, inspectors)
    _report_teams(record, inspectors, enterprises, args, profile)
    print(f"记录 / record: {args.out} ({record.digest()})")
    return 0


def _salt_of(args: argparse.Namespace) -> PoolSalt | None:
    return None if args.salt is None else load_json(args.salt, SALT_KIND, PoolSalt)


def _run_pool_out(args: argparse.Namespace) -> int:
    _require(args, "draw", "inspectors", "plan")
    given = get_profile(args.profile) if args.profile else None
    draw = load_json(args.draw, RECORD_KIND, DrawRecord)
    profile = given if given is not None else get_profile(draw.profile)
    salted = profile.team.recusal_pairs is RecusalPairs.SALTED
    if salted and args.salt_out is None:
        raise ValidationError(
            f"政策配置 {profile.name} 要求回避对加盐，请用 --salt-out 指定盐值文件 / profile "
            f"{profile.name} salts the recusal pairs: give --salt-out for their opening",
            field="--salt-out",
            expected="a file for the salt",
            got=None,
        )
    plan = _draw_plan(args.plan, profile, draw)
    inspectors, rows = load_together(
        lambda: load_inspectors(
            args.inspectors, profile=profile, **directory_options(args, "inspectors")
        ),
        lambda: _conflicts(args.conflicts, directory_options(args, "conflicts"), profile),
    )
    conflicts = _named(args.conflicts, rows, inspectors)
    on = args.date if args.date is not None else inspection_date(plan, draw)
    if args.conflicts is None:
        warn_unrecorded(
            "--conflicts", "执法人员库承诺不含回避对 / the pool commitment holds no recusal pair"
        )
    if args.published is None:
        warn_unrecorded(
            "--published",
            "执法人员库承诺未记录公布时间 / the pool commitment records no publication time",
        )
    pool = commit_pool(draw, inspectors, conflicts, plan, on=on, published=args.published)
    if salted:
        pool, salt = salt_pool(pool)
        save_record(args.salt_out, SALT_KIND, salt, force=args.force)
    save_record(args.pool_out, POOL_KIND, pool, force=args.force)
    left_out = unqualified_rows(inspectors, plan.line, on, profile)
    if left_out:
        print(f"未入库 / left out of the pool: {len(left_out)}")
        _print_first(left_out, args, lambda row: f"    {row[0] or '?'} [{row[1]}] — {row[2]}")
    if args.excluded_out is not None:
        _write_csv(args.excluded_out, _EXCLUDED_HEADER, left_out)
        print(f"未入库名单 / left out: {args.excluded_out}")
    print(
        f"执法人员库承诺 / pool commitment: {args.pool_out} ({pool.digest()}); "
        f"{len(pool.inspectors)} inspectors, "
        + (
            f"{len(pool.salted)} salted recusal pairs (salt: {args.salt_out})"
            if salted
            else f"{len(pool.recusals)} recusal pairs"
        )
    )
    return 0


def _run_from_pool(args: argparse.Namespace) -> int:
    _require(args, "draw", "enterprises", "plan", "seed")
    require_text(args, "seed")
    given = get_profile(args.profile) if args.profile else None
    draw = load_json(args.draw, RECORD_KIND, DrawRecord)
    profile = given if given is not None else get_profile(draw.profile)
    plan = _draw_plan(args.plan, profile, draw)
    enterprises = load_enterprises(
        args.enterprises, profile=profile, **directory_options(args, "enterprises")
    )
    pool = load_json(args.pool, POOL_KIND, PoolCommitment)
    _refuse_redispatch(args.out, draw, args.seed)
    record = dispatch_from_pool(
        draw,
        enterprises,
        pool,
        plan,
        profile,
        seed=args.seed,
        seed_source=args.seed_source,
        seed_fixed=args.seed_fixed,
        salt=_salt_of(args),
    )
    # The directory is optional here: it only gives the members' names to the bureau's table.
    # Read before anything is written, so that a file that does not load leaves none behind.
    staff = (
        load_inspectors(args.inspectors, profile=profile, **directory_options(args, "inspectors"))
        if args.inspectors is not None
        else pool.round_inspectors()
    )
    save_record(args.out, DOCUMENT_KIND, record, force=args.force)
    if args.public is not None:
        save_record(args.public, PUBLIC_KIND, record.publication_view(), force=args.force)
    _print_summary(record, pool.round_inspectors())
    _report_teams(record, staff, enterprises, args, profile)
    print(f"记录 / record: {args.out} ({record.digest()})")
    return 0


def _run_replace_from_pool(args: argparse.Namespace) -> int:
    _require(args, "record", "replace", "reason", "on")
    profile = get_profile(args.profile or PROFILE_DEFAULT)
    record = load_json(args.record, DOCUMENT_KIND, DispatchRecord)
    pool = load_json(args.pool, POOL_KIND, PoolCommitment)
    rows = _conflicts(args.declared, directory_options(args, "conflicts"), profile)
    certificates = {i.certificate for i in pool.inspectors}
    unknown = [row.inspector for row in rows if row.inspector not in certificates]
    if unknown:
        raise ValidationError(
            f"新申报的利害关系须以执法人员库中的执法证号指明人员 / a conflict declared since a "
            f"version-2 dispatch names the inspector by a certificate number of the pool: "
            f"{', '.join(mask_inspector_key(key) for key in unknown)}",
            field="--declared",
            expected="certificate numbers of the pool commitment",
            got=mask_inspector_key(unknown[0]),
        )
    new = replace_from_pool(
        record,
        pool,
        args.replace,
        args.reason,
        on=args.on,
        declared=[RecusalPair(certificate=r.inspector, enterprise=r.enterprise) for r in rows],
        enterprise=args.enterprise,
        salt=_salt_of(args),
    )
    save_record(args.out, DOCUMENT_KIND, new, force=args.force)
    if args.public is not None:
        save_record(args.public, PUBLIC_KIND, new.publication_view(), force=args.force)
    for entry in new.replacements[len(record.replacements) :]:
        print(
            f"替换 / replaced: {entry.enterprise}: {entry.outgoing} → {entry.incoming} "
            f"({entry.reason})"
        )
    print(f"记录 / record: {args.out} ({new.digest()})")
    return 0


def _run_replace(args: argparse.Namespace) -> int:
    _require(args, "record", "replace", "reason", "on", "inspectors")
    profile = get_profile(args.profile or PROFILE_DEFAULT)
    record = load_json(args.record, DOCUMENT_KIND, DispatchRecord)
    inspectors, rows, declared_rows = load_together(
        lambda: load_inspectors(
            args.inspectors, profile=profile, **directory_options(args, "inspectors")
        ),
        lambda: _conflicts(args.conflicts, directory_options(args, "conflicts"), profile),
        lambda: _conflicts(args.declared, directory_options(args, "conflicts"), profile),
    )
    conflicts, declared = load_together(
        lambda: _named(args.conflicts, rows, inspectors),
        lambda: _named(args.declared, declared_rows, inspectors),
    )
    new = _showing_unresolved(
        lambda: replace_member(
            record,
            args.replace,
            args.reason,
            on=args.on,
            inspectors=inspectors,
            conflicts=conflicts,
            declared=declared,
            enterprise=args.enterprise,
        ),
        inspectors,
        [*conflicts, *(row for r in record.replacements for row in r.declared), *declared],
    )
    _write(new, args.out, args.public, inspectors, force=args.force)
    for entry in new.replacements[len(record.replacements) :]:
        print(
            f"替换 / replaced: {entry.enterprise}: {entry.outgoing} → {entry.incoming} "
            f"({entry.reason})"
        )
    _report_teams(new, inspectors, (), args, profile)
    print(f"记录 / record: {args.out} ({new.digest()})")
    return 0


def _write(
    record: DispatchRecord,
    out: PathLike,
    public: PathLike | None,
    inspectors: Iterable[Inspector],
    *,
    force: bool,
) -> None:
    save_record(out, DOCUMENT_KIND, record, force=force)
    if public is not None:
        save_record(public, PUBLIC_KIND, record.publication_view(inspectors), force=force)


def _refuse_redispatch(out: PathLike, draw: DrawRecord, seed: str) -> None:
    """Refuse, even with ``--force``, to write over a dispatch of the same draw made under
    another seed: choosing among dispatches by their teams is what the public seed rules out
    (as ``randcheck draw`` refuses a second draw under one commitment)."""
    try:
        existing = load_json(out, DOCUMENT_KIND, DispatchRecord)
    except (InputFileError, OSError):
        return
    if existing.draw_digest == draw.digest() and existing.seed != seed:
        raise ValidationError(
            f"{os.fspath(out)} 已有该抽取结果在另一种子下的选派 / {os.fspath(out)} holds a "
            f"dispatch of the same draw under another seed ({existing.seed!r}): a second "
            "dispatch of one draw is refused, --force or not",
            field="--seed",
            expected=repr(existing.seed),
            got=seed,
        )


def _print_summary(record: DispatchRecord, inspectors: Iterable[Inspector]) -> None:
    for line in summarize(record, inspectors).lines():
        print(line)


def verify_dispatch_file(
    path: PathLike,
    *,
    draw: PathLike,
    enterprises: PathLike,
    inspectors: PathLike,
    plan: PathLike,
    conflicts: PathLike | None = None,
    profile: str | Profile | None = None,
    published_digest: str | None = None,
    encoding: str = "utf-8-sig",
    extra: Extra = "error",
    options: Callable[[str], Mapping[str, Any]] | None = None,
) -> int:
    """Verify the dispatch record at ``path`` by re-running it; print the outcome.

    Prints as :func:`~randcheck.cli._output.print_verification` does for every record: ``ok``
    with the record's digest, or one line per difference. Returns 0 when the record is exactly
    what the inputs give, 1 otherwise. ``options(kind)`` gives the loading options of each
    directory (``encoding``, ``extra``, ``columns``, ``sheet``; by default ``encoding`` and
    ``extra`` for all three). Unreadable inputs raise
    :class:`~randcheck.errors.RandcheckError` (the command turns it into exit code 2).
    """
    record = load_json(path, DOCUMENT_KIND, DispatchRecord)
    the_draw = load_json(draw, RECORD_KIND, DrawRecord)
    if profile is None:
        profile = the_draw.profile
    the_profile = get_profile(profile) if isinstance(profile, str) else profile
    the_plan = _draw_plan(plan, the_profile, the_draw)
    if options is None:
        options = lambda kind: {"encoding": encoding, "extra": extra}  # noqa: E731
    directory, staff, rows = load_together(
        lambda: load_enterprises(enterprises, profile=the_profile, **options("enterprises")),
        lambda: load_inspectors(inspectors, profile=the_profile, **options("inspectors")),
        lambda: _conflicts(conflicts, options("conflicts"), the_profile),
    )
    result = verify(
        record,
        the_draw,
        directory,
        staff,
        _named(conflicts, rows, staff),
        the_plan,
        the_profile,
        published_digest=published_digest,
    )
    return print_verification(path, result)


# --- the team table and who was left out ---------------------------------------------------

_TEAM_HEADER = (
    "序号",
    "统一社会信用代码",
    "企业名称",
    "所属区",
    "检查组成员",
    "执法证号",
    "所属区（成员）",
)
_EXCLUDED_HEADER = ("姓名", "执法证号", "原因 / reason", "企业 / enterprise")
_SHOWN = 10  # inspectors printed per reason; the CSV file lists every one


def team_rows(
    record: DispatchRecord, inspectors: Iterable[Inspector], enterprises: Iterable[Enterprise]
) -> list[tuple[str, ...]]:
    """The team table: one row per current team, in the record's order — its number, the
    enterprise's USCC, name and district, and the members' names, certificate numbers and
    districts, each joined with 、. No identity number or phone number appears (a member
    holds a certificate, R-TEAM, so the key shown is the certificate number)."""
    staff = _by_key_and_certificate(inspectors)
    names = {e.uscc: e.name for e in enterprises}
    rows: list[tuple[str, ...]] = []
    for number, team in enumerate(record.current_teams(), start=1):
        members = [staff.get(key) for key in team.members]
        rows.append(
            (
                str(number),
                team.enterprise,
                names.get(team.enterprise, ""),
                team.district,
                # A pool-based record names its members by certificate; without the directory
                # there is no name to show, and the certificate stands for it.
                "、".join(m.name if m else "?" for m in members),
                "、".join(
                    (m.certificate_no or "") if m else mask_inspector_key(k)
                    for m, k in zip(members, team.members, strict=True)
                ),
                "、".join(m.district if m else "" for m in members),
            )
        )
    return rows


def excluded_rows(
    record: DispatchRecord, inspectors: Iterable[Inspector], profile: Profile | None = None
) -> list[tuple[str, str, str, str]]:
    """Who was left out and why: each inspector of the directory not qualified for the round
    (:func:`randcheck.rules.qualification_problem`: not authorised for the line, no
    certificate, certificate not valid on the inspection date, incomplete record), then each
    recusal of a qualified inspector from one enterprise (R-RECUSAL, as the record holds it).
    Rows are ``(name, certificate number, reason, enterprise)`` — for an entry without a
    certificate, its identity number masked; the enterprise is blank for an inspector left
    out of the whole round. A recusal with no grounds recorded (a pool's recusal pair, whose
    grounds the pool commitment does not publish) is said to be one; ``profile`` names the
    line in Chinese."""
    staff = _by_key_and_certificate(inspectors)
    rows = unqualified_rows(inspectors, record.line, record.inspection_date, profile)
    recusals = [*record.recusals, *(r for entry in record.replacements for r in entry.recusals)]
    for recusal in recusals:
        person = staff.get(recusal.inspector)
        grounds = ", ".join(ground.value for ground in recusal.grounds) or "回避对 / recusal pair"
        rows.append(
            (
                person.name if person else "",
                (person.certificate_no or "") if person else mask_inspector_key(recusal.inspector),
                f"回避 / recused ({grounds})",
                recusal.enterprise,
            )
        )
    return rows


def unqualified_rows(
    inspectors: Iterable[Inspector], line: str, on: date, profile: Profile | None = None
) -> list[tuple[str, str, str, str]]:
    """Each inspector of the directory not qualified for a round of ``line`` on ``on``
    (:func:`randcheck.rules.qualification_problem`), as ``(name, certificate number or masked
    identity number, reason, "")``, in the directory's order; the reason names the line by
    ``profile``'s Chinese name in its Chinese half."""
    line_name = profile.line_name(line).zh if profile is not None else None
    rows: list[tuple[str, str, str, str]] = []
    for inspector in inspectors:
        problem = qualification_problem(inspector, line, on, line_name=line_name)
        if problem is not None:
            shown = inspector.certificate_no or mask_inspector_key(inspector.key)
            rows.append((inspector.name, shown, problem, ""))
    return rows


def _by_key_and_certificate(inspectors: Iterable[Inspector]) -> dict[str, Inspector]:
    # Version-1 records name members by directory key, pool-based ones by certificate number.
    staff: dict[str, Inspector] = {}
    for inspector in inspectors:
        staff[inspector.key] = inspector
        if inspector.certificate_no:
            staff.setdefault(inspector.certificate_no, inspector)
    return staff


def _report_teams(
    record: DispatchRecord,
    inspectors: Iterable[Inspector],
    enterprises: Iterable[Enterprise],
    args: argparse.Namespace,
    profile: Profile | None = None,
) -> None:
    staff = list(inspectors)
    teams = team_rows(record, staff, enterprises)
    excluded = excluded_rows(record, staff, profile)
    print("检查组 / teams:")
    for row in teams:
        name = f" {row[2]}" if row[2] else ""
        print(f"  {row[0]}. {row[1]}{name} ({row[3]}): {row[4]} [{row[5]}]")
    by_reason: dict[str, list[tuple[str, str, str, str]]] = {}
    for row in excluded:
        reason = row[2] if not row[3] else "回避 / recused"
        by_reason.setdefault(_reason_kind(reason), []).append(row)
    if excluded:
        print(f"未选派或回避 / left out of the draw or recused: {len(excluded)}")
    for reason, rows in by_reason.items():
        print(f"  {reason}: {len(rows)}")

        def line(row: tuple[str, str, str, str], reason: str = reason) -> str:
            name, certificate, why, enterprise = row
            where = f" ← {enterprise}" if enterprise else ""
            detail = f" — {why}" if why != reason else ""
            return f"    {name or '?'} [{certificate}]{where}{detail}"

        _print_first(rows, args, line)
    if args.teams_out is not None:
        _write_csv(args.teams_out, _TEAM_HEADER, teams)
        print(f"检查组表 / team table: {args.teams_out}")
    if args.excluded_out is not None:
        _write_csv(args.excluded_out, _EXCLUDED_HEADER, excluded)
        print(f"未选派名单 / left out: {args.excluded_out}")


def _print_first(
    rows: Sequence[tuple[str, str, str, str]],
    args: argparse.Namespace,
    line: Callable[[tuple[str, str, str, str]], str],
) -> None:
    # The terminal shows the first few; the --excluded-out file lists every one.
    for row in rows[:_SHOWN]:
        print(line(row))
    if len(rows) > _SHOWN:
        more = " (--excluded-out lists every one)" if args.excluded_out is None else ""
        print(f"    … {len(rows) - _SHOWN} more{more}")


def _reason_kind(reason: str) -> str:
    # One group per reason; an incomplete record names its missing fields, shown per person.
    if reason.startswith("名录信息不全"):
        return "名录信息不全 / incomplete Art. 7 record"
    return reason


def _write_csv(path: PathLike, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    # UTF-8 with a byte-order mark, so that Excel in a Chinese locale opens it; cells a
    # spreadsheet would run as formulas are written as text (as the directory writers do).
    def write(stream: IO[str]) -> None:
        out = csv.writer(stream, lineterminator="\r\n")
        out.writerow(header)
        for row in rows:
            out.writerow([_escape_formula(cell) for cell in row])

    _atomic_write(path, write, "utf-8-sig")
