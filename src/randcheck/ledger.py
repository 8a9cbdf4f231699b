"""The year's ledger: immutable records of what a department did, for the audit.

A :class:`Ledger` holds everything :func:`randcheck.validators.audit` needs to say, rule by rule,
what was lawful: the check-item lists and plans (Art. 5-9), the commitments, draws and dispatches
(Art. 2, 10), the inspections with their teams and grounds (Art. 9-11), summary reports and
feedback (Art. 3, 14), findings of violation with their dispositions (Art. 13), publicity periods,
objections and reviews (Art. 14), publication records (Art. 3), and the directories in force
(inspectors, conflicts, enterprises; Art. 7, 10).

Records are frozen attrs values. Like the domain objects, they check types and formats (a USCC
with a wrong check character, a publicity that ends before it starts) and accept content the
rules find wanting (a feedback given too early, a report without a handling opinion): finding
that is the audit's job.

Draws and dispatches are kept as :class:`DrawEntry` and :class:`DispatchEntry`, the parts of the
sampling and dispatch records the audit needs; :meth:`DrawEntry.from_record` and
:meth:`DispatchEntry.from_record` build them from any object with the attributes of
:class:`DrawRecordLike` and :class:`DispatchRecordLike`.

Files
-----
A ledger is saved as one JSON document (``{"schema": 1, "kind": "ledger", "data": {...}}``, see
:func:`randcheck.canonical.to_document`) or, for a large year, as JSON Lines: a header line
``{"schema": 1, "kind": "ledger", "year": 2026, "title": "..."}`` and then one record per line,
``{"section": "inspections", "data": {...}}``. :func:`load_ledger` reads either (by the file
suffix, ``.jsonl`` for JSON Lines) and reports *every* bad record at once, each with its JSON
path and, for JSON Lines, its line number, in one :class:`~randcheck.errors.InputFileError`.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from fractions import Fraction
from operator import attrgetter
from pathlib import Path
from types import MemberDescriptorType, UnionType
from typing import TYPE_CHECKING, Any, Final, Protocol, Union, get_args, get_origin

import attrs

from randcheck import _collector as collector
from randcheck import _deprecation, canonical, domain, io
from randcheck.domain import (
    CheckItemList,
    Conflict,
    Enterprise,
    Inspector,
    LegalBasis,
    Plan,
)
from randcheck.errors import InputFileError, Location, RandcheckError, ValidationError
from randcheck.ids import is_valid_resident_id, mask_resident_id, validate_uscc
from randcheck.io.json_documents import refuse_empty_json
from randcheck.io.streaming import ErrorTally, bounded_load_error
from randcheck.rules.legal_basis import list_in_force
from randcheck.rules.strings import str_tuple, strict_str_tuples

__all__ = [
    "LEDGER_KIND",
    "CommitmentEntry",
    "CommitmentLike",
    "DispatchEntry",
    "DispatchRecordLike",
    "Disposition",
    "DrawEntry",
    "DrawRecordLike",
    "Feedback",
    "FeedbackMode",
    "GradeRecord",
    "Inspection",
    "InspectionKind",
    "Ledger",
    "NotInspected",
    "NotInspectedReason",
    "Objection",
    "Publication",
    "PublicationKind",
    "Publicity",
    "SeedLike",
    "SummaryReport",
    "TargetedGround",
    "TeamEntry",
    "TeamLike",
    "UnitWeight",
    "ViolationRecord",
    "list_in_force",
    "load_ledger",
    "save_ledger",
]

LEDGER_KIND: Final = "ledger"
"""The ``kind`` of ledger documents and of the header line of ledger JSON Lines files."""

# Deprecated names still import, with a warning; type checkers are not shown them.
if not TYPE_CHECKING:
    __getattr__ = _deprecation.module_getattr(__name__, {"Team": "randcheck.ledger.TeamEntry"})


# --- enumerations -------------------------------------------------------------------------


class InspectionKind(enum.Enum):
    """Whether an inspection came from a draw (Art. 2, 10) or was targeted (Art. 9)."""

    RANDOM = "random"
    TARGETED = "targeted"

    @property
    def zh(self) -> str:
        """The Chinese name."""
        return "随机抽查" if self is InspectionKind.RANDOM else "针对性检查"


class TargetedGround(enum.StrEnum):
    """The grounds of ``cn-tj-hrss`` for a targeted inspection (Art. 9, second paragraph), as
    constants.

    An inspection holds its ground as a string id; which grounds exist is the profile's open
    list (:attr:`randcheck.profiles.Profile.targeted_grounds`, "等"): an entry marked
    ``needs_text`` ("other") requires ``ground_reference``.
    """

    COMPLAINT_REPORT = "complaint-report"
    SUPERIOR_ASSIGNMENT = "superior-assignment"
    SPECIAL_LEGAL_PROVISION = "special-legal-provision"
    OTHER = "other"

    @property
    def zh(self) -> str:
        """The Chinese name."""
        return _GROUND_ZH[self]


_GROUND_ZH = {
    TargetedGround.COMPLAINT_REPORT: "投诉举报",
    TargetedGround.SUPERIOR_ASSIGNMENT: "上级机关交办",
    TargetedGround.SPECIAL_LEGAL_PROVISION: "法律法规和规章特别规定",
    TargetedGround.OTHER: "其他",
}


class NotInspectedReason(enum.StrEnum):
    """Why an enterprise drawn at random was not inspected (R-COMPLETION, Art. 2)."""

    DEREGISTERED = "deregistered"
    MOVED_OUT = "moved-out"
    NOT_FOUND = "not-found"
    SUSPENDED = "suspended"
    OTHER = "other"

    @property
    def zh(self) -> str:
        """The Chinese name."""
        return _NOT_INSPECTED_ZH[self]


_NOT_INSPECTED_ZH = {
    NotInspectedReason.DEREGISTERED: "已注销",
    NotInspectedReason.MOVED_OUT: "已迁出辖区",
    NotInspectedReason.NOT_FOUND: "查无下落",
    NotInspectedReason.SUSPENDED: "停业歇业",
    NotInspectedReason.OTHER: "其他",
}


class Disposition(enum.StrEnum):
    """The decisions of ``cn-tj-hrss`` on a violation found (Art. 13), as constants; ``NONE``
    means decided: nothing to punish.

    A violation record holds its disposition as a string id; which exist is the profile's open
    list (:attr:`randcheck.profiles.Profile.dispositions`): an entry marked ``needs_text``
    ("other") requires ``disposition_note``.
    """

    NONE = "none"
    ORDER_TO_RECTIFY = "order-to-rectify"
    ADMINISTRATIVE_PENALTY = "administrative-penalty"
    TRANSFER_TO_AGENCY = "transfer-to-agency"
    TRANSFER_TO_JUDICIARY = "transfer-to-judiciary"
    OTHER = "other"

    @property
    def zh(self) -> str:
        """The Chinese name."""
        return _DISPOSITION_ZH[self]


_DISPOSITION_ZH = {
    Disposition.NONE: "不予处理",
    Disposition.ORDER_TO_RECTIFY: "责令改正",
    Disposition.ADMINISTRATIVE_PENALTY: "行政处罚",
    Disposition.TRANSFER_TO_AGENCY: "移送其它行政机关",
    Disposition.TRANSFER_TO_JUDICIARY: "移送司法机关",
    Disposition.OTHER: "其他",
}


class FeedbackMode(enum.Enum):
    """How results are communicated to the target (Art. 14: 书面反馈或当面反馈)."""

    WRITTEN = "written"
    IN_PERSON = "in-person"

    @property
    def zh(self) -> str:
        """The Chinese name."""
        return "书面反馈" if self is FeedbackMode.WRITTEN else "当面反馈"


class PublicationKind(enum.Enum):
    """What a publication record makes public (Art. 3: 抽查清单、抽查计划、抽取结果、检查结果)."""

    ITEM_LIST = "item-list"
    PLAN = "plan"
    DRAW = "draw"
    RESULTS = "results"

    @property
    def zh(self) -> str:
        """The Chinese name."""
        return _PUBLICATION_ZH[self]


_PUBLICATION_ZH = {
    PublicationKind.ITEM_LIST: "抽查清单",
    PublicationKind.PLAN: "抽查计划",
    PublicationKind.DRAW: "抽取结果",
    PublicationKind.RESULTS: "检查结果",
}


# --- small validators ---------------------------------------------------------------------


def _optional_id(value: object) -> object:
    # An enum constant becomes its plain id; anything else is checked by the structuring.
    return str(value) if isinstance(value, str) else value


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _nonempty(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not value:
        raise ValidationError(field=attribute.name, expected="a non-empty string", got=value)


def _uscc(value: str) -> str:
    # A year's ledger names each enterprise many times over (draw weights, teams, inspections,
    # grades): each distinct code is checked once. Only strings are remembered; anything else
    # goes to validate_uscc, which says what is wrong with it.
    return _checked_uscc(value) if type(value) is str else validate_uscc(value)


@functools.lru_cache(maxsize=1 << 17)
def _checked_uscc(value: str) -> str:
    return validate_uscc(value)


def _uscc_tuple(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(map(_uscc, value))


def _as_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    # Bare ``tuple`` as a converter makes the attrs mypy plugin reject every argument.
    return tuple(value)


def _nonempty_tuple(instance: object, attribute: attrs.Attribute[Any], value: tuple[Any]) -> None:
    if not value:
        raise ValidationError(field=attribute.name, expected="at least one entry", got=value)


_YEARS: Final = range(1, 9999)  # a year whose days, and the next year's, Python can count


def _calendar_year(instance: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if type(value) is not int or value not in _YEARS:
        raise ValidationError(
            field=attribute.name, expected="a calendar year from 1 to 9998", got=value
        )


def _aware(instance: object, attribute: attrs.Attribute[Any], value: datetime | None) -> None:
    if value is not None and value.tzinfo is None:
        raise ValidationError(
            field=attribute.name, expected="an aware timestamp (with a UTC offset)", got=value
        )


def _not_before(field: str, earlier: date, later: date | None, earlier_name: str) -> None:
    if later is not None and later < earlier:
        raise ValidationError(
            field=field,
            expected=f"a date on or after {earlier_name} {earlier.isoformat()}",
            got=later.isoformat(),
        )


def _unique(field: str, keys: Iterable[str]) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise ValidationError(field=field, expected="unique ids", got=key)
        seen.add(key)


# --- draws and dispatches -----------------------------------------------------------------


class CommitmentLike(Protocol):
    """What :meth:`DrawEntry.from_record` reads of a frame commitment."""

    @property
    def frame_digest(self) -> str:
        """``"sha256:<hex>"`` of the committed frame."""
        ...

    @property
    def published(self) -> datetime | None:
        """When the commitment was made public (aware), if recorded."""
        ...


class SeedLike(Protocol):
    """What :meth:`DrawEntry.from_record` reads of a public seed."""

    @property
    def value(self) -> str:
        """The seed text."""
        ...

    @property
    def source(self) -> str:
        """Where the seed comes from (e.g. a lottery result and its date)."""
        ...

    @property
    def fixed(self) -> datetime | None:
        """When the seed became known (aware), if recorded."""
        ...


class DrawRecordLike(Protocol):
    """What :meth:`DrawEntry.from_record` reads of a sampling draw record."""

    @property
    def plan(self) -> str:
        """The code of the plan the draw is made under."""
        ...

    @property
    def commitment(self) -> CommitmentLike:
        """The commitment to the frame."""
        ...

    @property
    def seed(self) -> SeedLike:
        """The public seed."""
        ...

    def selected_ids(self) -> tuple[str, ...]:
        """The USCCs drawn, sorted."""
        ...

    def digest(self) -> str:
        """``"sha256:<hex>"`` of the record's canonical JSON."""
        ...


