"""The command-line entry: exit codes, one-line errors, pipes closed early, document kinds."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from randcheck.cli import EXIT_OK, EXIT_USAGE, main
from randcheck.cli import _draw as draw_cli
from randcheck.errors import ValidationError


def _parser_with(handler: object) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser()
    parser.set_defaults(handler=handler)
    return parser


def test_a_closed_pipe_ends_quietly(monkeypatch: pytest.MonkeyPatch) -> None:
    def handler(args: argparse.Namespace) -> int:
        raise BrokenPipeError

    silenced: list[object] = []
    monkeypatch.setattr("randcheck.cli.build_parser", lambda: _parser_with(handler))
    monkeypatch.setattr("randcheck.cli.silence", silenced.append)
    assert main([]) == EXIT_OK
    assert len(silenced) == 1


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
