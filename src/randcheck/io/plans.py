"""Plans written by people: read strictly, with the spellings the directories accept.

A plan (:class:`~randcheck.domain.Plan`) is a JSON document ``{"schema": 1, "kind": "plan",
"data": {...}}``, documented by the JSON Schema shipped at ``randcheck/schemas/plan.schema.json``
(:func:`plan_schema`) and in ``docs/plans.md``. Unlike a record, whose bytes are what its digest
pins and so are read in canonical form only, a plan is input a person writes, so a few spellings
are read as their canonical form, each said in one :class:`PlanWarning`:

* ``line`` by the Chinese name of one of the profile's lines (``劳动保障监察`` →
  ``labour-inspection``), matched as the directories match it (a line that names none is left
  as written, for the step that applies the plan to judge under its profile);
* ratios (``ratio``, the values of ``stratum_ratios``, ``cross_district`` bounds) as a
  percentage (``3%``), a fraction not in lowest terms (``6/200``), a decimal (``0.05``, as text
  or as a JSON number, read exactly from its decimal digits) or a whole number (``1``);
* ``stratum_ratios`` as an object ``{"和平区": "5%"}`` besides the canonical list of pairs.

Anything else is read as strictly as any document: unknown keys, wrong types, bad dates,
values out of range and (given a profile) unknown lines and stratum keys are errors with their
JSON path, all reported together: each key is read on its own by the :class:`Plan`'s own
converters and validators, so that one bad value does not hide the next.

A plan file is JSON; ``randcheck plan new --from plan.toml --out plan.json`` turns a plan
written in TOML into one.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import unicodedata
import warnings
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from importlib import resources
from typing import Any

import attrs

from randcheck.canonical import canonical_json, envelope_errors, from_document, unstructure
from randcheck.domain import Plan
from randcheck.errors import InputFileError, Location, RandcheckError, ValidationError
from randcheck.io.files import PathLike, _read_bytes
from randcheck.io.json_documents import _decode_json_bytes, _parse_json_text
from randcheck.profiles import TIANJIN_HRSS, Profile
from randcheck.sampling import DrawRecord, PlanParameters
from randcheck.text import Text

__all__ = [
    "PLAN_KIND",
    "PlanWarning",
    "load_plan",
    "normalise_plan_data",
    "parse_ratio",
    "plan_schema",
    "read_plan",
    "require_draw_plan",
    "structure_plan",
]

PLAN_KIND = "plan"
"""The ``kind`` of a plan's JSON document."""


class PlanWarning(UserWarning):
    """A plan was read with some values spelled otherwise than in canonical form."""


_PERCENT = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*%")
_FRACTION = re.compile(r"(-?[0-9]+)\s*/\s*([0-9]+)")
_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_RATIO_EXPECTED = "a ratio: 'p/q' (canonical), a percentage '3%', or a decimal 0.05"


def parse_ratio(value: Any) -> Fraction:
    """A ratio as a person writes it: ``"3/100"``, ``"6/200"``, ``"3%"``, ``"0.03"``, ``0.03``
    or ``1``, exactly (a JSON number is read from its shortest decimal form).

    Raises:
        ValidationError: not one of these forms, or a zero denominator.
    """
    if isinstance(value, bool):
        raise ValidationError(expected=_RATIO_EXPECTED, got=value)
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        text = repr(value)
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
    else:
        raise ValidationError(expected=_RATIO_EXPECTED, got=value)
    try:
        if match := _PERCENT.fullmatch(text):
            return Fraction(Decimal(match[1])) / 100
        if match := _FRACTION.fullmatch(text):
            return Fraction(int(match[1]), int(match[2]))
        if _DECIMAL.fullmatch(text) or isinstance(value, float):
            return Fraction(Decimal(text))
    except (ZeroDivisionError, InvalidOperation, ValueError):
        pass
    raise ValidationError(expected=_RATIO_EXPECTED, got=value)


