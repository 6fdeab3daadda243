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
from generator.preview.engine import Engine, render_clean

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


def _lazy_outcome(engine: Engine, changed: set[str] | None, rng: random.Random) -> tuple[str, Any] | None:
    """Rebuild as `serve` does; then make every file (the outcome to compare), or read a few or none (None).

    Builds that nobody reads in full make the engine carry what changed across several rebuilds.
    """
    try:
        outcome = engine.rebuild(changed)
    except BuildFailed as failed:
        return ("failed", format_text(failed.diagnostics))
    draw = rng.random()
    if draw < 0.3:
        for path in rng.sample(sorted(outcome.files.slots), min(3, len(outcome.files.slots))):
            outcome.files.get(path)
        return None
    if draw < 0.5:
        return None
    try:
        pages = outcome.files.pages()
    except BuildFailed as failed:
        return ("failed", format_text(failed.diagnostics))
    return ("ok", ([(p.path, p.data) for p in pages], format_text(outcome.result.diagnostics)))


def _invalidate(name: str, data: dict[str, Any], rng: random.Random) -> None:
    """Edits that once crashed `build` and `serve` while `check` reported them: impossible dates, a claim without quote or verdict."""
    if name == "bad_date":
        data["published"] = rng.choice(["2026-02-30", "2026-13-01", "2026-05-01"])
        return
    claim = rng.choice(data["claims"])
    field = rng.choice(["quote", "verdict"])
    if field in claim:
        claim["_" + field] = claim.pop(field)
    elif "_" + field in claim:
        claim[field] = claim.pop("_" + field)


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
        if (
            name in {"verdict", "add_claim", "remove_claim", "rename_id", "break", "status", "bad_date", "drop_field", "publish_text", "snapshot_path"}
            and not rels
        ):
            name = "add_report"
        rel = rng.choice(rels) if rels else ""
        data: Any = self.reports.get(rel)
        if name == "verdict":
            claim = rng.choice(data["claims"])
            verdict = claim.get("verdict") or claim["_verdict"]  # "drop_field" may have hidden it
            verdict["rating"] = rng.choice([*RATINGS, "not-a-rating"])
            verdict["explanation"] = f"Explanation {self.serial}."
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
        elif name in ("bad_date", "drop_field"):
            _invalidate(name, data, rng)
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
            folder = rng.choice(["content/reports", "content/reports/2026", "content/reports/2026/05"])  # nested folders too
            rel = f"{folder}/added-{self.serial}.yaml"
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
        elif name == "strings":
            # A theme string table and the site's own override: both are in every page's key.
            if rng.random() < 0.5:
                self.write("themes/default/i18n/en.yaml", STRINGS.replace("claim.analysis: Our analysis", f"claim.analysis: Our analysis {self.serial}"))
            else:
                self.write("content/i18n/en.yaml", rng.choice([f"nav.search: Find {self.serial}\n", "nav.ratings: Verdicts\n", None]) or "")
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
    "bad_date",
    "drop_field",
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
    "strings",
]
TEMPLATE = ""
STRINGS = ""
SITE = minimal_project()["content/site.yaml"]
PEOPLE = minimal_project()["content/people.yaml"]
PAGE = minimal_project()["content/pages/about.md"]


