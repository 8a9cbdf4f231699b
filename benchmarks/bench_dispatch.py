"""Benchmark: dispatch teams for 50,000 drawn enterprises, with a naive baseline in the same run.

Instance: 50,000 synthetic Tianjin enterprises (all drawn), teams of 2, 2,000 labour
inspectors in the 16 districts, declared conflicts for 1 % of the enterprises (plus the
former employers on the inspectors' own records), the demo plan (at most half of a team from
other districts) and the default load cap (even spreading: ceil(100,000 / 2,000) = 50, which
every inspector must reach).

Measured: wall time of ``dispatch`` and of ``verify`` (best of ``--repeat`` runs), their peak
traced memory (``tracemalloc``, in a separate run because tracing slows Python down), and a
naive baseline on the same instance — shuffle the inspector list once, then first-fit from a
rotating position, honouring recusal, the load cap and the district bound but with no repair —
together with how many teams the baseline leaves short.

Run: ``python benchmarks/bench_dispatch.py`` (``--enterprises``/``--inspectors`` to scale).
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import random
import time
import tracemalloc
from collections.abc import Callable, Sequence
from datetime import date
from math import floor
from typing import TypeVar

from randcheck.demo import synthetic
from randcheck.dispatch import DispatchRecord, Verification, dispatch, summarize, verify
from randcheck.domain import Conflict, Enterprise, Inspector, Line, Plan
from randcheck.profiles import TIANJIN_HRSS

T = TypeVar("T")
DAY = date(2027, 4, 1)


class Draw:
    """A draw record stand-in: the benchmark measures dispatch, not the draw."""

    def __init__(self, ids: Sequence[str]) -> None:
        self._ids = tuple(sorted(ids))
        self._digest = "sha256:" + hashlib.sha256("\n".join(self._ids).encode()).hexdigest()

    def selected_ids(self) -> tuple[str, ...]:
        return self._ids

    def digest(self) -> str:
        return self._digest


def timed(function: Callable[[], T], repeat: int) -> tuple[float, T]:
    """Best wall time over ``repeat`` runs, and the last result."""
    best = float("inf")
    result: T | None = None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    assert result is not None
    return best, result


def peak_mib(function: Callable[[], object]) -> float:
    """Peak memory traced while ``function`` runs, in MiB."""
    gc.collect()
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def naive(
    ents: Sequence[Enterprise],
    staff: Sequence[Inspector],
    conflicts: Sequence[Conflict],
    plan: Plan,
    cap: int,
) -> int:
    """Shuffle once, then first-fit from a rotating position; returns the number of short teams."""
    size = max(plan.team_size, TIANJIN_HRSS.min_team_size)
    most_outside = floor(plan.cross_district.maximum * size)
    pool = [i for i in staff if plan.line in i.lines and i.certificate_valid_on(DAY)]
    random.Random(2027).shuffle(pool)
    barred = {(c.inspector, c.enterprise) for c in conflicts}
    barred |= {(i.key, code) for i in pool for code, _ in i.interests()}
    load = dict.fromkeys((i.key for i in pool), 0)
    position = 0
    short = 0
    for target in ents:
        team: list[Inspector] = []
        outside = 0
        for step in range(len(pool)):
            person = pool[(position + step) % len(pool)]
            away = person.district != target.district
            if (
                load[person.key] < cap
                and (person.key, target.uscc) not in barred
                and person not in team
                and not (away and outside == most_outside)
            ):
                team.append(person)
                load[person.key] += 1
                outside += away
                if len(team) == size:
                    position = (position + step + 1) % len(pool)
                    break
        short += len(team) < size
    return short


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=50_000)
    parser.add_argument("--inspectors", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    ents = list(synthetic.enterprises(args.enterprises, seed="bench"))
    staff = [
        i
        for i in synthetic.inspectors(args.inspectors * 2, seed="bench")
        if Line.LABOUR_INSPECTION in i.lines
    ][: args.inspectors]
    conflicts = synthetic.conflicts(staff, ents, per_mille=10, seed="bench")
    plan = synthetic.demo_plan(2027)
    draw = Draw([e.uscc for e in ents])

    def run() -> DispatchRecord:
        return dispatch(draw, ents, staff, conflicts, plan, TIANJIN_HRSS, seed="bench", on=DAY)

    dispatch_time, record = timed(run, args.repeat)

    def check() -> Verification:
        return verify(record, draw, ents, staff, conflicts, plan, TIANJIN_HRSS)

    verify_time, verification = timed(check, args.repeat)
    assert verification.ok, verification.differences

    def baseline() -> int:
        return naive(ents, staff, conflicts, plan, record.load_cap)

    naive_time, naive_short = timed(baseline, args.repeat)
    dispatch_peak = peak_mib(run)
    verify_peak = peak_mib(check)
    naive_peak = peak_mib(baseline)

    summary = summarize(record, staff)
    districts = len({i.district for i in staff})
    print(
        f"Instance: {len(ents):,} drawn enterprises, teams of {record.team_size}, "
        f"{len(staff):,} inspectors in {districts} districts, {len(conflicts):,} declared "
        f"conflicts (1 % of enterprises), {summary.recusals:,} recusals applied; cross-district "
        f"share at most {plan.cross_district.maximum}; load cap {record.load_cap} "
        f"({record.load_cap_source.value}). Best of {args.repeat} runs."
    )
    print()
    print("| step | time (s) | peak traced memory (MiB) | teams short | vs. baseline |")
    print("|---|---:|---:|---:|---:|")
    rows = [
        ("randcheck dispatch", dispatch_time, dispatch_peak, 0),
        ("randcheck verify (re-run + compare)", verify_time, verify_peak, 0),
        ("naive shuffle + first-fit", naive_time, naive_peak, naive_short),
    ]
    for name, seconds, peak, short in rows:
        print(f"| {name} | {seconds:.2f} | {peak:.1f} | {short:,} | {seconds / naive_time:.1f}x |")
    print()
    print(
        f"Loads: min {summary.load_min}, max {summary.load_max}; cross-district share "
        f"{summary.cross_district_share} of seats; every team lawful (verify: ok)."
    )


if __name__ == "__main__":
    main()
