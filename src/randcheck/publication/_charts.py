"""Charts of the year's report as inline SVG (extra ``charts``: matplotlib, Agg backend).

Text in the SVG stays text (``svg.fonttype = "none"``), with a CJK-capable font list and a
generic fallback, so a browser renders the Chinese labels with whatever CJK font it has even
where this machine has none; matplotlib's own warnings about glyphs it cannot measure are
silenced for that reason.
"""

from __future__ import annotations

import io
import re
import warnings
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final

from randcheck.publication._common import Settings
from randcheck.publication._document import Chart
from randcheck.text import Text

if TYPE_CHECKING:
    from randcheck.publication.annual_report import YearFigures

__all__ = ["FONTS", "charts"]

FONTS: Final = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "DejaVu Sans",
    "sans-serif",
)

_TITLES: Final = {
    "month": Text(zh="各月检查次数", en="inspections by month"),
    "class": Text(zh="各守法诚信等级的违法率", en="violation rate by class"),
    "years": Text(zh="逐年覆盖率", en="coverage over years"),
}


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    text = buffer.getvalue()
    # The XML declaration and DOCTYPE belong to a file, not to an element inside HTML.
    start = text.find("<svg")
    text = re.sub(r"<!--.*?-->", "", text[start:], flags=re.S).strip()
    # Coordinates to a tenth of a point: two six-decimal coordinates in a row ("133.435526
    # 184.608") read as a phone number with separators, and the page is checked for those
    # like any other publication.
    return _DECIMALS.sub(r"\1", text)


_DECIMALS: Final = re.compile(r"(\d\.\d)\d+")


def _class_name(code: str, settings: Settings) -> str:
    # A grade's code (A, B, C) reads the same in both languages; a word-like code such as
    # ``unrated`` is shown by the profile's name for it in the page's language.
    cls = settings.profile.grading.get(code)
    if cls is None or len(code) <= 2:
        return code
    return settings.t(cls.name)


def charts(figures: YearFigures, settings: Settings) -> tuple[list[Chart], str]:
    """The report's charts, and a note (empty, or why the charts are unavailable)."""
    titles = {key: settings.t(text) for key, text in _TITLES.items()}
    try:
        plt = _pyplot()
    except ImportError:
        note = settings.t(
            Text(
                zh="图表不可用：未安装 matplotlib（pip install 'randcheck[charts]'）",
                en="charts unavailable: matplotlib is not installed "
                "(pip install 'randcheck[charts]')",
            )
        )
        return [Chart(title=t, svg=None, note=note) for t in titles.values()], note
    rc = {
        "svg.fonttype": "none",
        "font.family": "sans-serif",
        "font.sans-serif": list(FONTS),
        "axes.unicode_minus": False,
        "svg.hashsalt": "randcheck",
        "figure.figsize": (7.0, 3.2),
    }
    zh = settings.lang == "zh"
    made = []
    with warnings.catch_warnings(), plt.rc_context(rc):
        warnings.simplefilter("ignore", UserWarning)
        months = list(figures.by_month)
        figure, axes = plt.subplots()
        randoms = [figures.by_month[m][0] for m in months]
        targeted = [figures.by_month[m][1] for m in months]
        axes.bar(months, randoms, label="随机抽查" if zh else "random")
        axes.bar(months, targeted, bottom=randoms, label="针对性检查" if zh else "targeted")
        axes.set_xticks(months)
        axes.set_xlabel("月份" if zh else "month")
        axes.set_ylabel("检查次数" if zh else "inspections")
        axes.legend()
        made.append(Chart(title=titles["month"], svg=_svg(figure)))
        plt.close(figure)

        groups = figures.by.get("class", {})
        codes = list(groups)
        rates = [float(groups[n].violation_rate or Fraction(0)) * 100 for n in codes]
        figure, axes = plt.subplots()
        axes.bar([_class_name(code, settings) for code in codes], rates, color="#b5532b")
        axes.set_ylabel("违法率 %" if zh else "violation rate %")
        made.append(Chart(title=titles["class"], svg=_svg(figure)))
        plt.close(figure)

        years = list(figures.coverage_by_year)
        shares = [float(figures.coverage_by_year[y] or 0) * 100 for y in years]
        figure, axes = plt.subplots()
        axes.plot([str(y) for y in years], shares, marker="o")
        axes.set_ylabel("覆盖率 %" if zh else "share inspected %")
        axes.set_ylim(bottom=0)
        made.append(Chart(title=titles["years"], svg=_svg(figure)))
        plt.close(figure)
    return made, ""