@pytest.mark.parametrize(
    "seed,drafts,lazy,base_url",
    [(1, False, False, None), (2, True, False, "https://sub.example/checks/"), (3, False, True, "https://sub.example/checks/"), (4, True, True, None)],
)
def test_random_edits_match_a_clean_build(tmp_path: Path, seed: int, drafts: bool, lazy: bool, base_url: str | None) -> None:
    """A long random sequence of edits; after each, the in-memory site equals a clean render_site.

    Lazy engines (as `serve` runs them) make pages only when read: they are compared whenever made in full.
    """
    global TEMPLATE, STRINGS
    root = write_tree(tmp_path / "project", minimal_project())
    TEMPLATE = (root / "themes/default/templates/claim.html").read_text(encoding="utf-8")
    STRINGS = (root / "themes/default/i18n/en.yaml").read_text(encoding="utf-8")
    options = BuildOptions(drafts=drafts, base_url=base_url)
    engine = Engine(root, options, lazy=lazy)
    project = Project(root, random.Random(seed))
    first = engine.rebuild(None)
    assert [(p.path, p.data) for p in (first.files.pages() if lazy else first.result.pages)] == [(p.path, p.data) for p in render_site(root, options).pages]
    names = []
    compared = 0
    for step in range(70):
        names.append(project.edit())
        if project.rng.random() < 0.3:
            names.append(project.edit())  # two edits in one batch, as a burst of saves gives
        changed = None if project.rng.random() < 0.1 else set(project.changed)
        project.changed.clear()
        got = _lazy_outcome(engine, changed, project.rng) if lazy else _outcome(lambda: engine.rebuild(changed).result)  # noqa: B023 - called at once
        if got is None:
            continue
        compared += 1
        want = _outcome(lambda: render_site(root, options))
        assert got == want, f"step {step} after edits {names[-3:]}"
    assert compared > 20
    # The sequence exercised both outcomes, and real incremental work.
    assert {"verdict", "break", "template", "add_report", "strings"} <= set(names)


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


LISTING_SITE = SITE.replace("language: en\n", "language: en\nbase_url: https://checks.example.org/\npage_size: 5\n")
# Names that share a group ("Housing", "housing") or clash on a slug ("Housing!" wants housing/ too), so an edit
# elsewhere can move a group's URL under a page that did not change.
TOPICS = ["Housing", "housing", "Housing!", "Budget", "Crime"]
CLAIMANTS = ["Jane Doe", "jane  doe", "Jane Doe!", "John Roe"]
OUTLETS = ["Daily Planet", "daily planet", "Daily Bugle"]
LISTING_EDITS = [
    "verdict",
    "verdict",
    "verdict",
    "add_report",
    "add_report",
    "remove_report",
    "topics",
    "topics",
    "claimant",
    "claimant",
    "publisher",
    "correct",
    "uncorrect",
    "date",
    "title",
    "status",
    "add_claim",
    "remove_claim",
]


class Listings:
    """Several reports whose edits move claims between index pages, shift pagination and rename groups."""

    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root = root
        self.rng = rng
        self.serial = 0
        self.changed: set[str] = set()
        self.reports: dict[str, dict[str, Any]] = {}
        for _ in range(8):
            self.add_report()

    def add_report(self) -> None:
        rng = self.rng
        self.serial += 1
        data = copy.deepcopy(REPORT)
        data["id"] = f"r-{self.serial}"
        data["title"] = f"Report {self.serial}"
        data["published"] = f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
        data["topics"] = rng.sample(TOPICS, rng.randint(1, 2))
        data["article"]["publisher"] = rng.choice(OUTLETS)
        data["claims"][0]["claimant"]["name"] = rng.choice(CLAIMANTS)
        for claim in data["claims"]:
            claim["verdict"]["rating"] = rng.choice(["true", "false", "half-true"])
        self.save(f"content/reports/r-{self.serial}.yaml", data)

    def save(self, rel: str, data: dict[str, Any] | None) -> None:
        if data is None:
            self.reports.pop(rel, None)
            (self.root / rel).unlink()
        else:
            self.reports[rel] = data
            (self.root / rel).parent.mkdir(parents=True, exist_ok=True)
            (self.root / rel).write_text(_dump(data), encoding="utf-8")
        self.changed.add(rel)

    def edit(self) -> str:
        """Apply one random edit; return its name."""
        rng = self.rng
        name = rng.choice(LISTING_EDITS)
        if name == "add_report" or (name == "remove_report" and len(self.reports) < 3):
            self.add_report()
            return "add_report"
        rel = rng.choice(sorted(self.reports))
        data = self.reports[rel]
        claim = rng.choice(data["claims"])
        if name == "remove_report":
            self.save(rel, None)
            return name
        if name == "verdict":
            claim["verdict"]["rating"] = rng.choice([*RATINGS, "half-true", "false"])
        elif name == "topics":
            data["topics"] = rng.sample(TOPICS, rng.randint(1, 3))
        elif name == "claimant":
            claim["claimant"] = {"name": rng.choice(CLAIMANTS), "type": "person"}
        elif name == "publisher":
            data["article"]["publisher"] = rng.choice(OUTLETS)
        elif name == "correct":
            log = data.setdefault("corrections", [])
            log.append({"date": f"2026-11-{10 + len(log)}", "type": "update", "change": "Added a source.", "reason": f"Reader note {rng.random():.4f}."})
        elif name == "uncorrect":
            if data.get("corrections"):
                data["corrections"].pop()
        elif name == "date":
            data["published"] = f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
        elif name == "title":
            data["title"] = f"Report {rel} retitled {rng.randint(0, 99)}"
        elif name in ("bad_date", "drop_field"):
            _invalidate(name, data, rng)
        elif name == "status":
            data["status"] = rng.choice(["published", "published", "draft"])
        elif name == "add_claim":
            new = copy.deepcopy(data["claims"][-1])
            new["id"] = f"claim-{rng.randint(0, 10**6)}"
            new["quote"] = {"exact": rng.choice(QUOTES)}
            data["claims"].append(new)
        elif name == "remove_claim" and len(data["claims"]) > 1:
            data["claims"].remove(claim)
            for correction in data.get("corrections", []):
                correction.pop("claim", None)
        self.save(rel, data)
        return name


