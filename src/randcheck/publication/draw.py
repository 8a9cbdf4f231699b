"""The draw announcement (抽取结果公告): who was drawn, and how anyone can re-check it
(Art. 2, 3, 10; R-RANDOM, R-PUBLIC)."""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterable

from randcheck.domain import Enterprise, Plan
from randcheck.errors import ValidationError
from randcheck.io.plans import require_draw_plan
from randcheck.publication._common import Settings, names_of
from randcheck.publication._document import Document, Table
from randcheck.sampling import Commitment, DrawRecord
from randcheck.text import Text

__all__ = ["check_publishable", "draw_announcement", "verify_command"]

_DEFAULT_ENCODING = "utf-8-sig"


def verify_command(
    draw: str | os.PathLike[str],
    *,
    enterprises: str | os.PathLike[str],
    record_digest: str,
    commitment: str | os.PathLike[str] | None = None,
    history: str | os.PathLike[str] | None = None,
    profile: str | None = None,
    sheet: str | None = None,
    columns: str | os.PathLike[str] | None = None,
    encoding: str | None = None,
    extra: str | None = None,
    dispatch: str | os.PathLike[str] | None = None,
    plan: str | os.PathLike[str] | None = None,
    pool: str | os.PathLike[str] | None = None,
) -> str:
    """The ``randcheck verify`` command that re-runs a draw from its published files, as one
    shell line (each word quoted where the shell needs it). With ``dispatch``, ``plan`` and
    ``pool`` it re-runs the dispatch ``dispatch`` of the draw ``draw`` from the published pool
    commitment instead (``record_digest`` then being the dispatch record's).

    The options that say how the target directory is read — ``sheet`` (of an ``.xlsx``
    directory), ``columns`` (a column map file), ``encoding`` (of a CSV directory) and
    ``extra`` (``"error"`` or ``"ignore"``) — are carried over when given and not the
    default, so that ``verify`` reads the directory exactly as the draw was published from it.
    """
    if dispatch is not None:
        if plan is None or pool is None:
            raise ValueError("a dispatch is re-run from its draw, plan and pool commitment")
        words = ["randcheck", "verify", os.fspath(dispatch), "--draw", os.fspath(draw)]
        words += ["--plan", os.fspath(plan), "--pool", os.fspath(pool)]
        words += ["--enterprises", os.fspath(enterprises)]
    else:
        words = ["randcheck", "verify", os.fspath(draw), "--enterprises", os.fspath(enterprises)]
    if sheet is not None:
        # A name with "=" would read as KIND=SHEET: name the kind outright.
        words += ["--sheet", f"enterprises={sheet}" if "=" in sheet else sheet]
    if columns is not None:
        words += ["--columns", os.fspath(columns)]
    if encoding is not None and encoding != _DEFAULT_ENCODING:
        words += ["--encoding", encoding]
    if extra is not None and extra != "error":
        words += ["--extra", extra]
    if history is not None:
        words += ["--history", os.fspath(history)]
    if commitment is not None:
        words += ["--commitment", os.fspath(commitment)]
    words += ["--record-digest", record_digest]
    if profile is not None:
        words += ["--profile", profile]
    return shlex.join(words)


def check_publishable(record: DrawRecord, commitment: Commitment | None = None) -> None:
    """Refuse a draw record whose announcement would state something false (R-RANDOM,
    R-PUBLIC): a record made under another commitment than ``commitment`` (the one
    published; default: the record's own), or one whose seed was fixed at or before the
    commitment was published (:meth:`~randcheck.sampling.DrawRecord.seed_after_commitment`,
    the check :func:`~randcheck.sampling.verify` makes). A record that does not show the
    order (a time unknown) passes: its announcement says so.

    Raises:
        ValidationError: naming both values.
    """
    if commitment is not None and commitment != record.commitment:
        raise ValidationError(
            Text(
                zh=f"抽取记录中的承诺（{record.commitment.digest()}，承诺值 "
                f"{record.commitment.frame_digest}）不是给定的已公布承诺（{commitment.digest()}，"
                f"承诺值 {commitment.frame_digest}），不予公告",
                en=f"the draw record's commitment ({record.commitment.digest()}, digest "
                f"{record.commitment.frame_digest}) is not the published commitment given "
                f"({commitment.digest()}, digest {commitment.frame_digest}); not announced",
            ),
            field="commitment",
            expected=commitment.digest(),
            got=record.commitment.digest(),
        )
    if record.seed_after_commitment() is False:
        published = record.commitment.published
        fixed = record.seed.fixed
        raise ValidationError(
            Text(
                zh=f"随机种子于{fixed}确定，不在承诺公布（{published}）之后，不予公告",
                en=f"the seed was fixed at {fixed}, not after the commitment was published "
                f"({published}); not announced",
            ),
            field="seed.fixed",
            expected=f"after {published}",
            got=fixed,
        )


def draw_announcement(
    record: DrawRecord,
    plan: Plan,
    enterprises: Iterable[Enterprise],
    settings: Settings,
    *,
    verify: str,
) -> Document:
    """The announcement of ``record``: plan, round, the commitment's digest and publication
    time, the seed with its source and when it was fixed, the record's digest, the command
    that re-checks it (``verify``, see :func:`verify_command`), and the drawn enterprises
    with name (from ``enterprises``, the directory the draw was made from), USCC, district and
    the plan's items.

    Raises:
        ValidationError: ``plan`` is not the record's plan.
        MissingRecord: an enterprise drawn is not in ``enterprises``.
        TemplateProblem: a template is missing or broken.
    """
    require_draw_plan(plan, record)
    drawn = record.selected_ids()
    directory = names_of(enterprises, drawn, "抽取记录 draw record")
    items = settings.joined(plan.items)
    rows = [
        (str(n), directory[u].name, u, directory[u].district, items)
        for n, u in enumerate(drawn, start=1)
    ]
    commitment = record.commitment
    unknown = "—"
    facts = [
        (settings.label("plan"), plan.code),
        (settings.label("line"), settings.line(plan.line)),
        (settings.label("year"), str(plan.year)),
        (settings.label("round"), str(record.round)),
        (settings.label("commitment_digest"), commitment.frame_digest),
        (settings.label("commitment_record"), commitment.digest()),
        (settings.label("commitment_published"), settings.moment(commitment.published) or unknown),
        (settings.label("seed"), record.seed.value),
        (settings.label("seed_source"), record.seed.source),
        (settings.label("seed_fixed"), settings.moment(record.seed.fixed) or unknown),
        (settings.label("record_digest"), record.digest()),
        (settings.label("eligible"), str(commitment.eligible)),
        (settings.label("cap_reached"), str(commitment.cap_reached)),
        (settings.label("drawn"), str(len(drawn))),
        (settings.label("verify"), verify),
    ]
    columns = [settings.label(key) for key in ("no", "name", "uscc", "district", "items")]
    table = Table(title=settings.label("drawn_list"), columns=columns, rows=rows)
    context = {
        "code": plan.code,
        "year": plan.year,
        "line": settings.line(plan.line),
        "round": record.round,
        "eligible": commitment.eligible,
        "drawn": len(drawn),
        "commitment_published": settings.moment(commitment.published) or unknown,
        "seed": record.seed.value,
        "seed_source": record.seed.source,
        "seed_fixed": settings.moment(record.seed.fixed) or unknown,
        # The order is stated only when the record shows it (both times known).
        "seed_after": record.seed_after_commitment() is True,
        "verify": verify,
        "record_digest": record.digest(),
        "article": settings.article("R-RANDOM"),
    }
    return settings.document("draw", context, facts=facts, tables=[table])
