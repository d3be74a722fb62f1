"""The ``cxplan`` command: validate parameters, build batch reports, forecast, serve the planner.

Exit codes: 0 success; 1 some region (or the portfolio) failed; 2 invalid parameters, bad
arguments or an output problem (one line per problem on stderr, never a traceback); 130
interrupted (Ctrl-C, or SIGTERM or SIGHUP during ``report``), after running kernels were stopped
and temporary files removed.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib.util
import logging
import os
import signal
import sys
import threading
import types
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TextIO

from cxplan.errors import CxplanError, DataError, ParamsError

__all__ = ["build_parser", "main"]

DEFAULT_PARAMS = "params/regions/"
DEFAULT_OUT = "reports"
DEFAULT_PORT = 8866
#: ``cxplan app``: seconds a kernel no page is connected to may stay idle before it is shut down.
DEFAULT_CULL_IDLE_S = 600
#: ``cxplan app``: planner sessions (kernels, ~330 MB each) that may run at once.
DEFAULT_MAX_KERNELS = 8
#: ``cxplan app``: kernels kept started with the planner already run (Voilà's preheating).
DEFAULT_PREHEAT = 1


def _params_loader(
    defaults: str | None = None, scenario: str | None = None
) -> Callable[[Path], object]:
    """Import ``cxplan.config.params.load_params`` on demand (one place: the batch runner's).

    ``defaults`` (``--defaults PATH``) is the defaults file every region is merged over; with
    ``scenario`` (``--scenario NAME``), the loader returns that named scenario of each file.
    """
    from cxplan.app.batch import default_validator

    if defaults is not None and not Path(defaults).is_file():
        raise CxplanError(f"--defaults: file not found: {defaults}")
    load = default_validator(defaults)
    if scenario is None:
        return load
    from cxplan.config.params import load_params

    return functools.partial(load_params, defaults_path=defaults, scenario=scenario)


def _scenario_arg(text: str) -> str:
    from cxplan.config.scenarios import check_name

    problem = check_name(text)
    if problem is not None:
        raise argparse.ArgumentTypeError(f"scenario name {problem}")
    return text


def _print_error(exc: CxplanError, stream: TextIO) -> None:
    located = isinstance(exc, ParamsError | DataError)
    lines = exc.problems if isinstance(exc, ParamsError | DataError) else str(exc).splitlines()
    for line in lines or [type(exc).__name__]:
        # Parameter and data problems are "file:line: field: message" (clickable in editors).
        print(line if located else f"cxplan: {line}", file=stream)


def _region_name_line(path: Path) -> str:
    """``file:line`` of a region file's ``region.name`` (its first line when it has none)."""
    from cxplan.config.yamlfile import load_yaml

    try:
        _, locator = load_yaml(path)
        file, line = locator.locate(("region", "name"))
    except CxplanError:
        file, line = str(path), 1
    return f"{file}:{line}"


def _cmd_validate(args: argparse.Namespace) -> int:
    from cxplan.app.batch import _region_name, expand_params_paths
    from cxplan.config.naming import region_slug

    paths = expand_params_paths(args.paths)
    load = _params_loader(args.defaults)
    invalid = False
    slugs: dict[str, Path] = {}
    for path in paths:
        try:
            loaded = load(path)
            # `report` names each region's files after its slug: two regions may not share one
            slug = region_slug(_region_name(loaded, path))
            if slug in slugs:
                raise ParamsError(
                    f"{_region_name_line(path)}: region.name: gives the report name {slug!r}, "
                    f"as {slugs[slug]} does (each region needs a name of its own)"
                )
            slugs[slug] = path
        except CxplanError as exc:
            invalid = True
            if isinstance(exc, ParamsError):
                _print_error(exc, sys.stderr)
            else:
                for line in str(exc).splitlines() or ["invalid"]:
                    print(f"{path}: {line}", file=sys.stderr)
        else:
            # load_params validated the file's named scenarios with it
            names = _scenario_names(path)
            print(f"ok: {path}" + (f" (scenarios: {', '.join(names)})" if names else ""))
    return 2 if invalid else 0


def _scenario_names(path: Path) -> list[str]:
    from cxplan.config.scenarios import read_scenarios

    try:
        return list(read_scenarios(path))
    except CxplanError:  # a custom loader's file: no scenarios to name
        return []


def _cmd_forecast(args: argparse.Namespace) -> int:
    from cxplan.app.batch import atomic_write_many
    from cxplan.data.cli import forecast_files

    files = forecast_files(
        args.history,
        args.out,
        interval=args.interval,
        horizon=args.horizon,
        country=args.country,
        backtest_weeks=args.backtest_weeks,
        timezone=args.timezone,
        gap_fill=args.fill_gaps,
    )
    Path(args.out).mkdir(parents=True, exist_ok=True)
    payload: dict[str | os.PathLike[str], bytes | str | None] = {}
    for path, text in files.items():
        payload[path] = text
    atomic_write_many(payload)  # both files, or neither
    for path in files:
        print(f"wrote {path}")
    return 0


def _raise_interrupt(signum: int, frame: types.FrameType | None) -> None:
    # once: a SIGTERM after a SIGHUP (or the reverse) must not interrupt the clean-up
    for stop in (signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])):
        signal.signal(stop, _ignore_signal)
    raise KeyboardInterrupt


