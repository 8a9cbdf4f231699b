"""The streamed directory and frame agree with load_enterprises + build_frame, errors included."""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
from fractions import Fraction
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _builders import uscc
from randcheck._columnar import ColumnarEnterprises
from randcheck.cli import main
from randcheck.domain import Line, Plan, Scope
from randcheck.errors import InputFileError, RandcheckError
from randcheck.ids import uscc_check_character
from randcheck.io import ColumnMap, DirectoryWarning, load_enterprises, save_json, streaming
from randcheck.io.cells import _area_disagrees, _canonical_uscc, _canonical_usccs, _parse_uscc
from randcheck.io.streaming import (
    EnterpriseStream,
    _compact_codes,
    areas_agree,
    bounded_errors,
    bounded_load_error,
)
from randcheck.profiles import TIANJIN_HRSS
from randcheck.sampling import Frame, build_frame
from randcheck.sampling._frame import _JOINED_CODES
from randcheck.sampling._frame_stream import _repeated, _well_formed, build_frame_from_batches

pytestmark = pytest.mark.slow

PLAN = Plan(
    code="P",
    year=2027,
    line=Line.LABOUR_INSPECTION,
    ratio=Fraction(1, 10),
    strata=("district", "grade"),
)
SCOPED = Plan(
    code="P",
    year=2027,
    line=Line.LABOUR_INSPECTION,
    ratio=Fraction(1, 10),
    strata=("district",),
    scope=Scope(districts=frozenset({"和平区"})),
)
HEADER = "uscc,name,district,industry,grade,complaints_12m,abnormal_operations,key_area"


def code(i: int) -> str:
    return uscc(f"911201{i:011d}")


CODES = [code(i) for i in range(1, 400)]


def scientific(i: int) -> str:
    """A valid code of digits and one E, which reads as scientific notation, if one is found
    from ``i`` on (else an ordinary code)."""
    for j in range(i, i + 200):
        body = f"9112010{j % 10**7:07d}E{j % 100:02d}"
        candidate = body + uscc_check_character(body)
        if candidate[17].isdigit():
            return candidate
    return code(i + 1)


def reference(path: Path, plan: Plan, **history: Any) -> Frame | RandcheckError:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return build_frame(load_enterprises(path), plan, TIANJIN_HRSS, **history)
    except RandcheckError as exc:
        return exc


def streamed(path: Path, plan: Plan, limit: int = 1000, **history: Any) -> Frame | RandcheckError:
    stream = EnterpriseStream(path, limit=limit)
    given_history = history.get("history")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return stream.read(
                lambda batches: build_frame_from_batches(
                    batches,
                    plan,
                    TIANJIN_HRSS,
                    history=lambda: given_history,
                    duplicate=stream.fail,
                )
            )
    except RandcheckError as exc:
        return exc


def same(a: Frame | RandcheckError, b: Frame | RandcheckError) -> None:
    if isinstance(a, Frame):
        assert isinstance(b, Frame), str(b)
        assert a.to_json() == b.to_json()
        return
    assert type(a) is type(b), (a, b)
    assert str(a) == str(b)
    assert described(getattr(a, "errors", ())) == described(getattr(b, "errors", ()))


def described(errors: Any) -> list[tuple[Any, ...]]:
    return [(type(e), e.message, e.field, e.expected, repr(e.got), e.location) for e in errors]


def write(tmp_path: Path, rows: list[list[str]], header: str = HEADER) -> Path:
    text = io.StringIO(newline="")
    text.write(header + "\r\n")
    csv.writer(text).writerows(rows)
    path = tmp_path / "e.csv"
    path.write_text(text.getvalue(), encoding="utf-8-sig", newline="")
    return path


def row(i: int, **cells: str) -> list[str]:
    base = {
        "uscc": CODES[i],
        "name": f"企业{i}",
        "district": ["和平区", "河西区", "南开区"][i % 3],
        "industry": "制造业",
        "grade": "ABC"[i % 3] if i % 4 else "",
        "complaints_12m": str(i % 3),
        "abnormal_operations": "否",
        "key_area": "是" if i % 5 == 0 else "否",
    }
    base.update(cells)
    return list(base.values())


# Cells, good and bad, that the fast route must either read exactly or leave to the reference.
CELL_VARIANTS: dict[str, list[str]] = {
    "uscc": ["", "  ", "X", "91120101MA05L8XH4", "invalid-code"],
    "name": ["", " ", "\u3000", "'=SUM(A1)", "  名称  "],
    "district": ["", " 和平区 ", "和平区|A", "'-区", "河西区"],
    "industry": ["", " 建筑业", "'@x"],
    "grade": ["a", "Ａ", "守法诚信", "B级", "D", " C ", "未评级"],
    "complaints_12m": ["", "１２", "-1", "7", "x"],
    "abnormal_operations": ["是", "YES", "1", "maybe", ""],
    "key_area": ["true", "０", "否否"],
}


