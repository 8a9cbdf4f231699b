"""Streaming the enterprise directory: rows reduced to what a sampling frame needs, as read.

:func:`load_enterprises` holds one :class:`~randcheck.domain.Enterprise` per row — about a
kilobyte each. A frame needs of a row only its code and its *place*: the cells that decide
scope, stratum and weight (district, industry, grade, risk flags). Those cells take few distinct
values in a directory, so :class:`EnterpriseStream` reads the CSV file row by row and yields
``(code, representative)``: the row's code and one shared, fully validated ``Enterprise`` built
from the first row with the same place cells. The caller keeps only the codes.

Equivalence with :func:`~randcheck.io.load_enterprises` (the reference) is by construction, not
by a second implementation of the rules:

* a row is taken on the fast route only when it *provably* reads as the reference reads it: as
  many cells as the header, no unnamed column, a code already in compact form with its check
  character right (:func:`randcheck.io.cells._canonical_uscc`, for which the reference's parser
  returns the code unchanged), a name that is not blank; its place cells are those of a row the
  reference has already read without error;
* every other row is read by the reference's own functions (``_row``, ``_build_enterprise``);
* on the first problem of any kind — a row error, an undecodable byte, malformed CSV, or a code
  given twice (found by the caller, see :meth:`EnterpriseStream.fail`) — the file is read again
  for its errors, which are the reference's, in its order, with its lines and columns: a row
  that passes the tests above (its place cells asked of the reference once, with a right code
  and name) is read by the reference without error but for a code given before, so only its code
  is recorded, with its line; every other row, and every row whose code was recorded before, is
  read by the reference's functions, in file order, with the codes recorded so far
  (:class:`_RowErrors`). So a file with a few bad rows is reported about as fast as a good file
  is read. A file whose header is not read (or holds a line break), or that holds malformed CSV,
  is read again by the reference as a whole. Only the errors' number is bounded: the first
  :data:`ERROR_LIMIT` in full, then a count of the rest by column and kind
  (:func:`bounded_errors`). Nothing is dropped;
* a file the stream does not read itself is read by :func:`~randcheck.io.load_enterprises`
  with every option, so that its frame, errors (bounded likewise) and
  :class:`~randcheck.io.DirectoryWarning` are the reference's: a workbook, a sheet, an
  encoding to detect (``auto``) or one that does not write ASCII as ASCII (``utf-16``), a
  tab-separated file;
* what the reference warns about — a district written otherwise than the profile writes it
  (``天津市和平区``, ``120101``), a code registered in another district than its row's —
  the stream finds while reading (a place's district cell when its representative is built,
  which is already the profile's name; the codes' area characters a batch at a time, by
  columns). At the end of the file it reads the file again, as the error pass does, for
  the lines of those rows (:class:`_Notices`: only each row's code and district cell), and
  says the reference's :class:`~randcheck.io.DirectoryWarning` (its counts, its first five
  lines). When the file turns out to have errors after all (a code given twice, found by
  the caller after the last batch), :func:`read_batches` withdraws those warnings, as the
  reference, which raises its errors first, never says them.

A column map (``columns=``) is read by the reference's own header reader, its warning about
a map entry naming no header of the file said once. A file in another encoding than UTF-8
that writes ASCII as ASCII (``gb18030``) is decoded a chunk at a time; its bytes are watched
as they are read for UTF-8 text (:class:`_Utf8Watch`), and a file that might be UTF-8 text,
or that does not decode, is judged by the reference's own decoder
(:func:`randcheck.io.files._decode`) on the whole file, which raises its error.

Reading: the text is read a chunk at a time. A chunk of whole lines without a quote character,
with one kind of line break and no line over ``csv.field_size_limit()`` is *plain*: there
``csv.reader`` would give each line split at its commas, and the lines are split so, by
C-level passes over the chunk (when the place cells are the last of a row, after the code
and the name, a row's place is the text after a comma: one string per row, not one per cell).
From the first chunk that is not plain on, the rest of the file is read by ``csv.reader``.
Either way a batch is given after every :data:`_BATCH` records and the rows are checked in the
same order, so that a file's first problem, and so what is reported, does not depend on the
route.

The pass that reads a file again for its errors reads plain chunks so too, and the text after
them by ``csv.reader`` only up to the end of the chunk that is not plain (and of the record
that runs on from it): then plain chunks again.

Memory: the representatives, the place-cell cache and a chunk of text at a time; the pass
that reports errors also keeps the codes seen, with their lines, as the reference does; the
pass for the warnings, each district cell once and five lines of each kind. A file in another
encoding than UTF-8 that has errors, or that might be UTF-8 text, is decoded whole once by the
reference's decoder, for its judgement.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import os
import warnings
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from functools import cache
from itertools import chain, islice, repeat
from operator import itemgetter
from typing import Any, NoReturn, Protocol, TextIO, TypeAlias, TypeVar

from randcheck import _collector as collector
from randcheck.domain import Enterprise
from randcheck.errors import InputFileError, Location, RandcheckError, ValidationError
from randcheck.ids import uscc_check_character
from randcheck.io.cells import (
    _STRIDE,
    _area_disagrees,
    _canonical_uscc,
    _class_parser,
    _district_parser,
    _parse_uscc,
    _unescape_formula,
)
from randcheck.io.cells import (
    _canonical_usccs as _compact_codes,
)
from randcheck.io.columns import ColumnMap, HeaderIndex, _enterprise_columns, header_index
from randcheck.io.csv_read import (
    DirectoryWarning,
    Extra,
    Sheet,
    _build_enterprise,
    _csv_records,
    _is_xlsx,
    _Notes,
    _read_header,
    _row,
    _rows,
    _Table,
    _warn_notes,
    load_enterprises,
)
from randcheck.io.files import (
    _DAMAGE_WINDOW,
    AUTO,
    PathLike,
    _codec_name,
    _damaged_utf8,
    _decode,
    _detect,
    _not_gb2312,
    _read_bytes,
)
from randcheck.profiles import TIANJIN_HRSS, Profile
from randcheck.profiles.schema import District

__all__ = [
    "ERROR_LIMIT",
    "Batch",
    "BatchSource",
    "EnterpriseStream",
    "ErrorTally",
    "Reread",
    "areas_agree",
    "bounded_errors",
    "bounded_load_error",
    "read_batches",
]

T = TypeVar("T")

ERROR_LIMIT = 1000
"""How many errors of a file are reported in full; the rest are counted by column and kind."""

_PLACE_FIELDS = (
    "district",
    "industry",
    "grade",
    "complaints_12m",
    "abnormal_operations",
    "serious_violation",
    "key_area",
)
_CHUNK = 1 << 20
_TEXT_CHUNK = 1 << 20  # characters of text read at once
_LONG_LINE = 1 << 22  # a line longer is left to csv.reader, not gathered chunk by chunk
_BATCH = 1 << 16

Batch: TypeAlias = list[tuple[Enterprise, str]]
"""Rows of a directory: representatives, each with its rows' codes, each code followed by
``"\\n"``."""


def bounded_errors(
    errors: Iterable[RandcheckError], limit: int = ERROR_LIMIT
) -> tuple[list[RandcheckError], int]:
    """The first ``limit`` of ``errors`` and, if there are more, one error counting the rest.

    Returns ``(listed, total)``: ``listed`` holds at most ``limit + 1`` errors, the last of
    which, when some were left out, says how many of each column and kind (``expected``) were
    not listed; ``total`` is the number of errors in ``errors``.
    """
    tally = ErrorTally(limit)
    tally.extend(errors)
    return tally.errors(), tally.total


class ErrorTally:
    """The errors of a file as they are found: the first ``limit`` kept in full, the rest
    counted by column and kind, so that a file with a million bad rows costs a counter, not a
    million errors. Nothing is dropped: :meth:`errors` ends with one error saying how many of
    each kind were not listed.
    """

    def __init__(self, limit: int = ERROR_LIMIT) -> None:
        self.limit = limit
        self.listed: list[RandcheckError] = []
        self.total = 0
        self._rest: Counter[tuple[str, str]] = Counter()
        self._source: str | None = None

    def add(self, error: RandcheckError) -> None:
        """Keep ``error`` in full, or count it once ``limit`` errors are kept."""
        self.total += 1
        if len(self.listed) < self.limit:
            self.listed.append(error)
            return
        self._rest[(error.field or "(no column)", str(error.expected or error.message))] += 1
        if self._source is None and error.location is not None:
            self._source = error.location.file

    def extend(self, errors: Iterable[RandcheckError]) -> None:
        """:meth:`add` each of ``errors``."""
        for error in errors:
            self.add(error)

    def errors(self, order: Callable[[RandcheckError], Any] | None = None) -> list[RandcheckError]:
        """The errors kept in full (sorted by ``order`` when given), then, if some were only
        counted, the error that counts them."""
        listed = sorted(self.listed, key=order) if order is not None else list(self.listed)
        if self._rest:
            left = self.total - len(self.listed)
            kinds = "; ".join(
                f"{field}: {count:,} × expected {expected}"
                for (field, expected), count in self._rest.most_common()
            )
            listed.append(
                ValidationError(
                    f"另有 {left:,} 个错误未逐一列出 / {left:,} more error(s) not listed one "
                    f"by one, by column and kind: {kinds}",
                    field=None,
                    expected=f"at most {self.limit} errors listed in full",
                    got=left,
                    location=Location(file=self._source) if self._source is not None else None,
                )
            )
        return listed


class Reread(Exception):
    """Raised by a :class:`BatchSource`'s ``batches`` when the file turns out to need the
    reference after batches were given: the consumer starts again from its
    ``reference_batches`` (:func:`read_batches` does). :class:`EnterpriseStream` reads every
    file it starts to the end itself."""


class BatchSource(Protocol):
    """What :func:`read_batches` reads: :class:`EnterpriseStream` or
    :class:`randcheck._columnar.ColumnarEnterprises`."""

    def batches(self) -> Iterator[Batch]: ...

    def reference_batches(self) -> Iterator[Batch]: ...

    def fail(self) -> NoReturn: ...

    def unsaid(self) -> list[Warning]: ...


def read_batches(source: BatchSource, consume: Callable[[Iterator[Batch]], T]) -> T:
    """``consume(source.batches())``; if the source raises :class:`Reread`, what ``consume``
    returns from the reference's batches instead, read from the start.

    The warnings said meanwhile are said as they come, but for those the source withdraws
    (:meth:`EnterpriseStream.unsaid`): the reference says nothing of a file's districts and
    codes when it reports its errors, and a code given twice is found only after the last
    batch. ``consume`` must keep nothing of an interrupted call: it is called again from
    scratch.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            try:
                result = consume(source.batches())
            except Reread:
                result = consume(source.reference_batches())
        except BaseException as exc:  # said after the warnings that came before it
            error: BaseException | None = exc
        else:
            error = None
    withdrawn = source.unsaid()
    _say(w for w in caught if not any(w.message is message for message in withdrawn))
    if error is not None:
        raise error
    return result


