"""Uncertainty: three-point distributions, Monte Carlo runs and tornado sensitivity.

A model is any function taking keyword arrays (one per input, all of the same length) and
returning a mapping (or DataFrame) of output arrays of that length -- written once with numpy, it
serves a single scenario, a tornado (2k + 1 scenarios) and a Monte Carlo run (``n_draws``
scenarios) alike, each in a single call.

References
----------
.. [1] D. G. Malcolm, J. H. Roseboom, C. E. Clark, W. Fazar, "Application of a technique for
   research and development program evaluation", Operations Research 7(5), 1959 (PERT).
.. [2] R. Pouillot et al., R package ``mc2d``, ``rpert``: the modified PERT with shape
   ``lambda`` (default 4) and mean ``(min + lambda*mode + max) / (lambda + 2)``.
.. [3] domain-notes "Finance" (PERT with lambda = 4; tornado sorted by swing; P10/P90 defined in
   the output because percentile vs exceedance usage differs).

The TEI per-line risk adjustment (benefits reduced, costs raised by fixed fractions) is
:func:`cxplan.economics.finance.risk_adjust`; this module handles uncertainty by sampling instead.
"""

from __future__ import annotations

import hashlib
import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
import pandas as pd

from cxplan._validation import as_array
from cxplan.errors import InputError

__all__ = [
    "P_DEFINITION",
    "Distribution",
    "Fixed",
    "MonteCarloResult",
    "Pert",
    "Triangular",
    "Uniform",
    "correlate",
    "histogram_percentile",
    "monte_carlo",
    "sample_inputs",
    "tornado",
]

FloatArray = npt.NDArray[np.float64]

#: How ``pNN`` columns are defined throughout this module (also in ``DataFrame.attrs``).
P_DEFINITION = (
    "pNN is the NN-th percentile of the draws (numpy 'linear' method): NN % of draws are at or "
    "below it, 100-NN % above. So p10 is the low case that 90 % of draws exceed and p90 the "
    "high case that only 10 % exceed (in the exceedance convention of oil & gas reporting "
    "these are called P90 and P10 respectively)."
)


# ----------------------------------------------------------------------------------------------
# distributions
# ----------------------------------------------------------------------------------------------
@runtime_checkable
class Distribution(Protocol):
    """What :func:`monte_carlo` and :func:`tornado` need from an input distribution."""

    @property
    def low(self) -> float:
        """Smallest possible value."""
        ...

    @property
    def high(self) -> float:
        """Largest possible value."""
        ...

    @property
    def mean(self) -> float:
        """Expected value."""
        ...

    def sample(self, rng: np.random.Generator, n: int) -> FloatArray:
        """Draw ``n`` values with ``rng``."""
        ...


def _finite(cls: str, name: str, value: Any) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{cls}.{name} must be a number (got {value!r})") from None
    if not math.isfinite(v):
        raise InputError(f"{cls}.{name} must be finite (got {v!r})")
    return v