@st.composite
def directories(draw: st.DrawFn) -> list[list[str]]:
    n = draw(st.integers(1, 30))
    rows = []
    for i in range(n):
        cells: dict[str, str] = {}
        for field, variants in CELL_VARIANTS.items():
            if draw(st.integers(0, 9)) == 0:
                cells[field] = draw(st.sampled_from(variants))
        code = draw(st.integers(0, 40))
        if draw(st.integers(0, 12)) == 0:
            cells["uscc"] = CODES[code].lower()
        elif draw(st.integers(0, 12)) == 0:
            cells["uscc"] = " " + CODES[code]
        cells.setdefault("uscc", CODES[code if draw(st.booleans()) else i + 100])
        values = row(i, **cells)
        shape = draw(st.integers(0, 20))
        if shape == 0:
            values = values[:-2]
        elif shape == 1:
            values = [*values, ""]
        elif shape == 2:
            values = [*values, "surplus"]
        elif shape == 3:
            values = ["", "", "", ""]
        rows.append(values)
    return rows


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=directories(), plan=st.sampled_from([PLAN, SCOPED]), capped=st.booleans())
def test_a_streamed_frame_is_the_reference_frame_or_the_same_errors(
    tmp_path: Path, rows: list[list[str]], plan: Plan, capped: bool
) -> None:
    path = write(tmp_path, rows)
    history = {"history": {CODES[1]: 5, CODES[2]: 1}} if capped else {}
    same(reference(path, plan, **history), streamed(path, plan, **history))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=directories(),
    plan=st.sampled_from([PLAN, SCOPED]),
    chunk=st.integers(1, 400),
    batch=st.integers(1, 7),
    ending=st.sampled_from(["\r\n", "\n"]),
    final=st.booleans(),
    header=st.sampled_from([HEADER, "序号," + HEADER, "name," + HEADER.replace(",name", "")]),
    special=st.sampled_from([None, "A,B", 'A"B', "A\nB", "A\rB", "A\r\nB"]),
    at=st.integers(0, 29),
)
def test_a_file_read_in_small_chunks_and_batches_is_the_reference_frame_or_the_same_errors(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rows: list[list[str]],
    plan: Plan,
    chunk: int,
    batch: int,
    ending: str,
    final: bool,
    header: str,
    special: str | None,
    at: int,
) -> None:
    # Text chunks that end inside a line, a line break, a quoted cell; batches ending anywhere.
    monkeypatch.setattr(streaming, "_TEXT_CHUNK", chunk)
    monkeypatch.setattr(streaming, "_BATCH", batch)
    if special is not None and len(rows[at % len(rows)]) > 1:
        rows[at % len(rows)][1] = special
    if header.startswith("序号"):
        rows = [[str(i), *cells] for i, cells in enumerate(rows)]
    elif header.startswith("name"):
        rows = [[cells[1], cells[0], *cells[2:]] for cells in rows]
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator=ending).writerows([header.split(","), *rows])
    data = text.getvalue() if final else text.getvalue().removesuffix(ending)
    path = tmp_path / "e.csv"
    path.write_text(data, encoding="utf-8-sig", newline="")
    same(reference(path, plan), streamed(path, plan))


@pytest.mark.parametrize(
    "header",
    [
        HEADER,
        "统一社会信用代码,企业名称,所属区,行业,守法诚信等级,近12个月投诉举报次数,经营异常名录,重点监管地区",
        HEADER + ",",
        HEADER + ",unknown",
        "uscc,name,district",
        "uscc,name,uscc,district",
        "name,district",
        "",
    ],
)
def test_headers_are_read_as_the_reference_reads_them(tmp_path: Path, header: str) -> None:
    path = write(tmp_path, [row(i) for i in range(20)], header=header)
    same(reference(path, PLAN), streamed(path, PLAN))


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfeu\x00",
        b"uscc,name,district\n\xe4\xb8",
        b'uscc,name,district\n"91120101MA05L8XH45,a,b\n',
        b"uscc,name,district\n" + b"x" * 10 + b"\n",
    ],
)
def test_bad_files_are_reported_as_the_reference_reports_them(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(data)
    same(reference(path, PLAN), streamed(path, PLAN))


def test_a_missing_file_is_reported_as_the_reference_reports_it(tmp_path: Path) -> None:
    same(reference(tmp_path / "none.csv", PLAN), streamed(tmp_path / "none.csv", PLAN))


def test_a_code_given_twice_is_reported_with_both_lines(tmp_path: Path) -> None:
    path = write(tmp_path, [row(i) for i in range(10)] + [row(3, name="again")])
    result = streamed(path, PLAN)
    assert isinstance(result, InputFileError)
    assert "on lines 5 and 12" in str(result)
    same(reference(path, PLAN), result)


def test_errors_beyond_the_limit_are_counted_by_kind_not_dropped(tmp_path: Path) -> None:
    path = write(tmp_path, [row(i, grade="Z") for i in range(30)])
    full = reference(path, PLAN)
    assert isinstance(full, InputFileError)
    result = streamed(path, PLAN, limit=10)
    assert isinstance(result, InputFileError)
    assert described(result.errors[:10]) == described(full.errors[:10])
    assert len(result.errors) == 11
    assert "20 more error(s)" in result.errors[10].message
    assert "grade: 20 ×" in result.errors[10].message
    assert "30 error(s)" in str(result)


def test_bounded_errors_keep_every_error_under_the_limit() -> None:
    errors: list[RandcheckError] = [RandcheckError(f"e{i}") for i in range(5)]
    assert bounded_errors(errors, 5) == (errors, 5)


def test_the_frame_is_the_same_when_the_file_is_read_in_gb18030(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    lines = [HEADER, *(",".join(row(i)) for i in range(12))]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))
    expected = build_frame(load_enterprises(path, encoding="gb18030"), SCOPED, TIANJIN_HRSS)
    stream = EnterpriseStream(path, encoding="gb18030")
    frame = stream.read(lambda batches: build_frame_from_batches(batches, SCOPED, TIANJIN_HRSS))
    assert frame.to_json() == expected.to_json()
    assert not stream.used_reference


