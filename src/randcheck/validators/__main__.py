"""``python -m randcheck.validators --catalogue``: print the rule catalogue (docs/rules.md)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from randcheck.validators._catalogue import catalogue_markdown


def main(argv: Sequence[str] | None = None) -> int:
    """Print the catalogue in Markdown; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m randcheck.validators", description="The rule catalogue of randcheck."
    )
    parser.add_argument(
        "--catalogue", action="store_true", help="print docs/rules.md (Markdown) to stdout"
    )
    args = parser.parse_args(argv)
    if not args.catalogue:
        parser.print_help()
        return 2
    sys.stdout.write(catalogue_markdown())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
