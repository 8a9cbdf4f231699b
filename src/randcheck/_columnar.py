"""The enterprise directory read by DuckDB: the fast path for large files (``randcheck[fast]``).

:class:`ColumnarEnterprises` gives the batches :meth:`EnterpriseStream.batches
<randcheck.io.streaming.EnterpriseStream.batches>` gives — each representative enterprise with
its rows' codes — so that :func:`~randcheck.sampling._frame_stream.build_frame_from_batches`
builds the same frame from either. DuckDB reads the CSV in parallel and checks every row in one
vectorised query; Python still builds each representative with the reference's own functions
and assembles the frame, whose exact fractions and sorted codes are the pure path's.

DuckDB is trusted only where its answer provably equals the reference's: UTF-8 text; a header
(read by the reference's own header reader, with the column map if one is given) without an
unknown, repeated or unnamed column; every row with exactly as many cells as the header; every
code a valid code in compact form (its form by a regular expression, its check character by
the GB 32100 weighted sum — the same arithmetic as :func:`randcheck.ids.uscc._is_compact_uscc`);
every name holding a character that is not white space (as :meth:`str.strip` counts it); every
district cell written as the profile writes it, and every code's area (characters 3–8)
agreeing with its row's district (:func:`~randcheck.io.streaming.areas_agree`), so that the
reference warns about nothing. Any other file — a workbook, text in another encoding (DuckDB
reads GB18030 only with an extension fetched from the network), a blank row, a surplus cell,
a lower-case code, a bad cell, a duplicate, a file DuckDB cannot parse, a district or code the
reference warns about — is read by :class:`~randcheck.io.streaming.EnterpriseStream` from the
start, which reports exactly the reference's errors and warnings;
:attr:`ColumnarEnterprises.not_used` says why in a few words. DuckDB groups the codes by their
place cells; Python sorts them, as the pure path does.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterator
from typing import Any, NoReturn, TypeVar

from randcheck.domain import Enterprise
from randcheck.errors import InputFileError
from randcheck.ids import uscc_check_character
from randcheck.io.cells import _canonical_usccs
from randcheck.io.columns import ColumnMap
from randcheck.io.csv_read import Extra, Sheet, _build_enterprise, _is_xlsx, _Notes, _row
from randcheck.io.files import PathLike, _codec_name
from randcheck.io.streaming import (
    _PLACE_FIELDS,
    ERROR_LIMIT,
    Batch,
    EnterpriseStream,
    _say,
    areas_agree,
    read_batches,
)
from randcheck.profiles import Profile

__all__ = ["ColumnarEnterprises", "available"]

T = TypeVar("T")

# A character str.strip() keeps: not one of the characters str.isspace() is true of.
_NOT_SPACE = (
    "[^\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}"
    "\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}]"
)
# Any valid code: a stand-in for the code of a place's representative row.
_SOME_CODE = "91120101MA05L8XH4" + uscc_check_character("91120101MA05L8XH4")


def available() -> bool:
    """Whether DuckDB can be imported (``pip install randcheck[fast]``)."""
    try:
        import duckdb  # noqa: F401
    except ImportError:
        return False
    return True


class ColumnarEnterprises:
    """The rows of an enterprise CSV file read by DuckDB, in the batches of
    :class:`~randcheck.io.streaming.EnterpriseStream` (whose arguments it takes).

    Raises (from iterating :meth:`batches`, or :meth:`fail`):
        InputFileError: as :class:`~randcheck.io.streaming.EnterpriseStream` raises it.
        ImportError: DuckDB is not installed.
    """

    def __init__(
        self,
        path: PathLike,
        *,
        encoding: str = "utf-8-sig",
        extra: Extra = "error",
        profile: Profile | None = None,
        columns: ColumnMap | None = None,
        sheet: Sheet = None,
        limit: int = ERROR_LIMIT,
    ) -> None:
        self._stream = EnterpriseStream(
            path,
            encoding=encoding,
            extra=extra,
            profile=profile,
            columns=columns,
            sheet=sheet,
            limit=limit,
        )
        self.used_duckdb = False
        self.not_used: str | None = None
        """Why DuckDB did not read the file (it was read by
        :class:`~randcheck.io.streaming.EnterpriseStream`), in a few words; ``None`` if it did."""
        self._said: list[Any] = []

    def read(self, consume: Callable[[Iterator[Batch]], T]) -> T:
        """What ``consume`` returns from the file's batches
        (:func:`~randcheck.io.streaming.read_batches`)."""
        return read_batches(self, consume)

    def reference_batches(self) -> Iterator[Batch]:
        """The rows as the reference reads them
        (:meth:`~randcheck.io.streaming.EnterpriseStream.reference_batches`)."""
        return self._stream.reference_batches()

    def fail(self) -> NoReturn:
        """Raise the errors of the file, as :meth:`EnterpriseStream.fail` does."""
        self._stream.fail()

    def unsaid(self) -> list[Warning]:
        """The warnings the reference would not have said
        (:meth:`~randcheck.io.streaming.EnterpriseStream.unsaid`)."""
        return self._stream.unsaid()

    def batches(self) -> Iterator[Batch]:
        """The rows, as :meth:`EnterpriseStream.batches` gives them (in other batches)."""
        batches = self._columnar()
        if isinstance(batches, str):
            self.not_used = batches
            yield from self._stream.batches()
            return
        self.not_used = None
        self.used_duckdb = True
        _say(self._said)
        yield batches

    def _columnar(self) -> Batch | str:
        """The whole directory as one batch, or why DuckDB is not trusted with it."""
        import duckdb

        stream = self._stream
        if _is_xlsx(stream.path):
            return "it is a workbook"
        if stream.sheet is not None:
            return "a sheet was chosen"
        try:
            utf8 = _codec_name(stream.encoding).startswith("utf-8")
        except InputFileError:
            utf8 = False
        if not utf8:
            # DuckDB reads GB18030 only with an extension fetched from the network.
            return f"its encoding is {stream.encoding}, not UTF-8"
        if stream.needs_reference():
            return "it is not a comma-separated file DuckDB can open"
        table = self._header()
        if table is None:
            return "its header has a problem"
        if table.unnamed:
            return "a column has no header"
        names = [f"c{i}" for i in range(table.width)]
        code = names[table.positions["uscc"]]
        name = names[table.positions["name"]]
        places = [names[table.positions[f]] for f in _PLACE_FIELDS if f in table.positions]
        keys = ", ".join(f"coalesce({p}, '')" for p in places)
        columns = ", ".join(f"'{n}': 'VARCHAR'" for n in names)
        connection = duckdb.connect(":memory:")
        try:
            connection.execute("SET enable_progress_bar = false")
            # A view cannot take parameters: the file name as an SQL string literal.
            literal = "'" + os.fspath(stream.path).replace("'", "''") + "'"
            connection.execute(
                f"CREATE TEMP VIEW directory AS SELECT * FROM read_csv({literal}, "
                "header = false, skip = 1, delim = ',', quote = '\"', escape = '\"', "
                "strict_mode = true, null_padding = false, auto_detect = false, "
                f"columns = {{{columns}}})"
            )
            groups = connection.execute(
                f"SELECT {keys}, string_agg({code}, chr(10)) || chr(10), "
                f"bool_and({code} IS NOT NULL "
                f"AND coalesce(regexp_matches({name}, '{_NOT_SPACE}'), false)) "
                "FROM directory GROUP BY ALL"
            ).fetchall()
        except duckdb.Error:
            return "DuckDB's strict CSV reader refused it (quotes, line breaks or ragged rows)"
        finally:
            connection.close()
        # Every code valid and in compact form, checked on all codes at once.
        if not all(group[-1] for group in groups) or not _canonical_usccs(
            "".join(group[-2] for group in groups)
        ):
            return "a code or a name needs the Python reader's checks"
        batch: Batch = []
        by_district: dict[str, list[str]] = {}
        for group in groups:
            representative = self._representative(table, places, names, list(group[:-2]))
            if isinstance(representative, str):
                return representative
            by_district.setdefault(representative.district, []).append(group[-2])
            batch.append((representative, group[-2]))
        # The codes of each district at once, whichever place of it their rows have.
        for name, parts in by_district.items():
            district = stream.profile.district(name)
            if district is not None and not areas_agree("".join(parts), district):
                return "a code's area disagrees with its district (warned about)"
        return batch

    def _header(self) -> Any:
        """The reference's reading of the header, or ``None`` where it finds a problem."""
        stream = self._stream
        try:
            with open(stream.path, encoding=stream.encoding, newline="") as text:
                reader = csv.reader(text, strict=True)
                errors: list[Any] = []
                first = next(reader, None)
                if first is None:
                    return None
                # Its warnings are said only if DuckDB reads the file, else by the stream.
                table, self._said = stream._header(first, errors)
                if errors or reader.line_num != 1:
                    return None
                return table
        except (OSError, csv.Error, UnicodeDecodeError):
            return None

    def _representative(
        self, table: Any, places: list[str], names: list[str], values: list[str]
    ) -> Enterprise | str:
        """The enterprise of a row with these place cells, read by the reference; else why
        the Python reader reads the file."""
        cells = ["" for _ in names]
        for column, value in zip(places, values, strict=True):
            cells[names.index(column)] = value
        cells[table.positions["uscc"]] = _SOME_CODE
        cells[table.positions["name"]] = "-"
        row = _row(table, 0, cells)
        if row is None:
            return "a row needs the Python reader's checks"
        stream = self._stream
        notes = _Notes(stream.source)
        enterprise = _build_enterprise(
            row, {}, stream._parse_grade, stream.profile, stream._parse_district, notes
        )
        if row.errors or enterprise is None:
            return "a cell needs the Python reader's checks"
        if notes.renamed:
            return "a district is written otherwise than the profile writes it (warned about)"
        return enterprise
