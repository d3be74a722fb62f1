"""Results shared between region models whose relevant parameter sections are equal.

A :class:`~cxplan.model.RegionModel` computes each result once per instance
(``functools.cached_property``). The live planner builds a new model for every control change
(the overridden parameters, validated afresh); most of a model's expensive results do not depend
on the section the control changed: moving the outsourced share changes no staffing, moving the
AHT reduction no hiring plan. :func:`shared` makes a property look its result up in one
process-wide store (:data:`MEMO`), keyed on the parameter sections it reads (their JSON), so a
new model reuses what an earlier model with the same sections computed and recomputes only what
the change invalidated. The figures are the same function's, on equal inputs: nothing is
approximated.

The keys are written next to each property; ``tests/test_memo.py`` proves them complete for the
demo regions (changing any section outside a key leaves that result equal).

Results in the store are shared: treat a model's tables as read-only (copy before modifying).
"""

from __future__ import annotations

import contextlib
import functools
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from functools import cached_property
from typing import Any, TypeVar

from pydantic import BaseModel

__all__ = ["MEMO", "SHARED", "Memo", "section_key", "shared"]

T = TypeVar("T")

#: Largest number of results kept (least recently used first out). The largest entries are one
#: channel's interval staffing table (26 weeks of 30-minute intervals: ~0.7 MB).
DEFAULT_MAXSIZE = 64


class Memo:
    """A bounded, thread-safe least-recently-used store of computed results.

    Parameters
    ----------
    maxsize : int
        Most results kept.

    Examples
    --------
    >>> memo = Memo(maxsize=2)
    >>> memo.get(("a", 1), lambda: 41 + 1)
    42
    >>> memo.get(("a", 1), lambda: 0)  # found: not computed again
    42
    >>> memo.hits, memo.misses
    (1, 1)
    """

    def __init__(self, maxsize: int = DEFAULT_MAXSIZE) -> None:
        if maxsize < 1:
            raise ValueError("maxsize must be >= 1")
        self.maxsize = maxsize
        self.enabled = True
        self.hits = 0
        self.misses = 0
        self._store: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """Return the result stored under ``key``, or compute, store and return it.

        The computation runs outside the lock (two threads asking for one new key may both
        compute it; both get an equal result).
        """
        if not self.enabled:
            return compute()
        with self._lock:
            if key in self._store:
                self._store.move_to_end(key)
                self.hits += 1
                found: T = self._store[key]
                return found
            self.misses += 1
        value = compute()
        with self._lock:
            self._store[key] = value
            self._store.move_to_end(key)
            while len(self._store) > self.maxsize:
                self._store.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every stored result (and the hit and miss counts)."""
        with self._lock:
            self._store.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._store)

    @contextlib.contextmanager
    def disabled(self) -> Iterator[None]:
        """Compute everything afresh inside the block (tests compare with and without)."""
        previous, self.enabled = self.enabled, False
        try:
            yield
        finally:
            self.enabled = previous


#: The store shared by every :class:`~cxplan.model.RegionModel` of this process.
MEMO = Memo()

#: ``"Class.property"`` → the parameter sections its key holds (for the completeness tests).
SHARED: dict[str, tuple[str, ...]] = {}


def section_key(params: BaseModel, path: str) -> str:
    """JSON of one parameter section (``"location"``) or sub-section (``"channels.voice"``).

    A missing optional section (``channels.chat`` of a region without chat) is ``"null"``.

    Examples
    --------
    >>> from cxplan.config.params import SourcingParams
    >>> section_key(SourcingParams(vendor_share=0.4), "vendor_share")
    '0.4'
    """
    value: Any = params
    for part in path.split("."):
        value = getattr(value, part)
    if isinstance(value, BaseModel):
        return value.model_dump_json()
    return json.dumps(value, default=str, sort_keys=True)


def shared(
    *sections: str, extra: Callable[[Any], Hashable] | None = None
) -> Callable[[Callable[[Any], T]], cached_property[T]]:
    """Turn a model method into a cached property whose result is shared through :data:`MEMO`.

    Parameters
    ----------
    *sections : str
        The parameter sections (paths into ``self.params``) the result depends on; together
        with the property's name they form the key.
    extra : callable, optional
        ``extra(model)`` adds to the key what is not a fixed section (e.g. the section of the
        channel ``sourcing.channel`` names, or a draws override).

    Returns
    -------
    callable
        A decorator producing a :class:`functools.cached_property`.
    """

    def wrap(func: Callable[[Any], T]) -> cached_property[T]:
        name = func.__qualname__
        SHARED[name] = tuple(sections)

        @functools.wraps(func)
        def compute(self: Any) -> T:
            key = (
                name,
                None if extra is None else extra(self),
                getattr(self, "data_identity", None),  # the data files the sections name
                *(section_key(self.params, s) for s in sections),
            )
            return MEMO.get(key, lambda: func(self))

        return cached_property(compute)

    return wrap
