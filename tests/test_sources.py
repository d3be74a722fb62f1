"""The assumptions appendix: each value with the file it comes from and the comment citing it."""

from __future__ import annotations

from pathlib import Path

from cxplan.config.sources import assumptions_table

DEFAULTS = """# file header: not a source
fx:
  defaults_currency: USD
location:
  wage_per_hour: 20.0          # seed 001: US $18-35/h
  benefits_load: 0.3
# seed 001 roadmap template
roadmap:
  tasks:
    - {id: a, name: "A # not a comment", cost_base: 5}
"""

REGION = """# Region header
region:
  name: "Test # region"
location:
  wage_per_hour: 25.0  # client payroll 2026
"""


def test_values_come_with_their_file_and_citing_comment(tmp_path: Path) -> None:
    (tmp_path / "defaults.yaml").write_text(DEFAULTS)
    region = tmp_path / "regions" / "r.yaml"
    region.parent.mkdir()
    region.write_text(REGION)
    t = assumptions_table(region).set_index("field")
    assert t.loc["location.wage_per_hour", "value"] == 25.0
    assert t.loc["location.wage_per_hour", "file"] == "region"
    assert t.loc["location.wage_per_hour", "source"] == "client payroll 2026"
    assert t.loc["location.benefits_load", "file"] == "defaults"
    assert t.loc["region.name", "value"] == "Test # region"  # '#' inside quotes is text
    assert t.loc["region.name", "source"] == ""  # the file header describes the file
    assert t.loc["roadmap.tasks[0].cost_base", "source"] == "seed 001 roadmap template"
    assert "fx.defaults_currency" in t.index
    assert t.index.is_unique  # the region's wage replaces the default, not beside it
