"""The feedback letter (检查结果告知书) to one enterprise, written or for delivery in person
(Art. 3 "谁检查、谁反馈", Art. 14; R-FEEDBACK-BY-INSPECTOR, R-PUBLICITY)."""

from __future__ import annotations

from typing import Literal

from randcheck.ledger import FeedbackMode, Ledger
from randcheck.publication._common import MissingRecord, Settings, names_of
from randcheck.publication._document import Document, Table
from randcheck.publication.results import report_of, violations_text
from randcheck.text import Text

__all__ = ["feedback_letter"]


def feedback_letter(
    ledger: Ledger,
    inspection: str,
    settings: Settings,
    *,
    mode: Literal["written", "in-person"] | None = None,
) -> Document:
    """The letter telling the enterprise of ``inspection`` its results: the inspection, the
    conclusion and handling opinion, the violations and their dispositions, the publicity it
    followed, signed by the unit that gave the feedback (or, before feedback is recorded, the
    unit that inspected). ``mode`` defaults to the recorded feedback's, else written.

    Raises:
        MissingRecord: the ledger has no such inspection, or its enterprise is not in the
            ledger's directory.
        TemplateProblem: a template is missing or broken.
    """
    found = [x for x in ledger.inspections if x.id == inspection]
    if not found:
        raise MissingRecord(
            Text(
                zh=f"台账中没有检查 {inspection}", en=f"the ledger has no inspection {inspection}"
            ),
            field="inspection",
            expected="an inspection id of the ledger",
            got=inspection,
        )
    x = found[0]
    enterprise = names_of(ledger.enterprises, [x.enterprise], "检查 inspection")[x.enterprise]
    given = [f for f in ledger.feedback if f.inspection == inspection]
    feedback = given[-1] if given else None
    if mode is None:
        recorded = feedback.mode if feedback is not None else FeedbackMode.WRITTEN
        chosen = "in-person" if recorded is FeedbackMode.IN_PERSON else "written"
    else:
        chosen = mode
    report = report_of(ledger, inspection)
    publicity = [p for p in ledger.publicities if inspection in p.inspections]
    period = ""
    if publicity:
        p = publicity[-1]
        period = f"{p.start.isoformat()}–{p.end.isoformat()}"
    issued_by = (feedback.issued_by if feedback is not None else "") or x.unit or x.agency
    issued_by = issued_by or settings.who
    conclusion = report.conclusion if report else ""
    opinion = report.handling_opinion if report else ""
    violations = violations_text(ledger, inspection, settings)
    has_violations = any(v.inspection == inspection for v in ledger.violations)
    mode_label = settings.label("in_person" if chosen == "in-person" else "written")
    facts = [
        (settings.label("name"), enterprise.name),
        (settings.label("uscc"), x.enterprise),
        (settings.label("inspection"), x.id),
        (settings.label("items"), settings.joined(x.items)),
        (settings.label("started"), settings.day(x.started)),
        (settings.label("finished"), settings.day(x.finished)),
        (settings.label("conclusion"), conclusion),
        (settings.label("opinion"), opinion),
        (settings.label("violations"), violations),
        (settings.label("publicity_period"), period),
        (settings.label("feedback_mode"), mode_label),
        (settings.label("feedback_date"), settings.day(feedback.dated if feedback else None)),
        (settings.label("issued_by"), issued_by),
    ]
    context = {
        "enterprise": enterprise.name,
        "uscc": x.enterprise,
        "inspection": x.id,
        "items": settings.joined(x.items),
        "started": settings.day(x.started),
        "finished": settings.day(x.finished),
        "conclusion": conclusion,
        "opinion": opinion,
        "violations": violations if has_violations else "",
        "publicity": period,
        "mode": chosen,
        "issued_by": issued_by,
        "dated": settings.day(feedback.dated if feedback else None),
        "article": settings.article("R-FEEDBACK-BY-INSPECTOR"),
    }
    tables: list[Table] = []
    return settings.document("feedback", context, facts=facts, tables=tables)
