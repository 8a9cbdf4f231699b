"""JSON documents: ``{"schema": 1, "kind": ..., "data": ...}`` written in canonical form
(:mod:`randcheck.canonical`) and read back strictly.

Parsing refuses what canonical JSON never holds — a key repeated within one object, ``NaN`` and
``Infinity`` — and every problem is reported with its line or JSON path. The same strict parsing
reads each line of a JSON Lines file (:mod:`randcheck.io.jsonl`).
"""

from __future__ import annotations

import codecs
import json
import json.decoder
import json.scanner
import os
import re
from typing import Any, Final, TypeVar

from randcheck.canonical import canonical_json, from_document, to_document
from randcheck.errors import InputFileError, Location, ValidationError
from randcheck.io.files import (
    PathLike,
    _atomic_write_bytes,
    _decode_error,
    _line_of,
    _read_bytes,
)

__all__ = ["load_json", "read_json", "save_json"]

T = TypeVar("T")


class _DuplicateKey(ValueError):
    pass


class _HugeInteger(ValueError):
    pass


# Python refuses to convert longer digit strings (CVE-2020-10735); no randcheck value comes
# near it, and saying so beats the interpreter's advice to raise the limit.
_MAX_DIGITS = 4300


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _parse_int(text: str) -> int:
    if len(text) - text.startswith("-") > _MAX_DIGITS:
        raise _HugeInteger(f"an integer of {len(text.lstrip('-')):,} digits")
    return int(text)


# One decoder for every text: ``json.loads`` with hooks builds a new one on each call, which
# costs more than decoding a short JSON Lines line.
_STRICT_DECODER: Final = json.JSONDecoder(
    object_pairs_hook=_object_without_duplicates,
    parse_constant=_reject_constant,
    parse_int=_parse_int,
)

try:
    import orjson as _orjson
except ImportError:  # without the ``fast`` extra every text takes the strict parser
    _orjson = None  # type: ignore[assignment]

NOT_COMPACT: Final = object()
"""What :func:`compact_json_value` returns for a text it leaves to the strict parser."""


def compact_json_value(data: bytes) -> Any:
    """The value of ``data`` if it is compact JSON that orjson writes back byte for byte,
    else :data:`NOT_COMPACT`.

    With the ``fast`` extra (orjson) installed this decodes canonical records in C. The
    round trip is what makes it as strict as :func:`_parse_json_text`: a repeated key would
    be lost and a ``NaN``, an integer of more than 64 bits, an escape or white space between
    tokens written otherwise, so any such text is refused here and read by the strict parser,
    which reports it. A text that survives the round trip has the value ``json.loads`` gives.
    ``data`` is UTF-8 without a byte-order mark and without surrounding white space.
    """
    if _orjson is None:
        return NOT_COMPACT
    try:
        value = _orjson.loads(data)
    except _orjson.JSONDecodeError:
        return NOT_COMPACT
    try:
        written = _orjson.dumps(value)
    except TypeError:  # orjson reads some integers it does not write
        return NOT_COMPACT
    return value if written == data else NOT_COMPACT


_JSON_WHITE_SPACE: Final = " \t\n\r"  # RFC 8259 § 2: ws


def refuse_empty_json(text: str, source: str, line: int = 1) -> None:
    """Refuse a JSON text that holds no value: nothing at all, or only white space.

    The parser's own "Expecting value (line 1, column 1)" reads as a broken value; an empty
    file is usually a save or a download that did not finish, and is said to be one.

    Raises:
        InputFileError: ``text`` is empty or only white space, naming ``source`` and
            ``line`` (where the text starts).
    """
    if text.strip(_JSON_WHITE_SPACE):
        return
    got = (
        "0 bytes"
        if not text
        else f"only white space, {len(text)} character{'s' if len(text) != 1 else ''}"
    )
    raise _json_error(
        f"文件为空 / the file is empty ({got}): no JSON value in it",
        "a JSON document",
        got,
        source,
        line,
    )


def _parse_json_text(text: str, source: str, first_line: int = 1) -> Any:
    refuse_empty_json(text, source, first_line)
    # The parser's hooks do not know where they were called: a one-line text (a JSON Lines
    # line, a canonical document) gives the line at once; otherwise the text is read again,
    # slowly but only on this error path, by a parser that keeps track of where it is.
    one_line = first_line if "\n" not in text.strip() else None
    try:
        if text.startswith("\ufeff"):
            # As json.loads: a BOM inside the text means it was decoded as something else.
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        value = _STRICT_DECODER.decode(text)
        if "\\ud" in text or "\\uD" in text:
            _refuse_lone_surrogates(value, text)
        return value
    except _LoneSurrogate as exc:
        raise _json_error(
            f"JSON 格式错误 / {exc.args[0]!r} escapes half of a character (a lone UTF-16 "
            "surrogate), which no UTF-8 text can hold",
            "text that is UTF-8 (RFC 8259 § 8.2)",
            exc.args[0],
            source,
            one_line or first_line + text.count("\n", 0, exc.args[1]),
        ) from None
    except json.JSONDecodeError as exc:
        line = first_line + exc.lineno - 1
        raise _json_error(
            f"JSON 格式错误 / malformed JSON: {exc.msg} (line {line}, column {exc.colno})",
            "well-formed JSON",
            exc.doc[exc.pos : exc.pos + 20],
            source,
            line,
        ) from exc
    except RecursionError:
        line = _deepest_line(text, first_line)
        raise _json_error(
            f"JSON 格式错误 / arrays or objects nested too deeply (at line {line})",
            "JSON nested at most a few hundred levels deep",
            "deeper nesting",
            source,
            line,
        ) from None
    except _DuplicateKey as exc:
        where, path = _problem_at(text, first_line)
        raise _json_error(
            f"JSON 格式错误 / key {exc.args[0]!r} appears twice in one object",
            "unique keys in every object",
            exc.args[0],
            source,
            one_line or where,
            path,
        ) from exc
    except _HugeInteger as exc:
        where, path = _problem_at(text, first_line)
        raise _json_error(
            f"JSON 格式错误 / {exc.args[0]} is too large",
            f"an integer of at most {_MAX_DIGITS} digits",
            exc.args[0],
            source,
            one_line or where,
            path,
        ) from exc
    except ValueError as exc:
        where, path = _problem_at(text, first_line)
        raise _json_error(
            f"JSON 格式错误 / {exc}",
            "finite numbers only",
            str(exc),
            source,
            one_line or where,
            path,
        ) from exc


