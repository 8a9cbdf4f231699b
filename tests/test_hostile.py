"""Hostile input: every bad file or option ends in exit 2 with every problem listed and where it
is, never in a traceback, a silent change or a quietly different result."""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import random
import re
import stat
import threading
from collections.abc import Callable, Iterator
from fractions import Fraction
from functools import partial
from pathlib import Path
from typing import Any

import attrs
import pytest

from _builders import uscc
from randcheck import canonical
from randcheck.canonical import canonical_json, from_document, unstructure
from randcheck.cli import _draw, main
from randcheck.demo.planting import plant
from randcheck.demo.simulation import simulate
from randcheck.demo.synthetic import demo_plan
from randcheck.demo.synthetic import enterprises as synthetic_enterprises
from randcheck.dispatch import DispatchRecord
from randcheck.domain import Plan
from randcheck.errors import InputFileError, Location, RandcheckError
from randcheck.io import load_enterprises, load_json, load_jsonl, save_enterprises_csv, save_json
from randcheck.ledger import _SECTION_TYPES, Ledger, load_ledger, save_ledger
from randcheck.profiles import TIANJIN_HRSS
from randcheck.sampling import Commitment, DrawRecord, Frame, SelectedUnit
from randcheck.sampling._verify import _unit_differences
from randcheck.validators import audit, report_json

DIRECTORY = list(synthetic_enterprises(120, seed="test-hostile"))
CODE = DIRECTORY[0].uscc


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("drawn")
    save_enterprises_csv(d / "enterprises.csv", DIRECTORY)
    save_json(d / "plan.json", _draw.PLAN_KIND, demo_plan(2027))
    common = ["--enterprises", str(d / "enterprises.csv")]
    published = ["--plan", str(d / "plan.json"), "--published", "2027-03-02T09:00"]
    written = ["--out", str(d / "commitment.json"), "--frame", str(d / "frame.json")]
    assert main(["commit", *common, *published, *written]) == 0
    seed = ["--seed", "1 2 3", "--seed-source", "test", "--out", str(d / "draw.json")]
    assert main(["draw", *common, "--commitment", str(d / "commitment.json"), *seed]) == 0
    return d


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(argv)
    return code, capsys.readouterr().err


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- kind 1: no traceback ------------------------------------------------------------------


def counts(data: str) -> str:
    return f'{{"data":{data},"kind":"random-check-counts","schema":1}}\n'


@pytest.mark.parametrize("data", ["[1]", '"x"', "1", "null"])
def test_a_history_whose_data_is_not_an_object_exits_2(
    drawn: Path, tmp_path: Path, data: str, capsys: pytest.CaptureFixture[str]
) -> None:
    history = write(tmp_path / "history.json", counts(data))
    argv = ["commit", "--enterprises", str(drawn / "enterprises.csv"), "--plan"]
    argv += [str(drawn / "plan.json"), "--out", str(tmp_path / "c.json"), "--history", str(history)]
    code, err = run(argv, capsys)
    assert code == 2
    assert "expected a JSON object" in err
    assert "@ $.data" in err


DEEP = "[" * 3000 + "]" * 3000


def test_json_nested_thousands_deep_is_refused_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path / "deep.json", '{"data":\n' + DEEP + ',"kind":"plan","schema":1}')
    with pytest.raises(InputFileError) as info:
        load_json(path, "plan", list[int])
    assert "nested too deeply" in info.value.message
    assert info.value.errors[0].location == Location(file=str(path), line=2)


def test_json_lines_nested_thousands_deep_is_refused_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path / "deep.jsonl", '{"kind":"x","schema":1}\n' + DEEP + "\n")
    with pytest.raises(InputFileError) as info:
        load_jsonl(path, "x", list[int])
    assert info.value.errors[0].location == Location(file=str(path), line=2)


