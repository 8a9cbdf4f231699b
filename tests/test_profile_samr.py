"""The shipped market-regulation profile ``cn-samr-joint``: it conforms, holds the numbers its
file gives, quotes each text in that text's own section, and runs the whole pipeline — frame,
commitment, draw, dispatch, ledger, audit — with every finding citing its own articles."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from fractions import Fraction
from functools import cache

import pytest

from _builders import uscc
from randcheck import dispatch as dispatching
from randcheck.domain import (
    CheckItem,
    CheckItemList,
    Conflict,
    ConflictGround,
    Enterprise,
    Inspector,
    LegalBasis,
    LegalRank,
    Plan,
    RiskFlags,
    Scope,
    TimeWindow,
)
from randcheck.errors import InfeasibleDispatch, ValidationError
from randcheck.ledger import (
    CommitmentEntry,
    DispatchEntry,
    Disposition,
    DrawEntry,
    Inspection,
    InspectionKind,
    Ledger,
    Publication,
    PublicationKind,
    SummaryReport,
    TargetedGround,
    ViolationRecord,
)
from randcheck.profiles import SAMR_JOINT, TIANJIN_HRSS, CapScope, Severity, get_profile
from randcheck.profiles.registry import SHIPPED, profile_names, shipped_profile
from randcheck.sampling import Seed, build_frame, commit, draw, verify
from randcheck.testing import assert_conforms, profile_problems
from randcheck.validators import RULES, Outcome, Report, audit

LINE = "market-regulation"
YEAR = 2027

NO_PROVISION = {
    "R-COVERAGE",
    "R-CROSS-DISTRICT",
    "R-FEEDBACK-BY-INSPECTOR",
    "R-PLAN-DEADLINE",
    "R-PUBLICITY",
    "R-REPORT",
}
SECONDARY_ONLY = {"R-CAP", "R-ITEM-FIELDS", "R-PLAN-FIELDS", "R-RISK-WEIGHT"}

# The section of cn-samr-joint.zh.txt that holds each document the profile cites.
SECTIONS = {
    "《行政处罚法》": "S1",
    "《企业信息公示暂行条例》": "S2",
    "国办发〔2015〕58号": "S3",
    "国发〔2019〕5号": "S4",
    "国市监信发〔2022〕6号": "S5",
    "《企业公示信息抽查办法》": "S6",
    "市场监管总局2019年2月12日通知": "X1",
    "新华社2015年8月5日电": "X2",
    "国务院部署推广随机抽查新闻摘要": "X3",
    "河北日报2022年8月2日报道": "X5",
    "河北省涉企行政检查实施方案": "X9",
}


# --- the profile as shipped -------------------------------------------------------------------


def test_shipped_registered_and_exported() -> None:
    assert "cn-samr-joint" in SHIPPED
    assert "cn-samr-joint" in profile_names()
    assert get_profile("cn-samr-joint") is SAMR_JOINT
    assert shipped_profile("cn-samr-joint") == SAMR_JOINT
    assert SAMR_JOINT != TIANJIN_HRSS


def test_conforms() -> None:
    assert profile_problems(SAMR_JOINT) == []
    assert_conforms(SAMR_JOINT)


def test_every_quotation_lies_in_the_section_of_the_document_it_cites() -> None:
    source = SAMR_JOINT.source_text
    assert source is not None
    parts = re.split(r"^【([SX]\d+)】", source, flags=re.MULTILINE)
    sections = dict(zip(parts[1::2], parts[2::2], strict=True))
    quoted = 0
    for citation in SAMR_JOINT.citations:
        for article, text in citation.quotes:
            assert article in citation.articles, (citation.rule, article)
            assert text in sections[SECTIONS[article.document]], (citation.rule, text)
            quoted += 1
    assert quoted >= 30


def test_every_rule_is_cited_and_the_ones_without_provision_have_no_articles() -> None:
    assert {c.rule for c in SAMR_JOINT.citations} == set(RULES)
    empty = {c.rule for c in SAMR_JOINT.citations if not c.articles}
    assert empty == NO_PROVISION
    for citation in SAMR_JOINT.citations:
        if citation.articles:
            assert citation.quotes, citation.rule
            assert all(ref.document for ref in citation.articles), citation.rule
        else:
            assert citation.title.zh.startswith("无规定")


def test_secondary_sources_are_named_per_rule() -> None:
    primary = {doc for doc, tag in SECTIONS.items() if tag.startswith("S")}
    for rule in SECONDARY_ONLY:
        docs = {ref.document for ref in SAMR_JOINT.citation(rule).articles}
        assert docs, rule
        # No primary text states these rules; at most it defines a term they use.
        quoted = [
            text for ref, text in SAMR_JOINT.citation(rule).quotes if ref.document not in primary
        ]
        assert quoted, rule
    text = " ".join(SAMR_JOINT.limitations)
    for rule in SECONDARY_ONLY | NO_PROVISION:
        assert rule in text, rule
    assert "Punctuation restored" in text
    assert "Policy defaults" in text


def test_credit_risk_classes_and_their_weights() -> None:
    scheme = SAMR_JOINT.grading
    assert scheme.id == "credit-risk"
    assert scheme.codes == ("A", "B", "C", "D", "unrated")
    assert [(c.code, c.rank) for c in scheme.ranked] == [("A", 1), ("B", 2), ("C", 3), ("D", 4)]
    assert [c.name.zh for c in scheme.ranked] == [
        "信用风险低",
        "信用风险一般",
        "信用风险较高",
        "信用风险高",
    ]
    weights = {code: SAMR_JOINT.grade_weight(code) for code in scheme.codes}
    assert weights == {
        "A": Fraction(1, 2),
        "B": Fraction(1),
        "C": Fraction(2),
        "D": Fraction(4),
        "unrated": Fraction(1),
    }
    ranked = [c.weight for c in scheme.ranked]
    assert ranked == sorted(ranked)
    assert len(set(ranked)) == len(ranked)


def test_risk_factors_only_raise_the_weight() -> None:
    e = _enterprise(1, "B")
    assert SAMR_JOINT.weight(e) == 1
    flagged = _enterprise(
        1,
        "B",
        RiskFlags(
            complaints_12m=1, abnormal_operations=True, serious_violation=True, key_area=True
        ),
    )
    assert SAMR_JOINT.weight(flagged) == Fraction(27, 2)
    assert SAMR_JOINT.weight(_enterprise(2, "D", RiskFlags(serious_violation=True))) == 12


def test_cap_team_lines_and_periods() -> None:
    p = SAMR_JOINT
    assert (p.cap_per_year, p.cap_severity, p.cap.scope) == (
        2,
        Severity.WARNING,
        CapScope.DEPARTMENT,
    )
    assert (p.min_team_size, p.team.certificate_required) == (2, True)
    assert [line.id for line in p.lines] == [LINE]
    assert p.line(LINE).levels == ("national", "provincial", "city", "county")
    assert p.districts == ()
    assert p.publicity_min_days == 1
    assert (p.plan_deadline_month, p.plan_deadline_day) == (12, 31)
    assert p.stratum_keys == {"district", "industry", "credit-risk"}
    assert [r.id for r in p.legal_ranks if not r.sufficient] == ["normative-document"]


def test_in_force_from_the_2025_revision_with_no_expiry() -> None:
    assert SAMR_JOINT.issued == date(2025, 3, 18)
    assert SAMR_JOINT.validity_years is None
    assert SAMR_JOINT.valid_on(date(2025, 3, 17)) is False
    assert SAMR_JOINT.valid_on(date(2025, 3, 18)) is True
    assert SAMR_JOINT.valid_on(date(2040, 1, 1)) is True


def test_refuses_a_line_or_class_it_does_not_know() -> None:
    with pytest.raises(ValidationError) as exc:
        build_frame(_directory(), _plan(line="labour-inspection"), SAMR_JOINT)
    assert exc.value.field == "line"
    with pytest.raises(ValidationError) as exc:
        SAMR_JOINT.weight(_enterprise(1, "E"))
    assert "A, B, C, D, unrated" in str(exc.value.expected)


# --- the pipeline -----------------------------------------------------------------------------

CST = timezone(timedelta(hours=8))
CLASSES = ("A", "B", "C", "D", "unrated")
DISTRICTS = ("东城区", "西城区")
WINDOW = TimeWindow(start=date(YEAR, 4, 1), end=date(YEAR, 6, 30))
ITEMS = ("SC-01", "SC-02")


def _enterprise(n: int, grade: str, risk: RiskFlags | None = None) -> Enterprise:
    return Enterprise(
        uscc=uscc(f"91110101{n:08d}M"),
        name=f"北京样本商贸有限公司{n}",
        district=DISTRICTS[n % 2],
        industry="批发和零售业",
        grade=grade,
        risk=risk if risk is not None else RiskFlags(),
    )


def _directory() -> list[Enterprise]:
    return [
        _enterprise(
            n,
            CLASSES[n % 5],
            RiskFlags(
                complaints_12m=int(n % 11 == 0),
                abnormal_operations=n % 13 == 0,
                serious_violation=n % 29 == 0,
            ),
        )
        for n in range(1, 241)
    ]


def _plan(**changes: object) -> Plan:
    fields: dict[str, object] = {
        "code": f"SC-SJ-{YEAR}",
        "year": YEAR,
        "line": LINE,
        "items": ITEMS,
        "scope": Scope(description="本辖区登记的企业"),
        "inspector_requirements": "具有行政执法资格、持有效执法证件的执法人员，每组不少于2人",
        "ratio": Fraction(1, 10),
        "rounds": 1,
        "windows": (WINDOW,),
        "procedure": (
            "随机抽取检查对象，随机选派执法检查人员，检查结果通过国家企业信用信息公示系统公示"
        ),
        "team_size": 2,
        "strata": ("credit-risk",),
        "min_one_per_stratum": True,
        "submitted": date(YEAR - 1, 12, 10),
        "published": date(YEAR - 1, 12, 15),
    }
    fields.update(changes)
    return Plan(**fields)  # type: ignore[arg-type]


def _inspectors() -> list[Inspector]:
    return [
        Inspector(
            name=f"执法人员{k}",
            department="市场监督管理局",
            post="科员",
            certificate_no=f"SJ110100{k:04d}",
            phone="010-6500" + f"{k:04d}",
            district=DISTRICTS[k % 2],
            lines={LINE},
            certificate_valid_from=date(2024, 1, 1),
            certificate_valid_until=date(2029, 12, 31),
        )
        for k in range(1, 17)
    ]


def _item_list() -> CheckItemList:
    basis = LegalBasis(
        title="企业信息公示暂行条例",
        article="第十四条",
        rank=LegalRank.ADMINISTRATIVE_REGULATION,
        effective=date(2014, 10, 1),
    )
    return CheckItemList(
        version=f"SC-{YEAR}",
        line=LINE,
        effective=date(YEAR, 1, 1),
        published=date(YEAR - 1, 12, 20),
        items=(
            CheckItem(
                code="SC-01",
                line=LINE,
                content="企业年度报告公示信息的检查",
                inspecting_body="市场监督管理部门",
                target_type="各类企业",
                bases=(basis,),
            ),
            CheckItem(
                code="SC-02",
                line=LINE,
                content="企业即时公示信息的检查",
                inspecting_body="市场监督管理部门",
                target_type="各类企业",
                bases=(basis,),
            ),
        ),
    )


class _Year:
    """One lawful round under the profile: its inputs, records and ledger."""

    def __init__(self) -> None:
        profile = SAMR_JOINT
        self.directory = _directory()
        self.inspectors = _inspectors()
        self.plan = _plan()
        first = self.directory[0].uscc
        self.conflicts = [
            Conflict(
                inspector=self.inspectors[0].key,
                enterprise=first,
                ground=ConflictGround.FORMER_EMPLOYMENT,
            )
        ]
        self.frame = build_frame(self.directory, self.plan, profile)
        published = datetime(YEAR, 3, 20, 9, tzinfo=CST)
        self.commitment = commit(self.frame, published=published)
        self.record = draw(
            self.frame,
            self.commitment,
            Seed(
                value="2027-03-21 福彩3D 408", source="lottery", fixed=published + timedelta(days=1)
            ),
        )
        self.dispatch = dispatching.dispatch(
            self.record,
            self.directory,
            self.inspectors,
            self.conflicts,
            self.plan,
            profile,
            seed="2027-03-21 福彩3D 408 / dispatch",
            on=WINDOW.start,
            seed_source="lottery",
        )
        self.ledger = self._ledger()

    def _ledger(self) -> Ledger:
        draw_id, dispatch_id = self.record.digest(), self.dispatch.digest()
        inspections = [
            Inspection(
                id=f"SC-{YEAR}-{k:03d}",
                enterprise=team.enterprise,
                lines=(LINE,),
                items=ITEMS,
                team=tuple(team.members),
                unit=f"市场监管随机抽查第{k}组",
                started=WINDOW.start + timedelta(days=k),
                finished=WINDOW.start + timedelta(days=k + 1),
                kind=InspectionKind.RANDOM,
                draw=draw_id,
                dispatch=dispatch_id,
            )
            for k, team in enumerate(self.dispatch.current_teams(), start=1)
        ]
        complained = next(e for e in self.directory if e.risk.complaints_12m)
        targeted = Inspection(
            id=f"SC-{YEAR}-T-001",
            enterprise=complained.uscc,
            lines=(LINE,),
            items=("SC-01",),
            team=(self.inspectors[2].key, self.inspectors[3].key),
            unit="市场监管投诉举报核查组",
            started=date(YEAR, 7, 6),
            finished=date(YEAR, 7, 7),
            kind=InspectionKind.TARGETED,
            ground=TargetedGround.COMPLAINT_REPORT,
            ground_reference=f"举报〔{YEAR}〕001号",
            suspicion="举报反映虚假宣传",
        )
        found = inspections[0]
        assert found.finished is not None
        violation = ViolationRecord(
            id=f"WF-{found.id}",
            inspection=found.id,
            description="年度报告公示信息隐瞒真实情况",
            disposition=Disposition.ADMINISTRATIVE_PENALTY,
            decided=found.finished + timedelta(days=10),
            published=found.finished + timedelta(days=15),
            channel="国家企业信用信息公示系统",
        )
        reports = [
            SummaryReport(
                inspection=x.id,
                conclusion="发现违法违规行为" if x is found else "未发现问题",
                handling_opinion="依法立案查处" if x is found else "归档",
                dated=x.finished or x.started,
            )
            for x in (*inspections, targeted)
        ]
        item_list = _item_list()
        assert item_list.published is not None
        assert self.plan.published is not None
        channel = "国家企业信用信息公示系统"
        fixed = self.record.seed.fixed
        assert fixed is not None
        publications = [
            Publication(
                id="GK-QD",
                kind=PublicationKind.ITEM_LIST,
                subjects=(item_list.version,),
                published=item_list.published,
                channel=channel,
                text="市场监管随机抽查事项清单",
            ),
            Publication(
                id="GK-JH",
                kind=PublicationKind.PLAN,
                subjects=(self.plan.code,),
                published=self.plan.published,
                channel=channel,
                text="年度抽查工作计划",
            ),
            Publication(
                id="GK-CQ",
                kind=PublicationKind.DRAW,
                subjects=(draw_id,),
                published=fixed.date() + timedelta(days=1),
                channel=channel,
                text=f"抽取结果：抽中{self.record.sample_size}户；抽取记录{draw_id}",
            ),
            Publication(
                id="GK-JG",
                kind=PublicationKind.RESULTS,
                subjects=tuple(x.id for x in inspections),
                published=WINDOW.end + timedelta(days=5),
                channel=channel,
                text="随机抽查结果：" + "；".join(f"{x.enterprise} 已检查" for x in inspections),
            ),
        ]
        commitment = self.commitment
        return Ledger(
            year=YEAR,
            title="市场监管领域“双随机、一公开”台账（测试）",
            check_item_lists=(item_list,),
            plans=(self.plan,),
            commitments=(
                CommitmentEntry(
                    digest=commitment.frame_digest,
                    plan=self.plan.code,
                    published=commitment.published,
                    frame_size=commitment.eligible,
                ),
            ),
            draws=(DrawEntry.from_record(self.record),),
            dispatches=(DispatchEntry.from_record(self.dispatch),),
            inspections=sorted([*inspections, targeted], key=lambda x: (x.started, x.id)),
            reports=reports,
            violations=(violation,),
            publications=publications,
            enterprises=self.directory,
            inspectors=self.inspectors,
            conflicts=self.conflicts,
        )


@cache
def _year() -> _Year:
    return _Year()


@cache
def _report() -> Report:
    return audit(_year().ledger, SAMR_JOINT, include_passes=True)


def test_frame_stratifies_and_weighs_by_credit_risk_class() -> None:
    year = _year()
    assert [s.name for s in year.frame.strata] == sorted(CLASSES)
    by_code = {e.uscc: e for e in year.directory}
    units = list(year.frame.units())
    assert len(units) == len(year.directory)
    for unit in units:
        enterprise = by_code[unit.uscc]
        assert unit.stratum == enterprise.grade
        assert unit.weight == SAMR_JOINT.weight(enterprise)


def test_draw_verifies_against_its_inputs() -> None:
    year = _year()
    selected = year.record.selected_ids()
    assert 0 < len(selected) < len(year.directory)
    grades = {e.uscc: e.grade for e in year.directory}
    assert {grades[code] for code in selected} == set(CLASSES)
    assert verify(year.record, year.directory, plan=year.plan, profile=SAMR_JOINT).ok


def test_dispatch_staffs_every_target_lawfully_and_verifies() -> None:
    year = _year()
    teams = year.dispatch.current_teams()
    assert {t.enterprise for t in teams} == set(year.record.selected_ids())
    staff = {i.key: i for i in year.inspectors}
    conflicted = year.conflicts[0]
    for team in teams:
        assert len(set(team.members)) >= SAMR_JOINT.min_team_size
        assert all(LINE in staff[key].lines for key in team.members)
        if team.enterprise == conflicted.enterprise:
            assert conflicted.inspector not in team.members
    checked = dispatching.verify(
        year.dispatch,
        year.record,
        year.directory,
        year.inspectors,
        year.conflicts,
        year.plan,
        SAMR_JOINT,
    )
    assert checked.ok, checked.differences


def test_dispatch_refuses_inspectors_of_another_line() -> None:
    year = _year()
    others = [
        Inspector(
            name=i.name,
            department=i.department,
            post=i.post,
            certificate_no=i.certificate_no,
            phone=i.phone,
            district=i.district,
            lines={"labour-inspection"},
        )
        for i in year.inspectors
    ]
    with pytest.raises(InfeasibleDispatch) as exc:
        dispatching.dispatch(
            year.record,
            year.directory,
            others,
            (),
            year.plan,
            SAMR_JOINT,
            seed="x",
            on=WINDOW.start,
        )
    assert {code for code, _ in exc.value.blocking} == set(year.record.selected_ids())


def test_the_year_is_lawful_under_the_profile() -> None:
    report = _report()
    assert report.profile == "cn-samr-joint"
    assert report.ok
    assert report.count(outcome=Outcome.VIOLATION) == 0
    assert report.count(outcome=Outcome.WARNING) == 0
    assert report.count(outcome=Outcome.UNKNOWN) == 0


def test_every_finding_cites_the_profile_articles() -> None:
    report = _report()
    assert report.findings
    for finding in report.findings:
        assert finding.article == SAMR_JOINT.citation(finding.rule).article.en, finding
    cited = {f.article for f in report.findings if f.rule == "R-RECUSAL"}
    assert cited == {"《行政处罚法》 Art. 43"}


def test_rules_without_provision_are_not_applicable_and_the_others_apply() -> None:
    report = _report()
    for rule in NO_PROVISION:
        [only] = report.select(rule=rule)
        assert only.outcome is Outcome.NOT_APPLICABLE
        assert only.subject == "profile"
        assert only.article == "(no provision)"
    for rule in set(RULES) - NO_PROVISION:
        assert report.count(rule=rule, outcome=Outcome.PASS) > 0, rule
        assert report.count(rule=rule, outcome=Outcome.NOT_APPLICABLE) == 0, rule


def test_a_third_random_check_is_a_warning_citing_the_cap_source() -> None:
    year = _year()
    ledger = year.ledger
    first = next(x for x in ledger.inspections if x.kind is InspectionKind.RANDOM)
    extra = [
        Inspection(
            id=f"{first.id}-again-{n}",
            enterprise=first.enterprise,
            lines=(LINE,),
            items=("SC-01",),
            team=first.team,
            unit=first.unit,
            started=date(YEAR, 9 + n, 1),
            kind=InspectionKind.RANDOM,
            draw=first.draw,
            dispatch=first.dispatch,
        )
        for n in (1, 2)
    ]
    report = audit(Ledger(year=YEAR, inspections=(first, *extra)), SAMR_JOINT, rules=["R-CAP"])
    [warning] = report.select(rule="R-CAP", outcome=Outcome.WARNING)
    assert warning.article == "河北省涉企行政检查实施方案 item (4)"


def test_an_inverted_class_weight_is_a_violation() -> None:
    inverted = SAMR_JOINT.with_class_weights({"A": 8})
    report = audit(Ledger(year=YEAR), inverted, rules=["R-GRADE-WEIGHT"])
    [violation] = report.select(outcome=Outcome.VIOLATION)
    assert violation.article == SAMR_JOINT.citation("R-GRADE-WEIGHT").article.en


def test_guards_allow_what_the_profile_makes_no_provision_for() -> None:
    """cn-samr-joint's texts set no plan deadline and no publicity period: the guards do not
    invent one, they say so."""
    from randcheck.guards import may_give_feedback, may_submit_plan
    from randcheck.ledger import Publicity

    late = may_submit_plan(2027, date(2027, 6, 30), SAMR_JOINT)
    assert late.allowed
    assert late.rule == "R-PLAN-DEADLINE"
    assert "no provision" in late.reason.en
    period = Publicity(id="P1", inspections=("I1",), start=date(2027, 3, 1), end=date(2027, 3, 1))
    assert may_give_feedback(period, date(2027, 3, 1), SAMR_JOINT).allowed
