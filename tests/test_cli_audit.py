"""Tests for ``randcheck audit``: exit 0 lawful, 1 violations, 2 bad input."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import attrs
import pytest

import randcheck.cli
from randcheck.calendars import ExplicitCalendar, load_calendar, save_calendar
from randcheck.cli import _audit, main
from randcheck.demo.simulation import demo_calendar
from randcheck.ledger import Ledger, save_ledger
from test_validators import year


@pytest.fixture(autouse=True)
def _with_audit(monkeypatch: pytest.MonkeyPatch) -> None:
    if _audit not in randcheck.cli._MODULES:
        monkeypatch.setattr(randcheck.cli, "_MODULES", (*randcheck.cli._MODULES, _audit))


def _broken() -> Ledger:
    return attrs.evolve(year(), reports=())


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_lawful_year_exits_0(
    tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / f"year{suffix}"
    save_ledger(year(), path)
    assert main(["audit", str(path)]) == 0
    out = capsys.readouterr().out
    assert "未发现违规" in out
    assert "R-RULES-VALID" in out


def test_violations_exit_1_and_are_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "year.json"
    save_ledger(_broken(), path)
    assert main(["audit", str(path)]) == 1
    out = capsys.readouterr().out
    assert "R-REPORT" in out
    assert "inspections[0]" in out


def test_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "year.json"
    save_ledger(_broken(), path)
    assert main(["audit", str(path), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False
    assert data["counts"]["R-REPORT"]["violation"] == 1
    assert all(row["outcome"] != "pass" for row in data["findings"])
    assert main(["audit", str(path), "--format", "json", "--include-passes"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert any(row["outcome"] == "pass" for row in data["findings"])


def test_issue_date_makes_rules_validity_checkable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "year.json"
    save_ledger(year(), path)
    assert main(["audit", str(path), "--issued", "2026-01-01", "--format", "json"]) == 0
    counts = json.loads(capsys.readouterr().out)["counts"]["R-RULES-VALID"]
    # One profile-level finding, whatever the number of inspections.
    assert counts["pass"] == 1
    assert counts["unknown"] == 0
    assert main(["audit", str(path), "--issued", date(2026, 4, 1).isoformat()]) == 1


def test_bad_ledger_exits_2_with_every_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "year.jsonl"
    save_ledger(year(), path)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = "{broken"
    lines[4] = json.dumps({"section": "nonsense", "data": {}})
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["audit", str(path)]) == 2
    err = capsys.readouterr().err
    assert "line 4" in err
    assert "line 5" in err


def _exit_code(argv: list[str]) -> int:
    # argparse reports bad options by raising SystemExit; everything else is returned.
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


@pytest.mark.parametrize(
    "options",
    [
        ["--profile", "cn-nowhere"],
        ["--format", "xml"],
        ["--issued", "tomorrow"],
    ],
)
def test_bad_options_exit_2(
    tmp_path: Path, options: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "year.json"
    save_ledger(year(), path)
    assert _exit_code(["audit", str(path), *options]) == 2
    assert "error" in capsys.readouterr().err


def test_missing_ledger_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _exit_code(["audit", str(tmp_path / "nowhere.json")]) == 2
    assert "nowhere.json" in capsys.readouterr().err


def test_publicity_needs_holiday_data_and_china_provides_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # cn-tj-hrss rolls a last day over holidays (民法典 Art. 203): without holiday data the
    # verdict is "unknown", never a guess.
    pytest.importorskip("chinese_calendar")
    path = tmp_path / "year.json"
    save_ledger(year(), path)
    assert main(["audit", str(path), "--format", "json"]) == 0
    blind = json.loads(capsys.readouterr().out)["counts"]["R-PUBLICITY"]
    assert blind["unknown"] > 0
    assert main(["audit", str(path), "--format", "json", "--holidays", "china"]) == 0
    counted = json.loads(capsys.readouterr().out)["counts"]["R-PUBLICITY"]
    assert counted["unknown"] == 0
    assert counted["pass"] > 0


def test_publicity_is_counted_with_a_calendar_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = year()
    path = tmp_path / "year.json"
    save_ledger(ledger, path)
    calendar = tmp_path / "calendar.json"
    save_calendar(calendar, demo_calendar(ledger.year))
    assert main(["audit", str(path), "--format", "json", "--calendar", str(calendar)]) == 0
    counted = json.loads(capsys.readouterr().out)["counts"]["R-PUBLICITY"]
    assert counted["unknown"] == 0
    assert counted["pass"] > 0
    assert load_calendar(calendar) == demo_calendar(ledger.year)


def test_a_malformed_calendar_file_exits_2_with_every_error_and_its_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "year.json"
    save_ledger(year(), path)
    calendar = tmp_path / "calendar.json"
    data = {
        "years": [2027, "2028"],
        "holidays": ["2027-10-01", "2027-13-01", "2026-01-01"],
        "working_days": ["2027-10-04", "2027-09-26"],
        "notes": "",
    }
    document = {"schema": 1, "kind": "working-day-calendar", "data": data}
    calendar.write_text(json.dumps(document), encoding="utf-8")
    assert _exit_code(["audit", str(path), "--calendar", str(calendar)]) == 2
    err = capsys.readouterr().err
    for where in (
        "$.data.years[1]",
        "$.data.holidays[1]",
        "$.data.holidays[2]",
        "$.data.working_days[0]",
        "@ $.data\n",
    ):
        assert where in err + "\n", where
    assert "$.data.working_days[1]" not in err
    assert "Traceback" not in err


def test_a_calendar_file_and_holiday_data_are_one_or_the_other(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "year.json"
    save_ledger(year(), path)
    options = ["--calendar", "calendar.json", "--holidays", "china"]
    assert _exit_code(["audit", str(path), *options]) == 2
    assert "not allowed with" in capsys.readouterr().err


def test_a_calendar_without_the_ledgers_year_is_warned_about(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = year()
    path = tmp_path / "year.json"
    save_ledger(ledger, path)
    calendar = tmp_path / "calendar.json"
    save_calendar(calendar, ExplicitCalendar(years=[ledger.year - 5]))
    main(["audit", str(path), "--calendar", str(calendar)])
    assert f"the calendar has no data for {ledger.year}" in capsys.readouterr().err
    save_calendar(calendar, demo_calendar(ledger.year))
    main(["audit", str(path), "--calendar", str(calendar)])
    assert "no data for" not in capsys.readouterr().err
