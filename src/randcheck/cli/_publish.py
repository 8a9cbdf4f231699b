"""``randcheck publish …``: the publications of the "one public" (一公开), as files to post.

Subcommands, each writing CSV, ``.xlsx`` and HTML (``--format`` to choose) to ``--out``:

- ``check-items LEDGER|CHECK-ITEMS.json`` — the check-item list (Art. 5);
- ``plan PLAN.json`` (or ``LEDGER --code CODE``) — the annual plan (Art. 8, 9);
- ``draw DRAW.json --plan PLAN.json --enterprises CSV|XLSX [--commitment …] [--history …]``
  — the draw announcement with the ``randcheck verify`` command that re-checks it, naming the
  files as given here with the options that read them (run it from the directory the files
  are published in); a record under another commitment than ``--commitment``, with its seed
  fixed before the commitment was published, or that the files do not re-run to is refused;
- ``dispatch DISPATCH.json --inspectors CSV|XLSX [--enterprises CSV|XLSX]`` — the teams;
- ``results LEDGER [--batch ID]… [--holidays china | --calendar CALENDAR.json]`` — the
  results publicity (Art. 14);
- ``feedback LEDGER --inspection ID [--mode written|in-person]`` — the feedback letter.

``--lang en`` writes English texts; ``--templates DIR`` takes texts from a bureau's own
templates first (``docs/publications.md``). Every file is checked for personal data before it
is written. Exit codes: 0 written; 2 bad input (a missing or wrong record, personal data in
what would be published, a broken template).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

from randcheck.calendars import WorkingDayCalendar, chinese_holiday_calendar, load_calendar
from randcheck.cli._draw import load_history
from randcheck.cli._options import add_directory_options, directory_options
from randcheck.cli._output import deliver, warn_if_calendar_lacks
from randcheck.cli._profile import PROFILE_DEFAULT, add_profile_option
from randcheck.dispatch import (
    DOCUMENT_KIND,
    POOL_KIND,
    DispatchRecord,
    PoolCommitment,
    verify_from_pool,
)
from randcheck.domain import CheckItemList, Enterprise
from randcheck.errors import InputFileError, ValidationError
from randcheck.io import load_enterprises, load_inspectors, load_json, save_enterprises_csv
from randcheck.io.csv_read import _is_xlsx
from randcheck.io.csv_write import write_enterprises_csv
from randcheck.io.json_documents import refuse_empty_json
from randcheck.io.plans import load_plan
from randcheck.ledger import Ledger, load_ledger
from randcheck.profiles import Profile, get_profile
from randcheck.publication import (
    FORMATS,
    Document,
    MissingRecord,
    Settings,
    Templates,
    annual_plan,
    check_item_list,
    check_publishable,
    dispatch_announcement,
    draw_announcement,
    feedback_letter,
    results_publicity,
    verify_command,
    write_document,
)
from randcheck.publication._formats import _openpyxl
from randcheck.sampling import COMMITMENT_KIND, RECORD_KIND, Commitment, DrawRecord, verify
from randcheck.text import Text
from randcheck.verification import Verification

__all__ = ["CHECK_ITEMS_KIND", "add_output_options", "register", "run", "settings_of", "write"]

CHECK_ITEMS_KIND: Final = "check-item-lists"
"""The kind of a JSON document holding check-item lists (as ``randcheck demo`` writes)."""

_PLAN_KIND: Final = "plan"


def _add_public_enterprises(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--public-enterprises",
        metavar="FILE.csv",
        help="write the directory as the draw reads it (UTF-8 CSV, only the columns it uses: no "
        "legal representative, address or other column of the bureau's file) and name it in "
        "the re-check command",
    )


def add_output_options(parser: argparse.ArgumentParser, default_name: str) -> None:
    """The options every publication shares: where, which formats, language, templates."""
    parser.add_argument(
        "--out",
        metavar="PATH",
        default=None,
        help=f"where to write: a directory (files named {default_name}.csv, "
        f"{default_name}.xlsx and {default_name}.html, as --format asks) or a path without "
        f"extension (default ./{default_name})",
    )
    parser.add_argument(
        "--format",
        action="append",
        choices=FORMATS,
        default=None,
        help="csv, xlsx or html; repeat for several (default: all three)",
    )
    parser.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="language of the texts (default zh)"
    )
    parser.add_argument(
        "--templates",
        metavar="DIR",
        default=None,
        help="a directory of .j2 templates used before the profile's (docs/publications.md)",
    )
    parser.add_argument(
        "--authority",
        metavar="TEXT",
        default="",
        help="the issuing authority's name (default: the profile's template authority.*.j2)",
    )
    add_profile_option(parser, PROFILE_DEFAULT)


def _holidays(parser: argparse.ArgumentParser) -> None:
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--holidays",
        choices=("china",),
        default=None,
        help="holiday data for counting publicity (optional chinesecalendar package); "
        "without it or --calendar, dates a holiday could move are 'unknown'",
    )
    which.add_argument(
        "--calendar",
        metavar="CALENDAR.json",
        default=None,
        help="a working-day calendar file: the years it covers, their rest days and the "
        "weekend days worked (kind working-day-calendar, docs/audit.md)",
    )


def register(subparsers: Any) -> None:
    """Add the ``publish`` subcommand and its publications."""
    parser = subparsers.add_parser(
        "publish",
        help="write a publication (item list, plan, draw, dispatch, results, feedback letter)",
        description=(
            "公开：写出可发布的清单、计划、抽取结果公告、选派公告、检查结果公示和检查结果告知书 / "
            "write the publications as CSV, .xlsx and HTML, each checked for personal data. "
            "Exit 0: written; 2: bad input."
        ),
    )
    kinds = parser.add_subparsers(dest="publication", metavar="PUBLICATION", required=True)

    p = kinds.add_parser("check-items", help="the check-item list (抽查事项清单, Art. 5)")
    p.add_argument("source", metavar="LEDGER|CHECK-ITEMS.json", help="a ledger or item lists")
    add_output_options(p, "check-items")
    p.set_defaults(handler=run, build=_check_items, name="check-items")

    p = kinds.add_parser("plan", help="the annual plan (随机抽查计划, Art. 8, 9)")
    p.add_argument("source", metavar="PLAN.json|LEDGER", help="a plan, or a ledger with --code")
    p.add_argument("--code", help="with a ledger: the plan's code")
    p.add_argument("--check-items", metavar="FILE", help="item lists, for the items' content")
    add_output_options(p, "plan")
    p.set_defaults(handler=run, build=_plan, name="plan")

    p = kinds.add_parser("draw", help="the draw announcement (抽取结果公告)")
    p.add_argument("record", metavar="DRAW.json", help="the draw record")
    p.add_argument("--plan", required=True, metavar="PLAN.json", help="the plan (its items)")
    p.add_argument("--enterprises", required=True, metavar="CSV|XLSX", help="the target directory")
    add_directory_options(p)
    p.add_argument("--commitment", metavar="COMMITMENT.json", help="the published commitment")
    p.add_argument("--history", metavar="FILE", help="random checks so far this year")
    _add_public_enterprises(p)
    add_output_options(p, "draw")
    p.set_defaults(handler=run, build=_draw, name="draw")

    p = kinds.add_parser("dispatch", help="the dispatch announcement (随机选派公告)")
    p.add_argument("record", metavar="DISPATCH.json", help="the dispatch record")
    p.add_argument(
        "--inspectors", required=True, metavar="CSV|XLSX", help="the inspector directory"
    )
    p.add_argument("--enterprises", metavar="CSV|XLSX", help="the target directory (for names)")
    _add_public_enterprises(p)
    p.add_argument(
        "--pool",
        metavar="POOL.json",
        help="the published pool commitment: its digest and publication time are announced",
    )
    p.add_argument("--draw", metavar="DRAW.json", help="the draw record (for the re-check command)")
    p.add_argument("--plan", metavar="PLAN.json", help="the plan (for the re-check command)")
    add_directory_options(p)
    add_output_options(p, "dispatch")
    p.set_defaults(handler=run, build=_dispatch, name="dispatch")

    p = kinds.add_parser("results", help="the results publicity (检查结果公示, Art. 14)")
    p.add_argument("ledger", metavar="LEDGER", help="the ledger")
    p.add_argument("--batch", action="append", metavar="ID", help="a publicity batch (repeat)")
    _holidays(p)
    add_output_options(p, "results")
    p.set_defaults(handler=run, build=_results, name="results")

    p = kinds.add_parser("feedback", help="the feedback letter (检查结果告知书)")
    p.add_argument("ledger", metavar="LEDGER", help="the ledger")
    p.add_argument("--inspection", required=True, metavar="ID", help="the inspection")
    p.add_argument("--mode", choices=("written", "in-person"), help="default: as recorded")
    add_output_options(p, "feedback")
    p.set_defaults(handler=run, build=_feedback, name="feedback")


# --- inputs ---------------------------------------------------------------------------------


def kind_of(path: str) -> str:
    """The ``kind`` of the JSON document (or JSON Lines file) at ``path``.

    Raises:
        InputFileError: the file cannot be read or is not such a document.
    """
    try:
        with open(path, encoding="utf-8-sig") as stream:
            text = stream.readline() if path.endswith(".jsonl") else stream.read()
            if not path.endswith(".jsonl") or not stream.read(1):
                refuse_empty_json(text, path)
        kind = json.loads(text).get("kind")
    except InputFileError:
        raise
    except (OSError, UnicodeDecodeError, ValueError, AttributeError) as exc:
        raise InputFileError(
            f"{path}: 不是 randcheck 的 JSON 文件 / not a randcheck JSON document ({exc})",
            field="kind",
            expected="a randcheck JSON document",
            got=path,
        ) from None
    if not isinstance(kind, str):
        raise InputFileError(
            f"{path}: 缺少 kind / the document names no kind",
            field="kind",
            expected="a randcheck JSON document",
            got=path,
        )
    return kind


def _ledger(path: str) -> Ledger:
    return load_ledger(path)


def _check_items(args: argparse.Namespace, settings: Settings) -> Document:
    if kind_of(args.source) == CHECK_ITEMS_KIND:
        lists = load_json(args.source, CHECK_ITEMS_KIND, list[CheckItemList])
    else:
        lists = list(_ledger(args.source).check_item_lists)
    return check_item_list(lists, settings)


def _plan(args: argparse.Namespace, settings: Settings) -> Document:
    lists: list[CheckItemList] = []
    if kind_of(args.source) == _PLAN_KIND:
        plan = load_plan(args.source, profile=settings.profile)
    else:
        ledger = _ledger(args.source)
        lists = list(ledger.check_item_lists)
        codes = [p.code for p in ledger.plans]
        if args.code not in codes:
            raise MissingRecord(
                Text(
                    zh=f"台账中没有计划 {args.code}；已有：{'、'.join(codes) or '无'}",
                    en=f"the ledger has no plan {args.code}; it has: {', '.join(codes) or 'none'}",
                ),
                field="--code",
                expected="one of " + ", ".join(codes),
                got=args.code,
            )
        plan = next(p for p in ledger.plans if p.code == args.code)
    if args.check_items:
        if kind_of(args.check_items) == CHECK_ITEMS_KIND:
            lists = load_json(args.check_items, CHECK_ITEMS_KIND, list[CheckItemList])
        else:
            lists = list(_ledger(args.check_items).check_item_lists)
    return annual_plan(plan, settings, lists)


def _draw(args: argparse.Namespace, settings: Settings) -> Document:
    record = load_json(args.record, RECORD_KIND, DrawRecord)
    commitment = (
        load_json(args.commitment, COMMITMENT_KIND, Commitment)
        if args.commitment is not None
        else None
    )
    check_publishable(record, commitment)
    plan = load_plan(args.plan, profile=settings.profile)
    options = directory_options(args, "enterprises")
    enterprises = load_enterprises(args.enterprises, profile=settings.profile, **options)
    command = verify_command(
        args.record,
        record_digest=record.digest(),
        commitment=args.commitment,
        history=args.history,
        profile=None if args.profile == PROFILE_DEFAULT else args.profile,
        **_directory_named(args),
    )
    document = draw_announcement(record, plan, enterprises, settings, verify=command)
    # The announcement says anyone can re-run the draw from these files: it must re-run.
    result = verify(
        record,
        enterprises,
        plan=plan,
        # As the printed command does: the record's profile unless one is named.
        profile=None if args.profile == PROFILE_DEFAULT else settings.profile,
        history=load_history(args.history),
    )
    _refuse_unless_consistent(result, Text(zh="抽取记录", en="the draw record"))
    _post_directory(args, enterprises, settings)
    return document


def _directory_named(args: argparse.Namespace) -> dict[str, Any]:
    """How a re-check command names the directory: the public one ``--public-enterprises``
    writes, read without options, or the one given, with every option it was read with.

    Raises:
        ValidationError: ``--public-enterprises`` is the directory given.
    """
    public = args.public_enterprises
    if public is None:
        options = directory_options(args, "enterprises")
        return {
            "enterprises": args.enterprises,
            "sheet": options["sheet"],
            "columns": args.columns,
            "encoding": options["encoding"],
            "extra": options["extra"],
        }
    if _same_file(public, args.enterprises):
        raise ValidationError(
            "--public-enterprises 不能覆盖所给名录 / --public-enterprises would replace the "
            f"directory given ({args.enterprises}): name another file",
            field="--public-enterprises",
            expected="a file other than --enterprises",
            got=public,
        )
    return {"enterprises": public}


def _post_directory(
    args: argparse.Namespace, enterprises: list[Enterprise], settings: Settings
) -> None:
    """Write the public directory a re-check command names, once the record re-ran; or warn
    that the command names the directory as given, when that is not in randcheck's form."""
    public = args.public_enterprises
    if public is not None:
        # Beside the announcement, whose --out directory is made as it is written.
        os.makedirs(os.path.dirname(os.path.abspath(public)), exist_ok=True)
        save_enterprises_csv(public, enterprises, profile=settings.profile)
    elif not _in_own_form(args.enterprises, enterprises, settings):
        print(
            f"randcheck: warning: 核验命令指向所给名录 {args.enterprises}：公布前请确认其中没有"
            "个人信息，或用 --public-enterprises 另写一份只含抽取所用列的名录 / the re-check "
            f"command names {args.enterprises} as given: publish it only if it holds no "
            "personal data (a legal representative, an address…), or write a directory of only "
            "the columns the draw uses with --public-enterprises FILE.csv",
            file=sys.stderr,
        )


