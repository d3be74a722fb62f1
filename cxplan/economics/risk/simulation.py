"""Monte Carlo runs of a vectorized model: draws, outputs, percentiles, probabilities."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from cxplan._validation import as_array
from cxplan.economics.risk.sampling import _collect_outputs, correlate, sample_inputs
from cxplan.errors import InputError

__all__ = ["P_DEFINITION", "MonteCarloResult", "histogram_percentile", "monte_carlo"]

FloatArray = npt.NDArray[np.float64]

#: How ``pNN`` columns are defined throughout this module (also in ``DataFrame.attrs``).
P_DEFINITION = (
    "pNN is the NN-th percentile of the draws (numpy 'linear' method): NN % of draws are at or "
    "below it, 100-NN % above. So p10 is the low case that 90 % of draws exceed and p90 the "
    "high case that only 10 % exceed (in the exceedance convention of oil & gas reporting "
    "these are called P90 and P10 respectively)."
)


# ----------------------------------------------------------------------------------------------
# Monte Carlo
# ----------------------------------------------------------------------------------------------
def _pcol(q: float) -> str:
    return f"p{q:g}"


def _percentiles(
    values: FloatArray, q: Sequence[float], nan_policy: Literal["omit", "high"]
) -> list[float]:
    """Linear-interpolation percentiles; NaN omitted, or ranked above every number."""
    # numpy sorts NaN last, which ranks NaN above every number for "high"
    x = np.sort(values[~np.isnan(values)]) if nan_policy == "omit" else np.sort(values)
    if x.size == 0:
        return [float("nan")] * len(q)
    pos = (x.size - 1) * np.asarray(q, dtype=np.float64) / 100.0
    lo = np.floor(pos).astype(np.intp)
    hi = np.ceil(pos).astype(np.intp)
    with np.errstate(invalid="ignore"):
        v = np.where(hi == lo, x[lo], x[lo] + (x[hi] - x[lo]) * (pos - lo))
    return [float(t) for t in v]


def histogram_percentile(
    bin_start: FloatArray, bin_end: FloatArray, count: FloatArray, q: float
) -> float:
    """Percentile of binned draws, interpolated linearly within the bins.

    Parameters
    ----------
    bin_start, bin_end : numpy.ndarray
        Edges of contiguous, increasing bins (as :meth:`MonteCarloResult.histogram` gives).
    count : numpy.ndarray
        Draws in each bin (>= 0).
    q : float
        Percentile, 0 to 100.

    Returns
    -------
    float
        The value below which ``q`` % of the draws lie, assuming draws spread evenly within
        each bin (within one bin width of the exact percentile); NaN when there are no draws.

    Notes
    -----
    The cumulative share at the bin edges, ``0, c1/n, (c1+c2)/n, ..., 1``, is interpolated
    linearly at ``q / 100`` (the grouped-data percentile of descriptive statistics).

    Examples
    --------
    >>> import numpy as np
    >>> start, end, count = np.array([0.0, 10.0]), np.array([10.0, 20.0]), np.array([1.0, 3.0])
    >>> histogram_percentile(start, end, count, 50)  # 10 + (0.50 - 0.25) / 0.75 * 10
    13.333333333333334
    """
    total = count.sum()
    if total <= 0:
        return float("nan")
    cum = np.concatenate([[0.0], np.cumsum(count)]) / total
    edges = np.concatenate([bin_start[:1], bin_end])
    return float(np.interp(q / 100.0, cum, edges))


@dataclass(frozen=True, eq=False)
class MonteCarloResult:
    """Draws and outputs of a Monte Carlo run, with summaries.

    Attributes
    ----------
    draws : pandas.DataFrame
        One column per input, one row per draw.
    outputs : pandas.DataFrame
        One column per model output, one row per draw (NaN allowed, e.g. never paid back).
    seed : int
        The seed used.
    """

    draws: pd.DataFrame
    outputs: pd.DataFrame
    seed: int
    definition: str = field(default=P_DEFINITION, repr=False)

    @property
    def n_draws(self) -> int:
        """Number of draws."""
        return len(self.outputs)

    def _column(self, output: str) -> FloatArray:
        if output in self.outputs.columns:
            return np.asarray(self.outputs[output].to_numpy(), dtype=np.float64)
        if output in self.draws.columns:
            return np.asarray(self.draws[output].to_numpy(), dtype=np.float64)
        raise InputError(
            f"output {output!r} not found; outputs are {list(self.outputs.columns)}, "
            f"inputs {list(self.draws.columns)}"
        )

    def percentiles(
        self,
        q: Sequence[float] = (10.0, 50.0, 90.0),
        *,
        columns: Sequence[str] | None = None,
        nan_policy: Literal["omit", "high"] = "omit",
    ) -> pd.DataFrame:
        """Percentiles of outputs (and/or inputs).

        Parameters
        ----------
        q : sequence of float
            Percentiles in [0, 100]; column ``pNN`` is the NN-th percentile (see
            :data:`P_DEFINITION`).
        columns : sequence of str, optional
            Outputs or inputs to include; default all outputs.
        nan_policy : {"omit", "high"}
            ``"omit"`` ignores NaN draws; ``"high"`` ranks NaN above every number (e.g. "never
            paid back" is later than any payback), so a percentile falling among them is NaN.

        Returns
        -------
        pandas.DataFrame
            Index: the columns; columns ``p10``, ``p50``, ... .
        """
        qs = [float(v) for v in np.atleast_1d(as_array("q", q, low=0.0, high=100.0))]
        if nan_policy not in ("omit", "high"):
            raise InputError(f"nan_policy must be 'omit' or 'high' (got {nan_policy!r})")
        cols = list(self.outputs.columns) if columns is None else list(columns)
        rows = [_percentiles(self._column(c), qs, nan_policy) for c in cols]
        df = pd.DataFrame(rows, index=pd.Index(cols), columns=pd.Index([_pcol(v) for v in qs]))
        df.attrs["definition"] = P_DEFINITION
        return df

    def summary(self, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """Mean, standard deviation, p10, p50, p90 and NaN share per output.

        Parameters
        ----------
        columns : sequence of str, optional
            Outputs or inputs to include; default all outputs.

        Returns
        -------
        pandas.DataFrame
            Index: the columns. Columns ``mean``, ``std`` (sample, ddof = 1), ``p10``, ``p50``,
            ``p90`` (p10 = 10th percentile: 90 % of draws are above it; p90 = 90th percentile:
            10 % of draws are above it), ``nan_share`` (fraction of draws that are NaN; NaN
            draws are left out of the other columns). ``attrs["definition"]`` repeats the
            percentile definition.
        """
        cols = list(self.outputs.columns) if columns is None else list(columns)
        rows = []
        for c in cols:
            v = self._column(c)
            ok = v[~np.isnan(v)]
            mean = float(ok.mean()) if ok.size else float("nan")
            with np.errstate(invalid="ignore"):  # ±inf draws (ROI at zero cost): std is NaN
                std = float(ok.std(ddof=1)) if ok.size > 1 else float("nan")
            p10, p50, p90 = _percentiles(v, (10.0, 50.0, 90.0), "omit")
            rows.append([mean, std, p10, p50, p90, 1.0 - ok.size / v.size])
        df = pd.DataFrame(
            rows,
            index=pd.Index(cols),
            columns=pd.Index(["mean", "std", "p10", "p50", "p90", "nan_share"]),
        )
        df.attrs["definition"] = P_DEFINITION
        return df

    def probability(
        self,
        output: str,
        condition: float | Callable[[FloatArray], Any],
        *,
        side: Literal["<=", "<", ">=", ">"] = "<=",
    ) -> float:
        """Share of draws meeting a condition.

        Parameters
        ----------
        output : str
            Output (or input) name.
        condition : float or callable
            A threshold compared with ``side`` (default: ``output <= threshold``), or a function
            of the output array returning a boolean array.
        side : {"<=", "<", ">=", ">"}
            Comparison for a threshold.

        Returns
        -------
        float
            Fraction of **all** draws meeting the condition; a NaN draw never does (so "payback
            <= 12 months" does not count a draw that never pays back).
        """
        v = self._column(output)
        valid = ~np.isnan(v)
        if callable(condition):
            hit = np.asarray(condition(v), dtype=bool)
            if hit.shape != v.shape:
                raise InputError(
                    f"condition must return one boolean per draw (got shape {hit.shape})"
                )
        else:
            t = float(as_array("condition", condition))
            ops: dict[str, Callable[[FloatArray, float], Any]] = {
                "<=": np.less_equal,
                "<": np.less,
                ">=": np.greater_equal,
                ">": np.greater,
            }
            if side not in ops:
                raise InputError(f"side must be one of {list(ops)} (got {side!r})")
            with np.errstate(invalid="ignore"):
                hit = np.asarray(ops[side](v, t), dtype=bool)
        return float(np.count_nonzero(hit & valid) / v.size)

    def histogram(self, output: str, bins: int | Sequence[float] = 30) -> pd.DataFrame:
        """Histogram data of an output, ready for an altair bar chart.

        Parameters
        ----------
        output : str
            Output (or input) name.
        bins : int or sequence of float
            Number of equal-width bins over the finite draws, or the bin edges.

        Returns
        -------
        pandas.DataFrame
            Columns ``bin_start``, ``bin_end``, ``count`` and ``share`` (count / all draws;
            bins are half-open ``[start, end)`` except the last, which is closed). Non-finite
            draws are left out; ``attrs["n_excluded"]`` counts them.
        """
        v = self._column(output)
        finite = v[np.isfinite(v)]
        if isinstance(bins, int | np.integer) and not isinstance(bins, bool):
            if bins < 1:
                raise InputError(f"bins must be >= 1 (got {bins})")
            edges_arg: Any = int(bins)
        else:
            edges_arg = as_array("bins", bins)
            if edges_arg.ndim != 1 or edges_arg.size < 2 or np.any(np.diff(edges_arg) <= 0):
                raise InputError("bins must be a count or at least two increasing edges")
        if finite.size == 0:
            counts = np.zeros(edges_arg if isinstance(edges_arg, int) else edges_arg.size - 1)
            edges = np.full(counts.size + 1, np.nan) if isinstance(edges_arg, int) else edges_arg
        else:
            counts, edges = np.histogram(finite, bins=edges_arg)
        df = pd.DataFrame(
            {
                "bin_start": edges[:-1],
                "bin_end": edges[1:],
                "count": np.asarray(counts, dtype=np.int64),
                "share": np.asarray(counts, dtype=np.float64) / v.size,
            }
        )
        df.attrs["n_excluded"] = int(v.size - finite.size)
        df.attrs["output"] = output
        return df


def monte_carlo(
    model: Callable[..., Any],
    inputs: Mapping[str, Any],
    n_draws: int,
    seed: int,
    *,
    outputs: Sequence[str] | None = None,
    correlations: Mapping[tuple[str, str], float] | None = None,
) -> MonteCarloResult:
    """Run a vectorized model over ``n_draws`` random scenarios.

    Parameters
    ----------
    model : callable
        ``model(**arrays)`` with one keyword array of shape ``(n_draws,)`` per input, returning a
        mapping (or DataFrame) of output name to array of shape ``(n_draws,)`` (a scalar output
        is broadcast). Called exactly once.
    inputs : mapping of str to distribution, number or array
        See :func:`sample_inputs` (which also documents the sampling order and seeding).
    n_draws : int
        Number of draws, >= 1.
    seed : int
        Seed, >= 0: the same seed gives identical draws and outputs.
    outputs : sequence of str, optional
        Outputs to keep; default all.
    correlations : mapping of (str, str) to float, optional
        Rank correlations between inputs, imposed by :func:`correlate` (marginals unchanged).

    Returns
    -------
    MonteCarloResult
        Draws, outputs, and ``percentiles``, ``summary``, ``probability``, ``histogram``.

    Raises
    ------
    InputError
        Bad inputs (see :func:`sample_inputs`) or model outputs of the wrong type or shape.

    Notes
    -----
    Inputs are sampled independently, then reordered to carry ``correlations`` when given
    (Iman–Conover, :func:`correlate`). With every input degenerate (``low == mode == high``)
    each draw equals the deterministic model result exactly.

    Examples
    --------
    >>> def model(benefit, cost):
    ...     return {"net": benefit - cost}
    >>> from cxplan.economics.risk import Pert
    >>> res = monte_carlo(model, {"benefit": Pert(80, 100, 150), "cost": 60}, 10_000, seed=1)
    >>> round(float(res.outputs["net"].mean()), 0)
    45.0
    >>> res.probability("net", 0.0, side=">")
    1.0
    """
    draws = sample_inputs(inputs, n_draws, seed)
    if correlations:
        draws = correlate(draws, correlations, seed)
    raw = model(**draws)
    outs = _collect_outputs(raw, int(n_draws), outputs)
    return MonteCarloResult(draws=pd.DataFrame(draws), outputs=pd.DataFrame(outs), seed=int(seed))