def bounded_load_error(exc: InputFileError, limit: int = ERROR_LIMIT) -> InputFileError:
    """``exc`` with its ``errors`` bounded by :func:`bounded_errors` (``exc`` itself when
    they are within ``limit``)."""
    if len(exc.errors) <= limit:
        return exc
    listed, _ = bounded_errors(exc.errors, limit)
    return InputFileError(
        exc.message,
        errors=listed,
        field=exc.field,
        expected=exc.expected,
        got=exc.got,
        location=exc.location,
    )


@cache
def _equal_table(byte: int) -> bytes:
    """The byte table taking ``byte`` to 1 and every other byte to 0."""
    return bytes(int(b == byte) for b in range(256))


def areas_agree(lines: str, district: District) -> bool:
    """Whether no code of ``lines`` (codes in compact form, each followed by ``"\n"``) was
    registered in another division than ``district``'s (:func:`_area_disagrees`, the
    reference's test).

    A code agrees when its characters 3–8 are the district's code with its last ``6 - k``
    digits replaced by zeros, for some ``k`` (``k = 6``: the district's own code; ``120000``,
    registered by the city). By columns, as :func:`~randcheck.io.cells._canonical_usccs`
    checks codes: each character position of all codes is one byte string, turned into one
    bit per code (equal to the district's digit; a zero), and the bits are combined as big
    integers. Anything else (a code whose area is not six digits) is checked code by code.
    """
    data = lines.encode("ascii", "replace")
    count, rest = divmod(len(data), _STRIDE)
    digits = district.code.encode("ascii", "replace")
    if not rest and count and len(digits) == 6 and digits.isdigit():
        columns = [data[2 + j :: _STRIDE] for j in range(6)]
        if all(columns[j] == digits[j : j + 1] * count for j in range(6)):
            return True
        ones = int.from_bytes(b"\x01" * count, "big")
        equal = [
            int.from_bytes(c.translate(_equal_table(digits[j])), "big")
            for j, c in enumerate(columns)
        ]
        zero = [int.from_bytes(c.translate(_equal_table(ord("0"))), "big") for c in columns]
        zeros_from = [ones] * 7
        for j in range(5, -1, -1):
            zeros_from[j] = zero[j] & zeros_from[j + 1]
        agree = 0
        prefix = ones
        for k in range(7):
            agree |= prefix & zeros_from[k]
            if k < 6:
                prefix &= equal[k]
        if agree == ones:
            return True
    return not any(_area_disagrees(code, district) for code in set(lines.split("\n")) if code)


