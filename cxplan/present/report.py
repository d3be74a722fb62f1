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
    "explain_peak",
    "initiative_summary",
    "load_results",
    "money",
    "portfolio_summary",
    "portfolio_table",
    "recommendation",
    "regions_count",
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


def regions_count(count: int) -> str:
    """Return "1 region" or "N regions".

    >>> regions_count(1), regions_count(3)
    ('1 region', '3 regions')
    """
    return f"{count} region{'' if count == 1 else 's'}"


def _months(value: float | None) -> str:
    return "never within the horizon" if value is None else f"month {value:.0f}"


def _pct(value: float | None) -> str:
    return "n/a" if value is None or not math.isfinite(value) else f"{100 * value:,.0f} %"


def _date(iso: str) -> str:
    return pd.Timestamp(iso).strftime("%-d %b %Y")


def recommendation(h: Mapping[str, Any]) -> dict[str, Any]:
    """Derive the decision a region's figures support, with its three reasons (headline).

    Parameters
    ----------
    h : mapping
        A region's headline (:meth:`cxplan.model.RegionModel.headline`).

    Returns
    -------
    dict
        ``decision`` (``"proceed"``, ``"pilot first"`` or ``"do not proceed"``), ``headline``
        (one sentence, Markdown-safe) and ``reasons`` (three sentences: staffing, sourcing, the
        business case), each quoting the headline's own figures.

    Notes
    -----
    Proceed when the risk-adjusted NPV is positive and at least 80 % of the Monte Carlo draws
    are; pilot first (decide at the readout) when the base case is positive but the draws are
    less sure; do not proceed when the base case loses money.
    """
    t = safe_text
    cur = t(h["currency"])
    st, co, ini, rk, pl, prog = (
        h[k] for k in ("staffing", "costs", "initiative", "risk", "plan", "programme")
    )
    p_pos = float(rk["probability_npv_positive"])
    if ini["npv"] > 0 and p_pos >= 0.8:
        decision = "proceed"
        head = (
            f"Run the 90-day pilot from {_date(prog['pilot_start'])} and, if the readout on "
            f"{_date(prog['pilot_readout'])} confirms it, roll {t(ini['name'])} out to every agent "
            f"by {_date(prog['rollout_end'])}."
        )
    elif ini["npv"] > 0:
        decision = "pilot first"
        head = (
            f"Run the pilot from {_date(prog['pilot_start'])}, but commit to the rollout only if "
            f"the readout on {_date(prog['pilot_readout'])} confirms the gains: the case is "
            f"positive in {_pct(p_pos)} of the simulated outcomes."
        )
    else:
        decision = "do not proceed"
        head = (
            f"Do not fund {t(ini['name'])} as scoped: its risk-adjusted NPV is "
            f"{money(ini['npv'], cur)}."
        )
    totals = co["sourcing_total_by_option"]
    cheapest = co["cheapest_option"]
    others = sorted((v, k) for k, v in totals.items() if k != cheapest)
    gap = others[0][0] - totals[cheapest] if others else 0.0
    hires, hires_after = pl["hires"], pl["hires_with_initiative"]
    released_12 = ini["fte_released_by_month"].get("12")
    reasons = [
        f"Serving {sum(h['weekly_contacts'].values()):,.0f} contacts a week at the service "
        f"targets takes {st['average_scheduled_fte']:,.0f} scheduled FTE "
        f"({st['peak_agents']} agents on duty at the busiest interval); "
        f"{pl['starting_headcount']:,.0f} are on the books, so the plan hires {hires} over "
        f"{h['horizon_weeks']} weeks ({hires_after} with the initiative).",
        f"For {t(co['sourcing_channel'])}, {t(cheapest)} is the cheapest option over the "
        f"{co['sourcing_horizon_weeks']}-week plan, {money(gap, cur)} below the next one "
        f"({money(co['inhouse_cost_per_month'], cur)} a month in-house, all channels).",
        f"{t(ini['name'])} frees {ini['target_fte']:,.0f} FTE at full adoption"
        + (f", {released_12:,.0f} of them by month 12" if released_12 is not None else "")
        + f", through attrition and hires not made: NPV {money(ini['npv'], cur)} over "
        f"{ini['finance_horizon_months']} months, ROI {_pct(ini['roi'])}, payback "
        + (
            f"in {ini['payback_months']:.1f} months"
            if ini["payback_months"] is not None
            else "not within the horizon"
        )
        + " (risk-adjusted).",
    ]
    return {"decision": decision, "headline": head, "reasons": reasons}


