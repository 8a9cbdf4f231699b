"""Commitment, seed, the draw and its record.

The protocol (R-RANDOM):

1. build the frame and publish its commitment (:func:`commit`) — the digest of the canonical
   frame, with the plan parameters, profile and algorithm version;
2. *after* that, fix the seed from a public source (dice, lottery numbers…), recorded as text
   with its source (:class:`Seed`);
3. draw (:func:`draw`): it refuses a frame whose digest is not the committed one, and a seed
   recorded as fixed before the commitment was published.

The :class:`DrawRecord` holds everything needed to re-run and check the draw. The frame, the
commitment and the record are :class:`~randcheck.canonical.Record` values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from datetime import datetime
from fractions import Fraction
from typing import Any, Final

import attrs

from randcheck import canonical
from randcheck._deprecation import warn_deprecated
from randcheck.canonical import canonical_json, rename_fields
from randcheck.errors import CommitmentMismatch, ValidationError
from randcheck.ids.uscc import _is_compact_uscc
from randcheck.sampling._allocation import allocate_strata
from randcheck.sampling._common import (
    ALGORITHM,
    DRAW_ALGORITHM_VERSION,
    fraction_text,
    require_argument,
    require_aware,
)
from randcheck.sampling._frame import Frame, PlanParameters
from randcheck.sampling._selection import Progress, StratumSelection, select_stratum

__all__ = [
    "COMMITMENT_KIND",
    "RECORD_KIND",
    "Commitment",
    "DrawRecord",
    "Seed",
    "SelectedUnit",
    "StratumResult",
    "commit",
    "draw",
    "draw_strata",
    "read_draw_record",
]

COMMITMENT_KIND: Final = "draw-commitment"
RECORD_KIND: Final = "draw-record"


def _aware(instance: object, attribute: attrs.Attribute[Any], value: datetime | None) -> None:
    require_aware(attribute.name, value)


def _digest_form(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not canonical.is_digest(value):
        raise ValidationError(
            field=attribute.name,
            expected="'sha256:' and 64 lower-case hexadecimal digits",
            got=value,
        )


def _count(instance: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if value < 0:
        raise ValidationError(field=attribute.name, expected="an integer >= 0", got=value)


def _round(instance: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if value < 1:
        raise ValidationError(field=attribute.name, expected="an integer >= 1", got=value)


def _nonempty(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not isinstance(value, str) or not value:
        raise ValidationError(field=attribute.name, expected="a non-empty string", got=value)


@attrs.frozen(kw_only=True)
class Seed:
    """The public random seed, fixed after the commitment is published.

    Attributes:
        value: the seed exactly as text (e.g. the lottery numbers ``"03 17 22 28 31 + 09"``).
        source: where it comes from, for anyone to check (draw name, date, URL…).
        fixed: when it became known (aware datetime), if recorded.
    """

    value: str = attrs.field(validator=_nonempty)
    source: str = attrs.field(validator=_nonempty)
    fixed: datetime | None = attrs.field(default=None, validator=_aware)


@attrs.frozen(kw_only=True)
class Commitment:
    """What is published before the seed is fixed: the frame's digest and what it was built of.

    Attributes:
        frame_digest: :meth:`Frame.digest` of the committed frame, ``"sha256:<hex>"`` of its
            canonical document; written under the key ``"digest"`` of the commitment document.
        eligible / out_of_scope / cap_reached: the frame's counts.
        strata: number of non-empty strata.
        published: when the commitment was published (aware datetime), if recorded.

    :meth:`digest` is the digest of the commitment document itself, not the frame's.
    """

    algorithm: str = ALGORITHM
    version: int = DRAW_ALGORITHM_VERSION
    profile: str
    parameters: PlanParameters
    round: int = attrs.field(validator=_round)
    frame_digest: str = attrs.field(validator=_digest_form)
    eligible: int = attrs.field(validator=_count)
    out_of_scope: int = attrs.field(validator=_count)
    cap_reached: int = attrs.field(validator=_count)
    strata: int = attrs.field(validator=_count)
    published: datetime | None = attrs.field(default=None, validator=_aware)

    @property
    def plan(self) -> str:
        """The code of the plan the frame was built for."""
        return self.parameters.code

    def to_document(self) -> dict[str, Any]:
        """The commitment's document (kind ``draw-commitment``)."""
        return canonical.to_document(COMMITMENT_KIND, self)

    @classmethod
    def from_document(cls, document: Any, *, source: str | None = None) -> Commitment:
        """Read a document written by :meth:`to_document`.

        Raises:
            InputFileError: every problem found, each with its JSON path.
        """
        return canonical.from_document(document, COMMITMENT_KIND, cls, source=source)

    def digest(self) -> str:
        """``"sha256:<hex>"`` of the canonical bytes of :meth:`to_document`."""
        return canonical.digest(self.to_document())

    def to_json(self) -> str:
        """The canonical JSON text of :meth:`to_document`."""
        return canonical_json(self.to_document())

    @classmethod
    def from_json(cls, text: str | bytes) -> Commitment:
        """Deprecated: ``Commitment.from_document(json.loads(text))``."""
        warn_deprecated("Commitment.from_json(text)", "Commitment.from_document(json.loads(text))")
        return cls.from_document(_load(text))


