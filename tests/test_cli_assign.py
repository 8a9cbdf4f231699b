"""``randcheck assign``: dispatch from files, replace, verify a record file, the demo step."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import attrs
import pytest

from randcheck import cli
from randcheck.cli import _assign
from randcheck.demo import synthetic
from randcheck.dispatch import DOCUMENT_KIND, DispatchRecord, verify
from randcheck.domain import Conflict, ConflictGround, Line
from randcheck.errors import ValidationError
from randcheck.io import (
    load_json,
    save_conflicts_csv,
    save_enterprises_csv,
    save_inspectors_csv,
    save_json,
)
from randcheck.profiles import TIANJIN_HRSS
from randcheck.sampling import RECORD_KIND, DrawRecord, Seed, build_frame, commit, draw

PLAN = synthetic.demo_plan(2027)
ENTS = list(synthetic.enterprises(600, seed="cli"))
STAFF = [i for i in synthetic.inspectors(120, seed="cli") if Line.LABOUR_INSPECTION in i.lines]
CONFLICTS = synthetic.conflicts(STAFF, ENTS, per_mille=200, seed="cli")
RELATIVE = ConflictGround.RELATIVE


@pytest.fixture(scope="module")
def the_draw() -> DrawRecord:
    frame = build_frame(ENTS, PLAN, TIANJIN_HRSS)
    return draw(frame, commit(frame), Seed(value="03 17 22", source="test lottery"))


@pytest.fixture
def files(tmp_path: Path, the_draw: DrawRecord, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    if _assign not in cli._MODULES:
        monkeypatch.setattr(cli, "_MODULES", (*cli._MODULES, _assign))
    paths = {
        "draw": tmp_path / "draw.json",
        "plan": tmp_path / "plan.json",
        "enterprises": tmp_path / "enterprises.csv",
        "inspectors": tmp_path / "inspectors.csv",
        "conflicts": tmp_path / "conflicts.csv",
        "out": tmp_path / "dispatch.json",
        "public": tmp_path / "public.json",
    }
    save_json(paths["draw"], RECORD_KIND, the_draw)
    save_json(paths["plan"], _assign.PLAN_KIND, PLAN)
    save_enterprises_csv(paths["enterprises"], ENTS)
    save_inspectors_csv(paths["inspectors"], STAFF)
    save_conflicts_csv(paths["conflicts"], CONFLICTS)
    return paths


def _inputs(files: dict[str, Path]) -> list[str]:
    return [
        *("--draw", str(files["draw"]), "--plan", str(files["plan"])),
        *("--enterprises", str(files["enterprises"]), "--inspectors", str(files["inspectors"])),
        *("--conflicts", str(files["conflicts"])),
    ]


def _assign_cmd(files: dict[str, Path], *extra: str) -> list[str]:
    return ["assign", *_inputs(files), "--seed", "04 11 29", "--out", str(files["out"]), *extra]


def _verify(files: dict[str, Path], path: Path) -> int:
    return _assign.verify_dispatch_file(
        path,
        draw=files["draw"],
        enterprises=files["enterprises"],
        inspectors=files["inspectors"],
        conflicts=files["conflicts"],
        plan=files["plan"],
    )


def test_assign_writes_a_record_that_verifies(
    files: dict[str, Path], the_draw: DrawRecord, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(_assign_cmd(files, "--public", str(files["public"]), "--seed-source", "福彩"))
    out = capsys.readouterr().out
    assert code == 0
    assert "cross-district share" in out
    assert "recusals applied" in out
    record = load_json(files["out"], DOCUMENT_KIND, DispatchRecord)
    assert record.seed == "04 11 29"
    assert record.seed_source == "福彩"
    assert record.draw_digest == the_draw.digest()
    assert record.inspection_date == PLAN.windows[0].start
    assert len(record.teams) == the_draw.sample_size
    assert verify(record, the_draw, ENTS, STAFF, CONFLICTS, PLAN, TIANJIN_HRSS)
    public = json.loads(files["public"].read_text(encoding="utf-8"))
    assert public["kind"] == _assign.PUBLIC_KIND
    assert public["data"]["record_digest"] == record.digest()
    assert _verify(files, files["out"]) == 0
    out = capsys.readouterr().out
    assert f"ok: {files['out']} ({record.digest()})" in out
    assert "调派记录核验一致 / the dispatch record verifies" in out


def test_a_conflict_naming_nobody_is_an_input_error_listed_with_its_line(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # R-RECUSAL (Art. 10 "应当依法回避"): a declaration that cannot be honoured is never
    # silently ignored; the header is line 1, so the last of n rows is line n + 1.
    nobody = Conflict(inspector="TJ-LS-999999-9999", enterprise=ENTS[0].uscc, ground=RELATIVE)
    save_conflicts_csv(files["conflicts"], [*CONFLICTS, nobody])
    assert cli.main(_assign_cmd(files)) == 2
    err = capsys.readouterr().err
    assert f"line {len(CONFLICTS) + 2}" in err
    assert f"TJ-LS-999999-9999 × {ENTS[0].uscc}" in err
    assert not files["out"].exists()


def test_the_errors_of_every_input_file_are_shown_at_once(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    inspectors = files["inspectors"].read_text(encoding="utf-8-sig").splitlines()
    inspectors[1] = inspectors[1].replace(",", ",,", 1)  # a surplus cell
    files["inspectors"].write_text("\n".join(inspectors) + "\n", encoding="utf-8")
    conflicts = files["conflicts"].read_text(encoding="utf-8-sig").splitlines()
    conflicts.append("TJ-LS-120101-0001,91120101MA05AAAA1X,朋友")
    files["conflicts"].write_text("\n".join(conflicts) + "\n", encoding="utf-8")
    assert cli.main(_assign_cmd(files)) == 2
    err = capsys.readouterr().err
    assert "2 input files could not be loaded" in err
    assert f"{files['inspectors']}, line 2" in err
    assert f"{files['conflicts']}, line {len(conflicts)}" in err
    assert not files["out"].exists()


def test_a_conflict_spelled_as_a_chinese_input_method_types_it_names_its_inspector(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # Lower case and full-width hyphens: the same normalisation as the directory loaders.
    person = STAFF[0]
    spelled = person.key.lower().replace("-", "－")
    row = Conflict(inspector=spelled, enterprise=ENTS[0].uscc, ground=RELATIVE)
    save_conflicts_csv(files["conflicts"], [*CONFLICTS, row])
    assert cli.main(_assign_cmd(files)) == 0
    record = load_json(files["out"], DOCUMENT_KIND, DispatchRecord)
    team = record.team_of(ENTS[0].uscc)
    assert team is None or person.key not in team.members


def test_a_tampered_record_file_fails_verification(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(_assign_cmd(files)) == 0
    document = json.loads(files["out"].read_text(encoding="utf-8"))
    team = document["data"]["teams"][0]
    team["members"] = list(reversed(team["members"]))
    forged = files["out"].with_name("forged.json")
    forged.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    assert _verify(files, forged) == 1
    err = capsys.readouterr().err
    assert f"不一致 / differs: {forged}" in err
    # One line per difference, as `randcheck verify` prints a draw record's: path, message
    # in both languages, the re-run's value and the recorded one.
    line = next(x for x in err.splitlines() if x.startswith(f"  - teams[{team['enterprise']}]"))
    assert " / " in line
    assert "(重新推导 re-run: " in line
    assert "; 记录 record: " in line


def test_replace_from_the_command_line(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(_assign_cmd(files)) == 0
    record = load_json(files["out"], DOCUMENT_KIND, DispatchRecord)
    team = record.teams[0]
    second = files["out"].with_name("dispatch-2.json")
    code = cli.main(
        [
            "assign",
            *("--record", str(files["out"]), "--replace", team.members[0]),
            *("--reason", "病假", "--on", "2027-03-30", "--enterprise", team.enterprise),
            *("--inspectors", str(files["inspectors"]), "--conflicts", str(files["conflicts"])),
            *("--out", str(second)),
        ]
    )
    assert code == 0
    assert f"{team.enterprise}: {team.members[0]} →" in capsys.readouterr().out
    new = load_json(second, DOCUMENT_KIND, DispatchRecord)
    assert new.teams == record.teams
    assert new.replacements[0].reason == "病假"
    assert new.replacements[0].on == date(2027, 3, 30)
    assert _verify(files, second) == 0


def test_missing_options_and_infeasible_dispatches_exit_2(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["assign", "--out", str(files["out"]), *_inputs(files)]) == 2
    assert "missing option(s): --seed" in capsys.readouterr().err
    tight = attrs.evolve(PLAN, team_size=500)
    save_json(files["plan"], _assign.PLAN_KIND, tight)
    assert cli.main(_assign_cmd(files)) == 2
    err = capsys.readouterr().err
    assert "no lawful dispatch exists" in err
    assert len(err.strip().splitlines()) == 1
    assert not files["out"].exists()
    code = cli.main(["assign", "--record", str(files["out"]), "--out", str(files["out"])])
    assert code == 2


def test_the_inspection_date_defaults_to_the_rounds_window(the_draw: DrawRecord) -> None:
    assert _assign.inspection_date(PLAN, the_draw) == date(2027, 4, 1)
    later = attrs.evolve(the_draw, round=2)
    assert _assign.inspection_date(PLAN, later) == date(2027, 9, 1)
    with pytest.raises(ValidationError, match="--date"):
        _assign.inspection_date(attrs.evolve(PLAN, windows=()), the_draw)


def test_a_second_dispatch_of_the_draw_under_another_seed_is_refused_even_with_force(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(_assign_cmd(files)) == 0
    first = files["out"].read_bytes()
    assert cli.main(_assign_cmd(files)) == 0  # the same seed again: the same record
    assert files["out"].read_bytes() == first
    capsys.readouterr()
    other = ["assign", *_inputs(files), "--seed", "05 12 30", "--out", str(files["out"])]
    for extra in ([], ["--force"]):
        assert cli.main([*other, *extra]) == 2
        assert "another seed" in capsys.readouterr().err
        assert files["out"].read_bytes() == first


def test_a_pool_commitment_is_not_replaced_by_another_unless_forced(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    pool = files["out"].with_name("pool.json")
    command = [
        "assign",
        *("--draw", str(files["draw"]), "--plan", str(files["plan"])),
        *("--inspectors", str(files["inspectors"]), "--pool-out", str(pool)),
    ]
    assert cli.main([*command, "--published", "2027-03-29T09:00+08:00"]) == 0
    first = pool.read_bytes()
    capsys.readouterr()
    assert cli.main([*command, "--published", "2027-03-30T09:00+08:00"]) == 2
    assert "--force" in capsys.readouterr().err
    assert pool.read_bytes() == first
    assert cli.main([*command, "--published", "2027-03-30T09:00+08:00", "--force"]) == 0
    assert pool.read_bytes() != first


# --- the plan must be the draw's plan ------------------------------------------------------------


def _pool_out_cmd(files: dict[str, Path]) -> list[str]:
    return [
        *("assign", "--draw", str(files["draw"]), "--plan", str(files["plan"])),
        *("--inspectors", str(files["inspectors"]), "--conflicts", str(files["conflicts"])),
        *("--pool-out", str(files["out"].with_name("pool.json"))),
    ]


def _from_pool_cmd(files: dict[str, Path]) -> list[str]:
    return [
        *("assign", "--draw", str(files["draw"]), "--plan", str(files["plan"])),
        *("--enterprises", str(files["enterprises"])),
        *("--pool", str(files["out"].with_name("pool.json")), "--seed", "04 11 29"),
        *("--out", str(files["out"])),
    ]


@pytest.mark.parametrize("mode", ["direct", "pool-out", "from-pool"])
def test_assign_refuses_a_plan_with_another_code_than_the_draws(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str], mode: str
) -> None:
    assert cli.main(_pool_out_cmd(files)) == 0
    capsys.readouterr()
    save_json(files["plan"], _assign.PLAN_KIND, attrs.evolve(PLAN, code="OTHER-2027"))
    command = {
        "direct": _assign_cmd(files),
        "pool-out": _pool_out_cmd(files),
        "from-pool": _from_pool_cmd(files),
    }[mode]
    assert cli.main(command) == 2
    err = capsys.readouterr().err
    assert "OTHER-2027" in err
    assert PLAN.code in err
    assert "is not the draw record's plan" in err
    assert not files["out"].exists()


def test_assign_refuses_a_plan_whose_sampling_parameters_differ_from_the_draws(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    other = attrs.evolve(PLAN, min_one_per_stratum=not PLAN.min_one_per_stratum)
    save_json(files["plan"], _assign.PLAN_KIND, other)
    for command in (_assign_cmd(files), _pool_out_cmd(files)):
        assert cli.main(command) == 2
        err = capsys.readouterr().err
        assert "min_one_per_stratum" in err
        assert "is not the draw record's" in err


def test_verifying_a_dispatch_refuses_a_plan_that_is_not_the_draws(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(_assign_cmd(files)) == 0
    save_json(files["plan"], _assign.PLAN_KIND, attrs.evolve(PLAN, code="OTHER-2027"))
    with pytest.raises(ValidationError, match="OTHER-2027"):
        _verify(files, files["out"])


def test_a_plan_that_only_rewords_its_procedure_is_still_the_draws(
    files: dict[str, Path],
) -> None:
    save_json(files["plan"], _assign.PLAN_KIND, attrs.evolve(PLAN, procedure="另行表述"))
    assert cli.main(_assign_cmd(files)) == 0
