"""Canonical JSON and the structuring converter for every randcheck value.

Canonical JSON is what digests and published records are computed over, so it must be the same
bytes on every machine and Python version: keys sorted, no insignificant white space, UTF-8
(non-ASCII kept as is), integers and strings only — **no floats** (exact quantities such as
ratios, weights and probabilities are ``"p/q"`` strings), dates in ISO 8601, enums by value,
sets as sorted lists, tuples as lists.

The :data:`converter` (cattrs) turns any randcheck value into such JSON-ready data and back.
Structuring is strict: a string field takes only a JSON string, an integer field only a JSON
integer (never a boolean, a float or a numeric string), a boolean field only ``true``/``false``,
a fraction only as the ``"p/q"`` text it is written in (lowest terms, ASCII digits, no sign on
zero, no integer, decimal or exponent form), a date only as ``YYYY-MM-DD`` and a timestamp only
as :meth:`datetime.isoformat` writes it (with its offset), and unknown keys are refused: a
record read back has the bytes it was written with, so its file's SHA-256 is its digest.
Every problem in a piece of data is reported at once, each with its JSON path
(``expected an ISO date string YYYY-MM-DD, got '2024-13-01' @ $.data[3].start``), as one
:class:`~randcheck.errors.InputFileError`.

Top-level documents carry a schema version (:data:`SCHEMA_VERSION`) via :func:`to_document` /
:func:`from_document`.

Every published record (a sampling frame, commitment and draw record, a dispatch record, a
ledger, an audit report) follows one protocol, :class:`Record`: ``to_document()``,
``from_document(document, *, source=None)`` and ``digest()``.
"""

from __future__ import annotations

import enum
import functools
import hashlib
import json
import re
from collections.abc import (
    Callable,
    Collection,
    Iterable,
    Mapping,
    MutableMapping,
    MutableSequence,
    Sequence,
    Set,
)
from datetime import date, datetime
from fractions import Fraction
from types import SimpleNamespace
from typing import (
    Any,
    Protocol,
    Self,
    TypeVar,
    get_args,
    get_origin,
    get_type_hints,
    runtime_checkable,
)