def _plain_lines(text: str, *, final: bool) -> tuple[list[str] | None, str]:
    """The whole lines of ``text`` (read from the start of a line) if ``csv.reader`` reads
    each of them as the line split at its commas, else ``None``; and the rest of ``text``, a
    line still to be completed by the text that follows (none if ``final``: the file ends).

    So it does when the lines hold no quote character, each ends with the same line break
    (``"\\r\\n"`` or ``"\\n"``), and none is longer than ``csv.field_size_limit()``; a blank
    line is a record without cells, as ``csv.reader`` gives it. The last line of a file may
    have no line break.
    """
    if '"' in text:
        return None, text
    crlf = "\r" in text
    lines = text.split("\r\n" if crlf else "\n")
    breaks = len(lines) - 1
    rest = "" if final else lines.pop()
    if final and not lines[-1]:
        lines.pop()
    if crlf and (
        text.count("\r") - rest.count("\r") != breaks
        or text.count("\n") - rest.count("\n") != breaks
    ):
        # A line break other than CRLF before the rest: csv.reader splits lines there too.
        return None, text
    if lines and max(map(len, lines)) > csv.field_size_limit():
        return None, text
    return lines, rest


class _RowReader:
    """The rows of a stream's file gathered by place: ``entries`` holds, in the order their
    place first appears, ``[representative, codes]``; ``pending`` counts the records read
    since the last batch was given.

    Rows come as CSV records (:meth:`records`) or as plain lines (:meth:`lines`, from
    :func:`_plain_lines`); either way a batch is given after every :data:`_BATCH` records,
    and a row is checked when, and only when, the record-by-record reading would check it.
    """

    def __init__(self, stream: EnterpriseStream, table: _Table) -> None:
        self.stream = stream
        self.table = table
        positions = table.positions
        self.code_at = positions["uscc"]
        self.name_at = positions["name"]
        self.place_at = [positions[f] for f in _PLACE_FIELDS if f in positions]
        # One column gives its cell, several a tuple: either is a key of the cache.
        self.place_of = itemgetter(*self.place_at)
        # A header with unnamed columns: every row through the reference.
        self.width = -1 if table.unnamed else table.width
        # Where the place cells start, if they are the last cells of a row, after the code's
        # and the name's.
        first_place = min(self.place_at)
        self.tail = (
            first_place
            if sorted(self.place_at) == list(range(first_place, table.width))
            and max(self.code_at, self.name_at) < first_place
            else None
        )
        # The commas of a place key (the text after the ``tail``-th comma) in a row as wide as
        # the header.
        self.commas = -1 if self.tail is None else table.width - 1 - self.tail
        self.cache: dict[object, list[Any]] = {}
        # Place cells joined by commas (plain lines only: no cell holds a comma).
        self.joined: dict[str, list[Any]] = {}
        self.entries: list[list[Any]] = []
        self.pending = 0

    def records(self, records: Iterable[list[str]]) -> Iterator[Batch]:
        """Read CSV records to the end, giving a batch after every :data:`_BATCH`."""
        iterator = iter(records)
        while True:
            wanted = _BATCH - self.pending
            self.pending += self._rows(islice(iterator, wanted))
            if self.pending < _BATCH:
                return
            self.pending = 0
            yield self.stream._flush(self.entries)

    def lines(self, lines: list[str]) -> Iterator[Batch]:
        """Read plain lines, giving a batch after every :data:`_BATCH` records."""
        start = 0
        while start < len(lines):
            take = min(len(lines) - start, _BATCH - self.pending)
            self._plain(lines[start : start + take])
            start += take
            self.pending += take
            if self.pending == _BATCH:
                self.pending = 0
                yield self.stream._flush(self.entries)

    def split(self, lines: list[str]) -> tuple[list[str], list[str]] | None:
        """The code cells and the places of plain ``lines`` when the place cells are the last
        of a row (``tail`` is not ``None``): ``(codes, keys)``, a row's key being the text
        after its ``tail``-th comma; ``None`` if a line has fewer commas or a blank name.

        The number of cells is not checked: a key with another number of commas than
        :attr:`commas` is a row of another width.
        """
        tail = self.tail
        assert tail is not None
        # A few C-level passes over the lines. A list per line kept at once would start the
        # cyclic garbage collector again and again, for nothing to collect.
        with collector.paused():
            parts = list(map(str.split, lines, repeat(","), repeat(tail)))
            try:
                keys = list(map(itemgetter(tail), parts))
            except IndexError:
                return None
            if not all(map(str.strip, map(itemgetter(self.name_at), parts))):
                return None
            codes = list(map(itemgetter(self.code_at), parts))
            del parts
        return codes, keys

    def _plain(self, lines: list[str]) -> None:
        tail = self.tail
        width = self.width
        if tail is None or width < 0:
            self._rows(line.split(",") if line else [] for line in lines)
            return
        split = self.split(lines)
        codes, keys = split if split is not None else ([], None)
        joined = self.joined
        places = dict.fromkeys(keys or ())
        new = [key for key in places if key not in joined]
        if keys is None or any(key.count(",") != self.commas for key in new):
            # A line without a name, or with another number of cells than the header.
            self._rows(line.split(",") if line else [] for line in lines)
            return
        if new:
            # Each new place read by the reference from its first row, in file order: as the
            # record-by-record reading meets them.
            first = dict(zip(reversed(keys), range(len(keys) - 1, -1, -1), strict=True))
            cache = self.cache
            for key in new:
                cells = lines[first[key]].split(",")
                place = self.place_of(cells)
                entry = cache.get(place)
                if entry is None:
                    entry = cache[place] = [self.stream._build(self.table, cells), []]
                    self.entries.append(entry)
                joined[key] = entry
        add = {key: joined[key][1].append for key in places}
        for key, code in zip(keys, codes, strict=True):
            add[key](code)

    def _rows(self, rows: Iterable[list[str]]) -> int:
        """Read rows record by record; their number."""
        stream = self.stream
        table = self.table
        width = self.width
        name_at = self.name_at
        code_at = self.code_at
        place_of = self.place_of
        cache = self.cache
        get = cache.get
        entries = self.entries
        count = 0
        for cells in rows:
            count += 1
            if len(cells) == width and cells[name_at].strip():
                entry = get(place_of(cells))
                if entry is not None:
                    entry[1].append(cells[code_at])
                    continue
                representative = stream._build(table, cells)
                code = cells[code_at]
            else:
                row = _row(table, 0, cells)
                if row is None:
                    continue
                representative = stream._enterprise(row)
                code = representative.uscc
            key = place_of(cells)
            entry = get(key)
            if entry is None:
                entry = cache[key] = [representative, []]
                entries.append(entry)
            entry[1].append(code)
        return count


# A code and a name the reference reads without error, put in a row in place of its own to
# ask whether the reference reads its place cells without error (:meth:`_RowErrors.place`).
_A_CODE = "91120101000000000" + uscc_check_character("91120101000000000")
_A_NAME = "x"
# A run of rows that is not read without error is halved until it is this short; then each
# of its rows is read by the reference.
_FEW = 8
# Rows of a run from which to judge whether a file's rows are mostly bad (:class:`_RowErrors`).
_JUDGE = 256


