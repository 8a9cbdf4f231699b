"""CSV and JSON loading and saving: headers in two languages, encodings, every error kind."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _builders import resident_id, uscc
from randcheck.canonical import canonical_json, unstructure
from randcheck.domain import (
    Conflict,
    ConflictGround,
    Enterprise,
    Grade,
    Inspector,
    Line,
    Plan,
    RiskFlags,
)
from randcheck.errors import InputFileError, InvalidIdentifier, Location, ValidationError
from randcheck.io import (
    COLUMNS,
    DirectoryWarning,
    iter_jsonl,
    load_conflicts,
    load_enterprises,
    load_inspectors,
    load_json,
    load_jsonl,
    read_conflicts,
    read_enterprises,
    read_inspectors,
    read_json,
    save_conflicts_csv,
    save_enterprises_csv,
    save_inspectors_csv,
    save_json,
    write_enterprises_csv,
    write_jsonl,
)
from randcheck.io.files import _in_gb2312, _not_gb2312
from randcheck.profiles import TIANJIN_HRSS, Profile, load_profile

DOCS = Path(__file__).resolve().parent.parent / "docs" / "io.md"


def wrong_last(code: str) -> str:
    return code[:-1] + ("1" if code[-1] != "1" else "2")


U1 = uscc("91120101MA05AAAA1")
U2 = uscc("91120102MA05BBBB2")
U3 = uscc("91120116MA05CCCC3")
R1 = resident_id("12010119900101123")
R2 = resident_id("12011619851231004")
BAD_USCC = wrong_last(U1)
BAD_RID = wrong_last(R1)


def write(tmp_path: Path, text: str, *, encoding: str = "utf-8", name: str = "f.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def load_error(load: Callable[..., Any], path: Path, **kwargs: Any) -> InputFileError:
    with pytest.raises(InputFileError) as info:
        load(path, **kwargs)
    assert info.value.errors, "an InputFileError always lists its problems"
    return info.value


def only(error: InputFileError) -> ValidationError:
    [single] = error.errors
    assert isinstance(single, ValidationError)
    return single


def where(error: Any) -> tuple[int | None, str | None]:
    assert error.location is not None
    return error.location.line, error.location.column


# --- enterprises -------------------------------------------------------------------------------

ENTERPRISES = [
    Enterprise(
        uscc=U1,
        name="天津甲制造有限公司",
        district="和平区",
        industry="制造业",
        grade=Grade.A,
        risk=RiskFlags(complaints_12m=2, abnormal_operations=True),
    ),
    Enterprise(
        uscc=U2,
        name="乙, “商贸” 公司",
        district="河东区",
        grade=Grade.B,
        risk=RiskFlags(serious_violation=True),
    ),
    Enterprise(
        uscc=U3,
        name="丙物流",
        district="滨海新区",
        industry="运输业",
        grade=Grade.UNRATED,
        risk=RiskFlags(key_area=True),
    ),
]

EN_ENTERPRISES = (
    "uscc,name,district,industry,grade,complaints_12m,abnormal_operations,"
    "serious_violation,key_area\r\n"
    f"{U1},天津甲制造有限公司,和平区,制造业,A,2,true,false,false\r\n"
    f'{U2},"乙, “商贸” 公司",河东区,,B,0,false,true,false\r\n'
    f"{U3},丙物流,滨海新区,运输业,unrated,,,,1\r\n"
)
ZH_ENTERPRISES = (
    "统一社会信用代码,企业名称,所属区,行业,守法诚信等级,近12个月投诉举报次数,经营异常名录,"
    "严重违法违规记录,重点监管地区\n"
    f"{U1},天津甲制造有限公司,和平区,制造业,守法诚信,2,是,否,否\n"
    f'{U2},"乙, “商贸” 公司",河东区,,基本守法诚信,0,否,是,否\n'
    f"{U3},丙物流,滨海新区,运输业,未评级,0,否,否,是\n"
)


@pytest.mark.parametrize("text", [EN_ENTERPRISES, ZH_ENTERPRISES], ids=["en", "zh"])
@pytest.mark.parametrize(
    ("file_encoding", "encoding"),
    [("utf-8", "utf-8-sig"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030")],
    ids=["utf-8", "utf-8-bom", "gb18030"],
)
def test_enterprises_load_in_both_languages_and_every_encoding(
    tmp_path: Path, text: str, file_encoding: str, encoding: str
) -> None:
    path = write(tmp_path, text, encoding=file_encoding)
    assert load_enterprises(path, encoding=encoding) == ENTERPRISES


def test_a_bom_is_ignored_even_when_plain_utf8_is_asked_for(tmp_path: Path) -> None:
    path = write(tmp_path, ZH_ENTERPRISES, encoding="utf-8-sig")
    assert load_enterprises(path, encoding="utf-8") == ENTERPRISES


def test_headers_match_ignoring_case_space_and_separators(tmp_path: Path) -> None:
    text = (
        " USCC ,Name,  District,INDUSTRY,Grade,Complaints 12m,abnormal-operations,"
        "Serious_Violation,KEY AREA\n" + EN_ENTERPRISES.split("\n", 1)[1]
    )
    assert load_enterprises(write(tmp_path, text)) == ENTERPRISES


def test_aliases_and_optional_columns(tmp_path: Path) -> None:
    text = f"单位名称,区域, 统一社会信用代码 \n甲,和平区,{U1}\n"
    [enterprise] = load_enterprises(write(tmp_path, text))
    assert enterprise == Enterprise(uscc=U1, name="甲", district="和平区")


@pytest.mark.parametrize(
    ("cell", "grade"),
    [
        ("A", Grade.A),
        ("b", Grade.B),
        ("C级", Grade.C),
        ("守法诚信", Grade.A),
        ("基本守法诚信", Grade.B),
        ("不守法诚信", Grade.C),
        ("", Grade.UNRATED),
        ("未评级", Grade.UNRATED),
        ("Unrated", Grade.UNRATED),
    ],
)
def test_grades_in_every_accepted_spelling(tmp_path: Path, cell: str, grade: Grade) -> None:
    text = f"uscc,name,district,grade\n{U1},甲,和平区,{cell}\n"
    assert load_enterprises(write(tmp_path, text))[0].grade == grade


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("是", True),
        ("否", False),
        ("TRUE", True),
        ("false", False),
        ("1", True),
        ("0", False),
        ("yes", True),
        ("No", False),
        ("", False),
    ],
)
def test_booleans_in_every_accepted_spelling(tmp_path: Path, cell: str, value: bool) -> None:
    text = f"uscc,name,district,经营异常名录\n{U1},甲,和平区,{cell}\n"
    assert load_enterprises(write(tmp_path, text))[0].risk.abnormal_operations is value


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def test_full_width_codes_read_as_ascii_but_text_is_kept(tmp_path: Path) -> None:
    text = (
        "统一社会信用代码,企业名称,所属区,守法诚信等级,重点监管地区\n"
        f"{_full_width(U1)},ＡＢＣ公司,和平区,{_full_width('b')},{_full_width('1')}\n"
    )
    [enterprise] = load_enterprises(write(tmp_path, text))
    assert enterprise.uscc == U1
    assert enterprise.name == "ＡＢＣ公司"
    assert enterprise.grade == Grade.B
    assert enterprise.risk.key_area
    text = (
        "姓名,部门,职务,执法证号／身份证号,联系电话,执法证有效期起\n"
        f"张三,处,员,{_full_width(R1)},,{_full_width('2024-01-05')}\n"
    )
    [inspector] = load_inspectors(write(tmp_path, text))
    assert inspector.resident_id == R1
    assert inspector.certificate_no is None
    assert inspector.certificate_valid_from == date(2024, 1, 5)


def test_blank_rows_anywhere_are_skipped_and_line_numbers_stay_physical(tmp_path: Path) -> None:
    text = (
        "uscc,name,district\n"
        "\n"
        f'{U1},"甲\n公司",和平区\n'
        ",,\n"
        f"{U2},乙,河东区\n"
        f"{BAD_USCC},丙,河西区\n"
        "\n\n"
    )
    error = load_error(load_enterprises, write(tmp_path, text))
    # line 3-4 hold one record with a line break inside a quoted cell.
    assert where(only(error)) == (7, "uscc")


def test_a_header_only_file_is_an_empty_directory(tmp_path: Path) -> None:
    assert load_enterprises(write(tmp_path, "uscc,name,district\n")) == []


# --- enterprise errors -------------------------------------------------------------------------


def test_bad_uscc_checksum_names_file_line_column_expected_and_got(tmp_path: Path) -> None:
    path = write(tmp_path, f"统一社会信用代码,企业名称,所属区\n{BAD_USCC},甲,和平区\n")
    error = only(load_error(load_enterprises, path))
    assert isinstance(error, InvalidIdentifier)
    assert error.location == Location(file=str(path), line=2, column="统一社会信用代码")
    assert error.field == "uscc"
    assert error.expected == f"check character {U1[-1]!r}"
    assert error.got == BAD_USCC


def test_the_column_is_the_header_as_written(tmp_path: Path) -> None:
    path = write(tmp_path, f" USCC ,name,district\n{BAD_USCC},甲,和平区\n")
    assert where(only(load_error(load_enterprises, path))) == (2, " USCC ")


def test_a_missing_column_is_reported_once_with_the_headers_found(tmp_path: Path) -> None:
    rows = "".join(f"{code},甲\n" for code in (U1, U2, U3))
    path = write(tmp_path, "统一社会信用代码,企业名称\n" + rows)
    error = only(load_error(load_enterprises, path))
    assert error.location == Location(file=str(path), line=1)
    assert error.field == "district"
    assert error.expected == "a column 'district' or '所属区'"
    assert error.got == ["统一社会信用代码", "企业名称"]
    assert "所属区" in error.message
    assert "统一社会信用代码, 企业名称" in error.message


def test_every_missing_column_is_reported(tmp_path: Path) -> None:
    error = load_error(load_enterprises, write(tmp_path, "industry\n制造业\n"))
    assert [e.field for e in error.errors] == ["uscc", "name", "district"]


def test_a_duplicate_uscc_names_both_lines(tmp_path: Path) -> None:
    text = f"uscc,name,district\n{U1},甲,和平区\n{U2},乙,河东区\n{U1},甲二,河西区\n"
    path = write(tmp_path, text)
    error = only(load_error(load_enterprises, path))
    assert error.location == Location(file=str(path), line=4, column="uscc")
    assert error.got == U1
    assert "lines 2 and 4" in error.message
    assert "line 2" in str(error.expected)


def test_duplicates_are_found_in_whatever_spelling(tmp_path: Path) -> None:
    spaced = f"{U1[:6]} {U1[6:]}".lower()
    text = f"uscc,name,district\n{U1},甲,和平区\n{spaced},甲,和平区\n"
    assert where(only(load_error(load_enterprises, write(tmp_path, text)))) == (3, "uscc")


@pytest.mark.parametrize(
    ("column", "cell", "expected"),
    [
        ("abnormal_operations", "maybe", "是/否, true/false, yes/no or 1/0"),
        ("key_area", "2", "是/否, true/false, yes/no or 1/0"),
        ("grade", "D", "A, B, C, 守法诚信, 基本守法诚信, 不守法诚信, 未评级, unrated or blank"),
        ("complaints_12m", "-1", "a whole number >= 0 of at most 18 digits"),
        ("complaints_12m", "2.5", "a whole number >= 0 of at most 18 digits"),
    ],
)
def test_bad_cells_are_reported_at_their_column(
    tmp_path: Path, column: str, cell: str, expected: str
) -> None:
    path = write(tmp_path, f"uscc,name,district,{column}\n{U1},甲,和平区,{cell}\n")
    error = only(load_error(load_enterprises, path))
    assert error.location == Location(file=str(path), line=2, column=column)
    assert error.field == column
    assert error.expected == expected
    assert error.got == cell
    assert error.message == f"{column}: expected {expected}, got {cell!r}"


def test_several_bad_rows_are_all_reported_in_file_order(tmp_path: Path) -> None:
    text = (
        "uscc,name,district,grade,经营异常名录\n"
        f"{BAD_USCC},甲,和平区,Q,maybe\n"
        f"{U2},乙,河东区,A,是\n"
        f"{U3},,,B,否\n"
        f"{U2},乙,河东区,A,是\n"
    )
    error = load_error(load_enterprises, write(tmp_path, text))
    assert [where(e) for e in error.errors] == [
        (2, "uscc"),
        (2, "grade"),
        (2, "经营异常名录"),
        (4, "name"),
        (4, "district"),
        (5, "uscc"),
    ]
    assert f"{len(error.errors)} error(s)" in error.message


def test_a_code_written_otherwise_is_read_in_compact_form_and_said_with_its_line(
    tmp_path: Path,
) -> None:
    spaced = f"{U1[:8]} {U1[8:]}"
    path = write(
        tmp_path,
        f"uscc,name,district\n{spaced},甲,和平区\n {U2} ,乙,河东区\n"
        f"{U3[:6]}-{U3[6:]},丙,滨海新区\n",
    )
    with pytest.warns(DirectoryWarning) as said:
        loaded = load_enterprises(path)
    assert [e.uscc for e in loaded] == [U1, U2, U3]
    [message] = [str(w.message) for w in said]
    # Spaces around a code are not a respelling; inside it, or a separator, are.
    assert "2 unified social credit code(s) written otherwise" in message
    assert f"line 2: {spaced!r} → {U1}; line 4: '{U3[:6]}-{U3[6:]}' → {U3}" in message


def test_an_unknown_column_is_an_error_unless_ignored(tmp_path: Path) -> None:
    path = write(tmp_path, f"uscc,name,district,备注说明,nme\n{U1},甲,和平区,x,y\n")
    error = load_error(load_enterprises, path)
    assert [where(e) for e in error.errors] == [(1, "备注说明"), (1, "nme")]
    assert "did you mean 'name'" in error.errors[1].message
    assert error.errors[0].got == "备注说明"
    with pytest.warns(DirectoryWarning, match="column\\(s\\) not read") as said:
        assert load_enterprises(path, extra="ignore") == [
            Enterprise(uscc=U1, name="甲", district="和平区")
        ]
    assert "'备注说明'; 'nme'" in str(said[0].message)


def test_a_misspelt_header_skipped_as_unknown_is_named_with_the_header_it_is_close_to(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, f"uscc,name,district,grdae\n{U1},甲,和平区,C\n")
    with pytest.warns(DirectoryWarning) as said:
        [enterprise] = load_enterprises(path, extra="ignore")
    assert enterprise.grade == "unrated"
    [message] = [str(w.message) for w in said]
    assert f"{path}: " in message
    assert "'grdae' (did you mean 'grade'?)" in message


def test_unknown_columns_do_not_stop_the_rows_being_checked(tmp_path: Path) -> None:
    path = write(tmp_path, f"uscc,name,district,x\n{BAD_USCC},甲,和平区,1\n")
    assert [where(e) for e in load_error(load_enterprises, path).errors] == [
        (1, "x"),
        (2, "uscc"),
    ]


def test_two_headers_for_one_field_are_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, f"uscc,name,所属区,区域\n{U1},甲,和平区,河东区\n")
    error = only(load_error(load_enterprises, path))
    assert where(error) == (1, "区域")
    assert error.got == ["所属区", "区域"]


def test_an_empty_file_has_no_header(tmp_path: Path) -> None:
    for text in ("", "\n", " , \n"):
        error = only(load_error(load_enterprises, write(tmp_path, text)))
        assert where(error) == (1, None)
        assert error.expected == "a header line naming the columns"


def test_a_short_row_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, f"uscc,name,district,industry\n{U1},甲,和平区\n")
    error = only(load_error(load_enterprises, path))
    assert where(error) == (2, "industry")
    assert error.got == 3


def test_data_outside_the_named_columns_is_an_error_unless_ignored(tmp_path: Path) -> None:
    path = write(tmp_path, f"uscc,name,,district\n{U1},甲,,和平区,\n{U2},乙,x,河东区,y\n")
    error = only(load_error(load_enterprises, path))
    assert where(error) == (3, None)
    assert error.got == ["x", "y"]
    assert len(load_enterprises(path, extra="ignore")) == 2


def test_malformed_quoting_is_reported_at_the_record_that_starts_it(tmp_path: Path) -> None:
    text = f'uscc,name,district\n{U1},甲,和平区\n{U2},"乙,河东区\n{U3},丙,河西区\n'
    error = only(load_error(load_enterprises, write(tmp_path, text)))
    assert where(error) == (3, None)
    assert "unexpected end of data" in error.message


def test_a_record_failing_its_own_checks_is_located_at_the_field(tmp_path: Path) -> None:
    text = f"执法人员,企业统一社会信用代码,回避事由,说明\nJZ-1,{U1},其他,\n"
    error = only(load_error(load_conflicts, write(tmp_path, text)))
    assert where(error) == (2, "说明")
    assert error.field == "note"


# --- encodings -------------------------------------------------------------------------------


def test_gb18030_read_as_utf8_names_offset_line_and_the_other_encoding(tmp_path: Path) -> None:
    text = f"uscc,name,district\n{U1},甲,和平区\n"
    path = write(tmp_path, text, encoding="gb18030")
    error = load_error(load_enterprises, path)
    offset = len(f"uscc,name,district\n{U1},".encode())
    detail = only(error)
    assert error.location == Location(file=str(path), line=2)
    assert detail.location == Location(file=str(path), line=2)
    assert f"byte {offset}" in error.message
    assert "line 2" in error.message
    assert "encoding='gb18030'" in error.message
    assert str(path) in error.message
    assert detail.got == "甲".encode("gb18030")[:1]


def test_utf8_read_as_gb18030_is_refused_not_garbled(tmp_path: Path) -> None:
    path = write(tmp_path, ZH_ENTERPRISES)
    error = load_error(load_enterprises, path, encoding="gb18030")
    assert "encoding='utf-8-sig'" in error.message
    assert only(error).field == "encoding"


def test_utf8_that_gb18030_can_decode_is_still_refused(tmp_path: Path) -> None:
    # "中文" in UTF-8 happens to be valid GB18030 too (as other characters).
    path = write(tmp_path, f"uscc,name,district\n{U1},中文,x\n")
    assert path.read_bytes().decode("gb18030")
    error = load_error(load_enterprises, path, encoding="gb18030")
    assert "is UTF-8 text" in error.message


# Fifteen rows of Chinese names: enough text for an encoding to be told by.
CHINESE_DIRECTORY = "uscc,name,district\n" + "".join(
    f"{uscc(f'9112010{d}MA05AAA{k}{k}')},天津市第{k}号企业有限公司,和平区\n"
    for d in range(1, 4)
    for k in range(5)
)


def _with_a_cut_character(tmp_path: Path) -> tuple[Path, int]:
    """:data:`CHINESE_DIRECTORY` in UTF-8, one of whose characters lost its last byte: the
    path, and the line of the cut character."""
    data = CHINESE_DIRECTORY.encode()
    cut = data.index("号".encode(), len(data) // 2) + 2
    path = tmp_path / "f.csv"
    path.write_bytes(data[:cut] + data[cut + 1 :])
    return path, data[:cut].count(b"\n") + 1


@pytest.mark.parametrize("encoding", ["utf-8-sig", "auto"])
def test_utf8_with_a_cut_character_names_the_character_not_another_encoding(
    tmp_path: Path, encoding: str
) -> None:
    path, line = _with_a_cut_character(tmp_path)
    error = load_error(load_enterprises, path, encoding=encoding)
    assert "cut short" in error.message
    assert "gb18030" not in error.message
    assert only(error).location == Location(file=str(path), line=line)


def test_utf8_with_a_cut_character_read_as_gb18030_points_back_to_utf8(tmp_path: Path) -> None:
    path, line = _with_a_cut_character(tmp_path)
    error = load_error(load_enterprises, path, encoding="gb18030")
    assert f"UTF-8 text, with a damaged character on line {line}" in error.message
    assert "utf-8-sig" in error.message


@pytest.mark.parametrize("encoding", ["gb18030", "auto"])
def test_gb18030_with_a_cut_character_names_the_character(tmp_path: Path, encoding: str) -> None:
    data = CHINESE_DIRECTORY.encode("gb18030")
    cut = data.index("号".encode("gb18030"), len(data) // 2) + 1
    path = tmp_path / "f.csv"
    path.write_bytes(data[:cut] + data[cut + 1 :])
    error = load_error(load_enterprises, path, encoding=encoding)
    assert "the text around it is GB18030" in error.message
    assert "cut short" in error.message
    assert only(error).location == Location(file=str(path), line=data[:cut].count(b"\n") + 1)


def test_utf16_without_a_byte_order_mark_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(CHINESE_DIRECTORY.encode("utf-16-le"))
    error = load_error(load_enterprises, path)
    assert "UTF-16 without a byte-order mark" in error.message
    assert "gb18030" not in error.message
    assert load_enterprises(path, encoding="utf-16")[0].name == "天津市第0号企业有限公司"


def test_gb18030_text_is_not_taken_for_damaged_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, CHINESE_DIRECTORY, encoding="gb18030")
    error = load_error(load_enterprises, path)
    assert "encoding='gb18030'" in error.message
    assert "cut short" not in error.message


def test_ascii_files_are_fine_in_any_encoding(tmp_path: Path) -> None:
    path = write(tmp_path, f"uscc,name,district\n{U1},A Co.,Heping\n")
    assert load_enterprises(path, encoding="gb18030")[0].name == "A Co."


def test_a_utf16_file_is_named_as_such(tmp_path: Path) -> None:
    path = write(tmp_path, ZH_ENTERPRISES, encoding="utf-16")
    error = load_error(load_enterprises, path)
    assert "UTF-16" in error.message
    assert only(error).got == "utf-16"
    assert load_enterprises(path, encoding="utf-16") == ENTERPRISES


def test_an_unknown_encoding_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="unknown encoding") as info:
        load_enterprises(write(tmp_path, EN_ENTERPRISES), encoding="klingon")
    assert info.value.field == "encoding"


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="cannot open") as info:
        load_enterprises(tmp_path / "absent.csv")
    assert info.value.location == Location(file=str(tmp_path / "absent.csv"))


def test_a_text_stream_that_fails_to_decode_is_reported_with_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path, f"uscc,name,district\n{U1},A,河西区\n{U2},甲,和平区\n", encoding="gb18030"
    )
    with path.open(encoding="utf-8", newline="") as stream, pytest.raises(InputFileError) as info:
        read_enterprises(stream, source="stream.csv")
    [error] = info.value.errors
    assert error.location is not None
    assert error.location.file == "stream.csv"
    assert "encoding='gb18030'" in error.message


def test_every_kind_reads_from_a_stream() -> None:
    assert read_inspectors(io.StringIO(EN_INSPECTORS, newline="")) == INSPECTORS
    text = f"inspector,enterprise,ground\nJZ-0001,{U1},former-employment\n"
    assert read_conflicts(io.StringIO(text, newline=""), source="c.csv") == CONFLICTS[:1]


def test_read_variants_take_a_stream_and_a_source_name() -> None:
    stream = io.StringIO(f"uscc,name,district\n{BAD_USCC},甲,和平区\n", newline="")
    with pytest.raises(InputFileError) as info:
        read_enterprises(stream, source="upload.csv")
    assert info.value.errors[0].location == Location(file="upload.csv", line=2, column="uscc")


# --- inspectors --------------------------------------------------------------------------------

INSPECTORS = [
    Inspector(
        name="张三",
        department="劳动保障监察处",
        post="科员",
        certificate_no="JZ-0001",
        resident_id=R1,
        phone="13800138000",
        district="和平区",
        section="一科",
        lines=frozenset({Line.LABOUR_INSPECTION, Line.SOCIAL_INSURANCE_AUDIT}),
        certificate_valid_from=date(2024, 1, 1),
        certificate_valid_until=date(2026, 12, 31),
        former_employers=(U1, U2),
        relatives_employers=(U3,),
        shareholdings=(),
    ),
    Inspector(
        name="李四",
        department="医疗保障处",
        post="副处长",
        resident_id=R2,
        phone="",
        lines=frozenset({Line.MEDICAL_INSURANCE_SUPERVISION}),
        shareholdings=(U3,),
    ),
]

EN_INSPECTORS = (
    "name,department,post,certificate_no,resident_id,phone,district,section,lines,"
    "certificate_valid_from,certificate_valid_until,former_employers,relatives_employers,"
    "shareholdings\n"
    f"张三,劳动保障监察处,科员,JZ-0001,{R1},13800138000,和平区,一科,"
    f"labour-inspection;social-insurance-audit,2024-01-01,2026-12-31,{U1};{U2},{U3},\n"
    f"李四,医疗保障处,副处长,,{R2},,,,medical-insurance-supervision,,,,,{U3}\n"
)
ZH_INSPECTORS = (
    "姓名,部门,职务,执法证号/身份证号,联系电话,所属区,科室,执法领域,执法证有效期起,"
    "执法证有效期止,曾任职单位,亲属任职单位,持股企业\n"
    f"张三,劳动保障监察处,科员,JZ-0001,13800138000,和平区,一科,劳动保障监察、社会保险稽查,"
    f"2024/1/1,2026年12月31日,{U1}、{U2},{U3},\n"
    f"李四,医疗保障处,副处长,{R2},,,,医疗保险监督检查,,,,,{U3}\n"
)


def test_inspectors_load_with_english_headers(tmp_path: Path) -> None:
    assert load_inspectors(write(tmp_path, EN_INSPECTORS)) == INSPECTORS


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_inspectors_load_with_chinese_headers_and_a_combined_identity_column(
    tmp_path: Path, encoding: str
) -> None:
    path = write(tmp_path, ZH_INSPECTORS, encoding=encoding)
    loaded = load_inspectors(path, encoding="gb18030" if encoding == "gb18030" else "utf-8-sig")
    # The combined column holds one identifier per row: the certificate for 张三.
    assert loaded == [attrs.evolve(INSPECTORS[0], resident_id=None), INSPECTORS[1]]
    assert loaded[1].key == R2


@pytest.mark.parametrize("cell", ["2024-1-5", "2024/01/05", "2024.1.5", "20240105", "2024年1月5日"])
def test_dates_in_every_accepted_form(tmp_path: Path, cell: str) -> None:
    text = f"姓名,部门,职务,执法证号,联系电话,执法证有效期起\n张三,处,员,JZ-1,,{cell}\n"
    assert load_inspectors(write(tmp_path, text))[0].certificate_valid_from == date(2024, 1, 5)


def test_lines_and_usccs_take_every_separator(tmp_path: Path) -> None:
    text = (
        "姓名,部门,职务,执法证号,联系电话,条线,曾任职单位\n"
        f'张三,处,员,JZ-1,,"Labour-Inspection ； 医疗保险监督检查,",'
        f'"{U1}，{U2} {U3};"\n'
    )
    [inspector] = load_inspectors(write(tmp_path, text))
    assert inspector.lines == {Line.LABOUR_INSPECTION, Line.MEDICAL_INSURANCE_SUPERVISION}
    assert inspector.former_employers == (U1, U2, U3)


def test_an_identity_number_in_the_combined_column_must_be_valid(tmp_path: Path) -> None:
    text = f"姓名,部门,职务,执法证号/身份证号,联系电话\n张三,处,员,{BAD_RID},\n"
    path = write(tmp_path, text)
    error = only(load_error(load_inspectors, path))
    assert isinstance(error, InvalidIdentifier)
    assert error.location == Location(file=str(path), line=2, column="执法证号/身份证号")
    assert error.field == "certificate_or_id"
    assert error.expected == f"check character {R1[-1]!r}"
    assert error.got == BAD_RID
    assert BAD_RID not in error.message


def test_a_bad_resident_id_checksum_in_its_own_column(tmp_path: Path) -> None:
    text = f"name,department,post,resident_id,phone\n张三,处,员,{BAD_RID},\n"
    error = only(load_error(load_inspectors, write(tmp_path, text)))
    assert where(error) == (2, "resident_id")
    assert error.field == "resident_id"
    assert error.got == BAD_RID


def test_a_fifteen_digit_number_is_not_taken_for_a_certificate(tmp_path: Path) -> None:
    text = f"姓名,部门,职务,执法证号/身份证号,联系电话\n张三,处,员,{R1[:6]}900101123,\n"
    error = only(load_error(load_inspectors, write(tmp_path, text)))
    assert "15-digit" in error.message
    assert "900101" not in error.message


def test_the_combined_column_cannot_be_mixed_with_the_separate_ones(tmp_path: Path) -> None:
    text = f"姓名,部门,职务,执法证号/身份证号,身份证号,联系电话\n张三,处,员,JZ-1,{R1},\n"
    error = only(load_error(load_inspectors, write(tmp_path, text)))
    assert where(error) == (1, "身份证号")


def test_an_inspector_file_needs_some_identifier_column(tmp_path: Path) -> None:
    error = only(load_error(load_inspectors, write(tmp_path, "姓名,部门,职务,联系电话\n")))
    assert where(error) == (1, None)
    assert error.got == ["姓名", "部门", "职务", "联系电话"]


def test_an_inspector_without_any_identifier_is_reported_at_the_column(tmp_path: Path) -> None:
    text = "姓名,部门,职务,执法证号/身份证号,联系电话\n张三,处,员,,\n"
    error = only(load_error(load_inspectors, write(tmp_path, text)))
    assert where(error) == (2, "执法证号/身份证号")
    text = "name,department,post,certificate_no,phone\n张三,处,员,,\n"
    error = only(load_error(load_inspectors, write(tmp_path, text)))
    assert where(error) == (2, "certificate_no")


@pytest.mark.parametrize(
    ("column", "cell", "expected"),
    [
        ("执法证有效期起", "2024-02-30", "a date that exists"),
        ("执法证有效期止", "45292", "a date YYYY-MM-DD"),
        ("执法领域", "医保", "劳动保障监察"),
        ("曾任职单位", BAD_USCC, f"check character {U1[-1]!r}"),
    ],
)
def test_bad_inspector_cells(tmp_path: Path, column: str, cell: str, expected: str) -> None:
    text = f"姓名,部门,职务,执法证号,联系电话,{column}\n张三,处,员,JZ-1,,{cell}\n"
    path = write(tmp_path, text)
    error = only(load_error(load_inspectors, path))
    assert error.location == Location(file=str(path), line=2, column=column)
    assert str(error.expected).startswith(expected)
    assert error.got == cell


def test_an_unknown_line_lists_every_unknown_part(tmp_path: Path) -> None:
    text = "姓名,部门,职务,执法证号,联系电话,执法领域\n张三,处,员,JZ-1,,医保;劳动保障监察;社保\n"
    error = only(load_error(load_inspectors, write(tmp_path, text)))
    assert error.got == ["医保", "社保"]
    assert "医保, 社保" in error.message


def test_a_certificate_ending_before_it_starts(tmp_path: Path) -> None:
    text = (
        "姓名,部门,职务,执法证号,联系电话,执法证有效期起,执法证有效期止\n"
        "张三,处,员,JZ-1,,2025-01-01,2024-12-31\n"
    )
    error = only(load_error(load_inspectors, write(tmp_path, text)))
    assert where(error) == (2, "执法证有效期止")
    assert error.got == "2024-12-31"


def test_duplicate_inspector_keys_and_identity_numbers(tmp_path: Path) -> None:
    text = (
        "name,department,post,certificate_no,resident_id,phone\n"
        f"张三,处,员,JZ-1,{R1},\n"
        f"张三,处,员,JZ-1,,\n"
        f"张三,处,员,JZ-2,{R1},\n"
        f"李四,处,员,,{R2},\n"
        f"李四,处,员,,{R2},\n"
        f"李四,处,员,JZ-3,{R2},\n"
    )
    error = load_error(load_inspectors, write(tmp_path, text))
    assert [(where(e), e.got) for e in error.errors] == [
        ((3, "certificate_no"), "JZ-1"),
        ((4, "resident_id"), R1),
        ((6, "resident_id"), R2),
        ((7, "resident_id"), R2),
    ]
    assert "lines 2 and 4" in error.errors[1].message
    assert R1 not in error.errors[1].message
    assert "lines 5 and 6" in error.errors[2].message


# --- conflicts ---------------------------------------------------------------------------------

CONFLICTS = [
    Conflict(inspector="JZ-0001", enterprise=U1, ground=ConflictGround.FORMER_EMPLOYMENT),
    Conflict(inspector="JZ-0001", enterprise=U2, ground=ConflictGround.RELATIVE, note="配偶"),
    Conflict(inspector=R2, enterprise=U3, ground=ConflictGround.SHAREHOLDING),
    Conflict(inspector="JZ-0009", enterprise=U3, ground=ConflictGround.SAME_PERSON),
    Conflict(inspector="JZ-0009", enterprise=U1, ground=ConflictGround.OTHER, note="同学"),
]


@pytest.mark.parametrize(
    "text",
    [
        "inspector,enterprise,ground,note\n"
        f"JZ-0001,{U1},former-employment,\n"
        f"JZ-0001,{U2},relative,配偶\n"
        f"{R2},{U3},shareholding,\n"
        f"JZ-0009,{U3},same_person,\n"
        f"JZ-0009,{U1},Other,同学\n",
        "执法人员,企业统一社会信用代码,回避事由,说明\n"
        f"JZ-0001,{U1},曾任职,\n"
        f"JZ-0001,{U2},亲属,配偶\n"
        f"{R2},{U3},持股,\n"
        f"JZ-0009,{U3},本人,\n"
        f"JZ-0009,{U1},其他,同学\n",
    ],
    ids=["en", "zh"],
)
def test_conflicts_load_in_both_languages(tmp_path: Path, text: str) -> None:
    assert load_conflicts(write(tmp_path, text)) == CONFLICTS
    path = write(tmp_path, text, encoding="gb18030", name="gb.csv")
    assert load_conflicts(path, encoding="gb18030") == CONFLICTS


def test_conflict_errors(tmp_path: Path) -> None:
    text = (
        "执法人员,企业统一社会信用代码,回避事由\n"
        f"JZ-1,{U1},曾任职\n"
        f"JZ-1,{U1},亲属\n"
        f",{BAD_USCC},朋友\n"
        f"JZ-2,,\n"
    )
    error = load_error(load_conflicts, write(tmp_path, text))
    assert [(where(e), e.field) for e in error.errors] == [
        ((3, "企业统一社会信用代码"), "enterprise"),
        ((4, "执法人员"), "inspector"),
        ((4, "企业统一社会信用代码"), "enterprise"),
        ((4, "回避事由"), "ground"),
        ((5, "企业统一社会信用代码"), "enterprise"),
        ((5, "回避事由"), "ground"),
    ]
    assert "lines 2 and 3" in error.errors[0].message
    assert error.errors[3].got == "朋友"


# --- saving CSV --------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", ["en", "zh"])
def test_saved_files_load_back_unchanged(tmp_path: Path, headers: Any) -> None:
    save_enterprises_csv(tmp_path / "e.csv", ENTERPRISES, headers=headers)
    save_inspectors_csv(tmp_path / "i.csv", INSPECTORS, headers=headers)
    save_conflicts_csv(tmp_path / "c.csv", CONFLICTS, headers=headers)
    assert load_enterprises(tmp_path / "e.csv") == ENTERPRISES
    assert load_inspectors(tmp_path / "i.csv") == INSPECTORS
    assert load_conflicts(tmp_path / "c.csv") == CONFLICTS


def test_saved_headers_and_values_follow_the_language(tmp_path: Path) -> None:
    save_enterprises_csv(tmp_path / "zh.csv", ENTERPRISES, headers="zh")
    raw = (tmp_path / "zh.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(column.zh for column in COLUMNS["enterprises"])
    assert lines[3].endswith(",未评级,0,否,否,是")
    save_conflicts_csv(tmp_path / "c.csv", CONFLICTS, headers="zh", encoding="gb18030")
    text = (tmp_path / "c.csv").read_bytes().decode("gb18030")
    assert text.splitlines()[1] == f"JZ-0001,{U1},曾任职,"
    save_inspectors_csv(tmp_path / "i.csv", INSPECTORS, headers="en", encoding="utf-8")
    first = (tmp_path / "i.csv").read_text(encoding="utf-8").splitlines()[1]
    assert "labour-inspection;social-insurance-audit" in first
    assert f"{U1};{U2}" in first


def test_saving_refuses_what_could_not_be_loaded(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    with pytest.raises(ValidationError, match="duplicate uscc"):
        save_enterprises_csv(path, [ENTERPRISES[0], ENTERPRISES[0]])
    with pytest.raises(ValidationError, match="duplicate key"):
        save_inspectors_csv(path, [INSPECTORS[0], INSPECTORS[0]])
    with pytest.raises(ValidationError, match="duplicate conflict"):
        save_conflicts_csv(path, [CONFLICTS[0], CONFLICTS[0]])
    with pytest.raises(ValidationError) as info:
        save_enterprises_csv(path, ENTERPRISES, headers="fr")  # type: ignore[arg-type]
    assert info.value.field == "headers"
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_failed_save_leaves_the_old_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    save_enterprises_csv(path, ENTERPRISES)
    before = path.read_bytes()

    def broken() -> Iterator[Enterprise]:
        yield ENTERPRISES[0]
        raise RuntimeError("source went away")

    with pytest.raises(RuntimeError):
        save_enterprises_csv(path, broken())
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["e.csv"]


def test_writers_take_a_stream() -> None:
    stream = io.StringIO(newline="")
    write_enterprises_csv(stream, ENTERPRISES[:1])
    stream.seek(0)
    assert read_enterprises(stream) == ENTERPRISES[:1]


# --- CSV round trips with generated objects ----------------------------------------------------

_CHARS = st.sampled_from(
    list("甲乙丙丁天津和平河东西南开北区公司有限责任劳动保障监察科处员")
    + list("abcXYZ019 ,;、\"'\n-_.()（）")
)
_text = st.text(_CHARS, max_size=10).map(str.strip)
_name = _text.filter(bool)
_usccs = st.tuples(
    st.sampled_from(["91", "92", "12", "Y1"]),
    st.sampled_from(["120101", "120116", "120119"]),
    st.text("0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=9, max_size=9),
).map(lambda t: uscc("".join(t)))
_rids = st.tuples(
    st.sampled_from(["120101", "120116"]),
    st.dates(min_value=date(1950, 1, 1), max_value=date(2005, 12, 31)),
    st.integers(0, 999),
).map(lambda t: resident_id(f"{t[0]}{t[1]:%Y%m%d}{t[2]:03d}"))
_day = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))

_enterprise = st.builds(
    Enterprise,
    uscc=_usccs,
    name=_name,
    district=st.sampled_from([d.name for d in TIANJIN_HRSS.districts]),
    industry=_text,
    grade=st.sampled_from(Grade),
    risk=st.builds(
        RiskFlags,
        complaints_12m=st.integers(0, 999),
        abnormal_operations=st.booleans(),
        serious_violation=st.booleans(),
        key_area=st.booleans(),
    ),
)


@st.composite
def _inspector(draw: st.DrawFn) -> Inspector:
    certificate = draw(st.none() | st.from_regex(r"JZ-[0-9]{4}", fullmatch=True))
    rid = draw(_rids if certificate is None else st.none() | _rids)
    start, end = sorted([draw(_day), draw(_day)])
    return Inspector(
        name=draw(_text),
        department=draw(_text),
        post=draw(_text),
        certificate_no=certificate,
        resident_id=rid,
        phone=draw(st.sampled_from(["", "13800138000", "022-2345 6789"])),
        district=draw(st.sampled_from(["", *(d.name for d in TIANJIN_HRSS.districts)])),
        section=draw(_text),
        lines=draw(st.frozensets(st.sampled_from(Line))),
        certificate_valid_from=draw(st.none() | st.just(start)),
        certificate_valid_until=draw(st.none() | st.just(end)),
        former_employers=draw(st.lists(_usccs, max_size=3)),
        relatives_employers=draw(st.lists(_usccs, max_size=2)),
        shareholdings=draw(st.lists(_usccs, max_size=2)),
    )


_conflict = st.builds(
    Conflict,
    inspector=st.from_regex(r"JZ-[0-9]{3}", fullmatch=True),
    enterprise=_usccs,
    ground=st.sampled_from(ConflictGround),
    note=_name,
)


def _unique_by(key: Callable[[Any], Any]) -> Callable[[list[Any]], list[Any]]:
    def pick(items: list[Any]) -> list[Any]:
        seen: dict[Any, Any] = {}
        for item in items:
            seen.setdefault(key(item), item)
        return list(seen.values())

    return pick


_settings = settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
_options = st.sampled_from([("en", "utf-8-sig"), ("zh", "utf-8-sig"), ("zh", "gb18030")])


@_settings
@given(st.lists(_enterprise, max_size=6).map(_unique_by(lambda e: e.uscc)), _options)
def test_enterprises_round_trip_through_csv(
    tmp_path: Path, items: list[Enterprise], options: tuple[Any, str]
) -> None:
    headers, encoding = options
    path = tmp_path / "e.csv"
    save_enterprises_csv(path, items, headers=headers, encoding=encoding)
    loaded = load_enterprises(path, encoding=encoding)
    assert loaded == items
    save_enterprises_csv(path, loaded, headers=headers, encoding=encoding)
    assert load_enterprises(path, encoding=encoding) == items


@_settings
@given(st.lists(_inspector(), max_size=5).map(_unique_by(lambda i: i.key)), _options)
def test_inspectors_round_trip_through_csv(
    tmp_path: Path, items: list[Inspector], options: tuple[Any, str]
) -> None:
    items = _unique_by(lambda i: i.resident_id or i.key)(items)
    headers, encoding = options
    path = tmp_path / "i.csv"
    save_inspectors_csv(path, items, headers=headers, encoding=encoding)
    assert load_inspectors(path, encoding=encoding) == items


@_settings
@given(
    st.lists(_conflict, max_size=6).map(_unique_by(lambda c: (c.inspector, c.enterprise))),
    _options,
)
def test_conflicts_round_trip_through_csv(
    tmp_path: Path, items: list[Conflict], options: tuple[Any, str]
) -> None:
    headers, encoding = options
    path = tmp_path / "c.csv"
    save_conflicts_csv(path, items, headers=headers, encoding=encoding)
    assert load_conflicts(path, encoding=encoding) == items


# --- directories of another profile ----------------------------------------------------------

# A market-regulation profile: credit-risk classes A-D (and "unrated", 未分类), lines
# market-regulation (市场监管) and tax (税务).
MARKET = load_profile(Path(__file__).resolve().parent / "fixtures" / "user-profile.toml")
MARKET_CLASSES = (
    "A, B, C, D, 信用风险低, 信用风险一般, 信用风险较高, 信用风险高, 未分类, unrated or blank"
)
TIANJIN_GRADES = "A, B, C, 守法诚信, 基本守法诚信, 不守法诚信, 未评级, unrated or blank"

MARKET_ENTERPRISES = [
    Enterprise(uscc=U1, name="甲超市", district="东城区", grade="C"),
    Enterprise(uscc=U2, name="乙餐饮", district="西城区", grade="D"),
    Enterprise(uscc=U3, name="丙药店", district="东城区", industry="零售业"),
]
MARKET_INSPECTORS = [
    Inspector(
        name="王五",
        department="市场监管局",
        post="科员",
        certificate_no="SC-0001",
        phone="13800138000",
        lines=frozenset({"market-regulation"}),
    ),
    Inspector(
        name="赵六",
        department="税务局",
        post="科员",
        certificate_no="SC-0002",
        phone="13800138001",
        lines=frozenset({"market-regulation", "tax"}),
    ),
]


def test_a_credit_risk_directory_loads_with_its_profile(tmp_path: Path) -> None:
    text = (
        "统一社会信用代码,企业名称,所属区,行业,企业信用风险分类\n"
        f"{U1},甲超市,东城区,,信用风险较高\n"
        f"{U2},乙餐饮,西城区,,D\n"
        f"{U3},丙药店,东城区,零售业,\n"
    )
    assert load_enterprises(write(tmp_path, text), profile=MARKET) == MARKET_ENTERPRISES
    # The usual header names the same column; so does the scheme's id.
    for header in ("守法诚信等级", "grade", "credit-risk", "Credit Risk"):
        other = write(tmp_path, text.replace("企业信用风险分类", header), name="h.csv")
        assert load_enterprises(other, profile=MARKET) == MARKET_ENTERPRISES, header


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("A", "A"),
        ("d", "D"),
        ("Ｄ", "D"),
        ("D级", "D"),
        ("信用风险低", "A"),
        ("信用风险一般", "B"),
        ("信用风险较高", "C"),
        ("信用风险高", "D"),
        ("未分类", "unrated"),
        ("Unrated", "unrated"),
        ("", "unrated"),
    ],
)
def test_classes_of_the_profile_in_every_accepted_spelling(
    tmp_path: Path, cell: str, code: str
) -> None:
    text = f"uscc,name,district,grade\n{U1},甲,东城区,{cell}\n"
    assert load_enterprises(write(tmp_path, text), profile=MARKET)[0].grade == code


@pytest.mark.parametrize("cell", ["E", "守法诚信", "未评级", "低风险"])
def test_an_unknown_class_lists_the_profiles_classes(tmp_path: Path, cell: str) -> None:
    path = write(tmp_path, f"uscc,name,district,企业信用风险分类\n{U1},甲,东城区,{cell}\n")
    error = only(load_error(load_enterprises, path, profile=MARKET))
    assert where(error) == (2, "企业信用风险分类")
    assert error.field == "grade"
    assert error.expected == MARKET_CLASSES
    assert error.got == cell
    assert error.message == f"grade: expected {MARKET_CLASSES}, got {cell!r}"


def test_the_tianjin_loader_still_refuses_credit_risk_classes(tmp_path: Path) -> None:
    path = write(tmp_path, f"uscc,name,district,grade\n{U1},甲,和平区,D\n")
    error = only(load_error(load_enterprises, path))
    assert error.expected == TIANJIN_GRADES
    assert error.message == f"grade: expected {TIANJIN_GRADES}, got 'D'"
    # Nor does it know the credit-risk scheme's header.
    text = f"uscc,name,district,企业信用风险分类\n{U1},甲,和平区,A\n"
    unknown = only(load_error(load_enterprises, write(tmp_path, text, name="g.csv")))
    assert unknown.got == "企业信用风险分类"
    assert "unknown column" in unknown.message


def test_an_explicit_tianjin_profile_reads_as_the_default(tmp_path: Path) -> None:
    assert load_enterprises(write(tmp_path, ZH_ENTERPRISES), profile=TIANJIN_HRSS) == ENTERPRISES
    assert load_inspectors(write(tmp_path, EN_INSPECTORS), profile=TIANJIN_HRSS) == INSPECTORS
    path = write(tmp_path, f"uscc,name,district,grade\n{U1},甲,和平区,D\n")
    explicit = only(load_error(load_enterprises, path, profile=TIANJIN_HRSS))
    default = only(load_error(load_enterprises, path))
    assert (explicit.message, explicit.expected) == (default.message, default.expected)


def test_lines_of_another_profile_by_id_or_chinese_name(tmp_path: Path) -> None:
    text = (
        "姓名,部门,职务,执法证号,联系电话,执法领域\n"
        "王五,市场监管局,科员,SC-0001,13800138000,市场监管\n"
        '赵六,税务局,科员,SC-0002,13800138001,"TAX；Market-Regulation"\n'
    )
    assert load_inspectors(write(tmp_path, text), profile=MARKET) == MARKET_INSPECTORS
    # The Tianjin loader does not know these lines, nor the market profile Tianjin's.
    error = load_error(load_inspectors, write(tmp_path, text, name="tj.csv"))
    assert [e.got for e in error.errors] == ["市场监管", ["TAX", "Market-Regulation"]]
    assert (
        "劳动保障监察, 社会保险稽查, 医疗保险监督检查, labour-inspection" in error.errors[0].message
    )
    tianjin = text.replace("市场监管\n", "劳动保障监察\n")
    error = only(
        load_error(load_inspectors, write(tmp_path, tianjin, name="m.csv"), profile=MARKET)
    )
    assert error.got == "劳动保障监察"
    assert error.expected == "市场监管, 税务, market-regulation, tax, separated by ; or 、"


@pytest.mark.parametrize("headers", ["en", "zh"])
def test_a_directory_of_another_profile_round_trips(tmp_path: Path, headers: Any) -> None:
    save_enterprises_csv(tmp_path / "e.csv", MARKET_ENTERPRISES, headers=headers, profile=MARKET)
    save_inspectors_csv(tmp_path / "i.csv", MARKET_INSPECTORS, headers=headers, profile=MARKET)
    save_conflicts_csv(tmp_path / "c.csv", CONFLICTS, headers=headers, profile=MARKET)
    assert load_enterprises(tmp_path / "e.csv", profile=MARKET) == MARKET_ENTERPRISES
    assert load_inspectors(tmp_path / "i.csv", profile=MARKET) == MARKET_INSPECTORS
    assert load_conflicts(tmp_path / "c.csv", profile=MARKET) == CONFLICTS
    with pytest.raises(InputFileError):
        load_enterprises(tmp_path / "e.csv")


def test_chinese_headers_write_the_profiles_names(tmp_path: Path) -> None:
    save_enterprises_csv(tmp_path / "e.csv", MARKET_ENTERPRISES, headers="zh", profile=MARKET)
    lines = (tmp_path / "e.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].split(",")[4] == "企业信用风险分类"
    assert [line.split(",")[4] for line in lines[1:]] == ["C", "D", "未分类"]
    save_inspectors_csv(tmp_path / "i.csv", MARKET_INSPECTORS, headers="zh", profile=MARKET)
    lines = (tmp_path / "i.csv").read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(",")[8] for line in lines[1:]] == ["市场监管", "市场监管、税务"]
    save_inspectors_csv(tmp_path / "i-en.csv", MARKET_INSPECTORS, headers="en", profile=MARKET)
    lines = (tmp_path / "i-en.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[2].split(",")[8] == "market-regulation;tax"


@_settings
@given(
    st.lists(
        st.builds(
            Enterprise,
            uscc=_usccs,
            name=_name,
            district=st.sampled_from([d.name for d in MARKET.districts]),
            industry=_text,
            grade=st.sampled_from(MARKET.grading.codes),
        ),
        max_size=6,
    ).map(_unique_by(lambda e: e.uscc)),
    _options,
)
def test_credit_risk_enterprises_round_trip_through_csv(
    tmp_path: Path, items: list[Enterprise], options: tuple[Any, str]
) -> None:
    headers, encoding = options
    path = tmp_path / "e.csv"
    save_enterprises_csv(path, items, headers=headers, encoding=encoding, profile=MARKET)
    assert load_enterprises(path, encoding=encoding, profile=MARKET) == items


# --- JSON documents ----------------------------------------------------------------------------

PLAN = Plan(
    code="TJ-2025-LI",
    year=2025,
    line=Line.LABOUR_INSPECTION,
    ratio=Fraction(1, 20),
    stratum_ratios=(("和平区", Fraction(1, 10)),),
)


def test_json_documents_round_trip_and_are_canonical(tmp_path: Path) -> None:
    path = tmp_path / "e.json"
    save_json(path, "enterprises", ENTERPRISES)
    raw = path.read_bytes()
    assert raw.endswith(b"\n")
    assert raw[:-1].decode("utf-8") == canonical_json(
        {"schema": 1, "kind": "enterprises", "data": unstructure(ENTERPRISES)}
    )
    assert "天津甲制造有限公司".encode() in raw
    assert load_json(path, "enterprises", list[Enterprise]) == ENTERPRISES
    save_json(tmp_path / "p.json", "plan", PLAN)
    assert load_json(tmp_path / "p.json", "plan", Plan) == PLAN
    save_json(tmp_path / "profile.json", "profile", TIANJIN_HRSS)
    assert load_json(tmp_path / "profile.json", "profile", Profile) == TIANJIN_HRSS


@_settings
@given(
    st.lists(_enterprise, max_size=4),
    st.lists(_inspector(), max_size=3),
    st.lists(_conflict, max_size=3),
)
def test_generated_objects_round_trip_through_json(
    tmp_path: Path,
    enterprises: list[Enterprise],
    inspectors: list[Inspector],
    conflicts: list[Conflict],
) -> None:
    value = (enterprises, inspectors, conflicts)
    path = tmp_path / "all.json"
    save_json(path, "bundle", value)
    loaded = load_json(path, "bundle", tuple[list[Enterprise], list[Inspector], list[Conflict]])
    assert loaded == value


def test_json_structure_errors_list_every_problem_with_its_path(tmp_path: Path) -> None:
    data = unstructure(ENTERPRISES)
    data[0]["uscc"] = BAD_USCC
    data[2]["risk"]["complaints_12m"] = 1.5
    data[1]["grade"] = ""
    path = write(
        tmp_path,
        json.dumps({"schema": 1, "kind": "enterprises", "data": data}),
        name="e.json",
    )
    error = load_error(load_json, path, kind="enterprises", cls=list[Enterprise])
    assert [e.field for e in error.errors] == [
        "$.data[0].uscc",
        "$.data[1].grade",
        "$.data[2].risk.complaints_12m",
    ]
    assert str(error.errors[0]).endswith("@ $.data[0].uscc")
    assert error.errors[0].location == Location(file=str(path))
    assert error.errors[2].got == 1.5


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ('{"schema": 1,\n "kind": "x",\n "data": [1,]}', "malformed JSON", 3),
        ('{"schema": 1, "kind": "x", "data": 1, "data": 2}', "appears twice", 1),
        ('{"schema": 1, "kind": "x", "data": NaN}', "NaN is not a JSON number", 1),
        ('{"schema": 1,\n "kind": "x", "data": NaN}', "NaN is not a JSON number", 2),
    ],
)
def test_json_syntax_errors(tmp_path: Path, text: str, message: str, line: int | None) -> None:
    path = write(tmp_path, text, name="x.json")
    error = load_error(load_json, path, kind="x", cls=int)
    assert message in error.message
    assert only(error).location == Location(file=str(path), line=line)


def test_json_in_another_encoding_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, '{"data": "和平区"}', encoding="gb18030", name="x.json")
    error = load_error(load_json, path, kind="x", cls=str)
    assert "JSON files are UTF-8" in error.message
    assert only(error).location == Location(file=str(path), line=1)


def test_json_with_the_wrong_kind_or_schema(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    save_json(path, "plan", PLAN)
    error = load_error(load_json, path, kind="ledger", cls=Plan)
    assert [e.field for e in error.errors] == ["$.kind"]
    assert error.errors[0].location == Location(file=str(path))


def test_read_json_takes_text() -> None:
    assert read_json('{"schema":1,"kind":"n","data":"1/3"}', "n", Fraction) == Fraction(1, 3)
    with pytest.raises(InputFileError) as info:
        read_json("[", "n", Fraction, source="upload.json")
    assert info.value.location == Location(file="upload.json", line=1)


def test_load_json_of_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="cannot open"):
        load_json(tmp_path / "nope.json", "x", int)


# --- JSON Lines --------------------------------------------------------------------------------


def test_jsonl_round_trip_with_a_header_line(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"
    assert write_jsonl(path, "enterprises", iter(ENTERPRISES)) == 3
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == '{"kind":"enterprises","schema":1}'
    assert lines[1] == canonical_json(unstructure(ENTERPRISES[0]))
    assert load_jsonl(path, "enterprises", Enterprise) == ENTERPRISES
    assert list(iter_jsonl(path, "enterprises", Enterprise)) == ENTERPRISES


def test_an_empty_collection_is_just_the_header(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"
    assert write_jsonl(path, "enterprises", []) == 0
    assert load_jsonl(path, "enterprises", Enterprise) == []


def test_jsonl_errors_are_collected_with_line_numbers(tmp_path: Path) -> None:
    good = [canonical_json(unstructure(e)) for e in ENTERPRISES]
    bad = unstructure(ENTERPRISES[0])
    bad["uscc"] = BAD_USCC
    lines = [
        '{"kind":"enterprises","schema":1}',
        good[0],
        "",
        json.dumps(bad),
        '{"uscc": ',
        good[1],
        '{"uscc":"x","name":"n","district":"d","zz":1}',
    ]
    path = write(tmp_path, "\n".join(lines) + "\n", name="e.jsonl")
    error = load_error(load_jsonl, path, kind="enterprises", cls=Enterprise)
    assert [(e.location.line if e.location else None) for e in error.errors] == [4, 5, 7]
    assert error.errors[0].field == "$.uscc"
    assert "malformed JSON" in error.errors[1].message
    assert {e.location.file for e in error.errors if e.location} == {str(path)}


def test_iter_jsonl_checks_the_whole_file_before_yielding(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"
    write_jsonl(path, "enterprises", ENTERPRISES)
    with path.open("a", encoding="utf-8") as stream:
        stream.write('{"broken": true}\n')
    values = iter_jsonl(path, "enterprises", Enterprise)
    with pytest.raises(InputFileError) as info:
        next(values)
    assert info.value.errors[0].location == Location(file=str(path), line=5)


def test_a_jsonl_file_with_a_bad_header_is_not_read_further(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"
    write_jsonl(path, "inspectors", INSPECTORS)
    error = load_error(load_jsonl, path, kind="enterprises", cls=Enterprise)
    assert [e.field for e in error.errors] == ["$.kind"]
    with pytest.raises(InputFileError):
        list(iter_jsonl(path, "enterprises", Enterprise))
    text = path.read_text(encoding="utf-8").splitlines()
    write(tmp_path, "\n".join(["[", *text[1:]]), name="e.jsonl")
    error = load_error(load_jsonl, path, kind="inspectors", cls=Inspector)
    assert [e.location.line if e.location else None for e in error.errors] == [1]


def test_an_empty_jsonl_file_lacks_its_header(tmp_path: Path) -> None:
    path = write(tmp_path, "\n\n", name="e.jsonl")
    error = only(load_error(load_jsonl, path, kind="enterprises", cls=Enterprise))
    assert "header" in error.message
    with pytest.raises(InputFileError, match="header"):
        list(iter_jsonl(path, "enterprises", Enterprise))


def test_jsonl_decoding_errors_are_collected_per_line(tmp_path: Path) -> None:
    header = b'\xef\xbb\xbf{"kind":"enterprises","schema":1}\n'
    good = canonical_json(unstructure(ENTERPRISES[0])).encode()
    path = tmp_path / "e.jsonl"
    path.write_bytes(header + good + b"\n" + "和".encode("gb18030") + b"\n" + good + b"\n")
    error = load_error(load_jsonl, path, kind="enterprises", cls=Enterprise)
    [bad] = error.errors
    assert bad.location == Location(file=str(path), line=3)
    assert bad.field == "encoding"
    assert "line 3" in bad.message


def test_a_missing_jsonl_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="cannot read"):
        load_jsonl(tmp_path / "none.jsonl", "x", int)


# --- the documentation -------------------------------------------------------------------------


def test_the_docs_table_lists_every_header() -> None:
    page = DOCS.read_text(encoding="utf-8")
    rows = {
        tuple(cell.strip().strip("`") for cell in line.strip("|").split("|"))
        for line in page.splitlines()
        if line.startswith("|")
    }
    for columns in COLUMNS.values():
        for column in columns:
            matches = [row for row in rows if row[0] == column.en]
            assert matches, column.en
            cells = " ".join(" ".join(row) for row in matches)
            for name in column.names:
                assert re.search(re.escape(name), cells), (column.en, name)


@pytest.mark.parametrize("where", ["missing-folder/out.json", "a-folder"])
def test_a_file_that_cannot_be_written_is_named_and_nothing_is_left_behind(
    tmp_path: Path, where: str
) -> None:
    from randcheck.errors import OutputFileError

    (tmp_path / "a-folder").mkdir()
    target = tmp_path / where
    with pytest.raises(OutputFileError) as caught:
        save_json(target, "test", {"a": 1})
    assert str(target) in str(caught.value)
    assert ".out.json." not in str(caught.value)  # never the temporary file's name
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a-folder"]


def test_the_command_line_says_which_output_it_cannot_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from randcheck.cli import main

    target = tmp_path / "missing" / "plan.json"
    code = main(
        ["plan", "new", "--year", "2027", "--line", "labour-inspection", "--out", str(target)]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert f"cannot write {target}" in err
    assert "Errno" not in err


def test_the_rare_character_search_agrees_with_the_gb2312_codec_on_every_character() -> None:
    pattern = _not_gb2312()
    for point in range(0x80, 0x10000):
        if 0xD800 <= point < 0xE000:
            continue  # surrogates: no text read from a file holds one
        char = chr(point)
        assert (pattern.fullmatch(char) is None) == _in_gb2312(char), hex(point)


# --- empty JSON files ---------------------------------------------------------------------------


def _empty_json_readers() -> dict[str, Callable[[Path], object]]:
    from randcheck.io.json_documents import read_json_value
    from randcheck.io.plans import load_plan
    from randcheck.sampling import Commitment, DrawRecord

    return {
        "plan": load_plan,
        "commitment": lambda path: load_json(path, "commitment", Commitment),
        "draw record": lambda path: load_json(path, "draw-record", DrawRecord),
        "value": read_json_value,
    }


@pytest.mark.parametrize(
    ("content", "got"),
    [
        (b"", "0 bytes"),
        (b" \n\t\r\n", "only white space, 5 characters"),
        (b"\xef\xbb\xbf\n", "only white space, 1 character"),
    ],
    ids=["0 bytes", "white space", "BOM and a newline"],
)
@pytest.mark.parametrize("reader", sorted(_empty_json_readers()))
def test_an_empty_json_file_is_said_to_be_empty(
    tmp_path: Path, content: bytes, got: str, reader: str
) -> None:
    path = tmp_path / "record.json"
    path.write_bytes(content)
    with pytest.raises(InputFileError) as info:
        _empty_json_readers()[reader](path)
    message = str(info.value)
    assert f"文件为空 / the file is empty ({got})" in message
    assert "Expecting value" not in message
    (error,) = info.value.errors
    assert error.location is not None
    assert error.location.file == str(path)
    assert error.expected == "a JSON document"
    assert error.got == got


def test_an_empty_json_text_is_said_to_be_empty_by_read_json() -> None:
    from randcheck.sampling import Commitment

    with pytest.raises(InputFileError, match=r"the file is empty \(only white space"):
        read_json("  ", "commitment", Commitment, source="commitment.json")
