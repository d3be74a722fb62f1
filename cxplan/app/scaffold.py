"""``cxplan init``: scaffold a client engagement folder.

A new engagement gets the folder layout :func:`~cxplan.config.files.find_defaults` and
:func:`~cxplan.config.files.data_file` expect::

    FOLDER/
      README.md                      what to fill in, the commands to run
      defaults.yaml                  a copy of cxplan's cited defaults (the client may edit it)
      regions/<region>.yaml          a commented region template (example values: the demo)
      history/README.md              the interval history export cxplan reads, its columns
      history/interval-history.template.csv   header only
      pilot/README.md                the per-contact pilot records, their columns
      pilot/pilot.template.csv       header only

The region template validates and reports as written (its values are the North America demo
region's, marked as examples), unless its currency differs from the defaults': then it carries
an ``fx:`` section whose rate the consultant must fill in, and validation names it until then.
The history and pilot sections are commented out: a region names its data files only once they
hold data (``cxplan validate`` reads them).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

from cxplan._io import atomic_write_many
from cxplan._resources import bundled_file
from cxplan.errors import CxplanError, InputError

__all__ = [
    "HISTORY_COLUMNS",
    "PILOT_COLUMNS",
    "REGION_EXAMPLE",
    "init_engagement",
    "region_template",
    "scaffold_files",
]

#: The interval history columns the template CSV carries (canonical names of
#: :data:`cxplan.data.columns.FIELDS`; ``timestamp`` and ``offered`` are required).
HISTORY_COLUMNS: tuple[str, ...] = (
    "timestamp",
    "channel",
    "offered",
    "handled",
    "abandoned",
    "answered_in_threshold",
    "aht_s",
    "agents",
)

#: The pilot columns (:func:`cxplan.plan.pilot_readout.readout`: ``group`` and
#: ``handle_time_s`` required, the rest optional), as in ``params/pilot/demo_pilot.csv``.
PILOT_COLUMNS: tuple[str, ...] = (
    "contact_id",
    "region",
    "day",
    "group",
    "handle_time_s",
    "resolved_first_contact",
    "csat",
    "cost",
)

#: Where the template's example values come from (``params/regions/north-america.yaml``).
REGION_EXAMPLE = "North America"

_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")

#: The template region's description: the report says its figures are examples.
_DESCRIPTION = f"Template with example values (cxplan's {REGION_EXAMPLE} demo): replace them."


def _next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=7 - today.weekday())


def _fx_block(currency: str, base: str) -> str:
    if currency == base:
        return ""
    return f"""\
# Money: this file is in {currency}, defaults.yaml in {base}. Every money value this file does not
# set (licences, tooling, roadmap task costs, the initiative's costs, ...) is taken from the
# defaults and converted at the rate below. Until it is filled in, `cxplan validate` names it.
fx:
  rates:
    {base}: null                        # FILL IN (required): how many {currency} one {base} buys,
                                     #   e.g. 0.79: the client's budget or planning rate
                                     #   (finance), else a central bank reference rate
  as_of: ""                          # date of the rate, e.g. "2027-01-04"
  source: ""                         # where the rate comes from, e.g. "budget rate FY27"

"""


def region_template(
    name: str,
    *,
    currency: str,
    defaults_currency: str,
    country: str | None = None,
    start_date: dt.date,
) -> str:
    """Return the commented region file for a new engagement (YAML text).

    Parameters
    ----------
    name : str
        The region's name (plain words; shown in reports, used in file names).
    currency : str
        ISO 4217 code of the region's money.
    defaults_currency : str
        The defaults' currency (``fx.defaults_currency``); a different ``currency`` adds the
        ``fx:`` section with the rate to fill in.
    country : str, optional
        Public-holiday country of the interval history (``history.country``).
    start_date : datetime.date
        The plan's first day (a Monday).

    Returns
    -------
    str
        The region file: every field a consultant must fill in, with the North America demo
        region's value as the example and a comment saying what it is, its unit and where to
        find it.
    """
    cur = currency
    holiday = country or "US"
    country_note = " (holidays library)" if country else " (the demo's; e.g. GB, DE, IN)"
    return f"""\
