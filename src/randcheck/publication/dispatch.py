"""The dispatch announcement (随机选派执法检查人员公告): the teams by inspector name and
enforcement certificate number (Art. 10; R-RANDOM, R-PUBLIC).

No resident identity number, phone number or recusal detail is published: only the number of
recusals. A member known only by an identity number (never dispatched lawfully, R-TEAM) is
shown masked (:func:`randcheck.privacy.mask_inspector_key`).
"""

from __future__ import annotations

from collections.abc import Iterable

from randcheck.dispatch import DispatchRecord, PoolCommitment
from randcheck.domain import Enterprise, Inspector
from randcheck.errors import ValidationError
from randcheck.privacy import mask_inspector_key
from randcheck.publication._common import MissingRecord, Settings, names_of
from randcheck.publication._document import Document, Table
from randcheck.text import Text

__all__ = ["dispatch_announcement"]


def dispatch_announcement(
    record: DispatchRecord,
    inspectors: Iterable[Inspector],
    settings: Settings,
    *,
    enterprises: Iterable[Enterprise] | None = None,
    pool: PoolCommitment | None = None,
    verify: str | None = None,
) -> Document:
    """The announcement of ``record``'s teams (after any replacement): for each drawn
    enterprise its district, the members' names and certificate numbers and their
    departments, from ``inspectors`` (the inspector directory); enterprise names from
    ``enterprises`` where given. With ``pool`` (the published pool commitment of a
    pool-based record) the facts give when it was published beside when the seed was fixed,
    and ``verify`` (:func:`~randcheck.publication.verify_command` with ``dispatch=``) is how
    anyone re-runs the dispatch from the published files.

    Raises:
        MissingRecord: a member is not in ``inspectors``, or (with ``enterprises``) an
            enterprise is not in it.
        ValidationError: ``pool`` is not the commitment ``record`` is bound to, or the seed
            was fixed at or before the pool was published (the announcement would state a
            false order).
        TemplateProblem: a template is missing or broken.
    """
    if pool is not None:
        _check_pool(record, pool)
    teams = record.current_teams()
    staff = {inspector.key: inspector for inspector in inspectors}
    missing = sorted({k for team in teams for k in team.members if k not in staff})
    if missing:
        shown = ", ".join(mask_inspector_key(k) for k in missing[:10])
        raise MissingRecord(
            Text(
                zh=f"执法检查人员名录中没有选派记录中的 {len(missing)} 名人员：{shown}",
                en=f"the inspector directory lacks {len(missing)} member(s) of the dispatch "
                f"record: {shown}",
            ),
            field="inspectors",
            expected="every member named in the dispatch record",
            got=len(missing),
        )
    names = (
        names_of(enterprises, [t.enterprise for t in teams], "选派记录 dispatch record")
        if enterprises is not None
        else None
    )
    rows = []
    for n, team in enumerate(teams, start=1):
        members = [staff[k] for k in team.members]
        row = [str(n)]
        if names is not None:
            row.append(names[team.enterprise].name)
        row += [
            team.enterprise,
            team.district,
            settings.joined(m.name for m in members),
            settings.joined(mask_inspector_key(m.certificate_no or m.key) for m in members),
            settings.joined(dict.fromkeys(m.department for m in members)),
        ]
        rows.append(tuple(row))
    keys = ["no", *(["name"] if names is not None else []), "uscc", "district"]
    keys += ["inspector", "certificate", "department"]
    table = Table(
        title=settings.label("team"), columns=[settings.label(k) for k in keys], rows=rows
    )
    facts = [
        (settings.label("plan"), record.plan_code),
        (settings.label("line"), settings.line(record.line)),
        (settings.label("inspection_date"), settings.day(record.inspection_date)),
        (settings.label("team_size"), str(record.team_size)),
        (settings.label("team"), str(len(teams))),
        (settings.label("recusals"), str(len(record.recusals))),
        (settings.label("seed"), record.seed),
        (settings.label("seed_source"), record.seed_source),
        (settings.label("seed_fixed"), settings.moment(record.seed_fixed)),
        (settings.label("dispatch_digest"), record.digest()),
        (settings.label("draw_digest"), record.draw_digest),
    ]
    if pool is not None:
        facts += [
            (settings.label("pool_digest"), pool.digest()),
            (settings.label("pool_published"), settings.moment(pool.published)),
        ]
        if pool.salted:
            # Not counted among the recusals above, which are the public pairs only: said
            # here, with what the public re-check can and cannot do for those teams.
            pairs, firms = len(pool.salted), len(pool.hidden())
            hidden = Text(
                zh=f"{pairs}对（涉及{firms}家企业），以加盐承诺公布；这些企业的检查组公众核验只能"
                "确认其合规，核验命令对其给出“部分核验”（退出码3），由监督机构凭盐值完整核验",
                en=f"{pairs} pair(s) over {firms} enterprise(s), published as salted "
                "commitments: the public re-check can confirm these teams are lawful but not "
                "re-derive them, and says 'partly verified' (exit 3); the oversight office "
                "checks them in full with the salt",
            )
            facts.append((settings.label("hidden_pairs"), settings.t(hidden)))
    if verify is not None:
        facts.append((settings.label("verify"), verify))
    context = {
        "code": record.plan_code,
        "line": settings.line(record.line),
        "teams": len(teams),
        "inspection_date": settings.day(record.inspection_date),
        "recusals": len(record.recusals),
        "record_digest": record.digest(),
        "article": settings.article("R-RANDOM", "R-RECUSAL"),
    }
    return settings.document("dispatch", context, facts=facts, tables=[table])


def _check_pool(record: DispatchRecord, pool: PoolCommitment) -> None:
    if record.inspectors_digest != pool.digest():
        raise ValidationError(
            Text(
                zh=f"执法人员库承诺（{pool.digest()}）不是选派记录所依据的承诺"
                f"（{record.inspectors_digest}），不予公告",
                en=f"the pool commitment ({pool.digest()}) is not the one the dispatch record "
                f"is bound to ({record.inspectors_digest}); not published",
            ),
            field="pool",
            expected=record.inspectors_digest,
            got=pool.digest(),
        )
    fixed, published = record.seed_fixed, pool.published
    if fixed is not None and published is not None and fixed <= published:
        raise ValidationError(
            Text(
                zh=f"选派种子于{fixed.isoformat()}确定，不在执法人员库承诺公布"
                f"（{published.isoformat()}）之后，不予公告",
                en=f"the dispatch seed was fixed at {fixed.isoformat()}, not after the pool "
                f"commitment was published ({published.isoformat()}); not published",
            ),
            field="seed_fixed",
            expected=f"after {published.isoformat()}",
            got=fixed.isoformat(),
        )
