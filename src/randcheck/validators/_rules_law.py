"""Rules on the legal ground of inspections: R-ITEM-FIELDS, R-LEGAL-BASIS, R-RULES-VALID."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from randcheck.domain import CheckItem, CheckItemList, LegalBasis
from randcheck.ledger import Inspection, InspectionKind
from randcheck.profiles import Profile
from randcheck.rules import BasisDefect, bases_defects
from randcheck.validators._context import Context, Yield, finding, not_applicable
from randcheck.validators._findings import Outcome, worst

__all__ = ["item_fields", "legal_basis", "rules_valid"]

_V = Outcome.VIOLATION

_ITEM_FIELDS = (
    ("content", "抽查内容"),
    ("inspecting_body", "抽查主体"),
    ("target_type", "抽查对象"),
)


def item_fields(ctx: Context) -> Iterator[Yield]:
    """R-ITEM-FIELDS: every check item states basis, content, inspecting body and targets."""
    seen = False
    for k, item_list in enumerate(ctx.ledger.check_item_lists):
        for j, item in enumerate(item_list.items):
            seen = True
            subject = f"check_item_lists[{k}].items[{j}]"
            missing = [] if item.bases else [("bases", "抽查依据")]
            missing.extend((en, zh) for en, zh in _ITEM_FIELDS if not getattr(item, en))
            if not missing:
                yield subject
                continue
            yield finding(
                "R-ITEM-FIELDS",
                _V,
                subject,
                f"清单 {item_list.version} 的事项 {item.code} 缺少："
                + "、".join(zh for _, zh in missing),
                f"item {item.code} of list {item_list.version} lacks: "
                + ", ".join(en for en, _ in missing),
            )
    if not seen:
        yield not_applicable("R-ITEM-FIELDS", "台账中没有抽查事项", "no check item")


def _cited(basis: LegalBasis) -> str:
    return f"{basis.title} {basis.article}" if basis.article else basis.title


Problem = tuple[Outcome, str, str]


def _bases_problems(
    what_zh: str, what_en: str, bases: tuple[LegalBasis, ...], day: date, profile: Profile
) -> list[Problem]:
    """Violations when no basis grounds the inspection; a warning for each repealed basis
    beside one in force (the list is due for its Art. 6 update)."""
    if not bases:
        return [(_V, f"{what_zh}没有抽查依据", f"{what_en} has no legal basis")]
    grounded, defects = bases_defects(bases, day, rank_sufficient=profile.rank_sufficient)
    problems: list[Problem] = []
    for basis, defect in defects:
        name = f"《{basis.title}》{basis.article}"
        if grounded:
            if defect is BasisDefect.REPEALED:
                problems.append(
                    (
                        Outcome.WARNING,
                        f"{what_zh}的依据{name}已于 {basis.repealed} 废止（另有现行有效的依据），"
                        "清单应依据法律法规和规章的立改废释动态调整",
                        f"{what_en}'s basis {_cited(basis)} was repealed on {basis.repealed} "
                        "(another basis is in force): the list is due for an update",
                    )
                )
            continue
        if defect is BasisDefect.INSUFFICIENT_RANK:
            problems.append(
                (
                    _V,
                    f"{what_zh}的依据{name}为{profile.rank_name(basis.rank).zh}，"
                    "不是法律法规或规章",
                    f"{what_en} rests on {_cited(basis)}, a "
                    f"{basis.rank}, not a law, regulation or rule",
                )
            )
        elif defect is BasisDefect.NOT_YET_IN_FORCE:
            problems.append(
                (
                    _V,
                    f"{what_zh}的依据{name}自 {basis.effective} 起施行，{day} 尚未生效",
                    f"{what_en}'s basis {_cited(basis)} takes effect on "
                    f"{basis.effective}, after {day}",
                )
            )
        else:
            problems.append(
                (
                    _V,
                    f"{what_zh}的依据{name}已于 {basis.repealed} 废止",
                    f"{what_en}'s basis {_cited(basis)} was repealed on {basis.repealed}",
                )
            )
    return problems


def _item_problems(item: CheckItem, day: date, profile: Profile) -> list[Problem]:
    return _bases_problems(f"事项 {item.code} ", f"item {item.code}", item.bases, day, profile)


class _Grounds:
    """Finds what is wrong with (lines, day, items), caching lists and answers."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.items_of: dict[int, dict[str, CheckItem]] = {}
        self.answers: dict[tuple[tuple[str, ...], date, tuple[str, ...]], list[Problem]] = {}

    def _items(self, item_list: CheckItemList) -> dict[str, CheckItem]:
        key = id(item_list)
        found = self.items_of.get(key)
        if found is None:
            found = {item.code: item for item in item_list.items}
            self.items_of[key] = found
        return found

    def _lists(self, lines: tuple[str, ...], day: date) -> list[CheckItemList]:
        return [
            found for found in (self.ctx.cached_list_in_force(line, day) for line in lines) if found
        ]

    def _listed(self, lists: list[CheckItemList], code: str) -> CheckItem | None:
        return next(
            (self._items(found)[code] for found in lists if code in self._items(found)), None
        )

    def problems(self, lines: tuple[str, ...], day: date, items: tuple[str, ...]) -> list[Problem]:
        key = (lines, day, items)
        answer = self.answers.get(key)
        if answer is None:
            answer = self._compute(lines, day, items)
            self.answers[key] = answer
        return answer

    def targeted(self, inspection: Inspection) -> list[Problem]:
        """A targeted inspection need not be on the random-check list: an item on the list in
        force is judged on its bases, anything else on the inspection's own cited bases."""
        day = inspection.started
        lists = self._lists(inspection.lines, day)
        problems: list[Problem] = []
        unlisted = []
        for code in inspection.items:
            item = self._listed(lists, code)
            if item is None:
                unlisted.append(code)
            else:
                problems.extend(_item_problems(item, day, self.ctx.profile))
        if unlisted or not inspection.items:
            what = "、".join(unlisted)
            problems.extend(
                _bases_problems(
                    f"针对性检查 {inspection.id}（{what}）"
                    if what
                    else f"针对性检查 {inspection.id}",
                    f"targeted inspection {inspection.id}" + (f" ({what})" if what else ""),
                    inspection.bases,
                    day,
                    self.ctx.profile,
                )
            )
        return problems

    def _compute(self, lines: tuple[str, ...], day: date, items: tuple[str, ...]) -> list[Problem]:
        lists = self._lists(lines, day)
        problems: list[Problem] = []
        if not items:
            problems.append(
                (
                    _V,
                    "未记录检查事项：没有可依据的抽查事项",
                    "no check item recorded: nothing grounds it",
                )
            )
        if not lists:
            names = "、".join(self.ctx.profile.line_name(line).zh for line in lines)
            problems.append(
                (
                    _V,
                    f"{day} 没有已公布并生效的{names}抽查事项清单",
                    f"no published check-item list of {', '.join(lines)} in force on {day}",
                )
            )
            return problems
        versions = ", ".join(found.version for found in lists)
        for code in items:
            item = self._listed(lists, code)
            if item is None:
                problems.append(
                    (
                        _V,
                        f"事项 {code} 不在 {day} 有效的抽查事项清单（{versions}）中",
                        f"item {code} is not on the check-item list in force on {day} ({versions})",
                    )
                )
                continue
            problems.extend(_item_problems(item, day, self.ctx.profile))
        return problems


