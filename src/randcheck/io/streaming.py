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
  given twice (found by the caller, see :meth:`EnterpriseStream.fail`) — the whole file is read
  again by the reference, so the errors reported are the reference's, in its order, with its
  lines and columns. Only their number is bounded: the first :data:`ERROR_LIMIT` in full, then
  a count of the rest by column and kind (:func:`bounded_errors`). Nothing is dropped.

Memory: the representatives, the place-cell cache and one CSV row at a time; the reference
pass that reports errors also keeps the codes seen, as the reference does.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import islice
from operator import itemgetter
from typing import Any, NoReturn, TypeAlias

from randcheck.domain import Enterprise
from randcheck.errors import InputFileError, Location, RandcheckError, ValidationError
from randcheck.io.cells import (
    _canonical_uscc,
    _canonical_usccs,
    _class_parser,
    _parse_uscc,
    _unescape_formula,
)
from randcheck.io.columns import _enterprise_columns
from randcheck.io.csv_read import Extra, _build_enterprise, _read_header, _row, _rows, _Table
from randcheck.io.files import PathLike, _codec_name, _decode, _read_bytes
from randcheck.profiles import TIANJIN_HRSS, Profile

__all__ = ["ERROR_LIMIT", "Batch", "EnterpriseStream", "bounded_errors"]

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
    listed: list[RandcheckError] = []
    rest: Counter[tuple[str, str]] = Counter()
    source: str | None = None
    total = 0
    for error in errors:
        total += 1
        if len(listed) < limit:
            listed.append(error)
            continue
        rest[(error.field or "-", str(error.expected or error.message))] += 1
        if source is None and error.location is not None:
            source = error.location.file
    if rest:
        kinds = "; ".join(
            f"{field}: {count:,} × expected {expected}"
            for (field, expected), count in rest.most_common()
        )
        listed.append(
            ValidationError(
                f"另有 {total - limit:,} 个错误未逐一列出 / {total - limit:,} more error(s) not "
                f"listed one by one, by column and kind: {kinds}",
                field=None,
                expected=f"at most {limit} errors listed in full",
                got=total - limit,
                location=Location(file=source) if source is not None else None,
            )
        )
    return listed, total


