"""Shared helpers for the end-to-end tests: the real-browser tests and the batch fault tests.

* :func:`chromium_executable` -- the one place that decides what happens when no Chromium is
  available: the test **fails** when the environment variable ``CI`` is set, and is skipped
  (with the reason) on a developer machine.
* :class:`NetworkGuard` -- routes every request of a page: ``file:``, ``data:``, ``blob:`` and
  loopback (127.0.0.1, ::1, localhost) go through, anything else is aborted and recorded, with
  failed requests, console errors and uncaught page errors.
* :func:`demo_batch` -- runs ``cxplan report params/regions --out <tmp> --workers 2`` once per
  test session (memoised in this module, so ``test_browser`` and ``test_faults`` share it).
* :func:`voila_app` -- serves a notebook with ``cxplan app`` on a free loopback port (its URL
  carries the access token the command prints) and always stops it (and the kernels it
  started) afterwards.

``tests/`` is on ``sys.path`` under pytest's default rootdir import mode, so the test modules
``import browser_support``; it has no ``test_`` functions of its own.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"  # git-ignored
DEMO_PARAMS = REPO / "params" / "regions"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
LOCAL_SCHEMES = frozenset({"file", "data", "blob", "about"})

BATCH_TIMEOUT_S = 900.0


# ------------------------------------------------------------------------------ availability


def unavailable(reason: str) -> None:
    """Fail on CI (``CI`` set), skip elsewhere: the one rule for a missing browser."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: a browser test may not be skipped on CI)", pytrace=False)
    pytest.skip(reason)


def chromium_executable() -> str:
    """Return the Chromium to drive, or skip/fail (see :func:`unavailable`) when there is none.

    ``CXPLAN_CHROMIUM`` overrides the search; otherwise Debian's ``/usr/bin/chromium`` and the
    usual names on ``PATH`` are tried. Playwright's own downloaded browsers are not used (this
    machine cannot download them).
    """
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        unavailable("playwright is not installed (pip install -e '.[dev]')")
    override = os.environ.get("CXPLAN_CHROMIUM")
    candidates = [override] if override else list(CHROMIUM_CANDIDATES)
    for candidate in candidates:
        found = candidate if os.path.isabs(candidate) else shutil.which(candidate)
        if found and os.path.isfile(found) and os.access(found, os.X_OK):
            return found
    unavailable(f"no Chromium found (tried {', '.join(candidates)}; set CXPLAN_CHROMIUM)")
    raise AssertionError("unreachable")  # pragma: no cover


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (playwright ``Browser``), closed afterwards."""
    executable = chromium_executable()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, timeout=60_000)
        try:
            yield browser
        finally:
            browser.close()


# ---------------------------------------------------------------------------- network guard


def is_local(url: str) -> bool:
    """Whether a request stays on this machine (file, data, blob, about, loopback http/ws)."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname in LOOPBACK_HOSTS


@dataclass
class NetworkGuard:
    """Block and record every off-machine request of a page; record failures and errors."""

    blocked: list[str] = field(default_factory=list)
    blocked_types: list[str] = field(default_factory=list)  # playwright resource types
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    @classmethod
    def attach(cls, page: Any) -> NetworkGuard:
        guard = cls()

        def route(route: Any) -> None:
            url = route.request.url
            if is_local(url):
                route.continue_()
            else:
                guard.blocked.append(url)
                guard.blocked_types.append(route.request.resource_type)
                route.abort("blockedbyclient")

        page.route("**/*", route)
        page.on("requestfailed", lambda r: guard.failed.append(f"{r.url} ({r.failure})"))
        page.on(
            "console",
            lambda m: guard.console_errors.append(m.text) if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: guard.page_errors.append(str(e)))
        return guard

    def problems(self) -> dict[str, list[str]]:
        """Everything recorded, by kind (empty lists for a clean page)."""
        return {
            "blocked": self.blocked,
            "failed": self.failed,
            "console errors": self.console_errors,
            "page errors": self.page_errors,
        }


# ------------------------------------------------------------------------ page inspection

# A chart "has drawn" when its SVG holds data marks (vega's `g.role-mark` groups, not the axes,
# legends or title) with a non-empty bounding box.
CHART_MARKS_JS = """
(svg) => {
  const items = Array.from(svg.querySelectorAll('g.role-mark > *'));
  const drawn = items.filter((e) => {
    try { const b = e.getBBox(); return b.width > 0 || b.height > 0; } catch (err) { return false; }
  });
  const box = svg.getBoundingClientRect();
  return {items: items.length, drawn: drawn.length, width: box.width, height: box.height};
}
"""


def chart_marks(svg: Any) -> dict[str, float]:
    """Count the data marks of a rendered vega SVG (``items``, ``drawn``) and its size."""
    result: dict[str, float] = svg.evaluate(CHART_MARKS_JS)
    return result


def screenshot(page: Any, name: str) -> Path:
    """Full-page screenshot into ``tests/artifacts/`` (git-ignored); prints the path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


# ---------------------------------------------------------------------------- the cxplan CLI


def cxplan_command(*args: str) -> list[str]:
    """``cxplan ARGS`` with the installed entry point of this interpreter's environment."""
    script = Path(sys.executable).with_name("cxplan")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script), *args]
    return [sys.executable, "-m", "cxplan.app.cli", *args]


