"""The check-item list (随机抽查事项清单) as a public table (Art. 5, 6; R-ITEM-FIELDS)."""

from __future__ import annotations

from collections.abc import Sequence

from randcheck.domain import CheckItemList, LegalBasis
from randcheck.errors import ValidationError
from randcheck.publication._common import Settings
from randcheck.publication._document import Document, Table

__all__ = ["basis_text", "check_item_list"]


def basis_text(bases: Sequence[LegalBasis], settings: Settings) -> str:
    """The legal bases of an item as cited in a list: ``《title》article`` joined."""
    parts = []
    for basis in bases:
        text = f"《{basis.title}》{basis.article}"
        if basis.repealed is not None:
            text += (
                f"（{basis.repealed.isoformat()}废止）"
                if settings.lang == "zh"
                else (f" (repealed {basis.repealed.isoformat()})")
            )
        parts.append(text)
    return ("；" if settings.lang == "zh" else "; ").join(parts)


def check_item_list(lists: Sequence[CheckItemList], settings: Settings) -> Document:
    """The random-check item lists ``lists`` as one publication: for every item its line,
    code, content, legal basis, inspecting body, target type, and the list's version,
    effective and publication dates (Art. 5: 抽查依据、抽查内容、抽查主体、抽查对象).

    Raises:
        ValidationError: no list given.
        TemplateProblem: a template is missing or broken.
    """
    if not lists:
        raise ValidationError(
            "没有随机抽查事项清单 / no check-item list given",
            field="check_item_lists",
            expected="at least one list",
            got=0,
        )
    columns = [
        settings.label(key)
        for key in (
            "line",
            "code",
            "content",
            "basis",
            "body",
            "target_type",
            "list_version",
            "effective",
            "published",
        )
    ]
    rows = [
        (
            settings.line(item.line),
            item.code,
            item.content,
            basis_text(item.bases, settings),
            item.inspecting_body,
            item.target_type,
            item_list.version,
            settings.day(item_list.effective),
            settings.day(item_list.published),
        )
        for item_list in lists
        for item in item_list.items
    ]
    lines = list(dict.fromkeys(settings.line(item_list.line) for item_list in lists))
    context = {"lines": lines, "count": len(rows), "article": settings.article("R-ITEM-FIELDS")}
    table = Table(title=settings.label("items"), columns=columns, rows=rows)
    return settings.document("check-items", context, tables=[table])
