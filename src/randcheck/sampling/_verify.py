"""Verification of a draw record, and the explanation of one enterprise's outcome.

:func:`verify` re-runs the draw from the inputs and lists every difference with the record,
naming the field (``commitment.digest``, ``seed``, ``selected[…].weight``…) in a
:class:`~randcheck.verification.DrawVerification`. :func:`explain` needs only the published
record and one enterprise's own data: it recomputes that enterprise's hash number and key and
compares them with its stratum's cut-off.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import os
from collections import deque
from collections.abc import Callable, Iterable
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import TypeAlias

import attrs

from randcheck.domain import Enterprise, Plan, SampleAllocation
from randcheck.errors import CommitmentMismatch, InvalidIdentifier, ValidationError
from randcheck.ids import validate_uscc
from randcheck.profiles import Profile, get_profile
from randcheck.sampling._common import (
    ALGORITHM,
    DRAW_ALGORITHM_VERSIONS,
    fraction_text,
    require_argument,
)
from randcheck.sampling._frame import (
    ExclusionReason,
    Frame,
    FrameUnit,
    History,
    PlanParameters,
    build_frame,
    stratum_name,
)
from randcheck.sampling._record import (
    RECORD_KIND,
    DrawRecord,
    SelectedUnit,
    StratumResult,
    _record,
    draw_strata,
)
from randcheck.sampling._selection import Progress, pareto_key, unit_hash
from randcheck.text import Text
from randcheck.verification import Difference, DrawVerification

__all__ = [
    "DrawOutcome",
    "Explanation",
    "explain",
    "verify",
]

FrameBuilder: TypeAlias = Callable[[PlanParameters, Profile, int, int], Frame]
"""Builds a draw's frame from ``(parameters, profile, round, version)``."""


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, Fraction):
        return fraction_text(value)
    if isinstance(value, PlanParameters):
        return value.code
    return str(value)


def _diff(path: str, expected: object, got: object, zh: str, en: str) -> Difference:
    return Difference(
        path=path, expected=_text(expected), got=_text(got), message=Text(zh=zh, en=en)
    )


def _field_differences(
    where: str, expected: object, recorded: object, fields: tuple[str, ...], zh: str, en: str
) -> list[Difference]:
    """One difference for each of ``fields`` whose recorded value is not the re-run's."""
    differences: list[Difference] = []
    for field in fields:
        a, b = getattr(expected, field), getattr(recorded, field)
        if a != b:
            differences.append(
                _diff(
                    f"{where}.{field}",
                    a,
                    b,
                    f"{zh}的{field}与重新抽取的结果不同",
                    f"{en}: {field} differs from the re-run",
                )
            )
    return differences


def verify(
    record: DrawRecord,
    source: Frame | Iterable[Enterprise] | FrameBuilder,
    *,
    plan: Plan | PlanParameters | None = None,
    profile: Profile | None = None,
    history: History | None = None,
    progress: Progress | None = None,
    published_digest: str | None = None,
) -> DrawVerification:
    """Re-run the draw of ``record`` and report every difference.

    What the record states as given and no re-run can recompute — the seed's source and the
    time it was fixed, the commitment's publication time — is pinned by ``published_digest``,
    the record's digest as published with it: a record whose ``digest()`` differs has the
    difference ``digest`` first.

    ``source`` is the frame itself, or the target directory from which the frame is rebuilt
    with the plan parameters recorded (or ``plan``, if given: then a plan that differs from
    the record's is a difference), the profile named in the record (or ``profile``) and the
    year's ``history`` of random checks; or a function that builds that frame itself, given
    ``(parameters, profile, round, version)`` (a directory read as a stream, whose history
    the function loads).

    Returns:
        a :class:`~randcheck.verification.DrawVerification`: ``ok`` when the record is exactly
        the re-run draw; ``digest`` is ``record.digest()`` and ``frame_digest`` the digest of
        the frame the draw was re-run on.

    Raises:
        TypeError: ``source`` is a path (load it with :func:`randcheck.io.load_enterprises`);
            ``record``, ``plan`` or ``profile`` is not of its type.
    """
    _check_arguments("verify", record, plan=plan, profile=profile)
    return _verify(
        record,
        source,
        plan=plan,
        profile=profile,
        history=history,
        progress=progress,
        published_digest=published_digest,
        digest=record.digest,
    )


