"""The pool commitment and the dispatch anyone can re-run (R-RANDOM, R-PUBLIC; docs/dispatch.md).

Before the dispatch seed is fixed, the department publishes a :class:`PoolCommitment`: the
qualified inspectors of the line on the inspection date, each with only the public attributes
the dispatch algorithm uses — enforcement certificate number (public under the enforcement
publicity rules), department, district, section, lines and the certificate's validity window —
and the recusal pairs between them and the drawn enterprises, each as (certificate number,
USCC) with no ground or note. An inspector without a certificate number is not in the pool and
is not dispatched.

:func:`dispatch_from_pool` dispatches from that commitment alone under algorithm
:data:`POOL_DISPATCH_VERSION`, whose every hash begins with the version tag, the pool
commitment's digest and the draw record's digest, so the teams are bound to both; inspectors
are keyed by certificate number in the record. :func:`verify_from_pool` re-runs it from
published files only — the draw record, the target directory (districts), the plan, the
profile and the pool commitment — and needs no personal data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

import attrs

from randcheck import canonical
from randcheck.domain import Conflict, ConflictGround, Enterprise, Inspector, Plan
from randcheck.errors import InfeasibleDispatch, ValidationError
from randcheck.profiles import Profile
from randcheck.rules import RecusalIndex, qualification_problem
from randcheck.text import Text
from randcheck.verification import Difference, Verification

from .engine import DrawLike, Round, _record, solve
from .record import DOCUMENT_KIND, DispatchRecord

__all__ = [
    "POOL_DISPATCH_VERSION",
    "POOL_KIND",
    "PoolCommitment",
    "PoolInspector",
    "RecusalPair",
    "commit_pool",
    "dispatch_from_pool",
    "verify_from_pool",
]

POOL_KIND = "dispatch-pool"
"""The ``kind`` of a pool commitment's JSON document."""

POOL_DISPATCH_VERSION = "randcheck-dispatch-v2"
"""Algorithm tag of a dispatch from a pool commitment: the first field of every hash, followed
by the purpose, the pool commitment's digest and the draw record's digest, then the seed."""

_POOL_POST = "执法人员"
_POOL_NOTE = "recusal pair of the pool commitment"


def _sorted_lines(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({str(line) for line in value}))


@attrs.frozen(kw_only=True)
class PoolInspector:
    """One qualified inspector of a pool commitment: the public attributes the dispatch uses."""

    certificate: str
    department: str
    district: str
    section: str = ""
    lines: tuple[str, ...] = attrs.field(converter=_sorted_lines)
    valid_from: date | None = None
    valid_until: date | None = None


@attrs.frozen(kw_only=True, order=True)
class RecusalPair:
    """An inspector (by certificate number) who must recuse from an enterprise (USCC)."""

    certificate: str
    enterprise: str


def _inspectors(value: Iterable[PoolInspector]) -> tuple[PoolInspector, ...]:
    return tuple(sorted(value, key=lambda i: i.certificate))


def _pairs(value: Iterable[RecusalPair]) -> tuple[RecusalPair, ...]:
    return tuple(sorted(set(value)))


@attrs.frozen(kw_only=True)
class PoolCommitment:
    """The qualified pool of a dispatch, published before its seed (a
    :class:`~randcheck.canonical.Record` of kind :data:`POOL_KIND`).

    Attributes:
        draw_digest: ``digest()`` of the draw record whose enterprises are dispatched.
        plan_code, line: the plan and its line.
        inspection_date: the date certificates must be valid on.
        inspectors: the qualified pool, sorted by certificate number.
        recusals: every recusal pair between the pool and the drawn enterprises, sorted.
        published: when the commitment was published (aware), if recorded.
    """

    draw_digest: str
    plan_code: str
    line: str
    inspection_date: date
    inspectors: tuple[PoolInspector, ...] = attrs.field(converter=_inspectors)
    recusals: tuple[RecusalPair, ...] = attrs.field(default=(), converter=_pairs)
    published: datetime | None = None

    def to_document(self) -> dict[str, Any]:
        """The commitment's document (kind :data:`POOL_KIND`)."""
        return canonical.to_document(POOL_KIND, self)

    @classmethod
    def from_document(cls, document: Any, *, source: str | None = None) -> PoolCommitment:
        """Read a document written by :meth:`to_document`.

        Raises:
            InputFileError: every problem found, each with its JSON path.
        """
        return canonical.from_document(document, POOL_KIND, cls, source=source)

    def digest(self) -> str:
        """``"sha256:<hex>"`` of the canonical bytes of :meth:`to_document`."""
        return canonical.digest(self.to_document())

    def round_inspectors(self) -> list[Inspector]:
        """The pool as directory entries the dispatch can use, keyed by certificate number.

        They hold the public attributes only; the Art. 7 fields that are not published (name,
        post, phone) are filled with placeholders, since the pool is already qualified.
        """
        return [
            Inspector(
                name=i.certificate,
                department=i.department,
                post=_POOL_POST,
                certificate_no=i.certificate,
                phone="-",
                district=i.district,
                section=i.section,
                lines=frozenset(i.lines),
                certificate_valid_from=i.valid_from,
                certificate_valid_until=i.valid_until,
            )
            for i in self.inspectors
        ]

    def round_conflicts(self) -> list[Conflict]:
        """The recusal pairs as conflict rows (ground ``other``: the pool keeps no ground)."""
        return [
            Conflict(
                inspector=pair.certificate,
                enterprise=pair.enterprise,
                ground=ConflictGround.OTHER,
                note=_POOL_NOTE,
            )
            for pair in self.recusals
        ]


