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
import importlib
import sys
import warnings
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, TextIO

from randcheck._version import __version__
from randcheck.cli import _output
from randcheck.cli._output import deliver, silence
from randcheck.errors import InputFileError, RandcheckError
from randcheck.sampling import GradePreferenceCancelledWarning

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_PARTLY_VERIFIED", "EXIT_USAGE", "build_parser", "main"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PARTLY_VERIFIED = _output.EXIT_PARTLY_VERIFIED

Handler = Callable[[argparse.Namespace], int]

_MODULE_NAMES = ("_demo", "_plan", "_draw", "_assign", "_audit", "_publish", "_report")
"""The modules that register the subcommands, in the order ``--help`` lists them."""

# The command of each module that registers only its own commands and needs no other: a
# command line naming one of them builds its parser from that module alone, so that a draw
# does not import what dispatching, auditing and publishing need.
_OWN_MODULE = {"commit": "_draw", "draw": "_draw", "verify": "_draw", "explain": "_draw"}


def _modules() -> tuple[ModuleType, ...]:
    """The subcommands' modules (``_MODULES``), imported on first use."""
    return tuple(globals().get("_MODULES") or _import_modules())


def _import_modules() -> tuple[ModuleType, ...]:
    modules = tuple(importlib.import_module(f"{__name__}.{name}") for name in _MODULE_NAMES)
    globals()["_MODULES"] = modules
    return modules


def _lazy(name: str) -> Any:
    if name == "_MODULES":
        return _import_modules()
    if name in _MODULE_NAMES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if not TYPE_CHECKING:
    __getattr__ = _lazy


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse prints the whole usage; a one-line reason is what scripts can log.
        self.exit(EXIT_USAGE, f"randcheck: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    return _parser(_modules())


def _parser(modules: Sequence[ModuleType]) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="randcheck",
        description=(
            "双随机一公开 (double random, one public): draw inspection targets, dispatch "
            "inspectors and audit a year against the rules, verifiably."
        ),
    )
    parser.add_argument("--version", action="version", version=f"randcheck {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in modules:
        module.register(subparsers)
    # Imported here: the subcommands' modules have already imported it, the bare parser not.
    from randcheck.cli._options import explain_timestamp_options

    explain_timestamp_options(parser)
    return parser


def _own_parser(argv: Sequence[str]) -> argparse.ArgumentParser | None:
    """The parser with only the module of the command ``argv`` names, where that module
    registers it alone (``None``: :func:`build_parser`'s)."""
    name = _OWN_MODULE.get(argv[0]) if argv else None
    if name is None or "_MODULES" in globals():
        return None
    return _parser([importlib.import_module(f"{__name__}.{name}")])


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    parser = _own_parser(arguments) or build_parser()
    args = parser.parse_args(arguments)
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
