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

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import attrs

from randcheck import canonical
from randcheck.domain import Conflict, ConflictGround, Enterprise, Inspector, Plan
from randcheck.errors import InfeasibleDispatch, ValidationError
from randcheck.hashing import encode_fields
from randcheck.privacy import mask_inspector_key
from randcheck.profiles import Profile
from randcheck.rules import RecusalIndex, qualification_problem
from randcheck.verification import Difference, Verification

from .engine import DrawLike, Round, _record, solve
from .record import DOCUMENT_KIND, DispatchRecord, Recusal, ReplacementScope
from .replacement import (
    append_replacements,
    replacement_targets,
    require_reason,
    substitute,
)
from .verification import _difference

__all__ = [
    "PAIR_COMMITMENT_TAG",
    "PAIR_SALT_TAG",
    "POOL_DISPATCH_VERSION",
    "POOL_KIND",
    "SALT_KIND",
    "TEAM_SECRET_TAG",
    "PoolCommitment",
    "PoolInspector",
    "PoolSalt",
    "RecusalPair",
    "SaltedPair",
    "commit_pool",
    "dispatch_from_pool",
    "pair_commitment",
    "pair_salt",
    "replace_from_pool",
    "salt_pool",
    "team_secret",
    "verify_from_pool",
]

POOL_KIND = "dispatch-pool"
"""The ``kind`` of a pool commitment's JSON document."""

POOL_DISPATCH_VERSION = "randcheck-dispatch-v2"
"""Algorithm tag of a dispatch from a pool commitment: the first field of every hash, followed
by the purpose, the pool commitment's digest and the draw record's digest, then the seed."""

SALT_KIND = "dispatch-pool-salt"
"""The ``kind`` of the opening of a salted pool commitment (:class:`PoolSalt`): kept by the
department and given to the oversight office, never published."""

PAIR_SALT_TAG = "randcheck-recusal-salt-v1"
"""First field of the message whose HMAC under the master salt is one pair's salt."""

PAIR_COMMITMENT_TAG = "randcheck-recusal-pair-v1"
"""First field of the byte string whose SHA-256 is a salted pair commitment."""

TEAM_SECRET_TAG = "randcheck-dispatch-secret-v1"
"""First field of the message whose HMAC under the master salt keys the draws of a team with a
hidden pair."""

_MASTER_BYTES = 32

_POOL_POST = "执法人员"
_POOL_NOTE = "recusal pair of the pool commitment"
_DECLARED_NOTE = "recusal pair declared since the dispatch"


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


@attrs.frozen(kw_only=True, order=True)
class SaltedPair:
    """A recusal pair with its inspector hidden: the enterprise (USCC) and
    :func:`pair_commitment` of the pair."""

    enterprise: str
    commitment: str


def _master(value: str) -> str:
    if len(value) != 2 * _MASTER_BYTES or value.strip("0123456789abcdef"):
        raise ValidationError(
            field="master", expected=f"{2 * _MASTER_BYTES} lower-case hex digits", got=value
        )
    return value


def pair_salt(master: str, pair: RecusalPair) -> str:
    """The salt of one pair: HMAC-SHA256 keyed by the master salt's 32 bytes over
    ``encode_fields([PAIR_SALT_TAG, certificate, USCC])``, as 64 lower-case hex digits.

    Revealing one pair's salt (to open that pair alone) reveals nothing of the master salt or
    of any other pair's salt.
    """
    key = bytes.fromhex(_master(master))
    message = encode_fields([PAIR_SALT_TAG, pair.certificate, pair.enterprise])
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def pair_commitment(salt: str, pair: RecusalPair) -> str:
    """``"sha256:<hex>"`` of ``encode_fields([PAIR_COMMITMENT_TAG, salt, certificate, USCC])``
    (``salt`` as 64 hex digits, :func:`pair_salt`)."""
    data = encode_fields([PAIR_COMMITMENT_TAG, salt, pair.certificate, pair.enterprise])
    return "sha256:" + hashlib.sha256(data).hexdigest()


