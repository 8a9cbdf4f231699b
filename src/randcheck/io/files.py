"""Files and encodings: reading a file's bytes, decoding them, writing a file atomically.

Text is decoded in the encoding asked for (``"utf-8-sig"``, UTF-8 with or without a byte-order
mark, ``"gb18030"`` or ``"utf-16"``), or in the one detected (``"auto"``), which refuses a
file whose encoding it cannot tell rather than guess. Bytes that are not valid in the encoding
are reported with their byte offset and line, suggesting the other encoding; UTF-16 text, and
UTF-8 Chinese text read as GB18030 (which would not fail but turn into nonsense), are named as
such. Files are written next to their target and renamed into place, so that a failed write
never leaves half a file behind.
"""

from __future__ import annotations

import codecs
import functools
import io
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import IO, Final, NoReturn, TypeAlias

from randcheck.errors import InputFileError, Location, OutputFileError, ValidationError

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


def _text_line_of(text: str, offset: int) -> int:
    """The line of ``text`` that character ``offset`` is on, as :func:`_line_of` counts."""
    return (
        text.count("\n", 0, offset)
        + text.count("\r", 0, offset)
        - text.count("\r\n", 0, offset)
        + 1
    )


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
        hint = _decoding_hint(exc.object, exc.start, codec)
    return ValidationError(
        f"文件编码错误 / {source} is not valid {codec} at {at} (bytes {bad.hex(' ')}); {hint}",
        field="encoding",
        expected=f"text in {codec}",
        got=bytes(bad),
        location=Location(file=source, line=line),
    )


_CUT_SHORT = (
    "a character was cut short or altered here (as by a program that cuts text at a byte "
    "count): retype it"
)


def _holds_zero_bytes(data: bytes) -> bool:
    """Whether the start of ``data`` reads as UTF-16 without a byte-order mark: every ASCII
    character of UTF-16 text holds a zero byte, and no 8-bit encoding's text holds one."""
    head = data[:4096]
    return len(head) >= 8 and head.count(0) * 10 >= len(head)


def _decoding_hint(data: bytes, start: int, codec: str) -> str:
    """What to do about ``data``, which is not ``codec`` text at byte ``start``."""
    if _holds_zero_bytes(data):
        return (
            "it looks like UTF-16 without a byte-order mark (it holds zero bytes): save "
            f"it as CSV UTF-8, or read it with {_flag('utf-16')}"
        )
    if codec.startswith("utf-8"):
        if _damaged_utf8(data, start):
            return f"the text around it is UTF-8, so {_CUT_SHORT}"
    else:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            if _damaged_utf8(data, exc.start):
                return (
                    f"the file is UTF-8 text, with a damaged character on line "
                    f"{_line_of(data, exc.start)}: read it with {_flag('utf-8-sig')}"
                )
            # The rest of the file is not UTF-8: text pasted from a UTF-8 file, perhaps.
            pasted = _utf8_run(data, start)
        else:
            pasted = None
        if pasted is not None:
            return (
                f"the bytes there are UTF-8 text, {pasted!r}, pasted into a {codec} file: save "
                "the whole file in one encoding"
            )
        if _damaged(data, start, codec):
            return f"the text around it is {codec.upper()}, so {_CUT_SHORT}"
    return f"if the file was saved in another encoding, try {_flag(_other_encoding(codec))}"


def _utf8_run(data: bytes, start: int) -> str | None:
    """The text of the run of non-ASCII bytes around byte ``start`` of ``data`` (a cell's
    Chinese text, between ASCII delimiters) if that run is UTF-8 text holding a Chinese
    character, else ``None``."""
    low = start
    while low > 0 and data[low - 1] >= 0x80:
        low -= 1
    high = start
    while high < len(data) and data[high] >= 0x80:
        high += 1
    try:
        text = data[low:high].decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if _CJK.search(text) else None


def _raise_one(error: ValidationError, source: str) -> NoReturn:
    raise InputFileError(
        error.message,
        errors=[error],
        field=error.field,
        expected=error.expected,
        got=error.got,
        location=Location(file=source, line=error.location.line if error.location else None),
    )


AUTO: Final = "auto"
"""The encoding that asks for the encoding to be detected (:func:`_detect`)."""


