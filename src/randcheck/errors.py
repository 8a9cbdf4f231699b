"""The exception hierarchy.

Every error is a :class:`RandcheckError` and also inherits the closest builtin
(``ValueError`` or ``LookupError``), so ordinary ``except ValueError`` clauses work.
Errors carry structured fields — which field, what was expected, what came and where —
so that a platform can show them next to the offending cell, and they pickle, so they
survive process pools.

Rule *violations* are not exceptions: they are :class:`randcheck.validators.Finding`
values. Exceptions are for input that cannot be used at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from randcheck.text import Text

__all__ = [
    "CalendarDataMissing",
    "CommitmentMismatch",
    "InfeasibleDispatch",
    "InputFileError",
    "InvalidIdentifier",
    "Location",
    "OutputFileError",
    "RandcheckError",
    "UnknownProfile",
    "ValidationError",
]


@attrs.frozen(kw_only=True)
class Location:
    """Where a bad value came from: a file, the sheet of a workbook, a 1-based line (a
    spreadsheet's row number), a column (header name)."""

    file: str | None = None
    line: int | None = None
    column: str | None = None
    sheet: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.file is not None:
            parts.append(self.file)
        if self.sheet is not None:
            parts.append(f"sheet {self.sheet!r}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts) if parts else "<unknown location>"


class RandcheckError(Exception):
    """Base of every error raised by randcheck.

    ``message`` may be a :class:`~randcheck.text.Text`; :attr:`text` gives the message as one
    bilingual value either way.

    Attributes:
        message: the human-readable text (bilingual where it concerns the rules).
        field: the name of the offending field, if any.
        expected: what was expected there.
        got: what came instead (``repr``-able).
        location: where it came from, for input files.
    """

    def __init__(
        self,
        message: str | Text,
        *,
        field: str | None = None,
        expected: str | None = None,
        got: Any = None,
        location: Location | None = None,
    ) -> None:
        self._parts: tuple[str, str] | None = None
        if not isinstance(message, str):
            self._parts = (message.zh, message.en)
            message = str(message)
        super().__init__(message)
        self.message = message
        self.field = field
        self.expected = expected
        self.got = got
        self.location = location

    def _kwargs(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "expected": self.expected,
            "got": self.got,
            "location": self.location,
        }

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.message, self._kwargs()))

    @property
    def text(self) -> Text:
        """The message as one bilingual value: as given, or read from the ``"zh / en"`` form
        (a message in one language only fills both parts)."""
        from randcheck.text import Text  # text.py itself raises these errors

        if self._parts is not None:
            return Text(zh=self._parts[0], en=self._parts[1])
        zh, sep, en = self.message.partition(" / ")
        return Text(zh=zh, en=en) if sep else Text(zh=self.message, en=self.message)

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location is not None else ""
        return f"{where}{self.message}"


def _rebuild(cls: type[RandcheckError], message: str, kwargs: dict[str, Any]) -> RandcheckError:
    return cls(message, **kwargs)


class ValidationError(RandcheckError, ValueError):
    """A value is not what its field requires."""

    def __init__(
        self,
        message: str | Text | None = None,
        *,
        field: str | None = None,
        expected: str | None = None,
        got: Any = None,
        location: Location | None = None,
    ) -> None:
        if message is None:
            message = f"{field or 'value'}: expected {expected}, got {got!r}"
        super().__init__(message, field=field, expected=expected, got=got, location=location)

    def at(self, location: Location) -> ValidationError:
        """Return a copy of this error placed at ``location`` (same class, same fields)."""
        kwargs = self._kwargs()
        kwargs["location"] = location
        return type(self)(self.message, **kwargs)


class InvalidIdentifier(ValidationError):
    """A unified social credit code or resident identity number fails its standard."""


class InputFileError(RandcheckError, ValueError):
    """A file could not be loaded; ``errors`` holds *every* problem found, in file order."""

    def __init__(
        self, message: str, *, errors: Sequence[RandcheckError] = (), **fields: Any
    ) -> None:
        super().__init__(message, **fields)
        self.errors = tuple(errors)

    def _kwargs(self) -> dict[str, Any]:
        kwargs = super()._kwargs()
        kwargs["errors"] = self.errors
        return kwargs

    def __str__(self) -> str:
        head = super().__str__()
        if not self.errors:
            return head
        only = self.errors[0]
        if len(self.errors) == 1 and only.location == self.location and only.message in head:
            # One problem that the message already states, at the same place: said once.
            return head
        lines = [head, *(f"  - {error}" for error in self.errors)]
        return "\n".join(lines)


class OutputFileError(RandcheckError, OSError):
    """A file could not be written (a missing folder, a folder in its place, no permission);
    nothing was written in its place. ``got`` names the file."""


class UnknownProfile(RandcheckError, LookupError):
    """No policy profile is registered under the requested name."""

    def __init__(self, message: str, *, suggestions: Sequence[str] = (), **fields: Any) -> None:
        super().__init__(message, **fields)
        self.suggestions = tuple(suggestions)

    def _kwargs(self) -> dict[str, Any]:
        kwargs = super()._kwargs()
        kwargs["suggestions"] = self.suggestions
        return kwargs


class CalendarDataMissing(RandcheckError, LookupError):
    """A working-day calendar has no data for the requested year; it never guesses."""


class CommitmentMismatch(RandcheckError, ValueError):
    """A frame does not match the commitment it is drawn under."""


class InfeasibleDispatch(RandcheckError, ValueError):
    """No lawful inspector dispatch exists; ``blocking`` lists the enterprises and why."""

    def __init__(
        self, message: str, *, blocking: Sequence[tuple[str, str]] = (), **fields: Any
    ) -> None:
        super().__init__(message, **fields)
        self.blocking = tuple(blocking)

    def _kwargs(self) -> dict[str, Any]:
        kwargs = super()._kwargs()
        kwargs["blocking"] = self.blocking
        return kwargs
