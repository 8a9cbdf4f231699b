"""``randcheck demo``: a whole year of 双随机一公开 on a built-in Tianjin-like directory.

What it does, in order: builds the synthetic directory (:mod:`randcheck.demo.synthetic`); commits
to each frame and draws under a seed fixed afterwards (labour inspection round 1, a joint
social-insurance check of some of its targets, a social-insurance round, labour round 2 with
the history so far, so that the yearly cap holds); publishes each dispatch's pool commitment
(``<step>/pool.json``) and dispatches the teams from it (algorithm version 2, checkable from
published files only); simulates the rest
of the year (:mod:`randcheck.demo.simulation`); audits it (:func:`randcheck.validators.audit`);
and prints the commands that check every record independently. Every file it used or made is
written into ``--out``.

``--with-violations`` plants one violation per rule that records can break
(:mod:`randcheck.demo.planting`) and exits 1, as ``randcheck audit`` does on an unlawful year.

Exit codes: 0 the year is lawful; 1 violations (``--with-violations``); 2 bad usage, or an
output directory that is not empty and not a previous demo's (without ``--force``).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import time
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Final, TextIO

import attrs

from randcheck.calendars import ExplicitCalendar, save_calendar
from randcheck.cli._assign import PLAN_KIND, PUBLIC_KIND
from randcheck.cli._draw import HISTORY_KIND
from randcheck.cli._output import silence
from randcheck.cli._profile import PROFILE_DEFAULT, add_profile_option
from randcheck.demo import simulation
from randcheck.demo.planting import Planting, plant
from randcheck.demo.simulation import DEMO_SEED, DEMO_YEAR, DrawStep, SimulatedYear
from randcheck.dispatch import DOCUMENT_KIND, POOL_KIND, SALT_KIND, summarize
from randcheck.dispatch.summary import format_fraction
from randcheck.domain import Grade, SampleAllocation
from randcheck.errors import InputFileError, ValidationError
from randcheck.io import (
    load_json,
    save_conflicts_csv,
    save_enterprises_csv,
    save_inspectors_csv,
    save_json,
)
from randcheck.ledger import InspectionKind, PublicationKind, save_ledger
from randcheck.profiles import TIANJIN_HRSS, Profile, get_profile
from randcheck.publication import (
    Document,
    Settings,
    Templates,
    annual_plan,
    annual_report,
    check_item_list,
    dispatch_announcement,
    draw_announcement,
    results_publicity,
    verify_command,
    write_document,
    year_figures,
)
from randcheck.sampling import COMMITMENT_KIND, RECORD_KIND, GradePreferenceCancelledWarning
from randcheck.validators import Outcome, Report, audit, report_json

__all__ = ["DEFAULT_OUT", "MANIFEST", "MANIFEST_KIND", "register", "run"]

DEFAULT_OUT: Final = "randcheck-demo"
"""Where the demo writes when ``--out`` is not given (relative to the working directory)."""

MANIFEST: Final = "demo.json"
"""The file that marks a directory as a demo's output and lists the files it wrote."""

MANIFEST_KIND: Final = "randcheck-demo"

CHECK_ITEMS_KIND: Final = "check-item-lists"


@attrs.frozen(kw_only=True)
class _Manifest:
    """What a demo run wrote, so that the next run may replace exactly those files."""

    year: int
    seed: str
    enterprises: int
    inspectors: int
    profile: str
    with_violations: bool
    files: tuple[str, ...]


