"""The rule registry, one public function per rule, and :func:`audit`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Final, cast

import attrs

from randcheck import _collector as collector
from randcheck.calendars import WorkingDayCalendar
from randcheck.ledger import Ledger
from randcheck.profiles import Profile, RuleCitation
from randcheck.text import Text
from randcheck.validators import _rules_law, _rules_people, _rules_plans, _rules_random
from randcheck.validators import _rules_results as _results
from randcheck.validators._context import Context, RuleImpl, Yield
from randcheck.validators._findings import Finding, Outcome, Report
from randcheck.validators._meta import INFO, RULE_IDS, RuleInfo

__all__ = [
    "RULES",
    "Rule",
    "audit",
    "check_cap",
    "check_completion",
    "check_coverage",
    "check_cross_district",
    "check_disposition",
    "check_feedback_by_inspector",
    "check_grade_weight",
    "check_inspector_record",
    "check_item_fields",
    "check_legal_basis",
    "check_one_visit",
    "check_plan_deadline",
    "check_plan_fields",
    "check_public",
    "check_publicity",
    "check_random",
    "check_recusal",
    "check_report",
    "check_risk_weight",
    "check_rules_valid",
    "check_targeted",
    "check_team",
]

CheckFunction = Callable[[Ledger, Profile], Iterable[Finding]]


@attrs.frozen(kw_only=True)
class Rule:
    """A rule of the catalogue: its id, what is checked, and the function that checks it.

    What the rule rests on in a jurisdiction — articles, title, quoted words — is that
    profile's :meth:`~randcheck.profiles.Profile.citation` (see :meth:`citation`).
    """

    id: str
    checks: str
    pass_zh: str
    pass_en: str
    function: CheckFunction = attrs.field(eq=False, repr=False)
    impl: RuleImpl = attrs.field(eq=False, repr=False)

    def citation(self, profile: Profile) -> RuleCitation:
        """The articles, title and quotations this rule rests on under ``profile``."""
        return profile.citation(self.id)


def _pass(info: RuleInfo, subject: str, article: str) -> Finding:
    return Finding(
        rule=info.id,
        outcome=Outcome.PASS,
        article=article,
        subject=subject,
        message=Text(zh=info.pass_zh, en=info.pass_en),
    )


def _findings(info: RuleInfo, items: Iterator[Yield], profile: Profile) -> Iterator[Finding]:
    cited = profile.citation(info.id).article.en
    for item in items:
        yield _pass(info, item, cited) if isinstance(item, str) else _cite(item, cited)


def _cite(found: Finding, article: str) -> Finding:
    # Every finding cites what its rule rests on in the profile the audit runs under.
    return found if found.article == article else attrs.evolve(found, article=article)


def _no_provision(info: RuleInfo, profile: Profile) -> Finding:
    return Finding(
        rule=info.id,
        outcome=Outcome.NOT_APPLICABLE,
        article=profile.citation(info.id).article.en,
        subject="profile",
        message=Text(
            zh=f"政策配置 {profile.name} 所依据的文件对此没有规定",
            en=f"the texts of profile {profile.name} make no provision for this rule",
        ),
    )


def _run(
    rule_id: str,
    ledger: Ledger,
    profile: Profile,
    calendar: WorkingDayCalendar | None = None,
) -> list[Finding]:
    impl = _IMPLS[rule_id]
    info = INFO[rule_id]
    if not profile.citation(rule_id).articles:
        return [_no_provision(info, profile)]
    return list(_findings(info, impl(Context(ledger, profile, calendar)), profile))


def check_random(ledger: Ledger, profile: Profile) -> list[Finding]:
    """R-RANDOM (Art. 2, 10): each draw's frame committed before its seed; each random
    inspection's target in its draw and its team the dispatched one."""
    return _run("R-RANDOM", ledger, profile)


def check_feedback_by_inspector(ledger: Ledger, profile: Profile) -> list[Finding]:
    """R-FEEDBACK-BY-INSPECTOR (Art. 3, 14): feedback by the inspecting unit; every finished
    random inspection gets feedback."""
    return _run("R-FEEDBACK-BY-INSPECTOR", ledger, profile)


def check_public(ledger: Ledger, profile: Profile) -> list[Finding]:
    """R-PUBLIC (Art. 2, 3, 5, 6, 8): list, plan, draw and results published; no unmasked
    identity or mobile numbers in what is published."""
    return _run("R-PUBLIC", ledger, profile)


def check_item_fields(ledger: Ledger, profile: Profile) -> list[Finding]:
    """R-ITEM-FIELDS (Art. 5): every check item states basis, content, body and targets."""
    return _run("R-ITEM-FIELDS", ledger, profile)


def check_legal_basis(ledger: Ledger, profile: Profile) -> list[Finding]:
    """R-LEGAL-BASIS (Art. 6): every inspection's items on the list in force on its day, each
    basis a law, regulation or rule in force that day."""
    return _run("R-LEGAL-BASIS", ledger, profile)