@pytest.mark.parametrize("option", [["--frame", "frame.json"], ["--uscc", CODE]])
def test_a_deep_record_exits_2_on_the_command_line(
    tmp_path: Path, option: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "record.json", DEEP)
    command = "explain" if option[0] == "--uscc" else "verify"
    code, err = run([command, str(path), *option], capsys)
    assert code == 2
    assert "nested too deeply" in err
    assert "Traceback" not in err


def test_a_deep_frame_exits_2(
    drawn: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = write(tmp_path / "frame.json", DEEP)
    code, err = run(["verify", str(drawn / "draw.json"), "--frame", str(frame)], capsys)
    assert code == 2
    assert "nested too deeply" in err


def test_a_json_number_of_5000_digits_is_refused_at_its_line(tmp_path: Path) -> None:
    path = write(tmp_path / "big.json", '{"data":\n' + "7" * 5000 + ',\n"kind":"x","schema":1}')
    with pytest.raises(InputFileError) as info:
        load_json(path, "x", int)
    error = info.value.errors[0]
    assert error.location == Location(file=str(path), line=2)
    assert error.expected == "an integer of at most 4300 digits"
    assert "set_int_max_str_digits" not in str(info.value)


def test_a_json_integer_of_4300_digits_still_loads(tmp_path: Path) -> None:
    path = write(tmp_path / "big.json", '{"data":' + "7" * 4300 + ',"kind":"x","schema":1}')
    assert load_json(path, "x", int) == int("7" * 4300)


@pytest.mark.parametrize("cell", ["9" * 4301, "9" * 19])
def test_a_csv_count_of_too_many_digits_is_a_cell_error(tmp_path: Path, cell: str) -> None:
    path = write(
        tmp_path / "e.csv", f"uscc,name,district,complaints_12m\n{CODE},甲,和平区,{cell}\n"
    )
    with pytest.raises(InputFileError) as info:
        load_enterprises(path)
    (error,) = info.value.errors
    assert error.location == Location(file=str(path), line=2, column="complaints_12m")
    assert error.got == cell


def test_a_full_width_count_reads_as_its_digits(tmp_path: Path) -> None:
    path = write(tmp_path / "e.csv", f"uscc,name,district,complaints_12m\n{CODE},甲,和平区,１２\n")
    assert load_enterprises(path)[0].risk.complaints_12m == 12


@pytest.mark.parametrize("section", ["[1]", '{"a":1}', "1", "null"])
def test_a_json_lines_section_that_is_not_a_name_is_an_error(tmp_path: Path, section: str) -> None:
    text = '{"kind":"ledger","schema":1}\n{"data":{"title":"","year":2027},"section":"ledger"}\n'
    path = write(tmp_path / "l.jsonl", text + f'{{"data":{{}},"section":{section}}}\n')
    with pytest.raises(InputFileError) as info:
        load_ledger(path)
    (error,) = info.value.errors
    assert error.location == Location(file=str(path), line=3)
    assert error.field == "$.section"


@pytest.mark.parametrize("weight", ["0", "-1", "0/5", "1/0", "x", "-3/4"])
def test_explain_refuses_a_weight_that_is_not_positive(
    drawn: Path, weight: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["explain", str(drawn / "draw.json"), "--uscc", CODE, "--stratum", "x"]
    code, err = run([*argv, f"--weight={weight}"], capsys)
    assert code == 2
    assert "--weight: expected a positive fraction p/q" in err


# --- kind 4: identifiers validated and normalised as the directory's cells are ------------------


def commit_with_history(
    drawn: Path, tmp_path: Path, history: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    save_json(tmp_path / "history.json", _draw.HISTORY_KIND, history)
    argv = ["commit", "--enterprises", str(drawn / "enterprises.csv"), "--plan"]
    argv += [str(drawn / "plan.json"), "--out", str(tmp_path / "c.json")]
    return run([*argv, "--history", str(tmp_path / "history.json")], capsys)


def test_history_keys_that_are_not_codes_are_all_listed(
    drawn: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = {"NOT-A-USCC": 5, CODE[:-1] + "0": 1, CODE: -1}
    code, err = commit_with_history(drawn, tmp_path, history, capsys)
    assert code == 2
    assert "3 error(s)" in err
    assert "$.data['NOT-A-USCC']" in err
    assert "expected 18 characters" in err
    assert "check character" in err
    assert "a count >= 0" in err


def test_history_keys_are_normalised_like_directory_cells(
    drawn: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wide = "".join(chr(ord(c) + 0xFEE0) for c in CODE.lower())  # full-width, lower case
    assert _draw._history_counts({wide: 2}, "h.json") == {CODE: 2}
    code, err = commit_with_history(drawn, tmp_path, {f" {CODE.lower()} ": 2}, capsys)
    assert code == 0
    assert all(line.startswith("randcheck: warning:") for line in err.splitlines())
    assert '"cap_reached":1' in (tmp_path / "c.json").read_text(encoding="utf-8")


def test_history_naming_one_code_in_two_spellings_is_refused(
    drawn: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = commit_with_history(drawn, tmp_path, {CODE: 1, CODE.lower(): 1}, capsys)
    assert code == 2
    assert "are the same code" in err


@pytest.mark.parametrize("uscc", ["NOTACODE", CODE[:-1] + "0", ""])
def test_explain_refuses_a_code_that_is_not_one(
    drawn: Path, uscc: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run(["explain", str(drawn / "draw.json"), "--uscc", uscc], capsys)
    assert code == 2
    assert "--uscc: expected" in err


def test_explain_normalises_its_code_like_the_directory(
    drawn: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["explain", str(drawn / "draw.json"), "--enterprises", str(drawn / "enterprises.csv")]
    wide = "".join(chr(ord(c) + 0xFEE0) for c in CODE.lower())  # full-width, lower case
    outputs = []
    for spelling in (CODE, wide):
        capsys.readouterr()
        assert main([*argv, "--uscc", spelling]) == 0
        outputs.append(capsys.readouterr())
    assert outputs[0] == outputs[1]
    assert CODE in outputs[0].out


# --- kind 5: every input error listed, with where it is and what was expected --------------------


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("year") / "demo"
    assert (
        main(["demo", "--out", str(d), "--quiet", "--enterprises", "1000", "--inspectors", "200"])
        == 0
    )
    # The demo dispatches from pool commitments (version 2); a version-1 record, checked
    # against the directory and the conflicts, is made beside it.
    round_ = d / "labour-1"
    v1 = ["--draw", str(round_ / "draw.json"), "--plan", str(round_ / "plan.json")]
    v1 += ["--enterprises", str(d / "enterprises.csv"), "--inspectors", str(d / "inspectors.csv")]
    v1 += ["--conflicts", str(d / "conflicts.csv")]
    assert main(["assign", *v1, "--seed", "s", "--out", str(round_ / "dispatch-v1.json")]) == 0
    return d


BAD_CELLS = {
    "enterprises.csv": ("grade", "Q"),
    "inspectors.csv": ("certificate_valid_from", "2023-13-45"),
    "conflicts.csv": ("ground", "nope"),
}


def corrupted(year: Path, tmp_path: Path, name: str) -> Path:
    """``name`` of the demo with the cell of one column bad on the first two data rows."""
    column, value = BAD_CELLS[name]
    rows = list(csv.reader(io.StringIO((year / name).read_text(encoding="utf-8-sig"))))
    index = rows[0].index(column)
    for row in rows[1:3]:
        row[index] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return write(tmp_path / name, out.getvalue())


def with_unknown_column(year: Path, tmp_path: Path, name: str) -> Path:
    lines = (year / name).read_text(encoding="utf-8-sig").splitlines()
    text = "\n".join([lines[0] + ",zzz", *(line + ",x" for line in lines[1:])]) + "\n"
    return write(tmp_path / name, text)


def commands(year: Path, tmp_path: Path, files: dict[str, Path]) -> dict[str, list[str]]:
    """Every subcommand that reads CSV directories, with ``files`` in place of the demo's."""
    round_ = year / "labour-1"

    def csv_(name: str) -> str:
        return str(files.get(name, year / name))

    out = str(tmp_path / "out.json")
    dispatch_inputs = ["--draw", str(round_ / "draw.json"), "--plan", str(round_ / "plan.json")]
    dispatch_inputs += ["--enterprises", csv_("enterprises.csv")]
    dispatch_inputs += ["--inspectors", csv_("inspectors.csv")]
    dispatch_inputs += ["--conflicts", csv_("conflicts.csv")]
    enterprises = ["--enterprises", csv_("enterprises.csv")]
    seed = ["--seed", "x", "--seed-source", "y", "--out", out]
    return {
        "commit": ["commit", *enterprises, "--plan", str(round_ / "plan.json"), "--out", out],
        "draw": ["draw", *enterprises, "--commitment", str(round_ / "commitment.json"), *seed],
        "verify": ["verify", str(round_ / "draw.json"), *enterprises],
        "explain": ["explain", str(round_ / "draw.json"), "--uscc", first_code(year), *enterprises],
        "assign": ["assign", *dispatch_inputs, "--seed", "s", "--out", out],
        "verify-dispatch": ["verify", str(round_ / "dispatch-v1.json"), *dispatch_inputs],
        "verify-pool-dispatch": [
            "verify",
            str(round_ / "dispatch.json"),
            *("--draw", str(round_ / "draw.json"), "--plan", str(round_ / "plan.json")),
            *("--pool", str(round_ / "pool.json"), *enterprises),
        ],
    }


def first_code(year: Path) -> str:
    return (year / "enterprises.csv").read_text(encoding="utf-8-sig").splitlines()[1][:18]


READERS = {
    "commit": ["enterprises.csv"],
    "draw": ["enterprises.csv"],
    "verify": ["enterprises.csv"],
    "explain": ["enterprises.csv"],
    "assign": ["enterprises.csv", "inspectors.csv", "conflicts.csv"],
    "verify-dispatch": ["enterprises.csv", "inspectors.csv", "conflicts.csv"],
    "verify-pool-dispatch": ["enterprises.csv"],
}
CASES = [(command, name) for command, names in READERS.items() for name in names]


@pytest.mark.parametrize(("command", "name"), CASES)
def test_every_subcommand_lists_every_row_error_with_its_place(
    year: Path, tmp_path: Path, command: str, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = corrupted(year, tmp_path, name)
    code, err = run(commands(year, tmp_path, {name: bad})[command], capsys)
    column, value = BAD_CELLS[name]
    assert code == 2
    assert "2 error(s)" in err
    for line in (2, 3):
        assert f"{bad}, line {line}, column {column!r}" in err
    assert err.count(f"got {value!r}") == 2
    assert "expected" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(("command", "name"), CASES)
def test_every_subcommand_can_skip_unknown_columns(
    year: Path, tmp_path: Path, command: str, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = commands(year, tmp_path, {name: with_unknown_column(year, tmp_path, name)})[command]
    code, err = run(argv, capsys)
    assert code == 2
    assert "unknown column 'zzz'" in err
    assert "--extra ignore" in err
    assert run([*argv, "--extra", "ignore"], capsys)[0] == 0


def test_an_encoding_error_is_printed_once_and_names_the_option(
    year: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gb = tmp_path / "enterprises.csv"
    gb.write_bytes((year / "enterprises.csv").read_text(encoding="utf-8-sig").encode("gb18030"))
    argv = commands(year, tmp_path, {"enterprises.csv": gb})["commit"]
    code, err = run(argv, capsys)
    assert code == 2
    assert err.count("is not valid utf-8") == 1
    assert "--encoding gb18030" in err
    assert run([*argv, "--encoding", "gb18030"], capsys)[0] == 0


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "9" * 5000])
def test_a_bad_number_in_a_pretty_printed_record_is_located(
    year: Path, tmp_path: Path, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (year / "labour-1" / "draw.json").read_text(encoding="utf-8")
    pretty = json.dumps(json.loads(text), indent=1, ensure_ascii=False)
    lines = pretty.splitlines()
    target = next(i for i, line in enumerate(lines) if '"round": ' in line)
    lines[target] = lines[target].replace('"round": 1', f'"round": {value}')
    path = write(tmp_path / "draw.json", "\n".join(lines))
    code, err = run(["verify", str(path), "--enterprises", str(year / "enterprises.csv")], capsys)
    assert code == 2
    assert f"{path}, line {target + 1}" in err


# --- kind 9: files ---------------------------------------------------------------------------


def test_written_files_follow_the_umask_not_the_temporary_files_0600(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        save_json(tmp_path / "a.json", "x", 1)
        save_enterprises_csv(tmp_path / "e.csv", DIRECTORY[:2])
        os.umask(0o077)
        save_json(tmp_path / "private.json", "x", 1)
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "a.json").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "e.csv").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "private.json").stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "e.csv", "private.json"]


def test_a_pipe_or_a_link_as_the_output_is_written_through_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    save_json(fifo, "x", 1)
    reader.join(timeout=10)
    assert received == [b'{"data":1,"kind":"x","schema":1}\n']
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still the pipe, not a file renamed over it
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    save_json(link, "x", 2)
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == '{"data":2,"kind":"x","schema":1}\n'


def draw_argv(drawn: Path, out: Path, seed: str) -> list[str]:
    return [
        "draw",
        "--enterprises",
        str(drawn / "enterprises.csv"),
        "--commitment",
        str(drawn / "commitment.json"),
        "--seed",
        seed,
        "--seed-source",
        "test",
        "--out",
        str(out),
    ]


def test_draw_does_not_replace_a_record_made_with_another_seed(
    drawn: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "draw.json"
    assert run(draw_argv(drawn, out, "1 2 3"), capsys)[0] == 0
    first = out.read_bytes()
    assert run(draw_argv(drawn, out, "1 2 3"), capsys)[0] == 0  # the same draw, again
    assert out.read_bytes() == first
    code, err = run(draw_argv(drawn, out, "4 5 6"), capsys)
    assert code == 2
    assert out.read_bytes() == first
    assert "redraw" in err  # under the same commitment and round another seed is a redraw
    code, err = run([*draw_argv(drawn, out, "4 5 6"), "--force"], capsys)
    assert code == 2  # which no option allows (R-RANDOM)
    assert out.read_bytes() == first


def test_draw_does_not_write_over_a_file_that_is_not_a_draw_record(
    drawn: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = write(tmp_path / "notes.json", "my notes")
    code, err = run(draw_argv(drawn, out, "1 2 3"), capsys)
    assert code == 2
    assert "is not a draw record" in err
    assert out.read_text(encoding="utf-8") == "my notes"


FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "'=x", "''+y", "a=b", "'plain"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_cells_are_escaped_for_spreadsheets_and_read_back_unchanged(
    tmp_path: Path, text: str
) -> None:
    enterprise = attrs.evolve(DIRECTORY[0], name=text, industry=text)
    path = tmp_path / "e.csv"
    save_enterprises_csv(path, [enterprise])
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    written = rows[1][1]
    assert not written.startswith(("=", "+", "-", "@"))
    assert written == ("'" + text if text.lstrip("'")[:1] in "=+-@" else text)
    assert load_enterprises(path) == [enterprise]


# --- kind 3: duplicate records refused; the audit does not depend on record order ---------------


@pytest.fixture(scope="module")
def planted() -> Ledger:
    simulated = simulate(seed="hostile-order", enterprises=600, inspectors=80)
    return plant(simulated.ledger, TIANJIN_HRSS, seed="hostile-order").ledger


def doubled(ledger: Ledger, section: str, index: int) -> dict[str, Any]:
    """The ledger's document with the record ``index`` of ``section`` appearing twice."""
    document = ledger.to_document()
    records = document["data"][section]
    records.append(records[index])
    return document


@pytest.mark.parametrize("section", ["enterprises", "inspectors", "inspections", "publications"])
def test_a_record_given_twice_is_refused_in_every_form(
    planted: Ledger, tmp_path: Path, section: str
) -> None:
    assert getattr(planted, section)
    document = doubled(planted, section, 0)
    with pytest.raises(InputFileError) as info:
        Ledger.from_document(document)
    assert "appears twice" in str(info.value)
    assert f"$.data.{section}[{len(document['data'][section]) - 1}]" in str(info.value)
    lines = tmp_path / "ledger.jsonl"
    save_ledger(planted, lines)
    text = lines.read_text(encoding="utf-8").splitlines()
    repeated = next(
        line for line in text if line.startswith('{"data":') and f'"section":"{section}"' in line
    )
    lines.write_text("\n".join([*text, repeated]) + "\n", encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        load_ledger(lines)
    (error,) = info.value.errors
    assert error.location == Location(file=str(lines), line=len(text) + 1)
    assert f"(first on line {text.index(repeated) + 1})" in error.message


def test_an_inspector_under_two_certificates_is_refused(planted: Ledger) -> None:
    with_id = next(i for i in planted.inspectors if i.resident_id is not None)
    twin = attrs.evolve(with_id, certificate_no="TWIN-0001")
    with pytest.raises(ValueError, match="resident identity number") as info:
        attrs.evolve(planted, inspectors=(*planted.inspectors, twin))
    assert with_id.resident_id not in str(info.value)  # shown masked


def shuffled(ledger: Ledger, seed: int) -> Ledger:
    rng = random.Random(seed)
    sections = {}
    for field in attrs.fields(Ledger):
        value = getattr(ledger, field.name)
        if isinstance(value, tuple):
            records = list(value)
            rng.shuffle(records)
            sections[field.name] = tuple(records)
    return attrs.evolve(ledger, **sections)


SECTIONS = {field.name for field in attrs.fields(Ledger)}
SUBJECT = re.compile(r"(\w+)\[(\d+)\]")


def verdicts(ledger: Ledger) -> tuple[Any, list[str]]:
    """The audit's counts and findings, each finding's subject (the path of a record, which
    moves with it) replaced by the record itself."""
    report = json.loads(report_json(audit(ledger, TIANJIN_HRSS)))

    def record(match: re.Match[str]) -> str:
        if match[1] not in SECTIONS:
            return match[0]
        return canonical_json(unstructure(getattr(ledger, match[1])[int(match[2])]))

    findings = []
    for finding in report["findings"]:
        finding["subject"] = SUBJECT.sub(record, finding["subject"])
        findings.append(json.dumps(finding, sort_keys=True, ensure_ascii=False))
    return (report["ok"], report["counts"]), sorted(findings)


def test_the_audit_does_not_depend_on_the_order_of_records(planted: Ledger) -> None:
    expected = verdicts(planted)
    assert expected[0][0] is False
    assert len(expected[1]) > 5
    for seed in range(3):
        assert verdicts(shuffled(planted, seed)) == expected


# --- kind 7: linear verification ----------------------------------------------------------------


WORK = [0]


class CountedUnit(SelectedUnit):
    """A drawn unit that counts every attribute read: the work done on it."""

    def __getattribute__(self, name: str) -> Any:
        WORK[0] += 1
        return super().__getattribute__(name)


def renamed_units(n: int, *, certain: bool) -> tuple[tuple[SelectedUnit, ...], ...]:
    """A re-run draw of ``n`` units and a record of it whose every code was changed."""

    def unit(prefix: str, i: int) -> SelectedUnit:
        return CountedUnit(
            uscc=uscc(f"91120101{prefix}{i:08d}"),
            stratum="s",
            weight=Fraction(1),
            probability=Fraction(1) if certain else Fraction(1, 3),
            certainty=certain,
            hash=None if certain else f"{i:064x}",
            key=None if certain else Fraction(i + 1, n),
        )

    return tuple(unit("E", i) for i in range(n)), tuple(unit("R", i) for i in range(n))


@pytest.mark.parametrize("certain", [False, True])
def test_verifying_a_record_whose_codes_were_all_changed_is_linear(certain: bool) -> None:
    work = []
    for n in (1_000, 2_000, 4_000):
        expected, recorded = renamed_units(n, certain=certain)
        WORK[0] = 0
        differences = _unit_differences(expected, recorded)
        work.append(WORK[0])
        assert len(differences) == n
        assert all(d.path.endswith(".uscc") for d in differences)
    assert work[1] <= 2 * work[0] * 1.05
    assert work[2] <= 2 * work[1] * 1.05


# --- kind 2: no string split into characters, no object turned into its keys ---------------------


def members(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every member of a JSON value with its path (the first two items of each array)."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from members(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:2]):
            yield from members(item, (*path, index))


FRACTION_TEXT = re.compile(r"-?[0-9]+/[0-9]+")


def swaps(value: Any) -> list[Any]:
    """Values of another JSON type than ``value`` that some coercion would accept."""
    if isinstance(value, list):
        return ["和平区", {"a": 1}] if value else ["ab", {}]
    if isinstance(value, dict):
        return [["a"], "ab"] if value else [[], "ab"]
    if isinstance(value, str):
        # An integer for a fraction is the canonical-form question of another change.
        return [["x"], {"x": 1}, True] + ([] if FRACTION_TEXT.fullmatch(value) else [1])
    return []


def documents(year: Path) -> Iterator[tuple[str, Any, Callable[[Any], object]]]:
    round_ = year / "labour-1"
    for name, load in (
        ("draw.json", DrawRecord.from_document),
        ("commitment.json", Commitment.from_document),
        ("frame.json", Frame.from_document),
        ("dispatch.json", DispatchRecord.from_document),
    ):
        yield name, json.loads((round_ / name).read_text(encoding="utf-8")), load
    plan = json.loads((round_ / "plan.json").read_text(encoding="utf-8"))
    yield "plan.json", plan, lambda d: from_document(d, "plan", Plan)
    yield (
        "history",
        {"data": {CODE: 1}, "kind": "random-check-counts", "schema": 1},
        (
            lambda d: _draw._history_counts(
                from_document(d, "random-check-counts", dict[str, int]), "h"
            )
        ),
    )
    ledger = load_ledger(year / "ledger.json")
    for section, cls in _SECTION_TYPES.items():
        records = getattr(ledger, section)
        if records:
            data = canonical.converter.unstructure(records[0], cls)
            yield f"ledger {section}", data, partial(canonical.structure, cls=cls)


def test_no_member_of_any_document_is_coerced_from_another_json_type(year: Path) -> None:
    tried = 0
    accepted = []
    for name, document, load in documents(year):
        load(copy.deepcopy(document))  # the document itself loads
        for path, value in list(members(document)):
            if len(path) < (0 if name.startswith("ledger") else 2):
                continue
            for swap in swaps(value):
                changed = copy.deepcopy(document)
                target = changed
                for key in path[:-1]:
                    target = target[key]
                if path:
                    target[path[-1]] = swap
                else:
                    changed = swap
                tried += 1
                try:
                    load(changed)
                except RandcheckError:
                    continue
                accepted.append((name, path, swap))
    assert tried > 1_000
    assert accepted == []
