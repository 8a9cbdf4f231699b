"""``randcheck report``: the year's figures of the demo year match figures computed here,
plainly, from the ledger and the records; the HTML report has its charts, or says they are
unavailable."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import statistics
from collections import Counter
from collections.abc import Iterator
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import randcheck.cli
from randcheck.cli import _demo, _report, main
from randcheck.privacy import find_unmasked_personal_data
from randcheck.publication import _charts

pytestmark = pytest.mark.slow


@contextlib.contextmanager
def _wired() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        missing = [m for m in (_demo, _report) if m not in randcheck.cli._MODULES]
        if missing:
            patch.setattr(randcheck.cli, "_MODULES", (*randcheck.cli._MODULES, *missing))
        yield


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with _wired(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


class Year:
    def __init__(self, root: Path) -> None:
        self.demo = root / "demo"
        code, _, err = _run(["demo", "--out", str(self.demo), "--enterprises", "2000", "--quiet"])
        assert code == 0, err
        self.stem = root / "report"
        code, _, err = _run(
            [
                "report",
                str(self.demo / "ledger.json"),
                "--year",
                "2027",
                "--enterprises",
                str(self.demo / "enterprises.csv"),
                "--records",
                str(self.demo),
                "--out",
                str(self.stem),
            ]
        )
        assert code == 0, err
        self.ledger: dict[str, Any] = json.loads(
            (self.demo / "ledger.json").read_text(encoding="utf-8")
        )["data"]
        with open(self.demo / "enterprises.csv", encoding="utf-8-sig") as stream:
            self.directory = {row["uscc"]: row for row in csv.DictReader(stream)}
        book = openpyxl.load_workbook(self.stem.with_suffix(".xlsx"))
        self.sheets = {
            s.title: [list(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets
        }

    def facts(self) -> dict[str, str]:
        return {row[0]: row[1] for row in self.sheets["公告"] if row[0] and row[1]}

    def table(self, title: str) -> dict[str, dict[str, str]]:
        rows = self.sheets[title]
        return {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}

    def records(self, name: str) -> list[dict[str, Any]]:
        return [
            json.loads(p.read_text(encoding="utf-8"))["data"]
            for p in sorted(self.demo.glob(f"*/{name}"))
        ]


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Year:
    return Year(tmp_path_factory.mktemp("report"))


def _random(year: Year) -> list[dict[str, Any]]:
    return [
        x
        for x in year.ledger["inspections"]
        if x.get("kind", "random") == "random" and x["started"].startswith("2027")
    ]


def _percent(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator * 100:.1f}%" if denominator else "—"


def test_the_overview_matches_the_ledger(year: Year) -> None:
    facts = year.facts()
    inspections = [x for x in year.ledger["inspections"] if x["started"].startswith("2027")]
    random = _random(year)
    assert facts["名录企业数"] == str(len(year.directory))
    assert facts["随机抽查（次）"] == str(len(random))
    assert facts["针对性检查（次）"] == str(len(inspections) - len(random))
    assert facts["抽中（次）"] == str(sum(len(d["selected"]) for d in year.ledger["draws"]))
    assert facts["发现违法违规（起）"] == str(len(year.ledger["violations"]))
    transfers = [
        v for v in year.ledger["violations"] if v.get("disposition", "").startswith("transfer")
    ]
    assert facts["移送（起）"] == str(len(transfers))
    assert facts["公示批次"] == str(len(year.ledger["publicities"]))
    assert facts["异议（件）"] == str(len(year.ledger.get("objections", [])))
    assert facts["反馈（次）"] == str(len(year.ledger["feedback"]))
    members = {m for x in inspections for m in x["team"]}
    assert facts["参与检查的执法人员（人）"] == str(len(members))


def test_recusals_and_cap_exclusions_come_from_the_records(year: Year) -> None:
    facts = year.facts()
    recusals = sum(len(r.get("recusals", [])) for r in year.records("dispatch.json"))
    cap = sum(r["commitment"]["cap_reached"] for r in year.records("draw.json"))
    assert facts["回避（人次）"] == str(recusals)
    assert facts["因年度上限排除的企业（户次）"] == str(cap)


def test_days_to_feedback_are_counted_from_the_end_of_each_inspection(year: Year) -> None:
    from datetime import date

    ended = {
        x["id"]: date.fromisoformat(x.get("finished") or x["started"])
        for x in year.ledger["inspections"]
    }
    days = [
        (date.fromisoformat(f["dated"]) - ended[f["inspection"]]).days
        for f in year.ledger["feedback"]
    ]
    shown = year.facts()["检查结束至反馈天数"]
    assert shown.startswith(f"中位数 {statistics.median(days):g} 天")
    assert f"最短 {min(days)} 天，最长 {max(days)} 天（{len(days)} 项）" in shown


def test_the_table_by_district_matches_the_ledger(year: Year) -> None:
    table = year.table("按区")
    random = _random(year)
    violated = {v["inspection"] for v in year.ledger["violations"]}
    per_district = Counter(year.directory[x["enterprise"]]["district"] for x in random)
    bad = Counter(
        year.directory[x["enterprise"]]["district"] for x in random if x["id"] in violated
    )
    directory = Counter(row["district"] for row in year.directory.values())
    drawn = Counter(
        year.directory[u]["district"] for d in year.ledger["draws"] for u in d["selected"]
    )
    assert set(per_district) <= set(table)
    for district, row in table.items():
        assert row["名录企业数"] == str(directory[district])
        assert row["抽中"] == str(drawn[district])
        assert row["随机抽查次数"] == str(per_district[district])
        assert row["发现违法的检查"] == str(bad[district])
        assert row["违法率"] == _percent(bad[district], per_district[district])


def test_the_table_by_line_counts_an_inspection_on_each_of_its_lines(year: Year) -> None:
    table = year.table("按条线")
    per_line = Counter(line for x in _random(year) for line in x["lines"])
    assert table["劳动保障监察"]["随机抽查次数"] == str(per_line["labour-inspection"])
    assert table["社会保险稽查"]["随机抽查次数"] == str(per_line["social-insurance-audit"])
    total = sum(len(x["lines"]) for x in _random(year))
    assert sum(int(r["随机抽查次数"]) for r in table.values()) == total


def test_the_table_by_quarter_and_by_class_match_the_ledger(year: Year) -> None:
    random = _random(year)
    quarters = Counter((int(x["started"][5:7]) - 1) // 3 + 1 for x in random)
    names = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
    table = year.table("按季度")
    for q, name in names.items():
        assert table[name]["随机抽查次数"] == str(quarters[q])
    violated = {v["inspection"] for v in year.ledger["violations"]}
    grades = Counter(year.directory[x["enterprise"]]["grade"] for x in random)
    bad = Counter(year.directory[x["enterprise"]]["grade"] for x in random if x["id"] in violated)
    by_class = {key.split(" ")[0]: row for key, row in year.table("按守法诚信等级").items()}
    for grade, n in grades.items():
        assert by_class[grade]["随机抽查次数"] == str(n)
        assert by_class[grade]["违法率"] == _percent(bad[grade], n)


def test_the_violation_rate_per_item_matches_the_ledger(year: Year) -> None:
    violated = {v["inspection"] for v in year.ledger["violations"]}
    n: Counter[str] = Counter()
    bad: Counter[str] = Counter()
    for x in _random(year):
        for item in x["items"]:
            n[item] += 1
            bad[item] += x["id"] in violated
    table = year.table("各抽查事项违法率")
    assert set(table) == set(n)
    for item, row in table.items():
        assert row["随机抽查次数"] == str(n[item])
        assert row["发现违法的检查"] == str(bad[item])
        assert row["违法率"] == _percent(bad[item], n[item])


def test_dispositions_by_type_match_the_ledger(year: Year) -> None:
    names = {"order-to-rectify": "责令改正", "administrative-penalty": "行政处罚"}
    counts = Counter(v.get("disposition") for v in year.ledger["violations"])
    table = year.table("处理决定")
    for disposition, name in names.items():
        if counts[disposition]:
            assert table[name]["数量"] == str(counts[disposition])
    assert sum(int(row["数量"]) for row in table.values()) == len(year.ledger["violations"])


def test_coverage_is_the_share_of_the_directory_inspected(year: Year) -> None:
    checked = {
        x["enterprise"] for x in year.ledger["inspections"] if x["started"].startswith("2027")
    } & set(year.directory)
    share = Fraction(len(checked), len(year.directory))
    assert year.facts()["当年检查覆盖（户）"] == (
        f"{len(checked)}/{len(year.directory)} ({float(share) * 100:.1f}%)"
    )
    assert year.table("覆盖面（逐年）")["2027"]["覆盖率"] == f"{float(share) * 100:.1f}%"


def test_the_cross_district_share_is_of_team_seats(year: Year) -> None:
    home = {i["certificate_no"]: i["district"] for i in year.ledger["inspectors"]}
    seats = cross = 0
    for x in _random(year):
        own = x.get("department_district") or year.directory[x["enterprise"]]["district"]
        for member in x["team"]:
            seats += 1
            cross += home[member] != own
    assert year.facts()["跨区执法人员占比"] == f"{_percent(cross, seats)} ({cross}/{seats})"


class _Svg(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.svgs = 0
        self.lang = ""
        self.svg_text: list[str] = []
        self._depth = 0
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.lang = dict(attrs).get("lang") or ""
        if tag == "svg":
            self.svgs += 1
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.svg_text.append(data)


def test_the_html_report_has_three_charts_with_chinese_labels_as_text(year: Year) -> None:
    text = year.stem.with_suffix(".html").read_text(encoding="utf-8")
    page = _Svg(text)
    assert page.lang == "zh-CN"
    assert page.svgs == 3
    assert "随机抽查" in "".join(page.svg_text)
    assert find_unmasked_personal_data(text) == []


def test_without_matplotlib_the_report_says_charts_are_unavailable(
    year: Year, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing() -> Any:
        raise ImportError("No module named 'matplotlib'")

    monkeypatch.setattr(_charts, "_pyplot", missing)
    code, _, err = _run(
        ["report", str(year.demo / "ledger.json"), "--year", "2027", "--out", str(tmp_path / "r")]
    )
    assert code == 0, err
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<svg" not in html
    assert "图表不可用" in html
    assert "randcheck[charts]" in (tmp_path / "r.csv").read_text(encoding="utf-8-sig")


def test_a_report_for_another_year_is_refused(year: Year, tmp_path: Path) -> None:
    code, _, err = _run(
        ["report", str(year.demo / "ledger.json"), "--year", "2026", "--out", str(tmp_path / "r")]
    )
    assert code == 2
    assert "2027" in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_record_of_the_wrong_kind_is_refused(year: Year, tmp_path: Path) -> None:
    code, _, err = _run(
        [
            "report",
            str(year.demo / "ledger.json"),
            "--year",
            "2027",
            "--records",
            str(year.demo / "labour-1/plan.json"),
            "--out",
            str(tmp_path / "r"),
        ]
    )
    assert code == 2
    assert "not a draw or dispatch record" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "html"])
def test_no_report_file_holds_personal_data(year: Year, fmt: str) -> None:
    path = year.stem.with_suffix(f".{fmt}")
    if fmt == "xlsx":
        text = "\n".join(
            str(cell) for rows in year.sheets.values() for row in rows for cell in row if cell
        )
    else:
        text = path.read_text(encoding="utf-8-sig")
    assert find_unmasked_personal_data(text) == []
    phones = [i["phone"] for i in year.ledger["inspectors"] if i.get("phone")]
    assert phones
    assert not any(phone in text for phone in phones)


def test_the_help_names_the_files_as_written(year: Year, tmp_path: Path) -> None:
    code, out, _ = _run(["report", "--help"])
    assert code == 0
    said = " ".join(out.split())
    assert "report-YYYY.csv" in said
    assert "report-YYYY.xlsx" in said
    assert "report.csv" not in said
    code, _, err = _run(
        [
            "report",
            str(year.demo / "ledger.json"),
            "--year",
            "2027",
            "--no-charts",
            "--format",
            "csv",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 0, err
    assert [p.name for p in tmp_path.iterdir()] == ["report-2027.csv"]


@pytest.mark.parametrize("publication", ["draw", "dispatch", "results"])
def test_the_publish_help_says_xlsx_is_written_too(publication: str) -> None:
    code, out, _ = _run(["publish", publication, "--help"])
    assert code == 0
    said = " ".join(out.split())
    assert f"{publication}.xlsx" in said
