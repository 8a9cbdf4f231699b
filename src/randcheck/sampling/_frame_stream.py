"""The sampling frame built from a directory read in batches of codes, in compact form.

:func:`~randcheck.sampling.build_frame` takes :class:`~randcheck.domain.Enterprise` objects and
keeps a Python string per code until the frame is built. :func:`build_frame_from_batches`
takes the batches of :class:`randcheck.io.streaming.EnterpriseStream` — codes, with an
enterprise shared by every row with the same place cells — and keeps, per place, the codes as
bytes (19 bytes each) until the end, where each class is sorted and joined as the frame stores
it. The frame
is the one ``build_frame`` builds from the same directory: each representative is placed by
the same function (``_placer``), and the frame is constructed by the same class with the same
checks.

The order in which problems are reported is that of the command-line steps it replaces —
loading the directory, then the history, then ``build_frame``: an error of the directory comes
before an error of the history, which comes before an error of the plan or of a stratum value;
a warning of ``build_frame`` is given only once the directory and the history have loaded.
"""

from __future__ import annotations

import warnings
from bisect import bisect_left
from collections.abc import Callable, Iterable
from fractions import Fraction
from itertools import chain, islice
from typing import NoReturn

from randcheck.domain import Enterprise, Plan
from randcheck.errors import ValidationError
from randcheck.io.streaming import Batch
from randcheck.profiles import Profile
from randcheck.sampling._common import DRAW_ALGORITHM_VERSION, USCC_LENGTH
from randcheck.sampling._frame import (
    _CHECKED,
    _JOINED_CODES,
    CappedUnit,
    Frame,
    FrameStratum,
    History,
    PlanParameters,
    WeightClass,
    _bad_code,
    _capped_counts,
    _duplicates,
    _frame_parameters,
    _grade_weights,
    _placer,
)
from randcheck.sampling._probabilities import warn_if_strata_cancel_grades

__all__ = ["build_frame_from_batches"]

_CODE_BYTES = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_SEPARATOR = b'","'
_CODE_STRIDE = USCC_LENGTH + len(_SEPARATOR)
# Repeated codes are looked for one range of values at a time, of about this many codes: a set
# of every code would add half again to the memory the codes themselves take, a set of one
# range is small, and equal codes fall in the same range.
_RANGE_CODES = 1 << 18
# One code in this many, from every sorted run, is sampled to place the ranges' bounds.
_SAMPLE_STRIDE = 64


def _no_history() -> History | None:
    return None


