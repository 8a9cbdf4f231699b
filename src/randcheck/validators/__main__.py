"""``python -m randcheck.validators --catalogue [--profile NAME]``: print the rule catalogue
(``docs/rules.md`` is the one of ``cn-tj-hrss``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from randcheck.errors import RandcheckError
from randcheck.profiles import get_profile
from randcheck.validators._catalogue import catalogue_markdown


def main(argv: Sequence[str] | None = None) -> int:
    """Print the catalogue in Markdown; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m randcheck.validators", description="The rule catalogue of randcheck."
    )
    parser.add_argument(
        "--catalogue", action="store_true", help="print docs/rules.md (Markdown) to stdout"
    )
    parser.add_argument(
        "--profile",
        default="cn-tj-hrss",
        help="a registered profile name or the path of a profile file (default: cn-tj-hrss)",
    )
    args = parser.parse_args(argv)
    if not args.catalogue:
        parser.print_help()
        return 2
    try:
        profile = get_profile(args.profile)
    except RandcheckError as exc:
        print(f"randcheck: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(catalogue_markdown(profile))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
