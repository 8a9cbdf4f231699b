"""The draw announcement (抽取结果公告): who was drawn, and how anyone can re-check it
(Art. 2, 3, 10; R-RANDOM, R-PUBLIC)."""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterable

from randcheck.domain import Enterprise, Plan
from randcheck.io.plans import require_draw_plan
from randcheck.publication._common import Settings, names_of
from randcheck.publication._document import Document, Table
from randcheck.sampling import DrawRecord

__all__ = ["draw_announcement", "verify_command"]


def verify_command(
    draw: str | os.PathLike[str],
    *,
    enterprises: str | os.PathLike[str],
    record_digest: str,
    commitment: str | os.PathLike[str] | None = None,
    history: str | os.PathLike[str] | None = None,
    profile: str | None = None,
) -> str:
    """The ``randcheck verify`` command that re-runs a draw from its published files, as one
    shell line (each word quoted where the shell needs it)."""
    words = ["randcheck", "verify", os.fspath(draw), "--enterprises", os.fspath(enterprises)]
    if history is not None:
        words += ["--history", os.fspath(history)]
    if commitment is not None:
        words += ["--commitment", os.fspath(commitment)]
    words += ["--record-digest", record_digest]
    if profile is not None:
        words += ["--profile", profile]
    return shlex.join(words)


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
        "verify": verify,
        "record_digest": record.digest(),
        "article": settings.article("R-RANDOM"),
    }
    return settings.document("draw", context, facts=facts, tables=[table])