def _ignore_signal(signum: int, frame: types.FrameType | None) -> None:
    """Do nothing (unlike SIG_IGN, a signal already pending is then harmless)."""


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM (a CI time limit) and SIGHUP (a closed terminal) like Ctrl-C.

    The batch then cleans up before exiting: kernels stopped, workers ended, nothing published.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    stops = [signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])]
    previous = {stop: signal.signal(stop, _raise_interrupt) for stop in stops}
    try:
        yield
    finally:
        for stop, handler in previous.items():
            signal.signal(stop, handler)


def _cmd_report(args: argparse.Namespace) -> int:
    from cxplan.app.batch import RegionResult, run_batch

    def progress(done: int, total: int, result: RegionResult) -> None:
        state = "ok" if result.ok or result.failure is None else f"FAILED {result.failure.message}"
        print(f"[{done}/{total}] {result.region}: {state} ({result.duration_s:.1f} s)", flush=True)

    portfolio: str | bool = args.portfolio_notebook if args.portfolio_notebook else True
    if args.no_portfolio:
        portfolio = False
    with _sigterm_as_interrupt():
        result = run_batch(
            args.params or [DEFAULT_PARAMS],
            args.out,
            notebook=args.notebook,
            portfolio_notebook=portfolio,
            workers=args.workers,
            dask_address=args.dask,
            timeout_s=args.timeout,
            validate=_params_loader(args.defaults, args.scenario),
            progress=progress,
            formats=args.formats,
            defaults_path=args.defaults,
            scenario=args.scenario,
        )
    if result.portfolio is not None:
        port = result.portfolio
        state = "ok" if port.ok or port.failure is None else f"FAILED {port.failure.message}"
        print(f"portfolio: {state} ({port.duration_s:.1f} s)", flush=True)
    if result.exit_code:
        ok = sum(region.ok for region in result.regions)
        print(f"cxplan: {ok} of {len(result.regions)} regions ok; failures:", file=sys.stderr)
        for failure in result.failures:
            print(f"FAILED {failure}", file=sys.stderr)
        return result.exit_code
    if result.portfolio is not None and result.portfolio.html_path is not None:
        print(f"portfolio report: {result.portfolio.html_path}")
    else:
        print(f"reports written to {result.out_dir} (no portfolio notebook)")
    return 0


def _cmd_init(args: argparse.Namespace) -> int:
    from cxplan.app.scaffold import init_engagement

    written = init_engagement(
        args.folder, currency=args.currency, country=args.country, region=args.region
    )
    for path in written:
        print(f"wrote {path}")
    region = next(p for p in written if p.parent.name == "regions")
    print(f"next: fill in {region} (see {Path(args.folder) / 'README.md'}), then")
    print(f"      cxplan validate {region.parent}{os.sep}")
    return 0


def _cmd_app(args: argparse.Namespace) -> int:
    from cxplan.app.batch import default_notebook
    from cxplan.app.overrides import region_files

    notebook = Path(args.notebook) if args.notebook else default_notebook("planner.ipynb")
    if not notebook.is_file():
        raise CxplanError(f"planner notebook not found: {notebook}")
    regions = Path(args.params or DEFAULT_PARAMS)
    region_files(regions)  # a missing file or an empty folder: one line, exit 2, no server
    if importlib.util.find_spec("voila") is None:
        raise CxplanError("Voila is not installed: pip install 'cxplan[app]'")
    from cxplan.app import server

    server.serve(
        notebook,
        port=args.port,
        open_browser=not args.no_browser,
        cull_idle_s=args.cull_idle_after,
        max_kernels=args.max_kernels,
        params_path=regions.resolve(),
        preheat=args.preheat,
    )
    return 0


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 1-65535 (got {value})")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1 (got {value})")
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0 (got {value})")
    return value


def _formats(text: str) -> tuple[str, ...]:
    from cxplan.present.exports import parse_formats

    try:
        return parse_formats(text)
    except CxplanError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be > 0 (got {text})")
    return value


