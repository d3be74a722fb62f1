"""Prose, tables and result files for the region and portfolio reports.

The notebooks stay thin: they call these functions, which turn a :class:`~cxplan.model.RegionModel`
into headline sentences (Markdown), display-ready tables and the machine-readable result file that
the portfolio notebook reads. Keeping this here makes it unit-tested.
"""

from __future__ import annotations

import json
import math
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from cxplan.errors import ReportError

if TYPE_CHECKING:  # the model is imported where it is used: safe_text stays cheap to import
    from cxplan.model import RegionModel

__all__ = [
    "executive_summary",
    "initiative_summary",
    "load_results",
    "money",
    "portfolio_summary",
    "portfolio_table",
    "safe_text",
    "write_result",
]

# Characters that are markup somewhere in HTML or Markdown (CommonMark, GFM, JupyterLab's math),
# written as character references: a browser shows them as the character, and a Markdown
# renderer treats a reference as literal text, never as syntax (CommonMark 0.31, section 2.5).
# ":" and "@" break bare-URL and e-mail autolinks (GFM), "$" keeps MathJax away.
_REFERENCES = {ord(c): f"&#{ord(c)};" for c in "&<>\"'\\`*_~[]$:@|#"}
_REFERENCES.update({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;"})
# Runs of whitespace and control characters (line breaks included) become one space: a label
# from a parameter file never starts a new Markdown block.
_SPACE_RE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")
# Bidirectional overrides and isolates (could make a name read as something else) are dropped.
_BIDI_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# Markdown block markers that only count at the start of a line: a leading "-", "+" or "=" that
# starts a list item, a thematic break or a setext underline, or a "1." / "1)" list marker, is
# written as a reference too ("-4 %" or "126.8" are no markers and stay as they are).
_LEADING_RE = re.compile(r"^(?:[-+=](?=[-+= ]|$)|\d{1,9}[.)](?= |$))")


def safe_text(value: object) -> str:
    r"""Turn text from a parameter or data file into text that is safe in Markdown and HTML.

    Every string that comes from a parameter file, a data file or an error message about one
    goes through this function where it becomes part of a Markdown or HTML output (report prose,
    notebook displays, the portfolio, failure banners). The result shows the same characters in
    a browser, in JupyterLab's and in nbconvert's Markdown, but none of them is markup: no HTML
    element, no link, image, autolink, emphasis, code span, heading or list can come out of it.

    Parameters
    ----------
    value : object
        The text (``str(value)`` is used for other types).

    Returns
    -------
    str
        One line of text: Unicode NFC, runs of whitespace and control characters replaced by one
        space and stripped, bidirectional overrides removed, lone surrogates replaced by U+FFFD,
        and ``& < > " ' \ ` * _ ~ [ ] $ : @ | #`` (plus a leading list marker ``-``, ``+``, ``1.``
        or a run of ``-`` / ``=``) written
        as HTML character references. For text content and quoted attribute values such as
        ``title``, never for a URL attribute.

    Examples
    --------
    >>> safe_text("<script>alert(1)</script>")
    '&lt;script&gt;alert(1)&lt;/script&gt;'
    >>> safe_text("[x](javascript:alert(1))")
    '&#91;x&#93;(javascript&#58;alert(1))'
    >>> safe_text("Asia Pacific"), safe_text("R&D  team\n# 2")
    ('Asia Pacific', 'R&amp;D team &#35; 2')
    >>> safe_text("- 1. Co\u0302te"), safe_text("-4.5")  # a list marker; NFC: "Côte"
    ('&#45; 1. Côte', '-4.5')
    """
    text = _SURROGATE_RE.sub("\ufffd", str(value))
    text = unicodedata.normalize("NFC", _BIDI_RE.sub("", text))
    text = _SPACE_RE.sub(" ", text).strip().translate(_REFERENCES)
    match = _LEADING_RE.match(text)  # none of these characters is translated above
    if match is not None:
        mark = match.group(0)
        text = mark[:-1] + f"&#{ord(mark[-1])};" + text[len(mark) :]
    return text


def money(value: float | None, currency: str) -> str:
    """Format an amount for prose: ``1.23 M USD``, ``456 k USD``, ``789 USD``.

    Examples
    --------
    >>> money(1_234_567, "USD"), money(-45_600, "EUR"), money(None, "USD")
    ('1.23 M USD', '−46 k EUR', 'n/a')
    >>> money(999_999, "USD"), money(9_999.6, "USD")
    ('1.00 M USD', '10 k USD')
    """
    if value is None or not math.isfinite(value):
        return "n/a"
    sign = "−" if value < 0 else ""
    v = abs(value)
    # thresholds after rounding, so 999,999 reads "1.00 M", not "1,000 k"
    if v >= 999_995:
        return f"{sign}{v / 1e6:,.2f} M {currency}"
    if v >= 9_999.5:
        return f"{sign}{v / 1e3:,.0f} k {currency}"
    return f"{sign}{v:,.0f} {currency}"


def _months(value: float | None) -> str:
    return "never within the horizon" if value is None else f"month {value:.0f}"


def executive_summary(model: RegionModel) -> str:
    """Headline numbers of a region in prose (Markdown).

    Parameters
    ----------
    model : RegionModel
        The region.

    Returns
    -------
    str
        A few bullet points: staffing, cost and sourcing, the initiative and its risk, the plan.
    """
    h = model.headline()
    t = safe_text  # every string from the parameter file goes through it
    cur = t(h["currency"])
    st, co, ini, rk, pl = h["staffing"], h["costs"], h["initiative"], h["risk"], h["plan"]
    channels = ", ".join(f"{t(ch)} {n:,.0f}" for ch, n in h["weekly_contacts"].items())
    totals = co["sourcing_total_by_option"]
    cheapest = t(co["cheapest_option"])
    runner = [k for k in totals if k != co["cheapest_option"]]
    gap = (totals[runner[0]] - totals[co["cheapest_option"]]) if runner else 0.0
    cross = co["crossover_monthly_contacts"]
    if cross:
        direction = (
            "cheaper above" if co["crossover_outsourcing_cheaper_above"][0] else "cheaper below"
        )
        cross_text = f"outsourcing becomes {direction} about {cross[0]:,.0f} contacts a month"
    else:
        cross_text = "no volume between 0.1× and 10× the forecast changes the cheapest option"
    lines = [
        f"**{t(h['region'])}** — plan of {h['horizon_weeks']} weeks from {h['start_date']}; "
        f"week-1 contacts: {channels}.",
        "",
        f"- **Staffing:** peak {st['peak_agents']} agents on the phones at once; on average "
        f"{st['average_weekly_fte']:,.1f} FTE staffed, {st['average_scheduled_fte']:,.1f} FTE "
        f"scheduled after {st['shrinkage']:.0%} shrinkage ({t(st['shrinkage_method'])} rule); "
        f"at most {st['max_scheduled_headcount']} heads in a week.",
        f"- **Cost:** {money(co['inhouse_cost_per_month'], cur)} a month in-house, "
        f"{money(co['cost_per_paid_hour'], cur)} per paid hour fully loaded.",
        f"- **Sourcing ({t(co['sourcing_channel'])}):** {cheapest} is cheapest over the horizon, "
        f"{money(gap, cur)} below the next option; {cross_text}.",
        f"- **Initiative ({t(ini['name'])}):** saves {ini['hours_saved_per_month']:,.0f} paid "
        f"hours and {money(ini['monthly_benefit'], cur)} a month once ramped (risk-adjusted: "
        f"benefits −{ini['risk_adjusted']['benefit']:.0%}, "
        f"costs +{ini['risk_adjusted']['cost']:.0%}); "
        f"NPV {money(ini['npv'], cur)}, break-even in {_months(ini['break_even_month'])}.",
        f"- **Risk:** over {rk['draws']:,} Monte Carlo draws the NPV runs from "
        f"{money(rk['npv_p10'], cur)} (P10) to {money(rk['npv_p90'], cur)} (P90), median "
        f"{money(rk['npv_p50'], cur)}; pays back within {rk['payback_window_months']} months "
        f"in {rk['probability_payback_within_months']:.0%} of draws; most sensitive to "
        f"{t(rk['top_sensitivity'].replace('_', ' '))}.",
        f"- **Plan:** {pl['hires']} hires ({len(pl['committed_classes'])} committed and "
        f"{len(pl['hiring_classes'])} proposed classes); "
        f"roadmap costs {money(pl['roadmap_cost'], cur)} and breaks even in "
        f"{_months(pl['roadmap_break_even_month'])}.",
    ]
    return "\n".join(lines)


def initiative_summary(model: RegionModel) -> str:
    """Describe the seed 000 naive-vs-queue-aware comparison and the break-even claim in prose."""
    comp = model.naive_comparison
    h = model.headline()
    cur = safe_text(h["currency"])
    parts = []
    if comp is not None:
        parts.append(
            f"Naive handle-time saving: {comp.naive_hours_per_week:,.0f} h a week, "
            f"{money(comp.naive_saving_per_year, cur)} a year at the agent wage; queue-aware: "
            f"{comp.queue_paid_hours_per_week:,.0f} paid h a week, "
            f"{money(comp.queue_saving_per_year, cur)} a year."
        )
        parts.extend(f"- {line}" for line in comp.explanation)
    be = h["initiative"]["break_even_month"]
    verdict = (
        "inside"
        if be is not None and 6 <= be <= 12
        else ("before" if be is not None and be < 6 else "outside")
    )
    parts.append(
        "\n"
        f"The seeds claim break-even within 6–12 months for properly scoped pilots; with this "
        f"region's assumptions the initiative breaks even in {_months(be)}, {verdict} that range."
    )
    return "\n".join(parts)


def write_result(model: RegionModel, path: str | os.PathLike[str]) -> dict[str, Any]:
    """Write the region's headline as JSON, atomically (an earlier good file survives a failure).

    Returns the headline dict. An empty ``path`` writes nothing (interactive use).
    """
    from cxplan._io import atomic_write

    result = model.headline()
    if str(path):
        atomic_write(path, json.dumps(result, indent=2, sort_keys=True, allow_nan=False) + "\n")
    return result


def load_results(folder: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Read every region result file (``*.json``) of a folder, sorted by region name.

    Raises
    ------
    ReportError
        A file that is not a region result of this version.
    """
    from cxplan.model import RESULT_VERSION

    out = []
    for p in sorted(Path(folder).glob("*.json")):
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ReportError(f"{p}: not a readable result file ({exc})") from None
        if not isinstance(data, dict) or data.get("version") != RESULT_VERSION:
            raise ReportError(f"{p}: not a cxplan region result (version {RESULT_VERSION})")
        out.append(data)
    return sorted(out, key=lambda d: str(d["region"]))


def portfolio_table(results: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """One row per region with the headline figures side by side."""
    rows = []
    for r in results:
        st, co, ini, rk, pl = r["staffing"], r["costs"], r["initiative"], r["risk"], r["plan"]
        rows.append(
            {
                "region": r["region"],
                "currency": r["currency"],
                "weekly_contacts": sum(r["weekly_contacts"].values()),
                "peak_agents": st["peak_agents"],
                "scheduled_fte": st["average_scheduled_fte"],
                "inhouse_cost_per_month": co["inhouse_cost_per_month"],
                "cost_per_paid_hour": co["cost_per_paid_hour"],
                "cheapest_option": co["cheapest_option"],
                "initiative_npv": ini["npv"],
                "npv_p10": rk["npv_p10"],
                "npv_p90": rk["npv_p90"],
                "payback_months": ini["payback_months"],
                "p_payback_in_window": rk["probability_payback_within_months"],
                "roadmap_cost": pl["roadmap_cost"],
                "roadmap_break_even_month": pl["roadmap_break_even_month"],
                "kpis_met": r["kpi"]["met"],
            }
        )
    return pd.DataFrame(rows).set_index("region") if rows else pd.DataFrame()


def portfolio_summary(table: pd.DataFrame) -> str:
    """Cross-region headline in prose (Markdown)."""
    if table.empty:
        return "No region results were found."
    currencies = sorted(set(table["currency"]))
    cur = safe_text(currencies[0]) if len(currencies) == 1 else "(mixed currencies)"
    total_cost = float(table["inhouse_cost_per_month"].sum())
    best = safe_text(table["initiative_npv"].idxmax())
    best_npv = float(table["initiative_npv"].max())
    lines = [
        f"- **{len(table)} regions**, {table['weekly_contacts'].sum():,.0f} contacts a week, "
        f"{table['scheduled_fte'].sum():,.0f} scheduled FTE, "
        f"{money(total_cost, cur)} a month in-house.",
        f"- **Initiative:** portfolio NPV {money(float(table['initiative_npv'].sum()), cur)}; "
        f"largest in {best} ({money(best_npv, cur)}).",
        "- **Cheapest sourcing option by region:** "
        + "; ".join(
            f"{safe_text(region)}: {safe_text(opt)}"
            for region, opt in table["cheapest_option"].items()
        )
        + ".",
    ]
    return "\n".join(lines)
