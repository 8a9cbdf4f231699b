"""Pinned records: every field of a draw or dispatch record is covered by the digest ``verify``
checks, and only re-formatting of a record's file leaves it verifying.

Each demo record is tampered with one change at a time — every leaf changed, every list element
removed, duplicated or swapped with its neighbour, every key removed, a key added — and each
tampered file is read the way ``randcheck verify`` reads it and verified against the digest
published with the record. Every content change must either be refused on reading or verify
with a difference; every pure re-formatting must read back to the same record and verify.

The dispatch files are those of algorithm version 2 (the demo's): the record, checked against
the published pool commitment (``verify_from_pool``, the printed ``randcheck verify … --pool``),
and the pool file itself, checked with the record; with salted recusal pairs also the salt file,
checked by the oversight office's ``--salt``. A change "fails" when the check reports a
difference: a team left unverified for want of the salt is not a pass, but not a finding either.

Measured (printed with ``-s``), all content changes caught: the labour round-1 draw record, 1,691
changes — 920 refused on reading, 771 failing verification; a version-1 social dispatch record
with two replacements, 577 — 280 refused, 297 failing; the demo's social dispatch (version 2)
with a replacement in one team and one out of the round, 491 — 218 refused, 273 failing; its
pool commitment, 1,398 — 833 refused, 565 failing; with salted pairs the record, 553 — 246
refused, 307 failing; the salted pool, 1,430 — 848 refused, 582 failing; the salt file, 43 — 30
refused, 13 failing. Six re-formattings of each (key order, white space, BOM, CRLF, ``\\u``
escapes, final newline) all verify.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest

from randcheck.canonical import canonical_json
from randcheck.demo.simulation import SimulatedYear, simulate
from randcheck.dispatch import (
    POOL_KIND,
    SALT_KIND,
    DispatchRecord,
    PoolCommitment,
    PoolSalt,
    RecusalPair,
    commit_pool,
    dispatch,
    dispatch_from_pool,
    replace_from_pool,
    replace_member,
    salt_pool,
    verify_from_pool,
)
from randcheck.dispatch import verify as verify_dispatch
from randcheck.domain import Conflict, ConflictGround
from randcheck.errors import InfeasibleDispatch, InputFileError
from randcheck.io import load_json
from randcheck.profiles import TIANJIN_HRSS
from randcheck.sampling import DrawRecord
from randcheck.sampling import verify as verify_draw
from randcheck.verification import Verification

pytestmark = pytest.mark.slow

Mutation = tuple[str, Any]


@pytest.fixture(scope="module")
def year() -> SimulatedYear:
    return simulate(seed="pinned", enterprises=600, inspectors=200)


def _late_conflicts(year: SimulatedYear, record: DispatchRecord) -> list[Conflict]:
    staff = year.directory.inspectors
    first = record.teams[0]
    # Conflicts declared late by inspectors of the line, so that the substitute draw recuses.
    others = [i.key for i in staff if i.key not in first.members and record.line in i.lines]
    return [
        Conflict(
            inspector=key,
            enterprise=first.enterprise,
            ground=ConflictGround.OTHER if n == 0 else ConflictGround.RELATIVE,
            note="declared after the dispatch",
        )
        for n, key in enumerate(others[-6:])
    ]


def _with_replacements(year: SimulatedYear) -> DispatchRecord:
    """A version-1 dispatch of the social step with two replacements."""
    step = year.step("social")
    staff, rows = year.directory.inspectors, year.directory.conflicts
    record = dispatch(
        step.record,
        step.population,
        staff,
        rows,
        step.plan,
        TIANJIN_HRSS,
        seed="pinned v1",
        on=step.dispatch.inspection_date,
        seed_source="福彩3D",
    )
    first, second = record.teams[0], record.teams[1]
    declared = _late_conflicts(year, record)
    record = replace_member(
        record,
        first.members[-1],
        "近亲属在该单位任职 / a relative works there",
        on=date(2027, 7, 1),
        inspectors=staff,
        conflicts=rows,
        declared=declared,
        enterprise=first.enterprise,
    )
    return replace_member(
        record,
        second.members[-1],
        "病假 / sick leave",
        on=date(2027, 7, 2),
        inspectors=staff,
        conflicts=rows,
        declared=declared,
    )


def _pool_with_replacements(
    year: SimulatedYear, pool: PoolCommitment, record: DispatchRecord, salt: PoolSalt | None
) -> DispatchRecord:
    """The demo's version-2 dispatch with a replacement in one team (conflicts declared late)
    and one inspector out of the whole round: the first team, in the record's order, whose
    member can be replaced under the rules."""
    late = _late_conflicts(year, record)
    for first in record.teams:
        leaving = first.members[-1]
        declared = [
            RecusalPair(certificate=row.inspector, enterprise=row.enterprise)
            for row in late
            if row.inspector != leaving
        ]
        try:
            record = replace_from_pool(
                record,
                pool,
                leaving,
                "recusal",
                on=date(2027, 7, 1),
                declared=[RecusalPair(certificate=leaving, enterprise=first.enterprise), *declared],
                enterprise=first.enterprise,
                salt=salt,
            )
        except InfeasibleDispatch:
            continue
        break
    else:
        raise AssertionError("no team member can be replaced")
    teams = record.current_teams()
    busiest = sorted(
        {m for t in teams for m in t.members},
        key=lambda k: (-sum(k in t.members for t in teams), k),
    )
    for key in busiest:
        try:
            return replace_from_pool(record, pool, key, "leave", on=date(2027, 7, 2), salt=salt)
        except InfeasibleDispatch:
            continue
    raise AssertionError("nobody can leave the round")


def _mutations(value: Any, path: str = "$") -> Iterator[tuple[str, Callable[[Any], Any]]]:
    """(description, function of the document's copy returning the changed one)."""
    if isinstance(value, dict):
        for key in sorted(value):
            yield f"{path}.{key} removed", _at(path, lambda d, k=key: d.pop(k))
            yield from _mutations(value[key], f"{path}.{key}")
        yield f"{path}.unknown added", _at(path, lambda d: d.__setitem__("unknown", 1))
    elif isinstance(value, list):
        for index in range(len(value)):
            yield f"{path}[{index}] removed", _at(path, lambda d, i=index: d.pop(i))
            yield f"{path}[{index}] duplicated", _at(path, lambda d, i=index: d.insert(i, d[i]))
            if index + 1 < len(value):
                yield (
                    f"{path}[{index}] swapped",
                    _at(path, lambda d, i=index: d.__setitem__(slice(i, i + 2), [d[i + 1], d[i]])),
                )
            yield from _mutations(value[index], f"{path}[{index}]")
    else:
        yield f"{path} changed", _replace(path, _changed(value))


def _changed(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return value + "0" if value[-1:].isdigit() else value + "x"
    return "x"


def _steps(path: str) -> list[str | int]:
    steps: list[str | int] = []
    for part in path[1:].replace("[", ".[").split("."):
        if not part:
            continue
        steps.append(int(part[1:-1]) if part.startswith("[") else part)
    return steps


def _at(path: str, change: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def apply(document: Any) -> Any:
        node = document
        for step in _steps(path):
            node = node[step]
        change(node)
        return document

    return apply


def _replace(path: str, new: Any) -> Callable[[Any], Any]:
    *head, last = _steps(path)

    def apply(document: Any) -> Any:
        node = document
        for step in head:
            node = node[step]
        node[last] = new
        return document

    return apply


def _tally(
    original: Any,
    read: Callable[[Path], Any],
    verify: Callable[[Any], Verification],
    tmp_path: Path,
) -> dict[str, int]:
    counts = {"mutations": 0, "no content change": 0, "refused": 0, "verify fails": 0}
    missed: list[str] = []
    text = canonical_json(original)
    file = tmp_path / "record.json"
    for name, change in _mutations(original):
        changed = change(copy.deepcopy(original))
        counts["mutations"] += 1
        if canonical_json(changed) == text:
            counts["no content change"] += 1
            continue
        file.write_text(canonical_json(changed), encoding="utf-8")
        try:
            record = read(file)
        except InputFileError:
            counts["refused"] += 1
            continue
        if verify(record).ok:
            missed.append(name)
        else:
            counts["verify fails"] += 1
    assert missed == []
    return counts


def _reformatted(document: Any) -> dict[str, bytes]:
    def reverse(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: reverse(value[key]) for key in sorted(value, reverse=True)}
        if isinstance(value, list):
            return [reverse(item) for item in value]
        return value

    compact = canonical_json(document)
    indented = json.dumps(document, indent=2, ensure_ascii=False)
    return {
        "key order": json.dumps(reverse(document), ensure_ascii=False).encode(),
        "white space": indented.encode(),
        "BOM": b"\xef\xbb\xbf" + compact.encode(),
        "CRLF": indented.replace("\n", "\r\n").encode(),
        "\\u escapes": json.dumps(document, ensure_ascii=True).encode(),
        "final newline": (compact + "\n").encode(),
    }


def _draw_parts(year: SimulatedYear) -> tuple[Any, Callable[[Any], Verification]]:
    step = year.step("labour-1")
    published = step.record.digest()
    return step.record.to_document(), lambda record: verify_draw(
        record, step.frame, published_digest=published
    )


def _dispatch_parts(year: SimulatedYear) -> tuple[Any, Callable[[Any], Verification]]:
    step = year.step("social")
    record = _with_replacements(year)
    published = record.digest()
    return record.to_document(), lambda candidate: verify_dispatch(
        candidate,
        step.record,
        step.population,
        year.directory.inspectors,
        year.directory.conflicts,
        step.plan,
        TIANJIN_HRSS,
        published_digest=published,
    )


def _salted(year: SimulatedYear) -> tuple[PoolCommitment, PoolSalt, DispatchRecord]:
    step = year.step("social")
    pool, salt = salt_pool(step.pool if step.pool.recusals else _with_pairs(year), "3c" * 32)
    record = dispatch_from_pool(
        step.record,
        step.population,
        pool,
        step.plan,
        TIANJIN_HRSS,
        seed=step.dispatch.seed,
        seed_source=step.dispatch.seed_source,
        seed_fixed=step.dispatch.seed_fixed,
        salt=salt,
    )
    return pool, salt, _pool_with_replacements(year, pool, record, salt)


def _with_pairs(year: SimulatedYear) -> PoolCommitment:
    step = year.step("social")
    drawn = step.record.selected_ids()
    staff = [i for i in year.directory.inspectors if step.plan.line in i.lines]
    declared = [
        Conflict(inspector=staff[5 * n].key, enterprise=drawn[n], ground=ConflictGround.RELATIVE)
        for n in range(4)
    ]
    return commit_pool(
        step.record,
        year.directory.inspectors,
        [*year.directory.conflicts, *declared],
        step.plan,
        on=step.pool.inspection_date,
        published=step.pool.published,
    )


def _v2_parts(
    year: SimulatedYear, which: str
) -> tuple[Any, type[Any], str, Callable[[Any], Verification]]:
    """(document, class, kind, check) for the demo's version-2 records and their pool files,
    each checked the way the printed ``randcheck verify`` command checks it."""
    step = year.step("social")

    def check(
        record: DispatchRecord, pool: PoolCommitment, salt: PoolSalt | None = None
    ) -> Verification:
        return verify_from_pool(
            record,
            step.record,
            step.population,
            pool,
            step.plan,
            TIANJIN_HRSS,
            published_digest=published,
            salt=salt,
        )

    if which.startswith("salted"):
        pool, salt, record = _salted(year)
    else:
        pool, salt = step.pool, None
        record = _pool_with_replacements(year, pool, step.dispatch, None)
    published = record.digest()
    if which.endswith("record"):
        return record.to_document(), DispatchRecord, "dispatch-record", lambda r: check(r, pool)
    if which.endswith("pool"):
        return pool.to_document(), PoolCommitment, POOL_KIND, lambda p: check(record, p)
    assert salt is not None
    return salt.to_document(), PoolSalt, SALT_KIND, lambda s: check(record, pool, s)


V2_DOCUMENTS = ["v2 record", "v2 pool", "salted record", "salted pool", "salted salt"]


def test_the_tampered_dispatch_record_has_recusals_and_replacements(year: SimulatedYear) -> None:
    record = _with_replacements(year)
    assert len(record.replacements) >= 2
    assert any(r.declared for r in record.replacements)
    assert any(r.recusals for r in record.replacements)
    for which in ("v2 record", "salted record"):
        document, _, _, check = _v2_parts(year, which)
        v2 = DispatchRecord.from_document(document)
        assert len(v2.replacements) >= 2
        assert any(r.declared for r in v2.replacements)
        assert check(v2).consistent
    pool, salt, _ = _salted(year)
    assert pool.salted
    assert _v2_parts(year, "salted salt")[3](salt).ok


def _consistent(check: Callable[[Any], Verification]) -> Callable[[Any], Verification]:
    # "Detected" is a difference: a part left unverified is not a pass, but not a finding.
    def run(value: Any) -> Verification:
        result = check(value)
        return attrs.evolve(result, unverified=())

    return run


@pytest.mark.parametrize("which", V2_DOCUMENTS)
def test_every_single_change_to_a_v2_record_or_pool_file_is_refused_or_fails(
    year: SimulatedYear, tmp_path: Path, which: str
) -> None:
    document, cls, kind, check = _v2_parts(year, which)
    counts = _tally(document, lambda path: load_json(path, kind, cls), _consistent(check), tmp_path)
    print(which, counts)
    changes = counts["mutations"] - counts["no content change"]
    assert changes > 20
    assert counts["refused"] + counts["verify fails"] == changes


@pytest.mark.parametrize("which", V2_DOCUMENTS)
def test_re_formatting_a_v2_record_or_pool_file_keeps_it_verifying(
    year: SimulatedYear, tmp_path: Path, which: str
) -> None:
    document, cls, kind, check = _v2_parts(year, which)
    original = cls.from_document(document)
    for name, data in _reformatted(document).items():
        file = tmp_path / "record.json"
        file.write_bytes(data)
        value = load_json(file, kind, cls)
        assert value == original, name
        assert check(value).consistent, name


@pytest.mark.parametrize(
    ("which", "cls", "kind"),
    [("draw", DrawRecord, "draw-record"), ("dispatch", DispatchRecord, "dispatch-record")],
)
def test_every_single_content_change_is_refused_or_fails_verification(
    year: SimulatedYear, tmp_path: Path, which: str, cls: type[Any], kind: str
) -> None:
    document, verify = (_draw_parts if which == "draw" else _dispatch_parts)(year)
    counts = _tally(document, lambda path: load_json(path, kind, cls), verify, tmp_path)
    print(which, counts)
    changes = counts["mutations"] - counts["no content change"]
    assert changes > 100
    assert counts["refused"] + counts["verify fails"] == changes


@pytest.mark.parametrize(
    ("which", "cls", "kind"),
    [("draw", DrawRecord, "draw-record"), ("dispatch", DispatchRecord, "dispatch-record")],
)
def test_re_formatting_a_record_file_keeps_it_verifying(
    year: SimulatedYear, tmp_path: Path, which: str, cls: type[Any], kind: str
) -> None:
    document, verify = (_draw_parts if which == "draw" else _dispatch_parts)(year)
    original = cls.from_document(document)
    for name, data in _reformatted(document).items():
        file = tmp_path / "record.json"
        file.write_bytes(data)
        record = load_json(file, kind, cls)
        assert record == original, name
        assert verify(record).ok, name