def test_a_plan_error_comes_after_the_directorys_errors(tmp_path: Path) -> None:
    bad_plan = Plan(
        code="P", year=2027, line="no-such-line", ratio=Fraction(1, 10), strata=("district",)
    )
    path = write(tmp_path, [row(i) for i in range(5)] + [row(9, grade="Z")])
    same(reference(path, bad_plan), streamed(path, bad_plan))
    path = write(tmp_path, [row(i) for i in range(5)])
    same(reference(path, bad_plan), streamed(path, bad_plan))


@settings(max_examples=2000, deadline=None)
@given(
    st.one_of(
        st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXYZIOSVabc -Ｑ１", min_size=17, max_size=19),
        st.builds(code, st.integers(1, 10**6)),
        st.builds(scientific, st.integers(0, 10**6)),
        st.text(max_size=20),
    )
)
def test_the_fast_code_check_agrees_with_the_check_character_computed_by_its_loop(
    raw: str,
) -> None:
    # The reference: the standard's steps one by one, the check character by its weighted sum.
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    expected = (
        len(raw) == 18
        and all(c in alphabet for c in raw)
        and raw[2:8].isascii()
        and raw[2:8].isdigit()
        and uscc_check_character(raw[:17]) == raw[17]
        and re.fullmatch("[0-9]+E[0-9]+", raw) is None
    )
    assert _canonical_uscc(raw) is expected
    try:
        parsed = _parse_uscc(raw) == raw
    except RandcheckError:
        parsed = False
    assert parsed is expected


def test_every_valid_code_of_a_range_passes_the_fast_check() -> None:
    codes = [code(i) for i in range(1, 3000)]
    assert all(_canonical_uscc(c) for c in codes)
    # One wrong check character each: all refused.
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    wrong = [c[:17] + alphabet[(alphabet.index(c[17]) + 1) % 31] for c in codes]
    assert not any(_canonical_uscc(c) for c in wrong)


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.builds(code, st.integers(1, 10**6)),
            st.builds(scientific, st.integers(0, 10**6)),
            st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXYZIOSVa\n", min_size=17, max_size=19),
            st.builds(
                lambda c, i, x: c[:i] + x + c[i + 1 :],
                st.builds(code, st.integers(1, 10**6)),
                st.integers(0, 17),
                st.sampled_from("0123456789ABCDEFGHJKLMNPQRTUWXYZ１ "),
            ),
        ),
        max_size=12,
    )
)
def test_the_batch_code_check_agrees_with_the_check_of_each_code(codes: list[str]) -> None:
    lines = "".join(c + "\n" for c in codes)
    assert _canonical_usccs(lines) is all("\n" not in c and _canonical_uscc(c) for c in codes)
    assert _compact_codes(lines) is _canonical_usccs(lines)


@settings(max_examples=300, deadline=None)
@given(
    groups=st.lists(
        st.lists(st.text(alphabet="0123AB", min_size=1, max_size=3).map(str.encode), max_size=40),
        max_size=8,
    ),
    more=st.lists(st.text(alphabet="0123AB", min_size=1, max_size=3).map(str.encode), max_size=5),
    range_codes=st.sampled_from([1, 2, 3, 8, 1 << 16]),
    stride=st.sampled_from([1, 2, 5]),
)
def test_a_repeated_code_is_found_whatever_ranges_the_codes_are_split_into(
    groups: list[list[bytes]],
    more: list[bytes],
    range_codes: int,
    stride: int,
) -> None:
    every = [c for g in groups for c in g] + more
    places: dict[Any, list[bytes]] = {("s", Fraction(i)): sorted(g) for i, g in enumerate(groups)}
    lines = b"".join(c + b"\n" for c in more)
    found = _repeated(places, lines, range_codes=range_codes, stride=min(stride, range_codes))
    assert found is (len(set(every)) != len(every))


@settings(max_examples=500, deadline=None)
@given(
    codes=st.lists(
        st.one_of(
            st.builds(code, st.integers(1, 10**6)),
            st.text(alphabet='0123456789AZaz","\n', min_size=0, max_size=22),
        ),
        max_size=6,
    ),
    separator=st.sampled_from(['","', '","', '"', ",", '",""']),
)
def test_the_check_of_joined_codes_agrees_with_its_regular_expression(
    codes: list[str], separator: str
) -> None:
    joined = separator.join(codes).encode()
    assert _well_formed(joined) is (_JOINED_CODES.fullmatch(joined) is not None)


# --- the DuckDB engine ------------------------------------------------------------------------


def columnar(path: Path, plan: Plan, **history: Any) -> tuple[Frame | RandcheckError, bool]:
    source = ColumnarEnterprises(path)
    given_history = history.get("history")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame: Frame | RandcheckError = source.read(
                lambda batches: build_frame_from_batches(
                    batches,
                    plan,
                    TIANJIN_HRSS,
                    history=lambda: given_history,
                    duplicate=source.fail,
                )
            )
    except RandcheckError as exc:
        frame = exc
    return frame, source.used_duckdb


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=directories(), plan=st.sampled_from([PLAN, SCOPED]), capped=st.booleans())
def test_the_duckdb_engine_gives_the_reference_frame_or_the_same_errors(
    tmp_path: Path, rows: list[list[str]], plan: Plan, capped: bool
) -> None:
    path = write(tmp_path, rows)
    history = {"history": {CODES[1]: 5, CODES[2]: 1}} if capped else {}
    same(reference(path, plan, **history), columnar(path, plan, **history)[0])


def test_the_duckdb_engine_reads_a_clean_directory_itself(tmp_path: Path) -> None:
    path = write(tmp_path, [row(i) for i in range(60)])
    frame, used = columnar(path, PLAN)
    assert used
    same(reference(path, PLAN), frame)


