"""Incremental rebuilds: after any sequence of edits the engine's site equals a clean build."""

from __future__ import annotations

import copy
import os
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPORT_YAML, minimal_project, write_tree
from generator.build import BuildOptions, render_site
from generator.diagnostics import BuildFailed, format_text
from generator.incremental import Engine, render_clean

REPORT: dict[str, Any] = yaml.safe_load(REPORT_YAML)
QUOTES = ["Critics disagree", "according to its budget", "Mayor Jane Doe said on Tuesday"]
RATINGS = ["true", "half-true", "false", "unproven"]


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _outcome(build: Callable[[], Any]) -> tuple[str, Any]:
    """('ok', pages, diagnostics) or ('failed', diagnostics text) for comparison."""
    try:
        result = build()
    except BuildFailed as failed:
        return ("failed", format_text(failed.diagnostics))
    return ("ok", ([(p.path, p.data) for p in result.pages], format_text(result.diagnostics)))


class Project:
    """A project on disk whose files the test edits, remembering what changed since the last rebuild."""

    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root = root
        self.rng = rng
        self.changed: set[str] = set()
        self.reports: dict[str, dict[str, Any] | str] = {"content/reports/planet-rents.yaml": copy.deepcopy(REPORT)}
        self.clock = 1_700_000_000_000_000_000
        self.serial = 0

    def write(self, rel: str, text: str | None) -> None:
        path = self.root / rel
        if text is None:
            path.unlink(missing_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            # Distinct mtimes, so a full rescan notices even same-size edits made within one clock tick.
            self.clock += 1_000_000_007
            os.utime(path, ns=(self.clock, self.clock))
        self.changed.add(rel)

    def save(self, rel: str) -> None:
        data = self.reports.get(rel)
        self.write(rel, None if data is None else data if isinstance(data, str) else _dump(data))

    def valid_reports(self) -> list[str]:
        return [rel for rel, data in self.reports.items() if isinstance(data, dict)]

    def edit(self) -> str:
        """Apply one random edit; return its name."""
        rng = self.rng
        self.serial += 1
        name = rng.choice(EDITS)
        rels = self.valid_reports()
        if name in {"verdict", "add_claim", "remove_claim", "rename_id", "break", "status", "publish_text", "snapshot_path"} and not rels:
            name = "add_report"
        rel = rng.choice(rels) if rels else ""
        data: Any = self.reports.get(rel)
        if name == "verdict":
            claim = rng.choice(data["claims"])
            claim["verdict"]["rating"] = rng.choice([*RATINGS, "not-a-rating"])
            claim["verdict"]["explanation"] = f"Explanation {self.serial}."
        elif name == "add_claim":
            new = copy.deepcopy(data["claims"][-1])
            new["id"] = f"claim-{self.serial}"
            new["quote"] = {"exact": rng.choice(QUOTES)}
            data["claims"].append(new)
        elif name == "remove_claim":
            if len(data["claims"]) > 1:
                data["claims"].pop(rng.randrange(len(data["claims"])))
        elif name == "rename_id":
            data["id"] = rng.choice(["planet-rents", "planet-two", f"report-{self.serial}"])
        elif name == "break":
            self.reports[rel] = _dump(data).replace("claims:", "claims: [oops", 1)
        elif name == "status":
            data["status"] = rng.choice(["published", "draft", "in-review"])
        elif name == "publish_text":
            data["article"]["publish_text"] = rng.choice([True, False])
        elif name == "snapshot_path":
            data["article"]["snapshot"] = rng.choice(["seeds/planet.txt", "seeds/planet.txt", "seeds/missing.txt", "seeds/other.txt"])
        elif name == "add_report":
            new = copy.deepcopy(REPORT)
            new["id"] = f"added-{self.serial}"
            new["published"] = f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
            rel = f"content/reports/added-{self.serial}.yaml"
            self.reports[rel] = new
        elif name == "delete_report":
            if self.reports:
                rel = rng.choice(sorted(self.reports))
                self.reports[rel] = None  # type: ignore[assignment]
                self.save(rel)
                del self.reports[rel]
                return name
        elif name == "fix":
            broken = [r for r, d in self.reports.items() if isinstance(d, str)]
            if broken:
                rel = rng.choice(broken)
                self.reports[rel] = yaml.safe_load(str(self.reports[rel]).replace("claims: [oops", "claims:", 1))
        elif name == "template":
            self.write("themes/default/templates/claim.html", TEMPLATE.replace("{% block content %}", f"{{% block content %}}<!-- {self.serial} -->", 1))
            return name
        elif name == "break_template":
            self.write("themes/default/templates/claim.html", TEMPLATE.replace("{% block content %}", "{% block content %}{% if %}", 1))
            return name
        elif name == "site":
            self.write("content/site.yaml", SITE.replace("title: Test Checks", f"title: Test Checks {rng.randint(0, 3)}"))
            return name
        elif name == "people":
            self.write("content/people.yaml", PEOPLE.replace("Ann Writer", rng.choice(["Ann Writer", "Ann Writer-Smith"])))
            return name
        elif name == "page":
            self.write("content/pages/about.md", PAGE.replace("We check claims.", f"We check claims ({self.serial})."))
            return name
        elif name == "menu":
            self.write(
                "content/pages/about.md", PAGE.replace("menu: 1", rng.choice(["menu: 1", "menu: 2"])).replace("About us", rng.choice(["About us", "About"]))
            )
            return name
        elif name == "seed":
            text = minimal_project()["seeds/planet.txt"]
            self.write("seeds/other.txt", text + f"\nUpdate {self.serial}.\n" if rng.random() < 0.7 else "Nothing to see.\n")
            return name
        elif name == "static":
            self.write("themes/default/static/extra.css", f"/* {self.serial} */\n")
            return name
        if rel:
            self.save(rel)
        return name


EDITS = [
    "verdict",
    "verdict",
    "verdict",
    "add_claim",
    "remove_claim",
    "rename_id",
    "break",
    "fix",
    "fix",
    "status",
    "publish_text",
    "snapshot_path",
    "add_report",
    "add_report",
    "delete_report",
    "template",
    "break_template",
    "site",
    "people",
    "page",
    "menu",
    "seed",
    "static",
]
TEMPLATE = ""
SITE = minimal_project()["content/site.yaml"]
PEOPLE = minimal_project()["content/people.yaml"]
PAGE = minimal_project()["content/pages/about.md"]


@pytest.mark.parametrize("seed,drafts", [(1, False), (2, True), (3, False)])
def test_random_edits_match_a_clean_build(tmp_path: Path, seed: int, drafts: bool) -> None:
    """A long random sequence of edits; after each, the in-memory site equals a clean render_site."""
    global TEMPLATE
    root = write_tree(tmp_path / "project", minimal_project())
    TEMPLATE = (root / "themes/default/templates/claim.html").read_text(encoding="utf-8")
    options = BuildOptions(drafts=drafts)
    engine = Engine(root, options)
    project = Project(root, random.Random(seed))
    assert _outcome(lambda: engine.rebuild(None).result) == _outcome(lambda: render_site(root, options))
    names = []
    for step in range(70):
        names.append(project.edit())
        if project.rng.random() < 0.3:
            names.append(project.edit())  # two edits in one batch, as a burst of saves gives
        changed = None if project.rng.random() < 0.1 else set(project.changed)
        project.changed.clear()
        got = _outcome(lambda: engine.rebuild(changed).result)  # noqa: B023 - called at once
        want = _outcome(lambda: render_site(root, options))
        assert got == want, f"step {step} after edits {names[-3:]}"
    # The sequence exercised both outcomes, and real incremental work.
    assert {"verdict", "break", "template", "add_report"} <= set(names)


def test_one_report_edit_re_renders_only_its_pages_and_the_shared_ones(make_project: Callable[..., Path]) -> None:
    """Changing a verdict re-renders that report's pages and pages that show everything, not the others."""
    second = REPORT_YAML.replace("id: planet-rents", "id: planet-two")
    root = make_project({"content/reports/planet-two.yaml": second})
    engine = Engine(root)
    first = engine.rebuild(None)
    assert first.full
    rel = "content/reports/planet-rents.yaml"
    (root / rel).write_text(REPORT_YAML.replace('rating: "false"', "rating: half-true"), encoding="utf-8")
    outcome = engine.rebuild({rel})
    assert not outcome.full
    assert outcome.checked_files == 1
    assert 0 < outcome.rendered < len(first.result.pages)
    before = {p.path: p.data for p in first.result.pages}
    after = {p.path: p.data for p in outcome.result.pages}
    assert after["reports/planet-two/index.html"] is before["reports/planet-two/index.html"]
    assert after["reports/planet-rents/index.html"] != before["reports/planet-rents/index.html"]
    assert b"Half true" in after["reports/planet-rents/claims/rents-doubled/index.html"]


def test_a_failed_rebuild_keeps_the_last_good_build_and_remembers_template_changes(make_project: Callable[..., Path]) -> None:
    """A template error fails the rebuild; fixing it re-renders everything with the new template."""
    root = make_project()
    engine = Engine(root)
    engine.rebuild(None)
    good = engine.good
    rel = "themes/default/templates/claim.html"
    original = (root / rel).read_text(encoding="utf-8")
    (root / rel).write_text(original.replace("{% block content %}", "{% block content %}{% if %}", 1), encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        engine.rebuild({rel})
    assert "claim.html" in format_text(failed.value.diagnostics)
    assert engine.good is good
    (root / rel).write_text(original.replace("{% block content %}", "{% block content %}<p>NEW</p>", 1), encoding="utf-8")
    outcome = engine.rebuild({rel})
    assert outcome.full
    assert b"<p>NEW</p>" in {p.path: p.data for p in outcome.result.pages}["reports/planet-rents/claims/rents-doubled/index.html"]


def test_render_clean_equals_render_site(make_project: Callable[..., Path]) -> None:
    """A first build through the engine is byte for byte a normal build."""
    root = make_project()
    assert _outcome(lambda: render_clean(root)) == _outcome(lambda: render_site(root))
