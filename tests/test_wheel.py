"""The wheel installs into a fresh venv and runs a batch on a params folder outside the repo.

Guards issue 11's packaging defects: a setuptools that cannot read ``license = "MIT"``, a wheel
without notebooks, ``defaults.yaml``, Voilà templates or ``py.typed``, and a ``cxplan report``
that only works inside a source checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(cmd: list[str | Path], cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.mark.slow
def test_wheel_installs_and_runs_outside_the_repo(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", dist, ROOT], tmp_path)
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = dist.glob("cxplan-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in (
        "cxplan/py.typed",
        "cxplan/_bundled/notebooks/region_report.ipynb",
        "cxplan/_bundled/notebooks/portfolio.ipynb",
        "cxplan/_bundled/notebooks/planner.ipynb",
        "cxplan/_bundled/params/defaults.yaml",
        "cxplan/app/_share/voila/templates/cxplan-offline/index.html.j2",
        "cxplan/present/_static/report.css",
    ):
        assert shipped in names, shipped
    # the bundled defaults are the repository's, byte for byte
    with zipfile.ZipFile(wheel) as z:
        assert z.read("cxplan/_bundled/params/defaults.yaml") == (
            ROOT / "params" / "defaults.yaml"
        ).read_bytes()

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    installed = run([py, "-m", "pip", "install", "--quiet", wheel], tmp_path)
    assert installed.returncode == 0, installed.stderr[-2000:]
    where = run([py, "-c", "import cxplan; print(cxplan.__file__)"], tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(env_dir), where.stdout  # not the checkout

    # a client folder far from the repository: defaults + one region
    client = tmp_path / "client"
    (client / "regions").mkdir(parents=True)
    shutil.copy(ROOT / "params" / "defaults.yaml", client / "defaults.yaml")
    shutil.copy(ROOT / "params" / "regions" / "asia-pacific.yaml", client / "regions")
    text = (client / "defaults.yaml").read_text()
    # the demo pilot file is not copied: the region runs without a pilot readout
    (client / "defaults.yaml").write_text(text.replace("data_csv: pilot/demo_pilot.csv", ""))
    cxplan = env_dir / "bin" / "cxplan"
    checked = run([cxplan, "validate", client / "regions"], tmp_path)
    assert checked.returncode == 0, checked.stderr
    report = run([cxplan, "report", client / "regions", "--out", tmp_path / "out"], tmp_path)
    assert report.returncode == 0, report.stdout[-3000:] + report.stderr[-3000:]
    html = (tmp_path / "out" / "asia-pacific.html").read_text(encoding="utf-8")
    assert "Asia Pacific" in html
    result = json.loads((tmp_path / "out" / "asia-pacific.json").read_text())
    assert result["region"] == "Asia Pacific"
    assert (tmp_path / "out" / "portfolio.html").is_file()
