"""Options shared by the subcommands that read directories (CSV files or Excel workbooks).

``--encoding`` and ``--sheet`` take one value for every file (a sheet: for every workbook among
them), or ``KIND=VALUE`` for the file of one kind (``enterprises``, ``inspectors``,
``conflicts``), each repeatable: ``--encoding gb18030 --encoding inspectors=utf-16``.
``--columns map.toml`` reads a column map (:func:`randcheck.io.load_column_map`);
``--extra ignore`` skips columns no field is known for.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from typing import Any, Final

from randcheck.canonical import is_digest
from randcheck.cli._output import note
from randcheck.io.columns import KINDS, ColumnMap, load_column_map
from randcheck.io.csv_read import _is_xlsx

__all__ = [
    "CHINA_STANDARD_TIME",
    "ENCODINGS",
    "TIMESTAMP_HELP",
    "add_directory_options",
    "add_extra_option",
    "directory_options",
    "explain_timestamp_options",
    "timestamp",
]

CHINA_STANDARD_TIME: Final = timezone(timedelta(hours=8), "CST")
"""The zone of a time given without one on the command line."""


def timestamp(text: str) -> datetime:
    """An option's ISO 8601 time; one without a zone is China Standard Time (UTC+8).

    Raises:
        argparse.ArgumentTypeError: not an ISO 8601 timestamp.
    """
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected an ISO 8601 timestamp such as 2027-03-02T09:00+08:00, got {text!r}"
        ) from None
    return value if value.tzinfo is not None else value.replace(tzinfo=CHINA_STANDARD_TIME)


TIMESTAMP_HELP: Final = (
    "ISO 8601, e.g. 2027-03-02T09:00+08:00; a time without a UTC offset is read as China "
    "Standard Time (+08:00)"
)
"""What every option read by :func:`timestamp` adds to its help."""


class _NotedTimestamp:
    """:func:`timestamp` for one option, saying on stderr how it read a time given without a
    UTC offset: the time goes into a record, and a reader in another zone would otherwise not
    learn that it was not read in theirs."""

    __name__ = "timestamp"

    def __init__(self, option: str) -> None:
        self.option = option

    def __call__(self, text: str) -> datetime:
        value = timestamp(text)
        if datetime.fromisoformat(text).tzinfo is None:
            note(
                f"{self.option} {text} 无时区，按北京时间读作 {value.isoformat()} / "
                f"{self.option} {text} has no UTC offset: read as {value.isoformat()} "
                "(China Standard Time)"
            )
        return value


def explain_timestamp_options(parser: argparse.ArgumentParser) -> None:
    """Give every option of ``parser`` and its subcommands read by :func:`timestamp` the help
    :data:`TIMESTAMP_HELP`, and have it note on stderr how it read a time without an offset.

    One place for every such option, whichever module registers it.
    """
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                explain_timestamp_options(sub)
        elif action.type is timestamp and action.option_strings:
            action.type = _NotedTimestamp(action.option_strings[-1])
            action.help = f"{action.help}; {TIMESTAMP_HELP}" if action.help else TIMESTAMP_HELP


def digest(text: str) -> str:
    """An option's published digest, ``sha256:`` and 64 lower-case hexadecimal digits (as
    every randcheck record's digest is written).

    Raises:
        argparse.ArgumentTypeError: another form.
    """
    if not is_digest(text):
        raise argparse.ArgumentTypeError(
            f"expected a digest 'sha256:' and 64 hexadecimal digits (as published), got {text!r}"
        )
    return text


ENCODINGS = ("utf-8-sig", "gb18030", "utf-16", "auto")
"""The encodings a directory file may be read in; ``auto`` detects it, refusing when unsure."""


def add_extra_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--extra error|ignore``: what to do with columns of a CSV directory that name no
    field (:data:`randcheck.io.Extra`); the loaders' hint for an unknown column names it."""
    parser.add_argument(
        "--extra",
        default="error",
        choices=("error", "ignore"),
        help="columns the directory format does not know: report them (default) or skip them",
    )


class _PerKind(argparse.Action):
    """Collects ``VALUE`` (every file) or ``KIND=VALUE`` (one kind's file) into a dict keyed
    by kind, ``""`` standing for every file."""

    def __init__(self, *args: Any, choices_: Sequence[str] | None = None, **kwargs: Any) -> None:
        self.allowed = choices_
        super().__init__(*args, **kwargs)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        text = str(values)
        kind, sep, value = text.partition("=")
        if not sep or kind not in KINDS:
            kind, value = "", text
        if self.allowed is not None and value not in self.allowed:
            parser.error(
                f"argument {option_string}: expected one of {', '.join(self.allowed)} "
                f"(or KIND=VALUE, KIND one of {', '.join(KINDS)}), got {text!r}"
            )
        given = dict(getattr(namespace, self.dest, None) or {})
        given[kind] = value
        setattr(namespace, self.dest, given)


def add_directory_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--encoding``, ``--sheet``, ``--columns`` and ``--extra`` (module docstring)."""
    parser.add_argument(
        "--encoding",
        action=_PerKind,
        choices_=ENCODINGS,
        default={},
        metavar="[KIND=]ENCODING",
        help="encoding of the CSV files: utf-8-sig (default: UTF-8 with or without BOM), "
        "gb18030, utf-16, or auto (detect, refuse when unsure); KIND=ENCODING for one file "
        "(repeatable)",
    )
    parser.add_argument(
        "--sheet",
        action=_PerKind,
        default={},
        metavar="[KIND=]SHEET",
        help="the sheet of an .xlsx directory, by name or position from 0 (default: the "
        "first); KIND=SHEET for one file (repeatable)",
    )
    parser.add_argument(
        "--columns",
        metavar="MAP.toml",
        help="a column map: which field each of your own headers gives (see docs/io.md)",
    )
    add_extra_option(parser)


def directory_options(args: argparse.Namespace, kind: str) -> dict[str, Any]:
    """The keyword arguments of ``load_<kind>`` for the options given: ``encoding``,
    ``extra``, ``columns`` and ``sheet``.

    Raises:
        InputFileError: the column map cannot be loaded.
    """
    encodings: dict[str, str] = getattr(args, "encoding", None) or {}
    sheets: dict[str, str] = getattr(args, "sheet", None) or {}
    sheet = sheets.get(kind)
    if sheet is None and "" in sheets:
        # A sheet given for every file applies to the workbooks among them.
        path = getattr(args, kind, None)
        sheet = sheets[""] if path is not None and _is_xlsx(path) else None
    return {
        "encoding": encodings.get(kind, encodings.get("", "utf-8-sig")),
        "extra": getattr(args, "extra", "error"),
        "columns": column_map(args),
        "sheet": sheet,
    }


def column_map(args: argparse.Namespace) -> ColumnMap | None:
    """The column map ``--columns`` names, loaded once per command."""
    path = getattr(args, "columns", None)
    if path is None:
        return None
    cached: tuple[str, ColumnMap] | None = getattr(args, "_column_map", None)
    if cached is None or cached[0] != path:
        cached = (path, load_column_map(path))
        args._column_map = cached
    return cached[1]