class EnterpriseStream:
    """The rows of an enterprise CSV file, read once, as ``(code, representative)``.

    ``representative`` is an :class:`~randcheck.domain.Enterprise` whose district, industry,
    grade, classes and risk flags are those of the row (its code and name are another row's):
    everything of the row that a sampling frame's place depends on. See the module docstring
    for why the stream and :func:`~randcheck.io.load_enterprises` agree.

    Args:
        path: the CSV file.
        encoding: as for :func:`~randcheck.io.load_enterprises`.
        extra: ``"error"`` reports unknown columns; ``"ignore"`` skips them.
        profile: whose classes the grade column holds (default ``cn-tj-hrss``).
        limit: errors reported in full (:func:`bounded_errors`).

    Raises (from iterating, or :meth:`fail`):
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
        limit: int = ERROR_LIMIT,
    ) -> None:
        self.path = path
        self.source = os.fspath(path)
        self.encoding = encoding
        self.extra = extra
        self.limit = limit
        scheme = (profile or TIANJIN_HRSS).grading
        self._columns = _enterprise_columns(scheme)
        self._parse_grade = _class_parser(scheme)
        self._unrated = scheme.unrated

    def __iter__(self) -> Iterator[tuple[str, Enterprise]]:
        """Every row as ``(code, representative)``."""
        for batch in self.batches():
            for representative, lines in batch:
                for code in lines.split("\n")[:-1]:
                    yield code, representative

    def batches(self) -> Iterator[Batch]:
        """The rows, a batch at a time: each representative with its rows' codes, in file
        order, each followed by ``"\n"``."""
        codec = _codec_name(self.encoding)
        if not codec.startswith("utf-8"):
            # GB18030 is checked on the whole text (UTF-8 misread as GB18030 does not fail):
            # the reference reads such files.
            yield from self._reference_batches()
            return
        try:
            stream = open(self.path, encoding=self.encoding, newline="")  # noqa: SIM115
        except OSError:
            _read_bytes(self.path)
            raise
        with stream:
            try:
                yield from self._fast_batches(stream)
            except (csv.Error, UnicodeDecodeError):
                self.fail()

    def _fast_batches(self, stream: Iterable[str]) -> Iterator[Batch]:
        reader = csv.reader(stream, strict=True)
        header_errors: list[RandcheckError] = []
        table = _read_header(reader, self._columns, self.source, self.extra, header_errors)
        if table is None or header_errors or reader.line_num != 1:
            self.fail()
        positions = table.positions
        code_at = positions["uscc"]
        name_at = positions["name"]
        # One column gives its cell, several a tuple: either is a key of the cache.
        place_of = itemgetter(*(positions[f] for f in _PLACE_FIELDS if f in positions))
        # A header with unnamed columns: every row through the reference.
        width = -1 if table.unnamed else table.width
        cache: dict[object, list[Any]] = {}
        get = cache.get
        entries: list[list[Any]] = []
        while True:
            # Lazily, a row at a time: a list of rows held at once costs more than it saves.
            before = reader.line_num
            for cells in islice(reader, _BATCH):
                if len(cells) == width and cells[name_at].strip():
                    entry = get(place_of(cells))
                    if entry is not None:
                        entry[1].append(cells[code_at])
                        continue
                    representative = self._build(table, cells)
                    code = cells[code_at]
                else:
                    row = _row(table, 0, cells)
                    if row is None:
                        continue
                    built = _build_enterprise(row, {}, self._parse_grade, self._unrated)
                    if built is None or row.errors:
                        self.fail()
                    representative, code = built, built.uscc
                key = place_of(cells)
                entry = get(key)
                if entry is None:
                    entry = cache[key] = [representative, []]
                    entries.append(entry)
                entry[1].append(code)
            if reader.line_num == before:
                return
            yield self._flush(entries)

    def _flush(self, entries: list[list[Any]]) -> Batch:
        batch: Batch = []
        for entry in entries:
            codes: list[str] = entry[1]
            if codes:
                batch.append((entry[0], "\n".join(codes) + "\n"))
                entry[1] = []
        # One check for the whole batch; code by code only if it fails.
        if not _canonical_usccs("".join(lines for _, lines in batch)):
            batch = [
                (representative, "".join(self._code(code) + "\n" for code in lines.split()))
                for representative, lines in batch
            ]
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
            return _parse_uscc(text)
        except ValidationError:
            self.fail()

    def _build(self, table: _Table, cells: list[str]) -> Enterprise:
        """The enterprise of a row, read by the reference (else its errors are raised)."""
        row = _row(table, 0, cells)
        enterprise = None
        if row is not None:
            enterprise = _build_enterprise(row, {}, self._parse_grade, self._unrated)
        if enterprise is None or row is None or row.errors:
            self.fail()
        return enterprise

    def _reference_batches(self) -> Iterator[Batch]:
        """The rows as the reference reads them (the whole text decoded first)."""
        text = _decode(_read_bytes(self.path), self.encoding, self.source)
        errors: list[RandcheckError] = []
        stream = io.StringIO(text, newline="")
        for row in _rows(stream, self._columns, self.source, self.extra, errors):
            enterprise = _build_enterprise(row, {}, self._parse_grade, self._unrated)
            if enterprise is None or row.errors or errors:
                self.fail()
            yield [(enterprise, enterprise.uscc + "\n")]
        if errors:
            self.fail()

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
        """Read the file again as the reference does and raise its errors (bounded).

        Called on the first problem the stream meets, and by the caller when a code appears
        twice. Raises :class:`~randcheck.errors.ValidationError` only if the reference finds
        nothing wrong, which would be a fault of the stream.
        """
        self._check_decoding()
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

    def _reference_errors(self) -> Iterator[RandcheckError]:
        """Every error the reference reports, in its order."""
        file_errors: list[RandcheckError] = []
        seen: dict[str, int] = {}
        reported = 0
        with open(self.path, encoding=self.encoding, newline="") as stream:
            for row in _rows(stream, self._columns, self.source, self.extra, file_errors):
                yield from file_errors[reported:]
                reported = len(file_errors)
                _build_enterprise(row, seen, self._parse_grade, self._unrated)
                yield from row.errors
        yield from file_errors[reported:]