rename_fields(Commitment, frame_digest="digest")
canonical.exact_documents(Commitment)


_FRAME_HINT: Final = "build one with randcheck.sampling.build_frame(enterprises, plan, profile)"


def commit(frame: Frame, *, published: datetime | None = None) -> Commitment:
    """The commitment to ``frame``, to publish before the seed is fixed.

    Raises:
        TypeError: ``frame`` is not a :class:`~randcheck.sampling.Frame` (a path, say), or
            ``published`` is not a datetime; the message names the argument, what it must be
            and what came.
        ValidationError: ``published`` has no UTC offset.
    """
    require_argument("commit", "frame", frame, Frame, "a Frame", _FRAME_HINT)
    if published is not None:
        require_argument("commit", "published", published, datetime, "an aware datetime or None")
    return Commitment(
        profile=frame.profile,
        parameters=frame.parameters,
        version=frame.version,
        round=frame.round,
        frame_digest=frame.digest(),
        eligible=frame.population,
        out_of_scope=len(frame.out_of_scope),
        cap_reached=len(frame.cap_reached),
        strata=len(frame.strata),
        published=published,
    )


@attrs.frozen(kw_only=True)
class StratumResult:
    """One stratum of a draw.

    Attributes:
        name: the stratum.
        population: ``N_h``, eligible units.
        ratio: the plan's ratio for it.
        sample_size: ``n_h`` (certainty units included).
        weight_total: ``Σ w`` over the stratum.
        certainty: ``k``, units taken with certainty.
        residual_weight: ``S``, the weight of the non-certainty units; a non-certainty unit of
            weight ``w`` has ``π = (n_h − k) · w / S``.
        cutoff: the ``(n_h − k + 1)``-th smallest key — every drawn unit's key is below it, every
            other unit's key above it (or equal with a greater USCC); ``None`` when no
            unit was left to the order sampling or none was drawn by it.
        cutoff_unit: the USCC holding the cut-off key.
    """

    name: str
    population: int
    ratio: Fraction
    sample_size: int
    weight_total: Fraction
    certainty: int
    residual_weight: Fraction
    cutoff: Fraction | None
    cutoff_unit: str | None


# Set while a draw builds its own units from values it computed (codes of the frame, keys of
# its hash numbers): the checks of values read from a document are then skipped, per unit.
_COMPUTED: ContextVar[bool] = ContextVar("randcheck_draw_computed", default=False)


