"""Writing the CSV directories, as files the readers of :mod:`randcheck.io.csv_read` load back
unchanged: English or Chinese headers (``headers="en"`` or ``"zh"``), UTF-8 with a byte-order
mark by default.

With Chinese headers, values are written in Chinese where the profile names them (``profile=``;
by default ``cn-tj-hrss``): lines by their Chinese names, the unrated class by its Chinese name
(``未评级``), yes/no as 是/否, grounds as 曾任职 and so on. Rated classes keep their codes
(``A``), as directories usually write them; the grade column is headed by the profile's
scheme name where that is not one of the column's usual headers. A file written with a profile
is read back with the same profile.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from typing import IO, Literal, TypeAlias, TypeVar

from randcheck.domain import Conflict, Enterprise, Inspector
from randcheck.errors import ValidationError
from randcheck.io.cells import _GROUND_ZH, _escape_formula
from randcheck.io.columns import (
    _CONFLICT_COLUMNS,
    _INSPECTOR_COLUMNS,
    Column,
    _enterprise_columns,
)
from randcheck.io.files import PathLike, _atomic_write
from randcheck.profiles import TIANJIN_HRSS, Profile

__all__ = [
    "HeaderStyle",
    "save_conflicts_csv",
    "save_enterprises_csv",
    "save_inspectors_csv",
    "write_conflicts_csv",
    "write_enterprises_csv",
    "write_inspectors_csv",
]

T = TypeVar("T")

HeaderStyle: TypeAlias = Literal["en", "zh"]
"""Which header names a saved CSV file uses: English field names or Chinese."""


def _header_row(columns: Sequence[Column], headers: HeaderStyle) -> list[str]:
    if headers not in ("en", "zh"):
        raise ValidationError(field="headers", expected="'en' or 'zh'", got=headers)
    return [column.en if headers == "en" else column.zh for column in columns]


def _bool_text(value: bool, headers: HeaderStyle) -> str:
    if headers == "zh":
        return "是" if value else "否"
    return "true" if value else "false"


def _list_text(values: Iterable[str], headers: HeaderStyle) -> str:
    return ("、" if headers == "zh" else ";").join(values)


def _unique(keys: Iterable[str], field: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise ValidationError(
                f"duplicate {field} {key!r}: the file could not be loaded again",
                field=field,
                expected="unique values",
                got=key,
            )
        seen.add(key)


_WRITTEN_INSPECTOR = tuple(c for c in _INSPECTOR_COLUMNS if c.en != "certificate_or_id")
_WRITTEN_CONFLICT = _CONFLICT_COLUMNS


def _write_csv(
    stream: IO[str],
    items: Iterable[T],
    columns: Sequence[Column],
    headers: HeaderStyle,
    field: str,
    key: Callable[[T], str],
    row: Callable[[T, HeaderStyle], list[str]],
) -> None:
    # Every key is checked before the first byte is written, so a failed write leaves no rows.
    rows = list(items)
    _unique((key(item) for item in rows), field)
    writer = csv.writer(stream)
    writer.writerow(_header_row(columns, headers))
    for item in rows:
        writer.writerow([_escape_formula(cell) for cell in row(item, headers)])


def _enterprise_row(profile: Profile) -> Callable[[Enterprise, HeaderStyle], list[str]]:
    scheme = profile.grading
    unrated = scheme.get(scheme.unrated)
    unrated_zh = scheme.unrated if unrated is None else unrated.name.zh

    def row(e: Enterprise, headers: HeaderStyle) -> list[str]:
        grade = unrated_zh if headers == "zh" and e.grade == scheme.unrated else e.grade
        return [
            e.uscc,
            e.name,
            e.district,
            e.industry,
            grade,
            str(e.risk.complaints_12m),
            _bool_text(e.risk.abnormal_operations, headers),
            _bool_text(e.risk.serious_violation, headers),
            _bool_text(e.risk.key_area, headers),
        ]

    return row


def _inspector_row(profile: Profile) -> Callable[[Inspector, HeaderStyle], list[str]]:
    order = [line.id for line in profile.lines]
    names = {line.id: line.name.zh for line in profile.lines}

    def row(i: Inspector, headers: HeaderStyle) -> list[str]:
        # The profile's lines in its order, then any other lines by id.
        lines = [line for line in order if line in i.lines]
        lines += sorted(i.lines - set(lines))
        return [
            i.name,
            i.department,
            i.post,
            i.certificate_no or "",
            i.resident_id or "",
            i.phone,
            i.district,
            i.section,
            _list_text(
                (names.get(line, line) if headers == "zh" else line for line in lines), headers
            ),
            "" if i.certificate_valid_from is None else i.certificate_valid_from.isoformat(),
            "" if i.certificate_valid_until is None else i.certificate_valid_until.isoformat(),
            _list_text(i.former_employers, headers),
            _list_text(i.relatives_employers, headers),
            _list_text(i.shareholdings, headers),
        ]

    return row


def _conflict_row(c: Conflict, headers: HeaderStyle) -> list[str]:
    ground = _GROUND_ZH[c.ground] if headers == "zh" else c.ground.value
    return [c.inspector, c.enterprise, ground, c.note]


def write_enterprises_csv(
    stream: IO[str],
    items: Iterable[Enterprise],
    *,
    headers: HeaderStyle = "en",
    profile: Profile | None = None,
) -> None:
    """Write enterprises as CSV to an open text stream (opened with ``newline=""``).

    ``profile`` (default ``cn-tj-hrss``) names the classes with Chinese headers.

    Raises:
        ValidationError: two items share a USCC (the file would not load).
    """
    the_profile = profile or TIANJIN_HRSS
    _write_csv(
        stream,
        items,
        _enterprise_columns(the_profile.grading),
        headers,
        "uscc",
        lambda e: e.uscc,
        _enterprise_row(the_profile),
    )


def write_inspectors_csv(
    stream: IO[str],
    items: Iterable[Inspector],
    *,
    headers: HeaderStyle = "en",
    profile: Profile | None = None,
) -> None:
    """Write inspectors as CSV (identity numbers unmasked: this is the directory itself).

    ``profile`` (default ``cn-tj-hrss``) orders the lines and names them with Chinese headers.

    Raises:
        ValidationError: two items share a key (the file would not load).
    """
    _write_csv(
        stream,
        items,
        _WRITTEN_INSPECTOR,
        headers,
        "key",
        lambda i: i.key,
        _inspector_row(profile or TIANJIN_HRSS),
    )


def write_conflicts_csv(
    stream: IO[str],
    items: Iterable[Conflict],
    *,
    headers: HeaderStyle = "en",
    profile: Profile | None = None,
) -> None:
    """Write declared conflicts as CSV (``profile`` is accepted so that the writers are called
    alike; the grounds are the same in every profile).

    Raises:
        ValidationError: two items name the same inspector and enterprise.
    """
    _write_csv(
        stream,
        items,
        _WRITTEN_CONFLICT,
        headers,
        "conflict",
        lambda c: f"{c.inspector} × {c.enterprise}",
        _conflict_row,
    )


def save_enterprises_csv(
    path: PathLike,
    items: Iterable[Enterprise],
    *,
    headers: HeaderStyle = "en",
    encoding: str = "utf-8-sig",
    profile: Profile | None = None,
) -> None:
    """Save enterprises to a CSV file that :func:`load_enterprises` reads back unchanged
    (with the same ``profile``, default ``cn-tj-hrss``).

    The default encoding writes a UTF-8 byte-order mark, so that spreadsheet programs set to
    a Chinese locale open the file as UTF-8.
    """
    _atomic_write(
        path,
        lambda s: write_enterprises_csv(s, items, headers=headers, profile=profile),
        encoding,
    )


def save_inspectors_csv(
    path: PathLike,
    items: Iterable[Inspector],
    *,
    headers: HeaderStyle = "en",
    encoding: str = "utf-8-sig",
    profile: Profile | None = None,
) -> None:
    """Save inspectors to a CSV file that :func:`load_inspectors` reads back unchanged (with
    the same ``profile``, default ``cn-tj-hrss``)."""
    _atomic_write(
        path,
        lambda s: write_inspectors_csv(s, items, headers=headers, profile=profile),
        encoding,
    )


def save_conflicts_csv(
    path: PathLike,
    items: Iterable[Conflict],
    *,
    headers: HeaderStyle = "en",
    encoding: str = "utf-8-sig",
    profile: Profile | None = None,
) -> None:
    """Save conflicts to a CSV file that :func:`load_conflicts` reads back unchanged."""
    _atomic_write(
        path,
        lambda s: write_conflicts_csv(s, items, headers=headers, profile=profile),
        encoding,
    )