def _check_n(n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 0:
        raise InputError(f"n must be a whole number >= 0 (got {n!r})")
    return int(n)


def _check_rng(rng: Any) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise InputError(
            f"rng must be a numpy.random.Generator, e.g. numpy.random.default_rng(seed) "
            f"(got {type(rng).__name__})"
        )
    return rng


def _three_point(cls: str, obj: Any) -> None:
    for name in ("low", "mode", "high"):
        object.__setattr__(obj, name, _finite(cls, name, getattr(obj, name)))
    if obj.low > obj.high:
        raise InputError(f"{cls}.low must be <= {cls}.high (got low={obj.low}, high={obj.high})")
    if not obj.low <= obj.mode:
        raise InputError(f"{cls}.mode must be >= {cls}.low (got mode={obj.mode}, low={obj.low})")
    if not obj.mode <= obj.high:
        raise InputError(f"{cls}.mode must be <= {cls}.high (got mode={obj.mode}, high={obj.high})")


@dataclass(frozen=True)
class Pert:
    """Modified PERT (beta-PERT) distribution on ``[low, high]`` with most likely value ``mode``.

    Parameters
    ----------
    low, mode, high : float
        Minimum, most likely and maximum value; ``low <= mode <= high``.
    lam : float
        Shape ``lambda`` > 0 (default 4, the classic PERT); larger concentrates mass at the mode.

    Raises
    ------
    InputError
        Non-finite values, ``low > high``, ``mode`` outside ``[low, high]``, ``lam <= 0``.

    Notes
    -----
    ``alpha = 1 + lam (mode - low) / (high - low)``, ``beta = 1 + lam (high - mode) /
    (high - low)``, ``X = low + (high - low) B`` with ``B ~ Beta(alpha, beta)``;
    mean ``(low + lam mode + high) / (lam + 2)`` = ``(low + 4 mode + high) / 6`` at lam = 4
    (domain-notes "Finance"; Malcolm et al. 1959; R ``mc2d::rpert``). ``low == high`` is the
    constant ``low`` (no 0/0).

    Examples
    --------
    >>> Pert(10.0, 20.0, 60.0).mean
    25.0
    >>> Pert(5.0, 5.0, 5.0).sample(np.random.default_rng(0), 3)
    array([5., 5., 5.])
    """

    low: float
    mode: float
    high: float
    lam: float = 4.0

    def __post_init__(self) -> None:
        _three_point("Pert", self)
        lam = _finite("Pert", "lam", self.lam)
        if lam <= 0:
            raise InputError(f"Pert.lam must be > 0 (got {lam})")
        object.__setattr__(self, "lam", lam)

    @property
    def alpha(self) -> float:
        """First Beta shape parameter (1.0 for a degenerate distribution)."""
        span = self.high - self.low
        return 1.0 + self.lam * (self.mode - self.low) / span if span > 0 else 1.0

    @property
    def beta(self) -> float:
        """Second Beta shape parameter (1.0 for a degenerate distribution)."""
        span = self.high - self.low
        return 1.0 + self.lam * (self.high - self.mode) / span if span > 0 else 1.0

    @property
    def mean(self) -> float:
        """Expected value ``(low + lam*mode + high) / (lam + 2)``."""
        if self.high == self.low:
            return self.low
        return (self.low + self.lam * self.mode + self.high) / (self.lam + 2.0)

    def sample(self, rng: np.random.Generator, n: int) -> FloatArray:
        """Draw ``n`` values (vectorized ``rng.beta``, scaled to ``[low, high]``)."""
        rng, n = _check_rng(rng), _check_n(n)
        if self.high == self.low:
            return np.full(n, self.low)
        b = rng.beta(self.alpha, self.beta, size=n)
        return np.asarray(self.low + (self.high - self.low) * b, dtype=np.float64)


@dataclass(frozen=True)
class Triangular:
    """Triangular distribution on ``[low, high]`` with peak at ``mode``.

    Parameters
    ----------
    low, mode, high : float
        Minimum, most likely and maximum value; ``low <= mode <= high``.

    Raises
    ------
    InputError
        Non-finite values, ``low > high``, ``mode`` outside ``[low, high]``.

    Notes
    -----
    Mean ``(low + mode + high) / 3``. Sampled with ``rng.triangular``; ``low == high`` is the
    constant ``low``.

    Examples
    --------
    >>> Triangular(0.0, 3.0, 6.0).mean
    3.0
    """

    low: float
    mode: float
    high: float

    def __post_init__(self) -> None:
        _three_point("Triangular", self)

    @property
    def mean(self) -> float:
        """Expected value ``(low + mode + high) / 3``."""
        return (self.low + self.mode + self.high) / 3.0

    def sample(self, rng: np.random.Generator, n: int) -> FloatArray:
        """Draw ``n`` values."""
        rng, n = _check_rng(rng), _check_n(n)
        if self.high == self.low:
            return np.full(n, self.low)
        return np.asarray(rng.triangular(self.low, self.mode, self.high, size=n), dtype=np.float64)


@dataclass(frozen=True)
class Uniform:
    """Uniform distribution on ``[low, high]``.

    Parameters
    ----------
    low, high : float
        Bounds, ``low <= high``.

    Raises
    ------
    InputError
        Non-finite values or ``low > high``.

    Examples
    --------
    >>> Uniform(2.0, 4.0).mean
    3.0
    """

    low: float
    high: float

    def __post_init__(self) -> None:
        for name in ("low", "high"):
            object.__setattr__(self, name, _finite("Uniform", name, getattr(self, name)))
        if self.low > self.high:
            raise InputError(
                f"Uniform.low must be <= Uniform.high (got low={self.low}, high={self.high})"
            )

    @property
    def mean(self) -> float:
        """Expected value ``(low + high) / 2``."""
        return 0.5 * (self.low + self.high)

    def sample(self, rng: np.random.Generator, n: int) -> FloatArray:
        """Draw ``n`` values."""
        rng, n = _check_rng(rng), _check_n(n)
        if self.high == self.low:
            return np.full(n, self.low)
        return np.asarray(rng.uniform(self.low, self.high, size=n), dtype=np.float64)


@dataclass(frozen=True)
class Fixed:
    """A known value (a distribution with no spread).

    Parameters
    ----------
    value : float
        The value.

    Examples
    --------
    >>> Fixed(3.5).sample(np.random.default_rng(0), 2)
    array([3.5, 3.5])
    """

    value: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", _finite("Fixed", "value", self.value))

    @property
    def low(self) -> float:
        """The value."""
        return self.value

    @property
    def high(self) -> float:
        """The value."""
        return self.value

    @property
    def mean(self) -> float:
        """The value."""
        return self.value

    def sample(self, rng: np.random.Generator, n: int) -> FloatArray:
        """Return ``n`` copies of the value (``rng`` is not used)."""
        _check_rng(rng)
        return np.full(_check_n(n), self.value)


# ----------------------------------------------------------------------------------------------
# sampling
# ----------------------------------------------------------------------------------------------
def _is_distribution(value: Any) -> bool:
    """Tell a distribution (has ``sample(rng, n)``) from data (arrays, Series, numbers)."""
    if isinstance(value, np.ndarray | pd.Series | pd.Index | list | tuple | numbers.Number):
        return False
    return callable(getattr(value, "sample", None))


def _check_seed(seed: Any) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InputError(f"seed must be a whole number >= 0 (got {seed!r})")
    return int(seed)


def _input_rng(seed: int, name: str) -> np.random.Generator:
    """Return the generator of input ``name``; it depends only on ``(seed, name)``."""
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=16).digest()
    key = tuple(int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4))
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=key))


