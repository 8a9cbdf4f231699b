"""The results publicity (检查结果公示): each result with its publicity period counted as the
profile counts it (Art. 13, 14; R-PUBLICITY, R-DISPOSITION).

For each publicity batch in the ledger and each inspection in it: the enterprise, the items,
the conclusion and handling opinion (of the inspection's report, or of the round's), the
violations with their dispositions, and the period — the recorded start and end, the last day
of the minimum period and the first day feedback may lawfully be dated, both computed with the
profile's counting convention (:meth:`~randcheck.profiles.Profile.publicity_end`,
:meth:`~randcheck.profiles.Profile.earliest_feedback`). Where the convention needs holiday
data that is not given or does not cover the year, these dates are "unknown", never guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from randcheck.errors import CalendarDataMissing, ValidationError
from randcheck.ledger import Inspection, Ledger, Publicity, SummaryReport
from randcheck.publication._common import MissingRecord, Settings, names_of
from randcheck.publication._document import Document, Table
from randcheck.text import Text

__all__ = ["counting_text", "publicity_dates", "report_of", "results_publicity", "violations_text"]


def publicity_dates(start: date, settings: Settings) -> tuple[str, str]:
    """``(minimum end, first feedback day)`` for publicity from ``start``, as ``YYYY-MM-DD``,
    or the "unknown" label for both where holiday data is missing."""
    try:
        end = settings.profile.publicity_end(start, settings.calendar)
        first = settings.profile.earliest_feedback(start, settings.calendar)
    except (CalendarDataMissing, ValidationError):
        unknown = settings.label("unknown")
        return unknown, unknown
    return end.isoformat(), first.isoformat()


def counting_text(settings: Settings) -> str:
    """How the profile counts the publicity period, in words."""
    rule = settings.profile.publicity
    zh, en = [], []
    if rule.start_day_counted:
        zh.append("公示当日计入")
        en.append("the first day counts")
    else:
        zh.append("公示开始的当日不计入")
        en.append("the day publicity starts is not counted")
    working = rule.counting.value == "working"
    zh.append("按工作日计算" if working else "按日历日计算")
    en.append("working days" if working else "calendar days")
    if rule.holiday_rollover:
        zh.append("期间最后一日是法定休假日的，以休假日结束的次日为期间的最后一日")
        en.append("a last day on a statutory holiday moves to the day after the holiday")
    return Text(zh="，".join(zh), en="; ".join(en)).render(settings.lang)


def report_of(ledger: Ledger, inspection: str) -> SummaryReport | None:
    """The summary report covering ``inspection``: its own, else its round's."""
    own = [r for r in ledger.reports if r.inspection == inspection]
    if own:
        return own[-1]
    rounds = [r for r in ledger.reports if inspection in r.inspections]
    return rounds[-1] if rounds else None


def violations_text(ledger: Ledger, inspection: str, settings: Settings) -> str:
    """The violations found in ``inspection``, each with its disposition."""
    parts = []
    for v in ledger.violations:
        if v.inspection == inspection:
            disposition = settings.disposition(v.disposition)
            parts.append(
                f"{v.description}（{disposition}）"
                if settings.lang == "zh"
                else (f"{v.description} ({disposition})")
            )
    return ("；" if settings.lang == "zh" else "; ").join(parts) or settings.label("none")


def _inspections(ledger: Ledger) -> dict[str, Inspection]:
    return {x.id: x for x in ledger.inspections}


def _batches(ledger: Ledger, batches: Sequence[str] | None) -> list[Publicity]:
    if batches is None:
        return list(ledger.publicities)
    known = {p.id: p for p in ledger.publicities}
    missing = [b for b in batches if b not in known]
    if missing:
        raise MissingRecord(
            Text(
                zh=f"台账中没有公示批次 {'、'.join(missing)}",
                en=f"the ledger has no publicity batch {', '.join(missing)}",
            ),
            field="publicity",
            expected="a publicity id of the ledger",
            got=missing,
        )
    return [known[b] for b in batches]


def results_publicity(
    ledger: Ledger, settings: Settings, *, batches: Sequence[str] | None = None
) -> Document:
    """The results of the publicity batches ``batches`` (ids; default: every batch of the
    ledger) as one publication, with the objection channel (template ``objection``).

    Raises:
        MissingRecord: an unknown batch, an inspection a batch names that the ledger lacks,
            or an enterprise not in the ledger's directory.
        TemplateProblem: a template is missing or broken.
    """
    chosen = _batches(ledger, batches)
    inspections = _inspections(ledger)
    wanted = [i for p in chosen for i in p.inspections]
    lacking = sorted({i for i in wanted if i not in inspections})
    if lacking:
        raise MissingRecord(
            Text(
                zh=f"公示批次所列检查不在台账中：{'、'.join(lacking)}",
                en=f"inspections named by a publicity batch are not in the ledger: "
                f"{', '.join(lacking)}",
            ),
            field="inspections",
            expected="inspections of the ledger",
            got=lacking,
        )
    names = names_of(ledger.enterprises, [inspections[i].enterprise for i in wanted], "公示")
    rows = []
    for publicity in chosen:
        minimum_end, first_feedback = publicity_dates(publicity.start, settings)
        for inspection_id in publicity.inspections:
            x = inspections[inspection_id]
            report = report_of(ledger, inspection_id)
            rows.append(
                (
                    publicity.id,
                    names[x.enterprise].name,
                    x.enterprise,
                    inspection_id,
                    settings.joined(x.items),
                    settings.day(x.finished or x.started),
                    report.conclusion if report else "",
                    report.handling_opinion if report else "",
                    violations_text(ledger, inspection_id, settings),
                    settings.day(publicity.start),
                    settings.day(publicity.end),
                    minimum_end,
                    first_feedback,
                    publicity.channel,
                )
            )
    keys = (
        "batch",
        "name",
        "uscc",
        "inspection",
        "items",
        "inspection_date",
        "conclusion",
        "opinion",
        "disposition",
        "publicity_start",
        "publicity_end",
        "minimum_end",
        "earliest_feedback",
        "channel",
    )
    table = Table(
        title=settings.label("conclusion"), columns=[settings.label(k) for k in keys], rows=rows
    )
    objection = settings.texts.snippet("objection", settings.lang, {"authority": settings.who})
    facts = [
        (settings.label("objection_channel"), objection),
        (settings.label("article"), settings.article("R-PUBLICITY", "R-DISPOSITION")),
    ]
    context = {
        "year": ledger.year,
        "batch": chosen[0].id if len(chosen) == 1 else "",
        "days": settings.profile.publicity.days,
        "counting": counting_text(settings),
        "objection": objection,
        "article": settings.article("R-PUBLICITY"),
    }
    return settings.document("results", context, facts=facts, tables=[table])