def check_completion(ledger: Ledger, profile: Profile) -> list[Finding]:
    """R-COMPLETION (Art. 2): every drawn enterprise inspected within the plan's window, or the
    reason it was not recorded."""
    return _run("R-COMPLETION", ledger, profile)


def check_inspector_record(ledger: Ledger, profile: Profile) -> list[Finding]:
    """R-INSPECTOR-RECORD (Art. 7): complete inspector records."""
    return _run("R-INSPECTOR-RECORD", ledger, profile)


def check_team(ledger: Ledger, profile: Profile) -> list[Finding]:
    """R-TEAM (Art. 7, 10; 行政处罚法 Art. 42): every team member a directory member holding an
    enforcement certificate valid on the day; at least ``profile.min_team_size`` of them."""
    return _run("R-TEAM", ledger, profile)


def check_plan_deadline(ledger: Ledger, profile: Profile) -> list[Finding]:
    """R-PLAN-DEADLINE (Art. 8): each plan submitted by the profile's deadline."""
    return _run("R-PLAN-DEADLINE", ledger, profile)


def check_plan_fields(ledger: Ledger, profile: Profile) -> list[Finding]:
    """R-PLAN-FIELDS (Art. 9): each plan states its five contents."""
    return _run("R-PLAN-FIELDS", ledger, profile)


def check_grade_weight(ledger: Ledger, profile: Profile) -> list[Finding]:
    """R-GRADE-WEIGHT (Art. 9): grade weights A < B <= C in the profile and in each draw's
    recorded weights."""
    return _run("R-GRADE-WEIGHT", ledger, profile)


def check_targeted(ledger: Ledger, profile: Profile) -> list[Finding]:
    """R-TARGETED (Art. 9): every targeted inspection records its ground."""
    return _run("R-TARGETED", ledger, profile)


def check_coverage(ledger: Ledger, profile: Profile) -> list[Finding]:
    """R-COVERAGE (Art. 9): warnings only — strata never sampled, enterprises inspected more
    often than ``profile.cap.total_per_year``."""
    return _run("R-COVERAGE", ledger, profile)


def check_recusal(ledger: Ledger, profile: Profile) -> list[Finding]:
    """R-RECUSAL (Art. 10): no team member has an interest in the inspected enterprise; a
    declared conflict naming no inspector of the directory is a warning."""
    return _run("R-RECUSAL", ledger, profile)


def check_cap(ledger: Ledger, profile: Profile) -> list[Finding]:
    """R-CAP (Art. 10): at most ``profile.cap_per_year`` random visits per enterprise and year,
    reported with ``profile.cap_severity``; a joint visit counts once, targeted ones not."""
    return _run("R-CAP", ledger, profile)


def check_cross_district(ledger: Ledger, profile: Profile) -> list[Finding]:
    """R-CROSS-DISTRICT (Art. 10): the share of other-district inspectors within the plan's
    bounds."""
    return _run("R-CROSS-DISTRICT", ledger, profile)


def check_one_visit(ledger: Ledger, profile: Profile) -> list[Finding]:
    """R-ONE-VISIT (Art. 11): separate random visits to one enterprise in overlapping windows
    are flagged (a warning: 原则上)."""
    return _run("R-ONE-VISIT", ledger, profile)


def check_risk_weight(ledger: Ledger, profile: Profile) -> list[Finding]:
    """R-RISK-WEIGHT (Art. 12): risk factors raise the weight, in the profile and in each
    draw's recorded weights."""
    return _run("R-RISK-WEIGHT", ledger, profile)


def check_disposition(ledger: Ledger, profile: Profile) -> list[Finding]:
    """R-DISPOSITION (Art. 13): each violation found has a decision, published."""
    return _run("R-DISPOSITION", ledger, profile)


def check_report(ledger: Ledger, profile: Profile) -> list[Finding]:
    """R-REPORT (Art. 14): each finished random check has a report with conclusion and
    handling opinion."""
    return _run("R-REPORT", ledger, profile)


def check_publicity(
    ledger: Ledger, profile: Profile, *, calendar: WorkingDayCalendar | None = None
) -> list[Finding]:
    """R-PUBLICITY (Art. 14): publicity of at least ``profile.publicity_min_days``, feedback
    after it ends, objections reviewed before feedback. ``calendar`` is needed when the
    profile counts working days."""
    return _run("R-PUBLICITY", ledger, profile, calendar)


def check_rules_valid(ledger: Ledger, profile: Profile) -> list[Finding]:
    """R-RULES-VALID (Art. 16): every inspection day within the profile's validity window."""
    return _run("R-RULES-VALID", ledger, profile)


