"""A dispatch the public can re-run: pool commitment, dispatch from it, verification from
published files only (R-RANDOM, R-PUBLIC)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import attrs
import pytest

import randcheck.cli
from randcheck.canonical import canonical_json, digest, unstructure
from randcheck.cli import _draw, main
from randcheck.demo.simulation import SimulatedYear, simulate
from randcheck.dispatch import (
    DOCUMENT_KIND,
    POOL_DISPATCH_VERSION,
    POOL_KIND,
    DispatchRecord,
    PoolCommitment,
    RecusalPair,
    commit_pool,
    dispatch,
    dispatch_from_pool,
    verify_from_pool,
)
from randcheck.domain import Conflict, ConflictGround
from randcheck.errors import ValidationError
from randcheck.io import save_enterprises_csv, save_json
from randcheck.privacy import find_unmasked_personal_data
from randcheck.profiles import TIANJIN_HRSS
from randcheck.sampling import RECORD_KIND

CST = timezone(timedelta(hours=8))


@pytest.fixture(scope="module")
def year() -> SimulatedYear:
    return simulate(seed="public-dispatch", enterprises=800, inspectors=200)


def _setup(year: SimulatedYear, key: str) -> tuple[Any, PoolCommitment, DispatchRecord]:
    step = year.step(key)
    drawn = step.record.selected_ids()
    # Conflicts declared for a few drawn enterprises, so that the pool has recusal pairs.
    staff = [i for i in year.directory.inspectors if step.plan.line in i.lines]
    declared = [
        Conflict(inspector=staff[n].key, enterprise=drawn[n % len(drawn)], ground=ground)
        for n, ground in enumerate([ConflictGround.RELATIVE, ConflictGround.SHAREHOLDING] * 3)
    ]
    conflicts = [*year.directory.conflicts, *declared]
    on = step.dispatch.inspection_date
    pool = commit_pool(
        step.record,
        year.directory.inspectors,
        conflicts,
        step.plan,
        on=on,
        published=datetime(on.year, on.month, on.day, 9, tzinfo=CST) - timedelta(days=3),
    )
    record = dispatch_from_pool(
        step.record,
        step.population,
        pool,
        step.plan,
        TIANJIN_HRSS,
        seed=f"{key} dispatch seed",
        seed_source="福彩3D",
        seed_fixed=datetime(on.year, on.month, on.day, 9, tzinfo=CST) - timedelta(days=1),
    )
    return step, pool, record


def _published(
    pool: PoolCommitment, record: DispatchRecord
) -> tuple[PoolCommitment, DispatchRecord]:
    # What the public holds: the two files, read back.
    return (
        PoolCommitment.from_document(json.loads(canonical_json(pool.to_document()))),
        DispatchRecord.from_document(json.loads(canonical_json(record.to_document()))),
    )


@pytest.mark.parametrize("key", ["labour-1", "joint", "social", "labour-2"])
def test_every_demo_dispatch_reruns_from_published_files_only(
    year: SimulatedYear, key: str
) -> None:
    step, pool, record = _setup(year, key)
    assert record.algorithm == POOL_DISPATCH_VERSION
    assert pool.recusals
    assert record.recusals
    assert all(r.grounds == () for r in record.recusals)
    members = {m for team in record.teams for m in team.members}
    assert members <= {i.certificate for i in pool.inspectors}
    text = canonical_json(pool.to_document()) + canonical_json(record.to_document())
    assert find_unmasked_personal_data(text) == []
    for inspector in year.directory.inspectors:
        assert inspector.phone not in text
        if inspector.resident_id is not None:
            assert inspector.resident_id not in text
    public_pool, public_record = _published(pool, record)
    result = verify_from_pool(
        public_record,
        step.record,
        step.population,
        public_pool,
        step.plan,
        TIANJIN_HRSS,
        published_digest=record.digest(),
    )
    assert result.ok, result.differences
    assert result.digest == record.digest()


def test_the_pool_dispatch_is_bound_to_the_pool_and_the_draw(year: SimulatedYear) -> None:
    step, pool, record = _setup(year, "social")
    internal = dispatch(
        step.record,
        step.population,
        pool.round_inspectors(),
        pool.round_conflicts(),
        step.plan,
        TIANJIN_HRSS,
        seed=record.seed,
        on=pool.inspection_date,
    )
    assert [t.members for t in internal.teams] != [t.members for t in record.teams]
    assert record.inspectors_digest == record.conflicts_digest == pool.digest()
    assert record.draw_digest == step.record.digest()
    other = attrs.evolve(pool, draw_digest="sha256:" + "0" * 64)
    with pytest.raises(ValidationError):
        dispatch_from_pool(
            step.record, step.population, other, step.plan, TIANJIN_HRSS, seed=record.seed
        )


def _changes(pool: PoolCommitment, record: DispatchRecord) -> list[tuple[str, Any, Any]]:
    team = record.teams[0]
    # An inspector on no team and not already recused from the first team's enterprise, so
    # that a pair added for them is a change.
    spare = next(
        i.certificate
        for i in pool.inspectors
        if all(i.certificate not in t.members for t in record.teams)
        and RecusalPair(certificate=i.certificate, enterprise=team.enterprise) not in pool.recusals
    )
    first = pool.inspectors[0]
    pair = pool.recusals[0]
    return [
        (
            "team member",
            pool,
            attrs.evolve(
                record,
                teams=(attrs.evolve(team, members=(spare, *team.members[1:])), *record.teams[1:]),
            ),
        ),
        (
            "member order",
            pool,
            attrs.evolve(
                record, teams=(attrs.evolve(team, members=team.members[::-1]), *record.teams[1:])
            ),
        ),
        (
            "pool entry district",
            attrs.evolve(
                pool, inspectors=(attrs.evolve(first, district="其他区"), *pool.inspectors[1:])
            ),
            record,
        ),
        (
            "pool entry validity",
            attrs.evolve(
                pool,
                inspectors=(
                    attrs.evolve(first, valid_until=pool.inspection_date - timedelta(days=1)),
                    *pool.inspectors[1:],
                ),
            ),
            record,
        ),
        ("pool entry removed", attrs.evolve(pool, inspectors=pool.inspectors[1:]), record),
        ("recusal pair removed", attrs.evolve(pool, recusals=pool.recusals[1:]), record),
        (
            "recusal pair added",
            attrs.evolve(
                pool,
                recusals=(
                    *pool.recusals,
                    RecusalPair(certificate=spare, enterprise=team.enterprise),
                ),
            ),
            record,
        ),
        (
            "recusal pair changed",
            attrs.evolve(
                pool, recusals=(attrs.evolve(pair, certificate=spare), *pool.recusals[1:])
            ),
            record,
        ),
        ("recorded recusal removed", pool, attrs.evolve(record, recusals=record.recusals[1:])),
        ("seed", pool, attrs.evolve(record, seed=record.seed + "x")),
    ]


def test_any_change_to_a_team_the_pool_or_a_recusal_pair_fails(year: SimulatedYear) -> None:
    step, pool, record = _setup(year, "social")
    for name, changed_pool, changed_record in _changes(pool, record):
        result = verify_from_pool(
            changed_record, step.record, step.population, changed_pool, step.plan, TIANJIN_HRSS
        )
        assert not result.ok, name


def test_the_dispatch_seed_must_be_fixed_after_the_pool_is_published(year: SimulatedYear) -> None:
    step, pool, record = _setup(year, "labour-1")
    assert pool.published is not None
    assert record.seed_fixed is not None
    assert record.seed_fixed > pool.published
    with pytest.raises(ValidationError) as info:
        dispatch_from_pool(
            step.record,
            step.population,
            pool,
            step.plan,
            TIANJIN_HRSS,
            seed=record.seed,
            seed_fixed=pool.published,
        )
    assert info.value.field == "seed_fixed"
    early = attrs.evolve(record, seed_fixed=pool.published)
    assert not verify_from_pool(
        early, step.record, step.population, pool, step.plan, TIANJIN_HRSS
    ).ok
    # A later time is stated, not computed: the published digest pins it.
    later = attrs.evolve(record, seed_fixed=pool.published + timedelta(days=30))
    result = verify_from_pool(
        later,
        step.record,
        step.population,
        pool,
        step.plan,
        TIANJIN_HRSS,
        published_digest=record.digest(),
    )
    assert result.paths() == ("digest",)


def test_a_record_without_a_seed_time_keeps_its_bytes() -> None:
    data = unstructure(
        DispatchRecord.from_document(
            {"schema": 1, "kind": "dispatch-record", "data": _minimal_data()}
        )
    )
    assert "seed_fixed" not in data
    assert digest(data) == digest(_minimal_data())


def _minimal_data() -> dict[str, Any]:
    return {
        "algorithm": "randcheck-dispatch-v1",
        "conflicts_digest": "sha256:c",
        "cross_district": {"maximum": "1/2", "minimum": "0/1"},
        "distinct_sections": False,
        "draw_digest": "sha256:d",
        "inspection_date": "2027-04-01",
        "inspectors_digest": "sha256:i",
        "line": "labour-inspection",
        "load_cap": 1,
        "load_cap_source": "plan",
        "plan_code": "P",
        "recusals": [],
        "replacements": [],
        "seed": "s",
        "seed_source": "",
        "team_size": 2,
        "teams": [],
    }


def test_randcheck_verify_reruns_a_pool_dispatch_from_published_files(
    year: SimulatedYear,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if _draw not in randcheck.cli._MODULES:
        monkeypatch.setattr(randcheck.cli, "_MODULES", (*randcheck.cli._MODULES, _draw))
    step, pool, record = _setup(year, "social")
    save_json(tmp_path / "draw.json", RECORD_KIND, step.record)
    save_enterprises_csv(tmp_path / "enterprises.csv", step.population)
    save_json(tmp_path / "plan.json", _draw.PLAN_KIND, step.plan)
    save_json(tmp_path / "pool.json", POOL_KIND, pool)
    save_json(tmp_path / "dispatch.json", DOCUMENT_KIND, record)
    command = [
        "verify",
        str(tmp_path / "dispatch.json"),
        "--draw",
        str(tmp_path / "draw.json"),
        "--enterprises",
        str(tmp_path / "enterprises.csv"),
        "--plan",
        str(tmp_path / "plan.json"),
        "--pool",
        str(tmp_path / "pool.json"),
        "--record-digest",
        record.digest(),
    ]
    assert main(command) == 0
    assert record.digest() in capsys.readouterr().out
    team = record.teams[0]
    swapped = attrs.evolve(team, members=team.members[::-1])
    forged = attrs.evolve(record, teams=(swapped, *record.teams[1:]))
    save_json(tmp_path / "dispatch.json", DOCUMENT_KIND, forged)
    assert main(command[:-2]) == 1
    assert f"teams[{team.enterprise}]" in capsys.readouterr().err
