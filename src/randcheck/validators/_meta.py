"""What each rule rests on: its articles, the Chinese text, what is checked, in catalogue order.

The quotations are verbatim from the Tianjin rules (天津市人力资源社会保障领域“双随机一公开”
工作细则（试行）); the catalogue in ``docs/rules.md`` is generated from this table.
"""

from __future__ import annotations

from typing import Final

import attrs

__all__ = ["INFO", "RULE_IDS", "RuleInfo", "article_en", "article_zh"]

_ZH_NUMERALS: Final = ("", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十")


def _zh_number(n: int) -> str:
    if n <= 10:
        return _ZH_NUMERALS[n]
    if n < 20:
        return "十" + _ZH_NUMERALS[n - 10]
    tens, ones = divmod(n, 10)
    return _ZH_NUMERALS[tens] + "十" + _ZH_NUMERALS[ones]


def article_en(articles: tuple[int, ...]) -> str:
    """``(2, 10)`` → ``"Art. 2, 10"``."""
    return "Art. " + ", ".join(str(n) for n in articles)


def article_zh(articles: tuple[int, ...]) -> str:
    """``(2, 10)`` → ``"第二条、第十条"``."""
    return "、".join(f"第{_zh_number(n)}条" for n in articles)


@attrs.frozen(kw_only=True)
class RuleInfo:
    """The catalogue entry of a rule, without its function."""

    id: str
    articles: tuple[int, ...]
    title_zh: str
    title_en: str
    quotes: tuple[tuple[int, str], ...]
    checks: str
    pass_zh: str
    pass_en: str

    @property
    def article(self) -> str:
        """The articles in English (``"Art. 14"``)."""
        return article_en(self.articles)

    @property
    def article_zh(self) -> str:
        """The articles in Chinese (``"第十四条"``)."""
        return article_zh(self.articles)


_INFOS: Final = (
    RuleInfo(
        id="R-RANDOM",
        articles=(2, 10),
        title_zh="随机抽取检查对象、随机选派执法检查人员",
        title_en="Targets and inspectors come from a recorded, verifiable draw",
        quotes=(
            (2, "采取随机抽取检查对象，随机选派执法检查人员"),
            (10, "应当采取随机抽取检查对象、随机选派执法检查人员"),
        ),
        checks=(
            "Each draw: made under a recorded plan; its frame commitment published (a "
            "timestamp) strictly before the seed was fixed; where the commitment is also "
            "recorded on its own, both records agree on the time. Each random inspection: names "
            "a recorded draw whose selection contains the inspected enterprise, and a recorded "
            "dispatch of that draw whose team for the enterprise is exactly the inspection's "
            "team. A missing seed time makes the draw 'unknown'."
        ),
        pass_zh="对象和人员均来自可核验的抽取记录",
        pass_en="target and team come from a verifiable draw and dispatch",
    ),
    RuleInfo(
        id="R-FEEDBACK-BY-INSPECTOR",
        articles=(3, 14),
        title_zh="谁检查、谁反馈",
        title_en="Whoever inspects gives the feedback",
        quotes=(
            (
                3,
                "谁检查、谁反馈，是指各级人力社保行政部门负责向检查对象反馈各自实施的检查结果，"
                "由具体实施检查的各综合执法检查小组或者各执法机构反馈。",
            ),
            (14, "采取书面反馈或当面反馈的方式及时向检查对象反馈检查结果"),
        ),
        checks=(
            "Each feedback record is issued by the unit that carried out the inspection "
            "(its `issued_by` equals the inspection's `unit`; 'unknown' when the inspection "
            "names no unit or does not exist). Each finished random inspection has feedback."
        ),
        pass_zh="由实施检查的单位反馈",
        pass_en="feedback given by the inspecting unit",
    ),
    RuleInfo(
        id="R-PUBLIC",
        articles=(2, 3, 5, 6, 8),
        title_zh="抽查清单、计划、抽取结果、检查结果公开，公开内容不泄露个人信息",
        title_en="List, plan, draw and results are published, without personal data",
        quotes=(
            (2, "及时公开执法检查结果及查处结果"),
            (
                3,
                "公开、公正、透明，是指抽查清单、抽查计划、抽取结果、实施过程、检查结果等"
                "抽查工作全过程应当依法依规、公开透明。",
            ),
            (5, "并通过局门户网站、办事窗口等渠道向社会公开"),
            (8, "报市局执法监督机构，并向社会公开"),
        ),
        checks=(
            "Every check-item list and every plan has a publication date; every draw is named "
            "by a publication record of kind 'draw'; every finished random inspection is named "
            "by a publication record of kind 'results' or covered by a publicity period. The "
            "text of every publication and publicity holds no unmasked resident identity "
            "number or mobile number (ids.find_unmasked_personal_data)."
        ),
        pass_zh="已公开，且无未脱敏的个人信息",
        pass_en="published, no unmasked personal data",
    ),
    RuleInfo(
        id="R-ITEM-FIELDS",
        articles=(5,),
        title_zh="抽查事项明确依据、内容、主体、对象",
        title_en="Each check item states basis, content, inspecting body and targets",
        quotes=((5, "明确抽查依据、抽查内容、抽查主体、抽查对象等内容"),),
        checks=(
            "Every item of every check-item list has at least one legal basis, a content, an "
            "inspecting body and a target type."
        ),
        pass_zh="事项要素齐全",
        pass_en="item complete",
    ),
    RuleInfo(
        id="R-LEGAL-BASIS",
        articles=(6,),
        title_zh="法律法规和规章没有规定的，一律不得擅自开展检查",
        title_en="No inspection without a law, regulation or rule in force",
        quotes=(
            (6, "应当依据法律法规和规章的立改废释"),
            (6, "凡是法律法规和规章没有规定的，一律不得擅自开展检查。"),
        ),
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
        articles=(7, 10),
        title_zh="执法检查人员名录信息完整，检查人员持证在册",
        title_en="Inspector records are complete; teams are certified directory members",
        quotes=(
            (
                7,
                "执法检查人员名录库信息应包括姓名、部门、职务、执法证件号码（或居民身份号码）"
                "和联系电话。",
            ),
        ),
        checks=(
            "Every inspector record has name, department, post, a certificate or resident "
            "identity number (format and check character are verified on loading) and a phone "
            "number. Every inspection's team members are in the inspector directory with a "
            "certificate valid on the inspection day, and the team has at least the profile's "
            "`min_team_size` such members (general administrative-enforcement law; the "
            "Tianjin rules do not fix a number)."
        ),
        pass_zh="名录信息完整，检查人员持有效证件",
        pass_en="record complete, team members certified",
    ),
    RuleInfo(
        id="R-PLAN-DEADLINE",
        articles=(8,),
        title_zh="每年11月底前报送下一年度随机抽查计划",
        title_en="Next year's plan is submitted by the end of November",
        quotes=((8, "应当于每年11月底前将下一年度随机抽查计划报送各自负责具体牵头实施部门"),),
        checks=(
            "Every plan for year Y was submitted on or before the profile's deadline in Y-1 "
            "(calendars.plan_deadline; 30 November for Tianjin). A plan without a submission "
            "date is 'unknown'. Its publication is checked by R-PUBLIC."
        ),
        pass_zh="计划按期报送",
        pass_en="plan submitted on time",
    ),
    RuleInfo(
        id="R-PLAN-FIELDS",
        articles=(9,),
        title_zh="抽查计划内容齐全",
        title_en="A plan states its five contents",
        quotes=(
            (
                9,
                "应当包括检查对象范围、执法检查人员要求、抽查比例和频次、实施抽查时间、"
                "执法检查流程等内容",
            ),
        ),
        checks=(
            "Every plan has a target scope (a description or a filter), inspector "
            "requirements, a sampling ratio (overall or per stratum) and a frequency (rounds), "
            "time windows, and a procedure."
        ),
        pass_zh="计划内容齐全",
        pass_en="plan complete",
    ),
    RuleInfo(
        id="R-GRADE-WEIGHT",
        articles=(9,),
        title_zh="守法诚信等级较高的，优化抽查频次",
        title_en="A better integrity grade is sampled less",
        quotes=((9, "对劳动保障守法诚信等级评价较高的监管对象，可优化随机抽查频次。"),),
        checks=(
            "The profile's grade weights satisfy A < B <= C. In each draw that recorded "
            "weights, among enterprises with the same risk flags, every grade-A weight is "
            "below every grade-B weight and every grade-B weight is at most every grade-C "
            "weight (grades and risk flags from the enterprise directory)."
        ),
        pass_zh="等级越高，权重越低",
        pass_en="better grade, lower weight",
    ),
    RuleInfo(
        id="R-TARGETED",
        articles=(9,),
        title_zh="针对性检查有法定事由",
        title_en="A targeted inspection carries its ground",
        quotes=(
            (
                9,
                "法律法规和规章对执法检查有特别规定的，上级机关交办的，或者因投诉举报等监管"
                "工作需要，需依法对有违法嫌疑的监管对象开展针对性检查的，可不开展随机抽查。",
            ),
        ),
        checks=(
            "Every targeted inspection records its ground: a special legal provision, a "
            "superior assignment, or a complaint or report. Targeted inspections are exempt "
            "from R-RANDOM, R-CAP, R-CROSS-DISTRICT, R-ONE-VISIT and the follow-up rules of "
            "random checks (R-REPORT, R-PUBLICITY, feedback, results publication)."
        ),
        pass_zh="针对性检查事由明确",
        pass_en="ground of the targeted inspection recorded",
    ),
    RuleInfo(
        id="R-RECUSAL",
        articles=(10,),
        title_zh="与检查对象有利害关系的，应当回避",
        title_en="Inspectors with an interest in the target recuse",
        quotes=((10, "随机选派的执法检查人员如与检查对象有利害关系的，应当依法回避。"),),
        checks=(
            "No member of an inspection's team has a declared conflict with the inspected "
            "enterprise or a tie in their own record (former employer, relative's employer, "
            "shareholding). A conflict names the inspector by any of their identifiers (key, "
            "certificate number, resident identity number) in any spelling the loaders accept "
            "(randcheck.rules.RecusalIndex, the index the dispatch and the step guard use too). "
            "A declared conflict that names no inspector of the directory is a warning on "
            "`conflicts[j]`."
        ),
        pass_zh="检查人员与对象无利害关系",
        pass_en="no team member has an interest in the target",
    ),
    RuleInfo(
        id="R-CAP",
        articles=(10,),
        title_zh="同一年度对同一企业抽查原则上不超过2次",
        title_en="At most two random checks of an enterprise a year, in principle",
        quotes=((10, "在同一年度内对同一企业的抽查次数原则上不超过2次。"),),
        checks=(
            "Random visits to each enterprise per calendar year, in date order, are counted: "
            "inspections sharing a joint-visit id count once, targeted inspections not at "
            "all. The first inspection of each visit beyond the profile's `cap_per_year` is "
            "reported with the profile's `cap_severity` (a warning by default: 原则上)."
        ),
        pass_zh="年度抽查次数未超过上限",
        pass_en="within the yearly cap",
    ),
    RuleInfo(
        id="R-CROSS-DISTRICT",
        articles=(10,),
        title_zh="部分执法检查人员可从其他区名录库抽取",
        title_en="The share of inspectors from other districts stays within the plan's bounds",
        quotes=(
            (
                10,
                "随机选派执法检查人员，可以从本部门的执法检查人员名录库中随机抽取，也可以部分"
                "从其他区人力社保行政部门的执法检查人员名录库中随机抽取。",
            ),
        ),
        checks=(
            "For every random inspection under a recorded plan, the share of team members "
            "whose district differs from the inspected enterprise's district lies within the "
            "plan's cross-district bounds. 'Unknown' when a district is not recorded."
        ),
        pass_zh="跨区人员比例在计划范围内",
        pass_en="cross-district share within the plan's bounds",
    ),
    RuleInfo(
        id="R-ONE-VISIT",
        articles=(11,),
        title_zh="同一市场主体的多个抽查项目原则上一次性完成",
        title_en="Several checks of one enterprise are done in one visit, in principle",
        quotes=(
            (
                11,
                "对同一市场主体的多个抽查项目，原则上应一次性完成，提高执法效能，降低市场主体成本。",
            ),
        ),
        checks=(
            "Two random inspections of the same enterprise whose time windows overlap (the "
            "window of its plan that contains the inspection day, else the day itself) and "
            "that do not share a joint-visit id: the later one is reported as a warning."
        ),
        pass_zh="无可合并而未合并的检查",
        pass_en="no separate visit that could have been merged",
    ),
    RuleInfo(
        id="R-RISK-WEIGHT",
        articles=(12,),
        title_zh="对高风险市场主体加大抽查力度",
        title_en="Risk factors raise the sampling weight",
        quotes=(
            (
                12,
                "对投诉举报多，列入经营异常名录或有严重违法违规记录等情况的市场主体和违法违规"
                "情况易发多发的重点监管地区，要加大随机抽查力度。",
            ),
        ),
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
        articles=(13,),
        title_zh="违法违规行为依法作出处理决定，处理结果公示",
        title_en="A violation found has a decision, and the outcome is published",
        quotes=(
            (
                13,
                "依法做出是否予以行政处罚、移送其它行政机关、移送司法机关等处理决定。处理结果在"
                "天津市市场主体信用信息公示系统和联合监管系统公示",
            ),
        ),
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
        articles=(14,),
        title_zh="每次随机抽查结束后形成总结报告",
        title_en="Every finished random check has a summary report",
        quotes=(
            (
                14,
                "各级人力社保行政部门应当在每次随机抽查结束后，形成随机抽查总结报告，提出检查"
                "结论和处理意见",
            ),
        ),
        checks=(
            "Every finished random inspection has a summary report; every report of a random "
            "inspection states a conclusion and a handling opinion."
        ),
        pass_zh="总结报告完整",
        pass_en="summary report complete",
    ),
    RuleInfo(
        id="R-PUBLICITY",
        articles=(14,),
        title_zh="先公示后反馈，公示期不少于七天，有异议的复查复核",
        title_en="Publicity of at least 7 days before feedback; objections reviewed first",
        quotes=(
            (
                14,
                "检查结果需要进行公示的，应当先公示后反馈，公示期不少于七天；对公示有异议的，"
                "应当进行复查复核，确保检查结果公平公正。",
            ),
        ),
        checks=(
            "Every publicity period lasts at least the profile's `publicity_min_days`, both "
            "ends counted, in the profile's day counting (calendars.publicity_long_enough). "
            "Every feedback on an inspection under publicity is dated after the publicity "
            "ends and on or after calendars.earliest_feedback. Every objection has a finished "
            "review, and the review finished on or before every feedback dated on or after "
            "the day the objection was opened. Working-day counting without a calendar, or "
            "beyond its data, is 'unknown'."
        ),
        pass_zh="公示期满后反馈，异议已复核",
        pass_en="feedback after a full publicity, objections reviewed",
    ),
    RuleInfo(
        id="R-RULES-VALID",
        articles=(16,),
        title_zh="细则有效期两年",
        title_en="The rules are applied only while valid",
        quotes=((16, "本细则自印发之日起执行，有效期两年。"),),
        checks=(
            "Every inspection day lies in the profile's validity window (profile.valid_on). "
            "Without an issue date in the profile the whole check is 'unknown'."
        ),
        pass_zh="检查日在细则有效期内",
        pass_en="inspection day within the validity of the rules",
    ),
)

INFO: Final[dict[str, RuleInfo]] = {info.id: info for info in _INFOS}
"""Rule id → catalogue entry, in catalogue (article) order."""

RULE_IDS: Final = tuple(INFO)
"""Every rule id, in catalogue order."""
