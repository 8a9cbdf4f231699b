"""``randcheck commit``, ``draw``, ``verify`` and ``explain``: exit 0 ok, 1 check failed, 2 bad
input, with a one-line reason on stderr."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from datetime import date
from fractions import Fraction
from pathlib import Path

import attrs
import pytest

import randcheck.cli
from randcheck.canonical import canonical_json
from randcheck.cli import _draw, _output, main
from randcheck.demo.synthetic import demo_plan
from randcheck.demo.synthetic import enterprises as synthetic_enterprises
from randcheck.domain import Line, Plan, SampleAllocation
from randcheck.io import save_enterprises_csv, save_json
from randcheck.ledger import Inspection, Ledger, save_ledger
from randcheck.profiles import TIANJIN_HRSS
from randcheck.sampling import DrawRecord, Seed, build_frame, commit, draw

DIRECTORY = list(synthetic_enterprises(400, seed="test-cli-draw"))


@pytest.fixture(autouse=True)
def _with_draw(monkeypatch: pytest.MonkeyPatch) -> None:
    if _draw not in randcheck.cli._MODULES:
        monkeypatch.setattr(randcheck.cli, "_MODULES", (*randcheck.cli._MODULES, _draw))


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    save_enterprises_csv(tmp_path / "enterprises.csv", DIRECTORY)
    save_json(tmp_path / "plan.json", _draw.PLAN_KIND, demo_plan(2027))
    return tmp_path


def _commit_and_draw(d: Path, *extra: str) -> None:
    assert (
        main(
            [
                "commit",
                "--enterprises",
                str(d / "enterprises.csv"),
                "--plan",
                str(d / "plan.json"),
                "--published",
                "2027-03-02T09:00+08:00",
                "--out",
                str(d / "commitment.json"),
                "--frame",
                str(d / "frame.json"),
                *extra,
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "draw",
                "--enterprises",
                str(d / "enterprises.csv"),
                "--commitment",
                str(d / "commitment.json"),
                "--seed",
                "03 17 22 28 31 + 09",
                "--seed-source",
                "双色球 2027-03-03",
                "--seed-fixed",
                "2027-03-03T21:30+08:00",
                "--out",
                str(d / "draw.json"),
                *extra,
            ]
        )
        == 0
    )


def test_commit_draw_verify_explain(inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _commit_and_draw(inputs)
    out = capsys.readouterr().out
    assert "sha256:" in out
    assert "分层 stratum" in out
    commitment = json.loads((inputs / "commitment.json").read_text(encoding="utf-8"))
    frame_bytes = (inputs / "frame.json").read_bytes()
    assert commitment["data"]["digest"] == "sha256:" + hashlib.sha256(frame_bytes).hexdigest()
    assert commitment["data"]["published"] == "2027-03-02T09:00:00+08:00"

    record_path = str(inputs / "draw.json")
    assert main(["verify", record_path, "--enterprises", str(inputs / "enterprises.csv")]) == 0
    assert "ok:" in capsys.readouterr().out
    assert main(["verify", record_path, "--frame", str(inputs / "frame.json")]) == 0
    capsys.readouterr()
    # Beside a frame, the directory is still the one re-run: a missing one is not "ok".
    both = ["--frame", str(inputs / "frame.json"), "--enterprises", str(inputs / "absent.csv")]
    assert main(["verify", record_path, *both]) == 2
    captured = capsys.readouterr()
    assert "ok:" not in captured.out
    assert "absent.csv" in captured.err
    assert (
        main(
            [
                "verify",
                record_path,
                "--frame",
                str(inputs / "frame.json"),
                "--commitment",
                str(inputs / "commitment.json"),
                "--plan",
                str(inputs / "plan.json"),
                "--published-digest",
                commitment["data"]["digest"],
            ]
        )
        == 0
    )
    capsys.readouterr()

    record = DrawRecord.from_document(json.loads(Path(record_path).read_bytes()))
    drawn = record.selected_ids()[0]
    assert main(["explain", record_path, "--uscc", drawn]) == 0
    out = capsys.readouterr().out
    assert "被抽中" in out
    assert "排序键 key" in out
    other = next(e for e in DIRECTORY if e.uscc not in record.selected_ids())
    args = ["explain", record_path, "--uscc", other.uscc]
    assert main([*args, "--enterprises", str(inputs / "enterprises.csv")]) == 0
    assert "未被抽中" in capsys.readouterr().out


def test_verify_fails_with_1_and_names_the_difference(
    inputs: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_output, "MAX_DIFFERENCES", 3)
    _commit_and_draw(inputs)
    capsys.readouterr()
    path = inputs / "draw.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["data"]["seed"]["value"] = "03 17 22 28 31 + 10"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    code = main(["verify", str(path), "--enterprises", str(inputs / "enterprises.csv")])
    assert code == 1
    err = capsys.readouterr().err
    assert "不一致 / differs" in err
    assert "  - seed:" in err
    # A changed seed moves every cut-off and many drawn units: counted, not listed.
    lines = err.strip().splitlines()
    assert len(lines) == 4
    assert "in cut-offs and drawn units, which follow from the differences above" in lines[2]
    assert lines[-1].startswith("randcheck: warning: 未给出 --record-digest")


def test_verify_against_another_published_digest_fails(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _commit_and_draw(inputs)
    code = main(
        [
            "verify",
            str(inputs / "draw.json"),
            "--frame",
            str(inputs / "frame.json"),
            "--published-digest",
            "sha256:" + "0" * 64,
        ]
    )
    assert code == 1
    assert "commitment.digest" in capsys.readouterr().err


def test_a_changed_directory_beside_the_published_frame_names_the_enterprises(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _commit_and_draw(inputs)
    record = str(inputs / "draw.json")
    frame = ["--frame", str(inputs / "frame.json")]
    directory = ["--enterprises", str(inputs / "enterprises.csv")]
    assert main(["verify", record, *directory, *frame]) == 0
    capsys.readouterr()
    removed, regraded = DIRECTORY[0], DIRECTORY[1]
    other = "C" if regraded.grade != "C" else "A"
    save_enterprises_csv(
        inputs / "enterprises.csv",
        [attrs.evolve(e, grade=other) if e is regraded else e for e in DIRECTORY[1:]],
    )
    assert main(["verify", record, *directory, *frame]) == 1
    lines = capsys.readouterr().err.splitlines()
    named = [line for line in lines if line.startswith("  - frame[")]
    assert [line.split("]")[0] for line in named] == sorted(
        f"  - frame[{code}" for code in (removed.uscc, regraded.uscc)
    )
    assert any(
        f"{removed.uscc}: absent in the frame built from the files given" in n for n in named
    )
    assert lines[1].startswith("  - commitment.digest")
    # What another frame changes by its digest alone is counted, not listed.
    assert not any(".cutoff" in line or line.startswith("  - selected") for line in lines)
    assert any("in cut-offs and drawn units, which follow from" in line for line in lines)
    # A frame that is not the committed one says so instead.
    other_frame = inputs / "other-frame.json"
    shutil.copy(inputs / "frame.json", other_frame)
    document = json.loads(other_frame.read_text(encoding="utf-8"))
    document["data"]["round"] = 2
    other_frame.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert main(["verify", record, *directory, "--frame", str(other_frame)]) == 1
    err = capsys.readouterr().err
    assert "is not the frame the record's commitment is to" in err
    assert "  - frame[" not in err
    # Beside a directory that matches, the frame given is still read and checked.
    save_enterprises_csv(inputs / "enterprises.csv", DIRECTORY)
    assert main(["verify", record, *directory, "--frame", str(other_frame)]) == 1
    assert "is not the frame the record's commitment is to" in capsys.readouterr().err
    missing = ["--frame", str(inputs / "no-frame.json")]
    assert main(["verify", record, *directory, *missing]) == 2
    assert "no-frame.json" in capsys.readouterr().err


@pytest.mark.parametrize("option", ["--record-digest", "--published-digest"])
def test_a_digest_option_in_another_form_is_refused_as_such(
    inputs: Path, capsys: pytest.CaptureFixture[str], option: str
) -> None:
    _commit_and_draw(inputs)
    capsys.readouterr()
    argv = ["verify", str(inputs / "draw.json"), "--frame", str(inputs / "frame.json")]
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, option, "3091a6df"])
    assert exit_info.value.code == 2
    assert "expected a digest 'sha256:' and 64 hexadecimal digits" in capsys.readouterr().err


def test_either_published_commitment_digest_pins_the_frame(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _commit_and_draw(inputs)
    record = str(inputs / "draw.json")
    frame = ["--frame", str(inputs / "frame.json")]
    commitment = json.loads((inputs / "commitment.json").read_text(encoding="utf-8"))
    file_digest = "sha256:" + hashlib.sha256(canonical_json(commitment).encode("utf-8")).hexdigest()
    for published in (commitment["data"]["digest"], file_digest):
        assert main(["verify", record, *frame, "--published-digest", published]) == 0
    capsys.readouterr()


def test_verify_says_what_only_the_record_digest_pins(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _commit_and_draw(inputs)
    record = inputs / "draw.json"
    frame = ["--frame", str(inputs / "frame.json")]
    capsys.readouterr()
    assert main(["verify", str(record), *frame]) == 0
    assert "no --record-digest" in capsys.readouterr().err
    digest = "sha256:" + hashlib.sha256(record.read_bytes().rstrip(b"\n")).hexdigest()
    assert main(["verify", str(record), *frame, "--record-digest", digest]) == 0
    assert "no --record-digest" not in capsys.readouterr().err


def test_draw_refuses_a_changed_directory_with_2(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _commit_and_draw(inputs)
    save_enterprises_csv(inputs / "enterprises.csv", DIRECTORY[1:])
    code = main(
        [
            "draw",
            "--enterprises",
            str(inputs / "enterprises.csv"),
            "--commitment",
            str(inputs / "commitment.json"),
            "--seed",
            "1",
            "--seed-source",
            "dice",
            "--out",
            str(inputs / "draw2.json"),
        ]
    )
    assert code == 2
    # A warning line, if any, is not part of the error.
    err = _without_warnings(capsys.readouterr().err)
    assert err.startswith("randcheck: error:")
    assert len(err.strip().splitlines()) == 1
    assert "commitment" in err


def test_seed_fixed_before_publication_is_refused(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _commit_and_draw(inputs)
    capsys.readouterr()
    code = main(
        [
            "draw",
            "--enterprises",
            str(inputs / "enterprises.csv"),
            "--commitment",
            str(inputs / "commitment.json"),
            "--seed",
            "1",
            "--seed-source",
            "dice",
            "--seed-fixed",
            "2027-03-01T12:00",
            "--out",
            str(inputs / "draw2.json"),
        ]
    )
    assert code == 2
    assert "seed" in capsys.readouterr().err


def test_history_excludes_enterprises_at_the_cap(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capped = DIRECTORY[:200]
    save_json(inputs / "history.json", _draw.HISTORY_KIND, {e.uscc: 2 for e in capped})
    _commit_and_draw(inputs, "--history", str(inputs / "history.json"))
    out = capsys.readouterr().out
    assert "200 已达年度上限" in out
    record = DrawRecord.from_document(json.loads((inputs / "draw.json").read_bytes()))
    assert not set(record.selected_ids()) & {e.uscc for e in capped}
    # Without the history the frame is another one.
    args = ["verify", str(inputs / "draw.json"), "--enterprises", str(inputs / "enterprises.csv")]
    capsys.readouterr()
    assert main(args) == 1
    assert "--history" in capsys.readouterr().err
    assert main([*args, "--history", str(inputs / "history.json")]) == 0


def test_history_from_a_ledger(inputs: Path) -> None:
    target = DIRECTORY[0]
    inspections = tuple(
        Inspection(
            id=f"I{n}",
            enterprise=target.uscc,
            lines=(Line.LABOUR_INSPECTION,),
            items=(),
            team=(),
            started=date(2027, 1, 10 + n),
        )
        for n in range(2)
    )
    save_ledger(Ledger(year=2027, inspections=inspections), inputs / "ledger.json")
    history = _draw.load_history(inputs / "ledger.json")
    _commit_and_draw(inputs, "--history", str(inputs / "ledger.json"))
    record = DrawRecord.from_document(json.loads((inputs / "draw.json").read_bytes()))
    assert history is not None
    assert target.uscc not in record.selected_ids()
    commitment = json.loads((inputs / "commitment.json").read_text(encoding="utf-8"))
    assert commitment["data"]["cap_reached"] == 1


def test_bad_inputs_exit_2(inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = str(inputs / "nothing.json")
    assert main(["verify", missing, "--enterprises", str(inputs / "enterprises.csv")]) == 2
    _commit_and_draw(inputs)
    capsys.readouterr()
    assert main(["verify", str(inputs / "draw.json")]) == 2
    assert "--enterprises" in capsys.readouterr().err
    assert main(["explain", str(inputs / "draw.json"), "--uscc", DIRECTORY[0].uscc]) in (0, 2)
    capsys.readouterr()
    code = main(["explain", str(inputs / "draw.json"), "--uscc", "X", "--weight", "1/0"])
    assert code == 2
    code = main(
        [
            "explain",
            str(inputs / "draw.json"),
            "--uscc",
            "91120116MA05L8XH45",
            "--enterprises",
            str(inputs / "enterprises.csv"),
        ]
    )
    assert code == 2
    assert "not in" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["commit", "--plan", "p.json"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["draw", "--enterprises", "e", "--commitment", "c", "--seed", "1", "--round", "0"])
    assert info.value.code == 2
    with pytest.raises(SystemExit):
        main(["commit", "--published", "yesterday"])


def test_explain_from_stratum_and_weight(inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record = _drawn(inputs, capsys)
    with_cutoff = {s.name for s in record.strata if s.cutoff is not None}
    other = next(
        e
        for e in DIRECTORY
        if e.uscc not in record.selected_ids() and f"{e.district}|{e.grade}" in with_cutoff
    )
    stratum = f"{other.district}|{other.grade}"

    weight = TIANJIN_HRSS.weight(other)
    args = ["explain", str(inputs / "draw.json"), "--uscc", other.uscc]
    assert main([*args, "--stratum", stratum, "--weight", str(weight)]) == 0
    assert "未被抽中" in capsys.readouterr().out
    # A weight that would have made it certain: the record cannot be right for it.
    assert main([*args, "--stratum", stratum, "--weight", "1000000"]) == 0
    assert "不在" in capsys.readouterr().out


def _drawn(inputs: Path, capsys: pytest.CaptureFixture[str]) -> DrawRecord:
    """The draw record of a commit and a draw in ``inputs``, their output read and set aside."""
    _commit_and_draw(inputs)
    capsys.readouterr()
    return DrawRecord.from_document(json.loads((inputs / "draw.json").read_bytes()))


def _not_drawn(record: DrawRecord) -> str:
    with_cutoff = {s.name for s in record.strata if s.cutoff is not None}
    return next(
        e.uscc
        for e in DIRECTORY
        if e.uscc not in record.selected_ids() and f"{e.district}|{e.grade}" in with_cutoff
    )


def test_explain_from_the_published_frame_says_what_the_directory_says(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = _drawn(inputs, capsys)
    args = ["explain", str(inputs / "draw.json"), "--uscc", _not_drawn(record)]
    assert main([*args, "--frame", str(inputs / "frame.json")]) == 0
    from_frame = capsys.readouterr().out
    assert "未被抽中" in from_frame
    assert main([*args, "--enterprises", str(inputs / "enterprises.csv")]) == 0
    assert capsys.readouterr().out.startswith(from_frame)


def test_explain_refuses_a_directory_changed_since_the_commitment(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = _drawn(inputs, capsys)
    uscc = _not_drawn(record)
    # Its grade changed after the commitment: its weight, and so its key, would change too.
    changed = [
        attrs.evolve(e, grade="C" if e.grade != "C" else "A") if e.uscc == uscc else e
        for e in DIRECTORY
    ]
    save_enterprises_csv(inputs / "changed.csv", changed)
    args = ["explain", str(inputs / "draw.json"), "--uscc", uscc]
    assert main([*args, "--enterprises", str(inputs / "changed.csv")]) == 2
    err = capsys.readouterr().err
    assert "is not the one this draw was made from" in err
    assert record.commitment.frame_digest in err
    # A drawn enterprise too: the record alone explains it, but not against another frame.
    drawn = record.selected_ids()[0]
    changed_path = str(inputs / "changed.csv")
    assert (
        main(["explain", str(inputs / "draw.json"), "--uscc", drawn, "--enterprises", changed_path])
        == 2
    )


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (["--stratum", "火星", "--weight", "1"], "this draw has no stratum '火星'; its strata: "),
        (["--stratum", "和平区|A"], "--stratum and --weight go together"),
        ([], "give the published frame (--frame FRAME.json), the directory"),
        (["--frame", "f.json", "--stratum", "和平区|A", "--weight", "1"], "give one of"),
        (["--history", "h.json"], "--history is read with --enterprises"),
    ],
)
def test_explain_names_what_is_wrong_with_its_options(
    inputs: Path, capsys: pytest.CaptureFixture[str], extra: list[str], said: str
) -> None:
    record = _drawn(inputs, capsys)
    args = ["explain", str(inputs / "draw.json"), "--uscc", _not_drawn(record), *extra]
    assert main(args) == 2
    captured = capsys.readouterr()
    assert said in captured.err
    assert "Traceback" not in captured.err
    assert "enterprise=" not in captured.err


def test_explain_says_that_a_stratum_and_weight_given_are_taken_unchecked(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = _drawn(inputs, capsys)
    stratum = record.strata[0].name
    args = ["explain", str(inputs / "draw.json"), "--uscc", _not_drawn(record)]
    main([*args, "--stratum", stratum, "--weight", "1"])
    assert "the answer takes the stratum and weight as given, unchecked" in capsys.readouterr().err
    assert main([*args, "--frame", str(inputs / "frame.json")]) == 0
    assert "unchecked" not in capsys.readouterr().err


def test_explain_from_a_frame_exits_1_on_an_edited_record(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _commit_and_draw(inputs)
    capsys.readouterr()
    path = inputs / "draw.json"
    record = DrawRecord.from_document(json.loads(path.read_bytes()))
    uscc = _not_drawn(record)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["data"]["seed"]["value"] = "03 17 22 28 31 + 10"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    args = ["explain", str(path), "--uscc", uscc, "--frame", str(inputs / "frame.json")]
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "does not match the draw re-run on its frame" in out
    assert "排序键 key" not in out


def test_explain_says_so_when_the_history_is_what_differs(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capped = DIRECTORY[7]
    save_json(inputs / "history.json", _draw.HISTORY_KIND, {capped.uscc: 2})
    _commit_and_draw(inputs, "--history", str(inputs / "history.json"))
    capsys.readouterr()
    args = ["explain", str(inputs / "draw.json"), "--uscc", capped.uscc]
    assert main([*args, "--enterprises", str(inputs / "enterprises.csv")]) == 2
    err = capsys.readouterr().err
    assert "it holds 0 enterprise(s) at the yearly cap, the commitment 1" in err
    assert "give the --history the commitment was built with" in err


def test_explain_says_when_it_sets_aside_a_stratum_and_weight_given_for_a_drawn_enterprise(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = _drawn(inputs, capsys)
    unit = record.selected[0]
    other = next(s.name for s in record.strata if s.name != unit.stratum)
    args = ["explain", str(inputs / "draw.json"), "--uscc", unit.uscc]
    assert main([*args, "--stratum", other, "--weight", "1/100"]) == 0
    captured = capsys.readouterr()
    assert f"as drawn in stratum {unit.stratum!r} with weight {unit.weight}" in captured.err
    assert "被抽中" in captured.out
    assert main([*args, "--stratum", unit.stratum, "--weight", str(unit.weight)]) == 0
    assert "not used" not in capsys.readouterr().err


def test_explain_tells_an_enterprise_at_the_yearly_cap_so_from_the_frame_or_the_history(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capped = DIRECTORY[7]
    save_json(inputs / "history.json", _draw.HISTORY_KIND, {capped.uscc: 2})
    _commit_and_draw(inputs, "--history", str(inputs / "history.json"))
    capsys.readouterr()
    args = ["explain", str(inputs / "draw.json"), "--uscc", capped.uscc]
    assert main([*args, "--frame", str(inputs / "frame.json")]) == 0
    assert "本年度已接受2次随机抽查" in capsys.readouterr().out
    directory = ["--enterprises", str(inputs / "enterprises.csv")]
    assert main([*args, *directory, "--history", str(inputs / "history.json")]) == 0
    assert "本年度已接受2次随机抽查" in capsys.readouterr().out
    # Without the year's history the directory gives another frame than the committed one.
    assert main([*args, *directory]) == 2
    assert "is not the one this draw was made from" in capsys.readouterr().err


def test_explain_exits_1_on_an_inconsistent_record(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _commit_and_draw(inputs)
    path = inputs / "draw.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    unit = next(u for u in document["data"]["selected"] if u["key"] is not None)
    unit["hash"] = "0" * 64
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    assert main(["explain", str(path), "--uscc", unit["uscc"]]) == 1
    assert "记录有误" in capsys.readouterr().out


def test_verify_routes_dispatch_records(inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    save_json(inputs / "dispatch.json", "dispatch-record", {"x": 1})
    assert main(["verify", str(inputs / "dispatch.json")]) == 2
    assert "--draw" in capsys.readouterr().err


def test_progress_reports_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    assert _draw._progress(False, 10**6) is None
    assert _draw._progress(True, 10) is None
    report = _draw._progress(True, 300_000)
    assert report is not None
    report(100_000)
    report(200_000)
    err = capsys.readouterr().err
    assert "300,000/300,000 (100%)" in err
    assert err.endswith("\n")


def test_table_pads_chinese_names() -> None:
    assert _draw._width("和平区|A") == 8
    assert _draw._pad("和平区", 8) == "和平区  "
    assert _draw._pad("12", 4, right=True) == "  12"
    assert _draw._approx(None) == "—"
    assert _draw._approx(Fraction(2, 3)) == "0.6667"


def _draw_again(d: Path, out: str, *extra: str) -> int:
    return main(
        [
            "draw",
            "--enterprises",
            str(d / "enterprises.csv"),
            "--commitment",
            str(d / "commitment.json"),
            "--seed",
            "01 02 03 04 05 + 06",
            "--seed-source",
            "双色球 2027-03-05",
            "--out",
            str(d / out),
            *extra,
        ]
    )


def test_a_second_draw_under_the_same_commitment_is_refused(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _commit_and_draw(inputs)
    first = (inputs / "draw.json").read_bytes()
    capsys.readouterr()
    assert _draw_again(inputs, "redraw.json", "--earlier", str(inputs / "draw.json")) == 2
    assert "redraw" in capsys.readouterr().err
    assert not (inputs / "redraw.json").exists()
    assert _draw_again(inputs, "draw.json") == 2
    assert "redraw" in capsys.readouterr().err
    assert (inputs / "draw.json").read_bytes() == first


def _commit_only(d: Path) -> list[str]:
    return [
        "commit",
        "--enterprises",
        str(d / "enterprises.csv"),
        "--plan",
        str(d / "plan.json"),
        "--out",
        str(d / "commitment.json"),
    ]


def test_commit_warns_only_when_the_plan_cancels_the_grade_weights(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The demo plan divides its sample by weight: its grade strata keep the grade weights.
    published = ["--published", "2027-03-02T09:00+08:00"]
    assert main([*_commit_only(inputs), *published]) == 0
    assert "warning" not in capsys.readouterr().err
    per_stratum = attrs.evolve(demo_plan(2027), allocation=SampleAllocation.PER_STRATUM)
    save_json(inputs / "plan.json", _draw.PLAN_KIND, per_stratum)
    assert main([*_commit_only(inputs), *published, "--force"]) == 0
    warned = [
        line
        for line in capsys.readouterr().err.splitlines()
        if line.startswith("randcheck: warning:")
    ]
    assert len(warned) == 1
    assert "proportional-to-weight" in warned[0]


def test_explain_tells_how_a_stratum_got_its_share_by_weight(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _commit_and_draw(inputs)
    record = DrawRecord.from_document(json.loads((inputs / "draw.json").read_bytes()))
    capsys.readouterr()
    uscc = record.selected[-1].uscc
    code = main(["explain", str(inputs / "draw.json"), "--uscc", uscc])
    assert code == 0
    assert "in proportion to weight" in capsys.readouterr().out


def _without_warnings(err: str) -> str:
    return "".join(
        line for line in err.splitlines(keepends=True) if not line.startswith("randcheck: warning:")
    )


def test_commit_does_not_replace_a_commitment_with_another_unless_forced(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_commit_only(inputs)) == 0
    first = (inputs / "commitment.json").read_bytes()
    assert main(_commit_only(inputs)) == 0  # the same commitment again: allowed
    capsys.readouterr()
    other = attrs.evolve(demo_plan(2027), ratio=Fraction(1, 10))
    save_json(inputs / "plan.json", _draw.PLAN_KIND, other)
    assert main(_commit_only(inputs)) == 2
    assert "--force" in capsys.readouterr().err
    assert (inputs / "commitment.json").read_bytes() == first
    assert main([*_commit_only(inputs), "--force"]) == 0
    assert (inputs / "commitment.json").read_bytes() != first


def test_commit_refuses_a_directory_with_no_enterprise_to_draw(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header = (inputs / "enterprises.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    (inputs / "enterprises.csv").write_text(header + "\n", encoding="utf-8")
    assert main(_commit_only(inputs)) == 2
    err = capsys.readouterr().err
    assert "no enterprise to draw" in err
    assert not (inputs / "commitment.json").exists()


def test_commit_writes_neither_file_when_one_cannot_be_written(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([*_commit_only(inputs), "--frame", str(inputs / "missing" / "frame.json")])
    assert code == 2
    assert "cannot write" in capsys.readouterr().err
    assert not (inputs / "commitment.json").exists()


def test_an_empty_seed_is_refused_naming_the_option(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*_commit_only(inputs), "--published", "2027-03-02T09:00+08:00"]) == 0
    capsys.readouterr()
    draw = ["draw", "--enterprises", str(inputs / "enterprises.csv")]
    draw += ["--commitment", str(inputs / "commitment.json"), "--out", str(inputs / "d.json")]
    assert main([*draw, "--seed", " ", "--seed-source", "福彩"]) == 2
    assert "--seed must not be empty" in capsys.readouterr().err
    assert main([*draw, "--seed", "1 2 3", "--seed-source", ""]) == 2
    assert "--seed-source must not be empty" in capsys.readouterr().err


def test_a_commitment_and_a_draw_without_their_times_are_warned_about(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_commit_only(inputs)) == 0
    assert "no --published" in capsys.readouterr().err
    draw = ["draw", "--enterprises", str(inputs / "enterprises.csv")]
    draw += ["--commitment", str(inputs / "commitment.json"), "--out", str(inputs / "d.json")]
    assert main([*draw, "--seed", "1 2 3", "--seed-source", "福彩"]) == 0
    assert "no --seed-fixed" in capsys.readouterr().err


@pytest.mark.parametrize("min_one", [True, False])
def test_the_strata_table_notes_strata_a_minimum_of_one_took_past_the_ratio(
    min_one: bool,
) -> None:
    plan = Plan(
        code="TJ-LS-2027",
        year=2027,
        line=Line.LABOUR_INSPECTION,
        ratio=Fraction(3, 100),
        strata=("district", "grade"),
        min_one_per_stratum=min_one,
    )
    directory = list(synthetic_enterprises(200, seed="min-one"))
    frame = build_frame(directory, plan, TIANJIN_HRSS)
    record = draw(frame, commit(frame), Seed(value="1", source="test"))
    out = io.StringIO()
    _draw.print_strata(record, file=out)
    raised = [s for s in record.strata if s.sample_size == 1 and s.ratio * s.population < 0.5]
    if min_one:
        assert raised
        assert f"note: {len(raised)} strata would draw 0 by their ratio" in out.getvalue()
        assert f"{record.sample_size} of {frame.population} drawn" in out.getvalue()
    else:
        assert not raised
        assert "min_one_per_stratum" not in out.getvalue()


def test_every_empty_text_option_is_named_at_once(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _commit_and_draw(inputs)
    capsys.readouterr()
    args = ["draw", "--enterprises", str(inputs / "enterprises.csv")]
    args += ["--commitment", str(inputs / "commitment.json"), "--out", str(inputs / "d2.json")]
    assert main([*args, "--seed", " ", "--seed-source", ""]) == 2
    err = capsys.readouterr().err
    assert "--seed must not be empty" in err
    assert "--seed-source must not be empty" in err


def test_commit_refuses_a_round_the_plan_does_not_have(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = attrs.evolve(demo_plan(2027), rounds=2)
    save_json(inputs / "plan.json", _draw.PLAN_KIND, plan)
    args = ["commit", "--enterprises", str(inputs / "enterprises.csv")]
    args += ["--plan", str(inputs / "plan.json"), "--out", str(inputs / "c.json")]
    assert main([*args, "--round", "3"]) == 2
    assert "has 2 round(s) in the year" in capsys.readouterr().err
    assert not (inputs / "c.json").exists()
    assert main([*args, "--round", "2"]) == 0


def test_a_long_list_of_differences_is_cut_and_the_rest_counted(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from randcheck.text import Text
    from randcheck.verification import Difference, DrawVerification

    monkeypatch.setattr(_output, "MAX_DIFFERENCES", 3)
    differences = [
        Difference(
            path=f"strata[{i}].population", expected="1", got="2", message=Text(zh="差", en="d")
        )
        for i in range(5)
    ]
    result = DrawVerification(
        kind="draw-record", digest="sha256:01", frame_digest="", differences=differences
    )
    assert _output.print_verification("draw.json", result) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines[1:4] == [f"  - {d}" for d in differences[:3]]
    assert lines[4] == "  … 另有 2 处 / 2 more"


def test_draw_names_every_problem_with_its_inputs_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["draw", "--enterprises", str(tmp_path / "absent.csv")]
    args += ["--commitment", str(tmp_path / "absent.json"), "--out", str(tmp_path / "d.json")]
    args += ["--columns", str(tmp_path / "absent.toml"), "--earlier", str(tmp_path / "e.json")]
    assert main([*args, "--seed", "", "--seed-source", "dice"]) == 2
    err = capsys.readouterr().err
    assert "5 problem(s) with the draw's inputs" in err
    assert f"cannot open {tmp_path / 'absent.toml'}" in err
    assert f"cannot open {tmp_path / 'e.json'}" in err
    assert "--seed must not be empty" in err
    assert f"cannot open {tmp_path / 'absent.csv'}" in err
    assert f"cannot open {tmp_path / 'absent.json'}" in err