@pytest.mark.parametrize("seed", [5, 6])
def test_listing_pages_follow_edits(tmp_path: Path, seed: int) -> None:
    """Verdicts, groups, dates, corrections and reports change; index, hub, home and feed files stay equal to a clean build."""
    files = {**minimal_project(), "content/site.yaml": LISTING_SITE}
    del files["content/reports/planet-rents.yaml"]
    root = write_tree(tmp_path / "project", files)
    rng = random.Random(seed)
    project = Listings(root, rng)
    options = BuildOptions(drafts=False)
    eager, lazy = Engine(root, options), Engine(root, options, lazy=True)
    eager.rebuild(None)
    lazy.rebuild(None)
    listed = 0
    names: list[str] = []
    for step in range(40):
        names.append(project.edit())
        if rng.random() < 0.3:
            names.append(project.edit())
        changed = set(project.changed)
        project.changed.clear()
        want = _outcome(lambda: render_site(root, options))
        assert _outcome(lambda: eager.rebuild(changed).result) == want, f"step {step} after edits {names[-3:]}"  # noqa: B023
        got = _lazy_outcome(lazy, changed, rng)
        assert got is None or got == want, f"lazy, step {step} after edits {names[-3:]}"
        if want[0] == "ok":
            listed = max(listed, sum(1 for path, _ in want[1][0] if path.endswith("/2/index.html")))
    assert listed >= 3  # the lists really were paginated


def test_a_verdict_edit_re_renders_the_lists_that_show_the_claim_and_keeps_the_others(make_project: Callable[..., Path]) -> None:
    """Only index pages holding the edited report are rendered again; another claimant's and topic's pages are kept."""
    other = (
        REPORT_YAML.replace("id: planet-rents", "id: planet-two")
        .replace("name: Jane Doe", "name: John Roe")
        .replace("topics: [Housing]", "topics: [Budget]")
        .replace("publisher: Daily Planet", "publisher: Daily Bugle")
    )
    root = make_project({"content/reports/planet-two.yaml": other})
    engine = Engine(root)
    before = {p.path: p.data for p in engine.rebuild(None).result.pages}
    rel = "content/reports/planet-rents.yaml"
    (root / rel).write_text(REPORT_YAML.replace('rating: "false"', "rating: half-true"), encoding="utf-8")
    outcome = engine.rebuild({rel})
    after = {p.path: p.data for p in outcome.result.pages}
    assert after == {p.path: p.data for p in render_site(root).pages}
    for kept in ("claimants/john-roe/index.html", "topics/budget/index.html", "outlets/daily-bugle/index.html", "search/index.html", "404.html"):
        assert after[kept] is before[kept], kept
    for redone in ("ratings/false/index.html", "ratings/half-true/index.html", "claimants/jane-doe/index.html", "index.html", "ratings/index.html"):
        assert after[redone] is not before[redone], redone
    assert b"Half true" in after["claimants/jane-doe/index.html"]


