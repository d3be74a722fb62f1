"""The cxplan chart theme and chart files: print-readable sizes, colour-blind-safe colours.

Colour-vision deficiency is simulated with the matrices of Machado, Oliveira and Fernandes,
"A Physiologically-based Model for Simulation of Color Vision Deficiency", IEEE TVCG 15(6), 2009
(severity 1.0, applied to linear RGB), and colour differences are CIE 1976 ΔE*ab in CIELAB (D65),
written out here independently of the code under test. The old Tableau 10 palette fails the same
check (its red and green are ΔE ≈ 1 apart for a deuteranope), which shows the check can fail.
"""

from __future__ import annotations

import itertools
import re

import altair as alt
import numpy as np
import pandas as pd
import pytest

from cxplan.present import charts, figures, theme
from cxplan.present.document import finish_report

MACHADO = {
    "protanopia": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
    "deuteranopia": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "tritanopia": [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ],
    "normal": [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
}
TABLEAU10 = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948"]


def _linear(hex_colour: str) -> np.ndarray:
    srgb = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255.0
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb: np.ndarray) -> np.ndarray:
    m = np.array(
        [[0.4124564, 0.3575761, 0.1804375],
         [0.2126729, 0.7151522, 0.0721750],
         [0.0193339, 0.1191920, 0.9503041]]
    )  # fmt: skip
    xyz = m @ np.clip(linear_rgb, 0.0, 1.0) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def min_delta_e(colours: list[str]) -> tuple[float, str]:
    worst = (np.inf, "")
    for vision, matrix in MACHADO.items():
        labs = {c: _lab(np.asarray(matrix) @ _linear(c)) for c in colours}
        for a, b in itertools.combinations(colours, 2):
            d = float(np.linalg.norm(labs[a] - labs[b]))
            if d < worst[0]:
                worst = (d, f"{vision}: {a} vs {b}")
    return worst


@pytest.mark.parametrize(
    ("name", "colours"),
    [
        ("first six categories", list(theme.PALETTE[:6])),
        ("KPI status", list(theme.STATUS_COLORS.values())),
        ("P10/P50/P90", [theme.BAD, theme.INK, theme.GOOD]),
        ("tornado low/high", [theme.LOW, theme.HIGH]),
        ("sourcing options", [*theme.OPTION_COLORS.values(), theme.PALETTE[2]]),
    ],
)
def test_colours_stay_apart_for_every_colour_vision(name: str, colours: list[str]) -> None:
    delta, where = min_delta_e(colours)
    assert delta >= 10.0, f"{name}: ΔE {delta:.1f} ({where})"


def test_the_check_would_catch_the_old_palette() -> None:
    delta, where = min_delta_e(TABLEAU10)
    assert delta < 3.0 and "deuteranopia" in where


def _svg_fonts(svg: str) -> set[float]:
    return {float(x) for x in re.findall(r'font-size="([\d.]+)px"', svg)}


def _svg_width(svg: str) -> float:
    return float(re.search(r'<svg[^>]*\bwidth="([\d.]+)"', svg).group(1))  # type: ignore[union-attr]


@pytest.mark.parametrize("width", [420, 720])
def test_to_svg_applies_the_theme_sizes_and_fits_the_width(width: int) -> None:
    flows = np.array([-2.5e9, 4e8, 9e8, 1.4e9, 1.8e9])
    svg = charts.to_svg(charts.cashflow_chart(flows, currency="USD", width=width))
    assert _svg_width(svg) <= width  # axes and legend inside the chart width ("fit")
    fonts = _svg_fonts(svg)
    assert min(fonts) >= theme.FONT_SIZES["axis_label"] and max(fonts) == theme.FONT_SIZES["title"]
    labels = re.findall(r">([^<>]*?\d[^<>]*?)</text>", svg)
    assert any(label.endswith("B") for label in labels)  # 2.5e9 → "−2.5B", not "G"
    assert not any(re.fullmatch(r"−?[\d.]+G", label) for label in labels)


def test_theme_is_only_active_while_serialising() -> None:
    before = alt.theme.active
    charts.to_svg(charts.cashflow_chart([-100.0, 60.0, 60.0]))
    assert alt.theme.active == before
    with theme.themed():
        assert alt.theme.active == theme.THEME
        spec = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q").to_dict()
    assert spec["config"]["legend"]["orient"] == "bottom"
    assert alt.theme.active == before


def test_number_axis_keeps_small_values_plain() -> None:
    assert theme.number_axis([0.1, 0.5]).to_dict() == {}
    assert "labelExpr" in theme.number_axis([1e5]).to_dict()
    assert "',.2f'" in theme.number_axis([1.0], decimals=2).to_dict()["labelExpr"]


# ---------------------------------------------------------------------------- chart files


def test_chart_files_are_svg_and_png_named_after_the_title(tmp_path) -> None:  # type: ignore[no-untyped-def]
    chart = charts.cashflow_chart([-100.0, 60.0, 60.0], title="Cash flow: base case")
    paths = figures.write_chart_files(chart, tmp_path, "North America")
    assert [p.name for p in paths] == [
        "north-america-cash-flow-base-case.svg",
        "north-america-cash-flow-base-case.png",
    ]
    assert paths[0].read_text().startswith("<svg")
    assert paths[1].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_report_chart_files_match_the_report_and_get_download_links() -> None:
    chart = charts.cashflow_chart([-100.0, 60.0, 60.0], title="Cash <flow>")
    body = charts.svg_html(chart) + "<p>between</p>" + charts.svg_html(chart)
    html = f"<html><head><title>x</title></head><body><main>{body}</main></body></html>"
    files, links = figures.report_chart_files(html, "emea", ["svg", "png"])
    assert sorted(files) == [
        "emea-cash-flow-2.png",
        "emea-cash-flow-2.svg",
        "emea-cash-flow.png",
        "emea-cash-flow.svg",
    ]
    svgs = figures.find_figures(html)
    assert files["emea-cash-flow.svg"].decode() == svgs[0].svg  # the very SVG of the report
    out = finish_report(html, title="EMEA", downloads=links)
    assert out.count('class="cx-downloads"') == 2
    assert 'href="emea-cash-flow-2.png" download' in out