def build_frame_from_batches(
    batches: Iterable[Batch],
    plan: Plan | PlanParameters,
    profile: Profile,
    *,
    history: Callable[[], History | None] = _no_history,
    round: int = 1,
    version: int = DRAW_ALGORITHM_VERSION,
    duplicate: Callable[[], NoReturn] | None = None,
) -> Frame:
    """The frame :func:`~randcheck.sampling.build_frame` builds from the same directory.

    Args:
        batches: the rows, read once: in each batch, pairs ``(representative, lines)`` of an
            enterprise with the rows' place (district, industry, grade, classes, risk flags)
            and the rows' codes, each followed by ``"\\n"``
            (:meth:`randcheck.io.streaming.EnterpriseStream.batches`).
        plan, profile, round, version: as for ``build_frame``.
        history: called once, after ``batches`` are read, for the year's random checks.
        duplicate: called when a code appears twice, to report it as the directory's loader
            does (with the lines); without it, ``build_frame``'s error is raised.

    Raises:
        ValidationError: as ``build_frame``; whatever ``batches``, ``history`` and ``duplicate``
            raise, in that order.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            parameters = _frame_parameters(plan, profile)
            warn_if_strata_cancel_grades(parameters, profile.grading.id, _grade_weights(profile))
        except ValidationError as exc:
            setup_error: ValidationError | None = exc
        else:
            setup_error = None
    if setup_error is not None:
        codes = bytearray()
        for batch in batches:
            for _, lines in batch:
                codes.extend(lines.encode("ascii", "replace"))
        if duplicate is not None and _repeated({}, codes):
            duplicate()
        del codes
        history()
        raise setup_error

    placer = _placer(parameters, profile)
    buffers: dict[tuple[str, Fraction] | None, bytearray] = {}
    # By the representative's id; the representative is kept, so that its id is never reused.
    places: dict[int, tuple[Enterprise, bytearray]] = {}
    place_error: ValidationError | None = None
    # The codes of rows that could not be placed: still looked at for duplicates, which the
    # directory's loader reports before anything build_frame says.
    unplaced = bytearray()
    for batch in batches:
        for representative, lines in batch:
            found = places.get(id(representative))
            if found is None:
                try:
                    key = placer(representative)
                except ValidationError as exc:
                    place_error = place_error or exc
                    found = places[id(representative)] = (representative, unplaced)
                else:
                    buffer = buffers.get(key)
                    if buffer is None:
                        buffer = buffers[key] = bytearray()
                    found = places[id(representative)] = (representative, buffer)
            found[1].extend(lines.encode("ascii", "replace"))
    groups = _sorted_groups(buffers)
    # Once, on every code: taking out the capped codes later changes none of them.
    repeated = _repeated(groups, unplaced)
    if repeated and duplicate is not None:
        duplicate()
    del unplaced
    capped = _capped_counts(history(), parameters, profile)
    for warning in caught:
        warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    if place_error is not None:
        raise place_error
    if repeated:
        every = sorted(chain.from_iterable(groups.values()))
        found_twice = [
            a.decode() for a, b in zip(every, islice(every, 1, None), strict=False) if a == b
        ]
        raise _duplicates(found_twice)
    return _assemble(groups, capped, parameters, profile, round, version)


def _sorted_groups(
    buffers: dict[tuple[str, Fraction] | None, bytearray],
) -> dict[tuple[str, Fraction] | None, list[bytes]]:
    """The codes of each place, sorted (the buffers are emptied as they are read)."""
    groups: dict[tuple[str, Fraction] | None, list[bytes]] = {}
    for key in list(buffers):
        parts = bytes(buffers.pop(key)).split(b"\n")
        parts.pop()
        parts.sort()
        groups[key] = parts
    return groups


def _repeated(
    groups: dict[tuple[str, Fraction] | None, list[bytes]],
    more: bytes | bytearray = b"",
    *,
    range_codes: int = _RANGE_CODES,
    stride: int = _SAMPLE_STRIDE,
) -> bool:
    """Whether a code appears twice among ``groups`` (each sorted) and the lines ``more``,
    looked for in ranges of about ``range_codes`` codes, bounded by every ``range_codes //
    stride``-th of a sample of one code in ``stride`` (``1 <= stride <= range_codes``)."""
    runs = [parts for parts in groups.values() if parts]
    if more:
        lines = bytes(more).split(b"\n")[:-1]
        lines.sort()
        runs.append(lines)
    total = sum(map(len, runs))
    if total <= range_codes:
        return len(set(chain.from_iterable(runs))) != total
    # Bounds at quantiles of a sample: ranges of about _RANGE_CODES codes, whatever the codes.
    sample = sorted(chain.from_iterable(run[::stride] for run in runs))
    step = range_codes // stride
    bounds = sample[step::step]
    # Where each bound falls in each run: the range r of a run is run[cuts[r]:cuts[r + 1]].
    cuts = [[0, *(bisect_left(run, bound) for bound in bounds), len(run)] for run in runs]
    for r in range(len(bounds) + 1):
        seen: set[bytes] = set()
        count = 0
        for run, cut in zip(runs, cuts, strict=True):
            low, high = cut[r], cut[r + 1]
            if low < high:
                seen.update(run[low:high])
                count += high - low
        if len(seen) != count:
            return True
    return False


def _well_formed(joined: bytes) -> bool:
    """Whether ``joined`` matches ``_JOINED_CODES``, codes of 18 characters from 0-9 and A-Z
    joined by ``","``, by a few C-level passes instead of the regular expression: its length
    is that of ``n`` codes, the separators stand where they must, and every other byte is
    one of a code."""
    count, rest = divmod(len(joined) + len(_SEPARATOR), _CODE_STRIDE)
    gaps = count - 1
    return (
        count > 0
        and not rest
        and joined[USCC_LENGTH::_CODE_STRIDE] == b'"' * gaps
        and joined[USCC_LENGTH + 1 :: _CODE_STRIDE] == b"," * gaps
        and joined[USCC_LENGTH + 2 :: _CODE_STRIDE] == b'"' * gaps
        and joined.count(b'"') == 2 * gaps
        and joined.count(b",") == gaps
        and not joined.translate(None, _CODE_BYTES + _SEPARATOR)
    )


def _assemble(
    groups: dict[tuple[str, Fraction] | None, list[bytes]],
    capped: dict[str, int],
    parameters: PlanParameters,
    profile: Profile,
    round: int,
    version: int,
) -> Frame:
    """The frame from the sorted codes of each place (``None``: out of scope)."""
    capped_codes = {code.encode("ascii", "replace"): count for code, count in capped.items()}
    capped_found: list[CappedUnit] = []
    for key, parts in groups.items():
        if key is not None and capped_codes:
            kept = []
            for code in parts:
                count = capped_codes.get(code)
                if count is None:
                    kept.append(code)
                else:
                    capped_found.append(CappedUnit(uscc=code.decode(), random_checks=count))
            groups[key] = kept
    token = _CHECKED.set(True)
    try:
        by_stratum: dict[str, list[WeightClass]] = {}
        out_of_scope: list[str] = []
        for key in list(groups):
            parts = groups.pop(key)
            if key is None:
                out_of_scope = [code.decode("ascii") for code in parts]
                continue
            if not parts:
                continue
            name, weight = key
            joined = _SEPARATOR.join(parts)
            del parts
            if not _well_formed(joined):
                bad = next(c for c in joined.split(b'","') if _JOINED_CODES.fullmatch(c) is None)
                raise _bad_code(bad.decode("ascii", "replace"))
            by_stratum.setdefault(name, []).append(WeightClass(weight=weight, codes=joined))
        return Frame(
            profile=profile.name,
            parameters=parameters,
            round=round,
            version=version,
            strata=[FrameStratum(name=n, classes=c) for n, c in by_stratum.items()],
            out_of_scope=out_of_scope,
            cap_reached=capped_found,
        )
    finally:
        _CHECKED.reset(token)