# cxplan region file: one region (a site, country or line of business) of the engagement.
# Written by `cxplan init`. Every value is an EXAMPLE, the {REGION_EXAMPLE} demo region's: replace
# each with the client's figure; "FILL IN" marks what only the client can tell you. What this
# file does not set comes from ../defaults.yaml (cited benchmarks: shrinkage, attrition,
# technology, roadmap, finance, ...); copy a key here to override it for this region.
# Units are in the key names: _s seconds, _minutes, _weeks, _days; money in {cur} (per hour,
# month or contact as the name says); shares are fractions (0.85, not 85).
# Check it with `cxplan validate regions/`; then `cxplan report regions/ --out reports/`.

region:
  name: "{name}"{" " * max(1, 27 - len(name))}# shown in reports and used in file names: plain words
  currency: {cur}                      # ISO 4217 code of every money value in this file
  start_date: "{start_date.isoformat()}"           # first day of the plan: a Monday (YYYY-MM-DD)
  description: "{_DESCRIPTION}"   # one line under the report's title

{_fx_block(cur, defaults_currency)}forecast:
  growth_annual: 0.06                # volume growth a year, fraction (0.06 = +6 %): the client's
                                     #   volume forecast or budget

channels:
  # Delete a channel the region does not run (one at least must stay). Volumes are contacts in
  # the plan's first week: the ACD or platform interval report, average of the last 4-8 weeks.
  voice:
    weekly_contacts: 30000           # FILL IN: calls offered a week, contacts (ACD "offered")
    aht_s: 360                       # FILL IN: average handle time, s = talk + hold + after-call
                                     #   work (ACD interval report)
    sl_target: 0.80                  # service-level target: share answered within answer_time_s
                                     #   (the client's SLA; seed 001: 80/20)
    answer_time_s: 20                # service-level answer time, s (the SLA)
    max_occupancy: 0.85              # highest share of logged-in time agents are busy, fraction
                                     #   (WFM policy; notes: 0.82-0.88)
    patience_s: 240                  # mean time callers wait before hanging up, s (abandon
                                     #   report); delete it for Erlang C (nobody abandons)
  chat:
    weekly_contacts: 6000            # FILL IN: chats offered a week, contacts (chat platform)
    aht_s: 540                       # FILL IN: handle time of one chat handled alone, s
    concurrency: 2                   # chats an agent handles at once (chat platform setting)
    concurrency_aht_factor: [1.0, 1.3]   # handle-time multiplier with 1, 2, ... chats at once
                                     #   (chat platform report; notes: grows with concurrency)
    sl_target: 0.80                  # share answered within answer_time_s (SLA)
    answer_time_s: 60                # chat answer time, s (SLA)
    max_occupancy: 0.85              # occupancy cap, fraction (WFM policy)
  email:
    weekly_contacts: 3000            # FILL IN: emails or cases received a week (case system)
    aht_s: 420                       # FILL IN: handle time of one email, s (case system)
    response_time_s: 86400           # answered within, s (SLA; seed 001: 24 h)
    max_occupancy: 0.90              # occupancy cap, fraction (deferred work runs high)
    open_hours: [8, 20]              # hours the email team works, [start, end) local time

workforce:
  starting_headcount: 158            # FILL IN: agents on the books at the plan start, heads
                                     #   (HR roster; include agents in training)
  hiring_classes: [{{start_week: 2, size: 12}}]   # classes already committed: plan week, hires
                                     #   (recruiting); [] when none
  # shrinkage: 0.30                  # share of paid time not on contacts (WFM; defaults 0.30)
  # attrition_annual: 0.35           # agents leaving a year, fraction (HR; defaults 0.35)

