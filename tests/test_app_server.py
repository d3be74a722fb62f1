"""`cxplan app` is safe to leave running on a consultant's laptop (issue 10).

A real ``cxplan app`` (Voilà, the real planner notebook) is started on a free loopback port:

* it prints its URL with an access token; a request without the token (or with a wrong one) is
  sent to the login page and starts no kernel;
* a request whose ``Host:`` header names another machine (DNS rebinding) is refused with 403,
  for the planner page, the kernel API and static files alike;
* kernels are capped: page loads beyond ``--max-kernels`` get 503 and start nothing;
* in headless Chromium, five visits whose tabs are then closed leave no extra kernel alive
  60 s later (``--cull-idle-after 10``: a kernel no page is connected to is shut down after
  10 idle seconds; the default is 600) -- only the one preheated kernel waiting for the next
  page;
* preheating (``--preheat 1``, the default): a kernel runs the planner before any page asks;
  a page takes it and the pool is refilled behind it, within the cap (pooled kernels count
  towards ``--max-kernels``; a refill the cap refuses waits until a kernel shuts down).

Kernels are counted as the ``ipykernel`` processes started by the app's process.
"""

from __future__ import annotations

import concurrent.futures
import http.client
import time
from collections.abc import Iterator
from pathlib import Path

import browser_support as bs
import pytest

pytestmark = [pytest.mark.notebook, pytest.mark.slow]

PLANNER = bs.REPO / "notebooks" / "planner.ipynb"
CULL_IDLE_S = 10
GONE_WITHIN_S = 60.0  # issue 10: "no extra kernel is alive 60 s later"
FAKE_KERNEL = "00000000-0000-0000-0000-000000000000"


def kernels(app: bs.VoilaApp) -> list[int]:
    """Live ipykernel processes started by the app."""
    found = []
    for pid in bs.descendants(app.proc.pid):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"ipykernel" in cmdline and bs.alive(pid):
            found.append(pid)
    return found


def get(app: bs.VoilaApp, path: str, *, host: str | None = None) -> tuple[int, str]:
    """``GET path`` on the app (optionally with another ``Host:``); status and Location."""
    port = int(app.base.rsplit(":", 1)[1].strip("/"))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=180)
    try:
        headers = {"Host": host} if host else {}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location") or ""
    finally:
        connection.close()


@pytest.fixture(scope="module")
def capped_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[bs.VoilaApp]:
    log = tmp_path_factory.mktemp("app-capped") / "voila.log"
    with bs.voila_app(
        PLANNER, log, "--cull-idle-after", str(CULL_IDLE_S), "--max-kernels", "2", "--preheat", "0"
    ) as app:
        yield app
    assert app.orphans == [], f"kernels left running after the app stopped: {app.orphans}"


