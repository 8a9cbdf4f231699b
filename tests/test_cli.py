"""The command-line entry: exit codes, one-line errors, pipes closed early, document kinds."""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from randcheck.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, main
from randcheck.cli import _draw as draw_cli
from randcheck.cli._output import deliver
from randcheck.errors import ValidationError


def _parser_with(handler: object) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser()
    parser.set_defaults(handler=handler)
    return parser


def test_a_pipe_closed_before_the_outcome_ends_quietly_but_not_as_success(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def handler(args: argparse.Namespace) -> int:
        raise BrokenPipeError

    silenced: list[object] = []
    monkeypatch.setattr("randcheck.cli.build_parser", lambda: _parser_with(handler))
    monkeypatch.setattr("randcheck.cli.silence", silenced.append)
    assert main([]) == EXIT_FAILED
    assert len(silenced) == 2


class _ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError

    def flush(self) -> None:
        raise BrokenPipeError


@pytest.mark.parametrize("code", [EXIT_OK, EXIT_FAILED])
@pytest.mark.parametrize("stream", ["stdout", "stderr"])
def test_a_pipe_closed_while_the_outcome_is_printed_keeps_its_exit_code(
    monkeypatch: pytest.MonkeyPatch, code: int, stream: str
) -> None:
    def handler(args: argparse.Namespace) -> int:
        return deliver(code, lambda: print("outcome", file=getattr(sys, stream)))

    monkeypatch.setattr("randcheck.cli.build_parser", lambda: _parser_with(handler))
    monkeypatch.setattr(f"sys.{stream}", _ClosedPipe())
    assert main([]) == code


def test_an_error_printed_to_a_closed_pipe_still_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    def handler(args: argparse.Namespace) -> int:
        raise ValidationError("bad", field="f")

    monkeypatch.setattr("randcheck.cli.build_parser", lambda: _parser_with(handler))
    monkeypatch.setattr("sys.stderr", _ClosedPipe())
    assert main([]) == EXIT_USAGE


def _pipeline(command: str, cwd: Path) -> int:
    """The exit status of ``command | true`` under ``pipefail``: the reader is gone at once."""
    shell = f"set -o pipefail; {sys.executable} -m randcheck {command} 2>&1 | true"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run(["bash", "-c", shell], cwd=cwd, env=env, check=False).returncode


def test_a_failed_verify_keeps_its_status_through_a_closed_pipe(tmp_path: Path) -> None:
    assert main(["demo", "--out", str(tmp_path), "--quiet"]) == EXIT_OK
    record = json.loads((tmp_path / "labour-1" / "draw.json").read_text(encoding="utf-8"))
    record["data"]["seed"]["value"] = "another seed"
    (tmp_path / "tampered.json").write_text(json.dumps(record), encoding="utf-8")
    assert _pipeline("verify tampered.json --enterprises enterprises.csv", tmp_path) == 1
    assert _pipeline("verify labour-1/draw.json --enterprises enterprises.csv", tmp_path) == 0
    assert _pipeline("audit ledger-absent.json", tmp_path) == 2


def test_a_randcheck_error_is_one_line_on_stderr_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def handler(args: argparse.Namespace) -> int:
        raise ValidationError("first line\nsecond line", field="f")

    monkeypatch.setattr("randcheck.cli.build_parser", lambda: _parser_with(handler))
    assert main([]) == EXIT_USAGE
    assert capsys.readouterr().err == "randcheck: error: first line\n"


def test_a_missing_file_is_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["audit", str(tmp_path / "absent.json")]) == EXIT_USAGE
    assert "absent.json" in capsys.readouterr().err


def test_document_kind_of_a_pretty_printed_document(tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    path.write_text(json.dumps({"schema": 1, "kind": "dispatch-record", "data": {}}, indent=2))
    assert draw_cli._document_kind(path) == "dispatch-record"
    path.write_text("[1, 2]")
    assert draw_cli._document_kind(path) is None
    path.write_text("{not json")
    assert draw_cli._document_kind(path) is None


def test_silence_points_a_closed_pipe_at_the_null_device() -> None:
    import os

    from randcheck.cli._output import silence

    read_end, write_end = os.pipe()
    os.close(read_end)
    with os.fdopen(write_end, "w") as stream:
        silence(stream)
        stream.write("x" * 100_000)
        stream.flush()  # would raise BrokenPipeError without silence


def test_silence_ignores_a_stream_without_a_descriptor() -> None:
    import io

    from randcheck.cli._output import silence

    silence(io.StringIO())


@pytest.mark.parametrize("command", [["publish", "plan"], ["audit"]])
def test_an_empty_json_file_on_the_command_line_is_said_to_be_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    empty = tmp_path / "plan.json"
    empty.write_bytes(b"")
    assert main([*command, str(empty)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert f"{empty}" in err
    assert "文件为空 / the file is empty (0 bytes)" in err
    assert "Expecting value" not in err


def _timestamp_options() -> list[tuple[str, argparse.Action]]:
    from randcheck.cli import build_parser

    parser = build_parser()
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return [
        (f"{name} {action.option_strings[-1]}", action)
        for name, sub in commands.choices.items()
        for action in sub._actions
        if getattr(action.type, "__name__", None) == "timestamp"
    ]


def test_every_time_option_says_how_a_time_without_an_offset_is_read(
    capsys: pytest.CaptureFixture[str],
) -> None:
    options = _timestamp_options()
    named = {name for name, _ in options}
    assert {"commit --published", "draw --seed-fixed", "assign --published"} <= named
    assert "assign --seed-fixed" in named
    for name, action in options:
        assert "without a UTC offset is read as China Standard Time (+08:00)" in str(action.help), (
            name
        )
        assert callable(action.type)
        value = action.type("2027-03-02T09:00")
        assert value.isoformat() == "2027-03-02T09:00:00+08:00"
        err = capsys.readouterr().err
        option = name.split(" ", 1)[1]
        assert err.startswith(f"randcheck: note: {option} 2027-03-02T09:00 "), name
        assert "read as 2027-03-02T09:00:00+08:00 (China Standard Time)" in err, name
        # A time with its offset is read as given, silently.
        assert action.type("2027-03-02T09:00+00:00").utcoffset() == timedelta(0)
        assert capsys.readouterr().err == ""


def test_commit_notes_the_zone_it_read_a_time_without_an_offset_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from randcheck.cli._draw import PLAN_KIND
    from randcheck.demo.synthetic import demo_plan, enterprises
    from randcheck.io import save_enterprises_csv, save_json

    save_enterprises_csv(tmp_path / "e.csv", list(enterprises(60, seed="zone")))
    save_json(tmp_path / "plan.json", PLAN_KIND, demo_plan(2027))
    argv = [
        "commit",
        "--enterprises",
        str(tmp_path / "e.csv"),
        "--plan",
        str(tmp_path / "plan.json"),
    ]
    out = ["--out", str(tmp_path / "c.json")]
    assert main([*argv, "--published", "2027-03-02T09:00", *out]) == EXIT_OK
    err = capsys.readouterr().err
    assert "randcheck: note: --published 2027-03-02T09:00 " in err
    assert "read as 2027-03-02T09:00:00+08:00" in err
    written = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["data"]
    assert written["published"] == "2027-03-02T09:00:00+08:00"
