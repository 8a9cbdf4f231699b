"""Findings, the report of an audit, and the exception raised for violations."""

from __future__ import annotations

import enum
import json
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from randcheck import canonical
from randcheck._deprecation import warn_deprecated
from randcheck.errors import InputFileError, Location, RandcheckError, ValidationError
from randcheck.ids import mask_personal_data
from randcheck.text import Text

__all__ = ["Finding", "Outcome", "Report", "RuleViolation", "report_json"]


class Outcome(enum.Enum):
    """What a rule says about one record."""

    PASS = "pass"
    VIOLATION = "violation"
    WARNING = "warning"
    NOT_APPLICABLE = "not-applicable"
    UNKNOWN = "unknown"

    @property
    def zh(self) -> str:
        """The Chinese label."""
        return _OUTCOME_ZH[self]


_OUTCOME_ZH = {
    Outcome.PASS: "符合",
    Outcome.VIOLATION: "违规",
    Outcome.WARNING: "警示",
    Outcome.NOT_APPLICABLE: "不适用",
    Outcome.UNKNOWN: "无法判断",
}

# Column order of counts and text tables: the outcomes that need attention first.
OUTCOME_ORDER = (
    Outcome.VIOLATION,
    Outcome.WARNING,
    Outcome.UNKNOWN,
    Outcome.PASS,
    Outcome.NOT_APPLICABLE,
)

_SEVERITY = {
    Outcome.VIOLATION: 4,
    Outcome.WARNING: 3,
    Outcome.UNKNOWN: 2,
    Outcome.PASS: 1,
    Outcome.NOT_APPLICABLE: 0,
}


def worst(outcomes: Iterable[Outcome]) -> Outcome:
    """The most serious of ``outcomes`` (violation > warning > unknown > pass > n/a)."""
    return max(outcomes, key=_SEVERITY.__getitem__, default=Outcome.PASS)


def _masked(message: Text) -> Text:
    if not isinstance(message, Text):
        raise ValidationError(field="message", expected="a Text(zh, en)", got=message)
    return Text(zh=mask_personal_data(message.zh), en=mask_personal_data(message.en))


@attrs.frozen(kw_only=True)
class Finding:
    """What one rule says about one record.

    ``subject`` is the path of the record in the ledger (``"inspections[12]"``,
    ``"check_item_lists[0].items[3]"``), ``"profile"`` for the policy profile, or ``"ledger"``
    for the ledger as a whole. Messages are Chinese and English; any resident identity number
    or mobile number in them (an inspector key, say) is masked, because audit reports are
    shown and published (R-PUBLIC). ``message`` is one bilingual :class:`~randcheck.text.Text`;
    ``message_zh`` and ``message_en`` read its parts.
    """

    rule: str
    outcome: Outcome
    article: str
    subject: str
    message: Text = attrs.field(converter=_masked)

    @property
    def message_zh(self) -> str:
        """The message in Chinese."""
        return self.message.zh

    @property
    def message_en(self) -> str:
        """The message in English."""
        return self.message.en

    def __str__(self) -> str:
        return (
            f"[{self.outcome.zh} {self.outcome.value}] {self.rule} ({self.article}) "
            f"{self.subject}: {self.message}"
        )

    def row(self) -> dict[str, str]:
        """The finding as a flat dict of strings (one row of a table)."""
        return {
            "rule": self.rule,
            "outcome": self.outcome.value,
            "article": self.article,
            "subject": self.subject,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
        }


class RuleViolation(RandcheckError, ValueError):
    """A rule violation raised by :meth:`Report.raise_if_violations`; ``finding`` says which."""

    def __init__(
        self,
        message: str | None = None,
        *,
        finding: Finding,
        field: str | None = None,
        expected: str | None = None,
        got: Any = None,
        location: Any = None,
    ) -> None:
        if message is None:
            message = str(finding)
        super().__init__(
            message,
            field=field if field is not None else finding.subject,
            expected=expected,
            got=got,
            location=location,
        )
        self.finding = finding

    def _kwargs(self) -> dict[str, Any]:
        kwargs = super()._kwargs()
        kwargs["finding"] = self.finding
        return kwargs


