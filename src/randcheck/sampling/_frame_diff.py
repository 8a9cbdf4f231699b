"""Where two sampling frames place their enterprises differently.

A draw's commitment publishes only the digest of its frame; when the frame rebuilt from a
directory does not match it, every cut-off and drawn unit of a version-2 draw differs too
(the frame's digest is part of each hash input), which says that something changed but not
what. With the published frame at hand, :func:`frame_differences` names the enterprises
themselves: added, removed, or moved to another stratum, weight or exclusion.

Classes whose codes are the same bytes in both frames are skipped whole, so a directory with
one changed row costs the split of the two classes it touches, not one object per enterprise.
"""

from __future__ import annotations

from fractions import Fraction

from randcheck.sampling._common import fraction_text
from randcheck.sampling._frame import Frame
from randcheck.text import Text
from randcheck.verification import Difference

__all__ = ["frame_differences"]

_Place = tuple[str, str]  # (Chinese, English)

_OUT_OF_SCOPE: _Place = ("不在检查对象范围内", "out of scope")


def _classes(frame: Frame) -> dict[tuple[str, Fraction], bytes]:
    return {(s.name, c.weight): c.codes for s in frame.strata for c in s.classes}


def _class_place(stratum: str, weight: Fraction) -> _Place:
    name = stratum or "(all)"
    return (
        f"分层“{name}”、权重{fraction_text(weight)}",
        f"stratum {name!r}, weight {fraction_text(weight)}",
    )


def _capped_place(random_checks: int) -> _Place:
    return (
        f"已达年度上限（本年度已抽查{random_checks}次）",
        f"at the yearly cap ({random_checks} random checks)",
    )


def _places_otherwise(mine: Frame, other: Frame) -> tuple[dict[str, _Place], dict[str, _Place]]:
    """The enterprises each frame places where the other does not, each with its place in the
    frame that holds it there: ``(mine's, other's)``."""
    ours, theirs = _classes(mine), _classes(other)
    only_mine: dict[str, _Place] = {}
    only_other: dict[str, _Place] = {}
    for key in ours.keys() | theirs.keys():
        a, b = ours.get(key, b""), theirs.get(key, b"")
        if a == b:
            continue
        a_codes = set(a.decode("ascii").split('","')) if a else set()
        b_codes = set(b.decode("ascii").split('","')) if b else set()
        place = _class_place(*key)
        only_mine.update((code, place) for code in a_codes - b_codes)
        only_other.update((code, place) for code in b_codes - a_codes)
    for found, frame, rest in ((only_mine, mine, other), (only_other, other, mine)):
        out_of_scope = set(rest.out_of_scope)
        found.update(
            (code, _OUT_OF_SCOPE) for code in frame.out_of_scope if code not in out_of_scope
        )
        capped = set(rest.cap_reached)
        found.update(
            (unit.uscc, _capped_place(unit.random_checks))
            for unit in frame.cap_reached
            if unit not in capped
        )
    return only_mine, only_other


def frame_differences(published: Frame, rebuilt: Frame) -> tuple[Difference, ...]:
    """Each enterprise that ``rebuilt`` (from the files given) places otherwise than
    ``published`` (the frame a commitment was made to), by USCC.

    A difference's path is ``frame[<USCC>]``; ``expected`` is its place in ``rebuilt`` and
    ``got`` its place in ``published`` — a stratum and weight, ``out of scope`` or ``at the
    yearly cap (n random checks)`` — or ``None`` where that frame does not hold it.

    Returns:
        the differences, sorted by USCC; empty when both frames place every enterprise alike.
    """
    given, committed = _places_otherwise(rebuilt, published)
    differences = []
    for code in sorted(given.keys() | committed.keys()):
        a, b = given.get(code), committed.get(code)
        zh_a, en_a = ("没有该企业", "absent") if a is None else (f"为{a[0]}", a[1])
        zh_b, en_b = ("没有该企业", "absent") if b is None else (f"为{b[0]}", b[1])
        differences.append(
            Difference(
                path=f"frame[{code}]",
                expected=None if a is None else en_a,
                got=None if b is None else en_b,
                message=Text(
                    zh=f"企业{code}：由所给文件生成的抽查名录中{zh_a}，已公布的抽查名录中{zh_b}",
                    en=f"{code}: {en_a} in the frame built from the files given, {en_b} in "
                    "the published frame",
                ),
            )
        )
    return tuple(differences)