def team_secret(master: str, enterprise: str) -> str:
    """The secret that keys the seat and substitute draws of an enterprise with a hidden pair:
    HMAC-SHA256 keyed by the master salt over ``encode_fields([TEAM_SECRET_TAG, USCC])``, hex."""
    key = bytes.fromhex(_master(master))
    return hmac.new(key, encode_fields([TEAM_SECRET_TAG, enterprise]), hashlib.sha256).hexdigest()


def _salted(value: Iterable[SaltedPair]) -> tuple[SaltedPair, ...]:
    return tuple(sorted(value))


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
        recusals: every recusal pair between the pool and the drawn enterprises, sorted;
            empty when the pairs are salted.
        published: when the commitment was published (aware), if recorded.
        salted: with salted recusal pairs (profile ``[team] recusal_pairs = "salted"``), one
            :class:`SaltedPair` per pair, sorted by (enterprise, commitment); left out of the
            document when empty, so pools with public pairs keep their bytes.
    """

    draw_digest: str
    plan_code: str
    line: str
    inspection_date: date
    inspectors: tuple[PoolInspector, ...] = attrs.field(converter=_inspectors)
    recusals: tuple[RecusalPair, ...] = attrs.field(default=(), converter=_pairs)
    published: datetime | None = None
    salted: tuple[SaltedPair, ...] = attrs.field(default=(), converter=_salted)

    def hidden(self) -> frozenset[str]:
        """The enterprises (USCCs) with at least one salted pair."""
        return frozenset(pair.enterprise for pair in self.salted)

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


canonical.omit_defaults(PoolCommitment, "salted")
canonical.exact_documents(PoolCommitment)


@attrs.frozen(kw_only=True)
class PoolSalt:
    """The opening of a salted pool commitment (kind :data:`SALT_KIND`): the master salt and
    the pairs it hides. The department keeps it and gives it to the oversight office.

    Attributes:
        pool_digest: ``digest()`` of the salted pool commitment it opens.
        master: the per-dispatch master salt, 64 lower-case hex digits (32 random bytes).
        pairs: the hidden pairs, sorted.
    """

    pool_digest: str
    master: str = attrs.field(converter=_master)
    pairs: tuple[RecusalPair, ...] = attrs.field(default=(), converter=_pairs)

    def to_document(self) -> dict[str, Any]:
        """The opening's document (kind :data:`SALT_KIND`)."""
        return canonical.to_document(SALT_KIND, self)

    @classmethod
    def from_document(cls, document: Any, *, source: str | None = None) -> PoolSalt:
        """Read a document written by :meth:`to_document`.

        Raises:
            InputFileError: every problem found, each with its JSON path.
        """
        return canonical.from_document(document, SALT_KIND, cls, source=source)

    def digest(self) -> str:
        """``"sha256:<hex>"`` of the canonical bytes of :meth:`to_document`."""
        return canonical.digest(self.to_document())

    def commitments(self) -> tuple[SaltedPair, ...]:
        """The salted pairs this opening gives, sorted as in the pool commitment."""
        return _salted(
            SaltedPair(
                enterprise=pair.enterprise,
                commitment=pair_commitment(pair_salt(self.master, pair), pair),
            )
            for pair in self.pairs
        )

    def problem(self, pool: PoolCommitment) -> str | None:
        """Why this does not open ``pool`` exactly, or ``None`` when it does."""
        if self.pool_digest != pool.digest():
            return f"the salt is for pool {self.pool_digest}, not {pool.digest()}"
        if self.commitments() != pool.salted:
            return "the salted pairs do not open the pool commitment's commitments"
        return None


canonical.exact_documents(PoolSalt)