class _RowErrors:
    """The errors the reference reports for the data rows of a CSV file, found as
    :class:`_RowReader` reads rows.

    A run of rows (plain lines, or CSV records none of whose cells holds a comma, joined by
    commas) that :meth:`_split` splits, whose places the reference reads without error and
    whose codes are in compact form is read by the reference without error, but for a code
    it has read before: its codes are only recorded, each with its line, as the
    reference's ``seen`` records them; a row whose code was recorded before is read by the
    reference. A run that fails is halved, and each half is read so, until a run of
    :data:`_FEW` rows or fewer is read row by row by the reference (``_row``,
    ``_build_enterprise``) with the same ``seen``. Rows are read in file order, so the
    errors are the reference's, in its order.

    Where errors are dense, halving costs more than it finds: after a run of
    :data:`_JUDGE` rows or more of which a quarter or more had errors, a run that fails is
    read row by row at once, until such a run has fewer.
    """

    def __init__(self, stream: EnterpriseStream, table: _Table) -> None:
        self.stream = stream
        self.table = table
        self.reader = _RowReader(stream, table)
        self.seen: dict[str, int] = {}
        self.notes = _Notes(stream.source)
        # Place key -> whether the reference reads the place cells without error.
        self.places: dict[Any, bool] = {}
        # Where the place cells are not the last of a row, or a column has no header: a
        # row's key is its place cells and its unnamed columns' cells (which must be blank):
        # the one cell, or a tuple of them; every other cell the reference reads is the code
        # or the name.
        reader = self.reader
        self.key_at: list[int] | None = None
        if reader.tail is None or table.unnamed:
            self.key_at = [*reader.place_at, *table.unnamed]
            self.key_of = itemgetter(*self.key_at)
        self.dense = False

    def lines(
        self,
        lines: list[str],
        numbers: Sequence[int],
        records: list[list[str]] | None = None,
    ) -> Iterator[RandcheckError]:
        """The errors of ``lines``, the rows starting on the lines ``numbers``, read from
        ``records`` (else split at their commas)."""
        few = len(lines) if self.dense else _FEW
        bad = 0  # rows with errors
        # Runs still to read, the next one last: (start, stop, their codes and keys if split).
        runs: list[tuple[int, int, tuple[list[str], list[str]] | None]] = [(0, len(lines), None)]
        while runs:
            start, stop, split = runs.pop()
            if split is None:
                split = self._split(lines[start:stop])
            if split is not None and self._good(*split):
                yield from self._repeats(split[0], numbers, start, lines, records)
            elif stop - start <= few:
                for i in range(start, stop):
                    errors = self._reference(_cells(lines, records, i), numbers[i])
                    bad += bool(errors)
                    yield from errors
            else:
                half = (start + stop) // 2
                cut = half - start
                if split is None:
                    runs += [(half, stop, None), (start, half, None)]
                else:
                    codes, keys = split
                    runs += [
                        (half, stop, (codes[cut:], keys[cut:])),
                        (start, half, (codes[:cut], keys[:cut])),
                    ]
        if len(lines) >= _JUDGE:
            self.dense = bad * 4 >= len(lines)

    def records(self, records: list[list[str]], numbers: list[int]) -> Iterator[RandcheckError]:
        """The errors of CSV ``records``, starting on the lines ``numbers``."""
        joined = [",".join(cells) for cells in records]
        start = 0
        for i, cells in enumerate(records):
            if joined[i].count(",") != len(cells) - 1:
                # A cell holding a comma, or no cell: not a plain line.
                yield from self.lines(joined[start:i], numbers[start:i], records[start:i])
                yield from self._reference(cells, numbers[i])
                start = i + 1
        yield from self.lines(joined[start:], numbers[start:], records[start:])

    def _split(self, lines: list[str]) -> tuple[list[str], list[Any]] | None:
        """The code cells and place keys of plain ``lines`` (:meth:`_RowReader.split`, or
        each line split at every comma where there is no ``tail``), each new place asked
        about (:meth:`place`); ``None`` if a line has a blank name, or (without ``tail``)
        another number of cells than the header."""
        if self.key_at is None:
            split: tuple[list[str], list[Any]] | None = self.reader.split(lines)
        else:
            split = self._split_cells(lines)
        if split is not None:
            places = self.places
            for key in [key for key in dict.fromkeys(split[1]) if key not in places]:
                places[key] = self.place(key)
        return split

    def _split_cells(self, lines: list[str]) -> tuple[list[str], list[Any]] | None:
        reader = self.reader
        with collector.paused():
            parts = list(map(str.split, lines, repeat(",")))
            if list(map(len, parts)).count(self.table.width) != len(parts):
                return None
            if not all(map(str.strip, map(itemgetter(reader.name_at), parts))):
                return None
            codes = list(map(itemgetter(reader.code_at), parts))
            keys = list(map(self.key_of, parts))
            del parts
        return codes, keys

    def _good(self, codes: list[str], keys: list[Any]) -> bool:
        """Whether the reference reads rows of these codes and keys, split by :meth:`_split`,
        without error (but for a code read before)."""
        if not all(map(self.places.__getitem__, keys)):
            return False
        # One check of the codes together, or code by code for a few.
        if len(codes) > _FEW:
            return _compact_codes("\n".join(codes) + "\n")
        return all(map(_canonical_uscc, codes))

    def place(self, key: Any) -> bool:
        """Whether the reference reads a row whose place cells are ``key`` (the text after the
        ``tail``-th comma; else the cells of :attr:`key_at`) without error, its code and name
        being right.

        The reference's errors of a row are those of its cells one by one (the constructor
        of :class:`~randcheck.domain.Enterprise` checks each field alone): a row as wide as
        the header with a code in compact form, a name that is not blank and such a key has
        none but a repeat.
        """
        reader = self.reader
        if self.key_at is None:
            if key.count(",") != reader.commas:
                return False
            assert reader.tail is not None
            cells = [""] * reader.tail + key.split(",")
        else:
            cells = [""] * self.table.width
            # One position's key is its cell; several positions', a tuple of their cells.
            for at, cell in zip(self.key_at, key if len(self.key_at) > 1 else (key,), strict=True):
                cells[at] = cell
        cells[reader.code_at] = _A_CODE
        cells[reader.name_at] = _A_NAME
        row = _row(self.table, 0, cells)
        return row is not None and self.stream._built(row)[0] is not None

    def _repeats(
        self,
        codes: list[str],
        numbers: Sequence[int],
        start: int,
        lines: list[str],
        records: list[list[str]] | None,
    ) -> Iterator[RandcheckError]:
        """Record ``codes``, of the rows from the ``start``-th on, which the reference reads
        without error but for a repeated code; a row whose code was recorded before is read
        by the reference."""
        seen = self.seen
        stop = start + len(codes)
        first = dict(zip(reversed(codes), reversed(numbers[start:stop]), strict=True))
        if len(first) == len(codes) and seen.keys().isdisjoint(first.keys()):
            seen.update(first)
            return
        for i, code in enumerate(codes, start):
            number = numbers[i]
            if seen.setdefault(code, number) != number:
                yield from self._reference(_cells(lines, records, i), number)

    def _reference(self, cells: list[str], number: int) -> list[RandcheckError]:
        """The errors of a row starting on line ``number``, read by the reference."""
        row = _row(self.table, number, cells)
        if row is None:
            return []
        stream = self.stream
        _build_enterprise(
            row,
            self.seen,
            stream._parse_grade,
            stream.profile,
            stream._parse_district,
            self.notes,
        )
        return row.errors


