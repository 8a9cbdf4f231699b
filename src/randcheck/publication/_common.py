"""What every publication needs besides its records: the profile, the language, the texts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

import attrs

from randcheck.calendars import WorkingDayCalendar
from randcheck.domain import Enterprise
from randcheck.errors import RandcheckError
from randcheck.profiles import Profile
from randcheck.profiles.schema import ArticleRef, RuleCitation
from randcheck.publication._document import Document, Language, Table, label
from randcheck.publication._templates import Templates
from randcheck.text import Text

__all__ = ["MissingRecord", "Settings"]


class MissingRecord(RandcheckError, LookupError):
    """A publication needs a record or directory entry that was not given."""


@attrs.frozen(kw_only=True, eq=False)
class Settings:
    """How publications are written.

    ``profile``: texts, article references and the publicity counting; ``lang``: ``"zh"``
    (default) or ``"en"``; ``templates``: where texts come from (default: the profile's,
    then the default set); ``authority``: the issuing authority's name (empty: the
    template ``authority.<lang>.j2``); ``calendar``: holiday data for periods that roll over
    holidays (``None``: such dates are "unknown").
    """

    profile: Profile
    lang: Language = "zh"
    templates: Templates | None = None
    authority: str = ""
    calendar: WorkingDayCalendar | None = None

    @property
    def texts(self) -> Templates:
        """The template set in use."""
        return self.templates if self.templates is not None else Templates(self.profile.name)

    def t(self, text: Text) -> str:
        """``text`` in the publication's language."""
        return text.render(self.lang)

    def label(self, key: str) -> str:
        """A column or fact label in the publication's language."""
        return label(key, self.lang)

    def article(self, *rules: str) -> str:
        """The profile's articles for ``rules``, joined, in the publication's language."""
        # Merged article by article, so that two rules resting on one article cite it once.
        articles: list[ArticleRef] = []
        for rule in rules:
            for ref in self.profile.citation(rule).articles:
                if ref not in articles:
                    articles.append(ref)
        merged = RuleCitation(rule="+".join(rules), articles=articles, title=Text(zh="", en=""))
        return self.t(merged.article)

    def line(self, line_id: str) -> str:
        """A line's name in the publication's language (its id if the profile lacks it)."""
        try:
            return self.t(self.profile.line_name(line_id))
        except RandcheckError:
            return line_id

    def disposition(self, disposition_id: str | None) -> str:
        """A disposition's name in the publication's language."""
        if disposition_id is None:
            return self.label("none")
        for choice in self.profile.dispositions:
            if choice.id == disposition_id:
                return self.t(choice.name)
        return disposition_id

    @property
    def who(self) -> str:
        """The issuing authority."""
        return self.authority or self.texts.snippet("authority", self.lang, {})

    def base_context(self) -> dict[str, Any]:
        """Names every template may use: ``authority``, ``rules_title``, ``lang``."""
        return {
            "authority": self.who,
            "rules_title": self.t(self.profile.title),
            "lang": self.lang,
        }

    def document(
        self,
        kind: str,
        context: Mapping[str, Any],
        *,
        facts: Iterable[tuple[str, str]] = (),
        tables: Iterable[Table] = (),
    ) -> Document:
        """The document of ``kind`` with its texts rendered from the templates."""
        title, body = self.texts.text(kind, self.lang, {**self.base_context(), **context})
        return Document(
            kind=kind, lang=self.lang, title=title, body=body, facts=facts, tables=tables
        )

    def day(self, value: date | None) -> str:
        """A date as ``YYYY-MM-DD`` (empty for ``None``)."""
        return "" if value is None else value.isoformat()

    def moment(self, value: datetime | None) -> str:
        """A timestamp as ``YYYY-MM-DD HH:MM (UTC+08:00)`` (empty for ``None``)."""
        if value is None:
            return ""
        offset = value.strftime("%z")
        return f"{value:%Y-%m-%d %H:%M} (UTC{offset[:3]}:{offset[3:]})"

    def joined(self, values: Iterable[str]) -> str:
        """Values joined as a list is in the publication's language."""
        return ("、" if self.lang == "zh" else ", ").join(values)


def names_of(
    enterprises: Iterable[Enterprise], wanted: Iterable[str], what: str
) -> dict[str, Enterprise]:
    """The directory entries of the USCCs ``wanted``, by USCC.

    Raises:
        MissingRecord: naming every USCC the directory lacks.
    """
    directory = {e.uscc: e for e in enterprises}
    missing = sorted({u for u in wanted if u not in directory})
    if missing:
        shown = ", ".join(missing[:10]) + (
            f" … (+{len(missing) - 10})" if len(missing) > 10 else ""
        )
        raise MissingRecord(
            Text(
                zh=f"名录中没有{what}中的 {len(missing)} 户企业：{shown}；请提供抽取时使用的名录",
                en=f"the directory lacks {len(missing)} enterprise(s) of the {what}: {shown}; "
                "give the directory the draw was made from",
            ),
            field="enterprises",
            expected="every enterprise named in the record",
            got=missing,
        )
    return {u: directory[u] for u in wanted}
