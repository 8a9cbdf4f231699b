"""Recusal (R-RECUSAL, Art. 10; 劳动保障监察条例 Art. 16; 行政处罚法 Art. 43).

Art. 10: "随机选派的执法检查人员如与检查对象有利害关系的，应当依法回避". An inspector must recuse
from an enterprise when

* a declared :class:`~randcheck.domain.Conflict` row names the inspector and the enterprise, or
* the inspector's own record ties them to it (:meth:`~randcheck.domain.Inspector.interests`:
  former employer, relative's employer, shareholding).

A conflict row may name the inspector by *any* of their identifiers — the inspector key, the
enforcement certificate number, the resident identity number — spelled in any way the
directory loaders accept (:func:`randcheck.ids.compact_identifier`: full-width characters and
dashes, spaces, case, a final lower-case ``x``). A row names an inspector exactly when the
compact forms are equal; nothing else about the directory is consulted, so the verdict for an
inspector is the same whether it is asked of a whole directory (the dispatch, the audit) or of
that inspector alone (the step guard). Two records that share an identifier — one person
entered twice — are both named by a row giving it.

One :class:`RecusalIndex` answers for the dispatch, the step guard ``may_add_to_team`` and the
audit's R-RECUSAL; rows that name nobody in the directory are kept in
:attr:`RecusalIndex.unresolved` for the caller to report, never dropped.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

import attrs

from randcheck.ids import compact_identifier, mask_inspector_key
from randcheck.text import Text

if TYPE_CHECKING:
    from randcheck.domain import Conflict, ConflictGround, Inspector

__all__ = [
    "RecusalIndex",
    "UnresolvedConflictWarning",
    "describe_unresolved",
    "inspector_identifiers",
]

Grounds = tuple["ConflictGround", ...]
"""Grounds of one recusal, unique, sorted by value; empty: no recusal."""


class UnresolvedConflictWarning(UserWarning):
    """Declared conflicts name no inspector of the directory (R-RECUSAL).

    Such a row cannot be honoured: its inspector is not known, perhaps because the identifier
    is mistyped. :func:`randcheck.dispatch.dispatch` and :func:`randcheck.dispatch.replace`
    issue it; the audit reports each row as a finding.
    """


def inspector_identifiers(inspector: Inspector) -> frozenset[str]:
    """Every identifier of ``inspector`` in compact form (key, certificate, identity number)."""
    names = (inspector.key, inspector.certificate_no, inspector.resident_id)
    return frozenset(compact for compact in (compact_identifier(n) for n in names if n) if compact)


def _sorted(grounds: Iterable[ConflictGround]) -> Grounds:
    return tuple(sorted(set(grounds), key=lambda ground: ground.value))


def _frozen(table: Mapping[str, Mapping[str, Iterable[ConflictGround]]]) -> _Table:
    return MappingProxyType(
        {
            outer: MappingProxyType({inner: _sorted(g) for inner, g in by_inner.items()})
            for outer, by_inner in table.items()
        }
    )


_Table = Mapping[str, Mapping[str, Grounds]]


@attrs.frozen(kw_only=True)
class RecusalIndex:
    """Who must recuse from which enterprise, and why: built once from a directory and the
    declared conflicts (:meth:`build`), then asked per inspector and enterprise.

    Attributes:
        declared: compact identifier → USCC → grounds of the conflict rows giving that
            identifier.
        recusals: inspector key → USCC → grounds, for every inspector of the directory (an
            empty mapping for one who need recuse from nothing; declared rows and own record
            together; records sharing a key are merged).
        unresolved: the conflict rows that name no inspector of the directory, in input
            order.
    """

    declared: _Table
    recusals: _Table
    unresolved: tuple[Conflict, ...]

    @classmethod
    def build(cls, inspectors: Iterable[Inspector], conflicts: Iterable[Conflict]) -> RecusalIndex:
        """The index of the directory ``inspectors`` and the declared ``conflicts``."""
        rows = list(conflicts)
        declared: dict[str, dict[str, set[ConflictGround]]] = {}
        for row in rows:
            by_enterprise = declared.setdefault(compact_identifier(row.inspector), {})
            by_enterprise.setdefault(row.enterprise, set()).add(row.ground)
        known: set[str] = set()
        recusals: dict[str, dict[str, set[ConflictGround]]] = {}
        for inspector in inspectors:
            names = inspector_identifiers(inspector)
            known |= names
            found: dict[str, set[ConflictGround]] = {}
            for code, ground in inspector.interests():
                found.setdefault(code, set()).add(ground)
            for name in names:
                for code, grounds in declared.get(name, {}).items():
                    found.setdefault(code, set()).update(grounds)
            mine = recusals.setdefault(inspector.key, {})
            for code, grounds in found.items():
                mine.setdefault(code, set()).update(grounds)
        unresolved = tuple(row for row in rows if compact_identifier(row.inspector) not in known)
        return cls(declared=_frozen(declared), recusals=_frozen(recusals), unresolved=unresolved)

    def grounds(self, inspector: Inspector | str, uscc: str) -> Grounds:
        """Why ``inspector`` must recuse from the enterprise ``uscc``; empty when they need not.

        ``inspector`` is an :class:`~randcheck.domain.Inspector` — judged on its own
        identifiers and record, whether or not it is in the directory — or an inspector key as
        a team lists it: the directory's records under that key, or, for a key not in the
        directory, the conflict rows naming that key.
        """
        if isinstance(inspector, str):
            known = self.recusals.get(inspector)
            if known is not None:
                return known.get(uscc, ())
            return self._declared((compact_identifier(inspector),), uscc, ())
        own = [ground for code, ground in inspector.interests() if code == uscc]
        return self._declared(inspector_identifiers(inspector), uscc, own)

    def _declared(self, names: Iterable[str], uscc: str, own: Iterable[ConflictGround]) -> Grounds:
        found = list(own)
        for name in names:
            found.extend(self.declared.get(name, {}).get(uscc, ()))
        return _sorted(found)

    def must_recuse(self, inspector: Inspector | str, uscc: str) -> bool:
        """Whether ``inspector`` must recuse from ``uscc`` (:meth:`grounds` is not empty)."""
        return bool(self.grounds(inspector, uscc))

    def among(
        self, enterprises: Iterable[str], inspectors: Iterable[Inspector] | None = None
    ) -> dict[str, dict[str, Grounds]]:
        """Every recusal between ``enterprises`` (USCCs) and directory inspectors.

        Returns ``{uscc: {inspector key: grounds}}``; enterprises and inspectors without a
        recusal are absent. ``inspectors``, when given, limits the answer to those keys (the
        qualified inspectors of a round, say).
        """
        wanted = set(enterprises)
        keys: Collection[str] | None = (
            None if inspectors is None else {inspector.key for inspector in inspectors}
        )
        table: dict[str, dict[str, Grounds]] = {}
        for key, by_enterprise in self.recusals.items():
            if keys is not None and key not in keys:
                continue
            for code, grounds in by_enterprise.items():
                if code in wanted:
                    table.setdefault(code, {})[key] = grounds
        return table


def describe_unresolved(rows: Iterable[Conflict]) -> Text:
    """What to tell about conflict rows that name no known inspector.

    Each row is shown as ``inspector × USCC``, the inspector as written but with an identity
    number masked (:func:`randcheck.ids.mask_inspector_key`).
    """
    shown = "; ".join(f"{mask_inspector_key(row.inspector)} × {row.enterprise}" for row in rows)
    return Text(
        zh=f"利害关系申报未对应名录中的任何执法检查人员，无法据以回避：{shown}",
        en=f"declared conflicts name no inspector in the directory and cannot be honoured: {shown}",
    )