def _in_own_form(path: str, enterprises: list[Enterprise], settings: Settings) -> bool:
    """Whether the file at ``path`` is exactly what :func:`save_enterprises_csv` writes for
    ``enterprises``: then it holds nothing the draw does not use."""
    if _is_xlsx(path):
        return False
    text = io.StringIO(newline="")
    write_enterprises_csv(text, enterprises, profile=settings.profile)
    try:
        with open(path, "rb") as stream:
            return stream.read() == text.getvalue().encode("utf-8-sig")
    except OSError:
        return False


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def _dispatch(args: argparse.Namespace, settings: Settings) -> Document:
    record = load_json(args.record, DOCUMENT_KIND, DispatchRecord)
    inspectors = load_inspectors(
        args.inspectors, profile=settings.profile, **directory_options(args, "inspectors")
    )
    enterprises = (
        load_enterprises(
            args.enterprises, profile=settings.profile, **directory_options(args, "enterprises")
        )
        if args.enterprises
        else None
    )
    pool = None if args.pool is None else load_json(args.pool, POOL_KIND, PoolCommitment)
    command = None
    if pool is not None and args.draw and args.plan and args.enterprises:
        # Anyone can re-run the dispatch from these published files: the command says how.
        command = verify_command(
            args.draw,
            record_digest=record.digest(),
            profile=None if args.profile == PROFILE_DEFAULT else args.profile,
            dispatch=args.record,
            plan=args.plan,
            pool=args.pool,
            **_directory_named(args),
        )
    document = dispatch_announcement(
        record, inspectors, settings, enterprises=enterprises, pool=pool, verify=command
    )
    if command is not None and pool is not None and enterprises is not None:
        draw_record = load_json(args.draw, RECORD_KIND, DrawRecord)
        result = verify_from_pool(
            record,
            draw_record,
            enterprises,
            pool,
            load_plan(args.plan, profile=settings.profile),
            settings.profile,
        )
        _refuse_unless_consistent(result, Text(zh="选派记录", en="the dispatch record"))
        _post_directory(args, enterprises, settings)
    return document


