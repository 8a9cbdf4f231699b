"""Directories as bureaus export them: their headers, a column map, districts checked against
the profile, encodings detected, Excel's damage to long numbers, and .xlsx workbooks."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _builders import resident_id, uscc
from randcheck.cli import main
from randcheck.domain import ConflictGround
from randcheck.errors import InputFileError, ValidationError
from randcheck.io import (
    COLUMNS,
    ColumnMap,
    DirectoryWarning,
    load_column_map,
    load_conflicts,
    load_enterprises,
    load_inspectors,
    read_column_map,
)
from randcheck.io.columns import _header_key
from randcheck.profiles import TIANJIN_HRSS
from randcheck.profiles.districts import match_district, uscc_area_code

U1 = uscc("91120101MA05AAAA1")  # registered in 和平区 (120101)
U2 = uscc("91120102MA05BBBB2")  # registered in 河东区 (120102)
RID = resident_id("12010119800101001")


def write(tmp_path: Path, text: str, *, encoding: str = "utf-8", name: str = "f.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def load_error(load: Any, path: Path, **kwargs: Any) -> InputFileError:
    with pytest.raises(InputFileError) as info:
        load(path, **kwargs)
    assert info.value.errors
    return info.value


def quietly(load: Any, *args: Any, **kwargs: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return load(*args, **kwargs)


# --- the bureau's headers ----------------------------------------------------------------------

BUREAU_ENTERPRISES = (
    "序号,统一社会信用代码,企业名称,法定代表人,所在区,行业类别,信用等级,是否列入经营异常名录\n"
    f"1,{U1},甲公司,张三,和平区,制造业,未评价,否\n"
    f"2,{U2},乙公司,李四,河东区,零售业,A,是\n"
)


def test_the_bureaus_enterprise_headers_load(tmp_path: Path) -> None:
    first, second = quietly(load_enterprises, write(tmp_path, BUREAU_ENTERPRISES))
    assert (first.uscc, first.district, first.industry, first.grade) == (
        U1,
        "和平区",
        "制造业",
        "unrated",
    )
    assert second.grade == "A"
    assert second.risk.abnormal_operations


@pytest.mark.parametrize(
    "above", [["2027年用人单位名录"], ["2027年用人单位名录", "导出日期：2027-01-05"]]
)
def test_a_title_above_the_header_is_named_with_the_line_of_the_header(
    tmp_path: Path, above: list[str]
) -> None:
    title = "".join(f"{line},,,,,,,\n" for line in above)
    error = load_error(load_enterprises, write(tmp_path, title + BUREAU_ENTERPRISES))
    first = error.errors[0]
    assert f"the header is on line {len(above) + 1}, not on line 1" in first.message
    assert first.got == above[0]
    assert first.location is not None
    assert first.location.line == 1
    # The title taken for a column and the columns it lacks only follow from the cause.
    assert len(error.errors) == 1


def test_looking_for_the_header_below_warns_of_nothing_and_shows_no_row(tmp_path: Path) -> None:
    columns = load_column_map(write(tmp_path, MAP, name="map.toml"))
    rows = "".join(f"{k},{U1},张三,和平区\n" for k in range(12))
    path = write(tmp_path, "序号,统一社会信用代码,法定代表人,所在区,所属区\n" + rows)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        error = load_error(load_enterprises, path, columns=columns)
    assert not any("张三" in str(w.message) for w in caught)
    assert len(caught) <= 1
    assert any("both give 'district'" in e.message for e in error.errors)


def test_a_semicolon_separated_file_is_told_so(tmp_path: Path) -> None:
    text = BUREAU_ENTERPRISES.replace(",", ";")
    first = load_error(load_enterprises, write(tmp_path, text)).errors[0]
    assert "separated by semicolons" in first.message
    assert first.got == text.splitlines()[0]


def test_a_wrong_header_with_no_header_below_gets_no_line_to_look_at(tmp_path: Path) -> None:
    text = "编号,公司,地方\n1,甲,和平区\n" + "".join(f"{k},乙,河东区\n" for k in range(20))
    error = load_error(load_enterprises, write(tmp_path, text))
    assert not any("the header is on line" in e.message for e in error.errors)


def test_a_header_further_down_than_ten_lines_is_not_looked_for(tmp_path: Path) -> None:
    notes = "说明,,,,,,,\n" * 10
    error = load_error(load_enterprises, write(tmp_path, notes + BUREAU_ENTERPRISES))
    assert not any("the header is on line" in e.message for e in error.errors)


def test_a_legal_representatives_name_is_never_carried_into_a_record(tmp_path: Path) -> None:
    items = quietly(load_enterprises, write(tmp_path, BUREAU_ENTERPRISES))
    assert not any("张三" in repr(item) or "李四" in repr(item) for item in items)


@pytest.mark.parametrize("spelling", ["未评价", "未评级", "未评定", ""])
def test_not_yet_rated_in_any_spelling_is_unrated(tmp_path: Path, spelling: str) -> None:
    path = write(
        tmp_path, f"统一社会信用代码,企业名称,所属区,信用等级\n{U1},甲,和平区,{spelling}\n"
    )
    assert load_enterprises(path)[0].grade == "unrated"


def test_the_bureaus_inspector_headers_load(tmp_path: Path) -> None:
    text = (
        "序号,姓名,工作单位,职务,执法证件编号,手机号,所属区县,执法类别\n"
        "1,王五,和平区劳动保障监察大队,科员,TJ-0001,13800138000,和平区,劳动保障监察\n"
    )
    [inspector] = quietly(load_inspectors, write(tmp_path, text))
    assert inspector.department == "和平区劳动保障监察大队"
    assert inspector.certificate_no == "TJ-0001"
    assert inspector.phone == "13800138000"
    assert inspector.district == "和平区"
    assert inspector.lines == frozenset({"labour-inspection"})


def test_the_bureaus_conflict_headers_load(tmp_path: Path) -> None:
    text = f"执法人员,执法人员姓名,统一社会信用代码,回避原因\nTJ-0001,王五,{U1},近亲属任职\n"
    [conflict] = load_conflicts(write(tmp_path, text))
    assert conflict.ground is ConflictGround.RELATIVE
    assert "王五" not in repr(conflict)


def test_a_conflicts_file_with_only_names_says_the_key_column_is_missing(tmp_path: Path) -> None:
    text = f"执法人员姓名,统一社会信用代码,回避原因\n王五,{U1},持股\n"
    error = load_error(load_conflicts, write(tmp_path, text))
    assert [e.field for e in error.errors] == ["inspector"]


# --- a column map ------------------------------------------------------------------------------

MAP = """
[enterprises]
"单位统一代码" = "uscc"
"注册地址" = "ignore"