def _freeze_counts(value: Mapping[str, Mapping[Outcome, int]]) -> dict[str, dict[Outcome, int]]:
    # Every outcome of every rule, zero where none was counted: the report's document lists
    # them all, so a report read back from it is equal to the one written.
    return {
        rule: {outcome: per.get(outcome, 0) for outcome in Outcome} for rule, per in value.items()
    }


def _as_tuple(value: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Report:
    """The result of :func:`~randcheck.validators.audit`.

    ``counts`` maps every rule id (in catalogue order) to the number of records per outcome
    (every outcome, zero where none was counted); ``findings`` holds every finding that is not
    a pass (and the passes too when the audit was run with ``include_passes=True``), in
    catalogue order. A report is a :class:`~randcheck.canonical.Record`; its document has no
    envelope: ``{"profile", "year", "ok", "counts", "findings"}``.
    """

    profile: str
    year: int | None = None
    counts: dict[str, dict[Outcome, int]] = attrs.field(converter=_freeze_counts, hash=False)
    findings: tuple[Finding, ...] = attrs.field(converter=_as_tuple)

    @property
    def ok(self) -> bool:
        """Whether there is no violation (warnings and unknowns do not count)."""
        return self.count(outcome=Outcome.VIOLATION) == 0

    def count(self, rule: str | None = None, outcome: Outcome | None = None) -> int:
        """The number of records with ``outcome`` under ``rule`` (``None``: any)."""
        total = 0
        for rule_id, per in self.counts.items():
            if rule is not None and rule_id != rule:
                continue
            for key, number in per.items():
                if outcome is None or key is outcome:
                    total += number
        return total

    def select(self, rule: str | None = None, outcome: Outcome | None = None) -> list[Finding]:
        """The findings under ``rule`` with ``outcome`` (``None``: any)."""
        return [
            finding
            for finding in self.findings
            if (rule is None or finding.rule == rule)
            and (outcome is None or finding.outcome is outcome)
        ]

    @property
    def violations(self) -> list[Finding]:
        """The findings with outcome violation."""
        return self.select(outcome=Outcome.VIOLATION)

    @property
    def warnings(self) -> list[Finding]:
        """The findings with outcome warning."""
        return self.select(outcome=Outcome.WARNING)

    def raise_if_violations(self) -> None:
        """Raise an :class:`ExceptionGroup` of one :class:`RuleViolation` per violation.

        Does nothing when there is no violation.
        """
        violations = self.violations
        if violations:
            raise ExceptionGroup(
                f"违反规则 {len(violations)} 项 / {len(violations)} rule violation(s)",
                [RuleViolation(finding=finding) for finding in violations],
            )

    def rows(self) -> list[dict[str, str]]:
        """The findings as flat dicts, ready for ``pandas.DataFrame(report.rows())``."""
        return [finding.row() for finding in self.findings]

    def count_rows(self) -> list[dict[str, Any]]:
        """One dict per rule with the number of records per outcome."""
        return [
            {"rule": rule, **{outcome.value: per.get(outcome, 0) for outcome in OUTCOME_ORDER}}
            for rule, per in self.counts.items()
        ]

    def to_document(self) -> dict[str, Any]:
        """The report as a JSON-ready document.

        ``{"profile": ..., "year": ..., "ok": ..., "counts": {rule: {outcome: n}},
        "findings": [row, ...]}``, the rows as :meth:`rows` gives them. ``randcheck audit
        --json`` writes it indented (:func:`report_json`).
        """
        return {
            "profile": self.profile,
            "year": self.year,
            "ok": self.ok,
            "counts": {
                rule: {outcome.value: per.get(outcome, 0) for outcome in OUTCOME_ORDER}
                for rule, per in self.counts.items()
            },
            "findings": self.rows(),
        }

    @classmethod
    def from_document(cls, document: Any, *, source: str | None = None) -> Report:
        """Read a report written by :meth:`to_document`.

        Raises:
            InputFileError: every problem found, each with its JSON path; ``ok`` must agree
                with the counts.
        """
        read = canonical.structure(document, _ReportDocument, source=source)
        report = cls(
            profile=read.profile,
            year=read.year,
            counts=read.counts,
            findings=[row.finding() for row in read.findings],
        )
        if read.ok != report.ok:
            location = None if source is None else Location(file=source)
            error = ValidationError(
                f"ok is {read.ok} but the counts hold {report.count(outcome=Outcome.VIOLATION)} "
                "violation(s) @ $.ok",
                field="$.ok",
                expected=str(report.ok).lower(),
                got=read.ok,
                location=location,
            )
            raise InputFileError(
                "审计报告前后矛盾 / the report contradicts itself",
                errors=[error],
                location=location,
            )
        return report

    def digest(self) -> str:
        """``"sha256:<hex>"`` of the canonical bytes of :meth:`to_document`."""
        return canonical.digest(self.to_document())

    def to_data(self) -> dict[str, Any]:
        """Deprecated: :meth:`to_document`."""
        warn_deprecated("Report.to_data()", "Report.to_document()")
        return self.to_document()

    def to_json(self) -> str:
        """Deprecated: :func:`report_json` (indented) or
        ``canonical_json(report.to_document())``."""
        warn_deprecated("Report.to_json()", "randcheck.validators.report_json(report)")
        return report_json(self)

    def to_text(self) -> str:
        """A readable bilingual rendering: the counts per rule, then every violation, warning
        and unknown."""
        return render_text(self)


@attrs.frozen(kw_only=True)
class _ReportDocument:
    """The shape of :meth:`Report.to_document`, for strict reading."""

    profile: str
    year: int | None
    ok: bool
    counts: dict[str, dict[Outcome, int]]
    findings: tuple[_FindingRow, ...]


@attrs.frozen(kw_only=True)
class _FindingRow:
    """A finding as a row of the report document: the message in two flat columns."""

    rule: str
    outcome: Outcome
    article: str
    subject: str
    message_zh: str
    message_en: str

    def finding(self) -> Finding:
        return Finding(
            rule=self.rule,
            outcome=self.outcome,
            article=self.article,
            subject=self.subject,
            message=Text(zh=self.message_zh, en=self.message_en),
        )


def report_json(report: Report) -> str:
    """The report's document as indented JSON text (UTF-8, Chinese kept as is), as
    ``randcheck audit --json`` prints it; not canonical JSON (for a digest use
    :meth:`Report.digest`)."""
    return json.dumps(report.to_document(), ensure_ascii=False, indent=2)


def _width(text: str) -> int:
    # Chinese characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, *, right: bool = False) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(_width(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = ["  ".join(_pad(cell, width) for cell, width in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * width for width in widths))
    for row in rows:
        lines.append(
            "  ".join(
                _pad(cell, width, right=cell.isdigit())
                for cell, width in zip(row, widths, strict=True)
            )
        )
    return [line.rstrip() for line in lines]


_SHOWN = frozenset({Outcome.VIOLATION, Outcome.WARNING, Outcome.UNKNOWN})


def render_text(report: Report) -> str:
    """The text of :meth:`Report.to_text`."""
    violations = report.count(outcome=Outcome.VIOLATION)
    warnings = report.count(outcome=Outcome.WARNING)
    unknown = report.count(outcome=Outcome.UNKNOWN)
    year = f" {report.year}" if report.year is not None else ""
    verdict_zh = "未发现违规" if violations == 0 else f"发现违规 {violations} 项"
    verdict_en = "no violation" if violations == 0 else f"{violations} violation(s)"
    lines = [
        f"合规审计{year} / compliance audit{year} — 政策配置 / profile {report.profile}",
        f"{verdict_zh}，警示 {warnings} 项，无法判断 {unknown} 项 / "
        f"{verdict_en}, {warnings} warning(s), {unknown} unknown",
        "",
    ]
    header = ["rule", *(f"{outcome.zh} {outcome.value}" for outcome in OUTCOME_ORDER)]
    rows = [
        [rule, *(str(per.get(outcome, 0)) for outcome in OUTCOME_ORDER)]
        for rule, per in report.counts.items()
    ]
    lines.extend(_table(header, rows))
    shown = [finding for finding in report.findings if finding.outcome in _SHOWN]
    if shown:
        lines.append("")
        lines.append("问题 / findings:")
        for finding in shown:
            lines.append(
                f"- [{finding.outcome.zh} {finding.outcome.value}] {finding.rule} "
                f"{finding.article} @ {finding.subject}"
            )
            lines.append(f"  {finding.message_zh}")
            lines.append(f"  {finding.message_en}")
    return "\n".join(lines) + "\n"