class TeamLike(Protocol):
    """What :meth:`DispatchEntry.from_record` reads of one team of a dispatch record."""

    @property
    def enterprise(self) -> str:
        """The USCC of the enterprise the team inspects."""
        ...

    @property
    def members(self) -> Sequence[str]:
        """The inspector keys of the team."""
        ...


class DispatchRecordLike(Protocol):
    """What :meth:`DispatchEntry.from_record` reads of a dispatch record."""

    @property
    def draw_digest(self) -> str:
        """The digest of the draw whose targets were staffed."""
        ...

    def current_teams(self) -> Sequence[TeamLike]:
        """The teams as they went out, after any replacement (recusal, absence)."""
        ...

    def digest(self) -> str:
        """``"sha256:<hex>"`` of the record's canonical JSON."""
        ...


@attrs.frozen(kw_only=True)
class CommitmentEntry:
    """A published commitment to a sampling frame: its digest and when it was made public."""

    digest: str = attrs.field(converter=_strip, validator=_nonempty)
    plan: str = attrs.field(converter=_strip, validator=_nonempty)
    published: datetime | None = attrs.field(default=None, validator=_aware)
    frame_size: int | None = None


@attrs.frozen(kw_only=True)
class UnitWeight:
    """The sampling weight a draw gave one enterprise (exact)."""

    enterprise: str = attrs.field(converter=_uscc)
    weight: Fraction = attrs.field(converter=Fraction)

    def __attrs_post_init__(self) -> None:
        # A Fraction's denominator is positive: its sign is its numerator's (and an int
        # comparison is much cheaper than a Fraction one, once per unit of a draw).
        if self.weight.numerator <= 0:
            raise ValidationError(field="weight", expected="a weight > 0", got=str(self.weight))


