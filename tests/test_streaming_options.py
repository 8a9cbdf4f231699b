"""The stream reads files with a column map and in GB18030 itself, as the reference reads them."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from randcheck._columnar import ColumnarEnterprises
from randcheck.cli import main
from randcheck.io import ColumnMap, DirectoryWarning, save_json, streaming
from randcheck.io.files import _looks_like_utf8_chinese
from randcheck.io.streaming import EnterpriseStream, _Utf8Watch
from test_streaming import (
    HEADER,
    PLAN,
    SCOPED,
    Outcome,
    area_code,
    directories,
    noted_rows,
    reference_outcome,
    row,
    source_outcome,
)

pytestmark = pytest.mark.slow

# The bureau's own Chinese headers, none of which randcheck knows: every column by the map.
MAPPED_HEADERS = {
    "uscc": "单位代码",
    "name": "单位全称",
    "district": "管辖区",
    "industry": "国民经济行业",
    "grade": "信用评价",
    "complaints_12m": "近一年投诉次数",
    "abnormal_operations": "异常名录标记",
    "key_area": "重点片区",
}
MAP = ColumnMap(
    entries=tuple(("enterprises", header, field) for field, header in MAPPED_HEADERS.items())
)
# A map naming a header the file does not have: the reference warns about it.
MAP_WITH_TYPO = ColumnMap(entries=(*MAP.entries, ("enterprises", "注册地址", "ignore")))


def write_file(
    tmp_path: Path,
    rows: list[list[str]],
    *,
    mapped: bool,
    encoding: str,
    ending: str = "\r\n",
) -> Path:
    header = HEADER.split(",")
    if mapped:
        header = [MAPPED_HEADERS[field] for field in header]
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator=ending).writerows([header, *rows])
    path = tmp_path / "e.csv"
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def compare(
    path: Path,
    *,
    encoding: str = "utf-8-sig",
    columns: ColumnMap | None = None,
    limit: int = 1000,
    plan: Any = PLAN,
) -> tuple[Outcome, Outcome, EnterpriseStream]:
    """What the reference gives (errors bounded to ``limit``) and what the stream gives,
    each with its warnings; and the stream."""
    expected = reference_outcome(path, plan, columns, encoding=encoding, limit=limit)
    stream = EnterpriseStream(path, encoding=encoding, columns=columns, limit=limit)
    return expected, source_outcome(stream, plan), stream


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=directories(),
    mapped=st.sampled_from([None, MAP, MAP_WITH_TYPO]),
    encoding=st.sampled_from(["utf-8-sig", "gb18030", "auto-utf-8-sig", "auto-gb18030"]),
    chunk=st.sampled_from([1, 7, 60, 400, 1 << 20]),
    batch=st.sampled_from([1, 3, 1 << 16]),
    ending=st.sampled_from(["\r\n", "\n"]),
    limit=st.sampled_from([2, 1000]),
    plan=st.sampled_from([PLAN, SCOPED]),
)
def test_a_mapped_or_gb18030_file_is_read_by_the_stream_as_the_reference_reads_it(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rows: list[list[str]],
    mapped: ColumnMap | None,
    encoding: str,
    chunk: int,
    batch: int,
    ending: str,
    limit: int,
    plan: Any,
) -> None:
    monkeypatch.setattr(streaming, "_TEXT_CHUNK", chunk)
    monkeypatch.setattr(streaming, "_CHUNK", max(chunk, 8))
    monkeypatch.setattr(streaming, "_BATCH", batch)
    # "auto-X": a file in X, read with the encoding to be detected.
    written = encoding.removeprefix("auto-")
    read_as = "auto" if encoding.startswith("auto-") else encoding
    path = write_file(tmp_path, rows, mapped=mapped is not None, encoding=written, ending=ending)
    expected, got, stream = compare(path, encoding=read_as, columns=mapped, limit=limit, plan=plan)
    assert got == expected
    assert not stream.used_reference


@pytest.mark.parametrize(
    "data",
    [
        # Read as GB18030, a rare character: the encoding cannot be told.
        "uscc,name,district\n91120101MA05AAAA1X,喆,和平区\n".encode("gb18030"),
        # Neither UTF-8 nor GB18030.
        b"uscc,name,district\n91120101MA05AAAA1X,\xff\xff,x\n",
    ],
)
def test_a_file_whose_encoding_cannot_be_told_is_refused_as_the_reference_refuses_it(
    tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(data)
    expected, got, _ = compare(path, encoding="auto")
    assert got == expected
    assert "cannot tell the encoding" in got[0]


def test_a_map_entry_naming_no_header_is_warned_about_once(tmp_path: Path) -> None:
    path = write_file(tmp_path, [row(i) for i in range(5)], mapped=True, encoding="utf-8-sig")
    expected, got, stream = compare(path, columns=MAP_WITH_TYPO)
    assert got == expected
    assert len([message for _, message in got[1] if "注册地址" in message]) == 1
    assert not stream.used_reference


GOOD = [row(i) for i in range(20)]


def gb18030_with(tmp_path: Path, data: bytes, at: int) -> Path:
    """A GB18030 file of :data:`GOOD` rows with ``data`` put in at byte ``at``."""
    text = io.StringIO(newline="")
    csv.writer(text).writerows([HEADER.split(","), *GOOD])
    encoded = text.getvalue().encode("gb18030")
    path = tmp_path / "e.csv"
    path.write_bytes(encoded[:at] + data + encoded[at:])
    return path


@pytest.mark.parametrize(
    ("data", "at", "said"),
    [
        # A byte no GB18030 character starts with; a character cut short at the end.
        (b"\xff", 300, "is not valid gb18030"),
        (b"\x81", 10**6, "is not valid gb18030"),
        # A two-byte character whose second byte is not one GB18030 allows.
        (b"\x81\x20", 500, "is not valid gb18030"),
        # Latin-1 text, valid GB18030 by accident, and the UTF-16 byte-order mark.
        (codecs.BOM_UTF16_LE, 0, "is UTF-16 text"),
    ],
)
def test_a_file_that_is_not_gb18030_is_reported_as_the_reference_reports_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes, at: int, said: str
) -> None:
    monkeypatch.setattr(streaming, "_TEXT_CHUNK", 100)
    path = gb18030_with(tmp_path, data, at)
    expected, got, stream = compare(path, encoding="gb18030")
    assert got == expected
    assert said in got[0]
    assert not stream.used_reference


@pytest.mark.parametrize("bom", [True, False])
@pytest.mark.parametrize("chinese_at", [0, 5000])
def test_a_utf8_file_asked_to_be_read_as_gb18030_is_refused_as_the_reference_refuses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bom: bool, chinese_at: int
) -> None:
    monkeypatch.setattr(streaming, "_TEXT_CHUNK", 64)
    monkeypatch.setattr(streaming, "_CHUNK", 64)
    rows = [row(i, name=f"firm{i}" if i < chinese_at // 80 else f"企业{i}") for i in range(80)]
    path = write_file(tmp_path, rows, mapped=False, encoding="utf-8-sig" if bom else "utf-8")
    expected, got, stream = compare(path, encoding="gb18030")
    assert got == expected
    assert "文件编码错误" in got[0]
    assert not stream.used_reference


@pytest.mark.parametrize("quoted", [False, True])
@pytest.mark.parametrize("chunk", [64, 1 << 20])
def test_a_name_pasted_in_utf8_into_a_gb18030_file_is_refused_with_its_line_and_both_readings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quoted: bool, chunk: int
) -> None:
    monkeypatch.setattr(streaming, "_TEXT_CHUNK", chunk)
    text = io.StringIO(newline="")
    csv.writer(text, quoting=csv.QUOTE_ALL if quoted else csv.QUOTE_MINIMAL).writerows(
        [HEADER.split(","), *GOOD]
    )
    lines = text.getvalue().encode("gb18030").split(b"\r\n")
    # Line 15's name, copied from a UTF-8 file: its bytes read as GB18030 are rare characters.
    lines[14] = lines[14].replace("企业13".encode("gb18030"), "企业13".encode())
    path = tmp_path / "e.csv"
    path.write_bytes(b"\r\n".join(lines))
    expected, got, stream = compare(path, encoding="gb18030")
    assert got == expected
    said = "line 15 holds UTF-8 text in a gb18030 file: '浼佷笟' is '企业' written in UTF-8"
    assert said in got[0]
    assert not stream.used_reference


def test_a_pasted_utf8_cell_that_does_not_decode_as_gb18030_is_named_as_utf8(
    tmp_path: Path,
) -> None:
    text = io.StringIO(newline="")
    csv.writer(text).writerows([HEADER.split(","), *GOOD])
    lines = text.getvalue().encode("gb18030").split(b"\r\n")
    # Nine bytes of UTF-8 read as GB18030 leave a lead byte before the comma: no GB18030 text.
    lines[3] = lines[3].replace("南开区".encode("gb18030"), "南开区".encode())
    path = tmp_path / "e.csv"
    path.write_bytes(b"\r\n".join(lines))
    expected, got, stream = compare(path, encoding="gb18030")
    assert got == expected
    assert "line 4" in got[0]
    assert "the bytes there are UTF-8 text, '南开区', pasted into a gb18030 file" in got[0]
    assert not stream.used_reference


def test_rare_characters_written_in_gb18030_are_read_as_written(tmp_path: Path) -> None:
    rows = [row(i, name=name) for i, name in enumerate(["喆", "李堃", "王犇犇", "𠀾记"])]
    path = write_file(tmp_path, rows, mapped=False, encoding="gb18030")
    expected, got, stream = compare(path, encoding="gb18030")
    assert got == expected
    assert got[0].startswith("{")
    assert not stream.used_reference


def test_an_ascii_file_read_as_gb18030_is_read(tmp_path: Path) -> None:
    rows = [
        row(
            i,
            name=f"firm{i}",
            district=["120101", "120103"][i % 2],
            industry="C",
            abnormal_operations="false",
            key_area="true",
        )
        for i in range(30)
    ]
    path = write_file(tmp_path, rows, mapped=False, encoding="ascii")
    expected, got, stream = compare(path, encoding="gb18030")
    assert got == expected
    assert got[0].startswith("{")
    assert not stream.used_reference


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    parts=st.lists(
        st.one_of(
            st.sampled_from(["企业", "和平区", "abc,", "\n", "Ω"]).map(lambda s: s.encode()),
            st.sampled_from(["企业", "河西区"]).map(lambda s: s.encode("gb18030")),
            st.sampled_from([b"\xe4\xb8", b"\xff", b"\xef\xbb\xbf"]),
        ),
        max_size=40,
    ),
    window=st.integers(1, 40),
    sizes=st.lists(st.integers(1, 50), min_size=1, max_size=10),
)
def test_the_watch_for_utf8_text_judges_as_the_reference_whatever_the_chunks(
    monkeypatch: pytest.MonkeyPatch, parts: list[bytes], window: int, sizes: list[int]
) -> None:
    from randcheck.io import files

    monkeypatch.setattr(files, "_DAMAGE_WINDOW", window)
    monkeypatch.setattr(streaming, "_DAMAGE_WINDOW", window)
    data = b"".join(parts)
    watch = _Utf8Watch()
    at = 0
    while at < len(data):
        size = sizes[at % len(sizes)]
        watch.feed(data[at : at + size])
        at += size
    looks = _looks_like_utf8_chinese(data)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        assert watch.suspect() is looks
    else:
        # Valid UTF-8 beyond ASCII is left to the reference's judgement on the whole file.
        assert watch.suspect() is not data.isascii()
        assert watch.suspect() or not looks


# --- districts and codes the reference warns about: said by the stream, not left to it ------


def write_noted(
    tmp_path: Path,
    rows: list[dict[str, str]],
    *,
    mapped: bool,
    encoding: str,
    ending: str,
    quoted: int | None,
) -> Path:
    header = list(rows[0])
    table = [[MAPPED_HEADERS[f] for f in header] if mapped else header]
    table += [list(r.values()) for r in rows]
    if quoted is not None:
        # A cell csv.reader must read: the rest of its chunk is not plain text.
        table[1 + quoted % len(rows)][1] += ',"甲"'
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator=ending).writerows(table)
    path = tmp_path / "e.csv"
    path.write_bytes(text.getvalue().encode(encoding))
    return path


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=noted_rows(),
    mapped=st.booleans(),
    encoding=st.sampled_from(["utf-8-sig", "gb18030"]),
    chunk=st.sampled_from([1, 13, 90, 1 << 20]),
    batch=st.sampled_from([1, 4, 1 << 16]),
    ending=st.sampled_from(["\r\n", "\n"]),
    quoted=st.one_of(st.none(), st.integers(0, 30)),
    plan=st.sampled_from([PLAN, SCOPED]),
)
def test_renamed_districts_and_foreign_areas_are_warned_about_by_the_stream_as_the_reference(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rows: list[dict[str, str]],
    mapped: bool,
    encoding: str,
    chunk: int,
    batch: int,
    ending: str,
    quoted: int | None,
    plan: Any,
) -> None:
    monkeypatch.setattr(streaming, "_TEXT_CHUNK", chunk)
    monkeypatch.setattr(streaming, "_CHUNK", max(chunk, 8))
    monkeypatch.setattr(streaming, "_BATCH", batch)
    path = write_noted(
        tmp_path, rows, mapped=mapped, encoding=encoding, ending=ending, quoted=quoted
    )
    expected, got, stream = compare(
        path, encoding=encoding, columns=MAP if mapped else None, plan=plan
    )
    assert got == expected
    assert not stream.used_reference


def district_rows(count: int, **change: Any) -> list[dict[str, str]]:
    return [
        {
            "uscc": area_code("120101", i),
            "name": f"企业{i}",
            "district": "和平区",
            "industry": "制造业",
            "grade": "A",
            "complaints_12m": "0",
            **{field: value(i) for field, value in change.items()},
        }
        for i in range(count)
    ]


def test_more_than_five_renamed_districts_and_foreign_areas_are_counted_as_the_reference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(streaming, "_TEXT_CHUNK", 200)
    rows = district_rows(
        60,
        district=lambda i: ["天津市和平区", "120101", "和平区"][i % 3],
        uscc=lambda i: area_code("120103" if i % 4 == 1 else "120101", i),
    )
    path = write_noted(tmp_path, rows, mapped=False, encoding="utf-8", ending="\n", quoted=None)
    expected, got, stream = compare(path)
    assert got == expected
    said = [message for category, message in got[1] if category is DirectoryWarning]
    assert len(said) == 2
    assert "40 district name(s)" in said[0]
    assert "line 2: '天津市和平区' → 和平区; line 3: '120101' → 和平区" in said[0]
    assert "and 35 more" in said[0]
    assert "15 unified social credit code(s)" in said[1]
    assert "and 10 more" in said[1]
    assert not stream.used_reference


@pytest.mark.parametrize(
    "error",
    [
        {"grade": lambda i: "Z" if i == 50 else "A"},
        {"uscc": lambda i: area_code("120101", 3 if i == 55 else i)},
    ],
)
def test_a_file_with_renamed_districts_and_errors_gives_the_errors_without_the_warnings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: dict[str, Any]
) -> None:
    monkeypatch.setattr(streaming, "_TEXT_CHUNK", 300)
    monkeypatch.setattr(streaming, "_BATCH", 7)
    rows = district_rows(60, district=lambda i: "天津市和平区", **error)
    path = write_noted(tmp_path, rows, mapped=False, encoding="utf-8", ending="\n", quoted=None)
    expected, got, stream = compare(path)
    assert got == expected
    assert got[0].startswith("InputFileError")
    assert not [message for category, message in got[1] if category is DirectoryWarning]
    assert not stream.used_reference


# --- --engine duckdb: the files DuckDB reads, and a word when it does not -------------------


def test_duckdb_reads_a_clean_file_with_a_column_map_itself(tmp_path: Path) -> None:
    path = write_file(tmp_path, GOOD, mapped=True, encoding="utf-8")
    source = ColumnarEnterprises(path, columns=MAP_WITH_TYPO)
    expected, _, _ = compare(path, columns=MAP_WITH_TYPO)
    assert source_outcome(source, PLAN) == expected
    assert source.used_duckdb
    assert source.not_used is None


@pytest.mark.parametrize(
    ("encoding", "change", "why"),
    [
        ("gb18030", {}, "its encoding is gb18030, not UTF-8"),
        ("utf-8", {"name": " "}, "a code or a name needs the Python reader's checks"),
        ("utf-8", {"district": "天津市和平区"}, "a district is written otherwise"),
        ("utf-8", {"grade": "Z"}, "a cell needs the Python reader's checks"),
    ],
)
def test_duckdb_says_why_it_did_not_read_a_file(
    tmp_path: Path, encoding: str, change: dict[str, str], why: str
) -> None:
    rows = [row(i, **change) if i == 7 else row(i) for i in range(20)]
    path = write_file(tmp_path, rows, mapped=False, encoding=encoding)
    source = ColumnarEnterprises(path, encoding=encoding)
    expected, _, _ = compare(path, encoding=encoding)
    assert source_outcome(source, PLAN) == expected
    assert not source.used_duckdb
    assert source.not_used is not None
    assert why in source.not_used


@pytest.mark.parametrize("engine", ["python", "duckdb"])
@pytest.mark.parametrize("workbook", [True, False])
def test_commit_says_on_stderr_when_duckdb_was_asked_for_and_did_not_read_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, workbook: bool
) -> None:
    path = write_file(tmp_path, GOOD, mapped=False, encoding="utf-8")
    if workbook:
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        with open(path, encoding="utf-8", newline="") as stream:
            for cells in csv.reader(stream):
                sheet.append(cells)
        path = tmp_path / "e.xlsx"
        book.save(path)
    plan = tmp_path / "plan.json"
    save_json(plan, "plan", PLAN)
    status = main(
        [
            "commit",
            "--enterprises",
            str(path),
            "--engine",
            engine,
            "--plan",
            str(plan),
            "--out",
            str(tmp_path / "c.json"),
        ]
    )
    assert status == 0
    err = capsys.readouterr().err
    said = [line for line in err.splitlines() if "not by DuckDB" in line]
    if engine == "duckdb" and workbook:
        assert said == [
            f"randcheck: warning: 未用 DuckDB 读取 {path} / {path} was read by the Python "
            "reader, not by DuckDB: it is a workbook"
        ]
    else:
        assert not said
