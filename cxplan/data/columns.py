"""Column mapping of interval history exports: canonical fields and header auto-detection.

Contact-centre platforms name the same measure differently ("Offered", "Calls Offered",
"nOffered", "Contacts incoming"). :func:`detect_columns` maps a file's headers to cxplan's
canonical fields, case-, space- and punctuation-insensitively, using the synonyms in
:data:`SYNONYMS` (headers seen in Genesys Cloud, NICE CXone, Five9, Amazon Connect and Avaya CMS
interval reports); an explicit mapping overrides the detection field by field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cxplan.errors import DataError

__all__ = [
    "COUNT_FIELDS",
    "FIELDS",
    "SYNONYMS",
    "TIME_FIELDS",
    "ColumnMap",
    "detect_columns",
    "normalise_header",
]

#: Canonical fields of an interval history, in output order. ``date`` and ``time`` are used
#: only when the export splits the interval start over two columns.
FIELDS: tuple[str, ...] = (
    "timestamp",
    "date",
    "time",
    "channel",
    "offered",
    "handled",
    "abandoned",
    "answered_in_threshold",
    "aht_s",
    "handle_s",
    "asa_s",
    "agents",
)

#: Fields holding contact counts (summed when intervals are aggregated).
COUNT_FIELDS: tuple[str, ...] = ("offered", "handled", "abandoned", "answered_in_threshold")

#: Fields holding durations in seconds ("h:mm:ss" text is accepted too).
TIME_FIELDS: tuple[str, ...] = ("aht_s", "handle_s", "asa_s")

#: Normalised header names (lower case, letters and digits only) recognised per field.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "timestamp": (
        "timestamp", "intervalstart", "intervalstarttime", "intervalstartdatetime",
        "intervalstartdate", "startinterval", "startofinterval", "startdatetime", "datetime",
        "periodstart", "intervalbegin", "intervalstartutc", "datetimeutc", "timestamputc",
        "interval", "starttime", "period",
    ),
    "date": ("date", "day", "reportdate", "intervaldate", "calendardate"),
    "time": (
        "time", "halfhour", "quarterhour", "intervaltime", "timeinterval", "interval",
        "starttime", "intervalstart", "timeofday",
    ),
    "channel": (
        "channel", "queue", "queuename", "mediatype", "media", "skill", "skillname", "split",
        "splitskill", "campaign", "service", "contacttype", "channeltype",
    ),
    "offered": (
        "offered", "contactsoffered", "callsoffered", "noffered", "offer", "contactsincoming",
        "callsincoming", "incoming", "inboundcalls", "inbound", "volume", "contacts", "calls",
        "arrivals", "callvolume", "contactvolume", "totalcalls", "callsreceived", "received",
        "offeredcontacts", "offeredcalls",
    ),
    "handled": (
        "handled", "contactshandled", "callshandled", "nhandled", "answered", "callsanswered",
        "contactsanswered", "acdcalls", "nconnected", "connected", "handledcontacts",
        "handledcalls", "answeredcalls",
    ),
    "abandoned": (
        "abandoned", "abandons", "abandon", "contactsabandoned", "callsabandoned", "nabandon",
        "abancalls", "abandonedcalls", "abandonedcontacts", "abn",
    ),
    "answered_in_threshold": (
        "answeredinthreshold", "answeredwithinthreshold", "answeredinsl", "answeredwithinsl",
        "withinsl", "insl", "withinservicelevel", "answeredwithinservicelevel", "slcalls",
        "callsansweredwithinsl", "nansweredinsl", "acdcallsinsl", "answeredinsla",
        "answeredwithinsla", "insla",
    ),
    "aht_s": (
        "aht", "ahts", "ahtsec", "ahtseconds", "averagehandletime", "averagehandletimes",
        "avghandletime", "avghandletimes", "avghandletimesec", "averagehandlingtime",
        "avghandlingtime", "averagehandletimeseconds",
    ),
    "handle_s": (
        "handletime", "handletimes", "totalhandletime", "totalhandletimes", "handleseconds",
        "handletimesec", "handletimeseconds", "totalhandletimeseconds",
    ),
    "asa_s": (
        "asa", "asas", "asasec", "averagespeedofanswer", "averagespeedofanswers",
        "avgspeedofanswer", "avgspeedans", "averagespeedanswer", "avgspeedofanswersec",
    ),
    "agents": (
        "agents", "agentsstaffed", "staffedagents", "staffed", "avgagentsstaffed", "avgstaffed",
        "avgposstaff", "positionsstaffed", "averagestaffed", "averageagentsstaffed",
    ),
}  # fmt: skip

# "Contacts answered in 20 seconds" (Amazon Connect), "Answered within 30s".
_THRESHOLD_RE = re.compile(
    r"answered\s*(?:with)?in\s*(\d+(?:\.\d+)?)\s*(?:s|sec|secs|second|seconds)\b", re.IGNORECASE
)
_UNIT_RE = re.compile(r"\b(ms|msec|millis|milliseconds|min|mins|minutes)\b|\((ms|min)\)", re.I)


def normalise_header(text: object) -> str:
    """Lower-case a header and keep only letters and digits.

    Examples
    --------
    >>> normalise_header(" Avg. Handle Time (s) ")
    'avghandletimes'
    """
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


@dataclass(frozen=True)
class ColumnMap:
    """Which header of the file holds each canonical field.

    Attributes
    ----------
    headers : dict of str to str
        Canonical field → header as spelt in the file.
    answer_threshold_s : float or None
        Service-level threshold read from the answered-within header ("answered in 20 s").
    scale : dict of str to float
        Factor turning a duration column into seconds (1000 ms → 0.001, minutes → 60).
    """

    headers: dict[str, str]
    answer_threshold_s: float | None = None
    scale: dict[str, float] | None = None

    def __contains__(self, field: object) -> bool:
        return field in self.headers

    def header(self, field: str) -> str:
        """Return the file's header for a canonical field (the field name itself if unmapped)."""
        return self.headers.get(field, field)