def executive_summary(model: RegionModel) -> str:
    """Write the region's executive summary (Markdown): decision, reasons, risks, checks.

    Every figure is the headline's (:meth:`~cxplan.model.RegionModel.headline`), the numbers
    the charts, tables and the result file show; every params-derived string goes through
    :func:`safe_text`.

    Parameters
    ----------
    model : RegionModel
        The region.

    Returns
    -------
    str
        Markdown: the recommendation, three numbered reasons, the top risks, the "check this"
        flags and, when the pilot data is cxplan's demo file, a demo-data notice.
    """
    h = model.headline()
    t = safe_text
    cur = t(h["currency"])
    rec = recommendation(h)
    rk = h["risk"]
    lines = [f"**Recommendation: {rec['headline']}**", ""]
    lines += [f"{i}. {reason}" for i, reason in enumerate(rec["reasons"], 1)]
    lines += ["", "**What could change the answer**", ""]
    tornado = model.tornado.head(3)
    for _, row in tornado.iterrows():
        low, high = sorted((float(row["output_low"]), float(row["output_high"])))
        lines.append(
            f"- {_input_label(str(row['input']), model)}: the NPV lies between "
            f"{money(low, cur)} and {money(high, cur)} across its range."
        )
    lines.append(
        f"- Over {rk['draws']:,} simulated outcomes the NPV is between "
        f"{money(rk['npv_p10'], cur)} and {money(rk['npv_p90'], cur)} in 80 % of them "
        f"(median {money(rk['npv_p50'], cur)}); it is positive in "
        f"{_pct(rk['probability_npv_positive'])} of them and pays back within "
        f"{rk['payback_window_months']} months in {_pct(rk['probability_payback_within_months'])}."
    )
    flags = model.sanity_flags
    if len(flags):
        lines += ["", "**Check this**", ""]
        # titles and advice are cxplan's own sentences (no params text): not escaped
        lines += [f"- {r['title']}: {r['advice']}" for _, r in flags.iterrows()]
    if h["pilot"]["data_is_demo"]:
        lines += [
            "",
            "*The pilot readout in this report uses cxplan's synthetic demo data, not results "
            "from this operation.*",
        ]
    return "\n".join(lines)


def initiative_summary(model: RegionModel) -> str:
    """Why the saving is not the simple arithmetic, and the break-even against the benchmark.

    Markdown: a simple hours × wage calculation beside the queue-aware one (for voice, the
    channel where the difference is largest) with the reasons, then the business case's
    break-even month against the 6–12 months industry guidance expects for a properly scoped
    pilot (the source is in the report's appendix).
    """
    comp = model.naive_comparison
    h = model.headline()
    cur = safe_text(h["currency"])
    parts = []
    if comp is not None:
        parts.append(
            f"A simple calculation (handle time saved × contacts × wage) gives "
            f"{comp.naive_hours_per_week:,.0f} h a week, {money(comp.naive_saving_per_year, cur)} "
            f"a year; staffing every interval to the service target gives "
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
        f"Industry guidance expects break-even within 6–12 months for a properly scoped pilot; "
        f"this plan breaks even in {_months(be)}, {verdict} that range."
    )
    return "\n".join(parts)


def _input_label(name: str, model: RegionModel) -> str:
    return safe_text(model.input_label(name))


def explain_peak(model: RegionModel) -> str:
    """Explain the peak-agents figure (Markdown): when, how much work, and what set it."""
    h = model.headline()
    st = h["staffing"]
    table = model.peak_breakdown
    when = pd.Timestamp(st["peak_interval"])
    parts = []
    for channel, row in table.iterrows():
        if row["contacts"] <= 0:
            continue
        parts.append(
            f"{safe_text(channel)} {row['contacts']:,.0f} contacts ({row['traffic_erl']:,.1f} "
            f"Erlangs) need {row['agents']:,} agents, set by the {row['binding']}"
        )
    return (
        f"**Peak {st['peak_agents']:,} agents** are on duty in the busiest interval, "
        f"{when.strftime('%a %-d %b %Y %H:%M')}: " + "; ".join(parts) + "."
    )


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


