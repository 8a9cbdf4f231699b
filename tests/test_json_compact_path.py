"""The compact-JSON fast path (orjson, extra ``fast``) reads what the strict parser reads.

A text takes the fast path only if orjson writes its value back byte for byte; everything
else — a repeated key, ``NaN``, white space, another escape, an integer beyond 64 bits — is
left to the strict parser, which reports it. These tests hold the two paths to one result.
"""

from __future__ import annotations

import enum
import json
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from randcheck import canonical
from randcheck.errors import InputFileError, ValidationError
from randcheck.io import json_documents, jsonl
from randcheck.io.json_documents import NOT_COMPACT, compact_json_value

_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=12,
)


def _compact(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


@given(_JSON)
def test_a_compact_text_reads_as_the_strict_parser_reads_it(value: Any) -> None:
    data = _compact(value)
    fast = compact_json_value(data)
    if fast is not NOT_COMPACT:
        assert fast == json.loads(data) == value
        assert type(fast) is type(value)


@given(
    st.dictionaries(st.text(max_size=5), st.integers(-(2**63), 2**64 - 1), min_size=1, max_size=4)
)
def test_canonical_objects_take_the_fast_path(value: dict[str, int]) -> None:
    # Canonical lines (sorted keys, no white space, integers within 64 bits) are what randcheck
    # writes: every one must be decoded in C, or the fast path serves nothing.
    data = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert compact_json_value(data.encode("utf-8")) == value


@pytest.mark.parametrize(
    "text",
    [
        '{"a":1,"a":2}',
        '{"a":{"b":1,"b":1}}',
        '[{"x":"y","x":"y"}]',
        '{"a": 1}',
        '{"a":NaN}',
        '{"a":Infinity}',
        '{"a":-0}',
        '{"a":1e3}',
        '{"a":"\\u00e9"}',
        '{"a":"\\/"}',
        '{"a":' + "9" * 30 + "}",
        '{"a":"\\ud800"}',
        "",
    ],
)
def test_texts_the_strict_parser_must_judge_leave_the_fast_path(text: str) -> None:
    assert compact_json_value(text.encode("utf-8")) is NOT_COMPACT


def test_a_repeated_key_in_a_compact_document_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "doc.json"
    path.write_text('{"data":1,"data":2,"kind":"x","schema":1}\n', encoding="utf-8")
    with pytest.raises(InputFileError, match="appears twice") as caught:
        json_documents.load_json(path, "x", int)
    assert caught.value.errors[0].location is not None
    assert caught.value.errors[0].location.line == 1


def test_a_repeated_key_in_a_compact_line_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "values.jsonl"
    path.write_text('{"kind":"x","schema":1}\n{"a":1}\n{"a":1,"a":2}\n', encoding="utf-8")
    lines = list(jsonl.read_jsonl_lines(path))
    assert [line.number for line in lines] == [1, 2, 3]
    assert lines[1].value == {"a": 1}
    assert lines[2].error is not None
    assert "appears twice" in lines[2].error.errors[0].message
    assert lines[2].error.errors[0].location is not None
    assert lines[2].error.errors[0].location.line == 3


def test_without_orjson_every_text_takes_the_strict_parser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(json_documents, "_orjson", None)
    assert compact_json_value(b'{"a":1}') is NOT_COMPACT
    path = tmp_path / "doc.json"
    path.write_text('\ufeff{"data":[1,2],"kind":"x","schema":1}\n', encoding="utf-8")
    assert json_documents.load_json(path, "x", list[int]) == [1, 2]
    lines = tmp_path / "values.jsonl"
    lines.write_text('\ufeff{"kind":"x","schema":1}\n\n{"a":[1]}\n', encoding="utf-8")
    assert [(line.number, line.value) for line in jsonl.read_jsonl_lines(lines)] == [
        (1, {"kind": "x", "schema": 1}),
        (3, {"a": [1]}),
    ]


def test_a_document_with_a_bom_and_crlf_takes_the_fast_path_to_the_same_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "doc.json"
    path.write_bytes(b'\xef\xbb\xbf{"data":{"k":"\xe5\x92\x8c"},"kind":"x","schema":1}\r\n')
    fast = json_documents.load_json(path, "x", dict[str, str])
    monkeypatch.setattr(json_documents, "_orjson", None)
    assert json_documents.load_json(path, "x", dict[str, str]) == fast == {"k": "和"}


def test_text_not_in_utf8_is_reported_as_before(tmp_path: Path) -> None:
    path = tmp_path / "values.jsonl"
    path.write_bytes(b'{"kind":"x","schema":1}\n{"a":"\xba\xcd"}\n')
    lines = list(jsonl.read_jsonl_lines(path))
    assert lines[1].error is not None
    assert not lines[1].decoded
    assert "UTF-8" in lines[1].error.errors[0].message


@pytest.mark.parametrize("escape", ["\\udc80", "\\ud83d", "\\uDFFF", "\\ude00\\ud83d"])
def test_half_a_character_is_refused_with_its_line(tmp_path: Path, escape: str) -> None:
    # Such text parses as JSON but no UTF-8 file or SHA-256 digest can hold it.
    path = tmp_path / "values.jsonl"
    path.write_text(f'{{"kind":"x","schema":1}}\n{{"a":"名{escape}"}}\n', encoding="utf-8")
    [_, line] = list(jsonl.read_jsonl_lines(path))
    assert line.error is not None
    [error] = line.error.errors
    assert "lone UTF-16 surrogate" in error.message
    assert error.location is not None
    assert error.location.line == 2
    document = tmp_path / "doc.json"
    document.write_text(f'{{"data":\n"{escape}",\n"kind":"x","schema":1}}', encoding="utf-8")
    with pytest.raises(InputFileError, match="lone UTF-16 surrogate") as caught:
        json_documents.load_json(document, "x", str)
    assert caught.value.errors[0].location is not None
    assert caught.value.errors[0].location.line == 2


def test_a_whole_character_written_as_two_escapes_is_read(tmp_path: Path) -> None:
    path = tmp_path / "doc.json"
    path.write_text('{"data":"\\ud83d\\ude00","kind":"x","schema":1}', encoding="utf-8")
    assert json_documents.load_json(path, "x", str) == "\U0001f600"


_ANY_TEXT = st.text(max_size=12)  # surrogates included: orjson refuses them, json writes them
_ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | _ANY_TEXT,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(_ANY_TEXT, inner, max_size=4)
    ),
    max_leaves=16,
)