def _canonical(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def normalise_plan_data(
    data: Any, profile: Profile | None = None, *, path: str = "$.data", known_line: bool = False
) -> tuple[Any, list[str], list[ValidationError]]:
    """``data`` (a plan's ``data`` object as parsed from JSON or TOML) with each value in the
    spellings above put in canonical form.

    Returns the new data, a note for each value changed (``$.data.ratio: '3%' → '3/100'``) and
    an error for each value that is in none of the forms (a ratio that is no ratio; with
    ``known_line``, a line the profile does not have — otherwise such a line is left for the
    step that applies the plan to judge, as it always was; with ``known_line``, too, a stratum
    key the profile does not stratify by). Other keys are left for the strict reading to judge.
    """
    if not isinstance(data, dict):
        return data, [], []
    the_profile = profile or TIANJIN_HRSS
    out = dict(data)
    notes: list[str] = []
    errors: list[ValidationError] = []

    def ratio(value: Any, where: str) -> Any:
        if isinstance(value, str) and _canonical_text(value):
            return value
        try:
            parsed = parse_ratio(value)
        except ValidationError as exc:
            errors.append(
                ValidationError(
                    f"{where}: expected {exc.expected}, got {value!r}",
                    field=where,
                    expected=exc.expected,
                    got=value,
                )
            )
            return value
        text = _canonical(parsed)
        notes.append(f"{where}: {value!r} → {text!r}")
        return text

    if "line" in out and isinstance(out["line"], str):
        found = _line(out["line"], the_profile, f"{path}.line", notes)
        if found is None and known_line:
            errors.append(_unknown_line(out["line"], the_profile, f"{path}.line"))
        out["line"] = found or out["line"]
    strata = out.get("strata")
    if known_line and isinstance(strata, list):
        errors.extend(
            _unknown_stratum_key(key, the_profile, f"{path}.strata[{k}]")
            for k, key in enumerate(strata)
            if isinstance(key, str) and key not in the_profile.stratum_keys
        )
    if "ratio" in out and out["ratio"] is not None:
        out["ratio"] = ratio(out["ratio"], f"{path}.ratio")
    pairs = out.get("stratum_ratios")
    if isinstance(pairs, dict):
        notes.append(f"{path}.stratum_ratios: an object → a list of [stratum, ratio] pairs")
        pairs = [[name, value] for name, value in pairs.items()]
    if isinstance(pairs, list):
        out["stratum_ratios"] = [
            [pair[0], ratio(pair[1], f"{path}.stratum_ratios[{k}][1]")]
            if isinstance(pair, list) and len(pair) == 2
            else pair
            for k, pair in enumerate(pairs)
        ]
    bounds = out.get("cross_district")
    if isinstance(bounds, dict):
        out["cross_district"] = {
            key: ratio(value, f"{path}.cross_district.{key}")
            if key in ("minimum", "maximum")
            else value
            for key, value in bounds.items()
        }
    return out, notes, errors


_CANONICAL = re.compile(r"(0|-?[1-9][0-9]*)/([1-9][0-9]*)", re.ASCII)


def _canonical_text(text: str) -> bool:
    match = _CANONICAL.fullmatch(text)
    return match is not None and _canonical(Fraction(int(match[1]), int(match[2]))) == text


def _line(text: str, profile: Profile, where: str, notes: list[str]) -> str | None:
    """The id of the profile's line ``text`` names by id or Chinese name, or ``None``."""
    if text in {line.id for line in profile.lines}:
        return text
    key = unicodedata.normalize("NFKC", text).strip().casefold()
    for line in profile.lines:
        if key in (line.id.casefold(), unicodedata.normalize("NFKC", line.name.zh).casefold()):
            notes.append(f"{where}: {text!r} → {line.id!r}")
            return line.id
    return None


def _did_you_mean(text: str, choices: dict[str, str]) -> str:
    """`` (did you mean 'x'?)`` where ``text`` is close to one of ``choices`` (spelling →
    what to suggest), else nothing."""
    close = difflib.get_close_matches(text, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {choices[close[0]]!r}?)" if close else ""


def _unknown_line(text: str, profile: Profile, where: str) -> ValidationError:
    known = ", ".join(f"{line.id} ({line.name.zh})" for line in profile.lines)
    spellings = {line.id: line.id for line in profile.lines}
    spellings.update({line.name.zh: line.id for line in profile.lines})
    return ValidationError(
        f"{where}: 政策配置 {profile.name} 中没有执法条线 {text!r} / unknown line {text!r}"
        f"{_did_you_mean(text, spellings)}; the profile {profile.name} has: {known}",
        field=where,
        expected=f"a line of {profile.name}: {known}",
        got=text,
    )


def _unknown_stratum_key(key: str, profile: Profile, where: str) -> ValidationError:
    allowed = sorted(profile.stratum_keys)
    return ValidationError(
        f"{where}: 政策配置 {profile.name} 不允许按 {key!r} 分层 / profile {profile.name} does "
        f"not stratify by {key!r}{_did_you_mean(key, {k: k for k in allowed})}; "
        f"its stratum keys: {', '.join(allowed)}",
        field=where,
        expected="one of " + ", ".join(allowed),
        got=key,
    )


def read_plan(text: str, *, source: str = "<string>", profile: Profile | None = None) -> Plan:
    """A :class:`~randcheck.domain.Plan` from the text of a plan document (module docstring).

    Args:
        text: the JSON text.
        source: the name used in messages.
        profile: whose lines ``line`` may name (default ``cn-tj-hrss``); given, a line or
            stratum key it does not know is an error here, with the file and the JSON path.

    Raises:
        InputFileError: not a plan document, or a value in no accepted form; ``errors`` lists
            every problem with its JSON path.

    Warns:
        PlanWarning: once, listing every value read in another spelling than the canonical.
    """
    document = _parse_json_text(text, source)
    notes: list[str] = []
    problems: list[ValidationError] = []
    written = document.get("data") if isinstance(document, dict) else None
    if isinstance(document, dict) and "data" in document:
        data, notes, problems = normalise_plan_data(
            document["data"], profile, known_line=profile is not None
        )
        document = {**document, "data": data}
    plan = structure_plan(document, problems, source, written=written)
    if notes:
        warnings.warn(
            PlanWarning(
                f"{source}: 计划中的写法已规范 / read in canonical form: " + "; ".join(notes)
            ),
            stacklevel=2,
        )
    return plan


# What a required key holds while another key is read on its own. The year 0 is no plan's
# year, so windows are judged against the plan's own year only when all keys are read
# together; a stand-in's own refusal is not the read key's problem and is set aside.
_STAND_INS: dict[str, Any] = {"code": "-", "year": 0, "line": "-"}


def _key_of(error: RandcheckError) -> str:
    """The key of a plan's ``data`` an error's JSON path is under (``""`` for none)."""
    path = str(error.field or "").removeprefix("$.data").removeprefix(".")
    return path.split(".")[0].split("[")[0]


def structure_plan(
    document: Any, problems: list[ValidationError], source: str, *, written: Any = None
) -> Plan:
    """The plan of ``document`` (normalised), or every problem at once: ``problems`` (from
    :func:`normalise_plan_data`) and whatever the strict reading finds in the rest.

    Each key of ``data`` is read on its own (with stand-ins for the other required keys) by
    the :class:`~randcheck.domain.Plan`'s converters and validators, which stop at the first
    problem; what is read well is then read together, for missing keys and the checks that
    span keys (windows within the plan's year, the draw's
    :class:`~randcheck.sampling.PlanParameters`).

    ``written`` is the plan's ``data`` as the person wrote it, before
    :func:`normalise_plan_data`: a value refused after it was put in canonical form is then
    said as written (``got '150%' (read as 3/2)``), with ``got`` the value written.

    Raises:
        InputFileError: any problem; ``errors`` lists them all with their JSON paths.
    """
    location = Location(file=source)
    errors: list[RandcheckError] = [problem.at(location) for problem in problems]
    data = document.get("data") if isinstance(document, dict) else None
    standing_in: set[str] = set()
    if isinstance(data, dict) and not envelope_errors(document, PLAN_KIND):
        bad = {_key_of(problem) for problem in problems}
        for key, value in data.items():
            if key in bad:
                continue
            others = _STAND_INS.keys() - {key}
            found = [
                error
                for error in _document_errors(
                    {**document, "data": {**_STAND_INS, key: value}}, source
                )
                if _key_of(error) not in others
            ]
            if found:
                bad.add(key)
                errors.extend(found)
        # The rest is read together; a required key already reported stands in with a
        # placeholder, and one missing is left missing so that it is reported too.
        rest = {k: v for k, v in data.items() if k not in bad}
        standing_in = {k for k in _STAND_INS if k in bad and k in data}
        rest.update({k: _STAND_INS[k] for k in standing_in})
        document = {**document, "data": rest}
    plan: Plan | None = None
    try:
        plan = from_document(document, PLAN_KIND, Plan, source=source)
    except InputFileError as exc:
        errors.extend(e for e in exc.errors or [exc] if _key_of(e) not in standing_in)
    if plan is not None and not errors:
        try:
            PlanParameters.from_plan(plan)
        except ValidationError as exc:
            where = f"$.data.{exc.field}"
            errors.append(
                ValidationError(
                    f"{exc.message} @ {where}",
                    field=where,
                    expected=exc.expected,
                    got=exc.got,
                    location=location,
                )
            )
    if isinstance(written, dict) and isinstance(data, dict):
        errors = [_as_written(error, written, data) for error in errors]
    if errors or plan is None:
        raise InputFileError(
            f"无法读取计划 / cannot load the plan {source}: {len(errors)} error(s)",
            errors=errors,
            location=location,
        )
    return plan


_STEP = re.compile(r"\.([^.\[]+)|\[([^\]]*)\]")
_MISSING: Any = object()


def _written_at(path: str, written: dict[str, Any]) -> Any:
    """The value at the JSON ``path`` (``$.data.stratum_ratios[和平区]``) in the ``data`` a
    person wrote, or ``_MISSING``. A stratum ratio is named by its stratum, in either form."""
    value: Any = written
    for match in _STEP.finditer(path.removeprefix("$.data")):
        key, index = match[1], match[2]
        if isinstance(value, dict) and key is not None:
            value = value.get(key, _MISSING)
            continue
        if isinstance(value, dict) and index is not None:
            # {"和平区": "5%"} is read as the list of pairs [["和平区", "5%"]], in its order.
            value = [[name, item] for name, item in value.items()]
        if not isinstance(value, list) or index is None:
            return _MISSING
        if index.isdigit() and int(index) < len(value):
            value = value[int(index)]
            continue
        pair = next((p for p in value if isinstance(p, list) and p[:1] == [index]), None)
        if pair is None or len(pair) != 2:
            return _MISSING
        value = pair[1]
    return value


def _as_written(
    error: RandcheckError, written: dict[str, Any], normalised: dict[str, Any]
) -> RandcheckError:
    """``error`` saying the value the person wrote where the plan read it in another form
    (``'150%'`` for ``3/2``: ``written`` and ``normalised`` differ at its path); the value
    read is kept in the message."""
    if not isinstance(error, ValidationError) or error.field is None:
        return error
    path = str(error.field)
    got = error.got
    bound = re.fullmatch(r"\$\.data\.cross_district\.(?:minimum|maximum)", path)
    if bound is not None:
        # The bounds are refused together, as "minimum..maximum".
        path = "$.data.cross_district"
    if _written_at(path, written) == _written_at(path, normalised):
        return error
    shown = _written_at(path, written)
    if bound is not None:
        parts = str(got).split("..")
        if not isinstance(shown, dict) or len(parts) != 2:
            return error
        shown = "..".join(
            str(shown.get(name, part))
            for name, part in zip(("minimum", "maximum"), parts, strict=True)
        )
    if shown is _MISSING or str(shown) == str(got):
        return error
    message = error.message.replace(f"got {got!r}", f"got {shown!r} (read as {got})", 1)
    return type(error)(
        message, field=error.field, expected=error.expected, got=shown, location=error.location
    )


def _document_errors(document: Any, source: str) -> list[RandcheckError]:
    try:
        from_document(document, PLAN_KIND, Plan, source=source)
    except InputFileError as exc:
        return list(exc.errors or [exc])
    return []


def load_plan(path: PathLike, *, profile: Profile | None = None) -> Plan:
    """A plan from a JSON file (UTF-8); see :func:`read_plan`.

    A plan file is JSON: a ``.toml`` file is refused with the command that turns it into one
    (``randcheck plan new --from plan.toml --out plan.json``), which also says every value
    written otherwise than in canonical form.

    Raises:
        InputFileError: the file cannot be read, is a TOML file, or holds no valid plan.
    """
    source = os.fspath(path)
    if source.lower().endswith(".toml"):
        location = Location(file=source)
        error = ValidationError(
            f"计划文件须为 JSON / a plan file is JSON, not TOML: "
            f"`randcheck plan new --from {source} --out plan.json` writes the plan {source} "
            f"describes as one",
            expected="a plan document in JSON",
            got=source,
            location=location,
        )
        raise InputFileError(error.message, errors=[error], location=location)
    return read_plan(_decode_json_bytes(_read_bytes(path), source), source=source, profile=profile)


def require_draw_plan(plan: Plan, record: DrawRecord) -> None:
    """Check that ``plan`` is the plan ``record`` was drawn under: the same code and year, and
    the same sampling parameters (:class:`~randcheck.sampling.PlanParameters`) as the record
    carries.

    Raises:
        ValidationError: another code or year (both codes named), or a parameter that differs
            (named, with both values).
    """
    if plan.code != record.plan or plan.year != record.parameters.year:
        raise ValidationError(
            Text(
                zh=f"计划 {plan.code}（{plan.year}）不是抽取记录的计划 {record.plan}",
                en=f"plan {plan.code} ({plan.year}) is not the draw record's plan {record.plan}",
            ),
            field="plan",
            expected=record.plan,
            got=plan.code,
        )
    parameters = PlanParameters.from_plan(plan)
    for field in attrs.fields(PlanParameters):
        mine, theirs = getattr(parameters, field.name), getattr(record.parameters, field.name)
        if mine != theirs:
            raise ValidationError(
                Text(
                    zh=f"计划 {plan.code} 的 {field.name} 与抽取记录所载不同："
                    f"{_shown(mine)}，记录为 {_shown(theirs)}",
                    en=f"plan {plan.code}'s {field.name} is not the draw record's: "
                    f"{_shown(mine)} here, {_shown(theirs)} in the record",
                ),
                field=f"plan.{field.name}",
                expected=_shown(theirs),
                got=_shown(mine),
            )


def _shown(value: Any) -> str:
    return canonical_json(unstructure(value))


def plan_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a plan document, as shipped with the package."""
    text = resources.files("randcheck").joinpath("schemas/plan.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