def correlate(
    draws: Mapping[str, FloatArray],
    correlations: Mapping[tuple[str, str], float],
    seed: int,
) -> dict[str, FloatArray]:
    """Impose rank correlations on independent draws without changing any input's values.

    Parameters
    ----------
    draws : mapping of str to ndarray
        Independent draws, one array of equal length per input (e.g. :func:`sample_inputs`).
    correlations : mapping of (str, str) to float
        Target rank (Spearman-type) correlation per pair of input names, each in (−1, 1); pairs
        not given are uncorrelated. The implied matrix must be positive definite.
    seed : int
        Seed of the reordering (≥ 0); the same seed gives the same pairing.

    Returns
    -------
    dict of str to ndarray
        The same values per input, reordered so that the ranks carry the correlations.

    Raises
    ------
    InputError
        An unknown name, a coefficient outside (−1, 1), a pair given twice, or a matrix that is
        not positive definite.

    Notes
    -----
    Iman–Conover (1982): build van der Waerden scores ``Φ⁻¹(i / (n + 1))``, shuffle each column,
    decorrelate them exactly (Cholesky of their sample correlation ``E``) and recorrelate them
    with the Cholesky factor of the target ``C``: ``S* = S · (L_E⁻¹)ᵀ · L_Cᵀ``; each input's sorted
    draws are then placed in the rank order of its column of ``S*``. Marginals are untouched, so
    PERT inputs stay PERT. Written here because no maintained numpy/scipy function does it (scipy
    offers copulas only through ``multivariate_normal`` + inverse CDFs, which would redraw the
    inputs).

    References
    ----------
    .. [1] R. L. Iman, W. J. Conover, "A distribution-free approach to inducing rank correlation
       among input variables", Communications in Statistics B 11(3), 1982.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> d = {"a": rng.normal(size=5000), "b": rng.uniform(size=5000)}
    >>> c = correlate(d, {("a", "b"): 0.7}, seed=1)
    >>> sorted(c["b"]) == sorted(d["b"])
    True
    >>> from scipy.stats import spearmanr
    >>> round(float(spearmanr(c["a"], c["b"]).statistic), 1)
    0.7
    """
    from scipy.special import ndtri  # imported here: only correlated runs need it

    if not correlations:
        return dict(draws)
    names = sorted({n for pair in correlations for n in pair}, key=_name_key)
    for name in names:
        if name not in draws:
            raise InputError(f"correlations name an unknown input {name!r}")
    k = len(names)
    target = np.eye(k)
    for (a, b), rho in correlations.items():
        r = float(
            as_array(
                f"correlations[{a!r}, {b!r}]",
                rho,
                low=-1.0,
                high=1.0,
                low_inclusive=False,
                high_inclusive=False,
            )
        )
        i, j = names.index(a), names.index(b)
        if i == j:
            raise InputError(f"correlations pair an input with itself ({a!r})")
        if target[i, j] != 0.0:
            raise InputError(f"correlations give the pair ({a!r}, {b!r}) twice")
        target[i, j] = target[j, i] = r
    try:
        l_c = np.linalg.cholesky(target)
    except np.linalg.LinAlgError:
        raise InputError(
            "correlations are inconsistent (the correlation matrix is not positive definite)"
        ) from None
    n = len(draws[names[0]])
    rng = _input_rng(_check_seed(seed), "__correlations__")
    base = ndtri(np.arange(1, n + 1) / (n + 1.0))
    scores = np.column_stack([rng.permutation(base) for _ in range(k)])
    l_e = np.linalg.cholesky(np.corrcoef(scores, rowvar=False))
    target_scores = scores @ np.linalg.inv(l_e).T @ l_c.T
    out = dict(draws)
    for col, name in enumerate(names):
        values = np.sort(np.asarray(draws[name], dtype=np.float64))
        ranks = np.argsort(np.argsort(target_scores[:, col], kind="stable"), kind="stable")
        out[name] = values[ranks]
    return out