def _count(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text.replace(",", "").replace("_", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected an integer >= {minimum}, got {text!r}"
            ) from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected an integer >= {minimum}, got {text!r}")
        return value

    return parse


def register(subparsers: Any) -> None:
    """Add the ``demo`` subcommand."""
    parser = subparsers.add_parser(
        "demo",
        help="a whole simulated year on a built-in Tianjin-like directory: draw, dispatch, audit",
        description=(
            "演示：在内置的模拟天津名录上完成一整年的双随机一公开——抽取、选派、检查、公示、反馈，"
            "再逐条规则审计 / a whole simulated year on a built-in Tianjin-like directory: "
            "draws, dispatches, inspections, publicity and feedback, then the audit. "
            "Exit 0: lawful; 1: violations (--with-violations); 2: bad usage."
        ),
    )
    parser.add_argument(
        "--enterprises",
        type=_count(200),
        default=20_000,
        metavar="N",
        help="enterprises in the directory (default 20,000)",
    )
    parser.add_argument(
        "--inspectors",
        # Fewer leave some districts with a single inspector on a line, whom one recusal can
        # take away: the dispatch is then lawfully impossible for some seeds.
        type=_count(200),
        default=300,
        metavar="N",
        help="inspectors in the directory (default 300, at least 200)",
    )
    parser.add_argument(
        "--seed",
        default=DEMO_SEED,
        metavar="TEXT",
        help=f"the seed every draw and choice derives from (default {DEMO_SEED!r})",
    )
    parser.add_argument(
        "--year", type=_count(2000), default=DEMO_YEAR, help=f"the year (default {DEMO_YEAR})"
    )
    parser.add_argument(
        "--out",
        default=DEFAULT_OUT,
        metavar="DIR",
        help=f"where to write the files (default ./{DEFAULT_OUT}; a previous demo's output "
        "there is replaced, any other non-empty directory refused without --force)",
    )
    parser.add_argument(
        "--force", action="store_true", help="write into a non-empty directory all the same"
    )
    parser.add_argument(
        "--with-violations",
        action="store_true",
        help="plant one violation per rule that records can break; exit 1 like audit",
    )
    add_profile_option(parser, PROFILE_DEFAULT)
    parser.add_argument("--quiet", action="store_true", help="print only the final summary")
    parser.set_defaults(handler=run)


# --- the output directory -------------------------------------------------------------------


def _previous_files(out: Path) -> tuple[str, ...] | None:
    """The files a previous demo wrote into ``out``, or ``None`` if it is not a demo's output."""
    path = out / MANIFEST
    if not path.is_file():
        return None
    try:
        return load_json(path, MANIFEST_KIND, _Manifest).files
    except InputFileError:
        return None


def _inside(out: Path, name: str) -> Path | None:
    path = (out / name).resolve()
    root = out.resolve()
    return path if path != root and root in path.parents else None


def _prepare(out: Path, *, force: bool) -> None:
    """Make ``out`` ready: new or empty, a previous demo's output (cleared), or ``--force``."""
    if out.exists() and not out.is_dir():
        raise ValidationError(
            f"--out {out} 不是目录 / --out {out} is not a directory",
            field="--out",
            expected="a directory",
            got=str(out),
        )
    if out.is_dir() and any(out.iterdir()):
        previous = _previous_files(out)
        if previous is None and not force:
            raise ValidationError(
                f"输出目录 {out} 非空，且不是 randcheck demo 的输出；请换一个目录或加 --force / "
                f"{out} is not empty and not a randcheck demo output; choose another --out or "
                "pass --force",
                field="--out",
                expected="a new or empty directory, or a previous demo output",
                got=str(out),
            )
        # Only what the previous demo listed is removed; anything else stays.
        for name in previous or ():
            path = _inside(out, name)
            if path is not None and path.is_file():
                path.unlink()
        for sub in sorted(out.iterdir()):
            if sub.is_dir() and sub.name in simulation.STEPS and not any(sub.iterdir()):
                sub.rmdir()
    out.mkdir(parents=True, exist_ok=True)


class _Writer:
    """Writes the demo's files and remembers their names for the manifest."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.files: list[str] = []

    def path(self, name: str) -> Path:
        path = self.out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        self.files.append(name)
        return path

    def json(self, name: str, kind: str, value: Any) -> None:
        save_json(self.path(name), kind, value)

    def text(self, name: str, text: str) -> None:
        self.path(name).write_text(text, encoding="utf-8")


def _write_year(writer: _Writer, year: SimulatedYear, profile: Profile) -> None:
    directory = year.directory
    save_enterprises_csv(writer.path("enterprises.csv"), directory.enterprises, profile=profile)
    save_inspectors_csv(writer.path("inspectors.csv"), directory.inspectors, profile=profile)
    save_conflicts_csv(writer.path("conflicts.csv"), directory.conflicts, profile=profile)
    writer.json("check-items.json", CHECK_ITEMS_KIND, directory.check_item_lists)
    for step in year.steps:
        key = step.key
        writer.json(f"{key}/plan.json", PLAN_KIND, step.plan)
        if step.population is not directory.enterprises:
            save_enterprises_csv(
                writer.path(f"{key}/enterprises.csv"), step.population, profile=profile
            )
        if step.history:
            writer.json(f"{key}/history.json", HISTORY_KIND, step.history)
        # The frame's exact canonical bytes: their SHA-256 is the committed digest.
        writer.path(f"{key}/frame.json").write_bytes(step.frame.to_json().encode("utf-8"))
        writer.json(f"{key}/commitment.json", COMMITMENT_KIND, step.commitment)
        writer.json(f"{key}/draw.json", RECORD_KIND, step.record)
        # Published before the dispatch seed; the salt (salted recusal pairs only) is for
        # the oversight office and is not published.
        writer.json(f"{key}/pool.json", POOL_KIND, step.pool)
        if step.pool_salt is not None:
            writer.json(f"{key}/pool-salt.json", SALT_KIND, step.pool_salt)
        writer.json(f"{key}/dispatch.json", DOCUMENT_KIND, step.dispatch)
        writer.json(
            f"{key}/dispatch-public.json",
            PUBLIC_KIND,
            step.dispatch.publication_view(directory.inspectors),
        )
    save_ledger(year.ledger, writer.path("ledger.json"))
    save_ledger(year.ledger, writer.path("ledger.jsonl"))


CALENDAR = "calendar.json"
"""The demo's working-day calendar, as ``randcheck audit --calendar`` reads it."""


def _calendar_of(year: SimulatedYear) -> ExplicitCalendar | None:
    return year.calendar if isinstance(year.calendar, ExplicitCalendar) else None


def _write_calendar(writer: _Writer, year: SimulatedYear) -> None:
    calendar = _calendar_of(year)
    if calendar is not None:
        save_calendar(writer.path(CALENDAR), calendar)


PUBLISHED = "published"
"""The folder of the demo's publications (docs/publications.md), as a bureau would post them."""

_RECHECK_FILES: Final = (
    "plan.json",
    "frame.json",
    "commitment.json",
    "draw.json",
    "pool.json",
    "dispatch.json",
)
"""A step's records published beside its announcements (with its enterprise directory and,
where it has one, its history): what the announcements' re-check commands read. The pool's
salt, the inspector directory and the conflicts are not among them."""


def _write_publications(writer: _Writer, year: SimulatedYear, profile: Profile) -> None:
    # CSV and HTML need nothing beyond the package; ``.xlsx`` (extra ``xlsx``) is left to
    # ``randcheck publish`` so that the demo's files do not depend on what is installed.
    templates = Templates(profile.name)
    # Publicity periods counted with the demo's stated calendar, as its audit counts them.
    settings = Settings(profile=profile, templates=templates, calendar=year.calendar)
    directory = year.directory

    def write(name: str, document: Document) -> None:
        for fmt in ("csv", "html"):
            write_document(document, writer.path(f"{PUBLISHED}/{name}.{fmt}"), fmt, templates)

    write("check-items", check_item_list(directory.check_item_lists, settings))
    for step in year.steps:
        key = step.key
        enterprises = (
            "enterprises.csv"
            if step.population is directory.enterprises
            else f"{key}/enterprises.csv"
        )
        # Each announcement's re-check command names files beside it, run in its folder:
        # a folder posted on its own is enough to re-check its draw and dispatch.
        published = _RECHECK_FILES + (("history.json",) if step.history else ())
        for name in published:
            writer.path(f"{PUBLISHED}/{key}/{name}").write_bytes(
                (writer.out / key / name).read_bytes()
            )
        writer.path(f"{PUBLISHED}/{key}/enterprises.csv").write_bytes(
            (writer.out / enterprises).read_bytes()
        )
        command = verify_command(
            "draw.json",
            enterprises="enterprises.csv",
            record_digest=step.record.digest(),
            commitment="commitment.json",
            history="history.json" if step.history else None,
            profile=None if profile.name == PROFILE_DEFAULT else profile.name,
        )
        write(f"{key}/plan", annual_plan(step.plan, settings, directory.check_item_lists))
        write(
            f"{key}/draw",
            draw_announcement(step.record, step.plan, step.population, settings, verify=command),
        )
        recheck = verify_command(
            "draw.json",
            enterprises="enterprises.csv",
            record_digest=step.dispatch.digest(),
            profile=None if profile.name == PROFILE_DEFAULT else profile.name,
            dispatch="dispatch.json",
            plan="plan.json",
            pool="pool.json",
        )
        write(
            f"{key}/dispatch",
            dispatch_announcement(
                step.dispatch,
                directory.inspectors,
                settings,
                enterprises=step.population,
                pool=step.pool,
                verify=recheck,
            ),
        )
    write("results", results_publicity(year.ledger, settings))
    figures = year_figures(
        year.ledger,
        profile,
        directory=directory.enterprises,
        draws=[step.record for step in year.steps],
        dispatches=[step.dispatch for step in year.steps],
    )
    write(f"report-{year.ledger.year}", annual_report(figures, settings))


def _write_report(writer: _Writer, stem: str, report: Report) -> None:
    writer.text(f"{stem}.json", report_json(report) + "\n")
    writer.text(f"{stem}.txt", report.to_text())


def _write_planting(writer: _Writer, planting: Planting) -> None:
    save_ledger(planting.ledger, writer.path("ledger-with-violations.json"))
    planted = {
        "planted": [
            {
                "kind": p.kind.name,
                "rule": p.kind.rule,
                "zh": p.kind.zh,
                "en": p.kind.en,
                "subjects": sorted(subject for _, subject in p.expected),
            }
            for p in planting.planted
        ],
        "skipped": [
            {"kind": s.kind.name, "rule": s.kind.rule, "zh": s.reason_zh, "en": s.reason_en}
            for s in planting.skipped
        ],
    }
    writer.text("planted.json", json.dumps(planted, ensure_ascii=False, indent=2) + "\n")


# --- printing -------------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, *, right: bool) -> str:
    space = " " * max(0, width - _width(text))
    return space + text if right else text + space


def _table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], *, align: str, indent: str = "  "
) -> list[str]:
    """Aligned columns, ``align`` giving each column's side (``"l"`` or ``"r"``)."""
    body = [list(row) for row in rows]
    widths = [max(_width(r[i]) for r in (headers, *body)) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        cells = [_pad(cell, widths[i], right=align[i] == "r") for i, cell in enumerate(row)]
        return (indent + "  ".join(cells)).rstrip()

    rule = indent + "  ".join("-" * w for w in widths)
    return [line(headers), rule, *(line(row) for row in body)]


def _n(value: int) -> str:
    return f"{value:,}"


def _short(digest: str) -> str:
    return digest[: len("sha256:") + 8] + "…"


_SHORT_TITLES: Final = {
    simulation.LABOUR_1: "劳动监察第1轮",
    simulation.JOINT: "社保联合抽查",
    simulation.SOCIAL: "社保稽核",
    simulation.LABOUR_2: "劳动监察第2轮",
}


def _label(step: DrawStep) -> str:
    return f"{_SHORT_TITLES.get(step.key, step.title_zh)} {step.key}"


def _directory_lines(year: SimulatedYear) -> list[str]:
    directory = year.directory
    plan = directory.labour_plan
    districts = len({e.district for e in directory.enterprises})
    return [
        "1 名录与计划 / directory and plans",
        f"  企业 enterprises {_n(len(directory.enterprises))}（{districts} 个区 districts）"
        f" · 执法检查人员 inspectors {_n(len(directory.inspectors))}"
        f" · 申报利害关系 conflicts {_n(len(directory.conflicts))}",
        f"  抽查事项清单 check-item lists {len(directory.check_item_lists)}"
        f" · 抽查计划 plans {len(directory.plans)}"
        f"（{plan.submitted} 报送 submitted，{plan.published} 公布 published）",
        f"  劳动保障监察 labour inspection: 比例 ratio {plan.ratio}，{plan.rounds} 轮 rounds，"
        f"每组 team {plan.team_size} 人，跨区 ≤ {plan.cross_district.maximum} from other districts",
    ]


def _draw_lines(year: SimulatedYear) -> list[str]:
    rows = []
    for step in year.steps:
        published, fixed = step.commitment.published, step.record.seed.fixed
        assert published is not None
        assert fixed is not None
        rows.append(
            (
                _label(step),
                f"{step.window.start:%m-%d}–{step.window.end:%m-%d}",
                _n(step.frame.population),
                _n(step.commitment.cap_reached),
                _n(step.record.sample_size),
                f"{published:%m-%d %H:%M} < {fixed:%m-%d %H:%M}",
                _short(step.commitment.frame_digest),
            )
        )
    return [
        "2 抽取检查对象 / draw the targets"
        "（先公布名录承诺，再确定种子 / commit first, then the seed）",
        *_table(
            (
                "抽取 draw",
                "时间 window",
                "名录 frame",
                "排除 capped",
                "抽中 drawn",
                "承诺 < 种子 commit < seed",
                "承诺值 commitment",
            ),
            rows,
            align="llrrrll",
        ),
    ]


_GRADES: Final = (Grade.A, Grade.B, Grade.C, Grade.UNRATED)


def _strata_lines(step: DrawStep, profile: Profile) -> list[str]:
    """The per-stratum table of a district × grade draw, as drawn/eligible per cell."""
    cells = {s.name: (s.sample_size, s.population) for s in step.record.strata}
    rows = []
    totals = {grade: [0, 0] for grade in _GRADES}
    # The synthetic directory is Tianjin's whatever the profile.
    for district in (d.name for d in TIANJIN_HRSS.districts):
        row = [district]
        drawn_total = eligible_total = 0
        for grade in _GRADES:
            drawn, eligible = cells.get(f"{district}|{grade.value}", (0, 0))
            totals[grade][0] += drawn
            totals[grade][1] += eligible
            drawn_total += drawn
            eligible_total += eligible
            row.append(f"{drawn}/{_n(eligible)}")
        row.append(f"{drawn_total}/{_n(eligible_total)}")
        rows.append(row)
    footer = ["合计 total", *(f"{totals[g][0]}/{_n(totals[g][1])}" for g in _GRADES)]
    footer.append(
        f"{step.record.sample_size}/{_n(step.frame.population)}",
    )
    table = _table(
        ("区 district", *(f"{g.zh} {g.value}" for g in _GRADES), "合计 total"),
        [*rows, footer],
        align="lrrrrr",
    )
    allocated = (
        [
            "  样本按各层总权重分配，入样概率与权重成正比 / sample divided among strata by total "
            "weight"
        ]
        if step.plan.allocation is SampleAllocation.PROPORTIONAL_TO_WEIGHT
        else []
    )
    return [
        f"  {_label(step)} 分层 strata（抽中/名录 drawn/eligible，比例 ratio {step.plan.ratio}，"
        f"权重 weights A {profile.grade_weight(Grade.A)}, B {profile.grade_weight(Grade.B)}, "
        f"C {profile.grade_weight(Grade.C)}）",
        *allocated,
        *table[:-1],
        table[1],
        table[-1],
    ]


def _dispatch_lines(year: SimulatedYear) -> list[str]:
    staff = year.directory.inspectors
    rows = []
    for step in year.steps:
        s = summarize(step.dispatch, staff)
        rows.append(
            (
                _label(step),
                _n(s.teams),
                _n(s.seats),
                f"{s.serving}/{s.qualified}",
                f"{s.load_min}–{s.load_max} (≤{s.load_cap})",
                f"{format_fraction(s.cross_district_share * 100, 1)} %",
                _n(s.recusals),
            )
        )
    return [
        "3 选派执法检查人员 / dispatch the inspectors"
        "（回避、人数、跨区、任务量 / recusal, size, districts, load）",
        *_table(
            (
                "抽取 draw",
                "检查组 teams",
                "人次 seats",
                "参与/合格 serving",
                "任务量 load",
                "跨区 cross-district",
                "回避 recusals",
            ),
            rows,
            align="lrrrrrr",
        ),
    ]


def _year_lines(year: SimulatedYear) -> list[str]:
    ledger = year.ledger
    random = [x for x in ledger.inspections if x.kind is InspectionKind.RANDOM]
    targeted = len(ledger.inspections) - len(random)
    joint = len({x.joint_visit for x in random if x.joint_visit is not None})
    kinds = dict.fromkeys(PublicationKind, 0)
    for publication in ledger.publications:
        kinds[publication.kind] += 1
    days = min((p.end - p.start).days + 1 for p in ledger.publicities)
    return [
        "4 全年台账 / the year's ledger（模拟 / simulated）",
        f"  检查 inspections {_n(len(ledger.inspections))}：随机 random {_n(len(random))}，"
        f"针对性 targeted {targeted}（投诉举报 complaints）",
        f"  联合检查 joint visits {joint}（劳动监察与社保稽核两项一次上门 / two lines' items in "
        "one visit）",
        f"  总结报告 reports {_n(len(ledger.reports))} · 发现违法 violations "
        f"{_n(len(ledger.violations))}（处理决定已公示 decisions published）",
        f"  结果公示 publicity {len(ledger.publicities)} 批 batches ≥ {days} 天 days"
        f" · 异议 objections {len(ledger.objections)}（反馈前复核 reviewed first）",
        f"  反馈 feedback {_n(len(ledger.feedback))}（公示期满后由检查组作出 by the team, after "
        "publicity）",
        # The ledger records the publications Art. 3 names; the dispatch announcements and
        # the year's report are published too, and counted with them.
        f"  公开 publications {len(ledger.publications) + len(year.steps) + 1}：清单 lists "
        f"{kinds[PublicationKind.ITEM_LIST]}，计划 plans {kinds[PublicationKind.PLAN]}，"
        f"抽取 draws {kinds[PublicationKind.DRAW]}，选派 dispatches {len(year.steps)}，"
        f"结果 results {kinds[PublicationKind.RESULTS]}，年度报告 report 1",
        f"    （台账记录前四类 the ledger records lists, plans, draws and results: "
        f"{len(ledger.publications)}；身份证号脱敏 ids masked）",
    ]


_COLUMNS: Final = (
    Outcome.PASS,
    Outcome.VIOLATION,
    Outcome.WARNING,
    Outcome.UNKNOWN,
    Outcome.NOT_APPLICABLE,
)

_WIDTH: Final = 120
"""The widest line the tables aim for; the rules' Chinese titles are shortened to fit."""


def _clip(text: str, width: int) -> str:
    if _width(text) <= width:
        return text
    while _width(text) > width - 1:
        text = text[:-1]
    return text + "…"


def _audit_lines(report: Report, title: str, profile: Profile) -> list[str]:
    headers = ("规则 rule", "条款 art.", *(outcome.zh for outcome in _COLUMNS))
    rows = [
        [
            rule_id,
            profile.citation(rule_id).article.en,
            *(_n(per.get(outcome, 0)) for outcome in _COLUMNS),
        ]
        for rule_id, per in report.counts.items()
    ]
    used = len(_table(headers, rows, align="llrrrrr")[1])
    room = _WIDTH - used - 2
    if room >= 16:
        headers = (*headers, "内容 what")
        for row in rows:
            row.append(_clip(profile.citation(row[0]).title.zh, room))
    legend = " · ".join(f"{outcome.zh} {outcome.value}" for outcome in _COLUMNS)
    return [f"5 {title}", *_table(headers, rows, align="llrrrrrl"), f"  （{legend}）"]


def _finding_lines(report: Report, outcomes: Iterable[Outcome]) -> list[str]:
    wanted = set(outcomes)
    lines = []
    for finding in report.findings:
        if finding.outcome not in wanted:
            continue
        lines.append(
            f"  - [{finding.outcome.zh} {finding.outcome.value}] {finding.rule} "
            f"{finding.article} @ {finding.subject}"
        )
        lines.append(f"    {finding.message_zh}")
        lines.append(f"    {finding.message_en}")
    return lines


def _verdict(report: Report) -> str:
    violations = report.count(outcome=Outcome.VIOLATION)
    warnings = report.count(outcome=Outcome.WARNING)
    unknown = report.count(outcome=Outcome.UNKNOWN)
    if violations == 0:
        head = "合法 lawful：未发现违规 / no violation"
    else:
        head = f"违规 {violations} 项 / {violations} violation(s)"
    return f"{head}；警示 warnings {warnings}，无法判断 unknown {unknown}"


def _commands(out: Path, year: SimulatedYear, profile: str, planted: bool) -> list[list[str]]:
    """The commands that re-check the output, relative to ``out``; ``profile`` is the
    ``--profile`` they pass (a registered name, or the absolute path of a profile file)."""
    extra = [] if profile == PROFILE_DEFAULT else ["--profile", profile]
    commands = []
    for step in year.steps:
        key = step.key
        enterprises = (
            "enterprises.csv"
            if step.population is year.directory.enterprises
            else f"{key}/enterprises.csv"
        )
        history = ["--history", f"{key}/history.json"] if step.history else []
        commands.append(
            [
                "randcheck",
                "verify",
                f"{key}/draw.json",
                "--enterprises",
                enterprises,
                *history,
                "--commitment",
                f"{key}/commitment.json",
                "--record-digest",
                step.record.digest(),
                *extra,
            ]
        )
        commands.append(
            [
                "randcheck",
                "verify",
                f"{key}/dispatch.json",
                "--draw",
                f"{key}/draw.json",
                "--enterprises",
                enterprises,
                "--plan",
                f"{key}/plan.json",
                "--pool",
                f"{key}/pool.json",
                "--record-digest",
                step.dispatch.digest(),
                *extra,
            ]
        )
        if step.pool_salt is not None:
            # The public check names the teams behind salted pairs (exit 3); the oversight
            # office's, with the salt, re-derives them.
            commands.append([*commands[-1], "--salt", f"{key}/pool-salt.json"])
    # The audit counts publicity with the demo's stated calendar (calendar.json), as here.
    calendar = ["--calendar", CALENDAR] if _calendar_of(year) is not None else []
    commands.append(["randcheck", "audit", "ledger.json", *calendar, *extra])
    if planted:
        commands.append(["randcheck", "audit", "ledger-with-violations.json", *calendar, *extra])
    return commands


def _progress(enabled: bool) -> Callable[[str], None] | None:
    if not enabled:
        return None

    def note(label: str) -> None:
        print(f"\r\033[K… {label}", end="", file=sys.stderr, flush=True)

    return note


def _done_progress(enabled: bool) -> None:
    if enabled:
        print("\r\033[K", end="", file=sys.stderr, flush=True)


# --- the command ----------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    """Run the demo; returns the exit code (0 lawful, 1 violations)."""
    started = time.monotonic()
    profile: Profile = get_profile(args.profile)
    out = Path(args.out)
    _prepare(out, force=args.force)
    show = not args.quiet
    ticking = show and sys.stderr.isatty()
    note = _progress(ticking)

    if note is not None:
        note("名录 directory")
    directory = simulation.demo_directory(
        seed=args.seed, year=args.year, enterprises=args.enterprises, inspectors=args.inspectors
    )
    with warnings.catch_warnings(record=True) as caught:
        # Said once each in the printed summary, not as Python warnings with file and line.
        warnings.simplefilter("always", GradePreferenceCancelledWarning)
        try:
            year = simulation.simulate_year(directory, profile, progress=note)
        except ValidationError as exc:
            # The simulated year is built on the Tianjin lines, districts and grade strata.
            raise ValidationError(
                f"演示年度按天津人社的条线、区和等级分层模拟，政策配置 {profile.name} 无法运行 / "
                f"the demo simulates a year on cn-tj-hrss's lines, districts and grade strata; "
                f"profile {profile.name} cannot run it: {exc.text.en or exc}",
                field="--profile",
                expected="cn-tj-hrss or a profile with the same lines, districts and strata",
                got=profile.name,
            ) from exc
    cancelled = len({str(w.message) for w in caught})
    cautions = (
        [
            f"{cancelled} 个计划按等级分层且各层比例相同，等级权重不起作用",
            f"{cancelled} plan(s) stratify by grade at one ratio: the profile's grade weights "
            "cancel (R-GRADE-WEIGHT)",
        ]
        if cancelled
        else []
    )
    if note is not None:
        note("审计 audit")
    report = audit(year.ledger, profile, calendar=year.calendar)
    planting: Planting | None = None
    if args.with_violations:
        if note is not None:
            note("植入违规 planting violations")
        planting = plant(year.ledger, profile, seed=args.seed)
    if note is not None:
        note("写入 writing")
    writer = _Writer(out)
    _write_year(writer, year, profile)
    _write_calendar(writer, year)
    _write_publications(writer, year, profile)
    _write_report(writer, "audit", report)
    if planting is not None:
        _write_planting(writer, planting)
        _write_report(writer, "audit-with-violations", planting.report)
    # A profile file is named by its absolute path, since the commands run inside ``out``.
    given = args.profile if args.profile == profile.name else str(Path(args.profile).resolve())
    commands = _commands(out, year, given, planting is not None)
    writer.json(
        MANIFEST,
        MANIFEST_KIND,
        _Manifest(
            year=args.year,
            seed=args.seed,
            enterprises=args.enterprises,
            inspectors=args.inspectors,
            profile=profile.name,
            with_violations=planting is not None,
            files=(*writer.files, MANIFEST),
        ),
    )
    _done_progress(ticking)

    final = planting.report if planting is not None else report
    stdout = sys.stdout
    try:
        if show:
            _print_body(stdout, year, report, planting, out, args.seed, profile, cautions)
        _print_final(stdout, out, year, final, planting, commands, time.monotonic() - started)
        stdout.flush()
    except BrokenPipeError:
        # The reader stopped early (``randcheck demo | head``); the files are all written.
        silence(stdout)
    return 0 if final.ok else 1


def _print_body(
    stdout: TextIO,
    year: SimulatedYear,
    report: Report,
    planting: Planting | None,
    out: Path,
    seed: str,
    profile: Profile,
    cautions: Sequence[str] = (),
) -> None:
    directory = year.directory
    lines = [
        f"randcheck demo — 双随机一公开 {directory.year}"
        " · 天津市人力资源社会保障（模拟 / simulated）",
        f"种子 seed {seed!r}（演示种子 demo seed）· 政策配置 profile {profile.name}",
        f"输出 out {out}",
        "",
        *_directory_lines(year),
        "",
        *_draw_lines(year),
        *(f"  注意 / note: {caution}" for caution in cautions),
        "",
        *_strata_lines(year.step(simulation.LABOUR_1), profile),
        "",
        *_dispatch_lines(year),
        "",
        *_year_lines(year),
        "",
    ]
    if planting is None:
        lines.extend(_audit_lines(report, f"合规审计 / audit ({profile.name})", profile))
        unknown = _finding_lines(report, (Outcome.UNKNOWN, Outcome.WARNING, Outcome.VIOLATION))
        if unknown:
            lines.extend(["  说明 / notes:", *unknown])
    else:
        lines.extend(
            _audit_lines(
                planting.report,
                f"合规审计（已植入违规）/ audit with planted violations ({profile.name})",
                profile,
            )
        )
        lines.append(
            f"  植入 / planted: {len(planting.planted)} 项 kinds, one per rule that records can "
            "break（R-RULES-VALID 涉及政策配置而非记录 / concerns the profile, not the records）"
        )
        lines.extend(_finding_lines(planting.report, (Outcome.VIOLATION, Outcome.WARNING)))
        for skipped in planting.skipped:
            lines.append(
                f"  未植入 / not planted: {skipped.kind.name} ({skipped.kind.rule}) — "
                f"{skipped.reason_zh} / {skipped.reason_en}"
            )
    lines.append("")
    stdout.write("\n".join(lines) + "\n")


def _print_final(
    stdout: TextIO,
    out: Path,
    year: SimulatedYear,
    report: Report,
    planting: Planting | None,
    commands: Sequence[Sequence[str]],
    seconds: float,
) -> None:
    ledger = year.ledger
    lines = [
        f"结论 / verdict: {_verdict(report)}",
        f"  {_n(len(ledger.inspections))} 次检查 inspections · {len(year.steps)} 次抽取 draws · "
        f"{len(report.counts)} 条规则 rules · 用时 took {seconds:.1f} s",
    ]
    if planting is not None:
        rules = sorted(planting.rules)
        lines.append(
            f"  植入违规 planted {len(planting.planted)}（{len(rules)} 条规则 rules），"
            f"审计全部发现 all reported: {'是 yes' if _all_reported(planting) else '否 NO'}"
        )
    lines.append(
        f"公开 / published: {out / PUBLISHED}（抽取与选派公告、结果公示、年度报告 / draw and "
        "dispatch announcements, results publicity, the year's report: CSV, HTML）"
    )
    lines.append("  每轮的文件夹附有其公告核验命令所需的文件，在该文件夹内运行")
    lines.append(
        "  / each round's folder holds what its announced re-check commands read: run them there"
    )
    lines.append(f"核验 / check it yourself（在 in {out} 下运行 / run）:")
    lines.append(f"  cd {shlex.quote(os.fspath(out))}")
    for command in commands:
        lines.extend(_wrapped(command))
    if planting is not None:
        lines.append(
            "  # 最后一条退出码为 1：植入的违规 / the last one exits 1: the planted violations"
        )
    stdout.write("\n".join(lines) + "\n")


def _wrapped(command: Sequence[str], width: int = 100) -> list[str]:
    """``command`` as shell lines of at most about ``width`` columns, options kept whole."""
    words = [shlex.quote(word) for word in command]
    # An option and its value stay on one line.
    groups: list[str] = []
    for word in words:
        if (
            groups
            and groups[-1].startswith("--")
            and " " not in groups[-1]
            and not word.startswith("--")
        ):
            groups[-1] += " " + word
        else:
            groups.append(word)
    lines = ["  " + groups[0]]
    for group in groups[1:]:
        if len(lines[-1]) + 1 + len(group) + 2 > width:
            lines[-1] += " \\"
            lines.append("      " + group)
        else:
            lines[-1] += " " + group
    return lines


def _all_reported(planting: Planting) -> bool:
    found = {
        (f.rule, f.subject)
        for f in planting.report.findings
        if f.outcome in (Outcome.VIOLATION, Outcome.WARNING)
    }
    return planting.expected <= found
