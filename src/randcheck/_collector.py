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

    What the block made is then handed to the oldest generation at once, as a young and then a
    middle collection would have done after walking all of it in vain: freezing and unfreezing
    moves the young generations there without a walk (and leaves alone a process that froze
    objects itself). A cycle made in the block is still freed, by the next full collection.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if was_enabled:
            gc.enable()
