"""What the library checks for each rule, in catalogue order.

What a rule rests on — its articles, title and the words quoted from the law — is jurisdiction
data and lives in the profile (:meth:`randcheck.profiles.Profile.citation`); this table holds
only what is the library's own: the rule ids, what is checked, and the message of a pass.
"""

from __future__ import annotations

from typing import Final

import attrs

from randcheck.rules.catalogue import RULE_IDS as _CATALOGUE_IDS

__all__ = ["INFO", "RULE_IDS", "RuleInfo"]


@attrs.frozen(kw_only=True)
class RuleInfo:
    """The catalogue entry of a rule, without its function."""

    id: str
    checks: str
    pass_zh: str
    pass_en: str


_INFOS: Final = (
    RuleInfo(
        id="R-RANDOM",
        checks=(
            "Each draw: made under a recorded plan; its frame commitment published (a "
            "timestamp) strictly before the seed was fixed; where the commitment is also "
            "recorded on its own, both records agree on the time. Each random inspection: "
            "names a recorded draw whose selection contains the inspected enterprise, and a "
            "recorded dispatch of that draw whose team for the enterprise is exactly the "
            "inspection's team. A missing seed time makes the draw 'unknown'."
        ),
        pass_zh="对象和人员均来自可核验的抽取记录",
        pass_en="target and team come from a verifiable draw and dispatch",
    ),
    RuleInfo(
        id="R-COMPLETION",
        checks=(
            "Every enterprise of every draw's selection is inspected: a random inspection "
            "under that draw, started within a window of the draw's plan (any day, where the "
            "plan names no window or is not recorded); or the ledger records why not "
            "(`not_inspected`: deregistered, moved out of the jurisdiction, cannot be found, "
            "business suspended, or other with its text). Dropping a drawn target silently "
            "undoes the random draw."
        ),
        pass_zh="抽中的对象已在计划时间内检查或记录未检查原因",
        pass_en="drawn target inspected in the plan's window, or the reason recorded",
    ),
    RuleInfo(
        id="R-FEEDBACK-BY-INSPECTOR",
        checks=(
            "Each feedback record is issued by the team that carried out the inspection or by "
            "the enforcement agency (执法机构) that team belongs to (its `issued_by` equals the "
            "inspection's `unit` or its `agency`; 'unknown' when the inspection names no unit "
            "or does not exist); feedback by any other unit is a violation. Each finished "
            "random inspection has feedback."
        ),
        pass_zh="由实施检查的小组或其所属执法机构反馈",
        pass_en="feedback given by the inspecting team or its enforcement agency",
    ),
    RuleInfo(
        id="R-PUBLIC",
        checks=(
            "Every check-item list and every plan has a publication date; every draw is named "
            "by a publication record of kind 'draw'; every finished random inspection is "
            "named by a publication record of kind 'results' or covered by a publicity "
            "period. The text and the channel of every publication and publicity, and the "
            "channel of every violation's outcome, hold no unmasked resident identity number "
            "(18 or 15 digits, any grouping or separator, with a province code and a plausible "
            "birth date) or mobile number (dots, full-width hyphens, +86/0086 too); a valid "
            "USCC is never taken for one (ids.find_unmasked_personal_data, linear in the text)."
        ),
        pass_zh="已公开，且无未脱敏的个人信息",
        pass_en="published, no unmasked personal data",
    ),
    RuleInfo(
        id="R-ITEM-FIELDS",
        checks=(
            "Every item of every check-item list has at least one legal basis, a content, an "
            "inspecting body and a target type."
        ),
        pass_zh="事项要素齐全",
        pass_en="item complete",
    ),
    RuleInfo(
        id="R-LEGAL-BASIS",
        checks=(
            "Every inspection (random or targeted) names at least one item; each item is on "
            "the check-item list of one of the inspection's lines that is in force on the "
            "inspection day (the latest version effective and published on or before it); "
            "each of the item's legal bases is a law, administrative regulation, local "
            "regulation or rule (not a normative document) and is in force that day "
            "(effective on or before it, not repealed on or before it)."
        ),
        pass_zh="检查事项在有效清单内，依据层级充分且现行有效",
        pass_en="items on the list in force, bases of sufficient rank and in force",
    ),
    RuleInfo(
        id="R-INSPECTOR-RECORD",
        checks=(
            "Every inspector record has name, department, post, a certificate or resident "
            "identity number (format and check character are verified on loading) and a phone "
            "number. Who may be on a team is R-TEAM."
        ),
        pass_zh="名录信息完整",
        pass_en="inspector record complete",
    ),
    RuleInfo(
        id="R-TEAM",
        checks=(
            "Every inspection's team members are in the inspector directory and hold an "
            "enforcement certificate (`certificate_no`) valid on the inspection day: an entry "
            "known only by a resident identity number may be in the directory but never "
            "inspects. The team has at least the profile's `min_team_size` such members "
            '(行政处罚法 Art. 42 "执法人员不得少于两人"; 劳动保障监察条例 Art. 16; the Tianjin '
            "rules do not fix a number)."
        ),
        pass_zh="检查人员均持有效执法证件，人数不少于下限",
        pass_en="every team member certified on the day, enough of them",
    ),
    RuleInfo(
        id="R-PLAN-DEADLINE",
        checks=(
            "Every plan for year Y was submitted on or before the profile's deadline in Y-1 "
            "(calendars.plan_deadline; 30 November for Tianjin), unless it is a supplementary "
            "plan made during the year that records its Art. 12 ground "
            "(`supplementary_ground`). Every published plan was published on or before the "
            "day of its first draw (the draw's commitment publication, else its seed). An "
            "ordinary plan without a submission date is 'unknown'. A plan recorded as "
            "published before the day it was submitted is a warning: Art. 8 has the plan "
            "submitted, formed, then published, so one of the dates is likely wrong. Whether it "
            "is published at all is checked by R-PUBLIC."
        ),
        pass_zh="计划按期报送，首次抽取前已公开",
        pass_en="plan submitted on time and published before its first draw",
    ),
    RuleInfo(
        id="R-PLAN-FIELDS",
        checks=(
            "Every plan has a target scope (a description or a filter), inspector "
            "requirements, a sampling ratio (overall or per stratum) and a frequency "
            "(rounds), time windows, and a procedure; and its frequency and its time agree: "
            "one window per round, round 1 first (a round without a window, or a window "
            "beyond the rounds, leaves one of the two unstated). A window outside the plan's "
            "year is no plan's: such a plan is refused when it is read, not reported here."
        ),
        pass_zh="计划内容齐全",
        pass_en="plan complete",
    ),
    RuleInfo(
        id="R-GRADE-WEIGHT",
        checks=(
            '"可优化随机抽查频次" is a permission: equal treatment of all grades is lawful, the '
            "violation is an inversion. The profile's grade weights satisfy A <= B <= C. In "
            "each draw that recorded weights, among enterprises with the same risk flags, "
            "every grade-A weight is at most every grade-B weight and every grade-B weight is "
            "at most every grade-C "
            "weight (risk flags from the enterprise directory; the grade in force on the day "
            "of the draw: the latest of the ledger's dated `grades` on or before it, else the "
            "directory's). A plan stratified by grade is judged on the chances it produces: a "
            "better grade's stratum sampled at a higher ratio than a worse grade's, other keys "
            "equal, is an inversion (the weights cancel within a stratum; build_frame warns "
            "when one ratio for every grade cancels the profile's preference, and "
            "sampling.inclusion_probabilities gives every unit's chance before the draw)."
        ),
        pass_zh="等级越高，权重越低",
        pass_en="better grade, lower weight",
    ),
    RuleInfo(
        id="R-TARGETED",
        checks=(
            "Every targeted inspection records its ground, from the profile's open list (a "
            "special legal provision, a superior assignment, a complaint or report, or another "
            'ground with its text: "等"), and the suspected violation it pursues '
            '(`suspicion`; "有违法嫌疑"). Targeted inspections are exempt '
            "from R-RANDOM, R-CAP, R-CROSS-DISTRICT, R-ONE-VISIT and the follow-up rules of "
            "random checks (R-REPORT, R-PUBLICITY, feedback, results publication)."
        ),
        pass_zh="针对性检查事由和违法嫌疑明确",
        pass_en="ground and suspicion of the targeted inspection recorded",
    ),
    RuleInfo(
        id="R-COVERAGE",
        checks=(
            'Figures and warnings, never violations (Art. 9 "既要保证必要的抽查覆盖面…又要防止'
            '过度检查"): the share of the directory inspected in the year '
            "(validators.coverage_figures, which also takes earlier years' ledgers for the "
            "share over several years, and the strata of each plan of which no enterprise was "
            "drawn in the year); a warning for every enterprise inspected, random and "
            "targeted together, more often in the year than the profile's "
            "`cap.total_per_year`, with the year's figures."
        ),
        pass_zh="覆盖面和检查频次无需提示",
        pass_en="nothing to warn about coverage or frequency",
    ),
    RuleInfo(
        id="R-RECUSAL",
        checks=(
            "No member of an inspection's team has a declared conflict with the inspected "
            "enterprise or a tie in their own record (former employer, relative's employer, "
            "shareholding). A conflict names the inspector by any of their identifiers (key, "
            "certificate number, resident identity number) in any spelling the loaders accept "
            "(randcheck.rules.RecusalIndex, the index the dispatch and the step guard use "
            "too). A dated conflict row (`since`, `until`) counts only if in force on the "
            "inspection day: a tie recorded after the inspection is not a retroactive breach. "
            "A declared conflict that names no inspector of the directory is a warning on "
            "`conflicts[j]` (and an input error for `randcheck assign`)."
        ),
        pass_zh="检查人员与对象无利害关系",
        pass_en="no team member has an interest in the target",
    ),
    RuleInfo(
        id="R-CAP",
        checks=(
            "Random visits to each enterprise per calendar year, in date order, are counted: "
            "inspections of one enterprise on one day sharing a joint-visit id count once (a "
            "joint visit is one enterprise, one day: the same id on other days is other "
            "visits), targeted inspections not at all. The first inspection of each visit "
            "beyond the profile's `cap_per_year` is reported with the profile's "
            "`cap_severity` (a warning by default: 原则上)."
        ),
        pass_zh="年度抽查次数未超过上限",
        pass_en="within the yearly cap",
    ),
    RuleInfo(
        id="R-CROSS-DISTRICT",
        checks=(
            "For every random inspection under a recorded plan: at least one team member comes "
            'from the inspecting department\'s own directory ("部分"), and the share of '
            "members from other districts lies within the plan's cross-district bounds. "
            "'Own' is relative to the inspecting department: the inspection's "
            "`department_district` (a city-level department's own directory is the city's), "
            "else the enterprise's district. 'Unknown' when a district is not recorded."
        ),
        pass_zh="跨区人员比例在计划范围内",
        pass_en="cross-district share within the plan's bounds",
    ),
    RuleInfo(
        id="R-ONE-VISIT",
        checks=(
            "Two random inspections of the same enterprise whose time windows overlap (the "
            "window of its plan that contains the inspection day, else the day itself) and "
            "that are not one joint visit (same joint-visit id, same day): the later one is "
            "reported as a warning."
        ),
        pass_zh="无可合并而未合并的检查",
        pass_en="no separate visit that could have been merged",
    ),
    RuleInfo(
        id="R-RISK-WEIGHT",
        checks=(
            "Every risk multiplier of the profile (complaint tiers, abnormal operations, "
            "serious violation, key area) is at least 1 (exactly 1 is a warning: it does not "
            "raise), and a higher complaint tier never has a smaller multiplier. In each draw "
            "that recorded weights, no enterprise with a risk factor has a lower weight than "
            "an enterprise of the same grade without any."
        ),
        pass_zh="风险因素提高抽查权重",
        pass_en="risk factors raise the weight",
    ),
    RuleInfo(
        id="R-DISPOSITION",
        checks=(
            "Every violation record has a disposition (none, order to rectify, administrative "
            "penalty, transfer to another agency, transfer to the judiciary) and a "
            "publication date."
        ),
        pass_zh="已作出处理决定并公示",
        pass_en="decided and published",
    ),
    RuleInfo(
        id="R-REPORT",
        checks=(
            "Every finished random inspection is covered by a summary report: its own, or the "
            "report of its round (a report naming the round's draw in `round`, covering every "
            "random inspection under that draw, and/or listing `inspections`). Every report of "
            "random inspections states a conclusion and a handling opinion; a report naming "
            "inspections not in the ledger is 'unknown'."
        ),
        pass_zh="总结报告完整",
        pass_en="summary report complete",
    ),
    RuleInfo(
        id="R-PUBLICITY",
        checks=(
            "Every publicity period lasts at least the profile's `publicity_min_days`, counted "
            "as the profile's period rule says (calendars.publicity_long_enough): by default "
            "as the civil code counts, the posting day not counted (民法典 Art. 201) and a last "
            "day on a statutory holiday moved to the day after the holiday (Art. 203). Every "
            "feedback on an inspection under publicity is dated after the publicity ends and "
            "on or after calendars.earliest_feedback. Every objection has a finished review, "
            "and the review finished on or before every feedback dated on or after the day "
            "the objection was opened. Working days or holiday roll-over without holiday data "
            "covering the year (no calendar, or beyond its data) is 'unknown', never a guess."
        ),
        pass_zh="公示期满后反馈，异议已复核",
        pass_en="feedback after a full publicity, objections reviewed",
    ),
    RuleInfo(
        id="R-RULES-VALID",
        checks=(
            "One profile-level finding: every inspection day lies in the profile's validity "
            "window, which runs from the issue day to the same date `validity_years` later "
            "(民法典 Art. 201-202; 29 February ends on 28 February). A lapsed profile is one "
            "violation of subject 'profile', never one per inspection. Without an issue date "
            "in the profile the check is 'unknown'."
        ),
        pass_zh="检查日均在细则有效期内",
        pass_en="every inspection day within the validity of the rules",
    ),
)

INFO: Final[dict[str, RuleInfo]] = {info.id: info for info in _INFOS}
"""Rule id → catalogue entry, in catalogue (article) order."""

RULE_IDS: Final = _CATALOGUE_IDS
"""Every rule id, in catalogue order (:data:`randcheck.rules.catalogue.RULE_IDS`)."""

if tuple(INFO) != RULE_IDS:  # pragma: no cover - a packaging error caught by every test run
    raise AssertionError("the checks table and the rule catalogue disagree")