def _compact_code(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if _COMPUTED.get():
        return
    if not isinstance(value, str) or not _is_compact_uscc(value):
        raise ValidationError(
            field=attribute.name,
            expected="a unified social credit code in compact form",
            got=value,
        )


def _positive(instance: object, attribute: attrs.Attribute[Any], value: Fraction) -> None:
    if not _COMPUTED.get() and not value > 0:
        raise ValidationError(
            field=attribute.name, expected="a fraction > 0", got=fraction_text(value)
        )


def _positive_or_none(
    instance: object, attribute: attrs.Attribute[Any], value: Fraction | None
) -> None:
    if value is not None:
        _positive(instance, attribute, value)


def _probability(instance: object, attribute: attrs.Attribute[Any], value: Fraction) -> None:
    if not _COMPUTED.get() and not 0 < value <= 1:
        raise ValidationError(
            field=attribute.name, expected="a probability in (0, 1]", got=fraction_text(value)
        )


_HASH_TEXT: Final = re.compile(r"[0-9a-f]{64}")


def _hash_text(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None and not _COMPUTED.get() and _HASH_TEXT.fullmatch(value) is None:
        raise ValidationError(
            field=attribute.name,
            expected="64 lower-case hexadecimal digits, or null",
            got=value,
        )


@attrs.frozen(kw_only=True)
class SelectedUnit:
    """A drawn enterprise.

    Attributes:
        uscc: its unified social credit code.
        stratum: its stratum.
        weight: its sampling weight.
        probability: its inclusion probability ``π`` (1 for certainty units).
        certainty: taken with certainty (no key needed).
        hash: its hash number ``h`` as 64 hexadecimal digits (``None`` for certainty units).
        key: its exact Pareto key (``None`` for certainty units).
    """

    uscc: str = attrs.field(validator=_compact_code)
    stratum: str
    weight: Fraction = attrs.field(validator=_positive)
    probability: Fraction = attrs.field(validator=_probability)
    certainty: bool
    hash: str | None = attrs.field(validator=_hash_text)
    key: Fraction | None = attrs.field(validator=_positive_or_none)


def _load(text: str | bytes) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ValidationError(field="document", expected="JSON", got=str(exc)) from exc


@attrs.frozen(kw_only=True)
class DrawRecord:
    """The published record of a draw: enough for anyone to re-run and check it.

    ``selected`` is ordered by stratum, then USCC. Its :meth:`digest` is what dispatch records
    and the ledger refer to.
    """

    algorithm: str = ALGORITHM
    version: int = DRAW_ALGORITHM_VERSION
    profile: str
    parameters: PlanParameters
    round: int
    seed: Seed
    commitment: Commitment
    strata: tuple[StratumResult, ...]
    selected: tuple[SelectedUnit, ...]

    @property
    def plan(self) -> str:
        """The code of the plan the draw was made under."""
        return self.parameters.code

    @property
    def weights(self) -> tuple[tuple[str, Fraction], ...]:
        """``(uscc, weight)`` of every drawn enterprise, by USCC."""
        return tuple(sorted((unit.uscc, unit.weight) for unit in self.selected))

    def selected_ids(self) -> tuple[str, ...]:
        """USCCs of the drawn enterprises, sorted."""
        return tuple(sorted(unit.uscc for unit in self.selected))

    def unit(self, uscc: str) -> SelectedUnit | None:
        """The drawn unit with ``uscc``, or ``None`` if it was not drawn."""
        for unit in self.selected:
            if unit.uscc == uscc:
                return unit
        return None

    def stratum(self, name: str) -> StratumResult | None:
        """The result of stratum ``name``, or ``None``."""
        for result in self.strata:
            if result.name == name:
                return result
        return None

    @property
    def sample_size(self) -> int:
        """Number of drawn enterprises."""
        return len(self.selected)

    def seed_after_commitment(self) -> bool | None:
        """Whether the seed was fixed after the commitment was published (``None``: unknown)."""
        published, fixed = self.commitment.published, self.seed.fixed
        if published is None or fixed is None:
            return None
        return fixed > published

    def to_document(self) -> dict[str, Any]:
        """The record's document (kind ``draw-record``)."""
        return canonical.to_document(RECORD_KIND, self)

    @classmethod
    def from_document(cls, document: Any, *, source: str | None = None) -> DrawRecord:
        """Read a document written by :meth:`to_document`.

        Raises:
            InputFileError: every problem found, each with its JSON path.
        """
        return canonical.from_document(document, RECORD_KIND, cls, source=source)

    def digest(self) -> str:
        """``"sha256:<hex>"`` of the canonical bytes of :meth:`to_document`."""
        return canonical.digest(self.to_document())

    def to_json(self) -> str:
        """The canonical JSON text of :meth:`to_document`."""
        return canonical_json(self.to_document())

    @classmethod
    def from_json(cls, text: str | bytes) -> DrawRecord:
        """Deprecated: ``DrawRecord.from_document(json.loads(text))``."""
        warn_deprecated("DrawRecord.from_json(text)", "DrawRecord.from_document(json.loads(text))")
        return cls.from_document(_load(text))


canonical.exact_documents(DrawRecord)


def _canonical_text(document: Any) -> str:
    """:func:`~randcheck.canonical.canonical_json` of a document known to hold only JSON
    values (one parsed from JSON, or one a record wrote)."""
    return canonical.ready_json(document)


def _fraction_of(text: str) -> Fraction:
    numerator, denominator = text.split("/")
    return Fraction(int(numerator), int(denominator))


def _selected_unit(data: dict[str, Any], shared: dict[str, Fraction]) -> SelectedUnit:
    uscc, stratum, certainty, hash_ = (
        data["uscc"],
        data["stratum"],
        data["certainty"],
        data["hash"],
    )
    if (
        type(uscc) is not str
        or type(stratum) is not str
        or type(certainty) is not bool
        or not (hash_ is None or type(hash_) is str)
    ):
        raise TypeError(data)
    # A stratum's few weights and probabilities are read once each.
    weight, probability, key = data["weight"], data["probability"], data["key"]
    if weight not in shared:
        shared[weight] = _fraction_of(weight)
    if probability not in shared:
        shared[probability] = _fraction_of(probability)
    return SelectedUnit(
        uscc=uscc,
        stratum=stratum,
        weight=shared[weight],
        probability=shared[probability],
        certainty=certainty,
        hash=hash_,
        key=None if key is None else _fraction_of(key),
    )


def read_draw_record(document: Any, *, source: str | None = None) -> tuple[DrawRecord, str]:
    """``DrawRecord.from_document(document, source=source)``, and the record's canonical
    text (whose SHA-256 is its :meth:`~DrawRecord.digest`).

    The drawn units, tens of thousands in a large draw, are built directly; the record is
    taken only if the canonical text of its document is exactly that of ``document`` — then
    ``document`` is the record's own, which :meth:`DrawRecord.from_document` reads as this
    record. Anything else, or anything raised on the way, is left to
    :meth:`DrawRecord.from_document`, whose errors are the ones reported.

    Raises:
        InputFileError: as :meth:`DrawRecord.from_document`.
    """
    try:
        text = _canonical_text(document)
        data = document["data"]
        shared: dict[str, Fraction] = {}
        units = tuple(_selected_unit(unit, shared) for unit in data["selected"])
        rest = canonical.structure({**data, "selected": []}, DrawRecord)
        record = attrs.evolve(rest, selected=units)
        if _canonical_text(record.to_document()) == text:
            return record, text
    except Exception:
        pass
    record = DrawRecord.from_document(document, source=source)
    return record, _canonical_text(record.to_document())


def draw_strata(
    frame: Frame, seed: str, *, progress: Progress | None = None
) -> tuple[StratumSelection, ...]:
    """Allocate and select every stratum of ``frame`` under ``seed`` (no commitment check)."""
    allocations = allocate_strata(frame.strata, frame.parameters)
    return tuple(
        select_stratum(
            stratum,
            allocation,
            seed,
            progress=progress,
            version=frame.version,
            frame_digest=frame.digest() if frame.version > 1 else "",
        )
        for stratum, allocation in zip(frame.strata, allocations, strict=True)
    )


def _hex(h: int) -> str:
    return h.to_bytes(32, "big").hex()


def _record(
    frame: Frame, commitment: Commitment, seed: Seed, selections: tuple[StratumSelection, ...]
) -> DrawRecord:
    token = _COMPUTED.set(True)
    try:
        return _computed_record(frame, commitment, seed, selections)
    finally:
        _COMPUTED.reset(token)


def _computed_record(
    frame: Frame, commitment: Commitment, seed: Seed, selections: tuple[StratumSelection, ...]
) -> DrawRecord:
    strata = []
    selected: list[SelectedUnit] = []
    for selection in selections:
        a = selection.allocation
        cutoff = selection.cutoff
        strata.append(
            StratumResult(
                name=a.stratum,
                population=a.population,
                ratio=a.ratio,
                sample_size=a.sample_size,
                weight_total=a.weight_total,
                certainty=a.certainty,
                residual_weight=a.residual_weight,
                cutoff=None if cutoff is None else cutoff.key,
                cutoff_unit=None if cutoff is None else cutoff.uscc,
            )
        )
        units = [
            SelectedUnit(
                uscc=uscc,
                stratum=a.stratum,
                weight=weight,
                probability=Fraction(1),
                certainty=True,
                hash=None,
                key=None,
            )
            for uscc, weight in selection.certain
        ]
        units.extend(
            SelectedUnit(
                uscc=d.uscc,
                stratum=a.stratum,
                weight=d.weight,
                probability=d.probability,
                certainty=False,
                hash=_hex(d.hash),
                key=d.key,
            )
            for d in selection.drawn
        )
        units.sort(key=lambda u: u.uscc)
        selected.extend(units)
    return DrawRecord(
        profile=frame.profile,
        parameters=frame.parameters,
        version=frame.version,
        round=frame.round,
        seed=seed,
        commitment=commitment,
        strata=tuple(strata),
        selected=tuple(selected),
    )


def draw(
    frame: Frame,
    commitment: Commitment,
    seed: Seed,
    *,
    progress: Callable[[int], None] | None = None,
    earlier: Iterable[DrawRecord] = (),
) -> DrawRecord:
    """Draw the inspection targets of ``frame`` under the published ``commitment`` and ``seed``.

    ``progress``, if given, is called with the number of units processed since its last call
    (they add up to the frame's population). ``earlier`` are draw records already made (of
    the plan, the year, or any at hand): one draw per commitment and round (R-RANDOM, rev. 2),
    since drawing again under the same commitment with another seed would let whoever draws
    pick among outcomes.

    Raises:
        TypeError: ``frame``, ``commitment`` or ``seed`` is not a
            :class:`~randcheck.sampling.Frame`, :class:`Commitment` or :class:`Seed` (a path
            or the seed's text, say); the message names the argument, what it must be and what
            came.
        CommitmentMismatch: the frame's digest, profile, plan parameters or round are not the
            committed ones.
        ValidationError: the seed is recorded as fixed at or before the commitment's
            publication, a stratum has no sampling ratio, or a record in ``earlier`` was drawn
            under the same commitment and round (``field`` ``"commitment"``).
    """
    require_argument("draw", "frame", frame, Frame, "a Frame", _FRAME_HINT)
    require_argument(
        "draw",
        "commitment",
        commitment,
        Commitment,
        "a Commitment",
        "read a commitment file with randcheck.io.load_json(path, 'commitment', Commitment)",
    )
    require_argument("draw", "seed", seed, Seed, "a Seed", "Seed(value=..., source=..., fixed=...)")
    _check_commitment(frame, commitment)
    for record in earlier:
        if (
            record.commitment.frame_digest == commitment.frame_digest
            and record.round == commitment.round
        ):
            raise ValidationError(
                f"承诺 {commitment.frame_digest} 第 {commitment.round} 轮已有抽取记录 "
                f"{record.digest()}（种子 {record.seed.value!r}），不得重新抽取 / the commitment "
                f"{commitment.frame_digest}, round {commitment.round}, already has a draw "
                f"({record.digest()}, seed {record.seed.value!r}): a second draw is a redraw",
                field="commitment",
                expected="a commitment and round without a draw",
                got=record.digest(),
            )
    if (
        commitment.published is not None
        and seed.fixed is not None
        and seed.fixed <= commitment.published
    ):
        raise ValidationError(
            "随机种子须在抽查名录承诺公布之后确定 / the seed must be fixed after the commitment "
            f"is published (seed fixed {seed.fixed.isoformat()}, commitment published "
            f"{commitment.published.isoformat()})",
            field="seed.fixed",
            expected=f"after {commitment.published.isoformat()}",
            got=seed.fixed.isoformat(),
        )
    return _record(frame, commitment, seed, draw_strata(frame, seed.value, progress=progress))


def _check_commitment(frame: Frame, commitment: Commitment) -> None:
    if commitment.algorithm != ALGORITHM or commitment.version != frame.version:
        raise CommitmentMismatch(
            f"承诺使用的算法不受支持 / the commitment is for algorithm {commitment.algorithm} "
            f"version {commitment.version}, the frame is {ALGORITHM} version {frame.version}",
            field="algorithm",
            expected=f"{ALGORITHM} {frame.version}",
            got=f"{commitment.algorithm} {commitment.version}",
        )
    checks = (
        ("digest", commitment.frame_digest, frame.digest()),
        ("profile", commitment.profile, frame.profile),
        ("parameters", commitment.parameters, frame.parameters),
        ("round", commitment.round, frame.round),
    )
    for name, committed, actual in checks:
        if committed != actual:
            raise CommitmentMismatch(
                f"抽查名录与已公布的承诺不符（{name}）/ the frame does not match the published "
                f"commitment ({name}: committed {_short(committed)}, frame {_short(actual)})",
                field=name,
                expected=_short(committed),
                got=_short(actual),
            )


def _short(value: object) -> str:
    if isinstance(value, PlanParameters):
        return value.code
    return str(value)