@dataclass(frozen=True)
class BatchRun:
    """A finished ``cxplan report`` run."""

    out: Path
    returncode: int
    stdout: str
    stderr: str
    duration_s: float

    def check(self) -> BatchRun:
        assert self.returncode == 0, (
            f"cxplan report failed ({self.returncode}):\n{self.stdout}\n{self.stderr}"
        )
        return self

    def result(self, slug: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.out / f"{slug}.json").read_text(encoding="utf-8"))
        return data


def run_report(out: Path, *extra: str, params: Path = DEMO_PARAMS) -> BatchRun:
    """Run ``cxplan report PARAMS --out OUT --workers 2 EXTRA`` in a subprocess (bounded)."""
    started = time.monotonic()
    proc = subprocess.run(
        cxplan_command("report", str(params), "--out", str(out), "--workers", "2", *extra),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=BATCH_TIMEOUT_S,
    )
    return BatchRun(out, proc.returncode, proc.stdout, proc.stderr, time.monotonic() - started)


_SESSION: dict[str, BatchRun] = {}


def demo_batch(tmp_path_factory: pytest.TempPathFactory) -> BatchRun:
    """The demo regions' batch output, produced once per test session and shared."""
    if "demo" not in _SESSION:
        out = tmp_path_factory.mktemp("demo-batch") / "reports"
        _SESSION["demo"] = run_report(out)
        print(f"session batch: {out} ({_SESSION['demo'].duration_s:.0f} s)")
    return _SESSION["demo"].check()


def region_slugs() -> list[str]:
    """Slugs of the demo regions (their file stems, which equal the slugs of their names)."""
    return sorted(path.stem for path in DEMO_PARAMS.glob("*.yaml"))


# ------------------------------------------------------------------------------ processes


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _ppid(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def descendants(pid: int) -> list[int]:
    """Every live descendant of ``pid`` (Linux ``/proc``; empty elsewhere)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    parents = {int(p.name): _ppid(int(p.name)) for p in proc.iterdir() if p.name.isdigit()}
    found: list[int] = []
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, ppid in parents.items() if ppid == parent]
        found.extend(children)
        frontier.extend(children)
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` is a live (non-zombie) process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def stop_process(proc: subprocess.Popen[Any], *, grace_s: float = 15.0) -> list[int]:
    """Stop a process started with ``start_new_session=True`` and everything it started.

    SIGTERM to its process group, then SIGKILL after ``grace_s``; children that left the group
    (Jupyter starts kernels in their own sessions) are signalled by pid. Returns the pids of
    children that were still alive after the parent had exited (orphans it did not clean up).
    """
    children = descendants(proc.pid)
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=grace_s)
    deadline = time.monotonic() + 5.0
    while time.monotonic() < deadline and any(alive(pid) for pid in children):
        time.sleep(0.1)
    orphans = [pid for pid in children if alive(pid)]
    for pid in orphans:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return orphans


@dataclass
class VoilaApp:
    """A running ``cxplan app``: its URL (with the access token), process and log file."""

    url: str
    proc: subprocess.Popen[Any]
    log: Path
    orphans: list[int] = field(default_factory=list)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT/`` without the token."""
        return self.url.split("?", 1)[0]

    @property
    def token(self) -> str:
        return self.url.split("token=", 1)[1]


APP_URL_RE = re.compile(r"cxplan app: the planner is at (http://127\.0\.0\.1:\d+/\?token=\w+)")


@contextlib.contextmanager
def voila_app(
    notebook: Path, log: Path, *extra: str, start_timeout_s: float = 60.0
) -> Iterator[VoilaApp]:
    """Serve ``notebook`` with ``cxplan app --no-browser EXTRA`` on a free 127.0.0.1 port.

    Waits (bounded) for the URL line the command prints once it listens -- not with an HTTP
    request, since every ``GET /`` makes Voilà start a kernel -- and always stops the server and
    its kernels.
    """
    port = free_port()
    command = cxplan_command(
        "app", "--port", str(port), "--no-browser", "--notebook", str(notebook), *extra
    )
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            command, cwd=REPO, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    app = VoilaApp("", proc, log)
    try:
        deadline = time.monotonic() + start_timeout_s
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"cxplan app exited with {proc.returncode}:\n{app.log_text()}")
            found = APP_URL_RE.search(app.log_text())
            if found:
                app.url = found.group(1)
                break
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"Voilà did not listen within {start_timeout_s:g} s:\n{app.log_text()}"
                )
            time.sleep(0.2)
        yield app
    finally:
        app.orphans = stop_process(proc)


def notebook_parameter(notebook: Path, name: str) -> Any:
    """The default value of a parameter in the notebook's ``parameters`` cell."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            namespace: dict[str, Any] = {}
            exec("".join(cell["source"]), namespace)  # the notebook's own literal assignments
            return namespace[name]
    raise KeyError(f"{notebook} has no parameters cell")


KPI_RE = re.compile(r'data-kpi="([^"]+)">([^<]*)<')


def kpi_values(html_text: str) -> dict[str, str]:
    """``{label: shown value}`` of a KPI panel made by :func:`cxplan.app.dashboard.kpi_html`."""
    import html

    return {html.unescape(k): html.unescape(v) for k, v in KPI_RE.findall(html_text)}
