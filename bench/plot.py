"""Chart of cold build time against N for the three generators (run with bench/.venv's Python).

bench/.venv/bin/python bench/plot.py results.json chart.png
"""

from __future__ import annotations

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

COLORS = {"factcheck": "#c0202c", "Hugo": "#0a58b8", "Eleventy": "#4a7a12"}


def main() -> None:
    """Read {"series": {name: [[n, seconds], ...]}, "title": ...} and write a PNG."""
    with open(sys.argv[1], encoding="utf-8") as handle:
        data = json.load(handle)
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
    for name, points in data["series"].items():
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        ax.plot(xs, ys, marker="o", label=name, color=COLORS.get(name))
        for x, y in points:
            ax.annotate(f"{y:.1f} s", (x, y), textcoords="offset points", xytext=(4, 6), fontsize=8, color=COLORS.get(name))
    ax.set_xlabel("reports (N)")
    ax.set_ylabel("cold build, median wall time (s)")
    ax.set_title(data.get("title", "Cold full build time"))
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(sys.argv[2])


if __name__ == "__main__":
    main()
