"""JSON documents: ``{"schema": 1, "kind": ..., "data": ...}`` written in canonical form
(:mod:`randcheck.canonical`) and read back strictly.

Parsing refuses what canonical JSON never holds — a key repeated within one object, ``NaN`` and
``Infinity`` — and every problem is reported with its line or JSON path. The same strict parsing
reads each line of a JSON Lines file (:mod:`randcheck.io.jsonl`).
"""

from __future__ import annotations

import json
import os
from typing import IO, Any, TypeVar

from randcheck.canonical import canonical_json, from_document, to_document
from randcheck.errors import InputFileError, Location, ValidationError
from randcheck.io.files import PathLike, _atomic_write, _decode_error, _line_of, _read_bytes

__all__ = ["load_json", "read_json", "save_json"]

T = TypeVar("T")


class _DuplicateKey(ValueError):
    pass


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _parse_json_text(text: str, source: str, first_line: int = 1) -> Any:
    # The parser's hooks do not know where they were called: only a one-line text (a JSON
    # Lines line, a canonical document) locates a repeated key or a NaN.
    one_line = first_line if "\n" not in text.strip() else None
    try:
        return json.loads(
            text, object_pairs_hook=_object_without_duplicates, parse_constant=_reject_constant
        )
    except json.JSONDecodeError as exc:
        line = first_line + exc.lineno - 1
        raise _json_error(
            f"JSON 格式错误 / malformed JSON: {exc.msg} (line {line}, column {exc.colno})",
            "well-formed JSON",
            exc.doc[exc.pos : exc.pos + 20],
            source,
            line,
        ) from exc
    except _DuplicateKey as exc:
        raise _json_error(
            f"JSON 格式错误 / key {exc.args[0]!r} appears twice in one object",
            "unique keys in every object",
            exc.args[0],
            source,
            one_line,
        ) from exc
    except ValueError as exc:
        raise _json_error(
            f"JSON 格式错误 / {exc}", "finite numbers only", str(exc), source, one_line
        ) from exc


def _json_error(message: str, expected: str, got: Any, source: str, line: int | None) -> Exception:
    location = Location(file=source, line=line)
    error = ValidationError(message, expected=expected, got=got, location=location)
    return InputFileError(
        f"无法读取文件 / cannot read {source}: {message}",
        errors=[error],
        expected=expected,
        got=got,
        location=location,
    )


def _decode_json_bytes(data: bytes, source: str) -> str:
    # RFC 8259: JSON exchanged between systems is UTF-8; a BOM is tolerated on reading.
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        error = _decode_error(exc, source, _line_of(data, exc.start), exc.start)
        raise InputFileError(
            f"文件编码错误 / {source} is not valid UTF-8 (JSON files are UTF-8)",
            errors=[error],
            field="encoding",
            expected="UTF-8",
            got=error.got,
            location=error.location,
        ) from exc


def save_json(path: PathLike, kind: str, value: Any) -> None:
    """Save ``value`` as a canonical JSON document of ``kind`` (UTF-8, one final newline).

    The file holds ``{"data": ..., "kind": kind, "schema": SCHEMA_VERSION}`` in canonical
    form; its bytes without the final newline are ``canonical_bytes`` of that document.
    """
    text = canonical_json(to_document(kind, value)) + "\n"

    def write(stream: IO[str]) -> None:
        stream.write(text)

    _atomic_write(path, write, "utf-8")


def read_json(text: str, kind: str, cls: type[T], *, source: str = "<string>") -> T:
    """A ``cls`` from the text of a JSON document of ``kind``; see :func:`load_json`."""
    document = _parse_json_text(text, source)
    return from_document(document, kind, cls, source=source)


def load_json(path: PathLike, kind: str, cls: type[T]) -> T:
    """Load a JSON document of ``kind`` written by :func:`save_json` as a ``cls``.

    ``cls`` may be a class or a generic alias such as ``list[Enterprise]``.

    Raises:
        InputFileError: the file cannot be opened, is not UTF-8 or not JSON (with line and
            column), has a duplicate key or ``NaN``, has the wrong schema version or kind, or
            its data does not fit ``cls``; ``errors`` lists every problem, each with its JSON
            path (``... @ $.data[3].uscc``).
    """
    source = os.fspath(path)
    return read_json(_decode_json_bytes(_read_bytes(path), source), kind, cls, source=source)
