"""``randcheck assign`` for a dispatch the public can re-run: the pool commitment (salted where
the profile says so), the dispatch and a replacement from it, each checked by ``randcheck
verify`` from published files."""

from __future__ import annotations

from pathlib import Path

import pytest

import randcheck.profiles
from _pool_scenario import ENTS, PLAN, STAFF, drawn_with_conflicts
from randcheck import cli
from randcheck.cli import _assign, _draw
from randcheck.demo import synthetic
from randcheck.dispatch import DOCUMENT_KIND, POOL_KIND, DispatchRecord, PoolCommitment
from randcheck.domain import Conflict, ConflictGround, Line
from randcheck.io import (
    load_json,
    save_conflicts_csv,
    save_enterprises_csv,
    save_inspectors_csv,
    save_json,
)
from randcheck.sampling import RECORD_KIND

SHIPPED = Path(randcheck.profiles.__file__).parent / "data"


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    for module in (_assign, _draw):
        if module not in cli._MODULES:
            monkeypatch.setattr(cli, "_MODULES", (*cli._MODULES, module))
    drawn, conflicts = drawn_with_conflicts()
    paths = {name: tmp_path / name for name in ("draw.json", "plan.json", "enterprises.csv")}
    paths |= {name: tmp_path / name for name in ("inspectors.csv", "conflicts.csv")}
    save_json(paths["draw.json"], RECORD_KIND, drawn)
    save_json(paths["plan.json"], _assign.PLAN_KIND, PLAN)
    save_enterprises_csv(paths["enterprises.csv"], ENTS)
    save_inspectors_csv(paths["inspectors.csv"], STAFF)
    save_conflicts_csv(paths["conflicts.csv"], conflicts)
    text = (SHIPPED / "cn-tj-hrss.toml").read_text(encoding="utf-8")
    salted = tmp_path / "salted" / "cn-tj-hrss-salted.toml"
    salted.parent.mkdir()
    (salted.parent / "cn-tj-hrss.zh.txt").write_text(
        (SHIPPED / "cn-tj-hrss.zh.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    text = text.replace('name = "cn-tj-hrss"', 'name = "xx-tj-hrss-salted"', 1)
    text = text.replace("min_size = 2\n", 'min_size = 2\nrecusal_pairs = "salted"\n', 1)
    salted.write_text(text, encoding="utf-8")
    paths["salted-profile"] = salted
    paths["dir"] = tmp_path
    return paths


def _pool_out(files: dict[str, Path], *extra: str) -> list[str]:
    f = files
    return [
        "assign",
        *("--draw", str(f["draw.json"]), "--plan", str(f["plan.json"])),
        *("--inspectors", str(f["inspectors.csv"]), "--conflicts", str(f["conflicts.csv"])),
        *("--pool-out", str(f["dir"] / "pool.json"), "--published", "2027-03-29T09:00"),
        *("--out", str(f["dir"] / "unused.json")),
        *extra,
    ]


def _from_pool(files: dict[str, Path], *extra: str) -> list[str]:
    f = files
    return [
        "assign",
        *("--draw", str(f["draw.json"]), "--plan", str(f["plan.json"])),
        *("--enterprises", str(f["enterprises.csv"]), "--pool", str(f["dir"] / "pool.json")),
        *("--seed", "2027-03-30 福彩3D 4 1 7", "--seed-source", "福彩3D"),
        *("--seed-fixed", "2027-03-30T21:30:00+08:00"),
        *extra,
    ]


def _verify(files: dict[str, Path], record: Path, *extra: str) -> list[str]:
    f = files
    return [
        "verify",
        str(record),
        *("--draw", str(f["draw.json"]), "--plan", str(f["plan.json"])),
        *("--enterprises", str(f["enterprises.csv"]), "--pool", str(f["dir"] / "pool.json")),
        *extra,
    ]


def test_pool_dispatch_and_replacement_from_the_command_line_verify_from_published_files(
    files: dict[str, Path],
) -> None:
    out = files["dir"] / "dispatch.json"
    assert cli.main(_pool_out(files)) == 0
    pool = load_json(files["dir"] / "pool.json", POOL_KIND, PoolCommitment)
    assert pool.recusals
    assert pool.published is not None
    assert cli.main(_from_pool(files, "--out", str(out))) == 0
    record = load_json(out, DOCUMENT_KIND, DispatchRecord)
    assert record.algorithm == "randcheck-dispatch-v2"
    assert cli.main(_verify(files, out, "--record-digest", record.digest())) == 0
    district = {i.certificate: i.district for i in pool.inspectors}
    # An outside member steps aside: the outside pool is the larger one.
    team, leaving = next(
        (t, m) for t in record.teams for m in t.members if district[m] != t.district
    )
    declared = files["dir"] / "declared.csv"
    save_conflicts_csv(
        declared,
        [
            Conflict(
                inspector=leaving,
                enterprise=team.enterprise,
                ground=ConflictGround.RELATIVE,
                note="新申报",
            )
        ],
    )
    replaced = files["dir"] / "dispatch-2.json"
    command = [
        "assign",
        *("--record", str(out), "--pool", str(files["dir"] / "pool.json")),
        *("--replace", leaving, "--reason", "回避", "--on", "2027-04-02"),
        *("--enterprise", team.enterprise, "--declared", str(declared), "--out", str(replaced)),
    ]
    assert cli.main(command) == 0
    after = load_json(replaced, DOCUMENT_KIND, DispatchRecord)
    assert len(after.replacements) == 1
    assert after.replacements[0].declared[0].note == "recusal pair declared since the dispatch"
    assert cli.main(_verify(files, replaced, "--record-digest", after.digest())) == 0


def test_verifying_a_dispatch_without_the_draw_names_the_pool_as_the_public_way(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out = files["dir"] / "dispatch.json"
    assert cli.main(_pool_out(files)) == 0
    assert cli.main(_from_pool(files, "--out", str(out))) == 0
    capsys.readouterr()
    assert cli.main(["verify", str(out), "--enterprises", str(files["enterprises.csv"])]) == 2
    err = capsys.readouterr().err
    assert "needs --draw, --inspectors, --plan" in err
    assert "--pool POOL.json, with --draw, --enterprises and --plan" in err


def test_a_pool_dispatch_whose_inspector_file_does_not_load_writes_nothing(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(_pool_out(files)) == 0
    out = files["dir"] / "dispatch.json"
    # The inspector directory, given only for the team table's names, does not decode.
    (files["dir"] / "names.csv").write_bytes(b"\xff\xfe\x00bad")
    argv = _from_pool(files, "--out", str(out), "--inspectors", str(files["dir"] / "names.csv"))
    assert cli.main(argv) == 2
    assert "names.csv" in capsys.readouterr().err
    assert not out.exists()


def test_a_salted_profile_writes_the_opening_and_the_public_check_exits_3(
    files: dict[str, Path],
) -> None:
    profile = ["--profile", str(files["salted-profile"])]
    assert cli.main(_pool_out(files, *profile)) == 2  # the opening needs a file
    salt = files["dir"] / "salt.json"
    assert cli.main(_pool_out(files, *profile, "--salt-out", str(salt))) == 0
    pool = load_json(files["dir"] / "pool.json", POOL_KIND, PoolCommitment)
    assert pool.salted
    assert pool.recusals == ()
    out = files["dir"] / "dispatch.json"
    assert cli.main(_from_pool(files, *profile, "--out", str(out))) == 2  # needs the salt
    assert cli.main(_from_pool(files, *profile, "--salt", str(salt), "--out", str(out))) == 0
    assert cli.main(_verify(files, out, *profile)) == 3
    assert cli.main(_verify(files, out, *profile, "--salt", str(salt))) == 0


def test_the_left_out_list_names_the_line_in_chinese_and_a_pool_recusal_as_a_pair(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    others = [
        i for i in synthetic.inspectors(120, seed="cli") if Line.LABOUR_INSPECTION not in i.lines
    ]
    save_inspectors_csv(files["inspectors.csv"], [*STAFF, *others[:2]])
    assert cli.main(_pool_out(files)) == 0
    pooled = capsys.readouterr().out
    assert "未获劳动保障监察条线执法授权 / not authorised for the labour-inspection line" in pooled
    assert "未获 labour-inspection" not in pooled
    out = files["dir"] / "dispatch.json"
    assert cli.main(_from_pool(files, "--out", str(out))) == 0
    printed = capsys.readouterr().out
    record = load_json(out, DOCUMENT_KIND, DispatchRecord)
    assert record.recusals
    assert "recused ()" not in printed
    assert "回避 / recused (回避对 / recusal pair)" in printed
