"""Plans without guessing: the shipped JSON Schema, ``randcheck plan new``, and plans written by
people read with the line names and ratio spellings the directories accept — while records stay
canonical."""

from __future__ import annotations

import json
import warnings
from fractions import Fraction
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from randcheck.canonical import canonical_json, to_document
from randcheck.cli import main
from randcheck.demo.simulation import demo_directory
from randcheck.domain import Plan, SampleAllocation
from randcheck.errors import InputFileError
from randcheck.io import load_json, read_json
from randcheck.io.plans import PlanWarning, load_plan, parse_ratio, plan_schema, read_plan
from randcheck.profiles import TIANJIN_HRSS

SCHEMA = plan_schema()


def validate(document: object) -> None:
    jsonschema.Draft202012Validator(SCHEMA).validate(document)


def plan_text(**data: object) -> str:
    return json.dumps({"schema": 1, "kind": "plan", "data": data}, ensure_ascii=False)


def test_the_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_every_plan_of_the_demo_year_fits_the_schema() -> None:
    for plan in demo_directory(seed="schema", enterprises=200, inspectors=60).plans:
        validate(json.loads(canonical_json(to_document("plan", plan))))


def test_the_schema_refuses_what_the_reader_refuses() -> None:
    for bad in (
        {"code": "X", "year": 2027, "line": "labour-inspection", "ratoi": "1/10"},
        {"code": "X", "year": "2027", "line": "labour-inspection"},
        {"code": "X", "year": 2027},
    ):
        with pytest.raises(jsonschema.ValidationError):
            validate({"schema": 1, "kind": "plan", "data": bad})
        with pytest.raises(InputFileError):
            read_plan(plan_text(**bad))


def test_the_schema_names_every_field_of_a_plan() -> None:
    import attrs

    assert set(SCHEMA["properties"]["data"]["properties"]) == {
        field.name for field in attrs.fields(Plan)
    }


# --- a person's spellings ----------------------------------------------------------------------


def test_a_chinese_line_name_and_a_percentage_are_read_in_canonical_form() -> None:
    with pytest.warns(PlanWarning, match="'劳动保障监察' → 'labour-inspection'") as caught:
        plan = read_plan(plan_text(code="LS", year=2027, line="劳动保障监察", ratio="3%"))
    assert (plan.line, plan.ratio) == ("labour-inspection", Fraction(3, 100))
    assert "'3%' → '3/100'" in str(caught[0].message)


@pytest.mark.parametrize(
    ("written", "ratio"),
    [
        ("3/100", Fraction(3, 100)),
        ("6/200", Fraction(3, 100)),
        ("0.05", Fraction(1, 20)),
        (0.05, Fraction(1, 20)),
        ("2.5%", Fraction(1, 40)),
        (1, Fraction(1)),
    ],
)
def test_ratio_spellings(written: object, ratio: Fraction) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlanWarning)
        plan = read_plan(plan_text(code="LS", year=2027, line="labour-inspection", ratio=written))
    assert plan.ratio == ratio


def test_a_canonical_plan_reads_without_a_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plan = read_plan(plan_text(code="LS", year=2027, line="labour-inspection", ratio="3/100"))
    assert plan.ratio == Fraction(3, 100)


def test_stratum_ratios_may_be_an_object() -> None:
    with pytest.warns(PlanWarning):
        plan = read_plan(
            plan_text(
                code="LS", year=2027, line="labour-inspection", stratum_ratios={"和平区": "5%"}
            )
        )
    assert plan.stratum_ratios == (("和平区", Fraction(1, 20)),)


def test_a_ratio_that_is_no_ratio_is_an_error_with_its_path() -> None:
    with pytest.raises(InputFileError) as info:
        read_plan(plan_text(code="LS", year=2027, line="labour-inspection", ratio="lots"))
    assert [error.field for error in info.value.errors] == ["$.data.ratio"]


def test_a_line_of_another_profile_is_left_for_the_step_to_judge() -> None:
    # A plan names its line; which profile it is applied under is the command's to say.
    plan = read_plan(plan_text(code="M", year=2027, line="market-regulation", ratio="1/10"))
    assert plan.line == "market-regulation"


def test_a_record_still_reads_only_canonical_fractions() -> None:
    # What a person writes is input; what a record holds is pinned by its digest.
    text = plan_text(code="LS", year=2027, line="labour-inspection", ratio="3%")
    with pytest.raises(InputFileError):
        read_json(text, "plan", Plan)


_ratios = st.fractions(min_value=Fraction(1, 10_000), max_value=1, max_denominator=10_000)


@given(_ratios)
def test_any_ratio_as_a_percentage_or_fraction_reads_as_the_same_fraction(ratio: Fraction) -> None:
    assert parse_ratio(f"{ratio.numerator * 3}/{ratio.denominator * 3}") == ratio
    assert parse_ratio(f"{ratio.numerator}/{ratio.denominator}") == ratio
    decimal = ratio * 100
    if decimal.denominator in (1, 2, 4, 5, 10, 20, 25, 50, 100):
        as_decimal = f"{float(decimal):.2f}%"
        assert parse_ratio(as_decimal) == ratio