def sample_inputs(inputs: Mapping[str, Any], n_draws: int, seed: int) -> dict[str, FloatArray]:
    """Draw every input of a Monte Carlo run, reproducibly and independently per input.

    Parameters
    ----------
    inputs : mapping of str to distribution, number or array
        A distribution (anything with ``sample(rng, n)``), a plain number (repeated), or an
        array of exactly ``n_draws`` values (used as given, e.g. pre-correlated draws).
    n_draws : int
        Number of draws, >= 1.
    seed : int
        Seed, >= 0.

    Returns
    -------
    dict of str to numpy.ndarray
        One float array of shape ``(n_draws,)`` per input, in sorted-name order.

    Raises
    ------
    InputError
        Bad ``n_draws``/``seed``, a non-string name, a non-finite number, an array of the wrong
        length, or a distribution returning the wrong shape.

    Notes
    -----
    Input ``name`` is drawn with ``numpy.random.default_rng(SeedSequence(seed,
    spawn_key=K(name)))`` where ``K(name)`` is the 128-bit BLAKE2b digest of the UTF-8 name as
    four little-endian 32-bit words. Each input's draws therefore depend only on the seed and
    its own name: the same seed gives identical numbers, and adding, removing or reordering
    other inputs never reshuffles an input's draws. (Changing an input's own parameters does
    change its draws: PERT uses ``rng.beta``, not an inverse CDF.)

    Examples
    --------
    >>> d = sample_inputs({"aht_s": Pert(300, 360, 480), "agents": 150}, 4, seed=7)
    >>> sorted(d), d["agents"].tolist()
    (['agents', 'aht_s'], [150.0, 150.0, 150.0, 150.0])
    """
    if isinstance(n_draws, bool) or not isinstance(n_draws, int | np.integer) or n_draws < 1:
        raise InputError(f"n_draws must be a whole number >= 1 (got {n_draws!r})")
    n = int(n_draws)
    s = _check_seed(seed)
    if not isinstance(inputs, Mapping):
        raise InputError(
            "inputs must be a mapping of name to distribution or number "
            f"(got {type(inputs).__name__})"
        )
    out: dict[str, FloatArray] = {}
    for name in sorted(inputs, key=_name_key):
        value = inputs[name]
        if _is_distribution(value):
            draws = np.asarray(value.sample(_input_rng(s, name), n), dtype=np.float64)
            if draws.shape != (n,):
                raise InputError(
                    f"inputs[{name!r}].sample returned shape {draws.shape}, expected ({n},)"
                )
        else:
            arr = as_array(f"inputs[{name!r}]", value)
            if arr.ndim == 0:
                draws = np.full(n, float(arr))
            elif arr.shape == (n,):
                draws = arr.copy()
            else:
                raise InputError(
                    f"inputs[{name!r}] must be a distribution, a number or an array of "
                    f"n_draws={n} values (got shape {arr.shape})"
                )
        out[name] = draws
    return out