def _verify(
    record: DrawRecord,
    source: Frame | Iterable[Enterprise] | FrameBuilder,
    *,
    plan: Plan | PlanParameters | None,
    profile: Profile | None,
    history: History | None,
    progress: Progress | None,
    published_digest: str | None,
    digest: Callable[[], str],
) -> DrawVerification:
    """:func:`verify`, with ``digest`` giving ``record.digest()`` (called at most once): a
    caller that has the record's canonical bytes at hand hashes them instead."""
    record_digest = functools.cache(digest)
    if isinstance(source, (str, bytes, os.PathLike)):
        # A path is a natural guess for "the directory"; iterating it would go character by
        # character (a string) and fail far from here.
        raise TypeError(
            "verify() takes the frame, the directory's enterprises (an iterable of Enterprise: "
            f"randcheck.io.load_enterprises({os.fspath(source)!r})) or a frame builder, "
            "not a path"
        )
    differences: list[Difference] = []
    if published_digest is not None and record_digest() != published_digest:
        differences.append(
            _diff(
                "digest",
                published_digest,
                record_digest(),
                "记录的摘要与公布的摘要不同",
                "the record's digest differs from the published one",
            )
        )
    if record.algorithm != ALGORITHM or record.version not in DRAW_ALGORITHM_VERSIONS:
        differences.append(
            _diff(
                "algorithm",
                f"{ALGORITHM} {' or '.join(map(str, DRAW_ALGORITHM_VERSIONS))}",
                f"{record.algorithm} {record.version}",
                "记录使用的抽取算法或版本不受支持",
                "the record's algorithm or version is not this one",
            )
        )
        return DrawVerification(
            kind=RECORD_KIND, digest=record_digest(), differences=differences, frame_digest=""
        )

    commitment = record.commitment
    for name, mine, committed in (
        ("profile", record.profile, commitment.profile),
        ("parameters", record.parameters, commitment.parameters),
        ("round", record.round, commitment.round),
        ("commitment.algorithm", record.algorithm, commitment.algorithm),
        ("commitment.version", record.version, commitment.version),
    ):
        if mine != committed:
            differences.append(
                _diff(
                    name,
                    committed,
                    mine,
                    "记录与其中的承诺不一致",
                    "the record disagrees with the commitment it contains",
                )
            )
    if record.seed_after_commitment() is False:
        differences.append(
            _diff(
                "seed.fixed",
                f"after {commitment.published}",
                record.seed.fixed,
                "随机种子在承诺公布之前已确定",
                "the seed was fixed before the commitment was published",
            )
        )

    if isinstance(source, Frame):
        frame = source
    else:
        parameters = record.parameters
        if plan is not None:
            parameters = (
                plan if isinstance(plan, PlanParameters) else PlanParameters.from_plan(plan)
            )
            if parameters != record.parameters:
                differences.append(
                    _diff(
                        "parameters",
                        parameters,
                        record.parameters,
                        "记录中的抽查计划参数与给定计划不同",
                        "the record's plan parameters differ from the plan given",
                    )
                )
        if profile is None:
            profile = get_profile(record.profile)
        if callable(source):
            frame = source(parameters, profile, record.round, record.version)
        else:
            frame = build_frame(
                source,
                parameters,
                profile,
                history=history,
                round=record.round,
                version=record.version,
            )
    for name, actual, recorded in (
        ("profile", frame.profile, record.profile),
        ("parameters", frame.parameters, record.parameters),
        ("round", frame.round, record.round),
    ):
        if actual != recorded and not any(d.path == name for d in differences):
            differences.append(
                _diff(
                    name,
                    actual,
                    recorded,
                    "抽查名录的参数与记录不同",
                    "the frame's parameters differ from the record's",
                )
            )
    # From version 2 on, the frame's digest is part of every unit's hash input: another frame
    # gives every unit another key, so every cut-off and drawn unit differs as well.
    consequence = (
        (
            "；此后各分层的截断键和抽中企业因此全部不同",
            "; every cut-off and drawn unit below then differs too",
        )
        if record.version > 1
        else ("", "")
    )
    for name, actual, recorded in (
        ("commitment.digest", frame.digest(), commitment.frame_digest),
        ("commitment.eligible", frame.population, commitment.eligible),
        ("commitment.out_of_scope", len(frame.out_of_scope), commitment.out_of_scope),
        ("commitment.cap_reached", len(frame.cap_reached), commitment.cap_reached),
        ("commitment.strata", len(frame.strata), commitment.strata),
    ):
        if actual != recorded:
            zh, en = consequence if name == "commitment.digest" else ("", "")
            differences.append(
                _diff(
                    name,
                    actual,
                    recorded,
                    "由所给文件生成的抽查名录（重新推导）与记录中已公布的承诺（记录）不符" + zh,
                    "the frame built from the files given (re-run) does not match the "
                    "commitment the record holds (record)" + en,
                )
            )

    expected = _record(
        frame, commitment, record.seed, draw_strata(frame, record.seed.value, progress=progress)
    )
    differences.extend(_seed_differences(record))
    differences.extend(_strata_differences(expected.strata, record.strata))
    differences.extend(_unit_differences(expected.selected, record.selected))
    return DrawVerification(
        kind=RECORD_KIND,
        digest=record_digest(),
        differences=differences,
        frame_digest=frame.digest(),
    )


