"""The rule catalogue (``docs/rules.md``), generated from the registry."""

from __future__ import annotations

from randcheck.profiles import TIANJIN_HRSS, Profile
from randcheck.validators._registry import RULES

__all__ = ["catalogue_markdown"]

_HEADER = """\
# Rule catalogue / 规则目录

Generated from `randcheck.validators.RULES` and the profile `{name}` by
`python -m randcheck.validators --catalogue --profile {name}`; do not edit by hand. A test fails
when this file and the code differ.

Source: {title_zh} ({title_en}). What each rule rests on — articles, title and the words quoted
— comes from the profile; what is checked is the library's own. Every rule has one function
`randcheck.validators.check_<name>(ledger, profile)`, and `randcheck.validators.audit(ledger,
profile)` runs them all. Each finding has the rule id, an outcome (pass, violation, warning,
not-applicable, unknown), the article, the subject (the path of the record in the ledger, e.g.
`inspections[12]`, or `profile`) and a Chinese and an English message.

| id | article | rule |
|---|---|---|
"""


def catalogue_markdown(profile: Profile = TIANJIN_HRSS) -> str:
    """The Markdown text of the rule catalogue under ``profile`` (``docs/rules.md`` is the one of
    ``cn-tj-hrss``)."""
    parts = [
        _HEADER.format(name=profile.name, title_zh=profile.title.zh, title_en=profile.title.en)
    ]
    for rule in RULES.values():
        cited = rule.citation(profile)
        anchor = rule.id.lower()
        parts.append(
            f"| [{rule.id}](#{anchor}) | {cited.article.zh} {cited.article.en} | "
            f"{cited.title.zh} — {cited.title.en} |\n"
        )
    for rule in RULES.values():
        cited = rule.citation(profile)
        parts.append(f"\n## {rule.id}\n\n")
        parts.append(f"**{cited.title.zh}** — {cited.title.en}\n\n")
        parts.append(
            f"- Article: {cited.article.zh} ({cited.article.en})\n"
            f"- Function: `randcheck.validators.{rule.function.__name__}`\n\n"
        )
        for article, quote in cited.quotes:
            parts.append(f"> {article.text.zh}：{quote}\n>\n")
        parts[-1] = parts[-1].removesuffix(">\n")
        parts.append(f"\nWhat is checked: {rule.checks}\n")
    return "".join(parts)