[inspectors]
"执法单位" = "department"
"""


def test_a_column_map_reads_a_users_own_headers(tmp_path: Path) -> None:
    columns = load_column_map(write(tmp_path, MAP, name="map.toml"))
    text = f"单位统一代码,企业名称,所属区,注册地址\n{U1},甲,和平区,某路1号\n"
    [enterprise] = load_enterprises(write(tmp_path, text), columns=columns)
    assert enterprise.uscc == U1
    assert "某路" not in repr(enterprise)


def test_without_the_map_the_users_headers_are_unknown_columns(tmp_path: Path) -> None:
    text = f"单位统一代码,企业名称,所属区\n{U1},甲,和平区\n"
    error = load_error(load_enterprises, write(tmp_path, text))
    assert any("--columns" in e.message for e in error.errors)


def test_a_column_map_is_loaded_strictly_naming_each_bad_key(tmp_path: Path) -> None:
    text = '[enterprises]\n"编号" = "usc"\n"x" = 3\n[staff]\n"a" = "name"\n'
    error = load_error(load_column_map, write(tmp_path, text, name="map.toml"))
    fields = [e.field for e in error.errors]
    assert fields == ["enterprises.编号", "enterprises.x", "staff"]
    assert all(isinstance(e, ValidationError) and e.location for e in error.errors)
    assert "uscc" in (error.errors[0].expected or "")


def test_a_column_map_naming_one_header_twice_is_an_error(tmp_path: Path) -> None:
    text = '[inspectors]\n"Unit" = "department"\n"UNIT " = "section"\n'
    [error] = load_error(load_column_map, write(tmp_path, text, name="map.toml")).errors
    assert error.field == "inspectors.UNIT "


def test_a_column_map_that_is_not_toml_is_an_input_error(tmp_path: Path) -> None:
    error = load_error(load_column_map, write(tmp_path, "[enterprises\n", name="map.toml"))
    assert "not valid TOML" in error.message


_headers = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=8
).filter(lambda h: _header_key(h) != "")
_entries = st.lists(
    st.sampled_from(list(COLUMNS)).flatmap(
        lambda kind: st.tuples(
            st.just(kind),
            _headers,
            st.sampled_from([c.en for c in COLUMNS[kind]] + ["ignore"]),
        )
    ),
    max_size=8,
    # A map names each header once, as headers are matched (ignoring case and spacing).
    unique_by=lambda e: (e[0], _header_key(e[1])),
)


@given(_entries)
def test_a_column_map_round_trips_through_its_toml(entries: list[tuple[str, str, str]]) -> None:
    column_map = ColumnMap(entries=tuple(entries))
    again = read_column_map(column_map.to_toml())
    for kind in COLUMNS:
        assert again.for_kind(kind) == column_map.for_kind(kind)


# --- districts ---------------------------------------------------------------------------------


def test_a_district_behind_the_city_name_is_read_as_the_profiles_with_a_warning(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, f"uscc,name,district\n{U1},甲,天津市和平区\n")
    with pytest.warns(DirectoryWarning, match=r"line 2: '天津市和平区' → 和平区"):
        [enterprise] = load_enterprises(path)
    assert enterprise.district == "和平区"


def test_an_unknown_district_is_an_error_listing_the_known_ones(tmp_path: Path) -> None:
    path = write(tmp_path, f"uscc,name,district\n{U1},甲,朝阳区\n")
    [error] = load_error(load_enterprises, path).errors
    assert error.field == "district"
    assert error.got == "朝阳区"
    assert "和平区" in error.message
    assert "蓟州区" in (error.expected or "")
    assert error.location is not None
    assert (error.location.line, error.location.column) == (2, "district")


def test_a_code_registered_in_another_district_is_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, f"uscc,name,district\n{U2},乙,和平区\n")
    with pytest.warns(DirectoryWarning, match="area code") as caught:
        [enterprise] = load_enterprises(path)
    assert enterprise.district == "和平区"
    assert "120102" in str(caught[0].message)


def test_a_code_registered_by_the_city_agrees_with_every_district(tmp_path: Path) -> None:
    city = uscc("91120000MA05CCCC3")
    path = write(tmp_path, f"uscc,name,district\n{city},丙,河西区\n")
    assert quietly(load_enterprises, path)[0].district == "河西区"


def test_an_inspectors_district_is_checked_too(tmp_path: Path) -> None:
    text = (
        "姓名,部门,职务,执法证号,联系电话,所属区\n"
        "王五,监察,科员,TJ-1,1,天津市河西区\n"
        "甲,b,c,TJ-2,1,X区\n"
    )
    error = load_error(load_inspectors, write(tmp_path, text))
    assert [(e.field, e.got) for e in error.errors] == [("district", "X区")]


_prefixes = st.sampled_from(["天津市", "中国天津市", "天津市市辖区", " 天津市 ", "ＴＪ市"])


@settings(max_examples=60)
@given(st.sampled_from(TIANJIN_HRSS.districts), _prefixes)
def test_any_district_behind_a_city_or_province_name_is_that_district(
    district: Any, prefix: str
) -> None:
    found = match_district(TIANJIN_HRSS, prefix + district.name)
    assert found is not None
    assert found.district == district
    assert not found.exact
    again = match_district(TIANJIN_HRSS, district.name)
    assert again is not None
    assert again.exact


@given(st.text(max_size=6))
def test_text_that_names_no_district_matches_none(text: str) -> None:
    found = match_district(TIANJIN_HRSS, text + "不存在区")
    assert found is None


def test_a_uscc_carries_its_registration_area() -> None:
    assert uscc_area_code(U1) == "120101"
    assert uscc_area_code("Y1ABCDEFG00000000X") is None


# --- encodings ---------------------------------------------------------------------------------

ZH = f"统一社会信用代码,企业名称,所属区\n{U1},甲公司,和平区\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_auto_detects_the_encodings_bureaus_save_in(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path, ZH, encoding=encoding)
    assert load_enterprises(path, encoding="auto")[0].name == "甲公司"


def test_utf16_unicode_text_with_tabs_loads(tmp_path: Path) -> None:
    path = write(tmp_path, ZH.replace(",", "\t"), encoding="utf-16")
    assert load_enterprises(path, encoding="utf-16")[0].name == "甲公司"


def test_auto_refuses_an_encoding_it_cannot_tell(tmp_path: Path) -> None:
    path = write(
        tmp_path, "uscc,name,district\n" + U1 + ",Caf\u00e9 Ltd,Heping\n", encoding="cp1252"
    )
    with pytest.raises(InputFileError, match="cannot tell the encoding") as info:
        load_enterprises(path, encoding="auto")
    assert info.value.field == "encoding"
    assert "--encoding" in info.value.message


# --- numbers a spreadsheet mangled -------------------------------------------------------------


@pytest.mark.parametrize("mark", ['="{}"', "'{}"])
def test_a_code_in_a_keep_as_text_mark_says_so(tmp_path: Path, mark: str) -> None:
    cell = mark.format(U1)
    quoted = cell.replace('"', '""')
    text = f'uscc,name,district\n"{quoted}",甲,和平区\n'
    [error] = load_error(load_enterprises, write(tmp_path, text)).errors
    assert "keep-as-text mark" in error.message
    assert error.got == cell
    assert error.field == "uscc"


@pytest.mark.parametrize("cell", ["9.11201E+17", "9.11201e+17", "1.2E+17"])
def test_a_uscc_in_scientific_notation_says_excel_mangled_it(tmp_path: Path, cell: str) -> None:
    [error] = load_error(
        load_enterprises, write(tmp_path, f"uscc,name,district\n{cell},甲,和平区\n")
    ).errors
    assert "Excel mangled" in error.message
    assert "Text" in error.message
    assert error.got == cell


def test_an_identity_number_in_scientific_notation_says_excel_mangled_it(tmp_path: Path) -> None:
    text = "name,department,post,resident_id,phone\n甲,b,c,1.20101E+17,1\n"
    [error] = load_error(load_inspectors, write(tmp_path, text)).errors
    assert error.field == "resident_id"
    assert "Excel mangled" in error.message


# --- workbooks ---------------------------------------------------------------------------------


def workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = openpyxl.Workbook()
    first = True
    for title, rows in sheets.items():
        sheet = book.active if first else book.create_sheet()
        assert sheet is not None
        sheet.title = title
        first = False
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


HEADER = ["序号", "统一社会信用代码", "企业名称", "所在区", "近12个月投诉举报次数", "信用等级"]


def test_a_workbook_loads_its_cells_as_text(tmp_path: Path) -> None:
    path = workbook(tmp_path / "e.xlsx", {"企业": [HEADER, [1, U1, "甲", "和平区", 2, "B"]]})
    [enterprise] = load_enterprises(path)
    assert (enterprise.uscc, enterprise.risk.complaints_12m, enterprise.grade) == (U1, 2, "B")


def test_a_title_row_above_a_workbooks_header_names_the_header_row(tmp_path: Path) -> None:
    rows = [["2027年和平区用人单位名录"], [], HEADER, [1, U1, "甲", "和平区", 2, "B"]]
    path = workbook(tmp_path / "e.xlsx", {"企业": rows})
    first = load_error(load_enterprises, path).errors[0]
    assert "the header is on line 3" in first.message


def test_a_workbook_saved_under_a_csv_name_is_read_as_a_workbook(tmp_path: Path) -> None:
    book = workbook(tmp_path / "e.xlsx", {"企业": [HEADER, [1, U1, "甲", "和平区", 2, "B"]]})
    renamed = book.rename(tmp_path / "export.csv")
    [enterprise] = load_enterprises(renamed)
    assert enterprise.uscc == U1


def test_a_uscc_stored_as_a_number_in_a_workbook_is_an_error_saying_so(tmp_path: Path) -> None:
    number = 911201011234567890
    path = workbook(tmp_path / "e.xlsx", {"S": [HEADER, [1, number, "甲", "和平区", 0, "A"]]})
    [error] = load_error(load_enterprises, path).errors
    assert error.field == "uscc"
    assert "number, not text" in error.message
    assert error.location is not None
    assert (error.location.line, error.location.column) == (2, "统一社会信用代码")


def test_a_short_certificate_number_stored_as_a_number_reads_as_its_digits(
    tmp_path: Path,
) -> None:
    header = ["姓名", "部门", "职务", "执法证号", "联系电话"]
    path = workbook(tmp_path / "i.xlsx", {"S": [header, ["甲", "b", "c", 20230017, "1"]]})
    assert load_inspectors(path)[0].certificate_no == "20230017"


def test_an_identity_number_stored_as_a_number_is_an_error(tmp_path: Path) -> None:
    header = ["姓名", "部门", "职务", "执法证号/身份证号", "联系电话"]
    path = workbook(tmp_path / "i.xlsx", {"S": [header, ["甲", "b", "c", 120101198001010017, "1"]]})
    [error] = load_error(load_inspectors, path).errors
    assert error.field == "certificate_or_id"
    assert "number, not text" in error.message
    assert "120101198001010017" not in error.message


def test_a_sheet_is_chosen_by_name_or_position(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "e.xlsx",
        {"说明": [["本表为示例"]], "名录": [HEADER, [1, U1, "甲", "和平区", 0, "A"]]},
    )
    assert load_enterprises(path, sheet="名录")[0].uscc == U1
    assert load_enterprises(path, sheet=1)[0].uscc == U1
    with pytest.raises(InputFileError, match=r"no sheet '名单'.*'说明', '名录'"):
        load_enterprises(path, sheet="名单")


@pytest.mark.parametrize("chosen", ["名录", 1, "1"])
def test_an_error_in_a_workbook_names_the_sheet_it_is_on(tmp_path: Path, chosen: str | int) -> None:
    path = workbook(
        tmp_path / "e.xlsx",
        {"说明": [["本表为示例"]], "名录": [HEADER, [1, U1, "甲", "和平区", 0, "D"]]},
    )
    error = load_error(load_enterprises, path, sheet=chosen)
    [bad] = error.errors
    assert bad.location is not None
    assert (bad.location.file, bad.location.sheet, bad.location.line) == (str(path), "名录", 2)
    assert f"{path}, sheet '名录', line 2, column '信用等级'" in str(error)


def test_a_sheet_cannot_be_chosen_in_a_csv_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match=r"not an \.xlsx"):
        load_enterprises(write(tmp_path, ZH), sheet="Sheet1")


def test_a_file_that_is_not_a_workbook_is_an_input_error(tmp_path: Path) -> None:
    path = write(tmp_path, "not a workbook", name="e.xlsx")
    with pytest.raises(InputFileError, match="not an Excel workbook"):
        load_enterprises(path)


def test_dates_in_a_workbook_read_as_dates(tmp_path: Path) -> None:
    from datetime import date, datetime

    header = ["姓名", "部门", "职务", "执法证号", "联系电话", "执法证有效期止"]
    path = workbook(
        tmp_path / "i.xlsx", {"S": [header, ["甲", "b", "c", "TJ-1", "1", datetime(2028, 6, 30)]]}
    )
    assert load_inspectors(path)[0].certificate_valid_until == date(2028, 6, 30)


# --- the command line --------------------------------------------------------------------------


def test_per_file_encodings_are_given_by_kind(tmp_path: Path) -> None:
    from randcheck.cli import build_parser
    from randcheck.cli._options import directory_options

    args = build_parser().parse_args(
        [
            "verify",
            "r.json",
            "--encoding",
            "gb18030",
            "--encoding",
            "inspectors=utf-16",
            "--sheet",
            "conflicts=2",
        ]
    )
    assert directory_options(args, "enterprises")["encoding"] == "gb18030"
    assert directory_options(args, "inspectors")["encoding"] == "utf-16"
    assert directory_options(args, "conflicts")["sheet"] == "2"
    assert directory_options(args, "enterprises")["sheet"] is None


def new_plan(tmp_path: Path) -> Path:
    plan = tmp_path / "plan.json"
    args = ["plan", "new", "--out", str(plan), "--year", "2027", "--line", "劳动保障监察"]
    assert main([*args, "--ratio", "50%", "--window", "2027-04-01/2027-06-30"]) == 0
    return plan


def test_commit_reads_a_workbook_with_a_column_map_and_a_sheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = workbook(
        tmp_path / "e.xlsx",
        {
            "说明": [["x"]],
            "名录": [
                ["编号", "企业名称", "所在区"],
                [U1, "甲", "天津市和平区"],
                [U2, "乙", "河东区"],
            ],
        },
    )
    (tmp_path / "map.toml").write_text('[enterprises]\n"编号" = "uscc"\n', encoding="utf-8")
    plan = new_plan(tmp_path)
    code = main(
        [
            "commit",
            "--enterprises",
            str(path),
            "--sheet",
            "名录",
            "--columns",
            str(tmp_path / "map.toml"),
            "--plan",
            str(plan),
            "--out",
            str(tmp_path / "c.json"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 0, err
    assert "'天津市和平区' → 和平区" in err


def test_an_unknown_district_is_shown_with_file_row_and_field_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = new_plan(tmp_path)
    path = write(tmp_path, f"uscc,name,district\n{U1},甲,朝阳区\n{U2},乙,海淀区\n")
    out = tmp_path / "c.json"
    code = main(["commit", "--enterprises", str(path), "--plan", str(plan), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    assert "line 2, column 'district'" in err
    assert "line 3, column 'district'" in err
    assert "海淀区" in err
    assert not out.exists()


def test_a_workbook_read_on_its_first_sheet_by_default_names_its_other_sheets() -> None:
    book = Path(__file__).resolve().parent.parent / "docs" / "examples" / "bureau"
    with pytest.raises(InputFileError) as caught:
        load_enterprises(book / "enterprises.xlsx")
    message = str(caught.value).splitlines()[0]
    assert "'企业名录'" in message
    assert "--sheet" in message


def test_a_column_map_entry_naming_no_header_of_the_file_is_warned_about(tmp_path: Path) -> None:
    from randcheck.io import read_column_map
    from randcheck.io.csv_read import DirectoryWarning

    path = tmp_path / "e.csv"
    path.write_text(
        "统一社会信用代码,企业名称,所在区,近一年投诉次数\n91120101MA05L8XH4D,甲公司,和平区,2\n",
        encoding="utf-8",
    )
    typo = read_column_map('[enterprises]\n"近一年投诉次数X" = "complaints_12m"\n')
    with pytest.warns(DirectoryWarning, match="近一年投诉次数X"), pytest.raises(InputFileError):
        load_enterprises(path, columns=typo)
    right = read_column_map('[enterprises]\n"近一年投诉次数" = "complaints_12m"\n')
    with warnings.catch_warnings():
        warnings.simplefilter("error", DirectoryWarning)
        assert load_enterprises(path, columns=right)[0].risk.complaints_12m == 2
