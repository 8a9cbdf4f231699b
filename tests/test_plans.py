"""Plans without guessing: the shipped JSON Schema, ``randcheck plan new``, and plans written by
people read with the line names and ratio spellings the directories accept — while records stay
canonical."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
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
    # A TOML file's problems are said by its keys, not the JSON paths of the plan written.
    assert "$.data" not in err
    assert "plan.toml: line:" in err
    assert "plan.toml: ratio:" in err
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


# --- every option reaches the plan; every problem is said at once --------------------------------

# Each option of `plan new` with a value, and what the written plan then holds.
EVERY_OPTION: dict[str, tuple[list[str], Callable[[Plan], bool]]] = {
    "--code": (["MYCODE"], lambda p: p.code == "MYCODE"),
    # A plan's windows lie in its year: another year comes with a window in it.
    "--year": (["2028", "--window", "2028-01-01/2028-01-31"], lambda p: p.year == 2028),
    "--line": (["社会保险稽查"], lambda p: p.line == "social-insurance-audit"),
    "--ratio": (["4%"], lambda p: p.ratio == Fraction(1, 25)),
    "--stratum-ratio": (
        ["和平区=5%"],
        lambda p: p.stratum_ratios == (("和平区", Fraction(1, 20)),),
    ),
    "--rounds": (["3"], lambda p: p.rounds == 3),
    "--window": (["2027-04-01/2027-06-30"], lambda p: str(p.windows[0].end) == "2027-06-30"),
    "--item": (["LI-01"], lambda p: p.items == ("LI-01",)),
    "--scope": (["辖区内用人单位"], lambda p: p.scope.description == "辖区内用人单位"),
    "--scope-district": (["和平区"], lambda p: p.scope.districts == frozenset({"和平区"})),
    "--inspector-requirements": (["持证"], lambda p: p.inspector_requirements == "持证"),
    "--procedure": (["双随机"], lambda p: p.procedure == "双随机"),
    "--team-size": (["3"], lambda p: p.team_size == 3),
    "--strata": (["district,grade"], lambda p: p.strata == ("district", "grade")),
    "--distinct-sections": ([], lambda p: p.distinct_sections is True),
    "--min-one-per-stratum": ([], lambda p: p.min_one_per_stratum is True),
    "--allocation": (
        ["proportional-to-weight"],
        lambda p: p.allocation is SampleAllocation.PROPORTIONAL_TO_WEIGHT,
    ),
    "--cross-district-min": (["1/4"], lambda p: p.cross_district.minimum == Fraction(1, 4)),
    "--cross-district-max": (["3/4"], lambda p: p.cross_district.maximum == Fraction(3, 4)),
    "--load-cap": (["4"], lambda p: p.load_cap == 4),
    "--submitted": (["2027-11-01"], lambda p: str(p.submitted) == "2027-11-01"),
    "--published": (["2027-11-20"], lambda p: str(p.published) == "2027-11-20"),
    "--supplementary-ground": (["专项"], lambda p: p.supplementary_ground == "专项"),
}
# Options that say where the plan comes from and goes to, not what it holds.
NOT_PLAN_KEYS = {"-h", "--help", "--from", "--out", "--force", "--profile"}


def _plan_new_options() -> set[str]:
    import argparse

    from randcheck.cli import _plan

    root = argparse.ArgumentParser()
    _plan.register(root.add_subparsers())
    [plan] = [a for a in root._actions if isinstance(a, argparse._SubParsersAction)]
    [actions] = [
        a for a in plan.choices["plan"]._actions if isinstance(a, argparse._SubParsersAction)
    ]
    return {o for a in actions.choices["new"]._actions for o in a.option_strings}


def test_every_option_of_plan_new_is_checked_below() -> None:
    assert _plan_new_options() - NOT_PLAN_KEYS == set(EVERY_OPTION)


@pytest.mark.parametrize("option", sorted(EVERY_OPTION))
def test_every_option_of_plan_new_reaches_the_written_plan_over_the_toml_file(
    tmp_path: Path, option: str
) -> None:
    source = tmp_path / "plan.toml"
    # The file holds other values for every key, so that an option left out is seen.
    source.write_text(
        'code = "FROM-FILE"\nyear = 2027\nline = "labour-inspection"\nratio = "1/10"\n'
        'stratum_ratios = [["河西区", "1/10"]]\nrounds = 1\nteam_size = 2\nload_cap = 9\n'
        'items = ["X"]\nstrata = ["district"]\ndistinct_sections = false\n'
        'min_one_per_stratum = false\nprocedure = "p"\ninspector_requirements = "r"\n'
        'supplementary_ground = "g"\nsubmitted = 2027-10-01\npublished = 2027-10-02\n'
        "windows = [{ start = 2027-01-01, end = 2027-01-31 }]\n"
        '[scope]\ndescription = "d"\ndistricts = ["河西区"]\n'
        '[cross_district]\nminimum = "0/1"\nmaximum = "1/1"\n',
        encoding="utf-8",
    )
    values, holds = EVERY_OPTION[option]
    out = tmp_path / "plan.json"
    args = ["plan", "new", "--from", str(source), option, *values, "--out", str(out)]
    if option == "--allocation":
        # Dividing by weight takes no per-stratum ratios: the file's are taken out.
        source.write_text(
            source.read_text(encoding="utf-8").replace(
                'stratum_ratios = [["河西区", "1/10"]]\n', ""
            ),
            encoding="utf-8",
        )
    assert main(args) == 0
    plan = load_plan(out)
    assert holds(plan), option


def test_every_problem_of_a_plan_file_is_listed_at_once_with_its_path(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(
        plan_text(
            code="X", year=2027, line="劳动监察", team_size=-1, load_cap=-5, rounds=0,
            strata=["distrct"],
        ),
        encoding="utf-8",
    )  # fmt: skip
    with pytest.raises(InputFileError) as caught:
        load_plan(path, profile=TIANJIN_HRSS)
    fields = {error.field for error in caught.value.errors}
    assert fields == {
        "$.data.line",
        "$.data.team_size",
        "$.data.load_cap",
        "$.data.rounds",
        "$.data.strata[0]",
    }
    assert all(str(error).startswith(f"{path}: ") for error in caught.value.errors)
    text = str(caught.value)
    assert "劳动保障监察" in text  # the known lines by their Chinese names too
    assert "did you mean 'labour-inspection'" in text
    assert "did you mean 'district'" in text


def test_seven_problems_of_seven_kinds_are_seven_errors() -> None:
    text = plan_text(
        code="X", year="2027", line="nope", ratio="lots", team_size=0, rounds=-1,
        windows=[{"start": "2027-13-01", "end": "2027-02-30"}],
    )  # fmt: skip
    with pytest.raises(InputFileError) as caught:
        read_plan(text, source="p.json", profile=TIANJIN_HRSS)
    assert {error.field for error in caught.value.errors} == {
        "$.data.year",
        "$.data.line",
        "$.data.ratio",
        "$.data.team_size",
        "$.data.rounds",
        "$.data.windows[0].start",
        "$.data.windows[0].end",
    }
    assert all(error.expected for error in caught.value.errors)


def test_cross_district_bounds_out_of_order_are_reported_at_the_bound() -> None:
    text = plan_text(
        code="X", year=2027, line="labour-inspection",
        cross_district={"minimum": "1/2", "maximum": "1/4"},
    )  # fmt: skip
    with pytest.raises(InputFileError) as caught:
        read_plan(text, source="p.json")
    [error] = caught.value.errors
    assert error.field == "$.data.cross_district.minimum"
    assert error.got == "1/2..1/4"


def test_a_missing_required_key_is_said_with_the_other_problems() -> None:
    with pytest.raises(InputFileError) as caught:
        read_plan(plan_text(code="X", line="labour-inspection", rounds=0))
    assert {error.field for error in caught.value.errors} == {"$.data.year", "$.data.rounds"}


def test_plan_new_lists_every_problem_of_a_toml_file_by_its_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "plan.toml"
    source.write_text(
        'year = 2027\nline = "labour-inspection"\nteam_size = -1\nrounds = 0\n'
        '[cross_district]\nminimum = "1/2"\nmaximum = "1/4"\n',
        encoding="utf-8",
    )
    out = tmp_path / "p.json"
    assert main(["plan", "new", "--from", str(source), "--load-cap", "0", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{source}: team_size:" in err
    assert f"{source}: rounds:" in err
    assert "@ cross_district.minimum" in err
    assert "<options>: load_cap:" in err
    assert "@ --load-cap" in err
    assert "$.data" not in err
    assert not out.exists()


def test_loading_a_toml_plan_says_how_to_make_it_json(tmp_path: Path) -> None:
    source = tmp_path / "plan.toml"
    source.write_text('year = 2027\nline = "labour-inspection"\n', encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        load_plan(source)
    message = str(caught.value)
    assert "a plan file is JSON" in message
    assert f"randcheck plan new --from {source}" in message
    assert "malformed JSON" not in message


# --- values no plan can hold; values a plan may hold but the rules doubt ------------------------

# The plan of the first report: 2 rounds, 1 window, submitted long after 30 November 2026 and
# published before it was submitted.
REPORTED = [
    "plan", "new", "--year", "2027", "--line", "labour-inspection", "--ratio", "3%",
    "--rounds", "2", "--submitted", "2028-05-01", "--published", "2026-01-01", "--team-size", "50",
]  # fmt: skip


def test_plan_new_refuses_a_window_outside_the_plans_year_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "w.json"
    code = main([*REPORTED, "--window", "2031-01-01/2031-02-01", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    assert "<options>: windows[0]: expected windows within the plan's year 2027" in err
    assert "got '2031-01-01/2031-02-01' @ --window" in err
    assert not out.exists()


def test_plan_new_says_every_doubt_art_8_and_9_raise_about_the_plan_it_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "w.json"
    code = main([*REPORTED, "--window", "2027-01-01/2027-02-01", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 0, err
    fields = next(line for line in err.splitlines() if "R-PLAN-FIELDS (Art. 9)" in line)
    assert "has 2 rounds but 1 window: no time of the checks for round 2" in fields
    deadline = next(line for line in err.splitlines() if "R-PLAN-DEADLINE (Art. 8)" in line)
    assert deadline.startswith("randcheck: warning:")
    assert "submitted on 2028-05-01, after the deadline 2026-11-30" in deadline
    assert "published on 2026-01-01, before it was submitted on 2028-05-01" in deadline
    assert load_plan(out).rounds == 2


@pytest.mark.parametrize(("submitted", "late"), [("2026-11-30", False), ("2026-12-01", True)])
def test_plan_new_warns_of_a_submission_after_30_november_not_on_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], submitted: str, late: bool
) -> None:
    args = ["plan", "new", "--year", "2027", "--line", "labour-inspection"]
    code = main([*args, "--submitted", submitted, "--out", str(tmp_path / "p.json")])
    err = capsys.readouterr().err
    assert code == 0, err
    assert ("R-PLAN-DEADLINE" in err) is late


def test_plan_new_notes_the_deadline_of_a_plan_not_yet_submitted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["plan", "new", "--year", "2027", "--line", "labour-inspection"]
    assert main([*args, "--out", str(tmp_path / "p.json")]) == 0
    err = capsys.readouterr().err
    assert "randcheck: note: R-PLAN-DEADLINE (Art. 8)" in err
    assert "due by 2026-11-30" in err


def test_a_plan_year_that_does_not_hold_its_windows_is_refused_with_every_other_problem() -> None:
    text = plan_text(
        code="X", year=1899, line="labour-inspection", ratio="150%", items=["LS-01", "LS-01"],
        windows=[{"start": "2027-04-01", "end": "2027-06-30"}],
    )  # fmt: skip
    with pytest.raises(InputFileError) as caught:
        read_plan(text, source="p.json")
    errors = {error.field: error for error in caught.value.errors}
    assert set(errors) == {"$.data.windows[0]", "$.data.ratio", "$.data.items"}
    window = errors["$.data.windows[0]"]
    assert "1899" in str(window.expected)
    assert window.got == "2027-04-01/2027-06-30"
    assert str(window).startswith("p.json: ")


def test_windows_are_not_judged_against_a_year_that_is_none() -> None:
    windows = [{"start": "2027-04-01", "end": "2027-06-30"}]
    for year in ("2027", 0):
        text = plan_text(code="X", year=year, line="labour-inspection", windows=windows)
        with pytest.raises(InputFileError) as caught:
            read_plan(text)
        assert [error.field for error in caught.value.errors] == ["$.data.year"]


def test_plan_new_refuses_a_toml_plan_for_1899_with_windows_in_2027_by_its_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "plan.toml"
    source.write_text(
        'year = 1899\nline = "labour-inspection"\nrounds = 1\n'
        "windows = [{ start = 2027-03-01, end = 2027-04-01 }]\n",
        encoding="utf-8",
    )
    out = tmp_path / "p.json"
    assert main(["plan", "new", "--from", str(source), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{source}: windows[0]: expected windows within the plan's year 1899" in err
    assert "@ windows[0]" in err
    assert not out.exists()


def test_an_empty_item_list_is_a_plan_naming_no_items() -> None:
    # Art. 9 does not ask a plan to name its items: each inspection names its own, judged by
    # R-LEGAL-BASIS. `[]` is what every plan naming none is written with.
    plan = read_plan(plan_text(code="X", year=2027, line="labour-inspection", items=[]))
    assert plan.items == ()
    assert json.loads(canonical_json(to_document("plan", plan)))["data"]["items"] == []


@pytest.mark.parametrize(
    ("data", "field", "got", "read"),
    [
        ({"ratio": "150%"}, "$.data.ratio", "150%", "3/2"),
        ({"ratio": 1.5}, "$.data.ratio", 1.5, "3/2"),
        ({"stratum_ratios": {"和平区": "200%"}}, "$.data.stratum_ratios[和平区]", "200%", "2"),
        (
            {"stratum_ratios": [["和平区", "0%"]], "ratio": "3/100"},
            "$.data.stratum_ratios[和平区]",
            "0%",
            "0",
        ),
        (
            {"cross_district": {"minimum": "50%", "maximum": "20%"}},
            "$.data.cross_district.minimum",
            "50%..20%",
            "1/2..1/5",
        ),
    ],
)
def test_a_refused_value_is_said_as_it_was_written_and_as_it_was_read(
    data: dict[str, object], field: str, got: object, read: str
) -> None:
    text = plan_text(code="X", year=2027, line="labour-inspection", **data)
    with pytest.raises(InputFileError) as caught:
        read_plan(text, source="p.json")
    [error] = caught.value.errors
    assert error.field == field
    assert error.got == got
    assert f"got {got!r} (read as {read})" in str(error)


def test_a_refused_value_written_in_canonical_form_is_said_once() -> None:
    with pytest.raises(InputFileError) as caught:
        read_plan(plan_text(code="X", year=2027, line="labour-inspection", ratio="3/2"))
    [error] = caught.value.errors
    assert error.got == "3/2"
    assert "read as" not in str(error)


def test_plan_new_says_a_refused_option_as_typed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["plan", "new", "--year", "2027", "--line", "labour-inspection", "--ratio", "150%"]
    assert main([*args, "--out", str(tmp_path / "p.json")]) == 2
    err = capsys.readouterr().err
    assert "<options>: ratio: expected a ratio in (0, 1], got '150%' (read as 3/2) @ --ratio" in err


def test_plan_new_help_shows_a_percentage_with_one_percent_sign(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["plan", "new", "--help"])
    out = capsys.readouterr().out
    assert "%%" not in out
    assert "3%" in " ".join(out.split())


# --- the draw's plan --------------------------------------------------------------------------


def test_the_draws_plan_is_told_apart_by_code_and_by_each_sampling_parameter() -> None:
    import attrs

    from randcheck.demo import synthetic
    from randcheck.errors import ValidationError
    from randcheck.io.plans import require_draw_plan
    from randcheck.sampling import Seed, build_frame, commit, draw

    plan = synthetic.demo_plan(2027)
    frame = build_frame(list(synthetic.enterprises(200, seed="plan")), plan, TIANJIN_HRSS)
    record = draw(frame, commit(frame), Seed(value="01 02 03", source="test"))
    require_draw_plan(plan, record)
    require_draw_plan(attrs.evolve(plan, procedure="另行表述"), record)
    with pytest.raises(
        ValidationError, match=f"OTHER \\(2027\\) is not the draw record's plan {plan.code}"
    ):
        require_draw_plan(attrs.evolve(plan, code="OTHER"), record)
    scope = attrs.evolve(plan.scope, districts=frozenset({"和平区"}))
    with pytest.raises(ValidationError) as caught:
        require_draw_plan(attrs.evolve(plan, scope=scope), record)
    assert caught.value.field == "plan.scope"
    assert "和平区" in str(caught.value.got)
    assert caught.value.expected != caught.value.got