@pytest.mark.parametrize(
    "text",
    [
        # Quoted cells, a quote inside one, a line break inside one, CRLF and LF mixed.
        f'uscc,name,district\r\n"{CODES[1]}","A ""B""",和平区\n{CODES[2]},"C\nD",河西区\r\n',
        # A blank line, a row of blank cells, a surplus blank cell.
        f"uscc,name,district\n{CODES[1]},A,和平区\n\n,,\n{CODES[2]},B,河西区,\n",
        # A lower-case code, a code with spaces, a name of ideographic spaces.
        f"uscc,name,district\n{CODES[1].lower()},A,和平区\n {CODES[2]},B,河西区\n",
        f"uscc,name,district\n{CODES[1]},\u3000,和平区\n",
        # Unquoted cells with a quote, a stray quote, a missing cell.
        f'uscc,name,district\n{CODES[1]},A"B,和平区\n{CODES[2]},"B"x,河西区\n',
        f"uscc,name,district\n{CODES[1]},A\n",
        # The same code twice; a code whose check character is wrong.
        f"uscc,name,district\n{CODES[1]},A,和平区\n{CODES[1]},B,河西区\n",
        f"uscc,name,district\n{CODES[1][:17]}0,A,和平区\n",
        # Only a header; a stratum value with the separator.
        "uscc,name,district\n",
        f"uscc,name,district\n{CODES[1]},A,和|平区\n",
    ],
)
def test_the_duckdb_engine_agrees_on_awkward_files(tmp_path: Path, text: str) -> None:
    path = tmp_path / "e.csv"
    path.write_text(text, encoding="utf-8", newline="")
    plan = SCOPED if "|" not in text else PLAN
    same(reference(path, plan), columnar(path, plan)[0])


def test_commit_draw_and_verify_write_the_same_bytes_with_either_engine(tmp_path: Path) -> None:
    # Certainty units (a high weight under a high ratio), a stratum of one, out-of-scope units.
    rows = [row(i) for i in range(200)]
    rows.append(row(300, district="北辰区"))
    rows += [row(301 + i, grade="C", complaints_12m="9", key_area="是") for i in range(5)]
    path = write(tmp_path, rows)
    plan = tmp_path / "plan.json"
    save_json(
        plan,
        "plan",
        Plan(
            code="P",
            year=2027,
            line=Line.LABOUR_INSPECTION,
            ratio=Fraction(1, 4),
            strata=("district",),
            scope=Scope(districts=frozenset({"和平区", "河西区", "北辰区"})),
        ),
    )
    outputs = {}
    for engine in ("python", "duckdb"):
        out = tmp_path / engine
        out.mkdir()
        common = ["--enterprises", str(path), "--engine", engine]
        assert (
            main(
                [
                    "commit",
                    *common,
                    "--plan",
                    str(plan),
                    "--out",
                    str(out / "c.json"),
                    "--frame",
                    str(out / "f.json"),
                ]
            )
            == 0
        )
        assert (
            main(
                [
                    "draw",
                    *common,
                    "--commitment",
                    str(out / "c.json"),
                    "--seed",
                    "1 2 3",
                    "--seed-source",
                    "test",
                    "--out",
                    str(out / "d.json"),
                ]
            )
            == 0
        )
        assert main(["verify", str(out / "d.json"), *common]) == 0
        outputs[engine] = [(out / n).read_bytes() for n in ("c.json", "f.json", "d.json")]
    assert outputs["python"] == outputs["duckdb"]
    record = json.loads(outputs["duckdb"][2])
    assert any(s["certainty"] for s in record["data"]["strata"])
    assert any(s["population"] == 1 for s in record["data"]["strata"])