def _name_key(name: Any) -> str:
    if not isinstance(name, str):
        raise InputError(f"input names must be strings (got {name!r})")
    return name


def _collect_outputs(
    raw: Any, n: int, wanted: Sequence[str] | None, *, who: str = "model"
) -> dict[str, FloatArray]:
    """Validate a model's outputs: mapping/DataFrame of numeric arrays of length ``n``."""
    if isinstance(raw, pd.DataFrame):
        items: dict[str, Any] = {str(k): raw[k].to_numpy() for k in raw.columns}
    elif isinstance(raw, Mapping):
        items = {str(k): v for k, v in raw.items()}
    else:
        raise InputError(
            f"{who} must return a mapping (or DataFrame) of output name to array "
            f"(got {type(raw).__name__})"
        )
    names = list(items) if wanted is None else list(wanted)
    missing = [k for k in names if k not in items]
    if missing:
        raise InputError(f"{who} output {missing[0]!r} not found; it returned {sorted(items)}")
    out: dict[str, FloatArray] = {}
    for k in names:
        try:
            arr = np.asarray(items[k], dtype=np.float64)
        except (TypeError, ValueError):
            raise InputError(f"{who} output {k!r} is not numeric") from None
        if arr.ndim == 0:
            arr = np.full(n, float(arr))
        if arr.shape != (n,):
            raise InputError(
                f"{who} output {k!r} has shape {arr.shape}; expected ({n},), one value per scenario"
            )
        out[k] = arr
    return out


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


# ----------------------------------------------------------------------------------------------
# tornado
# ----------------------------------------------------------------------------------------------
def _range_of(name: str, spec: Any) -> tuple[float, float]:
    if _is_distribution(spec) and hasattr(spec, "low") and hasattr(spec, "high"):
        low, high = spec.low, spec.high
    else:
        try:
            low, high = spec
        except (TypeError, ValueError):
            raise InputError(
                f"ranges[{name!r}] must be a (low, high) pair or a distribution (got {spec!r})"
            ) from None
    lo = as_array(f"ranges[{name!r}] low", low)
    hi = as_array(f"ranges[{name!r}] high", high)
    if lo.ndim or hi.ndim:
        raise InputError(f"ranges[{name!r}] low and high must be single numbers")
    if float(lo) > float(hi):
        raise InputError(f"ranges[{name!r}] must have low <= high (got {float(lo)}, {float(hi)})")
    return float(lo), float(hi)


