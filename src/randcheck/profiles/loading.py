"""Profiles from TOML files: the schema, read strictly, with every problem collected.

A profile file is TOML (read with the standard library's :mod:`tomllib`). Its shape is
documented in ``docs/profiles.md``; ``cn-tj-hrss.toml`` inside the package is a complete
example. Loading checks every key against the schema and collects *all* problems — unknown
keys, missing keys, wrong types, fractions that are not exact, unknown ids — each with its path
in the document (``$.classification[0].classes[2].weight``), then raises one
:class:`~randcheck.errors.InputFileError` that lists them; nothing is guessed or dropped.

Fractions are written as strings in their exact form (``"3/2"``, ``"2"``); floats are refused
because a weight in a published record must be exact.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any, Final, TypeVar

from randcheck.calendars import DayCounting
from randcheck.errors import InputFileError, Location, RandcheckError, ValidationError
from randcheck.profiles.schema import (
    ArticleRef,
    CapRule,
    CapScope,
    ClassDef,
    ClassScheme,
    District,
    LineDef,
    OpenChoice,
    PeriodRule,
    Profile,
    RankDef,
    RecusalPairs,
    RiskFactor,
    RuleCitation,
    Severity,
    Source,
    TeamRule,
)
from randcheck.rules.catalogue import RULE_IDS
from randcheck.text import Text

__all__ = ["SCHEMA_VERSION", "load_profile", "read_profile"]

SCHEMA_VERSION: Final = 1
"""The version of the profile file format this release reads (the file's ``schema`` key)."""

T = TypeVar("T")

_ZH_NUMERALS: Final = ("", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十")


def _zh_number(n: int) -> str:
    """Article numbers in Chinese numerals: 10 十, 15 十五, 101 一百零一, 110 一百一十."""
    if n <= 10:
        return _ZH_NUMERALS[n]
    if n < 20:
        return "十" + _ZH_NUMERALS[n - 10]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _ZH_NUMERALS[tens] + "十" + _ZH_NUMERALS[ones]
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = _ZH_NUMERALS[hundreds] + "百"
        if rest == 0:
            return head
        if rest < 10:
            return head + "零" + _ZH_NUMERALS[rest]
        tail = _zh_number(rest)
        return head + ("一" + tail if rest < 20 else tail)
    return str(n)


def article_ref(number: int, document: str = "") -> ArticleRef:
    """Article ``number`` as cited: ``10`` → ``第十条`` / ``Art. 10``."""
    return ArticleRef(zh=f"第{_zh_number(number)}条", en=f"Art. {number}", document=document)


class _Reader:
    """Reads one document, recording every problem with its path instead of stopping."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.errors: list[RandcheckError] = []

    def error(self, path: str, expected: str, got: Any) -> None:
        shown = (
            got if not isinstance(got, dict | list) or len(repr(got)) <= 80 else type(got).__name__
        )
        self.errors.append(
            ValidationError(
                f"expected {expected}, got {shown!r}",
                field=path,
                expected=expected,
                got=got,
                location=Location(file=self.source, column=path),
            )
        )

    def table(
        self, value: Any, path: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.error(path, "a table", value)
            return None
        known = set(required) | set(optional)
        for key in value:
            if key not in known:
                self.error(f"{path}.{key}", f"one of the keys {sorted(known)}", key)
        ok = True
        for key in required:
            if key not in value:
                self.error(f"{path}.{key}", "a value (required)", None)
                ok = False
        return value if ok else None

    def typed(self, value: Any, path: str, kind: type[T], expected: str) -> T | None:
        if isinstance(value, bool) and kind is not bool:
            self.error(path, expected, value)
            return None
        if not isinstance(value, kind):
            self.error(path, expected, value)
            return None
        return value

    def string(self, value: Any, path: str, *, empty: bool = False) -> str | None:
        text = self.typed(value, path, str, "a string")
        if text is not None and not empty and not text.strip():
            self.error(path, "a non-empty string", value)
            return None
        return text

    def integer(
        self, value: Any, path: str, minimum: int | None = None, maximum: int | None = None
    ) -> int | None:
        number = self.typed(value, path, int, "an integer")
        if number is None:
            return None
        low = minimum if minimum is not None else number
        high = maximum if maximum is not None else number
        if not low <= number <= high:
            if maximum is None:
                self.error(path, f"an integer >= {minimum}", value)
            else:
                self.error(path, f"an integer from {low} to {maximum}", value)
            return None
        return number

    def boolean(self, value: Any, path: str) -> bool | None:
        return self.typed(value, path, bool, "true or false")

    def fraction(self, value: Any, path: str) -> Fraction | None:
        expected = "an exact positive number as a string, 'p/q' or an integer (not a float)"
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.error(path, expected, value)
            return None
        try:
            result = Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            self.error(path, expected, value)
            return None
        if "." in value or "e" in value.lower() or result <= 0:
            self.error(path, expected, value)
            return None
        return result

    def text(self, value: Any, path: str) -> Text | None:
        table = self.table(value, path, ("zh", "en"))
        if table is None:
            return None
        zh = self.string(table["zh"], f"{path}.zh")
        en = self.string(table["en"], f"{path}.en")
        return None if zh is None or en is None else Text(zh=zh, en=en)

    def array(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            self.error(path, "an array", value)
            return []
        return value

    def each(self, value: Any, path: str, read: Callable[[Any, str], T | None]) -> tuple[T, ...]:
        out = []
        for i, item in enumerate(self.array(value, path)):
            parsed = read(item, f"{path}[{i}]")
            if parsed is not None:
                out.append(parsed)
        return tuple(out)

    def choice(self, value: Any, path: str, choices: Mapping[str, T]) -> T | None:
        if isinstance(value, str) and value in choices:
            return choices[value]
        self.error(path, "one of " + ", ".join(repr(c) for c in choices), value)
        return None

    def build(self, path: str, make: Callable[[], T]) -> T | None:
        try:
            return make()
        except ValidationError as exc:
            where = f"{path}.{exc.field}" if exc.field else path
            self.error(where, exc.expected or "a consistent value", exc.got)
            return None


# --- the parts ---------------------------------------------------------------------------


def _line(r: _Reader, value: Any, path: str) -> LineDef | None:
    t = r.table(value, path, ("id", "name", "lead"), ("levels",))
    if t is None:
        return None
    line_id = r.string(t["id"], f"{path}.id")
    name = r.text(t["name"], f"{path}.name")
    lead = r.text(t["lead"], f"{path}.lead")
    levels = r.each(t.get("levels", ["city"]), f"{path}.levels", r.string)
    if line_id is None or name is None or lead is None:
        return None
    return r.build(path, lambda: LineDef(id=line_id, name=name, lead=lead, levels=levels))


def _district(r: _Reader, value: Any, path: str) -> District | None:
    t = r.table(value, path, ("code", "name"), ("en",))
    if t is None:
        return None
    code = r.string(t["code"], f"{path}.code")
    name = r.string(t["name"], f"{path}.name")
    en = r.string(t.get("en", ""), f"{path}.en", empty=True)
    if code is not None and (len(code) != 6 or not code.isdigit()):
        r.error(f"{path}.code", "a 6-digit GB/T 2260 area code", code)
        code = None
    if code is None or name is None or en is None:
        return None
    return District(code=code, name=name, en=en)


def _class(r: _Reader, value: Any, path: str) -> ClassDef | None:
    t = r.table(value, path, ("code", "name", "weight"), ("rank",))
    if t is None:
        return None
    code = r.string(t["code"], f"{path}.code")
    name = r.text(t["name"], f"{path}.name")
    weight = r.fraction(t["weight"], f"{path}.weight")
    rank = r.integer(t.get("rank", 0), f"{path}.rank", minimum=0)
    if code is None or name is None or weight is None or rank is None:
        return None
    return ClassDef(code=code, name=name, weight=weight, rank=rank)


def _scheme(r: _Reader, value: Any, path: str) -> ClassScheme | None:
    t = r.table(value, path, ("id", "name", "classes"), ("unrated",))
    if t is None:
        return None
    scheme_id = r.string(t["id"], f"{path}.id")
    name = r.text(t["name"], f"{path}.name")
    classes = r.each(t["classes"], f"{path}.classes", lambda v, p: _class(r, v, p))
    unrated = r.string(t.get("unrated", "unrated"), f"{path}.unrated")
    if scheme_id is None or name is None or unrated is None:
        return None
    return r.build(
        path, lambda: ClassScheme(id=scheme_id, name=name, classes=classes, unrated=unrated)
    )


def _tier(r: _Reader, value: Any, path: str) -> tuple[int, Fraction] | None:
    t = r.table(value, path, ("at", "multiplier"))
    if t is None:
        return None
    at = r.integer(t["at"], f"{path}.at", minimum=1)
    multiplier = r.fraction(t["multiplier"], f"{path}.multiplier")
    return None if at is None or multiplier is None else (at, multiplier)


def _risk_factor(r: _Reader, value: Any, path: str) -> RiskFactor | None:
    t = r.table(value, path, ("id", "name", "tiers"))
    if t is None:
        return None
    factor_id = r.string(t["id"], f"{path}.id")
    name = r.text(t["name"], f"{path}.name")
    tiers = r.each(t["tiers"], f"{path}.tiers", lambda v, p: _tier(r, v, p))
    thresholds = [at for at, _ in tiers]
    if thresholds != sorted(set(thresholds)):
        r.error(f"{path}.tiers", "thresholds in increasing order, each once", thresholds)
    if factor_id is None or name is None:
        return None
    return RiskFactor(id=factor_id, name=name, tiers=tiers)


def _period(r: _Reader, value: Any, path: str) -> PeriodRule | None:
    t = r.table(value, path, ("days",), ("counting", "start_day_counted", "holiday_rollover"))
    if t is None:
        return None
    days = r.integer(t["days"], f"{path}.days", minimum=1, maximum=365)
    counting = r.choice(
        t.get("counting", "calendar"), f"{path}.counting", {d.value: d for d in DayCounting}
    )
    # Unless the profile says otherwise, periods are counted as the civil code counts them
    # (民法典 Art. 201: the start day is not counted; Art. 203: holiday roll-over).
    start = r.boolean(t.get("start_day_counted", False), f"{path}.start_day_counted")
    rollover = r.boolean(t.get("holiday_rollover", True), f"{path}.holiday_rollover")
    if days is None or counting is None or start is None or rollover is None:
        return None
    return PeriodRule(
        days=days, counting=counting, start_day_counted=start, holiday_rollover=rollover
    )


def _rank(r: _Reader, value: Any, path: str) -> RankDef | None:
    t = r.table(value, path, ("id", "name", "sufficient"))
    if t is None:
        return None
    rank_id = r.string(t["id"], f"{path}.id")
    name = r.text(t["name"], f"{path}.name")
    sufficient = r.boolean(t["sufficient"], f"{path}.sufficient")
    if rank_id is None or name is None or sufficient is None:
        return None
    return RankDef(id=rank_id, name=name, sufficient=sufficient)


def _open_choice(r: _Reader, value: Any, path: str) -> OpenChoice | None:
    t = r.table(value, path, ("id", "name"), ("needs_text",))
    if t is None:
        return None
    choice_id = r.string(t["id"], f"{path}.id")
    name = r.text(t["name"], f"{path}.name")
    needs_text = r.boolean(t.get("needs_text", False), f"{path}.needs_text")
    if choice_id is None or name is None or needs_text is None:
        return None
    return OpenChoice(id=choice_id, name=name, needs_text=needs_text)


def _source(r: _Reader, value: Any, path: str) -> Source | None:
    t = r.table(value, path, ("title",), ("reference", "articles"))
    if t is None:
        return None
    title = r.string(t["title"], f"{path}.title")
    reference = r.string(t.get("reference", ""), f"{path}.reference", empty=True)
    articles = r.string(t.get("articles", ""), f"{path}.articles", empty=True)
    if title is None or reference is None or articles is None:
        return None
    return Source(title=title, reference=reference, articles=articles)


def _article(r: _Reader, value: Any, path: str) -> ArticleRef | None:
    """An article: a number of the main text (``10``) or a table ``{zh, en, document}``."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 1:
            r.error(path, "an article number >= 1", value)
            return None
        return article_ref(value)
    t = r.table(value, path, ("zh", "en"), ("document",))
    if t is None:
        return None
    zh = r.string(t["zh"], f"{path}.zh")
    en = r.string(t["en"], f"{path}.en")
    document = r.string(t.get("document", ""), f"{path}.document", empty=True)
    if zh is None or en is None or document is None:
        return None
    return ArticleRef(zh=zh, en=en, document=document)


def _quote(r: _Reader, value: Any, path: str) -> tuple[ArticleRef, str] | None:
    t = r.table(value, path, ("article", "text"))
    if t is None:
        return None
    article = _article(r, t["article"], f"{path}.article")
    text = r.string(t["text"], f"{path}.text")
    return None if article is None or text is None else (article, text)


def _citation(r: _Reader, rule: str, value: Any, path: str) -> RuleCitation | None:
    t = r.table(value, path, ("articles", "title"), ("quotes",))
    if t is None:
        return None
    articles = r.each(t["articles"], f"{path}.articles", lambda v, p: _article(r, v, p))
    title = r.text(t["title"], f"{path}.title")
    quotes = r.each(t.get("quotes", []), f"{path}.quotes", lambda v, p: _quote(r, v, p))
    if title is None:
        return None
    return RuleCitation(rule=rule, articles=articles, title=title, quotes=quotes)


_TOP_REQUIRED: Final = (
    "schema",
    "name",
    "title",
    "jurisdiction",
    "lines",
    "classification",
    "periods",
    "cap",
    "team",
    "legal_ranks",
    "rules",
)
_TOP_OPTIONAL: Final = (
    "districts",
    "risk_factors",
    "strata",
    "plan_deadline",
    "targeted_grounds",
    "dispositions",
    "issued",
    "validity_years",
    "sources",
    "limitations",
    "source_text",
)


def _profile(r: _Reader, data: Any, base: Path | None) -> Profile | None:
    t = r.table(data, "$", _TOP_REQUIRED, _TOP_OPTIONAL)
    if t is None:
        return None
    schema = r.integer(t["schema"], "$.schema")
    if schema is not None and schema != SCHEMA_VERSION:
        r.error("$.schema", f"{SCHEMA_VERSION} (the profile format this release reads)", schema)
    name = r.string(t["name"], "$.name")
    title = r.text(t["title"], "$.title")
    jurisdiction = r.string(t["jurisdiction"], "$.jurisdiction")
    lines = r.each(t["lines"], "$.lines", lambda v, p: _line(r, v, p))
    districts = r.each(t.get("districts", []), "$.districts", lambda v, p: _district(r, v, p))
    schemes = r.each(t["classification"], "$.classification", lambda v, p: _scheme(r, v, p))
    factors = r.each(
        t.get("risk_factors", []), "$.risk_factors", lambda v, p: _risk_factor(r, v, p)
    )
    strata = r.each(t.get("strata", ["district", "industry"]), "$.strata", r.string)

    periods = r.table(t["periods"], "$.periods", ("publicity",))
    publicity = None if periods is None else _period(r, periods["publicity"], "$.periods.publicity")

    deadline: tuple[int, int] = (11, 30)
    if "plan_deadline" in t:
        d = r.table(t["plan_deadline"], "$.plan_deadline", ("month", "day"))
        if d is not None:
            month = r.integer(d["month"], "$.plan_deadline.month", minimum=1)
            day = r.integer(d["day"], "$.plan_deadline.day", minimum=1)
            if month is not None and day is not None:
                deadline = (month, day)

    cap = None
    c = r.table(t["cap"], "$.cap", ("per_year",), ("scope", "severity", "total_per_year"))
    if c is not None:
        per_year = r.integer(c["per_year"], "$.cap.per_year", minimum=1, maximum=366)
        scope = r.choice(
            c.get("scope", "department"), "$.cap.scope", {s.value: s for s in CapScope}
        )
        severity = r.choice(
            c.get("severity", "warning"), "$.cap.severity", {s.value: s for s in Severity}
        )
        total = None
        if "total_per_year" in c:
            total = r.integer(c["total_per_year"], "$.cap.total_per_year", minimum=1, maximum=366)
        if per_year is not None and scope is not None and severity is not None:
            cap = CapRule(per_year=per_year, scope=scope, severity=severity, total_per_year=total)

    team = None
    tm = r.table(t["team"], "$.team", ("min_size",), ("certificate_required", "recusal_pairs"))
    if tm is not None:
        size = r.integer(tm["min_size"], "$.team.min_size", minimum=1, maximum=50)
        cert = r.boolean(tm.get("certificate_required", True), "$.team.certificate_required")
        pairs = r.choice(
            tm.get("recusal_pairs", RecusalPairs.PUBLIC.value),
            "$.team.recusal_pairs",
            {choice.value: choice for choice in RecusalPairs},
        )
        if size is not None and cert is not None and pairs is not None:
            team = TeamRule(min_size=size, certificate_required=cert, recusal_pairs=pairs)

    ranks = r.each(t["legal_ranks"], "$.legal_ranks", lambda v, p: _rank(r, v, p))
    grounds = r.each(
        t.get("targeted_grounds", []), "$.targeted_grounds", lambda v, p: _open_choice(r, v, p)
    )
    dispositions = r.each(
        t.get("dispositions", []), "$.dispositions", lambda v, p: _open_choice(r, v, p)
    )
    citations: list[RuleCitation] = []
    rules = t["rules"] if isinstance(t["rules"], dict) else r.table(t["rules"], "$.rules", ())
    if rules is not None:
        for rule_id in RULE_IDS:
            if rule_id not in rules:
                r.error(
                    f"$.rules.{rule_id}",
                    "a citation for every rule (articles = [] where the texts make no provision)",
                    None,
                )
        for rule_id, entry in rules.items():
            if rule_id not in RULE_IDS:
                r.error(f"$.rules.{rule_id}", "one of the rules " + ", ".join(RULE_IDS), rule_id)
                continue
            found = _citation(r, rule_id, entry, f"$.rules.{rule_id}")
            if found is not None:
                citations.append(found)

    issued: date | None = None
    if "issued" in t:
        value = t["issued"]
        if isinstance(value, date) and not isinstance(value, datetime):
            issued = value
        else:
            r.error("$.issued", "a date YYYY-MM-DD (not a date and time)", value)
    validity_years = None
    if "validity_years" in t:
        validity_years = r.integer(t["validity_years"], "$.validity_years", minimum=1, maximum=100)
    sources = r.each(t.get("sources", []), "$.sources", lambda v, p: _source(r, v, p))
    limitations = r.each(t.get("limitations", []), "$.limitations", r.string)

    source_text = None
    if "source_text" in t:
        file_name = r.string(t["source_text"], "$.source_text")
        if file_name is not None:
            source_text = _read_source_text(r, file_name, base)
    _check_quotes(r, citations, source_text)

    if (
        name is None
        or title is None
        or jurisdiction is None
        or publicity is None
        or cap is None
        or team is None
        or r.errors
    ):
        return None
    return r.build(
        "$",
        lambda: Profile(
            name=name,
            title=title,
            jurisdiction=jurisdiction,
            lines=lines,
            districts=districts,
            classification=schemes,
            risk_factors=factors,
            strata=strata,
            publicity=publicity,
            plan_deadline=deadline,
            cap=cap,
            team=team,
            legal_ranks=ranks,
            targeted_grounds=grounds,
            dispositions=dispositions,
            citations=citations,
            issued=issued,
            validity_years=validity_years,
            sources=sources,
            limitations=limitations,
            source_text=source_text,
        ),
    )


def _check_quotes(r: _Reader, citations: list[RuleCitation], source: str | None) -> None:
    """Each quotation is from one of its rule's articles and, where the profile ships its
    source text, appears in it character for character."""
    for citation in citations:
        for q, (article, text) in enumerate(citation.quotes):
            path = f"$.rules.{citation.rule}.quotes[{q}]"
            if article not in citation.articles:
                r.error(f"{path}.article", "one of the rule's articles", article.text.en)
            if source is not None and text not in source:
                r.error(f"{path}.text", "words found verbatim in the source text", text)


def _read_source_text(r: _Reader, file_name: str, base: Path | None) -> str | None:
    if Path(file_name).name != file_name or file_name in (".", ".."):
        r.error("$.source_text", "the name of a file beside the profile (no folders)", file_name)
        return None
    if base is None:
        r.error("$.source_text", "a file beside the profile (read from a string: none)", file_name)
        return None
    path = base / file_name
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        r.error("$.source_text", f"a readable UTF-8 file ({exc.__class__.__name__})", str(path))
        return None


def read_profile(text: str, *, source: str = "<string>", base: Path | None = None) -> Profile:
    """The profile in the TOML document ``text``.

    ``base`` is the folder a ``source_text`` file name is relative to.

    Raises:
        InputFileError: the document is not TOML, or does not fit the schema; ``errors``
            lists every problem, each with its path (``$.cap.per_year``).
    """
    reader = _Reader(source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError(
            f"不是有效的 TOML / not valid TOML: {exc}",
            field="profile",
            expected="a TOML document",
            got=str(exc),
            location=Location(file=source),
        ) from None
    profile = _profile(reader, data, base)
    if profile is None or reader.errors:
        count = len(reader.errors)
        raise InputFileError(
            f"政策配置文件有 {count} 处错误 / the profile file has {count} problem(s)",
            errors=reader.errors,
            field="profile",
            expected="a profile document (docs/profiles.md)",
            got=source,
            location=Location(file=source),
        )
    return profile


def load_profile(path: str | Path) -> Profile:
    """The profile in the TOML file at ``path`` (its ``source_text`` read from beside it).

    Raises:
        InputFileError: the file cannot be read, is not TOML, or does not fit the schema;
            ``errors`` lists every problem with its path.
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(
            f"无法读取政策配置文件 / cannot read the profile file: {exc}",
            field="profile",
            expected="a readable UTF-8 TOML file",
            got=str(file),
            location=Location(file=str(file)),
        ) from None
    return read_profile(text, source=str(file), base=file.parent)