def _say(said: Iterable[warnings.WarningMessage]) -> None:
    """Say warnings recorded before, as they were given."""
    for warning in said:
        warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)


def _cells(lines: list[str], records: list[list[str]] | None, i: int) -> list[str]:
    """The cells of the ``i``-th row: its record, else its plain line split at its commas."""
    if records is not None:
        return records[i]
    return lines[i].split(",") if lines[i] else []


@cache
def _ascii_compatible(codec: str) -> bool:
    """Whether ``codec`` decodes and encodes the 128 ASCII characters as their bytes, one
    byte each: so the stream finds line breaks, commas and quotes in its text as the
    reference does (UTF-8, GB18030, GBK, Big5, Latin-1; not UTF-16, nor a codec that is not
    a text encoding)."""
    if codec.startswith("utf-8"):
        return True  # utf-8-sig writes a byte-order mark first, and reads one past
    data = bytes(range(128))
    text = data.decode("ascii")
    try:
        return data.decode(codec) == text and text.encode(codec) == data
    except (UnicodeError, LookupError):
        return False


class _Teed(io.RawIOBase):
    """A binary file whose bytes, as they are read, are also given to ``see``."""

    def __init__(self, raw: io.BufferedReader, see: Callable[[bytes], None]) -> None:
        super().__init__()
        self._raw = raw
        self._see = see

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._raw.readinto(buffer)
        self._see(bytes(memoryview(buffer)[:count]))
        return count

    def close(self) -> None:
        self._raw.close()
        super().close()


def _watched(lines: Iterator[str], rare: list[bool]) -> Iterator[str]:
    """``lines``, setting ``rare[0]`` once one holds a character outside GB2312."""
    pattern = _not_gb2312()
    for line in lines:
        if not rare[0] and pattern.search(line) is not None:
            rare[0] = True
        yield line


class _Utf8Watch:
    """Watches the bytes of a file read in an encoding other than UTF-8, from its start, for
    what the reference refuses as UTF-8 text read in another encoding
    (:func:`randcheck.io.files._decode`): bytes that are all UTF-8 holding more than ASCII,
    or that are UTF-8 Chinese with a damaged character where they first fail to be UTF-8 —
    judged by :func:`~randcheck.io.files._damaged_utf8` on the same bytes around that place
    as the reference looks at. Text in another encoding fails to be UTF-8 within its first
    Chinese characters, so the watch ends a chunk or two into the file.
    """

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._offset = 0  # bytes seen
        self._before = b""  # the bytes before those being fed, as far back as judged
        self._window_start = 0
        self._ascii = True
        self._failed_at: int | None = None  # where the bytes first fail to be UTF-8
        self._window = bytearray()
        self._damaged: bool | None = None

    def feed(self, data: bytes) -> None:
        """See the next ``data`` of the file."""
        if self._damaged is not None or not data:
            return
        start = self._offset
        self._offset += len(data)
        if self._failed_at is None:
            self._ascii = self._ascii and data.isascii()
            pending = len(self._decoder.getstate()[0])
            try:
                self._decoder.decode(data)
            except UnicodeDecodeError as exc:
                self._failed_at = start - pending + exc.start
                low = max(0, self._failed_at - _DAMAGE_WINDOW)
                self._window = bytearray((self._before + data)[low - start + len(self._before) :])
                self._window_start = low
            else:
                # A character cut by the chunk's end is a few bytes before it.
                self._before = (self._before + data)[-_DAMAGE_WINDOW - 4 :]
                return
        else:
            self._window += data
        self._judge(final=False)

    def _judge(self, *, final: bool) -> None:
        assert self._failed_at is not None
        if final or self._window_start + len(self._window) >= self._failed_at + _DAMAGE_WINDOW:
            self._damaged = _damaged_utf8(bytes(self._window), self._failed_at - self._window_start)
            self._window = bytearray()

    def suspect(self) -> bool:
        """After the whole file was seen: whether the reference might refuse it as UTF-8."""
        if self._damaged is None and self._failed_at is None:
            try:
                self._decoder.decode(b"", final=True)
            except UnicodeDecodeError as exc:
                self._failed_at = self._offset - len(exc.object) + exc.start
                low = max(0, self._failed_at - _DAMAGE_WINDOW)
                self._window = bytearray(self._before[low - self._offset + len(self._before) :])
                self._window_start = low
            else:
                return not self._ascii
        if self._damaged is None:
            self._judge(final=True)
        return bool(self._damaged)


