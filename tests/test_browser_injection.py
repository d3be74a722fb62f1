"""A hostile parameter file cannot script, restyle or phone home from the reports (issue 10).

One region whose every free-text field carries one of the injection payloads of issue 10 (each
tagged ``cxpwn<n>``) is reported with the real ``cxplan report`` (papermill, the real region and
portfolio notebooks). Its region report and the portfolio are opened in headless Chromium behind
:class:`browser_support.NetworkGuard`, and the test asserts:

* the batch succeeds (an ``<img src=https://…>`` in a name is text, it does not fail the region);
* no dialog opens (``alert``/``confirm``/``prompt``), no page error is raised;
* no request is made at all (not even one that the guard would block);
* the document holds no element that came from the parameters: no ``<script>``, no element with
  an ``on*`` handler, no ``iframe``/``object``/``embed``/``details``/``meta http-equiv``/``img``,
  no ``<style>`` or link carrying a payload;
* the payloads are on the page as literal text.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import browser_support as bs
import pytest
import yaml

from cxplan.config.yamlfile import load_yaml

pytestmark = [pytest.mark.browser, pytest.mark.notebook, pytest.mark.slow]

PAYLOADS = {
    1: "<script>alert('cxpwn1')</script>",
    2: "<img src=x onerror=alert('cxpwn2')>",
    3: "<svg onload=alert('cxpwn3')>",
    4: "<details open ontoggle=alert('cxpwn4')>x</details>",
    5: "<iframe srcdoc=\"<script>alert('cxpwn5')</script>\"></iframe>",
    6: "[cxpwn6](javascript:alert(6))",
    7: "<style>body{display:none} /* cxpwn7 */</style>",
    8: '<meta http-equiv="refresh" content="0;url=https://example.com/cxpwn8">',
    9: "<img src=https://example.com/cxpwn9.png>",
    10: "![cxpwn10](https://example.com/cxpwn10.png)",
    11: "<https://example.com/cxpwn11>",
}

INJECTED_JS = """
() => {
  const all = Array.from(document.querySelectorAll('*'));
  const handlers = all.filter((e) => Array.from(e.attributes).some((a) => /^on/i.test(a.name)));
  const carries = (e) => Array.from(e.attributes).some((a) => a.value.includes('cxpwn'))
      || (e.textContent || '').includes('cxpwn');
  return {
    scripts: document.querySelectorAll('script').length,
    handlers: handlers.map((e) => e.outerHTML.slice(0, 120)),
    frames: document.querySelectorAll('iframe, frame, object, embed, details').length,
    refresh: document.querySelectorAll('meta[http-equiv]').length,
    images: document.querySelectorAll('img, image, video, audio, source').length,
    styles: Array.from(document.querySelectorAll('style, link')).filter(carries).length,
    links: Array.from(document.querySelectorAll('a[href]')).filter(
        (a) => /^\\s*(javascript|data|vbscript):/i.test(a.getAttribute('href'))
            || a.getAttribute('href').includes('cxpwn')).map((a) => a.outerHTML),
    text: document.body.innerText,
  };
}
"""


def hostile_params(root: Path) -> Path:
    """A params tree with the real defaults and one region carrying every payload."""
    shutil.copytree(bs.REPO / "params" / "pilot", root / "pilot")
    shutil.copyfile(bs.REPO / "params" / "defaults.yaml", root / "defaults.yaml")
    defaults, _ = load_yaml(root / "defaults.yaml")
    data, _ = load_yaml(bs.DEMO_PARAMS / "north-america.yaml")
    data = copy.deepcopy(data)
    data["region"]["name"] = "Tom & Jerry's"  # region names are plain words (& and ' allowed)
    data["region"]["description"] = PAYLOADS[1]
    data["forecast"] = {"horizon_weeks": 4}
    data["finance"] = {"monte_carlo_draws": 500}
    data["initiative"] = {"name": " ".join(PAYLOADS.values())}
    data["technology"] = {
        "name": PAYLOADS[2],
        "licences": [
            {"name": PAYLOADS[3], "category": "platform", "cost_per_agent_per_month": 120.0}
        ],
    }
    roadmap = copy.deepcopy(defaults["roadmap"])
    for i, phase in enumerate(roadmap["phases"]):
        phase["name"] = PAYLOADS[4 + i]
    for i, task in enumerate(roadmap["tasks"]):
        task["name"] = PAYLOADS[1 + i % len(PAYLOADS)]
        task["workstream"] = PAYLOADS[1 + (i + 3) % len(PAYLOADS)]
        if task.get("milestone"):
            task["milestone_name"] = PAYLOADS[1 + (i + 5) % len(PAYLOADS)]
    data["roadmap"] = roadmap
    (root / "regions").mkdir()
    path = root / "regions" / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return root / "regions"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with bs.chromium() as instance:
        yield instance


@pytest.fixture(scope="module")
def hostile_reports(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> bs.BatchRun:
    root = tmp_path_factory.mktemp("hostile")
    regions = hostile_params(root / "params")
    return bs.run_report(root / "reports", params=regions)


def test_hostile_region_reports_successfully(hostile_reports: bs.BatchRun) -> None:
    hostile_reports.check()  # exit 0: the https image in a name did not fail the region
    assert (hostile_reports.out / "tom-jerry-s.html").is_file()
    assert (hostile_reports.out / "portfolio.html").is_file()


@pytest.mark.parametrize("name", ["tom-jerry-s", "portfolio"])
def test_hostile_text_neither_runs_nor_loads_anything(
    hostile_reports: bs.BatchRun, browser: Any, name: str
) -> None:
    hostile_reports.check()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    dialogs: list[str] = []
    requests: list[str] = []
    try:
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        guard = bs.NetworkGuard.attach(page)
        path = hostile_reports.out / f"{name}.html"
        page.on("request", lambda r: requests.append(r.url) if r.url != path.as_uri() else None)
        page.goto(path.as_uri(), wait_until="load", timeout=60_000)
        page.wait_for_timeout(1_500)  # time for a timer, a refresh or a lazy load to fire
        found = page.evaluate(INJECTED_JS)
        bs.screenshot(page, f"hostile-{name}")
        assert page.url == path.as_uri()  # no meta refresh, no navigation
    finally:
        context.close()

    assert dialogs == []
    assert guard.page_errors == []
    assert requests == [] and guard.blocked == [] and guard.failed == []
    assert found["scripts"] == 0
    assert found["handlers"] == []
    assert found["frames"] == 0
    assert found["refresh"] == 0
    assert found["images"] == 0
    assert found["styles"] == 0
    assert found["links"] == []
    if name != "portfolio":  # the region report quotes the initiative name in its summary
        for payload in PAYLOADS.values():
            assert payload in found["text"], f"not shown as text: {payload}"
    assert "Tom & Jerry's" in found["text"]