def _unit_hash(record: DrawRecord, seed: str, stratum: str, uscc: str) -> int:
    return unit_hash(
        seed,
        stratum,
        uscc,
        version=record.version,
        frame_digest=record.commitment.frame_digest,
    )


def _seed_differences(record: DrawRecord) -> list[Difference]:
    keyed = [u for u in record.selected if u.hash is not None]
    if len(keyed) < 2:
        return []
    seed = record.seed.value
    if any(u.hash == _hex(_unit_hash(record, seed, u.stratum, u.uscc)) for u in keyed):
        return []
    return [
        _diff(
            "seed",
            "the seed the recorded hashes were computed with",
            seed,
            "记录中的哈希值均不是由该随机种子算出的：种子与抽取时所用的不同",
            "none of the recorded hash numbers comes from this seed: it is not the seed the "
            "draw used",
        )
    ]


def _hex(h: int) -> str:
    return h.to_bytes(32, "big").hex()


# What a stratum's frame and allocation give, then what its keys give: a change in the
# directory shows first where it is (a population, a weight), before the cut-offs it moves.
_STRATUM_FIELDS = (
    "population",
    "ratio",
    "sample_size",
    "weight_total",
    "certainty",
    "residual_weight",
)
_CUTOFF_FIELDS = ("cutoff", "cutoff_unit")


def _strata_differences(
    expected: tuple[StratumResult, ...], recorded: tuple[StratumResult, ...]
) -> list[Difference]:
    differences: list[Difference] = []
    mine = {s.name: s for s in recorded}
    theirs = {s.name: s for s in expected}
    for name, result in theirs.items():
        other = mine.get(name)
        if other is None:
            differences.append(
                _diff(
                    "strata",
                    name,
                    None,
                    f"记录缺少分层“{name}”",
                    f"the record lacks stratum {name!r}",
                )
            )
            continue
        differences += _field_differences(
            f"strata[{name}]", result, other, _STRATUM_FIELDS, f"分层“{name}”", f"stratum {name!r}"
        )
    for name, result in theirs.items():
        other = mine.get(name)
        if other is not None:
            differences += _field_differences(
                f"strata[{name}]",
                result,
                other,
                _CUTOFF_FIELDS,
                f"分层“{name}”",
                f"stratum {name!r}",
            )
    for name in mine:
        if name not in theirs:
            differences.append(
                _diff(
                    "strata",
                    None,
                    name,
                    f"记录中多出分层“{name}”",
                    f"the record has an extra stratum {name!r}",
                )
            )
    if [s.name for s in recorded] != sorted(mine):
        differences.append(
            _diff("strata", "sorted by name", "unsorted", "分层顺序错误", "strata out of order")
        )
    return differences


_UNIT_FIELDS = ("stratum", "weight", "probability", "certainty", "hash", "key")