def test_commit_reports_the_first_thousand_errors_and_counts_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, [row(i % 300, uscc=code(1000 + i), grade="Z") for i in range(1200)])
    plan = tmp_path / "plan.json"
    save_json(plan, "plan", PLAN)
    assert (
        main(
            [
                "commit",
                "--enterprises",
                str(path),
                "--plan",
                str(plan),
                "--out",
                str(tmp_path / "c.json"),
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "1200 error(s)" in err
    assert err.count("expected A, B, C") >= 1000
    assert "200 more error(s) not listed one by one" in err
    assert not (tmp_path / "c.json").exists()


# --- files the reference warns about, bureau headers, column maps, workbooks -------------------

DISTRICTS = [("和平区", "120101"), ("河西区", "120103"), ("南开区", "120104")]
# The bureau's own headers: the first known to randcheck, the last two only to a column map.
BUREAU = ["序号", "统一社会信用代码", "企业名称", "法定代表人", "所在区", "行业类别", "信用等级"]
BUREAU_MAPPED = [*BUREAU, "近一年投诉次数", "注册地址"]
BUREAU_MAP = ColumnMap(
    entries=(
        ("enterprises", "近一年投诉次数", "complaints_12m"),
        ("enterprises", "注册地址", "ignore"),
    )
)
LAYOUTS = ("english", "bureau", "mapped", "workbook")


def area_code(area: str, i: int) -> str:
    return uscc(f"91{area}{i:09d}")


@st.composite
def noted_rows(draw: st.DrawFn) -> list[dict[str, str]]:
    """Rows whose districts are written in the profile's way or another, whose codes carry
    their district's area, the city's, or another district's; now and then a bad cell or a
    code given twice."""
    rows = []
    for i in range(draw(st.integers(1, 25))):
        name, own = DISTRICTS[draw(st.integers(0, 2))]
        written = draw(
            st.sampled_from([name] * 6 + ["天津市" + name, own, "天津市市辖区" + name, " " + name])
        )
        area = draw(st.sampled_from([own] * 6 + ["120000", "120100", "120116", "110101"]))
        cells = {
            "uscc": area_code(area, i),
            "name": f"企业{i}",
            "district": written,
            "industry": draw(st.sampled_from(["制造业", "建筑业"])),
            "grade": draw(st.sampled_from(["A", "B", "C", "", "A", "B", "Z"])),
            "complaints_12m": draw(st.sampled_from(["0", "1", "3"])),
        }
        if rows and draw(st.integers(0, 30)) == 0:
            cells["uscc"] = rows[0]["uscc"]
        code = cells["uscc"]
        cells["uscc"] = draw(
            st.sampled_from(
                [code] * 8
                + [code.lower(), f"{code[:6]}-{code[6:]}", f" {code[:8]} {code[8:]}", f"{code} "]
            )
        )
        rows.append(cells)
    return rows


def write_layout(tmp_path: Path, rows: list[dict[str, str]], layout: str) -> Path:
    if layout == "english":
        table = [list(rows[0])] + [list(r.values()) for r in rows]
    else:
        header = BUREAU_MAPPED if layout in ("mapped", "workbook") else BUREAU
        table = [header]
        for i, r in enumerate(rows, 1):
            cells = [str(i), r["uscc"], r["name"], "张三", r["district"], r["industry"]]
            cells.append(r["grade"])
            if len(header) > len(BUREAU):
                cells += [r["complaints_12m"], "天津市示例路1号"]
            table.append(cells)
    if layout == "workbook":
        path = tmp_path / "e.xlsx"
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        for cells in table:
            sheet.append(cells)
        book.save(path)
        return path
    path = tmp_path / "e.csv"
    text = io.StringIO(newline="")
    csv.writer(text).writerows(table)
    path.write_text(text.getvalue(), encoding="utf-8-sig", newline="")
    return path


Outcome = tuple[str, list[tuple[type, str]]]


def outcome(result: Frame | RandcheckError, caught: list[warnings.WarningMessage]) -> Outcome:
    if isinstance(result, Frame):
        shown = result.to_json()
    else:
        errors = described(getattr(result, "errors", ()))
        shown = f"{type(result).__name__}: {result}\n{errors!r}"
    return shown, [(w.category, str(w.message)) for w in caught]


def reference_outcome(
    path: Path,
    plan: Plan,
    columns: ColumnMap | None = None,
    *,
    encoding: str = "utf-8-sig",
    limit: int | None = None,
) -> Outcome:
    """What ``load_enterprises`` then ``build_frame`` give, with their warnings; the loader's
    errors bounded to ``limit`` when given, as the stream bounds them."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result: Frame | RandcheckError = build_frame(
                load_enterprises(path, encoding=encoding, columns=columns), plan, TIANJIN_HRSS
            )
        except InputFileError as exc:
            result = exc if limit is None else bounded_load_error(exc, limit)
        except RandcheckError as exc:
            result = exc
    return outcome(result, caught)


def source_outcome(source: EnterpriseStream | ColumnarEnterprises, plan: Plan) -> Outcome:
    """What the frame built from ``source``'s batches gives, with the warnings said."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result: Frame | RandcheckError = source.read(
                lambda batches: build_frame_from_batches(
                    batches, plan, TIANJIN_HRSS, duplicate=source.fail
                )
            )
        except RandcheckError as exc:
            result = exc
    return outcome(result, caught)


def engine_outcome(
    path: Path, plan: Plan, columns: ColumnMap | None, engine: str
) -> tuple[Outcome, EnterpriseStream | ColumnarEnterprises]:
    source: EnterpriseStream | ColumnarEnterprises
    if engine == "duckdb":
        source = ColumnarEnterprises(path, columns=columns)
    else:
        source = EnterpriseStream(path, columns=columns)
    return source_outcome(source, plan), source


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=noted_rows(),
    layout=st.sampled_from(LAYOUTS),
    plan=st.sampled_from([PLAN, SCOPED]),
    engine=st.sampled_from(["python", "duckdb"]),
)
def test_renamed_districts_foreign_areas_bureau_headers_maps_and_workbooks_read_as_the_reference(
    tmp_path: Path, rows: list[dict[str, str]], layout: str, plan: Plan, engine: str
) -> None:
    path = write_layout(tmp_path, rows, layout)
    columns = BUREAU_MAP if layout in ("mapped", "workbook") else None
    expected = reference_outcome(path, plan, columns)
    got, _ = engine_outcome(path, plan, columns, engine)
    assert got == expected


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_an_ordinary_bureau_file_stays_on_the_fast_path(tmp_path: Path, engine: str) -> None:
    rows = [
        {
            "uscc": area_code(DISTRICTS[i % 3][1] if i % 4 else "120000", i),
            "name": f"企业{i}",
            "district": DISTRICTS[i % 3][0],
            "industry": "制造业",
            "grade": "AB"[i % 2],
            "complaints_12m": "0",
        }
        for i in range(40)
    ]
    path = write_layout(tmp_path, rows, "bureau")
    got, source = engine_outcome(path, PLAN, None, engine)
    assert got == reference_outcome(path, PLAN, None)
    assert not [w for w in got[1] if w[0] is DirectoryWarning]
    stream = source if isinstance(source, EnterpriseStream) else source._stream
    assert not stream.used_reference
    if isinstance(source, ColumnarEnterprises):
        assert source.used_duckdb


@pytest.mark.parametrize(
    ("change", "warned"),
    [
        ({"district": "天津市和平区"}, "district name(s) read as the profile"),
        ({"uscc": area_code("120116", 99_999)}, "carry the area code of another district"),
        (
            {"uscc": "911201-" + area_code("120101", 69_999)[6:]},
            "written otherwise read in their compact form",
        ),
    ],
)
@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_note_after_the_first_batch_gives_the_reference_frame_and_warning(
    tmp_path: Path, engine: str, change: dict[str, str], warned: str
) -> None:
    rows = [
        {
            "uscc": area_code("120101", i),
            "name": f"企业{i}",
            "district": "和平区",
            "industry": "制造业",
            "grade": "A",
            "complaints_12m": "0",
        }
        for i in range(70_000)
    ]
    rows[-1].update(change)
    path = write_layout(tmp_path, rows, "english")
    got, source = engine_outcome(path, SCOPED, None, engine)
    assert got == reference_outcome(path, SCOPED, None)
    [(_, message)] = [w for w in got[1] if w[0] is DirectoryWarning]
    assert warned in message
    stream = source if isinstance(source, EnterpriseStream) else source._stream
    assert not stream.used_reference


@settings(max_examples=500, deadline=None)
@given(
    areas=st.lists(
        st.one_of(
            st.sampled_from(["120101", "120100", "120000", "100000", "000000", "120102"]),
            st.text(alphabet="0120", min_size=6, max_size=6),
        ),
        max_size=10,
    ),
    district=st.sampled_from(TIANJIN_HRSS.districts),
)
def test_the_area_check_by_columns_agrees_with_the_check_of_each_code(
    areas: list[str], district: Any
) -> None:
    codes = [area_code(area, i) for i, area in enumerate(areas)]
    lines = "".join(c + "\n" for c in codes)
    assert areas_agree(lines, district) is not any(_area_disagrees(c, district) for c in codes)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_columns_skipped_by_extra_ignore_are_named_on_stderr_by_either_engine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    rows = [
        {"uscc": area_code("120101", i), "name": f"企业{i}", "district": "和平区", "grdae": "C"}
        for i in range(20)
    ]
    path = tmp_path / "e.csv"
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    plan = tmp_path / "plan.json"
    save_json(plan, "plan", PLAN)
    argv = ["commit", "--enterprises", str(path), "--plan", str(plan), "--engine", engine]
    assert main([*argv, "--extra", "ignore", "--out", str(tmp_path / "c.json")]) == 0
    err = capsys.readouterr().err
    assert "'grdae' (did you mean 'grade'?)" in err
    assert "was read by the Python reader" not in err
    assert main([*argv, "--out", str(tmp_path / "c2.json")]) == 2
    assert "unknown column 'grdae'" in capsys.readouterr().err


def test_commit_passes_the_directory_options_to_either_engine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        {
            "uscc": area_code(DISTRICTS[i % 3][1], i),
            "name": f"企业{i}",
            "district": "天津市" + DISTRICTS[i % 3][0] if i == 5 else DISTRICTS[i % 3][0],
            "industry": "制造业",
            "grade": "AB"[i % 2],
            "complaints_12m": "1",
        }
        for i in range(30)
    ]
    path = write_layout(tmp_path, rows, "workbook")
    columns = tmp_path / "map.toml"
    columns.write_text(BUREAU_MAP.to_toml(), encoding="utf-8")
    plan = tmp_path / "plan.json"
    save_json(plan, "plan", PLAN)
    expected = build_frame(load_enterprises(path, columns=BUREAU_MAP), PLAN, TIANJIN_HRSS)
    for engine in ("python", "duckdb"):
        frame = tmp_path / f"{engine}.json"
        status = main(
            [
                "commit",
                "--enterprises",
                str(path),
                "--columns",
                str(columns),
                "--engine",
                engine,
                "--plan",
                str(plan),
                "--out",
                str(tmp_path / f"c-{engine}.json"),
                "--frame",
                str(frame),
            ]
        )
        assert status == 0
        err = capsys.readouterr().err
        assert "区名已规范" in err
        assert "天津市南开区" in err
        assert frame.read_bytes() == expected.to_json().encode("utf-8")


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_code_that_reads_as_scientific_notation_is_refused_as_the_reference_refuses_it(
    tmp_path: Path, engine: str
) -> None:
    mangled = scientific(7)
    assert re.fullmatch("[0-9]+E[0-9]+", mangled)
    # Its place is already known, so the row would otherwise be taken on the fast route.
    rows = [row(i) for i in range(6)] + [row(3, uscc=mangled, name="x")]
    path = write(tmp_path, rows)
    got, _ = engine_outcome(path, PLAN, None, engine)
    assert got == reference_outcome(path, PLAN, None)
    assert "科学计数法" in got[0]


