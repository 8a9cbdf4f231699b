"""The cyclic garbage collector paused while many objects that stay alive are made."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the ``with`` block, and resume it as it was found.

    Building many objects that all stay alive (the records of a ledger, the cells of a
    directory's chunk) starts the collector again and again over a growing heap in which it
    finds nothing to free. Reference counting still frees every temporary.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
