"""Terminal output shared by the subcommands."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final, TextIO

from randcheck.calendars import WorkingDayCalendar, covers_year
from randcheck.errors import InputFileError, RandcheckError, ValidationError
from randcheck.io.files import _atomic_write_bytes
from randcheck.io.json_documents import json_document_bytes
from randcheck.verification import Difference, Verification

MAX_DIFFERENCES: Final = 50
"""The most differences ``randcheck verify`` lists; the rest are counted."""

EXIT_PARTLY_VERIFIED: Final = 3
"""Exit code of ``randcheck verify`` when nothing differs but parts of the record could not be
re-derived from the files given (salted recusal pairs checked without the salt)."""


def silence(stream: TextIO) -> None:
    """Point ``stream``'s descriptor at the null device, so that the exit flush is quiet.

    Used when the reader of a pipe has gone away (``randcheck … | head``): Python flushes
    standard output again at exit, and that flush must not fail a second time.
    """
    # io.UnsupportedOperation (a stream without a descriptor) is both of these.
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)


def deliver(code: int, emit: Callable[[], None]) -> int:
    """Print an outcome already decided and return its exit ``code``, even if the reader goes
    away (``randcheck verify … | head -1``): a closed pipe must not turn a failure into success.

    ``emit`` prints to standard output and standard error; both are flushed before returning.
    """
    try:
        emit()
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        silence(sys.stdout)
        silence(sys.stderr)
    return code


def print_verification(
    path: str | os.PathLike[str],
    result: Verification,
    *,
    after: Callable[[], None] | None = None,
    consequence: Callable[[Difference], bool] | None = None,
) -> int:
    """Print the outcome of verifying the record at ``path``, the same way for every record.

    When it verifies: its summary, then ``ok: <path> (<digest>)`` on standard output. When it
    does not: ``不一致 / differs: <path>`` and one ``  - <difference>`` line per difference (at
    most :data:`MAX_DIFFERENCES`, then how many more) on standard error, then the parts not
    re-derived, if any.

    When nothing differs but parts could not be re-derived (``result.unverified``, e.g. the
    teams of enterprises with salted recusal pairs checked without the salt): its summary and
    ``partly verified: <path> (<digest>)`` on standard output, and ``  - not re-derived:
    <path>`` per part on standard error.

    ``after``, if given, prints what follows the outcome (a warning), through the same
    closed-pipe handling. Differences ``consequence`` is true of (those another difference
    listed causes) are counted in one line instead of listed.

    Returns:
        the exit code: 0 when the record verifies, 1 when anything differs,
        :data:`EXIT_PARTLY_VERIFIED` (3) when nothing differs but parts were not re-derived.
    """
    code = 0 if result.ok else 1 if result.differences else EXIT_PARTLY_VERIFIED

    def emit() -> None:
        _print_verification(path, result, consequence)
        if after is not None:
            after()

    return deliver(code, emit)


def _print_verification(
    path: str | os.PathLike[str],
    result: Verification,
    consequence: Callable[[Difference], bool] | None = None,
) -> None:
    if result.ok:
        print(result.summary())
        print(f"ok: {os.fspath(path)} ({result.digest})")
        return
    if not result.differences:
        print(result.summary())
        print(f"partly verified: {os.fspath(path)} ({result.digest})")
        for part in result.unverified:
            print(f"  - 无法重新推导 / not re-derived: {part}", file=sys.stderr)
        return
    print(f"不一致 / differs: {os.fspath(path)}", file=sys.stderr)
    listed = list(result.differences)
    following = 0
    if consequence is not None:
        following = sum(1 for d in listed if consequence(d))
        listed = [d for d in listed if not consequence(d)]
    for difference in listed[:MAX_DIFFERENCES]:
        print(f"  - {difference}", file=sys.stderr)
    if len(listed) > MAX_DIFFERENCES:
        more = len(listed) - MAX_DIFFERENCES
        print(f"  … 另有 {more} 处 / {more} more", file=sys.stderr)
    if following:
        print(
            f"  … 另有 {following} 处截断键和抽中企业的差异，均由上述差异所致 / {following} more "
            "in cut-offs and drawn units, which follow from the differences above",
            file=sys.stderr,
        )
    for part in result.unverified:
        print(f"  - 无法重新推导 / not re-derived: {part}", file=sys.stderr)


def refuse_other_content(path: str | os.PathLike[str], data: bytes, *, force: bool) -> None:
    """Refuse to replace ``path`` by ``data`` where it already holds something else and
    ``force`` is not given: a record once written may have been published, and replacing it
    unnoticed would change what the public checks. The same bytes again (a step re-run on the
    same inputs) are allowed.

    Raises:
        ValidationError: ``path`` holds other content and ``force`` is false.
    """
    target = Path(path)
    if not force and target.is_file() and target.read_bytes() != data:
        raise ValidationError(
            f"{os.fspath(target)} 已存在且内容不同，可能已公布 / {os.fspath(target)} exists "
            "with other content and may have been published; pass --force to replace it",
            field=os.fspath(target),
            expected="a new file, or the same content",
            got="other content",
        )


def save_record(path: str | os.PathLike[str], kind: str, value: Any, *, force: bool) -> None:
    """Save ``value`` as :func:`randcheck.io.save_json` does, after
    :func:`refuse_other_content`.

    Raises:
        ValidationError: ``path`` holds other content and ``force`` is false.
        OutputFileError: the file cannot be written.
    """
    # The bytes save_json writes, made once: compared with the file, then written.
    data = json_document_bytes(kind, value)
    refuse_other_content(path, data, force=force)
    _atomic_write_bytes(path, data)


def raise_all(problems: Sequence[ValidationError]) -> None:
    """Raise every problem found with a command's options at once: the one, or all of them
    listed (an :class:`~randcheck.errors.InputFileError`, whose errors the command line
    prints one per line). Nothing is raised for none."""
    raise_together(
        problems,
        lambda failures, errors: (
            f"命令行选项有 {errors} 处问题 / {errors} problem(s) with the options"
        ),
    )


def raise_together(failures: Sequence[RandcheckError], head: Callable[[int, int], str]) -> None:
    """Raise the one of ``failures``, or, when there are several, an
    :class:`~randcheck.errors.InputFileError` listing all their errors (a failure without a
    list of errors as one), headed by ``head(len(failures), number of errors)``. Nothing is
    raised for none."""
    if len(failures) == 1:
        raise failures[0]
    if failures:
        errors = [
            error
            for failure in failures
            for error in (getattr(failure, "errors", ()) or (failure,))
        ]
        raise InputFileError(head(len(failures), len(errors)), errors=errors)


def load_together(
    *loads: Callable[[], Any],
    before: Sequence[RandcheckError] = (),
    head: Callable[[int, int], str] | None = None,
) -> list[Any]:
    """What each of ``loads`` returns, each called even after another failed, so that the
    errors of every input file are shown at once, with the problems ``before`` already found
    (:func:`raise_together`, headed by ``head``; by default "N input files could not be
    loaded").

    Raises:
        InputFileError: the one failure; or, when there are several, one listing all their
            errors.
    """
    results: list[Any] = []
    failures: list[RandcheckError] = list(before)
    for load in loads:
        try:
            results.append(load())
        except InputFileError as exc:
            failures.append(exc)
            results.append(None)
    raise_together(failures, head or _files_not_loaded)
    return results


def _files_not_loaded(failures: int, errors: int) -> str:
    return (
        f"{failures} 个输入文件无法读取 / {failures} input files could not be loaded: "
        f"{errors} error(s)"
    )


def require_text(args: Any, *names: str) -> None:
    """Refuse options given as an empty (or blank) text, naming each: ``--seed ""`` is a
    usage error, not a value with no name.

    Raises:
        ValidationError: one such option; InputFileError: several (:func:`raise_all`).
    """
    raise_all(empty_texts(args, *names))


def empty_texts(args: Any, *names: str) -> list[ValidationError]:
    """The options of ``names`` given as an empty (or blank) text, one error each."""
    problems = []
    for name in names:
        value = getattr(args, name, None)
        if isinstance(value, str) and not value.strip():
            option = "--" + name.replace("_", "-")
            problems.append(
                ValidationError(
                    f"{option} 不能为空 / {option} must not be empty",
                    field=option,
                    expected="a non-empty text",
                    got=value,
                )
            )
    return problems


def note(message: str) -> None:
    """Say on stderr, as the command line's notes are said, how an input was read where that
    is not the only possible reading."""
    print(f"randcheck: note: {message}", file=sys.stderr)


def warn_unrecorded(option: str, consequence: str) -> None:
    """Say, as the command line's warnings are said, that ``option`` was left out and what
    the record then cannot show."""
    print(f"randcheck: warning: 未给出 {option} / no {option}: {consequence}", file=sys.stderr)


def warn_if_calendar_lacks(calendar: WorkingDayCalendar | None, year: int) -> None:
    """Say so when the working-day ``calendar`` given has no data for ``year``: the periods
    that depend on it are then "unknown", which a user who asked for it would not expect."""
    if calendar is not None and not covers_year(calendar, year):
        print(
            f"randcheck: warning: 日历没有 {year} 年的数据 / the calendar has no data for {year}: "
            "the periods that depend on it stay 'unknown' (give --calendar FILE)",
            file=sys.stderr,
        )
