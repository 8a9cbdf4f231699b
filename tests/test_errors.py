"""The exception hierarchy: builtin bases, structured fields, pickling."""

from __future__ import annotations

import pickle

import pytest

from randcheck.errors import (
    CalendarDataMissing,
    CommitmentMismatch,
    InfeasibleDispatch,
    InputFileError,
    InvalidIdentifier,
    Location,
    RandcheckError,
    UnknownProfile,
    ValidationError,
)


@pytest.mark.parametrize(
    ("cls", "builtin"),
    [
        (ValidationError, ValueError),
        (InvalidIdentifier, ValueError),
        (InputFileError, ValueError),
        (UnknownProfile, LookupError),
        (CalendarDataMissing, LookupError),
        (CommitmentMismatch, ValueError),
        (InfeasibleDispatch, ValueError),
    ],
)
def test_every_error_is_a_randcheck_error_and_its_builtin(
    cls: type[RandcheckError], builtin: type[Exception]
) -> None:
    error = cls("message")
    assert isinstance(error, RandcheckError)
    assert isinstance(error, builtin)


def test_validation_error_builds_its_message_from_the_fields() -> None:
    error = ValidationError(field="uscc", expected="18 characters", got="123")
    assert str(error) == "uscc: expected 18 characters, got '123'"
    assert (error.field, error.expected, error.got) == ("uscc", "18 characters", "123")


def test_location_is_rendered_before_the_message() -> None:
    where = Location(file="e.csv", line=3, column="统一社会信用代码")
    error = ValidationError(field="uscc", expected="x", got="y").at(where)
    assert str(error).startswith("e.csv, line 3, column '统一社会信用代码': ")
    assert error.location == where


def test_location_without_parts() -> None:
    assert str(Location()) == "<unknown location>"


def test_input_file_error_lists_every_row_error() -> None:
    rows = [
        ValidationError(field="uscc", expected="a", got="b", location=Location(line=2)),
        ValidationError(field="name", expected="c", got="", location=Location(line=5)),
    ]
    error = InputFileError("2 errors in e.csv", errors=rows)
    text = str(error).splitlines()
    assert text[0] == "2 errors in e.csv"
    assert text[1].startswith("  - line 2: ")
    assert text[2].startswith("  - line 5: ")
    assert str(InputFileError("empty")) == "empty"


@pytest.mark.parametrize(
    "error",
    [
        ValidationError(field="f", expected="e", got=[1, 2], location=Location(file="a", line=1)),
        InvalidIdentifier(field="uscc", expected="check character 'X'", got="9112"),
        InputFileError("bad", errors=[ValidationError(field="f", expected="e", got=1)]),
        UnknownProfile("nope", suggestions=["cn-tj-hrss"], got="cn-tj"),
        CalendarDataMissing("no data", field="year", got=2031),
        CommitmentMismatch("differs", expected="sha256:aa", got="sha256:bb"),
        InfeasibleDispatch("none", blocking=[("91120101", "team size")]),
    ],
)
def test_errors_pickle_with_all_their_fields(error: RandcheckError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert _fields(copy) == _fields(error)


def _fields(error: RandcheckError) -> dict[str, object]:
    # Exceptions compare by identity, so nested errors are compared by type and text.
    fields = dict(vars(error))
    if isinstance(error, InputFileError):
        fields["errors"] = [(type(e), str(e), e.field) for e in error.errors]
    return fields


def test_an_error_carries_its_message_as_one_bilingual_text() -> None:
    from randcheck.text import Text

    given = ValidationError(Text(zh="公示期不足", en="publicity too short"), field="end")
    assert str(given) == "公示期不足 / publicity too short"
    assert given.text == Text(zh="公示期不足", en="publicity too short")
    assert pickle.loads(pickle.dumps(given)).text == given.text
    assert ValidationError("名称为空 / empty name").text == Text(zh="名称为空", en="empty name")
    assert ValidationError("only English").text == Text(zh="only English", en="only English")
