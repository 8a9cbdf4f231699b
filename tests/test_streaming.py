"""The streamed directory and frame agree with load_enterprises + build_frame, errors included."""

from __future__ import annotations

import csv
import io
import json
import warnings
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _builders import uscc
from randcheck._columnar import ColumnarEnterprises
from randcheck.cli import main
from randcheck.domain import Line, Plan, Scope
from randcheck.errors import InputFileError, RandcheckError
from randcheck.ids import uscc_check_character
from randcheck.io import load_enterprises, save_json
from randcheck.io.cells import _canonical_uscc, _canonical_usccs, _parse_uscc
from randcheck.io.streaming import EnterpriseStream, bounded_errors
from randcheck.profiles import TIANJIN_HRSS
from randcheck.sampling import Frame, build_frame
from randcheck.sampling._frame_stream import build_frame_from_batches

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
            return build_frame_from_batches(
                stream.batches(),
                plan,
                TIANJIN_HRSS,
                history=lambda: given_history,
                duplicate=stream.fail,
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
    assert (
        build_frame_from_batches(stream.batches(), SCOPED, TIANJIN_HRSS).to_json()
        == expected.to_json()
    )


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


# --- the DuckDB engine ------------------------------------------------------------------------


def columnar(path: Path, plan: Plan, **history: Any) -> tuple[Frame | RandcheckError, bool]:
    source = ColumnarEnterprises(path)
    given_history = history.get("history")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame: Frame | RandcheckError = build_frame_from_batches(
                source.batches(),
                plan,
                TIANJIN_HRSS,
                history=lambda: given_history,
                duplicate=source.fail,
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