def test_lazy_builds_make_pages_on_request_and_report_template_errors_there(make_project: Callable[..., Path]) -> None:
    """A lazy rebuild renders only the edited report's pages; the rest are made when read, errors included."""
    root = make_project()
    engine = Engine(root, lazy=True)
    first = engine.rebuild(None)
    templates = {slot.job.template for slot in first.files.slots.values() if slot.job.template}
    assert first.rendered == len(templates) < len(first.files)  # one page per template, not the whole site
    rel = "content/reports/planet-rents.yaml"
    (root / rel).write_text(REPORT_YAML.replace('rating: "false"', "rating: half-true"), encoding="utf-8")
    outcome = engine.rebuild({rel})
    # The report's pages and its claims' (share cards wait for a request: link previews fetch them, not the writer).
    own = [path for path in outcome.files.slots if path.startswith("reports/planet-rents/") and not path.endswith(".png")]
    assert outcome.rendered == len(own)  # the report's own pages (and nothing else yet)
    assert b"Half true" in outcome.files["ratings/half-true/index.html"]
    assert outcome.files.rendered == outcome.rendered + 1
    assert dict(outcome.files) == {p.path: p.data for p in render_site(root).pages}
    # A template error only one page meets: the rebuild (which renders the first claim page) passes, the page reports it.
    rel = "themes/default/templates/claim.html"
    claim = root / rel
    claim.write_text(
        claim.read_text(encoding="utf-8").replace("<h1>", '{% if claim.id == "shelter-spend" %}{{ claim.nope.x }}{% endif %}<h1>', 1), encoding="utf-8"
    )
    broken = engine.rebuild({rel})
    assert broken.full
    assert b"<h1>" in broken.files["reports/planet-rents/claims/rents-doubled/index.html"]
    with pytest.raises(BuildFailed) as failed:
        broken.files.get("reports/planet-rents/claims/shelter-spend/index.html")
    assert "claim.html" in format_text(failed.value.diagnostics)


@pytest.mark.parametrize("lazy", [False, True])
def test_a_group_url_that_moves_re_renders_the_unchanged_reports_that_link_to_it(make_project: Callable[..., Path], lazy: bool) -> None:
    """'Housing!' has topics/housing/ to itself until a report adds 'Housing' (which takes it): pages linking to it follow."""
    root = make_project({"content/reports/planet-rents.yaml": REPORT_YAML.replace("topics: [Housing]", 'topics: ["Housing!"]')})
    (root / "content/reports/planet-two.yaml").write_text(
        REPORT_YAML.replace("id: planet-rents", "id: planet-two").replace("topics: [Housing]", "topics: [Budget]"), encoding="utf-8"
    )
    engine = Engine(root, lazy=lazy)
    first = engine.rebuild(None)
    page = "reports/planet-rents/index.html"
    assert b'href="../../topics/housing/index.html"' in first.files[page]
    rel = "content/reports/planet-two.yaml"
    (root / rel).write_text(
        REPORT_YAML.replace("id: planet-rents", "id: planet-two").replace("topics: [Housing]", "topics: [Budget, Housing]"), encoding="utf-8"
    )
    outcome = engine.rebuild({rel})
    assert b'href="../../topics/housing-2/index.html"' in outcome.files[page]
    assert dict(outcome.files) == {p.path: p.data for p in render_site(root).pages}
