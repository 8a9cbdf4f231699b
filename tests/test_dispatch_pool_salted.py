"""Confidential recusal pairs and replacements in a dispatch from a pool commitment: the public
check names exactly the teams it cannot re-derive, the oversight office's check with the salt
re-derives them all, and a forged replacement is found from published files (R-RANDOM,
R-RECUSAL, R-PUBLIC)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import attrs
import pytest

import randcheck.cli
from _pool_scenario import ENTS, PLAN, STAFF, drawn_with_conflicts
from randcheck.canonical import canonical_json
from randcheck.cli import EXIT_PARTLY_VERIFIED, _draw, main
from randcheck.demo.simulation import SimulatedYear, simulate
from randcheck.dispatch import (
    DOCUMENT_KIND,
    POOL_KIND,
    SALT_KIND,
    DispatchRecord,
    PoolCommitment,
    PoolSalt,
    RecusalPair,
    commit_pool,
    dispatch_from_pool,
    replace_from_pool,
    salt_pool,
    verify_from_pool,
)
from randcheck.dispatch.pool import pair_commitment, pair_salt, team_secret
from randcheck.domain import Conflict, ConflictGround
from randcheck.errors import InfeasibleDispatch, ValidationError
from randcheck.hashing import encode_fields
from randcheck.io import save_enterprises_csv, save_json
from randcheck.profiles import TIANJIN_HRSS
from randcheck.publication import Settings, dispatch_announcement
from randcheck.sampling import RECORD_KIND

CST = timezone(timedelta(hours=8))
MASTER = "5a" * 32


@pytest.fixture(scope="module")
def year() -> SimulatedYear:
    return simulate(seed="salted-dispatch", enterprises=800, inspectors=200)


def _pool(year: SimulatedYear, key: str) -> tuple[Any, PoolCommitment]:
    step = year.step(key)
    drawn = step.record.selected_ids()
    staff = [i for i in year.directory.inspectors if step.plan.line in i.lines]
    declared = [
        Conflict(inspector=staff[3 * n].key, enterprise=drawn[n % len(drawn)], ground=ground)
        for n, ground in enumerate([ConflictGround.RELATIVE, ConflictGround.SHAREHOLDING] * 4)
    ]
    on = step.dispatch.inspection_date
    pool = commit_pool(
        step.record,
        year.directory.inspectors,
        [*year.directory.conflicts, *declared],
        step.plan,
        on=on,
        published=datetime(on.year, on.month, on.day, 9, tzinfo=CST) - timedelta(days=3),
    )
    return step, pool


def _salted(year: SimulatedYear, key: str) -> tuple[Any, PoolCommitment, PoolSalt, DispatchRecord]:
    step, public = _pool(year, key)
    pool, salt = salt_pool(public, MASTER)
    record = dispatch_from_pool(
        step.record, step.population, pool, step.plan, TIANJIN_HRSS, seed=f"{key} s", salt=salt
    )
    return step, pool, salt, record


def _verify(step: Any, pool: PoolCommitment, record: DispatchRecord, **kw: Any) -> Any:
    return verify_from_pool(
        record, step.record, step.population, pool, step.plan, TIANJIN_HRSS, **kw
    )


def test_a_salted_pool_hides_every_inspector_of_a_pair_and_keeps_the_enterprises(
    year: SimulatedYear,
) -> None:
    _step, public = _pool(year, "social")
    pool, salt = salt_pool(public, MASTER)
    assert pool.recusals == ()
    assert len(pool.salted) == len(public.recusals) > 0
    assert salt.pairs == public.recusals
    assert {p.enterprise for p in pool.salted} == {p.enterprise for p in public.recusals}
    text = canonical_json(pool.to_document())
    assert '"recusals":[]' in text
    assert len({p.commitment for p in pool.salted}) == len(pool.salted)
    assert salt.pool_digest == pool.digest()
    assert salt.problem(pool) is None
    # A public pool keeps its document: no "salted" key.
    assert "salted" not in public.to_document()["data"]


def test_pair_commitments_follow_the_documented_bytes() -> None:
    pair = RecusalPair(certificate="TJ-LS-120101-0001", enterprise="911201010000000019")
    key = bytes.fromhex(MASTER)
    message = (
        b"\x00\x00\x00\x19randcheck-recusal-salt-v1"
        + b"\x00\x00\x00\x11TJ-LS-120101-0001"
        + b"\x00\x00\x00\x12911201010000000019"
    )
    assert encode_fields(["randcheck-recusal-salt-v1", pair.certificate, pair.enterprise]) == (
        message
    )
    salt = hmac.new(key, message, hashlib.sha256).hexdigest()
    assert pair_salt(MASTER, pair) == salt
    body = encode_fields(["randcheck-recusal-pair-v1", salt, pair.certificate, pair.enterprise])
    assert pair_commitment(salt, pair) == "sha256:" + hashlib.sha256(body).hexdigest()
    other = RecusalPair(certificate="TJ-LS-120101-0002", enterprise=pair.enterprise)
    # One pair's salt opens that pair only: another pair's salt is unrelated to it.
    assert pair_salt(MASTER, other) != salt
    assert team_secret(MASTER, pair.enterprise) == (
        hmac.new(
            key,
            encode_fields(["randcheck-dispatch-secret-v1", pair.enterprise]),
            hashlib.sha256,
        ).hexdigest()
    )


@pytest.mark.parametrize("key", ["labour-1", "social"])
def test_the_public_check_names_exactly_the_hidden_teams_and_the_salt_verifies_them(
    year: SimulatedYear, key: str
) -> None:
    step, pool, salt, record = _salted(year, key)
    hidden = sorted(pool.hidden() & set(step.record.selected_ids()))
    assert hidden
    assert record.recusals == ()
    public = _verify(step, pool, record, published_digest=record.digest())
    assert public.differences == ()
    assert not public.ok
    assert public.consistent
    assert public.unverified == tuple(f"teams[{code}]" for code in hidden)
    oversight = _verify(step, pool, record, salt=salt, published_digest=record.digest())
    assert oversight.ok, oversight.differences


def test_a_dispatch_from_a_salted_pool_needs_its_salt(year: SimulatedYear) -> None:
    step, pool, salt, record = _salted(year, "labour-1")
    with pytest.raises(ValidationError) as info:
        dispatch_from_pool(
            step.record, step.population, pool, step.plan, TIANJIN_HRSS, seed=record.seed
        )
    assert info.value.field == "salt"
    wrong = attrs.evolve(salt, master="00" * 32)
    with pytest.raises(ValidationError):
        dispatch_from_pool(
            step.record, step.population, pool, step.plan, TIANJIN_HRSS, seed="x", salt=wrong
        )
    result = _verify(step, pool, record, salt=wrong)
    assert result.paths() == ("salt",)


def _with_team(record: DispatchRecord, code: str, members: tuple[str, ...]) -> DispatchRecord:
    teams = tuple(
        attrs.evolve(t, members=members) if t.enterprise == code else t for t in record.teams
    )
    return attrs.evolve(record, teams=teams)


def test_a_forged_team_fails_the_salted_check_and_the_public_one_where_it_can_tell(
    year: SimulatedYear,
) -> None:
    step, pool, salt, record = _salted(year, "social")
    hidden = pool.hidden()
    spare = next(
        i.certificate
        for i in pool.inspectors
        if all(i.certificate not in t.members for t in record.teams)
    )
    open_team = next(t for t in record.teams if t.enterprise not in hidden)
    forged = _with_team(record, open_team.enterprise, (spare, *open_team.members[1:]))
    # Another lawful team for an enterprise without a hidden pair could have come from the
    # repair step moving inspectors on account of a hidden team: the public check names it as
    # not re-derived (never as verified), the salt tells.
    public = _verify(step, pool, forged)
    assert not public.ok
    assert f"teams[{open_team.enterprise}]" in public.unverified
    assert _verify(step, pool, forged, salt=salt).differences
    # Members outside the pool, or a team an enterprise without a hidden pair cannot have,
    # are differences either way.
    outsider = _with_team(record, open_team.enterprise, ("TJ-NOT-IN-POOL", *open_team.members[1:]))
    assert _verify(step, pool, outsider).differences
    hidden_team = next(t for t in record.teams if t.enterprise in hidden)
    # Another lawful member, or another drawing order, of a hidden team rests on the secret
    # draws: the public check cannot tell (it names the team as not re-derived), the salt can.
    for members in ((spare, *hidden_team.members[1:]), hidden_team.members[::-1]):
        forged = _with_team(record, hidden_team.enterprise, members)
        public = _verify(step, pool, forged)
        assert f"teams[{hidden_team.enterprise}]" in public.unverified
        assert not public.ok
        assert _verify(step, pool, forged, salt=salt).differences
    # A member outside the pool, or twice in one team, the public check finds.
    for members in (
        ("TJ-NOT-IN-POOL", *hidden_team.members[1:]),
        (hidden_team.members[0],) * len(hidden_team.members),
    ):
        assert _verify(step, pool, _with_team(record, hidden_team.enterprise, members)).differences


def test_a_changed_or_dropped_salted_pair_fails(year: SimulatedYear) -> None:
    step, pool, salt, record = _salted(year, "social")
    first = pool.salted[0]
    for changed in (
        attrs.evolve(pool, salted=pool.salted[1:]),
        attrs.evolve(pool, salted=(attrs.evolve(first, commitment="sha256:" + "1" * 64),)),
        attrs.evolve(pool, salted=(*pool.salted, attrs.evolve(first, commitment="sha256:2"))),
    ):
        assert _verify(step, changed, record).differences
        assert _verify(step, changed, record, salt=salt).differences


# --- replacements re-derived from published files ---------------------------------------------


def _replaced(
    year: SimulatedYear, salted: bool
) -> tuple[Any, PoolCommitment, PoolSalt | None, DispatchRecord]:
    step, public = _pool(year, "social")
    pool, salt = salt_pool(public, MASTER) if salted else (public, None)
    record = dispatch_from_pool(
        step.record, step.population, pool, step.plan, TIANJIN_HRSS, seed="r", salt=salt
    )
    hidden = pool.hidden()
    first = next(t for t in record.teams if t.enterprise not in hidden)
    leaving = first.members[-1]
    others = [i.certificate for i in pool.inspectors if i.certificate not in first.members]
    declared = [RecusalPair(certificate=c, enterprise=first.enterprise) for c in others[-3:]]
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
    # Someone leaves the whole round: the first inspector on two teams, one of them hidden
    # when the pool is salted, whom others can replace.
    for key in sorted({m for t in record.current_teams() for m in t.members}):
        teams = [t.enterprise for t in record.current_teams() if key in t.members]
        if len(teams) < 2 or (salted and not set(teams) & hidden):
            continue
        try:
            return (
                step,
                pool,
                salt,
                replace_from_pool(record, pool, key, "leave", on=date(2027, 7, 2), salt=salt),
            )
        except InfeasibleDispatch:
            continue
    raise AssertionError("no inspector on two teams can be replaced")


def test_replacements_are_re_derived_from_the_pool_and_the_declared_pairs(
    year: SimulatedYear,
) -> None:
    step, pool, _, record = _replaced(year, salted=False)
    assert len(record.replacements) >= 2
    assert record.replacements[0].declared
    assert all(
        r.ground is ConflictGround.OTHER and r.note == "recusal pair declared since the dispatch"
        for r in record.replacements[0].declared
    )
    assert _verify(step, pool, record, published_digest=record.digest()).ok
    entry = record.replacements[0]
    spare = next(
        i.certificate
        for i in pool.inspectors
        if i.certificate not in (entry.incoming, entry.outgoing)
        and all(i.certificate not in t.members for t in record.current_teams())
    )
    for name, forged in [
        ("incoming", attrs.evolve(entry, incoming=spare)),
        ("declared dropped", attrs.evolve(entry, declared=entry.declared[1:])),
        ("recusals dropped", attrs.evolve(entry, recusals=())),
    ]:
        changed = attrs.evolve(record, replacements=(forged, *record.replacements[1:]))
        assert changed != record
        assert not _verify(step, pool, changed).consistent, name
    # What a replacement states rather than computes is pinned by the published digest.
    for name, forged in [
        ("reason", attrs.evolve(entry, reason="other")),
        ("date", attrs.evolve(entry, on=entry.on + timedelta(days=1))),
    ]:
        changed = attrs.evolve(record, replacements=(forged, *record.replacements[1:]))
        assert _verify(step, pool, changed, published_digest=record.digest()).paths() == (
            "digest",
        ), name
    # The scope is both: widened to the round it may also change whom the re-derivation takes
    # out (when the outgoing inspector serves on other teams), and the digest pins it anyway.
    assert entry.scope != record.replacements[1].scope
    changed = attrs.evolve(
        record,
        replacements=(
            attrs.evolve(entry, scope=record.replacements[1].scope),
            *record.replacements[1:],
        ),
    )
    paths = _verify(step, pool, changed, published_digest=record.digest()).paths()
    assert "digest" in paths
    assert set(paths) <= {"digest", "replacements[0]"}
    truncated = attrs.evolve(record, replacements=record.replacements[:-1])
    assert len(record.replacements) > 2
    assert not _verify(step, pool, truncated).consistent


def test_a_replacement_in_a_hidden_team_is_named_and_checked_with_the_salt(
    year: SimulatedYear,
) -> None:
    step, pool, salt, record = _replaced(year, salted=True)
    assert salt is not None
    public = _verify(step, pool, record)
    assert public.consistent, public.differences
    hidden_entries = [
        f"replacements[{n}]"
        for n, r in enumerate(record.replacements)
        if r.enterprise in pool.hidden()
    ]
    assert set(hidden_entries) <= set(public.unverified)
    assert _verify(step, pool, record, salt=salt).ok


def test_randcheck_verify_exits_3_without_the_salt_and_0_with_it(
    year: SimulatedYear,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if _draw not in randcheck.cli._MODULES:
        monkeypatch.setattr(randcheck.cli, "_MODULES", (*randcheck.cli._MODULES, _draw))
    step, pool, salt, record = _salted(year, "social")
    save_json(tmp_path / "draw.json", RECORD_KIND, step.record)
    save_enterprises_csv(tmp_path / "enterprises.csv", step.population)
    save_json(tmp_path / "plan.json", _draw.PLAN_KIND, step.plan)
    save_json(tmp_path / "pool.json", POOL_KIND, pool)
    save_json(tmp_path / "salt.json", SALT_KIND, salt)
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
    assert main(command) == EXIT_PARTLY_VERIFIED == 3
    captured = capsys.readouterr()
    assert "partly verified" in captured.out
    hidden = sorted(pool.hidden() & set(step.record.selected_ids()))
    assert [line for line in captured.err.splitlines() if "not re-derived" in line] == [
        f"  - 无法重新推导 / not re-derived: teams[{code}]" for code in hidden
    ]
    assert main([*command, "--salt", str(tmp_path / "salt.json")]) == 0
    assert f"ok: {tmp_path / 'dispatch.json'}" in capsys.readouterr().out


def test_the_public_check_does_not_blame_a_lawful_dispatch_that_needed_the_repair_step() -> None:
    # With these master salts, a hidden team's secret greedy draw leaves another enterprise's
    # seat empty, and the repair step moves inspectors between teams: the public re-run, which
    # takes the hidden teams as recorded, then draws some other teams differently.
    plan, directory, staff = PLAN, ENTS, STAFF
    drawn, conflicts = drawn_with_conflicts()
    public_pool = commit_pool(
        drawn,
        staff,
        conflicts,
        plan,
        on=date(2027, 4, 1),
        published=datetime(2027, 3, 29, 9, tzinfo=CST),
    )
    for master in (241, 298):
        pool, salt = salt_pool(public_pool, f"{master:064x}")
        record = dispatch_from_pool(
            drawn, directory, pool, plan, TIANJIN_HRSS, seed="2027-03-30 福彩3D 4 1 7", salt=salt
        )
        public = verify_from_pool(record, drawn, directory, pool, plan, TIANJIN_HRSS)
        assert public.differences == (), master
        assert public.consistent
        hidden = pool.hidden() & set(drawn.selected_ids())
        assert {f"teams[{code}]" for code in hidden} < set(public.unverified)
        assert verify_from_pool(record, drawn, directory, pool, plan, TIANJIN_HRSS, salt=salt).ok


def test_the_announcement_of_a_salted_dispatch_states_its_confidential_pairs(
    year: SimulatedYear,
) -> None:
    step, pool, _, record = _salted(year, "labour-1")
    inspectors = list(year.directory.inspectors)
    for lang, words in (("zh", "保密回避对"), ("en", "confidential recusal pairs")):
        document = dispatch_announcement(
            record, inspectors, Settings(profile=TIANJIN_HRSS, lang=lang), pool=pool
        )
        facts = dict(document.facts)
        assert facts[words].startswith(
            f"{len(pool.salted)}对（涉及{len(pool.hidden())}家企业）"
            if lang == "zh"
            else f"{len(pool.salted)} pair(s) over {len(pool.hidden())} enterprise(s)"
        )
    _, open_pool = _pool(year, "labour-1")
    open_record = dispatch_from_pool(
        step.record, step.population, open_pool, step.plan, TIANJIN_HRSS, seed="labour-1 s"
    )
    document = dispatch_announcement(
        open_record, inspectors, Settings(profile=TIANJIN_HRSS), pool=open_pool
    )
    assert "保密回避对" not in dict(document.facts)
