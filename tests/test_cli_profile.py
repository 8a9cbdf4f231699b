"""``--profile``: a registered name or a profile file, for every subcommand that takes it; the
directories are read with the profile's classes and lines; a bad file lists every problem."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from _builders import uscc
from randcheck import profiles
from randcheck.cli import EXIT_USAGE, build_parser, main
from randcheck.cli import _draw as draw_cli
from randcheck.domain import Plan, TimeWindow
from randcheck.io import save_json
from randcheck.profiles import profile_names
from randcheck.sampling import DrawRecord

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MARKET = str(FIXTURES / "user-profile.toml")
BAD = str(FIXTURES / "bad-profile.toml")

# What the market profile's classes are called in a directory: 信用风险较高 (C), D, blank
# (unrated), 信用风险低 (A), 一般 (B).
CELLS = ["信用风险较高", "D", "", "信用风险低", "b", "信用风险高"]


def _directory(folder: Path, header: str = "企业信用风险分类") -> Path:
    lines = [f"统一社会信用代码,企业名称,所属区,{header}"]
    for i in range(24):
        code = uscc(f"9111010{1 + i % 2}MA0{i:02d}ABCD")
        district = "东城区" if i % 2 == 0 else "西城区"
        lines.append(f"{code},企业{i},{district},{CELLS[i % len(CELLS)]}")
    path = folder / "enterprises.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


@pytest.fixture
def market(tmp_path: Path) -> Path:
    _directory(tmp_path)
    plan = Plan(
        code="SC-MR-2027",
        year=2027,
        line="market-regulation",
        ratio=Fraction(1, 4),
        strata=("credit-risk",),
        windows=(TimeWindow(start=date(2027, 4, 1), end=date(2027, 6, 30)),),
    )
    save_json(tmp_path / "plan.json", draw_cli.PLAN_KIND, plan)
    inspectors = ["姓名,部门,职务,执法证号,联系电话,所属区,执法领域"]
    for i in range(8):
        district = "东城区" if i % 2 == 0 else "西城区"
        lines = "市场监管" if i % 3 else "税务、market-regulation"
        inspectors.append(f"人员{i},市场监管局,科员,SC-{i:04d},1380013800{i},{district},{lines}")
    (tmp_path / "inspectors.csv").write_text("\n".join(inspectors) + "\n", encoding="utf-8")
    return tmp_path


def _commit(folder: Path, *profile: str) -> int:
    return main(
        [
            "commit",
            *("--enterprises", str(folder / "enterprises.csv")),
            *("--plan", str(folder / "plan.json")),
            *("--published", "2027-03-02T09:00+08:00"),
            *("--out", str(folder / "commitment.json")),
            *profile,
        ]
    )


def _draw(folder: Path, *profile: str) -> int:
    return main(
        [
            "draw",
            *("--enterprises", str(folder / "enterprises.csv")),
            *("--commitment", str(folder / "commitment.json")),
            *("--seed", "03 17 22 28 31 + 09", "--seed-source", "双色球 2027-03-03"),
            *("--out", str(folder / "draw.json")),
            *profile,
        ]
    )


def test_commit_and_draw_a_credit_risk_directory_with_a_profile_file(
    market: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _commit(market, "--profile", MARKET) == 0
    commitment = json.loads((market / "commitment.json").read_text(encoding="utf-8"))
    assert commitment["data"]["profile"] == "xx-sample-market"
    assert _draw(market, "--profile", MARKET) == 0
    out = capsys.readouterr().out
    record = DrawRecord.from_document(json.loads((market / "draw.json").read_bytes()))
    assert record.profile == "xx-sample-market"
    # One stratum per credit-risk class, named by its code.
    assert sorted(s.name for s in record.strata) == ["A", "B", "C", "D", "unrated"]
    assert sum(s.population for s in record.strata) == 24
    assert "unrated" in out
    path = str(market / "draw.json")
    enterprises = str(market / "enterprises.csv")
    assert main(["verify", path, "--enterprises", enterprises, "--profile", MARKET]) == 0
    assert "ok:" in capsys.readouterr().out
    drawn = record.selected_ids()[0]
    explain = ["explain", path, "--uscc", drawn, "--enterprises", enterprises]
    assert main([*explain, "--profile", MARKET]) == 0
    assert drawn in capsys.readouterr().out


def test_assign_and_verify_a_dispatch_with_a_profile_file(
    market: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _commit(market, "--profile", MARKET) == 0
    assert _draw(market, "--profile", MARKET) == 0
    inputs = [
        *("--draw", str(market / "draw.json")),
        *("--enterprises", str(market / "enterprises.csv")),
        *("--inspectors", str(market / "inspectors.csv")),
        *("--plan", str(market / "plan.json")),
    ]
    out = str(market / "dispatch.json")
    assert main(["assign", *inputs, "--seed", "s", "--out", out, "--profile", MARKET]) == 0
    capsys.readouterr()
    assert main(["verify", out, *inputs, "--profile", MARKET]) == 0
    assert "ok:" in capsys.readouterr().out
    # Without the option the draw record's profile applies; a file profile must be given again.
    assert main(["verify", out, *inputs]) == EXIT_USAGE
    assert "--profile PATH.toml" in capsys.readouterr().err


def test_the_profile_a_record_names_must_be_given_as_a_file_when_not_registered(
    market: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _commit(market, "--profile", MARKET) == 0
    capsys.readouterr()
    assert _draw(market) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "unknown profile 'xx-sample-market'" in err
    assert "registered: " in err
    assert "cn-tj-hrss" in err


def test_without_the_profile_the_directory_is_refused_with_every_problem(
    market: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The plan is read first: its line and stratum key are not Tianjin's, each said with its path.
    assert _commit(market) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "$.data.line" in err
    assert "$.data.strata[0]" in err
    market_plan = (market / "plan.json").read_bytes()
    tianjin = Plan(code="SC-MR-2027", year=2027, line="labour-inspection", ratio=Fraction(1, 4))
    save_json(market / "plan.json", draw_cli.PLAN_KIND, tianjin)
    assert _commit(market) == EXIT_USAGE
    err = capsys.readouterr().err
    head, *problems = err.strip().splitlines()
    assert "unknown column '企业信用风险分类'" in problems[0]
    # The market profile's districts are not Tianjin's either: each row says so.
    assert len(problems) == 1 + 24
    assert all("unknown district" in problem for problem in problems[1:])
    # Under the grade column's usual header, every cell the Tianjin profile does not know is
    # listed on its own line with its place; blank and "b" are Tianjin grades too.
    _directory(market, header="守法诚信等级")
    assert _commit(market) == EXIT_USAGE
    err = capsys.readouterr().err
    head, *problems = err.strip().splitlines()
    assert head.startswith("randcheck: error: ")
    assert "cannot load enterprises" in head
    grades = [problem for problem in problems if "column '守法诚信等级'" in problem]
    assert len(grades) == 24 * 4 // len(CELLS)
    assert grades[0].startswith(f"  - {market / 'enterprises.csv'}, line 2, column '守法诚信等级'")
    assert "got '信用风险较高'" in grades[0]
    assert not (market / "commitment.json").exists()
    (market / "plan.json").write_bytes(market_plan)
    assert _commit(market, "--profile", MARKET) == 0


# Arguments enough for each subcommand to reach the profile (the files need not exist).
ARGS = {
    "commit": "--enterprises e.csv --plan p.json --out c.json",
    "draw": "--enterprises e.csv --commitment c.json --seed 1 --seed-source dice --out d.json",
    "assign": "--draw d.json --enterprises e.csv --inspectors i.csv --plan p.json --seed 1 "
    "--out a.json",
    "audit": "ledger.json",
    "demo": "--out demo",
    "verify": "--enterprises e.csv",
    "explain": "--uscc x",
}


@pytest.mark.parametrize("command", ["commit", "draw", "assign", "audit", "demo"])
def test_a_bad_profile_file_lists_every_problem_and_exits_2(
    command: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main([command, *ARGS[command].split(), "--profile", BAD]) == EXIT_USAGE
    out, err = capsys.readouterr()
    head, *problems = err.strip().splitlines()
    assert head == (
        f"randcheck: error: {BAD}: 政策配置文件有 9 处错误 / the profile file has 9 problem(s)"
    )
    assert len(problems) == 9
    for problem, path in zip(
        problems,
        [
            "$.colour",
            "$.schema",
            "$.name",
            "$.title.en",
            "$.lines[0].lead",
            "$.classification[0].classes[0].weight",
            "$.classification[0].unrated",
            "$.periods.publicity.days",
            "$.cap.severity",
        ],
        strict=True,
    ):
        assert problem.startswith(f"  - {BAD}, column '{path}': expected ")
    assert "Traceback" not in err
    assert out == ""
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["commit", "draw", "verify", "explain", "assign", "audit"])
def test_an_unknown_profile_name_lists_the_registered_ones(
    command: str, market: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [command, *ARGS[command].split(), "--profile", "cn-tj-hrs"]
    if command in ("verify", "explain"):
        # These read the record before the profile: give them one.
        assert _commit(market, "--profile", MARKET) == 0
        assert _draw(market, "--profile", MARKET) == 0
        argv.insert(1, str(market / "draw.json"))
        capsys.readouterr()
    assert main(argv) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "unknown profile 'cn-tj-hrs'; did you mean cn-tj-hrss?" in err
    assert f"registered: {', '.join(profile_names())}" in err


def test_the_option_takes_a_name_or_a_file_in_every_subcommand() -> None:
    parser = build_parser()
    subcommands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    with_profile = sorted(
        name
        for name, sub in subcommands.items()
        if any("--profile" in action.option_strings for action in sub._actions)
    )
    assert with_profile == [
        "assign",
        "audit",
        "commit",
        "demo",
        "draw",
        "explain",
        "report",
        "verify",
    ]
    for name in with_profile:
        [action] = [a for a in subcommands[name]._actions if "--profile" in a.option_strings]
        assert action.choices is None, name
        assert action.help is not None
        assert "path of a profile file" in action.help, name
        assert "cn-tj-hrss" in action.help, name


def _printed_commands(stdout: str) -> list[list[str]]:
    """The re-check commands the demo prints (after its ``cd``), continuation lines joined."""
    lines = stdout.split("核验 / check it yourself", 1)[1].splitlines()[1:]
    commands: list[str] = []
    pending = ""
    for line in lines:
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if text.endswith("\\"):
            pending += text[:-1]
            continue
        commands.append(pending + text)
        pending = ""
    return [shlex.split(command) for command in commands[1:]]


def test_the_demo_takes_a_profile_file_and_its_commands_name_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A copy of the Tianjin profile under another name: a file, not a registered profile.
    folder = tmp_path / "profile"
    folder.mkdir()
    for name in ("cn-tj-hrss.toml", "cn-tj-hrss.zh.txt"):
        shutil.copy(Path(profiles.__file__).parent / "data" / name, folder / name)
    path = folder / "cn-tj-hrss.toml"
    text = path.read_text(encoding="utf-8").replace('name = "cn-tj-hrss"', 'name = "tj-copy"', 1)
    path.write_text(text, encoding="utf-8")
    monkeypatch.chdir(folder)
    out = tmp_path / "demo"
    argv = ["demo", "--out", str(out), "--enterprises", "300", "--inspectors", "200"]
    assert main([*argv, "--profile", "cn-tj-hrss.toml"]) == 0
    stdout = capsys.readouterr().out
    assert "政策配置 profile tj-copy" in stdout
    manifest = json.loads((out / "demo.json").read_text(encoding="utf-8"))
    assert manifest["data"]["profile"] == "tj-copy"
    commands = _printed_commands(stdout)
    assert commands
    # The commands run inside the output directory: the profile is named by its full path.
    for command in commands:
        assert command[-2:] == ["--profile", str(path)], command
    monkeypatch.chdir(out)
    for command in commands:
        assert main(command[1:]) == 0, command


def test_a_bad_profile_file_is_no_traceback_from_the_shell(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "randcheck", "audit", "ledger.json", "--profile", BAD],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == EXIT_USAGE
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 + 9
