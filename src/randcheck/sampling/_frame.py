"""The sampling frame: who may be drawn, in which stratum, with which weight, and who may not.

A frame is built from the target directory, the plan and the year's history of random checks
(:func:`build_frame`). Every enterprise of the directory ends up in exactly one place: in a
stratum with its weight, or in the list of exclusions with its reason (outside the plan's scope,
or already at the profile's yearly cap, R-CAP). Nothing is dropped silently.

The frame is compact: per stratum, per distinct weight, one byte string holding the sorted
USCCs (:class:`WeightClass`) — about 21 bytes per enterprise and a few hundred small objects,
no object per unit.

Its canonical JSON document (:meth:`Frame.to_document`, as text :meth:`Frame.to_json`) is what
the commitment digest is computed over; ``sha256sum`` of the written file equals
:meth:`Frame.digest`.
"""

from __future__ import annotations

import difflib
import enum
import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from fractions import Fraction
from itertools import chain, islice, pairwise
from operator import attrgetter
from typing import Any, Final, TypeAlias

import attrs
from cattrs.errors import BaseValidationError

from randcheck import canonical
from randcheck._deprecation import warn_deprecated
from randcheck.canonical import SCHEMA_VERSION, canonical_json, converter, structuring_errors
from randcheck.domain import Enterprise, Plan, SampleAllocation, Scope, _allocation
from randcheck.errors import InputFileError, Location, ValidationError
from randcheck.profiles import CapScope, Profile
from randcheck.rules.cap import PastInspection, random_visits
from randcheck.rules.strings import str_tuple, strict_str_tuples
from randcheck.rules.weight_class import RISK_ATTRIBUTES
from randcheck.sampling._common import (
    ALGORITHM,
    DRAW_ALGORITHM_VERSION,
    DRAW_ALGORITHM_VERSIONS,
    STRATUM_SEPARATOR,
    USCC_LENGTH,
    fraction_text,
    refuse_path,
    require_argument,
)

__all__ = [
    "FRAME_KIND",
    "CappedUnit",
    "Exclusion",
    "ExclusionReason",
    "Frame",
    "FrameStratum",
    "FrameUnit",
    "History",
    "PastInspection",
    "PlanParameters",
    "WeightClass",
    "build_frame",
    "random_checks_in_year",
    "stratum_name",
]

FRAME_KIND: Final = "sampling-frame"
"""The ``kind`` of a frame's JSON document."""

# Codes are 18 characters from 0-9 and A-Z (GB 32100 uses a subset of these), so in JSON they
# need no escaping and a list of them is '["' + '","'.join(codes) + '"]'.
_CODE: Final = re.compile(r"[0-9A-Z]{18}")
_SEPARATOR: Final = b'","'
_JOINED_CODES: Final = re.compile(rb'[0-9A-Z]{18}(?:","[0-9A-Z]{18})*')
_STRIDE: Final = USCC_LENGTH + len(_SEPARATOR)

# Set by build_frame while it constructs values it has already checked (codes from validated
# enterprises, sorted, each once in the whole frame): the validators then skip work that would
# repeat its checks on a million codes.
_CHECKED: ContextVar[bool] = ContextVar("randcheck_sampling_checked", default=False)


# --- plan parameters ------------------------------------------------------------------------


def _ratio_ok(instance: object, attribute: attrs.Attribute[Any], value: Fraction | None) -> None:
    if value is not None and not 0 < value <= 1:
        raise ValidationError(field=attribute.name, expected="a ratio in (0, 1]", got=str(value))