@attrs.frozen(kw_only=True)
class DrawEntry:
    """What the audit needs of a draw (R-RANDOM, R-GRADE-WEIGHT, R-RISK-WEIGHT).

    ``id`` is the draw record's digest; inspections and dispatches refer to it. The frame must
    have been committed (``commitment_published``) before the seed was known (``seed_fixed``).
    ``weights`` holds the weights the draw recorded, if it recorded any.
    """

    id: str = attrs.field(converter=_strip, validator=_nonempty)
    plan: str = attrs.field(converter=_strip, validator=_nonempty)
    commitment: str = attrs.field(converter=_strip, validator=_nonempty)
    commitment_published: datetime | None = attrs.field(default=None, validator=_aware)
    seed: str
    seed_source: str = attrs.field(default="", converter=_strip)
    seed_fixed: datetime | None = attrs.field(default=None, validator=_aware)
    selected: tuple[str, ...] = attrs.field(converter=_uscc_tuple)
    weights: tuple[UnitWeight, ...] = attrs.field(default=(), converter=_as_tuple)
    round: int | None = None

    @classmethod
    def from_record(cls, record: DrawRecordLike) -> DrawEntry:
        """The entry for a sampling draw record."""
        commitment = record.commitment
        seed = record.seed
        recorded: Any = getattr(record, "weights", None) or ()
        weights = tuple(
            UnitWeight(enterprise=code, weight=weight)
            for code, weight in (
                recorded.items() if isinstance(recorded, Mapping) else tuple(recorded)
            )
        )
        return cls(
            id=record.digest(),
            plan=record.plan,
            commitment=commitment.frame_digest,
            commitment_published=commitment.published,
            seed=seed.value,
            seed_source=seed.source,
            seed_fixed=seed.fixed,
            selected=record.selected_ids(),
            weights=weights,
            round=getattr(record, "round", None),
        )


@attrs.frozen(kw_only=True, field_transformer=strict_str_tuples)
class TeamEntry:
    """What the audit needs of one team of a dispatch: the enterprise and the inspector keys.

    Not :class:`randcheck.dispatch.Team`, the team as the dispatch record holds it.
    """

    enterprise: str = attrs.field(converter=_uscc)
    inspectors: tuple[str, ...] = attrs.field(converter=str_tuple)


@attrs.frozen(kw_only=True)
class DispatchEntry:
    """What the audit needs of a dispatch: which draw it staffed and the team per enterprise."""

    id: str = attrs.field(converter=_strip, validator=_nonempty)
    draw: str = attrs.field(converter=_strip, validator=_nonempty)
    teams: tuple[TeamEntry, ...] = attrs.field(converter=_as_tuple)

    def __attrs_post_init__(self) -> None:
        _unique("teams", (team.enterprise for team in self.teams))

    def team_for(self, enterprise: str) -> tuple[str, ...] | None:
        """The inspector keys dispatched to ``enterprise``, or ``None``."""
        for team in self.teams:
            if team.enterprise == enterprise:
                return team.inspectors
        return None

    @classmethod
    def from_record(cls, record: DispatchRecordLike) -> DispatchEntry:
        """The entry for a dispatch record: its teams after any replacement."""
        teams = sorted(
            (
                TeamEntry(enterprise=team.enterprise, inspectors=tuple(team.members))
                for team in record.current_teams()
            ),
            key=lambda team: team.enterprise,
        )
        return cls(id=record.digest(), draw=record.draw_digest, teams=teams)


# --- inspections and what follows them -----------------------------------------------------


@attrs.frozen(kw_only=True, field_transformer=strict_str_tuples)
class Inspection:
    """One inspection of one enterprise.

    ``lines`` are the lines whose items were checked (several for a joint inspection);
    ``items`` the check-item codes; ``team`` the inspector keys; ``unit`` the inspecting team or
    agency and ``agency`` the enforcement agency (执法机构) the team belongs to, either of which
    gives the feedback (Art. 3 "由具体实施检查的各综合执法检查小组或者各执法机构反馈"). A
    random inspection names its ``draw`` and ``dispatch``; a targeted one its ``ground`` (an id
    of the profile's open list, with ``ground_reference``) and the ``suspicion`` it pursues (Art. 9
    "需依法对有违法嫌疑的监管对象开展针对性检查"); a targeted inspection need not be on the
    random-check list and may cite its own legal ``bases``, on which it is then judged (Art. 6).
    ``department_district`` is the district whose inspector directory is the inspecting
    department's own (Art. 10 "本部门的执法检查人员名录库"), as the directory spells it (a
    city-level department's own directory is the city's); empty: the enterprise's district.
    Inspections sharing a ``joint_visit`` id were done in one visit (Art. 11) and count once
    towards the cap (Art. 10). ``finished`` is ``None`` while the inspection is under way.
    """

    id: str = attrs.field(converter=_strip, validator=_nonempty)
    enterprise: str = attrs.field(converter=_uscc)
    lines: tuple[str, ...] = attrs.field(converter=str_tuple, validator=_nonempty_tuple)
    items: tuple[str, ...] = attrs.field(converter=str_tuple)
    team: tuple[str, ...] = attrs.field(converter=str_tuple)
    unit: str = attrs.field(default="", converter=_strip)
    started: date
    finished: date | None = None
    kind: InspectionKind = InspectionKind.RANDOM
    ground: str | None = attrs.field(default=None, converter=_optional_id)
    ground_reference: str = attrs.field(default="", converter=_strip)
    draw: str | None = None
    dispatch: str | None = None
    joint_visit: str | None = None
    agency: str = attrs.field(default="", converter=_strip)
    suspicion: str = attrs.field(default="", converter=_strip)
    bases: tuple[LegalBasis, ...] = attrs.field(default=(), converter=_as_tuple)
    department_district: str = attrs.field(default="", converter=_strip)

    def __attrs_post_init__(self) -> None:
        _not_before("finished", self.started, self.finished, "started")

    @property
    def is_random(self) -> bool:
        """Whether this is a random (drawn) inspection."""
        return self.kind is InspectionKind.RANDOM