def salt_pool(pool: PoolCommitment, master: str | None = None) -> tuple[PoolCommitment, PoolSalt]:
    """``pool`` with its recusal pairs replaced by salted commitments, and their opening.

    ``master`` is the dispatch's master salt (64 hex digits); by default 32 bytes from
    :mod:`secrets`. Each pair's salt is :func:`pair_salt` of it, each commitment
    :func:`pair_commitment`.
    """
    key = master if master is not None else secrets.token_hex(_MASTER_BYTES)
    hidden = pool.recusals
    opening = PoolSalt(pool_digest="sha256:" + "0" * 64, master=key, pairs=hidden)
    salted = attrs.evolve(pool, recusals=(), salted=opening.commitments())
    return salted, attrs.evolve(opening, pool_digest=salted.digest())


def _opened(pool: PoolCommitment, salt: PoolSalt | None) -> PoolSalt | None:
    if not pool.salted:
        return None
    if salt is None:
        raise ValidationError(
            "执法人员库承诺的回避对已加盐，调派需要盐值 / the pool's recusal pairs are salted: "
            "dispatching from it needs their salt",
            field="salt",
            expected="the pool's salt",
            got=None,
        )
    problem = salt.problem(pool)
    if problem is not None:
        raise ValidationError(
            f"盐值与执法人员库承诺不符 / {problem}",
            field="salt",
            expected=pool.digest(),
            got=salt.pool_digest,
        )
    return salt


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


def _pair_conflicts(pairs: Iterable[RecusalPair]) -> list[Conflict]:
    return [
        Conflict(
            inspector=pair.certificate,
            enterprise=pair.enterprise,
            ground=ConflictGround.OTHER,
            note=_POOL_NOTE,
        )
        for pair in pairs
    ]


def _check_seed_fixed(pool: PoolCommitment, seed_fixed: datetime | None) -> None:
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


