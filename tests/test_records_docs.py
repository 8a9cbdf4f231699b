"""docs/records.md states the exact shape of every document: its tables are checked against
real records, so that the documentation cannot drift from what randcheck writes; and a test
vector's description states what its frame holds."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from randcheck.canonical import canonical_json
from randcheck.demo.simulation import SimulatedYear, simulate
from randcheck.dispatch import (
    RecusalPair,
    commit_pool,
    dispatch,
    dispatch_from_pool,
    replace_from_pool,
    replace_member,
    salt_pool,
)
from randcheck.domain import Conflict, ConflictGround
from randcheck.profiles import TIANJIN_HRSS
from randcheck.sampling import random_checks_in_year

ROOT = Path(__file__).resolve().parent.parent
RECORDS = ROOT / "docs" / "records.md"
VECTORS = sorted((ROOT / "docs" / "test-vectors").rglob("*.json"))

_HEADING = re.compile(r"^#### `([a-z-]+)` — `([^`]+)`$")
_ROW = re.compile(r"^\| `([a-z_]+)` \| ([^|]+) \|")

_STRING_FORMS = {"string", "digest", "date", "timestamp", "fraction", "USCC", "hex"}
_PATTERNS = {
    "digest": re.compile(r"sha256:[0-9a-f]{64}"),
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "timestamp": re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}"),
    "fraction": re.compile(r"-?\d+/[1-9]\d*"),
    "USCC": re.compile(r"[0-9A-Z]{18}"),
    "hex": re.compile(r"[0-9a-f]+"),
}


def _tables() -> dict[tuple[str, str], list[tuple[str, str]]]:
    tables: dict[tuple[str, str], list[tuple[str, str]]] = {}
    current: tuple[str, str] | None = None
    for line in RECORDS.read_text(encoding="utf-8").splitlines():
        heading = _HEADING.match(line)
        if heading:
            current = (heading.group(1), heading.group(2))
            tables[current] = []
            continue
        if line.startswith("#"):
            current = None
        row = _ROW.match(line)
        if current is not None and row:
            tables[current].append((row.group(1), row.group(2).strip()))
    return tables


def _demo_documents(year: SimulatedYear) -> dict[str, list[Any]]:
    """Real documents of every kind, between them using every optional key."""
    step = year.step("social")
    drawn = step.record.selected_ids()
    staff = [i for i in year.directory.inspectors if step.plan.line in i.lines]
    declared = [
        Conflict(inspector=staff[5 * n].key, enterprise=drawn[n], ground=ConflictGround.RELATIVE)
        for n in range(4)
    ]
    conflicts = [*year.directory.conflicts, *declared]
    pool = commit_pool(
        step.record,
        year.directory.inspectors,
        conflicts,
        step.plan,
        on=step.pool.inspection_date,
        published=step.pool.published,
    )
    record = dispatch_from_pool(
        step.record,
        step.population,
        pool,
        step.plan,
        TIANJIN_HRSS,
        seed="docs",
        seed_fixed=step.dispatch.seed_fixed,
    )
    first = record.teams[0]
    late = [
        RecusalPair(certificate=i.certificate, enterprise=first.enterprise)
        for i in pool.inspectors[-2:]
        if i.certificate not in first.members
    ]
    record = replace_from_pool(
        record,
        pool,
        first.members[-1],
        "回避",
        on=date(2027, 7, 1),
        declared=late,
        enterprise=first.enterprise,
    )
    salted, salt = salt_pool(pool, "ab" * 32)
    v1 = dispatch(
        step.record,
        step.population,
        year.directory.inspectors,
        conflicts,
        step.plan,
        TIANJIN_HRSS,
        seed="docs",
        on=step.pool.inspection_date,
    )
    with_recusal = next(r for r in v1.recusals if r.grounds)
    team = v1.team_of(with_recusal.enterprise) or v1.teams[0]
    district_of = {i.key: i.district for i in year.directory.inspectors}
    # An outside member leaves: the outside pool is the larger one.
    leaving = next((m for m in team.members if district_of[m] != team.district), team.members[-1])
    v1 = replace_member(
        v1,
        leaving,
        "病假",
        on=date(2027, 7, 1),
        inspectors=year.directory.inspectors,
        conflicts=conflicts,
        declared=[
            Conflict(
                inspector=team.members[-1],
                enterprise=team.enterprise,
                ground=ConflictGround.RELATIVE,
                note="新申报",
            )
        ],
        enterprise=team.enterprise,
    )
    return {
        "draw-commitment": [step.commitment.to_document(), step.record.commitment.to_document()],
        "draw-record": [s.record.to_document() for s in year.steps],
        "dispatch-pool": [pool.to_document(), salted.to_document()],
        "dispatch-pool-salt": [salt.to_document()],
        "dispatch-record": [record.to_document(), v1.to_document()],
    }


@pytest.fixture(scope="module")
def year() -> SimulatedYear:
    return simulate(seed="records-docs", enterprises=800, inspectors=200)


@pytest.fixture(scope="module")
def documents(year: SimulatedYear) -> dict[str, list[Any]]:
    # Read back from canonical text, so that key order is the order written.
    return {
        kind: [json.loads(canonical_json(document)) for document in found]
        for kind, found in _demo_documents(year).items()
    }


def _at(value: Any, path: str) -> Iterator[Any]:
    steps = path.split(".")
    nodes = [value]
    for step in steps:
        many = step.endswith("[]")
        key = step[:-2] if many else step
        nodes = [node[key] for node in nodes if isinstance(node, dict) and key in node]
        if many:
            nodes = [item for node in nodes for item in node]
    yield from nodes


def _type_ok(value: Any, described: str) -> bool:
    words = set(re.findall(r"[A-Za-z]+", described))
    if value is None:
        return "null" in words
    if isinstance(value, bool):
        return "boolean" in words
    if isinstance(value, int):
        return "integer" in words
    if isinstance(value, list):
        return "array" in words
    if isinstance(value, dict):
        return "object" in words
    if isinstance(value, str):
        forms = words & _STRING_FORMS
        return bool(forms) and any(
            form == "string" or _PATTERNS[form].fullmatch(value) for form in forms
        )
    return False


def test_every_documented_kind_has_its_tables() -> None:
    tables = _tables()
    kinds = {kind for kind, _ in tables}
    assert {
        "draw-commitment",
        "draw-record",
        "dispatch-pool",
        "dispatch-pool-salt",
        "dispatch-record",
    } <= kinds
    assert all(rows for rows in tables.values())


@pytest.mark.parametrize(("kind", "path"), sorted(_tables()), ids=lambda v: str(v))
def test_a_documented_field_list_is_what_records_hold(
    documents: dict[str, list[Any]], kind: str, path: str
) -> None:
    rows = _tables()[(kind, path)]
    names = [name for name, _ in rows]
    assert names == sorted(names), "documented in the order written (code point order)"
    optional = {name for name, described in rows if "optional" in described}
    objects = [obj for document in documents[kind] for obj in _at(document, path)]
    assert objects, f"no {kind} {path} among the sample records"
    assert all(document["schema"] == 1 and document["kind"] == kind for document in documents[kind])
    assert all(list(document) == ["data", "kind", "schema"] for document in documents[kind])
    seen_optional: set[str] = set()
    for obj in objects:
        assert isinstance(obj, dict)
        assert list(obj) == [name for name in names if name in obj]
        assert set(obj) <= set(names), set(obj) - set(names)
        assert set(names) - set(obj) <= optional, set(names) - set(obj)
        seen_optional |= optional & set(obj)
        for name, described in rows:
            if name in obj:
                assert _type_ok(obj[name], described), (name, obj[name], described)
    assert seen_optional == optional


def test_random_check_counts_are_the_random_checks_started_before_the_window(
    year: SimulatedYear,
) -> None:
    counted = 0
    for step in year.steps:
        if not step.history:
            continue
        before = [
            x
            for x in year.ledger.inspections
            if x.kind.value == "random" and x.started < step.window.start
        ]
        assert random_checks_in_year(before, year.directory.year) == step.history
        document = json.loads(canonical_json({"data": step.history}))["data"]
        assert list(document) == sorted(document)
        assert all(isinstance(n, int) and n >= 1 for n in document.values())
        counted += 1
    assert counted >= 2


_CERTAINTY = re.compile(r"a certainty unit of weight (\d+(?:/\d+)?) in (\S+?),")


@pytest.mark.parametrize("path", VECTORS, ids=lambda p: str(p.relative_to(ROOT / "docs")))
def test_a_vector_description_states_what_its_frame_holds(path: Path) -> None:
    vector = json.loads(path.read_text(encoding="utf-8"))
    stated = _CERTAINTY.search(vector["description"])
    if stated is None:
        assert "certainty unit" not in vector["description"]
        return
    weight, stratum = Fraction(stated.group(1)), stated.group(2)
    classes = next(s["classes"] for s in vector["frame"]["data"]["strata"] if s["name"] == stratum)
    units = {u for c in classes if Fraction(c["weight"]) == weight for u in c["units"]}
    assert units, f"no unit of weight {weight} in {stratum}"
    certain = {
        s["uscc"]
        for s in vector["expected"]["selected"]
        if s["certainty"] and s["stratum"] == stratum
    }
    assert units & certain