def _detect(data: bytes, source: str) -> str:
    """The encoding of ``data``: UTF-8 or UTF-16 by their byte-order marks, UTF-8 when the
    bytes are valid UTF-8, GB18030 when they are valid GB18030 and every character they give
    is one of the common characters of GB2312 (text in another encoding read as GB18030 hits
    rare characters almost at once).

    Raises:
        InputFileError: none of these holds: the encoding cannot be told, and is not guessed.
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _damaged_utf8(data, exc.start):
            # UTF-8 with a damaged character: said where, not left to a guess at GB18030.
            _raise_one(_decode_error(exc, source, _line_of(data, exc.start), exc.start), source)
    else:
        return "utf-8-sig"
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        if _damaged(data, exc.start, "gb18030"):
            _raise_one(_decode_error(exc, source, _line_of(data, exc.start), exc.start), source)
        text = None
    if text is not None:
        found = _not_gb2312().search(text)
        if found is None:
            return "gb18030"
        line = text.count("\n", 0, found.start()) + 1
        why = f"read as GB18030 it holds the rare character {found.group()!r} on line {line}"
    elif _holds_zero_bytes(data):
        why = "it holds zero bytes, as UTF-16 without a byte-order mark does (--encoding utf-16)"
    else:
        why = "it is not valid GB18030 either"
    _raise_one(
        ValidationError(
            f"无法判断文件编码 / cannot tell the encoding of {source}: it is not UTF-8 and {why}; "
            "name the encoding: --encoding utf-8-sig, gb18030 or utf-16 (from Python: "
            "encoding=...)",
            field="encoding",
            expected="UTF-8, UTF-16 with a byte-order mark, or GB18030 holding common characters",
            got=AUTO,
            location=Location(file=source, line=1),
        ),
        source,
    )


@functools.cache
def _not_gb2312() -> re.Pattern[str]:
    """A character that is neither ASCII nor one of GB2312's (what :func:`_in_gb2312` is false
    of): GB2312's characters are its two-byte codes, rows 0xA1-0xF7 by cells 0xA1-0xFE."""
    chars = []
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.append(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return re.compile("[^\x00-\x7f" + "".join(map(re.escape, chars)) + "]")


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _decode(data: bytes, encoding: str, source: str) -> str:
    """The text of ``data`` in ``encoding`` (:data:`AUTO`: detected); see the module."""
    if encoding == AUTO:
        encoding = _detect(data, source)
    codec = _codec_name(encoding)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not codec.startswith(
        "utf-16"
    ):
        _raise_one(
            ValidationError(
                f"文件编码错误 / {source} is UTF-16 text; save it as CSV UTF-8, or read it "
                f"with {_flag('utf-16')} or --encoding auto",
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
    if not codec.startswith("utf"):
        _refuse_utf8_cells(text, codec, source)
    return text


_NON_ASCII = re.compile("[^\x00-\x7f]+")
_MIXED_LIMIT = 20  # cells listed in full; the rest are counted


def _refuse_utf8_cells(text: str, codec: str, source: str) -> None:
    """Raise if ``text``, read in ``codec``, holds UTF-8 Chinese text — a cell pasted from a
    UTF-8 file into a GB18030 one: its bytes read in ``codec`` give rare characters (outside
    GB2312) instead of failing. Only runs of non-ASCII characters holding a rare character
    are looked at; they are taken for UTF-8 when their bytes are valid UTF-8 holding a
    Chinese character, which text really written in ``codec`` practically never is.

    Raises:
        InputFileError: one error per such run (the first :data:`_MIXED_LIMIT`), with its
            line and both readings.
    """
    rare = _not_gb2312()
    errors: list[ValidationError] = []
    count = 0
    position = 0
    while (found := rare.search(text, position)) is not None:
        start = text.rfind("\n", 0, found.start()) + 1
        end = text.find("\n", found.end())
        end = len(text) if end < 0 else end
        position = end
        line = _text_line_of(text, start)
        for run in _NON_ASCII.finditer(text, start, end):
            if rare.search(run.group()) is None:
                continue
            try:
                as_utf8 = run.group().encode(codec).decode("utf-8")
            except UnicodeError:
                continue
            if _CJK.search(as_utf8) is None:
                continue
            count += 1
            if len(errors) < _MIXED_LIMIT:
                errors.append(
                    ValidationError(
                        f"文件编码混杂 / line {line} holds UTF-8 text in a {codec} file: "
                        f"{run.group()!r} is {as_utf8!r} written in UTF-8",
                        field="encoding",
                        expected=f"text in {codec}",
                        got=run.group(),
                        location=Location(file=source, line=line),
                    )
                )
    if errors:
        more = f" (the first {len(errors)} listed)" if count > len(errors) else ""
        raise InputFileError(
            f"文件编码混杂 / {source} is {codec} text with {count} piece(s) of UTF-8 text"
            f"{more}, pasted from a file in another encoding: reading them as {codec} would "
            "garble them; save the whole file in one encoding",
            errors=errors,
            field="encoding",
            expected=f"text in {codec}",
            got="utf-8",
            location=Location(file=source),
        )


_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
# Text in another encoding read as UTF-8 fails at nearly every Chinese character; UTF-8 with a
# few damaged characters has many times more good Chinese characters than bad places.
_DAMAGE_RATIO = 20
_DAMAGE_WINDOW = 1 << 20  # bytes looked at on each side of the first bad place


def _damaged_utf8(data: bytes, start: int) -> bool:
    """Whether ``data``, not UTF-8 at byte ``start``, is UTF-8 Chinese text with a few damaged
    characters rather than text in another encoding (judged on the bytes around ``start``)."""
    return _damaged(data, start, "utf-8")


def _damaged(data: bytes, start: int, codec: str) -> bool:
    """Whether ``data``, not ``codec`` text at byte ``start``, is Chinese text in ``codec``
    with a few damaged characters (judged on the bytes around ``start``)."""
    window = data[max(0, start - _DAMAGE_WINDOW) : start + _DAMAGE_WINDOW]
    text = window.decode(codec, errors="replace")
    bad = text.count("\ufffd") - window.count("\ufffd".encode(codec))
    good = sum(1 for _ in _CJK.finditer(text))
    return bad > 0 and good >= _DAMAGE_RATIO * bad


def _looks_like_utf8_chinese(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _damaged_utf8(data, exc.start)
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
    """Write text to ``path`` through ``write``, as :func:`_atomic_write_binary` writes.

    Raises:
        OutputFileError: the file cannot be written; nothing is left behind.
    """

    def write_text(stream: IO[bytes]) -> None:
        # Detached after writing, so that closing the file stays with the binary writer.
        text = io.TextIOWrapper(stream, encoding=encoding, newline="")
        write(text)
        text.flush()
        text.detach()

    _atomic_write_binary(path, write_text)


def _atomic_write_bytes(path: PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` as :func:`_atomic_write_binary` writes.

    Raises:
        OutputFileError: the file cannot be written; nothing is left behind.
    """
    _atomic_write_binary(path, lambda stream: stream.write(data))


def _atomic_write_binary(path: PathLike, write: Callable[[IO[bytes]], object]) -> None:
    # Write next to the target and rename, so a failure never leaves half a file behind. The
    # temporary file is created with mode 0666 less the umask, as open() would create the
    # target: mkstemp's 0600 would make every published file unreadable to other users.
    target = Path(path)
    if target.is_dir():
        raise _cannot_write(target, "是一个文件夹 / is a folder")
    if target.is_symlink():
        # The file the link points to is written, not the link replaced by a file.
        target = target.resolve()
    if target.exists() and not target.is_file():
        # A device or a pipe (/dev/null, /dev/stdout, a FIFO) is written in place: renaming a
        # file over it would replace the device itself.
        try:
            with open(target, "wb") as stream:
                write(stream)
        except OSError as exc:
            raise _cannot_write(target, exc.strerror or str(exc)) from None
        return
    try:
        handle, temporary = _create_beside(target)
    except OSError as exc:
        raise _cannot_write(target, exc.strerror or str(exc)) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        os.replace(temporary, target)
    except OSError as exc:
        os.unlink(temporary)
        raise _cannot_write(target, exc.strerror or str(exc)) from None
    except BaseException:
        os.unlink(temporary)
        raise


def _check_writable(path: PathLike) -> None:
    """Raise the error writing ``path`` would meet for want of its folder (or for a folder in
    its place), before a step writes anything: a step that writes two files writes both or
    neither for these reasons.

    Raises:
        OutputFileError: naming the file.
    """
    target = Path(path)
    if target.is_dir():
        raise _cannot_write(target, "是一个文件夹 / is a folder")
    if not target.parent.is_dir():
        raise _cannot_write(target, "所在文件夹不存在 / its folder does not exist")


def _cannot_write(target: Path, reason: str) -> OutputFileError:
    # The target's own name, never the temporary file's beside it.
    return OutputFileError(
        f"无法写入文件 / cannot write {os.fspath(target)}: {reason}",
        field=None,
        expected="a file that can be written, in a folder that exists",
        got=os.fspath(target),
    )


def _create_beside(target: Path) -> tuple[int, Path]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        temporary = target.parent / f".{target.name}.{os.urandom(6).hex()}"
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue
