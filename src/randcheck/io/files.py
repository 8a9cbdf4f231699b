"""Files and encodings: reading a file's bytes, decoding them, writing a file atomically.

Text is decoded in the encoding asked for (``"utf-8-sig"``, UTF-8 with or without a byte-order
mark, or ``"gb18030"``). Bytes that are not valid in it are reported with their byte offset and
line, suggesting the other encoding; UTF-16 text, and UTF-8 Chinese text read as GB18030 (which
would not fail but turn into nonsense), are named as such. Files are written next to their target
and renamed into place, so that a failed write never leaves half a file behind.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import IO, NoReturn, TypeAlias

from randcheck.errors import InputFileError, Location, ValidationError

__all__ = ["PathLike"]

PathLike: TypeAlias = str | os.PathLike[str]
"""A file name: a string or a :class:`pathlib.Path`."""

# --- reading and decoding ----------------------------------------------------------------------


def _codec_name(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise InputFileError(
            f"未知编码 / unknown encoding {encoding!r}",
            field="encoding",
            expected="a Python codec name such as 'utf-8-sig' or 'gb18030'",
            got=encoding,
        ) from None


def _line_of(data: bytes, offset: int) -> int:
    prefix = data[:offset]
    return prefix.count(b"\n") + prefix.count(b"\r") - prefix.count(b"\r\n") + 1


def _other_encoding(codec: str) -> str:
    return "gb18030" if codec.startswith("utf") else "utf-8-sig"


def _flag(encoding: str) -> str:
    """How to ask for ``encoding``: the command-line option and the keyword argument."""
    return f"--encoding {encoding} (from Python: encoding={encoding!r})"


def _decode_error(
    exc: UnicodeDecodeError,
    source: str,
    line: int,
    offset: int | None,
    hint: str | None = None,
) -> ValidationError:
    codec = _codec_name(exc.encoding)
    bad = exc.object[exc.start : exc.end]
    at = f"byte {offset}, line {line}" if offset is not None else f"line {line}"
    if hint is None:
        other = _other_encoding(codec)
        hint = f"if the file was saved in another encoding, try {_flag(other)}"
    return ValidationError(
        f"文件编码错误 / {source} is not valid {codec} at {at} (bytes {bad.hex(' ')}); {hint}",
        field="encoding",
        expected=f"text in {codec}",
        got=bytes(bad),
        location=Location(file=source, line=line),
    )


def _raise_one(error: ValidationError, source: str) -> NoReturn:
    raise InputFileError(
        error.message,
        errors=[error],
        field=error.field,
        expected=error.expected,
        got=error.got,
        location=Location(file=source, line=error.location.line if error.location else None),
    )


def _decode(data: bytes, encoding: str, source: str) -> str:
    codec = _codec_name(encoding)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not codec.startswith(
        "utf-16"
    ):
        _raise_one(
            ValidationError(
                f"文件编码错误 / {source} is UTF-16 text; save it as CSV UTF-8 "
                "(from Python, encoding='utf-16' also reads it)",
                field="encoding",
                expected=f"text in {codec}",
                got="utf-16",
                location=Location(file=source, line=1),
            ),
            source,
        )
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        _raise_one(_decode_error(exc, source, _line_of(data, exc.start), exc.start), source)
    if not codec.startswith("utf") and _looks_like_utf8_chinese(data):
        # GB18030 maps almost every byte sequence to some character, so UTF-8 read as
        # GB18030 rarely fails; it turns into nonsense instead. GB18030 text that is also
        # valid UTF-8 holding Chinese characters practically does not occur.
        _raise_one(
            ValidationError(
                f"文件编码错误 / {source} is UTF-8 text, not {codec}; reading it as {codec} "
                f"would garble it: use {_flag('utf-8-sig')}",
                field="encoding",
                expected=f"text in {codec}",
                got="utf-8",
                location=Location(file=source, line=1),
            ),
            source,
        )
    return text


_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


def _looks_like_utf8_chinese(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return text.startswith("\ufeff") or _CJK.search(text) is not None


def _read_bytes(path: PathLike) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputFileError(
            f"无法打开文件 / cannot open {os.fspath(path)}: {exc.strerror or exc}",
            location=Location(file=os.fspath(path)),
        ) from exc


# --- writing -----------------------------------------------------------------------------------


def _atomic_write(path: PathLike, write: Callable[[IO[str]], None], encoding: str) -> None:
    # Write next to the target and rename, so a failure never leaves half a file behind. The
    # temporary file is created with mode 0666 less the umask, as open() would create the
    # target: mkstemp's 0600 would make every published file unreadable to other users.
    target = Path(path)
    handle, temporary = _create_beside(target)
    try:
        with os.fdopen(handle, "w", encoding=encoding, newline="") as stream:
            write(stream)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def _create_beside(target: Path) -> tuple[int, Path]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        temporary = target.parent / f".{target.name}.{os.urandom(6).hex()}"
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue
