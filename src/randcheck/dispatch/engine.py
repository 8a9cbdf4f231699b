"""Forming the teams: the seeded draw, the greedy pass and the max-flow repair.

The algorithm is specified in ``docs/dispatch.md`` precisely enough to be re-implemented; the
names below follow that page. In short:

1. The *qualified* inspectors (line, certificate, complete record) are put in the canonical
   order (district, key); the drawn enterprises are processed in the order of
   ``SHA-256(version, "dispatch-order", seed, USCC)``.
2. Each seat of an enterprise's team is drawn uniformly from the *pool* — qualified inspectors
   below the load cap whose class (own district / other district) still has room in the team —
   by an unbiased integer draw from the enterprise's SHA-256 counter stream; a draw landing on
   an inadmissible inspector (recused, already in the team, section taken) is redrawn, and
   after eight such draws the admissible part of the pool is listed and one is drawn from it.
3. Seats the greedy pass could not fill are filled by augmenting paths in the flow network
   whose integral flows are exactly the lawful dispatches, so a lawful dispatch is found
   whenever one exists.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from fractions import Fraction
from typing import Protocol

from randcheck.domain import Conflict, ConflictGround, Enterprise, Inspector, Plan
from randcheck.errors import InfeasibleDispatch, ValidationError
from randcheck.hashing import HASH_MODULUS, encode_fields
from randcheck.profiles import Profile
from randcheck.rules import RecusalIndex, allowed_outside, qualification_problem

from .eligibility import (
    check_unique_keys,
    conflicts_digest,
    directory_digest,
    warn_unresolved,
)
from .record import DISPATCH_ALGORITHM_VERSION, DispatchRecord, LoadCapSource, Recusal, Team

__all__ = ["DrawLike", "dispatch", "team_size"]

LOCAL = 0
OUTSIDE = 1
ATTEMPTS = 8
"""Draws per seat that may land on an inadmissible inspector before the pool is listed."""

_MESSAGE_ITEMS = 5

_COUNTER_FIELDS = tuple(encode_fields((str(c),)) for c in range(64))


class Stream:
    """SHA-256 over fixed leading fields, then one more field per number.

    ``Stream(fields).number(c)`` equals ``hash_fields(*fields, str(c))`` and
    ``Stream(fields).extend(x).number(c)`` equals ``hash_fields(*fields, x, str(c))``
    (:mod:`randcheck.hashing`'s encoding); the common prefix is hashed once.
    """

    __slots__ = ("_state",)

    def __init__(self, fields: Iterable[str]) -> None:
        self._state = hashlib.sha256(encode_fields(fields))

    def extend(self, field: str) -> Stream:
        """A stream with ``field`` appended to the leading fields."""
        new = Stream(())
        new._state = self._state.copy()
        new._state.update(encode_fields((field,)))
        return new

    def text_number(self, field: str) -> int:
        """The hash of the leading fields followed by ``field``, as an integer."""
        state = self._state.copy()
        state.update(encode_fields((field,)))
        return int.from_bytes(state.digest(), "big")

    def number(self, counter: int) -> int:
        """The hash of the leading fields followed by ``str(counter)``, as an integer."""
        state = self._state.copy()
        state.update(_COUNTER_FIELDS[counter] if counter < 64 else encode_fields((str(counter),)))
        return int.from_bytes(state.digest(), "big")


class DrawLike(Protocol):
    """What dispatch needs of a draw record: the drawn USCCs and the record's digest."""

    def selected_ids(self) -> tuple[str, ...]:
        """The drawn enterprises' USCCs."""
        ...  # pragma: no cover

    def digest(self) -> str:
        """``"sha256:<hex>"`` of the draw record."""
        ...  # pragma: no cover


def team_size(plan: Plan, profile: Profile) -> int:
    """Members per team: the plan's size, raised to the profile's minimum if it is below it."""
    return max(plan.team_size, profile.min_team_size)


def outside_range(size: int, plan: Plan) -> tuple[int, int]:
    """The allowed numbers of members from other districts in a team of ``size`` (inclusive).

    ``ceil(minimum * size) .. floor(maximum * size)`` with exact fractions (R-CROSS-DISTRICT,
    :func:`randcheck.rules.allowed_outside` of the plan's bounds).
    """
    return allowed_outside(size, plan.cross_district)


# --- the prepared round ---------------------------------------------------------------------


class Round:
    """A round ready to dispatch: qualified inspectors, enterprises in order, recusals.

    Inspectors are numbered in key order; enterprises in processing order. Not public API:
    the fields are documented in docs/dispatch.md through the algorithm they serve.
    """

    def __init__(
        self,
        *,
        draw_ids: Sequence[str],
        enterprises: Iterable[Enterprise] | Mapping[str, Enterprise],
        inspectors: Sequence[Inspector],
        conflicts: Iterable[Conflict],
        plan: Plan,
        profile: Profile,
        seed: str,
        on: date,
        tag: str = DISPATCH_ALGORITHM_VERSION,
        bound: Sequence[str] = (),
        secrets: Mapping[str, str] | None = None,
    ) -> None:
        if not isinstance(seed, str):
            raise ValidationError(field="seed", expected="a string", got=seed)
        self.seed = seed
        # The leading fields of every hash: the version tag, then (version 2) the digests of
        # the pool commitment and the draw record the round is bound to, before the seed.
        self.tag = tag
        self.bound = tuple(bound)
        # Version 2 with salted recusal pairs: an enterprise with a hidden pair has its seat
        # draws keyed by a secret too, so that its team does not show whom it skipped.
        self.secrets = dict(secrets or {})
        self.plan = plan
        self.k = team_size(plan, profile)
        self.omin, self.omax = outside_range(self.k, plan)
        self.caps = (self.k - self.omin, self.omax)
        self.distinct = plan.distinct_sections

        # Inspectors: qualified ones only, numbered in key order.
        by_key = check_unique_keys(inspectors)
        qualified = sorted(
            (i for i in by_key.values() if qualification_problem(i, plan.line, on) is None),
            key=lambda i: i.key,
        )
        self.inspectors = qualified
        self.keys = [i.key for i in qualified]
        self.index = {key: n for n, key in enumerate(self.keys)}
        self.districts = sorted({i.district for i in qualified})
        district_index = {name: n for n, name in enumerate(self.districts)}
        self.dist = [district_index[i.district] for i in qualified]
        self.by_district: list[list[int]] = [[] for _ in self.districts]
        for n, d in enumerate(self.dist):
            self.by_district[d].append(n)
        self.sec, self.sections, self.sec_district = self._sections(qualified)

        # Enterprises in processing order.
        ids = list(draw_ids)
        seen: set[str] = set()
        for code in ids:
            if code in seen:
                raise ValidationError(field="draw", expected="each enterprise drawn once", got=code)
            seen.add(code)
        found = _enterprises_by_id(enterprises, set(ids))
        missing = [code for code in ids if code not in found]
        if missing:
            raise ValidationError(
                f"抽中企业不在名录中 / drawn enterprises missing from the directory: "
                f"{', '.join(sorted(missing)[:_MESSAGE_ITEMS])}"
                + (f" (+{len(missing) - _MESSAGE_ITEMS})" if len(missing) > _MESSAGE_ITEMS else ""),
                field="enterprises",
                expected="every drawn USCC",
                got=sorted(missing)[0],
            )
        order = Stream([tag, "dispatch-order", *self.bound, seed])
        self.usccs = sorted(ids, key=lambda code: (order.text_number(code), code))
        self.ent_district = [found[code].district for code in self.usccs]
        self.ed = [district_index.get(name, -1) for name in self.ent_district]

        # Recusals between drawn enterprises and qualified inspectors; conflict rows are
        # resolved against the whole directory, so that a row naming an inspector who is not
        # qualified this round is not mistaken for one naming nobody.
        self.recusal_index = RecusalIndex.build(by_key.values(), conflicts)
        grounds = self.recusal_index.among(ids, qualified)
        self.conf: list[dict[int, tuple[ConflictGround, ...]]] = []
        for code in self.usccs:
            by_inspector = grounds.get(code, {})
            self.conf.append({self.index[key]: g for key, g in by_inspector.items()})
        self.recusals = tuple(
            Recusal(enterprise=code, inspector=key, grounds=g)
            for code in sorted(grounds)
            for key, g in sorted(grounds[code].items())
        )

    def _sections(
        self, qualified: Sequence[Inspector]
    ) -> tuple[list[int], list[list[int]], list[int]]:
        sec = [-1] * len(qualified)
        sections: list[list[int]] = []
        sec_district: list[int] = []
        if not self.distinct:
            return sec, sections, sec_district
        ids: dict[tuple[str, str], int] = {}
        for n, inspector in enumerate(qualified):
            if not inspector.section:
                continue
            name = (inspector.department, inspector.section)
            s = ids.get(name)
            if s is None:
                s = ids[name] = len(sections)
                sections.append([])
                sec_district.append(self.dist[n])
            elif sec_district[s] != self.dist[n]:
                # Sections nested in districts keep the flow model exact (docs/dispatch.md).
                raise ValidationError(
                    f"科室 {inspector.department}{inspector.section} 的执法人员分属不同区，"
                    "无法按“同组不同科室”派出 / section "
                    f"{inspector.department} {inspector.section} spans more than one district; "
                    "distinct sections need every section within one district",
                    field="section",
                    expected="each (department, section) within one district",
                    got=inspector.key,
                )
            sec[n] = s
            sections[s].append(n)
        return sec, sections, sec_district

    @property
    def n_enterprises(self) -> int:
        """Number of drawn enterprises."""
        return len(self.usccs)

    @property
    def n_inspectors(self) -> int:
        """Number of qualified inspectors."""
        return len(self.keys)

    def cls(self, e: int, i: int) -> int:
        """LOCAL if inspector ``i`` is from enterprise ``e``'s district, else OUTSIDE."""
        return LOCAL if self.dist[i] == self.ed[e] else OUTSIDE


def _enterprises_by_id(
    enterprises: Iterable[Enterprise] | Mapping[str, Enterprise], wanted: set[str]
) -> dict[str, Enterprise]:
    values = enterprises.values() if isinstance(enterprises, Mapping) else enterprises
    return {e.uscc: e for e in values if e.uscc in wanted}


# --- static feasibility ---------------------------------------------------------------------


def _bilingual(zh: str, en: str) -> str:
    return f"{zh} / {en}"


def static_problems(rnd: Round) -> list[tuple[str, str]]:
    """Enterprises that no team can serve whatever the loads, with the rule that blocks them."""
    k, omin, omax = rnd.k, rnd.omin, rnd.omax
    bounds = rnd.plan.cross_district
    if omin > omax and rnd.n_enterprises:
        return [
            (
                rnd.plan.code,
                _bilingual(
                    f"跨区人员比例 {bounds.minimum}–{bounds.maximum} 在 {k} 人检查组中无法实现",
                    f"no team of {k} has a cross-district share within "
                    f"{bounds.minimum}..{bounds.maximum}",
                ),
            )
        ]
    m = rnd.n_inspectors
    size = [len(members) for members in rnd.by_district]
    sec_units = [0] * len(rnd.districts)  # distinct sections + unsectioned, per district
    if rnd.distinct:
        for s_d in rnd.sec_district:
            sec_units[s_d] += 1
        for n, s in enumerate(rnd.sec):
            if s < 0:
                sec_units[rnd.dist[n]] += 1
    total_units = sum(sec_units)
    problems: list[tuple[str, str]] = []
    for e, code in enumerate(rnd.usccs):
        d = rnd.ed[e]
        conf = rnd.conf[e]
        conf_local = sum(1 for i in conf if rnd.dist[i] == d)
        local = (size[d] if d >= 0 else 0) - conf_local
        outside = m - (size[d] if d >= 0 else 0) - (len(conf) - conf_local)
        loc_units, out_units = local, outside
        if rnd.distinct:
            loc_units, out_units = _section_units(rnd, e, sec_units, total_units)
        district = rnd.ent_district[e]
        reason: str | None = None
        if local + outside < k:
            reason = _bilingual(
                f"回避后仅有 {local + outside} 名合格执法人员，检查组至少 {k} 人",
                f"has {local + outside} eligible inspector(s) after recusal, team size is {k}",
            )
        elif local < k - omax:
            reason = _bilingual(
                f"本区（{district}）回避后仅有 {local} 名合格执法人员，检查组至少需本区 "
                f"{k - omax} 人（跨区比例至多 {bounds.maximum}）",
                f"has {local} eligible inspector(s) from its own district {district} after "
                f"recusal, the team needs at least {k - omax} (cross-district share at most "
                f"{bounds.maximum})",
            )
        elif outside < omin:
            reason = _bilingual(
                f"外区回避后仅有 {outside} 名合格执法人员，检查组至少需外区 {omin} 人"
                f"（跨区比例至少 {bounds.minimum}）",
                f"has {outside} eligible inspector(s) from other districts after recusal, the "
                f"team needs at least {omin} (cross-district share at least {bounds.minimum})",
            )
        elif loc_units + out_units < k:
            reason = _bilingual(
                f"回避后合格执法人员仅来自 {loc_units + out_units} 个科室，"
                f"{k} 人检查组须来自不同科室",
                f"its eligible inspectors come from {loc_units + out_units} section(s) after "
                f"recusal, a team of {k} needs distinct sections",
            )
        elif loc_units < k - omax:
            reason = _bilingual(
                f"本区（{district}）合格执法人员仅来自 {loc_units} 个科室，"
                f"检查组至少需本区不同科室 {k - omax} 人",
                f"its eligible inspectors from its own district {district} come from "
                f"{loc_units} section(s), the team needs {k - omax} from distinct sections",
            )
        elif out_units < omin:
            reason = _bilingual(
                f"外区合格执法人员仅来自 {out_units} 个科室，检查组至少需外区不同科室 {omin} 人",
                f"its eligible inspectors from other districts come from {out_units} "
                f"section(s), the team needs {omin} from distinct sections",
            )
        if reason is not None:
            problems.append((code, reason))
    return problems


def _section_units(rnd: Round, e: int, sec_units: list[int], total: int) -> tuple[int, int]:
    """Members a team of ``e`` can take from each class with distinct sections (local, outside)."""
    d = rnd.ed[e]
    lost_local = lost_outside = 0
    conflicted: dict[int, int] = {}
    for i in rnd.conf[e]:
        s = rnd.sec[i]
        local = rnd.dist[i] == d
        if s < 0:
            lost_local, lost_outside = lost_local + local, lost_outside + (not local)
        else:
            conflicted[s] = conflicted.get(s, 0) + 1
    for s, count in conflicted.items():
        if count == len(rnd.sections[s]):
            if rnd.sec_district[s] == d:
                lost_local += 1
            else:
                lost_outside += 1
    local_units = sec_units[d] if d >= 0 else 0
    return local_units - lost_local, total - local_units - lost_outside


def capacity_problems(rnd: Round, cap: int) -> list[tuple[str, str]]:
    """Counting arguments that rule a load cap out before any team is drawn."""
    seats = rnd.n_enterprises * rnd.k
    m = rnd.n_inspectors
    if seats > m * cap:
        return [
            (
                rnd.plan.code,
                _bilingual(
                    f"本轮需 {seats} 人次，{m} 名合格执法人员每人至多 {cap} 次，"
                    f"最多 {m * cap} 人次",
                    f"the round needs {seats} seats; {m} qualified inspectors at a load cap of "
                    f"{cap} give at most {m * cap}",
                ),
            )
        ]
    problems: list[tuple[str, str]] = []
    need_local = rnd.k - rnd.omax
    counts = [0] * len(rnd.districts)
    for d in rnd.ed:
        if d >= 0:
            counts[d] += 1
    for d, count in enumerate(counts):
        supply = len(rnd.by_district[d]) * cap
        if need_local > 0 and count * need_local > supply:
            reason = _bilingual(
                f"{rnd.districts[d]} {count} 家企业至少需本区 {count * need_local} 人次，本区 "
                f"{len(rnd.by_district[d])} 名合格执法人员每人至多 {cap} 次",
                f"the {count} enterprises of {rnd.districts[d]} need at least "
                f"{count * need_local} seats from their own district; its "
                f"{len(rnd.by_district[d])} qualified inspectors at a load cap of {cap} give "
                f"{supply}",
            )
            problems.extend((code, reason) for e, code in enumerate(rnd.usccs) if rnd.ed[e] == d)
    return problems


def lowest_cap(rnd: Round) -> int:
    """A lower bound on any feasible load cap, at least ``ceil(seats / qualified)``."""
    m = rnd.n_inspectors
    if m == 0:
        return 1
    cap = max(1, -(-rnd.n_enterprises * rnd.k // m))
    need_local, need_outside = rnd.k - rnd.omax, rnd.omin
    counts = [0] * len(rnd.districts)
    for d in rnd.ed:
        if d >= 0:
            counts[d] += 1
    for d, count in enumerate(counts):
        local = len(rnd.by_district[d])
        if need_local > 0 and local > 0:
            cap = max(cap, -(-count * need_local // local))
        if need_outside > 0 and m - local > 0:
            cap = max(cap, -(-count * need_outside // (m - local)))
    return cap


# --- one run at a given cap ------------------------------------------------------------------

_E, _C, _S, _I = 0, 1, 2, 3
_Node = tuple[int, ...]


class _Skip:
    """Positions ``0 .. n-1`` of a list, some removed; ``find(p)`` is the first kept one ≥ p.

    Union-find with path compression, so that a search passes over each reached inspector of a
    district at most once in all, however many team nodes scan that district.
    """

    __slots__ = ("up",)

    def __init__(self, n: int) -> None:
        self.up = list(range(n + 1))

    def remove(self, p: int) -> None:
        self.up[p] = p + 1

    def find(self, p: int) -> int:
        up = self.up
        root = p
        while up[root] != root:
            root = up[root]
        while up[p] != root:
            up[p], p = root, up[p]
        return root


class Run:
    """The greedy pass and the repair at load cap ``cap``; ``team[e]`` lists inspector numbers."""

    def __init__(self, rnd: Round, cap: int) -> None:
        self.rnd = rnd
        self.cap = cap
        n, m = rnd.n_enterprises, rnd.n_inspectors
        self.team: list[list[int]] = [[] for _ in range(n)]
        self.served: list[dict[int, None]] = [{} for _ in range(m)]
        self.load = [0] * m
        self.nonfull = [list(members) for members in rnd.by_district]
        self.spare = [cap * len(members) for members in rnd.by_district]
        self.pending = [0] * len(rnd.districts)
        self.dead = bytearray(m)
        self._skips: dict[int, _Skip] = {}
        self._rank_ready = False

    # -- bookkeeping

    def _add(self, e: int, i: int, pos: int | None = None) -> None:
        if pos is None:
            self.team[e].append(i)
        else:
            self.team[e][pos] = i
        self.served[i][e] = None
        self.load[i] += 1
        self.spare[self.rnd.dist[i]] -= 1
        if self.load[i] == self.cap:
            lst = self.nonfull[self.rnd.dist[i]]
            del lst[bisect.bisect_left(lst, i)]
            if self._rank_ready:
                ranked = self.nonfull_rank[self.rnd.dist[i]]
                del ranked[bisect.bisect_left(ranked, self.rank_pos[i])]

    def _remove(self, e: int, i: int) -> int:
        pos = self.team[e].index(i)
        self.team[e][pos] = -1
        del self.served[i][e]
        self.load[i] -= 1
        self.spare[self.rnd.dist[i]] += 1
        if self.load[i] == self.cap - 1:
            bisect.insort(self.nonfull[self.rnd.dist[i]], i)
            if self._rank_ready:
                bisect.insort(self.nonfull_rank[self.rnd.dist[i]], self.rank_pos[i])
        return pos

    def counts(self, e: int) -> tuple[int, int]:
        """Members of ``e``'s team from its own district and from others."""
        d, dist = self.rnd.ed[e], self.rnd.dist
        local = sum(1 for i in self.team[e] if dist[i] == d)
        return local, len(self.team[e]) - local

    def used_sections(self, e: int) -> set[int]:
        """Sections already represented in ``e``'s team."""
        sec = self.rnd.sec
        return {sec[i] for i in self.team[e] if sec[i] >= 0}

    # -- greedy pass

    def greedy(self) -> None:
        """Draw every seat of every enterprise in processing order (docs/dispatch.md)."""
        rnd = self.rnd
        need = rnd.k - rnd.omax
        # Seats each district must keep for the local minimum of its enterprises still to come.
        self.pending = [0] * len(rnd.districts)
        for d in rnd.ed:
            if d >= 0:
                self.pending[d] += need
        prefix = Stream([rnd.tag, "dispatch", *rnd.bound, rnd.seed])
        for e, code in enumerate(rnd.usccs):
            d = rnd.ed[e]
            if d >= 0:
                self.pending[d] -= need
            stream = prefix.extend(code)
            secret = rnd.secrets.get(code)
            self._fill(e, stream if secret is None else stream.extend(secret))

    def _fill(self, e: int, stream: Stream) -> None:
        rnd = self.rnd
        k, (loc_cap, out_cap) = rnd.k, rnd.caps
        need = k - rnd.omax
        d = rnd.ed[e]
        dist, sec, conf = rnd.dist, rnd.sec, rnd.conf[e]
        distinct = rnd.distinct
        team = self.team[e]
        nonfull, spare, pending = self.nonfull, self.spare, self.pending
        districts = range(len(nonfull))
        counter = 0
        local = outside = 0
        used: set[int] = set()
        while len(team) < k:
            open_local, open_outside = local < loc_cap, outside < out_cap
            own_need = local < need
            allowed = [
                dd
                for dd in districts
                if (open_local if dd == d else open_outside)
                and (spare[dd] > pending[dd] or (dd == d and own_need))
            ]
            n = sum(len(nonfull[dd]) for dd in allowed)
            if n == 0:
                return
            limit = HASH_MODULUS - HASH_MODULUS % n
            chosen = -1
            for _ in range(ATTEMPTS):
                while True:
                    h = stream.number(counter)
                    counter += 1
                    if h < limit:
                        break
                x = h % n
                i = -1
                for dd in allowed:
                    members = nonfull[dd]
                    if x < len(members):
                        i = members[x]
                        break
                    x -= len(members)
                if i not in conf and i not in team and not (distinct and sec[i] in used):
                    chosen = i
                    break
            if chosen < 0:
                admissible = [
                    i
                    for dd in allowed
                    for i in nonfull[dd]
                    if i not in conf and i not in team and not (distinct and sec[i] in used)
                ]
                if not admissible:
                    return
                n = len(admissible)
                limit = HASH_MODULUS - HASH_MODULUS % n
                while True:
                    h = stream.number(counter)
                    counter += 1
                    if h < limit:
                        break
                chosen = admissible[h % n]
            self._add(e, chosen)
            if dist[chosen] == d:
                local += 1
            else:
                outside += 1
            if sec[chosen] >= 0:
                used.add(sec[chosen])

    # -- repair

    def repair(self, *, stop_at_first: bool) -> list[tuple[int, int]]:
        """Fill every short team by augmenting paths; return ``(enterprise, reach)`` of the blocked.

        ``reach`` is the number of inspectors the failed search could reach (all at the cap).
        """
        blocked: list[tuple[int, int]] = []
        for e in range(self.rnd.n_enterprises):
            while len(self.team[e]) < self.rnd.k:
                reach = self._augment(e)
                if reach is not None:
                    blocked.append((e, reach))
                    if stop_at_first:
                        return blocked
                    break
        return blocked

    def _prepare_rank(self) -> None:
        rnd = self.rnd
        prefix = Stream([rnd.tag, "dispatch-repair", *rnd.bound, rnd.seed])
        order = sorted(range(rnd.n_inspectors), key=lambda i: (prefix.text_number(rnd.keys[i]), i))
        self.by_rank = order
        self.rank_pos = [0] * rnd.n_inspectors
        for pos, i in enumerate(order):
            self.rank_pos[i] = pos
        self.pool_rank = [sorted(self.rank_pos[i] for i in members) for members in rnd.by_district]
        self.district_pos = [0] * rnd.n_inspectors
        for ranked in self.pool_rank:
            for p, pos in enumerate(ranked):
                self.district_pos[order[pos]] = p
        self.sec_rank = [sorted(self.rank_pos[i] for i in members) for members in rnd.sections]
        self.nonfull_rank = [sorted(self.rank_pos[i] for i in members) for members in self.nonfull]
        self._rank_ready = True

    def _class_districts(self, e: int, c: int) -> Iterable[int]:
        d = self.rnd.ed[e]
        if c == LOCAL:
            return (d,) if d >= 0 else ()
        return (dd for dd in range(len(self.rnd.districts)) if dd != d)

    def _augment(self, e0: int) -> int | None:
        """One augmenting path from enterprise ``e0`` to the sink; ``None`` when found.

        A complete search of the residual network from ``e0``. Every node is checked on
        discovery: an inspector below the cap ends the path, and a team-class or section node
        is checked at once against the inspectors still below the cap. Enterprise, section
        and inspector nodes have few neighbours and are expanded as soon as they are reached;
        team-class nodes (whose neighbours are a whole district pool) are expanded lazily,
        one neighbour per turn in round-robin order, so that no single large pool is scanned
        to its end before the others are tried.

        On failure the reached inspectors can never reach the sink again (the reached set is
        closed in the residual network and stays closed under later augmentations), so they
        are marked dead; the number of them is returned.
        """
        if not self._rank_ready:
            self._prepare_rank()
        start: _Node = (_E, e0)
        parent: dict[_Node, _Node | None] = {start: None}
        self._skips = {}
        eager: deque[_Node] = deque([start])
        lazy: deque[tuple[_Node, Iterator[_Node]]] = deque()

        def discover(nxt: _Node, via: _Node) -> _Node | None:
            parent[nxt] = via
            if nxt[0] == _I:
                skip = self._skips.get(self.rnd.dist[nxt[1]])
                if skip is not None:
                    skip.remove(self.district_pos[nxt[1]])
            end = self._goal(nxt, parent)
            if end is None:
                if nxt[0] == _C:
                    lazy.append((nxt, self._neighbours(nxt, parent)))
                else:
                    eager.append(nxt)
            return end

        while eager or lazy:
            end: _Node | None = None
            while eager and end is None:
                node = eager.popleft()
                for nxt in self._neighbours(node, parent):
                    if nxt not in parent:
                        end = discover(nxt, node)
                        if end is not None:
                            break
            if end is None and lazy:
                node, neighbours = lazy.popleft()
                for nxt in neighbours:
                    if nxt not in parent:
                        end = discover(nxt, node)
                        lazy.append((node, neighbours))
                        break
            if end is not None:
                self._apply(end, parent)
                return None
        reached = [n[1] for n in parent if n[0] == _I]
        for i in reached:
            self.dead[i] = 1
        return len(reached)

    def _skip(self, d: int, parent: dict[_Node, _Node | None]) -> _Skip:
        """District ``d``'s pool with the inspectors already reached (or dead) skipped."""
        skip = self._skips.get(d)
        if skip is None:
            ranked = self.pool_rank[d]
            skip = self._skips[d] = _Skip(len(ranked))
            for p, pos in enumerate(ranked):
                i = self.by_rank[pos]
                if self.dead[i] or (_I, i) in parent:
                    skip.remove(p)
        return skip

    def _admits(self, e: int, i: int) -> bool:
        return not self.dead[i] and i not in self.rnd.conf[e] and i not in self.team[e]

    def _neighbours(self, node: _Node, parent: dict[_Node, _Node | None]) -> Iterator[_Node]:
        rnd = self.rnd
        kind = node[0]
        if kind == _E:
            e = node[1]
            counts = self.counts(e)
            for c in (LOCAL, OUTSIDE):
                if counts[c] < rnd.caps[c]:
                    yield (_C, e, c)
        elif kind == _C:
            _, e, c = node
            if self.counts(e)[c] > 0:
                yield (_E, e)
            used = self.used_sections(e) if rnd.distinct else set()
            for dd in self._class_districts(e, c):
                ranked = self.pool_rank[dd]
                skip = self._skip(dd, parent)
                p = skip.find(0)
                while p < len(ranked):
                    i = self.by_rank[ranked[p]]
                    if self._admits(e, i):
                        s = rnd.sec[i]
                        if s < 0:
                            yield (_I, i)
                        elif s not in used:
                            yield (_S, e, s)
                    p = skip.find(p + 1)
        elif kind == _S:
            _, e, s = node
            if s in self.used_sections(e):
                yield (_C, e, LOCAL if rnd.sec_district[s] == rnd.ed[e] else OUTSIDE)
            for pos in self.sec_rank[s]:
                i = self.by_rank[pos]
                if (_I, i) not in parent and self._admits(e, i):
                    yield (_I, i)
        else:
            i = node[1]
            s = rnd.sec[i]
            for e in tuple(self.served[i]):
                yield (_S, e, s) if s >= 0 else (_C, e, rnd.cls(e, i))

    def _goal(self, node: _Node, parent: dict[_Node, _Node | None]) -> _Node | None:
        """The inspector node at which a path through ``node`` reaches the sink, if at once."""
        rnd = self.rnd
        kind = node[0]
        if kind == _I:
            return node if self.load[node[1]] < self.cap else None
        if kind == _C:
            _, e, c = node
            used = self.used_sections(e) if rnd.distinct else set()
            for dd in self._class_districts(e, c):
                for pos in self.nonfull_rank[dd]:
                    i = self.by_rank[pos]
                    if (_I, i) in parent or not self._admits(e, i):
                        continue
                    s = rnd.sec[i]
                    if s >= 0:
                        if s in used or (_S, e, s) in parent:
                            continue
                        parent[(_S, e, s)] = node
                        parent[(_I, i)] = (_S, e, s)
                    else:
                        parent[(_I, i)] = node
                    return (_I, i)
            return None
        if kind == _S:
            _, e, s = node
            d = rnd.sec_district[s]
            for pos in self.nonfull_rank[d]:
                i = self.by_rank[pos]
                if rnd.sec[i] == s and (_I, i) not in parent and self._admits(e, i):
                    parent[(_I, i)] = node
                    return (_I, i)
        return None

    def _apply(self, end: _Node, parent: dict[_Node, _Node | None]) -> None:
        path: list[_Node] = []
        node: _Node | None = end
        while node is not None:
            path.append(node)
            node = parent[node]
        path.reverse()
        pending: dict[int, list[int]] = {}
        for u, v in itertools.pairwise(path):
            if v[0] == _I and u[0] in (_C, _S):
                e, i = u[1], v[1]
                slots = pending.get(e)
                self._add(e, i, slots.pop(0) if slots else None)
            elif u[0] == _I and v[0] in (_C, _S):
                e, i = v[1], u[1]
                pending.setdefault(e, []).append(self._remove(e, i))


# --- the public entry point -------------------------------------------------------------------


def _infeasible(problems: Sequence[tuple[str, str]]) -> InfeasibleDispatch:
    shown = "; ".join(f"{code} {reason}" for code, reason in problems[:_MESSAGE_ITEMS])
    more = len(problems) - _MESSAGE_ITEMS
    if more > 0:
        shown += f"; 另有 {more} 项 / and {more} more"
    return InfeasibleDispatch(
        f"无法合法派出检查组 / no lawful dispatch exists: {shown}",
        blocking=problems,
        field="teams",
    )


def _blocked_reason(rnd: Round, cap: int, reach: int) -> str:
    return _bilingual(
        f"可直接或经调换派往该企业的 {reach} 名合格执法人员均已达到本轮上限 {cap} 次",
        f"the {reach} qualified inspector(s) who could serve it, directly or by exchange, "
        f"have all reached the round's load cap of {cap}",
    )


def solve(rnd: Round, plan_cap: int | None) -> tuple[Run, LoadCapSource]:
    """The run that forms the teams of ``rnd``: at the plan's cap, or the smallest feasible cap.

    Raises:
        InfeasibleDispatch: no lawful dispatch exists; ``blocking`` names every enterprise.
    """
    problems = static_problems(rnd)
    if problems:
        raise _infeasible(problems)
    if plan_cap is not None:
        problems = capacity_problems(rnd, plan_cap)
        if problems:
            raise _infeasible(problems)
        run = Run(rnd, plan_cap)
        run.greedy()
        blocked = run.repair(stop_at_first=False)
        if blocked:
            raise _infeasible(
                [(rnd.usccs[e], _blocked_reason(rnd, plan_cap, reach)) for e, reach in blocked]
            )
        return run, LoadCapSource.PLAN

    def attempt(cap: int) -> Run | None:
        if capacity_problems(rnd, cap):
            return None
        run = Run(rnd, cap)
        run.greedy()
        return None if run.repair(stop_at_first=True) else run

    # Feasibility is monotone in the cap and certain at the number of enterprises (the cap
    # then binds nobody), so gallop up from the lower bound, then bisect.
    low = lowest_cap(rnd)
    ceiling = max(low, rnd.n_enterprises)
    failed = low - 1
    step = 1
    cap = low
    found = attempt(cap)
    while found is None:
        if cap >= ceiling:  # pragma: no cover - static_problems rules this out
            raise AssertionError("no feasible load cap although every team can be formed")
        failed = cap
        cap = min(ceiling, cap + step)
        step *= 2
        found = attempt(cap)
    best_cap, best = cap, found
    while best_cap - failed > 1:
        middle = (failed + best_cap) // 2
        trial = attempt(middle)
        if trial is None:
            failed = middle
        else:
            best_cap, best = middle, trial
    return best, LoadCapSource.EVEN_SPREADING


def dispatch(
    draw: DrawLike,
    enterprises: Iterable[Enterprise] | Mapping[str, Enterprise],
    inspectors: Iterable[Inspector],
    conflicts: Iterable[Conflict],
    plan: Plan,
    profile: Profile,
    *,
    seed: str,
    on: date,
    seed_source: str = "",
) -> DispatchRecord:
    """Dispatch one team per drawn enterprise, at random, lawfully and verifiably.

    Args:
        draw: the draw record (its ``selected_ids()`` and ``digest()`` are used).
        enterprises: the target directory, or at least every drawn enterprise (for districts).
        inspectors: the inspector directory of the line.
        conflicts: declared conflicts of interest.
        plan: the plan (line, team size, cross-district bounds, load cap, distinct sections).
        profile: the policy profile (minimum team size).
        seed: the public seed of the dispatch.
        on: the inspection date: certificates must be valid on it.
        seed_source: where the seed came from, recorded as given.

    Returns:
        The :class:`~randcheck.dispatch.DispatchRecord`. Teams are random (see
        docs/dispatch.md), respect recusal, team size, the cross-district bounds, the load cap
        and distinct sections, and are the same for the same inputs in any order.

    Raises:
        InfeasibleDispatch: no lawful dispatch exists; names the blocking enterprises and why.
        ValidationError: a drawn enterprise is missing from ``enterprises``, an inspector key
            is used twice, or distinct sections are asked for and a section spans districts.

    Warns:
        UnresolvedConflictWarning: a conflict row names no inspector of ``inspectors``
            (:attr:`randcheck.rules.RecusalIndex.unresolved`); the dispatch goes on without it.
    """
    staff = list(inspectors)
    rows = list(conflicts)
    rnd = Round(
        draw_ids=draw.selected_ids(),
        enterprises=enterprises,
        inspectors=staff,
        conflicts=rows,
        plan=plan,
        profile=profile,
        seed=seed,
        on=on,
    )
    warn_unresolved(rnd.recusal_index)
    run, source = solve(rnd, plan.load_cap)
    return _record(
        rnd,
        run,
        source,
        seed_source=seed_source,
        draw_digest=draw.digest(),
        inspectors_digest=directory_digest(staff),
        conflicts_digest=conflicts_digest(rows),
        on=on,
    )


def _record(
    rnd: Round,
    run: Run,
    source: LoadCapSource,
    *,
    seed_source: str,
    draw_digest: str,
    inspectors_digest: str,
    conflicts_digest: str,
    on: date,
) -> DispatchRecord:
    keys = rnd.keys
    teams = sorted(
        (
            Team(
                enterprise=code,
                district=rnd.ent_district[e],
                members=tuple(keys[i] for i in run.team[e]),
            )
            for e, code in enumerate(rnd.usccs)
        ),
        key=lambda team: team.enterprise,
    )
    return DispatchRecord(
        seed=rnd.seed,
        seed_source=seed_source,
        draw_digest=draw_digest,
        plan_code=rnd.plan.code,
        line=rnd.plan.line,
        inspection_date=on,
        inspectors_digest=inspectors_digest,
        conflicts_digest=conflicts_digest,
        team_size=rnd.k,
        cross_district=rnd.plan.cross_district,
        load_cap=run.cap,
        load_cap_source=source,
        distinct_sections=rnd.distinct,
        teams=teams,
        recusals=rnd.recusals,
    )


def share(outside: int, seats: int) -> Fraction:
    """The exact share ``outside / seats`` (0 when there are no seats)."""
    return Fraction(outside, seats) if seats else Fraction(0)


def uniform_index(stream: Stream, counter: int, n: int) -> tuple[int, int]:
    """An unbiased draw from ``range(n)`` and the next counter (docs/dispatch.md, "draw").

    Hash ``counter``, ``counter + 1``, … (decimal strings) under ``stream`` until a number
    falls below the largest multiple of ``n`` that fits in 256 bits; return it modulo ``n``.
    """
    limit = HASH_MODULUS - HASH_MODULUS % n
    while True:
        h = stream.number(counter)
        counter += 1
        if h < limit:
            return h % n, counter


def draw_seat(stream: Stream, pool: Sequence[int], admissible: Callable[[int], bool]) -> int | None:
    """One seat drawn from ``pool`` as the greedy pass does, or ``None`` if none is admissible."""
    if not pool:
        return None
    counter = 0
    for _ in range(ATTEMPTS):
        x, counter = uniform_index(stream, counter, len(pool))
        if admissible(pool[x]):
            return pool[x]
    listed = [i for i in pool if admissible(i)]
    if not listed:
        return None
    x, counter = uniform_index(stream, counter, len(listed))
    return listed[x]
