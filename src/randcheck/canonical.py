"""Canonical JSON and the structuring converter for every randcheck value.

Canonical JSON is what digests and published records are computed over, so it must be the same
bytes on every machine and Python version: keys sorted, no insignificant white space, UTF-8
(non-ASCII kept as is), integers and strings only — **no floats** (exact quantities such as
ratios, weights and probabilities are ``"p/q"`` strings), dates in ISO 8601, enums by value,
sets as sorted lists.

The :data:`converter` (cattrs) turns any randcheck value into such JSON-ready data and back.
Top-level documents carry a schema version (:data:`SCHEMA_VERSION`) via :func:`to_document` /
:func:`from_document`.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from fractions import Fraction
from typing import Any, TypeVar

import cattrs

from randcheck.errors import ValidationError

__all__ = [
    "SCHEMA_VERSION",
    "canonical_bytes",
    "canonical_json",
    "converter",
    "digest",
    "from_document",
    "structure",
    "to_document",
    "unstructure",
]

SCHEMA_VERSION = 1

T = TypeVar("T")

converter = cattrs.Converter(forbid_extra_keys=True)
"""The converter for randcheck values (``unstructure`` to JSON-ready data, ``structure`` back)."""


def _unstructure_fraction(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def _structure_fraction(value: Any, _: Any) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValidationError(expected="a 'p/q' string or an integer", got=value)
    try:
        return Fraction(value)
    except (ValueError, ZeroDivisionError) as exc:
        raise ValidationError(expected="a 'p/q' string or an integer", got=value) from exc


def _structure_date(value: Any, _: Any) -> date:
    if not isinstance(value, str):
        raise ValidationError(expected="an ISO date string YYYY-MM-DD", got=value)
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError(expected="an ISO date string YYYY-MM-DD", got=value) from exc


def _structure_datetime(value: Any, _: Any) -> datetime:
    if not isinstance(value, str):
        raise ValidationError(expected="an ISO 8601 timestamp with offset", got=value)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError(expected="an ISO 8601 timestamp with offset", got=value) from exc
    if parsed.tzinfo is None:
        raise ValidationError(expected="an ISO 8601 timestamp with offset", got=value)
    return parsed


def _unstructure_frozenset(value: frozenset[Any]) -> list[Any]:
    items = [converter.unstructure(item) for item in value]
    return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))


converter.register_unstructure_hook(Fraction, _unstructure_fraction)
converter.register_structure_hook(Fraction, _structure_fraction)
converter.register_unstructure_hook(date, date.isoformat)
converter.register_structure_hook(date, _structure_date)
converter.register_unstructure_hook(datetime, datetime.isoformat)
converter.register_structure_hook(datetime, _structure_datetime)
converter.register_unstructure_hook(frozenset, _unstructure_frozenset)


def unstructure(value: Any) -> Any:
    """``value`` as JSON-ready data (dicts, lists, strings, integers, booleans, ``None``)."""
    return converter.unstructure(value)


def structure(data: Any, cls: type[T]) -> T:
    """Build a ``cls`` from JSON-ready ``data``; errors are cattrs' grouped errors."""
    return converter.structure(data, cls)


def _reject_float(value: Any) -> None:
    if isinstance(value, float):
        raise ValidationError(
            "canonical JSON holds no floats; use a Fraction rendered as 'p/q'",
            expected="no float",
            got=value,
        )
    if isinstance(value, dict):
        for item in value.values():
            _reject_float(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _reject_float(item)


def canonical_json(data: Any) -> str:
    """The canonical JSON text of JSON-ready ``data`` (sorted keys, compact, no floats)."""
    _reject_float(data)
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_bytes(data: Any) -> bytes:
    """UTF-8 bytes of :func:`canonical_json`."""
    return canonical_json(data).encode("utf-8")


def digest(data: Any) -> str:
    """``"sha256:<hex>"`` of the canonical bytes of JSON-ready ``data``."""
    return "sha256:" + hashlib.sha256(canonical_bytes(data)).hexdigest()


def to_document(kind: str, value: Any) -> dict[str, Any]:
    """A top-level JSON document: ``{"schema": SCHEMA_VERSION, "kind": kind, "data": ...}``."""
    return {"schema": SCHEMA_VERSION, "kind": kind, "data": unstructure(value)}


def from_document(document: Any, kind: str, cls: type[T]) -> T:
    """Read a document written by :func:`to_document`, checking its schema version and kind."""
    if not isinstance(document, dict):
        raise ValidationError(
            field="document", expected="a JSON object", got=type(document).__name__
        )
    if document.get("schema") != SCHEMA_VERSION:
        raise ValidationError(
            field="schema", expected=f"schema version {SCHEMA_VERSION}", got=document.get("schema")
        )
    if document.get("kind") != kind:
        raise ValidationError(field="kind", expected=kind, got=document.get("kind"))
    return structure(document.get("data"), cls)
