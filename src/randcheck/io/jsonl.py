"""JSON Lines: a header line ``{"kind": ..., "schema": 1}`` and then one canonical JSON value per
line, for collections too large to hold as one document.

:func:`read_jsonl_lines` is the one reader of JSON Lines text: :func:`load_jsonl`,
:func:`iter_jsonl` and the ledger (:func:`randcheck.ledger.load_ledger`) read through it, so every
line is decoded and parsed as strictly as a JSON document (:mod:`randcheck.io.json_documents`).
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

import attrs

from randcheck.canonical import (
    SCHEMA_VERSION,
    canonical_json,
    envelope_errors,
    structure,
    unstructure,
)
from randcheck.errors import InputFileError, Location, RandcheckError, ValidationError
from randcheck.io.files import PathLike, _atomic_write, _decode_error
from randcheck.io.json_documents import (
    _JSON_IS_UTF8,
    NOT_COMPACT,
    _parse_json_text,
    compact_json_value,
)

__all__ = ["JsonLine", "iter_jsonl", "load_jsonl", "read_jsonl_lines", "write_jsonl"]

T = TypeVar("T")

_JSONL_KEYS = frozenset({"schema", "kind"})


def write_jsonl(path: PathLike, kind: str, values: Iterable[Any]) -> int:
    """Write a JSON Lines file: a header line, then one canonical JSON value per line.

    The header is ``{"kind": kind, "schema": SCHEMA_VERSION}``. Values are written as they
    come, so ``values`` may be a generator over more records than fit in memory.

    Returns:
        the number of values written.
    """
    count = 0

    def write(stream: IO[str]) -> None:
        nonlocal count
        stream.write(canonical_json({"kind": kind, "schema": SCHEMA_VERSION}) + "\n")
        for value in values:
            stream.write(canonical_json(unstructure(value)) + "\n")
            count += 1

    _atomic_write(path, write, "utf-8")
    return count


def _raw_lines(path: PathLike, source: str) -> Iterator[tuple[int, bytes]]:
    """``(line number, bytes)`` of every line, the first without its byte-order mark."""
    try:
        with Path(path).open("rb") as stream:
            for number, raw in enumerate(stream, start=1):
                if number == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8) :]
                yield number, raw
    except OSError as exc:
        raise InputFileError(
            f"无法读取文件 / cannot read {source}: {exc.strerror or exc}",
            location=Location(file=source),
        ) from exc


@attrs.frozen(kw_only=True)
class JsonLine:
    """One non-blank line of a JSON Lines file: its value, or why it has none.

    ``number`` is the physical line, counted from 1 (blank lines count but are not produced).
    A readable line has its JSON ``value`` and no ``error``. Otherwise ``value`` is ``None``
    and ``error`` is an :class:`~randcheck.errors.InputFileError` whose one error gives the
    file and the line; ``decoded`` tells a line that is not UTF-8 (false) from text that is not
    strict JSON (true: malformed, a key repeated within one object, ``NaN`` or ``Infinity``).
    """

    number: int
    value: Any = None
    error: InputFileError | None = None
    decoded: bool = True


def read_jsonl_lines(path: PathLike) -> Iterator[JsonLine]:
    """Every non-blank line of a JSON Lines file, decoded and parsed, in file order.

    Lines are UTF-8 (RFC 8259; a byte-order mark before the first is skipped) and each is
    parsed as :func:`~randcheck.io.json_documents.load_json` parses a document, refusing a
    key repeated within one object and ``NaN``/``Infinity``. A bad line is produced with its
    error and reading goes on: what a bad line means for the file is the caller's to decide.
    The header line is produced like any other. Memory use stays that of one line.

    Raises:
        InputFileError: the file cannot be opened or read.
    """
    source = os.fspath(path)
    for number, raw in _raw_lines(path, source):
        value = compact_json_value(raw.strip())
        if value is not NOT_COMPACT:
            yield JsonLine(number=number, value=value)
            continue
        try:
            text = raw.decode("utf-8").strip()
        except UnicodeDecodeError as exc:
            bad = _decode_error(exc, source, number, None, _JSON_IS_UTF8)
            error = InputFileError(bad.message, errors=[bad], location=bad.location)
            yield JsonLine(number=number, error=error, decoded=False)
            continue
        if not text:
            continue
        try:
            value = _parse_json_text(text, source, number)
        except InputFileError as exc:
            yield JsonLine(number=number, error=exc)
        else:
            yield JsonLine(number=number, value=value)


def _scan_jsonl(
    path: PathLike, kind: str, cls: type[T], errors: list[RandcheckError] | None
) -> Iterator[T]:
    """Values of a JSON Lines file; with ``errors``, problems are collected, not raised."""
    source = os.fspath(path)
    header_seen = False
    for line in read_jsonl_lines(path):
        number, data = line.number, line.value
        try:
            if line.error is not None:
                raise line.error
            if not header_seen:
                header_seen = True
                location = Location(file=source, line=number)
                problems = envelope_errors(data, kind, keys=_JSONL_KEYS, location=location)
                if problems:
                    raise _BadHeader(
                        f"文件头不符 / {source}: not a randcheck {kind!r} JSON Lines file",
                        errors=problems,
                        location=location,
                    )
                continue
            yield structure(data, cls, source=source, line=number)
        except InputFileError as exc:
            if errors is None:
                raise
            errors.extend(exc.errors)
            # Without a good header the lines cannot be read as anything.
            if not header_seen or isinstance(exc, _BadHeader):
                return
    if not header_seen:
        error = ValidationError(
            "文件为空 / empty JSON Lines file: the first line must be the header",
            expected=f'a header line {{"kind": {kind!r}, "schema": {SCHEMA_VERSION}}}',
            got=None,
            location=Location(file=source, line=1),
        )
        if errors is None:
            raise InputFileError(error.message, errors=[error], location=error.location)
        errors.append(error)


class _BadHeader(InputFileError):
    pass


def _raise_collected(errors: list[RandcheckError], path: PathLike) -> None:
    if errors:
        source = os.fspath(path)
        raise InputFileError(
            f"无法读取文件 / cannot load {source}: {len(errors)} error(s)",
            errors=errors,
            location=Location(file=source),
        )


def load_jsonl(path: PathLike, kind: str, cls: type[T]) -> list[T]:
    """Every value of a JSON Lines file of ``kind``, structured as ``cls``.

    Blank lines are skipped. Every bad line is reported (JSON syntax, or structure with the
    path inside the line, ``... @ $.uscc``), each with its line number.

    Raises:
        InputFileError: with all problems in ``errors``; nothing is returned then.
    """
    errors: list[RandcheckError] = []
    values = list(_scan_jsonl(path, kind, cls, errors))
    _raise_collected(errors, path)
    return values


def iter_jsonl(path: PathLike, kind: str, cls: type[T]) -> Iterator[T]:
    """The values of a JSON Lines file one at a time, for files too large to hold at once.

    The whole file is checked before the first value is produced (every line is parsed and
    structured once, then again while iterating), so a consumer never acts on the first half
    of a file whose second half is broken. Memory use stays that of one line.

    Raises:
        InputFileError: on the first ``next()``, with every problem in ``errors``.
    """
    errors: list[RandcheckError] = []
    for _ in _scan_jsonl(path, kind, cls, errors):
        pass
    _raise_collected(errors, path)
    yield from _scan_jsonl(path, kind, cls, None)
