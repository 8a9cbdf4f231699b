"""``randcheck demo``: the main job on built-in sample data."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    """Add the ``demo`` subcommand."""
    parser = subparsers.add_parser(
        "demo", help="run the whole pipeline on a built-in synthetic Tianjin-like directory"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the demo."""
    print("randcheck demo")
    return 0