def test_errors_of_a_file_read_by_the_reference_are_bounded_too(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    lines = [HEADER, *(",".join(row(i, grade="Z")) for i in range(30))]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-16"))
    full = load_error(path)
    stream = EnterpriseStream(path, encoding="utf-16", limit=10)
    with pytest.raises(InputFileError) as caught:
        stream.read(list)
    assert stream.used_reference
    assert str(caught.value).splitlines()[0] == str(full).splitlines()[0]
    assert described(caught.value.errors[:10]) == described(full.errors[:10])
    assert "20 more error(s)" in caught.value.errors[10].message


def load_error(path: Path) -> InputFileError:
    with pytest.raises(InputFileError) as caught:
        load_enterprises(path, encoding="utf-16")
    return caught.value


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_header_cell_with_a_line_break_is_read_as_the_reference_reads_it(
    tmp_path: Path, engine: str
) -> None:
    path = tmp_path / "e.csv"
    body = "".join(f"{CODES[i]},企业{i},和平区\n" for i in range(5))
    path.write_text('uscc,"na\nme",district\n' + body, encoding="utf-8")
    got, _ = engine_outcome(path, PLAN, None, engine)
    assert got == reference_outcome(path, PLAN, None)


def test_a_blank_code_beside_a_code_to_normalise_is_the_reference_error(tmp_path: Path) -> None:
    # The batch's codes are checked one by one when one of them (lower case) needs the
    # parser; a blank code among them is a row like any other, and the reference's error.
    rows = [
        ["91120100000000001t", "企业1", "河西区", "制造业", "B", "1", "否", "否", ""],
        ["", "企业7", "河西区", "制造业", "B", "1", "否", "否"],
    ]
    path = write(tmp_path, rows)
    result = streamed(path, PLAN)
    assert isinstance(result, InputFileError)
    same(reference(path, PLAN), result)


# --- the errors of a file with bad rows: read again as the stream reads, not row by row -------

ERROR_HEADERS = [
    HEADER,
    "序号," + HEADER,
    "name," + HEADER.replace(",name", ""),
    HEADER.replace("uscc,name,", "uscc,name,备注,"),
    # Place cells that are not the last of a row: before an unknown column, before the name;
    # a column without a header.
    HEADER + ",备注",
    HEADER.replace("uscc,name,district,", "uscc,district,name,"),
    HEADER.replace("uscc,name,", "uscc,name,,"),
]


def laid_out(rows: list[list[str]], header: str) -> list[list[str]]:
    """``rows`` (cells in :data:`HEADER`'s order) in the order of ``header``'s columns; now
    and then a cell in a column without a header."""
    if header.startswith("序号"):
        return [[str(i), *cells] for i, cells in enumerate(rows)]
    if header.startswith("name"):
        return [[*cells[1:2], *cells[:1], *cells[2:]] for cells in rows]
    if "备注," in header:
        return [[*cells[:2], "备注", *cells[2:]] for cells in rows]
    if header.endswith("备注"):
        return [[*cells, f"备注{i % 3}"] for i, cells in enumerate(rows)]
    if "uscc,district,name" in header:
        return [[*cells[:1], *cells[2:3], *cells[1:2], *cells[3:]] for cells in rows]
    if "name,," in header:
        hidden = ["藏" if i % 13 == 5 else "" for i in range(len(rows))]
        return [[*cells[:2], cell, *cells[2:]] for cell, cells in zip(hidden, rows, strict=True)]
    return rows


@st.composite
def rows_with_some_bad(draw: st.DrawFn) -> list[list[str]]:
    """Good rows, and now and then a bad cell, a code given before (on a good or a bad
    row), a quoted cell (a comma, a quote, a line break), a row too short or too long, a
    blank row."""
    rows: list[list[str]] = []
    for i in range(draw(st.integers(1, 60))):
        cells = {"uscc": code(1000 + i)}
        kind = draw(st.integers(0, 24))
        if kind == 0:
            cells["grade"] = "Z"
        elif kind == 1:
            cells["name"] = draw(st.sampled_from(["", " "]))
        elif kind == 2:
            cells["district"] = draw(st.sampled_from(["北京", "", "天津市和平区", " 河西区 "]))
        elif kind == 3:
            cells["uscc"] = draw(st.sampled_from(["X", "", code(1000 + i).lower()]))
        elif kind == 4 and rows:
            cells["uscc"] = rows[draw(st.integers(0, len(rows) - 1))][0] or cells["uscc"]
        elif kind == 5:
            cells["name"] = draw(st.sampled_from(["A,B", 'A"B', "A\nB", "A\r\nB", "'=A"]))
        elif kind == 6:
            cells["complaints_12m"] = draw(st.sampled_from(["-1", "x"]))
        values = row(i, **cells)
        if kind == 7:
            values = values[:-2]
        elif kind == 8:
            values = [*values, "surplus"]
        elif kind == 9:
            values = [""] * 4
        elif kind == 10:
            # One cell short, two cells in one: joined by commas, it would look whole.
            values = [*values[:2], f"{values[2]},{values[3]}", *values[4:]]
        rows.append(values)
    return rows


def outcomes(path: Path, plan: Plan, limit: int) -> tuple[Outcome, Outcome]:
    """What the reference gives (its errors bounded to ``limit``) and what the stream gives,
    each with its warnings."""
    expected = reference_outcome(path, plan, limit=limit)
    return expected, source_outcome(EnterpriseStream(path, limit=limit), plan)


def refuse_the_whole_file_by_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make a file whose errors are found by reading every row by the reference fail the
    test: the errors must be found by the stream's own pass."""

    def refused(self: EnterpriseStream) -> Any:
        raise AssertionError("the whole file was read again by the reference")

    monkeypatch.setattr(EnterpriseStream, "_reference_errors", refused)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=rows_with_some_bad(),
    header=st.sampled_from(ERROR_HEADERS),
    chunk=st.integers(1, 400),
    few=st.sampled_from([1, 2, 8]),
    judge=st.sampled_from([1, 4, 256]),
    ending=st.sampled_from(["\r\n", "\n"]),
    final=st.booleans(),
    limit=st.sampled_from([2, 1000]),
    plan=st.sampled_from([PLAN, SCOPED]),
)
def test_the_errors_of_bad_rows_in_any_chunks_are_the_references_bounded(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rows: list[list[str]],
    header: str,
    chunk: int,
    few: int,
    judge: int,
    ending: str,
    final: bool,
    limit: int,
    plan: Plan,
) -> None:
    # Chunks of a few lines: bad rows, repeats and quoted cells fall in many chunks; runs
    # halved down to one row or to a few; errors judged dense after a few rows or many.
    monkeypatch.setattr(streaming, "_TEXT_CHUNK", chunk)
    monkeypatch.setattr(streaming, "_FEW", few)
    monkeypatch.setattr(streaming, "_JUDGE", judge)
    refuse_the_whole_file_by_the_reference(monkeypatch)
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator=ending).writerows([header.split(","), *laid_out(rows, header)])
    data = text.getvalue() if final else text.getvalue().removesuffix(ending)
    path = tmp_path / "e.csv"
    path.write_text(data, encoding="utf-8-sig", newline="")
    expected, got = outcomes(path, plan, limit)
    assert got == expected


