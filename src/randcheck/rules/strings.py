"""The one converter of string-tuple fields: codes, keys, ids, stratum names.

A string is itself an iterable of strings, so ``tuple("LS-01")`` silently becomes
``('L', 'S', '-', '0', '1')``, and ``tuple({"LS-01": 1})`` drops the mapping's values.
:func:`str_tuple` refuses both, and anything that is not a string among the elements, with a
:class:`~randcheck.errors.ValidationError` naming the field (DESIGN: "a string is never split
into characters").

>>> str_tuple(["LS-01", "LS-02"])
('LS-01', 'LS-02')
>>> try:
...     str_tuple("LS-01", field="items")
... except ValidationError as error:
...     print(error.field, error.got)
items LS-01
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from randcheck.errors import ValidationError

__all__ = ["str_tuple", "strict_str_tuples"]


def str_tuple(value: Iterable[str], field: str | None = None) -> tuple[str, ...]:
    """``value`` as a tuple of strings, in its order.

    Args:
        value: any iterable of strings except a string or a mapping.
        field: the field named in the error (attrs classes get it from
            :func:`strict_str_tuples`).

    Raises:
        ValidationError: ``value`` is a lone string, a mapping, not iterable, or holds
            something other than a string.
    """
    # A list or a tuple, the common case, is neither a string nor a mapping: the
    # abstract-class checks are spared it.
    if type(value) is not list and type(value) is not tuple:
        if isinstance(value, str):
            raise ValidationError(
                field=field,
                expected="a sequence of strings (a lone string is not split into characters)",
                got=value,
            )
        if isinstance(value, Mapping) or not isinstance(value, Iterable):
            raise ValidationError(field=field, expected="a sequence of strings", got=value)
    result = tuple(value)
    if not all(isinstance(element, str) for element in result):
        raise ValidationError(field=field, expected="a sequence of strings", got=result)
    return result


def strict_str_tuples(
    cls: type[Any], fields: list[attrs.Attribute[Any]]
) -> list[attrs.Attribute[Any]]:
    """An attrs ``field_transformer``: every field converted by :func:`str_tuple` names itself.

    A converter does not know which field it converts; this hands each such field a
    converter that passes the field's name, so that ``Plan(items="LS-01")`` raises a
    :class:`~randcheck.errors.ValidationError` with ``field == "items"``. Use as
    ``@attrs.frozen(field_transformer=strict_str_tuples)`` with
    ``attrs.field(converter=str_tuple)``.
    """
    return [
        field.evolve(converter=functools.partial(str_tuple, field=field.name))
        if _is_str_tuple(field.converter)
        else field
        for field in fields
    ]


def _is_str_tuple(converter: object) -> bool:
    return converter is str_tuple