def reporting_rate(result: Mapping[str, Any]) -> tuple[str, float]:
    """Return the reporting currency of a region result and the rate into it.

    The reporting currency is the defaults' currency (``fx.defaults_currency``); a region in
    another currency converts at ``1 / fx.rates[<defaults currency>]`` (its rate says how many
    of the region's units one unit of the defaults' currency buys).

    Examples
    --------
    >>> reporting_rate({"currency": "GBP", "fx": {"defaults_currency": "USD",
    ...                                           "rates": {"USD": 0.8}}})
    ('USD', 1.25)
    """
    fx = result.get("fx") or {}
    base = str(fx.get("defaults_currency", result["currency"]))
    if result["currency"] == base:
        return base, 1.0
    rate = (fx.get("rates") or {}).get(base)
    if not rate:
        raise ReportError(
            f"{result['region']}: no rate to convert {result['currency']} into {base}"
        )
    return base, 1.0 / float(rate)


def portfolio_table(results: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """One row per region, money converted into one reporting currency (rates in ``fx_rate``).

    Raises
    ------
    ReportError
        Regions whose results report in different currencies that cannot be converted into one.
    """
    rows = []
    reporting: set[str] = set()
    for r in results:
        st, co, ini, rk, pl = r["staffing"], r["costs"], r["initiative"], r["risk"], r["plan"]
        base, rate = reporting_rate(r)
        reporting.add(base)
        rows.append(
            {
                "region": r["region"],
                "currency": base,
                "local_currency": r["currency"],
                "fx_rate": rate,
                "weekly_contacts": sum(r["weekly_contacts"].values()),
                "peak_agents": st["peak_agents"],
                "scheduled_fte": st["average_scheduled_fte"],
                "inhouse_cost_per_month": co["inhouse_cost_per_month"] * rate,
                "cost_per_paid_hour": co["cost_per_paid_hour"] * rate,
                "cheapest_option": co["cheapest_option"],
                "initiative_npv": ini["npv"] * rate,
                "npv_p10": rk["npv_p10"] * rate,
                "npv_p90": rk["npv_p90"] * rate,
                "roi": ini["roi"],
                "payback_months": ini["payback_months"],
                "p_payback_in_window": rk["probability_payback_within_months"],
                "hires": pl["hires"],
                "fte_released_by_month_12": ini["fte_released_by_month"].get("12"),
                "sanity_flags": len(r.get("sanity_flags", [])),
                "kpis_met": r["kpi"]["met"],
            }
        )
    if len(reporting) > 1:
        raise ReportError(
            "region results use different defaults currencies "
            f"({', '.join(sorted(reporting))}): give every region the same defaults"
        )
    return pd.DataFrame(rows).set_index("region") if rows else pd.DataFrame()


def portfolio_summary(table: pd.DataFrame) -> str:
    """Cross-region headline in prose (Markdown), in the one reporting currency."""
    if table.empty:
        return "No region results were found."
    cur = safe_text(table["currency"].iloc[0])
    total_cost = float(table["inhouse_cost_per_month"].sum())
    best = safe_text(table["initiative_npv"].idxmax())
    best_npv = float(table["initiative_npv"].max())
    converted = table[table["local_currency"] != table["currency"]]
    lines = [
        f"- **{regions_count(len(table))}**, "
        f"{table['weekly_contacts'].sum():,.0f} contacts a week, "
        f"{table['scheduled_fte'].sum():,.0f} scheduled FTE, "
        f"{money(total_cost, cur)} a month in-house.",
        f"- **Initiative:** portfolio NPV {money(float(table['initiative_npv'].sum()), cur)} "
        f"(risk-adjusted); largest in {best} ({money(best_npv, cur)}).",
        "- **Cheapest sourcing option by region:** "
        + "; ".join(
            f"{safe_text(region)}: {safe_text(opt)}"
            for region, opt in table["cheapest_option"].items()
        )
        + ".",
    ]
    if len(converted):
        lines.append(
            f"- **Currencies:** amounts in {cur}; "
            + "; ".join(
                f"{safe_text(region)} converted from {safe_text(row['local_currency'])} at "
                f"{row['fx_rate']:.4g} {cur} each"
                for region, row in converted.iterrows()
            )
            + "."
        )
    return "\n".join(lines)
