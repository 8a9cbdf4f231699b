"""Terminal output shared by the subcommands."""

from __future__ import annotations

import contextlib
import os
from typing import TextIO


def silence(stream: TextIO) -> None:
    """Point ``stream``'s descriptor at the null device, so that the exit flush is quiet.

    Used when the reader of a pipe has gone away (``randcheck … | head``): Python flushes
    standard output again at exit, and that flush must not fail a second time.
    """
    # io.UnsupportedOperation (a stream without a descriptor) is both of these.
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
