"""Checking a dispatch record by re-running it (R-RANDOM).

:func:`verify` recomputes everything a record states that follows from its inputs — the
digests of the inputs, the rule parameters, the load cap, every team, every recusal, and every
replacement's substitute — and names each difference. What a record states *as given* (the
source of the seed, a replacement's reason and date) cannot be recomputed; pass the digest
published with the record as ``published_digest`` to pin those too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import attrs

from randcheck.domain import Conflict, Enterprise, Inspector, Plan
from randcheck.errors import InfeasibleDispatch, ValidationError
from randcheck.profiles import Profile

from .eligibility import conflicts_digest, directory_digest
from .engine import DrawLike, Round, _record, solve
from .record import ALGORITHM_VERSION, DispatchRecord, DispatchVerification
from .replacement import substitute

__all__ = ["verify"]


def verify(
    record: DispatchRecord,
    draw: DrawLike,
    enterprises: Iterable[Enterprise] | Mapping[str, Enterprise],
    inspectors: Iterable[Inspector],
    conflicts: Iterable[Conflict],
    plan: Plan,
    profile: Profile,
    *,
    published_digest: str | None = None,
) -> DispatchVerification:
    """Re-run the dispatch and its replacements and name every difference from ``record``.

    Each difference is one line such as ``"teams[91120101…]: recorded A, B; re-run A, C"``.
    The result is truthy when there is none.
    """
    differences: list[str] = []
    if published_digest is not None and record.digest() != published_digest:
        differences.append(f"digest: published {published_digest}; record {record.digest()}")
    if record.algorithm != ALGORITHM_VERSION:
        differences.append(f"algorithm: recorded {record.algorithm}; this is {ALGORITHM_VERSION}")
        return DispatchVerification(differences=differences)
    staff = list(inspectors)
    rows = list(conflicts)
    draw_digest, staff_digest, rows_digest = (
        draw.digest(),
        directory_digest(staff),
        conflicts_digest(rows),
    )
    _compare(differences, "draw_digest", record.draw_digest, draw_digest)
    _compare(differences, "inspectors_digest", record.inspectors_digest, staff_digest)
    _compare(differences, "conflicts_digest", record.conflicts_digest, rows_digest)
    try:
        rnd = Round(
            draw_ids=draw.selected_ids(),
            enterprises=enterprises,
            inspectors=staff,
            conflicts=rows,
            plan=plan,
            profile=profile,
            seed=record.seed,
            on=record.inspection_date,
        )
        run, source = solve(rnd, plan.load_cap)
    except (InfeasibleDispatch, ValidationError) as exc:
        differences.append(f"teams: the re-run forms no teams: {exc}")
        return DispatchVerification(differences=differences)
    expected = _record(
        rnd,
        run,
        source,
        seed_source=record.seed_source,
        draw_digest=draw_digest,
        inspectors_digest=staff_digest,
        conflicts_digest=rows_digest,
        on=record.inspection_date,
    )
    for name in (
        "plan_code",
        "line",
        "team_size",
        "cross_district",
        "load_cap",
        "load_cap_source",
        "distinct_sections",
    ):
        _compare(differences, name, getattr(record, name), getattr(expected, name))
    _compare_teams(differences, record, expected)
    _compare_recusals(differences, "recusals", record.recusals, expected.recusals)
    _verify_replacements(differences, record, staff, rows)
    return DispatchVerification(differences=differences)


def _show(value: object) -> str:
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value) or "(none)"
    if isinstance(value, date):
        return value.isoformat()
    return str(getattr(value, "value", value))


def _compare(differences: list[str], name: str, recorded: object, rerun: object) -> None:
    if recorded != rerun:
        differences.append(f"{name}: recorded {_show(recorded)}; re-run {_show(rerun)}")


def _compare_teams(
    differences: list[str], record: DispatchRecord, expected: DispatchRecord
) -> None:
    recorded = {team.enterprise: team for team in record.teams}
    rerun = {team.enterprise: team for team in expected.teams}
    if len(recorded) != len(record.teams):
        differences.append("teams: an enterprise has more than one team")
    if [t.enterprise for t in record.teams] != sorted(recorded):
        differences.append("teams: not sorted by enterprise")
    for code in sorted(recorded.keys() | rerun.keys()):
        mine, theirs = recorded.get(code), rerun.get(code)
        if mine is None:
            differences.append(f"teams[{code}]: missing; re-run {_show(theirs and theirs.members)}")
        elif theirs is None:
            differences.append(f"teams[{code}]: recorded but the enterprise was not drawn")
        elif mine != theirs:
            if mine.members != theirs.members:
                differences.append(
                    f"teams[{code}]: recorded {_show(mine.members)}; re-run {_show(theirs.members)}"
                )
            if mine.district != theirs.district:
                differences.append(
                    f"teams[{code}].district: recorded {mine.district}; re-run {theirs.district}"
                )


def _compare_recusals(
    differences: list[str], name: str, recorded: tuple[object, ...], rerun: tuple[object, ...]
) -> None:
    if recorded == rerun:
        return
    extra = [r for r in recorded if r not in rerun]
    missing = [r for r in rerun if r not in recorded]
    for r in extra:
        differences.append(f"{name}: recorded but not found: {_recusal_text(r)}")
    for r in missing:
        differences.append(f"{name}: found but not recorded: {_recusal_text(r)}")
    if not extra and not missing:
        differences.append(f"{name}: not in canonical order")


def _recusal_text(recusal: object) -> str:
    enterprise = getattr(recusal, "enterprise", "?")
    inspector = getattr(recusal, "inspector", "?")
    grounds = "+".join(g.value for g in getattr(recusal, "grounds", ()))
    return f"{inspector} / {enterprise} ({grounds})"


def _verify_replacements(
    differences: list[str],
    record: DispatchRecord,
    staff: list[Inspector],
    rows: list[Conflict],
) -> None:
    # Replay on top of the recorded history so that one wrong entry is named once, not again
    # in every later one.
    base = attrs.evolve(record, replacements=())
    declared: list[Conflict] = []
    for n, entry in enumerate(record.replacements):
        name = f"replacements[{n}]"
        declared.extend(entry.declared)
        so_far = attrs.evolve(base, replacements=record.replacements[:n])
        members = {t.enterprise: t.members for t in so_far.current_teams()}
        if entry.outgoing not in members.get(entry.enterprise, ()):
            # Later entries build on this one; there is no history left to replay them on.
            differences.append(
                f"{name}: {entry.outgoing} was not in the team of {entry.enterprise}; "
                "later replacements not checked"
            )
            break
        try:
            incoming, recusals = substitute(
                so_far,
                n,
                enterprise=entry.enterprise,
                outgoing=entry.outgoing,
                staff=staff,
                conflicts=[*rows, *declared],
            )
        except InfeasibleDispatch as exc:
            differences.append(f"{name}: the re-run finds no substitute: {exc}")
            continue
        _compare(differences, f"{name}.incoming", entry.incoming, incoming)
        _compare_recusals(differences, f"{name}.recusals", entry.recusals, recusals)