_DEFAULTS_HELP = (
    "the defaults file every region file is merged over (default: defaults.yaml beside each "
    "region file or one folder up)"
)


def build_parser() -> argparse.ArgumentParser:
    """Build the ``cxplan`` parser (``validate``, ``report``, ``init``, ``forecast``, ``app``).

    Returns
    -------
    argparse.ArgumentParser
        The parser; each sub-command sets ``func``.
    """
    parser = argparse.ArgumentParser(
        prog="cxplan",
        description="Contact-centre planning toolkit: parameter checks, batch reports, planner.",
        epilog="Exit codes: 0 ok, 1 a region failed, 2 invalid input, 130 interrupted.",
    )
    commands = parser.add_subparsers(title="commands", dest="command", required=True)

    validate = commands.add_parser(
        "validate",
        help="check parameter files",
        description="Validate parameter files against the schema (defaults merged under each "
        "region), with every named scenario of each file. Prints 'ok: PATH' per valid file "
        "(and the names of its scenarios) and one 'file:line: field: problem' line per "
        "problem on stderr.",
        epilog="Exit codes: 0 all valid, 2 any invalid. Example: cxplan validate params/regions/",
    )
    validate.add_argument(
        "paths", nargs="+", metavar="PATH", help="a YAML file or a directory of *.yaml files"
    )
    validate.add_argument("--defaults", metavar="PATH", help=_DEFAULTS_HELP)
    validate.set_defaults(func=_cmd_validate)

    report = commands.add_parser(
        "report",
        help="build the batch reports",
        description="Validate every parameter file, then execute the region notebook for each "
        "region (papermill), export offline HTML reports and results JSON into --out, and build "
        "the portfolio report. Nothing is written when any parameter file is invalid.",
        epilog="Exit codes: 0 all ok, 1 some region failed (summary on stderr), 2 invalid "
        "parameters or output problem, 130 interrupted. "
        "Example: cxplan report params/regions/ --out reports/ --workers 4",
    )
    report.add_argument(
        "params",
        nargs="*",
        metavar="PARAMS",
        help=f"parameter files or directories of *.yaml files (default: {DEFAULT_PARAMS})",
    )
    report.add_argument(
        "--out",
        default=DEFAULT_OUT,
        metavar="DIR",
        help=f"output directory, created if needed (default: {DEFAULT_OUT}/)",
    )
    report.add_argument(
        "--workers",
        type=_positive_int,
        default=1,
        metavar="N",
        help="run N regions in parallel processes (default: 1)",
    )
    report.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run regions on a running dask.distributed scheduler, e.g. tcp://10.0.0.5:8786 "
        "(overrides --workers; the Dask workers must see the same file paths)",
    )
    report.add_argument(
        "--timeout",
        type=_positive_float,
        default=600.0,
        metavar="S",
        help="per-cell execution timeout in seconds (default: 600)",
    )
    report.add_argument(
        "--notebook",
        metavar="IPYNB",
        help="region notebook (default: notebooks/region_report.ipynb)",
    )
    report.add_argument(
        "--portfolio-notebook",
        metavar="IPYNB",
        help="portfolio notebook (default: notebooks/portfolio.ipynb when it exists)",
    )
    report.add_argument("--no-portfolio", action="store_true", help="skip the portfolio report")
    report.add_argument(
        "--formats",
        type=_formats,
        default=("html",),
        metavar="LIST",
        help="deliverables per region and for the portfolio, comma-separated: html (always), "
        "pdf (printed with the system's Chromium), xlsx (the model's tables), svg and png "
        "(one file per chart, for slides); default: html. Example: --formats html,pdf,xlsx",
    )
    report.add_argument("--defaults", metavar="PATH", help=_DEFAULTS_HELP)
    report.add_argument(
        "--scenario",
        type=_scenario_arg,
        metavar="NAME",
        help="report this named scenario of each region (its scenarios: section or "
        "<region>.scenarios/NAME.yaml) instead of the region itself; files are named "
        "<region>--NAME.* so the base report is never overwritten",
    )
    report.set_defaults(func=_cmd_report)

    init = commands.add_parser(
        "init",
        help="start a client engagement folder",
        description="Write a new engagement folder: defaults.yaml (cxplan's cited defaults), "
        "regions/<region>.yaml (a commented region template with example values), history/ and "
        "pilot/ (placeholders with the expected columns) and README.md (what to fill in, the "
        "commands to run). The folder must be new or empty.",
        epilog="Exit codes: 0 written, 2 the folder is not empty or a bad argument (nothing "
        "written). Example: cxplan init ~/clients/acme --currency GBP --country GB",
    )
    init.add_argument("folder", metavar="FOLDER", help="the engagement folder (new or empty)")
    init.add_argument(
        "--currency",
        metavar="CODE",
        help="the region's ISO 4217 currency, e.g. GBP (default: the defaults', USD); another "
        "currency than the defaults' needs an exchange rate (fx.rates) in the region file",
    )
    init.add_argument(
        "--country",
        metavar="CC",
        help="country code of the public holidays for the interval history (history.country)",
    )
    init.add_argument(
        "--region",
        metavar="NAME",
        help="the template region's name (default: from the folder's name)",
    )
    init.set_defaults(func=_cmd_init)

    forecast = commands.add_parser(
        "forecast",
        help="forecast an interval history",
        description="Read an interval history (CSV, CSV.GZ or XLSX; minimal columns "
        "timestamp,offered; optional channel), backtest the forecasting methods against seasonal "
        "naive and the 4-week mean, and write DIR/forecast.csv (timestamp,channel,forecast,"
        "lower_80,upper_80) and DIR/backtest.json. Nothing is written when the input is bad.",
        epilog="Exit codes: 0 ok, 2 bad input (one line per problem on stderr). "
        "Example: cxplan forecast history.csv --interval 30min --country GB --out out/",
    )
    forecast.add_argument("history", metavar="HISTORY", help="the interval history file")
    forecast.add_argument("--out", required=True, metavar="DIR", help="output folder")
    forecast.add_argument(
        "--interval", metavar="DURATION", help="planning interval, e.g. 30min (default: the file's)"
    )
    forecast.add_argument(
        "--horizon", default="7D", metavar="DURATION", help="horizon, e.g. 7D or 26W (default 7D)"
    )
    forecast.add_argument("--country", metavar="CC", help="country code for public holidays")
    forecast.add_argument(
        "--backtest-weeks",
        type=_positive_int,
        default=8,
        metavar="N",
        help="weekly origins of the backtest (default 8)",
    )
    forecast.add_argument(
        "--timezone", metavar="TZ", help="IANA zone of the timestamps, e.g. Europe/London"
    )
    forecast.add_argument(
        "--fill-gaps",
        choices=["auto", "missing", "zero", "last_week", "error"],
        default="auto",
        help="rule for missing intervals (default auto: 0 where normally closed, else missing)",
    )
    forecast.set_defaults(func=_cmd_forecast)

    app = commands.add_parser(
        "app",
        help="serve the live planner with Voila",
        description="Serve the planner notebook (notebooks/planner.ipynb) as a web app with Voila, "
        "listening on 127.0.0.1 only. The URL printed at start carries an access token (as "
        "Jupyter's does); requests naming another host are refused; a kernel whose page was "
        "closed is shut down after --cull-idle-after seconds, and at most --max-kernels run. "
        "--preheat kernels run the planner before anyone asks, so a page opens at once.",
    )
    app.add_argument(
        "params",
        nargs="?",
        metavar="PATH",
        help="a region file, or a folder of region files (the page lists them in a region "
        f"selector); default: {DEFAULT_PARAMS}",
    )
    app.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        help=f"TCP port on 127.0.0.1 (default: {DEFAULT_PORT})",
    )
    app.add_argument("--notebook", metavar="IPYNB", help="notebook to serve (default: planner)")
    app.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    app.add_argument(
        "--cull-idle-after",
        type=_positive_int,
        default=DEFAULT_CULL_IDLE_S,
        metavar="S",
        help="shut down a kernel no page is connected to after S idle seconds "
        f"(default: {DEFAULT_CULL_IDLE_S})",
    )
    app.add_argument(
        "--max-kernels",
        type=_positive_int,
        default=DEFAULT_MAX_KERNELS,
        metavar="N",
        help=f"at most N planner sessions (kernels) at once (default: {DEFAULT_MAX_KERNELS})",
    )
    app.add_argument(
        "--preheat",
        type=_non_negative_int,
        default=DEFAULT_PREHEAT,
        metavar="N",
        help="planner kernels kept started and rendered, ready for the next page (default: "
        f"{DEFAULT_PREHEAT}; 0 starts a kernel per page; they count towards --max-kernels)",
    )
    app.set_defaults(func=_cmd_app)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``cxplan`` command.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit code (argparse usage errors exit with 2 through ``SystemExit``).
    """
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except CxplanError as exc:
        _print_error(exc, sys.stderr)
        return 2
    except KeyboardInterrupt:
        # nbclient may leave an orphaned asyncio task whose "Kernel died" error asyncio would log
        # (with a traceback) when it is garbage-collected; the kernel was stopped on purpose.
        logging.getLogger("asyncio").disabled = True
        print("cxplan: interrupted; no partial report files were kept", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
