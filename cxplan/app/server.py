"""The live planner's web server (``cxplan app``): Voilà, locked down for a consultant's laptop.

:func:`serve` is the one place the server is configured and started. On top of Voilà it

* listens on the loopback interface only (``127.0.0.1``);
* requires a token, printed with the URL as Jupyter does (``http://127.0.0.1:8866/?token=…``):
  the first request carries it, the browser keeps a login cookie afterwards;
* refuses requests whose ``Host:`` header is not a loopback name or address (a web page on
  another site cannot reach the planner through DNS rebinding): Voilà turns jupyter_server's
  check off (``allow_remote_access=True``), :class:`PlannerServer` turns it back on;
* culls kernels that no page is connected to once they have been idle for a while (a closed tab
  otherwise leaves a ~330 MB kernel behind), and caps how many kernels may run at once
  (:class:`PlannerKernelManager`): a page beyond the cap gets "503 busy", not a new kernel;
* keeps ``preheat`` kernels started with the planner notebook already run (Voilà's
  ``preheat_kernel``): a page takes one and shows at once, and the pool is refilled behind it.
  Pooled kernels count towards the cap and are never culled; a refill the cap refuses is
  retried when a kernel shuts down.

``serve(..., params_path=...)`` hands the planner its region file or folder through the
environment variable ``CXPLAN_APP_PARAMS``, which every kernel inherits.

The template ``cxplan-offline`` (``cxplan/app/_share/voila/templates``) is Voilà's lab template
without its CDN stylesheets, so the planner works with no network.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import sys
import webbrowser
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import httputil, web
from tornado.ioloop import IOLoop
from tornado.routing import Matcher, Rule
from traitlets import Integer
from traitlets.config import Config
from voila.app import Voila

# Seconds a kernel with no page connected may stay idle; kernels (~330 MB each) at once. The
# command line shows these defaults without importing Voilà, so they live there.
from cxplan.app.cli import DEFAULT_CULL_IDLE_S, DEFAULT_MAX_KERNELS, DEFAULT_PREHEAT
from cxplan.app.overrides import PARAMS_ENV

__all__ = [
    "DEFAULT_CULL_IDLE_S",
    "DEFAULT_MAX_KERNELS",
    "DEFAULT_PREHEAT",
    "LOOPBACK",
    "VOILA_TEMPLATE",
    "PlannerKernelManager",
    "PlannerServer",
    "is_loopback_host",
    "serve",
    "voila_environment",
]

#: Name of the Voilà template shipped in ``cxplan/app/_share/voila/templates``.
VOILA_TEMPLATE = "cxplan-offline"
#: The only interface the planner listens on.
LOOPBACK = "127.0.0.1"

_SHARE = Path(__file__).resolve().parent / "_share"


def voila_environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment with cxplan's template folder first on ``JUPYTER_PATH``.

    Voilà finds templates in the Jupyter data path; ``cxplan/app/_share`` holds
    ``voila/templates/cxplan-offline``.

    Examples
    --------
    >>> voila_environment({"JUPYTER_PATH": "/x"})["JUPYTER_PATH"].endswith(os.pathsep + "/x")
    True
    """
    env = dict(os.environ if base is None else base)
    share = str(_SHARE)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (share, env.get("JUPYTER_PATH", "")) if p)
    return env


