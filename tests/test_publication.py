"""Publications from the demo year: every one in CSV, .xlsx and HTML, opened with the reader
library and an HTML parser; no personal data in any file; template overrides; bad input."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shlex
import sys
from collections.abc import Callable, Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

import randcheck.cli
from randcheck.calendars import ExplicitCalendar
from randcheck.cli import _demo, _draw, _publish, _report, main
from randcheck.demo.simulation import demo_calendar
from randcheck.ledger import load_ledger
from randcheck.privacy import find_unmasked_personal_data
from randcheck.profiles import TIANJIN_HRSS
from randcheck.publication import (
    Document,
    PersonalDataInPublication,
    Settings,
    Table,
    Templates,
    check_public,
    render_csv,
    render_xlsx,
    results_publicity,
    write_document,
)

pytestmark = pytest.mark.slow

KINDS = ("check-items", "plan", "draw", "dispatch", "results", "feedback")
FORMATS = ("csv", "xlsx", "html")


@contextlib.contextmanager
def _wired() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        wanted = (_demo, _draw, _publish, _report)
        missing = [m for m in wanted if m not in randcheck.cli._MODULES]
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


@contextlib.contextmanager
def _inside(path: Path) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(path)
        yield


class Year:
    """The demo's output and the publications made from it, with the published file names."""

    def __init__(self, root: Path) -> None:
        self.demo = root / "demo"
        self.out = root / "published"
        code, _, err = _run(["demo", "--out", str(self.demo), "--enterprises", "2000", "--quiet"])
        assert code == 0, err
        self.ledger = load_ledger(self.demo / "ledger.json")
        self.feedback_id = next(
            x.id
            for x in self.ledger.inspections
            if x.id in {v.inspection for v in self.ledger.violations}
        )
        self.commands = {
            "check-items": ["check-items", "ledger.json"],
            "plan": ["plan", "labour-1/plan.json", "--check-items", "check-items.json"],
            "draw": [
                "draw",
                "labour-1/draw.json",
                "--plan",
                "labour-1/plan.json",
                "--enterprises",
                "enterprises.csv",
                "--commitment",
                "labour-1/commitment.json",
            ],
            "dispatch": [
                "dispatch",
                "labour-1/dispatch.json",
                "--inspectors",
                "inspectors.csv",
                "--enterprises",
                "enterprises.csv",
            ],
            "results": ["results", "ledger.json"],
            "feedback": ["feedback", "ledger.json", "--inspection", self.feedback_id],
        }
        with _inside(self.demo):
            for kind, argv in self.commands.items():
                code, out, err = _run(["publish", *argv, "--out", f"{self.out}/{kind}"])
                assert code == 0, err
                assert out.split() == [str(self.out / f"{kind}.{fmt}") for fmt in FORMATS]

    def path(self, kind: str, fmt: str) -> Path:
        return self.out / f"{kind}.{fmt}"


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Year:
    return Year(tmp_path_factory.mktemp("publication"))


# --- readers, written plainly --------------------------------------------------------------


def csv_rows(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def csv_table(rows: list[list[str]], header_first: str) -> list[dict[str, str]]:
    """The rows of the table whose header row starts with ``header_first``."""
    start = next(n for n, row in enumerate(rows) if row and row[0] == header_first)
    header = rows[start]
    table = []
    for row in rows[start + 1 :]:
        if not row:
            break
        table.append(dict(zip(header, row, strict=True)))
    return table


def csv_facts(rows: list[list[str]]) -> dict[str, str]:
    return {row[0]: row[1] for row in rows if len(row) == 2}


def xlsx_sheets(path: Path) -> dict[str, list[list[Any]]]:
    book = openpyxl.load_workbook(path)
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }


class Page(HTMLParser):
    """What the tests check of an HTML page: its language, charset, title, cells, text,
    and any reference to something outside the page."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.lang = ""
        self.charset = ""
        self.title = ""
        self.cells: list[str] = []
        self.text: list[str] = []
        self.external: list[str] = []
        self.svgs = 0
        self._in: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang") or ""
        if tag == "meta" and "charset" in values:
            self.charset = values["charset"] or ""
        if tag == "svg":
            self.svgs += 1
        if tag in ("script", "link", "img", "iframe", "object", "embed"):
            self.external.append(tag)
        for name in ("src", "href"):
            value = values.get(name)
            if value and not value.startswith("#"):
                self.external.append(f"{tag} {name}={value}")
        self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self._in and self._in.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if not self._in:
            return
        if self._in[-1] == "title":
            self.title += data
        if self._in[-1] in ("td", "th"):
            self.cells.append(data)
        self.text.append(data)


def page(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def every_text(path: Path) -> str:
    if path.suffix == ".xlsx":
        return "\n".join(
            str(cell) for rows in xlsx_sheets(path).values() for row in rows for cell in row if cell
        )
    return path.read_text(encoding="utf-8-sig")


def directory(year: Year) -> dict[str, dict[str, str]]:
    with open(year.demo / "enterprises.csv", encoding="utf-8-sig") as stream:
        return {row["uscc"]: row for row in csv.DictReader(stream)}


def inspectors(year: Year) -> dict[str, dict[str, str]]:
    with open(year.demo / "inspectors.csv", encoding="utf-8-sig") as stream:
        return {row["certificate_no"]: row for row in csv.DictReader(stream)}


# --- every publication, every format -------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_every_publication_opens_in_every_format(year: Year, kind: str) -> None:
    html = page(year.path(kind, "html"))
    rows = csv_rows(year.path(kind, "csv"))
    sheets = xlsx_sheets(year.path(kind, "xlsx"))
    title = rows[0][0]
    assert title
    assert html.title == title
    assert sheets["公告"][0][0] == title
    assert html.lang == "zh-CN"
    assert html.charset.lower() == "utf-8"
    assert html.external == []


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_no_published_file_holds_personal_data(year: Year, kind: str, fmt: str) -> None:
    text = every_text(year.path(kind, fmt))
    assert find_unmasked_personal_data(text) == []
    for person in inspectors(year).values():
        assert person["phone"] not in text


def test_the_check_item_list_has_the_four_contents_of_every_item(year: Year) -> None:
    data = json.loads((year.demo / "check-items.json").read_text(encoding="utf-8"))["data"]
    items = {item["code"]: item for lst in data for item in lst["items"]}
    table = csv_table(csv_rows(year.path("check-items", "csv")), "条线")
    assert {row["事项编号"] for row in table} == set(items)
    for row in table:
        item = items[row["事项编号"]]
        assert row["抽查内容"] == item["content"]
        assert row["抽查主体"] == item["inspecting_body"]
        assert row["抽查对象"] == item["target_type"]
        for basis in item["bases"]:
            assert f"《{basis['title']}》{basis['article']}" in row["抽查依据"]
    assert "第五条" in csv_rows(year.path("check-items", "csv"))[1][0]


def test_the_plan_publishes_the_five_contents(year: Year) -> None:
    plan = json.loads((year.demo / "labour-1/plan.json").read_text(encoding="utf-8"))["data"]
    facts = {row[0]: row[1] for row in xlsx_sheets(year.path("plan", "xlsx"))["公告"] if row[1]}
    assert facts["抽查计划"] == plan["code"]
    assert facts["检查对象范围"] == plan["scope"]["description"]
    assert facts["执法检查人员要求"] == plan["inspector_requirements"]
    assert facts["抽查比例"].startswith(plan["ratio"])
    assert facts["抽查频次（轮）"] == str(plan["rounds"])
    assert facts["执法检查流程"] == plan["procedure"]
    assert plan["windows"][0]["start"] in facts["实施抽查时间"]
    items = xlsx_sheets(year.path("plan", "xlsx"))["抽查事项"]
    assert [row[0] for row in items[1:]] == plan["items"]


def test_the_draw_announcement_lists_every_drawn_enterprise_by_name(year: Year) -> None:
    record = json.loads((year.demo / "labour-1/draw.json").read_text(encoding="utf-8"))["data"]
    drawn = sorted(unit["uscc"] for unit in record["selected"])
    names = directory(year)
    sheet = xlsx_sheets(year.path("draw", "xlsx"))["抽中企业名单"]
    assert sheet[0] == ["序号", "企业名称", "统一社会信用代码", "所在区", "抽查事项"]
    assert [row[2] for row in sheet[1:]] == drawn
    assert [row[1] for row in sheet[1:]] == [names[u]["name"] for u in drawn]
    cells = page(year.path("draw", "html")).cells
    assert all(u in cells for u in drawn)


def test_the_draw_announcement_says_how_to_re_check_it_and_the_command_works(
    year: Year,
) -> None:
    record = json.loads((year.demo / "labour-1/draw.json").read_text(encoding="utf-8"))["data"]
    facts = csv_facts(csv_rows(year.path("draw", "csv")))
    assert facts["随机种子"] == record["seed"]["value"]
    assert facts["种子来源"] == record["seed"]["source"]
    assert facts["种子确定时间"] == "2027-03-25 21:30 (UTC+08:00)"
    assert facts["承诺公布时间"] == "2027-03-24 09:00 (UTC+08:00)"
    assert facts["抽取框承诺摘要"] == record["commitment"]["digest"]
    assert facts["轮次"] == "1"
    command = shlex.split(facts["核验命令"])
    assert command[:3] == ["randcheck", "verify", "labour-1/draw.json"]
    with _inside(year.demo):
        code, out, err = _run(command[1:])
    assert code == 0, err
    assert "ok" in out


def test_a_bureau_directory_is_published_as_the_draw_reads_it_without_its_other_columns(
    year: Year, tmp_path: Path
) -> None:
    own = (year.demo / "enterprises.csv").read_text(encoding="utf-8-sig").splitlines()
    bureau = tmp_path / "bureau.csv"
    bureau.write_text(
        "\n".join([f"{own[0]},法定代表人", *(f"{line},张{n}" for n, line in enumerate(own[1:]))])
        + "\n",
        encoding="utf-8-sig",
    )
    draw = [*year.commands["draw"][:4], "--commitment", "labour-1/commitment.json", "--enterprises"]
    public = tmp_path / "public.csv"
    with _inside(year.demo):
        code, _, err = _run(["publish", *draw, str(bureau), "--out", str(tmp_path / "a")])
        assert code == 0, err
        assert "--public-enterprises" in err  # the bureau's file holds more than the draw uses
        code, _, err = _run(["publish", *year.commands["draw"], "--out", str(tmp_path / "b")])
        assert code == 0, err
        assert "warning" not in err  # the demo's directory is in randcheck's own form
        argv = ["publish", *draw, str(bureau), "--public-enterprises", str(public)]
        code, _, err = _run([*argv, "--out", str(tmp_path / "c")])
        assert code == 0, err
        assert "warning" not in err
        assert "法定代表人" not in public.read_text(encoding="utf-8-sig")
        assert "张1" not in public.read_text(encoding="utf-8-sig")
        command = shlex.split(csv_facts(csv_rows(tmp_path / "c.csv"))["核验命令"])
        assert command[command.index("--enterprises") + 1] == str(public)
        code, out, err = _run(command[1:])
        assert code == 0, err
        assert "ok" in out
        code, _, err = _run([*argv[:-1], str(bureau), "--out", str(tmp_path / "d")])
        assert code == 2
        assert "would replace the directory given" in err


def test_without_openpyxl_a_publication_writes_nothing_and_says_why(
    year: Year, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # import openpyxl fails
    public = tmp_path / "public.csv"
    argv = ["publish", *year.commands["draw"], "--public-enterprises", str(public)]
    with _inside(year.demo):
        code, _, err = _run([*argv, "--out", str(tmp_path / "out")])
    assert code == 2
    assert "pip install 'randcheck[xlsx]'" in err
    assert list(tmp_path.iterdir()) == []
    with _inside(year.demo):
        code, _, err = _run([*argv, "--format", "csv", "--out", str(tmp_path / "out")])
    assert code == 0, err
    assert public.is_file()


def test_the_dispatch_announcement_names_inspectors_without_phones_or_recusal_detail(
    year: Year,
) -> None:
    record = json.loads((year.demo / "labour-1/dispatch.json").read_text(encoding="utf-8"))["data"]
    staff = inspectors(year)
    sheet = xlsx_sheets(year.path("dispatch", "xlsx"))["检查组"]
    header = sheet[0]
    assert "执法人员" in header
    assert "执法证件编号" in header
    by_uscc = {row[header.index("统一社会信用代码")]: row for row in sheet[1:]}
    for team in record["teams"]:
        row = by_uscc[team["enterprise"]]
        for key in team["members"]:
            assert staff[key]["name"] in row[header.index("执法人员")]
            assert key in row[header.index("执法证件编号")]
    text = every_text(year.path("dispatch", "html"))
    with open(year.demo / "conflicts.csv", encoding="utf-8-sig") as stream:
        notes = {row["note"] for row in csv.DictReader(stream)}
    assert not any(note in text for note in notes)
    assert "resident_id" not in text
    assert "phone" not in text


def test_the_results_publicity_has_every_result_and_its_period(year: Year) -> None:
    table = csv_table(csv_rows(year.path("results", "csv")), "公示批次")
    published = {i for p in year.ledger.publicities for i in p.inspections}
    assert {row["检查编号"] for row in table} == published
    # The profile rolls a last day over holidays; the demo gives no holiday data.
    assert {row["法定最短公示期满"] for row in table} == {"未知（缺少节假日数据）"}
    starts = {p.id: p.start.isoformat() for p in year.ledger.publicities}
    assert all(row["公示开始"] == starts[row["公示批次"]] for row in table)
    body = " ".join(csv_rows(year.path("results", "csv"))[1])
    assert "有异议" in every_text(year.path("results", "csv"))
    assert "公示期不少于7天" in body


def test_publicity_dates_follow_the_profile_where_holiday_data_covers_them(year: Year) -> None:
    calendar = ExplicitCalendar(years=[2027], holidays=[date(2027, 5, 3)])
    settings = Settings(profile=TIANJIN_HRSS, calendar=calendar)
    document = results_publicity(year.ledger, settings)
    rows = document.tables[0].rows
    for row in rows:
        start = date.fromisoformat(row[9])
        # Counted by hand: the start day is not counted, seven days follow, and a last day
        # that is not a working day moves to the next working day.
        end = start.toordinal() + 7
        while not calendar.is_working_day(date.fromordinal(end)):
            end += 1
        assert row[11] == date.fromordinal(end).isoformat()
        assert row[12] == date.fromordinal(end + 1).isoformat()


def test_the_feedback_letter_addresses_the_enterprise_and_states_the_results(
    year: Year,
) -> None:
    inspection = next(x for x in year.ledger.inspections if x.id == year.feedback_id)
    name = directory(year).get(inspection.enterprise, {}).get("name") or next(
        e.name for e in year.ledger.enterprises if e.uscc == inspection.enterprise
    )
    html = page(year.path("feedback", "html"))
    text = "".join(html.text)
    assert html.title == "检查结果告知书"
    assert f"{name}（统一社会信用代码：{inspection.enterprise}）" in text
    violation = next(v for v in year.ledger.violations if v.inspection == inspection.id)
    assert violation.description in text


def test_the_feedback_letter_can_be_for_delivery_in_person(year: Year, tmp_path: Path) -> None:
    argv = year.commands["feedback"]
    with _inside(year.demo):
        code, _, err = _run(["publish", *argv, "--mode", "written", "--out", str(tmp_path / "w")])
        assert code == 0, err
        code, _, err = _run(["publish", *argv, "--mode", "in-person", "--out", str(tmp_path / "p")])
        assert code == 0, err
    assert "书面方式送达" in every_text(tmp_path / "w.html")
    assert "当面送达" in every_text(tmp_path / "p.html")


def test_english_on_request(year: Year, tmp_path: Path) -> None:
    with _inside(year.demo):
        code, _, err = _run(
            ["publish", *year.commands["draw"], "--lang", "en", "--out", str(tmp_path / "d")]
        )
    assert code == 0, err
    html = page(tmp_path / "d.html")
    assert html.lang == "en"
    assert html.title.startswith("Draw announcement")
    assert "Notice" in xlsx_sheets(tmp_path / "d.xlsx")


def test_only_the_formats_asked_for_are_written(year: Year, tmp_path: Path) -> None:
    with _inside(year.demo):
        code, out, _ = _run(
            ["publish", *year.commands["results"], "--format", "html", "--out", str(tmp_path)]
        )
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.html"]
    assert out.strip() == str(tmp_path / "results.html")


# --- templates -----------------------------------------------------------------------------


def test_a_bureau_overrides_a_template_without_code(year: Year, tmp_path: Path) -> None:
    own = tmp_path / "templates"
    own.mkdir()
    (own / "draw.zh.j2").write_text(
        "{% block title %}和平区抽查结果公告 {{ code }}{% endblock %}"
        "{% block body %}种子：{{ seed }}。{% endblock %}",
        encoding="utf-8",
    )
    (own / "authority.zh.j2").write_text("天津市和平区人力资源和社会保障局", encoding="utf-8")
    with _inside(year.demo):
        code, _, err = _run(
            [
                "publish",
                *year.commands["draw"],
                "--templates",
                str(own),
                "--out",
                str(tmp_path / "d"),
            ]
        )
        assert code == 0, err
        code, _, err = _run(
            [
                "publish",
                *year.commands["results"],
                "--templates",
                str(own),
                "--out",
                str(tmp_path / "r"),
            ]
        )
        assert code == 0, err
    assert page(tmp_path / "d.html").title == "和平区抽查结果公告 TJ-LS-2027"
    assert "种子：randcheck-demo / TJ-LS-2027 / round 1。" in every_text(tmp_path / "d.html")
    # Templates the directory lacks come from the profile; the authority is the bureau's.
    results = every_text(tmp_path / "r.html")
    assert "检查结果公示" in page(tmp_path / "r.html").title
    assert "向天津市和平区人力资源和社会保障局书面提出" in results


def test_a_broken_override_is_a_clear_error(year: Year, tmp_path: Path) -> None:
    own = tmp_path / "templates"
    own.mkdir()
    (own / "draw.zh.j2").write_text(
        "{% block title %}{{ no_such_name }}{% endblock %}{% block body %}{% endblock %}",
        encoding="utf-8",
    )
    with _inside(year.demo):
        code, _, err = _run(["publish", *year.commands["draw"], "--templates", str(own)])
    assert code == 2
    assert "draw.zh.j2" in err
    assert "no_such_name" in err
    assert "Traceback" not in err
    assert not (year.demo / "draw.csv").exists()


def test_html_templates_escape_what_they_show() -> None:
    document = Document(
        kind="test",
        lang="zh",
        title="<script>alert(1)</script>",
        body="a & b",
        tables=[Table(title="t", columns=["c"], rows=[["<b>x</b>"]])],
    )
    from randcheck.publication import render_html

    text = render_html(document, Templates(TIANJIN_HRSS.name))
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;b&gt;x&lt;/b&gt;" in text


# --- safety --------------------------------------------------------------------------------


DANGEROUS = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0", "plain"]


def test_csv_cells_a_spreadsheet_would_run_are_neutralised() -> None:
    document = Document(
        kind="test",
        lang="zh",
        title="t",
        body="",
        tables=[Table(title="t", columns=["c"], rows=[[cell] for cell in DANGEROUS])],
    )
    rows = list(csv.reader(io.StringIO(render_csv(document))))
    start = rows.index(["c"]) + 1
    cells = [row[0] for row in rows[start:]]
    assert cells[:-1] == ["'" + cell for cell in DANGEROUS[:-1]]
    assert cells[-1] == "plain"


def test_xlsx_cells_are_text_never_formulas() -> None:
    document = Document(
        kind="test",
        lang="zh",
        title="=1+1",
        body="",
        tables=[Table(title="t", columns=["c"], rows=[[cell] for cell in DANGEROUS])],
    )
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(document)))
    sheet = book["t"]
    cells = [sheet.cell(row=r, column=1) for r in range(2, len(DANGEROUS) + 2)]
    assert all(cell.data_type == "s" for cell in cells)
    assert [cell.value for cell in cells][:3] == DANGEROUS[:3]
    assert book["公告"].cell(row=1, column=1).data_type == "s"


def test_personal_data_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    document = Document(
        kind="test",
        lang="zh",
        title="t",
        body="",
        tables=[Table(title="t", columns=["电话"], rows=[["138 1234 5678"]])],
    )
    for fmt in FORMATS:
        with pytest.raises(PersonalDataInPublication, match="138"):
            write_document(document, tmp_path / f"x.{fmt}", fmt, Templates(TIANJIN_HRSS.name))  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_a_ledger_with_a_phone_in_a_conclusion_is_not_published(year: Year, tmp_path: Path) -> None:
    data = json.loads((year.demo / "ledger.json").read_text(encoding="utf-8"))
    publicity = year.ledger.publicities[0]
    report = next(
        r for r in data["data"]["reports"] if r.get("inspection") in publicity.inspections
    )
    report["conclusion"] = "联系人电话 13912345678"
    ledger = tmp_path / "ledger.json"
    ledger.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    batch = publicity.id
    code, _, err = _run(
        ["publish", "results", str(ledger), "--batch", batch, "--out", str(tmp_path / "r")]
    )
    assert code == 2
    assert "个人信息" in err
    assert "13912345678" not in err
    assert not list(tmp_path.glob("r.*"))


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (
            [
                "draw",
                "missing.json",
                "--plan",
                "labour-1/plan.json",
                "--enterprises",
                "enterprises.csv",
            ],
            "missing.json",
        ),
        (
            [
                "draw",
                "labour-1/dispatch.json",
                "--plan",
                "labour-1/plan.json",
                "--enterprises",
                "enterprises.csv",
            ],
            "draw-record",
        ),
        (
            [
                "draw",
                "labour-1/draw.json",
                "--plan",
                "social/plan.json",
                "--enterprises",
                "enterprises.csv",
            ],
            "TJ-LS-2027",
        ),
        (["dispatch", "labour-1/draw.json", "--inspectors", "inspectors.csv"], "dispatch-record"),
        (["feedback", "ledger.json", "--inspection", "NO-SUCH"], "NO-SUCH"),
        (["results", "ledger.json", "--batch", "NO-SUCH"], "NO-SUCH"),
        (["plan", "ledger.json", "--code", "NO-SUCH"], "TJ-LS-2027"),
        (["check-items", "enterprises.csv"], "enterprises.csv"),
    ],
)
def test_bad_input_is_a_clear_error_without_traceback(
    year: Year, argv: list[str], says: str, tmp_path: Path
) -> None:
    with _inside(year.demo):
        code, _, err = _run(["publish", *argv, "--out", str(tmp_path / "never")])
    assert code == 2
    assert err.startswith("randcheck: error: ")
    assert says in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_directory_without_the_drawn_enterprises_is_a_clear_error(
    year: Year, tmp_path: Path
) -> None:
    lines = (year.demo / "enterprises.csv").read_text(encoding="utf-8-sig").splitlines()
    few = tmp_path / "few.csv"
    few.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    argv = [*year.commands["draw"][:4], "--enterprises", str(few)]
    with _inside(year.demo):
        code, _, err = _run(["publish", *argv, "--out", str(tmp_path / "never")])
    assert code == 2
    assert "名录中没有" in err
    assert "the directory lacks" in err
    assert "Traceback" not in err
    assert not list(tmp_path.glob("never*"))


def test_an_article_two_rules_rest_on_is_cited_once() -> None:
    from randcheck.publication._common import Settings

    recusal = TIANJIN_HRSS.citation("R-RECUSAL").articles
    random = TIANJIN_HRSS.citation("R-RANDOM").articles
    assert set(recusal) & set(random), "the two rules share an article in cn-tj-hrss"
    zh = Settings(profile=TIANJIN_HRSS).article("R-RANDOM", "R-RECUSAL")
    en = Settings(profile=TIANJIN_HRSS, lang="en").article("R-RANDOM", "R-RECUSAL")
    assert zh == "第二条、第十条"
    assert en == "Art. 2, 10"


_PIECES = st.sampled_from(
    [
        "13812345678",
        "138-1234-5678",
        "+86",
        "0086",
        " ",
        "-",
        ".",
        "9",
        "X",
        "号",
        "110105",
        "19900307",
        "1234",
        "91120101MA05M8XX3Q",
        "110105199003071234",
        "11010519900307123X",
    ]
)


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=6).map("".join), max_size=6))
def test_the_document_is_refused_exactly_when_one_of_its_texts_holds_personal_data(
    cells: list[str],
) -> None:
    document = Document(
        kind="test",
        lang="zh",
        title="t",
        body="",
        tables=[Table(title="t", columns=["c"], rows=[[cell] for cell in cells])],
    )
    expected = any(find_unmasked_personal_data(cell) for cell in cells)
    try:
        check_public(document)
    except PersonalDataInPublication:
        refused = True
    else:
        refused = False
    assert refused == expected


def _altered_draw(year: Year, tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    document = json.loads((year.demo / "labour-1/draw.json").read_text(encoding="utf-8"))
    change(document["data"])
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def _publish_draw(year: Year, record: Path, tmp_path: Path, *more: str) -> tuple[int, str]:
    argv = ["draw", str(record), *year.commands["draw"][2:6], *more]
    with _inside(year.demo):
        code, _, err = _run(["publish", *argv, "--out", str(tmp_path / "d"), "--format", "csv"])
    return code, err


def test_a_record_under_another_commitment_than_the_published_one_is_refused(
    year: Year, tmp_path: Path
) -> None:
    def tamper(data: dict[str, Any]) -> None:
        digest = data["commitment"]["digest"]
        data["commitment"]["digest"] = digest[:-1] + ("0" if digest[-1] != "0" else "1")

    record = _altered_draw(year, tmp_path, tamper)
    published = json.loads((year.demo / "labour-1/commitment.json").read_text(encoding="utf-8"))
    code, err = _publish_draw(
        year, record, tmp_path, "--commitment", str(year.demo / "labour-1/commitment.json")
    )
    assert code == 2, err
    assert published["data"]["digest"] in err
    assert "不是给定的已公布承诺" in err
    assert "is not the published commitment given" in err
    assert not list(tmp_path.glob("d.*"))


def test_a_seed_fixed_before_the_commitment_was_published_is_refused(
    year: Year, tmp_path: Path
) -> None:
    def early(data: dict[str, Any]) -> None:
        data["seed"]["fixed"] = "2027-03-23T21:30:00+08:00"

    record = _altered_draw(year, tmp_path, early)
    code, err = _publish_draw(year, record, tmp_path)
    assert code == 2, err
    assert "2027-03-23" in err
    assert "2027-03-24" in err
    assert "不在承诺公布" in err
    assert "not after the commitment was published" in err
    assert not list(tmp_path.glob("d.*"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_without_both_times_the_announcement_does_not_claim_the_order(
    year: Year, tmp_path: Path, lang: str
) -> None:
    def unknown(data: dict[str, Any]) -> None:
        data["commitment"]["published"] = None
        data["seed"]["fixed"] = None

    record = _altered_draw(year, tmp_path, unknown)
    code, err = _publish_draw(year, record, tmp_path, "--lang", lang)
    assert code == 0, err
    text = (tmp_path / "d.csv").read_text(encoding="utf-8-sig")
    assert "在承诺公布之后。" not in text
    assert "after the commitment." not in text
    said = {
        "zh": "本记录未表明随机种子是否在承诺公布之后确定",
        "en": "The record does not show whether the seed was fixed after the commitment",
    }
    assert said[lang] in text


def test_the_announcement_states_the_order_when_the_record_shows_it(year: Year) -> None:
    assert "在承诺公布之后" in every_text(year.path("draw", "csv"))


def test_a_record_the_files_do_not_re_run_to_is_refused(year: Year, tmp_path: Path) -> None:
    other = json.loads((year.demo / "labour-2/draw.json").read_text(encoding="utf-8"))["data"]

    def reseed(data: dict[str, Any]) -> None:
        data["seed"]["value"] = other["seed"]["value"]

    record = _altered_draw(year, tmp_path, reseed)
    code, err = _publish_draw(year, record, tmp_path)
    assert code == 2, err
    assert "不能由给定文件重新计算得出" in err
    assert "see randcheck verify" in err


def test_the_results_publicity_counts_its_period_with_the_demo_calendar_file(
    year: Year, tmp_path: Path
) -> None:
    with _inside(year.demo):
        code, _, err = _run(
            [
                "publish",
                "results",
                "ledger.json",
                "--calendar",
                "calendar.json",
                "--format",
                "csv",
                "--out",
                str(tmp_path / "r"),
            ]
        )
    assert code == 0, err
    table = csv_table(csv_rows(tmp_path / "r.csv"), "公示批次")
    assert table
    calendar = demo_calendar(year.ledger.year)
    for row in table:
        end = date.fromisoformat(row["法定最短公示期满"])
        assert calendar.is_working_day(end)


def test_a_dispatch_announcement_refuses_another_pool_or_a_seed_fixed_before_it(
    year: Year, tmp_path: Path
) -> None:
    def command(record: str, pool: str) -> list[str]:
        argv = ["publish", "dispatch", record, "--inspectors", "inspectors.csv"]
        argv += ["--enterprises", "enterprises.csv", "--draw", "labour-1/draw.json"]
        return [*argv, "--plan", "labour-1/plan.json", "--pool", pool, "--out", str(tmp_path)]

    pool = json.loads((year.demo / "labour-1" / "pool.json").read_text(encoding="utf-8"))
    record = json.loads((year.demo / "labour-1" / "dispatch.json").read_text(encoding="utf-8"))
    early = tmp_path / "early-seed.json"
    early.write_text(
        json.dumps(dict(record, data=dict(record["data"], seed_fixed=pool["data"]["published"]))),
        encoding="utf-8",
    )
    with _inside(year.demo):
        code, _, err = _run(command("labour-1/dispatch.json", "labour-1/pool.json"))
        assert code == 0, err
        for argv, said in [
            (command("labour-1/dispatch.json", "social/pool.json"), "not the one the dispatch"),
            (command(str(early), "labour-1/pool.json"), "not after the pool commitment"),
        ]:
            code, _, err = _run(argv)
            assert code == 2, said
            assert said in err
            assert "Traceback" not in err
