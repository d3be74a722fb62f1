"""cxplan: contact-centre planning and ROI toolkit.

Sub-modules are imported on demand; importing :mod:`cxplan` itself has no side effects.

Modules
-------
queueing
    Erlang B, Erlang C and Erlang A (M/M/n+M) performance measures and staffing search.
staffing
    Workload formula, shrinkage, interval staffing and channel models (voice, chat, email).
errors
    The exception hierarchy rooted at :class:`~cxplan.errors.CxplanError`.
"""

from cxplan.errors import CxplanError

__all__ = ["CxplanError", "__version__"]

__version__ = "0.1.0"
