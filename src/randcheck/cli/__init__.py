"""The ``randcheck`` command (also ``python -m randcheck``).

Exit codes: 0 ok; 1 a check failed (verification mismatch, audit violations); 2 bad input or
usage, with a one-line reason on stderr — or, for a file that cannot be loaded (a CSV directory,
a profile file), a line for the file and one indented line for every problem in it, each with
where it is.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from randcheck._version import __version__
from randcheck.cli import _assign, _audit, _demo, _draw
from randcheck.cli._output import silence
from randcheck.errors import InputFileError, RandcheckError

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

Handler = Callable[[argparse.Namespace], int]

_MODULES = (_demo, _draw, _assign, _audit)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse prints the whole usage; a one-line reason is what scripts can log.
        self.exit(EXIT_USAGE, f"randcheck: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = _Parser(
        prog="randcheck",
        description=(
            "双随机一公开 (double random, one public): draw inspection targets, dispatch "
            "inspectors and audit a year against the rules, verifiably."
        ),
    )
    parser.add_argument("--version", action="version", version=f"randcheck {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in _MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return handler(args)
    except BrokenPipeError:
        # The reader went away (``randcheck … | head``): stop quietly, as Unix tools do.
        silence(sys.stdout)
        return EXIT_OK
    except InputFileError as exc:
        # Every problem in the file, each with its place, so that all can be fixed in one go.
        print(f"randcheck: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except RandcheckError as exc:
        first_line = str(exc).splitlines()[0]
        print(f"randcheck: error: {first_line}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"randcheck: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