_UNDATED: Final = ("since", "until")


def _ledger_conflict(conflict: Conflict) -> dict[str, Any]:
    """A conflict as a ledger writes it: without ``since`` and ``until`` while they are not
    set, so that ledgers written before ties were dated keep their bytes (and digests).
    Elsewhere (a dispatch record's declared conflicts) a conflict is written whole."""
    document: dict[str, Any] = canonical.converter.unstructure(conflict, Conflict)
    for key in _UNDATED:
        if document.get(key) is None:
            document.pop(key, None)
    return document


# Documents written before inspections named their agency keep their bytes.
canonical.omit_defaults(Inspection, "agency", "suspicion", "bases", "department_district")


def _covers_something(instance: SummaryReport, attribute: Any, value: tuple[str, ...]) -> None:
    if bool(instance.inspection) == bool(value or instance.round):
        raise ValidationError(
            field="inspection",
            expected="one inspection, or a round and/or the inspections it covers",
            got=instance.inspection or "(none)",
        )


@attrs.frozen(kw_only=True, field_transformer=strict_str_tuples)
class SummaryReport:
    """A summary report (Art. 14 "每次随机抽查结束后，形成随机抽查总结报告").

    Either the report of one ``inspection``, or the report of a random-check round: ``round``
    names the round's draw (every random inspection made under it is covered) and/or
    ``inspections`` lists the inspections it covers. Raises
    :class:`~randcheck.errors.ValidationError` when it names both an inspection and a round, or
    neither.
    """

    inspection: str = attrs.field(default="", converter=_strip)
    conclusion: str = attrs.field(default="", converter=_strip)
    handling_opinion: str = attrs.field(default="", converter=_strip)
    dated: date
    round: str = attrs.field(default="", converter=_strip)
    inspections: tuple[str, ...] = attrs.field(
        default=(), converter=str_tuple, validator=_covers_something
    )

    @property
    def is_round(self) -> bool:
        """Whether this is the report of a round rather than of one inspection."""
        return not self.inspection


# Documents of one report per inspection keep their bytes.
canonical.omit_defaults(SummaryReport, "inspection", "round", "inspections")


@attrs.frozen(kw_only=True)
class ViolationRecord:
    """A violation found in an inspection and the decision on it (Art. 13).

    ``disposition`` is ``None`` while undecided; ``published`` is the day the outcome was
    published on the credit publicity system (``None``: not published).
    """

    id: str = attrs.field(converter=_strip, validator=_nonempty)
    inspection: str = attrs.field(converter=_strip, validator=_nonempty)
    description: str = attrs.field(default="", converter=_strip)
    disposition: str | None = attrs.field(default=None, converter=_optional_id)
    disposition_note: str = attrs.field(default="", converter=_strip)
    decided: date | None = None
    published: date | None = None
    channel: str = attrs.field(default="", converter=_strip)


# Documents written before dispositions took a note keep their bytes.
canonical.omit_defaults(ViolationRecord, "disposition_note")


@attrs.frozen(kw_only=True, field_transformer=strict_str_tuples)
class Publicity:
    """A publicity period of inspection results (公示), both ends inclusive (Art. 14)."""

    id: str = attrs.field(converter=_strip, validator=_nonempty)
    inspections: tuple[str, ...] = attrs.field(converter=str_tuple, validator=_nonempty_tuple)
    start: date
    end: date
    channel: str = attrs.field(default="", converter=_strip)
    text: str = ""

    def __attrs_post_init__(self) -> None:
        _not_before("end", self.start, self.end, "start")


@attrs.frozen(kw_only=True)
class Objection:
    """An objection to published results and its review (复查复核), Art. 14."""

    id: str = attrs.field(converter=_strip, validator=_nonempty)
    inspection: str = attrs.field(converter=_strip, validator=_nonempty)
    opened: date
    review_finished: date | None = None
    outcome: str = attrs.field(default="", converter=_strip)

    def __attrs_post_init__(self) -> None:
        _not_before("review_finished", self.opened, self.review_finished, "opened")


@attrs.frozen(kw_only=True)
class Feedback:
    """Results communicated to the target (Art. 14), by the unit named in ``issued_by``."""

    inspection: str = attrs.field(converter=_strip, validator=_nonempty)
    dated: date
    mode: FeedbackMode
    issued_by: str = attrs.field(default="", converter=_strip)


@attrs.frozen(kw_only=True, field_transformer=strict_str_tuples)
class Publication:
    """A publication (公开), Art. 3 and 5-8.

    ``subjects`` are what was published: item-list versions, plan codes, draw ids or inspection
    ids, according to ``kind``. ``text`` is the published text, checked for unmasked personal
    data (R-PUBLIC).
    """

    id: str = attrs.field(converter=_strip, validator=_nonempty)
    kind: PublicationKind
    subjects: tuple[str, ...] = attrs.field(converter=str_tuple)
    published: date
    channel: str = attrs.field(default="", converter=_strip)
    text: str = ""


@attrs.frozen(kw_only=True)
class GradeRecord:
    """An enterprise's class in the profile's primary scheme from a day on (Art. 9: graded
    once a year, 人社部规〔2016〕1号 Art. 7). The grade in force on a day is that of the latest
    record on or before it; before every record, the directory's ``grade``."""

    enterprise: str = attrs.field(converter=_uscc)
    grade: str = attrs.field(converter=_strip, validator=_nonempty)
    since: date


@attrs.frozen(kw_only=True)
class NotInspected:
    """Why an enterprise of a draw's selection was not inspected (R-COMPLETION).

    ``draw`` is the draw's id, ``enterprise`` the USCC drawn, ``reason`` one of
    :class:`NotInspectedReason` (``"other"`` needs ``note``), ``recorded`` the day it was
    established. Dropping a drawn target silently would undo the random draw (Art. 2).
    """

    draw: str = attrs.field(converter=_strip, validator=_nonempty)
    enterprise: str = attrs.field(converter=_uscc)
    reason: str = attrs.field(converter=_strip, validator=_nonempty)
    note: str = attrs.field(default="", converter=_strip)
    recorded: date | None = None


