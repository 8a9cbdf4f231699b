"""The dispatch record: what was decided, from what, and how to check it (R-RANDOM, R-PUBLIC).

A :class:`DispatchRecord` is an immutable value. It names the inputs it was computed from
(seed and its source, the digest of the draw record, of the inspector directory and of the
declared conflicts, the plan, the inspection date), the rule parameters it applied (team size,
cross-district bounds, load cap, distinct sections), the teams it formed, the recusals it
applied and every later replacement. Replacements are appended, never merged into the teams:
``teams`` always shows the original dispatch and :meth:`DispatchRecord.current_teams` applies
the replacements in order. It is a :class:`~randcheck.canonical.Record`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import attrs

from randcheck import canonical
from randcheck._deprecation import module_getattr, warn_deprecated
from randcheck.canonical import unstructure
from randcheck.domain import Conflict, ConflictGround, CrossDistrictBounds, Inspector
from randcheck.errors import ValidationError
from randcheck.privacy import mask_inspector_key, mask_personal_data

__all__ = [
    "DIGEST_OF_DATA_ONLY",
    "DISPATCH_ALGORITHM_VERSION",
    "DOCUMENT_KIND",
    "DispatchRecord",
    "LoadCapSource",
    "Recusal",
    "Replacement",
    "ReplacementCategory",
    "ReplacementScope",
    "Team",
]

DISPATCH_ALGORITHM_VERSION = "randcheck-dispatch-v1"
"""Version tag of the dispatch algorithm: a record's ``algorithm`` and the first field of every
hash it computes (``docs/dispatch.md``).

A string, where the draw's :data:`randcheck.sampling.DRAW_ALGORITHM_VERSION` is the integer its
frame document has always held; each is hashed as it is, so neither can change form.
"""

DIGEST_OF_DATA_ONLY = frozenset({"randcheck-dispatch-v1"})
"""Algorithm tags of dispatch records whose digest covers the ``data`` of the document only."""

DOCUMENT_KIND = "dispatch-record"
"""The ``kind`` of a dispatch record's JSON document."""


class LoadCapSource(enum.Enum):
    """Where the per-inspector load cap of a round comes from."""

    PLAN = "plan"
    """The plan's ``load_cap``."""
    EVEN_SPREADING = "even-spreading"
    """The smallest cap with which the round can be dispatched lawfully (see docs/dispatch.md)."""


class ReplacementCategory(enum.Enum):
    """What a publication says of why an inspector stepped aside, in place of the reason's text.

    The text of a reason may tell of an inspector's health, family or interests; the
    publication gives only its category, derived from the replacement itself
    (:meth:`Replacement.category`), and the record keeps the text.
    """

    RECUSAL = "recusal"
    """A conflict of interest was declared with the enterprise (回避)."""
    UNAVAILABLE = "unavailable"
    """Out of every team of the round (e.g. illness, leave)."""
    OTHER = "other"
    """Out of one team for another reason."""


class ReplacementScope(enum.Enum):
    """How far an inspector who steps aside is out."""

    TEAM = "team"
    """Out of one team only (e.g. a conflict with that enterprise declared late)."""
    ROUND = "round"
    """Out of every team of the round and never drawn as a substitute again (e.g. illness)."""