def _run(
    draw: DrawLike,
    enterprises: Iterable[Enterprise] | Mapping[str, Enterprise],
    pool: PoolCommitment,
    plan: Plan,
    profile: Profile,
    *,
    seed: str,
    seed_source: str,
    seed_fixed: datetime | None,
    pairs: Iterable[RecusalPair],
    secrets_of: Mapping[str, str],
) -> DispatchRecord:
    rnd = Round(
        draw_ids=draw.selected_ids(),
        enterprises=enterprises,
        inspectors=pool.round_inspectors(),
        conflicts=_pair_conflicts(pairs),
        plan=plan,
        profile=profile,
        seed=seed,
        on=pool.inspection_date,
        tag=POOL_DISPATCH_VERSION,
        bound=(pool.digest(), draw.digest()),
        secrets=secrets_of,
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
    # Only the pool's public pairs are recorded: a salted pair stays hidden.
    public = set(pool.recusals)
    return attrs.evolve(
        record,
        algorithm=POOL_DISPATCH_VERSION,
        seed_fixed=seed_fixed,
        recusals=tuple(
            attrs.evolve(r, grounds=())
            for r in record.recusals
            if RecusalPair(certificate=r.inspector, enterprise=r.enterprise) in public
        ),
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
    salt: PoolSalt | None = None,
) -> DispatchRecord:
    """Dispatch the drawn enterprises from the published ``pool`` (algorithm
    :data:`POOL_DISPATCH_VERSION`, docs/dispatch.md): the same rules and steps as
    :func:`~randcheck.dispatch.dispatch`, with inspectors keyed by certificate number, every
    hash bound to the pool commitment and the draw record, recusals recorded without grounds,
    and ``inspectors_digest`` and ``conflicts_digest`` both the pool commitment's digest.

    A pool with salted pairs needs ``salt``, its opening: the hidden pairs are recusals like
    the public ones, the seat draws of an enterprise with a hidden pair are keyed by its
    :func:`team_secret` too, and hidden pairs are not listed in the record's ``recusals``.

    ``seed_fixed`` is when the seed became known: it must be after the pool commitment's
    publication when both are recorded (commit before seed).

    Raises:
        ValidationError: the pool is for another draw, plan or line, the seed was fixed at
            or before the pool commitment's publication, or the pool is salted and ``salt``
            is missing or does not open it.
        InfeasibleDispatch: no lawful dispatch exists.
    """
    _check_binding(pool, draw, plan)
    _check_seed_fixed(pool, seed_fixed)
    opening = _opened(pool, salt)
    hidden = () if opening is None else opening.pairs
    secrets_of = (
        {}
        if opening is None
        else {code: team_secret(opening.master, code) for code in pool.hidden()}
    )
    return _run(
        draw,
        enterprises,
        pool,
        plan,
        profile,
        seed=seed,
        seed_source=seed_source,
        seed_fixed=seed_fixed,
        pairs=(*pool.recusals, *hidden),
        secrets_of=secrets_of,
    )


def _declared_pairs(record: DispatchRecord, upto: int) -> list[RecusalPair]:
    return [
        RecusalPair(certificate=row.inspector, enterprise=row.enterprise)
        for entry in record.replacements[:upto]
        for row in entry.declared
    ]


def _substitute_from_pool(
    so_far: DispatchRecord,
    index: int,
    code: str,
    outgoing: str,
    pool: PoolCommitment,
    pairs: Sequence[RecusalPair],
    secrets_of: Mapping[str, str],
    hidden: frozenset[RecusalPair],
) -> tuple[str, tuple[Recusal, ...]]:
    incoming, recusals = substitute(
        so_far,
        index,
        enterprise=code,
        outgoing=outgoing,
        staff=pool.round_inspectors(),
        conflicts=_pair_conflicts(pairs),
        bound=(pool.digest(), so_far.draw_digest),
        secret=secrets_of.get(code),
    )
    # A salted pair stays hidden; every other recusal the draw respected is recorded.
    shown = tuple(
        attrs.evolve(r, grounds=())
        for r in recusals
        if RecusalPair(certificate=r.inspector, enterprise=r.enterprise) not in hidden
    )
    return incoming, shown


def replace_from_pool(
    record: DispatchRecord,
    pool: PoolCommitment,
    inspector_key: str,
    reason: str,
    *,
    on: date,
    declared: Iterable[RecusalPair] = (),
    enterprise: str | None = None,
    salt: PoolSalt | None = None,
) -> DispatchRecord:
    """:func:`~randcheck.dispatch.replace_member` for a record of :data:`POOL_DISPATCH_VERSION`:
    the substitute is drawn from the pool commitment, its hash bound to the pool's and the draw
    record's digests (``H(V, "dispatch-replace", pool digest, draw digest, seed, USCC,
    [team secret,] r, c)``), and the conflicts declared since are recusal pairs, recorded on the
    replacement as rows of ground ``other`` with the fixed note ``"recusal pair declared since
    the dispatch"``, so that anyone can re-derive it and no ground or personal note is kept.

    Raises:
        ValidationError: empty reason, a pool other than the record's, a salted pool without
            its salt, or the inspector is not in the team(s).
        InfeasibleDispatch: nobody may take the place under the rules.
    """
    require_reason(reason)
    if record.algorithm != POOL_DISPATCH_VERSION or record.inspectors_digest != pool.digest():
        raise ValidationError(
            "执法人员库承诺与该调派记录不符 / the pool commitment is not the one the dispatch "
            "record is bound to",
            field="pool",
            expected=record.inspectors_digest,
            got=pool.digest(),
        )
    opening = _opened(pool, salt)
    hidden = () if opening is None else opening.pairs
    secrets_of = (
        {}
        if opening is None
        else {code: team_secret(opening.master, code) for code in pool.hidden()}
    )
    new_pairs = sorted(set(declared))
    new_rows = tuple(
        Conflict(
            inspector=p.certificate,
            enterprise=p.enterprise,
            ground=ConflictGround.OTHER,
            note=_DECLARED_NOTE,
        )
        for p in new_pairs
    )
    targets, scope = replacement_targets(record, inspector_key, enterprise)
    hidden_set = (
        frozenset(hidden) - set(new_pairs) - set(_declared_pairs(record, len(record.replacements)))
    )
    pairs = [
        *pool.recusals,
        *hidden,
        *_declared_pairs(record, len(record.replacements)),
        *new_pairs,
    ]

    def draw(so_far: DispatchRecord, index: int, code: str) -> tuple[str, tuple[Recusal, ...]]:
        return _substitute_from_pool(
            so_far, index, code, inspector_key, pool, pairs, secrets_of, hidden_set
        )

    return append_replacements(record, targets, inspector_key, reason, on, scope, new_rows, draw)


def verify_from_pool(
    record: DispatchRecord,
    draw: DrawLike,
    enterprises: Iterable[Enterprise] | Mapping[str, Enterprise],
    pool: PoolCommitment,
    plan: Plan,
    profile: Profile,
    *,
    published_digest: str | None = None,
    salt: PoolSalt | None = None,
) -> Verification:
    """Re-run a dispatch of algorithm :data:`POOL_DISPATCH_VERSION`, and every replacement,
    from published files only.

    With a salted pool and no ``salt`` (the public's check), the teams of the enterprises with
    a hidden pair cannot be re-derived: the re-run takes their recorded members as the only
    inspectors eligible for them, checks every other team, field and replacement exactly and
    the hidden teams' members against the pool and the rules, and lists ``teams[<USCC>]`` of
    each hidden team (and ``replacements[<n>]`` of each replacement in one) as
    ``unverified``. A team that differs from that re-run may have been moved by the repair
    step on account of a hidden team (docs/dispatch.md, "The public check"): it is taken as
    recorded too, checked against the rules, and listed as ``unverified``, until the rest of
    the re-run is the record's. With ``salt`` (the oversight office's check) every team is
    re-derived.

    Returns:
        a :class:`~randcheck.verification.Verification` of kind ``dispatch-record``, with a
        difference for the published digest, the pool commitment or draw record the record
        is not bound to, a salt that does not open the pool, and every field, team or
        replacement that differs from the re-run.
    """
    differences: list[Difference] = []

    def done(unverified: Iterable[str] = ()) -> Verification:
        return Verification(
            kind=DOCUMENT_KIND,
            digest=record.digest(),
            differences=differences,
            unverified=unverified,
        )

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
    if record.algorithm != POOL_DISPATCH_VERSION:
        differences.append(
            _difference(
                "algorithm",
                POOL_DISPATCH_VERSION,
                record.algorithm,
                "记录不是依执法人员库承诺的调派",
                "the record is not a dispatch from a pool commitment",
            )
        )
        return done()
    if salt is not None and pool.salted:
        problem = salt.problem(pool)
        if problem is not None:
            differences.append(
                _difference(
                    "salt", pool.digest(), salt.pool_digest, "盐值与执法人员库承诺不符", problem
                )
            )
            return done()
    opened = salt is not None or not pool.salted
    hidden_codes: set[str] = set() if opened else set(pool.hidden() & set(draw.selected_ids()))
    hidden_pairs = () if salt is None or not pool.salted else salt.pairs
    secrets_of = (
        {code: team_secret(salt.master, code) for code in pool.hidden()}
        if salt is not None and pool.salted
        else {}
    )
    recorded_teams = {team.enterprise: team for team in record.teams}

    def rerun(fixed: set[str]) -> DispatchRecord:
        # The teams of ``fixed`` take their recorded members as the only inspectors eligible
        # for them: their draws are keyed by a secret, but everything else is checked.
        forced = [
            RecusalPair(certificate=i.certificate, enterprise=code)
            for code in sorted(fixed)
            for i in pool.inspectors
            if i.certificate not in getattr(recorded_teams.get(code), "members", ())
        ]
        return _run(
            draw,
            enterprises,
            pool,
            plan,
            profile,
            seed=record.seed,
            seed_source=record.seed_source,
            seed_fixed=record.seed_fixed,
            pairs=(*pool.recusals, *hidden_pairs, *forced),
            secrets_of=secrets_of,
        )

    # Teams the repair step may have moved on account of the hidden teams (below).
    moved: set[str] = set()
    try:
        _check_binding(pool, draw, plan)
        _check_seed_fixed(pool, record.seed_fixed)
        expected = rerun(hidden_codes)
        # A seat the greedy pass left empty is filled by the repair step, which may move
        # inspectors between teams, hidden ones included; the greedy pass of a hidden team
        # rests on the secret, so where the dispatch needed repairing, another team may
        # rightly differ from a re-run that takes the hidden teams as recorded. Such teams are
        # taken as recorded as well, until the rest of the re-run is the record's: they are
        # checked against the rules, and named as not re-derived.
        while hidden_codes:
            differing = {
                team.enterprise
                for team in expected.teams
                if team.enterprise not in hidden_codes | moved
                and team.enterprise in recorded_teams
                and team != recorded_teams[team.enterprise]
            }
            if not differing:
                break
            moved |= differing
            expected = rerun(hidden_codes | moved)
    except (InfeasibleDispatch, ValidationError) as exc:
        differences.append(
            _difference(
                "teams",
                f"no dispatch: {exc}",
                str(len(record.teams)),
                "依执法人员库承诺重新调派无法组成检查组",
                "the re-run from the pool commitment forms no teams",
            )
        )
        return done()
    mine = canonical.unstructure(attrs.evolve(record, replacements=()))
    theirs = canonical.unstructure(expected)
    for name in sorted(theirs.keys() | mine.keys()):
        if name in ("teams", "recusals"):
            continue
        if mine.get(name) != theirs.get(name):
            differences.append(
                _difference(
                    name,
                    canonical.canonical_json(theirs.get(name)),
                    canonical.canonical_json(mine.get(name)),
                    f"{name} 与依执法人员库承诺重新调派的结果不同",
                    f"{name} differs from the re-run from the pool commitment",
                )
            )
    rerun_teams = {team.enterprise: team for team in expected.teams}
    if [team.enterprise for team in record.teams] != sorted(recorded_teams) or len(
        recorded_teams
    ) != len(record.teams):
        differences.append(
            _difference(
                "teams",
                "one team per enterprise, sorted by USCC",
                "another list",
                "检查组须每企业一个并按统一社会信用代码排序",
                "the teams are not one per enterprise in USCC order",
            )
        )
    for code in sorted(rerun_teams.keys() | recorded_teams.keys()):
        a, b = rerun_teams.get(code), recorded_teams.get(code)
        if code in hidden_codes | moved and a is not None and b is not None:
            # Its order of drawing rests on the secret; its members and district do not.
            same = sorted(a.members) == sorted(b.members) and len(set(b.members)) == len(b.members)
            if same and a.district == b.district:
                continue
        elif a == b:
            continue
        differences.append(
            _difference(
                f"teams[{code}]",
                None if a is None else ", ".join(a.members),
                None if b is None else ", ".join(b.members),
                "检查组与依执法人员库承诺重新调派的结果不同",
                "the team differs from the re-run from the pool commitment",
            )
        )
    if record.recusals != expected.recusals:
        differences.append(
            _difference(
                "recusals",
                str(len(expected.recusals)),
                str(len(record.recusals)),
                "回避记录与执法人员库承诺的回避对不同",
                "the recusals differ from the pool commitment's pairs",
            )
        )
    unverified = [f"teams[{code}]" for code in sorted(hidden_codes | moved)]
    unverified += _verify_replacements(
        differences, record, pool, pool.recusals, hidden_pairs, secrets_of, hidden_codes
    )
    return done(unverified)


def _verify_replacements(
    differences: list[Difference],
    record: DispatchRecord,
    pool: PoolCommitment,
    public_pairs: Sequence[RecusalPair],
    hidden_pairs: Sequence[RecusalPair],
    secrets_of: Mapping[str, str],
    hidden_codes: set[str],
) -> list[str]:
    """Re-derive every replacement on top of the recorded history; return the paths of those
    in hidden teams, which cannot be re-derived without the salt."""
    unverified: list[str] = []
    base = attrs.evolve(record, replacements=())
    for n, entry in enumerate(record.replacements):
        name = f"replacements[{n}]"
        so_far = attrs.evolve(base, replacements=record.replacements[:n])
        members = {t.enterprise: t.members for t in so_far.current_teams()}
        if entry.outgoing not in members.get(entry.enterprise, ()):
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
        problem = _entry_problem(record, n)
        if problem is not None:
            differences.append(
                _difference(name, None, None, "替换记录的范围或申报不合规则", problem)
            )
            continue
        if entry.enterprise in hidden_codes:
            unverified.append(name)
            continue
        try:
            incoming, recusals = _substitute_from_pool(
                so_far,
                n,
                entry.enterprise,
                entry.outgoing,
                pool,
                [*public_pairs, *hidden_pairs, *_declared_pairs(record, n + 1)],
                secrets_of,
                frozenset(hidden_pairs) - set(_declared_pairs(record, n + 1)),
            )
        except InfeasibleDispatch as exc:
            differences.append(
                _difference(
                    f"{name}.incoming",
                    f"no substitute: {exc}",
                    entry.incoming,
                    "重新抽取找不到替补人员",
                    "the re-run finds no substitute",
                )
            )
            continue
        if incoming != entry.incoming:
            differences.append(
                _difference(
                    f"{name}.incoming",
                    incoming,
                    entry.incoming,
                    "替补人员与依执法人员库承诺重新抽取的结果不同",
                    "the substitute differs from the re-run from the pool commitment",
                )
            )
        if recusals != entry.recusals:
            differences.append(
                _difference(
                    f"{name}.recusals",
                    ", ".join(r.inspector for r in recusals) or "(none)",
                    ", ".join(r.inspector for r in entry.recusals) or "(none)",
                    "替换记录的回避与重新抽取的结果不同",
                    "the replacement's recusals differ from the re-run",
                )
            )
    return unverified


def _entry_problem(record: DispatchRecord, n: int) -> str | None:
    """What a replacement states that the rules of :func:`replace_from_pool` exclude."""
    entry = record.replacements[n]
    for row in entry.declared:
        if (
            row.ground is not ConflictGround.OTHER
            or row.note != _DECLARED_NOTE
            or row.since is not None
            or row.until is not None
        ):
            return "a declared pair carries a ground, note or dates of its own"
    if sorted(entry.declared, key=lambda c: (c.inspector, c.enterprise)) != list(entry.declared):
        return "the declared pairs are not sorted"
    if len({(c.inspector, c.enterprise) for c in entry.declared}) != len(entry.declared):
        return "a declared pair is listed twice"
    # Entries made by one call share outgoing, reason, date and scope; a round-scoped one
    # leaves every team the inspector is in, in USCC order, the declared pairs on its first.
    first = n
    while first > 0 and _same_call(record.replacements[first - 1], entry):
        first -= 1
    if n > first and entry.declared:
        return "declared pairs on a later entry of one replacement"
    if entry.scope is ReplacementScope.ROUND and n == first:
        before = attrs.evolve(record, replacements=record.replacements[:n])
        expected = sorted(
            t.enterprise for t in before.current_teams() if entry.outgoing in t.members
        )
        last = n
        while last + 1 < len(record.replacements) and _same_call(
            record.replacements[last + 1], entry
        ):
            last += 1
        got = [r.enterprise for r in record.replacements[n : last + 1]]
        if got != expected:
            return "a round-scoped replacement does not cover every team of the inspector"
    return None


def _same_call(a: Any, b: Any) -> bool:
    return bool(
        a.scope is ReplacementScope.ROUND
        and b.scope is ReplacementScope.ROUND
        and a.outgoing == b.outgoing
        and a.reason == b.reason
        and a.on == b.on
    )