class PlannerKernelManager(AsyncMappingKernelManager):
    """jupyter_server's kernel manager with a cap on the number of running kernels.

    Culling is jupyter_server's own (``cull_idle_timeout``, ``cull_interval``,
    ``cull_connected=False``: a kernel with an open page is never culled).
    """

    max_kernels = Integer(
        DEFAULT_MAX_KERNELS, config=True, help="Most kernels (open planner pages) at once."
    )

    _starting = 0  # kernels being started right now (not yet in list_kernel_ids)

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:  # type: ignore[override]
        """Start a kernel unless ``max_kernels`` are running or starting (then HTTP 503)."""
        # check and count in one step of the event loop: page loads at the same moment cannot
        # all slip under the cap
        running = len(self.list_kernel_ids()) + self._starting
        if running >= self.max_kernels:
            reason = (
                f"the planner already runs {running} sessions, its limit; close a planner tab "
                "or wait until an idle one is shut down"
            )
            # logged here too: a refused refill of the preheated pool has no page to report it
            self.log.warning("cxplan app: kernel refused: %s", reason)
            raise web.HTTPError(503, reason)
        self._starting += 1
        try:
            kernel_id: str = await super().start_kernel(*args, **kwargs)
        finally:
            self._starting -= 1
        return kernel_id

    _closing = False

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        """Shut a kernel down, then refill the preheated pool if the cap had refused it."""
        await super().shutdown_kernel(kernel_id, *args, **kwargs)  # type: ignore[no-untyped-call]
        if not self._closing:
            self._refill_pools()

    async def shutdown_all(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        """Shut every kernel down (no refill of the preheated pool meanwhile)."""
        self._closing = True
        await super().shutdown_all(*args, **kwargs)

    def _refill_pools(self) -> None:
        """Drop pool entries that failed to start (the cap) and start their replacements.

        Only with preheating (Voilà's kernel manager subclass holds ``_pools``).
        """
        pools = getattr(self, "_pools", None)
        fill = getattr(self, "fill_if_needed", None)
        if not pools or fill is None:
            return
        for name, pool in list(pools.items()):
            failed = [t for t in pool if t.done() and (t.cancelled() or t.exception())]
            for task in failed:
                pool.remove(task)
            if failed:
                fill(delay=0, notebook_name=name)


def is_loopback_host(host: str) -> bool:
    """Whether a ``Host:`` header (port stripped) names this machine's loopback interface.

    Examples
    --------
    >>> [is_loopback_host(h) for h in ("localhost", "127.0.0.1", "[::1]", "evil.example")]
    [True, True, True, False]
    """
    name = host.strip().lower()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class _ForeignHost(Matcher):
    """Matches every request whose ``Host:`` is not a loopback name (DNS rebinding)."""

    def match(self, request: httputil.HTTPServerRequest) -> dict[str, Any] | None:
        return None if is_loopback_host(request.host_name) else {}


class _Refuse(web.RequestHandler):
    def prepare(self) -> None:
        raise web.HTTPError(403, "the planner answers only requests to 127.0.0.1 or localhost")


class PlannerServer(Voila):  # type: ignore[misc]  # voila ships no type information
    """Voilà that answers only loopback ``Host:`` names and prints the URL with its token."""

    def listen(self) -> None:
        """Refuse foreign ``Host:`` headers on every route (static files too), then serve."""
        self.app.default_router.rules.insert(0, Rule(_ForeignHost(), _Refuse))
        super().listen()

    def init_settings(self) -> dict[str, Any]:
        """Voilà's tornado settings with remote access (any ``Host:``) turned off."""
        settings: dict[str, Any] = super().init_settings()
        # jupyter_server's own check as well (Voilà sets it off): loopback Host names only
        settings["allow_remote_access"] = False
        settings["local_hostnames"] = ["localhost"]
        return settings

    @property
    def display_url(self) -> str:
        """``http://127.0.0.1:PORT/?token=…``: the token is ours, so it is shown in full."""
        return f"{self._url(self.ip)}?token={self.token}"

    def launch_browser(self) -> None:
        """Open the URL with its token (Voilà's own opener would drop the token)."""
        try:
            webbrowser.open(self.display_url, new=self.webbrowser_open_new)
        except webbrowser.Error as exc:  # no browser on this machine: the URL is printed
            self.log.warning("No web browser found: %s.", exc)

    def start(self) -> None:
        """Start listening; announce the URL on stdout once the port is bound."""
        IOLoop.current().add_callback(self._announce)
        super().start()

    def _announce(self) -> None:
        stream: TextIO = getattr(self, "announce_to", None) or sys.stdout
        print(f"cxplan app: the planner is at {self.display_url}", file=stream, flush=True)


def serve(
    notebook: str | os.PathLike[str],
    *,
    port: int,
    open_browser: bool = True,
    token: str | None = None,
    cull_idle_s: int = DEFAULT_CULL_IDLE_S,
    cull_interval_s: int | None = None,
    max_kernels: int = DEFAULT_MAX_KERNELS,
    announce_to: TextIO | None = None,
    params_path: str | os.PathLike[str] | None = None,
    preheat: int = DEFAULT_PREHEAT,
) -> None:
    """Serve ``notebook`` as the live planner until interrupted (Ctrl-C or SIGTERM).

    Parameters
    ----------
    notebook : path-like
        The planner notebook.
    port : int
        TCP port on 127.0.0.1 (Voilà tries the next ports when it is taken).
    open_browser : bool, optional
        Open the planner (with its token) in the default browser.
    token : str, optional
        The access token; default a new random one (48 hex digits) per start.
    cull_idle_s : int, optional
        A kernel no page is connected to is shut down after this many idle seconds (> 0).
    cull_interval_s : int, optional
        How often (seconds) kernels are checked for culling; default a tenth of
        ``cull_idle_s`` (between 1 and 60).
    max_kernels : int, optional
        Most kernels at once; further page loads get HTTP 503 until one is culled.
    announce_to : text stream, optional
        Where the ``cxplan app: the planner is at URL`` line goes (default stdout).
    params_path : path-like, optional
        The region file or folder the planner opens (``CXPLAN_APP_PARAMS`` for its kernels);
        default: the notebook's own ``params_path``.
    preheat : int, optional
        Kernels kept started with the planner run, ready for the next page (0: none; at most
        ``max_kernels``).

    Notes
    -----
    The server's whole configuration is built here. Preheating is Voilà's
    (``VoilaConfiguration.preheat_kernel``, ``default_pool_size``); it renders the notebook
    when the kernel starts, so the first page of a fresh server waits for that run.
    """
    if cull_idle_s <= 0 or max_kernels < 1 or not 0 <= preheat <= max_kernels:
        raise ValueError("cull_idle_s must be > 0, max_kernels >= 1, 0 <= preheat <= max_kernels")
    interval = cull_interval_s or max(1, min(60, cull_idle_s // 10))
    os.environ.update(voila_environment())  # the template folder, before Voilà looks for it
    if params_path is not None:
        os.environ[PARAMS_ENV] = os.fspath(params_path)  # kernels inherit it
    config = Config()
    config.Voila.ip = LOOPBACK
    config.Voila.port = int(port)
    config.Voila.open_browser = bool(open_browser)
    config.Voila.token = token or secrets.token_hex(24)
    config.VoilaConfiguration.template = VOILA_TEMPLATE
    config.VoilaConfiguration.multi_kernel_manager_class = PlannerKernelManager
    config.VoilaConfiguration.preheat_kernel = preheat > 0
    config.VoilaConfiguration.default_pool_size = int(preheat)
    manager = config.PlannerKernelManager
    manager.cull_idle_timeout = int(cull_idle_s)
    manager.cull_interval = int(interval)
    manager.cull_connected = False  # an open page keeps its kernel
    manager.cull_busy = False
    manager.max_kernels = int(max_kernels)
    app = PlannerServer(config=config)
    app.announce_to = announce_to
    app.initialize([os.fspath(notebook)])
    app.start()
