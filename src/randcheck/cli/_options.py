"""Options shared by the subcommands that read CSV directories."""

from __future__ import annotations

import argparse

__all__ = ["add_extra_option"]


def add_extra_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--extra error|ignore``: what to do with columns of a CSV directory that name no
    field (:data:`randcheck.io.Extra`); the loaders' hint for an unknown column names it."""
    parser.add_argument(
        "--extra",
        default="error",
        choices=("error", "ignore"),
        help="columns the directory format does not know: report them (default) or skip them",
    )
