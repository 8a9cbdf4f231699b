"""A conformance suite every profile passes, for the shipped profiles and for third parties'.

:func:`profile_problems` lists what is wrong with a profile, each problem as a bilingual
:class:`~randcheck.text.Text`; :func:`assert_conforms` raises if the list is not empty. A third
party runs it in its own test suite over the profiles it writes::

    from randcheck.profiles import load_profile
    from randcheck.testing import assert_conforms

    def test_my_profile_conforms():
        assert_conforms(load_profile("my-city.toml"))

What is checked: class weights are positive and never prefer a worse ranked class to a better one
(R-GRADE-WEIGHT); every risk multiplier is at least 1 and tiers never fall as the value rises
(R-RISK-WEIGHT); every rule of the library has a citation entry (its articles, or none where the
profile's texts make no provision); every quotation appears verbatim in the profile's source
text where it ships one; titles and names render in both languages; positive periods, cap and
team size; a deadline that exists every year.
"""

from __future__ import annotations

import itertools

from randcheck.profiles import Profile
from randcheck.text import Text
from randcheck.validators import RULES

__all__ = ["ProfileNonConformance", "assert_conforms", "profile_problems"]


class ProfileNonConformance(AssertionError):
    """A profile fails the conformance suite; ``problems`` lists why."""

    def __init__(self, profile: str, problems: list[Text]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"profile {profile} does not conform:\n{lines}")


def _weights(profile: Profile) -> list[Text]:
    problems = []
    for scheme in profile.classification:
        for cls in scheme.classes:
            if cls.weight <= 0:
                problems.append(
                    Text(
                        zh=f"{scheme.id} 分类 {cls.code} 的权重 {cls.weight} 不为正",
                        en=f"class {cls.code} of {scheme.id} has weight {cls.weight} <= 0",
                    )
                )
        for better, worse in itertools.pairwise(scheme.ranked):
            if better.weight > worse.weight:
                problems.append(
                    Text(
                        zh=f"{scheme.id}：较好的 {better.code} 权重高于较差的 {worse.code}",
                        en=f"{scheme.id}: better class {better.code} weighs more than "
                        f"worse class {worse.code}",
                    )
                )
    for factor in profile.risk_factors:
        values = [m for _, m in factor.tiers]
        if any(m < 1 for m in values):
            problems.append(
                Text(
                    zh=f"风险因素 {factor.id} 的系数小于 1",
                    en=f"risk factor {factor.id} has a multiplier below 1",
                )
            )
        if values != sorted(values):
            problems.append(
                Text(
                    zh=f"风险因素 {factor.id} 的系数随取值升高而下降",
                    en=f"risk factor {factor.id}'s multiplier falls as its value rises",
                )
            )
    return problems


def _citations(profile: Profile) -> list[Text]:
    problems = []
    cited = {c.rule for c in profile.citations}
    known = set(RULES)
    for rule in sorted(known - cited):
        problems.append(
            Text(
                zh=f"规则 {rule} 没有条文出处（无规定时写 articles = []）",
                en=f"rule {rule} has no citation entry (write articles = [] where none applies)",
            )
        )
    for rule in sorted(cited - known):
        problems.append(Text(zh=f"未知规则 {rule}", en=f"unknown rule {rule}"))
    source = profile.source_text
    for citation in profile.citations:
        if not citation.title.zh or not citation.title.en:
            problems.append(
                Text(zh=f"{citation.rule} 标题缺语言", en=f"{citation.rule} title lacks a language")
            )
        if citation.articles and not citation.quotes:
            problems.append(
                Text(zh=f"{citation.rule} 没有引文", en=f"{citation.rule} quotes no words")
            )
        for article, quote in citation.quotes:
            if source is not None and quote not in source:
                problems.append(
                    Text(
                        zh=f"{citation.rule} 引用{article.zh}的文字不在原文中：{quote}",
                        en=f"{citation.rule}: the quotation of {article.en} is not verbatim in "
                        f"the source text: {quote}",
                    )
                )
    return problems


def profile_problems(profile: Profile) -> list[Text]:
    """Every way ``profile`` breaks the conformance suite (empty when it conforms)."""
    problems = [*_weights(profile), *_citations(profile)]
    if not profile.title.zh or not profile.title.en:
        problems.append(Text(zh="标题缺语言", en="the title lacks a language"))
    for line in profile.lines:
        if not line.name.zh or not line.name.en:
            problems.append(
                Text(zh=f"条线 {line.id} 名称缺语言", en=f"line {line.id} lacks a name")
            )
    return problems


def assert_conforms(profile: Profile) -> None:
    """Raise unless ``profile`` passes the conformance suite.

    Raises:
        ProfileNonConformance: with every problem found.
    """
    problems = profile_problems(profile)
    if problems:
        raise ProfileNonConformance(profile.name, problems)