def _refuse_unless_consistent(result: Verification, what: Text) -> None:
    # An announcement says anyone can re-run the record from the files it names: it must.
    # (Teams behind salted recusal pairs cannot be re-derived publicly; they differ in nothing.)
    if result.consistent:
        return
    first = result.differences[0]
    count = len(result.differences)
    raise ValidationError(
        Text(
            zh=f"{what.zh}不能由给定文件重新计算得出（{count} 处不同，首处 {first.path}：应为 "
            f"{first.expected}，实为 {first.got}），不予公告；请用 randcheck verify 查看",
            en=f"{what.en} is not what the files given re-run to ({count} difference(s), "
            f"first {first.path}: expected {first.expected}, got {first.got}); not "
            "announced; see randcheck verify",
        ),
        field=first.path,
        expected=first.expected,
        got=first.got,
    )


def _results(args: argparse.Namespace, settings: Settings) -> Document:
    ledger = _ledger(args.ledger)
    warn_if_calendar_lacks(settings.calendar, ledger.year)
    return results_publicity(ledger, settings, batches=args.batch)


def _feedback(args: argparse.Namespace, settings: Settings) -> Document:
    return feedback_letter(_ledger(args.ledger), args.inspection, settings, mode=args.mode)


# --- running --------------------------------------------------------------------------------