_IMPLS: Final[dict[str, RuleImpl]] = {
    "R-RANDOM": _rules_random.random_,
    "R-COMPLETION": _rules_random.completion,
    "R-FEEDBACK-BY-INSPECTOR": _results.feedback_by_inspector,
    "R-PUBLIC": _results.public,
    "R-ITEM-FIELDS": _rules_law.item_fields,
    "R-LEGAL-BASIS": _rules_law.legal_basis,
    "R-INSPECTOR-RECORD": _rules_people.inspector_record,
    "R-TEAM": _rules_people.team,
    "R-PLAN-DEADLINE": _rules_plans.plan_deadline,
    "R-PLAN-FIELDS": _rules_plans.plan_fields,
    "R-GRADE-WEIGHT": _rules_plans.grade_weight,
    "R-TARGETED": _rules_random.targeted,
    "R-COVERAGE": _rules_plans.coverage,
    "R-RECUSAL": _rules_people.recusal,
    "R-CAP": _rules_random.cap,
    "R-CROSS-DISTRICT": _rules_people.cross_district,
    "R-ONE-VISIT": _rules_random.one_visit,
    "R-RISK-WEIGHT": _rules_plans.risk_weight,
    "R-DISPOSITION": _results.disposition,
    "R-REPORT": _results.report,
    "R-PUBLICITY": _results.publicity,
    "R-RULES-VALID": _rules_law.rules_valid,
}

_FUNCTIONS: Final[dict[str, CheckFunction]] = {
    "R-RANDOM": check_random,
    "R-COMPLETION": check_completion,
    "R-FEEDBACK-BY-INSPECTOR": check_feedback_by_inspector,
    "R-PUBLIC": check_public,
    "R-ITEM-FIELDS": check_item_fields,
    "R-LEGAL-BASIS": check_legal_basis,
    "R-INSPECTOR-RECORD": check_inspector_record,
    "R-TEAM": check_team,
    "R-PLAN-DEADLINE": check_plan_deadline,
    "R-PLAN-FIELDS": check_plan_fields,
    "R-GRADE-WEIGHT": check_grade_weight,
    "R-TARGETED": check_targeted,
    "R-COVERAGE": check_coverage,
    "R-RECUSAL": check_recusal,
    "R-CAP": check_cap,
    "R-CROSS-DISTRICT": check_cross_district,
    "R-ONE-VISIT": check_one_visit,
    "R-RISK-WEIGHT": check_risk_weight,
    "R-DISPOSITION": check_disposition,
    "R-REPORT": check_report,
    "R-PUBLICITY": check_publicity,
    "R-RULES-VALID": check_rules_valid,
}

RULES: Final[dict[str, Rule]] = {
    rule_id: Rule(
        id=info.id,
        checks=info.checks,
        pass_zh=info.pass_zh,
        pass_en=info.pass_en,
        function=_FUNCTIONS[rule_id],
        impl=_IMPLS[rule_id],
    )
    for rule_id, info in INFO.items()
}
"""Every rule, by id, in catalogue (article) order."""

assert tuple(RULES) == RULE_IDS == tuple(_IMPLS) == tuple(_FUNCTIONS)


def audit(
    ledger: Ledger,
    profile: Profile,
    *,
    calendar: WorkingDayCalendar | None = None,
    include_passes: bool = False,
    rules: Iterable[str] | None = None,
) -> Report:
    """Check ``ledger`` against every rule (or the ids in ``rules``) under ``profile``.

    The ledger is indexed once and each rule makes one pass over the records it concerns, so
    the audit is linear in the size of the ledger. Every record a rule looks at is counted
    under one outcome; the report keeps the findings that are not passes, and the passes too
    with ``include_passes=True``. ``calendar`` is needed when the profile counts working days
    (R-PUBLICITY is 'unknown' without it).

    Raises:
        KeyError: an id in ``rules`` is not a rule.
    """
    selected = RULE_IDS if rules is None else tuple(rules)
    for rule_id in selected:
        if rule_id not in INFO:
            raise KeyError(rule_id)
    # The indexes and findings made on the way stay alive until the report is made: the
    # collector would walk them, and the whole ledger, in vain.
    with collector.paused():
        ctx = Context(ledger, profile, calendar)
        counts: dict[str, dict[Outcome, int]] = {}
        findings: list[Finding] = []
        for rule_id in selected:
            info = INFO[rule_id]
            per = dict.fromkeys(Outcome, 0)
            passes = 0
            if not profile.citation(rule_id).articles:
                found = _no_provision(info, profile)
                per[found.outcome] += 1
                findings.append(found)
                counts[rule_id] = per
                continue
            cited = profile.citation(rule_id).article.en
            items = _IMPLS[rule_id](ctx)
            if include_passes:
                for item in items:
                    if isinstance(item, str):
                        passes += 1
                        findings.append(_pass(info, item, cited))
                    else:
                        per[item.outcome] += 1
                        findings.append(_cite(item, cited))
            else:
                # Most of a lawful year is passes: they are only counted.
                for item in items:
                    if type(item) is str:
                        passes += 1
                    else:
                        found = cast(Finding, item)
                        per[found.outcome] += 1
                        findings.append(_cite(found, cited))
            per[Outcome.PASS] += passes
            counts[rule_id] = per
        return Report(profile=profile.name, year=ledger.year, counts=counts, findings=findings)
