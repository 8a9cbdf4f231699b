"""Pinned records: every field of a draw or dispatch record is covered by the digest ``verify``
checks, and only re-formatting of a record's file leaves it verifying.

Each demo record is tampered with one change at a time — every leaf changed, every list element
removed, duplicated or swapped with its neighbour, every key removed, a key added — and each
tampered file is read the way ``randcheck verify`` reads it and verified against the digest
published with the record. Every content change must either be refused on reading or verify
with a difference; every pure re-formatting must read back to the same record and verify.

Measured (printed with ``-s``): the labour round-1 draw record, 1,691 single changes, all content
changes — 920 refused on reading, 771 failing verification (1 of them only through the pinned
digest); the social-insurance dispatch record with two replacements, 529 changes — 232 refused,
297 failing verification (50 only through the pinned digest: the seed's source, reasons, dates,
scopes, declared conflicts). Six re-formattings of each (key order, white space, BOM, CRLF,
``\\u`` escapes, final newline) all verify.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from randcheck.canonical import canonical_json
from randcheck.demo.simulation import SimulatedYear, simulate
from randcheck.dispatch import DispatchRecord, replace_member
from randcheck.dispatch import verify as verify_dispatch
from randcheck.domain import Conflict, ConflictGround
from randcheck.errors import InputFileError
from randcheck.io import load_json
from randcheck.profiles import TIANJIN_HRSS
from randcheck.sampling import DrawRecord
from randcheck.sampling import verify as verify_draw
from randcheck.verification import Verification

Mutation = tuple[str, Any]


@pytest.fixture(scope="module")
def year() -> SimulatedYear:
    return simulate(seed="pinned", enterprises=600, inspectors=200)


def _with_replacements(year: SimulatedYear) -> DispatchRecord:
    step = year.step("social")
    record = step.dispatch
    staff, rows = year.directory.inspectors, year.directory.conflicts
    first, second = record.teams[0], record.teams[1]
    # Conflicts declared late by inspectors of the line, so that the substitute draw recuses.
    others = [i.key for i in staff if i.key not in first.members and record.line in i.lines]
    declared = [
        Conflict(
            inspector=key,
            enterprise=first.enterprise,
            ground=ConflictGround.OTHER if n == 0 else ConflictGround.RELATIVE,
            note="declared after the dispatch",
        )
        for n, key in enumerate(others[:6])
    ]
    record = replace_member(
        record,
        first.members[0],
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


def test_the_tampered_dispatch_record_has_recusals_and_replacements(year: SimulatedYear) -> None:
    record = _with_replacements(year)
    assert len(record.replacements) >= 2
    assert any(r.declared for r in record.replacements)
    assert any(r.recusals for r in record.replacements)


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
