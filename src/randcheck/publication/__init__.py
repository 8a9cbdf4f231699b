"""Publications: what a bureau posts for the "one public" (一公开), built from the records.

One module per publication, each a pure function from records (and the directory, for names)
to a :class:`Document`:

- :func:`check_item_list` — the check-item list (随机抽查事项清单, Art. 5);
- :func:`annual_plan` — the annual plan (随机抽查计划, Art. 8, 9);
- :func:`draw_announcement` — the draw announcement (抽取结果公告), with the command that
  re-checks it (:func:`verify_command`);
- :func:`dispatch_announcement` — the teams by inspector name and certificate number;
- :func:`results_publicity` — the results publicity (检查结果公示, Art. 14) with each period
  counted as the profile counts it;
- :func:`feedback_letter` — the feedback letter (检查结果告知书) to one enterprise;
- :func:`annual_report` — the year's report (随机抽查总结报告) and its statistics.

:func:`write_document` writes a document as CSV, ``.xlsx`` (extra ``xlsx``) or HTML, after
:func:`check_public` has found no personal data in it (R-PUBLIC). Texts come from Jinja2
templates held with the profile (:class:`Templates`); see ``docs/publications.md``.
"""

from __future__ import annotations

from randcheck.publication._common import MissingRecord, Settings
from randcheck.publication._document import (
    LANGUAGES,
    Chart,
    Document,
    Language,
    PersonalDataInPublication,
    Table,
    check_public,
)
from randcheck.publication._formats import (
    FORMATS,
    Format,
    render_csv,
    render_html,
    render_xlsx,
    write_document,
)
from randcheck.publication._templates import TEMPLATE_ROOT, TemplateProblem, Templates
from randcheck.publication.annual_report import YearFigures, annual_report, year_figures
from randcheck.publication.check_items import check_item_list
from randcheck.publication.dispatch import dispatch_announcement
from randcheck.publication.draw import check_publishable, draw_announcement, verify_command
from randcheck.publication.feedback import feedback_letter
from randcheck.publication.plan import annual_plan
from randcheck.publication.results import results_publicity

__all__ = [
    "FORMATS",
    "LANGUAGES",
    "TEMPLATE_ROOT",
    "Chart",
    "Document",
    "Format",
    "Language",
    "MissingRecord",
    "PersonalDataInPublication",
    "Settings",
    "Table",
    "TemplateProblem",
    "Templates",
    "YearFigures",
    "annual_plan",
    "annual_report",
    "check_item_list",
    "check_public",
    "check_publishable",
    "dispatch_announcement",
    "draw_announcement",
    "feedback_letter",
    "render_csv",
    "render_html",
    "render_xlsx",
    "results_publicity",
    "verify_command",
    "write_document",
    "year_figures",
]
