"""The ``randcheck`` command (also ``python -m randcheck``).

Exit codes: 0 ok; 1 a check failed (verification mismatch, audit violations), or standard
output was closed before the outcome was printed; 2 bad input or usage, with a one-line reason
on stderr — or, for a file that cannot be loaded (a CSV directory, a profile file), a line for
the file and one indented line for every problem in it, each with where it is; 3 ``verify`` of
a dispatch whose recusal pairs are salted, checked without the salt: nothing differs, but the
teams it names could not be re-derived. A reader that goes away after the outcome is known
(``randcheck verify … | head -1``) does not change it.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import TextIO

from randcheck._version import __version__
from randcheck.cli import _assign, _audit, _demo, _draw, _output, _plan, _publish, _report
from randcheck.cli._output import deliver, silence
from randcheck.errors import InputFileError, RandcheckError
from randcheck.sampling import GradePreferenceCancelledWarning

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_PARTLY_VERIFIED", "EXIT_USAGE", "build_parser", "main"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PARTLY_VERIFIED = _output.EXIT_PARTLY_VERIFIED

Handler = Callable[[argparse.Namespace], int]

_MODULES = (_demo, _plan, _draw, _assign, _audit, _publish, _report)


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
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            # Said where a plan is committed (``randcheck commit``), not again by every later
            # step that rebuilds its frame.
            warnings.simplefilter("ignore", GradePreferenceCancelledWarning)
            code = handler(args)
    except BrokenPipeError:
        # The reader went away (``randcheck … | head``) before the outcome was printed: stop
        # quietly, as Unix tools do, but not as a success that was never established.
        silence(sys.stdout)
        silence(sys.stderr)
        return EXIT_FAILED
    except InputFileError as exc:
        # Every problem in the file, each with its place, so that all can be fixed in one go.
        return _fail(str(exc))
    except RandcheckError as exc:
        return _fail(str(exc).splitlines()[0])
    except OSError as exc:
        return _fail(str(exc))
    # Flushed here, not at exit, so that a reader gone away keeps the outcome's exit code.
    return deliver(code, lambda: None)


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    # A warning is said to the person at the command line, not to a programmer: no source
    # file or line of the library.
    print(f"randcheck: warning: {message}", file=sys.stderr)


def _fail(reason: str) -> int:
    return deliver(EXIT_USAGE, lambda: print(f"randcheck: error: {reason}", file=sys.stderr))
