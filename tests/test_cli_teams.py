"""What ``assign`` shows and writes besides the record — the team table, who was left out and
why — and how ``explain`` says a weight was built."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from fractions import Fraction
from pathlib import Path

import attrs
import pytest

from randcheck.cli import _assign, main
from randcheck.demo import synthetic
from randcheck.dispatch import DOCUMENT_KIND, DispatchRecord
from randcheck.domain import Line
from randcheck.io import (
    load_json,
    save_conflicts_csv,
    save_enterprises_csv,
    save_inspectors_csv,
    save_json,
)
from randcheck.privacy import find_unmasked_personal_data, mask_inspector_key
from randcheck.profiles import TIANJIN_HRSS
from randcheck.profiles.weights import weight_factors
from randcheck.sampling import RECORD_KIND, DrawRecord, Seed, build_frame, commit, draw

PLAN = synthetic.demo_plan(2027)
ENTS = list(synthetic.enterprises(400, seed="teams"))
STAFF = list(synthetic.inspectors(160, seed="teams"))
LABOUR = [i for i in STAFF if Line.LABOUR_INSPECTION in i.lines]
# One labour inspector whose certificate ran out before the round.
EXPIRED = attrs.evolve(LABOUR[0], certificate_valid_until=date(2026, 12, 31))
STAFF = [EXPIRED if i is LABOUR[0] else i for i in STAFF]
CONFLICTS = synthetic.conflicts(LABOUR, ENTS, per_mille=300, seed="teams")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("teams")
    frame = build_frame(ENTS, PLAN, TIANJIN_HRSS)
    record = draw(frame, commit(frame), Seed(value="03 17 22", source="test lottery"))
    paths = {
        name: root / f"{name}.{ext}"
        for name, ext in (
            ("draw", "json"),
            ("plan", "json"),
            ("enterprises", "csv"),
            ("inspectors", "csv"),
            ("conflicts", "csv"),
            ("out", "json"),
            ("teams", "csv"),
            ("excluded", "csv"),
        )
    }
    save_json(paths["draw"], RECORD_KIND, record)
    save_json(paths["plan"], _assign.PLAN_KIND, PLAN)
    save_enterprises_csv(paths["enterprises"], ENTS)
    save_inspectors_csv(paths["inspectors"], STAFF)
    save_conflicts_csv(paths["conflicts"], CONFLICTS)
    return paths


@pytest.fixture(scope="module")
def assigned(files: dict[str, Path]) -> tuple[str, DispatchRecord]:
    out = io.StringIO()
    from contextlib import redirect_stdout

    with redirect_stdout(out):
        code = main(
            [
                "assign",
                *("--draw", str(files["draw"]), "--plan", str(files["plan"])),
                *("--enterprises", str(files["enterprises"])),
                *("--inspectors", str(files["inspectors"])),
                *("--conflicts", str(files["conflicts"])),
                *("--seed", "04 11 29", "--out", str(files["out"])),
                *("--teams-out", str(files["teams"]), "--excluded-out", str(files["excluded"])),
            ]
        )
    assert code == 0
    return out.getvalue(), load_json(files["out"], DOCUMENT_KIND, DispatchRecord)


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def test_the_team_table_has_one_row_per_team_with_names_and_certificates(
    files: dict[str, Path], assigned: tuple[str, DispatchRecord]
) -> None:
    out, record = assigned
    header, *rows = read_csv(files["teams"])
    assert header[1] == "统一社会信用代码"
    assert [row[1] for row in rows] == [team.enterprise for team in record.current_teams()]
    staff = {i.key: i for i in STAFF}
    names = {e.uscc: e.name for e in ENTS}
    for row, team in zip(rows, record.current_teams(), strict=True):
        assert row[2] == names[team.enterprise]
        assert row[4].split("、") == [staff[k].name for k in team.members]
        assert row[5].split("、") == [staff[k].certificate_no for k in team.members]
        assert f"{row[1]} {row[2]}" in out


def test_the_team_table_holds_no_identity_or_phone_number(files: dict[str, Path]) -> None:
    text = files["teams"].read_text(encoding="utf-8-sig")
    assert find_unmasked_personal_data(text) == []
    assert not any(i.phone and i.phone in text for i in STAFF)


def test_an_expired_certificate_and_other_lines_are_said_as_reasons(
    files: dict[str, Path], assigned: tuple[str, DispatchRecord]
) -> None:
    out, _ = assigned
    rows = read_csv(files["excluded"])[1:]
    reasons = {(row[1], row[3]): row[2] for row in rows}
    assert "not valid on 2027-04-01" in reasons[(EXPIRED.certificate_no or "", "")]
    others = [i for i in STAFF if Line.LABOUR_INSPECTION not in i.lines]
    assert others
    for inspector in others:
        shown = inspector.certificate_no or mask_inspector_key(inspector.key)
        assert "not authorised" in reasons[(shown, "")]
    assert "执法证件在 2027-04-01 无效" in out


def test_every_recusal_of_the_record_is_listed_with_its_grounds(
    files: dict[str, Path], assigned: tuple[str, DispatchRecord]
) -> None:
    _, record = assigned
    assert record.recusals, "the synthetic conflicts make some recusals"
    rows = [row for row in read_csv(files["excluded"])[1:] if row[3]]
    staff = {i.key: i for i in STAFF}
    expected = sorted(
        (
            staff[r.inspector].certificate_no or "",
            r.enterprise,
            ", ".join(g.value for g in r.grounds),
        )
        for r in record.recusals
    )
    got = sorted((row[1], row[3], row[2].split("(")[1].rstrip(")")) for row in rows)
    assert got == expected


def test_excluded_rows_agree_with_the_dispatchs_qualified_count(
    assigned: tuple[str, DispatchRecord],
) -> None:
    from randcheck.dispatch import summarize

    _, record = assigned
    whole_round = [row for row in _assign.excluded_rows(record, STAFF) if not row[3]]
    assert len(whole_round) + summarize(record, STAFF).qualified == len(STAFF)


# --- explain -----------------------------------------------------------------------------------


def test_weight_factors_multiply_to_the_profiles_weight() -> None:
    for enterprise in ENTS:
        product = Fraction(1)
        for factor in weight_factors(TIANJIN_HRSS, enterprise):
            product *= factor.multiplier
        assert product == TIANJIN_HRSS.weight(enterprise)


def test_explain_shows_how_the_weight_was_built(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    record = DrawRecord.from_document(json.loads(files["draw"].read_bytes()))
    risky = next(e for e in ENTS if e.risk.complaints_12m > 0)
    args = ["explain", str(files["draw"]), "--uscc", risky.uscc]
    assert main([*args, "--enterprises", str(files["enterprises"])]) == 0
    out = capsys.readouterr().out
    assert "权重构成" in out
    assert f"劳动保障守法诚信等级 / labour-compliance integrity grade: {risky.grade}" in out
    assert "投诉举报多（近12个月）" in out
    weight = TIANJIN_HRSS.weight(risky)
    assert f"= {weight.numerator}/{weight.denominator}" in out
    assert record.digest()