def listeners(port: int) -> set[str]:
    """Local addresses listening on ``port`` (``/proc/net/tcp`` and ``tcp6``, hex as there)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def test_the_url_carries_a_token_and_the_server_listens_on_loopback_only(
    capped_app: bs.VoilaApp,
) -> None:
    assert capped_app.url.startswith("http://127.0.0.1:")
    assert len(capped_app.token) >= 32  # secrets.token_hex(24): 48 hex digits
    port = int(capped_app.base.rsplit(":", 1)[1].strip("/"))
    assert listeners(port) == {"0100007F"}  # 127.0.0.1 only, not 0.0.0.0 or ::


def test_no_token_no_planner(capped_app: bs.VoilaApp) -> None:
    before = kernels(capped_app)
    status, location = get(capped_app, "/")
    assert status == 302 and location.startswith("/login"), (status, location)
    status, location = get(capped_app, "/?token=" + "0" * 48)
    assert status == 302 and location.startswith("/login"), (status, location)
    status, _ = get(capped_app, f"/api/kernels/{FAKE_KERNEL}")  # the kernel API: no login
    assert status == 403
    assert kernels(capped_app) == before  # nothing was started


@pytest.mark.parametrize(
    "path",
    [
        "/?token={token}",
        "/api/kernels/" + "0" * 8 + "-0000-0000-0000-" + "0" * 12 + "?token={token}",
        "/voila/static/voila.js",
        "/login",
    ],
)
def test_a_foreign_host_header_is_refused(capped_app: bs.VoilaApp, path: str) -> None:
    before = kernels(capped_app)
    status, _ = get(capped_app, path.format(token=capped_app.token), host="attacker.example:80")
    assert status == 403
    assert kernels(capped_app) == before
    # the same request to a loopback name is answered
    ok, _ = get(capped_app, path.format(token=capped_app.token), host="localhost")
    assert ok != 403


def test_kernels_beyond_the_cap_are_refused(capped_app: bs.VoilaApp) -> None:
    # three page loads at once with --max-kernels 2: two planners, one "503 busy"
    deadline = time.monotonic() + 60
    while kernels(capped_app) and time.monotonic() < deadline:  # earlier tests' kernels culled
        time.sleep(1)
    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        statuses = sorted(
            pool.map(lambda _: get(capped_app, f"/?token={capped_app.token}")[0], range(3))
        )
    assert statuses == [200, 200, 503]
    assert len(kernels(capped_app)) == 2
    assert "its limit" in capped_app.log_text()


def wait_for_kernels(app: bs.VoilaApp, count: int, timeout_s: float = 120.0) -> list[int]:
    """Wait (bounded) until the app runs ``count`` kernels; return them."""
    deadline = time.monotonic() + timeout_s
    found = kernels(app)
    while len(found) != count and time.monotonic() < deadline:
        time.sleep(0.5)
        found = kernels(app)
    return found


def test_preheated_kernels_serve_pages_and_are_refilled_within_the_cap(tmp_path: Path) -> None:
    with bs.voila_app(
        PLANNER, tmp_path / "voila.log", "--max-kernels", "2", "--cull-idle-after", "600"
    ) as app:
        pool = wait_for_kernels(app, 1)
        assert len(pool) == 1  # started with the server, before any page
        time.sleep(2)
        assert kernels(app) == pool  # and only one
        status, _ = get(app, f"/?token={app.token}")  # takes the preheated kernel
        assert status == 200
        assert "Using pre-heated kernel" in app.log_text()
        assert len(wait_for_kernels(app, 2)) == 2  # the page's and the pool's next one
        status, _ = get(app, f"/?token={app.token}")  # takes the refilled one
        assert status == 200
        # the refill is refused: two kernels is the cap (waited for, bounded: a loaded machine
        # starts the refill late)
        deadline = time.monotonic() + 90
        while "its limit" not in app.log_text() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert "its limit" in app.log_text()
        assert len(kernels(app)) == 2
        status, _ = get(app, f"/?token={app.token}")
        assert status == 503
        assert len(kernels(app)) == 2
    assert app.orphans == []


@pytest.mark.browser
def test_five_closed_visits_leave_no_kernel_behind(tmp_path: Path) -> None:
    bs.chromium_executable()  # skip/fail before starting a server when there is no browser
    with (
        bs.voila_app(PLANNER, tmp_path / "voila.log", "--cull-idle-after", str(CULL_IDLE_S)) as app,
        bs.chromium() as browser,
    ):
        pooled = wait_for_kernels(app, 1)  # the preheated kernel, before any visit
        assert len(pooled) == 1
        seen: set[int] = set()
        for visit in range(5):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            try:
                page = context.new_page()
                guard = bs.NetworkGuard.attach(page)
                page.goto(app.url, wait_until="domcontentloaded", timeout=120_000)
                page.wait_for_selector('[data-kpi="Peak agents"]', timeout=120_000)
                seen.update(kernels(app))
                assert guard.blocked == [], visit
            finally:
                context.close()  # the tab closes: its kernel is no longer connected
        assert len(seen) >= 5  # one kernel per visit
        closed = time.monotonic()
        left: list[int] = kernels(app)
        while len(left) > 1 and time.monotonic() - closed < GONE_WITHIN_S:
            time.sleep(1)
            left = kernels(app)
        log = app.log_text()
    # the visits' kernels are gone; what is left is the pool's next kernel, never a visited one
    assert len(left) <= 1, f"kernels still alive {GONE_WITHIN_S:g} s after the tabs closed"
    assert log.count("Culling 'idle' kernel") >= 5
    assert app.orphans == []
