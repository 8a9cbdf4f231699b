"""Replacing an inspector who must step aside, without erasing anything (R-RANDOM, R-RECUSAL).

:func:`replace_member` returns a *new* record with one :class:`~randcheck.dispatch.Replacement` per
team left, appended after the earlier ones; the original teams and every earlier replacement
stay as they were. The substitute is drawn verifiably from the inspectors who may take the
place under every rule of the dispatch (qualification, recusal — including conflicts declared
since —, the load cap, the cross-district bounds, distinct sections), with a SHA-256 stream of
its own (docs/dispatch.md, "Replacement").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date

import attrs

from randcheck.domain import Conflict, Inspector
from randcheck.errors import InfeasibleDispatch, ValidationError
from randcheck.rules import RecusalIndex, allowed_outside, qualification_problem

from .eligibility import (
    check_unique_keys,
    conflicts_digest,
    directory_digest,
    warn_unresolved,
)
from .engine import Stream, draw_seat
from .record import (
    DispatchRecord,
    Recusal,
    Replacement,
    ReplacementScope,
)

__all__ = ["replace_member"]


def _check_inputs(
    record: DispatchRecord, staff: Sequence[Inspector], rows: Sequence[Conflict]
) -> None:
    if directory_digest(staff) != record.inspectors_digest:
        raise ValidationError(
            "执法人员名录与派出时所用不一致 / the inspector directory is not the one the "
            "dispatch used",
            field="inspectors",
            expected=record.inspectors_digest,
            got=directory_digest(staff),
        )
    if conflicts_digest(rows) != record.conflicts_digest:
        raise ValidationError(
            "利害关系清单与派出时所用不一致（新申报的利害关系请用 declared 传入）/ the conflicts "
            "are not the ones the dispatch used (pass newly declared ones as declared)",
            field="conflicts",
            expected=record.conflicts_digest,
            got=conflicts_digest(rows),
        )


def substitute(
    record: DispatchRecord,
    index: int,
    *,
    enterprise: str,
    outgoing: str,
    staff: Sequence[Inspector],
    conflicts: Sequence[Conflict],
    bound: Sequence[str] = (),
    secret: str | None = None,
) -> tuple[str, tuple[Recusal, ...]]:
    """Draw the substitute of replacement number ``index`` of ``record``.

    ``record.replacements`` holds the replacements before this one; ``conflicts`` are the
    dispatch's conflicts plus every conflict declared up to and including this replacement.
    ``bound`` (version 2: the pool commitment's and the draw record's digests) comes between
    the purpose and the seed in the hash, ``secret`` (salted recusal pairs) after the USCC.
    Returns the incoming inspector's key and the recusals not recorded before.

    Raises:
        InfeasibleDispatch: nobody may take the place.
    """
    teams = {team.enterprise: team for team in record.current_teams()}
    team = teams[enterprise]
    remaining = [key for key in team.members if key != outgoing]
    excluded = {
        r.outgoing
        for r in record.replacements
        if r.scope is ReplacementScope.ROUND or r.enterprise == enterprise
    }
    excluded.add(outgoing)
    directory = check_unique_keys(staff)
    qualified = sorted(
        (
            i
            for i in directory.values()
            if qualification_problem(i, record.line, record.inspection_date) is None
        ),
        key=lambda i: (i.district, i.key),
    )
    loads = record.loads()
    loads[outgoing] = loads.get(outgoing, 0) - 1
    district_of = {i.key: i.district for i in qualified}
    k = record.team_size
    omin, omax = allowed_outside(k, record.cross_district)
    local = sum(1 for key in remaining if district_of.get(key) == team.district)
    outside = len(remaining) - local
    open_local, open_outside = local < k - omin, outside < omax
    pool = [
        n
        for n, i in enumerate(qualified)
        if loads.get(i.key, 0) < record.load_cap
        and (open_local if i.district == team.district else open_outside)
    ]
    recusal_index = RecusalIndex.build(directory.values(), conflicts)
    grounds = recusal_index.among([enterprise], qualified).get(enterprise, {})
    sections = {
        (i.department, i.section)
        for i in qualified
        if record.distinct_sections and i.section and i.key in remaining
    }

    def admissible(n: int) -> bool:
        i = qualified[n]
        if i.key in excluded or i.key in remaining or i.key in grounds:
            return False
        return not (record.distinct_sections and (i.department, i.section) in sections)

    stream = Stream(
        [
            record.algorithm,
            "dispatch-replace",
            *bound,
            record.seed,
            enterprise,
            *(() if secret is None else (secret,)),
            str(index),
        ]
    )
    chosen = draw_seat(stream, pool, admissible)
    if chosen is None:
        raise InfeasibleDispatch(
            f"无法替换 / no substitute: {enterprise} 没有可接替 {outgoing} 的合格执法人员"
            f"（回避、本轮上限 {record.load_cap} 次、跨区比例或科室要求）/ no qualified "
            f"inspector can take {outgoing}'s place: recusal, the round's load cap of "
            f"{record.load_cap}, the cross-district bounds or distinct sections rule out all",
            blocking=[(enterprise, "no substitute / 无可接替人员")],
            field="replacement",
        )
    known = {(r.enterprise, r.inspector, r.grounds) for r in record.recusals}
    for earlier in record.replacements:
        known.update((r.enterprise, r.inspector, r.grounds) for r in earlier.recusals)
    recusals = tuple(
        Recusal(enterprise=enterprise, inspector=key, grounds=g)
        for key, g in sorted(grounds.items())
        if (enterprise, key, g) not in known
    )
    return qualified[chosen].key, recusals


def replace_member(
    record: DispatchRecord,
    inspector_key: str,
    reason: str,
    *,
    on: date,
    inspectors: Iterable[Inspector],
    conflicts: Iterable[Conflict],
    declared: Iterable[Conflict] = (),
    enterprise: str | None = None,
) -> DispatchRecord:
    """A new record in which ``inspector_key`` steps aside and substitutes are drawn.

    With ``enterprise`` the inspector leaves that team only (scope ``team``, e.g. a conflict
    declared late); without it the inspector leaves every current team and is never drawn as a
    substitute again in this round (scope ``round``, e.g. illness). Each team left gets one
    :class:`~randcheck.dispatch.Replacement` keeping the old member, the new one, the reason,
    the date and the conflicts ``declared`` since the dispatch (kept on the first entry; they
    apply to it and to every later replacement). Nothing in ``record`` is changed.

    Args:
        record: the dispatch record (possibly with earlier replacements).
        inspector_key: the inspector who steps aside.
        reason: why; mandatory.
        on: the date of the decision.
        inspectors: the directory the dispatch used (its digest is checked).
        conflicts: the conflicts the dispatch used (their digest is checked).
        declared: conflicts declared since the dispatch.
        enterprise: the one team to leave, or ``None`` for every team.

    Raises:
        ValidationError: empty reason, inputs other than the dispatch's, or the inspector is
            not in the team(s).
        InfeasibleDispatch: nobody may take the place under the rules.

    Warns:
        UnresolvedConflictWarning: a conflict row (of the dispatch or declared since) names no
            inspector of ``inspectors``; it cannot be honoured.
    """
    require_reason(reason)
    staff = list(inspectors)
    rows = list(conflicts)
    new_rows = tuple(declared)
    _check_inputs(record, staff, rows)
    targets, scope = replacement_targets(record, inspector_key, enterprise)
    all_rows = [*rows, *declared_before(record), *new_rows]
    warn_unresolved(RecusalIndex.build(staff, all_rows))

    def draw(so_far: DispatchRecord, index: int, code: str) -> tuple[str, tuple[Recusal, ...]]:
        return substitute(
            so_far, index, enterprise=code, outgoing=inspector_key, staff=staff, conflicts=all_rows
        )

    return append_replacements(record, targets, inspector_key, reason, on, scope, new_rows, draw)


SubstituteDraw = Callable[[DispatchRecord, int, str], tuple[str, tuple[Recusal, ...]]]
"""Draws the substitute of replacement number ``index`` for enterprise ``code`` of a record."""


def replacement_targets(
    record: DispatchRecord, inspector_key: str, enterprise: str | None
) -> tuple[list[str], ReplacementScope]:
    """The teams ``inspector_key`` leaves (``enterprise``'s, or every current one) and the scope.

    Raises:
        ValidationError: the inspector is not in the team(s).
    """
    current = record.current_teams()
    if enterprise is not None:
        targets = [t.enterprise for t in current if t.enterprise == enterprise]
        if not targets or inspector_key not in current_members(record, enterprise):
            raise ValidationError(
                f"{inspector_key} 不在 {enterprise} 的检查组中 / {inspector_key} is not in the "
                f"team of {enterprise}",
                field="inspector",
                expected=f"a member of the team of {enterprise}",
                got=inspector_key,
            )
        return targets, ReplacementScope.TEAM
    targets = sorted(t.enterprise for t in current if inspector_key in t.members)
    if not targets:
        raise ValidationError(
            f"{inspector_key} 不在任何检查组中 / {inspector_key} is in no team",
            field="inspector",
            expected="a member of some team",
            got=inspector_key,
        )
    return targets, ReplacementScope.ROUND


def append_replacements(
    record: DispatchRecord,
    targets: Sequence[str],
    inspector_key: str,
    reason: str,
    on: date,
    scope: ReplacementScope,
    declared: tuple[Conflict, ...],
    draw: SubstituteDraw,
) -> DispatchRecord:
    """``record`` with one replacement per team of ``targets``, each substitute from ``draw``;
    ``declared`` is kept on the first entry."""
    result = record
    for n, code in enumerate(targets):
        incoming, recusals = draw(result, len(result.replacements), code)
        entry = Replacement(
            enterprise=code,
            outgoing=inspector_key,
            incoming=incoming,
            reason=reason,
            on=on,
            scope=scope,
            declared=declared if n == 0 else (),
            recusals=recusals,
        )
        result = attrs.evolve(result, replacements=(*result.replacements, entry))
    return result


def current_members(record: DispatchRecord, enterprise: str) -> tuple[str, ...]:
    """The current members of ``enterprise``'s team (after every replacement)."""
    for team in record.current_teams():
        if team.enterprise == enterprise:
            return team.members
    return ()


def declared_before(record: DispatchRecord) -> list[Conflict]:
    """Every conflict declared in the replacements of ``record``, in order."""
    return [row for r in record.replacements for row in r.declared]


def require_reason(reason: str) -> None:
    """Refuse a replacement without a stated reason (R-RECUSAL and the history it keeps).

    Raises:
        ValidationError: ``reason`` is empty or blank.
    """
    if not reason.strip():
        raise ValidationError(
            "替换须说明理由 / a replacement needs a reason",
            field="reason",
            expected="a non-empty reason",
            got=reason,
        )
