"""docs/howto-bureau.md runs: every command of its ``sh`` blocks succeeds, in order, in a copy
of the sample files shipped in docs/examples/bureau/; and the sample files are what the page
says they are."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import shlex
import shutil
import warnings
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from randcheck.cli import main
from randcheck.io import load_column_map, load_conflicts, load_enterprises, load_inspectors
from randcheck.privacy import find_unmasked_personal_data

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "howto-bureau.md"
SAMPLES = ROOT / "docs" / "examples" / "bureau"
_SH = re.compile(r"^```sh\n(.*?)^```", re.DOTALL | re.MULTILINE)


def commands(page: Path) -> list[list[str]]:
    """Each command of the page's ``sh`` blocks, continuation lines joined, split as a shell
    would."""
    found = []
    for block in _SH.findall(page.read_text(encoding="utf-8")):
        for command in block.replace("\\\n", " ").splitlines():
            if command.strip() and not command.lstrip().startswith("#"):
                found.append(shlex.split(command))
    return found


COMMANDS = commands(PAGE)


def test_every_command_is_a_randcheck_command() -> None:
    assert len(COMMANDS) >= 7
    assert all(command[0] == "randcheck" for command in COMMANDS)


def test_the_page_ends_with_every_publication() -> None:
    published = [c for c in COMMANDS if c[:2] == ["randcheck", "publish"]]
    kinds = {"check-items", "plan", "draw", "dispatch", "results", "feedback"}
    assert {c[2] for c in published} == kinds
    assert any(c[:2] == ["randcheck", "report"] for c in COMMANDS)


def test_every_publication_is_written_in_every_format(
    ran: tuple[Path, list[tuple[str, int, str]]],
) -> None:
    work, _ = ran
    names = ("check-items", "plan", "draw", "dispatch", "results", "feedback", "report-2027")
    for name in names:
        book = openpyxl.load_workbook(work / "published" / f"{name}.xlsx", read_only=True)
        cells = [c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
        assert any(isinstance(c, str) and c.strip() for c in cells), name
        page = _Text()
        page.feed((work / "published" / f"{name}.html").read_text(encoding="utf-8"))
        assert "".join(page.pieces).strip(), name
        text = (work / "published" / f"{name}.csv").read_text(encoding="utf-8-sig")
        assert find_unmasked_personal_data(text) == [], name
        # Each cell and each piece of page text on its own: joined, neighbouring numbers of a
        # table would read as one.
        for piece in [*page.pieces, *(str(c) for c in cells if c is not None)]:
            assert find_unmasked_personal_data(piece) == [], (name, piece)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.pieces: list[str] = []

    def handle_data(self, data: str) -> None:
        self.pieces.append(data)


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[str, int, str]]]:
    """Every command run in order in a copy of the samples: (command, exit code, stderr)."""
    work = tmp_path_factory.mktemp("howto")
    for sample in SAMPLES.iterdir():
        if sample.is_file():
            shutil.copy(sample, work / sample.name)
    results = []
    with contextlib.chdir(work):
        for command in COMMANDS:
            out, err = io.StringIO(), io.StringIO()
            with (
                contextlib.redirect_stdout(out),
                contextlib.redirect_stderr(err),
                warnings.catch_warnings(),
            ):
                code = main(command[1:])
            results.append((shlex.join(command), code, err.getvalue()))
    return work, results


def test_every_step_of_the_howto_succeeds(ran: tuple[Path, list[tuple[str, int, str]]]) -> None:
    _, results = ran
    failed = [(command, err) for command, code, err in results if code != 0]
    assert failed == []
    assert not any("Traceback" in err for _, _, err in results)


def test_the_steps_write_what_the_page_says(ran: tuple[Path, list[tuple[str, int, str]]]) -> None:
    work, results = ran
    for name in (
        "plan.json",
        "commitment.json",
        "frame.json",
        "draw.json",
        "pool.json",
        "left-out.csv",
        "dispatch.json",
        "teams.csv",
        *(f"published/{p}.{x}" for p in ("draw", "dispatch") for x in ("csv", "xlsx", "html")),
    ):
        assert (work / name).is_file(), name
    plan_new = next(err for command, _, err in results if " plan new " in f" {command} ")
    assert "'3%' → '3/100'" in plan_new
    commit = next(err for command, _, err in results if command.startswith("randcheck commit"))
    assert "天津市" in commit  # the districts read otherwise are said
    with (work / "left-out.csv").open(encoding="utf-8-sig", newline="") as stream:
        left_out = list(csv.DictReader(stream))
    assert left_out, "the samples have inspectors the line cannot use"
    assert all(row["原因 / reason"] for row in left_out)
    drawn = json.loads((work / "draw.json").read_text(encoding="utf-8"))["data"]["selected"]
    with (work / "published" / "draw.csv").open(encoding="utf-8-sig") as stream:
        announcement = stream.read()
    assert all(unit["uscc"] in announcement for unit in drawn)
    with (work / "published" / "dispatch.csv").open(encoding="utf-8-sig") as stream:
        teams = stream.read()
    assert "randcheck verify dispatch.json --draw draw.json --plan plan.json --pool pool.json" in (
        teams
    )
    assert "执法人员库承诺公布时间" in teams


def test_the_published_and_team_files_hold_no_personal_data(
    ran: tuple[Path, list[tuple[str, int, str]]],
) -> None:
    work, _ = ran
    published = [
        "commitment.json",
        "frame.json",
        "draw.json",
        "pool.json",
        "dispatch.json",
        "teams.csv",
        *(f"published/{p}.{x}" for p in ("draw", "dispatch") for x in ("csv", "html")),
    ]
    for name in published:
        text = (work / name).read_text(encoding="utf-8-sig")
        assert find_unmasked_personal_data(text) == [], name
        assert "022-0000-" not in text, name


# --- the sample files --------------------------------------------------------------------------


def test_the_workbook_and_the_gb18030_csv_hold_the_same_directory() -> None:
    columns = load_column_map(SAMPLES / "columns.toml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from_book = load_enterprises(
            SAMPLES / "enterprises.xlsx", sheet="企业名录", columns=columns
        )
        from_csv = load_enterprises(
            SAMPLES / "enterprises.csv", encoding="gb18030", columns=columns
        )
    assert from_book == from_csv
    assert len(from_book) == 500


def test_the_samples_use_the_bureaus_headers() -> None:
    text = (SAMPLES / "enterprises.csv").read_bytes().decode("gb18030")
    header = next(csv.reader(io.StringIO(text)))
    for name in ("序号", "所在区", "行业类别", "信用等级", "是否列入经营异常名录", "法定代表人"):
        assert name in header
    text = (SAMPLES / "inspectors.csv").read_text(encoding="utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    for name in ("工作单位", "执法证件编号", "手机号", "所属区县", "执法类别"):
        assert name in header
    text = (SAMPLES / "conflicts.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].split(",")[1:] == ["执法人员姓名", "统一社会信用代码", "回避原因"]
    assert "未评价" in (SAMPLES / "enterprises.csv").read_bytes().decode("gb18030")


def test_the_samples_load_and_hold_no_identity_numbers() -> None:
    columns = load_column_map(SAMPLES / "columns.toml")
    staff = load_inspectors(SAMPLES / "inspectors.csv", columns=columns)
    assert all(i.resident_id is None and i.certificate_no for i in staff)
    assert load_conflicts(SAMPLES / "conflicts.csv")
    for sample in ("inspectors.csv", "conflicts.csv"):
        text = (SAMPLES / sample).read_text(encoding="utf-8-sig")
        assert find_unmasked_personal_data(text) == [], sample


@pytest.mark.parametrize("announcement", ["draw", "dispatch"])
def test_the_re_check_command_an_announcement_prints_runs(
    ran: tuple[Path, list[tuple[str, int, str]]], announcement: str
) -> None:
    work, _ = ran
    published = work / "published" / f"{announcement}.csv"
    with published.open(encoding="utf-8-sig", newline="") as stream:
        facts = {row[0]: row[1] for row in csv.reader(stream) if len(row) >= 2}
    command = shlex.split(facts["核验命令"])
    assert command[:2] == ["randcheck", "verify"]
    # The directory posted with it: the draw's own columns, read without options; the
    # workbook (whose first sheet is its notes) and the column map stay in the bureau.
    assert openpyxl.load_workbook(work / "enterprises.xlsx").sheetnames[0] != "企业名录"
    assert command[command.index("--enterprises") + 1] == "enterprises-public.csv"
    assert "--sheet" not in command
    assert "--columns" not in command
    assert "法定代表人" not in (work / "enterprises-public.csv").read_text(encoding="utf-8-sig")
    # It runs from the files it names alone, as they would be posted.
    posted = work / f"posted-{announcement}"
    posted.mkdir()
    named = [word for word in command[2:] if (work / word).is_file()]
    assert "enterprises.xlsx" not in named
    for name in named:
        shutil.copy(work / name, posted / name)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(posted), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(command[1:])
    assert code == 0, err.getvalue()