def _unit_scale(header: str) -> float:
    match = _UNIT_RE.search(header)
    if match is None:
        return 1.0
    unit = (match.group(1) or match.group(2)).lower()
    return 0.001 if unit.startswith("m") and unit not in ("min", "mins", "minutes") else 60.0


def detect_columns(
    headers: Sequence[str], columns: Mapping[str, str] | None = None, *, source: str = "history"
) -> ColumnMap:
    """Map a file's headers to canonical fields.

    Parameters
    ----------
    headers : sequence of str
        The file's header row.
    columns : mapping of str to str, optional
        Explicit mapping, canonical field → header (matched case-, space- and
        punctuation-insensitively); overrides detection for those fields.
    source : str
        File name used in error messages.

    Returns
    -------
    ColumnMap
        The mapping. ``timestamp`` (or ``date`` and ``time``) and ``offered`` are required.

    Raises
    ------
    DataError
        One line per problem: an unknown field in ``columns``, a mapped header that is not in
        the file, a required field that cannot be found.

    Examples
    --------
    >>> detect_columns(["Interval Start", "Queue", "Calls Offered", "AHT"]).headers
    {'timestamp': 'Interval Start', 'channel': 'Queue', 'offered': 'Calls Offered', 'aht_s': 'AHT'}
    """
    by_norm: dict[str, str] = {}
    for h in headers:
        by_norm.setdefault(normalise_header(h), str(h))
    problems: list[str] = []
    found: dict[str, str] = {}
    explicit_bad: set[str] = set()
    for field, header in (columns or {}).items():
        if field not in FIELDS:
            problems.append(
                f"{source}: columns: unknown field {field!r} (known: {', '.join(FIELDS)})"
            )
        elif normalise_header(header) not in by_norm:
            explicit_bad.add(field)
            problems.append(
                f"{source}:1: {header}: column given for {field} is not in the file "
                f"(headers: {', '.join(map(str, headers))})"
            )
        else:
            found[field] = by_norm[normalise_header(header)]
    taken = set(found.values())
    threshold: float | None = None
    for field in FIELDS:
        if field in found or field in explicit_bad:
            continue
        for name, header in by_norm.items():
            if header in taken:
                continue
            base = re.sub(r"(s|sec|secs|seconds|ms|min|mins|minutes)$", "", name)
            if name in SYNONYMS[field] or (field in TIME_FIELDS and base in SYNONYMS[field]):
                found[field] = header
                taken.add(header)
                break
            if field == "answered_in_threshold" and _THRESHOLD_RE.search(header):
                found[field] = header
                taken.add(header)
                break
    if "answered_in_threshold" in found:
        match = _THRESHOLD_RE.search(found["answered_in_threshold"])
        threshold = float(match.group(1)) if match else None
    # A split date/time export: use date + time unless a full timestamp column exists.
    time_like = ("interval", "starttime", "intervalstart")
    if (
        "timestamp" in found
        and "date" in found
        and (columns or {}).get("timestamp") is None
        and (
            found["timestamp"] == found.get("time")
            or normalise_header(found["timestamp"]) in time_like
        )
    ):
        found.setdefault("time", found.pop("timestamp"))
    if "timestamp" in found:
        found.pop("date", None)
        found.pop("time", None)
    elif not ("date" in found and "time" in found) and "timestamp" not in explicit_bad:
        problems.append(
            f"{source}:1: timestamp: no interval-start column found (looked for headers like "
            f"'timestamp', 'Interval Start', 'Date' + 'Time'; got {', '.join(map(str, headers))})"
        )
    if "offered" not in found and "offered" not in explicit_bad:
        problems.append(
            f"{source}:1: offered: no offered-contacts column found (looked for headers like "
            f"'offered', 'Calls Offered', 'Contacts incoming'; got {', '.join(map(str, headers))})"
        )
    if problems:
        raise DataError(problems)
    order = {f: i for i, f in enumerate(FIELDS)}
    mapping = dict(sorted(found.items(), key=lambda kv: order[kv[0]]))
    scale = {f: _unit_scale(h) for f, h in mapping.items() if f in TIME_FIELDS}
    return ColumnMap(mapping, threshold, scale)