def _unit_differences(
    expected: tuple[SelectedUnit, ...], recorded: tuple[SelectedUnit, ...]
) -> list[Difference]:
    differences: list[Difference] = []
    mine = {u.uscc: u for u in recorded}
    theirs = {u.uscc: u for u in expected}
    missing = [u for code, u in theirs.items() if code not in mine]
    extra = [u for code, u in mine.items() if code not in theirs]
    # A unit whose recorded data is another's except for the code: the code was changed.
    # The missing units are looked up by their data, not compared pairwise, so that a record
    # whose every code was changed is checked in linear time; each extra unit takes the first
    # missing unit with its data not yet taken.
    candidates: dict[tuple[object, ...], deque[SelectedUnit]] = {}
    for candidate in missing:
        candidates.setdefault(_data_but_code(candidate), deque()).append(candidate)
    renamed: dict[str, SelectedUnit] = {}
    for unit in extra:
        queue = candidates.get(_data_but_code(unit))
        while queue:
            candidate = queue.popleft()
            if candidate.uscc not in renamed:
                renamed[candidate.uscc] = unit
                break
    replaced = {u.uscc for u in renamed.values()}
    for code, unit in renamed.items():
        differences.append(
            _diff(
                f"selected[{unit.uscc}].uscc",
                code,
                unit.uscc,
                f"记录中的企业代码{unit.uscc}应为{code}",
                f"the record names {unit.uscc} where the draw selected {code}",
            )
        )
    for unit in missing:
        if unit.uscc not in renamed:
            differences.append(
                _diff(
                    "selected",
                    unit.uscc,
                    None,
                    f"重新抽取选中{unit.uscc}，记录中没有",
                    f"the re-run draws {unit.uscc}, the record does not list it",
                )
            )
    for unit in extra:
        if unit.uscc not in replaced:
            differences.append(
                _diff(
                    "selected",
                    None,
                    unit.uscc,
                    f"记录列出{unit.uscc}，重新抽取未选中",
                    f"the record lists {unit.uscc}, the re-run does not draw it",
                )
            )
    for code, unit in theirs.items():
        other = mine.get(code)
        # Equal units differ in no field: the comparison field by field only where they differ.
        if other is None or other == unit:
            continue
        differences += _field_differences(
            f"selected[{code}]", unit, other, _UNIT_FIELDS, f"企业{code}", code
        )
    order = [(u.stratum, u.uscc) for u in recorded]
    if order != sorted(order) or len(mine) != len(recorded):
        differences.append(
            _diff(
                "selected",
                "each unit once, by stratum then code",
                "repeated or out of order",
                "选中企业列表重复或顺序错误",
                "the list of drawn units has repeats or is out of order",
            )
        )
    return differences


def _data_but_code(unit: SelectedUnit) -> tuple[object, ...]:
    return tuple(getattr(unit, f) for f in _UNIT_FIELDS)


# --- explanation ---------------------------------------------------------------------------


class DrawOutcome(enum.Enum):
    """What :func:`explain` concluded about one enterprise (drawn, not drawn, why not…).

    Not to be confused with :class:`randcheck.validators.Outcome`, the outcome of a rule.
    """

    DRAWN_WITH_CERTAINTY = "drawn-with-certainty"
    DRAWN = "drawn"
    NOT_DRAWN = "not-drawn"
    NOT_DRAWN_NO_SAMPLE = "not-drawn-no-sample"
    OUT_OF_SCOPE = "out-of-scope"
    NOT_IN_FRAME = "not-in-frame"
    INCONSISTENT = "inconsistent"


@attrs.frozen(kw_only=True)
class Explanation:
    """Why one enterprise was or was not drawn, from the record and its own data.

    ``key`` and ``cutoff`` are exact; a unit is drawn when its key is below its stratum's
    cut-off (or equal with a smaller code), or with certainty.
    """

    uscc: str
    outcome: DrawOutcome
    stratum: str | None = None
    weight: Fraction | None = None
    probability: Fraction | None = None
    hash: str | None = None
    key: Fraction | None = None
    cutoff: Fraction | None = None
    cutoff_unit: str | None = None
    message: Text

    @property
    def zh(self) -> str:
        """The explanation in Chinese."""
        return self.message.zh

    @property
    def en(self) -> str:
        """The explanation in English."""
        return self.message.en

    @property
    def drawn(self) -> bool:
        """Whether the enterprise is in the record's sample."""
        return self.outcome in (DrawOutcome.DRAWN, DrawOutcome.DRAWN_WITH_CERTAINTY)

    @property
    def text(self) -> str:
        """The explanation, Chinese first, then English."""
        return f"{self.zh}\n{self.en}"

    def __str__(self) -> str:
        return self.text