canonical.exact_documents(PoolCommitment)


def commit_pool(
    draw: DrawLike,
    inspectors: Iterable[Inspector],
    conflicts: Iterable[Conflict],
    plan: Plan,
    *,
    on: date,
    published: datetime | None = None,
) -> PoolCommitment:
    """The pool commitment of dispatching ``draw`` under ``plan`` on ``on``.

    The pool is every inspector with an enforcement certificate number who is qualified for
    the plan's line on ``on`` (:func:`randcheck.rules.qualification_problem`); the recusal pairs
    are every recusal between them and the drawn enterprises
    (:class:`randcheck.rules.RecusalIndex`), declared or from the inspectors' own records.
    """
    staff = list(inspectors)
    pool = [
        i
        for i in staff
        if i.certificate_no is not None and qualification_problem(i, plan.line, on) is None
    ]
    index = RecusalIndex.build(staff, list(conflicts))
    grounds = index.among(draw.selected_ids(), pool)
    return PoolCommitment(
        draw_digest=draw.digest(),
        plan_code=plan.code,
        line=str(plan.line),
        inspection_date=on,
        inspectors=[
            PoolInspector(
                certificate=str(i.certificate_no),
                department=i.department,
                district=i.district,
                section=i.section,
                lines=i.lines,
                valid_from=i.certificate_valid_from,
                valid_until=i.certificate_valid_until,
            )
            for i in pool
        ],
        recusals=[
            RecusalPair(certificate=key, enterprise=code)
            for code, by_key in grounds.items()
            for key in by_key
        ],
        published=published,
    )


def _check_binding(pool: PoolCommitment, draw: DrawLike, plan: Plan) -> None:
    for field, expected, got in (
        ("draw_digest", draw.digest(), pool.draw_digest),
        ("plan_code", plan.code, pool.plan_code),
        ("line", str(plan.line), pool.line),
    ):
        if expected != got:
            raise ValidationError(
                f"执法人员库承诺与本次调派不符 / the pool commitment is not for this dispatch "
                f"({field}: expected {expected}, got {got})",
                field=f"pool.{field}",
                expected=expected,
                got=got,
            )


def dispatch_from_pool(
    draw: DrawLike,
    enterprises: Iterable[Enterprise] | Mapping[str, Enterprise],
    pool: PoolCommitment,
    plan: Plan,
    profile: Profile,
    *,
    seed: str,
    seed_source: str = "",
    seed_fixed: datetime | None = None,
) -> DispatchRecord:
    """Dispatch the drawn enterprises from the published ``pool`` (algorithm
    :data:`POOL_DISPATCH_VERSION`, docs/dispatch.md): the same rules and steps as
    :func:`~randcheck.dispatch.dispatch`, with inspectors keyed by certificate number, every
    hash bound to the pool commitment and the draw record, recusals recorded without grounds,
    and ``inspectors_digest`` and ``conflicts_digest`` both the pool commitment's digest.

    ``seed_fixed`` is when the seed became known: it must be after the pool commitment's
    publication when both are recorded (commit before seed).

    Raises:
        ValidationError: the pool is for another draw, plan or line, or the seed was fixed at
            or before the pool commitment's publication.
        InfeasibleDispatch: no lawful dispatch exists.
    """
    _check_binding(pool, draw, plan)
    if seed_fixed is not None and (seed_fixed.utcoffset() is None):
        raise ValidationError(field="seed_fixed", expected="an aware datetime", got=seed_fixed)
    if seed_fixed is not None and pool.published is not None and seed_fixed <= pool.published:
        raise ValidationError(
            "调派种子须在执法人员库承诺公布之后确定 / the dispatch seed must be fixed after the "
            f"pool commitment is published ({pool.published.isoformat()})",
            field="seed_fixed",
            expected=f"after {pool.published.isoformat()}",
            got=seed_fixed.isoformat(),
        )
    rnd = Round(
        draw_ids=draw.selected_ids(),
        enterprises=enterprises,
        inspectors=pool.round_inspectors(),
        conflicts=pool.round_conflicts(),
        plan=plan,
        profile=profile,
        seed=seed,
        on=pool.inspection_date,
        tag=POOL_DISPATCH_VERSION,
        bound=(pool.digest(), draw.digest()),
    )
    run, source = solve(rnd, plan.load_cap)
    record = _record(
        rnd,
        run,
        source,
        seed_source=seed_source,
        draw_digest=draw.digest(),
        inspectors_digest=pool.digest(),
        conflicts_digest=pool.digest(),
        on=pool.inspection_date,
    )
    return attrs.evolve(
        record,
        algorithm=POOL_DISPATCH_VERSION,
        seed_fixed=seed_fixed,
        recusals=tuple(attrs.evolve(r, grounds=()) for r in record.recusals),
    )


