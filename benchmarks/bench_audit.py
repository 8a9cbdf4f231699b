"""Audit of a year with 100,000 inspections, against the time to merely load it.

Builds a synthetic lawful year (deterministic: synthetic Tianjin directories, two rounds of
draws, a team per target, reports, publicity, feedback, some objections and findings of
violation), writes it as JSON Lines, then measures in the same run:

* **json.loads**: ``json.loads`` of every line of the file, nothing else (the floor);
* **orjson.loads**: the same with orjson (extra ``fast``), which ``load_ledger`` decodes with
  when it is installed: shown for what parsing alone costs, not as the floor;
* **load**: ``load_ledger`` of the JSON Lines file (parse and structure every record);
* **audit**: ``audit(ledger, profile)``, all rules, best of ``--repeat`` runs;
* **load + audit**, beside the floor: the target is at most 3 × ``json.loads``.

The ratios survive a noisy machine; the absolute audit time is a target too
(≤ 2 s for 100,000 inspections).

Run: ``python benchmarks/bench_audit.py [--inspections 100000] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TypeVar

from randcheck.demo import synthetic
from randcheck.demo.simulation import demo_calendar
from randcheck.domain import Enterprise, Inspector, Line
from randcheck.ledger import (
    CommitmentEntry,
    DispatchEntry,
    Disposition,
    DrawEntry,
    Feedback,
    FeedbackMode,
    Inspection,
    Ledger,
    Objection,
    Publication,
    PublicationKind,
    Publicity,
    SummaryReport,
    TeamEntry,
    UnitWeight,
    ViolationRecord,
    load_ledger,
    save_ledger,
)
from randcheck.profiles import TIANJIN_HRSS
from randcheck.rules import RecusalIndex
from randcheck.validators import Outcome, audit

T = TypeVar("T")
TZ = timezone(timedelta(hours=8))
YEAR = 2027
LABOUR = Line.LABOUR_INSPECTION
# The demo's stated working-day calendar: without holiday data the publicity periods of a
# lawful year would be "unknown" (R-PUBLICITY).
CALENDAR = demo_calendar(YEAR)


def _digest(*parts: object) -> str:
    return "sha256:" + hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def _teams(
    enterprises: list[Enterprise], inspectors: list[Inspector]
) -> dict[str, tuple[str, str]]:
    """Two inspectors per enterprise, from its district, none with an interest in it."""
    by_district: dict[str, list[str]] = {}
    # Every member holds an enforcement certificate (R-TEAM): a lawful year's teams do.
    certified = [inspector for inspector in inspectors if inspector.certificate_no]
    for inspector in certified:
        if LABOUR in inspector.lines:
            by_district.setdefault(inspector.district, []).append(inspector.key)
    everyone = [inspector.key for inspector in certified]
    recusals = RecusalIndex.build(inspectors, ())
    teams: dict[str, tuple[str, str]] = {}
    for n, enterprise in enumerate(enterprises):
        pool = by_district.get(enterprise.district, everyone)
        if len(pool) < 2:
            pool = everyone
        chosen: list[str] = []
        k = n
        while len(chosen) < 2:
            key = pool[k % len(pool)]
            if key not in chosen and not recusals.must_recuse(key, enterprise.uscc):
                chosen.append(key)
            k += 1
        teams[enterprise.uscc] = (chosen[0], chosen[1])
    return teams


def build_year(n_inspections: int) -> Ledger:
    """A lawful synthetic year with ``n_inspections`` random inspections in two rounds."""
    per_round = n_inspections // 2
    n_enterprises = per_round * 8 // 5
    enterprises = list(synthetic.enterprises(n_enterprises, seed="bench"))
    inspectors = synthetic.inspectors(300, seed="bench", year=YEAR)
    item_list = synthetic.demo_check_item_list(LABOUR, effective=date(YEAR - 1, 1, 1))
    plan = synthetic.demo_plan(YEAR, LABOUR, items=item_list)
    items = tuple(item.code for item in item_list.items[:3])
    teams = _teams(enterprises, inspectors)
    weights = tuple(
        UnitWeight(enterprise=e.uscc, weight=TIANJIN_HRSS.weight(e)) for e in enterprises
    )

    commitments, draws, dispatches, publications = [], [], [], []
    inspections: list[Inspection] = []
    reports, publicities, feedback, objections, violations = [], [], [], [], []
    for r, window in enumerate(plan.windows):
        offset = r * (n_enterprises - per_round)
        chosen = [enterprises[(i + offset) % n_enterprises] for i in range(per_round)]
        draw_id = _digest("draw", r)
        dispatch_id = _digest("dispatch", r)
        published = datetime.combine(window.start - timedelta(days=10), datetime.min.time(), TZ)
        fixed = published + timedelta(days=5)
        commitments.append(
            CommitmentEntry(digest=_digest("commit", r), plan=plan.code, published=published)
        )
        draws.append(
            DrawEntry(
                id=draw_id,
                plan=plan.code,
                commitment=_digest("commit", r),
                commitment_published=published,
                seed=f"{fixed.date()} 福彩3D {r}",
                seed_source="中国福利彩票 3D",
                seed_fixed=fixed,
                selected=tuple(sorted(e.uscc for e in chosen)),
                weights=weights,
                round=r,
            )
        )
        dispatches.append(
            DispatchEntry(
                id=dispatch_id,
                draw=draw_id,
                teams=tuple(
                    TeamEntry(enterprise=e.uscc, inspectors=teams[e.uscc])
                    for e in sorted(chosen, key=lambda e: e.uscc)
                ),
            )
        )
        span = (window.end - window.start).days - 20
        ids = []
        for k, enterprise in enumerate(chosen):
            started = window.start + timedelta(days=k % span)
            finished = started + timedelta(days=1)
            inspection_id = f"LI-{YEAR}-{r}-{k:06d}"
            ids.append(inspection_id)
            unit = f"{enterprise.district}劳动保障监察大队{k % 5 + 1}组"
            inspections.append(
                Inspection(
                    id=inspection_id,
                    enterprise=enterprise.uscc,
                    lines=(LABOUR,),
                    items=items,
                    team=teams[enterprise.uscc],
                    unit=unit,
                    started=started,
                    finished=finished,
                    draw=draw_id,
                    dispatch=dispatch_id,
                )
            )
            reports.append(
                SummaryReport(
                    inspection=inspection_id,
                    conclusion="未发现违法行为",
                    handling_opinion="无需处理",
                    dated=finished,
                )
            )
            # The minimum period as the profile counts it: the day of posting not counted, a
            # last day on a rest day moved to the next working day (民法典 Art. 201, 203).
            start = finished + timedelta(days=1)
            end = TIANJIN_HRSS.publicity_end(start, CALENDAR)
            publicities.append(
                Publicity(
                    id=f"PUB-{inspection_id}",
                    inspections=(inspection_id,),
                    start=start,
                    end=end,
                    channel="天津市人力资源和社会保障局门户网站",
                    text=f"{enterprise.name}检查结果：未发现违法行为。监督电话 022-2345 6789。",
                )
            )
            feedback.append(
                Feedback(
                    inspection=inspection_id,
                    dated=end + timedelta(days=1),
                    mode=FeedbackMode.WRITTEN if k % 3 else FeedbackMode.IN_PERSON,
                    issued_by=unit,
                )
            )
            if k % 100 == 7:
                objections.append(
                    Objection(
                        id=f"OBJ-{inspection_id}",
                        inspection=inspection_id,
                        opened=start + timedelta(days=2),
                        review_finished=end,
                    )
                )
            if k % 30 == 11:
                violations.append(
                    ViolationRecord(
                        id=f"V-{inspection_id}",
                        inspection=inspection_id,
                        description="未按规定签订书面劳动合同",
                        disposition=Disposition.ORDER_TO_RECTIFY,
                        decided=finished + timedelta(days=3),
                        published=finished + timedelta(days=10),
                    )
                )
        publications.append(
            Publication(
                id=f"PUBL-DRAW-{r}",
                kind=PublicationKind.DRAW,
                subjects=(draw_id,),
                published=window.start - timedelta(days=3),
                text=f"{YEAR} 年第 {r + 1} 轮随机抽取结果",
            )
        )
        publications.append(
            Publication(
                id=f"PUBL-RESULTS-{r}",
                kind=PublicationKind.RESULTS,
                subjects=tuple(ids),
                published=window.end + timedelta(days=30),
                text=f"{YEAR} 年第 {r + 1} 轮检查结果汇总",
            )
        )
    return Ledger(
        year=YEAR,
        title=f"{YEAR} 年度劳动保障监察“双随机一公开”台账（合成数据）",
        check_item_lists=(item_list,),
        plans=(plan,),
        commitments=commitments,
        draws=draws,
        dispatches=dispatches,
        inspections=inspections,
        reports=reports,
        violations=violations,
        publicities=publicities,
        objections=objections,
        feedback=feedback,
        publications=publications,
        enterprises=enterprises,
        inspectors=inspectors,
    )


def _json_lines(path: Path) -> int:
    with path.open("rb") as stream:
        for line in stream:
            json.loads(line)
    return 1


def _orjson_lines(path: Path) -> int:
    import orjson

    with path.open("rb") as stream:
        for line in stream:
            orjson.loads(line)
    return 1


def _timed(function: Callable[[], T], repeat: int) -> tuple[T, list[float]]:
    result: T | None = None
    times = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    assert result is not None
    return result, times


def main() -> None:
    """Build, save, load and audit; print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inspections", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    started = time.perf_counter()
    ledger = build_year(args.inspections)
    built = time.perf_counter() - started
    profile = TIANJIN_HRSS
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "year.jsonl"
        save_ledger(ledger, path)
        size = path.stat().st_size
        _, floor_times = _timed(lambda: _json_lines(path), args.repeat)
        try:
            _, orjson_times = _timed(lambda: _orjson_lines(path), args.repeat)
        except ImportError:
            orjson_times = []
        loaded, load_times = _timed(lambda: load_ledger(path), 1)
    assert loaded == ledger
    del loaded
    report, audit_times = _timed(lambda: audit(ledger, profile, calendar=CALENDAR), args.repeat)

    load = load_times[0]
    best = min(audit_times)
    print(
        f"ledger: {len(ledger.inspections):,} inspections, {ledger.record_count():,} records, "
        f"{size / 1e6:.0f} MB of JSON Lines (built in {built:.1f} s)"
    )
    print(
        f"audit: {report.count(outcome=Outcome.VIOLATION)} violation(s), "
        f"{report.count(outcome=Outcome.WARNING)} warning(s), "
        f"{report.count(outcome=Outcome.PASS):,} passes"
    )
    print()
    print("| step | seconds | vs. load |")
    print("|---|---:|---:|")
    print(f"| load (`load_ledger`, JSON Lines) | {load:.2f} | 1.00 |")
    print(
        f"| audit (`audit`, {len(report.counts)} rules), best of {len(audit_times)} "
        f"| {best:.2f} | {best / load:.2f} |"
    )
    if len(audit_times) > 1:
        median = statistics.median(audit_times)
        print(f"| audit, median | {median:.2f} | {median / load:.2f} |")
    floor = min(floor_times)
    print(f"| json.loads of every line (floor), best | {floor:.2f} | {floor / load:.2f} |")
    if orjson_times:
        fastest = min(orjson_times)
        print(f"| orjson.loads of every line, best | {fastest:.2f} | {fastest / load:.2f} |")
    print()
    print(f"load + audit: {load + best:.2f} s = {(load + best) / floor:.1f} × json.loads")
    target = "met" if best <= 2.0 else "NOT met"
    print(f"target audit <= 2 s: {target}")
    target = "met" if load + best <= 3 * floor else "NOT met"
    print(f"target load + audit <= 3 x json.loads: {target}")


if __name__ == "__main__":
    main()
