"""The rule catalogue (``docs/rules.md``), generated from the registry."""

from __future__ import annotations

from randcheck.validators._meta import article_zh
from randcheck.validators._registry import RULES

__all__ = ["catalogue_markdown"]

_HEADER = """\
# Rule catalogue / 规则目录

Generated from `randcheck.validators.RULES` by `python -m randcheck.validators --catalogue`;
do not edit by hand. A test fails when this file and the code differ.

Source: 天津市人力资源社会保障领域“双随机一公开”工作细则（试行） (Tianjin HR & social-security
double-random, one-public working rules, trial). Every rule has one function
`randcheck.validators.check_<name>(ledger, profile)`, and `randcheck.validators.audit(ledger,
profile)` runs them all. Each finding has the rule id, an outcome (pass, violation, warning,
not-applicable, unknown), the article, the subject (the path of the record in the ledger, e.g.
`inspections[12]`, or `profile`) and a Chinese and an English message.

| id | article | rule |
|---|---|---|
"""


def catalogue_markdown() -> str:
    """The Markdown text of ``docs/rules.md``."""
    parts = [_HEADER]
    for rule in RULES.values():
        anchor = rule.id.lower()
        parts.append(
            f"| [{rule.id}](#{anchor}) | {rule.article_zh} {rule.article} | "
            f"{rule.title_zh} — {rule.title_en} |\n"
        )
    for rule in RULES.values():
        parts.append(f"\n## {rule.id}\n\n")
        parts.append(f"**{rule.title_zh}** — {rule.title_en}\n\n")
        parts.append(
            f"- Article: {rule.article_zh} ({rule.article})\n"
            f"- Function: `randcheck.validators.{rule.function.__name__}`\n\n"
        )
        for article, quote in rule.quotes:
            parts.append(f"> {article_zh((article,))}：{quote}\n>\n")
        parts[-1] = parts[-1].removesuffix(">\n")
        parts.append(f"\nWhat is checked: {rule.checks}\n")
    return "".join(parts)
