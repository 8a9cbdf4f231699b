"""``randcheck report LEDGER --year YYYY``: the year's report (随机抽查总结报告) and the
oversight office's statistics, as CSV, ``.xlsx`` and an HTML page with charts.

``--enterprises CSV|XLSX`` gives the full target directory (default: the ledger's enterprises);
``--records PATH`` (a draw or dispatch record, or a directory searched for them; a record
found twice counts once) adds the enterprises excluded by the cap and the recusals;
``--earlier LEDGER`` adds earlier years for coverage over years. Charts need the ``charts``
extra (matplotlib); without it the report says they are unavailable. Exit codes: 0 written;
2 bad input.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from randcheck.cli._options import add_directory_options, directory_options
from randcheck.cli._publish import add_output_options, kind_of, settings_of, write
from randcheck.dispatch import DOCUMENT_KIND, DispatchRecord
from randcheck.errors import InputFileError, ValidationError
from randcheck.io import load_enterprises, load_json
from randcheck.ledger import load_ledger
from randcheck.publication import annual_report, year_figures
from randcheck.sampling import RECORD_KIND, DrawRecord
from randcheck.text import Text

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``report`` subcommand."""
    parser = subparsers.add_parser(
        "report",
        help="the year's report and statistics (随机抽查总结报告) as CSV, .xlsx and HTML",
        description=(
            "年度总结报告：按条线、区、季度、等级统计抽取、检查、违法、处理、公示、异议、覆盖面 / "
            "the year's report by line, district, quarter and class, written as "
            "report-YYYY.csv, report-YYYY.xlsx and report-YYYY.html (YYYY: --year). "
            "Exit 0: written; 2: bad input."
        ),
    )
    parser.add_argument("ledger", metavar="LEDGER", help="the year's ledger")
    parser.add_argument("--year", type=int, required=True, help="the year (the ledger's)")
    parser.add_argument("--enterprises", metavar="CSV|XLSX", help="the full target directory")
    add_directory_options(parser)
    parser.add_argument(
        "--records",
        action="append",
        default=[],
        metavar="PATH",
        help="a draw or dispatch record, or a directory searched for them (repeat)",
    )
    parser.add_argument(
        "--earlier", action="append", default=[], metavar="LEDGER", help="an earlier year's ledger"
    )
    parser.add_argument("--no-charts", action="store_true", help="leave the charts out")
    # Named after the year: report-2027.csv, .xlsx, .html.
    add_output_options(parser, "report-YYYY")
    parser.set_defaults(handler=run)


def _records(paths: list[str]) -> tuple[list[DrawRecord], list[DispatchRecord]]:
    draws: list[DrawRecord] = []
    dispatches: list[DispatchRecord] = []
    # A bureau's folder holds its working records and the copies it published beside the
    # announcements: one record found twice is counted once.
    seen: set[str] = set()
    for given in paths:
        path = Path(given)
        explicit = not path.is_dir()
        files = [path] if explicit else sorted(path.rglob("*.json"))
        for file in files:
            kind = kind_of(str(file)) if explicit or _is_document(file) else ""
            if kind == RECORD_KIND:
                draw = load_json(file, RECORD_KIND, DrawRecord)
                if draw.digest() not in seen:
                    seen.add(draw.digest())
                    draws.append(draw)
            elif kind == DOCUMENT_KIND:
                dispatch = load_json(file, DOCUMENT_KIND, DispatchRecord)
                if dispatch.digest() not in seen:
                    seen.add(dispatch.digest())
                    dispatches.append(dispatch)
            elif explicit:
                raise InputFileError(
                    f"{file}: 不是抽取记录或选派记录（kind {kind!r}）/ not a draw or dispatch "
                    f"record (kind {kind!r})",
                    field="--records",
                    expected=f"{RECORD_KIND} or {DOCUMENT_KIND}",
                    got=kind,
                )
    return draws, dispatches


def _is_document(file: Path) -> bool:
    try:
        kind_of(str(file))
    except InputFileError:
        return False
    return True


def run(args: argparse.Namespace) -> int:
    """Compute the year's figures and write the report; returns the exit code."""
    settings = settings_of(args)
    ledger = load_ledger(args.ledger)
    if ledger.year != args.year:
        raise ValidationError(
            Text(
                zh=f"台账 {args.ledger} 是 {ledger.year} 年的，不是 {args.year} 年的",
                en=f"the ledger {args.ledger} is for {ledger.year}, not {args.year}",
            ),
            field="--year",
            expected=str(ledger.year),
            got=args.year,
        )
    directory = (
        load_enterprises(
            args.enterprises, profile=settings.profile, **directory_options(args, "enterprises")
        )
        if args.enterprises
        else None
    )
    draws, dispatches = _records(args.records)
    earlier = [load_ledger(path) for path in args.earlier]
    figures = year_figures(
        ledger,
        settings.profile,
        directory=directory,
        draws=draws,
        dispatches=dispatches,
        earlier=earlier,
    )
    document = annual_report(figures, settings, charts=not args.no_charts)
    return write(document, args, settings, f"report-{args.year}")