location:
  name: Onshore US                   # FILL IN: the site's name (plain words; shown in reports)
  wage_per_hour: 24.0                # FILL IN: agent base pay per paid hour, {cur} (payroll)
  benefits_load: 0.32                # employer on-costs (payroll tax, pension, health) as a share
                                     #   of wages, fraction (payroll; seed 001: 25-40 % in the US)
  supervisor_wage_per_hour: 36.0     # team leader pay per paid hour, {cur} (payroll)
  facilities_per_seat_per_month: 450.0   # rent, utilities and furniture per seat a month, {cur}
                                     #   (facilities or finance)
  hiring_cost_per_hire: 4700.0       # recruiting and onboarding per hire, {cur} (talent
                                     #   acquisition; SHRM benchmark ~4.7k USD)
  other_cost_per_fte_per_month: 1500.0   # telephony, IT support and overheads per FTE a month,
                                     #   {cur} (finance; notes: agent pay 55-65 % of cost)

vendor:
  name: Nearshore BPO                # FILL IN: the outsourcer whose quote is compared
  components:                        # the quote's price components, in {cur} (kinds and their
                                     #   keys: "More options" at the end of defaults.yaml)
    - {{kind: per_minute, price_per_minute: 0.95, wrap_minutes_per_contact: 0.5}}   # per handled
                                     #   minute, wrap minutes billed per call (the quote)
  transition_cost: 60000.0           # one-off transition and knowledge transfer, {cur} (the quote)

# Pilot data: once the A/B pilot has run, put its per-contact records in pilot/pilot.csv
# (columns: pilot/README.md) and uncomment these two lines. Until then no readout is shown.
# pilot:
#   data_csv: pilot/pilot.csv

# Interval history: with the platform's interval export in history/interval-history.csv
# (columns: history/README.md), uncomment this section: the volumes then come from its forecast
# (weekly_contacts above become optional) and the plan observes the country's public holidays.
# history:
#   file: history/interval-history.csv
#   country: {holiday}                      # public holidays: ISO 3166 code{country_note}
#   # timezone: Europe/London        # IANA zone of the timestamps, when they carry none
#   staffing_quantile: 0.8           # staff to the P80 forecast (delete to staff to the mean)

kpi:
  actuals:                           # FILL IN: the last quarter's measured KPIs (delete unknown)
    csat: 0.78                       # share of surveyed customers satisfied (4-5 of 5), fraction
    nps: 27                          # net promoter score, points (-100..100)
    ces: 4.9                         # customer effort score, 1-7 agreement scale
    fcr: 0.68                        # first-contact resolution, fraction
    cost_per_contact_change: -0.04   # cost per contact vs the baseline, fraction (finance)
    follow_up_completion: 0.91       # follow-ups completed on time, fraction (QA)
  channels:                          # measured per channel (ACD / platform reports)
    voice: {{aht_s: 360, service_level: 0.78}}   # AHT, s; service level, fraction
    chat: {{aht_s: 540, service_level: 0.74}}
"""


def _readme(name: str, slug: str, currency: str, base: str, country: str | None) -> str:
    fx = (
        f"\n0. **The exchange rate (required).** The region is in {currency}, the defaults in "
        f"{base}: fill in `fx.rates.{base}` in `regions/{slug}.yaml` (how many {currency} one "
        f"{base} buys), with `as_of` and `source`. Until then `cxplan validate` names it and no "
        "report is written.\n"
        if currency != base
        else ""
    )
    holidays = f" ({country} public holidays)" if country else ""
    return f"""\
# {name}: cxplan engagement

Folder written by `cxplan init`. Fill in the region file, validate, then build the reports.

- `defaults.yaml`: cxplan's cited benchmark defaults (shrinkage, attrition, technology, roadmap,
  finance). Every region file is merged over it; edit it for what holds across all regions.
- `regions/{slug}.yaml`: the region template, every value a consultant fills in, with the
  {REGION_EXAMPLE} demo's figure as the example and a comment saying what it is, its unit and
  where to find it. Copy it once per region (each needs its own `region.name`).
- `history/`: the client's interval history export (optional; see `history/README.md`).
- `pilot/`: the A/B pilot's per-contact records, once it has run (see `pilot/README.md`).
{fx}
## What to fill in

1. `region`: name, currency, first Monday of the plan.
2. `channels`: weekly volume, handle time, service-level target and occupancy cap per channel
   (delete the channels the region does not run).