# --- the ledger -----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Ledger:
    """Everything a department did in a year, with the directories in force.

    Ids are unique within the sections other records refer to (draws, dispatches, inspections,
    violations, publicities, objections, publications), and the directories hold each
    enterprise (by USCC) and each inspector (by key, and by identity number) once; an
    inspection has at most one summary report, and the same feedback (inspection, day, mode,
    issuer) is not recorded twice; so no finding depends on the order of the records.
    References between records are *not* checked here: a dangling reference is a finding of
    the audit. A ledger is a :class:`~randcheck.canonical.Record`.
    """

    year: int = attrs.field(validator=_calendar_year)
    title: str = ""
    check_item_lists: tuple[CheckItemList, ...] = attrs.field(default=(), converter=_as_tuple)
    plans: tuple[Plan, ...] = attrs.field(default=(), converter=_as_tuple)
    commitments: tuple[CommitmentEntry, ...] = attrs.field(default=(), converter=_as_tuple)
    draws: tuple[DrawEntry, ...] = attrs.field(default=(), converter=_as_tuple)
    dispatches: tuple[DispatchEntry, ...] = attrs.field(default=(), converter=_as_tuple)
    inspections: tuple[Inspection, ...] = attrs.field(default=(), converter=_as_tuple)
    reports: tuple[SummaryReport, ...] = attrs.field(default=(), converter=_as_tuple)
    violations: tuple[ViolationRecord, ...] = attrs.field(default=(), converter=_as_tuple)
    publicities: tuple[Publicity, ...] = attrs.field(default=(), converter=_as_tuple)
    objections: tuple[Objection, ...] = attrs.field(default=(), converter=_as_tuple)
    feedback: tuple[Feedback, ...] = attrs.field(default=(), converter=_as_tuple)
    publications: tuple[Publication, ...] = attrs.field(default=(), converter=_as_tuple)
    enterprises: tuple[Enterprise, ...] = attrs.field(default=(), converter=_as_tuple)
    inspectors: tuple[Inspector, ...] = attrs.field(default=(), converter=_as_tuple)
    conflicts: tuple[Conflict, ...] = attrs.field(default=(), converter=_as_tuple)
    not_inspected: tuple[NotInspected, ...] = attrs.field(default=(), converter=_as_tuple)
    grades: tuple[GradeRecord, ...] = attrs.field(default=(), converter=_as_tuple)

    def __attrs_post_init__(self) -> None:
        for name in _UNIQUE_SECTIONS:
            for index, _, key, what in _repeats(name, getattr(self, name)):
                raise ValidationError(
                    f"{name}[{index}]: {what} {key!r} appears twice",
                    field=f"{name}[{index}]",
                    expected=f"each {what} once",
                    got=key,
                )

    # --- documents ---------------------------------------------------------------------

    def to_document(self) -> dict[str, Any]:
        """The ledger as a JSON document (``schema``, ``kind`` ``"ledger"``, ``data``)."""
        return canonical.to_document(LEDGER_KIND, self)

    @classmethod
    def from_document(cls, document: Any, *, source: str | None = None) -> Ledger:
        """Read a document written by :meth:`to_document`.

        Raises:
            InputFileError: every problem found, each with its JSON path.
        """
        return canonical.from_document(document, LEDGER_KIND, cls, source=source)

    def digest(self) -> str:
        """``"sha256:<hex>"`` of the canonical bytes of :meth:`to_document`."""
        return canonical.digest(self.to_document())

    def record_count(self) -> int:
        """How many records the ledger holds, over every section (one JSON Lines line each)."""
        return sum(len(getattr(self, name)) for name in _SECTION_TYPES)

    def iter_lines(self) -> Iterator[dict[str, Any]]:
        """The records of the ledger as JSON Lines values (after the file's header line).

        The first value is ``{"section": "ledger", "data": {"year": ..., "title": ...}}``;
        each record follows as ``{"section": <name>, "data": {...}}``.
        """
        yield {"section": _HEAD_SECTION, "data": {"year": self.year, "title": self.title}}
        unstructure = canonical.converter.unstructure
        for name, cls in _SECTION_TYPES.items():
            write = (
                _ledger_conflict
                if cls is Conflict
                else functools.partial(unstructure, unstructure_as=cls)
            )
            for record in getattr(self, name):
                yield {"section": name, "data": write(record)}

    @classmethod
    def from_lines(cls, lines: Iterable[Any], *, source: str | None = None) -> Ledger:
        """Read the values of :meth:`iter_lines` (already parsed from JSON), in order.

        Raises:
            InputFileError: every problem found, each with its position and JSON path.
        """
        return _from_numbered(enumerate(lines, start=2), source, ErrorTally())


def _from_numbered(
    lines: Iterable[tuple[int, Any]],
    source: str | None,
    errors: ErrorTally,
    leading: Callable[[], None] | None = None,
) -> Ledger:
    """The ledger of ``lines``; its problems go to ``errors``, and ``leading()`` is called
    once the lines are read. Errors are reported in line order."""
    builder = _Builder(source, errors)
    sections = _SECTION_TYPES
    quick = builder.quick_targets()
    for number, line in lines:
        if type(line) is dict and len(line) == 2 and "data" in line:
            # The common case first, without the checks that only serve its messages.
            section = line.get("section")
            if type(section) is str and section in sections:
                target = quick.get(section)
                if target is not None:
                    structure, records, numbers = target
                    try:
                        record = structure(line["data"])
                    except Exception:  # the reference path below reads it
                        pass
                    else:
                        records(record)
                        numbers(number)
                        continue
                builder.add(section, line["data"], "$.data", number)
                continue
        if line is _UNREADABLE:
            continue
        location = Location(file=source, line=number)
        if not isinstance(line, dict) or line.keys() != {"section", "data"}:
            builder.errors.add(
                ValidationError(
                    'expected {"section": ..., "data": {...}} @ $',
                    field="$",
                    expected='an object with exactly "section" and "data"',
                    got=line if not isinstance(line, dict) else sorted(line),
                    location=location,
                )
            )
        elif not isinstance(line["section"], str):
            builder.errors.add(
                ValidationError(
                    f"expected a section name, got {type(line['section']).__name__} @ $.section",
                    field="$.section",
                    expected="one of " + ", ".join((_HEAD_SECTION, *_SECTION_TYPES)),
                    got=line["section"],
                    location=location,
                )
            )
        elif line["section"] == _HEAD_SECTION:
            builder.head(line["data"], "$.data", number)
        elif line["section"] in _SECTION_TYPES:
            builder.add(line["section"], line["data"], "$.data", number)
        else:
            builder.errors.add(
                ValidationError(
                    f"unknown section {line['section']!r} @ $.section",
                    field="$.section",
                    expected="one of " + ", ".join((_HEAD_SECTION, *_SECTION_TYPES)),
                    got=line["section"],
                    location=location,
                )
            )
    if leading is not None:
        leading()
    return builder.build()


_UNREADABLE: Final = object()

_UNIQUE_ID_SECTIONS: Final = (
    "draws",
    "dispatches",
    "inspections",
    "violations",
    "publicities",
    "objections",
    "publications",
)