class _Notices:
    """The notes the reference makes of the rows of a file that it reads without error (but
    for a code given twice), found as :class:`_RowReader` reads rows: the rows whose district
    cell names a district otherwise than the profile writes it, and those whose code's area
    (characters 3–8) disagrees with the row's district (:func:`_area_disagrees`), each kind in
    file order. :meth:`lines` and :meth:`records` give, per run of rows and kind, ``(kind,
    count, first)``: ``kind`` is ``"renamed"`` or ``"areas"``, ``first`` the first five notes
    of the run as :class:`~randcheck.io.csv_read._Notes` holds them.

    A row is read only as far as these need: its code cell (as the reference reads it, in
    compact form) and its district cell; the codes of a district a run at a time, by columns
    (:func:`areas_agree`), and one by one only where they disagree.
    """

    def __init__(self, stream: EnterpriseStream, table: _Table) -> None:
        self.stream = stream
        self.code_at = table.positions["uscc"]
        self.district_at = table.positions["district"]
        self.last = max(self.code_at, self.district_at)
        # District cell -> (as read, the profile's name, whether renamed), asked once.
        self.districts: dict[str, tuple[str, str, bool]] = {}

    def lines(
        self, lines: list[str], numbers: Sequence[int], records: list[list[str]] | None = None
    ) -> Iterator[tuple[str, int, list[tuple[int, str, str]]]]:
        """The notes of plain ``lines`` (or of ``records``), starting on the lines ``numbers``."""
        if records is not None:
            yield from self.records(records, numbers)
            return
        code_at, district_at, last = self.code_at, self.district_at, self.last
        with collector.paused():
            parts = list(map(str.split, lines, repeat(","), repeat(last + 1)))
            try:
                codes = list(map(itemgetter(code_at), parts))
                cells = list(map(itemgetter(district_at), parts))
            except IndexError:
                # A blank line: a row without data, which the reference passes over.
                codes = [p[code_at] if len(p) > last else "" for p in parts]
                cells = [p[district_at] if len(p) > last else "" for p in parts]
            del parts
        yield from self._notes(codes, cells, numbers)

    def records(
        self, records: list[list[str]], numbers: Sequence[int]
    ) -> Iterator[tuple[str, int, list[tuple[int, str, str]]]]:
        """The notes of CSV ``records``, starting on the lines ``numbers``."""
        last = self.last
        codes = [r[self.code_at] if len(r) > last else "" for r in records]
        cells = [r[self.district_at] if len(r) > last else "" for r in records]
        yield from self._notes(codes, cells, numbers)

    def _district(self, cell: str) -> tuple[str, str, bool]:
        """A district cell as the reference reads it (a row of the file has it without
        error): as written, the profile's name, whether it was renamed."""
        written = _unescape_formula(cell.strip())
        parse = self.stream._parse_district
        if parse is None:
            return written, written, False
        found = parse(written)
        return written, found.district.name, not found.exact

    def _notes(
        self, codes: list[str], cells: list[str], numbers: Sequence[int]
    ) -> Iterator[tuple[str, int, list[tuple[int, str, str]]]]:
        districts = self.districts
        for cell in dict.fromkeys(cells):
            if cell not in districts:
                # Only a row without data has a blank district cell.
                districts[cell] = self._district(cell) if cell.strip() else ("", "", False)
        stream = self.stream
        if not _compact_codes("".join(code + "\n" for code in codes)):
            respelled = []
            for i, code in enumerate(codes):
                written = _unescape_formula(code.strip())
                # Only a row without data has a blank code cell.
                if written and (read := stream._code(code)) != written:
                    respelled.append((numbers[i], written, read))
            if respelled:
                yield "respelled", len(respelled), respelled[:5]
        renamed = [i for i, cell in enumerate(cells) if districts[cell][2]]
        if renamed:
            first = [(numbers[i], *districts[cells[i]][:2]) for i in renamed[:5]]
            yield "renamed", len(renamed), first
        by_name: dict[str, list[int]] = {}
        for i, cell in enumerate(cells):
            name = districts[cell][1]
            if name:
                by_name.setdefault(name, []).append(i)
        disagree: list[tuple[int, str, str]] = []
        for name, rows in by_name.items():
            district = stream.profile.district(name)
            if district is None:
                continue
            found = [codes[i] for i in rows]
            joined = "".join(code + "\n" for code in found)
            if not _compact_codes(joined):
                found = [stream._code(code) for code in found]
                joined = "".join(code + "\n" for code in found)
            if not areas_agree(joined, district):
                disagree.extend(
                    (numbers[i], code, name)
                    for i, code in zip(rows, found, strict=True)
                    if _area_disagrees(code, district)
                )
        if disagree:
            disagree.sort()
            yield "areas", len(disagree), disagree[:5]


class _Unusual(Exception):
    """Raised by :meth:`EnterpriseStream._row_errors` on a file it leaves to the reference."""


