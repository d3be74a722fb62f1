"""Benchmark: the live planner in the real browser page -- slider change to charts, first paint.

Run: ``.venv/bin/python bench/bench_planner.py`` (options below). Prints timings; asserts
nothing about speed. Needs Debian's ``chromium`` (``CXPLAN_CHROMIUM`` overrides) and playwright.

What is measured, on the page ``cxplan app PARAMS --preheat 1`` serves (Voilà, the real
``notebooks/planner.ipynb``), in headless Chromium:

- **first paint**: from ``page.goto`` to the KPI panel and the four charts drawn (every chart's
  SVG holds data marks). ``fresh``: the first page, opened the moment the server prints its URL
  (the preheated kernel may still be running the notebook); ``preheated``: later pages, opened
  once the pool has been refilled (``--settle`` seconds after the previous page).
- **slider → charts**: a slider handle gets the focus and one arrow key press moves it one step
  to the right (``--changes`` presses per control: every value is new, so no result of an
  earlier value is reused). In the page a
  ``MutationObserver`` time-stamps every change of each chart's element and of the KPI panel
  (``performance.now()``); a change is over when nothing has moved for ``--quiet-ms``. Reported
  per control: median and p90 of *KPI* (panel updated), *first chart* and *charts* (the last
  chart that changed has re-rendered) after the key press. Controls: ``AHT`` (the selected
  channel's handle time: staffing, sourcing, hiring plan and business case recompute),
  ``Outsourced share`` (the sourcing comparison only), ``AHT reduction`` (the business case
  only).
- ``--baseline COMMIT``: the same measurements on the planner of an earlier commit (checked out
  into a temporary worktree and run with this environment, its own notebook and parameters),
  for ratios. The planner before the business-case rebuild (issue 12) is ``5540242``.

Target (issue 14): charts ≤ 150 ms median after a slider change; first paint ≤ 4 s.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
URL_RE = re.compile(r"cxplan app: the planner is at (http://127\.0\.0\.1:\d+/\?token=\w+)")
CHARTS = ".vega-embed svg.marks"
TARGET_CHART_MS = 150.0
LABELS = {"aht_s": "AHT", "vendor_share": "Outsourced share", "aht_reduction": "AHT reduction"}
TARGET_PAINT_S = 4.0

INSTRUMENT = """
() => {
  const hosts = Array.from(document.querySelectorAll('.vega-embed'));  // vegaEmbed's own element
  const kpi = document.querySelector('[data-kpi="Peak agents"]');
  const panel = kpi ? kpi.closest('.widget-html') || kpi.parentElement.parentElement : null;
  window.__cx = {t0: 0, charts: hosts.map(() => null), starts: hosts.map(() => null), kpi: null};
  hosts.forEach((host, i) => new MutationObserver(() => {
    if (!window.__cx.t0) return;
    const now = performance.now();
    window.__cx.charts[i] = now;
    if (window.__cx.starts[i] === null) window.__cx.starts[i] = now;
  }).observe(host, {subtree: true, childList: true, attributes: true, characterData: true}));
  if (panel) new MutationObserver(() => {
    if (window.__cx.t0 && window.__cx.kpi === null) window.__cx.kpi = performance.now();
  }).observe(panel, {subtree: true, childList: true, characterData: true});
  return hosts.length;
}
"""
START = (
    "() => { window.__cx.charts = window.__cx.charts.map(() => null);"
    " window.__cx.starts = window.__cx.starts.map(() => null); window.__cx.kpi = null;"
    " window.__cx.t0 = performance.now(); return window.__cx.t0; }"
)
SETTLED = """(quiet) => { const c = window.__cx.charts.filter((t) => t !== null);
  const last = Math.max(...c, window.__cx.kpi || 0);
  return last > 0 && performance.now() - last > quiet; }"""
DRAWN = """(sel) => { const s = document.querySelectorAll(sel);
  return s.length >= 4 && Array.from(s).every((svg) => svg.querySelectorAll('g.role-mark > *')
  .length > 0); }"""


def chromium() -> str:
    for candidate in (os.environ.get("CXPLAN_CHROMIUM"), "/usr/bin/chromium", "chromium"):
        if candidate and shutil.which(candidate):
            return str(shutil.which(candidate))
    sys.exit("bench_planner: no Chromium (install Debian's chromium or set CXPLAN_CHROMIUM)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def app(
    params: Path | None,
    log: Path,
    *,
    cwd: Path,
    pythonpath: Path | None = None,
    extra: Sequence[str] = (),
) -> Iterator[tuple[str, float]]:
    """``cxplan app`` on a free port; yields its URL and the seconds until it printed it."""
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    command = [sys.executable, "-m", "cxplan.app.cli", "app", "--port", str(free_port())]
    command += ["--no-browser", *(["--notebook", str(cwd / "notebooks" / "planner.ipynb")])]
    command += [str(params)] if params else []
    command += list(extra)
    started = time.monotonic()
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=sink, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        while True:
            found = URL_RE.search(log.read_text(errors="replace"))
            if found:
                yield found.group(1), time.monotonic() - started
                break
            if proc.poll() is not None or time.monotonic() - started > 120:
                raise RuntimeError(f"cxplan app did not start:\n{log.read_text()}")
            time.sleep(0.1)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def open_page(browser: Any, url: str) -> tuple[Any, Any, float]:
    """Open the planner; return (context, page, seconds to the KPI panel and four drawn charts)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1900})
    page = context.new_page()
    t0 = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded", timeout=180_000)
    page.wait_for_selector('[data-kpi="Peak agents"]', timeout=180_000)
    page.wait_for_function(DRAWN, arg=CHARTS, timeout=180_000, polling="raf")
    return context, page, time.perf_counter() - t0