def tornado(
    model: Callable[..., Any],
    base: Mapping[str, float],
    ranges: Mapping[str, Any],
    *,
    output: str,
) -> pd.DataFrame:
    """One-at-a-time sensitivity: each uncertain input from low to high, the others at base.

    Parameters
    ----------
    model : callable
        As for :func:`monte_carlo`; called **once** with arrays of length ``2k + 1`` (row 0 the
        base case, rows ``2i + 1`` / ``2i + 2`` input ``i`` at its low / high value).
    base : mapping of str to float
        Base-case value of every model input (numbers; use e.g. a distribution's mode).
    ranges : mapping of str to (low, high) or distribution
        The inputs to swing (each must be in ``base``); a distribution contributes its ``low``
        and ``high``.
    output : str
        The model output to rank by.

    Returns
    -------
    pandas.DataFrame
        Columns ``input``, ``low_value``, ``high_value``, ``output_low``, ``output_high``,
        ``swing`` (``|output_high - output_low|``), ``base_output``; sorted by ``swing``
        descending (ties keep the order of ``ranges``; NaN swings last).

    Raises
    ------
    InputError
        Empty ``ranges``, a range input missing from ``base``, ``low > high``, a non-finite base
        value, or model outputs of the wrong type or shape.

    Examples
    --------
    >>> def model(volume, aht_s, wage):
    ...     return {"cost": volume * aht_s / 3600 * wage}
    >>> t = tornado(model, {"volume": 1000, "aht_s": 360, "wage": 30},
    ...             {"aht_s": (300, 480), "wage": (28, 32)}, output="cost")
    >>> t[["input", "output_low", "output_high", "swing"]].round(1).values.tolist()
    [['aht_s', 2500.0, 4000.0, 1500.0], ['wage', 2800.0, 3200.0, 400.0]]
    """
    if not isinstance(ranges, Mapping) or len(ranges) == 0:
        raise InputError("ranges must map at least one input name to (low, high)")
    if not isinstance(base, Mapping):
        raise InputError(
            f"base must be a mapping of input name to number (got {type(base).__name__})"
        )
    base_vals: dict[str, float] = {}
    for name, value in base.items():
        if _is_distribution(value):
            raise InputError(
                f"base[{name!r}] must be a number (got a distribution; pass e.g. its mode)"
            )
        v = as_array(f"base[{name!r}]", value)
        if v.ndim:
            raise InputError(f"base[{name!r}] must be a single number (got shape {v.shape})")
        base_vals[str(name)] = float(v)
    names = list(ranges)
    for name in names:
        if name not in base_vals:
            raise InputError(f"ranges[{name!r}] has no base value: add {name!r} to base")
    bounds = [_range_of(name, ranges[name]) for name in names]
    k = len(names)
    arrays = {name: np.full(2 * k + 1, v) for name, v in base_vals.items()}
    for i, (name, (lo, hi)) in enumerate(zip(names, bounds, strict=True)):
        arrays[name][2 * i + 1] = lo
        arrays[name][2 * i + 2] = hi
    vals = _collect_outputs(model(**arrays), 2 * k + 1, [output])[output]
    out_low, out_high = vals[1::2], vals[2::2]
    df = pd.DataFrame(
        {
            "input": names,
            "low_value": [b[0] for b in bounds],
            "high_value": [b[1] for b in bounds],
            "output_low": out_low,
            "output_high": out_high,
            "swing": np.abs(out_high - out_low),
            "base_output": np.full(k, vals[0]),
        }
    )
    df = df.sort_values("swing", ascending=False, kind="stable", na_position="last")
    df = df.reset_index(drop=True)
    df.attrs["output"] = output
    return df
