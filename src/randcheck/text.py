"""Bilingual text: one ``Text(zh, en)`` value for every message shown to people.

Messages that concern the rules are shown Chinese first, English after. Findings, guard
decisions, explanations, verification differences and errors all carry one :class:`Text`
rather than parallel ``*_zh`` / ``*_en`` fields, so that a caller renders any of them the same
way.

>>> message = Text(zh="公示期不少于七天", en="publicity lasts at least 7 days")
>>> str(message)
'公示期不少于七天 / publicity lasts at least 7 days'
>>> message.render("en")
'publicity lasts at least 7 days'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import attrs

from randcheck.errors import ValidationError

__all__ = ["Language", "Text", "join_texts"]

Language = Literal["zh", "en", "both"]
"""How a :class:`Text` is rendered: Chinese only, English only, or both (Chinese first)."""

_SEPARATOR = " / "


def _is_str(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise ValidationError(field=attribute.name, expected="a string", got=value)


@attrs.frozen
class Text:
    """A message in Chinese and English.

    ``zh`` and ``en`` are plain strings; either may be empty when a text exists in one
    language only, in which case rendering "both" shows the one that exists.

    Raises:
        ValidationError: a part is not a string.
    """

    zh: str = attrs.field(validator=_is_str)
    en: str = attrs.field(validator=_is_str)

    def render(self, language: Language = "both") -> str:
        """The text in ``language``; ``"both"`` gives ``"zh / en"`` (one part if the other is
        empty)."""
        if language == "zh":
            return self.zh or self.en
        if language == "en":
            return self.en or self.zh
        if self.zh and self.en:
            return f"{self.zh}{_SEPARATOR}{self.en}"
        return self.zh or self.en

    def __str__(self) -> str:
        return self.render("both")

    def to_document(self) -> dict[str, str]:
        """``{"zh": ..., "en": ...}``, the form records and JSON reports use."""
        return {"zh": self.zh, "en": self.en}

    @classmethod
    def from_document(cls, document: Any) -> Text:
        """The inverse of :meth:`to_document`.

        Raises:
            ValidationError: not an object with exactly the string fields ``zh`` and ``en``.
        """
        if not isinstance(document, dict) or set(document) != {"zh", "en"}:
            raise ValidationError(
                field="text", expected='an object {"zh": ..., "en": ...}', got=document
            )
        return cls(zh=document["zh"], en=document["en"])


def join_texts(parts: Sequence[Text], *, zh_sep: str = "；", en_sep: str = "; ") -> Text:
    """Several texts as one, each language joined with its own separator."""
    return Text(zh=zh_sep.join(p.zh for p in parts), en=en_sep.join(p.en for p in parts))