def _difference(path: str, expected: str | None, got: str | None, en: str, zh: str) -> Difference:
    return Difference(path=path, expected=expected, got=got, message=Text(zh=zh, en=en))


def verify_from_pool(
    record: DispatchRecord,
    draw: DrawLike,
    enterprises: Iterable[Enterprise] | Mapping[str, Enterprise],
    pool: PoolCommitment,
    plan: Plan,
    profile: Profile,
    *,
    published_digest: str | None = None,
) -> Verification:
    """Re-run a dispatch of algorithm :data:`POOL_DISPATCH_VERSION` from published files only.

    Returns:
        a :class:`~randcheck.verification.Verification` of kind ``dispatch-record``, with a
        difference for the published digest, the pool commitment or draw record the record
        is not bound to, and every field or team that differs from the re-run. Replacements
        of such a record are not re-derived here and are reported as a difference.
    """
    differences: list[Difference] = []
    if published_digest is not None and record.digest() != published_digest:
        differences.append(
            _difference(
                "digest",
                published_digest,
                record.digest(),
                "the record's digest differs from the published one",
                "记录的摘要与公布的摘要不同",
            )
        )
    if record.algorithm != POOL_DISPATCH_VERSION:
        differences.append(
            _difference(
                "algorithm",
                POOL_DISPATCH_VERSION,
                record.algorithm,
                "the record is not a dispatch from a pool commitment",
                "记录不是依执法人员库承诺的调派",
            )
        )
        return Verification(kind=DOCUMENT_KIND, digest=record.digest(), differences=differences)
    try:
        expected = dispatch_from_pool(
            draw,
            enterprises,
            pool,
            plan,
            profile,
            seed=record.seed,
            seed_source=record.seed_source,
            seed_fixed=record.seed_fixed,
        )
    except (InfeasibleDispatch, ValidationError) as exc:
        differences.append(
            _difference(
                "teams",
                f"no dispatch: {exc}",
                str(len(record.teams)),
                "the re-run from the pool commitment forms no teams",
                "依执法人员库承诺重新调派无法组成检查组",
            )
        )
        return Verification(kind=DOCUMENT_KIND, digest=record.digest(), differences=differences)
    mine = canonical.unstructure(attrs.evolve(record, replacements=()))
    theirs = canonical.unstructure(expected)
    for name in sorted(theirs):
        if name in ("teams", "recusals"):
            continue
        if mine[name] != theirs[name]:
            differences.append(
                _difference(
                    name,
                    canonical.canonical_json(theirs[name]),
                    canonical.canonical_json(mine[name]),
                    f"{name} differs from the re-run from the pool commitment",
                    f"{name} 与依执法人员库承诺重新调派的结果不同",
                )
            )
    rerun = {team.enterprise: team for team in expected.teams}
    recorded = {team.enterprise: team for team in record.teams}
    for code in sorted(rerun.keys() | recorded.keys()):
        a, b = rerun.get(code), recorded.get(code)
        if a != b:
            differences.append(
                _difference(
                    f"teams[{code}]",
                    None if a is None else ", ".join(a.members),
                    None if b is None else ", ".join(b.members),
                    "the team differs from the re-run from the pool commitment",
                    "检查组与依执法人员库承诺重新调派的结果不同",
                )
            )
    if record.recusals != expected.recusals:
        differences.append(
            _difference(
                "recusals",
                str(len(expected.recusals)),
                str(len(record.recusals)),
                "the recusals differ from the pool commitment's pairs",
                "回避记录与执法人员库承诺的回避对不同",
            )
        )
    if record.replacements:
        differences.append(
            _difference(
                "replacements",
                None,
                str(len(record.replacements)),
                "replacements are not re-derived from the pool commitment",
                "替换记录无法依执法人员库承诺核验",
            )
        )
    return Verification(kind=DOCUMENT_KIND, digest=record.digest(), differences=differences)