def _check_arguments(
    function: str,
    record: object,
    *,
    plan: object = None,
    profile: object = None,
) -> None:
    """Refuse a record, plan or profile of the wrong type before it fails deep inside."""
    require_argument(
        function,
        "record",
        record,
        DrawRecord,
        "a DrawRecord",
        "read a record file with randcheck.io.load_json(path, 'draw-record', DrawRecord)",
    )
    if plan is not None:
        require_argument(
            function,
            "plan",
            plan,
            (Plan, PlanParameters),
            "a Plan, PlanParameters or None",
            "read a plan file with randcheck.io.plans.load_plan(path)",
        )
    if profile is not None:
        require_argument(
            function,
            "profile",
            profile,
            Profile,
            "a Profile or None",
            "get one with randcheck.profiles.get_profile(name or profile file)",
        )


def unknown_stratum(record: DrawRecord, stratum: str, field: str = "stratum") -> ValidationError:
    """The error for a ``stratum`` given by its name that ``record`` has not, naming its strata
    (``field``: how the caller took the name)."""
    return ValidationError(
        f"本次抽取没有分层 {stratum!r} / this draw has no stratum {stratum!r}; its strata: "
        f"{'、'.join(s.name for s in record.strata)}",
        field=field,
        expected="a stratum of the record",
        got=stratum,
    )


def _out_of_scope(record: DrawRecord, uscc: str) -> Explanation:
    return Explanation(
        uscc=uscc,
        outcome=DrawOutcome.OUT_OF_SCOPE,
        message=Text(
            zh=f"企业{uscc}不在抽查计划{record.plan}的检查对象范围内，未参与抽取。",
            en=f"{uscc} is outside the target scope of plan {record.plan}; it was not in the draw.",
        ),
    )


def _approx(value: Fraction | None) -> str:
    """Six significant digits for people to read (decimal, no binary float); exact in fields."""
    if value is None:
        return "—"
    with localcontext() as context:
        context.prec = 6
        return format(Decimal(value.numerator) / Decimal(value.denominator), "g")


