"""Checking a dispatch record by re-running it (R-RANDOM).

:func:`verify` recomputes everything a record states that follows from its inputs — the
digests of the inputs, the rule parameters, the load cap, every team, every recusal, and every
replacement's substitute — and names each difference as a
:class:`~randcheck.verification.Difference`. What a record states *as given* (the source of the
seed, a replacement's reason and date) cannot be recomputed; pass the digest published with the
record as ``published_digest`` to pin those too. Inspector keys in differences are masked
(:func:`~randcheck.privacy.mask_inspector_key`): a key may be a resident identity number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Final

import attrs

from randcheck.domain import Conflict, Enterprise, Inspector, Plan
from randcheck.errors import InfeasibleDispatch, ValidationError
from randcheck.privacy import mask_inspector_key
from randcheck.profiles import Profile
from randcheck.text import Text
from randcheck.verification import Difference, Verification

from .eligibility import conflicts_digest, directory_digest
from .engine import DrawLike, Round, _record, solve
from .record import DISPATCH_ALGORITHM_VERSION, DOCUMENT_KIND, DispatchRecord, Recusal
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
) -> Verification:
    """Re-run the dispatch and its replacements and name every difference from ``record``.

    Returns:
        a :class:`~randcheck.verification.Verification` of kind ``dispatch-record``: ``ok``
        (and truthy) when the record is exactly what its inputs give; otherwise one
        :class:`~randcheck.verification.Difference` per mismatch, such as path
        ``teams[91120101…].members`` with the re-run's members as ``expected`` and the
        recorded ones as ``got``. ``digest`` is ``record.digest()``.
    """
    differences: list[Difference] = []

    def done() -> Verification:
        return Verification(kind=DOCUMENT_KIND, digest=record.digest(), differences=differences)

    if published_digest is not None and record.digest() != published_digest:
        differences.append(
            _difference(
                "digest",
                published_digest,
                record.digest(),
                "记录的摘要与公布的摘要不同",
                "the record's digest differs from the published one",
            )
        )
    if record.algorithm != DISPATCH_ALGORITHM_VERSION:
        differences.append(
            _difference(
                "algorithm",
                DISPATCH_ALGORITHM_VERSION,
                record.algorithm,
                "记录使用的调派算法或版本不受支持",
                "the record's algorithm or version is not this one",
            )
        )
        return done()
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
        differences.append(
            _difference(
                "teams",
                f"no lawful teams: {exc}",
                _show(tuple(team.enterprise for team in record.teams)),
                "重新调派无法组成检查组",
                "the re-run forms no teams",
            )
        )
        return done()
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
    return done()


_LABELS: Final = {
    "draw_digest": "抽取记录摘要",
    "inspectors_digest": "执法人员名录摘要",
    "conflicts_digest": "利害关系清单摘要",
    "plan_code": "抽查计划编号",
    "line": "执法条线",
    "team_size": "检查组人数",
    "cross_district": "跨区人员比例",
    "load_cap": "每人检查组数上限",
    "load_cap_source": "上限来源",
    "distinct_sections": "成员来自不同科室",
    "incoming": "替补人员",
}


def _difference(path: str, expected: str | None, got: str | None, zh: str, en: str) -> Difference:
    return Difference(path=path, expected=expected, got=got, message=Text(zh=zh, en=en))


def _show(value: object) -> str:
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value) or "(none)"
    if isinstance(value, date):
        return value.isoformat()
    return str(getattr(value, "value", value))


def _keys(keys: Iterable[str]) -> str:
    return _show(tuple(mask_inspector_key(key) for key in keys))


def _compare(
    differences: list[Difference],
    path: str,
    recorded: object,
    rerun: object,
    *,
    keys: bool = False,
) -> None:
    if recorded == rerun:
        return
    show = (lambda v: mask_inspector_key(str(v))) if keys else _show
    field = path.rsplit(".", 1)[-1]
    differences.append(
        _difference(
            path,
            show(rerun),
            show(recorded),
            f"{_LABELS.get(field, field)}与重新调派的结果不同",
            f"{field} differs from the re-run",
        )
    )


def _compare_teams(
    differences: list[Difference], record: DispatchRecord, expected: DispatchRecord
) -> None:
    recorded = {team.enterprise: team for team in record.teams}
    rerun = {team.enterprise: team for team in expected.teams}
    if len(recorded) != len(record.teams):
        differences.append(
            _difference(
                "teams",
                "one team per enterprise",
                "an enterprise with more than one team",
                "同一企业有多个检查组",
                "an enterprise has more than one team",
            )
        )
    if [t.enterprise for t in record.teams] != sorted(recorded):
        differences.append(
            _difference(
                "teams",
                "sorted by enterprise",
                "unsorted",
                "检查组未按企业排序",
                "the teams are not sorted by enterprise",
            )
        )
    for code in sorted(recorded.keys() | rerun.keys()):
        mine, theirs = recorded.get(code), rerun.get(code)
        if mine is None:
            assert theirs is not None
            differences.append(
                _difference(
                    f"teams[{code}]",
                    _keys(theirs.members),
                    None,
                    "记录缺少该企业的检查组",
                    "the record has no team for this drawn enterprise",
                )
            )
        elif theirs is None:
            differences.append(
                _difference(
                    f"teams[{code}]",
                    None,
                    _keys(mine.members),
                    "记录中有该企业的检查组，但该企业未被抽中",
                    "recorded, but the enterprise was not drawn",
                )
            )
        else:
            if mine.members != theirs.members:
                differences.append(
                    _difference(
                        f"teams[{code}].members",
                        _keys(theirs.members),
                        _keys(mine.members),
                        "检查组成员与重新调派的结果不同",
                        "the team's members differ from the re-run",
                    )
                )
            _compare(differences, f"teams[{code}].district", mine.district, theirs.district)


def _compare_recusals(
    differences: list[Difference],
    path: str,
    recorded: tuple[Recusal, ...],
    rerun: tuple[Recusal, ...],
) -> None:
    if recorded == rerun:
        return
    extra = [r for r in recorded if r not in rerun]
    missing = [r for r in rerun if r not in recorded]
    for r in extra:
        differences.append(
            _difference(
                path,
                None,
                _recusal_text(r),
                "记录中的回避在重新调派中没有",
                "recorded, but the re-run finds no such recusal",
            )
        )
    for r in missing:
        differences.append(
            _difference(
                path,
                _recusal_text(r),
                None,
                "重新调派发现的回避未记录",
                "found by the re-run, but not recorded",
            )
        )
    if not extra and not missing:
        differences.append(
            _difference(
                path,
                "canonical order",
                "another order",
                "回避记录顺序错误",
                "the recusals are not in canonical order",
            )
        )


def _recusal_text(recusal: Recusal) -> str:
    grounds = "+".join(g.value for g in recusal.grounds)
    return f"{mask_inspector_key(recusal.inspector)} / {recusal.enterprise} ({grounds})"


def _verify_replacements(
    differences: list[Difference],
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
                _difference(
                    f"{name}.outgoing",
                    f"a member of the team of {entry.enterprise}",
                    mask_inspector_key(entry.outgoing),
                    "被替换人员不在该企业的检查组中；其后的替换未核验",
                    f"not in the team of {entry.enterprise}; later replacements not checked",
                )
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
            differences.append(
                _difference(
                    f"{name}.incoming",
                    f"no substitute: {exc}",
                    mask_inspector_key(entry.incoming),
                    "重新抽取找不到替补人员",
                    "the re-run finds no substitute",
                )
            )
            continue
        _compare(differences, f"{name}.incoming", entry.incoming, incoming, keys=True)
        _compare_recusals(differences, f"{name}.recusals", entry.recusals, recusals)