def _nonempty(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not value.strip():
        raise ValidationError(field=attribute.name, expected="a non-empty string", got=value)


def _sorted_grounds(value: Iterable[ConflictGround]) -> tuple[ConflictGround, ...]:
    return tuple(sorted(set(value), key=lambda ground: ground.value))


def _strs(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _teams(value: Iterable[Team]) -> tuple[Team, ...]:
    return tuple(value)


def _recusals(value: Iterable[Recusal]) -> tuple[Recusal, ...]:
    return tuple(value)


def _conflicts(value: Iterable[Conflict]) -> tuple[Conflict, ...]:
    return tuple(value)


def _replacements(value: Iterable[Replacement]) -> tuple[Replacement, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Team:
    """The inspection team of one enterprise: one team for all its items (Art. 11, one visit).

    ``members`` are inspector keys in the order they were drawn.
    """

    enterprise: str
    district: str
    members: tuple[str, ...] = attrs.field(converter=_strs)


@attrs.frozen(kw_only=True)
class Recusal:
    """An inspector qualified for the round who must recuse from an enterprise, and why."""

    enterprise: str
    inspector: str
    grounds: tuple[ConflictGround, ...] = attrs.field(converter=_sorted_grounds)


@attrs.frozen(kw_only=True)
class Replacement:
    """One inspector stepping aside from one team, and the substitute drawn for them.

    ``declared`` holds conflicts declared after the dispatch that this replacement (and every
    later one) takes into account; ``recusals`` those of them and of the directory that the
    substitute draw had to respect and that the original dispatch did not already record.
    """

    enterprise: str
    outgoing: str
    incoming: str
    reason: str = attrs.field(validator=_nonempty)
    on: date
    scope: ReplacementScope
    declared: tuple[Conflict, ...] = attrs.field(default=(), converter=_conflicts)
    recusals: tuple[Recusal, ...] = attrs.field(default=(), converter=_recusals)

    def category(self) -> ReplacementCategory:
        """The published category of this replacement's reason: ``recusal`` when a conflict
        declared with it ties the outgoing inspector to the enterprise, ``unavailable`` when the
        inspector leaves the whole round, ``other`` otherwise."""
        if any(
            c.inspector == self.outgoing and c.enterprise == self.enterprise for c in self.declared
        ):
            return ReplacementCategory.RECUSAL
        if self.scope is ReplacementScope.ROUND:
            return ReplacementCategory.UNAVAILABLE
        return ReplacementCategory.OTHER


@attrs.frozen(kw_only=True)
class DispatchRecord:
    """The published, verifiable result of dispatching inspection teams for one draw.

    Attributes:
        algorithm: :data:`DISPATCH_ALGORITHM_VERSION` of the algorithm that produced it.
        seed: the public seed of the dispatch (a string).
        seed_source: where the seed came from (e.g. a published lottery result).
        seed_fixed: when the seed became known (aware), if recorded; left out of the document
            when absent, so records without it keep their bytes.
        draw_digest: ``digest()`` of the draw record the teams are for.
        plan_code, line: the plan and its line.
        inspection_date: the date on which certificates must be valid.
        inspectors_digest: :func:`~randcheck.dispatch.directory_digest` of the directory used.
        conflicts_digest: :func:`~randcheck.dispatch.conflicts_digest` of the conflicts used.
        team_size: members per team, ``max(plan.team_size, profile.min_team_size)``.
        cross_district: the plan's bounds on the share of members from other districts.
        load_cap: the most teams one inspector joins in this round.
        load_cap_source: whether ``load_cap`` is the plan's or even spreading.
        distinct_sections: whether no two members of a team may come from one section.
        teams: one per drawn enterprise, sorted by USCC (the original dispatch).
        recusals: every recusal between a drawn enterprise and a qualified inspector.
        replacements: every later replacement, in the order made.
    """

    algorithm: str = DISPATCH_ALGORITHM_VERSION
    seed: str
    seed_source: str = ""
    seed_fixed: datetime | None = None
    draw_digest: str
    plan_code: str
    line: str = attrs.field(converter=str)
    inspection_date: date
    inspectors_digest: str
    conflicts_digest: str
    team_size: int
    cross_district: CrossDistrictBounds
    load_cap: int
    load_cap_source: LoadCapSource
    distinct_sections: bool = False
    teams: tuple[Team, ...] = attrs.field(converter=_teams)
    recusals: tuple[Recusal, ...] = attrs.field(default=(), converter=_recusals)
    replacements: tuple[Replacement, ...] = attrs.field(default=(), converter=_replacements)

    def team_of(self, enterprise: str) -> Team | None:
        """The original team of ``enterprise`` (USCC), or ``None`` if it was not drawn."""
        for team in self.teams:
            if team.enterprise == enterprise:
                return team
        return None

    def current_teams(self) -> tuple[Team, ...]:
        """The teams after every replacement, in the order of :attr:`teams`.

        A substitute takes the place of the inspector who stepped aside, so the order of the
        other members is kept.
        """
        members = {team.enterprise: list(team.members) for team in self.teams}
        for n, replacement in enumerate(self.replacements):
            team = members.get(replacement.enterprise, [])
            if replacement.outgoing not in team:
                raise ValidationError(
                    f"替换记录 {n} 与检查组不符 / replacement {n}: {replacement.outgoing} is not "
                    f"in the team of {replacement.enterprise}",
                    field=f"replacements[{n}]",
                    expected="an outgoing inspector who is in the team",
                    got=replacement.outgoing,
                )
            team[team.index(replacement.outgoing)] = replacement.incoming
        return tuple(attrs.evolve(team, members=members[team.enterprise]) for team in self.teams)

    def loads(self) -> dict[str, int]:
        """How many current teams each inspector serves on (inspectors with none are absent)."""
        counts: dict[str, int] = {}
        for team in self.current_teams():
            for key in team.members:
                counts[key] = counts.get(key, 0) + 1
        return counts

    def to_document(self) -> dict[str, Any]:
        """The record as a versioned JSON document of kind :data:`DOCUMENT_KIND`."""
        return canonical.to_document(DOCUMENT_KIND, self)

    @classmethod
    def from_document(cls, document: Any, *, source: str | None = None) -> DispatchRecord:
        """Read a record written by :meth:`to_document` (schema version and kind checked).

        Raises:
            InputFileError: every problem found, each with its JSON path.
        """
        return canonical.from_document(document, DOCUMENT_KIND, cls, source=source)

    def digest(self) -> str:
        """``"sha256:<hex>"`` of the canonical bytes of :meth:`to_document`, as for every record.

        Records of algorithm ``randcheck-dispatch-v1`` (:data:`DIGEST_OF_DATA_ONLY`) keep the
        digest they were published with: that of the ``data`` of the document, without the
        envelope, to which ledgers and publications refer.
        """
        if self.algorithm in DIGEST_OF_DATA_ONLY:
            return canonical.digest(unstructure(self))
        return canonical.digest(self.to_document())

    def to_json_data(self) -> dict[str, Any]:
        """Deprecated: ``to_document()["data"]``."""
        warn_deprecated("DispatchRecord.to_json_data()", 'DispatchRecord.to_document()["data"]')
        data: dict[str, Any] = unstructure(self)
        return data

    def publication_view(self, inspectors: Iterable[Inspector] = ()) -> dict[str, Any]:
        """What may be published (R-PUBLIC), as JSON-ready data.

        Inspector keys that are resident identity numbers are masked
        (:func:`mask_inspector_key`), wherever they stand — a team, a recusal, a replacement or
        the certificate number of a directory entry; recusal grounds, the notes of declared
        conflicts and the text of replacement reasons are left out, because they tell of an
        inspector's relatives, employers, shareholdings or health — the publication says only
        that the inspector recused, and of a replacement only its category
        (:meth:`Replacement.category`: ``recusal``, ``unavailable`` or ``other``). With
        ``inspectors``, the public view of every member's directory entry
        (:meth:`~randcheck.domain.Inspector.public`) is included under ``"inspectors"``, any
        identity or phone number in its text masked. ``record_digest`` ties the view to the
        full record.
        """
        mask = mask_inspector_key
        view: dict[str, Any] = {
            "algorithm": self.algorithm,
            "record_digest": self.digest(),
            "seed": self.seed,
            "seed_source": mask_personal_data(self.seed_source),
            "draw_digest": self.draw_digest,
            "plan_code": self.plan_code,
            "line": str(self.line),
            "inspection_date": self.inspection_date.isoformat(),
            "team_size": self.team_size,
            "cross_district": unstructure(self.cross_district),
            "load_cap": self.load_cap,
            "load_cap_source": self.load_cap_source.value,
            "distinct_sections": self.distinct_sections,
            "teams": [
                {
                    "enterprise": team.enterprise,
                    "district": team.district,
                    "members": [mask(key) for key in team.members],
                }
                for team in self.current_teams()
            ],
            "recusals": [
                {"enterprise": r.enterprise, "inspector": mask(r.inspector)} for r in self.recusals
            ],
            "replacements": [
                {
                    "enterprise": r.enterprise,
                    "outgoing": mask(r.outgoing),
                    "incoming": mask(r.incoming),
                    "category": r.category().value,
                    "on": r.on.isoformat(),
                    "scope": r.scope.value,
                    "recusals": [mask(recusal.inspector) for recusal in r.recusals],
                }
                for r in self.replacements
            ],
        }
        staff = {inspector.key: inspector for inspector in inspectors}
        if staff:
            serving = sorted({key for team in self.current_teams() for key in team.members})
            view["inspectors"] = {
                mask(key): _public_entry(staff[key]) for key in serving if key in staff
            }
        return view


canonical.omit_defaults(DispatchRecord, "seed_fixed")


def _public_entry(inspector: Inspector) -> dict[str, Any]:
    # A certificate number column sometimes holds a resident identity number: it is masked
    # like a key, and any number left in free text is masked too.
    entry: dict[str, Any] = unstructure(inspector.public())
    for name, value in entry.items():
        if isinstance(value, str):
            entry[name] = mask_personal_data(value)
    if entry.get("certificate_no") is not None:
        entry["certificate_no"] = mask_inspector_key(str(inspector.certificate_no))
    return entry


canonical.exact_documents(DispatchRecord)


# Deprecated names still import, with a warning; type checkers are not shown them.
if not TYPE_CHECKING:
    __getattr__ = module_getattr(
        __name__,
        {
            "ALGORITHM_VERSION": "randcheck.dispatch.record.DISPATCH_ALGORITHM_VERSION",
            "DispatchVerification": "randcheck.verification.Verification",
        },
    )