def test_a_code_repeated_across_chunks_is_reported_whichever_chunk_holds_bad_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(streaming, "_TEXT_CHUNK", 400)  # about six rows a chunk
    refuse_the_whole_file_by_the_reference(monkeypatch)
    rows = [row(i, uscc=code(1000 + i)) for i in range(200)]
    # Row 5's code again in a chunk with a bad row; row 40, itself bad, repeated in a clean
    # chunk; a code given three times.
    rows[150] = row(150, uscc=rows[5][0])
    rows[151] = row(151, uscc=code(1151), grade="Z")
    rows[40] = row(40, uscc=code(1040), complaints_12m="-1")
    rows[180] = row(180, uscc=code(1040))
    rows[190] = row(190, uscc=code(1040))
    path = write(tmp_path, rows)
    expected, got = outcomes(path, PLAN, 1000)
    assert got == expected
    for lines in ("7 and 152", "42 and 182", "42 and 192"):
        assert f"on lines {lines}" in got[0]
    assert "5 error(s)" in got[0]


def test_bad_rows_before_and_after_quoted_cells_are_reported_as_the_reference_reports_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(streaming, "_TEXT_CHUNK", 300)
    refuse_the_whole_file_by_the_reference(monkeypatch)
    rows = [row(i, uscc=code(1000 + i)) for i in range(120)]
    rows[10] = row(10, uscc=code(1010), grade="Z")
    # A chunk that is not plain: a comma, a line break, a quote in a cell; then one more.
    rows[50] = row(50, uscc=code(1050), name="甲,乙")
    rows[51] = row(51, uscc=code(1051), name="甲\n乙", district="北京")
    rows[52] = row(52, uscc=code(1052), name='甲"乙')
    rows[90] = row(90, uscc=code(1090), industry="甲\r\n乙")
    # A row one cell short, its district and industry in one cell: an error.
    rows[70] = [*rows[70][:2], ",".join(rows[70][2:4]), *rows[70][4:]]
    rows[60] = row(60, uscc=rows[10][0])
    rows[100] = row(100, uscc=code(1100), name="")
    rows[110] = row(110, uscc=rows[51][0])
    path = write(tmp_path, rows)
    expected, got = outcomes(path, PLAN, 1000)
    assert got == expected
    # Line numbers after the line breaks within cells are the file's lines.
    assert "line 104, column 'name'" in got[0]
    assert "on lines 53 and 114" in got[0]
    assert "line 73, column 'key_area': 行不完整" in got[0]