import attrs
import cattrs
from cattrs.cols import homogenous_tuple_structure_factory, list_structure_factory
from cattrs.errors import (
    BaseValidationError,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import (
    make_dict_structure_fn,
    make_dict_unstructure_fn,
    make_mapping_structure_fn,
    override,
)

from randcheck.domain import Enterprise, Plan, RiskFlags
from randcheck.errors import InputFileError, Location, RandcheckError, ValidationError

try:
    # With the ``fast`` extra: the same text as json.dumps below, written in C (orjson escapes
    # the same characters the same way and sorts keys by code point, as str comparison does).
    import orjson as _orjson
except ImportError:  # pragma: no cover - the test extra installs orjson
    _orjson = None  # type: ignore[assignment]

__all__ = [
    "SCHEMA_VERSION",
    "Record",
    "canonical_bytes",
    "canonical_json",
    "converter",
    "digest",
    "envelope_errors",
    "exact_documents",
    "from_document",
    "is_digest",
    "omit_defaults",
    "ready_json",
    "rename_fields",
    "structure",
    "structuring_errors",
    "to_document",
    "unstructure",
]

SCHEMA_VERSION = 1

T = TypeVar("T")

_DOCUMENT_KEYS = frozenset({"schema", "kind", "data"})


def _sorted_list(items: Iterable[Any]) -> list[Any]:
    # Sets have no order of their own; sorting by the canonical text of each (already
    # unstructured) member gives one that is the same everywhere.
    return sorted(items, key=canonical_json)


converter = cattrs.Converter(
    forbid_extra_keys=True,
    unstruct_collection_overrides={Set: _sorted_list, Sequence: list, tuple: list},
)
"""The converter for randcheck values (``unstructure`` to JSON-ready data, ``structure`` back)."""


# --- leaf hooks ------------------------------------------------------------------------------


def _unstructure_fraction(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


_FRACTION_TEXT = re.compile(r"(0|-?[1-9][0-9]*)/([1-9][0-9]*)", re.ASCII)
_FRACTION_EXPECTED = "a 'p/q' string in lowest terms"


def _structure_fraction(value: Any, _: Any) -> Fraction:
    if not isinstance(value, str):
        raise ValidationError(expected=_FRACTION_EXPECTED, got=value)
    return _fraction_of_text(value)


# Texts repeat (a record's weights take a handful of values; a year has 365 days), and the
# values are immutable: each distinct text is parsed and checked once.
@functools.lru_cache(maxsize=4096)
def _fraction_of_text(value: str) -> Fraction:
    # Only what _unstructure_fraction writes is read: any other spelling of the same number
    # (2/4, 0.5, 5e-1, full-width digits, padding, a bare integer) would verify while the
    # file's bytes no longer hash to the record's digest.
    match = _FRACTION_TEXT.fullmatch(value)
    if match is None:
        raise ValidationError(expected=_FRACTION_EXPECTED, got=value)
    parsed = Fraction(int(match[1]), int(match[2]))
    if _unstructure_fraction(parsed) != value:
        raise ValidationError(expected=_FRACTION_EXPECTED, got=value)
    return parsed


def _structure_date(value: Any, _: Any) -> date:
    if not isinstance(value, str):
        raise ValidationError(expected="an ISO date string YYYY-MM-DD", got=value)
    return _date_of_text(value)


@functools.lru_cache(maxsize=4096)
def _date_of_text(value: str) -> date:
    try:
        parsed = date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError(expected="an ISO date string YYYY-MM-DD", got=value) from exc
    # date.fromisoformat also takes the basic and week forms (20240101, 2024-W01-1); the
    # canonical form is the only one written, so it is the only one read.
    if parsed.isoformat() != value:
        raise ValidationError(expected="an ISO date string YYYY-MM-DD", got=value)
    return parsed


def _structure_datetime(value: Any, _: Any) -> datetime:
    if not isinstance(value, str):
        raise ValidationError(expected="an ISO 8601 timestamp with offset", got=value)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError(expected="an ISO 8601 timestamp with offset", got=value) from exc
    # The canonical text is what datetime.isoformat writes; fromisoformat also takes "Z",
    # a space for "T", basic forms, short offsets and fractions of any length.
    if parsed.tzinfo is None or parsed.isoformat() != value:
        raise ValidationError(expected="an ISO 8601 timestamp with offset", got=value)
    return parsed


def _structure_enum(value: Any, cls: type[enum.Enum]) -> enum.Enum:
    try:
        return cls(value)
    except (ValueError, TypeError) as exc:
        choices = ", ".join(repr(member.value) for member in cls)
        raise ValidationError(expected=f"one of {choices}", got=value) from exc


# Hooks for ``str`` and ``int`` are also found for ``StrEnum`` and ``IntEnum`` (and any
# ``str``/``int`` mixin enum), because those classes come before ``Enum`` in the method
# resolution order; hence the enum branch.


def _structure_str(value: Any, cls: type[Any]) -> Any:
    if cls is str and type(value) is str:
        return value
    if cls is not str and issubclass(cls, enum.Enum):
        return _structure_enum(value, cls)
    if not isinstance(value, str):
        raise ValidationError(expected="a string", got=value)
    return value


def _structure_int(value: Any, cls: type[Any]) -> Any:
    if cls is not int and issubclass(cls, enum.Enum):
        return _structure_enum(value, cls)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(expected="an integer", got=value)
    return value


def _structure_bool(value: Any, _: Any) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(expected="true or false", got=value)
    return value


def _structure_attrs_factory(cls: type[Any]) -> Callable[[Any, Any], Any]:
    return _object_only(cls, make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=True))


def _object_only(cls: type[Any], inner: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def structure_attrs(value: Any, target: Any) -> Any:
        # Without this check a list or a string given for an object yields one obscure
        # error per field instead of one clear one.
        if not isinstance(value, dict):
            raise ValidationError(
                expected=f"a JSON object ({cls.__name__})", got=type(value).__name__
            )
        return inner(value, target)

    return structure_attrs


converter.register_unstructure_hook(Fraction, _unstructure_fraction)
converter.register_structure_hook(Fraction, _structure_fraction)
converter.register_unstructure_hook(date, date.isoformat)
converter.register_structure_hook(date, _structure_date)
converter.register_unstructure_hook(datetime, datetime.isoformat)
converter.register_structure_hook(datetime, _structure_datetime)
converter.register_structure_hook(enum.Enum, _structure_enum)
converter.register_structure_hook(str, _structure_str)
converter.register_structure_hook(int, _structure_int)
converter.register_structure_hook(bool, _structure_bool)
converter.register_structure_hook_factory(attrs.has, _structure_attrs_factory)


_COLLECTIONS = (tuple, list, set, frozenset, Sequence, Set, MutableSequence)


def _is_collection(cls: Any) -> bool:
    origin = get_origin(cls)
    return origin in _COLLECTIONS or cls in _COLLECTIONS


def _hetero_tuple(cls: Any) -> Callable[[Any, Any], Any]:
    types = get_args(cls)

    def structure_tuple(value: list[Any], _: Any) -> tuple[Any, ...]:
        if len(value) != len(types):
            raise ValidationError(expected=f"a valid {_type_name(cls)}", got=value)
        items, errors = [], []
        for index, (item, type_) in enumerate(zip(value, types, strict=True)):
            try:
                items.append(converter.structure(item, type_))
            except Exception as exc:
                exc.__notes__ = [
                    *getattr(exc, "__notes__", []),
                    IterableValidationNote(f"Structuring {cls} @ index {index}", index, type_),
                ]
                errors.append(exc)
        if errors:
            raise IterableValidationError(f"While structuring {cls!r}", errors, cls)
        return tuple(items)

    return structure_tuple


def _structure_collection_factory(cls: Any) -> Callable[[Any, Any], Any]:
    # A JSON string or object is iterable too, so cattrs' own hooks would turn "和平区" into
    # {'和', '平', '区'} and an object into its keys: here only an array is a collection.
    origin = get_origin(cls) or cls
    args = get_args(cls)
    item = args[0] if args else Any
    if origin is tuple and args and not (len(args) == 2 and args[1] is Ellipsis):
        inner = _hetero_tuple(cls)
    elif origin is tuple:
        inner = homogenous_tuple_structure_factory(tuple[item, ...], converter)  # type: ignore[valid-type]
    else:
        as_list = list_structure_factory(list[item], converter)  # type: ignore[valid-type]
        if origin in (set, Set):
            inner = lambda value, _: set(as_list(value, list))  # noqa: E731
        elif origin is frozenset:
            inner = lambda value, _: frozenset(as_list(value, list))  # noqa: E731
        else:
            inner = as_list

    def structure_collection(value: Any, target: Any) -> Any:
        if not isinstance(value, list):
            raise ValidationError(expected="an array", got=value)
        return inner(value, target)

    return structure_collection


converter.register_structure_hook_factory(_is_collection, _structure_collection_factory)


def _is_mapping(cls: Any) -> bool:
    origin = get_origin(cls) or cls
    return origin in (dict, Mapping, MutableMapping)


def _structure_mapping_factory(cls: Any) -> Callable[[Any, Any], Any]:
    # cattrs' own hook calls ``.items()`` on whatever came, so a list raised AttributeError:
    # only a JSON object is a mapping.
    key_type, value_type = get_args(cls) or (Any, Any)
    # Made, not registered: Converter.gen_structure_mapping registers its result, and for
    # dict[str, Any] that registration then served dict[str, int] too, without this check.
    inner = make_mapping_structure_fn(
        dict[key_type, value_type],  # type: ignore[valid-type]
        converter,
        key_type=key_type,
        val_type=value_type,
    )

    def structure_mapping(value: Any, target: Any) -> Any:
        if not isinstance(value, dict):
            raise ValidationError(expected="a JSON object", got=type(value).__name__)
        return inner(value, target)

    return structure_mapping


converter.register_structure_hook_factory(_is_mapping, _structure_mapping_factory)


# --- id mappings ---------------------------------------------------------------------------
# Mappings such as an enterprise's classes ({scheme: class}) are held as sorted pairs so that
# values stay hashable; in documents they are JSON objects, left out while empty so that a
# profile that uses none writes the same bytes as before they existed.


def _pairs_to_object(pairs: Sequence[tuple[str, Any]]) -> dict[str, Any]:
    return dict(pairs)


def _raw(value: Any, _: Any) -> Any:
    # The attrs converter of the field validates the mapping (and refuses anything else).
    if not isinstance(value, dict):
        raise ValidationError(expected="a JSON object", got=type(value).__name__)
    return value


def _register_with_overrides(cls: type[Any], overrides: dict[str, Any]) -> None:
    """Both hooks of the attrs class ``cls`` with per-attribute ``overrides``; structuring stays
    strict (unknown keys refused, a non-object refused)."""
    # Any: mypy cannot tell these keyword arguments from the generators' own boolean options.
    converter.register_unstructure_hook(cls, make_dict_unstructure_fn(cls, converter, **overrides))
    inner = make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=True, **overrides)
    converter.register_structure_hook(cls, _object_only(cls, inner))


def _with_id_mappings(cls: type[Any], *fields: str) -> None:
    overrides: dict[str, Any] = {
        name: override(omit_if_default=True, unstruct_hook=_pairs_to_object, struct_hook=_raw)
        for name in fields
    }
    _register_with_overrides(cls, overrides)


def omit_defaults(
    cls: type[Any],
    *fields: str,
    written: Mapping[str, Callable[[Any], Any]] | None = None,
) -> None:
    """Leave the attributes ``fields`` of ``cls`` out of its documents while they hold their
    default, and read them back as the default when absent.

    For a field added to a record type after documents of it were published: documents that do
    not use it keep their bytes and their digests. ``written`` gives, for attributes of
    ``cls``, the function that writes their value instead of the converter (read back as
    usual).

    Register it where ``cls`` is defined (or here, for a class of :mod:`randcheck.domain`):
    a hook made for a class that holds ``cls`` takes the hook of ``cls`` as it is then, so a
    registration made later, on some import, would make the bytes depend on what was imported.
    """
    overrides: dict[str, Any] = {name: override(omit_if_default=True) for name in fields}
    for name, write in (written or {}).items():
        overrides[name] = override(omit_if_default=name in fields, unstruct_hook=write)
    _register_with_overrides(cls, overrides)


_with_id_mappings(RiskFlags, "factors")
_with_id_mappings(Enterprise, "classes")
# Plans written before supplementary plans had a ground, or before plans chose their
# allocation, keep their bytes.
omit_defaults(Plan, "supplementary_ground", "allocation")


# The document keys of renamed attributes, so that error paths name the key, not the attribute.
_DOCUMENT_KEYS_OF: dict[type[Any], dict[str, str]] = {}


def rename_fields(cls: type[Any], **keys: str) -> None:
    """Write the attributes of ``cls`` named in ``keys`` under another key, and read them back.

    For a record whose document key is also the name of a method of the record's class:
    ``rename_fields(Commitment, frame_digest="digest")`` keeps the published key ``"digest"``
    while the attribute is ``frame_digest`` and ``digest()`` is the record's own digest.
    Structuring stays strict (unknown keys refused, a non-object refused).
    """
    _DOCUMENT_KEYS_OF[cls] = dict(keys)
    overrides: dict[str, Any] = {name: override(rename=key) for name, key in keys.items()}
    _register_with_overrides(cls, overrides)


# --- structuring with readable errors --------------------------------------------------------


def _describe(exc: BaseException, type_: Any) -> tuple[str, str | None, Any]:
    """A message, the expectation and the offending value for one leaf exception."""
    if isinstance(exc, RandcheckError):
        if exc.field is None and exc.expected is not None:
            return f"expected {exc.expected}, got {exc.got!r}", exc.expected, exc.got
        return exc.message, exc.expected, exc.got
    if isinstance(exc, ForbiddenExtraKeysError):
        extra = sorted(exc.extra_fields)
        expected = "only the fields of " + getattr(exc.cl, "__name__", repr(exc.cl))
        return f"unknown fields {', '.join(extra)}; expected {expected}", expected, extra
    if isinstance(exc, KeyError):
        return "required field missing", "a value", None
    expected = "a valid value" if type_ is None else f"a valid {_type_name(type_)}"
    return f"invalid value: {exc}; expected {expected}", expected, None


def _leaf(
    exc: BaseException, type_: Any, path: str, location: Location | None, *, own_field: bool
) -> ValidationError:
    # An error raised by a class's own validators (inside ``__init__``) arrives at the path
    # of the object; its ``field`` says which attribute, so the path is completed with it.
    message, expected, got = _describe(exc, type_)
    if own_field and isinstance(exc, RandcheckError) and exc.field:
        key = _DOCUMENT_KEYS_OF.get(type_, {}).get(exc.field, exc.field)
        path = f"{path}.{key}"
        # A renamed attribute is named by its document key, as in the path.
        if key != exc.field and message.startswith(f"{exc.field}: "):
            message = f"{key}: {message[len(exc.field) + 2 :]}"
    # Keep the class (e.g. InvalidIdentifier) so callers can still tell errors apart.
    cls = type(exc) if isinstance(exc, ValidationError) else ValidationError
    return cls(f"{message} @ {path}", field=path, expected=expected, got=got, location=location)


_NO_DATA: Any = object()


def structuring_errors(
    exc: BaseException,
    path: str = "$",
    location: Location | None = None,
    *,
    data: Any = _NO_DATA,
) -> list[ValidationError]:
    """Every problem inside a cattrs structuring error, as errors carrying their JSON path.

    Each :class:`ValidationError` has ``field`` set to the JSON path (``$.data[3].uscc``), its
    message ends with ``@ <path>`` (the style of :func:`cattrs.transform_error`), and
    ``expected``/``got`` are taken over where the underlying error has them.

    An attrs class checks its fields' values in its constructor, which stops at the first
    value refused and is not reached at all when a field could not be read. Given ``data``
    (what was structured), every field of such an object that could be read is also checked
    by its own validator, so that every refused value is listed, not only the first.
    """
    errors: list[ValidationError] = []
    if isinstance(exc, IterableValidationError):
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            sub_path = f"{path}[{note.index!r}]"
            errors.extend(_branch(sub, note.type, sub_path, location, _item(data, note.index)))
        errors.extend(_leaf(sub, exc.cl, path, location, own_field=True) for sub in without)
    elif isinstance(exc, ClassValidationError):
        with_notes_c, without_c = exc.group_exceptions()
        keys = _DOCUMENT_KEYS_OF.get(exc.cl, {})
        for sub, attr_note in with_notes_c:
            key = keys.get(attr_note.name, attr_note.name)
            sub_path = f"{path}.{key}"
            errors.extend(_branch(sub, attr_note.type, sub_path, location, _item(data, key)))
        checked = _validator_errors(exc.cl, data, {note.name for _, note in with_notes_c})
        if checked and all(isinstance(sub, RandcheckError) and sub.field for sub in without_c):
            # The constructor's first refusal is among the values checked one by one.
            without_c = checked
        elif not without_c:
            without_c = checked
        errors.extend(_leaf(sub, exc.cl, path, location, own_field=True) for sub in without_c)
    else:
        errors.append(_leaf(exc, None, path, location, own_field=True))
    return errors


def _item(data: Any, key: Any) -> Any:
    """``data[key]``, or no data where ``data`` holds none under ``key``."""
    try:
        return data[key]
    except (KeyError, IndexError, TypeError):
        return _NO_DATA


def _validator_errors(cls: Any, data: Any, skipped: Collection[str]) -> list[Exception]:
    """What the validators of the attrs class ``cls`` refuse among the values in ``data``
    (a document object), each field read on its own; fields in ``skipped``, absent or that
    cannot be read are not checked. A validator is given the fields read so far as its
    instance, for a check that looks at another field."""
    if data is _NO_DATA or not isinstance(data, dict) or not attrs.has(cls):
        return []
    try:
        hints = get_type_hints(cls)
    except Exception:  # a type that cannot be resolved here: nothing more can be said
        return []
    keys = _DOCUMENT_KEYS_OF.get(cls, {})
    values: dict[str, Any] = {}
    for field in attrs.fields(cls):
        key = keys.get(field.name, field.name)
        if field.name in skipped or key not in data or field.name not in hints:
            continue
        try:
            value = converter.structure(data[key], hints[field.name])
            if field.converter is not None:
                value = field.converter(value)
        except Exception:  # reported where the field is read, or by the constructor
            continue
        values[field.name] = value
    instance = SimpleNamespace(**values)
    refused: list[Exception] = []
    for field in attrs.fields(cls):
        if field.validator is None or field.name not in values:
            continue
        try:
            field.validator(instance, field, values[field.name])
        except RandcheckError as exc:
            refused.append(exc)
        except Exception:  # a check that needs a field not read: the constructor's to make
            continue
    return refused


def _branch(
    exc: BaseException, type_: Any, path: str, location: Location | None, data: Any = _NO_DATA
) -> list[ValidationError]:
    if isinstance(exc, BaseValidationError):
        return structuring_errors(exc, path, location, data=data)
    return [_leaf(exc, type_, path, location, own_field=False)]


def _type_name(cls: Any) -> str:
    if isinstance(cls, type) and get_origin(cls) is None:
        return cls.__name__
    # ``list[randcheck.domain.Enterprise]`` reads better as ``list[Enterprise]``.
    return re.sub(r"\b(?:\w+\.)+(\w+)", r"\1", str(cls))


def unstructure(value: Any) -> Any:
    """``value`` as JSON-ready data (dicts, lists, strings, integers, booleans, ``None``)."""
    return converter.unstructure(value)


def structure(
    data: Any,
    cls: type[T],
    *,
    path: str = "$",
    source: str | None = None,
    line: int | None = None,
) -> T:
    """Build a ``cls`` from JSON-ready ``data``.

    Args:
        data: what :func:`unstructure` produced (or ``json.loads`` of canonical JSON).
        cls: the target type, e.g. ``Enterprise`` or ``list[Enterprise]``.
        path: the JSON path of ``data`` inside its document, for messages.
        source: the file it came from, for messages.
        line: the line in ``source``, for messages (JSON Lines).

    Raises:
        InputFileError: ``errors`` lists one :class:`ValidationError` per problem, each with
            its JSON path in ``field`` and at the end of its message.
    """
    try:
        return converter.structure(data, cls)
    except (BaseValidationError, ValueError, TypeError, RecursionError) as exc:
        location = None if source is None and line is None else Location(file=source, line=line)
        errors = structuring_errors(exc, path, location, data=data)
        where = source if source is not None else "data"
        raise InputFileError(
            f"无法读取数据 / cannot read {_type_name(cls)} from {where}: {len(errors)} error(s)",
            errors=errors,
            location=location,
        ) from exc


# --- canonical text --------------------------------------------------------------------------


# The types a JSON-ready value most often has, exactly: values of only these types (dicts with
# string keys) are JSON-ready without the walk that names where a problem is.
_JSON_SCALARS = frozenset({str, int, bool, type(None)})


def _json_ready(value: Any) -> bool:
    """Whether ``value`` is built of exactly dicts with ``str`` keys, lists, tuples, ``str``,
    ``int``, ``bool`` and ``None`` (``False`` leaves it to :func:`_check_json_ready`, which
    accepts subclasses too)."""
    kind = type(value)
    if kind in _JSON_SCALARS:
        return True
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str or (type(item) not in _JSON_SCALARS and not _json_ready(item)):
                return False
        return True
    if kind is list or kind is tuple:
        for item in value:
            if type(item) not in _JSON_SCALARS and not _json_ready(item):
                return False
        return True
    return False


def _check_json_ready(value: Any, path: str) -> None:
    if _json_ready(value):
        return
    _check_json_parts(value, path)


def _check_json_parts(value: Any, path: str) -> None:
    if isinstance(value, float):
        raise ValidationError(
            f"canonical JSON holds no floats; use a Fraction rendered as 'p/q' (at {path})",
            field=path,
            expected="no float",
            got=value,
        )
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValidationError(
                    f"canonical JSON object keys are strings (at {path})",
                    field=path,
                    expected="a string key",
                    got=key,
                )
            _check_json_parts(item, f"{path}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_json_parts(item, f"{path}[{index}]")
    elif value is not None and not isinstance(value, str | int):
        raise ValidationError(
            f"not JSON-ready data; unstructure it first (at {path})",
            field=path,
            expected="dict, list, str, int, bool or None",
            got=type(value).__name__,
        )


def canonical_json(data: Any) -> str:
    """The canonical JSON text of JSON-ready ``data`` (sorted keys, compact, no floats).

    Raises:
        ValidationError: ``data`` holds a float, a non-string key or a value that is not
            JSON-ready (e.g. a ``Fraction`` or ``date`` not yet unstructured).
    """
    _check_json_ready(data, "$")
    return ready_json(data)


def ready_json(data: Any) -> str:
    """:func:`canonical_json` of ``data`` known to hold only JSON values (parsed from JSON,
    or written by a record), without the walk that checks it."""
    if _orjson is not None:
        try:
            return _orjson.dumps(data, option=_orjson.OPT_SORT_KEYS).decode("utf-8")
        except TypeError:  # an integer beyond 64 bits, a lone surrogate, deep nesting
            pass
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_bytes(data: Any) -> bytes:
    """UTF-8 bytes of :func:`canonical_json`."""
    return canonical_json(data).encode("utf-8")


def digest(data: Any) -> str:
    """``"sha256:<hex>"`` of the canonical bytes of JSON-ready ``data``."""
    return "sha256:" + hashlib.sha256(canonical_bytes(data)).hexdigest()


_DIGEST_FORM = re.compile(r"sha256:[0-9a-f]{64}")


def is_digest(value: object) -> bool:
    """Whether ``value`` is a digest as every randcheck record writes one: ``"sha256:"`` and
    64 lower-case hexadecimal digits."""
    return isinstance(value, str) and _DIGEST_FORM.fullmatch(value) is not None


# --- documents -------------------------------------------------------------------------------


@runtime_checkable
class Record(Protocol):
    """The one protocol of every published randcheck record.

    :class:`~randcheck.sampling.Frame`, :class:`~randcheck.sampling.Commitment`,
    :class:`~randcheck.sampling.DrawRecord`, :class:`~randcheck.dispatch.DispatchRecord`,
    :class:`~randcheck.ledger.Ledger` and :class:`~randcheck.validators.Report` follow it:

    * ``to_document()`` — the record as a JSON-ready document, exactly what is written to its
      file (:func:`canonical_json` of it is the file's text, save for an audit report, which
      is written indented). Every record but the audit report carries the envelope
      ``{"schema": 1, "kind": ..., "data": ...}`` (:func:`to_document`).
    * ``from_document(document, *, source=None)`` — the record back from that document
      (already parsed from JSON), refusing anything but its exact form; ``source`` names the
      file in error messages.
    * ``digest()`` — ``"sha256:<hex>"``: the SHA-256 of the canonical bytes of the document
      (:func:`digest`), envelope included. One older form is kept, because published
      records and ledgers refer to it: a dispatch record of algorithm
      ``randcheck-dispatch-v1`` has the digest of the ``data`` member of its document only.

    ``from_document(record.to_document())`` equals the record.
    """

    def to_document(self) -> dict[str, Any]:
        """The record as its canonical JSON-ready document."""
        ...  # pragma: no cover

    @classmethod
    def from_document(cls, document: Any, *, source: str | None = None) -> Self:
        """The record read back from :meth:`to_document`'s output.

        Raises:
            ValueError: a :class:`~randcheck.errors.RandcheckError` naming what is wrong.
        """
        ...  # pragma: no cover

    def digest(self) -> str:
        """``"sha256:<hex>"`` of the record's canonical bytes."""
        ...  # pragma: no cover


def to_document(kind: str, value: Any) -> dict[str, Any]:
    """A top-level JSON document: ``{"schema": SCHEMA_VERSION, "kind": kind, "data": ...}``."""
    return {"schema": SCHEMA_VERSION, "kind": kind, "data": unstructure(value)}


def from_document(document: Any, kind: str, cls: type[T], *, source: str | None = None) -> T:
    """Read a document written by :func:`to_document`, checking its schema version and kind.

    Raises:
        InputFileError: the envelope is wrong (not an object, another schema version or kind,
            missing or unknown keys) or ``data`` does not structure as ``cls``, or (for a
            class given to :func:`exact_documents`) is not exactly what ``cls`` writes;
            ``errors`` lists every problem with its JSON path.
    """
    location = None if source is None else Location(file=source)
    errors = envelope_errors(document, kind, keys=_DOCUMENT_KEYS, location=location)
    if errors:
        raise InputFileError(
            f"文档格式不符 / not a randcheck {kind!r} document",
            errors=errors,
            location=location,
        )
    value = structure(document["data"], cls, path="$.data", source=source)
    if cls in _EXACT:
        errors = _exactness_errors(document["data"], value, location)
        if errors:
            raise InputFileError(
                f"文档不是记录的规范形式 / not the canonical {kind!r} document",
                errors=errors,
                location=location,
            )
    return value


def envelope_errors(
    document: Any,
    kind: str,
    *,
    keys: frozenset[str] = _DOCUMENT_KEYS,
    location: Location | None = None,
) -> list[ValidationError]:
    """Problems with the envelope of a document (``schema``, ``kind`` and exactly ``keys``).

    Used for documents (keys ``schema``, ``kind``, ``data``) and for the header line of JSON
    Lines files (keys ``schema``, ``kind``). Empty when the envelope is right.
    """
    if not isinstance(document, dict):
        return [
            ValidationError(
                f"expected a JSON object, got {type(document).__name__} @ $",
                field="$",
                expected="a JSON object",
                got=type(document).__name__,
                location=location,
            )
        ]
    errors: list[ValidationError] = []
    for key in sorted(keys - document.keys()):
        errors.append(
            ValidationError(
                f"required field missing @ $.{key}",
                field=f"$.{key}",
                expected="a value",
                got=None,
                location=location,
            )
        )
    extra = sorted(str(key) for key in document.keys() - keys)
    if extra:
        errors.append(
            ValidationError(
                f"unknown fields {', '.join(extra)} @ $",
                field="$",
                expected="only " + ", ".join(sorted(keys)),
                got=extra,
                location=location,
            )
        )
    schema = document.get("schema")
    if "schema" in document and (type(schema) is not int or schema != SCHEMA_VERSION):
        newer = type(schema) is int and schema > SCHEMA_VERSION
        hint = " (written by a newer randcheck?)" if newer else ""
        errors.append(
            ValidationError(
                f"unsupported schema version {schema!r}{hint} @ $.schema",
                field="$.schema",
                expected=f"schema version {SCHEMA_VERSION}",
                got=schema,
                location=location,
            )
        )
    if "kind" in document and document["kind"] != kind:
        errors.append(
            ValidationError(
                f"expected kind {kind!r}, got {document['kind']!r} @ $.kind",
                field="$.kind",
                expected=kind,
                got=document["kind"],
                location=location,
            )
        )
    return errors


def _first_difference(given: Any, written: Any, path: str) -> tuple[str, Any, Any] | None:
    if isinstance(given, dict) and isinstance(written, dict):
        for key in sorted(given.keys() | written.keys()):
            if key not in written:
                return f"{path}.{key}", None, given[key]
            if key not in given:
                return f"{path}.{key}", written[key], None
            found = _first_difference(given[key], written[key], f"{path}.{key}")
            if found is not None:
                return found
        return None
    if isinstance(given, list) and isinstance(written, list):
        for index, (a, b) in enumerate(zip(given, written, strict=False)):
            found = _first_difference(a, b, f"{path}[{index}]")
            if found is not None:
                return found
        if len(given) != len(written):
            return path, f"{len(written)} items", f"{len(given)} items"
        return None
    if type(given) is not type(written) or given != written:
        return path, written, given
    return None


_EXACT: set[type[Any]] = set()


def exact_documents(cls: type[Any]) -> None:
    """Read documents of ``cls`` only in the form ``cls`` writes them (:func:`from_document`).

    A pinned record (one whose digest is published) must not load from any other text with
    the same meaning — members of a set in another order, a default written out that is
    normally left out, a sorted list unsorted — or its file would differ from the bytes its
    digest covers while it still verified.
    """
    _EXACT.add(cls)


def _exactness_errors(data: Any, value: Any, location: Location | None) -> list[ValidationError]:
    found = _first_difference(data, unstructure(value), "$.data")
    if found is None:
        return []
    path, expected, got = found
    return [
        ValidationError(
            f"not the canonical form of the record: expected {expected!r}, got {got!r} @ {path}",
            field=path,
            expected=f"the canonical form {expected!r}",
            got=got,
            location=location,
        )
    ]