@dataclass
class Series:
    kpi: list[float] = field(default_factory=list)
    first: list[float] = field(default_factory=list)
    last: list[float] = field(default_factory=list)
    missed: int = 0


def slider_handle(page: Any, label: str) -> Any:
    """The slider handle of a control: by its ``cx-control-<key>`` class, else by its label."""
    if re.fullmatch(r"[a-z_]+", label):  # a control key (labels have spaces and brackets)
        by_key = page.locator(f".cx-control-{label} .noUi-handle")
        if by_key.count() == 1:
            return by_key
    row = page.locator(".widget-hslider").filter(
        has=page.locator(".widget-label", has_text=re.compile(f"^{re.escape(label)}$"))
    )
    return row.first.locator(".noUi-handle")


def move(page: Any, label: str, presses: int, quiet_ms: float) -> Series:
    """Press arrow keys on a slider; time the KPI panel and the charts after each press."""
    out = Series()
    handle = slider_handle(page, label)
    for _ in range(presses):
        handle.focus()
        page.evaluate(START)
        handle.press("ArrowRight")  # always a new value: nothing was computed for it before
        try:
            page.wait_for_function(SETTLED, arg=quiet_ms, timeout=60_000, polling=50)
        except Exception:  # nothing changed (the press moved nothing visible)
            out.missed += 1
            continue
        t0, ends, starts, kpi = page.evaluate(
            "() => [window.__cx.t0, window.__cx.charts, window.__cx.starts, window.__cx.kpi]"
        )
        if kpi is not None:
            out.kpi.append(kpi - t0)
        changed = [(s - t0, e - t0) for s, e in zip(starts, ends, strict=True) if e is not None]
        if changed:
            out.first.append(min(e for _, e in changed))  # the first chart to be redrawn
            out.last.append(max(e for _, e in changed))  # all changed charts redrawn
    return out


def stats(values: Sequence[float]) -> str:
    if not values:
        return "n/a"
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return f"{statistics.median(values):.0f} / {p90:.0f}"


