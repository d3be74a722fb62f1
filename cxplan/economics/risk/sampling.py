"""Sampling a model's inputs: one seeded generator per input, rank correlation (Iman-Conover)."""

from __future__ import annotations

import hashlib
import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from cxplan._validation import as_array
from cxplan.errors import InputError

__all__ = ["correlate", "sample_inputs"]

FloatArray = npt.NDArray[np.float64]


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
    >>> from cxplan.economics.risk import Pert
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
