"""Helpers for the publishing tests: a project with many reports, and reading built pages."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from conftest import REPORT_YAML, minimal_project

BASE_URL = "https://checks.example.org/sub/"
_JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)

CLAIMANTS = ["Jane Doe", "jane doe", "John Roe", "Jane-Doe", "Ærø Council"]
TOPICS = [["Housing"], ["housing", "Budget"], ["Budget"], ["Transport", "Housing"]]
OUTLETS = ["Daily Planet", "Metro Times", "Daily-Planet"]


def report_yaml(n: int, corrections: bool = False) -> str:
    """A valid report like the minimal one, varied by `n` in id, date, claimant, topics and outlet."""
    text = (
        REPORT_YAML.replace("id: planet-rents", f"id: report-{n:03d}")
        .replace("published: 2026-05-01", f"published: 2026-{1 + n % 12:02d}-{1 + n % 28:02d}")
        .replace("name: Jane Doe", f"name: {CLAIMANTS[n % len(CLAIMANTS)]}")
        .replace("topics: [Housing]", f"topics: [{', '.join(TOPICS[n % len(TOPICS)])}]")
        .replace("publisher: Daily Planet", f"publisher: {OUTLETS[n % len(OUTLETS)]}")
        .replace('rating: "false"', 'rating: "false"' if n % 3 else "rating: unproven")
    )
    if corrections:
        text += f"""corrections:
  - date: 2026-{1 + n % 12:02d}-28
    type: rating-change
    claim: rents-doubled
    from: half-true
    to: "false"
    change: Changed the rating of report {n}
    reason: A new rent index was published.
"""
    return text


def many_reports(count: int, page_size: int = 5, base_url: str = BASE_URL) -> dict[str, str]:
    """A project with `count` reports (two claims each), every third one corrected."""
    files = minimal_project()
    del files["content/reports/planet-rents.yaml"]
    site = files["content/site.yaml"] + f"page_size: {page_size}\n"
    if base_url:
        site += f"base_url: {base_url}\n"
    files["content/site.yaml"] = site
    for n in range(count):
        files[f"content/reports/report-{n:03d}.yaml"] = report_yaml(n, corrections=n % 3 == 0)
    return files


def json_ld(html: str) -> list[dict[str, Any]]:
    """Every JSON-LD object in a page, parsed (as a search engine would read them)."""
    return [json.loads(block) for block in _JSON_LD.findall(html)]


def read(out: Path, path: str) -> str:
    """A built file's text."""
    return (out / path).read_text(encoding="utf-8")


WITHDRAWN = (
    REPORT_YAML.replace("id: planet-rents", "id: planet-old").replace("status: published", "status: withdrawn").replace("name: Jane Doe", "name: John Roe")
    + """corrections:
  - date: 2026-06-02
    type: withdrawn
    change: We withdrew this fact-check.
    reason: The rent index we relied on was itself withdrawn by the Statistics Office.
withdrawn:
  date: 2026-06-02
  reason: The rent index we relied on was itself withdrawn by the Statistics Office, so neither verdict stands.
"""
)


def withdrawn_project() -> dict[str, str]:
    """The minimal project plus a withdrawn report (used by the screenshots too)."""
    return {"content/reports/planet-old.yaml": WITHDRAWN}