3. `workforce.starting_headcount` and any committed hiring classes.
4. `location`: wages, on-costs, facilities, hiring and overhead costs in the region's currency.
5. `vendor`: the outsourcing quote to compare.
6. `kpi`: the measured KPIs of the last quarter.
7. Optional: the interval history{holidays} and the pilot data, each by uncommenting its section
   once the file holds data.

Every value left as written is the demo's example, and reports will show it as the client's.

## Commands

```sh
cxplan validate regions/                   # check every region file (exit 0 / 2)
cxplan report regions/ --out reports/      # HTML reports and the portfolio (reports/portfolio.html)
cxplan report regions/ --out reports/ --formats html,pdf,xlsx   # plus PDF and Excel
cxplan app regions/                        # the live planner
cxplan forecast history/interval-history.csv --out forecast/   # check the history's forecast
```

Run them from this folder. A region file finds `defaults.yaml` beside it or one folder up;
elsewhere, pass `--defaults PATH` to `validate` and `report`.
"""


def _history_readme() -> str:
    return f"""\
# Interval history

Export the platform's interval report (Genesys, NICE CXone, Five9, Amazon Connect, Avaya CMS or
any CSV, CSV.GZ or XLSX with one row per interval and channel) as `interval-history.csv`, then
uncomment the `history:` section of the region file. At least a year of 15-, 30- or 60-minute
intervals lets the forecast learn the yearly pattern.

`interval-history.template.csv` has the columns, in cxplan's names:

| column | required | what it is |
| --- | --- | --- |
| `timestamp` | yes | interval start, local time (`2026-03-02 08:30`) |
| `channel` | when several | channel or queue name (`voice`, `chat`, `email`) |
| `offered` | yes | contacts offered in the interval |
| `handled` | no | contacts handled |
| `abandoned` | no | contacts abandoned |
| `answered_in_threshold` | no | contacts answered within the service-level time |
| `aht_s` | no | average handle time, seconds |
| `agents` | no | agents staffed |

Headers the platforms use (`Interval Start`, `Calls Offered`, `nOffered`, ...) are recognised;
map others with `history.columns` in the region file. Check a file with
`cxplan forecast history/interval-history.csv --out forecast/`.
Columns: {", ".join(HISTORY_COLUMNS)}.
"""


def _pilot_readme() -> str:
    return f"""\
# Pilot data

Once the A/B pilot has run, export one row per contact as `pilot.csv` (same columns as
`pilot.template.csv`), then set `pilot.data_csv: pilot/pilot.csv` in the region file. The report
then shows the readout (handle time, first-contact resolution, CSAT and cost per contact,
treatment vs control, with significance tests).

| column | required | what it is |
| --- | --- | --- |
| `contact_id` | no | the contact's id |
| `region` | no | pilot site or region |
| `day` | no | pilot day (1, 2, ...) |
| `group` | yes | `control` (standard agents) or `treatment` (the new way of working) |
| `handle_time_s` | yes | handle time, seconds (> 0) |
| `resolved_first_contact` | no | `True` / `False` (empty: not measured) |
| `csat` | no | survey score 1-5 (empty: no response) |
| `cost` | no | cost of the contact, in the region's currency |