def _shown(key: str) -> str:
    return key


def _inspector_key(inspector: Inspector) -> str:
    return inspector.key


def _shown_key(key: str) -> str:
    # A key that is an identity number is shown masked, as everywhere outside the directory.
    return mask_resident_id(key) if is_valid_resident_id(key) else key


# What must not appear twice in a section, and how it is shown: a directory that holds one
# enterprise or inspector twice would make the audit's result depend on which row comes first.
# Conflicts may repeat: two declarations of one interest only say it twice.
_UNIQUE_KEYS: Final[
    dict[str, tuple[tuple[str, Callable[[Any], str | None], Callable[[str], str]], ...]]
] = {
    **{name: (("id", attrgetter("id"), _shown),) for name in _UNIQUE_ID_SECTIONS},
    "enterprises": (("unified social credit code", attrgetter("uscc"), _shown),),
    "inspectors": (
        ("inspector key", _inspector_key, _shown_key),
        ("resident identity number", attrgetter("resident_id"), mask_resident_id),
    ),
    # One summary report per inspection: two would leave the audit to pick a conclusion.
    "reports": (("summary report of inspection", lambda r: r.inspection or None, _shown),),
    # Feedback may be given twice (in writing, then in person), but not the same twice.
    "feedback": (
        (
            "feedback (inspection, day, mode, by)",
            lambda f: f"{f.inspection}, {f.dated}, {f.mode.value}, {f.issued_by}",
            _shown,
        ),
    ),
}
_UNIQUE_SECTIONS: Final = tuple(_UNIQUE_KEYS)


def _repeats(section: str, records: Sequence[Any]) -> Iterator[tuple[int, int, str, str]]:
    """``(index, first index, key as shown, what)`` for every record of ``section`` that
    repeats a key of an earlier one (once per record, for its first repeated key)."""
    keys = _UNIQUE_KEYS[section]
    if all(_distinct(map(key_of, records)) for _, key_of, _ in keys):
        return  # the common case, told by set sizes alone
    seen: list[dict[str, int]] = [{} for _ in keys]
    for index, record in enumerate(records):
        for (what, key_of, show), first_of in zip(keys, seen, strict=True):
            key = key_of(record)
            if key is None:
                continue
            first = first_of.setdefault(key, index)
            if first != index:
                yield index, first, show(key), what
                break


def _distinct(keys: Iterable[str | None]) -> bool:
    """Whether no key but ``None`` occurs twice."""
    listed = list(keys)
    unique = set(listed)
    unique.discard(None)
    return len(unique) == len(listed) - listed.count(None)


_HEAD_SECTION: Final = "ledger"

_SECTION_TYPES: Final[dict[str, type[Any]]] = {
    "check_item_lists": CheckItemList,
    "plans": Plan,
    "commitments": CommitmentEntry,
    "draws": DrawEntry,
    "dispatches": DispatchEntry,
    "inspections": Inspection,
    "reports": SummaryReport,
    "violations": ViolationRecord,
    "publicities": Publicity,
    "objections": Objection,
    "feedback": Feedback,
    "publications": Publication,
    "enterprises": Enterprise,
    "inspectors": Inspector,
    "conflicts": Conflict,
    "not_inspected": NotInspected,
    "grades": GradeRecord,
}

# Ledgers written before drawn targets could be recorded as not inspected keep their bytes.
canonical.omit_defaults(
    Ledger,
    "not_inspected",
    "grades",
    written={"conflicts": lambda conflicts: [_ledger_conflict(c) for c in conflicts]},
)

_LINES_HEADER_KEYS: Final = frozenset({"schema", "kind"})


def _file_error(
    source: str | None, errors: Sequence[RandcheckError], total: int | None = None
) -> InputFileError:
    where = source if source is not None else "data"
    count = len(errors) if total is None else total
    return InputFileError(
        f"无法读取台账 / cannot read the ledger from {where}: {count:,} error(s)",
        errors=errors,
        location=Location(file=source) if source is not None else None,
    )


# --- structuring on the common path ----------------------------------------------------------
# canonical.structure checks every field through cattrs' hooks and, for a bad record, says what
# is wrong with each. A year of JSON Lines is mostly good records, so each line is first built
# by a plain function made once per class from its attrs fields. It takes only what the
# reference path takes (the exact JSON types: ``type(x) is str`` where cattrs also takes a str
# subclass; the converter's own parsers of dates, timestamps and fractions; an enum member by
# its value) and runs the class's own converters, validators and ``__attrs_post_init__``.
# Anything else raises, and the line takes the reference path, which reports it as before.


class _NotQuick(Exception):
    """A value the quick structuring leaves to :func:`randcheck.canonical.structure`."""


def _optional_of(kind: Any) -> Any:
    args = get_args(kind)
    if get_origin(kind) in (Union, UnionType) and len(args) == 2 and type(None) in args:
        return args[0] if args[1] is type(None) else args[1]
    return None


def _is_str_tuple_converter(converter: Any) -> bool:
    return isinstance(converter, functools.partial) and converter.func is str_tuple


# What a converter returns unchanged (an equal value) when given what the quick path built:
# converter → the shapes it leaves alone. str_tuple and _as_tuple of a tuple of strings are that
# tuple; _optional_id of a str or None is it; Fraction of a Fraction is an equal Fraction.
_NEUTRAL: Final[dict[Any, frozenset[str]]] = {
    _as_tuple: frozenset({"str-tuple", "tuple"}),
    _optional_id: frozenset({"str", "str-or-none"}),
    Fraction: frozenset({"fraction"}),
}


# Converters whose work on an exact str is one call, made inline: the strip of every stripped
# text field (the ledger's and the domain's, the same function), the USCC check remembered per
# distinct code (the directory's codes are the draws' and the inspections' again).
_ON_STR: Final[dict[Any, Callable[[str], str]]] = {
    _strip: str.strip,
    domain._strip: str.strip,
    _uscc: _checked_uscc,
    validate_uscc: _checked_uscc,
}


def _neutral(converter: Any, shape: str) -> bool:
    if _is_str_tuple_converter(converter):
        return shape == "str-tuple"
    return shape in _NEUTRAL.get(converter, ())


