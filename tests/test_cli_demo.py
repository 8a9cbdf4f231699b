"""``randcheck demo`` end to end: a lawful year (exit 0), planted violations (exit 1), the
commands it prints to re-check its output, and the rule that keeps it from overwriting a
directory that is not its own.

The years are small (2,000 enterprises; 300 for the tests of the output directory), so each
run takes well under a second.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import shlex
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import randcheck.cli
import randcheck.profiles
from randcheck import canonical
from randcheck.cli import _assign, _audit, _demo, _draw, main
from randcheck.ledger import load_ledger
from randcheck.privacy import find_unmasked_personal_data
from randcheck.validators import RULES

pytestmark = pytest.mark.slow

RECORD_RULES = set(RULES) - {"R-RULES-VALID"}
SMALL = ["--enterprises", "300", "--inspectors", "200"]


@contextlib.contextmanager
def _commands_wired() -> Iterator[None]:
    """The subcommands the demo prints, registered even where the command line lacks them."""
    with pytest.MonkeyPatch.context() as patch:
        missing = [m for m in (_demo, _draw, _assign, _audit) if m not in randcheck.cli._MODULES]
        if missing:
            patch.setattr(randcheck.cli, "_MODULES", (*randcheck.cli._MODULES, *missing))
        yield


@pytest.fixture(autouse=True)
def _with_commands() -> Iterator[None]:
    with _commands_wired():
        yield


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


class Demo:
    """One run of the demo: its exit code, what it printed and where it wrote."""

    def __init__(self, out: Path, argv: list[str]) -> None:
        self.out = out
        self.code, self.stdout, self.stderr = _run(["demo", "--out", str(out), *argv])

    def commands(self) -> list[list[str]]:
        """The re-check commands printed at the end, continuation lines joined."""
        lines = self.stdout.split("核验 / check it yourself", 1)[1].splitlines()[1:]
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
        assert commands[0] == f"cd {shlex.quote(str(self.out))}"
        return [shlex.split(command) for command in commands[1:]]


@pytest.fixture(scope="module")
def lawful(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    with _commands_wired():
        return Demo(tmp_path_factory.mktemp("lawful") / "demo", ["--enterprises", "2000"])


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """The demo at its default size, whose pools hold recusal pairs."""
    with _commands_wired():
        return Demo(tmp_path_factory.mktemp("full") / "demo", [])


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    with _commands_wired():
        return Demo(
            tmp_path_factory.mktemp("planted") / "demo",
            ["--enterprises", "2000", "--with-violations"],
        )


# --- a lawful year -------------------------------------------------------------------------------


def test_lawful_year_exits_0_and_shows_every_step(lawful: Demo) -> None:
    assert lawful.code == 0, lawful.stderr
    text = lawful.stdout
    for heading in ("1 名录", "2 抽取", "3 选派", "4 全年", "5 合规审计", "结论 / verdict"):
        assert heading in text
    assert text.index("2 抽取") < text.index("3 选派") < text.index("5 合规审计")
    assert "未发现违规 / no violation" in text
    # The per-stratum table has every district, the dispatch table the recusals.
    assert "滨海新区" in text
    assert "蓟州区" in text
    assert "回避 recusals" in text
    for rule in RULES:
        assert f"\n  {rule} " in text
    assert lawful.stderr == ""


def test_output_fits_a_120_column_terminal(lawful: Demo) -> None:
    # Lines that hold the output directory's path are as long as the path.
    lines = [line for line in lawful.stdout.splitlines() if str(lawful.out) not in line]
    assert max(_demo._width(line) for line in lines) <= 120


def test_every_file_is_written_and_listed(lawful: Demo) -> None:
    out = lawful.out
    manifest = json.loads((out / _demo.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["kind"] == _demo.MANIFEST_KIND
    files = set(manifest["data"]["files"])
    for name in (
        "enterprises.csv",
        "inspectors.csv",
        "conflicts.csv",
        "check-items.json",
        "ledger.json",
        "ledger.jsonl",
        "audit.json",
        "audit.txt",
        "joint/enterprises.csv",
        "labour-2/history.json",
        _demo.MANIFEST,
    ):
        assert name in files
    for step in ("labour-1", "joint", "social", "labour-2"):
        for name in ("plan", "frame", "commitment", "draw", "dispatch", "dispatch-public"):
            assert f"{step}/{name}.json" in files
    assert {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()} == files


def test_frame_file_is_what_the_commitment_commits_to(lawful: Demo) -> None:
    frame = (lawful.out / "labour-1" / "frame.json").read_bytes()
    commitment = json.loads((lawful.out / "labour-1" / "commitment.json").read_text("utf-8"))
    assert commitment["data"]["digest"] == "sha256:" + hashlib.sha256(frame).hexdigest()


def test_ledger_files_agree_and_the_audit_file_says_lawful(lawful: Demo) -> None:
    assert load_ledger(lawful.out / "ledger.json") == load_ledger(lawful.out / "ledger.jsonl")
    report = json.loads((lawful.out / "audit.json").read_text(encoding="utf-8"))
    assert report["ok"] is True
    assert "未发现违规" in (lawful.out / "audit.txt").read_text(encoding="utf-8")


def test_printed_commands_re_check_everything(
    lawful: Demo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    commands = lawful.commands()
    verbs = [command[1] for command in commands]
    assert verbs.count("verify") == 8
    assert verbs[-1] == "audit"
    monkeypatch.chdir(lawful.out)
    for command in commands:
        assert command[0] == "randcheck"
        assert main(command[1:]) == 0, (command, capsys.readouterr())
    assert capsys.readouterr().out.count("ok: ") == 8


def _tampered(lawful: Demo, tmp_path: Path) -> Path:
    copy = tmp_path / "copy"
    shutil.copytree(lawful.out, copy)
    return copy


def _edit(path: Path, change: Callable[[Any], None]) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document["data"])
    path.write_text(canonical.canonical_json(document), encoding="utf-8")


def _command_for(lawful: Demo, record: str) -> list[str]:
    return next(c for c in lawful.commands() if c[1] == "verify" and c[2] == record)


def test_a_tampered_draw_record_fails_verification(
    lawful: Demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = _tampered(lawful, tmp_path)

    def other_seed(data: dict[str, dict[str, str]]) -> None:
        data["seed"]["value"] += " (changed)"

    _edit(copy / "labour-1" / "draw.json", other_seed)
    monkeypatch.chdir(copy)
    code, _, err = _run(_command_for(lawful, "labour-1/draw.json")[1:])
    assert code == 1
    assert "differs" in err


def test_a_tampered_dispatch_record_fails_verification(
    lawful: Demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = _tampered(lawful, tmp_path)

    def swap_members(data: dict[str, list[dict[str, list[str]]]]) -> None:
        first, second = data["teams"][0], data["teams"][1]
        first["members"][0], second["members"][0] = second["members"][0], first["members"][0]

    _edit(copy / "social" / "dispatch.json", swap_members)
    monkeypatch.chdir(copy)
    code, _, err = _run(_command_for(lawful, "social/dispatch.json")[1:])
    assert code == 1
    assert "differs" in err


def _published_only(lawful: Demo, tmp_path: Path) -> Path:
    """A copy of the demo's output without the files that hold personal data or are not
    published: the inspector directory, the conflicts, the internal records."""
    copy = _tampered(lawful, tmp_path)
    for name in ("inspectors.csv", "conflicts.csv"):
        (copy / name).unlink()
    return copy


def _dispatch_commands(lawful: Demo) -> list[list[str]]:
    return [c for c in lawful.commands() if c[1] == "verify" and c[2].endswith("dispatch.json")]


def test_every_demo_dispatch_reruns_from_published_files_only(
    full: Demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = _published_only(full, tmp_path)
    monkeypatch.chdir(copy)
    commands = _dispatch_commands(full)
    assert len(commands) == 4
    for command in commands:
        used = [command[n + 1] for n, word in enumerate(command) if word.startswith("--")]
        assert "inspectors.csv" not in used
        assert "conflicts.csv" not in used
        assert "--pool" in command
        assert "--record-digest" in command
        for name in used:
            if name.endswith((".json", ".csv")):
                text = (copy / name).read_text(encoding="utf-8")
                assert find_unmasked_personal_data(text) == [], name
        record = json.loads((copy / command[2]).read_text(encoding="utf-8"))["data"]
        assert record["algorithm"] == "randcheck-dispatch-v2"
        assert find_unmasked_personal_data((copy / command[2]).read_text(encoding="utf-8")) == []
        code, out, err = _run(command[1:])
        assert code == 0, err
        assert "ok: " in out


def _spare_member(pool: dict[str, Any], record: dict[str, Any]) -> str:
    """A pool inspector who is not in the first team."""
    serving = set(record["teams"][0]["members"])
    return next(i["certificate"] for i in pool["inspectors"] if i["certificate"] not in serving)


@pytest.mark.parametrize(
    "change",
    [
        "team member",
        "pool entry district",
        "pool entry removed",
        "recusal pair added",
        "recusal pair removed",
    ],
)
def test_a_changed_team_member_pool_entry_or_recusal_pair_exits_1(
    full: Demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    copy = _published_only(full, tmp_path)
    monkeypatch.chdir(copy)
    changed = 0
    for command in _dispatch_commands(full):
        step = command[2].split("/")[0]
        pool_path, record_path = copy / step / "pool.json", copy / command[2]
        pool = json.loads(pool_path.read_text(encoding="utf-8"))["data"]
        record = json.loads(record_path.read_text(encoding="utf-8"))["data"]
        if change == "team member":
            spare = _spare_member(pool, record)
            _edit(record_path, lambda d, s=spare: d["teams"][0]["members"].__setitem__(0, s))
            # Without the pinned digest too: the re-run alone finds it.
            argv = command[1 : command.index("--record-digest")]
        else:
            argv = command[1:]
            if change == "pool entry district":
                _edit(pool_path, lambda d: d["inspectors"][0].update(district="其他区"))
            elif change == "pool entry removed":
                _edit(pool_path, lambda d: d["inspectors"].pop())
            elif change == "recusal pair added":
                pair = {
                    "certificate": _spare_member(pool, record),
                    "enterprise": record["teams"][0]["enterprise"],
                }
                _edit(pool_path, lambda d, p=pair: d["recusals"].insert(0, p))
            elif not pool["recusals"]:
                continue
            else:
                _edit(pool_path, lambda d: d["recusals"].pop(0))
        code, _, err = _run(argv)
        assert code == 1, (step, change)
        assert "differs" in err
        changed += 1
    assert changed >= 3


def test_a_profile_with_salted_pairs_gives_a_public_check_and_the_oversight_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = Path(randcheck.profiles.__file__).parent / "data"
    (tmp_path / "cn-tj-hrss.zh.txt").write_text(
        (shipped / "cn-tj-hrss.zh.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    text = (shipped / "cn-tj-hrss.toml").read_text(encoding="utf-8")
    text = text.replace('name = "cn-tj-hrss"', 'name = "xx-salted"', 1)
    text = text.replace("min_size = 2\n", 'min_size = 2\nrecusal_pairs = "salted"\n', 1)
    profile = tmp_path / "salted.toml"
    profile.write_text(text, encoding="utf-8")
    demo = Demo(tmp_path / "demo", ["--profile", str(profile)])
    assert demo.code == 0, demo.stderr
    monkeypatch.chdir(demo.out)
    dispatches = [c for c in demo.commands() if c[1] == "verify" and "dispatch" in c[2]]
    public = [c for c in dispatches if "--salt" not in c]
    oversight = [c for c in dispatches if "--salt" in c]
    assert len(public) == len(oversight) == 4
    hidden = 0
    for command in public:
        step = command[2].split("/")[0]
        pool = json.loads((demo.out / step / "pool.json").read_text(encoding="utf-8"))["data"]
        assert pool["recusals"] == []
        code, _, err = _run(command[1:])
        named = err.count("not re-derived")
        assert named == len({p["enterprise"] for p in pool.get("salted", [])})
        assert code == (3 if named else 0)
        hidden += named
    assert hidden > 0
    for command in oversight:
        assert _run(command[1:])[0] == 0


@pytest.mark.parametrize(
    ("record", "change"),
    [
        ("labour-1/draw.json", lambda d: d["seed"].update(source=d["seed"]["source"] + "x")),
        ("labour-1/draw.json", lambda d: d["seed"].update(fixed="2027-12-31T21:30:00+08:00")),
        ("labour-1/draw.json", lambda d: d["seed"].update(fixed=None)),
        ("social/dispatch.json", lambda d: d.update(inspection_date="2027-12-30")),
        ("social/dispatch.json", lambda d: d.update(seed_source=d["seed_source"] + "x")),
    ],
)
def test_the_printed_commands_pin_what_no_re_run_recomputes(
    lawful: Demo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    record: str,
    change: Callable[[Any], None],
) -> None:
    copy = _tampered(lawful, tmp_path)
    _edit(copy / record, change)
    monkeypatch.chdir(copy)
    command = _command_for(lawful, record)
    assert "--record-digest" in command
    code, out, err = _run(command[1:])
    assert code == 1
    assert "digest: " in err + out


# --- planted violations -----------------------------------------------------------------------


def test_planted_violations_exit_1_and_every_rule_is_reported(planted: Demo) -> None:
    assert planted.code == 1, planted.stderr
    text = planted.stdout
    reported = {
        line.split("] ", 1)[1].split(" ", 1)[0]
        for line in text.splitlines()
        if line.startswith("  - [")
    }
    assert reported == RECORD_RULES
    assert "未植入 / not planted" not in text
    assert "审计全部发现 all reported: 是 yes" in text
    for line in text.splitlines():
        if line.startswith("  - ["):
            assert " @ " in line
            assert "Art. " in line


def test_planted_files_and_the_audit_commands(
    planted: Demo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    listed = json.loads((planted.out / "planted.json").read_text(encoding="utf-8"))
    assert {entry["rule"] for entry in listed["planted"]} == RECORD_RULES
    assert listed["skipped"] == []
    report = json.loads((planted.out / "audit-with-violations.json").read_text("utf-8"))
    assert report["ok"] is False
    audits = [c for c in planted.commands() if c[1] == "audit"]
    assert [c[2] for c in audits] == ["ledger.json", "ledger-with-violations.json"]
    monkeypatch.chdir(planted.out)
    assert main(audits[0][1:]) == 0
    assert main(audits[1][1:]) == 1
    assert "R-CAP" in capsys.readouterr().out
    assert main([*audits[1][1:], "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["counts"] == report["counts"]


# --- quiet, determinism ---------------------------------------------------------------------------


def test_quiet_prints_only_the_final_summary(tmp_path: Path) -> None:
    demo = Demo(tmp_path / "q", [*SMALL, "--quiet"])
    assert demo.code == 0
    lines = demo.stdout.splitlines()
    assert lines[0].startswith("结论 / verdict")
    assert "1 名录" not in demo.stdout
    assert "5 合规审计" not in demo.stdout
    assert len(demo.commands()) == 9
    assert demo.stderr == ""


def test_same_seed_same_files(tmp_path: Path) -> None:
    one = Demo(tmp_path / "one", [*SMALL, "--seed", "同一个种子", "--quiet"])
    two = Demo(tmp_path / "two", [*SMALL, "--seed", "同一个种子", "--quiet"])
    other = Demo(tmp_path / "other", [*SMALL, "--seed", "另一个种子", "--quiet"])
    assert one.code == two.code == other.code == 0
    for name in ("ledger.json", "labour-1/draw.json", "labour-2/dispatch.json"):
        assert (one.out / name).read_bytes() == (two.out / name).read_bytes()
        assert (one.out / name).read_bytes() != (other.out / name).read_bytes()


# --- the output directory ----------------------------------------------------------------------


def test_a_foreign_non_empty_directory_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    demo = Demo(out, SMALL)
    assert demo.code == 2
    assert "--force" in demo.stderr
    assert len(demo.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_force_writes_beside_what_is_there(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    demo = Demo(out, [*SMALL, "--force", "--quiet"])
    assert demo.code == 0
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert (out / _demo.MANIFEST).is_file()


def test_a_previous_demo_output_is_replaced_and_nothing_else_touched(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    first = Demo(out, [*SMALL, "--with-violations", "--quiet"])
    assert first.code == 1
    assert (out / "ledger-with-violations.json").is_file()
    (out / "my-notes.txt").write_text("mine", encoding="utf-8")
    second = Demo(out, [*SMALL, "--quiet"])
    assert second.code == 0
    assert not (out / "ledger-with-violations.json").exists()
    assert not (out / "planted.json").exists()
    assert (out / "my-notes.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "ledger.json").is_file()


def test_a_file_as_out_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "file"
    path.write_text("x", encoding="utf-8")
    demo = Demo(path, SMALL)
    assert demo.code == 2
    assert "not a directory" in demo.stderr


def test_default_out_is_randcheck_demo_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, stdout, _ = _run(["demo", *SMALL, "--quiet"])
    assert code == 0
    assert (tmp_path / _demo.DEFAULT_OUT / _demo.MANIFEST).is_file()
    assert f"cd {_demo.DEFAULT_OUT}" in stdout


@pytest.mark.parametrize(
    "options",
    [
        ["--enterprises", "100"],
        ["--inspectors", "ten"],
        ["--inspectors", "150"],
        ["--profile", "cn-nowhere"],
    ],
)
def test_bad_options_exit_2(tmp_path: Path, options: list[str]) -> None:
    code, _, err = _run(["demo", "--out", str(tmp_path / "x"), *options])
    assert code == 2
    assert "error" in err
    assert not (tmp_path / "x").exists()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_goes_to_stderr_only_on_a_terminal(tmp_path: Path) -> None:
    out, err = io.StringIO(), _Terminal()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert main(["demo", "--out", str(tmp_path / "t"), *SMALL]) == 0
    assert "labour-2" in err.getvalue()
    assert "\r" in err.getvalue()
    assert "\r" not in out.getvalue()


def test_another_year(tmp_path: Path) -> None:
    demo = Demo(tmp_path / "y", [*SMALL, "--year", "2031", "--quiet"])
    assert demo.code == 0, demo.stderr
    plan = json.loads((demo.out / "labour-1" / "plan.json").read_text(encoding="utf-8"))
    assert plan["data"]["year"] == 2031
    assert plan["data"]["submitted"] == "2030-11-20"


# Files the demo writes for publication, and the internal ones that may hold personal data.
_INTERNAL = {"inspectors.csv", "conflicts.csv", "ledger.json", "ledger.jsonl", "demo.json"}
_INTERNAL_PER_STEP = {"dispatch.json"}


def test_no_published_file_holds_personal_data(lawful: Demo) -> None:
    """Every file meant for publication — draw, commitment, frame, plan, history, the public
    dispatch view, check-item lists, the audit — is scanned for identity and mobile numbers in
    every spelling the detection knows; the internal directories are the only ones that hold
    them, and the scan does find them there."""
    published = [
        path
        for path in sorted(lawful.out.rglob("*"))
        if path.is_file()
        and path.name not in _INTERNAL
        and not (path.parent != lawful.out and path.name in _INTERNAL_PER_STEP)
    ]
    assert {p.name for p in published} >= {
        "draw.json",
        "commitment.json",
        "frame.json",
        "plan.json",
        "dispatch-public.json",
        "check-items.json",
        "audit.json",
    }
    for path in published:
        leaks = find_unmasked_personal_data(path.read_text(encoding="utf-8-sig"))
        assert leaks == [], path
    internal = (lawful.out / "inspectors.csv").read_text(encoding="utf-8-sig")
    assert find_unmasked_personal_data(internal)


def test_the_demo_publishes_what_a_bureau_posts(lawful: Demo) -> None:
    """Per step the plan, the draw announcement and the dispatch announcement, and for the
    year the check-item list, the results publicity and the year's report, as CSV and HTML;
    each draw announcement lists every enterprise its record drew and the re-check command
    the demo prints for that draw."""
    published = lawful.out / "published"
    year = json.loads((lawful.out / "ledger.json").read_text(encoding="utf-8"))["data"]["year"]
    names = {"check-items", "results", f"report-{year}"}
    steps = sorted(p.parent.name for p in lawful.out.glob("*/draw.json"))
    assert steps
    names |= {f"{step}/{kind}" for step in steps for kind in ("plan", "draw", "dispatch")}
    for name in names:
        for fmt in ("csv", "html"):
            assert (published / f"{name}.{fmt}").is_file(), f"{name}.{fmt}"
    printed = {" ".join(c[2:3]): shlex.join(c) for c in lawful.commands() if c[1] == "verify"}
    for step in steps:
        record = json.loads((lawful.out / step / "draw.json").read_text(encoding="utf-8"))
        announcement = (published / step / "draw.csv").read_text(encoding="utf-8-sig")
        assert all(unit["uscc"] in announcement for unit in record["data"]["selected"])
        # The printed command, with its paths relative to the announcement's folder.
        assert printed[f"{step}/draw.json"].replace(f"{step}/", "") in announcement


def _announced_command(announcement: Path) -> list[str]:
    with announcement.open(encoding="utf-8-sig", newline="") as stream:
        facts = {row[0]: row[1] for row in csv.reader(stream) if len(row) >= 2}
    return shlex.split(facts["核验命令"])


@pytest.mark.parametrize("kind", ["draw", "dispatch"])
def test_each_announced_re_check_runs_in_a_copy_of_its_announcements_folder_alone(
    lawful: Demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    steps = sorted(p.parent.name for p in lawful.out.glob("*/draw.json"))
    assert len(steps) == 4
    for step in steps:
        posted = tmp_path / step
        shutil.copytree(lawful.out / "published" / step, posted)
        command = _announced_command(posted / f"{kind}.csv")
        assert command[:2] == ["randcheck", "verify"]
        named = [w for w in command[2:] if w.endswith((".json", ".csv"))]
        assert all((posted / name).is_file() for name in named), (step, named)
        assert "inspectors.csv" not in named
        assert "conflicts.csv" not in named
        monkeypatch.chdir(posted)
        code, out, err = _run(command[1:])
        assert code == 0, (step, err)
        assert "ok: " in out


def test_the_published_folder_holds_the_public_staff_roster_and_no_personal_data(
    lawful: Demo,
) -> None:
    published = lawful.out / "published"
    files = [p for p in sorted(published.rglob("*")) if p.is_file()]
    names = {p.name for p in files}
    # The directory with phone numbers and the declared conflicts stay with the bureau.
    assert not names & {"inspectors.csv", "conflicts.csv", "pool-salt.json", "ledger.json"}
    for path in files:
        text = path.read_text(encoding="utf-8-sig")
        assert find_unmasked_personal_data(text) == [], path
        assert "resident_id" not in text, path
        assert '"phone"' not in text, path
    # What the law makes public of the staff (国办发〔2018〕118号): names and certificate
    # numbers of the teams in the dispatch announcements.
    dispatch = (published / "labour-1" / "dispatch.csv").read_text(encoding="utf-8-sig")
    with (lawful.out / "inspectors.csv").open(encoding="utf-8-sig", newline="") as stream:
        staff = list(csv.DictReader(stream))
    named = [row for row in staff if row["certificate_no"] and row["certificate_no"] in dispatch]
    assert named
    assert all(row["name"] in dispatch for row in named)
    assert not any(row["phone"] and row["phone"] in dispatch for row in staff)


def test_the_publication_count_names_every_kind_and_adds_up(lawful: Demo) -> None:
    line = next(x for x in lawful.stdout.splitlines() if "公开 publications" in x)
    total, parts = line.split("公开 publications ", 1)[1].split("：", 1)
    counts = [int(part.rsplit(" ", 1)[1]) for part in parts.split("，")]
    assert sum(counts) == int(total)
    for kind in ("清单", "计划", "抽取", "选派", "结果", "年度报告"):
        assert kind in parts
    steps = len(list(lawful.out.glob("*/dispatch.json")))
    assert f"选派 dispatches {steps}" in parts


def test_the_printed_audit_command_reproduces_the_demo_verdict(
    lawful: Demo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    audit = next(c for c in lawful.commands() if c[1] == "audit")
    assert audit[2:5] == ["ledger.json", "--calendar", "calendar.json"]
    written = json.loads((lawful.out / "audit.json").read_text(encoding="utf-8"))
    monkeypatch.chdir(lawful.out)
    capsys.readouterr()
    assert main([*audit[1:], "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["counts"] == written["counts"]
    assert printed["counts"]["R-PUBLICITY"]["unknown"] == 0
    assert printed == written


def test_a_profile_the_simulated_year_cannot_run_on_is_refused_saying_why(tmp_path: Path) -> None:
    code, _, err = _run(["demo", "--out", str(tmp_path / "d"), "--profile", "cn-samr-joint"])
    assert code == 2
    assert "the demo simulates a year on cn-tj-hrss's lines" in err
    assert "Traceback" not in err
