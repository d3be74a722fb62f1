"""Write or compare the headline JSON of the demo regions (a before/after check for refactors).

Usage (from the repository root)::

    python tests/headline_snapshot.py write DIR      # one DIR/<region>.json per demo region
    python tests/headline_snapshot.py compare DIR    # recompute and compare with DIR/*.json

``compare`` prints every figure that differs (exactly, or beyond ``--rtol``) and exits 1 if any
does. Not a pytest module: it recomputes every demo region in full (Monte Carlo included), which
is too slow for the suite; run it by hand before and after a change that must not move a figure.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

from cxplan.model import load_region

REGIONS = Path(__file__).resolve().parents[1] / "params" / "regions"


def headlines() -> dict[str, dict[str, Any]]:
    """Headline of every demo region, by file stem."""
    return {p.stem: load_region(p).headline() for p in sorted(REGIONS.glob("*.yaml"))}


def _diff(a: Any, b: Any, path: str, rtol: float) -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                out.append(f"{path}.{key}: only in {'after' if key not in a else 'before'}")
            else:
                out.extend(_diff(a[key], b[key], f"{path}.{key}", rtol))
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items before, {len(b)} after"]
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in _diff(x, y, f"{path}[{i}]", rtol)
        ]
    if (
        isinstance(a, float)
        and isinstance(b, float)
        and math.isclose(a, b, rel_tol=rtol, abs_tol=0)
    ):
        return []
    return [] if a == b else [f"{path}: {a!r} before, {b!r} after"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["write", "compare"])
    parser.add_argument("folder", type=Path)
    parser.add_argument(
        "--rtol", type=float, default=0.0, help="relative tolerance (default exact)"
    )
    args = parser.parse_args(argv)
    now = headlines()
    if args.action == "write":
        args.folder.mkdir(parents=True, exist_ok=True)
        for name, data in now.items():
            (args.folder / f"{name}.json").write_text(json.dumps(data, indent=2, sort_keys=True))
        print(f"wrote {len(now)} headlines to {args.folder}")
        return 0
    differences = []
    for name, data in now.items():
        before = json.loads((args.folder / f"{name}.json").read_text())
        after = json.loads(json.dumps(data))  # the same JSON round trip as the stored file
        differences += _diff(before, after, name, args.rtol)
    for line in differences:
        print(line)
    print(f"{len(now)} regions compared: {len(differences)} difference(s)")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