class EnterpriseStream:
    """The rows of an enterprise directory, read once, as ``(code, representative)``.

    ``representative`` is an :class:`~randcheck.domain.Enterprise` whose district, industry,
    grade, classes and risk flags are those of the row (its code and name are another row's):
    everything of the row that a sampling frame's place depends on. See the module docstring
    for why the stream and :func:`~randcheck.io.load_enterprises` agree.

    Args:
        path: the CSV file or workbook.
        encoding, extra, columns, sheet: as for :func:`~randcheck.io.load_enterprises`.
        profile: whose classes and districts the file holds (default ``cn-tj-hrss``).
        limit: errors reported in full (:func:`bounded_errors`).

    Raises (from iterating, :meth:`read`, or :meth:`fail`):
        InputFileError: as :func:`~randcheck.io.load_enterprises` raises it, the errors
            bounded to ``limit`` in full.
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
        self.path = path
        self.source = os.fspath(path)
        self.encoding = encoding
        self.extra = extra
        self.column_map = columns
        self.sheet = sheet
        self.limit = limit
        self.profile = profile or TIANJIN_HRSS
        scheme = self.profile.grading
        self._columns = _enterprise_columns(scheme)
        self._index: HeaderIndex = header_index("enterprises", self._columns, columns)
        self._parse_grade = _class_parser(scheme)
        self._parse_district = _district_parser(self.profile)
        self.used_reference = False
        # Whether the file holds a district or a code the reference warns about; whether
        # its errors were reported; the warnings said of its districts and codes.
        self._noted = False
        self.failed = False
        self._said_notes: list[Warning] = []

    def __iter__(self) -> Iterator[tuple[str, Enterprise]]:
        """Every row as ``(code, representative)``."""
        for batch in self.read(list):
            for representative, lines in batch:
                for code in lines.split("\n")[:-1]:
                    yield code, representative

    def read(self, consume: Callable[[Iterator[Batch]], T]) -> T:
        """What ``consume`` returns from the file's batches (:func:`read_batches`)."""
        return read_batches(self, consume)

    def needs_reference(self) -> bool:
        """Whether the file is read by :func:`~randcheck.io.load_enterprises` from the start:
        a workbook, a sheet, an encoding that does not write ASCII as ASCII (UTF-16, UTF-32;
        :func:`_ascii_compatible`), a header with tabs and no comma (read as tab-separated), or
        a file that cannot be opened. ``auto`` is first resolved to the encoding the reference
        detects (:func:`randcheck.io.files._detect`, on the whole file), or left to the
        reference when it cannot tell."""
        if self.sheet is not None:
            return True
        if self.encoding == AUTO:
            if _is_xlsx(self.path):
                return True
            try:
                self.encoding = _detect(_read_bytes(self.path), self.source)
            except InputFileError:
                return True
        try:
            codec = _codec_name(self.encoding)
        except InputFileError:
            return True
        if not _ascii_compatible(codec) or _is_xlsx(self.path):
            return True
        try:
            with open(self.path, "rb") as stream:
                header = stream.readline().decode(codec, "replace")
        except OSError:
            return True
        return "\t" in header and "," not in header

    def batches(self) -> Iterator[Batch]:
        """The rows, a batch at a time: each representative with its rows' codes, in file
        order, each followed by ``"\n"``; after the last, the warnings the reference says of
        the file's districts and codes (:meth:`_warn_notes`)."""
        self._noted = False
        self.failed = False
        self._said_notes = []
        if self.needs_reference():
            yield from self.reference_batches()
            return
        watch = None
        stream: TextIO
        try:
            if _codec_name(self.encoding).startswith("utf-8"):
                stream = open(self.path, encoding=self.encoding, newline="")  # noqa: SIM115
            else:
                stream, watch = self._watched()
        except OSError:
            _read_bytes(self.path)
            raise
        with stream:
            # The text layer decodes the file a chunk at a time, not 8 kB at a time.
            with contextlib.suppress(AttributeError):
                setattr(stream, "_CHUNK_SIZE", _TEXT_CHUNK)  # noqa: B010
            try:
                yield from self._fast_batches(stream, watch)
            except (csv.Error, UnicodeDecodeError):
                self.fail()

    def _watched(self) -> tuple[TextIO, _Utf8Watch]:
        """The file as text in an encoding other than UTF-8, its bytes watched as they are
        read for UTF-8 text (:class:`_Utf8Watch`); UTF-16 text is refused at once, as the
        reference refuses it."""
        raw = open(self.path, "rb")  # noqa: SIM115
        if raw.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            raw.close()
            _decode(_read_bytes(self.path), self.encoding, self.source)
            raw = open(self.path, "rb")  # noqa: SIM115
        raw.seek(0)
        watch = _Utf8Watch()
        buffered = io.BufferedReader(_Teed(raw, watch.feed), buffer_size=_CHUNK)
        return io.TextIOWrapper(buffered, encoding=self.encoding, newline=""), watch

    def reference_batches(self) -> Iterator[Batch]:
        """The rows as :func:`~randcheck.io.load_enterprises` reads them, with all the options
        (its warnings said, its errors bounded), in one batch, one representative per place."""
        self.used_reference = True
        try:
            enterprises = load_enterprises(
                self.path,
                encoding=self.encoding,
                extra=self.extra,
                profile=self.profile,
                columns=self.column_map,
                sheet=self.sheet,
            )
        except InputFileError as exc:
            raise bounded_load_error(exc, self.limit) from None
        places: dict[object, tuple[Enterprise, list[str]]] = {}
        for enterprise in enterprises:
            key = (
                enterprise.district,
                enterprise.industry,
                enterprise.grade,
                enterprise.classes,
                enterprise.risk,
            )
            entry = places.get(key)
            if entry is None:
                entry = places[key] = (enterprise, [])
            entry[1].append(enterprise.uscc)
        del enterprises
        yield [
            (representative, "\n".join(codes) + "\n") for representative, codes in places.values()
        ]

    def _fast_batches(self, stream: TextIO, watch: _Utf8Watch | None = None) -> Iterator[Batch]:
        reader = csv.reader(stream, strict=True)
        header_errors: list[RandcheckError] = []
        first = next(reader, None)
        table = None
        said: list[warnings.WarningMessage] = []
        if first is not None:
            table, said = self._header(first, header_errors)
        if table is not None and not header_errors and reader.line_num != 1:
            # A header cell holding a line break: left to the reference (nothing given yet).
            yield from self.reference_batches()
            return
        _say(said)
        if table is None or header_errors:
            self.fail()
        rows = _RowReader(self, table)
        # Plain text (below) a chunk at a time; from the first chunk that is not plain on,
        # csv.reader over the rest of the file, from the start of that chunk.
        carry = ""
        # In another encoding than UTF-8, a character outside GB2312 may be UTF-8 text pasted
        # into the file (:func:`randcheck.io.files._refuse_utf8_cells`).
        rare = [False]
        while True:
            read = stream.read(_TEXT_CHUNK)
            if watch is not None and not rare[0]:
                rare[0] = _not_gb2312().search(read) is not None
            text = carry + read
            lines, carry = _plain_lines(text, final=not read)
            if lines is not None:
                yield from rows.lines(lines)
            if lines is None or len(carry) > _LONG_LINE:
                start = text if lines is None else carry
                rest: Iterator[str] = chain(
                    io.StringIO(start + stream.readline(), newline=""), stream
                )
                if watch is not None:
                    rest = _watched(rest, rare)
                yield from rows.records(csv.reader(rest, strict=True))
                break
            if not read:
                break
        if watch is not None and (watch.suspect() or rare[0]):
            # Perhaps UTF-8 text read in another encoding: the reference's judgement, on the
            # whole file, raises its error if so.
            _decode(_read_bytes(self.path), self.encoding, self.source)
        if rows.pending:
            yield self._flush(rows.entries)
        if self._noted:
            self._warn_notes()

    def _header(
        self, first: list[str], errors: list[RandcheckError]
    ) -> tuple[_Table | None, list[warnings.WarningMessage]]:
        """The reference's reading of the header ``first`` (its errors appended to
        ``errors``), and the warnings it gives (a column-map entry naming no header of the
        file), not yet said: a file read again for its errors says them once."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            table = _read_header(first, self._columns, self.source, self.extra, errors, self._index)
        return table, caught

    def _flush(self, entries: list[list[Any]]) -> Batch:
        batch: Batch = []
        for entry in entries:
            codes: list[str] = entry[1]
            if codes:
                codes.append("")
                batch.append((entry[0], "\n".join(codes)))
                entry[1] = []
        # One check for the whole batch; code by code only if it fails.
        if not _compact_codes("".join(lines for _, lines in batch)):
            batch = [
                # Split at the line breaks only: a blank code is a row too, and an error.
                (
                    representative,
                    "".join(self._code(code) + "\n" for code in lines.split("\n")[:-1]),
                )
                for representative, lines in batch
            ]
        # The codes of each district at once: a code disagrees with its district or not,
        # whichever place of the district its row has.
        by_district: dict[str, list[str]] = {}
        for representative, lines in batch:
            by_district.setdefault(representative.district, []).append(lines)
        for name, parts in by_district.items():
            district = self.profile.district(name)
            if district is not None and not areas_agree("".join(parts), district):
                self._noted = True
        return batch

    def _code(self, cell: str) -> str:
        """The code of a row on the fast route whose cell is not a code in compact form:
        what the reference reads (else its errors are raised)."""
        if _canonical_uscc(cell):
            return cell
        text = _unescape_formula(cell.strip())
        if not text:
            self.fail()
        try:
            code = _parse_uscc(text)
        except ValidationError:
            self.fail()
        if code != text:
            # Read in compact form, which the reference says (:meth:`_warn_notes`).
            self._noted = True
        return code

    def _build(self, table: _Table, cells: list[str]) -> Enterprise:
        """The enterprise of a row, read by the reference (else its errors are raised)."""
        row = _row(table, 0, cells)
        if row is None:
            self.fail()
        return self._enterprise(row)

    def _enterprise(self, row: Any) -> Enterprise:
        """The row's enterprise as the reference builds it; its errors are raised, and a
        district the reference would warn about noted (:meth:`_warn_notes`)."""
        enterprise, notes = self._built(row)
        if enterprise is None:
            self.fail()
        if notes.renamed:
            self._noted = True
        return enterprise

    def _built(self, row: Any) -> tuple[Enterprise | None, _Notes]:
        """The row's enterprise as the reference builds it (``None`` if the row has errors,
        which are in ``row.errors``), as the only row of a file; and what it notes."""
        notes = _Notes(self.source)
        enterprise = _build_enterprise(
            row, {}, self._parse_grade, self.profile, self._parse_district, notes
        )
        return (None if row.errors else enterprise), notes

    def _check_decoding(self) -> None:
        """Raise the reference's error if the file is not text in the encoding."""
        codec = _codec_name(self.encoding)
        try:
            with open(self.path, "rb") as stream:
                head = stream.read(2)
                if head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) or not codec.startswith(
                    "utf-8"
                ):
                    _decode(_read_bytes(self.path), self.encoding, self.source)
                    return
                stream.seek(0)
                decoder = codecs.getincrementaldecoder(codec)()
                while chunk := stream.read(_CHUNK):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            _decode(_read_bytes(self.path), self.encoding, self.source)
        except OSError:
            _read_bytes(self.path)

    def fail(self) -> NoReturn:
        """Read the file again for the errors the reference reports, and raise them (bounded).

        Called on the first problem the stream meets, and by the caller when a code appears
        twice. The rows are read as the module docstring says (:meth:`_row_errors`), or by
        the reference as a whole (:meth:`_reference_errors`). Raises
        :class:`~randcheck.errors.ValidationError` only if the reference finds nothing wrong,
        which would be a fault of the stream.
        """
        self.failed = True
        if self.needs_reference():
            for _ in self.reference_batches():
                pass
            total = 0
        else:
            self._check_decoding()
            try:
                listed, total = bounded_errors(self._row_errors(), self.limit)
            except _Unusual:
                listed, total = bounded_errors(self._reference_errors(), self.limit)
        if not total:
            raise ValidationError(
                f"{self.source}: the streamed reading of the directory found a problem "
                "that the reference reading does not",
                expected="the same reading",
                got=None,
            )
        raise InputFileError(
            f"无法读取企业名录 / cannot load enterprises from {self.source}: {total} error(s)",
            errors=listed,
            location=Location(file=self.source),
        )

    def unsaid(self) -> list[Warning]:
        """The warnings said while the file was read that the reference would not have said:
        those of its districts and codes, when its errors were reported after them (a code
        given twice, found by the caller after the last batch)."""
        return list(self._said_notes) if self.failed else []

    def _warn_notes(self) -> None:
        """Say the reference's warnings of the districts written otherwise than the profile
        writes them and of the codes registered in another district than their row's,
        found by reading the file again (:class:`_Notices`)."""
        notices = self._reread(lambda table: _Notices(self, table), header_errors=False)
        shown: dict[str, list[tuple[int, str, str]]] = {"renamed": [], "areas": [], "respelled": []}
        counts = Counter[str]()
        for kind, count, first in notices:
            counts[kind] += count
            shown[kind].extend(first[: 5 - len(shown[kind])])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            _warn_notes(
                self.source,
                self.profile,
                shown["renamed"],
                counts["renamed"],
                shown["areas"],
                counts["areas"],
                shown["respelled"],
                counts["respelled"],
            )
        self._said_notes = [w.message for w in caught if isinstance(w.message, Warning)]
        _say(caught)

    def _row_errors(self) -> Iterator[RandcheckError]:
        """Every error the reference reports for a CSV file that decodes, in its order, found
        as the stream reads the file (:class:`_RowErrors`).

        Raises :class:`_Unusual` on a file left to :meth:`_reference_errors`: a header that
        is not read (or holds a line break), malformed CSV.
        """
        return self._reread(lambda table: _RowErrors(self, table), header_errors=True)

    def _reread(self, make: Callable[[_Table], Any], *, header_errors: bool) -> Iterator[Any]:
        """What ``make(table)``'s ``lines`` and ``records`` give of the rows of the file, read
        again as the stream reads it, each run of rows with the lines they start on (and
        before them the header's errors, if ``header_errors``).

        Raises :class:`_Unusual` on a file whose header is not read (or holds a line break),
        or that holds malformed CSV.
        """
        with open(self.path, encoding=self.encoding, newline="") as stream:
            with contextlib.suppress(AttributeError):
                setattr(stream, "_CHUNK_SIZE", _TEXT_CHUNK)  # noqa: B010
            reader = csv.reader(stream, strict=True)
            try:
                first = next(reader, None)
            except (csv.Error, UnicodeDecodeError):
                raise _Unusual from None
            errors: list[RandcheckError] = []
            table = None
            if first is not None:
                table, _ = self._header(first, errors)
            if table is None or reader.line_num != 1:
                raise _Unusual
            rows = make(table)
            if header_errors:
                # An unknown column: the header's errors come before the rows'.
                yield from errors
            line = 2  # the line the next row starts on
            carry = ""
            while True:
                read = stream.read(_TEXT_CHUNK)
                text = carry + read
                lines, carry = _plain_lines(text, final=not read)
                if lines is not None:
                    yield from rows.lines(lines, range(line, line + len(lines)))
                    line += len(lines)
                if lines is None or len(carry) > _LONG_LINE:
                    # This text by csv.reader, up to the end of the record open at its end;
                    # then plain text again.
                    line = yield from self._record_errors(
                        rows, text if lines is None else carry, stream, line
                    )
                    carry = ""
                elif not read:
                    return

    def _record_errors(
        self, rows: Any, text: str, stream: TextIO, line: int
    ) -> Generator[Any, None, int]:
        """The errors of the records of ``text`` (which starts a line on line ``line``) and
        of the lines of ``stream`` that the last of them runs on to, read by ``csv.reader``;
        returns the line after them."""
        buffer = io.StringIO(text + stream.readline(), newline="")
        end = len(buffer.getvalue())
        reader = csv.reader(chain(buffer, iter(stream.readline, "")), strict=True)
        records: list[list[str]] = []
        numbers: list[int] = []
        previous = 0  # lines read before the record
        try:
            for cells in reader:
                records.append(cells)
                numbers.append(line + previous)
                previous = reader.line_num
                if buffer.tell() == end:
                    break
        except (csv.Error, UnicodeDecodeError):
            raise _Unusual from None
        yield from rows.records(records, numbers)
        return line + reader.line_num

    def _reference_errors(self) -> Iterator[RandcheckError]:
        """Every error the reference reports for a CSV file that decodes, in its order."""
        file_errors: list[RandcheckError] = []
        seen: dict[str, int] = {}
        notes = _Notes(self.source)
        reported = 0
        with open(self.path, encoding=self.encoding, newline="") as stream:
            records = _csv_records(stream, self.source, file_errors)
            rows = _rows(records, self._columns, self.source, self.extra, file_errors, self._index)
            # The header's warnings were said when the file was first read.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DirectoryWarning)
                first = next(rows, None)
            for row in () if first is None else chain((first,), rows):
                yield from file_errors[reported:]
                reported = len(file_errors)
                _build_enterprise(
                    row, seen, self._parse_grade, self.profile, self._parse_district, notes
                )
                yield from row.errors
        yield from file_errors[reported:]