def legal_basis(ctx: Context) -> Iterator[Yield]:
    """R-LEGAL-BASIS: a random inspection's items on the list in force; every inspection rests
    on a basis of sufficient rank in force — a targeted one on its own cited basis where its item
    is not on the list; a repealed basis beside one in force is a warning."""
    inspections = ctx.ledger.inspections
    if not inspections:
        yield not_applicable("R-LEGAL-BASIS", "台账中没有检查", "no inspection")
        return
    grounds = _Grounds(ctx)
    subjects = ctx.inspection_subjects
    for i, inspection in enumerate(inspections):
        if inspection.kind is InspectionKind.TARGETED:
            problems = grounds.targeted(inspection)
        else:
            problems = grounds.problems(inspection.lines, inspection.started, inspection.items)
        if not problems:
            yield subjects[i]
            continue
        yield finding(
            "R-LEGAL-BASIS",
            worst([outcome for outcome, _, _ in problems]),
            subjects[i],
            "；".join(zh for _, zh, _ in problems),
            "; ".join(en for _, _, en in problems),
        )


def rules_valid(ctx: Context) -> Iterator[Yield]:
    """R-RULES-VALID: one finding for the profile — are the inspections within its validity?

    A lapsed profile is one profile-level finding (the rules have lapsed; the duties continue
    under the national rules), never a violation of each inspection.
    """
    window = ctx.profile.validity
    inspections = ctx.ledger.inspections
    if window is None:
        yield finding(
            "R-RULES-VALID",
            Outcome.UNKNOWN,
            "profile",
            f"政策配置 {ctx.profile.name} 未记载细则印发日期，无法判断有效期",
            f"profile {ctx.profile.name} has no issue date: the validity of the rules is unknown",
        )
        return
    if not inspections:
        yield not_applicable("R-RULES-VALID", "台账中没有检查", "no inspection", "profile")
        return
    start, end = window.start, window.end
    outside = [i.started for i in inspections if not start <= i.started <= end]
    if not outside:
        yield "profile"
        return
    first, last = min(outside), max(outside)
    yield finding(
        "R-RULES-VALID",
        _V,
        "profile",
        f"细则有效期为 {start} 至 {end}；{len(outside)} 次检查（{first} 至 {last}）"
        f"在有效期外，所依据的政策配置 {ctx.profile.name} 已失效",
        f"the rules are valid from {start} to {end}; {len(outside)} inspection(s) "
        f"({first} to {last}) fall outside it: profile {ctx.profile.name} had lapsed",
    )