def _slot_setters(cls: type[Any]) -> dict[str, Callable[[Any, Any], None]] | None:
    """The slot setters of every field of ``cls``, when an instance can be made by setting
    them (what attrs' own ``__init__`` does); else ``None``."""
    names = {field.name for field in attrs.fields(cls)}
    slots = cls.__dict__.get("__slots__")
    if (
        cls.__bases__ != (object,)
        or hasattr(cls, "__attrs_pre_init__")
        or slots is None
        or set(slots) - names - {"__weakref__"}
    ):
        return None
    setters: dict[str, Callable[[Any, Any], None]] = {}
    for name in names:
        slot = cls.__dict__.get(name)
        if type(slot) is not MemberDescriptorType:
            return None
        setters[name] = slot.__set__
    return setters


class _QuickSource:
    """The source of one quick structuring function and the names it refers to."""

    def __init__(self, cls: type[Any]) -> None:
        self.cls = cls
        self.names: dict[str, Any] = {"_NotQuick": _NotQuick}

    def name(self, value: Any) -> str:
        name = f"_n{len(self.names)}"
        self.names[name] = value
        return name

    def leaf(self, kind: Any, src: str, dst: str, depth: int) -> tuple[list[str], str] | None:
        """Lines that set ``dst`` to the structured ``src`` of type ``kind``, and the shape of
        the value; ``None`` when the quick path does not know ``kind``."""
        if kind is str or kind is int or kind is bool:
            check = f"if type({src}) is not {kind.__name__}: raise _NotQuick"
            return [check, f"{dst} = {src}"], kind.__name__
        inner = _optional_of(kind)
        if inner is not None:
            found = self.leaf(inner, src, dst, depth + 1)
            if found is None:
                return None
            lines, shape = found
            either = [f"if {src} is None: {dst} = None", "else:", *(f"    {x}" for x in lines)]
            return either, f"{shape}-or-none" if shape == "str" else "other"
        if kind is date or kind is Fraction:
            # The parsers behind the converter's hooks, which take only a str.
            parse = canonical._date_of_text if kind is date else canonical._fraction_of_text
            check = f"if type({src}) is not str: raise _NotQuick"
            return [check, f"{dst} = {self.name(parse)}({src})"], kind.__name__.lower()
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            members = {member.value: member for member in kind}
            if all(type(value) is str for value in members):
                check = f"if type({src}) is not str: raise _NotQuick"
                return [check, f"{dst} = {self.name(members)}[{src}]"], "other"
        if kind is datetime or (isinstance(kind, type) and issubclass(kind, enum.Enum)):
            hook = self.name(canonical.converter.get_structure_hook(kind))
            return [f"{dst} = {hook}({src}, {self.name(kind)})"], "other"
        origin, args = get_origin(kind), get_args(kind)
        if (origin is tuple and len(args) == 2 and args[1] is Ellipsis) or (
            origin is frozenset and len(args) == 1
        ):
            item = args[0]
            check = f"if type({src}) is not list: raise _NotQuick"
            if item is str:
                element = f"_e{depth}"
                lines = [
                    check,
                    f"{dst} = tuple({src})",
                    f"for {element} in {dst}:",
                    f"    if type({element}) is not str: raise _NotQuick",
                ]
                if origin is frozenset:
                    return [*lines, f"{dst} = frozenset({dst})"], "other"
                return lines, "str-tuple"
            nested = _quick_structurer(item) if origin is tuple and attrs.has(item) else None
            if nested is None:
                return None
            return [check, f"{dst} = tuple(map({self.name(nested)}, {src}))"], "tuple"
        if isinstance(kind, type) and attrs.has(kind):
            nested = _quick_structurer(kind)
            if nested is None:
                return None
            return [f"{dst} = {self.name(nested)}({src})"], "other"
        return None

    def function(self) -> Callable[[Any], Any] | None:
        cls = self.cls
        fields = attrs.fields(cls)
        if cls in canonical._DOCUMENT_KEYS_OF or any(
            not field.init or field.alias != field.name for field in fields
        ):
            return None
        setters = _slot_setters(cls)
        if any(isinstance(field.converter, _ATTRS_CONVERTER) for field in fields):
            setters = None
        keys = self.name(frozenset(field.name for field in fields))
        body = [f"if type(o) is not dict or not {keys}.issuperset(o): raise _NotQuick"]
        for position, field in enumerate(fields):
            dst = f"x{position}"
            found = self.leaf(field.type, "v", dst, 0)
            converter = field.converter
            convert: list[str] = []
            if (
                found is not None
                and converter is not None
                and setters is not None
                and not _neutral(converter, found[1])
            ):
                direct = _ON_STR.get(converter) if found[1] == "str" else None
                convert = [f"{dst} = {self.name(direct or converter)}({dst})"]
            default = field.default
            if default is attrs.NOTHING:
                if found is None:
                    return None
                body += [f"v = o[{field.name!r}]", *found[0], *convert]
                continue
            if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                if default.takes_self:
                    return None
                made = f"{self.name(default.factory)}()"
                if converter is not None and setters is not None:
                    made = f"{self.name(converter)}({made})"
            else:
                made = self.name(default)
                if converter is not None and setters is not None:
                    made = self.name(converter(default))
            if found is None:
                body += [f"if {field.name!r} in o: raise _NotQuick", f"{dst} = {made}"]
            else:
                body += [
                    f"if {field.name!r} in o:",
                    f"    v = o[{field.name!r}]",
                    *(f"    {x}" for x in (*found[0], *convert)),
                    "else:",
                    f"    {dst} = {made}",
                ]
        if setters is None:
            arguments = ", ".join(f"{field.alias}=x{k}" for k, field in enumerate(fields))
            body.append(f"return {self.name(cls)}({arguments})")
        else:
            # As attrs' __init__ does it: every field set, then the validators, then the
            # post-init check.
            body.append(f"i = {self.name(object.__new__)}({self.name(cls)})")
            body += [f"{self.name(setters[field.name])}(i, x{k})" for k, field in enumerate(fields)]
            body += [
                f"{self.name(field.validator)}(i, {self.name(field)}, x{k})"
                for k, field in enumerate(fields)
                if field.validator is not None
            ]
            if hasattr(cls, "__attrs_post_init__"):
                body.append("i.__attrs_post_init__()")
            body.append("return i")
        source = "def quick(o):\n" + "".join(f"    {line}\n" for line in body)
        scope = dict(self.names)
        exec(compile(source, f"<quick structure {cls.__qualname__}>", "exec"), scope)
        function: Callable[[Any], Any] = scope["quick"]
        return function


_ATTRS_CONVERTER: Final[type | tuple[()]] = getattr(attrs, "Converter", ())


_QUICK: Final[dict[type[Any], Callable[[Any], Any] | None]] = {}


