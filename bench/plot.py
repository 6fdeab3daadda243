"""Chart of cold build time and peak memory against N for every tool measured (run with bench/.venv's Python).

bench/.venv/bin/python bench/plot.py results.json chart.png

The JSON holds {"series": {name: [[n, seconds, megabytes], ...]}, "points": {name: [n, seconds, megabytes]},
"title": ...}; series named "... (minimal)" (the one-page-per-report variant) are drawn dashed.
"""

from __future__ import annotations

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

COLORS = {"factcheck": "#c0202c", "Hugo": "#0a58b8", "Eleventy": "#4a7a12"}


def _color(name: str) -> str | None:
    return next((color for tool, color in COLORS.items() if name.startswith(tool)), None)


def main() -> None:
    """Read the JSON and write a PNG with two panels: wall time and peak memory against N."""
    with open(sys.argv[1], encoding="utf-8") as handle:
        data = json.load(handle)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.4), dpi=110)
    panels = ((1, "cold build, median wall time (s)", "{:.1f} s"), (2, "peak memory, sum of PSS over processes (MB)", "{:.0f} MB"))
    for ax, (column, label, fmt) in zip(axes, panels, strict=True):
        for name, points in data["series"].items():
            xs = [p[0] for p in points]
            ys = [p[column] for p in points]
            minimal = name.endswith("(minimal)")
            ax.plot(xs, ys, "--" if minimal else "-", marker="s" if minimal else "o", label=name, color=_color(name))
            for x, y in zip(xs, ys, strict=True):
                ax.annotate(fmt.format(y), (x, y), textcoords="offset points", xytext=(4, 6), fontsize=7, color=_color(name))
        for name, point in data.get("points", {}).items():
            ax.plot([point[0]], [point[column]], marker="*", markersize=11, linestyle="none", label=name, color=_color(name))
        ax.set_xlabel("reports (N)")
        ax.set_ylabel(label)
        ax.set_xlim(left=0)
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.suptitle(data.get("title", "Cold full build"))
    fig.tight_layout()
    fig.savefig(sys.argv[2])


if __name__ == "__main__":
    main()
