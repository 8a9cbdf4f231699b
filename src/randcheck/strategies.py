"""Hypothesis strategies for every public randcheck type (extra ``randcheck[hypothesis]``)."""

from __future__ import annotations

__all__: list[str] = []


def _hypothesis_setup_hook() -> None:
    """Register randcheck's strategies with Hypothesis (called through the entry point)."""