def _quick_structurer(cls: type[Any]) -> Callable[[Any], Any] | None:
    """A function that builds a ``cls`` from JSON data the reference path would accept, or
    raises; ``None`` when ``cls`` has a field it cannot read. Made once per class."""
    try:
        return _QUICK[cls]
    except KeyError:
        attrs.resolve_types(cls)
        made = _QUICK[cls] = _QuickSource(cls).function()
        return made


_QuickTarget = tuple[Callable[[Any], Any], Callable[[Any], None], Callable[[int | None], None]]


class _Builder:
    """Collects records section by section and every error on the way."""

    def __init__(self, source: str | None, errors: ErrorTally) -> None:
        self.source = source
        self.errors = errors
        self.sections: dict[str, list[Any]] = {name: [] for name in _SECTION_TYPES}
        self.lines: dict[str, list[int | None]] = {name: [] for name in _SECTION_TYPES}
        self.year: int | None = None
        self.title = ""
        self.head_seen = False

    def _error(self, message: str, path: str, expected: str, got: Any, line: int | None) -> None:
        self.errors.add(
            ValidationError(
                f"{message} @ {path}",
                field=path,
                expected=expected,
                got=got,
                location=Location(file=self.source, line=line),
            )
        )

    def head(self, data: Any, path: str, line: int | None) -> None:
        if self.head_seen:
            self._error("a second ledger line", path, "one ledger line", data, line)
            return
        self.head_seen = True
        if not isinstance(data, dict) or not data.keys() <= {"year", "title"}:
            self._error("expected {year, title}", path, "an object with year and title", data, line)
            return
        year = data.get("year")
        if type(year) is not int:
            self._error("expected an integer", f"{path}.year", "an integer", year, line)
        elif year not in _YEARS:
            self._error(
                "expected a calendar year", f"{path}.year", "a year from 1 to 9998", year, line
            )
        else:
            self.year = year
        title = data.get("title", "")
        if not isinstance(title, str):
            self._error("expected a string", f"{path}.title", "a string", title, line)
        else:
            self.title = title

    def quick_targets(self) -> dict[str, _QuickTarget]:
        """Section → (its quick structuring, append to its records, append to its lines)."""
        targets: dict[str, _QuickTarget] = {}
        for section, cls in _SECTION_TYPES.items():
            quick = _quick_structurer(cls)
            if quick is not None:
                records, lines = self.sections[section], self.lines[section]
                targets[section] = (quick, records.append, lines.append)
        return targets

    def add(self, section: str, data: Any, path: str, line: int | None) -> None:
        cls = _SECTION_TYPES[section]
        quick = _quick_structurer(cls)
        try:
            if quick is None:
                raise _NotQuick
            record = quick(data)
        except Exception:  # whatever it is, the reference path says it as before
            try:
                record = canonical.structure(data, cls, path=path, source=self.source, line=line)
            except InputFileError as exc:
                self.errors.extend(exc.errors)
                return
        self.sections[section].append(record)
        self.lines[section].append(line)

    def _check_repeats(self) -> bool:
        """Report every repeated key with its lines; whether there was one."""
        found = False
        for section in _UNIQUE_SECTIONS:
            lines = self.lines[section]
            for index, first, key, what in _repeats(section, self.sections[section]):
                found = True
                self._error(
                    f"{what} {key!r} appears twice in {section} (first on line {lines[first]})",
                    "$.data",
                    f"each {what} once in {section} (already on line {lines[first]})",
                    key,
                    lines[index],
                )
        return found

    def build(self) -> Ledger:
        if not self.head_seen:
            self._error(
                'no {"section": "ledger", ...} line with the year',
                "$",
                "a ledger line",
                None,
                None,
            )
        if self.errors.total:
            self._check_repeats()
        else:
            assert self.year is not None
            try:
                return Ledger(year=self.year, title=self.title, **self.sections)
            except ValidationError as exc:
                # The ledger refuses repeated keys itself (one check of a good year, not two);
                # the lines of every repeat are said here.
                if not self._check_repeats():
                    self.errors.add(exc.at(Location(file=self.source)))
        raise _file_error(self.source, self.errors.errors(order=_line_of), self.errors.total)


def _line_of(error: RandcheckError) -> int:
    location = error.location
    return location.line if location is not None and location.line is not None else 0


# --- files ----------------------------------------------------------------------------------


def _is_lines(path: Path) -> bool:
    return path.suffix.lower() in {".jsonl", ".ndjson"}


def save_ledger(ledger: Ledger, path: str | Path) -> None:
    """Write ``ledger`` to ``path`` in canonical JSON (:func:`randcheck.io.save_json`), or as
    JSON Lines (:func:`randcheck.io.write_jsonl`) when the suffix is ``.jsonl``."""
    if _is_lines(Path(path)):
        io.write_jsonl(path, LEDGER_KIND, ledger.iter_lines())
    else:
        io.save_json(path, LEDGER_KIND, ledger)


def load_ledger(path: str | Path) -> Ledger:
    """Read a ledger written by :func:`save_ledger` (JSON, or JSON Lines for ``.jsonl``).

    Raises:
        InputFileError: the file cannot be read, is not valid JSON (as strictly as
            :mod:`randcheck.io` reads it: a key repeated within one object or ``NaN`` is
            refused) or holds bad records; ``errors`` lists every problem with its line (JSON
            Lines) and JSON path.
    """
    if not _is_lines(Path(path)):
        with collector.paused():
            try:
                return io.load_json(path, LEDGER_KIND, Ledger)
            except InputFileError as exc:
                raise bounded_load_error(exc) from None
    source = str(path)
    found = ErrorTally()
    header: Any = None

    def numbered() -> Iterator[tuple[int, Any]]:
        # Each line is structured as it is read: no line is held once it has been.
        nonlocal header
        empty = True
        for line in io.read_jsonl_lines(path):
            empty = False
            value = line.value
            if line.error is not None:
                if not line.decoded:
                    # Text in another encoding: every line after it would only repeat it.
                    raise _file_error(source, line.error.errors) from line.error
                found.extend(line.error.errors)
                value = _UNREADABLE
            if line.number == 1:
                header = value
            else:
                yield line.number, value
        if empty:
            # Not one line: said as an empty file is, not as a header line that is missing.
            refuse_empty_json(Path(path).read_text(encoding="utf-8", errors="replace"), source)

    def leading() -> None:
        if header is not _UNREADABLE:
            found.extend(
                canonical.envelope_errors(
                    header,
                    LEDGER_KIND,
                    keys=_LINES_HEADER_KEYS,
                    location=Location(file=source, line=1),
                )
            )

    with collector.paused():
        return _from_numbered(numbered(), source, found, leading)
