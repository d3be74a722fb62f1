"""Parallel region runs: a process pool or a Dask cluster, and the workers' signal handling.

Pool workers are ``spawn``-ed children of the batch: they ignore Ctrl-C (the batch handles it),
stop cleanly on ``SIGTERM``/``SIGHUP``, and end with the batch whatever killed it (parent-death
signal plus a watch thread); an orphaned worker publishes nothing (:func:`_batch_gone`). The
function run per region is passed in (:func:`cxplan.app.execution.run_region`), so this module
depends on nothing but the result types.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
import types
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from cxplan.app.batch_results import Failure, RegionResult, RegionTask, _one_line

__all__: list[str] = []

RunRegion = Callable[[RegionTask], RegionResult]
"""The function run for each region (picklable by reference: a module-level function)."""

_busy = False
_terminating = False
_batch_pid: int | None = None  # in a pool worker: the batch process that started it
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_WATCH_INTERVAL_S = 0.25
_HANGUP = (signal.SIGHUP,) if hasattr(signal, "SIGHUP") else ()  # not on Windows


def _ignore(signum: int, frame: types.FrameType | None) -> None:
    """Do nothing (unlike SIG_IGN, a signal already pending is then harmless)."""


def _on_sigterm(signum: int, frame: types.FrameType | None) -> None:
    global _terminating
    for stop in (signal.SIGTERM, *_HANGUP):  # the batch may send SIGTERM after a SIGHUP
        signal.signal(stop, _ignore)
    _terminating = True
    if _busy:
        raise KeyboardInterrupt  # unwinds run_region: kernel shut down, work files removed
    raise SystemExit(130)


def _batch_gone() -> bool:
    """In a pool worker: whether the batch that started it has ended (the worker is orphaned).

    Workers are direct children of the batch (``spawn``), so their parent changes exactly when
    the batch dies, whatever killed it (``SIGKILL`` included).
    """
    return _batch_pid is not None and os.getppid() != _batch_pid


def _die_with_parent() -> None:
    """Have Linux send this process SIGTERM when its parent dies (``prctl(PR_SET_PDEATHSIG)``).

    Hand-written with ctypes: the standard library has no binding and no maintained small
    library is worth a dependency for one system call. Elsewhere (or without a usable libc)
    nothing happens: the watch thread of :func:`_worker_init` notices the parent's end too.
    """
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)


def _watch_batch() -> None:
    """Parent-alive check: SIGTERM this worker once its batch has gone."""
    while not _batch_gone():
        time.sleep(_WATCH_INTERVAL_S)
    os.kill(os.getpid(), signal.SIGTERM)


def _worker_init(batch_pid: int) -> None:
    global _batch_pid
    _batch_pid = batch_pid
    # Pool workers ignore Ctrl-C (the parent handles it) and abort cleanly on SIGTERM or SIGHUP
    # (a closed terminal), and when the batch dies: the parent-death signal, and a watch thread
    # for what it misses. Their kernels follow them (ipykernel polls its parent, JPY_PARENT_PID).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for stop in (signal.SIGTERM, *_HANGUP):
        signal.signal(stop, _on_sigterm)
    _die_with_parent()
    if _batch_gone():  # the batch died before the parent-death signal was set up
        os._exit(130)
    threading.Thread(target=_watch_batch, name="cxplan-batch-watch", daemon=True).start()
    # nbclient may leave an orphaned asyncio task whose "Kernel died" error asyncio would log
    # with a traceback when the kernel is stopped on an interrupt
    logging.getLogger("asyncio").disabled = True


def _pool_run_region(run: RunRegion, task: RegionTask) -> RegionResult:
    global _busy
    if _terminating or _batch_gone():  # the batch was interrupted or died: no further region
        os._exit(130)
    _busy = True
    try:
        return run(task)
    finally:
        _busy = False
        if _terminating:
            # run_region has cleaned up (kernel stopped, work files removed); leave now rather
            # than go back to the pool's queue and run a region after the interrupt
            os._exit(130)


def _crashed(task: RegionTask, exc: BaseException) -> RegionResult:
    return RegionResult(
        region=task.slug,
        params_path=Path(task.params_path),
        status="failed",
        duration_s=0.0,
        failure=Failure(task.slug, "internal", _one_line(f"{type(exc).__name__}: {exc}")),
    )


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker immune to SIGHUP (it ignores SIGINT and SIGTERM).

    A closed terminal sends SIGHUP to the whole process group; a dead tracker would be
    relaunched during the clean-up and print tracebacks about the pool's semaphores. A signal
    ignored when a process is started stays ignored in it.
    """
    from multiprocessing import resource_tracker

    if not _HANGUP or threading.current_thread() is not threading.main_thread():
        return  # (signal handlers can only be changed in the main thread)
    previous = signal.signal(_HANGUP[0], signal.SIG_IGN)
    try:
        resource_tracker.ensure_running()
    finally:
        signal.signal(_HANGUP[0], previous)


def _run_pool(
    tasks: Sequence[RegionTask],
    workers: int,
    done: Callable[[int, RegionResult], None],
    run: RunRegion,
) -> None:
    # spawn, not forkserver: the workers are children of this process, so they can die with it
    # (a forkserver outlives a killed batch, and so would workers forked from it)
    context = multiprocessing.get_context("spawn")
    _start_resource_tracker()
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(tasks)),
        mp_context=context,
        initializer=_worker_init,
        initargs=(os.getpid(),),
    )
    futures: dict[Future[RegionResult], int] = {}
    try:
        futures = {pool.submit(_pool_run_region, run, task): i for i, task in enumerate(tasks)}
        for future in as_completed(futures):
            index = futures[future]
            try:
                outcome = future.result()
            except Exception as exc:  # a worker died (BrokenProcessPool) or could not unpickle
                outcome = _crashed(tasks[index], exc)
            done(index, outcome)
    except BaseException:
        for future in futures:
            future.cancel()
        processes = getattr(pool, "_processes", None) or {}
        for process in list(processes.values()):
            with contextlib.suppress(OSError, ValueError):
                if process.is_alive() and process.pid is not None:
                    os.kill(process.pid, signal.SIGTERM)
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _run_dask(
    tasks: Sequence[RegionTask],
    client: Any,
    done: Callable[[int, RegionResult], None],
    run: RunRegion,
) -> None:
    from distributed import as_completed as dask_as_completed

    futures = client.map(run, list(tasks), pure=False)
    index = {future.key: i for i, future in enumerate(futures)}
    try:
        for future in dask_as_completed(futures):
            i = index[future.key]
            try:
                outcome = future.result()
            except Exception as exc:  # the worker died or raised outside run_region's guard
                outcome = _crashed(tasks[i], exc)
            done(i, outcome)
    except BaseException:
        client.cancel(futures)
        raise
