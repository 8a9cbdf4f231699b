"""Deprecated names: a warning, then the new name's behaviour.

Every name randcheck renames stays for one release under its old spelling; using it emits a
:class:`DeprecationWarning` naming the replacement (the list is in ``docs/changes.md``).
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["module_getattr", "warn_deprecated"]


def warn_deprecated(old: str, new: str, *, stacklevel: int = 3) -> None:
    """Emit the :class:`DeprecationWarning` for ``old``, pointing at ``new``.

    ``stacklevel`` 3 points at the caller of the function that calls this one.
    """
    warnings.warn(
        f"{old} is deprecated and will be removed in the next release; use {new}",
        DeprecationWarning,
        stacklevel=stacklevel,
    )


def module_getattr(module: str, names: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` serving deprecated names.

    ``names`` maps each old name to the dotted path of its replacement
    (``"randcheck.sampling.algorithm.allocate"``): reading ``module.old`` (or
    ``from module import old``) warns and returns the replacement, imported then. Any other
    missing name raises :class:`AttributeError` as usual.
    """

    def getattr_(name: str) -> Any:
        try:
            new = names[name]
        except KeyError:
            raise AttributeError(f"module {module!r} has no attribute {name!r}") from None
        warn_deprecated(f"{module}.{name}", new)
        home, _, attribute = new.rpartition(".")
        return getattr(importlib.import_module(home), attribute)

    return getattr_