Columns: {", ".join(PILOT_COLUMNS)}.
"""


def _defaults_currency(defaults: Path) -> str:
    from cxplan.config.yamlfile import load_yaml

    data, _ = load_yaml(defaults)
    fx = data.get("fx") if isinstance(data, dict) else None
    value = fx.get("defaults_currency", "USD") if isinstance(fx, dict) else "USD"
    return str(value)


def _default_name(folder: Path) -> str:
    from cxplan.config.naming import plain_name, region_slug

    words = re.sub(r"[-_.]+", " ", Path(os.path.abspath(folder)).name).strip()
    candidate = words[:1].upper() + words[1:] if words else ""
    try:
        plain_name(candidate)
        region_slug(candidate)
    except (CxplanError, ValueError):
        return "Client region"
    return candidate


def scaffold_files(
    folder: str | os.PathLike[str],
    *,
    currency: str | None = None,
    country: str | None = None,
    region: str | None = None,
    today: dt.date | None = None,
) -> dict[Path, str]:
    """Return the files of a new engagement, ``{path: text}``; nothing is written.

    Parameters
    ----------
    folder : path-like
        The engagement folder.
    currency : str, optional
        The region's ISO 4217 currency (default: the defaults', ``fx.defaults_currency``).
    country : str, optional
        Public-holiday country (ISO 3166 code the holidays library knows) for the history.
    region : str, optional
        The template region's name (default: from the folder's name, else "Client region").
    today : datetime.date, optional
        The plan starts on the Monday after it (default: today).

    Returns
    -------
    dict of pathlib.Path to str
        ``defaults.yaml`` (the shipped defaults, as they are), ``regions/<slug>.yaml``,
        ``README.md`` and the ``history/`` and ``pilot/`` placeholders.

    Raises
    ------
    InputError
        A currency that is not three capital letters, a country the holidays library does not
        know, a region name that is not plain words, or no shipped defaults.
    """
    from cxplan.config.naming import plain_name, region_slug

    root = Path(folder)
    defaults = bundled_file("params/defaults.yaml")
    if not defaults.is_file():
        raise InputError(f"cxplan's defaults.yaml is missing from this installation ({defaults})")
    base = _defaults_currency(defaults)
    cur = base if currency is None else currency.strip().upper()
    if not _CURRENCY_RE.match(cur):
        raise InputError(f"--currency must be an ISO 4217 code such as GBP (got {currency!r})")
    code = None if country is None else country.strip().upper()
    if code is not None:
        import holidays

        if code not in holidays.list_supported_countries():
            raise InputError(
                f"--country must be a country code the holidays library knows, such as GB "
                f"(got {country!r})"
            )
    name = _default_name(root) if region is None else region.strip()
    try:
        plain_name(name)
        slug = region_slug(name)
    except (CxplanError, ValueError) as exc:
        raise InputError(f"--region: {exc}") from None
    start = _next_monday(today or dt.date.today())
    template = region_template(
        name, currency=cur, defaults_currency=base, country=code, start_date=start
    )
    return {
        root / "README.md": _readme(name, slug, cur, base, code),
        root / "defaults.yaml": defaults.read_text(encoding="utf-8"),
        root / "regions" / f"{slug}.yaml": template,
        root / "history" / "README.md": _history_readme(),
        root / "history" / "interval-history.template.csv": ",".join(HISTORY_COLUMNS) + "\n",
        root / "pilot" / "README.md": _pilot_readme(),
        root / "pilot" / "pilot.template.csv": ",".join(PILOT_COLUMNS) + "\n",
    }


def init_engagement(
    folder: str | os.PathLike[str],
    *,
    currency: str | None = None,
    country: str | None = None,
    region: str | None = None,
    today: dt.date | None = None,
) -> list[Path]:
    """Write a new engagement folder (see :func:`scaffold_files`); refuse a non-empty one.

    Returns
    -------
    list of pathlib.Path
        The files written, in order.

    Raises
    ------
    InputError
        ``folder`` is a file or a folder that is not empty, or a bad argument: nothing is
        written.
    """
    root = Path(folder)
    if root.exists() and not root.is_dir():
        raise InputError(f"{root} exists and is not a folder; give a new or empty folder")
    if root.is_dir() and any(root.iterdir()):
        raise InputError(f"{root} is not empty; give a new or empty folder (nothing was written)")
    files = scaffold_files(root, currency=currency, country=country, region=region, today=today)
    folders = [root, *sorted({p.parent for p in files} - {root})]
    made = [f for f in folders if not f.exists()]
    try:
        for f in folders:
            f.mkdir(parents=True, exist_ok=True)
        payload: dict[str | os.PathLike[str], bytes | str | None] = dict(files.items())
        atomic_write_many(payload)
    except OSError as exc:
        for f in reversed(made):  # the folders this call made, so nothing is left behind
            shutil.rmtree(f, ignore_errors=True)
        raise InputError(f"cannot write {root}: {exc.strerror or exc}") from None
    return list(files)