# --- randcheck plan new ------------------------------------------------------------------------


def test_plan_new_writes_a_canonical_plan_from_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "plan.json"
    code = main(
        [
            "plan",
            "new",
            "--year",
            "2027",
            "--line",
            "劳动保障监察",
            "--ratio",
            "3%",
            "--rounds",
            "2",
            "--window",
            "2027-04-01/2027-06-30",
            "--window",
            "2027-09-01/2027-11-30",
            "--stratum-ratio",
            "和平区=10%",
            "--scope",
            "辖区内用人单位",
            "--procedure",
            "双随机",
            "--out",
            str(out),
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "劳动保障监察" in captured.err  # the note says what was rewritten
    document = json.loads(out.read_text(encoding="utf-8"))
    validate(document)
    assert document["data"]["line"] == "labour-inspection"
    assert document["data"]["ratio"] == "3/100"
    plan = load_json(out, "plan", Plan)  # the strict reader of records reads it
    assert plan.code == "2027-labour-inspection"
    assert len(plan.windows) == 2


def test_plan_new_reads_a_toml_file_and_options_win(tmp_path: Path) -> None:
    source = tmp_path / "plan.toml"
    source.write_text(
        'code = "LS-2027"\nyear = 2027\nline = "社会保险稽查"\nratio = "5%"\nrounds = 1\n'
        "windows = [{ start = 2027-07-01, end = 2027-08-31 }]\n"
        '[scope]\ndescription = "参保单位"\n',
        encoding="utf-8",
    )
    out = tmp_path / "plan.json"
    assert main(["plan", "new", "--from", str(source), "--ratio", "0.04", "--out", str(out)]) == 0
    plan = load_plan(out)
    assert (plan.code, plan.line, plan.ratio) == (
        "LS-2027",
        "social-insurance-audit",
        Fraction(1, 25),
    )
    assert plan.scope.description == "参保单位"


def test_plan_new_lists_every_problem_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "plan.toml"
    source.write_text('year = 2027\nline = "x"\nratio = "lots"\nratoi = 1\n', encoding="utf-8")
    code = main(["plan", "new", "--from", str(source), "--out", str(tmp_path / "p.json")])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    assert "$.data.line" in err
    assert "$.data.ratio" in err
    assert "ratoi" in err  # the rest of the plan is still read, and its problems said
    assert not (tmp_path / "p.json").exists()


def test_plan_new_does_not_write_over_a_file(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    out.write_text("keep", encoding="utf-8")
    args = ["plan", "new", "--year", "2027", "--line", "labour-inspection", "--out", str(out)]
    assert main(args) == 2
    assert out.read_text(encoding="utf-8") == "keep"
    assert main([*args, "--force"]) == 0


def test_commit_reads_a_plan_a_person_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from randcheck.io import save_enterprises_csv

    directory = demo_directory(seed="plan", enterprises=200, inspectors=60)
    save_enterprises_csv(tmp_path / "e.csv", directory.enterprises)
    plan = tmp_path / "plan.json"
    plan.write_text(
        plan_text(
            code="LS",
            year=2027,
            line="劳动保障监察",
            ratio=0.05,
            rounds=1,
            windows=[{"start": "2027-04-01", "end": "2027-06-30"}],
        ),
        encoding="utf-8",
    )
    code = main(
        [
            "commit",
            "--enterprises",
            str(tmp_path / "e.csv"),
            "--plan",
            str(plan),
            "--out",
            str(tmp_path / "c.json"),
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "read in canonical form" in captured.err
    assert TIANJIN_HRSS.name in (tmp_path / "c.json").read_text(encoding="utf-8")


def test_plan_new_divides_by_weight_on_request_and_says_what_art_9_still_asks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "plan.json"
    args = ["plan", "new", "--year", "2027", "--line", "labour-inspection", "--ratio", "3/100"]
    code = main(
        [
            *args,
            "--strata",
            "district,grade",
            "--allocation",
            "proportional-to-weight",
            "--out",
            str(out),
        ]
    )
    err = capsys.readouterr().err
    assert code == 0, err
    plan = load_plan(out)
    assert plan.allocation is SampleAllocation.PROPORTIONAL_TO_WEIGHT
    assert "R-PLAN-FIELDS" in err
    assert "实施抽查时间" in err
    assert "procedure" in err


def test_plan_new_is_quiet_about_a_plan_with_every_art_9_content(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "plan.json"
    code = main(
        [
            "plan",
            "new",
            "--year",
            "2027",
            "--line",
            "labour-inspection",
            "--ratio",
            "3/100",
            "--rounds",
            "1",
            "--window",
            "2027-04-01/2027-06-30",
            "--scope",
            "辖区内用人单位",
            "--inspector-requirements",
            "持证执法人员",
            "--procedure",
            "双随机",
            "--out",
            str(out),
        ]
    )
    err = capsys.readouterr().err
    assert code == 0, err
    assert "R-PLAN-FIELDS" not in err
