"""One result type for every ``verify``: a :class:`Verification` listing :class:`Difference` values.

:func:`randcheck.sampling.verify` (a draw) and :func:`randcheck.dispatch.verify` (a dispatch)
both re-run their step from the published inputs and compare the result with the record, field
by field. Each difference names where it is — the JSON path of the field inside the record's
``data`` (``commitment.digest``, ``selected[91120101…].weight``, ``teams[91120101…]``,
``replacements[0].incoming``) —, the value the re-run gives, the value the record holds, and
what it means in Chinese and English (a :class:`~randcheck.text.Text`).

Verification results are shown and published, so a difference never shows a resident identity
number or a mobile number: the dispatch masks inspector keys
(:func:`~randcheck.privacy.mask_inspector_key`) and every difference masks whatever else its
values and message hold (:func:`~randcheck.privacy.mask_personal_data`).

>>> from randcheck.text import Text
>>> result = Verification(
...     kind="draw-record",
...     digest="sha256:00",
...     differences=[
...         Difference(
...             path="seed",
...             expected="1 2 3",
...             got="1 2 4",
...             message=Text(zh="种子不同", en="the seed differs"),
...         )
...     ],
... )
>>> result.ok
False
>>> print(result.differences[0])
seed: 种子不同 / the seed differs (重新推导 re-run: 1 2 3; 记录 record: 1 2 4)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

import attrs

from randcheck._deprecation import warn_deprecated
from randcheck.errors import ValidationError

# randcheck.ids re-exports randcheck.privacy's masking, and privacy imports from ids: importing
# through ids is the order in which the two load whichever comes first.
from randcheck.ids import mask_personal_data
from randcheck.text import Text

__all__ = ["Difference", "DrawVerification", "Verification"]


def _masked(value: str | None) -> str | None:
    return None if value is None else mask_personal_data(str(value))


def _masked_text(value: Text) -> Text:
    if not isinstance(value, Text):
        raise ValidationError(field="message", expected="a Text", got=value)
    return Text(zh=mask_personal_data(value.zh), en=mask_personal_data(value.en))


def _nonempty(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value:
        raise ValidationError(field=attribute.name, expected="a non-empty string", got=value)


@attrs.frozen(kw_only=True)
class Difference:
    """One way a record differs from what re-running its step gives.

    Attributes:
        path: where, as a path inside the record's ``data``: ``commitment.digest``, ``seed``,
            ``strata[和平区|A].cutoff``, ``selected[91120101…].weight``, ``selected`` (a unit
            missing or extra), ``teams[91120101…]``, ``replacements[0].incoming``…
        expected: the value the re-run gives, as text (``None`` where there is none).
        got: the value the record holds, as text (``None`` where there is none).
        message: what it means, Chinese and English.

    Resident identity numbers and mobile numbers in ``expected``, ``got`` and ``message`` are
    masked on construction.
    """

    path: str = attrs.field(validator=_nonempty)
    expected: str | None = attrs.field(converter=_masked)
    got: str | None = attrs.field(converter=_masked)
    message: Text = attrs.field(converter=_masked_text)

    def __str__(self) -> str:
        # "Re-run" and "record", not "expected" and "got": which side is the reference is
        # the reader's to judge (a directory changed since the commitment, or a record
        # edited since the draw).
        return (
            f"{self.path}: {self.message} (重新推导 re-run: {_shown(self.expected)}; "
            f"记录 record: {_shown(self.got)})"
        )

    @property
    def field(self) -> str:
        """Deprecated: :attr:`path`."""
        warn_deprecated("Difference.field", "Difference.path")
        return self.path


def _shown(value: str | None) -> str:
    """A difference's side for people to read: ``None`` — no such thing on that side — as
    "无 none"."""
    return "无 none" if value is None else value


def _differences(value: Iterable[Difference]) -> tuple[Difference, ...]:
    return tuple(value)


_NOUNS: Final = {
    "draw-record": ("抽取结果", "the draw record", "the draw"),
    "dispatch-record": ("调派记录", "the dispatch record", "the dispatch"),
}


def _sorted_paths(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(value))


@attrs.frozen(kw_only=True)
class Verification:
    """The result of a ``verify``: ``ok`` when the record is exactly what its inputs give.

    Attributes:
        kind: the kind of the record verified (``"draw-record"``, ``"dispatch-record"``).
        digest: the ``digest()`` of the record verified.
        differences: every difference found, in report order (empty when ``ok``).
        unverified: the paths of the parts the check could not re-derive from what it was
            given (e.g. ``teams[<USCC>]`` of a dispatch whose recusal pairs for that enterprise
            are salted and no salt was given), sorted; empty when every part was re-derived.

    A verification is truthy when it is ``ok``: no difference and nothing left unverified.
    """

    kind: str
    digest: str
    differences: tuple[Difference, ...] = attrs.field(default=(), converter=_differences)
    unverified: tuple[str, ...] = attrs.field(default=(), converter=_sorted_paths)

    @property
    def ok(self) -> bool:
        """Whether the record matches the re-run in every field, each of them re-derived."""
        return not self.differences and not self.unverified

    @property
    def consistent(self) -> bool:
        """Whether nothing differs, though some parts may be left unverified."""
        return not self.differences

    def __bool__(self) -> bool:
        return self.ok

    def paths(self) -> tuple[str, ...]:
        """The paths that differ, in report order."""
        return tuple(d.path for d in self.differences)

    def fields(self) -> tuple[str, ...]:
        """Deprecated: :meth:`paths`."""
        warn_deprecated("Verification.fields()", "Verification.paths()")
        return self.paths()

    def summary(self) -> Text:
        """One line saying whether the record verifies (and, if not, how much differs)."""
        zh, en, step = _NOUNS.get(self.kind, ("记录", "the record", "its step"))
        if self.ok:
            return Text(zh=f"{zh}核验一致", en=f"{en} verifies: re-running {step} gives it exactly")
        if self.consistent:
            count = len(self.unverified)
            return Text(
                zh=f"{zh}部分核验：其余一致，{count}处无法重新推导（需盐值）",
                en=f"{en} verifies in part: nothing differs, but {count} part(s) could not be "
                "re-derived without the salt",
            )
        count = len(self.differences)
        return Text(
            zh=f"{zh}核验不一致，共{count}处差异",
            en=f"{en} does not verify: {count} difference(s), first {self.differences[0].path}",
        )


@attrs.frozen(kw_only=True)
class DrawVerification(Verification):
    """The result of :func:`randcheck.sampling.verify`: a :class:`Verification` of a draw record
    with the digest of the frame the draw was re-run on.

    Attributes:
        frame_digest: ``Frame.digest()`` of the rebuilt (or given) frame; empty when the record's
            algorithm is not this one and no frame was built.
    """

    frame_digest: str

    @property
    def record_digest(self) -> str:
        """Deprecated: :attr:`digest`."""
        warn_deprecated("DrawVerification.record_digest", "DrawVerification.digest")
        return self.digest