def explain(
    record: DrawRecord,
    uscc: str,
    *,
    frame: Frame | None = None,
    enterprise: Enterprise | None = None,
    profile: Profile | None = None,
    stratum: str | None = None,
    weight: Fraction | None = None,
    random_checks: int | None = None,
) -> Explanation:
    """Tell the enterprise ``uscc`` why it was or was not drawn in ``record``.

    A drawn enterprise is explained from the record alone. For one that was not drawn, its
    place comes from, in this order of preference:

    * ``frame``, the frame the record was drawn from (the published frame, or one rebuilt
      from the directory and the year's history): where it puts ``uscc`` — a stratum and
      weight, out of scope, or at the yearly cap — is what the draw used;
    * ``enterprise``, its own data (with ``profile``, by default the one the record names),
      from which its stratum and weight are worked out as the frame would — right only if its
      data are those the frame was built from;
    * ``stratum`` and ``weight`` as given, with ``random_checks``, its number of random checks
      earlier in the year, telling whether the yearly cap kept it out of the frame.

    Raises:
        CommitmentMismatch: ``frame`` is not the frame the record was drawn from (its digest
            is not the commitment's).
        ValidationError: an enterprise that was not drawn, with none of ``frame``,
            ``enterprise`` or ``stratum`` and ``weight``; ``uscc`` not in ``frame``; a given
            ``stratum`` the record has not; or ``enterprise`` has another code than ``uscc``.
    """
    _check_arguments("explain", record, profile=profile)
    require_argument("explain", "uscc", uscc, str, "a unified social credit code (str)")
    if frame is not None:
        require_argument("explain", "frame", frame, Frame, "a Frame or None")
        if stratum is not None or weight is not None:
            raise ValueError(
                "explain(): give the frame or a stratum and weight, not both: the frame "
                "places the enterprise itself"
            )
    if enterprise is not None:
        require_argument("explain", "enterprise", enterprise, Enterprise, "an Enterprise or None")
    if weight is not None:
        require_argument("explain", "weight", weight, (Fraction, int), "a Fraction or None")
        if weight <= 0:
            raise ValueError(f"explain(): weight must be positive, got {weight}")
        weight = Fraction(weight)
    if random_checks is not None and (
        not isinstance(random_checks, int) or isinstance(random_checks, bool) or random_checks < 0
    ):
        raise ValueError(f"explain(): random_checks must be an integer >= 0, got {random_checks!r}")
    # Written as the command line reads it (upper case, no spaces or separators).
    with contextlib.suppress(InvalidIdentifier):
        uscc = validate_uscc(uscc)
    seed = record.seed.value
    if frame is not None:
        if frame.digest() != record.commitment.frame_digest:
            raise CommitmentMismatch(
                "抽查名录不是本次抽取所承诺的名录 / the frame is not the one this draw was made "
                f"from: its digest is {frame.digest()}, the commitment's "
                f"{record.commitment.frame_digest}",
                field="frame",
                expected=record.commitment.frame_digest,
                got=frame.digest(),
            )
        # A record that is not the draw re-run on its own frame explains nothing (an edited
        # seed, cut-off or unit would be read as fact).
        checked = verify(record, frame, profile=profile)
        if not checked.ok:
            first = checked.differences[0]
            count = len(checked.differences)
            return _inconsistent(
                uscc,
                None,
                None,
                f"抽取记录与在其抽查名录上重新抽取的结果不一致（{count}处，首处 {first.path}），"
                "无法据以说明；请用 randcheck verify 核验。",
                f"The draw record does not match the draw re-run on its frame ({count} "
                f"difference(s), the first at {first.path}): it explains nothing; check it "
                "with randcheck verify.",
                DrawOutcome.INCONSISTENT,
            )
    unit = record.unit(uscc)
    if unit is not None:
        return _explain_drawn(record, unit)
    given_stratum = stratum is not None and frame is None and enterprise is None
    if frame is not None:
        placed = frame.find(uscc)
        if placed is None:
            raise ValidationError(
                f"抽查名录中没有企业 {uscc} / {uscc} is neither in the frame nor excluded from it: "
                "it was not in the directory the frame was built from",
                field="uscc",
                expected="an enterprise of the frame's directory",
                got=uscc,
            )
        if isinstance(placed, FrameUnit):
            stratum, weight = placed.stratum, placed.weight
        elif placed.reason is ExclusionReason.CAP_REACHED:
            random_checks = placed.random_checks
        else:
            return _out_of_scope(record, uscc)
    elif enterprise is not None:
        if enterprise.uscc != uscc:
            raise ValidationError(field="enterprise", expected=uscc, got=enterprise.uscc)
        if not record.parameters.scope.contains(enterprise):
            return _out_of_scope(record, uscc)
        used = profile or get_profile(record.profile)
        stratum = stratum_name(record.parameters.strata, enterprise, primary=used.grading.id)
        weight = used.weight(enterprise)
    profile = profile if profile is not None else get_profile(record.profile)
    if random_checks is not None and random_checks >= profile.cap_per_year:
        cap_article = profile.citation("R-CAP").article
        return Explanation(
            uscc=uscc,
            outcome=DrawOutcome.NOT_IN_FRAME,
            stratum=stratum,
            weight=weight,
            message=Text(
                zh=f"企业{uscc}本年度已接受{random_checks}次随机抽查，达到每年{profile.cap_per_year}"
                f"次的上限（{cap_article.zh}），不在抽查名录中，未参与抽取。",
                en=f"{uscc} has had {random_checks} random checks this year, reaching the cap of "
                f"{profile.cap_per_year} ({cap_article.en}); it was not in the frame and not in "
                "the draw.",
            ),
        )
    if stratum is None or weight is None:
        try:
            validate_uscc(uscc)
        except InvalidIdentifier:
            what = f"{uscc!r} is not a valid unified social credit code, nor one drawn"
        else:
            what = f"{uscc} was not drawn"
        raise ValidationError(
            f"未抽中企业需给出其所在名录或分层与权重 / {what}: to say why it was not drawn, give "
            "the frame (frame=…), its data (enterprise=…), or its stratum and weight",
            field="enterprise",
            expected="the frame, the enterprise, or its stratum and weight",
            got=None,
        )
    result = record.stratum(stratum)
    if result is None and given_stratum:
        raise unknown_stratum(record, stratum)
    if result is None:
        return Explanation(
            uscc=uscc,
            outcome=DrawOutcome.NOT_IN_FRAME,
            stratum=stratum,
            weight=weight,
            message=Text(
                zh=f"本次抽取没有分层“{stratum}”：企业{uscc}不在抽查名录中（例如本年度随机抽查"
                "次数已达上限），未参与抽取。",
                en=f"This draw has no stratum {stratum!r}: {uscc} was not in the frame (for "
                "example, it had reached this year's cap of random checks).",
            ),
        )
    residual = result.sample_size - result.certainty
    if residual == 0:
        if result.sample_size == 0 and _by_weight(record):
            total = sum(s.population for s in record.strata)
            zh = (
                f"本计划按各分层总权重比例分配样本（全部{total}家×比例{result.ratio}，四舍五入），"
                f"分层“{stratum}”（{result.population}家，总权重{result.weight_total}）分得的样本量"
                f"为0，本层不抽取；企业{uscc}未被抽中。"
            )
            en = (
                f"The plan divides its sample ({total} units × {result.ratio}, rounded half up) "
                f"among the strata in proportion to their total weights; stratum {stratum!r} "
                f"({result.population} units, total weight {result.weight_total}) gets 0: "
                f"nobody is drawn there, so {uscc} was not."
            )
        elif result.sample_size == 0:
            zh = (
                f"分层“{stratum}”的样本量为0（{result.population}家×比例{result.ratio}，"
                f"四舍五入），本层不抽取；企业{uscc}未被抽中。"
            )
            en = (
                f"Stratum {stratum!r} has a sample size of 0 ({result.population} × "
                f"{result.ratio}, rounded half up): nobody is drawn there, so {uscc} was not."
            )
        else:
            zh = (
                f"分层“{stratum}”的{result.sample_size}个样本全部为必抽企业，其余企业均不抽取；"
                f"企业{uscc}未被抽中。"
            )
            en = (
                f"Stratum {stratum!r}'s sample of {result.sample_size} is all taken with "
                f"certainty; no other unit is drawn, so {uscc} was not."
            )
        return Explanation(
            uscc=uscc,
            outcome=DrawOutcome.NOT_DRAWN_NO_SAMPLE,
            stratum=stratum,
            weight=weight,
            probability=Fraction(0),
            message=Text(zh=zh, en=en),
        )
    probability = residual * weight / result.residual_weight
    if probability >= 1:
        return _inconsistent(
            uscc,
            stratum,
            weight,
            f"按其权重，企业{uscc}应为必抽企业，但记录中没有它：它不在抽查名录中，或记录有误。",
            f"With its weight {uscc} would be taken with certainty, yet the record lacks it: it "
            "was not in the frame, or the record is wrong.",
            DrawOutcome.NOT_IN_FRAME,
        )
    h = _unit_hash(record, seed, stratum, uscc)
    key = pareto_key(h, probability)
    cutoff, holder = result.cutoff, result.cutoff_unit
    if cutoff is None or holder is None:
        return _inconsistent(
            uscc,
            stratum,
            weight,
            f"分层“{stratum}”没有记录截断值，无法判断企业{uscc}。",
            f"Stratum {stratum!r} records no cut-off; {uscc} cannot be judged.",
            DrawOutcome.INCONSISTENT,
        )
    if key > cutoff or (key == cutoff and uscc >= holder):
        outcome = DrawOutcome.NOT_DRAWN
        share_zh, share_en = _share(record, result)
        zh = (
            f"企业{uscc}在分层“{stratum}”中，权重{weight}，{share_zh}入样概率"
            f"{probability}（约{_approx(probability)}）。其排序键约为"
            f"{_approx(key)}，不小于本层截断值（约{_approx(cutoff)}，属于{holder}），"
            "因此未被抽中。"
        )
        en = (
            f"{uscc} is in stratum {stratum!r} with weight {weight}{share_en} and "
            f"inclusion probability {probability} (about "
            f"{_approx(probability)}). Its key, about {_approx(key)}, is not below the "
            f"stratum's cut-off (about {_approx(cutoff)}, held by {holder}), so it was not drawn."
        )
    else:
        outcome = DrawOutcome.NOT_IN_FRAME
        zh = (
            f"企业{uscc}的排序键（约{_approx(key)}）小于截断值（约{_approx(cutoff)}），却不在"
            "抽中名单上：它不在本次抽查名录中（例如已达年度抽查上限或名录未收录），或记录有误。"
        )
        en = (
            f"The key of {uscc} (about {_approx(key)}) is below the cut-off (about "
            f"{_approx(cutoff)}) yet it is not in the sample: it was not in this draw's frame "
            "(e.g. it had reached the yearly cap, or was not in the directory), or the record "
            "is wrong."
        )
    return Explanation(
        uscc=uscc,
        outcome=outcome,
        stratum=stratum,
        weight=weight,
        probability=probability,
        hash=_hex(h),
        key=key,
        cutoff=cutoff,
        cutoff_unit=holder,
        message=Text(zh=zh, en=en),
    )