def _reference_text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@given(_ANY_JSON)
def test_canonical_text_is_the_standard_librarys_whichever_writer_writes_it(value: Any) -> None:
    assert canonical.canonical_json(value) == _reference_text(value)
    assert canonical.ready_json(value) == _reference_text(value)


@given(_ANY_JSON)
def test_canonical_text_without_orjson_is_the_same(value: Any) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(canonical, "_orjson", None)
        assert canonical.canonical_json(value) == _reference_text(value)


class _Level(enum.IntEnum):
    LOW = 1


class _Word(enum.StrEnum):
    YES = "是"


def test_subclasses_of_json_types_are_written_as_their_values() -> None:
    value = {"level": _Level.LOW, "word": _Word.YES, "nested": [(_Level.LOW,)]}
    assert canonical.canonical_json(value) == '{"level":1,"nested":[[1]],"word":"是"}'


@pytest.mark.parametrize(
    ("value", "where"),
    [
        ({"a": [1, 0.5]}, "$.a[1]"),
        ({"a": {1: "x"}}, "$.a"),
        ([{"d": Fraction(1, 2)}], "$[0].d"),
    ],
)
def test_data_that_is_not_json_ready_is_refused_with_its_path(value: Any, where: str) -> None:
    with pytest.raises(ValidationError) as caught:
        canonical.canonical_json(value)
    assert caught.value.field == where


def _step(key: str | int) -> str:
    if isinstance(key, int):
        return f"[{key}]"
    if re.fullmatch("[A-Za-z_][A-Za-z0-9_]*", key):
        return f".{key}"
    return f"[{json.dumps(key, ensure_ascii=False)}]"


@st.composite
def _planted(draw: st.DrawFn) -> tuple[Any, str]:
    """A JSON value with ``NaN`` somewhere in it, and the JSON path of that place."""
    value: Any = float("nan")
    path = ""
    for _ in range(draw(st.integers(0, 4))):
        if draw(st.booleans()):
            items = draw(st.lists(_JSON, max_size=3))
            at = draw(st.integers(0, len(items)))
            items.insert(at, value)
            value, path = items, f"[{at}]{path}"
        else:
            key = draw(st.text(max_size=6))
            others = draw(st.dictionaries(st.text(max_size=6), _JSON, max_size=3))
            others.pop(key, None)
            value, path = {**others, key: value}, _step(key) + path
    return value, "$" + path


@given(_planted(), st.sampled_from([None, 2]))
def test_nan_is_refused_with_the_json_path_of_where_it_stands(
    planted: tuple[Any, str], indent: int | None
) -> None:
    value, path = planted
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    with pytest.raises(InputFileError) as caught:
        json_documents._parse_json_text(text, "doc.json")
    (error,) = caught.value.errors
    assert error.field == path
    assert str(error.message).endswith(f" @ {path}")


@pytest.mark.parametrize(
    ("text", "path", "line"),
    [
        ('{"a":{"b":[{"d":1,"d":2,"e":{"x":[1]}}]}}', "$.a.b[0].d", 1),
        ('{"a":[{"k":1},\n{"k":1,\n"k":2}]}', "$.a[1].k", 3),
        ('{\n "a": {\n  "x": 1,\n  "x": 5,\n  "z": {\n   "q": 1\n  }\n }\n}', "$.a.x", 4),
        ('{"x": {"x": 1}, "y": [{"x": 2}], "x": 3}', "$.x", 1),
        ('{"a b":[[1,2],[3,1' + "0" * 5000 + "]]}", '$["a b"][1][1]', 1),
        ('[{"x\\"y":1,"x\\"y":2}]', '$[0]["x\\"y"]', 1),
    ],
)
def test_a_repeated_key_or_a_huge_integer_is_refused_with_its_path_and_line(
    text: str, path: str, line: int
) -> None:
    with pytest.raises(InputFileError) as caught:
        json_documents._parse_json_text(text, "doc.json")
    (error,) = caught.value.errors
    assert error.field == path
    assert error.location is not None
    assert error.location.line == line