class _LoneSurrogate(ValueError):
    pass


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _refuse_lone_surrogates(value: Any, text: str) -> None:
    """Raise :class:`_LoneSurrogate` (the escape and its offset in ``text``) if a string of
    ``value`` holds half of a surrogate pair: it could be neither written as UTF-8 nor hashed."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        pass
    else:
        return
    escapes = list(_SURROGATE_ESCAPE.finditer(text))
    k = 0
    while k < len(escapes):
        escape = escapes[k]
        after = escapes[k + 1] if k + 1 < len(escapes) else None
        if (
            escape.group()[3] in "89abAB"
            and after is not None
            and after.start() == escape.end()
            and after.group()[3] in "cdefCDEF"
        ):
            k += 2  # a high and a low half: one character
            continue
        raise _LoneSurrogate(escape.group(), escape.start())
    raise _LoneSurrogate(text, 0)


_NESTING = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}\n]')


def _deepest_line(text: str, first_line: int) -> int:
    """The line on which the nesting of ``text`` first reaches its greatest depth."""
    depth = deepest = 0
    line = best = first_line
    for token in _NESTING.finditer(text):
        mark = token.group()
        if mark == "\n":
            line += 1
        elif mark in "[{":
            depth += 1
            if depth > deepest:
                deepest, best = depth, line
        elif mark in "]}":
            depth -= 1
        else:
            line += mark.count("\n")
    return best


class _Tracking(json.JSONDecoder):
    """A pure-Python parser that remembers where the value it is reading starts."""

    def __init__(self) -> None:
        super().__init__(
            object_pairs_hook=self._pairs, parse_constant=_reject_constant, parse_int=_parse_int
        )
        self.position = 0
        # Where the objects being read start; a repeated key's object is the innermost.
        self.objects: list[int] = []
        self.repeated: tuple[int, str] | None = None
        self.parse_object = self._object
        self.parse_array = self._array
        self.scan_once = json.scanner.py_make_scanner(self)  # type: ignore[attr-defined]

    def _tracked(self, scan_once: Any) -> Any:
        def scan(string: str, index: int) -> Any:
            self.position = index
            return scan_once(string, index)

        return scan

    def _object(self, s_and_end: tuple[str, int], strict: bool, scan_once: Any, *rest: Any) -> Any:
        self.position = s_and_end[1]
        self.objects.append(s_and_end[1])
        value = json.decoder.JSONObject(  # type: ignore[attr-defined]
            s_and_end, strict, self._tracked(scan_once), *rest
        )
        self.objects.pop()
        return value

    def _array(self, s_and_end: tuple[str, int], scan_once: Any) -> Any:
        self.position = s_and_end[1]
        return json.decoder.JSONArray(s_and_end, self._tracked(scan_once))  # type: ignore[attr-defined]

    def _pairs(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                self.repeated = (self.objects[-1], key)
                raise _DuplicateKey(key)
            seen.add(key)
        return dict(pairs)


def _problem_at(text: str, first_line: int) -> tuple[int | None, str | None]:
    """The line of the value a parser hook refused (a repeated key: the key's second
    occurrence) and its JSON path (a repeated key: the path of the key in its object)."""
    tracking = _Tracking()
    try:
        tracking.decode(text)
    except (ValueError, RecursionError):
        if tracking.repeated is not None:
            start, key = tracking.repeated
            at = _second_key(text, start, key)
            return first_line + text.count("\n", 0, at), _json_path(text, start) + _member(key)
        line = first_line + text.count("\n", 0, tracking.position)
        return line, _json_path(text, tracking.position)
    return None, None


def _second_key(text: str, start: int, key: str) -> int:
    """Where ``key`` is written the second time among the keys of the object whose members
    begin at ``start``."""
    depth = 0
    expecting_key = True
    seen = 0
    for token in _TOKENS.finditer(text, start):
        mark = token.group()
        if mark in "[{":
            depth += 1
        elif mark in "]}":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and mark == ",":
            expecting_key = True
        elif depth == 0 and mark == ":":
            expecting_key = False
        elif depth == 0 and expecting_key and json.loads(mark) == key:
            seen += 1
            if seen == 2:
                return token.start()
    return start


_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},:]')
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _member(key: str) -> str:
    """A key as a step of a JSON path: ``.key`` for an ASCII name, else ``["key"]``."""
    return f".{key}" if _NAME.fullmatch(key) else f"[{json.dumps(key, ensure_ascii=False)}]"


def _json_path(text: str, offset: int) -> str:
    """The JSON path (``$.a.b[1]``) of the value at ``offset`` of ``text``, a text the parser
    read without a syntax error up to there."""
    # Each open container: [key, None] for an object, [None, index] for an array.
    steps: list[list[Any]] = []
    expecting_key = False
    for token in _TOKENS.finditer(text, 0, offset):
        mark = token.group()
        if mark == "{":
            steps.append([None, None])
            expecting_key = True
        elif mark == "[":
            steps.append([None, 0])
        elif mark in "]}":
            steps.pop()
            expecting_key = False
        elif mark == ",":
            if steps and steps[-1][1] is not None:
                steps[-1][1] += 1
            else:
                expecting_key = True
        elif mark == ":":
            expecting_key = False
        elif expecting_key and steps:
            steps[-1][0] = json.loads(mark)
    return "$" + "".join(
        f"[{index}]" if index is not None else ("" if key is None else _member(key))
        for key, index in steps
    )


def _json_error(
    message: str, expected: str, got: Any, source: str, line: int | None, path: str | None = None
) -> Exception:
    location = Location(file=source, line=line)
    if path is not None:
        message = f"{message} @ {path}"
    error = ValidationError(message, field=path, expected=expected, got=got, location=location)
    return InputFileError(
        f"无法读取文件 / cannot read {source}: {message}",
        errors=[error],
        expected=expected,
        got=got,
        location=location,
    )


_JSON_IS_UTF8 = "JSON files are UTF-8 (RFC 8259): save it as UTF-8"


def _decode_json_bytes(data: bytes, source: str) -> str:
    # RFC 8259: JSON exchanged between systems is UTF-8; a BOM is tolerated on reading.
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        error = _decode_error(exc, source, _line_of(data, exc.start), exc.start, _JSON_IS_UTF8)
        raise InputFileError(
            error.message,
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
    _atomic_write_bytes(path, json_document_bytes(kind, value))


def json_document_bytes(kind: str, value: Any) -> bytes:
    """The exact bytes :func:`save_json` writes for ``value`` as a document of ``kind``."""
    return (canonical_json(to_document(kind, value)) + "\n").encode("utf-8")


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
    return from_document(read_json_value(path), kind, cls, source=os.fspath(path))


def read_json_value(path: PathLike) -> Any:
    """The JSON value of the file at ``path``, read as :func:`load_json` reads a document:
    UTF-8 (a byte-order mark skipped), strictly parsed, by orjson when the text is compact
    (:func:`compact_json_value`).

    Raises:
        InputFileError: the file cannot be read, is not UTF-8 or not strict JSON, with its
            line and column.
    """
    source = os.fspath(path)
    data = _read_bytes(path)
    value = compact_json_value(data.removeprefix(codecs.BOM_UTF8).strip())
    if value is not NOT_COMPACT:
        return value
    return _parse_json_text(_decode_json_bytes(data, source), source)
