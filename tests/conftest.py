"""Shared test helpers: write a project tree from a dict, and a minimal valid project."""

from __future__ import annotations

import http.server
import shutil
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"

SNAPSHOT = """The Daily Planet

Mayor Jane Doe said on Tuesday that rents in Metropolis have doubled since 2015. Critics disagree.
The council spent $4 million on new shelters last year, according to its budget.
"""

SITE_YAML = """\
title: Test Checks
description: A test site.
language: en
organization:
  name: Test Org
ratings:
  scale:
    - {key: "true", label: "True", definition: Accurate., value: 3, color: "#1a7f37"}
    - {key: half-true, label: Half true, definition: Partly accurate., value: 2, color: "#8a6100"}
    - {key: "false", label: "False", definition: Not accurate., value: 1, color: "#c0202c"}
  other:
    - {key: unproven, label: Unproven, definition: Evidence does not settle it., color: "#59636e"}
"""

PEOPLE_YAML = """\
- id: ann
  name: Ann Writer
  role: Researcher
- id: bob
  name: Bob Editor
  role: Editor
"""

REPORT_YAML = """\
id: planet-rents
title: "Fact-check: the Daily Planet on rents"
summary: One claim holds up, one does not.
status: published
published: 2026-05-01
authors: [ann]
reviewers: [bob]
topics: [Housing]
article:
  headline: Rents have doubled, mayor says
  publisher: Daily Planet
  url: https://planet.example/rents
  retrieved: 2026-04-30
  snapshot: seeds/planet.txt
claims:
  - id: rents-doubled
    quote:
      exact: rents in Metropolis have doubled since 2015
    claim_reviewed: Rents in Metropolis doubled since 2015
    claimant: {name: Jane Doe, type: person, job_title: Mayor}
    verdict:
      rating: "false"
      explanation: Rents rose 38%, not 100%.
    analysis: |
      The rent index shows a 38% rise [@stats-rents].
    sources: [stats-rents]
  - id: shelter-spend
    quote:
      exact: The council spent $4 million on new shelters last year
    claim_reviewed: The council spent $4 million on shelters last year
    verdict:
      rating: "true"
      explanation: The budget shows $4.0 million.
    analysis: |
      The budget line reads $4.0 million [@budget].
    sources: [budget]
sources:
  - id: stats-rents
    title: Rent index 2015-2025
    publisher: Statistics Office
    url: https://stats.example/rents
    kind: primary
  - id: budget
    title: Council budget 2025
    publisher: Metropolis Council
    url: https://council.example/budget.pdf
    kind: primary
"""

PAGE_MD = """\
---
title: About us
description: Who we are.
menu: 1
---
We check claims. See [our sources](https://example.org/).
"""


def minimal_project() -> dict[str, str]:
    """A small valid project: one report with two claims, one page."""
    return {
        "content/site.yaml": SITE_YAML,
        "content/people.yaml": PEOPLE_YAML,
        "content/reports/planet-rents.yaml": REPORT_YAML,
        "content/pages/about.md": PAGE_MD,
        "seeds/planet.txt": SNAPSHOT,
    }


def write_tree(root: Path, files: Mapping[str, str | bytes], theme: bool = True) -> Path:
    """Write `files` (path -> text or bytes) under root; copy the default theme unless told not to."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content) if content.startswith("\n") else content, encoding="utf-8")
    if theme and not (root / "themes" / "default").exists():
        shutil.copytree(REPO / "themes" / "default", root / "themes" / "default")
    return root


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Path]:
    """Write a project under tmp_path: the minimal one, with `changes` applied (None deletes a file)."""

    def make(changes: Mapping[str, str | bytes | None] | None = None, theme: bool = True) -> Path:
        files: dict[str, str | bytes] = dict(minimal_project())
        for rel, content in (changes or {}).items():
            if content is None:
                files.pop(rel, None)
            else:
                files[rel] = content
        return write_tree(tmp_path / "project", files, theme=theme)

    return make


class StaticHost(http.server.SimpleHTTPRequestHandler):
    """A static host, quiet: a missing file under a site's folder gets that site's 404.html, with status 404."""

    sites: tuple[str, ...] = ("/",)  # URL folders holding a site, e.g. "/checks/"; by default one site at the root

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        folder = next((s for s in self.sites if self.path.startswith(s)), None)
        page = Path(str(self.directory)) / (folder or "/").lstrip("/") / "404.html"
        if code != 404 or folder is None or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