def settings_of(args: argparse.Namespace, profile: Profile | None = None) -> Settings:
    """The publication settings the shared options describe."""
    profile = profile if profile is not None else get_profile(args.profile)
    calendar: WorkingDayCalendar | None = None
    if getattr(args, "holidays", None) == "china":
        calendar = chinese_holiday_calendar()
    elif getattr(args, "calendar", None) is not None:
        calendar = load_calendar(args.calendar)
    return Settings(
        profile=profile,
        lang=args.lang,
        templates=Templates(profile.name, args.templates),
        authority=args.authority,
        calendar=calendar,
    )


def _targets(out: str | None, name: str, formats: Sequence[str]) -> list[tuple[str, Path]]:
    if out is None:
        stem = Path(name)
    else:
        given = Path(out)
        stem = given / name if given.is_dir() or out.endswith(("/", "\\")) else given
    if stem.suffix.lstrip(".") in FORMATS:
        stem = stem.with_suffix("")
    return [(fmt, stem.with_name(f"{stem.name}.{fmt}")) for fmt in formats]


def write(document: Document, args: argparse.Namespace, settings: Settings, name: str) -> int:
    """Write ``document`` in every requested format and print the paths written."""
    formats = tuple(dict.fromkeys(args.format or FORMATS))
    written = []
    for fmt, path in _targets(args.out, name, formats):
        assert settings.templates is not None
        written.append(write_document(document, path, fmt, settings.templates))  # type: ignore[arg-type]
    return deliver(0, lambda: print("\n".join(str(p) for p in written)))


def run(args: argparse.Namespace) -> int:
    """Build the publication the subcommand names and write it; returns the exit code."""
    if "xlsx" in (args.format or FORMATS):
        # Before anything is written: a missing writer must not leave half the files behind.
        _openpyxl()
    settings = settings_of(args)
    build: Callable[[argparse.Namespace, Settings], Document] = args.build
    document = build(args, settings)
    return write(document, args, settings, args.name)
