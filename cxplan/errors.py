"""Exception hierarchy: every error cxplan raises on purpose derives from :class:`CxplanError`.

Errors about a bad value also derive from :class:`ValueError`, so ordinary ``except ValueError``
code keeps working.
"""

from __future__ import annotations

__all__ = [
    "CxplanError",
    "DataError",
    "InfeasibleError",
    "InputError",
    "ParamsError",
    "ReportError",
]


class CxplanError(Exception):
    """Root of every error cxplan raises deliberately."""


class InputError(CxplanError, ValueError):
    """An argument breaks a documented rule; the message names the argument and the rule."""


class InfeasibleError(CxplanError, ValueError):
    """The constraints cannot be met (e.g. a service-level target no finite staffing reaches)."""


class ParamsError(CxplanError, ValueError):
    """A parameter file is invalid.

    Parameters
    ----------
    problems : list of str
        One line per problem, each ``file:line: field: message``.
    """

    def __init__(self, problems: list[str] | str) -> None:
        if isinstance(problems, str):
            problems = [problems]
        self.problems: list[str] = list(problems)
        super().__init__("\n".join(self.problems))


class DataError(CxplanError, ValueError):
    """A data file (e.g. an interval history export) is invalid.

    Parameters
    ----------
    problems : list of str
        One line per problem, each ``file:row: column: message`` (``row`` is the spreadsheet row
        or CSV line, the header being row 1), or ``file: message`` for whole-file problems.
    """

    def __init__(self, problems: list[str] | str) -> None:
        if isinstance(problems, str):
            problems = [problems]
        self.problems: list[str] = list(problems)
        super().__init__("\n".join(self.problems))


class ReportError(CxplanError):
    """The batch report run could not be carried out (unwritable output, bad output name, ...)."""