def _by_weight(record: DrawRecord) -> bool:
    return record.parameters.allocation is SampleAllocation.PROPORTIONAL_TO_WEIGHT


def _share(record: DrawRecord, result: StratumResult) -> tuple[str, str]:
    """How the stratum got its sample size, when the plan divides one sample by weight (the
    per-stratum size needs no words: it is the stratum's ratio)."""
    if not _by_weight(record):
        return "", ""
    return (
        f"本层按总权重{result.weight_total}分得样本{result.sample_size}个，",
        f" (its stratum, of total weight {result.weight_total}, gets {result.sample_size} of "
        "the plan's sample in proportion to weight)",
    )


def _inconsistent(
    uscc: str,
    stratum: str | None,
    weight: Fraction | None,
    zh: str,
    en: str,
    outcome: DrawOutcome,
) -> Explanation:
    return Explanation(
        uscc=uscc,
        outcome=outcome,
        stratum=stratum,
        weight=weight,
        probability=None,
        hash=None,
        key=None,
        cutoff=None,
        cutoff_unit=None,
        message=Text(zh=zh, en=en),
    )


def _explain_drawn(record: DrawRecord, unit: SelectedUnit) -> Explanation:
    result = record.stratum(unit.stratum)
    cutoff = None if result is None else result.cutoff
    holder = None if result is None else result.cutoff_unit
    if unit.certainty:
        return Explanation(
            uscc=unit.uscc,
            outcome=DrawOutcome.DRAWN_WITH_CERTAINTY,
            stratum=unit.stratum,
            weight=unit.weight,
            probability=Fraction(1),
            hash=None,
            key=None,
            cutoff=cutoff,
            cutoff_unit=holder,
            message=Text(
                zh=f"企业{unit.uscc}在分层“{unit.stratum}”中，权重{unit.weight}"
                "足够大，入样概率达到1，为必抽企业。",
                en=f"{unit.uscc} is in stratum {unit.stratum!r}; its weight "
                f"{unit.weight} makes its inclusion probability reach 1, so it was "
                "taken with certainty.",
            ),
        )
    h = _unit_hash(record, record.seed.value, unit.stratum, unit.uscc)
    key = pareto_key(h, unit.probability) if 0 < unit.probability < 1 else None
    consistent = (
        unit.hash == _hex(h)
        and key is not None
        and key == unit.key
        and cutoff is not None
        and holder is not None
        and (key < cutoff or (key == cutoff and unit.uscc < holder))
    )
    if consistent:
        outcome = DrawOutcome.DRAWN
        share_zh, share_en = ("", "") if result is None else _share(record, result)
        zh = (
            f"企业{unit.uscc}在分层“{unit.stratum}”中，权重{unit.weight}，{share_zh}入样"
            f"概率{unit.probability}（约{_approx(unit.probability)}）。其排序键约为"
            f"{_approx(key)}，小于本层截断值（约{_approx(cutoff)}），因此被抽中。"
        )
        en = (
            f"{unit.uscc} is in stratum {unit.stratum!r} with weight "
            f"{unit.weight}{share_en} and inclusion probability "
            f"{unit.probability} (about {_approx(unit.probability)}). Its key, about "
            f"{_approx(key)}, is below the stratum's cut-off (about {_approx(cutoff)}), so it "
            "was drawn."
        )
    else:
        outcome = DrawOutcome.INCONSISTENT
        zh = (
            f"记录列出企业{unit.uscc}，但按记录中的种子重新计算的哈希值或排序键与记录不符，"
            "或不小于截断值：记录有误。"
        )
        en = (
            f"The record lists {unit.uscc}, but the hash number or key recomputed under the "
            "record's seed does not match the record, or is not below the cut-off: the record "
            "is wrong."
        )
    return Explanation(
        uscc=unit.uscc,
        outcome=outcome,
        stratum=unit.stratum,
        weight=unit.weight,
        probability=unit.probability,
        hash=_hex(h),
        key=key,
        cutoff=cutoff,
        cutoff_unit=holder,
        message=Text(zh=zh, en=en),
    )
