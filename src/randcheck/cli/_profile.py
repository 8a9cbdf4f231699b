"""The ``--profile`` option: a registered profile name or the path of a profile file.

Whatever the subcommand, ``--profile`` takes either the name of a registered profile
(``cn-tj-hrss``, or one an installed package registers) or the path of a TOML profile file
(``--profile ./market.toml``, ``docs/profiles.md``); :func:`randcheck.profiles.get_profile`
tells them apart. An unknown name is an error that lists the registered names; a profile file
that does not fit the schema is an error that lists every problem with its path in the file.
Both exit with code 2.
"""

from __future__ import annotations

import argparse
from typing import Final

from randcheck.profiles import profile_names

__all__ = ["PROFILE_DEFAULT", "add_profile_option"]

PROFILE_DEFAULT: Final = "cn-tj-hrss"
"""The profile a subcommand applies when neither ``--profile`` nor its input names one."""


def add_profile_option(
    parser: argparse.ArgumentParser, default: str | None, *, otherwise: str = ""
) -> None:
    """Add ``--profile`` to ``parser``.

    Args:
        parser: the subcommand's parser.
        default: the profile applied without the option, or ``None`` where the subcommand
            takes it from its input (``otherwise`` then says from where, for the help).
        otherwise: the help's words for the default when ``default`` is ``None``.
    """
    shown = f"default {default}" if default is not None else otherwise
    parser.add_argument(
        "--profile",
        default=default,
        metavar="NAME|FILE.toml",
        help=(
            f"policy profile: a registered name ({', '.join(profile_names())}) or the path of "
            f"a profile file (.toml)" + (f"; {shown}" if shown else "")
        ),
    )