def run(
    label: str,
    cwd: Path,
    params: Path | None,
    args: argparse.Namespace,
    browser: Any,
    *,
    pythonpath: Path | None = None,
    controls: Sequence[str],
    extra: Sequence[str] = (),
) -> dict[str, Any]:
    log = Path(tempfile.mkdtemp(prefix="bench-planner-")) / "voila.log"
    result: dict[str, Any] = {"label": label, "paint": [], "series": {}}
    with app(params, log, cwd=cwd, pythonpath=pythonpath, extra=extra) as (url, listen_s):
        result["listen_s"] = listen_s
        context, page, fresh = open_page(browser, url)
        result["fresh"] = fresh
        assert page.evaluate(INSTRUMENT) == 4, "expected four charts"
        for name in controls:
            result["series"][name] = move(page, name, args.changes, args.quiet_ms)
        context.close()
        for _ in range(args.pages):
            time.sleep(args.settle)
            context, page, seconds = open_page(browser, url)
            result["paint"].append(seconds)
            context.close()
    return result


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument(
        "--params", type=Path, default=ROOT / "params" / "regions" / "north-america.yaml"
    )
    ap.add_argument("--changes", type=int, default=10, help="arrow presses per control")
    ap.add_argument("--pages", type=int, default=3, help="preheated first paints to time")
    ap.add_argument("--settle", type=float, default=30.0, help="seconds before each such page")
    ap.add_argument("--quiet-ms", type=float, default=1000.0)
    ap.add_argument("--baseline", metavar="COMMIT", help="also time the planner of COMMIT")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"# bench_planner: Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average {load:.1f} at start, {args.params.name}, {args.changes} presses per "
        f"control, quiet {args.quiet_ms:.0f} ms"
    )
    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium(), args=["--no-sandbox", "--disable-gpu"], timeout=60_000
        )
        try:
            controls = ("aht_s", "vendor_share", "aht_reduction")
            results.append(run("this branch", ROOT, args.params, args, browser, controls=controls))
            if args.baseline:
                with worktree(args.baseline) as old:
                    # a planner on the region model (cxplan/app/, issue 11 on) takes the params
                    # PATH and marks its controls by key; the earlier one shows its own region
                    modern = (old / "cxplan" / "app" / "dashboard.py").is_file()
                    results.append(
                        run(
                            f"baseline {args.baseline}",
                            old,
                            args.params if modern else None,
                            args,
                            browser,
                            pythonpath=old,
                            controls=(
                                controls
                                if modern
                                else ("AHT (s)", "Outsourced share", "AHT reduction")
                            ),
                            extra=(),
                        )
                    )
        finally:
            browser.close()

    print()
    print(
        "| planner | control | KPI ms median / p90 | first chart ms | charts ms median / p90 "
        "| changes timed |"
    )
    print("|---|---|---:|---:|---:|---:|")
    for r in results:
        for name, s in r["series"].items():
            print(
                f"| {r['label']} | {LABELS.get(name, name)} | {stats(s.kpi)} | {stats(s.first)} | "
                f"{stats(s.last)} | {len(s.last)} of {args.changes} |"
            )
    print()
    for r in results:
        paints = ", ".join(f"{s:.2f}" for s in r["paint"]) or "n/a"
        print(
            f"{r['label']}: server up in {r['listen_s']:.1f} s; first paint fresh "
            f"{r['fresh']:.2f} s, preheated {paints} s"
        )
    if len(results) == 2:
        new, old = results
        for name, old_name in zip(new["series"], old["series"], strict=True):
            a, b = new["series"][name].last, old["series"][old_name].last
            if a and b:
                print(
                    f"ratio {name}: baseline ÷ this branch = "
                    f"{statistics.median(b) / statistics.median(a):.2f}× (charts median)"
                )
    this = results[0]
    medians = [statistics.median(s.last) for s in this["series"].values() if s.last]
    paint = statistics.median(this["paint"]) if this["paint"] else float("nan")
    print(
        f"target charts <= {TARGET_CHART_MS:.0f} ms median: per control "
        + ", ".join(f"{m:.0f}" for m in medians)
        + f" ms; first paint <= {TARGET_PAINT_S:.0f} s: {paint:.2f} s (preheated median)"
    )
    return 0


@contextlib.contextmanager
def worktree(commit: str) -> Iterator[Path]:
    """A temporary checkout of ``commit`` (removed afterwards)."""
    where = Path(tempfile.mkdtemp(prefix="bench-planner-old-")) / "repo"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(where), commit],
                   check=True, capture_output=True)  # fmt: skip
    try:
        yield where
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(where)],
                       check=False, capture_output=True)  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