def test_more_errors_than_the_limit_over_many_chunks_are_counted_as_the_reference_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(streaming, "_TEXT_CHUNK", 500)
    refuse_the_whole_file_by_the_reference(monkeypatch)
    rows = [row(i % 300, uscc=code(1000 + i), grade="Z" if i % 7 == 3 else "A") for i in range(400)]
    path = write(tmp_path, rows)
    expected, got = outcomes(path, PLAN, 10)
    assert got == expected
    assert "57 error(s)" in got[0]
    assert "47 more error(s)" in got[0]


def test_only_the_rows_that_fail_the_streams_checks_are_read_by_the_reference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[int] = []
    build = streaming._build_enterprise

    def counted(row: Any, *args: Any) -> Any:
        built.append(row.line)
        return build(row, *args)

    monkeypatch.setattr(streaming, "_build_enterprise", counted)
    monkeypatch.setattr(streaming, "_TEXT_CHUNK", 4000)
    rows = [row(i % 300, uscc=code(1000 + i)) for i in range(3000)]
    rows[1500] = row(0, uscc=code(2500), grade="Z")
    rows[2500] = row(0, uscc=code(1007))
    path = write(tmp_path, rows)
    stream = EnterpriseStream(path)
    with pytest.raises(InputFileError) as caught:
        stream.fail()
    assert [e.location.line for e in caught.value.errors if e.location] == [1502, 2502]
    # The rows of the reference: the bad ones, the repeat, a few beside them; and each place
    # once (line 0), when the stream reads a representative or asks about a place.
    rows_read = [line for line in built if line]
    assert {1502, 2502} <= set(rows_read)
    assert len(rows_read) <= 2 * streaming._FEW
    assert built.count(0) <= 2 * len({tuple(r[2:]) for r in rows})


BAD_GRADES = "".join(f"{CODES[i]},企业{i},和平区,,{'ZA'[i % 2]}\n" for i in range(30))


@pytest.mark.parametrize(
    ("header", "rows"),
    [
        # A stray quote: malformed CSV, nothing after it read.
        ("uscc,name,district,industry,grade", BAD_GRADES + 'x"y\n' + BAD_GRADES),
        # A header cell holding a line break.
        ('uscc,name,district,"indus\ntry",grade', BAD_GRADES),
    ],
)
def test_a_file_left_to_the_reference_reports_the_references_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, header: str, rows: str
) -> None:
    monkeypatch.setattr(streaming, "_TEXT_CHUNK", 300)
    path = tmp_path / "e.csv"
    path.write_text(header + "\n" + rows, encoding="utf-8", newline="")
    expected, got = outcomes(path, PLAN, 3)
    assert got == expected
    assert "more error(s)" in got[0]