def _strata_ok(instance: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    for key in value:
        if not key:
            raise ValidationError(field="strata", expected="a stratum key", got=key)
    if len(set(value)) != len(value):
        raise ValidationError(field="strata", expected="no repeated stratum key", got=value)


def _stratum_ratios_ok(
    instance: object, attribute: attrs.Attribute[Any], value: tuple[tuple[str, Fraction], ...]
) -> None:
    names = [name for name, _ in value]
    if names != sorted(set(names)):
        raise ValidationError(
            field="stratum_ratios", expected="stratum names sorted and unique", got=names
        )
    for name, ratio in value:
        if not 0 < ratio <= 1:
            raise ValidationError(
                field=f"stratum_ratios[{name}]", expected="a ratio in (0, 1]", got=str(ratio)
            )


def _ratio_tuple(value: Iterable[tuple[str, Fraction]]) -> tuple[tuple[str, Fraction], ...]:
    return tuple((str(name), ratio) for name, ratio in value)


@attrs.frozen(kw_only=True, field_transformer=strict_str_tuples)
class PlanParameters:
    """What of a :class:`~randcheck.domain.Plan` the draw depends on, and nothing else.

    The frame, the commitment and the record carry these, not the whole plan: rewording the
    plan's procedure after the commitment must not change the draw.

    ``allocation`` (:class:`~randcheck.domain.SampleAllocation`) is written in the documents
    only when it is not the default ``per-stratum``, so that frames, commitments and records
    made before plans chose their allocation keep their bytes and digests.

    Raises:
        ValidationError: the allocation ``proportional-to-weight`` without an overall ratio, or
            with per-stratum ratios (it divides one overall sample by weight).
    """

    code: str
    year: int
    line: str = attrs.field(converter=str)
    scope: Scope
    strata: tuple[str, ...] = attrs.field(converter=str_tuple, validator=_strata_ok)
    ratio: Fraction | None = attrs.field(validator=_ratio_ok)
    stratum_ratios: tuple[tuple[str, Fraction], ...] = attrs.field(
        default=(), converter=_ratio_tuple, validator=_stratum_ratios_ok
    )
    min_one_per_stratum: bool = False
    allocation: SampleAllocation = attrs.field(
        default=SampleAllocation.PER_STRATUM, converter=_allocation
    )

    def __attrs_post_init__(self) -> None:
        if self.allocation is SampleAllocation.PROPORTIONAL_TO_WEIGHT:
            if self.ratio is None:
                raise ValidationError(
                    "按权重比例分配样本须规定总体抽查比例 / the allocation proportional-to-weight "
                    "needs the plan's overall ratio",
                    field="ratio",
                    expected="an overall ratio",
                    got=None,
                )
            if self.stratum_ratios:
                raise ValidationError(
                    "按权重比例分配样本时不得规定分层比例 / the allocation proportional-to-weight "
                    "divides one overall sample by weight: it takes no per-stratum ratios",
                    field="stratum_ratios",
                    expected="no per-stratum ratios",
                    got=[name for name, _ in self.stratum_ratios],
                )

    @classmethod
    def from_plan(cls, plan: Plan) -> PlanParameters:
        """The draw parameters of ``plan``."""
        return cls(
            code=plan.code,
            year=plan.year,
            line=plan.line,
            scope=plan.scope,
            strata=plan.strata,
            ratio=plan.ratio,
            stratum_ratios=plan.stratum_ratios,
            min_one_per_stratum=plan.min_one_per_stratum,
            allocation=plan.allocation,
        )

    def ratio_for(self, stratum: str) -> Fraction | None:
        """The sampling ratio of ``stratum``: its own if the plan names it, else the overall."""
        for name, value in self.stratum_ratios:
            if name == stratum:
                return value
        return self.ratio


# Documents written before plans chose their allocation keep their bytes.
canonical.omit_defaults(PlanParameters, "allocation")


def _stratum_value(key: str, enterprise: Enterprise, primary: str) -> str:
    if key == "district":
        value = enterprise.district
    elif key in ("grade", primary):
        value = enterprise.grade
    elif key == "industry":
        value = enterprise.industry
    else:
        # A further classification scheme of the profile: the class recorded for it.
        value = enterprise.class_in(key) or "unrated"
    if STRATUM_SEPARATOR in value:
        raise ValidationError(
            field=key,
            expected=f"a stratum value without {STRATUM_SEPARATOR!r}",
            got=value,
        )
    return value


def stratum_name(strata: Iterable[str], enterprise: Enterprise, *, primary: str = "grade") -> str:
    """The stratum of ``enterprise``: its values of the plan's stratum keys joined with ``|``.

    ``("district", "grade")`` gives e.g. ``"和平区|A"``; the grade by its value (``"unrated"``
    for an unrated enterprise). ``primary`` is the id of the profile's primary classification
    scheme, whose class is :attr:`Enterprise.grade`; a further scheme's class is read from
    :attr:`Enterprise.classes`. No stratum keys give the single stratum ``""``.
    """
    return STRATUM_SEPARATOR.join(_stratum_value(key, enterprise, primary) for key in strata)


# --- history --------------------------------------------------------------------------------


History: TypeAlias = Mapping[str, int] | Iterable[PastInspection]
"""Random checks already done this year: ``{uscc: count}``, or the past inspections."""


def random_checks_in_year(
    history: History | None, year: int, *, line: str | None = None
) -> dict[str, int]:
    """Number of random checks per enterprise in ``year``, from ``history``.

    A mapping is taken as the counts for the year itself (already counted as the profile's cap
    scope says). From past inspections, only random ones started in ``year`` count (targeted
    inspections do not, R-TARGETED), and inspections sharing a ``joint_visit`` id count once:
    one visit covering several items is one check (R-CAP, Art. 11) —
    :func:`randcheck.rules.random_visits`, the counting of ``randcheck.validators``' R-CAP.
    ``line``: count only inspections on that line (a cap counted per line).
    """
    if history is None:
        return {}
    if isinstance(history, Mapping):
        counts: dict[str, int] = {}
        for uscc, count in history.items():
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise ValidationError(field=f"history[{uscc}]", expected="a count >= 0", got=count)
            counts[str(uscc)] = count
        return counts
    return {
        uscc: len(visits)
        for (uscc, visit_year), visits in random_visits(history, line=line).items()
        if visit_year == year
    }


# --- frame values ---------------------------------------------------------------------------


class ExclusionReason(enum.Enum):
    """Why an enterprise of the directory is not in the frame."""

    OUT_OF_SCOPE = "out-of-scope"
    CAP_REACHED = "cap-reached"

    @property
    def zh(self) -> str:
        """The reason in Chinese."""
        return _REASON_ZH[self]

    @property
    def en(self) -> str:
        """The reason in English."""
        return _REASON_EN[self]


_REASON_ZH = {
    ExclusionReason.OUT_OF_SCOPE: "不在抽查计划的检查对象范围内",
    ExclusionReason.CAP_REACHED: "本年度随机抽查次数已达上限（第十条）",
}
_REASON_EN = {
    ExclusionReason.OUT_OF_SCOPE: "outside the plan's target scope",
    ExclusionReason.CAP_REACHED: "already reached this year's cap of random checks (Art. 10)",
}


@attrs.frozen(kw_only=True)
class Exclusion:
    """An enterprise of the directory left out of the frame, with the reason."""

    uscc: str
    reason: ExclusionReason
    random_checks: int | None = None

    @property
    def text(self) -> str:
        """The reason, Chinese first, then English."""
        if self.reason is ExclusionReason.CAP_REACHED:
            return (
                f"{self.uscc}：{self.reason.zh}（已抽查{self.random_checks}次）/ "
                f"{self.reason.en} ({self.random_checks} random checks)"
            )
        return f"{self.uscc}：{self.reason.zh} / {self.reason.en}"


@attrs.frozen(kw_only=True)
class CappedUnit:
    """An enterprise excluded because it reached the yearly cap (R-CAP)."""

    uscc: str
    random_checks: int


@attrs.frozen(kw_only=True)
class FrameUnit:
    """One unit of the frame: its USCC, stratum and weight."""

    uscc: str
    stratum: str
    weight: Fraction


def _sorted_codes(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(value))


def _weight_ok(instance: object, attribute: attrs.Attribute[Any], value: Fraction) -> None:
    if not isinstance(value, Fraction) or value <= 0:
        raise ValidationError(field="weight", expected="a Fraction > 0", got=value)


def _bad_code(value: str) -> ValidationError:
    return ValidationError(
        field="uscc", expected="18 characters from 0-9 and A-Z (GB 32100)", got=value
    )


def _duplicates(repeated: Iterable[str]) -> ValidationError:
    codes = sorted(set(repeated))
    more = " …" if len(codes) > 5 else ""
    return ValidationError(
        f"同一统一社会信用代码在抽查名录中出现多次 / the same USCC appears more than once in "
        f"the frame: {', '.join(codes[:5])}{more}",
        field="uscc",
        expected="each enterprise once",
        got=codes[:20],
    )


def _codes_ok(instance: object, attribute: attrs.Attribute[Any], value: bytes) -> None:
    if not isinstance(value, bytes) or not value:
        raise ValidationError(field="codes", expected="one or more codes", got=value)
    if _CHECKED.get():
        return
    parts = value.split(_SEPARATOR)
    if _JOINED_CODES.fullmatch(value) is None:
        raise _bad_code(
            next(
                (
                    c
                    for c in (p.decode("ascii", "replace") for p in parts)
                    if not _CODE.fullmatch(c)
                ),
                "",
            )
        )
    if not all(map(bytes.__lt__, parts, islice(parts, 1, None))):
        if any(a == b for a, b in pairwise(parts)):
            raise _duplicates(a.decode("ascii") for a, b in pairwise(parts) if a == b)
        raise ValidationError(
            field="codes",
            expected="codes in ascending order (build with WeightClass.of)",
            got=next(b.decode("ascii") for a, b in pairwise(parts) if a > b),
        )


def _sorted_parts(listed: list[str]) -> list[str]:
    """The codes, sorted, as fresh strings (their form is checked by the validator)."""
    # One C-level join and split turns the caller's strings, scattered over the heap, into
    # fresh contiguous ones, which sort faster.
    text = "\n".join(listed)
    if not text.isascii():
        raise _bad_code(next(u for u in listed if not u.isascii()))
    parts = text.split("\n") if listed else []
    if len(parts) != len(listed):
        raise _bad_code(next(u for u in listed if "\n" in u))
    parts.sort()
    return parts


def _joined(parts: list[str]) -> bytes:
    return '","'.join(parts).encode("ascii")


@attrs.frozen(kw_only=True, repr=False)
class WeightClass:
    """The units of one stratum that share one weight.

    ``codes`` holds their USCCs in one byte string, ascending, each once, joined by ``","`` —
    which is the inside of the JSON list the frame document writes. That is 21 bytes per unit
    rather than an object per unit. Build it from code strings with :meth:`of`.
    """

    weight: Fraction = attrs.field(validator=_weight_ok)
    codes: bytes = attrs.field(validator=_codes_ok)

    @classmethod
    def of(cls, weight: Fraction, units: Iterable[str]) -> WeightClass:
        """The class of ``weight`` holding the USCCs ``units``, in any order.

        Only the form of each code is checked here (18 characters from 0-9 and A-Z); check
        characters are checked where codes enter randcheck (:class:`Enterprise`, loaders).

        Raises:
            ValidationError: no unit, or a code is malformed or repeated.
        """
        joined = _joined(_sorted_parts(list(units)))
        return cls(weight=weight, codes=joined)

    @property
    def size(self) -> int:
        """Number of units."""
        return (len(self.codes) + len(_SEPARATOR)) // _STRIDE

    @property
    def units(self) -> tuple[str, ...]:
        """The USCCs, ascending."""
        return tuple(self.codes.decode("ascii").split('","'))

    def contains(self, uscc: str) -> bool:
        """Whether ``uscc`` is one of the class's units (binary search)."""
        if _CODE.fullmatch(uscc) is None:
            return False
        target = uscc.encode("ascii")
        low, high = 0, self.size
        while low < high:
            middle = (low + high) // 2
            code = self.codes[middle * _STRIDE : middle * _STRIDE + USCC_LENGTH]
            if code < target:
                low = middle + 1
            elif code > target:
                high = middle
            else:
                return True
        return False

    def __repr__(self) -> str:
        return f"WeightClass(weight={fraction_text(self.weight)}, size={self.size})"


def _classes(value: Iterable[WeightClass]) -> tuple[WeightClass, ...]:
    return tuple(sorted(value, key=attrgetter("weight")))


def _classes_ok(
    instance: object, attribute: attrs.Attribute[Any], value: tuple[WeightClass, ...]
) -> None:
    weights = [c.weight for c in value]
    if len(set(weights)) != len(weights):
        raise ValidationError(field="classes", expected="one class per weight", got=weights)


@attrs.frozen(kw_only=True, repr=False)
class FrameStratum:
    """A stratum of the frame: its name and its units grouped by weight."""

    name: str
    classes: tuple[WeightClass, ...] = attrs.field(converter=_classes, validator=_classes_ok)

    @property
    def population(self) -> int:
        """Number of eligible units in the stratum (N_h)."""
        return sum(c.size for c in self.classes)

    @property
    def weight_total(self) -> Fraction:
        """Sum of the weights of the stratum's units."""
        return sum((c.weight * c.size for c in self.classes), Fraction(0))

    def __repr__(self) -> str:
        return f"FrameStratum(name={self.name!r}, population={self.population})"


def _strata(value: Iterable[FrameStratum]) -> tuple[FrameStratum, ...]:
    return tuple(sorted(value, key=attrgetter("name")))


def _strata_unique(
    instance: object, attribute: attrs.Attribute[Any], value: tuple[FrameStratum, ...]
) -> None:
    names = [s.name for s in value]
    if len(set(names)) != len(names):
        raise ValidationError(field="strata", expected="unique stratum names", got=names)


def _capped(value: Iterable[CappedUnit]) -> tuple[CappedUnit, ...]:
    return tuple(sorted(value, key=attrgetter("uscc")))


@attrs.frozen(kw_only=True, repr=False)
class Frame:
    """The sampling frame of one draw: eligible units by stratum and weight, and exclusions.

    Build it with :func:`build_frame`, or read a published one with :meth:`from_document`.
    All USCCs of the frame (eligible or excluded) are distinct; they are stored sorted, so two
    frames built from the same directory in any order are equal and have the same
    :meth:`digest`. A frame is a :class:`~randcheck.canonical.Record`.
    """

    profile: str
    parameters: PlanParameters
    round: int = 1
    version: int = DRAW_ALGORITHM_VERSION
    strata: tuple[FrameStratum, ...] = attrs.field(converter=_strata, validator=_strata_unique)
    out_of_scope: tuple[str, ...] = attrs.field(default=(), converter=_sorted_codes)
    cap_reached: tuple[CappedUnit, ...] = attrs.field(default=(), converter=_capped)
    # The digest hashes every code of the frame, so it is computed once, on first use.
    _digest: str | None = attrs.field(init=False, default=None, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.round < 1:
            raise ValidationError(field="round", expected=">= 1", got=self.round)
        if self.version not in DRAW_ALGORITHM_VERSIONS:
            raise ValidationError(
                field="version",
                expected=f"one of {', '.join(map(str, DRAW_ALGORITHM_VERSIONS))}",
                got=self.version,
            )
        if not _CHECKED.get():
            _check_unique(self)

    def digest(self) -> str:
        """``"sha256:<hex>"`` of the canonical bytes of :meth:`to_document` (of :meth:`to_json`):
        the value a commitment publishes."""
        digest = self._digest
        if digest is None:
            hasher = hashlib.sha256()
            for piece in _frame_pieces(self):
                hasher.update(piece)
            digest = "sha256:" + hasher.hexdigest()
            object.__setattr__(self, "_digest", digest)
        return digest

    @property
    def population(self) -> int:
        """Number of eligible units."""
        return sum(s.population for s in self.strata)

    def stratum(self, name: str) -> FrameStratum | None:
        """The stratum called ``name``, or ``None``."""
        for stratum in self.strata:
            if stratum.name == name:
                return stratum
        return None

    def units(self) -> Iterator[FrameUnit]:
        """Every eligible unit, by stratum, weight and USCC."""
        for stratum in self.strata:
            for weight_class in stratum.classes:
                for uscc in weight_class.units:
                    yield FrameUnit(uscc=uscc, stratum=stratum.name, weight=weight_class.weight)

    def exclusions(self) -> Iterator[Exclusion]:
        """Every excluded enterprise with its reason, out-of-scope ones first."""
        for uscc in self.out_of_scope:
            yield Exclusion(uscc=uscc, reason=ExclusionReason.OUT_OF_SCOPE)
        for unit in self.cap_reached:
            yield Exclusion(
                uscc=unit.uscc,
                reason=ExclusionReason.CAP_REACHED,
                random_checks=unit.random_checks,
            )

    def find(self, uscc: str) -> FrameUnit | Exclusion | None:
        """Where ``uscc`` is in the frame: a unit, an exclusion, or ``None`` if absent."""
        for stratum in self.strata:
            for weight_class in stratum.classes:
                if weight_class.contains(uscc):
                    return FrameUnit(uscc=uscc, stratum=stratum.name, weight=weight_class.weight)
        if uscc in self.out_of_scope:
            return Exclusion(uscc=uscc, reason=ExclusionReason.OUT_OF_SCOPE)
        for unit in self.cap_reached:
            if unit.uscc == uscc:
                return Exclusion(
                    uscc=uscc,
                    reason=ExclusionReason.CAP_REACHED,
                    random_checks=unit.random_checks,
                )
        return None

    def to_document(self) -> dict[str, Any]:
        """The frame's document ``{"schema": 1, "kind": "sampling-frame", "data": {...}}``.

        The structure of ``data`` is specified in ``docs/algorithm.md`` § 3.
        """
        data = {
            "algorithm": ALGORITHM,
            "cap_reached": [
                {"random_checks": u.random_checks, "uscc": u.uscc} for u in self.cap_reached
            ],
            "counts": _counts(self),
            "out_of_scope": list(self.out_of_scope),
            "parameters": converter.unstructure(self.parameters),
            "profile": self.profile,
            "round": self.round,
            "strata": [
                {
                    "classes": [
                        {"units": list(c.units), "weight": fraction_text(c.weight)}
                        for c in stratum.classes
                    ],
                    "name": stratum.name,
                }
                for stratum in self.strata
            ],
            "version": self.version,
        }
        return {"schema": SCHEMA_VERSION, "kind": FRAME_KIND, "data": data}

    def to_json(self) -> str:
        """The canonical JSON text of :meth:`to_document`: the bytes of a frame file.

        Built piece by piece rather than through :func:`~randcheck.canonical.canonical_json`,
        because a million codes need no escaping and a generic encoder would walk them one by
        one; the result is the same text.
        """
        return b"".join(_frame_pieces(self)).decode("utf-8")

    @classmethod
    def from_document(cls, document: Any, *, source: str | None = None) -> Frame:
        """Read a frame document (already parsed from JSON), checking every code and count.

        Raises:
            ValidationError: the envelope, the algorithm, a code, a count or the structure is
                not that of a frame document; ``field`` names which (``schema``, ``kind``,
                ``algorithm``, ``uscc``, ``counts``, ``frame``, or the JSON path of a member
                that is missing or of the wrong type: a string, a number or an object is never
                read as another), and the error's location is ``source`` when given.
            InputFileError: the plan parameters do not structure; ``errors`` lists every
                problem with its JSON path.
        """
        try:
            return _frame_from_document(document)
        except ValidationError as exc:
            if source is None:
                raise
            raise exc.at(Location(file=source)) from exc
        except InputFileError as exc:
            if source is None:
                raise
            located = [
                error.at(Location(file=source)) if isinstance(error, ValidationError) else error
                for error in exc.errors
            ]
            raise InputFileError(
                f"{source}: {exc.message}", errors=located, location=Location(file=source)
            ) from exc

    @classmethod
    def from_json(cls, text: str | bytes) -> Frame:
        """Deprecated: ``Frame.from_document(json.loads(text))``."""
        warn_deprecated("Frame.from_json(text)", "Frame.from_document(json.loads(text))")
        return cls.from_document(_parse(text))

    def __repr__(self) -> str:
        return (
            f"Frame(profile={self.profile!r}, plan={self.parameters.code!r}, "
            f"round={self.round}, strata={len(self.strata)}, "
            f"population={self.population}, out_of_scope={len(self.out_of_scope)}, "
            f"cap_reached={len(self.cap_reached)}, digest={self.digest()!r})"
        )


def _parse(text: str | bytes) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ValidationError(field="frame", expected="a JSON document", got=str(exc)) from exc


def _frame_from_document(document: Any) -> Frame:
    if not isinstance(document, dict):
        raise ValidationError(field="frame", expected="a JSON object", got=document)
    if document.get("schema") != SCHEMA_VERSION:
        raise ValidationError(
            field="schema",
            expected=f"schema version {SCHEMA_VERSION}",
            got=document.get("schema"),
        )
    if document.get("kind") != FRAME_KIND:
        raise ValidationError(field="kind", expected=FRAME_KIND, got=document.get("kind"))
    try:
        return _frame_from_data(document.get("data"))
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValidationError(
            field="frame", expected="a frame document as in docs/algorithm.md", got=str(exc)
        ) from exc


def _counts(frame: Frame) -> dict[str, int]:
    return {
        "cap_reached": len(frame.cap_reached),
        "eligible": frame.population,
        "out_of_scope": len(frame.out_of_scope),
    }


def _code(value: Any) -> str:
    if not isinstance(value, str) or _CODE.fullmatch(value) is None:
        raise _bad_code(value)
    return value


def _check_unique(frame: Frame) -> None:
    """No code twice in the frame (within a class the class's validator checked it)."""
    seen: set[bytes] = set()
    total = 0
    for stratum in frame.strata:
        for weight_class in stratum.classes:
            parts = weight_class.codes.split(_SEPARATOR)
            seen.update(parts)
            total += len(parts)
    excluded = [u.encode("utf-8") for u in frame.out_of_scope]
    excluded.extend(unit.uscc.encode("utf-8") for unit in frame.cap_reached)
    seen.update(excluded)
    total += len(excluded)
    if len(seen) != total:
        every = chain(
            chain.from_iterable(c.codes.split(_SEPARATOR) for s in frame.strata for c in s.classes),
            excluded,
        )
        raise _duplicates(code.decode("utf-8") for code, n in Counter(every).items() if n > 1)


def _json(value: Any) -> bytes:
    return canonical_json(value).encode("utf-8")


def _frame_pieces(frame: Frame) -> Iterator[bytes]:
    """The canonical JSON document of ``frame`` as consecutive UTF-8 pieces.

    Keys come in sorted order at every level, exactly as ``canonical_json`` writes them; a
    class's ``codes`` is the inside of its JSON list.
    """
    capped = [{"random_checks": u.random_checks, "uscc": u.uscc} for u in frame.cap_reached]
    counts = _counts(frame)
    yield b'{"data":{"algorithm":' + _json(ALGORITHM)
    yield b',"cap_reached":' + _json(capped)
    yield b',"counts":' + _json(counts)
    yield b',"out_of_scope":' + _json(list(frame.out_of_scope))
    yield b',"parameters":' + _json(converter.unstructure(frame.parameters))
    yield b',"profile":' + _json(frame.profile)
    yield b',"round":' + _json(frame.round)
    yield b',"strata":['
    for s_index, stratum in enumerate(frame.strata):
        yield (b"," if s_index else b"") + b'{"classes":['
        for c_index, weight_class in enumerate(stratum.classes):
            yield (b"," if c_index else b"") + b'{"units":["'
            yield weight_class.codes
            yield b'"],"weight":' + _json(fraction_text(weight_class.weight)) + b"}"
        yield b'],"name":' + _json(stratum.name) + b"}"
    yield b'],"version":' + _json(frame.version)
    yield b'},"kind":' + _json(FRAME_KIND) + b',"schema":' + _json(SCHEMA_VERSION) + b"}"


def _member(data: Any, key: str, path: str) -> Any:
    if not isinstance(data, dict):
        raise ValidationError(field=path, expected="a JSON object", got=type(data).__name__)
    if key not in data:
        raise ValidationError(field=f"{path}.{key}", expected="a value", got=None)
    return data[key]


def _string(value: Any, path: str) -> str:
    # Never str() of whatever came: a list or a number is not a stratum or a profile name.
    if not isinstance(value, str):
        raise ValidationError(field=path, expected="a string", got=value)
    return value


def _whole(value: Any, path: str) -> int:
    if type(value) is not int:
        raise ValidationError(field=path, expected="an integer", got=value)
    return value


def _array(value: Any, path: str) -> list[Any]:
    # A string or an object is iterable too; only an array is a list of units.
    if not isinstance(value, list):
        raise ValidationError(field=path, expected="an array", got=type(value).__name__)
    return value


def _parameters(value: Any, path: str) -> PlanParameters:
    try:
        parameters: PlanParameters = converter.structure(value, PlanParameters)
    except (BaseValidationError, ValueError, TypeError) as exc:
        errors = structuring_errors(exc, path)
        raise InputFileError(
            f"无法读取抽查名录 / cannot read the frame's parameters: {len(errors)} error(s)",
            errors=errors,
        ) from exc
    return parameters


def _frame_from_data(data: Any) -> Frame:
    version = data.get("version")
    if (
        data.get("algorithm") != ALGORITHM
        or type(version) is not int
        or version not in DRAW_ALGORITHM_VERSIONS
    ):
        raise ValidationError(
            field="algorithm",
            expected=f"{ALGORITHM} version {' or '.join(map(str, DRAW_ALGORITHM_VERSIONS))}",
            got=f"{data.get('algorithm')} version {data.get('version')}",
        )
    strata = []
    for i, s in enumerate(_array(_member(data, "strata", "$.data"), "$.data.strata")):
        at = f"$.data.strata[{i}]"
        classes = []
        for j, c in enumerate(_array(_member(s, "classes", at), f"{at}.classes")):
            where = f"{at}.classes[{j}]"
            weight = converter.structure(_member(c, "weight", where), Fraction)
            units = _array(_member(c, "units", where), f"{where}.units")
            classes.append(WeightClass.of(weight, units))
        strata.append(
            FrameStratum(name=_string(_member(s, "name", at), f"{at}.name"), classes=classes)
        )
    frame = Frame(
        profile=_string(_member(data, "profile", "$.data"), "$.data.profile"),
        parameters=_parameters(_member(data, "parameters", "$.data"), "$.data.parameters"),
        round=_whole(_member(data, "round", "$.data"), "$.data.round"),
        version=version,
        strata=strata,
        out_of_scope=[
            _code(code)
            for code in _array(_member(data, "out_of_scope", "$.data"), "$.data.out_of_scope")
        ],
        cap_reached=[
            CappedUnit(
                uscc=_code(_member(u, "uscc", f"$.data.cap_reached[{k}]")),
                random_checks=_whole(
                    _member(u, "random_checks", f"$.data.cap_reached[{k}]"),
                    f"$.data.cap_reached[{k}].random_checks",
                ),
            )
            for k, u in enumerate(
                _array(_member(data, "cap_reached", "$.data"), "$.data.cap_reached")
            )
        ],
    )
    counts = data["counts"]
    expected = _counts(frame)
    if counts != expected:
        raise ValidationError(field="counts", expected=str(expected), got=counts)
    return frame


# --- building -------------------------------------------------------------------------------

# The enterprise attributes a unit's place in the frame can depend on: scope and stratum
# (district, industry, grade) and weight (grade and risk flags). They are read in one C-level
# call, the grade by its value because hashing an Enum member runs Python code.
_RISK: Final = tuple(f"risk.{name}" for name in RISK_ATTRIBUTES)


def _place_getter(parameters: PlanParameters) -> Callable[[Enterprise], tuple[Any, ...]]:
    scope = parameters.scope
    used = set(parameters.strata)
    if scope.districts is not None:
        used.add("district")
    if scope.industries is not None:
        used.add("industry")
    names = [n for n in ("district", "industry") if n in used]
    # Further schemes are read from ``classes``, which the getter below always includes.
    getter: Callable[[Enterprise], tuple[Any, ...]] = attrgetter(*names, "grade", "classes", *_RISK)
    return getter


def _frame_parameters(plan: Plan | PlanParameters, profile: Profile) -> PlanParameters:
    """The draw parameters of ``plan``, checked against ``profile`` as :func:`build_frame`
    says."""
    parameters = plan if isinstance(plan, PlanParameters) else PlanParameters.from_plan(plan)
    allowed = profile.stratum_keys
    for key in parameters.strata:
        if key not in allowed:
            raise ValidationError(
                f"政策配置 {profile.name} 不允许按 {key!r} 分层 / profile {profile.name} does not "
                f"stratify by {key!r}",
                field="strata",
                expected="one of " + ", ".join(sorted(allowed)),
                got=key,
            )
    profile.line(parameters.line)
    unknown = [
        f"{name!r}: {why}"
        for name, _ in parameters.stratum_ratios
        if (why := _unknown_stratum(name, parameters.strata, profile)) is not None
    ]
    if unknown:
        raise ValidationError(
            f"计划的分层比例中有 {len(unknown)} 个分层无法形成 / {len(unknown)} stratum "
            f"ratio(s) of plan {parameters.code} name a stratum no enterprise can be in, so "
            f"they would never apply: {'; '.join(unknown)}",
            field="stratum_ratios",
            expected="strata named by the plan's keys (" + " | ".join(parameters.strata) + ")",
            got=[name for name, _ in parameters.stratum_ratios],
        )
    return parameters


def _unknown_stratum(name: str, keys: tuple[str, ...], profile: Profile) -> str | None:
    """Why no enterprise can be in the stratum ``name`` of a plan stratified by ``keys`` under
    ``profile`` (a value of a district or of a classification scheme the profile does not
    know, or another number of parts than keys), or ``None``. Industries are any text."""
    parts = name.split(STRATUM_SEPARATOR) if keys else [name]
    if not keys:
        return None if name == "" else "the plan has no stratum keys: its one stratum is ''"
    if len(parts) != len(keys):
        return (
            f"{len(parts)} part(s), the plan stratifies by {len(keys)} "
            f"({STRATUM_SEPARATOR.join(keys)})"
        )
    for key, part in zip(keys, parts, strict=True):
        if key == "district" and profile.districts:
            known = [d.name for d in profile.districts]
        elif key == "grade" or profile.scheme(key) is not None:
            scheme = profile.grading if key == "grade" else profile.scheme(key)
            assert scheme is not None
            known = list(scheme.codes)
        else:
            continue
        if part not in known:
            close = difflib.get_close_matches(part, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            return f"{key} {part!r} is not one of the profile's{hint}"
    return None


def _grade_weights(profile: Profile) -> dict[str, Fraction]:
    return {c.code: profile.grade_weight(c.code) for c in profile.grading.ranked}


def _capped_counts(
    history: History | None, parameters: PlanParameters, profile: Profile
) -> dict[str, int]:
    """The random checks of each enterprise at or above the profile's yearly cap (R-CAP)."""
    per_line = profile.cap.scope is CapScope.LINE
    checks = random_checks_in_year(
        history, parameters.year, line=parameters.line if per_line else None
    )
    return {u: c for u, c in checks.items() if c >= profile.cap_per_year}


def _placer(
    parameters: PlanParameters, profile: Profile
) -> Callable[[Enterprise], tuple[str, Fraction] | None]:
    """Where an enterprise goes: ``(stratum, weight)``, or ``None`` outside the plan's scope.

    Called once per distinct place. A district the profile does not list (where it lists
    any) is refused here, as the directory loaders refuse it: spelt otherwise
    (``天津市和平区``) it would form a stratum of its own and change the sample.
    """
    known = {district.name for district in profile.districts}

    def place(enterprise: Enterprise) -> tuple[str, Fraction] | None:
        if known and enterprise.district not in known:
            raise ValidationError(
                f"企业 {enterprise.uscc} 的所属区 {enterprise.district!r} 不是政策配置 "
                f"{profile.name} 的区 / enterprise {enterprise.uscc}: district "
                f"{enterprise.district!r} is not one of profile {profile.name}'s "
                f"({'、'.join(sorted(known))}); read directories with randcheck.io, which "
                "normalises names such as 天津市和平区",
                field="district",
                expected=f"a district of {profile.name}",
                got=enterprise.district,
            )
        if not parameters.scope.contains(enterprise):
            return None
        return (
            stratum_name(parameters.strata, enterprise, primary=profile.grading.id),
            profile.weight(enterprise),
        )

    return place


_ENTERPRISES_HINT: Final = "read a directory file with randcheck.io.load_enterprises(path)"


def _check_frame_arguments(
    enterprises: object, plan: object, profile: object, history: object
) -> None:
    refuse_path(
        "build_frame", "enterprises", enterprises, "an iterable of Enterprise", _ENTERPRISES_HINT
    )
    require_argument(
        "build_frame",
        "plan",
        plan,
        (Plan, PlanParameters),
        "a Plan or PlanParameters",
        "read a plan file with randcheck.io.plans.load_plan(path)",
    )
    require_argument(
        "build_frame",
        "profile",
        profile,
        Profile,
        "a Profile",
        "get one with randcheck.profiles.get_profile(name or profile file)",
    )
    if history is not None:
        refuse_path(
            "build_frame",
            "history",
            history,
            "a mapping of USCC to random checks this year, or an iterable of PastInspection",
            "read a counts file with randcheck.io.load_json(path, 'random-check-counts', "
            "dict[str, int])",
        )


def build_frame(
    enterprises: Iterable[Enterprise],
    plan: Plan | PlanParameters,
    profile: Profile,
    *,
    history: History | None = None,
    round: int = 1,
    version: int = DRAW_ALGORITHM_VERSION,
) -> Frame:
    """The sampling frame of ``plan`` over the directory ``enterprises``.

    Each enterprise is placed, in this order: outside the plan's scope → excluded
    (``out-of-scope``); at or above ``profile.cap_per_year`` random checks this year according
    to ``history`` → excluded (``cap-reached``, R-CAP; targeted inspections do not count,
    R-TARGETED); otherwise eligible, in the stratum named by :func:`stratum_name` with weight
    ``profile.weight(enterprise)`` (R-GRADE-WEIGHT, R-RISK-WEIGHT).

    ``enterprises`` may be any iterable, read once. The weight is computed once per distinct
    combination of grade and risk flags, which is all it depends on. ``version`` is the draw
    algorithm's version the frame is drawn by (:data:`DRAW_ALGORITHM_VERSION`, or ``1`` to
    reproduce a frame of version 1).

    Warns (:class:`~randcheck.sampling.GradePreferenceCancelledWarning`) when the plan
    stratifies by grade with one ratio for every grade while the profile's grade weights
    differ: the strata then cancel the weights (R-GRADE-WEIGHT;
    :func:`~randcheck.sampling.inclusion_probabilities` shows the chances the plan produces).

    ``profile`` is a :class:`~randcheck.profiles.Profile` value, not a name:
    ``randcheck.profiles.get_profile("cn-tj-hrss")`` (or the path of a profile file) gives one.
    Taking a name here would make the frame depend on what the registry holds when it runs;
    the profile a frame was built with is the one its caller can show.

    Raises:
        TypeError: ``enterprises`` is a path or a string, or holds something other than
            :class:`~randcheck.domain.Enterprise` values; ``plan`` is not a
            :class:`~randcheck.domain.Plan` or :class:`PlanParameters`; ``profile`` is not a
            ``Profile``; ``history`` is a path or a string. The message names the argument,
            what it must be and what came.
        ValidationError: the same USCC appears twice, a stratum value contains ``|``, the plan
            stratifies by a key or names a line the profile does not know, or an enterprise
            has a class the profile's schemes do not know.
    """
    _check_frame_arguments(enterprises, plan, profile, history)
    parameters = _frame_parameters(plan, profile)
    from randcheck.sampling._probabilities import warn_if_strata_cancel_grades

    warn_if_strata_cancel_grades(parameters, profile.grading.id, _grade_weights(profile))
    capped = _capped_counts(history, parameters, profile)

    out_of_scope: list[str] = []
    capped_found: list[CappedUnit] = []
    groups: dict[tuple[str, Fraction], list[str]] = {}
    places: dict[tuple[Any, ...], list[str]] = {}
    placer = _placer(parameters, profile)

    def place(enterprise: Enterprise) -> list[str]:
        key = placer(enterprise)
        if key is None:
            return out_of_scope
        group = groups.get(key)
        if group is None:
            group = groups[key] = []
        return group

    get = places.get
    where = _place_getter(parameters)
    enterprise: object = None
    try:
        if capped:
            for enterprise in enterprises:
                target = get(where(enterprise))
                if target is None:
                    target = places[where(enterprise)] = place(enterprise)
                uscc = enterprise.uscc
                if target is not out_of_scope and uscc in capped:
                    capped_found.append(CappedUnit(uscc=uscc, random_checks=capped[uscc]))
                else:
                    target.append(uscc)
        else:
            for enterprise in enterprises:
                target = get(where(enterprise))
                if target is None:
                    target = places[where(enterprise)] = place(enterprise)
                target.append(enterprise.uscc)
    except AttributeError:
        # Checked here, where it failed, not on every row before: the loop is the frame's cost.
        require_argument(
            "build_frame",
            "enterprises",
            enterprise,
            Enterprise,
            "an iterable of Enterprise (every item)",
            _ENTERPRISES_HINT,
        )
        raise

    # Every code once in the whole frame, checked on the sorted byte strings of each class.
    by_stratum: dict[str, list[WeightClass]] = {}
    seen: set[str] = set()
    total = 0
    token = _CHECKED.set(True)
    try:
        for (name, weight), codes in groups.items():
            if codes:
                parts = _sorted_parts(codes)
                seen.update(parts)
                total += len(parts)
                joined = _joined(parts)
                if _JOINED_CODES.fullmatch(joined) is None:
                    raise _bad_code(next(c for c in codes if _CODE.fullmatch(c) is None))
                weight_class = WeightClass(weight=weight, codes=joined)
                by_stratum.setdefault(name, []).append(weight_class)
        excluded = [*out_of_scope, *(unit.uscc for unit in capped_found)]
        seen.update(excluded)
        total += len(excluded)
        if len(seen) != total:
            every = chain.from_iterable([*groups.values(), excluded])
            raise _duplicates(code for code, n in Counter(every).items() if n > 1)
        return Frame(
            profile=profile.name,
            parameters=parameters,
            round=round,
            version=version,
            strata=[FrameStratum(name=n, classes=c) for n, c in by_stratum.items()],
            out_of_scope=out_of_scope,
            cap_reached=capped_found,
        )
    finally:
        _CHECKED.reset(token)
